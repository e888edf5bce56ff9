/* lisp.h — the core's internal interface: what each interp/ file offers the rest
 * of the core and the builtins. Every function taking a Thread may signal a Lisp error. */
#ifndef CLOVE_LISP_H
#define CLOVE_LISP_H

#include <stdarg.h>

#include "value.h"
#include "vm.h"

#define UNUSED(x) ((void)(x))
#define NORETURN __attribute__((noreturn))

/* ---- gc.c ---- */
struct Heap;
void gc_init(VM *vm);
void gc_shutdown(VM *vm);
/* Allocates size bytes (header included) zeroed, with h.type = type. */
void *gc_alloc(Thread *th, enum ObjType type, size_t size);
Value gc_cons(Thread *th, Value car, Value cdr);
void gc_collect(Thread *th);
void gc_set_finalizer(Thread *th, Value obj); /* T_FOREIGN and T_STREAM objects: finalize when unreachable */
/* Statistics for (room) */
typedef struct GcStats {
  size_t heap_bytes, live_bytes, collections, objects, conses;
  double gc_seconds;
} GcStats;
void gc_stats(VM *vm, GcStats *out);
/* Extra roots owned by C: a NULL-terminated set is not needed; the VM struct,
 * threads (tls, vals, dyn, tc_args) and C stacks are roots. */

static inline Value cons(Thread *th, Value a, Value b) { return gc_cons(th, a, b); }

/* ---- object.c: constructors and plain accessors ---- */
Value make_string_n(Thread *th, size_t len);                 /* filled with NUL chars */
Value make_string_utf8(Thread *th, const char *s, size_t n); /* decodes UTF-8 */
Value make_string_c(Thread *th, const char *s);
Value make_svector(Thread *th, size_t len, Value init);
Value make_octets(Thread *th, size_t len);
Value make_double(Thread *th, double d);
Value make_box(Thread *th, Value v);
Value make_foreign(Thread *th, Value tag, void *payload, Finalizer fin);
Value list1(Thread *th, Value a);
Value list2(Thread *th, Value a, Value b);
Value list3(Thread *th, Value a, Value b, Value c);
Value list4(Thread *th, Value a, Value b, Value c, Value d);
Value list_from_array(Thread *th, int n, const Value *v);
Value nreverse_list(Value list);
intptr_t list_length(Value list); /* -1 if dotted or circular */
/* UTF-8 encoding of a simple string (or any string designator) into a malloc'd buffer
 * is in string_to_cstr; the caller frees. */
char *string_to_cstr(Value s);
/* Compare a Lisp simple string with a C string (ASCII/UTF-8). */
bool string_eq_c(Value s, const char *c);
/* Any string (simple, or a character array with fill pointer): its code points and
 * active length; NULL if s is not a string. */
const uint32_t *string_chars(Value s, size_t *len);
bool is_any_string(Value v);
size_t utf8_encode(uint32_t cp, char out[4]);

/* ---- symbol.c / package.c ---- */
Symbol *symbol_of(Thread *th, Value sym); /* NIL -> vm->nil_symbol */
Value symbol_name(Thread *th, Value sym);
Value make_symbol(Thread *th, Value name); /* uninterned */
Value intern(Thread *th, Value name, Value package, int *status); /* status: 0 new, 1 internal, 2 external, 3 inherited */
Value intern_c(Thread *th, const char *name, Value package);  /* name already in upper case */
Value find_symbol(Thread *th, Value name, Value package, int *status);
Value find_package(Thread *th, Value designator);             /* NIL if none */
Value make_package(Thread *th, Value name, Value nicknames, Value use);
void export_symbol(Thread *th, Value sym, Value package);
void use_package(Thread *th, Value used, Value user);
bool memq_list(Value x, Value list);
void cl_symbols_init(Thread *th); /* cl_symbols.c: every standard name, exported from CL */
void unbind_special(Thread *th, Value sym, Value saved); /* control.c's unwinding calls it */
Value current_package(Thread *th);
Value keyword_c(Thread *th, const char *name);                /* :NAME */
static inline Value ccl_sym(Thread *th, const char *name) { return intern_c(th, name, th->vm->pkg_ccl); } /* CCL::NAME */
bool is_keyword(Thread *th, Value v);

/* ---- hash.c: hash tables (open addressing; keys hashed by address are stable
 * because the collector never moves objects) ---- */
