;;;; echo-client.lisp — sends lines to an echo server and prints what comes back.
;;;; Usage: clove examples/echo-client.lisp PORT [HOST]
;;;; Works against any echo service, e.g. socat TCP-LISTEN:PORT,reuseaddr EXEC:cat

(defun echo-client (host port lines)
  (with-open-socket (s :remote-host host :remote-port port :connect-timeout 5 :input-timeout 5)
    (dolist (line lines)
      (write-line line s)
      (finish-output s)
      (format t "~a~%" (read-line s)))))

(let ((args (cddr *command-line-argument-list*)))
  (echo-client (or (second args) "localhost")
               (parse-integer (or (first args) "4242"))
               '("hello" "from clove" "λ unicode")))
