/* format.c — FORMAT itself: destinations, the entry points the core uses (format_to_string,
 * format_to_stream), CCL's FORMAT-ERROR messages, FORMATTER, and the natives' table. */
#include "format.h"
#include "../interp/control.h"

/* ---- Errors ---- */

static Value format_error_symbol(Thread *th) { return intern_c(th, "FORMAT-ERROR", th->vm->pkg_ccl); }

/* CCL throws (("~1{~:}~%~S~%~V@T^" complaint args control (1+ index))) to FORMAT-ERROR; each
 * indirection (~? ~{~}) on the way out adds ("While processing indirect control string~%~S~%~V@T^"
 * control (1+ index)), and FORMAT finally signals (error "~%~:{~@?~%~}" (nreverse list)). */
void format_error(Fmt *F, const char *complaint, int nargs, ...) {
  Thread *th = F->th;
  Value args[4];
  va_list ap;
  va_start(ap, nargs);
  for (int i = 0; i < nargs && i < 4; i++)
    args[i] = va_arg(ap, Value);
  va_end(ap);
  Value entry = list_from_array(th, nargs < 4 ? nargs : 4, args);
  entry = cons(th, make_string_c(th, "~1{~:}~%~S~%~V@T^"),
               cons(th, make_string_c(th, complaint),
                    list3(th, entry, F->control, make_fixnum((intptr_t)F->index + 1))));
  Value entries = list1(th, entry);
  for (Fmt *outer = F->outer; outer; outer = outer->outer)
    entries = cons(th,
                   list3(th, make_string_c(th, "While processing indirect control string~%~S~%~V@T^"),
                         outer->control, make_fixnum((intptr_t)outer->index + 1)),
                   entries);
  Value initargs[4] = {SYM(k_format_control), make_string_c(th, "~%~:{~@?~%~}"), SYM(k_format_arguments),
                       list1(th, nreverse_list(entries))};
  error_condition(th, make_condition(th, format_error_symbol(th), 4, initargs));
}

/* ---- Running a control string ---- */

void format_run(Thread *th, Value stream, Value control, Value args) {
  if (is_function(control)) {
    apply_list(th, control, cons(th, stream, args));
    return;
  }
  size_t len;
  const uint32_t *s = string_chars(control, &len);
  if (!s)
    type_error(th, control, SYM(string));
  size_t i = 0;
  while (i < len && s[i] != '~')
    i++;
  if (i == len) { /* nothing to interpret */
    fmt_write_chars(th, stream, s, len);
    return;
  }
  FmtShared shared = {false, false};
  Fmt F = {.th = th,
           .control = control,
           .s = s,
           .len = len,
           .end = len,
           .args = args,
           .orig = args,
           .colon_rest = SYM(t),
           .index = 0,
           .block_tag = NIL,
           .block_stream = NIL,
           .block_count = 0,
           .outer = NULL,
           .shared = &shared};
  sub_format(&F, stream, 0, len); /* ~^ at top level just ends the output */
}

Value format_to_string(Thread *th, Value control, Value args) {
  Value out = make_string_output_stream(th);
  format_run(th, out, control, check_list(th, args));
  return get_output_stream_string(th, out);
}

void format_to_stream(Thread *th, Value stream, Value control, Value args) {
  if (stream == SYM(t))
    stream = standard_output(th);
  else if (stream == NIL)
    stream = standard_output(th);
  else
    check_stream(th, stream);
  format_run(th, stream, control, check_list(th, args));
}

/* ---- Natives ---- */

/* (format destination control-string &rest args) */
static Value lisp_format(Thread *th, int nargs, Value *argv) {
  Value dest = argv[0], control = argv[1];
  Value args = list_from_array(th, nargs - 2, argv + 2);
  if (dest == NIL) {
    Value out = make_string_output_stream(th);
    format_run(th, out, control, args);
    return get_output_stream_string(th, out);
  }
  if (is_any_string(dest)) {
    format_run(th, make_fill_pointer_output_stream(th, dest), control, args);
    return NIL;
  }
  Value stream = dest == SYM(t) ? standard_output(th) : dest;
  if (!is_stream(stream) && !is_gray_stream(th, stream))
    type_error(th, dest, SYM(stream));
  format_run(th, stream, control, args);
  return NIL;
}

