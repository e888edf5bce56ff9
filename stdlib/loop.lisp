;;;; loop.lisp — the extended LOOP of ANSI CL (6.1) with the behaviour and error texts of CCL's
;;;; MIT LOOP; control.lisp's LOOP hands every form with a non-compound element to %EXTENDED-LOOP.

;;; The expansion is (block NAME (let (GROUP1) (let (GROUP2) ... (tagbody PROLOGUE+BEFORE
;;; next-loop BODY+AFTER (go next-loop) end-loop EPILOGUE)))). Each FOR/AS or WITH clause closes one
;;; group of parallel bindings, so clauses bind sequentially and AND-joined ones in parallel.
;;; BEFORE is what the iteration clauses do on the first pass, AFTER what they do on every later
;;; pass; their common tail runs at the top of the body, the rest stays on both sides.

;;; ---- State of one expansion (all bound afresh by %LOOP-TRANSLATE) ----

(defvar *loop-source*)            ; tokens not yet read
(defvar *loop-context*)           ; source from the start of the current clause, for errors
(defvar *loop-names*)             ; (NAME) once NAMED has been seen
(defvar *loop-vars*)              ; current group of parallel bindings, newest first
(defvar *loop-setqs*)             ; destructuring done right after the group is bound, newest first
(defvar *loop-wrappers*)          ; forms wrapped around everything inside the current group
(defvar *loop-bind-stack*)        ; closed groups, innermost first: (vars setqs wrappers)
(defvar *loop-iteration-vars*)
(defvar *loop-prologue*)
(defvar *loop-before*)
(defvar *loop-body*)
(defvar *loop-after*)
(defvar *loop-epilogue*)
(defvar *loop-after-epilogue*)    ; the RETURN-FROM of the default value
(defvar *loop-emitted-body*)      ; body code exists: no more iteration clauses
(defvar *loop-inside-conditional*)
(defvar *loop-it-var*)
(defvar *loop-final-culprit*)     ; the clause that supplied the default value
(defvar *loop-collectors*)
(defvar *loop-using*)             ; (name . var) from USING, consumed by the path

;;; ---- Errors ----

(defun %loop-context ()
  (let ((stop (cdr *loop-source*)) (acc nil))
    (do ((l *loop-context* (cdr l))) ((or (eq l stop) (atom l)) (nreverse acc))
      (push (car l) acc))))

(defun %loop-error (control &rest args)
  (error 'simple-program-error
         :format-control "~?~%Current LOOP context:~{ ~S~}."
         :format-arguments (list control args (%loop-context))))

(defun %loop-warn (control &rest args)
  (warn "~?~%Current LOOP context:~{ ~S~}." control args (%loop-context)))

;;; ---- Tokens: LOOP keywords are compared by name, whatever their package ----

(defun %loop-tequal (x name)
  (and (symbolp x) (string= (symbol-name x) name)))

