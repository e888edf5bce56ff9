/* test_conditions.c — Check suite for the type system (interp/types.c) and the condition
 * system (interp/condition*.c) through their C interface: classes, TYPEP, signalling, restarts. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../include/clove.h"
#include "../../interp/control.h"
#include "../../interp/stream.h"
#include "../../interp/types_internal.h"

#include "fixture.h"

static Value sym(const char *spec) { return type_symbol(thread(), spec); }

static bool str_is(Value s, const char *expect) {
  char *c = string_to_cstr(s);
  bool ok = c && strcmp(c, expect) == 0;
  if (!ok)
    fprintf(stderr, "got \"%s\", expected \"%s\"\n", c ? c : "(null)", expect);
  free(c);
  return ok;
}

static bool report_is(Value condition, const char *expect) {
  return str_is(condition_report_string(thread(), condition), expect);
}

/* Runs body the way api.c protects a call: an unhandled error reaches the toplevel
 * catch with the condition in th->last_error. Returns that condition, or NIL. */
typedef void (*Body)(Thread *th, void *data);

static Value error_of(Body body, void *data) {
  Thread *th = thread();
  CatchFrame cf;
  catch_push(th, &cf, SYM(toplevel_tag));
  if (setjmp(cf.jb) == 0) {
    body(th, data);
    th->dyn_top = cf.dyn_index;
    return NIL;
  }
  catch_restore(th, &cf);
  return th->last_error;
}

/* Like eval_text, but an error gives its text instead of failing the test. */
static char *eval_or_error_text(const char *src) {
  char *out = NULL;
  CloveStatus st = clove_eval_string(cvm, src, &out);
  if (st != CLOVE_OK) {
    free(out);
    return strdup(clove_error_text(cvm));
  }
  return out;
}

#define EXPECT_EVAL_OR_ERROR(src, expect)                                                                             \
  do {                                                                                                       \
    char *got_ = eval_or_error_text(src);                                                                             \
    ck_assert_msg(got_ &&strcmp(got_, expect) == 0, "%s => %s, expected %s", src, got_ ? got_ : "(null)",    \
                  expect);                                                                                   \
    free(got_);                                                                                              \
  } while (0)

/* ---- Classes ---- */

START_TEST(test_builtin_classes) {
  Thread *th = thread();
  Value integer = find_class(th, SYM(integer), true);
  ck_assert(is_type(integer, T_CLASS));
  ck_assert(class_of(th, make_fixnum(3)) == find_class(th, SYM(fixnum), true));
  ck_assert(subclassp(class_of(th, make_fixnum(3)), integer));
  ck_assert(!subclassp(integer, class_of(th, make_fixnum(3))));
  ck_assert(class_of(th, NIL) == find_class(th, SYM(null), true));
  ck_assert(subclassp(find_class(th, SYM(null), true), find_class(th, SYM(list), true)));
  ck_assert(subclassp(find_class(th, SYM(null), true), find_class(th, SYM(symbol), true)));
  ck_assert(class_of(th, make_string_c(th, "abc")) == find_class(th, sym("SIMPLE-BASE-STRING"), true));
  ck_assert(find_class(th, sym("CCL::NO-SUCH-CLASS-XYZ"), false) == NIL);
  /* aliases */
  ck_assert(find_class(th, SYM(compiled_function), true) == find_class(th, SYM(function_t), true));
  ck_assert(find_class(th, SYM(base_char), true) == find_class(th, SYM(character), true));
  /* the precedence list of NULL: CCL's (NULL SYMBOL LIST SEQUENCE T) */
  Value cpl = class_of_obj(find_class(th, SYM(null), true))->cpl;
  const char *names[] = {"NULL", "SYMBOL", "LIST", "SEQUENCE", "T"};
  for (int i = 0; i < 5; i++, cpl = CDR(cpl)) {
    ck_assert(is_cons(cpl));
    ck_assert(string_eq_c(symbol_name(th, class_of_obj(CAR(cpl))->name), names[i]));
  }
  ck_assert(cpl == NIL);
}
END_TEST

