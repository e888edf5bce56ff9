/* sequences_search.c — looking into sequences without changing them: FIND, POSITION, COUNT
 * (and their -IF, -IF-NOT forms), SEARCH, MISMATCH. */
#include "sequences.h"

/* Can an EQL test against item be a plain word compare? (Only numbers in the heap differ.) */
static bool eq_comparable(Value item) { return !is_obj(item) || !(is_double(item) || is_bignum(item) || is_ratio(item)); }

/* The index of the first (from_end: last) element of [s, e) that matches, or -1; *elt gets it. */
static intptr_t find_index(Thread *th, Value seq, Match *m, size_t s, size_t e, bool from_end, Value *elt) {
  if (is_list(seq)) {
    Value l = seq;
    for (size_t i = 0; i < s; i++) l = CDR(l);
    intptr_t found = -1;
    for (size_t i = s; i < e; i++, l = CDR(l)) {
      Value x = CAR(l);
      if (match_p(th, m, x)) {
        *elt = x;
        found = (intptr_t)i;
        if (!from_end) break;
      }
    }
    return found;
  }
  VecView v;
  vec_view(seq, &v);
  bool plain = m->mode == M_ITEM && m->t.key.fn == NIL && !m->t.negate &&
               (m->t.kind == LT_EQ || (m->t.kind == LT_EQL && eq_comparable(m->item)));
  if (plain && v.kind == EK_T) {
    const Value *d = svec_of(v.data)->data + v.start;
    if (!from_end) {
      for (size_t i = s; i < e; i++)
        if (d[i] == m->item) return *elt = d[i], (intptr_t)i;
    } else {
      for (size_t i = e; i-- > s;)
        if (d[i] == m->item) return *elt = d[i], (intptr_t)i;
    }
    return -1;
  }
  if (plain && v.kind == EK_CHAR) {
    if (!is_char(m->item)) return -1;
    uint32_t c = char_code(m->item);
    const uint32_t *d = string_of(v.data)->data + v.start;
    if (!from_end) {
      for (size_t i = s; i < e; i++)
        if (d[i] == c) return *elt = m->item, (intptr_t)i;
    } else {
      for (size_t i = e; i-- > s;)
        if (d[i] == c) return *elt = m->item, (intptr_t)i;
    }
    return -1;
  }
  if (!from_end) {
    for (size_t i = s; i < e; i++) {
      Value x = vec_ref(th, v.data, v.start + i);
      if (match_p(th, m, x)) return *elt = x, (intptr_t)i;
    }
  } else {
    for (size_t i = e; i-- > s;) {
      Value x = vec_ref(th, v.data, v.start + i);
      if (match_p(th, m, x)) return *elt = x, (intptr_t)i;
    }
  }
  return -1;
}

/* FIND and POSITION: want_elt picks which; args are (x sequence from-end . range-and-key). */
static Value find_common(Thread *th, Value seq, Match *m, Value from_end, Value start, Value end, bool want_elt) {
  if (seq == NIL) return NIL;
  size_t len = seq_length(th, seq), s, e;
  seq_bounds(th, seq, start, end, len, &s, &e);
  Value elt = NIL;
  intptr_t i = find_index(th, seq, m, s, e, supplied(from_end) && from_end != NIL, &elt);
  if (i < 0) return NIL;
  return want_elt ? elt : make_fixnum(i);
}

/* (item sequence &key from-end test test-not start end key) */
static Value lisp_find(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Match m;
  match_init_item(th, &m, args[0], args[3], args[4], args[7], CONFLICT_BOTH);
  return find_common(th, args[1], &m, args[2], args[5], args[6], true);
}

static Value lisp_position(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Match m;
  match_init_item(th, &m, args[0], args[3], args[4], args[7], CONFLICT_BOTH);
  return find_common(th, args[1], &m, args[2], args[5], args[6], false);
}

/* (predicate sequence &key from-end start end key) */
static Value find_if(Thread *th, Value *args, bool negate, bool want_elt) {
  Match m;
  match_init_pred(th, &m, args[0], args[5], negate);
  return find_common(th, args[1], &m, args[2], args[3], args[4], want_elt);
}

static Value lisp_find_if(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return find_if(th, args, false, true);
}
static Value lisp_find_if_not(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return find_if(th, args, true, true);
}
static Value lisp_position_if(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return find_if(th, args, false, false);
}
static Value lisp_position_if_not(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return find_if(th, args, true, false);
}

/* ---- COUNT ---- */

