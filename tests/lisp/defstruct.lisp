;;;; defstruct.lisp — DEFSTRUCT: every option, slot options, accessors and SETF, printing, #S,
;;;; copiers, predicates, :INCLUDE, BOA constructors, typed structures, and the errors, as in CCL.

;;; Structures are defined at top level: a DEFSTRUCT inside a DEFTEST form would be expanded
;;; with the whole test, before it runs. Errors of the macro itself are tested through EVAL or
;;; MACROEXPAND-1 for the same reason.

(defun ds-error-text (thunk)
  (handler-case (progn (funcall thunk) :no-error)
    (error (c) (princ-to-string c))))

;;; ---- Basics ----

(defstruct point x y)

(deftest basic.make (point-x (make-point :x 1 :y 2)) 1)
(deftest basic.default (point-y (make-point :x 1)) nil)
(deftest basic.print (prin1-to-string (make-point :x 1 :y 2)) "#S(POINT :X 1 :Y 2)")
(deftest basic.princ (princ-to-string (make-point :x "a" :y #\b)) "#S(POINT :X a :Y b)")
(deftest basic.prin1-strings (prin1-to-string (make-point :x "a" :y #\b)) "#S(POINT :X \"a\" :Y #\\b)")
(deftest basic.defstruct-value (eval '(defstruct point x y)) point)
(deftest basic.setf
  (let ((p (make-point :x 1 :y 2))) (list (setf (point-x p) 10) (point-x p) (point-y p)))
  (10 10 2))
(deftest basic.incf (let ((p (make-point :x 1))) (incf (point-x p) 5) (point-x p)) 6)
(deftest basic.push (let ((p (make-point))) (push 1 (point-y p)) (push 2 (point-y p)) (point-y p)) (2 1))
(deftest basic.predicate (list (point-p (make-point)) (point-p 5) (point-p nil) (point-p (list 1))) (t nil nil nil))
(deftest basic.type-of (type-of (make-point)) point)
(deftest basic.typep (list (typep (make-point) 'point) (typep 5 'point) (typep (make-point) 'structure-object))
  (t nil t))
(deftest basic.class (list (class-name (class-of (make-point))) (eq (class-of (make-point)) (find-class 'point)))
  (point t))
(deftest basic.class-print (prin1-to-string (find-class 'point)) "#<STRUCTURE-CLASS POINT>")
(deftest basic.subtypep (multiple-value-list (subtypep 'point 'structure-object)) (t t))
(deftest basic.copier
  (let* ((p (make-point :x (list 1) :y 2)) (q (copy-point p)))
    (setf (point-y q) 3)
    (list (eq p q) (eq (point-x p) (point-x q)) (point-y p) (point-y q)))
  (nil t 2 3))
(deftest basic.copy-structure
  (let* ((p (make-point :x 1)) (q (copy-structure p))) (list (eq p q) (prin1-to-string q)))
  (nil "#S(POINT :X 1 :Y NIL)"))
(deftest basic.equalp (list (equalp (make-point :x 1 :y "A") (make-point :x 1.0 :y "a"))
                            (equalp (make-point :x 1) (make-point :x 2))
                            (equal (make-point) (make-point))
                            (let ((p (make-point))) (equal p p)))
  (t nil nil t))
(deftest basic.structurep (list (ccl:structurep (make-point)) (ccl:structurep 5)) (t nil))
(deftest basic.accessor-is-function (functionp #'point-x) t)
(deftest basic.funcall-accessor (mapcar #'point-x (list (make-point :x 1) (make-point :x 2))) (1 2))
(deftest basic.funcall-setf (let ((p (make-point))) (funcall #'(setf point-y) 7 p) (point-y p)) 7)
(deftest basic.unknown-slot-value-order
  (prin1-to-string (make-point :y 2 :x 1 :x 3))
  "#S(POINT :X 1 :Y 2)")

(defstruct empty-struct)
(deftest basic.empty (prin1-to-string (make-empty-struct)) "#S(EMPTY-STRUCT)")

;;; ---- Errors at run time ----

(deftest-error error.accessor-type (point-x 5) type-error)
(deftest error.accessor-text (ds-error-text (lambda () (point-x 5)))
  "The value 5 is not of the expected type POINT.")
(deftest error.accessor-datum
  (handler-case (point-y "str") (type-error (c) (list (type-error-datum c) (type-error-expected-type c))))
  ("str" point))
(deftest-error error.setf-type (setf (point-x 'foo) 1) type-error)
(deftest error.copier-text (ds-error-text (lambda () (copy-point 5)))
  "The value 5 is not of the expected type POINT.")
(deftest error.copy-structure-text (ds-error-text (lambda () (copy-structure (list 1))))
  "The value (1) is not of the expected type STRUCTURE-OBJECT.")
(deftest-error error.unknown-keyword (make-point :z 1) program-error)
(deftest-error error.odd-keywords (make-point :x) program-error)
(deftest error.allow-other-keys (point-x (make-point :x 1 :z 2 :allow-other-keys t)) 1)
(deftest-error error.constructor-positional (make-point 1 2) program-error)
(deftest-error error.accessor-arity (point-x) program-error)

;;; ---- Slot options ----

(defstruct ds-slots
  (a 1 :read-only t)
  (b 0 :type fixnum)
  (c (list 1 2) :type list :read-only nil))

(deftest slot.initforms (prin1-to-string (make-ds-slots)) "#S(DS-SLOTS :A 1 :B 0 :C (1 2))")
(deftest slot.fresh-initform (eq (ds-slots-c (make-ds-slots)) (ds-slots-c (make-ds-slots))) nil)
(deftest slot.read-only-reader (ds-slots-a (make-ds-slots :a 5)) 5)
(deftest-error slot.read-only-setf (eval '(setf (ds-slots-a (make-ds-slots)) 2)) undefined-function)
(deftest slot.read-only-no-setf-function (fboundp '(setf ds-slots-a)) nil)
(deftest slot.writable-setf-function (fboundp '(setf ds-slots-b)) t)
(deftest-error slot.type-constructor (make-ds-slots :b "x") type-error)
(deftest slot.type-constructor-text (ds-error-text (lambda () (make-ds-slots :b "x")))
  "The value \"x\" is not of the expected type FIXNUM.")
(deftest-error slot.type-setf (setf (ds-slots-b (make-ds-slots)) 1.5) type-error)
(deftest slot.type-setf-ok (let ((s (make-ds-slots))) (setf (ds-slots-b s) 42) (ds-slots-b s)) 42)

(defvar *ds-counter* 0)
(defstruct ds-count (n (incf *ds-counter*)))
(deftest slot.initform-each-time
  (progn (setq *ds-counter* 0)
         (list (ds-count-n (make-ds-count)) (ds-count-n (make-ds-count)) (ds-count-n (make-ds-count :n 0))
               *ds-counter*))
  (1 2 0 2))

(let ((base 100))
  (defstruct ds-lexical (v (incf base))))
(deftest slot.initform-lexical (list (ds-lexical-v (make-ds-lexical)) (ds-lexical-v (make-ds-lexical))) (101 102))

(defstruct ds-doc "A structure with a doc string." a)
(deftest doc.structure (documentation 'ds-doc 'structure) "A structure with a doc string.")
(deftest doc.type (documentation 'ds-doc 'type) "A structure with a doc string.")
(deftest doc.slot-after-doc (ds-doc-a (make-ds-doc :a 3)) 3)

;;; ---- :CONC-NAME ----

(defstruct (ds-cn1 (:conc-name dcn-)) a)
(defstruct (ds-cn2 (:conc-name nil)) ds-cn2-slot)
(defstruct (ds-cn3 (:conc-name)) ds-cn3-slot)
(defstruct (ds-cn4 :conc-name) ds-cn4-slot)
(defstruct (ds-cn5 (:conc-name "CN5-")) a)

(deftest conc-name.symbol (list (dcn-a (make-ds-cn1 :a 1)) (fboundp 'ds-cn1-a)) (1 nil))
(deftest conc-name.nil (ds-cn2-slot (make-ds-cn2 :ds-cn2-slot 2)) 2)
(deftest conc-name.empty (ds-cn3-slot (make-ds-cn3 :ds-cn3-slot 3)) 3)
(deftest conc-name.atom (ds-cn4-slot (make-ds-cn4 :ds-cn4-slot 4)) 4)
(deftest conc-name.string (cn5-a (make-ds-cn5 :a 5)) 5)
(deftest conc-name.setf (let ((x (make-ds-cn2))) (setf (ds-cn2-slot x) 9) (ds-cn2-slot x)) 9)

;;; ---- :CONSTRUCTOR, :COPIER, :PREDICATE ----

(defstruct (ds-ctor (:constructor new-ds-ctor)
                    (:constructor build-ds-ctor (a b))
                    (:copier dup-ds-ctor)
                    (:predicate is-ds-ctor))
  a b)

(deftest ctor.renamed (prin1-to-string (new-ds-ctor :a 1)) "#S(DS-CTOR :A 1 :B NIL)")
(deftest ctor.boa (prin1-to-string (build-ds-ctor 1 2)) "#S(DS-CTOR :A 1 :B 2)")
(deftest ctor.defaults-gone (list (fboundp 'make-ds-ctor) (fboundp 'copy-ds-ctor) (fboundp 'ds-ctor-p))
  (nil nil nil))
(deftest ctor.copier-renamed (ds-ctor-b (dup-ds-ctor (build-ds-ctor 3 4))) 4)
(deftest ctor.predicate-renamed (list (is-ds-ctor (new-ds-ctor)) (is-ds-ctor 1)) (t nil))
(deftest-error ctor.boa-arity (build-ds-ctor 1) program-error)

(defstruct (ds-none (:constructor nil) (:copier nil) (:predicate nil)) a)
(deftest ctor.none (list (fboundp 'make-ds-none) (fboundp 'copy-ds-none) (fboundp 'ds-none-p) (fboundp 'ds-none-a))
  (nil nil nil t))

(defstruct (ds-only-boa (:constructor ds-boa (a))) a)
(deftest ctor.only-boa (list (fboundp 'make-ds-only-boa) (ds-only-boa-a (ds-boa 5))) (nil 5))

(defstruct (ds-boa2 (:constructor make-ds-boa2 (x &optional (y 2) &aux (z (+ x y)))))
  x y z)
(deftest boa.optional-aux (prin1-to-string (make-ds-boa2 1)) "#S(DS-BOA2 :X 1 :Y 2 :Z 3)")
(deftest boa.optional-given (ds-boa2-z (make-ds-boa2 1 10)) 11)

(defstruct (ds-boa3 (:constructor ds-boa3 (a &optional b &key c (d 40) &aux e)))
  a (b 20) (c 30) d (e 50) (f 60))
(deftest boa.slot-initforms (prin1-to-string (ds-boa3 1))
  "#S(DS-BOA3 :A 1 :B 20 :C 30 :D 40 :E 50 :F 60)")
(deftest boa.keys (prin1-to-string (ds-boa3 1 2 :d 4 :c 3))
  "#S(DS-BOA3 :A 1 :B 2 :C 3 :D 4 :E 50 :F 60)")

(defstruct (ds-boa4 (:constructor ds-boa4 (&rest items))) items (n 0))
(deftest boa.rest (prin1-to-string (ds-boa4 1 2 3)) "#S(DS-BOA4 :ITEMS (1 2 3) :N 0)")

;;; ---- :INCLUDE ----

(defstruct ds-animal (name "?") (legs 4 :read-only t))
(defstruct (ds-bird (:include ds-animal (legs 2))) (wings 2))
(defstruct (ds-parrot (:include ds-bird (name "polly"))) words)

(deftest include.print (prin1-to-string (make-ds-bird :name "tweety"))
  "#S(DS-BIRD :NAME \"tweety\" :LEGS 2 :WINGS 2)")
(deftest include.override-initform (prin1-to-string (make-ds-parrot))
  "#S(DS-PARROT :NAME \"polly\" :LEGS 2 :WINGS 2 :WORDS NIL)")
(deftest include.typep (list (typep (make-ds-parrot) 'ds-bird) (typep (make-ds-parrot) 'ds-animal)
                             (typep (make-ds-animal) 'ds-bird))
  (t t nil))
(deftest include.predicates (list (ds-animal-p (make-ds-bird)) (ds-bird-p (make-ds-animal)) (ds-parrot-p (make-ds-parrot)))
  (t nil t))
(deftest include.parent-accessor (ds-animal-name (make-ds-parrot :name "x")) "x")
(deftest include.child-accessor (list (ds-bird-name (make-ds-bird :name "y")) (ds-parrot-legs (make-ds-parrot))) ("y" 2))
(deftest include.parent-setf (let ((p (make-ds-parrot))) (setf (ds-animal-name p) "z") (ds-parrot-name p)) "z")
(deftest-error include.child-accessor-on-parent (ds-bird-wings (make-ds-animal)) type-error)
(deftest include.read-only-inherited (fboundp '(setf ds-bird-legs)) nil)
(deftest include.subtypep (list (subtypep 'ds-parrot 'ds-animal) (subtypep 'ds-animal 'ds-parrot)) (t nil))
(deftest include.type-of (type-of (make-ds-parrot)) ds-parrot)
(deftest include.copier (prin1-to-string (copy-ds-animal (make-ds-bird :name "c")))
  "#S(DS-BIRD :NAME \"c\" :LEGS 2 :WINGS 2)")
(deftest include.equalp (list (equalp (make-ds-bird) (make-ds-bird)) (equalp (make-ds-bird) (make-ds-animal :legs 2)))
  (t nil))

;; An included structure's accessors of the same name are not redefined for the new structure.
(defstruct (ds-shared (:include ds-animal) (:conc-name ds-animal-)) fur)
(deftest include.shared-accessor (list (ds-animal-name (make-ds-animal :name "a")) (ds-animal-fur (make-ds-shared :fur 1)))
  ("a" 1))

;;; ---- Printing ----

(defstruct (ds-pf (:print-function (lambda (o s d) (declare (ignore d)) (format s "<PF ~A>" (ds-pf-a o))))) a)
(defstruct (ds-po (:print-object (lambda (o s) (format s "<PO ~S>" (ds-po-a o))))) a)
(defstruct (ds-po-child (:include ds-po)) b)
(defstruct (ds-named-pf (:print-function ds-print-named)) a)
(defun ds-print-named (o s d) (format s "#<NAMED ~A ~A>" (ds-named-pf-a o) (integerp d)))

(deftest print.print-function (prin1-to-string (make-ds-pf :a 1)) "<PF 1>")
(deftest print.print-function-nested (prin1-to-string (list (make-ds-pf :a 2))) "(<PF 2>)")
(deftest print.print-object (prin1-to-string (make-ds-po :a "s")) "<PO \"s\">")
(deftest print.inherited (prin1-to-string (make-ds-po-child :a 1)) "<PO 1>")
(deftest print.symbol-function-defined-later (princ-to-string (make-ds-named-pf :a 3)) "#<NAMED 3 T>")
(deftest print.nested (prin1-to-string (make-point :x (make-point :x 1) :y (list (make-point))))
  "#S(POINT :X #S(POINT :X 1 :Y NIL) :Y (#S(POINT :X NIL :Y NIL)))")
(deftest print.length (list (write-to-string (make-point :x 1 :y 2) :length 1)
                            (write-to-string (make-point :x 1 :y 2) :length 3))
  ("#S(POINT ...)" "#S(POINT :X 1 ...)"))
(deftest print.level (write-to-string (make-point :x (make-point :x (make-point))) :level 2)
  "#S(POINT :X #S(POINT :X # :Y NIL) :Y NIL)")
(deftest print.format (format nil "~A ~S" (make-point :x "a") (make-point :x "a"))
  "#S(POINT :X a :Y NIL) #S(POINT :X \"a\" :Y NIL)")
(deftest print.downcase (write-to-string (make-point :x 1) :case :downcase) "#S(point :x 1 :y nil)")

;;; ---- #S ----

(deftest sharp-s.read (prin1-to-string (read-from-string "#S(point :x 1 :y 2)")) "#S(POINT :X 1 :Y 2)")
(deftest sharp-s.type (point-p (read-from-string "#S(point :y 2)")) t)
(deftest sharp-s.defaults (ds-slots-c (read-from-string "#S(ds-slots :a 7)")) (1 2))
(deftest sharp-s.any-slot-symbols (point-y (read-from-string "#S(point x 1 y 2)")) 2)
(deftest sharp-s.round-trip
  (let ((p (make-point :x "s" :y '(1 #\a))))
    (equalp p (read-from-string (prin1-to-string p))))
  t)
(deftest-error sharp-s.unknown (read-from-string "#S(no-such-structure-here :a 1)") reader-error)
(deftest-error sharp-s.no-keyword-constructor (read-from-string "#S(ds-only-boa :a 1)") error)
(deftest sharp-s.suppressed (let ((*read-suppress* t)) (read-from-string "#S(no-such-structure-here :a 1)")) nil)
(deftest sharp-s.function (prin1-to-string (ccl::%sharp-s-structure '(point :x 3))) "#S(POINT :X 3 :Y NIL)")

;;; ---- :TYPE LIST / VECTOR ----

(defstruct (ds-l (:type list)) a (b 2))
(defstruct (ds-ln (:type list) :named) a (b 2 :read-only t))
(defstruct (ds-ln2 (:type list) :named (:include ds-ln)) c)
(defstruct (ds-v (:type vector)) a b)
(defstruct (ds-vn (:type vector) :named (:initial-offset 1)) a)
(defstruct (ds-vf (:type (vector fixnum))) (a 0) (b 0))

(deftest typed.list (make-ds-l :a 1) (1 2))
(deftest typed.list-accessor (ds-l-b (list 5 6)) 6)
(deftest typed.list-setf (let ((x (make-ds-l))) (setf (ds-l-a x) 9) x) (9 2))
(deftest typed.list-no-predicate (fboundp 'ds-l-p) nil)
(deftest typed.list-copier (let* ((x (make-ds-l)) (y (copy-ds-l x))) (list (equal x y) (eq x y))) (t nil))
(deftest typed.list-named (make-ds-ln :a 1) (ds-ln 1 2))
(deftest typed.list-named-predicate (list (ds-ln-p (make-ds-ln)) (ds-ln-p (list 'other 1 2)) (ds-ln-p 5)) (t nil nil))
(deftest typed.list-read-only (fboundp '(setf ds-ln-b)) nil)
(deftest typed.list-include (make-ds-ln2 :a 1 :c 3) (ds-ln 1 2 ds-ln2 3))
(deftest typed.list-include-accessors (let ((x (make-ds-ln2 :a 1 :c 3))) (list (ds-ln2-a x) (ds-ln-a x) (ds-ln2-c x)))
  (1 1 3))
(deftest typed.list-include-predicate (list (ds-ln2-p (make-ds-ln2)) (ds-ln-p (make-ds-ln2))) (t t))
(deftest typed.vector (coerce (make-ds-v :a 1 :b 2) 'list) (1 2))
(deftest typed.vector-accessor (let ((v (make-ds-v :a 1))) (setf (ds-v-b v) 5) (list (ds-v-a v) (ds-v-b v))) (1 5))
(deftest typed.vector-simple (simple-vector-p (make-ds-v)) t)
(deftest typed.vector-named-offset (coerce (make-ds-vn :a 1) 'list) (nil ds-vn 1))
(deftest typed.vector-named-predicate (list (ds-vn-p (make-ds-vn)) (ds-vn-p (vector nil 'x 1)) (ds-vn-p "abc")) (t nil nil))
(deftest typed.vector-element-type (let ((v (make-ds-vf :a 3))) (list (ds-vf-a v) (ds-vf-b v) (eq (array-element-type v) t)))
  (3 0 nil))
(deftest typed.not-a-type (type-of (make-ds-l)) cons)

;;; ---- Redefinition ----

(defstruct ds-redef a)
(defstruct ds-redef a)
(deftest redefine.same (prin1-to-string (make-ds-redef :a 1)) "#S(DS-REDEF :A 1)")
(defstruct ds-redef2 a (b 1))
(defstruct ds-redef2 a)
(deftest redefine.slot-gone (list (prin1-to-string (make-ds-redef2 :a 1)) (fboundp 'ds-redef2-b)) ("#S(DS-REDEF2 :A 1)" nil))
(defstruct ds-redef3 (a 0))
(defstruct ds-redef3 (a 0 :read-only t))
(deftest redefine.now-read-only (fboundp '(setf ds-redef3-a)) nil)

;;; ---- Errors of the macro ----

(deftest-error macro.bad-option (macroexpand-1 '(defstruct (ds-bad :no-such-option) a)) program-error)
(deftest macro.bad-option-text (ds-error-text (lambda () (macroexpand-1 '(defstruct (ds-bad (:copier a b))))))
  "Bad defstruct option (:COPIER A B).")
(deftest-error macro.bad-type (macroexpand-1 '(defstruct (ds-bad (:type hash-table)))) program-error)
(deftest-error macro.bad-slot (macroexpand-1 '(defstruct ds-bad (a 1 :no-such 2))) program-error)
(deftest macro.bad-slot-text (ds-error-text (lambda () (macroexpand-1 '(defstruct ds-bad (1 2)))))
  "Bad defstruct slot spec (1 2).")
(deftest-error macro.odd-slot-options (macroexpand-1 '(defstruct ds-bad (a 1 :type))) program-error)
(deftest-error macro.name-not-symbol (macroexpand-1 '(defstruct "ds-bad")) program-error)
(deftest macro.duplicate-option (ds-error-text (lambda () (macroexpand-1 '(defstruct (ds-bad (:conc-name a) (:conc-name b))))))
  "Duplicate (:CONC-NAME B) options not allowed")
(deftest macro.include-unknown (ds-error-text (lambda () (macroexpand-1 '(defstruct (ds-bad (:include no-such-structure-x))))))
  "No such structure: (:INCLUDE NO-SUCH-STRUCTURE-X)")
(deftest macro.include-no-slot (ds-error-text (lambda () (macroexpand-1 '(defstruct (ds-bad (:include point (z 1)))))))
  "POINT has no Z slot, in (:INCLUDE POINT (Z 1))")
(deftest macro.include-incompatible (ds-error-text (lambda () (macroexpand-1 '(defstruct (ds-bad (:type list) (:include point))))))
  "Incompatible structure type NIL for (:INCLUDE POINT)")
(deftest-error macro.include-read-only (macroexpand-1 '(defstruct (ds-bad (:include ds-animal (legs 2 :read-only nil)))))
  program-error)
(deftest macro.initial-offset-without-type (ds-error-text (lambda () (macroexpand-1 '(defstruct (ds-bad (:initial-offset 1))))))
  "Cannot use :INITIAL-OFFSET without :TYPE")
(deftest macro.print-function-with-type
  (ds-error-text (lambda () (macroexpand-1 '(defstruct (ds-bad (:type list) (:print-function foo))))))
  "Cannot specify :PRINT-FUNCTION with :TYPE")
(deftest macro.predicate-unnamed (ds-error-text (lambda () (macroexpand-1 '(defstruct (ds-bad (:type list) (:predicate p))))))
  "Cannot specify :PREDICATE for an unnamed structure")
(deftest macro.built-in (ds-error-text (lambda () (macroexpand-1 '(defstruct integer a))))
  "Cannot redefine built-in type INTEGER")
(deftest macro.same-form-include
  (progn (eval '(progn (defstruct ds-sf-a (x 1)) (defstruct (ds-sf-b (:include ds-sf-a)) y)))
         (prin1-to-string (funcall 'make-ds-sf-b :y 2)))
  "#S(DS-SF-B :X 1 :Y 2)")
(deftest-error macro.duplicate-slot (macroexpand-1 '(defstruct ds-bad a b a)) program-error)
(deftest-error macro.duplicate-included-slot (macroexpand-1 '(defstruct (ds-bad (:include point)) x)) program-error)
