/* embed.c — a C program that embeds Clove through include/clove.h alone: it defines two natives,
 * evaluates Lisp that calls them, and shows how a Lisp error comes back to C as text.
 * Build (after make install):  cc embed.c $(pkg-config --cflags --libs clove) -o embed
 * In this tree, `make test` builds it against build/libclove.a and checks its output. */
#include <stdio.h>
#include <stdlib.h>

#include "clove.h"

/* (c-add a b): the sum of two integers, computed in C. */
static CloveValue c_add(CloveVM *vm, int nargs, const CloveValue *args) {
  (void)nargs; /* clove_define already checked that there are exactly two */
  int64_t a = clove_to_int(vm, args[0]), b = clove_to_int(vm, args[1]);
  if ((b > 0 && a > INT64_MAX - b) || (b < 0 && a < INT64_MIN - b))
    clove_error(vm, "c-add: the sum does not fit in 64 bits"); /* a Lisp error; does not return */
  return clove_int(vm, a + b);
}

/* (greet name): a greeting string made in C. */
static CloveValue greet(CloveVM *vm, int nargs, const CloveValue *args) {
  (void)nargs;
  char *name = clove_to_cstring(vm, args[0]);
  char text[200];
  snprintf(text, sizeof text, "Hello, %s!", name);
  free(name);
  return clove_string(vm, text);
}

/* Evaluates src and prints its value, or the error it signalled. */
static int show(CloveVM *vm, const char *src) {
  char *result = NULL;
  CloveStatus status = clove_eval_string(vm, src, &result);
  if (status == CLOVE_OK) {
    printf("%s => %s\n", src, result);
    free(result);
    return 0;
  }
  if (status == CLOVE_ERROR)
    printf("%s => error: %s\n", src, clove_error_text(vm));
  else
    printf("%s => status %d\n", src, (int)status);
  return 1;
}

int main(void) {
  CloveVM *vm = clove_open(NULL);
  if (!vm) {
    fprintf(stderr, "embed: cannot create a Clove VM\n");
    return 1;
  }
  if (clove_define(vm, "c-add", 2, 2, c_add, "Adds two integers in C.") != 0 ||
      clove_define(vm, "greet", 1, 1, greet, "Returns a greeting for NAME.") != 0) {
    fprintf(stderr, "embed: cannot define the natives\n");
    clove_close(vm);
    return 1;
  }

  int bad = 0;
  bad += show(vm, "(c-add 40 2)");
  bad += show(vm, "(greet \"embedder\")");
  bad += show(vm, "(mapcar (lambda (x) (c-add x 100)) '(1 2 3))");
  /* Errors are expected here: show() returns 1, so they are not counted. */
  show(vm, "(c-add 9223372036854775807 1)");
  show(vm, "(error \"Something went wrong in Lisp.\")");
  /* The VM is still usable after an error. */
  bad += show(vm, "(c-add 1 1)");

  clove_close(vm);
  return bad == 0 ? 0 : 1;
}