static Value count_common(Thread *th, Value seq, Match *m, Value from_end, Value start, Value end) {
  size_t len = seq_length(th, seq), s, e, n = 0;
  seq_bounds(th, seq, start, end, len, &s, &e);
  if (is_list(seq)) {
    Value l = seq;
    for (size_t i = 0; i < s; i++) l = CDR(l);
    for (size_t i = s; i < e; i++, l = CDR(l))
      if (match_p(th, m, CAR(l))) n++;
    return make_fixnum((intptr_t)n);
  }
  VecView v;
  vec_view(seq, &v);
  bool back = supplied(from_end) && from_end != NIL;
  for (size_t k = s; k < e; k++) {
    size_t i = back ? e - 1 - (k - s) : k;
    if (match_p(th, m, vec_ref(th, v.data, v.start + i))) n++;
  }
  return make_fixnum((intptr_t)n);
}

static Value lisp_count(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Match m;
  match_init_item(th, &m, args[0], args[3], args[4], args[7], CONFLICT_KEYS);
  return count_common(th, args[1], &m, args[2], args[5], args[6]);
}

static Value lisp_count_if(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Match m;
  match_init_pred(th, &m, args[0], args[5], false);
  return count_common(th, args[1], &m, args[2], args[3], args[4]);
}

static Value lisp_count_if_not(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Match m;
  match_init_pred(th, &m, args[0], args[5], true);
  return count_common(th, args[1], &m, args[2], args[3], args[4]);
}

/* ---- SEARCH, MISMATCH ---- */

/* The elements [s, e) of a sequence as a view: a list's are copied into a simple vector. */
static void region_view(Thread *th, Value seq, size_t s, size_t e, VecView *v) {
  if (is_list(seq)) {
    Value r = vec_from_list(th, EK_T, seq_to_list(th, seq, s, e), e - s);
    vec_view(r, v);
    v->start -= s; /* so that index i of the sequence is v->start + i */
    return;
  }
  vec_view(seq, v);
}

static inline Value keyed_ref(Thread *th, Match *m, const VecView *v, size_t i) {
  return lists_key(th, &m->t, vec_ref(th, v->data, v->start + i));
}

/* (sequence1 sequence2 &key from-end test test-not key start1 end1 start2 end2) */
static Value lisp_search(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value sub = args[0], main = args[1];
  Match m;
  match_init_item(th, &m, NIL, args[3], args[4], args[5], CONFLICT_KEYS);
  size_t s1, e1, s2, e2;
  seq_bounds(th, sub, args[6], args[7], seq_length(th, sub), &s1, &e1);
  seq_bounds(th, main, args[8], args[9], seq_length(th, main), &s2, &e2);
  bool from_end = supplied(args[2]) && args[2] != NIL;
  size_t n = e1 - s1;
  if (n == 0) return make_fixnum((intptr_t)(from_end ? e2 : s2));
  if (n > e2 - s2) return NIL;
  VecView a, b;
  region_view(th, sub, s1, e1, &a);
  region_view(th, main, s2, e2, &b);
  intptr_t found = -1;
  for (size_t i = s2; i + n <= e2; i++) {
    size_t k = 0;
    while (k < n && lists_match(th, &m.t, keyed_ref(th, &m, &a, s1 + k), keyed_ref(th, &m, &b, i + k))) k++;
    if (k == n) {
      found = (intptr_t)i;
      if (!from_end) break;
    }
    check_interrupt(th);
  }
  return found < 0 ? NIL : make_fixnum(found);
}

/* MISMATCH checks its bounds with <= as CCL does: "Sequence arg out of range". */
static size_t mismatch_bound(Thread *th, Value x, size_t dflt) {
  if (!supplied(x) || x == NIL) return dflt;
  if (!is_real(x)) type_error(th, x, SYM(real));
  if (!is_fixnum(x) || fixnum_val(x) < 0) simple_error(th, "Sequence arg out of range");
  return (size_t)fixnum_val(x);
}

