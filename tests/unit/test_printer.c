/* test_printer.c — Check suite for the printer (interp/printer*.c): CCL's exact output for
 * objects built in C (arrays, structures, instances, #<...> objects) and through Lisp. */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../include/clove.h"
#include "../../interp/gc_internal.h"
#include "../../interp/lisp.h"
#include "../../interp/stream.h"

#include "fixture.h"

/* src returns a string: compare its characters (the prin1 text unescaped). */
static void expect_string(const char *src, const char *expected) {
  char *got = eval_text(src);
  size_t n = strlen(got);
  ck_assert_msg(n >= 2 && got[0] == '"' && got[n - 1] == '"', "%s returned %s, not a string", src, got);
  char *plain = malloc(n);
  size_t j = 0;
  for (size_t i = 1; i + 1 < n; i++) {
    if (got[i] == '\\')
      i++;
    plain[j++] = got[i];
  }
  plain[j] = 0;
  ck_assert_msg(strcmp(plain, expected) == 0, "%s gave %s, expected %s", src, plain, expected);
  free(plain);
  free(got);
}

static void expect_error(const char *src) {
  char *out = NULL;
  CloveStatus st = clove_eval_string(cvm, src, &out);
  free(out);
  ck_assert_msg(st == CLOVE_ERROR, "%s did not signal", src);
}

static void expect_prin1(Value v, const char *expected) {
  char *got = prin1_cstr(thread(), v);
  ck_assert_msg(strcmp(got, expected) == 0, "printed %s, expected %s", got, expected);
  free(got);
}

static void expect_princ(Value v, const char *expected) {
  char *got = string_to_cstr(princ_to_string(thread(), v));
  ck_assert_msg(strcmp(got, expected) == 0, "princ printed %s, expected %s", got, expected);
  free(got);
}

/* prin1 of v starts with prefix, then " #x<upper-case hex>>" */
static void expect_unreadable(Value v, const char *prefix) {
  char *got = prin1_cstr(thread(), v);
  size_t n = strlen(prefix), len = strlen(got);
  ck_assert_msg(strncmp(got, prefix, n) == 0, "printed %s, expected %s #x...>", got, prefix);
  ck_assert_msg(strncmp(got + n, " #x", 3) == 0 && got[len - 1] == '>', "printed %s: no address", got);
  for (size_t i = n + 3; i < len - 1; i++)
    ck_assert_msg((got[i] >= '0' && got[i] <= '9') || (got[i] >= 'A' && got[i] <= 'F'), "bad address in %s",
                  got);
  free(got);
}

static Value sym(const char *name) { return intern_c(thread(), name, thread()->vm->pkg_cl_user); }

/* Binds a global special variable so that Lisp code can see a value built in C. */
static void set_global(const char *name, Value v) {
  Thread *th = thread();
  Value s = sym(name);
  symbol_of(th, s)->h.flags |= SYM_SPECIAL;
  set_symbol_value(th, s, v);
}

static Value slot_def(Thread *th, const char *name) { return list2(th, SYM(k_name), sym(name)); }

static Value make_class(Thread *th, enum ClassKind kind, Value name, Value slots) {
  Class *k = gc_alloc(th, T_CLASS, sizeof(Class));
  k->h.flags = (uint8_t)kind;
  k->name = name;
  k->supers = k->cpl = k->default_initargs = k->plist = k->subclasses = NIL;
  k->slots = slots;
  k->nslots = make_fixnum(list_length(slots));
  return obj_value(k);
}

static Value make_instance2(Thread *th, Value klass, Value a, Value b) {
  Instance *in = gc_alloc(th, T_INSTANCE, sizeof(Instance));
  in->klass = klass;
  in->slots = make_svector(th, 2, NIL);
  svec_of(in->slots)->data[0] = a;
  svec_of(in->slots)->data[1] = b;
  return obj_value(in);
}

static Value make_point(Thread *th, Value x, Value y) {
  Value k = make_class(th, CK_STRUCTURE, sym("POINT"), list2(th, slot_def(th, "X"), slot_def(th, "Y")));
  return make_instance2(th, k, x, y);
}

static Value make_numvec(Thread *th, enum NumVecType type, size_t len, size_t bytes) {
  NumVec *nv = gc_alloc(th, T_NUMVEC, sizeof(NumVec) + bytes);
  nv->h.flags = (uint8_t)type;
  nv->len = len;
  return obj_value(nv);
}

