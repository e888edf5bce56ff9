/* compile_special.c — the special operators of Common Lisp (and Clove's few
 * internal ones), each compiled into its node. */
#include "compile.h"

#define CADR(x) CAR(CDR(x))
#define CDDR(x) CDR(CDR(x))

static Ctx value_ctx(Ctx *c) {
  Ctx s = *c;
  s.flags &= ~(C_TAIL | C_MV);
  s.tails = NIL;
  return s;
}

static Ctx no_tail_ctx(Ctx *c) {
  Ctx s = *c;
  s.flags &= ~C_TAIL;
  s.tails = NIL;
  return s;
}

static void need_args(Thread *th, Value form, intptr_t min, intptr_t max) {
  intptr_t n = list_length(form);
  if (n < 0 || n - 1 < min || (max >= 0 && n - 1 > max))
    program_error(th, "Malformed special form: ~S", form);
}

static Value c_quote(Thread *th, Value form, Ctx *c) {
  need_args(th, form, 1, 1);
  return finish(th, c, const_node(th, CADR(form)));
}

static Value lookup_fun_rec(Thread *th, Ctx *c, Value name) {
  for (Value l = c->env; is_cons(l); l = CDR(l)) {
    Value r = CAR(l);
    if (RF(r, RF_NAME) != name) continue;
    intptr_t k = fixnum_val(RF(r, RF_KIND));
    if (k == R_FUN) return r;
    if (k == R_MACRO) return NIL;
  }
  UNUSED(th);
  return NIL;
}

static Value c_function(Thread *th, Value form, Ctx *c) {
  need_args(th, form, 1, 1);
  Value x = CADR(form);
  if (is_symbol(x)) {
    Value r = lookup_fun_rec(th, c, x);
    if (r != NIL) return finish(th, c, rec_ref(th, c, r));
    Node *n = node_new(th, n_function_g, 1);
    n->k[0] = x;
    return finish(th, c, obj_value(n));
  }
  if (is_cons(x) && CAR(x) == SYM(lambda)) return finish(th, c, compile_lambda_node(th, NIL, CDR(x), c, false));
  if (is_cons(x) && CAR(x) == SYM(named_lambda) && is_cons(CDR(x)))
    return finish(th, c, compile_lambda_node(th, CADR(x), CDDR(x), c, false));
  if (is_cons(x) && CAR(x) == SYM(setf) && is_cons(CDR(x)) && is_symbol(CADR(x)) && CDDR(x) == NIL) {
    Node *n = node_new(th, n_setf_fn_g, 1);
    n->k[0] = CADR(x);
    return finish(th, c, obj_value(n));
  }
  program_error(th, "~S is not a function name or lambda expression.", x);
}

static Value c_if(Thread *th, Value form, Ctx *c) {
  need_args(th, form, 2, 3);
  Ctx tc = value_ctx(c);
  Node *n = node_new(th, n_if, 3);
  n->k[0] = compile_form(th, CADR(form), &tc);
  n->k[1] = compile_form(th, CAR(CDDR(form)), c);
  n->k[2] = compile_form(th, is_cons(CDR(CDDR(form))) ? CAR(CDR(CDDR(form))) : NIL, c);
  return obj_value(n);
}

static Value c_progn(Thread *th, Value form, Ctx *c) { return compile_progn(th, CDR(form), c); }

/* Body with declarations, in a scope whose new bindings are `bound`. */
static Value compile_scope_body(Thread *th, Value forms, Value specials, Value bound, Ctx *inner) {
  push_free_specials(th, inner, specials, bound);
  return compile_progn(th, forms, inner);
}

static void close_bound(Thread *th, Value targets) {
  for (Value l = targets; is_cons(l); l = CDR(l))
    if (is_type(CAR(l), T_SVECTOR)) close_record(th, CAR(l));
}

static Value target_enc(Value t) { return is_type(t, T_SVECTOR) ? rec_slot_enc(t) : t; }

