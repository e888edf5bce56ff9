/* condition.c — condition objects and the standard condition classes, signalling
 * (handler clusters on the dynamic stack), the debugger entry, and errors raised from C. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>

#include "control.h"
#include "stream.h"
#include "types_internal.h"

/* ---- The standard condition classes ----
 * slots: "NAME :INITARG [=NIL | =\"text\"]" separated by ';'. */
typedef struct CondSpec {
  const char *name, *supers, *slots;
  int report;
  const char *report_text;
} CondSpec;

static const CondSpec standard_conditions[] = {
    {"CONDITION", "STANDARD-OBJECT",
     "CCL::FORMAT-CONTROL :FORMAT-CONTROL; CCL::FORMAT-ARGUMENTS :FORMAT-ARGUMENTS", R_NONE, 0},
    {"SERIOUS-CONDITION", "CONDITION", "", R_NONE, 0},
    {"ERROR", "SERIOUS-CONDITION", "", R_NONE, 0},
    {"WARNING", "CONDITION", "", R_NONE, 0},
    {"STYLE-WARNING", "WARNING", "", R_NONE, 0},
    {"SIMPLE-CONDITION", "CONDITION",
     "CCL::FORMAT-CONTROL :FORMAT-CONTROL; CCL::FORMAT-ARGUMENTS :FORMAT-ARGUMENTS =NIL", R_SIMPLE, 0},
    {"SIMPLE-ERROR", "SIMPLE-CONDITION ERROR", "", R_NONE, 0},
    {"SIMPLE-WARNING", "SIMPLE-CONDITION WARNING", "", R_NONE, 0},
    {"STORAGE-CONDITION", "SERIOUS-CONDITION", "", R_NONE, 0},
    {"CCL::SIMPLE-STORAGE-CONDITION", "SIMPLE-CONDITION STORAGE-CONDITION", "", R_NONE, 0},
    {"CCL::STACK-OVERFLOW-CONDITION", "CCL::SIMPLE-STORAGE-CONDITION",
     "CCL::FORMAT-CONTROL :FORMAT-CONTROL =\"Stack overflow on value stack.\"", R_NONE, 0},
    {"TYPE-ERROR", "ERROR",
     "CCL::DATUM :DATUM; CCL::EXPECTED-TYPE :EXPECTED-TYPE; "
     "CCL::FORMAT-CONTROL :FORMAT-CONTROL =\"The value ~S is not of the expected type ~S.\"",
     R_TYPE_ERROR, 0},
    {"SIMPLE-TYPE-ERROR", "SIMPLE-CONDITION TYPE-ERROR", "", R_NONE, 0},
    {"PROGRAM-ERROR", "ERROR", "", R_NONE, 0},
    {"CCL::SIMPLE-PROGRAM-ERROR", "SIMPLE-CONDITION PROGRAM-ERROR", "", R_NONE, 0},
    {"CONTROL-ERROR", "ERROR", "", R_NONE, 0},
    {"CCL::INACTIVE-RESTART", "CONTROL-ERROR", "RESTART-NAME :RESTART-NAME", R_INACTIVE_RESTART, 0},
    {"CELL-ERROR", "ERROR", "CCL::NAME :NAME", R_CELL, 0},
    {"UNBOUND-VARIABLE", "CELL-ERROR", "", R_UNBOUND_VARIABLE, 0},
    {"UNDEFINED-FUNCTION", "CELL-ERROR", "", R_UNDEFINED_FUNCTION, 0},
    {"CCL::UNDEFINED-FUNCTION-CALL", "CONTROL-ERROR UNDEFINED-FUNCTION",
     "CCL::FUNCTION-ARGUMENTS :FUNCTION-ARGUMENTS", R_UNDEFINED_FUNCTION_CALL, 0},
    {"UNBOUND-SLOT", "CELL-ERROR", "CCL::INSTANCE :INSTANCE", R_UNBOUND_SLOT, 0},
    {"ARITHMETIC-ERROR", "ERROR", "CCL::OPERATION :OPERATION =NIL; CCL::OPERANDS :OPERANDS =NIL", R_ARITH, 0},
    {"DIVISION-BY-ZERO", "ARITHMETIC-ERROR", "", R_NONE, 0},
    {"FLOATING-POINT-UNDERFLOW", "ARITHMETIC-ERROR", "", R_NONE, 0},
    {"FLOATING-POINT-OVERFLOW", "ARITHMETIC-ERROR", "", R_NONE, 0},
    {"FLOATING-POINT-INEXACT", "ARITHMETIC-ERROR", "", R_NONE, 0},
    {"FLOATING-POINT-INVALID-OPERATION", "ARITHMETIC-ERROR", "", R_NONE, 0},
    {"STREAM-ERROR", "ERROR", "STREAM :STREAM", R_NONE, 0},
    {"END-OF-FILE", "STREAM-ERROR", "", R_EOF, 0},
    {"PARSE-ERROR", "ERROR", "", R_NONE, 0},
    {"READER-ERROR", "PARSE-ERROR STREAM-ERROR", "", R_NONE, 0},
    {"CCL::SIMPLE-READER-ERROR", "READER-ERROR SIMPLE-ERROR", "", R_READER, 0},
    {"CCL::SIMPLE-STREAM-ERROR", "STREAM-ERROR SIMPLE-CONDITION", "", R_STREAM_SIMPLE, 0},
    {"FILE-ERROR", "ERROR", "PATHNAME :PATHNAME =\"<unspecified>\"", R_FILE, 0},
    {"CCL::SIMPLE-FILE-ERROR", "SIMPLE-CONDITION FILE-ERROR", "", R_NONE, 0},
    {"PACKAGE-ERROR", "ERROR", "PACKAGE :PACKAGE", R_NONE, 0},
    {"CCL::SIMPLE-PACKAGE-ERROR", "PACKAGE-ERROR SIMPLE-CONDITION", "", R_NONE, 0},
    {"CCL::NO-SUCH-PACKAGE", "PACKAGE-ERROR", "", R_NO_SUCH_PACKAGE, 0},
    {"PRINT-NOT-READABLE", "ERROR", "CCL::OBJECT :OBJECT; STREAM :STREAM", R_PRINT_NOT_READABLE, 0},
    {"CCL:INTERRUPT-SIGNAL-CONDITION", "CONDITION", "", R_NONE, "interrupt signal"},
    {0, 0, 0, 0, 0},
};

