/* gc.c — the allocator and the collector: size-class pages, a large-object space,
 * conservative roots (VM, threads, C stack and registers), precise tracing, finalizers. */
#include <pthread.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>

#include "gc_internal.h"
#include "stream.h"

/* Implemented by stream.c: closes an unreachable stream's fd (if it still owns one)
 * and frees its buffers. Runs inside the collector: C only, no allocation. */
extern void stream_finalize(Value stream);

#define PAGE_SHIFT 16
#define PAGE_BYTES ((size_t)1 << PAGE_SHIFT)
#define BM_WORDS 64 /* bitmap words: enough for 4096 slots of 16 bytes */
#define MAX_SMALL 2048
#define NCLS 15
#define CONS_CLS 14
#define CLS_FREE 0xff
#define ARENA_MIN_PAGES 16
#define ARENA_MAX_PAGES 1024
#define MIN_THRESHOLD ((size_t)8 << 20)
#define LARGE_MAX ((size_t)1 << 46) /* beyond this no machine has the memory */

static const uint32_t class_sizes[NCLS] = {16,  32,  48,  64,   96,   128,  192, 256,
                                           384, 512, 768, 1024, 1536, 2048, 16};

/* The header at the start of each 64 KiB page. Slots start at SLOTS_OFFSET. */
typedef struct Page {
  uint8_t cls;      /* size class index, or CLS_FREE while the page is in the pool */
  uint8_t is_cons;  /* its slots are headerless conses */
  uint8_t released; /* body given back to the OS with MADV_DONTNEED while pooled */
  uint8_t pad;
  uint32_t slot_size;
  uint32_t nslots;
  uint32_t recip; /* ceil(2^32 / slot_size): slot index by multiplication */
  uint32_t live;
  uint32_t pad2;
  struct Page *next; /* refill list of its class, or the pool */
  uint64_t mark[BM_WORDS];
  uint64_t alloc[BM_WORDS];
  uint64_t fin[BM_WORDS]; /* registered for finalization */
} Page;

#define SLOTS_OFFSET ((sizeof(Page) + 15) & ~(size_t)15)

/* A large object: malloc'd, this header then the object. */
typedef struct Large {
  size_t size;
  uint8_t mark, fin;
  uint8_t pad[6];
} Large;

typedef struct FreeSlot {
  struct FreeSlot *next;
} FreeSlot;

typedef struct Arena {
  char *base;
  size_t bytes;
} Arena;

struct Heap {
  VM *vm;
  /* Allocation fast path */
  FreeSlot *free[NCLS];
  intptr_t budget; /* bytes left before the next collection */
  uint32_t recip[NCLS];
  uint8_t cls_for[MAX_SMALL / 16 + 1];

  /* Small pages */
  Page *refill[NCLS]; /* pages of the class with free slots not yet on the free list */
  Page *pool;         /* empty pages, any class */
  Page **pages;       /* every page ever taken from an arena */
  size_t npages, pages_cap;
  char *arena_next, *arena_end;
  Arena *arenas;
  size_t narenas, arenas_cap;
  uintptr_t lo, hi; /* bounds of all arenas */

  /* Page table: page number -> Page, open addressing */
  uintptr_t *pt_keys;
  Page **pt_vals;
  size_t pt_cap, pt_count;

  /* Large objects */
  Large **large;
  size_t nlarge, large_cap;
  bool large_sorted;
  uintptr_t large_lo, large_hi;
  size_t large_bytes;

  /* Marking */
  Value *mstack;
  size_t msp, mcap;
  bool overflow;
  Value *weak;
  size_t nweak, weak_cap;

  /* Objects to finalize when unreachable */
  Value *fin;
  size_t nfin, fin_cap;


  /* Accounting */
  size_t live_bytes, threshold, collections, live_objects, live_conses;
  double gc_seconds;
  bool stress, collecting;
};

/* ---- Page table ---- */

static inline size_t pt_hash(uintptr_t key) { return (size_t)((key * 0x9E3779B97F4A7C15ull) >> 20); }

static inline Page *pt_find(const Heap *h, uintptr_t key) {
  size_t mask = h->pt_cap - 1;
  for (size_t i = pt_hash(key) & mask;; i = (i + 1) & mask) {
    uintptr_t k = h->pt_keys[i];
    if (k == key) return h->pt_vals[i];
    if (k == 0) return NULL;
  }
}

