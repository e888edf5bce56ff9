/* arrays.c — arrays of every representation: the element access and storage helpers the sequence
 * functions share, MAKE-ARRAY, AREF and friends, fill pointers, ADJUST-ARRAY, bit arrays, MAKE-STRING. */
#include "sequences.h"

/* ---- Storage of simple vectors ---- */

/* NumVec element type for each EltKind that lives in a T_NUMVEC (-1: another representation). */
static const int kind_numvec[EK_COUNT] = {
    [EK_T] = -1,         [EK_CHAR] = -1,        [EK_BIT] = NV_BIT,     [EK_U8] = -1,
    [EK_S8] = NV_SB8,    [EK_U16] = NV_UB16,    [EK_S16] = NV_SB16,    [EK_U32] = NV_UB32,
    [EK_S32] = NV_SB32,  [EK_U64] = NV_UB64,    [EK_S64] = NV_SB64,    [EK_SF] = NV_SFLOAT,
    [EK_DF] = NV_DFLOAT,
};

static const int numvec_kind[] = {
    [NV_SB8] = EK_S8,   [NV_SB16] = EK_S16, [NV_UB16] = EK_U16,  [NV_SB32] = EK_S32, [NV_UB32] = EK_U32,
    [NV_SB64] = EK_S64, [NV_UB64] = EK_U64, [NV_SFLOAT] = EK_SF, [NV_DFLOAT] = EK_DF, [NV_BIT] = EK_BIT,
};

static const unsigned numvec_bits[] = {
    [NV_SB8] = 8,   [NV_SB16] = 16, [NV_UB16] = 16,    [NV_SB32] = 32,    [NV_UB32] = 32,
    [NV_SB64] = 64, [NV_UB64] = 64, [NV_SFLOAT] = 32, [NV_DFLOAT] = 64, [NV_BIT] = 1,
};

/* CCL's array-total-size-limit: sizes are (unsigned-byte 56). */
#define ARRAY_SIZE_LIMIT ((size_t)1 << 56)

int simple_kind(Value v) {
  switch (obj_of(v)->type) {
  case T_STRING: return EK_CHAR;
  case T_SVECTOR: return EK_T;
  case T_OCTETS: return EK_U8;
  case T_NUMVEC: return obj_of(v)->flags <= NV_BIT ? numvec_kind[obj_of(v)->flags] : EK_T;
  default: return EK_T;
  }
}

size_t simple_len(Value v) {
  switch (obj_of(v)->type) {
  case T_STRING: return string_of(v)->len;
  case T_SVECTOR: return svec_of(v)->len;
  case T_OCTETS: return octets_of(v)->len;
  case T_NUMVEC: return ((NumVec *)v)->len;
  default: return 0;
  }
}

static bool is_simple_vector_obj(Value v) {
  if (!is_obj(v)) return false;
  switch (obj_of(v)->type) {
  case T_STRING:
  case T_SVECTOR:
  case T_OCTETS:
  case T_NUMVEC: return true;
  default: return false;
  }
}

/* Follows displacement to the simple vector underneath; *offset accumulates. */
static Value resolve_data(Value a, size_t *offset) {
  size_t off = 0;
  Value data = a;
  for (int depth = 0; is_type(data, T_ARRAY) && depth < 1000; depth++) {
    off += array_of(data)->offset;
    data = array_of(data)->data;
  }
  *offset = off;
  return data;
}

static bool view_of(Value v, VecView *out, bool all) {
  if (!is_obj(v)) return false;
  if (is_simple_vector_obj(v)) {
    out->data = v;
    out->start = 0;
    out->len = simple_len(v);
    out->kind = simple_kind(v);
    return true;
  }
  if (obj_of(v)->type != T_ARRAY) return false;
  Array *a = array_of(v);
  if (!all && a->rank != 1) return false;
  size_t off;
  Value data = resolve_data(v, &off);
  if (!is_simple_vector_obj(data)) return false;
  size_t slen = simple_len(data), n = all ? a->total : a->fill;
  /* A target adjusted smaller since: never index past its storage. */
  if (off > slen) off = slen;
  if (n > slen - off) n = slen - off;
  out->data = data;
  out->start = off;
  out->len = n;
  out->kind = simple_kind(data);
  return true;
}

bool vec_view(Value v, VecView *out) { return view_of(v, out, false); }
bool array_view(Value v, VecView *out) { return view_of(v, out, true); }

Value kind_type(Thread *th, int kind) { return elt_kind_spec(th, kind); }

static inline NumVec *nv_of(Value v) { return (NumVec *)v; }

Value vec_ref(Thread *th, Value v, size_t i) {
  switch (obj_of(v)->type) {
  case T_SVECTOR: return svec_of(v)->data[i];
  case T_STRING: return make_char(string_of(v)->data[i]);
  case T_OCTETS: return make_fixnum(octets_of(v)->data[i]);
  case T_NUMVEC: {
    NumVec *nv = nv_of(v);
    const void *p = nv->data;
    switch (nv->h.flags) {
    case NV_SB8: return make_fixnum(((const int8_t *)p)[i]);
    case NV_SB16: return make_fixnum(((const int16_t *)p)[i]);
    case NV_UB16: return make_fixnum(((const uint16_t *)p)[i]);
    case NV_SB32: return make_fixnum(((const int32_t *)p)[i]);
    case NV_UB32: return make_fixnum(((const uint32_t *)p)[i]);
    case NV_SB64: return make_integer(th, ((const int64_t *)p)[i]);
    case NV_UB64: return make_integer_u64(th, ((const uint64_t *)p)[i]);
    case NV_SFLOAT: return make_sfloat(((const float *)p)[i]);
    case NV_DFLOAT: return make_double(th, ((const double *)p)[i]);
    case NV_BIT: return make_fixnum((nv->data[i / 64] >> (i % 64)) & 1);
    default: return NIL;
    }
  }
  default: return NIL;
  }
}

/* Integers as 64-bit machine words, for the (signed-byte 64) and (unsigned-byte 64) kinds. */
static bool int_to_i64(Value x, int64_t *out) {
  if (is_fixnum(x)) {
    *out = fixnum_val(x);
    return true;
  }
  if (!is_bignum(x)) return false;
  Bignum *b = (Bignum *)x;
  if (b->size != 1 && b->size != -1) return false;
  uint64_t m = b->limbs[0];
  if (b->size > 0) {
    if (m > (uint64_t)INT64_MAX) return false;
    *out = (int64_t)m;
  } else {
    if (m > (uint64_t)INT64_MAX + 1) return false;
    *out = (int64_t)(0 - m);
  }
  return true;
}

static bool int_to_u64(Value x, uint64_t *out) {
  if (is_fixnum(x)) {
    if (fixnum_val(x) < 0) return false;
    *out = (uint64_t)fixnum_val(x);
    return true;
  }
  if (!is_bignum(x)) return false;
  Bignum *b = (Bignum *)x;
  if (b->size != 1) return false;
  *out = b->limbs[0];
  return true;
}

static bool fix_in(Value x, intptr_t lo, intptr_t hi) {
  return is_fixnum(x) && fixnum_val(x) >= lo && fixnum_val(x) <= hi;
}

static bool fits_kind(int kind, Value x) {
  int64_t s;
  uint64_t u;
  switch (kind) {
  case EK_T: return true;
  case EK_CHAR: return is_char(x);
  case EK_BIT: return fix_in(x, 0, 1);
  case EK_U8: return fix_in(x, 0, 255);
  case EK_S8: return fix_in(x, -128, 127);
  case EK_U16: return fix_in(x, 0, 65535);
  case EK_S16: return fix_in(x, -32768, 32767);
  case EK_U32: return fix_in(x, 0, 0xffffffffL);
  case EK_S32: return fix_in(x, INT32_MIN, INT32_MAX);
  case EK_U64: return int_to_u64(x, &u);
  case EK_S64: return int_to_i64(x, &s);
  case EK_SF: return is_sfloat(x);
  case EK_DF: return is_double(x);
  default: return false;
  }
}

void check_elt_kind(Thread *th, int kind, Value x) {
  if (!fits_kind(kind, x)) type_error(th, x, kind_type(th, kind));
}

