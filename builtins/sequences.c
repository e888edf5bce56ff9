/* sequences.c — what every sequence function shares: lengths, :start/:end and :count checks,
 * the item/predicate matcher, result-type specifiers; LENGTH and ELT; the init of all sequence
 * and array tables (arrays*.c, sequences_*.c). */
#include "sequences.h"

/* ---- Lengths and bounds ---- */

/* The length of a proper list; CCL's LIST-LENGTH errors: the atom ending a dotted list is
 * not a LIST, a circular list is not a proper list. */
static size_t proper_length(Thread *th, Value list) {
  size_t n = 0;
  Value fast = list, slow = list;
  for (;;) {
    for (int step = 0; step < 2; step++) {
      if (fast == NIL) return n;
      if (!is_cons(fast)) type_error(th, fast, SYM(list));
      fast = CDR(fast);
      n++;
    }
    slow = CDR(slow);
    if (fast == slow) lists_improper_error(th, list);
  }
}

size_t seq_length(Thread *th, Value seq) {
  if (is_list(seq)) return seq == NIL ? 0 : proper_length(th, seq);
  VecView v;
  if (vec_view(seq, &v)) return v.len;
  not_a_sequence(th, seq);
}

static bool unsigned_byte_p(Value x) {
  return (is_fixnum(x) && fixnum_val(x) >= 0) || (is_bignum(x) && ((Bignum *)x)->size > 0);
}

void seq_bounds(Thread *th, Value seq, Value start, Value end, size_t len, size_t *s, size_t *e) {
  Value st = arg_or(start, make_fixnum(0));
  Value en = arg_or(end, NIL);
  if (is_fixnum(st) && fixnum_val(st) >= 0) {
    size_t a = (size_t)fixnum_val(st);
    if (en == NIL) {
      if (a <= len) {
        *s = a;
        *e = len;
        return;
      }
    } else if (is_fixnum(en) && fixnum_val(en) >= 0 && a <= (size_t)fixnum_val(en) && (size_t)fixnum_val(en) <= len) {
      *s = a;
      *e = (size_t)fixnum_val(en);
      return;
    }
  }
  if (!unsigned_byte_p(st)) type_error(th, st, SYM(unsigned_byte));
  if (en != NIL && !unsigned_byte_p(en)) type_error(th, en, list3(th, SYM(or_), SYM(null), SYM(unsigned_byte)));
  simple_error(th, "Bad interval for sequence operation on ~s : start = ~s, end = ~s", seq, st,
               en == NIL ? make_fixnum((intptr_t)len) : en);
}

size_t seq_count(Thread *th, Value count) {
  if (!supplied(count) || count == NIL) return SIZE_MAX;
  if (is_fixnum(count)) return fixnum_val(count) < 0 ? 0 : (size_t)fixnum_val(count);
  if (is_bignum(count)) return ((Bignum *)count)->size < 0 ? 0 : SIZE_MAX;
  type_error(th, count, SYM(integer));
}

Value seq_to_list(Thread *th, Value seq, size_t s, size_t e) {
  Value head = NIL, tail = NIL;
  if (is_list(seq)) {
    Value l = seq;
    for (size_t i = 0; i < s && is_cons(l); i++) l = CDR(l);
    for (size_t i = s; i < e && is_cons(l); i++, l = CDR(l)) {
      Value c = cons(th, CAR(l), NIL);
      if (tail == NIL) head = c;
      else CDR(tail) = c;
      tail = c;
    }
    return head;
  }
  VecView v;
  if (!vec_view(seq, &v)) not_a_sequence(th, seq);
  Value r = NIL;
  for (size_t i = e; i-- > s;) r = cons(th, vec_ref(th, v.data, v.start + i), r);
  return r;
}

/* ---- Matching ---- */

void match_init_item(Thread *th, Match *m, Value item, Value test, Value test_not, Value key, int conflict) {
  if (conflict == CONFLICT_BOTH) {
    if (supplied(test) && test != NIL && supplied(test_not) && test_not != NIL)
      simple_error(th, "Both ~s and ~s keywords supplied", SYM(k_test), SYM(k_test_not));
    lists_test_init(th, &m->t, test, test_not, key, LT_BY_VALUE);
  } else {
    lists_test_init(th, &m->t, test, test_not, key, LT_BY_PRESENCE);
  }
  m->item = item;
  m->mode = M_ITEM;
  m->pred = lfn(NIL);
}

