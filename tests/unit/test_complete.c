/* test_complete.c — Check suite for clove_complete (api.c): the listener's Tab completion of
 * symbols in the current package, pkg: and pkg:: prefixes, and keywords. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "../../include/clove.h"

static CloveVM *cvm;

/* Whether want is one of the completions of text; *count receives how many there are. */
static int offers(const char *text, const char *want, size_t *count) {
  char **v = clove_complete(cvm, text);
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
