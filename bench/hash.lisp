;;; hash — hash tables, about 1.5*10^6 operations: an EQL table with fixnum keys (300k puts,
;;; 600k gets half of which miss, 150k remhash) and an EQUAL table with string keys (300k puts
;;; that mostly overwrite, 300k gets, a maphash). Prints a checksum.
(defun mix (h x) (mod (+ (* h 31) x) 1000000007))

(defun fixnum-keys (n)
  (let ((tab (make-hash-table))
        (h 0))
    (dotimes (i n)
      (setf (gethash (* i 7) tab) i))
    (dotimes (i n)
      (setq h (mix h (gethash (* i 7) tab 0)))
      (setq h (mix h (gethash (+ (* i 7) 1) tab 1))))
    (dotimes (i (floor n 2))
      (remhash (* i 14) tab))
    (mix h (hash-table-count tab))))

(defun string-keys (n)
  (let* ((keys (make-array n))
         (tab (make-hash-table :test 'equal))
         (h 0))
    (dotimes (i n)
      (setf (aref keys i) (format nil "key~d" i)))
    (dotimes (round 4)
      (dotimes (i n)
        (setf (gethash (aref keys i) tab) (+ i round))))
    (dotimes (round 4)
      (dotimes (i n)
        (setq h (mix h (gethash (aref keys i) tab)))))
    (let ((sum 0))
      (maphash (lambda (k v) (declare (ignore k)) (setq sum (+ sum v))) tab)
      (mix h sum))))

(format t "~d~%" (mix (fixnum-keys 300000) (string-keys 75000)))
