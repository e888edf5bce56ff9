/* test_gc.c — Check suite for the collector (gc.c) and the basic constructors,
 * string conversions and EQL/EQUAL of object.c. */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../include/clove.h"
#include "../../interp/gc_internal.h"

/* Provided by api.c: the VM's main thread. */
extern Thread *clove_vm_thread(CloveVM *vm);

/* Only the CloveVM handle lives in a static: Lisp values in statics are not roots.
 * The VM is opened once, before Check forks each test (opening it costs most under
 * CLOVE_GC_STRESS=1), and each test runs on its own copy. */
static CloveVM *cvm;
static bool env_stress;

static Thread *thread(void) { return clove_vm_thread(cvm); }

static void open_vm(void) {
  if (cvm) return;
  const char *e = getenv("CLOVE_GC_STRESS");
  env_stress = e && *e && strcmp(e, "0") != 0;
  cvm = clove_open(NULL);
  ck_assert_ptr_nonnull(cvm);
}

/* The big cases control collections themselves: at every allocation they would not end. */
static void setup_collector(void) {
  open_vm();
  gc_set_stress(thread()->vm, false);
}

/* The small cases run as the environment asks, stress included. */
static void setup_objects(void) {
  open_vm();
  gc_set_stress(thread()->vm, env_stress);
}

/* Overwrites the dead part of the stack so that stale words do not keep garbage. */
__attribute__((noinline)) static void clear_stack(void) {
  char buf[128 * 1024];
  memset(buf, 0, sizeof buf);
  __asm__ volatile("" : : "r"(buf) : "memory");
}

/* Allocates enough short-lived objects to reuse any slot freed by mistake. */
__attribute__((noinline)) static void churn(Thread *th, size_t n) {
  for (size_t i = 0; i < n; i++) {
    Value s = make_string_n(th, i % 40);
    gc_cons(th, s, make_fixnum((intptr_t)i));
    if (i % 5 == 0) make_svector(th, i % 64, make_fixnum(-1));
  }
}

static bool is_utf8(Value s, const char *expect) {
  char *c = string_to_cstr(s);
  bool ok = c && strcmp(c, expect) == 0;
  free(c);
  return ok;
}

/* ---- Reachable structures survive ---- */

START_TEST(test_cyclic_structures) {
  Thread *th = thread();
  /* A circular list of strings, and a vector and a box that point at each other. */
  Value first = gc_cons(th, make_string_c(th, "s0"), NIL), last = first;
  for (int i = 1; i < 1000; i++) {
    char buf[16];
    snprintf(buf, sizeof buf, "s%d", i);
    Value c = gc_cons(th, make_string_c(th, buf), NIL);
    CDR(last) = c;
    last = c;
  }
  CDR(last) = first;
  Value vec = make_svector(th, 3, NIL);
  Value box = make_box(th, vec);
  svec_of(vec)->data[0] = box;
  svec_of(vec)->data[1] = first;
  svec_of(vec)->data[2] = make_double(th, 2.5);
  first = last = NIL;
  for (int round = 0; round < 3; round++) {
    gc_collect(th);
    churn(th, 20000);
  }
  Value l = svec_of(box_of(box)->value)->data[1];
  ck_assert_int_eq(list_length(l), -1);
  for (int i = 0; i < 1000; i++, l = CDR(l)) {
    char buf[16];
    snprintf(buf, sizeof buf, "s%d", i);
    ck_assert_msg(string_eq_c(CAR(l), buf), "element %d damaged", i);
  }
  ck_assert(l == svec_of(vec)->data[1]);
  ck_assert(svec_of(vec)->data[0] == box);
  ck_assert(double_of(svec_of(vec)->data[2])->d == 2.5);
}
END_TEST

START_TEST(test_million_long_list) {
  Thread *th = thread();
  const intptr_t n = 1000000;
  Value list = NIL;
  for (intptr_t i = n; i-- > 0;) list = gc_cons(th, i % 1000 == 0 ? make_double(th, (double)i) : make_fixnum(i), list);
  gc_collect(th);
  churn(th, 50000);
  gc_collect(th);
  ck_assert_int_eq(list_length(list), n);
  intptr_t i = 0, bad = 0;
  for (Value l = list; l != NIL; l = CDR(l), i++) {
    if (i % 1000 == 0) bad += !(is_double(CAR(l)) && double_of(CAR(l))->d == (double)i);
    else bad += CAR(l) != make_fixnum(i);
  }
  ck_assert_int_eq(i, n);
  ck_assert_int_eq(bad, 0);
}
END_TEST

