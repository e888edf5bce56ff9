;;; streams.lisp — the stream layer (interp/stream*.c, builtins/streams.c, builtins/files.c):
;;; string, composite and file streams, their errors, and pathnames as strings, as in CCL.

;;; ---- string input streams ----
(deftest read-char.1 (read-char (make-string-input-stream "abc")) #\a)
(deftest read-char.eof-value (read-char (make-string-input-stream "") nil :eof) :eof)
(deftest-error read-char.eof (read-char (make-string-input-stream "")) end-of-file)
(deftest read-char.eof-stream
  (let ((s (make-string-input-stream "")))
    (handler-case (read-char s) (end-of-file (c) (eq (stream-error-stream c) s))))
  t)
(deftest read-line.1 (multiple-value-list (read-line (make-string-input-stream "ab
cd"))) ("ab" nil))
(deftest read-line.missing-newline
  (let ((s (make-string-input-stream "ab
cd")))
    (read-line s)
    (multiple-value-list (read-line s)))
  ("cd" t))
(deftest read-line.empty-lines
  (let ((s (make-string-input-stream "

x")))
    (list (read-line s) (read-line s) (read-line s)))
  ("" "" "x"))
(deftest read-line.eof-value
  (multiple-value-list (read-line (make-string-input-stream "") nil :x))
  (:x t))
(deftest-error read-line.eof (read-line (make-string-input-stream "")) end-of-file)
(deftest string-input.start (read-line (make-string-input-stream "hello world" 6)) "world")
(deftest string-input.start-end (read-line (make-string-input-stream "hello world" 0 5)) "hello")
(deftest-error string-input.bad-interval (make-string-input-stream "abc" 2 1) error)
(deftest-error string-input.not-a-string (make-string-input-stream 'abc) type-error)
(deftest unread-char.1
  (let* ((s (make-string-input-stream "ab")) (c (read-char s)))
    (unread-char c s)
    (list c (read-char s) (read-char s)))
  (#\a #\a #\b))
(deftest-error unread-char.nothing-read (unread-char #\a (make-string-input-stream "ab")) error)
(deftest-error unread-char.wrong-char
  (let ((s (make-string-input-stream "ab"))) (read-char s) (unread-char #\z s))
  error)
(deftest peek-char.nil
  (let ((s (make-string-input-stream "xy"))) (list (peek-char nil s) (read-char s) (read-char s)))
  (#\x #\x #\y))
(deftest peek-char.skip-whitespace (peek-char t (make-string-input-stream "   z")) #\z)
(deftest peek-char.to-char
  (let ((s (make-string-input-stream "abc;def"))) (peek-char #\; s) (read-line s))
  ";def")
(deftest peek-char.eof-value (peek-char nil (make-string-input-stream "") nil :end) :end)
(deftest-error peek-char.eof (peek-char t (make-string-input-stream "   ")) end-of-file)
(deftest-error peek-char.bad-type (peek-char 5 (make-string-input-stream "a")) type-error)
(deftest read-char-no-hang.string (read-char-no-hang (make-string-input-stream "q")) #\q)
(deftest listen.1
  (list (listen (make-string-input-stream "a")) (listen (make-string-input-stream "")))
  (t nil))
(deftest file-position.string-input
  (let ((s (make-string-input-stream "abcdef" 1)))
    (read-char s)
    (list (file-position s) (file-position s 3) (read-char s)))
  (1 3 #\e))
(deftest-error file-position.out-of-range (file-position (make-string-input-stream "ab") 5) type-error)
(deftest with-input-from-string.index
  (let ((i nil))
    (with-input-from-string (s "hello" :index i :start 1) (read-char s) (read-char s))
    i)
  3)
(deftest read-sequence.string
  (let ((str (make-string 3 :initial-element #\-)))
    (list (read-sequence str (make-string-input-stream "ab")) str))
  (2 "ab-"))
(deftest read-sequence.list-start
  (let ((l (list 1 2 3))) (read-sequence l (make-string-input-stream "xyz") :start 1) l)
  (1 #\x #\y))
(deftest-error read-sequence.bad-end (read-sequence (make-string 2) (make-string-input-stream "ab") :end 5) error)
(deftest-error read-char.not-a-stream (read-char 42) type-error)
(deftest read-char.designator-nil
  (let ((*standard-input* (make-string-input-stream "q"))) (read-char nil))
  #\q)

;;; ---- string output streams ----
(deftest string-output.1
  (let ((s (make-string-output-stream)))
    (write-string "abc" s)
    (write-char #\d s)
    (get-output-stream-string s))
  "abcd")
(deftest string-output.reset
  (let ((s (make-string-output-stream)))
    (write-string "abc" s)
    (get-output-stream-string s)
    (write-string "x" s)
    (get-output-stream-string s))
  "x")
(deftest write-string.bounds (with-output-to-string (s) (write-string "abcdef" s :start 1 :end 3)) "bc")
(deftest-error write-string.bad-bounds (write-string "abc" (make-string-output-stream) :start 2 :end 1) error)
(deftest write-line.1 (with-output-to-string (s) (write-line "ab" s)) "ab
")
(deftest terpri.1 (with-output-to-string (s) (write-char #\x s) (terpri s)) "x
")
(deftest fresh-line.1
  (with-output-to-string (s) (fresh-line s) (write-string "a" s) (fresh-line s) (fresh-line s))
  "a
")
(deftest fresh-line.values
  (let ((s (make-string-output-stream)))
    (list (fresh-line s) (progn (write-char #\x s) (fresh-line s))))
  (nil t))
(deftest stream-line-column.1
  (let ((s (make-string-output-stream))) (write-string "ab
cde" s) (ccl:stream-line-column s))
  3)
(deftest with-output-to-string.fill-pointer
  (let ((str (make-array 0 :element-type 'character :fill-pointer 0 :adjustable t)))
    (with-output-to-string (s str) (write-string "hi" s) (write-string " there" s))
    str)
  "hi there")
(deftest-error fill-pointer-stream.not-fill-pointer (ccl::%make-string-output-stream "abc") error)
(deftest write-sequence.string (with-output-to-string (s) (write-sequence "hello" s :start 1 :end 3)) "el")
(deftest write-sequence.list (with-output-to-string (s) (write-sequence '(#\a #\b #\c) s)) "abc")
(deftest file-position.string-output
  (let ((s (make-string-output-stream))) (write-string "abc" s) (file-position s))
  3)
(deftest stream-element-type.string (stream-element-type (make-string-output-stream)) character)
(deftest-error make-string-output-stream.bad-type (make-string-output-stream :element-type 'fixnum) error)
(deftest-error write-char.not-a-char (write-char "a" (make-string-output-stream)) type-error)
(deftest-error write-string.not-a-string (write-string 'abc (make-string-output-stream)) type-error)
(deftest-error write-char.to-input-stream (write-char #\a (make-string-input-stream "a")) type-error)
(deftest write-char.to-input-stream-type
  (handler-case (write-char #\a (make-string-input-stream "a"))
    (type-error (c) (type-error-expected-type c)))
  (and ccl::character-stream ccl::output-stream))
(deftest-error read-char.from-output-stream (read-char (make-string-output-stream)) type-error)
(deftest-error write-byte.to-string-stream (write-byte 1 (make-string-output-stream)) type-error)
(deftest-error read-byte.from-string-stream (read-byte (make-string-input-stream "a")) type-error)
(deftest read-byte.from-string-stream-type
  (handler-case (read-byte (make-string-input-stream "a"))
    (type-error (c) (type-error-expected-type c)))
  (and ccl::binary-stream ccl::input-stream))
(deftest-error get-output-stream-string.not-string-stream
  (get-output-stream-string (make-string-input-stream "a"))
  type-error)

;;; ---- closing ----
(deftest-error closed.write (let ((s (make-string-output-stream))) (close s) (write-char #\a s)) stream-error)
(deftest-error closed.read (let ((s (make-string-input-stream "x"))) (close s) (read-char s)) stream-error)
(deftest closed.message
  (let ((s (make-string-input-stream "x")))
    (close s)
    (handler-case (read-char s)
      (stream-error (c) (list (eq (stream-error-stream c) s)
                              (not (null (search " is closed" (princ-to-string c))))))))
  (t t))
(deftest close.twice
  (let ((s (make-string-output-stream))) (list (close s) (close s) (open-stream-p s)))
  (t nil nil))
(deftest predicates.string-input
  (let ((s (make-string-input-stream "a")))
    (list (streamp s) (input-stream-p s) (output-stream-p s) (interactive-stream-p s) (open-stream-p s)))
  (t t nil nil t))
(deftest streamp.non-stream (streamp 5) nil)
(deftest-error input-stream-p.non-stream (input-stream-p 5) type-error)
(deftest-error close.non-stream (close "abc") type-error)

;;; ---- composite streams ----
(defvar *stream-test-target* nil)

(deftest broadcast.1
  (let ((a (make-string-output-stream)) (b (make-string-output-stream)))
    (write-string "hi" (make-broadcast-stream a b))
    (list (get-output-stream-string a) (get-output-stream-string b)))
  ("hi" "hi"))
(deftest broadcast.empty
  (let ((s (make-broadcast-stream))) (list (write-string "x" s) (stream-element-type s)))
  ("x" t))
(deftest-error broadcast.input-stream (make-broadcast-stream (make-string-input-stream "a")) type-error)
(deftest two-way.1
  (let* ((out (make-string-output-stream))
         (s (make-two-way-stream (make-string-input-stream "in") out)))
    (list (read-char s) (progn (write-string "out" s) (get-output-stream-string out))))
  (#\i "out"))
(deftest two-way.accessors
  (let* ((in (make-string-input-stream "in"))
         (out (make-string-output-stream))
         (s (make-two-way-stream in out)))
    (list (eq (two-way-stream-input-stream s) in) (eq (two-way-stream-output-stream s) out)))
  (t t))
(deftest-error two-way.bad-input
  (make-two-way-stream (make-string-output-stream) (make-string-output-stream))
  type-error)
(deftest echo.1
  (let* ((out (make-string-output-stream))
         (s (make-echo-stream (make-string-input-stream "abc") out)))
    (read-char s)
    (read-char s)
    (get-output-stream-string out))
  "ab")
(deftest echo.unread-not-echoed-twice
  (let* ((out (make-string-output-stream))
         (s (make-echo-stream (make-string-input-stream "abc") out)))
    (unread-char (read-char s) s)
    (read-char s)
    (read-char s)
    (get-output-stream-string out))
  "ab")
(deftest concatenated.1
  (read-line (make-concatenated-stream (make-string-input-stream "ab") (make-string-input-stream "cd")))
  "abcd")
(deftest concatenated.streams-shrink
  (let ((c (make-concatenated-stream (make-string-input-stream "a") (make-string-input-stream "b"))))
    (read-char c)
    (read-char c)
    (length (concatenated-stream-streams c)))
  1)
(deftest concatenated.eof (read-char (make-concatenated-stream) nil :eof) :eof)
(deftest-error concatenated.output-stream (make-concatenated-stream (make-string-output-stream)) error)
(deftest synonym.1
  (let ((*stream-test-target* (make-string-output-stream)))
    (write-string "via" (make-synonym-stream '*stream-test-target*))
    (get-output-stream-string *stream-test-target*))
  "via")
(deftest synonym.symbol (synonym-stream-symbol (make-synonym-stream '*stream-test-target*)) *stream-test-target*)
(deftest-error synonym.not-a-symbol (make-synonym-stream "x") type-error)
(deftest-error broadcast-streams.wrong-kind
  (broadcast-stream-streams (make-two-way-stream (make-string-input-stream "") (make-string-output-stream)))
  type-error)

;;; ---- printing ----
(deftest print.string-output-stream
  (subseq (prin1-to-string (make-string-output-stream)) 0 25)
  "#<STRING-OUTPUT-STREAM  #")
(deftest print.closed-string-stream
  (let ((s (make-string-input-stream ""))) (close s) (subseq (prin1-to-string s) 0 30))
  "#<STRING-INPUT-STREAM  :CLOSED")
(deftest print.synonym-stream
  (subseq (prin1-to-string (make-synonym-stream '*terminal-io*)) 0 33)
  "#<SYNONYM-STREAM to *TERMINAL-IO*")
(deftest type-of.string-output (type-of (make-string-output-stream)) string-output-stream)

;;; ---- standard streams ----
(deftest standard.streams
  (list (streamp *standard-output*) (output-stream-p *terminal-io*) (input-stream-p *standard-input*)
        (output-stream-p *error-output*) (streamp *query-io*) (streamp *trace-output*) (streamp *debug-io*))
  (t t t t t t t))
(deftest-output standard.write-string (write-string "abc") "abc")
(deftest standard.designator-nil
  (let ((*standard-output* (make-string-output-stream)))
    (write-char #\z nil)
    (get-output-stream-string *standard-output*))
  "z")

;;; ---- files ----
(defvar *dir* (concatenate 'string "/tmp/clove-streams-"
                           (princ-to-string (random 1000000000 (make-random-state t))) "/"))
(defvar *file* (concatenate 'string *dir* "test.txt"))
(defvar *other* (concatenate 'string *dir* "other.txt"))

(deftest ensure-directories-exist.1
  (list (nth-value 1 (ensure-directories-exist *file*)) (nth-value 1 (ensure-directories-exist *file*)))
  (t nil))
(deftest file.write-read
  (progn
    (with-open-file (s *file* :direction :output :if-exists :supersede)
      (write-line "line one" s)
      (write-string "line two" s))
    (with-open-file (s *file*) (list (read-line s) (read-line s) (read-line s nil :eof))))
  ("line one" "line two" :eof))
(deftest probe-file.exists (equal (probe-file *file*) *file*) t)
(deftest probe-file.missing (probe-file (concatenate 'string *dir* "missing")) nil)
(deftest probe-file.directory (equal (probe-file (concatenate 'string *dir* ".")) *dir*) t)
(deftest file-length.1 (with-open-file (s *file*) (file-length s)) 17)
(deftest file-position.file
  (with-open-file (s *file*) (read-char s) (read-char s) (list (file-position s) (file-position s 5) (read-char s)))
  (2 5 #\o))
(deftest open.append
  (progn (with-open-file (s *file* :direction :output :if-exists :append) (write-char #\! s))
         (with-open-file (s *file*) (file-length s)))
  18)
(deftest-error open.if-exists-error (open *file* :direction :output :if-exists :error) file-error)
(deftest open.if-exists-nil (open *file* :direction :output :if-exists nil) nil)
(deftest-error open.missing (open (concatenate 'string *dir* "missing")) file-error)
(deftest open.missing-nil (open (concatenate 'string *dir* "missing") :if-does-not-exist nil) nil)
(deftest open.missing-message
  (handler-case (open "/nonexistent-clove-dir/f") (file-error (c) (princ-to-string c)))
  "No such file or directory : #P\"/nonexistent-clove-dir/f\"")
(deftest open.missing-pathname
  (handler-case (open "/nonexistent-clove-dir/f") (file-error (c) (file-error-pathname c)))
  "/nonexistent-clove-dir/f")
(deftest-error open.bad-direction (open *file* :direction :sideways) type-error)
(deftest-error open.bad-element-type (open *file* :element-type 'single-float) error)
(deftest-error open.bad-external-format (open *file* :external-format :klingon) error)
(deftest-error open.directory (open *dir*) file-error)
(deftest open.probe
  (let ((s (open *file* :direction :probe))) (list (streamp s) (open-stream-p s)))
  (t nil))
(deftest file.binary
  (progn
    (with-open-file (s *other* :direction :output :element-type '(unsigned-byte 8) :if-exists :supersede)
      (write-byte 0 s) (write-byte 255 s) (write-byte 10 s))
    (with-open-file (s *other* :element-type '(unsigned-byte 8))
      (list (stream-element-type s) (read-byte s) (read-byte s) (read-byte s) (read-byte s nil nil))))
  ((unsigned-byte 8) 0 255 10 nil))
(deftest read-sequence.octets
  (let ((v (make-array 4 :element-type '(unsigned-byte 8) :initial-element 7)))
    (with-open-file (s *other* :element-type '(unsigned-byte 8))
      (list (read-sequence v s) (coerce v 'list))))
  (3 (0 255 10 7)))
(deftest-error read-char.binary-file (with-open-file (s *other* :element-type '(unsigned-byte 8)) (read-char s)) type-error)
(deftest-error write-byte.character-file
  (with-open-file (s *other* :direction :output :if-exists :append) (write-byte 1 s))
  type-error)
(deftest-error write-byte.out-of-range
  (with-open-file (s *other* :direction :output :element-type '(unsigned-byte 8) :if-exists :append)
    (write-byte 256 s))
  type-error)
(deftest file.latin-1
  (progn
    (with-open-file (s *other* :direction :output :external-format :latin-1 :if-exists :supersede)
      (write-char (code-char 233) s))
    (list (with-open-file (s *other*) (file-length s))
          (with-open-file (s *other* :external-format :latin-1) (char-code (read-char s)))))
  (1 233))
(deftest file.utf-8
  (progn
    (with-open-file (s *other* :direction :output :if-exists :supersede) (write-char (code-char 8364) s))
    (list (with-open-file (s *other*) (file-length s))
          (with-open-file (s *other*) (char-code (read-char s)))))
  (3 8364))
(deftest file.crlf
  (progn
    (with-open-file (s *other* :direction :output :if-exists :supersede
                                :external-format '(:character-encoding :utf-8 :line-termination :crlf))
      (write-line "a" s))
    (list (with-open-file (s *other*) (file-length s))
          (with-open-file (s *other* :external-format :crlf) (read-line s))))
  (3 "a"))
(deftest close.abort-deletes-created
  (let* ((name (concatenate 'string *dir* "aborted.txt"))
         (s (open name :direction :output)))
    (write-string "x" s)
    (close s :abort t)
    (probe-file name))
  nil)
(deftest close.abort-restores-superseded
  (progn
    (with-open-file (s *other* :direction :output :if-exists :supersede) (write-string "original" s))
    (let ((s (open *other* :direction :output :if-exists :supersede)))
      (write-string "new" s)
      (close s :abort t))
    (with-open-file (s *other*) (read-line s)))
  "original")
(deftest print.file-stream
  (with-open-file (s *file*) (subseq (prin1-to-string s) 0 39))
  "#<BASIC-FILE-CHARACTER-INPUT-STREAM (#P")
(deftest file-write-date.1 (> (file-write-date *file*) 3900000000) t)
(deftest directory.wild
  (progn
    (dolist (n '("a.lisp" "b.lisp" "c.txt"))
      (with-open-file (s (concatenate 'string *dir* n) :direction :output :if-exists :supersede)
        (write-string n s)))
    (mapcar #'file-namestring (directory (concatenate 'string *dir* "*.lisp"))))
  ("a.lisp" "b.lisp"))
(deftest rename-file.1
  (let ((new (concatenate 'string *dir* "renamed.txt")))
    (rename-file (concatenate 'string *dir* "c.txt") new)
    (list (null (probe-file (concatenate 'string *dir* "c.txt"))) (equal (probe-file new) new)))
  (t t))
(deftest delete-file.1
  (list (delete-file (concatenate 'string *dir* "a.lisp")) (probe-file (concatenate 'string *dir* "a.lisp")))
  (t nil))
(deftest-error delete-file.missing (delete-file (concatenate 'string *dir* "a.lisp")) file-error)
(deftest-error truename.missing (truename (concatenate 'string *dir* "missing")) file-error)

;;; ---- pathnames as strings ----
(deftest pathname-name.1 (list (pathname-name "/a/b/foo.lisp") (pathname-type "/a/b/foo.lisp")) ("foo" "lisp"))
(deftest pathname-name.dotfile (list (pathname-name ".emacs") (pathname-type ".emacs")) (".emacs" nil))
(deftest pathname-directory.1 (pathname-directory "/a/b/foo.lisp") (:absolute "a" "b"))
(deftest pathname-directory.relative (pathname-directory "x/../y.z") (:relative "x" :up))
(deftest merge-pathnames.name (merge-pathnames "foo" "/tmp/x.lisp") "/tmp/foo.lisp")
(deftest merge-pathnames.relative (merge-pathnames "sub/bar.txt" "/tmp/") "/tmp/sub/bar.txt")
(deftest make-pathname.1 (make-pathname :directory '(:absolute "tmp") :name "a" :type "b") "/tmp/a.b")
(deftest namestrings
  (list (file-namestring "/x/y/z.txt") (directory-namestring "/x/y/z.txt"))
  ("z.txt" "/x/y/"))

;;; ---- questions ----
(deftest y-or-n-p.1
  (let ((*query-io* (make-two-way-stream (make-string-input-stream "maybe
y
") (make-string-output-stream))))
    (y-or-n-p "Go?"))
  t)
(deftest yes-or-no-p.1
  (let ((*query-io* (make-two-way-stream (make-string-input-stream "  No
") (make-string-output-stream))))
    (yes-or-no-p "Sure?"))
  nil)
(deftest-error y-or-n-p.eof
  (let ((*query-io* (make-two-way-stream (make-string-input-stream "") (make-string-output-stream))))
    (y-or-n-p))
  end-of-file)

;;; clean up
(deftest delete-directory.1 (progn (ccl:delete-directory *dir*) (probe-file *dir*)) nil)
