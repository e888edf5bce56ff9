;;; tak — Takeuchi's function: deep non-tail recursion with three arguments and comparisons.
;;; Prints the sum of 180 runs of (tak 18 12 6) = 7, i.e. 1260.
(defun tak (x y z)
  (if (not (< y x))
      z
      (tak (tak (- x 1) y z)
           (tak (- y 1) z x)
           (tak (- z 1) x y))))

(let ((sum 0))
  (dotimes (i 180)
    (setq sum (+ sum (tak 18 12 6))))
  (format t "~d~%" sum))