Value make_hash_table(Thread *th, enum HashTest test, size_t size);
Value hash_get(Thread *th, Value table, Value key, Value dflt);
bool hash_get2(Thread *th, Value table, Value key, Value *out); /* false when absent */
/* A lookup in an EQUAL table keyed by simple strings (the package tables), with the key's
 * hash_string_chars already computed: find_symbol hashes a name once for every table. */
bool hash_get_string(Thread *th, Value table, Value name, uint64_t hash, Value *out);
/* The same for a name given as n ASCII bytes, hashed by hash_ascii (= hash_string_chars
 * of the same characters): no string is made to look it up. */
uint64_t hash_ascii(const char *s, size_t n);
bool hash_get_ascii(Value table, const char *s, size_t n, uint64_t hash, Value *out);
void hash_put(Thread *th, Value table, Value key, Value val);
bool hash_remove(Thread *th, Value table, Value key);
void hash_clear(Thread *th, Value table);
uint64_t sxhash(Thread *th, Value v);   /* equal-hash, stable across runs for strings/numbers */
uint64_t hash_string_chars(const uint32_t *s, size_t n);
/* Iteration: *i starts at 0; returns false when done. */
bool hash_next(Value table, size_t *i, Value *key, Value *val);

/* ---- control.c: dynamic state ---- */
Value symbol_value(Thread *th, Value sym);         /* signals unbound-variable */
Value symbol_value_or(Thread *th, Value sym, Value dflt); /* dflt when unbound */
void set_symbol_value(Thread *th, Value sym, Value v);
void bind_special(Thread *th, Value sym, Value v); /* pushes DYN_BIND */
void dyn_push(Thread *th, DynEntry e);
void unwind_to(Thread *th, size_t top);            /* runs cleanups, restores bindings */
NORETURN void throw_to(Thread *th, size_t catch_index); /* values already in th */
/* Run body(data) so that the C cleanup runs whether it returns or unwinds. */
void with_cleanup(Thread *th, void (*body)(Thread *, void *), void *data, CCleanup cleanup, void *cdata);
size_t find_catch(Thread *th, Value tag); /* (size_t)-1 if none */
/* Interrupts and stack depth: checked at calls and loop back-edges. */
void check_interrupt_slow(Thread *th);
static inline void check_interrupt(Thread *th) {
  if (__atomic_load_n(&th->interrupt_pending, __ATOMIC_RELAXED)) check_interrupt_slow(th);
}

/* ---- thread.c: processes as threads under one interpreter lock ----
 * A thread runs Lisp only while it holds the lock. API entries nest gil_enter/leave;
 * io_block_begin/end (io.h) release it around every wait. */
void gil_init(VM *vm);
void gil_free(VM *vm);
void gil_enter(Thread *th);
void gil_leave(Thread *th);
Thread *thread_current(VM *vm); /* the calling OS thread's Thread in vm, or NULL */
Thread *thread_new(VM *vm);     /* a record linked into vm->threads (the caller holds the lock) */
void thread_free(Thread *th);
void thread_attach_stack(Thread *th, size_t stack_size); /* 0: the OS limit */
/* A new OS thread running body(t) with the lock held; t->process = process. */
Thread *thread_start(Thread *th, Value process, void (*body)(Thread *t));
void thread_handle_yield(Thread *th); /* at a safe point: yield if a waiter asked */
void thread_yield(Thread *th);        /* let every waiting thread run first */
void thread_cond_init(pthread_cond_t *c); /* a condition timed on CLOCK_MONOTONIC */
/* Sleeps on cond with the lock released until notified, woken by an interrupt, one
 * poll slice passed, or deadline (io_now() time, 0: none): IO_TIMEOUT once the deadline
 * has passed, else 0. Checks interrupts first (may unwind). whostate: for PROCESS-WHOSTATE. */
int thread_wait(Thread *th, pthread_cond_t *cond, double deadline, const char *whostate);
void thread_notify(VM *vm, pthread_cond_t *cond); /* wakes every thread waiting on cond */
void thread_wake(Thread *target); /* target looks at its interrupts soon */
/* One condition for "a resource some thread held while waiting is free again"
 * (streams): waiters re-check their resource after each wake-up. */
