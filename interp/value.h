/* value.h — the representation of every Lisp value: tagged words, object headers,
 * the layout of each heap type, and the cheap predicates and accessors over them. */
#ifndef CLOVE_VALUE_H
#define CLOVE_VALUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef uintptr_t Value;

/* Low two bits of a word:
 *   00  pointer to a heap object that starts with an Obj header (16-byte aligned)
 *   01  pointer to a cons (headerless, 16 bytes) plus 1
 *   10  fixnum, value << 2
 *   11  immediate: bits 2..7 a subtag, bits 8.. the payload */
#define TAG_MASK 3u
#define TAG_OBJ 0u
#define TAG_CONS 1u
#define TAG_FIXNUM 2u
#define TAG_IMM 3u

#define IMM_SPECIAL 0u /* NIL and the internal markers */
#define IMM_CHAR 1u
#define IMM_SFLOAT 2u

#define MAKE_IMM(sub, payload) ((((Value)(payload)) << 8) | ((Value)(sub) << 2) | TAG_IMM)
#define IMM_SUBTAG(v) (((v) >> 2) & 0x3f)
#define IMM_PAYLOAD(v) ((v) >> 8)

/* NIL is an immediate so that `v == NIL` is a compare with a constant; symbol
 * operations map it to the VM's record for the symbol NIL (see symbol_of). */
#define NIL MAKE_IMM(IMM_SPECIAL, 0)
#define UNBOUND MAKE_IMM(IMM_SPECIAL, 1)    /* value cell of an unbound symbol, unbound slot */
#define UNSUPPLIED MAKE_IMM(IMM_SPECIAL, 2) /* optional/keyword argument not given to a native */
#define GO_MARK MAKE_IMM(IMM_SPECIAL, 3)    /* a local GO travelling back to its TAGBODY */
#define TAIL_MARK MAKE_IMM(IMM_SPECIAL, 4)  /* a tail call waiting in the thread for the trampoline */
#define NO_TLS MAKE_IMM(IMM_SPECIAL, 5)     /* thread-local slot with no dynamic binding */
#define EOF_MARK MAKE_IMM(IMM_SPECIAL, 6)   /* internal end-of-file result of stream readers */

/* CCL's 64-bit fixnums: most-positive-fixnum is 2^60-1. */
#define FIXNUM_BITS 61
#define FIXNUM_MAX ((intptr_t)((((uintptr_t)1) << (FIXNUM_BITS - 1)) - 1))
#define FIXNUM_MIN (-FIXNUM_MAX - 1)

static inline bool is_fixnum(Value v) { return (v & TAG_MASK) == TAG_FIXNUM; }
static inline intptr_t fixnum_val(Value v) { return (intptr_t)v >> 2; }
static inline Value make_fixnum(intptr_t n) { return ((uintptr_t)n << 2) | TAG_FIXNUM; }
static inline bool fixnum_fits(intptr_t n) { return n >= FIXNUM_MIN && n <= FIXNUM_MAX; }

static inline bool is_char(Value v) { return (v & 0xff) == ((IMM_CHAR << 2) | TAG_IMM); }
static inline uint32_t char_code(Value v) { return (uint32_t)IMM_PAYLOAD(v); }
static inline Value make_char(uint32_t c) { return MAKE_IMM(IMM_CHAR, c); }
#define CHAR_CODE_LIMIT 0x110000

static inline bool is_sfloat(Value v) { return (v & 0xff) == ((IMM_SFLOAT << 2) | TAG_IMM); }
static inline float sfloat_val(Value v) {
  uint32_t bits = (uint32_t)IMM_PAYLOAD(v);
  float f;
  memcpy(&f, &bits, sizeof f);
  return f;
}
static inline Value make_sfloat(float f) {
  uint32_t bits;
  memcpy(&bits, &f, sizeof bits);
  return MAKE_IMM(IMM_SFLOAT, bits);
}

/* ---- Heap objects ---- */

