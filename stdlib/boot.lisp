;;;; boot.lisp — the first definitions: DEFMACRO and DEFUN themselves, then the
;;;; definers and control macros every later file is written with.

(ccl::%defmacro 'defmacro
  (ccl::%macro-lambda defmacro (name lambda-list &body body)
    `(ccl::%defmacro ',name (ccl::%macro-lambda ,name ,lambda-list ,@body))))

(defmacro in-package (name)
  `(eval-when (:compile-toplevel :load-toplevel :execute)
     (setq *package* (ccl::%find-package-or-lose ',name))))

(defmacro lambda (&whole form &rest bvl-and-body)
  (declare (ignore bvl-and-body))
  `(function ,form))

(defmacro defun (name lambda-list &body body)
  `(ccl::%defun ',name (ccl::%named-lambda ,name ,lambda-list ,@body)))

(defmacro when (test &body body) `(if ,test (progn ,@body) nil))
(defmacro unless (test &body body) `(if ,test nil (progn ,@body)))

(defmacro and (&rest forms)
  (if (null forms)
      t
      (if (null (cdr forms))
          (car forms)
          `(if ,(car forms) (and ,@(cdr forms)) nil))))

(defmacro or (&rest forms)
  (if (null forms)
      nil
      (if (null (cdr forms))
          (car forms)
          (let ((g (gensym)))
            `(let ((,g ,(car forms))) (if ,g ,g (or ,@(cdr forms))))))))

(defmacro cond (&rest clauses)
  (if (null clauses)
      nil
      (let ((clause (car clauses)))
        (if (not (consp clause))
            (error 'simple-program-error
                   :format-control "Malformed COND clause: ~S" :format-arguments (list clause)))
        (if (null (cdr clause))
            (let ((g (gensym)))
              `(let ((,g ,(car clause))) (if ,g ,g (cond ,@(cdr clauses)))))
            (if (and (eq (car clause) t) (null (cdr clauses)))
                `(progn ,@(cdr clause))
                `(if ,(car clause) (progn ,@(cdr clause)) (cond ,@(cdr clauses))))))))

(defmacro defvar (name &optional (value nil valuep) (doc nil docp))
  `(progn (ccl::%proclaim-special ',name)
          ,@(when valuep `((unless (boundp ',name) (set ',name ,value))))
          ,@(when docp `((ccl::%set-documentation ',name 'variable ,doc)))
          ',name))

(defmacro defparameter (name value &optional (doc nil docp))
  `(progn (ccl::%proclaim-special ',name)
          (set ',name ,value)
          ,@(when docp `((ccl::%set-documentation ',name 'variable ,doc)))
          ',name))

(defmacro defconstant (name value &optional (doc nil docp))
  `(progn (ccl::%defconstant ',name ,value)
          ,@(when docp `((ccl::%set-documentation ',name 'variable ,doc)))
          ',name))

(defmacro prog1 (first &body rest)
  (let ((g (gensym))) `(let ((,g ,first)) ,@rest ,g)))

(defmacro prog2 (first second &body rest)
  `(progn ,first (prog1 ,second ,@rest)))

(defmacro return (&optional value) `(return-from nil ,value))

(defmacro multiple-value-bind (vars values-form &body body)
  `(multiple-value-call (lambda (&optional ,@vars &rest ,(gensym)) ,@body) ,values-form))

(defmacro destructuring-bind (lambda-list expression &body body)
  `(ccl::%destructuring-bind ,lambda-list ,expression ,@body))

(defmacro multiple-value-list (form) `(multiple-value-call #'list ,form))

(defmacro nth-value (n form) `(nth ,n (multiple-value-list ,form)))

(defmacro dolist ((var list-form &optional result) &body body)
  (let ((l (gensym "LIST")))
    `(block nil
       (let ((,l ,list-form))
         (tagbody
          next
            (if (null ,l) (go end))
            (let ((,var (car ,l)))
              ,@body)
            (setq ,l (cdr ,l))
            (go next)
          end)
         (let ((,var nil)) (declare (ignorable ,var)) ,result)))))

(defmacro dotimes ((var count-form &optional result) &body body)
  (let ((n (gensym "COUNT")))
    `(block nil
       (let ((,n ,count-form) (,var 0))
         (declare (ignorable ,n))
         (tagbody
          next
            (if (>= ,var ,n) (go end))
            ,@body
            (setq ,var (1+ ,var))
            (go next)
          end)
         ,result))))

