/* nodes.c — what each node of the executable tree does when run: variables,
 * control, calls, exits, and the inline fast paths for common primitives. */
#include <alloca.h>

#include "nodes.h"


/* Most operands are local variables and constants: reading them here, after a
 * compare, costs less than an indirect call. (A variable captured later has had
 * its node switched to n_lref_box, which takes the general path.) */
static inline Value operand(Thread *th, Value node, Frame *f) {
  Node *c = node_of(node);
  if (c->exec == n_lref) return f->slots[c->i];
  if (c->exec == n_const) return c->k[0];
  return c->exec(th, c, f);
}
#define OPERAND(th, node, f) operand((th), (node), (f))

/* ---- constants and variables ---- */

Value n_const(Thread *th, Node *n, Frame *f) {
  UNUSED(th);
  UNUSED(f);
  return n->k[0];
}

Value n_lref(Thread *th, Node *n, Frame *f) {
  UNUSED(th);
  return f->slots[n->i];
}

Value n_lref_box(Thread *th, Node *n, Frame *f) {
  UNUSED(th);
  return box_of(f->slots[n->i])->value;
}

Value n_eref(Thread *th, Node *n, Frame *f) {
  UNUSED(th);
  return box_of(svec_of(f->env)->data[n->i])->value;
}

Value n_gref(Thread *th, Node *n, Frame *f) {
  UNUSED(f);
  Symbol *s = sym_raw(n->k[0]);
  if (n->k[0] == NIL) return NIL;
  Value v = s->value;
  if (s->tls_index && s->tls_index < th->tls_cap && th->tls[s->tls_index] != NO_TLS) v = th->tls[s->tls_index];
  if (v == UNBOUND) unbound_variable_error(th, n->k[0]);
  return v;
}

Value n_lset(Thread *th, Node *n, Frame *f) { return f->slots[n->i] = EXEC(th, n->k[0], f); }

Value n_lset_box(Thread *th, Node *n, Frame *f) {
  Value v = EXEC(th, n->k[0], f);
  box_of(f->slots[n->i])->value = v;
  return v;
}

Value n_eset(Thread *th, Node *n, Frame *f) {
  Value v = EXEC(th, n->k[0], f);
  box_of(svec_of(f->env)->data[n->i])->value = v;
  return v;
}

Value n_gset(Thread *th, Node *n, Frame *f) {
  Value v = EXEC(th, n->k[1], f);
  set_symbol_value(th, n->k[0], v);
  return v;
}

static inline void store_target(Thread *th, Frame *f, Value target, Value v) {
  if (is_fixnum(target)) f->slots[SLOT_NUM(target)] = SLOT_BOXED(target) ? make_box(th, v) : v;
  else bind_special(th, target, v);
}

/* ---- control ---- */

Value n_if(Thread *th, Node *n, Frame *f) {
  return EXEC(th, n->k[OPERAND(th, n->k[0], f) != NIL ? 1 : 2], f);
}

Value n_progn(Thread *th, Node *n, Frame *f) {
  uint32_t last = n->nk - 1;
  for (uint32_t i = 0; i < last; i++) EXEC(th, n->k[i], f);
  return EXEC(th, n->k[last], f);
}

Value n_let(Thread *th, Node *n, Frame *f) {
  uint32_t nb = (n->nk - 1) / 2;
  for (uint32_t j = 0; j < nb; j++) {
    Value v = EXEC(th, n->k[2 * j], f);
    Value t = n->k[2 * j + 1];
    f->slots[SLOT_NUM(t)] = SLOT_BOXED(t) ? make_box(th, v) : v;
  }
  return EXEC(th, n->k[n->nk - 1], f);
}

Value n_let_dyn(Thread *th, Node *n, Frame *f) {
  uint32_t nb = (n->nk - 1) / 2;
  size_t top = th->dyn_top;
  if (n->i) {
    for (uint32_t j = 0; j < nb; j++) store_target(th, f, n->k[2 * j + 1], EXEC(th, n->k[2 * j], f));
  } else {
    Value vals[nb ? nb : 1];
    for (uint32_t j = 0; j < nb; j++) vals[j] = EXEC(th, n->k[2 * j], f);
    for (uint32_t j = 0; j < nb; j++) store_target(th, f, n->k[2 * j + 1], vals[j]);
  }
  Value r = EXEC(th, n->k[n->nk - 1], f);
  unwind_to(th, top);
  return r;
}

