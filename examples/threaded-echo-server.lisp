;;;; threaded-echo-server.lisp — a line echo server that serves every client at once, each
;;;; in a process of its own, as CCL programs do it with process-run-function.
;;;; Usage: clove examples/threaded-echo-server.lisp PORT [CONNECTIONS]
;;;; PORT 0 picks a free port (printed). After CONNECTIONS clients (default 4) have come and
;;;; gone, the server prints how many lines it echoed and exits.

(defvar *lines* 0)
(defvar *lines-lock* (make-lock "lines"))

(defun serve-client (stream)
  (with-open-stream (s stream)
    (loop for line = (read-line s nil)
          while (and line (string/= (string-right-trim '(#\Return) line) "quit"))
          do (format s "echo: ~a~%" line)
             (finish-output s)
             (with-lock-grabbed (*lines-lock*) (incf *lines*)))))

(defun threaded-echo-server (port connections)
  (with-open-socket (listener :connect :passive :local-host "127.0.0.1" :local-port port
                              :reuse-address t)
    (format t "listening on ~a~%" (local-port listener))
    (finish-output)
    (let ((clients (loop repeat connections
                         collect (process-run-function "echo client" #'serve-client
                                                       (accept-connection listener)))))
      (mapc #'join-process clients)
      (format t "served ~d clients, ~d lines~%" connections *lines*))))

(let ((args (cddr *command-line-argument-list*)))
  (threaded-echo-server (parse-integer (or (first args) "4242"))
                        (parse-integer (or (second args) "4"))))
