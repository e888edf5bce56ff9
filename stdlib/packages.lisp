;;;; packages.lisp — DEFPACKAGE and the package iteration macros (DO-SYMBOLS and
;;;; friends), over the package natives of builtins/symbols.c.

(defvar *make-package-use-defaults* '("COMMON-LISP" "CCL"))
(export '*make-package-use-defaults*)

(defun ccl::%string-designator (x)
  (cond ((stringp x) x)
        ((symbolp x) (symbol-name x))
        ((characterp x) (string x))
        (t (error 'type-error :datum x :expected-type '(or string symbol character)))))

(defun ccl::%define-package (name nicknames use-p use exports imports shadows shadowing-imports interns)
  (let ((pkg (find-package name)))
    (if pkg
        (dolist (u use) (use-package u pkg))
        (setq pkg (make-package name :nicknames nicknames :use (if use-p use *make-package-use-defaults*))))
    (dolist (s shadows) (shadow s pkg))
    (dolist (spec shadowing-imports)
      (let ((from (ccl::%find-package-or-lose (car spec))))
        (dolist (n (cdr spec))
          (multiple-value-bind (sym status) (find-symbol n from)
            (unless status
              (error 'package-error :package from
                                    :format-control "No symbol named ~S in ~S."
                                    :format-arguments (list n from)))
            (shadowing-import sym pkg)))))
    (dolist (spec imports)
      (let ((from (ccl::%find-package-or-lose (car spec))))
        (dolist (n (cdr spec))
          (multiple-value-bind (sym status) (find-symbol n from)
            (unless status
              (error 'package-error :package from
                                    :format-control "No symbol named ~S in ~S."
                                    :format-arguments (list n from)))
            (import (list sym) pkg)))))
    (dolist (n interns) (intern n pkg))
    (dolist (n exports) (export (list (intern n pkg)) pkg))
    pkg))

(defmacro defpackage (name &rest options)
  "Defines (or redefines) the package NAME with OPTIONS: :USE, :EXPORT, :NICKNAMES, :SHADOW,
   :IMPORT-FROM, :SHADOWING-IMPORT-FROM, :INTERN, :DOCUMENTATION."
  (let ((nicknames nil) (use nil) (use-p nil) (exports nil) (imports nil)
        (shadows nil) (shadowing-imports nil) (interns nil) (doc nil))
    (dolist (opt options)
      (unless (consp opt)
        (error 'simple-program-error :format-control "Bad DEFPACKAGE option: ~S"
                                     :format-arguments (list opt)))
      (let ((args (cdr opt)))
        (case (car opt)
          (:nicknames (setq nicknames (append nicknames (mapcar #'ccl::%string-designator args))))
          (:use (setq use-p t) (setq use (append use (mapcar #'ccl::%string-designator args))))
          (:export (setq exports (append exports (mapcar #'ccl::%string-designator args))))
          (:intern (setq interns (append interns (mapcar #'ccl::%string-designator args))))
          (:shadow (setq shadows (append shadows (mapcar #'ccl::%string-designator args))))
          (:import-from
           (push (cons (ccl::%string-designator (car args)) (mapcar #'ccl::%string-designator (cdr args))) imports))
          (:shadowing-import-from
           (push (cons (ccl::%string-designator (car args)) (mapcar #'ccl::%string-designator (cdr args)))
                 shadowing-imports))
          (:documentation (setq doc (car args)))
          ((:size :local-nicknames) nil)
          (t (error 'simple-program-error :format-control "Bad DEFPACKAGE option: ~S"
                                          :format-arguments (list opt))))))
    `(eval-when (:compile-toplevel :load-toplevel :execute)
       (ccl::%define-package ,(ccl::%string-designator name) ',nicknames ,use-p ',use ',exports
                             ',(reverse imports) ',shadows ',(reverse shadowing-imports) ',interns))))

(defmacro do-symbols ((var &optional (package '*package*) result) &body body)
  "Evaluates BODY with VAR bound to each symbol accessible in PACKAGE, then returns RESULT; the
   loop is a BLOCK named NIL."
  `(dolist (,var (ccl::%package-symbols ,package :all) (let ((,var nil)) (declare (ignorable ,var)) ,result))
     ,@body))

(defmacro do-external-symbols ((var &optional (package '*package*) result) &body body)
  "Evaluates BODY with VAR bound to each external symbol of PACKAGE, then returns RESULT; the loop
   is a BLOCK named NIL."
  `(dolist (,var (ccl::%package-symbols ,package :external) (let ((,var nil)) (declare (ignorable ,var)) ,result))
     ,@body))

(defmacro do-all-symbols ((var &optional result) &body body)
  "Evaluates BODY with VAR bound to each symbol of every registered package, then returns RESULT;
   the loop is a BLOCK named NIL."
  (let ((p (gensym "PACKAGE")))
    `(block nil
       (dolist (,p (list-all-packages))
         (dolist (,var (ccl::%package-symbols ,p :all)) ,@body))
       (let ((,var nil)) (declare (ignorable ,var)) ,result))))
