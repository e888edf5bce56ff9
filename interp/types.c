/* types.c — the class tree (CCL's built-in classes), CLASS-OF, TYPE-OF, FIND-CLASS,
 * class definition with its precedence list (CLHS 4.3.5), and TYPEP over type specifiers. */
#include <stdlib.h>

#include "stream.h"
#include "types_internal.h"

/* ---- Symbols named in C ---- */

Value type_symbol(Thread *th, const char *spec) {
  VM *vm = th->vm;
  if (spec[0] == ':')
    return keyword_c(th, spec + 1);
  if (strncmp(spec, "CCL::", 5) == 0)
    return intern_c(th, spec + 5, vm->pkg_ccl);
  Value pkg = vm->pkg_cl;
  if (strncmp(spec, "CCL:", 4) == 0) {
    spec += 4;
    pkg = vm->pkg_ccl;
  }
  Value s = intern_c(th, spec, pkg);
  export_symbol(th, s, pkg);
  return s;
}

/* ---- Property lists ---- */

Value plist_get(Value plist, Value key, Value dflt) {
  for (; is_cons(plist) && is_cons(CDR(plist)); plist = CDR(CDR(plist)))
    if (CAR(plist) == key)
      return CAR(CDR(plist));
  return dflt;
}

bool plist_has(Value plist, Value key) {
  for (; is_cons(plist) && is_cons(CDR(plist)); plist = CDR(CDR(plist)))
    if (CAR(plist) == key)
      return true;
  return false;
}

Value plist_put(Thread *th, Value plist, Value key, Value val) {
  for (Value l = plist; is_cons(l) && is_cons(CDR(l)); l = CDR(CDR(l)))
    if (CAR(l) == key) {
      CAR(CDR(l)) = val;
      return plist;
    }
  return cons(th, key, cons(th, val, plist));
}

/* ---- The built-in class tree ---- */

/* kind: B built-in, S standard, R structure. supers: names separated by spaces. */
typedef struct ClassSpec {
  const char *name;
  char kind;
  const char *supers;
} ClassSpec;

