;;;; echo-server.lisp — a line echo server written as one writes it for Clozure CL.
;;;; Usage: clove examples/echo-server.lisp PORT [CONNECTIONS]
;;;; Serves CONNECTIONS clients (default 1) one after another: each line a client sends
;;;; comes back prefixed with "echo: "; the line "quit" ends that client's session.

(defun serve-client (stream)
  (loop for line = (read-line stream nil)
        while (and line (string/= (string-right-trim '(#\Return) line) "quit"))
        do (format stream "echo: ~a~%" line)
           (finish-output stream))
  (format stream "bye~%")
  (finish-output stream))

(defun echo-server (port connections)
  (with-open-socket (listener :connect :passive :local-host "127.0.0.1" :local-port port
                              :reuse-address t)
    (format t "listening on ~a~%" (local-port listener))
    (finish-output)
    (dotimes (i connections)
      (with-open-stream (s (accept-connection listener))
        (serve-client s)))))

(let ((args (cddr *command-line-argument-list*)))
  (echo-server (parse-integer (or (first args) "4242"))
               (parse-integer (or (second args) "1"))))
