/* lists_search.c — searching lists and using them as sets: EQ/EQL/EQUAL/NOT/IDENTITY,
 * the :test/:test-not/:key protocol, MEMBER, ASSOC, RASSOC and friends, ADJOIN, UNION ... SUBSETP. */
#include "lists.h"

/* ---- The predicates the :test fast paths recognise ---- */

static Value lisp_eq(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return BOOL(th, args[0] == args[1]);
}

static Value lisp_eql(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return BOOL(th, eql(args[0], args[1]));
}

static Value lisp_equal(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return BOOL(th, equal(args[0], args[1]));
}

static Value lisp_not(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return BOOL(th, args[0] == NIL);
}

static Value lisp_identity(Thread *th, int nargs, Value *args) {
  UNUSED(th);
  UNUSED(nargs);
  return args[0];
}

/* The C function behind a designator when it is one of our natives, else NULL.
 * Looking through the symbol's function cell makes 'EQL as fast as #'EQL. */
static NativeFn native_behind(Thread *th, Value f) {
  if (f == NIL || f == UNSUPPLIED)
    return NULL;
  if (is_symbol(f))
    f = symbol_of(th, f)->function;
  if (is_type(f, T_NATIVE))
    return native_of(f)->desc->fn;
  return NULL;
}

/* ---- The :test/:test-not/:key protocol ---- */

Value lists_key_designator(Thread *th, Value key) {
  if (!supplied(key) || key == NIL || native_behind(th, key) == lisp_identity)
    return NIL;
  return key;
}

void lists_conflict_error(Thread *th, Value test, Value test_not) {
  simple_error(th, "Conflicting keyword arguments : ~S ~S, ~S ~S .", SYM(k_test), test, SYM(k_test_not),
               test_not);
}

void lists_test_init(Thread *th, ListTest *t, Value test, Value test_not, Value key, enum ListConflict how) {
  bool has_test = supplied(test) && test != NIL;
  bool has_not = supplied(test_not) && test_not != NIL;
  bool conflict = how == LT_BY_PRESENCE ? supplied(test) && supplied(test_not) : has_test && has_not;
  if (conflict) {
    if (how == LT_RASSOC)
      simple_error(th, "Cannot specify both :TEST and :TEST-NOT.");
    lists_conflict_error(th, arg_or(test, NIL), arg_or(test_not, NIL));
  }
  t->key = lfn(lists_key_designator(th, key));
  t->negate = false;
  t->test = lfn(NIL);
  t->kind = LT_EQL;
  Value f;
  if (has_test) {
    f = test;
  } else if (has_not) {
    f = test_not;
    t->negate = true;
  } else {
    return;
  }
  NativeFn nf = native_behind(th, f);
  t->kind = nf == lisp_eq ? LT_EQ : nf == lisp_eql ? LT_EQL : nf == lisp_equal ? LT_EQUAL : LT_CALL;
  t->test = lfn(f);
}

bool lists_test_call(Thread *th, ListTest *t, Value item, Value elt) {
  return (lfn_call2(th, &t->test, item, elt) != NIL) != t->negate;
}

void lists_improper_error(Thread *th, Value list) {
  Value pred = intern_c(th, "PROPER-LIST-P", th->vm->pkg_ccl);
  type_error(th, list, list2(th, SYM(satisfies), pred));
}

/* The first tail of list whose car's key matches item (already keyed), or NIL. */
static Value member_tail(Thread *th, ListTest *t, Value item, Value list) {
  for (; lists_more(th, list); list = CDR(list)) {
    if (lists_match(th, t, item, lists_key(th, t, CAR(list))))
      return list;
    check_interrupt(th);
  }
  return NIL;
}

/* ---- MEMBER ---- */

static Value lisp_member(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  ListTest t;
  lists_test_init(th, &t, args[2], args[3], args[4], LT_BY_VALUE);
  return member_tail(th, &t, args[0], args[1]);
}

