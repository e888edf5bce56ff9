;;;; defstruct.lisp — DEFSTRUCT as CCL expands it (options, slot specs, :INCLUDE, BOA and keyword
;;;; constructors, :TYPE LIST/VECTOR structures), over the natives of builtins/structs.c.

;;; A structure's description is a plist on its name, property %DEFSTRUCT (#S reads its
;;; :CONSTRUCTOR there too):
;;;   :TYPE         NIL (a structure class), LIST or (VECTOR element-type)
;;;   :NAMED        offset of the name slot of a named typed structure, else T or NIL
;;;   :SLOTS        the slots, inherited ones first, in offset order: each an ssd
;;;   :SIZE         the number of cells of a typed structure (slots, gaps, name slots)
;;;   :SUPERCLASSES the name and the names of the structures it includes, nearest first
;;;   :INHERITED    how many of the slots come from the included structure
;;;   :CONSTRUCTOR  the keyword constructor or NIL; :ACCESSORS the functions it defined ...
;;; An ssd is (name initform offset read-only type accessor); the name slot of a named typed
;;; structure is an ssd named 0 whose initform is the quoted structure name.

(defun %make-ssd (name initform offset read-only type accessor)
  (list name initform offset read-only type accessor))
(defun %ssd-name (ssd) (car ssd))
(defun %ssd-initform (ssd) (cadr ssd))
(defun %ssd-offset (ssd) (caddr ssd))
(defun %ssd-read-only (ssd) (cadddr ssd))
(defun %ssd-type (ssd) (nth 4 ssd))
(defun %ssd-accessor (ssd) (nth 5 ssd))

(defun %named-ssd (name slots)
  (dolist (ssd slots) (when (eq (%ssd-name ssd) name) (return ssd))))

;; The description of the structure NAME: the one in effect, or else the one its DEFSTRUCT
;; noted when it was expanded (so a form that defines a structure and then includes it in
;; another works before it is run).
(defun %defstruct-description (name)
  (and (symbolp name)
       (or (get name '%defstruct) (get name '%defstruct-pending))))