static Value bind_one(Thread *th, Ctx *c, Value sym, Value specials, Value *bound, bool *any_special) {
  if (!is_symbol(sym) || sym == NIL) program_error(th, "~S is not a symbol that can be bound as a variable.", sym);
  if (symbol_of(th, sym)->h.flags & SYM_CONSTANT) program_error(th, "Can't bind constant ~S.", sym);
  *bound = cons(th, sym, *bound);
  if (memq_list(sym, specials) || (symbol_of(th, sym)->h.flags & SYM_SPECIAL)) {
    *any_special = true;
    Value r = make_svector(th, RF_COUNT, NIL);
    RF(r, RF_KIND) = make_fixnum(R_SPECIAL);
    RF(r, RF_NAME) = sym;
    RF(r, RF_LAMBDA) = c->li;
    c->env = cons(th, r, c->env);
    return sym;
  }
  return bind_record(th, c, R_VAR, sym);
}

static Value c_let(Thread *th, Value form, Ctx *c, bool star) {
  if (!is_cons(CDR(form)) || !is_list(CADR(form))) program_error(th, "Malformed ~S form: ~S", CAR(form), form);
  Value bindings = CADR(form);
  intptr_t nb = list_length(bindings);
  if (nb < 0) program_error(th, "Malformed ~S form: ~S", CAR(form), form);
  Value specials;
  Value forms = parse_body(th, CDDR(form), false, &specials, NULL);
  Ctx inner = *c;
  Ctx init_outer = value_ctx(c);
  Value inits = NIL, targets = NIL, bound = NIL;
  bool any_special = false;
  /* For LET all init forms are compiled before any variable is visible. */
  Value pending = NIL;
  for (Value l = bindings; is_cons(l); l = CDR(l)) {
    Value b = CAR(l), var = b, init = NIL;
    if (is_cons(b)) {
      var = CAR(b);
      if (is_cons(CDR(b))) {
        init = CADR(b);
        if (CDDR(b) != NIL) program_error(th, "Malformed binding ~S in ~S", b, form);
      }
    }
    Ctx ic = value_ctx(&inner);
    Value node = compile_form(th, init, star ? &ic : &init_outer);
    inits = cons(th, node, inits);
    if (star) targets = cons(th, bind_one(th, &inner, var, specials, &bound, &any_special), targets);
    else pending = cons(th, var, pending);
  }
  if (!star) {
    pending = nreverse_list(pending);
    for (Value l = pending; is_cons(l); l = CDR(l))
      targets = cons(th, bind_one(th, &inner, CAR(l), specials, &bound, &any_special), targets);
  }
  inits = nreverse_list(inits);
  targets = nreverse_list(targets);
  if (any_special) inner.flags &= ~C_TAIL;
  Value body = compile_scope_body(th, forms, specials, bound, &inner);
  close_bound(th, targets);
  Node *n = node_new(th, any_special ? n_let_dyn : n_let, (uint32_t)(2 * nb + 1));
  n->i = star;
  uint32_t i = 0;
  for (Value a = inits, t = targets; is_cons(a); a = CDR(a), t = CDR(t)) {
    n->k[i++] = CAR(a);
    n->k[i++] = target_enc(CAR(t));
  }
  n->k[i] = body;
  return obj_value(n);
}

static Value c_let_plain(Thread *th, Value form, Ctx *c) { return c_let(th, form, c, false); }
static Value c_let_star(Thread *th, Value form, Ctx *c) { return c_let(th, form, c, true); }

static Value setq_one(Thread *th, Value var, Value valform, Ctx *c) {
  if (!is_symbol(var)) program_error(th, "~S is not a variable name in SETQ.", var);
  Ctx vc = value_ctx(c);
  for (Value l = c->env; is_cons(l); l = CDR(l)) {
    Value r = CAR(l);
    if (RF(r, RF_NAME) != var) continue;
    intptr_t k = fixnum_val(RF(r, RF_KIND));
    if (k == R_VAR) {
      return compile_setq_rec(th, c, r, compile_form(th, valform, &vc));
    }
    if (k == R_SYMMACRO) return compile_form(th, list3(th, SYM(setf), RF(r, RF_EXTRA), valform), &vc);
    if (k == R_SPECIAL) break;
  }
  bool found;
  Value exp = symbol_macro_value(th, var, &found);
  if (found) return compile_form(th, list3(th, SYM(setf), exp, valform), &vc);
  if (symbol_of(th, var)->h.flags & SYM_CONSTANT) program_error(th, "Can't set constant ~S.", var);
  Node *n = node_new(th, n_gset, 2);
  n->k[0] = var;
  n->k[1] = compile_form(th, valform, &vc);
  return obj_value(n);
}

