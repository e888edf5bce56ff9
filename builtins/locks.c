/* locks.c — CCL's locks (recursive), read-write locks and semaphores, with the
 * acquisition / notification objects that report whether a wait succeeded. */
#include <stdlib.h>

#include "../interp/control.h"
#include "../interp/io.h"
#include "../interp/stream.h"

/* The state of every lock kind changes only while the changing thread holds the
 * interpreter lock, and no Lisp code runs in between, so a native is atomic: no
 * mutex of its own is needed, only a condition to sleep on (thread_wait). */
enum LockKind { LK_RECURSIVE, LK_RW, LK_SEMAPHORE };

typedef struct Sync {
  int kind;
  Thread *owner; /* recursive lock; the writer of a read-write lock */
  long count;    /* recursion count; rw: > 0 write depth, < 0 minus the readers; semaphore count */
  pthread_cond_t cond;
  char *whostate[2]; /* CCL's "Lock wait for RECURSIVE-LOCK name @ #x…" (rw: read, write), made on first wait */
} Sync;

static void sync_finalize(void *payload) {
  Sync *s = payload;
  pthread_cond_destroy(&s->cond);
  free(s->whostate[0]);
  free(s->whostate[1]);
  free(s);
}

/* CCL's %LOCK-WHOSTATE-STRING: "Lock wait for RECURSIVE-LOCK counter @ #x55D1…". */
static const char *lock_whostate(Thread *th, Value lock, int which, const char *what) {
  Sync *s = ((Foreign *)lock)->payload;
  if (s->whostate[which])
    return s->whostate[which];
  Value out = make_string_output_stream(th);
  stream_write_cstr(th, out, what);
  stream_write_cstr(th, out, " for ");
  print_object(th, ((Foreign *)lock)->tag, out, false);
  stream_write_cstr(th, out, " ");
  if (((Foreign *)lock)->data != NIL) {
    print_object(th, ((Foreign *)lock)->data, out, false);
    stream_write_cstr(th, out, " ");
  }
  char buf[32];
  snprintf(buf, sizeof buf, "@ #x%lX", (unsigned long)(uintptr_t)s);
  stream_write_cstr(th, out, buf);
  s->whostate[which] = string_to_cstr(get_output_stream_string(th, out));
  return s->whostate[which] ? s->whostate[which] : what;
}

static Sync *sync_of(Thread *th, Value v, int kind, const char *type) {
  if (!is_type(v, T_FOREIGN) || ((Foreign *)v)->finalize != sync_finalize ||
      ((Sync *)((Foreign *)v)->payload)->kind != kind)
    type_error(th, v, ccl_sym(th, type));
  return ((Foreign *)v)->payload;
}

bool is_semaphore(Thread *th, Value v) {
  UNUSED(th);
  return is_type(v, T_FOREIGN) && ((Foreign *)v)->finalize == sync_finalize &&
         ((Sync *)((Foreign *)v)->payload)->kind == LK_SEMAPHORE;
}

static void print_sync(Thread *th, Value v, Value stream) {
  Foreign *f = (Foreign *)v;
  stream_write_cstr(th, stream, "#<");
  print_object(th, f->tag, stream, false);
  stream_write_cstr(th, stream, " ");
  Sync *s = f->payload;
  if (s->kind != LK_SEMAPHORE) {
    if (f->data != NIL) {
      print_object(th, f->data, stream, true);
      stream_write_cstr(th, stream, " ");
    }
    char buf[48];
    snprintf(buf, sizeof buf, "[ptr @ #x%lX] ", (unsigned long)(uintptr_t)s);
    stream_write_cstr(th, stream, buf);
  }
  char buf[32];
  snprintf(buf, sizeof buf, "#x%lX>", (unsigned long)v);
  stream_write_cstr(th, stream, buf);
}

