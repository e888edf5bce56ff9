/* clos.h — what builtins/clos.c offers the other builtins (describe.c): the slots of a
 * standard instance brought up to date with its class, and generic-function tests. */
#ifndef CLOVE_CLOS_H
#define CLOVE_CLOS_H

#include "../interp/lisp.h"

/* The slot vector of a DEFCLASS instance after updating it to its class's current layout
 * (a redefined class's instances are updated on first access, as the standard allows). A
 * slot that is shared (:allocation :class) holds a Box whose value is the shared value. */
Value clos_instance_slots(Thread *th, Value instance);

/* The value of a slot vector entry (a shared slot's Box read through), UNBOUND if unbound. */
static inline Value clos_slot_entry(Value v) { return is_type(v, T_BOX) ? box_of(v)->value : v; }

/* True if fn is a generic function (a funcallable instance). */
static inline bool clos_generic_function_p(Value fn) {
  return is_type(fn, T_NATIVE) && (native_of(fn)->desc->flags & NAT_FUNCALLABLE);
}

#endif
