;;;; streams.lisp — the stream macros: WITH-OPEN-FILE, WITH-OPEN-STREAM,
;;;; WITH-OUTPUT-TO-STRING, WITH-INPUT-FROM-STRING.

(defmacro with-open-stream ((var stream) &body body)
  "Evaluates BODY with VAR bound to STREAM, and closes the stream on exit, normal or not."
  (multiple-value-bind (decls forms) (ccl::%split-declarations body)
    `(let ((,var ,stream))
       ,@decls
       (unwind-protect (progn ,@forms)
         (when ,var (close ,var))))))

(defmacro with-open-file ((var filespec &rest options) &body body)
  "Evaluates BODY with VAR bound to the stream OPEN returns for FILESPEC and OPTIONS, and closes it
   on exit (with :ABORT T on a non-local exit)."
  (multiple-value-bind (decls forms) (ccl::%split-declarations body)
    (let ((abort (gensym "ABORT")))
      `(let ((,var (open ,filespec ,@options))
             (,abort t))
         ,@decls
         (unwind-protect
              (multiple-value-prog1 (progn ,@forms) (setq ,abort nil))
           (when ,var (close ,var :abort ,abort)))))))

(defmacro with-output-to-string ((var &optional string &key element-type) &body body)
  "Evaluates BODY with VAR bound to an output stream to a string, and returns the string; given
   STRING (with a fill pointer), output goes onto it instead and BODY's values are returned."
  (declare (ignore element-type))
  (multiple-value-bind (decls forms) (ccl::%split-declarations body)
    (if string
        `(let ((,var (ccl::%make-fill-pointer-output-stream ,string)))
           ,@decls
           (unwind-protect (progn ,@forms) (close ,var)))
        `(let ((,var (make-string-output-stream)))
           ,@decls
           (unwind-protect (progn ,@forms (get-output-stream-string ,var))
             (close ,var))))))

(defmacro with-input-from-string ((var string &key index (start 0) end) &body body)
  "Evaluates BODY with VAR bound to an input stream reading STRING from START to END; if INDEX is a
   place, it is set to the position reached."
  (multiple-value-bind (decls forms) (ccl::%split-declarations body)
    `(let ((,var (make-string-input-stream ,string ,start ,end)))
       ,@decls
       (multiple-value-prog1 (unwind-protect (progn ,@forms) (close ,var))
         ,@(when index `((setf ,index (ccl::%string-input-stream-index ,var))))))))