static void define_diamond(Thread *th, void *data) {
  UNUSED(data);
  Value a = define_class(th, CK_STANDARD, sym("CCL::TEST-A"), NIL, NIL);
  Value b = define_class(th, CK_STANDARD, sym("CCL::TEST-B"), list1(th, a), NIL);
  Value c = define_class(th, CK_STANDARD, sym("CCL::TEST-C"), list1(th, a), NIL);
  define_class(th, CK_STANDARD, sym("CCL::TEST-D"), list2(th, b, c), NIL);
  /* inconsistent: E wants B before C, F wants C before B */
  Value e = define_class(th, CK_STANDARD, sym("CCL::TEST-E"), list2(th, b, c), NIL);
  Value f = define_class(th, CK_STANDARD, sym("CCL::TEST-F"), list2(th, c, b), NIL);
  define_class(th, CK_STANDARD, sym("CCL::TEST-G"), list2(th, e, f), NIL);
}

START_TEST(test_class_precedence) {
  Thread *th = thread();
  Value cond = error_of(define_diamond, NULL);
  ck_assert(cond != NIL);
  ck_assert(report_is(cond, "Can't determine class precedence list for class CCL::TEST-G"));
  Value cpl = class_of_obj(find_class(th, sym("CCL::TEST-D"), true))->cpl;
  const char *names[] = {"TEST-D", "TEST-B", "TEST-C", "TEST-A", "STANDARD-OBJECT", "T"};
  for (int i = 0; i < 6; i++, cpl = CDR(cpl))
    ck_assert_msg(string_eq_c(symbol_name(th, class_of_obj(CAR(cpl))->name), names[i]), "position %d", i);
  ck_assert(cpl == NIL);
}
END_TEST

START_TEST(test_slot_inheritance) {
  Thread *th = thread();
  Value ktest = keyword_c(th, "A");
  Value sa = list4(th, SYM(k_name), sym("CCL::SLOT-A"), ts_ref(th, TS_K_INITARGS), list1(th, ktest));
  sa = cons(th, ts_ref(th, TS_K_INITFORM), cons(th, make_fixnum(1), sa));
  Value parent =
      define_class(th, CK_CONDITION, sym("CCL::TEST-PARENT-CONDITION"), list1(th, SYM(error)), list1(th, sa));
  Value sa2 = list4(th, SYM(k_name), sym("CCL::SLOT-A"), ts_ref(th, TS_K_INITFORM), make_fixnum(2));
  Value child =
      define_class(th, CK_CONDITION, sym("CCL::TEST-CHILD-CONDITION"), list1(th, parent), list1(th, sa2));
  Value c1 = make_condition(th, child, 0, NULL);
  ck_assert(condition_slot(th, c1, sym("CCL::SLOT-A"), NIL) == make_fixnum(2));
  Value ia[2] = {ktest, make_fixnum(3)};
  Value c2 = make_condition(th, child, 2, ia);
  ck_assert(condition_slot(th, c2, sym("CCL::SLOT-A"), NIL) == make_fixnum(3));
  ck_assert(typep(th, c2, SYM(error)));
  ck_assert(typep(th, c2, sym("CCL::TEST-PARENT-CONDITION")));
}
END_TEST

/* ---- TYPE-OF and TYPEP ---- */

START_TEST(test_type_of) {
  EXPECT_EVAL_OR_ERROR("(type-of 1)", "BIT");
  EXPECT_EVAL_OR_ERROR("(type-of 5)", "(INTEGER 0 1152921504606846975)");
  EXPECT_EVAL_OR_ERROR("(type-of -5)", "FIXNUM");
  EXPECT_EVAL_OR_ERROR("(type-of \"abc\")", "(SIMPLE-BASE-STRING 3)");
  EXPECT_EVAL_OR_ERROR("(type-of #(1 2))", "(SIMPLE-VECTOR 2)");
  EXPECT_EVAL_OR_ERROR("(type-of nil)", "NULL");
  EXPECT_EVAL_OR_ERROR("(type-of t)", "BOOLEAN");
  EXPECT_EVAL_OR_ERROR("(type-of #\\a)", "STANDARD-CHAR");
  EXPECT_EVAL_OR_ERROR("(type-of 1.5)", "SINGLE-FLOAT");
}
END_TEST