static Value member_if(Thread *th, Value *args, bool want) {
  LFn pred = lfn(args[0]);
  LFn key = lfn(lists_key_designator(th, args[2]));
  for (Value l = args[1]; lists_more(th, l); l = CDR(l))
    if ((lfn_call1(th, &pred, lfn_key(th, &key, CAR(l))) != NIL) == want)
      return l;
  return NIL;
}

static Value lisp_member_if(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return member_if(th, args, true);
}

static Value lisp_member_if_not(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return member_if(th, args, false);
}

/* ---- ASSOC and RASSOC ---- */

/* CCL skips NIL entries; any other atom entry is an error (car of a non-list). */
static Value lisp_assoc(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  ListTest t;
  lists_test_init(th, &t, args[2], args[3], args[4], LT_BY_VALUE);
  for (Value l = args[1]; lists_more(th, l); l = CDR(l)) {
    Value pair = CAR(l);
    if (pair == NIL)
      continue;
    if (lists_match(th, &t, args[0], lists_key(th, &t, car(th, pair))))
      return pair;
    check_interrupt(th);
  }
  return NIL;
}

static Value lisp_rassoc(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  ListTest t;
  lists_test_init(th, &t, args[2], args[3], args[4], LT_RASSOC);
  for (Value l = args[1]; lists_more(th, l); l = CDR(l)) {
    Value pair = CAR(l);
    if (pair == NIL)
      continue;
    if (!is_cons(pair))
      simple_error(th, "Invalid alist containing ~S: ~S", pair, args[1]);
    if (lists_match(th, &t, args[0], lists_key(th, &t, CDR(pair))))
      return pair;
    check_interrupt(th);
  }
  return NIL;
}

static Value assoc_if(Thread *th, Value *args, bool use_cdr, bool want) {
  LFn pred = lfn(args[0]);
  LFn key = lfn(lists_key_designator(th, args[2]));
  for (Value l = args[1]; lists_more(th, l); l = CDR(l)) {
    Value pair = CAR(l);
    if (pair == NIL)
      continue;
    Value x = use_cdr ? cdr(th, pair) : car(th, pair);
    if ((lfn_call1(th, &pred, lfn_key(th, &key, x)) != NIL) == want)
      return pair;
  }
  return NIL;
}

static Value lisp_assoc_if(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return assoc_if(th, args, false, true);
}
static Value lisp_assoc_if_not(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return assoc_if(th, args, false, false);
}
static Value lisp_rassoc_if(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return assoc_if(th, args, true, true);
}
static Value lisp_rassoc_if_not(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return assoc_if(th, args, true, false);
}

/* ---- ADJOIN ---- */

static Value lisp_adjoin(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  ListTest t;
  lists_test_init(th, &t, args[2], args[3], args[4], LT_BY_VALUE);
  Value item = args[0], list = args[1];
  if (member_tail(th, &t, lists_key(th, &t, item), list) != NIL)
    return list;
  return cons(th, item, list);
}

/* ---- Sets. The orders of the results are CCL's: new elements are pushed, so they
 * come out reversed. ---- */

static bool has_key_of(Thread *th, ListTest *t, Value elt, Value list) {
  return member_tail(th, t, lists_key(th, t, elt), list) != NIL;
}

static Value lisp_union(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  ListTest t;
  lists_test_init(th, &t, args[2], args[3], args[4], LT_BY_PRESENCE);
  Value res = args[1];
  for (Value l = args[0]; lists_more(th, l); l = CDR(l))
    if (!has_key_of(th, &t, CAR(l), args[1]))
      res = cons(th, CAR(l), res);
  return res;
}

static Value lisp_intersection(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  ListTest t;
  lists_test_init(th, &t, args[2], args[3], args[4], LT_BY_PRESENCE);
  Value res = NIL;
  for (Value l = args[0]; lists_more(th, l); l = CDR(l))
    if (has_key_of(th, &t, CAR(l), args[1]))
      res = cons(th, CAR(l), res);
  return res;
}

