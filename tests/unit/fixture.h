/* fixture.h — what the Check suites share: one VM per test (opened in setup, closed in
 * teardown), its main thread, and evaluating a string to its printed value. */
#ifndef CLOVE_TEST_FIXTURE_H
#define CLOVE_TEST_FIXTURE_H

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "../../include/clove.h"
#include "../../interp/lisp.h"

/* Provided by api.c: the VM's main thread. */
extern Thread *clove_vm_thread(CloveVM *vm);

/* Only the CloveVM handle lives in a static: Lisp values in statics are not roots. */
static CloveVM *cvm;

static inline Thread *thread(void) { return clove_vm_thread(cvm); }

static inline void setup(void) {
  cvm = clove_open(NULL);
  ck_assert_ptr_nonnull(cvm);
  clove_set_batch(cvm, 1);
}

static inline void teardown(void) {
  clove_close(cvm);
  cvm = NULL;
}

/* The printed value of src (clove_eval_string prints it with prin1); fails the test if
 * src signals. */
static inline char *eval_text(const char *src) {
  char *out = NULL;
  CloveStatus st = clove_eval_string(cvm, src, &out);
  ck_assert_msg(st == CLOVE_OK, "%s signalled: %s", src, st == CLOVE_ERROR ? clove_error_text(cvm) : "?");
  return out;
}

#define EXPECT_EVAL(src, expected)                                                                           \
  do {                                                                                                       \
    char *got_ = eval_text(src);                                                                             \
    ck_assert_msg(strcmp(got_, expected) == 0, "%s printed %s, expected %s", src, got_, expected);           \
    free(got_);                                                                                              \
  } while (0)

#endif
