/* printer_objects.c — printing what is neither number, character, symbol, string nor list:
 * arrays, structures, instances, functions, packages, hash tables, streams, classes, #<...>. */
#include "printer_impl.h"
#include "types_internal.h"

/* A symbol of COMMON-LISP by name (all of CL's symbols are external). */
static Value cl_symbol(Thread *th, const char *name) {
  Value sym = intern_c(th, name, th->vm->pkg_cl);
  export_symbol(th, sym, th->vm->pkg_cl);
  return sym;
}

/* ---- Arrays ---- */

/* The simple vector holding an array's elements, and where the array starts in it. */
static Value array_base(Value v, size_t *offset) {
  *offset = 0;
  while (is_type(v, T_ARRAY)) {
    *offset += array_of(v)->offset;
    v = array_of(v)->data;
  }
  return v;
}

static bool is_bit_numvec(Value v) { return is_type(v, T_NUMVEC) && obj_of(v)->flags == NV_BIT; }

bool pr_is_string(Value v) {
  if (is_type(v, T_STRING))
    return true;
  if (!is_type(v, T_ARRAY) || array_of(v)->rank != 1)
    return false;
  size_t off;
  return is_type(array_base(v, &off), T_STRING);
}

bool pr_is_bit_vector(Value v) {
  if (is_bit_numvec(v))
    return true;
  if (!is_type(v, T_ARRAY) || array_of(v)->rank != 1)
    return false;
  size_t off;
  return is_bit_numvec(array_base(v, &off));
}

static Value vec_ref(Thread *th, Value simple, size_t i) {
  switch (obj_of(simple)->type) {
  case T_SVECTOR:
    return svec_of(simple)->data[i];
  case T_STRING:
    return make_char(string_of(simple)->data[i]);
  case T_OCTETS:
    return make_fixnum(octets_of(simple)->data[i]);
  case T_NUMVEC: {
    const NumVec *nv = (const NumVec *)simple;
    const uint8_t *d = (const uint8_t *)nv->data;
#define ELT(type)                                                                                            \
  type x;                                                                                                    \
  memcpy(&x, d + i * sizeof x, sizeof x)
    switch ((enum NumVecType)nv->h.flags) {
    case NV_SB8: {
      ELT(int8_t);
      return make_fixnum(x);
    }
    case NV_SB16: {
      ELT(int16_t);
      return make_fixnum(x);
    }
    case NV_UB16: {
      ELT(uint16_t);
      return make_fixnum(x);
    }
    case NV_SB32: {
      ELT(int32_t);
      return make_fixnum(x);
    }
    case NV_UB32: {
      ELT(uint32_t);
      return make_fixnum(x);
    }
    case NV_SB64: {
      ELT(int64_t);
      return make_integer(th, (intptr_t)x);
    }
    case NV_UB64: {
      ELT(uint64_t);
      return make_integer_u64(th, x);
    }
    case NV_SFLOAT: {
      ELT(float);
      return make_sfloat(x);
    }
    case NV_DFLOAT: {
      ELT(double);
      return make_double(th, x);
    }
    case NV_BIT:
      return make_fixnum((nv->data[i / 64] >> (i % 64)) & 1);
    }
#undef ELT
    return NIL;
  }
  default:
    return NIL;
  }
}

static Value element_type(Thread *th, Value simple) {
  switch (obj_of(simple)->type) {
  case T_STRING:
    return SYM(character);
  case T_OCTETS:
    return list2(th, SYM(unsigned_byte), make_fixnum(8));
  case T_NUMVEC:
    switch ((enum NumVecType)obj_of(simple)->flags) {
    case NV_SB8:
      return list2(th, SYM(signed_byte), make_fixnum(8));
    case NV_SB16:
      return list2(th, SYM(signed_byte), make_fixnum(16));
    case NV_UB16:
      return list2(th, SYM(unsigned_byte), make_fixnum(16));
    case NV_SB32:
      return list2(th, SYM(signed_byte), make_fixnum(32));
    case NV_UB32:
      return list2(th, SYM(unsigned_byte), make_fixnum(32));
    case NV_SB64:
      return list2(th, SYM(signed_byte), make_fixnum(64));
    case NV_UB64:
      return list2(th, SYM(unsigned_byte), make_fixnum(64));
    case NV_SFLOAT:
      return SYM(single_float);
    case NV_DFLOAT:
      return SYM(double_float);
    case NV_BIT:
      return SYM(bit);
    }
    return SYM(t);
  default:
    return SYM(t);
  }
}

