;;;; clos.lisp — the first subset of CLOS: DEFCLASS over builtins/clos.c's standard classes,
;;;; generic functions (closures over a method table with a class-keyed dispatch cache), PRINT-OBJECT.
;;;; autoload: module — read whole the first time DEFCLASS, MAKE-INSTANCE ... is used.

;;; ---- Slots ----

(defvar %unbound-marker (make-symbol "UNBOUND"))

;;; class -> hash table slot-name -> location: a fixnum index in the instance's slot
;;; vector, or the shared cons cell of a :class slot. Cleared when any class is (re)defined.
(defvar %slot-locations (make-hash-table :test 'eq))

(defun %slot-location (class name)
  (let ((table (gethash class %slot-locations)))
    (unless table
      (setq table (make-hash-table :test 'eq))
      (let ((i 0))
        (dolist (s (%class-slots class))
          (setf (gethash (getf s :name) table)
                (if (eq (getf s :allocation) :class) (getf s :cell) i))
          (incf i)))
      (setf (gethash class %slot-locations) table))
    (gethash name table)))

(defun %object-slot-location (object name)
  (and (or (%std-instance-p object) (typep object 'structure-object))
       (%slot-location (class-of object) name)))

(defun slot-value (object slot-name)
  "Return the value of the slot named SLOT-NAME in OBJECT."
  (let* ((loc (%object-slot-location object slot-name))
         (v (cond ((fixnump loc) (%std-slot-ref object loc %unbound-marker))
                  ((consp loc) (car loc))
                  (t (return-from slot-value
                       (values (slot-missing (class-of object) object slot-name 'slot-value)))))))
    (if (eq v %unbound-marker)
        (values (slot-unbound (class-of object) object slot-name))
        v)))

(defun (setf slot-value) (value object slot-name)
  (let ((loc (%object-slot-location object slot-name)))
    (cond ((fixnump loc) (%std-slot-set object loc value))
          ((consp loc) (setf (car loc) value))
          (t (slot-missing (class-of object) object slot-name 'setf value) value))))

(defun slot-boundp (object slot-name)
  "True if the slot named SLOT-NAME in OBJECT has a value."
  (let ((loc (%object-slot-location object slot-name)))
    (cond ((fixnump loc) (not (eq (%std-slot-ref object loc %unbound-marker) %unbound-marker)))
          ((consp loc) (not (eq (car loc) %unbound-marker)))
          (t (values (slot-missing (class-of object) object slot-name 'slot-boundp))))))

(defun slot-makunbound (object slot-name)
  "Make the slot named SLOT-NAME in OBJECT unbound; return OBJECT."
  (let ((loc (%object-slot-location object slot-name)))
    (cond ((fixnump loc) (%std-slot-makunbound object loc))
          ((consp loc) (setf (car loc) %unbound-marker))
          (t (slot-missing (class-of object) object slot-name 'slot-makunbound)))
    object))

(defun slot-exists-p (object slot-name)
  "True if OBJECT has a slot named SLOT-NAME."
  (and (%object-slot-location object slot-name) t))

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

;;; ---- Methods and generic functions ----

(defstruct (standard-method (:constructor %make-method) (:predicate %methodp) (:copier nil)
                            (:print-function %print-method) (:conc-name %method-))
  generic-function qualifiers specializers lambda-list function keys allow-other-keys)

(defun %specializer-name (s)
  (if (consp s) s (class-name s)))

(defun %print-method (m stream depth)
  (declare (ignore depth))
  (%print-unreadable-object
   m stream nil t
   (lambda ()
     (format stream "STANDARD-METHOD ~S~{ ~S~} ~S"
             (let ((gf (%method-generic-function m))) (and gf (%gf-name gf)))
             (%method-qualifiers m) (mapcar #'%specializer-name (%method-specializers m))))))

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
  (%method-generic-function method))

;;; A generic function is a closure over its %GF: the closure is what FDEFINITION holds.
(defstruct (%gf (:copier nil))
  name lambda-list (methods nil) (nreq 0) documentation function
  (cache (make-hash-table :test 'equal))
  (eql-positions nil))  ; indices of required arguments some method specializes with EQL

(defvar %gf-of-function (make-hash-table :test 'eq))

(defun %gf-of (fn) (gethash fn %gf-of-function))

(defun %required-count (lambda-list)
  (let ((n 0))
    (dolist (x lambda-list n)
      (when (member x lambda-list-keywords) (return n))
      (incf n))))

(defun %ensure-gf (name lambda-list &optional documentation)
  ;; A library generic function may still be an autoload stub: read it first.
  (when (symbolp name) (ccl::%autoload-now name))
  (let* ((old (and (fboundp name) (fdefinition name)))
         (gf (and old (%gf-of old))))
    (when (and old (not gf))
      (when (or (and (symbolp name) (macro-function name)) (and (symbolp name) (special-operator-p name)))
        (error "~S is a macro or special operator, not a generic function." name))
      (error "~S is already defined as a function, not a generic function." name))
    (unless gf
      (setq gf (make-%gf :name name :lambda-list lambda-list
                         :nreq (%required-count lambda-list)))
      (let ((g gf))
        (setf (%gf-function gf) (lambda (&rest args) (%gf-dispatch g args))))
      (setf (gethash (%gf-function gf) %gf-of-function) gf)
      (ccl::%set-fdefinition (%gf-function gf) name))
    (when (and lambda-list (null (%gf-methods gf)))
      (setf (%gf-lambda-list gf) lambda-list (%gf-nreq gf) (%required-count lambda-list)))
    (when documentation (setf (%gf-documentation gf) documentation))
    gf))

(defun %specializer (s)
  (cond ((and (consp s) (eq (car s) 'eql)) (list 'eql (second s)))
        ((typep s (quote class)) s)
        (t (find-class s))))

(defun %lambda-list-keys (lambda-list)
  (let ((keys nil) (in-keys nil) (aok nil))
    (dolist (x lambda-list)
      (cond ((eq x '&key) (setq in-keys t))
            ((eq x '&allow-other-keys) (setq aok t))
            ((member x lambda-list-keywords) (setq in-keys nil))
            (in-keys (push (cond ((atom x) (intern (symbol-name x) "KEYWORD"))
                                 ((consp (car x)) (caar x))
                                 (t (intern (symbol-name (car x)) "KEYWORD")))
                           keys))))
    (values (nreverse keys) aok)))

(defun %add-method (gf method)
  (let ((old (find-method gf (%method-qualifiers method) (%method-specializers method) nil)))
    (when old (setf (%gf-methods gf) (remove old (%gf-methods gf)))))
  (setf (%method-generic-function method) gf)
  (when (/= (length (%method-specializers method)) (%gf-nreq gf))
    (error "Lambda list of method ~S is incompatible with that of the generic function ~S."
           method (%gf-name gf)))
  (push method (%gf-methods gf))
  (let ((i 0))
    (dolist (s (%method-specializers method))
      (when (consp s) (pushnew i (%gf-eql-positions gf)))
      (incf i)))
  (clrhash (%gf-cache gf))
  method)

(defun %ensure-method (name lambda-list qualifiers specializers function)
  (let ((gf (%ensure-gf name (%method-gf-lambda-list lambda-list specializers))))
    (multiple-value-bind (keys aok) (%lambda-list-keys lambda-list)
      (%add-method gf (%make-method :qualifiers qualifiers
                                    :specializers (mapcar #'%specializer specializers)
                                    :lambda-list lambda-list :function function
                                    :keys keys :allow-other-keys aok)))))

;;; The lambda list a generic function created by its first DEFMETHOD gets.
(defun %method-gf-lambda-list (lambda-list specializers)
  (declare (ignore specializers))
  (let ((out nil))
    (dolist (x lambda-list (nreverse out))
      (cond ((eq x '&aux) (return (nreverse out)))
            ((member x lambda-list-keywords) (push x out))
            (t (push (if (consp x) (car x) x) out))))))

(defun generic-function-name (gf)
  "The name of the generic function GF."
  (%gf-name (%gf-of gf)))
(defun generic-function-methods (gf)
  "The methods of the generic function GF."
  (copy-list (%gf-methods (%gf-of gf))))
(defun generic-function-lambda-list (gf)
  "The lambda list of the generic function GF."
  (%gf-lambda-list (%gf-of gf)))

(defun %gf-arg (gf) (if (%gf-p gf) gf (or (%gf-of gf) (error "~S is not a generic function." gf))))

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
                    (%gf-name gf) qualifiers specializers)))))

(defun remove-method (generic-function method)
  "Remove METHOD from GENERIC-FUNCTION; return GENERIC-FUNCTION."
  (let ((gf (%gf-arg generic-function)))
    (when (member method (%gf-methods gf))
      (setf (%gf-methods gf) (remove method (%gf-methods gf))
            (%method-generic-function method) nil)
      (clrhash (%gf-cache gf)))
    generic-function))

(defun add-method (generic-function method)
  (%add-method (%gf-arg generic-function) method)
  generic-function)

;;; ---- Dispatch ----

(defun %specializer-matches (s arg)
  (if (consp s)
      (eql (second s) arg)
      (or (eq s (find-class t)) (member s (%class-cpl (class-of arg)) :test #'eq))))

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
                             (every #'%specializer-matches (%method-specializers m) args))
                           (%gf-methods gf))))
    (stable-sort (copy-list ms) (lambda (a b) (%method-more-specific-p a b args)))))

(defun compute-applicable-methods (generic-function arguments)
  "The methods of GENERIC-FUNCTION applicable to ARGUMENTS, most specific first."
  (%applicable-methods (%gf-arg generic-function) arguments))

;;; A method chain: a list of methods, possibly ending in a function of the arguments.
(defun %call-chain (chain args)
  (let ((m (car chain)))
    (if (functionp m)
        (funcall m args)
        (funcall (%method-function m) args (cdr chain)))))

(defun %compute-emf (gf args)
  (let ((methods (%applicable-methods gf args))
        (around nil) (before nil) (primary nil) (after nil))
    (dolist (m methods)
      (let ((q (%method-qualifiers m)))
        (cond ((null q) (push m primary))
              ((equal q '(:before)) (push m before))
              ((equal q '(:after)) (push m after))
              ((equal q '(:around)) (push m around))
              (t (error "Invalid method qualifiers ~S in ~S." q m)))))
    (setq around (nreverse around) before (nreverse before) primary (nreverse primary))
    ;; AFTER is now least specific first, the order they run in.
    (if (null primary)
        (let ((fn (%gf-function gf)))
          (lambda (args) (apply #'no-applicable-method fn args)))
        (let ((main (if (or before after)
                        (lambda (args)
                          (dolist (m before) (funcall (%method-function m) args nil))
                          (multiple-value-prog1 (%call-chain primary args)
                            (dolist (m after) (funcall (%method-function m) args nil))))
                        (let ((f (%method-function (car primary))) (rest (cdr primary)))
                          (lambda (args) (funcall f args rest))))))
          (if around
              (let ((chain (append around (list main))))
                (lambda (args) (%call-chain chain args)))
              main)))))

(defun %gf-dispatch (gf args)
  (let ((n (%gf-nreq gf)) (key nil) (cacheable t) (eqls (%gf-eql-positions gf)))
    (do ((i 0 (1+ i)) (a args (cdr a)))
        ((>= i n))
      (when (atom a)
        (error "Too few arguments in call to ~S: ~S arguments provided, at least ~S required."
               (%gf-name gf) (length args) n))
      (when (and eqls (member i eqls)
                 (some (lambda (m) (let ((s (nth i (%method-specializers m))))
                                     (and (consp s) (eql (second s) (car a)))))
                       (%gf-methods gf)))
        (setq cacheable nil))
      (push (class-of (car a)) key))
    (let ((emf (and cacheable (gethash key (%gf-cache gf)))))
      (unless emf
        (setq emf (%compute-emf gf args))
        (when cacheable (setf (gethash key (%gf-cache gf)) emf)))
      (funcall emf args))))

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

(defun %method-lambda (name lambda-list body method-var)
  (let ((args (gensym "ARGS")) (next (gensym "NEXT")) (cnm-args (gensym "CNM-ARGS"))
        (plain nil) (specs nil) (required t))
    (dolist (x lambda-list)
      (when (member x lambda-list-keywords) (setq required nil))
      (cond ((and required (consp x)) (push (car x) plain) (push (second x) specs))
            (required (push x plain) (push t specs))
            (t (push x plain))))
    (setq plain (nreverse plain) specs (nreverse specs))
    (when (and (member '&key plain) (not (member '&allow-other-keys plain)))
      (let ((aux (member '&aux plain)))
        (setq plain (append (ldiff plain aux) '(&allow-other-keys) aux))))
    (multiple-value-bind (decls forms) (%split-body body)
      (values
       `(lambda (,args ,next)
          (flet ((call-next-method (&rest ,cnm-args)
                   (if ,next
                       (%call-chain ,next (or ,cnm-args ,args))
                       (%no-next-method ,method-var (or ,cnm-args ,args))))
                 (next-method-p () (and ,next t)))
            (declare (ignorable #'call-next-method #'next-method-p))
            (apply (lambda ,plain ,@decls
                     (block ,(if (consp name) (second name) name) ,@forms))
                   ,args)))
       specs))))

(defmacro defmethod (name &rest args)
  "Define a method of the generic function NAME (created if needed)."
  (multiple-value-bind (qualifiers lambda-list body) (%parse-defmethod args)
    (let ((m (gensym "METHOD")))
      (multiple-value-bind (fn specs) (%method-lambda name lambda-list body m)
        `(let ((,m nil))
           (setq ,m (%ensure-method ',name ',lambda-list ',qualifiers
                                    (list ,@(mapcar (lambda (s)
                                                      (if (and (consp s) (eq (car s) 'eql))
                                                          `(list 'eql ,(second s))
                                                          `',s))
                                                    specs))
                                    ,fn)))))))

(defmacro defgeneric (name lambda-list &rest options)
  "Define the generic function NAME: options :DOCUMENTATION, :METHOD (others are accepted)."
  (let ((doc nil) (methods nil))
    (dolist (o options)
      (case (car o)
        (:documentation (setq doc (second o)))
        (:method (push `(defmethod ,name ,@(cdr o)) methods))))
    `(progn
       (%defgeneric ',name ',lambda-list ,doc)
       ,@(nreverse methods)
       (fdefinition ',name))))

(defun %defgeneric (name lambda-list doc)
  (let ((gf (%ensure-gf name lambda-list doc)))
    ;; DEFGENERIC again drops the methods its :METHOD options made before.
    (setf (%gf-lambda-list gf) lambda-list (%gf-nreq gf) (%required-count lambda-list))
    gf))

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
            ,@(and (eq allocation :class) '(:cell (list %unbound-marker))))
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

(defun %defclass (name supers slots defaults doc)
  (let ((class (%define-standard-class name supers slots defaults doc)))
    (clrhash %slot-locations)
    class))

(defun %define-reader (reader class slot)
  (%ensure-method reader '(object) nil (list class)
                  (lambda (args next) (declare (ignore next)) (slot-value (car args) slot))))

(defun %define-writer (writer class slot)
  (%ensure-method writer '(value object) nil (list t class)
                  (lambda (args next) (declare (ignore next))
                    (setf (slot-value (second args) slot) (first args)))))

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
(defun slot-definition-name (slot)
  "The name of the slot definition SLOT."
  (getf slot :name))

;;; ---- The generic functions of instance creation ----

(define-condition no-applicable-method-exists (error)
  ((gf :initarg :gf) (args :initarg :args))
  (:report (lambda (c s)
             (format s "There is no applicable method for the generic function:~%  ~s~%when called with arguments:~%  ~s"
                     (ccl::%condition-slot-value c 'gf) (ccl::%condition-slot-value c 'args)))))

(defgeneric no-applicable-method (generic-function &rest function-arguments)
  (:method (gf &rest args)
    (error 'no-applicable-method-exists :gf gf :args args)))

(defgeneric no-next-method (generic-function method &rest args)
  (:method (gf method &rest args)
    (declare (ignore gf))
    (error "There is no next method for ~s~%args: ~s" method args)))

(defgeneric slot-missing (class object slot-name operation &optional new-value)
  (:method (class object slot-name operation &optional new-value)
    (declare (ignore class operation new-value))
    (error "~s has no slot named ~s." object slot-name)))

(defgeneric slot-unbound (class instance slot-name)
  (:method (class instance slot-name)
    (declare (ignore class))
    (error 'unbound-slot :name slot-name :instance instance)))

(defgeneric allocate-instance (class &rest initargs &key &allow-other-keys)
  (:method ((class standard-class) &rest initargs)
    (declare (ignore initargs))
    (%allocate-std-instance class)))

(defgeneric shared-initialize (instance slot-names &rest initargs &key &allow-other-keys)
  (:method ((instance standard-object) slot-names &rest initargs)
    (let ((class (class-of instance)))
      (dolist (s (%class-slots class))
        (let ((name (getf s :name)) (found nil))
          (do ((l initargs (cddr l))) ((null l))
            (when (member (car l) (getf s :initargs))
              (setf (slot-value instance name) (second l) found t)
              (return)))
          (when (and (not found)
                     (or (eq slot-names t) (member name slot-names))
                     (getf s :initfunction)
                     (not (slot-boundp instance name)))
            (setf (slot-value instance name) (funcall (getf s :initfunction))))))
      instance)))

(defgeneric initialize-instance (instance &rest initargs &key &allow-other-keys)
  (:method ((instance standard-object) &rest initargs)
    (apply #'shared-initialize instance t initargs)))

(defgeneric reinitialize-instance (instance &rest initargs &key &allow-other-keys)
  (:method ((instance standard-object) &rest initargs)
    (%check-initargs (class-of instance) initargs
                     (list #'reinitialize-instance #'shared-initialize) (list instance instance))
    (apply #'shared-initialize instance nil initargs)))

(defun %default-initargs (class initargs)
  (let ((extra nil))
    (dolist (c (%class-cpl class))
      (when (%standard-class-p c)
        (dolist (d (%class-default-initargs c))
          (unless (or (%getf-p initargs (first d)) (%getf-p extra (first d)))
            (setq extra (append extra (list (first d) (funcall (third d)))))))))
    (if extra (append initargs extra) initargs)))

(defun %getf-p (plist key)
  (do ((l plist (cddr l))) ((null l) nil)
    (when (eq (car l) key) (return t))))

;;; CCL's check: every initarg is a slot's or a keyword of an applicable method of FNS.
(defun %check-initargs (class initargs fns first-args)
  (unless (getf initargs :allow-other-keys)
    (let ((valid nil) (aok nil))
      (dolist (s (%class-slots class))
        (dolist (i (getf s :initargs)) (pushnew i valid)))
      (setq valid (reverse valid))
      (do ((f fns (cdr f)) (a first-args (cdr a))) ((null f))
        (dolist (m (%applicable-methods (%gf-of (car f)) (list (car a) nil)))
          (when (%method-allow-other-keys m) (setq aok t))
          (dolist (k (%method-keys m)) (unless (member k valid) (setq valid (append valid (list k)))))))
      (unless aok
        (do ((l initargs (cddr l))) ((null l))
          (unless (or (eq (car l) :allow-other-keys) (member (car l) valid))
            (error 'ccl::simple-program-error
                   :format-control "~s is an invalid initarg to ~s for ~s.~%Valid initargs: ~s."
                   :format-arguments (list (car l) (%gf-name (%gf-of (car fns))) class valid))))))))

(defgeneric make-instance (class &rest initargs &key &allow-other-keys)
  (:method ((class symbol) &rest initargs)
    (apply #'make-instance (find-class class) initargs))
  (:method ((class standard-class) &rest initargs)
    (setq initargs (%default-initargs class initargs))
    (when initargs
      (%check-initargs class initargs
                       (list #'initialize-instance #'allocate-instance #'shared-initialize)
                       (let ((proto (%allocate-std-instance class))) (list proto class proto))))
    (let ((instance (apply #'allocate-instance class initargs)))
      (apply #'initialize-instance instance initargs)
      instance)))

;;; ---- Printing ----

(defmacro print-unreadable-object ((object stream &key type identity) &body body)
  "Write OBJECT to STREAM as #<...>: its type if TYPE, what BODY writes, its address if IDENTITY."
  `(ccl::%print-unreadable-object ,object ,stream ,type ,identity
                                  ,(and body `(lambda () ,@body))))

(defgeneric print-object (object stream)
  (:method ((object t) stream)
    ;; The printer hands only DEFCLASS instances to PRINT-OBJECT: writing those here would loop.
    (if (%std-instance-p object)
        (%print-unreadable-object object stream t t nil)
        (write object :stream stream))
    object))

(defmethod print-object ((object standard-object) stream)
  (%print-unreadable-object object stream t t nil)
  object)

(export '(class-precedence-list class-direct-superclasses class-direct-subclasses class-slots
          class-direct-slots slot-definition-name generic-function-name generic-function-methods
          generic-function-lambda-list method-specializers method-function method-generic-function)
        "CCL")
