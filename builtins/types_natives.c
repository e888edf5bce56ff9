/* types_natives.c — the type system's Lisp functions: TYPEP, TYPE-OF, CLASS-OF, FIND-CLASS,
 * SUBTYPEP (certain where CCL is, NIL NIL when unsure), COERCE, and the type predicates. */
#include "../interp/types_internal.h"

/* ---- Predicates (FUNCTIONP and PACKAGEP are in evaluation.c and symbols.c) ---- */

#define PREDICATE(cname, test)                                                                               \
  static Value cname(Thread *th, int nargs, Value *args) {                                                   \
    UNUSED(nargs);                                                                                           \
    Value x = args[0];                                                                                       \
    return BOOL(th, test);                                                                                   \
  }
PREDICATE(lisp_symbolp, is_symbol(x))
PREDICATE(lisp_consp, is_cons(x))
PREDICATE(lisp_listp, is_list(x))
PREDICATE(lisp_atom, !is_cons(x))
PREDICATE(lisp_null, x == NIL)
PREDICATE(lisp_stringp, is_vector_obj(x) && array_elt_kind(x) == EK_CHAR)
PREDICATE(lisp_characterp, is_char(x))
PREDICATE(lisp_vectorp, is_vector_obj(x))
PREDICATE(lisp_arrayp, is_array_obj(x))
PREDICATE(lisp_simple_vector_p, is_type(x, T_SVECTOR))
PREDICATE(lisp_simple_string_p, is_string(x))
PREDICATE(lisp_hash_table_p, is_type(x, T_HASHTABLE))
PREDICATE(lisp_keywordp, is_keyword(th, x))
#undef PREDICATE

/* ---- TYPEP, TYPE-OF, classes ---- */

static Value lisp_typep(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return BOOL(th, typep(th, args[0], args[1]));
}

static Value lisp_type_of(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return type_of(th, args[0]);
}

static Value lisp_class_of(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return class_of(th, args[0]);
}

static Value lisp_find_class(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return find_class(th, args[0], arg_or(args[1], SYM(t)) != NIL);
}

static Value check_class(Thread *th, Value c) {
  if (!is_type(c, T_CLASS))
    type_error(th, c, type_symbol(th, "CLASS"));
  return c;
}

static Value lisp_class_name(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return class_of_obj(check_class(th, args[0]))->name;
}

static Value lisp_set_deftype(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value name = check_symbol(th, args[0]);
  Symbol *s = symbol_of(th, name);
  s->plist = plist_put(th, s->plist, ts_ref(th, TS_S_DEFTYPE), args[1]);
  return name;
}

/* ---- SUBTYPEP ----
 * Answers are YES, NO (both certain) or UNSURE. Types are looked at as numeric ranges,
 * array shapes, member sets, classes and their combinations. */

enum { NO = 0, YES = 1, UNSURE = -1 };

static Value expand_fully(Thread *th, Value t) {
  bool expanded = true;
  for (int guard = 0; expanded && guard < 100; guard++)
    t = expand_deftype(th, t, &expanded);
  return t;
}

static Value head_of(Value t) { return is_cons(t) ? CAR(t) : t; }

/* Classes a type names (a class object, or a symbol naming a class); NIL otherwise. */
static Value class_designated(Thread *th, Value t) {
  if (is_type(t, T_CLASS))
    return t;
  if (is_symbol(t) && t != NIL)
    return find_class(th, t, false);
  return NIL;
}

/* Numeric ranges: kind, and bounds (UNBOUND for '*) with exclusive flags. */
enum NumKind { NK_INTEGER, NK_RATIONAL, NK_REAL, NK_FLOAT, NK_SINGLE, NK_DOUBLE };

typedef struct Range {
  int kind;
  Value lo, hi;
  bool lox, hix;
} Range;

static bool kind_within(int k1, int k2) {
  if (k1 == k2)
    return true;
  switch (k2) {
  case NK_REAL:
    return true;
  case NK_RATIONAL:
    return k1 == NK_INTEGER;
  case NK_FLOAT:
    return k1 == NK_SINGLE || k1 == NK_DOUBLE;
  default:
    return false;
  }
}

