;;; fib — recursive function calls and fixnum arithmetic (the calling convention's cost).
;;; Prints fib(33) = 3524578 in every implementation.
(defun fib (n)
  (if (< n 2)
      n
      (+ (fib (- n 1)) (fib (- n 2)))))

(format t "~d~%" (fib 33))
