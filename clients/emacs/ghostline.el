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
;;   (ghostline-setup)       ; ghostline serves, and starts in, the modes of `ghostline-major-modes'
;;
;; Eglot 1.9 (Emacs 28) runs one server per buffer: where ghostline is set up it replaces the
;; language's usual server.  Emacs 28 has no TypeScript mode: `.ts' files open in
;; `fundamental-mode' unless `typescript-mode' (NonGNU ELPA) is installed, or `.ts' is mapped to
;; `js-mode'; ghostline says so when such a file is visited.  Emacs 29+ has `typescript-ts-mode'.
;; See docs/clients.md.

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
  '(python-mode (python-ts-mode :language-id "python")
    (js-mode :language-id "javascript") (js-ts-mode :language-id "javascript")
    (typescript-mode :language-id "typescript") (typescript-ts-mode :language-id "typescript")
    (tsx-ts-mode :language-id "typescriptreact")
    go-mode (go-ts-mode :language-id "go") rust-mode (rust-ts-mode :language-id "rust")
    c-mode (c-ts-mode :language-id "c") (c++-mode :language-id "cpp") (c++-ts-mode :language-id "cpp")
    java-mode (java-ts-mode :language-id "java") ruby-mode (ruby-ts-mode :language-id "ruby")
    (sh-mode :language-id "shellscript") (bash-ts-mode :language-id "shellscript"))
  "Major modes (and modes derived from them) whose buffers ghostline serves.
Only these: other buffers (your init.el, say) are left alone.  Entries as
in `eglot-server-programs': a mode, or (MODE :language-id ID) where the
LSP language id differs from the mode's name.  Modes this Emacs does not
have are ignored.  Call `ghostline-setup' again after changing it."
  :type '(repeat sexp))

(defcustom ghostline-auto-start t
  "When non-nil, `ghostline-setup' starts ghostline in `ghostline-major-modes'.
It adds `eglot-ensure' to each listed mode's hook.  When nil, start it
with \[ghostline-start] or your own hooks."
  :type 'boolean)

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

(defvar ghostline--hooks nil
  "The mode hooks `ghostline-setup' added `eglot-ensure' to.")

(defun ghostline--modes ()
  "The major modes of `ghostline-major-modes', without their options."
  (mapcar (lambda (entry) (if (consp entry) (car entry) entry)) ghostline-major-modes))

(defun ghostline--served-p ()
  "Non-nil when the current buffer's major mode is one ghostline serves."
  (apply #'derived-mode-p (ghostline--modes)))

(defconst ghostline-typescript-advice
  "Emacs %s has no TypeScript mode, so this file is in `%s' and ghostline cannot serve it.  \
Install `typescript-mode' (M-x package-install RET typescript-mode, from NonGNU ELPA), \
or open TypeScript in `js-mode' with %s in your init file"
  "What ghostline says about a TypeScript file Emacs has no mode for.")

(defconst ghostline-typescript-js-mode
  "(add-to-list 'auto-mode-alist '(\"\\\\.tsx?\\\\'\" . js-mode))"
  "The init-file line that opens TypeScript files in `js-mode'.")

(defun ghostline--typescript-without-mode-p ()
  "Non-nil for a TypeScript file that no TypeScript mode serves."
  (and buffer-file-name
       (string-match-p "\\.[cm]?tsx?\\'" buffer-file-name)
       (not (ghostline--served-p))
       (not (derived-mode-p 'typescript-mode 'typescript-ts-mode 'tsx-ts-mode 'js-mode))))

(defun ghostline--check-typescript ()
  "Say what to install when a TypeScript file opened without a TypeScript mode."
  (when (ghostline--typescript-without-mode-p)
    (message ghostline-typescript-advice emacs-major-version major-mode ghostline-typescript-js-mode)))

;;;###autoload
(defun ghostline-setup ()
  "Make ghostline the Eglot server for `ghostline-major-modes'.
With `ghostline-auto-start', also start it in buffers of those modes (and
only those)."
  (setq eglot-server-programs
        (cons (cons ghostline-major-modes #'ghostline--contact)
              (cl-remove #'ghostline--contact eglot-server-programs :key #'cdr)))
  (dolist (hook ghostline--hooks)
    (remove-hook hook #'eglot-ensure))
  (setq ghostline--hooks nil)
  (when ghostline-auto-start
    (dolist (mode (ghostline--modes))
      (let ((hook (intern (format "%s-hook" mode))))
        (add-hook hook #'eglot-ensure)
        (push hook ghostline--hooks))))
  (add-hook 'find-file-hook #'ghostline--check-typescript))

;;;###autoload
(defun ghostline-start ()
  "Connect the current buffer to ghostline now.
This is what `eglot-ensure' does after the next command."
  (interactive)
  (unless (assoc ghostline-major-modes eglot-server-programs)
    (ghostline-setup))
  (cond
   ((not buffer-file-name)
    (user-error "ghostline: this buffer visits no file; open a file first"))
   ((ghostline--typescript-without-mode-p)
    (user-error ghostline-typescript-advice emacs-major-version major-mode ghostline-typescript-js-mode))
   ((not (ghostline--served-p))
    (user-error "ghostline: `%s' is not in `ghostline-major-modes'; add it there and call `ghostline-setup'"
                major-mode)))
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
