/* sequences_basic.c — whole-sequence operations: SUBSEQ (and its SETF), COPY-SEQ, REVERSE,
 * NREVERSE, CONCATENATE, MAKE-SEQUENCE, FILL, REPLACE. */
#include "sequences.h"

/* ---- SUBSEQ, COPY-SEQ ---- */

static Value list_subseq(Thread *th, Value list, size_t s, size_t e) {
  Value l = list;
  for (size_t i = 0; i < s; i++) l = CDR(l);
  Value head = NIL, tail = NIL;
  for (size_t i = s; i < e; i++, l = CDR(l)) {
    Value c = cons(th, CAR(l), NIL);
    if (tail == NIL) head = c;
    else CDR(tail) = c;
    tail = c;
  }
  return head;
}

static Value lisp_subseq(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value seq = args[0];
  size_t len = seq_length(th, seq), s, e;
  seq_bounds(th, seq, args[1], args[2], len, &s, &e);
  if (is_list(seq)) return list_subseq(th, seq, s, e);
  VecView v;
  vec_view(seq, &v);
  return view_subseq(th, &v, s, e);
}

static Value copy_list_dotted(Thread *th, Value list) {
  Value head = NIL, tail = NIL, l = list;
  for (; is_cons(l); l = CDR(l)) {
    Value c = cons(th, CAR(l), NIL);
    if (tail == NIL) head = c;
    else CDR(tail) = c;
    tail = c;
    check_interrupt(th);
  }
  if (tail != NIL) CDR(tail) = l;
  return head;
}

static Value lisp_copy_seq(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value seq = args[0];
  if (is_list(seq)) return copy_list_dotted(th, seq);
  VecView v;
  if (!vec_view(seq, &v)) not_a_sequence(th, seq);
  return view_subseq(th, &v, 0, v.len);
}

/* ---- REVERSE, NREVERSE ---- */

static Value lisp_reverse(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value seq = args[0];
  if (is_list(seq)) {
    seq_length(th, seq); /* a dotted or circular list is an error, not a loop */
    Value r = NIL;
    for (Value l = seq; is_cons(l); l = CDR(l)) r = cons(th, CAR(l), r);
    return r;
  }
  VecView v;
  if (!vec_view(seq, &v)) not_a_sequence(th, seq);
  Value r = vec_alloc(th, v.kind, v.len);
  if (v.kind == EK_T) {
    Value *src = svec_of(v.data)->data + v.start, *dst = svec_of(r)->data;
    for (size_t i = 0; i < v.len; i++) dst[i] = src[v.len - 1 - i];
  } else if (v.kind == EK_CHAR) {
    uint32_t *src = string_of(v.data)->data + v.start, *dst = string_of(r)->data;
    for (size_t i = 0; i < v.len; i++) dst[i] = src[v.len - 1 - i];
  } else {
    for (size_t i = 0; i < v.len; i++) vec_set(th, r, i, vec_ref(th, v.data, v.start + v.len - 1 - i));
  }
  return r;
}

static Value lisp_nreverse(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value seq = args[0];
  if (is_list(seq)) {
    seq_length(th, seq);
    return nreverse_list(seq);
  }
  VecView v;
  if (!vec_view(seq, &v)) not_a_sequence(th, seq);
  if (v.len < 2) return seq;
  if (v.kind == EK_T) {
    Value *d = svec_of(v.data)->data + v.start;
    for (size_t i = 0, j = v.len - 1; i < j; i++, j--) {
      Value t = d[i];
      d[i] = d[j];
      d[j] = t;
    }
  } else {
    for (size_t i = 0, j = v.len - 1; i < j; i++, j--) {
      Value a = vec_ref(th, v.data, v.start + i), b = vec_ref(th, v.data, v.start + j);
      vec_set(th, v.data, v.start + i, b);
      vec_set(th, v.data, v.start + j, a);
    }
  }
  return seq;
}

