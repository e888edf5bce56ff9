/* process_run.c — CCL's RUN-PROGRAM: child processes (fork/execvp) with their standard
 * streams redirected, the EXTERNAL-PROCESS structure and its accessors; also GETPID and CWD. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../interp/io.h"
#include "../interp/stream.h"

extern char **environ;

/* The slots of CCL's EXTERNAL-PROCESS defstruct, in its order. WATCHED-FDS holds the
 * read ends of pipes (input fd streams) whose text is copied to the Lisp streams in
 * WATCHED-STREAMS (the same positions); TOKEN is T once the process is reaped. */
enum {
  EP_PID,
  EP_STATUS,
  EP_EXIT_CODE,
  EP_PTY,
  EP_INPUT,
  EP_OUTPUT,
  EP_ERROR,
  EP_STATUS_HOOK,
  EP_PLIST,
  EP_TOKEN,
  EP_CORE,
  EP_ARGS,
  EP_SIGNAL,
  EP_COMPLETED,
  EP_WATCHED_FDS,
  EP_WATCHED_STREAMS,
  EP_EXTERNAL_FORMAT,
  EP_COUNT
};

static const char *const slot_names[EP_COUNT] = {
    "PID",   "%STATUS", "%EXIT-CODE", "PTY",    "INPUT",     "OUTPUT",      "ERROR",           "STATUS-HOOK",    "PLIST",
    "TOKEN", "CORE",    "ARGS",       "SIGNAL", "COMPLETED", "WATCHED-FDS", "WATCHED-STREAMS", "EXTERNAL-FORMAT"};

/* EX_OSERR: what the child exits with when it cannot exec the program, as in CCL. */
#define EXEC_FAILED 71

static Value class_name(Thread *th) { return ccl_sym(th, "EXTERNAL-PROCESS"); }
static Value processes_var(Thread *th) { return ccl_sym(th, "*EXTERNAL-PROCESSES*"); }

static bool external_process_p(Thread *th, Value x) {
  if (!is_type(x, T_INSTANCE)) return false;
  Value k = instance_of(x)->klass;
  return is_type(k, T_CLASS) && class_of_obj(k)->name == class_name(th);
}

static Value check_process(Thread *th, Value x) {
  if (!external_process_p(th, x)) type_error(th, x, class_name(th));
  return x;
}

static Value *slots(Value proc) { return svec_of(instance_of(proc)->slots)->data; }

static Value make_process(Thread *th, Value args) {
  Instance *in = gc_alloc(th, T_INSTANCE, sizeof(Instance));
  Value proc = obj_value(in);
  in->klass = find_class(th, class_name(th), true);
  in->slots = make_svector(th, EP_COUNT, NIL);
  slots(proc)[EP_STATUS] = keyword_c(th, "RUNNING");
  slots(proc)[EP_ARGS] = args;
  slots(proc)[EP_TOKEN] = NIL;
  return proc;
}

/* ---- Status ---- */

static void set_status(Thread *th, Value proc, Value status, Value code, bool core) {
  Value old = slots(proc)[EP_STATUS];
  slots(proc)[EP_STATUS] = status;
  slots(proc)[EP_EXIT_CODE] = code;
  slots(proc)[EP_CORE] = BOOL(th, core);
  Value hook = slots(proc)[EP_STATUS_HOOK];
  if (hook != NIL && old != status) funcall1(th, hook, proc);
}

static bool finished(Thread *th, Value proc) {
  Value s = slots(proc)[EP_STATUS];
  return s == keyword_c(th, "EXITED") || s == keyword_c(th, "SIGNALED") || s == keyword_c(th, "ERROR");
}

static void forget_process(Thread *th, Value proc) {
  Value var = processes_var(th);
  Value kept = NIL;
  for (Value l = symbol_value_or(th, var, NIL); is_cons(l); l = CDR(l))
    if (CAR(l) != proc) kept = cons(th, CAR(l), kept);
  set_symbol_value(th, var, nreverse_list(kept));
}

/* waitpid without blocking: records a change of state (reaping the child once it has
 * ended). Returns false when the child is gone for good. */
