;;;; stdlib.lisp — the embedded library: its definitions are read on first use
;;;; (interp/autoload.c); every one of them must read and define itself.

(deftest autoload.some-pending (not (null (ccl::%autoload-pending))) t)

;; The library's DEFINE-CONDITIONs are read when the class is first looked for, or when a
;; slot reader is first called; these run before anything else has needed them.
(deftest autoload.condition-reader-first
  (list (fboundp 'ccl::socket-error-situation)
        (ccl::socket-error-situation (make-condition 'ccl::socket-error :situation "read")))
  (t "read"))
(deftest autoload.condition-typep-first
  (handler-case (error 'ccl::output-timeout :stream nil :format-control "late" :format-arguments nil)
    (ccl::io-timeout (c) (list (type-of c) (typep c 'stream-error) (princ-to-string c))))
  (ccl::output-timeout t "late"))
(deftest autoload.condition-classes
  (mapcar (lambda (n) (and (find-class n) (subtypep n 'condition)))
          '(ccl::socket-creation-error ccl::input-timeout ccl::communication-deadline-expired
            ccl::lock-protocol-error ccl::not-lock-owner ccl::not-locked ccl::deadlock))
  (t t t t t t t))
(deftest autoload.condition-subtypep-first (subtypep 'ccl::not-locked 'control-error) t)
(deftest autoload.use-loads
  (progn (ccl::%autoload-now 'ccl::%deftype-lambda-list)
         (member 'ccl::%deftype-lambda-list (ccl::%autoload-pending)))
  nil)
(deftest autoload.macro-works-before-loading (car (macroexpand-1 '(prog1 1 2))) let)
(deftest autoload.arglist-reads-the-definition (length (ccl:arglist 'ccl::%define-package)) 9)
(deftest autoload.all-load
  (progn (dolist (s (ccl::%autoload-pending)) (ccl::%autoload-now s)) (ccl::%autoload-pending))
  nil)
(deftest autoload.function-after-load (funcall (complement #'evenp) 3) t)
(deftest autoload.documentation (stringp (documentation 'ccl::%deftype-lambda-list 'function)) nil)
