;;;; clove.lisp — bench/processes in CCL's process and socket API (runs under Clove, and unchanged
;;;; under CCL):   clove clove.lisp CLIENTS CONNECTIONS
;;;; A server process accepts connections and serves each in a process of its own (one line in,
;;;; one line back, close); CLIENTS client processes share CONNECTIONS connections between them.
;;;; Prints the elapsed seconds, then the number of connections whose reply was right.

(defun elapsed (start)
  (/ (float (- (get-internal-real-time) start) 1d0) internal-time-units-per-second))

(defun handle (s)
  (with-open-stream (s s)
    (let ((line (read-line s nil "")))
      (write-line (reverse line) s)
      (finish-output s))))

(defun serve (listener)
  (loop (process-run-function "handler" #'handle (accept-connection listener))))

(defun client (port k n)
  (loop for i below n
        count (with-open-socket (c :remote-host "127.0.0.1" :remote-port port)
                (let ((line (format nil "client ~d connection ~d" k i)))
                  (write-line line c)
                  (finish-output c)
                  (equal (read-line c nil "") (reverse line))))))

(defun run (nclients nconns)
  (with-open-socket (l :connect :passive :local-host "127.0.0.1" :local-port 0 :reuse-address t :backlog 128)
    (let* ((server (process-run-function "server" #'serve l))
           (start (get-internal-real-time))
           (clients (loop for k below nclients
                          collect (process-run-function "client" #'client (local-port l) k
                                                        (+ (floor nconns nclients) (if (< k (mod nconns nclients)) 1 0)))))
           (ok (reduce #'+ (mapcar (lambda (p) (join-process p :default 0)) clients))))
      (format t "~,6f~%~d~%" (elapsed start) ok)
      (process-kill server))))

(let ((args (last *command-line-argument-list* 2)))
  (run (parse-integer (first args)) (parse-integer (second args))))
