;;;; control.lisp — the iteration and dispatch macros of CL (DO, PROG, CASE,
;;;; TYPECASE, simple LOOP ...), written with SETF available.

(defmacro multiple-value-setq (vars form)
  "Sets VARS to the values of FORM (NIL for missing ones) and returns the primary value."
  (if (null vars)
      `(values ,form)
      (let ((temps (mapcar (lambda (v) (declare (ignore v)) (gensym)) vars)))
        `(multiple-value-bind ,temps ,form
           (setf ,@(mapcan #'list vars temps))
           ,(car temps)))))

(defmacro loop (&body body)
  "Iterates. With only compound forms, evaluates them forever (in a BLOCK named NIL); otherwise the
   extended LOOP: FOR, REPEAT, WHILE, UNTIL, DO, COLLECT, SUM, COUNT, WHEN ... clauses."
  (if (dolist (x body t) (unless (consp x) (return nil)))
      (let ((tag (gensym "LOOP")))
        `(block nil (tagbody ,tag ,@body (go ,tag))))
      `(ccl::%extended-loop ,@body)))

(defun ccl::%do-expand (op varlist endlist body)
  (let ((bindings nil) (steps nil))
    (dolist (v varlist)
      (cond ((symbolp v) (push v bindings))
            (t (push (list (car v) (cadr v)) bindings)
               (when (cddr v) (push (car v) steps) (push (caddr v) steps)))))
    (multiple-value-bind (decls forms) (ccl::%split-declarations body)
      `(block nil
         (,(if (eq op 'do) 'let 'let*) ,(nreverse bindings)
          ,@decls
          (tagbody
           next
             (if ,(car endlist) (go end))
             ,@forms
             (,(if (eq op 'do) 'psetq 'setq) ,@(nreverse steps))
             (go next)
           end)
          (progn ,@(cdr endlist)))))))

(defun ccl::%split-declarations (body)
  (let ((decls nil))
    (loop (unless (and (consp body) (consp (car body)) (eq (caar body) 'declare))
            (return (values (nreverse decls) body)))
          (push (car body) decls)
          (setq body (cdr body)))))

(defmacro do (varlist endlist &body body)
  "Binds each (VAR INIT STEP) of VARLIST in parallel, then each iteration tests ENDLIST's first
   form: if true, returns the values of the rest; otherwise evaluates BODY and steps the variables
   in parallel."
  (ccl::%do-expand 'do varlist endlist body))
(defmacro do* (varlist endlist &body body)
  "Like DO, but binds and steps the variables sequentially, as LET* does."
  (ccl::%do-expand 'do* varlist endlist body))

(defmacro psetq (&rest pairs)
  "Sets each VAR to its VALUE as SETQ does, but in parallel: all values are computed before any
   variable is set. Returns NIL."
  (let ((bindings nil) (sets nil) (p pairs))
    (loop (when (null p) (return))
          (let ((g (gensym)))
            (push (list g (cadr p)) bindings)
            (push `(setq ,(car p) ,g) sets))
          (setq p (cddr p)))
    `(let ,(nreverse bindings) ,@(nreverse sets) nil)))


(defmacro prog (varlist &body body)
  "Binds VARLIST as LET does and evaluates BODY as a TAGBODY, inside a BLOCK named NIL."
  (multiple-value-bind (decls forms) (ccl::%split-declarations body)
    `(block nil (let ,varlist ,@decls (tagbody ,@forms)))))

