;;;; listener.lisp — CCL's break loop (the nested read-eval-print loop an unhandled error enters
;;;; in the listener), its colon commands, and the Ctrl-C interrupt (CCL::%INTERRUPT).

(defvar *break-level* 0 "The listener's break level: 0 at the top level, N in the Nth nested break loop.")
(defvar *break-condition* nil "The condition of the innermost break loop.")
(defvar ccl::*break-frames* nil "The call frames (name arg...) of the innermost break loop, innermost first.")
(defvar ccl::*%last-continue* nil)
(defvar ccl::*%break-function* nil "The erring function's name in the innermost break loop.")
;; Set when a listener command (not user code) invokes an ABORT restart, which then
;; returns to its own level as its report says; a bare (ABORT) typed in a break loop
;; leaves that level instead.
(defvar ccl::*%listener-abort* nil)

;; No FORCE-OUTPUT: reading stdin flushes stdout first, and with readline the prompt
;; must still be in the buffer so that the line reader can show it as its own.
(defun ccl::%listener-prompt ()
  (fresh-line)
  (if (plusp *break-level*)
      (format t "~D > " *break-level*)
      (write-string "? ")))

(defun ccl::%abort-break ()
  (setq ccl::*%listener-abort* t)
  (invoke-restart 'ccl::abort-break))

(defun ccl::%toplevel ()
  (let ((top nil))
    (dolist (r (compute-restarts))
      (when (eq (restart-name r) 'abort) (setq top r)))
    (setq ccl::*%listener-abort* t)
    (invoke-restart top)))

(defun ccl::%display-restarts ()
  (let ((n 0))
    (dolist (r (compute-restarts *break-condition*))
      (format t "~&~D. ~A" n r)
      (incf n))
    (fresh-line)))

(defun ccl::%list-restarts ()
  (let ((prefix (format nil "~@[~D ~]>" (and (plusp *break-level*) *break-level*))))
    (when *break-condition*
      (format t "~&~A ~A~%" prefix *break-condition*)
      (when ccl::*%break-function*
        (format t "~&~A While executing: ~S, in process ~A.~%" prefix ccl::*%break-function* (ccl::%current-process-label))))
    (format t "~&~A Type (:C <n>) to invoke one of the following restarts:" prefix))
  (ccl::%display-restarts))

(defun ccl::%select-restart (n)
  (let ((restarts (compute-restarts *break-condition*)))
    (unless (and (integerp n) (< -1 n (length restarts)))
      (error 'type-error :datum n :expected-type `(integer 0 (,(length restarts)))))
    (let ((r (nth n restarts)))
      (when (eq (restart-name r) 'abort) (setq ccl::*%listener-abort* t))
      (invoke-restart-interactively r))))

;; :B prints each frame as CCL's PRINT-CALL-HISTORY does with *BACKTRACE-FORMAT* :DIRECT
;; and no frame contents, "  0: (F 5) at pc +29", less " at pc +29": Clove has no program
;; counter to show (CCL's default :TRADITIONAL format adds frame addresses too). As there, the
;; call prints with PRINC, each argument with PRIN1 under *PRINT-LEVEL* 2, *PRINT-LENGTH* 5,
;; and START numbers the first frame shown, COUNT says how many.
(defun ccl::%backtrace (&key (start 0) count)
  (let ((i 0)
        (*print-circle* nil))
    (dolist (f ccl::*break-frames*)
      (when (and count (>= i (+ start count))) (return))
      (when (>= i start)
        (format t "~&~3D: ~A" i
                (cons (car f)
                      (mapcar (lambda (arg)
                                (let ((*print-level* 2) (*print-length* 5))
                                  (prin1-to-string arg)))
                              (cdr f)))))
      (incf i))
    (fresh-line)))

(defparameter ccl::*break-commands*
  '((:pop () "exit current break loop")
    (:a () "exit current break loop")
    (:go () "continue")
    (:q () "return to toplevel")
    (:r () "show error and list restarts")
    (:b (&key start count) "backtrace")
    (:c (&optional n) "Choose restart <n>. If no <n>, continue")
    (:proc (&optional p) "Show information about specified process <p>/all processes")
    (:kill (p) "Kill process whose name or ID matches <p>")
    (:? () "help")))

(defun ccl::%listener-help ()
  (format t "~&The following toplevel commands are available:")
  (format t "~& <n>  ~8Tthe same as (:C <n>)")
  (dolist (c ccl::*break-commands*)
    (if (cadr c)
        (format t "~& (~S~{ ~A~}) ~8T~A" (car c) (cadr c) (caddr c))
        (format t "~& ~S  ~8T~A" (car c) (caddr c))))
  (format t "~&Any other form is evaluated and its results are printed out.~%"))

;; Returns true when FORM was a command of the break loop (and ran it).
(defun ccl::%break-command (command args)
  (case command
    ((:pop :a) (ccl::%abort-break) t)
    (:go (continue) t)
    (:q (ccl::%toplevel) t)
    (:r (ccl::%list-restarts) t)
    (:b (apply #'ccl::%backtrace args) t)
    (:c (if args (ccl::%select-restart (car args)) (continue)) t)
    (:proc (ccl::%show-processes (car args)) t)
    (:kill (let ((p (ccl::find-process (car args)))) (when p (process-kill p))) t)
    (:? (ccl::%listener-help) t)
    (t nil)))

;; At the top level only CCL's global commands are commands; any other keyword is a value.
(defun ccl::%toplevel-command (form)
  (let ((command (if (consp form) (car form) form)))
    (when (member command '(:proc :kill :?))
      (ccl::%break-command command (if (consp form) (cdr form))))))

;; CCL's :PROC: serial number, an arrow at the current process, name, [whostate].
(defun ccl::%show-processes (&optional p)
  (flet ((show (proc)
           (format t "~&~d : ~a ~a ~25t[~a] " (process-serial-number proc)
                   (if (eq proc *current-process*) "->" "  ")
                   (process-name proc) (process-whostate proc))
           (fresh-line)))
    (if p
        (let ((proc (ccl::find-process p)))
          (if proc (show proc) (format t "~&;; not found - ~s" p)))
        (dolist (proc (all-processes)) (show proc)))
    (values)))

(defun ccl::%listener-print (form values)
  (setq *** ** ** * * (car values)
        +++ ++ ++ + + form
        /// // // / / values)
  (fresh-line)
  (dolist (v values)
    (prin1 v)
    (terpri))
  (force-output))

;; A line that starts with a colon is a command and its arguments, as CCL reads it:
;; :R, :C 1 (and (:C 1), or a bare number, read as forms).
;; Ctrl-C on a continuation line drops the form being typed (the line reader throws to
;; CCL::%ABANDON-FORM); the caller sees CCL::%ABANDONED and prompts again.
(defun ccl::%read-command-or-form (stream eof)
  (catch 'ccl::%abandon-form
    (return-from ccl::%read-command-or-form (ccl::%read-command-or-form-1 stream eof)))
  'ccl::%abandoned)

(defun ccl::%read-command-or-form-1 (stream eof)
  (let ((c (peek-char t stream nil eof)))
    (cond
      ((eq c eof) eof) ; a terminal's end of file is not seen twice
      ((eql c #\:)
        (let ((line (read-line stream nil ""))
              (args nil))
          (with-input-from-string (in line)
            (let ((command (read in nil eof)))
              (loop
                (let ((x (read in nil eof)))
                  (when (eq x eof) (return))
                  (push (eval x) args)))
              (if (and (keywordp command) args) (cons command (nreverse args)) command)))))
      (t (read stream nil eof)))))

(defun ccl::%break-read-eval-print (eof)
  (ccl::%listener-prompt)
  (let ((form (ccl::%read-command-or-form *standard-input* eof)))
    (cond ((eq form eof)
           ;; End of input leaves one level (a terminal's Ctrl-D; a pipe then ends at toplevel).
           (ccl::%abort-break))
          ((eq form 'ccl::%abandoned))
          ((and (keywordp form) (ccl::%break-command form nil)))
          ((and (consp form) (keywordp (car form)) (assoc (car form) ccl::*break-commands*))
           ;; As CCL's CHECK-TOPLEVEL-COMMAND: a command typed as a list gets its arguments as
           ;; written (on a line of its own, :c 1, they were evaluated as they were read).
           (ccl::%break-command (car form) (cdr form)))
          ((integerp form) (ccl::%select-restart form))
          (t
           (setq - form)
           (ccl::%listener-print form (multiple-value-list (eval form)))))))

(defun ccl::%read-loop (level)
  (let ((*break-level* level)
        (eof (list nil)))
    (loop
      (setq ccl::*%listener-abort* nil)
      (restart-case
          (loop (ccl::%break-read-eval-print eof))
        (abort ()
          :report (lambda (s) (format s "Return to break level ~D." level))
          ;; (ABORT) typed at this level leaves it, like :POP.
          (unless ccl::*%listener-abort*
            (setq ccl::*%listener-abort* t)
            (abort)))
        (ccl::abort-break ()
          :report (lambda (s) (format s "Exit break level ~D." level))
          (setq ccl::*%listener-abort* t)
          (abort)))
      (clear-input *standard-input*)
      (terpri))))

;; Called by the listener's debugger hook (interp/api.c) with what it saw of the error.
(defun ccl::%break-loop (condition label function-name frames)
  (let* ((continue (find-restart 'continue condition))
         (continuable (and continue (not (eq continue ccl::*%last-continue*))))
         (ccl::*%last-continue* continue)
         (*break-condition* condition)
         (ccl::*break-frames* frames)
         (ccl::*%break-function* function-name)
         (*print-readably* nil))
    (ccl::%break-message label condition function-name)
    (if continuable
        (progn
          (format t "~&> Type :GO to continue, :POP to abort, :R for a list of available restarts.")
          (format t "~&> If continued: ~A~%" continue))
        (format t "~&> Type :POP to abort, :R for a list of available restarts.~%"))
    (format t "~&> Type :? for other options.")
    (terpri)
    (force-output)
    (clear-input *standard-input*)
    (ccl::%read-loop (1+ *break-level*))))

;; Ctrl-C: the running code stops at its next safe point and calls this. In the listener it
;; enters the break loop, whose :GO (or (:C n) on "Return from BREAK.") resumes the computation.
(defun ccl::%interrupt ()
  (let* ((context (and ccl::*invoke-debugger-hook* (funcall 'ccl::%interrupt-context)))
         (c (make-condition 'interrupt-signal-condition))
         (hook ccl::*invoke-debugger-hook*))
    ;; The terminal echoed ^C where the cursor was: the message starts on a line of its own.
    (when (and hook (interactive-stream-p *standard-input*))
      (terpri))
    (if hook
        (restart-case (if (and (fboundp 'ccl::%listener-debugger-hook)
                                   (eq hook (symbol-function 'ccl::%listener-debugger-hook)))
                          (funcall hook c context)
                          (funcall hook c))
          (continue ()
            :report "Return from BREAK."
            nil))
        (error c))))

;;; Tab completion of keyword arguments (clove_complete_in, interp/api.c).

;; Forms whose first argument is (VAR . keyword arguments of a function).
(defparameter ccl::*completion-binding-forms*
  '((with-open-socket . make-socket) (with-open-file . open)))

;; The names of the keyword parameters in LAMBDA-LIST, as strings.
(defun ccl::%lambda-list-key-names (lambda-list)
  (let ((in-keys nil) (names nil))
    (loop
      (unless (consp lambda-list) (return (nreverse names)))
      (let ((x (pop lambda-list)))
        (cond ((eq x '&key) (setq in-keys t))
              ((member x lambda-list-keywords) (setq in-keys nil))
              ((not in-keys))
              ((symbolp x) (push (symbol-name x) names))
              ((and (consp x) (symbolp (car x))) (push (symbol-name (car x)) names))
              ((and (consp x) (consp (car x)) (symbolp (caar x))) (push (symbol-name (caar x)) names)))))))

;; The names of the keyword parameters of what a form being typed calls: OPERATOR, or the
;; function a binding form around it passes its list to (the list is element POSITION of a
;; form whose operator is OUTER). A generic function takes its methods' keywords too.
(defun ccl::%completion-keywords (operator outer position)
  (let ((name (or (and (eql position 1) (cdr (assoc outer ccl::*completion-binding-forms*)))
                  operator)))
    (when (and name (symbolp name) (fboundp name) (not (special-operator-p name)))
      (let ((gf (and (not (macro-function name)) (ccl::%gf-of (fdefinition name)))))
        (if gf
            (remove-duplicates
             (append (ccl::%lambda-list-key-names (ccl::%gf-lambda-list gf))
                     (mapcan (lambda (m) (mapcar #'symbol-name (ccl::%method-keys m)))
                             (ccl::%gf-methods gf)))
             :test #'string= :from-end t)
            (ccl::%lambda-list-key-names (ccl:arglist name)))))))