static bool pt_insert(Heap *h, uintptr_t key, Page *p) {
  if ((h->pt_count + 1) * 2 > h->pt_cap) {
    size_t cap = h->pt_cap ? h->pt_cap * 2 : 1024;
    uintptr_t *keys = calloc(cap, sizeof *keys);
    Page **vals = calloc(cap, sizeof *vals);
    if (!keys || !vals) {
      free(keys);
      free(vals);
      return false;
    }
    for (size_t i = 0; i < h->pt_cap; i++) {
      if (!h->pt_keys[i]) continue;
      size_t j = pt_hash(h->pt_keys[i]) & (cap - 1);
      while (keys[j]) j = (j + 1) & (cap - 1);
      keys[j] = h->pt_keys[i];
      vals[j] = h->pt_vals[i];
    }
    free(h->pt_keys);
    free(h->pt_vals);
    h->pt_keys = keys;
    h->pt_vals = vals;
    h->pt_cap = cap;
  }
  size_t mask = h->pt_cap - 1, i = pt_hash(key) & mask;
  while (h->pt_keys[i]) i = (i + 1) & mask;
  h->pt_keys[i] = key;
  h->pt_vals[i] = p;
  h->pt_count++;
  return true;
}

/* ---- Pages ---- */

static inline Page *page_of(const void *p) { return (Page *)((uintptr_t)p & ~(uintptr_t)(PAGE_BYTES - 1)); }

static inline uint32_t slot_index(const Page *p, uintptr_t addr, uint32_t recip) {
  return (uint32_t)(((uint64_t)(addr - (uintptr_t)p - SLOTS_OFFSET) * recip) >> 32);
}

static inline uintptr_t slot_addr(const Page *p, uint32_t idx) {
  return (uintptr_t)p + SLOTS_OFFSET + (uintptr_t)idx * p->slot_size;
}

static bool grow_array(void **arr, size_t *cap, size_t need, size_t elt) {
  if (need <= *cap) return true;
  size_t n = *cap ? *cap : 64;
  while (n < need) n *= 2;
  void *a = realloc(*arr, n * elt);
  if (!a) return false;
  *arr = a;
  *cap = n;
  return true;
}

static bool new_arena(Heap *h) {
  size_t np = h->npages / 4;
  if (np < ARENA_MIN_PAGES) np = ARENA_MIN_PAGES;
  if (np > ARENA_MAX_PAGES) np = ARENA_MAX_PAGES;
  size_t bytes = np * PAGE_BYTES;
  if (!grow_array((void **)&h->arenas, &h->arenas_cap, h->narenas + 1, sizeof(Arena))) return false;
  /* Over-map by one page to align the arena on a page boundary, then trim. */
  char *raw = mmap(NULL, bytes + PAGE_BYTES, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
                   -1, 0);
  if (raw == MAP_FAILED) return false;
  char *base = (char *)(((uintptr_t)raw + PAGE_BYTES - 1) & ~(uintptr_t)(PAGE_BYTES - 1));
  if (base > raw) munmap(raw, (size_t)(base - raw));
  size_t tail = (size_t)((raw + bytes + PAGE_BYTES) - (base + bytes));
  if (tail) munmap(base + bytes, tail);
  h->arenas[h->narenas++] = (Arena){base, bytes};
  h->arena_next = base;
  h->arena_end = base + bytes;
  if (!h->lo || (uintptr_t)base < h->lo) h->lo = (uintptr_t)base;
  if ((uintptr_t)(base + bytes) > h->hi) h->hi = (uintptr_t)(base + bytes);
  return true;
}

static void format_page(Heap *h, Page *p, unsigned cls) {
  p->cls = (uint8_t)cls;
  p->is_cons = cls == CONS_CLS;
  p->released = 0;
  p->slot_size = class_sizes[cls];
  p->nslots = (uint32_t)((PAGE_BYTES - SLOTS_OFFSET) / class_sizes[cls]);
  p->recip = h->recip[cls];
  p->live = 0;
  p->next = NULL;
  memset(p->mark, 0, sizeof p->mark);
  memset(p->alloc, 0, sizeof p->alloc);
  memset(p->fin, 0, sizeof p->fin);
}

static Page *take_page(Heap *h, unsigned cls) {
  Page *p = h->pool;
  if (p) {
    h->pool = p->next;
  } else {
    if (h->arena_next == h->arena_end && !new_arena(h)) return NULL;
    if (!grow_array((void **)&h->pages, &h->pages_cap, h->npages + 1, sizeof(Page *))) return NULL;
    p = (Page *)h->arena_next;
    if (!pt_insert(h, (uintptr_t)p >> PAGE_SHIFT, p)) return NULL;
    h->arena_next += PAGE_BYTES;
    h->pages[h->npages++] = p;
  }
  format_page(h, p, cls);
  return p;
}

