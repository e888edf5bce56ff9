;;;; gray.lisp — Gray streams: user classes on CCL's FUNDAMENTAL-...-STREAM classes used through the
;;;; standard stream functions, the printer and the reader; a Gray stream over a real TCP connection.

;;; Classes and methods are defined at top level (a DEFCLASS inside a DEFTEST would be expanded
;;; with the whole test, before it runs).

(defun gray-error-text (thunk)
  (handler-case (progn (funcall thunk) :no-error)
    (error (c) (princ-to-string c))))

;;; ---- A counting character output stream around another stream ----

(defclass counting-stream (ccl:fundamental-character-output-stream)
  ((target :initarg :target :reader counting-target)
   (count :initform 0 :accessor counting-count)
   (column :initform 0 :accessor counting-column)))

(defmethod ccl:stream-write-char ((s counting-stream) c)
  (incf (counting-count s))
  (setf (counting-column s) (if (char= c #\Newline) 0 (1+ (counting-column s))))
  (write-char c (counting-target s)))

;; STREAM-LINE-COLUMN is an autoload stub until stdlib/gray.lisp is read: DEFMETHOD reads it first.
(defmethod ccl:stream-line-column ((s counting-stream)) (counting-column s))

(defmethod ccl:stream-force-output ((s counting-stream)) (force-output (counting-target s)) :forced)

(defun make-counter () (make-instance 'counting-stream :target (make-string-output-stream)))

(defun counter-text (s) (get-output-stream-string (counting-target s)))

;; (count text) after FN wrote to a fresh counting stream.
(defun counted (fn)
  (let ((s (make-counter)))
    (funcall fn s)
    (list (counting-count s) (counter-text s))))

(deftest gray.streamp (streamp (make-counter)) t)
(deftest gray.typep-stream (typep (make-counter) 'stream) t)
(deftest gray.directions
    (let ((s (make-counter))) (list (input-stream-p s) (output-stream-p s) (open-stream-p s)))
  (nil t t))
(deftest gray.element-type (stream-element-type (make-counter)) character)
(deftest gray.write-string (counted (lambda (s) (write-string "hello" s))) (5 "hello"))
(deftest gray.write-string-bounds (counted (lambda (s) (write-string "hello" s :start 1 :end 3))) (2 "el"))
(deftest gray.write-char (counted (lambda (s) (write-char #\x s) (write-char #\y s))) (2 "xy"))
(deftest gray.write-line (counted (lambda (s) (write-line "ab" s))) (3 "ab
"))
(deftest gray.terpri-fresh-line
    (counted (lambda (s) (write-string "a" s) (fresh-line s) (fresh-line s) (terpri s)))
  (3 "a

"))
(deftest gray.fresh-line-value
    (let ((s (make-counter))) (list (fresh-line s) (write-char #\a s) (fresh-line s)))
  (nil #\a t))
(deftest gray.prin1 (counted (lambda (s) (prin1 '(1 "two" #\3) s))) (13 "(1 \"two\" #\\3)"))
(deftest gray.print (counted (lambda (s) (print 'sym s))) (5 "
SYM "))
(deftest gray.princ-to-standard-output
    (counted (lambda (s) (let ((*standard-output* s)) (princ 42) (terpri))))
  (3 "42
"))
(deftest gray.write-sequence (counted (lambda (s) (write-sequence "abcdef" s :start 2))) (4 "cdef"))
(deftest gray.force-output (let ((s (make-counter))) (list (force-output s) (finish-output s))) (nil nil))
(deftest gray.line-column
    (let ((s (make-counter))) (write-string "abc" s) (ccl:stream-line-column s))
  3)
(deftest gray.close
    (let ((s (make-counter))) (list (close s) (open-stream-p s) (close s)))
  (t nil nil))

;;; ---- An input stream over a list of lines ----

(defclass lines-stream (ccl:fundamental-character-input-stream)
  ((text :accessor lines-text)
   (pos :initform 0 :accessor lines-pos)))

(defmethod initialize-instance :after ((s lines-stream) &key lines)
  (setf (lines-text s)
        (apply #'concatenate 'string (mapcar (lambda (l) (concatenate 'string l (string #\Newline))) lines))))

(defmethod ccl:stream-read-char ((s lines-stream))
  (if (>= (lines-pos s) (length (lines-text s)))
      :eof
      (prog1 (char (lines-text s) (lines-pos s)) (incf (lines-pos s)))))

(defmethod ccl:stream-unread-char ((s lines-stream) c)
  (declare (ignore c))
  (decf (lines-pos s))
  nil)

(defun make-lines (&rest lines) (make-instance 'lines-stream :lines lines))

(deftest gray.in.directions
    (let ((s (make-lines "a"))) (list (streamp s) (input-stream-p s) (output-stream-p s)))
  (t t nil))
(deftest gray.in.read-char (let ((s (make-lines "ab"))) (list (read-char s) (read-char s) (read-char s)))
  (#\a #\b #\Newline))
(deftest gray.in.read-char-eof (read-char (make-lines) nil :done) :done)
(deftest-error gray.in.read-char-eof-error (read-char (make-lines)) end-of-file)
(deftest gray.in.peek-unread
    (let ((s (make-lines "xy")))
      (list (peek-char nil s) (read-char s) (progn (unread-char #\x s) (read-char s)) (read-char s)))
  (#\x #\x #\x #\y))
(deftest gray.in.peek-skip-whitespace (peek-char t (make-lines "   z")) #\z)
(deftest gray.in.read-line
    (let ((s (make-lines "first" "second")))
      (list (multiple-value-list (read-line s)) (multiple-value-list (read-line s))
            (multiple-value-list (read-line s nil :end))))
  (("first" nil) ("second" nil) (:end t)))
(deftest gray.in.listen
    (let ((s (make-lines "a"))) (list (listen s) (read-line s) (listen s)))
  (t "a" nil))
(deftest gray.in.read-char-no-hang (read-char-no-hang (make-lines "q")) #\q)
(deftest gray.in.reader
    (let ((s (make-lines "(+ 1 2) foo" "\"str\" #\\c")))
      (list (read s) (read s) (read s) (read s) (read s nil :eof)))
  ((+ 1 2) foo "str" #\c :eof))
(deftest gray.in.read-sequence
    (let ((s (make-lines "hello")) (buf (make-string 4 :initial-element #\-)))
      (list (read-sequence buf s :start 1) buf))
  (4 "-hel"))
(deftest gray.in.read-line-standard-input
    (let ((*standard-input* (make-lines "from stdin"))) (read-line))
  "from stdin")

;;; ---- A binary stream over a byte buffer ----

(defclass octet-buffer-stream (ccl:fundamental-binary-input-stream ccl:fundamental-binary-output-stream)
  ((bytes :initform nil :accessor octet-bytes)))

(defmethod ccl:stream-write-byte ((s octet-buffer-stream) b)
  (setf (octet-bytes s) (append (octet-bytes s) (list b)))
  b)

(defmethod ccl:stream-read-byte ((s octet-buffer-stream))
  (if (octet-bytes s) (pop (octet-bytes s)) :eof))

(deftest gray.bin.element-type (stream-element-type (make-instance 'octet-buffer-stream)) (unsigned-byte 8))
(deftest gray.bin.directions
    (let ((s (make-instance 'octet-buffer-stream))) (list (input-stream-p s) (output-stream-p s)))
  (t t))
(deftest gray.bin.write-read-byte
    (let ((s (make-instance 'octet-buffer-stream)))
      (write-byte 7 s)
      (write-byte 255 s)
      (list (read-byte s) (read-byte s) (read-byte s nil :eof)))
  (7 255 :eof))
(deftest-error gray.bin.read-byte-eof (read-byte (make-instance 'octet-buffer-stream)) end-of-file)
(deftest gray.bin.sequences
    (let ((s (make-instance 'octet-buffer-stream))
          (v (make-array 5 :initial-element 0)))
      (write-sequence '(1 2 3 4) s :end 3)
      (list (read-sequence v s :start 1) (coerce v 'list)))
  (4 (0 1 2 3 0)))

;;; ---- Errors ----

(defclass mute-stream (ccl:fundamental-character-output-stream) ())
(defclass deaf-stream (ccl:fundamental-character-input-stream) ())

(deftest-error gray.err.no-write-char (write-char #\a (make-instance 'mute-stream)) error)
(deftest gray.err.no-write-char-text
    (search "no applicable method" (gray-error-text (lambda () (write-string "ab" (make-instance 'mute-stream)))))
  9)
(deftest-error gray.err.no-read-char (read-char (make-instance 'deaf-stream)) error)
(deftest-error gray.err.no-read-byte (read-byte (make-instance 'deaf-stream)) error)
(deftest-error gray.err.plain-instance-not-stream
    (progn (defclass plain-thing () ()) (write-string "x" (make-instance 'plain-thing)))
  type-error)
(deftest gray.err.methodless-is-still-a-stream (streamp (make-instance 'mute-stream)) t)

;;; ---- A Gray stream around a real TCP connection ----

(defclass socket-wrapper (ccl:fundamental-character-input-stream ccl:fundamental-character-output-stream)
  ((socket :initarg :socket :reader wrapped-socket)
   (written :initform 0 :accessor wrapper-written)))

(defmethod ccl:stream-write-char ((s socket-wrapper) c)
  (incf (wrapper-written s))
  (write-char c (wrapped-socket s)))
(defmethod ccl:stream-write-string ((s socket-wrapper) string &optional (start 0) end)
  (let ((end (or end (length string))))
    (incf (wrapper-written s) (- end start))
    (write-string string (wrapped-socket s) :start start :end end)))
(defmethod ccl:stream-read-char ((s socket-wrapper)) (read-char (wrapped-socket s) nil :eof))
(defmethod ccl:stream-unread-char ((s socket-wrapper) c) (unread-char c (wrapped-socket s)))
(defmethod ccl:stream-force-output ((s socket-wrapper)) (force-output (wrapped-socket s)))
(defmethod ccl:stream-finish-output ((s socket-wrapper)) (finish-output (wrapped-socket s)))

(defun gray-tcp-exchange ()
  (let* ((listener (make-socket :connect :passive :local-host "127.0.0.1" :local-port 0 :reuse-address t))
         (client nil) (server nil))
    (unwind-protect
         (progn
           (setq client (make-socket :remote-host "127.0.0.1" :remote-port (local-port listener)))
           (setq server (accept-connection listener))
           (let ((w (make-instance 'socket-wrapper :socket client)))
             (write-line "hello server" w)
             (princ 42 w)
             (terpri w)
             (finish-output w)
             (let ((l1 (read-line server)) (l2 (read-line server)))
               (write-line "hello client" server)
               (force-output server)
               (list l1 l2 (read-line w) (wrapper-written w)))))
      (when client (close client :abort t))
      (when server (close server :abort t))
      (close listener))))

(deftest gray.tcp.round-trip (gray-tcp-exchange) ("hello server" "42" "hello client" 16))

;;; FORMAT writes to a Gray stream like to any other
(defclass gray-fmt-sink (ccl:fundamental-character-output-stream)
  ((chars :initform nil :accessor gray-fmt-chars)
   (column :initform 0 :accessor gray-fmt-column)))
(defmethod ccl:stream-write-char ((s gray-fmt-sink) c)
  (push c (gray-fmt-chars s))
  (setf (gray-fmt-column s) (if (char= c #\Newline) 0 (1+ (gray-fmt-column s))))
  c)
(defmethod ccl:stream-line-column ((s gray-fmt-sink)) (gray-fmt-column s))
(defun gray-fmt-text (s) (coerce (reverse (gray-fmt-chars s)) 'string))
(deftest gray.format
  (let ((s (make-instance 'gray-fmt-sink)))
    (format s "~a-~s ~d~%x~&y~&" "a" "b" 42)
    (gray-fmt-text s))
  "a-\"b\" 42
x
y
")
(deftest gray.format-t
  (let* ((s (make-instance 'gray-fmt-sink)) (*standard-output* s))
    (format t "~{~a~^,~}" '(1 2 3))
    (gray-fmt-text s))
  "1,2,3")
