/* api.c — the public API of include/clove.h: VM start-up (packages, builtins,
 * stdlib), and the protected boundary no Lisp error or exit ever crosses. */
#include <ctype.h>
#include <pthread.h>
#include <strings.h>
#include <stdlib.h>
#include <time.h>

#include "../include/clove.h"
#include "compile.h"
#include "gc_internal.h"
#include "stream.h"

extern const char *const clove_stdlib_names[];
extern const char *const clove_stdlib_sources[];
extern const unsigned *const clove_stdlib_forms[];
void builtins_init(Thread *th);
void types_init(Thread *th);
void conditions_init(Thread *th);

struct CloveVM {
  VM *vm;
  Thread *th;
  char *error_text;
  char *backtrace_text;
  char *location_text;
  int batch;
  int hide_prompt;
  bool listener_ready; /* the break loop's natives are defined and its hook set */
};

Thread *clove_vm_thread(CloveVM *cv) { return cv->th; }

/* The Thread of the calling OS thread: the VM's main one, or a process's when a native
 * an embedder defined calls back into the API from there. */
__attribute__((noinline)) static Thread *api_thread(CloveVM *cv) {
  Thread *th = thread_current(cv->vm);
  return th ? th : cv->th;
}


/* ---- bootstrap ---- */

static void init_packages(Thread *th) {
  VM *vm = th->vm;
  vm->packages = NIL;
  /* NIL's record first: interning "NIL" in CL must find it. */
  Symbol *nil = &vm->nil_symbol;
  nil->h.type = T_SYMBOL;
  nil->h.flags = SYM_CONSTANT;
  nil->value = NIL;
  nil->function = UNBOUND;
  nil->plist = NIL;
  nil->setf_fn = UNBOUND;
  nil->package = NIL;
  nil->name = make_string_c(th, "NIL");
  vm->pkg_cl = make_package(th, make_string_c(th, "COMMON-LISP"), list1(th, make_string_c(th, "CL")), NIL);
  nil->package = vm->pkg_cl;
  hash_put(th, package_of(vm->pkg_cl)->externals, nil->name, NIL);
  cl_symbols_init(th);
  vm->pkg_keyword = make_package(th, make_string_c(th, "KEYWORD"), NIL, NIL);
  vm->pkg_ccl = make_package(th, make_string_c(th, "CCL"), NIL, NIL);
  use_package(th, vm->pkg_cl, vm->pkg_ccl);
  vm->pkg_cl_user = make_package(th, make_string_c(th, "COMMON-LISP-USER"), list1(th, make_string_c(th, "CL-USER")), NIL);
  use_package(th, vm->pkg_cl, vm->pkg_cl_user);
  use_package(th, vm->pkg_ccl, vm->pkg_cl_user);
}

enum { PK_CL, PK_KW, PK_CCL, PK_SYS };

typedef struct WellKnown {
  size_t offset; /* of the symbol's field in VM.sym */
  const char *name;
  int pkg;
} WellKnown;

static const WellKnown well_known[] = {
#define WK_ENTRY(c, n, p) {offsetof(struct WellKnownSymbols, s_##c), n, PK_##p},
    WELL_KNOWN_SYMBOLS(WK_ENTRY)
#undef WK_ENTRY
};

static void init_symbols(Thread *th) {
  VM *vm = th->vm;
  const WellKnown *table = well_known;
  for (size_t i = 0; i < sizeof well_known / sizeof well_known[0]; i++) {
    Value pkg = table[i].pkg == PK_CL    ? vm->pkg_cl
                : table[i].pkg == PK_KW  ? vm->pkg_keyword
                                         : vm->pkg_ccl;
    Value s = intern_c(th, table[i].name, pkg);
    if (table[i].pkg == PK_CL || table[i].pkg == PK_CCL) export_symbol(th, s, pkg);
    *(Value *)((char *)&vm->sym + table[i].offset) = s;
  }
  Symbol *t = sym_raw(SYM(t));
  t->value = SYM(t);
  t->h.flags |= SYM_CONSTANT;
  Symbol *pkg = symbol_of(th, SYM(package));
  pkg->h.flags |= SYM_SPECIAL;
  pkg->value = vm->pkg_cl_user;
}

static void defvar_c(Thread *th, Value sym, Value v) {
  Symbol *s = symbol_of(th, sym);
  s->h.flags |= SYM_SPECIAL;
  if (s->value == UNBOUND) s->value = v;
}

static void defconstant_c(Thread *th, const char *name, Value v) {
  Symbol *s = symbol_of(th, intern_c(th, name, th->vm->pkg_cl));
  s->value = v;
  s->h.flags |= SYM_CONSTANT;
}

static void init_variables(Thread *th, const CloveOptions *opts) {
  VM *vm = th->vm;
  defconstant_c(th, "CALL-ARGUMENTS-LIMIT", make_fixnum(CALL_ARGUMENTS_LIMIT));
  defconstant_c(th, "LAMBDA-PARAMETERS-LIMIT", make_fixnum(LAMBDA_PARAMETERS_LIMIT));
  defconstant_c(th, "MULTIPLE-VALUES-LIMIT", make_fixnum(MULTIPLE_VALUES_LIMIT));
  Value llk = NIL;
  Value kws[] = {SYM(optional), SYM(rest), SYM(key), SYM(aux), SYM(body), SYM(whole), SYM(environment),
                 SYM(allow_other_keys)};
  for (int i = 7; i >= 0; i--) llk = cons(th, kws[i], llk);
  defconstant_c(th, "LAMBDA-LIST-KEYWORDS", llk);
  Value args = NIL;
  if (opts)
    for (int i = opts->argc - 1; i >= 0; i--) args = cons(th, make_string_c(th, opts->argv[i]), args);
  defvar_c(th, SYM(command_line_args), args);
  Value features = NIL;
  const char *names[] = {"CLOVE", "CCL", "CLOZURE", "CLOZURE-COMMON-LISP", "OPENMCL", "CCL-SOCKETS",
                         "COMMON-LISP", "ANSI-CL", "UNIX", "LINUX", "X86-64", "64-BIT", "LITTLE-ENDIAN", NULL};
  for (int i = 0; names[i]; i++) features = cons(th, keyword_c(th, names[i]), features);
  defvar_c(th, SYM(features), nreverse_list(features));
  defvar_c(th, SYM(load_pathname), NIL);
  defvar_c(th, SYM(load_truename), NIL);
  defvar_c(th, SYM(macroexpand_hook), SYM(funcall_sym));
  defvar_c(th, SYM(gensym_counter), make_fixnum(1));
  defvar_c(th, SYM(break_on_signals), NIL);
  defvar_c(th, SYM(debugger_hook), NIL);
  const char *repl_vars[] = {"*", "**", "***", "+", "++", "+++", "/", "//", "///", "-", NULL};
  for (int i = 0; repl_vars[i]; i++) {
    Value s = intern_c(th, repl_vars[i], vm->pkg_cl);
    export_symbol(th, s, vm->pkg_cl);
    defvar_c(th, s, NIL);
  }
}

