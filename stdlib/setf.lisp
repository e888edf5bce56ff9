;;;; setf.lisp — generalized places: GET-SETF-EXPANSION, SETF and the macros
;;;; built on it (INCF PUSH POP ROTATEF ...), DEFSETF, and the standard places.

(defun ccl::%setf-expander (symbol)
  (or (get symbol 'ccl::setf-expander)
      ;; the library's own DEFSETFs are read on first use (interp/autoload.c)
      (and (ccl::%autoload-setf symbol) (get symbol 'ccl::setf-expander))))

(defun get-setf-expansion (place &optional env)
  "Returns the five values of PLACE's setf expansion: temporary variables, their value forms, the
   store variables, the storing form and the accessing form."
  (cond ((symbolp place)
         (multiple-value-bind (expansion expanded) (macroexpand-1 place env)
           (if expanded
               (get-setf-expansion expansion env)
               (let ((store (gensym "NEW")))
                 (values nil nil (list store) `(setq ,place ,store) place)))))
        ((not (consp place))
         (error 'simple-program-error :format-control "~S is not a valid place."
                                      :format-arguments (list place)))
        (t
         (let ((expander (and (symbolp (car place))
                              (not (ccl::%local-function-p (car place) env))
                              (ccl::%setf-expander (car place)))))
           (if expander
               (funcall expander place env)
               (multiple-value-bind (expansion expanded) (macroexpand-1 place env)
                 (if expanded
                     (get-setf-expansion expansion env)
                     (let ((temps (mapcar (lambda (x) (declare (ignore x)) (gensym)) (cdr place)))
                           (store (gensym "NEW")))
                       (values temps (cdr place) (list store)
                               `(funcall #'(setf ,(car place)) ,store ,@temps)
                               `(,(car place) ,@temps))))))))))

(defun ccl::%setf-1 (place value env)
  (if (symbolp place)
      (multiple-value-bind (expansion expanded) (macroexpand-1 place env)
        (if expanded
            (ccl::%setf-1 expansion value env)
            `(setq ,place ,value)))
      (multiple-value-bind (temps vals stores setter) (get-setf-expansion place env)
        (if (null (cdr stores))
            `(let* (,@(mapcar #'list temps vals) (,(car stores) ,value)) ,setter)
            `(let* (,@(mapcar #'list temps vals))
               (multiple-value-bind ,stores ,value ,setter))))))

(defmacro setf (&whole form &rest pairs &environment env)
  "Stores each VALUE in its PLACE (a variable or an accessor form such as (CAR x) or (GETHASH k
   h)), in order, and returns the last value."
  (cond ((null pairs) nil)
        ((null (cdr pairs))
         (error 'simple-program-error :format-control "Odd number of arguments in ~S."
                                      :format-arguments (list form)))
        ((null (cddr pairs)) (ccl::%setf-1 (car pairs) (cadr pairs) env))
        (t (let ((forms nil) (p pairs))
             (tagbody
              next
                (when p
                  (when (null (cdr p))
                    (error 'simple-program-error :format-control "Odd number of arguments in ~S."
                                                 :format-arguments (list form)))
                  (setq forms (cons (ccl::%setf-1 (car p) (cadr p) env) forms))
                  (setq p (cddr p))
                  (go next)))
             `(progn ,@(nreverse forms))))))

(defmacro psetf (&rest pairs &environment env)
  "Like SETF, but in parallel: all values are computed before any place is stored. Returns NIL."
  (let ((lets nil) (sets nil) (p pairs))
    (tagbody
     next
       (when p
         (multiple-value-bind (temps vals stores setter) (get-setf-expansion (car p) env)
           (setq lets (append lets (mapcar #'list temps vals)))
           (setq lets (append lets (list (list (car stores) (cadr p)))))
           (setq sets (cons setter sets)))
         (setq p (cddr p))
         (go next)))
    `(let* ,lets ,@(nreverse sets) nil)))

(defmacro defsetf (access-fn &rest rest)
  "Defines how SETF stores into (ACCESS-FN ...): the short form names an updating function called
   with the arguments and the new value; the long form computes the storing form."
  (if (and (car rest) (symbolp (car rest)))
      ;; short form: (defsetf access update [doc])
      (let ((update (car rest)))
        `(eval-when (:compile-toplevel :load-toplevel :execute)
           (ccl::%put ',access-fn 'ccl::setf-expander
                 (lambda (place env)
                   (declare (ignore env))
                   (let ((temps (mapcar (lambda (x) (declare (ignore x)) (gensym)) (cdr place)))
                         (store (gensym "NEW")))
                     (values temps (cdr place) (list store)
                             (list* ',update (append temps (list store)))
                             (cons ',access-fn temps)))))
           ',access-fn))
      ;; long form: (defsetf access lambda-list (store-vars) body...)
      (let ((lambda-list (car rest))
            (store-vars (cadr rest))
            (body (cddr rest)))
        `(eval-when (:compile-toplevel :load-toplevel :execute)
           (ccl::%put ',access-fn 'ccl::setf-expander
                 (lambda (place env)
                   (declare (ignore env))
                   (let* ((args (cdr place))
                          (temps (mapcar (lambda (x) (declare (ignore x)) (gensym)) args))
                          (stores (mapcar (lambda (x) (declare (ignore x)) (gensym "NEW")) ',store-vars)))
                     (values temps args stores
                             (apply (lambda (,@store-vars ,@lambda-list) ,@body)
                                    (append stores temps))
                             (cons ',access-fn temps)))))
           ',access-fn))))

(defmacro define-setf-expander (access-fn lambda-list &body body)
  "Defines how SETF expands (ACCESS-FN . args): BODY returns the five values GET-SETF-EXPANSION
   returns for such a place."
  (let ((place (gensym "PLACE")) (env (gensym "ENV")))
    (multiple-value-bind (ll envvar) (ccl::%strip-environment lambda-list)
      `(eval-when (:compile-toplevel :load-toplevel :execute)
         (ccl::%put ',access-fn 'ccl::setf-expander
               (lambda (,place ,env)
                 (declare (ignorable ,env))
                 (let (,@(when envvar `((,envvar ,env))))
                   (ccl::%destructuring-bind ,ll (cdr ,place) ,@body))))
         ',access-fn))))

(defun ccl::%strip-environment (lambda-list)
  (let ((out nil) (envvar nil) (l lambda-list))
    (tagbody
     next
       (unless (atom l)
         (if (eq (car l) '&environment)
             (progn (setq envvar (cadr l)) (setq l (cdr l)))
             (setq out (cons (car l) out)))
         (setq l (cdr l))
         (go next)))
    (values (append (nreverse out) l) envvar)))

(defun ccl::%local-function-p (name env)
  (declare (ignore name env))
  nil)

;;; Read-modify-write macros

(defmacro define-modify-macro (name lambda-list function &optional doc)
  "Defines NAME as a macro (NAME place . LAMBDA-LIST) that sets PLACE to the result of calling
   FUNCTION on its old value and the other arguments, as INCF does."
  (declare (ignore doc))
  (let ((place (gensym "PLACE")) (env (gensym "ENV"))
        (args (remove-if (lambda (x) (member x '(&optional &rest &key &aux)))
                         (mapcar (lambda (x) (if (consp x) (car x) x)) lambda-list)))
        (rest (cadr (member '&rest lambda-list))))
    `(defmacro ,name (,place ,@lambda-list &environment ,env)
       (multiple-value-bind (temps vals stores setter getter) (get-setf-expansion ,place ,env)
         `(let* (,@(mapcar #'list temps vals)
                 (,(car stores)
                   ,(list* ',function getter
                           ,(if rest
                                `(append (list ,@(remove rest args)) ,rest)
                                `(list ,@args)))))
            ,setter)))))

(defmacro incf (place &optional (delta 1) &environment env)
  "Adds DELTA (default 1) to the number in PLACE, stores the sum there and returns it."
  (if (symbolp place)
      `(setq ,place (+ ,place ,delta))
      (multiple-value-bind (temps vals stores setter getter) (get-setf-expansion place env)
        `(let* (,@(mapcar #'list temps vals) (,(car stores) (+ ,getter ,delta))) ,setter))))

(defmacro decf (place &optional (delta 1) &environment env)
  "Subtracts DELTA (default 1) from the number in PLACE, stores the difference there and returns
   it."
  (if (symbolp place)
      `(setq ,place (- ,place ,delta))
      (multiple-value-bind (temps vals stores setter getter) (get-setf-expansion place env)
        `(let* (,@(mapcar #'list temps vals) (,(car stores) (- ,getter ,delta))) ,setter))))

(defmacro push (item place &environment env)
  "Conses ITEM onto the list in PLACE, stores the new list there and returns it."
  (if (symbolp place)
      `(setq ,place (cons ,item ,place))
      (let ((g (gensym "ITEM")))
        (multiple-value-bind (temps vals stores setter getter) (get-setf-expansion place env)
          `(let* ((,g ,item) ,@(mapcar #'list temps vals) (,(car stores) (cons ,g ,getter)))
             ,setter)))))

(defmacro pushnew (item place &rest keys &environment env)
  "Like PUSH, but only if ITEM is not already in the list (by :TEST, :TEST-NOT and :KEY in KEYS,
   default EQL). Returns the list."
  (let ((g (gensym "ITEM")))
    (multiple-value-bind (temps vals stores setter getter) (get-setf-expansion place env)
      `(let* ((,g ,item) ,@(mapcar #'list temps vals)
              (,(car stores) (adjoin ,g ,getter ,@keys)))
         ,setter))))

(defmacro pop (place &environment env)
  "Returns the first element of the list in PLACE and stores the rest of the list there."
  (multiple-value-bind (temps vals stores setter getter) (get-setf-expansion place env)
    (let ((l (gensym "LIST")))
      `(let* (,@(mapcar #'list temps vals) (,l ,getter) (,(car stores) (cdr ,l)))
         ,setter
         (car ,l)))))

(defmacro shiftf (&rest places-and-value &environment env)
  "Shifts values left through the places: each place gets the value of the next, the last place the
   new value; returns the old value of the first."
  (let* ((places (butlast places-and-value))
         (value (car (last places-and-value)))
         (lets nil) (getters nil) (stores-list nil) (setters nil))
    (dolist (p places)
      (multiple-value-bind (temps vals stores setter getter) (get-setf-expansion p env)
        (setq lets (append lets (mapcar #'list temps vals)))
        (setq getters (append getters (list getter)))
        (setq stores-list (append stores-list (list (car stores))))
        (setq setters (append setters (list setter)))))
    (let ((first (gensym "OLD")))
      `(let* (,@lets (,first ,(car getters)))
         (let (,@(mapcar #'list stores-list (append (cdr getters) (list value))))
           ,@setters)
         ,first))))

(defmacro rotatef (&rest places &environment env)
  "Rotates the values of PLACES left: each place gets the value of the next, the last gets the
   first's. Returns NIL."
  (if (null (cdr places))
      nil
      (let ((lets nil) (getters nil) (stores-list nil) (setters nil))
        (dolist (p places)
          (multiple-value-bind (temps vals stores setter getter) (get-setf-expansion p env)
            (setq lets (append lets (mapcar #'list temps vals)))
            (setq getters (append getters (list getter)))
            (setq stores-list (append stores-list (list (car stores))))
            (setq setters (append setters (list setter)))))
        `(let* (,@lets)
           (let (,@(mapcar #'list stores-list (append (cdr getters) (list (car getters)))))
             ,@setters)
           nil))))

(defmacro remf (place indicator &environment env)
  "Removes the property INDICATOR from the property list in PLACE; returns true if it was there."
  (multiple-value-bind (temps vals stores setter getter) (get-setf-expansion place env)
    (let ((found (gensym "FOUND")))
      `(let* (,@(mapcar #'list temps vals))
         (multiple-value-bind (,(car stores) ,found) (ccl::%remf ,getter ,indicator)
           ,setter
           ,found)))))

;;; The standard places

(defsetf car (x) (v) `(progn (rplaca ,x ,v) ,v))
(defsetf cdr (x) (v) `(progn (rplacd ,x ,v) ,v))
(defsetf first (x) (v) `(progn (rplaca ,x ,v) ,v))
(defsetf rest (x) (v) `(progn (rplacd ,x ,v) ,v))

(defsetf caar (x) (v) `(progn (rplaca (car ,x) ,v) ,v))
(defsetf cadr (x) (v) `(progn (rplaca (cdr ,x) ,v) ,v))
(defsetf cdar (x) (v) `(progn (rplacd (car ,x) ,v) ,v))
(defsetf cddr (x) (v) `(progn (rplacd (cdr ,x) ,v) ,v))
(defsetf second (x) (v) `(progn (rplaca (cdr ,x) ,v) ,v))
(defsetf caaar (x) (v) `(progn (rplaca (caar ,x) ,v) ,v))
(defsetf caadr (x) (v) `(progn (rplaca (cadr ,x) ,v) ,v))
(defsetf cadar (x) (v) `(progn (rplaca (cdar ,x) ,v) ,v))
(defsetf caddr (x) (v) `(progn (rplaca (cddr ,x) ,v) ,v))
(defsetf cdaar (x) (v) `(progn (rplacd (caar ,x) ,v) ,v))
(defsetf cdadr (x) (v) `(progn (rplacd (cadr ,x) ,v) ,v))
(defsetf cddar (x) (v) `(progn (rplacd (cdar ,x) ,v) ,v))
(defsetf cdddr (x) (v) `(progn (rplacd (cddr ,x) ,v) ,v))
(defsetf cadddr (x) (v) `(progn (rplaca (cdddr ,x) ,v) ,v))
(defsetf cddddr (x) (v) `(progn (rplacd (cdddr ,x) ,v) ,v))
(defsetf third (x) (v) `(progn (rplaca (cddr ,x) ,v) ,v))
(defsetf fourth (x) (v) `(progn (rplaca (cdddr ,x) ,v) ,v))
(defsetf fifth (x) (v) `(progn (rplaca (nthcdr 4 ,x) ,v) ,v))
(defsetf sixth (x) (v) `(progn (rplaca (nthcdr 5 ,x) ,v) ,v))
(defsetf seventh (x) (v) `(progn (rplaca (nthcdr 6 ,x) ,v) ,v))
(defsetf eighth (x) (v) `(progn (rplaca (nthcdr 7 ,x) ,v) ,v))
(defsetf ninth (x) (v) `(progn (rplaca (nthcdr 8 ,x) ,v) ,v))
(defsetf tenth (x) (v) `(progn (rplaca (nthcdr 9 ,x) ,v) ,v))
(defsetf nth (n list) (v) `(progn (rplaca (nthcdr ,n ,list) ,v) ,v))
(defsetf symbol-value set)
(defsetf symbol-function (s) (v) `(ccl::%set-fdefinition ,v ,s))
(defsetf fdefinition (s) (v) `(ccl::%set-fdefinition ,v ,s))
(defsetf macro-function (s &optional env) (v) (declare (ignore env)) `(ccl::%set-macro-function ,v ,s))
(defsetf get (symbol indicator &optional default) (v)
  (declare (ignore default))
  `(ccl::%put ,symbol ,indicator ,v))
(defsetf symbol-plist ccl::set-symbol-plist)

(define-setf-expander getf (place indicator &optional default &environment env)
  (multiple-value-bind (temps vals stores setter getter) (get-setf-expansion place env)
    (let ((itemp (gensym "IND")) (store (gensym "NEW")) (dtemp (gensym "DEFAULT")))
      (values (append temps (list itemp dtemp))
              (append vals (list indicator default))
              (list store)
              `(let ((,(car stores) (ccl::%putf ,getter ,itemp ,store)))
                 ,setter
                 ,store)
              `(getf ,getter ,itemp ,dtemp)))))

(define-setf-expander values (&rest places &environment env)
  (let ((lets nil) (stores-all nil) (setters nil) (getters nil))
    (dolist (p places)
      (multiple-value-bind (temps vals stores setter getter) (get-setf-expansion p env)
        (setq lets (append lets (mapcar #'list temps vals)))
        (setq stores-all (append stores-all (list (car stores))))
        (setq setters (append setters (list setter)))
        (setq getters (append getters (list getter)))))
    (values (mapcar #'car lets) (mapcar #'cadr lets) stores-all
            `(values ,@setters) `(values ,@getters))))

(define-setf-expander the (type place &environment env)
  (multiple-value-bind (temps vals stores setter getter) (get-setf-expansion place env)
    (values temps vals stores
            `(let ((,(car stores) (the ,type ,(car stores)))) ,setter)
            `(the ,type ,getter))))

(defsetf documentation (x doc-type) (v) `(ccl::%set-documentation ,x ,doc-type ,v))
(defsetf gethash (key table &optional default) (v)
  (declare (ignore default))
  `(ccl::puthash ,key ,table ,v))
