;;; closures — closure creation and calls through FUNCALL/APPLY/MAPCAR/REDUCE, closures
;;; over mutable variables, composed functions. Prints a checksum.
(defun mix (h x) (mod (+ (* h 31) x) 1000000007))

(defun make-adder (n) (lambda (x) (+ x n)))
(defun compose (f g) (lambda (x) (funcall f (funcall g x))))
(defun make-counter ()
  (let ((count 0))
    (lambda () (setq count (+ count 1)))))
(defun twice (f) (lambda (x) (funcall f (funcall f x))))

(defun run (n)
  (let ((h 0)
        (counter (make-counter))
        (data (loop for i below 100 collect i)))
    (dotimes (i n h)
      (let* ((add (make-adder i))
             (f (compose add (twice (lambda (x) (* 2 x)))))
             (s (reduce #'+ (mapcar f data)))
             (m (apply #'max (mapcar (lambda (x) (funcall add (mod x 7))) data)))
             (c (funcall counter)))
        (setq h (mix (mix (mix h s) m) c))))))

(format t "~d~%" (run 15000))
