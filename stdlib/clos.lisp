;;;; clos.lisp — CLOS over builtins/clos.c: slots, generic functions (funcallable natives with
;;;; a dispatch cache, standard method combination, congruent lambda lists), DEFCLASS.
;;;; autoload: module — read whole the first time DEFCLASS, MAKE-INSTANCE ... is used.

;;; The rest of CLOS (the instance protocol, redefinition, CHANGE-CLASS, printing, describing,
;;; socket generic functions) is in clos-instances.lisp.

(defvar %unbound-marker (make-symbol "UNBOUND"))
(defvar %class-t (find-class t))

;;; ---- Slots ----
;;; A standard instance's slots are a vector in its class's layout (builtins/clos.c); so are
;;; those of a socket whose class CHANGE-CLASS made a subclass with slots (%OBJECT-SIDE-SLOTS).

(defun %class-slot-index (class name)
  (let ((i 0))
    (dolist (s (%class-slots class) nil)
      (when (eq (getf s :name) name) (return i))
      (incf i))))

;;; The current slot vector of OBJECT, or NIL when it has none.
(defun %object-slot-vector (object)
  (cond ((%std-instance-p object) (%std-instance-current-slots object))
        ((or (typep object 'structure-object) (typep object 'condition)) (%std-instance-slots object))
        (t (let ((v (%object-side-slots object)))
             (and v (%side-slots-current object v))))))