enum ObjType {
  T_SYMBOL = 1,
  T_STRING,    /* simple-string: 32-bit code points */
  T_SVECTOR,   /* simple-vector of Values */
  T_OCTETS,    /* simple (unsigned-byte 8) vector */
  T_NUMVEC,    /* other specialized simple vectors: see NumVec.etype */
  T_ARRAY,     /* complex array: multi-dimensional, fill pointer, adjustable or displaced */
  T_BIGNUM,
  T_RATIO,
  T_DOUBLE,
  T_CLOSURE,   /* a function written in Lisp */
  T_NATIVE,    /* a function written in C */
  T_MACRO,     /* what a macro name's function cell holds */
  T_PACKAGE,
  T_HASHTABLE,
  T_STREAM,
  T_CLASS,     /* built-in, structure, condition and (later) standard classes */
  T_INSTANCE,  /* instance of a structure, condition or standard class */
  T_NODE,      /* a node of compiled code */
  T_LAMBDA,    /* what compiling a lambda produces; a closure pairs it with captured boxes */
  T_BOX,       /* a captured lexical variable */
  T_FOREIGN,   /* opaque C payload (sockets, random states, ...) with an optional finalizer */
  T_WEAKBOX,
  T_TYPE_COUNT
};

/* Every non-cons heap object starts with this header. */
typedef struct Obj {
  uint8_t type;
  uint8_t flags; /* per-type bits */
  uint16_t pad16;
  uint32_t pad32;
} Obj;

typedef struct Cons {
  Value car, cdr;
} Cons;

static inline bool is_obj(Value v) { return (v & TAG_MASK) == TAG_OBJ && v != 0; }
static inline Obj *obj_of(Value v) { return (Obj *)v; }
static inline bool is_type(Value v, enum ObjType t) { return is_obj(v) && obj_of(v)->type == t; }
static inline Value obj_value(const void *p) { return (Value)p; }

static inline bool is_cons(Value v) { return (v & TAG_MASK) == TAG_CONS; }
static inline Cons *cons_of(Value v) { return (Cons *)(v - TAG_CONS); }
static inline Value cons_value(Cons *c) { return (Value)c | TAG_CONS; }
static inline bool is_list(Value v) { return v == NIL || is_cons(v); }
/* Unchecked: callers have tested is_cons. */
#define CAR(v) (cons_of(v)->car)
#define CDR(v) (cons_of(v)->cdr)

/* Symbol flags */
#define SYM_SPECIAL 0x01   /* proclaimed special (defvar, defparameter) */
#define SYM_CONSTANT 0x02  /* defconstant, keywords, T, NIL */
#define SYM_SPECIAL_OP 0x04 /* a special operator of CL: compile.c owns its meaning */
#define SYM_KEYWORD 0x08

typedef struct Symbol {
  Obj h;
  Value name;      /* a simple string */
  Value package;   /* home package or NIL */
  Value value;     /* global value, or UNBOUND */
  Value function;  /* function, T_MACRO, or UNBOUND */
  Value plist;
  Value setf_fn;   /* (setf name) function, or UNBOUND */
  uint32_t tls_index; /* 0: never dynamically bound; else index into Thread.tls */
  uint32_t hash;
} Symbol;

typedef struct String {
  Obj h;
  size_t len;
  uint32_t data[];
} String;

typedef struct SVector {
  Obj h;
  size_t len;
  Value data[];
} SVector;

typedef struct Octets {
  Obj h;
  size_t len;
  uint8_t data[];
} Octets;

/* Element types of T_NUMVEC */
enum NumVecType { NV_SB8, NV_SB16, NV_UB16, NV_SB32, NV_UB32, NV_SB64, NV_UB64, NV_SFLOAT, NV_DFLOAT, NV_BIT };

typedef struct NumVec {
  Obj h; /* flags = enum NumVecType */
  size_t len;
  uint64_t data[]; /* storage, accessed by element width */
} NumVec;

/* Array flags */
#define ARR_ADJUSTABLE 0x01
#define ARR_FILL_POINTER 0x02
#define ARR_DISPLACED 0x04