void match_init_pred(Thread *th, Match *m, Value pred, Value key, bool negate) {
  lists_test_init(th, &m->t, UNSUPPLIED, UNSUPPLIED, key, LT_BY_VALUE);
  m->item = NIL;
  m->mode = negate ? M_IF_NOT : M_IF;
  m->pred = lfn(pred);
}

/* ---- Result types ---- */

void invalid_subtype_error(Thread *th, Value type, Value expected) {
  Value ia[6] = {SYM(k_datum), type, SYM(k_expected_type), expected, SYM(k_format_control),
                 make_string_c(th, "The type specifier ~S is not determinably a subtype of the type ~S")};
  error_condition(th, make_condition(th, SYM(k_type_error), 6, ia));
}

static Value expand_fully(Thread *th, Value type) {
  bool expanded = true;
  for (int guard = 0; expanded && guard < 100; guard++) type = expand_deftype(th, type, &expanded);
  return type;
}

static bool sym_named(Thread *th, Value x, const char *name) {
  return is_type(x, T_SYMBOL) && sym_raw(x)->package == th->vm->pkg_cl && string_eq_c(sym_raw(x)->name, name);
}

/* A length argument of a vector type: a fixnum, or * / absent for any. */
static bool type_length(Value arg, size_t *len) {
  if (is_fixnum(arg) && fixnum_val(arg) >= 0) {
    *len = (size_t)fixnum_val(arg);
    return true;
  }
  return false;
}

static NORETURN void bad_result_type(Thread *th, Value type, int style) {
  switch (style) {
  case RS_CONCATENATE: simple_error(th, "~S: invalid output type specification.", type);
  case RS_MAP: type_error(th, type, SYM(sequence));
  default: invalid_subtype_error(th, type, SYM(sequence));
  }
}

bool seq_result_type(Thread *th, Value type, int *kind, size_t *len, int style) {
  Value t = expand_fully(th, type);
  Value head = is_cons(t) ? CAR(t) : t;
  Value args = is_cons(t) ? CDR(t) : NIL;
  Value a1 = is_cons(args) ? CAR(args) : SYM(star);
  Value a2 = is_cons(args) && is_cons(CDR(args)) ? CAR(CDR(args)) : SYM(star);
  *len = SIZE_MAX;
  if (head == SYM(list) || (head == SYM(sequence) && style == RS_MAP && !is_cons(t))) {
    *kind = RT_LIST;
    return false;
  }
  if (head == SYM(cons)) {
    *kind = RT_CONS;
    return false;
  }
  if (head == SYM(null) && !is_cons(t)) {
    *kind = RT_NULL;
    return false;
  }
  if (head == SYM(vector)) {
    *kind = a1 == SYM(star) ? EK_T : upgraded_elt_kind(th, a1);
    type_length(a2, len);
    return true;
  }
  if (head == SYM(simple_vector)) {
    *kind = EK_T;
    type_length(a1, len);
    return true;
  }
  if (head == SYM(string) || head == SYM(simple_string) || sym_named(th, head, "BASE-STRING") ||
      sym_named(th, head, "SIMPLE-BASE-STRING")) {
    *kind = EK_CHAR;
    type_length(a1, len);
    return true;
  }
  if (head == SYM(bit_vector) || sym_named(th, head, "SIMPLE-BIT-VECTOR")) {
    *kind = EK_BIT;
    type_length(a1, len);
    return true;
  }
  if ((head == SYM(array) || head == SYM(simple_array)) && is_cons(t)) {
    Value dims = a2;
    if (dims == make_fixnum(1) || (is_cons(dims) && CDR(dims) == NIL)) {
      *kind = a1 == SYM(star) ? EK_T : upgraded_elt_kind(th, a1);
      if (is_cons(dims)) type_length(CAR(dims), len);
      return true;
    }
  }
  bad_result_type(th, type, style);
}

void check_result_length(Thread *th, Value type, bool vector, int kind, size_t len, size_t n) {
  if (vector) {
    if (len != SIZE_MAX && len != n)
      invalid_subtype_error(th, type, list3(th, SYM(vector), kind_type(th, kind), make_fixnum((intptr_t)n)));
    return;
  }
  if (kind == RT_CONS && n == 0) invalid_subtype_error(th, type, SYM(null));
  if (kind == RT_NULL && n > 0) invalid_subtype_error(th, type, SYM(cons));
}

