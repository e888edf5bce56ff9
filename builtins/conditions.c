/* conditions.c — the condition system's Lisp functions: SIGNAL, ERROR, CERROR, WARN,
 * restarts, condition readers, and the natives behind HANDLER-BIND, RESTART-CASE, DEFINE-CONDITION. */
#include "../interp/stream.h"
#include "../interp/types_internal.h"

/* ---- Signalling ---- */

static Value rest_list(Thread *th, int nargs, Value *args, int from) {
  return from < nargs ? list_from_array(th, nargs - from, args + from) : NIL;
}

static Value lisp_signal(Thread *th, int nargs, Value *args) {
  Value c = condition_arg(th, args[0], rest_list(th, nargs, args, 1), SYM(simple_condition));
  return signal_condition(th, c);
}

static Value lisp_error_fn(Thread *th, int nargs, Value *args) {
  error_condition(th, condition_arg(th, args[0], rest_list(th, nargs, args, 1), SYM(simple_error)));
}

static void error_body(Thread *th, void *data) { error_condition(th, *(Value *)data); }

static Value lisp_cerror(Thread *th, int nargs, Value *args) {
  Value fargs = rest_list(th, nargs, args, 2);
  Value c = condition_arg(th, args[1], is_condition(args[1]) ? NIL : fargs, SYM(simple_error));
  Value out = make_string_output_stream(th);
  report_format(th, out, args[0], fargs);
  Value report = get_output_stream_string(th, out);
  with_restart(th, ts_ref(th, TS_S_CONTINUE), report, c, error_body, &c, NULL);
  return NIL;
}

static Value lisp_warn(Thread *th, int nargs, Value *args) {
  Value datum = args[0], more = rest_list(th, nargs, args, 1);
  if (is_condition(datum)) {
    if (!typep(th, datum, SYM(warning)))
      type_error(th, datum, SYM(warning));
    if (more != NIL) {
      Value ia[6] = {SYM(k_datum),          more,
                     SYM(k_expected_type),  NIL,
                     SYM(k_format_control), make_string_c(th, "Extra arguments in ~s.")};
      error_condition(th, make_condition(th, SYM(k_type_error), 6, ia));
    }
  }
  warn_condition(th, condition_arg(th, datum, more, SYM(simple_warning)));
  return NIL;
}

static Value lisp_make_condition(Thread *th, int nargs, Value *args) {
  return make_condition(th, args[0], nargs - 1, args + 1);
}

static Value check_condition(Thread *th, Value c) {
  if (!is_condition(c))
    type_error(th, c, SYM(condition));
  return c;
}

static Value lisp_invoke_debugger(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  invoke_debugger(th, check_condition(th, args[0]));
}

static void break_body(Thread *th, void *data) {
  size_t top = th->dyn_top;
  bind_special(th, SYM(debugger_hook), NIL); /* BREAK is for the programmer: no hook */
  invoke_debugger(th, *(Value *)data);
  unwind_to(th, top);
}

static Value lisp_break(Thread *th, int nargs, Value *args) {
  Value control = nargs > 0 && args[0] != UNSUPPLIED ? args[0] : make_string_c(th, "");
  Value c = is_condition(control)
                ? control
                : make_condition_list(th, SYM(simple_condition),
                                      list4(th, SYM(k_format_control), control, SYM(k_format_arguments),
                                            rest_list(th, nargs, args, 1)));
  with_restart(th, ts_ref(th, TS_S_CONTINUE), make_string_c(th, "Return from BREAK."), NIL, break_body, &c,
               NULL);
  return NIL;
}

/* ---- Restarts ---- */

static Value opt_condition(Value v) { return v == UNSUPPLIED ? NIL : v; }

static Value lisp_compute_restarts(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return compute_restarts(th, opt_condition(args[0]));
}

static Value lisp_find_restart(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return find_restart(th, args[0], opt_condition(args[1]));
}

static Value lisp_invoke_restart(Thread *th, int nargs, Value *args) {
  return invoke_restart(th, args[0], rest_list(th, nargs, args, 1));
}

static Value lisp_invoke_restart_interactively(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value r = find_restart(th, args[0], NIL);
  if (r == NIL)
    inactive_restart_error(th, args[0]);
  Value interactive = instance_slots(r)[RS_INTERACTIVE];
  Value iargs = interactive != NIL ? funcall0(th, interactive) : NIL;
  return invoke_restart(th, r, iargs);
}

