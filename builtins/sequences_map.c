/* sequences_map.c — calling a function over sequences: MAP, MAP-INTO, REDUCE, and the
 * quantifiers SOME, EVERY, NOTANY, NOTEVERY. */
#include "sequences.h"

/* A cursor over one sequence. Only Values (indexes as fixnums), so that a cursor array may
 * live in a simple vector the collector scans: it keeps the storage it walks alive even if
 * the function called adjusts the array meanwhile. */
typedef struct SeqIter {
  Value list; /* the rest of a list, when data is NIL */
  Value data; /* the simple vector of a vector */
  Value idx, end;
} SeqIter;

static void iter_init(Thread *th, SeqIter *it, Value seq) {
  if (is_list(seq)) {
    it->list = seq;
    it->data = NIL;
    return;
  }
  VecView v;
  if (!vec_view(seq, &v)) not_a_sequence(th, seq);
  it->list = NIL;
  it->data = v.data;
  it->idx = make_fixnum((intptr_t)v.start);
  it->end = make_fixnum((intptr_t)(v.start + v.len));
}

static inline bool iter_next(Thread *th, SeqIter *it, Value *out) {
  if (it->data == NIL) {
    Value l = it->list;
    if (l == NIL) return false;
    if (!is_cons(l)) type_error(th, l, SYM(list));
    *out = CAR(l);
    it->list = CDR(l);
    return true;
  }
  if (it->idx == it->end) return false;
  *out = vec_ref(th, it->data, (size_t)fixnum_val(it->idx));
  it->idx = make_fixnum(fixnum_val(it->idx) + 1);
  return true;
}

#define SMALL_ITERS 8

/* Cursors and an argument vector for n sequences: on the C stack when few, else in the heap. */
typedef struct Cursors {
  SeqIter small[SMALL_ITERS];
  Value small_args[SMALL_ITERS];
  SeqIter *its;
  Value *args;
} Cursors;

static void cursors_init(Thread *th, Cursors *c, int n, const Value *seqs) {
  c->its = c->small;
  c->args = c->small_args;
  if (n > SMALL_ITERS) {
    c->its = (SeqIter *)svec_of(make_svector(th, (size_t)n * 4, NIL))->data;
    c->args = svec_of(make_svector(th, (size_t)n, NIL))->data;
  }
  for (int i = 0; i < n; i++) iter_init(th, &c->its[i], seqs[i]);
}

/* The next argument of each sequence into c->args; false when one of them is exhausted. */
static bool cursors_next(Thread *th, Cursors *c, int n) {
  for (int i = 0; i < n; i++)
    if (!iter_next(th, &c->its[i], &c->args[i])) return false;
  return true;
}

/* ---- MAP, MAP-INTO ---- */

static Value lisp_map(Thread *th, int nargs, Value *args) {
  Value type = args[0];
  int kind = RT_LIST;
  size_t want = SIZE_MAX;
  bool vector = false;
  if (type != NIL) vector = seq_result_type(th, type, &kind, &want, RS_MAP);
  Value fn = coerce_to_function(th, args[1]);
  int n = nargs - 2;
  Cursors c;
  cursors_init(th, &c, n, args + 2);
  Value head = NIL, tail = NIL;
  size_t count = 0;
  while (cursors_next(th, &c, n)) {
    Value r = n == 1 ? funcall1(th, fn, c.args[0]) : call_function(th, fn, n, c.args);
    if (type == NIL) continue;
    Value cell = cons(th, r, NIL);
    if (tail == NIL) head = cell;
    else CDR(tail) = cell;
    tail = cell;
    count++;
  }
  if (type == NIL) return NIL;
  if (!vector) return head;
  check_result_length(th, type, true, kind, want, count);
  return vec_from_list(th, kind, head, count);
}