START_TEST(test_million_deep_car_chain) {
  Thread *th = thread();
  const int depth = 1000000;
  Value chain = make_fixnum(42);
  for (int i = 0; i < depth; i++) chain = gc_cons(th, chain, make_fixnum(i));
  gc_collect(th);
  churn(th, 50000);
  gc_collect(th);
  int d = 0, bad = 0;
  Value c = chain;
  while (is_cons(c)) {
    bad += CDR(c) != make_fixnum(depth - 1 - d);
    c = CAR(c);
    d++;
  }
  ck_assert_int_eq(d, depth);
  ck_assert_int_eq(bad, 0);
  ck_assert(c == make_fixnum(42));
  /* EQUAL must not recurse on the C stack either. */
  Value other = make_fixnum(42);
  for (int i = 0; i < depth; i++) other = gc_cons(th, other, make_fixnum(i));
  ck_assert(equal(chain, other));
  CAR(other) = NIL;
  ck_assert(!equal(chain, other));
}
END_TEST

START_TEST(test_large_objects) {
  Thread *th = thread();
  const size_t n = 10u << 20;
  Value s = make_string_n(th, n);
  for (size_t i = 0; i < n; i++) string_of(s)->data[i] = (uint32_t)('a' + i % 26);
  Value oct = make_octets(th, n);
  for (size_t i = 0; i < n; i++) octets_of(oct)->data[i] = (uint8_t)(i * 7);
  /* A large vector whose elements are only reachable through it. */
  Value vec = make_svector(th, 100000, NIL);
  for (size_t i = 0; i < 100000; i++) svec_of(vec)->data[i] = make_double(th, (double)i);
  for (int round = 0; round < 3; round++) {
    make_string_n(th, n); /* large garbage */
    churn(th, 20000);
    gc_collect(th);
  }
  /* Counted, not asserted per element: each Check assertion costs a write. */
  size_t bad = 0;
  for (size_t i = 0; i < n; i++) bad += string_of(s)->data[i] != (uint32_t)('a' + i % 26);
  for (size_t i = 0; i < n; i++) bad += octets_of(oct)->data[i] != (uint8_t)(i * 7);
  for (size_t i = 0; i < 100000; i++) bad += double_of(svec_of(vec)->data[i])->d != (double)i;
  ck_assert_uint_eq(bad, 0);
  ck_assert(gc_is_allocated(th->vm, s) && gc_is_allocated(th->vm, oct) && gc_is_allocated(th->vm, vec));
}
END_TEST

START_TEST(test_garbage_keeps_heap_bounded) {
  Thread *th = thread();
  gc_collect(th);
  GcStats before, after;
  gc_stats(th->vm, &before);
  Value keep = list3(th, make_string_c(th, "kept"), make_fixnum(7), make_double(th, 1.5));
  for (int i = 0; i < 2000000; i++) {
    gc_cons(th, make_fixnum(i), NIL);
    if (i % 100 == 0) make_string_n(th, (size_t)(100 + i % 5000)); /* up to 20 KB: small and large */
    if (i % 7 == 0) make_svector(th, (size_t)(i % 200), NIL);
  }
  gc_stats(th->vm, &after);
  ck_assert_uint_ge(after.collections, before.collections + 5);
  ck_assert_msg(after.heap_bytes < before.heap_bytes + (64u << 20), "heap grew from %zu to %zu bytes",
                before.heap_bytes, after.heap_bytes);
  ck_assert(string_eq_c(CAR(keep), "kept"));
  ck_assert(CAR(CDR(keep)) == make_fixnum(7));
  ck_assert(double_of(CAR(CDR(CDR(keep))))->d == 1.5);
  ck_assert(after.gc_seconds > 0);
}
END_TEST

