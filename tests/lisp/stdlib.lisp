;;;; stdlib.lisp — the embedded library: its definitions are read on first use
;;;; (interp/autoload.c); every one of them must read and define itself.

(deftest autoload.some-pending (not (null (ccl::%autoload-pending))) t)
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
