/* numbers.c — the numeric tower's core: integers (fixnums and GMP bignums), ratios,
 * generic + - * / and comparison with CLHS contagion, EQUALP, arithmetic errors, and the init. */
#include <fenv.h>
#include <stdio.h>
#include <stdlib.h>

#include "numbers.h"

/* ---- Integers ---- */

void int_view(Value v, mpz_ptr z, mp_limb_t *limb) {
  if (is_fixnum(v)) {
    intptr_t n = fixnum_val(v);
    *limb = n < 0 ? (mp_limb_t)(-n) : (mp_limb_t)n;
    mpz_roinit_n(z, limb, n < 0 ? -1 : n > 0 ? 1 : 0);
  } else {
    Bignum *b = num_bignum(v);
    mpz_roinit_n(z, (const mp_limb_t *)b->limbs, b->size);
  }
}

static Value bignum_from_limbs(Thread *th, const mp_limb_t *limbs, size_t n, bool negative) {
  Bignum *b = gc_alloc(th, T_BIGNUM, sizeof(Bignum) + n * sizeof(uint64_t));
  memcpy(b->limbs, limbs, n * sizeof(uint64_t));
  b->size = negative ? -(int32_t)n : (int32_t)n;
  return obj_value(b);
}

Value int_from_mpz(Thread *th, mpz_srcptr z) {
  if (mpz_fits_slong_p(z)) {
    long n = mpz_get_si(z);
    if (fixnum_fits(n))
      return make_fixnum(n);
  }
  return bignum_from_limbs(th, mpz_limbs_read(z), mpz_size(z), mpz_sgn(z) < 0);
}

Value int_take(Thread *th, mpz_ptr z) {
  Value v = int_from_mpz(th, z);
  mpz_clear(z);
  return v;
}

Value make_integer(Thread *th, intptr_t n) {
  if (fixnum_fits(n))
    return make_fixnum(n);
  mp_limb_t limb = n < 0 ? (mp_limb_t)0 - (mp_limb_t)n : (mp_limb_t)n;
  return bignum_from_limbs(th, &limb, 1, n < 0);
}

Value make_integer_u64(Thread *th, uint64_t n) {
  if (n <= (uint64_t)FIXNUM_MAX)
    return make_fixnum((intptr_t)n);
  mp_limb_t limb = n;
  return bignum_from_limbs(th, &limb, 1, false);
}

void check_integer_bits(Thread *th, double bits) {
  if (bits > (double)MAX_INTEGER_BITS)
    simple_error(th, "Integer too large to be represented: it would need ~S bits.",
                 make_integer(th, bits > 1e18 ? (intptr_t)1e18 : (intptr_t)bits));
}

int int_sign(Value v) {
  if (is_fixnum(v)) {
    intptr_t n = fixnum_val(v);
    return n < 0 ? -1 : n > 0;
  }
  return num_bignum(v)->size < 0 ? -1 : 1;
}

size_t int_length(Value v) {
  if (is_fixnum(v)) {
    intptr_t n = fixnum_val(v);
    uint64_t u = (uint64_t)(n < 0 ? ~n : n);
    return u ? 64 - (size_t)__builtin_clzll(u) : 0;
  }
  INT_VIEW(z, v);
  if (mpz_sgn(z) > 0)
    return mpz_sizeinbase(z, 2);
  mpz_t t;
  mpz_init(t);
  mpz_com(t, z); /* -z-1 = |z|-1 */
  size_t n = mpz_sgn(t) ? mpz_sizeinbase(t, 2) : 0;
  mpz_clear(t);
  return n;
}

Value int_add(Thread *th, Value a, Value b) {
  if (is_fixnum(a) && is_fixnum(b))
    return make_integer(th, fixnum_val(a) + fixnum_val(b));
  INT_VIEW(x, a);
  INT_VIEW(y, b);
  mpz_t r;
  mpz_init(r);
  mpz_add(r, x, y);
  return int_take(th, r);
}

Value int_sub(Thread *th, Value a, Value b) {
  if (is_fixnum(a) && is_fixnum(b))
    return make_integer(th, fixnum_val(a) - fixnum_val(b));
  INT_VIEW(x, a);
  INT_VIEW(y, b);
  mpz_t r;
  mpz_init(r);
  mpz_sub(r, x, y);
  return int_take(th, r);
}