Value n_labels(Thread *th, Node *n, Frame *f) {
  uint32_t nb = (n->nk - 1) / 2;
  if (n->i) {
    for (uint32_t j = 0; j < nb; j++) {
      Value t = n->k[2 * j + 1];
      if (SLOT_BOXED(t)) f->slots[SLOT_NUM(t)] = make_box(th, UNBOUND);
    }
    for (uint32_t j = 0; j < nb; j++) {
      Value t = n->k[2 * j + 1];
      Value fn = EXEC(th, n->k[2 * j], f);
      if (SLOT_BOXED(t)) box_of(f->slots[SLOT_NUM(t)])->value = fn;
      else f->slots[SLOT_NUM(t)] = fn;
    }
  } else {
    Value fns[nb ? nb : 1];
    for (uint32_t j = 0; j < nb; j++) fns[j] = EXEC(th, n->k[2 * j], f);
    for (uint32_t j = 0; j < nb; j++) {
      Value t = n->k[2 * j + 1];
      f->slots[SLOT_NUM(t)] = SLOT_BOXED(t) ? make_box(th, fns[j]) : fns[j];
    }
  }
  return EXEC(th, n->k[n->nk - 1], f);
}

/* ---- calls ---- */

static inline Value global_function(Thread *th, Value sym) {
  Value fn = symbol_of(th, sym)->function;
  if (!is_function(fn)) fn = coerce_to_function(th, sym);
  return fn;
}

/* A call to an undefined function names the arguments, as CCL's message does. */
static inline Value called_function(Thread *th, Value sym, int nargs, Value *args) {
  Value fn = symbol_of(th, sym)->function;
  if (is_function(fn)) return fn;
  if (fn == UNBOUND && !(symbol_of(th, sym)->h.flags & SYM_SPECIAL_OP))
    undefined_function_call_error(th, sym, list_from_array(th, nargs, args));
  return coerce_to_function(th, sym);
}

Value n_call_g(Thread *th, Node *n, Frame *f) {
  int nargs = (int)n->nk - 1;
  Value args[nargs ? nargs : 1];
  for (int i = 0; i < nargs; i++) args[i] = OPERAND(th, n->k[i + 1], f);
  return invoke(th, called_function(th, n->k[0], nargs, args), nargs, args);
}

static Value tail_call(Thread *th, Value fn, int nargs, Value *args) {
  if (!is_type(fn, T_CLOSURE)) return invoke(th, fn, nargs, args);
  th->tc_fn = fn;
  th->tc_nargs = nargs;
  memcpy(th->tc_args, args, (size_t)nargs * sizeof(Value));
  return TAIL_MARK;
}

Value n_call_g_tail(Thread *th, Node *n, Frame *f) {
  int nargs = (int)n->nk - 1;
  Value args[nargs ? nargs : 1];
  for (int i = 0; i < nargs; i++) args[i] = OPERAND(th, n->k[i + 1], f);
  return tail_call(th, called_function(th, n->k[0], nargs, args), nargs, args);
}

Value n_call_f(Thread *th, Node *n, Frame *f) {
  Value fn = EXEC(th, n->k[0], f);
  int nargs = (int)n->nk - 1;
  Value args[nargs ? nargs : 1];
  for (int i = 0; i < nargs; i++) args[i] = OPERAND(th, n->k[i + 1], f);
  if (!is_function(fn)) fn = coerce_to_function(th, fn);
  return invoke(th, fn, nargs, args);
}

Value n_call_f_tail(Thread *th, Node *n, Frame *f) {
  Value fn = EXEC(th, n->k[0], f);
  int nargs = (int)n->nk - 1;
  Value args[nargs ? nargs : 1];
  for (int i = 0; i < nargs; i++) args[i] = OPERAND(th, n->k[i + 1], f);
  if (!is_function(fn)) fn = coerce_to_function(th, fn);
  return tail_call(th, fn, nargs, args);
}

Value n_closure(Thread *th, Node *n, Frame *f) {
  return make_closure(th, n->k[0], make_closure_env(th, n->k[1], f), n->k[2]);
}

Value n_function_g(Thread *th, Node *n, Frame *f) {
  UNUSED(f);
  return global_function(th, n->k[0]);
}

Value n_setf_fn_g(Thread *th, Node *n, Frame *f) {
  UNUSED(f);
  Value fn = symbol_of(th, n->k[0])->setf_fn;
  if (!is_function(fn)) undefined_function_error(th, list2(th, SYM(setf), n->k[0]));
  return fn;
}

