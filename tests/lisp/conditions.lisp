;;; conditions.lisp — signalling, handlers, restarts, DEFINE-CONDITION, CHECK-TYPE, ASSERT and the
;;; reports of the standard conditions (interp/condition*.c, builtins/conditions.c,
;;; stdlib/conditions.lisp): results and texts as in CCL.

;;; ---- signal and handler-bind ----
(deftest signal.unhandled (signal "nothing here") nil)
(deftest signal.simple-condition
  (handler-case (signal "s ~a" 1) (simple-condition (c) (list (type-of c) (princ-to-string c))))
  (simple-condition "s 1"))
(deftest handler-bind.decline
  (let ((seen nil))
    (list (handler-bind ((condition (lambda (c) (push (type-of c) seen)))) (signal "x")) seen))
  (nil (simple-condition)))
(deftest handler-bind.inner-first
  (let ((log nil))
    (handler-bind ((condition (lambda (c) (declare (ignore c)) (push 'outer log))))
      (handler-bind ((condition (lambda (c) (declare (ignore c)) (push 'inner log))))
        (signal "x")))
    (reverse log))
  (inner outer))
(deftest handler-bind.bindings-in-order
  (let ((log nil))
    (handler-bind ((condition (lambda (c) (declare (ignore c)) (push 1 log)))
                   (simple-condition (lambda (c) (declare (ignore c)) (push 2 log))))
      (signal "x"))
    (reverse log))
  (1 2))
(deftest handler-bind.type-filter
  (let ((log nil))
    (handler-bind ((warning (lambda (c) (declare (ignore c)) (push 'warning log)))
                   (simple-condition (lambda (c) (declare (ignore c)) (push 'simple log))))
      (signal "x"))
    log)
  (simple))
(deftest handler-bind.own-cluster-disabled
  (let ((n 0))
    (handler-bind ((condition (lambda (c) (setq n (+ n 1)) (if (< n 5) (signal c)))))
      (signal "x"))
    n)
  1)
(deftest handler-bind.outer-visible-in-handler
  (let ((log nil))
    (handler-bind ((condition (lambda (c) (declare (ignore c)) (push 'outer log))))
      (handler-bind ((condition (lambda (c) (push 'inner log) (signal c))))
        (signal "x")))
    (reverse log))
  (inner outer outer))
(deftest handler-bind.handler-case-inside-handler
  (block b
    (handler-bind ((error (lambda (c)
                            (declare (ignore c))
                            (return-from b (handler-case (error "inner") (error (e) (princ-to-string e)))))))
      (error "outer")))
  "inner")
(deftest handler-bind.non-local-exit
  (block b (handler-bind ((error (lambda (c) (declare (ignore c)) (return-from b :caught)))) (error "x")))
  :caught)
(deftest handler-bind.values (multiple-value-list (handler-bind ((error #'identity)) (values 1 2 3))) (1 2 3))
(deftest handler-bind.empty (multiple-value-list (handler-bind () (values 1 2))) (1 2))
(deftest handler-bind.error-in-handler
  (handler-case (handler-bind ((error (lambda (c) (declare (ignore c)) (error "second"))))
                  (error "first"))
    (error (c) (princ-to-string c)))
  "second")
(deftest handler-bind.symbol-handler
  (progn (defun conditions-test-handler (c) (throw 'conditions-test (type-of c)))
         (catch 'conditions-test
           (handler-bind ((error 'conditions-test-handler)) (error "x"))))
  simple-error)

;;; ---- handler-case ----
(deftest handler-case.no-error (handler-case (+ 1 2) (error () :e)) 3)
(deftest handler-case.values (multiple-value-list (handler-case (values 1 2) (error () :e))) (1 2))
(deftest handler-case.first-match (handler-case (error "x") (warning () :w) (error () :e) (condition () :c)) :e)
(deftest handler-case.body (handler-case (error "x") (error () 1 2 3)) 3)
(deftest handler-case.var (handler-case (error "boom ~a" 1) (error (c) (princ-to-string c))) "boom 1")
(deftest handler-case.no-error-clause
  (handler-case (values 1 2) (error () :e) (:no-error (a b) (list a b)))
  (1 2))
(deftest handler-case.no-error-skipped (handler-case (error "x") (error () :e) (:no-error (&rest r) r)) :e)
(deftest handler-case.unwinds
  (let ((x nil)) (handler-case (unwind-protect (error "x") (setq x :cleaned)) (error () x)))
  :cleaned)
(deftest handler-case.signal-non-error (handler-case (signal "s") (condition (c) (type-of c))) simple-condition)
(deftest handler-case.type-error (handler-case (car 1) (type-error (c) (type-error-expected-type c))) list)
(deftest handler-case.division-by-zero (handler-case (/ 1 0) (division-by-zero () :div)) :div)
(deftest handler-case.arithmetic-operands
  (handler-case (/ 5 0)
    (arithmetic-error (c) (list (arithmetic-error-operation c) (arithmetic-error-operands c))))
  (/ (5 0)))
(deftest handler-case.nested
  (handler-case (handler-case (error "x") (warning () :inner)) (error () :outer))
  :outer)
(deftest-error handler-case.duplicate-no-error
  (eval '(handler-case 1 (:no-error (x) x) (:no-error (y) y)))
  program-error)

;;; ---- ignore-errors ----
(deftest ignore-errors.value (ignore-errors 5) 5)
(deftest ignore-errors.values (multiple-value-list (ignore-errors (values 1 2))) (1 2))
(deftest ignore-errors.error
  (multiple-value-bind (v c) (ignore-errors (error "boom")) (list v (princ-to-string c)))
  (nil "boom"))
(deftest ignore-errors.lets-warnings-through
  (let ((seen nil))
    (handler-bind ((warning (lambda (c) (setq seen t) (muffle-warning c))))
      (ignore-errors (warn "w")))
    seen)
  t)

;;; ---- error, cerror, signal arguments ----
(deftest error.format-arguments
  (handler-case (error "a ~a b ~s" 1 "x") (simple-error (c) (princ-to-string c)))
  "a 1 b \"x\"")
(deftest error.format-slots
  (handler-case (error "a ~a" 1)
    (simple-error (c) (list (simple-condition-format-control c) (simple-condition-format-arguments c))))
  ("a ~a" (1)))
(deftest error.class-and-initargs
  (handler-case (error 'type-error :datum 1 :expected-type 'string) (type-error (c) (princ-to-string c)))
  "The value 1 is not of the expected type STRING.")
(deftest error.condition-object
  (let ((c (make-condition 'simple-error :format-control "pre")))
    (handler-case (error c) (error (e) (eq e c))))
  t)
(deftest error.unknown-class-text
  (handler-case (error 'no-such-condition-class-xyz) (error (c) (princ-to-string c)))
  "Class named NO-SUCH-CONDITION-CLASS-XYZ not found.")
(deftest-error error.condition-with-arguments (error (make-condition 'simple-error :format-control "x") 1) error)
(deftest error.tilde-directives
  (handler-case (error "~s~%~a ~~ ~d" "q" 'sym 42) (error (c) (princ-to-string c)))
  "\"q\"
SYM ~ 42")
(deftest cerror.continue
  (handler-bind ((error (lambda (c) (continue c)))) (list (cerror "Go on." "failed ~a" 1) :after))
  (nil :after))
(deftest cerror.report
  (block b
    (handler-bind ((error (lambda (c) (return-from b (princ-to-string (find-restart 'continue c))))))
      (cerror "Go on with ~a." "failed ~a" 1)))
  "Go on with 1.")
(deftest cerror.unhandled-is-error (handler-case (cerror "c" "bad") (error (c) (princ-to-string c))) "bad")

;;; ---- warn ----
(defun conditions-test-warn-here () (warn "careful ~a" 1) nil)

(deftest warn.returns-nil (let ((*error-output* (make-string-output-stream))) (warn "x")) nil)
(deftest-output warn.output
  (let ((*error-output* *standard-output*)) (conditions-test-warn-here))
  "; Warning: careful 1
; While executing: CONDITIONS-TEST-WARN-HERE, in process listener(1).
")
(deftest-output warn.muffled
  (let ((*error-output* *standard-output*))
    (handler-bind ((warning #'muffle-warning)) (conditions-test-warn-here)))
  "")
(deftest warn.condition (handler-case (warn "w ~a" 1) (warning (c) (list (type-of c) (princ-to-string c))))
  (simple-warning "w 1"))
(deftest warn.class-name (handler-case (warn 'style-warning) (style-warning () :style)) :style)
(deftest-error warn.not-a-warning (warn (make-condition 'simple-error :format-control "x")) type-error)
(deftest-error muffle-warning.none (muffle-warning) control-error)

;;; ---- restarts ----
(deftest restart-case.normal (restart-case (+ 1 2) (r () 0)) 3)
(deftest restart-case.values (multiple-value-list (restart-case (values 1 2) (r () 0))) (1 2))
(deftest restart-case.invoke (restart-case (invoke-restart 'r 1 2) (r (a b) (list a b))) (1 2))
(deftest restart-case.second-clause (restart-case (invoke-restart 'r2 5) (r1 (x) (list 1 x)) (r2 (x) (list 2 x)))
  (2 5))
(deftest restart-case.order
  (restart-case (let ((names (mapcar #'restart-name (compute-restarts)))) (list (first names) (second names)))
    (r1 () 1)
    (r2 () 2))
  (r1 r2))
(deftest restart-case.nested-order
  (restart-case (restart-case (let ((names (mapcar #'restart-name (compute-restarts))))
                                (list (first names) (second names)))
                  (inner () 1))
    (outer () 2))
  (inner outer))
(deftest restart-case.report-string (restart-case (princ-to-string (find-restart 'r)) (r () :report "Do it." nil))
  "Do it.")
(deftest restart-case.report-function
  (restart-case (princ-to-string (find-restart 'r)) (r () :report (lambda (s) (princ "Fn report" s)) nil))
  "Fn report")
(deftest restart-case.test (restart-case (find-restart 'r) (r () :test (lambda (c) (declare (ignore c)) nil) 1))
  nil)
(deftest restart-case.interactive
  (restart-case (invoke-restart-interactively 'r) (r (&rest args) :interactive (lambda () (list 1 2)) args))
  (1 2))
(deftest restart-case.associated
  (handler-bind ((error (lambda (c) (invoke-restart (find-restart 'r c)))))
    (restart-case (error "x") (r () :ok)))
  :ok)
(deftest restart-case.not-for-other-conditions
  (block b
    (let ((other (make-condition 'simple-error :format-control "other")))
      (handler-bind ((error (lambda (c) (declare (ignore c)) (return-from b (find-restart 'r other)))))
        (restart-case (error "x") (r () :ok)))))
  nil)
(deftest restart-case.gone-after-exit (progn (restart-case nil (r () 1)) (find-restart 'r)) nil)
(deftest restart-case.prin1
  (restart-case (let ((s (prin1-to-string (find-restart 'r)))) (subseq s 0 12)) (r () nil))
  "#<RESTART R ")
(deftest-error invoke-restart.inactive (invoke-restart 'no-such-restart-xyz) control-error)
(deftest invoke-restart.inactive-text
  (handler-case (invoke-restart 'no-such-restart-xyz) (control-error (c) (princ-to-string c)))
  "Restart NO-SUCH-RESTART-XYZ is not active")
(deftest restart-bind.call (restart-bind ((r (lambda (x) (* x 2)))) (invoke-restart 'r 21)) 42)
(deftest restart-bind.returns (restart-bind ((r (lambda () :from-r))) (list (invoke-restart 'r) :after))
  (:from-r :after))
(deftest restart-bind.report
  (restart-bind ((r (lambda () 1) :report-function (lambda (s) (princ "Rb report" s))))
    (princ-to-string (find-restart 'r)))
  "Rb report")
(deftest with-simple-restart.invoked
  (multiple-value-list (with-simple-restart (skip "Skip.") (invoke-restart 'skip) :not-reached))
  (nil t))
(deftest with-simple-restart.normal (multiple-value-list (with-simple-restart (skip "Skip.") (values 1 2)))
  (1 2))
(deftest with-simple-restart.report
  (with-simple-restart (skip "Skip ~a." 3) (princ-to-string (find-restart 'skip)))
  "Skip 3.")
(deftest restart-name.1 (restart-case (restart-name (find-restart 'my-restart)) (my-restart () nil)) my-restart)
(deftest-error restart-name.type (restart-name 5) type-error)
(deftest find-restart.object (restart-case (let ((r (find-restart 'r))) (eq r (find-restart r))) (r () nil)) t)
(deftest with-condition-restarts.1
  (let ((c (make-condition 'simple-error :format-control "x"))
        (other (make-condition 'simple-error :format-control "y")))
    (restart-bind ((r (lambda () 1)))
      (let ((rs (list (find-restart 'r))))
        (with-condition-restarts c rs
          (list (not (null (find-restart 'r c))) (null (find-restart 'r other)))))))
  (t t))
(deftest use-value.1
  (handler-bind ((error (lambda (c) (use-value 7 c)))) (restart-case (error "x") (use-value (v) (* v 6))))
  42)
(deftest store-value.1
  (handler-bind ((error (lambda (c) (store-value 5 c)))) (restart-case (error "x") (store-value (v) (list v))))
  (5))
(deftest continue.none (continue) nil)
(deftest use-value.none (use-value 1) nil)
(deftest store-value.none (store-value 1) nil)
(deftest abort.1 (restart-case (abort) (abort () :aborted)) :aborted)

;;; ---- check-type and assert ----
(deftest check-type.ok (let ((x 5)) (check-type x integer) x) 5)
(deftest check-type.returns-nil (let ((x 5)) (check-type x integer)) nil)
(deftest check-type.text
  (let ((x "a")) (handler-case (check-type x integer) (type-error (c) (princ-to-string c))))
  "The value \"a\" is not of the expected type INTEGER.")
(deftest check-type.datum
  (let ((x "a"))
    (handler-case (check-type x integer) (type-error (c) (list (type-error-datum c) (type-error-expected-type c)))))
  ("a" integer))
(deftest check-type.store-value
  (let ((x "a")) (handler-bind ((type-error (lambda (c) (store-value 42 c)))) (check-type x integer)) x)
  42)
(deftest check-type.type-string
  (let ((x 1)) (handler-case (check-type x string "a text") (type-error (c) (princ-to-string c))))
  "value 1 is not a text (STRING).")
(deftest check-type.compound (let ((x 11)) (handler-case (check-type x (integer 0 10)) (type-error () :bad))) :bad)
(deftest assert.ok (assert (= 1 1)) nil)
(deftest assert.text (handler-case (assert (= 1 2)) (error (c) (princ-to-string c))) "Failed assertion: (= 1 2)")
(deftest assert.string (handler-case (assert nil () "bad ~a" 5) (error (c) (princ-to-string c))) "bad 5")
(deftest assert.simple-error (handler-case (assert nil) (simple-error () :simple)) :simple)
(deftest assert.continue
  (let ((n 0)) (handler-bind ((error (lambda (c) (setq n (+ n 1)) (continue c)))) (assert (> n 2))) n)
  3)
(deftest assert.continue-report
  (block b
    (handler-bind ((error (lambda (c) (return-from b (princ-to-string (find-restart 'continue c))))))
      (assert nil)))
  "test the assertion again.")

;;; ---- define-condition ----
(define-condition conditions-test-error (error)
  ((code :initarg :code :reader conditions-test-error-code :initform 0))
  (:report (lambda (c s) (princ "test error code " s) (princ (conditions-test-error-code c) s))))
(define-condition conditions-test-warning (warning) () (:report "A test warning."))
(define-condition conditions-test-child (conditions-test-error)
  ((extra :initarg :extra :accessor conditions-test-child-extra))
  (:default-initargs :code 99))
(define-condition conditions-test-plain (error) ())

(deftest define-condition.report (princ-to-string (make-condition 'conditions-test-error :code 7))
  "test error code 7")
(deftest define-condition.initform (conditions-test-error-code (make-condition 'conditions-test-error)) 0)
(deftest define-condition.typep
  (let ((c (make-condition 'conditions-test-error))) (list (typep c 'error) (typep c 'warning)))
  (t nil))
(deftest define-condition.subtypep (multiple-value-list (subtypep 'conditions-test-child 'serious-condition))
  (t t))
(deftest define-condition.handler
  (handler-case (error 'conditions-test-error :code 3) (conditions-test-error (c) (conditions-test-error-code c)))
  3)
(deftest define-condition.string-report (princ-to-string (make-condition 'conditions-test-warning))
  "A test warning.")
(deftest define-condition.inherited-report (princ-to-string (make-condition 'conditions-test-child))
  "test error code 99")
(deftest define-condition.default-initargs-overridden
  (conditions-test-error-code (make-condition 'conditions-test-child :code 1))
  1)
(deftest define-condition.accessor
  (let ((c (make-condition 'conditions-test-child :extra 1)))
    (setf (conditions-test-child-extra c) 2)
    (conditions-test-child-extra c))
  2)
(deftest define-condition.unbound-slot
  (handler-case (conditions-test-child-extra (make-condition 'conditions-test-child))
    (unbound-slot (c) (cell-error-name c)))
  extra)
(deftest define-condition.no-report
  (subseq (princ-to-string (make-condition 'conditions-test-plain)) 0 30)
  "Error #<CONDITIONS-TEST-PLAIN ")
(deftest define-condition.returns-name (define-condition conditions-test-other (error) ()) conditions-test-other)
(deftest define-condition.default-parent
  (progn (define-condition conditions-test-bare () ())
         (list (typep (make-condition 'conditions-test-bare) 'condition)
               (typep (make-condition 'conditions-test-bare) 'error)))
  (t nil))
(deftest-error define-condition.bad-parent (define-condition conditions-test-bad (no-such-parent-xyz) ()) error)
(deftest define-condition.format-report
  (progn (define-condition conditions-test-fmt (error) ((n :initarg :n :reader conditions-test-fmt-n))
           (:report (lambda (c s) (format s "n = ~d" (conditions-test-fmt-n c)))))
         (princ-to-string (make-condition 'conditions-test-fmt :n 5)))
  "n = 5")

;;; ---- make-condition ----
(deftest make-condition.type (type-of (make-condition 'simple-warning :format-control "x")) simple-warning)
(deftest make-condition.slots
  (let ((c (make-condition 'type-error :datum 1 :expected-type 'string)))
    (list (type-error-datum c) (type-error-expected-type c)))
  (1 string))
(deftest make-condition.format-arguments-default
  (simple-condition-format-arguments (make-condition 'simple-error :format-control "x"))
  nil)
(deftest-error make-condition.not-a-condition (make-condition 'integer) error)
(deftest make-condition.not-a-condition-text
  (handler-case (make-condition 'integer) (error (c) (princ-to-string c)))
  "#<BUILT-IN-CLASS INTEGER> is not a condition class")
(deftest-error make-condition.unknown (make-condition 'no-such-thing-xyz) error)
(deftest-error reader.wrong-type (type-error-datum (make-condition 'simple-error :format-control "x")) type-error)

;;; ---- reports of the standard conditions ----
(deftest report.type-error (princ-to-string (make-condition 'type-error :datum 5 :expected-type 'list))
  "The value 5 is not of the expected type LIST.")
(deftest report.simple-type-error
  (princ-to-string (make-condition 'simple-type-error :format-control "bad ~a" :format-arguments '(1)
                                                      :datum 1 :expected-type 'string))
  "bad 1")
(deftest report.unbound-variable (princ-to-string (make-condition 'unbound-variable :name 'foo))
  "Unbound variable: FOO")
(deftest report.undefined-function (princ-to-string (make-condition 'undefined-function :name 'foo))
  "Undefined function: FOO")
(deftest report.undefined-function-call
  (princ-to-string (make-condition 'ccl::undefined-function-call :name 'foo :function-arguments '(1 2)))
  "Undefined function FOO called with arguments (1 2) .")
(deftest report.undefined-function-call-no-arguments
  (princ-to-string (make-condition 'ccl::undefined-function-call :name 'foo :function-arguments nil))
  "Undefined function FOO called with arguments () .")
(deftest report.division-by-zero
  (princ-to-string (make-condition 'division-by-zero :operation '/ :operands '(1 0)))
  "DIVISION-BY-ZERO detected
performing / on (1 0)")
(deftest report.arithmetic-no-operands (princ-to-string (make-condition 'floating-point-overflow))
  "FLOATING-POINT-OVERFLOW detected")
(deftest report.unbound-slot (princ-to-string (make-condition 'unbound-slot :name 'x :instance 5))
  "Slot X is unbound in 5")
(deftest report.cell-error (princ-to-string (make-condition 'cell-error :name 'x)) "Cell error: X")
(deftest report.file-error (princ-to-string (make-condition 'file-error :pathname "/tmp/x"))
  "File error on file \"/tmp/x\"")
(deftest report.print-not-readable (princ-to-string (make-condition 'print-not-readable :object 5))
  "5 cannot be printed readably.")
(deftest report.simple-condition
  (princ-to-string (make-condition 'simple-condition :format-control "~a and ~s" :format-arguments '(1 "two")))
  "1 and \"two\"")
(deftest report.interrupt (princ-to-string (make-condition 'ccl::interrupt-signal-condition)) "interrupt signal")
(deftest report.plain-error (subseq (princ-to-string (make-condition 'error)) 0 14) "Error #<ERROR ")
(deftest report.plain-warning (subseq (princ-to-string (make-condition 'warning)) 0 18) "Warning #<WARNING ")
(deftest report.plain-condition (subseq (princ-to-string (make-condition 'condition)) 0 22)
  "Condition #<CONDITION ")
(deftest report.message-of-non-simple
  (handler-case (error 'package-error :package "X" :format-control "No package ~a." :format-arguments '("X"))
    (package-error (c) (list (package-error-package c) (princ-to-string c))))
  ("X" "No package X."))
(deftest report.prin1 (subseq (prin1-to-string (make-condition 'simple-error :format-control "x")) 0 15)
  "#<SIMPLE-ERROR ")
(deftest report.end-of-file-stream
  (let ((s (make-string-input-stream "")))
    (handler-case (read-char s) (end-of-file (c) (eq (stream-error-stream c) s))))
  t)

;;; ---- errors signalled by the core ----
(deftest core.unbound-variable
  (handler-case (symbol-value 'conditions-test-unbound-xyz) (unbound-variable (c) (cell-error-name c)))
  conditions-test-unbound-xyz)
(deftest core.unbound-variable-text
  (handler-case (symbol-value 'conditions-test-unbound-xyz) (error (c) (princ-to-string c)))
  "Unbound variable: CONDITIONS-TEST-UNBOUND-XYZ")
(deftest core.undefined-function
  (handler-case (funcall 'conditions-test-undefined-xyz 1) (undefined-function (c) (cell-error-name c)))
  conditions-test-undefined-xyz)
(deftest core.undefined-function-call-text
  (handler-case (conditions-test-undefined-xyz 1 2) (error (c) (princ-to-string c)))
  "Undefined function CONDITIONS-TEST-UNDEFINED-XYZ called with arguments (1 2) .")
(deftest core.program-error (handler-case (funcall (lambda (x) x)) (program-error () :program-error)) :program-error)

;;; ---- the class tree ----
(deftest hierarchy.standard
  (mapcar (lambda (pair) (values (subtypep (car pair) (cdr pair))))
          '((simple-error . simple-condition) (simple-error . error) (error . serious-condition)
            (type-error . error) (simple-type-error . type-error) (simple-type-error . simple-condition)
            (program-error . error) (control-error . error) (unbound-variable . cell-error)
            (undefined-function . cell-error) (unbound-slot . cell-error) (division-by-zero . arithmetic-error)
            (floating-point-overflow . arithmetic-error) (floating-point-underflow . arithmetic-error)
            (floating-point-inexact . arithmetic-error) (floating-point-invalid-operation . arithmetic-error)
            (end-of-file . stream-error) (reader-error . parse-error) (reader-error . stream-error)
            (file-error . error) (package-error . error) (storage-condition . serious-condition)
            (style-warning . warning) (simple-warning . warning) (print-not-readable . error)
            (cell-error . error) (warning . condition)))
  (t t t t t t t t t t t t t t t t t t t t t t t t t t t))
(deftest hierarchy.not (list (values (subtypep 'warning 'error)) (values (subtypep 'error 'warning))
                             (values (subtypep 'storage-condition 'error)))
  (nil nil nil))

;;; ---- the debugger ----
(deftest debugger-hook.called
  (block b
    (let ((*debugger-hook* (lambda (c h)
                             (declare (ignore h))
                             (return-from b (list (princ-to-string c) *debugger-hook*)))))
      (invoke-debugger (make-condition 'simple-error :format-control "hooked"))))
  ("hooked" nil))
(deftest-error invoke-debugger.not-a-condition (invoke-debugger 5) type-error)

;; A handler naming an unknown type: the type error goes to the outer handlers, not round again.
(deftest-error handler-case.unknown-type (handler-case (error "x") (no-such-type-here () 1)) error)