static size_t simple_length(Value simple) {
  switch (obj_of(simple)->type) {
  case T_SVECTOR:
    return svec_of(simple)->len;
  case T_STRING:
    return string_of(simple)->len;
  case T_OCTETS:
    return octets_of(simple)->len;
  case T_NUMVEC:
    return ((NumVec *)simple)->len;
  default:
    return 0;
  }
}

typedef struct ArrayView {
  Value data; /* simple vector of the elements */
  size_t offset;
  size_t length; /* active length of a vector */
  size_t total;
  uint32_t rank;
  const size_t *dims;
  bool simple, fill_pointer, adjustable, displaced;
} ArrayView;

static void array_view(Value v, ArrayView *a) {
  if (is_type(v, T_ARRAY)) {
    Array *arr = array_of(v);
    a->data = array_base(v, &a->offset);
    a->rank = arr->rank;
    a->dims = arr->dims;
    a->total = arr->total;
    a->length = (arr->h.flags & ARR_FILL_POINTER) ? arr->fill : arr->total;
    a->fill_pointer = arr->h.flags & ARR_FILL_POINTER;
    a->adjustable = arr->h.flags & ARR_ADJUSTABLE;
    a->displaced = arr->h.flags & ARR_DISPLACED;
    a->simple = !(a->fill_pointer || a->adjustable || a->displaced);
  } else {
    a->data = v;
    a->offset = 0;
    a->rank = 1;
    a->total = a->length = simple_length(v);
    a->dims = &a->total;
    a->fill_pointer = a->adjustable = a->displaced = false;
    a->simple = true;
  }
}

/* CCL's array-readably-printable-p: element type T, and no zero dimension before a non-zero one. */
static bool readably_printable(const ArrayView *a) {
  if (!is_type(a->data, T_SVECTOR))
    return false;
  bool zero_seen = false;
  for (uint32_t i = 0; i < a->rank; i++) {
    if (a->dims[i] == 0)
      zero_seen = true;
    else if (zero_seen)
      return false;
  }
  return true;
}

static void pr_bits(Printer *p, const ArrayView *a, size_t start, size_t n) {
  const NumVec *nv = (const NumVec *)a->data;
  pr_cstr(p, "#*");
  for (size_t i = start; i < start + n; i++)
    pr_char(p, ((nv->data[i / 64] >> (i % 64)) & 1) ? '1' : '0');
}

static void pr_array_unreadable(Printer *p, Value obj, const ArrayView *a, intptr_t level) {
  Thread *th = p->th;
  bool simple_vector = is_type(obj, T_SVECTOR);
  bool string = is_type(a->data, T_STRING) && a->rank == 1;
  bool bits = is_bit_numvec(a->data) && a->rank == 1;
  pr_unreadable_start(p, obj);
  if (a->rank == 1) {
    Value type = simple_vector ? SYM(simple_vector)
                 : string      ? (a->simple ? SYM(simple_string) : SYM(string))
                 : bits        ? (a->simple ? cl_symbol(th, "SIMPLE-BIT-VECTOR") : SYM(bit_vector))
                               : SYM(vector);
    pr_symbol(p, type);
    pr_char(p, ' ');
    pr_decimal(p, a->total);
    if (a->fill_pointer) {
      pr_cstr(p, " fill-pointer");
      if (a->length != a->total) {
        pr_char(p, ' ');
        pr_decimal(p, a->length);
      }
    }
  } else {
    pr_symbol(p, SYM(array));
    pr_char(p, ' ');
    if (a->rank == 0)
      pr_cstr(p, "0-dimensional");
    for (uint32_t i = 0; i < a->rank; i++) {
      if (i)
        pr_char(p, 'x');
      pr_decimal(p, a->dims[i]);
    }
  }
  Value type = element_type(th, a->data);
  if (!(simple_vector || string || bits || type == SYM(t))) {
    pr_cstr(p, " type ");
    pr_object(p, type, level);
  }
  if (a->simple) {
    if (!(simple_vector || string || bits))
      pr_cstr(p, ", simple");
  } else if (a->adjustable) {
    pr_cstr(p, ", adjustable");
  } else if (a->displaced) {
    pr_cstr(p, ", displaced");
  }
  pr_char(p, '>');
}

