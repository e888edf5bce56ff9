;;;; sockaddr.lisp — CCL's socket addresses (resolve-address, local/remote-socket-address)
;;;; as structures. autoload: module — read whole the first time one of its names is used.

;;; ---- socket addresses, as CCL's library/sockets.lisp has them ----
;;; CCL's classes socket-address > ip-socket-address > ip4-/ip6-socket-address, and
;;; unix-socket-address, as structures (typep, type-of and describe know them); printed
;;; as CCL prints them: #<IP4-SOCKET-ADDRESS 127.0.0.1:80>, #<IP6-SOCKET-ADDRESS [::1]:80>,
;;; #<UNIX-SOCKET-ADDRESS "/tmp/s">. The class names stay internal, as in CCL.

(export '(ccl::resolve-address ccl::local-socket-address ccl::remote-socket-address
          ccl::socket-address-host ccl::socket-address-port ccl::socket-address-path)
        "CCL")

(defun ccl::%print-socket-address (a stream depth)
  (declare (ignore depth))
  (ccl::%print-unreadable-object a stream t nil
                                 (lambda () (write-string (ccl::socket-address-as-string a) stream))))

(defstruct (ccl::socket-address (:constructor nil) (:copier nil)
                                (:print-function ccl::%print-socket-address)))

(defstruct (ccl::ip-socket-address (:include ccl::socket-address) (:constructor nil) (:copier nil)
                                   (:conc-name ccl::%ip-address-))
  (host nil :read-only t)
  (port nil :read-only t))

(defstruct (ccl::ip4-socket-address (:include ccl::ip-socket-address) (:copier nil) (:conc-name ccl::%ip4-)
                                    (:constructor ccl::%make-ip4-socket-address (host port))))

(defstruct (ccl::ip6-socket-address (:include ccl::ip-socket-address) (:copier nil) (:conc-name ccl::%ip6-)
                                    (:constructor ccl::%make-ip6-socket-address (host port))))

(defstruct (ccl::unix-socket-address (:include ccl::socket-address) (:copier nil)
                                     (:conc-name ccl::socket-address-)
                                     (:constructor ccl::%make-unix-socket-address (path)))
  (path nil :read-only t))

;; As CCL's manual has it (CCL's own reader fails on a :file address): the file name there.
(defun ccl::socket-address-host (socket-address)
  (cond ((ccl::unix-socket-address-p socket-address) (ccl::socket-address-path socket-address))
        ((ccl::ip-socket-address-p socket-address) (ccl::%ip-address-host socket-address))
        (t (error 'type-error :datum socket-address :expected-type 'ccl::socket-address))))

(defun ccl::socket-address-port (socket-address)
  (unless (ccl::ip-socket-address-p socket-address)
    (error 'type-error :datum socket-address :expected-type 'ccl::ip-socket-address))
  (ccl::%ip-address-port socket-address))

(defun ccl::socket-address-as-string (a)
  (etypecase a
    (ccl::ip4-socket-address
     (format nil "~A:~A" (ccl::%host-text (ccl::socket-address-host a)) (ccl::socket-address-port a)))
    (ccl::ip6-socket-address
     (format nil "[~A]:~A" (ccl::%host-text (ccl::socket-address-host a)) (ccl::socket-address-port a)))
    (ccl::unix-socket-address (format nil "~S" (ccl::socket-address-path a)))))

;; An address as make-socket / send-to take it apart (sockets.c): (host port path).
(defun ccl::%socket-address-parts (a)
  (typecase a
    (ccl::ip-socket-address (list (ccl::socket-address-host a) (ccl::socket-address-port a) nil))
    (ccl::unix-socket-address (list nil nil (ccl::socket-address-path a)))
    (t (error 'type-error :datum a :expected-type 'ccl::socket-address))))

;; socket-address-family of something that is not a socket (sockets.c asks).
(defun ccl::%address-family (a)
  (typecase a
    (ccl::ip4-socket-address :internet)
    (ccl::ip6-socket-address :internet6)
    (ccl::unix-socket-address :file)
    (t (error 'type-error :datum a :expected-type '(or ccl::socket ccl::socket-address)))))

(defun ccl::%ip-socket-address (host port)
  (if (integerp host)
      (ccl::%make-ip4-socket-address host port)
      (ccl::%make-ip6-socket-address host port)))

(defun ccl:resolve-address (&key host port (socket-type :stream) (connect :active) address-family
                              numeric-host-p numeric-service-p (singlep t) (errorp t))
  "Resolve a host and/or port string to one or more socket-address instances.
Either host or port may be unspecified. Calls getaddrinfo() underneath.
singlep may be passed as NIL to make the function return a list of host addresses
matching the specified query terms. The default is to return the first matching address.
errorp may be passed as NIL to return NIL if no match was found."
  (let ((found (ccl::%resolve-address host port socket-type connect address-family
                                      numeric-host-p numeric-service-p errorp)))
    (cond ((integerp found) (values nil found))
          ((null found)
           (when errorp
             (error "cannot resolve local service host ~A port ~A connect ~S type ~S"
                    host port connect socket-type)))
          (singlep (ccl::%ip-socket-address (car (first found)) (cdr (first found))))
          (t (mapcar (lambda (hp) (ccl::%ip-socket-address (car hp) (cdr hp))) found)))))

(defun ccl::%endpoint-address (socket remotep)
  (if (eq (ccl:socket-address-family socket) :file)
      (and (ccl:socket-os-fd socket)
           (ccl::%make-unix-socket-address
            (if remotep (ccl:remote-filename socket) (ccl:local-filename socket))))
      (let ((host (if remotep (ccl:remote-host socket) (ccl:local-host socket))))
        (and host
             (ccl::%ip-socket-address host (if remotep (ccl:remote-port socket) (ccl:local-port socket)))))))

(defun ccl:local-socket-address (socket)
  "Return the socket's own endpoint as a socket-address, or NIL if it is closed."
  (ccl::%endpoint-address socket nil))

(defun ccl:remote-socket-address (socket)
  "Return the socket's peer as a socket-address, or NIL if it is not connected."
  (ccl::%endpoint-address socket t))

;; CCL's second home for the socket API: the same symbols, imported from CCL and
;; exported again. Names CCL lists there that Clove does not define are left out,
;; so nothing exported is undefined.