Value int_mul(Thread *th, Value a, Value b) {
  if (is_fixnum(a) && is_fixnum(b)) {
    intptr_t p;
    if (!__builtin_mul_overflow(fixnum_val(a), fixnum_val(b), &p))
      return make_integer(th, p);
  }
  check_integer_bits(th, (double)int_length(a) + (double)int_length(b));
  INT_VIEW(x, a);
  INT_VIEW(y, b);
  mpz_t r;
  mpz_init(r);
  mpz_mul(r, x, y);
  return int_take(th, r);
}

Value int_neg(Thread *th, Value a) {
  if (is_fixnum(a))
    return make_integer(th, -fixnum_val(a));
  Bignum *b = num_bignum(a);
  size_t n = (size_t)(b->size < 0 ? -b->size : b->size);
  if (b->size > 0 && n == 1 && b->limbs[0] == (uint64_t)FIXNUM_MAX + 1)
    return make_fixnum(FIXNUM_MIN);
  return bignum_from_limbs(th, (const mp_limb_t *)b->limbs, n, b->size > 0);
}

void int_truncate(Thread *th, Value a, Value b, Value *q, Value *r) {
  if (is_fixnum(a) && is_fixnum(b)) {
    intptr_t x = fixnum_val(a), y = fixnum_val(b);
    if (q)
      *q = make_integer(th, x / y);
    if (r)
      *r = make_fixnum(x % y);
    return;
  }
  INT_VIEW(x, a);
  INT_VIEW(y, b);
  mpz_t qq, rr;
  mpz_init(qq);
  mpz_init(rr);
  mpz_tdiv_qr(qq, rr, x, y);
  Value qv = int_take(th, qq);
  Value rv = int_take(th, rr);
  if (q)
    *q = qv;
  if (r)
    *r = rv;
}

Value int_gcd(Thread *th, Value a, Value b) {
  if (is_fixnum(a) && is_fixnum(b)) {
    uint64_t x = (uint64_t)llabs(fixnum_val(a)), y = (uint64_t)llabs(fixnum_val(b));
    while (y) {
      uint64_t t = x % y;
      x = y;
      y = t;
    }
    return make_integer_u64(th, x);
  }
  INT_VIEW(x, a);
  INT_VIEW(y, b);
  mpz_t r;
  mpz_init(r);
  mpz_gcd(r, x, y);
  return int_take(th, r);
}

Value int_ash(Thread *th, Value a, intptr_t count) {
  if (count == 0 || a == make_fixnum(0))
    return a;
  if (count > 0) {
    if (is_fixnum(a) && count < 62) {
      intptr_t p;
      if (!__builtin_mul_overflow(fixnum_val(a), (intptr_t)1 << count, &p))
        return make_integer(th, p);
    }
    check_integer_bits(th, (double)int_length(a) + (double)count);
    INT_VIEW(x, a);
    mpz_t r;
    mpz_init(r);
    mpz_mul_2exp(r, x, (mp_bitcnt_t)count);
    return int_take(th, r);
  }
  if (is_fixnum(a)) {
    intptr_t n = fixnum_val(a);
    return make_fixnum(-count >= 63 ? (n < 0 ? -1 : 0) : n >> -count);
  }
  INT_VIEW(x, a);
  mpz_t r;
  mpz_init(r);
  mpz_fdiv_q_2exp(r, x, (mp_bitcnt_t)-count);
  return int_take(th, r);
}

/* ---- Ratios ---- */

void rat_view(Value v, mpq_ptr q, mp_limb_t limbs[2]) {
  if (is_ratio(v)) {
    int_view(num_ratio(v)->num, mpq_numref(q), &limbs[0]);
    int_view(num_ratio(v)->den, mpq_denref(q), &limbs[1]);
  } else {
    int_view(v, mpq_numref(q), &limbs[0]);
    limbs[1] = 1;
    mpz_roinit_n(mpq_denref(q), &limbs[1], 1);
  }
}

Value ratio_raw(Thread *th, Value num, Value den) {
  Ratio *r = gc_alloc(th, T_RATIO, sizeof(Ratio));
  r->num = num;
  r->den = den;
  return obj_value(r);
}

