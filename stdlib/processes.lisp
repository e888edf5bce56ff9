;;;; processes.lisp — the Lisp half of CCL's processes and locks: the lock macros,
;;;; SETF of process accessors and the lock conditions (the natives are builtins/process.c, locks.c).

(export '(ccl::with-lock-grabbed ccl::with-read-lock ccl::with-write-lock ccl::without-interrupts
          ccl::with-interrupts-enabled)
        "CCL")

(define-condition ccl::lock-protocol-error (control-error)
  ((ccl::lock :initarg :lock :reader ccl::lock-protocol-error-lock)))

(define-condition ccl::not-lock-owner (ccl::lock-protocol-error) ()
  (:report (lambda (c s)
             (format s "Current process ~s does not own lock ~s"
                     ccl:*current-process* (ccl::lock-protocol-error-lock c)))))

(define-condition ccl::deadlock (ccl::lock-protocol-error) ()
  (:report (lambda (c s)
             (format s "Requested operation on ~s would cause deadlock." (ccl::lock-protocol-error-lock c)))))

(define-condition ccl::not-locked (ccl::lock-protocol-error) ()
  (:report (lambda (c s)
             (format s "Lock ~s isn't locked." (ccl::lock-protocol-error-lock c)))))

(defsetf ccl:process-name ccl::%set-process-name)
(defsetf ccl:process-priority ccl::%set-process-priority)
(defsetf ccl:process-plist ccl::%set-process-plist)

(defmacro ccl:with-lock-grabbed ((lock &optional (whostate "Lock")) &body body)
  "Wait until LOCK can be obtained, then evaluate BODY with the lock held; release it however BODY exits."
  (declare (ignore whostate))
  (let ((locked (gensym "LOCKED")) (l (gensym "LOCK")))
    `(let ((,locked (ccl:make-lock-acquisition))
           (,l ,lock))
       (unwind-protect
            (progn (ccl:grab-lock ,l ,locked) ,@body)
         (when (ccl:lock-acquisition-status ,locked) (ccl:release-lock ,l))))))

(defmacro ccl::with-lock-grabbed-maybe ((lock &optional (whostate "Lock")) &body body)
  "Evaluate BODY with LOCK held if it can be obtained without waiting; else return NIL at once."
  (declare (ignore whostate))
  (let ((l (gensym "LOCK")))
    `(let ((,l ,lock))
       (when (ccl:try-lock ,l)
         (unwind-protect (progn ,@body) (ccl:release-lock ,l))))))

(defmacro ccl:with-read-lock ((lock) &body body)
  "Wait until LOCK (a read-write lock) is available for reading, then evaluate BODY with the read lock held."
  (let ((locked (gensym "LOCKED")) (l (gensym "LOCK")))
    `(let ((,locked (ccl:make-lock-acquisition))
           (,l ,lock))
       (unwind-protect
            (progn (ccl::read-lock-rwlock ,l ,locked) ,@body)
         (when (ccl:lock-acquisition-status ,locked) (ccl::unlock-rwlock ,l))))))

(defmacro ccl:with-write-lock ((lock) &body body)
  "Wait until LOCK (a read-write lock) is free, then evaluate BODY holding it for writing."
  (let ((locked (gensym "LOCKED")) (l (gensym "LOCK")))
    `(let ((,locked (ccl:make-lock-acquisition))
           (,l ,lock))
       (unwind-protect
            (progn (ccl::write-lock-rwlock ,l ,locked) ,@body)
         (when (ccl:lock-acquisition-status ,locked) (ccl::unlock-rwlock ,l))))))

(defmacro ccl:without-interrupts (&body body)
  "Evaluate BODY with PROCESS-INTERRUPT requests (PROCESS-KILL among them) and Ctrl-C deferred until it is done."
  `(let* ((ccl::*interrupt-level* -1))
     ,@body))

(defmacro ccl:with-interrupts-enabled (&body body)
  "Evaluate BODY with PROCESS-INTERRUPT requests taking effect at once, even inside WITHOUT-INTERRUPTS."
  `(let* ((ccl::*interrupt-level* 0))
     ,@body))