/* The stdlib is read in CCL, which uses CL: its helpers stay internal to CCL. */
static void load_stdlib(Thread *th) {
  size_t top = th->dyn_top;
  bind_special(th, SYM(package), th->vm->pkg_ccl);
  /* boot.lisp defines DEFUN and DEFMACRO themselves: it is read whole. The other files
   * leave their definitions as stubs read on first use (CLOVE_EAGER_STDLIB=1: not). */
  const char *eager = getenv("CLOVE_EAGER_STDLIB");
  bool lazy = !(eager && *eager && strcmp(eager, "0") != 0);
  autoload_init(th);
  /* CLOVE_STARTUP_PROFILE=1 prints what each file costs, for keeping start-up fast. */
  const char *profile = getenv("CLOVE_STARTUP_PROFILE");
  for (int i = 0; clove_stdlib_sources[i]; i++) {
    struct timespec t0, t1;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t0);
    if (i == 0 || !lazy) load_cstring(th, clove_stdlib_names[i], clove_stdlib_sources[i]);
    else load_lazily(th, clove_stdlib_names[i], clove_stdlib_sources[i], clove_stdlib_forms[i]);
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t1);
    if (profile && *profile)
      fprintf(stderr, "%-16s %7.3f ms\n", clove_stdlib_names[i],
              (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6);
  }
  unwind_to(th, top);
}

/* ---- the protected boundary ---- */

typedef void (*Body)(Thread *th, void *data);

static char *report_text(CloveVM *cv, Value condition);

/* prin1 text of x, or NULL if printing it signals. */
static char *safe_prin1(Thread *th, Value x) {
  CatchFrame cf;
  catch_push(th, &cf, SYM(toplevel_tag));
  if (setjmp(cf.jb) != 0) {
    catch_restore(th, &cf);
    return NULL;
  }
  char *text = prin1_cstr(th, x);
  th->dyn_top = cf.dyn_index;
  return text;
}

static void set_error(CloveVM *cv, Value condition) {
  free(cv->error_text);
  free(cv->backtrace_text);
  cv->error_text = report_text(cv, condition);
  Thread *th = api_thread(cv);
  size_t len = 0, cap = 256;
  char *bt = malloc(cap);
  if (bt) bt[0] = 0;
  for (Value l = th->last_backtrace; bt && is_cons(l); l = CDR(l)) {
    char *name = safe_prin1(th, CAR(l));
    if (!name) continue;
    size_t n = strlen(name);
    if (len + n + 2 > cap) {
      cap = (len + n + 2) * 2;
      char *nb = realloc(bt, cap);
      if (!nb) {
        free(name);
        break;
      }
      bt = nb;
    }
    memcpy(bt + len, name, n);
    len += n;
    bt[len++] = '\n';
    bt[len] = 0;
    free(name);
  }
  cv->backtrace_text = bt;
  free(cv->location_text);
  cv->location_text = is_any_string(th->last_location) ? string_to_cstr(th->last_location) : NULL;
}

/* Lisp's buffered output goes out before control returns to the host, so that what the
 * host prints with stdio comes after it. Errors while flushing are dropped. */
static void flush_output(Thread *th) {
  if (!th->vm->stdout_stream) return;
  CatchFrame cf;
  catch_push(th, &cf, SYM(toplevel_tag));
  if (setjmp(cf.jb) == 0) {
    streams_flush_all(th);
    th->dyn_top = cf.dyn_index;
  } else {
    catch_restore(th, &cf);
  }
}

static CloveStatus protect_locked(Thread *th, CloveVM *cv, Body body, void *data) {
  CatchFrame quit, top;
  catch_push(th, &quit, SYM(quit_tag));
  if (setjmp(quit.jb)) {
    catch_restore(th, &quit);
    return CLOVE_EXIT;
  }
  catch_push(th, &top, SYM(toplevel_tag));
  if (setjmp(top.jb)) {
    catch_restore(th, &top);
    th->dyn_top = quit.dyn_index;
    __atomic_store_n(&th->interrupt_pending, 0, __ATOMIC_RELAXED); /* other threads set it too */
    th->sigint = 0;
    set_error(cv, th->last_error);
    flush_output(th);
    return CLOVE_ERROR;
  }
  body(th, data);
  th->dyn_top = quit.dyn_index;
  flush_output(th);
  return CLOVE_OK;
}

static CloveStatus protect(CloveVM *cv, Body body, void *data) {
  Thread *th = api_thread(cv);
  gil_enter(th);
  CloveStatus status = protect_locked(th, cv, body, data);
  gil_leave(th);
  return status;
}

static void report_body(Thread *th, void *data) {
  Value *io = data;
  io[1] = condition_report_string(th, io[0]);
}