static Value make_complex_array(Thread *th, Value data, uint32_t rank, const size_t *dims, size_t fill,
                                uint8_t flags) {
  Array *a = gc_alloc(th, T_ARRAY, sizeof(Array) + rank * sizeof(size_t));
  a->h.flags = flags;
  a->data = data;
  a->offset = 0;
  a->rank = rank;
  size_t total = 1;
  for (uint32_t i = 0; i < rank; i++)
    total *= (a->dims[i] = dims[i]);
  a->total = total;
  a->fill = flags & ARR_FILL_POINTER ? fill : total;
  return obj_value(a);
}

static Value fixnum_vector(Thread *th, size_t n) {
  Value v = make_svector(th, n, NIL);
  for (size_t i = 0; i < n; i++)
    svec_of(v)->data[i] = make_fixnum((intptr_t)i + 1);
  return v;
}

/* ---- Symbols ---- */

START_TEST(test_symbol_escapes) {
  EXPECT_EVAL("'foo", "FOO");
  EXPECT_EVAL("'|abc|", "|abc|");
  EXPECT_EVAL("'|a|", "\\a"); /* one backslash is enough for CCL */
  EXPECT_EVAL("'|ABc|", "AB\\c");
  EXPECT_EVAL("'|Ab|", "|Ab|"); /* escapes in adjacent positions: bars */
  EXPECT_EVAL("'|A B|", "|A B|");
  EXPECT_EVAL("'|1|", "|1|");
  EXPECT_EVAL("'|1.5|", "|1.5|");
  EXPECT_EVAL("'|.|", "|.|");
  EXPECT_EVAL("'||", "||");
  EXPECT_EVAL("'|A\\|B|", "|A\\|B|");
  EXPECT_EVAL("'1+", "1+");
  EXPECT_EVAL("'+", "+");
  EXPECT_EVAL(":key", ":KEY");
  EXPECT_EVAL("(make-symbol \"G1\")", "#:G1");
  EXPECT_EVAL("(values (intern \"ZZTOP\" \"CCL\"))", "CCL::ZZTOP");
  expect_string("(write-to-string 'abc :base 16)", "|ABC|");
  expect_string("(write-to-string '|foo bar| :escape nil)", "foo bar");
  expect_string("(princ-to-string :foo)", "FOO");
  expect_string("(write-to-string (make-symbol \"G1\") :gensym nil)", "G1");
}
END_TEST

START_TEST(test_symbol_case) {
  expect_string("(write-to-string 'foo-bar :case :downcase)", "foo-bar");
  expect_string("(write-to-string 'foo-bar :case :capitalize)", "Foo-Bar");
  expect_string("(write-to-string 'foo1bar :case :capitalize)", "Foo1bar");
  expect_string("(write-to-string :foo :case :downcase)", ":foo");
  expect_string("(write-to-string '|ABc| :case :downcase)", "AB\\c");
  expect_string("(write-to-string (intern \"ZZTOP\" \"CCL\") :case :downcase)", "ccl::zztop");
  expect_error("(write-to-string 'foo :case :bogus)");
  EXPECT_EVAL("*print-case*", ":UPCASE"); /* reset after the complaint, as CCL does */
}
END_TEST

/* prin1 then read gives back the same symbol, for names that need care. */
START_TEST(test_symbol_round_trip) {
  static const char *const names[] = {
      "a",   "Ab",     "A B", "1",        "1.5",      ".",           "..",         "",
      "A:B", "a(b",    "FOO", "1+",       "+",        "-",           "+1",         "1/2",
      "A|B", "A\\\\B", "#A",  "A#",       "\n",       ";X",          "X'",         "`A",
      ",A",  "1E5",    "-.5", "\xc3\xa9", "\xc3\x89", "ABCDEFGHIJ(", "a b c d e f"};
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
    char src[256];
    snprintf(src, sizeof src, "(let ((s (intern \"%s\"))) (eq s (read-from-string (prin1-to-string s))))",
             names[i]);
    EXPECT_EVAL(src, "T");
  }
}
END_TEST

/* ---- Characters and strings ---- */

