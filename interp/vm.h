/* vm.h — the interpreter's state: the shared VM, the per-thread state (dynamic
 * stack, multiple values, thread-local bindings), and compiled code's shape. */
#ifndef CLOVE_VM_H
#define CLOVE_VM_H

#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>

#include "value.h"

#define MULTIPLE_VALUES_LIMIT 4096
#define CALL_ARGUMENTS_LIMIT 65536
#define LAMBDA_PARAMETERS_LIMIT 4096

/* ---- Compiled code ---- */

struct Thread;
struct Node;
struct Frame;

typedef Value (*NodeFn)(struct Thread *th, struct Node *n, struct Frame *f);

/* A node of the executable tree: exec runs it. k[] holds child nodes and constants
 * (all Values, so the collector traces them); i and j are small integer operands. */
typedef struct Node {
  Obj h;
  NodeFn exec;
  int32_t i, j;
  uint32_t nk;
  uint32_t pad;
  Value k[];
} Node;

static inline Node *node_of(Value v) { return (Node *)v; }
static inline Value exec_node(struct Thread *th, Value node, struct Frame *frame) {
  Node *n = (Node *)node;
  return n->exec(th, n, frame);
}
#define EXEC(th, node, frame) exec_node((th), (Value)(node), (frame))

/* A function activation: slots live on the C stack (the collector scans it);
 * env is the closure's vector of captured boxes. */
typedef struct Frame {
  Value *slots;
  Value env;
  Value fn; /* the closure running, for backtraces */
} Frame;

/* Parameter kinds in Lambda.params */
enum ParamKind { P_REQ, P_OPT, P_REST, P_KEY, P_AUX, P_WHOLE };

typedef struct Lambda {
  Obj h;
  Value name;        /* function name or NIL */
  Value body;        /* Node */
  Value lambda_list; /* as written, for arglist and describe */
  Value doc;         /* string or NIL */
  Value params;      /* NIL in the fast case (required parameters only, none boxed);
                        else an SVector of param descriptors (see compile.c) */
  Value captures;    /* SVector of fixnums: where each captured box comes from when
                        the closure is made (see compile.c), or NIL */
  uint32_t nslots;   /* frame size */
  uint16_t nreq, nopt;
  uint8_t rest, key, allow_other_keys, macro;
  uint8_t toplevel; /* the wrapper EVAL makes around a top-level form: not shown in backtraces */
} Lambda;

static inline Lambda *lambda_of(Value v) { return (Lambda *)v; }

/* ---- Dynamic state ---- */

enum DynKind {
  DYN_BIND,     /* special binding: sym, saved tls value */
  DYN_CATCH,    /* catch / block / tagbody exit point: tag, jmp_buf */
  DYN_UNWIND,   /* unwind-protect: cleanup node + frame, or a C cleanup */
  DYN_HANDLERS, /* handler-bind cluster: list of (type . function) */
  DYN_RESTARTS, /* restart-bind cluster: list of restart objects */
};

typedef void (*CCleanup)(struct Thread *th, void *data);

typedef struct DynEntry {
  uint8_t kind;
  Value a, b;
  jmp_buf *jb;          /* DYN_CATCH */
  Node *cleanup;        /* DYN_UNWIND with Lisp cleanup */
  Frame *frame;
  CCleanup ccleanup;    /* DYN_UNWIND with C cleanup */
  void *cdata;
} DynEntry;

/* A call record on the C stack: the chain is the backtrace. */
typedef struct CallRecord {
  struct CallRecord *up;
  Value fn;
  int nargs;
  Value *args;
} CallRecord;

struct VM;

