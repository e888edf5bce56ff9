/* compile.h — the compiler's internal shapes: the compile-time environment of
 * records, the compile context, and the pieces split across compile_*.c. */
#ifndef CLOVE_COMPILE_H
#define CLOVE_COMPILE_H

#include "nodes.h"

/* Environment records are SVectors of RF_COUNT fields, kept in a list (the
 * &environment object macros receive). */
enum { R_VAR, R_FUN, R_MACRO, R_SYMMACRO, R_BLOCK, R_TAG, R_SPECIAL };
enum {
  RF_KIND,     /* fixnum R_* */
  RF_NAME,     /* symbol (block name, tag) */
  RF_LAMBDA,   /* the LambdaInfo that binds it */
  RF_SLOT,     /* fixnum frame slot (variables, functions, block/tagbody tokens) */
  RF_CAPTURED, /* T once an inner lambda refers to it */
  RF_REFS,     /* local access nodes, switched to boxed forms if captured */
  RF_EXTRA,    /* macro: expander; symbol-macro: expansion; tag: index; block: tagbody rec for tags */
  RF_EXTRA2,   /* block/tag: T when a non-local exit needs a frame; tag: its tagbody record */
  RF_COUNT
};
#define RF(r, i) (svec_of(r)->data[i])

/* LambdaInfo: an SVector describing the lambda being compiled */
enum { LI_PARENT, LI_NSLOTS, LI_CAPTURES, LI_NCAPTURES, LI_COUNT };

#define C_TAIL 1 /* a call here may be a tail call */
#define C_MV 2   /* all values of this form are wanted */

typedef struct Ctx {
  Value env;          /* list of records */
  Value li;           /* LambdaInfo */
  unsigned flags;
  Value tails;        /* block/tagbody records whose body (statement) tail this is */
  Value *tail_calls;  /* where tail-call nodes are noted (for blocks that may need to undo them) */
} Ctx;

enum LambdaListKind { LL_ORDINARY, LL_MACRO, LL_DESTRUCTURING };

/* compile.c */
Value compile_form(Thread *th, Value form, Ctx *c);
Value compile_progn(Thread *th, Value forms, Ctx *c);
Value compile_call_node(Thread *th, Value fnode, Value args, Ctx *c);
Value finish(Thread *th, Ctx *c, Value node);
Value const_node(Thread *th, Value v);
Value bind_record(Thread *th, Ctx *c, int kind, Value name);
Value rec_ref(Thread *th, Ctx *c, Value rec);
Value compile_setq_rec(Thread *th, Ctx *c, Value rec, Value valnode);
Value symbol_macro_value(Thread *th, Value sym, bool *found);
void close_record(Thread *th, Value rec);
Value rec_slot_enc(Value rec);
bool special_p(Thread *th, Value env, Value sym);
Value parse_body(Thread *th, Value body, bool allow_doc, Value *specials, Value *doc);
void push_free_specials(Thread *th, Ctx *c, Value specials, Value bound);
Value new_lambda_info(Thread *th, Value parent);

/* compile_special.c */
Value compile_special(Thread *th, Value op, Value form, Ctx *c);
void compiler_init(Thread *th);

/* compile_lambda.c */
Value compile_lambda_object(Thread *th, Value name, Value lambda_list, Value body, Value env, Value parent_li,
                            enum LambdaListKind kind, bool allow_doc);
Value compile_lambda_node(Thread *th, Value name, Value lambda_and_body, Ctx *c, bool macro);
bool finalize_pattern(Thread *th, Value params);
Value parse_lambda_list(Thread *th, Ctx *c, Value ll, enum LambdaListKind kind, Value specials, Value *bound);

/* compile_inline.c */
Value compile_inline(Thread *th, Value sym, Value args, intptr_t nargs, Ctx *c);
void compile_inline_init(Thread *th);

#endif
