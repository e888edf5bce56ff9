/* describe.c — DESCRIBE in the text of CCL's inspector (lib/describe.lisp: one "Label: value"
 * line per inspector line), and APROPOS / APROPOS-LIST as CCL's lib/apropos.lisp prints them. */
#include <float.h>
#include <math.h>
#include <stdlib.h>

#include "../interp/stream.h"
#include "clos.h"
#include "sockets.h"

/* ---- Small tools ---- */

/* (values): values_n copies from its array even for none, so never pass it NULL. */
static Value no_values(Thread *th) {
  Value none[1] = {NIL};
  return values_n(th, 0, none);
}

static Value cl_sym(Thread *th, const char *name) { return intern_c(th, name, th->vm->pkg_cl); }

/* Calls the Lisp function NAME (in CL) on the arguments. */
static Value cl_call(Thread *th, const char *name, int n, Value *args) {
  return call_function(th, cl_sym(th, name), n, args);
}
static Value cl_call1(Thread *th, const char *name, Value a) { return cl_call(th, name, 1, &a); }
static Value cl_call2(Thread *th, const char *name, Value a, Value b) {
  Value v[2] = {a, b};
  return cl_call(th, name, 2, v);
}

static Value format_nil(Thread *th, const char *control, Value arg) {
  return format_to_string(th, make_string_c(th, control), list1(th, arg));
}

/* ---- Lines ----
 * CCL's describe prints each inspector line as format-line-for-tty does: the label, ": "
 * unless the label already ends in a blank, then the value. The labels below are those
 * texts with the trailing colon and padding CCL's line-n-strings trims away. */

typedef struct Out {
  Thread *th;
  Value s;
} Out;

static void put(Out *o, const char *text) { stream_write_cstr(o->th, o->s, text); }
static void put_string(Out *o, Value str) { stream_write_string(o->th, o->s, str); }
static void nl(Out *o) { stream_write_char(o->th, o->s, '\n'); }
static void prin1(Out *o, Value v) { print_object(o->th, v, o->s, true); }
static void princ(Out *o, Value v) { print_object(o->th, v, o->s, false); }

static void label(Out *o, const char *text) {
  if (!text) return;
  put(o, text);
  put(o, ": ");
}

/* "Label: <prin1 value>" (no label: the value alone) */
static void line(Out *o, const char *lbl, Value v) {
  label(o, lbl);
  prin1(o, v);
  nl(o);
}

static void line_unbound(Out *o, const char *lbl) {
  label(o, lbl);
  put(o, "#<Unbound>");
  nl(o);
}

/* "Label: <FORMAT control applied to value>" */
static void line_format(Out *o, const char *lbl, const char *control, Value v) {
  label(o, lbl);
  put_string(o, format_nil(o->th, control, v));
  nl(o);
}

static void comment(Out *o, const char *text) {
  put(o, text);
  nl(o);
}

/* A line whose label is an object: PRINC'd (structures, lists) or PRIN1'd (slot names
 * of standard objects). */
static void line_obj_label(Out *o, Value lbl, bool prin1_label, Value v) {
  if (prin1_label)
    prin1(o, lbl);
  else
    princ(o, lbl);
  put(o, ": ");
  if (v == UNBOUND)
    put(o, "#<Unbound>");
  else
    prin1(o, v);
  nl(o);
}

/* basics-first-mixin: the object, its type and its class. */
static void basics(Out *o, Value x) {
  Thread *th = o->th;
  line(o, NULL, x);
  line(o, "Type", type_of(th, x));
  line(o, "Class", class_of(th, x));
}

/* ---- Numbers ---- */

/* (log x 2) as CCL prints it with ~D: negative numbers have complex logarithms, which
 * Clove has no type for, so the #C(...) is written here. */
static void put_log2(Out *o, Value x) {
  Thread *th = o->th;
  bool negative = number_compare(th, x, make_fixnum(0)) < 0;
  Value magnitude = negative ? number_sub(th, make_fixnum(0), x) : x;
  Value lg = cl_call2(th, "LOG", magnitude, make_fixnum(2));
  if (!negative) {
    princ(o, lg);
    return;
  }
  put(o, "#C(");
  princ(o, lg);
  put(o, " ");
  princ(o, float_from_double(th, M_PI / M_LN2, is_double(lg)));
  put(o, ")");
}

static void line_log2(Out *o, const char *lbl, Value x) {
  label(o, lbl);
  if (number_compare(o->th, x, make_fixnum(0)) == 0)
    put(o, "illegal");
  else
    put_log2(o, x);
  nl(o);
}