static Value make_sync(Thread *th, int kind, const char *type, Value name, long count) {
  Sync *s = calloc(1, sizeof *s);
  if (!s) lisp_error(th, SYM(storage_condition), "Can't allocate a ~A.", make_string_c(th, type));
  s->kind = kind;
  s->count = count;
  thread_cond_init(&s->cond);
  Value v = make_foreign(th, ccl_sym(th, type), s, sync_finalize);
  ((Foreign *)v)->data = name;
  ((Foreign *)v)->print = print_sync;
  return v;
}

/* ---- Acquisition and notification flags ---- */

static void print_flag(Thread *th, Value v, Value stream) {
  stream_write_cstr(th, stream, "#<");
  print_object(th, ((Foreign *)v)->tag, stream, false);
  stream_write_cstr(th, stream, " [status = ");
  print_object(th, ((Foreign *)v)->data, stream, true);
  char buf[32];
  snprintf(buf, sizeof buf, "] #x%lX>", (unsigned long)v);
  stream_write_cstr(th, stream, buf);
}

static Value make_flag(Thread *th, const char *type) {
  Value v = make_foreign(th, ccl_sym(th, type), NULL, NULL);
  ((Foreign *)v)->data = NIL;
  ((Foreign *)v)->print = print_flag;
  return v;
}

static bool is_flag(Thread *th, Value v, const char *type) {
  return is_type(v, T_FOREIGN) && ((Foreign *)v)->print == print_flag && ((Foreign *)v)->tag == ccl_sym(th, type);
}

/* The optional FLAG argument: NIL, or an object of type whose status is reset now. */
static Value check_flag(Thread *th, Value flag, const char *type) {
  flag = arg_or(flag, NIL);
  if (flag == NIL) return NIL;
  if (!is_flag(th, flag, type)) type_error(th, flag, ccl_sym(th, type));
  ((Foreign *)flag)->data = NIL;
  return flag;
}

static void set_flag(Thread *th, Value flag, bool status) {
  if (flag != NIL) ((Foreign *)flag)->data = BOOL(th, status);
}

static Value fn_make_lock_acquisition(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  UNUSED(args);
  return make_flag(th, "LOCK-ACQUISITION");
}

static Value fn_make_semaphore_notification(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  UNUSED(args);
  return make_flag(th, "SEMAPHORE-NOTIFICATION");
}

static Value flag_status(Thread *th, Value v, const char *type, bool clear) {
  if (!is_flag(th, v, type)) type_error(th, v, ccl_sym(th, type));
  Value status = ((Foreign *)v)->data;
  if (clear) ((Foreign *)v)->data = NIL;
  return clear ? NIL : status;
}

static Value fn_lock_acquisition_status(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return flag_status(th, args[0], "LOCK-ACQUISITION", false);
}
static Value fn_clear_lock_acquisition_status(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return flag_status(th, args[0], "LOCK-ACQUISITION", true);
}
static Value fn_semaphore_notification_status(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return flag_status(th, args[0], "SEMAPHORE-NOTIFICATION", false);
}
static Value fn_clear_semaphore_notification_status(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return flag_status(th, args[0], "SEMAPHORE-NOTIFICATION", true);
}

/* ---- Recursive locks ---- */

static NORETURN void lock_error(Thread *th, const char *type, Value lock) {
  Value args[2] = {intern_c(th, "LOCK", th->vm->pkg_keyword), lock};
  error_condition(th, make_condition(th, ccl_sym(th, type), 2, args));
  abort(); /* not reached: error_condition does not return */
}

static Value fn_make_lock(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return make_sync(th, LK_RECURSIVE, "RECURSIVE-LOCK", arg_or(args[0], NIL), 0);
}

static Value fn_lock_name(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value l = args[0];
  if (!is_type(l, T_FOREIGN) || ((Foreign *)l)->finalize != sync_finalize ||
      ((Sync *)((Foreign *)l)->payload)->kind == LK_SEMAPHORE)
    type_error(th, l, ccl_sym(th, "LOCK"));
  return ((Foreign *)l)->data;
}