/* Threads the page's free slots, in address order, onto the class's free list. */
static void thread_free_slots(Heap *h, Page *p) {
  FreeSlot *head = NULL, **tail = &head;
  if (p->live == 0) { /* a fresh page: every slot, without reading the bitmap */
    uintptr_t a = slot_addr(p, 0), size = p->slot_size;
    for (uint32_t i = 0; i < p->nslots; i++, a += size) {
      *tail = (FreeSlot *)a;
      tail = &((FreeSlot *)a)->next;
    }
    *tail = h->free[p->cls];
    h->free[p->cls] = head;
    return;
  }
  for (uint32_t w = 0; w * 64 < p->nslots; w++) {
    uint64_t freebits = ~p->alloc[w];
    uint32_t left = p->nslots - w * 64;
    if (left < 64) freebits &= ((uint64_t)1 << left) - 1;
    while (freebits) {
      uint32_t idx = w * 64 + (uint32_t)__builtin_ctzll(freebits);
      freebits &= freebits - 1;
      FreeSlot *s = (FreeSlot *)slot_addr(p, idx);
      *tail = s;
      tail = &s->next;
    }
  }
  *tail = h->free[p->cls];
  h->free[p->cls] = head;
}

static bool refill(Heap *h, unsigned cls) {
  while (!h->free[cls]) {
    Page *p = h->refill[cls];
    if (p) {
      h->refill[cls] = p->next;
      p->next = NULL;
    } else {
      p = take_page(h, cls);
      if (!p) return false;
    }
    thread_free_slots(h, p);
  }
  return true;
}

/* ---- Large objects ---- */

static inline void *large_obj(Large *l) { return l + 1; }

static int cmp_ptr(const void *a, const void *b) {
  uintptr_t x = (uintptr_t)(*(Large *const *)a);
  uintptr_t y = (uintptr_t)(*(Large *const *)b);
  return x < y ? -1 : x > y;
}

static void sort_large(Heap *h) {
  if (!h->large_sorted && h->nlarge > 1) qsort(h->large, h->nlarge, sizeof(Large *), cmp_ptr);
  h->large_sorted = true;
  h->large_lo = h->nlarge ? (uintptr_t)h->large[0] : 0;
  h->large_hi = h->nlarge ? (uintptr_t)large_obj(h->large[h->nlarge - 1]) + h->large[h->nlarge - 1]->size : 0;
}

/* The large object whose body contains addr (only valid while sorted). */
static Large *find_large(const Heap *h, uintptr_t addr) {
  if (addr < h->large_lo || addr >= h->large_hi) return NULL;
  size_t lo = 0, hi = h->nlarge;
  while (hi - lo > 1) {
    size_t mid = (lo + hi) / 2;
    if ((uintptr_t)h->large[mid] <= addr) lo = mid;
    else hi = mid;
  }
  Large *l = h->large[lo];
  uintptr_t start = (uintptr_t)large_obj(l);
  return addr >= start && addr < start + l->size ? l : NULL;
}

/* ---- Finding objects from addresses ---- */

/* The start of the allocated small object containing addr, or 0. */
/* A small object's slot, found by value: no local of the callers has its address
 * taken, so ASan's scope poisoning never lands in scan_words' uninstrumented frame
 * (it inlines mark_addr) and outlives it. */
typedef struct SlotRef {
  Page *page;
  uint32_t idx;
  uintptr_t base; /* 0: addr is not inside an allocated small object */
} SlotRef;

static inline SlotRef find_small(const Heap *h, uintptr_t addr) {
  SlotRef r = {NULL, 0, 0};
  if (addr - h->lo >= h->hi - h->lo) return r;
  Page *p = pt_find(h, addr >> PAGE_SHIFT);
  if (!p || p->cls == CLS_FREE || addr - (uintptr_t)p < SLOTS_OFFSET) return r;
  uint32_t idx = slot_index(p, addr, p->recip);
  if (idx >= p->nslots || !((p->alloc[idx >> 6] >> (idx & 63)) & 1)) return r;
  r.page = p;
  r.idx = idx;
  r.base = slot_addr(p, idx);
  return r;
}

/* ---- Marking ---- */

static void push(Heap *h, Value v) {
  if (h->msp == h->mcap && !grow_array((void **)&h->mstack, &h->mcap, h->msp + 1, sizeof(Value))) {
    h->overflow = true; /* marked but untraced: recovered by rescanning the heap */
    return;
  }
  h->mstack[h->msp++] = v;
}

static inline bool is_leaf_type(unsigned type) {
  return type == T_STRING || type == T_OCTETS || type == T_NUMVEC || type == T_BIGNUM || type == T_DOUBLE;
}