/* "Scientific: " of (float x): ~8,2e for negatives, ~7,2e otherwise. */
static void line_scientific(Out *o, const char *lbl, Value x) {
  Thread *th = o->th;
  double d = number_to_double(th, x);
  if (!is_float(x) && (isinf(d) || fabs(d) > FLT_MAX)) {
    label(o, lbl);
    put(o, "FLOATING-POINT-OVERFLOW");
    nl(o);
    return;
  }
  Value f = is_float(x) ? x : make_sfloat((float)d);
  line_format(o, lbl, d < 0 ? "~8,2e" : "~7,2e", f);
}

static const char *const day_names[] = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};
static const char *const month_names[] = {"",       "January",   "February", "March",    "April",
                                          "May",    "June",      "July",     "August",   "September",
                                          "October", "November", "December"};

/* CCL's universal-time-string: "H:MM:SS Weekday, D Month, YYYY" in local time. */
static void put_universal_time(Out *o, Value n) {
  Thread *th = o->th;
  if (!is_fixnum(n) || fixnum_val(n) < -((intptr_t)1 << 55) || fixnum_val(n) > ((intptr_t)1 << 55)) {
    put(o, "#<error>");
    return;
  }
  Value v[9];
  Value first = cl_call1(th, "DECODE-UNIVERSAL-TIME", n);
  int count = collect_values(th, first, v, 9);
  if (count < 7) {
    put(o, "#<error>");
    return;
  }
  put_string(o, format_to_string(th, make_string_c(th, "~d:~2,'0d:~2,'0d "), list3(th, v[2], v[1], v[0])));
  put(o, day_names[fixnum_val(v[6]) % 7]);
  put_string(o, format_nil(th, ", ~d ", v[3]));
  put(o, month_names[fixnum_val(v[4]) % 13]);
  put_string(o, format_nil(th, ", ~d", v[5]));
}

static void describe_integer(Out *o, Value n) {
  Thread *th = o->th;
  bool negative = number_compare(th, n, make_fixnum(0)) < 0;
  /* Negative numbers show their two's complement in a field of a multiple of 4 bits. */
  Value norm = n;
  if (negative) {
    intptr_t len = fixnum_val(cl_call1(th, "INTEGER-LENGTH", n));
    intptr_t x = len + 4, q = x / 4, r = x % 4;
    if (r > 2 || (r == 2 && (q & 1))) q++; /* ROUND: to even on a tie */
    intptr_t bits = 4 * q > 32 ? 4 * q : 32;
    norm = number_add(th, n, cl_call2(th, "EXPT", make_fixnum(2), make_fixnum(bits)));
  }
  line_format(o, is_fixnum(n) ? "Fixnum" : "Bignum", "~s", n);
  line_scientific(o, "Scientific", n);
  line_log2(o, "Log base 2", n);
  line_format(o, "Binary", negative ? "#b...~b" : "#b~b", norm);
  line_format(o, "Octal", negative ? "#o...~o" : "#o~o", norm);
  line_format(o, "Decimal", "~d.", n);
  line_format(o, "Hex", negative ? "#x...~x" : "#x~x", norm);
  if (is_fixnum(n) && fixnum_val(n) > 0 && fixnum_val(n) < 4000) line_format(o, "Roman", "~@r", n);
  if (is_fixnum(n) && fixnum_val(n) >= 0 && fixnum_val(n) <= 255)
    line(o, "Character", make_char((uint32_t)fixnum_val(n)));
  Value digits = prin1_to_string(th, n);
  size_t len = string_of(digits)->len;
  label(o, "Abbreviated");
  if (len < 7) {
    put_string(o, digits);
  } else {
    Value parts = list3(th, cl_call(th, "SUBSEQ", 3, (Value[]){digits, make_fixnum(0), make_fixnum(3)}),
                        make_integer(th, (intptr_t)len - 6),
                        cl_call2(th, "SUBSEQ", digits, make_integer(th, (intptr_t)len - 3)));
    put_string(o, format_to_string(th, make_string_c(th, "~a <- ~s digits -> ~a"), parts));
  }
  nl(o);
  label(o, "As time");
  put_universal_time(o, n);
  nl(o);
  put(o, negative ? "MOST-NEGATIVE-FIXNUM: " : "MOST-POSITIVE-FIXNUM: ");
  put_string(o, format_nil(th, "~d.", make_integer(th, negative ? FIXNUM_MIN : FIXNUM_MAX)));
  nl(o);
}

static void describe_ratio(Out *o, Value r) {
  Thread *th = o->th;
  line(o, "Ratio", r);
  line_scientific(o, "Scientific", r);
  line_log2(o, "Log base 2", r);
  line(o, "Nearest integer", cl_call1(th, "ROUND", r));
  line(o, "Numerator", ((Ratio *)r)->num);
  line(o, "Denominator", ((Ratio *)r)->den);
}