void thread_wait_released(Thread *th, const char *whostate);
void thread_notify_released(Thread *th);
/* Asks every other thread to end with kill(self, target), waits up to 2 s for them. */
void threads_shutdown(Thread *th, void (*kill)(Thread *self, Thread *target));

/* ---- builtins/process.c: PROCESS objects over thread.c ---- */
Value current_process(Thread *th);                    /* the calling thread's PROCESS */
void write_process_label(Thread *th, Value stream);   /* "listener(1)", as CCL's messages say */
void process_kill_thread(Thread *self, Thread *target); /* for threads_shutdown */
bool process_describe(Thread *th, Value p, Value out); /* DESCRIBE's lines for a process; false if p is not one */
NORETURN void quit_from_process(Thread *th, Value code); /* QUIT outside the listener's thread */

/* ---- eval.c ---- */
Value call_function(Thread *th, Value fn, int nargs, Value *args); /* fn: function designator */
Value funcall0(Thread *th, Value fn);
Value funcall1(Thread *th, Value fn, Value a);
Value funcall2(Thread *th, Value fn, Value a, Value b);
Value funcall3(Thread *th, Value fn, Value a, Value b, Value c);
Value apply_list(Thread *th, Value fn, Value args);
Value eval_form(Thread *th, Value form);           /* in the null lexical environment */
Value coerce_to_function(Thread *th, Value designator); /* symbol -> its function */
Value function_name(Thread *th, Value fn);
/* Names of the functions on the call chain, innermost first (for backtraces). */
Value capture_backtrace(Thread *th);
/* Multiple values */
static inline Value values1(Thread *th, Value v) { th->nvals = 1; return v; }
Value values_n(Thread *th, int n, const Value *v);
Value values2(Thread *th, Value a, Value b);
Value values3(Thread *th, Value a, Value b, Value c);
/* Copies the values of the last evaluation (primary given) into out; returns count. */
int collect_values(Thread *th, Value primary, Value *out, int max);

/* ---- compile.c ---- */
Value compile_toplevel(Thread *th, Value form);    /* a closure of no arguments that evaluates form */
Value compile_lambda(Thread *th, Value name, Value lambda_list, Value body, Value env);
Value macroexpand_1(Thread *th, Value form, Value env, bool *expanded);
Value macroexpand_all_top(Thread *th, Value form, Value env, bool *expanded);
Value make_closure(Thread *th, Value lambda, Value env, Value name);
/* backquote.c (reader's): expands (SYS::BACKQUOTE x) into list-building code */
Value backquote_expand(Thread *th, Value form);

/* ---- condition.c ---- */
/* Make a condition of the class named by type with initargs (keyword value ...). */
Value make_condition(Thread *th, Value type, int ninitargs, const Value *initargs);
Value signal_condition(Thread *th, Value condition);       /* returns NIL if unhandled */
NORETURN void error_condition(Thread *th, Value condition); /* signal, then debugger */
/* fmt is a Lisp FORMAT control (ASCII) and the variadic arguments are Values, one
 * per argument-consuming directive (~A ~S ~D ...), e.g.
 * lisp_error(th, SYM(package_error), "There is no package named ~S .", name).
 * The condition gets :format-control and :format-arguments (a list of those Values);
 * for a type that is not a simple-condition the text is still its report. */
NORETURN void lisp_error(Thread *th, Value type, const char *fmt, ...);
NORETURN void simple_error(Thread *th, const char *fmt, ...);            /* SIMPLE-ERROR, same conventions */
NORETURN void type_error(Thread *th, Value datum, Value expected_type);  /* TYPE-ERROR */
NORETURN void type_error_c(Thread *th, Value datum, const char *expected_type); /* parses "(INTEGER 0 10)" */
NORETURN void program_error(Thread *th, const char *fmt, ...); /* same conventions as lisp_error */
NORETURN void control_error(Thread *th, const char *fmt, ...); /* same conventions as lisp_error */
NORETURN void unbound_variable_error(Thread *th, Value sym);
NORETURN void undefined_function_error(Thread *th, Value name);
NORETURN void invoke_debugger(Thread *th, Value condition);
void warn_c(Thread *th, const char *fmt, ...); /* same conventions as lisp_error */
/* The message a condition prints (its report), as a Lisp string. */
Value condition_report_string(Thread *th, Value condition);
bool condition_typep(Thread *th, Value condition, Value type_symbol);
/* Defines the standard condition classes: after types_init. */
void conditions_init(Thread *th);
/* CCL's error for calling an undefined function, "Undefined function FOO called with
 * arguments (1 2) ." (an UNDEFINED-FUNCTION): the evaluator's call sites should use it. */