START_TEST(test_characters) {
  EXPECT_EVAL("#\\a", "#\\a");
  EXPECT_EVAL("#\\Space", "#\\ ");
  EXPECT_EVAL("#\\Newline", "#\\Newline");
  EXPECT_EVAL("#\\Nul", "#\\Null");
  EXPECT_EVAL("#\\Bel", "#\\Bell");
  EXPECT_EVAL("#\\Escape", "#\\ESC");
  EXPECT_EVAL("#\\Rubout", "#\\Rubout");
  EXPECT_EVAL("#\\Backspace", "#\\Backspace");
  EXPECT_EVAL("#\\U+E9", "#\\Latin_Small_Letter_E_With_Acute");
  EXPECT_EVAL("#\\U+4E2D", "#\\U+4E2D");
  EXPECT_EVAL("#\\U+80", "#\\U+0080");
  expect_string("(princ-to-string #\\a)", "a");
  expect_princ(make_char(0x4e2d), "\xe4\xb8\xad");
}
END_TEST

/* Every name the printer writes reads back as the same character. */
START_TEST(test_character_names_round_trip) {
  Thread *th = thread();
  int named = 0;
  for (uint32_t code = 0; code < 0x3000; code++) {
    char name[CHAR_NAME_MAX];
    if (!char_name_utf8(code, name, sizeof name))
      continue;
    named++;
    Value c = name_char(th, make_string_c(th, name));
    ck_assert_msg(c == make_char(code), "name %s of %u reads as something else", name, code);
  }
  ck_assert_int_gt(named, 1700);
  ck_assert(name_char(th, make_string_c(th, "no such name")) == NIL);
  ck_assert(name_char(th, make_string_c(th, "lInEfEeD")) == make_char(10));
  ck_assert(name_char(th, make_string_c(th, "^A")) == make_char(1));
  ck_assert(name_char(th, make_string_c(th, "101")) == make_char(65));
}
END_TEST

START_TEST(test_strings) {
  Thread *th = thread();
  EXPECT_EVAL("\"a\\\"b\\\\c\"", "\"a\\\"b\\\\c\"");
  expect_string("(princ-to-string \"a\\\"b\")", "a\"b");
  /* a string with a fill pointer prints its active part */
  Value data = make_string_c(th, "hello");
  size_t dim = 5;
  expect_prin1(make_complex_array(th, data, 1, &dim, 3, ARR_FILL_POINTER), "\"hel\"");
}
END_TEST

/* ---- Lists ---- */

START_TEST(test_lists) {
  EXPECT_EVAL("'(1 (2 3) . 4)", "(1 (2 3) . 4)");
  EXPECT_EVAL("''x", "'X");
  EXPECT_EVAL("'#'car", "#'CAR");
  EXPECT_EVAL("'(quote x y)", "(QUOTE X Y)");
  EXPECT_EVAL("'(function)", "(FUNCTION)");
  EXPECT_EVAL("'`(a ,b ,@c ,.d)", "`(A ,B ,@C ,.D)");
  expect_string("(write-to-string '(1 2 3 4) :length 2)", "(1 2 ...)");
  expect_string("(write-to-string '(1 2) :length 2)", "(1 2)");
  expect_string("(write-to-string '(a b) :length 0)", "(...)");
  expect_string("(write-to-string '(1 2 . 3) :length 1)", "(1 ...)");
  expect_string("(write-to-string '(1 2 . 3) :length 2)", "(1 2 . 3)");
  expect_string("(write-to-string '(1 (2 (3))) :level 2)", "(1 (2 #))");
  expect_string("(write-to-string '(1) :level 0)", "#");
  expect_string("(write-to-string 5 :level 0)", "5");
  expect_string("(write-to-string '(quote (a)) :level 1)", "'#");
}
END_TEST

START_TEST(test_long_list_and_deep_nesting) {
  Thread *th = thread();
  gc_set_stress(th->vm, false); /* millions of conses: collecting at each would take hours */
  Value list = NIL;
  for (int i = 0; i < 200000; i++)
    list = cons(th, make_fixnum(7), list);
  char *text = prin1_cstr(th, list);
  ck_assert_uint_eq(strlen(text), 2 * 200000 + 1);
  free(text);
  /* car-nesting deeper than the C stack allows: a Lisp error, and the VM lives on */
  Value deep = NIL;
  for (int i = 0; i < 1000000; i++)
    deep = cons(th, deep, NIL);
  set_global("*DEEP*", deep);
  deep = NIL;
  expect_error("(prin1-to-string *deep*)");
  EXPECT_EVAL("(+ 1 2)", "3");
}
END_TEST

