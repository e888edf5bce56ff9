/* lists_core.c — conses and lists: CONS, CAR/CDR and all c[ad]r, FIRST..TENTH, LIST, APPEND,
 * NCONC, LAST, BUTLAST, NTH, copying, property lists, and the init of every lists_*.c table. */
#include "lists.h"

/* ---- Conses ---- */

static Value lisp_cons(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return cons(th, args[0], args[1]);
}

/* ops names the accessors as in the function's name ("ad" for CADR): the last
 * letter is applied first. */
static Value cxr(Thread *th, Value x, const char *ops) {
  size_t n = strlen(ops);
  while (n-- > 0)
    x = ops[n] == 'a' ? car(th, x) : cdr(th, x);
  return x;
}

/* Each macro defines a native and then declares it again, so that its use ends
 * with a semicolon like any declaration. */
#define CXR(ops)                                                                                             \
  static Value lisp_c##ops##r(Thread *th, int nargs, Value *args) {                                          \
    UNUSED(nargs);                                                                                           \
    return cxr(th, args[0], #ops);                                                                           \
  }                                                                                                          \
  static Value lisp_c##ops##r(Thread *th, int nargs, Value *args)
CXR(a);
CXR(d);
CXR(aa);
CXR(ad);
CXR(da);
CXR(dd);
CXR(aaa);
CXR(aad);
CXR(ada);
CXR(add);
CXR(daa);
CXR(dad);
CXR(dda);
CXR(ddd);
CXR(aaaa);
CXR(aaad);
CXR(aada);
CXR(aadd);
CXR(adaa);
CXR(adad);
CXR(adda);
CXR(addd);
CXR(daaa);
CXR(daad);
CXR(dada);
CXR(dadd);
CXR(ddaa);
CXR(ddad);
CXR(ddda);
CXR(dddd);
#undef CXR

/* FIRST .. TENTH: the nth car, with CDR's checks on the way. */
static Value nth_car(Thread *th, Value x, int n) {
  while (n-- > 0)
    x = cdr(th, x);
  return car(th, x);
}

#define NTH_CAR(name, n)                                                                                     \
  static Value lisp_##name(Thread *th, int nargs, Value *args) {                                             \
    UNUSED(nargs);                                                                                           \
    return nth_car(th, args[0], n);                                                                          \
  }                                                                                                          \
  static Value lisp_##name(Thread *th, int nargs, Value *args)
NTH_CAR(first, 0);
NTH_CAR(second, 1);
NTH_CAR(third, 2);
NTH_CAR(fourth, 3);
NTH_CAR(fifth, 4);
NTH_CAR(sixth, 5);
NTH_CAR(seventh, 6);
NTH_CAR(eighth, 7);
NTH_CAR(ninth, 8);
NTH_CAR(tenth, 9);
#undef NTH_CAR

static Value lisp_rplaca(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  CAR(check_cons(th, args[0])) = args[1];
  return args[0];
}

static Value lisp_rplacd(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  CDR(check_cons(th, args[0])) = args[1];
  return args[0];
}

/* (setf car) and (setf cdr) as CCL expands them: they return the new value. */
static Value lisp_set_car(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  CAR(check_cons(th, args[0])) = args[1];
  return args[1];
}

static Value lisp_set_cdr(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  CDR(check_cons(th, args[0])) = args[1];
  return args[1];
}

static Value lisp_endp(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return BOOL(th, !lists_more(th, args[0]));
}

/* ---- Making lists ---- */

static Value lisp_list(Thread *th, int nargs, Value *args) { return list_from_array(th, nargs, args); }

static Value lisp_list_star(Thread *th, int nargs, Value *args) {
  Value res = args[nargs - 1];
  for (int i = nargs - 2; i >= 0; i--)
    res = cons(th, args[i], res);
  return res;
}

static Value lisp_make_list(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value size = args[0], init = arg_or(args[1], NIL);
  if (!is_fixnum(size) || fixnum_val(size) < 0)
    type_error(th, size, list3(th, SYM(and_), SYM(fixnum), SYM(unsigned_byte)));
  Value res = NIL;
  for (intptr_t n = fixnum_val(size); n > 0; n--) {
    res = cons(th, init, res);
    if ((n & 0xffff) == 0)
      check_interrupt(th);
  }
  return res;
}