NORETURN void undefined_function_call_error(Thread *th, Value name, Value args);
/* Runs body(th, data) with a restart named name (report: a string, or NIL) that applies
 * to condition (to any condition when NIL). Returns true when the restart was invoked
 * (its arguments are then in *args, if args is not NULL), false when body returned. */
bool with_restart(Thread *th, Value name, Value report, Value condition, void (*body)(Thread *, void *),
                  void *data, Value *args);
/* Hides every handler established so far, until the dynamic stack is unwound below the
 * entry this pushes: a break loop runs with the erring code's handlers out of sight. */
void hide_handlers(Thread *th);
/* A restart as PRINC shows it (its report) or PRIN1 (#<RESTART ABORT #x...>). */
void print_restart(Thread *th, Value restart, Value stream, bool escape);
/* CCL's message for a condition that reaches the debugger or is a warning:
 *   "> Error: text\n>        more text\n> While executing: FOO, in process listener(1).\n"
 * prefix '>' and label "Error" in the break loop, ';' and "Warning" for WARN;
 * fn_name NIL leaves the "While executing" line out. */
void print_break_message(Thread *th, Value stream, char prefix, const char *label, Value condition,
                         Value fn_name);
/* The name of the innermost Lisp function on the call chain that is not one of the
 * condition system's own (ERROR, WARN, SIGNAL ...), or NIL. */
Value erring_function_name(Thread *th);

/* ---- types.c ---- */
bool typep(Thread *th, Value obj, Value type);  /* type specifier */
Value type_of(Thread *th, Value obj);
Value class_of(Thread *th, Value obj);
Value find_class(Thread *th, Value name, bool errorp);
Value define_class(Thread *th, enum ClassKind kind, Value name, Value supers, Value slots);
bool subclassp(Value cls, Value super);
/* Creates vm->classes and CCL's built-in class tree: after packages and the well-known
 * symbols exist, before conditions_init and any define_class. */
void types_init(Thread *th);
/* "NAME" (in CL, exported), "CCL:NAME" (exported from CCL), "CCL::NAME", ":NAME" */
Value type_symbol(Thread *th, const char *spec);
/* One step of DEFTYPE expansion of a type specifier (*expanded false: spec itself). */
Value expand_deftype(Thread *th, Value spec, bool *expanded);
/* T, CHARACTER, BIT, (UNSIGNED-BYTE 8), ..., SINGLE-FLOAT, DOUBLE-FLOAT: the element
 * type a vector specialized for spec holds (for MAKE-ARRAY, UPGRADED-ARRAY-ELEMENT-TYPE). */
Value upgraded_array_element_type(Thread *th, Value spec);

/* ---- stream.c (see stream.h for the protocol) ---- */

/* ---- reader.c ---- */
/* Reads one object from stream. On end of file: if eof_error, signals end-of-file;
 * else returns eof_value. recursive: called from a reader macro. */
Value lisp_read(Thread *th, Value stream, bool eof_error, Value eof_value, bool recursive, bool preserve_ws);
Value read_from_cstring(Thread *th, const char *s); /* whole first form; error if none */
/* Parses a token as a number in *read-base*; returns UNBOUND if it is not a number. */
Value parse_number_token(Thread *th, const uint32_t *s, size_t n, unsigned base);
/* Pure syntax test (no allocation, never signals): would this unescaped token read
 * as a number in base? The printer uses it to decide when a symbol needs |...|. */
bool number_token_p(const uint32_t *s, size_t n, unsigned base);
/* As parse_number_token; an impossible number (1/0, a float out of range) is a
 * reader-error on stream (NIL: no position). */
Value reader_parse_number(Thread *th, const uint32_t *s, size_t n, unsigned base, Value stream);
/* READ-DELIMITED-LIST: objects up to the character close (dotted tails allowed, as in CCL). */
Value read_delimited_list(Thread *th, Value stream, uint32_t close, bool recursive);
/* Signals READER-ERROR on stream; the message names the stream (or its file), line
 * and column, then fmt (a FORMAT control) applied to the nargs Values that follow. */
