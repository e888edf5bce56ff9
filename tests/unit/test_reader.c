/* test_reader.c — Check suite for the reader (interp/reader*.c) and the backquote
 * expander (interp/backquote.c): structures read, numbers, errors and their positions. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../include/clove.h"
#include "../../interp/control.h"
#include "../../interp/gc_internal.h"
#include "../../interp/stream.h"

#include "fixture.h"

static Value rd(const char *src) { return read_from_cstring(thread(), src); }

static Value string_stream(const char *src) {
  Thread *th = thread();
  Value s = make_string_utf8(th, src, strlen(src));
  return make_string_input_stream(th, s, 0, string_of(s)->len);
}

/* Reads the first object of src the way api.c protects a call: an unhandled Lisp
 * error reaches the toplevel catch with the condition in th->last_error.
 * Returns true and *out on success, false and *cond on an error. */
static bool try_read(const char *src, bool eof_error, Value eof_value, Value *out, Value *cond) {
  Thread *th = thread();
  Value stream = string_stream(src);
  CatchFrame cf;
  catch_push(th, &cf, SYM(toplevel_tag));
  if (setjmp(cf.jb) == 0) {
    *out = lisp_read(th, stream, eof_error, eof_value, false, false);
    th->dyn_top = cf.dyn_index;
    return true;
  }
  catch_restore(th, &cf);
  *cond = th->last_error;
  return false;
}

static bool sym_named(Value v, const char *name) {
  return is_symbol(v) && string_eq_c(symbol_name(thread(), v), name);
}

static bool str_is(Value s, const char *expect) {
  char *c = string_to_cstr(s);
  bool ok = c && strcmp(c, expect) == 0;
  free(c);
  return ok;
}

static Value nth(Value l, int n) {
  while (n-- > 0)
    l = CDR(l);
  return CAR(l);
}

/* The condition src signals, checked for its type; its report is returned (malloc'd). */
static char *error_of(const char *src, Value type) {
  Thread *th = thread();
  Value out = NIL, cond = NIL;
  bool ok = try_read(src, true, NIL, &out, &cond);
  ck_assert_msg(!ok, "reading %s should signal", src);
  ck_assert_msg(condition_typep(th, cond, type), "wrong condition type for %s", src);
  char *text = string_to_cstr(condition_report_string(th, cond));
  ck_assert_ptr_nonnull(text);
  return text;
}

static void check_reader_error(const char *src, const char *fragment) {
  Thread *th = thread();
  char *text = error_of(src, SYM(reader_error));
  ck_assert_msg(strstr(text, fragment) != NULL, "reading %s: \"%s\" lacks \"%s\"", src, text, fragment);
  ck_assert_msg(strstr(text, "Reader error on #<STRING-INPUT-STREAM") == text, "reading %s: \"%s\"", src,
                text);
  free(text);
}

/* ---- symbols ---- */

START_TEST(test_symbols) {
  Thread *th = thread();
  Value foo = rd("foo");
  ck_assert(sym_named(foo, "FOO"));
  ck_assert(sym_raw(foo)->package == th->vm->pkg_cl_user);
  ck_assert(rd("FOO") == foo);
  ck_assert(sym_named(rd("|foo Bar|"), "foo Bar"));
  ck_assert(sym_named(rd("f\\oo"), "FoO"));
  ck_assert(sym_named(rd("a|b|c"), "AbC"));
  ck_assert(sym_named(rd("||"), ""));
  Value kw = rd(":key");
  ck_assert(is_keyword(th, kw) && sym_named(kw, "KEY"));
  ck_assert(rd("::key") == kw);
  ck_assert(rd("cl:list") == SYM(list));
  ck_assert(rd("common-lisp::list") == SYM(list));
  ck_assert(rd("nil") == NIL);
  ck_assert(rd("t") == SYM(t));
  Value g = rd("#:gee");
  ck_assert(sym_named(g, "GEE") && sym_raw(g)->package == NIL);
  ck_assert(rd("#:gee") != g);
  ck_assert(sym_named(rd("1+"), "1+"));
  ck_assert(sym_named(rd("\\1"), "1"));
  ck_assert(sym_named(rd("..a"), "..A"));
  ck_assert(sym_named(rd("-"), "-"));
  ck_assert(sym_named(rd("a#b"), "A#B"));
}
END_TEST