/* Marks the object containing addr, if there is one; queues it for tracing. */
__attribute__((always_inline)) static inline void mark_addr(Heap *h, uintptr_t addr) {
  SlotRef r = find_small(h, addr);
  if (r.base) {
    Page *p = r.page;
    uint32_t idx = r.idx;
    uintptr_t base = r.base;
    uint64_t bit = (uint64_t)1 << (idx & 63);
    if (p->mark[idx >> 6] & bit) return;
    p->mark[idx >> 6] |= bit;
    if (p->is_cons) push(h, base | TAG_CONS);
    else if (!is_leaf_type(((Obj *)base)->type)) push(h, base);
    return;
  }
  Large *l = find_large(h, addr);
  if (l && !l->mark) {
    l->mark = 1;
    if (!is_leaf_type(((Obj *)large_obj(l))->type)) push(h, (Value)large_obj(l));
  }
}

static inline void mark_val(Heap *h, Value v) {
  if ((v & 2) == 0 && v) mark_addr(h, v); /* TAG_OBJ or TAG_CONS */
}

static void mark_vals(Heap *h, const Value *v, size_t n) {
  for (size_t i = 0; i < n; i++) mark_val(h, v[i]);
}

static void trace(Heap *h, Value v) {
  if ((v & TAG_MASK) == TAG_CONS) {
    mark_val(h, CAR(v));
    mark_val(h, CDR(v));
    return;
  }
  Obj *o = obj_of(v);
  switch ((enum ObjType)o->type) {
  case T_SYMBOL: {
    Symbol *s = (Symbol *)o;
    mark_val(h, s->name);
    mark_val(h, s->package);
    mark_val(h, s->value);
    mark_val(h, s->function);
    mark_val(h, s->plist);
    mark_val(h, s->setf_fn);
    break;
  }
  case T_SVECTOR: mark_vals(h, ((SVector *)o)->data, ((SVector *)o)->len); break;
  case T_ARRAY: mark_val(h, ((Array *)o)->data); break;
  case T_RATIO:
    mark_val(h, ((Ratio *)o)->num);
    mark_val(h, ((Ratio *)o)->den);
    break;
  case T_CLOSURE: {
    Closure *c = (Closure *)o;
    mark_val(h, c->lambda);
    mark_val(h, c->env);
    mark_val(h, c->name);
    break;
  }
  case T_NATIVE:
    mark_val(h, ((Native *)o)->name);
    mark_val(h, ((Native *)o)->keys);
    mark_val(h, ((Native *)o)->data);
    break;
  case T_MACRO: mark_val(h, ((Macro *)o)->expander); break;
  case T_PACKAGE: {
    Package *p = (Package *)o;
    mark_val(h, p->name);
    mark_val(h, p->nicknames);
    mark_val(h, p->use_list);
    mark_val(h, p->used_by);
    mark_val(h, p->shadowing);
    mark_val(h, p->internals);
    mark_val(h, p->externals);
    break;
  }
  case T_HASHTABLE: {
    HashTable *t = (HashTable *)o;
    mark_val(h, t->entries);
    mark_val(h, t->rehash_size);
    mark_val(h, t->rehash_threshold);
    break;
  }
  case T_STREAM: {
    Stream *s = (Stream *)o;
    mark_val(h, s->klass);
    mark_val(h, s->name);
    mark_val(h, s->element_type);
    mark_val(h, s->unread);
    mark_val(h, s->string);
    mark_val(h, s->streams);
    mark_val(h, s->symbol);
    mark_val(h, s->slots);
    break;
  }
  case T_CLASS: {
    Class *c = (Class *)o;
    mark_val(h, c->name);
    mark_val(h, c->supers);
    mark_val(h, c->cpl);
    mark_val(h, c->slots);
    mark_val(h, c->nslots);
    mark_val(h, c->default_initargs);
    mark_val(h, c->plist);
    mark_val(h, c->subclasses);
    break;
  }
  case T_INSTANCE:
    mark_val(h, ((Instance *)o)->klass);
    mark_val(h, ((Instance *)o)->slots);
    break;
  case T_NODE: mark_vals(h, ((Node *)o)->k, ((Node *)o)->nk); break;
  case T_LAMBDA: {
    Lambda *l = (Lambda *)o;
    mark_val(h, l->name);
    mark_val(h, l->body);
    mark_val(h, l->lambda_list);
    mark_val(h, l->doc);
    mark_val(h, l->params);
    mark_val(h, l->captures);
    break;
  }
  case T_BOX: mark_val(h, ((Box *)o)->value); break;
  case T_FOREIGN:
    mark_val(h, ((Foreign *)o)->tag);
    mark_val(h, ((Foreign *)o)->data);
    mark_val(h, ((Foreign *)o)->slots);
    break;
  case T_WEAKBOX:
    /* Not traced: cleared after marking if nothing else keeps the value. */
    if (grow_array((void **)&h->weak, &h->weak_cap, h->nweak + 1, sizeof(Value))) h->weak[h->nweak++] = v;
    else mark_val(h, ((WeakBox *)o)->value); /* cannot remember it: keep it strong */
    break;
  default: break; /* strings, octets, numeric vectors, bignums, doubles */
  }
}