(defun %defstruct-program-error (control &rest args)
  (error 'simple-program-error :format-control control :format-arguments args))

(defun %defstruct-symbol (a b)
  (intern (concatenate 'string (string a) (string b))))

(defun %defstruct-keyword (symbol) (intern (symbol-name symbol) "KEYWORD"))

;; How the cells of a structure of TYPE are reached: :STRUCT, LIST, or the element type.
(defun %defstruct-reftype (type)
  (cond ((null type) :struct)
        ((eq type 'list) 'list)
        (t (upgraded-array-element-type (cadr type)))))

(defun %built-in-type-p (name)
  (let ((class (find-class name nil)))
    (and class (typep class 'built-in-class))))

;;; ---- The macro ----

(defmacro defstruct (options &rest slots)
  "DEFSTRUCT {Name | (Name Option*)} {Slot | (Slot [Default] {Key Value}*)}
   Define the structure type Name. Instances are created by MAKE-<name>, 
   which takes &KEY arguments allowing initial slot values to the specified.
   A SETF'able function <name>-<slot> is defined for each slot to read and
   write slot values. <name>-p is a type predicate.

   Popular DEFSTRUCT options (see manual for others):

   (:CONSTRUCTOR Name)
   (:PREDICATE Name)
       Specify the name for the constructor or predicate.

   (:CONSTRUCTOR Name Lambda-List)
       Specify the name and arguments for a BOA constructor
       (which is more efficient when keyword syntax isn't necessary.)

   (:INCLUDE Supertype Slot-Spec*)
       Make this type a subtype of the structure type Supertype. The optional
       Slot-Specs override inherited slot options.

   Slot options:

   :TYPE Type-Spec
       Asserts that the value of this slot is always of the specified type.

   :READ-ONLY {T | NIL}
       If true, no setter function is defined for this slot."
  (%defstruct-expand options slots))

(defun %defstruct-expand (options slots)
  (let ((struct-name nil) (type nil) (conc-name nil) (constructor nil) (copier nil)
        (predicate nil) (include nil) (print-function nil) (print-object nil) (named nil)
        (initial-offset nil) (boa-constructors nil) (print-p nil) (documentation nil)
        (slot-list nil) (offset 0) (superclasses nil) (constructor-p nil) (predicate-p nil))
    (if (atom options)
        (setq struct-name options options nil)
        (setq struct-name (car options) options (cdr options)))
    (unless (symbolp struct-name) (%defstruct-program-error "~S is not a symbol." struct-name))
    ;; Options
    (dolist (option options)
      (let ((name (if (atom option) option (car option)))
            (args (if (atom option) nil (cdr option))))
        (flet ((bad () (%defstruct-program-error "Bad defstruct option ~S." option))
               (dup () (error "Duplicate ~S options not allowed" option)))
          (case name
            (:conc-name
             (when conc-name (dup))
             (when (cdr args) (bad))
             (setq conc-name (or args (list nil))))
            (:constructor
             (when (cddr args) (bad))
             (cond ((cdr args) (push args boa-constructors))
                   (t (when constructor (dup))
                      (unless (symbolp (car args)) (bad))
                      (setq constructor-p t constructor args))))
            (:copier
             (when copier (dup))
             (when (or (cdr args) (not (symbolp (car args)))) (bad))
             (setq copier args))
            (:predicate
             (when predicate (dup))
             (when (or (cdr args) (not (symbolp (car args)))) (bad))
             (setq predicate-p t predicate args))
            (:include
             (when include (dup))
             (when (or (null args) (not (symbolp (car args)))) (bad))
             (setq include args))
            ((:print-function :print-object)
             (when print-p (dup))
             (when (or (cdr args)
                       (not (or (symbolp (car args))
                                (and (consp (car args)) (eq (caar args) 'lambda)))))
               (bad))
             (setq print-p t print-function (car args) print-object (eq name :print-object)))
            (:type
             (when type (dup))
             (when (cdr args) (bad))
             (unless (eq (setq type (car args)) 'list)
               (when (eq type 'vector) (setq type '(vector t)))
               (when (or (atom type) (not (eq (car type) 'vector)) (cddr type)) (bad))))
            (:named
             (when args (bad))
             (setq named t))
            (:initial-offset
             (when initial-offset (dup))
             (when (or (cdr args) (not (typep (car args) 'fixnum)) (< (car args) 0)) (bad))
             (setq initial-offset (car args)))
            (t (bad))))))
    ;; Defaults and consistency
    (cond (type
           (when print-p (error "Cannot specify ~S with ~S" :print-function :type))
           (when (and named (consp type) (cadr type) (not (subtypep 'symbol (cadr type))))
             (error "Cannot specify ~S with type: ~S" :named type)))
          ((%built-in-type-p struct-name) (error "Cannot redefine built-in type ~S" struct-name))
          (initial-offset (error "Cannot use ~S without ~S" :initial-offset :type))
          (t (setq named t)))
    (if (not named)
        (when predicate-p
          (unless (null (setq predicate (car predicate)))
            (error "Cannot specify :PREDICATE for an unnamed structure")))
        (setq predicate (if (null predicate) (%defstruct-symbol struct-name "-P") (car predicate))))
    (setq conc-name (if (null conc-name)
                        (concatenate 'string (symbol-name struct-name) "-")
                        (if (car conc-name) (string (car conc-name)))))
    (if (and boa-constructors (not constructor-p))
        (setq constructor nil)
        (setq constructor (if (null constructor) (%defstruct-symbol "MAKE-" struct-name) (car constructor))))
    (setq copier (if (null copier) (%defstruct-symbol "COPY-" struct-name) (car copier)))
    ;; Included slots, with their overrides
    (when include
      (let* ((included-name (car include))
             (sub-sd (%defstruct-description included-name)))
        (unless sub-sd (error "No such structure: ~S" (cons :include include)))
        (unless (equal (%defstruct-reftype type) (%defstruct-reftype (getf sub-sd :type)))
          (error "Incompatible structure type ~S for ~S" (getf sub-sd :type) (cons :include include)))
        (dolist (ssd (getf sub-sd :slots)) (push (copy-list ssd) slot-list))
        (dolist (spec (cdr include))
          (let ((name (if (atom spec) spec (car spec)))
                (args (if (atom spec) nil (cdr spec)))
                (ssd nil))
            (unless (symbolp name) (%defstruct-program-error "~S is not a symbol." name))
            (unless (setq ssd (%named-ssd name slot-list))
              (error "~S has no ~S slot, in ~S" included-name name (cons :include include)))
            (setf (cadr ssd) (pop args))
            (loop (when (null args) (return))
                  (when (atom (cdr args)) (%defstruct-program-error "~S is not a proper list" (cdr args)))
                  (case (car args)
                    (:type)
                    (:read-only
                     (when (and (not (cadr args)) (%ssd-read-only ssd))
                       (%defstruct-program-error "Slot ~S in ~S must be read-only" name included-name))
                     (when (cadr args) (setf (cadddr ssd) t)))
                    (t (%defstruct-program-error "~S must be  (member :type :read-only)." (car args))))
                  (setq args (cddr args)))))
        (setq offset (getf sub-sd :size))
        (setq superclasses (getf sub-sd :superclasses))))
    (push struct-name superclasses)
    ;; The name slot, then the structure's own slots
    (setq offset (+ offset (or initial-offset 0)))
    (when (and named type)
      (push (%make-ssd 0 `',struct-name offset t t nil) slot-list)
      (setq named offset offset (1+ offset)))
    (when (stringp (car slots))
      (setq documentation (car slots) slots (cdr slots)))
    (dolist (spec slots)
      (let ((name (if (atom spec) spec (car spec)))
            (args (if (atom spec) nil (cdr spec)))
            (read-only nil) (slot-type t) (initform nil))
        (unless (symbolp name) (%defstruct-program-error "Bad defstruct slot spec ~S." spec))
        (setq initform (pop args))
        (loop (when (null args) (return))
              (when (atom (cdr args)) (%defstruct-program-error "Bad defstruct slot spec ~S." spec))
              (case (car args)
                (:type (setq slot-type (cadr args)))
                (:read-only (setq read-only (cadr args)))
                (t (%defstruct-program-error "Bad defstruct slot spec ~S." spec)))
              (setq args (cddr args)))
        (push (%make-ssd name initform offset read-only slot-type nil) slot-list)
        (setq offset (1+ offset))))
    (setq slot-list (nreverse slot-list))
    (let ((seen nil))
      (dolist (ssd slot-list)
        (when (symbolp (%ssd-name ssd))
          (when (member (%ssd-name ssd) seen :test #'string=)
            (%defstruct-program-error "Duplicate slot name ~S in ~S." (%ssd-name ssd) struct-name))
          (push (%ssd-name ssd) seen))))
    (dolist (ssd slot-list)
      (when (symbolp (%ssd-name ssd))
        (setf (nth 5 ssd) (if conc-name (%defstruct-symbol conc-name (%ssd-name ssd)) (%ssd-name ssd)))))
    (let ((sd (list :name struct-name :type type :named named :slots slot-list :size offset
                    :superclasses superclasses :include (car include) :constructor constructor
                    :inherited (if include (length (getf (%defstruct-description (car include)) :slots)) 0))))
      (%defstruct-form sd constructor (reverse boa-constructors) copier predicate
                       (cond ((not print-p) nil)
                             ((symbolp print-function) `',print-function)
                             (t `(function ,print-function)))
                       print-object documentation))))

;; The accessors a structure defines itself: not those it shares with a structure it includes.
(defun %defstruct-own-accessors (sd)
  (let ((own nil))
    (dolist (ssd (getf sd :slots))
      (let ((accessor (%ssd-accessor ssd)) (inherited nil))
        (when accessor
          (dolist (super (cdr (getf sd :superclasses)))
            (let ((old (dolist (s (getf (%defstruct-description super) :slots))
                         (when (eq (%ssd-accessor s) accessor) (return s)))))
              (when old
                (unless (eql (%ssd-offset old) (%ssd-offset ssd))
                  (warn "Accessor ~s at different position than in included structure" accessor))
                (setq inherited t)
                (return))))
          (unless inherited (push ssd own)))))
    (nreverse own)))

(defun %defstruct-form (sd constructor boas copier predicate print-fn print-object doc)
  (let* ((name (getf sd :name))
         (type (getf sd :type))
         (own (%defstruct-own-accessors sd))
         (defined (append (mapcar #'%ssd-accessor own)
                          (remove nil (list* constructor copier predicate (mapcar #'car boas))))))
    (setf (getf sd :accessors) defined)
    (setf (get name '%defstruct-pending) sd)
    `(progn
       (%defstruct-forget ',name)
       (%put ',name '%defstruct ',sd)
       ,@(unless type
           `((%define-structure ',name ',(getf sd :include)
                                ',(mapcar (lambda (ssd) (list (%ssd-name ssd) (%ssd-initform ssd) (%ssd-type ssd)))
                                          (nthcdr (getf sd :inherited) (getf sd :slots)))
                                ,(length (getf sd :slots))
                                ,(if print-object :print-object :print-function) ,print-fn
                                :constructor ',constructor
                                :documentation ,doc)))
       ,@(mapcar (lambda (ssd) (%defstruct-accessor-form sd ssd)) own)
       ,@(when constructor (list (%defstruct-constructor sd constructor)))
       ,@(mapcar (lambda (boa) (%defstruct-boa-constructor sd boa)) boas)
       ,@(when copier
           (list (cond ((null type) `(%define-struct-copier ',copier ',name))
                       ((eq type 'list) `(%set-fdefinition #'copy-list ',copier))
                       (t `(%set-fdefinition #'copy-seq ',copier)))))
       ,@(when predicate (list (%defstruct-predicate sd predicate)))
       ,@(when doc
           `((%set-documentation ',name 'structure ,doc)
             (%set-documentation ',name 'type ,doc)))
       ',name)))

;; Before a structure is redefined, the functions its previous definition made go away.
(defun %defstruct-forget (name)
  (let ((old (get name '%defstruct)))
    (when old
      (dolist (f (getf old :accessors))
        (fmakunbound f)
        (fmakunbound (list 'setf f))))
    name))

;;; ---- Accessors, predicate ----

(defun %defstruct-wrap-type-check (value ssd)
  (if (or (eq (%ssd-type ssd) t) (eql (%ssd-name ssd) 0))
      value
      `(require-type ,value ',(%ssd-type ssd))))

(defun %defstruct-accessor-form (sd ssd)
  (let ((type (getf sd :type))
        (accessor (%ssd-accessor ssd))
        (offset (%ssd-offset ssd)))
    (if (null type)
        `(%define-struct-accessor ',accessor ',(getf sd :name) ,offset ',(%ssd-type ssd)
                                  ',(and (%ssd-read-only ssd) t))
        (let ((ref (cond ((eq type 'list) `(nth ,offset x))
                         ((eq (%defstruct-reftype type) t) `(svref x ,offset))
                         (t `(aref x ,offset)))))
          `(progn
             (defun ,accessor (x) ,ref)
             ,(if (%ssd-read-only ssd)
                  `(fmakunbound '(setf ,accessor))
                  `(defun (setf ,accessor) (value x)
                     (setf ,ref ,(%defstruct-wrap-type-check 'value ssd)))))))))

(defun %defstruct-predicate (sd predicate)
  (let ((type (getf sd :type))
        (name (getf sd :name))
        (named (getf sd :named)))
    (cond ((null type) `(%define-struct-predicate ',predicate ',name))
          ((eq type 'list)
           `(defun ,predicate (x) (and (consp x) (eq (nth ,named x) ',name))))
          (t `(defun ,predicate (x)
                (and (typep x '(simple-array ,(%defstruct-reftype type) (*)))
                     (< ,named (length x))
                     (eq (aref x ,named) ',name)))))))

;;; ---- Constructors ----

;; The form that makes the structure from VALUES, one per cell in offset order.
(defun %defstruct-allocation (sd values)
  (let ((type (getf sd :type)))
    (cond ((null type) `(%make-struct ',(getf sd :name) ,@values))
          ((eq type 'list) `(list ,@values))
          ((eq (%defstruct-reftype type) t) `(vector ,@values))
          (t `(make-array ,(length values) :element-type ',(%defstruct-reftype type)
                                           :initial-contents (list ,@values))))))

;; VALUE-OF maps each ssd to the form of its value; the gaps :INITIAL-OFFSET leaves are NIL.
(defun %defstruct-cells (sd value-of)
  (let ((values nil) (offset 0))
    (dolist (ssd (getf sd :slots))
      (loop (unless (< offset (%ssd-offset ssd)) (return))
            (push nil values)
            (setq offset (1+ offset)))
      (push (funcall value-of ssd) values)
      (setq offset (1+ offset)))
    (when (getf sd :type)
      (loop (unless (< offset (getf sd :size)) (return))
            (push nil values)
            (setq offset (1+ offset))))
    (nreverse values)))

(defun %defstruct-constructor (sd name)
  (let ((args nil))
    (let ((values (%defstruct-cells
                   sd (lambda (ssd)
                        (if (eql (%ssd-name ssd) 0)
                            (%ssd-initform ssd)
                            (let ((temp (make-symbol (symbol-name (%ssd-name ssd)))))
                              (push (list (list (%defstruct-keyword (%ssd-name ssd)) temp) (%ssd-initform ssd))
                                    args)
                              (%defstruct-wrap-type-check temp ssd)))))))
      `(defun ,name (&key ,@(nreverse args)) ,(%defstruct-allocation sd values)))))

;; A BOA constructor binds the slots its lambda list names; an optional or keyword slot
;; parameter without a default, or an &AUX one without a value, gets the slot's initform;
;; the other slots get their initforms.
(defun %defstruct-boa-constructor (sd boa)
  (let ((args nil) (used nil) (arg-kind nil) (slots (getf sd :slots)))
    (unless (listp (cadr boa))
      (error "Invalid lambda-list in ~S ." (cons :constructor boa)))
    (dolist (arg (cadr boa))
      (let ((slot nil))
        (cond ((member arg lambda-list-keywords) (setq arg-kind arg))
              ((and (symbolp arg) (setq slot (%named-ssd arg slots)))
               (when (member arg-kind '(&optional &key &aux))
                 (setq arg (list arg (%ssd-initform slot))))
               (push slot used))
              ((and (consp arg)
                    (setq slot (%named-ssd (if (consp (car arg)) (cadar arg) (car arg)) slots)))
               (push slot used)))
        (push arg args)))
    (let ((values (%defstruct-cells
                   sd (lambda (ssd)
                        (%defstruct-wrap-type-check
                         (cond ((member ssd used) (%ssd-name ssd))
                               ((or (eql (%ssd-name ssd) 0) (constantp (%ssd-initform ssd)))
                                (%ssd-initform ssd))
                               (t (unless (eq arg-kind '&aux) (push (setq arg-kind '&aux) args))
                                  (push (list (%ssd-name ssd) (%ssd-initform ssd)) args)
                                  (%ssd-name ssd)))
                         ssd)))))
      `(defun ,(car boa) ,(reverse args) ,(%defstruct-allocation sd values)))))
