/* format.h — what the builtins/format*.c files share: the state of one FORMAT run (CCL's
 * *format-...* variables), parsed directives, and the helpers every directive uses. */
#ifndef CLOVE_BUILTINS_FORMAT_H
#define CLOVE_BUILTINS_FORMAT_H

#include "../interp/stream.h"

/* More parameters than this on one directive is never meaningful; the rest are counted. */
#define FMT_MAX_PARAMS 8

/* How a stretch of directives ended: normally, or by ~^ / ~:^ (CCL's throws to
 * FORMAT-ESCAPE). A logical block that runs out of arguments is left by a throw. */
enum { FMT_DONE = 0, FMT_ESCAPE, FMT_COLON_ESCAPE };

/* Per FORMAT call: CCL's *format-pprint* and *format-justification-semi*. */
typedef struct FmtShared {
  bool pprint, justification_semi;
} FmtShared;

/* One control string being interpreted. An indirect one (~? or ~{~} taking its control
 * string from the arguments) points to the context that called it, for error messages. */
typedef struct Fmt {
  Thread *th;
  Value control;     /* the control string, for error messages */
  const uint32_t *s; /* its characters */
  size_t len;
  size_t end;           /* *format-length*: where the stretch being interpreted ends */
  Value args;           /* *format-arguments* */
  Value orig;           /* *format-original-arguments*, for ~* and ~:P */
  Value colon_rest;     /* *format-colon-rest*: the sublists left for ~:^ (T outside ~:{) */
  size_t index;         /* *format-index*: where errors point */
  Value block_tag;      /* inside a ~<...~:> logical block: the catch tag that ends it, else NIL */
  Value block_stream;   /* where the block writes ". tail" or "..." when it ends early */
  intptr_t block_count; /* arguments taken in the block, against *print-length* */
  struct Fmt *outer;    /* the context an indirect control string came from, or NULL */
  FmtShared *shared;
} Fmt;

/* A directive as parsed: ~ params : @ char. params[i] is NIL when omitted or defaulted. */
typedef struct Directive {
  size_t tilde; /* index of the ~ */
  size_t pos;   /* index of the directive character */
  uint32_t ch;  /* the directive character, upper-cased */
  bool colon, atsign;
  int nparams; /* may exceed FMT_MAX_PARAMS; only the first FMT_MAX_PARAMS are kept */
  Value params[FMT_MAX_PARAMS];
} Directive;

/* ---- format.c ---- */
/* CCL's FORMAT-ERROR: complaint is itself a FORMAT control applied to the nargs Values
 * that follow; the message shows the control string with a caret under F->index. */
NORETURN void format_error(Fmt *F, const char *complaint, int nargs, ...);
/* Runs control (a string or a function) on args to stream: the body of FORMAT. */
void format_run(Thread *th, Value stream, Value control, Value args);

/* ---- format_parse.c: the directive parser and SUB-FORMAT ---- */
/* Interprets s[start, end) to stream; returns FMT_DONE or how an escape ended it. */
int sub_format(Fmt *F, Value stream, size_t start, size_t end);
/* Parses the directive whose ~ is at tilde. With get_params, V and # are evaluated (V
 * takes an argument); without, parameters are only skipped (nparams counts them). */
void parse_directive(Fmt *F, size_t tilde, bool get_params, Directive *d);
/* CCL's FORMAT-FIND-COMMAND: from F->index, the next directive at this nesting level
 * whose character is in chars (compared as written). Leaves F->index on its character.
 * evil: ~W ~_ ~I ~:T and logical blocks are errors (inside a ~<...~> justification). */
void find_command(Fmt *F, const char *chars, bool get_params, bool evil, Directive *d);
/* FORMAT-FIND-COMMAND-NO-PARAMS: the same, but parameters are an error and so is a
 * flag not allowed (colon_ok / atsign_ok false). */
void find_command_no_params(Fmt *F, const char *chars, bool colon_ok, bool atsign_ok, Directive *d);
/* POP-FORMAT-ARG */
Value pop_arg(Fmt *F);
/* Signals "Too many parameters" when d has more than max. */
void check_params(Fmt *F, const Directive *d, int max);
/* FORMAT-NO-FLAGS */
void no_flags(Fmt *F, bool colon, bool atsign);
/* FORMAT-NO-SEMI: ~W ~I ~_ ~:T and logical blocks are illegal after ~<...~:;...~>. */
void no_semi(Fmt *F, uint32_t ch, bool colon, bool atsign);
/* A parameter as an integer (dflt when omitted); a non-integer is a type error. */
intptr_t param_int(Fmt *F, const Directive *d, int i, intptr_t dflt);
/* A parameter as a character (dflt when omitted). */
uint32_t param_char(Fmt *F, const Directive *d, int i, uint32_t dflt);
static inline Value param(const Directive *d, int i) {
  return i < d->nparams && i < FMT_MAX_PARAMS ? d->params[i] : NIL;
}

/* ---- format_print.c: ~A ~S ~W ~D ~B ~O ~X ~R ~P ~C ---- */
int format_print_directive(Fmt *F, Value stream, Directive *d);
/* FORMAT-WRITE-FIELD: text padded to mincol (NIL: no minimum) as CCL does. */
void write_field(Fmt *F, Value stream, Value text, Value mincol, Value colinc, Value minpad, Value padchar,
                 bool padleft);
/* Writing nothing is skipped: a fresh string output stream has no buffer yet. */
static inline void fmt_write_chars(Thread *th, Value stream, const uint32_t *s, size_t n) {
  if (n)
    stream_write_chars(th, stream, s, n);
}
static inline void fmt_write_string(Thread *th, Value stream, Value string) {
  size_t n;
  const uint32_t *s = string_chars(string, &n);
  if (!s)
    type_error(th, string, SYM(string));
  fmt_write_chars(th, stream, s, n);
}
/* Small output helpers */
void write_repeat(Thread *th, Value stream, uint32_t c, intptr_t n);
void write_ascii_n(Thread *th, Value stream, const char *s, size_t n);

/* ---- format_float.c: ~F ~E ~G ~$ ---- */
int format_float_directive(Fmt *F, Value stream, Directive *d);

/* ---- format_control.c: everything that is not printing an argument ---- */
int format_control_directive(Fmt *F, Value stream, Directive *d);
/* Ends the logical block F is in (CCL's throw to LOGICAL-BLOCK). */
NORETURN void format_block_exit(Fmt *F);
/* A context for an indirect control string (~? or ~{~} with a string argument) called
 * from F; it shares F's arguments until the caller copies them back. */
void format_indirect(Fmt *F, Fmt *child, Value control);

#endif