static void drain(Heap *h) {
  while (h->msp) trace(h, h->mstack[--h->msp]);
}

/* After a failed mark-stack growth some marked objects were never traced:
 * trace every marked object again until nothing is dropped. */
static void recover_overflow(Heap *h) {
  while (h->overflow) {
    h->overflow = false;
    h->nweak = 0; /* re-recorded by the traces below */
    for (size_t i = 0; i < h->npages; i++) {
      Page *p = h->pages[i];
      if (p->cls == CLS_FREE) continue;
      for (uint32_t w = 0; w * 64 < p->nslots; w++) {
        for (uint64_t m = p->mark[w]; m; m &= m - 1) {
          uintptr_t base = slot_addr(p, w * 64 + (uint32_t)__builtin_ctzll(m));
          trace(h, p->is_cons ? base | TAG_CONS : base);
          drain(h);
        }
      }
    }
    for (size_t i = 0; i < h->nlarge; i++) {
      if (!h->large[i]->mark) continue;
      trace(h, (Value)large_obj(h->large[i]));
      drain(h);
    }
  }
}

static bool is_marked(Heap *h, Value v) {
  SlotRef r = find_small(h, v);
  if (r.base) return (r.page->mark[r.idx >> 6] >> (r.idx & 63)) & 1;
  Large *l = find_large(h, v);
  return l ? l->mark : true; /* not in the heap: never collected */
}

/* ---- Roots ---- */

/* Most words scanned (zeros, small integers, code addresses) are rejected here by
 * two range checks, before any lookup. */
/* Other threads' stacks are read while they run C code below their parked frames:
 * those words are garbage to the collector either way, so the race is benign. */
__attribute__((no_sanitize_address, no_sanitize("thread"))) static void scan_words(Heap *h, const void *from, const void *to) {
  uintptr_t a = ((uintptr_t)from + sizeof(Value) - 1) & ~(uintptr_t)(sizeof(Value) - 1);
  uintptr_t lo = h->lo, span = h->hi - h->lo, large_lo = h->large_lo, large_span = h->large_hi - h->large_lo;
  for (; a + sizeof(Value) <= (uintptr_t)to; a += sizeof(Value)) {
    uintptr_t w = *(const uintptr_t *)a;
    if (w - lo < span || w - large_lo < large_span) mark_addr(h, w);
  }
}

static void scan_block(Heap *h, const void *p, size_t bytes) {
  if (p) scan_words(h, p, (const char *)p + bytes);
}

static void scan_thread_state(Heap *h, Thread *t) {
  scan_block(h, t, sizeof *t); /* throw_value, tc_fn, last_error, ... */
  scan_block(h, t->tls, t->tls_cap * sizeof(Value));
  scan_block(h, t->vals, MULTIPLE_VALUES_LIMIT * sizeof(Value));
  scan_block(h, t->dyn, t->dyn_top * sizeof(DynEntry)); /* a, b, and the cleanup node */
  /* Only a tail call in flight has arguments there (eval.c copies them out before
   * anything can allocate); the rest of the 64K entries is stale. */
  size_t tc = t->tc_nargs > 0 ? (size_t)t->tc_nargs : 0;
  scan_block(h, t->tc_args, (tc < CALL_ARGUMENTS_LIMIT ? tc : CALL_ARGUMENTS_LIMIT) * sizeof(Value));
}

/* Scans from this frame (below the caller's spilled registers) to the stack top. */
__attribute__((noinline, no_sanitize_address)) static void scan_stack(Heap *h, Thread *th) {
  char *top = th->stack_hi ? th->stack_hi : th->stack_base;
  char *sp = (char *)__builtin_frame_address(0);
  if (top && sp < top) scan_words(h, sp, top);
}