(defmacro prog* (varlist &body body)
  "Binds VARLIST sequentially as LET* does and evaluates BODY as a TAGBODY, inside a BLOCK named
   NIL."
  (multiple-value-bind (decls forms) (ccl::%split-declarations body)
    `(block nil (let* ,varlist ,@decls (tagbody ,@forms)))))

(defun ccl::%case-keys-test (var keys)
  (cond ((or (eq keys t) (eq keys 'otherwise)) t)
        ((listp keys) `(member ,var ',keys))
        (t `(eql ,var ',keys))))

(defun ccl::%case-clauses (var clauses)
  (mapcar (lambda (c)
            (if (not (consp c))
                (error 'simple-program-error :format-control "Malformed CASE clause: ~S"
                                             :format-arguments (list c)))
            `(,(ccl::%case-keys-test var (car c)) ,@(or (cdr c) '(nil))))
          clauses))

(defmacro case (keyform &body clauses)
  "Evaluates KEYFORM, then the body of the first clause (KEYS FORM...) whose keys contain the key
   (by EQL); T or OTHERWISE matches anything. NIL if none matches."
  (let ((v (gensym "KEY")))
    `(let ((,v ,keyform)) (cond ,@(ccl::%case-clauses v clauses)))))

(defun ccl::%all-case-keys (clauses)
  (mapcan (lambda (c) (if (listp (car c)) (copy-list (car c)) (list (car c)))) clauses))

(defmacro ecase (keyform &body clauses)
  "Like CASE, but signals a TYPE-ERROR if no clause matches."
  (let ((v (gensym "KEY")))
    `(let ((,v ,keyform))
       (cond ,@(ccl::%case-clauses v clauses)
             (t (error 'type-error :datum ,v
                                   :expected-type '(member ,@(ccl::%all-case-keys clauses))))))))

(defmacro typecase (keyform &body clauses)
  "Evaluates KEYFORM, then the body of the first clause (TYPE FORM...) whose type the key is of; T
   or OTHERWISE matches anything. NIL if none matches."
  (let ((v (gensym "KEY")))
    `(let ((,v ,keyform))
       (cond ,@(mapcar (lambda (c)
                         `(,(if (member (car c) '(t otherwise)) t `(typep ,v ',(car c)))
                           ,@(or (cdr c) '(nil))))
                       clauses)))))

(defmacro etypecase (keyform &body clauses)
  "Like TYPECASE, but signals a TYPE-ERROR if no clause matches."
  (let ((v (gensym "KEY")))
    `(let ((,v ,keyform))
       (typecase ,v ,@clauses
         (t (error 'type-error :datum ,v :expected-type '(or ,@(mapcar #'car clauses))))))))

(defmacro declaim (&rest specs)
  "Makes the global declarations SPECS (e.g. SPECIAL, OPTIMIZE), also at compile time."
  `(eval-when (:compile-toplevel :load-toplevel :execute)
     ,@(mapcar (lambda (s) `(proclaim ',s)) specs)))

(defun proclaim (spec)
  "Makes the global declaration SPEC, e.g. (SPECIAL var...)."
  (when (and (consp spec) (eq (car spec) 'special))
    (dolist (s (cdr spec)) (ccl::%proclaim-special s)))
  nil)

(defun ccl::%find-package-or-lose (name)
  (or (find-package name)
      (error 'package-error :package name
                            :format-control "There is no package named ~S ."
                            :format-arguments (list (if (symbolp name) (symbol-name name) name)))))

(defmacro with-hash-table-iterator ((name table) &body body)
  "Evaluates BODY with NAME defined as a local macro that returns the next entry of TABLE on each
   call: true, the key and the value, or NIL when there are no more."
  (let ((pairs (gensym "PAIRS")))
    `(let ((,pairs (ccl::%hash-table-pairs ,table)))
       (flet ((,name ()
                (if ,pairs
                    (let ((k (car ,pairs)) (v (cadr ,pairs)))
                      (setq ,pairs (cddr ,pairs))
                      (values t k v))
                    nil)))
         ,@body))))

(defun ccl::%deftype-lambda-list (lambda-list)
  ;; In DEFTYPE an optional or key parameter without a default defaults to *.
  (let ((state nil) (out nil))
    (dolist (x lambda-list (nreverse out))
      (cond ((member x '(&optional &key)) (setq state x) (push x out))
            ((member x lambda-list-keywords) (setq state nil) (push x out))
            ((and state (symbolp x)) (push (list x ''*) out))
            (t (push x out))))))

(defmacro deftype (name lambda-list &body body)
  "Defines NAME as a type specifier: (NAME . args) stands for the type BODY computes from ARGS,
   destructured by LAMBDA-LIST (optional parameters default to *)."
  (let ((args (gensym "ARGS")))
    (when (and (stringp (car body)) (cdr body))
      (setq body (cdr body)))
    `(progn
       (ccl::%set-deftype ',name
                          (lambda (,args)
                            (ccl::%destructuring-bind ,(ccl::%deftype-lambda-list lambda-list) ,args
                              ,@body)))
       ',name)))
