/* printer_natives.c — the Lisp face of the printer: WRITE, PRIN1, PRINC, PRINT, PPRINT, the
 * *-TO-STRING functions, CCL's %PRINT-UNREADABLE-OBJECT, and the *print-...* variables. */
#include "lisp.h"
#include "stream.h"

/* The *print-...* variable each WRITE keyword binds, in the order of the keys string. */
#define WRITE_KEYS                                                                                           \
  "escape radix base circle pretty level length case gensym array readably right-margin miser-width "        \
  "lines pprint-dispatch"
#define N_WRITE_KEYS 15

static Value write_key_variable(Thread *th, int i) {
  switch (i) {
  case 0:
    return SYM(print_escape);
  case 1:
    return SYM(print_radix);
  case 2:
    return SYM(print_base);
  case 3:
    return SYM(print_circle);
  case 4:
    return SYM(print_pretty);
  case 5:
    return SYM(print_level);
  case 6:
    return SYM(print_length);
  case 7:
    return SYM(print_case);
  case 8:
    return SYM(print_gensym);
  case 9:
    return SYM(print_array);
  case 10:
    return SYM(print_readably);
  case 11:
    return intern_c(th, "*PRINT-RIGHT-MARGIN*", th->vm->pkg_cl);
  case 12:
    return intern_c(th, "*PRINT-MISER-WIDTH*", th->vm->pkg_cl);
  case 13:
    return intern_c(th, "*PRINT-LINES*", th->vm->pkg_cl);
  default:
    return intern_c(th, "*PRINT-PPRINT-DISPATCH*", th->vm->pkg_cl);
  }
}

/* Binds the variables of the supplied keywords; the caller unwinds to the returned mark. */
static size_t bind_write_keys(Thread *th, const Value *keys) {
  size_t mark = th->dyn_top;
  for (int i = 0; i < N_WRITE_KEYS; i++)
    if (supplied(keys[i]))
      bind_special(th, write_key_variable(th, i), keys[i]);
  return mark;
}

static Value out_stream(Thread *th, Value designator) {
  return stream_designator_out(th, arg_or(designator, NIL));
}

static Value n_write(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value stream = out_stream(th, args[1]);
  size_t mark = bind_write_keys(th, args + 2);
  write_object(th, args[0], stream);
  unwind_to(th, mark);
  return args[0];
}

static Value n_write_to_string(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value stream = make_string_output_stream(th);
  size_t mark = bind_write_keys(th, args + 1);
  write_object(th, args[0], stream);
  unwind_to(th, mark);
  return get_output_stream_string(th, stream);
}

static Value n_prin1(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  print_object(th, args[0], out_stream(th, args[1]), true);
  return args[0];
}

static Value n_princ(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  print_object(th, args[0], out_stream(th, args[1]), false);
  return args[0];
}

static Value n_print(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value stream = out_stream(th, args[1]);
  stream_write_char(th, stream, '\n');
  print_object(th, args[0], stream, true);
  stream_write_char(th, stream, ' ');
  return args[0];
}

static Value n_pprint(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value stream = out_stream(th, args[1]);
  size_t mark = th->dyn_top;
  stream_write_char(th, stream, '\n');
  bind_special(th, SYM(print_pretty), SYM(t));
  print_object(th, args[0], stream, true);
  unwind_to(th, mark);
  th->nvals = 0;
  return NIL;
}

static Value n_prin1_to_string(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return prin1_to_string(th, args[0]);
}

static Value n_princ_to_string(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return princ_to_string(th, args[0]);
}

static Value n_print_unreadable_object(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  print_unreadable_object(th, args[0], arg_or(args[1], NIL), arg_or(args[2], NIL) != NIL,
                          arg_or(args[3], NIL) != NIL, arg_or(args[4], NIL));
  return NIL;
}

#define WRITE_LAMBDA_KEYS                                                                                    \
  "escape radix base circle pretty level length case gensym array readably right-margin miser-width "        \
  "lines pprint-dispatch)"

