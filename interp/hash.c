/* hash.c — hash tables for EQ, EQL, EQUAL and EQUALP: open addressing with linear
 * probing; the collector never moves objects, so address hashes stay valid. */
#include <math.h>

#include "lisp.h"

#define EMPTY UNBOUND
#define DELETED NO_TLS

/* Keys and values side by side in one vector (key at 2i, value at 2i+1): a hit reads
 * one cache line, not two. */
#define KEY(ht, i) (svec_of((ht)->entries)->data[2 * (i)])
#define VAL(ht, i) (svec_of((ht)->entries)->data[2 * (i) + 1])

static Value make_entries(Thread *th, size_t size) {
  Value e = make_svector(th, 2 * size, NIL);
  for (size_t i = 0; i < size; i++) svec_of(e)->data[2 * i] = EMPTY;
  return e;
}

static inline uint64_t mix(uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ULL;
  x ^= x >> 33;
  return x;
}

uint64_t hash_string_chars(const uint32_t *s, size_t n) {
  uint64_t h = 1469598103934665603ULL;
  for (size_t i = 0; i < n; i++) h = (h ^ s[i]) * 1099511628211ULL;
  return mix(h ^ n);
}

static uint64_t hash_string_ci(const uint32_t *s, size_t n) {
  uint64_t h = 1469598103934665603ULL;
  for (size_t i = 0; i < n; i++) h = (h ^ equalp_char_fold(s[i])) * 1099511628211ULL;
  return mix(h ^ n);
}

static uint64_t hash_eql(Value v) {
  if (is_obj(v)) {
    switch (obj_of(v)->type) {
    case T_DOUBLE: {
      uint64_t bits;
      memcpy(&bits, &double_of(v)->d, sizeof bits);
      return mix(bits);
    }
    case T_BIGNUM: {
      Bignum *b = (Bignum *)v;
      int n = b->size < 0 ? -b->size : b->size;
      uint64_t h = (uint64_t)b->size;
      for (int i = 0; i < n; i++) h = mix(h ^ b->limbs[i]);
      return h;
    }
    case T_RATIO: return mix(hash_eql(((Ratio *)v)->num) * 31 + hash_eql(((Ratio *)v)->den));
    default: break;
    }
  }
  return mix((uint64_t)v);
}

static uint64_t hash_equal_depth(Thread *th, Value v, int depth, bool ci) {
  if (is_cons(v)) {
    uint64_t h = 17;
    int n = 0;
    while (is_cons(v) && n < 8) {
      if (depth < 4) h = mix(h * 31 + hash_equal_depth(th, CAR(v), depth + 1, ci));
      v = CDR(v);
      n++;
    }
    if (!is_cons(v)) h = mix(h * 31 + hash_equal_depth(th, v, depth + 1, ci));
    return h;
  }
  size_t len;
  const uint32_t *chars = string_chars(v, &len);
  if (chars) return ci ? hash_string_ci(chars, len) : hash_string_chars(chars, len);
  if (ci) {
    if (is_number(v)) {
      double d = number_hash_double(v);
      if (d == 0) d = 0; /* -0.0 equalp 0 */
      uint64_t bits;
      memcpy(&bits, &d, sizeof bits);
      return mix(bits);
    }
    if (is_char(v)) return mix(equalp_char_fold(char_code(v)));
    if (is_type(v, T_SVECTOR)) {
      SVector *sv = svec_of(v);
      uint64_t h = sv->len;
      for (size_t i = 0; i < sv->len && i < 8; i++)
        if (depth < 4) h = mix(h * 31 + hash_equal_depth(th, sv->data[i], depth + 1, ci));
      return h;
    }
  }
  if (is_type(v, T_OCTETS)) {
    Octets *o = octets_of(v);
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < o->len; i++) h = (h ^ o->data[i]) * 1099511628211ULL;
    return mix(h ^ o->len);
  }
  return hash_eql(v);
}

uint64_t sxhash(Thread *th, Value v) { return hash_equal_depth(th, v, 0, false); }

static uint64_t hash_for(Thread *th, HashTable *ht, Value key) {
  switch ((enum HashTest)ht->h.flags) {
  case HT_EQ: return mix((uint64_t)key);
  case HT_EQL: return hash_eql(key);
  case HT_EQUAL:
    /* Package tables: simple-string keys, hashed without the general walk. */
    if (is_type(key, T_STRING)) return hash_string_chars(string_of(key)->data, string_of(key)->len);
    return hash_equal_depth(th, key, 0, false);
  case HT_EQUALP: return hash_equal_depth(th, key, 0, true);
  }
  return 0;
}

static bool keys_match(Thread *th, HashTable *ht, Value a, Value b) {
  if (a == b) return true;
  if (is_type(a, T_STRING) && is_type(b, T_STRING) && (enum HashTest)ht->h.flags == HT_EQUAL) {
    String *x = string_of(a), *y = string_of(b);
    return x->len == y->len && memcmp(x->data, y->data, x->len * sizeof(uint32_t)) == 0;
  }
  switch ((enum HashTest)ht->h.flags) {
  case HT_EQ: return false;
  case HT_EQL: return eql(a, b);
  case HT_EQUAL: return equal(a, b);
  case HT_EQUALP: return equalp(th, a, b);
  }
  return false;
}

static size_t round_pow2(size_t n) {
  size_t p = 8;
  while (p < n) p <<= 1;
  return p;
}

Value make_hash_table(Thread *th, enum HashTest test, size_t size) {
  HashTable *ht = gc_alloc(th, T_HASHTABLE, sizeof(HashTable));
  ht->h.flags = (uint8_t)test;
  ht->size = round_pow2(size + size / 3 + 1);
  ht->entries = make_entries(th, ht->size);
  ht->rehash_size = make_double(th, 1.5);
  ht->rehash_threshold = make_double(th, 0.85);
  return obj_value(ht);
}