static bool fixnum_range(Range *r, int kind, intptr_t lo, intptr_t hi) {
  r->kind = kind;
  r->lo = make_fixnum(lo);
  r->hi = make_fixnum(hi);
  r->lox = r->hix = false;
  return true;
}

static bool bound_of(Value b, Value *out, bool *excl) {
  *excl = false;
  if (b == UNBOUND || b == 0) {
    *out = UNBOUND;
    return true;
  }
  if (is_symbol(b)) {
    *out = UNBOUND;
    return b != NIL; /* '* */
  }
  if (is_real(b)) {
    *out = b;
    return true;
  }
  if (is_cons(b) && CDR(b) == NIL && is_real(CAR(b))) {
    *out = CAR(b);
    *excl = true;
    return true;
  }
  return false;
}

static bool numeric_range(Thread *th, Value t, Range *r) {
  Value h = head_of(t);
  Value args = is_cons(t) ? CDR(t) : NIL;
  Value a0 = is_cons(args) ? CAR(args) : UNBOUND;
  Value a1 = is_cons(args) && is_cons(CDR(args)) ? CAR(CDR(args)) : UNBOUND;
  int kind;
  if (h == SYM(fixnum) && !is_cons(t))
    return fixnum_range(r, NK_INTEGER, FIXNUM_MIN, FIXNUM_MAX);
  if (h == SYM(bit) && !is_cons(t))
    return fixnum_range(r, NK_INTEGER, 0, 1);
  if (h == SYM(mod)) {
    if (!is_fixnum(a0) || fixnum_val(a0) <= 0)
      return false;
    return fixnum_range(r, NK_INTEGER, 0, fixnum_val(a0) - 1);
  }
  if (h == SYM(unsigned_byte) || h == SYM(signed_byte)) {
    r->kind = NK_INTEGER;
    r->lox = r->hix = false;
    if (a0 == UNBOUND || a0 == SYM(star)) {
      r->lo = h == SYM(unsigned_byte) ? make_fixnum(0) : UNBOUND;
      r->hi = UNBOUND;
      return true;
    }
    if (!is_fixnum(a0) || fixnum_val(a0) <= 0 || fixnum_val(a0) > 61)
      return false;
    intptr_t n = fixnum_val(a0);
    if (h == SYM(unsigned_byte))
      return fixnum_range(r, NK_INTEGER, 0, n == 61 ? FIXNUM_MAX : ((intptr_t)1 << n) - 1);
    return fixnum_range(r, NK_INTEGER, -((intptr_t)1 << (n - 1)), ((intptr_t)1 << (n - 1)) - 1);
  }
  if (h == SYM(integer))
    kind = NK_INTEGER;
  else if (h == SYM(rational))
    kind = NK_RATIONAL;
  else if (h == SYM(real))
    kind = NK_REAL;
  else if (h == SYM(float_))
    kind = NK_FLOAT;
  else if (h == SYM(single_float) || h == SYM(short_float))
    kind = NK_SINGLE;
  else if (h == SYM(double_float) || h == SYM(long_float))
    kind = NK_DOUBLE;
  else
    return false;
  r->kind = kind;
  if (!bound_of(a0, &r->lo, &r->lox) || !bound_of(a1, &r->hi, &r->hix))
    return false;
  UNUSED(th);
  /* Integer bounds are inclusive fixnums where possible, so (integer (0) *) = (integer 1 *). */
  if (kind == NK_INTEGER) {
    if (r->lox && is_fixnum(r->lo))
      r->lo = make_fixnum(fixnum_val(r->lo) + 1), r->lox = false;
    if (r->hix && is_fixnum(r->hi))
      r->hi = make_fixnum(fixnum_val(r->hi) - 1), r->hix = false;
  }
  return true;
}

