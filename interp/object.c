/* object.c — constructors of the basic heap objects (strings, vectors, boxes, lists),
 * UTF-8 conversion, string access for simple and complex strings, and EQL / EQUAL. */
#include <stdlib.h>

#include "lisp.h"

/* Bytes of a header plus n elements, or SIZE_MAX when that overflows (gc_alloc
 * then signals that the heap is exhausted). */
static size_t vector_bytes(size_t header, size_t n, size_t elt) {
  if (n > (SIZE_MAX - header) / elt) return SIZE_MAX;
  return header + n * elt;
}

/* ---- Strings ---- */

Value make_string_n(Thread *th, size_t len) {
  String *s = gc_alloc(th, T_STRING, vector_bytes(sizeof(String), len, sizeof(uint32_t)));
  s->len = len;
  return obj_value(s);
}

/* Decodes one code point; malformed input yields U+FFFD for its maximal
 * well-formed prefix (as the Unicode standard recommends). */
static size_t utf8_decode(const unsigned char *s, size_t n, uint32_t *out) {
  unsigned c = s[0];
  if (c < 0x80) {
    *out = c;
    return 1;
  }
  size_t need;
  uint32_t cp;
  unsigned lo = 0x80, hi = 0xBF; /* allowed range of the second byte */
  if (c >= 0xC2 && c <= 0xDF) {
    need = 1;
    cp = c & 0x1F;
  } else if (c >= 0xE0 && c <= 0xEF) {
    need = 2;
    cp = c & 0x0F;
    if (c == 0xE0) lo = 0xA0; /* overlong */
    if (c == 0xED) hi = 0x9F; /* surrogates */
  } else if (c >= 0xF0 && c <= 0xF4) {
    need = 3;
    cp = c & 0x07;
    if (c == 0xF0) lo = 0x90; /* overlong */
    if (c == 0xF4) hi = 0x8F; /* beyond U+10FFFF */
  } else {
    *out = 0xFFFD;
    return 1;
  }
  for (size_t i = 1; i <= need; i++) {
    unsigned b = i < n ? s[i] : 0;
    if (i == 1 ? (b < lo || b > hi) : (b & 0xC0) != 0x80) {
      *out = 0xFFFD;
      return i;
    }
    cp = (cp << 6) | (b & 0x3F);
  }
  *out = cp;
  return need + 1;
}

Value make_string_utf8(Thread *th, const char *s, size_t n) {
  const unsigned char *u = (const unsigned char *)s;
  size_t count = 0;
  uint32_t cp;
  bool ascii = true;
  for (size_t i = 0; i < n; i++)
    if (u[i] >= 0x80) {
      ascii = false;
      break;
    }
  if (ascii) { /* the common case, and the embedded stdlib: no decoding */
    Value str = make_string_n(th, n);
    uint32_t *d = string_of(str)->data;
    for (size_t i = 0; i < n; i++) d[i] = u[i];
    return str;
  }
  for (size_t i = 0; i < n; count++) i += u[i] < 0x80 ? 1 : utf8_decode(u + i, n - i, &cp);
  Value str = make_string_n(th, count);
  uint32_t *d = string_of(str)->data;
  for (size_t i = 0; i < n;) {
    if (u[i] < 0x80) *d++ = u[i++];
    else i += utf8_decode(u + i, n - i, d++);
  }
  return str;
}

Value make_string_c(Thread *th, const char *s) { return make_string_utf8(th, s, strlen(s)); }

size_t utf8_encode(uint32_t cp, char out[4]) {
  if (cp >= CHAR_CODE_LIMIT) cp = 0xFFFD;
  if (cp < 0x80) {
    out[0] = (char)cp;
    return 1;
  }
  if (cp < 0x800) {
    out[0] = (char)(0xC0 | (cp >> 6));
    out[1] = (char)(0x80 | (cp & 0x3F));
    return 2;
  }
  if (cp < 0x10000) {
    out[0] = (char)(0xE0 | (cp >> 12));
    out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[2] = (char)(0x80 | (cp & 0x3F));
    return 3;
  }
  out[0] = (char)(0xF0 | (cp >> 18));
  out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
  out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
  out[3] = (char)(0x80 | (cp & 0x3F));
  return 4;
}

/* A vector with its storage resolved through displacement: the simple vector
 * holding the elements, the index of the first, and the active length. */
