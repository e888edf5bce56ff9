;;;; format.lisp — FORMAT (builtins/format*.c): every directive, destinations, and CCL's
;;;; FORMAT-ERROR messages (complaint, control string, caret), as CCL's lib/format.lisp prints them.

(defun format-error-text (control &rest args)
  (handler-case (progn (apply #'format nil control args) :no-error)
    (error (c) (princ-to-string c))))

;;; ---- destinations ----
(deftest dest.nil (format nil "abc") "abc")
(deftest-output dest.t (format t "x~a" 1) "x1")
(deftest dest.t-value (with-output-to-string (*standard-output*) (format t "x")) "x")
(deftest dest.t-returns-nil (let ((*standard-output* (make-string-output-stream))) (format t "x")) nil)
(deftest dest.stream (with-output-to-string (s) (format s "~a-~a" 1 2)) "1-2")
(deftest dest.fill-pointer
  (let ((s (make-array 0 :element-type 'character :fill-pointer 0 :adjustable t)))
    (format s "abc ~a" 1)
    (format s "!")
    s)
  "abc 1!")
(deftest dest.fill-pointer-returns-nil
  (format (make-array 0 :element-type 'character :fill-pointer 0 :adjustable t) "x")
  nil)
(deftest-error dest.not-a-stream (format 5 "x") type-error)
(deftest-error dest.simple-string (format (make-string 2) "x") error)
(deftest dest.no-directives (format nil "plain text") "plain text")
(deftest dest.function-control (format nil #'(lambda (s &rest args) (princ (length args) s)) 1 2) "2")
(deftest-error dest.bad-control (format nil 5) type-error)
(deftest dest.formatter (format nil (formatter "~a+~a") 1 2) "1+2")
(deftest dest.formatter-tail
  (let ((*standard-output* (make-string-output-stream)))
    (funcall (formatter "~a ") *standard-output* 1 2 3))
  (2 3))

;;; ---- ~A ~S ----
(deftest a.string (format nil "~a" "abc") "abc")
(deftest a.list (format nil "~a" '(1 "b" #\c)) "(1 b c)")
(deftest a.nil (format nil "~a" nil) "NIL")
(deftest a.colon-nil (format nil "~:a" nil) "()")
(deftest a.colon-non-nil (format nil "~:a" 'x) "X")
(deftest a.mincol (format nil "~10a|" "abc") "abc       |")
(deftest a.mincol-left (format nil "~10@a|" "abc") "       abc|")
(deftest a.colinc-wide (format nil "~5,3a|" "abcdef") "abcdef|")
(deftest a.colinc (format nil "~5,3a|" "abc") "abc   |")
(deftest a.minpad (format nil "~3,,2a|" "abc") "abc  |")
(deftest a.padchar (format nil "~6,,,'*a|" "ab") "ab****|")
(deftest a.padchar-left (format nil "~6,,,'*@a|" "ab") "****ab|")
(deftest a.colon-nil-padded (format nil "~4:a|" nil) "()  |")
(deftest a.v-mincol (format nil "~va|" 4 "x") "x   |")
(deftest a.v-nil (format nil "~va|" nil "x") "x|")
(deftest s.string (format nil "~s" "abc") "\"abc\"")
(deftest s.symbol (format nil "~s" :key) ":KEY")
(deftest s.char (format nil "~s" #\a) "#\\a")
(deftest s.colon-nil (format nil "~:s" nil) "()")
(deftest s.padded (format nil "~6s|" "ab") "\"ab\"  |")
(deftest s.float (format nil "~s ~s" 1.5 1.5d0) "1.5 1.5D0")
(deftest w.like-s (format nil "~w" '(1 "a")) "(1 \"a\")")

;;; ---- ~D ~B ~O ~X ----
(deftest d.plain (format nil "~d" 42) "42")
(deftest d.negative (format nil "~d" -42) "-42")
(deftest d.sign (format nil "~@d ~@d ~@d" 5 0 -5) "+5 +0 -5")
(deftest d.commas (format nil "~:d" 1234567) "1,234,567")
(deftest d.commas-negative (format nil "~:d" -1234567) "-1,234,567")
(deftest d.commas-small (format nil "~:d" 123) "123")
(deftest d.commas-sign (format nil "~@:d" 1000) "+1,000")
(deftest d.comma-char (format nil "~,,'.,4:d" 1234567) "123.4567")
(deftest d.comma-interval (format nil "~,,' ,2:d" 1234567) "1 23 45 67")
(deftest d.mincol (format nil "~5d|" 42) "   42|")
(deftest d.padchar (format nil "~5,'0d" 42) "00042")
(deftest d.padchar-negative (format nil "~5,'0d" -12) "00-12")
(deftest d.padded-commas (format nil "~10:d|" 1234567) " 1,234,567|")
(deftest d.too-narrow (format nil "~2d" 12345) "12345")
(deftest d.bignum (format nil "~:d" (expt 10 20)) "100,000,000,000,000,000,000")
(deftest d.float (format nil "~d" 1.5) "1.5")
(deftest d.float-no-padding (format nil "~5d|" 1.5) "1.5|")
(deftest d.ratio (format nil "~d" 1/3) "1/3")
(deftest d.symbol (format nil "~d" 'foo) "FOO")
(deftest d.print-base-ignored (let ((*print-base* 16)) (format nil "~d" 255)) "255")
(deftest b.plain (format nil "~b" 5) "101")
(deftest b.padded (format nil "~8,'0b" 5) "00000101")
(deftest o.plain (format nil "~o" 8) "10")
(deftest x.plain (format nil "~x" 255) "FF")
(deftest x.negative (format nil "~x" -255) "-FF")
(deftest x.commas (format nil "~,,' ,4:x" #xdeadbeef) "DEAD BEEF")
(deftest x.ratio (format nil "~x" 255/16) "FF/10")
(deftest d.v-params (format nil "~v,vd" 5 #\0 42) "00042")
(deftest d.hash-param (format nil "~#d|" 1 2 3) "  1|")

;;; ---- ~R ----
(deftest r.radix (format nil "~2r ~8r ~36r" 10 8 35) "1010 10 Z")
(deftest r.radix-padded (format nil "~16,8,'0r" 255) "000000FF")
(deftest r.radix-commas (format nil "~2,,,' ,4:r" 255) "1111 1111")
(deftest r.cardinal (format nil "~r" 1234567)
  "one million two hundred thirty-four thousand five hundred sixty-seven")
(deftest r.cardinal-zero (format nil "~r" 0) "zero")
(deftest r.cardinal-negative (format nil "~r" -21) "negative twenty-one")
(deftest r.cardinal-teens (format nil "~r ~r ~r" 11 15 19) "eleven fifteen nineteen")
(deftest r.cardinal-round (format nil "~r" 1000000) "one million")
(deftest r.cardinal-hundreds (format nil "~r" 101) "one hundred one")
(deftest r.cardinal-big (format nil "~r" (expt 10 30)) "one nonillion")
(deftest r.ordinal (format nil "~:r" 1234567)
  "one million two hundred thirty-four thousand five hundred sixty-seventh")
(deftest r.ordinal-small (format nil "~:r ~:r ~:r ~:r" 1 2 3 4) "first second third fourth")
(deftest r.ordinal-teens (format nil "~:r ~:r ~:r" 11 12 13) "eleventh twelfth thirteenth")
(deftest r.ordinal-tens (format nil "~:r ~:r" 20 42) "twentieth forty-second")
(deftest r.ordinal-hundred (format nil "~:r ~:r" 100 111) "one hundredth one hundred eleventh")
(deftest r.ordinal-zero (format nil "~:r" 0) "zeroth")
(deftest r.ordinal-negative (format nil "~:r" -3) "negative third")
(deftest r.roman (format nil "~@r" 1999) "MCMXCIX")
(deftest r.roman-4-9 (format nil "~@r ~@r ~@r" 4 9 14) "IV IX XIV")
(deftest r.roman-max (format nil "~@r" 3999) "MMMCMXCIX")
(deftest r.old-roman (format nil "~:@r" 1999) "MDCCCCLXXXXVIIII")
(deftest r.old-roman-4 (format nil "~:@r" 4) "IIII")
(deftest r.old-roman-max (format nil "~@:r" 4999) "MMMMDCCCCLXXXXVIIII")

;;; ---- ~P ~C ----
(deftest p.singular (format nil "~d item~:p" 1) "1 item")
(deftest p.plural (format nil "~d item~:p" 2) "2 items")
(deftest p.zero (format nil "~d item~:p" 0) "0 items")
(deftest p.plain (format nil "~p ~p" 1 3) " s")
(deftest p.y-ies (format nil "~d pon~:@p ~d pon~:@p" 1 2) "1 pony 2 ponies")
(deftest p.float-is-plural (format nil "~d thing~:p" 1.0) "1.0 things")
(deftest c.plain (format nil "~c" #\a) "a")
(deftest c.colon-space (format nil "~:c" #\Space) "Space")
(deftest c.colon-graphic (format nil "~:c" #\a) "a")
(deftest c.colon-newline (format nil "~:c" #\Newline) "Newline")
(deftest c.colon-tab (format nil "~:c ~:@c" #\Tab #\Tab) "Tab Tab")
(deftest c.atsign (format nil "~@c" #\a) "#\\a")
(deftest c.atsign-named (format nil "~@c" #\Newline) "#\\Newline")
(deftest c.designator (format nil "~c" "z") "z")

;;; ---- ~F ----
(deftest f.free (format nil "~f" 3.14159) "3.14159")
(deftest f.free-big (format nil "~F" 1e10) "10000000000.0")
(deftest f.free-small (format nil "~f" 1e-5) "0.00001")
(deftest f.free-double (format nil "~f" 123.456d0) "123.456")
(deftest f.free-integer (format nil "~f" 100) "100.0")
(deftest f.free-ratio (format nil "~f" 1/4) "0.25")
(deftest f.digits (format nil "~,2F" 3.14159) "3.14")
(deftest f.digits-round-below-half (format nil "~,2f" 2.675d0) "2.67")
(deftest f.digits-round-up (format nil "~,2f" 2.676d0) "2.68")
(deftest f.digits-zero (format nil "~,0f" 2.5) "3.")
(deftest f.digits-small (format nil "~,3f" 0.0005) "0.001")
(deftest f.digits-pad-zeros (format nil "~,4f" 1.5) "1.5000")
(deftest f.width (format nil "~6,2f|" 3.14159) "  3.14|")
(deftest f.width-only (format nil "~6f|" 3.14159) "3.1416|")
(deftest f.width-negative (format nil "~6f|" -3.14159) "-3.142|")
(deftest f.width-overflow (format nil "~6,2,,'*f|" 1234.0) "******|")
(deftest f.width-overflow-no-char (format nil "~6,2f|" 1234.0) "1234.00|")
(deftest f.scale (format nil "~6,2,1,'*f|" 3.14159) " 31.42|")
(deftest f.scale-overflow (format nil "~6,2,1,'*f|" 100.0) "******|")
(deftest f.padchar (format nil "~6,2,,'?,'xf|" 3.14159) "xx3.14|")
(deftest f.sign-free-form-ignored (format nil "~@f ~,1@f" 1.5 2.0) "1.5 +2.0")
(deftest f.leading-zero (format nil "~4,2f|" 0.5) "0.50|")
(deftest f.leading-zero-dropped (format nil "~3,2f|" 0.5) ".50|")
(deftest f.clhs-row
  (format nil "~6,2F|~6,2,1,'*F|~6,2,,'?F|~6F|~,2F|~F" 0.006 0.006 0.006 0.006 0.006 0.006)
  "  0.01|  0.06|  0.01| 0.006|0.01|0.006")
(deftest f.zero (format nil "~f ~,2f ~5,1f" 0.0 0.0 0.0) "0.0 0.00   0.0")
(deftest f.negative-zero (format nil "~,1f" -0.0) "-0.0")
(deftest f.non-number (format nil "~5f|" 'x) "    X|")

;;; ---- ~E ----
(deftest e.free (format nil "~E" 1.5) "1.5E+0")
(deftest e.free-big (format nil "~e" 123456.0) "1.23456E+5")
(deftest e.free-double (format nil "~e ~e" 1d0 1d-10) "1.0D+0 1.0D-10")
(deftest e.free-zero (format nil "~e" 0.0) "0.0E-1")
(deftest e.digits (format nil "~,2e" 3.14159) "3.14E+0")
(deftest e.width (format nil "~9,2e|" 3.14159) "  3.14E+0|")
(deftest e.exponent-digits (format nil "~,2,2e" 31.4159) "3.14E+01")
(deftest e.scale (format nil "~10,3,2,2,'?,,'$E" 3.14159) " 31.42$-01")
(deftest e.scale-negative (format nil "~9,3,2,-2,'%@E" 3.14159) "+.003E+03")
(deftest e.overflow (format nil "~9,2,1,,'*E" 1.1e13) "*********")
(deftest e.big (format nil "~9,2e" 1.1e13) " 1.10E+13")
(deftest e.double-marker (format nil "~9,2e" 1100.0d0) "  1.10D+3")
(deftest e.default-double
  (let ((*read-default-float-format* 'double-float)) (format nil "~e ~e" 1.5d0 1.5))
  "1.5E+0 1.5S+0")
(deftest e.negative (format nil "~9,2e" -3.14159) " -3.14E+0")
(deftest e.rational (format nil "~,1e" 1/8) "1.2E-1")

;;; ---- ~G ----
(deftest g.fixed (format nil "~g" 1.5) "1.5    ")
(deftest g.exponent (format nil "~g" 1e10) "1.0E+10")
(deftest g.clhs-1 (format nil "~9,2,1,,'*G|~9,3,2,3,'?,,'$G|~9,3,2,0,'%G|~9,2G"
                          0.0314159 0.0314159 0.0314159 0.0314159)
  "  3.14E-2|314.2$-04|0.314E-01|  3.14E-2")
(deftest g.clhs-2 (format nil "~9,2,1,,'*G|~9,3,2,3,'?,,'$G|~9,3,2,0,'%G|~9,2G"
                          3.14159 3.14159 3.14159 3.14159)
  "   3.1   | 3.14    | 3.14    |  3.1    ")
(deftest g.clhs-3 (format nil "~9,2,1,,'*G|~9,3,2,3,'?,,'$G|~9,3,2,0,'%G|~9,2G"
                          314.159 314.159 314.159 314.159)
  "  3.14E+2| 314.    | 314.    |  3.14E+2")
(deftest g.clhs-4 (format nil "~9,2,1,,'*G|~9,3,2,3,'?,,'$G|~9,3,2,0,'%G|~9,2G"
                          3.14e12 3.14e12 3.14e12 3.14e12)
  "*********|314.0$+10|0.314E+13| 3.14E+12")

;;; ---- ~$ ----
(deftest dollar.plain (format nil "~$" 1.5) "1.50")
(deftest dollar.integer (format nil "~$" 3) "3.00")
(deftest dollar.zero (format nil "~$" 0) "0.00")
(deftest dollar.digits (format nil "~3$" 3.14159) "3.142")
(deftest dollar.int-digits (format nil "~2,3$" 3.14159) "003.14")
(deftest dollar.width (format nil "~2,1,8$|" 3.14159) "    3.14|")
(deftest dollar.negative (format nil "~$" -1.5) "-1.50")
(deftest dollar.sign (format nil "~@$" 1.5) "+1.50")
(deftest dollar.sign-before-pad (format nil "~2,1,8,'*:@$" 3.5) "+***3.50")
(deftest dollar.small (format nil "~$" 0.001) "0.00")
(deftest-error dollar.not-a-number (format nil "~$" 'x) type-error)

;;; ---- ~% ~& ~| ~~ ~newline ----
(deftest newline.percent (format nil "a~%b") "a
b")
(deftest newline.percent-count (format nil "~2%") "

")
(deftest newline.fresh-line (format nil "a~&b~&~&c") "a
b
c")
(deftest newline.fresh-line-start (format nil "~&x") "x")
(deftest newline.fresh-line-count (format nil "a~2&b") "a

b")
(deftest newline.fresh-line-zero (format nil "a~0&b") "ab")
(deftest-output newline.fresh-line-stream
  (progn (princ "abc") (format t "~&x~&") (format t "~&y"))
  "abc
x
y")
(deftest newline.page (equal (format nil "~|~2|") (make-string 3 :initial-element (code-char 12))) t)
(deftest newline.tilde (format nil "~~ ~3~") "~ ~~~")
(deftest newline.ignored (format nil "a~
             b") "ab")
(deftest newline.colon-keeps-space (format nil "a~:
  b") "a  b")
(deftest newline.atsign (format nil "a~@
   b") "a
b")

;;; ---- ~T ----
(deftest t.absolute (format nil "~10Tx") "          x")
(deftest t.after-text (format nil "~a~10t|" "abc") "abc       |")
(deftest t.past-column (format nil "~a~3t|" "abcdef") "abcdef |")
(deftest t.colinc (format nil "~a~3,4t|" "abcdef") "abcdef |")
(deftest t.colinc-zero-colnum (format nil "~a~0,4t|" "abcdef") "abcdef  |")
(deftest t.relative (format nil "~a~3@t|" "ab") "ab   |")
(deftest t.relative-colinc (format nil "~a~1,4@t|" "ab") "ab  |")
(deftest t.new-line (format nil "abc~%~4tx") "abc
    x")
(deftest t.colon-not-pretty (format nil "a~3:tb") "ab")

;;; ---- ~* ----
(deftest star.skip (format nil "~a ~*~a" 1 2 3) "1 3")
(deftest star.skip-count (format nil "~2*~a" 1 2 3) "3")
(deftest star.back (format nil "~a ~:*~a" 1) "1 1")
(deftest star.back-two (format nil "~a ~a ~2:*~a" 1 2) "1 2 1")
(deftest star.absolute (format nil "~a ~a ~1@*~a" 1 2) "1 2 2")
(deftest star.absolute-zero (format nil "~a ~@*~a" 1) "1 1")
(deftest star.in-iteration (format nil "~{~a~:*~a~}" '(1 2)) "1122")

;;; ---- ~? ----
(deftest indirect.plain (format nil "~? ~a" "<~a>" '(1) 2) "<1> 2")
(deftest indirect.atsign (format nil "~@? ~a" "<~a>" 1 2) "<1> 2")
(deftest indirect.function (format nil "~?" (formatter "~a~a") '(1 2)) "12")
(deftest indirect.escape-local (format nil "~?|~a" "~a~^~a" '(1) 2) "1|2")

;;; ---- ~( ~) ----
(deftest case.down (format nil "~(Hello World~)") "hello world")
(deftest case.capitalize (format nil "~:(~a~)" "FOO-BAR baz") "Foo-Bar Baz")
(deftest case.capitalize-digits (format nil "~:(~a~)" "hello 2nd world") "Hello 2nd World")
(deftest case.first-word (format nil "~@(hello WORLD~)") "Hello world")
(deftest case.first-alpha (format nil "~@(~a~)" "1st place") "1St place")
(deftest case.up (format nil "~:@(hello world~)") "HELLO WORLD")
(deftest case.nested (format nil "~@(~:(a b~) c~)") "A b c")
(deftest case.escape (format nil "~(~a~^~a~)|" "AB") "ab")

;;; ---- ~[ ~] ----
(deftest cond.select (format nil "~[zero~;one~;two~]" 1) "one")
(deftest cond.out-of-range (format nil "~[zero~;one~]|" 5) "|")
(deftest cond.negative (format nil "~[zero~;one~]|" -1) "|")
(deftest cond.default (format nil "~[zero~;one~:;many~]" 5) "many")
(deftest cond.default-not-taken (format nil "~[zero~;one~:;many~]" 0) "zero")
(deftest cond.param (format nil "~2[a~;b~;c~]") "c")
(deftest cond.v-param (format nil "~v[a~;b~]" 1) "b")
(deftest cond.hash-param (format nil "~#[none~;one~;two~]" 1) "one")
(deftest cond.boolean-true (format nil "~:[no~;yes~]" t) "yes")
(deftest cond.boolean-false (format nil "~:[no~;yes~]" nil) "no")
(deftest cond.test-true (format nil "~@[x=~a~]" 5) "x=5")
(deftest cond.test-false (format nil "~@[x=~a~]|~a" nil 2) "|2")
(deftest cond.nested (format nil "~[a~;~:[b~;c~]~]" 1 t) "c")
(deftest cond.list-syntax (format nil "~@{~a~#[~; and ~:;, ~]~}" 1 2 3) "1, 2 and 3")

;;; ---- ~{ ~} ----
(deftest iter.list (format nil "~{~a~^, ~}" '(1 2 3)) "1, 2, 3")
(deftest iter.empty (format nil "~{~a~^, ~}" '()) "")
(deftest iter.max (format nil "~2{~a~}" '(1 2 3)) "12")
(deftest iter.max-zero (format nil "~0{~a~:}" '(1 2 3)) "")
(deftest iter.sublists (format nil "~:{(~a ~a)~}" '((1 2) (3 4))) "(1 2)(3 4)")
(deftest iter.rest (format nil "~@{~a~^ ~}" 1 2 3) "1 2 3")
(deftest iter.rest-sublists (format nil "~:@{~a~a~^,~}" '(1 2) '(3 4)) "1234")
(deftest iter.rest-sublists-colon-escape (format nil "~:@{~a~a~:^,~}" '(1 2) '(3 4)) "12,34")
(deftest iter.at-least-once (format nil "~{x~:}" '()) "x")
(deftest iter.not-at-least-once (format nil "~{x~}" '()) "")
(deftest iter.control-arg (format nil "~{~}" "<~a>" '(1 2)) "<1><2>")
(deftest iter.function-arg (format nil "~{~}" (formatter "<~a>") '(1 2)) "<1><2>")
(deftest iter.colon-escape (format nil "~:{~a~:^,~}" '((1) (2) (3))) "1,2,3")
(deftest iter.escape-in-sublist (format nil "~:{~a~^,~}" '((1) (2 3))) "12,")
(deftest iter.colon-escape-outside (format nil "~@{~a~:^,~}" 1 2) "1,2,")
(deftest iter.nested (format nil "~{~:{~a~:^,~}~^;~}" '(((1) (2)) ((3)))) "1,2;3")
(deftest iter.inner-rest (format nil "~{~a~@{~a~}~}" '(1 2 3)) "123")
(deftest iter.indirect-in-sublists (format nil "~:{~@?~}" '(("~a" 1) ("<~a>" 2))) "1<2>")

;;; ---- ~^ ----
(deftest escape.top (format nil "~a~^ ~a" 1) "1")
(deftest escape.top-more (format nil "~a~^ ~a" 1 2) "1 2")
(deftest escape.param-zero (format nil "a~0^b") "a")
(deftest escape.param-equal (format nil "a~3,3^b") "a")
(deftest escape.param-unequal (format nil "a~3,4^b") "ab")
(deftest escape.param-range (format nil "a~1,2,3^b") "a")
(deftest escape.param-out-of-range (format nil "a~1,5,3^b") "ab")
(deftest escape.param-chars (format nil "a~'a,'b,'c^b") "a")
(deftest escape.v-param (format nil "~a~v^~a" 1 0 2) "1")

;;; ---- ~< ~> justification ----
(deftest just.right (format nil "~10<abc~>|") "       abc|")
(deftest just.colon (format nil "~10:<abc~>|") "       abc|")
(deftest just.left (format nil "~10@<abc~>|") "abc       |")
(deftest just.center (format nil "~10:@<~a~>|" "ab") "    ab    |")
(deftest just.padchar (format nil "~10,,,'-<~a~>" "ab") "--------ab")
(deftest just.two (format nil "~10<~a~;~a~>" "ab" "cd") "ab      cd")
(deftest just.two-colon (format nil "~10:<~a~;~a~>" "ab" "cd") "   ab   cd")
(deftest just.two-atsign (format nil "~10@<~a~;~a~>" "ab" "cd") "ab   cd   ")
(deftest just.two-both (format nil "~10:@<~a~;~a~>" "ab" "cd") "  ab  cd  ")
(deftest just.three (format nil "~20<a~;b~;c~>|") "a         b        c|")
(deftest just.no-mincol (format nil "~<~a~;~a~>" "ab" "cd") "abcd")
(deftest just.minpad (format nil "~,,2<~a~;~a~>" "ab" "cd") "ab  cd")
(deftest just.colinc (format nil "~10,5<~a~>" "abcdefghijk") "    abcdefghijk")
(deftest just.empty-segments (format nil "~15<~;~a~;~>" "x") "       x       ")
(deftest just.clhs-escape (format nil "~15<~S~;~^~S~;~^~S~>" 'foo) "            FOO")
(deftest just.clhs-escape-2 (format nil "~15<~S~;~^~S~;~^~S~>" 'foo 'bar) "FOO         BAR")
(deftest just.escape-in-first (format nil "~15<~a~^~;~a~>|" "a") "|")
(deftest just.line-prefix-unused (format nil "~%~<;; ~1:;~a~>" "hello") "
hello")
(deftest just.line-prefix-used
  (format nil "~a~<;; ~1,10:;~a~>" "hello world" "again goes")
  "hello world;; again goes")

;;; ---- ~< ~:> logical blocks (no pretty printer: prefix, body, suffix) ----
(deftest block.plain (format nil "~<~a ~a~:>" '(1 2)) "1 2")
(deftest block.parens (format nil "~:<~a ~a~:>" '(1 2)) "(1 2)")
(deftest block.prefix-suffix (format nil "~<[~;~a ~a~;]~:>" '(1 2)) "[1 2]")
(deftest block.rest-args (format nil "~@<~a ~a~:>" 1 2) "1 2")
(deftest block.dotted (format nil "~<~a ~a ~a~:>" '(1 2 . 3)) "1 2 . 3")
(deftest block.short-list (format nil "~<~a ~a~:>" '(1)) "1 NIL")
(deftest block.escape (format nil "~<~@{~a~^ ~}~:>" '(1 2 3)) "1 2 3")
(deftest block.print-length (let ((*print-length* 2)) (format nil "~<~@{~a~^ ~}~:>" '(1 2 3))) "1 2 ...")
(deftest block.non-list (format nil "~:<~a~:>" 5) "5")
(deftest block.pprint-directives (format nil "~<~a~_~a~I~:@_~a~:>" '(1 2 3)) "123")

;;; ---- ~/name/ ----
(defun format-test-tag (stream arg colon atsign &rest params)
  (format stream "<~a ~a ~a ~a>" arg colon atsign params))
(deftest call.plain (format nil "~/format-test-tag/" 1) "<1 NIL NIL NIL>")
(deftest call.flags-params (format nil "~1,2:@/cl-user::format-test-tag/" 2) "<2 T T (1 2)>")
(deftest call.package (format nil "~/cl-user:format-test-tag/" 3) "<3 NIL NIL NIL>")

;;; ---- the condition system reports through FORMAT ----
(deftest report.simple-error
  (handler-case (error "x ~a ~{~a~}" 1 '(2 3)) (error (c) (princ-to-string c)))
  "x 1 23")
(deftest report.format-control
  (handler-case (error "~:[no~;yes~] ~r" t 3) (error (c) (princ-to-string c)))
  "yes three")

;;; ---- errors: CCL::FORMAT-ERROR, a SIMPLE-ERROR whose message shows where ----
(deftest-error err.unknown (format nil "~q") ccl::format-error)
(deftest-error err.is-simple-error (format nil "~q") simple-error)
(deftest err.unknown-text (format-error-text "~q") "
Unknown directive
\"~q\"
  ^
")
(deftest-error err.missing (format nil "~a") ccl::format-error)
(deftest err.missing-text (format-error-text "~a ~a" 1) "
Missing argument
\"~a ~a\"
     ^
")
(deftest err.missing-v (format-error-text "~a~%~a~v" 1 2) "
Missing argument
\"~a~%~a~v\"
      ^
")
(deftest err.premature-end (format-error-text "abc~") "
Premature end of control string
\"abc~\"
     ^
")
(deftest err.premature-end-param (format-error-text "~5") "
Premature end of control string
\"~5\"
   ^
")
(deftest err.illegal-parameter (format-error-text "~+a" 1) "
Illegal parameter
\"~+a\"
   ^
")
(deftest err.too-many-params (format-error-text "~1,2,3,4,5a" 1) "
Too many parameters
\"~1,2,3,4,5a\"
           ^
")
(deftest err.colon-flag (format-error-text "~:%") "
: flag not allowed
\"~:%\"
   ^
")
(deftest err.atsign-flag (format-error-text "~@|") "
@ flag not allowed
\"~@|\"
   ^
")
(deftest err.both-flags (format-error-text "~@:%") "
Flags not allowed
\"~@:%\"
    ^
")
(deftest err.repeat-count (format-error-text "~-1%") "
Bad repeat-count.
\"~-1%\"
    ^
")
(deftest err.no-previous (format-error-text "~:p" 1) "
No previous argument
\"~:p\"
   ^
")
(deftest err.goto-target (format-error-text "~2:*" 1) "
non-existent target for ~*
\"~2:*\"
    ^
")
(deftest err.goto-forward (format-error-text "~3*" 1) "
non-existent target for ~*
\"~3*\"
   ^
")
(deftest err.indirect-not-string (format-error-text "~?" 1) "
Indirected control string is not a string or function
\"~?\"
  ^
")
(deftest err.iteration-not-string (format-error-text "~{~}" 1 nil) "
Control string is not a string or function
\"~{~}\"
    ^
")
(deftest err.cond-not-integer (format-error-text "~[a~]" 'x) "
Argument to ~[ must be integer - X
\"~[a~]\"
   ^
")
(deftest err.boolean-two-clauses (format-error-text "~:[a~]" t) "
Two clauses separated by ~; are required for ~:[
\"~:[a~]\"
      ^
")
(deftest err.cond-both-flags (format-error-text "~:@[a~]" t) "
~:@[ undefined
\"~:@[a~]\"
     ^
")
(deftest err.test-missing (format-error-text "~@[a~]") "
Missing argument
\"~@[a~]\"
      ^
")
(deftest err.escape-atsign (format-error-text "~@^") "
FORMAT command ~@^ is undefined
\"~@^\"
   ^
")
(deftest err.escape-colon-atsign (format-error-text "~:@^") "
FORMAT command ~:@^ is undefined
\"~:@^\"
    ^
")
(deftest err.float-colon (format-error-text "~:F" 1.0) "
Colon flag not allowed
\"~:F\"
   ^
")
(deftest err.float-d (format-error-text "~,-1F" 1.0) "
Illegal value for d
\"~,-1F\"
     ^
")
(deftest err.exp-k-d (format-error-text "~,2,,5E" 1.0) "
incompatible values for k and d
\"~,2,,5E\"
       ^
")
(deftest err.mincol (format-error-text "~'xa" 1) "
Mincol must be an integer - #\\x
\"~'xa\"
    ^
")
(deftest err.colinc (format-error-text "~,0a" 1) "
Colinc must be a positive integer - 0
\"~,0a\"
    ^
")
(deftest err.minpad (format-error-text "~,,'xa" 1) "
Minpad must be an integer - #\\x
\"~,,'xa\"
      ^
")
(deftest err.padchar (format-error-text "~,,,5000000a" 1) "
Padchar must be a character or integer from 0 to 1114112 - 5000000
\"~,,,5000000a\"
            ^
")
(deftest err.roman (format-error-text "~@r" 4000) "
Number out of range for Roman numerals: 4,000
\"~@r\"
   ^
")
(deftest err.old-roman (format-error-text "~@:r" 0) "
Number out of range for old Roman numerals: 0
\"~@:r\"
    ^
")
(deftest err.english (format-error-text "~r" (expt 10 33)) "
Number too large to print in English: 1,000,000,000,000,000,000,000,000,000,000,000
\"~r\"
  ^
")
(deftest err.expecting (format-error-text "~{abc") "
Expecting one of (#\\})
\"~{abc\"
   ^
")
(deftest err.no-matching (format-error-text "~(abc~]") "
No matching bracket
\"~(abc~]\"
       ^
")
(deftest err.unmatched-close (format-error-text "abc~}") "
Unknown directive
\"abc~}\"
     ^
")
(deftest err.syntax (format-error-text "~[abc~" 0) "
Syntax error
\"~[abc~\"
       ^
")
(deftest err.just-atsign-separator (format-error-text "~<a~@;b~>") "
Atsign flag not allowed
\"~<a~@;b~>\"
      ^
")
(deftest err.just-late-colon (format-error-text "~<a~;b~:;c~>") "
~:; allowed only after first segment in ~<
\"~<a~;b~:;c~>\"
         ^
")
(deftest err.just-after-pprint (format-error-text "~_~<a~:;b~>") "
Justification illegal in this context
\"~_~<a~:;b~>\"
           ^
")
(deftest err.pprint-after-just (format-error-text "~<a~:;b~>~w" 1) "
~W illegal in this context
\"~<a~:;b~>~w\"
           ^
")
(deftest err.pprint-inside-just (format-error-text "~<~w~>" 1) "
Illegal in this context
\"~<~w~>\"
    ^
")
(deftest err.block-inside-just (format-error-text "~<~<a~:>~>" 1) "
Logical-block directive not allowed inside justification directive
\"~<~<a~:>~>\"
        ^
")
(deftest err.block-prefix (format-error-text "~<a~~b~;c~;d~:>" nil) "
Suffix and prefix must be simple
\"~<a~~b~;c~;d~:>\"
               ^
")
(deftest err.block-chunks (format-error-text "~<a~;b~;c~;d~:>" nil) "
Too many chunks
\"~<a~;b~;c~;d~:>\"
           ^
")
(deftest err.block-missing (format-error-text "~<a~:>") "
Missing argument
\"~<a~:>\"
  ^
")
(deftest err.unmatched-slash (format-error-text "~/foo") "
Unmatched ~/
\"~/foo\"
  ^
")
(deftest err.unknown-package (format-error-text "~/no-such-package-zz:foo/" 1) "
Unknown package
\"~/no-such-package-zz:foo/\"
  ^
")
(deftest err.indirect (format-error-text "~a ~? ~a" 1 "~a ~a" '(2) 3) "
Missing argument
\"~a ~a\"
     ^
While processing indirect control string
\"~a ~? ~a\"
     ^
")
(deftest err.indirect-iteration (format-error-text "~{~}" "~a~q" '(1)) "
Unknown directive
\"~a~q\"
    ^
While processing indirect control string
\"~{~}\"
    ^
")
(deftest err.indirect-nested (format-error-text "~?" "~?" '("~q" ())) "
Unknown directive
\"~q\"
  ^
While processing indirect control string
\"~?\"
  ^
While processing indirect control string
\"~?\"
  ^
")
(deftest err.padchar-not-char (format-error-text "~5,0d" 1) "Use '0 instead of 0 for padchar in format directive")
(deftest-error err.char-not-char (format nil "~c" 1) type-error)
(deftest-error err.iteration-not-list (format nil "~{~a~}" 1) type-error)
(deftest-error err.sublist-not-list (format nil "~:{~a~}" '(1)) type-error)
(deftest-error err.radix (format nil "~1r" 5) type-error)
(deftest-error err.cardinal-not-integer (format nil "~r" 1.5) type-error)
(deftest-error err.exp-no-overflow-char (format nil "~3e" 1.5) type-error)