void vec_set(Thread *th, Value v, size_t i, Value x) {
  switch (obj_of(v)->type) {
  case T_SVECTOR: svec_of(v)->data[i] = x; return;
  case T_STRING:
    if (!is_char(x)) type_error(th, x, SYM(character));
    string_of(v)->data[i] = char_code(x);
    return;
  case T_OCTETS:
    if (!fix_in(x, 0, 255)) type_error(th, x, kind_type(th, EK_U8));
    octets_of(v)->data[i] = (uint8_t)fixnum_val(x);
    return;
  case T_NUMVEC: {
    NumVec *nv = nv_of(v);
    int kind = simple_kind(v);
    check_elt_kind(th, kind, x);
    void *p = nv->data;
    switch (nv->h.flags) {
    case NV_SB8: ((int8_t *)p)[i] = (int8_t)fixnum_val(x); return;
    case NV_SB16: ((int16_t *)p)[i] = (int16_t)fixnum_val(x); return;
    case NV_UB16: ((uint16_t *)p)[i] = (uint16_t)fixnum_val(x); return;
    case NV_SB32: ((int32_t *)p)[i] = (int32_t)fixnum_val(x); return;
    case NV_UB32: ((uint32_t *)p)[i] = (uint32_t)fixnum_val(x); return;
    case NV_SB64: {
      int64_t s = 0;
      int_to_i64(x, &s);
      ((int64_t *)p)[i] = s;
      return;
    }
    case NV_UB64: {
      uint64_t u = 0;
      int_to_u64(x, &u);
      ((uint64_t *)p)[i] = u;
      return;
    }
    case NV_SFLOAT: ((float *)p)[i] = sfloat_val(x); return;
    case NV_DFLOAT: ((double *)p)[i] = double_of(x)->d; return;
    case NV_BIT:
      if (fixnum_val(x)) nv->data[i / 64] |= (uint64_t)1 << (i % 64);
      else nv->data[i / 64] &= ~((uint64_t)1 << (i % 64));
      return;
    default: return;
    }
  }
  default: return;
  }
}

static NORETURN void bad_size(Thread *th, Value size) {
  type_error(th, size, list2(th, SYM(unsigned_byte), make_fixnum(56)));
}

Value vec_alloc(Thread *th, int kind, size_t n) {
  if (n >= ARRAY_SIZE_LIMIT) bad_size(th, make_integer_u64(th, n));
  switch (kind) {
  case EK_T: return make_svector(th, n, make_fixnum(0));
  case EK_CHAR: return make_string_n(th, n);
  case EK_U8: return make_octets(th, n);
  default: {
    int nvt = kind_numvec[kind];
    size_t words = (n * numvec_bits[nvt] + 63) / 64;
    NumVec *v = gc_alloc(th, T_NUMVEC, sizeof(NumVec) + words * sizeof(uint64_t));
    v->h.flags = (uint8_t)nvt;
    v->len = n;
    return obj_value(v);
  }
  }
}

/* Raw element width in bytes for memmove between vectors of one kind (0: bits). */
static size_t kind_bytes(Value v) {
  switch (obj_of(v)->type) {
  case T_SVECTOR: return sizeof(Value);
  case T_STRING: return sizeof(uint32_t);
  case T_OCTETS: return 1;
  case T_NUMVEC: return numvec_bits[obj_of(v)->flags] / 8;
  default: return 0;
  }
}

static void *raw_data(Value v) {
  switch (obj_of(v)->type) {
  case T_SVECTOR: return svec_of(v)->data;
  case T_STRING: return string_of(v)->data;
  case T_OCTETS: return octets_of(v)->data;
  default: return nv_of(v)->data;
  }
}

void vec_copy(Thread *th, Value dst, size_t di, Value src, size_t si, size_t n) {
  if (n == 0) return;
  bool same_kind = obj_of(dst)->type == obj_of(src)->type &&
                   (obj_of(dst)->type != T_NUMVEC || obj_of(dst)->flags == obj_of(src)->flags);
  size_t w = same_kind ? kind_bytes(dst) : 0;
  if (w) {
    memmove((char *)raw_data(dst) + di * w, (char *)raw_data(src) + si * w, n * w);
    return;
  }
  if (dst == src && di > si) {
    for (size_t k = n; k-- > 0;) vec_set(th, dst, di + k, vec_ref(th, src, si + k));
  } else {
    for (size_t k = 0; k < n; k++) vec_set(th, dst, di + k, vec_ref(th, src, si + k));
  }
}

Value view_subseq(Thread *th, const VecView *v, size_t from, size_t to) {
  Value r = vec_alloc(th, v->kind, to - from);
  vec_copy(th, r, 0, v->data, v->start + from, to - from);
  return r;
}

Value vec_from_list(Thread *th, int kind, Value list, size_t n) {
  Value r = vec_alloc(th, kind, n);
  size_t i = 0;
  for (Value l = list; is_cons(l) && i < n; l = CDR(l)) vec_set(th, r, i++, CAR(l));
  return r;
}

bool has_fill_pointer(Value v) { return is_type(v, T_ARRAY) && (obj_of(v)->flags & ARR_FILL_POINTER); }

void set_fill(Value v, size_t fill) { array_of(v)->fill = fill; }

void not_a_sequence(Thread *th, Value x) { type_error(th, x, SYM(sequence)); }

/* ---- Array headers ---- */

static Value make_header(Thread *th, size_t rank, const size_t *dims, Value data, size_t offset, size_t fill,
                         unsigned flags) {
  Array *a = gc_alloc(th, T_ARRAY, sizeof(Array) + rank * sizeof(size_t));
  a->h.flags = (uint8_t)flags;
  a->data = data;
  a->offset = offset;
  a->rank = (uint32_t)rank;
  size_t total = 1;
  for (size_t i = 0; i < rank; i++) {
    a->dims[i] = dims[i];
    total *= dims[i];
  }
  a->total = total;
  a->fill = (flags & ARR_FILL_POINTER) ? fill : total;
  return obj_value(a);
}

static bool is_array_value(Value v) { return is_simple_vector_obj(v) || is_type(v, T_ARRAY); }

static Value check_array(Thread *th, Value v) {
  if (!is_array_value(v)) type_error(th, v, SYM(array));
  return v;
}

static size_t rank_of(Value v) { return is_type(v, T_ARRAY) ? array_of(v)->rank : 1; }

static size_t total_of(Value v) { return is_type(v, T_ARRAY) ? array_of(v)->total : simple_len(v); }

static int kind_of_array(Value v) {
  size_t off;
  Value d = is_type(v, T_ARRAY) ? resolve_data(v, &off) : v;
  return is_simple_vector_obj(d) ? simple_kind(d) : EK_T;
}

/* The simple vector and index holding row-major element i of an array (i < total). */
static Value row_major_place(Thread *th, Value a, size_t i, size_t *index) {
  if (!is_type(a, T_ARRAY)) {
    *index = i;
    return a;
  }
  VecView v;
  if (!array_view(a, &v) || i >= v.len) simple_error(th, "Array index ~S out of bounds for ~S .", make_integer_u64(th, i), a);
  *index = v.start + i;
  return v.data;
}

/* ---- Dimensions ---- */

#define MAX_RANK 64 /* CCL's array-rank-limit is 4096; more than this many dimensions is not useful here */

/* Parses MAKE-ARRAY's dimensions: a size or a list of sizes. */
static size_t parse_dims(Thread *th, Value dims, size_t *out, size_t *total) {
  if (is_integer(dims)) {
    if (!is_fixnum(dims) || fixnum_val(dims) < 0 || (size_t)fixnum_val(dims) >= ARRAY_SIZE_LIMIT) bad_size(th, dims);
    out[0] = (size_t)fixnum_val(dims);
    *total = out[0];
    return 1;
  }
  if (!is_list(dims)) bad_size(th, dims);
  size_t rank = 0, t = 1;
  for (Value l = dims; lists_more(th, l); l = CDR(l)) {
    Value d = CAR(l);
    if (!is_fixnum(d) || fixnum_val(d) < 0) type_error_c(th, d, "(INTEGER 0 *)");
    if (rank == MAX_RANK) simple_error(th, "Array rank ~S exceeds the limit ~S.", make_integer(th, list_length(dims)), make_fixnum(MAX_RANK));
    out[rank++] = (size_t)fixnum_val(d);
    if (out[rank - 1] != 0 && t > ARRAY_SIZE_LIMIT / out[rank - 1]) bad_size(th, number_mul(th, make_integer_u64(th, t), d));
    t *= out[rank - 1];
  }
  if (t >= ARRAY_SIZE_LIMIT) bad_size(th, make_integer_u64(th, t));
  *total = t;
  return rank;
}

