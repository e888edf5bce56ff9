;;;; clos-instances.lisp — the generic functions of CLOS's instance protocol (make-instance and
;;;; its kin, redefinition, CHANGE-CLASS, PRINT-OBJECT, DESCRIBE-OBJECT), over clos.lisp.
;;;; autoload: module — read whole the first time one of its names is used.

;;; ---- Errors of dispatch ----

(define-condition no-applicable-method-exists (error)
  ((gf :initarg :gf) (args :initarg :args))
  (:report (lambda (c s)
             (format s "There is no applicable method for the generic function:~%  ~s~%when called with arguments:~%  ~s"
                     (%condition-slot-value c 'gf) (%condition-slot-value c 'args)))))

(defgeneric no-applicable-method (generic-function &rest function-arguments)
  (:documentation "Called when no method of GENERIC-FUNCTION applies to FUNCTION-ARGUMENTS.")
  (:method (gf &rest args)
    (cerror "Try calling it again" (make-condition 'no-applicable-method-exists :gf gf :args args))
    (apply gf args)))

(defgeneric no-next-method (generic-function method &rest args)
  (:documentation "Called by CALL-NEXT-METHOD when METHOD has no next method.")
  (:method (gf method &rest args)
    (declare (ignore gf))
    (error "There is no next method for ~s~%args: ~s" method args)))

(defun invalid-method-error (method format-control &rest args)
  "Signal that METHOD is invalid for its method combination."
  (error "~s is an invalid method.~%~?" method format-control args))

(defun method-combination-error (format-control &rest args)
  "Signal an error in method combination."
  (apply #'error format-control args))

(defgeneric slot-missing (class object slot-name operation &optional new-value)
  (:documentation "Called when OBJECT has no slot named SLOT-NAME.")
  (:method (class object slot-name operation &optional new-value)
    (declare (ignore class operation new-value))
    (error "~s has no slot named ~s." object slot-name)))

(defgeneric slot-unbound (class instance slot-name)
  (:documentation "Called when the slot named SLOT-NAME of INSTANCE is unbound.")
  (:method (class instance slot-name)
    (declare (ignore class))
    (error 'unbound-slot :name slot-name :instance instance)))

;;; ---- Initialization ----

(defgeneric allocate-instance (class &rest initargs &key &allow-other-keys)
  (:documentation "A new instance of CLASS with every slot unbound.")
  (:method ((class standard-class) &rest initargs)
    (declare (ignore initargs))
    (%allocate-std-instance class)))

(defun %shared-initialize (instance slot-names initargs)
  (dolist (s (%class-slots (class-of instance)))
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
  instance)

(defgeneric shared-initialize (instance slot-names &rest initargs &key &allow-other-keys)
  (:documentation "Fill the slots of INSTANCE from INITARGS, and those named in SLOT-NAMES (or all, T) from their initforms.")
  (:method ((instance standard-object) slot-names &rest initargs)
    (%shared-initialize instance slot-names initargs)))

(defgeneric initialize-instance (instance &rest initargs &key &allow-other-keys)
  (:documentation "Initialize a new INSTANCE from INITARGS (by SHARED-INITIALIZE).")
  (:method ((instance standard-object) &rest initargs)
    (apply #'shared-initialize instance t initargs)))

(defgeneric reinitialize-instance (instance &rest initargs &key &allow-other-keys)
  (:documentation "Change the slots of INSTANCE named by INITARGS.")
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

;;; CCL's check: every initarg is a slot's or a keyword of an applicable method of FNS; the
;;; valid ones, or T when some method allows other keys.
(defun %valid-initargs (class fns first-args)
  (let ((valid nil))
    (dolist (s (%class-slots class))
      (dolist (i (getf s :initargs)) (pushnew i valid)))
    (setq valid (reverse valid))
    (do ((f fns (cdr f)) (a first-args (cdr a))) ((null f) valid)
      (dolist (m (%applicable-methods (%gf-of (car f)) (list (car a) nil)))
        (when (%method-allow-other-keys m) (return-from %valid-initargs t))
        (dolist (k (%method-keys m)) (unless (member k valid) (setq valid (append valid (list k)))))))))

(defun %initargs-error (key fn class valid)
  (error 'simple-program-error
         :format-control "~s is an invalid initarg to ~s for ~s.~%Valid initargs: ~s."
         :format-arguments (list key (if (symbolp fn) fn (%gf-name (%gf-of fn))) class valid)))

(defun %check-initargs-against (valid initargs fn class)
  (unless (or (eq valid t) (getf initargs :allow-other-keys))
    (do ((l initargs (cddr l))) ((null l))
      (unless (or (eq (car l) :allow-other-keys) (member (car l) valid))
        (%initargs-error (car l) fn class valid)))))

(defun %check-initargs (class initargs fns first-args)
  (when initargs
    (%check-initargs-against (%valid-initargs class fns first-args) initargs (car fns) class)))

;;; What MAKE-INSTANCE needs of a class, computed once: #(valid-initargs standard-p slot-plan
;;; default-initargs). STANDARD-P: only the standard methods of ALLOCATE-INSTANCE,
;;; INITIALIZE-INSTANCE and SHARED-INITIALIZE apply, so the instance is made and filled here
;;; directly. The plan has (index initargs initfunction) per slot; the defaults are (initarg
;;; function) in precedence order. Defining a class or a method of those generic functions
;;; forgets every record.
(defvar %ctors (make-hash-table :test 'eq))
(defvar %ctor-functions '(make-instance allocate-instance initialize-instance shared-initialize))
;;; True while MAKE-INSTANCE has only its two standard methods: then a class name goes
;;; straight to %MAKE-INSTANCE-STD.
(defvar %make-instance-standard-p nil)
(push (lambda () (clrhash %ctors)) %classes-changed-hooks)
(push (lambda (gf)
        (when (member (%gf-name gf) %ctor-functions) (clrhash %ctors))
        (when (eq (%gf-name gf) 'make-instance)
          (setq %make-instance-standard-p (= (length (%gf-methods gf)) 2))))
      %methods-changed-hooks)

(defun %only-standard-method-p (fn args)
  (let ((ms (%applicable-methods (%gf-of fn) args)))
    (and ms (null (cdr ms)) (eq (car (%method-specializers (car ms))) (find-class 'standard-object)))))

(defun %compute-ctor (class)
  (let* ((proto (%allocate-std-instance class))
         (valid (%valid-initargs class (list #'initialize-instance #'allocate-instance #'shared-initialize)
                                 (list proto class proto)))
         (standard (and (let ((ms (%applicable-methods (%gf-of #'allocate-instance) (list class))))
                          (and ms (null (cdr ms))
                               (eq (car (%method-specializers (car ms))) (find-class 'standard-class))))
                        (%only-standard-method-p #'initialize-instance (list proto))
                        (%only-standard-method-p #'shared-initialize (list proto t))))
         (plan (let ((i -1))
                 (mapcar (lambda (s) (list (incf i) (getf s :initargs) (getf s :initfunction)))
                         (%class-slots class))))
         (defaults nil))
    (dolist (c (%class-cpl class))
      (when (%standard-class-p c)
        (dolist (d (%class-default-initargs c))
          (unless (assoc (first d) defaults) (push (list (first d) (third d)) defaults)))))
    (setf (gethash class %ctors) (vector valid standard plan (nreverse defaults)))))

(defun %make-instance-std (class initargs)
  (let* ((ctor (or (gethash class %ctors) (%compute-ctor class)))
         (initargs (%ctor-initargs ctor initargs class)))
    (if (svref ctor 1)
        (%ctor-make class (svref ctor 2) initargs)
        (let ((instance (apply #'allocate-instance class initargs)))
          (apply #'initialize-instance instance initargs)
          instance))))

(defgeneric make-instance (class &rest initargs &key &allow-other-keys)
  (:documentation "A new instance of CLASS (a class or its name), initialized from INITARGS.")
  (:method ((class symbol) &rest initargs)
    (if %make-instance-standard-p
        (%make-instance-std (find-class class) initargs)
        (apply #'make-instance (find-class class) initargs)))
  (:method ((class standard-class) &rest initargs)
    (%make-instance-std class initargs)))

;;; ---- Redefinition: updating instances ----

(defun %slot-instance-p (slotd) (not (eq (getf slotd :allocation) :class)))

;;; Copies the slots OLD-VECTOR and NEW-VECTOR (in the current layout of its class) have in
;;; common; (values added discarded property-list) as the standard's updates want them.
(defun %relayout (old-vector new-vector new-layout)
  (let ((old-layout (%slot-vector-layout old-vector)) (pairs nil) (added nil) (discarded nil) (plist nil)
        (j 0) (i 0))
    (dolist (s new-layout)
      (when (%slot-instance-p s)
        (let ((k (position (getf s :name) old-layout :key (lambda (d) (getf d :name)))))
          (if k (push (cons k j) pairs) (push (getf s :name) added))))
      (incf j))
    (dolist (s old-layout)
      (let ((name (getf s :name)))
        (when (and (%slot-instance-p s)
                   (not (find-if (lambda (d) (and (eq (getf d :name) name) (%slot-instance-p d))) new-layout)))
          (push name discarded)
          (let ((v (%slot-vector-ref old-vector i %unbound-marker)))
            (unless (eq v %unbound-marker) (setq plist (list* name v plist))))))
      (incf i))
    (%transfer-slots old-vector new-vector pairs)
    (values (nreverse added) (nreverse discarded) plist)))

;;; Layouts made by MAKE-INSTANCES-OBSOLETE: their instances are updated even when no slot
;;; was added or discarded.
(defvar %forced-layouts (make-hash-table :test 'eq))

(defun %update-slot-vector (object old-vector install)
  (let* ((class (class-of object))
         (new-vector (%make-std-slot-vector class)))
    (multiple-value-bind (added discarded plist) (%relayout old-vector new-vector (%class-slots class))
      (funcall install new-vector)
      (when (or added discarded (gethash (%class-slots class) %forced-layouts))
        (update-instance-for-redefined-class object added discarded plist)))
    new-vector))

;;; builtins/clos.c calls this when it meets an instance whose class was redefined.
(defun %update-obsolete-instance (instance)
  (%update-slot-vector instance (%std-instance-slots instance)
                       (lambda (v) (%std-instance-become instance (class-of instance) v)))
  instance)

(defun %side-slots-current (object vector)
  (if (eq (%slot-vector-layout vector) (%class-slots (class-of object)))
      vector
      (%update-slot-vector object vector (lambda (v) (%set-object-side-slots object v)))))

(defgeneric update-instance-for-redefined-class (instance added-slots discarded-slots property-list
                                                 &rest initargs &key &allow-other-keys)
  (:documentation "Called when INSTANCE is brought up to date with its redefined class: by default it initializes ADDED-SLOTS from their initforms.")
  (:method ((instance standard-object) added-slots discarded-slots property-list &rest initargs)
    (declare (ignore discarded-slots property-list))
    (%check-initargs (class-of instance) initargs
                     (list #'update-instance-for-redefined-class #'shared-initialize)
                     (list instance instance))
    (apply #'shared-initialize instance added-slots initargs)))

(defun make-instances-obsolete (class)
  "Make the instances of CLASS be updated (UPDATE-INSTANCE-FOR-REDEFINED-CLASS) at their next access."
  (let ((c (if (symbolp class) (find-class class) class)))
    (%class-new-layout c)
    (setf (gethash (%class-slots c) %forced-layouts) t)
    class))

;;; ---- CHANGE-CLASS ----

(defgeneric update-instance-for-different-class (previous current &rest initargs &key &allow-other-keys)
  (:documentation "Called by CHANGE-CLASS: by default it initializes the slots CURRENT has and PREVIOUS had not.")
  (:method ((previous standard-object) (current standard-object) &rest initargs)
    (let ((old (mapcar (lambda (s) (getf s :name)) (%class-slots (class-of previous))))
          (added nil))
      (dolist (s (%class-slots (class-of current)))
        (when (and (%slot-instance-p s) (not (member (getf s :name) old)))
          (push (getf s :name) added)))
      (%check-initargs (class-of current) initargs
                       (list #'update-instance-for-different-class #'shared-initialize)
                       (list previous current))
      (apply #'shared-initialize current (nreverse added) initargs))))

;;; Sockets are natives: one can join a subclass of its own class (its slots then live in the
;;; object, %OBJECT-SIDE-SLOTS), so that methods on the subclass apply to it.
(defvar %socket-classes
  '(ccl::tcp-stream ccl::file-socket-stream ccl::listener-socket ccl::file-listener-socket ccl::udp-socket))

(defun %native-socket-class (object)
  (find-if (lambda (c) (member (class-name c) %socket-classes)) (%class-cpl (class-of object))))

(defun %change-socket-class (object new-class initargs)
  (let ((base (%native-socket-class object)))
    (unless (and base (member base (%class-cpl new-class)))
      (error "Can't change the class of ~s to ~s: the new class must inherit from ~s."
             object new-class (if base (class-name base) 'ccl::socket)))
    (let* ((old-vector (or (%object-side-slots object) (%make-std-slot-vector (class-of object))))
           (previous (%allocate-std-instance (class-of object)))
           (new-vector (%make-std-slot-vector new-class)))
      (%std-instance-become previous (class-of object) old-vector)
      (%relayout old-vector new-vector (%class-slots new-class))
      (%set-object-class object new-class)
      (%set-object-side-slots object (and (%class-slots new-class) new-vector))
      (apply #'update-instance-for-different-class previous object initargs)
      object)))

(defun %change-class (instance new-class initargs)
  (cond ((%std-instance-p instance)
         (unless (%standard-class-p new-class)
           (error "Can't change the class of ~s to ~s." instance new-class))
         (let* ((old-vector (%std-instance-current-slots instance))
                (previous (%copy-std-instance instance))
                (new-vector (%make-std-slot-vector new-class)))
           (%relayout old-vector new-vector (%class-slots new-class))
           (%std-instance-become instance new-class new-vector)
           (apply #'update-instance-for-different-class previous instance initargs)
           instance))
        ((%native-socket-class instance) (%change-socket-class instance new-class initargs))
        (t (error "Can't change the class of ~s to ~s." instance new-class))))

(defgeneric change-class (instance new-class &rest initargs &key &allow-other-keys)
  (:documentation "Make INSTANCE an instance of NEW-CLASS (a class or its name), keeping the slots both have.")
  (:method ((instance standard-object) (new-class symbol) &rest initargs)
    (apply #'change-class instance (find-class new-class) initargs))
  (:method ((instance standard-object) (new-class standard-class) &rest initargs)
    (%change-class instance new-class initargs))
  (:method ((instance t) new-class &rest initargs)
    (declare (ignore initargs))
    (error "Can't change the class of ~s to ~s." instance new-class)))

;;; ---- Printing ----

(defmacro print-unreadable-object ((object stream &key type identity) &body body)
  "Write OBJECT to STREAM as #<...>: its type if TYPE, what BODY writes, its address if IDENTITY."
  `(%print-unreadable-object ,object ,stream ,type ,identity
                             ,(and body `(lambda () ,@body))))

;;; interp/printer_objects.c hands structures, conditions, sockets and streams to PRINT-OBJECT
;;; unless they are the object bound here: the default method writes them again that way.
(defvar *print-object-bypass* nil)

(defgeneric print-object (object stream)
  (:documentation "Write OBJECT to STREAM; the printer calls it for instances, structures, conditions and sockets.")
  (:method ((object t) stream)
    (let ((*print-object-bypass* object))
      (write object :stream stream))
    object))

(defmethod print-object ((object standard-object) stream)
  (if (%std-instance-p object)
      (%print-unreadable-object object stream t t nil)
      (call-next-method))
  object)

;;; CCL's print-method: #<STANDARD-METHOD NAME :QUALIFIER (SPECIALIZER ...)>
(defmethod print-object ((m standard-method) stream)
  (%print-unreadable-object
   m stream nil nil
   (lambda ()
     (let ((q (%method-qualifiers m)))
       (format stream "~s ~s " (class-name (class-of m)) (%method-name m))
       (when q (format stream "~s " (if (cdr q) q (car q))))
       (format stream "~s" (mapcar #'%specializer-name (%method-specializers m))))))
  m)

;;; ---- DESCRIBE ----

(defgeneric describe-object (object stream)
  (:documentation "Write a description of OBJECT to STREAM; DESCRIBE calls it.")
  (:method ((object t) stream)
    (%describe-object object stream)
    (values)))


(setq %make-instance-standard-p (= (length (%gf-methods (%gf-of #'make-instance))) 2))
