;;; ghostline-actions.el --- ghostline's actions, stats and accept signal in Emacs -*- lexical-binding: t; -*-

;;; Commentary:

;; One command per ghostline action (`ghostline-refactor', `ghostline-explain', ...), run with
;; workspace/executeCommand asynchronously (a model call outlives jsonrpc's 10 s request timeout),
;; also when chosen from Eglot's code-action menu; the server answers with workspace/applyEdit,
;; which Eglot applies.  Eglot 1.9 never runs a
;; completion item's command, so accepting a ghostline completion sends `ghostline.accept' here.
;; Part of ghostline.el.

;;; Code:

(require 'cl-lib)
(require 'eglot)
(require 'jsonrpc)

(defconst ghostline-action-names
  '(refactor refactorWithInstruction refactorVariants explain generateTests fix document)
  "The actions of protocol.ts; each is the command `ghostline.NAME'.")

(defvar ghostline-action-timeout 600
  "Seconds to wait for an action's answer (model calls can be long).")

(defun ghostline--server ()
  "The ghostline server of the current buffer, or an error."
  (let ((server (eglot-current-server)))
    (unless (and server (object-of-class-p server 'ghostline-server))
      (user-error "ghostline: this buffer is not managed by ghostline (M-x ghostline-start)"))
    server))

(defun ghostline--range (beg end)
  "The LSP range from BEG to END."
  (save-excursion
    (list :start (eglot--pos-to-lsp-position beg) :end (eglot--pos-to-lsp-position end))))

(defun ghostline--diagnostic (beg end)
  "The first LSP diagnostic Eglot holds between BEG and END, or nil."
  (cl-loop for diag in (flymake-diagnostics beg end)
           for lsp = (cdr (assoc 'eglot-lsp-diag (eglot--diag-data diag)))
           when lsp return (list :message (plist-get lsp :message) :range (plist-get lsp :range))))

(defun ghostline-run-action (name beg end &optional instruction)
  "Run the ghostline action NAME (a symbol) on BEG..END.
INSTRUCTION is the instruction of refactorWithInstruction."
  (let* ((server (ghostline--server))
         (args (list :uri (eglot--path-to-uri buffer-file-name)
                     :range (ghostline--range beg end)
                     :version eglot--versioned-identifier)))
    (when instruction
      (setq args (plist-put args :instruction instruction)))
    (when (eq name 'fix)
      (let ((diagnostic (ghostline--diagnostic beg end)))
        (when diagnostic
          (setq args (plist-put args :diagnostic diagnostic)))))
    ;; The server must see the text the range refers to.
    (eglot--signal-textDocument/didChange)
    (ghostline--execute server (format "ghostline.%s" name) (vector args))))

(defun ghostline--execute (server command arguments)
  "Run COMMAND with ARGUMENTS on SERVER without blocking Emacs.
Model calls can outlast jsonrpc's 10 s request timeout; the answer only
reports the outcome, since the server applies edits with workspace/applyEdit."
  (message "%s…" command)
  (jsonrpc-async-request
   server :workspace/executeCommand
   (list :command command :arguments arguments)
   :timeout ghostline-action-timeout
   :success-fn (lambda (_result) (message "%s: done" command))
   :error-fn (lambda (error) (message "%s failed: %s" command (plist-get error :message)))
   :timeout-fn (lambda () (message "%s timed out" command))))

(cl-defmethod eglot-execute-command ((server ghostline-server) command arguments)
  "Run ghostline's COMMAND with ARGUMENTS asynchronously; others as Eglot does.
This is what Eglot's code-action menu calls for the actions SERVER offers."
  (if (string-prefix-p "ghostline." (format "%s" command))
      (ghostline--execute server (format "%s" command) arguments)
    (cl-call-next-method)))

(defun ghostline--bounds ()
  "The region if active, else the current line."
  (if (use-region-p)
      (list (region-beginning) (region-end))
    (list (line-beginning-position) (line-end-position))))

(defmacro ghostline--define-action (name doc)
  "Define the command ghostline-NAME (lisp-case) running the action NAME with DOC."
  (let* ((case-fold-search nil)
         (command (format "ghostline-%s" (replace-regexp-in-string "\\([A-Z]\\)" "-\\1" (symbol-name name) t))))
    `(defun ,(intern (downcase command)) (beg end)
       ,(format "%s\nOn the region, or on the current line." doc)
       (interactive (ghostline--bounds))
       (ghostline-run-action ',name beg end))))

(ghostline--define-action refactor "Refactor with ghostline.")
(ghostline--define-action refactorVariants "Ask ghostline for refactor variants.")
(ghostline--define-action explain "Explain the code with ghostline (output streams into a buffer).")
(ghostline--define-action generateTests "Generate unit tests with ghostline.")
(ghostline--define-action fix "Fix the diagnostic here with ghostline.")
(ghostline--define-action document "Add or update the doc comment with ghostline.")

(defun ghostline-refactor-with-instruction (beg end instruction)
  "Refactor BEG..END following INSTRUCTION."
  (interactive (append (ghostline--bounds) (list (read-string "ghostline instruction: "))))
  (ghostline-run-action 'refactorWithInstruction beg end instruction))

(defun ghostline-code-actions (beg end)
  "Eglot's code-action menu for BEG..END, with only ghostline's actions."
  (interactive (ghostline--bounds))
  (let* ((actions (cl-remove-if-not
                   (lambda (action)
                     (let ((command (plist-get action :command)))
                       (string-prefix-p "ghostline." (if (stringp command) command (plist-get command :command)))))
                   (eglot-code-actions beg end nil nil))))
    (if actions
        (eglot--read-execute-code-action actions (ghostline--server))
      (message "ghostline: no actions here"))))

(defun ghostline-stats (&optional callback)
  "Show the server's counters; with CALLBACK, call it with them instead."
  (interactive)
  (jsonrpc-async-request
   (ghostline--server) :workspace/executeCommand '(:command "ghostline.stats" :arguments [])
   :success-fn (lambda (stats)
                 (if callback
                     (funcall callback stats)
                   (message "ghostline: %s" (jsonrpc--json-encode stats))))))

(defun ghostline--accept-exit-function (exit table)
  "Wrap the completion EXIT function to report accepted ghostline items.
The report is the item's command, `ghostline.accept'.  The inserted string
has lost its properties, so the item is found again in TABLE."
  (lambda (proxy status)
    (let ((item (or (get-text-property 0 'eglot--lsp-item proxy)
                    (let ((match (cl-find proxy (all-completions "" table) :test #'string=)))
                      (and match (get-text-property 0 'eglot--lsp-item match)))))
          (server (eglot-current-server)))
      (funcall exit proxy status)
      (let ((command (plist-get item :command)))
        (when (and (memq status '(finished exact))
                   server (object-of-class-p server 'ghostline-server)
                   (equal (plist-get command :command) "ghostline.accept"))
          (jsonrpc-async-request server :workspace/executeCommand
                                 (list :command "ghostline.accept" :arguments (plist-get command :arguments))
                                 :success-fn #'ignore :error-fn #'ignore))))))

(defun ghostline--completion-with-accept (capf)
  "Filter CAPF, from `eglot-completion-at-point', to report accepts."
  (if (and (consp capf) (plist-get (nthcdr 3 capf) :exit-function))
      (append (cl-subseq capf 0 3)
              (let ((props (copy-sequence (nthcdr 3 capf))))
                (plist-put props :exit-function
                           (ghostline--accept-exit-function (plist-get props :exit-function) (nth 2 capf)))))
    capf))

(advice-add 'eglot-completion-at-point :filter-return #'ghostline--completion-with-accept)

(provide 'ghostline-actions)
;;; ghostline-actions.el ends here