static char *report_text(CloveVM *cv, Value condition) {
  Value io[2] = {condition, NIL};
  Thread *th = api_thread(cv);
  Value saved_bt = th->last_backtrace;
  if (protect(cv, report_body, io) == CLOVE_OK && is_any_string(io[1])) {
    th->last_backtrace = saved_bt;
    return string_to_cstr(io[1]);
  }
  th->last_backtrace = saved_bt;
  return strdup("(an error occurred while printing the error)");
}

/* ---- open / close ---- */

typedef struct OpenArgs {
  const CloveOptions *opts;
} OpenArgs;

static void open_body(Thread *th, void *data) {
  OpenArgs *a = data;
  init_variables(th, a->opts);
  compiler_init(th);
  compile_inline_init(th);
  types_init(th);
  conditions_init(th);
  streams_init(th);
  builtins_init(th);
  load_stdlib(th);
}

CloveVM *clove_open(const CloveOptions *opts) {
  CloveVM *cv = calloc(1, sizeof(CloveVM));
  VM *vm = calloc(1, sizeof(VM));
  if (!cv || !vm) {
    free(cv);
    free(vm);
    return NULL;
  }
  cv->vm = vm;
  gc_init(vm);
  gil_init(vm);
  Thread *th = thread_new(vm);
  if (!th || !vm->gil) {
    gil_free(vm);
    gc_shutdown(vm);
    free(vm);
    free(cv);
    return NULL;
  }
  cv->th = th;
  vm->main_thread = th;
  vm->next_process_serial = 2; /* the listener is process 1, as in CCL */
  thread_attach_stack(th, 0);
  gil_enter(th);
  /* Before the well-known symbols exist nothing can signal through a catch;
   * packages are made first so that interning works. */
  init_packages(th);
  /* protect() needs SYM(quit_tag) etc., so intern those first without protection. */
  OpenArgs a = {opts};
  init_symbols(th);
  /* CLOVE_GC_STRESS=1 stresses the program, not the start-up every run repeats;
   * CLOVE_GC_STRESS=2 stresses the start-up too. */
  const char *stress = getenv("CLOVE_GC_STRESS");
  bool stress_on = stress && *stress && strcmp(stress, "0") != 0;
  if (stress_on && strcmp(stress, "2") != 0) gc_set_stress(vm, false);
  if (protect(cv, open_body, &a) != CLOVE_OK) {
    fprintf(stderr, "clove: start-up failed: %s\n", cv->error_text ? cv->error_text : "unknown error");
    gil_leave(th);
    clove_close(cv);
    return NULL;
  }
  gc_set_stress(vm, stress_on);
  gil_leave(th);
  return cv;
}

void clove_close(CloveVM *cv) {
  if (!cv) return;
  VM *vm = cv->vm;
  Thread *th = cv->th;
  gil_enter(th);
  threads_shutdown(th, process_kill_thread);
  if (vm->stdout_stream) {
    CatchFrame cf;
    catch_push(th, &cf, NIL);
    if (setjmp(cf.jb) == 0) {
      streams_flush_all(th);
      th->dyn_top = cf.dyn_index;
    } else {
      catch_restore(th, &cf);
    }
  }
  gc_shutdown(vm);
  /* A process stuck in a system call keeps its record (threads_shutdown). */
  thread_free(th);
  gil_free(vm);
  free(vm);
  free(cv->error_text);
  free(cv->backtrace_text);
  free(cv->location_text);
  free(cv);
}

/* ---- evaluation ---- */

typedef struct EvalArgs {
  const char *src;
  char **result;
} EvalArgs;

static char *values_text(Thread *th, Value primary) {
  int n = th->nvals;
  Value vals[n > 0 ? n : 1];
  collect_values(th, primary, vals, n);
  Value out = make_string_output_stream(th);
  for (int i = 0; i < n; i++) {
    if (i) stream_write_char(th, out, '\n');
    print_object(th, vals[i], out, true);
  }
  return string_to_cstr(get_output_stream_string(th, out));
}

static void eval_body(Thread *th, void *data) {
  EvalArgs *a = data;
  Value s = make_string_c(th, a->src);
  Value stream = make_string_input_stream(th, s, 0, string_of(s)->len);
  Value eof = cons(th, NIL, NIL);
  Value last = NIL;
  th->nvals = 1;
  for (;;) {
    Value form = lisp_read(th, stream, false, eof, false, false);
    if (form == eof) break;
    last = eval_form(th, form);
  }
  if (a->result) *a->result = values_text(th, last);
}

CloveStatus clove_eval_string(CloveVM *cv, const char *src, char **result) {
  if (result) *result = NULL;
  EvalArgs a = {src, result};
  return protect(cv, eval_body, &a);
}

static void load_body_api(Thread *th, void *data) { load_file(th, make_string_c(th, data), false, false, true); }

CloveStatus clove_load_file(CloveVM *cv, const char *path) { return protect(cv, load_body_api, (void *)path); }

const char *clove_error_text(CloveVM *cv) { return cv->error_text ? cv->error_text : ""; }
const char *clove_error_backtrace(CloveVM *cv) { return cv->backtrace_text ? cv->backtrace_text : ""; }
const char *clove_error_location(CloveVM *cv) { return cv->location_text ? cv->location_text : ""; }
int clove_exit_code(CloveVM *cv) { return cv->vm->exit_code; }
void clove_set_batch(CloveVM *cv, int batch) {
  cv->batch = batch;
  /* Batch mode has no break loop: an error goes back to the host. */
  if (!cv->listener_ready) return;
  Thread *th = cv->th;
  gil_enter(th);
  Value hook = symbol_of(th, intern_c(th, "%LISTENER-DEBUGGER-HOOK", cv->vm->pkg_ccl))->function;
  symbol_of(th, cv->vm->sym.s_invoke_debugger_hook)->value = batch ? NIL : hook;
  gil_leave(th);
}
void clove_set_prompt(CloveVM *cv, int show) { cv->hide_prompt = !show; }
void clove_abandon_form(CloveVM *cv) { cv->vm->abandon_form = true; }

