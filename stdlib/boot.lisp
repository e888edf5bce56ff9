;;;; boot.lisp — the first definitions: DEFMACRO and DEFUN themselves, then the
;;;; definers and control macros every later file is written with.

(ccl::%defmacro 'defmacro
  (ccl::%macro-lambda defmacro (name lambda-list &body body)
    "Defines NAME as a global macro: a call (NAME . args) is replaced by the form BODY computes
     from ARGS, destructured by LAMBDA-LIST."
    `(ccl::%defmacro ',name (ccl::%macro-lambda ,name ,lambda-list ,@body))))

(defmacro in-package (name)
  "Makes the package named NAME the current package (*PACKAGE*), also at compile time."
  `(eval-when (:compile-toplevel :load-toplevel :execute)
     (setq *package* (ccl::%find-package-or-lose ',name))))

(defmacro lambda (&whole form &rest bvl-and-body)
  "(LAMBDA lambda-list . body) is short for #'(LAMBDA lambda-list . body): an anonymous function."
  (declare (ignore bvl-and-body))
  `(function ,form))

(defmacro defun (name lambda-list &body body)
  "Defines NAME as a global function with LAMBDA-LIST and BODY (an implicit BLOCK named NAME)."
  `(ccl::%defun ',name (ccl::%named-lambda ,name ,lambda-list ,@body)))

(defmacro when (test &body body)
  "Evaluates BODY as a PROGN if TEST is true, and returns NIL otherwise."
  `(if ,test (progn ,@body) nil))
(defmacro unless (test &body body)
  "Evaluates BODY as a PROGN if TEST is false, and returns NIL otherwise."
  `(if ,test nil (progn ,@body)))

(defmacro and (&rest forms)
  "Evaluates FORMS left to right, stopping at the first that returns NIL; returns the values of the
   last form evaluated, or T if there are none."
  (if (null forms)
      t
      (if (null (cdr forms))
          (car forms)
          `(if ,(car forms) (and ,@(cdr forms)) nil))))

(defmacro or (&rest forms)
  "Evaluates FORMS left to right, stopping at the first that returns true and returning that value;
   NIL if none does."
  (if (null forms)
      nil
      (if (null (cdr forms))
          (car forms)
          (let ((g (gensym)))
            `(let ((,g ,(car forms))) (if ,g ,g (or ,@(cdr forms))))))))

(defmacro cond (&rest clauses)
  "Each clause is (TEST FORM...): evaluates the FORMs of the first clause whose TEST is true and
   returns the last one's values (TEST's value if there are none); NIL if no TEST is true."
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
  "Proclaims NAME special and, if it is unbound, sets it to VALUE; an existing value is left alone.
   DOC becomes its variable documentation."
  `(progn (ccl::%proclaim-special ',name)
          ,@(when valuep `((unless (boundp ',name) (set ',name ,value))))
          ,@(when docp `((ccl::%set-documentation ',name 'variable ,doc)))
          ',name))

(defmacro defparameter (name value &optional (doc nil docp))
  "Proclaims NAME special and sets it to VALUE, every time the form is evaluated. DOC becomes its
   variable documentation."
  `(progn (ccl::%proclaim-special ',name)
          (set ',name ,value)
          ,@(when docp `((ccl::%set-documentation ',name 'variable ,doc)))
          ',name))

(defmacro defconstant (name value &optional (doc nil docp))
  "Defines NAME as a constant whose value is VALUE; it may not be bound or assigned afterwards."
  `(progn (ccl::%defconstant ',name ,value)
          ,@(when docp `((ccl::%set-documentation ',name 'variable ,doc)))
          ',name))

(defmacro prog1 (first &body rest)
  "Evaluates FIRST, then the REST forms, and returns the primary value of FIRST."
  (let ((g (gensym))) `(let ((,g ,first)) ,@rest ,g)))

(defmacro prog2 (first second &body rest)
  "Evaluates FIRST, SECOND, then the REST forms, and returns the primary value of SECOND."
  `(progn ,first (prog1 ,second ,@rest)))

(defmacro return (&optional value)
  "Returns VALUE (default NIL) from the lexically enclosing BLOCK named NIL, as DO, DOLIST and LOOP
   establish."
  `(return-from nil ,value))

(defmacro multiple-value-bind (vars values-form &body body)
  "Binds VARS to the values of VALUES-FORM (NIL for missing ones, extra values ignored), then
   evaluates BODY."
  `(multiple-value-call (lambda (&optional ,@vars &rest ,(gensym)) ,@body) ,values-form))

(defmacro destructuring-bind (lambda-list expression &body body)
  "Binds the variables of LAMBDA-LIST to the parts of the list EXPRESSION returns, as a macro
   lambda list would, then evaluates BODY."
  `(ccl::%destructuring-bind ,lambda-list ,expression ,@body))

(defmacro multiple-value-list (form)
  "Returns a list of the values FORM returns."
  `(multiple-value-call #'list ,form))

(defmacro nth-value (n form)
  "Returns the Nth value (zero-based) of FORM, or NIL if it returns fewer."
  `(nth ,n (multiple-value-list ,form)))

(defmacro dolist ((var list-form &optional result) &body body)
  "Evaluates BODY with VAR bound to each element of the list LIST-FORM in turn, then returns RESULT
   (default NIL); the loop is a BLOCK named NIL."
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
  "Evaluates BODY with VAR bound to 0, 1, ... up to one less than COUNT-FORM, then returns RESULT
   (default NIL); the loop is a BLOCK named NIL."
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