/* ---- *print-circle* ---- */

START_TEST(test_circle) {
  expect_string("(let ((x (list 1 2))) (write-to-string (list x x) :circle t))", "(#1=(1 2) #1#)");
  expect_string("(let ((x (list 1 2 3))) (rplacd (cdr (cdr x)) x) (write-to-string x :circle t))",
                "#1=(1 2 3 . #1#)");
  expect_string("(let ((x (list 1 2 3))) (rplacd (cdr (cdr x)) x) (write-to-string x :length 5))",
                "(1 2 3 1 2 ...)");
  expect_string("(let ((tail (list 2 3))) (write-to-string (list (cons 1 tail) tail) :circle t))",
                "((1 . #1=(2 3)) #1#)");
  expect_string("(let ((x (list 1))) (rplaca x x) (write-to-string x :circle t))", "#1=(#1#)");
  expect_string("(let ((g (make-symbol \"G\"))) (write-to-string (list g g) :circle t))", "(#1=#:G #1#)");
  /* CCL numbers labels in the order the second occurrences are met */
  expect_string("(let ((a (list 1)) (b (list 2))) (write-to-string (list b a a b) :circle t))",
                "(#2=(2) #1=(1) #1# #2#)");
  expect_string("(let ((s \"ab\")) (write-to-string (list s s) :circle t))", "(#1=\"ab\" #1#)");
  expect_string("(write-to-string '(a a 1 1) :circle t)", "(A A 1 1)");
  Thread *th = thread();
  Value v = make_svector(th, 2, NIL);
  svec_of(v)->data[0] = v;
  svec_of(v)->data[1] = make_fixnum(1);
  set_global("*SELF-VECTOR*", v);
  expect_string("(write-to-string *self-vector* :circle t)", "#1=#(#1# 1)");
}
END_TEST

/* ---- Arrays ---- */

START_TEST(test_vectors) {
  Thread *th = thread();
  EXPECT_EVAL("#(1 2 3)", "#(1 2 3)");
  EXPECT_EVAL("#()", "#()");
  expect_string("(write-to-string #(1 2 3) :length 2)", "#(1 2 ...)");
  expect_string("(write-to-string '(#(1)) :level 1)", "(#)");
  expect_string("(write-to-string #(1 2) :array nil)", "#<SIMPLE-VECTOR 2>");
  EXPECT_EVAL("#*1010", "#*1010");
  expect_string("(write-to-string #*10 :array nil)", "#<SIMPLE-BIT-VECTOR 2>");
  expect_string("(write-to-string #*1010 :length 1)", "#*1010");

  Value oct = make_octets(th, 3);
  for (int i = 0; i < 3; i++)
    octets_of(oct)->data[i] = (uint8_t)(i + 1);
  expect_prin1(oct, "#(1 2 3)");
  set_global("*OCTETS*", oct);
  expect_string("(write-to-string *octets* :array nil)", "#<VECTOR 3 type (UNSIGNED-BYTE 8), simple>");
  expect_error("(write-to-string *octets* :readably t)");

  Value bits = make_numvec(th, NV_BIT, 4, 8);
  ((NumVec *)bits)->data[0] = 0x5; /* bit i is bit i of the word */
  expect_prin1(bits, "#*1010");
  Value shorts = make_numvec(th, NV_SB16, 2, 4);
  int16_t two_shorts[2] = {-1, 2};
  memcpy(((NumVec *)shorts)->data, two_shorts, sizeof two_shorts);
  expect_prin1(shorts, "#(-1 2)");
  Value doubles = make_numvec(th, NV_DFLOAT, 1, 8);
  double one_double = 1.5;
  memcpy(((NumVec *)doubles)->data, &one_double, sizeof one_double);
  expect_prin1(doubles, "#(1.5D0)");

  size_t four = 4;
  Value fp = make_complex_array(th, fixnum_vector(th, 4), 1, &four, 2, ARR_FILL_POINTER);
  expect_prin1(fp, "#(1 2)");
  set_global("*FP*", fp);
  expect_string("(write-to-string *fp* :array nil)", "#<VECTOR 4 fill-pointer 2>");
  Value adj = make_complex_array(th, fixnum_vector(th, 4), 1, &four, 4, ARR_FILL_POINTER | ARR_ADJUSTABLE);
  set_global("*ADJ*", adj);
  expect_string("(write-to-string *adj* :array nil)", "#<VECTOR 4 fill-pointer, adjustable>");
}
END_TEST