START_TEST(test_unicode_case) {
  ck_assert(sym_named(rd("\xc3\xa9t\xc3\xa9"), "\xc3\x89T\xc3\x89")); /* été -> ÉTÉ */
  ck_assert(sym_named(rd("\xce\xbb"), "\xce\x9b"));                   /* λ -> Λ */
  ck_assert(sym_named(rd("|\xc3\xa9|"), "\xc3\xa9"));                 /* escaped: kept */
  ck_assert(sym_named(rd("stra\xc3\x9f"
                         "e"),
                      "STRA\xc3\x9f"
                      "E")); /* ß has no one-letter capital */
}
END_TEST

/* ---- numbers ---- */

START_TEST(test_integers) {
  ck_assert(rd("42") == make_fixnum(42));
  ck_assert(rd("-17") == make_fixnum(-17));
  ck_assert(rd("+5") == make_fixnum(5));
  ck_assert(rd("-0") == make_fixnum(0));
  ck_assert(rd("10.") == make_fixnum(10));
  ck_assert(rd("-10.") == make_fixnum(-10));
  ck_assert(rd("1152921504606846975") == make_fixnum(FIXNUM_MAX));
  ck_assert(rd("-1152921504606846976") == make_fixnum(FIXNUM_MIN));
  ck_assert(is_bignum(rd("1152921504606846976")));
  ck_assert(is_bignum(rd("-1152921504606846977")));
  Value big = rd("123456789012345678901234567890");
  ck_assert(is_bignum(big));
  ck_assert(equal(big, rd("123456789012345678901234567890")));
  ck_assert(is_bignum(rd("18446744073709551616"))); /* 2^64: past the uint64 fast path */
}
END_TEST

START_TEST(test_ratios) {
  Value half = rd("1/2");
  ck_assert(is_ratio(half));
  ck_assert(((Ratio *)half)->num == make_fixnum(1) && ((Ratio *)half)->den == make_fixnum(2));
  Value r = rd("2/4");
  ck_assert(is_ratio(r) && ((Ratio *)r)->num == make_fixnum(1) && ((Ratio *)r)->den == make_fixnum(2));
  ck_assert(rd("4/2") == make_fixnum(2));
  r = rd("-3/6");
  ck_assert(is_ratio(r) && ((Ratio *)r)->num == make_fixnum(-1));
  ck_assert(rd("0/5") == make_fixnum(0));
  ck_assert(sym_named(rd("1/-2"), "1/-2"));
  ck_assert(sym_named(rd("/2"), "/2"));
}
END_TEST

START_TEST(test_floats) {
  Thread *th = thread();
  Value f = rd("1.5");
  ck_assert(is_sfloat(f) && sfloat_val(f) == 1.5f);
  ck_assert(sfloat_val(rd(".5")) == 0.5f);
  ck_assert(sfloat_val(rd("-1.5e-3")) == -1.5e-3f);
  ck_assert(sfloat_val(rd("1e10")) == 1e10f);
  ck_assert(sfloat_val(rd("1.e2")) == 100.0f);
  ck_assert(sfloat_val(rd("0.1")) == 0.1f);
  ck_assert(sfloat_val(rd("1.5s0")) == 1.5f);
  ck_assert(sfloat_val(rd("1.5F0")) == 1.5f);
  Value d = rd("1.5d0");
  ck_assert(is_double(d) && double_of(d)->d == 1.5);
  ck_assert(double_of(rd("0.1d0"))->d == 0.1);
  ck_assert(double_of(rd("1L300"))->d == 1e300);
  ck_assert(double_of(rd("-2.5d-300"))->d == -2.5e-300);
  ck_assert(signbit(sfloat_val(rd("-0.0"))));
  ck_assert(sym_named(rd("1e"), "1E"));
  ck_assert(sym_named(rd("1.5e+"), "1.5E+"));
  ck_assert(sym_named(rd(".e5"), ".E5"));
  set_symbol_value(th, SYM(read_default_float_format), SYM(double_float));
  ck_assert(is_double(rd("1.5")));
  ck_assert(is_double(rd("1.5e0")));
  ck_assert(is_sfloat(rd("1.5f0")));
  set_symbol_value(th, SYM(read_default_float_format), SYM(single_float));
}
END_TEST