/* (ccl::%formatter-run stream control args): what a FORMATTER function does; returns the
 * arguments its control string did not use. */
static Value lisp_formatter_run(Thread *th, int nargs, Value *argv) {
  UNUSED(nargs);
  Value stream = argv[0], control = argv[1], args = check_list(th, argv[2]);
  if (stream == SYM(t))
    stream = standard_output(th);
  check_stream(th, stream);
  size_t len;
  const uint32_t *s = string_chars(control, &len);
  if (!s)
    type_error(th, control, SYM(string));
  FmtShared shared = {false, false};
  Fmt F = {.th = th,
           .control = control,
           .s = s,
           .len = len,
           .end = len,
           .args = args,
           .orig = args,
           .colon_rest = SYM(t),
           .block_tag = NIL,
           .block_stream = NIL,
           .shared = &shared};
  sub_format(&F, stream, 0, len);
  return F.args;
}

/* The expander of (formatter control-string):
 * (function (lambda (stream &rest args) (ccl::%formatter-run stream control-string args))) */
static Value lisp_expand_formatter(Thread *th, int nargs, Value *argv) {
  UNUSED(nargs);
  Value form = argv[0];
  Value rest = is_cons(form) ? CDR(form) : NIL;
  if (!is_cons(rest) || CDR(rest) != NIL)
    program_error(th, "Bad FORMATTER form: ~S", form);
  Value control = CAR(rest);
  if (!is_any_string(control))
    type_error(th, control, SYM(string));
  Value stream = make_symbol(th, make_string_c(th, "STREAM"));
  Value args = make_symbol(th, make_string_c(th, "ARGS"));
  Value run = intern_c(th, "%FORMATTER-RUN", th->vm->pkg_ccl);
  Value body = list4(th, run, stream, control, args);
  Value lambda = list3(th, SYM(lambda), list3(th, stream, SYM(rest), args), body);
  return list2(th, SYM(function), lambda);
}

static const NativeDesc format_natives[] = {
    {"FORMAT", lisp_format, 2, 2, NAT_REST, 0, "(destination control-string &rest format-arguments)",
     "Format FORMAT-ARGUMENTS according to CONTROL-STRING and write to DESTINATION: NIL (return a\n"
     "string), T (*standard-output*), a stream, or a string with a fill pointer."},
    {"CCL::%FORMATTER-RUN", lisp_formatter_run, 3, 3, 0, 0, "(stream control-string arguments)", 0},
    {"CCL::%EXPAND-FORMATTER", lisp_expand_formatter, 1, 2, 0, 0, "(form &optional environment)",
     /* Also FORMATTER's docstring: that macro's expander is this native. */
     "(FORMATTER control-string) returns a function of a stream and arguments that prints them as "
     "FORMAT would with CONTROL-STRING, and returns the arguments left unused."},
    {0},
};

void builtins_format_init(Thread *th) {
  define_natives(th, format_natives);
  /* FORMATTER is a macro whose expander is the native above. */
  Value expander = symbol_of(th, intern_c(th, "%EXPAND-FORMATTER", th->vm->pkg_ccl))->function;
  Macro *m = gc_alloc(th, T_MACRO, sizeof(Macro));
  m->expander = expander;
  symbol_of(th, intern_c(th, "FORMATTER", th->vm->pkg_cl))->function = obj_value(m);
  /* CCL signals format errors as SIMPLE-ERRORs; CCL::FORMAT-ERROR names them here. */
  Value name = format_error_symbol(th);
  if (find_class(th, name, false) == NIL)
    define_class(th, CK_CONDITION, name, list1(th, find_class(th, SYM(simple_error), true)), NIL);
}