static Value lisp_set_difference(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  ListTest t;
  lists_test_init(th, &t, args[2], args[3], args[4], LT_BY_PRESENCE);
  Value res = NIL;
  for (Value l = args[0]; lists_more(th, l); l = CDR(l))
    if (!has_key_of(th, &t, CAR(l), args[1]))
      res = cons(th, CAR(l), res);
  return res;
}

/* The destructive versions move the conses of list1 that are kept onto the
 * front of the result (CCL's steve-splice). */
static Value nset_op(Thread *th, Value *args, Value res, bool keep_if_member) {
  ListTest t;
  lists_test_init(th, &t, args[2], args[3], args[4], LT_BY_PRESENCE);
  Value l = args[0];
  while (lists_more(th, l)) {
    Value next = CDR(l);
    if (has_key_of(th, &t, CAR(l), args[1]) == keep_if_member) {
      CDR(l) = res;
      res = l;
    }
    l = next;
  }
  return res;
}

static Value lisp_nunion(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return nset_op(th, args, args[1], false);
}

static Value lisp_nintersection(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return nset_op(th, args, NIL, true);
}

static Value lisp_nset_difference(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return nset_op(th, args, NIL, false);
}

/* The test always sees an element of LIST1 first, in both passes (as in CCL). */
static Value lisp_set_exclusive_or(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  ListTest t;
  lists_test_init(th, &t, args[2], args[3], args[4], LT_BY_PRESENCE);
  Value list1 = args[0], list2 = args[1], res = NIL;
  for (Value a = list1; lists_more(th, a); a = CDR(a)) {
    Value ka = lists_key(th, &t, CAR(a));
    bool found = false;
    for (Value b = list2; !found && lists_more(th, b); b = CDR(b))
      found = lists_match(th, &t, ka, lists_key(th, &t, CAR(b)));
    if (!found)
      res = cons(th, CAR(a), res);
  }
  for (Value b = list2; lists_more(th, b); b = CDR(b)) {
    Value kb = lists_key(th, &t, CAR(b));
    bool found = false;
    for (Value a = list1; !found && lists_more(th, a); a = CDR(a))
      found = lists_match(th, &t, lists_key(th, &t, CAR(a)), kb);
    if (!found)
      res = cons(th, CAR(b), res);
  }
  return res;
}

static Value lisp_subsetp(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  ListTest t;
  lists_test_init(th, &t, args[2], args[3], args[4], LT_BY_PRESENCE);
  for (Value l = args[0]; lists_more(th, l); l = CDR(l))
    if (!has_key_of(th, &t, CAR(l), args[1]))
      return NIL;
  return SYM(t);
}

#define TKEYS "test test-not key"