/* CCL's write-array-elements-1: one dimension of #nA(...), in row-major order. */
static void pr_array_elements(Printer *p, const ArrayView *a, size_t offset, const size_t *dims,
                              uint32_t ndims, intptr_t level) {
  Thread *th = p->th;
  intptr_t level1 = level - 1;
  size_t limit = dims[0];
  if (ndims == 1 && level1 > 0) {
    if (is_bit_numvec(a->data)) {
      pr_bits(p, a, offset, limit);
      return;
    }
    if (is_type(a->data, T_STRING) && (intptr_t)limit <= p->length) {
      if (p->escape || p->readably)
        pr_escaped_chars(p, string_of(a->data)->data + offset, limit, '"');
      else
        pr_chars(p, string_of(a->data)->data + offset, limit);
      return;
    }
  }
  size_t step = 1;
  for (uint32_t d = 1; d < ndims; d++)
    step *= dims[d];
  pr_char(p, '(');
  for (size_t i = 0; i < limit; i++) {
    if ((intptr_t)i == p->length) {
      pr_cstr(p, i == 0 ? "..." : " ...");
      break;
    }
    if (i)
      pr_char(p, ' ');
    size_t o = offset + i * step;
    if (ndims == 1)
      pr_object(p, vec_ref(th, a->data, o), level1);
    else if (level1 == 0)
      pr_char(p, '#');
    else
      pr_array_elements(p, a, o, dims + 1, ndims - 1, level1);
  }
  pr_char(p, ')');
}

/* CCL's write-an-array, strings excepted (printer.c prints those). */
static void pr_array(Printer *p, Value obj, intptr_t level) {
  Thread *th = p->th;
  ArrayView a;
  array_view(obj, &a);
  if (a.rank == 1 && is_bit_numvec(a.data) && p->array) {
    pr_bits(p, &a, a.offset, a.length);
    return;
  }
  if (p->readably && !readably_printable(&a)) {
    pr_array_unreadable(p, obj, &a, level);
    return;
  }
  if (a.rank == 1) {
    if (!p->array) {
      pr_array_unreadable(p, obj, &a, level);
      return;
    }
    pr_cstr(p, "#(");
    for (size_t i = 0; i < a.length; i++) {
      if ((intptr_t)i == p->length) {
        if (i)
          pr_char(p, ' ');
        pr_cstr(p, "...");
        break;
      }
      if (i)
        pr_char(p, ' ');
      pr_object(p, vec_ref(th, a.data, a.offset + i), level - 1);
      check_interrupt(th);
    }
    pr_char(p, ')');
    return;
  }
  if (!p->array || a.fill_pointer) {
    pr_array_unreadable(p, obj, &a, level);
    return;
  }
  pr_char(p, '#');
  pr_decimal(p, a.rank);
  pr_char(p, 'A');
  if (a.rank == 0)
    pr_object(p, vec_ref(th, a.data, a.offset), level - 1);
  else
    pr_array_elements(p, &a, a.offset, a.dims, a.rank, level);
}

/* ---- Plists ---- */

Value pr_plist_get(Value plist, Value key, Value dflt) {
  while (is_cons(plist) && is_cons(CDR(plist))) {
    if (CAR(plist) == key)
      return CAR(CDR(plist));
    plist = CDR(CDR(plist));
  }
  return dflt;
}