static const ClassSpec builtin_classes[] = {
    {"STANDARD-OBJECT", 'S', "T"},
    {"STRUCTURE-OBJECT", 'R', "T"},
    {"CCL::METAOBJECT", 'S', "STANDARD-OBJECT"},
    {"CCL::SPECIALIZER", 'S', "CCL::METAOBJECT"},
    {"CLASS", 'S', "CCL::SPECIALIZER"},
    {"CCL::SLOTS-CLASS", 'S', "CLASS"},
    {"CCL::STD-CLASS", 'S', "CCL::SLOTS-CLASS"},
    {"STANDARD-CLASS", 'S', "CCL::STD-CLASS"},
    {"BUILT-IN-CLASS", 'S', "CLASS"},
    {"STRUCTURE-CLASS", 'S', "CCL::SLOTS-CLASS"},
    {"FUNCTION", 'B', "T"},
    {"CCL::COMPILED-LEXICAL-CLOSURE", 'S', "FUNCTION"},
    {"ARRAY", 'B', "T"},
    {"CHARACTER", 'B', "T"},
    {"NUMBER", 'B', "T"},
    {"SEQUENCE", 'B', "T"},
    {"SYMBOL", 'B', "T"},
    {"PACKAGE", 'B', "T"},
    {"COMPLEX", 'B', "NUMBER"},
    {"REAL", 'B', "NUMBER"},
    {"FLOAT", 'B', "REAL"},
    {"DOUBLE-FLOAT", 'B', "FLOAT"},
    {"SINGLE-FLOAT", 'B', "FLOAT"},
    {"RATIONAL", 'B', "REAL"},
    {"RATIO", 'B', "RATIONAL"},
    {"INTEGER", 'B', "RATIONAL"},
    {"FIXNUM", 'B', "INTEGER"},
    {"BIGNUM", 'B', "INTEGER"},
    {"BIT", 'B', "FIXNUM"},
    {"UNSIGNED-BYTE", 'B', "INTEGER"},
    {"SIGNED-BYTE", 'B', "INTEGER"},
    {"STANDARD-CHAR", 'B', "CHARACTER"},
    {"KEYWORD", 'B', "SYMBOL"},
    {"LIST", 'B', "SEQUENCE"},
    {"CONS", 'B', "LIST"},
    {"NULL", 'B', "SYMBOL LIST"},
    {"VECTOR", 'B', "ARRAY SEQUENCE"},
    {"SIMPLE-ARRAY", 'B', "ARRAY"},
    {"CCL::SIMPLE-1D-ARRAY", 'B', "VECTOR SIMPLE-ARRAY"},
    {"CCL::UNSIGNED-BYTE-VECTOR", 'B', "VECTOR"},
    {"CCL::SIMPLE-UNSIGNED-BYTE-VECTOR", 'B', "CCL::UNSIGNED-BYTE-VECTOR CCL::SIMPLE-1D-ARRAY"},
    {"CCL::UNSIGNED-WORD-VECTOR", 'B', "VECTOR"},
    {"CCL::SIMPLE-UNSIGNED-WORD-VECTOR", 'B', "CCL::UNSIGNED-WORD-VECTOR CCL::SIMPLE-1D-ARRAY"},
    {"CCL::DOUBLE-FLOAT-VECTOR", 'B', "VECTOR"},
    {"CCL::SHORT-FLOAT-VECTOR", 'B', "VECTOR"},
    {"CCL::SIMPLE-DOUBLE-FLOAT-VECTOR", 'B', "CCL::DOUBLE-FLOAT-VECTOR CCL::SIMPLE-1D-ARRAY"},
    {"CCL::SIMPLE-SHORT-FLOAT-VECTOR", 'B', "CCL::SHORT-FLOAT-VECTOR CCL::SIMPLE-1D-ARRAY"},
    {"CCL::DOUBLEWORD-VECTOR", 'B', "VECTOR"},
    {"CCL::SIMPLE-DOUBLEWORD-VECTOR", 'B', "CCL::DOUBLEWORD-VECTOR CCL::SIMPLE-1D-ARRAY"},
    {"CCL::UNSIGNED-DOUBLEWORD-VECTOR", 'B', "VECTOR"},
    {"CCL::SIMPLE-UNSIGNED-DOUBLEWORD-VECTOR", 'B', "CCL::UNSIGNED-DOUBLEWORD-VECTOR CCL::SIMPLE-1D-ARRAY"},
    {"CCL::LONG-VECTOR", 'B', "VECTOR"},
    {"CCL::SIMPLE-LONG-VECTOR", 'B', "CCL::LONG-VECTOR CCL::SIMPLE-1D-ARRAY"},
    {"CCL::UNSIGNED-LONG-VECTOR", 'B', "VECTOR"},
    {"CCL::SIMPLE-UNSIGNED-LONG-VECTOR", 'B', "CCL::UNSIGNED-LONG-VECTOR CCL::SIMPLE-1D-ARRAY"},
    {"CCL::BYTE-VECTOR", 'B', "VECTOR"},
    {"CCL::SIMPLE-BYTE-VECTOR", 'B', "CCL::BYTE-VECTOR CCL::SIMPLE-1D-ARRAY"},
    {"BIT-VECTOR", 'B', "VECTOR"},
    {"SIMPLE-BIT-VECTOR", 'B', "BIT-VECTOR CCL::SIMPLE-1D-ARRAY"},
    {"CCL::WORD-VECTOR", 'B', "VECTOR"},
    {"CCL::SIMPLE-WORD-VECTOR", 'B', "CCL::WORD-VECTOR CCL::SIMPLE-1D-ARRAY"},
    {"STRING", 'B', "VECTOR"},
    {"BASE-STRING", 'B', "STRING"},
    {"SIMPLE-STRING", 'B', "STRING CCL::SIMPLE-1D-ARRAY"},
    {"SIMPLE-BASE-STRING", 'B', "BASE-STRING SIMPLE-STRING"},
    {"CCL::GENERAL-VECTOR", 'B', "VECTOR"},
    {"SIMPLE-VECTOR", 'B', "CCL::GENERAL-VECTOR CCL::SIMPLE-1D-ARRAY"},
    {"CCL::INTERNAL-STRUCTURE", 'B', "T"},
    {"HASH-TABLE", 'B', "CCL::INTERNAL-STRUCTURE"},
    {"RANDOM-STATE", 'B', "CCL::INTERNAL-STRUCTURE"},
    {"RESTART", 'B', "CCL::INTERNAL-STRUCTURE"},
    {"PATHNAME", 'B', "CCL::INTERNAL-STRUCTURE"},
    {"LOGICAL-PATHNAME", 'B', "PATHNAME"},
    {"READTABLE", 'B', "CCL::INTERNAL-STRUCTURE"},
    /* Streams: CCL's own tree, abridged to what Clove's streams can be. */
    {"STREAM", 'S', "STANDARD-OBJECT"},
    {"CCL::INPUT-STREAM", 'S', "STREAM"},
    {"CCL::OUTPUT-STREAM", 'S', "STREAM"},
    {"CCL::CHARACTER-STREAM", 'S', "STREAM"},
    {"CCL::BINARY-STREAM", 'S', "STREAM"},
    {"CCL::CHARACTER-INPUT-STREAM", 'S', "CCL::INPUT-STREAM CCL::CHARACTER-STREAM"},
    {"CCL::CHARACTER-OUTPUT-STREAM", 'S', "CCL::OUTPUT-STREAM CCL::CHARACTER-STREAM"},
    {"CCL::BINARY-INPUT-STREAM", 'S', "CCL::INPUT-STREAM CCL::BINARY-STREAM"},
    {"CCL::BINARY-OUTPUT-STREAM", 'S', "CCL::OUTPUT-STREAM CCL::BINARY-STREAM"},
    {"CCL:FUNDAMENTAL-STREAM", 'S', "STREAM"},
    {"CCL:FUNDAMENTAL-INPUT-STREAM", 'S', "CCL:FUNDAMENTAL-STREAM CCL::INPUT-STREAM"},
    {"CCL:FUNDAMENTAL-OUTPUT-STREAM", 'S', "CCL:FUNDAMENTAL-STREAM CCL::OUTPUT-STREAM"},
    {"CCL:FUNDAMENTAL-CHARACTER-STREAM", 'S', "CCL:FUNDAMENTAL-STREAM CCL::CHARACTER-STREAM"},
    {"CCL:FUNDAMENTAL-BINARY-STREAM", 'S', "CCL:FUNDAMENTAL-STREAM CCL::BINARY-STREAM"},
    {"CCL:FUNDAMENTAL-CHARACTER-INPUT-STREAM", 'S',
     "CCL:FUNDAMENTAL-INPUT-STREAM CCL:FUNDAMENTAL-CHARACTER-STREAM CCL::CHARACTER-INPUT-STREAM"},
    {"CCL:FUNDAMENTAL-CHARACTER-OUTPUT-STREAM", 'S',
     "CCL:FUNDAMENTAL-OUTPUT-STREAM CCL:FUNDAMENTAL-CHARACTER-STREAM CCL::CHARACTER-OUTPUT-STREAM"},
    {"CCL:FUNDAMENTAL-BINARY-INPUT-STREAM", 'S',
     "CCL:FUNDAMENTAL-INPUT-STREAM CCL:FUNDAMENTAL-BINARY-STREAM CCL::BINARY-INPUT-STREAM"},
    {"CCL:FUNDAMENTAL-BINARY-OUTPUT-STREAM", 'S',
     "CCL:FUNDAMENTAL-OUTPUT-STREAM CCL:FUNDAMENTAL-BINARY-STREAM CCL::BINARY-OUTPUT-STREAM"},
    {"FILE-STREAM", 'S', "STREAM"},
    {"CCL::BASIC-STREAM", 'B', "STREAM"},
    {"CCL::BASIC-FILE-STREAM", 'B', "CCL::BASIC-STREAM FILE-STREAM"},
    {"CCL::BASIC-CHARACTER-STREAM", 'B', "CCL::BASIC-STREAM CCL::CHARACTER-STREAM"},
    {"CCL::BASIC-BINARY-STREAM", 'B', "CCL::BASIC-STREAM CCL::BINARY-STREAM"},
    {"CCL::BASIC-INPUT-STREAM", 'B', "CCL::BASIC-STREAM CCL::INPUT-STREAM"},
    {"CCL::BASIC-OUTPUT-STREAM", 'B', "CCL::BASIC-STREAM CCL::OUTPUT-STREAM"},
    {"CCL::BASIC-IO-STREAM", 'B', "CCL::BASIC-INPUT-STREAM CCL::BASIC-OUTPUT-STREAM"},
    {"CCL::BASIC-CHARACTER-INPUT-STREAM", 'B',
     "CCL::BASIC-INPUT-STREAM CCL::BASIC-CHARACTER-STREAM CCL::CHARACTER-INPUT-STREAM"},
    {"CCL::BASIC-CHARACTER-OUTPUT-STREAM", 'B',
     "CCL::BASIC-OUTPUT-STREAM CCL::BASIC-CHARACTER-STREAM CCL::CHARACTER-OUTPUT-STREAM"},
    {"CCL::BASIC-CHARACTER-IO-STREAM", 'B',
     "CCL::BASIC-CHARACTER-INPUT-STREAM CCL::BASIC-CHARACTER-OUTPUT-STREAM"},
    {"CCL::BASIC-BINARY-INPUT-STREAM", 'B',
     "CCL::BASIC-INPUT-STREAM CCL::BASIC-BINARY-STREAM CCL::BINARY-INPUT-STREAM"},
    {"CCL::BASIC-BINARY-OUTPUT-STREAM", 'B',
     "CCL::BASIC-OUTPUT-STREAM CCL::BASIC-BINARY-STREAM CCL::BINARY-OUTPUT-STREAM"},
    {"CCL::BASIC-BINARY-IO-STREAM", 'B', "CCL::BASIC-BINARY-INPUT-STREAM CCL::BASIC-BINARY-OUTPUT-STREAM"},
    {"CCL::BASIC-FILE-INPUT-STREAM", 'B', "CCL::BASIC-FILE-STREAM CCL::BASIC-INPUT-STREAM"},
    {"CCL::BASIC-FILE-OUTPUT-STREAM", 'B', "CCL::BASIC-FILE-STREAM CCL::BASIC-OUTPUT-STREAM"},
    {"CCL::BASIC-FILE-IO-STREAM", 'B', "CCL::BASIC-FILE-STREAM CCL::BASIC-IO-STREAM"},
    {"CCL::BASIC-FILE-CHARACTER-INPUT-STREAM", 'B',
     "CCL::BASIC-FILE-INPUT-STREAM CCL::BASIC-CHARACTER-INPUT-STREAM"},
    {"CCL::BASIC-FILE-CHARACTER-OUTPUT-STREAM", 'B',
     "CCL::BASIC-FILE-OUTPUT-STREAM CCL::BASIC-CHARACTER-OUTPUT-STREAM"},
    {"CCL::BASIC-FILE-CHARACTER-IO-STREAM", 'B', "CCL::BASIC-FILE-IO-STREAM CCL::BASIC-CHARACTER-IO-STREAM"},
    {"CCL::BASIC-FILE-BINARY-INPUT-STREAM", 'B',
     "CCL::BASIC-FILE-INPUT-STREAM CCL::BASIC-BINARY-INPUT-STREAM"},
    {"CCL::BASIC-FILE-BINARY-OUTPUT-STREAM", 'B',
     "CCL::BASIC-FILE-OUTPUT-STREAM CCL::BASIC-BINARY-OUTPUT-STREAM"},
    {"CCL::BASIC-FILE-BINARY-IO-STREAM", 'B', "CCL::BASIC-FILE-IO-STREAM CCL::BASIC-BINARY-IO-STREAM"},
    {"STRING-STREAM", 'B', "CCL::BASIC-CHARACTER-STREAM"},
    {"CCL::STRING-OUTPUT-STREAM", 'B', "STRING-STREAM CCL::BASIC-CHARACTER-OUTPUT-STREAM"},
    {"CCL::FILL-POINTER-STRING-OUTPUT-STREAM", 'B', "CCL::STRING-OUTPUT-STREAM"},
    {"CCL::STRING-INPUT-STREAM", 'B', "STRING-STREAM CCL::BASIC-CHARACTER-INPUT-STREAM"},
    {"SYNONYM-STREAM", 'S', "CCL:FUNDAMENTAL-STREAM"},
    {"CCL::COMPOSITE-STREAM-MIXIN", 'S', "STANDARD-OBJECT"},
    {"TWO-WAY-STREAM", 'S',
     "CCL::COMPOSITE-STREAM-MIXIN CCL:FUNDAMENTAL-INPUT-STREAM CCL:FUNDAMENTAL-OUTPUT-STREAM"},
    {"CCL::ECHOING-TWO-WAY-STREAM", 'S', "TWO-WAY-STREAM"},
    {"ECHO-STREAM", 'S', "TWO-WAY-STREAM"},
    {"CONCATENATED-STREAM", 'S', "CCL::COMPOSITE-STREAM-MIXIN CCL:FUNDAMENTAL-INPUT-STREAM"},
    {"BROADCAST-STREAM", 'S', "CCL:FUNDAMENTAL-OUTPUT-STREAM"},
    {"CCL::FD-STREAM", 'S', "CCL:FUNDAMENTAL-STREAM"},
    {0, 0, 0},
};

