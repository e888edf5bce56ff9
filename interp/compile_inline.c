/* compile_inline.c — calls to a few CL primitives with a fixed number of
 * arguments become nodes with a fixnum/cons fast path instead of calls. */
#include "compile.h"

typedef struct Inline {
  const char *name;
  int nargs;
  NodeFn exec;
} Inline;

static const Inline inlines[] = {
    {"+", 2, n_add2},  {"-", 2, n_sub2},   {"<", 2, n_lt2},   {">", 2, n_gt2},     {"<=", 2, n_le2},
    {">=", 2, n_ge2},  {"=", 2, n_numeq2}, {"EQ", 2, n_eq},   {"EQL", 2, n_eql},   {"CAR", 1, n_car},
    {"CDR", 1, n_cdr}, {"CONS", 2, n_cons}, {"NOT", 1, n_not}, {"NULL", 1, n_not}, {"1+", 1, n_add1},
    {"1-", 1, n_sub1}, {"CONSP", 1, n_consp}, {"FIRST", 1, n_car}, {"REST", 1, n_cdr},
};

Value compile_inline(Thread *th, Value sym, Value args, intptr_t nargs, Ctx *c) {
  if (sym == NIL || sym_raw(sym)->package != th->vm->pkg_cl) return NIL;
  Value entry = hash_get(th, th->vm->inlines, sym, NIL);
  if (entry == NIL) return NIL;
  const Inline *in = &inlines[fixnum_val(entry)];
  if (in->nargs != nargs) return NIL;
  Node *n = node_new(th, in->exec, (uint32_t)nargs);
  Ctx sub = *c;
  sub.flags &= ~(C_TAIL | C_MV);
  sub.tails = NIL;
  uint32_t i = 0;
  for (Value l = args; is_cons(l); l = CDR(l)) n->k[i++] = compile_form(th, CAR(l), &sub);
  return obj_value(n);
}

void compile_inline_init(Thread *th) {
  th->vm->inlines = make_hash_table(th, HT_EQ, 64);
  for (size_t i = 0; i < sizeof inlines / sizeof inlines[0]; i++)
    hash_put(th, th->vm->inlines, intern_c(th, inlines[i].name, th->vm->pkg_cl), make_fixnum((intptr_t)i));
}
