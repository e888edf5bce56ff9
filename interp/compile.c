/* compile.c — turns a form into the executable tree: macroexpansion, lexical
 * variables resolved to frame slots (boxed only when a closure captures them). */
#include "compile.h"

/* ---- environment records ---- */

static Value rec_new(Thread *th, int kind, Value name, Value li) {
  Value r = make_svector(th, RF_COUNT, NIL);
  RF(r, RF_KIND) = make_fixnum(kind);
  RF(r, RF_NAME) = name;
  RF(r, RF_LAMBDA) = li;
  return r;
}

static int new_slot(Value li) {
  intptr_t n = fixnum_val(RF(li, LI_NSLOTS));
  RF(li, LI_NSLOTS) = make_fixnum(n + 1);
  return (int)n;
}

Value bind_record(Thread *th, Ctx *c, int kind, Value name) {
  Value r = rec_new(th, kind, name, c->li);
  RF(r, RF_SLOT) = make_fixnum(new_slot(c->li));
  RF(r, RF_REFS) = NIL;
  c->env = cons(th, r, c->env);
  return r;
}

static Value lookup(Thread *th, Value env, Value name, int kind) {
  UNUSED(th);
  for (Value l = env; is_cons(l); l = CDR(l)) {
    Value r = CAR(l);
    if (!is_type(r, T_SVECTOR)) continue;
    int k = (int)fixnum_val(RF(r, RF_KIND));
    if (RF(r, RF_NAME) != name) continue;
    switch (kind) {
    case R_VAR:
      if (k == R_VAR || k == R_SYMMACRO || k == R_SPECIAL) return r;
      break;
    case R_FUN:
      if (k == R_FUN || k == R_MACRO) return r;
      break;
    default:
      if (k == kind) return r;
    }
  }
  return NIL;
}

bool special_p(Thread *th, Value env, Value sym) {
  Value r = lookup(th, env, sym, R_VAR);
  if (r != NIL) return fixnum_val(RF(r, RF_KIND)) == R_SPECIAL;
  return (symbol_of(th, sym)->h.flags & (SYM_SPECIAL | SYM_CONSTANT)) != 0;
}

/* Index of rec in li's captured boxes, adding it (and to every lambda between) as needed. */
static int capture_index(Thread *th, Value li, Value rec) {
  intptr_t n = fixnum_val(RF(li, LI_NCAPTURES));
  intptr_t pos = n - 1;
  for (Value l = RF(li, LI_CAPTURES); is_cons(l); l = CDR(l), pos--)
    if (CAR(CAR(l)) == rec) return (int)pos;
  Value parent = RF(li, LI_PARENT);
  Value spec;
  if (RF(rec, RF_LAMBDA) == parent) spec = CAP_ENC(fixnum_val(RF(rec, RF_SLOT)), 0);
  else spec = CAP_ENC(capture_index(th, parent, rec), 1);
  RF(li, LI_CAPTURES) = cons(th, cons(th, rec, spec), RF(li, LI_CAPTURES));
  RF(li, LI_NCAPTURES) = make_fixnum(n + 1);
  return (int)n;
}

/* A node reading the variable/function/token of rec from the current lambda. */
Value rec_ref(Thread *th, Ctx *c, Value rec) {
  Node *n;
  if (RF(rec, RF_LAMBDA) == c->li) {
    n = node_new(th, RF(rec, RF_CAPTURED) != NIL ? n_lref_box : n_lref, 0);
    n->i = (int32_t)fixnum_val(RF(rec, RF_SLOT));
    RF(rec, RF_REFS) = cons(th, obj_value(n), RF(rec, RF_REFS));
  } else {
    RF(rec, RF_CAPTURED) = SYM(t);
    n = node_new(th, n_eref, 0);
    n->i = capture_index(th, c->li, rec);
  }
  return obj_value(n);
}

