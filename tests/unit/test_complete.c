/* test_complete.c — Check suite for clove_complete and clove_complete_in (api.c): the listener's Tab
 * completion of symbols in the current package, pkg: and pkg:: prefixes, and keywords. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "../../include/clove.h"

static CloveVM *cvm;

/* Whether want is one of the completions of text typed after before (NULL: clove_complete);
 * *count receives how many there are. */
static int offers_in(const char *before, const char *text, const char *want, size_t *count) {
  char **v = before ? clove_complete_in(cvm, text, before) : clove_complete(cvm, text);
  ck_assert_ptr_nonnull(v);
  int found = 0;
  size_t n = 0;
  for (; v[n]; n++) {
    if (want && strcmp(v[n], want) == 0) found = 1;
    free(v[n]);
  }
  free(v);
  if (count) *count = n;
  return found;
}

static int offers(const char *text, const char *want, size_t *count) { return offers_in(NULL, text, want, count); }

/* The completions of text after before, joined by spaces. */
static char *joined(const char *before, const char *text) {
  static char buf[4096];
  buf[0] = 0;
  char **v = clove_complete_in(cvm, text, before);
  ck_assert_ptr_nonnull(v);
  for (size_t i = 0; v[i]; i++) {
    if (i) strncat(buf, " ", sizeof buf - strlen(buf) - 1);
    strncat(buf, v[i], sizeof buf - strlen(buf) - 1);
    free(v[i]);
  }
  free(v);
  return buf;
}

START_TEST(test_current_package) {
  size_t n;
  ck_assert(offers("car", "car", &n));
  ck_assert(offers("ca", "car", NULL));
  ck_assert(offers("ca", "case", NULL));
  ck_assert(offers("ca", "catch", NULL));
  ck_assert(!offers("cdr", "car", NULL));
  /* Every completion starts with what was typed. */
  char **v = clove_complete(cvm, "mak");
  ck_assert_ptr_nonnull(v);
  ck_assert_ptr_nonnull(v[0]);
  for (size_t i = 0; v[i]; i++) {
    ck_assert_msg(strncmp(v[i], "mak", 3) == 0, "%s", v[i]);
    if (v[i + 1]) ck_assert_msg(strcmp(v[i], v[i + 1]) < 0, "sorted and unique: %s %s", v[i], v[i + 1]);
    free(v[i]);
  }
  free(v);
  /* Typed in upper case, offered in upper case; make-socket is accessible in CL-USER. */
  ck_assert(offers("CAR", "CAR", NULL));
  ck_assert(offers("make-sock", "make-socket", NULL));
  /* A symbol defined at run time. */
  ck_assert_int_eq(clove_eval_string(cvm, "(defun zzq-frobnicate ())", NULL), CLOVE_OK);
  ck_assert(offers("zzq-", "zzq-frobnicate", &n));
  ck_assert_uint_eq(n, 1);
}
END_TEST

START_TEST(test_package_prefixes) {
  size_t n;
  ck_assert(offers("ccl:make-sock", "ccl:make-socket", &n));
  ck_assert_uint_eq(n, 1);
  ck_assert(offers("CCL:MAKE-SOCK", "CCL:MAKE-SOCKET", NULL));
  ck_assert(offers("cl:car", "cl:car", NULL));
  /* pkg: offers external symbols only, pkg:: internal ones too. */
  ck_assert_int_eq(clove_eval_string(cvm, "(defun cl-user::zzq-internal ())", NULL), CLOVE_OK);
  ck_assert(!offers("cl-user:zzq-int", "cl-user:zzq-internal", NULL));
  ck_assert(offers("cl-user::zzq-int", "cl-user::zzq-internal", NULL));
  ck_assert(!offers("no-such-package:car", NULL, &n));
  ck_assert_uint_eq(n, 0);
}
END_TEST

START_TEST(test_keywords) {
  size_t n;
  ck_assert(offers(":remote-h", ":remote-host", &n));
  ck_assert_uint_eq(n, 1);
  ck_assert(offers(":REMOTE-H", ":REMOTE-HOST", NULL));
  ck_assert(offers(":local-p", ":local-port", NULL));
}
END_TEST