static bool poll_child(Thread *th, Value proc) {
  if (slots(proc)[EP_TOKEN] != NIL || !is_fixnum(slots(proc)[EP_PID])) return false;
  pid_t pid = (pid_t)fixnum_val(slots(proc)[EP_PID]);
  int st = 0;
  pid_t r;
  do r = waitpid(pid, &st, WNOHANG | WUNTRACED | WCONTINUED);
  while (r < 0 && errno == EINTR);
  if (r == 0) return true;
  if (r < 0) { /* someone else reaped it: nothing more will be known */
    slots(proc)[EP_TOKEN] = SYM(t);
    forget_process(th, proc);
    return false;
  }
  if (WIFSTOPPED(st)) {
    set_status(th, proc, keyword_c(th, "STOPPED"), make_fixnum(WSTOPSIG(st)), false);
    return true;
  }
  if (WIFCONTINUED(st)) {
    set_status(th, proc, keyword_c(th, "RUNNING"), NIL, false);
    return true;
  }
  slots(proc)[EP_TOKEN] = SYM(t);
  forget_process(th, proc);
  if (WIFEXITED(st))
    set_status(th, proc, keyword_c(th, "EXITED"), make_fixnum(WEXITSTATUS(st)), false);
  else
    set_status(th, proc, keyword_c(th, "SIGNALED"), make_fixnum(WTERMSIG(st)), WCOREDUMP(st) != 0);
  return false;
}

/* Reaps every earlier child that has ended since: processes started with :wait nil
 * whose status nobody asked for leave no zombies beyond the next RUN-PROGRAM. */
static void reap_finished(Thread *th) {
  Value list = symbol_value_or(th, processes_var(th), NIL);
  for (Value l = list; is_cons(l); l = CDR(l)) poll_child(th, CAR(l));
}

/* ---- Copying a child's output into Lisp streams ---- */

/* Copies what the pipe stream src has (blocking for the first character when block)
 * to dst; returns false at end of file. */
static bool copy_available(Thread *th, Value src, Value dst, bool block) {
  Stream *s = stream_of(src);
  if (!block && s->ipos >= s->ilen && !stream_listen(th, src)) return true;
  uint32_t buf[512];
  size_t n = 0;
  bool more = true;
  do {
    Value c = stream_read_char(th, src);
    if (c == EOF_MARK) {
      more = false;
      break;
    }
    buf[n++] = char_code(c);
    if (n == sizeof buf / sizeof buf[0]) {
      stream_write_chars(th, dst, buf, n);
      n = 0;
    }
  } while (s->ipos < s->ilen);
  if (n) stream_write_chars(th, dst, buf, n);
  return more;
}

/* Copies from every watched pipe; block: until all are at end of file. */
static void drain_watched(Thread *th, Value proc, bool block) {
  for (;;) {
    Value fds = slots(proc)[EP_WATCHED_FDS], streams = slots(proc)[EP_WATCHED_STREAMS];
    if (!is_cons(fds)) return;
    intptr_t count = list_length(fds);
    Value keep_fds = NIL, keep_streams = NIL;
    for (; is_cons(fds) && is_cons(streams); fds = CDR(fds), streams = CDR(streams)) {
      Value src = CAR(fds);
      bool more;
      if (block && count > 1) {
        /* Several pipes: wait on each briefly so that none can fill up and stall the child. */
        more = io_wait(th, stream_of(src)->fd, POLLIN, 0.02, 0) == IO_READY ? copy_available(th, src, CAR(streams), true)
                                                                           : true;
      } else {
        more = copy_available(th, src, CAR(streams), block);
      }
      if (more) {
        keep_fds = cons(th, src, keep_fds);
        keep_streams = cons(th, CAR(streams), keep_streams);
      } else {
        stream_close(th, src, false);
      }
    }
    slots(proc)[EP_WATCHED_FDS] = nreverse_list(keep_fds);
    slots(proc)[EP_WATCHED_STREAMS] = nreverse_list(keep_streams);
    if (!block) return;
  }
}

/* ---- Waiting for the end ---- */

typedef struct Waiter {
  Value proc;
  int pidfd;
  bool check_stopped;
} Waiter;

static void close_pidfd(Thread *th, void *data) {
  UNUSED(th);
  Waiter *w = data;
  if (w->pidfd >= 0) close(w->pidfd);
  w->pidfd = -1;
}

/* A pidfd (Linux 5.3) is readable once the child ends, so the wait is one io_wait that
 * Ctrl-C interrupts; without one, short interruptible sleeps between polls. */