static Value lisp_acons(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return cons(th, cons(th, args[0], args[1]), args[2]);
}

static Value lisp_pairlis(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value keys = args[0], data = args[1], alist = arg_or(args[2], NIL);
  for (;;) {
    bool kend = !lists_more(th, keys), dend = !lists_more(th, data);
    if (kend && dend)
      return alist;
    if (kend || dend)
      simple_error(th, "The lists of keys and data are of unequal length.");
    alist = cons(th, cons(th, CAR(keys), CAR(data)), alist);
    keys = CDR(keys);
    data = CDR(data);
  }
}

/* ---- Lengths ---- */

/* CCL's algorithm (two pointers, two steps at a time), so the atom that ends a
 * dotted list is the datum of the type-error. -1 for a circular list. */
static intptr_t proper_length(Thread *th, Value list) {
  Value fast = list, slow = list;
  for (intptr_t n = 0;; n += 2) {
    if (fast == NIL)
      return n;
    Value next = cdr(th, fast);
    if (next == NIL)
      return n + 1;
    if (fast == slow && n > 0)
      return -1;
    fast = cdr(th, next);
    slow = CDR(slow);
    check_interrupt(th);
  }
}

static Value lisp_list_length(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  intptr_t n = proper_length(th, args[0]);
  return n < 0 ? NIL : make_fixnum(n);
}

/* Conses in list up to its final atom; circular lists are an improper-list error. */
static intptr_t count_conses(Thread *th, Value list) {
  Value fast = list, slow = list;
  intptr_t n = 0;
  for (; is_cons(fast); n++) {
    fast = CDR(fast);
    if (n & 1) {
      slow = CDR(slow);
      if (slow == fast)
        lists_improper_error(th, list);
    }
  }
  return n;
}

/* The optional count of LAST, BUTLAST and NBUTLAST: a non-negative integer. Returns
 * -1 for a bignum (larger than any list). */
static intptr_t list_count_arg(Thread *th, Value n) {
  if (!supplied(n))
    return 1;
  if (is_fixnum(n) && fixnum_val(n) >= 0)
    return fixnum_val(n);
  if (is_bignum(n) && number_compare(th, n, make_fixnum(0)) > 0)
    return -1;
  type_error(th, n, SYM(unsigned_byte));
}

/* ---- Joining lists ---- */

static Value lisp_append(Thread *th, int nargs, Value *args) {
  if (nargs == 0)
    return NIL;
  Value head = cons(th, NIL, NIL), tail = head;
  for (int i = 0; i < nargs - 1; i++) {
    for (Value l = args[i]; lists_more(th, l); l = CDR(l)) {
      Value c = cons(th, CAR(l), NIL);
      CDR(tail) = c;
      tail = c;
      check_interrupt(th);
    }
  }
  CDR(tail) = args[nargs - 1];
  return CDR(head);
}

/* The last cons of a non-empty list, stopping at any atom. */
static Value last_cons(Thread *th, Value l) {
  while (is_cons(CDR(l))) {
    l = CDR(l);
    check_interrupt(th);
  }
  return l;
}

/* As CCL: a dotted list in the middle has its final atom replaced, an atom other
 * than NIL before the last argument is an error. */
static Value lisp_nconc(Thread *th, int nargs, Value *args) {
  int i = 0;
  for (; i < nargs && !is_cons(args[i]); i++)
    if (args[i] != NIL) {
      if (i == nargs - 1)
        return args[i];
      type_error(th, args[i], SYM(list));
    }
  if (i == nargs)
    return NIL;
  Value result = args[i], splice = result;
  for (i++; i < nargs; i++) {
    Value e = args[i];
    if (is_cons(e)) {
      CDR(last_cons(th, splice)) = e;
      splice = e;
    } else if (e == NIL || i == nargs - 1) {
      CDR(last_cons(th, splice)) = e;
    } else {
      type_error(th, e, SYM(list));
    }
  }
  return result;
}

static Value lisp_revappend(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value res = args[1];
  for (Value l = args[0]; lists_more(th, l); l = CDR(l)) {
    res = cons(th, CAR(l), res);
    check_interrupt(th);
  }
  return res;
}