void clove_interrupt(CloveVM *cv) {
  cv->th->sigint = 1;
  __atomic_store_n(&cv->th->interrupt_pending, 1, __ATOMIC_RELEASE); /* lock-free: fine in a signal handler */
}

/* ---- the listener's read-eval-print step ----
 * The top level (break level 0) is here; an unhandled error calls the debugger hook
 * below, which runs CCL's break loop (stdlib/listener.lisp) in the dynamic context of
 * the error, so that nothing is unwound until the user leaves the break loop. */

typedef struct ReplArgs {
  bool eof;
  bool hide_prompt;
} ReplArgs;

static void rotate_repl_vars(Thread *th, Value form, Value primary) {
  Value pkg = th->vm->pkg_cl;
  int n = th->nvals;
  Value vals[n > 0 ? n : 1];
  collect_values(th, primary, vals, n);
  Value list = list_from_array(th, n, vals);
#define RV(name) intern_c(th, name, pkg)
  set_symbol_value(th, RV("***"), symbol_value(th, RV("**")));
  set_symbol_value(th, RV("**"), symbol_value(th, RV("*")));
  set_symbol_value(th, RV("*"), n ? vals[0] : NIL);
  set_symbol_value(th, RV("+++"), symbol_value(th, RV("++")));
  set_symbol_value(th, RV("++"), symbol_value(th, RV("+")));
  set_symbol_value(th, RV("+"), form);
  set_symbol_value(th, RV("///"), symbol_value(th, RV("//")));
  set_symbol_value(th, RV("//"), symbol_value(th, RV("/")));
  set_symbol_value(th, RV("/"), list);
#undef RV
  th->nvals = n;
  if (n > 1) memcpy(th->vals, vals, (size_t)n * sizeof(Value));
}

static void repl_body(Thread *th, void *data) {
  ReplArgs *a = data;
  Value out = standard_output(th);
  if (!a->hide_prompt) {
    stream_fresh_line(th, out);
    stream_write_cstr(th, out, "? ");
  }
  Value in = standard_input(th);
  /* A host line editor shows the prompt itself: it must still be in the buffer then. */
  if (!th->vm->line_reader) stream_force_output(th, out);
  Value eof = cons(th, NIL, NIL);
  /* A line starting with a colon may be one of CCL's global commands (:proc, :kill, :?),
   * read with its arguments as the break loops read theirs (stdlib/listener.lisp). */
  Value form = funcall2(th, intern_c(th, "%READ-COMMAND-OR-FORM", th->vm->pkg_ccl), in, eof);
  if (form == eof) {
    a->eof = true;
    return;
  }
  if (form == intern_c(th, "%ABANDONED", th->vm->pkg_ccl)) return; /* Ctrl-C on a continuation line */
  /* A terminal echoed the line just typed: the cursor is back at column 0. */
  if (is_stream(in) && (stream_of(in)->flags & STRM_INTERACTIVE)) stream_of(out)->out_column = 0;
  if ((is_symbol(form) && symbol_of(th, form)->package == th->vm->pkg_keyword) ||
      (is_cons(form) && is_symbol(CAR(form)) && symbol_of(th, CAR(form))->package == th->vm->pkg_keyword)) {
    if (funcall1(th, intern_c(th, "%TOPLEVEL-COMMAND", th->vm->pkg_ccl), form) != NIL) {
      stream_force_output(th, out);
      return;
    }
  }
  set_symbol_value(th, intern_c(th, "-", th->vm->pkg_cl), form);
  th->nvals = 1;
  Value r = eval_form(th, form);
  rotate_repl_vars(th, form, r);
  int n = th->nvals;
  Value vals[n > 0 ? n : 1];
  collect_values(th, r, vals, n);
  stream_fresh_line(th, out);
  for (int i = 0; i < n; i++) {
    print_object(th, vals[i], out, true);
    stream_write_char(th, out, '\n');
  }
  stream_force_output(th, out);
}

/* Break level 0 offers CCL's two restarts, ABORT innermost, which the break loops'
 * :POP and (ABORT) come back to. */
static void repl_abort_body(Thread *th, void *data) {
  bool aborted = with_restart(th, intern_c(th, "ABORT", th->vm->pkg_cl), make_string_c(th, "Return to toplevel."),
                              NIL, repl_body, data, NULL);
  if (aborted) {
    /* As CCL's read-loop does after an abort: drop what was typed ahead, one newline. */
    stream_clear_input(th, standard_input(th));
    Value out = standard_output(th);
    stream_write_char(th, out, '\n');
    stream_force_output(th, out);
  }
}

static void repl_toplevel_body(Thread *th, void *data) {
  with_restart(th, intern_c(th, "ABORT-BREAK", th->vm->pkg_ccl), make_string_c(th, "Exit toplevel."), NIL,
               repl_abort_body, data, NULL);
}

static void listener_report_body(Thread *th, void *data) {
  UNUSED(data);
  Value fn = is_cons(th->last_backtrace) ? CAR(th->last_backtrace) : NIL;
  print_break_message(th, standard_output(th), '>', "Error", th->last_error, fn);
}

/* Whether r is where a break loop evaluates what was typed: frames from there out
 * belong to the listener, not to the erring code. */
static bool listener_frame(Thread *th, CallRecord *r) {
  Value name = function_name(th, r->fn);
  return name == intern_c(th, "%BREAK-READ-EVAL-PRINT", th->vm->pkg_ccl);
}

/* CCL's "While executing" name: the innermost function that is neither the condition
 * system's (ERROR, SIGNAL ...) nor the listener's EVAL. */