START_TEST(test_radix) {
  Thread *th = thread();
  ck_assert(rd("#x1F") == make_fixnum(31));
  ck_assert(rd("#XfF") == make_fixnum(255));
  ck_assert(rd("#b-101") == make_fixnum(-5));
  ck_assert(rd("#o17") == make_fixnum(15));
  ck_assert(rd("#36rZZ") == make_fixnum(1295));
  ck_assert(rd("#3r-21") == make_fixnum(-7));
  Value r = rd("#x1/A");
  ck_assert(is_ratio(r) && ((Ratio *)r)->den == make_fixnum(10));
  ck_assert(is_bignum(rd("#xFFFFFFFFFFFFFFFFFFFF")));
  set_symbol_value(th, SYM(read_base), make_fixnum(16));
  ck_assert(rd("ff") == make_fixnum(255));
  ck_assert(rd("1e5") == make_fixnum(0x1e5));
  ck_assert(rd("10.") == make_fixnum(10));
  ck_assert(is_sfloat(rd("1.5")));
  ck_assert(sym_named(rd("fg"), "FG"));
  set_symbol_value(th, SYM(read_base), make_fixnum(2));
  ck_assert(rd("101") == make_fixnum(5));
  ck_assert(sym_named(rd("12"), "12"));
  set_symbol_value(th, SYM(read_base), make_fixnum(10));
}
END_TEST

START_TEST(test_number_token_p) {
  uint32_t a[] = {'1', '/', '2'}, b[] = {'1', '+'}, c[] = {'-', '.', '5'}, d[] = {'f', 'f'}, e[] = {'+'};
  ck_assert(number_token_p(a, 3, 10));
  ck_assert(!number_token_p(b, 2, 10));
  ck_assert(number_token_p(c, 3, 10));
  ck_assert(!number_token_p(d, 2, 10));
  ck_assert(number_token_p(d, 2, 16));
  ck_assert(!number_token_p(e, 1, 10));
  ck_assert(parse_number_token(thread(), d, 2, 16) == make_fixnum(255));
  ck_assert(parse_number_token(thread(), b, 2, 10) == UNBOUND);
}
END_TEST

/* ---- lists and macro characters ---- */

START_TEST(test_lists) {
  Thread *th = thread();
  Value l = rd("(a b . c)");
  ck_assert(sym_named(CAR(l), "A") && sym_named(CAR(CDR(l)), "B") && sym_named(CDR(CDR(l)), "C"));
  ck_assert(rd("()") == NIL);
  ck_assert(rd("( )") == NIL);
  l = rd("(a (b (c)) () d)");
  ck_assert(list_length(l) == 4);
  ck_assert(sym_named(CAR(CAR(CDR(nth(l, 1)))), "C"));
  ck_assert(nth(l, 2) == NIL);
  l = rd("(a . (b c))");
  ck_assert(list_length(l) == 3);
  l = rd("(a . nil)");
  ck_assert(list_length(l) == 1);
  l = rd("'x");
  ck_assert(CAR(l) == SYM(quote) && sym_named(nth(l, 1), "X") && list_length(l) == 2);
  l = rd("#'car");
  ck_assert(CAR(l) == SYM(function) && sym_named(nth(l, 1), "CAR"));
  l = rd("(a'b\"c\"d)");
  ck_assert(list_length(l) == 4);
  ck_assert(CAR(nth(l, 1)) == SYM(quote));
  ck_assert(str_is(nth(l, 2), "c"));
  l = rd("(1 ; comment\n 2 #| block #| nested |# |# 3)");
  ck_assert(list_length(l) == 3 && nth(l, 2) == make_fixnum(3));
  l = rd("(a . ; c\n b)");
  ck_assert(sym_named(CDR(l), "B"));
}
END_TEST

START_TEST(test_backquote_reading) {
  Thread *th = thread();
  Value l = rd("`(a ,b ,@c ,.d)");
  ck_assert(CAR(l) == SYM(backquote));
  Value body = nth(l, 1);
  ck_assert(list_length(body) == 4);
  ck_assert(CAR(nth(body, 1)) == SYM(comma) && sym_named(nth(nth(body, 1), 1), "B"));
  ck_assert(CAR(nth(body, 2)) == SYM(comma_at));
  ck_assert(CAR(nth(body, 3)) == SYM(comma_dot));
  l = rd("``(,,x)");
  ck_assert(CAR(l) == SYM(backquote) && CAR(nth(l, 1)) == SYM(backquote));
  Value inner = CAR(nth(nth(l, 1), 1));
  ck_assert(CAR(inner) == SYM(comma) && CAR(nth(inner, 1)) == SYM(comma));
  l = rd("`#(a ,b)");
  ck_assert(is_type(nth(l, 1), T_SVECTOR));
}
END_TEST