static Value lisp_map_into(Thread *th, int nargs, Value *args) {
  Value result = args[0];
  Value fn = coerce_to_function(th, args[1]);
  int n = nargs - 2;
  size_t max;
  VecView rv = {0, 0, 0, 0};
  if (is_list(result)) {
    max = seq_length(th, result);
  } else {
    if (!array_view(result, &rv) || (is_type(result, T_ARRAY) && array_of(result)->rank != 1))
      not_a_sequence(th, result);
    max = rv.len;
  }
  for (int i = 0; i < n; i++) {
    size_t len = seq_length(th, args[2 + i]);
    if (len < max) max = len;
  }
  Cursors c;
  cursors_init(th, &c, n, args + 2);
  Value l = result;
  for (size_t k = 0; k < max; k++) {
    cursors_next(th, &c, n);
    Value r = call_function(th, fn, n, c.args);
    if (is_list(result)) {
      if (!is_cons(l)) break; /* the function shortened the list */
      CAR(l) = r;
      l = CDR(l);
    } else {
      vec_set(th, rv.data, rv.start + k, r);
    }
  }
  if (has_fill_pointer(result)) set_fill(result, max);
  return result;
}

/* ---- REDUCE ---- */

static Value lisp_reduce(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value seq = args[1], iv = args[6];
  LFn fn = lfn(args[0]);
  LFn key = lfn(lists_key_designator(th, args[2]));
  bool from_end = supplied(args[3]) && args[3] != NIL;
  size_t len = seq_length(th, seq), s, e;
  seq_bounds(th, seq, args[4], args[5], len, &s, &e);
  if (s == e) return supplied(iv) ? iv : funcall0(th, lfn_get(th, &fn));
  Value f = lfn_get(th, &fn);
  Value value;
  if (is_list(seq) && !from_end) {
    Value l = seq;
    for (size_t i = 0; i < s; i++) l = CDR(l);
    size_t i = s;
    if (supplied(iv)) {
      value = iv;
    } else {
      value = lfn_key(th, &key, CAR(l));
      l = CDR(l);
      i++;
    }
    for (; i < e && is_cons(l); i++, l = CDR(l)) value = funcall2(th, f, value, lfn_key(th, &key, CAR(l)));
    return value;
  }
  VecView v;
  Value region = NIL;
  if (is_list(seq)) {
    /* From the end of a list: walk a vector of the elements backwards. */
    Value elts = seq_to_list(th, seq, s, e);
    region = vec_from_list(th, EK_T, elts, e - s);
    vec_view(region, &v);
    e -= s;
    s = 0;
  } else {
    vec_view(seq, &v);
  }
  if (!from_end) {
    size_t i = s;
    if (supplied(iv)) value = iv;
    else value = lfn_key(th, &key, vec_ref(th, v.data, v.start + i++));
    for (; i < e; i++) value = funcall2(th, f, value, lfn_key(th, &key, vec_ref(th, v.data, v.start + i)));
    return value;
  }
  size_t i = e;
  if (supplied(iv)) value = iv;
  else value = lfn_key(th, &key, vec_ref(th, v.data, v.start + --i));
  while (i-- > s) value = funcall2(th, f, lfn_key(th, &key, vec_ref(th, v.data, v.start + i)), value);
  return value;
}

/* ---- SOME, EVERY, NOTANY, NOTEVERY ---- */

enum Quantifier { Q_SOME, Q_EVERY, Q_NOTANY, Q_NOTEVERY };

/* What the quantifier returns when the predicate gives r, or UNBOUND to go on. */
static inline Value quantify(Thread *th, int q, Value r) {
  switch (q) {
  case Q_SOME: return r != NIL ? r : UNBOUND;
  case Q_EVERY: return r == NIL ? NIL : UNBOUND;
  case Q_NOTANY: return r != NIL ? NIL : UNBOUND;
  default: return r == NIL ? SYM(t) : UNBOUND;
  }
}