static Value word_symbol(Thread *th, const char **p) {
  char buf[128];
  size_t n = 0;
  while (**p == ' ' || **p == ';')
    (*p)++;
  while (**p && **p != ' ' && **p != ';' && n < sizeof buf - 1)
    buf[n++] = *(*p)++;
  buf[n] = 0;
  return n ? type_symbol(th, buf) : NIL;
}

/* One slot definition plist from "NAME :INITARG [=NIL | ="text"]" */
static Value parse_slot_spec(Thread *th, const char **p) {
  Value name = word_symbol(th, p);
  if (name == NIL)
    return NIL;
  Value initarg = word_symbol(th, p);
  Value def = list4(th, SYM(k_name), name, ts_ref(th, TS_K_INITARGS), list1(th, initarg));
  while (**p == ' ')
    (*p)++;
  if (**p == '=') {
    (*p)++;
    Value init = NIL;
    if (**p == '"') {
      const char *start = ++*p;
      while (**p && **p != '"')
        (*p)++;
      init = make_string_utf8(th, start, (size_t)(*p - start));
      if (**p)
        (*p)++;
    } else {
      while (**p && **p != ';')
        (*p)++;
    }
    def = cons(th, ts_ref(th, TS_K_INITFORM), cons(th, init, def));
  }
  while (**p == ' ' || **p == ';')
    (*p)++;
  return def;
}

