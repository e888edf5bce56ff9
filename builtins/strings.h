/* strings.h — what the strings_*.c files share: CCL's CHECK-SEQUENCE-BOUNDS and the init of
 * the octet conversions (called from builtins_strings_init). */
#ifndef CLOVE_STRINGS_H
#define CLOVE_STRINGS_H

#include "../interp/lisp.h"

/* CCL's CHECK-SEQUENCE-BOUNDS over a sequence of length len: start defaults to 0 only when not
 * supplied (an explicit NIL is an error), end NIL or unsupplied means len. */
void string_sequence_bounds(Thread *th, Value seq, Value start, Value end, size_t len, size_t *s, size_t *e);

void builtins_strings_octets_init(Thread *th);

#endif
