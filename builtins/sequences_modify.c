/* sequences_modify.c — sequences with elements taken out or replaced: REMOVE, DELETE,
 * REMOVE-DUPLICATES, DELETE-DUPLICATES, SUBSTITUTE, NSUBSTITUTE (and the -IF, -IF-NOT forms). */
#include "sequences.h"

/* Which elements of a range an operation applies to: a bit per element, in a fresh bit vector
 * (the collector owns it, so a non-local exit from a test leaks nothing). */
typedef struct Marks {
  Value bits;
  size_t n; /* how many are marked */
} Marks;

static inline bool marked(const Marks *mk, size_t i) {
  return (((NumVec *)mk->bits)->data[i / 64] >> (i % 64)) & 1;
}
static inline void mark_bit(Marks *mk, size_t i) {
  ((NumVec *)mk->bits)->data[i / 64] |= (uint64_t)1 << (i % 64);
  mk->n++;
}

/* The elements of [s, e) as a view whose index i is element s + i (lists are copied). */
static void range_view(Thread *th, Value seq, size_t s, size_t e, VecView *v) {
  if (is_list(seq)) {
    vec_view(vec_from_list(th, EK_T, seq_to_list(th, seq, s, e), e - s), v);
  } else {
    vec_view(seq, v);
    v->start += s;
    v->len = e - s;
  }
}

/* Marks the elements of [s, e) (bit i - s) that match, at most count of them, scanning from
 * the end when from_end. */
static void mark_matches(Thread *th, Value seq, Match *m, size_t s, size_t e, size_t count, bool from_end, Marks *mk) {
  size_t n = e - s;
  mk->bits = vec_alloc(th, EK_BIT, n);
  mk->n = 0;
  if (count == 0 || n == 0) return;
  if (is_list(seq) && !(from_end && count < n)) {
    Value l = seq;
    for (size_t i = 0; i < s; i++) l = CDR(l);
    for (size_t i = 0; i < n && mk->n < count; i++, l = CDR(l))
      if (match_p(th, m, CAR(l))) mark_bit(mk, i);
    return;
  }
  VecView v;
  range_view(th, seq, s, e, &v);
  for (size_t k = 0; k < n && mk->n < count; k++) {
    size_t i = from_end ? n - 1 - k : k;
    if (match_p(th, m, vec_ref(th, v.data, v.start + i))) mark_bit(mk, i);
  }
}

/* ---- Building the results ---- */

typedef struct ListBuilder {
  Value head, tail;
} ListBuilder;

static inline void lb_add(Thread *th, ListBuilder *b, Value x) {
  Value c = cons(th, x, NIL);
  if (b->tail == NIL) b->head = c;
  else CDR(b->tail) = c;
  b->tail = c;
}

/* A fresh copy of seq without the marked elements of [s, s + n). */
static Value copy_without(Thread *th, Value seq, size_t s, const Marks *mk, size_t len) {
  size_t n = ((NumVec *)mk->bits)->len;
  if (is_list(seq)) {
    ListBuilder b = {NIL, NIL};
    size_t i = 0;
    for (Value l = seq; is_cons(l); l = CDR(l), i++)
      if (i < s || i >= s + n || !marked(mk, i - s)) lb_add(th, &b, CAR(l));
    return b.head;
  }
  VecView v;
  vec_view(seq, &v);
  Value r = vec_alloc(th, v.kind, len - mk->n);
  vec_copy(th, r, 0, v.data, v.start, s);
  size_t o = s;
  for (size_t i = 0; i < n; i++)
    if (!marked(mk, i)) vec_set(th, r, o++, vec_ref(th, v.data, v.start + s + i));
  vec_copy(th, r, o, v.data, v.start + s + n, len - s - n);
  return r;
}

/* Seq itself without the marked elements: lists are spliced, vectors with a fill pointer
 * compacted; other vectors are copied. */