static bool vector_storage(Value v, Value *simple, size_t *start, size_t *len) {
  if (!is_obj(v)) return false;
  if (obj_of(v)->type != T_ARRAY) {
    *simple = v;
    *start = 0;
    switch (obj_of(v)->type) {
    case T_STRING: *len = string_of(v)->len; return true;
    case T_SVECTOR: *len = svec_of(v)->len; return true;
    case T_OCTETS: *len = octets_of(v)->len; return true;
    case T_NUMVEC: *len = ((NumVec *)v)->len; return true;
    default: return false;
    }
  }
  Array *a = array_of(v);
  if (a->rank != 1) return false;
  *len = a->fill;
  size_t offset = a->offset;
  Value data = a->data;
  /* Displaced to another array: follow it (a bounded chain, whatever the heap holds). */
  for (int depth = 0; is_type(data, T_ARRAY) && depth < 64; depth++) {
    offset += array_of(data)->offset;
    data = array_of(data)->data;
  }
  if (!is_obj(data) || obj_of(data)->type == T_ARRAY) return false;
  *simple = data;
  *start = offset;
  return true;
}

const uint32_t *string_chars(Value s, size_t *len) {
  Value simple;
  size_t start, n;
  if (!vector_storage(s, &simple, &start, &n) || !is_string(simple)) return NULL;
  *len = n;
  return string_of(simple)->data + start;
}

bool is_any_string(Value v) {
  size_t n;
  return string_chars(v, &n) != NULL;
}

/* Symbols and characters designate strings too. */
static const uint32_t *designated_chars(Value s, size_t *len, uint32_t *one) {
  static const uint32_t nil_name[] = {'N', 'I', 'L'};
  if (s == NIL) {
    *len = 3;
    return nil_name;
  }
  if (is_char(s)) {
    *one = char_code(s);
    *len = 1;
    return one;
  }
  if (is_type(s, T_SYMBOL)) s = sym_raw(s)->name;
  return string_chars(s, len);
}

char *string_to_cstr(Value s) {
  size_t n;
  uint32_t one;
  const uint32_t *d = designated_chars(s, &n, &one);
  if (!d) return NULL;
  size_t bytes = 0;
  char buf[4];
  for (size_t i = 0; i < n; i++) bytes += utf8_encode(d[i], buf);
  char *out = malloc(bytes + 1);
  if (!out) return NULL;
  char *p = out;
  for (size_t i = 0; i < n; i++) p += utf8_encode(d[i], p);
  *p = 0;
  return out;
}

bool string_eq_c(Value s, const char *c) {
  size_t n;
  const uint32_t *d = string_chars(s, &n);
  if (!d) return false;
  const unsigned char *u = (const unsigned char *)c;
  size_t clen = strlen(c), i = 0, k = 0;
  while (i < clen) {
    uint32_t cp;
    i += utf8_decode(u + i, clen - i, &cp);
    if (k == n || d[k] != cp) return false;
    k++;
  }
  return k == n;
}

/* ---- Other objects ---- */

Value make_svector(Thread *th, size_t len, Value init) {
  SVector *v = gc_alloc(th, T_SVECTOR, vector_bytes(sizeof(SVector), len, sizeof(Value)));
  v->len = len;
  if (init != 0)
    for (size_t i = 0; i < len; i++) v->data[i] = init;
  return obj_value(v);
}

Value make_octets(Thread *th, size_t len) {
  Octets *o = gc_alloc(th, T_OCTETS, vector_bytes(sizeof(Octets), len, 1));
  o->len = len;
  return obj_value(o);
}

Value make_double(Thread *th, double d) {
  Double *x = gc_alloc(th, T_DOUBLE, sizeof(Double));
  x->d = d;
  return obj_value(x);
}

Value make_box(Thread *th, Value v) {
  Box *b = gc_alloc(th, T_BOX, sizeof(Box));
  b->value = v;
  return obj_value(b);
}

Value make_foreign(Thread *th, Value tag, void *payload, Finalizer fin) {
  Foreign *f = gc_alloc(th, T_FOREIGN, sizeof(Foreign));
  f->tag = tag;
  f->payload = payload;
  f->finalize = fin;
  f->data = NIL;
  Value v = obj_value(f);
  if (fin) gc_set_finalizer(th, v);
  return v;
}

/* ---- Lists ---- */