/* ---- MAKE-ARRAY ---- */

/* Fills data[pos...] from nested initial contents, checking each level's length as CCL's
 * init-uvector-contents does. Returns the next position. */
static size_t init_contents(Thread *th, Value data, size_t pos, const size_t *dims, size_t rank, Value contents) {
  size_t len = seq_length(th, contents);
  if (len != dims[0]) simple_error(th, "~S doesn't match array dimensions of ~S .", contents, data);
  if (rank == 1) {
    if (is_list(contents)) {
      for (Value l = contents; is_cons(l); l = CDR(l)) vec_set(th, data, pos++, CAR(l));
    } else {
      VecView v;
      vec_view(contents, &v);
      for (size_t i = 0; i < len; i++) vec_set(th, data, pos++, vec_ref(th, v.data, v.start + i));
    }
    return pos;
  }
  if (is_list(contents)) {
    for (Value l = contents; is_cons(l); l = CDR(l)) pos = init_contents(th, data, pos, dims + 1, rank - 1, CAR(l));
  } else {
    VecView v;
    vec_view(contents, &v);
    for (size_t i = 0; i < len; i++)
      pos = init_contents(th, data, pos, dims + 1, rank - 1, vec_ref(th, v.data, v.start + i));
  }
  return pos;
}

static void fill_with(Thread *th, Value data, size_t from, size_t n, Value x) {
  int kind = simple_kind(data);
  check_elt_kind(th, kind, x);
  if (kind == EK_T) {
    for (size_t i = 0; i < n; i++) svec_of(data)->data[from + i] = x;
  } else if (kind == EK_CHAR) {
    for (size_t i = 0; i < n; i++) string_of(data)->data[from + i] = char_code(x);
  } else if (kind == EK_U8) {
    memset(octets_of(data)->data + from, (int)fixnum_val(x), n);
  } else {
    for (size_t i = 0; i < n; i++) vec_set(th, data, from + i, x);
  }
}

/* The fill pointer MAKE-ARRAY (and ADJUST-ARRAY) ask for; CCL's "Bad fill pointer". */
static size_t parse_fill(Thread *th, Value fill, size_t rank, size_t size) {
  if (fill == SYM(t)) return size;
  if (rank != 1 || !is_fixnum(fill) || fixnum_val(fill) < 0 || (size_t)fixnum_val(fill) > size)
    simple_error(th, "Bad fill pointer ~s", fill);
  return (size_t)fixnum_val(fill);
}

static Value make_displaced(Thread *th, size_t rank, const size_t *dims, size_t total, Value target, Value offset_arg,
                            Value fill_arg, bool adjustable) {
  size_t offset = 0;
  if (supplied(offset_arg) && offset_arg != NIL) {
    if (!is_fixnum(offset_arg) || fixnum_val(offset_arg) < 0) type_error_c(th, offset_arg, "(AND FIXNUM (INTEGER 0 *))");
    offset = (size_t)fixnum_val(offset_arg);
  }
  check_array(th, target);
  size_t disp_size = total_of(target);
  if (total > disp_size || offset > disp_size - total) simple_error(th, "Requested size is too large to displace to ~S .", target);
  unsigned flags = ARR_DISPLACED | (adjustable ? ARR_ADJUSTABLE : 0);
  size_t fill = total;
  if (supplied(fill_arg) && fill_arg != NIL) {
    fill = parse_fill(th, fill_arg, rank, total);
    flags |= ARR_FILL_POINTER;
  }
  return make_header(th, rank, dims, target, offset, fill, flags);
}

/* CCL's make-array-1: also what ADJUST-ARRAY uses to make a new array. */
static Value make_array_full(Thread *th, Value dims_arg, int kind, bool kind_given, Value et, Value init_elt,
                             Value contents, Value adjustable, Value fill_arg, Value displaced_to, Value offset_arg) {
  size_t dims[MAX_RANK], total;
  size_t rank = parse_dims(th, dims_arg, dims, &total);
  bool adj = supplied(adjustable) && adjustable != NIL;
  if (supplied(displaced_to) && displaced_to != NIL) {
    if (supplied(init_elt) || supplied(contents)) simple_error(th, "Cannot specify initial values for displaced arrays");
    if (kind_given && kind_of_array(check_array(th, displaced_to)) != kind)
      simple_error(th, "The ~S array ~S is not of ~S ~S", keyword_c(th, "DISPLACED-TO"), displaced_to,
                   keyword_c(th, "ELEMENT-TYPE"), et);
    return make_displaced(th, rank, dims, total, displaced_to, offset_arg, fill_arg, adj);
  }
  if (supplied(offset_arg) && offset_arg != NIL)
    simple_error(th, "Cannot specify ~S for non-displaced-array", keyword_c(th, "DISPLACED-INDEX-OFFSET"));
  Value data = vec_alloc(th, kind, total);
  if (supplied(init_elt)) {
    fill_with(th, data, 0, total, init_elt);
  } else if (supplied(contents)) {
    if (rank == 0) vec_set(th, data, 0, contents);
    else init_contents(th, data, 0, dims, rank, contents);
  }
  bool has_fill = supplied(fill_arg) && fill_arg != NIL;
  if (!has_fill && !adj && rank == 1) return data;
  size_t fill = has_fill ? parse_fill(th, fill_arg, rank, total) : total;
  unsigned flags = (adj ? ARR_ADJUSTABLE : 0) | (has_fill ? ARR_FILL_POINTER : 0);
  return make_header(th, rank, dims, data, 0, fill, flags);
}

static Value lisp_make_array(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value et = args[1];
  if (supplied(args[2]) && supplied(args[3]))
    simple_error(th, "Cannot specify both ~S and ~S", keyword_c(th, "INITIAL-ELEMENT-P"), keyword_c(th, "INITIAL-CONTENTS-P"));
  int kind = supplied(et) ? upgraded_elt_kind(th, et) : EK_T;
  return make_array_full(th, args[0], kind, supplied(et), et, args[2], args[3], args[4], args[5], args[6], args[7]);
}

static Value lisp_vector(Thread *th, int nargs, Value *args) {
  Value v = make_svector(th, (size_t)nargs, NIL);
  if (nargs > 0) memcpy(svec_of(v)->data, args, (size_t)nargs * sizeof(Value));
  return v;
}

static Value lisp_make_string(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value size = args[0], init = args[1], et = args[2];
  if (supplied(init) && !is_char(init)) type_error(th, init, SYM(character));
  if (supplied(et) && upgraded_elt_kind(th, et) != EK_CHAR)
    simple_error(th, ":element-type ~S is not a subtype of CHARACTER", et);
  if (!is_fixnum(size) || fixnum_val(size) < 0) bad_size(th, size);
  Value s = vec_alloc(th, EK_CHAR, (size_t)fixnum_val(size));
  if (supplied(init))
    for (size_t i = 0; i < string_of(s)->len; i++) string_of(s)->data[i] = char_code(init);
  return s;
}

/* ---- AREF and its setter ---- */

static NORETURN void index_error(Thread *th, Value index, Value array) {
  simple_error(th, "Array index ~S out of bounds for ~S .", index, array);
}

static NORETURN void ndims_error(Thread *th, Value array, intptr_t n) {
  simple_error(th, "~S cannot be accessed with ~S subscripts.", array, make_fixnum(n));
}

/* One subscript on a vector: CCL's %aref1 (a simple vector or a vector header, bounded by
 * its total size, not its fill pointer). */
static Value vector_place(Thread *th, Value a, Value i, size_t *index) {
  if (is_simple_vector_obj(a)) {
    if (!is_fixnum(i)) type_error(th, i, SYM(fixnum));
    if (fixnum_val(i) < 0 || (size_t)fixnum_val(i) >= simple_len(a)) index_error(th, i, a);
    *index = (size_t)fixnum_val(i);
    return a;
  }
  if (!is_type(a, T_ARRAY)) type_error(th, a, SYM(array));
  if (array_of(a)->rank != 1) ndims_error(th, a, 1);
  if (!is_fixnum(i)) type_error(th, i, SYM(fixnum));
  if (fixnum_val(i) < 0 || (size_t)fixnum_val(i) >= array_of(a)->total) index_error(th, i, a);
  return row_major_place(th, a, (size_t)fixnum_val(i), index);
}

