/* condition_restart.c — restarts: restart objects, the clusters on the dynamic stack,
 * finding and invoking them, and restarts established from C (MUFFLE-WARNING, CONTINUE ...). */
#include <stdio.h>

#include "control.h"
#include "stream.h"
#include "types_internal.h"

bool is_restart(Thread *th, Value v) {
  return is_type(v, T_INSTANCE) && instance_of(v)->klass == ts_ref(th, TS_RESTART);
}

Value make_restart(Thread *th, Value name, Value function, Value report, Value interactive, Value test) {
  Instance *r = gc_alloc(th, T_INSTANCE, sizeof(Instance));
  Value result = obj_value(r);
  r->klass = ts_ref(th, TS_RESTART);
  r->slots = make_svector(th, RS_COUNT, NIL);
  Value *s = instance_slots(result);
  s[RS_NAME] = name;
  s[RS_FUNCTION] = function;
  s[RS_REPORT] = report;
  s[RS_INTERACTIVE] = interactive;
  s[RS_TEST] = test;
  return result;
}

/* A restart made with-condition-restarts for other conditions does not apply to this one;
 * its test function may also refuse. */
static bool applicable(Thread *th, Value r, Value condition) {
  Value *s = instance_slots(r);
  if (condition != NIL && s[RS_CONDITIONS] != NIL && !memq_list(condition, s[RS_CONDITIONS]))
    return false;
  return s[RS_TEST] == NIL || funcall1(th, s[RS_TEST], condition) != NIL;
}

Value compute_restarts(Thread *th, Value condition) {
  Value out = NIL;
  for (size_t k = th->dyn_top; k-- > 0;) {
    if (th->dyn[k].kind != DYN_RESTARTS)
      continue;
    for (Value l = th->dyn[k].a; is_cons(l); l = CDR(l))
      if (applicable(th, CAR(l), condition))
        out = cons(th, CAR(l), out);
  }
  return nreverse_list(out);
}

Value find_restart(Thread *th, Value identifier, Value condition) {
  bool object = is_restart(th, identifier);
  for (size_t k = th->dyn_top; k-- > 0;) {
    if (th->dyn[k].kind != DYN_RESTARTS)
      continue;
    for (Value l = th->dyn[k].a; is_cons(l); l = CDR(l)) {
      Value r = CAR(l);
      if (object ? r == identifier : instance_slots(r)[RS_NAME] == identifier && applicable(th, r, condition))
        return r;
    }
  }
  return NIL;
}

void inactive_restart_error(Thread *th, Value name) {
  Value ia[2] = {ts_ref(th, TS_K_RESTART_NAME), name};
  error_condition(th, make_condition(th, ts_ref(th, TS_S_INACTIVE_RESTART), 2, ia));
}

Value invoke_restart(Thread *th, Value restart, Value args) {
  Value r = find_restart(th, restart, NIL);
  if (r == NIL)
    inactive_restart_error(th, restart);
  Value *s = instance_slots(r);
  if (s[RS_FUNCTION] != NIL)
    return apply_list(th, s[RS_FUNCTION], args);
  /* Established from C: go back to with_restart's catch with the arguments. */
  size_t idx = find_catch(th, s[RS_TAG]);
  if (idx == (size_t)-1)
    inactive_restart_error(th, restart);
  s[RS_ARGS] = args;
  th->throw_value = NIL;
  th->vals[0] = NIL;
  th->nvals = 1;
  throw_to(th, idx);
}

bool with_restart(Thread *th, Value name, Value report, Value condition, void (*body)(Thread *, void *),
                  void *data, Value *args) {
  Value r = make_restart(th, name, NIL, report, NIL, NIL);
  Value *s = instance_slots(r);
  if (condition != NIL)
    s[RS_CONDITIONS] = list1(th, condition);
  s[RS_TAG] = r;
  CatchFrame cf;
  catch_push(th, &cf, r);
  DynEntry e = {.kind = DYN_RESTARTS, .a = list1(th, r)};
  dyn_push(th, e);
  if (setjmp(cf.jb) == 0) {
    body(th, data);
    unwind_to(th, cf.dyn_index);
    return false;
  }
  catch_restore(th, &cf);
  if (args)
    *args = instance_slots(r)[RS_ARGS];
  return true;
}

void print_restart(Thread *th, Value r, Value stream, bool escape) {
  Value report = instance_slots(r)[RS_REPORT];
  if (escape || report == NIL) {
    stream_write_cstr(th, stream, "#<RESTART ");
    print_object(th, instance_slots(r)[RS_NAME], stream, true);
    char buf[32];
    snprintf(buf, sizeof buf, " #x%lX>", (unsigned long)r);
    stream_write_cstr(th, stream, buf);
  } else if (is_any_string(report)) {
    stream_write_string(th, stream, report);
  } else {
    funcall1(th, report, stream);
  }
}