static void wait_body(Thread *th, void *data) {
  Waiter *w = data;
  double pause = 0.001;
  while (poll_child(th, w->proc)) {
    if (w->check_stopped && slots(w->proc)[EP_STATUS] == keyword_c(th, "STOPPED")) return;
    if (w->pidfd >= 0) {
      if (io_wait(th, w->pidfd, POLLIN, 1.0, 0) == IO_ERROR) {
        close(w->pidfd);
        w->pidfd = -1;
      }
    } else {
      io_sleep(th, pause);
      if (pause < 0.05) pause *= 2;
    }
  }
}

static void wait_for_exit(Thread *th, Value proc, bool check_stopped) {
  drain_watched(th, proc, true);
  if (slots(proc)[EP_TOKEN] != NIL || !is_fixnum(slots(proc)[EP_PID])) return;
  Waiter w = {proc, -1, check_stopped};
#ifdef SYS_pidfd_open
  w.pidfd = (int)syscall(SYS_pidfd_open, (pid_t)fixnum_val(slots(proc)[EP_PID]), 0);
#endif
  with_cleanup(th, wait_body, &w, close_pidfd, &w);
}

/* ---- Launching ---- */

/* Everything a launch holds outside the heap, released by one cleanup whether the
 * launch returns or unwinds. */
typedef struct Launch {
  int child_fd[3];   /* what becomes the child's 0, 1, 2; -1: inherited */
  int close_fds[8];  /* the child's ends, closed in the parent once it has forked */
  int nclose;
  char **argv, **envp;
  char *dir;
  Value proc;
  Value *keys;
  Value program, args;
} Launch;

static void free_strings(char **v) {
  if (!v) return;
  for (char **p = v; *p; p++) free(*p);
  free(v);
}

static void close_if_stream(Thread *th, Value s) {
  if (is_stream(s) && stream_of(s)->fd >= 0) stream_close(th, s, true);
}

static void launch_cleanup(Thread *th, void *data) {
  Launch *l = data;
  for (int i = 0; i < l->nclose; i++) close(l->close_fds[i]);
  l->nclose = 0;
  if (!is_fixnum(slots(l->proc)[EP_PID])) { /* no child: the parent's ends go too */
    close_if_stream(th, slots(l->proc)[EP_INPUT]);
    close_if_stream(th, slots(l->proc)[EP_OUTPUT]);
    close_if_stream(th, slots(l->proc)[EP_ERROR]);
    for (Value w = slots(l->proc)[EP_WATCHED_FDS]; is_cons(w); w = CDR(w)) close_if_stream(th, CAR(w));
    slots(l->proc)[EP_WATCHED_FDS] = slots(l->proc)[EP_WATCHED_STREAMS] = NIL;
  }
  free_strings(l->argv);
  free_strings(l->envp);
  free(l->dir);
  l->argv = l->envp = NULL;
  l->dir = NULL;
}

static int keep_fd(Launch *l, int fd) {
  l->close_fds[l->nclose++] = fd;
  return fd;
}

static NORETURN void errno_error(Thread *th, const char *what, int err) {
  simple_error(th, "~a failed: ~a", make_string_c(th, what), make_string_c(th, strerror(err)));
}

static void make_pipe(Thread *th, int fds[2]) {
  if (pipe2(fds, O_CLOEXEC) == 0) return;
  if (errno == EMFILE || errno == ENFILE) { /* unreachable streams may be holding descriptors */
    gc_collect(th);
    if (pipe2(fds, O_CLOEXEC) == 0) return;
  }
  errno_error(th, "pipe", errno);
}

/* A file for the child: OPEN (so its errors and :if-exists are OPEN's), then a duplicate
 * of its descriptor, and the stream closed. */
static int open_for_child(Thread *th, Launch *l, Value path, bool output, Value if_key, Value if_value) {
  Value kw[6];
  int n = 0;
  kw[n++] = keyword_c(th, "DIRECTION");
  kw[n++] = keyword_c(th, output ? "OUTPUT" : "INPUT");
  if (supplied(if_value)) {
    kw[n++] = if_key;
    kw[n++] = if_value;
  }
  Value args[7];
  args[0] = path;
  for (int i = 0; i < n; i++) args[i + 1] = kw[i];
  Value s = call_function(th, intern_c(th, "OPEN", th->vm->pkg_cl), n + 1, args);
  if (!is_stream(s) || stream_of(s)->fd < 0) simple_error(th, "Can't open ~s for the program.", path);
  int fd = fcntl(stream_of(s)->fd, F_DUPFD_CLOEXEC, 3);
  int err = errno;
  stream_close(th, s, false);
  if (fd < 0) errno_error(th, "dup", err);
  return keep_fd(l, fd);
}