#define DESC(name_, fn_, min_, max_, flags_, keys_, lambda_list_, doc_)                                      \
  {                                                                                                          \
    .name = name_, .fn = fn_, .min_args = min_, .max_args = max_, .flags = flags_, .keys = keys_,            \
    .lambda_list = lambda_list_, .doc = doc_                                                                 \
  }

static const NativeDesc printer_natives[] = {
    DESC("WRITE", n_write, 1, 1, 0, "stream " WRITE_KEYS, "(object &key stream " WRITE_LAMBDA_KEYS,
         "Output OBJECT to the specified stream, defaulting to *STANDARD-OUTPUT*"),
    DESC("WRITE-TO-STRING", n_write_to_string, 1, 1, 0, WRITE_KEYS, "(object &key " WRITE_LAMBDA_KEYS,
         "Return the printed representation of OBJECT as a string."),
    DESC("PRIN1", n_prin1, 1, 2, 0, NULL, "(object &optional stream)",
         "Output a mostly READable printed representation of OBJECT on the specified STREAM."),
    DESC("PRINC", n_princ, 1, 2, 0, NULL, "(object &optional stream)",
         "Output an aesthetic but not necessarily READable printed representation of OBJECT on the "
         "specified STREAM."),
    DESC("PRINT", n_print, 1, 2, 0, NULL, "(object &optional stream)",
         "Output a newline, the mostly READable printed representation of OBJECT, and space to the "
         "specified STREAM."),
    DESC("PPRINT", n_pprint, 1, 2, NAT_MV, NULL, "(object &optional stream)",
         "Prettily output OBJECT preceded by a newline."),
    DESC("PRIN1-TO-STRING", n_prin1_to_string, 1, 1, 0, NULL, "(object)",
         "Return the printed representation of OBJECT as a string with slashification on."),
    DESC("PRINC-TO-STRING", n_princ_to_string, 1, 1, 0, NULL, "(object)",
         "Return the printed representation of OBJECT as a string with slashification off."),
    DESC("CCL::%PRINT-UNREADABLE-OBJECT", n_print_unreadable_object, 5, 5, 0, NULL,
         "(object stream type id thunk)",
         "Write OBJECT as #<...>: its type if TYPE, what THUNK writes, its address if ID."),
    {0},
};

static void define_variable(Thread *th, Value sym, Value value) {
  set_symbol_value(th, sym, value);
  symbol_of(th, sym)->h.flags |= SYM_SPECIAL;
}

static void define_cl_variable(Thread *th, const char *name, Value value) {
  Value sym = intern_c(th, name, th->vm->pkg_cl);
  export_symbol(th, sym, th->vm->pkg_cl);
  define_variable(th, sym, value);
}

void builtins_printer_init(Thread *th) {
  define_natives(th, printer_natives);
  define_variable(th, SYM(print_escape), SYM(t));
  define_variable(th, SYM(print_readably), NIL);
  define_variable(th, SYM(print_base), make_fixnum(10));
  define_variable(th, SYM(print_radix), NIL);
  define_variable(th, SYM(print_case), SYM(k_upcase));
  define_variable(th, SYM(print_circle), NIL);
  define_variable(th, SYM(print_pretty), NIL);
  define_variable(th, SYM(print_level), NIL);
  define_variable(th, SYM(print_length), NIL);
  define_variable(th, SYM(print_gensym), SYM(t));
  define_variable(th, SYM(print_array), SYM(t));
  define_cl_variable(th, "*PRINT-LINES*", NIL);
  define_cl_variable(th, "*PRINT-RIGHT-MARGIN*", NIL);
  define_cl_variable(th, "*PRINT-MISER-WIDTH*", make_fixnum(40)); /* CCL's default */
  define_cl_variable(th, "*PRINT-PPRINT-DISPATCH*", NIL);
}