/* Two or three subscripts: CCL's .SParef2/.SParef3 subprimitives. */
static Value small_rank_place(Thread *th, Value a, int n, const Value *subs, size_t *index) {
  for (int k = 0; k < n; k++)
    if (!is_fixnum(subs[k])) type_error(th, subs[k], SYM(fixnum));
  if (!is_type(a, T_ARRAY) || array_of(a)->rank != (uint32_t)n)
    type_error_c(th, a, n == 2 ? "(ARRAY * (* *))" : "(ARRAY * (* * *))");
  Array *h = array_of(a);
  size_t rmi = 0;
  for (int k = 0; k < n; k++) {
    intptr_t s = fixnum_val(subs[k]);
    if (s < 0 || (size_t)s >= h->dims[k]) index_error(th, subs[k], a);
    rmi = rmi * h->dims[k] + (size_t)s;
  }
  return row_major_place(th, a, rmi, index);
}

/* Any other count of subscripts: CCL's %array-index. */
static Value general_place(Thread *th, Value a, int n, const Value *subs, size_t *index) {
  if (is_simple_vector_obj(a) || (is_type(a, T_ARRAY) && array_of(a)->rank == 1)) ndims_error(th, a, n);
  if (!is_type(a, T_ARRAY)) type_error(th, a, SYM(array));
  Array *h = array_of(a);
  if (h->rank != (uint32_t)n) ndims_error(th, a, n);
  size_t rmi = 0, chunk = 1;
  for (int axis = n - 1; axis >= 0; axis--) {
    Value s = subs[axis];
    if (!is_fixnum(s) || fixnum_val(s) < 0 || (size_t)fixnum_val(s) >= h->dims[axis])
      simple_error(th, "Index value ~d is out of bounds for axis ~d of ~s.", s, make_fixnum(axis), a);
    rmi += chunk * (size_t)fixnum_val(s);
    chunk *= h->dims[axis];
  }
  return row_major_place(th, a, rmi, index);
}

static Value array_place(Thread *th, Value a, int n, const Value *subs, size_t *index) {
  switch (n) {
  case 1: return vector_place(th, a, subs[0], index);
  case 2:
  case 3: return small_rank_place(th, a, n, subs, index);
  default: return general_place(th, a, n, subs, index);
  }
}

static Value lisp_aref(Thread *th, int nargs, Value *args) {
  Value a = args[0];
  /* The common case first: a simple vector and a fixnum in range. */
  if (nargs == 2 && is_type(a, T_SVECTOR) && is_fixnum(args[1]) && (size_t)fixnum_val(args[1]) < svec_of(a)->len)
    return svec_of(a)->data[fixnum_val(args[1])];
  size_t i;
  Value data = array_place(th, a, nargs - 1, args + 1, &i);
  return vec_ref(th, data, i);
}

/* (setf (aref array subscripts...) new): called as (new array &rest subscripts). */
static Value lisp_set_aref(Thread *th, int nargs, Value *args) {
  Value x = args[0], a = args[1];
  if (nargs == 3 && is_type(a, T_SVECTOR) && is_fixnum(args[2]) && (size_t)fixnum_val(args[2]) < svec_of(a)->len)
    return svec_of(a)->data[fixnum_val(args[2])] = x;
  size_t i;
  Value data = array_place(th, a, nargs - 2, args + 2, &i);
  vec_set(th, data, i, x);
  return x;
}

static Value lisp_svref(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value v = args[0], i = args[1];
  if (!is_type(v, T_SVECTOR)) type_error(th, v, SYM(simple_vector));
  if (!is_fixnum(i)) type_error(th, i, SYM(fixnum));
  if (fixnum_val(i) < 0 || (size_t)fixnum_val(i) >= svec_of(v)->len) index_error(th, i, v);
  return svec_of(v)->data[fixnum_val(i)];
}

static Value lisp_set_svref(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value v = args[1], i = args[2];
  if (!is_type(v, T_SVECTOR)) type_error(th, v, SYM(simple_vector));
  if (!is_fixnum(i)) type_error(th, i, SYM(fixnum));
  if (fixnum_val(i) < 0 || (size_t)fixnum_val(i) >= svec_of(v)->len) index_error(th, i, v);
  return svec_of(v)->data[fixnum_val(i)] = args[0];
}

static Value row_major_index_place(Thread *th, Value a, Value i, size_t *index) {
  check_array(th, a);
  if (!is_fixnum(i)) type_error(th, i, SYM(fixnum));
  if (fixnum_val(i) < 0 || (size_t)fixnum_val(i) >= total_of(a)) index_error(th, i, a);
  return row_major_place(th, a, (size_t)fixnum_val(i), index);
}

static Value lisp_row_major_aref(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  size_t i;
  Value data = row_major_index_place(th, args[0], args[1], &i);
  return vec_ref(th, data, i);
}

static Value lisp_set_row_major_aref(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  size_t i;
  Value data = row_major_index_place(th, args[1], args[2], &i);
  vec_set(th, data, i, args[0]);
  return args[0];
}

/* ---- CHAR, SCHAR, BIT, SBIT ---- */

static bool is_string_vector(Value v) {
  VecView view;
  return vec_view(v, &view) && view.kind == EK_CHAR;
}

/* CHAR indexes the string's storage: a non-simple string is bounded by its data vector. */
static Value char_place(Thread *th, Value s, Value i, size_t *index) {
  if (is_string(s)) return vector_place(th, s, i, index);
  if (!is_string_vector(s)) type_error(th, s, SYM(string));
  size_t off;
  Value data = resolve_data(s, &off);
  if (!is_fixnum(i)) type_error(th, i, SYM(fixnum));
  Value di = make_integer(th, fixnum_val(i) + (intptr_t)off);
  return vector_place(th, data, di, index);
}

static Value lisp_char(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  size_t i;
  Value data = char_place(th, args[0], args[1], &i);
  return make_char(string_of(data)->data[i]);
}

static Value lisp_set_char(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  size_t i;
  Value data = char_place(th, args[1], args[2], &i);
  vec_set(th, data, i, args[0]);
  return args[0];
}

static Value lisp_schar(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  if (!is_string(args[0])) type_error(th, args[0], SYM(simple_string));
  size_t i;
  Value data = vector_place(th, args[0], args[1], &i);
  return make_char(string_of(data)->data[i]);
}

static Value lisp_set_schar(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  if (!is_string(args[1])) type_error(th, args[1], SYM(simple_string));
  size_t i;
  Value data = vector_place(th, args[1], args[2], &i);
  vec_set(th, data, i, args[0]);
  return args[0];
}

static bool is_bit_vector_obj(Value v) { return is_type(v, T_NUMVEC) && obj_of(v)->flags == NV_BIT; }

static void check_bit_array(Thread *th, Value a) {
  if (!is_array_value(a) || kind_of_array(a) != EK_BIT) type_error(th, a, list2(th, SYM(array), SYM(bit)));
}

static Value lisp_bit(Thread *th, int nargs, Value *args) {
  check_bit_array(th, args[0]);
  size_t i;
  Value data = array_place(th, args[0], nargs - 1, args + 1, &i);
  return vec_ref(th, data, i);
}

static Value lisp_set_bit(Thread *th, int nargs, Value *args) {
  check_bit_array(th, args[1]);
  size_t i;
  Value data = array_place(th, args[1], nargs - 2, args + 2, &i);
  vec_set(th, data, i, args[0]);
  return args[0];
}

static Value lisp_sbit(Thread *th, int nargs, Value *args) {
  if (nargs == 2 && !is_bit_vector_obj(args[0])) type_error(th, args[0], SYM(simple_bit_vector));
  return lisp_bit(th, nargs, args);
}

static Value lisp_set_sbit(Thread *th, int nargs, Value *args) {
  if (nargs == 3 && !is_bit_vector_obj(args[1])) type_error(th, args[1], SYM(simple_bit_vector));
  return lisp_set_bit(th, nargs, args);
}

/* ---- Array attributes ---- */

static Value lisp_array_rank(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return make_fixnum((intptr_t)rank_of(check_array(th, args[0])));
}

