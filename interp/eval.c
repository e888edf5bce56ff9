/* eval.c — calling functions: the trampoline that makes tail calls flat, native
 * argument parsing (arity and keywords), lambda-list binding, multiple values. */
#include <alloca.h>
#include <stdlib.h>

#include "nodes.h"

NORETURN void wrong_arg_count(Thread *th, Value fn, int nargs) {
  int min = 0, max = 0;
  if (is_type(fn, T_NATIVE)) {
    const NativeDesc *d = native_of(fn)->desc;
    min = d->min_args;
    max = (d->flags & NAT_REST) || native_of(fn)->nkeys ? -1 : d->max_args;
  } else {
    Lambda *l = lambda_of(closure_of(fn)->lambda);
    min = l->nreq;
    max = (l->rest || l->key) ? -1 : l->nreq + l->nopt;
  }
  Value n = make_fixnum(nargs);
  if (nargs < min)
    program_error(th, nargs == 1 ? "Too few arguments in call to ~S:~%~D argument provided, at least ~D required. "
                                 : "Too few arguments in call to ~S:~%~D arguments provided, at least ~D required. ",
                  fn, n, make_fixnum(min));
  program_error(th, nargs == 1 ? "Too many arguments in call to ~S:~%~D argument provided, at most ~D accepted. "
                               : "Too many arguments in call to ~S:~%~D arguments provided, at most ~D accepted. ",
                fn, n, make_fixnum(max));
}

static NORETURN void bad_keyword_args(Thread *th, Value fn, const char *why, Value what) {
  if (what == UNBOUND) program_error(th, why, fn);
  program_error(th, why, what, fn);
}

/* Checks a keyword/value list args[0..n) against the accepted keys; fills out[] in
 * key order (UNSUPPLIED when absent). keys: list of keyword symbols. */
static void parse_keys(Thread *th, Value fn, Value keys, int nkeys, bool allow_other, int n, Value *args,
                       Value *out) {
  for (int i = 0; i < nkeys; i++) out[i] = UNSUPPLIED;
  if (n & 1) bad_keyword_args(th, fn, "Odd number of &KEY arguments in call to ~S.", UNBOUND);
  if (!allow_other) {
    for (int i = 0; i < n; i += 2)
      if (args[i] == SYM(k_allow_other_keys)) {
        if (args[i + 1] != NIL) allow_other = true;
        break;
      }
  }
  for (int i = 0; i < n; i += 2) {
    Value k = args[i];
    int j = 0;
    Value l = keys;
    for (; is_cons(l); l = CDR(l), j++)
      if (CAR(l) == k) break;
    if (is_cons(l)) {
      if (out[j] == UNSUPPLIED) out[j] = args[i + 1];
    } else if (!allow_other && k != SYM(k_allow_other_keys)) {
      if (!is_symbol(k)) bad_keyword_args(th, fn, "~S is not a symbol in keyword arguments to ~S.", k);
      bad_keyword_args(th, fn, "Unknown keyword argument ~S in call to ~S.", k);
    }
  }
}

static inline __attribute__((always_inline)) Value call_native(Thread *th, Value fn, int nargs, Value *args) {
  Native *nat = native_of(fn);
  const NativeDesc *d = nat->desc;
  if (nargs < d->min_args) wrong_arg_count(th, fn, nargs);
  Value r;
  th->native_self = fn;
  if (nat->nkeys == 0) {
    if (nargs > d->max_args && !(d->flags & NAT_REST)) wrong_arg_count(th, fn, nargs);
    if (nargs >= d->max_args || (d->flags & NAT_REST)) {
      r = d->fn(th, nargs, args);
    } else {
      Value buf[d->max_args];
      for (int i = 0; i < d->max_args; i++) buf[i] = i < nargs ? args[i] : UNSUPPLIED;
      r = d->fn(th, nargs, buf);
    }
  } else {
    int npos = d->max_args;
    Value buf[npos + nat->nkeys];
    for (int i = 0; i < npos; i++) buf[i] = i < nargs ? args[i] : UNSUPPLIED;
    int nkeyargs = nargs > npos ? nargs - npos : 0;
    parse_keys(th, fn, nat->keys, nat->nkeys, d->flags & NAT_OTHER_KEYS, nkeyargs, args + npos, buf + npos);
    r = d->fn(th, nargs < npos ? nargs : npos, buf);
  }
  if (!(d->flags & NAT_MV)) th->nvals = 1;
  return r;
}