/* A keyword-named entry, compared by name so that looking it up interns nothing. */
static Value plist_get_named(Thread *th, Value plist, const char *name) {
  while (is_cons(plist) && is_cons(CDR(plist))) {
    Value k = CAR(plist);
    if (k != NIL && is_type(k, T_SYMBOL) && sym_raw(k)->package == th->vm->pkg_keyword &&
        string_eq_c(sym_raw(k)->name, name))
      return CAR(CDR(plist));
    plist = CDR(CDR(plist));
  }
  return NIL;
}

/* ---- Structures and instances ---- */

/* Once stdlib/clos.lisp has made PRINT-OBJECT a generic function, structures, conditions,
 * socket objects and streams print through it, so that a program's methods on their
 * classes apply; its default method binds CCL::*PRINT-OBJECT-BYPASS* to the object and
 * writes it again, and then the printer below does the work. */
static bool pr_via_print_object(Printer *p, Value obj) {
  Thread *th = p->th;
  Value gf = symbol_of(th, cl_symbol(th, "PRINT-OBJECT"))->function;
  if (!is_type(gf, T_NATIVE) || !(native_of(gf)->desc->flags & NAT_FUNCALLABLE)) return false;
  if (symbol_value_or(th, intern_c(th, "*PRINT-OBJECT-BYPASS*", th->vm->pkg_ccl), NIL) == obj) return false;
  pr_flush(p);
  funcall2(th, gf, obj, p->stream);
  return true;
}

/* A :print-function or :print-object of the structure class or of one it includes. */
static Value structure_printer(Thread *th, Value klass, const char *which) {
  Value cpl = class_of_obj(klass)->cpl;
  if (!is_cons(cpl))
    return plist_get_named(th, class_of_obj(klass)->plist, which);
  for (; is_cons(cpl); cpl = CDR(cpl)) {
    if (!is_type(CAR(cpl), T_CLASS))
      continue;
    Value f = plist_get_named(th, class_of_obj(CAR(cpl))->plist, which);
    if (f != NIL)
      return f;
  }
  return NIL;
}

static void pr_structure(Printer *p, Value obj, intptr_t level) {
  Thread *th = p->th;
  Instance *in = instance_of(obj);
  Class *k = class_of_obj(in->klass);
  Value fn = structure_printer(th, in->klass, "PRINT-FUNCTION");
  if (fn != NIL) {
    /* CCL's backtranslate-level: the depth a :print-function is told about */
    intptr_t depth = p->print_level < 0 || level == PR_NO_LIMIT ? FIXNUM_MAX
                     : level > p->print_level                   ? 1
                                                                : p->print_level - level;
    pr_flush(p);
    funcall3(th, fn, obj, p->stream, make_fixnum(depth));
    return;
  }
  fn = structure_printer(th, in->klass, "PRINT-OBJECT");
  if (fn != NIL) {
    pr_flush(p);
    funcall2(th, fn, obj, p->stream);
    return;
  }
  if (pr_via_print_object(p, obj))
    return;
  pr_cstr(p, "#S(");
  if (p->length <= 0) {
    pr_cstr(p, "...)");
    return;
  }
  pr_object(p, k->name, level);
  Value slots = k->slots;
  if (slots != NIL && p->length > 1)
    pr_char(p, ' ');
  bool first = true;
  size_t index = 0;
  for (intptr_t l = p->length - 1; slots != NIL && is_cons(slots); l -= 2, index++) {
    if (l < 1) {
      pr_cstr(p, " ...");
      break;
    }
    Value slot = CAR(slots);
    slots = CDR(slots);
    Value name = is_symbol(slot) ? slot : pr_plist_get(slot, SYM(k_name), NIL);
    if (!is_symbol(name))
      continue;
    if (!first)
      pr_char(p, ' ');
    first = false;
    pr_char(p, ':');
    pr_pname(p, symbol_of(th, name)->name); /* the colon is ours: no package prefix */
    if (l > 1) {
      pr_char(p, ' ');
      Value v = is_type(in->slots, T_SVECTOR) && index < svec_of(in->slots)->len
                    ? svec_of(in->slots)->data[index]
                    : UNBOUND;
      pr_object(p, v, level - 1);
    } else {
      pr_cstr(p, " ...");
      break;
    }
  }
  pr_char(p, ')');
}

