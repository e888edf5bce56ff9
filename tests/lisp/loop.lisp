;;;; loop.lisp — tests of the extended LOOP (stdlib/loop.lisp): every clause of ANSI 6.1 with the
;;;; results CCL's MIT LOOP gives, and its macroexpansion-time errors.

(defun loop-error-text (form)
  (handler-case (progn (macroexpand form) :no-error)
    (program-error (c) (princ-to-string c))))

;;; ---- Numeric FOR ----

(deftest for-from-to (loop for i from 1 to 5 collect i) (1 2 3 4 5))
(deftest for-below (loop for i below 4 collect i) (0 1 2 3))
(deftest for-upto (loop for i upto 2 collect i) (0 1 2))
(deftest for-from-below (loop for i from 2 below 5 collect i) (2 3 4))
(deftest for-upfrom-below (loop for i upfrom 3 below 6 collect i) (3 4 5))
(deftest for-downfrom-to (loop for i downfrom 5 to 1 collect i) (5 4 3 2 1))
(deftest for-from-downto (loop for i from 10 downto 7 collect i) (10 9 8 7))
(deftest for-from-above (loop for i from 5 above 2 collect i) (5 4 3))
(deftest for-downfrom-above (loop for i downfrom 3 above 0 collect i) (3 2 1))
(deftest for-downto-by (loop for i from 10 downto 1 by 3 collect i) (10 7 4 1))
(deftest for-by-2 (loop for i from 1 to 10 by 2 collect i) (1 3 5 7 9))
(deftest for-by-ratio (loop for i from 0 below 1 by 1/4 collect i) (0 1/4 1/2 3/4))
(deftest for-by-float (loop for i from 1 to 10 by 2.5 collect i) (1 3.5 6.0 8.5))
(deftest for-float-start (loop for i from 0.5 below 2 collect i) (0.5 1.5))
(deftest for-by-variable (let ((n 3)) (loop for i from 0 to 9 by n collect i)) (0 3 6 9))
(deftest for-limit-evaluated-once
    (let ((calls 0)) (list (loop for i below (progn (incf calls) 3) collect i) calls))
  ((0 1 2) 1))