Value make_closure_env(Thread *th, Value captures, Frame *f) {
  SVector *caps = svec_of(captures);
  Value env = make_svector(th, caps->len, NIL);
  for (size_t i = 0; i < caps->len; i++) {
    intptr_t spec = fixnum_val(caps->data[i]);
    svec_of(env)->data[i] = (spec & 1) ? svec_of(f->env)->data[spec >> 1] : f->slots[spec >> 1];
  }
  return env;
}

Value make_closure(Thread *th, Value lambda, Value env, Value name) {
  Closure *c = gc_alloc(th, T_CLOSURE, sizeof(Closure));
  c->lambda = lambda;
  c->env = env;
  c->name = name;
  return obj_value(c);
}

/* ---- lambda-list binding ----
 * A parameter list (Lambda.params) is an SVector: [flags, param...], flags a fixnum
 * of PL_* bits; each param an SVector of P_* fields (compile.c builds them). */

static void store_param(Thread *th, Frame *f, Value desc, Value v) {
  SVector *p = svec_of(desc);
  Value target = p->data[PF_SLOT];
  if (p->data[PF_PATTERN] != NIL) {
    bind_params(th, NULL, p->data[PF_PATTERN], f, 0, NULL, v, true);
    return;
  }
  if (is_symbol(target)) {
    bind_special(th, target, v);
    return;
  }
  f->slots[SLOT_NUM(target)] = SLOT_BOXED(target) ? make_box(th, v) : v;
}

static void store_supplied(Thread *th, Frame *f, Value desc, bool supplied_p) {
  Value target = svec_of(desc)->data[PF_SUPPLIED];
  if (target == NIL) return;
  Value v = supplied_p ? SYM(t) : NIL;
  if (is_symbol(target)) bind_special(th, target, v);
  else f->slots[SLOT_NUM(target)] = SLOT_BOXED(target) ? make_box(th, v) : v;
}

static NORETURN void destructure_error(Thread *th, Value list, Value params, const char *what) {
  Value ll = svec_of(params)->data[1];
  program_error(th, what, list, ll);
}

/* Binds parameters from args[0..nargs), or (from_list) from the elements of list.
 * lam is NULL for nested destructuring patterns. */