START_TEST(test_stress_mode) {
  Thread *th = thread();
  GcStats before, after;
  gc_stats(th->vm, &before);
  gc_set_stress(th->vm, true);
  Value list = NIL;
  for (int i = 0; i < 300; i++) {
    char buf[32];
    snprintf(buf, sizeof buf, "item %d", i);
    list = gc_cons(th, list2(th, make_string_c(th, buf), make_box(th, make_fixnum(i))), list);
  }
  gc_set_stress(th->vm, false);
  gc_stats(th->vm, &after);
  ck_assert_uint_ge(after.collections, before.collections + 300 * 5);
  for (int i = 299; i >= 0; i--, list = CDR(list)) {
    char buf[32];
    snprintf(buf, sizeof buf, "item %d", i);
    ck_assert(string_eq_c(CAR(CAR(list)), buf));
    ck_assert(box_of(CAR(CDR(CAR(list))))->value == make_fixnum(i));
  }
  ck_assert(list == NIL);
}
END_TEST

/* ---- Interior pointers ---- */

/* Returns only a pointer into the middle of a fresh string's characters. */
__attribute__((noinline)) static uint32_t *interior_of_new_string(Thread *th, size_t n) {
  Value s = make_string_n(th, n);
  for (size_t i = 0; i < n; i++) string_of(s)->data[i] = (uint32_t)(i + 1);
  return &string_of(s)->data[n / 2];
}

/* Returns a pointer to the cdr field of the second cons of a fresh list (untagged). */
__attribute__((noinline)) static Value *interior_of_new_list(Thread *th) {
  Value l = list3(th, make_string_c(th, "one"), make_string_c(th, "two"), make_string_c(th, "three"));
  return &cons_of(CDR(l))->cdr;
}

START_TEST(test_interior_pointers) {
  Thread *th = thread();
  uint32_t *volatile small = interior_of_new_string(th, 100);     /* a small-page object */
  uint32_t *volatile large = interior_of_new_string(th, 1 << 20); /* a large object */
  Value *volatile field = interior_of_new_list(th);
  clear_stack();
  for (int round = 0; round < 3; round++) {
    gc_collect(th);
    churn(th, 50000);
    make_string_n(th, 1 << 20);
  }
  ck_assert(gc_is_allocated(th->vm, (Value)small));
  ck_assert(gc_is_allocated(th->vm, (Value)large));
  int bad = 0;
  for (int i = -50; i < 50; i++) bad += small[i] != (uint32_t)(50 + i + 1);
  for (int i = -1000; i < 1000; i++) bad += large[i] != (uint32_t)((1 << 19) + i + 1);
  ck_assert_int_eq(bad, 0);
  /* The cons holding the field is alive, and so is what it points to. */
  Value rest = *field;
  ck_assert(is_cons(rest) && string_eq_c(CAR(rest), "three") && CDR(rest) == NIL);
}
END_TEST

/* ---- Finalizers ---- */

static int finalized_count, kept_finalized;

static void count_finalize(void *payload) { ++*(int *)payload; }

__attribute__((noinline)) static void make_unreachable_foreigns(Thread *th, int n) {
  for (int i = 0; i < n; i++) make_foreign(th, NIL, &finalized_count, count_finalize);
}

START_TEST(test_foreign_finalizer) {
  Thread *th = thread();
  finalized_count = kept_finalized = 0;
  Value keep = make_svector(th, 1, NIL);
  svec_of(keep)->data[0] = make_foreign(th, NIL, &kept_finalized, count_finalize);
  gc_set_finalizer(th, svec_of(keep)->data[0]); /* registering twice must not finalize twice */
  make_unreachable_foreigns(th, 100);
  clear_stack();
  gc_collect(th);
  /* A stale word may keep one alive; nearly all must be gone. */
  ck_assert_int_ge(finalized_count, 95);
  ck_assert_int_le(finalized_count, 100);
  int after_first = finalized_count;
  clear_stack();
  gc_collect(th);
  ck_assert_int_ge(finalized_count, after_first);
  ck_assert_int_le(finalized_count, 100);
  ck_assert_int_eq(kept_finalized, 0);
  ck_assert(((Foreign *)svec_of(keep)->data[0])->payload == &kept_finalized);
  /* Closing the VM finalizes what is left, once. */
  clove_close(cvm);
  cvm = NULL; /* the next test, if run in this process, opens another */
  ck_assert_int_eq(finalized_count, 100);
  ck_assert_int_eq(kept_finalized, 1);
}
END_TEST

/* Weak boxes whose targets are reachable only through them. */
__attribute__((noinline)) static Value make_weak_boxes(Thread *th, int n) {
  Value v = make_svector(th, (size_t)n, NIL);
  for (int i = 0; i < n; i++) {
    WeakBox *w = gc_alloc(th, T_WEAKBOX, sizeof(WeakBox));
    w->value = make_string_c(th, "only weakly held");
    svec_of(v)->data[i] = obj_value(w);
  }
  return v;
}