static Value lisp_nreconc(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value cur = args[0], res = args[1];
  while (lists_more(th, cur)) {
    Value next = CDR(cur);
    CDR(cur) = res;
    res = cur;
    cur = next;
  }
  return res;
}

/* ---- Parts of lists ---- */

/* (last 5) is 5 in CCL (its compiler stops at any atom), so no check of LIST here. */
static Value lisp_last(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value list = args[0];
  intptr_t n = list_count_arg(th, args[1]);
  if (n < 0)
    return check_list(th, list);
  Value returned = list;
  intptr_t index = 0;
  for (Value checked = list; is_cons(checked); checked = CDR(checked), index++) {
    if (index >= n)
      returned = CDR(returned);
    check_interrupt(th);
  }
  return returned;
}

static Value lisp_butlast(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value list = check_list(th, args[0]);
  intptr_t n = list_count_arg(th, args[1]);
  intptr_t len = count_conses(th, list);
  if (n < 0 || n >= len)
    return NIL;
  Value head = cons(th, NIL, NIL), tail = head;
  for (intptr_t i = len - n; i > 0; i--, list = CDR(list)) {
    Value c = cons(th, CAR(list), NIL);
    CDR(tail) = c;
    tail = c;
  }
  return CDR(head);
}

static Value lisp_nbutlast(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value list = check_list(th, args[0]);
  intptr_t n = list_count_arg(th, args[1]);
  intptr_t len = count_conses(th, list);
  if (n < 0 || n >= len)
    return NIL;
  Value tail = list;
  for (intptr_t i = len - n - 1; i > 0; i--)
    tail = CDR(tail);
  CDR(tail) = NIL;
  return list;
}

/* CCL checks LIST before INDEX; it stops early at NIL, and a bignum index walks
 * on (a circular list then loops, interruptibly, as in CCL). */
static Value nthcdr(Thread *th, Value index, Value list) {
  check_list(th, list);
  if (is_fixnum(index) && fixnum_val(index) >= 0) {
    for (intptr_t i = fixnum_val(index); i > 0 && list != NIL; i--)
      list = cdr(th, list);
    return list;
  }
  if (!is_bignum(index) || number_compare(th, index, make_fixnum(0)) < 0)
    type_error(th, index, SYM(unsigned_byte));
  while (list != NIL) {
    list = cdr(th, list);
    check_interrupt(th);
  }
  return NIL;
}

static Value lisp_nthcdr(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return nthcdr(th, args[0], args[1]);
}

static Value lisp_nth(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return car(th, nthcdr(th, args[0], args[1]));
}

/* (setf (nth n list) v) as CCL expands it. */
static Value lisp_setnth(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value n = args[0], list = args[1];
  if (!is_fixnum(n))
    type_error(th, n, SYM(fixnum));
  if (fixnum_val(n) < 0)
    simple_error(th, "~S is an illegal N for SETF of NTH.", n);
  for (intptr_t i = fixnum_val(n); i > 0; i--) {
    Value next = cdr(th, list);
    if (!lists_more(th, next))
      simple_error(th, "~S is too large an index for SETF of NTH.", n);
    list = next;
  }
  CAR(check_cons(th, list)) = args[2];
  return args[2];
}

static Value lisp_ldiff(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value list = check_list(th, args[0]), object = args[1];
  Value head = cons(th, NIL, NIL), tail = head;
  for (; is_cons(list); list = CDR(list)) {
    if (eql(list, object))
      return CDR(head);
    Value c = cons(th, CAR(list), NIL);
    CDR(tail) = c;
    tail = c;
    check_interrupt(th);
  }
  if (!eql(list, object))
    CDR(tail) = list;
  return CDR(head);
}

/* A circular LIST ends the walk (false) once the cycle has been seen whole,
 * where CCL would loop. */
static Value lisp_tailp(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value object = args[0], list = args[1], slow = list;
  for (intptr_t n = 0; is_cons(list); n++) {
    if (list == object)
      return SYM(t);
    list = CDR(list);
    if (n & 1) {
      slow = CDR(slow);
      if (slow == list)
        return NIL;
    }
  }
  return BOOL(th, eql(list, object));
}

/* ---- Copying ---- */