static void mark_roots(Heap *h, Thread *th) {
  VM *vm = h->vm;
  scan_block(h, vm, sizeof *vm);
  bool current_seen = false;
  for (Thread *t = vm->threads; t; t = t->next) {
    scan_thread_state(h, t); /* its saved registers too: gc_regs is part of the record */
    current_seen |= t == th;
    /* Every other thread waits for the lock and parked (thread.c) before letting it
     * go; one that never ran Lisp has no gc_sp yet. */
    if (t != th && t->gc_sp && t->stack_hi && t->gc_sp < t->stack_hi) scan_words(h, t->gc_sp, t->stack_hi);
  }
  if (vm->main_thread && vm->main_thread != th) scan_thread_state(h, vm->main_thread);
  if (!current_seen) scan_thread_state(h, th);
  scan_stack(h, th);
  drain(h);
  recover_overflow(h);
}

/* ---- Finalization, weak boxes, sweeping ---- */

static void run_finalizer(Value v) {
  Obj *o = obj_of(v);
  if (o->type == T_FOREIGN) {
    Foreign *f = (Foreign *)o;
    if (f->finalize) f->finalize(f->payload);
  } else if (o->type == T_STREAM) {
    stream_finalize(v);
  }
}

static void finalize_unreachable(Heap *h) {
  size_t j = 0;
  for (size_t i = 0; i < h->nfin; i++) {
    Value v = h->fin[i];
    if (is_marked(h, v)) h->fin[j++] = v;
    else run_finalizer(v);
  }
  h->nfin = j;
}

static void clear_weak(Heap *h) {
  for (size_t i = 0; i < h->nweak; i++) {
    WeakBox *w = (WeakBox *)h->weak[i];
    if ((w->value & 2) == 0 && w->value && !is_marked(h, w->value)) w->value = NIL;
  }
  h->nweak = 0;
}

static void release_pool(Heap *h) {
  /* Keep some empty pages ready; give the bodies of the rest back to the OS. */
  size_t keep = (h->live_bytes / 4 > ((size_t)16 << 20) ? h->live_bytes / 4 : ((size_t)16 << 20)) / PAGE_BYTES;
  size_t n = 0;
  for (Page *p = h->pool; p; p = p->next) {
    if (p->released) continue;
    if (++n <= keep) continue;
    madvise((char *)p + 4096, PAGE_BYTES - 4096, MADV_DONTNEED);
    p->released = 1;
  }
}

static void sweep(Heap *h) {
  size_t live_bytes = 0, objects = 0, conses = 0;
  for (unsigned c = 0; c < NCLS; c++) h->refill[c] = NULL;
  /* Walking backwards makes each refill list run in the order pages were taken. */
  for (size_t i = h->npages; i-- > 0;) {
    Page *p = h->pages[i];
    if (p->cls == CLS_FREE) continue;
    uint32_t live = 0;
    for (unsigned w = 0; w < BM_WORDS; w++) {
      uint64_t a = p->alloc[w] & p->mark[w];
      p->alloc[w] = a;
      p->fin[w] &= a;
      p->mark[w] = 0;
      live += (uint32_t)__builtin_popcountll(a);
    }
    p->live = live;
    if (live == 0) {
      p->cls = CLS_FREE;
      p->next = h->pool;
      h->pool = p;
      continue;
    }
    if (live < p->nslots) {
      p->next = h->refill[p->cls];
      h->refill[p->cls] = p;
    }
    live_bytes += (size_t)live * p->slot_size;
    if (p->is_cons) conses += live;
    else objects += live;
  }
  size_t j = 0;
  h->large_bytes = 0;
  for (size_t i = 0; i < h->nlarge; i++) {
    Large *l = h->large[i];
    if (!l->mark) {
      free(l);
      continue;
    }
    l->mark = 0;
    h->large[j++] = l;
    h->large_bytes += l->size + sizeof(Large);
    objects++;
  }
  h->nlarge = j;
  h->live_bytes = live_bytes + h->large_bytes;
  h->live_objects = objects;
  h->live_conses = conses;
}

static double now_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void reset_budget(Heap *h) {
  h->threshold = h->live_bytes > MIN_THRESHOLD ? h->live_bytes : MIN_THRESHOLD;
  h->budget = h->stress ? 0 : (intptr_t)h->threshold;
}

__attribute__((noinline)) static void collect_now(Heap *h, Thread *th, jmp_buf *regs) {
  double t0 = now_seconds();
  h->collecting = true;
  /* Any allocation by a finalizer takes the slow path and is born marked. */
  h->budget = INTPTR_MIN / 2;
  for (unsigned c = 0; c < NCLS; c++) h->free[c] = NULL;
  sort_large(h);
  h->nweak = 0;
  scan_block(h, regs, sizeof *regs);
  mark_roots(h, th);
  clear_weak(h);
  finalize_unreachable(h);
  sweep(h);
  /* Slots a finalizer's allocation threaded are also in the pages' free bits now. */
  for (unsigned c = 0; c < NCLS; c++) h->free[c] = NULL;
  release_pool(h);
  if (h->mcap > ((size_t)1 << 20)) { /* a huge structure grew it: do not keep 8 MB forever */
    free(h->mstack);
    h->mstack = NULL;
    h->mcap = 0;
  }
  h->collections++;
  h->collecting = false;
  reset_budget(h);
  h->gc_seconds += now_seconds() - t0;
}