/* Names that CCL makes another name of an existing class. */
static const char *const class_aliases[][2] = {
    {"COMPILED-FUNCTION", "FUNCTION"},
    {"SHORT-FLOAT", "SINGLE-FLOAT"},
    {"LONG-FLOAT", "DOUBLE-FLOAT"},
    {"BASE-CHAR", "CHARACTER"},
    {0, 0},
};

/* Simple and non-simple vector classes, and the element type spec, per EltKind. */
static const char *const elt_kind_classes[EK_COUNT][2] = {
    [EK_T] = {"SIMPLE-VECTOR", "CCL::GENERAL-VECTOR"},
    [EK_CHAR] = {"SIMPLE-BASE-STRING", "BASE-STRING"},
    [EK_BIT] = {"SIMPLE-BIT-VECTOR", "BIT-VECTOR"},
    [EK_U8] = {"CCL::SIMPLE-UNSIGNED-BYTE-VECTOR", "CCL::UNSIGNED-BYTE-VECTOR"},
    [EK_S8] = {"CCL::SIMPLE-BYTE-VECTOR", "CCL::BYTE-VECTOR"},
    [EK_U16] = {"CCL::SIMPLE-UNSIGNED-WORD-VECTOR", "CCL::UNSIGNED-WORD-VECTOR"},
    [EK_S16] = {"CCL::SIMPLE-WORD-VECTOR", "CCL::WORD-VECTOR"},
    [EK_U32] = {"CCL::SIMPLE-UNSIGNED-LONG-VECTOR", "CCL::UNSIGNED-LONG-VECTOR"},
    [EK_S32] = {"CCL::SIMPLE-LONG-VECTOR", "CCL::LONG-VECTOR"},
    [EK_U64] = {"CCL::SIMPLE-UNSIGNED-DOUBLEWORD-VECTOR", "CCL::UNSIGNED-DOUBLEWORD-VECTOR"},
    [EK_S64] = {"CCL::SIMPLE-DOUBLEWORD-VECTOR", "CCL::DOUBLEWORD-VECTOR"},
    [EK_SF] = {"CCL::SIMPLE-SHORT-FLOAT-VECTOR", "CCL::SHORT-FLOAT-VECTOR"},
    [EK_DF] = {"CCL::SIMPLE-DOUBLE-FLOAT-VECTOR", "CCL::DOUBLE-FLOAT-VECTOR"},
};

static Value find_class_named(Thread *th, const char *spec) {
  Value c = hash_get(th, th->vm->classes, type_symbol(th, spec), NIL);
  if (!is_type(c, T_CLASS))
    simple_error(th, "Class named ~S not found.", type_symbol(th, spec));
  return c;
}

static enum ClassKind kind_of_letter(char k) {
  switch (k) {
  case 'S':
    return CK_STANDARD;
  case 'R':
    return CK_STRUCTURE;
  case 'C':
    return CK_CONDITION;
  default:
    return CK_BUILTIN;
  }
}

/* "A B C" -> list of the classes named */
static Value supers_from_spec(Thread *th, const char *spec) {
  Value out = NIL;
  char buf[128];
  while (*spec) {
    while (*spec == ' ')
      spec++;
    size_t n = 0;
    while (spec[n] && spec[n] != ' ' && n < sizeof buf - 1) {
      buf[n] = spec[n];
      n++;
    }
    if (!n)
      break;
    buf[n] = 0;
    spec += n;
    out = cons(th, find_class_named(th, buf), out);
  }
  return nreverse_list(out);
}

static void define_builtin_classes(Thread *th, const ClassSpec *table) {
  for (const ClassSpec *c = table; c->name; c++)
    define_class(th, kind_of_letter(c->kind), type_symbol(th, c->name), supers_from_spec(th, c->supers), NIL);
}