static Value c_setq(Thread *th, Value form, Ctx *c) {
  intptr_t n = list_length(form);
  if (n < 0 || (n - 1) % 2) program_error(th, "Odd number of forms in ~S", form);
  if (n == 1) return finish(th, c, const_node(th, NIL));
  if (n == 3) return finish(th, c, setq_one(th, CADR(form), CAR(CDDR(form)), c));
  Node *p = node_new(th, n_progn, (uint32_t)(n - 1) / 2);
  uint32_t i = 0;
  for (Value l = CDR(form); is_cons(l); l = CDDR(l)) p->k[i++] = setq_one(th, CAR(l), CADR(l), c);
  return finish(th, c, obj_value(p));
}

/* flet and labels: node k = [closure0, target0, ..., body]; i = 1 for labels. */
static Value c_flet_labels(Thread *th, Value form, Ctx *c, bool labels) {
  if (!is_cons(CDR(form)) || !is_list(CADR(form))) program_error(th, "Malformed ~S form: ~S", CAR(form), form);
  Value defs = CADR(form);
  intptr_t nd = list_length(defs);
  if (nd < 0) program_error(th, "Malformed ~S form: ~S", CAR(form), form);
  Value specials;
  Value forms = parse_body(th, CDDR(form), false, &specials, NULL);
  Ctx inner = *c;
  Value targets = NIL, closures = NIL;
  if (labels)
    for (Value l = defs; is_cons(l); l = CDR(l)) {
      if (!is_cons(CAR(l)) || !is_symbol(CAR(CAR(l)))) program_error(th, "Malformed ~S definition: ~S", CAR(form), CAR(l));
      targets = cons(th, bind_record(th, &inner, R_FUN, CAR(CAR(l))), targets);
    }
  Ctx defctx = value_ctx(labels ? &inner : c);
  for (Value l = defs; is_cons(l); l = CDR(l)) {
    Value d = CAR(l);
    if (!is_cons(d) || !is_symbol(CAR(d)) || !is_cons(CDR(d)))
      program_error(th, "Malformed ~S definition: ~S", CAR(form), d);
    closures = cons(th, compile_lambda_node(th, CAR(d), CDR(d), &defctx, false), closures);
  }
  if (!labels)
    for (Value l = defs; is_cons(l); l = CDR(l)) targets = cons(th, bind_record(th, &inner, R_FUN, CAR(CAR(l))), targets);
  closures = nreverse_list(closures);
  targets = nreverse_list(targets);
  Value body = compile_scope_body(th, forms, specials, NIL, &inner);
  close_bound(th, targets);
  Node *n = node_new(th, n_labels, (uint32_t)(2 * nd + 1));
  n->i = labels;
  uint32_t i = 0;
  for (Value a = closures, t = targets; is_cons(a); a = CDR(a), t = CDR(t)) {
    n->k[i++] = CAR(a);
    n->k[i++] = rec_slot_enc(CAR(t));
  }
  n->k[i] = body;
  return obj_value(n);
}

static Value c_flet(Thread *th, Value form, Ctx *c) { return c_flet_labels(th, form, c, false); }
static Value c_labels(Thread *th, Value form, Ctx *c) { return c_flet_labels(th, form, c, true); }

/* Macro definitions see only the macros of their environment. */
static Value macros_only(Thread *th, Value env) {
  Value out = NIL;
  for (Value l = env; is_cons(l); l = CDR(l)) {
    intptr_t k = fixnum_val(RF(CAR(l), RF_KIND));
    if (k == R_MACRO || k == R_SYMMACRO) out = cons(th, CAR(l), out);
  }
  return nreverse_list(out);
}