/* lo1 >= lo2 as lower bounds (UNBOUND is minus infinity) */
static bool lower_within(Thread *th, Value lo1, bool x1, Value lo2, bool x2) {
  if (lo2 == UNBOUND)
    return true;
  if (lo1 == UNBOUND)
    return false;
  int c = number_compare(th, lo1, lo2);
  return c > 0 || (c == 0 && (x1 || !x2));
}

static bool upper_within(Thread *th, Value hi1, bool x1, Value hi2, bool x2) {
  if (hi2 == UNBOUND)
    return true;
  if (hi1 == UNBOUND)
    return false;
  int c = number_compare(th, hi1, hi2);
  return c < 0 || (c == 0 && (x1 || !x2));
}

static int range_subtype(Thread *th, Range *a, Range *b) {
  if (!kind_within(a->kind, b->kind)) {
    /* A rational range inside an integer one has ratios; a real one has floats ... */
    return NO;
  }
  return lower_within(th, a->lo, a->lox, b->lo, b->lox) && upper_within(th, a->hi, a->hix, b->hi, b->hix)
             ? YES
             : NO;
}

/* Array shapes: simple or not, element kind (-1: any), rank (-1: any) and dimensions. */
typedef struct Shape {
  bool simple;
  int ek;
  int rank;
  Value dims; /* list of fixnums or '* , or NIL when rank < 0 */
} Shape;

static bool dims_of(Thread *th, Value d, Shape *s) {
  if (d == UNBOUND || d == SYM(star)) {
    s->rank = -1;
    s->dims = NIL;
    return true;
  }
  if (is_fixnum(d)) {
    s->rank = (int)fixnum_val(d);
    s->dims = NIL;
    return true;
  }
  intptr_t n = list_length(d);
  if (n < 0)
    return false;
  s->rank = (int)n;
  s->dims = d;
  return true;
}

static bool array_shape(Thread *th, Value t, Shape *s) {
  Value h = head_of(t);
  Value args = is_cons(t) ? CDR(t) : NIL;
  Value a0 = is_cons(args) ? CAR(args) : UNBOUND;
  Value a1 = is_cons(args) && is_cons(CDR(args)) ? CAR(CDR(args)) : UNBOUND;
  s->simple = false;
  s->ek = -1;
  Value one_dim = UNBOUND; /* size of a vector type */
  if (h == SYM(array) || h == SYM(simple_array)) {
    s->simple = h == SYM(simple_array);
    if (a0 != UNBOUND && a0 != SYM(star))
      s->ek = upgraded_elt_kind(th, a0);
    return dims_of(th, a1, s);
  }
  if (h == SYM(vector)) {
    if (a0 != UNBOUND && a0 != SYM(star))
      s->ek = upgraded_elt_kind(th, a0);
    one_dim = a1;
  } else if (h == SYM(simple_vector)) {
    s->simple = true;
    s->ek = EK_T;
    one_dim = a0;
  } else if (h == SYM(string) || h == ts_ref(th, TS_S_BASE_STRING)) {
    s->ek = EK_CHAR;
    one_dim = a0;
  } else if (h == SYM(simple_string) || h == ts_ref(th, TS_S_SIMPLE_BASE_STRING)) {
    s->simple = true;
    s->ek = EK_CHAR;
    one_dim = a0;
  } else if (h == SYM(bit_vector)) {
    s->ek = EK_BIT;
    one_dim = a0;
  } else if (h == ts_ref(th, TS_S_SIMPLE_BIT_VECTOR)) {
    s->simple = true;
    s->ek = EK_BIT;
    one_dim = a0;
  } else
    return false;
  s->rank = 1;
  s->dims = list1(th, one_dim == UNBOUND ? SYM(star) : one_dim);
  return true;
}

