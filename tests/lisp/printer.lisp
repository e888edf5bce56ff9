;;;; printer.lisp — the printer (interp/printer*.c, builtins/printer_natives.c): the text CCL
;;;; prints for each kind of object, under each *print-...* setting.

;;; ---- symbols: escapes, packages, gensyms ----
(deftest symbol.plain (prin1-to-string 'foo) "FOO")
(deftest symbol.princ (princ-to-string 'foo) "FOO")
(deftest symbol.keyword (prin1-to-string :foo) ":FOO")
(deftest symbol.keyword-princ (princ-to-string :foo) "FOO")
(deftest symbol.lowercase (prin1-to-string '|abc|) "|abc|")
(deftest symbol.one-lowercase (prin1-to-string '|a|) "\\a")
(deftest symbol.last-lowercase (prin1-to-string '|ABc|) "AB\\c")
(deftest symbol.adjacent-escapes (prin1-to-string '|Ab|) "|Ab|")
(deftest symbol.space (prin1-to-string '|A B|) "|A B|")
(deftest symbol.paren (prin1-to-string '|AB(C|) "AB\\(C")
(deftest symbol.colon (prin1-to-string '|A:B|) "|A:B|")
(deftest symbol.bar (prin1-to-string '|A\|B|) "|A\\|B|")
(deftest symbol.integer-like (prin1-to-string '|12|) "|12|")
(deftest symbol.float-like (prin1-to-string '|1.5|) "|1.5|")
(deftest symbol.ratio-like (prin1-to-string '|1/2|) "|1/2|")
(deftest symbol.dot (prin1-to-string '|.|) "|.|")
(deftest symbol.dots (prin1-to-string '|...|) "|...|")
(deftest symbol.empty (prin1-to-string '||) "||")
(deftest symbol.one-plus (prin1-to-string '1+) "1+")
(deftest symbol.plus (prin1-to-string '+) "+")
(deftest symbol.escape-nil (write-to-string '|foo bar| :escape nil) "foo bar")
(deftest symbol.base-16 (write-to-string 'face :base 16) "|FACE|")
(deftest symbol.base-10 (write-to-string 'face :base 10) "FACE")
(deftest symbol.gensym (prin1-to-string (make-symbol "G1")) "#:G1")
(deftest symbol.gensym-off (write-to-string (make-symbol "G1") :gensym nil) "G1")
(deftest symbol.gensym-princ (princ-to-string (make-symbol "G1")) "G1")
(deftest symbol.gensym-readably (write-to-string (make-symbol "G1") :gensym nil :readably t) "#:G1")
(deftest symbol.internal (prin1-to-string (intern "PRINTER-TEST-ZZ" "CCL")) "CCL::PRINTER-TEST-ZZ")
(deftest symbol.internal-princ (princ-to-string (intern "PRINTER-TEST-ZZ" "CCL")) "PRINTER-TEST-ZZ")
(deftest symbol.cl (prin1-to-string 'car) "CAR")
(deftest symbol.nil (prin1-to-string nil) "NIL")
(deftest symbol.t (prin1-to-string t) "T")

;;; ---- *print-case* ----
(deftest case.downcase (write-to-string 'foo-bar :case :downcase) "foo-bar")
(deftest case.capitalize (write-to-string 'foo-bar :case :capitalize) "Foo-Bar")
(deftest case.capitalize-digits (write-to-string 'foo1bar :case :capitalize) "Foo1bar")
(deftest case.keyword (write-to-string :foo :case :downcase) ":foo")
(deftest case.escaped-kept (write-to-string '|ABc| :case :downcase) "AB\\c")
(deftest case.package-prefix
  (write-to-string (intern "PRINTER-TEST-ZZ" "CCL") :case :downcase)
  "ccl::printer-test-zz")
(deftest case.binding (let ((*print-case* :downcase)) (prin1-to-string '(a b))) "(a b)")
(deftest case.bad-value (handler-case (write-to-string 'foo :case :bogus) (error () *print-case*)) :upcase)

;;; ---- characters: CCL's names ----
(deftest char.a (prin1-to-string #\a) "#\\a")
(deftest char.princ (princ-to-string #\a) "a")
(deftest char.space (prin1-to-string #\Space) "#\\ ")
(deftest char.newline (prin1-to-string #\Newline) "#\\Newline")
(deftest char.tab (prin1-to-string #\Tab) "#\\Tab")
(deftest char.return (prin1-to-string #\Return) "#\\Return")
(deftest char.null (prin1-to-string #\Nul) "#\\Null")
(deftest char.bell (prin1-to-string #\Bel) "#\\Bell")
(deftest char.backspace (prin1-to-string #\Backspace) "#\\Backspace")
(deftest char.page (prin1-to-string #\Page) "#\\Page")
(deftest char.escape (prin1-to-string #\Escape) "#\\ESC")
(deftest char.rubout (prin1-to-string #\Rubout) "#\\Rubout")
(deftest char.control (prin1-to-string #\U+1) "#\\SOH")
(deftest char.latin1 (prin1-to-string #\U+E9) "#\\Latin_Small_Letter_E_With_Acute")
(deftest char.no-break-space (prin1-to-string #\U+A0) "#\\No-Break_Space")
(deftest char.c1-control (prin1-to-string #\U+85) "#\\U+0085")
(deftest char.cjk (prin1-to-string #\U+4E2D) "#\\U+4E2D")
(deftest char.backslash (prin1-to-string #\\) "#\\\\")
(deftest char.paren (prin1-to-string #\() "#\\(")

;;; ---- strings ----
(deftest string.prin1 (prin1-to-string "abc") "\"abc\"")
(deftest string.escapes (prin1-to-string "a\"b\\c") "\"a\\\"b\\\\c\"")
(deftest string.princ (princ-to-string "a\"b") "a\"b")
(deftest string.readably (write-to-string "abc" :readably t) "\"abc\"")

;;; ---- lists, abbreviations, *print-length* and *print-level* ----
(deftest list.proper (prin1-to-string '(1 (2 3) "x")) "(1 (2 3) \"x\")")
(deftest list.dotted (prin1-to-string '(1 2 . 3)) "(1 2 . 3)")
(deftest list.empty (prin1-to-string '()) "NIL")
(deftest list.quote (prin1-to-string ''x) "'X")
(deftest list.function (prin1-to-string '#'car) "#'CAR")
(deftest list.quote-two-args (prin1-to-string '(quote x y)) "(QUOTE X Y)")
(deftest list.quote-dotted (prin1-to-string '(quote . x)) "(QUOTE . X)")
(deftest list.backquote (prin1-to-string '`(a ,b ,@c ,.d)) "`(A ,B ,@C ,.D)")
(deftest list.length (write-to-string '(1 2 3 4) :length 2) "(1 2 ...)")
(deftest list.length-exact (write-to-string '(1 2) :length 2) "(1 2)")
(deftest list.length-zero (write-to-string '(1 2) :length 0) "(...)")
(deftest list.length-dotted (write-to-string '(1 2 . 3) :length 1) "(1 ...)")
(deftest list.length-dotted-2 (write-to-string '(1 2 . 3) :length 2) "(1 2 . 3)")
(deftest list.level (write-to-string '(1 (2 (3))) :level 2) "(1 (2 #))")
(deftest list.level-zero (write-to-string '(1) :level 0) "#")
(deftest list.level-atom (write-to-string 5 :level 0) "5")
(deftest list.level-quote (write-to-string ''(a) :level 1) "'#")
(deftest list.level-and-length
  (write-to-string '((1 2 3) (4 5 6)) :level 2 :length 2)
  "((1 2 ...) (4 5 ...))")
(deftest list.readably-ignores-limits
  (write-to-string '(1 (2 3 4)) :level 1 :length 1 :readably t)
  "(1 (2 3 4))")
(deftest list.circular-length
  (let ((x (list 1 2 3))) (rplacd (cddr x) x) (write-to-string x :length 5))
  "(1 2 3 1 2 ...)")

;;; ---- *print-circle* ----
(deftest circle.shared (let ((x (list 1 2))) (write-to-string (list x x) :circle t)) "(#1=(1 2) #1#)")
(deftest circle.cdr
  (let ((x (list 1 2 3))) (rplacd (cddr x) x) (write-to-string x :circle t))
  "#1=(1 2 3 . #1#)")
(deftest circle.tail
  (let ((tail (list 2 3))) (write-to-string (list (cons 1 tail) tail) :circle t))
  "((1 . #1=(2 3)) #1#)")
(deftest circle.car (let ((x (list 1))) (rplaca x x) (write-to-string x :circle t)) "#1=(#1#)")
(deftest circle.gensym (let ((g (make-symbol "G"))) (write-to-string (list g g) :circle t)) "(#1=#:G #1#)")
(deftest circle.order
  (let ((a (list 1)) (b (list 2))) (write-to-string (list b a a b) :circle t))
  "(#2=(2) #1=(1) #1# #2#)")
(deftest circle.string (let ((s "ab")) (write-to-string (list s s) :circle t)) "(#1=\"ab\" #1#)")
(deftest circle.none (write-to-string '(a a 1 1) :circle t) "(A A 1 1)")
(deftest circle.vector
  (let ((v (vector 1 2))) (setf (svref v 0) v) (write-to-string v :circle t))
  "#1=#(#1# 2)")

;;; ---- numbers through the printer (numbers.c formats them) ----
(deftest number.radix-hex (write-to-string 10 :base 16 :radix t) "#xA")
(deftest number.radix-10 (write-to-string 10 :radix t) "10.")
(deftest number.base-2 (let ((*print-base* 2)) (prin1-to-string 5)) "101")
(deftest number.in-list (write-to-string '(10 20) :base 16) "(A 14)")
(deftest number.float (prin1-to-string 1.5) "1.5")
(deftest number.bad-base (handler-case (let ((*print-base* 1)) (prin1-to-string 5)) (error () :error)) :error)

;;; ---- vectors and arrays ----
(deftest vector.simple (prin1-to-string #(1 2 3)) "#(1 2 3)")
(deftest vector.empty (prin1-to-string #()) "#()")
(deftest vector.length (write-to-string #(1 2 3) :length 2) "#(1 2 ...)")
(deftest vector.level (write-to-string '(#(1)) :level 1) "(#)")
(deftest vector.no-array (write-to-string #(1 2) :array nil) "#<SIMPLE-VECTOR 2>")
(deftest vector.nested (prin1-to-string #(a #(b) "c")) "#(A #(B) \"c\")")
(deftest bit-vector.print (prin1-to-string #*1010) "#*1010")
(deftest bit-vector.length-ignored (write-to-string #*1010 :length 1) "#*1010")
(deftest bit-vector.no-array (write-to-string #*10 :array nil) "#<SIMPLE-BIT-VECTOR 2>")
(deftest array.2d (prin1-to-string #2A((1 2) (3 4))) "#2A((1 2) (3 4))")
(deftest array.0d (prin1-to-string #0A5) "#0A5")
(deftest array.2d-length (write-to-string #2A((1 2 3) (4 5 6)) :length 2) "#2A((1 2 ...) (4 5 ...))")
(deftest array.3d-level (write-to-string #3A(((1 2)) ((3 4))) :level 2) "#3A((#) (#))")
(deftest array.no-array (write-to-string #2A((1 2) (3 4)) :array nil) "#<ARRAY 2x2, simple>")
(deftest array.octets
  (prin1-to-string (make-array 3 :element-type '(unsigned-byte 8) :initial-element 7))
  "#(7 7 7)")
(deftest array.octets-no-array
  (write-to-string (make-array 3 :element-type '(unsigned-byte 8)) :array nil)
  "#<VECTOR 3 type (UNSIGNED-BYTE 8), simple>")
(deftest array.fill-pointer (prin1-to-string (make-array 4 :initial-element 0 :fill-pointer 2)) "#(0 0)")

;;; ---- strings ----
(deftest string.fill-pointer
  (prin1-to-string (make-array 5 :element-type 'character :initial-element #\x :fill-pointer 3))
  "\"xxx\"")

;;; ---- unreadable objects ----
(deftest package.print (prin1-to-string (find-package "COMMON-LISP")) "#<Package \"COMMON-LISP\">")
(deftest package.level (write-to-string (list (find-package "KEYWORD")) :level 1) "(#)")
(deftest function.native
  (let ((s (prin1-to-string #'car))) (subseq s 0 (min 26 (length s))))
  "#<Compiled-function CAR #x")
(deftest function.anonymous
  (let ((s (prin1-to-string #'(lambda (x) x)))) (subseq s 0 (min 23 (length s))))
  "#<Anonymous Function #x")
(deftest function.closure
  (let ((y 1)) (let ((s (prin1-to-string #'(lambda (x) (+ x y))))) (subseq s 0 (min 29 (length s)))))
  "#<COMPILED-LEXICAL-CLOSURE #x")
(deftest hash-table.print
  (let ((s (prin1-to-string (make-hash-table :test 'equal)))) (subseq s 0 (min 32 (length s))))
  "#<HASH-TABLE :TEST EQUAL size 0/")

;;; ---- structures ----
(deftest struct.print
  (progn (defstruct printer-test-point x y) (prin1-to-string (make-printer-test-point :x 1 :y "a")))
  "#S(PRINTER-TEST-POINT :X 1 :Y \"a\")")
(deftest struct.princ
  (princ-to-string (make-printer-test-point :x 1 :y "a"))
  "#S(PRINTER-TEST-POINT :X 1 :Y a)")
(deftest struct.length
  (write-to-string (make-printer-test-point :x 1 :y 2) :length 3)
  "#S(PRINTER-TEST-POINT :X 1 ...)")
(deftest struct.level (write-to-string (list (make-printer-test-point)) :level 1) "(#)")
(deftest struct.downcase
  (write-to-string (make-printer-test-point :x 1 :y 2) :case :downcase)
  "#S(printer-test-point :x 1 :y 2)")

;;; ---- the printing functions and variables ----
(deftest print.output (with-output-to-string (s) (print 'a s)) "
A ")
(deftest prin1.output (with-output-to-string (s) (prin1 "x" s)) "\"x\"")
(deftest princ.output (with-output-to-string (s) (princ "x" s)) "x")
(deftest pprint.output (with-output-to-string (s) (pprint 'a s)) "
A")
(deftest write.output (with-output-to-string (s) (write 'a :stream s :case :downcase)) "a")
(deftest write.returns-object (let ((x (list 1))) (eq x (write x :stream (make-string-output-stream)))) t)

;;; ---- the printing functions and variables ----
(deftest print.returns-object (print 5 (make-string-output-stream)) 5)
(deftest pprint.no-values (multiple-value-list (pprint 5 (make-string-output-stream))) nil)
(deftest write.keys-unwound
  (progn (write-to-string 'a :case :downcase :base 2) (prin1-to-string (list 'a 5)))
  "(A 5)")
(deftest defaults
  (list *print-escape* *print-readably* *print-base* *print-radix* *print-case* *print-circle* *print-pretty* *print-level* *print-length* *print-gensym* *print-array* *print-lines* *print-right-margin* *print-miser-width*)
  (t nil 10 nil :upcase nil nil nil nil t t nil nil 40))

;;; ---- *print-readably* ----
(deftest readably.function
  (handler-case (write-to-string #'car :readably t) (print-not-readable () :not-readable))
  :not-readable)
(deftest readably.object
  (handler-case (write-to-string (find-package "CL") :readably t) (print-not-readable (c) (eq (print-not-readable-object c) (find-package "CL"))))
  t)
