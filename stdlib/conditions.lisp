;;;; conditions.lisp — the condition system's macros (HANDLER-BIND, HANDLER-CASE, RESTART-CASE,
;;;; DEFINE-CONDITION, CHECK-TYPE, ASSERT ...) over the natives of builtins/conditions.c.

(defun ccl::%condition-syntax-error (control &rest args)
  (error 'ccl::simple-program-error :format-control control :format-arguments args))

;;; ---- Handlers ----

;; (handler-bind ((type handler) ...) . forms): the cluster is a list of (type . function).
(defmacro handler-bind (bindings &body forms)
  "Evaluates FORMS with condition handlers: each binding is (TYPE HANDLER), and HANDLER is called
   with a signalled condition of TYPE, without unwinding; it declines by returning."
  (if (null bindings)
      `(progn ,@forms)
      `(ccl::%with-handlers
        (list ,@(mapcar (lambda (b)
                          (unless (and (consp b) (consp (cdr b)) (null (cddr b)))
                            (ccl::%condition-syntax-error "Malformed handler binding: ~S" b))
                          `(cons ',(car b) ,(cadr b)))
                        bindings))
        (lambda () ,@forms))))

(defun ccl::%handler-case-expand (form clauses)
  (if (null clauses)
      form
      (let ((block (gensym "HANDLER-CASE"))
            (var (gensym "CONDITION"))
            (bindings nil)
            (bodies nil))
        (dolist (c clauses)
          (unless (and (consp c) (consp (cdr c)) (listp (cadr c)) (null (cdr (cadr c))))
            (ccl::%condition-syntax-error "Malformed HANDLER-CASE clause: ~S" c))
          (when (eq (car c) :no-error)
            (ccl::%condition-syntax-error "Duplicate :no-error clause. "))
          (let ((tag (gensym "HANDLER"))
                (arg (gensym "C")))
            (push `(cons ',(car c) (lambda (,arg) (setq ,var ,arg) (go ,tag))) bindings)
            (push tag bodies)
            (push `(return-from ,block
                     ,(if (cadr c)
                          `(let ((,(car (cadr c)) ,var)) ,@(cddr c))
                          `(let () ,@(cddr c))))
                  bodies)))
        `(block ,block
           (let ((,var nil))
             (tagbody
                (return-from ,block
                  (ccl::%with-handlers (list ,@(nreverse bindings)) (lambda () ,form)))
                ,@(nreverse bodies)))))))

(defmacro handler-case (form &rest clauses)
  "Evaluates FORM; if a condition matching a clause (TYPE ([VAR]) BODY...) is signalled, unwinds
   and returns that clause's BODY values. A :NO-ERROR clause receives FORM's values when none is."
  (let ((no-error (assoc :no-error clauses)))
    (when (and no-error (assoc :no-error (cdr (member no-error clauses))))
      (ccl::%condition-syntax-error "Duplicate :no-error clause. "))
    (if no-error
        (let ((normal (gensym "NORMAL"))
              (error-return (gensym "ERROR-RETURN"))
              (others nil))
          (dolist (c clauses) (unless (eq c no-error) (push c others)))
          `(block ,error-return
             (multiple-value-call (lambda ,@(cdr no-error))
               (block ,normal
                 (return-from ,error-return
                   (handler-case (return-from ,normal ,form)
                     ,@(nreverse others)))))))
        (ccl::%handler-case-expand form clauses))))

(defmacro ignore-errors (&rest forms)
  "Evaluates FORMS and returns their values; if an ERROR is signalled, returns NIL and the
   condition instead."
  (let ((c (gensym "CONDITION")))
    `(handler-case (progn ,@forms)
       (error (,c) (values nil ,c)))))

;;; ---- Restarts ----

(defmacro restart-bind (bindings &body forms)
  "Evaluates FORMS with restarts established: each binding is (NAME FUNCTION . options), and
   invoking the restart calls FUNCTION without unwinding."
  `(ccl::%with-restarts
    (list ,@(mapcar (lambda (b)
                      (unless (and (consp b) (symbolp (car b)) (consp (cdr b)))
                        (ccl::%condition-syntax-error "Malformed RESTART-BIND binding: ~S" b))
                      (destructuring-bind (name function &key interactive-function report-function
                                                test-function)
                          b
                        `(ccl::%make-restart ',name ,function ,report-function ,interactive-function
                                             ,test-function)))
                    bindings))
    (lambda () ,@forms)))

;; (name lambda-list [:report r] [:interactive i] [:test t] . body) -> 6 values
(defun ccl::%parse-restart-clause (clause)
  (unless (and (consp clause) (symbolp (car clause)) (consp (cdr clause)) (listp (cadr clause)))
    (ccl::%condition-syntax-error "Malformed RESTART-CASE clause: ~S" clause))
  (let ((body (cddr clause)) (report nil) (interactive nil) (test nil))
    (loop
      (cond ((and (eq (car body) :report) (consp (cdr body))) (setq report (cadr body)))
            ((and (eq (car body) :interactive) (consp (cdr body))) (setq interactive (cadr body)))
            ((and (eq (car body) :test) (consp (cdr body))) (setq test (cadr body)))
            (t (return)))
      (setq body (cddr body)))
    (values (car clause) (cadr clause)
            (cond ((null report) nil) ((stringp report) report) (t `(function ,report)))
            (if interactive `(function ,interactive) nil)
            (if test `(function ,test) nil)
            body)))

;; When the form signals (SIGNAL, ERROR, CERROR, WARN), its condition is made first and
;; the new restarts are associated with it, as CLHS RESTART-CASE says.
(defun ccl::%restart-case-form (form env restarts)
  (let ((expansion (macroexpand form env)))
    (if (and (consp expansion) (member (car expansion) '(signal error cerror warn)))
        (let ((c (gensym "CONDITION"))
              (head (car expansion)))
          (if (eq head 'cerror)
              `(let ((,c (ccl::%condition-arg ,(caddr expansion) (list ,@(cdddr expansion)) 'simple-error)))
                 (ccl::%associate-restarts ,c ,restarts)
                 (cerror ,(cadr expansion) ,c ,@(cdddr expansion)))
              `(let ((,c (ccl::%condition-arg ,(cadr expansion) (list ,@(cddr expansion))
                                              ',(case head
                                                  (error 'simple-error)
                                                  (warn 'simple-warning)
                                                  (t 'simple-condition)))))
                 (ccl::%associate-restarts ,c ,restarts)
                 (,head ,c))))
        expansion)))

(defmacro restart-case (&environment env form &rest clauses)
  "Evaluates FORM with a restart for each clause (NAME LAMBDA-LIST . BODY); invoking one unwinds
   and returns the values of its BODY applied to the restart's arguments."
  (if (null clauses)
      form
      (let ((block (gensym "RESTART-CASE"))
            (args (gensym "ARGS"))
            (restarts (gensym "RESTARTS"))
            (makers nil)
            (bodies nil))
        (dolist (clause clauses)
          (multiple-value-bind (name lambda-list report interactive test body)
              (ccl::%parse-restart-clause clause)
            (let ((tag (gensym "RESTART"))
                  (rest (gensym "REST")))
              (push `(ccl::%make-restart ',name (lambda (&rest ,rest) (setq ,args ,rest) (go ,tag))
                                         ,report ,interactive ,test)
                    makers)
              (push tag bodies)
              (push `(return-from ,block (apply (lambda ,lambda-list ,@body) ,args)) bodies))))
        `(block ,block
           (let ((,args nil))
             (tagbody
                (let ((,restarts (list ,@(nreverse makers))))
                  (return-from ,block
                    (ccl::%with-restarts ,restarts
                                         (lambda () ,(ccl::%restart-case-form form env restarts)))))
                ,@(nreverse bodies)))))))

(defmacro with-simple-restart ((restart-name format-control &rest format-arguments) &body forms)
  "Evaluates FORMS with a restart named RESTART-NAME, described by FORMAT-CONTROL and
   FORMAT-ARGUMENTS; invoking it returns NIL and T."
  (let ((s (gensym "STREAM")))
    `(restart-case (progn ,@forms)
       (,restart-name ()
         :report (lambda (,s) (ccl::%format ,s ,format-control (list ,@format-arguments)))
         (values nil t)))))

(defmacro with-condition-restarts (condition-form restarts-form &body forms)
  "Evaluates FORMS with the restarts RESTARTS-FORM returns associated with the condition
   CONDITION-FORM returns."
  (let ((c (gensym "CONDITION")) (rs (gensym "RESTARTS")))
    `(let ((,c ,condition-form) (,rs ,restarts-form))
       (ccl::%associate-restarts ,c ,rs)
       (unwind-protect (progn ,@forms)
         (ccl::%dissociate-restarts ,c ,rs)))))

;;; ---- DEFINE-CONDITION ----

(defun ccl::%define-condition-slot (spec)
  (let* ((spec (if (consp spec) spec (list spec)))
         (name (car spec))
         (initargs nil) (readers nil) (writers nil)
         (initform nil) (initformp nil) (doc nil))
    (unless (symbolp name) (ccl::%condition-syntax-error "Malformed slot specification: ~S" spec))
    (do ((opts (cdr spec) (cddr opts))) ((null opts))
      (unless (consp (cdr opts)) (ccl::%condition-syntax-error "Malformed slot specification: ~S" spec))
      (case (car opts)
        (:initarg (push (cadr opts) initargs))
        (:initform (setq initform (cadr opts) initformp t))
        (:reader (push (cadr opts) readers))
        (:writer (push (cadr opts) writers))
        (:accessor (push (cadr opts) readers) (push `(setf ,(cadr opts)) writers))
        (:documentation (setq doc (cadr opts)))
        ((:type :allocation) nil)
        (t (ccl::%condition-syntax-error "Invalid slot option ~S in ~S" (car opts) spec))))
    (values `(list :name ',name :initargs ',(reverse initargs)
                   ,@(if initformp `(:initform ',initform :initfunction (lambda () ,initform)) nil)
                   :readers ',(reverse readers) :writers ',(reverse writers)
                   ,@(if doc `(:documentation ,doc) nil))
            name (reverse readers) (reverse writers))))

(defmacro define-condition (name parent-types slot-specs &rest options)
  "Defines NAME as a condition type inheriting from PARENT-TYPES, with SLOT-SPECS and options
   :REPORT, :DOCUMENTATION and :DEFAULT-INITARGS."
  (let ((report nil) (doc nil) (initargs nil) (slot-forms nil) (accessors nil))
    (dolist (option options)
      (unless (and (consp option) (consp (cdr option)))
        (ccl::%condition-syntax-error "Invalid option ~s ." option))
      (case (car option)
        (:report (setq report (if (stringp (cadr option)) (cadr option) `(function ,(cadr option)))))
        (:documentation (setq doc (cadr option)))
        (:default-initargs
         (do ((p (cdr option) (cddr p))) ((null p))
           (push `(list ',(car p) ',(cadr p) (lambda () ,(cadr p))) initargs)))
        (t (ccl::%condition-syntax-error "Invalid option ~s ." option))))
    (dolist (spec slot-specs)
      (multiple-value-bind (form slot readers writers) (ccl::%define-condition-slot spec)
        (push form slot-forms)
        (dolist (r readers)
          (push `(defun ,r (condition) (ccl::%condition-slot-value condition ',slot)) accessors))
        (dolist (w writers)
          (push `(defun ,w (value condition) (ccl::%set-condition-slot-value condition ',slot value))
                accessors))))
    `(progn
       (ccl::%define-condition ',name ',parent-types (list ,@(reverse slot-forms)) ,report
                               (list ,@(reverse initargs)) ,doc)
       ,@(reverse accessors)
       ',name)))

;;; ---- CHECK-TYPE and ASSERT ----

(defun ccl::%check-type (value typespec placename typename)
  (let ((condition (make-condition 'type-error :datum value :expected-type typespec)))
    (when typename
      (ccl::%set-condition-slot-value condition 'ccl::format-control
                                      (ccl::%format nil "value ~~S is not ~A (~~S)." (list typename))))
    (restart-case (error condition)
      (store-value (new)
        :report (lambda (s) (ccl::%format s "Assign a new value of type ~a to ~s" (list typespec placename)))
        :interactive (lambda ()
                       (ccl::%format *query-io* "~&New value for ~S :" (list placename))
                       (list (eval (read *query-io*))))
        new))))

(defmacro check-type (place typespec &optional string)
  "Signals a correctable TYPE-ERROR unless the value of PLACE is of type TYPESPEC; the STORE-VALUE
   restart sets PLACE to a new value and checks again."
  (let ((tag (gensym "CHECK-TYPE")))
    `(tagbody
        ,tag
        (unless (typep ,place ',typespec)
          (setf ,place (ccl::%check-type ,place ',typespec ',place ,string))
          (go ,tag)))))

(defun ccl::%assertion-failure (test-form places-p datum &rest arguments)
  (cerror (if places-p
              "allow some places to be set and test the assertion again."
              "test the assertion again.")
          (cond ((stringp datum)
                 (make-condition 'simple-error :format-control datum :format-arguments arguments))
                ((null datum)
                 (make-condition 'simple-error :format-control "Failed assertion: ~S"
                                               :format-arguments (list test-form)))
                ((typep datum 'condition) datum)
                (t (apply #'make-condition datum arguments)))))

(defmacro assert (test-form &optional places datum &rest arguments)
  "Signals a correctable error if TEST-FORM is false; the CONTINUE restart lets the user give new
   values for PLACES and tests again. DATUM and ARGUMENTS make the condition, as for ERROR."
  (let ((tag (gensym "ASSERT")))
    `(tagbody
        ,tag
        (unless ,test-form
          (ccl::%assertion-failure ',test-form ,(if places t nil) ,datum ,@arguments)
          (go ,tag)))))