static Value check_restart(Thread *th, Value r) {
  if (!is_restart(th, r))
    type_error(th, r, type_symbol(th, "RESTART"));
  return r;
}

static Value lisp_restart_name(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return instance_slots(check_restart(th, args[0]))[RS_NAME];
}

/* ABORT and MUFFLE-WARNING must transfer control: CCL invokes what FIND-RESTART found,
 * so when nothing is found the error names NIL. */
static Value invoke_no_return(Thread *th, int which, Value condition) {
  Value r = find_restart(th, ts_ref(th, which), condition);
  if (r == NIL)
    inactive_restart_error(th, NIL);
  invoke_restart(th, r, NIL);
  control_error(th, "The ~A restart failed to transfer control dynamically as expected.", ts_ref(th, which));
}

static Value lisp_abort(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return invoke_no_return(th, TS_S_ABORT, opt_condition(args[0]));
}

static Value lisp_muffle_warning(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return invoke_no_return(th, TS_S_MUFFLE_WARNING, opt_condition(args[0]));
}

static Value lisp_continue(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value r = find_restart(th, ts_ref(th, TS_S_CONTINUE), opt_condition(args[0]));
  return r == NIL ? NIL : invoke_restart(th, r, NIL);
}

static Value value_restart(Thread *th, int which, Value value, Value condition) {
  Value r = find_restart(th, ts_ref(th, which), condition);
  return r == NIL ? NIL : invoke_restart(th, r, list1(th, value));
}

static Value lisp_store_value(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return value_restart(th, TS_S_STORE_VALUE, args[0], opt_condition(args[1]));
}

static Value lisp_use_value(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return value_restart(th, TS_S_USE_VALUE, args[0], opt_condition(args[1]));
}

/* ---- Readers of the standard conditions ---- */

static Value read_slot(Thread *th, Value c, const char *type, int slot) {
  if (!is_condition(c) || !typep(th, c, type_symbol(th, type)))
    type_error(th, c, type_symbol(th, type));
  return condition_slot(th, c, ts_ref(th, slot), NIL);
}

#define READER(cname, type, slot)                                                                            \
  static Value cname(Thread *th, int nargs, Value *args) {                                                   \
    UNUSED(nargs);                                                                                           \
    return read_slot(th, args[0], type, slot);                                                               \
  }
READER(lisp_format_control, "SIMPLE-CONDITION", TS_S_FORMAT_CONTROL)
READER(lisp_format_arguments, "SIMPLE-CONDITION", TS_S_FORMAT_ARGUMENTS)
READER(lisp_type_error_datum, "TYPE-ERROR", TS_S_DATUM)
READER(lisp_type_error_expected_type, "TYPE-ERROR", TS_S_EXPECTED_TYPE)
READER(lisp_cell_error_name, "CELL-ERROR", TS_S_NAME)
READER(lisp_unbound_slot_instance, "UNBOUND-SLOT", TS_S_INSTANCE)
READER(lisp_arithmetic_error_operation, "ARITHMETIC-ERROR", TS_S_OPERATION)
READER(lisp_arithmetic_error_operands, "ARITHMETIC-ERROR", TS_S_OPERANDS)
READER(lisp_stream_error_stream, "STREAM-ERROR", TS_S_STREAM)
READER(lisp_file_error_pathname, "FILE-ERROR", TS_S_PATHNAME)
READER(lisp_package_error_package, "PACKAGE-ERROR", TS_S_PACKAGE)
READER(lisp_print_not_readable_object, "PRINT-NOT-READABLE", TS_S_OBJECT)
#undef READER

/* ---- Natives behind the macros of stdlib/conditions.lisp ---- */

/* (ccl::%format stream-or-nil control arguments): FORMAT for the condition system's own
 * messages, which works before the real FORMAT is loaded. */
static Value lisp_format(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value stream = args[0] == NIL ? make_string_output_stream(th) : args[0];
  report_format(th, stream, args[1], check_list(th, args[2]));
  return args[0] == NIL ? get_output_stream_string(th, stream) : NIL;
}

static Value lisp_condition_arg(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return condition_arg(th, args[0], check_list(th, args[1]), args[2]);
}

/* (ccl::%with-handlers ((type . handler) ...) thunk): the cluster is in force while
 * thunk runs; its values are returned. */