/* A complex array: its elements live in a simple vector `data` (of any simple
 * vector type), starting at `offset`. */
typedef struct Array {
  Obj h;
  Value data;      /* T_STRING, T_SVECTOR, T_OCTETS or T_NUMVEC; or the array displaced to */
  size_t offset;   /* displaced-index-offset */
  size_t fill;     /* fill pointer (== total size when there is none) */
  size_t total;    /* array-total-size */
  uint32_t rank;
  size_t dims[];   /* rank entries */
} Array;

typedef struct Bignum {
  Obj h;
  int32_t size;    /* signed limb count, as GMP's _mp_size */
  int32_t pad;
  uint64_t limbs[]; /* mp_limb_t */
} Bignum;

typedef struct Ratio {
  Obj h;
  Value num, den; /* integers, den > 1, in lowest terms */
} Ratio;

typedef struct Double {
  Obj h;
  double d;
} Double;

struct Thread;
struct NativeDesc;

typedef Value (*NativeFn)(struct Thread *th, int nargs, Value *args);

/* NativeDesc.flags */
#define NAT_MV 0x01          /* sets th->nvals itself (returns multiple values) */
#define NAT_OTHER_KEYS 0x02  /* &allow-other-keys */
#define NAT_REST 0x04        /* takes any number of arguments past max_args (&rest) */
#define NAT_FUNCALLABLE 0x08 /* a funcallable instance (a generic function): data is an SVector
                                 whose first FIN_HEADER elements are below (builtins/clos.c) */

/* The header of a funcallable instance's data: class-of, ARGLIST and DOCUMENTATION read it. */
enum { FIN_CLASS, FIN_LAMBDA_LIST, FIN_DOCUMENTATION, FIN_HEADER };

/* A native is declared once: Lisp name, arity, keywords, lambda list, doc.
 * name may carry a package prefix ("CCL:GETENV"); without one the symbol is in CL.
 * keys is a space-separated list of keyword names ("start end key").
 * The core parses arguments: fn receives positional arguments (UNSUPPLIED for a
 * missing optional) and then one slot per key (UNSUPPLIED when absent); with
 * NAT_REST and no keys it receives the arguments as given, nargs counting all. */
typedef struct NativeDesc {
  const char *name;
  NativeFn fn;
  int8_t min_args, max_args;
  uint8_t flags;
  const char *keys;
  const char *lambda_list;
  const char *doc;
} NativeDesc;

typedef struct Native {
  Obj h;
  const NativeDesc *desc;
  Value name;      /* symbol */
  Value keys;      /* list of keyword symbols, parsed from desc->keys */
  Value data;      /* per-function data of natives made at run time (structure accessors) */
  uint16_t nkeys;
} Native;

/* A macro: a function of (form env) in a symbol's function cell. */
typedef struct Macro {
  Obj h;
  Value expander;
} Macro;

/* Closure flags */
#define CLO_FUNCALLABLE 0x01 /* reserved for generic functions */

typedef struct Closure {
  Obj h;
  Value lambda; /* T_LAMBDA */
  Value env;    /* T_SVECTOR of T_BOX captured from the enclosing frames, or NIL */
  Value name;   /* function name for printing and backtraces, or NIL */
} Closure;

typedef struct Box {
  Obj h;
  Value value;
} Box;

/* A reference the collector clears (to NIL) once nothing else keeps its value. */
typedef struct WeakBox {
  Obj h;
  Value value;
} WeakBox;


typedef struct Package {
  Obj h;
  Value name;        /* string */
  Value nicknames;   /* list of strings */
  Value use_list;    /* list of packages */
  Value used_by;     /* list of packages */
  Value shadowing;   /* list of symbols */
  Value internals;   /* T_HASHTABLE string -> symbol (equal) */
  Value externals;   /* T_HASHTABLE string -> symbol (equal) */
} Package;

/* Hash table test (flags) */
enum HashTest { HT_EQ, HT_EQL, HT_EQUAL, HT_EQUALP };

