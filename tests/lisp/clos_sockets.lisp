;;;; clos_sockets.lisp — sockets in the class tree: methods on CCL's socket classes dispatch, the
;;;; socket functions become generic functions a program adds methods to (on loopback, port 0).

(defun sock-error-text (thunk)
  (handler-case (progn (funcall thunk) :no-error)
    (error (c) (princ-to-string c))))

(defun sock-prefix (string n) (subseq string 0 (min n (length string))))

;;; Before any DEFMETHOD the socket functions are the natives, and CLOS is not loaded.
(deftest start.not-generic (list (typep #'accept-connection 'generic-function) (typep #'close 'generic-function))
  (nil nil))
(deftest start.clos-not-loaded (not (null (member 'ccl::%gf-miss (ccl::%autoload-pending)))) t)

(defun listener () (make-socket :connect :passive :local-host "127.0.0.1" :local-port 0 :reuse-address t))

;;; Like WITH-OPEN-SOCKET, for a socket made by any form.
(defmacro with-sock ((var form) &body body)
  `(let ((,var ,form)) (unwind-protect (progn ,@body) (close ,var))))
(defun connect-to (l) (make-socket :remote-host "127.0.0.1" :remote-port (local-port l)))

;;; ---- The classes ----

(deftest class.tree
  (with-sock (l (listener))
    (with-sock (c (connect-to l))
      (with-sock (s (accept-connection l))
        (with-sock (u (make-socket :type :datagram))
          (list (class-name (class-of l)) (class-name (class-of c)) (class-name (class-of s))
                (class-name (class-of u)))))))
  (ccl::listener-socket ccl::tcp-stream ccl::tcp-stream ccl::udp-socket))
(deftest class.supers
  (mapcar (lambda (name) (mapcar #'class-name (class-direct-superclasses (find-class name))))
          '(ccl::ip-socket ccl::tcp-socket ccl::listener-socket ccl::udp-socket ccl::file-socket
            ccl::stream-file-socket ccl::file-listener-socket))
  ((ccl::socket) (ccl::ip-socket) (ccl::tcp-socket) (ccl::ip-socket) (ccl::socket) (ccl::file-socket)
   (ccl::stream-file-socket)))
(deftest class.tcp-stream-is-stream (list (subtypep 'ccl::tcp-stream 'stream) (subtypep 'ccl::listener-socket 'stream)
                                          (subtypep 'ccl::file-socket-stream 'ccl::file-socket))
  (t nil t))
(deftest class.internal-names (multiple-value-list (find-symbol "TCP-STREAM" "CL-USER")) (nil nil))

;;; ---- Methods on socket classes dispatch ----

(defgeneric handle (s))
(defmethod handle ((s ccl::tcp-stream)) :tcp-stream)
(defmethod handle ((s ccl::listener-socket)) :listener)
(defmethod handle ((s ccl::socket)) :socket)
(defmethod handle ((s stream)) :stream)
(defmethod handle (s) (declare (ignore s)) :other)

(deftest dispatch.kinds
  (with-sock (l (listener))
    (with-sock (c (connect-to l))
      (with-sock (u (make-socket :type :datagram))
        (list (handle l) (handle c) (handle u) (handle *standard-output*) (handle 5)))))
  (:listener :tcp-stream :socket :stream :other))
(deftest dispatch.file-sockets
  (let ((path (format nil "/tmp/clove-clos-~a.sock" (random 1000000000))))
    (with-sock (l (make-socket :address-family :file :connect :passive :local-filename path))
      (with-sock (c (make-socket :address-family :file :remote-filename path))
        (list (handle l) (handle c) (class-name (class-of l)) (class-name (class-of c))))))
  (:socket :socket ccl::file-listener-socket ccl::file-socket-stream))

(defmethod print-object ((l ccl::listener-socket) out)
  (print-unreadable-object (l out :type t)
    (format out "on port ~a" (if (local-port l) :some :none))))
(deftest print.listener-method
  (let ((l (listener)))
    (prog1 (list (prin1-to-string l) (format nil "~a" (list l)))
      (close l)))
  ("#<LISTENER-SOCKET on port SOME>" "(#<LISTENER-SOCKET on port SOME>)"))
(deftest print.stream-default-kept
  (with-sock (l (listener))
    (with-sock (c (connect-to l))
      (sock-prefix (prin1-to-string c) 24)))
  "#<TCP-STREAM UTF-8 (SOCK")

;;; ---- Socket functions become generic functions ----

(defclass counting-listener (ccl::listener-socket)
  ((accepted :initform 0 :accessor accepted-count)
   (log :initform nil :accessor listener-log)))

(defclass tagged-stream (ccl::tcp-stream)
  ((tag :initarg :tag :initform nil :accessor stream-tag)))

(defvar *closed* nil)

(defmethod accept-connection :before ((l counting-listener) &key wait stream-args)
  (declare (ignore wait stream-args))
  (push :before (listener-log l)))
(defmethod accept-connection :after ((l counting-listener) &key wait stream-args)
  (declare (ignore wait stream-args))
  (push :after (listener-log l)))
(defmethod accept-connection :around ((l counting-listener) &key (wait t) stream-args)
  (declare (ignore stream-args))
  (let ((s (call-next-method)))
    (when s
      (incf (accepted-count l))
      (change-class s 'tagged-stream :tag (list :n (accepted-count l) :wait wait)))
    s))
(defmethod close :after ((s tagged-stream) &key abort)
  (push (list :closed (stream-tag s) abort) *closed*))

(deftest generic.now-generic
  (list (class-name (class-of #'accept-connection)) (class-name (class-of #'close))
        (typep #'accept-connection 'function))
  (standard-generic-function standard-generic-function t))
(deftest generic.default-method
  (prin1-to-string (find-method #'accept-connection nil (list (find-class t))))
  "#<STANDARD-METHOD ACCEPT-CONNECTION (T)>")
(deftest generic.lambda-list (mapcar #'symbol-name (generic-function-lambda-list #'accept-connection))
  ("SOCKET" "&KEY" "WAIT" "STREAM-ARGS"))

(deftest generic.accept-methods
  (let ((l (listener)) (*closed* nil))
    (change-class l 'counting-listener)
    (let* ((c (connect-to l))
           (s (accept-connection l)))
      (write-line "hello" c)
      (force-output c)
      (prog1 (list (class-name (class-of s)) (stream-tag s) (read-line s) (reverse (listener-log l))
                   (accepted-count l) (accept-connection l :wait nil) (accepted-count l)
                   (progn (close s) (close c) *closed*)
                   (stream-tag s))
        (close l))))
  (tagged-stream (:n 1 :wait t) "hello" (:before :after) 1 nil 1 ((:closed (:n 1 :wait t) nil))
   (:n 1 :wait t)))
(deftest generic.plain-sockets-unaffected
  (with-sock (l (listener))
    (with-sock (c (connect-to l))
      (let ((s (accept-connection l)))
        (write-line "plain" c)
        (force-output c)
        (prog1 (list (class-name (class-of s)) (read-line s)) (close s)))))
  (ccl::tcp-stream "plain"))
(deftest generic.close-other-streams
  (let ((s (make-string-output-stream)))
    (list (close s) (open-stream-p s)))
  (t nil))
(deftest generic.close-abort
  (let ((l (listener)) (*closed* nil))
    (change-class l 'counting-listener)
    (let* ((c (connect-to l)) (s (accept-connection l)))
      (close s :abort t)
      (close c)
      (close l)
      (third (first *closed*))))
  t)

;;; The changed class's slots stay with the socket, closed or not; methods on it apply.
(deftest subclass.slots-after-close
  (let ((l (listener)))
    (change-class l 'counting-listener)
    (setf (accepted-count l) 41)
    (close l)
    (list (accepted-count l) (incf (accepted-count l)) (typep l 'ccl::listener-socket) (local-port l)))
  (41 42 t nil))
(deftest subclass.print
  (let ((l (listener)))
    (change-class l 'counting-listener)
    (prog1 (sock-prefix (prin1-to-string l) 30) (close l)))
  "#<COUNTING-LISTENER on port SO")
(deftest subclass.describe-keeps-socket-lines
  (let ((l (listener)))
    (change-class l 'counting-listener)
    (let ((text (with-output-to-string (s) (describe l s))))
      (close l)
      (list (not (null (search "Address family: :INTERNET" text))) (not (null (search "Local endpoint: 127.0.0.1:" text))))))
  (t t))
(deftest-error subclass.wrong-kind (change-class (make-socket :type :datagram) 'counting-listener) error)
(deftest subclass.wrong-kind-text
  (let ((u (make-socket :type :datagram)))
    (prog1 (let ((s (sock-error-text (lambda () (change-class u 'counting-listener)))))
             (subseq s (search "the new" s)))
      (close u)))
  "the new class must inherit from CCL::UDP-SOCKET.")
(deftest-error subclass.bad-initarg
  (let ((l (listener))) (unwind-protect (change-class l 'counting-listener :nope 1) (close l)))
  program-error)

;;; UDP: SEND-TO and RECEIVE-FROM with methods on a subclass.
(defclass logged-udp (ccl::udp-socket) ((sent :initform 0 :accessor sent-count)))
(defmethod send-to :after ((u logged-udp) buffer size &key remote-host remote-port remote-address offset)
  (declare (ignore buffer remote-host remote-port remote-address offset))
  (incf (sent-count u) size))
(defmethod receive-from :around ((u logged-udp) size &key buffer extract offset want-socket-address-p)
  (declare (ignore size buffer extract offset want-socket-address-p))
  (multiple-value-bind (buf n host port) (call-next-method)
    (values (subseq buf 0 n) n host port)))
(deftest udp.methods
  (let ((a (make-socket :type :datagram :local-host "127.0.0.1" :local-port 0))
        (b (make-socket :type :datagram :local-host "127.0.0.1" :local-port 0)))
    (change-class a 'logged-udp)
    (change-class b 'logged-udp)
    (unwind-protect
         (progn
           (send-to a (make-array 3 :element-type '(unsigned-byte 8) :initial-contents '(1 2 3)) 3
                    :remote-host "127.0.0.1" :remote-port (local-port b))
           (multiple-value-bind (buf n) (receive-from b 100)
             (list (coerce buf 'list) n (sent-count a) (sent-count b))))
      (close a)
      (close b)))
  ((1 2 3) 3 3 0))

;;; A method on a class of the program's own for a socket function name.
(defclass fake-endpoint () ((port :initarg :port)))
(defmethod local-port ((e fake-endpoint)) (slot-value e 'port))
(deftest generic.own-class (list (local-port (make-instance 'fake-endpoint :port 99))
                                 (with-sock (l (listener)) (integerp (local-port l))))
  (99 t))
(deftest-error generic.no-method-for-others (local-host (make-instance 'fake-endpoint :port 1)) error)

;;; CCL's DEFGENERIC of CLOSE names :ABORT: a method must accept it.
(deftest-error congruence.close-needs-abort (eval '(defmethod close ((s fake-endpoint) &key) t)) error)
(deftest congruence.close-text
  (let ((s (sock-error-text (lambda () (eval '(defmethod close ((s fake-endpoint) &key) t))))))
    (subseq s (search "Method's" s)))
  "Method's lambda-list : (S &KEY)
Generic-function's   : (STREAM &KEY ABORT)
")
(deftest congruence.close-rest (progn (eval '(defmethod close ((s fake-endpoint) &rest r) (declare (ignore r)) :closed))
                                      (close (make-instance 'fake-endpoint)))
  :closed)