typedef struct Thread {
  struct VM *vm;

  /* Multiple values: when nvals != 1, vals[0..nvals) are the values. */
  int nvals;
  Value *vals; /* MULTIPLE_VALUES_LIMIT entries */

  /* Dynamic stack */
  DynEntry *dyn;
  size_t dyn_top, dyn_cap;

  /* Thread-local values of special variables, indexed by Symbol.tls_index */
  Value *tls;
  size_t tls_cap;

  /* Non-local transfer in flight */
  Value throw_value;
  int go_index;
  uint64_t block_serial;

  /* Tail call in flight (TAIL_MARK) */
  Value tc_fn;
  int tc_nargs;
  Value *tc_args; /* CALL_ARGUMENTS_LIMIT entries */

  CallRecord *calls;
  int call_depth;
  Value native_self; /* the native being called (natives defined by embedders use it) */
  Value last_backtrace; /* list of function names captured when an error reached toplevel */
  Value load_stream;    /* the stream LOAD is reading, for error locations */
  Value last_location;  /* "file:line" of the form being loaded at the last error, or NIL */

  char *stack_base;  /* highest address of the C stack */
  char *stack_limit; /* below this a Lisp "stack overflow" error is signalled */

  /* Set (by this thread, a signal handler or another thread) when the thread must look
   * at sigint, interrupts or the lock's yield request at its next safe point. */
  volatile sig_atomic_t interrupt_pending;
  volatile sig_atomic_t sigint; /* Ctrl-C arrived (the listener's thread only) */
  Value interrupts;             /* (function . args) entries PROCESS-INTERRUPT queued, oldest first */
  bool interrupts_deferred;     /* some arrived while *INTERRUPT-LEVEL* was negative (WITHOUT-INTERRUPTS) */
  Value process;                /* the PROCESS object this thread runs, or NIL */
  const char *whostate;         /* what a blocking call waits for ("Input", "Sleep" ...), or NULL */

  /* The interpreter lock (thread.c) */
  struct Gil *gil;
  int gil_depth;                /* > 0: held (nested API entries) */
  int gil_saved_depth;          /* inside io_block_begin/end */
  struct Thread *gil_next;      /* next in the lock's queue */
  pthread_cond_t gil_cond;      /* signalled when the lock is handed to this thread */
  pthread_cond_t *waiting_on;   /* the condition thread_wait sleeps on, for wake-ups */
  /* For the collector while this thread waits: its stack from gc_sp to stack_hi, and
   * its registers at that point. */
  char *gc_sp, *stack_hi;
  jmp_buf gc_regs;

  /* Where an unhandled error goes when nothing handles it: set by the REPL / API. */
  jmp_buf *toplevel;
  Value last_error; /* the condition that reached toplevel */

  struct Thread *next;
} Thread;

/* Well-known symbols: X(c_name, "LISP-NAME", package) where package is
 * CL, KW (keyword), CCL (exported from CCL), SYS (internal to CCL). */
