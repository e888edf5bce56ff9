/* process.c — CCL's processes: PROCESS objects, each running on its own thread
 * (interp/thread.c), and the functions that make, start, interrupt, kill and join them. */
#include <stdlib.h>
#include <string.h>

#include "../interp/control.h"
#include "../interp/io.h"
#include "../interp/stream.h"

enum ProcState { PS_RESET, PS_ACTIVE, PS_DONE };

/* The C side of a PROCESS; its Lisp side is the Foreign's data vector (PD_*). */
typedef struct Proc {
  Thread *thread; /* while PS_ACTIVE */
  int serial;
  int state;
  bool completed; /* the initial function returned */
  bool kill_issued;
  pthread_cond_t done; /* broadcast when the process ends */
} Proc;

enum {
  PD_NAME,
  PD_FUNCTION,  /* the preset function, or NIL */
  PD_ARGS,
  PD_RESULTS,   /* the initial function's values, once completed */
  PD_PLIST,
  PD_PRIORITY,
  PD_BINDINGS,  /* ((symbol kind . x) ...) to bind when the thread starts */
  PD_RESET_TAG, /* the catch tag that ends the process (kill, reset) */
  PD_TERMINATION_SEMAPHORE,
  PD_CREATION_TIME,
  PD_SIZE
};

static void proc_finalize(void *payload) {
  Proc *p = payload;
  pthread_cond_destroy(&p->done);
  free(p);
}

bool is_process(Thread *th, Value v) {
  UNUSED(th);
  return is_type(v, T_FOREIGN) && ((Foreign *)v)->finalize == proc_finalize;
}

static Proc *proc_of(Value v) { return ((Foreign *)v)->payload; }
static Value pdata(Value v, int i) { return svec_of(((Foreign *)v)->data)->data[i]; }
static void set_pdata(Value v, int i, Value x) { svec_of(((Foreign *)v)->data)->data[i] = x; }

static Value check_process(Thread *th, Value v) {
  if (!is_process(th, v)) type_error(th, v, ccl_sym(th, "PROCESS"));
  return v;
}

static const char *whostate_of(Value p) {
  Proc *pr = proc_of(p);
  switch (pr->state) {
  case PS_RESET: return "Reset";
  case PS_ACTIVE: return pr->thread && pr->thread->whostate ? pr->thread->whostate : "Active";
  default: return "Dead";
  }
}

/* "name(N)", as CCL's messages name a process. */
static void write_label(Thread *th, Value p, Value stream) {
  Value name = pdata(p, PD_NAME);
  print_object(th, name, stream, false);
  char buf[32];
  snprintf(buf, sizeof buf, "(%d)", proc_of(p)->serial);
  stream_write_cstr(th, stream, buf);
}

static void print_process(Thread *th, Value p, Value stream) {
  stream_write_cstr(th, stream, "#<");
  print_object(th, ((Foreign *)p)->tag, stream, false);
  stream_write_cstr(th, stream, " ");
  write_label(th, p, stream);
  stream_write_cstr(th, stream, " [");
  stream_write_cstr(th, stream, whostate_of(p));
  char buf[48];
  snprintf(buf, sizeof buf, "] #x%lX>", (unsigned long)p);
  stream_write_cstr(th, stream, buf);
}

static Value new_process(Thread *th, Value tag, Value name, int serial) {
  Proc *pr = calloc(1, sizeof *pr);
  if (!pr) lisp_error(th, SYM(storage_condition), "Can't allocate a new process.");
  thread_cond_init(&pr->done);
  pr->serial = serial;
  pr->state = PS_RESET;
  Value data = make_svector(th, PD_SIZE, NIL);
  Value p = make_foreign(th, tag, pr, proc_finalize);
  ((Foreign *)p)->data = data;
  ((Foreign *)p)->print = print_process;
  set_pdata(p, PD_NAME, name);
  set_pdata(p, PD_PRIORITY, make_fixnum(0));
  set_pdata(p, PD_RESET_TAG, cons(th, p, NIL));
  set_pdata(p, PD_CREATION_TIME, make_fixnum((intptr_t)(io_now() * 1000.0)));
  return p;
}

/* ---- The list of processes (what ALL-PROCESSES returns) ---- */

static Value all_sym(Thread *th) { return ccl_sym(th, "*%ALL-PROCESSES*"); }

static void add_process(Thread *th, Value p) {
  Symbol *s = symbol_of(th, all_sym(th));
  s->value = cons(th, p, s->value == UNBOUND ? NIL : s->value);
}

static void remove_process(Thread *th, Value p) {
  Symbol *s = symbol_of(th, all_sym(th));
  Value prev = NIL;
  for (Value l = s->value; is_cons(l); prev = l, l = CDR(l))
    if (CAR(l) == p) {
      if (prev == NIL) s->value = CDR(l);
      else CDR(prev) = CDR(l);
      return;
    }
}