static Value erring_name(Thread *th, CallRecord *from) {
  static const char *const skip[] = {"ERROR", "CERROR", "WARN", "SIGNAL", "BREAK", "INVOKE-DEBUGGER", "EVAL", 0};
  for (CallRecord *r = from; r && !listener_frame(th, r); r = r->up) {
    Value name = function_name(th, r->fn);
    if (name == NIL || !is_symbol(name)) continue;
    bool skipped = false;
    if (symbol_of(th, name)->package == th->vm->pkg_cl)
      for (int i = 0; skip[i] && !skipped; i++) skipped = string_eq_c(symbol_name(th, name), skip[i]);
    if (!skipped) return name;
  }
  return NIL;
}

/* Each frame as a list (name arg...), innermost first, as :B shows them. */
static Value frames_list(Thread *th, CallRecord *from) {
  Value frames = NIL;
  int n = 0;
  for (CallRecord *r = from; r && n < 200 && !listener_frame(th, r); r = r->up, n++) {
    if (is_type(r->fn, T_CLOSURE) && lambda_of(closure_of(r->fn)->lambda)->toplevel) continue;
    Value name = function_name(th, r->fn);
    if (r->up && listener_frame(th, r->up)) break; /* the EVAL of what was typed */
    Value args = r->args ? list_from_array(th, r->nargs, r->args) : NIL;
    frames = cons(th, cons(th, name == NIL ? r->fn : name, args), frames);
  }
  return nreverse_list(frames);
}

/* The call chain without the running native's own record (a native called through
 * FUNCALL has one, a native called from compiled code has none). */
static CallRecord *below_self(Thread *th) {
  CallRecord *r = th->calls;
  return r && r->fn == th->native_self ? r->up : r;
}

/* SYS::*INVOKE-DEBUGGER-HOOK* while the listener runs: the break loop, with the
 * erring code's handlers out of sight (CCL's firewall). It returns only when the
 * user continues (a restart that returns); otherwise a restart unwinds past it. */
static Value listener_debugger_hook(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value condition = args[0];
  CallRecord *from = below_self(th);
  Value fn, frames;
  if (nargs > 1 && is_cons(args[1])) { /* what CCL::%INTERRUPT-CONTEXT saw */
    fn = CAR(args[1]);
    frames = CDR(args[1]);
  } else {
    fn = erring_name(th, from);
    frames = frames_list(th, from);
  }
  size_t top = th->dyn_top;
  hide_handlers(th);
  Value label = make_string_c(th, typep(th, condition, SYM(error)) ? "Error" : "Break");
  Value loop = intern_c(th, "%BREAK-LOOP", th->vm->pkg_ccl);
  Value argv[4] = {condition, label, fn, frames};
  call_function(th, loop, 4, argv);
  unwind_to(th, top);
  return NIL;
}

/* (ccl::%break-message label condition fn): CCL's "> Error: ..." lines. */
static Value listener_break_message(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  char *label = string_to_cstr(args[0]);
  char buf[32];
  snprintf(buf, sizeof buf, "%s", label ? label : "Error");
  free(label);
  print_break_message(th, standard_output(th), '>', buf, args[1], args[2]);
  return NIL;
}

/* (ccl::%interrupt-context): (name . frames) of the code its caller interrupted, for
 * the break message; called first thing by CCL::%INTERRUPT. */
static Value listener_interrupt_context(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  UNUSED(args);
  Value interrupt = intern_c(th, "%INTERRUPT", th->vm->pkg_ccl);
  CallRecord *from = below_self(th);
  for (CallRecord *r = from; r; r = r->up)
    if (function_name(th, r->fn) == interrupt) {
      while (r->up && function_name(th, r->up->fn) == interrupt) r = r->up; /* its own lambdas */
      from = r->up;
      break;
    }
  Value frames = frames_list(th, from);
  return cons(th, erring_name(th, from), frames);
}

static const NativeDesc listener_natives[] = {
    {"CCL::%LISTENER-DEBUGGER-HOOK", listener_debugger_hook, 1, 2, 0, 0, "(condition &optional context)",
     "Enter the listener's break loop for CONDITION, in the dynamic context of the error."},
    {"CCL::%INTERRUPT-CONTEXT", listener_interrupt_context, 0, 0, 0, 0, "()",
     "The erring function's name and the call frames of the code CCL::%INTERRUPT's caller runs."},
    {"CCL::%BREAK-MESSAGE", listener_break_message, 3, 3, 0, 0, "(label condition function-name)",
     "Print CCL's \"> Error: ...\" lines for CONDITION on *STANDARD-OUTPUT*."},
    {0, 0, 0, 0, 0, 0, 0, 0},
};

static void listener_setup_body(Thread *th, void *data) {
  CloveVM *cv = data;
  define_natives(th, listener_natives);
  Value hook = symbol_of(th, intern_c(th, "%LISTENER-DEBUGGER-HOOK", th->vm->pkg_ccl))->function;
  Symbol *s = symbol_of(th, SYM(invoke_debugger_hook));
  s->h.flags |= SYM_SPECIAL;
  s->value = cv->batch ? NIL : hook;
}

/* The listener reports an unhandled error itself, through the same stream as its
 * prompt and values, so that the text comes out in order. */
CloveStatus clove_read_eval_print(CloveVM *cv) {
  if (!cv->listener_ready) {
    if (protect(cv, listener_setup_body, cv) != CLOVE_OK) return CLOVE_ERROR;
    cv->listener_ready = true;
  }
  ReplArgs a = {false, cv->hide_prompt};
  CloveStatus st = protect(cv, repl_toplevel_body, &a);
  if (st == CLOVE_OK && a.eof) return CLOVE_EOF;
  if (st == CLOVE_ERROR) {
    Thread *th = cv->th;
    gil_enter(th);
    Value saved_error = th->last_error, saved_bt = th->last_backtrace;
    if (protect(cv, listener_report_body, NULL) != CLOVE_OK) {
      fprintf(stdout, "> Error: %s\n", clove_error_text(cv));
      fflush(stdout);
    }
    th->last_error = saved_error;
    th->last_backtrace = saved_bt;
    stream_clear_input(th, standard_input(th));
    gil_leave(th);
  }
  return st;
}

