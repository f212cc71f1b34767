;;; driver.el --- End-to-end scenarios for ghostline in Emacs + Eglot -*- lexical-binding: t; -*-

;;; Commentary:

;; Loaded by `emacs --batch' after clients/emacs/ghostline.el (unmodified).  Runs the scenario
;; named in $GHOSTLINE_E2E_SCENARIO the way a user would (visit a file, connect, type, complete,
;; run actions) and writes what the buffers hold to $GHOSTLINE_E2E_RESULT as JSON; the
;; assertions are in test/e2e/emacs.test.ts.  Waiting is `accept-process-output', so the Eglot
;; connection, its timers and the server's notifications run as in an interactive session.

;;; Code:

(require 'cl-lib)
(require 'json)

(defconst e2e-command (append (json-parse-string (getenv "GHOSTLINE_E2E_CMD") :array-type 'list) nil)
  "The server command of this run.")

;; The README scenario uses Eglot alone, as README.md's snippet does; the others load clients/emacs.
(unless (equal (getenv "GHOSTLINE_E2E_SCENARIO") "readme")
  (require 'ghostline)
  (setq ghostline-command e2e-command)
  (ghostline-setup))
(require 'eglot)
;; A person would answer Eglot's "Server wants to edit ... Proceed?" with y; batch mode cannot.
(setq eglot-confirm-server-initiated-edits nil)

(defvar e2e-observations nil)
(defvar e2e-log nil)

(defun e2e-record (key value)
  "Record VALUE under KEY for the test to assert on."
  (push (cons key value) e2e-observations))

(defun e2e-lines (&optional buffer)
  "The lines of BUFFER (default: current) as a vector."
  (with-current-buffer (or buffer (current-buffer))
    (vconcat (split-string (buffer-substring-no-properties (point-min) (point-max)) "\n"))))

(defun e2e-wait (what predicate &optional seconds)
  "Let Emacs run until PREDICATE returns non-nil (returned), or fail naming WHAT."
  (let ((deadline (+ (float-time) (or seconds 20)))
        value)
    (while (not (setq value (funcall predicate)))
      (when (> (float-time) deadline)
        (error "Timed out waiting for %s" what))
      (accept-process-output nil 0.05))
    value))

(defun e2e-visit (name)
  "Visit the project file NAME and connect it to ghostline."
  (find-file (expand-file-name name))
  (ghostline-start)
  (e2e-wait "the ghostline connection"
            (lambda () (and (eglot-current-server) eglot--managed-mode))))

(defun e2e-stats ()
  "The server's counters (`ghostline.stats'), a moment after the last action."
  (sleep-for 0.1)
  (let (stats)
    (ghostline-stats (lambda (result) (setq stats result)))
    (e2e-wait "ghostline.stats" (lambda () stats))))

(defun e2e-goto (line column)
  "Move to 1-based LINE and 0-based COLUMN."
  (goto-char (point-min))
  (forward-line (1- line))
  (move-to-column column))

(defun e2e-scenario-completion ()
  "Type `x' after `corner.' and complete with `completion-at-point'."
  (e2e-visit "corner.py")
  (e2e-goto 2 (length "    return corner."))
  (insert "x")
  (completion-at-point)
  (e2e-record 'lines (e2e-lines))
  (e2e-record 'accepted (e2e-wait "the accept to reach the server"
                                  (lambda ()
                                    (let ((accepted (plist-get (e2e-stats) :accepted)))
                                      (and accepted (> accepted 0) accepted))))))

(defun e2e-finished-stream (action)
  "The output buffer of the run of ACTION once it is done, else nil."
  (let (found)
    (maphash (lambda (_id run)
               (when (and (equal (plist-get run :action) action)
                          (eq (buffer-local-value 'ghostline-stream-state (plist-get run :buffer)) 'done))
                 (setq found (plist-get run :buffer))))
             ghostline-stream-runs)
    found))

(defun e2e-scenario-actions ()
  "Refactor from Eglot's code-action menu, then explain with the streamed output."
  ;; A setting the menu shows: it reaches the server as initializationOptions.
  (setq ghostline-settings '(:actions (:variants 2)))
  (e2e-visit "total.js")
  (let* ((source (current-buffer))
         (before (buffer-string))
         (beg (progn (e2e-goto 2 0) (point)))
         (end (progn (e2e-goto 8 1) (point)))
         (last-nonmenu-event ?\r))
    (cl-letf (((symbol-function 'completing-read)
               (lambda (_prompt collection &rest _)
                 (e2e-record 'menu (vconcat (mapcar #'car collection)))
                 "ghostline: Refactor")))
      (ghostline-code-actions beg end))
    (e2e-wait "the refactor edit" (lambda () (not (equal (buffer-string) before))) 30)
    (e2e-record 'refactored (e2e-lines))
    (let ((after (buffer-string)))
      (with-current-buffer source
        (ghostline-explain (progn (e2e-goto 2 0) (point)) (progn (e2e-goto 7 1) (point))))
      (let ((output (e2e-wait "the explanation" (lambda () (e2e-finished-stream "explain")) 30)))
        (e2e-record 'stream_lines (e2e-lines output))
        (e2e-record 'stream_buffer (buffer-name output))
        (e2e-record 'stream_displayed (if (get-buffer-window output t) t :json-false))
        (e2e-record 'unchanged_by_explain
                    (if (equal (with-current-buffer source (buffer-string)) after) t :json-false))))))

(defun e2e-command-loop ()
  "Run what Emacs runs after each command (batch mode has no command loop).
This is when `eglot-ensure' connects."
  (run-hooks 'post-command-hook))

(defun e2e-managed-by-ghostline-p ()
  "Non-nil when the current buffer is connected to ghostline."
  (let ((server (eglot-current-server)))
    (and server eglot--managed-mode (object-of-class-p server 'ghostline-server))))

(defun e2e-scenario-modes ()
  "`ghostline-setup' starts ghostline in the listed modes only: not in init.el."
  (find-file (expand-file-name "init.el"))
  (e2e-record 'init_mode (symbol-name major-mode))
  (e2e-command-loop)
  (accept-process-output nil 0.5)
  (e2e-record 'init_managed (if (eglot-current-server) t :json-false))
  (find-file (expand-file-name "corner.py"))
  (e2e-command-loop)
  (e2e-record 'python_managed
              (if (e2e-wait "the ghostline connection" #'e2e-managed-by-ghostline-p) t :json-false))
  (with-current-buffer (get-file-buffer (expand-file-name "init.el"))
    (e2e-record 'init_managed_after (if (eglot-current-server) t :json-false))))

(defun e2e-messages ()
  "The *Messages* buffer's text."
  (with-current-buffer (messages-buffer) (buffer-substring-no-properties (point-min) (point-max))))

(defun e2e-scenario-typescript ()
  "A .ts file on an Emacs without a TypeScript mode: a clear message, then the documented js-mode way."
  (find-file (expand-file-name "total.ts"))
  (e2e-record 'ts_mode (symbol-name major-mode))
  (e2e-record 'ts_message (if (string-match-p "has no TypeScript mode" (e2e-messages)) t :json-false))
  (e2e-record 'start_error (condition-case err (progn (ghostline-start) "no error")
                             (error (format "%S" err))))
  (kill-buffer)
  ;; The documented way: open TypeScript in js-mode.
  (add-to-list 'auto-mode-alist '("\\.tsx?\\'" . js-mode))
  (find-file (expand-file-name "total.ts"))
  (e2e-record 'mapped_mode (symbol-name major-mode))
  (e2e-command-loop)
  (e2e-record 'mapped_managed
              (if (e2e-wait "the ghostline connection" #'e2e-managed-by-ghostline-p) t :json-false)))

(defun e2e-scenario-readme ()
  "README.md's Eglot snippet, evaluated as written, with a model slower than jsonrpc's 10 s default."
  (eval (car (read-from-string (concat "(progn " (getenv "GHOSTLINE_E2E_SNIPPET") ")"))) t)
  (require 'eglot)
  (e2e-record 'timeout jsonrpc-default-request-timeout)
  ;; The snippet names the program `ghostline'; this run's server is the built one.
  (setq eglot-server-programs
        (mapcar (lambda (e) (if (equal (cdr e) '("ghostline" "--stdio")) (cons (car e) e2e-command) e))
                eglot-server-programs))
  (find-file (expand-file-name "total.py"))
  (eglot-ensure)
  (e2e-command-loop)
  (e2e-wait "the eglot connection" (lambda () (and (eglot-current-server) eglot--managed-mode)))
  (let* ((before (buffer-string))
         (beg (progn (e2e-goto 2 0) (point)))
         (end (point-max))
         (last-nonmenu-event ?\r))
    (cl-letf (((symbol-function 'completing-read)
               (lambda (_prompt collection &rest _)
                 (e2e-record 'menu (vconcat (mapcar (lambda (c) (if (consp c) (car c) c)) collection)))
                 "ghostline: Refactor")))
      (e2e-record 'action_error (condition-case err (progn (eglot-code-actions beg end nil t) "no error")
                                  (error (format "%S" err)))))
    (e2e-record 'refactored (if (equal (buffer-string) before) :json-false (e2e-lines)))))

(defun e2e-finish (error-message)
  "Write the observations (and ERROR-MESSAGE, if any) and exit."
  (when error-message
    (dolist (buffer (buffer-list))
      (when (string-match-p "EGLOT.*events\\|stderr" (buffer-name buffer))
        (push (with-current-buffer buffer
                (buffer-substring-no-properties (max (point-min) (- (point-max) 3000)) (point-max)))
              e2e-log))))
  (with-temp-file (getenv "GHOSTLINE_E2E_RESULT")
    (insert (json-encode `((ok . ,(if error-message :json-false t))
                           (error . ,error-message)
                           (observations . ,(or e2e-observations (make-hash-table)))
                           (log . ,(vconcat e2e-log))))))
  (kill-emacs 0))

(condition-case err
    (progn
      (funcall (intern (concat "e2e-scenario-" (getenv "GHOSTLINE_E2E_SCENARIO"))))
      (e2e-finish nil))
  (error (e2e-finish (error-message-string err))))

;;; driver.el ends here