START_TEST(test_typep_c) {
  Thread *th = thread();
  ck_assert(typep(th, make_fixnum(5), read_from_cstring(th, "(integer 0 10)")));
  ck_assert(!typep(th, make_fixnum(11), read_from_cstring(th, "(integer 0 10)")));
  ck_assert(typep(th, make_fixnum(255), read_from_cstring(th, "(unsigned-byte 8)")));
  ck_assert(!typep(th, make_fixnum(256), read_from_cstring(th, "(unsigned-byte 8)")));
  ck_assert(typep(th, NIL, read_from_cstring(th, "(or null cons)")));
  ck_assert(typep(th, make_string_c(th, "ab"), read_from_cstring(th, "(simple-string 2)")));
  ck_assert(!typep(th, make_string_c(th, "ab"), read_from_cstring(th, "(not string)")));
  ck_assert(typep(th, make_char('x'), SYM(standard_char)));
  ck_assert(
      str_is(prin1_to_string(th, upgraded_array_element_type(th, read_from_cstring(th, "(integer 0 200)"))),
             "(UNSIGNED-BYTE 8)"));
  ck_assert(
      str_is(prin1_to_string(th, upgraded_array_element_type(th, read_from_cstring(th, "(mod 2)"))), "BIT"));
  ck_assert(
      str_is(prin1_to_string(th, upgraded_array_element_type(th, read_from_cstring(th, "(signed-byte 20)"))),
             "(SIGNED-BYTE 32)"));
  ck_assert(str_is(prin1_to_string(th, upgraded_array_element_type(th, SYM(symbol))), "T"));
}
END_TEST

static void typep_unknown(Thread *th, void *data) {
  UNUSED(data);
  typep(th, make_fixnum(1), type_symbol(th, "CCL::NO-SUCH-TYPE-XYZ"));
}

START_TEST(test_typep_unknown) {
  Value cond = error_of(typep_unknown, NULL);
  ck_assert(cond != NIL);
  ck_assert(report_is(cond, "Unknown type specifier: CCL::NO-SUCH-TYPE-XYZ"));
}
END_TEST

/* ---- Errors from C ---- */

static void raise_type_error_c(Thread *th, void *data) {
  UNUSED(data);
  type_error_c(th, make_fixnum(5), "(OR STRING SYMBOL)");
}

static void raise_lisp_error(Thread *th, void *data) {
  UNUSED(data);
  lisp_error(th, SYM(simple_error), "~A and ~S ~~ ~D~%next", make_fixnum(1), make_string_c(th, "x"),
             make_fixnum(42));
}

static void raise_program_error(Thread *th, void *data) {
  UNUSED(data);
  program_error(th, "Bad ~S in ~:S.", SYM(t), NIL);
}

static void raise_package_error(Thread *th, void *data) {
  UNUSED(data);
  lisp_error(th, SYM(package_error), "There is no package named ~S .", make_string_c(th, "FOO"));
}

static void raise_unbound(Thread *th, void *data) {
  UNUSED(data);
  unbound_variable_error(th, sym("CCL::SOME-VAR"));
}

static void raise_undefined_call(Thread *th, void *data) {
  UNUSED(data);
  undefined_function_call_error(th, sym("CCL::SOME-FN"), list2(th, make_fixnum(1), make_fixnum(2)));
}

START_TEST(test_errors_from_c) {
  Thread *th = thread();
  Value c = error_of(raise_type_error_c, NULL);
  ck_assert(typep(th, c, SYM(k_type_error)));
  ck_assert(report_is(c, "The value 5 is not of the expected type (OR STRING SYMBOL)."));
  c = error_of(raise_lisp_error, NULL);
  ck_assert(typep(th, c, SYM(simple_error)));
  ck_assert(report_is(c, "1 and \"x\" ~ 42\nnext"));
  c = error_of(raise_program_error, NULL);
  ck_assert(typep(th, c, SYM(program_error)));
  ck_assert(report_is(c, "Bad T in ()."));
  c = error_of(raise_package_error, NULL);
  ck_assert(typep(th, c, SYM(package_error)));
  ck_assert(!typep(th, c, SYM(simple_condition)));
  ck_assert(report_is(c, "There is no package named \"FOO\" ."));
  c = error_of(raise_unbound, NULL);
  ck_assert(typep(th, c, SYM(unbound_variable)));
  ck_assert(report_is(c, "Unbound variable: CCL::SOME-VAR"));
  c = error_of(raise_undefined_call, NULL);
  ck_assert(typep(th, c, SYM(undefined_function)));
  ck_assert(report_is(c, "Undefined function CCL::SOME-FN called with arguments (1 2) ."));
}
END_TEST