static Value lisp_array_dimensions(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value a = check_array(th, args[0]);
  if (!is_type(a, T_ARRAY)) return list1(th, make_fixnum((intptr_t)simple_len(a)));
  Value r = NIL;
  for (size_t i = array_of(a)->rank; i-- > 0;) r = cons(th, make_fixnum((intptr_t)array_of(a)->dims[i]), r);
  return r;
}

static Value lisp_array_dimension(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value a = args[0], axis = args[1];
  if (!is_fixnum(axis)) type_error(th, axis, SYM(fixnum));
  check_array(th, a);
  intptr_t n = fixnum_val(axis);
  if (n < 0 || (size_t)n >= rank_of(a)) simple_error(th, "~S cannot be accessed with ~S subscripts.", a, axis);
  return make_fixnum((intptr_t)(is_type(a, T_ARRAY) ? array_of(a)->dims[n] : simple_len(a)));
}

static Value lisp_array_total_size(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return make_fixnum((intptr_t)total_of(check_array(th, args[0])));
}

static Value lisp_array_element_type(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return kind_type(th, kind_of_array(check_array(th, args[0])));
}

static Value lisp_adjustable_array_p(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value a = check_array(th, args[0]);
  return BOOL(th, is_type(a, T_ARRAY) && (obj_of(a)->flags & ARR_ADJUSTABLE));
}

static Value lisp_array_has_fill_pointer_p(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return BOOL(th, has_fill_pointer(check_array(th, args[0])));
}

static Value lisp_array_displacement(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value a = check_array(th, args[0]);
  if (is_type(a, T_ARRAY) && (obj_of(a)->flags & ARR_DISPLACED))
    return values2(th, array_of(a)->data, make_fixnum((intptr_t)array_of(a)->offset));
  return values2(th, NIL, make_fixnum(0));
}

static Value lisp_array_in_bounds_p(Thread *th, int nargs, Value *args) {
  Value a = check_array(th, args[0]);
  size_t rank = rank_of(a), n = (size_t)nargs - 1;
  if (n != rank) ndims_error(th, a, (intptr_t)n);
  if (rank == 0) return make_fixnum(0); /* sic: CCL returns 0 */
  for (size_t i = rank; i-- > 0;) {
    Value s = args[1 + i];
    size_t dim = is_type(a, T_ARRAY) ? array_of(a)->dims[i] : simple_len(a);
    if (is_fixnum(s)) {
      if (fixnum_val(s) < 0 || (size_t)fixnum_val(s) >= dim) return NIL;
    } else if (is_bignum(s)) {
      return NIL;
    } else {
      type_error(th, s, SYM(integer));
    }
  }
  return SYM(t);
}

static Value lisp_array_row_major_index(Thread *th, int nargs, Value *args) {
  Value a = check_array(th, args[0]);
  size_t rank = rank_of(a), n = (size_t)nargs - 1;
  if (n != rank) ndims_error(th, a, (intptr_t)n);
  size_t sum = 0, size = 1;
  for (size_t i = rank; i-- > 0;) {
    Value s = args[1 + i];
    size_t dim = is_type(a, T_ARRAY) ? array_of(a)->dims[i] : simple_len(a);
    if (!is_fixnum(s)) type_error(th, s, SYM(fixnum));
    if (fixnum_val(s) < 0 || (size_t)fixnum_val(s) >= dim) index_error(th, list_from_array(th, nargs - 1, args + 1), a);
    sum += (size_t)fixnum_val(s) * size;
    size *= dim;
  }
  return make_fixnum((intptr_t)sum);
}

static Value lisp_upgraded_array_element_type(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  /* CCL names its string element type BASE-CHAR here (and CHARACTER in ARRAY-ELEMENT-TYPE). */
  if (upgraded_elt_kind(th, args[0]) == EK_CHAR) return SYM(base_char);
  return upgraded_array_element_type(th, args[0]);
}

static Value lisp_bit_vector_p(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  VecView v;
  return BOOL(th, vec_view(args[0], &v) && v.kind == EK_BIT);
}

static Value lisp_simple_bit_vector_p(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return BOOL(th, is_bit_vector_obj(args[0]));
}

/* ---- Fill pointers ---- */

static NORETURN void no_fill_pointer(Thread *th, Value v) {
  Value pred = intern_c(th, "ARRAY-HAS-FILL-POINTER-P", th->vm->pkg_cl);
  type_error(th, v, list3(th, SYM(and_), SYM(array), list2(th, SYM(satisfies), pred)));
}

static size_t fill_of(Thread *th, Value v) {
  if (!has_fill_pointer(v)) no_fill_pointer(th, v);
  return array_of(v)->fill;
}

static Value lisp_fill_pointer(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return make_fixnum((intptr_t)fill_of(th, args[0]));
}

/* (setf (fill-pointer vector) new): called as (new vector). */
static Value lisp_set_fill_pointer(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value v = args[1], x = args[0];
  if (!has_fill_pointer(v)) simple_error(th, "~S is not an array with a fill pointer.", v);
  size_t size = array_of(v)->total;
  if (x == SYM(t)) x = make_fixnum((intptr_t)size);
  if (!is_fixnum(x) || fixnum_val(x) < 0 || (size_t)fixnum_val(x) > size) index_error(th, x, v);
  array_of(v)->fill = (size_t)fixnum_val(x);
  return x;
}

static Value lisp_vector_pop(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value v = args[0];
  size_t fill = fill_of(th, v);
  if (fill == 0) simple_error(th, "Fill pointer of ~S is 0 .", v);
  array_of(v)->fill = --fill;
  size_t i;
  Value data = row_major_place(th, v, fill, &i);
  return vec_ref(th, data, i);
}

static Value lisp_vector_push(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value x = args[0], v = args[1];
  size_t fill = fill_of(th, v);
  if (fill >= array_of(v)->total) return NIL;
  size_t i;
  Value data = row_major_place(th, v, fill, &i);
  vec_set(th, data, i, x);
  array_of(v)->fill = fill + 1;
  return make_fixnum((intptr_t)fill);
}

static Value lisp_vector_push_extend(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value x = args[0], v = args[1], ext = args[2];
  size_t extension = 0;
  if (supplied(ext)) {
    if (is_fixnum(ext) && fixnum_val(ext) > 0) extension = (size_t)fixnum_val(ext);
    else if (!is_integer(ext) || (is_fixnum(ext) && fixnum_val(ext) < 0) || (is_bignum(ext) && ((Bignum *)ext)->size < 0))
      type_error(th, ext, SYM(unsigned_byte));
    else if (is_bignum(ext)) bad_size(th, ext);
  }
  size_t fill = fill_of(th, v);
  Array *a = array_of(v);
  if (fill >= a->total) {
    if (!(a->h.flags & ARR_ADJUSTABLE)) simple_error(th, "~S is not an adjustable array.", v);
    size_t len = a->total;
    size_t grow = extension ? extension : len;
    size_t size = len + grow < 4 ? 4 : len + grow;
    VecView old;
    array_view(v, &old);
    /* Check the element before growing, so a type error leaves the vector as it was. */
    check_elt_kind(th, old.kind, x);
    Value data = vec_alloc(th, old.kind, size);
    vec_copy(th, data, 0, old.data, old.start, fill < old.len ? fill : old.len);
    a->data = data;
    a->offset = 0;
    a->total = size;
    a->dims[0] = size;
    a->h.flags &= (uint8_t)~ARR_DISPLACED;
  }
  size_t i;
  Value data = row_major_place(th, v, fill, &i);
  vec_set(th, data, i, x);
  a->fill = fill + 1;
  return make_fixnum((intptr_t)fill);
}

/* ---- ADJUST-ARRAY ---- */

/* Copies the elements common to the old and new shapes, subscript by subscript (CCL's
 * init-array-data). */
static void copy_common(Thread *th, Value src, size_t soff, const size_t *sdims, Value dst, size_t doff,
                        const size_t *ddims, size_t rank) {
  if (rank == 0) {
    vec_set(th, dst, doff, vec_ref(th, src, soff));
    return;
  }
  size_t n = sdims[0] < ddims[0] ? sdims[0] : ddims[0];
  if (rank == 1) {
    vec_copy(th, dst, doff, src, soff, n);
    return;
  }
  size_t sstride = 1, dstride = 1;
  for (size_t k = 1; k < rank; k++) {
    sstride *= sdims[k];
    dstride *= ddims[k];
  }
  for (size_t i = 0; i < n; i++)
    copy_common(th, src, soff + i * sstride, sdims + 1, dst, doff + i * dstride, ddims + 1, rank - 1);
}

