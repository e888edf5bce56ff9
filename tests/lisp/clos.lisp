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

;;; ---- Generic functions are objects of class STANDARD-GENERIC-FUNCTION ----

(defgeneric gfo (x) (:documentation "A generic function for the object tests."))
(defmethod gfo ((x integer)) (* x 2))
(defmethod gfo :before ((x integer)) nil)
(defmethod gfo ((x (eql :k))) :k)

(defun clos-suffix (string n) (subseq string (max 0 (- (length string) n))))

(deftest gfobj.print (clos-prefix (prin1-to-string #'gfo) 34) "#<STANDARD-GENERIC-FUNCTION GFO #x")
(deftest gfobj.print-end (clos-suffix (prin1-to-string #'gfo) 1) ">")
(deftest gfobj.print-setf (clos-prefix (prin1-to-string #'(setf thing-of)) 46)
  "#<STANDARD-GENERIC-FUNCTION (SETF THING-OF) #x")
(deftest gfobj.print-non-global
  (let ((f #'gf-fresh))
    (fmakunbound 'gf-fresh)
    (not (null (search "GF-FRESH (Non-Global)" (prin1-to-string f)))))
  t)
(deftest gfobj.class-of (class-name (class-of #'gfo)) standard-generic-function)
(deftest gfobj.cpl (mapcar #'class-name (class-precedence-list (class-of #'gfo)))
  (standard-generic-function generic-function metaobject funcallable-standard-object standard-object
   function t))
(deftest gfobj.typep (list (typep #'gfo 'function) (typep #'gfo 'generic-function)
                           (typep #'gfo 'standard-generic-function) (functionp #'gfo)
                           (typep #'car 'generic-function) (subtypep 'standard-generic-function 'function))
  (t t t t nil t))
(deftest gfobj.type-of (type-of #'gfo) standard-generic-function)
(deftest gfobj.funcall (list (funcall #'gfo 2) (apply #'gfo '(3)) (funcall 'gfo :k) (mapcar #'gfo '(1 2)))
  (4 6 :k (2 4)))
(deftest gfobj.name (generic-function-name #'gfo) gfo)
(deftest gfobj.lambda-list (list (generic-function-lambda-list #'gfo) (arglist #'gfo)) ((x) (x)))
(deftest gfobj.documentation (list (documentation #'gfo t) (documentation 'gfo 'function))
  ("A generic function for the object tests." "A generic function for the object tests."))
(deftest gfobj.methods (length (generic-function-methods #'gfo)) 3)
(deftest gfobj.method-gf (eq (method-generic-function (first (generic-function-methods #'gfo))) #'gfo) t)
(deftest gfobj.method-class (class-name (class-of (find-method #'gfo nil '(integer)))) standard-method)
(deftest gfobj.method-print-qualifier (prin1-to-string (find-method #'gfo '(:before) '(integer)))
  "#<STANDARD-METHOD GFO :BEFORE (INTEGER)>")
(deftest gfobj.method-print-eql (prin1-to-string (find-method #'gfo nil '((eql :k))))
  "#<STANDARD-METHOD GFO ((EQL :K))>")
(deftest gfobj.method-print-two (prin1-to-string (find-method #'combine nil '(integer t)))
  "#<STANDARD-METHOD COMBINE (INTEGER T)>")
(deftest gfobj.reader-method (prin1-to-string (find-method #'point-y nil '(point)))
  "#<STANDARD-READER-METHOD POINT-Y (POINT)>")
(deftest gfobj.writer-method (prin1-to-string (find-method #'(setf point-x) nil '(t point)))
  "#<STANDARD-WRITER-METHOD (SETF POINT-X) (T POINT)>")
(deftest gfobj.function-keywords (multiple-value-list (function-keywords (find-method #'kf nil '(integer))))
  ((:scale) nil))
(deftest gfobj.ensure (let ((f (ensure-generic-function 'gf-ensured :lambda-list '(a b))))
                        (list (eq f #'gf-ensured) (generic-function-lambda-list f) (class-name (class-of f))))
  (t (a b) standard-generic-function))
(deftest gfobj.stub-accepted (not (null (generic-function-methods #'print-object))) t)
(deftest-error gfobj.not-a-gf (generic-function-methods #'car) type-error)
(deftest gfobj.too-few (clos-prefix (clos-error-text (lambda () (gfo))) 63)
  "Too few arguments in call to #<STANDARD-GENERIC-FUNCTION GFO #x")
(deftest-error gfobj.too-many (gfo 1 2) program-error)
(deftest gfobj.describe
  (let ((lines (with-output-to-string (s) (describe #'gfo s))))
    (list (not (null (search "Name: GFO" lines)))
          (not (null (search "Arglist (declaration): (X)" lines)))
          (not (null (search "Documentation: \"A generic function for the object tests.\"" lines)))
          (not (null (search (format nil "Methods:~%#<STANDARD-METHOD GFO") lines)))))
  (t t t t))
(deftest gfobj.cache (progn (gfo 1) (gfo 2) (gfo :k) (ccl::%gf-cache-count #'gfo)) 2)
(deftest gfobj.cache-cleared (progn (defmethod gfo ((x string)) x) (ccl::%gf-cache-count #'gfo)) 0)

;;; ---- Congruent lambda lists (CLHS 7.6.4) with CCL's errors ----

(defgeneric cg-keys (x &key a b))
(defgeneric cg-opt (x &optional y))
(defgeneric cg-rest (x &rest r))

(deftest-error congruence.missing-key (eval '(defmethod cg-keys ((x integer) &key a) a)) error)
(deftest congruence.missing-key-text
  (clos-error-text (lambda () (eval '(defmethod cg-keys ((x integer) &key a) a))))
  "Lambda list of method #<STANDARD-METHOD CG-KEYS (INTEGER)> 
is incompatible with that of the generic function CG-KEYS.
Method's lambda-list : (X &KEY A)
Generic-function's   : (X &KEY A B)
")
(deftest congruence.more-keys (progn (defmethod cg-keys ((x integer) &key a b c) (list x a b c))
                                     (cg-keys 1 :c 3 :a 1))
  (1 1 nil 3))
(deftest congruence.allow-other-keys (progn (defmethod cg-keys ((x symbol) &key &allow-other-keys) :sym)
                                            (cg-keys 'q :zz 1))
  :sym)
(deftest congruence.rest-instead (progn (defmethod cg-keys ((x string) &rest r) r) (cg-keys "s" :a 1))
  (:a 1))
(deftest-error congruence.required (eval '(defmethod cg-opt ((x integer) y) y)) error)
(deftest congruence.required-text
  (clos-error-text (lambda () (eval '(defmethod cg-opt (x y) y))))
  "Lambda list of method #<STANDARD-METHOD CG-OPT (T T)> 
is incompatible with that of the generic function CG-OPT.
Method's lambda-list : (X Y)
Generic-function's   : (X &OPTIONAL Y)
")
(deftest-error congruence.optional-count (eval '(defmethod cg-opt ((x integer)) x)) error)
(deftest-error congruence.rest-vs-none (eval '(defmethod cg-opt ((x integer) &optional y &rest z) (list y z))) error)
(deftest congruence.rest-with-key (progn (defmethod cg-rest ((x integer) &key k) k) (cg-rest 1 :k 2)) 2)
(deftest congruence.continue
  (handler-bind ((error (lambda (c) (declare (ignore c)) (invoke-restart 'continue))))
    (eval '(defmethod cg-opt ((x integer) y z) (list x y z)))
    (list (generic-function-lambda-list #'cg-opt) (cg-opt 1 2 3) (length (generic-function-methods #'cg-opt))))
  ((x y z) (1 2 3) 1))
(deftest congruence.defgeneric-text
  (progn (defgeneric cg-re (x)) (defmethod cg-re ((x integer)) x)
         (clos-prefix (clos-error-text (lambda () (eval '(defgeneric cg-re (x y))))) 72))
  "New lambda list of generic function #<STANDARD-GENERIC-FUNCTION CG-RE #x")
(deftest congruence.implicit-gf
  (progn (defmethod cg-implicit ((x integer) &key a) a)
         (defmethod cg-implicit ((x string) &key b) b)
         (list (cg-implicit 1 :a 2) (cg-implicit "s" :b 3) (generic-function-lambda-list #'cg-implicit)))
  (2 3 (x &key a)))
(deftest-error congruence.bad-gf-lambda-list (eval '(defgeneric cg-bad ((x integer)))) program-error)
(deftest congruence.bad-gf-lambda-list-text (clos-error-text (lambda () (eval '(defgeneric cg-bad ((x integer))))))
  "Bad generic function lambda list: ((X INTEGER))")
(deftest-error congruence.ordinary-function (eval '(defmethod plain-fn ((x string)) x)) program-error)
(deftest congruence.ordinary-function-text (clos-error-text (lambda () (eval '(defmethod plain-fn ((x string)) x))))
  "The function PLAIN-FN is defined as something other than a generic function.")

;;; ---- Keyword arguments of a call (CLHS 7.6.5): the applicable methods' keywords ----

(deftest-error keys.bad (cg-keys 1 :zz 2) program-error)
(deftest keys.bad-text (clos-prefix (clos-error-text (lambda () (cg-keys 1 :zz 2))) 57)
  "Bad keyword :ZZ to #<STANDARD-GENERIC-FUNCTION CG-KEYS #x")
(deftest keys.bad-text-rest
  (let ((s (clos-error-text (lambda () (cg-keys 1 :zz 2))))) (subseq s (search "keyargs" s)))
  "keyargs: (:ZZ 2)
allowable keys are #(:C :B :A).")
(deftest keys.other-method-keys-ok (cg-keys 1 :b 2) (1 nil 2 nil))
(deftest keys.allow-other-keys-arg (cg-keys 1 :zz 2 :allow-other-keys t) (1 nil nil nil))
(deftest-error keys.odd (cg-keys 1 :a) program-error)
(deftest keys.odd-text (clos-prefix (clos-error-text (lambda () (cg-keys 1 :a))) 30)
  "Odd number of keyword args to ")
(defgeneric kk (x &key))
(defmethod kk ((x integer) &key scale) (list x scale))
(defmethod kk ((x float) &key) x)
(deftest keys.gf-no-keys (kk 1 :scale 2) (1 2))
(deftest-error keys.other-class (kk 1.5 :scale 2) program-error)
(deftest keys.before-method-keys
  (progn (defmethod kk :before ((x float) &key verbose) verbose) (kk 1.5 :verbose t))
  1.5)

;;; ---- Standard method combination's errors ----

(defgeneric only-before (x))
(defmethod only-before :before ((x integer)) x)
(deftest-error comb.no-primary (only-before 1) error)
(deftest comb.no-primary-text (clos-prefix (clos-error-text (lambda () (only-before 1))) 76)
  "No applicable primary methods for #<STANDARD-GENERIC-FUNCTION ONLY-BEFORE #x")
(deftest comb.no-primary-methods
  (let ((s (clos-error-text (lambda () (only-before 1))))) (subseq s (search "Applicable" s)))
  "Applicable methods: (#<STANDARD-METHOD ONLY-BEFORE :BEFORE (INTEGER)>)")
(defmethod only-before :bogus ((x string)) x)
(deftest comb.bad-qualifier (let ((s (clos-error-text (lambda () (only-before "s")))))
                              (subseq s (search "is an" s)))
  "is an invalid method.
:BOGUS is not one of :BEFORE, :AFTER, and :AROUND.")
(deftest comb.no-applicable-restart
  (let ((n 0))
    (handler-bind ((error (lambda (c)
                            (declare (ignore c))
                            (when (< (incf n) 2) (defmethod only-before ((x symbol)) :now))
                            (invoke-restart 'continue))))
      (list (only-before 'a) n)))
  (:now 1))
(deftest comb.call-next-method-args
  (progn (defgeneric cnma (x)) (defmethod cnma ((x number)) (list :number x))
         (defmethod cnma ((x integer)) (call-next-method (* x 10)))
         (cnma 2))
  (:number 20))

;;; ---- DESCRIBE and DESCRIBE-OBJECT ----

(defun describe-lines (x)
  (let ((text (with-output-to-string (s) (describe x s))) (lines nil) (start 0))
    (loop (let ((nl (position #\Newline text :start start)))
            (unless nl (return (nreverse lines)))
            (push (subseq text start nl) lines)
            (setq start (1+ nl))))))

(deftest describe.instance
  (let ((lines (describe-lines (make-instance 'point3 :x 1))))
    (list (clos-prefix (first lines) 11) (second lines) (clos-prefix (third lines) 36) (nthcdr 3 lines)))
  ("#<POINT3 #x" "Class: #<STANDARD-CLASS POINT3>" "Wrapper: #<CCL::CLASS-WRAPPER POINT3"
   ("Instance slots" "X: 1" "Y: 99" "Z: 7" "Class slots" "COUNT: 5")))
(defclass no-slots () ())
(deftest describe.no-slots (cdddr (describe-lines (make-instance 'no-slots))) ("No Slots"))
(deftest describe.unbound (car (last (describe-lines (make-instance 'point)))) "Y: #<Unbound>")
(deftest describe.values (multiple-value-list (describe 1 (make-broadcast-stream))) ())
(defmethod describe-object ((p point) stream)
  (format stream "A point at x=~a.~%" (point-x p)))
(deftest describe.user-method (with-output-to-string (s) (describe (make-instance 'point :x 3) s))
  "A point at x=3.
")
(deftest describe.user-method-subclass (with-output-to-string (s) (describe (make-instance 'point3 :x 4) s))
  "A point at x=4.
")
(deftest describe.default-still (car (describe-lines 'point)) "POINT")
(deftest describe.gf-lambda-list (mapcar #'symbol-name (generic-function-lambda-list #'describe-object))
  ("OBJECT" "STREAM"))
(deftest describe.call-next
  (progn (defmethod describe-object ((x named-thing) stream)
           (format stream "Named thing~%") (call-next-method))
         (subseq (describe-lines (make-instance 'named-thing :name "n")) 0 2))
  ("Named thing" "#<NAMED-THING n>"))

;;; ---- PRINT-OBJECT for structures and conditions ----

(defstruct clos-pt a b)
(deftest print.struct-default (prin1-to-string (make-clos-pt :a 1)) "#S(CLOS-PT :A 1 :B NIL)")
(defstruct clos-pt2 a)
(defmethod print-object ((p clos-pt2) s) (format s "<pt2 ~a>" (clos-pt2-a p)))
(deftest print.struct-method (list (prin1-to-string (make-clos-pt2 :a 1)) (format nil "~a" (list (make-clos-pt2 :a 2))))
  ("<pt2 1>" "(<pt2 2>)"))
(defstruct (clos-pt3 (:include clos-pt2)) c)
(deftest print.struct-inherited (prin1-to-string (make-clos-pt3 :a 3)) "<pt2 3>")
(defmethod print-object ((p clos-pt3) s) (write-string "[" s) (call-next-method) (write-string "]" s))
(deftest print.struct-call-next (prin1-to-string (make-clos-pt3 :a 4)) "[<pt2 4>]")
(defstruct (clos-pt4 (:include clos-pt)))
(defmethod print-object ((p clos-pt4) s) (write-string "<" s) (call-next-method) (write-string ">" s))
(deftest print.struct-default-via-next (prin1-to-string (make-clos-pt4 :a 5)) "<#S(CLOS-PT4 :A 5 :B NIL)>")
(define-condition clos-err (error) ((x :initarg :x :reader clos-err-x)))
(defmethod print-object ((c clos-err) s)
  (if *print-escape*
      (format s "#<CLOS-ERR ~a>" (clos-err-x c))
      (format s "clos-err ~a happened" (clos-err-x c))))
(deftest print.condition-method
  (list (prin1-to-string (make-condition 'clos-err :x 1))
        (handler-case (error 'clos-err :x 2) (error (e) (princ-to-string e))))
  ("#<CLOS-ERR 1>" "clos-err 2 happened"))
(deftest print.condition-default (princ-to-string (make-condition 'simple-error :format-control "hi ~a"
                                                                             :format-arguments '(1)))
  "hi 1")
(deftest print.condition-slot-value (slot-value (make-condition 'clos-err :x 7) 'x) 7)
(deftest print.print-object-default-returns (let ((p (make-clos-pt :a 1)))
                                              (eq p (print-object p (make-broadcast-stream))))
  t)