static int shape_subtype(Shape *a, Shape *b) {
  if (b->simple && !a->simple)
    return NO;
  if (b->ek >= 0 && a->ek != b->ek)
    return NO;
  if (b->rank >= 0) {
    if (a->rank != b->rank)
      return NO;
    Value da = a->dims, db = b->dims;
    for (; is_cons(db); db = CDR(db), da = is_cons(da) ? CDR(da) : NIL) {
      if (!is_fixnum(CAR(db)))
        continue;
      if (!is_cons(da) || CAR(da) != CAR(db))
        return NO;
    }
  }
  return YES;
}

/* Two classes no object can belong to at once: neither contains the other and no
 * known class has both in its precedence list. */
static bool classes_disjoint(Thread *th, Value a, Value b) {
  if (subclassp(a, b) || subclassp(b, a))
    return false;
  size_t i = 0;
  Value k, v;
  while (hash_next(th->vm->classes, &i, &k, &v))
    if (is_type(v, T_CLASS) && subclassp(v, a) && subclassp(v, b))
      return false;
  return true;
}

static int subtype(Thread *th, Value t1, Value t2, int depth);

static int all_of(Thread *th, Value t1, Value list, int depth) {
  int result = YES;
  for (; is_cons(list); list = CDR(list)) {
    int r = subtype(th, t1, CAR(list), depth);
    if (r == NO)
      return NO;
    if (r == UNSURE)
      result = UNSURE;
  }
  return result;
}

static Value range_class(Thread *th, Range *r) {
  static const char *const names[] = {"INTEGER", "RATIONAL", "REAL", "FLOAT", "SINGLE-FLOAT", "DOUBLE-FLOAT"};
  return find_class(th, type_symbol(th, names[r->kind]), false);
}

/* The class that stands for a type (the class it names, or that of its numeric range or
 * array shape), for comparing with classes. */
static Value class_for(Thread *th, Value t) {
  Value c = is_symbol(t) ? class_designated(th, t) : NIL;
  if (c != NIL)
    return c;
  Range r;
  if (numeric_range(th, t, &r))
    return range_class(th, &r);
  Value h = head_of(t);
  if (h == SYM(cons))
    return find_class(th, SYM(cons), false);
  if (h == SYM(array) || h == SYM(simple_array) || h == SYM(vector) || h == SYM(simple_vector) ||
      h == SYM(string) || h == SYM(simple_string) || h == SYM(bit_vector) ||
      h == ts_ref(th, TS_S_BASE_STRING) || h == ts_ref(th, TS_S_SIMPLE_BASE_STRING) ||
      h == ts_ref(th, TS_S_SIMPLE_BIT_VECTOR))
    return find_class(th, h, false);
  return class_designated(th, t);
}

static bool is_numeric_class(Thread *th, Value c) { return subclassp(c, find_class(th, SYM(number), false)); }

