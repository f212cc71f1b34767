;;; ghostline.el --- Eglot configuration for the ghostline AI language server -*- lexical-binding: t; -*-

;; Version: 0.1.0
;; Package-Requires: ((emacs "28.1") (eglot "1.9"))
;; Keywords: languages, tools
;; URL: https://github.com/ghostline/ghostline

;;; Commentary:

;; ghostline is a language server (`ghostline --stdio') that completes code and runs code actions
;; (refactor, explain, tests, fix, doc comments) with OpenAI models.  This file makes Eglot speak
;; to it: an `eglot-server-programs' entry, settings sent as initializationOptions and answered on
;; workspace/configuration, live output of actions from the `ghostline/stream' notification, the
;; accept signal for completions, and one command per action.
;;
;;   (require 'ghostline)
;;   (ghostline-setup)                    ; ghostline serves `ghostline-major-modes'
;;   (add-hook 'python-mode-hook #'eglot-ensure)
;;
;; Eglot 1.9 (Emacs 28) runs one server per buffer: where ghostline is set up it replaces the
;; language's usual server.  See docs/clients.md.

;;; Code:

(require 'cl-lib)
(require 'eglot)
(require 'jsonrpc)
(require 'subr-x)

(defgroup ghostline nil
  "The ghostline AI language server through Eglot."
  :group 'eglot
  :prefix "ghostline-")

(defcustom ghostline-command '("ghostline" "--stdio")
  "Program and arguments that start the ghostline server."
  :type '(repeat string))

(defcustom ghostline-major-modes
  '((js-mode :language-id "javascript")
    (typescript-mode :language-id "typescript")
    (c++-mode :language-id "cpp")
    (sh-mode :language-id "shellscript")
    prog-mode)
  "Major modes (and modes derived from them) whose buffers ghostline serves.
Entries as in `eglot-server-programs': a mode, or (MODE :language-id ID)
where the LSP language id differs from the mode's name."
  :type '(repeat sexp))

(defcustom ghostline-settings nil
  "The `ghostline' settings section as a plist.
For example (:completion (:debounceMs 50)).  Sent as initializationOptions
and as the answer to workspace/configuration, unless
`eglot-workspace-configuration' (e.g. in .dir-locals.el) has a :ghostline
section."
  :type 'plist)

(defcustom ghostline-stream t
  "When non-nil, show the output of actions as it arrives.
The server sends it as `ghostline/stream' notifications."
  :type 'boolean)

(defcustom ghostline-stream-display t
  "When non-nil, display an action's output buffer when its text arrives."
  :type 'boolean)

(defclass ghostline-server (eglot-lsp-server) ()
  "An Eglot connection to the ghostline server; ghostline's methods specialize on it.")

(defun ghostline--contact (&optional _interactive)
  "The `eglot-server-programs' contact: the server class, then the command."
  (cons 'ghostline-server ghostline-command))

;;;###autoload
(defun ghostline-setup ()
  "Make ghostline the Eglot server for `ghostline-major-modes'."
  (setq eglot-server-programs
        (cons (cons ghostline-major-modes #'ghostline--contact)
              (cl-remove #'ghostline--contact eglot-server-programs :key #'cdr))))

;;;###autoload
(defun ghostline-start ()
  "Connect the current buffer to ghostline now.
This is what `eglot-ensure' does after the next command."
  (interactive)
  (unless (assoc ghostline-major-modes eglot-server-programs)
    (ghostline-setup))
  (apply #'eglot--connect (eglot--guess-contact)))

(defun ghostline--section ()
  "The settings to send: the :ghostline section of .dir-locals.el.
Else `ghostline-settings'."
  (let ((local (plist-get (and (listp eglot-workspace-configuration) eglot-workspace-configuration) :ghostline)))
    (or local ghostline-settings eglot--{})))

(cl-defmethod eglot-initialization-options ((_server ghostline-server))
  "ghostline's settings, so they hold from the first request."
  (ghostline--section))

(cl-defmethod eglot-client-capabilities :around ((_server ghostline-server))
  "Eglot's capabilities plus the opt-in to `ghostline/stream'."
  (let ((capabilities (copy-sequence (cl-call-next-method))))
    ;; Eglot already sends an empty :experimental object; replace it rather than add a second key.
    (if ghostline-stream
        (plist-put capabilities :experimental (list :ghostlineStream t))
      capabilities)))

(cl-defmethod eglot-handle-request
  ((server ghostline-server) (_method (eql workspace/configuration)) &key items)
  "Answer the `ghostline' section of ITEMS for SERVER; nil for others."
  (apply #'vector
         (mapcar (lambda (item)
                   (if (equal (plist-get item :section) "ghostline")
                       (with-temp-buffer
                         (setq default-directory (project-root (eglot--project server)))
                         (setq-local major-mode (car (eglot--major-modes server)))
                         (hack-dir-local-variables-non-file-buffer)
                         (ghostline--section))
                     nil))
                 (append items nil))))

;; The other files of this package, found beside this one even when it is loaded by file name.
(let ((load-path (cons (file-name-directory (or load-file-name buffer-file-name default-directory)) load-path)))
  (require 'ghostline-stream)
  (require 'ghostline-actions))

(provide 'ghostline)
;;; ghostline.el ends here