Value list1(Thread *th, Value a) { return gc_cons(th, a, NIL); }
Value list2(Thread *th, Value a, Value b) { return gc_cons(th, a, gc_cons(th, b, NIL)); }
Value list3(Thread *th, Value a, Value b, Value c) { return gc_cons(th, a, list2(th, b, c)); }
Value list4(Thread *th, Value a, Value b, Value c, Value d) { return gc_cons(th, a, list3(th, b, c, d)); }

Value list_from_array(Thread *th, int n, const Value *v) {
  Value list = NIL;
  for (int i = n; i-- > 0;) list = gc_cons(th, v[i], list);
  return list;
}

Value nreverse_list(Value list) {
  Value prev = NIL;
  while (is_cons(list)) {
    Value next = CDR(list);
    CDR(list) = prev;
    prev = list;
    list = next;
  }
  return prev;
}

intptr_t list_length(Value list) {
  intptr_t n = 0;
  Value fast = list, slow = list;
  for (;;) {
    for (int step = 0; step < 2; step++) {
      if (fast == NIL) return n;
      if (!is_cons(fast)) return -1;
      fast = CDR(fast);
      n++;
    }
    slow = CDR(slow);
    if (fast == slow) return -1;
  }
}

/* ---- EQL and EQUAL ---- */

bool eql(Value a, Value b) {
  if (a == b) return true;
  if (!is_obj(a) || !is_obj(b) || obj_of(a)->type != obj_of(b)->type) return false;
  switch (obj_of(a)->type) {
  case T_DOUBLE: return memcmp(&double_of(a)->d, &double_of(b)->d, sizeof(double)) == 0;
  case T_BIGNUM: {
    Bignum *x = (Bignum *)a, *y = (Bignum *)b;
    if (x->size != y->size) return false;
    size_t n = (size_t)(x->size < 0 ? -(intptr_t)x->size : x->size);
    return memcmp(x->limbs, y->limbs, n * sizeof(uint64_t)) == 0;
  }
  case T_RATIO: return eql(((Ratio *)a)->num, ((Ratio *)b)->num) && eql(((Ratio *)a)->den, ((Ratio *)b)->den);
  default: return false;
  }
}

/* A bit vector's words and the bit range that is active; bit i of a NumVec of
 * NV_BIT lives in data[i / 64] at bit i % 64. */
static const uint64_t *bit_vector_bits(Value v, size_t *start, size_t *len) {
  Value simple;
  if (!vector_storage(v, &simple, start, len) || !is_type(simple, T_NUMVEC) || obj_of(simple)->flags != NV_BIT)
    return NULL;
  return ((NumVec *)simple)->data;
}

/* Strings and bit vectors compare by elements; any other array only by identity. */
static bool equal_arrays(Value a, Value b) {
  size_t na, nb, sa, sb;
  const uint32_t *ca = string_chars(a, &na);
  if (ca) {
    const uint32_t *cb = string_chars(b, &nb);
    return cb && na == nb && memcmp(ca, cb, na * sizeof(uint32_t)) == 0;
  }
  const uint64_t *ba = bit_vector_bits(a, &sa, &na);
  const uint64_t *bb = ba ? bit_vector_bits(b, &sb, &nb) : NULL;
  if (!bb || na != nb) return false;
  for (size_t i = 0; i < na; i++) {
    size_t x = sa + i, y = sb + i;
    if (((ba[x >> 6] >> (x & 63)) ^ (bb[y >> 6] >> (y & 63))) & 1) return false;
  }
  return true;
}

/* Iterative, so that deeply nested conses cannot overflow the C stack: the cdrs
 * wait on an explicit stack while the cars are compared. */
bool equal(Value a, Value b) {
  Value local[64], *stack = local, *grown = NULL;
  size_t sp = 0, cap = 64;
  bool result = true;
  for (;;) {
    while (!eql(a, b)) {
      if (is_cons(a) && is_cons(b)) {
        if (sp + 2 > cap) {
          Value *n = realloc(grown, cap * 2 * sizeof(Value));
          if (!n) {
            result = false; /* cannot finish: report inequality rather than crash */
            goto done;
          }
          if (!grown) memcpy(n, local, sizeof local);
          stack = grown = n;
          cap *= 2;
        }
        stack[sp++] = CDR(a);
        stack[sp++] = CDR(b);
        a = CAR(a);
        b = CAR(b);
        continue;
      }
      if (is_obj(a) && is_obj(b) && equal_arrays(a, b)) break;
      result = false;
      goto done;
    }
    if (sp == 0) break;
    b = stack[--sp];
    a = stack[--sp];
  }
done:
  free(grown);
  return result;
}