static Value delete_marked(Thread *th, Value seq, size_t s, const Marks *mk, size_t len) {
  size_t n = ((NumVec *)mk->bits)->len;
  if (mk->n == 0 && is_list(seq)) return seq;
  if (is_list(seq)) {
    Value head = seq, prev = NIL, l = seq;
    for (size_t i = 0; is_cons(l); i++) {
      Value next = CDR(l);
      if (i >= s && i < s + n && marked(mk, i - s)) {
        if (prev == NIL) head = next;
        else CDR(prev) = next;
      } else {
        prev = l;
      }
      l = next;
    }
    return head;
  }
  if (!has_fill_pointer(seq)) return copy_without(th, seq, s, mk, len);
  VecView v;
  vec_view(seq, &v);
  size_t o = s;
  for (size_t i = s; i < len; i++)
    if (i >= s + n || !marked(mk, i - s)) {
      if (o != i) vec_set(th, v.data, v.start + o, vec_ref(th, v.data, v.start + i));
      o++;
    }
  if (v.kind == EK_T)
    for (size_t i = o; i < len; i++) svec_of(v.data)->data[v.start + i] = NIL;
  set_fill(seq, o);
  return seq;
}

/* ---- REMOVE, DELETE ---- */

static Value remove_common(Thread *th, Value seq, Match *m, Value from_end, Value start, Value end, Value count,
                           bool destructive) {
  size_t cnt = seq_count(th, count);
  size_t len = seq_length(th, seq), s, e;
  seq_bounds(th, seq, start, end, len, &s, &e);
  Marks mk;
  mark_matches(th, seq, m, s, e, cnt, supplied(from_end) && from_end != NIL, &mk);
  return destructive ? delete_marked(th, seq, s, &mk, len) : copy_without(th, seq, s, &mk, len);
}

/* (item sequence &key from-end test test-not start end count key) */
static Value remove_item(Thread *th, Value *args, bool destructive) {
  Match m;
  match_init_item(th, &m, args[0], args[3], args[4], args[8], CONFLICT_BOTH);
  return remove_common(th, args[1], &m, args[2], args[5], args[6], args[7], destructive);
}

/* (test sequence &key from-end start end count key) */
static Value remove_pred(Thread *th, Value *args, bool negate, bool destructive) {
  Match m;
  match_init_pred(th, &m, args[0], args[6], negate);
  return remove_common(th, args[1], &m, args[2], args[3], args[4], args[5], destructive);
}

static Value lisp_remove(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return remove_item(th, args, false);
}
static Value lisp_delete(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return remove_item(th, args, true);
}
static Value lisp_remove_if(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return remove_pred(th, args, false, false);
}
static Value lisp_remove_if_not(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return remove_pred(th, args, true, false);
}
static Value lisp_delete_if(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return remove_pred(th, args, false, true);
}
static Value lisp_delete_if_not(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return remove_pred(th, args, true, true);
}

/* ---- REMOVE-DUPLICATES, DELETE-DUPLICATES ---- */

/* Beyond this many elements the standard tests count keys in a hash table (as CCL does). */
#define DUPLICATES_HASH_THRESHOLD 200

static void mark_duplicates(Thread *th, Value seq, ListTest *t, size_t s, size_t e, bool from_end, Marks *mk) {
  size_t n = e - s;
  mk->bits = vec_alloc(th, EK_BIT, n);
  mk->n = 0;
  if (n < 2) return;
  VecView v;
  range_view(th, seq, s, e, &v);
  Value keys = make_svector(th, n, NIL);
  Value *k = svec_of(keys)->data;
  for (size_t i = 0; i < n; i++) k[i] = lists_key(th, t, vec_ref(th, v.data, v.start + i));
  if (n > DUPLICATES_HASH_THRESHOLD && !t->negate && t->kind != LT_CALL) {
    enum HashTest ht = t->kind == LT_EQ ? HT_EQ : t->kind == LT_EQL ? HT_EQL : HT_EQUAL;
    Value table = make_hash_table(th, ht, n);
    if (from_end) {
      for (size_t i = 0; i < n; i++) {
        Value seen;
        if (hash_get2(th, table, k[i], &seen)) mark_bit(mk, i);
        else hash_put(th, table, k[i], SYM(t));
      }
    } else {
      for (size_t i = 0; i < n; i++) hash_put(th, table, k[i], make_fixnum(fixnum_val(hash_get(th, table, k[i], make_fixnum(0))) + 1));
      for (size_t i = 0; i < n; i++) {
        intptr_t left = fixnum_val(hash_get(th, table, k[i], make_fixnum(1))) - 1;
        hash_put(th, table, k[i], make_fixnum(left));
        if (left > 0) mark_bit(mk, i);
      }
    }
    return;
  }
  for (size_t i = 0; i < n; i++) {
    if (from_end) {
      for (size_t j = 0; j < i; j++)
        if (!marked(mk, j) && lists_match(th, t, k[i], k[j])) {
          mark_bit(mk, i);
          break;
        }
    } else {
      for (size_t j = i + 1; j < n; j++)
        if (lists_match(th, t, k[i], k[j])) {
          mark_bit(mk, i);
          break;
        }
    }
    check_interrupt(th);
  }
}