void conditions_init(Thread *th) {
  for (const CondSpec *c = standard_conditions; c->name; c++) {
    Value slots = NIL;
    for (const char *p = c->slots; *p;) {
      Value def = parse_slot_spec(th, &p);
      if (def != NIL)
        slots = cons(th, def, slots);
    }
    Value supers = NIL;
    for (const char *p = c->supers; *p;) {
      Value s = word_symbol(th, &p);
      if (s != NIL)
        supers = cons(th, find_class(th, s, true), supers);
    }
    Value cls =
        define_class(th, CK_CONDITION, type_symbol(th, c->name), nreverse_list(supers), nreverse_list(slots));
    if (!strcmp(c->name, "CONDITION"))
      svec_of(types_state(th))->data[TS_CONDITION] = cls;
    Value report = c->report_text ? make_string_c(th, c->report_text)
                   : c->report    ? make_fixnum(c->report)
                                  : NIL;
    if (report != NIL)
      class_of_obj(cls)->plist = plist_put(th, class_of_obj(cls)->plist, SYM(k_report), report);
  }
}

/* ---- Condition objects ---- */

bool is_condition(Value v) {
  return is_type(v, T_INSTANCE) && obj_of(instance_of(v)->klass)->flags == CK_CONDITION;
}

bool condition_typep(Thread *th, Value condition, Value type_symbol) {
  return typep(th, condition, type_symbol);
}

Value condition_slot(Thread *th, Value c, Value slot_name, Value dflt) {
  int i = class_slot_index(th, instance_of(c)->klass, slot_name);
  if (i < 0 || (size_t)i >= svec_of(instance_of(c)->slots)->len)
    return dflt;
  Value v = instance_slots(c)[i];
  return v == UNBOUND ? dflt : v;
}

static bool find_initarg(int n, const Value *initargs, Value key, Value *out) {
  for (int j = 0; j + 1 < n; j += 2)
    if (initargs[j] == key) {
      *out = initargs[j + 1];
      return true;
    }
  return false;
}

Value make_condition(Thread *th, Value type, int n, const Value *initargs) {
  Value cls = is_type(type, T_CLASS) ? type : find_class(th, type, false);
  if (cls == NIL)
    simple_error(th, "Class named ~S not found.", type);
  if (obj_of(cls)->flags != CK_CONDITION)
    simple_error(th, "~S is not a condition class", cls);
  if (n & 1)
    program_error(th, "Odd-length initargs list: ~S", list_from_array(th, n, initargs));
  Class *c = class_of_obj(cls);
  /* Default initargs the caller did not give, most specific class first; their
   * forms are evaluated now, once each. */
  Value defaults = NIL;
  for (Value l = c->cpl; is_cons(l); l = CDR(l)) {
    if (!is_type(CAR(l), T_CLASS))
      continue;
    for (Value d = class_of_obj(CAR(l))->default_initargs; is_cons(d); d = CDR(d)) {
      Value entry = CAR(d), key = car(th, entry), dummy;
      if (find_initarg(n, initargs, key, &dummy))
        continue;
      bool seen = false;
      for (Value e = defaults; is_cons(e); e = CDR(e))
        if (CAR(CAR(e)) == key)
          seen = true;
      if (seen)
        continue;
      Value form = car(th, cdr(th, entry)), fn = car(th, cdr(th, cdr(th, entry)));
      defaults = cons(th, cons(th, key, is_function(fn) ? funcall0(th, fn) : form), defaults);
    }
  }
  Instance *inst = gc_alloc(th, T_INSTANCE, sizeof(Instance));
  Value result = obj_value(inst);
  inst->klass = cls;
  inst->slots = make_svector(th, (size_t)fixnum_val(c->nslots), UNBOUND);
  Value kinitargs = ts_ref(th, TS_K_INITARGS), kinitform = ts_ref(th, TS_K_INITFORM),
        kinitfn = ts_ref(th, TS_K_INITFUNCTION);
  size_t i = 0;
  for (Value l = c->slots; is_cons(l) && i < svec_of(inst->slots)->len; l = CDR(l), i++) {
    Value def = CAR(l), v = UNBOUND;
    bool found = false;
    for (Value ia = plist_get(def, kinitargs, NIL); is_cons(ia) && !found; ia = CDR(ia)) {
      found = find_initarg(n, initargs, CAR(ia), &v);
      for (Value e = defaults; is_cons(e) && !found; e = CDR(e))
        if (CAR(CAR(e)) == CAR(ia)) {
          v = CDR(CAR(e));
          found = true;
        }
    }
    if (!found) {
      Value fn = plist_get(def, kinitfn, NIL);
      if (is_function(fn) || (is_symbol(fn) && fn != NIL))
        v = funcall0(th, fn);
      else if (plist_has(def, kinitform))
        v = plist_get(def, kinitform, NIL);
    }
    svec_of(inst->slots)->data[i] = v;
  }
  return result;
}