static Value c_macrolet(Thread *th, Value form, Ctx *c) {
  if (!is_cons(CDR(form)) || !is_list(CADR(form))) program_error(th, "Malformed MACROLET form: ~S", form);
  Value specials;
  Value forms = parse_body(th, CDDR(form), false, &specials, NULL);
  Ctx inner = *c;
  Value menv = macros_only(th, c->env);
  for (Value l = CADR(form); is_cons(l); l = CDR(l)) {
    Value d = CAR(l);
    if (!is_cons(d) || !is_symbol(CAR(d)) || !is_cons(CDR(d))) program_error(th, "Malformed MACROLET definition: ~S", d);
    Value lam = compile_lambda_object(th, CAR(d), CADR(d), CDDR(d), menv, NIL, LL_MACRO, true);
    Value r = make_svector(th, RF_COUNT, NIL);
    RF(r, RF_KIND) = make_fixnum(R_MACRO);
    RF(r, RF_NAME) = CAR(d);
    RF(r, RF_EXTRA) = make_closure(th, lam, NIL, CAR(d));
    inner.env = cons(th, r, inner.env);
  }
  return compile_scope_body(th, forms, specials, NIL, &inner);
}

static Value c_symbol_macrolet(Thread *th, Value form, Ctx *c) {
  if (!is_cons(CDR(form)) || !is_list(CADR(form))) program_error(th, "Malformed SYMBOL-MACROLET form: ~S", form);
  Value specials;
  Value forms = parse_body(th, CDDR(form), false, &specials, NULL);
  Ctx inner = *c;
  for (Value l = CADR(form); is_cons(l); l = CDR(l)) {
    Value d = CAR(l);
    if (!is_cons(d) || !is_symbol(CAR(d)) || !is_cons(CDR(d)) || CDDR(d) != NIL)
      program_error(th, "Malformed SYMBOL-MACROLET binding: ~S", d);
    if (special_p(th, c->env, CAR(d))) program_error(th, "Can't bind special variable ~S as a symbol macro.", CAR(d));
    Value r = make_svector(th, RF_COUNT, NIL);
    RF(r, RF_KIND) = make_fixnum(R_SYMMACRO);
    RF(r, RF_NAME) = CAR(d);
    RF(r, RF_EXTRA) = CADR(d);
    inner.env = cons(th, r, inner.env);
  }
  return compile_scope_body(th, forms, specials, NIL, &inner);
}

static Value c_block(Thread *th, Value form, Ctx *c) {
  if (!is_cons(CDR(form)) || !is_symbol(CADR(form))) program_error(th, "Malformed BLOCK form: ~S", form);
  Ctx inner = *c;
  Value rec = bind_record(th, &inner, R_BLOCK, CADR(form));
  inner.tails = cons(th, rec, c->tails);
  Value tail_calls = NIL;
  inner.tail_calls = &tail_calls;
  Value body = compile_progn(th, CDDR(form), &inner);
  close_record(th, rec);
  /* A closure made in the body may return from this block: a tail call would run it
   * after the block is gone, so those calls become ordinary calls. */
  if (RF(rec, RF_CAPTURED) != NIL) {
    for (Value l = tail_calls; is_cons(l); l = CDR(l)) {
      Node *n = node_of(CAR(l));
      n->exec = n->exec == n_call_g_tail ? n_call_g : n_call_f;
    }
  } else if (c->tail_calls) {
    for (Value l = tail_calls; is_cons(l); l = CDR(l)) *c->tail_calls = cons(th, CAR(l), *c->tail_calls);
  }
  if (RF(rec, RF_EXTRA2) == NIL) return body;
  Node *n = node_new(th, n_block, 2);
  n->k[0] = body;
  n->k[1] = rec_slot_enc(rec);
  return obj_value(n);
}

static Value find_rec(Value env, int kind, Value name) {
  for (Value l = env; is_cons(l); l = CDR(l)) {
    Value r = CAR(l);
    if (fixnum_val(RF(r, RF_KIND)) == kind && RF(r, RF_NAME) == name) return r;
  }
  return NIL;
}

static Value c_return_from(Thread *th, Value form, Ctx *c) {
  need_args(th, form, 1, 2);
  Value rec = find_rec(c->env, R_BLOCK, CADR(form));
  if (rec == NIL) program_error(th, "RETURN-FROM: no block named ~S is currently visible.", CADR(form));
  Value valform = is_cons(CDDR(form)) ? CAR(CDDR(form)) : NIL;
  if (memq_list(rec, c->tails)) return compile_form(th, valform, c);
  RF(rec, RF_EXTRA2) = SYM(t);
  Ctx vc = value_ctx(c);
  vc.flags |= C_MV;
  Node *n = node_new(th, n_return_from, 2);
  n->k[0] = rec_ref(th, c, rec);
  n->k[1] = compile_form(th, valform, &vc);
  return obj_value(n);
}

