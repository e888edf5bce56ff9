;;; clos — what CLOS operations cost, in nanoseconds per operation, each after subtracting
;;; an empty loop's time: a plain function call (the yardstick), a generic function call with
;;; one class at the call site, the same two over four objects of four classes taken from a
;;; vector in turn, an :around method's CALL-NEXT-METHOD, a slot reader, SLOT-VALUE, and
;;; MAKE-INSTANCE. Runs unchanged under Clove, SBCL and CLISP; the last
;;; line is a checksum that must be the same in all three.

(defclass shape () ((id :initarg :id :initform 0 :accessor shape-id)))
(defclass circle (shape) ((r :initarg :r :initform 1 :accessor circle-r)))
(defclass square (shape) ((side :initarg :side :initform 2)))
(defclass tri (shape) ())
(defclass hexa (shape) ())

(defgeneric area (s))
(defmethod area ((s circle)) 3)
(defmethod area ((s square)) 4)
(defmethod area ((s tri)) 5)
(defmethod area ((s hexa)) 6)

(defgeneric weight (s))
(defmethod weight ((s shape)) 1)
(defmethod weight :around ((s circle)) (+ 1 (call-next-method)))

(declaim (notinline plain-area))
(defun plain-area (s) (if s 3 0))

(defvar *checksum* 0)
(defvar *shapes* (vector (make-instance 'circle) (make-instance 'square) (make-instance 'tri)
                         (make-instance 'hexa)))

(defun seconds () (/ (get-internal-run-time) internal-time-units-per-second))

;;; Each loop adds what its operation returns into a fixnum that stays small, and keeps it.
(defvar *sink* 0)
(defmacro timed-loop (n (var) form)
  `(let ((acc 0) (t0 (seconds)))
     (dotimes (,var ,n)
       (setq acc (logand (+ acc ,form) 65535)))
     (setq *sink* acc)
     (- (seconds) t0)))

;;; bench/clos.sh lowers these for CLISP, whose interpreter is slow.
(defparameter +calls+ 1000000)
(defparameter +makes+ 100000)

(defun run-empty (c) (timed-loop +calls+ (i) (if c 1 0)))
(defun run-plain (c) (timed-loop +calls+ (i) (plain-area c)))
(defun run-generic (c) (timed-loop +calls+ (i) (area c)))
(defun run-plain-4 (v) (timed-loop +calls+ (i) (plain-area (svref v (logand i 3)))))
(defun run-generic-4 (v) (timed-loop +calls+ (i) (area (svref v (logand i 3)))))
(defun run-around (c) (timed-loop +calls+ (i) (weight c)))
(defun run-reader (c) (timed-loop +calls+ (i) (circle-r c)))
(defun run-slot-value (c) (timed-loop +calls+ (i) (slot-value c 'r)))
(defun run-empty-makes () (timed-loop +makes+ (i) (if (> i -1) 1 0)))
(defun run-make () (timed-loop +makes+ (i) (circle-r (make-instance 'circle :id i))))

;;; The best of five runs of each loop (the machine may be shared), less the best empty loop.
(defun best (fn)
  (let ((b nil))
    (dotimes (i 5 b)
      (let ((s (funcall fn)))
        (when (or (null b) (< s b)) (setq b s))))))

(defun report-op (name seconds empty n)
  (format t "~a ~,1f~%" name (max 0.1 (/ (* 1d9 (- seconds empty)) n))))

(let* ((c (svref *shapes* 0))
       (empty (best (lambda () (run-empty c)))))
  (run-generic c)                       ; warm the caches
  (report-op "plain-call" (best (lambda () (run-plain c))) empty +calls+)
  (report-op "generic-call" (best (lambda () (run-generic c))) empty +calls+)
  (report-op "plain-call-4-objects" (best (lambda () (run-plain-4 *shapes*))) empty +calls+)
  (report-op "generic-4-classes" (best (lambda () (run-generic-4 *shapes*))) empty +calls+)
  (report-op "around+call-next" (best (lambda () (run-around c))) empty +calls+)
  (report-op "reader" (best (lambda () (run-reader c))) empty +calls+)
  (report-op "slot-value" (best (lambda () (run-slot-value c))) empty +calls+)
  (make-instance 'circle)
  (report-op "make-instance" (best #'run-make) (best #'run-empty-makes) +makes+)
  ;; The checksum does not depend on the counts above.
  (let ((+calls+ 1000) (+makes+ 1000))
    (declare (special +calls+ +makes+))
    (dolist (f (list (lambda () (run-plain c)) (lambda () (run-generic c)) (lambda () (run-plain-4 *shapes*))
                     (lambda () (run-generic-4 *shapes*)) (lambda () (run-around c)) (lambda () (run-reader c))
                     (lambda () (run-slot-value c)) #'run-make))
      (funcall f)
      (setq *checksum* (logand (+ (* *checksum* 31) *sink*) 65535))))
  (format t "checksum ~d~%" *checksum*))