static bool try_grab(Thread *th, Sync *s) {
  if (s->owner == th) {
    s->count++;
    return true;
  }
  if (s->owner) return false;
  s->owner = th;
  s->count = 1;
  return true;
}

static Value fn_grab_lock(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Sync *s = sync_of(th, args[0], LK_RECURSIVE, "RECURSIVE-LOCK");
  Value flag = check_flag(th, args[1], "LOCK-ACQUISITION");
  while (!try_grab(th, s)) thread_wait(th, &s->cond, 0, lock_whostate(th, args[0], 0, "Lock wait"));
  set_flag(th, flag, true);
  return SYM(t);
}

static Value fn_try_lock(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Sync *s = sync_of(th, args[0], LK_RECURSIVE, "RECURSIVE-LOCK");
  Value flag = check_flag(th, args[1], "LOCK-ACQUISITION");
  bool got = try_grab(th, s);
  set_flag(th, flag, got);
  return BOOL(th, got);
}

static Value fn_release_lock(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Sync *s = sync_of(th, args[0], LK_RECURSIVE, "RECURSIVE-LOCK");
  if (s->owner != th) lock_error(th, "NOT-LOCK-OWNER", args[0]);
  if (--s->count == 0) {
    s->owner = NULL;
    thread_notify(th->vm, &s->cond);
  }
  return NIL;
}

/* ---- Read-write locks ---- */

static Value fn_make_read_write_lock(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  UNUSED(args);
  return make_sync(th, LK_RW, "READ-WRITE-LOCK", NIL, 0);
}

static Value fn_read_lock_rwlock(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Sync *s = sync_of(th, args[0], LK_RW, "READ-WRITE-LOCK");
  Value flag = check_flag(th, args[1], "LOCK-ACQUISITION");
  if (s->count > 0 && s->owner == th)
    lock_error(th, "DEADLOCK", args[0]);
  while (s->count > 0) thread_wait(th, &s->cond, 0, lock_whostate(th, args[0], 0, "Read lock wait"));
  s->count--;
  set_flag(th, flag, true);
  return SYM(t);
}

static Value fn_write_lock_rwlock(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Sync *s = sync_of(th, args[0], LK_RW, "READ-WRITE-LOCK");
  Value flag = check_flag(th, args[1], "LOCK-ACQUISITION");
  if (s->count > 0 && s->owner == th) {
    s->count++;
  } else {
    while (s->count != 0) thread_wait(th, &s->cond, 0, lock_whostate(th, args[0], 1, "Write lock wait"));
    s->count = 1;
    s->owner = th;
  }
  set_flag(th, flag, true);
  return SYM(t);
}

static Value fn_unlock_rwlock(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Sync *s = sync_of(th, args[0], LK_RW, "READ-WRITE-LOCK");
  if (s->count > 0) {
    if (s->owner != th) lock_error(th, "NOT-LOCK-OWNER", args[0]);
    if (--s->count == 0) s->owner = NULL;
  } else if (s->count < 0) {
    s->count++;
  } else {
    lock_error(th, "NOT-LOCKED", args[0]);
  }
  if (s->count == 0) thread_notify(th->vm, &s->cond);
  return NIL;
}

/* ---- Semaphores ---- */

static Value fn_make_semaphore(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value count = arg_or(args[0], make_fixnum(0));
  if (!is_fixnum(count) || fixnum_val(count) < 0) type_error_c(th, count, "(INTEGER 0)");
  return make_sync(th, LK_SEMAPHORE, "SEMAPHORE", NIL, (long)fixnum_val(count));
}

Value make_semaphore_object(Thread *th, long count) { return make_sync(th, LK_SEMAPHORE, "SEMAPHORE", NIL, count); }

void semaphore_signal(Thread *th, Value sem) {
  Sync *s = sync_of(th, sem, LK_SEMAPHORE, "SEMAPHORE");
  s->count++;
  thread_notify(th->vm, &s->cond);
}