void types_init(Thread *th) {
  VM *vm = th->vm;
  vm->classes = make_hash_table(th, HT_EQ, 512);
  Value state = make_svector(th, TS_COUNT, NIL);
  hash_put(th, vm->classes, make_fixnum(0), state);
  Value *ts = svec_of(state)->data;

  /* T has no superclass: define_class gives every other class a default one. */
  Class *t = gc_alloc(th, T_CLASS, sizeof(Class));
  t->h.flags = CK_BUILTIN;
  t->name = SYM(t);
  t->supers = NIL;
  t->cpl = list1(th, obj_value(t));
  t->slots = NIL;
  t->nslots = make_fixnum(0);
  t->default_initargs = NIL;
  t->plist = NIL;
  t->subclasses = NIL;
  hash_put(th, vm->classes, SYM(t), obj_value(t));
  ts[TS_T] = obj_value(t);

  define_builtin_classes(th, builtin_classes);
  for (int i = 0; class_aliases[i][0]; i++)
    hash_put(th, vm->classes, type_symbol(th, class_aliases[i][0]),
             find_class_named(th, class_aliases[i][1]));

  for (int ek = 0; ek < EK_COUNT; ek++) {
    ts[TS_SIMPLE_VEC + ek] = find_class_named(th, elt_kind_classes[ek][0]);
    ts[TS_COMPLEX_VEC + ek] = find_class_named(th, elt_kind_classes[ek][1]);
  }
  static const struct {
    int index;
    const char *name;
  } cached[] = {
      {TS_FIXNUM, "FIXNUM"},
      {TS_BIGNUM, "BIGNUM"},
      {TS_RATIO, "RATIO"},
      {TS_SINGLE_FLOAT, "SINGLE-FLOAT"},
      {TS_DOUBLE_FLOAT, "DOUBLE-FLOAT"},
      {TS_CHARACTER, "CHARACTER"},
      {TS_STANDARD_CHAR, "STANDARD-CHAR"},
      {TS_NULL, "NULL"},
      {TS_SYMBOL, "SYMBOL"},
      {TS_KEYWORD, "KEYWORD"},
      {TS_CONS, "CONS"},
      {TS_SIMPLE_ARRAY, "SIMPLE-ARRAY"},
      {TS_ARRAY, "ARRAY"},
      {TS_FUNCTION, "FUNCTION"},
      {TS_CLOSURE, "CCL::COMPILED-LEXICAL-CLOSURE"},
      {TS_PACKAGE, "PACKAGE"},
      {TS_HASH_TABLE, "HASH-TABLE"},
      {TS_STREAM, "STREAM"},
      {TS_BUILT_IN_CLASS, "BUILT-IN-CLASS"},
      {TS_STRUCTURE_CLASS, "STRUCTURE-CLASS"},
      {TS_STANDARD_CLASS, "STANDARD-CLASS"},
      {TS_RESTART, "RESTART"},
  };
  for (size_t i = 0; i < sizeof cached / sizeof cached[0]; i++)
    ts[cached[i].index] = find_class_named(th, cached[i].name);
  /* A restart's slots: name function report interactive test conditions tag args */
  class_of_obj(ts[TS_RESTART])->nslots = make_fixnum(8);

  static const struct {
    int index;
    const char *name;
  } syms[] = {
      {TS_S_DEFTYPE, "CCL::DEFTYPE-EXPANDER"},
      {TS_S_BASE_STRING, "BASE-STRING"},
      {TS_S_SIMPLE_BASE_STRING, "SIMPLE-BASE-STRING"},
      {TS_S_SIMPLE_BIT_VECTOR, "SIMPLE-BIT-VECTOR"},
      {TS_S_COMPLEX, "COMPLEX"},
      {TS_S_EXTENDED_CHAR, "EXTENDED-CHAR"},
      {TS_S_UNDEFINED_FUNCTION_CALL, "CCL::UNDEFINED-FUNCTION-CALL"},
      {TS_S_SIMPLE_PROGRAM_ERROR, "CCL::SIMPLE-PROGRAM-ERROR"},
      {TS_S_INACTIVE_RESTART, "CCL::INACTIVE-RESTART"},
      {TS_S_SIMPLE_READER_ERROR, "CCL::SIMPLE-READER-ERROR"},
      {TS_S_FORMAT, "FORMAT"},
      {TS_S_AREF, "AREF"},
      {TS_S_MAKE_ARRAY, "MAKE-ARRAY"},
      {TS_S_RESTART_NAME_SLOT, "RESTART-NAME"},
      {TS_S_MUFFLE_WARNING, "MUFFLE-WARNING"},
      {TS_S_CONTINUE, "CONTINUE"},
      {TS_S_ABORT, "ABORT"},
      {TS_S_STORE_VALUE, "STORE-VALUE"},
      {TS_S_USE_VALUE, "USE-VALUE"},
      {TS_S_IN_LAST_RESORT, "CCL::*IN-LAST-RESORT-ERROR*"},
      {TS_S_FORMAT_CONTROL, "CCL::FORMAT-CONTROL"},
      {TS_S_FORMAT_ARGUMENTS, "CCL::FORMAT-ARGUMENTS"},
      {TS_S_DATUM, "CCL::DATUM"},
      {TS_S_EXPECTED_TYPE, "CCL::EXPECTED-TYPE"},
      {TS_S_NAME, "CCL::NAME"},
      {TS_S_INSTANCE, "CCL::INSTANCE"},
      {TS_S_OPERATION, "CCL::OPERATION"},
      {TS_S_OPERANDS, "CCL::OPERANDS"},
      {TS_S_STREAM, "STREAM"},
      {TS_S_PATHNAME, "PATHNAME"},
      {TS_S_PACKAGE, "PACKAGE"},
      {TS_S_OBJECT, "CCL::OBJECT"},
      {TS_S_FUNCTION_ARGUMENTS, "CCL::FUNCTION-ARGUMENTS"},
      {TS_K_INITARGS, ":INITARGS"},
      {TS_K_INITFORM, ":INITFORM"},
      {TS_K_INITFUNCTION, ":INITFUNCTION"},
      {TS_K_READERS, ":READERS"},
      {TS_K_WRITERS, ":WRITERS"},
      {TS_K_DIRECT_SLOTS, ":DIRECT-SLOTS"},
      {TS_K_DOCUMENTATION, ":DOCUMENTATION"},
      {TS_K_ELEMENT_TYPE, ":ELEMENT-TYPE"},
      {TS_K_INITIAL_CONTENTS, ":INITIAL-CONTENTS"},
      {TS_K_FUNCTION_ARGUMENTS, ":FUNCTION-ARGUMENTS"},
      {TS_K_INSTANCE, ":INSTANCE"},
      {TS_K_RESTART_NAME, ":RESTART-NAME"},
  };
  for (size_t i = 0; i < sizeof syms / sizeof syms[0]; i++)
    ts[syms[i].index] = type_symbol(th, syms[i].name);
}

/* ---- Class definition ---- */

bool subclassp(Value cls, Value super) {
  if (cls == super)
    return true;
  for (Value l = class_of_obj(cls)->cpl; is_cons(l); l = CDR(l))
    if (CAR(l) == super)
      return true;
  return false;
}

static NORETURN void bad_cpl(Thread *th, Value cls) {
  simple_error(th, "Can't determine class precedence list for class ~S", class_of_obj(cls)->name);
}

/* CLHS 4.3.5: a topological sort of the superclasses under the local precedence
 * orders, ties broken in favour of a direct superclass of the rightmost class so far. */
static Value compute_cpl(Thread *th, Value cls) {
  /* One superclass whose list is known (most classes): the class, then that list. */
  Value supers = class_of_obj(cls)->supers;
  if (is_cons(supers) && CDR(supers) == NIL && is_cons(class_of_obj(CAR(supers))->cpl)) {
    Value head = list1(th, cls), tail = head;
    for (Value l = class_of_obj(CAR(supers))->cpl; is_cons(l); l = CDR(l)) {
      if (CAR(l) == cls) /* a cycle: let the general case report it */
        goto general;
      CDR(tail) = list1(th, CAR(l));
      tail = CDR(tail);
    }
    return head;
  }
general:;
  Value all = list1(th, cls), tail = all;
  size_t n = 1;
  for (Value l = all; is_cons(l); l = CDR(l))
    for (Value s = class_of_obj(CAR(l))->supers; is_cons(s); s = CDR(s))
      if (!memq_list(CAR(s), all)) {
        CDR(tail) = list1(th, CAR(s));
        tail = CDR(tail);
        n++;
      }
  /* The classes stay reachable through `all`; the arrays only index them. */
  Value *v = malloc(n * sizeof(Value));
  bool *before = calloc(n * n, 1);
  bool *done = calloc(n, 1);
  size_t *out = malloc(n * sizeof(size_t));
  if (!v || !before || !done || !out) {
    free(v), free(before), free(done), free(out);
    simple_error(th, "Out of memory computing a class precedence list.");
  }
  size_t i = 0;
  for (Value l = all; is_cons(l); l = CDR(l))
    v[i++] = CAR(l);
#define INDEX_OF(c, res)                                                                                     \
  do {                                                                                                       \
    res = 0;                                                                                                 \
    while (v[res] != (c))                                                                                    \
      res++;                                                                                                 \
  } while (0)
  for (i = 0; i < n; i++) {
    size_t prev = i;
    for (Value s = class_of_obj(v[i])->supers; is_cons(s); s = CDR(s)) {
      size_t j;
      INDEX_OF(CAR(s), j);
      before[prev * n + j] = true;
      prev = j;
    }
  }
  bool ok = true;
  for (size_t step = 0; step < n && ok; step++) {
    size_t chosen = n, ncand = 0;
    for (size_t k = 0; k < n; k++) {
      if (done[k])
        continue;
      bool free_k = true;
      for (size_t j = 0; j < n && free_k; j++)
        if (!done[j] && before[j * n + k])
          free_k = false;
      if (free_k) {
        if (!ncand)
          chosen = k;
        ncand++;
      }
    }
    if (!ncand) {
      ok = false;
      break;
    }
    if (ncand > 1) {
      bool found = false;
      for (size_t r = step; r-- > 0 && !found;)
        for (Value s = class_of_obj(v[out[r]])->supers; is_cons(s) && !found; s = CDR(s)) {
          size_t j;
          INDEX_OF(CAR(s), j);
          bool free_j = !done[j];
          for (size_t m = 0; m < n && free_j; m++)
            if (!done[m] && before[m * n + j])
              free_j = false;
          if (free_j) {
            chosen = j;
            found = true;
          }
        }
    }
    done[chosen] = true;
    out[step] = chosen;
  }
#undef INDEX_OF
  Value cpl = NIL;
  if (ok)
    for (size_t k = n; k-- > 0;)
      cpl = cons(th, v[out[k]], cpl);
  free(v), free(before), free(done), free(out);
  if (!ok)
    bad_cpl(th, cls);
  return cpl;
}

static Value copy_list_shallow(Thread *th, Value l) {
  Value out = NIL;
  for (; is_cons(l); l = CDR(l))
    out = cons(th, CAR(l), out);
  return nreverse_list(out);
}

/* Effective slots: the direct slots of the precedence list, most general class first;
 * a slot named again takes the more specific initform and adds its initargs. */