/* The PROCESS of the calling thread. */
Value current_process(Thread *th) {
  if (th->process != NIL) return th->process;
  /* The listener's: made on first need, so that start-up does not pay for it. */
  Value p = new_process(th, ccl_sym(th, "TTY-LISTENER"), make_string_c(th, "listener"), 1);
  Proc *pr = proc_of(p);
  pr->state = PS_ACTIVE;
  pr->thread = th;
  th->process = p;
  add_process(th, p);
  return p;
}

void write_process_label(Thread *th, Value stream) { write_label(th, current_process(th), stream); }

/* ---- Running a process ---- */

static Value standard_bindings(Thread *th, Value alist) {
  /* CCL's wrap-initial-bindings: a symbol's value now, a function called in the new
   * process, (quote x), a call made there, or any other value itself. */
  Value out = NIL;
  for (Value l = check_list(th, alist); is_cons(l); l = CDR(l)) {
    Value pair = CAR(l);
    if (!is_cons(pair) || !is_symbol(CAR(pair))) type_error_c(th, pair, "(CONS SYMBOL T)");
    Value v = CDR(pair);
    Value entry;
    if (is_symbol(v) && v != NIL && v != SYM(t)) entry = cons(th, make_fixnum(0), symbol_value(th, v));
    else if (is_function(v)) entry = cons(th, make_fixnum(1), v);
    else if (is_cons(v) && CAR(v) == SYM(quote)) entry = cons(th, make_fixnum(0), is_cons(CDR(v)) ? CAR(CDR(v)) : NIL);
    else if (is_cons(v)) entry = cons(th, make_fixnum(2), v);
    else entry = cons(th, make_fixnum(0), v);
    out = cons(th, cons(th, CAR(pair), entry), out);
  }
  return nreverse_list(out);
}

static void bind_initial(Thread *th, Value bindings) {
  for (Value l = bindings; is_cons(l); l = CDR(l)) {
    Value sym = CAR(CAR(l)), kind = CAR(CDR(CAR(l))), x = CDR(CDR(CAR(l)));
    Value v = kind == make_fixnum(0) ? x : kind == make_fixnum(1) ? funcall0(th, x) : apply_list(th, CAR(x), CDR(x));
    bind_special(th, sym, v);
  }
}

/* An error nobody handled in a background process: said on the terminal, then the
 * process ends (its JOIN-PROCESS gets the default). */
static Value fn_process_debugger_hook(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value p = current_process(th);
  /* The hook's own call record is not where the error happened. */
  CallRecord *saved = th->calls;
  if (th->calls && th->calls->fn == th->native_self) th->calls = th->calls->up;
  Value who = erring_function_name(th);
  Value bt = capture_backtrace(th);
  th->calls = saved;
  /* One write, so that messages of processes failing together do not interleave. */
  Value out = make_string_output_stream(th);
  stream_write_cstr(th, out, "Error in process ");
  write_label(th, p, out);
  char *label = string_to_cstr(get_output_stream_string(th, out));
  print_break_message(th, out, '>', label ? label : "Error", args[0], who);
  free(label);
  stream_write_cstr(th, out, "Backtrace:\n");
  int i = 0;
  for (Value l = bt; is_cons(l) && i < 20; l = CDR(l), i++) {
    char buf[32];
    snprintf(buf, sizeof buf, "  %d: ", i);
    stream_write_cstr(th, out, buf);
    print_object(th, CAR(l), out, true);
    stream_write_char(th, out, '\n');
  }
  Value err = error_output(th);
  if (!is_stream(err) && !is_gray_stream(th, err)) err = th->vm->stderr_stream;
  stream_write_string(th, err, get_output_stream_string(th, out));
  stream_force_output(th, err);
  th->throw_value = NIL;
  th->nvals = 1;
  th->vals[0] = NIL;
  throw_to(th, find_catch(th, pdata(p, PD_RESET_TAG)));
}

typedef struct RunArgs {
  Value p;
} RunArgs;

static void run_initial(Thread *th, void *data) {
  Value p = ((RunArgs *)data)->p;
  Value r = apply_list(th, pdata(p, PD_FUNCTION), pdata(p, PD_ARGS));
  Value vals[MULTIPLE_VALUES_LIMIT];
  int n = collect_values(th, r, vals, MULTIPLE_VALUES_LIMIT);
  set_pdata(p, PD_RESULTS, list_from_array(th, n, vals));
  proc_of(p)->completed = true;
}

static void signal_termination(Thread *th, Value p);