void clove_set_line_reader(CloveVM *cv, char *(*reader)(const char *prompt, void *data), void *data) {
  cv->vm->line_reader = reader;
  cv->vm->line_reader_data = data;
}

/* ---- completion of what is typed at the listener ---- */

typedef struct Completions {
  const char *text;   /* as typed */
  const char *before; /* what precedes it in the form being typed, or NULL */
  char **v;
  size_t n, cap;
  bool failed;
} Completions;

/* Adds prefix + name (in the case the user types in) to the completions. */
static void add_completion(Completions *c, size_t prefix_len, const char *name, bool upper) {
  size_t len = prefix_len + strlen(name);
  char *m = malloc(len + 1);
  if (c->n + 1 >= c->cap) {
    size_t cap = c->cap ? c->cap * 2 : 64;
    char **v = realloc(c->v, cap * sizeof(char *));
    if (v) {
      c->v = v;
      c->cap = cap;
    }
  }
  if (!m || c->n + 1 >= c->cap) {
    free(m);
    c->failed = true;
    return;
  }
  memcpy(m, c->text, prefix_len);
  for (size_t k = 0; name[k]; k++) m[prefix_len + k] = upper ? name[k] : (char)tolower((unsigned char)name[k]);
  m[len] = 0;
  c->v[c->n++] = m;
}

/* Whether a symbol name can be typed without |bars|, which completion does not offer. */
static bool typable(const char *name) {
  for (const char *p = name; *p; p++)
    if (*p >= 'a' && *p <= 'z') return false;
  return true;
}

/* Adds prefix + name of every symbol of table (a package's internals or externals)
 * whose name starts with want, ignoring case. */
static void complete_from(Completions *c, Value table, size_t prefix_len, const char *want, bool upper) {
  size_t want_len = strlen(want);
  size_t i = 0;
  Value key, sym;
  while (!c->failed && hash_next(table, &i, &key, &sym)) {
    char *name = string_to_cstr(key);
    if (!name) {
      c->failed = true;
      return;
    }
    if (typable(name) && strncasecmp(name, want, want_len) == 0) add_completion(c, prefix_len, name, upper);
    free(name);
  }
}

/* Where the word being completed stands in the form typed so far: the innermost list
 * still open, its first element (the operator) and the element just before the word
 * when those are symbols, and the operator of the list around it with the innermost
 * list's place there (with-open-socket's (s :remote-host ...) is its element 1). */
#define TOKEN_MAX 128
typedef struct OpenList {
  char op[TOKEN_MAX], prev[TOKEN_MAX];
  int count;    /* elements so far */
  int position; /* this list's index in the list around it */
  bool data;    /* #( a vector, not a call */
} OpenList;

typedef struct CallContext {
  char op[TOKEN_MAX], prev[TOKEN_MAX], outer[TOKEN_MAX];
  int position;
} CallContext;

#define CONTEXT_DEPTH 32

/* One element ended in the innermost open list; atom is its text, or NULL for a list or string. */
static void element_ended(OpenList *l, const char *atom) {
  l->count++;
  snprintf(l->prev, TOKEN_MAX, "%s", atom ? atom : "");
  if (l->count == 1) snprintf(l->op, TOKEN_MAX, "%s", atom && !l->data ? atom : "");
}

/* Reads before as the Lisp reader would, far enough to know the open lists; false when
 * the word is not an element of a list (top level, inside a string or comment, too deep). */
static bool scan_context(const char *before, CallContext *cx) {
  OpenList stack[CONTEXT_DEPTH];
  int depth = 0, overflow = 0; /* lists opened beyond the stack's capacity */
  char atom[TOKEN_MAX];
  size_t alen = 0;
  bool in_atom = false;
#define END_ATOM()                                                                                                     \
  do {                                                                                                                 \
    if (in_atom && depth > 0 && !overflow) {                                                                           \
      atom[alen] = 0;                                                                                                  \
      element_ended(&stack[depth - 1], atom);                                                                          \
    }                                                                                                                  \
    in_atom = false;                                                                                                   \
    alen = 0;                                                                                                          \
  } while (0)
#define ATOM_CHAR(ch)                                                                                                  \
  do {                                                                                                                 \
    in_atom = true;                                                                                                    \
    if (alen + 1 < TOKEN_MAX) atom[alen++] = (ch);                                                                     \
  } while (0)
  for (const char *p = before; *p; p++) {
    char ch = *p;
    if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f') {
      END_ATOM();
    } else if (ch == '(' || (ch == '#' && p[1] == '(' && !in_atom)) {
      END_ATOM();
      bool data = ch == '#';
      if (data) p++;
      if (depth == CONTEXT_DEPTH || overflow) {
        overflow++;
        continue;
      }
      OpenList *l = &stack[depth];
      memset(l, 0, sizeof *l);
      l->data = data;
      l->position = depth > 0 ? stack[depth - 1].count : 0;
      depth++;
    } else if (ch == ')') {
      END_ATOM();
      if (overflow) {
        overflow--;
      } else if (depth > 0) {
        depth--;
        if (depth > 0) element_ended(&stack[depth - 1], NULL);
      }
    } else if (ch == '"') {
      END_ATOM();
      for (p++; *p && *p != '"'; p++)
        if (*p == '\\' && p[1]) p++;
      if (!*p) return false;
      if (depth > 0 && !overflow) element_ended(&stack[depth - 1], NULL);
    } else if (ch == ';') {
      END_ATOM();
      while (*p && *p != '\n') p++;
      if (!*p) return false;
    } else if (ch == '#' && p[1] == '|' && !in_atom) {
      int nest = 1;
      for (p += 2; *p && nest > 0; p++) {
        if (p[0] == '#' && p[1] == '|') nest++, p++;
        else if (p[0] == '|' && p[1] == '#') nest--, p++;
      }
      if (nest > 0) return false;
      p--;
    } else if ((ch == '\'' || ch == '`' || ch == ',') && !in_atom) {
      if (ch == ',' && p[1] == '@') p++; /* a prefix: the element is what follows */
    } else if (ch == '#' && p[1] == '\'' && !in_atom) {
      p++;
    } else if (ch == '#' && p[1] == '\\' && !in_atom) {
      ATOM_CHAR('#');
      ATOM_CHAR('\\');
      p++;
      if (!p[1]) return false;
      ATOM_CHAR(*++p); /* #\( is a character, whatever follows */
    } else if (ch == '|') {
      ATOM_CHAR(ch);
      for (p++; *p && *p != '|'; p++) {
        if (*p == '\\' && p[1]) ATOM_CHAR(*p++);
        ATOM_CHAR(*p);
      }
      if (!*p) return false;
      ATOM_CHAR('|');
    } else if (ch == '\\') {
      ATOM_CHAR(ch);
      if (!p[1]) return false;
      ATOM_CHAR(*++p);
    } else {
      ATOM_CHAR(ch);
    }
  }
