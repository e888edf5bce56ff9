/* backquote.c — expansion of (SYS::BACKQUOTE template) into list-building code:
 * Steele's algorithm (CLtL2 appendix C) with its simplifier; nested backquotes per CLHS 2.4.6. */
#include "lisp.h"

/* The intermediate code uses fresh uninterned operators so that the simplifier
 * only ever rewrites calls it generated itself, never the user's own LIST or APPEND. */
typedef struct Bq {
  Thread *th;
  Value list, append, list_star, nconc, clobberable, quote;
} Bq;

static Value token(Thread *th, const char *name) { return make_symbol(th, make_string_c(th, name)); }

static Value cl_sym(Thread *th, const char *name) { return intern_c(th, name, th->vm->pkg_cl); }

static bool op_is(Value x, Value op) { return is_cons(x) && CAR(x) == op; }
static Value second(Value x) { return is_cons(x) && is_cons(CDR(x)) ? CAR(CDR(x)) : NIL; }

static Value reverse_list(Thread *th, Value l) {
  Value r = NIL;
  for (; is_cons(l); l = CDR(l))
    r = cons(th, CAR(l), r);
  return r;
}

/* (append x y) for the quoted constants the simplifier folds: x's conses are copied;
 * a dotted or atomic x keeps its tail when y is empty ('(a . b) folds to itself). */
static Value append2(Thread *th, Value x, Value y) {
  if (!is_cons(x))
    return y == NIL ? x : y;
  Value head = NIL, tail = NIL;
  for (; is_cons(x); x = CDR(x)) {
    Value c = cons(th, CAR(x), NIL);
    if (head == NIL)
      head = c;
    else
      CDR(tail) = c;
    tail = c;
  }
  CDR(tail) = (y == NIL) ? x : y;
  return head;
}

static Value bq_completely_process(Bq *b, Value x);

static bool has_comma(Bq *b, Value x) {
  Thread *th = b->th;
  for (; is_cons(x); x = CDR(x)) {
    Value a = CAR(x);
    if (a == SYM(comma) || a == SYM(comma_at) || a == SYM(comma_dot) || a == SYM(backquote))
      return true;
    if ((is_cons(a) || is_type(a, T_SVECTOR)) && has_comma(b, a))
      return true;
  }
  if (is_type(x, T_SVECTOR)) {
    SVector *v = svec_of(x);
    for (size_t i = 0; i < v->len; i++)
      if ((is_cons(v->data[i]) || is_type(v->data[i], T_SVECTOR)) && has_comma(b, v->data[i]))
        return true;
  }
  return false;
}

static Value vector_to_list(Thread *th, Value v) {
  SVector *sv = svec_of(v);
  return list_from_array(th, (int)sv->len, sv->data);
}

static Value bq_process(Bq *b, Value x);

static Value bracket(Bq *b, Value x) {
  Thread *th = b->th;
  if (!is_cons(x))
    return list2(th, b->list, bq_process(b, x));
  if (CAR(x) == SYM(comma))
    return list2(th, b->list, second(x));
  if (CAR(x) == SYM(comma_at))
    return second(x);
  if (CAR(x) == SYM(comma_dot))
    return list2(th, b->clobberable, second(x));
  return list2(th, b->list, bq_process(b, x));
}

static Value bq_process(Bq *b, Value x) {
  Thread *th = b->th;
  if (!is_cons(x)) {
    if (is_type(x, T_SVECTOR) && has_comma(b, x)) {
      Value code = bq_completely_process(b, vector_to_list(th, x));
      return list3(th, cl_sym(th, "APPLY"), list2(th, SYM(function), SYM(vector)), code);
    }
    return list2(th, b->quote, x);
  }
  if (CAR(x) == SYM(backquote))
    return bq_process(b, bq_completely_process(b, second(x)));
  if (CAR(x) == SYM(comma))
    return second(x);
  if (CAR(x) == SYM(comma_at))
    simple_error(th, ",@~S after `", second(x));
  if (CAR(x) == SYM(comma_dot))
    simple_error(th, ",.~S after `", second(x));
  Value q = NIL, p = x;
  for (; is_cons(p); p = CDR(p)) {
    if (CAR(p) == SYM(comma)) {
      if (!is_cons(CDR(p)) || CDR(CDR(p)) != NIL)
        simple_error(th, "Malformed ,~S", p);
      return cons(th, b->append, nreverse_list(cons(th, second(p), q)));
    }
    if (CAR(p) == SYM(comma_at))
      simple_error(th, "Dotted ,@~S", p);
    if (CAR(p) == SYM(comma_dot))
      simple_error(th, "Dotted ,.~S", p);
    q = cons(th, bracket(b, CAR(p)), q);
  }
  return cons(th, b->append, nreverse_list(cons(th, list2(th, b->quote, p), q)));
}

/* ---- Simplifier ---- */

typedef Value (*TreeFn)(Bq *b, Value x);

/* MAPCAR over a possibly dotted list that shares the original where nothing changed. */
static Value maptree(Bq *b, TreeFn fn, Value x) {
  if (!is_cons(x))
    return fn(b, x);
  Value a = fn(b, CAR(x));
  Value d = maptree(b, fn, CDR(x));
  if (a == CAR(x) && d == CDR(x))
    return x;
  return cons(b->th, a, d);
}

static bool splicing_frob(Bq *b, Value x) {
  Thread *th = b->th;
  return is_cons(x) && (CAR(x) == SYM(comma_at) || CAR(x) == SYM(comma_dot));
}