START_TEST(test_strings_and_chars) {
  Value s = rd("\"a\\\"b\\\\c\\d\"");
  ck_assert(is_string(s) && str_is(s, "a\"b\\cd"));
  ck_assert(str_is(rd("\"\""), ""));
  ck_assert(str_is(rd("\"\xce\xbb x\""), "\xce\xbb x"));
  ck_assert(rd("#\\a") == make_char('a'));
  ck_assert(rd("#\\A") == make_char('A'));
  ck_assert(rd("#\\Space") == make_char(' '));
  ck_assert(rd("#\\newLINE") == make_char('\n'));
  ck_assert(rd("#\\Tab") == make_char('\t'));
  ck_assert(rd("#\\Rubout") == make_char(127));
  ck_assert(rd("#\\Nul") == make_char(0));
  ck_assert(rd("#\\U+263A") == make_char(0x263a));
  ck_assert(rd("#\\u263a") == make_char(0x263a));
  ck_assert(rd("#\\\xce\xbb") == make_char(0x3bb));
  ck_assert(rd("#\\(") == make_char('('));
  ck_assert(rd("#\\ ") == make_char(' '));
  ck_assert(rd("#\\^A") == make_char(1));
  Value l = rd("(#\\) #\\;)");
  ck_assert(CAR(l) == make_char(')') && nth(l, 1) == make_char(';'));
}
END_TEST

START_TEST(test_vectors_and_arrays) {
  Value v = rd("#(1 b \"c\")");
  ck_assert(is_type(v, T_SVECTOR) && svec_of(v)->len == 3);
  ck_assert(svec_of(v)->data[0] == make_fixnum(1));
  v = rd("#4(a b)");
  ck_assert(svec_of(v)->len == 4 && sym_named(svec_of(v)->data[3], "B"));
  ck_assert(svec_of(rd("#()"))->len == 0);
  v = rd("#*1011");
  ck_assert(is_type(v, T_NUMVEC) && obj_of(v)->flags == NV_BIT && ((NumVec *)v)->len == 4);
  ck_assert(((NumVec *)v)->data[0] == 0xd); /* bit i is bit i of the word: 1,0,1,1 */
  v = rd("#70*1");
  ck_assert(((NumVec *)v)->len == 70 && ((NumVec *)v)->data[0] == UINT64_MAX &&
            ((NumVec *)v)->data[1] == 0x3f);
  ck_assert(((NumVec *)rd("#*"))->len == 0);
  Value a = rd("#2A((1 2 3) (4 5 6))");
  ck_assert(is_type(a, T_ARRAY));
  Array *arr = array_of(a);
  ck_assert(arr->rank == 2 && arr->dims[0] == 2 && arr->dims[1] == 3 && arr->total == 6);
  ck_assert(svec_of(arr->data)->data[3] == make_fixnum(4));
  ck_assert(is_type(rd("#1A(1 2)"), T_SVECTOR));
  a = rd("#0Afoo");
  ck_assert(array_of(a)->rank == 0 && sym_named(svec_of(array_of(a)->data)->data[0], "FOO"));
  a = rd("#2A()");
  ck_assert(array_of(a)->dims[0] == 0 && array_of(a)->dims[1] == 0);
  ck_assert(str_is(rd("#p\"/tmp/x\""), "/tmp/x"));
}
END_TEST

START_TEST(test_conditionals) {
  ck_assert(rd("#+clove 1 2") == make_fixnum(1));
  ck_assert(rd("#-clove 1 2") == make_fixnum(2));
  ck_assert(rd("#+(or nope ccl) 1 2") == make_fixnum(1));
  ck_assert(rd("#+(and ccl nope) 1 2") == make_fixnum(2));
  ck_assert(rd("#+(not nope) 1 2") == make_fixnum(1));
  ck_assert(rd("#+nope #+nope 1 2 3") == make_fixnum(3));
  Value l = rd("(a #+nope b c #-clove d)");
  ck_assert(list_length(l) == 2);
  ck_assert(rd("#+nope (x:y #.(error \"no\") 1/0 #\\nonesuch #9# . a b) 7") == make_fixnum(7));
  ck_assert(rd("#.(car '(5))") == make_fixnum(5));
}
END_TEST