static Value compute_slots(Thread *th, Value cls) {
  Value kname = SYM(k_name), kinitargs = ts_ref(th, TS_K_INITARGS), kinitform = ts_ref(th, TS_K_INITFORM),
        kinitfn = ts_ref(th, TS_K_INITFUNCTION), kdirect = ts_ref(th, TS_K_DIRECT_SLOTS);
  Value rcpl = NIL;
  for (Value l = class_of_obj(cls)->cpl; is_cons(l); l = CDR(l))
    rcpl = cons(th, CAR(l), rcpl);
  Value eff = NIL;
  for (; is_cons(rcpl); rcpl = CDR(rcpl)) {
    for (Value d = plist_get(class_of_obj(CAR(rcpl))->plist, kdirect, NIL); is_cons(d); d = CDR(d)) {
      Value def = CAR(d), name = plist_get(def, kname, NIL), found = NIL;
      for (Value e = eff; is_cons(e); e = CDR(e))
        if (plist_get(CAR(e), kname, NIL) == name)
          found = CAR(e);
      if (found == NIL) {
        eff = cons(th, copy_list_shallow(th, def), eff);
        continue;
      }
      Value initargs = plist_get(found, kinitargs, NIL);
      for (Value a = plist_get(def, kinitargs, NIL); is_cons(a); a = CDR(a))
        if (!memq_list(CAR(a), initargs))
          initargs = cons(th, CAR(a), initargs);
      found = plist_put(th, found, kinitargs, initargs);
      if (plist_has(def, kinitform)) {
        found = plist_put(th, found, kinitform, plist_get(def, kinitform, NIL));
        found = plist_put(th, found, kinitfn, plist_get(def, kinitfn, NIL));
      }
      for (Value e = eff; is_cons(e); e = CDR(e))
        if (plist_get(CAR(e), kname, NIL) == name)
          CAR(e) = found;
    }
  }
  return nreverse_list(eff);
}

static void finalize_class(Thread *th, Value cls, int depth) {
  if (depth > 1000)
    bad_cpl(th, cls);
  Class *c = class_of_obj(cls);
  c->cpl = compute_cpl(th, cls);
  c->slots = compute_slots(th, cls);
  c->nslots = make_fixnum(list_length(c->slots));
  for (Value s = c->subclasses; is_cons(s); s = CDR(s))
    finalize_class(th, CAR(s), depth + 1);
}

static Value remove_from_list(Thread *th, Value x, Value list) {
  Value out = NIL;
  for (; is_cons(list); list = CDR(list))
    if (CAR(list) != x)
      out = cons(th, CAR(list), out);
  return nreverse_list(out);
}

Value define_class(Thread *th, enum ClassKind kind, Value name, Value supers, Value slots) {
  check_symbol(th, name);
  Value sup = NIL;
  for (Value l = supers; is_cons(l); l = CDR(l))
    sup = cons(th, is_type(CAR(l), T_CLASS) ? CAR(l) : find_class(th, CAR(l), true), sup);
  sup = nreverse_list(sup);
  if (sup == NIL && name != SYM(t)) {
    Value dflt = kind == CK_CONDITION   ? SYM(condition)
                 : kind == CK_STRUCTURE ? SYM(structure_object)
                 : kind == CK_STANDARD  ? SYM(standard_object)
                                        : SYM(t);
    sup = list1(th, find_class(th, dflt, true));
  }
  Value cls = hash_get(th, th->vm->classes, name, NIL);
  Class *c;
  if (is_type(cls, T_CLASS) && class_of_obj(cls)->name == name) {
    c = class_of_obj(cls);
    if (c->h.flags == CK_BUILTIN && kind != CK_BUILTIN)
      simple_error(th, "Can't redefine the built-in class ~S.", name);
    for (Value l = c->supers; is_cons(l); l = CDR(l))
      class_of_obj(CAR(l))->subclasses = remove_from_list(th, cls, class_of_obj(CAR(l))->subclasses);
  } else {
    c = gc_alloc(th, T_CLASS, sizeof(Class));
    cls = obj_value(c);
    c->name = name;
    c->slots = NIL;
    c->nslots = make_fixnum(0);
    c->default_initargs = NIL;
    c->plist = NIL;
    c->subclasses = NIL;
    c->cpl = NIL;
  }
  c->h.flags = (uint8_t)kind;
  c->supers = sup;
  c->plist = plist_put(th, c->plist, ts_ref(th, TS_K_DIRECT_SLOTS), slots);
  for (Value l = sup; is_cons(l); l = CDR(l))
    class_of_obj(CAR(l))->subclasses = cons(th, cls, class_of_obj(CAR(l))->subclasses);
  hash_put(th, th->vm->classes, name, cls);
  finalize_class(th, cls, 0);
  return cls;
}

Value find_class(Thread *th, Value name, bool errorp) {
  Value c = is_symbol(name) ? hash_get(th, th->vm->classes, name, NIL) : NIL;
  if (is_type(c, T_CLASS))
    return c;
  if (is_symbol(name) && name != NIL && autoload_class(th, name)) /* a library DEFINE-CONDITION */
    return find_class(th, name, errorp);
  if (errorp)
    simple_error(th, "Class named ~S not found.", name);
  return NIL;
}

int class_slot_index(Thread *th, Value cls, Value slot_name) {
  int i = 0;
  for (Value l = class_of_obj(cls)->slots; is_cons(l); l = CDR(l), i++)
    if (plist_get(CAR(l), SYM(k_name), NIL) == slot_name)
      return i;
  UNUSED(th);
  return -1;
}

/* ---- Arrays ---- */

bool is_array_obj(Value v) {
  if (!is_obj(v))
    return false;
  switch (obj_of(v)->type) {
  case T_STRING:
  case T_SVECTOR:
  case T_OCTETS:
  case T_NUMVEC:
  case T_ARRAY:
    return true;
  default:
    return false;
  }
}

static const int numvec_kind[] = {
    [NV_SB8] = EK_S8,   [NV_SB16] = EK_S16, [NV_UB16] = EK_U16,  [NV_SB32] = EK_S32,  [NV_UB32] = EK_U32,
    [NV_SB64] = EK_S64, [NV_UB64] = EK_U64, [NV_SFLOAT] = EK_SF, [NV_DFLOAT] = EK_DF, [NV_BIT] = EK_BIT,
};

int array_elt_kind(Value v) {
  for (int guard = 0; guard < 1000 && is_obj(v); guard++) {
    switch (obj_of(v)->type) {
    case T_STRING:
      return EK_CHAR;
    case T_SVECTOR:
      return EK_T;
    case T_OCTETS:
      return EK_U8;
    case T_NUMVEC:
      return obj_of(v)->flags <= NV_BIT ? numvec_kind[obj_of(v)->flags] : EK_T;
    case T_ARRAY:
      v = array_of(v)->data;
      break;
    default:
      return EK_T;
    }
  }
  return EK_T;
}

size_t array_rank_of(Value v) { return is_type(v, T_ARRAY) ? array_of(v)->rank : 1; }

size_t array_dim_of(Value v, size_t axis) {
  if (is_type(v, T_ARRAY))
    return axis < array_of(v)->rank ? array_of(v)->dims[axis] : 0;
  switch (obj_of(v)->type) {
  case T_STRING:
    return string_of(v)->len;
  case T_SVECTOR:
    return svec_of(v)->len;
  case T_OCTETS:
    return octets_of(v)->len;
  case T_NUMVEC:
    return ((NumVec *)v)->len;
  default:
    return 0;
  }
}

/* A vector with a header (fill pointer, adjustable, displaced) is never simple; a
 * multi-dimensional array is simple unless adjustable or displaced. */
bool is_simple_array_obj(Value v) {
  if (!is_array_obj(v))
    return false;
  if (!is_type(v, T_ARRAY))
    return true;
  return array_of(v)->rank != 1 && !(obj_of(v)->flags & (ARR_ADJUSTABLE | ARR_FILL_POINTER | ARR_DISPLACED));
}

bool is_vector_obj(Value v) { return is_array_obj(v) && array_rank_of(v) == 1; }