static void array_dims(Value a, size_t *out) {
  if (is_type(a, T_ARRAY)) memcpy(out, array_of(a)->dims, array_of(a)->rank * sizeof(size_t));
  else out[0] = simple_len(a);
}

static Value lisp_adjust_array(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value a = check_array(th, args[0]), dims_arg = args[1], et = args[2], init_elt = args[3], contents = args[4],
        fill_arg = args[5], displaced_to = args[6], offset_arg = args[7];
  int kind = kind_of_array(a);
  if (supplied(et) && upgraded_elt_kind(th, et) != kind) simple_error(th, "~S is not of element type ~S", a, et);
  if (is_integer(dims_arg)) dims_arg = list1(th, dims_arg);
  size_t rank = rank_of(a);
  intptr_t given_rank = is_list(dims_arg) ? list_length(dims_arg) : -1;
  if (given_rank < 0 || (size_t)given_rank != rank)
    simple_error(th, "~S has wrong rank for adjusting to dimensions ~S", a, dims_arg);
  size_t dims[MAX_RANK], size = 1;
  size_t i = 0;
  for (Value l = dims_arg; is_cons(l); l = CDR(l), i++) {
    if (!is_fixnum(CAR(l)) || fixnum_val(CAR(l)) < 0) type_error_c(th, dims_arg, "(INTEGER 0 *)");
    dims[i] = (size_t)fixnum_val(CAR(l));
    if (dims[i] && size > ARRAY_SIZE_LIMIT / dims[i]) bad_size(th, dims_arg);
    size *= dims[i];
  }
  bool fill_given = supplied(fill_arg) && fill_arg != NIL;
  if (fill_arg != SYM(t) && has_fill_pointer(a)) {
    size_t fp = fill_given && is_fixnum(fill_arg) ? (size_t)fixnum_val(fill_arg) : array_of(a)->fill;
    if (size < fp)
      simple_error(th, "Cannot adjust array ~S to size less than fill pointer ~S", a,
                   fill_given ? fill_arg : make_fixnum((intptr_t)array_of(a)->fill));
  }
  if (fill_given && !has_fill_pointer(a)) simple_error(th, "~S does not have a fill pointer", a);
  bool displacing = supplied(displaced_to) && displaced_to != NIL;
  if (supplied(offset_arg) && offset_arg != NIL && !displacing)
    simple_error(th, "Cannot specify ~S without ~S", keyword_c(th, "DISPLACED-INDEX-OFFSET"), keyword_c(th, "DISPLACED-TO"));
  if (supplied(init_elt) && supplied(contents))
    simple_error(th, "Cannot specify both ~S and ~S", keyword_c(th, "INITIAL-ELEMENT"), keyword_c(th, "INITIAL-CONTENTS"));
  size_t old_dims[MAX_RANK];
  array_dims(a, old_dims);

  if (!is_type(a, T_ARRAY) || !(obj_of(a)->flags & ARR_ADJUSTABLE)) {
    Value fp = fill_given ? fill_arg : has_fill_pointer(a) ? make_fixnum((intptr_t)array_of(a)->fill) : NIL;
    Value r = make_array_full(th, dims_arg, kind, true, kind_type(th, kind), init_elt, contents, NIL, fp, displaced_to,
                              offset_arg);
    if (!supplied(contents) && !displacing) {
      VecView from, to;
      array_view(a, &from);
      array_view(r, &to);
      copy_common(th, from.data, from.start, old_dims, to.data, to.start, dims, rank);
    }
    return r;
  }

  Array *h = array_of(a);
  Value data;
  size_t offset = 0;
  unsigned disp_flag = 0;
  if (displacing) {
    if (supplied(offset_arg) && offset_arg != NIL && (!is_fixnum(offset_arg) || fixnum_val(offset_arg) < 0))
      type_error_c(th, offset_arg, "(INTEGER 0 1152921504606846975)");
    if (supplied(init_elt) || supplied(contents)) simple_error(th, "Cannot specify initial values for displaced arrays");
    check_array(th, displaced_to);
    if (kind_of_array(displaced_to) != kind) simple_error(th, "~S is not of element type ~S", displaced_to, kind_type(th, kind));
    for (Value v = displaced_to; is_type(v, T_ARRAY) && (obj_of(v)->flags & ARR_DISPLACED); v = array_of(v)->data)
      if (v == a) simple_error(th, "Array cannot be displaced to itself.");
    if (displaced_to == a) simple_error(th, "Array cannot be displaced to itself.");
    offset = supplied(offset_arg) && offset_arg != NIL ? (size_t)fixnum_val(offset_arg) : 0;
    if (offset + size > total_of(displaced_to))
      simple_error(th, "Offset ~S + size ~S must be less than size of array displaced-to", make_fixnum((intptr_t)offset),
                   make_fixnum((intptr_t)size));
    data = displaced_to;
    disp_flag = ARR_DISPLACED;
  } else {
    data = vec_alloc(th, kind, size);
    if (supplied(init_elt)) fill_with(th, data, 0, size, init_elt);
    else if (supplied(contents)) {
      if (rank == 0) vec_set(th, data, 0, contents);
      else init_contents(th, data, 0, dims, rank, contents);
    }
    if (!supplied(contents)) {
      VecView from;
      array_view(a, &from);
      copy_common(th, from.data, from.start, old_dims, data, 0, dims, rank);
    }
  }
  h->data = data;
  h->offset = offset;
  h->h.flags = (uint8_t)((h->h.flags & ~ARR_DISPLACED) | disp_flag);
  memcpy(h->dims, dims, rank * sizeof(size_t));
  h->total = size;
  if (!has_fill_pointer(a) || h->fill > size) h->fill = size;
  if (fill_arg == SYM(t)) h->fill = size;
  else if (fill_given) {
    if (!is_fixnum(fill_arg) || fixnum_val(fill_arg) < 0 || (size_t)fixnum_val(fill_arg) > size) index_error(th, fill_arg, a);
    h->fill = (size_t)fixnum_val(fill_arg);
  }
  return a;
}


/* ---- BIT-AND and friends ---- */

enum BitOp { B_AND, B_IOR, B_XOR, B_EQV, B_NAND, B_NOR, B_ANDC1, B_ANDC2, B_ORC1, B_ORC2 };

static inline uint64_t bit_op(int op, uint64_t a, uint64_t b) {
  switch (op) {
  case B_AND: return a & b;
  case B_IOR: return a | b;
  case B_XOR: return a ^ b;
  case B_EQV: return ~(a ^ b);
  case B_NAND: return ~(a & b);
  case B_NOR: return ~(a | b);
  case B_ANDC1: return ~a & b;
  case B_ANDC2: return a & ~b;
  case B_ORC1: return ~a | b;
  default: return a | ~b;
  }
}

static Value bit_dims(Thread *th, Value a) {
  check_bit_array(th, a);
  if (!is_type(a, T_ARRAY) || array_of(a)->rank != 1) return lisp_array_dimensions(th, 1, &a);
  return make_fixnum((intptr_t)array_of(a)->total);
}

static Value bit_boole(Thread *th, int op, Value a1, Value a2, Value result) {
  Value d1 = bit_dims(th, a1), d2 = bit_dims(th, a2);
  if (!equal(d1, d2)) simple_error(th, "~s and ~s have different dimensions.", a1, a2);
  if (result == SYM(t)) {
    result = a1;
  } else if (supplied(result) && result != NIL) {
    if (!equal(d2, bit_dims(th, result))) simple_error(th, "~s and ~s have different dimensions.", a2, result);
  } else {
    size_t dims[MAX_RANK], total;
    size_t rank = parse_dims(th, d2, dims, &total);
    Value data = vec_alloc(th, EK_BIT, total);
    result = rank == 1 ? data : make_header(th, rank, dims, data, 0, total, 0);
  }
  VecView x, y, r;
  array_view(a1, &x);
  array_view(a2, &y);
  array_view(result, &r);
  size_t n = total_of(result);
  if (x.start == 0 && y.start == 0 && r.start == 0) {
    const uint64_t *p = nv_of(x.data)->data, *q = nv_of(y.data)->data;
    uint64_t *o = nv_of(r.data)->data;
    size_t words = n / 64;
    for (size_t w = 0; w < words; w++) o[w] = bit_op(op, p[w], q[w]);
    for (size_t i = words * 64; i < n; i++)
      vec_set(th, r.data, i, make_fixnum((intptr_t)(bit_op(op, (p[i / 64] >> (i % 64)) & 1, (q[i / 64] >> (i % 64)) & 1) & 1)));
    return result;
  }
  for (size_t i = 0; i < n; i++) {
    uint64_t a = (uint64_t)fixnum_val(vec_ref(th, x.data, x.start + i));
    uint64_t b = (uint64_t)fixnum_val(vec_ref(th, y.data, y.start + i));
    vec_set(th, r.data, r.start + i, make_fixnum((intptr_t)(bit_op(op, a, b) & 1)));
  }
  return result;
}