Value rat_from_mpq(Thread *th, mpq_srcptr q) {
  Value num = int_from_mpz(th, mpq_numref(q));
  if (mpz_cmp_ui(mpq_denref(q), 1) == 0)
    return num;
  Value den = int_from_mpz(th, mpq_denref(q));
  return ratio_raw(th, num, den);
}

Value make_ratio(Thread *th, Value num, Value den) {
  check_integer(th, num);
  check_integer(th, den);
  if (den == make_fixnum(0))
    division_by_zero(th, "/", num, den);
  if (den == make_fixnum(1))
    return num;
  if (is_fixnum(num) && is_fixnum(den)) {
    intptr_t n = fixnum_val(num), d = fixnum_val(den);
    intptr_t a = n < 0 ? -n : n, b = d < 0 ? -d : d;
    while (b) {
      intptr_t t = a % b;
      a = b;
      b = t;
    }
    if (a > 1)
      n /= a, d /= a;
    if (d < 0)
      n = -n, d = -d;
    if (d == 1)
      return make_integer(th, n);
    return ratio_raw(th, make_integer(th, n), make_integer(th, d));
  }
  mpq_t q;
  mpq_init(q);
  INT_VIEW(x, num);
  INT_VIEW(y, den);
  mpz_set(mpq_numref(q), x);
  mpz_set(mpq_denref(q), y);
  mpq_canonicalize(q);
  Value v = rat_from_mpq(th, q);
  mpq_clear(q);
  return v;
}

static int digit_value(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'z')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'Z')
    return c - 'A' + 10;
  return 99;
}

Value integer_from_digits(Thread *th, const char *digits, unsigned base, bool negative) {
  if (base < 2 || base > 36)
    simple_error(th, "Invalid radix ~S.", make_fixnum(base));
  for (const char *q = digits; *q; q++)
    if (digit_value(*q) >= (int)base)
      simple_error(th, "~S is not a string of digits in radix ~S.", make_string_c(th, digits),
                   make_fixnum(base));
  uint64_t acc = 0;
  const char *p = digits;
  for (; *p; p++) {
    int d = digit_value(*p);
    uint64_t next;
    if (__builtin_mul_overflow(acc, (uint64_t)base, &next) ||
        __builtin_add_overflow(next, (uint64_t)d, &next))
      break;
    acc = next;
  }
  if (!*p) {
    if (acc <= (uint64_t)FIXNUM_MAX + 1) {
      intptr_t n = negative ? -(intptr_t)acc : (intptr_t)acc;
      if (acc <= (uint64_t)FIXNUM_MAX || negative)
        return make_integer(th, n);
    }
    mp_limb_t limb = acc;
    return bignum_from_limbs(th, &limb, 1, negative);
  }
  check_integer_bits(th, (double)strlen(digits) * log2((double)base));
  mpz_t z;
  mpz_init(z);
  mpz_set_str(z, digits, (int)base);
  if (negative)
    mpz_neg(z, z);
  return int_take(th, z);
}

/* ---- Errors ---- */

static Value cl_symbol(Thread *th, const char *name) { return intern_c(th, name, th->vm->pkg_cl); }

void arith_error(Thread *th, Value type, const char *operation, Value operands) {
  Value initargs[4] = {keyword_c(th, "OPERATION"), cl_symbol(th, operation), SYM(k_operands), operands};
  error_condition(th, make_condition(th, type, 4, initargs));
}

void division_by_zero(Thread *th, const char *operation, Value a, Value b) {
  arith_error(th, SYM(division_by_zero), operation, list2(th, a, b));
}

void complex_unsupported(Thread *th, const char *fn, Value x) {
  simple_error(th, "~S: the result for ~S would be a complex number; complex numbers are not supported.",
               cl_symbol(th, fn), x);
}

Value float_result2(Thread *th, double r, int kind, const char *op, double a, double b) {
  if (!isfinite(r)) {
    Value type = NIL;
    if (isnan(r)) {
      if (!isnan(a) && !isnan(b))
        type = SYM(floating_point_invalid);
    } else if (isfinite(a) && isfinite(b)) {
      type = (op[0] == '/' && b == 0.0) ? SYM(division_by_zero) : SYM(floating_point_overflow);
    }
    if (type != NIL) {
      Value x = make_float_kind(th, a, kind);
      Value y = make_float_kind(th, b, kind);
      arith_error(th, type, op, list2(th, x, y));
    }
  }
  return make_float_kind(th, r, kind);
}