START_TEST(test_multidimensional_arrays) {
  Thread *th = thread();
  EXPECT_EVAL("#2A((1 2) (3 4))", "#2A((1 2) (3 4))");
  EXPECT_EVAL("#0A5", "#0A5");
  expect_string("(write-to-string #2A((1 2) (3 4)) :array nil)", "#<ARRAY 2x2, simple>");
  expect_string("(write-to-string #2A((1 2 3) (4 5 6)) :length 2)", "#2A((1 2 ...) (4 5 ...))");
  expect_string("(write-to-string #3A(((1 2)) ((3 4))) :level 2)", "#3A((#) (#))");
  expect_string("(write-to-string '(#2A((1 2))) :level 1)", "(#)");
  size_t dims[2] = {2, 2};
  expect_prin1(make_complex_array(th, make_string_c(th, "abcd"), 2, dims, 0, 0), "#2A(\"ab\" \"cd\")");
  size_t zero_dims[2] = {0, 3};
  expect_prin1(make_complex_array(th, make_svector(th, 0, NIL), 2, zero_dims, 0, 0), "#2A()");
}
END_TEST

/* ---- Structures, instances, classes ---- */

START_TEST(test_structures) {
  Thread *th = thread();
  Value p = make_point(th, make_fixnum(1), make_fixnum(2));
  expect_prin1(p, "#S(POINT :X 1 :Y 2)");
  set_global("*POINT*", p);
  expect_string("(write-to-string *point* :length 3)", "#S(POINT :X 1 ...)");
  expect_string("(write-to-string *point* :length 2)", "#S(POINT :X ...)");
  expect_string("(write-to-string *point* :length 0)", "#S(...)");
  expect_string("(write-to-string *point* :case :downcase)", "#S(point :x 1 :y 2)");
  expect_string("(write-to-string (list *point*) :level 1)", "(#)");
  expect_string("(write-to-string *point* :readably t)", "#S(POINT :X 1 :Y 2)");
  Value nested = make_point(th, p, make_string_c(th, "s"));
  expect_prin1(nested, "#S(POINT :X #S(POINT :X 1 :Y 2) :Y \"s\")");
  expect_princ(nested, "#S(POINT :X #S(POINT :X 1 :Y 2) :Y s)");
}
END_TEST

START_TEST(test_instances_and_classes) {
  Thread *th = thread();
  Value foo = make_class(th, CK_STANDARD, sym("FOO"), list2(th, slot_def(th, "A"), slot_def(th, "B")));
  Value inst = make_instance2(th, foo, NIL, NIL);
  expect_unreadable(inst, "#<FOO");
  expect_prin1(foo, "#<STANDARD-CLASS FOO>");
  expect_prin1(make_class(th, CK_BUILTIN, SYM(integer), NIL), "#<BUILT-IN-CLASS INTEGER>");
  expect_prin1(make_class(th, CK_STRUCTURE, sym("POINT"), NIL), "#<STRUCTURE-CLASS POINT>");
  Value cond =
      make_class(th, CK_CONDITION, sym("MY-CONDITION"), list2(th, slot_def(th, "A"), slot_def(th, "B")));
  expect_unreadable(make_instance2(th, cond, NIL, NIL), "#<MY-CONDITION");
  set_global("*INSTANCE*", inst);
  expect_string("(write-to-string (list *instance*) :level 1)", "(#)");
  expect_error("(write-to-string *instance* :readably t)");
}
END_TEST

/* ---- Other objects ---- */

