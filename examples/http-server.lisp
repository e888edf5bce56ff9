;;;; http-server.lisp — a tiny HTTP/1.0 server written as one writes it for Clozure CL:
;;;; GET / answers a small HTML page, anything else 404; every answer has a Content-Length.
;;;; Usage: clove examples/http-server.lisp [PORT [MAX-REQUESTS]]
;;;; PORT 0 (the default) lets the system choose; the port in use is printed. Without
;;;; MAX-REQUESTS it serves until interrupted. Try: curl -i http://127.0.0.1:PORT/

(defparameter *crlf* (format nil "~C~C" #\Return #\Linefeed))

(defun read-request (stream)
  "Reads the request line and the headers up to the blank line; returns the request line."
  (let ((request (string-right-trim '(#\Return) (or (read-line stream nil) ""))))
    (loop for line = (read-line stream nil)
          while (and line (string/= (string-right-trim '(#\Return) line) "")))
    request))

(defun respond (stream status body)
  ;; HTTP wants CRLF line ends, and Content-Length counts octets, not characters.
  (format stream "HTTP/1.0 ~a~a" status *crlf*)
  (format stream "Content-Type: text/html; charset=utf-8~a" *crlf*)
  (format stream "Content-Length: ~d~a"
          (length (encode-string-to-octets body :external-format :utf-8)) *crlf*)
  (format stream "Connection: close~a~a" *crlf* *crlf*)
  (write-string body stream)
  (finish-output stream))

(defun words (line)
  (loop for start = 0 then (1+ end)
        for end = (position #\Space line :start start)
        collect (subseq line start end)
        while end))

(defun handle (stream)
  (let ((request (read-request stream)))
    (destructuring-bind (&optional method path &rest version) (words request)
      (declare (ignore version))
      (let ((found (and (equal method "GET") (equal path "/"))))
        (if found
            (respond stream "200 OK"
                     (format nil "<html><body><h1>Hello from ~a</h1></body></html>~%"
                             (lisp-implementation-type)))
            (respond stream "404 Not Found"
                     (format nil "<html><body><h1>Not found: ~a</h1></body></html>~%" (or path ""))))
        (format t "~a -> ~a~%" request (if found 200 404))
        (finish-output)))))

(defun http-server (port max-requests)
  (with-open-socket (listener :connect :passive :local-host "127.0.0.1" :local-port port
                              :reuse-address t)
    (format t "listening on http://127.0.0.1:~d/~%" (local-port listener))
    (finish-output)
    (loop for served from 0
          while (or (null max-requests) (< served max-requests))
          do (with-open-stream (s (accept-connection listener))
               ;; A client that connects and says nothing must not hang the server.
               (setf (stream-input-timeout s) 10)
               (handler-case (handle s)
                 (error (e) (format t "request failed: ~a~%" e)))))
    (format t "served ~d requests, bye~%" max-requests)))

(let ((args (cddr *command-line-argument-list*)))
  (http-server (parse-integer (or (first args) "0"))
               (and (second args) (parse-integer (second args)))))