static void process_body(Thread *th) {
  Value p = th->process;
  Proc *pr = proc_of(p);
  CatchFrame reset, top;
  catch_push(th, &reset, pdata(p, PD_RESET_TAG));
  if (setjmp(reset.jb) == 0) {
    catch_push(th, &top, SYM(toplevel_tag));
    if (setjmp(top.jb) == 0) {
      bind_special(th, ccl_sym(th, "*CURRENT-PROCESS*"), p);
      bind_special(th, SYM(invoke_debugger_hook),
                   symbol_of(th, ccl_sym(th, "%PROCESS-DEBUGGER-HOOK"))->function);
      bind_initial(th, pdata(p, PD_BINDINGS));
      RunArgs a = {p};
      with_restart(th, intern_c(th, "ABORT", th->vm->pkg_cl), make_string_c(th, "Kill this thread"), NIL,
                   run_initial, &a, NULL);
    } else {
      catch_restore(th, &top);
    }
  } else {
    catch_restore(th, &reset);
  }
  /* Whatever ended it, the cleanups have run; unwind what is left of the bindings. */
  unwind_to(th, 0);
  pr->state = PS_DONE;
  pr->thread = NULL;
  th->process = NIL;
  remove_process(th, p);
  signal_termination(th, p);
  thread_notify(th->vm, &pr->done);
}

/* ---- Semaphores are locks.c's; a process only signals one when it ends ---- */

void semaphore_signal(Thread *th, Value s); /* locks.c */
Value make_semaphore_object(Thread *th, long count);
bool is_semaphore(Thread *th, Value v);

static void signal_termination(Thread *th, Value p) {
  Value s = pdata(p, PD_TERMINATION_SEMAPHORE);
  if (is_semaphore(th, s)) semaphore_signal(th, s);
}

/* ---- Making processes ---- */

static void not_in_current_process(Thread *th, Value p, const char *operation) {
  if (p == current_process(th))
    simple_error(th, "The current process (~S) can't perform the ~A operation on itself.", p,
                 make_string_c(th, operation));
}

/* Keywords of MAKE-PROCESS (and PROCESS-RUN-FUNCTION's keyword list), in this order. */
#define PROCESS_KEYS                                                                                   \
  "priority stack-size vstack-size tstack-size persistent initial-bindings use-standard-initial-bindings " \
  "class initargs termination-semaphore allocation-quantum thread"
enum { K_PRIORITY, K_STACK, K_VSTACK, K_TSTACK, K_PERSISTENT, K_BINDINGS, K_STD, K_CLASS, K_INITARGS, K_SEM, K_QUANTUM, K_THREAD };

static Value make_process_from(Thread *th, Value name, const Value *k) {
  Value cls = arg_or(k[K_CLASS], NIL);
  Value process_sym = ccl_sym(th, "PROCESS");
  if (cls != NIL && cls != process_sym && cls != find_class(th, process_sym, false))
    simple_error(th, "Clove makes processes of class ~S only, not ~S.", process_sym, cls);
  if (arg_or(k[K_THREAD], NIL) != NIL)
    simple_error(th, "MAKE-PROCESS can't adopt an existing thread (:THREAD ~S).", k[K_THREAD]);
  Value priority = arg_or(k[K_PRIORITY], make_fixnum(0));
  if (!is_fixnum(priority)) type_error(th, priority, SYM(fixnum));
  Value sem = arg_or(k[K_SEM], NIL);
  if (sem != NIL && !is_semaphore(th, sem)) type_error_c(th, sem, "(OR NULL SEMAPHORE)");
  Value bindings = standard_bindings(th, arg_or(k[K_BINDINGS], NIL));
  Value p = new_process(th, process_sym, name, th->vm->next_process_serial++);
  set_pdata(p, PD_PRIORITY, priority);
  set_pdata(p, PD_BINDINGS, bindings);
  /* As CCL's MAKE-PROCESS: every process has one (JOIN-PROCESS could wait on it). */
  set_pdata(p, PD_TERMINATION_SEMAPHORE, sem != NIL ? sem : make_semaphore_object(th, 0));
  add_process(th, p);
  return p;
}

static Value fn_make_process(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return make_process_from(th, args[0], args + 1);
}

static void preset(Thread *th, Value p, Value fn, Value args) {
  if (!is_function(fn) && !(is_symbol(fn) && fn != NIL)) type_error(th, fn, SYM(function_t));
  set_pdata(p, PD_FUNCTION, fn);
  set_pdata(p, PD_ARGS, args);
}