static bool is_tag(Value x) { return is_symbol(x) || is_integer(x); }

static Value c_tagbody(Thread *th, Value form, Ctx *c) {
  intptr_t len = list_length(form);
  if (len < 0) program_error(th, "Malformed TAGBODY form: ~S", form);
  Ctx inner = *c;
  Value tbr = bind_record(th, &inner, R_BLOCK, make_symbol(th, make_string_c(th, "TAGBODY")));
  intptr_t nstmts = 0;
  for (Value l = CDR(form); is_cons(l); l = CDR(l)) {
    Value x = CAR(l);
    if (is_cons(x)) {
      nstmts++;
    } else if (is_tag(x)) {
      Value r = make_svector(th, RF_COUNT, NIL);
      RF(r, RF_KIND) = make_fixnum(R_TAG);
      RF(r, RF_NAME) = x;
      RF(r, RF_LAMBDA) = c->li;
      RF(r, RF_EXTRA) = make_fixnum(nstmts);
      RF(r, RF_EXTRA2) = tbr;
      inner.env = cons(th, r, inner.env);
    }
  }
  Value stmts = make_svector(th, (size_t)nstmts, NIL);
  Ctx sc = value_ctx(&inner);
  sc.tails = list1(th, tbr);
  intptr_t i = 0;
  for (Value l = CDR(form); is_cons(l); l = CDR(l))
    if (is_cons(CAR(l))) svec_of(stmts)->data[i++] = compile_form(th, CAR(l), &sc);
  close_record(th, tbr);
  Node *n = node_new(th, n_tagbody, 2);
  n->k[0] = stmts;
  n->k[1] = rec_slot_enc(tbr);
  n->i = RF(tbr, RF_EXTRA2) != NIL; /* needs an exit point for non-local GO */
  return finish(th, c, obj_value(n));
}

static Value c_go(Thread *th, Value form, Ctx *c) {
  need_args(th, form, 1, 1);
  Value tag = CADR(form);
  Value rec = NIL;
  for (Value l = c->env; is_cons(l); l = CDR(l)) {
    Value r = CAR(l);
    if (fixnum_val(RF(r, RF_KIND)) == R_TAG && eql(RF(r, RF_NAME), tag)) {
      rec = r;
      break;
    }
  }
  if (rec == NIL) program_error(th, "GO: no tag named ~S is currently visible.", tag);
  Value tbr = RF(rec, RF_EXTRA2);
  if (memq_list(tbr, c->tails)) {
    Node *n = node_new(th, n_go_local, 0);
    n->i = (int32_t)fixnum_val(RF(rec, RF_EXTRA));
    return obj_value(n);
  }
  RF(tbr, RF_EXTRA2) = SYM(t);
  Node *n = node_new(th, n_go, 1);
  n->k[0] = rec_ref(th, c, tbr);
  n->i = (int32_t)fixnum_val(RF(rec, RF_EXTRA));
  return obj_value(n);
}

static Value c_catch(Thread *th, Value form, Ctx *c) {
  need_args(th, form, 1, -1);
  Ctx vc = value_ctx(c);
  Ctx bc = no_tail_ctx(c);
  Node *n = node_new(th, n_catch, 2);
  n->k[0] = compile_form(th, CADR(form), &vc);
  n->k[1] = compile_progn(th, CDDR(form), &bc);
  return obj_value(n);
}

static Value c_throw(Thread *th, Value form, Ctx *c) {
  need_args(th, form, 2, 2);
  Ctx vc = value_ctx(c);
  Ctx mv = vc;
  mv.flags |= C_MV;
  Node *n = node_new(th, n_throw, 2);
  n->k[0] = compile_form(th, CADR(form), &vc);
  n->k[1] = compile_form(th, CAR(CDDR(form)), &mv);
  return obj_value(n);
}

