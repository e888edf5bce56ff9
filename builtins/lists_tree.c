/* lists_tree.c — lists as trees: COPY-TREE, TREE-EQUAL, SUBST, SUBST-IF(-NOT), NSUBST,
 * NSUBST-IF(-NOT), SUBLIS, NSUBLIS. They recurse on cars and loop on cdrs, as CCL's do. */
#include "lists.h"

static Value copy_tree(Thread *th, Value tree) {
  if (!is_cons(tree))
    return tree;
  check_stack(th);
  Value head = cons(th, copy_tree(th, CAR(tree)), NIL), tail = head;
  for (tree = CDR(tree); is_cons(tree); tree = CDR(tree)) {
    Value c = cons(th, copy_tree(th, CAR(tree)), NIL);
    CDR(tail) = c;
    tail = c;
    check_interrupt(th);
  }
  CDR(tail) = tree;
  return head;
}

static Value lisp_copy_tree(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return copy_tree(th, args[0]);
}

/* The test sees leaves as (test x-leaf y-leaf). With :test-not two NILs are equal
 * without asking, as in CCL. */
static bool tree_equal(Thread *th, ListTest *t, Value x, Value y) {
  for (;;) {
    if (!is_cons(x)) {
      if (is_cons(y))
        return false;
      if (t->negate && x == NIL && y == NIL)
        return true;
      return lists_match(th, t, x, y);
    }
    if (!is_cons(y))
      return false;
    check_stack(th);
    if (!tree_equal(th, t, CAR(x), CAR(y)))
      return false;
    x = CDR(x);
    y = CDR(y);
    check_interrupt(th);
  }
}

static Value lisp_tree_equal(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  ListTest t;
  lists_test_init(th, &t, args[2], args[3], UNSUPPLIED, LT_BY_PRESENCE);
  return BOOL(th, tree_equal(th, &t, args[0], args[1]));
}

/* ---- Substitution ---- */

enum SubstMode { S_TEST, S_IF, S_IF_NOT, S_ALIST };

typedef struct Subst {
  enum SubstMode mode;
  ListTest t; /* S_TEST: (test old key) ; S_ALIST: (test key (car pair)); no key of its own */
  LFn pred;   /* S_IF, S_IF_NOT */
  LFn key;
  Value old, new_, alist;
} Subst;

/* Is x to be replaced? Then *out is its replacement. */
static bool subst_hit(Thread *th, Subst *s, Value x, Value *out) {
  Value k = lfn_key(th, &s->key, x);
  switch (s->mode) {
  case S_TEST:
    if (!lists_match(th, &s->t, s->old, k))
      return false;
    break;
  case S_IF:
  case S_IF_NOT:
    if ((lfn_call1(th, &s->pred, k) != NIL) != (s->mode == S_IF))
      return false;
    break;
  case S_ALIST:
    /* ASSOC of the key in the alist: NIL entries skipped, other atoms an error */
    for (Value l = s->alist; lists_more(th, l); l = CDR(l)) {
      Value pair = CAR(l);
      if (pair != NIL && lists_match(th, &s->t, k, car(th, pair))) {
        *out = CDR(pair);
        return true;
      }
    }
    return false;
  }
  *out = s->new_;
  return true;
}

/* Non-destructive: unchanged subtrees are shared with the argument. The spine is
 * walked in a loop; frames (new car . spine cons) remember it for the rebuild. */
static Value subst_tree(Thread *th, Subst *s, Value tree) {
  Value out;
  if (subst_hit(th, s, tree, &out))
    return out;
  if (!is_cons(tree))
    return tree;
  check_stack(th);
  Value frames = NIL, end, l = tree;
  for (;;) {
    frames = cons(th, cons(th, subst_tree(th, s, CAR(l)), l), frames);
    Value next = CDR(l);
    if (subst_hit(th, s, next, &out)) {
      end = out;
      break;
    }
    if (!is_cons(next)) {
      end = next;
      break;
    }
    l = next;
    check_interrupt(th);
  }
  Value result = end;
  for (; frames != NIL; frames = CDR(frames)) {
    Value frame = CAR(frames), cell = CDR(frame);
    if (CAR(frame) == CAR(cell) && result == CDR(cell)) {
      result = cell;
    } else {
      CDR(frame) = result; /* the frame becomes the new cons */
      result = frame;
    }
  }
  return result;
}

static Value nsubst_tree(Thread *th, Subst *s, Value tree) {
  Value out;
  if (subst_hit(th, s, tree, &out))
    return out;
  if (!is_cons(tree))
    return tree;
  check_stack(th);
  for (Value l = tree;;) {
    CAR(l) = nsubst_tree(th, s, CAR(l));
    Value next = CDR(l);
    if (subst_hit(th, s, next, &out)) {
      CDR(l) = out;
      break;
    }
    if (!is_cons(next))
      break;
    l = next;
    check_interrupt(th);
  }
  return tree;
}

