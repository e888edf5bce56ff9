/* compile_lambda.c — lambda lists (ordinary, macro, destructuring) and compiling
 * a lambda into a Lambda object and the node that makes its closures. */
#include "compile.h"

static Value param_new(Thread *th, enum ParamKind kind) {
  Value p = make_svector(th, PF_COUNT, NIL);
  svec_of(p)->data[PF_KIND] = make_fixnum(kind);
  return p;
}

static void check_bindable(Thread *th, Value sym) {
  if (!is_symbol(sym) || sym == NIL)
    program_error(th, "~S is not a symbol that can be bound as a variable.", sym);
  if (symbol_of(th, sym)->h.flags & SYM_CONSTANT) program_error(th, "Can't bind constant ~S.", sym);
}

/* Binds sym in c: a special binding gives the symbol as target, a lexical one its record. */
static Value bind_var(Thread *th, Ctx *c, Value sym, Value specials, Value *bound) {
  check_bindable(th, sym);
  *bound = cons(th, sym, *bound);
  if (memq_list(sym, specials) || (symbol_of(th, sym)->h.flags & SYM_SPECIAL)) {
    Value r = make_svector(th, RF_COUNT, NIL);
    RF(r, RF_KIND) = make_fixnum(R_SPECIAL);
    RF(r, RF_NAME) = sym;
    RF(r, RF_LAMBDA) = c->li;
    c->env = cons(th, r, c->env);
    return sym;
  }
  return bind_record(th, c, R_VAR, sym);
}

static Value compile_init(Thread *th, Ctx *c, Value form) {
  Ctx sub = *c;
  sub.flags = 0;
  sub.tails = NIL;
  sub.tail_calls = NULL;
  return compile_form(th, form, &sub);
}

static bool is_lambda_keyword(Thread *th, Value x) {
  return x == SYM(optional) || x == SYM(rest) || x == SYM(key) || x == SYM(aux) || x == SYM(body) ||
         x == SYM(whole) || x == SYM(environment) || x == SYM(allow_other_keys);
}

static Value bind_target(Thread *th, Ctx *c, Value var, Value specials, Value *bound, enum LambdaListKind kind,
                         Value param) {
  if (is_cons(var) && kind != LL_ORDINARY) {
    svec_of(param)->data[PF_PATTERN] = parse_lambda_list(th, c, var, LL_DESTRUCTURING, specials, bound);
    return NIL;
  }
  return bind_var(th, c, var, specials, bound);
}

Value parse_lambda_list(Thread *th, Ctx *c, Value ll, enum LambdaListKind kind, Value specials, Value *bound) {
  Value params = NIL; /* reversed */
  intptr_t flags = 0;
  enum ParamKind state = P_REQ;
  Value l = ll;
  bool seen_whole_ok = kind != LL_ORDINARY;
  for (; is_cons(l); l = CDR(l)) {
    Value x = CAR(l);
    if (is_symbol(x) && is_lambda_keyword(th, x)) {
      if (x == SYM(optional)) {
        if (state != P_REQ) goto bad;
        state = P_OPT;
      } else if (x == SYM(rest) || x == SYM(body)) {
        if (x == SYM(body) && kind == LL_ORDINARY) goto bad;
        if (state == P_KEY || state == P_AUX || state == P_REST || !is_cons(CDR(l))) goto bad;
        l = CDR(l);
        Value p = param_new(th, P_REST);
        svec_of(p)->data[PF_SLOT] = bind_target(th, c, CAR(l), specials, bound, kind, p);
        params = cons(th, p, params);
        flags |= PL_REST;
        state = P_REST;
      } else if (x == SYM(key)) {
        if (state == P_KEY || state == P_AUX) goto bad;
        state = P_KEY;
        flags |= PL_KEY;
      } else if (x == SYM(allow_other_keys)) {
        if (state != P_KEY) goto bad;
        flags |= PL_ALLOW_OTHER_KEYS;
      } else if (x == SYM(aux)) {
        if (state == P_AUX) goto bad;
        state = P_AUX;
      } else if (x == SYM(whole)) {
        if (!seen_whole_ok || l != ll || !is_cons(CDR(l))) goto bad;
        l = CDR(l);
        Value p = param_new(th, P_WHOLE);
        svec_of(p)->data[PF_SLOT] = bind_target(th, c, CAR(l), specials, bound, kind, p);
        params = cons(th, p, params);
      } else {
        goto bad; /* &environment is removed by the macro lambda's caller */
      }
      continue;
    }
    switch (state) {
    case P_REQ: {
      Value p = param_new(th, P_REQ);
      svec_of(p)->data[PF_SLOT] = bind_target(th, c, x, specials, bound, kind, p);
      params = cons(th, p, params);
      break;
    }
    case P_OPT:
    case P_KEY: {
      Value var = x, init = NIL, svar = NIL, keyword = NIL;
      if (is_cons(x)) {
        var = CAR(x);
        if (is_cons(CDR(x))) {
          init = CAR(CDR(x));
          if (is_cons(CDR(CDR(x)))) svar = CAR(CDR(CDR(x)));
        }
      }
      if (state == P_KEY) {
        if (is_cons(var)) {
          keyword = CAR(var);
          if (!is_cons(CDR(var))) goto bad;
          var = CAR(CDR(var));
        } else {
          if (!is_symbol(var)) goto bad;
          keyword = intern(th, symbol_name(th, var), th->vm->pkg_keyword, NULL);
        }
      } else if (is_cons(var) && kind == LL_ORDINARY) {
        goto bad;
      }
      Value p = param_new(th, state);
      svec_of(p)->data[PF_KEYWORD] = keyword;
      if (init != NIL) svec_of(p)->data[PF_INIT] = compile_init(th, c, init);
      svec_of(p)->data[PF_SLOT] = bind_target(th, c, var, specials, bound, kind, p);
      if (svar != NIL) svec_of(p)->data[PF_SUPPLIED] = bind_var(th, c, svar, specials, bound);
      params = cons(th, p, params);
      break;
    }
    case P_REST: goto bad; /* a second variable after &rest */
    case P_AUX: {
      Value var = x, init = NIL;
      if (is_cons(x)) {
        var = CAR(x);
        if (is_cons(CDR(x))) init = CAR(CDR(x));
      }
      Value p = param_new(th, P_AUX);
      if (init != NIL) svec_of(p)->data[PF_INIT] = compile_init(th, c, init);
      svec_of(p)->data[PF_SLOT] = bind_var(th, c, var, specials, bound);
      params = cons(th, p, params);
      break;
    }
    case P_WHOLE: break;
    }
  }
  if (l != NIL) {
    /* (a b . rest) */
    if (kind == LL_ORDINARY || (state != P_REQ && state != P_OPT)) goto bad;
    Value p = param_new(th, P_REST);
    svec_of(p)->data[PF_SLOT] = bind_var(th, c, l, specials, bound);
    params = cons(th, p, params);
    flags |= PL_REST;
  }
  {
    params = nreverse_list(params);
    intptr_t n = list_length(params);
    Value v = make_svector(th, (size_t)n + 2, NIL);
    svec_of(v)->data[0] = make_fixnum(flags);
    svec_of(v)->data[1] = ll;
    intptr_t i = 2;
    for (Value q = params; is_cons(q); q = CDR(q)) svec_of(v)->data[i++] = CAR(q);
    return v;
  }
bad:
  program_error(th, "Bad lambda list: ~S", ll);
}