static Value with_cluster(Thread *th, enum DynKind kind, Value cluster, Value thunk) {
  size_t top = th->dyn_top;
  DynEntry e = {.kind = (uint8_t)kind, .a = cluster, .b = NIL};
  dyn_push(th, e);
  Value r = funcall0(th, thunk);
  unwind_to(th, top);
  return r;
}

static Value lisp_with_handlers(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  for (Value l = check_list(th, args[0]); is_cons(l); l = CDR(l))
    check_cons(th, CAR(l));
  return with_cluster(th, DYN_HANDLERS, args[0], args[1]);
}

static Value lisp_with_restarts(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  for (Value l = check_list(th, args[0]); is_cons(l); l = CDR(l))
    check_restart(th, CAR(l));
  return with_cluster(th, DYN_RESTARTS, args[0], args[1]);
}

static Value lisp_make_restart(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  check_symbol(th, args[0]);
  return make_restart(th, args[0], args[1], arg_or(args[2], NIL), arg_or(args[3], NIL), arg_or(args[4], NIL));
}

static Value lisp_associate_restarts(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  for (Value l = check_list(th, args[1]); is_cons(l); l = CDR(l)) {
    Value *s = instance_slots(check_restart(th, CAR(l)));
    if (!memq_list(args[0], s[RS_CONDITIONS]))
      s[RS_CONDITIONS] = cons(th, args[0], s[RS_CONDITIONS]);
  }
  return NIL;
}

static Value lisp_dissociate_restarts(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  for (Value l = check_list(th, args[1]); is_cons(l); l = CDR(l)) {
    Value *s = instance_slots(check_restart(th, CAR(l)));
    Value kept = NIL;
    bool removed = false;
    for (Value c = s[RS_CONDITIONS]; is_cons(c); c = CDR(c))
      if (CAR(c) == args[0] && !removed)
        removed = true;
      else
        kept = cons(th, CAR(c), kept);
    s[RS_CONDITIONS] = nreverse_list(kept);
  }
  return NIL;
}

static int slot_index_or_error(Thread *th, Value c, Value name) {
  if (!is_type(c, T_INSTANCE))
    type_error(th, c, SYM(condition));
  int i = class_slot_index(th, instance_of(c)->klass, name);
  if (i < 0 || (size_t)i >= svec_of(instance_of(c)->slots)->len)
    simple_error(th, "~S has no slot named ~S.", c, name);
  return i;
}

static Value lisp_condition_slot_value(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value v = instance_slots(args[0])[slot_index_or_error(th, args[0], args[1])];
  if (v == UNBOUND) {
    Value ia[4] = {SYM(k_name), args[1], ts_ref(th, TS_K_INSTANCE), args[0]};
    error_condition(th, make_condition(th, SYM(unbound_slot), 4, ia));
  }
  return v;
}

static Value lisp_set_condition_slot_value(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  instance_slots(args[0])[slot_index_or_error(th, args[0], args[1])] = args[2];
  return args[2];
}

/* (ccl::%define-condition name supers slot-definitions report default-initargs doc):
 * slot definitions are plists (:name :initargs :initform :initfunction :readers :writers),
 * default initargs a list of (initarg form function). */
static Value lisp_define_condition(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value name = check_symbol(th, args[0]), supers = check_list(th, args[1]);
  Value bad = NIL;
  for (Value l = supers; is_cons(l); l = CDR(l)) {
    Value cls = find_class(th, CAR(l), false);
    if (cls == NIL || !subclassp(cls, ts_ref(th, TS_CONDITION)))
      bad = cons(th, CAR(l), bad);
  }
  if (bad != NIL)
    simple_error(th,
                 "Parent types of condition named ~s being defined aren't known subtypes of CONDITION: ~s.",
                 name, nreverse_list(bad));
  Value cls = define_class(th, CK_CONDITION, name, supers, check_list(th, args[2]));
  Class *c = class_of_obj(cls);
  Value report = arg_or(args[3], NIL);
  if (report != NIL)
    c->plist = plist_put(th, c->plist, SYM(k_report), report);
  else if (plist_has(c->plist, SYM(k_report)))
    c->plist = plist_put(th, c->plist, SYM(k_report), UNBOUND);
  c->default_initargs = check_list(th, arg_or(args[4], NIL));
  Value doc = arg_or(args[5], NIL);
  if (doc != NIL)
    c->plist = plist_put(th, c->plist, ts_ref(th, TS_K_DOCUMENTATION), doc);
  return name;
}