static Value fn_process_preset(Thread *th, int nargs, Value *args) {
  Value p = check_process(th, args[0]);
  not_in_current_process(th, p, "PROCESS-PRESET");
  if (proc_of(p)->state != PS_RESET) simple_error(th, "Process ~S is running; it can't be preset again.", p);
  if (!is_function(args[1])) type_error(th, args[1], SYM(function_t)); /* CCL: (require-type function 'function) */
  preset(th, p, args[1], list_from_array(th, nargs - 2, args + 2));
  return p;
}

static void enable(Thread *th, Value p) {
  Proc *pr = proc_of(p);
  if (pdata(p, PD_FUNCTION) == NIL)
    simple_error(th, "Process ~S has not been preset.  Use PROCESS-PRESET to preset the process.", p);
  if (pr->state != PS_RESET) simple_error(th, "Process ~S has already been enabled.", p);
  pr->state = PS_ACTIVE;
  pr->thread = thread_start(th, p, process_body);
}

static Value fn_process_enable(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value p = check_process(th, args[0]);
  not_in_current_process(th, p, "PROCESS-ENABLE");
  enable(th, p);
  return p;
}

static Value fn_process_run_function(Thread *th, int nargs, Value *args) {
  Value spec = args[0];
  Value name;
  Value keys[K_THREAD + 1];
  for (int i = 0; i <= K_THREAD; i++) keys[i] = UNSUPPLIED;
  if (is_cons(spec) || spec == NIL) {
    /* (:name "x" :priority 1 ...): the keywords MAKE-PROCESS takes, and :NAME. */
    name = make_string_c(th, "Anonymous");
    static const char *const names[] = {"PRIORITY", "STACK-SIZE", "VSTACK-SIZE", "TSTACK-SIZE", "PERSISTENT",
                                        "INITIAL-BINDINGS", "USE-STANDARD-INITIAL-BINDINGS", "CLASS", "INITARGS",
                                        "TERMINATION-SEMAPHORE", "ALLOCATION-QUANTUM", "THREAD"};
    for (Value l = spec; is_cons(l); l = CDR(CDR(l))) {
      if (!is_cons(CDR(l))) program_error(th, "Odd-length keyword list ~S for PROCESS-RUN-FUNCTION.", spec);
      Value k = CAR(l), v = CAR(CDR(l));
      bool known = false;
      if (k == intern_c(th, "NAME", th->vm->pkg_keyword)) {
        name = v;
        known = true;
      }
      for (int i = 0; i <= K_THREAD && !known; i++)
        if (k == intern_c(th, names[i], th->vm->pkg_keyword)) {
          if (keys[i] == UNSUPPLIED) keys[i] = v;
          known = true;
        }
      if (!known) program_error(th, "Unknown keyword argument ~S in call to PROCESS-RUN-FUNCTION.", k);
    }
  } else {
    name = spec;
  }
  Value p = make_process_from(th, name, keys);
  preset(th, p, args[1], list_from_array(th, nargs - 2, args + 2));
  enable(th, p);
  return p;
}

/* ---- Interrupts, kill, join ---- */

/* Queues (fn . args) for p's thread; false if p does not run. */
static bool interrupt(Thread *th, Value p, Value fn, Value args) {
  Proc *pr = proc_of(p);
  if (pr->state != PS_ACTIVE || !pr->thread) return false;
  Thread *t = pr->thread;
  Value entry = list1(th, cons(th, fn, args));
  if (t->interrupts == NIL) {
    t->interrupts = entry;
  } else {
    Value l = t->interrupts;
    while (is_cons(CDR(l))) l = CDR(l);
    CDR(l) = entry;
  }
  thread_wake(t);
  return true;
}

static Value fn_process_interrupt(Thread *th, int nargs, Value *args) {
  Value p = check_process(th, args[0]);
  Value fn = args[1];
  Value rest = list_from_array(th, nargs - 2, args + 2);
  if (p == current_process(th)) {
    apply_list(th, fn, rest);
    return SYM(t);
  }
  return BOOL(th, interrupt(th, p, fn, rest));
}

/* Runs in the process being killed: unwinds it to its start, running its cleanups. */
static Value fn_process_kill_self(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  UNUSED(args);
  Value p = current_process(th);
  size_t idx = th == th->vm->main_thread ? find_catch(th, SYM(toplevel_tag)) : find_catch(th, pdata(p, PD_RESET_TAG));
  if (idx == (size_t)-1) return NIL;
  th->throw_value = NIL;
  th->nvals = 1;
  th->vals[0] = NIL;
  throw_to(th, idx);
}

static Value kill_self_fn(Thread *th) { return symbol_of(th, ccl_sym(th, "%PROCESS-KILL-SELF"))->function; }

