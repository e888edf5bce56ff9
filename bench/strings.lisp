;;; strings — string building and scanning: concatenate, subseq, search, string-upcase,
;;; parse-integer, princ-to-string, with-output-to-string, char access. Prints a checksum.
(defun mix (h x) (mod (+ (* h 31) x) 1000000007))

(defun small-strings (n)
  (let ((h 0))
    (dotimes (i n h)
      (let* ((s (concatenate 'string "item-" (princ-to-string i) "-end"))
             (u (string-upcase s))
             (p (search "-END" u))
             (k (parse-integer (subseq u 5 p))))
        (setq h (mix (mix h k) (+ p (length u) (char-code (char u 0)))))))))

(defun big-string (n)
  (let* ((s (with-output-to-string (o)
              (dotimes (i n)
                (write-string "ab" o)
                (princ i o)
                (write-char #\; o))))
         (h (length s))
         (start 0))
    ;; walk the string field by field with search/subseq/parse-integer
    (loop
      (let ((semi (search ";" s :start2 start)))
        (unless semi (return))
        (setq h (mix h (parse-integer (subseq s (+ start 2) semi))))
        (setq start (+ semi 1))))
    h))

(format t "~d~%" (mix (small-strings 150000) (big-string 150000)))