Value elt_kind_spec(Thread *th, int ek) {
  switch (ek) {
  case EK_CHAR:
    return SYM(character);
  case EK_BIT:
    return SYM(bit);
  case EK_U8:
    return list2(th, SYM(unsigned_byte), make_fixnum(8));
  case EK_S8:
    return list2(th, SYM(signed_byte), make_fixnum(8));
  case EK_U16:
    return list2(th, SYM(unsigned_byte), make_fixnum(16));
  case EK_S16:
    return list2(th, SYM(signed_byte), make_fixnum(16));
  case EK_U32:
    return list2(th, SYM(unsigned_byte), make_fixnum(32));
  case EK_S32:
    return list2(th, SYM(signed_byte), make_fixnum(32));
  case EK_U64:
    return list2(th, SYM(unsigned_byte), make_fixnum(64));
  case EK_S64:
    return list2(th, SYM(signed_byte), make_fixnum(64));
  case EK_SF:
    return SYM(single_float);
  case EK_DF:
    return SYM(double_float);
  default:
    return SYM(t);
  }
}

static int unsigned_kind(intptr_t bits) {
  return bits <= 1    ? EK_BIT
         : bits <= 8  ? EK_U8
         : bits <= 16 ? EK_U16
         : bits <= 32 ? EK_U32
         : bits <= 64 ? EK_U64
                      : EK_T;
}

static int signed_kind(intptr_t bits) {
  return bits <= 8 ? EK_S8 : bits <= 16 ? EK_S16 : bits <= 32 ? EK_S32 : bits <= 64 ? EK_S64 : EK_T;
}

static intptr_t bits_for(intptr_t n) { /* integer-length of a non-negative fixnum */
  intptr_t b = 0;
  while (n > 0) {
    b++;
    n >>= 1;
  }
  return b;
}

/* The specialized kind for integers in [lo, hi] (fixnum bounds) */
static int range_kind(intptr_t lo, intptr_t hi) {
  if (lo >= 0)
    return unsigned_kind(bits_for(hi));
  intptr_t m = hi > -lo - 1 ? hi : -lo - 1;
  return signed_kind(bits_for(m) + 1);
}

int upgraded_elt_kind(Thread *th, Value spec) {
  bool expanded = true;
  for (int guard = 0; expanded && guard < 100; guard++)
    spec = expand_deftype(th, spec, &expanded);
  if (is_symbol(spec)) {
    if (spec == SYM(character) || spec == SYM(base_char) || spec == SYM(standard_char) ||
        spec == ts_ref(th, TS_S_EXTENDED_CHAR))
      return EK_CHAR;
    if (spec == SYM(bit))
      return EK_BIT;
    if (spec == SYM(single_float) || spec == SYM(short_float))
      return EK_SF;
    if (spec == SYM(double_float) || spec == SYM(long_float))
      return EK_DF;
    if (spec == SYM(fixnum))
      return EK_S64;
    return EK_T;
  }
  if (!is_cons(spec))
    return EK_T;
  Value head = CAR(spec), args = CDR(spec);
  Value a1 = is_cons(args) ? CAR(args) : SYM(star);
  if ((head == SYM(unsigned_byte) || head == SYM(signed_byte)) && is_fixnum(a1) && fixnum_val(a1) > 0)
    return head == SYM(unsigned_byte) ? unsigned_kind(fixnum_val(a1)) : signed_kind(fixnum_val(a1));
  if (head == SYM(mod) && is_fixnum(a1) && fixnum_val(a1) > 0)
    return unsigned_kind(bits_for(fixnum_val(a1) - 1));
  if (head == SYM(integer) && is_cons(args) && is_cons(CDR(args))) {
    Value lo = a1, hi = CAR(CDR(args));
    if (is_cons(lo) && is_fixnum(CAR(lo)))
      lo = make_fixnum(fixnum_val(CAR(lo)) + 1);
    if (is_cons(hi) && is_fixnum(CAR(hi)))
      hi = make_fixnum(fixnum_val(CAR(hi)) - 1);
    if (is_fixnum(lo) && is_fixnum(hi))
      return range_kind(fixnum_val(lo), fixnum_val(hi));
    return EK_T;
  }
  if (head == SYM(single_float) || head == SYM(short_float))
    return EK_SF;
  if (head == SYM(double_float) || head == SYM(long_float))
    return EK_DF;
  if (head == SYM(member) || head == SYM(eql)) {
    bool chars = true, ints = true;
    intptr_t lo = 0, hi = 0;
    int n = 0;
    for (Value l = args; is_cons(l); l = CDR(l), n++) {
      Value x = CAR(l);
      if (!is_char(x))
        chars = false;
      if (!is_fixnum(x))
        ints = false;
      else {
        if (!n || fixnum_val(x) < lo)
          lo = fixnum_val(x);
        if (!n || fixnum_val(x) > hi)
          hi = fixnum_val(x);
      }
    }
    if (n && chars)
      return EK_CHAR;
    if (n && ints)
      return range_kind(lo, hi);
  }
  return EK_T;
}

Value upgraded_array_element_type(Thread *th, Value spec) {
  return elt_kind_spec(th, upgraded_elt_kind(th, spec));
}

/* ---- CLASS-OF and TYPE-OF ---- */

static bool standard_char_code(uint32_t c) { return c == '\n' || (c >= 32 && c < 127); }

Value class_of(Thread *th, Value x) {
  Value *ts = svec_of(types_state(th))->data;
  switch (x & TAG_MASK) {
  case TAG_FIXNUM:
    return ts[TS_FIXNUM];
  case TAG_CONS:
    return ts[TS_CONS];
  case TAG_IMM:
    if (x == NIL)
      return ts[TS_NULL];
    if (is_char(x))
      return standard_char_code(char_code(x)) ? ts[TS_STANDARD_CHAR] : ts[TS_CHARACTER];
    if (is_sfloat(x))
      return ts[TS_SINGLE_FLOAT];
    return ts[TS_T];
  default:
    break;
  }
  if (x == 0)
    return ts[TS_T];
  switch (obj_of(x)->type) {
  case T_SYMBOL:
    return sym_raw(x)->package == th->vm->pkg_keyword ? ts[TS_KEYWORD] : ts[TS_SYMBOL];
  case T_STRING:
  case T_SVECTOR:
  case T_OCTETS:
  case T_NUMVEC:
    return ts[TS_SIMPLE_VEC + array_elt_kind(x)];
  case T_ARRAY:
    if (array_of(x)->rank == 1)
      return ts[TS_COMPLEX_VEC + array_elt_kind(x)];
    return is_simple_array_obj(x) ? ts[TS_SIMPLE_ARRAY] : ts[TS_ARRAY];
  case T_BIGNUM:
    return ts[TS_BIGNUM];
  case T_RATIO:
    return ts[TS_RATIO];
  case T_DOUBLE:
    return ts[TS_DOUBLE_FLOAT];
  case T_CLOSURE:
    return closure_of(x)->env != NIL ? ts[TS_CLOSURE] : ts[TS_FUNCTION];
  case T_NATIVE:
    if (native_of(x)->desc->flags & NAT_FUNCALLABLE)
      return svec_of(native_of(x)->data)->data[FIN_CLASS];
    return ts[TS_FUNCTION];
  case T_PACKAGE:
    return ts[TS_PACKAGE];
  case T_HASHTABLE:
    return ts[TS_HASH_TABLE];
  case T_STREAM:
    return is_type(stream_of(x)->klass, T_CLASS) ? stream_of(x)->klass : ts[TS_STREAM];
  case T_CLASS:
    switch (obj_of(x)->flags) {
    case CK_BUILTIN:
      return ts[TS_BUILT_IN_CLASS];
    case CK_STRUCTURE:
      return ts[TS_STRUCTURE_CLASS];
    default:
      return ts[TS_STANDARD_CLASS];
    }
  case T_INSTANCE:
    return instance_of(x)->klass;
  case T_FOREIGN: {
    Value c = find_class(th, ((Foreign *)x)->tag, false);
    return c != NIL ? c : ts[TS_T];
  }
  default:
    return ts[TS_T];
  }
}