static Value quantifier(Thread *th, int nargs, Value *args, int q) {
  Value at_end = (q == Q_EVERY || q == Q_NOTANY) ? SYM(t) : NIL;
  Value pred = coerce_to_function(th, args[0]);
  if (nargs == 2) {
    Value seq = args[1];
    if (is_list(seq)) {
      Value l = seq;
      for (; is_cons(l); l = CDR(l)) {
        Value r = quantify(th, q, funcall1(th, pred, CAR(l)));
        if (r != UNBOUND) return r;
      }
      if (l != NIL) type_error(th, l, SYM(list));
      return at_end;
    }
    VecView v;
    if (!vec_view(seq, &v)) not_a_sequence(th, seq);
    for (size_t i = 0; i < v.len; i++) {
      Value r = quantify(th, q, funcall1(th, pred, vec_ref(th, v.data, v.start + i)));
      if (r != UNBOUND) return r;
    }
    return at_end;
  }
  int n = nargs - 1;
  Cursors c;
  cursors_init(th, &c, n, args + 1);
  while (cursors_next(th, &c, n)) {
    Value r = quantify(th, q, call_function(th, pred, n, c.args));
    if (r != UNBOUND) return r;
  }
  return at_end;
}

static Value lisp_some(Thread *th, int nargs, Value *args) { return quantifier(th, nargs, args, Q_SOME); }
static Value lisp_every(Thread *th, int nargs, Value *args) { return quantifier(th, nargs, args, Q_EVERY); }
static Value lisp_notany(Thread *th, int nargs, Value *args) { return quantifier(th, nargs, args, Q_NOTANY); }
static Value lisp_notevery(Thread *th, int nargs, Value *args) { return quantifier(th, nargs, args, Q_NOTEVERY); }

const NativeDesc sequences_map_natives[] = {
    {"MAP", lisp_map, 3, 3, NAT_REST, NULL, "(type function sequence &rest more-sequences)",
     "Apply FUNCTION to successive elements of the SEQUENCES (as many as the shortest has) and return the results "
     "as a sequence of TYPE (nothing when TYPE is NIL)."},
    {"MAP-INTO", lisp_map_into, 2, 2, NAT_REST, NULL, "(result-sequence function &rest sequences)",
     "Store into RESULT-SEQUENCE the results of applying FUNCTION to successive elements of the SEQUENCES; a fill "
     "pointer is set to the number stored."},
    {"REDUCE", lisp_reduce, 2, 2, 0, "key from-end start end initial-value",
     "(function sequence &key from-end (start 0) end (initial-value nil ivp) key)",
     "The specified Sequence is ``reduced'' using the given Function. See manual for details."},
    {"SOME", lisp_some, 2, 2, NAT_REST, NULL, "(predicate one-seq &rest sequences)",
     "Apply PREDICATE to the 0-indexed elements of the sequences, then possibly to those with index 1, and so on. "
     "Return the first non-NIL value encountered, or NIL if the end of any sequence is reached."},
    {"EVERY", lisp_every, 2, 2, NAT_REST, NULL, "(predicate one-seq &rest sequences)",
     "Apply PREDICATE to the 0-indexed elements of the sequences, then possibly to those with index 1, and so on. "
     "Return NIL as soon as any invocation of PREDICATE returns NIL, or T if every invocation is non-NIL."},
    {"NOTANY", lisp_notany, 2, 2, NAT_REST, NULL, "(predicate one-seq &rest sequences)",
     "Apply PREDICATE to the 0-indexed elements of the sequences, then possibly to those with index 1, and so on. "
     "Return NIL as soon as any invocation of PREDICATE returns a non-NIL value, or T if the end of any sequence is "
     "reached."},
    {"NOTEVERY", lisp_notevery, 2, 2, NAT_REST, NULL, "(predicate one-seq &rest sequences)",
     "Apply PREDICATE to 0-indexed elements of the sequences, then possibly to those with index 1, and so on. Return "
     "T as soon as any invocation of PREDICATE returns NIL, or NIL if every invocation is non-NIL."},
    {0},
};