#undef END_ATOM
#undef ATOM_CHAR
  if (in_atom || depth == 0 || overflow) return false; /* the word does not start a new element */
  OpenList *l = &stack[depth - 1];
  snprintf(cx->op, TOKEN_MAX, "%s", l->op);
  snprintf(cx->prev, TOKEN_MAX, "%s", l->prev);
  snprintf(cx->outer, TOKEN_MAX, "%s", depth > 1 ? stack[depth - 2].op : "");
  cx->position = l->position;
  return true;
}

/* The symbol a token read in the current package names, or NIL: never interned. */
static Value token_symbol(Thread *th, const char *token) {
  if (!*token || token[0] == ':' || strpbrk(token, "|\\")) return NIL;
  char name[TOKEN_MAX];
  size_t n = 0;
  for (; token[n] && n + 1 < TOKEN_MAX; n++) name[n] = (char)toupper((unsigned char)token[n]);
  name[n] = 0;
  Value pkg = current_package(th);
  char *colon = strchr(name, ':');
  if (colon) {
    *colon = 0;
    pkg = find_package(th, make_string_c(th, name));
    colon += colon[1] == ':' ? 2 : 1;
  }
  if (!is_type(pkg, T_PACKAGE)) return NIL;
  int status;
  return find_symbol(th, make_string_c(th, colon ? colon : name), pkg, &status);
}

/* The names (strings) of the keyword parameters of the function the word is an
 * argument of, from CCL::%COMPLETION-KEYWORDS (stdlib/listener.lisp); NIL when unknown. */
static Value call_keywords(Thread *th, const CallContext *cx) {
  Value op = token_symbol(th, cx->op), outer = token_symbol(th, cx->outer);
  if (op == NIL && outer == NIL) return NIL;
  Value fn = intern_c(th, "%COMPLETION-KEYWORDS", th->vm->pkg_ccl);
  CatchFrame cf;
  catch_push(th, &cf, SYM(toplevel_tag));
  if (setjmp(cf.jb) != 0) {
    catch_restore(th, &cf);
    return NIL; /* completion never enters the break loop: all keywords are offered */
  }
  bind_special(th, SYM(invoke_debugger_hook), NIL);
  Value keys = funcall3(th, fn, op, outer, make_fixnum(cx->position));
  unwind_to(th, cf.dyn_index);
  return keys;
}

/* Whether name (a string) is in names, a list of strings. */
static bool name_member(Value names, const char *name) {
  for (Value l = names; is_cons(l); l = CDR(l))
    if (is_any_string(CAR(l)) && string_eq_c(CAR(l), name)) return true;
  return false;
}

/* A keyword argument of a known function: its keyword parameters that match, unless
 * the word stands where the value of one of them goes. True when it offered some. */
static bool complete_call_keywords(Thread *th, Completions *c, bool upper) {
  CallContext cx;
  if (!c->before || !scan_context(c->before, &cx)) return false;
  Value keys = call_keywords(th, &cx);
  if (!is_cons(keys)) return false;
  if (cx.prev[0] == ':') {
    char prev[TOKEN_MAX];
    size_t n = 0;
    for (; cx.prev[n + 1]; n++) prev[n] = (char)toupper((unsigned char)cx.prev[n + 1]);
    prev[n] = 0;
    if (name_member(keys, prev)) return false;
  }
  const char *want = c->text + 1;
  size_t before_n = c->n;
  for (Value l = keys; is_cons(l) && !c->failed; l = CDR(l)) {
    if (!is_any_string(CAR(l))) continue;
    char *name = string_to_cstr(CAR(l));
    if (!name) {
      c->failed = true;
      return true;
    }
    if (typable(name) && strncasecmp(name, want, strlen(want)) == 0) add_completion(c, 1, name, upper);
    free(name);
  }
  return c->n > before_n;
}

static void complete_body(Thread *th, void *data) {
  Completions *c = data;
  const char *text = c->text;
  bool upper = false, lower = false;
  for (const char *p = text; *p; p++) {
    if (*p >= 'A' && *p <= 'Z') upper = true;
    if (*p >= 'a' && *p <= 'z') lower = true;
  }
  upper = upper && !lower;
  const char *colon = strchr(text, ':');
  if (!colon) {
    Value pkg = current_package(th);
    if (!is_type(pkg, T_PACKAGE)) return;
    complete_from(c, package_of(pkg)->internals, 0, text, upper);
    complete_from(c, package_of(pkg)->externals, 0, text, upper);
    for (Value l = package_of(pkg)->use_list; is_cons(l); l = CDR(l))
      complete_from(c, package_of(CAR(l))->externals, 0, text, upper);
    return;
  }
  if (colon == text && text[1] != ':' && complete_call_keywords(th, c, upper)) return;
  Value pkg;
  if (colon == text) {
    pkg = th->vm->pkg_keyword;
  } else {
    char *name = strndup(text, (size_t)(colon - text));
    if (!name) return;
    for (char *p = name; *p; p++) *p = (char)toupper((unsigned char)*p);
    pkg = find_package(th, make_string_c(th, name));
    free(name);
  }
  if (!is_type(pkg, T_PACKAGE)) return;
  bool all = colon[1] == ':' || colon == text;
  const char *want = colon + 1 + (colon[1] == ':');
  size_t prefix_len = (size_t)(want - text);
  complete_from(c, package_of(pkg)->externals, prefix_len, want, upper);
  if (all) complete_from(c, package_of(pkg)->internals, prefix_len, want, upper);
}

