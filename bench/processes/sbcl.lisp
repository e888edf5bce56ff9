;;;; sbcl.lisp — bench/processes with sb-thread and sb-bsd-sockets, the same protocol as clove.lisp:
;;;;   sbcl --script sbcl.lisp CLIENTS CONNECTIONS
(require :sb-bsd-sockets)
(defpackage :bench (:use :cl :sb-bsd-sockets))
(in-package :bench)

(defun elapsed (start)
  (/ (float (- (get-internal-real-time) start) 1d0) internal-time-units-per-second))

(defun line-stream (sock)
  (socket-make-stream sock :input t :output t :element-type 'character :buffering :full))

(defun handle (sock)
  (let ((s (line-stream sock)))
    (unwind-protect
         (let ((line (read-line s nil "")))
           (write-line (reverse line) s)
           (finish-output s))
      (close s))))

(defun serve (listener)
  (loop (let ((sock (socket-accept listener)))
          (sb-thread:make-thread #'handle :name "handler" :arguments (list sock)))))

(defun client (port k n)
  (loop for i below n
        count (let* ((sock (make-instance 'inet-socket :type :stream :protocol :tcp))
                     (s (progn (socket-connect sock #(127 0 0 1) port) (line-stream sock))))
                (unwind-protect
                     (let ((line (format nil "client ~d connection ~d" k i)))
                       (write-line line s)
                       (finish-output s)
                       (equal (read-line s nil "") (reverse line)))
                  (close s)))))

(defun run (nclients nconns)
  (let ((l (make-instance 'inet-socket :type :stream :protocol :tcp)))
    (setf (sockopt-reuse-address l) t)
    (socket-bind l #(127 0 0 1) 0)
    (socket-listen l 128)
    (let* ((port (nth-value 1 (socket-name l)))
           (server (sb-thread:make-thread #'serve :name "server" :arguments (list l)))
           (start (get-internal-real-time))
           (clients (loop for k below nclients
                          collect (sb-thread:make-thread
                                   #'client :name "client"
                                   :arguments (list port k (+ (floor nconns nclients)
                                                              (if (< k (mod nconns nclients)) 1 0))))))
           (ok (reduce #'+ (mapcar (lambda (th) (or (sb-thread:join-thread th :default 0) 0)) clients))))
      (format t "~,6f~%~d~%" (elapsed start) ok)
      (sb-thread:terminate-thread server)
      (socket-close l))))

(let ((args (last sb-ext:*posix-argv* 2)))
  (run (parse-integer (first args)) (parse-integer (second args))))
