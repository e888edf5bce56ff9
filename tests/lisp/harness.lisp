;;;; harness.lisp — the deftest harness that every tests/lisp/*.lisp file runs under.
;;;; tests/run.sh runs a file as:
;;;;   ./clove --no-init --batch -l tests/lisp/harness.lisp -e '(harness-run "tests/lisp/FILE.lisp")'
;;;;
;;;; (deftest NAME FORM EXPECTED)          FORM's value is EQUAL to EXPECTED, which is not evaluated
;;;;                                       (as in the ANSI test suite's RT: write (1 2), not '(1 2))
;;;; (deftest-error NAME FORM TYPE)        FORM signals a condition of TYPE (a type name, not evaluated)
;;;; (deftest-output NAME FORM EXPECTED)   what FORM prints to *standard-output* is the string EXPECTED
;;;; A failure prints one line, "FAIL NAME: FORM => GOT, expected EXPECTED"; an error inside a test
;;;; is a failure of that test. The run ends with "RESULT: N passed, M failed" and exit status 0 or 1.
;;;; Written with the plainest Lisp (no FORMAT, no LOOP) so that it works while the core is young.

(defvar *harness-passed* 0)
(defvar *harness-failed* 0)

(defun harness-pass ()
  (setq *harness-passed* (+ *harness-passed* 1))
  t)

;; WHAT is printed with PRINC before DETAIL, a condition (shown as TYPE: message) or a value.
(defun harness-fail (name form what detail &optional expected-text expected)
  (setq *harness-failed* (+ *harness-failed* 1))
  (princ "FAIL ")
  (princ name)
  (princ ": ")
  (prin1 form)
  (princ " => ")
  (princ what)
  (if (typep detail 'condition)
      (progn (prin1 (type-of detail)) (princ ": ") (princ detail))
      (prin1 detail))
  (if expected-text
      (progn (princ expected-text) (prin1 expected)))
  (terpri)
  nil)

(defun harness-check (name form thunk expected)
  (let ((outcome (handler-case (list :value (funcall thunk))
                   (error (c) (list :error c)))))
    (if (eq (car outcome) :error)
        (harness-fail name form "error " (car (cdr outcome)))
        (if (equal (car (cdr outcome)) expected)
            (harness-pass)
            (harness-fail name form "" (car (cdr outcome)) ", expected " expected)))))

;; FORM runs inside a LAMBDA so that HARNESS-CHECK's handler catches its errors.
(defmacro deftest (name form expected)
  `(harness-check ',name ',form (lambda () ,form) ',expected))

(defmacro deftest-output (name form expected)
  `(harness-check ',name ',form
                  (lambda () (with-output-to-string (*standard-output*) ,form))
                  ',expected))

(defun harness-check-error (name form type outcome)
  (if (eq (car outcome) :signalled)
      (harness-pass)
      (if (eq (car outcome) :none)
          (harness-fail name form "no error, value " (car (cdr outcome)) ", expected " type)
          (harness-fail name form "error " (car (cdr outcome)) ", expected " type))))

;; The TYPE clause comes first in HANDLER-CASE, so it wins over the catch-all ERROR clause.
(defmacro deftest-error (name form type)
  (let ((type (if (if (consp type) (eq (car type) 'quote) nil) ; tolerate 'type-error
                  (car (cdr type))
                  type)))
    `(harness-check-error ',name ',form ',type
                          (handler-case (list :none ,form)
                            (,type () (list :signalled))
                            (error (c) (list :other c))))))

(defun harness-finish ()
  (princ "RESULT: ")
  (princ *harness-passed*)
  (princ " passed, ")
  (princ *harness-failed*)
  (princ " failed")
  (terpri)
  (quit (if (= *harness-failed* 0) 0 1)))

;; An error outside any deftest (a reader error, say) stops the file: it counts as one failure,
;; and the tests that ran before it still count.
(defun harness-run (file)
  (handler-case (load file)
    (error (c) (harness-fail 'load file "error " c)))
  (harness-finish))
