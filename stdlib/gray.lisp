;;;; gray.lisp — Gray streams: the generic functions interp/stream.c calls for an instance of a
;;;; CCL:FUNDAMENTAL-STREAM subclass, with the default methods the Gray proposal specifies.
;;;; autoload: module — read whole the first time interp/stream.c meets a Gray stream.

;;; Each DEFGENERIC is wrapped in PROGN so that the autoloader makes no stub for it: a
;;; program's DEFMETHOD on STREAM-WRITE-CHAR ... may then come before this file is read
;;; (DEFMETHOD refuses a name that holds an ordinary function, which a stub is). The stub
;;; of %GRAY-READ-LINE is what stream.c resolves to read this file.

;;; ---- Character input ----

(progn (defgeneric stream-read-char (stream)
  (:documentation "Return the next character of STREAM, or :EOF.")))

(progn (defgeneric stream-unread-char (stream character)
  (:documentation "Put CHARACTER, the last one read, back in front of STREAM.")))

(progn (defgeneric stream-read-char-no-hang (stream)
  (:documentation "The next character, NIL when none is available now, or :EOF.")
  (:method ((s fundamental-character-input-stream)) (stream-read-char s))))

(progn (defgeneric stream-peek-char (stream)
  (:documentation "The next character (or :EOF) without consuming it.")
  (:method ((s fundamental-character-input-stream))
    (let ((c (stream-read-char s)))
      (unless (eq c :eof) (stream-unread-char s c))
      c))))

(progn (defgeneric stream-listen (stream)
  (:documentation "True if a character is available without waiting.")
  (:method ((s fundamental-character-input-stream))
    (let ((c (stream-read-char-no-hang s)))
      (when (characterp c)
        (stream-unread-char s c)
        t)))
  (:method ((s fundamental-stream)) nil)))

(progn (defgeneric stream-read-line (stream)
  (:documentation "Return a line and whether it ended at end of file instead of a newline.")
  (:method ((s fundamental-character-input-stream))
    (let ((out (make-string-output-stream)))
      (loop
        (let ((c (stream-read-char s)))
          (cond ((eq c :eof) (return (values (get-output-stream-string out) t)))
                ((char= c #\Newline) (return (values (get-output-stream-string out) nil)))
                (t (write-char c out)))))))))

(progn (defgeneric stream-clear-input (stream)
  (:method ((s fundamental-stream)) nil)))

;;; READ-LINE's two values, for C.
(defun %gray-read-line (stream)
  (multiple-value-bind (line missing-newline-p) (stream-read-line stream)
    (cons line missing-newline-p)))

;;; ---- Character output ----

(progn (defgeneric stream-write-char (stream character)
  (:documentation "Write CHARACTER to STREAM.")))

;;; STREAM-LINE-COLUMN was builtins/streams.c's function (CCL::%STREAM-LINE-COLUMN now): this
;;; one has a stub, which replaces that function at start-up and reads this file when called.
(fmakunbound 'stream-line-column)

(defgeneric stream-line-column (stream)
  (:documentation "The column of the output cursor, or NIL when unknown.")
  (:method ((s stream)) (%stream-line-column s))
  (:method ((s fundamental-stream)) nil))

(progn (defgeneric stream-line-length (stream)
  (:method ((s fundamental-stream)) nil)))

(progn (defgeneric stream-start-line-p (stream)
  (:method ((s fundamental-stream)) (eql (stream-line-column s) 0))))

(progn (defgeneric stream-write-string (stream string &optional start end)
  (:documentation "Write the characters of STRING from START below END to STREAM.")
  (:method ((s fundamental-character-output-stream) string &optional (start 0) end)
    (let ((end (or end (length string))))
      (do ((i start (1+ i)))
          ((>= i end))
        (stream-write-char s (char string i))))
    string)))

(progn (defgeneric stream-terpri (stream)
  (:method ((s fundamental-character-output-stream))
    (stream-write-char s #\Newline)
    nil)))

(progn (defgeneric stream-fresh-line (stream)
  (:documentation "Start a new line unless at the start of one; true if it wrote a newline.")
  (:method ((s fundamental-character-output-stream))
    (unless (stream-start-line-p s)
      (stream-terpri s)
      t))))

(progn (defgeneric stream-advance-to-column (stream column)
  (:method ((s fundamental-character-output-stream) column)
    (let ((current (stream-line-column s)))
      (when current
        (dotimes (i (- column current)) (stream-write-char s #\Space))
        t)))))

(progn (defgeneric stream-force-output (stream)
  (:method ((s fundamental-stream)) nil)))

(progn (defgeneric stream-finish-output (stream)
  (:method ((s fundamental-stream)) nil)))

(progn (defgeneric stream-clear-output (stream)
  (:method ((s fundamental-stream)) nil)))

;;; ---- Bytes and sequences ----

(progn (defgeneric stream-read-byte (stream)
  (:documentation "Return the next byte of STREAM, or :EOF.")))

(progn (defgeneric stream-write-byte (stream integer)
  (:documentation "Write INTEGER to STREAM.")))

(progn (defgeneric stream-read-sequence (stream sequence &optional start end)
  (:documentation "Fill SEQUENCE from START below END; the index of the first element not filled.")
  (:method ((s fundamental-stream) sequence &optional (start 0) end)
    (let ((end (or end (length sequence)))
          (chars (typep s 'fundamental-character-stream)))
      (do ((i start (1+ i)))
          ((>= i end) end)
        (let ((x (if chars (stream-read-char s) (stream-read-byte s))))
          (when (eq x :eof) (return i))
          (setf (elt sequence i) x)))))))

(progn (defgeneric stream-write-sequence (stream sequence &optional start end)
  (:documentation "Write the elements of SEQUENCE from START below END to STREAM.")
  (:method ((s fundamental-stream) sequence &optional (start 0) end)
    (let ((end (or end (length sequence)))
          (chars (typep s 'fundamental-character-stream)))
      (do ((i start (1+ i)))
          ((>= i end))
        (if chars
            (stream-write-char s (elt sequence i))
            (stream-write-byte s (elt sequence i)))))
    sequence)))

;;; ---- State: CLOSE, OPEN-STREAM-P, STREAM-ELEMENT-TYPE ----

;;; The Gray streams closed so far (FUNDAMENTAL-STREAM has no slot for it).
(defvar %gray-closed (make-hash-table :test 'eq))

(progn (defgeneric %gray-close (stream abort)
  (:method ((s fundamental-stream) abort)
    (declare (ignore abort))
    (unless (gethash s %gray-closed)
      (setf (gethash s %gray-closed) t)
      t))))

(progn (defgeneric %gray-open-p (stream)
  (:method ((s fundamental-stream)) (not (gethash s %gray-closed)))))

(progn (defgeneric %gray-element-type (stream)
  (:method ((s fundamental-character-stream)) 'character)
  (:method ((s fundamental-binary-stream)) '(unsigned-byte 8))
  (:method ((s fundamental-stream)) t)))
