;;;; sockets.lisp — the Lisp half of CCL's socket API: the socket conditions and
;;;; WITH-OPEN-SOCKET (the natives are builtins/sockets.c and builtins/netdb.c).

(export '(ccl::socket-error ccl::socket-error-code ccl::socket-error-identifier
          ccl::socket-error-situation ccl::socket-creation-error
          ccl::socket-creation-error-code ccl::socket-creation-error-identifier
          ccl::socket-creation-error-situation ccl::socket-creation-error-remote-address
          ccl::with-open-socket ccl::io-timeout ccl::input-timeout ccl::output-timeout
          ccl::communication-deadline-expired)
        "CCL")

(define-condition ccl::socket-error (ccl::simple-stream-error)
  ((ccl::code :initarg :code :reader ccl::socket-error-code)
   (ccl::identifier :initform :unknown :initarg :identifier :reader ccl::socket-error-identifier)
   (ccl::situation :initarg :situation :reader ccl::socket-error-situation)))

(define-condition ccl::socket-creation-error (simple-error)
  ((ccl::code :initarg :code :reader ccl::socket-creation-error-code)
   (ccl::identifier :initform :unknown :initarg :identifier :reader ccl::socket-creation-error-identifier)
   (ccl::situation :initarg :situation :reader ccl::socket-creation-error-situation)
   (ccl::remote-address :initform nil :initarg :remote-address
                        :accessor ccl::socket-creation-error-remote-address)))

;; The stream layer (interp/stream.c) signals these by name once they exist, with
;; :stream and CCL's message ("Input timeout on #<TCP-STREAM ...>") as format control.
(define-condition ccl::io-timeout (stream-error) ())
(define-condition ccl::input-timeout (ccl::io-timeout) ())
(define-condition ccl::output-timeout (ccl::io-timeout) ())
(define-condition ccl::communication-deadline-expired (ccl::io-timeout) ())

;; As CCL's: a normal exit closes the socket, a non-local one closes it with :abort t.
(defmacro ccl::with-open-socket ((var &rest args) &body body)
  "Evaluates BODY with VAR bound to a socket made by MAKE-SOCKET with ARGS, and closes the socket
   on exit (with :ABORT T on a non-local exit)."
  (let ((socket (make-symbol "socket")) (done (make-symbol "done")))
    `(let (,socket ,done)
       (unwind-protect
            (multiple-value-prog1
                (let ((,var (setq ,socket (ccl::make-socket ,@args))))
                  ,@body)
              (setq ,done t))
         (when ,socket (close ,socket :abort (not ,done)))))))

(defsetf ccl:stream-input-timeout ccl::%set-stream-input-timeout)
(defsetf ccl:stream-output-timeout ccl::%set-stream-output-timeout)
(defsetf ccl:stream-deadline ccl::%set-stream-deadline)

(let ((pkg (or (find-package "OPENMCL-SOCKET") (make-package "OPENMCL-SOCKET" :use '("COMMON-LISP")))))
  (dolist (name '("MAKE-SOCKET" "ACCEPT-CONNECTION" "DOTTED-TO-IPADDR" "IPADDR-TO-DOTTED"
                  "IPADDR-TO-HOSTNAME" "LOOKUP-HOSTNAME" "LOOKUP-PORT" "RECEIVE-FROM" "SEND-TO"
                  "SHUTDOWN" "SOCKET-OS-FD" "REMOTE-HOST" "REMOTE-PORT" "REMOTE-FILENAME"
                  "REMOTE-SOCKET-ADDRESS" "LOCAL-HOST" "LOCAL-PORT" "LOCAL-FILENAME"
                  "LOCAL-SOCKET-ADDRESS" "SOCKET-ADDRESS-FAMILY" "SOCKET-CONNECT" "SOCKET-FORMAT"
                  "SOCKET-TYPE" "SOCKET-ERROR" "SOCKET-ERROR-CODE" "SOCKET-ERROR-IDENTIFIER"
                  "SOCKET-ERROR-SITUATION" "SOCKET-CREATION-ERROR" "SOCKET-CREATION-ERROR-CODE"
                  "SOCKET-CREATION-ERROR-IDENTIFIER" "SOCKET-CREATION-ERROR-SITUATION"
                  "WITH-OPEN-SOCKET" "RESOLVE-ADDRESS" "SOCKET-ADDRESS-HOST" "SOCKET-ADDRESS-PORT"
                  "SOCKET-ADDRESS-PATH"))
    (multiple-value-bind (sym status) (find-symbol name "CCL")
      (when (eq status :external)
        (import sym pkg)
        (export sym pkg)))))
