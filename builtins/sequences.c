/* sequences.c — the generic sequence functions over lists, vectors and strings:
 * length, elt, reverse, ... (one definition serves every sequence type). */
#include "../interp/lisp.h"

static NORETURN void not_sequence(Thread *th, Value x) { type_error(th, x, SYM(sequence)); }

static Value fn_length(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value x = args[0];
  if (is_list(x)) {
    intptr_t n = list_length(x);
    if (n < 0) type_error(th, x, SYM(list));
    return make_fixnum(n);
  }
  size_t len;
  if (string_chars(x, &len)) return make_fixnum((intptr_t)len);
  if (is_type(x, T_SVECTOR)) return make_fixnum((intptr_t)svec_of(x)->len);
  if (is_type(x, T_OCTETS)) return make_fixnum((intptr_t)octets_of(x)->len);
  if (is_type(x, T_NUMVEC)) return make_fixnum((intptr_t)((NumVec *)x)->len);
  if (is_type(x, T_ARRAY) && array_of(x)->rank == 1) return make_fixnum((intptr_t)array_of(x)->fill);
  not_sequence(th, x);
}

static Value reverse_list(Thread *th, Value x) {
  Value r = NIL;
  Value l = x;
  for (; is_cons(l); l = CDR(l)) r = cons(th, CAR(l), r);
  if (l != NIL) type_error(th, x, SYM(list));
  return r;
}

static Value fn_reverse(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value x = args[0];
  if (is_list(x)) return reverse_list(th, x);
  if (is_type(x, T_STRING)) {
    String *s = string_of(x);
    Value r = make_string_n(th, s->len);
    for (size_t i = 0; i < s->len; i++) string_of(r)->data[i] = s->data[s->len - 1 - i];
    return r;
  }
  if (is_type(x, T_SVECTOR)) {
    SVector *v = svec_of(x);
    Value r = make_svector(th, v->len, NIL);
    for (size_t i = 0; i < v->len; i++) svec_of(r)->data[i] = v->data[v->len - 1 - i];
    return r;
  }
  if (is_type(x, T_OCTETS)) {
    Octets *o = octets_of(x);
    Value r = make_octets(th, o->len);
    for (size_t i = 0; i < o->len; i++) octets_of(r)->data[i] = o->data[o->len - 1 - i];
    return r;
  }
  not_sequence(th, x);
}

static Value fn_nreverse(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value x = args[0];
  if (is_list(x)) {
    if (list_length(x) < 0) type_error(th, x, SYM(list));
    return nreverse_list(x);
  }
  return fn_reverse(th, nargs, args);
}

static const NativeDesc sequence_natives[] = {
    {"LENGTH", fn_length, 1, 1, 0, NULL, "(sequence)", "The number of elements of SEQUENCE (active ones, for a fill pointer)."},
    {"REVERSE", fn_reverse, 1, 1, 0, NULL, "(sequence)", "A new sequence with the elements of SEQUENCE in reverse order."},
    {"NREVERSE", fn_nreverse, 1, 1, 0, NULL, "(sequence)", "SEQUENCE reversed, possibly destructively."},
    {0},
};

void builtins_sequences_init(Thread *th) { define_natives(th, sequence_natives); }