/* Spills callee-saved registers into this frame, which the stack scan covers. */
__attribute__((noinline)) static void collect(Heap *h, Thread *th) {
  jmp_buf regs;
  __builtin_unwind_init();
  setjmp(regs);
  collect_now(h, th, &regs);
}

/* ---- Public interface ---- */

void gc_init(VM *vm) {
  Heap *h = calloc(1, sizeof *h);
  vm->heap = h;
  if (!h) return;
  h->vm = vm;
  for (unsigned c = 0; c < NCLS; c++)
    h->recip[c] = (uint32_t)((((uint64_t)1 << 32) + class_sizes[c] - 1) / class_sizes[c]);
  unsigned c = 0;
  for (unsigned i = 0; i <= MAX_SMALL / 16; i++) {
    while (class_sizes[c] < i * 16) c++;
    h->cls_for[i] = (uint8_t)c;
  }
  const char *stress = getenv("CLOVE_GC_STRESS");
  h->stress = stress && *stress && strcmp(stress, "0") != 0;
  reset_budget(h);
}

void gc_shutdown(VM *vm) {
  Heap *h = vm->heap;
  if (!h) return;
  h->collecting = true;
  for (size_t i = 0; i < h->nfin; i++) run_finalizer(h->fin[i]);
  for (size_t i = 0; i < h->nlarge; i++) free(h->large[i]);
  for (size_t i = 0; i < h->narenas; i++) munmap(h->arenas[i].base, h->arenas[i].bytes);
  free(h->large);
  free(h->arenas);
  free(h->pages);
  free(h->pt_keys);
  free(h->pt_vals);
  free(h->mstack);
  free(h->weak);
  free(h->fin);
  free(h);
  vm->heap = NULL;
}

NORETURN static void out_of_memory(Thread *th, size_t size) {
  intptr_t n = size > (size_t)FIXNUM_MAX ? FIXNUM_MAX : (intptr_t)size;
  lisp_error(th, SYM(storage_condition), "Heap exhausted: cannot allocate ~D bytes.", make_fixnum(n));
}

static inline void set_alloc_bit(Heap *h, void *s, unsigned cls) {
  Page *p = page_of(s);
  uint32_t idx = slot_index(p, (uintptr_t)s, h->recip[cls]);
  p->alloc[idx >> 6] |= (uint64_t)1 << (idx & 63);
}

/* Only the slow path can run inside a collection (the budget is negative then):
 * what a finalizer allocates is born marked so that this sweep keeps it. */
static void set_alloc_bit_slow(Heap *h, void *s, unsigned cls) {
  set_alloc_bit(h, s, cls);
  if (h->collecting) {
    Page *p = page_of(s);
    uint32_t idx = slot_index(p, (uintptr_t)s, h->recip[cls]);
    p->mark[idx >> 6] |= (uint64_t)1 << (idx & 63);
  }
}

/* Collects when the budget is spent, then makes sure the free list has a slot. */
__attribute__((noinline)) static void *alloc_small_slow(Heap *h, Thread *th, unsigned cls) {
  if (h->budget < (intptr_t)class_sizes[cls] && !h->collecting) collect(h, th);
  if (!h->free[cls] && !refill(h, cls)) {
    if (h->collecting) return NULL;
    collect(h, th);
    if (!refill(h, cls)) out_of_memory(th, class_sizes[cls]);
  }
  h->budget -= (intptr_t)class_sizes[cls];
  FreeSlot *s = h->free[cls];
  h->free[cls] = s->next;
  set_alloc_bit_slow(h, s, cls);
  return s;
}

static void *alloc_large(Heap *h, Thread *th, size_t size) {
  if (size > LARGE_MAX) out_of_memory(th, size);
  intptr_t cost = (intptr_t)(size + sizeof(Large));
  if (h->budget < cost && !h->collecting) collect(h, th);
  h->budget -= cost;
  if (!grow_array((void **)&h->large, &h->large_cap, h->nlarge + 1, sizeof(Large *))) {
    if (h->collecting) return NULL;
    out_of_memory(th, size);
  }
  Large *l = calloc(1, sizeof(Large) + size);
  if (!l && !h->collecting) {
    collect(h, th);
    l = calloc(1, sizeof(Large) + size);
  }
  if (!l) {
    if (h->collecting) return NULL;
    out_of_memory(th, size);
  }
  l->size = size;
  l->mark = h->collecting;
  if (h->nlarge && h->large[h->nlarge - 1] > l) h->large_sorted = false;
  h->large[h->nlarge++] = l;
  h->large_bytes += size + sizeof(Large);
  return large_obj(l);
}

