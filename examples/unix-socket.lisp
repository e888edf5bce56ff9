;;;; unix-socket.lisp — a Unix-domain (:address-family :file) server and client in one
;;;; process, written as one writes it for Clozure CL.
;;;; Usage: clove examples/unix-socket.lisp [SOCKET-PATH]
;;;; The socket file must not exist yet; closing the listener deletes it.

(defun unix-socket-demo (path)
  (with-open-socket (listener :address-family :file :connect :passive :local-filename path)
    (format t "listening on ~a (exists: ~a)~%" (local-filename listener) (not (null (probe-file path))))
    ;; The connection waits in the listener's backlog until it is accepted.
    (with-open-socket (client :address-family :file :remote-filename path :input-timeout 5)
      (with-open-stream (server (accept-connection listener))
        (format t "client connected to ~a~%" (remote-filename client))
        (write-line "hello over a unix socket" client)
        (finish-output client)
        (let ((line (read-line server)))
          (format t "server got ~s~%" line)
          (format server "echo: ~a~%" line)
          (finish-output server))
        (format t "client got ~s~%" (read-line client)))))
  (format t "closed; socket file exists: ~a~%" (not (null (probe-file path)))))

(unix-socket-demo
 (or (third *command-line-argument-list*)
     (format nil "~a/clove-unix-~a.sock" (string-right-trim "/" (or (getenv "TMPDIR") "/tmp"))
             (random 1000000 (make-random-state t)))))