NORETURN void reader_error(Thread *th, Value stream, const char *fmt, int nargs, ...);
/* Signals END-OF-FILE on stream, with the position. */
NORETURN void reader_eof(Thread *th, Value stream);
/* The case folding the reader applies to unescaped symbol characters (readtable-case
 * :upcase): CHAR-UPCASE's mapping (char_upcase_code), as in CCL. */
uint32_t reader_upcase(uint32_t c);

/* builtins/os_constants.c: the C constants #$NAME reads (SOL_SOCKET, EINTR ...) */
bool os_constant(const char *name, intptr_t *value);

/* ---- load.c ---- */
Value load_stream(Thread *th, Value stream, bool print);
Value load_file(Thread *th, Value path, bool verbose, bool print, bool if_does_not_exist_error);
Value load_cstring(Thread *th, const char *name, const char *src);
Value current_load_location(Thread *th);
/* autoload.c: the stdlib's DEFUN/DEFMACRO forms are read on first use */
/* A library DEFINE-CONDITION of name not read yet: reads it; false if there is none. */
bool autoload_class(Thread *th, Value name);
/* index: the build's {count, start, end, ...} of src's top-level forms, or NULL to scan. */
void load_lazily(Thread *th, const char *name, const char *src, const unsigned *index);
Value autoload_resolve(Thread *th, Value fn); /* a stub's real function (read now), else fn */
void autoload_init(Thread *th);

/* ---- printer.c ---- */
void print_object(Thread *th, Value obj, Value stream, bool escape); /* honours *print-...* */
Value prin1_to_string(Thread *th, Value obj);
Value princ_to_string(Thread *th, Value obj);
/* For C diagnostics: UTF-8 text of prin1, malloc'd. */
char *prin1_cstr(Thread *th, Value obj);
/* As WRITE: every setting, *print-escape* included, from the *print-...* variables.
 * stream may be a designator (NIL, T). */
void write_object(Thread *th, Value obj, Value stream);
/* PRINT-UNREADABLE-OBJECT: "#<", (princ (type-of obj)) if type, what thunk (a function or
 * NIL) writes, " #x<address>" if identity, ">"; PRINT-NOT-READABLE under *print-readably*. */
void print_unreadable_object(Thread *th, Value obj, Value stream, bool type, bool identity, Value thunk);
/* How T_FOREIGN objects tagged tag print (the whole #<...>): registered by the area that
 * owns them (sockets.c), so the printer needs no knowledge of them. */
/* CCL's character names (printer_charnames.c): CHAR-NAME as UTF-8 into out, which needs
 * CHAR_NAME_MAX bytes (returns its length, 0 when the character has no name), CHAR-NAME as
 * a Lisp string or NIL, and NAME-CHAR of a string (a character or NIL). */
#define CHAR_NAME_MAX 96
size_t char_name_utf8(uint32_t code, char *out, size_t cap);
Value char_name(Thread *th, uint32_t code);
Value name_char(Thread *th, Value name);

/* ---- structures (builtins/structs.c) ---- */
/* What #S(name slot value ...) reads as, given the list after #S: the structure made by
 * NAME's standard keyword constructor, or UNBOUND when NAME has none (the reader then
 * signals "Can't initialize structure from ~S."). */
Value structure_from_sharp_s(Thread *th, Value list);

/* ---- numbers (builtins/numbers.c) ---- */
Value make_integer(Thread *th, intptr_t n);      /* fixnum or bignum */
Value make_integer_u64(Thread *th, uint64_t n);
Value number_add(Thread *th, Value a, Value b);
Value number_sub(Thread *th, Value a, Value b);
Value number_mul(Thread *th, Value a, Value b);
Value number_div(Thread *th, Value a, Value b);
int number_compare(Thread *th, Value a, Value b); /* reals: -1, 0, 1 */
bool number_equal(Thread *th, Value a, Value b);  /* = */
bool eql(Value a, Value b);
bool equal(Value a, Value b);
bool equalp(Thread *th, Value a, Value b);
/* Writes the printed form of a number in base (2..36) to the stream. */
void print_number(Thread *th, Value n, Value stream, unsigned base, bool radix);
/* Integer helpers: range-checked extraction (type-errors otherwise) */
intptr_t integer_to_intptr(Thread *th, Value v, intptr_t lo, intptr_t hi, const char *expected);
double number_to_double(Thread *th, Value v);
double number_hash_double(Value v); /* EQUALP hashing: = numbers agree; never signals */
/* For the reader: an integer from its digit characters (0-9, a-z, A-Z) in base; the
 * ratio num/den in lowest terms (an integer when den divides num; den 0 signals
 * DIVISION-BY-ZERO); a float of either format (single: rounded, overflow signals). */