static Value c_unwind_protect(Thread *th, Value form, Ctx *c) {
  need_args(th, form, 1, -1);
  Ctx pc = no_tail_ctx(c);
  Ctx cc = value_ctx(c);
  Node *n = node_new(th, n_uwp, 2);
  n->k[0] = compile_form(th, CADR(form), &pc);
  n->k[1] = compile_progn(th, CDDR(form), &cc);
  return obj_value(n);
}

static Value c_mvcall(Thread *th, Value form, Ctx *c) {
  need_args(th, form, 1, -1);
  intptr_t n = list_length(form) - 1;
  Ctx vc = value_ctx(c);
  Ctx mv = vc;
  mv.flags |= C_MV;
  Node *node = node_new(th, n_mvcall, (uint32_t)n);
  node->k[0] = compile_form(th, CADR(form), &vc);
  uint32_t i = 1;
  for (Value l = CDDR(form); is_cons(l); l = CDR(l)) node->k[i++] = compile_form(th, CAR(l), &mv);
  return obj_value(node);
}

static Value c_mvprog1(Thread *th, Value form, Ctx *c) {
  need_args(th, form, 1, -1);
  Ctx first = no_tail_ctx(c);
  Ctx rest = value_ctx(c);
  Node *n = node_new(th, n_mvprog1, 2);
  n->k[0] = compile_form(th, CADR(form), &first);
  n->k[1] = compile_progn(th, CDDR(form), &rest);
  return obj_value(n);
}

static Value c_the(Thread *th, Value form, Ctx *c) {
  need_args(th, form, 2, 2);
  return compile_form(th, CAR(CDDR(form)), c);
}

static Value c_locally(Thread *th, Value form, Ctx *c) {
  Value specials;
  Value forms = parse_body(th, CDR(form), false, &specials, NULL);
  Ctx inner = *c;
  return compile_scope_body(th, forms, specials, NIL, &inner);
}

static Value c_eval_when(Thread *th, Value form, Ctx *c) {
  need_args(th, form, 1, -1);
  for (Value l = CADR(form); is_cons(l); l = CDR(l))
    if (CAR(l) == SYM(k_execute) || CAR(l) == SYM(eval)) return compile_progn(th, CDDR(form), c);
  if (!is_list(CADR(form))) program_error(th, "Malformed EVAL-WHEN form: ~S", form);
  return finish(th, c, const_node(th, NIL));
}

static Value c_load_time_value(Thread *th, Value form, Ctx *c) {
  need_args(th, form, 1, 2);
  return finish(th, c, const_node(th, eval_form(th, CADR(form))));
}

static Value c_progv(Thread *th, Value form, Ctx *c) {
  need_args(th, form, 2, -1);
  Ctx vc = value_ctx(c);
  Ctx bc = no_tail_ctx(c);
  Node *n = node_new(th, n_progv, 3);
  n->k[0] = compile_form(th, CADR(form), &vc);
  n->k[1] = compile_form(th, CAR(CDDR(form)), &vc);
  n->k[2] = compile_progn(th, CDR(CDDR(form)), &bc);
  return obj_value(n);
}

static Value c_named_lambda(Thread *th, Value form, Ctx *c) {
  need_args(th, form, 2, -1);
  return finish(th, c, compile_lambda_node(th, CADR(form), CDDR(form), c, false));
}

static Value c_macro_lambda(Thread *th, Value form, Ctx *c) {
  need_args(th, form, 2, -1);
  return finish(th, c, compile_lambda_node(th, CADR(form), CDDR(form), c, true));
}

/* (multiple-value-bind vars values-form . body) */
static Value c_mvb(Thread *th, Value form, Ctx *c) {
  need_args(th, form, 2, -1);
  Value vars = CADR(form);
  intptr_t nv = list_length(vars);
  if (nv < 0) program_error(th, "Malformed MULTIPLE-VALUE-BIND form: ~S", form);
  Ctx vc = value_ctx(c);
  vc.flags |= C_MV;
  Value valnode = compile_form(th, CAR(CDDR(form)), &vc);
  Value specials;
  Value forms = parse_body(th, CDR(CDDR(form)), false, &specials, NULL);
  Ctx inner = *c;
  Value targets = NIL, bound = NIL;
  bool any_special = false;
  for (Value l = vars; is_cons(l); l = CDR(l))
    targets = cons(th, bind_one(th, &inner, CAR(l), specials, &bound, &any_special), targets);
  targets = nreverse_list(targets);
  if (any_special) inner.flags &= ~C_TAIL;
  Value body = compile_scope_body(th, forms, specials, bound, &inner);
  close_bound(th, targets);
  Value tv = make_svector(th, (size_t)nv, NIL);
  intptr_t i = 0;
  for (Value t = targets; is_cons(t); t = CDR(t)) svec_of(tv)->data[i++] = target_enc(CAR(t));
  Node *n = node_new(th, n_mvb, 3);
  n->k[0] = valnode;
  n->k[1] = tv;
  n->k[2] = body;
  return obj_value(n);
}