Value compile_setq_rec(Thread *th, Ctx *c, Value rec, Value valnode) {
  Node *n;
  if (RF(rec, RF_LAMBDA) == c->li) {
    n = node_new(th, RF(rec, RF_CAPTURED) != NIL ? n_lset_box : n_lset, 1);
    n->i = (int32_t)fixnum_val(RF(rec, RF_SLOT));
    RF(rec, RF_REFS) = cons(th, obj_value(n), RF(rec, RF_REFS));
  } else {
    RF(rec, RF_CAPTURED) = SYM(t);
    n = node_new(th, n_eset, 1);
    n->i = capture_index(th, c->li, rec);
  }
  n->k[0] = valnode;
  return obj_value(n);
}

/* Once a scope is compiled we know which of its variables were captured: their
 * local accesses switch to the boxed forms. */
void close_record(Thread *th, Value rec) {
  UNUSED(th);
  if (RF(rec, RF_CAPTURED) == NIL) return;
  for (Value l = RF(rec, RF_REFS); is_cons(l); l = CDR(l)) {
    Node *n = node_of(CAR(l));
    if (n->exec == n_lref) n->exec = n_lref_box;
    else if (n->exec == n_lset) n->exec = n_lset_box;
  }
}

Value rec_slot_enc(Value rec) { return SLOT_ENC(fixnum_val(RF(rec, RF_SLOT)), RF(rec, RF_CAPTURED) != NIL); }

/* ---- nodes ---- */

Node *node_new(Thread *th, NodeFn exec, uint32_t nk) {
  Node *n = gc_alloc(th, T_NODE, sizeof(Node) + nk * sizeof(Value));
  n->exec = exec;
  n->nk = nk;
  for (uint32_t i = 0; i < nk; i++) n->k[i] = NIL;
  return n;
}

Value const_node(Thread *th, Value v) {
  Node *n = node_new(th, n_const, 1);
  n->k[0] = v;
  return obj_value(n);
}

static bool sets_values(Node *n) {
  NodeFn f = n->exec;
  return f == n_if || f == n_progn || f == n_let || f == n_let_dyn || f == n_labels || f == n_call_g ||
         f == n_call_g_tail || f == n_call_f || f == n_call_f_tail || f == n_block || f == n_catch ||
         f == n_uwp || f == n_mvcall || f == n_mvprog1 || f == n_progv || f == n_single || f == n_mvb ||
         f == n_return_from || f == n_go || f == n_go_local || f == n_throw || f == n_bind_dyn_body;
}

/* In a context whose values matter, a node that yields one value says so. */
Value finish(Thread *th, Ctx *c, Value node) {
  if (!(c->flags & C_MV) || sets_values(node_of(node))) return node;
  Node *n = node_new(th, n_single, 1);
  n->k[0] = node;
  return obj_value(n);
}

/* ---- macroexpansion ---- */

static Value macro_function_in(Thread *th, Value env, Value sym) {
  if (!is_symbol(sym)) return NIL;
  Value r = lookup(th, env, sym, R_FUN);
  if (r != NIL) return fixnum_val(RF(r, RF_KIND)) == R_MACRO ? RF(r, RF_EXTRA) : NIL;
  Value f = symbol_of(th, sym)->function;
  return is_type(f, T_MACRO) ? ((Macro *)f)->expander : NIL;
}

static Value symbol_macro_in(Thread *th, Value env, Value sym, bool *found) {
  *found = false;
  if (!is_symbol(sym) || sym == NIL) return NIL;
  Value r = lookup(th, env, sym, R_VAR);
  if (r != NIL) {
    if (fixnum_val(RF(r, RF_KIND)) == R_SYMMACRO) {
      *found = true;
      return RF(r, RF_EXTRA);
    }
    return NIL;
  }
  Value v;
  Value key = th->vm->sym.s_symbol_macrolet;
  for (Value p = symbol_of(th, sym)->plist; is_cons(p) && is_cons(CDR(p)); p = CDR(CDR(p)))
    if (CAR(p) == key) {
      v = CAR(CDR(p));
      *found = true;
      return v;
    }
  return NIL;
}

Value symbol_macro_value(Thread *th, Value sym, bool *found) { return symbol_macro_in(th, NIL, sym, found); }

