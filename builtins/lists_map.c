/* lists_map.c — MAPCAR, MAPC, MAPCAN, MAPLIST, MAPL, MAPCON over one or more lists,
 * stopping at the end of the shortest one (so a circular list beside a finite one ends). */
#include "lists.h"

enum MapAccumulate { ACC_NONE, ACC_LIST, ACC_NCONC };

/* CCL's map1: before each call every list is checked for NIL (the end); then
 * each one gives its car (or itself) and advances, so the atom that ends a dotted
 * list is reported by CAR or CDR as a type-error. */
static Value map1(Thread *th, int nargs, Value *args, enum MapAccumulate acc, bool take_car) {
  LFn f = lfn(args[0]);
  int n = nargs - 1;
  Value small[2 * 8];
  Value *lists = small;
  if (n > 8)
    lists = svec_of(make_svector(th, (size_t)(2 * n), NIL))->data;
  Value *call_args = lists + n;
  for (int i = 0; i < n; i++)
    lists[i] = args[i + 1];
  Value head = cons(th, NIL, NIL), tail = head;
  for (;;) {
    for (int i = 0; i < n; i++)
      if (lists[i] == NIL)
        return acc == ACC_NONE ? args[1] : CDR(head);
    for (int i = 0; i < n; i++) {
      call_args[i] = take_car ? car(th, lists[i]) : lists[i];
      lists[i] = cdr(th, lists[i]);
    }
    Value r = call_function(th, lfn_get(th, &f), n, call_args);
    if (acc == ACC_LIST) {
      Value c = cons(th, r, NIL);
      CDR(tail) = c;
      tail = c;
    } else if (acc == ACC_NCONC && r != NIL) {
      /* As NCONC: an atom result ends the list so far; a later non-NIL result
       * then has no cons to be attached to. */
      Value last = r;
      while (is_cons(last) && is_cons(CDR(last)))
        last = CDR(last);
      CDR(check_cons(th, tail)) = r;
      tail = last;
    }
    check_interrupt(th);
  }
}

static Value lisp_mapcar(Thread *th, int nargs, Value *args) { return map1(th, nargs, args, ACC_LIST, true); }
static Value lisp_mapc(Thread *th, int nargs, Value *args) { return map1(th, nargs, args, ACC_NONE, true); }
static Value lisp_mapcan(Thread *th, int nargs, Value *args) {
  return map1(th, nargs, args, ACC_NCONC, true);
}
static Value lisp_maplist(Thread *th, int nargs, Value *args) {
  return map1(th, nargs, args, ACC_LIST, false);
}
static Value lisp_mapl(Thread *th, int nargs, Value *args) { return map1(th, nargs, args, ACC_NONE, false); }
static Value lisp_mapcon(Thread *th, int nargs, Value *args) {
  return map1(th, nargs, args, ACC_NCONC, false);
}

const NativeDesc lists_map_natives[] = {
    {"MAPCAR", lisp_mapcar, 2, 2, NAT_REST, NULL, "(function list &rest more-lists)",
     "Apply FUNCTION to successive elements of LIST. Return list of FUNCTION\n"
     "return values."},
    {"MAPC", lisp_mapc, 2, 2, NAT_REST, NULL, "(function list &rest more-lists)",
     "Apply FUNCTION to successive elements of lists. Return the second argument."},
    {"MAPCAN", lisp_mapcan, 2, 2, NAT_REST, NULL, "(function list &rest more-lists)",
     "Apply FUNCTION to successive elements of LIST. Return NCONC of FUNCTION\n"
     "results."},
    {"MAPLIST", lisp_maplist, 2, 2, NAT_REST, NULL, "(function list &rest more-lists)",
     "Apply FUNCTION to successive CDRs of list. Return list of results."},
    {"MAPL", lisp_mapl, 2, 2, NAT_REST, NULL, "(function list &rest more-lists)",
     "Apply FUNCTION to successive CDRs of list. Return NIL."},
    {"MAPCON", lisp_mapcon, 2, 2, NAT_REST, NULL, "(function list &rest more-lists)",
     "Apply FUNCTION to successive CDRs of lists. Return NCONC of results."},
    {0},
};