static int subtype(Thread *th, Value t1, Value t2, int depth) {
  if (depth > 50)
    return UNSURE;
  depth++;
  t1 = expand_fully(th, t1);
  t2 = expand_fully(th, t2);
  if (t2 == SYM(t) || t1 == NIL || equal(t1, t2))
    return YES;
  if (t1 == SYM(boolean))
    t1 = list3(th, SYM(member), NIL, SYM(t));
  if (t2 == SYM(boolean))
    t2 = list3(th, SYM(member), NIL, SYM(t));
  if (t1 == SYM(atom))
    t1 = list2(th, SYM(not_), SYM(cons));
  if (t2 == SYM(atom))
    t2 = list2(th, SYM(not_), SYM(cons));
  if (t1 == ts_ref(th, TS_S_EXTENDED_CHAR))
    return YES;
  Value h1 = head_of(t1), h2 = head_of(t2);

  if (is_cons(t1) && h1 == SYM(or_)) {
    int result = YES;
    for (Value l = CDR(t1); is_cons(l); l = CDR(l)) {
      int r = subtype(th, CAR(l), t2, depth);
      if (r == NO)
        return NO;
      if (r == UNSURE)
        result = UNSURE;
    }
    return result;
  }
  if (is_cons(t2) && h2 == SYM(and_))
    return all_of(th, t1, CDR(t2), depth);
  if (is_cons(t1) && (h1 == SYM(member) || h1 == SYM(eql))) {
    Value elems = h1 == SYM(eql) ? list1(th, is_cons(CDR(t1)) ? CAR(CDR(t1)) : NIL) : CDR(t1);
    for (; is_cons(elems); elems = CDR(elems))
      if (!typep(th, CAR(elems), t2))
        return NO;
    return YES;
  }
  if (is_cons(t1) && h1 == SYM(and_)) {
    for (Value l = CDR(t1); is_cons(l); l = CDR(l))
      if (subtype(th, CAR(l), t2, depth) == YES)
        return YES;
    return UNSURE;
  }
  if (is_cons(t2) && h2 == SYM(or_)) {
    bool all_no = true;
    for (Value l = CDR(t2); is_cons(l); l = CDR(l)) {
      int r = subtype(th, t1, CAR(l), depth);
      if (r == YES)
        return YES;
      if (r == UNSURE)
        all_no = false;
    }
    /* A class no part of which is in any of the alternatives */
    Value c1 = class_designated(th, t1);
    if (!all_no || c1 == NIL)
      return UNSURE;
    for (Value l = CDR(t2); is_cons(l); l = CDR(l)) {
      Value c = class_for(th, expand_fully(th, CAR(l)));
      if (c == NIL || !classes_disjoint(th, c1, c))
        return UNSURE;
    }
    return NO;
  }
  if (is_cons(t2) && (h2 == SYM(member) || h2 == SYM(eql))) {
    if (t1 == SYM(null))
      return typep(th, NIL, t2) ? YES : NO;
    Range r;
    if (numeric_range(th, t1, &r) && r.kind == NK_INTEGER && is_fixnum(r.lo) && is_fixnum(r.hi) &&
        fixnum_val(r.hi) - fixnum_val(r.lo) < 10000) {
      for (intptr_t i = fixnum_val(r.lo); i <= fixnum_val(r.hi); i++)
        if (!typep(th, make_fixnum(i), t2))
          return NO;
      return YES;
    }
    return class_designated(th, t1) != NIL || numeric_range(th, t1, &r) ? NO : UNSURE;
  }
  if (is_cons(t2) && h2 == SYM(not_)) {
    Value x = is_cons(CDR(t2)) ? CAR(CDR(t2)) : NIL;
    if (is_cons(t1) && h1 == SYM(not_))
      return subtype(th, x, is_cons(CDR(t1)) ? CAR(CDR(t1)) : NIL, depth);
    Range r1, r2;
    if (numeric_range(th, t1, &r1) && numeric_range(th, expand_fully(th, x), &r2)) {
      if (!kind_within(r1.kind, r2.kind) && !kind_within(r2.kind, r1.kind) &&
          !(r1.kind == NK_REAL || r2.kind == NK_REAL))
        return YES;
      return UNSURE;
    }
    Value c1 = class_for(th, t1), c2 = class_for(th, expand_fully(th, x));
    if (c1 != NIL && c2 != NIL) {
      if (classes_disjoint(th, c1, c2))
        return YES;
      if (subclassp(c1, c2))
        return NO;
    }
    return UNSURE;
  }
  if (is_cons(t1) && h1 == SYM(not_))
    return class_designated(th, t2) != NIL ? NO : UNSURE;
  if (h1 == SYM(satisfies) || h2 == SYM(satisfies))
    return UNSURE;

  Range r1, r2;
  bool n1 = numeric_range(th, t1, &r1), n2 = numeric_range(th, t2, &r2);
  if (n1 && n2)
    return range_subtype(th, &r1, &r2);
  Shape s1, s2;
  bool a1 = array_shape(th, t1, &s1), a2 = array_shape(th, t2, &s2);
  if (a1 && a2)
    return shape_subtype(&s1, &s2);
  if (is_cons(t1) && h1 == SYM(cons) && is_cons(t2) && h2 == SYM(cons)) {
    Value args1 = CDR(t1), args2 = CDR(t2);
    Value car1 = is_cons(args1) ? CAR(args1) : SYM(t),
          cdr1 = is_cons(args1) && is_cons(CDR(args1)) ? CAR(CDR(args1)) : SYM(t);
    Value car2 = is_cons(args2) ? CAR(args2) : SYM(t),
          cdr2 = is_cons(args2) && is_cons(CDR(args2)) ? CAR(CDR(args2)) : SYM(t);
    if (car1 == SYM(star))
      car1 = SYM(t);
    if (cdr1 == SYM(star))
      cdr1 = SYM(t);
    if (car2 == SYM(star))
      car2 = SYM(t);
    if (cdr2 == SYM(star))
      cdr2 = SYM(t);
    int a = subtype(th, car1, car2, depth), d = subtype(th, cdr1, cdr2, depth);
    return a == YES && d == YES ? YES : (a == NO || d == NO) ? NO : UNSURE;
  }
  Value c1 = class_for(th, t1), c2 = class_designated(th, t2);
  if (c1 == NIL || c2 == NIL) {
    if (c1 != NIL && n2 && is_numeric_class(th, c1)) {
      /* BIGNUM, RATIO, NUMBER against a range: inside only when the range is unbounded */
      Value cr = range_class(th, &r2);
      if (cr != NIL && !subclassp(c1, cr))
        return NO;
      return r2.lo == UNBOUND && r2.hi == UNBOUND && cr != NIL ? YES : NO;
    }
    if (c1 != NIL && a2)
      return classes_disjoint(th, c1, class_for(th, t2)) ? NO : UNSURE;
    return UNSURE;
  }
  if (subclassp(c1, c2))
    return YES;
  /* An integer range with a fixnum in it is not made of bignums. */
  if (n1 && r1.kind == NK_INTEGER && c2 == find_class(th, SYM(bignum), false) &&
      (r1.lo == UNBOUND || number_compare(th, r1.lo, make_fixnum(FIXNUM_MAX)) <= 0) &&
      (r1.hi == UNBOUND || number_compare(th, r1.hi, make_fixnum(FIXNUM_MIN)) >= 0))
    return NO;
  /* A range or shape smaller than its class may still fit in a subclass of it. */
  if ((n1 || a1 || is_cons(t1)) && !classes_disjoint(th, c1, c2))
    return subclassp(c2, c1) ? UNSURE : NO;
  return NO;
}

