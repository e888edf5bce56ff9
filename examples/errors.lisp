;;;; errors.lisp — the socket errors a program meets, each caught with HANDLER-CASE as one
;;;; writes it for Clozure CL, printing the condition's type, identifier and message.
;;;; Usage: clove examples/errors.lisp
;;;; Note CCL's split: MAKE-SOCKET failures are SOCKET-CREATION-ERRORs (not SOCKET-ERRORs);
;;;; failures on an open socket are SOCKET-ERRORs; timeouts are IO-TIMEOUTs.

(defun report (what e &optional identifier)
  (format t "~a:~%  ~s~@[ ~s~]~%  ~a~%" what (type-of e) identifier e))

(defun free-port ()
  "A port nobody listens on: the system's pick, released at once."
  (with-open-socket (l :connect :passive :local-host "127.0.0.1" :local-port 0)
    (local-port l)))

(defun connection-refused ()
  (handler-case (make-socket :remote-host "127.0.0.1" :remote-port (free-port))
    (socket-creation-error (e)
      (report "connection refused" e (socket-creation-error-identifier e)))))

(defun address-in-use ()
  (with-open-socket (first :connect :passive :local-host "127.0.0.1" :local-port 0)
    (handler-case (make-socket :connect :passive :local-host "127.0.0.1"
                               :local-port (local-port first))
      (socket-creation-error (e)
        (report "address in use" e (socket-creation-error-identifier e))))))

(defun read-timeout ()
  ;; The listener never accepts nor writes: the connection succeeds (the kernel completes
  ;; it), but nothing ever arrives, so READ-LINE gives up after :input-timeout seconds.
  (with-open-socket (silent :connect :passive :local-host "127.0.0.1" :local-port 0)
    (with-open-socket (s :remote-host "127.0.0.1" :remote-port (local-port silent)
                         :input-timeout 0.5)
      (handler-case (read-line s)
        (input-timeout (e)
          (report "read timeout after 0.5 seconds" e))))))

(defun peer-reset ()
  ;; :linger 0 makes CLOSE reset the connection (the accepted stream inherits it), so the
  ;; client's read fails on an open socket: a SOCKET-ERROR with an identifier.
  (with-open-socket (rude :connect :passive :local-host "127.0.0.1" :local-port 0 :linger 0)
    (with-open-socket (s :remote-host "127.0.0.1" :remote-port (local-port rude)
                         :input-timeout 5)
      (close (accept-connection rude))
      (handler-case (read-line s)
        (socket-error (e)
          (report "connection reset by the peer" e (socket-error-identifier e)))))))

(defun unknown-host ()
  ;; .invalid is reserved (RFC 2606): no such name ever resolves.
  (handler-case (make-socket :remote-host "no-such-host.invalid" :remote-port 80)
    (socket-creation-error (e)
      (report "unknown host" e (socket-creation-error-identifier e)))))

(connection-refused)
(address-in-use)
(read-timeout)
(peer-reset)
(unknown-host)
(format t "all five errors caught~%")