static int compare_names(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

char **clove_complete_in(CloveVM *cv, const char *text, const char *before) {
  Completions c = {text ? text : "", before, NULL, 0, 0, false};
  protect(cv, complete_body, &c);
  if (c.failed) {
    for (size_t i = 0; i < c.n; i++) free(c.v[i]);
    free(c.v);
    return NULL;
  }
  if (!c.v) {
    c.v = malloc(sizeof(char *));
    if (!c.v) return NULL;
  }
  qsort(c.v, c.n, sizeof(char *), compare_names);
  size_t n = 0; /* a name inherited and also present (shadowing) comes once */
  for (size_t i = 0; i < c.n; i++) {
    if (n > 0 && strcmp(c.v[n - 1], c.v[i]) == 0)
      free(c.v[i]);
    else
      c.v[n++] = c.v[i];
  }
  c.v[n] = NULL;
  return c.v;
}

char **clove_complete(CloveVM *cv, const char *text) { return clove_complete_in(cv, text, NULL); }

/* ---- natives defined by embedders ---- */

/* An embedder's native: its descriptor comes first, so the Native's desc pointer
 * leads back to the C function. */
typedef struct EmbeddedDesc {
  NativeDesc desc[2]; /* the entry and the table's terminator */
  CloveNativeFn fn;
} EmbeddedDesc;

static Value embedded_native(Thread *th, int nargs, Value *args) {
  const EmbeddedDesc *e = (const EmbeddedDesc *)native_of(th->native_self)->desc;
  return e->fn(th->vm->api, nargs, (const CloveValue *)args);
}

/* The descriptor of an embedder's native lives as long as the VM. */
static void free_native_desc(void *p) {
  EmbeddedDesc *e = p;
  free((void *)e->desc[0].name);
  free((void *)e->desc[0].doc);
  free(e);
}

int clove_define(CloveVM *cv, const char *name, int min_args, int max_args, CloveNativeFn fn, const char *doc) {
  if (!name || !*name || !fn || min_args < 0 || (max_args >= 0 && max_args < min_args) || max_args > 127) return -1;
  EmbeddedDesc *e = calloc(1, sizeof(EmbeddedDesc));
  if (!e) return -1;
  NativeDesc *d = &e->desc[0];
  d->name = strdup(name);
  d->fn = embedded_native;
  d->min_args = (int8_t)min_args;
  d->max_args = (int8_t)(max_args < 0 ? min_args : max_args);
  d->flags = max_args < 0 ? NAT_REST : 0;
  d->doc = doc ? strdup(doc) : NULL;
  e->fn = fn;
  cv->vm->api = cv;
  Thread *th = api_thread(cv);
  gil_enter(th);
  CatchFrame cf;
  catch_push(th, &cf, SYM(toplevel_tag));
  if (setjmp(cf.jb) != 0) {
    catch_restore(th, &cf);
    gil_leave(th);
    return -1;
  }
  cv->vm->embedded_descs = cons(th, make_foreign(th, NIL, e, free_native_desc), cv->vm->embedded_descs);
  define_natives_in(th, d, th->vm->pkg_cl_user);
  th->dyn_top = cf.dyn_index;
  gil_leave(th);
  return 0;
}

void clove_error(CloveVM *cv, const char *message) {
  Thread *th = api_thread(cv);
  simple_error(th, "~A", make_string_c(th, message));
}

/* ---- values for natives ---- */

CloveValue clove_nil(CloveVM *cv) {
  UNUSED(cv);
  return NIL;
}
CloveValue clove_t(CloveVM *cv) { return cv->vm->sym.s_t; }
CloveValue clove_int(CloveVM *cv, int64_t n) { return make_integer(api_thread(cv), (intptr_t)n); }
CloveValue clove_double(CloveVM *cv, double d) { return make_double(api_thread(cv), d); }
CloveValue clove_string(CloveVM *cv, const char *s) { return make_string_c(api_thread(cv), s); }
CloveValue clove_cons(CloveVM *cv, CloveValue a, CloveValue b) { return cons(api_thread(cv), a, b); }
int clove_is_int(CloveValue v) { return is_integer(v); }

CloveValue clove_symbol(CloveVM *cv, const char *name) {
  Thread *th = api_thread(cv);
  const char *colon = strchr(name, ':');
  if (!colon) return intern_c(th, name, th->vm->pkg_cl_user);
  char *pkgname = strndup(name, (size_t)(colon - name));
  Value pkg = find_package(th, make_string_c(th, pkgname));
  free(pkgname);
  if (pkg == NIL) simple_error(th, "There is no package named ~S .", make_string_utf8(th, name, (size_t)(colon - name)));
  while (*colon == ':') colon++;
  return intern_c(th, colon, pkg);
}

int64_t clove_to_int(CloveVM *cv, CloveValue v) {
  return (int64_t)integer_to_intptr(api_thread(cv), v, INTPTR_MIN, INTPTR_MAX, "(SIGNED-BYTE 64)");
}

double clove_to_double(CloveVM *cv, CloveValue v) { return number_to_double(api_thread(cv), v); }

char *clove_to_cstring(CloveVM *cv, CloveValue v) {
  if (!is_any_string(v)) type_error(api_thread(cv), v, cv->vm->sym.s_string);
  return string_to_cstr(v);
}

char *clove_print(CloveVM *cv, CloveValue v) { return prin1_cstr(api_thread(cv), v); }