static Value fn_signal_semaphore(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  semaphore_signal(th, args[0]);
  return NIL;
}

/* Takes one unit, waiting until deadline (0: none); true if it got one. */
static bool semaphore_take(Thread *th, Sync *s, double deadline, const char *whostate) {
  while (s->count == 0)
    if (thread_wait(th, &s->cond, deadline, whostate) == IO_TIMEOUT && s->count == 0) return false;
  s->count--;
  return true;
}

static void free_text(Thread *th, void *text) {
  UNUSED(th);
  free(text);
}

static Value fn_wait_on_semaphore(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Sync *s = sync_of(th, args[0], LK_SEMAPHORE, "SEMAPHORE");
  Value flag = check_flag(th, args[1], "SEMAPHORE-NOTIFICATION");
  Value ws = arg_or(args[2], NIL);
  if (ws != NIL && !is_any_string(ws)) type_error(th, ws, SYM(string));
  /* The whostate text must outlive the wait; a C copy is freed by the cleanup. */
  char *text = ws != NIL ? string_to_cstr(ws) : NULL;
  size_t top = th->dyn_top;
  DynEntry e = {.kind = DYN_UNWIND, .ccleanup = free_text, .cdata = text};
  if (text) dyn_push(th, e);
  semaphore_take(th, s, 0, text ? text : "semaphore wait");
  set_flag(th, flag, true);
  unwind_to(th, top);
  return SYM(t);
}

static Value fn_timed_wait_on_semaphore(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Sync *s = sync_of(th, args[0], LK_SEMAPHORE, "SEMAPHORE");
  Value d = args[1];
  if (!is_real(d) || number_to_double(th, d) < 0) type_error_c(th, d, "(REAL 0)");
  Value flag = check_flag(th, args[2], "SEMAPHORE-NOTIFICATION");
  double secs = number_to_double(th, d);
  bool got = s->count > 0 ? semaphore_take(th, s, 0, NULL)
                          : secs > 0 && semaphore_take(th, s, io_now() + secs, "Semaphore timed wait");
  set_flag(th, flag, got);
  return BOOL(th, got);
}

static Value fn_semaphore_value(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return make_fixnum(sync_of(th, args[0], LK_SEMAPHORE, "SEMAPHORE")->count);
}

