/* sequences.h — what builtins/arrays*.c and sequences_*.c share: element access on every
 * vector representation, :start/:end bounds, the item/predicate matching protocol. */
#ifndef CLOVE_BUILTINS_SEQUENCES_H
#define CLOVE_BUILTINS_SEQUENCES_H

#include "lisp.h"
#include "lists.h"
#include "types_internal.h"

/* ---- Vectors (arrays.c) ---- */

/* Where a vector's active elements live: the simple vector holding them (displacement
 * resolved), the index of the first one, their count, and the element kind (enum EltKind). */
typedef struct VecView {
  Value data;
  size_t start, len;
  int kind;
} VecView;

/* The view of any vector (rank-1 array); false for anything else. */
bool vec_view(Value v, VecView *out);
/* As vec_view, for an array of any rank: all array-total-size elements in row-major order. */
bool array_view(Value v, VecView *out);
int simple_kind(Value simple); /* EltKind of a simple vector */
size_t simple_len(Value simple);
/* Element i of a simple vector, and storing into it (a TYPE-ERROR naming the element
 * type when x does not fit). */
Value vec_ref(Thread *th, Value simple, size_t i);
void vec_set(Thread *th, Value simple, size_t i, Value x);
/* Signals the TYPE-ERROR of vec_set unless x fits a vector of that kind. */
void check_elt_kind(Thread *th, int kind, Value x);
/* A fresh simple vector of kind with n elements, zero-filled as CCL does: 0, #\Nul, 0.0. */
Value vec_alloc(Thread *th, int kind, size_t n);
/* Copies n elements between simple vectors of any kinds (overlap handled, type-checked). */
void vec_copy(Thread *th, Value dst, size_t di, Value src, size_t si, size_t n);
/* A simple vector of the view's kind holding its elements [from, to). */
Value view_subseq(Thread *th, const VecView *v, size_t from, size_t to);
/* The fill pointer's vector type errors and the like, shared by sequence functions. */
NORETURN void not_a_sequence(Thread *th, Value x);
/* Sets the fill pointer of a vector that has one (no checks). */
void set_fill(Value v, size_t fill);
bool has_fill_pointer(Value v);
/* The element type an EltKind stands for. */
Value kind_type(Thread *th, int kind);
/* A vector from a list of element values, of kind */
Value vec_from_list(Thread *th, int kind, Value list, size_t n);

/* ---- Sequences (sequences_basic.c) ---- */

/* The length of a sequence (active length of a vector); a TYPE-ERROR for a non-sequence
 * or a dotted list. */
size_t seq_length(Thread *th, Value seq);
/* Checks :start and :end against len as CCL's check-sequence-bounds: *s and *e get the
 * interval (end NIL or unsupplied means len). */
void seq_bounds(Thread *th, Value seq, Value start, Value end, size_t len, size_t *s, size_t *e);
/* :count as CCL's check-count: NIL/unsupplied is "all", negative is 0. */
size_t seq_count(Thread *th, Value count);
/* What a result-type specifier (CONCATENATE, MAP, MAKE-SEQUENCE, MERGE) asks for: false for a
 * list type (*kind is RT_LIST, RT_CONS or RT_NULL), true for a vector type with its element
 * kind and, when the type fixes it, its length in *len (else SIZE_MAX). A type that is no
 * sequence type is an error in the style of the function asking. */
enum { RT_LIST = -1, RT_CONS = -2, RT_NULL = -3 };
enum ResultStyle { RS_CONCATENATE, RS_MAP, RS_MAKE_SEQUENCE };
bool seq_result_type(Thread *th, Value type, int *kind, size_t *len, int style);
/* Checks that n elements suit the parsed result type (CCL's invalid-subtype-error). */
void check_result_length(Thread *th, Value type, bool vector, int kind, size_t len, size_t n);
/* A sequence of the result type holding the n elements of list (which it may reuse). */
Value seq_from_list(Thread *th, Value type, Value list, size_t n, int style);
/* CCL's INVALID-SUBTYPE-ERROR, a TYPE-ERROR: "The type specifier ~S is not determinably a
 * subtype of the type ~S". */
NORETURN void invalid_subtype_error(Thread *th, Value type, Value expected);
/* A new list of the elements of a sequence [s, e). */
Value seq_to_list(Thread *th, Value seq, size_t s, size_t e);

/* ---- Matching an element against an item or a predicate ---- */

enum MatchMode { M_ITEM, M_IF, M_IF_NOT };

typedef struct Match {
  ListTest t; /* key, and for M_ITEM the test */
  Value item;
  LFn pred; /* M_IF, M_IF_NOT */
  uint8_t mode;
} Match;

/* :test and :test-not both given: how the function reports it.
 * CONFLICT_BOTH   both non-NIL: "Both :TEST and :TEST-NOT keywords supplied" (find, position,
 *                 remove, delete, nsubstitute)
 * CONFLICT_KEYS   both supplied: "Conflicting keyword arguments ..." (count, substitute,
 *                 remove-duplicates, search, mismatch) */
enum { CONFLICT_BOTH, CONFLICT_KEYS };
void match_init_item(Thread *th, Match *m, Value item, Value test, Value test_not, Value key, int conflict);
void match_init_pred(Thread *th, Match *m, Value pred, Value key, bool negate);

static inline bool match_p(Thread *th, Match *m, Value elt) {
  Value k = lists_key(th, &m->t, elt);
  switch (m->mode) {
  case M_ITEM: return lists_match(th, &m->t, m->item, k);
  case M_IF: return lfn_call1(th, &m->pred, k) != NIL;
  default: return lfn_call1(th, &m->pred, k) == NIL;
  }
}

/* Walks a proper list's conses for sequence functions: false at NIL, a TYPE-ERROR at a
 * dotted end. */
static inline bool seq_more(Thread *th, Value l) { return lists_more(th, l); }

/* ---- Tables and inits ---- */

extern const NativeDesc arrays_natives[];
extern const NativeDesc sequences_basic_natives[];
extern const NativeDesc sequences_basic_setf_natives[];
extern const NativeDesc sequences_map_natives[];
extern const NativeDesc sequences_search_natives[];
extern const NativeDesc sequences_modify_natives[];
extern const NativeDesc sequences_sort_natives[];
/* Installs the (SETF name) functions of arrays.c and sequences_basic.c. */
void arrays_setf_init(Thread *th);
/* Makes each entry the (SETF name) function of the CL symbol name. */
void install_setf_natives(Thread *th, const NativeDesc *table);
void sequences_setf_init(Thread *th);
void builtins_sequences_init(Thread *th);

#endif