Value n_mvcall(Thread *th, Node *n, Frame *f) {
  Value fn = EXEC(th, n->k[0], f);
  if (!is_function(fn)) fn = coerce_to_function(th, fn);
  Value acc = NIL; /* reversed list of all values: simple, and rare enough */
  int total = 0;
  for (uint32_t i = 1; i < n->nk; i++) {
    Value r = EXEC(th, n->k[i], f);
    int nv = th->nvals;
    if (nv == 1) {
      acc = cons(th, r, acc);
      total++;
    } else {
      for (int j = 0; j < nv; j++) acc = cons(th, th->vals[j], acc);
      total += nv;
    }
  }
  if (total > CALL_ARGUMENTS_LIMIT) program_error(th, "Too many arguments (~D) in MULTIPLE-VALUE-CALL.", make_fixnum(total));
  Value *args = total > 256 ? svec_of(make_svector(th, (size_t)total, NIL))->data : (Value *)alloca((size_t)(total ? total : 1) * sizeof(Value));
  for (int j = total - 1; j >= 0; j--) {
    args[j] = CAR(acc);
    acc = CDR(acc);
  }
  return invoke(th, fn, total, args);
}

/* ---- multiple values ---- */

Value n_single(Thread *th, Node *n, Frame *f) {
  Value r = EXEC(th, n->k[0], f);
  th->nvals = 1;
  return r;
}

Value n_mvprog1(Thread *th, Node *n, Frame *f) {
  Value r = EXEC(th, n->k[0], f);
  int nv = th->nvals;
  if (nv == 1) {
    EXEC(th, n->k[1], f);
    th->nvals = 1;
    return r;
  }
  Value saved = make_svector(th, (size_t)nv, NIL);
  memcpy(svec_of(saved)->data, th->vals, (size_t)nv * sizeof(Value));
  EXEC(th, n->k[1], f);
  memcpy(th->vals, svec_of(saved)->data, (size_t)nv * sizeof(Value));
  th->nvals = nv;
  return r;
}

Value n_mvb(Thread *th, Node *n, Frame *f) {
  Value r = EXEC(th, n->k[0], f);
  int nv = th->nvals;
  SVector *targets = svec_of(n->k[1]);
  size_t top = th->dyn_top;
  if (nv == 1) {
    for (size_t j = 0; j < targets->len; j++) store_target(th, f, targets->data[j], j == 0 ? r : NIL);
  } else {
    Value vals[targets->len ? targets->len : 1];
    for (size_t j = 0; j < targets->len; j++) vals[j] = (int)j < nv ? th->vals[j] : NIL;
    for (size_t j = 0; j < targets->len; j++) store_target(th, f, targets->data[j], vals[j]);
  }
  Value body = EXEC(th, n->k[2], f);
  if (th->dyn_top != top) unwind_to(th, top);
  return body;
}

Value n_bind_dyn_body(Thread *th, Node *n, Frame *f) {
  Value v = EXEC(th, n->k[0], f);
  size_t top = th->dyn_top;
  bind_params(th, NULL, n->k[1], f, 0, NULL, v, true);
  Value r = EXEC(th, n->k[2], f);
  if (th->dyn_top != top) unwind_to(th, top);
  return r;
}

Value n_progv(Thread *th, Node *n, Frame *f) {
  Value syms = EXEC(th, n->k[0], f);
  Value vals = EXEC(th, n->k[1], f);
  size_t top = th->dyn_top;
  for (; is_cons(syms); syms = CDR(syms)) {
    Value s = CAR(syms);
    if (!is_symbol(s)) type_error(th, s, SYM(symbol));
    if (symbol_of(th, s)->h.flags & SYM_CONSTANT) program_error(th, "Can't bind constant ~S.", s);
    Value v = UNBOUND;
    if (is_cons(vals)) {
      v = CAR(vals);
      vals = CDR(vals);
    }
    bind_special(th, s, v);
  }
  Value r = EXEC(th, n->k[2], f);
  unwind_to(th, top);
  return r;
}

/* ---- exits ---- */

static Value new_token(Thread *th) { return make_fixnum((intptr_t)(++th->block_serial & (uint64_t)FIXNUM_MAX)); }

Value n_block(Thread *th, Node *n, Frame *f) {
  Value token = new_token(th);
  Value t = n->k[1];
  f->slots[SLOT_NUM(t)] = SLOT_BOXED(t) ? make_box(th, token) : token;
  CatchFrame cf;
  catch_push(th, &cf, token);
  if (setjmp(cf.jb) == 0) {
    Value r = EXEC(th, n->k[0], f);
    th->dyn_top = cf.dyn_index;
    return r;
  }
  catch_restore(th, &cf);
  return th->throw_value;
}

