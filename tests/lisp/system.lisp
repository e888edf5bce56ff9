;;;; system.lisp — the System part as CCL has it: universal and decoded time, internal time,
;;;; SLEEP, TIME, DESCRIBE, APROPOS, CONSTANTLY/COMPLEMENT, modules, RUN-PROGRAM, GETPID, CWD.
;;;; Expected texts are CCL's where the output is deterministic.

;; Local time is UTC for the whole file, so that "As time" lines and local decoding are known.
(ccl:setenv "TZ" "UTC0")

;;; ---- Universal time ----

(deftest decode.epoch (multiple-value-list (decode-universal-time 0 0)) (0 0 0 1 1 1900 0 nil 0))
(deftest decode.2024 (multiple-value-list (decode-universal-time 3913459200 0)) (0 0 16 5 1 2024 4 nil 0))
(deftest decode.ratio-zone (multiple-value-list (decode-universal-time 3913459200 -11/2))
  (0 30 21 5 1 2024 4 nil -11/2))
(deftest decode.west-zone (multiple-value-list (decode-universal-time 3913459200 5)) (0 0 11 5 1 2024 4 nil 5))
(deftest decode.2162 (multiple-value-list (decode-universal-time 8295524012 0)) (32 13 0 16 11 2162 1 nil 0))
(deftest decode.1951 (multiple-value-list (decode-universal-time 1611892639 0)) (19 57 3 30 1 1951 1 nil 0))
(deftest decode.local-utc (multiple-value-list (decode-universal-time 3913459200)) (0 0 16 5 1 2024 4 nil 0))
(deftest decode.leap-day (multiple-value-list (decode-universal-time (+ 3913056000 (* 59 86400)) 0))
  (0 0 0 29 2 2024 3 nil 0))
(deftest decode.dst
  (let ((old (ccl:getenv "TZ")))
    (ccl:setenv "TZ" "EST5EDT,M3.2.0,M11.1.0")
    (prog1 (list (multiple-value-list (decode-universal-time 3929097600))
                 (multiple-value-list (decode-universal-time 3913459200)))
      (ccl:setenv "TZ" old)))
  ((0 0 12 4 7 2024 3 t 5) (0 0 11 5 1 2024 4 nil 5)))
(deftest encode.dst
  (let ((old (ccl:getenv "TZ")))
    (ccl:setenv "TZ" "EST5EDT,M3.2.0,M11.1.0")
    (prog1 (list (encode-universal-time 0 0 12 1 7 2024) (encode-universal-time 0 0 12 1 1 2024))
      (ccl:setenv "TZ" old)))
  (3928838400 3913117200))
(deftest-error decode.not-integer (decode-universal-time "now") type-error)
(deftest-error decode.bad-zone (decode-universal-time 0 "UTC") type-error)

(deftest encode.2024 (encode-universal-time 0 0 0 1 1 2024 0) 3913056000)
(deftest encode.zone (encode-universal-time 0 0 0 1 1 2024 5) 3913074000)
(deftest encode.ratio-zone (encode-universal-time 0 0 0 1 1 2024 -11/2) 3913036200)
(deftest encode.epoch (encode-universal-time 0 0 0 1 1 1900 0) 0)
(deftest encode.local (encode-universal-time 0 0 0 1 1 2024) 3913056000)
(deftest encode.round-trip
  (multiple-value-list (decode-universal-time (encode-universal-time 30 45 12 29 2 2024 0) 0))
  (30 45 12 29 2 2024 3 nil 0))
