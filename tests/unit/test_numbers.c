/* test_numbers.c — Check suite for the numeric tower (builtins/numbers*.c): the C API that the
 * reader, printer and embedders use, bignum normalisation, float printing and arithmetic errors. */
#include <check.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../include/clove.h"
#include "../../interp/lisp.h"

#include "fixture.h"

/* src signals an error whose text is expected. */
#define EXPECT_ERROR(src, expected)                                                                          \
  do {                                                                                                       \
    char *out_ = NULL;                                                                                       \
    CloveStatus st_ = clove_eval_string(cvm, src, &out_);                                                    \
    free(out_);                                                                                              \
    ck_assert_msg(st_ == CLOVE_ERROR, "%s did not signal", src);                                             \
    ck_assert_msg(strcmp(clove_error_text(cvm), expected) == 0, "%s signalled \"%s\", expected \"%s\"", src, \
                  clove_error_text(cvm), expected);                                                          \
  } while (0)

/* The printed form of a number, through the printer's own entry point. */
static char *number_text(Value v, unsigned base, bool radix) {
  Thread *th = thread();
  Value s = number_to_string(th, v, base, radix);
  return string_to_cstr(s);
}

#define EXPECT_NUMBER(v, base, radix, expected)                                                              \
  do {                                                                                                       \
    char *got_ = number_text((v), (base), (radix));                                                          \
    ck_assert_msg(strcmp(got_, expected) == 0, "printed %s, expected %s", got_, expected);                   \
    free(got_);                                                                                              \
  } while (0)

/* ---- The C API ---- */

START_TEST(make_integer_normalises) {
  Thread *th = thread();
  ck_assert(is_fixnum(make_integer(th, FIXNUM_MAX)));
  ck_assert(is_fixnum(make_integer(th, FIXNUM_MIN)));
  ck_assert(is_bignum(make_integer(th, FIXNUM_MAX + 1)));
  ck_assert(is_bignum(make_integer(th, FIXNUM_MIN - 1)));
  ck_assert(is_bignum(make_integer(th, INTPTR_MIN)));
  ck_assert(is_fixnum(make_integer_u64(th, (uint64_t)FIXNUM_MAX)));
  ck_assert(is_bignum(make_integer_u64(th, UINT64_MAX)));
  EXPECT_NUMBER(make_integer(th, INTPTR_MIN), 10, false, "-9223372036854775808");
  EXPECT_NUMBER(make_integer_u64(th, UINT64_MAX), 10, false, "18446744073709551615");
}
END_TEST

START_TEST(arithmetic_crosses_the_fixnum_boundary) {
  Thread *th = thread();
  Value max = make_fixnum(FIXNUM_MAX), one = make_fixnum(1);
  Value big = number_add(th, max, one);
  ck_assert(is_bignum(big));
  Value back = number_sub(th, big, one);
  ck_assert(is_fixnum(back));
  ck_assert_int_eq(fixnum_val(back), FIXNUM_MAX);
  Value neg = number_mul(th, big, make_fixnum(-1));
  ck_assert(is_fixnum(neg)); /* -2^60 is most-negative-fixnum */
  ck_assert_int_eq(fixnum_val(neg), FIXNUM_MIN);
  Value sq = number_mul(th, max, max);
  EXPECT_NUMBER(sq, 10, false, "1329227995784915870597964051066650625");
  Value q = number_div(th, sq, max);
  ck_assert(is_fixnum(q));
  ck_assert_int_eq(fixnum_val(q), FIXNUM_MAX);
}
END_TEST

START_TEST(ratios_are_canonical) {
  Thread *th = thread();
  Value half = make_ratio(th, make_fixnum(2), make_fixnum(4));
  ck_assert(is_ratio(half));
  EXPECT_NUMBER(half, 10, false, "1/2");
  Value two = make_ratio(th, make_fixnum(6), make_fixnum(3));
  ck_assert(is_fixnum(two));
  ck_assert_int_eq(fixnum_val(two), 2);
  EXPECT_NUMBER(make_ratio(th, make_fixnum(3), make_fixnum(-6)), 10, false, "-1/2");
  Value sum = number_add(th, half, half);
  ck_assert(is_fixnum(sum));
  ck_assert_int_eq(fixnum_val(sum), 1);
  EXPECT_NUMBER(number_div(th, make_fixnum(1), make_fixnum(3)), 10, false, "1/3");
}
END_TEST

