;;;; binary-protocol.lisp — length-prefixed frames in octet vectors, written as one writes it
;;;; for Clozure CL: a 4-byte big-endian length, then the payload, with WRITE-SEQUENCE and
;;;; READ-SEQUENCE. Server and client run in one process over loopback.
;;;; Usage: clove examples/binary-protocol.lisp [MESSAGE...]

(deftype octets () '(vector (unsigned-byte 8)))

(defun write-frame (stream payload)
  (let ((header (make-array 4 :element-type '(unsigned-byte 8)))
        (n (length payload)))
    (dotimes (i 4)                      ; big-endian: most significant byte first
      (setf (aref header i) (ldb (byte 8 (* 8 (- 3 i))) n)))
    (write-sequence header stream)
    (write-sequence payload stream)
    (finish-output stream)))

(defun read-exactly (stream n)
  "N octets from STREAM, or NIL if the peer closed first."
  (let* ((buffer (make-array n :element-type '(unsigned-byte 8)))
         (got (read-sequence buffer stream)))
    (and (= got n) buffer)))

(defun read-frame (stream)
  "The next frame's payload, or NIL at end of file."
  (let ((header (read-exactly stream 4)))
    (and header
         (read-exactly stream (reduce (lambda (n octet) (+ (* n 256) octet)) header
                                      :initial-value 0)))))

(defun show (octets)
  (if (<= (length octets) 16)
      (format nil "~s" octets)
      (format nil "~d octets, sum ~d" (length octets) (reduce #'+ octets))))

(defun binary-protocol-demo (payloads)
  (with-open-socket (listener :connect :passive :local-host "127.0.0.1" :local-port 0)
    ;; The client's connection waits in the listener's backlog until it is accepted.
    (with-open-socket (client :remote-host "127.0.0.1" :remote-port (local-port listener)
                              :format :binary :input-timeout 5)
      (with-open-stream (server (accept-connection listener))
        (format t "client ~a -> server port ~d, element type ~s~%"
                (local-port client) (local-port listener) (stream-element-type client))
        (dolist (payload payloads)
          (write-frame client payload)
          (let ((frame (read-frame server)))
            (format t "server got frame: ~a~%" (show frame))
            (write-frame server (reverse frame)))   ; the server answers the payload reversed
          (format t "client got back:  ~a~%" (show (read-frame client))))
        ;; Closing our side: the server's next READ-FRAME sees end of file.
        (close client)
        (format t "after close, server reads ~s~%" (read-frame server))))))

(binary-protocol-demo
 (append (mapcar (lambda (text) (encode-string-to-octets text :external-format :utf-8))
                 (or (cddr *command-line-argument-list*) '("hello" "λ")))
         (list (make-array 0 :element-type '(unsigned-byte 8))
               (coerce #(0 1 2 255) 'octets)
               (let ((big (make-array 70000 :element-type '(unsigned-byte 8))))
                 (dotimes (i 70000 big) (setf (aref big i) (mod i 251)))))))