#define BIT_FN(name, op)                                                   \
  static Value lisp_bit_##name(Thread *th, int nargs, Value *args) {       \
    UNUSED(nargs);                                                         \
    return bit_boole(th, op, args[0], args[1], args[2]);                   \
  }
BIT_FN(and, B_AND)
BIT_FN(ior, B_IOR)
BIT_FN(xor, B_XOR)
BIT_FN(eqv, B_EQV)
BIT_FN(nand, B_NAND)
BIT_FN(nor, B_NOR)
BIT_FN(andc1, B_ANDC1)
BIT_FN(andc2, B_ANDC2)
BIT_FN(orc1, B_ORC1)
BIT_FN(orc2, B_ORC2)
#undef BIT_FN

static Value lisp_bit_not(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return bit_boole(th, B_NOR, args[0], args[0], args[1]);
}

/* ---- Registration ---- */

const NativeDesc arrays_natives[] = {
    {"MAKE-ARRAY", lisp_make_array, 1, 1, 0,
     "element-type initial-element initial-contents adjustable fill-pointer displaced-to displaced-index-offset",
     "(dims &key (element-type t element-type-p) displaced-to displaced-index-offset adjustable fill-pointer "
     "(initial-element nil initial-element-p) (initial-contents nil initial-contents-p))",
     "Create an array of dimensions DIMS (a size or a list of sizes) whose representation is chosen by the upgraded "
     "ELEMENT-TYPE; with ADJUSTABLE, FILL-POINTER or DISPLACED-TO it is a complex array."},
    {"VECTOR", lisp_vector, 0, 0, NAT_REST, NULL, "(&rest objects)", "Construct a SIMPLE-VECTOR from the given objects."},
    {"MAKE-STRING", lisp_make_string, 1, 1, 0, "initial-element element-type",
     "(size &key initial-element element-type)",
     "Given a character count and an optional fill character, makes and returns a new string COUNT long filled with "
     "the fill character."},
    {"AREF", lisp_aref, 1, 1, NAT_REST, NULL, "(array &rest subscripts)",
     "Return the element of the ARRAY specified by the SUBSCRIPTS."},
    {"SVREF", lisp_svref, 2, 2, 0, NULL, "(simple-vector index)",
     "Return the INDEXth element of the given Simple-Vector."},
    {"ROW-MAJOR-AREF", lisp_row_major_aref, 2, 2, 0, NULL, "(array index)",
     "Return the element of array corressponding to the row-major index. This is SETF'able."},
    {"CHAR", lisp_char, 2, 2, 0, NULL, "(string index)",
     "Given a string and a non-negative integer index less than the length of the string, returns the character "
     "object representing the character at that position in the string."},
    {"SCHAR", lisp_schar, 2, 2, 0, NULL, "(simple-string index)",
     "SCHAR returns the character object at an indexed position in a string just as CHAR does, except the string "
     "must be a simple-string."},
    {"BIT", lisp_bit, 1, 1, NAT_REST, NULL, "(bit-array &rest subscripts)",
     "Return the bit from the BIT-ARRAY at the specified SUBSCRIPTS."},
    {"SBIT", lisp_sbit, 1, 1, NAT_REST, NULL, "(simple-bit-array &rest subscripts)",
     "Return the bit from SIMPLE-BIT-ARRAY at the specified SUBSCRIPTS."},
    {"ARRAY-RANK", lisp_array_rank, 1, 1, 0, NULL, "(array)", "Return the number of dimensions of ARRAY."},
    {"ARRAY-DIMENSIONS", lisp_array_dimensions, 1, 1, 0, NULL, "(array)",
     "Return a list whose elements are the dimensions of the array"},
    {"ARRAY-DIMENSION", lisp_array_dimension, 2, 2, 0, NULL, "(array axis-number)",
     "Return the length of dimension AXIS-NUMBER of ARRAY."},
    {"ARRAY-TOTAL-SIZE", lisp_array_total_size, 1, 1, 0, NULL, "(array)",
     "Return the total number of elements in the Array."},
    {"ARRAY-ELEMENT-TYPE", lisp_array_element_type, 1, 1, 0, NULL, "(array)",
     "Return the type of the elements of the array"},
    {"ADJUSTABLE-ARRAY-P", lisp_adjustable_array_p, 1, 1, 0, NULL, "(array)",
     "Return T if (ADJUST-ARRAY ARRAY...) would return an array identical to the argument, this happens for complex "
     "arrays."},
    {"ARRAY-HAS-FILL-POINTER-P", lisp_array_has_fill_pointer_p, 1, 1, 0, NULL, "(array)",
     "Return T if the given ARRAY has a fill pointer, or NIL otherwise."},
    {"ARRAY-DISPLACEMENT", lisp_array_displacement, 1, 1, NAT_MV, NULL, "(array)",
     "Return the values of :DISPLACED-TO and :DISPLACED-INDEX-offset options to MAKE-ARRAY, or NIL and 0 if not a "
     "displaced array."},
    {"ARRAY-IN-BOUNDS-P", lisp_array_in_bounds_p, 1, 1, NAT_REST, NULL, "(array &rest subscripts)",
     "Return T if the SUBSCIPTS are in bounds for the ARRAY, NIL otherwise."},
    {"ARRAY-ROW-MAJOR-INDEX", lisp_array_row_major_index, 1, 1, NAT_REST, NULL, "(array &rest subscripts)",
     "The index in row-major order of the element of ARRAY at SUBSCRIPTS."},
    {"UPGRADED-ARRAY-ELEMENT-TYPE", lisp_upgraded_array_element_type, 1, 2, 0, NULL, "(type &optional env)",
     "Return the element type that will actually be used to implement an array with the specifier :ELEMENT-TYPE "
     "Spec."},
    {"BIT-VECTOR-P", lisp_bit_vector_p, 1, 1, 0, NULL, "(object)",
     "Return true if OBJECT is a BIT-VECTOR, and NIL otherwise."},
    {"SIMPLE-BIT-VECTOR-P", lisp_simple_bit_vector_p, 1, 1, 0, NULL, "(object)",
     "Return true if OBJECT is a SIMPLE-BIT-VECTOR, and NIL otherwise."},
    {"FILL-POINTER", lisp_fill_pointer, 1, 1, 0, NULL, "(array)", "Return the FILL-POINTER of the given VECTOR."},
    {"VECTOR-POP", lisp_vector_pop, 1, 1, 0, NULL, "(vector)",
     "Decrease the fill pointer by 1 and return the element pointed to by the new fill pointer."},
    {"VECTOR-PUSH", lisp_vector_push, 2, 2, 0, NULL, "(elt vector)",
     "Attempt to set the element of ARRAY designated by its fill pointer to NEW-EL, and increment the fill pointer by "
     "one. If the fill pointer is too large, NIL is returned, otherwise the index of the pushed element is returned."},
    {"VECTOR-PUSH-EXTEND", lisp_vector_push_extend, 2, 3, 0, NULL, "(elt vector &optional extension)",
     "Attempt to set the element of VECTOR designated by its fill pointer to ELT, and increment the fill pointer by "
     "one. If the fill pointer is too large, VECTOR is extended using adjust-array.  EXTENSION is the minimum number "
     "of elements to add if it must be extended."},
    {"ADJUST-ARRAY", lisp_adjust_array, 2, 2, 0,
     "element-type initial-element initial-contents fill-pointer displaced-to displaced-index-offset",
     "(array dims &key element-type initial-element initial-contents fill-pointer displaced-to "
     "displaced-index-offset)",
     "Adjust ARRAY's dimensions to the given DIMENSIONS and stuff."},
    {"BIT-AND", lisp_bit_and, 2, 3, 0, NULL, "(bit-array1 bit-array2 &optional result-bit-array)",
     "Perform a bit-wise LOGAND on the elements of BIT-ARRAY-1 and BIT-ARRAY-2, putting the results in RESULT-BIT-ARRAY. "
     "If RESULT-BIT-ARRAY is T, BIT-ARRAY-1 is used. If RESULT-BIT-ARRAY is NIL or omitted, a new array is created. "
     "All the arrays must have the same rank and dimensions."},
    {"BIT-IOR", lisp_bit_ior, 2, 3, 0, NULL, "(bit-array1 bit-array2 &optional result-bit-array)",
     "Perform a bit-wise LOGIOR on the elements of BIT-ARRAY-1 and BIT-ARRAY-2, putting the results in RESULT-BIT-ARRAY. "
     "If RESULT-BIT-ARRAY is T, BIT-ARRAY-1 is used. If RESULT-BIT-ARRAY is NIL or omitted, a new array is created. "
     "All the arrays must have the same rank and dimensions."},
    {"BIT-XOR", lisp_bit_xor, 2, 3, 0, NULL, "(bit-array1 bit-array2 &optional result-bit-array)",
     "Perform a bit-wise LOGXOR on the elements of BIT-ARRAY-1 and BIT-ARRAY-2, putting the results in RESULT-BIT-ARRAY. "
     "If RESULT-BIT-ARRAY is T, BIT-ARRAY-1 is used. If RESULT-BIT-ARRAY is NIL or omitted, a new array is created. "
     "All the arrays must have the same rank and dimensions."},
    {"BIT-EQV", lisp_bit_eqv, 2, 3, 0, NULL, "(bit-array1 bit-array2 &optional result-bit-array)",
     "Perform a bit-wise LOGEQV on the elements of BIT-ARRAY-1 and BIT-ARRAY-2, putting the results in RESULT-BIT-ARRAY. "
     "If RESULT-BIT-ARRAY is T, BIT-ARRAY-1 is used. If RESULT-BIT-ARRAY is NIL or omitted, a new array is created. "
     "All the arrays must have the same rank and dimensions."},
    {"BIT-NAND", lisp_bit_nand, 2, 3, 0, NULL, "(bit-array1 bit-array2 &optional result-bit-array)",
     "Perform a bit-wise LOGNAND on the elements of BIT-ARRAY-1 and BIT-ARRAY-2, putting the results in RESULT-BIT-ARRAY. "
     "If RESULT-BIT-ARRAY is T, BIT-ARRAY-1 is used. If RESULT-BIT-ARRAY is NIL or omitted, a new array is created. "
     "All the arrays must have the same rank and dimensions."},
    {"BIT-NOR", lisp_bit_nor, 2, 3, 0, NULL, "(bit-array1 bit-array2 &optional result-bit-array)",
     "Perform a bit-wise LOGNOR on the elements of BIT-ARRAY-1 and BIT-ARRAY-2, putting the results in RESULT-BIT-ARRAY. "
     "If RESULT-BIT-ARRAY is T, BIT-ARRAY-1 is used. If RESULT-BIT-ARRAY is NIL or omitted, a new array is created. "
     "All the arrays must have the same rank and dimensions."},
    {"BIT-ANDC1", lisp_bit_andc1, 2, 3, 0, NULL, "(bit-array1 bit-array2 &optional result-bit-array)",
     "Perform a bit-wise LOGANDC1 on the elements of BIT-ARRAY-1 and BIT-ARRAY-2, putting the results in RESULT-BIT-ARRAY. "
     "If RESULT-BIT-ARRAY is T, BIT-ARRAY-1 is used. If RESULT-BIT-ARRAY is NIL or omitted, a new array is created. "
     "All the arrays must have the same rank and dimensions."},
    {"BIT-ANDC2", lisp_bit_andc2, 2, 3, 0, NULL, "(bit-array1 bit-array2 &optional result-bit-array)",
     "Perform a bit-wise LOGANDC2 on the elements of BIT-ARRAY-1 and BIT-ARRAY-2, putting the results in RESULT-BIT-ARRAY. "
     "If RESULT-BIT-ARRAY is T, BIT-ARRAY-1 is used. If RESULT-BIT-ARRAY is NIL or omitted, a new array is created. "
     "All the arrays must have the same rank and dimensions."},
    {"BIT-ORC1", lisp_bit_orc1, 2, 3, 0, NULL, "(bit-array1 bit-array2 &optional result-bit-array)",
     "Perform a bit-wise LOGORC1 on the elements of BIT-ARRAY-1 and BIT-ARRAY-2, putting the results in RESULT-BIT-ARRAY. "
     "If RESULT-BIT-ARRAY is T, BIT-ARRAY-1 is used. If RESULT-BIT-ARRAY is NIL or omitted, a new array is created. "
     "All the arrays must have the same rank and dimensions."},
    {"BIT-ORC2", lisp_bit_orc2, 2, 3, 0, NULL, "(bit-array1 bit-array2 &optional result-bit-array)",
     "Perform a bit-wise LOGORC2 on the elements of BIT-ARRAY-1 and BIT-ARRAY-2, putting the results in RESULT-BIT-ARRAY. "
     "If RESULT-BIT-ARRAY is T, BIT-ARRAY-1 is used. If RESULT-BIT-ARRAY is NIL or omitted, a new array is created. "
     "All the arrays must have the same rank and dimensions."},
    {"BIT-NOT", lisp_bit_not, 1, 2, 0, NULL, "(bit-array &optional result-bit-array)",
     "Performs a bit-wise logical NOT on the elements of BIT-ARRAY, putting the results in RESULT-BIT-ARRAY. If "
     "RESULT-BIT-ARRAY is T, BIT-ARRAY is used. If RESULT-BIT-ARRAY is NIL or omitted, a new array is created. Both "
     "arrays must have the same rank and dimensions."},
    {0},
};