void fp_clear(void) { feclearexcept(FE_ALL_EXCEPT); }

void fp_check(Thread *th, const char *operation, int kind, int nargs, double x, double y) {
  int ex = fetestexcept(FE_INVALID | FE_DIVBYZERO | FE_OVERFLOW);
  if (!ex)
    return;
  feclearexcept(FE_ALL_EXCEPT);
  /* CCL's priority (fp-condition-from-mxcsr): invalid, overflow, division by zero. */
  Value type = (ex & FE_INVALID)    ? SYM(floating_point_invalid)
               : (ex & FE_OVERFLOW) ? SYM(floating_point_overflow)
                                    : SYM(division_by_zero);
  Value a = make_float_kind(th, x, kind);
  Value operands = nargs == 1 ? list1(th, a) : list2(th, a, make_float_kind(th, y, kind));
  arith_error(th, type, operation, operands);
}

/* ---- Generic arithmetic ---- */

bool number_zerop(Value v) {
  if (is_fixnum(v))
    return v == make_fixnum(0);
  if (is_sfloat(v))
    return sfloat_val(v) == 0.0f;
  if (is_double(v))
    return double_of(v)->d == 0.0;
  return false; /* bignums and ratios are never zero */
}

int real_sign(Thread *th, Value v) {
  if (is_integer(v))
    return int_sign(v);
  if (is_ratio(v))
    return int_sign(num_ratio(v)->num);
  check_real(th, v);
  double d = float_val(v);
  return d > 0 ? 1 : d < 0 ? -1 : 0;
}

Value number_negate(Thread *th, Value v) {
  if (is_integer(v))
    return int_neg(th, v);
  if (is_ratio(v))
    return ratio_raw(th, int_neg(th, num_ratio(v)->num), num_ratio(v)->den);
  if (is_sfloat(v))
    return make_sfloat(-sfloat_val(v));
  if (is_double(v))
    return make_double(th, -double_of(v)->d);
  type_error(th, v, SYM(number));
}

Value number_abs(Thread *th, Value v) {
  if (is_sfloat(v))
    return make_sfloat(fabsf(sfloat_val(v)));
  if (is_double(v))
    return signbit(double_of(v)->d) ? make_double(th, fabs(double_of(v)->d)) : v;
  return real_sign(th, v) < 0 ? number_negate(th, v) : v;
}

static size_t rat_bits(Value v) {
  return is_ratio(v) ? int_length(num_ratio(v)->num) + int_length(num_ratio(v)->den) : int_length(v);
}

static Value rat_op(Thread *th, Value a, Value b, char op) {
  if (op == '*')
    check_integer_bits(th, (double)rat_bits(a) + (double)rat_bits(b));
  RAT_VIEW(x, a);
  RAT_VIEW(y, b);
  mpq_t r;
  mpq_init(r);
  switch (op) {
  case '+':
    mpq_add(r, x, y);
    break;
  case '-':
    mpq_sub(r, x, y);
    break;
  case '*':
    mpq_mul(r, x, y);
    break;
  default:
    mpq_div(r, x, y);
    break;
  }
  Value v = rat_from_mpq(th, r);
  mpq_clear(r);
  return v;
}

static Value float_op(Thread *th, Value a, Value b, char op, int kind) {
  static const char *const names[] = {"+", "-", "*", "/"};
  const char *name = names[op == '+' ? 0 : op == '-' ? 1 : op == '*' ? 2 : 3];
  if (kind == NK_DOUBLE) {
    double x = real_to_double(th, a), y = real_to_double(th, b), r;
    switch (op) {
    case '+':
      r = x + y;
      break;
    case '-':
      r = x - y;
      break;
    case '*':
      r = x * y;
      break;
    default:
      r = x / y;
      break;
    }
    return float_result2(th, r, kind, name, x, y);
  }
  float x = real_to_single(th, a), y = real_to_single(th, b), r;
  switch (op) {
  case '+':
    r = x + y;
    break;
  case '-':
    r = x - y;
    break;
  case '*':
    r = x * y;
    break;
  default:
    r = x / y;
    break;
  }
  return float_result2(th, r, kind, name, x, y);
}