static void describe_float(Out *o, Value f) {
  Thread *th = o->th;
  line(o, "Float", f);
  line_scientific(o, "Scientific", f);
  line_log2(o, "Log base 2", f);
  double d = number_to_double(th, f);
  if (isfinite(d)) {
    line(o, "Ratio equiv", cl_call1(th, "RATIONALIZE", f));
    line(o, "Nearest integer", cl_call1(th, "ROUND", f));
  }
}

/* ---- Symbols ---- */

static bool symbol_boundp(Thread *th, Value sym) { return symbol_value_or(th, sym, UNBOUND) != UNBOUND; }

static bool type_specifier_symbol_p(Thread *th, Value sym) {
  static const char *const atomic[] = {
      "ATOM", "BOOLEAN", "KEYWORD", "BIT", "FIXNUM", "BIGNUM", "SIGNED-BYTE", "UNSIGNED-BYTE", "SHORT-FLOAT",
      "SINGLE-FLOAT", "DOUBLE-FLOAT", "LONG-FLOAT", "STANDARD-CHAR", "BASE-CHAR", "EXTENDED-CHAR",
      "SIMPLE-STRING", "BASE-STRING", "SIMPLE-BASE-STRING", "SIMPLE-VECTOR", "BIT-VECTOR",
      "SIMPLE-BIT-VECTOR", "SIMPLE-ARRAY", "COMPILED-FUNCTION", "NIL", "T", "MOD", "MEMBER", "SATISFIES",
      "EQL", "AND", "OR", "NOT", "VALUES", NULL};
  if (find_class(th, sym, false) != NIL) return true;
  bool expanded = false;
  expand_deftype(th, sym, &expanded);
  if (expanded) return true;
  Symbol *s = symbol_of(th, sym);
  if (s->package != th->vm->pkg_cl) return false;
  for (int i = 0; atomic[i]; i++)
    if (string_eq_c(s->name, atomic[i])) return true;
  return false;
}

/* CCL's symbol-type-line: what the symbol names, or NULL when it names nothing. */
static Value symbol_type_line(Thread *th, Value sym) {
  Symbol *s = symbol_of(th, sym);
  const char *parts[6];
  int n = 0;
  if (s->h.flags & SYM_CONSTANT)
    parts[n++] = "Constant";
  else if (s->h.flags & SYM_SPECIAL)
    parts[n++] = "Special Variable";
  else if (symbol_boundp(th, sym))
    parts[n++] = "Non-special Variable";
  if (s->h.flags & SYM_SPECIAL_OP)
    parts[n++] = "Special Operator";
  else if (is_type(s->function, T_MACRO))
    parts[n++] = "Macro";
  else if (s->function != UNBOUND)
    parts[n++] = "Function";
  if (type_specifier_symbol_p(th, sym)) parts[n++] = "Type Specifier";
  if (find_class(th, sym, false) != NIL) parts[n++] = "Class Name";
  if (n == 0) return NIL;
  char buf[160] = "";
  for (int i = 0; i < n; i++) {
    if (i) strcat(buf, ", ");
    strcat(buf, parts[i]);
  }
  return make_string_c(th, buf);
}

static bool symbol_fboundp(Thread *th, Value sym) {
  Symbol *s = symbol_of(th, sym);
  return s->function != UNBOUND || (s->h.flags & SYM_SPECIAL_OP);
}

static void describe_symbol(Out *o, Value sym) {
  Thread *th = o->th;
  Symbol *s = symbol_of(th, sym);
  basics(o, sym);
  Value kinds = symbol_type_line(th, sym);
  if (kinds != NIL) {
    put_string(o, kinds);
    nl(o);
  }
  Value pkg = s->package;
  if (pkg == NIL) {
    comment(o, "No home package.");
  } else {
    int status = 0;
    Value found = find_symbol(th, s->name, pkg, &status);
    if (status == 0 || found != sym)
      put(o, "NOT PRESENT in home package: ");
    else
      put(o, status == 2 ? "EXTERNAL in package: " : status == 1 ? "INTERNAL in package: " : "INHERITED in package: ");
    prin1(o, pkg);
    nl(o);
  }
  line(o, "Print name", s->name);
  Value value = symbol_value_or(th, sym, UNBOUND);
  if (value == UNBOUND)
    line_unbound(o, "Value");
  else
    line(o, "Value", value);
  bool fbound = symbol_fboundp(th, sym);
  if (!fbound)
    line_unbound(o, "Function");
  else if (is_type(s->function, T_MACRO))
    line(o, "Function", ((Macro *)s->function)->expander);
  else if (s->h.flags & SYM_SPECIAL_OP)
    line(o, "Function", sym);
  else
    line(o, "Function", s->function);
  if (fbound) {
    Value ll = NIL;
    if (s->function != UNBOUND) ll = funcall1(th, intern_c(th, "ARGLIST", th->vm->pkg_ccl), sym);
    th->nvals = 1;
    line(o, "Arglist", ll);
  }
  line(o, "Plist", s->plist);
  Value cls = find_class(th, sym, false);
  if (cls != NIL) line(o, "Class", cls);
}