void *gc_alloc(Thread *th, enum ObjType type, size_t size) {
  Heap *h = th->vm->heap;
  Obj *o;
  if (size <= MAX_SMALL) {
    unsigned cls = h->cls_for[(size + 15) >> 4];
    FreeSlot *s = h->free[cls];
    h->budget -= (intptr_t)class_sizes[cls];
    if (__builtin_expect(s != NULL && h->budget >= 0, 1)) {
      h->free[cls] = s->next;
      set_alloc_bit(h, s, cls);
    } else {
      h->budget += (intptr_t)class_sizes[cls];
      s = alloc_small_slow(h, th, cls);
      if (!s) return NULL;
    }
    memset(s, 0, size < sizeof(Obj) ? sizeof(Obj) : size);
    o = (Obj *)s;
  } else {
    o = alloc_large(h, th, size);
    if (!o) return NULL;
  }
  o->type = (uint8_t)type;
  return o;
}

Value gc_cons(Thread *th, Value car, Value cdr) {
  Heap *h = th->vm->heap;
  FreeSlot *s = h->free[CONS_CLS];
  h->budget -= (intptr_t)sizeof(Cons);
  if (__builtin_expect(s != NULL && h->budget >= 0, 1)) {
    h->free[CONS_CLS] = s->next;
    set_alloc_bit(h, s, CONS_CLS);
  } else {
    h->budget += (intptr_t)sizeof(Cons);
    s = alloc_small_slow(h, th, CONS_CLS);
  }
  Cons *c = (Cons *)s;
  c->car = car;
  c->cdr = cdr;
  return cons_value(c);
}

void gc_collect(Thread *th) {
  Heap *h = th->vm->heap;
  if (!h->collecting) collect(h, th);
}

void gc_set_finalizer(Thread *th, Value obj) {
  Heap *h = th->vm->heap;
  if (!is_obj(obj) || (obj_of(obj)->type != T_FOREIGN && obj_of(obj)->type != T_STREAM)) return;
  SlotRef r = find_small(h, obj);
  if (r.base) {
    uint64_t bit = (uint64_t)1 << (r.idx & 63);
    if (r.page->fin[r.idx >> 6] & bit) return;
    if (!grow_array((void **)&h->fin, &h->fin_cap, h->nfin + 1, sizeof(Value))) out_of_memory(th, sizeof(Value));
    r.page->fin[r.idx >> 6] |= bit;
  } else {
    Large *l = (Large *)obj - 1; /* the two types are small, but be exact anyway */
    bool found = false;
    for (size_t i = 0; i < h->nlarge && !found; i++) found = h->large[i] == l;
    if (!found || l->fin) return;
    if (!grow_array((void **)&h->fin, &h->fin_cap, h->nfin + 1, sizeof(Value))) out_of_memory(th, sizeof(Value));
    l->fin = 1;
  }
  h->fin[h->nfin++] = obj;
}


void gc_stats(VM *vm, GcStats *out) {
  Heap *h = vm->heap;
  memset(out, 0, sizeof *out);
  if (!h) return;
  size_t pages = 0;
  for (size_t i = 0; i < h->npages; i++) pages += !h->pages[i]->released;
  out->heap_bytes = pages * PAGE_BYTES + h->large_bytes;
  /* In use now: what survived the last collection plus what was allocated since. */
  intptr_t since = (intptr_t)h->threshold - h->budget;
  out->live_bytes = h->live_bytes + (h->stress || since < 0 ? 0 : (size_t)since);
  out->collections = h->collections;
  out->objects = h->live_objects;
  out->conses = h->live_conses;
  out->gc_seconds = h->gc_seconds;
}

/* ---- For tests and debugging (gc_internal.h) ---- */

void gc_set_stress(VM *vm, bool on) {
  Heap *h = vm->heap;
  h->stress = on;
  if (!h->collecting) reset_budget(h);
}

bool gc_is_allocated(VM *vm, Value v) {
  Heap *h = vm->heap;
  if ((v & 2) || !v) return false;
  if (find_small(h, v).base) return true;
  for (size_t i = 0; i < h->nlarge; i++) {
    uintptr_t start = (uintptr_t)large_obj(h->large[i]);
    if (v >= start && v < start + h->large[i]->size) return true;
  }
  return false;
}