/* After the body is compiled: records become slot encodings (boxed if captured). */
bool finalize_pattern(Thread *th, Value params) {
  SVector *pl = svec_of(params);
  /* (a &key) takes keywords though it binds no variable for them: not only required ones. */
  bool simple = !(fixnum_val(pl->data[0]) & (PL_KEY | PL_REST));
  for (size_t i = 2; i < pl->len; i++) {
    SVector *p = svec_of(pl->data[i]);
    if (fixnum_val(p->data[PF_KIND]) != P_REQ) simple = false;
    static const int target_fields[] = {PF_SLOT, PF_SUPPLIED};
    for (int fi = 0; fi < 2; fi++) {
      int f = target_fields[fi];
      Value t = p->data[f];
      if (is_type(t, T_SVECTOR)) {
        close_record(th, t);
        p->data[f] = rec_slot_enc(t);
        if (SLOT_BOXED(p->data[f])) simple = false;
      } else if (t != NIL) {
        simple = false; /* special */
      }
    }
    if (p->data[PF_PATTERN] != NIL) {
      finalize_pattern(th, p->data[PF_PATTERN]);
      simple = false;
    }
  }
  return simple;
}

static Value block_name_of(Value name) {
  if (is_symbol(name) && name != NIL) return name;
  if (is_cons(name) && is_cons(CDR(name))) return CAR(CDR(name)); /* (setf foo) */
  return UNBOUND;
}

/* Splits &environment out of a macro lambda list. */
static Value strip_environment(Thread *th, Value ll, Value *envvar) {
  *envvar = NIL;
  Value out = NIL;
  Value l = ll;
  for (; is_cons(l); l = CDR(l)) {
    if (CAR(l) == SYM(environment)) {
      if (!is_cons(CDR(l))) program_error(th, "Bad lambda list: ~S", ll);
      *envvar = CAR(CDR(l));
      l = CDR(l);
      continue;
    }
    out = cons(th, CAR(l), out);
  }
  Value r = l;
  for (; is_cons(out); out = CDR(out)) r = cons(th, CAR(out), r);
  return r;
}