Value make_condition_list(Thread *th, Value type, Value initargs) {
  intptr_t n = list_length(initargs);
  if (n < 0)
    type_error(th, initargs, SYM(list));
  if (n > CALL_ARGUMENTS_LIMIT)
    program_error(th, "Too many initargs: ~S", initargs);
  Value *v = alloca((size_t)(n ? n : 1) * sizeof(Value));
  intptr_t i = 0;
  for (Value l = initargs; is_cons(l); l = CDR(l))
    v[i++] = CAR(l);
  return make_condition(th, type, (int)n, v);
}

Value condition_arg(Thread *th, Value datum, Value args, Value dflt_type) {
  if (is_condition(datum)) {
    if (args != NIL)
      simple_error(th, "Too many arguments.");
    return datum;
  }
  if (is_symbol(datum) || is_type(datum, T_CLASS))
    return make_condition_list(th, datum, args);
  Value ia[4] = {SYM(k_format_control), datum, SYM(k_format_arguments), args};
  return make_condition(th, dflt_type, 4, ia);
}

/* ---- Signalling ----
 * A DYN_HANDLERS entry is a cluster (a = list of (type . handler)) or a barrier
 * (b = fixnum i): entries from i up to the barrier are out of sight. Running a handler
 * pushes a barrier at its own cluster, so that cluster and those above it are disabled
 * while handlers the handler itself establishes still work; unwinding removes it. */

static void push_barrier(Thread *th, size_t down_to) {
  DynEntry e = {.kind = DYN_HANDLERS, .a = NIL, .b = make_fixnum((intptr_t)down_to)};
  dyn_push(th, e);
}

void hide_handlers(Thread *th) { push_barrier(th, 0); }

static void break_on_signal(Thread *th, Value condition);

Value signal_condition(Thread *th, Value condition) {
  Value bos = symbol_value_or(th, SYM(break_on_signals), NIL);
  if (bos != NIL && typep(th, condition, bos))
    break_on_signal(th, condition);
  for (size_t k = th->dyn_top; k-- > 0;) {
    if (th->dyn[k].kind != DYN_HANDLERS)
      continue;
    if (is_fixnum(th->dyn[k].b)) {
      k = (size_t)fixnum_val(th->dyn[k].b); /* the loop's k-- goes below the hidden range */
      continue;
    }
    for (Value l = th->dyn[k].a; is_cons(l); l = CDR(l)) {
      Value binding = CAR(l);
      if (!is_cons(binding))
        continue;
      /* The type test runs with this cluster hidden too: a bad type specifier in
       * a handler signals an error that must not consult the same handler again. */
      size_t top = th->dyn_top;
      push_barrier(th, k);
      bool applies = typep(th, condition, CAR(binding));
      if (applies)
        funcall1(th, CDR(binding), condition);
      unwind_to(th, top);
    }
  }
  return NIL;
}

static void invoke_debugger_body(Thread *th, void *data) { invoke_debugger(th, *(Value *)data); }