/* (%destructuring-bind lambda-list expression . body) */
static Value c_destructuring_bind(Thread *th, Value form, Ctx *c) {
  need_args(th, form, 2, -1);
  Ctx vc = value_ctx(c);
  Value valnode = compile_form(th, CAR(CDDR(form)), &vc);
  Value specials;
  Value forms = parse_body(th, CDR(CDDR(form)), false, &specials, NULL);
  Ctx inner = *c;
  Value bound = NIL;
  Value pattern = parse_lambda_list(th, &inner, CADR(form), LL_DESTRUCTURING, specials, &bound);
  for (Value l = bound; is_cons(l); l = CDR(l))
    if (memq_list(CAR(l), specials) || (symbol_of(th, CAR(l))->h.flags & SYM_SPECIAL)) inner.flags &= ~C_TAIL;
  Value body = compile_scope_body(th, forms, specials, bound, &inner);
  finalize_pattern(th, pattern);
  Node *n = node_new(th, n_bind_dyn_body, 3);
  n->k[0] = valnode;
  n->k[1] = pattern;
  n->k[2] = body;
  return obj_value(n);
}

static Value c_declare(Thread *th, Value form, Ctx *c) {
  UNUSED(c);
  program_error(th, "Declaration ~S is not allowed here.", form);
}

typedef Value (*SpecialFn)(Thread *th, Value form, Ctx *c);

Value compile_special(Thread *th, Value op, Value form, Ctx *c) {
  Value fn = hash_get(th, th->vm->special_forms, op, NIL);
  if (fn == NIL) program_error(th, "~S is not implemented as a special operator.", op);
  SpecialFn f = (SpecialFn)((Foreign *)fn)->payload;
  return f(th, form, c);
}

void compiler_init(Thread *th) {
  struct {
    Value sym;
    SpecialFn fn;
  } table[] = {
      {SYM(quote), c_quote},
      {SYM(function), c_function},
      {SYM(if_), c_if},
      {SYM(progn), c_progn},
      {SYM(let), c_let_plain},
      {SYM(let_star), c_let_star},
      {SYM(setq), c_setq},
      {SYM(flet), c_flet},
      {SYM(labels), c_labels},
      {SYM(macrolet), c_macrolet},
      {SYM(symbol_macrolet), c_symbol_macrolet},
      {SYM(block), c_block},
      {SYM(return_from), c_return_from},
      {SYM(tagbody), c_tagbody},
      {SYM(go), c_go},
      {SYM(catch_), c_catch},
      {SYM(throw_), c_throw},
      {SYM(unwind_protect), c_unwind_protect},
      {SYM(multiple_value_call), c_mvcall},
      {SYM(multiple_value_prog1), c_mvprog1},
      {SYM(the), c_the},
      {SYM(locally), c_locally},
      {SYM(eval_when), c_eval_when},
      {SYM(load_time_value), c_load_time_value},
      {SYM(progv), c_progv},
      {SYM(named_lambda), c_named_lambda},
      {SYM(macro_lambda), c_macro_lambda},
      {SYM(multiple_value_bind), c_mvb},
      {SYM(destructuring_bind), c_destructuring_bind},
      {SYM(declare), c_declare},
  };
  th->vm->special_forms = make_hash_table(th, HT_EQ, 64);
  for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
    Value f = make_foreign(th, NIL, (void *)table[i].fn, NULL);
    hash_put(th, th->vm->special_forms, table[i].sym, f);
    symbol_of(th, table[i].sym)->h.flags |= SYM_SPECIAL_OP;
  }
}
