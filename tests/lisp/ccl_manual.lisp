;;;; ccl_manual.lisp — CCL's manual, chapter "Programming with Sockets" (doc/manual/sockets.ccldoc in
;;;; CCL's sources), example by example: each form the chapter shows, and each result it promises,
;;;; run as written over the loopback interface (port 0, so the OS picks a free port).
;;;;
;;;; The chapter has no code listings: its examples are the calls in the Overview ("Created by
;;;; (make-socket :type :stream :connect :passive ...)") and the arguments and results each entry
;;;; of the Sockets Dictionary describes. A "..." in the manual is filled in with loopback
;;;; arguments; host names that need DNS (clozure.com) are replaced by "localhost".
;;;;
;;;; Where the manual and CCL itself disagree, Clove does what CCL does, and the test says so:
;;;;  - SOCKET-ERROR is a subclass of SIMPLE-STREAM-ERROR in CCL, not of SIMPLE-ERROR;
;;;;  - LOOKUP-PORT lower-cases a string port too ("strings are case-sensitive", says the manual);
;;;;  - RESOLVE-ADDRESS's keyword is :NUMERIC-SERVICE-P (the signature line), not :NUMERIC-PORT-P;
;;;;  - MAKE-SOCKET's "remote" argument is :REMOTE-ADDRESS (the signature line);
;;;;  - a stream socket's default :FORMAT is :BIVALENT, not :TEXT, and SOCKET-FORMAT of one made
;;;;    with :FORMAT :BINARY is :BIVALENT too (stream sockets are always bivalent, says the manual);
;;;;  - SOCKET-CONNECT of a UDP socket is NIL until it is connected (to a default peer), then T;
;;;;  - STREAM-INPUT-TIMEOUT reads back whole seconds (CCL floors the milliseconds it keeps).
;;;; Where the manual documents something CCL rejects, Clove does what the manual says:
;;;;  - SEND-TO takes :REMOTE (a socket-address), besides CCL's :REMOTE-ADDRESS;
;;;;  - SOCKET-ADDRESS-HOST of a :FILE address is its file name.

(defun manual-listener (&rest args)
  (apply #'make-socket :connect :passive :local-host "127.0.0.1" :local-port 0 args))

(defun manual-octets (&rest bytes)
  (make-array (length bytes) :element-type '(unsigned-byte 8) :initial-contents bytes))

;; EQUAL does not look into vectors: results are compared with their octet vectors as lists.
(defun manual-plain (x)
  (cond ((stringp x) x)
        ((vectorp x) (coerce x 'list))
        ((consp x) (cons (manual-plain (car x)) (manual-plain (cdr x))))
        (t x)))

(defvar *manual-file-counter* 0)
(defun manual-socket-file ()
  (format nil "/tmp/clove-manual-~D-~D" (ccl::getpid) (incf *manual-file-counter*)))

;; The condition FORM signals, as (type identifier situation), or (:none value).
(defmacro manual-socket-error (form)
  `(handler-case (list :none ,form)
     (socket-error (c) (list (type-of c) (socket-error-identifier c) (socket-error-situation c)))
     (socket-creation-error (c)
       (list (type-of c) (socket-creation-error-identifier c) (socket-creation-error-situation c)))))

;;; ---- Overview ----

;; "All symbols mentioned in this chapter are exported from the CCL package. As of version 0.13,
;; these symbols are additionally exported from the OPENMCL-SOCKET package."
(deftest manual-exports
  (let ((missing nil))
    (dolist (name '("MAKE-SOCKET" "ACCEPT-CONNECTION" "DOTTED-TO-IPADDR" "IPADDR-TO-DOTTED"
                    "IPADDR-TO-HOSTNAME" "LOOKUP-HOSTNAME" "LOOKUP-PORT" "RECEIVE-FROM" "SEND-TO"
                    "SHUTDOWN" "SOCKET-OS-FD" "REMOTE-HOST" "REMOTE-PORT" "LOCAL-HOST" "LOCAL-PORT"
                    "SOCKET-ADDRESS-FAMILY" "SOCKET-CONNECT" "SOCKET-FORMAT" "SOCKET-TYPE"
                    "SOCKET-ERROR" "SOCKET-ERROR-CODE" "SOCKET-ERROR-IDENTIFIER"
                    "SOCKET-ERROR-SITUATION" "WITH-OPEN-SOCKET" "RESOLVE-ADDRESS"
                    "SOCKET-ADDRESS-HOST" "SOCKET-ADDRESS-PORT")
                  (nreverse missing))
      (dolist (package '("CCL" "OPENMCL-SOCKET"))
        (multiple-value-bind (symbol status) (find-symbol name package)
          (unless (and (eq status :external) (eq symbol (find-symbol name "CCL")))
            (push (list package name) missing))))))
  nil)

;; "tcp-stream ... a subclass of stream, and you can read and write to it using all the usual
;; stream functions. Created by (make-socket :address-family :internet :type :stream :connect
;; :active ...) or by (accept-connection ...)."
(deftest manual-overview-tcp-stream
  (let* ((listener (manual-listener))
         (client (make-socket :address-family :internet :type :stream :connect :active
                              :remote-host "127.0.0.1" :remote-port (local-port listener)))
         (server (accept-connection listener)))
    (unwind-protect
         (progn
           (format client "hello ~A~%" 42)
           (write-string "bye" client)
           (terpri client)
           (finish-output client)
           (list (type-of client) (type-of server) (typep client 'stream) (typep server 'stream)
                 (read-line server) (read-char server) (read-line server)
                 (progn (print '(1 "two") server) (finish-output server) (read client))))
      (close server)
      (close client)
      (close listener)))
  (ccl::tcp-stream ccl::tcp-stream t t "hello 42" #\b "ye" (1 "two")))

;; "file-socket-stream ... Created by (make-socket :address-family :file :type :stream :connect
;; :active ...) or by (accept-connection ...)". "file-listener-socket ... Created by
;; (make-socket :address-family :file :type :stream :connect :passive ...)".
(deftest manual-overview-file-sockets
  (let* ((path (manual-socket-file))
         (listener (make-socket :address-family :file :type :stream :connect :passive
                                :local-filename path))
         (client (make-socket :address-family :file :type :stream :connect :active
                              :remote-filename path))
         (server (accept-connection listener)))
    (unwind-protect
         (progn
           (write-line "over a file" client)
           (finish-output client)
           (list (type-of listener) (type-of client) (type-of server)
                 (typep listener 'stream) (typep client 'stream) (read-line server)))
      (close server)
      (close client)
      (close listener)))
  (ccl::file-listener-socket ccl::file-socket-stream ccl::file-socket-stream nil t "over a file"))

;; "listener-socket: A passive socket ... A listener-socket is not a stream. It doesn't support
;; I/O. It can only be used to create new tcp-streams by accept-connection. Created by
;; (make-socket :type :stream :connect :passive ...)"
(deftest manual-overview-listener-socket
  (let ((listener (make-socket :type :stream :connect :passive :local-host "127.0.0.1" :local-port 0)))
    (unwind-protect
         (list (type-of listener) (typep listener 'stream)
               (handler-case (read-line listener) (type-error () :not-a-stream))
               (handler-case (write-line "x" listener) (type-error () :not-a-stream)))
      (close listener)))
  (ccl::listener-socket nil :not-a-stream :not-a-stream))

;; "udp-socket: ... supports I/O but it is not a stream. Instead, you must use the special
;; functions send-to and receive-from to read and write to it. Created by (make-socket :type
;; :datagram ...)"
(deftest manual-overview-udp-socket
  (let* ((receiver (make-socket :type :datagram :local-host "127.0.0.1" :local-port 0))
         (sender (make-socket :type :datagram)))
    (unwind-protect
         (list (type-of receiver) (typep receiver 'stream)
               (handler-case (read-line receiver) (type-error () :not-a-stream))
               (send-to sender (manual-octets 1 2 3) 3 :remote-host "127.0.0.1" :remote-port (local-port receiver))
               (manual-plain (receive-from receiver 10 :extract t)))
      (close sender)
      (close receiver)))
  (ccl::udp-socket nil :not-a-stream 3 (1 2 3)))

;; "IPv6 is supported by the :internet6 address family."
(deftest manual-overview-ipv6
  (let* ((listener (make-socket :address-family :internet6 :connect :passive :local-host "::1" :local-port 0))
         (client (make-socket :address-family :internet6 :remote-host "::1" :remote-port (local-port listener)))
         (server (accept-connection listener)))
    (unwind-protect
         (progn
           (write-line "six" client)
           (finish-output client)
           (manual-plain (list (socket-address-family client) (local-host listener) (remote-host client)
                               (read-line server))))
      (close server)
      (close client)
      (close listener)))
  (:internet6 (0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 1) (0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 1) "six"))

;;; ---- make-socket ----

;; Every keyword of the signature line is accepted: "make-socket &key address-family type connect
;; eol format remote-address remote-host remote-port local-address local-host local-port
;; local-filename remote-filename keepalive reuse-address nodelay broadcast linger backlog
;; input-timeout output-timeout connect-timeout auto-close deadline".
(deftest manual-make-socket-every-keyword
  (let* ((listener (make-socket :address-family :internet :type :stream :connect :passive :eol :lf
                                :format :text :local-host "127.0.0.1" :local-port 0 :keepalive t
                                :reuse-address t :nodelay t :linger 1 :backlog 5))
         (client (make-socket :address-family :internet :type :stream :connect :active :eol :crlf
                              :format :bivalent :remote-host "127.0.0.1" :remote-port (local-port listener)
                              :keepalive t :nodelay t :linger 1 :input-timeout 5 :output-timeout 5
                              :connect-timeout 5 :auto-close t
                              :deadline (+ (get-internal-real-time) (* 60 internal-time-units-per-second))))
         (by-address (make-socket :remote-address (resolve-address :host "127.0.0.1" :port (local-port listener))
                                  :local-address (resolve-address :host "127.0.0.1" :port 0 :connect :passive)))
         (udp (make-socket :type :datagram :broadcast t :local-host "127.0.0.1" :local-port 0)))
    (unwind-protect
         (list (socket-connect listener) (socket-connect client) (= (remote-port by-address) (local-port listener))
               (stream-input-timeout client) (stream-output-timeout client) (integerp (stream-deadline client))
               (socket-type udp))
      (close udp)
      (close by-address)
      (close client)
      (close listener)))
  (:passive :active t 5 5 t :datagram))

;; "address-family: ... :internet (the default), meaning IPv4, :internet6, meaning IPv6, and :file".
;; "type: One of :stream (the default) ... or :datagram". "connect: ... :active (the default)".
(deftest manual-make-socket-defaults
  (let* ((listener (make-socket :connect :passive :local-host "127.0.0.1" :local-port 0))
         (client (make-socket :remote-host "127.0.0.1" :remote-port (local-port listener))))
    (unwind-protect
         (list (socket-address-family client) (socket-type client) (socket-connect client)
               (socket-address-family listener))
      (close client)
      (close listener)))
  (:internet :stream :active :internet))

;; "format: One of :text (the default), :binary, or :bivalent. This argument is ignored for
;; :stream sockets for now, as :stream sockets are currently always bivalent (i.e. they support
;; both character and byte I/O). For :datagram sockets ... always :binary)." In CCL a stream
;; socket's default format is :bivalent (MAKE-TCP-STREAM's default; element type (UNSIGNED-BYTE
;; 8)), and SOCKET-FORMAT answers from the element type: :text or :bivalent.
(deftest manual-make-socket-format
  (let* ((listener (manual-listener))
         (default (make-socket :remote-host "127.0.0.1" :remote-port (local-port listener)))
         (text (make-socket :remote-host "127.0.0.1" :remote-port (local-port listener) :format :text))
         (binary (make-socket :remote-host "127.0.0.1" :remote-port (local-port listener) :format :binary))
         (a (accept-connection listener))
         (b (accept-connection listener))
         (c (accept-connection listener))
         (udp (make-socket :type :datagram :format :text)))
    (unwind-protect
         (progn
           (write-byte 200 text)
           (write-char #\x text)
           (write-char #\y binary)
           (write-byte 7 binary)
           (write-line "both" default)
           (write-byte 9 default)
           (mapc #'finish-output (list text binary default))
           (list (socket-format default) (socket-format text) (socket-format binary) (socket-format udp)
                 (stream-element-type default) (stream-element-type text)
                 (read-line a) (read-byte a) (read-byte b) (read-char b) (read-char c) (read-byte c)))
      (mapc #'close (list udp a b c binary text default listener))))
  (:bivalent :text :bivalent :binary (unsigned-byte 8) character "both" 9 200 #\x #\y 7))

;; "input-timeout: ... Must be a real number between zero and one million. If an input operation
;; takes longer than the specified number of seconds, an input-timeout error is signalled."
(deftest manual-make-socket-input-timeout
  (let* ((listener (manual-listener))
         (client (make-socket :remote-host "127.0.0.1" :remote-port (local-port listener) :input-timeout 0.2)))
    (unwind-protect
         (let ((start (get-internal-real-time)))
           (list (handler-case (read-line client) (ccl::input-timeout (c) (type-of c)))
                 (< (- (get-internal-real-time) start) (* 3 internal-time-units-per-second))))
      (close client)
      (close listener)))
  (ccl::input-timeout t))

(deftest-error manual-make-socket-input-timeout-negative
  (make-socket :connect :passive :local-port 0 :input-timeout -1) type-error)
(deftest-error manual-make-socket-input-timeout-million
  (make-socket :connect :passive :local-port 0 :input-timeout 1000000) type-error)
(deftest-error manual-make-socket-output-timeout-not-real
  (make-socket :connect :passive :local-port 0 :output-timeout :soon) type-error)

;; "deadline: ... an absolute time in internal-time-units. If an I/O operation on the stream does
;; not complete before the deadline then a COMMUNICATION-DEADLINE-EXPIRED error is signalled."
(deftest manual-make-socket-deadline
  (let* ((listener (manual-listener))
         (client (make-socket :remote-host "127.0.0.1" :remote-port (local-port listener)
                              :deadline (+ (get-internal-real-time) (floor internal-time-units-per-second 5)))))
    (unwind-protect
         (handler-case (read-line client) (ccl::communication-deadline-expired (c) (type-of c)))
      (close client)
      (close listener)))
  ccl::communication-deadline-expired)

;; "connect-timeout: ... If a connection attempt takes longer ..., a socket-error is signalled."
;; Over loopback a refused connection answers at once: the timeout must not get in the way.
(deftest manual-make-socket-connect-timeout
  (let* ((listener (manual-listener))
         (port (local-port listener)))
    (close listener)
    (manual-socket-error (make-socket :remote-host "127.0.0.1" :remote-port port :connect-timeout 2)))
  (socket-creation-error :connection-refused "connect"))

;; "local-filename: ... The file used to name the socket will be deleted when the
;; file-listener-socket is closed."
(deftest manual-make-socket-local-filename-deleted
  (let* ((path (manual-socket-file))
         (listener (make-socket :address-family :file :connect :passive :local-filename path)))
    (list (not (null (probe-file path))) (close listener) (probe-file path)))
  (t t nil))

;; "For :passive sockets, the :local-address, :local-port or :local-filename arguments are
;; required ... For :active sockets, either the :remote-address, the :remote-host and
;; :remote-port, or the :remote-filename arguments must be present".
(deftest-error manual-make-socket-passive-needs-local
  (make-socket :connect :passive) error)
(deftest-error manual-make-socket-active-needs-remote
  (make-socket :connect :active) error)
(deftest-error manual-make-socket-file-active-needs-filename
  (make-socket :address-family :file :connect :active) error)
(deftest-error manual-make-socket-file-passive-needs-filename
  (make-socket :address-family :file :connect :passive) error)

;;; ---- accept-connection ----

;; "returns a new tcp-stream ... The original listener socket continues to be open listening for
;; more connections, so you can call accept-connection on it again."
(deftest manual-accept-connection-again
  (let* ((listener (manual-listener :keepalive t :nodelay t))
         (c1 (make-socket :remote-host "127.0.0.1" :remote-port (local-port listener)))
         (c2 (make-socket :remote-host "127.0.0.1" :remote-port (local-port listener)))
         (s1 (accept-connection listener))
         (s2 (accept-connection listener)))
    (unwind-protect
         (progn
           (write-line "one" c1)
           (write-line "two" c2)
           (finish-output c1)
           (finish-output c2)
           (list (type-of s1) (type-of s2) (read-line s1) (read-line s2) (open-stream-p s1)))
      (mapc #'close (list s1 s2 c1 c2 listener))))
  (ccl::tcp-stream ccl::tcp-stream "one" "two" t))

;; "If :wait is t, and there are no connections waiting to be accepted, the function wait until one
;; arrives. Otherwise, accept-connection will return nil immediately."
(deftest manual-accept-connection-no-wait
  (let ((listener (manual-listener))
        (start (get-internal-real-time)))
    (unwind-protect
         (list (accept-connection listener :wait nil)
               (< (- (get-internal-real-time) start) internal-time-units-per-second))
      (close listener)))
  (nil t))

(deftest manual-accept-connection-no-wait-pending
  (let* ((listener (manual-listener))
         (client (make-socket :remote-host "127.0.0.1" :remote-port (local-port listener))))
    (unwind-protect
         (let ((server nil))
           ;; The connection is complete once connect returns; give the kernel a bounded moment.
           (dotimes (i 50)
             (setq server (accept-connection listener :wait nil))
             (when server (return))
             (sleep 0.02))
           (prog1 (type-of server) (when server (close server))))
      (close client)
      (close listener)))
  ccl::tcp-stream)

;;; ---- resolve-address ----

;; "Converts a host and/or port specification to one or more socket-address instances."
;; "host: ... a host name such as "clozure.com" or any of the literal address forms accepted by
;; getaddrinfo()". "port: ... a service name such as "http" or a port number."
(deftest manual-resolve-address
  (let ((a (resolve-address :host "127.0.0.1" :port "http"))
        (b (resolve-address :host "localhost" :port 80 :address-family :internet))
        (c (resolve-address :host "::1" :port 8080)))
    (manual-plain (list (typep a 'ccl::socket-address) (socket-address-host a) (socket-address-port a)
                        (socket-address-host b) (socket-address-port b)
                        (socket-address-family c) (socket-address-host c) (socket-address-port c)
                        (princ-to-string a))))
  (t 2130706433 80 2130706433 80 :internet6 (0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 1) 8080
   "#<IP4-SOCKET-ADDRESS 127.0.0.1:80>"))

;; "socket-type: Service type for port lookups, can be either :stream for TCP services or
;; :datagram for UDP. Defaults to :stream."
(deftest manual-resolve-address-socket-type
  (list (socket-address-port (resolve-address :host "127.0.0.1" :port "domain" :socket-type :datagram))
        (socket-address-port (resolve-address :host "127.0.0.1" :port "domain")))
  (53 53))

;; "connect: ... If :active is passed, which is the default, the host address will default to the
;; address of the loopback interface ... When :passive is used, the host address will default to
;; the wildcard address for the given address family."
(deftest manual-resolve-address-connect
  (manual-plain
   (list (socket-address-host (resolve-address :port 8080 :address-family :internet))
         (socket-address-host (resolve-address :port 8080 :address-family :internet6))
         (socket-address-host (resolve-address :port 8080 :connect :passive :address-family :internet))
         (socket-address-host (resolve-address :port 8080 :connect :passive :address-family :internet6))))
  (2130706433 (0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 1) 0 (0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0)))

;; "address-family: ... either :internet or :internet6. If it is specified, only addresses of that
;; family are returned." "singlep: ... If it is passed as NIL, all matching addresses are
;; returned as a list."
(deftest manual-resolve-address-family-singlep
  (let ((v4 (resolve-address :host "localhost" :port 80 :address-family :internet :singlep nil)))
    (list (listp v4) (not (null v4))
          (every (lambda (a) (eq (socket-address-family a) :internet)) v4)
          (mapcar #'socket-address-family (resolve-address :host "::1" :port 80 :singlep nil))))
  (t t t (:internet6)))

;; "numeric-host-p: If this argument is true, no host name lookups will be performed ... A
;; numeric address literal must be passed". The manual's numeric-port-p is CCL's
;; :numeric-service-p (the signature line's name).
(deftest manual-resolve-address-numeric
  (list (socket-address-host (resolve-address :host "127.0.0.1" :port 80 :numeric-host-p t))
        (resolve-address :host "localhost" :port 80 :numeric-host-p t :errorp nil)
        (socket-address-port (resolve-address :host "127.0.0.1" :port "80" :numeric-service-p t))
        (resolve-address :host "127.0.0.1" :port "http" :numeric-service-p t :errorp nil))
  (2130706433 nil 80 nil))

;; "errorp: If this argument is set to a true value, which is the default, an error is signalled
;; if the given host and/or port combination did not yield any matches. If it is passed as NIL,
;; the function returns NIL". (No host name here: a query could leave the machine.)
(deftest manual-resolve-address-errorp
  (list (resolve-address :host "127.0.0.1" :port "no-such-service-clove" :errorp nil)
        (resolve-address :host "127.0.0.300" :port 80 :numeric-host-p t :errorp nil))
  (nil nil))
(deftest-error manual-resolve-address-errorp-t
  (resolve-address :host "127.0.0.1" :port "no-such-service-clove") error)

;;; ---- dotted-to-ipaddr, ipaddr-to-dotted, ipaddr-to-hostname, lookup-hostname, lookup-port ----

;; "Converts dotted, which should be a dotted quad string such as "192.168.0.1", into a integer
;; representation. If :errorp is true, an error is signaled if dotted is invalid. Otherwise, nil
;; is returned."
(deftest manual-dotted-to-ipaddr
  (list (dotted-to-ipaddr "192.168.0.1") (dotted-to-ipaddr "192.168.0.300" :errorp nil)
        (dotted-to-ipaddr "not an address" :errorp nil))
  (3232235521 nil nil))
(deftest-error manual-dotted-to-ipaddr-errorp
  (dotted-to-ipaddr "192.168.0.300") error)

;; "converts ipaddr, an integer representing an IPv4 host, into a dotted quad string. If :values
;; is true, instead of a dotted quad string, it returns the four octets of the address as
;; multiple values."
(deftest manual-ipaddr-to-dotted
  (list (ipaddr-to-dotted 3232235521) (multiple-value-list (ipaddr-to-dotted 3232235521 :values t)))
  ("192.168.0.1" (192 168 0 1)))

;; "Converts ipaddr, a 32-bit unsigend integer, into a host name string. The keyword argument
;; :ignore-cache is ignored". 127.0.0.1 is named in /etc/hosts.
(deftest manual-ipaddr-to-hostname
  (let ((name (ipaddr-to-hostname (dotted-to-ipaddr "127.0.0.1")))
        (again (ipaddr-to-hostname (dotted-to-ipaddr "127.0.0.1") :ignore-cache t)))
    (list (stringp name) (plusp (length name)) (equal name again)
          (lookup-hostname name)))
  (t t t 2130706433))

;; "Acceptable formats for host-spec include a host name string such as "www.clozure.com", a
;; dotted address string such as "192.168.0.1", or a 32-bit unsigned IPv4 address such as
;; 3232235521." (localhost for the name: no DNS in tests.)
(deftest manual-lookup-hostname
  (list (lookup-hostname "localhost") (lookup-hostname "192.168.0.1") (lookup-hostname 3232235521))
  (2130706433 3232235521 3232235521))

;; "port can be a string such as "http", a symbol such as :http, or a port number ... Symbol names
;; are converted to lower-case before lookup. Protocol must be one of "tcp" or "udp"." CCL
;; lower-cases strings too, so "HTTP" finds the service (the manual says they are case-sensitive).
(deftest manual-lookup-port
  (list (lookup-port "http" "tcp") (lookup-port :http "tcp") (lookup-port 8080 "tcp")
        (lookup-port "domain" "udp") (lookup-port :domain "udp") (lookup-port "HTTP" "tcp"))
  (80 80 8080 53 53 80))

;;; ---- receive-from, send-to ----

;; "Reads a UDP packet from socket ... If :want-socket-address-p is nil, which is the default, four
;; values are returned: The buffer with the data, The number of bytes read, The 32-bit unsigned
;; IPv4 address ... of the sender, The port number of the sender".
(deftest manual-receive-from-four-values
  (let* ((receiver (make-socket :type :datagram :local-host "127.0.0.1" :local-port 0))
         (sender (make-socket :type :datagram :local-host "127.0.0.1" :local-port 0)))
    (unwind-protect
         (progn
           (send-to sender (manual-octets 104 105) 2 :remote-host "127.0.0.1" :remote-port (local-port receiver))
           (multiple-value-bind (buffer n host port) (receive-from receiver 100)
             (manual-plain (list buffer n host (= port (local-port sender))))))
      (close sender)
      (close receiver)))
  ((104 105) 2 2130706433 t))

;; "If :want-socket-address-p is true, three values are returned: The buffer with the data, The
;; number of bytes read, The socket-address instance of the sender of the data."
(deftest manual-receive-from-socket-address
  (let* ((receiver (make-socket :type :datagram :local-host "127.0.0.1" :local-port 0))
         (sender (make-socket :type :datagram :local-host "127.0.0.1" :local-port 0)))
    (unwind-protect
         (progn
           (send-to sender (manual-octets 1 2 3) 3 :remote-host "127.0.0.1" :remote-port (local-port receiver))
           (let ((values (multiple-value-list (receive-from receiver 10 :want-socket-address-p t :extract t))))
             (manual-plain (list (length values) (first values) (second values)
                                 (socket-address-host (third values))
                                 (= (socket-address-port (third values)) (local-port sender))))))
      (close sender)
      (close receiver)))
  (3 (1 2 3) 3 2130706433 t))

;; "size: Maximum number of bytes to read. If the packet is larger than this, any extra bytes are
;; discarded." "buffer: ... an octet vector which will be used to read in the data". "extract: If
;; true, the subsequence of the buffer corresponding only to the data read in is extracted and
;; returned ... If false (the default) the original buffer is returned even if it is only
;; partially filled." "offset: the start offset into the buffer at which data is to be stored."
(deftest manual-receive-from-buffer
  (let* ((receiver (make-socket :type :datagram :local-host "127.0.0.1" :local-port 0))
         (sender (make-socket :type :datagram :remote-host "127.0.0.1" :remote-port (local-port receiver)))
         (buffer (make-array 8 :element-type '(unsigned-byte 8) :initial-element 0)))
    (unwind-protect
         (progn
           (send-to sender (manual-octets 1 2 3 4 5 6) 6)
           (send-to sender (manual-octets 7 8 9) 3)
           (let ((first (multiple-value-list (receive-from receiver 4 :buffer buffer :offset 2))))
             (manual-plain
              (list (eq (first first) buffer) (second first) (copy-seq buffer)
                    (subseq (multiple-value-list (receive-from receiver 6 :buffer buffer :offset 1 :extract t)) 0 2)))))
      (close sender)
      (close receiver)))
  (t 4 (0 0 1 2 3 4 0 0) ((7 8 9) 3)))

;; "This function sends a UDP packet over socket." "remote: The remote address to send the packet
;; to, as a socket-address instance. The default is the remote address specified in the call to
;; make-socket." "remote-host ... remote-port: ... The default is the remote host/port specified
;; in the call to make-socket." "offset: The offset in the buffer where the packet data starts".
(deftest manual-send-to
  (let* ((receiver (make-socket :type :datagram :local-host "127.0.0.1" :local-port 0))
         (port (local-port receiver))
         (defaulted (make-socket :type :datagram :remote-host "127.0.0.1" :remote-port port))
         (free (make-socket :type :datagram)))
    (unwind-protect
         (manual-plain
          (list (send-to defaulted (manual-octets 1 2) 2)
               (receive-from receiver 10 :extract t)
               (send-to free (manual-octets 9 8 7 6) 2 :remote (resolve-address :host "127.0.0.1" :port port) :offset 1)
               (receive-from receiver 10 :extract t)
               (send-to free (manual-octets 5) 1 :remote-address (resolve-address :host "127.0.0.1" :port port))
               (receive-from receiver 10 :extract t)
               (send-to free (manual-octets 3 4 5) 3 :remote-host "127.0.0.1" :remote-port port)
               (receive-from receiver 10 :extract t)))
      (close free)
      (close defaulted)
      (close receiver)))
  (2 (1 2) 2 (8 7) 1 (5) 3 (3 4 5)))

;; "buffer: A vector containing the data to send. It must be an octet vector."
(deftest-error manual-send-to-octets-only
  (let ((udp (make-socket :type :datagram)))
    (unwind-protect (send-to udp "text" 4 :remote-host "127.0.0.1" :remote-port 9)
      (close udp)))
  type-error)

;;; ---- shutdown, socket-os-fd, close, with-open-socket ----

;; "Shuts down part of a bidirectional connection ... useful when you need to read responses after
;; sending an end-of-file signal. The keyword argument :direction may be either :input ... or
;; :output ... Or, since release 1.11.5, :both."
(deftest manual-shutdown
  (let* ((listener (manual-listener))
         (client (make-socket :remote-host "127.0.0.1" :remote-port (local-port listener)))
         (server (accept-connection listener)))
    (unwind-protect
         (progn
           (write-line "request" client)
           (finish-output client)
           (shutdown client :direction :output)
           (list (read-line server) (read-line server nil :eof)
                 (progn (write-line "response" server) (finish-output server) (read-line client))
                 (progn (shutdown client :direction :input) :input)
                 (progn (shutdown server :direction :both) (read-line client nil :eof))))
      (close server)
      (close client)
      (close listener)))
  ("request" :eof "response" :input :eof))

;; "Returns the native OS's representation of socket, or nil if the socket is closed. On Unix, this
;; will be a file descriptor."
(deftest manual-socket-os-fd
  (let* ((listener (manual-listener))
         (udp (make-socket :type :datagram))
         (fds (list (socket-os-fd listener) (socket-os-fd udp))))
    (close listener)
    (close udp)
    (list (every (lambda (fd) (typep fd '(integer 0))) fds) (socket-os-fd listener) (socket-os-fd udp)))
  (t nil nil))

;; "close (socket socket) &key abort: Close socket, releasing the operating system resources ...
;; if :abort is t, any pending I/O will be aborted ... for listener and udp sockets ... the value of
;; :abort is effectively ignored."
(deftest manual-close
  (let* ((listener (manual-listener))
         (client (make-socket :remote-host "127.0.0.1" :remote-port (local-port listener)))
         (udp (make-socket :type :datagram)))
    (list (close client :abort t) (open-stream-p client) (close udp :abort t) (socket-os-fd udp)
          (close listener :abort t) (socket-os-fd listener)))
  (t nil t nil t nil))

;; "with-open-socket (var . make-socket-args) &body body: Executes body with var bound to the result
;; of applying make-socket to make-socket-args. The socket gets closed on exit."
(deftest manual-with-open-socket
  (let ((listener (manual-listener))
        (inside nil))
    (unwind-protect
         (list (with-open-socket (s :remote-host "127.0.0.1" :remote-port (local-port listener))
                 (setq inside s)
                 (list (type-of s) (open-stream-p s)))
               (open-stream-p inside)
               (handler-case (with-open-socket (s :remote-host "127.0.0.1" :remote-port (local-port listener))
                               (setq inside s)
                               (error "leaving"))
                 (error () (open-stream-p inside)))
               (with-open-socket (u :type :datagram) (setq inside u) (socket-type u))
               (socket-os-fd inside))
      (close listener)))
  ((ccl::tcp-stream t) nil nil :datagram nil))

;;; ---- endpoints and kinds ----

;; "remote-host: Returns the 32-bit unsigned IPv4 address of the remote host, or nil if socket is
;; not connected." "remote-port: ... or NIL if socket is not connected." "local-host: Returns
;; 32-bit unsigned IPv4 address or the 16 byte IPv6 address of the local host". "local-port:
;; returns the local port number of socket."
(deftest manual-endpoints
  (let* ((listener (manual-listener))
         (client (make-socket :remote-host "127.0.0.1" :remote-port (local-port listener)))
         (server (accept-connection listener))
         (udp (make-socket :type :datagram)))
    (unwind-protect
         (list (remote-host client) (= (remote-port client) (local-port listener))
               (local-host client) (= (local-port client) (remote-port server))
               (remote-host server) (remote-host listener) (remote-port listener)
               (remote-host udp) (remote-port udp) (local-host listener) (typep (local-port listener) '(integer 1 65535)))
      (mapc #'close (list udp server client listener))))
  (2130706433 t 2130706433 t 2130706433 nil nil nil nil 2130706433 t))

;; "socket-address-family thing: Returns :internet, :internet6 or :file, as appropriate for thing,
;; which should be a socket or socket-address."
(deftest manual-socket-address-family
  (let* ((path (manual-socket-file))
         (file (make-socket :address-family :file :connect :passive :local-filename path))
         (v6 (make-socket :address-family :internet6 :connect :passive :local-host "::1" :local-port 0))
         (udp (make-socket :type :datagram)))
    (unwind-protect
         (list (socket-address-family udp) (socket-address-family v6) (socket-address-family file)
               (socket-address-family (resolve-address :host "127.0.0.1" :port 1))
               (socket-address-family (resolve-address :host "::1" :port 1))
               (socket-address-family (ccl::local-socket-address file)))
      (mapc #'close (list udp v6 file))))
  (:internet :internet6 :file :internet :internet6 :file))

;; "socket-address-host: Returns the host portion of the given socket-address. For :internet
;; addresses, this is a 32-bit integer. For :internet6 addresses, a vector of 16 bytes returned.
;; For :file addresses, it is the file name string." "socket-address-port: ... the port number
;; ... available only for :internet and :internet6 socket addresses."
(deftest manual-socket-address-host-port
  (let* ((path (manual-socket-file))
         (file (make-socket :address-family :file :connect :passive :local-filename path)))
    (unwind-protect
         (let ((address (ccl::local-socket-address file)))
           (manual-plain
            (list (socket-address-host (resolve-address :host "127.0.0.1" :port 7))
                 (socket-address-host (resolve-address :host "::1" :port 7))
                 (equal (socket-address-host address) path)
                 (socket-address-port (resolve-address :host "::1" :port 7))
                 (handler-case (socket-address-port address) (type-error () :not-ip)))))
      (close file)))
  (2130706433 (0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 1) t 7 :not-ip))

;; "socket-connect: returns :active for a tcp-stream, :passive for listener-socket, and nil for a
;; udp-socket" (CCL: NIL until the UDP socket is connected to a default peer, then T).
(deftest manual-socket-connect
  (let* ((listener (manual-listener))
         (client (make-socket :remote-host "127.0.0.1" :remote-port (local-port listener)))
         (udp (make-socket :type :datagram))
         (connected (make-socket :type :datagram :remote-host "127.0.0.1" :remote-port 9)))
    (unwind-protect
         (list (socket-connect client) (socket-connect listener) (socket-connect udp) (socket-connect connected))
      (mapc #'close (list connected udp client listener))))
  (:active :passive nil t))

;; "socket-type: returns :stream if socket is a tcp-stream or listener-socket. If the socket is a
;; udp-socket, socket-type will return :datagram."
(deftest manual-socket-type
  (let* ((listener (manual-listener))
         (client (make-socket :remote-host "127.0.0.1" :remote-port (local-port listener)))
         (udp (make-socket :type :datagram)))
    (unwind-protect (list (socket-type client) (socket-type listener) (socket-type udp))
      (mapc #'close (list udp client listener))))
  (:stream :stream :datagram))

;;; ---- socket-error ----

;; "socket-error: The class of OS errors signaled by socket functions" (CCL: a SIMPLE-STREAM-ERROR,
;; so a STREAM-ERROR and a SIMPLE-CONDITION; the manual's "subclass of simple-error" is not CCL's).
;; "socket-error-code: the OS error code". "socket-error-identifier: ... one of :address-in-use,
;; :connection-aborted, ... :connection-reset, ... or :unknown". "socket-error-situation: ... On
;; Linux, this is the name of the system call which returned the error."
(deftest manual-socket-error
  (let* ((listener (manual-listener))
         (client (make-socket :remote-host "127.0.0.1" :remote-port (local-port listener) :linger 0))
         (server (accept-connection listener)))
    (close client) ; with :linger 0, the peer gets a reset
    (unwind-protect
         (handler-case (progn (sleep 0.1) (read-line server) :no-error)
           (socket-error (c)
             (list (type-of c) (typep c 'stream-error) (typep c 'simple-condition) (typep c 'simple-error)
                   (socket-error-code c) (socket-error-identifier c) (socket-error-situation c)
                   (princ-to-string c))))
      (close server :abort t)
      (close listener)))
  (socket-error t t nil 104 :connection-reset "read" "Connection reset by peer (error #104) during read"))

;; Failing to make a socket is CCL's SOCKET-CREATION-ERROR, with readers of its own.
(deftest manual-socket-creation-error
  (let ((listener (manual-listener)))
    (unwind-protect
         (manual-socket-error (make-socket :connect :passive :local-host "127.0.0.1" :local-port (local-port listener)))
      (close listener)))
  (socket-creation-error :address-in-use "bind"))
