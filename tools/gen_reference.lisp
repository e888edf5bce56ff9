;;; gen_reference.lisp — writes docs/reference.md to standard output from what the running Clove
;;; knows: the lambda lists (ccl:arglist) and docstrings (documentation) of CCL's and CL's symbols.
;;;
;;;   ./clove -n -Q tools/gen_reference.lisp >docs/reference.md      (that is `make docs`)
;;;   ./clove -n -Q tools/gen_reference.lisp --missing               the symbols without a docstring
;;;
;;; Generated, never written by hand, so that it cannot drift from the implementation;
;;; tests/integration/help.sh regenerates it and compares with the committed file.

(defpackage "CLOVE-REFERENCE" (:use "COMMON-LISP"))
(in-package "CLOVE-REFERENCE")

(defparameter *packages* '("CCL" "COMMON-LISP"))
(defparameter *kinds*
  '((:special-operator "Special operators")
    (:macro "Macros")
    (:function "Functions")
    (:variable "Variables and constants")
    (:class "Classes and condition types")))
(defparameter *missing* '()
  "Entries without a docstring, as strings \"PACKAGE:NAME (kind)\".")

(defun home-externals (package-name)
  "The external symbols whose home is PACKAGE-NAME, sorted by name."
  (let ((package (find-package package-name)) (symbols '()))
    (do-external-symbols (s package)
      (when (eq (symbol-package s) package) (push s symbols)))
    (sort symbols #'string< :key #'symbol-name)))

;; The stdlib is read on first use: asking for each definition's lambda list reads it now, so
;; that everything it defines is present before the symbols are listed and classified.
(defun force-definitions ()
  (dolist (p *packages*)
    (dolist (s (home-externals p))
      (when (and (fboundp s) (not (special-operator-p s)))
        (arglist-of s)
        (documentation s 'function)))))

(defun kinds-of (symbol package-name)
  "The kinds of definition SYMBOL has, from *KINDS*; classes only for CCL's own symbols."
  (let ((kinds '()))
    (cond ((special-operator-p symbol) (push :special-operator kinds))
          ((macro-function symbol) (push :macro kinds))
          ((fboundp symbol) (push :function kinds)))
    (when (boundp symbol) (push :variable kinds))
    (when (and (string= package-name "CCL") (find-class symbol nil)) (push :class kinds))
    kinds))

(defun lower (object)
  (let ((*print-case* :downcase) (*package* (find-package "CCL")))
    (prin1-to-string object)))

;; A native's lambda list is read from its text when asked for, in the current package: in CCL's
;; (which uses CL's) its symbols print without a prefix, as CCL's own listener shows them.
(defun arglist-of (symbol)
  (let ((*package* (find-package "CCL")))
    (ccl:arglist symbol)))

;; Markdown would take *print-base* for emphasis and <n> for markup.
(defun escape (text)
  (with-output-to-string (out)
    (loop for c across text
          do (when (find c "*<") (write-char #\\ out))
             (write-char c out))))

(defun doc-of (symbol kind)
  (case kind
    ((:function :macro :special-operator) (documentation symbol 'function))
    (:variable (documentation symbol 'variable))
    (:class (documentation symbol 'type))))

(defun signature (symbol kind)
  "The entry's heading: a call form for operators, the name otherwise."
  (let ((name (lower symbol)))
    (if (member kind '(:function :macro :special-operator))
        (multiple-value-bind (ll known) (arglist-of symbol)
          (if (or known ll)
              (let ((args (lower ll)))
                ;; ARGS prints as "(a b)" or "nil": the call form is the name, then what is inside.
                (format nil "(~a~@[ ~a~])" name
                        (if (consp ll) (subseq args 1 (1- (length args))) nil)))
              (format nil "(~a ...)" name)))
        name)))

(defun write-entry (symbol kind package-name)
  (let ((doc (doc-of symbol kind)))
    (format t "~%- `~a`~:[~; (constant)~]~%" (signature symbol kind)
            (and (eq kind :variable) (constantp symbol)))
    (if (stringp doc)
        (format t "~%  ~a~%"
                (escape (string-trim '(#\Space #\Newline) (substitute #\Space #\Newline doc))))
        (push (format nil "~a:~a (~(~a~))" package-name (symbol-name symbol) kind) *missing*))))

(defun write-reference ()
  (format t "# Clove reference~%~%")
  (format t "Every exported symbol of `CCL` that Clove implements and every defined symbol of ~
             `COMMON-LISP`,~%by package and kind, with its lambda list and docstring. Generated ~
             by `make docs`~%(`tools/gen_reference.lisp`) from the running implementation: ~
             do not edit by hand.~%")
  (dolist (p *packages*)
    (let ((entries (mapcar (lambda (s) (cons s (kinds-of s p))) (home-externals p))))
      (format t "~%## Package ~a~%" p)
      (dolist (k *kinds*)
        (let ((these (remove-if-not (lambda (e) (member (car k) (cdr e))) entries)))
          (when these
            (format t "~%### ~a (~d)~%" (cadr k) (length these))
            (dolist (e these) (write-entry (car e) (car k) p))))))))

(force-definitions)
(force-definitions)
(if (member "--missing" ccl:*command-line-argument-list* :test #'string=)
    (progn (let ((*standard-output* (make-broadcast-stream))) (write-reference))
           (format t "~d without a docstring:~%~{~a~%~}" (length *missing*) (reverse *missing*)))
    (write-reference))
(finish-output)