START_TEST(integers_from_digits) {
  Thread *th = thread();
  Value v = integer_from_digits(th, "1152921504606846975", 10, false);
  ck_assert(is_fixnum(v));
  ck_assert_int_eq(fixnum_val(v), FIXNUM_MAX);
  v = integer_from_digits(th, "1152921504606846976", 10, true);
  ck_assert(is_fixnum(v));
  ck_assert_int_eq(fixnum_val(v), FIXNUM_MIN);
  v = integer_from_digits(th, "1152921504606846976", 10, false);
  ck_assert(is_bignum(v));
  v = integer_from_digits(th, "ff", 16, false);
  ck_assert_int_eq(fixnum_val(v), 255);
  v = integer_from_digits(th, "123456789012345678901234567890", 10, true);
  EXPECT_NUMBER(v, 10, false, "-123456789012345678901234567890");
  EXPECT_NUMBER(v, 16, true, "#x-18EE90FF6C373E0EE4E3F0AD2");
}
END_TEST

START_TEST(comparison_is_exact) {
  Thread *th = thread();
  Value big = integer_from_digits(th, "9007199254740993", 10, false); /* 2^53 + 1 */
  Value d = make_double(th, 9007199254740992.0);
  ck_assert(!number_equal(th, big, d));
  ck_assert_int_eq(number_compare(th, big, d), 1);
  ck_assert(number_equal(th, make_fixnum(1), make_sfloat(1.0f)));
  ck_assert_int_eq(
      number_compare(th, make_ratio(th, make_fixnum(1), make_fixnum(3)), make_sfloat(0.33333334f)), -1);
}
END_TEST

START_TEST(print_number_bases) {
  Thread *th = thread();
  EXPECT_NUMBER(make_fixnum(255), 16, false, "FF");
  EXPECT_NUMBER(make_fixnum(255), 16, true, "#xFF");
  EXPECT_NUMBER(make_fixnum(10), 10, true, "10.");
  EXPECT_NUMBER(make_fixnum(5), 2, true, "#b101");
  EXPECT_NUMBER(make_fixnum(8), 8, true, "#o10");
  EXPECT_NUMBER(make_fixnum(35), 36, true, "#36rZ");
  EXPECT_NUMBER(make_ratio(th, make_fixnum(1), make_fixnum(2)), 10, true, "#10r1/2");
  EXPECT_NUMBER(make_ratio(th, make_fixnum(-15), make_fixnum(16)), 16, true, "#x-F/10");
}
END_TEST

START_TEST(print_floats_as_ccl) {
  Thread *th = thread();
  EXPECT_NUMBER(make_sfloat(1.5f), 10, false, "1.5");
  EXPECT_NUMBER(make_sfloat(1.0e7f), 10, false, "1.0E+7");
  EXPECT_NUMBER(make_sfloat(1234567.0f), 10, false, "1234567.0");
  EXPECT_NUMBER(make_sfloat(0.001f), 10, false, "0.001");
  EXPECT_NUMBER(make_sfloat(1.0e-4f), 10, false, "1.0E-4");
  EXPECT_NUMBER(make_sfloat(-0.0f), 10, false, "-0.0");
  EXPECT_NUMBER(make_double(th, 1.5), 10, false, "1.5D0");
  EXPECT_NUMBER(make_double(th, 1.0e7), 10, false, "1.0D+7");
  EXPECT_NUMBER(make_double(th, 1.0e-4), 10, false, "1.0D-4");
  EXPECT_NUMBER(make_double(th, 1e23), 10, false, "1.0D+23");
  EXPECT_NUMBER(make_double(th, M_PI), 10, false, "3.141592653589793D0");
  EXPECT_NUMBER(make_double(th, HUGE_VAL), 10, false, "1D++0");
  EXPECT_NUMBER(make_sfloat(-HUGE_VALF), 10, false, "-1E++0");
  EXPECT_NUMBER(make_double(th, NAN), 10, false, "1D+-0 #| not-a-number |#");
}
END_TEST

START_TEST(float_digits_are_shortest) {
  char buf[40];
  int bp;
  ck_assert_uint_eq(float_to_digits(0.1, true, buf, sizeof buf, &bp), 1);
  ck_assert_str_eq(buf, "1");
  ck_assert_int_eq(bp, 0);
  ck_assert_uint_eq(float_to_digits(123.456, true, buf, sizeof buf, &bp), 6);
  ck_assert_str_eq(buf, "123456");
  ck_assert_int_eq(bp, 3);
  ck_assert_uint_eq(float_to_digits(0.0, true, buf, sizeof buf, &bp), 0);
  ck_assert_int_eq(bp, 0);
  float_to_digits((double)(1.0f / 3.0f), false, buf, sizeof buf, &bp);
  ck_assert_str_eq(buf, "33333334");
  ck_assert_int_eq(bp, 0);
}
END_TEST

START_TEST(float_from_double_narrows) {
  Thread *th = thread();
  Value f = float_from_double(th, 0.5, false);
  ck_assert(is_sfloat(f));
  ck_assert(sfloat_val(f) == 0.5f);
  Value d = float_from_double(th, 0.5, true);
  ck_assert(is_double(d));
  ck_assert(number_to_double(th, make_ratio(th, make_fixnum(1), make_fixnum(4))) == 0.25);
}
END_TEST