#define WELL_KNOWN_SYMBOLS(X)                                                                 \
  X(t, "T", CL) X(quote, "QUOTE", CL) X(function, "FUNCTION", CL) X(lambda, "LAMBDA", CL)     \
  X(if_, "IF", CL) X(progn, "PROGN", CL) X(let, "LET", CL) X(let_star, "LET*", CL)            \
  X(setq, "SETQ", CL) X(flet, "FLET", CL) X(labels, "LABELS", CL)                             \
  X(macrolet, "MACROLET", CL) X(symbol_macrolet, "SYMBOL-MACROLET", CL)                       \
  X(block, "BLOCK", CL) X(return_from, "RETURN-FROM", CL) X(tagbody, "TAGBODY", CL)           \
  X(go, "GO", CL) X(catch_, "CATCH", CL) X(throw_, "THROW", CL)                               \
  X(unwind_protect, "UNWIND-PROTECT", CL) X(multiple_value_call, "MULTIPLE-VALUE-CALL", CL)   \
  X(multiple_value_prog1, "MULTIPLE-VALUE-PROG1", CL) X(the, "THE", CL)                       \
  X(locally, "LOCALLY", CL) X(eval_when, "EVAL-WHEN", CL)                                     \
  X(load_time_value, "LOAD-TIME-VALUE", CL) X(progv, "PROGV", CL)                             \
  X(declare, "DECLARE", CL) X(special, "SPECIAL", CL) X(optional, "&OPTIONAL", CL)            \
  X(rest, "&REST", CL) X(key, "&KEY", CL) X(aux, "&AUX", CL) X(body, "&BODY", CL)             \
  X(whole, "&WHOLE", CL) X(environment, "&ENVIRONMENT", CL)                                   \
  X(allow_other_keys, "&ALLOW-OTHER-KEYS", CL) X(setf, "SETF", CL)                            \
  X(backquote, "BACKQUOTE", SYS) X(comma, "UNQUOTE", SYS) X(comma_at, "UNQUOTE-SPLICING", SYS) \
  X(comma_dot, "UNQUOTE-NSPLICING", SYS) X(k_allow_other_keys, "ALLOW-OTHER-KEYS", KW)        \
  X(k_compile_toplevel, "COMPILE-TOPLEVEL", KW) X(k_load_toplevel, "LOAD-TOPLEVEL", KW)       \
  X(k_execute, "EXECUTE", KW) X(compile, "COMPILE", CL) X(load, "LOAD", CL) X(eval, "EVAL", CL) \
  X(print_escape, "*PRINT-ESCAPE*", CL) X(print_readably, "*PRINT-READABLY*", CL)             \
  X(print_base, "*PRINT-BASE*", CL) X(print_radix, "*PRINT-RADIX*", CL)                       \
  X(print_case, "*PRINT-CASE*", CL) X(print_circle, "*PRINT-CIRCLE*", CL)                     \
  X(print_pretty, "*PRINT-PRETTY*", CL) X(print_level, "*PRINT-LEVEL*", CL)                   \
  X(print_length, "*PRINT-LENGTH*", CL) X(print_gensym, "*PRINT-GENSYM*", CL)                 \
  X(print_array, "*PRINT-ARRAY*", CL) X(read_base, "*READ-BASE*", CL)                         \
  X(read_eval, "*READ-EVAL*", CL) X(read_suppress, "*READ-SUPPRESS*", CL)                     \
  X(read_default_float_format, "*READ-DEFAULT-FLOAT-FORMAT*", CL) X(package, "*PACKAGE*", CL) \
  X(features, "*FEATURES*", CL) X(standard_output, "*STANDARD-OUTPUT*", CL)                   \
  X(standard_input, "*STANDARD-INPUT*", CL) X(error_output, "*ERROR-OUTPUT*", CL)             \
  X(terminal_io, "*TERMINAL-IO*", CL) X(trace_output, "*TRACE-OUTPUT*", CL)                   \
  X(debug_io, "*DEBUG-IO*", CL) X(query_io, "*QUERY-IO*", CL)                                 \
  X(k_upcase, "UPCASE", KW) X(k_downcase, "DOWNCASE", KW) X(k_capitalize, "CAPITALIZE", KW)   \
  X(single_float, "SINGLE-FLOAT", CL) X(double_float, "DOUBLE-FLOAT", CL)                     \
  X(short_float, "SHORT-FLOAT", CL) X(long_float, "LONG-FLOAT", CL)                           \
  X(and_, "AND", CL) X(or_, "OR", CL) X(not_, "NOT", CL) X(member, "MEMBER", CL)              \
  X(eql, "EQL", CL) X(satisfies, "SATISFIES", CL) X(k_type_error, "TYPE-ERROR", CL)           \
  X(k_datum, "DATUM", KW) X(k_expected_type, "EXPECTED-TYPE", KW) X(k_name, "NAME", KW)       \
  X(k_format_control, "FORMAT-CONTROL", KW) X(k_format_arguments, "FORMAT-ARGUMENTS", KW)     \
  X(k_stream, "STREAM", KW) X(k_operator, "OPERATOR", KW) X(k_operands, "OPERANDS", KW)       \
  X(k_package, "PACKAGE", KW) X(k_pathname, "PATHNAME", KW) X(k_test, "TEST", KW)             \
  X(k_key, "KEY", KW) X(k_test_not, "TEST-NOT", KW) X(k_start, "START", KW) X(k_end, "END", KW) \
  X(k_from_end, "FROM-END", KW) X(k_count, "COUNT", KW) X(k_initial_value, "INITIAL-VALUE", KW) \
  X(integer, "INTEGER", CL) X(fixnum, "FIXNUM", CL) X(bignum, "BIGNUM", CL)                   \
  X(unsigned_byte, "UNSIGNED-BYTE", CL) X(signed_byte, "SIGNED-BYTE", CL)                     \
  X(character, "CHARACTER", CL) X(base_char, "BASE-CHAR", CL) X(string, "STRING", CL)         \
  X(simple_string, "SIMPLE-STRING", CL) X(vector, "VECTOR", CL) X(simple_vector, "SIMPLE-VECTOR", CL) \
  X(array, "ARRAY", CL) X(simple_array, "SIMPLE-ARRAY", CL) X(list, "LIST", CL)               \
  X(cons, "CONS", CL) X(null, "NULL", CL) X(symbol, "SYMBOL", CL) X(keyword, "KEYWORD", CL)   \
  X(number, "NUMBER", CL) X(real, "REAL", CL) X(rational, "RATIONAL", CL) X(ratio, "RATIO", CL) \
  X(float_, "FLOAT", CL) X(sequence, "SEQUENCE", CL) X(stream, "STREAM", CL)                  \
  X(hash_table, "HASH-TABLE", CL) X(package_, "PACKAGE", CL) X(function_t, "FUNCTION", CL)    \
  X(compiled_function, "COMPILED-FUNCTION", CL) X(star, "*", CL) X(bit, "BIT", CL)            \
  X(mod, "MOD", CL) X(values, "VALUES", CL) X(boolean, "BOOLEAN", CL) X(atom, "ATOM", CL)     \
  X(standard_char, "STANDARD-CHAR", CL) X(bit_vector, "BIT-VECTOR", CL)                       \
  X(simple_bit_vector, "SIMPLE-BIT-VECTOR", CL)                       \
  X(quit_tag, "%QUIT-TAG", SYS) X(toplevel_tag, "%TOPLEVEL-TAG", SYS)                         \
  X(k_interactive, "INTERACTIVE", KW) X(k_report, "REPORT", KW) X(k_test_restart, "TEST", KW)  \
  X(structure_object, "STRUCTURE-OBJECT", CL) X(standard_object, "STANDARD-OBJECT", CL)       \
  X(condition, "CONDITION", CL) X(error, "ERROR", CL) X(warning, "WARNING", CL)               \
  X(simple_error, "SIMPLE-ERROR", CL) X(program_error, "PROGRAM-ERROR", CL)                   \
  X(control_error, "CONTROL-ERROR", CL) X(unbound_variable, "UNBOUND-VARIABLE", CL)           \
  X(undefined_function, "UNDEFINED-FUNCTION", CL) X(division_by_zero, "DIVISION-BY-ZERO", CL) \
  X(arithmetic_error, "ARITHMETIC-ERROR", CL) X(end_of_file, "END-OF-FILE", CL)               \
  X(reader_error, "READER-ERROR", CL) X(file_error, "FILE-ERROR", CL)                         \
  X(stream_error, "STREAM-ERROR", CL) X(package_error, "PACKAGE-ERROR", CL)                   \
  X(storage_condition, "STORAGE-CONDITION", CL) X(simple_warning, "SIMPLE-WARNING", CL)       \
  X(style_warning, "STYLE-WARNING", CL) X(unbound_slot, "UNBOUND-SLOT", CL)                   \
  X(print_not_readable, "PRINT-NOT-READABLE", CL) X(cell_error, "CELL-ERROR", CL)             \
  X(floating_point_overflow, "FLOATING-POINT-OVERFLOW", CL)                                   \
  X(floating_point_invalid, "FLOATING-POINT-INVALID-OPERATION", CL)                           \
  X(interrupt_condition, "INTERRUPT-SIGNAL-CONDITION", CCL)                                   \
  X(stack_overflow, "STACK-OVERFLOW-CONDITION", SYS)                                          \
  X(simple_condition, "SIMPLE-CONDITION", CL) X(serious_condition, "SERIOUS-CONDITION", CL)   \
  X(simple_type_error, "SIMPLE-TYPE-ERROR", CL) X(k_object, "OBJECT", KW)                     \
  X(command_line_args, "*COMMAND-LINE-ARGUMENT-LIST*", CCL)                                   \
  X(load_pathname, "*LOAD-PATHNAME*", CL) X(load_truename, "*LOAD-TRUENAME*", CL)             \
  X(macroexpand_hook, "*MACROEXPAND-HOOK*", CL) X(gensym_counter, "*GENSYM-COUNTER*", CL)     \
  X(break_on_signals, "*BREAK-ON-SIGNALS*", CL) X(debugger_hook, "*DEBUGGER-HOOK*", CL)       \
  X(invoke_debugger_hook, "*INVOKE-DEBUGGER-HOOK*", SYS) X(ignore, "IGNORE", CL)              \
  X(ignorable, "IGNORABLE", CL) X(type, "TYPE", CL) X(ftype, "FTYPE", CL)                     \
  X(inline_, "INLINE", CL) X(notinline, "NOTINLINE", CL) X(optimize, "OPTIMIZE", CL)          \
  X(dynamic_extent, "DYNAMIC-EXTENT", CL) X(named_lambda, "%NAMED-LAMBDA", SYS)                \
  X(macro_function, "MACRO-FUNCTION", CL) X(funcall_sym, "FUNCALL", CL)                  \
  X(destructuring_bind, "%DESTRUCTURING-BIND", SYS) X(macro_lambda, "%MACRO-LAMBDA", SYS)      \
  X(multiple_value_bind, "MULTIPLE-VALUE-BIND", CL) X(defmacro, "DEFMACRO", CL) X(defun, "DEFUN", CL) \
  X(interrupt_level, "*INTERRUPT-LEVEL*", SYS)