Value macroexpand_1(Thread *th, Value form, Value env, bool *expanded) {
  *expanded = false;
  if (is_symbol(form)) {
    bool found;
    Value exp = symbol_macro_in(th, env, form, &found);
    if (found) {
      *expanded = true;
      return exp;
    }
    return form;
  }
  if (!is_cons(form)) return form;
  Value head = CAR(form);
  if (head == SYM(backquote) && lookup(th, env, head, R_FUN) == NIL) {
    *expanded = true;
    return backquote_expand(th, form);
  }
  Value fn = macro_function_in(th, env, head);
  if (fn == NIL) return form;
  *expanded = true;
  Value hook = symbol_value_or(th, SYM(macroexpand_hook), NIL);
  if (hook != NIL && hook != symbol_of(th, SYM(funcall_sym))->function && hook != SYM(funcall_sym))
    return funcall3(th, hook, fn, form, env);
  return funcall2(th, fn, form, env);
}

Value macroexpand_all_top(Thread *th, Value form, Value env, bool *expanded) {
  bool any = false, one;
  do {
    form = macroexpand_1(th, form, env, &one);
    any |= one;
  } while (one);
  *expanded = any;
  return form;
}

/* ---- declarations and bodies ---- */

/* Splits body into declarations and forms; collects special declarations.
 * With allow_doc, a leading string (not the last form) is the docstring. */
Value parse_body(Thread *th, Value body, bool allow_doc, Value *specials, Value *doc) {
  *specials = NIL;
  if (doc) *doc = NIL;
  for (;;) {
    if (!is_cons(body)) return body;
    Value f = CAR(body);
    if (allow_doc && doc && is_any_string(f) && *doc == NIL && CDR(body) != NIL) {
      *doc = f;
      body = CDR(body);
      continue;
    }
    if (is_cons(f) && CAR(f) == SYM(declare)) {
      for (Value d = CDR(f); is_cons(d); d = CDR(d)) {
        Value spec = CAR(d);
        if (!is_cons(spec)) program_error(th, "Malformed declaration: ~S", spec);
        if (CAR(spec) == SYM(special))
          for (Value v = CDR(spec); is_cons(v); v = CDR(v)) *specials = cons(th, CAR(v), *specials);
      }
      body = CDR(body);
      continue;
    }
    return body;
  }
}

/* Special declarations that are not bindings of this form affect references in its body. */
void push_free_specials(Thread *th, Ctx *c, Value specials, Value bound) {
  for (Value l = specials; is_cons(l); l = CDR(l))
    if (!memq_list(CAR(l), bound)) {
      Value r = rec_new(th, R_SPECIAL, CAR(l), c->li);
      c->env = cons(th, r, c->env);
    }
}

Value compile_progn(Thread *th, Value forms, Ctx *c) {
  if (forms == NIL) return finish(th, c, const_node(th, NIL));
  if (!is_cons(forms)) program_error(th, "Malformed body: ~S", forms);
  if (CDR(forms) == NIL) return compile_form(th, CAR(forms), c);
  intptr_t n = list_length(forms);
  if (n < 0) program_error(th, "Malformed body: ~S", forms);
  Node *node = node_new(th, n_progn, (uint32_t)n);
  Ctx sub = *c;
  sub.flags &= ~(C_TAIL | C_MV);
  sub.tails = NIL;
  uint32_t i = 0;
  for (Value l = forms; is_cons(l); l = CDR(l), i++)
    node->k[i] = compile_form(th, CAR(l), CDR(l) == NIL ? c : &sub);
  return obj_value(node);
}

/* ---- calls ---- */

static Value compile_args(Thread *th, Node *n, uint32_t first, Value args, Ctx *c) {
  Ctx sub = *c;
  sub.flags &= ~(C_TAIL | C_MV);
  sub.tails = NIL;
  uint32_t i = first;
  for (Value l = args; is_cons(l); l = CDR(l)) n->k[i++] = compile_form(th, CAR(l), &sub);
  return obj_value(n);
}

static void note_tail_call(Thread *th, Ctx *c, Node *n) {
  if (c->tail_calls) *c->tail_calls = cons(th, obj_value(n), *c->tail_calls);
}