static Value lisp_copy_list(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value list = args[0];
  if (list == NIL)
    return NIL;
  Value head = cons(th, car(th, list), NIL), tail = head;
  for (list = CDR(list); is_cons(list); list = CDR(list)) {
    Value c = cons(th, CAR(list), NIL);
    CDR(tail) = c;
    tail = c;
    check_interrupt(th);
  }
  CDR(tail) = list;
  return head;
}

/* Entries must be conses or NIL, as CCL's ENDP on each one demands. */
static Value lisp_copy_alist(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value head = cons(th, NIL, NIL), tail = head;
  for (Value l = args[0]; lists_more(th, l); l = CDR(l)) {
    Value e = CAR(l);
    if (lists_more(th, e))
      e = cons(th, CAR(e), CDR(e));
    Value c = cons(th, e, NIL);
    CDR(tail) = c;
    tail = c;
  }
  return CDR(head);
}

/* ---- Property lists ---- */

/* A property list must be a proper list of even length (CCL's PLISTP); the atom
 * ending a dotted one is reported as by LIST-LENGTH. */
static void check_plist(Thread *th, Value plist) {
  intptr_t n = is_list(plist) ? proper_length(th, plist) : -1;
  if (n < 0 || (n & 1)) {
    Value pred = intern_c(th, "PLISTP", th->vm->pkg_ccl);
    type_error(th, plist, list2(th, SYM(satisfies), pred));
  }
}

/* The tail of a checked plist whose indicator is EQ to indicator, or NIL. */
static Value plist_tail(Thread *th, Value plist, Value indicator) {
  check_plist(th, plist);
  for (Value l = plist; l != NIL; l = CDR(CDR(l)))
    if (CAR(l) == indicator)
      return l;
  return NIL;
}

static Value lisp_getf(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value tail = plist_tail(th, args[0], args[1]);
  return tail == NIL ? arg_or(args[2], NIL) : CAR(CDR(tail));
}

static Value lisp_get_properties(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value place = args[0], indicators = args[1];
  for (Value l = place; l != NIL; l = CDR(CDR(l))) {
    Value rest = cdr(th, l);
    if (!is_cons(rest))
      lists_improper_error(th, place);
    for (Value i = indicators; lists_more(th, i); i = CDR(i))
      if (CAR(i) == CAR(l))
        return values3(th, CAR(l), CAR(rest), l);
    check_interrupt(th);
  }
  return values3(th, NIL, NIL, NIL);
}

/* (setf getf): stores into the list when the indicator is there, else returns a
 * longer list; the caller stores the result back into the place. */
static Value lisp_putf(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value plist = args[0];
  Value tail = plist_tail(th, plist, args[1]);
  if (tail != NIL) {
    CAR(CDR(tail)) = args[2];
    return plist;
  }
  return cons(th, args[1], cons(th, args[2], plist));
}

/* REMF: the new list (to be stored back) and whether the indicator was found. */
static Value lisp_remf(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value plist = args[0], indicator = args[1], prev = NIL;
  for (Value l = plist; is_cons(l); prev = l, l = CDR(CDR(l))) {
    if (!is_cons(CDR(l)))
      simple_error(th, "Odd-length property list in REMF.");
    if (CAR(l) == indicator) {
      if (prev == NIL)
        return values2(th, CDR(CDR(l)), SYM(t));
      CDR(CDR(prev)) = CDR(CDR(l));
      return values2(th, plist, SYM(t));
    }
    check_interrupt(th);
  }
  return values2(th, plist, NIL);
}

static Value lisp_symbol_plist(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return symbol_of(th, check_symbol(th, args[0]))->plist;
}

static Value lisp_set_symbol_plist(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value plist = args[1];
  Symbol *s = symbol_of(th, check_symbol(th, args[0]));
  if (plist != NIL) {
    intptr_t n = is_list(plist) ? proper_length(th, plist) : -1;
    if (n < 0 || (n & 1))
      simple_error(th, "Bad plist: ~S", plist);
  }
  s->plist = plist;
  return plist;
}

/* The symbol's plist is searched like CCL's %pl-search: no checks on its shape,
 * since only GET/%PUT/REMPROP and (setf symbol-plist) build it. */