/* Input from a Lisp stream: its characters go to an unlinked temporary file, as CCL does. */
static int input_from_stream(Thread *th, Launch *l, Value stream) {
  char path[] = "/tmp/lisp-tempXXXXXX";
  int fd = mkostemp(path, O_CLOEXEC);
  if (fd < 0) errno_error(th, "mkstemp", errno);
  unlink(path);
  keep_fd(l, fd);
  int copy = fcntl(fd, F_DUPFD_CLOEXEC, 3);
  if (copy < 0) errno_error(th, "dup", errno);
  Value out = make_fd_stream(th, copy, STRM_OUTPUT | STRM_OWN_FD, NIL);
  for (;;) {
    Value c = stream_read_char(th, stream);
    if (c == EOF_MARK) break;
    stream_write_char(th, out, char_code(c));
  }
  stream_close(th, out, false);
  lseek(fd, 0, SEEK_SET);
  return fd;
}

static int null_device(Thread *th, Launch *l, int flags) {
  int fd = open("/dev/null", flags | O_CLOEXEC);
  if (fd < 0) file_errno_error(th, make_string_c(th, "/dev/null"), errno);
  return keep_fd(l, fd);
}

/* CCL's get-descriptor-for: the child's descriptor for spec and, for :stream, the
 * parent's stream in *parent_stream. */
static int descriptor_for(Thread *th, Launch *l, Value spec, bool output, Value if_key, Value if_value,
                          Value *parent_stream) {
  *parent_stream = NIL;
  if (spec == SYM(t)) return -1;
  if (spec == NIL) return null_device(th, l, output ? O_WRONLY : O_RDONLY);
  if (spec == keyword_c(th, "STREAM")) {
    int p[2];
    make_pipe(th, p);
    if (output) {
      keep_fd(l, p[1]);
      *parent_stream = make_fd_stream(th, p[0], STRM_INPUT | STRM_OWN_FD | STRM_AUTO_CLOSE, NIL);
      return p[1];
    }
    keep_fd(l, p[0]);
    *parent_stream = make_fd_stream(th, p[1], STRM_OUTPUT | STRM_OWN_FD | STRM_AUTO_CLOSE, NIL);
    return p[0];
  }
  if (is_any_string(spec)) return open_for_child(th, l, spec, output, if_key, if_value);
  if (is_stream(spec)) {
    if (!output) return input_from_stream(th, l, spec);
    int p[2];
    make_pipe(th, p);
    keep_fd(l, p[1]);
    Value src = make_fd_stream(th, p[0], STRM_INPUT | STRM_OWN_FD | STRM_AUTO_CLOSE, NIL);
    Value proc = l->proc;
    slots(proc)[EP_WATCHED_FDS] = cons(th, src, slots(proc)[EP_WATCHED_FDS]);
    slots(proc)[EP_WATCHED_STREAMS] = cons(th, spec, slots(proc)[EP_WATCHED_STREAMS]);
    return p[1];
  }
  type_error_c(th, spec, output ? "(OR NULL (EQL T) (EQL :STREAM) STRING PATHNAME STREAM)"
                                : "(OR NULL (EQL T) (EQL :STREAM) STRING PATHNAME STREAM)");
}

static char *cstring_of(Thread *th, Value s) {
  if (!is_any_string(s)) type_error(th, s, SYM(string));
  return string_to_cstr(s);
}

/* The child's environment: ours with CCL's :env alist applied, or exactly :environment
 * (a list of "NAME=VALUE" strings). NULL: inherit ours unchanged. */