START_TEST(test_weak_box) {
  Thread *th = thread();
  Value boxes = make_weak_boxes(th, 20);
  clear_stack();
  gc_collect(th);
  int cleared = 0;
  for (int i = 0; i < 20; i++) {
    Value t = ((WeakBox *)svec_of(boxes)->data[i])->value;
    if (t == NIL) cleared++;
    else ck_assert(string_eq_c(t, "only weakly held"));
  }
  ck_assert_int_ge(cleared, 18);
  WeakBox *strong = gc_alloc(th, T_WEAKBOX, sizeof(WeakBox));
  Value target = make_string_c(th, "target");
  strong->value = target;
  gc_collect(th);
  ck_assert(strong->value == target);
  ck_assert(string_eq_c(strong->value, "target"));
}
END_TEST

/* ---- object.c ---- */

START_TEST(test_strings) {
  Thread *th = thread();
  Value s = make_string_c(th, "h\xc3\xa9llo \xe2\x82\xac \xf0\x9f\x98\x80");
  size_t n;
  const uint32_t *d = string_chars(s, &n);
  ck_assert_uint_eq(n, 9);
  ck_assert_uint_eq(d[1], 0xE9);
  ck_assert_uint_eq(d[6], 0x20AC);
  ck_assert_uint_eq(d[8], 0x1F600);
  ck_assert(is_utf8(s, "h\xc3\xa9llo \xe2\x82\xac \xf0\x9f\x98\x80"));
  ck_assert(string_eq_c(s, "h\xc3\xa9llo \xe2\x82\xac \xf0\x9f\x98\x80"));
  ck_assert(!string_eq_c(s, "hello"));
  /* Invalid bytes: a lone continuation, a truncated sequence, an overlong form, a surrogate. */
  Value bad = make_string_utf8(th, "a\x80" "b\xe2\x82" "c\xc0\xaf" "d\xed\xa0\x80", 12);
  d = string_chars(bad, &n);
  uint32_t expect[] = {'a', 0xFFFD, 'b', 0xFFFD, 'c', 0xFFFD, 0xFFFD, 'd', 0xFFFD, 0xFFFD, 0xFFFD};
  ck_assert_uint_eq(n, sizeof expect / sizeof expect[0]);
  for (size_t i = 0; i < n; i++) ck_assert_uint_eq(d[i], expect[i]);
  /* Embedded NUL survives the explicit-length constructor. */
  Value nul = make_string_utf8(th, "a\0b", 3);
  ck_assert_uint_eq(string_of(nul)->len, 3);
  ck_assert_uint_eq(string_of(nul)->data[1], 0);
  ck_assert_uint_eq(string_of(make_string_n(th, 5))->len, 5);
  ck_assert(string_of(make_string_n(th, 5))->data[4] == 0);
  char buf[4];
  ck_assert_uint_eq(utf8_encode(0x41, buf), 1);
  ck_assert_uint_eq(utf8_encode(0x7FF, buf), 2);
  ck_assert_uint_eq(utf8_encode(0xFFFF, buf), 3);
  ck_assert_uint_eq(utf8_encode(0x10FFFF, buf), 4);
  ck_assert(memcmp(buf, "\xf4\x8f\xbf\xbf", 4) == 0);
}
END_TEST

/* A character array with a fill pointer, displaced into a simple string. */
static Value string_array(Thread *th, Value simple, size_t offset, size_t fill) {
  Array *a = gc_alloc(th, T_ARRAY, sizeof(Array) + sizeof(size_t));
  a->h.flags = ARR_FILL_POINTER | ARR_DISPLACED;
  a->data = simple;
  a->offset = offset;
  a->fill = fill;
  a->total = string_of(simple)->len - offset;
  a->rank = 1;
  a->dims[0] = a->total;
  return obj_value(a);
}