static Value arith(Thread *th, Value a, Value b, char op) {
  check_number(th, a);
  check_number(th, b);
  int ka = num_kind(a), kb = num_kind(b);
  int k = ka > kb ? ka : kb;
  if (k != NK_RATIONAL)
    return float_op(th, a, b, op, k);
  if (op == '/' && number_zerop(b))
    division_by_zero(th, "/", a, b);
  if (is_integer(a) && is_integer(b)) {
    switch (op) {
    case '+':
      return int_add(th, a, b);
    case '-':
      return int_sub(th, a, b);
    case '*':
      return int_mul(th, a, b);
    default:
      return make_ratio(th, a, b);
    }
  }
  return rat_op(th, a, b, op);
}

Value number_add(Thread *th, Value a, Value b) {
  if (is_fixnum(a) && is_fixnum(b))
    return make_integer(th, fixnum_val(a) + fixnum_val(b));
  return arith(th, a, b, '+');
}

Value number_sub(Thread *th, Value a, Value b) {
  if (is_fixnum(a) && is_fixnum(b))
    return make_integer(th, fixnum_val(a) - fixnum_val(b));
  return arith(th, a, b, '-');
}

Value number_mul(Thread *th, Value a, Value b) {
  if (is_fixnum(a) && is_fixnum(b)) {
    intptr_t p;
    if (!__builtin_mul_overflow(fixnum_val(a), fixnum_val(b), &p))
      return make_integer(th, p);
  }
  return arith(th, a, b, '*');
}

Value number_div(Thread *th, Value a, Value b) { return arith(th, a, b, '/'); }

static int rat_cmp(Value a, Value b) {
  if (is_integer(a) && is_integer(b)) {
    INT_VIEW(x, a);
    INT_VIEW(y, b);
    int c = mpz_cmp(x, y);
    return c < 0 ? -1 : c > 0;
  }
  RAT_VIEW(x, a);
  RAT_VIEW(y, b);
  int c = mpq_cmp(x, y);
  return c < 0 ? -1 : c > 0;
}

/* A float against a rational, exactly (CLHS 12.1.4.1: the float is made rational). */
static int float_rat_cmp(Thread *th, double d, Value r) {
  if (isnan(d))
    return 2;
  if (isinf(d))
    return d > 0 ? 1 : -1;
  if (is_fixnum(r)) {
    intptr_t n = fixnum_val(r);
    if (n >= -((intptr_t)1 << 53) && n <= ((intptr_t)1 << 53)) {
      double y = (double)n;
      return d < y ? -1 : d > y;
    }
  }
  return rat_cmp(float_to_rational(th, d), r);
}

int real_cmp(Thread *th, Value a, Value b) {
  if (is_fixnum(a) && is_fixnum(b))
    return a == b ? 0 : fixnum_val(a) < fixnum_val(b) ? -1 : 1;
  check_real(th, a);
  check_real(th, b);
  int ka = num_kind(a), kb = num_kind(b);
  if (ka && kb) {
    double x = float_val(a), y = float_val(b);
    if (isnan(x) || isnan(y))
      return 2;
    return x < y ? -1 : x > y;
  }
  if (!ka && !kb)
    return rat_cmp(a, b);
  if (ka)
    return float_rat_cmp(th, float_val(a), b);
  int c = float_rat_cmp(th, float_val(b), a);
  return c == 2 ? 2 : -c;
}

int number_compare(Thread *th, Value a, Value b) {
  int c = real_cmp(th, a, b);
  return c == 2 ? 1 : c;
}

bool number_equal(Thread *th, Value a, Value b) {
  if (a == b && is_fixnum(a))
    return true;
  check_number(th, a);
  check_number(th, b);
  return real_cmp(th, a, b) == 0;
}

intptr_t integer_to_intptr(Thread *th, Value v, intptr_t lo, intptr_t hi, const char *expected) {
  if (is_fixnum(v)) {
    intptr_t n = fixnum_val(v);
    if (n >= lo && n <= hi)
      return n;
  } else if (is_bignum(v)) {
    INT_VIEW(z, v);
    if (mpz_fits_slong_p(z)) {
      long n = mpz_get_si(z);
      if (n >= lo && n <= hi)
        return n;
    }
  }
  type_error_c(th, v, expected ? expected : "INTEGER");
}

double number_to_double(Thread *th, Value v) {
  check_number(th, v);
  return real_to_double(th, v);
}

/* For EQUALP hashing: numbers that are = get the same double; never signals
 * (huge rationals truncate, possibly to an infinity). */