static void pr_instance(Printer *p, Value obj, intptr_t level) {
  Thread *th = p->th;
  Instance *in = instance_of(obj);
  if (!is_type(in->klass, T_CLASS)) {
    pr_unreadable_start(p, obj);
    pr_cstr(p, "INSTANCE");
    pr_address(p, obj);
    pr_char(p, '>');
    return;
  }
  Class *k = class_of_obj(in->klass);
  if (k->h.flags == CK_STRUCTURE) {
    pr_structure(p, obj, level);
    return;
  }
  if (k->h.flags == CK_CONDITION && pr_via_print_object(p, obj))
    return;
  if (k->h.flags == CK_CONDITION && !p->escape && !p->readably) {
    Value report = condition_report_string(th, obj);
    size_t n = 0;
    const uint32_t *s = pr_string_chars(report, &n);
    if (s)
      pr_chars(p, s, n);
    return;
  }
  if (is_restart(th, obj)) {
    pr_flush(p);
    print_restart(th, obj, p->stream, p->escape);
    return;
  }
  if (k->h.flags == CK_STANDARD && is_cons(k->cpl)) { /* DEFCLASS instances: through PRINT-OBJECT (stdlib/clos.lisp) */
    Value gf = symbol_of(th, cl_symbol(th, "PRINT-OBJECT"))->function;
    if (is_function(gf)) {
      pr_flush(p);
      funcall2(th, gf, obj, p->stream);
      return;
    }
  }
  pr_unreadable_start(p, obj);
  pr_object(p, k->name, level);
  pr_address(p, obj);
  pr_char(p, '>');
}

static void pr_class(Printer *p, Value obj, intptr_t level) {
  Thread *th = p->th;
  Class *k = class_of_obj(obj);
  const char *meta = k->h.flags == CK_BUILTIN     ? "BUILT-IN-CLASS"
                     : k->h.flags == CK_STRUCTURE ? "STRUCTURE-CLASS"
                                                  : "STANDARD-CLASS";
  pr_unreadable_start(p, obj);
  pr_symbol(p, cl_symbol(th, meta));
  pr_char(p, ' ');
  pr_object(p, k->name, level);
  pr_char(p, '>');
}

/* ---- Functions ---- */

static Value fn_name(Value fn) {
  if (is_type(fn, T_NATIVE))
    return native_of(fn)->name;
  if (is_type(fn, T_CLOSURE)) {
    Closure *c = closure_of(fn);
    if (c->name != NIL)
      return c->name;
    if (is_type(c->lambda, T_LAMBDA))
      return lambda_of(c->lambda)->name;
  }
  return NIL;
}

enum FnStatus { FN_CURRENT, FN_MACRO, FN_NON_GLOBAL };

/* CCL's function-is-current-definition?, plus the macro-function case. */
static enum FnStatus fn_status(Thread *th, Value fn, Value name) {
  if (is_type(name, T_SYMBOL) || name == NIL) {
    Value f = symbol_of(th, name)->function;
    if (f == fn)
      return FN_CURRENT;
    if (is_type(f, T_MACRO) && ((Macro *)f)->expander == fn)
      return FN_MACRO;
    return FN_NON_GLOBAL;
  }
  if (is_cons(name) && CAR(name) == SYM(setf) && is_cons(CDR(name)) && is_symbol(CAR(CDR(name))) &&
      CDR(CDR(name)) == NIL)
    return symbol_of(th, CAR(CDR(name)))->setf_fn == fn ? FN_CURRENT : FN_NON_GLOBAL;
  return FN_NON_GLOBAL;
}