Value compile_lambda_object(Thread *th, Value name, Value ll, Value body, Value env, Value parent_li,
                            enum LambdaListKind kind, bool allow_doc) {
  Value li = new_lambda_info(th, parent_li);
  Value tail_calls = NIL;
  Ctx c = {env, li, 0, NIL, &tail_calls};
  Value specials, doc;
  Value forms = parse_body(th, body, allow_doc, &specials, &doc);
  Value bound = NIL;
  Value params;
  Lambda *lam = gc_alloc(th, T_LAMBDA, sizeof(Lambda));
  lam->name = name;
  lam->lambda_list = ll;
  lam->doc = doc;
  if (kind == LL_MACRO) {
    /* A macro function takes (form env); its lambda list destructures (cdr form). */
    Value envvar;
    Value pattern = strip_environment(th, ll, &envvar);
    Value wholevar = NIL;
    if (is_cons(pattern) && CAR(pattern) == SYM(whole)) {
      if (!is_cons(CDR(pattern))) program_error(th, "Bad lambda list: ~S", ll);
      wholevar = CAR(CDR(pattern));
      pattern = CDR(CDR(pattern));
    }
    Value form_rec = bind_var(th, &c, wholevar != NIL ? wholevar : make_symbol(th, make_string_c(th, "FORM")),
                              specials, &bound);
    Value env_rec = bind_var(th, &c, envvar != NIL ? envvar : make_symbol(th, make_string_c(th, "ENV")), specials,
                             &bound);
    Value p0 = param_new(th, P_REQ), p1 = param_new(th, P_REQ), p2 = param_new(th, P_AUX);
    svec_of(p0)->data[PF_SLOT] = form_rec;
    svec_of(p1)->data[PF_SLOT] = env_rec;
    Node *cdr_node = node_new(th, n_cdr, 1);
    if (is_symbol(form_rec)) {
      Node *g = node_new(th, n_gref, 1);
      g->k[0] = form_rec;
      cdr_node->k[0] = obj_value(g);
    } else {
      cdr_node->k[0] = rec_ref(th, &c, form_rec);
    }
    svec_of(p2)->data[PF_INIT] = obj_value(cdr_node);
    svec_of(p2)->data[PF_PATTERN] = parse_lambda_list(th, &c, pattern, LL_DESTRUCTURING, specials, &bound);
    params = make_svector(th, 5, NIL);
    svec_of(params)->data[0] = make_fixnum(0);
    svec_of(params)->data[1] = ll;
    svec_of(params)->data[2] = p0;
    svec_of(params)->data[3] = p1;
    svec_of(params)->data[4] = p2;
    lam->macro = 1;
  } else {
    params = parse_lambda_list(th, &c, ll, kind, specials, &bound);
  }
  push_free_specials(th, &c, specials, bound);
  Value bname = block_name_of(name);
  if (bname != UNBOUND) forms = list1(th, cons(th, SYM(block), cons(th, bname, forms)));
  c.flags = C_TAIL | C_MV;
  /* A special parameter is unbound when the body returns: no tail calls out of it. */
  for (Value l = bound; is_cons(l); l = CDR(l))
    if (memq_list(CAR(l), specials) || (symbol_of(th, CAR(l))->h.flags & SYM_SPECIAL)) c.flags &= ~C_TAIL;
  lam->body = compile_form(th, cons(th, SYM(progn), forms), &c);
  bool simple = finalize_pattern(th, params);
  SVector *pl = svec_of(params);
  intptr_t flags = fixnum_val(pl->data[0]);
  int nreq = 0, nopt = 0;
  for (size_t i = 2; i < pl->len; i++) {
    intptr_t k = fixnum_val(svec_of(pl->data[i])->data[PF_KIND]);
    if (k == P_REQ) nreq++;
    else if (k == P_OPT) nopt++;
  }
  lam->nreq = (uint16_t)nreq;
  lam->nopt = (uint16_t)nopt;
  lam->rest = (flags & PL_REST) != 0;
  lam->key = (flags & PL_KEY) != 0;
  lam->allow_other_keys = (flags & PL_ALLOW_OTHER_KEYS) != 0;
  lam->params = simple ? NIL : params;
  lam->nslots = (uint32_t)fixnum_val(RF(li, LI_NSLOTS));
  intptr_t ncap = fixnum_val(RF(li, LI_NCAPTURES));
  if (ncap > 0) {
    Value caps = make_svector(th, (size_t)ncap, NIL);
    intptr_t i = ncap - 1;
    for (Value l = RF(li, LI_CAPTURES); is_cons(l); l = CDR(l)) svec_of(caps)->data[i--] = CDR(CAR(l));
    lam->captures = caps;
  } else {
    lam->captures = NIL;
  }
  return obj_value(lam);
}

/* (lambda-list . body) inside the function being compiled in c: a node that
 * makes the closure (a constant when it captures nothing). */
Value compile_lambda_node(Thread *th, Value name, Value lambda_and_body, Ctx *c, bool macro) {
  if (!is_cons(lambda_and_body) || !is_list(CAR(lambda_and_body)))
    program_error(th, "Malformed lambda expression: ~S", cons(th, SYM(lambda), lambda_and_body));
  Value lamv = compile_lambda_object(th, name, CAR(lambda_and_body), CDR(lambda_and_body), c->env, c->li,
                                     macro ? LL_MACRO : LL_ORDINARY, true);
  Lambda *lam = lambda_of(lamv);
  if (lam->captures == NIL) return const_node(th, make_closure(th, lamv, NIL, name));
  Node *n = node_new(th, n_closure, 3);
  n->k[0] = lamv;
  n->k[1] = lam->captures;
  n->k[2] = name;
  return obj_value(n);
}