Value compile_call_node(Thread *th, Value fnode, Value args, Ctx *c) {
  intptr_t n = list_length(args);
  if (n < 0) program_error(th, "Malformed function call: the arguments ~S are not a proper list.", args);
  if (n > CALL_ARGUMENTS_LIMIT) program_error(th, "Too many arguments (~D) in a call.", make_fixnum(n));
  bool tail = c->flags & C_TAIL;
  Node *node = node_new(th, tail ? n_call_f_tail : n_call_f, (uint32_t)n + 1);
  node->k[0] = fnode;
  compile_args(th, node, 1, args, c);
  if (tail) note_tail_call(th, c, node);
  return obj_value(node);
}

static Value compile_global_call(Thread *th, Value sym, Value args, Ctx *c) {
  intptr_t n = list_length(args);
  if (n < 0) program_error(th, "Malformed function call: the arguments ~S are not a proper list.", args);
  Value inl = compile_inline(th, sym, args, n, c);
  if (inl != NIL) return finish(th, c, inl);
  bool tail = c->flags & C_TAIL;
  Node *node = node_new(th, tail ? n_call_g_tail : n_call_g, (uint32_t)n + 1);
  node->k[0] = sym;
  compile_args(th, node, 1, args, c);
  if (tail) note_tail_call(th, c, node);
  return obj_value(node);
}

/* ---- the dispatcher ---- */

static Value compile_symbol(Thread *th, Value sym, Ctx *c) {
  if (sym == NIL || sym == SYM(t) || is_keyword(th, sym)) return finish(th, c, const_node(th, sym));
  Value r = lookup(th, c->env, sym, R_VAR);
  if (r != NIL) {
    int kind = (int)fixnum_val(RF(r, RF_KIND));
    if (kind == R_VAR) return finish(th, c, rec_ref(th, c, r));
    if (kind == R_SYMMACRO) return compile_form(th, RF(r, RF_EXTRA), c);
  } else {
    bool found;
    Value exp = symbol_macro_in(th, c->env, sym, &found);
    if (found) return compile_form(th, exp, c);
  }
  Symbol *s = symbol_of(th, sym);
  if ((s->h.flags & SYM_CONSTANT) && s->value != UNBOUND) return finish(th, c, const_node(th, s->value));
  Node *n = node_new(th, n_gref, 1);
  n->k[0] = sym;
  return finish(th, c, obj_value(n));
}

Value compile_form(Thread *th, Value form, Ctx *c) {
  check_stack(th);
  if (is_symbol(form)) return compile_symbol(th, form, c);
  if (!is_cons(form)) return finish(th, c, const_node(th, form));
  Value head = CAR(form);
  if (is_symbol(head)) {
    Value r = lookup(th, c->env, head, R_FUN);
    if (r != NIL && fixnum_val(RF(r, RF_KIND)) == R_FUN)
      return compile_call_node(th, rec_ref(th, c, r), CDR(form), c);
    if (r == NIL && (symbol_of(th, head)->h.flags & SYM_SPECIAL_OP)) return compile_special(th, head, form, c);
    bool expanded;
    Value exp = macroexpand_1(th, form, c->env, &expanded);
    if (expanded) return compile_form(th, exp, c);
    return compile_global_call(th, head, CDR(form), c);
  }
  if (is_cons(head) && CAR(head) == SYM(lambda)) {
    Value fnode = compile_lambda_node(th, NIL, CDR(head), c, false);
    return compile_call_node(th, fnode, CDR(form), c);
  }
  program_error(th, "~S is not a symbol or lambda expression in the form ~S .", head, form);
}

/* ---- entry points ---- */

Value new_lambda_info(Thread *th, Value parent) {
  Value li = make_svector(th, LI_COUNT, NIL);
  RF(li, LI_PARENT) = parent;
  RF(li, LI_NSLOTS) = make_fixnum(0);
  RF(li, LI_NCAPTURES) = make_fixnum(0);
  return li;
}

Value compile_toplevel(Thread *th, Value form) {
  Value lam = compile_lambda_object(th, NIL, NIL, list1(th, form), NIL, NIL, LL_ORDINARY, false);
  lambda_of(lam)->toplevel = 1;
  return make_closure(th, lam, NIL, NIL);
}

Value compile_lambda(Thread *th, Value name, Value lambda_list, Value body, Value env) {
  Value lam = compile_lambda_object(th, name, lambda_list, body, env, NIL, LL_ORDINARY, true);
  return make_closure(th, lam, NIL, name);
}
