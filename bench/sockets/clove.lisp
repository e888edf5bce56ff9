;;;; clove.lisp — bench/sockets in CCL's socket API (runs under Clove, and unchanged under CCL):
;;;;   clove clove.lisp server MODE PORTFILE | client MODE PORT N | conns N
;;;; MODE is pingpong (1-octet request/response) or bulk (N writes of 64 KiB, then an ack);
;;;; client and conns print the elapsed seconds.

(defun elapsed (start)
  (/ (float (- (get-internal-real-time) start) 1d0) internal-time-units-per-second))

(defun server (mode portfile)
  (with-open-socket (l :connect :passive :local-host "127.0.0.1" :local-port 0 :reuse-address t
                       :format :binary :nodelay t)
    (with-open-file (f portfile :direction :output :if-exists :supersede)
      (format f "~d~%" (local-port l)))
    (with-open-stream (s (accept-connection l))
      (if (string= mode "pingpong")
          (loop for b = (read-byte s nil nil)
                while b do (write-byte b s) (force-output s))
          (let ((buf (make-array 65536 :element-type '(unsigned-byte 8))))
            (loop until (zerop (read-sequence buf s)))
            (write-byte 107 s)
            (finish-output s))))))

(defun client (mode port n)
  (with-open-socket (s :remote-host "127.0.0.1" :remote-port port :format :binary :nodelay t)
    (let ((start (get-internal-real-time)))
      (if (string= mode "pingpong")
          (dotimes (i n)
            (write-byte 120 s)
            (force-output s)
            (read-byte s))
          (let ((buf (make-array 65536 :element-type '(unsigned-byte 8) :initial-element 7)))
            (dotimes (i n) (write-sequence buf s))
            (finish-output s)
            (shutdown s :direction :output)
            (read-byte s)))
      (format t "~,6f~%" (elapsed start)))))

(defun conns (n)
  (with-open-socket (l :connect :passive :local-host "127.0.0.1" :local-port 0 :reuse-address t :backlog 128)
    (let ((port (local-port l)) (start (get-internal-real-time)))
      (dotimes (i n)
        (let ((c (make-socket :remote-host "127.0.0.1" :remote-port port)))
          (close (accept-connection l))
          (close c)))
      (format t "~,6f~%" (elapsed start)))))

(let ((args (member-if (lambda (a) (member a '("server" "client" "conns") :test #'string=))
                       *command-line-argument-list*)))
  (cond ((string= (first args) "server") (server (second args) (third args)))
        ((string= (first args) "client") (client (second args) (parse-integer (third args)) (parse-integer (fourth args))))
        (t (conns (parse-integer (second args))))))
