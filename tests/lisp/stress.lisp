;;;; stress.lisp — a small tour of the core for CLOVE_GC_STRESS=1 runs (a collection
;;;; at every allocation): closures, boxes, tail calls, values, exits, strings,
;;;; hash tables, conditions — each keeps its objects only through the ways the
;;;; collector must see (frames, boxes, dynamic stack, thread values).

(defun stress-counter () (let ((n 0)) (lambda () (incf n))))
(deftest closure (let ((c (stress-counter))) (funcall c) (funcall c) (funcall c)) 3)
(deftest closures-in-loop
  (let ((fns nil)) (dotimes (i 5) (let ((j i)) (push (lambda () (* j 10)) fns))) (mapcar #'funcall fns))
  (40 30 20 10 0))
(defun stress-build (n acc) (if (= n 0) acc (stress-build (1- n) (cons (list n (* n n)) acc))))
(deftest tail-build (length (stress-build 300 nil)) 300)
(deftest tail-build-contents (car (stress-build 300 nil)) (1 1))
(deftest values-kept (multiple-value-list (values (list 1) (list 2) (make-string 3 :initial-element #\a))) ((1) (2) "aaa"))
(deftest mvb (multiple-value-bind (a b) (values (cons 1 2) (vector 3 4)) (list a (aref b 1))) ((1 . 2) 4))
(deftest catch-values (multiple-value-list (catch 'x (throw 'x (values (list :a) (list :b))))) ((:a) (:b)))
(deftest unwind-values
  (multiple-value-list (unwind-protect (values (list 1) (list 2)) (make-list 20)))
  ((1) (2)))
(deftest block-closure (block b (mapc (lambda (x) (when (> x 2) (return-from b (list x)))) '(1 2 3 4))) (3))
(deftest strings
  (let ((s "")) (dotimes (i 20) (setq s (concatenate 'string s (princ-to-string i)))) s)
  "012345678910111213141516171819")
(deftest string-stream (with-output-to-string (o) (dotimes (i 10) (format o "~a," i))) "0,1,2,3,4,5,6,7,8,9,")
(deftest hash
  (let ((h (make-hash-table :test 'equal)))
    (dotimes (i 200) (setf (gethash (format nil "k~a" i) h) (list i)))
    (list (hash-table-count h) (gethash "k150" h)))
  (200 (150)))
(deftest specials
  (progn (defvar *stress-special* (list 0))
         (let ((*stress-special* (list 1))) (funcall (lambda () (car *stress-special*)))))
  1)
(deftest handler-case-condition
  (handler-case (error "boom ~a" (list 1 2)) (error (c) (princ-to-string c)))
  "boom (1 2)")
(deftest restart-case
  (restart-case (invoke-restart 'use (list 9)) (use (v) v))
  (9))
(deftest sort-list (sort (list 5 3 9 1 7) #'<) (1 3 5 7 9))
(deftest reader (prin1-to-string (read-from-string "(a (b \"c\" #(1 2)) . d)")) "(A (B \"c\" #(1 2)) . D)")
(deftest printer (prin1-to-string (list 1.5 "x" #\a 'sym (expt 2 70))) "(1.5 \"x\" #\\a SYM 1180591620717411303424)")
(deftest bignums (let ((x 1)) (dotimes (i 40) (setq x (* x 3))) x) 12157665459056928801)
(deftest loop-collect (loop for i below 50 when (evenp i) collect (list i)) 
  ((0) (2) (4) (6) (8) (10) (12) (14) (16) (18) (20) (22) (24) (26) (28) (30) (32) (34) (36) (38) (40) (42) (44) (46) (48)))
(defmacro stress-twice (x) `(list ,x ,x))
(deftest macro (stress-twice (+ 1 2)) (3 3))
(deftest eval-compile (eval '(let ((a (list 1 2))) (labels ((f (l) (if l (cons (* 2 (car l)) (f (cdr l))) nil))) (f a)))) (2 4))
(deftest apply-spread (apply #'list 1 2 (list 3 4)) (1 2 3 4))
(deftest destructuring (destructuring-bind (a (b &optional (c (list :d))) &key (e (list :e))) '(1 (2)) (list a b c e)) (1 2 (:d) (:e)))