/* *BREAK-ON-SIGNALS*: the debugger, with a CONTINUE restart that resumes signalling. */
static void break_on_signal(Thread *th, Value condition) {
  size_t top = th->dyn_top;
  bind_special(th, SYM(break_on_signals), NIL);
  with_restart(th, ts_ref(th, TS_S_CONTINUE), make_string_c(th, "Signal the condition."), NIL,
               invoke_debugger_body, &condition, NULL);
  unwind_to(th, top);
}

void error_condition(Thread *th, Value condition) {
  signal_condition(th, condition);
  invoke_debugger(th, condition);
}

/* Nothing to go back to: say what happened and stop the process, once. */
static NORETURN void last_resort(Thread *th, Value condition) {
  Value flag = ts_ref(th, TS_S_IN_LAST_RESORT);
  if (symbol_value_or(th, flag, NIL) == NIL) {
    bind_special(th, flag, SYM(t));
    Value text = condition_report_string(th, condition);
    char *s = string_to_cstr(text);
    fprintf(stderr, "> Error: %s\n", s ? s : "?");
    free(s);
  } else {
    fprintf(stderr, "> Error while reporting an error\n");
  }
  fflush(stderr);
  exit(1);
}

void invoke_debugger(Thread *th, Value condition) {
  Value hook = symbol_value_or(th, SYM(debugger_hook), NIL);
  if (hook != NIL) {
    size_t top = th->dyn_top;
    bind_special(th, SYM(debugger_hook), NIL);
    funcall2(th, hook, condition, hook);
    unwind_to(th, top);
  }
  /* The host's break loop (the REPL sets it); when it returns, go to toplevel. */
  Value repl = symbol_value_or(th, SYM(invoke_debugger_hook), NIL);
  if (repl != NIL)
    funcall1(th, repl, condition);
  th->last_backtrace = capture_backtrace(th);
  th->last_error = condition;
  size_t idx = find_catch(th, SYM(toplevel_tag));
  if (idx == (size_t)-1)
    last_resort(th, condition);
  th->throw_value = condition;
  th->vals[0] = condition;
  th->nvals = 1;
  throw_to(th, idx);
}

/* ---- Errors from C ---- */

/* How many arguments a FORMAT control consumes, for the Values after it. */
static int format_arg_count(const char *f) {
  int n = 0;
  for (; *f; f++) {
    if (*f != '~')
      continue;
    f++;
    for (;;) {
      if (*f == '\'' && f[1])
        f += 2;
      else if (*f == 'v' || *f == 'V') {
        n++;
        f++;
      } else if (*f == '#' || *f == ',' || *f == '+' || *f == '-' || isdigit((unsigned char)*f))
        f++;
      else
        break;
    }
    bool colon = false, at = false;
    for (; *f == ':' || *f == '@'; f++) {
      if (*f == ':')
        colon = true;
      else
        at = true;
    }
    if (!*f)
      break;
    switch (toupper((unsigned char)*f)) {
    case 'A':
    case 'S':
    case 'D':
    case 'B':
    case 'O':
    case 'X':
    case 'R':
    case 'C':
    case 'F':
    case 'E':
    case 'G':
    case '$':
    case 'W':
    case '[':
    case '{':
      n++;
      break;
    case 'P':
    case '*':
      if (!colon)
        n++;
      break;
    case '?':
      n += at ? 1 : 2;
      break;
    default:
      break;
    }
  }
  return n;
}

static Value collect_format_args(Thread *th, const char *fmt, va_list ap) {
  int n = format_arg_count(fmt);
  Value v[n ? n : 1];
  for (int i = 0; i < n; i++)
    v[i] = va_arg(ap, Value);
  return list_from_array(th, n, v);
}

/* Doubled tildes are not needed: fmt is a FORMAT control as it stands. */
static NORETURN void error_with_control(Thread *th, Value type, const char *fmt, Value args) {
  Value ia[4] = {SYM(k_format_control), make_string_c(th, fmt), SYM(k_format_arguments), args};
  error_condition(th, make_condition(th, type, 4, ia));
}