START_TEST(integer_to_intptr_ranges) {
  Thread *th = thread();
  ck_assert_int_eq(integer_to_intptr(th, make_fixnum(42), 0, 100, "(INTEGER 0 100)"), 42);
  ck_assert_int_eq(integer_to_intptr(th, make_integer(th, INTPTR_MAX), 0, INTPTR_MAX, "UNSIGNED-BYTE"),
                   INTPTR_MAX);
}
END_TEST

START_TEST(equalp_per_clhs) {
  Thread *th = thread();
  ck_assert(equalp(th, make_fixnum(1), make_double(th, 1.0)));
  ck_assert(equalp(th, make_char('a'), make_char('A')));
  ck_assert(equalp(th, make_string_c(th, "Hello"), make_string_c(th, "hELLO")));
  ck_assert(!equalp(th, make_string_c(th, "Hello"), make_string_c(th, "Hell")));
  ck_assert(
      equalp(th, list2(th, make_fixnum(1), make_char('x')), list2(th, make_sfloat(1.0f), make_char('X'))));
  ck_assert(!equalp(th, make_fixnum(1), make_char('1')));
}
END_TEST

/* ---- Through Lisp ---- */

START_TEST(lisp_arithmetic) {
  EXPECT_EVAL("(+ most-positive-fixnum 1)", "1152921504606846976");
  EXPECT_EVAL("(- most-negative-fixnum 1)", "-1152921504606846977");
  EXPECT_EVAL("(+ 1/2 1/3)", "5/6");
  EXPECT_EVAL("(+ 1/2 0.5)", "1.0");
  EXPECT_EVAL("(* 1.0 1d0)", "1.0D0");
  EXPECT_EVAL("(expt 2 100)", "1267650600228229401496703205376");
  EXPECT_EVAL("(sqrt 16)", "4");
  EXPECT_EVAL("(sqrt 2d0)", "1.4142135623730951D0");
  EXPECT_EVAL("(floor 7 2)", "3\n1");
  EXPECT_EVAL("(round 2.5)", "2\n0.5");
  EXPECT_EVAL("(parse-integer \"  -42  \")", "-42\n7");
  EXPECT_EVAL("(rationalize 0.1)", "1/10");
  EXPECT_EVAL("(ldb (byte 8 8) 43981)", "171");
}
END_TEST

START_TEST(lisp_errors) {
  EXPECT_ERROR("(/ 1 0)", "DIVISION-BY-ZERO detected\nperforming / on (1 0)");
  EXPECT_ERROR("(+ 1 'a)", "The value A is not of the expected type NUMBER.");
  EXPECT_ERROR("(< 1 'a)", "The value A is not of the expected type REAL.");
  EXPECT_ERROR("(logand 1.5 1)", "The value 1.5 is not of the expected type INTEGER.");
  EXPECT_ERROR("(* 1e38 1e38)", "FLOATING-POINT-OVERFLOW detected\nperforming * on (1.0E+38 1.0E+38)");
  EXPECT_ERROR("(/ 1.0 0.0)", "DIVISION-BY-ZERO detected\nperforming / on (1.0 0.0)");
  EXPECT_ERROR("(log 0)", "DIVISION-BY-ZERO detected\nperforming LOG on (0.0)");
  EXPECT_ERROR("(exp 1000)", "FLOATING-POINT-OVERFLOW detected\nperforming EXP on (1000.0)");
  EXPECT_ERROR("(parse-integer \"12a\")", "Not an integer string: \"12a\"");
  EXPECT_ERROR("(isqrt -1)", "The value -1 is not of the expected type (INTEGER 0).");
}
END_TEST

static Suite *numbers_suite(void) {
  Suite *s = suite_create("numbers");
  TCase *c = tcase_create("c-api");
  tcase_add_unchecked_fixture(c, setup, teardown);
  tcase_add_test(c, make_integer_normalises);
  tcase_add_test(c, arithmetic_crosses_the_fixnum_boundary);
  tcase_add_test(c, ratios_are_canonical);
  tcase_add_test(c, integers_from_digits);
  tcase_add_test(c, comparison_is_exact);
  tcase_add_test(c, print_number_bases);
  tcase_add_test(c, print_floats_as_ccl);
  tcase_add_test(c, float_digits_are_shortest);
  tcase_add_test(c, float_from_double_narrows);
  tcase_add_test(c, integer_to_intptr_ranges);
  tcase_add_test(c, equalp_per_clhs);
  suite_add_tcase(s, c);
  TCase *l = tcase_create("lisp");
  tcase_add_unchecked_fixture(l, setup, teardown);
  tcase_add_test(l, lisp_arithmetic);
  tcase_add_test(l, lisp_errors);
  suite_add_tcase(s, l);
  return s;
}

int main(void) {
  SRunner *sr = srunner_create(numbers_suite());
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