static char **build_environment(Thread *th, Value env, Value environment) {
  if (supplied(environment) && environment != NIL) {
    intptr_t n = list_length(check_list(th, environment));
    if (n < 0) type_error(th, environment, SYM(list));
    for (Value e = environment; is_cons(e); e = CDR(e))
      if (!is_any_string(CAR(e))) type_error(th, CAR(e), SYM(string));
    char **v = calloc((size_t)n + 1, sizeof *v);
    intptr_t i = 0;
    for (Value e = environment; is_cons(e); e = CDR(e)) v[i++] = string_to_cstr(CAR(e));
    return v;
  }
  if (!supplied(env) || env == NIL) return NULL;
  intptr_t n = list_length(check_list(th, env));
  if (n < 0) type_error(th, env, SYM(list));
  /* Check every pair before allocating, so that an error leaks nothing. */
  for (Value e = env; is_cons(e); e = CDR(e)) {
    Value pair = CAR(e);
    if (!is_cons(pair)) type_error(th, pair, SYM(cons));
    Value var = CAR(pair), val = CDR(pair);
    if (!is_any_string(var) && !is_symbol(var) && !is_char(var)) type_error_c(th, var, "(OR STRING SYMBOL CHARACTER)");
    if (!is_any_string(val)) type_error(th, val, SYM(string));
  }
  size_t ours = 0;
  while (environ[ours]) ours++;
  char **v = calloc(ours + (size_t)n + 1, sizeof *v);
  size_t count = 0;
  for (size_t i = 0; i < ours; i++) v[count++] = strdup(environ[i]);
  for (Value e = env; is_cons(e); e = CDR(e)) {
    Value var = CAR(CAR(e));
    Value name = is_any_string(var) ? var : funcall1(th, intern_c(th, "STRING", th->vm->pkg_cl), var);
    char *k = string_to_cstr(name), *val = string_to_cstr(CDR(CAR(e)));
    size_t klen = strlen(k);
    char *entry = malloc(klen + strlen(val) + 2);
    sprintf(entry, "%s=%s", k, val);
    size_t j = 0;
    while (j < count && !(strncmp(v[j], k, klen) == 0 && v[j][klen] == '=')) j++;
    if (j < count) {
      free(v[j]);
      v[j] = entry;
    } else {
      v[count++] = entry;
    }
    free(k);
    free(val);
  }
  v[count] = NULL;
  return v;
}

/* In the child: only async-signal-safe calls between fork and exec. */
static NORETURN void exec_child(Launch *l) {
  setpgid(0, 0); /* as CCL: the terminal's Ctrl-C goes to Lisp, not to the child */
  for (int i = 0; i < 3; i++) {
    int fd = l->child_fd[i];
    if (fd < 0) continue;
    if (fd == i)
      fcntl(fd, F_SETFD, 0);
    else
      dup2(fd, i);
  }
#ifdef SYS_close_range
  if (syscall(SYS_close_range, 3, ~0U, 0) != 0)
#endif
  {
    long max = sysconf(_SC_OPEN_MAX);
    if (max < 0 || max > 65536) max = 65536;
    for (int fd = 3; fd < max; fd++) close(fd);
  }
  if (l->dir && chdir(l->dir) != 0) _exit(EXEC_FAILED);
  if (l->envp)
    execvpe(l->argv[0], l->argv, l->envp);
  else
    execvp(l->argv[0], l->argv);
  _exit(EXEC_FAILED);
}

/* Keyword positions in the native's argument vector (after PROGRAM and ARGS). */
enum {
  K_WAIT = 2,
  K_PTY,
  K_INPUT,
  K_IF_INPUT_DOES_NOT_EXIST,
  K_OUTPUT,
  K_IF_OUTPUT_EXISTS,
  K_ERROR,
  K_IF_ERROR_EXISTS,
  K_STATUS_HOOK,
  K_ELEMENT_TYPE,
  K_ENV,
  K_SHARING,
  K_EXTERNAL_FORMAT,
  K_SILENTLY_IGNORE,
  K_ENVIRONMENT,
  K_DIRECTORY
};