void bind_params(Thread *th, Lambda *lam, Value params, Frame *f, int nargs, Value *args, Value list,
                 bool from_list) {
  SVector *pl = svec_of(params);
  intptr_t flags = fixnum_val(pl->data[0]);
  Value whole = list;
  int i = 0; /* next arg index */
  Value rest_list = list;
#define HAVE_ARG() (from_list ? is_cons(rest_list) : i < nargs)
  size_t np = pl->len;
  size_t k = 2;
  int nreq = 0;
  for (; k < np; k++) {
    Value desc = pl->data[k];
    SVector *p = svec_of(desc);
    enum ParamKind kind = (enum ParamKind)fixnum_val(p->data[PF_KIND]);
    switch (kind) {
    case P_REQ:
      if (!HAVE_ARG()) {
        if (from_list) {
          if (!is_list(rest_list)) destructure_error(th, whole, params, "~S can't be destructured against the lambda list ~S, because it is not a proper list.");
          destructure_error(th, whole, params, "~S can't be destructured against the lambda list ~S, because it does not contain at least the required number of elements.");
        }
        wrong_arg_count(th, f->fn, nargs);
      }
      {
        Value v;
        if (from_list) {
          v = CAR(rest_list);
          rest_list = CDR(rest_list);
          i++;
        } else {
          v = args[i++];
        }
        store_param(th, f, desc, v);
      }
      nreq++;
      break;
    case P_OPT:
      if (HAVE_ARG()) {
        Value v;
        if (from_list) {
          v = CAR(rest_list);
          rest_list = CDR(rest_list);
          i++;
        } else {
          v = args[i++];
        }
        store_param(th, f, desc, v);
        store_supplied(th, f, desc, true);
      } else {
        Value init = p->data[PF_INIT];
        store_param(th, f, desc, init == NIL ? NIL : EXEC(th, init, f));
        store_supplied(th, f, desc, false);
      }
      break;
    case P_REST: {
      Value v;
      if (from_list) {
        v = rest_list;
      } else {
        v = NIL;
        for (int j = nargs - 1; j >= i; j--) v = cons(th, args[j], v);
      }
      store_param(th, f, desc, v);
      break;
    }
    case P_WHOLE: store_param(th, f, desc, whole); break;
    case P_KEY: goto keys;
    case P_AUX:
      if (flags & PL_KEY) goto keys; /* &key without keyword parameters still checks the keywords */
      goto aux;
    }
  }
  if (flags & PL_KEY) goto keys;
  goto check_extra;
keys: {
  /* Collect the keyword arguments */
  int nk = 0;
  Value kl;
  if (from_list) {
    kl = rest_list;
    for (Value l = kl; is_cons(l); l = CDR(l)) nk++;
  } else {
    kl = NIL;
    nk = nargs - i;
  }
  if (nk & 1) {
    if (from_list) destructure_error(th, whole, params, "~S can't be destructured against the lambda list ~S, because it has an odd number of keyword arguments.");
    bad_keyword_args(th, f->fn, "Odd number of &KEY arguments in call to ~S.", UNBOUND);
  }
  Value kv[nk > 0 ? nk : 1];
  if (from_list) {
    int j = 0;
    for (Value l = kl; is_cons(l); l = CDR(l)) kv[j++] = CAR(l);
  } else {
    for (int j = 0; j < nk; j++) kv[j] = args[i + j];
  }
  bool allow = flags & PL_ALLOW_OTHER_KEYS;
  if (!allow)
    for (int j = 0; j < nk; j += 2)
      if (kv[j] == SYM(k_allow_other_keys)) {
        allow = kv[j + 1] != NIL;
        break;
      }
  if (!allow) {
    for (int j = 0; j < nk; j += 2) {
      Value key = kv[j];
      if (key == SYM(k_allow_other_keys)) continue;
      bool known = false;
      for (size_t m = k; m < np; m++) {
        SVector *p = svec_of(pl->data[m]);
        if (fixnum_val(p->data[PF_KIND]) == P_KEY && p->data[PF_KEYWORD] == key) {
          known = true;
          break;
        }
      }
      if (!known) {
        if (from_list) program_error(th, "Unknown keyword argument ~S in ~S.", key, whole);
        bad_keyword_args(th, f->fn, "Unknown keyword argument ~S in call to ~S.", key);
      }
    }
  }
  for (; k < np; k++) {
    Value desc = pl->data[k];
    SVector *p = svec_of(desc);
    if (fixnum_val(p->data[PF_KIND]) != P_KEY) break;
    Value key = p->data[PF_KEYWORD];
    int found = -1;
    for (int j = 0; j < nk; j += 2)
      if (kv[j] == key) {
        found = j;
        break;
      }
    if (found >= 0) {
      store_param(th, f, desc, kv[found + 1]);
      store_supplied(th, f, desc, true);
    } else {
      Value init = p->data[PF_INIT];
      store_param(th, f, desc, init == NIL ? NIL : EXEC(th, init, f));
      store_supplied(th, f, desc, false);
    }
  }
  goto aux;
}
check_extra:
  if (!(flags & (PL_REST | PL_KEY))) {
    if (from_list ? rest_list != NIL : i < nargs) {
      if (from_list) destructure_error(th, whole, params, "~S can't be destructured against the lambda list ~S, because it contains more than the allowed number of elements.");
      wrong_arg_count(th, f->fn, nargs);
    }
  }
aux:
  for (; k < np; k++) {
    Value desc = pl->data[k];
    SVector *p = svec_of(desc);
    if (fixnum_val(p->data[PF_KIND]) != P_AUX) continue;
    Value init = p->data[PF_INIT];
    store_param(th, f, desc, init == NIL ? NIL : EXEC(th, init, f));
  }
  UNUSED(lam);
  UNUSED(nreq);
#undef HAVE_ARG
}

