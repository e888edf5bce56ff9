/* gc_internal.h — what the collector exposes beyond lisp.h: the weak box layout it
 * clears, and hooks for tests (stress mode, allocation check). */
#ifndef CLOVE_GC_INTERNAL_H
#define CLOVE_GC_INTERNAL_H

#include "lisp.h"

typedef struct Heap Heap;

/* T_WEAKBOX: value is not traced; after a collection in which nothing else kept
 * it, the collector sets it to NIL. */

/* Collect at every allocation (as CLOVE_GC_STRESS=1 does) or stop doing so. */
void gc_set_stress(VM *vm, bool on);
/* True if v points into an object the heap holds as allocated (tests only: slow). */
bool gc_is_allocated(VM *vm, Value v);

#endif