static void launch_body(Thread *th, void *data) {
  Launch *l = data;
  Value *keys = l->keys;
  Value proc = l->proc;
  Value in_stream, out_stream, err_stream;
  /* Each parent-side stream goes into the process at once, so the cleanup finds it. */
  l->child_fd[0] = descriptor_for(th, l, arg_or(keys[K_INPUT], NIL), false, keyword_c(th, "IF-DOES-NOT-EXIST"),
                                  keys[K_IF_INPUT_DOES_NOT_EXIST], &in_stream);
  slots(proc)[EP_INPUT] = in_stream;
  Value if_exists = arg_or(keys[K_IF_OUTPUT_EXISTS], keyword_c(th, "ERROR"));
  l->child_fd[1] =
      descriptor_for(th, l, arg_or(keys[K_OUTPUT], NIL), true, keyword_c(th, "IF-EXISTS"), if_exists, &out_stream);
  slots(proc)[EP_OUTPUT] = out_stream;
  Value error = arg_or(keys[K_ERROR], keyword_c(th, "OUTPUT"));
  if (error == keyword_c(th, "OUTPUT")) {
    l->child_fd[2] = l->child_fd[1];
    err_stream = out_stream;
  } else {
    Value if_err = arg_or(keys[K_IF_ERROR_EXISTS], keyword_c(th, "ERROR"));
    l->child_fd[2] = descriptor_for(th, l, error, true, keyword_c(th, "IF-EXISTS"), if_err, &err_stream);
  }
  slots(proc)[EP_ERROR] = err_stream;

  l->envp = build_environment(th, keys[K_ENV], keys[K_ENVIRONMENT]);
  Value dir = arg_or(keys[K_DIRECTORY], NIL);
  if (dir != NIL) {
    l->dir = cstring_of(th, dir);
    struct stat st;
    if (stat(l->dir, &st) != 0) file_errno_error(th, dir, errno);
    if (!S_ISDIR(st.st_mode)) file_errno_error(th, dir, ENOTDIR);
  }
  intptr_t argc = list_length(l->args);
  l->argv = calloc((size_t)argc + 1, sizeof(char *));
  intptr_t i = 0;
  for (Value a = l->args; is_cons(a); a = CDR(a)) l->argv[i++] = string_to_cstr(CAR(a));

  /* What the child writes to an inherited descriptor should come after what Lisp wrote. */
  streams_flush_all(th);
  pid_t pid = fork();
  if (pid == 0) exec_child(l);
  if (pid < 0) {
    int err = errno;
    slots(proc)[EP_STATUS] = keyword_c(th, "ERROR");
    slots(proc)[EP_EXIT_CODE] = make_fixnum(err);
    if (keys[K_SILENTLY_IGNORE] != NIL && supplied(keys[K_SILENTLY_IGNORE])) return;
    simple_error(th, "Fork failed in ~s: ~a. ", proc, make_string_c(th, strerror(err)));
  }
  slots(proc)[EP_PID] = make_fixnum(pid);
  Value var = processes_var(th);
  set_symbol_value(th, var, cons(th, proc, symbol_value_or(th, var, NIL)));
}

static Value fn_run_program(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value program = args[0], pargs = args[1];
  if (!is_any_string(program)) type_error_c(th, program, "(OR STRING PATHNAME)");
  if (list_length(check_list(th, pargs)) < 0) type_error(th, pargs, SYM(list));
  for (Value a = pargs; is_cons(a); a = CDR(a))
    if (!is_string(CAR(a))) simple_error(th, "Program args must all be simple strings : ~s", pargs);
  reap_finished(th);
  Value all = cons(th, program, pargs);
  Launch l;
  memset(&l, 0, sizeof l);
  l.child_fd[0] = l.child_fd[1] = l.child_fd[2] = -1;
  l.proc = make_process(th, all);
  l.keys = args;
  l.program = program;
  l.args = all;
  slots(l.proc)[EP_STATUS_HOOK] = arg_or(args[K_STATUS_HOOK], NIL);
  slots(l.proc)[EP_EXTERNAL_FORMAT] = arg_or(args[K_EXTERNAL_FORMAT], keyword_c(th, "DEFAULT"));
  with_cleanup(th, launch_body, &l, launch_cleanup, &l);
  Value proc = l.proc;
  if (arg_or(args[K_WAIT], SYM(t)) != NIL && is_fixnum(slots(proc)[EP_PID])) wait_for_exit(th, proc, false);
  return proc;
}

/* ---- Accessors ---- */

/* Brings the status up to date and copies what has arrived from the child. */
static void refresh(Thread *th, Value proc) {
  if (is_cons(slots(proc)[EP_WATCHED_FDS])) drain_watched(th, proc, false);
  if (!finished(th, proc) && !poll_child(th, proc)) drain_watched(th, proc, true);
}

static Value fn_external_process_status(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value proc = check_process(th, args[0]);
  refresh(th, proc);
  return values2(th, slots(proc)[EP_STATUS], slots(proc)[EP_EXIT_CODE]);
}