START_TEST(test_error_text_through_api) {
  ck_assert_int_eq(clove_eval_string(cvm, "(error \"boom ~a\" 1)", NULL), CLOVE_ERROR);
  ck_assert_str_eq(clove_error_text(cvm), "boom 1");
  ck_assert_int_eq(clove_eval_string(cvm, "(car 5)", NULL), CLOVE_ERROR);
  ck_assert_str_eq(clove_error_text(cvm), "The value 5 is not of the expected type LIST.");
  EXPECT_EVAL_OR_ERROR("(handler-case (error 'division-by-zero :operation '/ :operands '(1 0)) (error (c) "
              "(princ-to-string c)))",
              "\"DIVISION-BY-ZERO detected\nperforming / on (1 0)\"");
}
END_TEST

/* ---- Signalling and handlers ---- */

static Value counting_handler_fn(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  UNUSED(args);
  Value counter = type_symbol(th, "CCL::*TEST-HANDLER-COUNT*");
  set_symbol_value(th, counter, make_fixnum(fixnum_val(symbol_value(th, counter)) + 1));
  return NIL;
}

static const NativeDesc counting_handler_desc = {
    "CCL::TEST-COUNTING-HANDLER", counting_handler_fn, 1, 1, 0, 0, 0, 0};

START_TEST(test_signal_and_hide) {
  Thread *th = thread();
  Value counter = sym("CCL::*TEST-HANDLER-COUNT*");
  set_symbol_value(th, counter, make_fixnum(0));
  Value handler = make_native(th, &counting_handler_desc, sym("CCL::TEST-COUNTING-HANDLER"));
  Value c = make_condition(th, SYM(simple_condition), 0, NULL);
  size_t top = th->dyn_top;
  DynEntry e = {.kind = DYN_HANDLERS, .a = list1(th, cons(th, SYM(condition), handler))};
  dyn_push(th, e);
  ck_assert(signal_condition(th, c) == NIL); /* the handler declines */
  ck_assert(symbol_value(th, counter) == make_fixnum(1));
  hide_handlers(th);
  signal_condition(th, c);
  ck_assert(symbol_value(th, counter) == make_fixnum(1));
  unwind_to(th, top);
  signal_condition(th, c);
  ck_assert(symbol_value(th, counter) == make_fixnum(1));
}
END_TEST

/* ---- Restarts from C ---- */

static void invoke_it(Thread *th, void *data) {
  UNUSED(data);
  invoke_restart(th, type_symbol(th, "CCL::TEST-RESTART"), list2(th, make_fixnum(1), make_fixnum(2)));
  ck_abort_msg("invoke_restart returned");
}

static void just_return(Thread *th, void *data) {
  UNUSED(th);
  *(int *)data = 1;
}

static void check_listed(Thread *th, void *data) {
  Value rs = compute_restarts(th, NIL);
  ck_assert(is_cons(rs));
  ck_assert(instance_slots(CAR(rs))[RS_NAME] == type_symbol(th, "CCL::TEST-RESTART"));
  *(Value *)data = CAR(rs);
}