static Value lisp_subtypep(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  int r = subtype(th, args[0], args[1], 0);
  return values2(th, BOOL(th, r == YES), BOOL(th, r != UNSURE));
}

/* ---- COERCE ---- */

static Value vector_ref(Thread *th, Value v, size_t i) {
  switch (obj_of(v)->type) {
  case T_STRING:
    return make_char(string_of(v)->data[i]);
  case T_SVECTOR:
    return svec_of(v)->data[i];
  case T_OCTETS:
    return make_fixnum(octets_of(v)->data[i]);
  default:
    return funcall2(th, ts_ref(th, TS_S_AREF), v, make_fixnum((intptr_t)i));
  }
}

static size_t vector_length(Value v) {
  if (is_type(v, T_ARRAY))
    return array_of(v)->fill;
  return array_dim_of(v, 0);
}

/* The elements of a sequence as a fresh list. */
static Value sequence_list(Thread *th, Value seq) {
  if (is_list(seq)) {
    if (list_length(seq) < 0)
      type_error(th, seq, SYM(list));
    return seq;
  }
  if (!is_vector_obj(seq))
    type_error(th, seq, SYM(sequence));
  Value out = NIL;
  for (size_t i = vector_length(seq); i-- > 0;)
    out = cons(th, vector_ref(th, seq, i), out);
  return out;
}

static NORETURN void cant_coerce(Thread *th, Value x, Value type) {
  simple_error(th, "~S can't be coerced to type ~S.", x, type);
}