/* CCL's write-a-function for a generic function: #<STANDARD-GENERIC-FUNCTION NAME #x...>. */
static void pr_generic_function(Printer *p, Value fn, intptr_t level) {
  Thread *th = p->th;
  Value name = fn_name(fn), cname = class_of_obj(class_of(th, fn))->name;
  pr_unreadable_start(p, fn);
  if (name == NIL) {
    pr_cstr(p, "Anonymous ");
    pr_object(p, cname, level);
  } else {
    pr_object(p, cname, level);
    pr_char(p, ' ');
    pr_object(p, name, level - 1);
    if (fn_status(th, fn, name) == FN_NON_GLOBAL)
      pr_cstr(p, " (Non-Global) ");
  }
  pr_address(p, fn);
  pr_char(p, '>');
}

static void pr_function(Printer *p, Value fn, intptr_t level) {
  Thread *th = p->th;
  Value name = fn_name(fn);
  if (is_type(fn, T_NATIVE) && (native_of(fn)->desc->flags & NAT_FUNCALLABLE)) {
    pr_generic_function(p, fn, level);
    return;
  }
  pr_unreadable_start(p, fn);
  if (is_type(fn, T_CLOSURE) && closure_of(fn)->env != NIL) {
    pr_name_princ(p, "COMPILED-LEXICAL-CLOSURE");
    if (name != NIL) {
      pr_char(p, ' ');
      pr_object(p, name, level - 1);
    }
  } else if (name == NIL) {
    pr_cstr(p, "Anonymous Function");
  } else {
    pr_cstr(p, "Compiled-function ");
    pr_object(p, name, level - 1);
    switch (fn_status(th, fn, name)) {
    case FN_MACRO:
      pr_cstr(p, " Macroexpander");
      break;
    case FN_NON_GLOBAL:
      pr_cstr(p, " (Non-Global) ");
      break;
    case FN_CURRENT:
      break;
    }
  }
  pr_address(p, fn);
  pr_char(p, '>');
}

/* ---- Packages, hash tables ---- */

static void pr_package(Printer *p, Value obj) {
  Package *pkg = package_of(obj);
  size_t n = 0;
  const uint32_t *name = pkg->name == NIL ? NULL : pr_string_chars(pkg->name, &n);
  pr_unreadable_start(p, obj);
  if (!name) {
    pr_cstr(p, "Deleted Package");
  } else {
    pr_cstr(p, "Package ");
    pr_escaped_chars(p, name, n, '"');
  }
  pr_char(p, '>');
}

static void pr_hash_table(Printer *p, Value obj) {
  Thread *th = p->th;
  HashTable *h = hashtable_of(obj);
  static const char *const tests[] = {"EQ", "EQL", "EQUAL", "EQUALP"};
  const char *test = h->h.flags < 4 ? tests[h->h.flags] : "EQL";
  /* hash-table-size is the table owner's notion (entries before growing): ask it */
  uintmax_t size = h->size;
  Value size_fn = symbol_of(th, cl_symbol(th, "HASH-TABLE-SIZE"))->function;
  if (is_function(size_fn)) {
    pr_flush(p);
    Value s = funcall1(th, size_fn, obj);
    if (is_fixnum(s) && fixnum_val(s) >= 0)
      size = (uintmax_t)fixnum_val(s);
  }
  pr_unreadable_start(p, obj);
  pr_symbol_princ(p, SYM(hash_table));
  pr_char(p, ' ');
  pr_symbol_prin1(p, SYM(k_test));
  pr_char(p, ' ');
  pr_symbol_prin1(p, cl_symbol(th, test));
  pr_cstr(p, " size ");
  pr_decimal(p, h->count);
  pr_char(p, '/');
  pr_decimal(p, size);
  pr_address(p, obj);
  pr_char(p, '>');
}

/* ---- The rest ---- */

static void pr_object_prin1(Printer *p, Value obj, intptr_t level) {
  bool escape = p->escape;
  p->escape = true;
  pr_object(p, obj, level);
  p->escape = escape;
}

static void pr_tagged(Printer *p, Value obj, const char *type) {
  pr_unreadable_start(p, obj);
  pr_name_princ(p, type);
  pr_address(p, obj);
  pr_char(p, '>');
}