double number_hash_double(Value v) {
  if (is_fixnum(v)) return (double)fixnum_val(v);
  if (is_float(v)) return float_val(v);
  mpq_t q;
  mp_limb_t limbs[2];
  rat_view(v, q, limbs);
  return mpq_get_d(q);
}

/* ---- EQUALP ---- */

/* Case folding for EQUALP: ASCII, Latin-1, Greek and Cyrillic (EQUALP hashing must agree). */
uint32_t equalp_char_fold(uint32_t c) {
  if (c < 0x80)
    return (c >= 'a' && c <= 'z') ? c - 32 : c;
  if ((c >= 0xe0 && c <= 0xfe && c != 0xf7))
    return c - 32;
  if (c >= 0x3b1 && c <= 0x3c9 && c != 0x3c2)
    return c - 32;
  if (c >= 0x430 && c <= 0x44f)
    return c - 32;
  if (c >= 0x450 && c <= 0x45f)
    return c - 80;
  return c;
}

static bool is_array_like(Value v) {
  if (!is_obj(v))
    return false;
  switch (obj_of(v)->type) {
  case T_STRING:
  case T_SVECTOR:
  case T_OCTETS:
  case T_NUMVEC:
  case T_ARRAY:
    return true;
  default:
    return false;
  }
}

/* Element i (row-major) of a simple vector or of an array's storage. */
static Value array_elt(Thread *th, Value v, size_t i) {
  switch (obj_of(v)->type) {
  case T_STRING:
    return make_char(string_of(v)->data[i]);
  case T_SVECTOR:
    return svec_of(v)->data[i];
  case T_OCTETS:
    return make_fixnum(octets_of(v)->data[i]);
  case T_ARRAY:
    return array_elt(th, array_of(v)->data, array_of(v)->offset + i);
  case T_NUMVEC: {
    NumVec *nv = (NumVec *)v;
    const uint8_t *p = (const uint8_t *)nv->data;
    switch (nv->h.flags) {
    case NV_SB8:
      return make_fixnum(((const int8_t *)p)[i]);
    case NV_SB16:
      return make_fixnum(((const int16_t *)p)[i]);
    case NV_UB16:
      return make_fixnum(((const uint16_t *)p)[i]);
    case NV_SB32:
      return make_fixnum(((const int32_t *)p)[i]);
    case NV_UB32:
      return make_fixnum(((const uint32_t *)p)[i]);
    case NV_SB64:
      return make_integer(th, ((const int64_t *)p)[i]);
    case NV_UB64:
      return make_integer_u64(th, ((const uint64_t *)p)[i]);
    case NV_SFLOAT:
      return make_sfloat(((const float *)p)[i]);
    case NV_DFLOAT:
      return make_double(th, ((const double *)p)[i]);
    case NV_BIT:
      return make_fixnum((nv->data[i / 64] >> (i % 64)) & 1);
    default:
      return NIL;
    }
  }
  default:
    return NIL;
  }
}

static size_t simple_length(Value v) {
  switch (obj_of(v)->type) {
  case T_STRING:
    return string_of(v)->len;
  case T_SVECTOR:
    return svec_of(v)->len;
  case T_OCTETS:
    return octets_of(v)->len;
  default:
    return ((NumVec *)v)->len;
  }
}

static bool arrays_equalp(Thread *th, Value a, Value b) {
  size_t ra = is_type(a, T_ARRAY) ? array_of(a)->rank : 1;
  size_t rb = is_type(b, T_ARRAY) ? array_of(b)->rank : 1;
  if (ra != rb)
    return false;
  size_t n;
  if (ra == 1) {
    n = is_type(a, T_ARRAY) ? array_of(a)->fill : simple_length(a);
    size_t m = is_type(b, T_ARRAY) ? array_of(b)->fill : simple_length(b);
    if (n != m)
      return false;
  } else {
    for (size_t i = 0; i < ra; i++)
      if (array_of(a)->dims[i] != array_of(b)->dims[i])
        return false;
    n = array_of(a)->total;
  }
  if (is_string(a) && is_string(b)) {
    for (size_t i = 0; i < n; i++)
      if (equalp_char_fold(string_of(a)->data[i]) != equalp_char_fold(string_of(b)->data[i]))
        return false;
    return true;
  }
  for (size_t i = 0; i < n; i++)
    if (!equalp(th, array_elt(th, a, i), array_elt(th, b, i)))
      return false;
  return true;
}