static Value coerce_to_vector(Thread *th, Value x, Value type, Shape *s) {
  if (!is_list(x) && !is_vector_obj(x))
    simple_error(th, "Can't coerce ~S to ~S", x, SYM(array));
  if (s->rank > 1)
    simple_error(th, "~s is not a sequence type.", type);
  Value items = sequence_list(th, x);
  intptr_t n = list_length(items);
  if (s->rank == 1 && is_cons(s->dims) && is_fixnum(CAR(s->dims)) && fixnum_val(CAR(s->dims)) != n)
    type_error(th, x, type);
  int ek = s->ek < 0 ? EK_T : s->ek;
  Value out;
  size_t i = 0;
  switch (ek) {
  case EK_T:
    out = make_svector(th, (size_t)n, NIL);
    for (Value l = items; is_cons(l); l = CDR(l))
      svec_of(out)->data[i++] = CAR(l);
    return out;
  case EK_CHAR:
    out = make_string_n(th, (size_t)n);
    for (Value l = items; is_cons(l); l = CDR(l)) {
      if (!is_char(CAR(l)))
        type_error(th, CAR(l), SYM(character));
      string_of(out)->data[i++] = char_code(CAR(l));
    }
    return out;
  case EK_U8:
    out = make_octets(th, (size_t)n);
    for (Value l = items; is_cons(l); l = CDR(l)) {
      Value e = CAR(l);
      if (!is_fixnum(e) || fixnum_val(e) < 0 || fixnum_val(e) > 255)
        type_error(th, e, list2(th, SYM(unsigned_byte), make_fixnum(8)));
      octets_of(out)->data[i++] = (uint8_t)fixnum_val(e);
    }
    return out;
  default: {
    Value margs[5] = {make_fixnum(n), ts_ref(th, TS_K_ELEMENT_TYPE), elt_kind_spec(th, ek),
                      ts_ref(th, TS_K_INITIAL_CONTENTS), items};
    return call_function(th, ts_ref(th, TS_S_MAKE_ARRAY), 5, margs);
  }
  }
}

static Value to_character(Thread *th, Value x) {
  if (is_char(x))
    return x;
  size_t len;
  const uint32_t *chars = string_chars(x, &len);
  if (chars && len == 1)
    return make_char(chars[0]);
  if (is_symbol(x)) {
    chars = string_chars(symbol_name(th, x), &len);
    if (len == 1)
      return make_char(chars[0]);
  }
  type_error(th, x, list2(th, SYM(satisfies), type_symbol(th, "CCL::CHARACTER-DESIGNATOR-P")));
}

static Value coerce(Thread *th, Value x, Value type) {
  if (typep(th, x, type))
    return x;
  Value t = expand_fully(th, type);
  Value h = head_of(t);
  if (h == SYM(character) || h == SYM(base_char))
    return to_character(th, x);
  if (h == SYM(standard_char)) {
    Value c = to_character(th, x);
    if (!typep(th, c, SYM(standard_char)))
      simple_error(th, "Can't coerce ~S to ~S", x, SYM(standard_char));
    return c;
  }
  if (h == SYM(function_t) || h == SYM(compiled_function)) {
    if (is_symbol(x) && x != NIL)
      return coerce_to_function(th, x);
    if (is_cons(x) && CAR(x) == SYM(lambda))
      return eval_form(th, list2(th, SYM(function), x));
    simple_error(th, "Can't coerce ~S to ~S", x, SYM(function_t));
  }
  if (h == SYM(list) || h == SYM(cons) || h == SYM(null)) {
    if (h == SYM(cons) && x == NIL)
      type_error(th, x, SYM(cons));
    Value l = sequence_list(th, x);
    if (!typep(th, l, type))
      type_error(th, l, type);
    return l;
  }
  Shape s;
  if (array_shape(th, t, &s))
    return coerce_to_vector(th, x, type, &s);
  if (is_real(x)) {
    Range r;
    if (numeric_range(th, t, &r) || class_designated(th, t) != NIL) {
      Value c = class_for(th, t);
      Value dbl = find_class(th, SYM(double_float), false), flt = find_class(th, SYM(float_), false);
      if (c != NIL && subclassp(c, dbl))
        return make_double(th, number_to_double(th, x));
      if (c != NIL && subclassp(c, flt))
        return make_sfloat((float)number_to_double(th, x));
    }
  }
  cant_coerce(th, x, type);
}

