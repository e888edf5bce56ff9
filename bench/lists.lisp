;;; lists — consing and list traversal on 10^5-element lists: build, mapcar, reverse, sort,
;;; remove-if, append, length, nth, and assoc on a 10^5-entry alist. Prints a checksum.
(defconstant +n+ 100000)
(defconstant +prime+ 100003)          ; i*7919 mod +prime+ is a permutation of 0..+n+-1 keys

(defun build (n)
  (let ((l '()))
    (dotimes (i n l)
      (push (mod (* i 7919) +prime+) l))))

(defun mix (h x) (mod (+ (* h 31) x) 1000000007))

(defun run-once (seed)
  (let* ((l (build +n+))
         (m (mapcar (lambda (x) (+ x seed)) l))
         (r (reverse m))
         (s (sort (copy-list r) #'<))
         (odd (remove-if #'evenp s))
         (both (append odd r))
         (al (mapcar #'cons l m))
         (h (length both)))
    (dolist (x s) (setq h (mix h x)))
    (setq h (mix h (nth 5000 odd)))
    ;; keys pushed first sit at the end of the alist: each assoc walks most of it
    (dotimes (i 100)
      (let ((p (assoc (mod (* i 7919) +prime+) al)))
        (setq h (mix h (if p (cdr p) -1)))))
    h))

(let ((h 0))
  (dotimes (seed 4)
    (setq h (mix h (run-once seed))))
  (format t "~d~%" h))
