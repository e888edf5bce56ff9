;;;; clos_redefine.lisp — redefining a class updates its existing instances and those of its
;;;; subclasses (CLHS 4.3.6), MAKE-INSTANCES-OBSOLETE, and CHANGE-CLASS (CLHS 7.2), as in CCL.

;;; Classes are (re)defined at top level, between the tests that look at their instances.

(defun redef-error-text (thunk)
  (handler-case (progn (funcall thunk) :no-error)
    (error (c) (princ-to-string c))))

;;; ---- Adding and removing slots ----

(defclass shape () ((name :initarg :name :initform "s" :accessor shape-name) (color :initform :red)))
(defclass circle (shape) ((radius :initarg :radius :initform 1 :accessor circle-radius)))

(defvar *shape* (make-instance 'shape :name "first"))
(defvar *circle* (make-instance 'circle :radius 5))
(setf (slot-value *shape* 'color) :blue)
(defvar *old-layout-reader* (shape-name *shape*))

(defclass shape () ((name :initarg :name :initform "s" :accessor shape-name) (area :initform 0)))

(deftest redefine.kept (shape-name *shape*) "first")
(deftest redefine.added-initform (slot-value *shape* 'area) 0)
(deftest redefine.removed (slot-exists-p *shape* 'color) nil)
(deftest-error redefine.removed-access (slot-value *shape* 'color) error)
(deftest redefine.subclass-kept (list (shape-name *circle*) (circle-radius *circle*)) ("s" 5))
(deftest redefine.subclass-added (slot-value *circle* 'area) 0)
(deftest redefine.subclass-removed (slot-exists-p *circle* 'color) nil)
(deftest redefine.same-object (eq (class-of *shape*) (find-class 'shape)) t)
(deftest redefine.new-instances (mapcar (lambda (s) (getf s :name)) (class-slots (find-class 'circle)))
  (name area radius))
(deftest redefine.typep (list (typep *circle* 'shape) (typep *shape* 'circle)) (t nil))

;;; ---- UPDATE-INSTANCE-FOR-REDEFINED-CLASS sees what changed ----

(defvar *updates* nil)
(defmethod update-instance-for-redefined-class :before ((s shape) added discarded plist &rest initargs)
  (push (list (type-of s) added discarded plist initargs) *updates*))

(defvar *shape2* (make-instance 'shape :name "second"))
(setf (slot-value *shape2* 'area) 12)
(defclass shape () ((name :initarg :name :initform "s" :accessor shape-name) (sides :initform 4)))

(deftest uifrc.arguments (progn (slot-value *shape2* 'name) (first *updates*))
  (shape (sides) (area) (area 12) nil))
(deftest uifrc.lazy-per-instance
  (let ((before (length *updates*)))
    (shape-name *shape2*)
    (slot-value *shape* 'sides)
    (- (length *updates*) before))
  1)
(deftest uifrc.unbound-discarded-not-in-plist
  (let ((s (make-instance 'shape)))
    (slot-makunbound s 'sides)
    (defclass shape () ((name :initarg :name :initform "s" :accessor shape-name) (edges :initform 3)))
    (slot-value s 'edges)
    (first *updates*))
  (shape (edges) (sides) nil nil))

;;; A redefinition that keeps the local slots does not update instances.
(defvar *shape3* (make-instance 'shape :name "third"))
(shape-name *shape3*)
(defclass shape () ((name :initarg :name :initform "other" :accessor shape-name) (edges :initform 5))
  (:documentation "Now documented."))
(deftest uifrc.not-called-same-slots
  (let ((before (length *updates*))) (list (shape-name *shape3*) (slot-value *shape3* 'edges) (- (length *updates*) before)))
  ("third" 3 0))

;;; MAKE-INSTANCES-OBSOLETE updates them anyway.
(deftest obsolete.forced
  (let ((before (length *updates*)))
    (make-instances-obsolete 'shape)
    (list (shape-name *shape3*) (- (length *updates*) before) (first *updates*)))
  ("third" 1 (shape nil nil nil nil)))
(deftest obsolete.value (let ((c (find-class 'shape))) (eq (make-instances-obsolete c) c)) t)

;;; ---- Shared slots, slot order, accessors ----

(defclass counter () ((count :initform 0 :allocation :class :accessor counter-count) (id :initarg :id)))
(defvar *counter* (make-instance 'counter :id 1))
(setf (counter-count *counter*) 10)
(defclass counter () ((tag :initform :t) (count :initform 0 :allocation :class :accessor counter-count)
                      (id :initarg :id)))
(deftest shared.kept-across-redefinition (list (counter-count *counter*) (counter-count (make-instance 'counter)))
  (10 10))
(deftest shared.order-changed (list (slot-value *counter* 'id) (slot-value *counter* 'tag)) (1 :t))

(defclass shifting () ((a :initarg :a :accessor shifting-a) (b :initarg :b :accessor shifting-b)))
(defvar *shifting* (make-instance 'shifting :a 1 :b 2))
(deftest accessor.before (list (shifting-a *shifting*) (shifting-b *shifting*)) (1 2))
(defclass shifting () ((z :initform :z) (b :initarg :b :accessor shifting-b) (a :initarg :a :accessor shifting-a)))
(deftest accessor.after-reorder (list (shifting-a *shifting*) (shifting-b *shifting*) (slot-value *shifting* 'z))
  (1 2 :z))
(deftest accessor.setf-after-reorder (progn (setf (shifting-b *shifting*) 20) (slot-value *shifting* 'b)) 20)
(defclass shifting () ((a :initarg :a)))
(deftest-error accessor.removed-reader (shifting-b *shifting*) error)
(deftest accessor.removed-methods (generic-function-methods #'shifting-b) ())

(defclass local-to-shared () ((v :initform 1)))
(defvar *l2s* (make-instance 'local-to-shared))
(setf (slot-value *l2s* 'v) 42)
(defclass local-to-shared () ((v :initform 7 :allocation :class)))
(deftest allocation.local-to-shared (slot-value *l2s* 'v) 7)

(defclass shared-to-local () ((v :initform 5 :allocation :class)))
(defvar *s2l* (make-instance 'shared-to-local))
(defclass shared-to-local () ((v :initform 9)))
(deftest allocation.shared-to-local (slot-value *s2l* 'v) 5)

;;; ---- CHANGE-CLASS ----

(defclass pos2 () ((x :initarg :x :initform 0) (y :initarg :y :initform 0)))
(defclass pos3 () ((x :initarg :x :initform 0) (y :initarg :y :initform 0) (z :initarg :z :initform 0)))
(defclass polar () ((rho :initarg :rho :initform 1) (theta :initform 0) (x :initform :unused)))

(deftest change.kept-and-added
  (let ((p (make-instance 'pos2 :x 1 :y 2)))
    (change-class p 'pos3)
    (list (class-name (class-of p)) (slot-value p 'x) (slot-value p 'y) (slot-value p 'z)))
  (pos3 1 2 0))
(deftest change.initargs
  (let ((p (make-instance 'pos2 :x 1)))
    (change-class p 'pos3 :z 9)
    (slot-value p 'z))
  9)
(deftest change.class-object
  (let ((p (make-instance 'pos2)))
    (eq (change-class p (find-class 'pos3)) p))
  t)
(deftest change.dropped
  (let ((p (make-instance 'pos3 :x 1 :z 3)))
    (change-class p 'pos2)
    (list (slot-exists-p p 'z) (slot-value p 'x)))
  (nil 1))
(deftest change.typep
  (let ((p (make-instance 'pos2)))
    (change-class p 'polar)
    (list (typep p 'polar) (typep p 'pos2) (type-of p)))
  (t nil polar))
(deftest change.same-slot-kept-not-initialized
  (let ((p (make-instance 'pos2 :x 5)))
    (change-class p 'polar)
    (list (slot-value p 'x) (slot-value p 'rho) (slot-value p 'theta)))
  (5 1 0))

(defvar *transitions* nil)
(defmethod update-instance-for-different-class :before ((old pos2) (new polar) &key)
  (push (list (class-name (class-of old)) (slot-value old 'x) (slot-value old 'y)) *transitions*))
(defmethod update-instance-for-different-class :after ((old pos2) (new polar) &key)
  (setf (slot-value new 'rho) (sqrt (float (+ (expt (slot-value old 'x) 2) (expt (slot-value old 'y) 2))))))
(deftest change.uifdc-sees-previous
  (let ((p (make-instance 'pos2 :x 3 :y 4)))
    (change-class p 'polar)
    (list (first *transitions*) (slot-value p 'rho)))
  ((pos2 3 4) 5.0))
(deftest-error change.bad-initarg (change-class (make-instance 'pos2) 'pos3 :w 1) program-error)
(deftest change.bad-initarg-text (redef-error-text (lambda () (change-class (make-instance 'pos2) 'pos3 :w 1)))
  ":W is an invalid initarg to UPDATE-INSTANCE-FOR-DIFFERENT-CLASS for #<STANDARD-CLASS POS3>.
Valid initargs: (:X :Y :Z).")
(deftest-error change.not-a-class (change-class (make-instance 'pos2) 'no-such-class-at-all) error)
(deftest-error change.builtin (change-class 5 'pos2) error)
(deftest change.methods-follow
  (progn (defgeneric where (p))
         (defmethod where ((p pos2)) :pos2)
         (defmethod where ((p pos3)) :pos3)
         (let ((p (make-instance 'pos2)))
           (list (where p) (progn (change-class p 'pos3) (where p)))))
  (:pos2 :pos3))
(deftest change.describe
  (let ((p (make-instance 'pos2 :x 1 :y 2)))
    (change-class p 'pos3)
    (let ((text (with-output-to-string (s) (describe p s))))
      (subseq text (search "Instance slots" text))))
  "Instance slots
X: 1
Y: 2
Z: 0
")

;;; ---- Errors ----

(deftest-error defclass.bad-slot-option (eval '(defclass bad-opt () ((a :bogus 1)))) error)
(deftest-error defclass.bad-class-option (eval '(defclass bad-opt () () (:bogus 1))) error)
(deftest-error defclass.builtin (eval '(defclass integer () ())) error)

;;; ---- Dispatch caches follow redefinitions ----

(defclass base-k () ())
(defclass derived-k (base-k) ())
(defgeneric which-k (x))
(defmethod which-k ((x base-k)) :base)
(defmethod which-k (x) (declare (ignore x)) :other)
(defvar *derived-k* (make-instance 'derived-k))
(deftest cache.before-redefinition (which-k *derived-k*) :base)
(defclass derived-k () ())
(deftest cache.after-redefinition (list (which-k *derived-k*) (typep *derived-k* 'base-k)) (:other nil))
(defclass derived-k (base-k) ())
(deftest cache.after-second-redefinition (which-k *derived-k*) :base)

;;; EQL specializers on two arguments: the keys of the cache are the specializers they match.
(defgeneric pair-k (a b))
(defmethod pair-k ((a (eql 1)) (b (eql 2))) :one-two)
(defmethod pair-k ((a integer) (b (eql 2))) :int-two)
(defmethod pair-k ((a integer) (b integer)) :int-int)
(deftest eql.two-arguments (list (pair-k 1 2) (pair-k 3 2) (pair-k 1 3) (pair-k 1 2) (pair-k 3 3))
  (:one-two :int-two :int-int :one-two :int-int))
(deftest eql.cache-entries (ccl::%gf-cache-count #'pair-k) 4)
(deftest eql.numbers-are-eql (list (pair-k 1 2) (pair-k (- 3 2) (+ 1 1))) (:one-two :one-two))

;;; DEFGENERIC again replaces the methods its :METHOD options made, and keeps the others.
(defgeneric regen (x) (:method ((x integer)) :int) (:method ((x string)) :string))
(defmethod regen ((x symbol)) :symbol)
(defgeneric regen (x) (:method ((x integer)) :new-int))
(deftest defgeneric.again (list (regen 1) (regen 'a) (handler-case (regen "s") (error () :no-method)))
  (:new-int :symbol :no-method))
(deftest defgeneric.value (class-name (class-of (eval '(defgeneric regen (x))))) standard-generic-function)