static Value kill_process(Thread *th, Value p) {
  Proc *pr = proc_of(p);
  if (pr->state == PS_RESET) { /* never ran: it just ends */
    pr->state = PS_DONE;
    remove_process(th, p);
    signal_termination(th, p);
    thread_notify(th->vm, &pr->done);
    return SYM(t);
  }
  if (p == current_process(th)) return fn_process_kill_self(th, 0, NULL);
  bool ok = interrupt(th, p, kill_self_fn(th), NIL);
  if (ok) pr->kill_issued = true;
  return BOOL(th, ok);
}

static Value fn_process_kill(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return kill_process(th, check_process(th, args[0]));
}

static Value fn_process_reset(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value p = check_process(th, args[0]);
  Value how = arg_or(args[1], NIL);
  if (how != NIL && how != intern_c(th, "KILL", th->vm->pkg_keyword) &&
      how != intern_c(th, "SHUTDOWN", th->vm->pkg_keyword))
    type_error_c(th, how, "(MEMBER NIL :KILL :SHUTDOWN)");
  /* A process that is reset without being killed would wait to be preset again; in
   * Clove a thread ends with its initial function, so either way it ends. */
  return kill_process(th, p);
}

static Value fn_process_abort(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value p = check_process(th, args[0]);
  Value condition = arg_or(args[1], NIL);
  Value abort_fn = symbol_of(th, intern_c(th, "ABORT", th->vm->pkg_cl))->function;
  Value a = condition == NIL ? NIL : list1(th, condition);
  if (p == current_process(th)) return apply_list(th, abort_fn, a);
  return BOOL(th, interrupt(th, p, abort_fn, a));
}

static Value fn_join_process(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value p = check_process(th, args[0]);
  Proc *pr = proc_of(p);
  if (pr->state != PS_DONE) not_in_current_process(th, p, "JOIN-PROCESS");
  while (pr->state != PS_DONE) thread_wait(th, &pr->done, 0, "join-process");
  if (!pr->completed) return arg_or(args[1], NIL);
  Value results = pdata(p, PD_RESULTS);
  Value vals[MULTIPLE_VALUES_LIMIT];
  int n = 0;
  for (Value l = results; is_cons(l) && n < MULTIPLE_VALUES_LIMIT; l = CDR(l)) vals[n++] = CAR(l);
  return values_n(th, n, vals);
}

/* ---- Waiting ---- */

/* Polls fn until it returns true, a tick at first, then less often (as CCL's
 * PROCESS-WAIT polls); deadline 0: none. Returns the true value or NIL at the deadline. */
static Value wait_until(Thread *th, Value whostate, double deadline, Value fn, Value fargs) {
  Value r = apply_list(th, fn, fargs);
  if (r != NIL) return r;
  char *ws = is_any_string(whostate) ? string_to_cstr(whostate) : NULL;
  /* The text lives in a Lisp string kept by the caller; keep a C copy while waiting. */
  const char *saved = th->whostate;
  double pause = 0.001;
  for (;;) {
    if (deadline > 0 && io_now() >= deadline) break;
    th->whostate = ws;
    io_sleep(th, deadline > 0 && deadline - io_now() < pause ? deadline - io_now() : pause);
    th->whostate = saved;
    if (pause < 0.01) pause *= 2;
    r = apply_list(th, fn, fargs);
    if (r != NIL) break;
  }
  th->whostate = saved;
  free(ws);
  return r;
}

static Value fn_process_wait(Thread *th, int nargs, Value *args) {
  if (!is_any_string(args[0])) type_error(th, args[0], SYM(string));
  wait_until(th, args[0], 0, args[1], list_from_array(th, nargs - 2, args + 2));
  return SYM(t);
}

static Value fn_process_wait_with_timeout(Thread *th, int nargs, Value *args) {
  if (!is_any_string(args[0])) type_error(th, args[0], SYM(string));
  Value ticks = args[1];
  Value rest = list_from_array(th, nargs - 3, args + 3);
  if (ticks == NIL) {
    wait_until(th, args[0], 0, args[2], rest);
    return SYM(t);
  }
  if (!is_fixnum(ticks) || fixnum_val(ticks) < 0) type_error_c(th, ticks, "(OR NULL (INTEGER 0))");
  double deadline = io_now() + (double)fixnum_val(ticks) / 1000.0;
  return wait_until(th, args[0], deadline > 0 ? deadline : 1e-9, args[2], rest);
}

static Value fn_process_allow_schedule(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  UNUSED(args);
  thread_yield(th);
  return NIL;
}

/* ---- Accessors ---- */

#define PROC_ACCESSOR(fname, expr)                                                                     \
  static Value fname(Thread *th, int nargs, Value *args) {                                           \
    UNUSED(nargs);                                                                                    \
    Value p = check_process(th, args[0]);                                                             \
    return (expr);                                                                                    \
  }