/* (new old tree &key test test-not key) */
static void subst_init_test(Thread *th, Subst *s, Value *args) {
  s->mode = S_TEST;
  lists_test_init(th, &s->t, args[3], args[4], UNSUPPLIED, LT_BY_PRESENCE);
  s->key = lfn(lists_key_designator(th, args[5]));
  s->new_ = args[0];
  s->old = args[1];
  s->alist = NIL;
  s->pred = lfn(NIL);
}

/* (new predicate tree &key key) */
static void subst_init_if(Thread *th, Subst *s, Value *args, enum SubstMode mode) {
  s->mode = mode;
  lists_test_init(th, &s->t, UNSUPPLIED, UNSUPPLIED, UNSUPPLIED, LT_BY_PRESENCE);
  s->key = lfn(lists_key_designator(th, args[3]));
  s->new_ = args[0];
  s->pred = lfn(args[1]);
  s->old = s->alist = NIL;
}

/* (alist tree &key test test-not key) */
static void subst_init_alist(Thread *th, Subst *s, Value *args) {
  s->mode = S_ALIST;
  lists_test_init(th, &s->t, args[2], args[3], UNSUPPLIED, LT_BY_PRESENCE);
  s->key = lfn(lists_key_designator(th, args[4]));
  s->alist = args[0];
  s->old = s->new_ = NIL;
  s->pred = lfn(NIL);
}

static Value lisp_subst(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Subst s;
  subst_init_test(th, &s, args);
  return subst_tree(th, &s, args[2]);
}

static Value lisp_nsubst(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Subst s;
  subst_init_test(th, &s, args);
  return nsubst_tree(th, &s, args[2]);
}

static Value lisp_subst_if(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Subst s;
  subst_init_if(th, &s, args, S_IF);
  return subst_tree(th, &s, args[2]);
}

static Value lisp_subst_if_not(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Subst s;
  subst_init_if(th, &s, args, S_IF_NOT);
  return subst_tree(th, &s, args[2]);
}

static Value lisp_nsubst_if(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Subst s;
  subst_init_if(th, &s, args, S_IF);
  return nsubst_tree(th, &s, args[2]);
}

static Value lisp_nsubst_if_not(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Subst s;
  subst_init_if(th, &s, args, S_IF_NOT);
  return nsubst_tree(th, &s, args[2]);
}

static Value lisp_sublis(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Subst s;
  subst_init_alist(th, &s, args);
  return subst_tree(th, &s, args[1]);
}

static Value lisp_nsublis(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Subst s;
  subst_init_alist(th, &s, args);
  return nsubst_tree(th, &s, args[1]);
}

#define TKEYS "test test-not key"

const NativeDesc lists_tree_natives[] = {
    {"COPY-TREE", lisp_copy_tree, 1, 1, 0, NULL, "(tree)", "Recursively copy trees of conses."},
    {"TREE-EQUAL", lisp_tree_equal, 2, 2, 0, "test test-not", "(x y &key test test-not)",
     "Returns T if X and Y are isomorphic trees with identical leaves."},
    {"SUBST", lisp_subst, 3, 3, 0, TKEYS, "(new old tree &key key test test-not)",
     "Substitutes new for subtrees matching old."},
    {"SUBST-IF", lisp_subst_if, 3, 3, 0, "key", "(new test tree &key key)",
     "Substitutes new for subtrees for which test is true."},
    {"SUBST-IF-NOT", lisp_subst_if_not, 3, 3, 0, "key", "(new test tree &key key)",
     "Substitutes new for subtrees for which test is false."},
    {"NSUBST", lisp_nsubst, 3, 3, 0, TKEYS, "(new old tree &key key test test-not)",
     "Substitute NEW for subtrees matching OLD."},
    {"NSUBST-IF", lisp_nsubst_if, 3, 3, 0, "key", "(new test tree &key key)",
     "Substitute NEW for subtrees of TREE for which TEST is true."},
    {"NSUBST-IF-NOT", lisp_nsubst_if_not, 3, 3, 0, "key", "(new test tree &key key)",
     "Substitute NEW for subtrees of TREE for which TEST is false."},
    {"SUBLIS", lisp_sublis, 2, 2, 0, TKEYS, "(alist tree &key key test test-not)",
     "Substitute from ALIST into TREE nondestructively."},
    {"NSUBLIS", lisp_nsublis, 2, 2, 0, TKEYS, "(alist tree &key key test test-not)",
     "Substitute from ALIST into TREE destructively."},
    {0},
};