/* (sequence &key test test-not start end from-end key) */
static Value duplicates(Thread *th, Value *args, bool destructive) {
  Value seq = args[0];
  ListTest t;
  lists_test_init(th, &t, args[1], args[2], args[6], LT_BY_PRESENCE);
  size_t len = seq_length(th, seq), s, e;
  seq_bounds(th, seq, args[3], args[4], len, &s, &e);
  Marks mk;
  mark_duplicates(th, seq, &t, s, e, supplied(args[5]) && args[5] != NIL, &mk);
  return destructive ? delete_marked(th, seq, s, &mk, len) : copy_without(th, seq, s, &mk, len);
}

static Value lisp_remove_duplicates(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return duplicates(th, args, false);
}
static Value lisp_delete_duplicates(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return duplicates(th, args, true);
}

/* ---- SUBSTITUTE, NSUBSTITUTE ---- */

static Value substitute_common(Thread *th, Value new_item, Value seq, Match *m, Value from_end, Value start, Value end,
                               Value count, bool destructive) {
  size_t cnt = seq_count(th, count);
  size_t len = seq_length(th, seq), s, e;
  seq_bounds(th, seq, start, end, len, &s, &e);
  Marks mk;
  mark_matches(th, seq, m, s, e, cnt, supplied(from_end) && from_end != NIL, &mk);
  size_t n = e - s;
  if (is_list(seq)) {
    if (destructive) {
      Value l = seq;
      for (size_t i = 0; i < s; i++) l = CDR(l);
      for (size_t i = 0; i < n; i++, l = CDR(l))
        if (marked(&mk, i)) CAR(l) = new_item;
      return seq;
    }
    ListBuilder b = {NIL, NIL};
    size_t i = 0;
    for (Value l = seq; is_cons(l); l = CDR(l), i++)
      lb_add(th, &b, i >= s && i < e && marked(&mk, i - s) ? new_item : CAR(l));
    return b.head;
  }
  VecView v;
  vec_view(seq, &v);
  Value target = seq;
  if (!destructive) {
    target = vec_alloc(th, v.kind, len);
    vec_copy(th, target, 0, v.data, v.start, len);
    vec_view(target, &v);
  }
  for (size_t i = 0; i < n; i++)
    if (marked(&mk, i)) vec_set(th, v.data, v.start + s + i, new_item);
  return target;
}

/* (new old sequence &key from-end test test-not start end count key) */
static Value lisp_substitute(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Match m;
  match_init_item(th, &m, args[1], args[4], args[5], args[9], CONFLICT_KEYS);
  return substitute_common(th, args[0], args[2], &m, args[3], args[6], args[7], args[8], false);
}

static Value lisp_nsubstitute(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Match m;
  /* CCL's NSUBSTITUTE lets :TEST-NOT win over :TEST instead of complaining. */
  Value test = supplied(args[5]) && args[5] != NIL ? UNSUPPLIED : args[4];
  match_init_item(th, &m, args[1], test, args[5], args[9], CONFLICT_KEYS);
  return substitute_common(th, args[0], args[2], &m, args[3], args[6], args[7], args[8], true);
}

/* (new test sequence &key from-end start end count key) */
static Value substitute_pred(Thread *th, Value *args, bool negate, bool destructive) {
  Match m;
  match_init_pred(th, &m, args[1], args[7], negate);
  return substitute_common(th, args[0], args[2], &m, args[3], args[4], args[5], args[6], destructive);
}

static Value lisp_substitute_if(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return substitute_pred(th, args, false, false);
}
static Value lisp_substitute_if_not(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return substitute_pred(th, args, true, false);
}
static Value lisp_nsubstitute_if(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return substitute_pred(th, args, false, true);
}
static Value lisp_nsubstitute_if_not(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return substitute_pred(th, args, true, true);
}

