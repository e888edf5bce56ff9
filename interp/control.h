/* control.h — exit points established from C (catch frames), and the C stack
 * limit that turns runaway recursion into a Lisp error. */
#ifndef CLOVE_CONTROL_H
#define CLOVE_CONTROL_H

#include "lisp.h"

/* An exit point established by C code:
 *   CatchFrame cf;
 *   catch_push(th, &cf, tag);
 *   if (setjmp(cf.jb) == 0) { ...body...; th->dyn_top = cf.dyn_index; }
 *   else { catch_restore(th, &cf); ...values are in th->throw_value / th->vals... }
 * setjmp must be called by the function that owns cf. */
typedef struct CatchFrame {
  jmp_buf jb;
  size_t dyn_index;
  CallRecord *calls;
  int call_depth;
} CatchFrame;

void catch_push(Thread *th, CatchFrame *cf, Value tag);
void catch_restore(Thread *th, CatchFrame *cf);

void stack_init(Thread *th, void *base);
void stack_init_sized(Thread *th, void *base, size_t size);
NORETURN void stack_overflow(Thread *th);
void restore_stack_limit(Thread *th, void *saved);

static inline void check_stack(Thread *th) {
  if ((char *)__builtin_frame_address(0) < th->stack_limit) stack_overflow(th);
}

#endif
