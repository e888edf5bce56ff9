;;;; http-get.lisp — an HTTP/1.0 client written as one writes it for Clozure CL: sends a GET,
;;;; then prints the status line, the headers and the body the server answers.
;;;; Usage: clove examples/http-get.lisp [HOST [PORT [PATH]]]     (default localhost 80 /)

(defun read-crlf-line (stream)
  "A line of the HTTP header without its CR; NIL at end of file."
  (let ((line (read-line stream nil)))
    (and line (string-right-trim '(#\Return) line))))

(defun http-get (host port path)
  (with-open-socket (s :remote-host host :remote-port port :connect-timeout 5 :input-timeout 10)
    (format t "connected to ~a:~d~%" host port)
    ;; HTTP/1.0: the server closes the connection after its answer, so EOF ends the body.
    (format s "GET ~a HTTP/1.0~C~CHost: ~a~C~C~C~C"
            path #\Return #\Linefeed host #\Return #\Linefeed #\Return #\Linefeed)
    (finish-output s)
    (format t "status: ~a~%" (read-crlf-line s))
    (loop for line = (read-crlf-line s)
          while (and line (string/= line ""))
          do (format t "header: ~a~%" line))
    (format t "body:~%")
    (loop for line = (read-line s nil)
          while line
          do (write-line line))))

(let ((args (cddr *command-line-argument-list*)))
  (http-get (or (first args) "localhost")
            (parse-integer (or (second args) "80"))
            (or (third args) "/")))
