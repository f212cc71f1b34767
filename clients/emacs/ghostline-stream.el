;;; ghostline-stream.el --- Live output of ghostline actions in Emacs -*- lexical-binding: t; -*-

;;; Commentary:

;; Handles the `ghostline/stream' notification (model output of an action as it arrives): one
;; buffer per run, `*ghostline ACTION ID*', in `special-mode', filled delta by delta.  Part of
;; ghostline.el.

;;; Code:

(require 'cl-lib)
(require 'eglot)

(defvar ghostline-stream-display)

(defvar ghostline-stream-runs (make-hash-table :test #'equal)
  "Runs by id: plists (:buffer :action :done :error).")

(defvar ghostline-stream-last nil
  "Id of the last run, for `ghostline-show-output'.")

(defvar-local ghostline-stream-state nil
  "In an output buffer: `streaming', `done' or `error'.")

(defun ghostline-stream--buffer (id action)
  "The output buffer of run ID (ACTION), created on its first notification."
  (let ((run (gethash id ghostline-stream-runs)))
    (if run
        (plist-get run :buffer)
      (let ((buffer (generate-new-buffer (format "*ghostline %s %s*" action id))))
        (with-current-buffer buffer
          (special-mode)
          (setq ghostline-stream-state 'streaming)
          (setq header-line-format (format "ghostline · %s" action)))
        (puthash id (list :buffer buffer :action action) ghostline-stream-runs)
        (when ghostline-stream-display
          (display-buffer buffer '((display-buffer-reuse-window display-buffer-pop-up-window) (inhibit-same-window . t))))
        buffer))))

(defun ghostline-stream--append (buffer text)
  "Append TEXT at the end of BUFFER and scroll its windows to the end."
  (when (and text (not (string-empty-p text)))
    (with-current-buffer buffer
      (let ((inhibit-read-only t))
        (save-excursion
          (goto-char (point-max))
          (insert text)))
      (dolist (window (get-buffer-window-list buffer nil t))
        (set-window-point window (point-max))))))

(cl-defmethod eglot-handle-notification
  ((_server ghostline-server) (_method (eql ghostline/stream))
   &key id action delta done final error restart &allow-other-keys)
  "Render one `ghostline/stream' notification.
DELTA is new text of run ID (ACTION); the last one is DONE, with FINAL or
ERROR.  RESTART drops the text so far."
  (let ((buffer (ghostline-stream--buffer id action)))
    (setq ghostline-stream-last id)
    (with-current-buffer buffer
      (when restart
        ;; A fallback model starts over: the text so far is dropped.
        (let ((inhibit-read-only t))
          (erase-buffer)))
      (ghostline-stream--append buffer delta)
      (when (eq done t)
        (cond (error
               (ghostline-stream--append buffer (format "%s[%s]" (if (= (buffer-size) 0) "" "\n\n") error))
               (setq ghostline-stream-state 'error)
               (setq header-line-format (format "ghostline · %s · failed: %s" action error)))
              (t
               (when (and final (= (buffer-size) 0))
                 (ghostline-stream--append buffer final))
               (setq ghostline-stream-state 'done)
               (setq header-line-format (format "ghostline · %s · done" action))))))))

(defun ghostline-show-output ()
  "Show the output buffer of the last action."
  (interactive)
  (let ((run (and ghostline-stream-last (gethash ghostline-stream-last ghostline-stream-runs))))
    (if (and run (buffer-live-p (plist-get run :buffer)))
        (pop-to-buffer (plist-get run :buffer))
      (message "ghostline: no action output yet"))))

(provide 'ghostline-stream)
;;; ghostline-stream.el ends here
