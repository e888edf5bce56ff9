/* test_control.c — Check suite for control flow and the embedding boundary:
 * non-local exits, unwinding, dynamic bindings, tail calls, errors and exits
 * that must come back to the caller as statuses, never as a crash. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "../../include/clove.h"

static CloveVM *vm;

static void setup(void) {
  vm = clove_open(NULL);
  ck_assert_ptr_nonnull(vm);
}

static void teardown(void) { clove_close(vm); }

/* Evaluates src and checks the printed result. */
static void expect(const char *src, const char *printed) {
  char *out = NULL;
  CloveStatus st = clove_eval_string(vm, src, &out);
  if (st != CLOVE_OK) ck_abort_msg("%s => error %s", src, clove_error_text(vm));
  ck_assert_msg(strcmp(out, printed) == 0, "%s => %s, expected %s", src, out, printed);
  free(out);
}

static void expect_error(const char *src, const char *text_part) {
  CloveStatus st = clove_eval_string(vm, src, NULL);
  ck_assert_int_eq(st, CLOVE_ERROR);
  ck_assert_msg(strstr(clove_error_text(vm), text_part), "%s: error text %s lacks %s", src, clove_error_text(vm),
                text_part);
}

START_TEST(catch_throw) {
  expect("(catch 'a (catch 'b (throw 'a 1)) 2)", "1");
  expect("(catch 'a (unwind-protect (throw 'a 1) (setq *x* 5)))", "1");
}
END_TEST

START_TEST(unwind_protect_runs_on_error) {
  expect("(defvar *log* nil)", "*LOG*");
  expect_error("(unwind-protect (car 5) (push :cleaned *log*))", "LIST");
  expect("*log*", "(:CLEANED)");
}
END_TEST

START_TEST(special_bindings_restored_after_error) {
  expect("(defvar *depth* 0)", "*DEPTH*");
  expect_error("(let ((*depth* 1)) (let ((*depth* 2)) (error \"boom\")))", "boom");
  expect("*depth*", "0");
}
END_TEST

START_TEST(multiple_values_printed) {
  expect("(values 1 2 3)", "1\n2\n3");
  expect("(values)", "");
  expect("(floor 7 2)", "3\n1");
}
END_TEST

START_TEST(tail_calls_flat) {
  expect("(defun count-down (n) (if (= n 0) :done (count-down (- n 1))))", "COUNT-DOWN");
  expect("(count-down 3000000)", ":DONE");
  expect("(labels ((f (n acc) (if (= n 0) acc (f (1- n) (+ acc 1))))) (f 2000000 0))", "2000000");
}
END_TEST

START_TEST(stack_overflow_is_an_error) {
  expect("(defun deep (n) (+ 1 (deep n)))", "DEEP");
  CloveStatus st = clove_eval_string(vm, "(deep 1)", NULL);
  ck_assert_int_eq(st, CLOVE_ERROR);
  ck_assert_ptr_nonnull(strstr(clove_error_text(vm), "tack"));
  /* and the VM still works afterwards, twice */
  st = clove_eval_string(vm, "(deep 1)", NULL);
  ck_assert_int_eq(st, CLOVE_ERROR);
  expect("(+ 1 2)", "3");
}
END_TEST

START_TEST(quit_returns_exit) {
  ck_assert_int_eq(clove_eval_string(vm, "(quit 7)", NULL), CLOVE_EXIT);
  ck_assert_int_eq(clove_exit_code(vm), 7);
  ck_assert_int_eq(clove_eval_string(vm, "(ccl:quit)", NULL), CLOVE_EXIT);
  ck_assert_int_eq(clove_exit_code(vm), 0);
  expect("(+ 1 1)", "2");
}
END_TEST

START_TEST(reader_errors_reported) {
  expect_error("(1 2", "end of file");
  expect_error(")", "");
  expect("(+ 1 2) (+ 3 4)", "7");
}
END_TEST

START_TEST(errors_have_backtraces) {
  expect("(defun inner (x) (car x))", "INNER");
  expect("(defun outer (x) (list (inner x)))", "OUTER");
  ck_assert_int_eq(clove_eval_string(vm, "(outer 5)", NULL), CLOVE_ERROR);
  ck_assert_ptr_nonnull(strstr(clove_error_backtrace(vm), "INNER"));
  ck_assert_ptr_nonnull(strstr(clove_error_backtrace(vm), "OUTER"));
  ck_assert_str_eq(clove_error_text(vm), "The value 5 is not of the expected type LIST.");
}
END_TEST

static CloveValue c_add(CloveVM *v, int nargs, const CloveValue *args) {
  int64_t sum = 0;
  for (int i = 0; i < nargs; i++) sum += clove_to_int(v, args[i]);
  return clove_int(v, sum);
}

static CloveValue c_fail(CloveVM *v, int nargs, const CloveValue *args) {
  (void)nargs;
  (void)args;
  clove_error(v, "failed on purpose");
}

START_TEST(natives_from_c) {
  ck_assert_int_eq(clove_define(vm, "C-ADD", 0, -1, c_add, "Adds integers."), 0);
  ck_assert_int_eq(clove_define(vm, "C-FAIL", 0, 0, c_fail, NULL), 0);
  expect("(c-add 1 2 3)", "6");
  expect("(c-add)", "0");
  expect_error("(c-add 1 :x)", "(SIGNED-BYTE 64)");
  expect_error("(c-fail)", "failed on purpose");
  expect_error("(c-fail 1)", "Too many arguments");
  expect("(handler-case (c-fail) (error (c) (princ-to-string c)))", "\"failed on purpose\"");
  ck_assert_int_eq(clove_define(vm, "", 0, 0, c_fail, NULL), -1);
}
END_TEST

START_TEST(interrupt_stops_a_loop) {
  clove_interrupt(vm);
  CloveStatus st = clove_eval_string(vm, "(loop)", NULL);
  ck_assert_int_eq(st, CLOVE_ERROR);
  expect("(+ 2 2)", "4");
}
END_TEST

START_TEST(many_errors_do_not_leak_dynamic_state) {
  for (int i = 0; i < 2000; i++) {
    CloveStatus st = clove_eval_string(vm, "(let ((*print-base* 16)) (catch 'x (unwind-protect (car 1) nil)))", NULL);
    ck_assert_int_eq(st, CLOVE_ERROR);
  }
  expect("*print-base*", "10");
  expect("(let ((l nil)) (dotimes (i 3) (push i l)) l)", "(2 1 0)");
}
END_TEST

static Suite *control_suite(void) {
  Suite *s = suite_create("control");
  TCase *tc = tcase_create("control");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, catch_throw);
  tcase_add_test(tc, unwind_protect_runs_on_error);
  tcase_add_test(tc, special_bindings_restored_after_error);
  tcase_add_test(tc, multiple_values_printed);
  tcase_add_test(tc, tail_calls_flat);
  tcase_add_test(tc, stack_overflow_is_an_error);
  tcase_add_test(tc, quit_returns_exit);
  tcase_add_test(tc, reader_errors_reported);
  tcase_add_test(tc, errors_have_backtraces);
  tcase_add_test(tc, natives_from_c);
  tcase_add_test(tc, interrupt_stops_a_loop);
  tcase_add_test(tc, many_errors_do_not_leak_dynamic_state);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) {
  SRunner *sr = srunner_create(control_suite());
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