/* ---- Functions ---- */

static void describe_function(Out *o, Value fn) {
  Thread *th = o->th;
  line(o, NULL, fn);
  line(o, "Name", function_name(th, fn));
  Value first = funcall1(th, intern_c(th, "ARGLIST", th->vm->pkg_ccl), fn);
  Value v[2] = {first, NIL};
  collect_values(th, first, v, 2);
  if (v[1] == NIL) {
    comment(o, "Arglist unknown");
  } else {
    /* CCL names where the lambda list came from: Clove's are all as declared. */
    const char *kind = "declaration";
    char buf[64];
    if (is_keyword(th, v[1])) {
      char *name = string_to_cstr(symbol_name(th, v[1]));
      snprintf(buf, sizeof buf, "%s", name);
      free(name);
      for (char *p = buf; *p; p++)
        if (*p >= 'A' && *p <= 'Z') *p = (char)(*p - 'A' + 'a');
      kind = buf;
    }
    put(o, "Arglist (");
    put(o, kind);
    put(o, "): ");
    prin1(o, v[0]);
    nl(o);
  }
  Value doc = cl_call2(th, "DOCUMENTATION", fn, SYM(t));
  if (is_any_string(doc)) {
    doc = cl_call(th, "SUBSTITUTE", 3, (Value[]){make_char(' '), make_char('\n'), doc});
    line(o, "Documentation", doc);
  }
  if (clos_generic_function_p(fn)) { /* gf-inspector: a line for the methods, then one per method */
    comment(o, "Methods:");
    for (Value l = funcall1(th, ccl_sym(th, "GENERIC-FUNCTION-METHODS"), fn); is_cons(l); l = CDR(l))
      line(o, NULL, CAR(l));
  }
}

/* ---- Lists and arrays ---- */

static void describe_list(Out *o, Value list) {
  Thread *th = o->th;
  basics(o, list);
  if (!is_list(CDR(list))) { /* cons-inspector */
    line(o, "Car", CAR(list));
    line(o, "Cdr", CDR(list));
    return;
  }
  /* Length, final cdr, or circularity (the length of the cycle's first pass). */
  intptr_t len = list_length(list);
  Value tail = NIL;
  bool circular = false;
  if (len < 0) {
    Value slow = list, fast = list;
    intptr_t n = 0;
    for (;;) {
      if (!is_cons(fast)) break;
      fast = CDR(fast);
      n++;
      if (!is_cons(fast)) break;
      fast = CDR(fast);
      n++;
      slow = CDR(slow);
      if (fast == slow) {
        circular = true;
        break;
      }
    }
    if (circular) {
      /* CCL counts up to where the cycle closes: the distinct conses. */
      Value seen = make_hash_table(th, HT_EQ, 64);
      len = 0;
      for (Value l = list; is_cons(l) && hash_get(th, seen, l, NIL) == NIL; l = CDR(l)) {
        hash_put(th, seen, l, SYM(t));
        len++;
      }
    } else {
      len = 0;
      Value l = list;
      for (; is_cons(l); l = CDR(l)) len++;
      tail = l;
    }
  }
  comment(o, tail != NIL ? "Dotted List" : circular ? "Circular List" : "Normal List");
  line(o, "Length", make_integer(th, len));
  Value l = list;
  for (intptr_t i = 0; i < len && is_cons(l); i++, l = CDR(l)) line_obj_label(o, make_integer(th, i), false, CAR(l));
  if (tail != NIL) {
    comment(o, "Non-nil final cdr");
    line_obj_label(o, make_sfloat((float)len - 0.5f), false, tail);
  }
}

static bool simple_vector_like(Value x) {
  return is_type(x, T_STRING) || is_type(x, T_SVECTOR) || is_type(x, T_OCTETS) || is_type(x, T_NUMVEC);
}

static void describe_vector_elements(Out *o, Value v, intptr_t n) {
  Thread *th = o->th;
  for (intptr_t i = 0; i < n; i++) {
    Value idx = make_integer(th, i);
    line_obj_label(o, idx, false, cl_call2(th, "AREF", v, idx));
  }
}