/* Keywords in a call complete to the keyword parameters of the function called. */
START_TEST(test_call_keywords) {
  size_t n, all;
  /* :PASSIVE exists once read (natives compare their arguments' names). */
  ck_assert_int_eq(clove_eval_string(cvm, ":passive", NULL), CLOVE_OK);
  /* Outside any call: every keyword. */
  ck_assert(offers(":re", ":remote-host", &all));
  ck_assert(offers(":re", ":reuse-address", NULL));
  ck_assert_uint_gt(all, 4);
  /* A native's keys: MAKE-SOCKET's parameters that start with :re, nothing else. */
  ck_assert_str_eq(joined("(make-socket ", ":re"), ":remote-address :remote-filename :remote-host :remote-port :reuse-address");
  ck_assert_str_eq(joined("(make-socket ", ":remote-h"), ":remote-host");
  ck_assert_str_eq(joined("(MAKE-SOCKET :TYPE :STREAM ", ":REMOTE-H"), ":REMOTE-HOST");
  ck_assert_str_eq(joined("(ccl:make-socket ", ":local-p"), ":local-port");
  /* ":" alone lists them all: as many as the lambda list has keys (30 for MAKE-SOCKET). */
  ck_assert(offers_in("(make-socket ", ":", ":connect-timeout", &n));
  ck_assert_uint_eq(n, 30);
  ck_assert(!offers_in("(make-socket ", ":", ":passive", NULL));
  /* After a required argument, on a later line, after a string and a nested call. */
  ck_assert_str_eq(joined("(accept-connection s ", ":"), ":stream-args :wait");
  ck_assert_str_eq(joined("(let ((s (make-socket :connect :passive\n", ":local-h"), ":local-host");
  ck_assert_str_eq(joined("(make-socket :remote-host \"a (b\" :remote-port (+ 1 2) ", ":l"),
                   ":linger :local-address :local-filename :local-host :local-port");
  /* Where a parameter's value goes (after :connect), any keyword: :passive is a value. */
  ck_assert(offers_in("(make-socket :connect ", ":pas", ":passive", &n));
  ck_assert(offers_in("(make-socket :type :stream :connect ", ":pa", ":passive", NULL));
  /* Nothing of the function's matches: every keyword, as if outside. */
  ck_assert(offers_in("(make-socket :connect :passive ", ":pas", ":passive", NULL));
  /* The list of a binding form is the keyword arguments of the function it calls. */
  ck_assert_str_eq(joined("(with-open-socket (s ", ":remote-p"), ":remote-port");
  ck_assert_str_eq(joined("(with-open-socket (s :remote-host \"h\" ", ":remote-p"), ":remote-port");
  ck_assert_str_eq(joined("(with-open-file (f \"x\" ", ":if-e"), ":if-exists");
  /* Functions defined at run time: a DEFUN's and a generic function's with its methods' keys. */
  ck_assert_int_eq(clove_eval_string(cvm, "(defun zzq-keys (a &optional b &key zzq-alpha ((:zzq-beta x) 1) &aux (zzq-c 2)) (list a b zzq-alpha x zzq-c))", NULL), CLOVE_OK);
  ck_assert_str_eq(joined("(zzq-keys 1 2 ", ":zzq"), ":zzq-alpha :zzq-beta");
  ck_assert_int_eq(clove_eval_string(cvm, "(defgeneric zzq-gf (x &key zzq-one))", NULL), CLOVE_OK);
  ck_assert_int_eq(clove_eval_string(cvm, "(defmethod zzq-gf ((x integer) &key zzq-one zzq-two) x)", NULL), CLOVE_OK);
  ck_assert_str_eq(joined("(zzq-gf 1 ", ":zzq"), ":zzq-one :zzq-two");
  /* Unknown operators, functions without keys, special forms, data, lambda forms, a closed
   * call, inside a string or a comment: every keyword, as many as outside any call (more than
   * the 5 of MAKE-SOCKET's). */
  ck_assert(offers(":re", ":remote-host", &all)); /* reading the library above made more */
  ck_assert_uint_gt(all, 5);
  static const char *const elsewhere[] = {
      "(no-such-function-zzq ", "(car ", "(let ", "(list '(make-socket) #(make-socket ",
      "((lambda (&key zzq-q) zzq-q) ", "", "(make-socket) ", "(make-socket \"", "(make-socket ; note ",
      "(make-socket |a b", "(make-socket #| (car ", NULL};
  for (int i = 0; elsewhere[i]; i++) {
    ck_assert_msg(offers_in(elsewhere[i], ":re", ":remote-host", &n), "%s", elsewhere[i]);
    ck_assert_msg(n == all, "%s: %zu of %zu", elsewhere[i], n, all);
  }
  /* What closes them leaves MAKE-SOCKET's call. */
  ck_assert_str_eq(joined("(make-socket ; note\n", ":remote-h"), ":remote-host");
  ck_assert(offers_in("(make-socket ; note\n", ":re", ":remote-host", &n));
  ck_assert_uint_eq(n, 5);
  ck_assert(offers_in("(make-socket #| (car |# ", ":re", ":remote-host", &n));
  ck_assert_uint_eq(n, 5);
  ck_assert(offers_in("(make-socket #\\( ", ":re", ":remote-host", &n));
  ck_assert_uint_eq(n, 5);
  ck_assert(offers_in("(make-socket |a b| ", ":re", ":remote-host", &n));
  ck_assert_uint_eq(n, 5);
  /* pkg:: prefixes and symbols are completed as before, whatever the call. */
  ck_assert(offers_in("(make-socket ", "make-sock", "make-socket", NULL));
  ck_assert(offers_in("(make-socket ", "keyword:pas", "keyword:passive", NULL));
  /* A dotted macro lambda list, an operator whose keys cannot be found (an error inside
   * completion enters no break loop): every keyword. */
  ck_assert_int_eq(clove_eval_string(cvm, "(defmacro zzq-odd ((a &key zzq-k) . r) (list a zzq-k r))", NULL), CLOVE_OK);
  ck_assert(offers_in("(zzq-odd 1 ", ":re", ":remote-host", &n));
  ck_assert_uint_eq(n, all);
  ck_assert_int_eq(clove_eval_string(cvm, "(defun ccl::%completion-keywords-saved ())", NULL), CLOVE_OK);
  ck_assert_int_eq(clove_eval_string(cvm,
      "(setf (fdefinition 'ccl::%completion-keywords-saved) #'ccl::%completion-keywords"
      "      (fdefinition 'ccl::%completion-keywords) (lambda (&rest r) (error \"broken ~S\" r)))", NULL), CLOVE_OK);
  ck_assert(offers_in("(make-socket ", ":re", ":remote-host", &n));
  ck_assert_uint_eq(n, all);
  ck_assert_int_eq(clove_eval_string(cvm,
      "(setf (fdefinition 'ccl::%completion-keywords) #'ccl::%completion-keywords-saved)", NULL), CLOVE_OK);
  ck_assert(offers_in("(make-socket ", ":re", ":remote-host", &n));
  ck_assert_uint_eq(n, 5);
}
END_TEST

START_TEST(test_nothing) {
  size_t n;
  ck_assert(!offers("qzxv-nonsense-prefix", NULL, &n));
  ck_assert_uint_eq(n, 0);
  ck_assert(!offers(":qzxv-nonsense", NULL, &n));
  ck_assert_uint_eq(n, 0);
}
END_TEST

static Suite *complete_suite(void) {
  Suite *s = suite_create("complete");
  TCase *tc = tcase_create("complete");
  tcase_add_test(tc, test_current_package);
  tcase_add_test(tc, test_package_prefixes);
  tcase_add_test(tc, test_keywords);
  tcase_add_test(tc, test_call_keywords);
  tcase_add_test(tc, test_nothing);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) {
  cvm = clove_open(NULL);
  if (!cvm) return 1;
  SRunner *sr = srunner_create(complete_suite());
  srunner_set_fork_status(sr, CK_NOFORK);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  clove_close(cvm);
  return failed == 0 ? 0 : 1;
}