static Value fn_external_process_id(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return slots(check_process(th, args[0]))[EP_PID];
}

static Value fn_external_process_input_stream(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return slots(check_process(th, args[0]))[EP_INPUT];
}

static Value fn_external_process_output_stream(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return slots(check_process(th, args[0]))[EP_OUTPUT];
}

static Value fn_external_process_error_stream(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return slots(check_process(th, args[0]))[EP_ERROR];
}

static Value fn_external_process_p(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return BOOL(th, external_process_p(th, args[0]));
}

static Value fn_external_process_wait(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value proc = check_process(th, args[0]);
  wait_for_exit(th, proc, arg_or(args[1], NIL) != NIL);
  return NIL;
}

static Value fn_signal_external_process(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value proc = check_process(th, args[0]);
  int sig = (int)integer_to_intptr(th, args[1], 0, 64, "(INTEGER 0 64)");
  Value pid = slots(proc)[EP_PID];
  if (!is_fixnum(pid)) return NIL;
  bool error_if_exited = arg_or(args[2], SYM(t)) != NIL;
  /* A reaped pid may belong to another process by now: never signal it. */
  if (slots(proc)[EP_TOKEN] != NIL) {
    if (!error_if_exited) return NIL;
    simple_error(th, "~a", make_string_c(th, strerror(ESRCH)));
  }
  if (kill((pid_t)fixnum_val(pid), sig) == 0) return SYM(t);
  int err = errno;
  if (err == ESRCH && !error_if_exited) return NIL;
  simple_error(th, "~a", make_string_c(th, strerror(err)));
}

/* #<EXTERNAL-PROCESS (echo hi)[1234] (EXITED : 0) #x...>, as CCL's print-object. */
static Value fn_print_external_process(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value proc = args[0], stream = stream_designator_out(th, args[1]);
  if (symbol_value_or(th, SYM(print_readably), NIL) != NIL) {
    print_unreadable_object(th, proc, stream, true, true, NIL);
    return NIL;
  }
  Value status = slots(proc)[EP_STATUS];
  stream_write_cstr(th, stream, "#<EXTERNAL-PROCESS ");
  size_t top = th->dyn_top;
  bind_special(th, SYM(print_length), make_fixnum(3));
  print_object(th, slots(proc)[EP_ARGS], stream, false);
  unwind_to(th, top);
  Value rest = format_to_string(th, make_string_c(th, "[~d] (~a"), list2(th, slots(proc)[EP_PID], status));
  stream_write_string(th, stream, rest);
  if (status != keyword_c(th, "RUNNING"))
    stream_write_string(th, stream, format_to_string(th, make_string_c(th, " : ~d"), list1(th, slots(proc)[EP_EXIT_CODE])));
  char buf[40];
  snprintf(buf, sizeof buf, ") #x%jX>", (uintmax_t)proc);
  stream_write_cstr(th, stream, buf);
  return NIL;
}

/* ---- The process itself ---- */

static Value fn_getpid(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  UNUSED(args);
  return make_integer(th, getpid());
}

/* The working directory as a directory name (with a final slash), as CCL's. */
static Value current_directory(Thread *th) {
  size_t cap = 256;
  for (;;) {
    char *buf = malloc(cap + 1);
    if (getcwd(buf, cap) != NULL) {
      size_t n = strlen(buf);
      if (n > 1 || buf[0] != '/') {
        buf[n] = '/';
        buf[n + 1] = 0;
      }
      Value s = make_string_c(th, buf);
      free(buf);
      return s;
    }
    int err = errno;
    free(buf);
    if (err != ERANGE) errno_error(th, "getcwd", err);
    cap *= 2;
  }
}

static Value fn_current_directory(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  UNUSED(args);
  return current_directory(th);
}

static Value fn_cwd(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value path = args[0];
  if (!is_any_string(path)) type_error_c(th, path, "(OR STRING PATHNAME)");
  char *p = string_to_cstr(path);
  struct stat st;
  int r = stat(p, &st);
  if (r != 0) {
    free(p);
    simple_error(th, "Invalid pathname : ~s.", path);
  }
  if (!S_ISDIR(st.st_mode)) {
    free(p);
    simple_error(th, "~S is not a directory pathname.", path);
  }
  r = chdir(p);
  int err = errno;
  free(p);
  if (r != 0) file_errno_error(th, path, err);
  return current_directory(th);
}