static bool frob(Bq *b, Value x) {
  Thread *th = b->th;
  return is_cons(x) && (CAR(x) == SYM(comma) || CAR(x) == SYM(comma_at) || CAR(x) == SYM(comma_dot));
}

static bool any_splicing(Bq *b, Value l) {
  for (; is_cons(l); l = CDR(l))
    if (splicing_frob(b, CAR(l)))
      return true;
  return false;
}

static bool null_or_quoted(Bq *b, Value x) { return x == NIL || op_is(x, b->quote); }

static bool is_quote_nil(Bq *b, Value x) {
  return op_is(x, b->quote) && is_cons(CDR(x)) && CAR(CDR(x)) == NIL && CDR(CDR(x)) == NIL;
}

static Value attach_append(Bq *b, Value op, Value item, Value result) {
  Thread *th = b->th;
  if (null_or_quoted(b, item) && null_or_quoted(b, result))
    return list2(th, b->quote, append2(th, second(item), second(result)));
  if (result == NIL || is_quote_nil(b, result))
    return splicing_frob(b, item) ? list2(th, op, item) : item;
  if (op_is(result, op))
    return cons(th, CAR(result), cons(th, item, CDR(result)));
  return list3(th, op, item, result);
}

static Value attach_conses(Bq *b, Value items, Value result) {
  Thread *th = b->th;
  bool all_quoted = null_or_quoted(b, result);
  for (Value l = items; all_quoted && is_cons(l); l = CDR(l))
    all_quoted = null_or_quoted(b, CAR(l));
  if (all_quoted) {
    Value consts = NIL;
    for (Value l = items; is_cons(l); l = CDR(l))
      consts = cons(th, second(CAR(l)), consts);
    return list2(th, b->quote, append2(th, nreverse_list(consts), second(result)));
  }
  if (result == NIL || is_quote_nil(b, result))
    return cons(th, b->list, items);
  if (op_is(result, b->list) || op_is(result, b->list_star))
    return cons(th, CAR(result), append2(th, items, CDR(result)));
  return cons(th, b->list_star, append2(th, items, list1(th, result)));
}

static Value butlast(Thread *th, Value l) {
  Value r = NIL;
  for (; is_cons(l) && is_cons(CDR(l)); l = CDR(l))
    r = cons(th, CAR(l), r);
  return nreverse_list(r);
}

static Value last_elt(Value l) {
  while (is_cons(l) && is_cons(CDR(l)))
    l = CDR(l);
  return is_cons(l) ? CAR(l) : NIL;
}

static Value simplify_args(Bq *b, Value x) {
  Thread *th = b->th;
  Value result = NIL;
  for (Value args = reverse_list(th, CDR(x)); is_cons(args); args = CDR(args)) {
    Value arg = CAR(args);
    if (!is_cons(arg)) {
      result = attach_append(b, b->append, arg, result);
    } else if (CAR(arg) == b->list && !any_splicing(b, CDR(arg))) {
      result = attach_conses(b, CDR(arg), result);
    } else if (CAR(arg) == b->list_star && !any_splicing(b, CDR(arg))) {
      result =
          attach_conses(b, butlast(th, CDR(arg)), attach_append(b, b->append, last_elt(CDR(arg)), result));
    } else if (CAR(arg) == b->quote && is_cons(second(arg)) && !frob(b, second(arg)) &&
               CDR(second(arg)) == NIL) {
      result = attach_conses(b, list1(th, list2(th, b->quote, CAR(second(arg)))), result);
    } else if (CAR(arg) == b->clobberable) {
      result = attach_append(b, b->nconc, second(arg), result);
    } else {
      result = attach_append(b, b->append, arg, result);
    }
  }
  return result;
}

static Value simplify(Bq *b, Value x) {
  if (!is_cons(x))
    return x;
  if (CAR(x) != b->quote)
    x = maptree(b, simplify, x);
  if (CAR(x) != b->append)
    return x;
  return simplify_args(b, x);
}

static Value remove_tokens(Bq *b, Value x) {
  Thread *th = b->th;
  if (x == b->list)
    return SYM(list);
  if (x == b->append)
    return cl_sym(th, "APPEND");
  if (x == b->nconc)
    return cl_sym(th, "NCONC");
  if (x == b->list_star)
    return cl_sym(th, "LIST*");
  if (x == b->quote)
    return SYM(quote);
  if (!is_cons(x))
    return x;
  if (CAR(x) == b->clobberable)
    return remove_tokens(b, second(x));
  if (CAR(x) == b->list_star && is_cons(CDR(x)) && is_cons(CDR(CDR(x))) && CDR(CDR(CDR(x))) == NIL)
    return cons(th, SYM(cons), maptree(b, remove_tokens, CDR(x)));
  return maptree(b, remove_tokens, x);
}

static Value bq_completely_process(Bq *b, Value x) { return remove_tokens(b, simplify(b, bq_process(b, x))); }

Value backquote_expand(Thread *th, Value form) {
  if (!op_is(form, SYM(backquote)) || !is_cons(CDR(form)) || CDR(CDR(form)) != NIL)
    simple_error(th, "Malformed backquote form ~S", form);
  Bq b = {th,
          token(th, "BQ-LIST"),
          token(th, "BQ-APPEND"),
          token(th, "BQ-LIST*"),
          token(th, "BQ-NCONC"),
          token(th, "BQ-CLOBBERABLE"),
          token(th, "BQ-QUOTE")};
  return bq_completely_process(&b, CAR(CDR(form)));
}