(defun %loop-tmember (x names)
  (and (symbolp x) (member (symbol-name x) names :test #'string=)))

(defun %loop-tassoc (x alist)
  (and (symbolp x)
       (dolist (e alist nil)
         (when (string= (symbol-name (car e)) (symbol-name x)) (return e)))))

;; A keyword table is a list of ((name ...) . what): short enough to search, and a quoted
;; constant costs nothing at start-up (a hash table built there would).
(defun %loop-lookup (token table)
  (when (symbolp token)
    (let ((name (symbol-name token)))
      (dolist (e table nil)
        (when (member name (car e) :test #'string=) (return (cdr e)))))))

(defun %loop-pop ()
  (if *loop-source*
      (pop *loop-source*)
      (%loop-error "LOOP source code ran out when another token was expected.")))

(defun %loop-get-form ()
  (if *loop-source*
      (pop *loop-source*)
      (%loop-error "LOOP code ran out where a form was expected.")))

(defun %loop-get-compound-form ()
  (let ((form (%loop-get-form)))
    (unless (consp form)
      (%loop-error "Compound form expected, but found ~A." form))
    form))

(defun %loop-get-progn ()
  (let ((forms (list (%loop-get-compound-form))))
    (do () ((atom (car *loop-source*)))
      (push (%loop-get-compound-form) forms))
    (if (cdr forms) `(progn ,@(nreverse forms)) (car forms))))

;;; ---- Types: accepted, used only for the initial value of a variable ----

(defparameter *loop-type-symbols*
  '(array atom bignum bit bit-vector character compiled-function complex cons double-float
    fixnum float function hash-table integer keyword list long-float null number package
    pathname random-state ratio rational readtable sequence short-float simple-array
    simple-bit-vector simple-string simple-vector single-float standard-char stream string
    base-char symbol t vector))

;; The value a variable of type DTYPE starts with when nothing else is given: 0 of the type for
;; numbers, #\Null for characters, else NIL.
(defun %loop-typed-init (dtype)
  (when (and dtype (not (eq dtype t)))
    (let ((val (cond ((subtypep dtype 'number)
                      (if (subtypep dtype 'float) (coerce 0 dtype) 0))
                     ((subtypep dtype 'character) (code-char 0))
                     (t nil))))
      (and val (typep val dtype) val))))

(defun %loop-check-data-type (specified required)
  (when specified
    (multiple-value-bind (sub known) (subtypep specified required)
      (cond ((not known)
             (%loop-warn "LOOP couldn't verify that ~S is a subtype of the required type ~S."
                         specified required))
            ((not sub)
             (%loop-error "Specified data type ~S is not a subtype of ~S." specified required))))))

;; An optional type after a variable: OF-TYPE spec, one of the simple type symbols, or, for a
;; destructuring VARIABLE, a pattern of type symbols.
(defun %loop-optional-type (&optional variable)
  (when *loop-source*
    (let ((z (car *loop-source*)))
      (cond ((%loop-tequal z "OF-TYPE") (%loop-pop) (%loop-pop))
            ((symbolp z) (when (member z *loop-type-symbols*) (%loop-pop) z))
            (t (if (consp variable)
                   (unless (consp z)
                     (%loop-error "~S found where a LOOP keyword, LOOP type keyword, or LOOP type pattern expected." z))
                   (%loop-error "~S found where a LOOP keyword or LOOP type keyword expected." z))
               (%loop-pop)
               (%loop-type-pattern z variable))))))

(defun %loop-type-pattern (pattern variable)
  (labels ((replicate (type v)
             (if (atom v) type (cons (replicate type (car v)) (replicate type (cdr v)))))
           (translate (k v)
             (cond ((null k) nil)
                   ((atom k)
                    (unless (member k *loop-type-symbols*)
                      (%loop-error "Destructuring type pattern ~S contains unrecognized type keyword ~S."
                                   pattern k))
                    (replicate k v))
                   ((atom v)
                    (%loop-error "Destructuring type pattern ~S doesn't match variable pattern ~S."
                                 pattern variable))
                   (t (cons (translate (car k) (car v)) (translate (cdr k) (cdr v)))))))
    (translate pattern variable)))

;;; ---- Variables ----

(defun %loop-bind-block ()
  (when (or *loop-vars* *loop-setqs* *loop-wrappers*)
    (push (list (nreverse *loop-vars*) (nreverse *loop-setqs*) *loop-wrappers*) *loop-bind-stack*)
    (setq *loop-vars* nil *loop-setqs* nil *loop-wrappers* nil)))

(defun %loop-variable-p (name)
  (dolist (group *loop-bind-stack* nil)
    (when (assoc name (car group)) (return t))))

;; Adds NAME (a symbol, NIL, or a destructuring pattern) to the current group and returns the
;; variable that holds the value (a fresh one for NIL with an INIT).
(defun %loop-make-var (name init dtype &optional iterationp)
  (cond ((null name)
         (when init
           (setq name (gensym "LOOP-IGNORE-"))
           (push (list name init) *loop-vars*)))
        ((atom name)
         (if iterationp
             (if (member name *loop-iteration-vars*)
                 (%loop-error "Duplicated LOOP iteration variable ~S." name)
                 (push name *loop-iteration-vars*))
             (when (assoc name *loop-vars*)
               (%loop-error "Duplicated variable ~S in LOOP parallel binding." name)))
         (unless (symbolp name)
           (%loop-error "Bad variable ~S somewhere in LOOP." name))
         (unless init (setq init (%loop-typed-init dtype)))
         (when (and (null init) (eq dtype 'complex)) (setq init 0))
         (push (list name init) *loop-vars*))
        (init
         (let ((temp (gensym "LOOP-DESTRUCTURE-")))
           (push (list temp init) *loop-vars*)
           (%loop-make-var name nil dtype iterationp)
           (setq *loop-setqs* (revappend (%loop-desetq name temp) *loop-setqs*))))
        (t (let ((tcar dtype) (tcdr dtype))
             (when (consp dtype) (setq tcar (car dtype) tcdr (cdr dtype)))
             (%loop-make-var (car name) nil tcar iterationp)
             (%loop-make-var (cdr name) nil tcdr iterationp))))
  name)

(defun %loop-it-var ()
  (or *loop-it-var*
      (setq *loop-it-var* (%loop-make-var (gensym "LOOP-IT-") nil nil))))

;;; ---- Destructuring assignment: (a (b . c) nil d) gets its parts by CAR and CDR, so a list
;;; too short leaves NIL and one too long is cut ----

(defun %loop-has-var (x)
  (cond ((null x) nil)
        ((atom x) t)
        (t (or (%loop-has-var (car x)) (%loop-has-var (cdr x))))))

;; A list of forms assigning VAL to the pattern VAR.
(defun %loop-desetq (var val)
  (cond ((or (null var) (not (%loop-has-var var)))
         ;; Nothing to assign, but VAL may have effects (the steps of a parallel assignment).
         (if (and (consp val)
                  (not (and (member (car val) '(car cdr)) (symbolp (cadr val)))))
             (list val)
             nil))
        ((atom var) (if (eq var val) nil (list `(setq ,var ,val))))
        ((not (%loop-has-var (cdr var))) (%loop-desetq (car var) `(car ,val)))
        (t (let ((temp (gensym "LOOP-DESETQ-")))
             (list `(let ((,temp ,val)) ,@(%loop-desetq-walk var temp)))))))

(defun %loop-desetq-walk (var temp)
  (let ((forms nil))
    (do () (nil)
      (setq forms (revappend (%loop-desetq (car var) `(car ,temp)) forms))
      (let ((rest (cdr var)))
        (cond ((not (%loop-has-var rest)) (return))
              ((atom rest) (push `(setq ,rest (cdr ,temp)) forms) (return))
              (t (push `(setq ,temp (cdr ,temp)) forms) (setq var rest)))))
    (nreverse forms)))

;; PAIRS is (var form var form ...); sequential assignment, as one form or NIL.
(defun %loop-make-desetq (pairs)
  (let ((forms nil))
    (do ((p pairs (cddr p))) ((null p))
      (setq forms (revappend (%loop-desetq (car p) (cadr p)) forms)))
    (if (cdr forms) `(progn ,@(nreverse forms)) (car forms))))

;; Parallel assignment: every value is computed before any variable is set.
(defun %loop-make-psetq (pairs)
  (when pairs
    (%loop-make-desetq
     (list (car pairs)
           (if (null (cddr pairs))
               (cadr pairs)
               `(prog1 ,(cadr pairs) ,(%loop-make-psetq (cddr pairs))))))))

;;; ---- Where code goes ----

(defun %loop-pseudo-body (form)
  (cond ((or *loop-emitted-body* *loop-inside-conditional*) (push form *loop-body*))
        (t (push form *loop-before*) (push form *loop-after*))))

(defun %loop-emit-body (form)
  (setq *loop-emitted-body* t)
  (%loop-pseudo-body form))

(defun %loop-return (form)
  `(return-from ,(car *loop-names*) ,form))

(defun %loop-emit-final-value (&optional (form nil formp))
  (when formp
    (push (%loop-return form) *loop-after-epilogue*))
  (when *loop-final-culprit*
    (%loop-warn "LOOP clause is providing a value for the iteration,~%however one was already established by a ~S clause."
                *loop-final-culprit*))
  (setq *loop-final-culprit* (car *loop-context*)))

(defun %loop-disallow-conditional (&optional kwd)
  (when *loop-inside-conditional*
    (if kwd
        (%loop-error "The LOOP ~S clause is not permitted inside a conditional." kwd)
        (%loop-error "This LOOP clause is not permitted inside a conditional."))))

(defun %loop-disallow-anonymous-collectors ()
  (when (dolist (c *loop-collectors* nil) (unless (car c) (return t)))
    (%loop-error "This LOOP clause is not permitted with anonymous collectors.")))

(defun %loop-disallow-aggregate-booleans ()
  (when (%loop-tmember *loop-final-culprit* '("ALWAYS" "NEVER" "THEREIS"))
    (%loop-error "This anonymous collection LOOP clause is not permitted with aggregate booleans.")))

;;; ---- The driver ----

(defun %loop-translate (source)
  (let ((*loop-source* source) (*loop-context* nil) (*loop-names* nil) (*loop-vars* nil)
        (*loop-setqs* nil) (*loop-wrappers* nil) (*loop-bind-stack* nil)
        (*loop-iteration-vars* nil) (*loop-prologue* nil) (*loop-before* nil) (*loop-body* nil)
        (*loop-after* nil) (*loop-epilogue* nil) (*loop-after-epilogue* nil)
        (*loop-emitted-body* nil) (*loop-inside-conditional* nil) (*loop-it-var* nil)
        (*loop-final-culprit* nil) (*loop-collectors* nil) (*loop-using* nil))
    (do () ((null *loop-source*))
      (let ((key (car *loop-source*)) (entry nil))
        (unless (symbolp key)
          (%loop-error "~S found where LOOP keyword expected." key))
        (setq *loop-context* *loop-source*)
        (%loop-pop)
        (cond ((setq entry (%loop-lookup key *loop-clause-keywords*))
               (apply (car entry) (cdr entry)))
              ((setq entry (%loop-lookup key *loop-iteration-keywords*))
               (%loop-hack-iteration entry))
              ((%loop-tmember key '("AND" "ELSE"))
               (%loop-error "Secondary clause misplaced at top level in LOOP macro: ~S ~S ~S ..."
                            key (car *loop-source*) (cadr *loop-source*)))
              (t (%loop-error "~S is an unknown keyword in LOOP macro." key)))))
    (%loop-bind-block)
    (let ((answer (%loop-tagbody (nreverse *loop-prologue*) (nreverse *loop-before*)
                                 (nreverse *loop-body*) (nreverse *loop-after*)
                                 (nreconc *loop-epilogue* (nreverse *loop-after-epilogue*)))))
      (dolist (group *loop-bind-stack*)
        (dolist (w (caddr group))
          (setq answer (if (eq (car w) :minimax)
                           (%loop-minimax-wrap (cdr w) answer)
                           (append w (list answer)))))
        (when (or (car group) (cadr group))
          (setq answer `(let ,(car group) ,@(cadr group) ,answer))))
      `(block ,(car *loop-names*) ,answer))))

;; Statements of one stretch of the tagbody: no NILs, nothing after an unconditional jump.
(defun %loop-simplify (forms)
  (let ((out nil))
    (dolist (x forms)
      (when x
        (push x out)
        (when (and (consp x) (member (car x) '(go return return-from)))
          (return))))
    (nreverse out)))

(defun %loop-tagbody (prologue before body after epilogue)
  (let ((rbefore (reverse before)) (rafter (reverse after)))
    (do () ((or (null rbefore) (null rafter) (not (equal (car rbefore) (car rafter)))))
      (push (pop rbefore) body)
      (pop rafter))
    `(tagbody
        ,@(%loop-simplify (append prologue (nreverse rbefore)))
      next-loop
        ,@(%loop-simplify (append body (nreverse rafter) '((go next-loop))))
      end-loop
        ,@(%loop-simplify epilogue))))

(defmacro %extended-loop (&rest body)
  (if (and body (symbolp (car body)))
      (%loop-translate body)
      (let ((tag (gensym "LOOP")))
        `(block nil (tagbody ,tag (progn ,@body) (go ,tag))))))

(defmacro loop-finish ()
  "Inside an extended LOOP, ends the iteration normally: the loop's epilogue runs and its
   accumulated result is returned."
  '(go end-loop))

;;; ---- Iteration: FOR/AS clauses joined by AND step in parallel ----

(defun %loop-endtest (tests)
  (cond ((null tests) nil)
        ((member t tests) '(go end-loop))
        (t (setq tests (reverse tests))
           `(when ,(if (cdr tests) `(or ,@tests) (car tests)) (go end-loop)))))

;; Each FOR handler returns (PRE-TEST STEPS POST-TEST PSEUDO-STEPS), optionally followed by the
;; same four for the first pass; a pass runs the pre-test, the steps (in parallel), the post-test,
;; then the pseudo-steps (in sequence).
(defun %loop-hack-iteration (entry)
  (let ((pre nil) (steps nil) (post nil) (pseudo nil)
        (first-pre nil) (first-steps nil) (first-post nil) (first-pseudo nil))
    (do () (nil)
      (let* ((data (apply (car entry) (cdr entry)))
             (first (or (nthcdr 4 data) data)))
        (when (first data) (push (first data) pre))
        (setq steps (append steps (second data)))
        (when (third data) (push (third data) post))
        (setq pseudo (append pseudo (fourth data)))
        (when *loop-emitted-body*
          (%loop-error "Iteration in LOOP follows body code."))
        (when (first first) (push (first first) first-pre))
        (setq first-steps (append first-steps (second first)))
        (when (third first) (push (third first) first-post))
        (setq first-pseudo (append first-pseudo (fourth first))))
      (unless (%loop-tequal (car *loop-source*) "AND")
        (setq *loop-before* (list* (%loop-make-desetq first-pseudo) (%loop-endtest first-post)
                                   (%loop-make-psetq first-steps) (%loop-endtest first-pre)
                                   *loop-before*)
              *loop-after* (list* (%loop-make-desetq pseudo) (%loop-endtest post)
                                  (%loop-make-psetq steps) (%loop-endtest pre)
                                  *loop-after*))
        (%loop-bind-block)
        (return nil))
      (%loop-pop))))

(defun %loop-do-for ()
  (let* ((var (%loop-pop))
         (dtype (%loop-optional-type var))
         (keyword (%loop-pop))
         (first-arg (%loop-get-form))
         (entry (%loop-lookup keyword *loop-for-keywords*)))
    (unless entry
      (%loop-error "~S is an unknown keyword in FOR or AS clause in LOOP." keyword))
    (apply (car entry) var first-arg dtype (cdr entry))))

(defun %loop-for-equals (var val dtype)
  (%loop-make-var var nil dtype t)
  (cond ((%loop-tequal (car *loop-source*) "THEN")
         (%loop-pop)
         `(nil (,var ,(%loop-get-form)) nil nil nil (,var ,val) nil nil))
        (t `(nil (,var ,val) nil nil))))

(defun %loop-for-across (var val dtype)
  (%loop-make-var var nil dtype t)
  (let ((vector (gensym "LOOP-ACROSS-VECTOR-"))
        (index (gensym "LOOP-ACROSS-INDEX-"))
        (limit (gensym "LOOP-ACROSS-LIMIT-")))
    (%loop-make-var vector val 'vector)
    (%loop-make-var index 0 'fixnum)
    (%loop-make-var limit 0 'fixnum)
    (push `(setq ,limit (length ,vector)) *loop-prologue*)
    `((>= ,index ,limit) (,var (aref ,vector ,index)) nil (,index (1+ ,index)))))

;; The form that advances LISTVAR: (cdr l), or the BY function applied to it.
(defun %loop-list-step (listvar)
  (let ((stepper (cond ((%loop-tequal (car *loop-source*) "BY")
                        (%loop-pop)
                        (%loop-get-form))
                       (t '(function cdr)))))
    (cond ((and (consp stepper) (eq (car stepper) 'quote))
           (%loop-warn "Use of QUOTE around stepping function in LOOP will be left verbatim.")
           `(funcall ,stepper ,listvar))
          ((and (consp stepper) (eq (car stepper) 'function))
           (list (cadr stepper) listvar))
          (t `(funcall ,(%loop-make-var (gensym "LOOP-FN-") stepper 'function) ,listvar)))))

(defun %loop-for-in (var val dtype)
  (let ((listvar (gensym "LOOP-LIST-")))
    (%loop-make-var var nil dtype t)
    (%loop-make-var listvar val 'list)
    (let ((step (%loop-list-step listvar)))
      `((endp ,listvar) (,var (car ,listvar)) nil (,listvar ,step)))))

(defun %loop-for-on (var val dtype)
  (cond ((and var (symbolp var))
         (%loop-make-var var val dtype t)
         (let ((step (%loop-list-step var)))
           `(nil (,var ,step) (atom ,var) nil nil nil (atom ,var) nil)))
        (t (let ((listvar (gensym "LOOP-LIST-")))
             (%loop-make-var listvar val nil)
             (%loop-make-var var nil dtype t)
             (let ((step (%loop-list-step listvar)))
               `((atom ,listvar) (,var ,listvar) nil (,listvar ,step)))))))

;;; ---- Prepositional phrases (FROM ... TO ... BY, OF/IN, USING) ----

;; The keyword of GROUP that TOKEN names, or NIL.
(defun %loop-in-group (token group)
  (and (symbolp token)
       (dolist (k group nil)
         (when (string= (symbol-name k) (symbol-name token)) (return k)))))

;; Reads phrases of the prepositions in GROUPS (lists of keywords, one of a group at most) and
;; returns them as ((prep form) ...) after INITIAL.
(defun %loop-collect-preps (groups using-allowed &optional initial)
  (let ((phrases (reverse initial))
        (disallowed (mapcan (lambda (x)
                              (copy-list (dolist (g groups nil)
                                           (when (member (car x) g) (return g)))))
                            initial))
        (used (mapcar #'car initial)))
    (do () ((null *loop-source*) (nreverse phrases))
      (let ((token (car *loop-source*)) (group nil) (prep nil))
        (dolist (g groups)
          (when (setq prep (%loop-in-group token g)) (setq group g) (return)))
        (cond (group
               (when (member prep disallowed)
                 (if (member prep used)
                     (%loop-error "A ~S prepositional phrase occurs multiply for some LOOP clause." token)
                     (%loop-error "Preposition ~S used when some other preposition has subsumed it." token)))
               (setq used (append group used))
               (%loop-pop)
               (push (list prep (%loop-get-form)) phrases))
              ((and using-allowed (%loop-tequal token "USING"))
               (%loop-pop)
               (do ((z (%loop-pop) (%loop-pop))) (nil)
                 (when (cadr z)
                   (let ((old (%loop-tassoc (car z) *loop-using*)))
                     (when old
                       (%loop-error "The variable substitution for ~S occurs twice in a USING phrase,~%with ~S and ~S."
                                    (car z) (cadr z) (cdr old)))
                     (push (cons (car z) (cadr z)) *loop-using*)))
                 (when (or (null *loop-source*) (symbolp (car *loop-source*)))
                   (return))))
              (t (return (nreverse phrases))))))))

;; The variable the user gave with USING (NAME var), consumed, or NIL.
(defun %loop-named-var (name)
  (let ((entry (dolist (e *loop-using* nil)
                 (when (string= (symbol-name (car e)) name) (return e)))))
    (when entry
      (setq *loop-using* (delete entry *loop-using*))
      (cdr entry))))

;;; ---- Arithmetic FOR ----

(defun %loop-for-arithmetic (var val dtype keyword)
  (%loop-check-data-type dtype 'number)
  (%loop-sequencer var (or dtype 'number)
                   (%loop-collect-preps '((:from :upfrom :downfrom)
                                          (:to :upto :downto :above :below)
                                          (:by))
                                        nil (list (list keyword val)))))

(defun %loop-sequencer (var dtype phrases)
  (let ((limit nil) (by (1+ (or (%loop-typed-init dtype) 0))) (dir nil) (odir nil)
        (inclusive nil) (start-given nil) (test-fn nil) (step nil))
    (dolist (phrase phrases)
      (let ((prep (car phrase)) (form (cadr phrase)))
        (case prep
          ((:from :downfrom :upfrom)
           (setq start-given t)
           (cond ((eq prep :downfrom) (setq dir :down))
                 ((eq prep :upfrom) (setq dir :up)))
           (setq var (%loop-make-var var form dtype t)))
          ((:to :upto :downto :above :below)
           (case prep
             (:upto (setq inclusive t dir :up))
             (:to (setq inclusive t))
             (:downto (setq inclusive t dir :down))
             (:above (setq dir :down))
             (:below (setq dir :up)))
           (setq limit (if (constantp form)
                           form
                           (%loop-make-var (gensym "LOOP-LIMIT-") form nil))))
          (:by
           (if (constantp form)
               (let ((value (eval form)))
                 (unless (typep value '(real (0)))
                   (%loop-error "The form ~S evaluated to ~S, which was not of the anticipated type ~S."
                                form value '(real (0))))
                 (setq by value))
               (setq by (%loop-make-var (gensym "LOOP-STEP-BY-") form nil)))))
        (when (and odir dir (not (eq dir odir)))
          (%loop-error "Conflicting stepping directions in LOOP sequencing path"))
        (setq odir dir)))
    (unless start-given
      (setq var (%loop-make-var var (or (%loop-typed-init dtype) 0) dtype t)))
    (cond ((member dir '(nil :up))
           (when limit (setq test-fn (if inclusive '> '>=)))
           (setq step (if (eql by 1) `(1+ ,var) `(+ ,var ,by))))
          (t (unless start-given
               (%loop-error "Don't know where to start stepping."))
             (when limit (setq test-fn (if inclusive '< '<=)))
             (setq step (if (eql by 1) `(1- ,var) `(- ,var ,by)))))
    (let ((test (and test-fn `(,test-fn ,var ,limit))))
      `(nil (,var ,step) ,test nil nil nil ,test nil))))

;;; ---- FOR ... BEING: hash tables and packages ----

(defun %loop-for-being (var val dtype)
  (let ((path nil) (entry nil))
    (cond ((%loop-tmember val '("EACH" "THE"))
           (setq path (%loop-pop)))
          ((%loop-tequal (car *loop-source*) "AND")
           (%loop-pop)
           (unless (%loop-tmember (car *loop-source*) '("ITS" "EACH" "HIS" "HER"))
             (%loop-error "~S found where ITS or EACH expected in LOOP iteration path syntax."
                          (car *loop-source*)))
           (%loop-pop)
           (setq path (%loop-pop))
           ;; No standard path iterates inclusively.
           (cond ((not (symbolp path))
                  (%loop-error "~S found where a LOOP iteration path name was expected." path))
                 ((%loop-lookup path *loop-path-keywords*)
                  (%loop-error "\"Inclusive\" iteration is not possible with the ~S LOOP iteration path." path))))
          (t (%loop-error "Unrecognizable LOOP iteration path syntax.  Missing EACH or THE?")))
    (cond ((not (symbolp path))
           (%loop-error "~S found where a LOOP iteration path name was expected." path))
          ((not (setq entry (%loop-lookup path *loop-path-keywords*)))
           (%loop-error "~S is not the name of a LOOP iteration path." path)))
    (let* ((preps (%loop-collect-preps '((:of :in)) t))
           (stuff (apply (car entry) var dtype preps (cdr entry))))
      (when *loop-using*
        (%loop-error "Unused USING variables: ~S." *loop-using*))
      ;; STUFF is (bindings prologue-forms . the four step parts)
      (dolist (b (car stuff))
        (if (atom b)
            (%loop-make-var b nil nil t)
            (%loop-make-var (car b) (cadr b) (caddr b) t)))
      (setq *loop-prologue* (nconc (reverse (cadr stuff)) *loop-prologue*))
      (cddr stuff))))

(defun %loop-hash-path (var dtype preps which)
  (when (or (cdr preps) (not (member (caar preps) '(:in :of))))
    (%loop-error "Too many prepositions!"))
  (let* ((pairs (gensym "LOOP-HASH-PAIRS-"))
         (other (%loop-named-var (if (eq which :key) "HASH-VALUE" "HASH-KEY")))
         (var (or var (gensym "IGNORE-")))
         (bindings (list (list var nil dtype)
                         (list pairs `(%hash-table-pairs ,(cadar preps)))))
         (key (if (eq which :key) var other))
         (value (if (eq which :key) other var))
         (pseudo nil))
    (when other (setq bindings (append bindings (list (list other nil)))))
    ;; Patterns and typed variables are assigned from a temporary after the end test.
    (when (and key (or (consp key) dtype))
      (let ((temp (gensym "LOOP-HASH-KEY-TEMP-")))
        (setq pseudo (list* key temp pseudo) key temp)
        (push (list temp nil) bindings)))
    (when (and value (or (consp value) dtype))
      (let ((temp (gensym "LOOP-HASH-VAL-TEMP-")))
        (setq pseudo (list* value temp pseudo) value temp)
        (push (list temp nil) bindings)))
    (let ((sets (append (and key `(,key (car ,pairs))) (and value `(,value (cadr ,pairs)))))
          (clears (append (and key `(,key nil)) (and value `(,value nil)))))
      `(,bindings
        ()
        nil
        nil
        (if ,pairs (progn (setq ,@sets ,pairs (cddr ,pairs)) nil) (progn (setq ,@clears) t))
        ,pseudo))))

(defun %loop-package-symbols (package kinds)
  (let ((all nil))
    (dolist (kind kinds all)
      (setq all (nconc (%package-symbols package kind) all)))))

(defun %loop-package-path (var dtype preps kinds)
  (cond ((and preps (cdr preps))
         (%loop-error "Too many prepositions!"))
        ((and preps (not (member (caar preps) '(:in :of))))
         (%loop-error "Unknown preposition ~S" (caar preps))))
  (unless (symbolp var)
    (%loop-error "Destructuring is not valid for package symbol iteration."))
  (let ((syms (gensym "LOOP-PKGSYM-"))
        (var (or var (gensym "IGNORE-")))
        (package (if preps (cadar preps) '*package*)))
    `(((,var nil ,dtype) (,syms (%loop-package-symbols ,package ',kinds)))
      ()
      nil
      nil
      (if ,syms (progn (setq ,var (car ,syms) ,syms (cdr ,syms)) nil) (progn (setq ,var nil) t))
      nil)))

;;; ---- Clauses of the body ----

(defun %loop-do-named ()
  (let ((name (%loop-pop)))
    (unless (symbolp name)
      (%loop-error "~S is an invalid name for your LOOP." name))
    (when (or *loop-before* *loop-body* *loop-after-epilogue* *loop-inside-conditional*)
      (%loop-error "The NAMED ~S clause occurs too late." name))
    (when *loop-names*
      (%loop-error "You may only use one NAMED clause in your loop: NAMED ~S ... NAMED ~S."
                   (car *loop-names*) name))
    (setq *loop-names* (list name))))

(defun %loop-do-initially ()
  (%loop-disallow-conditional :initially)
  (push (%loop-get-progn) *loop-prologue*))

(defun %loop-do-finally ()
  (%loop-disallow-conditional :finally)
  (push (%loop-get-progn) *loop-epilogue*))

(defun %loop-do-do ()
  (%loop-emit-body (%loop-get-progn)))

(defun %loop-do-return ()
  (%loop-emit-body (%loop-return (%loop-get-form))))

(defun %loop-do-with ()
  (%loop-disallow-conditional :with)
  (do () (nil)
    (let* ((var (%loop-pop))
           (dtype (%loop-optional-type var))
           (val (cond ((%loop-tequal (car *loop-source*) "=")
                       (%loop-pop)
                       (%loop-get-form))
                      (t nil))))
      (when (and var (%loop-variable-p var))
        (%loop-error "Variable ~S has already been used" var))
      (%loop-make-var var val dtype)
      (if (%loop-tequal (car *loop-source*) "AND")
          (%loop-pop)
          (return (%loop-bind-block))))))

(defun %loop-do-repeat ()
  (%loop-disallow-conditional :repeat)
  (let* ((form (%loop-get-form))
         (var (%loop-make-var (gensym "LOOP-REPEAT-") form 'real))
         (test `(when (< (setq ,var (1- ,var)) 0) (go end-loop))))
    (push test *loop-before*)
    (push test *loop-after*)))

(defun %loop-do-while (negate kwd)
  (let ((form (%loop-get-form)))
    (%loop-disallow-conditional kwd)
    (%loop-pseudo-body `(,(if negate 'when 'unless) ,form (go end-loop)))))

(defun %loop-do-always (negate)
  (let ((form (%loop-get-form)))
    (%loop-disallow-conditional)
    (%loop-disallow-anonymous-collectors)
    (%loop-emit-body `(,(if negate 'when 'unless) ,form ,(%loop-return nil)))
    (%loop-emit-final-value t)))

(defun %loop-do-thereis ()
  (%loop-disallow-conditional)
  (%loop-disallow-anonymous-collectors)
  (%loop-emit-final-value)
  (let ((it (%loop-it-var)))
    (%loop-emit-body `(when (setq ,it ,(%loop-get-form)) ,(%loop-return it)))))

;; WHEN/IF/UNLESS test clause {AND clause}* [ELSE clause {AND clause}*] [END]; IT as the first
;; form of the first clause is the value of the test.
(defun %loop-do-if (for negate)
  (let ((form (%loop-get-form))
        (*loop-inside-conditional* t)
        (it nil)
        (first-clause-p t))
    (labels ((get-clause (for)
               (let ((body nil))
                 (do () (nil)
                   (let ((key (car *loop-source*)) (*loop-body* nil) (entry nil))
                     (unless (symbolp key)
                       (%loop-error "~S found where keyword expected getting LOOP clause after ~S."
                                    key for))
                     (setq *loop-context* *loop-source*)
                     (%loop-pop)
                     (when (and first-clause-p (%loop-tequal (car *loop-source*) "IT"))
                       (setq *loop-source* (cons (or it (setq it (%loop-it-var)))
                                                 (cdr *loop-source*))))
                     (setq entry (%loop-lookup key *loop-clause-keywords*))
                     (when (or (null entry)
                               (progn (apply (car entry) (cdr entry)) (null *loop-body*)))
                       (%loop-error "~S does not introduce a LOOP clause that can follow ~S."
                                    key for))
                     (setq body (nreconc *loop-body* body)))
                   (setq first-clause-p nil)
                   (if (%loop-tequal (car *loop-source*) "AND")
                       (%loop-pop)
                       (return (if (cdr body) `(progn ,@(nreverse body)) (car body))))))))
      (let* ((then (get-clause for))
             (else (when (%loop-tequal (car *loop-source*) "ELSE")
                     (%loop-pop)
                     (list (get-clause :else)))))
        (when (%loop-tequal (car *loop-source*) "END")
          (%loop-pop))
        (when it (setq form `(setq ,it ,form)))
        (%loop-pseudo-body `(if ,(if negate `(not ,form) form) ,then ,@else))))))

;;; ---- Accumulation ----

;; A collector is (name kind history temps dtype data): NAME the INTO variable or NIL for the
;; loop's value; KIND :list, :sum or :maxmin; HISTORY the clauses that fed it, newest first.
(defun %loop-collection-info (clause kind default-type)
  (let* ((form (%loop-get-form))
         (name (when (%loop-tequal (car *loop-source*) "INTO")
                 (%loop-pop)
                 (%loop-pop)))
         (dtype nil)
         (c nil))
    (unless (symbolp name)
      (%loop-error "Value accumulation recipient name, ~S, is not a symbol." name))
    (unless name
      (%loop-disallow-aggregate-booleans))
    (setq dtype (or (%loop-optional-type) default-type))
    (setq c (dolist (x *loop-collectors* nil) (when (eq (car x) name) (return x))))
    (cond ((null c)
           (when (and name (%loop-variable-p name))
             (%loop-error "Variable ~S cannot be used in INTO clause" name))
           (setq c (list name kind (list clause) nil dtype nil))
           (push c *loop-collectors*))
          (t
           (unless (eq (cadr c) kind)
             (if name
                 (%loop-error "Incompatible kinds of LOOP value accumulation specified for collecting~%INTO ~S: ~A and ~A."
                              name (car (caddr c)) clause)
                 (%loop-error "Incompatible kinds of LOOP value accumulation specified for collecting~%as the value of the LOOP: ~A and ~A."
                              (car (caddr c)) clause)))
           (unless (equal dtype (nth 4 c))
             (%loop-warn "Unequal datatypes specified in different LOOP value accumulations~%into ~S: ~S and ~S."
                         name dtype (nth 4 c))
             (when (eq (nth 4 c) t) (rplaca (nthcdr 4 c) dtype)))
           (rplaca (cddr c) (cons clause (caddr c)))))
    (values c form)))

;; Appends to the list by its tail: FORM is what goes after the tail (a fresh list for COLLECT
;; and APPEND), and when its length is known the new tail is found without LAST.
(defun %loop-collect-rplacd (temps form)
  (let* ((tail (cadr temps))
         (n (and (consp form)
                 (cond ((eq (car form) 'list) (1- (length (cdr form))))
                       ((and (member (car form) '(list* cons)) (cddr form) (null (car (last form))))
                        (- (length (cdr form)) 2)))))
         (answer (cond ((null n)
                        `(when (cdr (rplacd ,tail ,form)) (setq ,tail (last (cdr ,tail)))))
                       ((< n 0) nil)
                       ((= n 0) `(rplacd ,tail (setq ,tail ,form)))
                       (t (let ((x `(rplacd ,tail ,form)))
                            (dotimes (i (1+ n)) (setq x `(cdr ,x)))
                            `(setq ,tail ,x))))))
    (if (and answer (caddr temps))
        `(progn ,answer (setq ,(caddr temps) (cdr ,(car temps))))
        answer)))

(defun %loop-list-collection (clause)
  (multiple-value-bind (c form) (%loop-collection-info clause :list 'list)
    (let ((temps (nth 3 c)))
      (unless temps
        (setq temps (list* (gensym "LOOP-LIST-HEAD-") (gensym "LOOP-LIST-TAIL-")
                           (and (car c) (list (car c)))))
        (rplaca (nthcdr 3 c) temps)
        (push `(let* ((,(car temps) (list nil)) (,(cadr temps) ,(car temps))
                      ,@(and (car c) `((,(car c) nil)))))
              *loop-wrappers*)
        (unless (car c)
          (%loop-emit-final-value `(cdr ,(car temps)))))
      (cond ((string= clause "LIST") (setq form `(list ,form)))
            ((string= clause "APPEND")
             (unless (and (consp form) (eq (car form) 'list))
               (setq form `(copy-list ,form)))))
      (%loop-emit-body (%loop-collect-rplacd temps form)))))

(defun %loop-sum-collection (clause required-type default-type)
  (multiple-value-bind (c form) (%loop-collection-info clause :sum default-type)
    (%loop-check-data-type (nth 4 c) required-type)
    (let ((temps (nth 3 c)))
      (unless temps
        (setq temps (list (%loop-make-var (or (car c) (gensym "LOOP-SUM-")) nil (nth 4 c))))
        (rplaca (nthcdr 3 c) temps)
        (unless (car c)
          (%loop-emit-final-value (car temps))))
      (let ((var (car temps)))
        (%loop-emit-body (if (string= clause "COUNT")
                             `(when ,form (setq ,var (1+ ,var)))
                             `(setq ,var (+ ,var ,form))))))))

;; MAXIMIZE/MINIMIZE data: (answer temp type operations accumulations). Whether a flag marks
;; the first value is known only at the end, so the accumulations are patched then.
(defun %loop-maxmin-collection (op)
  (multiple-value-bind (c form) (%loop-collection-info (if (eq op :max) "MAX" "MIN") :maxmin 'real)
    (%loop-check-data-type (nth 4 c) 'real)
    (let ((data (nth 5 c)))
      (unless data
        (setq data (list (or (car c) (gensym "LOOP-MAXMIN-")) (gensym "LOOP-MAXMIN-TEMP-")
                         (nth 4 c) nil nil))
        (rplaca (nthcdr 5 c) data)
        (push (cons :minimax data) *loop-wrappers*)
        (unless (car c)
          (%loop-emit-final-value (car data))))
      (unless (member op (nth 3 data))
        (rplaca (nthcdr 3 data) (cons op (nth 3 data))))
      (let* ((answer (car data)) (temp (cadr data))
             (acc `(when (,(if (eq op :max) '> '<) ,temp ,answer) (setq ,answer ,temp))))
        (rplaca (nthcdr 4 data) (cons acc (nth 4 data)))
        (%loop-emit-body `(progn (setq ,temp ,form) ,acc))))))

(defun %loop-minimax-wrap (data body)
  (let* ((answer (car data)) (temp (cadr data)) (type (caddr data)) (ops (nth 3 data))
         (init (%loop-typed-init type))
         (fixnump (and (null (cdr ops)) (subtypep type 'fixnum))))
    (cond (fixnump
           `(let ((,answer ,(if (eq (car ops) :min) 'most-positive-fixnum 'most-negative-fixnum))
                  (,temp ,init))
              ,body))
          (t (let ((flag (gensym "LOOP-MAXMIN-FLAG-")))
               (dolist (acc (nth 4 data))
                 (rplaca (cdr acc) `(or (not ,flag) ,(cadr acc)))
                 (rplaca (cddr acc) `(setq ,flag t ,answer ,temp)))
               `(let ((,answer ,init) (,temp ,init) (,flag nil))
                  ,body))))))

;;; ---- Keyword tables ----

(defparameter *loop-clause-keywords*
  '((("NAMED") %loop-do-named)
     (("INITIALLY") %loop-do-initially)
     (("FINALLY") %loop-do-finally)
     (("DO" "DOING") %loop-do-do)
     (("RETURN") %loop-do-return)
     (("COLLECT" "COLLECTING") %loop-list-collection "LIST")
     (("APPEND" "APPENDING") %loop-list-collection "APPEND")
     (("NCONC" "NCONCING") %loop-list-collection "NCONC")
     (("COUNT" "COUNTING") %loop-sum-collection "COUNT" real fixnum)
     (("SUM" "SUMMING") %loop-sum-collection "SUM" number number)
     (("MAXIMIZE" "MAXIMIZING") %loop-maxmin-collection :max)
     (("MINIMIZE" "MINIMIZING") %loop-maxmin-collection :min)
     (("ALWAYS") %loop-do-always nil)
     (("NEVER") %loop-do-always t)
     (("THEREIS") %loop-do-thereis)
     (("WHILE") %loop-do-while nil :while)
     (("UNTIL") %loop-do-while t :until)
     (("WHEN") %loop-do-if when nil)
     (("IF") %loop-do-if if nil)
     (("UNLESS") %loop-do-if unless t)
     (("WITH") %loop-do-with)
     (("REPEAT") %loop-do-repeat)))

(defparameter *loop-iteration-keywords*
  '((("FOR" "AS") %loop-do-for)))

(defparameter *loop-for-keywords*
  '((("=") %loop-for-equals)
     (("ACROSS") %loop-for-across)
     (("IN") %loop-for-in)
     (("ON") %loop-for-on)
     (("FROM") %loop-for-arithmetic :from)
     (("DOWNFROM") %loop-for-arithmetic :downfrom)
     (("UPFROM") %loop-for-arithmetic :upfrom)
     (("BELOW") %loop-for-arithmetic :below)
     (("ABOVE") %loop-for-arithmetic :above)
     (("BY") %loop-for-arithmetic :by)
     (("TO") %loop-for-arithmetic :to)
     (("UPTO") %loop-for-arithmetic :upto)
     (("DOWNTO") %loop-for-arithmetic :downto)
     (("BEING") %loop-for-being)))

(defparameter *loop-path-keywords*
  '((("HASH-KEY" "HASH-KEYS") %loop-hash-path :key)
     (("HASH-VALUE" "HASH-VALUES") %loop-hash-path :value)
     (("SYMBOL" "SYMBOLS") %loop-package-path (:internal :external :inherited))
     (("PRESENT-SYMBOL" "PRESENT-SYMBOLS") %loop-package-path (:internal :external))
     (("EXTERNAL-SYMBOL" "EXTERNAL-SYMBOLS") %loop-package-path (:external))))
