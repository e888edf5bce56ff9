/* sequences_sort.c — ordering sequences: SORT and STABLE-SORT (both a stable merge sort:
 * lists by relinking their conses, vectors through an index permutation), and MERGE. */
#include "sequences.h"

/* ---- Lists ---- */

typedef struct Order {
  LFn pred, key;
} Order;

/* Does b go strictly before a? */
static inline bool before(Thread *th, Order *o, Value b, Value a) {
  return lfn_call2(th, &o->pred, lfn_key(th, &o->key, b), lfn_key(th, &o->key, a)) != NIL;
}

/* Merges two sorted lists by relinking; on ties a's elements come first. */
static Value merge_lists(Thread *th, Value a, Value b, Order *o) {
  Value head = NIL, tail = NIL;
  while (is_cons(a) && is_cons(b)) {
    Value take;
    if (before(th, o, CAR(b), CAR(a))) {
      take = b;
      b = CDR(b);
    } else {
      take = a;
      a = CDR(a);
    }
    if (tail == NIL) head = take;
    else CDR(tail) = take;
    tail = take;
  }
  Value rest = is_cons(a) ? a : b;
  if (tail == NIL) return rest;
  CDR(tail) = rest;
  return head;
}

/* Sorts the first n conses of list (n >= 1), which are cut off from the rest. */
static Value sort_list(Thread *th, Value list, size_t n, Order *o) {
  if (n == 1) {
    CDR(list) = NIL;
    return list;
  }
  size_t half = n / 2;
  Value mid = list;
  for (size_t i = 0; i < half; i++) mid = CDR(mid);
  Value right = sort_list(th, mid, n - half, o);
  Value left = sort_list(th, list, half, o);
  return merge_lists(th, left, right, o);
}

/* ---- Vectors ---- */

/* Sorts idx[0..n) (indexes into keys) stably, bottom-up, using tmp. Returns the sorted array
 * (idx or tmp). */
static size_t *sort_indexes(Thread *th, Order *o, const Value *keys, size_t *idx, size_t *tmp, size_t n) {
  for (size_t width = 1; width < n; width *= 2) {
    for (size_t lo = 0; lo < n; lo += 2 * width) {
      size_t mid = lo + width < n ? lo + width : n, hi = lo + 2 * width < n ? lo + 2 * width : n;
      size_t i = lo, j = mid, k = lo;
      while (i < mid && j < hi) {
        if (lfn_call2(th, &o->pred, keys[idx[j]], keys[idx[i]]) != NIL) tmp[k++] = idx[j++];
        else tmp[k++] = idx[i++];
      }
      while (i < mid) tmp[k++] = idx[i++];
      while (j < hi) tmp[k++] = idx[j++];
    }
    size_t *t = idx;
    idx = tmp;
    tmp = t;
    check_interrupt(th);
  }
  return idx;
}

static void sort_vector(Thread *th, Value seq, Order *o) {
  VecView v;
  vec_view(seq, &v);
  size_t n = v.len;
  Value elts = make_svector(th, n, NIL);
  Value *e = svec_of(elts)->data;
  for (size_t i = 0; i < n; i++) e[i] = vec_ref(th, v.data, v.start + i);
  Value keys = elts;
  if (o->key.fn != NIL) {
    keys = make_svector(th, n, NIL);
    for (size_t i = 0; i < n; i++) svec_of(keys)->data[i] = lfn_call1(th, &o->key, e[i]);
  }
  /* Index arrays in bytes the collector does not scan (and frees if a predicate exits). */
  Value buf = make_octets(th, 2 * n * sizeof(size_t));
  size_t *idx = (size_t *)(void *)octets_of(buf)->data, *tmp = idx + n;
  for (size_t i = 0; i < n; i++) idx[i] = i;
  size_t *sorted = sort_indexes(th, o, svec_of(keys)->data, idx, tmp, n);
  /* The predicate may have changed the vector: store into what it is now. */
  vec_view(seq, &v);
  for (size_t i = 0; i < n && i < v.len; i++) vec_set(th, v.data, v.start + i, e[sorted[i]]);
}

static Value sort_common(Thread *th, Value seq, Value pred, Value key) {
  Order o = {lfn(pred), lfn(lists_key_designator(th, key))};
  size_t n = seq_length(th, seq);
  if (n < 2) return seq;
  if (is_list(seq)) return sort_list(th, seq, n, &o);
  sort_vector(th, seq, &o);
  return seq;
}

static Value lisp_sort(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return sort_common(th, args[0], args[1], args[2]);
}

/* ---- MERGE ---- */

static Value lisp_merge(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value type = args[0], a = args[1], b = args[2];
  Order o = {lfn(args[3]), lfn(lists_key_designator(th, args[4]))};
  size_t n = seq_length(th, a) + seq_length(th, b);
  int kind;
  size_t want;
  bool vector = seq_result_type(th, type, &kind, &want, RS_MAKE_SEQUENCE);
  check_result_length(th, type, vector, kind, want, n);
  if (!vector) {
    if (!is_list(a)) a = seq_to_list(th, a, 0, seq_length(th, a));
    if (!is_list(b)) b = seq_to_list(th, b, 0, seq_length(th, b));
    return merge_lists(th, a, b, &o);
  }
  Value la = seq_to_list(th, a, 0, seq_length(th, a)), lb = seq_to_list(th, b, 0, seq_length(th, b));
  return vec_from_list(th, kind, merge_lists(th, la, lb, &o), n);
}

const NativeDesc sequences_sort_natives[] = {
    {"SORT", lisp_sort, 2, 2, 0, "key", "(sequence predicate &key key)",
     "Returns SEQUENCE, which has been modified to be in order. If sequence is a displaced array, sorts just that "
     "portion of the data-array which is part of SEQUENCE."},
    {"STABLE-SORT", lisp_sort, 2, 2, 0, "key", "(sequence predicate &key key)",
     "Returns SEQUENCE, which has been modified to be in order. If sequence is a displaced array, sorts just that "
     "portion of the data-array which is part of SEQUENCE."},
    {"MERGE", lisp_merge, 4, 4, 0, "key", "(result-type sequence1 sequence2 predicate &key key)",
     "Merge the sequences SEQUENCE1 and SEQUENCE2 destructively into a sequence of type RESULT-TYPE using PREDICATE "
     "to order the elements. If result-type specifies an array, the returned array will not be a complex array. "
     "Usually, result-type is either LIST, ARRAY or STRING."},
    {0},
};
