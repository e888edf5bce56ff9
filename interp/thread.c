/* thread.c — Lisp processes as POSIX threads under one interpreter lock: the lock's
 * hand-off queue, parking for the collector, blocking waits, interrupts and thread lifetime. */
#include "control.h"
#include "io.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

/* How long a thread that wants the lock waits before asking the holder to yield it at
 * its next safe point: long enough that two busy processes do not thrash, short enough
 * that the REPL stays responsive while a server loops. */
#define SWITCH_INTERVAL_MS 5

/* The interpreter lock. Ownership passes directly from the releasing thread to the
 * oldest waiter (FIFO), so a thread that yields cannot take the lock straight back and
 * a busy process cannot starve the others. m also guards every blocking wait below, so
 * that an interrupt or a notify cannot slip between "check" and "sleep". */
typedef struct Gil {
  pthread_mutex_t m;
  pthread_cond_t released; /* a stream another thread waited for is free again */
  Thread *owner;
  Thread *head, *tail; /* threads waiting for the lock, oldest first */
  bool drop_request;   /* a waiter has waited SWITCH_INTERVAL_MS */
  bool dead;           /* the VM is closing: only the survivor gets the lock again */
  Thread *survivor;
} Gil;

static _Thread_local Thread *current_thread;

Thread *thread_current(VM *vm) {
  Thread *th = current_thread;
  return th && th->vm == vm ? th : NULL;
}

static void atomic_set_flag(volatile sig_atomic_t *flag) { __atomic_store_n(flag, 1, __ATOMIC_RELEASE); }

static void deadline_in(struct timespec *ts, double seconds) {
  clock_gettime(CLOCK_MONOTONIC, ts);
  double whole = (double)(time_t)seconds;
  ts->tv_sec += (time_t)seconds;
  ts->tv_nsec += (long)((seconds - whole) * 1e9);
  if (ts->tv_nsec >= 1000000000L) {
    ts->tv_sec++;
    ts->tv_nsec -= 1000000000L;
  }
}

void thread_cond_init(pthread_cond_t *c) {
  pthread_condattr_t attr;
  pthread_condattr_init(&attr);
  pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
  pthread_cond_init(c, &attr);
  pthread_condattr_destroy(&attr);
}

void gil_init(VM *vm) {
  Gil *g = calloc(1, sizeof *g);
  if (!g) return;
  pthread_mutex_init(&g->m, NULL);
  thread_cond_init(&g->released);
  vm->gil = g;
}

/* ---- The lock itself (callers hold g->m) ---- */

static void acquire_locked(Gil *g, Thread *th) {
  if (g->dead && th == g->survivor) {
    g->owner = th;
  } else if (!g->owner && !g->head) {
    g->owner = th;
  } else {
    th->gil_next = NULL;
    if (g->tail) g->tail->gil_next = th;
    else __atomic_store_n(&g->head, th, __ATOMIC_RELAXED);
    g->tail = th;
    while (g->owner != th) {
      struct timespec ts;
      deadline_in(&ts, SWITCH_INTERVAL_MS / 1000.0);
      if (g->dead) {
        pthread_cond_wait(&th->gil_cond, &g->m); /* never signalled */
        continue;
      }
      int r = pthread_cond_timedwait(&th->gil_cond, &g->m, &ts);
      if (r == ETIMEDOUT && g->owner && g->owner != th && !g->dead) {
        __atomic_store_n(&g->drop_request, true, __ATOMIC_RELAXED);
        atomic_set_flag(&g->owner->interrupt_pending);
      }
    }
  }
  current_thread = th;
}

static void release_locked(Gil *g, Thread *th) {
  (void)th;
  Thread *next = g->head;
  if (next) {
    __atomic_store_n(&g->head, next->gil_next, __ATOMIC_RELAXED);
    if (!g->head) g->tail = NULL;
    next->gil_next = NULL;
  }
  g->owner = g->dead ? NULL : next;
  __atomic_store_n(&g->drop_request, false, __ATOMIC_RELAXED);
  if (next && !g->dead) pthread_cond_signal(&next->gil_cond);
}

/* Records where this thread's stack ends and spills its callee-saved registers, so
 * that a collection run by another thread while this one waits sees every Value it
 * holds. Not inlined: the frames of its callers lie above this one's. */
__attribute__((noinline)) static void park(Thread *th) {
  setjmp(th->gc_regs);
  th->gc_sp = (char *)__builtin_frame_address(0);
}

static void gil_release_parked(Thread *th) {
  Gil *g = th->gil;
  park(th);
  pthread_mutex_lock(&g->m);
  release_locked(g, th);
  pthread_mutex_unlock(&g->m);
}

static void gil_acquire(Thread *th) {
  Gil *g = th->gil;
  pthread_mutex_lock(&g->m);
  acquire_locked(g, th);
  pthread_mutex_unlock(&g->m);
}

/* ---- Entering and leaving Lisp ---- */

