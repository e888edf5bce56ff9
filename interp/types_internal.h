/* types_internal.h — what types.c shares with condition*.c and the types/conditions
 * builtins: the cached classes, symbols and keywords, array element kinds. */
#ifndef CLOVE_TYPES_INTERNAL_H
#define CLOVE_TYPES_INTERNAL_H

#include "lisp.h"

/* Upgraded array element types, one per specialized vector representation. */
enum EltKind {
  EK_T,
  EK_CHAR,
  EK_BIT,
  EK_U8,
  EK_S8,
  EK_U16,
  EK_S16,
  EK_U32,
  EK_S32,
  EK_U64,
  EK_S64,
  EK_SF,
  EK_DF,
  EK_COUNT
};

/* Indices into the state vector: classes class-of needs without a lookup by name,
 * and symbols/keywords the type and condition code compares against. */
enum TypesState {
  TS_SIMPLE_VEC = 0,                         /* + EltKind: class of simple vectors of that kind */
  TS_COMPLEX_VEC = TS_SIMPLE_VEC + EK_COUNT, /* + EltKind: class of non-simple vectors */
  TS_T = TS_COMPLEX_VEC + EK_COUNT,
  TS_FIXNUM,
  TS_BIGNUM,
  TS_RATIO,
  TS_SINGLE_FLOAT,
  TS_DOUBLE_FLOAT,
  TS_CHARACTER,
  TS_STANDARD_CHAR,
  TS_NULL,
  TS_SYMBOL,
  TS_KEYWORD,
  TS_CONS,
  TS_SIMPLE_ARRAY,
  TS_ARRAY,
  TS_FUNCTION,
  TS_CLOSURE,
  TS_PACKAGE,
  TS_HASH_TABLE,
  TS_STREAM,
  TS_BUILT_IN_CLASS,
  TS_STRUCTURE_CLASS,
  TS_STANDARD_CLASS,
  TS_RESTART,
  TS_CONDITION,
  /* symbols without a SYM() */
  TS_S_DEFTYPE,
  TS_S_BASE_STRING,
  TS_S_SIMPLE_BASE_STRING,
  TS_S_SIMPLE_BIT_VECTOR,
  TS_S_COMPLEX,
  TS_S_EXTENDED_CHAR,
  TS_S_UNDEFINED_FUNCTION_CALL,
  TS_S_SIMPLE_PROGRAM_ERROR,
  TS_S_INACTIVE_RESTART,
  TS_S_SIMPLE_READER_ERROR,
  TS_S_FORMAT,
  TS_S_AREF,
  TS_S_MAKE_ARRAY,
  TS_S_RESTART_NAME_SLOT,
  TS_S_MUFFLE_WARNING,
  TS_S_CONTINUE,
  TS_S_ABORT,
  TS_S_STORE_VALUE,
  TS_S_USE_VALUE,
  TS_S_IN_LAST_RESORT,
  /* slot names of the standard condition classes */
  TS_S_FORMAT_CONTROL,
  TS_S_FORMAT_ARGUMENTS,
  TS_S_DATUM,
  TS_S_EXPECTED_TYPE,
  TS_S_NAME,
  TS_S_INSTANCE,
  TS_S_OPERATION,
  TS_S_OPERANDS,
  TS_S_STREAM,
  TS_S_PATHNAME,
  TS_S_PACKAGE,
  TS_S_OBJECT,
  TS_S_FUNCTION_ARGUMENTS,
  /* keywords of slot definitions and class plists */
  TS_K_INITARGS,
  TS_K_INITFORM,
  TS_K_INITFUNCTION,
  TS_K_READERS,
  TS_K_WRITERS,
  TS_K_DIRECT_SLOTS,
  TS_K_DOCUMENTATION,
  TS_K_ELEMENT_TYPE,
  TS_K_INITIAL_CONTENTS,
  TS_K_FUNCTION_ARGUMENTS,
  TS_K_INSTANCE,
  TS_K_RESTART_NAME,
  TS_COUNT
};

