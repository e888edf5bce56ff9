;;;; packages.lisp — packages and symbols: the standard packages, interning,
;;;; exporting, using, defpackage, in-package, iteration, and their errors.

(deftest package.cl-user (package-name *package*) "COMMON-LISP-USER")
(deftest package.cl (package-name (find-package "CL")) "COMMON-LISP")
(deftest package.keyword (package-name (find-package :keyword)) "KEYWORD")
(deftest package.ccl (package-name (find-package 'ccl)) "CCL")
(deftest package.nicknames (package-nicknames (find-package "COMMON-LISP-USER")) ("CL-USER"))
(deftest package.missing (find-package "NO-SUCH-PACKAGE-HERE") nil)
(deftest package.uses-cl (not (null (member (find-package "CL") (package-use-list "CL-USER")))) t)
(deftest package.uses-ccl (not (null (member (find-package "CCL") (package-use-list "CL-USER")))) t)
(deftest package.packagep (list (packagep *package*) (packagep "CL")) (t nil))

(deftest symbol.name (symbol-name 'car) "CAR")
(deftest symbol.package (package-name (symbol-package 'car)) "COMMON-LISP")
(deftest symbol.keyword (symbol-package :foo) #.(find-package "KEYWORD"))
(deftest symbol.keyword-value :foo :foo)
(deftest symbol.uninterned (symbol-package (make-symbol "X")) nil)
(deftest symbol.nil-name (symbol-name nil) "NIL")
(deftest symbol.nil-package (package-name (symbol-package nil)) "COMMON-LISP")
(deftest symbol.quit-accessible (eq 'quit 'ccl:quit) t)
(deftest symbol.features (not (null (member :ccl *features*))) t)
(deftest symbol.features-clove (not (null (member :clove *features*))) t)

(deftest intern.new
  (let ((r (multiple-value-list (intern "pkg-test-fresh")))) (list (symbol-name (car r)) (cadr r)))
  ("pkg-test-fresh" nil))
(deftest intern.existing (multiple-value-list (intern "pkg-test-fresh")) (|pkg-test-fresh| :internal))
(deftest intern.inherited (multiple-value-list (intern "CAR")) (car :inherited))
(deftest intern.external (multiple-value-list (intern "CAR" "CL")) (car :external))
(deftest find-symbol.none (multiple-value-list (find-symbol "PKG-TEST-NEVER-SEEN")) (nil nil))
(deftest find-symbol.keyword (multiple-value-list (find-symbol "TEST" "KEYWORD")) (:test :external))

(defpackage "PKG-TEST-A" (:use "CL") (:export "ALPHA" "BETA") (:nicknames "PTA"))
(deftest defpackage.name (package-name (find-package "PTA")) "PKG-TEST-A")
(deftest defpackage.export (multiple-value-list (find-symbol "ALPHA" "PKG-TEST-A")) (pkg-test-a:alpha :external))
(defpackage :pkg-test-b (:use :cl :pkg-test-a) (:shadow "BETA"))
(deftest defpackage.use (eq (find-symbol "ALPHA" "PKG-TEST-B") 'pkg-test-a:alpha) t)
(deftest defpackage.shadow (eq (find-symbol "BETA" "PKG-TEST-B") 'pkg-test-a:beta) nil)
(deftest defpackage.shadowing-symbols (length (package-shadowing-symbols "PKG-TEST-B")) 1)
(defpackage :pkg-test-c (:use) (:import-from :pkg-test-a "ALPHA"))
(deftest defpackage.import-from (eq (find-symbol "ALPHA" "PKG-TEST-C") 'pkg-test-a:alpha) t)
(deftest defpackage.empty-use (package-use-list "PKG-TEST-C") nil)
(deftest make-package.default-use
  (mapcar #'package-name (package-use-list (make-package "PKG-TEST-D")))
  ("COMMON-LISP" "CCL"))

(deftest in-package.1
  (let ((*package* *package*)) (in-package "PKG-TEST-A") (package-name *package*))
  "PKG-TEST-A")
(deftest in-package.restored (package-name *package*) "COMMON-LISP-USER")
(deftest-error in-package.missing (in-package "NO-SUCH-PACKAGE-EVER") package-error)

(deftest export.1
  (let ((s (intern "GAMMA" "PKG-TEST-A"))) (export s "PKG-TEST-A") (nth-value 1 (find-symbol "GAMMA" "PKG-TEST-A")))
  :external)
(deftest unexport.1
  (progn (unexport (find-symbol "GAMMA" "PKG-TEST-A") "PKG-TEST-A") (nth-value 1 (find-symbol "GAMMA" "PKG-TEST-A")))
  :internal)
(deftest import.1
  (progn (import 'pkg-test-a::gamma "PKG-TEST-D") (eq (find-symbol "GAMMA" "PKG-TEST-D") 'pkg-test-a::gamma))
  t)
(deftest unintern.1 (let ((s (intern "DELTA" "PKG-TEST-D"))) (list (unintern s "PKG-TEST-D") (symbol-package s))) (t nil))

(deftest do-external-symbols.1
  (let ((names nil)) (do-external-symbols (s "PKG-TEST-A") (push (symbol-name s) names)) (sort names #'string<))
  ("ALPHA" "BETA"))
(deftest do-symbols.1
  (let ((n 0)) (do-symbols (s "PKG-TEST-C") (when (eq s 'pkg-test-a:alpha) (incf n))) n)
  1)

(deftest gensym.name (subseq (symbol-name (gensym "FOO")) 0 3) "FOO")
(deftest gensym.counter (let ((*gensym-counter* 42)) (symbol-name (gensym))) "G42")
(deftest gentemp.1 (not (null (symbol-package (gentemp "PKGT")))) t)
(deftest keywordp.1 (list (keywordp :a) (keywordp 'a) (keywordp nil)) (t nil nil))

(deftest-error package-error.export-conflict
  (progn (make-package "PKG-TEST-E" :use nil) (export (intern "CAR" "PKG-TEST-E") "PKG-TEST-E")
         (use-package "PKG-TEST-E" "PKG-TEST-D"))
  package-error)
(deftest-error package-error.make-existing (make-package "PKG-TEST-A") package-error)
(deftest-error symbol-name.type (symbol-name 42) type-error)
(deftest-error intern.type (intern 'foo) type-error)
(deftest-error find-package-lose (ccl::%find-package-or-lose "NOPE-NOPE") package-error)