void gil_enter(Thread *th) {
  if (th->gil_depth++ == 0 && th->gil) gil_acquire(th);
}

void gil_leave(Thread *th) {
  if (--th->gil_depth == 0 && th->gil) gil_release_parked(th);
}

/* Every wait of the blocking helper is bracketed by these: the thread leaves Lisp
 * while the system call sleeps. Nothing between them may touch the heap except the
 * bytes of objects this thread's stack keeps alive (read/write buffers). */
void io_block_begin(Thread *th) {
  if (!th || !th->gil || th->gil_depth == 0) return;
  th->gil_saved_depth = th->gil_depth;
  th->gil_depth = 0;
  gil_release_parked(th);
}

void io_block_end(Thread *th) {
  if (!th || !th->gil || th->gil_saved_depth == 0) return;
  gil_acquire(th);
  th->gil_depth = th->gil_saved_depth;
  th->gil_saved_depth = 0;
}

/* At a safe point, when another thread has waited long enough: go to the back of the
 * queue. */
static void gil_yield(Thread *th) {
  Gil *g = th->gil;
  if (!g || th->gil_depth == 0) return;
  park(th);
  pthread_mutex_lock(&g->m);
  if (g->head && g->owner == th) {
    release_locked(g, th);
    acquire_locked(g, th);
  }
  __atomic_store_n(&g->drop_request, false, __ATOMIC_RELAXED);
  pthread_mutex_unlock(&g->m);
}

static bool gil_yield_requested(Thread *th) {
  Gil *g = th->gil;
  return g && __atomic_load_n(&g->drop_request, __ATOMIC_RELAXED);
}

void thread_yield(Thread *th) {
  Gil *g = th->gil;
  if (g && __atomic_load_n(&g->head, __ATOMIC_RELAXED)) gil_yield(th);
}

void thread_handle_yield(Thread *th) {
  if (gil_yield_requested(th)) gil_yield(th);
}

/* ---- Blocking waits on a condition, with the lock released ---- */

int thread_wait(Thread *th, pthread_cond_t *cond, double deadline, const char *whostate) {
  check_interrupt(th);
  Gil *g = th->gil;
  const char *saved = th->whostate;
  th->whostate = whostate;
  double slice = IO_SLICE_MS / 1000.0;
  if (deadline > 0) {
    double left = deadline - io_now();
    if (left <= 0) {
      th->whostate = saved;
      return IO_TIMEOUT;
    }
    if (left < slice) slice = left;
  }
  park(th);
  int depth = th->gil_depth;
  pthread_mutex_lock(&g->m);
  release_locked(g, th);
  th->gil_depth = 0;
  if (!__atomic_load_n(&th->interrupt_pending, __ATOMIC_ACQUIRE)) {
    th->waiting_on = cond;
    struct timespec ts;
    deadline_in(&ts, slice);
    pthread_cond_timedwait(cond, &g->m, &ts);
    th->waiting_on = NULL;
  }
  acquire_locked(g, th);
  th->gil_depth = depth;
  pthread_mutex_unlock(&g->m);
  th->whostate = saved;
  return deadline > 0 && io_now() >= deadline ? IO_TIMEOUT : 0;
}

void thread_wait_released(Thread *th, const char *whostate) {
  thread_wait(th, &th->gil->released, 0, whostate);
}

void thread_notify_released(Thread *th) { thread_notify(th->vm, &th->gil->released); }

void thread_notify(VM *vm, pthread_cond_t *cond) {
  Gil *g = vm->gil;
  if (!g) return;
  pthread_mutex_lock(&g->m);
  pthread_cond_broadcast(cond);
  pthread_mutex_unlock(&g->m);
}

/* Wakes target wherever it waits: at its next safe point, in its next poll slice, or
 * at once if it sleeps in thread_wait. */
void thread_wake(Thread *target) {
  Gil *g = target->gil;
  pthread_mutex_lock(&g->m);
  atomic_set_flag(&target->interrupt_pending);
  if (target->waiting_on) pthread_cond_broadcast(target->waiting_on);
  pthread_mutex_unlock(&g->m);
}

/* ---- Thread records ---- */

static void *thread_stack_top(void) {
  pthread_attr_t attr;
  void *addr;
  size_t size;
  if (pthread_getattr_np(pthread_self(), &attr) == 0) {
    int ok = pthread_attr_getstack(&attr, &addr, &size) == 0;
    pthread_attr_destroy(&attr);
    if (ok) return (char *)addr + size;
  }
  return __builtin_frame_address(0);
}

