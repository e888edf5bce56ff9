/* control.c — the per-thread dynamic stack: exit points, unwind-protect
 * cleanups, special bindings, unwinding, interrupts and the C stack limit. */
#include <stdlib.h>
#include <sys/resource.h>

#include "control.h"

void dyn_push(Thread *th, DynEntry e) {
  if (th->dyn_top == th->dyn_cap) {
    size_t cap = th->dyn_cap ? th->dyn_cap * 2 : 256;
    DynEntry *d = realloc(th->dyn, cap * sizeof(DynEntry));
    if (!d) simple_error(th, "out of memory growing the dynamic stack");
    th->dyn = d;
    th->dyn_cap = cap;
  }
  th->dyn[th->dyn_top++] = e;
}

/* Cleanups may run Lisp code that clobbers the values in flight; keep them. */
typedef struct SavedValues {
  int nvals;
  Value primary;
  Value more; /* SVector when nvals > 1 */
  Value throw_value;
  int go_index;
  Value tc_fn;
  int tc_nargs;
} SavedValues;

static void save_values(Thread *th, SavedValues *s) {
  s->nvals = th->nvals;
  s->primary = th->vals[0];
  s->more = NIL;
  if (th->nvals > 1) {
    s->more = make_svector(th, (size_t)th->nvals, NIL);
    memcpy(svec_of(s->more)->data, th->vals, (size_t)th->nvals * sizeof(Value));
  }
  s->throw_value = th->throw_value;
  s->go_index = th->go_index;
  s->tc_fn = th->tc_fn;
  s->tc_nargs = th->tc_nargs;
}

static void restore_values(Thread *th, SavedValues *s) {
  th->nvals = s->nvals;
  th->vals[0] = s->primary;
  if (s->more != NIL) memcpy(th->vals, svec_of(s->more)->data, (size_t)s->nvals * sizeof(Value));
  th->throw_value = s->throw_value;
  th->go_index = s->go_index;
  th->tc_fn = s->tc_fn;
  th->tc_nargs = s->tc_nargs;
}

void unwind_to(Thread *th, size_t top) {
  while (th->dyn_top > top) {
    DynEntry e = th->dyn[--th->dyn_top];
    switch (e.kind) {
    case DYN_BIND: unbind_special(th, e.a, e.b); break;
    case DYN_UNWIND: {
      SavedValues s;
      save_values(th, &s);
      if (e.cleanup) EXEC(th, e.cleanup, e.frame);
      else e.ccleanup(th, e.cdata);
      restore_values(th, &s);
      break;
    }
    default: break;
    }
  }
}

size_t find_catch(Thread *th, Value tag) {
  for (size_t i = th->dyn_top; i-- > 0;)
    if (th->dyn[i].kind == DYN_CATCH && th->dyn[i].a == tag) return i;
  return (size_t)-1;
}

void throw_to(Thread *th, size_t catch_index) {
  unwind_to(th, catch_index + 1);
  longjmp(*th->dyn[catch_index].jb, 1);
}

void catch_push(Thread *th, CatchFrame *cf, Value tag) {
  cf->dyn_index = th->dyn_top;
  cf->calls = th->calls;
  cf->call_depth = th->call_depth;
  DynEntry e = {.kind = DYN_CATCH, .a = tag, .jb = &cf->jb};
  dyn_push(th, e);
}

void catch_restore(Thread *th, CatchFrame *cf) {
  th->dyn_top = cf->dyn_index;
  th->calls = cf->calls;
  th->call_depth = cf->call_depth;
}

void with_cleanup(Thread *th, void (*body)(Thread *, void *), void *data, CCleanup cleanup, void *cdata) {
  size_t top = th->dyn_top;
  DynEntry e = {.kind = DYN_UNWIND, .ccleanup = cleanup, .cdata = cdata};
  dyn_push(th, e);
  body(th, data);
  unwind_to(th, top);
}

void check_interrupt_slow(Thread *th) {
  __atomic_store_n(&th->interrupt_pending, 0, __ATOMIC_RELAXED);
  thread_handle_yield(th);
  if (th->interrupts == NIL && !th->sigint) return;
  /* WITHOUT-INTERRUPTS: they wait until *INTERRUPT-LEVEL* is bound back (symbol.c). */
  Value level = symbol_value_or(th, SYM(interrupt_level), make_fixnum(0));
  if (is_fixnum(level) && fixnum_val(level) < 0) {
    th->interrupts_deferred = true;
    return;
  }
  /* Only this thread takes entries off; others add them while holding the lock. */
  while (th->interrupts != NIL) {
    Value entry = CAR(th->interrupts);
    th->interrupts = CDR(th->interrupts);
    apply_list(th, CAR(entry), CDR(entry));
  }
  if (!th->sigint) return;
  th->sigint = 0;
  Value handler = intern_c(th, "%INTERRUPT", th->vm->pkg_ccl);
  Value fn = symbol_of(th, handler)->function;
  if (is_function(fn)) {
    funcall0(th, fn);
    return;
  }
  error_condition(th, make_condition(th, SYM(interrupt_condition), 0, NULL));
}

void stack_init_sized(Thread *th, void *base, size_t size) {
  th->stack_base = base;
  /* Keep a reserve below the limit for signalling the error and unwinding. */
  size_t reserve = size / 8 > (1u << 20) ? (1u << 20) : size / 8;
  th->stack_limit = (char *)base - (size - reserve - (64u << 10));
}

void stack_init(Thread *th, void *base) {
  struct rlimit rl;
  size_t size = 8u << 20;
  if (getrlimit(RLIMIT_STACK, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur > (1u << 20))
    size = rl.rlim_cur;
  stack_init_sized(th, base, size);
}

void stack_overflow(Thread *th) {
  /* Lend the reserve to the error machinery, take it back once unwound. */
  char *saved = th->stack_limit;
  th->stack_limit -= 512u << 10;
  size_t top = th->dyn_top;
  DynEntry e = {.kind = DYN_UNWIND, .ccleanup = restore_stack_limit, .cdata = saved};
  dyn_push(th, e);
  error_condition(th, make_condition(th, SYM(stack_overflow), 0, NULL));
  unwind_to(th, top);
}

void restore_stack_limit(Thread *th, void *saved) { th->stack_limit = saved; }