Value integer_from_digits(Thread *th, const char *digits, unsigned base, bool negative);
Value make_ratio(Thread *th, Value num, Value den);
Value float_from_double(Thread *th, double d, bool is_double);
/* CCL's FLONUM-TO-STRING of |d|: the shortest digits that read back, written to buf
 * (no sign, no point; "" for zero); value = 0.DIGITS * 10^*before_pt. Returns the count. */
size_t float_to_digits(double d, bool is_double, char *buf, size_t bufsize, int *before_pt);
/* The printed form of a number (as print_number writes it) as a Lisp string. */
Value number_to_string(Thread *th, Value n, unsigned base, bool radix);
/* Random states are T_FOREIGN objects tagged RANDOM-STATE; printed as CCL does:
 * #.(CCL::INITIALIZE-MRG31K3P-STATE 314159 42 1776 271828 6021023 1066) */
bool random_state_p(Thread *th, Value v);
void print_random_state(Thread *th, Value rs, Value stream);
/* The character case folding EQUALP uses (upper case of ASCII, Latin-1, Greek, Cyrillic):
 * an EQUALP hash of characters and strings must fold the same way. */
uint32_t equalp_char_fold(uint32_t c);

/* ---- characters (builtins/chars.c): CCL's case mapping and classification, by code ---- */
uint32_t char_upcase_code(uint32_t c);   /* CHAR-UPCASE */
uint32_t char_downcase_code(uint32_t c); /* CHAR-DOWNCASE */
bool char_upper_code_p(uint32_t c);      /* UPPER-CASE-P */
bool char_lower_code_p(uint32_t c);      /* LOWER-CASE-P */
bool char_alpha_code_p(uint32_t c);      /* ALPHA-CHAR-P */
bool char_alphanumeric_code_p(uint32_t c); /* ALPHANUMERICP */

/* ---- format (builtins/format*.c) ---- */
/* FORMAT with destination NIL: control is a string or a function, args a list. */
Value format_to_string(Thread *th, Value control, Value args);
/* FORMAT to a stream (T or NIL: *standard-output*). Errors in the control string signal
 * CCL::FORMAT-ERROR (a SIMPLE-ERROR) with CCL's message and caret. */
void format_to_stream(Thread *th, Value stream, Value control, Value args);

/* ---- native registration ---- */
/* Each builtins file ends in a NativeDesc table terminated by {0}; this defines them. */
void define_natives(Thread *th, const NativeDesc *table);
/* The same, with names without a package prefix going to pkg instead of CL. */
void define_natives_in(Thread *th, const NativeDesc *table, Value pkg);
Value make_native(Thread *th, const NativeDesc *desc, Value name);

/* Argument helpers for natives */
static inline bool supplied(Value v) { return v != UNSUPPLIED; }
static inline Value arg_or(Value v, Value dflt) { return v == UNSUPPLIED ? dflt : v; }

/* ---- common checks ---- */
static inline Value check_list(Thread *th, Value v) {
  if (!is_list(v)) type_error(th, v, SYM(list));
  return v;
}
static inline Value check_cons(Thread *th, Value v) {
  if (!is_cons(v)) type_error(th, v, SYM(cons));
  return v;
}
static inline Value check_symbol(Thread *th, Value v) {
  if (!is_symbol(v)) type_error(th, v, SYM(symbol));
  return v;
}
static inline Value check_fixnum(Thread *th, Value v) {
  if (!is_fixnum(v)) type_error(th, v, SYM(fixnum));
  return v;
}

static inline Value car(Thread *th, Value v) {
  if (is_cons(v)) return CAR(v);
  if (v == NIL) return NIL;
  type_error(th, v, SYM(list));
}
static inline Value cdr(Thread *th, Value v) {
  if (is_cons(v)) return CDR(v);
  if (v == NIL) return NIL;
  type_error(th, v, SYM(list));
}

#define BOOL(th, b) ((b) ? SYM(t) : NIL)

#endif