void lisp_error(Thread *th, Value type, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  Value args = collect_format_args(th, fmt, ap);
  va_end(ap);
  error_with_control(th, type, fmt, args);
}

void simple_error(Thread *th, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  Value args = collect_format_args(th, fmt, ap);
  va_end(ap);
  error_with_control(th, SYM(simple_error), fmt, args);
}

void program_error(Thread *th, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  Value args = collect_format_args(th, fmt, ap);
  va_end(ap);
  error_with_control(th, ts_ref(th, TS_S_SIMPLE_PROGRAM_ERROR), fmt, args);
}

void control_error(Thread *th, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  Value args = collect_format_args(th, fmt, ap);
  va_end(ap);
  error_with_control(th, SYM(control_error), fmt, args);
}

void warn_c(Thread *th, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  Value args = collect_format_args(th, fmt, ap);
  va_end(ap);
  Value ia[4] = {SYM(k_format_control), make_string_c(th, fmt), SYM(k_format_arguments), args};
  warn_condition(th, make_condition(th, SYM(simple_warning), 4, ia));
}

void type_error(Thread *th, Value datum, Value expected_type) {
  Value ia[4] = {SYM(k_datum), datum, SYM(k_expected_type), expected_type};
  error_condition(th, make_condition(th, SYM(k_type_error), 4, ia));
}

void type_error_c(Thread *th, Value datum, const char *expected_type) {
  /* Read in CL-USER, whatever *package* is, so that OR, INTEGER ... are CL's. */
  size_t top = th->dyn_top;
  bind_special(th, SYM(package), th->vm->pkg_cl_user);
  Value type = read_from_cstring(th, expected_type);
  unwind_to(th, top);
  type_error(th, datum, type);
}

void unbound_variable_error(Thread *th, Value sym) {
  Value ia[2] = {SYM(k_name), sym};
  error_condition(th, make_condition(th, SYM(unbound_variable), 2, ia));
}

void undefined_function_error(Thread *th, Value name) {
  Value ia[2] = {SYM(k_name), name};
  error_condition(th, make_condition(th, SYM(undefined_function), 2, ia));
}

void undefined_function_call_error(Thread *th, Value name, Value args) {
  Value ia[4] = {SYM(k_name), name, ts_ref(th, TS_K_FUNCTION_ARGUMENTS), args};
  error_condition(th, make_condition(th, ts_ref(th, TS_S_UNDEFINED_FUNCTION_CALL), 4, ia));
}

/* ---- WARN ---- */

static void signal_body(Thread *th, void *data) { signal_condition(th, *(Value *)data); }

/* The functions of the condition system itself, which a "While executing" line skips. */
static bool condition_machinery(Thread *th, Value name) {
  static const char *const names[] = {"ERROR", "CERROR", "WARN", "SIGNAL", "BREAK", "INVOKE-DEBUGGER", 0};
  if (!is_symbol(name) || name == NIL || symbol_of(th, name)->package != th->vm->pkg_cl)
    return false;
  for (int i = 0; names[i]; i++)
    if (string_eq_c(symbol_name(th, name), names[i]))
      return true;
  return false;
}

Value erring_function_name(Thread *th) {
  for (CallRecord *r = th->calls; r; r = r->up) {
    Value name = function_name(th, r->fn);
    if (name != NIL && !condition_machinery(th, name))
      return name;
  }
  return NIL;
}

void warn_condition(Thread *th, Value condition) {
  if (!typep(th, condition, SYM(warning)))
    type_error(th, condition, SYM(warning));
  if (with_restart(th, ts_ref(th, TS_S_MUFFLE_WARNING), make_string_c(th, "Skip the warning"), condition,
                   signal_body, &condition, NULL))
    return;
  print_break_message(th, error_output(th), ';', "Warning", condition, erring_function_name(th));
}