START_TEST(test_labels) {
  Value x = rd("#1=(a . #1#)");
  ck_assert(CDR(x) == x);
  x = rd("(#1=(a) #1#)");
  ck_assert(CAR(x) == CAR(CDR(x)));
  x = rd("#2=(#2# b)");
  ck_assert(CAR(x) == x);
  x = rd("#1=#(x #1#)");
  ck_assert(svec_of(x)->data[1] == x);
  x = rd("#1=(a #2=(b #1#) #2#)");
  ck_assert(nth(nth(x, 1), 1) == x && nth(x, 1) == nth(x, 2));
  x = rd("(#5=42 #5#)");
  ck_assert(nth(x, 1) == make_fixnum(42));
}
END_TEST

/* ---- end of file ---- */

START_TEST(test_eof) {
  Thread *th = thread();
  Value eof = make_fixnum(-1), out = NIL, cond = NIL;
  ck_assert(try_read("", false, eof, &out, &cond) && out == eof);
  ck_assert(try_read("   \n\t ", false, eof, &out, &cond) && out == eof);
  ck_assert(try_read("  ; just a comment", false, eof, &out, &cond) && out == eof);
  ck_assert(try_read("#| c |#", false, eof, &out, &cond) && out == eof);
  ck_assert(try_read("#-clove x", false, eof, &out, &cond) && out == eof);
  const char *inside[] = {"(a b", "\"abc", "'",       "`",   "#| abc", "|abc", "abc\\",
                          "#",    "(a .",  "#+clove", "#(1", "#\\",    NULL};
  for (int i = 0; inside[i]; i++) {
    ck_assert_msg(!try_read(inside[i], false, eof, &out, &cond), "%s read without error", inside[i]);
    ck_assert_msg(condition_typep(th, cond, SYM(end_of_file)), "%s: not END-OF-FILE", inside[i]);
  }
  ck_assert(!try_read("", true, eof, &out, &cond) && condition_typep(th, cond, SYM(end_of_file)));
  ck_assert(!condition_typep(th, cond, SYM(reader_error)));
  char *text = error_of("(a", SYM(end_of_file));
  ck_assert_msg(strstr(text, "Unexpected end of file on #<STRING-INPUT-STREAM") == text, "%s", text);
  ck_assert_msg(strstr(text, "line 1, column 2") != NULL, "%s", text);
  free(text);
}
END_TEST

START_TEST(test_read_sequence_and_whitespace) {
  Thread *th = thread();
  Value s = string_stream("abc def (x)\n42");
  ck_assert(sym_named(lisp_read(th, s, true, NIL, false, false), "ABC"));
  ck_assert(stream_read_char(th, s) == make_char('d')); /* READ consumed the space */
  stream_unread_char(th, s, make_char('d'));
  ck_assert(sym_named(lisp_read(th, s, true, NIL, false, true), "DEF"));
  ck_assert(stream_read_char(th, s) == make_char(' ')); /* preserving: the space is still there */
  ck_assert(list_length(lisp_read(th, s, true, NIL, false, false)) == 1);
  ck_assert(lisp_read(th, s, true, NIL, false, false) == make_fixnum(42));
  ck_assert(lisp_read(th, s, false, SYM(t), false, false) == SYM(t));
  s = string_stream("a b ] c");
  Value l = read_delimited_list(th, s, ']', false);
  ck_assert(list_length(l) == 2);
  ck_assert(sym_named(lisp_read(th, s, true, NIL, false, false), "C"));
}
END_TEST

/* ---- errors ---- */