static bool hash_tables_equalp(Thread *th, Value a, Value b) {
  HashTable *x = hashtable_of(a), *y = hashtable_of(b);
  if (x->count != y->count || x->h.flags != y->h.flags)
    return false;
  size_t i = 0;
  Value k, v, other;
  while (hash_next(a, &i, &k, &v))
    if (!hash_get2(th, b, k, &other) || !equalp(th, v, other))
      return false;
  return true;
}

static bool structures_equalp(Thread *th, Value a, Value b) {
  Instance *x = instance_of(a), *y = instance_of(b);
  if (x->klass != y->klass || class_of_obj(x->klass)->h.flags != CK_STRUCTURE)
    return false;
  SVector *sx = svec_of(x->slots), *sy = svec_of(y->slots);
  if (sx->len != sy->len)
    return false;
  for (size_t i = 0; i < sx->len; i++)
    if (!equalp(th, sx->data[i], sy->data[i]))
      return false;
  return true;
}

bool equalp(Thread *th, Value a, Value b) {
  char here;
  if (th->stack_limit && &here < th->stack_limit)
    error_condition(th, make_condition(th, SYM(stack_overflow), 0, NULL));
  for (;;) {
    if (a == b)
      return true;
    if (is_number(a))
      return is_number(b) && real_cmp(th, a, b) == 0;
    if (is_char(a))
      return is_char(b) && equalp_char_fold(char_code(a)) == equalp_char_fold(char_code(b));
    if (is_cons(a)) {
      if (!is_cons(b) || !equalp(th, CAR(a), CAR(b)))
        return false;
      a = CDR(a);
      b = CDR(b);
      continue;
    }
    if (!is_obj(a) || !is_obj(b))
      return false;
    if (is_array_like(a))
      return is_array_like(b) && arrays_equalp(th, a, b);
    enum ObjType t = obj_of(a)->type;
    if (t != obj_of(b)->type)
      return false;
    if (t == T_HASHTABLE)
      return hash_tables_equalp(th, a, b);
    if (t == T_INSTANCE)
      return structures_equalp(th, a, b);
    if (t == T_FOREIGN && random_state_p(th, a) && random_state_p(th, b))
      return memcmp(((Foreign *)a)->payload, ((Foreign *)b)->payload, 6 * sizeof(uint32_t)) == 0;
    return false;
  }
}

static Value lisp_equalp(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return BOOL(th, equalp(th, args[0], args[1]));
}

static const NativeDesc numbers_core_natives[] = {
    {"EQUALP", lisp_equalp, 2, 2, 0, NULL, "(x y)",
     "Just like EQUAL, but more liberal in several respects.\n"
     "  Numbers may be of different types, as long as the values are identical\n"
     "  after coercion.  Characters may differ in alphabetic case.  Vectors and\n"
     "  arrays must have identical dimensions and EQUALP elements, but may differ\n"
     "  in their type restriction."},
    {0},
};

/* ---- Registration ---- */

Value define_number_constant(Thread *th, const char *name, Value value) {
  Value pkg = th->vm->pkg_cl;
  bool external = true;
  if (strncmp(name, "CCL::", 5) == 0) {
    pkg = th->vm->pkg_ccl;
    name += 5;
    external = false;
  } else if (strncmp(name, "CCL:", 4) == 0) {
    pkg = th->vm->pkg_ccl;
    name += 4;
  }
  Value sym = intern_c(th, name, pkg);
  if (external)
    export_symbol(th, sym, pkg);
  Symbol *s = symbol_of(th, sym);
  s->value = value;
  s->h.flags |= SYM_CONSTANT;
  return sym;
}

void builtins_numbers_init(Thread *th) {
  define_natives(th, numbers_core_natives);
  define_natives(th, numbers_arith_natives);
  define_natives(th, numbers_int_natives);
  define_natives(th, numbers_float_natives);
  define_natives(th, numbers_trans_natives);
  define_number_constant(th, "MOST-POSITIVE-FIXNUM", make_fixnum(FIXNUM_MAX));
  define_number_constant(th, "MOST-NEGATIVE-FIXNUM", make_fixnum(FIXNUM_MIN));
  numbers_float_init(th);
  numbers_int_init(th);
}