static void describe_array(Out *o, Value a) {
  Thread *th = o->th;
  basics(o, a);
  if (simple_vector_like(a)) {
    Value n = cl_call1(th, "LENGTH", a);
    line(o, "Length", n);
    describe_vector_elements(o, a, fixnum_val(n));
    return;
  }
  bool adjustable = cl_call1(th, "ADJUSTABLE-ARRAY-P", a) != NIL;
  line(o, adjustable ? "Adjustable, Element type" : "Element type", cl_call1(th, "ARRAY-ELEMENT-TYPE", a));
  Value rank = cl_call1(th, "ARRAY-RANK", a);
  if (fixnum_val(rank) == 1) {
    if (cl_call1(th, "ARRAY-HAS-FILL-POINTER-P", a) != NIL) {
      line(o, "Fill Pointer", cl_call1(th, "FILL-POINTER", a));
      line(o, "Physical size", cl_call1(th, "ARRAY-TOTAL-SIZE", a));
    } else {
      line(o, "Logical size", cl_call1(th, "LENGTH", a));
    }
    describe_vector_elements(o, a, fixnum_val(cl_call1(th, "LENGTH", a)));
    return;
  }
  line(o, "Rank", rank);
  Value dims = cl_call1(th, "ARRAY-DIMENSIONS", a);
  line(o, "Dimensions", dims);
  /* Elements labelled by their subscripts, in row-major order (CCL's array-indices). */
  intptr_t total = fixnum_val(cl_call1(th, "ARRAY-TOTAL-SIZE", a));
  intptr_t r = fixnum_val(rank);
  for (intptr_t i = 0; i < total; i++) {
    Value subs = NIL;
    intptr_t rest = i;
    for (intptr_t d = r - 1; d >= 0; d--) {
      intptr_t dim = fixnum_val(cl_call2(th, "ARRAY-DIMENSION", a, make_fixnum(d)));
      subs = cons(th, make_fixnum(rest % dim), subs);
      rest /= dim;
    }
    line_obj_label(o, subs, false, cl_call2(th, "ROW-MAJOR-AREF", a, make_integer(th, i)));
  }
}

/* ---- Packages, hash tables, streams ---- */

static void describe_package(Out *o, Value p) {
  Thread *th = o->th;
  Package *pk = package_of(p);
  basics(o, p);
  line(o, "Internal Symbols", make_integer(th, (intptr_t)hashtable_of(pk->internals)->count));
  line(o, "External Symbols", make_integer(th, (intptr_t)hashtable_of(pk->externals)->count));
  line(o, "PKG.USED", pk->use_list);
  line(o, "PKG.USED-BY", pk->used_by);
  line(o, "PKG.NAMES", cons(th, pk->name, pk->nicknames));
  line(o, "PKG.SHADOWED", pk->shadowing);
}

static void describe_hash_table(Out *o, Value h) {
  Thread *th = o->th;
  basics(o, h);
  line(o, "Test", cl_call1(th, "HASH-TABLE-TEST", h));
  line(o, "Count", cl_call1(th, "HASH-TABLE-COUNT", h));
  line(o, "Size", cl_call1(th, "HASH-TABLE-SIZE", h));
  line(o, "Rehash size", cl_call1(th, "HASH-TABLE-REHASH-SIZE", h));
  line(o, "Rehash threshold", cl_call1(th, "HASH-TABLE-REHASH-THRESHOLD", h));
  if (hashtable_of(h)->count == 0) return;
  comment(o, "Contents");
  size_t i = 0;
  Value k, v;
  while (hash_next(h, &i, &k, &v)) line_obj_label(o, k, true, v);
}

static void describe_stream(Out *o, Value s) {
  Thread *th = o->th;
  basics(o, s);
  bool in = stream_input_p(th, s), out = stream_output_p(th, s);
  line(o, "Direction", keyword_c(th, in && out ? "IO" : in ? "INPUT" : out ? "OUTPUT" : "PROBE"));
  line(o, "Element type", stream_element_type(th, s));
  line(o, "Open", BOOL(th, stream_open_p(th, s)));
  line(o, "Interactive", BOOL(th, stream_interactive_p(th, s)));
  Stream *st = stream_of(s);
  if (st->kind == SK_FD) {
    if (st->fd >= 0) line(o, "File descriptor", make_fixnum(st->fd));
    if (st->name != NIL) line(o, "Name", st->name);
  }
}

/* ---- Classes and instances ---- */


/* standard-object-inspector: the object, its class, then its slots by name. */
static void describe_class(Out *o, Value c) {
  Thread *th = o->th;
  Class *k = class_of_obj(c);
  line(o, NULL, c);
  line(o, "Class", class_of(th, c));
  comment(o, "Instance slots");
  line_obj_label(o, ccl_sym(th, "NAME"), true, k->name);
  line_obj_label(o, ccl_sym(th, "PRECEDENCE-LIST"), true, k->cpl);
  line_obj_label(o, ccl_sym(th, "DIRECT-SUPERCLASSES"), true, k->supers);
  line_obj_label(o, ccl_sym(th, "DIRECT-SUBCLASSES"), true, k->subclasses);
  line_obj_label(o, ccl_sym(th, "SLOTS"), true, k->slots);
}

static Value slot_name(Thread *th, Value slotdef) {
  if (is_symbol(slotdef)) return slotdef;
  for (Value p = slotdef; is_cons(p) && is_cons(CDR(p)); p = CDR(CDR(p)))
    if (CAR(p) == SYM(k_name)) return CAR(CDR(p));
  UNUSED(th);
  return NIL;
}