bool pr_level_checked(Printer *p, Value obj) {
  if (!is_obj(obj))
    return false;
  switch (obj_of(obj)->type) {
  case T_SVECTOR:
  case T_OCTETS:
  case T_NUMVEC:
  case T_ARRAY:
    return !pr_is_bit_vector(obj) && !pr_is_string(obj);
  case T_CLOSURE:
  case T_NATIVE:
  case T_MACRO:
  case T_PACKAGE:
  case T_FOREIGN:
  case T_NODE:
  case T_LAMBDA:
  case T_WEAKBOX:
    return true;
  case T_INSTANCE: {
    Value k = instance_of(obj)->klass;
    bool condition = is_type(k, T_CLASS) && class_of_obj(k)->h.flags == CK_CONDITION;
    return !(condition && !p->escape && !p->readably);
  }
  case T_STREAM:
    return stream_of(obj)->kind == SK_BROADCAST || stream_of(obj)->kind == SK_CONCATENATED;
  default:
    return false;
  }
}

void pr_other(Printer *p, Value obj, intptr_t level) {
  if (!is_obj(obj)) {
    pr_unreadable_start(p, obj);
    if (obj == UNBOUND) {
      pr_cstr(p, "Unbound>");
      return;
    }
    pr_cstr(p, "Unprintable immediate");
    pr_address(p, obj);
    pr_char(p, '>');
    return;
  }
  switch (obj_of(obj)->type) {
  case T_SVECTOR:
  case T_OCTETS:
  case T_NUMVEC:
  case T_ARRAY:
    pr_array(p, obj, level);
    break;
  case T_CLOSURE:
  case T_NATIVE:
    pr_function(p, obj, level);
    break;
  case T_MACRO:
    if (is_function(((Macro *)obj)->expander))
      pr_function(p, ((Macro *)obj)->expander, level);
    else
      pr_tagged(p, obj, "MACRO");
    break;
  case T_PACKAGE:
    pr_package(p, obj);
    break;
  case T_HASHTABLE:
    pr_hash_table(p, obj);
    break;
  case T_STREAM: /* stream.c knows the CCL class and what to show of each kind */
    if (pr_via_print_object(p, obj))
      break;
    if (p->readably)
      pr_unreadable_start(p, obj);
    pr_flush(p);
    stream_print(p->th, obj, p->stream);
    break;
  case T_CLASS:
    pr_class(p, obj, level);
    break;
  case T_INSTANCE:
    pr_instance(p, obj, level);
    break;
  case T_FOREIGN: {
    Value tag = ((Foreign *)obj)->tag;
    if (random_state_p(p->th, obj)) { /* #.(CCL::INITIALIZE-MRG31K3P-STATE ...), numbers.c's */
      pr_flush(p);
      print_random_state(p->th, obj, p->stream);
      break;
    }
    Value k = class_of(p->th, obj);
    if (class_of_obj(k)->h.flags == CK_STANDARD && pr_via_print_object(p, obj))
      break;
    ForeignPrinter fp = ((Foreign *)obj)->print;
    if (fp) {
      if (p->readably)
        pr_unreadable_start(p, obj);
      pr_flush(p);
      fp(p->th, obj, p->stream);
      break;
    }
    pr_unreadable_start(p, obj);
    if (is_symbol(tag) && tag != 0)
      pr_symbol_princ(p, tag);
    else
      pr_cstr(p, "FOREIGN");
    pr_address(p, obj);
    pr_char(p, '>');
    break;
  }
  case T_BOX:
    pr_unreadable_start(p, obj);
    pr_name_princ(p, "VALUE-CELL");
    pr_char(p, ' ');
    pr_object_prin1(p, box_of(obj)->value, level);
    pr_address(p, obj);
    pr_char(p, '>');
    break;
  case T_NODE:
    pr_tagged(p, obj, "CODE-NODE");
    break;
  case T_LAMBDA:
    pr_tagged(p, obj, "LAMBDA-INFO");
    break;
  case T_WEAKBOX:
    pr_tagged(p, obj, "WEAK-POINTER");
    break;
  default:
    pr_tagged(p, obj, "UNKNOWN-OBJECT");
    break;
  }
}