PROC_ACCESSOR(fn_process_name, pdata(p, PD_NAME))
PROC_ACCESSOR(fn_process_serial_number, make_fixnum(proc_of(p)->serial))
PROC_ACCESSOR(fn_process_whostate, make_string_c(th, whostate_of(p)))
PROC_ACCESSOR(fn_process_priority, pdata(p, PD_PRIORITY))
PROC_ACCESSOR(fn_process_plist, pdata(p, PD_PLIST))
PROC_ACCESSOR(fn_process_active_p, BOOL(th, proc_of(p)->state != PS_DONE))
PROC_ACCESSOR(fn_process_exhausted_p, BOOL(th, proc_of(p)->state == PS_DONE))
PROC_ACCESSOR(fn_process_kill_issued, BOOL(th, proc_of(p)->kill_issued))
PROC_ACCESSOR(fn_process_termination_semaphore, pdata(p, PD_TERMINATION_SEMAPHORE))
PROC_ACCESSOR(fn_process_creation_time, pdata(p, PD_CREATION_TIME))
PROC_ACCESSOR(fn_process_initial_form, cons(th, pdata(p, PD_FUNCTION), pdata(p, PD_ARGS)))

static Value fn_set_process_name(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  set_pdata(check_process(th, args[0]), PD_NAME, args[1]);
  return args[1];
}

static Value fn_set_process_plist(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  set_pdata(check_process(th, args[0]), PD_PLIST, args[1]);
  return args[1];
}

static Value fn_set_process_priority(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  if (!is_fixnum(args[1])) type_error(th, args[1], SYM(fixnum));
  set_pdata(check_process(th, args[0]), PD_PRIORITY, args[1]);
  return args[1];
}

static Value fn_all_processes(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  UNUSED(args);
  current_process(th); /* the listener is always among them */
  Value l = symbol_of(th, all_sym(th))->value;
  Value out = NIL;
  for (; is_cons(l); l = CDR(l)) out = cons(th, CAR(l), out);
  return nreverse_list(out); /* a fresh list, newest first, as CCL's pushes make it */
}

static Value fn_find_process(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value id = args[0];
  if (is_process(th, id)) return id;
  if (!is_fixnum(id) && !is_any_string(id)) type_error_c(th, id, "(OR PROCESS INTEGER STRING)");
  current_process(th);
  for (Value l = symbol_of(th, all_sym(th))->value; is_cons(l); l = CDR(l)) {
    Value p = CAR(l);
    if (is_fixnum(id) ? fixnum_val(id) == proc_of(p)->serial : equal(pdata(p, PD_NAME), id)) return p;
  }
  return NIL;
}

static Value fn_symbol_value_in_process(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value sym = args[0];
  if (!is_symbol(sym)) type_error(th, sym, SYM(symbol));
  Value p = check_process(th, args[1]);
  Proc *pr = proc_of(p);
  if (p == current_process(th) || pr->state != PS_ACTIVE || !pr->thread) return symbol_value(th, sym);
  Value v = symbol_value_or(pr->thread, sym, UNBOUND);
  if (v == UNBOUND) simple_error(th, "~S is unbound in ~S.", sym, p);
  return v;
}

static Value fn_current_process_label(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  UNUSED(args);
  Value out = make_string_output_stream(th);
  write_process_label(th, out);
  return get_output_stream_string(th, out);
}

/* QUIT in a background process: the listener's thread quits, so that it stops the
 * other processes (their cleanups run) and the host closes the VM; this process waits
 * to be stopped with them. A listener that cannot act on it (waiting in the terminal's
 * line editor, or in a C call) is not waited for long: the program then exits here. */
void quit_from_process(Thread *th, Value code) {
  VM *vm = th->vm;
  Value main = vm->main_thread->process;
  Value quit_fn = symbol_of(th, intern_c(th, "QUIT", th->vm->pkg_ccl))->function;
  if (main != NIL) interrupt(th, main, quit_fn, list1(th, code));
  double end = io_now() + 1.0;
  while (io_now() < end) io_sleep(th, 0.01);
  streams_flush_all(th);
  exit(vm->exit_code);
}

static void describe_line(Thread *th, Value out, const char *label, Value v) {
  stream_write_cstr(th, out, label);
  stream_write_cstr(th, out, ": ");
  print_object(th, v, out, true);
  stream_write_cstr(th, out, "\n");
}