/* CCL's TYPE-OF of arrays: (SIMPLE-BASE-STRING 3), (VECTOR T 5), (SIMPLE-ARRAY T (2 3)) ... */
static Value array_type_of(Thread *th, Value x) {
  int ek = array_elt_kind(x);
  size_t rank = array_rank_of(x);
  bool simple = is_simple_array_obj(x);
  if (rank == 1) {
    Value n = make_fixnum((intptr_t)array_dim_of(x, 0));
    if (simple) {
      if (ek == EK_BIT)
        return list2(th, ts_ref(th, TS_S_SIMPLE_BIT_VECTOR), n);
      if (ek == EK_CHAR)
        return list2(th, ts_ref(th, TS_S_SIMPLE_BASE_STRING), n);
      if (ek == EK_T)
        return list2(th, SYM(simple_vector), n);
      return list3(th, SYM(simple_array), elt_kind_spec(th, ek), list1(th, n));
    }
    if (ek == EK_BIT)
      return list2(th, SYM(bit_vector), n);
    if (ek == EK_CHAR)
      return list2(th, ts_ref(th, TS_S_BASE_STRING), n);
    return list3(th, SYM(vector), elt_kind_spec(th, ek), n);
  }
  Value dims = NIL;
  for (size_t i = rank; i-- > 0;)
    dims = cons(th, make_fixnum((intptr_t)array_dim_of(x, i)), dims);
  return list3(th, simple ? SYM(simple_array) : SYM(array), elt_kind_spec(th, ek), dims);
}

/* A class's proper name, or the class itself when its name now names another class. */
static Value class_type_name(Thread *th, Value cls) {
  Value name = class_of_obj(cls)->name;
  return find_class(th, name, false) == cls ? name : cls;
}

Value type_of(Thread *th, Value x) {
  if (x == SYM(t))
    return SYM(boolean);
  if (is_fixnum(x)) {
    intptr_t n = fixnum_val(x);
    if (n == 0 || n == 1)
      return SYM(bit);
    if (n < 0)
      return SYM(fixnum);
    return list3(th, SYM(integer), make_fixnum(0), make_fixnum(FIXNUM_MAX));
  }
  if (is_bignum(x)) {
    if (((Bignum *)x)->size < 0)
      return SYM(bignum);
    return list2(th, SYM(integer), make_integer_u64(th, (uint64_t)FIXNUM_MAX + 1));
  }
  if (is_char(x))
    return standard_char_code(char_code(x)) ? SYM(standard_char) : SYM(character);
  if (is_array_obj(x))
    return array_type_of(th, x);
  if (is_sfloat(x))
    return SYM(single_float);
  if (is_double(x))
    return SYM(double_float);
  if (is_type(x, T_FOREIGN) && find_class(th, ((Foreign *)x)->tag, false) == NIL)
    return ((Foreign *)x)->tag;
  return class_type_name(th, class_of(th, x));
}

/* ---- DEFTYPE expanders ---- */

Value deftype_expander(Thread *th, Value name) {
  if (!is_symbol(name) || name == NIL)
    return NIL;
  return plist_get(symbol_of(th, name)->plist, ts_ref(th, TS_S_DEFTYPE), NIL);
}

Value expand_deftype(Thread *th, Value spec, bool *expanded) {
  Value name = is_cons(spec) ? CAR(spec) : spec;
  Value fn = deftype_expander(th, name);
  if (fn == NIL) {
    *expanded = false;
    return spec;
  }
  *expanded = true;
  return funcall1(th, fn, is_cons(spec) ? CDR(spec) : NIL);
}

/* ---- TYPEP ---- */

static NORETURN void unknown_type(Thread *th, Value spec) {
  simple_error(th, "Unknown type specifier: ~S", spec);
}

static NORETURN void invalid_type(Thread *th, Value spec) {
  simple_error(th, "Invalid type specifier: ~S", spec);
}

static int integer_sign(Value v) {
  if (is_fixnum(v))
    return fixnum_val(v) < 0 ? -1 : fixnum_val(v) > 0;
  return ((Bignum *)v)->size < 0 ? -1 : 1;
}

/* INTEGER-LENGTH of an integer (two's complement width without the sign bit) */
static intptr_t integer_length(Value v) {
  if (is_fixnum(v)) {
    intptr_t n = fixnum_val(v);
    return bits_for(n < 0 ? -n - 1 : n);
  }
  Bignum *b = (Bignum *)v;
  int n = b->size < 0 ? -b->size : b->size;
  uint64_t top = b->limbs[n - 1];
  intptr_t bits = 64 * (intptr_t)(n - 1);
  for (uint64_t t = top; t; t >>= 1)
    bits++;
  if (b->size < 0) { /* length of |x| - 1: one less when |x| is a power of two */
    bool pow2 = (top & (top - 1)) == 0;
    for (int i = 0; i < n - 1 && pow2; i++)
      if (b->limbs[i])
        pow2 = false;
    if (pow2)
      bits--;
  }
  return bits;
}

/* A numeric bound: '*, a real, or (real) for an exclusive one. */
static void parse_bound(Thread *th, Value b, Value kind, Value *out, bool *excl) {
  *excl = false;
  if (b == SYM(star))
    *out = UNBOUND;
  else if (is_real(b))
    *out = b;
  else if (is_cons(b) && CDR(b) == NIL && is_real(CAR(b))) {
    *out = CAR(b);
    *excl = true;
  } else
    simple_error(th, "Bound is not *, a ~A or a list of a ~A: ~S", kind, kind, b);
}

static int cmp_fixnums(Value a, Value b) {
  intptr_t x = fixnum_val(a), y = fixnum_val(b);
  return x < y ? -1 : x > y;
}

static bool in_range(Thread *th, Value x, Value spec) {
  Value args = CDR(spec);
  Value lo = UNBOUND, hi = UNBOUND;
  bool lox = false, hix = false;
  if (is_cons(args)) {
    parse_bound(th, CAR(args), CAR(spec), &lo, &lox);
    if (is_cons(CDR(args))) {
      parse_bound(th, CAR(CDR(args)), CAR(spec), &hi, &hix);
      if (CDR(CDR(args)) != NIL)
        invalid_type(th, spec);
    } else if (CDR(args) != NIL)
      invalid_type(th, spec);
  } else if (args != NIL)
    invalid_type(th, spec);
  if (lo != UNBOUND) {
    int c = is_fixnum(x) && is_fixnum(lo) ? cmp_fixnums(x, lo) : number_compare(th, x, lo);
    if (c < 0 || (c == 0 && lox))
      return false;
  }
  if (hi != UNBOUND) {
    int c = is_fixnum(x) && is_fixnum(hi) ? cmp_fixnums(x, hi) : number_compare(th, x, hi);
    if (c > 0 || (c == 0 && hix))
      return false;
  }
  return true;
}

static Value arg_n(Value args, int n) {
  for (; n > 0 && is_cons(args); n--)
    args = CDR(args);
  return is_cons(args) ? CAR(args) : UNBOUND;
}

/* Size argument of a one-dimensional array type: '* or a non-negative fixnum. */
static bool size_matches(Thread *th, Value x, Value size, Value spec) {
  if (size == UNBOUND || size == SYM(star))
    return true;
  if (!is_fixnum(size) || fixnum_val(size) < 0)
    invalid_type(th, spec);
  return array_dim_of(x, 0) == (size_t)fixnum_val(size);
}

static bool dims_match(Thread *th, Value x, Value dims, Value spec) {
  if (dims == UNBOUND || dims == SYM(star))
    return true;
  size_t rank = array_rank_of(x);
  if (is_fixnum(dims))
    return fixnum_val(dims) >= 0 && rank == (size_t)fixnum_val(dims);
  if (!is_list(dims))
    invalid_type(th, spec);
  size_t i = 0;
  for (; is_cons(dims); dims = CDR(dims), i++) {
    if (i >= rank)
      return false;
    Value d = CAR(dims);
    if (d == SYM(star))
      continue;
    if (!is_fixnum(d))
      invalid_type(th, spec);
    if (array_dim_of(x, i) != (size_t)fixnum_val(d))
      return false;
  }
  return i == rank;
}

static bool elt_matches(Thread *th, Value x, Value et) {
  if (et == UNBOUND || et == SYM(star))
    return true;
  return upgraded_elt_kind(th, et) == array_elt_kind(x);
}

