/* hashtables.c — the hash-table functions of CL over interp/hash.c:
 * make-hash-table, gethash and its setf, remhash, maphash, sxhash ... */
#include "../interp/lisp.h"

static Value check_table(Thread *th, Value v) {
  if (!is_type(v, T_HASHTABLE)) type_error(th, v, SYM(hash_table));
  return v;
}

static const char *const test_names[] = {"EQ", "EQL", "EQUAL", "EQUALP"};

static int parse_test(Thread *th, Value test) {
  if (!supplied(test)) return HT_EQL;
  for (int i = 0; i < 4; i++) {
    Value sym = intern_c(th, test_names[i], th->vm->pkg_cl);
    if (test == sym || test == symbol_of(th, sym)->function) return i;
  }
  simple_error(th, "~S is not a valid hash table test: use EQ, EQL, EQUAL or EQUALP.", test);
}

static Value fn_make_hash_table(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  int test = parse_test(th, args[0]);
  size_t size = 60;
  if (supplied(args[1])) size = (size_t)integer_to_intptr(th, args[1], 0, 1 << 28, "(INTEGER 0 268435456)");
  Value ht = make_hash_table(th, (enum HashTest)test, size);
  if (supplied(args[2])) {
    if (!is_real(args[2])) type_error(th, args[2], SYM(real));
    hashtable_of(ht)->rehash_size = args[2];
  }
  if (supplied(args[3])) {
    if (!is_real(args[3])) type_error(th, args[3], SYM(real));
    hashtable_of(ht)->rehash_threshold = args[3];
  }
  return ht;
}

static Value fn_gethash(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value v;
  if (hash_get2(th, check_table(th, args[1]), args[0], &v)) return values2(th, v, SYM(t));
  return values2(th, arg_or(args[2], NIL), NIL);
}

/* (ccl::puthash key table value) — what (setf gethash) expands into. */
static Value fn_puthash(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  hash_put(th, check_table(th, args[1]), args[0], args[2]);
  return args[2];
}

static Value fn_remhash(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return BOOL(th, hash_remove(th, check_table(th, args[1]), args[0]));
}

static Value fn_clrhash(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  hash_clear(th, check_table(th, args[0]));
  return args[0];
}

static Value fn_maphash(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value fn = coerce_to_function(th, args[0]);
  Value table = check_table(th, args[1]);
  size_t i = 0;
  Value k, v;
  while (hash_next(table, &i, &k, &v)) funcall2(th, fn, k, v);
  return NIL;
}

static Value fn_hash_table_count(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return make_fixnum((intptr_t)hashtable_of(check_table(th, args[0]))->count);
}

static Value fn_hash_table_size(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return make_fixnum((intptr_t)(hashtable_of(check_table(th, args[0]))->size * 3 / 4));
}

static Value fn_hash_table_test(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return intern_c(th, test_names[hashtable_of(check_table(th, args[0]))->h.flags], th->vm->pkg_cl);
}

static Value fn_hash_table_rehash_size(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return hashtable_of(check_table(th, args[0]))->rehash_size;
}

static Value fn_hash_table_rehash_threshold(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return hashtable_of(check_table(th, args[0]))->rehash_threshold;
}

static Value fn_hash_table_p(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return BOOL(th, is_type(args[0], T_HASHTABLE));
}

static Value fn_sxhash(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return make_fixnum((intptr_t)(sxhash(th, args[0]) & (uint64_t)FIXNUM_MAX));
}

/* (ccl::%hash-table-pairs table): a fresh list (key value key value ...), the
 * snapshot WITH-HASH-TABLE-ITERATOR walks. */
static Value fn_hash_table_pairs(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value table = check_table(th, args[0]);
  Value out = NIL;
  size_t i = 0;
  Value k, v;
  while (hash_next(table, &i, &k, &v)) out = cons(th, k, cons(th, v, out));
  return out;
}

static const NativeDesc hash_natives[] = {
    {"MAKE-HASH-TABLE", fn_make_hash_table, 0, 0, 0, "test size rehash-size rehash-threshold",
     "(&key (test 'eql) size rehash-size rehash-threshold)", "Creates a hash table with the given TEST."},
    {"GETHASH", fn_gethash, 2, 3, NAT_MV, NULL, "(key hash-table &optional default)",
     "The value stored under KEY (or DEFAULT) and whether it was found."},
    {"CCL::PUTHASH", fn_puthash, 3, 3, 0, NULL, "(key hash-table value)", "Stores VALUE under KEY; implements (setf gethash)."},
    {"REMHASH", fn_remhash, 2, 2, 0, NULL, "(key hash-table)", "Removes KEY; true if it was present."},
    {"CLRHASH", fn_clrhash, 1, 1, 0, NULL, "(hash-table)", "Removes every entry."},
    {"MAPHASH", fn_maphash, 2, 2, 0, NULL, "(function hash-table)", "Calls FUNCTION with each key and value."},
    {"HASH-TABLE-COUNT", fn_hash_table_count, 1, 1, 0, NULL, "(hash-table)", "The number of entries."},
    {"HASH-TABLE-SIZE", fn_hash_table_size, 1, 1, 0, NULL, "(hash-table)", "How many entries fit before the table grows."},
    {"HASH-TABLE-TEST", fn_hash_table_test, 1, 1, 0, NULL, "(hash-table)", "The test: EQ, EQL, EQUAL or EQUALP."},
    {"HASH-TABLE-REHASH-SIZE", fn_hash_table_rehash_size, 1, 1, 0, NULL, "(hash-table)", "The growth factor."},
    {"HASH-TABLE-REHASH-THRESHOLD", fn_hash_table_rehash_threshold, 1, 1, 0, NULL, "(hash-table)", "The load factor."},
    {"HASH-TABLE-P", fn_hash_table_p, 1, 1, 0, NULL, "(object)", "True if OBJECT is a hash table."},
    {"SXHASH", fn_sxhash, 1, 1, 0, NULL, "(object)", "A hash code, equal for EQUAL objects."},
    {"CCL::%HASH-TABLE-PAIRS", fn_hash_table_pairs, 1, 1, 0, NULL, "(hash-table)", "A list of alternating keys and values."},
    {0},
};

void builtins_hash_init(Thread *th) { define_natives(th, hash_natives); }
