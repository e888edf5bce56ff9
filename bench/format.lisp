;;; format — FORMAT with ~a ~d ~x (padded) ~,2f directives into fresh strings, in a loop.
;;; Prints a checksum of every character produced.
(defun mix (h x) (mod (+ (* h 31) x) 1000000007))

(defun run (n)
  (let ((h 0)
        (names #("alpha" "beta" "gamma" "delta")))
    (dotimes (i n h)
      (let ((s (format nil "~a ~d ~8,'0x ~,2f~%"
                       (aref names (mod i 4)) i (* i 977) (/ i 4.0))))
        (dotimes (j (length s))
          (setq h (mix h (char-code (char s j)))))))))

(format t "~d~%" (run 60000))