START_TEST(test_complex_strings) {
  Thread *th = thread();
  Value simple = make_string_c(th, "xxhello worldyy");
  Value arr = string_array(th, simple, 2, 5);
  ck_assert(is_any_string(arr));
  ck_assert(!is_string(arr));
  ck_assert(is_utf8(arr, "hello"));
  ck_assert(string_eq_c(arr, "hello"));
  ck_assert(equal(arr, make_string_c(th, "hello")));
  ck_assert(!equal(arr, make_string_c(th, "hellO")));
  ck_assert(!eql(arr, make_string_c(th, "hello")));
  ck_assert(is_utf8(NIL, "NIL"));
  ck_assert(is_utf8(make_char(0xE9), "\xc3\xa9"));
  ck_assert(string_to_cstr(make_fixnum(3)) == NULL);
  ck_assert(!is_any_string(make_svector(th, 2, NIL)));
  ck_assert(!is_any_string(NIL));
}
END_TEST

START_TEST(test_lists) {
  Thread *th = thread();
  Value v[5] = {make_fixnum(1), make_fixnum(2), make_fixnum(3), make_fixnum(4), make_fixnum(5)};
  Value l = list_from_array(th, 5, v);
  ck_assert_int_eq(list_length(l), 5);
  ck_assert_int_eq(list_length(NIL), 0);
  ck_assert_int_eq(list_length(list1(th, NIL)), 1);
  ck_assert_int_eq(list_length(list4(th, v[0], v[1], v[2], v[3])), 4);
  ck_assert_int_eq(list_length(gc_cons(th, v[0], v[1])), -1);
  ck_assert_int_eq(list_length(gc_cons(th, v[0], gc_cons(th, v[1], v[2]))), -1);
  Value circ = list2(th, v[0], v[1]);
  CDR(CDR(circ)) = circ;
  ck_assert_int_eq(list_length(circ), -1);
  CDR(circ) = circ;
  ck_assert_int_eq(list_length(circ), -1);
  Value r = nreverse_list(l);
  for (int i = 5; i >= 1; i--, r = CDR(r)) ck_assert(CAR(r) == make_fixnum(i));
  ck_assert(r == NIL);
  ck_assert(nreverse_list(NIL) == NIL);
  Value three = list3(th, v[0], v[1], v[2]);
  ck_assert(CAR(CDR(CDR(three))) == v[2] && CDR(CDR(CDR(three))) == NIL);
}
END_TEST

static Value bignum(Thread *th, int32_t size, uint64_t limb) {
  Bignum *b = gc_alloc(th, T_BIGNUM, sizeof(Bignum) + sizeof(uint64_t));
  b->size = size;
  b->limbs[0] = limb;
  return obj_value(b);
}

START_TEST(test_eql_equal) {
  Thread *th = thread();
  ck_assert(eql(make_fixnum(5), make_fixnum(5)));
  ck_assert(!eql(make_fixnum(5), make_fixnum(6)));
  ck_assert(eql(make_char('a'), make_char('a')));
  ck_assert(eql(make_sfloat(1.5f), make_sfloat(1.5f)));
  ck_assert(eql(make_double(th, 2.0), make_double(th, 2.0)));
  ck_assert(!eql(make_double(th, 0.0), make_double(th, -0.0)));
  ck_assert(!eql(make_double(th, 2.0), make_sfloat(2.0f)));
  ck_assert(eql(bignum(th, 1, 1ull << 63), bignum(th, 1, 1ull << 63)));
  ck_assert(!eql(bignum(th, 1, 1ull << 63), bignum(th, -1, 1ull << 63)));
  Ratio *r1 = gc_alloc(th, T_RATIO, sizeof(Ratio)), *r2 = gc_alloc(th, T_RATIO, sizeof(Ratio));
  r1->num = r2->num = make_fixnum(1);
  r1->den = make_fixnum(3);
  r2->den = make_fixnum(3);
  ck_assert(eql(obj_value(r1), obj_value(r2)));
  r2->den = make_fixnum(4);
  ck_assert(!eql(obj_value(r1), obj_value(r2)));
  ck_assert(!eql(make_string_c(th, "a"), make_string_c(th, "a")));
  ck_assert(equal(make_string_c(th, "a"), make_string_c(th, "a")));
  Value a = list3(th, make_string_c(th, "x"), list2(th, make_double(th, 1.0), NIL), make_fixnum(3));
  Value b = list3(th, make_string_c(th, "x"), list2(th, make_double(th, 1.0), NIL), make_fixnum(3));
  ck_assert(equal(a, b));
  ck_assert(equal(gc_cons(th, make_fixnum(1), make_fixnum(2)), gc_cons(th, make_fixnum(1), make_fixnum(2))));
  ck_assert(!equal(gc_cons(th, make_fixnum(1), make_fixnum(2)), gc_cons(th, make_fixnum(1), make_fixnum(3))));
  CAR(CAR(CDR(b))) = make_double(th, 1.5);
  ck_assert(!equal(a, b));
  /* Vectors other than strings and bit vectors are EQUAL only when EQ. */
  ck_assert(!equal(make_svector(th, 1, NIL), make_svector(th, 1, NIL)));
  ck_assert(!equal(make_octets(th, 2), make_octets(th, 2)));
  /* Bit vectors compare by elements. */
  NumVec *b1 = gc_alloc(th, T_NUMVEC, sizeof(NumVec) + 8), *b2 = gc_alloc(th, T_NUMVEC, sizeof(NumVec) + 8);
  b1->h.flags = b2->h.flags = NV_BIT;
  b1->len = b2->len = 10;
  b1->data[0] = 0x2A5;
  b2->data[0] = 0x2A5 | (1ull << 40); /* beyond the length: ignored */
  ck_assert(equal(obj_value(b1), obj_value(b2)));
  b2->data[0] ^= 4;
  ck_assert(!equal(obj_value(b1), obj_value(b2)));
  ck_assert(!equal(make_string_c(th, ""), NIL));
  ck_assert(equal(NIL, NIL));
}
END_TEST