Thread *thread_new(VM *vm) {
  Thread *th = calloc(1, sizeof(Thread));
  if (!th) return NULL;
  th->vm = vm;
  th->nvals = 1;
  th->vals = calloc(MULTIPLE_VALUES_LIMIT, sizeof(Value));
  th->tc_args = calloc(CALL_ARGUMENTS_LIMIT, sizeof(Value));
  th->throw_value = NIL;
  th->tc_fn = NIL;
  th->native_self = NIL;
  th->last_error = NIL;
  th->last_backtrace = NIL;
  th->load_stream = NIL;
  th->last_location = NIL;
  th->interrupts = NIL;
  th->process = NIL;
  if (!th->vals || !th->tc_args) {
    free(th->vals);
    free(th->tc_args);
    free(th);
    return NULL;
  }
  thread_cond_init(&th->gil_cond);
  th->gil = vm->gil;
  th->next = vm->threads;
  vm->threads = th;
  return th;
}

void thread_free(Thread *th) {
  pthread_cond_destroy(&th->gil_cond);
  free(th->vals);
  free(th->tc_args);
  free(th->dyn);
  free(th->tls);
  free(th);
}

/* The calling thread becomes th's: its stack is what th's frames will live on. */
void thread_attach_stack(Thread *th, size_t stack_size) {
  char *top = thread_stack_top();
  th->stack_hi = top;
  if (stack_size) stack_init_sized(th, top, stack_size);
  else stack_init(th, top);
}

static void unlink_thread(VM *vm, Thread *th) {
  for (Thread **p = &vm->threads; *p; p = &(*p)->next)
    if (*p == th) {
      *p = th->next;
      return;
    }
}

typedef struct Start {
  Thread *th;
  void (*body)(Thread *th);
  size_t stack_size;
} Start;

static void *thread_main(void *arg) {
  Start s = *(Start *)arg;
  free(arg);
  Thread *th = s.th;
  VM *vm = th->vm;
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT); /* Ctrl-C belongs to the listener's thread */
  pthread_sigmask(SIG_BLOCK, &set, NULL);
  Gil *g = th->gil;
  pthread_mutex_lock(&g->m);
  thread_attach_stack(th, s.stack_size);
  acquire_locked(g, th);
  th->gil_depth = 1;
  pthread_mutex_unlock(&g->m);
  s.body(th);
  /* Still holding the lock: no collection can be scanning th while it goes. */
  pthread_mutex_lock(&g->m);
  unlink_thread(vm, th);
  vm->nthreads--;
  release_locked(g, th);
  pthread_mutex_unlock(&g->m);
  current_thread = NULL;
  thread_free(th);
  return NULL;
}

/* A process's stack: the main thread's limit within [8 MB, 16 MB] (about 40,000 nested
 * calls; a server with hundreds of client processes keeps its address space sane). */
static size_t process_stack_size(void) {
  struct rlimit rl;
  size_t size = 8u << 20;
  if (getrlimit(RLIMIT_STACK, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur > size) size = rl.rlim_cur;
  if (size > (16u << 20)) size = 16u << 20;
  return size;
}

Thread *thread_start(Thread *th, Value process, void (*body)(Thread *)) {
  VM *vm = th->vm;
  Thread *t = thread_new(vm);
  Start *s = malloc(sizeof *s);
  if (!t || !s) {
    free(s);
    if (t) {
      unlink_thread(vm, t);
      thread_free(t);
    }
    lisp_error(th, SYM(storage_condition), "Can't allocate a new process.");
  }
  t->process = process;
  s->th = t;
  s->body = body;
  s->stack_size = process_stack_size();
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
  pthread_attr_setstacksize(&attr, s->stack_size);
  pthread_t tid;
  int e = pthread_create(&tid, &attr, thread_main, s);
  pthread_attr_destroy(&attr);
  if (e) {
    free(s);
    unlink_thread(vm, t);
    thread_free(t);
    errno = e;
    lisp_error(th, SYM(error), "Can't create a thread for the process: ~A.", make_string_c(th, strerror(e)));
  }
  vm->nthreads++;
  return t;
}

/* At the end of the VM: every other thread is asked to end (kill) and given a short
 * while to unwind; a thread stuck in a system call is left waiting on a lock that
 * nobody will hand it. */
void threads_shutdown(Thread *th, void (*kill)(Thread *self, Thread *target)) {
  VM *vm = th->vm;
  Gil *g = vm->gil;
  if (!g) return;
  for (Thread *t = vm->threads; t; t = t->next)
    if (t != th) kill(th, t);
  double end = io_now() + 2.0;
  while (vm->nthreads > 0 && io_now() < end) {
    int depth = th->gil_depth;
    th->gil_depth = 0;
    gil_release_parked(th);
    struct timespec ts = {0, 2000000};
    nanosleep(&ts, NULL);
    gil_acquire(th);
    th->gil_depth = depth;
  }
  pthread_mutex_lock(&g->m);
  if (vm->nthreads > 0) {
    g->dead = true;
    g->survivor = th;
    vm->gil = NULL; /* the stragglers keep the lock structure; it is never freed */
  }
  pthread_mutex_unlock(&g->m);
}

void gil_free(VM *vm) {
  Gil *g = vm->gil;
  if (!g) return;
  pthread_mutex_destroy(&g->m);
  pthread_cond_destroy(&g->released);
  free(g);
  vm->gil = NULL;
}