static bool typep_compound(Thread *th, Value x, Value spec) {
  Value head = CAR(spec), args = CDR(spec);
  if (!is_symbol(head))
    unknown_type(th, spec);
  if (head == SYM(and_)) {
    for (; is_cons(args); args = CDR(args))
      if (!typep(th, x, CAR(args)))
        return false;
    return true;
  }
  if (head == SYM(or_)) {
    for (; is_cons(args); args = CDR(args))
      if (typep(th, x, CAR(args)))
        return true;
    return false;
  }
  if (head == SYM(not_)) {
    if (!is_cons(args) || CDR(args) != NIL)
      invalid_type(th, spec);
    return !typep(th, x, CAR(args));
  }
  if (head == SYM(member)) {
    for (; is_cons(args); args = CDR(args))
      if (eql(x, CAR(args)))
        return true;
    return false;
  }
  if (head == SYM(eql)) {
    if (!is_cons(args) || CDR(args) != NIL)
      invalid_type(th, spec);
    return eql(x, CAR(args));
  }
  if (head == SYM(satisfies)) {
    if (!is_cons(args) || CDR(args) != NIL || !is_symbol(CAR(args)))
      invalid_type(th, spec);
    return funcall1(th, CAR(args), x) != NIL;
  }
  Value a0 = arg_n(args, 0), a1 = arg_n(args, 1);
  /* numbers */
  if (head == SYM(integer))
    return is_integer(x) && in_range(th, x, spec);
  if (head == SYM(rational))
    return is_rational(x) && in_range(th, x, spec);
  if (head == SYM(real))
    return is_real(x) && in_range(th, x, spec);
  if (head == SYM(float_))
    return is_float(x) && in_range(th, x, spec);
  if (head == SYM(single_float) || head == SYM(short_float))
    return is_sfloat(x) && in_range(th, x, spec);
  if (head == SYM(double_float) || head == SYM(long_float))
    return is_double(x) && in_range(th, x, spec);
  if (head == SYM(mod)) {
    if (!is_integer(a0) || integer_sign(a0) <= 0 || CDR(args) != NIL)
      invalid_type(th, spec);
    return is_integer(x) && integer_sign(x) >= 0 && number_compare(th, x, a0) < 0;
  }
  if (head == SYM(unsigned_byte) || head == SYM(signed_byte)) {
    if (!is_integer(x))
      return false;
    if (head == SYM(unsigned_byte) && integer_sign(x) < 0)
      return false;
    if (a0 == UNBOUND || a0 == SYM(star))
      return true;
    if (!is_fixnum(a0) || fixnum_val(a0) <= 0) {
      if (head == SYM(signed_byte))
        program_error(th, "Bad size specified for SIGNED-BYTE type specifier: ~S.", a0);
      simple_error(th, "Bad size specified for UNSIGNED-BYTE type specifier: ~S.", a0);
    }
    intptr_t len = integer_length(x);
    return head == SYM(unsigned_byte) ? len <= fixnum_val(a0) : len < fixnum_val(a0);
  }
  if (head == ts_ref(th, TS_S_COMPLEX))
    return false; /* no complex numbers */
  /* arrays */
  if (head == SYM(array) || head == SYM(simple_array)) {
    if (!is_array_obj(x) || (head == SYM(simple_array) && !is_simple_array_obj(x)))
      return false;
    return elt_matches(th, x, a0) && dims_match(th, x, a1, spec);
  }
  if (head == SYM(vector))
    return is_vector_obj(x) && elt_matches(th, x, a0) && size_matches(th, x, a1, spec);
  if (head == SYM(simple_vector))
    return is_type(x, T_SVECTOR) && size_matches(th, x, a0, spec);
  if (head == SYM(string) || head == ts_ref(th, TS_S_BASE_STRING))
    return is_vector_obj(x) && array_elt_kind(x) == EK_CHAR && size_matches(th, x, a0, spec);
  if (head == SYM(simple_string) || head == ts_ref(th, TS_S_SIMPLE_BASE_STRING))
    return is_string(x) && size_matches(th, x, a0, spec);
  if (head == SYM(bit_vector))
    return is_vector_obj(x) && array_elt_kind(x) == EK_BIT && size_matches(th, x, a0, spec);
  if (head == ts_ref(th, TS_S_SIMPLE_BIT_VECTOR))
    return is_type(x, T_NUMVEC) && obj_of(x)->flags == NV_BIT && size_matches(th, x, a0, spec);
  if (head == SYM(cons)) {
    if (!is_cons(x))
      return false;
    if (a0 != UNBOUND && a0 != SYM(star) && !typep(th, CAR(x), a0))
      return false;
    if (a1 != UNBOUND && a1 != SYM(star) && !typep(th, CDR(x), a1))
      return false;
    return true;
  }
  if (head == SYM(values))
    program_error(th, "VALUES type illegal in this context:~%  ~S", spec);
  if (head == SYM(function_t))
    simple_error(th, "Function types are not a legal argument to TYPEP:~%  ~S", spec);
  Value fn = deftype_expander(th, head);
  if (fn != NIL)
    return typep(th, x, funcall1(th, fn, args));
  unknown_type(th, spec);
}

static bool typep_symbol(Thread *th, Value x, Value type) {
  if (type == SYM(t))
    return true;
  if (type == NIL)
    return false;
  if (type == SYM(list))
    return is_list(x);
  if (type == SYM(cons))
    return is_cons(x);
  if (type == SYM(null))
    return x == NIL;
  if (type == SYM(symbol))
    return is_symbol(x);
  if (type == SYM(fixnum))
    return is_fixnum(x);
  if (type == SYM(integer))
    return is_integer(x);
  if (type == SYM(string))
    return is_vector_obj(x) && array_elt_kind(x) == EK_CHAR;
  if (type == SYM(number) || type == SYM(real))
    return is_real(x);
  if (type == SYM(character) || type == SYM(base_char))
    return is_char(x);
  if (type == SYM(function_t) || type == SYM(compiled_function))
    return is_function(x);
  if (type == SYM(keyword))
    return is_keyword(th, x);
  if (type == SYM(atom))
    return !is_cons(x);
  if (type == SYM(boolean))
    return x == NIL || x == SYM(t);
  if (type == SYM(bignum))
    return is_bignum(x);
  if (type == SYM(bit))
    return x == make_fixnum(0) || x == make_fixnum(1);
  if (type == SYM(rational))
    return is_rational(x);
  if (type == SYM(ratio))
    return is_ratio(x);
  if (type == SYM(float_))
    return is_float(x);
  if (type == SYM(single_float) || type == SYM(short_float))
    return is_sfloat(x);
  if (type == SYM(double_float) || type == SYM(long_float))
    return is_double(x);
  if (type == SYM(unsigned_byte))
    return is_integer(x) && integer_sign(x) >= 0;
  if (type == SYM(signed_byte))
    return is_integer(x);
  if (type == SYM(standard_char))
    return is_char(x) && standard_char_code(char_code(x));
  if (type == SYM(simple_string))
    return is_string(x);
  if (type == SYM(vector))
    return is_vector_obj(x);
  if (type == SYM(simple_vector))
    return is_type(x, T_SVECTOR);
  if (type == SYM(array))
    return is_array_obj(x);
  if (type == SYM(simple_array))
    return is_simple_array_obj(x);
  if (type == SYM(bit_vector))
    return is_vector_obj(x) && array_elt_kind(x) == EK_BIT;
  if (type == SYM(sequence))
    return is_list(x) || is_vector_obj(x);
  if (type == SYM(hash_table))
    return is_type(x, T_HASHTABLE);
  if (type == SYM(package_))
    return is_type(x, T_PACKAGE);
  if (type == SYM(stream) && is_type(x, T_STREAM))
    return true;
  Value cls = find_class(th, type, false); /* reads a library DEFINE-CONDITION if need be */
  if (is_type(cls, T_CLASS))
    return subclassp(class_of(th, x), cls);
  Value fn = deftype_expander(th, type);
  if (fn != NIL)
    return typep(th, x, funcall1(th, fn, NIL));
  if (type == ts_ref(th, TS_S_EXTENDED_CHAR))
    return false; /* every character is a base-char */
  unknown_type(th, type);
}

bool typep(Thread *th, Value x, Value type) {
  if (is_symbol(type))
    return typep_symbol(th, x, type);
  if (is_cons(type))
    return typep_compound(th, x, type);
  if (is_type(type, T_CLASS))
    return subclassp(class_of(th, x), type);
  unknown_type(th, type);
}