/* ---- CONCATENATE, MAKE-SEQUENCE ---- */

static Value lisp_concatenate(Thread *th, int nargs, Value *args) {
  Value type = args[0];
  size_t total = 0;
  for (int i = 1; i < nargs; i++) total += seq_length(th, args[i]);
  int kind;
  size_t want;
  bool vector = seq_result_type(th, type, &kind, &want, RS_CONCATENATE);
  if (!vector) {
    Value head = NIL, tail = NIL;
    for (int i = 1; i < nargs; i++) {
      Value part = seq_to_list(th, args[i], 0, seq_length(th, args[i]));
      if (part == NIL) continue;
      if (tail == NIL) head = part;
      else CDR(tail) = part;
      for (tail = part; is_cons(CDR(tail));) tail = CDR(tail);
    }
    return head;
  }
  check_result_length(th, type, true, kind, want, total);
  Value r = vec_alloc(th, kind, total);
  size_t pos = 0;
  for (int i = 1; i < nargs; i++) {
    Value seq = args[i];
    if (is_list(seq)) {
      for (Value l = seq; is_cons(l); l = CDR(l)) vec_set(th, r, pos++, CAR(l));
    } else {
      VecView v;
      vec_view(seq, &v);
      vec_copy(th, r, pos, v.data, v.start, v.len);
      pos += v.len;
    }
  }
  return r;
}

static Value lisp_make_sequence(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value type = args[0], length = args[1], init = args[2];
  if (!is_fixnum(length)) type_error(th, length, SYM(fixnum));
  if (fixnum_val(length) < 0) type_error(th, length, list3(th, SYM(and_), SYM(fixnum), SYM(unsigned_byte)));
  size_t n = (size_t)fixnum_val(length);
  int kind;
  size_t want;
  bool vector = seq_result_type(th, type, &kind, &want, RS_MAKE_SEQUENCE);
  check_result_length(th, type, vector, kind, want, n);
  if (!vector) {
    Value x = arg_or(init, NIL), r = NIL;
    for (size_t i = 0; i < n; i++) {
      r = cons(th, x, r);
      if ((i & 0xffff) == 0) check_interrupt(th);
    }
    return r;
  }
  if (supplied(init)) check_elt_kind(th, kind, init);
  Value r = vec_alloc(th, kind, n);
  if (supplied(init))
    for (size_t i = 0; i < n; i++) vec_set(th, r, i, init);
  return r;
}

/* ---- FILL, REPLACE ---- */

static Value lisp_fill(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value seq = args[0], item = args[1];
  size_t len = seq_length(th, seq), s, e;
  seq_bounds(th, seq, args[2], args[3], len, &s, &e);
  if (is_list(seq)) {
    Value l = seq;
    for (size_t i = 0; i < s; i++) l = CDR(l);
    for (size_t i = s; i < e; i++, l = CDR(l)) CAR(l) = item;
    return seq;
  }
  VecView v;
  vec_view(seq, &v);
  if (e > s) check_elt_kind(th, v.kind, item);
  if (v.kind == EK_T) {
    for (size_t i = s; i < e; i++) svec_of(v.data)->data[v.start + i] = item;
  } else {
    for (size_t i = s; i < e; i++) vec_set(th, v.data, v.start + i, item);
  }
  return seq;
}