Value n_return_from(Thread *th, Node *n, Frame *f) {
  Value token = EXEC(th, n->k[0], f);
  Value v = EXEC(th, n->k[1], f);
  size_t idx = find_catch(th, token);
  if (idx == (size_t)-1) control_error(th, "Can't RETURN-FROM a block that has already been exited.");
  th->throw_value = v;
  if (th->nvals == 1) th->vals[0] = v;
  throw_to(th, idx);
}

static Value run_statements(Thread *th, SVector *stmts, size_t pc, Frame *f) {
  while (pc < stmts->len) {
    Value r = EXEC(th, stmts->data[pc], f);
    if (r == GO_MARK) {
      pc = (size_t)th->go_index;
      check_interrupt(th);
    } else {
      pc++;
    }
  }
  return NIL;
}

Value n_tagbody(Thread *th, Node *n, Frame *f) {
  SVector *stmts = svec_of(n->k[0]);
  if (!n->i) return run_statements(th, stmts, 0, f);
  Value token = new_token(th);
  Value t = n->k[1];
  f->slots[SLOT_NUM(t)] = SLOT_BOXED(t) ? make_box(th, token) : token;
  CatchFrame cf;
  volatile size_t pc = 0;
  for (;;) {
    catch_push(th, &cf, token);
    if (setjmp(cf.jb) == 0) {
      run_statements(th, stmts, pc, f);
      th->dyn_top = cf.dyn_index;
      return NIL;
    }
    catch_restore(th, &cf);
    pc = (size_t)th->go_index;
    check_interrupt(th);
  }
}

Value n_go_local(Thread *th, Node *n, Frame *f) {
  UNUSED(f);
  th->go_index = n->i;
  return GO_MARK;
}

Value n_go(Thread *th, Node *n, Frame *f) {
  Value token = EXEC(th, n->k[0], f);
  size_t idx = find_catch(th, token);
  if (idx == (size_t)-1) control_error(th, "Can't GO to a tag of a TAGBODY that has already been exited.");
  th->go_index = n->i;
  throw_to(th, idx);
}

Value n_catch(Thread *th, Node *n, Frame *f) {
  Value tag = EXEC(th, n->k[0], f);
  CatchFrame cf;
  catch_push(th, &cf, tag);
  if (setjmp(cf.jb) == 0) {
    Value r = EXEC(th, n->k[1], f);
    th->dyn_top = cf.dyn_index;
    return r;
  }
  catch_restore(th, &cf);
  return th->throw_value;
}

Value n_throw(Thread *th, Node *n, Frame *f) {
  Value tag = EXEC(th, n->k[0], f);
  Value v = EXEC(th, n->k[1], f);
  size_t idx = find_catch(th, tag);
  if (idx == (size_t)-1) control_error(th, "Can't throw to tag ~S", tag); /* CCL's CANT-THROW-ERROR report */
  th->throw_value = v;
  if (th->nvals == 1) th->vals[0] = v;
  throw_to(th, idx);
}

Value n_uwp(Thread *th, Node *n, Frame *f) {
  size_t top = th->dyn_top;
  DynEntry e = {.kind = DYN_UNWIND, .cleanup = node_of(n->k[1]), .frame = f};
  dyn_push(th, e);
  Value r = EXEC(th, n->k[0], f);
  unwind_to(th, top);
  return r;
}

/* ---- inline primitives ----
 * A fast path for the common case. Inside a function, a wrong type is that function's
 * error, as in CCL's compiled code ("While executing: F"); in a form typed at top level,
 * where CCL calls the function itself, the real function is called so that the error
 * names it ("While executing: CAR"). */

static inline bool at_top_level(Frame *f) {
  return is_type(f->fn, T_CLOSURE) && lambda_of(closure_of(f->fn)->lambda)->toplevel;
}

static Value call_primitive(Thread *th, const char *name, int nargs, Value *args) {
  Value fn = symbol_of(th, intern_c(th, name, th->vm->pkg_cl))->function;
  return invoke(th, fn, nargs, args);
}

static Value call_primitive2(Thread *th, const char *name, Value a, Value b) {
  Value args[2] = {a, b};
  return call_primitive(th, name, 2, args);
}