/* The trampoline: a body that ends in a tail call returns TAIL_MARK with the callee
 * and its arguments in the thread, and the loop calls it here, so the C stack does
 * not grow. */
/* invoke's call of a native whose arguments came by a tail call: this frame holds their
 * copy (th->tc_args is reused by callees), so that the copy's scope has ended when a tail
 * call from the native loops in invoke. */
static __attribute__((noinline)) Value invoke_moved(Thread *th, CallRecord *rec, Value fn, int nargs, Value *args) {
  Value argv[nargs ? nargs : 1];
  if (nargs) memcpy(argv, args, (size_t)nargs * sizeof(Value));
  rec->args = argv;
  Value r = is_type(fn, T_NATIVE) ? call_native(th, fn, nargs, argv) : call_function(th, fn, nargs, argv);
  if (r == TAIL_MARK) rec->args = th->tc_args;
  return r;
}

Value invoke(Thread *th, Value fn, int nargs, Value *args) {
  check_stack(th);
  check_interrupt(th);
  CallRecord rec = {th->calls, fn, nargs, args};
  th->calls = &rec;
  for (;;) {
    Value r;
    /* After a tail call args is th->tc_args, which a callee may reuse: then this
     * iteration works on its own copy, in a block so that the stack does not grow. */
    bool moved = args == th->tc_args;
    if (!is_type(fn, T_CLOSURE)) {
      if (moved) r = invoke_moved(th, &rec, fn, nargs, args);
      else r = is_type(fn, T_NATIVE) ? call_native(th, fn, nargs, args) : call_function(th, fn, nargs, args);
      /* A generic function's dispatch (builtins/clos.c) passes the call on to the method
       * it found as a tail call, so that calling a generic function costs one frame. */
      if (r != TAIL_MARK) {
        th->calls = rec.up;
        return r;
      }
    } else {
      Lambda *lam = lambda_of(closure_of(fn)->lambda);
      /* Required parameters only: the arguments go straight into the slots, which is
       * also the copy a tail call needs. */
      bool copy = moved && lam->params != NIL;
      Value argv[copy && nargs ? nargs : 1];
      if (copy) {
        if (nargs) memcpy(argv, args, (size_t)nargs * sizeof(Value));
        args = argv;
      }
      Value slots[lam->nslots ? lam->nslots : 1];
      Frame frame = {slots, closure_of(fn)->env, fn};
      rec.args = moved && !copy ? slots : args;
      size_t dyn_top = th->dyn_top;
      if (lam->params == NIL) {
        if (nargs != lam->nreq) wrong_arg_count(th, fn, nargs);
        for (int i = 0; i < nargs; i++) slots[i] = args[i];
      } else {
        bind_params(th, lam, lam->params, &frame, nargs, args, NIL, false);
      }
      r = EXEC(th, lam->body, &frame);
      if (th->dyn_top != dyn_top) unwind_to(th, dyn_top); /* special parameters */
    }
    if (r != TAIL_MARK) {
      th->calls = rec.up;
      return r;
    }
    fn = th->tc_fn;
    nargs = th->tc_nargs;
    args = th->tc_args;
    rec.fn = fn;
    rec.nargs = nargs;
    check_interrupt(th);
  }
}