static Value symbol_plist_tail(Symbol *s, Value indicator) {
  for (Value l = s->plist; is_cons(l) && is_cons(CDR(l)); l = CDR(CDR(l)))
    if (CAR(l) == indicator)
      return l;
  return NIL;
}

static Value lisp_get(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value tail = symbol_plist_tail(symbol_of(th, check_symbol(th, args[0])), args[1]);
  return tail == NIL ? arg_or(args[2], NIL) : CAR(CDR(tail));
}

static Value lisp_put(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Symbol *s = symbol_of(th, check_symbol(th, args[0]));
  Value tail = symbol_plist_tail(s, args[1]);
  if (tail != NIL)
    CAR(CDR(tail)) = args[2];
  else
    s->plist = cons(th, args[1], cons(th, args[2], s->plist));
  return args[2];
}

static Value lisp_remprop(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Symbol *s = symbol_of(th, check_symbol(th, args[0]));
  Value prev = NIL;
  for (Value l = s->plist; is_cons(l) && is_cons(CDR(l)); prev = l, l = CDR(CDR(l))) {
    if (CAR(l) != args[1])
      continue;
    if (prev == NIL)
      s->plist = CDR(CDR(l));
    else
      CDR(CDR(prev)) = CDR(CDR(l));
    return SYM(t);
  }
  return NIL;
}