static Value lisp_mismatch(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value s1q = args[0], s2q = args[1];
  Match m;
  match_init_item(th, &m, NIL, args[3], args[4], args[5], CONFLICT_KEYS);
  size_t len1 = seq_length(th, s1q), len2 = seq_length(th, s2q);
  size_t s1 = mismatch_bound(th, args[6], 0), e1 = mismatch_bound(th, args[7], len1);
  size_t s2 = mismatch_bound(th, args[8], 0), e2 = mismatch_bound(th, args[9], len2);
  if (!(s1 <= e1 && e1 <= len1 && s2 <= e2 && e2 <= len2)) simple_error(th, "Sequence arg out of range");
  VecView a, b;
  region_view(th, s1q, s1, e1, &a);
  region_view(th, s2q, s2, e2, &b);
  if (supplied(args[2]) && args[2] != NIL) {
    size_t i = e1, j = e2;
    for (;;) {
      if (i == s1 || j == s2) return (i == s1 && j == s2) ? NIL : make_fixnum((intptr_t)i);
      i--, j--;
      if (!lists_match(th, &m.t, keyed_ref(th, &m, &a, i), keyed_ref(th, &m, &b, j))) return make_fixnum((intptr_t)i + 1);
    }
  }
  size_t i = s1, j = s2;
  for (;;) {
    if (i == e1 || j == e2) return (i == e1 && j == e2) ? NIL : make_fixnum((intptr_t)i);
    if (!lists_match(th, &m.t, keyed_ref(th, &m, &a, i), keyed_ref(th, &m, &b, j))) return make_fixnum((intptr_t)i);
    i++, j++;
  }
}

#define ITEM_KEYS "from-end test test-not start end key"
#define ITEM_LL "(item sequence &key from-end test test-not (start 0) end key)"
#define PRED_KEYS "from-end start end key"
#define PRED_LL "(test sequence &key from-end (start 0) end key)"

const NativeDesc sequences_search_natives[] = {
    {"FIND", lisp_find, 2, 2, 0, ITEM_KEYS, ITEM_LL,
     "The first element of SEQUENCE (the last, FROM-END) between START and END that satisfies the test with ITEM, "
     "or NIL."},
    {"FIND-IF", lisp_find_if, 2, 2, 0, PRED_KEYS, PRED_LL,
     "The first element of SEQUENCE (the last, FROM-END) between START and END that satisfies TEST, or NIL."},
    {"FIND-IF-NOT", lisp_find_if_not, 2, 2, 0, PRED_KEYS, PRED_LL,
     "The first element of SEQUENCE (the last, FROM-END) between START and END that does not satisfy TEST, or NIL."},
    {"POSITION", lisp_position, 2, 2, 0, ITEM_KEYS, ITEM_LL,
     "The index of the first element of SEQUENCE (the last, FROM-END) between START and END that satisfies the test "
     "with ITEM, or NIL."},
    {"POSITION-IF", lisp_position_if, 2, 2, 0, PRED_KEYS, PRED_LL,
     "The index of the first element of SEQUENCE (the last, FROM-END) between START and END that satisfies TEST, or "
     "NIL."},
    {"POSITION-IF-NOT", lisp_position_if_not, 2, 2, 0, PRED_KEYS, PRED_LL,
     "The index of the first element of SEQUENCE (the last, FROM-END) between START and END that does not satisfy "
     "TEST, or NIL."},
    {"COUNT", lisp_count, 2, 2, 0, ITEM_KEYS, ITEM_LL,
     "Return the number of elements in SEQUENCE satisfying a test with ITEM, which defaults to EQL."},
    {"COUNT-IF", lisp_count_if, 2, 2, 0, PRED_KEYS, PRED_LL,
     "Return the number of elements in SEQUENCE satisfying PRED(el)."},
    {"COUNT-IF-NOT", lisp_count_if_not, 2, 2, 0, PRED_KEYS, PRED_LL,
     "Return the number of elements in SEQUENCE not satisfying TEST(el)."},
    {"SEARCH", lisp_search, 2, 2, 0, "from-end test test-not key start1 end1 start2 end2",
     "(sequence1 sequence2 &key from-end test test-not key (start1 0) end1 (start2 0) end2)",
     "The index in SEQUENCE2 of the leftmost (rightmost, FROM-END) subsequence that matches SEQUENCE1 element by "
     "element, or NIL."},
    {"MISMATCH", lisp_mismatch, 2, 2, 0, "from-end test test-not key start1 end1 start2 end2",
     "(sequence1 sequence2 &key from-end test test-not key (start1 0) end1 (start2 0) end2)",
     "The specified subsequences of SEQUENCE1 and SEQUENCE2 are compared element-wise. If they are of equal length "
     "and match in every element, the result is NIL. Otherwise, the result is a non-negative integer, the index "
     "within SEQUENCE1 of the leftmost position at which they fail to match; or, if one is shorter than and a "
     "matching prefix of the other, the index within SEQUENCE1 beyond the last position tested is returned. If a "
     "non-NIL :FROM-END argument is given, then one plus the index of the rightmost position in which the sequences "
     "differ is returned."},
    {0},
};
