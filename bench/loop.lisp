;;; loop — the LOOP macro: for/from/below/in/across/on, collect, sum, count, maximize,
;;; when/unless, nested loops and into variables. Prints a checksum.
(defun mix (h x) (mod (+ (* h 31) x) 1000000007))

(defun run (n)
  (let* ((v (loop with a = (make-array n)
                  for i from 0 below n
                  do (setf (aref a i) (mod (* i 7919) 10007))
                  finally (return a)))
         (l (loop for x across v collect x))
         (h 0))
    (setq h (mix h (loop for x in l sum x)))
    (setq h (mix h (loop for x across v count (evenp x))))
    (setq h (mix h (loop for x in l maximize x)))
    (setq h (mix h (length (loop for x in l when (> x 5000) collect x))))
    (setq h (mix h (loop for (a b) on l by #'cddr while b sum (* a b))))
    (multiple-value-bind (odds evens)
        (loop for x across v
              if (oddp x) sum x into odds
              else sum x into evens
              finally (return (values odds evens)))
      (setq h (mix (mix h odds) evens)))
    (setq h (mix h (loop for i from 0 below 300
                         sum (loop for j from i below 300
                                   count (zerop (mod (+ i j) 3))))))
    (loop for i from 1 to 1000 by 3
          for sq = (* i i)
          unless (zerop (mod sq 5))
          do (setq h (mix h sq)))
    h))

(let ((h 0))
  (dotimes (k 7)
    (setq h (mix h (run 100000))))
  (format t "~d~%" h))