#define CXR_DESC(name, ops, doc)                                                                             \
  { name, lisp_c##ops##r, 1, 1, 0, NULL, "(list)", doc }

const NativeDesc lists_core_natives[] = {
    {"CONS", lisp_cons, 2, 2, 0, NULL, "(x y)", "Return a list with SE1 as the CAR and SE2 as the CDR."},
    {"CAR", lisp_car, 1, 1, 0, NULL, "(x)", "Return the 1st object in a list."},
    {"CDR", lisp_cdr, 1, 1, 0, NULL, "(x)", "Return all but the first object in a list."},
    CXR_DESC("CAAR", aa, "Return the car of the 1st sublist."),
    CXR_DESC("CADR", ad, "Return the 2nd object in a list."),
    CXR_DESC("CDAR", da, "Return the cdr of the 1st sublist."),
    CXR_DESC("CDDR", dd, "Return all but the 1st two objects of a list."),
    CXR_DESC("CAAAR", aaa, "Return the 1st object in the caar of a list."),
    CXR_DESC("CAADR", aad, "Return the 1st object in the cadr of a list."),
    CXR_DESC("CADAR", ada, "Return the car of the cdar of a list."),
    CXR_DESC("CADDR", add, "Return the 1st object in the cddr of a list."),
    CXR_DESC("CDAAR", daa, "Return the cdr of the caar of a list."),
    CXR_DESC("CDADR", dad, "Return the cdr of the cadr of a list."),
    CXR_DESC("CDDAR", dda, "Return the cdr of the cdar of a list."),
    CXR_DESC("CDDDR", ddd, "Return the cdr of the cddr of a list."),
    CXR_DESC("CAAAAR", aaaa, "Return the car of the caaar of a list."),
    CXR_DESC("CAAADR", aaad, "Return the car of the caadr of a list."),
    CXR_DESC("CAADAR", aada, "Return the car of the cadar of a list."),
    CXR_DESC("CAADDR", aadd, "Return the car of the caddr of a list."),
    CXR_DESC("CADAAR", adaa, "Return the car of the cdaar of a list."),
    CXR_DESC("CADADR", adad, "Return the car of the cdadr of a list."),
    CXR_DESC("CADDAR", adda, "Return the car of the cddar of a list."),
    CXR_DESC("CADDDR", addd, "Return the car of the cdddr of a list."),
    CXR_DESC("CDAAAR", daaa, "Return the cdr of the caaar of a list."),
    CXR_DESC("CDAADR", daad, "Return the cdr of the caadr of a list."),
    CXR_DESC("CDADAR", dada, "Return the cdr of the cadar of a list."),
    CXR_DESC("CDADDR", dadd, "Return the cdr of the caddr of a list."),
    CXR_DESC("CDDAAR", ddaa, "Return the cdr of the cdaar of a list."),
    CXR_DESC("CDDADR", ddad, "Return the cdr of the cdadr of a list."),
    CXR_DESC("CDDDAR", ddda, "Return the cdr of the cddar of a list."),
    CXR_DESC("CDDDDR", dddd, "Return the cdr of the cdddr of a list."),
    {"FIRST", lisp_first, 1, 1, 0, NULL, "(list)",
     "Return the 1st object in a list or NIL if the list is empty."},
    {"SECOND", lisp_second, 1, 1, 0, NULL, "(list)",
     "Return the 2nd object in a list or NIL if there is no 2nd object."},
    {"THIRD", lisp_third, 1, 1, 0, NULL, "(list)",
     "Return the 3rd object in a list or NIL if there is no 3rd object."},
    {"FOURTH", lisp_fourth, 1, 1, 0, NULL, "(list)",
     "Return the 4th object in a list or NIL if there is no 4th object."},
    {"FIFTH", lisp_fifth, 1, 1, 0, NULL, "(list)",
     "Return the 5th object in a list or NIL if there is no 5th object."},
    {"SIXTH", lisp_sixth, 1, 1, 0, NULL, "(list)",
     "Return the 6th object in a list or NIL if there is no 6th object."},
    {"SEVENTH", lisp_seventh, 1, 1, 0, NULL, "(list)",
     "Return the 7th object in a list or NIL if there is no 7th object."},
    {"EIGHTH", lisp_eighth, 1, 1, 0, NULL, "(list)",
     "Return the 8th object in a list or NIL if there is no 8th object."},
    {"NINTH", lisp_ninth, 1, 1, 0, NULL, "(list)",
     "Return the 9th object in a list or NIL if there is no 9th object."},
    {"TENTH", lisp_tenth, 1, 1, 0, NULL, "(list)",
     "Return the 10th object in a list or NIL if there is no 10th object."},
    {"REST", lisp_cdr, 1, 1, 0, NULL, "(list)", "Means the same as the cdr of a list."},
    {"RPLACA", lisp_rplaca, 2, 2, 0, NULL, "(x y)", "Change the CAR of X to Y and return the new X."},
    {"RPLACD", lisp_rplacd, 2, 2, 0, NULL, "(x y)", "Change the CDR of X to Y and return the new X."},
    {"CCL::SET-CAR", lisp_set_car, 2, 2, 0, NULL, "(x y)", "Change the CAR of X to Y and return Y."},
    {"CCL::SET-CDR", lisp_set_cdr, 2, 2, 0, NULL, "(x y)", "Change the CDR of X to Y and return Y."},
    {"ENDP", lisp_endp, 1, 1, 0, NULL, "(x)",
     "If X is NIL, return T. If X is a cons, return NIL. Otherwise signal a\n"
     "TYPE-ERROR: X must be a list."},
    {"LIST", lisp_list, 0, 0, NAT_REST, NULL, "(&rest args)",
     "Return constructs and returns a list of its arguments."},
    {"LIST*", lisp_list_star, 1, 1, NAT_REST, NULL, "(arg &rest others)",
     "Return a list of the arguments with last cons a dotted pair"},
    {"MAKE-LIST", lisp_make_list, 1, 1, 0, "initial-element", "(size &key initial-element)",
     "Constructs a list with size elements each set to value"},
    {"ACONS", lisp_acons, 3, 3, 0, NULL, "(key datum alist)",
     "Construct a new alist by adding the pair (KEY . DATUM) to ALIST."},
    {"PAIRLIS", lisp_pairlis, 2, 3, 0, NULL, "(keys data &optional alist)",
     "Construct an association list from KEYS and DATA (adding to ALIST)."},
    {"LIST-LENGTH", lisp_list_length, 1, 1, 0, NULL, "(l)",
     "Return the length of the given LIST, or NIL if the LIST is circular."},
    {"APPEND", lisp_append, 0, 0, NAT_REST, NULL, "(&rest lists)",
     "Construct a new list by concatenating the list arguments"},
    {"NCONC", lisp_nconc, 0, 0, NAT_REST, NULL, "(&rest lists)",
     "Concatenates the lists given as arguments (by changing them)"},
    {"REVAPPEND", lisp_revappend, 2, 2, 0, NULL, "(x y)", "Return (append (reverse x) y)."},
    {"NRECONC", lisp_nreconc, 2, 2, 0, NULL, "(x y)", "Return (NCONC (NREVERSE X) Y)."},
    {"LAST", lisp_last, 1, 2, 0, NULL, "(list &optional (n 1))",
     "Return the last N conses (not the last element!) of a list."},
    {"BUTLAST", lisp_butlast, 1, 2, 0, NULL, "(list &optional (n 1 n-p))",
     "Returns a new list the same as List without the N last elements."},
    {"NBUTLAST", lisp_nbutlast, 1, 2, 0, NULL, "(list &optional (n 1 n-p))",
     "Modifies List to remove the last N elements."},
    {"NTHCDR", lisp_nthcdr, 2, 2, 0, NULL, "(index list)", "Performs the cdr function n times on a list."},
    {"NTH", lisp_nth, 2, 2, 0, NULL, "(index list)",
     "Return the nth object in a list where the car is the zero-th element."},
    {"CCL::%SETNTH", lisp_setnth, 3, 3, 0, NULL, "(n list newval)",
     "Sets the Nth element of List (zero based) to Newval."},
    {"LDIFF", lisp_ldiff, 2, 2, 0, NULL, "(list object)",
     "Return a new list, whose elements are those of LIST that appear before\n"
     "OBJECT. If OBJECT is not a tail of LIST, a copy of LIST is returned.\n"
     "LIST must be a proper list or a dotted list."},
    {"TAILP", lisp_tailp, 2, 2, 0, NULL, "(sublist list)",
     "Return true if OBJECT is the same as some tail of LIST, otherwise\n"
     "returns false. LIST must be a proper list or a dotted list."},
    {"COPY-LIST", lisp_copy_list, 1, 1, 0, NULL, "(list)", "Return a new list which is EQUAL to LIST."},
    {"COPY-ALIST", lisp_copy_alist, 1, 1, 0, NULL, "(alist)",
     "Return a new association list which is EQUAL to ALIST."},
    {"GETF", lisp_getf, 2, 3, 0, NULL, "(place key &optional (default nil))",
     "Search the property list stored in Place for an indicator EQ to INDICATOR.\n"
     "If one is found, return the corresponding value, else return DEFAULT."},
    {"GET-PROPERTIES", lisp_get_properties, 2, 2, NAT_MV, NULL, "(place indicator-list)",
     "Like GETF, except that INDICATOR-LIST is a list of indicators which will\n"
     "be looked for in the property list stored in PLACE. Three values are\n"
     "returned, see manual for details."},
    {"CCL::%PUTF", lisp_putf, 3, 3, 0, NULL, "(plist indicator value)",
     "Store VALUE under INDICATOR in PLIST and return the property list to store\n"
     "back into the place: PLIST itself, or a new list with the pair in front."},
    {"CCL::%REMF", lisp_remf, 2, 2, NAT_MV, NULL, "(plist indicator)",
     "Remove INDICATOR and its value from PLIST. Return the property list to store\n"
     "back into the place and T, or PLIST and NIL when INDICATOR was absent."},
    {"SYMBOL-PLIST", lisp_symbol_plist, 1, 1, 0, NULL, "(sym)", "Return SYMBOL's property list."},
    {"CCL::SET-SYMBOL-PLIST", lisp_set_symbol_plist, 2, 2, 0, NULL, "(sym plist)",
     "Set SYMBOL's property list to PLIST and return PLIST."},
    {"GET", lisp_get, 2, 3, 0, NULL, "(sym key &optional default)",
     "Look on the property list of SYMBOL for the specified INDICATOR. If this\n"
     "is found, return the associated value, else return DEFAULT."},
    {"CCL::%PUT", lisp_put, 3, 3, 0, NULL, "(sym key value)",
     "Set the INDICATOR property of SYMBOL to VALUE and return VALUE."},
    {"REMPROP", lisp_remprop, 2, 2, 0, NULL, "(symbol key)",
     "Look on property list of SYMBOL for property with specified\n"
     "INDICATOR. If found, splice this indicator and its value out of\n"
     "the plist, and return T. If not found, return NIL with no side effects."},
    {0},
};

void builtins_lists_init(Thread *th) {
  define_natives(th, lists_core_natives);
  define_natives(th, lists_search_natives);
  define_natives(th, lists_tree_natives);
  define_natives(th, lists_map_natives);
}