typedef struct HashTable {
  Obj h;          /* flags = enum HashTest */
  size_t count;
  size_t size;    /* bucket vector length (power of two) */
  Value entries;  /* T_SVECTOR of 2*size: key (UNBOUND: empty, NO_TLS: deleted), value, ... */
  Value rehash_size, rehash_threshold; /* as given, for hash-table-rehash-size etc. */
  size_t deleted;  /* tombstones (NO_TLS keys) */
} HashTable;

/* A class of the built-in tree, a condition class, a structure class or (later) a
 * standard class. */
enum ClassKind { CK_BUILTIN, CK_STRUCTURE, CK_CONDITION, CK_STANDARD };

typedef struct Class {
  Obj h;           /* flags = enum ClassKind */
  Value name;      /* symbol */
  Value supers;    /* direct superclasses (list of classes) */
  Value cpl;       /* class precedence list, this class first */
  Value slots;     /* list of slot definitions (plists), in instance order */
  Value nslots;    /* fixnum */
  Value default_initargs;
  Value plist;     /* report function, print function, constructor info, documentation ... */
  Value subclasses;
} Class;

typedef struct Instance {
  Obj h;
  Value klass;   /* T_CLASS */
  Value slots;   /* T_SVECTOR; unbound slots hold UNBOUND */
} Instance;

typedef void (*Finalizer)(void *payload);
/* Prints the object (the part inside #<...>, or all of it); NULL: #<TAG #x...> */
typedef void (*ForeignPrinter)(struct Thread *th, Value obj, Value stream);

typedef struct Foreign {
  Obj h;
  Value tag;         /* a symbol naming the kind (for printing and type checks) */
  Finalizer finalize; /* run when unreachable, or NULL */
  void *payload;     /* malloc'd by the owner, freed by finalize */
  ForeignPrinter print;
  Value data;        /* Lisp values the owner keeps with the payload (traced), or NIL */
  Value slots;       /* 0, or the CLOS slot vector of a socket CHANGE-CLASS gave a DEFCLASS subclass */
} Foreign;

/* ---- Small inline accessors ---- */

static inline Symbol *sym_raw(Value v) { return (Symbol *)v; }
static inline String *string_of(Value v) { return (String *)v; }
static inline SVector *svec_of(Value v) { return (SVector *)v; }
static inline Octets *octets_of(Value v) { return (Octets *)v; }
static inline Array *array_of(Value v) { return (Array *)v; }
static inline Closure *closure_of(Value v) { return (Closure *)v; }
static inline Native *native_of(Value v) { return (Native *)v; }
static inline Package *package_of(Value v) { return (Package *)v; }
static inline HashTable *hashtable_of(Value v) { return (HashTable *)v; }
static inline Class *class_of_obj(Value v) { return (Class *)v; }
static inline Instance *instance_of(Value v) { return (Instance *)v; }
static inline Box *box_of(Value v) { return (Box *)v; }
static inline Double *double_of(Value v) { return (Double *)v; }

static inline bool is_symbol(Value v) { return v == NIL || is_type(v, T_SYMBOL); }
static inline bool is_string(Value v) { return is_type(v, T_STRING); } /* simple-string */
static inline bool is_function(Value v) { return is_type(v, T_CLOSURE) || is_type(v, T_NATIVE); }
static inline bool is_double(Value v) { return is_type(v, T_DOUBLE); }
static inline bool is_bignum(Value v) { return is_type(v, T_BIGNUM); }
static inline bool is_ratio(Value v) { return is_type(v, T_RATIO); }
static inline bool is_integer(Value v) { return is_fixnum(v) || is_bignum(v); }
static inline bool is_rational(Value v) { return is_integer(v) || is_ratio(v); }
static inline bool is_float(Value v) { return is_sfloat(v) || is_double(v); }
static inline bool is_real(Value v) { return is_rational(v) || is_float(v); }
static inline bool is_number(Value v) { return is_real(v); } /* no complex numbers yet */

#endif