static Value lisp_coerce(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return coerce(th, args[0], args[1]);
}

#define PRED_DESC(name, fn, doc)                                                                             \
  { name, fn, 1, 1, 0, 0, "(object)", doc }

static const NativeDesc types_natives[] = {
    PRED_DESC("SYMBOLP", lisp_symbolp, "Return true if OBJECT is a SYMBOL, and NIL otherwise."),
    PRED_DESC("CONSP", lisp_consp, "Return true if OBJECT is a CONS, and NIL otherwise."),
    PRED_DESC("LISTP", lisp_listp, "Return true if OBJECT is a LIST, and NIL otherwise."),
    PRED_DESC("ATOM", lisp_atom, "Return true if OBJECT is an ATOM, and NIL otherwise."),
    PRED_DESC("NULL", lisp_null, "Return true if OBJECT is a NULL, and NIL otherwise."),
    PRED_DESC("STRINGP", lisp_stringp, "Return true if OBJECT is a STRING, and NIL otherwise."),
    PRED_DESC("CHARACTERP", lisp_characterp, "Return true if OBJECT is a CHARACTER, and NIL otherwise."),
    PRED_DESC("VECTORP", lisp_vectorp, "Return true if OBJECT is a VECTOR, and NIL otherwise."),
    PRED_DESC("ARRAYP", lisp_arrayp, "Return true if OBJECT is an ARRAY, and NIL otherwise."),
    PRED_DESC("SIMPLE-VECTOR-P", lisp_simple_vector_p,
              "Return true if OBJECT is a SIMPLE-VECTOR, and NIL otherwise."),
    PRED_DESC("SIMPLE-STRING-P", lisp_simple_string_p,
              "Return true if OBJECT is a SIMPLE-STRING, and NIL otherwise."),
    PRED_DESC("HASH-TABLE-P", lisp_hash_table_p, "Return true if OBJECT is a HASH-TABLE, and NIL otherwise."),
    PRED_DESC("KEYWORDP", lisp_keywordp, "Return true if Object is a symbol in the \"KEYWORD\" package."),
    {"TYPEP", lisp_typep, 2, 3, 0, 0, "(object type &optional environment)", "Is OBJECT of type TYPE?"},
    {"TYPE-OF", lisp_type_of, 1, 1, 0, 0, "(object)", "Return the type of OBJECT."},
    {"CLASS-OF", lisp_class_of, 1, 1, 0, 0, "(object)", "Return the class of OBJECT."},
    {"FIND-CLASS", lisp_find_class, 1, 3, 0, 0, "(name &optional (errorp t) environment)",
     "The class named NAME; NIL or an error when there is none, as ERRORP says."},
    {"CLASS-NAME", lisp_class_name, 1, 1, 0, 0, "(class)", "The name of CLASS."},
    {"SUBTYPEP", lisp_subtypep, 2, 3, NAT_MV, 0, "(type1 type2 &optional environment)",
     "Return two values indicating the relationship between type1 and type2.\n"
     "If values are T and T, type1 definitely is a subtype of type2.\n"
     "If values are NIL and T, type1 definitely is not a subtype of type2.\n"
     "If values are NIL and NIL, it couldn't be determined."},
    {"COERCE", lisp_coerce, 2, 2, 0, 0, "(object output-type-spec)",
     "Coerce the Object to an object of type Output-Type-Spec."},
    {"CCL::%SET-DEFTYPE", lisp_set_deftype, 2, 2, 0, 0, "(name expander)",
     "Makes EXPANDER, a function of the arguments of a type specifier, NAME's DEFTYPE expansion."},
    {0},
};

void builtins_types_init(Thread *th) { define_natives(th, types_natives); }