START_TEST(test_constructors) {
  Thread *th = thread();
  Value v = make_svector(th, 4, make_fixnum(9));
  ck_assert(is_type(v, T_SVECTOR) && svec_of(v)->len == 4 && svec_of(v)->data[3] == make_fixnum(9));
  Value o = make_octets(th, 3);
  ck_assert(is_type(o, T_OCTETS) && octets_of(o)->len == 3 && octets_of(o)->data[2] == 0);
  ck_assert(is_type(make_box(th, NIL), T_BOX) && box_of(make_box(th, make_fixnum(1)))->value == make_fixnum(1));
  Value f = make_foreign(th, NIL, NULL, NULL);
  ck_assert(is_type(f, T_FOREIGN) && ((Foreign *)f)->tag == NIL);
  ck_assert(is_double(make_double(th, 3.25)) && double_of(make_double(th, 3.25))->d == 3.25);
  ck_assert(((uintptr_t)gc_alloc(th, T_SVECTOR, 40) & 15) == 0);
  ck_assert(((uintptr_t)gc_alloc(th, T_SVECTOR, 5000) & 15) == 0);
  ck_assert((cons_of(gc_cons(th, NIL, NIL)) != NULL));
  GcStats st;
  gc_collect(th);
  gc_stats(th->vm, &st);
  ck_assert_uint_gt(st.heap_bytes, 0);
  ck_assert_uint_gt(st.live_bytes, 0);
  ck_assert_uint_ge(st.collections, 1);
}
END_TEST

static Suite *gc_suite(void) {
  Suite *s = suite_create("gc");
  TCase *tc = tcase_create("collector");
  tcase_add_unchecked_fixture(tc, open_vm, NULL);
  tcase_add_checked_fixture(tc, setup_collector, NULL);
  tcase_set_timeout(tc, 300);
  tcase_add_test(tc, test_cyclic_structures);
  tcase_add_test(tc, test_million_long_list);
  tcase_add_test(tc, test_million_deep_car_chain);
  tcase_add_test(tc, test_large_objects);
  tcase_add_test(tc, test_garbage_keeps_heap_bounded);
  tcase_add_test(tc, test_stress_mode);
  tcase_add_test(tc, test_interior_pointers);
  tcase_add_test(tc, test_foreign_finalizer);
  tcase_add_test(tc, test_weak_box);
  suite_add_tcase(s, tc);
  TCase *to = tcase_create("objects");
  tcase_add_unchecked_fixture(to, open_vm, NULL);
  tcase_add_checked_fixture(to, setup_objects, NULL);
  tcase_set_timeout(to, 60);
  tcase_add_test(to, test_strings);
  tcase_add_test(to, test_complex_strings);
  tcase_add_test(to, test_lists);
  tcase_add_test(to, test_eql_equal);
  tcase_add_test(to, test_constructors);
  suite_add_tcase(s, to);
  return s;
}

int main(void) {
  SRunner *sr = srunner_create(gc_suite());
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  if (cvm) clove_close(cvm);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