START_TEST(test_unreadable_objects) {
  Thread *th = thread();
  EXPECT_EVAL("(find-package \"CL\")", "#<Package \"COMMON-LISP\">");
  char *car = eval_text("#'car");
  ck_assert_msg(strncmp(car, "#<Compiled-function CAR #x", 26) == 0, "#'car printed %s", car);
  free(car);
  char *anon = eval_text("#'(lambda (x) x)");
  ck_assert_msg(strncmp(anon, "#<Anonymous Function #x", 23) == 0, "a lambda printed %s", anon);
  free(anon);
  char *closure = eval_text("(let ((y 1)) #'(lambda (x) (+ x y)))");
  ck_assert_msg(strncmp(closure, "#<COMPILED-LEXICAL-CLOSURE #x", 29) == 0, "a closure printed %s", closure);
  free(closure);
  expect_error("(write-to-string #'car :readably t)");
  expect_string("(write-to-string (list (find-package \"CL\")) :level 1)", "(#)");

  expect_prin1(UNBOUND, "#<Unbound>");
  expect_unreadable(make_foreign(th, sym("WIDGET"), NULL, NULL), "#<WIDGET");
  expect_unreadable(make_box(th, make_fixnum(5)), "#<VALUE-CELL 5");
  char *ht = prin1_cstr(th, make_hash_table(th, HT_EQUAL, 16));
  ck_assert_msg(strncmp(ht, "#<HASH-TABLE :TEST EQUAL size 0/", 32) == 0, "a hash table printed %s", ht);
  free(ht);
}
END_TEST

/* What src writes to *OUT*, a string output stream made in C. */
static void expect_output(const char *src, const char *expected) {
  Thread *th = thread();
  Value out = make_string_output_stream(th);
  set_global("*OUT*", out);
  char *ignored = eval_text(src);
  free(ignored);
  char *got = string_to_cstr(get_output_stream_string(th, out));
  ck_assert_msg(strcmp(got, expected) == 0, "%s wrote %s, expected %s", src, got, expected);
  free(got);
}

START_TEST(test_print_functions) {
  expect_output("(print 'a *out*)", "\nA ");
  expect_output("(prin1 \"x\" *out*)", "\"x\"");
  expect_output("(princ \"x\" *out*)", "x");
  expect_output("(pprint 'a *out*)", "\nA");
  expect_output("(write 'a :stream *out* :case :downcase)", "a");
  expect_output("(write '(1 2) :stream *out* :length 1 :base 2)", "(1 ...)");
  EXPECT_EVAL("(print 5 *out*)", "5");
  EXPECT_EVAL("(multiple-value-call #'list (pprint 5 *out*))", "NIL");
  expect_string("(prin1-to-string 'a)", "A");
  expect_string("(let ((*print-base* 2)) (prin1-to-string 5))", "101");
  expect_string("(write-to-string 10 :base 16 :radix t)", "#xA");
  expect_string("(write-to-string 10 :radix t)", "10.");
  expect_string("(write-to-string \"abc\" :readably t)", "\"abc\"");
  expect_string("(write-to-string (make-symbol \"X\") :readably t :gensym nil)", "#:X");
  expect_error("(let ((*print-base* 1)) (prin1-to-string 5))");
  EXPECT_EVAL("*print-base*", "10");
  EXPECT_EVAL(
      "(list *print-escape* *print-readably* *print-radix* *print-circle* *print-pretty* *print-level* "
      "*print-length* *print-gensym* *print-array* *print-lines* *print-right-margin* *print-miser-width*)",
      "(T NIL NIL NIL NIL NIL NIL T T NIL NIL 40)");
}
END_TEST

static Suite *printer_suite(void) {
  Suite *s = suite_create("printer");
  TCase *tc = tcase_create("printer");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, test_symbol_escapes);
  tcase_add_test(tc, test_symbol_case);
  tcase_add_test(tc, test_symbol_round_trip);
  tcase_add_test(tc, test_characters);
  tcase_add_test(tc, test_character_names_round_trip);
  tcase_add_test(tc, test_strings);
  tcase_add_test(tc, test_lists);
  tcase_add_test(tc, test_long_list_and_deep_nesting);
  tcase_add_test(tc, test_circle);
  tcase_add_test(tc, test_vectors);
  tcase_add_test(tc, test_multidimensional_arrays);
  tcase_add_test(tc, test_structures);
  tcase_add_test(tc, test_instances_and_classes);
  tcase_add_test(tc, test_unreadable_objects);
  tcase_add_test(tc, test_print_functions);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) {
  SRunner *sr = srunner_create(printer_suite());
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