;;; SLOT-VALUE is builtins/clos.c's: it calls this when the slot is unbound, missing, or
;;; not in an instance's own vector.
(defun %slot-value-slow (object slot-name)
  (let* ((class (class-of object))
         (vector (%object-slot-vector object))
         (i (and vector (%class-slot-index class slot-name))))
    (if i
        (let ((v (%slot-vector-ref vector i %unbound-marker)))
          (if (eq v %unbound-marker)
              (values (slot-unbound class object slot-name))
              v))
        (values (slot-missing class object slot-name 'slot-value)))))

(defun %set-slot-value (value object slot-name)
  (setf (slot-value object slot-name) value))

(defun (setf slot-value) (value object slot-name)
  (if (%set-slot-value-if-exists object slot-name value)
      value
      (let* ((vector (%object-slot-vector object))
             (i (and vector (%class-slot-index (class-of object) slot-name))))
        (if i
            (%slot-vector-set vector i value)
            (slot-missing (class-of object) object slot-name 'setf value))
        value)))

(defun slot-boundp (object slot-name)
  "True if the slot named SLOT-NAME in OBJECT has a value."
  (if (eq (%slot-value-or object slot-name %unbound-marker) %unbound-marker)
      (let* ((vector (%object-slot-vector object))
             (i (and vector (%class-slot-index (class-of object) slot-name))))
        (if i
            (not (eq (%slot-vector-ref vector i %unbound-marker) %unbound-marker))
            (values (slot-missing (class-of object) object slot-name 'slot-boundp))))
      t))

(defun slot-makunbound (object slot-name)
  "Make the slot named SLOT-NAME in OBJECT unbound; return OBJECT."
  (let* ((vector (%object-slot-vector object))
         (i (and vector (%class-slot-index (class-of object) slot-name))))
    (if i
        (%slot-vector-makunbound vector i)
        (slot-missing (class-of object) object slot-name 'slot-makunbound))
    object))

(defun slot-exists-p (object slot-name)
  "True if OBJECT has a slot named SLOT-NAME."
  (and (%object-slot-vector object) (%class-slot-index (class-of object) slot-name) t))

(defmacro with-slots (slots instance &body body)
  "Evaluate BODY with each of SLOTS (NAME or (VARIABLE NAME)) a symbol macro for SLOT-VALUE."
  (let ((obj (gensym "INSTANCE")))
    `(let ((,obj ,instance))
       (symbol-macrolet ,(mapcar (lambda (s)
                                   (if (consp s)
                                       `(,(first s) (slot-value ,obj ',(second s)))
                                       `(,s (slot-value ,obj ',s))))
                                 slots)
         ,@body))))

(defmacro with-accessors (accessors instance &body body)
  "Evaluate BODY with each (VARIABLE ACCESSOR) a symbol macro for (ACCESSOR instance)."
  (let ((obj (gensym "INSTANCE")))
    `(let ((,obj ,instance))
       (symbol-macrolet ,(mapcar (lambda (a) `(,(first a) (,(second a) ,obj))) accessors)
         ,@body))))

;;; ---- Generic functions ----
;;; The generic function itself is a native made by %MAKE-GENERIC-FUNCTION; this record holds
;;; what the Lisp side knows of it.

(defstruct (%gf (:copier nil) (:constructor %make-gf-record))
  name function lambda-list (methods nil) (nreq 0) (nopt 0) (restp nil) (keyp nil) (keys nil)
  (aok nil) (declared nil) (defgeneric-methods nil))

(defvar %all-generic-functions nil)

(defun %gf-of (fn) (%generic-function-info fn))

(defun %gf-arg (gf)
  (cond ((%gf-p gf) gf)
        ((%gf-of gf))
        ;; #'NAME taken before the library defined NAME is its autoload stub.
        ((and (functionp gf) (function-name gf) (symbolp (function-name gf))
              (progn (%autoload-now (function-name gf))
                     (and (fboundp (function-name gf)) (%gf-of (fdefinition (function-name gf)))))))
        (t (error 'type-error :datum gf :expected-type 'generic-function))))

;;; (values nreq nopt restp keyp keys aok) of a lambda list (required parameters may be
;;; specialized, as in DEFMETHOD).
(defun %analyze-lambda-list (lambda-list)
  (let ((nreq 0) (nopt 0) (restp nil) (keyp nil) (keys nil) (aok nil) (state :req))
    (dolist (x lambda-list)
      (case x
        (&optional (setq state :opt))
        ((&rest &body) (setq state :rest restp t))
        (&key (setq state :key keyp t))
        (&allow-other-keys (setq aok t))
        (&aux (setq state :aux))
        (t (case state
             (:req (incf nreq))
             (:opt (incf nopt))
             (:key (push (cond ((atom x) (intern (symbol-name x) "KEYWORD"))
                               ((consp (car x)) (caar x))
                               (t (intern (symbol-name (car x)) "KEYWORD")))
                         keys))))))
    (values nreq nopt restp keyp (nreverse keys) aok)))

(defun %make-gf (name lambda-list declared)
  (let ((gf (%make-gf-record :name name :declared declared)))
    (setf (%gf-function gf) (%make-generic-function name lambda-list gf #'%gf-miss))
    (push gf %all-generic-functions)
    (%gf-install-lambda-list gf lambda-list)
    gf))

(defun %gf-install-lambda-list (gf lambda-list)
  (multiple-value-bind (nreq nopt restp keyp keys aok) (%analyze-lambda-list lambda-list)
    (setf (%gf-lambda-list gf) lambda-list (%gf-nreq gf) nreq (%gf-nopt gf) nopt
          (%gf-restp gf) restp (%gf-keyp gf) keyp (%gf-keys gf) keys (%gf-aok gf) aok)
    (%gf-set-lambda-list (%gf-function gf) lambda-list)
    (%gf-update-dispatch gf)))

;;; How many leading arguments the dispatch keys on, and where EQL specializers are.
(defun %gf-update-dispatch (gf)
  (let ((nspec 0) (eqls nil) (nreq (%gf-nreq gf)))
    (dolist (m (%gf-methods gf))
      (let ((i 0))
        (dolist (s (%method-specializers m))
          (unless (eq s %class-t) (setq nspec (max nspec (1+ i))))
          (when (consp s)
            (unless eqls (setq eqls (make-array nreq :initial-element nil)))
            (pushnew s (svref eqls i)))
          (incf i))))
    (%gf-set-dispatch (%gf-function gf) nspec nreq
                      (if (or (%gf-restp gf) (%gf-keyp gf)) -1 (+ nreq (%gf-nopt gf)))
                      eqls)))

;;; Names CCL defines as generic functions that are natives here: the first DEFMETHOD on one
;;; turns it into a generic function whose default method is the native (see DESIGN.md).
;;; The second element says whether CCL declares the lambda list with DEFGENERIC (then a
;;; method must accept its keywords).
(defvar %generic-natives
  '((close t) (open-stream-p t) (stream-element-type t) (input-stream-p t) (output-stream-p t)
    (interactive-stream-p t) (documentation t)
    (ccl::accept-connection t) (ccl::shutdown t) (ccl::socket-os-fd t) (ccl::local-port t)
    (ccl::local-host t) (ccl::remote-host t) (ccl::remote-port t) (ccl::socket-address-family t)
    (ccl::socket-type t) (ccl::socket-connect t) (ccl::socket-format t)
    (ccl::send-to nil) (ccl::receive-from nil) (ccl::local-filename nil) (ccl::remote-filename nil)
    (ccl::local-socket-address nil) (ccl::remote-socket-address nil)))

(defun %strip-lambda-list (lambda-list)
  (let ((out nil))
    (dolist (x lambda-list (nreverse out))
      (cond ((eq x '&aux) (return (nreverse out)))
            ((member x lambda-list-keywords) (push x out))
            ((consp x) (push (if (consp (car x)) (cadar x) (car x)) out))
            (t (push x out))))))

;;; The generic function that replaces the native FN of NAME, FN its default method.
(defun %generic-from-native (name fn declared)
  (let* ((ll (%strip-lambda-list (arglist fn)))
         (gf (%make-gf name ll declared)))
    (multiple-value-bind (nreq nopt restp keyp keys aok) (%analyze-lambda-list ll)
      (declare (ignore nopt restp))
      (%add-method gf (%make-method name nil (make-list nreq :initial-element %class-t) ll
                                    (lambda (args next) (declare (ignore next)) (apply fn args))
                                    fn keyp keys aok nil)
                   nil))
    (%set-fdefinition (%gf-function gf) name)
    gf))

(defun %ensure-gf (name &optional (lambda-list nil ll-p) declared documentation)
  ;; A library generic function may still be an autoload stub: read it first.
  (when (symbolp name) (%autoload-now name))
  (let* ((old (and (fboundp name) (not (and (symbolp name) (or (macro-function name)
                                                               (special-operator-p name))))
                   (fdefinition name)))
         (gf (and old (%gf-of old))))
    (when (and (fboundp name) (not gf))
      (let ((native (assoc name %generic-natives)))
        (if (and native old)
            (setq gf (%generic-from-native name old (second native)))
            (progn
              (cerror "Try to remove any global non-generic function or macro definition."
                      (make-condition 'simple-program-error
                                      :format-control "The function ~s is defined as something other than a generic function."
                                      :format-arguments (list name)))
              (fmakunbound name)))))
    (unless gf
      (setq gf (%make-gf name lambda-list declared))
      (%set-fdefinition (%gf-function gf) name))
    (when ll-p
      (if declared
          (%gf-redeclare gf lambda-list)
          (unless (or (%gf-methods gf) (%gf-declared gf))
            (%gf-install-lambda-list gf lambda-list))))
    (when documentation (%set-documentation (%gf-function gf) 'function documentation))
    gf))

(defun ensure-generic-function (function-name &key (lambda-list nil ll-p) documentation
                                                &allow-other-keys)
  "The generic function named FUNCTION-NAME, made (with LAMBDA-LIST) if it does not exist."
  (%gf-function (if ll-p
                    (%ensure-gf function-name lambda-list t documentation)
                    (%ensure-gf function-name nil nil documentation))))

;;; DEFGENERIC's lambda list on an existing generic function: CCL's check that the methods
;;; it already has stay congruent.
(defun %gf-redeclare (gf lambda-list)
  (let ((methods (%gf-methods gf)))
    (when methods
      (multiple-value-bind (nreq nopt restp keyp) (%analyze-lambda-list lambda-list)
        (multiple-value-bind (mreq mopt mrest mkey) (%analyze-lambda-list (%method-lambda-list (car methods)))
          (unless (and (= nreq mreq) (= nopt mopt) (eq (or restp keyp) (or mrest mkey)))
            (cerror (format nil "Remove ~d method~:p from the generic-function and change its lambda list."
                            (length methods))
                    "New lambda list of generic function ~s is not congruent with lambda lists of existing methods.~%Generic-function's   : ~s~%Method's lambda-list : ~s~%"
                    (%gf-function gf) lambda-list (%method-lambda-list (car methods)))
            (dolist (m methods) (remove-method (%gf-function gf) m))))))
    (setf (%gf-declared gf) t)
    (%gf-install-lambda-list gf lambda-list)))

(defun generic-function-name (gf)
  "The name of the generic function GF."
  (%gf-name (%gf-arg gf)))
(defun generic-function-methods (gf)
  "The methods of the generic function GF."
  (copy-list (%gf-methods (%gf-arg gf))))
(defun generic-function-lambda-list (gf)
  "The lambda list of the generic function GF."
  (%gf-lambda-list (%gf-arg gf)))

;;; ---- Methods ----
;;; Methods are instances of STANDARD-METHOD (or its accessor subclasses), with these slots.
;;; FUNCTION takes the argument list and the list of next methods; FAST-FUNCTION, when the
;;; body does not call CALL-NEXT-METHOD, takes the arguments themselves.

(defvar %method-slot-names
  '(name generic-function qualifiers specializers lambda-list function fast-function keyp keys
    allow-other-keys documentation slot-name))

(%define-standard-class 'standard-method '(method)
                        (mapcar (lambda (n) (list :name n :initargs nil :allocation :instance))
                                %method-slot-names)
                        nil "A method of a generic function.")

(macrolet ((accessors ()
             (let ((i -1) (forms nil))
               (dolist (n %method-slot-names `(progn ,@(nreverse forms)))
                 (let ((f (intern (concatenate 'string "%METHOD-" (symbol-name n)))))
                   (incf i)
                   (push `(defun ,f (m) (%std-slot-ref m ,i nil)) forms)
                   (push `(defun (setf ,f) (v m) (%std-slot-set m ,i v)) forms))))))
  (accessors))

(defun %make-method (name qualifiers specializers lambda-list function fast keyp keys aok doc
                     &optional (class 'standard-method))
  (let ((m (%allocate-std-instance (find-class class))))
    (setf (%method-name m) name (%method-generic-function m) nil (%method-qualifiers m) qualifiers
          (%method-specializers m) specializers (%method-lambda-list m) lambda-list
          (%method-function m) function (%method-fast-function m) fast (%method-keyp m) keyp
          (%method-keys m) keys (%method-allow-other-keys m) aok (%method-documentation m) doc
          (%method-slot-name m) nil)
    m))

(defun method-qualifiers (method)
  "The qualifiers of METHOD, e.g. (:BEFORE)."
  (%method-qualifiers method))
(defun method-specializers (method)
  "The specializers of METHOD: classes and (EQL object) lists."
  (%method-specializers method))
(defun method-function (method)
  "The function of METHOD, called with the argument list and the next methods."
  (%method-function method))
(defun method-generic-function (method)
  "The generic function METHOD belongs to, or NIL."
  (let ((gf (%method-generic-function method))) (and gf (%gf-function gf))))
(defun method-lambda-list (method)
  "The lambda list METHOD was defined with."
  (%method-lambda-list method))

(defun function-keywords (method)
  "The keywords METHOD accepts, and whether it accepts any (&allow-other-keys)."
  (values (%method-keys method) (%method-allow-other-keys method)))

;;; (EQL x) specializers are interned, so that two methods on (EQL 7) share one and the
;;; dispatch can key on it.
(defvar %eql-specializers (make-hash-table :test 'eql))

(defun intern-eql-specializer (object)
  "The (EQL OBJECT) specializer, the same list for every method that uses it."
  (or (gethash object %eql-specializers)
      (setf (gethash object %eql-specializers) (list 'eql object))))

(defun %specializer (s)
  (cond ((and (consp s) (eq (car s) 'eql)) (intern-eql-specializer (second s)))
        ((typep s 'class) s)
        (t (find-class s))))

(defun %specializer-name (s)
  (if (consp s) s (class-name s)))

;;; ---- Adding and removing methods ----

;;; CCL's congruent-lambda-lists-p: the same numbers of required and optional parameters,
;;; both or neither with &rest/&key, and a method accepts every keyword a DEFGENERIC named
;;; (explicitly, by &allow-other-keys, or by &rest without &key).
(defun %congruent-p (gf method)
  (multiple-value-bind (mreq mopt mrest mkeyp mkeys maok) (%analyze-lambda-list (%method-lambda-list method))
    (and (= mreq (%gf-nreq gf)) (= mopt (%gf-nopt gf))
         (eq (or mrest mkeyp) (or (%gf-restp gf) (%gf-keyp gf)))
         (or (and mrest (not mkeyp)) maok (%gf-aok gf) (not (%gf-declared gf))
             (every (lambda (k) (member k mkeys)) (%gf-keys gf))))))

(defun %flatten-method-lambda-list (lambda-list)
  (let ((required t))
    (mapcar (lambda (x)
              (when (member x lambda-list-keywords) (setq required nil))
              (if (and required (consp x)) (car x) x))
            lambda-list)))

(defun %check-congruence (gf method)
  (if (and (null (%gf-methods gf)) (not (%gf-declared gf)))
      (%gf-install-lambda-list gf (%strip-lambda-list (%flatten-method-lambda-list (%method-lambda-list method))))
      (unless (%congruent-p gf method)
        (cerror (format nil "Remove ~d method~:p from the generic-function and change its lambda list."
                        (length (%gf-methods gf)))
                "Lambda list of method ~S ~%is incompatible with that of the generic function ~S.~%Method's lambda-list : ~s~%Generic-function's   : ~s~%"
                method (%gf-name gf) (%flatten-method-lambda-list (%method-lambda-list method))
                (%gf-lambda-list gf))
        (dolist (m (%gf-methods gf)) (%remove-method gf m))
        (setf (%gf-declared gf) nil)
        (%gf-install-lambda-list gf (%strip-lambda-list (%flatten-method-lambda-list (%method-lambda-list method)))))))

(defun %add-method (gf method &optional (check t))
  (when (%method-generic-function method)
    (error "~s is already a method of ~s." method (%gf-function (%method-generic-function method))))
  (when check (%check-congruence gf method))
  (let ((old (find-if (lambda (m) (and (equal (%method-qualifiers m) (%method-qualifiers method))
                                       (equal (%method-specializers m) (%method-specializers method))))
                      (%gf-methods gf))))
    (when old (%remove-method gf old)))
  (setf (%method-generic-function method) gf)
  (push method (%gf-methods gf))
  (%gf-update-dispatch gf)
  (%methods-changed gf)
  method)

(defun %remove-method (gf method)
  (when (member method (%gf-methods gf))
    (setf (%gf-methods gf) (remove method (%gf-methods gf))
          (%method-generic-function method) nil)
    (%gf-update-dispatch gf)
    (%methods-changed gf)))

;;; Caches that depend on the methods of a generic function (make-instance's) hook here.
(defvar %methods-changed-hooks nil)
(defun %methods-changed (gf)
  (dolist (h %methods-changed-hooks) (funcall h gf)))

(defun add-method (generic-function method)
  "Add METHOD to GENERIC-FUNCTION (replacing one with the same qualifiers and specializers)."
  (%add-method (%gf-arg generic-function) method)
  generic-function)

(defun remove-method (generic-function method)
  "Remove METHOD from GENERIC-FUNCTION; return GENERIC-FUNCTION."
  (%remove-method (%gf-arg generic-function) method)
  generic-function)

(defun find-method (generic-function qualifiers specializers &optional (errorp t))
  "The method of GENERIC-FUNCTION with QUALIFIERS and SPECIALIZERS (classes, names or (EQL x))."
  (let* ((gf (%gf-arg generic-function))
         (specs (mapcar #'%specializer specializers)))
    (or (find-if (lambda (m)
                   (and (equal (%method-qualifiers m) qualifiers)
                        (equal (%method-specializers m) specs)))
                 (%gf-methods gf))
        (and errorp
             (error "No method for ~S with qualifiers ~S and specializers ~S."
                    (%gf-function gf) qualifiers specializers)))))

;;; ---- Dispatch ----

(defun %specializer-matches (s arg)
  (if (consp s)
      (eql (second s) arg)
      (or (eq s %class-t) (member s (%class-cpl (class-of arg)) :test #'eq))))

;;; True if specializer A is more specific than B for ARG.
(defun %more-specific-p (a b arg)
  (cond ((eq a b) nil)
        ((consp a) (not (consp b)))
        ((consp b) nil)
        (t (let ((cpl (%class-cpl (class-of arg))))
             (< (or (position a cpl) most-positive-fixnum) (or (position b cpl) most-positive-fixnum))))))

(defun %method-more-specific-p (m1 m2 args)
  (do ((s1 (%method-specializers m1) (cdr s1))
       (s2 (%method-specializers m2) (cdr s2))
       (a args (cdr a)))
      ((null s1) nil)
    (unless (eq (car s1) (car s2))
      (return (%more-specific-p (car s1) (car s2) (car a))))))

(defun %applicable-methods (gf args)
  (let ((ms (remove-if-not (lambda (m)
                             (do ((s (%method-specializers m) (cdr s)) (a args (cdr a)))
                                 ((null s) t)
                               (unless (and a (%specializer-matches (car s) (car a))) (return nil))))
                           (%gf-methods gf))))
    (stable-sort (copy-list ms) (lambda (a b) (%method-more-specific-p a b args)))))

(defun compute-applicable-methods (generic-function arguments)
  "The methods of GENERIC-FUNCTION applicable to ARGUMENTS, most specific first."
  (%applicable-methods (%gf-arg generic-function) arguments))

;;; builtins/clos.c calls this when its cache has no effective method for the classes of
;;; ARGS; what it returns is cached and called with the arguments.
(defun %gf-miss (gf args)
  (let ((methods (%applicable-methods gf args)))
    (or (and methods (null (cdr methods)) (%accessor-emf (car methods) args))
        (%compute-emf gf methods))))

;;; A reader or writer alone on a standard instance goes straight to the slot's index in the
;;; class the cache entry is for (a redefinition of the class clears every cache).
(defun %accessor-emf (method args)
  (let* ((slot (%method-slot-name method))
         (reader (typep method 'standard-reader-method))
         (object (if reader (first args) (second args))))
    (when (and slot (%std-instance-p object)
               (typep method '(or standard-reader-method standard-writer-method)))
      (let* ((class (class-of object))
             (i (%class-slot-index class slot)))
        (when (and i (not (eq (getf (nth i (%class-slots class)) :allocation) :class)))
          (%make-slot-accessor (not reader) i slot))))))

;;; The next methods of a method are a list of functions of (args next-methods): the method
;;; functions, or the combination of :before, primary and :after methods behind an :around.
(defun %compute-emf (gf methods)
  (let ((around nil) (before nil) (primary nil) (after nil))
    (dolist (m methods)
      (let ((q (%method-qualifiers m)))
        (cond ((null q) (push m primary))
              ((cdr q) (return-from %compute-emf
                         (%error-emf "~s is an invalid method.~%~?" m
                                     "Multiple method qualifiers not allowed in ~s method combination"
                                     '(standard))))
              ((eq (car q) :before) (push m before))
              ((eq (car q) :after) (push m after))
              ((eq (car q) :around) (push m around))
              (t (return-from %compute-emf
                   (%error-emf "~s is an invalid method.~%~?" m "~s is not one of ~s, ~s, and ~s."
                               (list (car q) :before :after :around)))))))
    (setq around (nreverse around) before (nreverse before) primary (nreverse primary))
    ;; AFTER is now least specific first, the order they run in.
    (let ((emf
            (cond ((null primary)
                   (let ((fn (%gf-function gf)))
                     (if methods
                         (%error-emf "No applicable primary methods for ~s~@
                                      Applicable methods: ~s" fn methods)
                         (lambda (&rest args) (apply #'no-applicable-method fn args)))))
                  ((and (null around) (null before) (null after) (%method-fast-function (car primary))))
                  (t (let* ((befores (mapcar #'%method-function before))
                            (afters (mapcar #'%method-function after))
                            (f (%method-function (car primary)))
                            (rest (mapcar #'%method-function (cdr primary)))
                            (main (and (or before after)
                                       (lambda (args next)
                                         (declare (ignore next))
                                         (dolist (b befores) (funcall b args nil))
                                         (multiple-value-prog1 (funcall f args rest)
                                           (dolist (a afters) (funcall a args nil)))))))
                       (if around
                           ;; The arounds' next methods; with no :before or :after, the
                           ;; primaries themselves follow the last one.
                           (let ((af (%method-function (car around)))
                                 (chain (append (mapcar #'%method-function (cdr around))
                                                (if main (list main) (cons f rest)))))
                             (lambda (&rest args) (funcall af args chain)))
                           (if main
                               (lambda (&rest args) (funcall main args nil))
                               (lambda (&rest args) (funcall f args rest)))))))))
      (%keyword-checking-emf gf methods emf))))

(defun %error-emf (control &rest args)
  (lambda (&rest ignore) (declare (ignore ignore)) (apply #'error control args)))

;;; CCL's compute-allowable-keywords-vector: when the generic function or an applicable
;;; method mentions &key and none allows other keys, the keywords of a call are checked
;;; against theirs together.
(defun %keyword-checking-emf (gf methods emf)
  (if (or (%gf-aok gf) (null methods)
          (not (or (%gf-keyp gf) (some #'%method-keyp methods)))
          (some (lambda (m) (and (%method-keyp m) (%method-allow-other-keys m))) methods))
      emf
      (let ((keys nil)
            (start (+ (%gf-nreq gf) (%gf-nopt gf)))
            (fn (%gf-function gf)))
        (when (%gf-keyp gf)
          (dolist (k (%gf-keys gf)) (pushnew k keys)))
        (dolist (m methods)
          (dolist (k (%method-keys m)) (pushnew k keys)))
        (setq keys (coerce keys 'vector))
        (lambda (&rest args)
          (let ((kargs (nthcdr start args)))
            (when kargs
              (when (oddp (length kargs))
                (error 'simple-program-error :format-control "Odd number of keyword args to ~s~%keyargs: ~s"
                                             :format-arguments (list fn kargs)))
              (unless (getf kargs :allow-other-keys)
                (do ((l kargs (cddr l))) ((null l))
                  (unless (or (eq (car l) :allow-other-keys) (find (car l) keys))
                    (error 'simple-program-error
                           :format-control "Bad keyword ~s to ~s.~%keyargs: ~s~%allowable keys are ~a."
                           :format-arguments (list (car l) fn kargs
                                                   (let ((*print-array* t) (*print-readably* t))
                                                     (format nil "~s" keys)))))))))
          (apply emf args)))))

(defun %no-next-method (method args)
  (apply #'no-next-method (%gf-function (%method-generic-function method)) method args))

;;; ---- DEFGENERIC and DEFMETHOD ----

(defun %split-body (body)
  (let ((decls nil) (doc nil))
    (loop
      (cond ((and (consp (car body)) (eq (caar body) 'declare)) (push (pop body) decls))
            ((and (stringp (car body)) (cdr body) (null doc)) (setq doc (pop body)))
            (t (return))))
    (values (nreverse decls) body doc)))

(defun %parse-defmethod (args)
  (let ((qualifiers nil))
    (loop (if (and args (atom (car args)) (car args)) (push (pop args) qualifiers) (return)))
    (values (nreverse qualifiers) (car args) (cdr args))))

(defun %mentions-next-method-p (form)
  (cond ((member form '(call-next-method next-method-p)) t)
        ((consp form) (or (%mentions-next-method-p (car form)) (%mentions-next-method-p (cdr form))))
        (t nil)))

;;; (values slow-lambda fast-lambda-or-nil specializer-forms doc): FAST takes the arguments,
;;; SLOW the argument list and the next methods.
(defun %method-lambdas (name qualifiers lambda-list body)
  (let ((args (gensym "ARGS")) (next (gensym "NEXT")) (cnm-args (gensym "CNM-ARGS"))
        (plain nil) (specs nil) (required t) (fname nil))
    (dolist (x lambda-list)
      (when (member x lambda-list-keywords) (setq required nil))
      (cond ((and required (consp x)) (push (car x) plain) (push (second x) specs))
            (required (push x plain) (push t specs))
            (t (push x plain))))
    (setq plain (nreverse plain) specs (nreverse specs)
          ;; %NAMED-LAMBDA makes the BLOCK, named by the second element.
          fname `(method ,(if (consp name) (second name) name) ,@qualifiers ,specs))
    (when (and (member '&key plain) (not (member '&allow-other-keys plain)))
      (let ((aux (member '&aux plain)))
        (setq plain (append (ldiff plain aux) '(&allow-other-keys) aux))))
    (multiple-value-bind (decls forms doc) (%split-body body)
      (values
       (cond ((not (%mentions-next-method-p forms)) nil)
             ;; #'CALL-NEXT-METHOD needs functions; otherwise macros cost no closure per call.
             ((%mentions-function-p forms '(call-next-method next-method-p))
              `(%named-lambda ,fname (,args ,next)
                 (flet ((call-next-method (&rest ,cnm-args)
                          (%call-next-method ,next (or ,cnm-args ,args) (%current-method)))
                        (next-method-p () (and ,next t)))
                   (declare (ignorable #'call-next-method #'next-method-p))
                   (destructuring-bind ,plain ,args ,@decls ,@forms))))
             (t
              `(%named-lambda ,fname (,args ,next)
                 (macrolet ((call-next-method (&rest cnm-args)
                              (let ((a (if cnm-args (cons 'list cnm-args) ',args)))
                                (list 'if ',next
                                      (list 'funcall '(car ,next) a '(cdr ,next))
                                      (list '%no-next-method '(%current-method) a))))
                            (next-method-p () '(and ,next t)))
                   (destructuring-bind ,plain ,args ,@decls ,@forms)))))
       (if (%mentions-next-method-p forms) nil `(%named-lambda ,fname ,plain ,@decls ,@forms))
       specs
       doc))))

(defun %mentions-function-p (form names)
  (cond ((atom form) nil)
        ((and (eq (car form) 'function) (consp (cdr form)) (member (cadr form) names)) t)
        (t (or (%mentions-function-p (car form) names) (%mentions-function-p (cdr form) names)))))

(defun %call-next-method (next args method)
  (if next
      (funcall (car next) args (cdr next))
      (%no-next-method method args)))

(defmacro defmethod (name &rest args)
  "Define a method of the generic function NAME (created if needed)."
  (multiple-value-bind (qualifiers lambda-list body) (%parse-defmethod args)
    (multiple-value-bind (slow fast specs doc) (%method-lambdas name qualifiers lambda-list body)
      (let ((m (gensym "METHOD")))
        `(let ((,m nil))
           (declare (ignorable ,m))
           (setq ,m (%ensure-method ',name ',lambda-list ',qualifiers
                                    (list ,@(mapcar (lambda (s)
                                                      (if (and (consp s) (eq (car s) 'eql))
                                                          `(list 'eql ,(second s))
                                                          `',s))
                                                    specs))
                                    ,(if slow
                                         `(macrolet ((%current-method () ',m)) ,slow)
                                         nil)
                                    ,fast ,doc)))))))

(defun %ensure-method (name lambda-list qualifiers specializers slow fast doc)
  (let ((gf (%ensure-gf name)))
    (multiple-value-bind (nreq nopt restp keyp keys aok) (%analyze-lambda-list lambda-list)
      (declare (ignore nreq nopt restp))
      (unless slow
        (setq slow (lambda (args next) (declare (ignore next)) (apply fast args))))
      (let ((m (%make-method name qualifiers (mapcar #'%specializer specializers) lambda-list
                             slow fast keyp keys aok doc)))
        (%add-method gf m)
        m))))

(defmacro defgeneric (name lambda-list &rest options)
  "Define the generic function NAME: options :DOCUMENTATION, :METHOD, :METHOD-COMBINATION STANDARD."
  (let ((doc nil) (methods nil))
    (dolist (o options)
      (case (car o)
        (:documentation (setq doc (second o)))
        (:method (push `(defmethod ,name ,@(cdr o)) methods))
        (:method-combination
         (unless (eq (second o) 'standard)
           (error "Method combination ~s is not supported." (second o))))
        ((declare :argument-precedence-order :generic-function-class :method-class) nil)
        (t (error 'simple-program-error :format-control "Unknown DEFGENERIC option: ~s"
                                        :format-arguments (list o)))))
    (%check-gf-lambda-list lambda-list)
    `(progn
       (%defgeneric ',name ',lambda-list ,doc)
       (%set-defgeneric-methods ',name (list ,@(nreverse methods)))
       (fdefinition ',name))))

(defun %check-gf-lambda-list (lambda-list)
  (let ((state :req))
    (dolist (x lambda-list)
      (cond ((member x lambda-list-keywords)
             (when (eq x '&aux) (setq state :bad))
             (unless (eq state :bad) (setq state x)))
            ((or (eq state :bad)
                 (and (member state '(:req &rest)) (not (symbolp x)))
                 (and (eq state '&optional) (consp x) (cdr x))
                 (and (eq state '&key) (consp x) (cdr x)))
             (error 'simple-program-error :format-control "Bad generic function lambda list: ~s"
                                          :format-arguments (list lambda-list)))))))

(defun %defgeneric (name lambda-list doc)
  (let ((gf (%ensure-gf name)))
    ;; DEFGENERIC again drops the methods its :METHOD options made before.
    (dolist (m (%gf-defgeneric-methods gf)) (%remove-method gf m))
    (setf (%gf-defgeneric-methods gf) nil)
    (%gf-redeclare gf lambda-list)
    (%set-documentation (%gf-function gf) 'function doc)
    gf))

(defun %set-defgeneric-methods (name methods)
  (setf (%gf-defgeneric-methods (%gf-of (fdefinition name))) methods))

;;; ---- DEFCLASS ----

(defun %slot-spec-form (spec)
  (when (atom spec) (setq spec (list spec)))
  (let ((name (car spec)) (initargs nil) (initform nil) (initform-p nil) (readers nil) (writers nil)
        (allocation :instance) (type t) (doc nil))
    (do ((o (cdr spec) (cddr o)))
        ((null o))
      (let ((v (second o)))
        (case (car o)
          (:initarg (push v initargs))
          (:initform (setq initform v initform-p t))
          (:reader (push v readers))
          (:writer (push v writers))
          (:accessor (push v readers) (push `(setf ,v) writers))
          (:allocation (setq allocation v))
          (:type (setq type v))
          (:documentation (setq doc v))
          (t (error "Invalid slot option ~S in ~S." (car o) spec)))))
    (values
     `(list :name ',name :initargs ',(reverse initargs)
            ,@(and initform-p `(:initform ',initform :initfunction (lambda () ,initform)))
            :allocation ,allocation :type ',type :documentation ,doc
            ,@(and (eq allocation :class) '(:cell (%make-shared-slot-cell))))
     (reverse readers) (reverse writers))))

(defmacro defclass (name superclasses slots &rest options)
  "Define the standard class NAME with SUPERCLASSES, SLOTS and OPTIONS."
  (let ((slot-forms nil) (accessors nil) (defaults nil) (doc nil))
    (dolist (s slots)
      (multiple-value-bind (form readers writers) (%slot-spec-form s)
        (push form slot-forms)
        (let ((sname (if (consp s) (car s) s)))
          (dolist (r readers) (push `(%define-reader ',r ',name ',sname) accessors))
          (dolist (w writers) (push `(%define-writer ',w ',name ',sname) accessors)))))
    (dolist (o options)
      (case (car o)
        (:default-initargs
         (do ((l (cdr o) (cddr l))) ((null l))
           (push `(list ',(first l) ',(second l) (lambda () ,(second l))) defaults)))
        (:documentation (setq doc (second o)))
        (:metaclass nil)
        (t (error "Invalid class option ~S in ~S." (car o) name))))
    `(progn
       (%defclass ',name ',superclasses (list ,@(nreverse slot-forms))
                  (list ,@(nreverse defaults)) ,doc)
       ,@(nreverse accessors)
       (find-class ',name))))

;;; class -> the reader and writer methods its DEFCLASS made (a redefinition removes them).
(defvar %accessor-methods (make-hash-table :test 'eq))

(defun %defclass (name supers slots defaults doc)
  (let ((old (find-class name nil)))
    (when (and old (%standard-class-p old))
      ;; A shared slot keeps its value across a redefinition.
      (dolist (s slots)
        (when (eq (getf s :allocation) :class)
          (let ((o (find-if (lambda (d) (and (eq (getf d :name) (getf s :name))
                                             (eq (getf d :allocation) :class)))
                            (%class-direct-slots old))))
            (when o (setf (getf s :cell) (getf o :cell))))))
      (dolist (m (gethash old %accessor-methods))
        (let ((gf (%method-generic-function m))) (when gf (%remove-method gf m))))
      (remhash old %accessor-methods))
    ;; As in CCL, a new shared slot gets its initform's value when its class is defined.
    (dolist (s slots)
      (when (and (eq (getf s :allocation) :class) (getf s :initfunction)
                 (eq (%shared-slot-cell-value (getf s :cell) %unbound-marker) %unbound-marker))
        (%set-shared-slot-cell-value (getf s :cell) (funcall (getf s :initfunction)))))
    (let ((class (%define-standard-class name supers slots defaults doc)))
      (when old (%classes-changed))
      class)))

;;; A class was redefined: class precedence lists and layouts may have changed.
(defvar %classes-changed-hooks nil)
(defun %classes-changed ()
  (dolist (gf %all-generic-functions) (%gf-clear-cache (%gf-function gf)))
  (dolist (h %classes-changed-hooks) (funcall h)))

(defun %define-accessor-method (name class-name slot lambda-list specializers method-class fn)
  (let* ((class (find-class class-name))
         (m (%make-method name nil (mapcar #'%specializer specializers) lambda-list
                          (lambda (args next) (declare (ignore next)) (apply fn args))
                          fn nil nil nil nil method-class)))
    (setf (%method-slot-name m) slot)
    (%add-method (%ensure-gf name) m)
    (push m (gethash class %accessor-methods))
    m))

(defun %define-reader (reader class slot)
  (%define-accessor-method reader class slot '(object) (list class) 'standard-reader-method
                           (lambda (object) (slot-value object slot))))

(defun %define-writer (writer class slot)
  (%define-accessor-method writer class slot '(value object) (list t class) 'standard-writer-method
                           (lambda (value object) (setf (slot-value object slot) value))))

(defun class-precedence-list (class)
  "The classes CLASS inherits from, most specific (CLASS itself) first."
  (%class-cpl class))
(defun class-direct-superclasses (class)
  "The superclasses CLASS was defined with."
  (%class-direct-superclasses class))
(defun class-direct-subclasses (class)
  "The classes defined with CLASS as a direct superclass."
  (%class-direct-subclasses class))
(defun class-slots (class)
  "The effective slot definitions of CLASS (property lists with :NAME, :INITARGS ...)."
  (%class-slots class))
(defun class-direct-slots (class)
  "The slot definitions given in the DEFCLASS of CLASS."
  (%class-direct-slots class))
(defun class-direct-default-initargs (class)
  "The default initargs given in the DEFCLASS of CLASS, as (initarg form function) lists."
  (%class-default-initargs class))
(defun slot-definition-name (slot)
  "The name of the slot definition SLOT."
  (getf slot :name))

(export '(class-precedence-list class-direct-superclasses class-direct-subclasses class-slots
          class-direct-slots class-direct-default-initargs slot-definition-name generic-function-name
          generic-function-methods generic-function-lambda-list method-specializers method-function
          method-generic-function method-lambda-list intern-eql-specializer)
        "CCL")