#define WK_FIELD(c, n, p) Value s_##c;

typedef struct VM {
  /* Well-known symbols */
  struct WellKnownSymbols { WELL_KNOWN_SYMBOLS(WK_FIELD) } sym;

  /* Packages */
  Value packages;       /* list of all packages */
  Value pkg_cl, pkg_cl_user, pkg_keyword, pkg_ccl;
  Symbol nil_symbol;    /* the symbol record behind the immediate NIL */

  /* Dynamic-variable bookkeeping */
  uint32_t next_tls_index;

  /* Classes of the built-in tree, by name */
  Value classes;        /* hash table: symbol -> class */

  /* Compilation */
  Value special_forms; /* symbol -> compiler function (foreign) */
  Value inlines;       /* symbol -> index into compile_inline.c's table */
  Value autoloads;     /* names given library stubs at start-up (autoload.c) */
  Value loaded_modules; /* texts of autoload modules already read */
  Thread *loader_owner;  /* the thread reading library definitions (autoload.c) */
  bool abandon_form;     /* clove_abandon_form: the line reader's caller drops the form */

  /* The collector (gc.c owns these) */
  struct Heap *heap;

  Thread *threads;
  Thread *main_thread;
  struct Gil *gil;      /* the interpreter lock (thread.c) */
  int nthreads;         /* threads started by thread_start and still running */
  int next_process_serial;

  /* Standard streams as created at start-up */
  Value stdin_stream, stdout_stream, stderr_stream;

  struct CloveVM *api;   /* the embedding handle, for natives defined with clove_define */
  /* The host's line editor for a terminal on fd 0 (clove_set_line_reader), or NULL:
   * returns a malloc'd line without its newline, NULL at end of file. */
  char *(*line_reader)(const char *prompt, void *data);
  void *line_reader_data;
  Value embedded_descs;  /* foreign objects owning those natives' descriptors */

  int exit_code;
  uint64_t gensym_counter;
  uint64_t random_seed;
} VM;

#define SYM(name) (th->vm->sym.s_##name)

#endif