static void describe_instance(Out *o, Value x) {
  Thread *th = o->th;
  Instance *in = instance_of(x);
  Class *k = class_of_obj(in->klass);
  size_t n = is_type(in->slots, T_SVECTOR) ? svec_of(in->slots)->len : 0;
  if (k->h.flags == CK_STRUCTURE) { /* usual-basics-first-inspector on the slots */
    basics(o, x);
    size_t i = 0;
    for (Value l = k->slots; is_cons(l) && i < n; l = CDR(l), i++)
      line_obj_label(o, slot_name(th, CAR(l)), false, svec_of(in->slots)->data[i]);
    return;
  }
  if (k->h.flags != CK_STANDARD) {
    line(o, NULL, x);
    line(o, "Class", in->klass);
    if (n == 0 || k->slots == NIL) {
      comment(o, "No Slots");
      return;
    }
    comment(o, "Instance slots");
    size_t i = 0;
    for (Value l = k->slots; is_cons(l) && i < n; l = CDR(l), i++)
      line_obj_label(o, slot_name(th, CAR(l)), true, svec_of(in->slots)->data[i]);
    return;
  }
  /* standard-object-inspector: the class, its wrapper (here the layout), the local slots,
   * then the shared ones. */
  Value slots = clos_instance_slots(th, x);
  n = (size_t)fixnum_val(k->nslots);
  line(o, NULL, x);
  line(o, "Class", in->klass);
  char addr[40];
  snprintf(addr, sizeof addr, " #x%jX>", (uintmax_t)(svec_of(slots)->data[n] & ~(Value)TAG_MASK));
  put(o, "Wrapper: #<");
  prin1(o, ccl_sym(th, "CLASS-WRAPPER"));
  put(o, " ");
  prin1(o, k->name);
  put(o, addr);
  nl(o);
  for (int shared = 0; shared < 2; shared++) {
    bool first = true;
    size_t i = 0;
    for (Value l = k->slots; is_cons(l) && i < n; l = CDR(l), i++) {
      if (is_type(svec_of(slots)->data[i], T_BOX) != (shared == 1)) continue;
      if (first) comment(o, shared ? "Class slots" : "Instance slots");
      first = false;
      line_obj_label(o, slot_name(th, CAR(l)), true, clos_slot_entry(svec_of(slots)->data[i]));
    }
  }
  if (n == 0) comment(o, "No Slots");
}

/* ---- DESCRIBE ---- */

static void describe_object(Out *o, Value x) {
  Thread *th = o->th;
  if (is_symbol(x)) {
    describe_symbol(o, x);
  } else if (is_cons(x)) {
    describe_list(o, x);
  } else if (is_integer(x)) {
    describe_integer(o, x);
  } else if (is_ratio(x)) {
    describe_ratio(o, x);
  } else if (is_float(x)) {
    describe_float(o, x);
  } else if (is_char(x)) {
    line(o, "Character", x);
    line(o, "char-code", make_fixnum(char_code(x)));
  } else if (simple_vector_like(x) || is_type(x, T_ARRAY)) {
    describe_array(o, x);
  } else if (is_function(x)) {
    describe_function(o, x);
  } else if (is_type(x, T_PACKAGE)) {
    describe_package(o, x);
  } else if (is_type(x, T_HASHTABLE)) {
    describe_hash_table(o, x);
  } else if (is_stream(x)) {
    describe_stream(o, x);
    socket_describe(th, x, o->s);
  } else if (is_type(x, T_CLASS)) {
    describe_class(o, x);
  } else if (is_type(x, T_INSTANCE) && is_type(instance_of(x)->klass, T_CLASS)) {
    describe_instance(o, x);
  } else {
    basics(o, x); /* basic-inspector */
    if (!socket_describe(th, x, o->s)) process_describe(th, x, o->s);
  }
  UNUSED(th);
}

/* (ccl::%describe-object object stream): DESCRIBE-OBJECT's default method. */
static Value fn_describe_object(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  if (!is_stream(args[1])) type_error(th, args[1], SYM(stream));
  Out o = {th, args[1]};
  describe_object(&o, args[0]);
  return no_values(th);
}

static Value fn_describe(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value stream = arg_or(args[1], NIL);
  if (stream == NIL)
    stream = standard_output(th);
  else if (stream == SYM(t))
    stream = symbol_value(th, SYM(terminal_io));
  else if (!is_stream(stream))
    type_error(th, stream, SYM(stream));
  size_t top = th->dyn_top;
  bind_special(th, SYM(print_circle), SYM(t));
  bind_special(th, SYM(print_length), make_fixnum(20));
  bind_special(th, SYM(print_readably), NIL);
  /* Once CLOS has made DESCRIBE-OBJECT a generic function, DESCRIBE goes through it. */
  Value gf = symbol_of(th, cl_sym(th, "DESCRIBE-OBJECT"))->function;
  if (clos_generic_function_p(gf)) {
    funcall2(th, gf, args[0], stream);
  } else {
    Out o = {th, stream};
    describe_object(&o, args[0]);
  }
  unwind_to(th, top);
  return no_values(th);
}

