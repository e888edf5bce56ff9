;;;; udp-echo.lisp — a UDP echo server and its client in one process, written as one
;;;; writes it for Clozure CL: SEND-TO and RECEIVE-FROM on loopback.
;;;; Usage: clove examples/udp-echo.lisp [MESSAGE...]

(defun octets (string) (map '(vector (unsigned-byte 8)) #'char-code string))
(defun text (octets n) (map 'string #'code-char (subseq octets 0 n)))

(defun udp-echo (messages)
  ;; Port 0: the system picks a free port, LOCAL-PORT tells which.
  (with-open-socket (server :type :datagram :local-host "127.0.0.1" :local-port 0 :input-timeout 5)
    ;; The client has a default peer (the server): SEND-TO needs no address.
    (with-open-socket (client :type :datagram :remote-host "127.0.0.1" :remote-port (local-port server)
                              :input-timeout 5)
      (format t "server on 127.0.0.1:~a, client on port ~a~%" (local-port server) (local-port client))
      (dolist (message messages)
        (send-to client (octets message) (length message))
        (format t "client sent ~s~%" message)
        ;; The server answers whoever sent the datagram.
        (multiple-value-bind (buf n host port) (receive-from server 1500)
          (format t "server got ~s from ~a:~a~%" (text buf n) (ipaddr-to-dotted host) port)
          (send-to server buf n :remote-host host :remote-port port))
        (multiple-value-bind (buf n) (receive-from client 1500)
          (format t "client got back ~s~%" (text buf n)))))))

(udp-echo (or (cddr *command-line-argument-list*) '("ping" "hello, udp")))