(deftest encode.two-digit-year (= (encode-universal-time 0 0 0 1 1 24 0) (encode-universal-time 0 0 0 1 1 2024 0)) t)
(deftest encode.weekday (nth-value 6 (decode-universal-time (encode-universal-time 0 0 0 1 1 2000 0) 0)) 5)
(deftest encode.leap-2000 (encode-universal-time 0 0 0 29 2 2000 0) 3160771200)
(deftest-error encode.not-leap-1900 (encode-universal-time 0 0 0 29 2 1900 0) type-error)
(deftest-error encode.feb-30 (encode-universal-time 0 0 0 30 2 2024 0) type-error)
(deftest-error encode.second-60 (encode-universal-time 60 0 0 1 1 2024 0) type-error)
(deftest-error encode.month-13 (encode-universal-time 0 0 0 1 13 2024 0) type-error)
(deftest-error encode.zone-25 (encode-universal-time 0 0 0 1 1 2024 25) type-error)
(deftest-error encode.negative-year (encode-universal-time 0 0 0 1 1 -5 0) type-error)
(deftest encode.feb-30-message
  (handler-case (encode-universal-time 0 0 0 30 2 2024 0) (type-error (c) (princ-to-string c)))
  "The value 30 is not of the expected type (INTEGER 1 29).")