/* (SETF accessor) functions: called with the new value first. */
static const NativeDesc arrays_setf_natives[] = {
    {"AREF", lisp_set_aref, 2, 2, NAT_REST, NULL, "(new-value array &rest subscripts)",
     "Store NEW-VALUE as the element of ARRAY at SUBSCRIPTS."},
    {"SVREF", lisp_set_svref, 3, 3, 0, NULL, "(new-value simple-vector index)",
     "Store NEW-VALUE as the INDEXth element of SIMPLE-VECTOR."},
    {"ROW-MAJOR-AREF", lisp_set_row_major_aref, 3, 3, 0, NULL, "(new-value array index)",
     "Store NEW-VALUE as the element of ARRAY at the row-major INDEX."},
    {"CHAR", lisp_set_char, 3, 3, 0, NULL, "(new-value string index)", "Store the character NEW-VALUE in STRING at INDEX."},
    {"SCHAR", lisp_set_schar, 3, 3, 0, NULL, "(new-value simple-string index)",
     "Store the character NEW-VALUE in SIMPLE-STRING at INDEX."},
    {"BIT", lisp_set_bit, 2, 2, NAT_REST, NULL, "(new-value bit-array &rest subscripts)",
     "Store the bit NEW-VALUE in BIT-ARRAY at SUBSCRIPTS."},
    {"SBIT", lisp_set_sbit, 2, 2, NAT_REST, NULL, "(new-value simple-bit-array &rest subscripts)",
     "Store the bit NEW-VALUE in SIMPLE-BIT-ARRAY at SUBSCRIPTS."},
    {"FILL-POINTER", lisp_set_fill_pointer, 2, 2, 0, NULL, "(new-value vector)",
     "Set the fill pointer of VECTOR to NEW-VALUE (T: its total size)."},
    {0},
};

void install_setf_natives(Thread *th, const NativeDesc *table) {
  for (const NativeDesc *d = table; d->name; d++) {
    Value sym = intern_c(th, d->name, th->vm->pkg_cl);
    symbol_of(th, sym)->setf_fn = make_native(th, d, list2(th, SYM(setf), sym));
  }
}

void arrays_setf_init(Thread *th) { install_setf_natives(th, arrays_setf_natives); }
