;;;; clos.lisp — DEFCLASS, MAKE-INSTANCE and the slot functions, generic functions with standard
;;;; method combination and EQL specializers, PRINT-OBJECT, and their errors, as in CCL.

;;; Classes and methods are defined at top level: a DEFCLASS inside a DEFTEST form would be
;;; expanded with the whole test, before it runs.

(defun clos-error-text (thunk)
  (handler-case (progn (funcall thunk) :no-error)
    (error (c) (princ-to-string c))))

(defun clos-prefix (string n) (subseq string 0 (min n (length string))))

;;; ---- Classes ----

(defclass point ()
  ((x :initarg :x :initform 0 :accessor point-x :type integer :documentation "abscissa")
   (y :initarg :y :reader point-y :writer set-point-y))
  (:documentation "A point."))

(defclass point3 (point)
  ((z :initarg :z :initform 7 :accessor point-z)
   (count :initform 0 :allocation :class :accessor point3-count))
  (:default-initargs :y 99))

(deftest class.defclass-value (class-name (eval '(defclass point ()
  ((x :initarg :x :initform 0 :accessor point-x :type integer :documentation "abscissa")
   (y :initarg :y :reader point-y :writer set-point-y))
  (:documentation "A point.")))) point)
(deftest class.find-class (class-name (find-class 'point)) point)
(deftest class.find-class-missing (find-class 'no-such-class-here nil) nil)
(deftest-error class.find-class-error (find-class 'no-such-class-here) error)
(deftest class.print (prin1-to-string (find-class 'point)) "#<STANDARD-CLASS POINT>")
(deftest class.class-of-class (class-name (class-of (find-class 'point))) standard-class)
(deftest class.make (let ((p (make-instance 'point :x 1 :y 2))) (list (point-x p) (point-y p))) (1 2))
(deftest class.make-class-object (point-x (make-instance (find-class 'point) :x 5)) 5)
(deftest class.initform (point-x (make-instance 'point)) 0)
(deftest class.class-of (eq (class-of (make-instance 'point)) (find-class 'point)) t)
(deftest class.type-of (type-of (make-instance 'point)) point)
(deftest class.typep (let ((p (make-instance 'point3)))
                       (list (typep p 'point3) (typep p 'point) (typep p 'standard-object) (typep p 't)
                             (typep (make-instance 'point) 'point3) (typep 5 'point)))
  (t t t t nil nil))
(deftest class.subtypep (list (subtypep 'point3 'point) (subtypep 'point 'point3) (subtypep 'point 'standard-object))
  (t nil t))
(deftest class.cpl (mapcar #'class-name (class-precedence-list (find-class 'point3)))
  (point3 point standard-object t))
(deftest class.accessor-setf (let ((p (make-instance 'point))) (setf (point-x p) 42) (point-x p)) 42)
(deftest class.writer (let ((p (make-instance 'point))) (set-point-y 8 p) (point-y p)) 8)
(deftest class.inherited (let ((p (make-instance 'point3 :x 1 :z 3))) (list (point-x p) (point-y p) (point-z p)))
  (1 99 3))
(deftest class.default-initargs-override (point-y (make-instance 'point3 :y 1)) 1)
(deftest class.class-allocation
  (let ((a (make-instance 'point3)) (b (make-instance 'point3)))
    (setf (point3-count a) 5)
    (point3-count b))
  5)

;;; Multiple inheritance: the standard class precedence list
(defclass mi-a () ((s :initform :a :accessor mi-s)))
(defclass mi-b (mi-a) ())
(defclass mi-c (mi-a) ((s :initform :c)))
(defclass mi-d (mi-b mi-c) ())
(defclass pie () ())
(defclass apple (pie) ())
(defclass cinnamon (pie) ())
(defclass apple-cinnamon (apple cinnamon) ())

(deftest mi.cpl (mapcar #'class-name (class-precedence-list (find-class 'mi-d)))
  (mi-d mi-b mi-c mi-a standard-object t))
(deftest mi.initform (mi-s (make-instance 'mi-d)) :c)
(deftest mi.cpl-2 (mapcar #'class-name (class-precedence-list (find-class 'apple-cinnamon)))
  (apple-cinnamon apple cinnamon pie standard-object t))

;;; ---- Slots ----

(deftest slot.value (slot-value (make-instance 'point :x 3) 'x) 3)
(deftest slot.setf (let ((p (make-instance 'point))) (setf (slot-value p 'y) 4) (slot-value p 'y)) 4)
(deftest slot.boundp (let ((p (make-instance 'point))) (list (slot-boundp p 'x) (slot-boundp p 'y))) (t nil))
(deftest slot.makunbound (let ((p (make-instance 'point :x 1))) (slot-makunbound p 'x) (slot-boundp p 'x)) nil)
(deftest slot.makunbound-value (let ((p (make-instance 'point))) (eq (slot-makunbound p 'x) p)) t)
(deftest slot.exists (let ((p (make-instance 'point)))
                       (list (slot-exists-p p 'x) (slot-exists-p p 'z) (slot-exists-p 5 'x)))
  (t nil nil))
(deftest-error slot.unbound (slot-value (make-instance 'point) 'y) unbound-slot)
(deftest slot.unbound-text (clos-prefix (clos-error-text (lambda () (point-y (make-instance 'point)))) 24)
  "Slot Y is unbound in #<P")
(deftest slot.unbound-name
  (handler-case (slot-value (make-instance 'point) 'y) (unbound-slot (c) (cell-error-name c)))
  y)
(deftest-error slot.missing (slot-value (make-instance 'point) 'nope) error)
(deftest slot.missing-text (clos-error-text (lambda () (slot-value 5 'nope))) "5 has no slot named NOPE.")
(deftest-error slot.missing-setf (setf (slot-value (make-instance 'point) 'nope) 1) error)
(deftest slot.with-slots
  (let ((p (make-instance 'point :x 1 :y 2)))
    (with-slots (x (yy y)) p
      (setf x (+ x 10))
      (list x yy (point-x p))))
  (11 2 11))
(deftest slot.with-accessors
  (let ((p (make-instance 'point :x 1 :y 2)))
    (with-accessors ((px point-x) (py point-y)) p
      (setf px 5)
      (list px py)))
  (5 2))

;;; ---- Initialization ----

(defclass counted () ((n :initarg :n :accessor counted-n) (log :initform nil :accessor counted-log)))
(defmethod initialize-instance :after ((c counted) &key (extra 0))
  (push (list :after extra) (counted-log c)))

(deftest init.after (counted-log (make-instance 'counted :n 1 :extra 5)) ((:after 5)))
(deftest init.method-key-valid (counted-n (make-instance 'counted :n 2 :extra 1)) 2)
(deftest-error init.bad-initarg (make-instance 'point :z 1) program-error)
(deftest init.bad-initarg-text (clos-error-text (lambda () (make-instance 'point :z 1)))
  ":Z is an invalid initarg to INITIALIZE-INSTANCE for #<STANDARD-CLASS POINT>.
Valid initargs: (:X :Y).")
(deftest init.allow-other-keys (point-x (make-instance 'point :x 3 :bad 1 :allow-other-keys t)) 3)
(deftest init.reinitialize
  (let ((p (make-instance 'point :x 1 :y 2)))
    (reinitialize-instance p :y 5)
    (list (point-x p) (point-y p)))
  (1 5))
(deftest init.allocate-instance
  (let ((p (allocate-instance (find-class 'point)))) (slot-boundp p 'x))
  nil)
(deftest init.shared-initialize
  (let ((p (allocate-instance (find-class 'point))))
    (shared-initialize p '(x) :y 3)
    (list (point-x p) (point-y p)))
  (0 3))
(deftest-error init.no-class (make-instance 'no-such-class-here) error)

;;; ---- Generic functions ----

(defgeneric describe-it (x) (:documentation "Say what X is.")
  (:method ((x integer)) :integer)
  (:method ((x string)) :string)
  (:method ((x null)) :null)
  (:method ((x list)) :list)
  (:method ((x symbol)) :symbol)
  (:method ((x (eql 7))) (list :seven (call-next-method)))
  (:method ((x t)) :other))

(deftest gf.builtin (mapcar #'describe-it (list 1 "s" nil '(1) 'a 7 #\c 1.5))
  (:integer :string :null :list :symbol (:seven :integer) :other :other))
(deftest gf.functionp (functionp #'describe-it) t)
(deftest gf.defgeneric-value (functionp (eval '(defgeneric gf-fresh (a b)))) t)

(defgeneric combine (a b))
(defmethod combine ((a integer) (b integer)) (list :ii a b))
(defmethod combine ((a integer) b) (list :it a b))
(defmethod combine (a (b string)) (list :ts a b))
(deftest gf.multi (list (combine 1 2) (combine 1 'x) (combine 'x "s") (combine 1 "s"))
  ((:ii 1 2) (:it 1 x) (:ts x "s") (:it 1 "s")))
(deftest-error gf.no-applicable (combine 'x 'y) error)
(deftest gf.no-applicable-text
  (let ((s (clos-error-text (lambda () (combine 'x 'y)))))
    (list (clos-prefix s 60) (subseq s (search "when" s))))
  ("There is no applicable method for the generic function:
  #<"
   "when called with arguments:
  (X Y)"))

(defvar *trace* nil)
(defclass animal () ((name :initarg :name :reader animal-name)))
(defclass dog (animal) ())
(defgeneric speak (a &optional loud))
(defmethod speak ((a animal) &optional loud) (push :animal *trace*) (if loud :LOUD :quiet))
(defmethod speak ((a dog) &optional loud) (push :dog *trace*) (list :woof (call-next-method a (not loud))))
(defmethod speak :before ((a animal) &optional loud) (declare (ignore loud)) (push :before-animal *trace*))
(defmethod speak :before ((a dog) &optional loud) (declare (ignore loud)) (push :before-dog *trace*))
(defmethod speak :after ((a animal) &optional loud) (declare (ignore loud)) (push :after-animal *trace*))
(defmethod speak :after ((a dog) &optional loud) (declare (ignore loud)) (push :after-dog *trace*))
(defmethod speak :around ((a dog) &optional loud)
  (push :around *trace*) (list :around (next-method-p) (call-next-method)))

(deftest comb.order
  (let ((*trace* nil))
    (list (speak (make-instance 'dog)) (reverse *trace*)))
  ((:around t (:woof :loud)) (:around :before-dog :before-animal :dog :animal :after-animal :after-dog)))
(deftest comb.animal
  (let ((*trace* nil)) (list (speak (make-instance 'animal) t) (reverse *trace*)))
  (:loud (:before-animal :animal :after-animal)))
(deftest comb.value-of-after-ignored
  (let ((*trace* nil)) (speak (make-instance 'animal))) :quiet)

(defgeneric nm (x))
(defmethod nm ((x integer)) (list (next-method-p) (call-next-method)))
(deftest-error comb.no-next-method (nm 1) error)
(deftest comb.no-next-method-text
  (let ((s (clos-error-text (lambda () (nm 1)))))
    (list (clos-prefix s 28) (subseq s (search "args" s))))
  ("There is no next method for " "args: (1)"))
(defmethod nm ((x number)) :number)
(deftest comb.next-after-add (nm 1) (t :number))
(deftest comb.cache-invalidated
  (progn (nm 2) (defmethod nm ((x fixnum)) (list :fixnum (call-next-method))) (nm 2))
  (:fixnum (t :number)))

;;; find-method, remove-method, compute-applicable-methods
(defgeneric fm (x))
(defmethod fm ((x integer)) :int)
(defmethod fm ((x number)) :num)
(defmethod fm :before ((x integer)) nil)
(deftest fm.find (not (null (find-method #'fm nil (list (find-class 'integer))))) t)
(deftest fm.find-names (not (null (find-method #'fm '(:before) '(integer)))) t)
(deftest fm.find-missing (find-method #'fm nil '(string) nil) nil)
(deftest-error fm.find-error (find-method #'fm nil '(string)) error)
(deftest fm.qualifiers (method-qualifiers (find-method #'fm '(:before) '(integer))) (:before))
(deftest fm.applicable (length (compute-applicable-methods #'fm '(1))) 3)
(deftest fm.applicable-float (length (compute-applicable-methods #'fm '(1.0))) 1)
(deftest fm.remove
  (progn (remove-method #'fm (find-method #'fm nil '(integer))) (fm 1))
  :num)
(deftest fm.remove-value (eq (remove-method #'fm (find-method #'fm nil '(number))) #'fm) t)
(deftest-error fm.after-remove (fm 1) error)

;;; EQL specializers and several arguments
(defgeneric ev (x y))
(defmethod ev ((x (eql :a)) y) (list :a y))
(defmethod ev ((x symbol) (y (eql 1))) (list :sym-one x))
(defmethod ev (x y) (list :default x y))
(deftest eql.dispatch (list (ev :a 1) (ev :b 1) (ev :b 2) (ev 3 1))
  ((:a 1) (:sym-one :b) (:default :b 2) (:default 3 1)))
(deftest eql.repeat (list (ev :b 2) (ev :a 2) (ev :b 2)) ((:default :b 2) (:a 2) (:default :b 2)))

;;; &key methods
(defgeneric kf (x &key))
(defmethod kf ((x integer) &key (scale 1)) (* x scale))
(defmethod kf ((x string) &key upcase) (if upcase (string-upcase x) x))
(deftest key.methods (list (kf 2 :scale 3) (kf 2) (kf "ab" :upcase t)) (6 2 "AB"))

;;; setf generic functions
(defgeneric (setf thing-of) (value obj))
(defmethod (setf thing-of) (value (obj cons)) (setf (car obj) value))
(deftest setf-gf (let ((c (list 1 2))) (setf (thing-of c) 9) c) (9 2))

;;; Methods on classes as built-in specializers of DEFCLASS instances
(defmethod describe-it ((x point)) (list :point (point-x x)))
(deftest gf.user-class (describe-it (make-instance 'point3 :x 4)) (:point 4))

;;; Defining a method on a plain function is an error
(defun plain-fn (x) x)
(deftest-error gf.not-generic (eval '(defmethod plain-fn ((x integer)) x)) error)

;;; ---- Printing ----

(defclass named-thing () ((name :initarg :name)))
(defmethod print-object ((x named-thing) stream)
  (print-unreadable-object (x stream :type t)
    (format stream "~A" (slot-value x 'name))))
(defclass plain-thing () ())

(deftest print.method (prin1-to-string (make-instance 'named-thing :name "bob")) "#<NAMED-THING bob>")
(deftest print.format (format nil "[~A]" (make-instance 'named-thing :name 'x)) "[#<NAMED-THING X>]")
(deftest print.in-list (prin1-to-string (list 1 (make-instance 'named-thing :name 2))) "(1 #<NAMED-THING 2>)")
(deftest print.default (clos-prefix (prin1-to-string (make-instance 'plain-thing)) 16) "#<PLAIN-THING #x")
(deftest print.unreadable-identity
  (let ((s (with-output-to-string (o)
             (print-unreadable-object ((make-instance 'plain-thing) o :type t :identity t)
               (princ "hi" o)))))
    (list (clos-prefix s 18) (char s (1- (length s)))))
  ("#<PLAIN-THING hi #" #\>))
(deftest print.unreadable-no-type
  (with-output-to-string (o) (print-unreadable-object (5 o) (princ "five" o)))
  "#<five>")
(deftest print.print-object-direct
  (with-output-to-string (o) (print-object (make-instance 'named-thing :name "z") o))
  "#<NAMED-THING z>")
(deftest print.print-object-builtin (with-output-to-string (o) (print-object 42 o)) "42")
(defgeneric fm-print (x))
(defmethod fm-print ((x integer)) x)
(deftest print.method-object (prin1-to-string (find-method #'fm-print nil '(integer)))
  "#<STANDARD-METHOD FM-PRINT (INTEGER)>")