static const NativeDesc lock_natives[] = {
    {"CCL:MAKE-LOCK", fn_make_lock, 0, 1, 0, NULL, "(&optional name)",
     "Create and return a lock: one process at a time holds it; the holder may grab it again (it is "
     "recursive)."},
    {"CCL:LOCK-NAME", fn_lock_name, 1, 1, 0, NULL, "(lock)", "Return the name given to MAKE-LOCK, or NIL."},
    {"CCL:GRAB-LOCK", fn_grab_lock, 1, 2, 0, NULL, "(lock &optional flag)",
     "Wait until LOCK is free (or held by this process), then hold it. Return T; set FLAG's status."},
    {"CCL:RELEASE-LOCK", fn_release_lock, 1, 1, 0, NULL, "(lock)",
     "Give up one hold of LOCK; signals an error unless the current process holds it."},
    {"CCL:TRY-LOCK", fn_try_lock, 1, 2, 0, NULL, "(lock &optional flag)",
     "Hold LOCK if that needs no waiting: return T if it is now held, NIL if another process holds it."},
    {"CCL:MAKE-READ-WRITE-LOCK", fn_make_read_write_lock, 0, 0, 0, NULL, "()",
     "Create a lock that many readers, or one writer, can hold at once."},
    {"CCL::READ-LOCK-RWLOCK", fn_read_lock_rwlock, 1, 2, 0, NULL, "(lock &optional flag)",
     "Wait until no writer holds LOCK, then hold it for reading."},
    {"CCL::WRITE-LOCK-RWLOCK", fn_write_lock_rwlock, 1, 2, 0, NULL, "(lock &optional flag)",
     "Wait until nobody else holds LOCK, then hold it for writing."},
    {"CCL::UNLOCK-RWLOCK", fn_unlock_rwlock, 1, 1, 0, NULL, "(lock)", "Give up a read or write hold of LOCK."},
    {"CCL:MAKE-SEMAPHORE", fn_make_semaphore, 0, 0, 0, "count", "(&key (count 0))",
     "Create a semaphore with the given count."},
    {"CCL:SIGNAL-SEMAPHORE", fn_signal_semaphore, 1, 1, 0, NULL, "(semaphore)",
     "Add one to the semaphore's count, waking a process that waits on it."},
    {"CCL:WAIT-ON-SEMAPHORE", fn_wait_on_semaphore, 1, 3, 0, NULL, "(semaphore &optional flag whostate)",
     "Wait until the semaphore's count is positive, then take one from it. Return T."},
    {"CCL:TIMED-WAIT-ON-SEMAPHORE", fn_timed_wait_on_semaphore, 2, 3, 0, NULL,
     "(semaphore duration &optional notification)",
     "As WAIT-ON-SEMAPHORE, but give up after DURATION seconds: return T if a count was taken, else NIL."},
    {"CCL::SEMAPHORE-VALUE", fn_semaphore_value, 1, 1, 0, NULL, "(semaphore)",
     "The semaphore's current count."},
    {"CCL:MAKE-LOCK-ACQUISITION", fn_make_lock_acquisition, 0, 0, 0, NULL, "()",
     "An object whose status GRAB-LOCK and friends set to T when they obtain the lock."},
    {"CCL:LOCK-ACQUISITION-STATUS", fn_lock_acquisition_status, 1, 1, 0, NULL, "(lock-acquisition)",
     "T once the lock was obtained through this object."},
    {"CCL:CLEAR-LOCK-ACQUISITION-STATUS", fn_clear_lock_acquisition_status, 1, 1, 0, NULL,
     "(lock-acquisition)", "Set the status back to NIL."},
    {"CCL:MAKE-SEMAPHORE-NOTIFICATION", fn_make_semaphore_notification, 0, 0, 0, NULL, "()",
     "An object whose status the semaphore waits set to T when they take a count."},
    {"CCL:SEMAPHORE-NOTIFICATION-STATUS", fn_semaphore_notification_status, 1, 1, 0, NULL,
     "(semaphore-notification)", "T once a count was taken through this object."},
    {"CCL:CLEAR-SEMAPHORE-NOTIFICATION-STATUS", fn_clear_semaphore_notification_status, 1, 1, 0, NULL,
     "(semaphore-notification)", "Set the status back to NIL."},
    {0},
};

void builtins_locks_init(Thread *th) {
  static const char *const tree[][2] = {{"LOCK", "T"},
                                        {"RECURSIVE-LOCK", "LOCK"},
                                        {"READ-WRITE-LOCK", "LOCK"},
                                        {"SEMAPHORE", "T"},
                                        {"LOCK-ACQUISITION", "T"},
                                        {"SEMAPHORE-NOTIFICATION", "T"}};
  for (size_t i = 0; i < sizeof tree / sizeof tree[0]; i++) {
    Value name = ccl_sym(th, tree[i][0]);
    Value super = find_class(th, i == 0 || tree[i][1][0] == 'T' ? SYM(t) : ccl_sym(th, tree[i][1]), true);
    if (find_class(th, name, false) == NIL) define_class(th, CK_BUILTIN, name, list1(th, super), NIL);
  }
  static const char *const exported[] = {"LOCK", "READ-WRITE-LOCK", "SEMAPHORE", "LOCK-ACQUISITION",
                                         "SEMAPHORE-NOTIFICATION"};
  for (size_t i = 0; i < sizeof exported / sizeof exported[0]; i++)
    export_symbol(th, ccl_sym(th, exported[i]), th->vm->pkg_ccl);
  define_natives(th, lock_natives);
}
