/* clove.h — the public interface for programs that embed Clove: open a VM,
 * evaluate Lisp, define natives in C. No Lisp error ever unwinds past these calls. */
#ifndef CLOVE_H
#define CLOVE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define CLOVE_VERSION "0.1.0"

typedef struct CloveVM CloveVM;
typedef uintptr_t CloveValue;

/* Status of every call that evaluates Lisp. */
typedef enum {
  CLOVE_OK = 0,
  CLOVE_ERROR = 1, /* a Lisp error was signalled and not handled; see clove_error_text */
  CLOVE_EXIT = 2,  /* the program called (quit); see clove_exit_code */
  CLOVE_EOF = 3,   /* clove_read_eval_print: the input ended */
} CloveStatus;

/* Options for clove_open; zero-initialise and set what you need. */
typedef struct CloveOptions {
  int argc;           /* becomes ccl:*command-line-argument-list* */
  char **argv;
  int no_init;        /* reserved for the host's init-file logic */
} CloveOptions;

/* Creates a VM. The calling thread becomes its main thread; call clove_* from it.
 * opts may be NULL. Returns NULL only when memory is exhausted. */
CloveVM *clove_open(const CloveOptions *opts);
void clove_close(CloveVM *vm);

/* Reads and evaluates every form in src (in CL-USER by default). On CLOVE_OK,
 * *result (if not NULL) receives a malloc'd string of the last value printed with
 * prin1 (several values are separated by newlines; no values gives ""). */
CloveStatus clove_eval_string(CloveVM *vm, const char *src, char **result);

/* Loads a file as LOAD does. */
CloveStatus clove_load_file(CloveVM *vm, const char *path);

/* Text of the last unhandled error ("Error: ..." without the prefix), owned by the VM,
 * valid until the next call. */
const char *clove_error_text(CloveVM *vm);
/* Backtrace of Lisp function names at the last unhandled error, one per line. */
const char *clove_error_backtrace(CloveVM *vm);
/* "file:line" of the top-level form LOAD was evaluating at the last error, or "". */
const char *clove_error_location(CloveVM *vm);
int clove_exit_code(CloveVM *vm);

/* Natives defined from C. A native receives its arguments as an array and returns
 * a value built with the helpers below. To signal a Lisp error, call clove_error
 * (which does not return). */
typedef CloveValue (*CloveNativeFn)(CloveVM *vm, int nargs, const CloveValue *args);
/* Defines a function in CL-USER (or "PKG:NAME"), taking min..max arguments
 * (max = -1: any number). doc may be NULL. Returns 0, or -1 on a bad name. */
int clove_define(CloveVM *vm, const char *name, int min_args, int max_args, CloveNativeFn fn,
                 const char *doc);
void clove_error(CloveVM *vm, const char *message) __attribute__((noreturn));

/* Values for natives */
CloveValue clove_nil(CloveVM *vm);
CloveValue clove_t(CloveVM *vm);
CloveValue clove_int(CloveVM *vm, int64_t n);
CloveValue clove_double(CloveVM *vm, double d);
CloveValue clove_string(CloveVM *vm, const char *utf8);
CloveValue clove_symbol(CloveVM *vm, const char *name); /* interned in CL-USER, or "PKG:NAME" */
CloveValue clove_cons(CloveVM *vm, CloveValue car, CloveValue cdr);
int clove_is_int(CloveValue v);
int64_t clove_to_int(CloveVM *vm, CloveValue v);     /* signals a type-error if not an integer in range */
double clove_to_double(CloveVM *vm, CloveValue v);   /* any real */
/* UTF-8 copy of a string's contents (malloc'd; the caller frees). Signals if not a string. */
char *clove_to_cstring(CloveVM *vm, CloveValue v);
/* prin1 text of any value (malloc'd). */
char *clove_print(CloveVM *vm, CloveValue v);

/* --- For hosts that run an interactive loop (the REPL is one) --- */

/* Reads one form from standard input, evaluates it and prints its values with the
 * listener's conventions; an unhandled error enters the break loop unless batch
 * mode is set. */
CloveStatus clove_read_eval_print(CloveVM *vm);
void clove_set_batch(CloveVM *vm, int batch);
/* Whether clove_read_eval_print prints the "? " prompt (CCL hides it with --batch --quiet). */
void clove_set_prompt(CloveVM *vm, int show);
/* Lets the host edit input lines (GNU readline, say) when standard input is a terminal.
 * Whenever the listener needs input on fd 0, reader is called with the prompt: the
 * text written to *standard-output* after its last newline and not yet sent to the
 * terminal (the listener's "? ", or "" on the continuation lines of a form), which is
 * then not printed by Clove. reader returns a malloc'd line without its newline, which
 * Clove frees, or NULL for end of file. reader NULL restores plain reading. Not used
 * when standard input is not a terminal. */
void clove_set_line_reader(CloveVM *vm, char *(*reader)(const char *prompt, void *data), void *data);
/* Completions of text as typed at the listener: the names of symbols accessible in the
 * current package that start with text ("pkg:" external symbols of pkg, "pkg::" all of
 * its symbols, ":" keywords), compared ignoring case and returned, sorted, with text's
 * prefix as typed, in lower case unless text is in upper case. A NULL-terminated
 * malloc'd array of malloc'd strings (the caller frees both), empty when nothing
 * matches; NULL only when memory is exhausted. */
char **clove_complete(CloveVM *vm, const char *text);
/* The same for text typed after before, what precedes it in the form being typed (earlier
 * lines included; NULL when unknown): a keyword argument of a call to a function with
 * keyword parameters, (make-socket :remote-h, completes to those of its parameters that
 * match, unless it stands where the value of one of them goes; with nothing to offer from
 * there, to all keywords as clove_complete does. */
char **clove_complete_in(CloveVM *vm, const char *text, const char *before);
/* Async-signal-safe: asks the running Lisp code to stop at its next safe point. */
void clove_interrupt(CloveVM *vm);
/* For a line reader interrupted while a form was being continued over several lines:
 * the listener drops what was typed of that form and prompts again (call it before
 * returning the line, which is dropped too). */
void clove_abandon_form(CloveVM *vm);

#ifdef __cplusplus
}
#endif
#endif