const NativeDesc lists_search_natives[] = {
    {"EQ", lisp_eq, 2, 2, 0, NULL, "(x y)", "Return T if OBJ1 and OBJ2 are the same object, otherwise NIL."},
    {"EQL", lisp_eql, 2, 2, 0, NULL, "(x y)",
     "Return T if OBJ1 and OBJ2 represent the same object, otherwise NIL."},
    {"EQUAL", lisp_equal, 2, 2, 0, NULL, "(x y)",
     "Return T if X and Y are EQL or if they are structured components whose\n"
     "elements are EQUAL. Strings and bit-vectors are EQUAL if they are the same\n"
     "length and have identical components. Other arrays must be EQ to be EQUAL."},
    {"NOT", lisp_not, 1, 1, 0, NULL, "(x)", "Return T if X is NIL, otherwise return NIL."},
    {"IDENTITY", lisp_identity, 1, 1, 0, NULL, "(x)", "This function simply returns what was passed to it."},
    {"MEMBER", lisp_member, 2, 2, 0, TKEYS, "(item list &key test test-not key)",
     "Return the tail of LIST beginning with first element satisfying EQLity,\n"
     ":TEST, or :TEST-NOT with the given ITEM."},
    {"MEMBER-IF", lisp_member_if, 2, 2, 0, "key", "(test list &key key)",
     "Return tail of LIST beginning with first element satisfying TEST."},
    {"MEMBER-IF-NOT", lisp_member_if_not, 2, 2, 0, "key", "(test list &key key)",
     "Return tail of LIST beginning with first element not satisfying TEST."},
    {"ASSOC", lisp_assoc, 2, 2, 0, TKEYS, "(item list &key test test-not key)",
     "Return the cons in ALIST whose car is equal (by a given test or EQL) to\n"
     "the ITEM."},
    {"ASSOC-IF", lisp_assoc_if, 2, 2, 0, "key", "(predicate alist &key key)",
     "Return the first cons in ALIST whose CAR satisfies PREDICATE. If\n"
     "KEY is supplied, apply it to the CAR of each cons before testing."},
    {"ASSOC-IF-NOT", lisp_assoc_if_not, 2, 2, 0, "key", "(predicate alist &key key)",
     "Return the first cons in ALIST whose CAR does not satisfy PREDICATE.\n"
     "If KEY is supplied, apply it to the CAR of each cons before testing."},
    {"RASSOC", lisp_rassoc, 2, 2, 0, TKEYS, "(item alist &key test test-not key)",
     "Return the cons in ALIST whose CDR is equal (by a given test or EQL) to\n"
     "the ITEM."},
    {"RASSOC-IF", lisp_rassoc_if, 2, 2, 0, "key", "(predicate alist &key key)",
     "Return the first cons in ALIST whose CDR satisfies PREDICATE. If KEY\n"
     "is supplied, apply it to the CDR of each cons before testing."},
    {"RASSOC-IF-NOT", lisp_rassoc_if_not, 2, 2, 0, "key", "(predicate alist &key key)",
     "Return the first cons in ALIST whose CDR does not satisfy PREDICATE.\n"
     "If KEY is supplied, apply it to the CDR of each cons before testing."},
    {"ADJOIN", lisp_adjoin, 2, 2, 0, TKEYS, "(item list &key test test-not key)",
     "Add ITEM to LIST unless it is already a member"},
    {"UNION", lisp_union, 2, 2, 0, TKEYS, "(list1 list2 &key key test test-not)",
     "Returns the union of LIST1 and LIST2."},
    {"NUNION", lisp_nunion, 2, 2, 0, TKEYS, "(list1 list2 &key key test test-not)",
     "Destructively return the union of LIST1 and LIST2."},
    {"INTERSECTION", lisp_intersection, 2, 2, 0, TKEYS, "(list1 list2 &key key test test-not)",
     "Return the intersection of LIST1 and LIST2."},
    {"NINTERSECTION", lisp_nintersection, 2, 2, 0, TKEYS, "(list1 list2 &key key test test-not)",
     "Destructively return the intersection of LIST1 and LIST2."},
    {"SET-DIFFERENCE", lisp_set_difference, 2, 2, 0, TKEYS, "(list1 list2 &key key test test-not)",
     "Return the elements of LIST1 which are not in LIST2."},
    {"NSET-DIFFERENCE", lisp_nset_difference, 2, 2, 0, TKEYS, "(list1 list2 &key key test test-not)",
     "Destructively return the elements of LIST1 which are not in LIST2."},
    {"SET-EXCLUSIVE-OR", lisp_set_exclusive_or, 2, 2, 0, TKEYS, "(list1 list2 &key key test test-not)",
     "Return new list of elements appearing exactly once in LIST1 and LIST2."},
    {"NSET-EXCLUSIVE-OR", lisp_set_exclusive_or, 2, 2, 0, TKEYS, "(list1 list2 &key key test test-not)",
     "Destructively return a list with elements which appear but once in LIST1\n"
     "and LIST2."},
    {"SUBSETP", lisp_subsetp, 2, 2, 0, TKEYS, "(list1 list2 &key key test test-not)",
     "Return T if every element in LIST1 is also in LIST2."},
    {0},
};