START_TEST(test_reader_errors) {
  static const struct {
    const char *src, *fragment;
  } cases[] = {
      {")", "Unmatched ')'"},
      {"( . x)", "Dot context error"},
      {"(a . )", "Dot context error"},
      {"(a . b c)", "Dot context error"},
      {"(a . . b)", "Dot context error"},
      {".", "Dot context error in \".\""},
      {"...", "Illegal symbol syntax in \"...\""},
      {"#(a . b)", "Dot context error"},
      {",x", "Comma not inside backquote"},
      {",@x", "Comma not inside backquote"},
      {"`(a ,,b)", "Comma not inside backquote"},
      {"nosuchpkg:foo", "There is no package named \"NOSUCHPKG\""},
      {"nosuchpkg::foo", "There is no package named \"NOSUCHPKG\""},
      {"cl-user:car", "No external symbol named \"CAR\" in package"},
      {"cl:", "Illegal symbol syntax"},
      {":", "Illegal symbol syntax"},
      {"#:a:b", "Illegal symbol syntax"},
      {"#:123", "Illegal symbol syntax"},
      {"\x7f", "Illegal character"},
      {"ab\b", "Illegal character"},
      {"#\\notaname", "Unknown character name - \"notaname\""},
      {"#<foo>", "\"#<\" encountered"},
      {"# x", "\"#<whitespace>\" encountered"},
      {"#)", "\"#)\" encountered"},
      {"#%", "Undefined character #\\% in a #\\# dispatch macro"},
      {"#xZZ", "Malformed number in a #b/#o/#x/#r macro"},
      {"#x1.5", "Malformed number"},
      {"#b102", "Malformed number"},
      {"#r101", "Numeric argument required for #R reader macro"},
      {"#1r0", "Bad radix 1 in #R macro"},
      {"#37r0", "Bad radix 37"},
      {"#3'x", "Spurious numeric argument in #3' reader macro"},
      {"#*102", "not a binary digit"},
      {"#2*101", "reader macro #2* got too many bits"},
      {"#2*", "needs at least one bit"},
      {"#2(a b c)", "Vector longer than specified length"},
      {"#2()", "needs at least one element"},
      {"#A(1 2)", "#A used without a rank integer"},
      {"#2A5", "should have been a sequence"},
      {"#2A((1 2) (3))", "do not match its dimensions"},
      {"#1#", "Missing #1# label"},
      {"(#1=a #1=b)", "Duplicate #1= label"},
      {"#1=#1#", "Missing #1# label"},
      {"#=a", "requires an argument"},
      {"#+(foo bar) x", "Illegal #+/- expression (:FOO :BAR)"},
      {"#+(:and . x) y", "Illegal #+/- expression"},
      {"#C(1 2)", "Complex numbers are not supported"},
      {"#S(point :x 1)", "Can't initialize structure from (POINT :X 1)"},
      {"#p42", "#P requires a namestring"},
      {"1/0", "DIVISION-BY-ZERO raised while trying to parse numeric token \"1/0\""},
      {"1e39", "FLOATING-POINT-OVERFLOW raised while trying to parse numeric token \"1e39\""},
      {"1d400", "FLOATING-POINT-OVERFLOW"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
    check_reader_error(cases[i].src, cases[i].fragment);
}
END_TEST

START_TEST(test_read_eval_off) {
  Thread *th = thread();
  set_symbol_value(th, SYM(read_eval), NIL);
  check_reader_error("#.(+ 1 2)", "#. reader macro invoked when *READ-EVAL* is false");
  set_symbol_value(th, SYM(read_eval), SYM(t));
}
END_TEST

START_TEST(test_error_positions) {
  Thread *th = thread();
  char *text = error_of("     )", SYM(reader_error));
  ck_assert_msg(strstr(text, "line 1, column 6: Unmatched ')'") != NULL, "%s", text);
  free(text);
}
END_TEST

/* A list ends where it ends: the stray paren after it is for the next read. */
START_TEST(test_error_positions_multiline) {
  Thread *th = thread();
  Value s = string_stream("(a\n  b)\n   )");
  ck_assert(list_length(lisp_read(th, s, true, NIL, false, false)) == 2);
  CatchFrame cf;
  catch_push(th, &cf, SYM(toplevel_tag));
  if (setjmp(cf.jb) == 0) {
    lisp_read(th, s, true, NIL, false, false);
    th->dyn_top = cf.dyn_index;
    ck_abort_msg("stray paren read without error");
  }
  catch_restore(th, &cf);
  char *text = string_to_cstr(condition_report_string(th, th->last_error));
  ck_assert_msg(strstr(text, "line 3, column 4") != NULL, "%s", text);
  free(text);
}
END_TEST

START_TEST(test_deep_nesting) {
  size_t n = 2000000;
  char *src = malloc(n + 1);
  memset(src, '(', n);
  src[n] = 0;
  Value out = NIL, cond = NIL;
  ck_assert(!try_read(src, true, NIL, &out, &cond)); /* a Lisp error, not a crash */
  free(src);
  ck_assert(rd("(((1)))") != NIL); /* and the reader still works */
}
END_TEST

/* Long tokens and strings move to the heap; a collection at every allocation must not lose them. */
START_TEST(test_gc_stress) {
  Thread *th = thread();
  char src[4096];
  size_t k = 0;
  src[k++] = '(';
  for (int i = 0; i < 300; i++)
    src[k++] = 'x';
  src[k++] = ' ';
  src[k++] = '"';
  for (int i = 0; i < 200; i++)
    src[k++] = 'y';
  src[k++] = '"';
  for (int i = 0; i < 100; i++)
    k += (size_t)sprintf(src + k, " %d.5 #:g%d 1%d/3", i, i, i);
  strcpy(src + k, " #1=(a . #1#) 123456789012345678901234567890)");
  gc_set_stress(th->vm, true);
  Value l = rd(src);
  gc_set_stress(th->vm, false);
  ck_assert(list_length(l) == 2 + 300 + 2);
  ck_assert(string_of(symbol_name(th, CAR(l)))->len == 300);
  ck_assert(string_of(nth(l, 1))->len == 200);
  ck_assert(sfloat_val(nth(l, 2)) == 0.5f);
}
END_TEST

/* ---- backquote expansion ---- */

static void check_expansion(const char *template, const char *expected) {
  Thread *th = thread();
  Value got = backquote_expand(th, rd(template));
  Value want = rd(expected);
  if (!equal(got, want)) {
    char *g = prin1_cstr(th, got);
    ck_abort_msg("%s expanded to %s, expected %s", template, g, expected);
  }
}

START_TEST(test_backquote_expand) {
  check_expansion("`x", "'x");
  check_expansion("`5", "'5");
  check_expansion("`,x", "x");
  check_expansion("`(a b)", "'(a b)");
  check_expansion("`(a ,b)", "(list 'a b)");
  check_expansion("`(a ,b c)", "(list* 'a b '(c))");
  check_expansion("`(a ,@b)", "(cons 'a b)");
  check_expansion("`(,@a ,@b)", "(append a b)");
  check_expansion("`(,@a b)", "(append a '(b))");
  check_expansion("`(a . ,b)", "(cons 'a b)");
  check_expansion("`(a ,.b)", "(cons 'a b)");
  check_expansion("`(a ,.b c)", "(cons 'a (nconc b '(c)))");
  check_expansion("`((a ,b) c)", "(cons (list 'a b) '(c))");
  check_expansion("`#(a ,b)", "(apply #'vector (list 'a b))");
  check_expansion("`(a . b)", "'(a . b)");
  Thread *th = thread();
  Value form = rd("`#(a b)"); /* a constant vector is quoted as it is */
  Value got = backquote_expand(th, form);
  ck_assert(CAR(got) == SYM(quote) && nth(got, 1) == nth(form, 1));
}
END_TEST

START_TEST(test_backquote_nested) {
  Thread *th = thread();
  /* ``(a ,,x) with x = (+ 1 2), evaluated twice, is (A 3). */
  Value once = backquote_expand(th, rd("``(a ,,x)"));
  ck_assert(is_cons(once));
  Value code = eval_form(th, list3(th, SYM(let), list1(th, list2(th, rd("x"), rd("'(+ 1 2)"))), once));
  Value twice = eval_form(th, code);
  ck_assert(equal(twice, rd("(a 3)")));
}
END_TEST

static Suite *reader_suite(void) {
  Suite *s = suite_create("reader");
  TCase *tc = tcase_create("read");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, test_symbols);
  tcase_add_test(tc, test_unicode_case);
  tcase_add_test(tc, test_integers);
  tcase_add_test(tc, test_ratios);
  tcase_add_test(tc, test_floats);
  tcase_add_test(tc, test_radix);
  tcase_add_test(tc, test_number_token_p);
  tcase_add_test(tc, test_lists);
  tcase_add_test(tc, test_backquote_reading);
  tcase_add_test(tc, test_strings_and_chars);
  tcase_add_test(tc, test_vectors_and_arrays);
  tcase_add_test(tc, test_conditionals);
  tcase_add_test(tc, test_labels);
  tcase_add_test(tc, test_eof);
  tcase_add_test(tc, test_read_sequence_and_whitespace);
  tcase_add_test(tc, test_reader_errors);
  tcase_add_test(tc, test_read_eval_off);
  tcase_add_test(tc, test_error_positions);
  tcase_add_test(tc, test_error_positions_multiline);
  tcase_add_test(tc, test_deep_nesting);
  tcase_add_test(tc, test_gc_stress);
  tcase_add_test(tc, test_backquote_expand);
  tcase_add_test(tc, test_backquote_nested);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) {
  SRunner *sr = srunner_create(reader_suite());
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