START_TEST(test_with_restart) {
  Thread *th = thread();
  Value args = NIL;
  size_t top = th->dyn_top;
  ck_assert(
      with_restart(th, sym("CCL::TEST-RESTART"), make_string_c(th, "Test it."), NIL, invoke_it, NULL, &args));
  ck_assert_int_eq(th->dyn_top, top);
  ck_assert(is_cons(args) && CAR(args) == make_fixnum(1) && CAR(CDR(args)) == make_fixnum(2));
  int ran = 0;
  ck_assert(!with_restart(th, sym("CCL::TEST-RESTART"), NIL, NIL, just_return, &ran, NULL));
  ck_assert_int_eq(ran, 1);
  ck_assert_int_eq(th->dyn_top, top);
  Value r = NIL;
  with_restart(th, sym("CCL::TEST-RESTART"), make_string_c(th, "Test it."), NIL, check_listed, &r, NULL);
  ck_assert(is_restart(th, r));
  Value s = make_string_output_stream(th);
  print_restart(th, r, s, false);
  ck_assert(str_is(get_output_stream_string(th, s), "Test it."));
  ck_assert(find_restart(th, sym("CCL::TEST-RESTART"), NIL) == NIL); /* gone with its extent */
}
END_TEST

static void inactive(Thread *th, void *data) {
  UNUSED(data);
  invoke_restart(th, type_symbol(th, "CCL::NOT-ACTIVE-XYZ"), NIL);
}

START_TEST(test_inactive_restart) {
  Thread *th = thread();
  Value c = error_of(inactive, NULL);
  ck_assert(typep(th, c, SYM(control_error)));
  ck_assert(report_is(c, "Restart CCL::NOT-ACTIVE-XYZ is not active"));
}
END_TEST

/* ---- Messages ---- */

START_TEST(test_warn_and_break_message) {
  Thread *th = thread();
  Value out = make_string_output_stream(th);
  size_t top = th->dyn_top;
  bind_special(th, SYM(error_output), out);
  warn_c(th, "low ~A", make_fixnum(3));
  unwind_to(th, top);
  ck_assert(str_is(get_output_stream_string(th, out), "; Warning: low 3\n"));
  Value c = read_from_cstring(th, "(1 0)");
  Value iargs[4] = {keyword_c(th, "OPERATION"), sym("/"), keyword_c(th, "OPERANDS"), c};
  Value cond = make_condition(th, SYM(division_by_zero), 4, iargs);
  print_break_message(th, out, '>', "Error", cond, sym("CCL::FOO"));
  ck_assert(str_is(get_output_stream_string(th, out),
                   "> Error: DIVISION-BY-ZERO detected\n>        performing / on (1 0)\n"
                   "> While executing: CCL::FOO, in process listener(1).\n"));
}
END_TEST

START_TEST(test_lisp_macros) {
  EXPECT_EVAL_OR_ERROR("(handler-case (error \"x ~a\" 1) (error (c) (princ-to-string c)))", "\"x 1\"");
  EXPECT_EVAL_OR_ERROR("(restart-case (invoke-restart 'r 1 2) (r (a b) (+ a b)))", "3");
  EXPECT_EVAL_OR_ERROR("(handler-bind ((error (lambda (c) (invoke-restart (find-restart 'u c) 7)))) "
              "(restart-case (error \"bad\") (u (v) (* v 6))))",
              "42");
  EXPECT_EVAL_OR_ERROR("(multiple-value-list (ignore-errors (values 1 2)))", "(1 2)");
  EXPECT_EVAL_OR_ERROR("(let ((x \"a\")) (handler-bind ((type-error (lambda (c) (store-value 9 c)))) (check-type x "
              "integer)) x)",
              "9");
}
END_TEST

static Suite *conditions_suite(void) {
  Suite *s = suite_create("conditions");
  TCase *tc = tcase_create("conditions");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, test_builtin_classes);
  tcase_add_test(tc, test_class_precedence);
  tcase_add_test(tc, test_slot_inheritance);
  tcase_add_test(tc, test_type_of);
  tcase_add_test(tc, test_typep_c);
  tcase_add_test(tc, test_typep_unknown);
  tcase_add_test(tc, test_errors_from_c);
  tcase_add_test(tc, test_error_text_through_api);
  tcase_add_test(tc, test_signal_and_hide);
  tcase_add_test(tc, test_with_restart);
  tcase_add_test(tc, test_inactive_restart);
  tcase_add_test(tc, test_warn_and_break_message);
  tcase_add_test(tc, test_lisp_macros);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) {
  SRunner *sr = srunner_create(conditions_suite());
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