static const NativeDesc conditions_natives[] = {
    {"SIGNAL", lisp_signal, 1, 1, NAT_REST, 0, "(datum &rest arguments)",
     "Invokes the signal facility on a condition formed from DATUM and ARGUMENTS. If the\n"
     "condition is not handled, NIL is returned."},
    {"ERROR", lisp_error_fn, 1, 1, NAT_REST, 0, "(datum &rest arguments)",
     "Invoke the signal facility on a condition formed from DATUM and ARGUMENTS.\n"
     "If the condition is not handled, the debugger is invoked."},
    {"CERROR", lisp_cerror, 2, 2, NAT_REST, 0, "(continue-format-control datum &rest arguments)",
     "Signal an error with a CONTINUE restart described by CONTINUE-FORMAT-CONTROL; returns NIL\n"
     "when that restart is invoked."},
    {"WARN", lisp_warn, 1, 1, NAT_REST, 0, "(datum &rest arguments)",
     "Warn about a situation by signalling a condition formed by DATUM and ARGUMENTS. While the\n"
     "condition is being signaled, a MUFFLE-WARNING restart exists that causes WARN to immediately\n"
     "return NIL."},
    {"MAKE-CONDITION", lisp_make_condition, 1, 1, NAT_REST, 0, "(type &rest initargs)",
     "Make an instance of a condition object using the specified initargs."},
    {"INVOKE-DEBUGGER", lisp_invoke_debugger, 1, 1, 0, 0, "(condition)", "Enter the debugger."},
    {"BREAK", lisp_break, 0, 1, NAT_REST, 0, "(&optional format-control &rest format-arguments)",
     "Print a message and invoke the debugger without allowing any possibility of condition\n"
     "handling occurring."},
    {"COMPUTE-RESTARTS", lisp_compute_restarts, 0, 1, 0, 0, "(&optional condition)",
     "Return a list of all the currently active restarts ordered from most recently established\n"
     "to less recently established."},
    {"FIND-RESTART", lisp_find_restart, 1, 2, 0, 0, "(identifier &optional condition)",
     "Return the first active restart named IDENTIFIER (or IDENTIFIER itself if it is an active\n"
     "restart), or NIL."},
    {"INVOKE-RESTART", lisp_invoke_restart, 1, 1, NAT_REST | NAT_MV, 0, "(restart &rest arguments)",
     "Calls the function associated with the given restart, passing any given arguments."},
    {"INVOKE-RESTART-INTERACTIVELY", lisp_invoke_restart_interactively, 1, 1, NAT_MV, 0, "(restart)",
     "Calls the function associated with the given restart, prompting for any necessary arguments."},
    {"RESTART-NAME", lisp_restart_name, 1, 1, 0, 0, "(restart)",
     "Return the name of the given restart object."},
    {"ABORT", lisp_abort, 0, 1, 0, 0, "(&optional condition)",
     "Transfer control to a restart named ABORT, signalling a CONTROL-ERROR if none exists."},
    {"CONTINUE", lisp_continue, 0, 1, NAT_MV, 0, "(&optional condition)",
     "Transfer control to a restart named CONTINUE, or return NIL if none exists."},
    {"MUFFLE-WARNING", lisp_muffle_warning, 0, 1, 0, 0, "(&optional condition)",
     "Transfer control to a restart named MUFFLE-WARNING, signalling a CONTROL-ERROR if none exists."},
    {"STORE-VALUE", lisp_store_value, 1, 2, NAT_MV, 0, "(value &optional condition)",
     "Transfer control and VALUE to a restart named STORE-VALUE, or return NIL if none exists."},
    {"USE-VALUE", lisp_use_value, 1, 2, NAT_MV, 0, "(value &optional condition)",
     "Transfer control and VALUE to a restart named USE-VALUE, or return NIL if none exists."},
    {"SIMPLE-CONDITION-FORMAT-CONTROL", lisp_format_control, 1, 1, 0, 0, "(condition)",
     "The format control of the SIMPLE-CONDITION CONDITION."},
    {"SIMPLE-CONDITION-FORMAT-ARGUMENTS", lisp_format_arguments, 1, 1, 0, 0, "(condition)",
     "The list of format arguments of the SIMPLE-CONDITION CONDITION."},
    {"TYPE-ERROR-DATUM", lisp_type_error_datum, 1, 1, 0, 0, "(condition)",
     "The offending object of the TYPE-ERROR CONDITION."},
    {"TYPE-ERROR-EXPECTED-TYPE", lisp_type_error_expected_type, 1, 1, 0, 0, "(condition)",
     "The type the datum of the TYPE-ERROR CONDITION was expected to be of."},
    {"CELL-ERROR-NAME", lisp_cell_error_name, 1, 1, 0, 0, "(condition)",
     "The name of the cell (variable, function, slot) the CELL-ERROR CONDITION is about."},
    {"UNBOUND-SLOT-INSTANCE", lisp_unbound_slot_instance, 1, 1, 0, 0, "(condition)",
     "The object whose slot was unbound in the UNBOUND-SLOT CONDITION."},
    {"ARITHMETIC-ERROR-OPERATION", lisp_arithmetic_error_operation, 1, 1, 0, 0, "(condition)",
     "The function that signalled the ARITHMETIC-ERROR CONDITION."},
    {"ARITHMETIC-ERROR-OPERANDS", lisp_arithmetic_error_operands, 1, 1, 0, 0, "(condition)",
     "The list of arguments of the operation that signalled the ARITHMETIC-ERROR CONDITION."},
    {"STREAM-ERROR-STREAM", lisp_stream_error_stream, 1, 1, 0, 0, "(condition)",
     "The stream the STREAM-ERROR CONDITION is about."},
    {"FILE-ERROR-PATHNAME", lisp_file_error_pathname, 1, 1, 0, 0, "(condition)",
     "The pathname or namestring of the file the FILE-ERROR CONDITION is about."},
    {"PACKAGE-ERROR-PACKAGE", lisp_package_error_package, 1, 1, 0, 0, "(condition)",
     "The package (or package designator) the PACKAGE-ERROR CONDITION is about."},
    {"PRINT-NOT-READABLE-OBJECT", lisp_print_not_readable_object, 1, 1, 0, 0, "(condition)",
     "The object that could not be printed readably in the PRINT-NOT-READABLE CONDITION."},
    {"CCL::%FORMAT", lisp_format, 3, 3, 0, 0, "(stream control arguments)", 0},
    {"CCL::%CONDITION-ARG", lisp_condition_arg, 3, 3, 0, 0, "(datum arguments default-type)", 0},
    {"CCL::%WITH-HANDLERS", lisp_with_handlers, 2, 2, NAT_MV, 0, "(handlers thunk)",
     "Calls THUNK with the cluster HANDLERS, a list of (type . function), in force."},
    {"CCL::%WITH-RESTARTS", lisp_with_restarts, 2, 2, NAT_MV, 0, "(restarts thunk)",
     "Calls THUNK with the list of restart objects RESTARTS active."},
    {"CCL::%MAKE-RESTART", lisp_make_restart, 2, 5, 0, 0,
     "(name function &optional report-function interactive-function test-function)", 0},
    {"CCL::%ASSOCIATE-RESTARTS", lisp_associate_restarts, 2, 2, 0, 0, "(condition restarts)", 0},
    {"CCL::%DISSOCIATE-RESTARTS", lisp_dissociate_restarts, 2, 2, 0, 0, "(condition restarts)", 0},
    {"CCL::%CONDITION-SLOT-VALUE", lisp_condition_slot_value, 2, 2, 0, 0, "(condition slot-name)", 0},
    {"CCL::%SET-CONDITION-SLOT-VALUE", lisp_set_condition_slot_value, 3, 3, 0, 0,
     "(condition slot-name value)", 0},
    {"CCL::%DEFINE-CONDITION", lisp_define_condition, 5, 6, 0, 0,
     "(name supers slot-definitions report default-initargs &optional documentation)", 0},
    {0},
};

static void defvar(Thread *th, Value sym, Value value) {
  Symbol *s = symbol_of(th, sym);
  s->h.flags |= SYM_SPECIAL;
  if (s->value == UNBOUND)
    s->value = value;
}

void builtins_conditions_init(Thread *th) {
  define_natives(th, conditions_natives);
  defvar(th, SYM(break_on_signals), NIL);
  defvar(th, SYM(debugger_hook), NIL);
  defvar(th, SYM(invoke_debugger_hook), NIL);
  defvar(th, ts_ref(th, TS_S_IN_LAST_RESORT), NIL);
}