/* Returns the slot holding key, or -1. */
static intptr_t lookup_hashed(Thread *th, HashTable *ht, Value key, uint64_t hash) {
  size_t mask = ht->size - 1;
  size_t i = hash & mask;
  /* Only the same word is EQ, and EQL to a fixnum, character or symbol ...: no call per probe. */
  enum HashTest test = (enum HashTest)ht->h.flags;
  if (test == HT_EQ || (test == HT_EQL && (!is_obj(key) || obj_of(key)->type == T_SYMBOL))) {
    for (size_t probes = 0; probes < ht->size; probes++, i = (i + 1) & mask) {
      Value k = KEY(ht, i);
      if (k == key) return (intptr_t)i;
      if (k == EMPTY) return -1;
    }
    return -1;
  }
  for (size_t probes = 0; probes < ht->size; probes++, i = (i + 1) & mask) {
    Value k = KEY(ht, i);
    if (k == EMPTY) return -1;
    if (k != DELETED && keys_match(th, ht, k, key)) return (intptr_t)i;
  }
  return -1;
}

static intptr_t lookup(Thread *th, HashTable *ht, Value key) { return lookup_hashed(th, ht, key, hash_for(th, ht, key)); }

uint64_t hash_ascii(const char *s, size_t n) {
  uint64_t h = 1469598103934665603ULL;
  for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
  return mix(h ^ n);
}

bool hash_get_ascii(Value table, const char *s, size_t n, uint64_t hash, Value *out) {
  HashTable *ht = hashtable_of(table);
  size_t mask = ht->size - 1;
  size_t i = hash & mask;
  for (size_t probes = 0; probes < ht->size; probes++, i = (i + 1) & mask) {
    Value k = KEY(ht, i);
    if (k == EMPTY) return false;
    if (k == DELETED || !is_type(k, T_STRING) || string_of(k)->len != n) continue;
    const uint32_t *d = string_of(k)->data;
    size_t j = 0;
    while (j < n && d[j] == (unsigned char)s[j]) j++;
    if (j == n) {
      *out = VAL(ht, i);
      return true;
    }
  }
  return false;
}

bool hash_get_string(Thread *th, Value table, Value name, uint64_t hash, Value *out) {
  intptr_t i = lookup_hashed(th, hashtable_of(table), name, hash);
  if (i < 0) return false;
  *out = VAL(hashtable_of(table), i);
  return true;
}

bool hash_get2(Thread *th, Value table, Value key, Value *out) {
  HashTable *ht = hashtable_of(table);
  intptr_t i = lookup(th, ht, key);
  if (i < 0) return false;
  *out = VAL(ht, i);
  return true;
}

Value hash_get(Thread *th, Value table, Value key, Value dflt) {
  Value v;
  return hash_get2(th, table, key, &v) ? v : dflt;
}

static void insert_hashed(HashTable *ht, Value key, Value val, uint64_t hash) {
  size_t mask = ht->size - 1;
  size_t i = hash & mask;
  while (KEY(ht, i) != EMPTY && KEY(ht, i) != DELETED) i = (i + 1) & mask;
  if (KEY(ht, i) == DELETED) ht->deleted--;
  KEY(ht, i) = key;
  VAL(ht, i) = val;
}

static void insert_fresh(Thread *th, HashTable *ht, Value key, Value val) {
  insert_hashed(ht, key, val, hash_for(th, ht, key));
}

static void grow(Thread *th, HashTable *ht, size_t new_size) {
  Value old = ht->entries;
  size_t old_size = ht->size;
  ht->entries = make_entries(th, new_size);
  ht->size = new_size;
  ht->deleted = 0;
  for (size_t i = 0; i < old_size; i++) {
    Value k = svec_of(old)->data[2 * i];
    if (k != EMPTY && k != DELETED) insert_fresh(th, ht, k, svec_of(old)->data[2 * i + 1]);
  }
}

void hash_put(Thread *th, Value table, Value key, Value val) {
  HashTable *ht = hashtable_of(table);
  uint64_t hash = hash_for(th, ht, key); /* stays valid when the table grows */
  intptr_t i = lookup_hashed(th, ht, key, hash);
  if (i >= 0) {
    VAL(ht, i) = val;
    return;
  }
  if ((ht->count + ht->deleted + 1) * 4 > ht->size * 3) {
    size_t want = ht->count * 2 + 2;
    grow(th, ht, round_pow2(want + want / 3 + 1));
  }
  insert_hashed(ht, key, val, hash);
  ht->count++;
}

bool hash_remove(Thread *th, Value table, Value key) {
  HashTable *ht = hashtable_of(table);
  intptr_t i = lookup(th, ht, key);
  if (i < 0) return false;
  KEY(ht, i) = DELETED;
  VAL(ht, i) = NIL;
  ht->count--;
  ht->deleted++;
  return true;
}

void hash_clear(Thread *th, Value table) {
  UNUSED(th);
  HashTable *ht = hashtable_of(table);
  for (size_t i = 0; i < ht->size; i++) {
    KEY(ht, i) = EMPTY;
    VAL(ht, i) = NIL;
  }
  ht->count = 0;
  ht->deleted = 0;
}

bool hash_next(Value table, size_t *i, Value *key, Value *val) {
  HashTable *ht = hashtable_of(table);
  while (*i < ht->size) {
    size_t j = (*i)++;
    Value k = KEY(ht, j);
    if (k != EMPTY && k != DELETED) {
      *key = k;
      *val = VAL(ht, j);
      return true;
    }
  }
  return false;
}
