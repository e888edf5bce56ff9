/* nodes.h — the node kinds of the executable tree, shared by compile.c (which
 * builds them) and nodes.c / eval.c (which run them). */
#ifndef CLOVE_NODES_H
#define CLOVE_NODES_H

#include "control.h"
#include "lisp.h"

Node *node_new(Thread *th, NodeFn exec, uint32_t nk);

/* Slot encoding in binding nodes: fixnum (slot << 1 | boxed) */
#define SLOT_ENC(slot, boxed) make_fixnum(((intptr_t)(slot) << 1) | ((boxed) ? 1 : 0))
#define SLOT_NUM(v) (fixnum_val(v) >> 1)
#define SLOT_BOXED(v) (fixnum_val(v) & 1)

/* Parameter lists (Lambda.params): SVector [flags, lambda-list, param...];
 * each param an SVector of PF_COUNT fields. A slot target is SLOT_ENC(...) or, for
 * a special parameter, its symbol. */
#define PL_REST 1
#define PL_KEY 2
#define PL_ALLOW_OTHER_KEYS 4
enum { PF_KIND, PF_SLOT, PF_INIT, PF_SUPPLIED, PF_KEYWORD, PF_PATTERN, PF_COUNT };

/* Capture specs (Lambda.captures): fixnum (index << 1 | from_env) */
#define CAP_ENC(index, from_env) make_fixnum(((intptr_t)(index) << 1) | ((from_env) ? 1 : 0))

#define NODE_FNS(X)                                                                                          \
  X(n_const) X(n_lref) X(n_lref_box) X(n_eref) X(n_gref) X(n_lset) X(n_lset_box) X(n_eset) X(n_gset)       \
  X(n_if) X(n_progn) X(n_let) X(n_let_dyn) X(n_labels) X(n_call_g) X(n_call_g_tail) X(n_call_f)              \
  X(n_call_f_tail) X(n_closure) X(n_function_g) X(n_block) X(n_return_from) X(n_tagbody) X(n_go_local)        \
  X(n_go) X(n_catch) X(n_throw) X(n_uwp) X(n_mvcall) X(n_mvprog1) X(n_progv) X(n_single) X(n_mvb)             \
  X(n_add2) X(n_sub2) X(n_lt2) X(n_gt2) X(n_le2) X(n_ge2) X(n_numeq2) X(n_eq) X(n_car) X(n_cdr) X(n_cons)   \
  X(n_not) X(n_add1) X(n_sub1) X(n_consp) X(n_eql) X(n_setf_fn_g) X(n_bind_dyn_body)

#define DECLARE_NODE_FN(name) Value name(Thread *th, Node *n, Frame *f);
NODE_FNS(DECLARE_NODE_FN)

/* eval.c */
Value invoke(Thread *th, Value fn, int nargs, Value *args);
void bind_params(Thread *th, Lambda *lam, Value params, Frame *f, int nargs, Value *args, Value list, bool from_list);
NORETURN void wrong_arg_count(Thread *th, Value fn, int nargs);
Value make_closure_env(Thread *th, Value captures, Frame *f);

#endif