Value seq_from_list(Thread *th, Value type, Value list, size_t n, int style) {
  int kind;
  size_t len;
  bool vector = seq_result_type(th, type, &kind, &len, style);
  if (style == RS_MAKE_SEQUENCE || vector) check_result_length(th, type, vector, kind, len, n);
  if (!vector) return list;
  return vec_from_list(th, kind, list, n);
}

/* ---- LENGTH, ELT ---- */

static Value lisp_length(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value x = args[0];
  if (is_type(x, T_SVECTOR)) return make_fixnum((intptr_t)svec_of(x)->len);
  return make_fixnum((intptr_t)seq_length(th, x));
}

/* CCL's SEQUENCE-INDEX-TYPE-ERROR. */
static NORETURN void seq_index_error(Thread *th, Value index, Value seq, size_t len) {
  Value expected = list3(th, SYM(integer), make_fixnum(0), list1(th, make_fixnum((intptr_t)len)));
  Value ia[8] = {SYM(k_datum), index, SYM(k_expected_type), expected, SYM(k_format_control),
                 make_string_c(th, "~s is not a valid sequence index for ~s"), SYM(k_format_arguments),
                 list2(th, index, seq)};
  error_condition(th, make_condition(th, SYM(k_type_error), 8, ia));
}

/* The cons holding element idx of a list, or the vector storage index. */
static Value elt_place(Thread *th, Value seq, Value idx, size_t *where) {
  if (is_list(seq)) {
    if (!unsigned_byte_p(idx)) type_error(th, idx, SYM(unsigned_byte));
    Value l = seq;
    size_t n = 0;
    if (is_fixnum(idx))
      for (intptr_t i = fixnum_val(idx); i > 0 && is_cons(l); i--, n++) l = CDR(l);
    else
      while (is_cons(l)) l = CDR(l), n++;
    if (is_cons(l) && is_fixnum(idx)) return l;
    if (l != NIL) lists_improper_error(th, seq);
    seq_index_error(th, idx, seq, n);
  }
  VecView v;
  if (!vec_view(seq, &v)) not_a_sequence(th, seq);
  if (!is_fixnum(idx) || fixnum_val(idx) < 0) type_error(th, idx, SYM(unsigned_byte));
  if ((size_t)fixnum_val(idx) >= v.len) seq_index_error(th, idx, seq, v.len);
  *where = v.start + (size_t)fixnum_val(idx);
  return v.data;
}

static Value lisp_elt(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  size_t i = 0;
  Value place = elt_place(th, args[0], args[1], &i);
  return is_cons(place) ? CAR(place) : vec_ref(th, place, i);
}

static Value lisp_set_elt(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  size_t i = 0;
  Value place = elt_place(th, args[1], args[2], &i);
  if (is_cons(place)) CAR(place) = args[0];
  else vec_set(th, place, i, args[0]);
  return args[0];
}

static const NativeDesc sequence_natives[] = {
    {"LENGTH", lisp_length, 1, 1, 0, NULL, "(sequence)",
     "Return an integer that is the length of SEQUENCE (its active length, for a fill pointer)."},
    {"ELT", lisp_elt, 2, 2, 0, NULL, "(sequence idx)", "Return the element of SEQUENCE specified by INDEX."},
    {0},
};

static const NativeDesc sequence_setf_natives[] = {
    {"ELT", lisp_set_elt, 3, 3, 0, NULL, "(new-value sequence index)",
     "Store NEW-VALUE as the element of SEQUENCE at INDEX."},
    {0},
};

void sequences_setf_init(Thread *th) {
  install_setf_natives(th, sequence_setf_natives);
  install_setf_natives(th, sequences_basic_setf_natives);
}

void builtins_sequences_init(Thread *th) {
  define_natives(th, sequence_natives);
  define_natives(th, arrays_natives);
  define_natives(th, sequences_basic_natives);
  define_natives(th, sequences_map_natives);
  define_natives(th, sequences_search_natives);
  define_natives(th, sequences_modify_natives);
  define_natives(th, sequences_sort_natives);
  arrays_setf_init(th);
  sequences_setf_init(th);
}
