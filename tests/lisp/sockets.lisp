;;;; sockets.lisp — CCL's socket API on loopback: a server and a client in one process,
;;;; the classes, the questions, every error path, and no descriptor leaks.

(defun free-port ()
  "A port nobody listens on: bound by a listener that is then closed."
  (with-open-socket (l :connect :passive :local-host "127.0.0.1" :local-port 0)
    (local-port l)))

(defmacro with-pair ((listener client server &rest client-args) &body body)
  `(let* ((,listener (make-socket :connect :passive :local-host "127.0.0.1" :local-port 0 :reuse-address t))
          (,client nil) (,server nil))
     (unwind-protect
          (progn
            (setq ,client (make-socket :remote-host "127.0.0.1" :remote-port (local-port ,listener) ,@client-args))
            (setq ,server (accept-connection ,listener))
            ,@body)
       (when ,client (close ,client :abort t))
       (when ,server (close ,server :abort t))
       (close ,listener))))

;;; ---- conversation ----

(deftest lines-both-ways
  (with-pair (l c s)
    (write-line "hello" c) (finish-output c)
    (let ((a (read-line s)))
      (format s "back ~a~%" a) (finish-output s)
      (list a (read-line c))))
  ("hello" "back hello"))

(deftest octets-both-ways
  (with-pair (l c s)
    (write-sequence (make-array 4 :element-type '(unsigned-byte 8) :initial-contents '(0 1 254 255)) c)
    (finish-output c)
    (let ((v (make-array 4 :element-type '(unsigned-byte 8))))
      (list (read-sequence v s) (coerce v 'list))))
  (4 (0 1 254 255)))

(deftest bivalent-mix
  (with-pair (l c s)
    (write-byte 65 c) (write-char #\B c) (write-string "C" c) (terpri c) (finish-output c)
    (list (read-char s) (read-byte s) (read-line s)))
  (#\A 66 "C"))

(deftest eof-after-peer-close
  (with-pair (l c s)
    (write-line "last" c) (close c) (setq c nil)
    (list (read-line s nil :eof) (read-line s nil :eof)))
  ("last" :eof))

(deftest shutdown-output
  (with-pair (l c s)
    (write-line "x" c) (finish-output c)
    (shutdown c :direction :output)
    (write-line "y" s) (finish-output s)
    (list (read-line s) (read-line s nil :eof) (read-line c)))
  ("x" :eof "y"))

(deftest accept-no-wait-empty
  (with-open-socket (l :connect :passive :local-host "127.0.0.1" :local-port 0)
    (accept-connection l :wait nil))
  nil)

(deftest accept-no-wait-pending
  (with-open-socket (l :connect :passive :local-host "127.0.0.1" :local-port 0)
    (with-open-socket (c :remote-host "127.0.0.1" :remote-port (local-port l))
      (let ((s nil))
        (dotimes (i 50) (unless s (setq s (accept-connection l :wait nil)) (unless s (sleep 0.01))))
        (prog1 (typep s 'ccl::tcp-stream) (when s (close s))))))
  t)

(deftest localhost-connects
  (with-open-socket (l :connect :passive :local-host "127.0.0.1" :local-port 0)
    (with-open-socket (c :remote-host "localhost" :remote-port (local-port l))
      (with-open-stream (s (accept-connection l))
        (write-line "hi" s) (finish-output s)
        (read-line c))))
  "hi")

(deftest ipv6-loopback
  (with-open-socket (l :connect :passive :address-family :internet6 :local-host "::1" :local-port 0)
    (with-open-socket (c :address-family :internet6 :remote-host "::1" :remote-port (local-port l))
      (with-open-stream (s (accept-connection l))
        (write-line "six" c) (finish-output c)
        (list (read-line s) (socket-address-family c) (length (remote-host c))))))
  ("six" :internet6 16))

(deftest with-open-socket-values
  (multiple-value-list (with-open-socket (l :connect :passive :local-port 0) (values 1 2)))
  (1 2))

(deftest with-open-socket-closes
  (let ((saved nil))
    (with-open-socket (l :connect :passive :local-port 0) (setq saved l))
    (socket-os-fd saved))
  nil)

(deftest text-format
  (with-pair (l c s :format :text)
    (list (socket-format c) (stream-element-type c) (socket-format s)))
  (:text character :bivalent))

(deftest external-format-crlf
  (with-pair (l c s :external-format '(:character-encoding :us-ascii :line-termination :crlf))
    (write-line "ab" c) (finish-output c)
    (list (read-byte s) (read-byte s) (read-byte s) (read-byte s)))
  (97 98 13 10))

(deftest input-timeout
  (with-pair (l c s :input-timeout 0.2)
    (handler-case (read-line c) (ccl::input-timeout () :timeout)))
  :timeout)

;;; ---- questions ----

(deftest questions
  (with-pair (l c s)
    (list (socket-connect c) (socket-connect l) (socket-type c) (socket-type l) (socket-format c)
          (socket-format l) (socket-address-family c) (ipaddr-to-dotted (local-host l))
          (= (remote-port c) (local-port l)) (= (local-port c) (remote-port s)) (remote-host l)
          (remote-port l) (integerp (socket-os-fd c)) (integerp (socket-os-fd l))))
  (:active :passive :stream :stream :bivalent :text :internet "127.0.0.1" t t nil nil t t))

(deftest closed-questions
  (let ((l (make-socket :connect :passive :local-port 0)))
    (list (close l) (close l) (socket-os-fd l) (local-port l)))
  (t t nil nil))

;;; ---- classes and printing ----

(deftest classes
  (with-pair (l c s)
    (list (type-of c) (type-of l) (class-name (class-of l)) (typep c 'stream) (typep l 'stream)
          (typep c 'ccl::socket) (typep l 'ccl::tcp-socket) (typep c 'ccl::ip-socket)
          (subtypep 'ccl::tcp-stream 'stream) (subtypep 'ccl::listener-socket 'stream)
          (streamp c) (streamp l) (open-stream-p c) (input-stream-p c) (output-stream-p c)))
  (ccl::tcp-stream ccl::listener-socket ccl::listener-socket t nil t t t t nil t nil t t t))

(deftest class-names-not-exported
  (list (nth-value 1 (find-symbol "TCP-STREAM" "CCL")) (nth-value 1 (find-symbol "LISTENER-SOCKET" "CCL"))
        (nth-value 1 (find-symbol "MAKE-SOCKET" "CCL")))
  (:internal :internal :external))

(deftest printing
  (with-pair (l c s)
    (let ((open (prin1-to-string c)))
      (close c)
      (list (subseq open 0 23) (search "(SOCKET/" open) (subseq (prin1-to-string c) 0 21)
            (subseq (prin1-to-string l) 0 18))))
  ("#<TCP-STREAM UTF-8 (SOC" 19 "#<TCP-STREAM :CLOSED " "#<LISTENER-SOCKET "))

;;; ---- errors ----

(deftest refused
  (handler-case (make-socket :remote-host "127.0.0.1" :remote-port (free-port))
    (socket-creation-error (e) (list (socket-creation-error-identifier e) (socket-creation-error-situation e)
                                     (search "Connection refused (error #111) during attempt to connect to 127.0.0.1:"
                                             (princ-to-string e)))))
  (:connection-refused "connect" 0))

(deftest refused-is-not-socket-error
  (handler-case (make-socket :remote-host "127.0.0.1" :remote-port (free-port))
    (socket-error () :socket-error)
    (error () :other))
  :other)

(deftest address-in-use
  (with-open-socket (l :connect :passive :local-host "127.0.0.1" :local-port 0)
    (handler-case (make-socket :connect :passive :local-host "127.0.0.1" :local-port (local-port l))
      (socket-creation-error (e) (list (socket-creation-error-identifier e) (socket-creation-error-code e)
                                       (princ-to-string e)))))
  (:address-in-use 98 "Address already in use (error #98) during socket creation operation in bind"))

(deftest-error bad-host-name (make-socket :remote-host "no-such-host.invalid" :remote-port 80) socket-creation-error)

(deftest bad-host-situation
  (handler-case (make-socket :remote-host "no-such-host.invalid" :remote-port 80)
    (socket-creation-error (e) (list (socket-creation-error-situation e)
                                     (not (null (search "during nameserver operation in getaddrinfo"
                                                        (princ-to-string e)))))))
  ("getaddrinfo" t))

(deftest accept-on-closed-listener
  (let ((l (make-socket :connect :passive :local-port 0)))
    (close l)
    (handler-case (accept-connection l) (socket-error (e) (socket-error-situation e))))
  "accept")

(deftest stream-function-on-listener
  (with-open-socket (l :connect :passive :local-port 0)
    (handler-case (read-line l)
      (type-error (e) (list (eq (type-error-datum e) l) (type-error-expected-type e)))))
  (t stream))

(deftest-error write-on-listener
  (with-open-socket (l :connect :passive :local-port 0) (write-string "x" l)) type-error)
(deftest-error unknown-keyword (make-socket :remote-hots "localhost") program-error)
(deftest-error bad-connect-keyword (make-socket :connect :sideways :local-port 0) type-error)
(deftest-error bad-timeout (make-socket :connect :passive :local-port 0 :input-timeout -1) type-error)
(deftest-error missing-remote (make-socket :remote-host "127.0.0.1") error)
(deftest-error accept-on-stream
  (with-pair (l c s) (accept-connection c)) type-error)
(deftest-error lookup-bad-arg (local-port 42) type-error)

(deftest write-to-gone-peer
  (with-pair (l c s)
    (close s :abort t) (setq s nil)
    (handler-case
        (dotimes (i 200 :no-error)
          (write-sequence (make-array 65536 :element-type '(unsigned-byte 8)) c)
          (finish-output c))
      ;; EPIPE (:unknown in CCL's table) or ECONNRESET, depending on timing: never SIGPIPE.
      (socket-error (e) (list (if (member (socket-error-code e) '(32 104)) :gone (socket-error-code e))
                              (eq (stream-error-stream e) c)
                              (if (eql (socket-error-code e) 32)
                                  (socket-error-identifier e)
                                  (if (eq (socket-error-identifier e) :connection-reset) :unknown :bad))))))
  (:gone t :unknown))

;;; ---- no descriptor leaks: the lowest free descriptor is the same before and after ----

(defun next-fd ()
  (with-open-socket (l :connect :passive :local-port 0) (socket-os-fd l)))

(deftest no-leak-failed-connects
  (let ((before (next-fd)) (port (free-port)))
    (dotimes (i 1000)
      (handler-case (make-socket :remote-host "127.0.0.1" :remote-port port) (socket-creation-error () nil)))
    (dotimes (i 20)
      (handler-case (make-socket :remote-host "no-such-host.invalid" :remote-port 80) (socket-creation-error () nil)))
    (with-open-socket (l :connect :passive :local-host "127.0.0.1" :local-port 0)
      (dotimes (i 20)
        (handler-case (make-socket :connect :passive :local-host "127.0.0.1" :local-port (local-port l))
          (socket-creation-error () nil))))
    (= before (next-fd)))
  t)

(deftest no-leak-connect-close-cycles
  (let ((before (next-fd)))
    (with-open-socket (l :connect :passive :local-host "127.0.0.1" :local-port 0 :backlog 16)
      (dotimes (i 2000)
        (let ((c (make-socket :remote-host "127.0.0.1" :remote-port (local-port l))))
          (close (accept-connection l))
          (close c))))
    (= before (next-fd)))
  t)

;;; ---- UDP ----

(defun octets (string) (map '(vector (unsigned-byte 8)) #'char-code string))
(defun text (octets &optional (n (length octets))) (map 'string #'code-char (subseq octets 0 n)))

(deftest udp-round-trip
  (with-open-socket (u :type :datagram :local-host "127.0.0.1" :local-port 0)
    (let ((sent (send-to u (octets "ping") 4 :remote-host "127.0.0.1" :remote-port (local-port u))))
      (multiple-value-bind (buf n host port) (receive-from u 1500)
        (list sent (text buf n) (length buf) (ipaddr-to-dotted host) (= port (local-port u))))))
  (4 "ping" 4 "127.0.0.1" t))

(deftest udp-questions
  (with-open-socket (u :type :datagram :local-port 0)
    (list (type-of u) (typep u 'stream) (typep u 'ccl::ip-socket) (socket-type u) (socket-connect u)
          (socket-format u) (socket-address-family u) (remote-port u)
          (subseq (prin1-to-string u) 0 14)))
  (CCL::UDP-SOCKET NIL T :DATAGRAM NIL :BINARY :INTERNET NIL "#<UDP-SOCKET 0"))

(deftest udp-default-peer
  (with-open-socket (s :type :datagram :local-host "127.0.0.1" :local-port 0)
    (with-open-socket (c :type :datagram :remote-host "127.0.0.1" :remote-port (local-port s))
      (send-to c (octets "hi") 2)
      (multiple-value-bind (buf n host port) (receive-from s 100)
        (list (socket-connect c) (text buf n) (= port (local-port c)) (= (remote-port c) (local-port s))
              (ipaddr-to-dotted host)))))
  (t "hi" t t "127.0.0.1"))

(deftest udp-ipv6
  (with-open-socket (s :type :datagram :address-family :internet6 :local-host "::1" :local-port 0)
    (with-open-socket (c :type :datagram :remote-host "::1" :remote-port (local-port s))
      (send-to c (octets "six") 3)
      (multiple-value-bind (buf n host) (receive-from s 100)
        (list (socket-address-family s) (socket-address-family c) (text buf n) (coerce host 'list)))))
  (:internet6 :internet6 "six" (0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 1)))

(deftest udp-truncates
  (with-open-socket (u :type :datagram :local-host "127.0.0.1" :local-port 0)
    (send-to u (octets "hello world") 11 :remote-host "127.0.0.1" :remote-port (local-port u))
    (send-to u (octets "next") 4 :remote-host "127.0.0.1" :remote-port (local-port u))
    (multiple-value-bind (b1 n1) (receive-from u 5)
      (multiple-value-bind (b2 n2) (receive-from u 100)
        (list (text b1) n1 (text b2) n2))))
  ("hello" 5 "next" 4))

(deftest udp-buffer-offset-extract
  (with-open-socket (u :type :datagram :local-host "127.0.0.1" :local-port 0)
    (let ((b (make-array 8 :element-type '(unsigned-byte 8) :initial-element 0))
          (port (local-port u)))
      (send-to u (octets "xabcx") 3 :offset 1 :remote-host "127.0.0.1" :remote-port port)
      (let ((r1 (multiple-value-list (receive-from u 5 :buffer b :offset 2))))
        (send-to u (octets "xyz") 3 :remote-host "127.0.0.1" :remote-port port)
        (let ((r2 (multiple-value-list (receive-from u 5 :buffer b :offset 2 :extract t))))
          (list (eq (first r1) b) (second r1) (coerce b 'list) (text (first r2)) (second r2))))))
  (t 3 (0 0 120 121 122 0 0 0) "xyz" 3))

(deftest udp-input-timeout
  (with-open-socket (u :type :datagram :local-host "127.0.0.1" :local-port 0 :input-timeout 0.1)
    (handler-case (receive-from u 10)
      (ccl::input-timeout (e) (list :timeout (eq (stream-error-stream e) u)))))
  (:timeout t))

(deftest udp-no-destination
  (with-open-socket (u :type :datagram :local-port 0)
    (handler-case (send-to u (octets "x") 1)
      (socket-error (e) (list (socket-error-situation e) (socket-error-code e) (princ-to-string e)))))
  ("sendto" 89 "Destination address required (error #89) during sendto"))

(deftest udp-bad-buffer
  (with-open-socket (u :type :datagram :local-port 0)
    (handler-case (send-to u "abc" 3 :remote-host "127.0.0.1" :remote-port 9)
      (type-error (e) (list (type-error-datum e) (type-error-expected-type e)))))
  ("abc" (or (array (unsigned-byte 8)) (array (signed-byte 8)))))

(deftest udp-short-buffer
  (with-open-socket (u :type :datagram :local-port 0)
    (handler-case (send-to u (octets "abc") 3 :offset 1 :remote-host "127.0.0.1" :remote-port 9)
      (type-error (e) (list (type-error-datum e) (type-error-expected-type e)))))
  (3 (integer 0 2)))

(deftest udp-closed
  (let ((u (make-socket :type :datagram :local-port 0)))
    (list (close u) (socket-os-fd u)
          (handler-case (send-to u (octets "x") 1 :remote-host "127.0.0.1" :remote-port 9)
            (socket-error (e) (socket-error-situation e)))
          (handler-case (receive-from u 10) (socket-error (e) (socket-error-code e)))))
  (t nil "sendto" 9))

(deftest-error udp-stream-function (with-open-socket (u :type :datagram :local-port 0) (read-byte u)) type-error)
(deftest-error send-to-tcp-listener
  (with-open-socket (l :connect :passive :local-port 0) (send-to l (octets "x") 1)) type-error)

(deftest udp-broadcast-option
  (with-open-socket (u :type :datagram :local-port 0 :broadcast t) (socket-type u))
  :datagram)

(deftest no-leak-udp
  (let ((before (next-fd)))
    (dotimes (i 50) (close (make-socket :type :datagram :local-port 0)))
    (with-open-socket (u :type :datagram :local-host "127.0.0.1" :local-port 0)
      (dotimes (i 20)
        (handler-case (make-socket :type :datagram :local-host "127.0.0.1" :local-port (local-port u))
          (socket-creation-error () nil))))
    (= before (next-fd)))
  t)

;;; ---- Unix-domain (file) sockets, in a fresh directory removed afterwards ----

(defvar *sock-dir*
  (format nil "~a/clove-sock-~a-~a/" (string-right-trim "/" (or (getenv "TMPDIR") "/tmp"))
          (get-universal-time) (random 1000000 (make-random-state t))))

(defmacro with-sock-dir ((path) &body body)
  `(let ((,path (concatenate 'string *sock-dir* "s")))
     (ensure-directories-exist *sock-dir*)
     (unwind-protect (progn ,@body)
       (when (probe-file ,path) (delete-file ,path))
       (delete-directory *sock-dir*))))

(deftest file-round-trip
  (with-sock-dir (path)
    (with-open-socket (l :address-family :file :connect :passive :local-filename path)
      (with-open-socket (c :address-family :file :remote-filename path)
        (with-open-stream (s (accept-connection l))
          (write-line "hello unix" c) (finish-output c)
          (let ((a (read-line s)))
            (format s "back~%") (finish-output s)
            (list a (read-line c)))))))
  ("hello unix" "back"))

(deftest file-questions
  (with-sock-dir (path)
    (with-open-socket (l :address-family :file :connect :passive :local-filename path)
      (with-open-socket (c :address-family :file :remote-filename path)
        (with-open-stream (s (accept-connection l))
          (list (type-of l) (type-of c) (type-of s) (typep c 'stream) (typep l 'stream)
                (typep l 'ccl::stream-file-socket) (typep c 'ccl::file-socket)
                (equal (local-filename l) path) (equal (remote-filename c) path) (local-filename c)
                (equal (local-filename s) path) (remote-filename s) (remote-filename l)
                (socket-address-family l) (socket-address-family c) (socket-connect l) (socket-connect c)
                (socket-type l) (local-port c) (subseq (prin1-to-string c) 0 21)
                (subseq (prin1-to-string l) 0 23))))))
  (ccl::file-listener-socket ccl::file-socket-stream ccl::file-socket-stream t nil t t t t nil t nil nil
   :file :file :passive :active :stream nil "#<FILE-SOCKET-STREAM " "#<FILE-LISTENER-SOCKET "))

(deftest file-listener-close-deletes
  (with-sock-dir (path)
    (let ((l (make-socket :address-family :file :connect :passive :local-filename path)))
      (list (not (null (probe-file path))) (close l) (probe-file path) (close l) (local-filename l))))
  (t t nil t nil))

(deftest file-path-exists
  (with-sock-dir (path)
    (with-open-socket (l :address-family :file :connect :passive :local-filename path)
      (handler-case (make-socket :address-family :file :connect :passive :local-filename path)
        (socket-creation-error (e) (list (socket-creation-error-identifier e) (socket-creation-error-situation e))))))
  (:address-in-use "bind"))

(deftest file-accept-no-wait
  (with-sock-dir (path)
    (with-open-socket (l :address-family :file :connect :passive :local-filename path)
      (accept-connection l :wait nil)))
  nil)

(deftest file-connect-missing
  (with-sock-dir (path)
    (handler-case (make-socket :address-family :file :remote-filename path)
      (socket-creation-error (e) (list (socket-creation-error-identifier e) (socket-creation-error-situation e)
                                       (socket-creation-error-code e)))))
  (:unknown "connect" 2))

(deftest file-missing-keys
  (list (handler-case (make-socket :address-family :file) (error (e) (princ-to-string e)))
        (handler-case (make-socket :address-family :file :connect :passive) (error (e) (princ-to-string e))))
  ("need :remote-filename argument to create client file stream socket"
   "need :local-filename argument to create server file stream socket"))

(deftest file-datagram
  (handler-case (make-socket :address-family :file :type :datagram :local-filename "/tmp/x")
    (simple-error (e) (princ-to-string e)))
  "Datagram file sockets aren't implemented.")

(deftest-error filename-of-udp (with-open-socket (u :type :datagram) (local-filename u)) type-error)

(deftest no-leak-file
  (with-sock-dir (path)
    (let ((before (next-fd)))
      (with-open-socket (l :address-family :file :connect :passive :local-filename path)
        (dotimes (i 20)
          (handler-case (make-socket :address-family :file :connect :passive :local-filename path)
            (socket-creation-error () nil)))
        (dotimes (i 20) (close (make-socket :address-family :file :remote-filename path)) (close (accept-connection l))))
      (dotimes (i 20)
        (handler-case (make-socket :address-family :file :remote-filename path) (socket-creation-error () nil)))
      (= before (next-fd))))
  t)

;;; ---- OPENMCL-SOCKET, stream timeouts ----

(deftest openmcl-socket-package
  (list (eq 'openmcl-socket:make-socket 'make-socket) (eq 'openmcl-socket:send-to 'ccl:send-to)
        (nth-value 1 (find-symbol "WITH-OPEN-SOCKET" "OPENMCL-SOCKET"))
        (nth-value 1 (find-symbol "LOCAL-FILENAME" "OPENMCL-SOCKET"))
        (mapcar #'package-name (package-use-list "OPENMCL-SOCKET")))
  (t t :external :external ("COMMON-LISP")))

(deftest openmcl-socket-usable
  (let ((p (make-package (format nil "CLOVE-OMS-~a" (random 1000000 (make-random-state t)))
                         :use '("COMMON-LISP" "OPENMCL-SOCKET"))))
    (prog1 (list (eq (find-symbol "ACCEPT-CONNECTION" p) 'accept-connection)
                 (eq (find-symbol "SOCKET-ERROR" p) 'socket-error))
      (delete-package p)))
  (t t))

(deftest stream-timeouts-on-tcp
  (with-pair (l c s :input-timeout 3 :output-timeout 2.6)
    (list (stream-input-timeout c) (stream-output-timeout c) (stream-deadline c) (stream-input-timeout s)
          (setf (stream-input-timeout c) 0.1)
          (handler-case (read-line c) (ccl::input-timeout () :timeout))
          (setf (stream-input-timeout c) nil) (stream-input-timeout c)))
  (3 2 nil nil 0.1 :timeout nil nil))

(deftest stream-timeouts-inherited
  (with-open-socket (l :connect :passive :local-host "127.0.0.1" :local-port 0 :input-timeout 4)
    (with-open-socket (c :remote-host "127.0.0.1" :remote-port (local-port l))
      (with-open-stream (s (accept-connection l))
        (list (stream-input-timeout l) (stream-input-timeout s) (stream-input-timeout c)))))
  (4 4 nil))

(deftest stream-deadline-round-trip
  (with-open-socket (u :type :datagram :local-host "127.0.0.1" :local-port 0)
    (let ((d (+ (get-internal-real-time) (* 5 internal-time-units-per-second))))
      (list (stream-deadline u) (= (setf (stream-deadline u) d) d) (= (stream-deadline u) d)
            (progn (setf (stream-deadline u) (+ (get-internal-real-time) 100000))
                   (handler-case (receive-from u 10)
                     (ccl::communication-deadline-expired () :expired))))))
  (nil t t :expired))

(deftest udp-timeout-accessors
  (with-open-socket (u :type :datagram :local-port 0 :input-timeout 1)
    (list (stream-input-timeout u) (stream-output-timeout u)))
  (1 nil))

(deftest-error stream-timeout-bad-value
  (with-open-socket (u :type :datagram :local-port 0) (setf (stream-input-timeout u) 0)) type-error)
(deftest-error stream-timeout-not-stream (stream-input-timeout 3) type-error)

;;; ---- printing and describe ----

(defun prefixp (prefix string) (and (<= (length prefix) (length string)) (string= prefix string :end2 (length prefix))))
(defun containsp (part string) (and (search part string) t))

(deftest print-listener
  (with-open-socket (l :connect :passive :local-host "127.0.0.1" :local-port 0)
    (let ((text (prin1-to-string l)))
      (list (prefixp "#<LISTENER-SOCKET " text)
            (containsp (format nil " 127.0.0.1:~d #x" (local-port l)) text)
            (char= #\> (char text (1- (length text)))))))
  (t t t))

(deftest print-closed-sockets
  (let ((l (make-socket :connect :passive :local-host "127.0.0.1" :local-port 0))
        (u (make-socket :type :datagram :local-host "127.0.0.1" :local-port 0)))
    (close l) (close u)
    (list (prefixp "#<LISTENER-SOCKET :CLOSED #x" (prin1-to-string l))
          (prefixp "#<UDP-SOCKET :CLOSED #x" (princ-to-string u))))
  (t t))

(deftest print-udp
  (with-open-socket (u :type :datagram :local-host "127.0.0.1" :local-port 0)
    (with-open-socket (v :type :datagram :remote-host "127.0.0.1" :remote-port (local-port u))
      (let ((tu (prin1-to-string u)) (tv (prin1-to-string v)))
        (list (prefixp (format nil "#<UDP-SOCKET 127.0.0.1:~d #x" (local-port u)) tu)
              (prefixp "#<UDP-SOCKET 127.0.0.1:" tv)
              (containsp (format nil " -> 127.0.0.1:~d #x" (local-port u)) tv)))))
  (t t t))

(deftest print-file-listener
  (with-sock-dir (path)
    (with-open-socket (l :address-family :file :connect :passive :local-filename path)
      (prefixp (format nil "#<FILE-LISTENER-SOCKET ~s #x" path) (prin1-to-string l))))
  t)

(deftest-error print-listener-readably
  (with-open-socket (l :connect :passive :local-host "127.0.0.1" :local-port 0)
    (let ((*print-readably* t)) (prin1-to-string l)))
  print-not-readable)

(defun describe-text (x) (with-output-to-string (s) (describe x s)))

(deftest describe-listener
  (with-open-socket (l :connect :passive :local-host "127.0.0.1" :local-port 0)
    (let ((d (describe-text l)))
      (list (containsp "Class: #<STANDARD-CLASS CCL::LISTENER-SOCKET>" d)
            (containsp "Address family: :INTERNET" d)
            (containsp (format nil "Local endpoint: 127.0.0.1:~d" (local-port l)) d)
            (containsp "Remote endpoint: none" d)
            (containsp (format nil "File descriptor: ~d" (socket-os-fd l)) d)
            (containsp "Format: :TEXT" d)
            (containsp "Open: T" d))))
  (t t t t t t t))

(deftest describe-closed-udp
  (let ((u (make-socket :type :datagram :local-host "127.0.0.1" :local-port 0)))
    (close u)
    (let ((d (describe-text u)))
      (list (containsp "Class: #<STANDARD-CLASS CCL::UDP-SOCKET>" d) (containsp "Open: NIL" d)
            (containsp "File descriptor: NIL" d) (containsp "Format: :BINARY" d)
            (containsp "Local endpoint: none" d))))
  (t t t t t))

(deftest describe-tcp-stream
  (with-pair (l c s)
    (let ((d (describe-text c)))
      (list (containsp "Class: #<STANDARD-CLASS CCL::TCP-STREAM>" d)
            (containsp (format nil "Remote endpoint: 127.0.0.1:~d" (local-port l)) d)
            (containsp (format nil "Local endpoint: 127.0.0.1:~d" (local-port c)) d)
            (containsp "Format: :BIVALENT" d) (containsp "Open: T" d)
            (containsp (format nil "File descriptor: ~d" (socket-os-fd c)) d))))
  (t t t t t t))

(deftest describe-file-sockets
  (with-sock-dir (path)
    (with-open-socket (l :address-family :file :connect :passive :local-filename path)
      (with-open-socket (c :address-family :file :remote-filename path)
        (let ((dl (describe-text l)) (dc (describe-text c)))
          (list (containsp "CCL::FILE-LISTENER-SOCKET" dl) (containsp "Address family: :FILE" dl)
                (containsp (format nil "Local endpoint: ~s" path) dl)
                (containsp "CCL::FILE-SOCKET-STREAM" dc) (containsp (format nil "Remote endpoint: ~s" path) dc))))))
  (t t t t t))

;;; ---- socket addresses ----

(deftest resolve-address-ip4
  (let ((a (resolve-address :host "127.0.0.1" :port 80)))
    (list (prin1-to-string a) (socket-address-host a) (socket-address-port a) (socket-address-family a)
          (type-of a) (typep a 'ccl::socket-address) (typep a 'ccl::ip-socket-address)))
  ("#<IP4-SOCKET-ADDRESS 127.0.0.1:80>" 2130706433 80 :internet ccl::ip4-socket-address t t))

(deftest resolve-address-ip6
  (let ((a (resolve-address :host "::1" :port "http" :address-family :internet6)))
    (list (prin1-to-string a) (coerce (socket-address-host a) 'list) (socket-address-port a)
          (socket-address-family a)))
  ("#<IP6-SOCKET-ADDRESS [::1]:80>" (0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 1) 80 :internet6))

(deftest resolve-address-variants
  (list (prin1-to-string (resolve-address :connect :passive :port 8080 :address-family :internet))
        (prin1-to-string (resolve-address :host 2130706433 :port :http))
        (every (lambda (a) (typep a 'ccl::ip-socket-address))
               (resolve-address :host "localhost" :port 80 :singlep nil))
        (listp (resolve-address :host "127.0.0.1" :port 80 :singlep nil))
        (socket-address-port (resolve-address :host "127.0.0.1" :port "80" :numeric-host-p t :numeric-service-p t))
        (multiple-value-bind (a code) (resolve-address :host "no-such-host.invalid" :port 80 :errorp nil)
          (list a (integerp code))))
  ("#<IP4-SOCKET-ADDRESS 0.0.0.0:8080>" "#<IP4-SOCKET-ADDRESS 127.0.0.1:80>" t t 80 (nil t)))

(deftest-error resolve-address-fails
  (resolve-address :host "no-such-host.invalid" :port 80) socket-creation-error)
(deftest-error resolve-address-bad-family (resolve-address :host "127.0.0.1" :address-family :file) type-error)

(deftest local-remote-socket-address
  (with-pair (l c s)
    (let ((la (local-socket-address l)) (ra (remote-socket-address c)) (sa (remote-socket-address s)))
      (list (string= (prin1-to-string la) (format nil "#<IP4-SOCKET-ADDRESS 127.0.0.1:~d>" (local-port l)))
            (remote-socket-address l)
            (string= (prin1-to-string ra) (prin1-to-string la))
            (= (socket-address-port sa) (local-port c))
            (socket-address-host (local-socket-address c))
            (let ((u (make-socket :type :datagram :local-host "127.0.0.1" :local-port 0)))
              (close u)
              (local-socket-address u)))))
  (t nil t t 2130706433 nil))

(deftest file-socket-addresses
  (with-sock-dir (path)
    (with-open-socket (l :address-family :file :connect :passive :local-filename path)
      (let ((a (local-socket-address l)))
        (with-open-socket (c :remote-address a)
          (with-open-stream (s (accept-connection l))
            (write-line "via address" c) (finish-output c)
            (list (string= (prin1-to-string a) (format nil "#<UNIX-SOCKET-ADDRESS ~s>" path))
                  (string= (socket-address-path a) path) (socket-address-family a)
                  (string= (socket-address-path (remote-socket-address c)) path)
                  (read-line s)))))))
  (t t :file t "via address"))

(deftest make-socket-with-addresses
  (with-open-socket (l :connect :passive
                       :local-address (resolve-address :host "127.0.0.1" :port 0 :connect :passive))
    (with-open-socket (c :remote-address (local-socket-address l)
                         :local-address (resolve-address :host "127.0.0.1" :port 0))
      (with-open-stream (s (accept-connection l))
        (write-line "hi" c) (finish-output c)
        (list (read-line s) (= (remote-port c) (local-port l))
              (= (remote-port s) (local-port c))))))
  ("hi" t t))

(deftest udp-addresses
  (with-open-socket (u :type :datagram :local-host "127.0.0.1" :local-port 0)
    (with-open-socket (v :type :datagram :local-address (resolve-address :host "127.0.0.1" :port 0 :socket-type :datagram))
      (let ((data (make-array 3 :element-type '(unsigned-byte 8) :initial-contents '(7 8 9))))
        (list (send-to v data 3 :remote-address (local-socket-address u))
              (multiple-value-bind (buf n from) (receive-from u 10 :want-socket-address-p t)
                (list (coerce buf 'list) n (type-of from) (= (socket-address-port from) (local-port v))
                      (socket-address-host from)))
              (length (multiple-value-list (receive-from (progn (send-to v data 1 :remote-address (local-socket-address u)) u)
                                                         10 :want-socket-address-p t)))))))
  (3 ((7 8 9) 3 ccl::ip4-socket-address t 2130706433) 3))

(deftest-error send-to-bad-address
  (with-open-socket (u :type :datagram :local-host "127.0.0.1" :local-port 0)
    (send-to u (make-array 1 :element-type '(unsigned-byte 8)) 1 :remote-address 42))
  type-error)

(deftest-error socket-address-family-bad (socket-address-family 42) type-error)

(deftest socket-address-exports
  (mapcar (lambda (name)
            (list (nth-value 1 (find-symbol name "CCL")) (nth-value 1 (find-symbol name "OPENMCL-SOCKET"))))
          '("RESOLVE-ADDRESS" "LOCAL-SOCKET-ADDRESS" "REMOTE-SOCKET-ADDRESS" "SOCKET-ADDRESS-HOST"
            "SOCKET-ADDRESS-PORT" "SOCKET-ADDRESS-PATH" "SOCKET-ADDRESS-FAMILY"))
  ((:external :external) (:external :external) (:external :external) (:external :external)
   (:external :external) (:external :external) (:external :external)))

(deftest socket-address-class-names-internal
  (list (nth-value 1 (find-symbol "SOCKET-ADDRESS" "CCL")) (nth-value 1 (find-symbol "IP4-SOCKET-ADDRESS" "CCL")))
  (:internal :internal))

;;; CCL's #$ constants and the setsockopt helpers its examples use
(deftest os-constant.socket (list #$SOL_SOCKET #$SO_REUSEADDR #$SO_RCVTIMEO #$IPPROTO_TCP #$TCP_NODELAY) (1 2 20 6 1))
(deftest os-constant.errno (list #$EINTR #$ECONNREFUSED #$EADDRINUSE) (4 111 98))
(deftest os-constant.unknown
  (handler-case (read-from-string "#$NO_SUCH_THING") (error (c) (princ-to-string c)))
  "Constant not found: NO_SUCH_THING")
(deftest os-constant.case-kept
  (handler-case (read-from-string "#$sol_socket") (error (c) (princ-to-string c)))
  "Constant not found: sol_socket")
(deftest os-constant.suppressed (read-from-string "(#+nil #$NO_SUCH_THING 1)") (1))
(deftest socket-device.timeval-setsockopt
  (with-open-socket (l :connect :passive :local-host "127.0.0.1" :local-port 0)
    (with-open-socket (c :remote-host "127.0.0.1" :remote-port (local-port l))
      (list (= (ccl::socket-device c) (socket-os-fd c))
            (ccl::timeval-setsockopt (ccl::socket-device c) #$SOL_SOCKET #$SO_RCVTIMEO 0.25)
            (ccl::int-setsockopt (ccl::socket-device c) #$SOL_SOCKET #$SO_KEEPALIVE 1))))
  (t 0 0))
(deftest timeval-setsockopt.bad-fd
  (handler-case (ccl::timeval-setsockopt 100000 #$SOL_SOCKET #$SO_RCVTIMEO 1)
    (socket-error (c) (list (socket-error-identifier c) (socket-error-situation c))))
  (:unknown "setsockopt")) ; CCL's identifier table has no EBADF
(deftest-error timeval-setsockopt.bad-seconds (ccl::timeval-setsockopt 0 #$SOL_SOCKET #$SO_RCVTIMEO -1) type-error)
(deftest socket-device.closed
  (let ((l (make-socket :connect :passive :local-host "127.0.0.1" :local-port 0)))
    (close l)
    (ccl::socket-device l))
  nil)