/* REPLACE's work, once the bounds are known; also (SETF SUBSEQ)'s. */
static void replace_range(Thread *th, Value target, size_t s1, size_t e1, Value source, size_t s2, size_t e2) {
  size_t n = e1 - s1 < e2 - s2 ? e1 - s1 : e2 - s2;
  if (n == 0) return;
  if (!is_list(target) && !is_list(source)) {
    VecView t, s;
    vec_view(target, &t);
    vec_view(source, &s);
    vec_copy(th, t.data, t.start + s1, s.data, s.start + s2, n);
    return;
  }
  /* A list moved within itself: take the source elements first. */
  if (target == source && is_list(source)) source = seq_to_list(th, source, s2, s2 + n), s2 = 0;
  Value src_list = NIL;
  VecView sv = {0, 0, 0, 0};
  if (is_list(source)) {
    src_list = source;
    for (size_t i = 0; i < s2; i++) src_list = CDR(src_list);
  } else {
    vec_view(source, &sv);
  }
  if (is_list(target)) {
    Value l = target;
    for (size_t i = 0; i < s1; i++) l = CDR(l);
    for (size_t k = 0; k < n; k++, l = CDR(l)) {
      if (is_list(source)) {
        CAR(l) = CAR(src_list);
        src_list = CDR(src_list);
      } else {
        CAR(l) = vec_ref(th, sv.data, sv.start + s2 + k);
      }
    }
    return;
  }
  VecView t;
  vec_view(target, &t);
  for (size_t k = 0; k < n; k++) {
    vec_set(th, t.data, t.start + s1 + k, CAR(src_list));
    src_list = CDR(src_list);
  }
}

static Value lisp_replace(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value target = args[0], source = args[1];
  size_t s1, e1, s2, e2;
  seq_bounds(th, target, args[2], args[3], seq_length(th, target), &s1, &e1);
  seq_bounds(th, source, args[4], args[5], seq_length(th, source), &s2, &e2);
  replace_range(th, target, s1, e1, source, s2, e2);
  return target;
}

/* (setf (subseq sequence start end) new): called as (new sequence start &optional end). */
static Value lisp_set_subseq(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value x = args[0], seq = args[1];
  size_t s1, e1;
  seq_bounds(th, seq, args[2], args[3], seq_length(th, seq), &s1, &e1);
  replace_range(th, seq, s1, e1, x, 0, seq_length(th, x));
  return x;
}

const NativeDesc sequences_basic_natives[] = {
    {"SUBSEQ", lisp_subseq, 2, 3, 0, NULL, "(sequence start &optional end)",
     "Return a copy of a subsequence of SEQUENCE starting with element number START and continuing to the end of "
     "SEQUENCE or the optional END."},
    {"COPY-SEQ", lisp_copy_seq, 1, 1, 0, NULL, "(sequence)",
     "Return a copy of SEQUENCE which is EQUAL to SEQUENCE but not EQ."},
    {"REVERSE", lisp_reverse, 1, 1, 0, NULL, "(sequence)",
     "Return a new sequence containing the same elements but in reverse order."},
    {"NREVERSE", lisp_nreverse, 1, 1, 0, NULL, "(sequence)",
     "Return a sequence of the same elements in reverse order; the argument is destroyed."},
    {"CONCATENATE", lisp_concatenate, 1, 1, NAT_REST, NULL, "(output-type-spec &rest sequences)",
     "Return a new sequence of all the argument sequences concatenated together which shares no structure with the "
     "original argument sequences of the specified OUTPUT-TYPE-SPEC."},
    {"MAKE-SEQUENCE", lisp_make_sequence, 2, 2, 0, "initial-element", "(type length &key initial-element)",
     "Return a sequence of the given TYPE and LENGTH, with elements initialized to INITIAL-ELEMENT."},
    {"FILL", lisp_fill, 2, 2, 0, "start end", "(sequence item &key (start 0) end)",
     "Replace the specified elements of SEQUENCE with ITEM."},
    {"REPLACE", lisp_replace, 2, 2, 0, "start1 end1 start2 end2",
     "(target-sequence source-sequence &key (start1 0) end1 (start2 0) end2)",
     "The target sequence is destructively modified by copying successive elements into it from the source "
     "sequence."},
    {0},
};

const NativeDesc sequences_basic_setf_natives[] = {
    {"SUBSEQ", lisp_set_subseq, 3, 4, 0, NULL, "(new-sequence sequence start &optional end)",
     "Replace the elements of SEQUENCE from START to END by those of NEW-SEQUENCE."},
    {0},
};