Value n_add2(Thread *th, Node *n, Frame *f) {
  Value a = OPERAND(th, n->k[0], f), b = OPERAND(th, n->k[1], f);
  if (is_fixnum(a) && is_fixnum(b)) {
    intptr_t r = fixnum_val(a) + fixnum_val(b);
    if (fixnum_fits(r)) return make_fixnum(r);
  }
  if ((!is_number(a) || !is_number(b)) && at_top_level(f)) return call_primitive2(th, "+", a, b);
  return number_add(th, a, b);
}

Value n_sub2(Thread *th, Node *n, Frame *f) {
  Value a = OPERAND(th, n->k[0], f), b = OPERAND(th, n->k[1], f);
  if (is_fixnum(a) && is_fixnum(b)) {
    intptr_t r = fixnum_val(a) - fixnum_val(b);
    if (fixnum_fits(r)) return make_fixnum(r);
  }
  if ((!is_number(a) || !is_number(b)) && at_top_level(f)) return call_primitive2(th, "-", a, b);
  return number_sub(th, a, b);
}

Value n_add1(Thread *th, Node *n, Frame *f) {
  Value a = OPERAND(th, n->k[0], f);
  if (is_fixnum(a) && fixnum_val(a) < FIXNUM_MAX) return make_fixnum(fixnum_val(a) + 1);
  if (!is_number(a) && at_top_level(f)) return call_primitive(th, "1+", 1, &a);
  return number_add(th, a, make_fixnum(1));
}

Value n_sub1(Thread *th, Node *n, Frame *f) {
  Value a = OPERAND(th, n->k[0], f);
  if (is_fixnum(a) && fixnum_val(a) > FIXNUM_MIN) return make_fixnum(fixnum_val(a) - 1);
  if (!is_number(a) && at_top_level(f)) return call_primitive(th, "1-", 1, &a);
  return number_sub(th, a, make_fixnum(1));
}

#define COMPARE_NODE(name, op, lisp_name)                                       \
  Value name(Thread *th, Node *n, Frame *f) {                                   \
    Value a = OPERAND(th, n->k[0], f), b = OPERAND(th, n->k[1], f);                   \
    if (is_fixnum(a) && is_fixnum(b)) return BOOL(th, fixnum_val(a) op fixnum_val(b)); \
    if ((!is_real(a) || !is_real(b)) && at_top_level(f))                        \
      return call_primitive2(th, lisp_name, a, b);                              \
    return BOOL(th, number_compare(th, a, b) op 0);                             \
  }
COMPARE_NODE(n_lt2, <, "<")
COMPARE_NODE(n_gt2, >, ">")
COMPARE_NODE(n_le2, <=, "<=")
COMPARE_NODE(n_ge2, >=, ">=")

Value n_numeq2(Thread *th, Node *n, Frame *f) {
  Value a = OPERAND(th, n->k[0], f), b = OPERAND(th, n->k[1], f);
  if (is_fixnum(a) && is_fixnum(b)) return BOOL(th, a == b);
  if ((!is_number(a) || !is_number(b)) && at_top_level(f)) return call_primitive2(th, "=", a, b);
  return BOOL(th, number_equal(th, a, b));
}

Value n_eq(Thread *th, Node *n, Frame *f) {
  Value a = OPERAND(th, n->k[0], f), b = OPERAND(th, n->k[1], f);
  return BOOL(th, a == b);
}

Value n_eql(Thread *th, Node *n, Frame *f) {
  Value a = OPERAND(th, n->k[0], f), b = OPERAND(th, n->k[1], f);
  return BOOL(th, eql(a, b));
}

Value n_car(Thread *th, Node *n, Frame *f) {
  Value x = OPERAND(th, n->k[0], f);
  if (is_cons(x)) return CAR(x);
  if (x == NIL) return NIL;
  return at_top_level(f) ? call_primitive(th, "CAR", 1, &x) : car(th, x);
}

Value n_cdr(Thread *th, Node *n, Frame *f) {
  Value x = OPERAND(th, n->k[0], f);
  if (is_cons(x)) return CDR(x);
  if (x == NIL) return NIL;
  return at_top_level(f) ? call_primitive(th, "CDR", 1, &x) : cdr(th, x);
}

Value n_cons(Thread *th, Node *n, Frame *f) {
  Value a = OPERAND(th, n->k[0], f), b = OPERAND(th, n->k[1], f);
  return cons(th, a, b);
}

Value n_not(Thread *th, Node *n, Frame *f) { return BOOL(th, EXEC(th, n->k[0], f) == NIL); }
Value n_consp(Thread *th, Node *n, Frame *f) { return BOOL(th, is_cons(EXEC(th, n->k[0], f))); }