/* The state vector lives in vm->classes under the key 0 (a fixnum: never a class
 * name), so it needs no field of its own in the VM. */
static inline Value types_state(Thread *th) { return hash_get(th, th->vm->classes, make_fixnum(0), NIL); }
static inline Value ts_ref(Thread *th, int i) { return svec_of(types_state(th))->data[i]; }

/* Property lists (slot definitions, class plists) */
Value plist_get(Value plist, Value key, Value dflt);
bool plist_has(Value plist, Value key);
Value plist_put(Thread *th, Value plist, Value key, Value val); /* returns the (possibly new) head */

/* Arrays as the type system sees them */
bool is_array_obj(Value v);
int array_elt_kind(Value v); /* enum EltKind */
size_t array_rank_of(Value v);
size_t array_dim_of(Value v, size_t axis);
bool is_simple_array_obj(Value v);
bool is_vector_obj(Value v);                   /* rank 1 */
int upgraded_elt_kind(Thread *th, Value spec); /* enum EltKind */
Value elt_kind_spec(Thread *th, int ek);       /* T, CHARACTER, (UNSIGNED-BYTE 8), ... */

/* Slots of instances of condition (and other) classes, by slot name; -1 if none. */
int class_slot_index(Thread *th, Value cls, Value slot_name);

/* The DEFTYPE expander function of a symbol, or NIL. */
Value deftype_expander(Thread *th, Value name);

/* ---- condition*.c ---- */

/* Report functions written in C, stored as fixnums under :REPORT in a class's plist. */
enum ReportCode {
  R_NONE,
  R_SIMPLE,
  R_TYPE_ERROR,
  R_CELL,
  R_UNBOUND_VARIABLE,
  R_UNDEFINED_FUNCTION,
  R_UNDEFINED_FUNCTION_CALL,
  R_UNBOUND_SLOT,
  R_ARITH,
  R_EOF,
  R_READER,
  R_STREAM_SIMPLE,
  R_FILE,
  R_NO_SUCH_PACKAGE,
  R_PRINT_NOT_READABLE,
  R_INACTIVE_RESTART
};

/* Slots of a restart object (an instance of RESTART) */
enum RestartSlot {
  RS_NAME,
  RS_FUNCTION,
  RS_REPORT,
  RS_INTERACTIVE,
  RS_TEST,
  RS_CONDITIONS,
  RS_TAG,
  RS_ARGS,
  RS_COUNT
};

bool is_condition(Value v);
bool is_restart(Thread *th, Value v);
static inline Value *instance_slots(Value inst) { return svec_of(instance_of(inst)->slots)->data; }
/* A slot's value by slot name, or dflt when the slot is missing or unbound. */
Value condition_slot(Thread *th, Value c, Value slot_name, Value dflt);
/* DATUM and ARGS of ERROR, SIGNAL, WARN ...: a condition, a condition type and
 * initargs, or a format control and its arguments (made a condition of dflt_type). */
Value condition_arg(Thread *th, Value datum, Value args, Value dflt_type);
Value make_condition_list(Thread *th, Value type, Value initargs);
/* Lisp FORMAT once it exists, else a small ~A ~S ~D ~% ~& ~~ ~P ~C ~? ~{~} processor. */
void report_format(Thread *th, Value stream, Value control, Value args);
void write_condition_report(Thread *th, Value condition, Value stream);
/* WARN after the condition is made: signals it with a MUFFLE-WARNING restart, prints it
 * to *error-output* when nobody muffled it. */
void warn_condition(Thread *th, Value condition);

/* Restarts */
Value make_restart(Thread *th, Value name, Value function, Value report, Value interactive, Value test);
Value compute_restarts(Thread *th, Value condition);
/* The innermost active restart named (or eq to) identifier that applies to condition. */
Value find_restart(Thread *th, Value identifier, Value condition);
NORETURN void inactive_restart_error(Thread *th, Value name);
Value invoke_restart(Thread *th, Value restart, Value args); /* restart: object or name */

#endif