/* DESCRIBE of a process: what CCL's process slots hold. */
bool process_describe(Thread *th, Value p, Value out) {
  if (!is_process(th, p)) return false;
  describe_line(th, out, "Name", pdata(p, PD_NAME));
  describe_line(th, out, "Serial number", make_fixnum(proc_of(p)->serial));
  describe_line(th, out, "Whostate", make_string_c(th, whostate_of(p)));
  describe_line(th, out, "Priority", pdata(p, PD_PRIORITY));
  describe_line(th, out, "Initial form", cons(th, pdata(p, PD_FUNCTION), pdata(p, PD_ARGS)));
  describe_line(th, out, "Termination semaphore", pdata(p, PD_TERMINATION_SEMAPHORE));
  describe_line(th, out, "Plist", pdata(p, PD_PLIST));
  return true;
}

/* For threads_shutdown: ends target the way PROCESS-KILL does. */
void process_kill_thread(Thread *self, Thread *target) {
  Value p = target->process;
  if (p == NIL) return;
  if (interrupt(self, p, kill_self_fn(self), NIL)) proc_of(p)->kill_issued = true;
}

static const NativeDesc process_natives[] = {
    {"CCL:PROCESS-RUN-FUNCTION", fn_process_run_function, 2, 2, NAT_REST, NULL,
     "(name-or-keywords function &rest args)",
     "Create a process named NAME-OR-KEYWORDS (a string, or a list of MAKE-PROCESS keywords with :NAME), "
     "preset it to apply FUNCTION to ARGS, enable it and return it at once."},
    {"CCL:MAKE-PROCESS", fn_make_process, 1, 1, 0, PROCESS_KEYS,
     "(name &key priority stack-size vstack-size tstack-size persistent initial-bindings "
     "use-standard-initial-bindings class initargs termination-semaphore allocation-quantum thread)",
     "Create and return a new process, not yet running: PROCESS-PRESET it, then PROCESS-ENABLE it."},
    {"CCL:PROCESS-PRESET", fn_process_preset, 2, 2, NAT_REST, NULL, "(process function &rest args)",
     "Set the initial function and arguments of a process that has not been enabled."},
    {"CCL:PROCESS-ENABLE", fn_process_enable, 1, 2, 0, NULL, "(process &optional timeout)",
     "Begin executing the initial function of a preset process, in a new thread."},
    {"CCL:JOIN-PROCESS", fn_join_process, 1, 1, NAT_MV, "default", "(process &key default)",
     "Wait until PROCESS ends; return the values its initial function returned, or DEFAULT if it ended "
     "otherwise (killed, aborted, or by an error)."},
    {"CCL:PROCESS-INTERRUPT", fn_process_interrupt, 2, 2, NAT_REST, NULL, "(process function &rest args)",
     "Make PROCESS apply FUNCTION to ARGS soon, in the middle of whatever it is doing (even waiting), and then "
     "carry on. Return T, or NIL if the process is not running."},
    {"CCL:PROCESS-KILL", fn_process_kill, 1, 1, 0, NULL, "(process)",
     "Make PROCESS unwind (running its UNWIND-PROTECT cleanups) and end."},
    {"CCL:PROCESS-RESET", fn_process_reset, 1, 2, 0, NULL, "(process &optional kill)",
     "Make PROCESS unwind out of its computation and end."},
    {"CCL:PROCESS-ABORT", fn_process_abort, 1, 2, 0, NULL, "(process &optional condition)",
     "Make PROCESS invoke its ABORT restart (for a background process: end it)."},
    {"CCL:PROCESS-WAIT", fn_process_wait, 2, 2, NAT_REST, NULL, "(whostate function &rest args)",
     "Wait until FUNCTION applied to ARGS returns true, showing WHOSTATE as the process's state meanwhile."},
    {"CCL:PROCESS-WAIT-WITH-TIMEOUT", fn_process_wait_with_timeout, 3, 3, NAT_REST, NULL,
     "(whostate ticks function &rest args)",
     "As PROCESS-WAIT, but give up after TICKS (*TICKS-PER-SECOND* per second; NIL: never). Return the "
     "function's true value, or NIL on timeout."},
    {"CCL:PROCESS-ALLOW-SCHEDULE", fn_process_allow_schedule, 0, 0, 0, NULL, "()",
     "Let other processes run before this one continues."},
    {"CCL:PROCESS-NAME", fn_process_name, 1, 1, 0, NULL, "(process)", "Return the name of PROCESS."},
    {"CCL::%SET-PROCESS-NAME", fn_set_process_name, 2, 2, 0, NULL, "(process name)",
     "Implements (setf process-name)."},
    {"CCL:PROCESS-SERIAL-NUMBER", fn_process_serial_number, 1, 1, 0, NULL, "(process)",
     "Return the number that identifies PROCESS (the listener is 1)."},
    {"CCL:PROCESS-WHOSTATE", fn_process_whostate, 1, 1, 0, NULL, "(process)",
     "Return a string saying what PROCESS is doing: \"Reset\" (not yet enabled), \"Active\", \"Sleep\", "
     "\"Input\", \"Output\", \"semaphore wait\", \"Lock wait\", \"join-process\" ... or \"Dead\"."},
    {"CCL:PROCESS-PRIORITY", fn_process_priority, 1, 1, 0, NULL, "(process)",
     "Return the priority given to PROCESS (recorded; every process gets the same share)."},
    {"CCL::%SET-PROCESS-PRIORITY", fn_set_process_priority, 2, 2, 0, NULL, "(process priority)",
     "Implements (setf process-priority)."},
    {"CCL:PROCESS-PLIST", fn_process_plist, 1, 1, 0, NULL, "(process)", "Return the property list of PROCESS."},
    {"CCL::%SET-PROCESS-PLIST", fn_set_process_plist, 2, 2, 0, NULL, "(process plist)",
     "Implements (setf process-plist)."},
    {"CCL:PROCESS-ACTIVE-P", fn_process_active_p, 1, 1, 0, NULL, "(process)",
     "True unless PROCESS has ended."},
    {"CCL:PROCESS-EXHAUSTED-P", fn_process_exhausted_p, 1, 1, 0, NULL, "(process)",
     "True once PROCESS has ended."},
    {"CCL:PROCESS-KILL-ISSUED", fn_process_kill_issued, 1, 1, 0, NULL, "(process)",
     "True once PROCESS-KILL has been asked of PROCESS."},
    {"CCL:PROCESS-TERMINATION-SEMAPHORE", fn_process_termination_semaphore, 1, 1, 0, NULL, "(process)",
     "Return the semaphore signalled when PROCESS ends, or NIL."},
    {"CCL:PROCESS-CREATION-TIME", fn_process_creation_time, 1, 1, 0, NULL, "(process)",
     "Return when PROCESS was made, in ticks."},
    {"CCL:PROCESS-INITIAL-FORM", fn_process_initial_form, 1, 1, 0, NULL, "(process)",
     "Return (function . args) of a preset process; (NIL) before it is preset."},
    {"CCL:ALL-PROCESSES", fn_all_processes, 0, 0, 0, NULL, "()",
     "Return a fresh list of the processes that have not ended, the newest first."},
    {"CCL::FIND-PROCESS", fn_find_process, 1, 1, 0, NULL, "(id)",
     "Return the live process whose serial number or name is ID, or NIL."},
    {"CCL:SYMBOL-VALUE-IN-PROCESS", fn_symbol_value_in_process, 2, 2, 0, NULL, "(symbol process)",
     "Return the value SYMBOL has in PROCESS (its own binding there, or the global value)."},
    {"CCL::%PROCESS-KILL-SELF", fn_process_kill_self, 0, 0, 0, NULL, "()",
     "Unwind the current process to its start, ending it."},
    {"CCL::%PROCESS-DEBUGGER-HOOK", fn_process_debugger_hook, 1, 1, 0, NULL, "(condition)",
     "What a background process does with an error nobody handled: report it and end the process."},
    {"CCL::%CURRENT-PROCESS-LABEL", fn_current_process_label, 0, 0, 0, NULL, "()",
     "The current process as messages name it: \"listener(1)\"."},
    {0},
};

