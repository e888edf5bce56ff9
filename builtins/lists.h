/* lists.h — what the builtins/lists_*.c files share: the :test/:test-not/:key
 * protocol of the list functions, lazily coerced function arguments, and their tables. */
#ifndef CLOVE_BUILTINS_LISTS_H
#define CLOVE_BUILTINS_LISTS_H

#include "control.h" /* check_stack: the tree walkers recurse in C on cars */
#include "lisp.h"

/* A function argument (test, key, predicate, mapped function) coerced to a function
 * the first time it is called: CCL only complains about a bad designator when it
 * is actually used, so (member 1 nil :test 5) is NIL. */
typedef struct LFn {
  Value fn;
  bool ready;
} LFn;

static inline LFn lfn(Value designator) {
  LFn f = {designator, false};
  return f;
}
static inline Value lfn_get(Thread *th, LFn *f) {
  if (!f->ready) {
    f->fn = coerce_to_function(th, f->fn);
    f->ready = true;
  }
  return f->fn;
}
static inline Value lfn_call1(Thread *th, LFn *f, Value a) { return funcall1(th, lfn_get(th, f), a); }
static inline Value lfn_call2(Thread *th, LFn *f, Value a, Value b) {
  return funcall2(th, lfn_get(th, f), a, b);
}

/* How an element is compared with an item: EQ, EQL and EQUAL (given as symbols or
 * as their functions) run in C without a call. */
enum ListTestKind { LT_EQ, LT_EQL, LT_EQUAL, LT_CALL };

typedef struct ListTest {
  LFn test;     /* LT_CALL only */
  LFn key;      /* key.fn == NIL: no key (also for IDENTITY) */
  uint8_t kind; /* enum ListTestKind */
  bool negate;  /* :test-not */
} ListTest;

/* How both :test and :test-not given is detected and reported:
 * LT_BY_VALUE    both non-NIL: CCL's %key-conflict (member, assoc, adjoin)
 * LT_BY_PRESENCE both supplied at all: CCL's test-not-error (sets, trees)
 * LT_RASSOC      both non-NIL, with rassoc's own message */
enum ListConflict { LT_BY_VALUE, LT_BY_PRESENCE, LT_RASSOC };

void lists_test_init(Thread *th, ListTest *t, Value test, Value test_not, Value key, enum ListConflict how);
bool lists_test_call(Thread *th, ListTest *t, Value item, Value elt);
/* Signals CCL's "Conflicting keyword arguments" simple-error. */
NORETURN void lists_conflict_error(Thread *th, Value test, Value test_not);
/* The key of a :key argument, or NIL when there is none (absent, NIL, IDENTITY). */
Value lists_key_designator(Thread *th, Value key);

static inline Value lists_key(Thread *th, ListTest *t, Value x) {
  return t->key.fn == NIL ? x : lfn_call1(th, &t->key, x);
}
static inline Value lfn_key(Thread *th, LFn *key, Value x) {
  return key->fn == NIL ? x : lfn_call1(th, key, x);
}

/* Does elt (already keyed) match item? The test is called as (test item elt). */
static inline bool lists_match(Thread *th, ListTest *t, Value item, Value elt) {
  bool r;
  switch (t->kind) {
  case LT_EQ:
    r = item == elt;
    break;
  case LT_EQL:
    r = eql(item, elt);
    break;
  case LT_EQUAL:
    r = equal(item, elt);
    break;
  default:
    return lists_test_call(th, t, item, elt);
  }
  return r != t->negate;
}

/* Loop condition of a walk down a list that must be proper: false at NIL, true at a
 * cons, and a type-error naming the atom that ends a dotted list (as CCL reports it). */
static inline bool lists_more(Thread *th, Value l) {
  if (is_cons(l))
    return true;
  if (l == NIL)
    return false;
  type_error(th, l, SYM(list));
}

/* The proper-list-p type CCL names in improper-list errors. */
NORETURN void lists_improper_error(Thread *th, Value list);

void builtins_lists_init(Thread *th);

extern const NativeDesc lists_core_natives[];
extern const NativeDesc lists_search_natives[];
extern const NativeDesc lists_tree_natives[];
extern const NativeDesc lists_map_natives[];

#endif