/* ---- APROPOS ---- */

static uint32_t fold(uint32_t c) { return char_upcase_code(c); }

/* CCL's %apropos-substring-p without *apropos-case-sensitive-p*: case folded. */
static bool substring_p(const uint32_t *a, size_t alen, Value name) {
  size_t blen;
  const uint32_t *b = string_chars(name, &blen);
  if (alen == 0) return true;
  if (!b || blen < alen) return false;
  for (size_t i = 0; i + alen <= blen; i++) {
    size_t j = 0;
    while (j < alen && fold(a[j]) == fold(b[i + j])) j++;
    if (j == alen) return true;
  }
  return false;
}

typedef struct Search {
  const uint32_t *pat;
  size_t len;
  Value found; /* EQ hash table used as a set */
  bool external_only;
} Search;

static void search_table(Thread *th, Search *s, Value table) {
  size_t i = 0;
  Value name, sym;
  while (hash_next(table, &i, &name, &sym))
    if (substring_p(s->pat, s->len, name)) hash_put(th, s->found, sym, SYM(t));
}

/* The symbols accessible in package (DO-SYMBOLS), or present in any package. */
static void search_symbols(Thread *th, Search *s, Value package) {
  if (package != NIL) {
    Package *p = package_of(package);
    search_table(th, s, p->externals);
    if (s->external_only) return;
    search_table(th, s, p->internals);
    for (Value l = p->use_list; is_cons(l); l = CDR(l)) {
      size_t i = 0;
      Value name, sym;
      while (hash_next(package_of(CAR(l))->externals, &i, &name, &sym)) {
        if (!substring_p(s->pat, s->len, name)) continue;
        int status = 0;
        if (find_symbol(th, name, package, &status) == sym && status == 3) hash_put(th, s->found, sym, SYM(t));
      }
    }
    return;
  }
  for (Value l = th->vm->packages; is_cons(l); l = CDR(l)) {
    Package *p = package_of(CAR(l));
    search_table(th, s, p->externals);
    if (!s->external_only) search_table(th, s, p->internals);
  }
}

static Value apropos_package(Thread *th, Value designator) {
  if (designator == NIL) return NIL;
  if (is_type(designator, T_PACKAGE)) return designator;
  return funcall1(th, ccl_sym(th, "%FIND-PACKAGE-OR-LOSE"), designator);
}

static Value found_symbols(Thread *th, Value string, Value package, Value external_only) {
  Value str = cl_call1(th, "STRING", string);
  Value pkg = apropos_package(th, package);
  Search s;
  s.pat = string_chars(str, &s.len);
  s.found = make_hash_table(th, HT_EQ, 64);
  s.external_only = supplied(external_only) && external_only != NIL;
  search_symbols(th, &s, pkg);
  Value list = NIL;
  size_t i = 0;
  Value sym, v;
  while (hash_next(s.found, &i, &sym, &v)) list = cons(th, sym, list);
  return list;
}

/* string-lessp: case-folded comparison, shorter prefix first. */
static int compare_folded(Value a, Value b) {
  size_t la, lb;
  const uint32_t *x = string_chars(a, &la), *y = string_chars(b, &lb);
  for (size_t i = 0; i < la && i < lb; i++) {
    uint32_t p = fold(x[i]), q = fold(y[i]);
    if (p != q) return p < q ? -1 : 1;
  }
  return la < lb ? -1 : la > lb ? 1 : 0;
}

static int compare_exact(Value a, Value b) {
  size_t la, lb;
  const uint32_t *x = string_chars(a, &la), *y = string_chars(b, &lb);
  for (size_t i = 0; i < la && i < lb; i++)
    if (x[i] != y[i]) return x[i] < y[i] ? -1 : 1;
  return la < lb ? -1 : la > lb ? 1 : 0;
}

/* Entries are SVectors #(symbol sort-key printed-name display-offset). */
static int compare_entries(const void *pa, const void *pb) {
  Value a = *(const Value *)pa, b = *(const Value *)pb;
  SVector *x = svec_of(a), *y = svec_of(b);
  int c = compare_folded(x->data[1], y->data[1]);
  if (c == 0) c = compare_exact(x->data[2], y->data[2]);
  return c;
}

static int compare_names(const void *pa, const void *pb) {
  Value a = *(const Value *)pa, b = *(const Value *)pb;
  Value na = is_cons(a) ? CAR(a) : a, nb = is_cons(b) ? CAR(b) : b;
  int c = compare_folded(na, nb);
  return c ? c : compare_exact(na, nb);
}