static const NativeDesc process_natives[] = {
    {"CCL:RUN-PROGRAM", fn_run_program, 2, 2, 0,
     "wait pty input if-input-does-not-exist output if-output-exists error if-error-exists status-hook "
     "element-type env sharing external-format silently-ignore-catastrophic-failures environment directory",
     "(program args &key (wait t) pty input if-input-does-not-exist output (if-output-exists :error) "
     "(error :output) (if-error-exists :error) status-hook (element-type 'character) env (sharing :private) "
     "external-format silently-ignore-catastrophic-failures environment directory)",
     "Invoke an external program as an OS subprocess of lisp."},
    {"CCL:EXTERNAL-PROCESS-STATUS", fn_external_process_status, 1, 1, NAT_MV, NULL, "(proc)",
     "Return information about whether an OS subprocess is running; or, if not, why not; and what its "
     "result code was if it completed."},
    {"CCL:EXTERNAL-PROCESS-ID", fn_external_process_id, 1, 1, 0, NULL, "(proc)",
     "Return the process id of an OS subprocess, a positive integer which identifies it."},
    {"CCL:EXTERNAL-PROCESS-INPUT-STREAM", fn_external_process_input_stream, 1, 1, 0, NULL, "(proc)",
     "Return the lisp stream which is used to write input to a given OS subprocess, if it has one."},
    {"CCL:EXTERNAL-PROCESS-OUTPUT-STREAM", fn_external_process_output_stream, 1, 1, 0, NULL, "(proc)",
     "Return the lisp stream which is used to read output from a given OS subprocess, if there is one."},
    {"CCL:EXTERNAL-PROCESS-ERROR-STREAM", fn_external_process_error_stream, 1, 1, 0, NULL, "(proc)",
     "Return the stream which is used to read error output from a given OS subprocess, if it has one."},
    {"CCL::EXTERNAL-PROCESS-P", fn_external_process_p, 1, 1, 0, NULL, "(object)",
     "True if OBJECT is an EXTERNAL-PROCESS."},
    {"CCL::EXTERNAL-PROCESS-WAIT", fn_external_process_wait, 1, 2, 0, NULL, "(proc &optional check-stopped)",
     "Wait until the OS subprocess has ended (or stopped, with CHECK-STOPPED)."},
    {"CCL:SIGNAL-EXTERNAL-PROCESS", fn_signal_external_process, 2, 2, 0, "error-if-exited",
     "(proc signal &key (error-if-exited t))",
     "Send the specified signal to the specified external process. Return T if successful; NIL if the "
     "process wasn't created successfully, and signal an error otherwise."},
    {"CCL::%PRINT-EXTERNAL-PROCESS", fn_print_external_process, 2, 2, 0, NULL, "(proc stream)",
     "Prints an EXTERNAL-PROCESS as CCL does."},
    {"CCL::GETPID", fn_getpid, 0, 0, 0, NULL, "()", "Return the ID of the Clozure CL OS process."},
    {"CCL:CURRENT-DIRECTORY", fn_current_directory, 0, 0, 0, NULL, "()",
     "The working directory of the process, as a directory name."},
    {"CCL:CWD", fn_cwd, 1, 1, 0, NULL, "(path)", "Makes PATH the working directory; returns the new one."},
    {0},
};

void builtins_process_run_init(Thread *th) {
  define_natives(th, process_natives);
  Value slot_defs = NIL;
  for (int i = EP_COUNT - 1; i >= 0; i--) slot_defs = cons(th, list2(th, SYM(k_name), ccl_sym(th, slot_names[i])), slot_defs);
  Value name = class_name(th);
  export_symbol(th, name, th->vm->pkg_ccl);
  Value cls = define_class(th, CK_STRUCTURE, name, NIL, slot_defs);
  Value printer = symbol_of(th, ccl_sym(th, "%PRINT-EXTERNAL-PROCESS"))->function;
  class_of_obj(cls)->plist = cons(th, keyword_c(th, "PRINT-OBJECT"), cons(th, printer, class_of_obj(cls)->plist));
  Symbol *var = symbol_of(th, processes_var(th));
  var->h.flags |= SYM_SPECIAL;
  if (var->value == UNBOUND) var->value = NIL;
}