(deftest encode.negative-message
  (handler-case (encode-universal-time 0 0 0 31 12 1899 -1) (error (c) (princ-to-string c)))
  "Universal time for MM/DD/YYYY 12/31/1899 00:00:00 
with specified time zone would be negative.")

(deftest universal.now (let ((u (get-universal-time))) (and (integerp u) (> u 3913056000))) t)
(deftest decoded.now (length (multiple-value-list (get-decoded-time))) 9)
(deftest decoded.now-agrees
  (let ((u (get-universal-time)))
    (= (nth-value 5 (get-decoded-time)) (nth-value 5 (decode-universal-time u))))
  t)

;;; ---- Internal time and SLEEP ----

(deftest units internal-time-units-per-second 1000000)
(deftest units.constant (constantp 'internal-time-units-per-second) t)
(deftest real-time.monotonic (let ((a (get-internal-real-time)) (b (get-internal-real-time))) (<= a b)) t)
(deftest run-time.integer (let ((r (get-internal-run-time))) (and (integerp r) (>= r 0))) t)
(deftest sleep.value (sleep 0) nil)
(deftest sleep.duration
  (let ((start (get-internal-real-time)))
    (sleep 0.1)
    (>= (- (get-internal-real-time) start) 100000))
  t)
(deftest sleep.ratio
  (let ((start (get-internal-real-time)))
    (sleep 1/20)
    (>= (- (get-internal-real-time) start) 50000))
  t)
(deftest-error sleep.negative (sleep -1) type-error)
(deftest-error sleep.string (sleep "1") type-error)
(deftest sleep.negative-message (handler-case (sleep -1) (type-error (c) (princ-to-string c)))
  "The value -1 is not of the expected type (REAL 0 *).")
(deftest cpu-count (plusp (ccl:cpu-count)) t)

;;; ---- TIME ----

(defun system-test-lines (string)
  (let ((lines nil) (start 0))
    (loop (let ((nl (position #\Newline string :start start)))
            (if nl
                (progn (push (subseq string start nl) lines) (setq start (1+ nl)))
                (progn (when (< start (length string)) (push (subseq string start) lines))
                       (return (nreverse lines))))))))

(defun system-test-ends-with (string suffix)
  (and (>= (length string) (length suffix))
       (string= suffix string :start2 (- (length string) (length suffix)))))

(deftest time.values
  (multiple-value-list (let ((*trace-output* (make-broadcast-stream))) (time (values 1 2 3))))
  (1 2 3))
(deftest time.report
  (let* ((text (with-output-to-string (*trace-output*) (time (+ 1 2))))
         ;; The GC line appears only when a collection ran (always, under CLOVE_GC_STRESS).
         (lines (remove-if (lambda (l) (search "spent in GC." l)) (system-test-lines text))))
    (list (first lines)
          (string= "took " (second lines) :end2 5)
          (system-test-ends-with (second lines) " seconds) to run.")
          (not (null (search " microseconds (" (second lines))))
          (string= "During that period, and with " (third lines) :end2 29)
          (system-test-ends-with (fourth lines) " were spent in user mode")
          (system-test-ends-with (fifth lines) " were spent in system mode")
          (char= #\Newline (char text (1- (length text))))))
  ("(+ 1 2)" t t t t t t t))
(deftest time.report-function
  (let ((ccl:*report-time-function*
          (lambda (&key form results elapsed-time &allow-other-keys)
            (list form results (integerp elapsed-time)))))
    (time (values :a :b)))
  ((values :a :b) (:a :b) t))
(deftest time.no-output-to-standard
  (with-output-to-string (*standard-output*)
    (let ((*trace-output* (make-broadcast-stream))) (time 1)))
  "")

;;; ---- CONSTANTLY, COMPLEMENT ----

(deftest constantly.1 (funcall (constantly 7)) 7)
(deftest constantly.args (funcall (constantly :x) 1 2 3) :x)
(deftest constantly.mapcar (mapcar (constantly nil) '(1 2)) (nil nil))
(deftest complement.1 (funcall (complement #'evenp) 3) t)
(deftest complement.symbol (remove-if (complement 'oddp) '(1 2 3 4)) (1 3))
(deftest complement.args (funcall (complement #'<) 1 2) nil)
(deftest-error complement.not-function (complement 5) type-error)

;;; ---- Modules ----

(deftest modules.list (not (null (member "SOCKETS" *modules* :test #'string=))) t)
(deftest require.built-in (multiple-value-list (require :sockets)) (:sockets nil))
(deftest provide.then-require
  (progn (provide :system-test-mod) (multiple-value-list (require "SYSTEM-TEST-MOD")))
  ("SYSTEM-TEST-MOD" nil))
(deftest provide.value (provide "SYSTEM-TEST-MOD2") "SYSTEM-TEST-MOD2")
(deftest-error require.unknown (require :system-test-no-such-module) error)
(deftest require.unknown-message
  (handler-case (require :system-test-no-such-module) (error (c) (princ-to-string c)))
  "Module SYSTEM-TEST-NO-SUCH-MODULE was not provided by any function on *MODULE-PROVIDER-FUNCTIONS*.")

(defun system-test-temp-dir ()
  (let ((dir (format nil "/tmp/clove-system-test-~d/" (ccl::getpid))))
    (ensure-directories-exist dir)
    dir))

(deftest require.search-path
  (let ((dir (system-test-temp-dir)))
    (with-open-file (s (concatenate 'string dir "systestmod.lisp") :direction :output :if-exists :supersede)
      (write-line "(defvar *systestmod-loaded* :yes)" s)
      (write-line "(provide :systestmod)" s))
    (let ((ccl:*module-search-path* (list dir)))
      (list (nth-value 1 (require :systestmod))
            (symbol-value (find-symbol "*SYSTESTMOD-LOADED*"))
            (nth-value 1 (require :systestmod)))))
  (("SYSTESTMOD") :yes nil))
(deftest require.pathname
  (let ((file (concatenate 'string (system-test-temp-dir) "other.lisp")))
    (with-open-file (s file :direction :output :if-exists :supersede)
      (write-line "(provide :systest-other)" s))
    (nth-value 1 (require :systest-other file)))
  ("SYSTEST-OTHER"))

;;; ---- DESCRIBE ----

(deftest-output describe.fixnum (describe 42)
  "Fixnum: 42
Scientific: 4.20E+1
Log base 2: 5.3923173
Binary: #b101010
Octal: #o52
Decimal: 42.
Hex: #x2A
Roman: XLII
Character: #\\*
Abbreviated: 42
As time: 0:00:42 Monday, 1 January, 1900
MOST-POSITIVE-FIXNUM: 1152921504606846975.
")
(deftest-output describe.negative (describe -5)
  "Fixnum: -5
Scientific: -5.00E+0
Log base 2: #C(2.321928 4.53236)
Binary: #b...11111111111111111111111111111011
Octal: #o...37777777773
Decimal: -5.
Hex: #x...FFFFFFFB
Abbreviated: -5
As time: 23:59:55 Sunday, 31 December, 1899
MOST-NEGATIVE-FIXNUM: -1152921504606846976.
")
(deftest-output describe.bignum-abbreviated
  (let ((text (with-output-to-string (s) (describe (expt 10 30) s))))
    (princ (subseq text (search "Abbreviated" text) (search "As time" text))))
  "Abbreviated: 100 <- 25 digits -> 000
")
(deftest-output describe.ratio (describe 1/3)
  "Ratio: 1/3
Scientific: 3.33E-1
Log base 2: -1.5849625
Nearest integer: 0
Numerator: 1
Denominator: 3
")
(deftest-output describe.float (describe 1.5)
  "Float: 1.5
Scientific: 1.50E+0
Log base 2: 0.5849625
Ratio equiv: 3/2
Nearest integer: 2
")
(deftest-output describe.character (describe #\a) "Character: #\\a
char-code: 97
")
(deftest-output describe.string (describe "ab")
  "\"ab\"
Type: (SIMPLE-BASE-STRING 2)
Class: #<BUILT-IN-CLASS SIMPLE-BASE-STRING>
Length: 2
0: #\\a
1: #\\b
")
(deftest-output describe.list (describe '(a b))
  "(A B)
Type: CONS
Class: #<BUILT-IN-CLASS CONS>
Normal List
Length: 2
0: A
1: B
")
(deftest-output describe.dotted (describe '(1 2 . 3))
  "(1 2 . 3)
Type: CONS
Class: #<BUILT-IN-CLASS CONS>
Dotted List
Length: 2
0: 1
1: 2
Non-nil final cdr
1.5: 3
")
(deftest-output describe.cons (describe '(1 . 2))
  "(1 . 2)
Type: CONS
Class: #<BUILT-IN-CLASS CONS>
Car: 1
Cdr: 2
")
(deftest-output describe.keyword (describe :system-test-kw)
  ":SYSTEM-TEST-KW
Type: KEYWORD
Class: #<BUILT-IN-CLASS KEYWORD>
Constant
EXTERNAL in package: #<Package \"KEYWORD\">
Print name: \"SYSTEM-TEST-KW\"
Value: :SYSTEM-TEST-KW
Function: #<Unbound>
Plist: NIL
")
(deftest-output describe.uninterned (describe (make-symbol "G"))
  "#:G
Type: SYMBOL
Class: #<BUILT-IN-CLASS SYMBOL>
No home package.
Print name: \"G\"
Value: #<Unbound>
Function: #<Unbound>
Plist: NIL
")

(defvar *system-test-special* 12)
(defun system-test-fn (a &optional (b 2)) "Adds.
Really." (+ a b))

(deftest-output describe.special (describe '*system-test-special*)
  "*SYSTEM-TEST-SPECIAL*
Type: SYMBOL
Class: #<BUILT-IN-CLASS SYMBOL>
Special Variable
INTERNAL in package: #<Package \"COMMON-LISP-USER\">
Print name: \"*SYSTEM-TEST-SPECIAL*\"
Value: 12
Function: #<Unbound>
Plist: NIL
")
(deftest describe.function-symbol
  (let ((lines (system-test-lines (with-output-to-string (s) (describe 'system-test-fn s)))))
    (list (nth 3 lines) (nth 4 lines) (string= "Function: #<Compiled-function SYSTEM-TEST-FN #x" (nth 7 lines)
                                               :end2 47)
          (nth 8 lines)))
  ("Function" "INTERNAL in package: #<Package \"COMMON-LISP-USER\">" t "Arglist: (A &OPTIONAL (B 2))"))
(deftest describe.function-object
  (let ((lines (system-test-lines (with-output-to-string (s) (describe #'system-test-fn s)))))
    (cdr lines))
  ("Name: SYSTEM-TEST-FN" "Arglist (declaration): (A &OPTIONAL (B 2))" "Documentation: \"Adds. Really.\""))
(deftest describe.macro-symbol
  (nth 3 (system-test-lines (with-output-to-string (s) (describe 'when s))))
  "Macro")
(deftest describe.special-operator
  (nth 3 (system-test-lines (with-output-to-string (s) (describe 'if s))))
  "Special Operator")
(deftest describe.type-name
  (nth 3 (system-test-lines (with-output-to-string (s) (describe 'integer s))))
  "Type Specifier, Class Name")
(deftest describe.hash-table
  (cdddr (system-test-lines (with-output-to-string (s)
                              (let ((h (make-hash-table :test 'equal)))
                                (setf (gethash "k" h) 1)
                                (describe h s)))))
  ("Test: EQUAL" "Count: 1" "Size: 96" "Rehash size: 1.5D0" "Rehash threshold: 0.85D0" "Contents" "\"k\": 1"))
(deftest describe.package
  (subseq (system-test-lines (with-output-to-string (s) (describe (find-package "KEYWORD") s))) 0 3)
  ("#<Package \"KEYWORD\">" "Type: PACKAGE" "Class: #<BUILT-IN-CLASS PACKAGE>"))
(deftest describe.class
  (subseq (system-test-lines (with-output-to-string (s) (describe (find-class 'cons) s))) 0 4)
  ("#<BUILT-IN-CLASS CONS>" "Class: #<STANDARD-CLASS BUILT-IN-CLASS>" "Instance slots" "CCL::NAME: CONS"))
(deftest describe.condition
  (cdr (system-test-lines (with-output-to-string (s)
                            (describe (make-condition 'simple-error :format-control "x") s))))
  ("Class: #<STANDARD-CLASS SIMPLE-ERROR>" "Instance slots" "CCL::FORMAT-CONTROL: \"x\""
   "CCL::FORMAT-ARGUMENTS: NIL"))
(defstruct system-test-point x (y 2))
(deftest describe.structure
  (cdr (system-test-lines (with-output-to-string (s) (describe (make-system-test-point :x 1) s))))
  ("Type: SYSTEM-TEST-POINT" "Class: #<STRUCTURE-CLASS SYSTEM-TEST-POINT>" "X: 1" "Y: 2"))
(deftest describe.stream
  (cdddr (system-test-lines (with-output-to-string (s) (describe (make-string-input-stream "x") s))))
  ("Direction: :INPUT" "Element type: CHARACTER" "Open: T" "Interactive: NIL"))
(deftest describe.no-values (multiple-value-list (describe 1 (make-broadcast-stream))) nil)
(deftest describe.stream-t-designator
  (with-output-to-string (*standard-output*) (describe #\b nil))
  "Character: #\\b
char-code: 98
")
(deftest-error describe.bad-stream (describe 1 2) type-error)

;;; ---- APROPOS ----

(defvar *system-test-apropos-var* 3)
(defun system-test-apropos-fn ())
(defmacro system-test-apropos-mac ())

(deftest-output apropos.kinds (apropos "SYSTEM-TEST-APROPOS")
  " SYSTEM-TEST-APROPOS-FN, Def: FUNCTION
 SYSTEM-TEST-APROPOS-MAC, Def: MACRO FUNCTION
*SYSTEM-TEST-APROPOS-VAR*,  Value: 3
")
(deftest-output apropos.package-prefix (apropos "EXTERNAL-PROCESS-P" "CCL")
  "CCL::EXTERNAL-PROCESS-P, Def: FUNCTION
")
(deftest-output apropos.class (apropos "SYSTEM-TEST-POINT-P")
  "SYSTEM-TEST-POINT-P, Def: FUNCTION
")
(deftest apropos.no-values (multiple-value-list (apropos "NO-SUCH-SYMBOL-ANYWHERE-XYZ")) nil)
(deftest apropos-list.sorted (apropos-list "system-test-apropos")
  (*system-test-apropos-var* system-test-apropos-fn system-test-apropos-mac))
(deftest apropos-list.package (apropos-list "HASH-TABLE-COU" "CL") (hash-table-count))
(deftest apropos-list.external-only (apropos-list "SYSTEM-TEST-APROPOS" "CL-USER" t) nil)
(deftest apropos-list.symbol-designator (apropos-list :hash-table-cou "COMMON-LISP") (hash-table-count))
(deftest-error apropos.bad-package (apropos "CAR" "NO-SUCH-PACKAGE-XYZ") package-error)

;;; ---- RUN-PROGRAM ----

(deftest run.echo (with-output-to-string (s) (ccl:run-program "echo" '("hi") :output s)) "hi
")
(deftest run.returns-process (typep (run-program "true" nil) 'ccl:external-process) t)
(deftest run.status-true (multiple-value-list (external-process-status (run-program "true" nil))) (:exited 0))
(deftest run.status-false (multiple-value-list (external-process-status (run-program "false" nil))) (:exited 1))
(deftest run.not-found
  (multiple-value-list (external-process-status (run-program "clove-system-test-no-such-program" nil)))
  (:exited 71))
(deftest run.exit-code
  (nth-value 1 (external-process-status (run-program "sh" '("-c" "exit 7")))) 7)
(deftest run.print
  (let* ((p (run-program "true" nil)) (text (prin1-to-string p))
         (prefix (format nil "#<EXTERNAL-PROCESS (true)[~d] (EXITED : 0) #x" (external-process-id p))))
    (string= prefix text :end2 (length prefix)))
  t)
(deftest run.id (integerp (external-process-id (run-program "true" nil))) t)
(deftest run.output-stream
  (let ((p (run-program "sh" '("-c" "echo one; echo two") :output :stream)))
    (list (read-line (external-process-output-stream p))
          (read-line (external-process-output-stream p))
          (read-line (external-process-output-stream p) nil :eof)))
  ("one" "two" :eof))
(deftest run.error-to-output
  (let ((p (run-program "sh" '("-c" "echo err >&2") :output :stream)))
    (list (read-line (external-process-output-stream p))
          (eq (external-process-error-stream p) (external-process-output-stream p))))
  ("err" t))
(deftest run.error-separate
  (let ((err (make-string-output-stream)))
    (list (with-output-to-string (s) (run-program "sh" '("-c" "echo out; echo err >&2") :output s :error err))
          (get-output-stream-string err)))
  ("out
" "err
"))
(deftest run.output-nil (with-output-to-string (*standard-output*) (run-program "echo" '("x"))) "")
(deftest run.input-stream
  (with-output-to-string (s) (run-program "cat" nil :input (make-string-input-stream "abc
def") :output s))
  "abc
def")
(deftest run.input-output-streams
  (let ((p (run-program "cat" nil :input :stream :output :stream :wait nil)))
    (write-line "ping" (external-process-input-stream p))
    (close (external-process-input-stream p))
    (prog1 (list (read-line (external-process-output-stream p))
                 (progn (ccl::external-process-wait p) (external-process-status p)))
      (close (external-process-output-stream p))))
  ("ping" :exited))
(deftest run.env
  (with-output-to-string (s) (run-program "sh" '("-c" "echo $SYSTEM_TEST_VAR") :env '(("SYSTEM_TEST_VAR" . "v1")) :output s))
  "v1
")
(deftest run.directory (with-output-to-string (s) (run-program "pwd" nil :directory "/" :output s)) "/
")
(deftest run.output-file
  (let ((file (concatenate 'string (system-test-temp-dir) "out.txt")))
    (run-program "echo" '("to file") :output file :if-output-exists :supersede)
    (with-open-file (in file) (read-line in)))
  "to file")
(deftest-error run.output-file-exists
  (let ((file (concatenate 'string (system-test-temp-dir) "exists.txt")))
    (run-program "true" nil :output file :if-output-exists :supersede)
    (run-program "true" nil :output file))
  file-error)
(deftest run.input-file
  (let ((file (concatenate 'string (system-test-temp-dir) "in.txt")))
    (with-open-file (s file :direction :output :if-exists :supersede) (write-string "from file" s))
    (with-output-to-string (s) (run-program "cat" nil :input file :output s)))
  "from file")
(deftest-error run.input-missing (run-program "cat" nil :input "/tmp/clove-system-test-missing-file") file-error)
(deftest run.wait-nil-signal
  (let ((p (run-program "sleep" '("10") :wait nil)))
    (list (external-process-status p)
          (ccl:signal-external-process p 15)
          (progn (ccl::external-process-wait p) (multiple-value-list (external-process-status p)))))
  (:running t (:signaled 15)))
(deftest run.signal-exited
  (ccl:signal-external-process (run-program "true" nil) 15 :error-if-exited nil)
  nil)
(deftest run.args-message
  (handler-case (run-program "echo" '(1)) (error (c) (princ-to-string c)))
  "Program args must all be simple strings : (1)")
(deftest-error run.args-not-strings (run-program "echo" '(x)) simple-error)
(deftest-error run.program-not-string (run-program 'echo nil) type-error)
(deftest-error run.status-not-process (external-process-status 5) type-error)
(deftest-error run.bad-output (run-program "true" nil :output 5) type-error)
(deftest-error run.bad-directory (run-program "true" nil :directory "/clove-no-such-dir") file-error)
(deftest-error run.unknown-key (run-program "true" nil :no-such-key 1) program-error)
(deftest run.no-leaked-descriptors
  (flet ((count-fds () (length (directory "/proc/self/fd/*"))))
    (let ((before (count-fds)))
      (dotimes (i 20)
        (with-output-to-string (s) (run-program "echo" '("x") :output s))
        (run-program "true" nil :input (make-string-input-stream "abc"))
        (ignore-errors (run-program "true" nil :output "/clove-no-such-dir/x"))
        (let ((p (run-program "cat" nil :input :stream :output :stream :wait nil)))
          (close (external-process-input-stream p))
          (close (external-process-output-stream p))
          (ccl::external-process-wait p)))
      (- (count-fds) before)))
  0)
(deftest run.no-zombies
  (progn
    (dotimes (i 3) (run-program "true" nil :wait nil))
    (sleep 0.2)
    (run-program "true" nil)
    ccl::*external-processes*)
  nil)

;;; ---- The process itself ----

(deftest getpid (let ((pid (ccl::getpid))) (and (integerp pid) (plusp pid))) t)
(deftest getpid.matches-shell
  (= (ccl::getpid)
     (parse-integer (with-output-to-string (s) (run-program "sh" '("-c" "echo $PPID") :output s))
                    :junk-allowed t))
  t)
(deftest current-directory.slash
  (let ((d (ccl:current-directory))) (char= #\/ (char d (1- (length d)))))
  t)
(deftest cwd.change
  (let ((old (ccl:current-directory)))
    (prog1 (list (ccl:cwd "/tmp") (ccl:current-directory))
      (ccl:cwd old)))
  ("/tmp/" "/tmp/"))
(deftest-error cwd.missing (ccl:cwd "/clove-no-such-dir") simple-error)
(deftest-error cwd.not-directory (ccl:cwd "/etc/passwd") simple-error)

;;; Leave nothing behind in /tmp.
(deftest cleanup
  (let ((dir (system-test-temp-dir)))
    (dolist (f (directory (concatenate 'string dir "*"))) (delete-file f))
    (ccl:delete-directory dir)
    (probe-file dir))
  nil)