#define RM_KEYS "from-end test test-not start end count key"
#define RM_LL "(item sequence &key from-end test test-not (start 0) end count key)"
#define RMP_KEYS "from-end start end count key"
#define RMP_LL "(test sequence &key from-end (start 0) end count key)"
#define DUP_KEYS "test test-not start end from-end key"
#define DUP_LL "(sequence &key (test #'eql) test-not (start 0) end from-end key)"
#define SUB_KEYS "from-end test test-not start end count key"
#define SUB_LL "(new old sequence &key from-end (test #'eql) test-not (start 0) end count key)"
#define SUBP_KEYS "from-end start end count key"
#define SUBP_LL "(new test sequence &key from-end (start 0) end count key)"

const NativeDesc sequences_modify_natives[] = {
    {"REMOVE", lisp_remove, 2, 2, 0, RM_KEYS, RM_LL,
     "Return a copy of SEQUENCE with elements satisfying the test (default is EQL) with ITEM removed."},
    {"REMOVE-IF", lisp_remove_if, 2, 2, 0, RMP_KEYS, RMP_LL,
     "Return a copy of sequence with elements such that predicate(element) is non-null removed"},
    {"REMOVE-IF-NOT", lisp_remove_if_not, 2, 2, 0, RMP_KEYS, RMP_LL,
     "Return a copy of sequence with elements such that predicate(element) is null removed"},
    {"DELETE", lisp_delete, 2, 2, 0, RM_KEYS, RM_LL,
     "Return a sequence formed by destructively removing the specified ITEM from the given SEQUENCE."},
    {"DELETE-IF", lisp_delete_if, 2, 2, 0, RMP_KEYS, RMP_LL,
     "Return a sequence formed by destructively removing the elements satisfying the specified PREDICATE from the "
     "given SEQUENCE."},
    {"DELETE-IF-NOT", lisp_delete_if_not, 2, 2, 0, RMP_KEYS, RMP_LL,
     "Return a sequence formed by destructively removing the elements not satisfying the specified PREDICATE from "
     "the given SEQUENCE."},
    {"REMOVE-DUPLICATES", lisp_remove_duplicates, 1, 1, 0, DUP_KEYS, DUP_LL,
     "The elements of SEQUENCE are compared pairwise, and if any two match, the one occurring earlier is discarded, "
     "unless FROM-END is true, in which case the one later in the sequence is discarded. The resulting sequence is "
     "returned."},
    {"DELETE-DUPLICATES", lisp_delete_duplicates, 1, 1, 0, DUP_KEYS, DUP_LL,
     "The elements of SEQUENCE are examined, and if any two match, one is discarded.  The resulting sequence, which "
     "may be formed by destroying the given sequence, is returned."},
    {"SUBSTITUTE", lisp_substitute, 3, 3, 0, SUB_KEYS, SUB_LL,
     "Return a sequence of the same kind as SEQUENCE with the same elements, except that all elements equal to OLD "
     "are replaced with NEW. See manual for details."},
    {"SUBSTITUTE-IF", lisp_substitute_if, 3, 3, 0, SUBP_KEYS, SUBP_LL,
     "Return a sequence of the same kind as SEQUENCE with the same elements except that all elements satisfying the "
     "PRED are replaced with NEW. See manual for details."},
    {"SUBSTITUTE-IF-NOT", lisp_substitute_if_not, 3, 3, 0, SUBP_KEYS, SUBP_LL,
     "Return a sequence of the same kind as SEQUENCE with the same elements except that all elements not satisfying "
     "the PRED are replaced with NEW. See manual for details."},
    {"NSUBSTITUTE", lisp_nsubstitute, 3, 3, 0, SUB_KEYS, SUB_LL,
     "Return a sequence of the same kind as SEQUENCE with the same elements except that all elements equal to OLD are "
     "replaced with NEW. The SEQUENCE may be destructively modified. See manual for details."},
    {"NSUBSTITUTE-IF", lisp_nsubstitute_if, 3, 3, 0, SUBP_KEYS, SUBP_LL,
     "Return a sequence of the same kind as SEQUENCE with the same elements except that all elements satisfying the "
     "PRED are replaced with NEW. SEQUENCE may be destructively modified. See manual for details."},
    {"NSUBSTITUTE-IF-NOT", lisp_nsubstitute_if_not, 3, 3, 0, SUBP_KEYS, SUBP_LL,
     "Return a sequence of the same kind as SEQUENCE with the same elements except that all elements not satisfying "
     "the TEST are replaced with NEW. SEQUENCE may be destructively modified. See manual for details."},
    {0},
};