void builtins_process_init(Thread *th) {
  Value process = ccl_sym(th, "PROCESS"), listener = ccl_sym(th, "TTY-LISTENER");
  if (find_class(th, process, false) == NIL)
    define_class(th, CK_STANDARD, process, list1(th, find_class(th, SYM(standard_object), true)), NIL);
  if (find_class(th, listener, false) == NIL)
    define_class(th, CK_STANDARD, listener, list1(th, find_class(th, process, true)), NIL);
  export_symbol(th, ccl_sym(th, "PROCESS"), th->vm->pkg_ccl);
  define_natives(th, process_natives);
  Value all = all_sym(th);
  symbol_of(th, all)->h.flags |= SYM_SPECIAL;
  symbol_of(th, all)->value = NIL;
  Value cur = ccl_sym(th, "*CURRENT-PROCESS*");
  export_symbol(th, cur, th->vm->pkg_ccl);
  symbol_of(th, cur)->h.flags |= SYM_SPECIAL;
  symbol_of(th, cur)->value = current_process(th);
  Symbol *level = symbol_of(th, SYM(interrupt_level));
  level->h.flags |= SYM_SPECIAL;
  level->value = make_fixnum(0);
  Value ticks = ccl_sym(th, "*TICKS-PER-SECOND*");
  export_symbol(th, ticks, th->vm->pkg_ccl);
  symbol_of(th, ticks)->h.flags |= SYM_SPECIAL;
  symbol_of(th, ticks)->value = make_fixnum(1000);
}