/* find-sym-alpha-part: the printed name from just after its last colon, skipping
 * leading non-letters; that is where the names line up and how they sort. */
static size_t alpha_offset(Value printed) {
  size_t len;
  const uint32_t *c = string_chars(printed, &len);
  size_t start = 0;
  for (size_t i = len; i > 0; i--)
    if (c[i - 1] == ':') {
      start = i;
      break;
    }
  size_t k = start;
  while (k < len && !char_alpha_code_p(c[k])) k++;
  return k;
}

static void apropos_line(Thread *th, Value out, Value entry, size_t indent) {
  SVector *e = svec_of(entry);
  Value sym = e->data[0];
  size_t offset = (size_t)fixnum_val(e->data[3]);
  for (size_t i = offset; i < indent; i++) stream_write_char(th, out, ' ');
  stream_write_string(th, out, e->data[2]);
  Symbol *s = symbol_of(th, sym);
  if (is_function(s->function)) {
    stream_write_cstr(th, out, ", Def: ");
    print_object(th, type_of(th, s->function), out, true);
  } else if (is_type(s->function, T_MACRO)) {
    stream_write_cstr(th, out, ", Def: MACRO ");
    print_object(th, type_of(th, ((Macro *)s->function)->expander), out, true);
  } else if (s->h.flags & SYM_SPECIAL_OP) {
    stream_write_cstr(th, out, ", Special form");
  }
  Value value = symbol_value_or(th, sym, UNBOUND);
  if (value != UNBOUND) {
    stream_write_cstr(th, out, ",  Value: ");
    print_object(th, value, out, true);
  }
  Value cls = find_class(th, sym, false);
  if (cls != NIL) {
    stream_write_cstr(th, out, ", Class: ");
    print_object(th, cls, out, true);
  }
  stream_write_char(th, out, '\n');
}

static Value fn_apropos(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value list = found_symbols(th, args[0], arg_or(args[1], NIL), args[2]);
  size_t n = (size_t)list_length(list);
  Value entries = make_svector(th, n, NIL);
  size_t indent = 0, i = 0;
  for (Value l = list; is_cons(l); l = CDR(l), i++) {
    Value printed = prin1_to_string(th, CAR(l));
    size_t offset = alpha_offset(printed);
    if (offset > indent) indent = offset;
    Value key = cl_call2(th, "SUBSEQ", printed, make_integer(th, (intptr_t)offset));
    Value e = make_svector(th, 4, NIL);
    svec_of(e)->data[0] = CAR(l);
    svec_of(e)->data[1] = key;
    svec_of(e)->data[2] = printed;
    svec_of(e)->data[3] = make_integer(th, (intptr_t)offset);
    svec_of(entries)->data[i] = e;
  }
  /* The comparators read strings only: nothing allocates while qsort runs. */
  qsort(svec_of(entries)->data, n, sizeof(Value), compare_entries);
  Value out = standard_output(th);
  for (i = 0; i < n; i++) apropos_line(th, out, svec_of(entries)->data[i], indent);
  return no_values(th);
}

static Value fn_apropos_list(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value list = found_symbols(th, args[0], arg_or(args[1], NIL), args[2]);
  size_t n = (size_t)list_length(list);
  Value pairs = make_svector(th, n, NIL);
  size_t i = 0;
  for (Value l = list; is_cons(l); l = CDR(l), i++)
    svec_of(pairs)->data[i] = cons(th, symbol_name(th, CAR(l)), CAR(l));
  qsort(svec_of(pairs)->data, n, sizeof(Value), compare_names);
  Value result = NIL;
  for (i = n; i > 0; i--) result = cons(th, CDR(svec_of(pairs)->data[i - 1]), result);
  return result;
}

static const NativeDesc describe_natives[] = {
    {"DESCRIBE", fn_describe, 1, 2, NAT_MV, NULL, "(object &optional stream)",
     "Print a description of the object X."},
    {"CCL::%DESCRIBE-OBJECT", fn_describe_object, 2, 2, NAT_MV, NULL, "(object stream)",
     "DESCRIBE's description of OBJECT, written to STREAM (DESCRIBE-OBJECT's default method)."},
    {"APROPOS", fn_apropos, 1, 3, NAT_MV, NULL, "(string &optional package external-only)",
     "Briefly describe all symbols which contain the specified STRING. If PACKAGE is supplied then only "
     "describe symbols accessible in that package. If EXTERNAL-ONLY then only describe external symbols."},
    {"APROPOS-LIST", fn_apropos_list, 1, 3, 0, NULL, "(string &optional package external-only)",
     "Like APROPOS, except that it returns a list of the symbols found instead of describing them."},
    {0},
};

void builtins_describe_init(Thread *th) { define_natives(th, describe_natives); }