Value coerce_to_function(Thread *th, Value f) {
  if (is_function(f)) return f;
  if (is_symbol(f)) {
    Value fn = symbol_of(th, f)->function;
    if (is_function(fn)) return fn;
    if (is_type(fn, T_MACRO) || (symbol_of(th, f)->h.flags & SYM_SPECIAL_OP))
      lisp_error(th, SYM(undefined_function), "~S is a macro or special operator, not a function.", f);
    undefined_function_error(th, f);
  }
  if (is_cons(f) && CAR(f) == SYM(setf) && is_cons(CDR(f)) && is_symbol(CAR(CDR(f)))) {
    Value fn = symbol_of(th, CAR(CDR(f)))->setf_fn;
    if (is_function(fn)) return fn;
    undefined_function_error(th, f);
  }
  type_error_c(th, f, "(OR FUNCTION SYMBOL)");
}

Value call_function(Thread *th, Value fn, int nargs, Value *args) {
  if (!is_function(fn)) fn = coerce_to_function(th, fn);
  return invoke(th, fn, nargs, args);
}

Value funcall0(Thread *th, Value fn) { return call_function(th, fn, 0, NULL); }
Value funcall1(Thread *th, Value fn, Value a) { return call_function(th, fn, 1, &a); }
Value funcall2(Thread *th, Value fn, Value a, Value b) {
  Value v[2] = {a, b};
  return call_function(th, fn, 2, v);
}
Value funcall3(Thread *th, Value fn, Value a, Value b, Value c) {
  Value v[3] = {a, b, c};
  return call_function(th, fn, 3, v);
}

Value apply_list(Thread *th, Value fn, Value args) {
  intptr_t n = 0;
  for (Value l = args; is_cons(l); l = CDR(l)) n++;
  Value tail = args;
  for (intptr_t i = 0; i < n; i++) tail = CDR(tail);
  if (tail != NIL) type_error(th, args, SYM(list));
  if (n > CALL_ARGUMENTS_LIMIT)
    program_error(th, "Too many arguments (~D) in an application of ~S.", make_fixnum(n), fn);
  Value *v = n > 256 ? svec_of(make_svector(th, (size_t)n, NIL))->data : (Value *)alloca((size_t)(n ? n : 1) * sizeof(Value));
  intptr_t i = 0;
  for (Value l = args; is_cons(l); l = CDR(l)) v[i++] = CAR(l);
  return call_function(th, fn, (int)n, v);
}

Value values_n(Thread *th, int n, const Value *v) {
  if (n > MULTIPLE_VALUES_LIMIT) program_error(th, "Too many values (~D).", make_fixnum(n));
  if (n > 0 && v != th->vals) memmove(th->vals, v, (size_t)n * sizeof(Value));
  th->nvals = n;
  return n ? v[0] : NIL;
}

Value values2(Thread *th, Value a, Value b) {
  th->vals[0] = a;
  th->vals[1] = b;
  th->nvals = 2;
  return a;
}

Value values3(Thread *th, Value a, Value b, Value c) {
  th->vals[0] = a;
  th->vals[1] = b;
  th->vals[2] = c;
  th->nvals = 3;
  return a;
}

int collect_values(Thread *th, Value primary, Value *out, int max) {
  if (th->nvals == 1) {
    if (max > 0) out[0] = primary;
    return 1;
  }
  int n = th->nvals < max ? th->nvals : max;
  memcpy(out, th->vals, (size_t)n * sizeof(Value));
  return th->nvals;
}

Value function_name(Thread *th, Value fn) {
  UNUSED(th);
  if (is_type(fn, T_NATIVE)) return native_of(fn)->name;
  if (is_type(fn, T_CLOSURE)) return closure_of(fn)->name;
  return NIL;
}

Value eval_form(Thread *th, Value form) {
  Value closure = compile_toplevel(th, form);
  return invoke(th, closure, 0, NULL);
}

Value capture_backtrace(Thread *th) {
  th->last_location = current_load_location(th);
  Value names = NIL;
  int n = 0;
  for (CallRecord *r = th->calls; r && n < 200; r = r->up, n++) {
    if (is_type(r->fn, T_CLOSURE) && lambda_of(closure_of(r->fn)->lambda)->toplevel) continue;
    Value name = function_name(th, r->fn);
    names = cons(th, name == NIL ? r->fn : name, names);
  }
  return nreverse_list(names);
}