(deftest for-empty-range (loop for i from 3 to 1 collect i) nil)
(deftest for-empty-below (loop for i below 0 collect i) nil)
(deftest for-no-limit (loop for i from 1 for x in '(a b c) collect (cons i x)) ((1 . a) (2 . b) (3 . c)))
(deftest for-value-after-end (loop for i from 1 to 3 finally (return i)) 4)
(deftest for-below-value-after-end (loop for i below 3 finally (return i)) 3)
(deftest for-downto-value-after-end (loop for i from 3 downto 1 finally (return i)) 0)
(deftest as-synonym (loop as i from 1 to 3 collect i) (1 2 3))
(deftest for-type-fixnum (loop for i fixnum below 3 collect i) (0 1 2))
(deftest for-of-type (loop for i of-type fixnum from 0 below 3 collect i) (0 1 2))
(deftest for-float-type-step (loop for i float from 0 to 2 collect i) (0 1.0 2.0))
(deftest for-keywords-any-package (loop :for i :from 1 :to 3 :collect i) (1 2 3))
(deftest for-parallel-numeric (loop for i below 3 and j downfrom 10 collect (list i j))
  ((0 10) (1 9) (2 8)))

;;; ---- FOR over lists and vectors ----

(deftest for-in (loop for x in '(a b c) collect x) (a b c))
(deftest for-in-empty (loop for x in nil collect x) nil)
(deftest for-in-by-cddr (loop for x in '(1 2 3 4 5) by #'cddr collect x) (1 3 5))
(deftest for-in-by-lambda (loop for x in '(1 2 3 4) by (lambda (l) (cddr l)) collect x) (1 3))
(deftest for-in-by-variable (let ((f #'cdddr)) (loop for x in '(1 2 3 4 5 6 7) by f collect x)) (1 4 7))
(deftest for-in-dotted-error-free (loop for x in '(1 2 3) for y in '(a b) collect (list x y))
  ((1 a) (2 b)))
(deftest-error for-in-dotted (loop for x in '(1 2 . 3) collect x) type-error)
(deftest for-on (loop for x on '(1 2 3) collect x) ((1 2 3) (2 3) (3)))
(deftest for-on-dotted (loop for x on '(1 2 . 3) collect x) ((1 2 . 3) (2 . 3)))
(deftest for-on-by (loop for x on '(1 2 3 4 5) by #'cddr collect (car x)) (1 3 5))
(deftest for-on-destructuring (loop for (a b) on '(1 2 3 4) by #'cddr collect (+ a b)) (3 7))
(deftest for-on-value-after-end (loop for x on '(1 2) finally (return x)) nil)
(deftest for-across-vector (loop for x across #(1 2 3) collect (* x x)) (1 4 9))
(deftest for-across-string (loop for c across "abc" collect c) (#\a #\b #\c))
(deftest for-across-empty (loop for c across "" collect c) nil)
(deftest for-across-two (loop for x across (vector 1 2 3) for c across "ab" collect (list x c))
  ((1 #\a) (2 #\b)))
(deftest for-across-index (loop for c across "xyz" for i from 0 collect (cons i c))
  ((0 . #\x) (1 . #\y) (2 . #\z)))

;;; ---- FOR = [THEN] ----

(deftest for-equals-then (loop for x = 1 then (* 2 x) repeat 5 collect x) (1 2 4 8 16))
(deftest for-equals-each-time (let ((n 0)) (loop for x = (incf n) repeat 3 collect x)) (1 2 3))
(deftest for-equals-after-in (loop for x in '(1 2 3) for y = (* x 10) collect y) (10 20 30))
(deftest for-equals-pop
    (let ((stack (list 1 2 3))) (loop for x = (pop stack) while x collect x))
  (1 2 3))
(deftest for-sequential-then (loop for x in '(1 2 3) for y = 10 then (+ y x) collect y) (10 12 15))
(deftest for-parallel-then (loop for x in '(1 2 3) and y = 10 then (+ y x) collect y) (10 11 13))
(deftest for-parallel-swap (loop for a = 1 then b and b = 2 then a repeat 4 collect (list a b))
  ((1 2) (2 1) (1 2) (2 1)))
(deftest for-parallel-equals (loop for i from 1 to 3 and j = 0 then i collect (list i j))
  ((1 0) (2 1) (3 2)))

;;; ---- Destructuring ----

(deftest destructure-list (loop for (a b) in '((1 2) (3 4) (5 6)) collect (+ a b)) (3 7 11))
(deftest destructure-dotted (loop for (k . v) in '((a . 1) (b . 2)) collect (list v k)) ((1 a) (2 b)))
(deftest destructure-nil (loop for (a nil c) in '((1 2 3) (4 5 6)) collect (list a c)) ((1 3) (4 6)))
(deftest destructure-nested (loop for (a (b c)) in '((1 (2 3)) (4 (5 6))) collect (list c b a))
  ((3 2 1) (6 5 4)))
(deftest destructure-short (loop for (a b c) in '((1) (2 3)) collect (list a b c)) ((1 nil nil) (2 3 nil)))
(deftest destructure-long (loop for (a b) in '((1 2 3 4)) collect (list a b)) ((1 2)))
(deftest destructure-rest (loop for (a . rest) in '((1 2 3)) collect rest) ((2 3)))
(deftest destructure-types (loop for (a b) (fixnum fixnum) in '((1 2)) collect (+ a b)) (3))
(deftest destructure-of-type (loop for (a b) of-type (fixnum fixnum) in '((3 4)) collect (* a b)) (12))
(deftest destructure-equals (loop for (a b) = '(1 2) repeat 2 collect (list b a)) ((2 1) (2 1)))
(deftest for-nil-var (loop for nil in '(1 2 3) count t) 3)
(deftest with-destructure (loop with (a b) = '(1 2) return (list b a)) (2 1))
(deftest with-destructure-types
    (loop with (a b) of-type float = '(1.0 2.0) and (c d) of-type integer = '(3 4) and (e f)
          return (list a b c d e f))
  (1.0 2.0 3 4 nil nil))
(deftest with-destructure-nested (loop with (a (b c)) = '(1 (2 3)) return (list a b c)) (1 2 3))

;;; ---- WITH, variables ----

(deftest with-simple (loop with a = 1 and b = 2 return (list a b)) (1 2))
(deftest with-sequential (loop with a = 1 with b = (+ a 1) return b) 2)
(deftest with-parallel (let ((a 5)) (loop with a = 1 and b = a return (list a b))) (1 5))
(deftest with-no-init (loop with x return x) nil)
(deftest with-fixnum-init (loop with x fixnum return x) 0)
(deftest with-float-init (loop with x float return x) 0.0)
(deftest with-of-type-init (loop with x of-type double-float return x) 0.0d0)
(deftest with-type-and-value (loop with x fixnum = 7 return x) 7)
(deftest with-then-for (loop with base = 10 for i below 3 collect (+ base i)) (10 11 12))

;;; ---- REPEAT, WHILE, UNTIL, LOOP-FINISH ----

(deftest repeat-simple (loop repeat 3 collect 'a) (a a a))
(deftest repeat-zero (loop repeat 0 collect 'a) nil)
(deftest repeat-negative (loop repeat -2 collect 'a) nil)
(deftest repeat-evaluated-once (let ((n 0)) (loop repeat (progn (incf n) 3) count t) ) 3)
(deftest repeat-and-for (loop repeat 2 for x in '(a b c) collect x) (a b))
(deftest for-and-repeat (loop for x in '(a b c) repeat 2 collect x) (a b))
(deftest while-clause (loop for x in '(1 2 3 4) while (< x 3) collect x) (1 2))
(deftest until-clause (loop for x in '(1 2 3 4) until (> x 2) collect x) (1 2))
(deftest until-after-collect (loop for x in '(1 2 3) collect x until (= x 2)) (1 2))
(deftest while-then-for (loop for x in '(1 2 3) while (< x 3) for y = (* x 10) collect y) (10 20))
(deftest while-runs-finally
    (with-output-to-string (*standard-output*)
      (loop for x in '(1 2 3) while (< x 2) finally (princ "end")))
  "end")
(deftest loop-finish-value (loop for i from 1 to 3 do (loop-finish) finally (return i)) 1)
(deftest loop-finish-collect (loop for x in '(1 2 3) collect x when (= x 2) do (loop-finish)) (1 2))
(deftest loop-finish-if-end (loop for i from 1 to 10 if (= i 3) do (loop-finish) end collect i) (1 2))

;;; ---- Accumulation ----

(deftest collect-two (loop for x in '(1 2 3) collect x collect (* x 10)) (1 10 2 20 3 30))
(deftest collecting-synonym (loop for x in '(1 2) collecting (list x)) ((1) (2)))
(deftest collect-fresh-list
    (let* ((l (list 1 2)) (c (loop for x in l collect x))) (list (eq c l) c))
  (nil (1 2)))
(deftest append-clause (loop for x in '((a) (b c) nil (d)) append x) (a b c d))
(deftest append-copies
    (let* ((tail (list 3)) (r (loop for x in (list (list 1) tail) append x)))
      (list r (eq (last r) tail)))
  ((1 3) nil))
(deftest append-list-form (loop for x in '(1 2) appending (list x x)) (1 1 2 2))
(deftest nconc-clause (loop for x in (list (list 1 2) nil (list 3)) nconc x) (1 2 3))
(deftest nconcing-list-form (loop for x in '(1 2) nconcing (list x (- x))) (1 -1 2 -2))
(deftest collect-into (loop for x in '(1 2 3) collect x into l finally (return (reverse l))) (3 2 1))
(deftest collect-into-visible (loop for x in '(a b c) collect x into acc collect (length acc)) (1 2 3))
(deftest collect-into-no-value (loop for x in '(1 2) collect x into l) nil)
(deftest collect-and-into
    (loop for i below 5 if (evenp i) collect i into evens else collect i into odds
          finally (return (list evens odds)))
  ((0 2 4) (1 3)))
(deftest count-clause (loop for x in '(3 1 4 1 5) count (> x 2)) 3)
(deftest counting-none (loop for x in nil counting x) 0)
(deftest sum-clause (loop for x across #(1 2 3) sum x) 6)
(deftest summing-ratios (loop for x in '(1/2 1/3 1/6) summing x) 1)
(deftest sum-float-type (loop for x in '(1.0 2.0) sum x float) 3.0)
(deftest sum-of-type (loop for x in '(1 2 3) sum x of-type fixnum) 6)
(deftest sum-into (loop for x in '(1 2 3) sum x into s finally (return (* s 2))) 12)
(deftest count-and-sum-into
    (loop for x in '(1 2 3) count x into c sum x into s finally (return (list c s)))
  (3 6))
(deftest sum-empty (loop for x in nil sum x) 0)
(deftest sum-float-empty (loop for x in nil sum x of-type float) 0.0)
(deftest maximize-clause (loop for x in '(3 1 4 1 5) maximize x) 5)
(deftest minimize-clause (loop for x in '(3 1 4 1 5) minimize x) 1)
(deftest minimizing-floats (loop for x in '(2.5 1.5 3) minimizing x) 1.5)
(deftest maximize-negative (loop for x in '(-3 -1 -4) maximizing x) -1)
(deftest maximize-empty (loop for x in nil maximize x) 0)
(deftest maximize-fixnum-empty (= (loop for x in nil maximize x fixnum) most-negative-fixnum) t)
(deftest minimize-fixnum (loop for x in '(5 2 8) minimize x fixnum) 2)
(deftest maximize-into (loop for x in '(1 7 3) maximize x into m finally (return (list m))) (7))
(deftest max-and-min-same-var
    (loop for x in '(3 1 4) maximize x into m minimize x into m finally (return m))
  4)
(deftest collect-returns-value-finally-return (loop for x in '(1 2) collect x finally (return :f)) :f)

;;; ---- ALWAYS, NEVER, THEREIS ----

(deftest always-true (loop for x in '(1 2 3) always (numberp x)) t)
(deftest always-false (loop for x in '(1 a 2) always (numberp x)) nil)
(deftest always-empty (loop for x in nil always nil) t)
(deftest always-skips-finally
    (with-output-to-string (*standard-output*)
      (loop for x in '(1 a) always (numberp x) finally (princ "finally")))
  "")
(deftest never-true (loop for x in '(1 2 3) never (> x 5)) t)
(deftest never-false (loop for x in '(1 2 3) never (= x 2)) nil)
(deftest thereis-value (loop for x in '(1 2 3) thereis (and (> x 1) (* x 10))) 20)
(deftest thereis-none (loop for x in '(1 2) thereis (> x 5)) nil)
(deftest thereis-finally (loop for x in '(1 2) thereis nil finally (return :done)) :done)
(deftest always-with-into (loop for x in '(1 2) collect x into l always x) t)
(deftest always-then-thereis (loop for x in '(1 2) always x thereis x) 1)

;;; ---- Conditionals ----

(deftest when-collect (loop for x in '(1 2 3 4) when (evenp x) collect x) (2 4))
(deftest if-synonym (loop for x in '(1 2 3 4) if (oddp x) collect x) (1 3))
(deftest unless-collect (loop for x in '(1 2 3 4) unless (oddp x) collect x) (2 4))
(deftest when-else (loop for x in '(1 2 3) when (oddp x) collect x else collect (- x)) (1 -2 3))
(deftest when-and (loop for i from 1 to 6 when (evenp i) collect i and sum i into s finally (return (list s)))
  (12))
(deftest when-and-collect-value (loop for i from 1 to 4 when (evenp i) collect i and collect (- i)) (2 -2 4 -4))
(deftest when-it (loop for x in '((a . 1) (b . nil) (c . 3)) when (cdr x) collect it) (1 3))
(deftest when-return-it (loop for x in '(1 2 3) when (and (> x 1) (* x 100)) return it) 200)
(deftest when-it-and (loop for x in '(1 nil 3) when x collect it and collect x) (1 1 3 3))
(deftest nested-when-end
    (loop for i below 6 when (evenp i) when (> i 0) collect i end else collect (- i))
  (-1 2 -3 4 -5))
(deftest nested-when-else-inner
    (loop for i below 6 when (evenp i) when (> i 0) collect i else collect (- i))
  (0 2 4))
(deftest when-do-and (with-output-to-string (*standard-output*)
                       (loop for x in '(1 nil 2) when x do (princ x) and do (princ ",")))
  "1,2,")
(deftest unless-else (loop for x in '(1 2 3) unless (= x 2) collect x else collect :two) (1 :two 3))
(deftest when-return (loop for x in '(1 2 3) when (= x 2) return (* x 10)) 20)
(deftest when-multiple-collectors
    (loop for x in '(1 2 3 4 5)
          when (oddp x) collect x into odds and count t into n
          finally (return (list odds n)))
  ((1 3 5) 3))

;;; ---- Body, RETURN, NAMED, INITIALLY, FINALLY ----

(deftest do-clause (with-output-to-string (*standard-output*) (loop for x in '(1 2 3) do (princ x)))
  "123")
(deftest doing-several-forms
    (with-output-to-string (*standard-output*) (loop for x in '(1 2) doing (princ x) (princ "-")))
  "1-2-")
(deftest do-return-nil (loop for x in '(1 2 3) do (when (= x 2) (return))) nil)
(deftest do-return-value (loop for x in '(1 2 3) do (when (= x 2) (return x))) 2)
(deftest return-clause (loop return 5) 5)
(deftest return-clause-after-for (loop for x in '(a b) return x) a)
(deftest named-return-from
    (loop named outer for i below 3
          do (loop for j below 3 do (when (= j 1) (return-from outer (list i j)))))
  (0 1))
(deftest named-always (loop named foo for x in '(1 nil) always x) nil)
(deftest nested-loops (loop for i below 3 collect (loop for j below i collect j)) (nil (0) (0 1)))
(deftest nested-return-inner (loop for i below 2 collect (loop for j from 5 do (return j))) (5 5))
(deftest initially-finally
    (with-output-to-string (*standard-output*)
      (loop for x in '(1 2) initially (princ "<") do (princ x) finally (princ ">")))
  "<12>")
(deftest initially-with-no-iterations
    (with-output-to-string (*standard-output*)
      (loop for x in nil initially (princ "a") (princ "b") finally (princ "c")))
  "abc")
(deftest finally-return (loop for x in '(1 2 3) finally (return (list :last x))) (:last 3))
(deftest finally-not-run-on-return
    (with-output-to-string (*standard-output*)
      (loop for x in '(1 2) do (return) finally (princ "no")))
  "")
(deftest finally-sees-collect-into
    (loop for x in '(1 2) collect x into l finally (return (cons :l l)))
  (:l 1 2))
(deftest finally-return-own-block (list (block nil (loop for x in '(1) finally (return 7)) 8)) (8))

;;; ---- Hash tables and packages ----

(defun loop-test-table ()
  (let ((h (make-hash-table)))
    (setf (gethash 1 h) 'one (gethash 2 h) 'two (gethash 3 h) 'three)
    h))

(deftest hash-keys (sort (loop for k being the hash-keys of (loop-test-table) collect k) #'<) (1 2 3))
(deftest hash-key-singular (sort (loop for k being each hash-key in (loop-test-table) collect k) #'<)
  (1 2 3))
(deftest hash-values-sum
    (let ((h (make-hash-table))) (setf (gethash :a h) 10 (gethash :b h) 20)
      (loop for v being the hash-values of h sum v))
  30)
(deftest hash-keys-using-value
    (sort (loop for k being the hash-keys of (loop-test-table) using (hash-value v) collect (cons k v))
          #'< :key #'car)
  ((1 . one) (2 . two) (3 . three)))
(deftest hash-values-using-key
    (sort (loop for v being the hash-values in (loop-test-table) using (hash-key k) collect (list k v))
          #'< :key #'car)
  ((1 one) (2 two) (3 three)))
(deftest hash-empty (loop for k being the hash-keys of (make-hash-table) collect k) nil)
(deftest hash-key-after-end (loop for k being the hash-keys of (loop-test-table) finally (return k)) nil)
(deftest hash-key-destructuring
    (let ((h (make-hash-table :test 'equal))) (setf (gethash '(1 2) h) t)
      (loop for (a b) being the hash-keys of h collect (+ a b)))
  (3))
(deftest hash-count-with-for
    (loop for k being the hash-keys of (loop-test-table) for i from 1 finally (return i))
  3)

(defvar *loop-test-package*
  (let ((p (or (find-package "LOOP-TEST-PKG") (make-package "LOOP-TEST-PKG" :use nil))))
    (intern "A" p) (intern "B" p) (export (intern "C" p) p)
    p))

(deftest present-symbols
    (sort (loop for s being the present-symbols of *loop-test-package* collect (symbol-name s)) #'string<)
  ("A" "B" "C"))
(deftest external-symbols
    (loop for s being each external-symbol of "LOOP-TEST-PKG" collect (symbol-name s))
  ("C"))
(deftest symbols-count (loop for s being the symbols in *loop-test-package* count t) 3)
(deftest symbols-default-package
    (let ((*package* *loop-test-package*)) (loop for s being the symbols count (symbolp s)))
  3)

;;; ---- Expansion ----

(deftest block-name-nil (eq (car (macroexpand '(loop for x in l collect x))) 'block) t)
(deftest simple-loop-non-symbol-head (loop (return 3)) 3)
(deftest non-symbol-first-is-simple (let ((n 0)) (loop 5 (incf n) (when (= n 3) (return n)))) 3)

;;; ---- Errors at macroexpansion time ----

(deftest-error err-unknown-for-keyword (macroexpand '(loop for x foo 3)) program-error)
(deftest err-unknown-for-keyword-text (loop-error-text '(loop for x foo 3))
  "FOO is an unknown keyword in FOR or AS clause in LOOP.
Current LOOP context: FOR X FOO 3.")
(deftest-error err-unknown-clause (eval '(loop for x in '(1) frob x)) program-error)
(deftest err-unknown-clause-text (loop-error-text '(loop for x in l frob x))
  "FROB is an unknown keyword in LOOP macro.
Current LOOP context: FROB X.")
(deftest err-ran-out-text (loop-error-text '(loop for x in))
  "LOOP code ran out where a form was expected.
Current LOOP context: FOR X IN.")
(deftest-error err-for-alone (macroexpand '(loop for)) program-error)
(deftest err-not-keyword-text (loop-error-text '(loop for x in l do (f) 5))
  "5 found where LOOP keyword expected.
Current LOOP context: DO (F) 5.")
(deftest err-and-top-level (loop-error-text '(loop and x))
  "Secondary clause misplaced at top level in LOOP macro: AND X NIL ...
Current LOOP context: AND X.")
(deftest err-iteration-after-body (loop-error-text '(loop do (print 1) for y in l))
  "Iteration in LOOP follows body code.
Current LOOP context: FOR Y IN L.")
(deftest err-incompatible-collect (loop-error-text '(loop for x in l collect x sum x))
  "Incompatible kinds of LOOP value accumulation specified for collecting
as the value of the LOOP: LIST and SUM.
Current LOOP context: SUM X.")
(deftest err-incompatible-into (loop-error-text '(loop for x in l collect x into a count x into a))
  "Incompatible kinds of LOOP value accumulation specified for collecting
INTO A: LIST and COUNT.
Current LOOP context: COUNT X INTO A.")
(deftest err-always-anonymous (loop-error-text '(loop for x in l collect x always x))
  "This LOOP clause is not permitted with anonymous collectors.
Current LOOP context: ALWAYS X.")
(deftest err-collect-after-always (loop-error-text '(loop for x in l always x collect x))
  "This anonymous collection LOOP clause is not permitted with aggregate booleans.
Current LOOP context: COLLECT X.")
(deftest err-always-in-conditional (loop-error-text '(loop for x in l when x always x))
  "This LOOP clause is not permitted inside a conditional.
Current LOOP context: ALWAYS X.")
(deftest err-while-in-conditional (loop-error-text '(loop for x in l when x while x))
  "The LOOP :WHILE clause is not permitted inside a conditional.
Current LOOP context: WHILE X.")
(deftest err-for-in-conditional (loop-error-text '(loop for x in l when x for y in l))
  "FOR does not introduce a LOOP clause that can follow WHEN.
Current LOOP context: FOR Y.")
(deftest err-duplicate-iteration-var (loop-error-text '(loop for x in l for x in m))
  "Duplicated LOOP iteration variable X.
Current LOOP context: FOR X IN M.")
(deftest err-duplicate-with (loop-error-text '(loop with a = 1 and a = 2 return a))
  "Duplicated variable A in LOOP parallel binding.
Current LOOP context: WITH A = 1 AND A = 2 RETURN.")
(deftest err-with-reused (loop-error-text '(loop with a = 1 with a = 2))
  "Variable A has already been used
Current LOOP context: WITH A = 2.")
(deftest err-bad-variable (loop-error-text '(loop with 3 = 4))
  "Bad variable 3 somewhere in LOOP.
Current LOOP context: WITH 3 = 4.")
(deftest err-by-zero (loop-error-text '(loop for i from 1 to 10 by 0 collect i))
  "The form 0 evaluated to 0, which was not of the anticipated type (REAL (0)).
Current LOOP context: FOR I FROM 1 TO 10 BY 0 COLLECT.")
(deftest err-conflicting-directions (loop-error-text '(loop for i upfrom 1 downto 0))
  "Conflicting stepping directions in LOOP sequencing path
Current LOOP context: FOR I UPFROM 1 DOWNTO 0.")
(deftest err-no-start (loop-error-text '(loop for i downto 0 collect i))
  "Don't know where to start stepping.
Current LOOP context: FOR I DOWNTO 0 COLLECT.")
(deftest err-repeated-preposition (loop-error-text '(loop for i from 1 from 2))
  "A FROM prepositional phrase occurs multiply for some LOOP clause.
Current LOOP context: FOR I FROM 1 FROM.")
(deftest err-not-a-number-type (loop-error-text '(loop for i string from 1 to 3))
  "Specified data type STRING is not a subtype of NUMBER.
Current LOOP context: FOR I STRING FROM 1 TO.")
(deftest err-unknown-path (loop-error-text '(loop for x being the elements of v))
  "ELEMENTS is not the name of a LOOP iteration path.
Current LOOP context: FOR X BEING THE ELEMENTS OF.")
(deftest err-missing-each (loop-error-text '(loop for x being hash-keys of h))
  "Unrecognizable LOOP iteration path syntax.  Missing EACH or THE?
Current LOOP context: FOR X BEING HASH-KEYS OF.")
(deftest err-hash-missing-of (loop-error-text '(loop for x being the hash-keys h))
  "Too many prepositions!
Current LOOP context: FOR X BEING THE HASH-KEYS H.")
(deftest err-unused-using (loop-error-text '(loop for x being the hash-keys of h using (hash-key k)))
  "Unused USING variables: ((HASH-KEY . K)).
Current LOOP context: FOR X BEING THE HASH-KEYS OF H USING (HASH-KEY K).")
(deftest err-package-destructuring (loop-error-text '(loop for (a) being the symbols of p))
  "Destructuring is not valid for package symbol iteration.
Current LOOP context: FOR (A) BEING THE SYMBOLS OF P.")
(deftest err-named-late (loop-error-text '(loop for x in l named foo))
  "The NAMED FOO clause occurs too late.
Current LOOP context: NAMED FOO.")
(deftest err-named-twice (loop-error-text '(loop named a named b))
  "You may only use one NAMED clause in your loop: NAMED A ... NAMED B.
Current LOOP context: NAMED B.")
(deftest err-do-atom (loop-error-text '(loop do 3))
  "Compound form expected, but found 3.
Current LOOP context: DO 3.")
(deftest err-into-not-symbol (loop-error-text '(loop collect x into 3))
  "Value accumulation recipient name, 3, is not a symbol.
Current LOOP context: COLLECT X INTO 3.")
(deftest err-into-used-variable (loop-error-text '(loop with x = 1 collect x into x))
  "Variable X cannot be used in INTO clause
Current LOOP context: COLLECT X INTO X.")
(deftest err-type-not-keyword (loop-error-text '(loop for x 3 in l))
  "3 found where a LOOP keyword or LOOP type keyword expected.
Current LOOP context: FOR X 3.")
(deftest err-form-after-collect (loop-error-text '(loop for x in l collect x (print x)))
  "(PRINT X) found where a LOOP keyword or LOOP type keyword expected.
Current LOOP context: COLLECT X (PRINT X).")
(deftest err-maximize-type (loop-error-text '(loop for x in l maximize x string))
  "Specified data type STRING is not a subtype of REAL.
Current LOOP context: MAXIMIZE X STRING.")
(deftest err-when-not-keyword (loop-error-text '(loop when x 3))
  "3 found where keyword expected getting LOOP clause after WHEN.
Current LOOP context: WHEN X 3.")
(deftest-error err-eval-raises-program-error (eval '(loop for x in '(1 2) collect x always x))
  program-error)
