/* numbers_float.c — floats: exact conversions between rationals and floats, CCL's
 * printing of every number (FLONUM-TO-STRING, radix prefixes), decoding, and float constants. */
#include <float.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "numbers.h"
#include "stream.h"

/* ---- Rational -> float, correctly rounded ---- */

/* |p|/q (q > 0) rounded to nearest-even with prec significant bits, no bit below
 * 2^emin (subnormals) and overflow at 2^emax. Returns false on overflow. */
static bool round_quotient(mpz_srcptr p_in, mpz_srcptr q, int prec, long emin, long emax, double *out) {
  if (mpz_sgn(p_in) == 0) {
    *out = 0.0;
    return true;
  }
  mpz_t n, d, qt, rem;
  mpz_inits(n, d, qt, rem, NULL);
  mpz_abs(n, p_in);
  mpz_set(d, q);
  long k = (long)mpz_sizeinbase(n, 2) - (long)mpz_sizeinbase(d, 2);
  long e = k - prec - 3; /* the quotient gets prec+3 or prec+4 bits */
  if (e < emin - 2)
    e = emin - 2;
  if (e < 0)
    mpz_mul_2exp(n, n, (mp_bitcnt_t)-e);
  else
    mpz_mul_2exp(d, d, (mp_bitcnt_t)e);
  mpz_tdiv_qr(qt, rem, n, d);
  bool sticky = mpz_sgn(rem) != 0;
  long bits = mpz_sgn(qt) ? (long)mpz_sizeinbase(qt, 2) : 0;
  long lsb = e + bits - prec;
  if (lsb < emin)
    lsb = emin;
  long drop = lsb - e; /* >= 2 */
  bool guard = mpz_tstbit(qt, (mp_bitcnt_t)(drop - 1));
  if (!sticky && mpz_sgn(qt))
    sticky = (long)mpz_scan1(qt, 0) < drop - 1;
  mpz_fdiv_q_2exp(qt, qt, (mp_bitcnt_t)drop);
  uint64_t m = mpz_get_ui(qt);
  mpz_clears(n, d, qt, rem, NULL);
  if (guard && (sticky || (m & 1)))
    m++;
  if (m && (long)(64 - __builtin_clzll(m)) + lsb > emax)
    return false;
  *out = ldexp((double)m, (int)lsb);
  return true;
}

static double rational_round(Thread *th, Value r, bool dbl) {
  RAT_VIEW(q, r);
  double d;
  bool ok = dbl ? round_quotient(mpq_numref(q), mpq_denref(q), 53, -1074, 1024, &d)
                : round_quotient(mpq_numref(q), mpq_denref(q), 24, -149, 128, &d);
  if (!ok)
    arith_error(th, SYM(floating_point_overflow), "FLOAT", list1(th, r));
  return mpq_sgn(q) < 0 ? -d : d;
}

#define EXACT_LIMIT(bits) ((intptr_t)1 << (bits))

double rational_to_double(Thread *th, Value r) {
  if (is_fixnum(r)) {
    intptr_t n = fixnum_val(r);
    if (n >= -EXACT_LIMIT(53) && n <= EXACT_LIMIT(53))
      return (double)n;
  } else if (is_ratio(r) && is_fixnum(num_ratio(r)->num) && is_fixnum(num_ratio(r)->den)) {
    intptr_t n = fixnum_val(num_ratio(r)->num), d = fixnum_val(num_ratio(r)->den);
    if (n >= -EXACT_LIMIT(53) && n <= EXACT_LIMIT(53) && d <= EXACT_LIMIT(53))
      return (double)n / (double)d;
  }
  return rational_round(th, r, true);
}

float rational_to_single(Thread *th, Value r) {
  if (is_fixnum(r)) {
    intptr_t n = fixnum_val(r);
    if (n >= -EXACT_LIMIT(53) && n <= EXACT_LIMIT(53))
      return (float)(double)n; /* one rounding */
  } else if (is_ratio(r) && is_fixnum(num_ratio(r)->num) && is_fixnum(num_ratio(r)->den)) {
    intptr_t n = fixnum_val(num_ratio(r)->num), d = fixnum_val(num_ratio(r)->den);
    if (n >= -EXACT_LIMIT(24) && n <= EXACT_LIMIT(24) && d <= EXACT_LIMIT(24))
      return (float)n / (float)d;
  }
  return (float)rational_round(th, r, false);
}

Value make_float_kind(Thread *th, double d, int kind) {
  return kind == NK_DOUBLE ? make_double(th, d) : make_sfloat((float)d);
}

static float narrow_to_single(Thread *th, double d) {
  float f = (float)d;
  if (isinf(f) && isfinite(d))
    arith_error(th, SYM(floating_point_overflow), "COERCE", list2(th, make_double(th, d), SYM(single_float)));
  return f;
}

Value float_from_double(Thread *th, double d, bool is_double) {
  return is_double ? make_double(th, d) : make_sfloat(narrow_to_single(th, d));
}

double real_to_double(Thread *th, Value x) {
  if (is_double(x))
    return double_of(x)->d;
  if (is_sfloat(x))
    return (double)sfloat_val(x);
  check_real(th, x);
  return rational_to_double(th, x);
}

float real_to_single(Thread *th, Value x) {
  if (is_sfloat(x))
    return sfloat_val(x);
  if (is_double(x))
    return narrow_to_single(th, double_of(x)->d);
  check_real(th, x);
  return rational_to_single(th, x);
}

Value real_to_float(Thread *th, Value x, int kind) {
  if (kind == NK_DOUBLE)
    return is_double(x) ? x : make_double(th, real_to_double(th, x));
  return is_sfloat(x) ? x : make_sfloat(real_to_single(th, x));
}

/* ---- Float -> rational ---- */

void float_integer_decode(double d, bool is_double, uint64_t *sig, int *exp, int *sign) {
  if (is_double) {
    uint64_t bits;
    memcpy(&bits, &d, sizeof bits);
    int biased = (int)((bits >> 52) & 0x7ff);
    uint64_t mant = bits & ((UINT64_C(1) << 52) - 1);
    *sign = (bits >> 63) ? -1 : 1;
    if (biased == 0) {
      *sig = mant;
      *exp = -1074;
    } else {
      *sig = mant | (UINT64_C(1) << 52);
      *exp = biased - 1075;
    }
    return;
  }
  float f = (float)d;
  uint32_t bits;
  memcpy(&bits, &f, sizeof bits);
  int biased = (int)((bits >> 23) & 0xff);
  uint32_t mant = bits & 0x7fffff;
  *sign = (bits >> 31) ? -1 : 1;
  if (biased == 0) {
    if (mant == 0) {
      *sig = 0;
      *exp = -150;
      return;
    }
    /* CCL normalises single denormals (integer-decode-denorm-short-float). */
    uint32_t s = mant << 1;
    int bias = 0;
    while (!(s & 0x800000))
      s <<= 1, bias++;
    *sig = s;
    *exp = -150 - bias;
    return;
  }
  *sig = mant | 0x800000;
  *exp = biased - 150;
}

Value float_to_rational(Thread *th, double d) {
  uint64_t sig;
  int exp, sign;
  float_integer_decode(d, true, &sig, &exp, &sign);
  if (sig == 0)
    return make_fixnum(0);
  int tz = __builtin_ctzll(sig);
  if (exp >= 0 || tz >= -exp) {
    Value m = make_integer(th, sign < 0 ? -(intptr_t)sig : (intptr_t)sig);
    return int_ash(th, m, exp);
  }
  sig >>= tz;
  exp += tz;
  Value num = make_integer(th, sign < 0 ? -(intptr_t)sig : (intptr_t)sig);
  return ratio_raw(th, num, int_ash(th, make_fixnum(1), -exp));
}

NORETURN static void cant_decode(Thread *th, Value x) {
  simple_error(th, "Can't decode NAN or infinity ~S", x);
}

Value float_truncate_to_int(Thread *th, double d, Value original) {
  if (!isfinite(d))
    cant_decode(th, original);
  if (fabs(d) < 4.0e18)
    return make_integer(th, (intptr_t)d);
  mpz_t z;
  mpz_init_set_d(z, d);
  return int_take(th, z);
}

/* ---- CCL's FLOAT-STRING (lib/format.lisp): the digits of a positive float ---- */

static void buf_push(DigitBuf *b, char c) {
  if (b->len == b->cap) {
    size_t cap = b->cap ? b->cap * 2 : 64;
    char *p = realloc(b->p, cap);
    if (!p)
      return; /* out of memory: the digits are cut short rather than the process killed */
    b->p = p;
    b->cap = cap;
  }
  b->p[b->len++] = c;
}

/* CCL's FLOAT-STRING of the positive float x: width, fdigits and scale are FLOAT_NONE when
 * not given. Pure arithmetic (no Lisp calls), so the malloc'd digits cannot leak. */
void float_string(double x, bool is_double, long width, long fdigits, long scale, DigitBuf *out, long *h_out,
                  long *k_out) {
  if (width == FLOAT_NONE && fdigits == FLOAT_NONE && scale == FLOAT_NONE && is_double && x == 1e23) {
    buf_push(out, '1'); /* CCL's cheat for the one number Steele-White prints badly (9.999999999999999E+22) */
    *h_out = 24;
    *k_out = 23;
    return;
  }
  uint64_t f;
  int e, sign;
  float_integer_decode(x, is_double, &f, &e, &sign);
  int p = 64 - __builtin_clzll(f);
  bool mm = f == (UINT64_C(1) << (p - 1));
  bool roundup = false;
  long k = 0;
  mpz_t r, s, mminus, mplus, t, y, twor, half_mp, half_mm;
  mpz_inits(r, s, mminus, mplus, t, y, twor, half_mp, half_mm, NULL);
  mpz_set_ui(r, f);
  mpz_set_ui(s, 1);
  mpz_set_ui(mminus, 1);
  mpz_set_ui(mplus, 1);
  if (scale == FLOAT_NONE || scale == 0) {
    /* CCL estimates k with a single-float product: (truncate (* (+ e p) .301)) */
    volatile float prod = (float)(e + p) * 0.301f;
    long fudge = (long)prod;
    if (fudge != 0) {
      k = fudge;
      scale = -k;
    }
  }
  if (scale != FLOAT_NONE && scale != 0) {
    if (scale < 0) {
      mpz_ui_pow_ui(t, 5, (unsigned long)-scale);
      mpz_mul(s, s, t);
    } else {
      mpz_ui_pow_ui(t, 5, (unsigned long)scale);
      mpz_mul(r, r, t);
      mpz_set(mplus, t);
      if (mm)
        mpz_set(mminus, t);
    }
  }
  long shift = e + (scale != FLOAT_NONE ? scale : 0);
  if (shift > 0) {
    mpz_set_ui(r, f); /* as CCL: (setq r (ash f shift)) */
    mpz_mul_2exp(r, r, (mp_bitcnt_t)shift);
    mpz_mul_2exp(mplus, mplus, (mp_bitcnt_t)shift);
    if (mm)
      mpz_mul_2exp(mminus, mminus, (mp_bitcnt_t)shift);
  } else if (shift < 0) {
    mpz_mul_2exp(s, s, (mp_bitcnt_t)-shift);
  }
  if (mm) {
    mpz_mul_2exp(mplus, mplus, 1);
    mpz_mul_2exp(r, r, 1);
    mpz_mul_2exp(s, s, 1);
  }
  {
    mpz_cdiv_q_ui(t, s, 10);
    unsigned long fudge_pow = 0;
    while (mpz_cmp(r, t) < 0) {
      k--;
      mpz_mul_ui(r, r, 10);
      fudge_pow++;
    }
    if (fudge_pow) {
      mpz_ui_pow_ui(y, 10, fudge_pow);
      mpz_mul(mplus, mplus, y);
      if (mm)
        mpz_mul(mminus, mminus, y);
    }
  }
  mpz_mul_2exp(twor, r, 1);
  for (;;) {
    mpz_add(t, twor, mplus); /* 2r + m+ */
    for (;;) {
      mpz_mul_2exp(y, s, 1);
      int c = mpz_cmp(t, y);
      if (!(roundup ? c >= 0 : c > 0))
        break;
      mpz_mul_ui(s, s, 10);
      k++;
    }
    if (fdigits == FLOAT_NONE && width == FLOAT_NONE)
      break;
    long cutoff = fdigits != FLOAT_NONE ? -fdigits : (k < 0 ? 1 - width : 1 + k - width);
    long a = cutoff - k;
    mpz_set(y, s);
    if (a >= 0) {
      if (a > 0) {
        mpz_ui_pow_ui(t, 10, (unsigned long)a);
        mpz_mul(y, y, t);
      }
    } else {
      mpz_ui_pow_ui(t, 10, (unsigned long)-a);
      mpz_cdiv_q(y, y, t);
    }
    if (mm && mpz_cmp(y, mminus) > 0)
      mpz_set(mminus, y);
    if (mpz_cmp(y, mplus) > 0)
      mpz_set(mplus, y);
    if (mpz_cmp(mplus, y) == 0)
      roundup = true;
    mpz_add(t, twor, mplus);
    mpz_mul_2exp(y, s, 1);
    int c = mpz_cmp(t, y);
    if (roundup ? c < 0 : c <= 0)
      break;
  }
  long h = k;
  mpz_mul_ui(half_mp, mplus, 5);
  if (mm)
    mpz_mul_ui(half_mm, mminus, 5);
  if (!(fdigits != FLOAT_NONE && -k >= fdigits)) {
    bool low, high;
    unsigned long u;
    for (;;) {
      k--;
      mpz_mul_ui(r, r, 10);
      mpz_tdiv_qr(y, r, r, s);
      u = mpz_get_ui(y);
      low = mpz_cmp(r, mm ? half_mm : half_mp) < 0;
      mpz_sub(t, s, half_mp);
      int c = mpz_cmp(r, t);
      high = roundup ? c >= 0 : c > 0;
      if (low || high)
        break;
      buf_push(out, (char)('0' + u));
      if (mm)
        mpz_mul_ui(half_mm, half_mm, 10);
      mpz_mul_ui(half_mp, half_mp, 10);
    }
    if (high && !low)
      u++;
    else if (low && high) {
      mpz_mul_2exp(t, r, 1);
      if (mpz_cmp(t, s) > 0)
        u++;
    }
    if (u <= 9) {
      buf_push(out, (char)('0' + u));
    } else { /* a carry into the digits before (never seen; kept valid anyway) */
      size_t i = out->len;
      while (i > 0 && out->p[i - 1] == '9')
        i--;
      if (i == 0) {
        if (out->len)
          out->p[0] = '1';
        else
          buf_push(out, '1');
        h++;
        out->len = out->len ? 1 : out->len;
      } else {
        out->p[i - 1]++;
        out->len = i;
      }
    }
  }
  mpz_clears(r, s, mminus, mplus, t, y, twor, half_mp, half_mm, NULL);
  *h_out = h;
  *k_out = k;
}

size_t float_to_digits(double x, bool is_double, char *buf, size_t bufsize, int *before_pt) {
  x = fabs(x);
  *before_pt = 0;
  if (bufsize)
    buf[0] = 0;
  if (bufsize < 2 || x == 0.0 || !isfinite(x))
    return 0;
  DigitBuf d = {0, 0, 0};
  long h, k;
  float_string(x, is_double, FLOAT_NONE, FLOAT_NONE, FLOAT_NONE, &d, &h, &k);
  size_t n = d.len < bufsize - 1 ? d.len : bufsize - 1;
  if (n)
    memcpy(buf, d.p, n);
  buf[n] = 0;
  free(d.p);
  *before_pt = (int)h;
  return n;
}

/* ---- Printing ---- */

static bool default_float_is_double(Thread *th) {
  Value fmt = symbol_value_or(th, SYM(read_default_float_format), SYM(single_float));
  return fmt == SYM(double_float) || fmt == SYM(long_float);
}

/* CCL's PRINT-A-FLOAT into out (at least 64 bytes). */
static void format_float(Thread *th, double d, bool is_double, char *out) {
  bool dflt = is_double == default_float_is_double(th);
  char exp_char = dflt ? 'E' : is_double ? 'D' : 'S';
  char *o = out;
  if (isnan(d)) {
    sprintf(out, "1%c+-0 #| not-a-number |#", exp_char);
    return;
  }
  if (isinf(d)) {
    sprintf(out, "%s1%c++0", d > 0 ? "" : "-", exp_char);
    return;
  }
  char digits[40];
  int bp;
  size_t len = float_to_digits(d, is_double, digits, sizeof digits, &bp);
  if (signbit(d))
    *o++ = '-';
  if (bp > -3 && bp <= 7) {
    if (len == 0) {
      o += sprintf(o, "0.0");
    } else if (bp > 0) {
      if ((int)len > bp) {
        o += sprintf(o, "%.*s.%s", bp, digits, digits + bp);
      } else {
        o += sprintf(o, "%s", digits);
        for (int i = 0; i < bp - (int)len; i++)
          *o++ = '0';
        o += sprintf(o, ".0");
      }
    } else {
      o += sprintf(o, "0.");
      for (int i = 0; i < -bp; i++)
        *o++ = '0';
      o += sprintf(o, "%s", digits);
    }
    if (!dflt)
      o += sprintf(o, "%c0", exp_char);
  } else {
    *o++ = len ? digits[0] : '0';
    *o++ = '.';
    if (len > 1)
      o += sprintf(o, "%s", digits + 1);
    else
      *o++ = '0';
    *o++ = exp_char;
    if (bp - 1 >= 0)
      *o++ = '+';
    o += sprintf(o, "%d", bp - 1);
  }
  *o = 0;
}

static char *write_radix(char *o, unsigned base) {
  switch (base) {
  case 2:
    return o + sprintf(o, "#b");
  case 8:
    return o + sprintf(o, "#o");
  case 16:
    return o + sprintf(o, "#x");
  default:
    return o + sprintf(o, "#%ur", base);
  }
}

static size_t integer_digits_size(Value v, unsigned base) {
  if (is_fixnum(v))
    return 66;
  INT_VIEW(z, v);
  return mpz_sizeinbase(z, (int)base) + 2;
}

static char *write_integer_digits(char *o, Value v, unsigned base) {
  if (is_fixnum(v)) {
    intptr_t n = fixnum_val(v);
    uint64_t u = n < 0 ? (uint64_t)(-n) : (uint64_t)n;
    char tmp[70];
    int i = 0;
    do {
      unsigned d = (unsigned)(u % base);
      tmp[i++] = (char)(d < 10 ? '0' + d : 'A' + d - 10);
      u /= base;
    } while (u);
    if (n < 0)
      *o++ = '-';
    while (i > 0)
      *o++ = tmp[--i];
    *o = 0;
    return o;
  }
  INT_VIEW(z, v);
  mpz_get_str(o, -(int)base, z);
  return o + strlen(o);
}

/* The text of a number; small is used when big enough, else a GC buffer. */
static char *number_text(Thread *th, Value n, unsigned base, bool radix, char *small, size_t smallsize) {
  if (base < 2 || base > 36)
    base = 10;
  if (is_float(n)) {
    format_float(th, float_val(n), is_double(n), small);
    return small;
  }
  if (!is_rational(n))
    type_error(th, n, SYM(number));
  size_t need =
      16 + integer_digits_size(rat_num(n), base) + (is_ratio(n) ? integer_digits_size(rat_den(n), base) : 0);
  char *buf = small;
  if (need > smallsize)
    buf = (char *)octets_of(make_octets(th, need))->data;
  char *o = buf;
  if (is_ratio(n)) {
    if (radix)
      o = write_radix(o, base);
    o = write_integer_digits(o, num_ratio(n)->num, base);
    *o++ = '/';
    o = write_integer_digits(o, num_ratio(n)->den, base);
  } else {
    if (radix && base != 10)
      o = write_radix(o, base);
    o = write_integer_digits(o, n, base);
    if (radix && base == 10)
      *o++ = '.';
  }
  *o = 0;
  return buf;
}

void print_number(Thread *th, Value n, Value stream, unsigned base, bool radix) {
  char small[160];
  stream_write_cstr(th, stream, number_text(th, n, base, radix, small, sizeof small));
}

Value number_to_string(Thread *th, Value n, unsigned base, bool radix) {
  char small[160];
  return make_string_c(th, number_text(th, n, base, radix, small, sizeof small));
}

/* ---- Natives ---- */

static Value lisp_float(Thread *th, int nargs, Value *args) {
  Value x = args[0], proto = opt_arg(nargs, args, 1);
  if (!supplied(proto)) {
    if (is_float(x))
      return x;
    check_real(th, x);
    return make_sfloat(rational_to_single(th, x));
  }
  if (is_double(proto))
    return real_to_float(th, check_real(th, x), NK_DOUBLE);
  if (is_sfloat(proto))
    return real_to_float(th, check_real(th, x), NK_SINGLE);
  type_error(th, proto, SYM(float_));
}

static Value lisp_float_sign(Thread *th, int nargs, Value *args) {
  Value x = check_float(th, args[0]), y = opt_arg(nargs, args, 1);
  bool neg = signbit(float_val(x));
  if (!supplied(y))
    return is_double(x) ? make_double(th, neg ? -1.0 : 1.0) : make_sfloat(neg ? -1.0f : 1.0f);
  check_float(th, y);
  bool yneg = float_val(y) < 0;
  return neg == yneg ? y : number_negate(th, y);
}

static Value lisp_float_digits(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return make_fixnum(is_double(check_float(th, args[0])) ? 53 : 24);
}

static Value lisp_float_precision(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value x = check_float(th, args[0]);
  double d = float_val(x);
  if (d == 0.0)
    return make_fixnum(0);
  if (!isfinite(d))
    return make_fixnum(is_double(x) ? 53 : 24);
  uint64_t sig;
  int exp, sign;
  if (is_double(x)) {
    float_integer_decode(d, true, &sig, &exp, &sign);
    return make_fixnum(64 - __builtin_clzll(sig));
  }
  uint32_t bits;
  float f = sfloat_val(x);
  memcpy(&bits, &f, sizeof bits);
  if ((bits >> 23 & 0xff) == 0)
    return make_fixnum(32 - __builtin_clz(bits & 0x7fffff));
  return make_fixnum(24);
}

static Value lisp_float_radix(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  check_float(th, args[0]);
  return make_fixnum(2);
}

static Value lisp_decode_float(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value x = check_float(th, args[0]);
  int kind = num_kind(x);
  double d = float_val(x);
  if (!isfinite(d))
    cant_decode(th, x);
  int e = 0;
  double m = d == 0.0 ? 0.0 : frexp(fabs(d), &e);
  Value sign = make_float_kind(th, signbit(d) ? -1.0 : 1.0, kind);
  return values3(th, make_float_kind(th, m, kind), make_fixnum(e), sign);
}

static Value lisp_integer_decode_float(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value x = check_float(th, args[0]);
  double d = float_val(x);
  if (!isfinite(d))
    simple_error(th, "Can't decode NAN/Inf: ~S", x);
  uint64_t sig;
  int exp, sign;
  float_integer_decode(d, is_double(x), &sig, &exp, &sign);
  return values3(th, make_integer_u64(th, sig), make_fixnum(exp), make_fixnum(sign));
}

static Value lisp_scale_float(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value x = check_float(th, args[0]), k = args[1];
  if (!is_fixnum(k))
    type_error(th, k, SYM(fixnum));
  intptr_t n = fixnum_val(k);
  if (n > 100000)
    n = 100000;
  if (n < -100000)
    n = -100000;
  double d = float_val(x);
  double r = ldexp(d, (int)n);
  if (is_sfloat(x))
    r = (double)ldexpf(sfloat_val(x), (int)n);
  if (isinf(r) && isfinite(d))
    arith_error(th, SYM(floating_point_overflow), "SCALE-FLOAT", list2(th, x, k));
  return make_float_kind(th, r, num_kind(x));
}

static Value lisp_rational(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value x = args[0];
  if (is_rational(x))
    return x;
  check_real(th, x);
  if (!isfinite(float_val(x)))
    cant_decode(th, x);
  return float_to_rational(th, float_val(x));
}

/* CCL's SIMPLER-RATIONAL (lib/numbers.lisp): the simplest rational between lo and hi. */
static void simpler_rational(bool le, mpz_srcptr lonum, mpz_srcptr loden, mpz_srcptr hinum, mpz_srcptr hiden,
                             mpz_ptr num_out, mpz_ptr den_out) {
  mpz_t term, t, a, b;
  mpz_inits(term, t, a, b, NULL);
  if (le) {
    mpz_cdiv_q(term, lonum, loden);
  } else {
    mpz_fdiv_q(term, lonum, loden);
    mpz_add_ui(term, term, 1);
  }
  mpz_mul(t, term, hiden);
  int c = mpz_cmp(t, hinum);
  if (le ? c <= 0 : c < 0) {
    mpz_set(num_out, term);
    mpz_set_ui(den_out, 1);
  } else {
    mpz_sub_ui(term, term, 1); /* term-1 */
    mpz_mul(t, term, hiden);
    mpz_sub(a, hinum, t);
    mpz_mul(t, term, loden);
    mpz_sub(b, lonum, t);
    mpz_t n, d;
    mpz_inits(n, d, NULL);
    simpler_rational(le, hiden, a, loden, b, n, d);
    mpz_mul(t, term, n);
    mpz_add(num_out, d, t);
    mpz_set(den_out, n);
    mpz_clears(n, d, NULL);
  }
  mpz_clears(term, t, a, b, NULL);
}

static Value lisp_rationalize(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value x = args[0];
  if (is_rational(x))
    return x;
  check_real(th, x);
  double d = float_val(x);
  if (!isfinite(d))
    cant_decode(th, x);
  uint64_t frac;
  int exp, sign;
  float_integer_decode(d, is_double(x), &frac, &exp, &sign);
  if ((is_double(x) && exp == -1074) || exp == -149 || (frac & (frac - 1)) == 0)
    return float_to_rational(th, d);
  if (exp >= 0)
    return int_ash(th, make_integer(th, sign < 0 ? -(intptr_t)frac : (intptr_t)frac), exp);
  mpz_t num, den, lo, hi, n, dd;
  mpz_inits(num, den, lo, hi, n, dd, NULL);
  mpz_set_ui(num, frac);
  mpz_mul_2exp(num, num, 2);
  mpz_set_ui(den, 1);
  mpz_mul_2exp(den, den, (mp_bitcnt_t)(2 - exp));
  mpz_sub_ui(lo, num, 2);
  mpz_add_ui(hi, num, 2);
  simpler_rational((frac & 1) == 0, lo, den, hi, den, n, dd);
  if (sign < 0)
    mpz_neg(n, n);
  Value a = int_from_mpz(th, n), b = int_from_mpz(th, dd);
  mpz_clears(num, den, lo, hi, n, dd, NULL);
  return make_ratio(th, a, b);
}

/* ---- Constants ---- */

static double double_from_bits(uint64_t bits) {
  double d;
  memcpy(&d, &bits, sizeof d);
  return d;
}

static float single_from_bits(uint32_t bits) {
  float f;
  memcpy(&f, &bits, sizeof f);
  return f;
}

void numbers_float_init(Thread *th) {
  static const char *const sizes[] = {"SHORT", "SINGLE", "DOUBLE", "LONG"};
  char name[64];
  for (int i = 0; i < 4; i++) {
    bool dbl = i >= 2;
#define DEF(fmt, s, d)                                                                                       \
  snprintf(name, sizeof name, fmt, sizes[i]);                                                                \
  define_number_constant(th, name, dbl ? make_double(th, d) : make_sfloat(s));
    DEF("MOST-POSITIVE-%s-FLOAT", FLT_MAX, DBL_MAX)
    DEF("MOST-NEGATIVE-%s-FLOAT", -FLT_MAX, -DBL_MAX)
    DEF("LEAST-POSITIVE-%s-FLOAT", single_from_bits(1), double_from_bits(1))
    DEF("LEAST-NEGATIVE-%s-FLOAT", -single_from_bits(1), -double_from_bits(1))
    DEF("LEAST-POSITIVE-NORMALIZED-%s-FLOAT", FLT_MIN, DBL_MIN)
    DEF("LEAST-NEGATIVE-NORMALIZED-%s-FLOAT", -FLT_MIN, -DBL_MIN)
    /* CCL's epsilons are one ulp above the half-ulp of 1 (l1-init.lisp). */
    DEF("%s-FLOAT-EPSILON", single_from_bits((103u << 23) | 1), double_from_bits((UINT64_C(970) << 52) | 1))
    DEF("%s-FLOAT-NEGATIVE-EPSILON", single_from_bits((102u << 23) | 1),
        double_from_bits((UINT64_C(969) << 52) | 1))
#undef DEF
  }
  define_number_constant(th, "PI", make_double(th, 3.141592653589793));
  define_number_constant(th, "CCL::DOUBLE-FLOAT-POSITIVE-INFINITY", make_double(th, HUGE_VAL));
  define_number_constant(th, "CCL::DOUBLE-FLOAT-NEGATIVE-INFINITY", make_double(th, -HUGE_VAL));
  define_number_constant(th, "CCL::DOUBLE-FLOAT-NAN", make_double(th, NAN));
  define_number_constant(th, "CCL::SINGLE-FLOAT-POSITIVE-INFINITY", make_sfloat(HUGE_VALF));
  define_number_constant(th, "CCL::SINGLE-FLOAT-NEGATIVE-INFINITY", make_sfloat(-HUGE_VALF));
  define_number_constant(th, "CCL::SINGLE-FLOAT-NAN", make_sfloat(NAN));
}

const NativeDesc numbers_float_natives[] = {
    {"FLOAT", lisp_float, 1, 2, 0, NULL, "(number &optional other)",
     "Converts any REAL to a float. If OTHER is not provided, it returns a\n"
     "SINGLE-FLOAT if NUMBER is not already a FLOAT. If OTHER is provided, the\n"
     "result is the same float format as OTHER."},
    {"FLOAT-SIGN", lisp_float_sign, 1, 2, 0, NULL, "(n1 &optional n2)",
     "Return a floating-point number that has the same sign as\n"
     "FLOAT1 and, if FLOAT2 is given, has the same absolute value\n"
     "as FLOAT2."},
    {"FLOAT-DIGITS", lisp_float_digits, 1, 1, 0, NULL, "(float)",
     "Return the number of radix digits in the representation of FLOAT (24 or 53)."},
    {"FLOAT-PRECISION", lisp_float_precision, 1, 1, 0, NULL, "(float)",
     "Return a non-negative number of significant digits in its float argument.\n"
     "Will be less than FLOAT-DIGITS if denormalized or zero."},
    {"FLOAT-RADIX", lisp_float_radix, 1, 1, 0, NULL, "(float)",
     "Return (as an integer) the radix b of its floating-point argument."},
    {"DECODE-FLOAT", lisp_decode_float, 1, 1, NAT_MV, NULL, "(n)",
     "Return three values:\n"
     "   1) a floating-point number representing the significand. This is always\n"
     "      between 0.5 (inclusive) and 1.0 (exclusive).\n"
     "   2) an integer representing the exponent.\n"
     "   3) -1.0 or 1.0 (i.e. the sign of the argument.)"},
    {"INTEGER-DECODE-FLOAT", lisp_integer_decode_float, 1, 1, NAT_MV, NULL, "(x)",
     "Returns three values:\n"
     "   1) an integer representation of the significand.\n"
     "   2) the exponent for the power of 2 that the significand must be multiplied\n"
     "      by to get the actual value.\n"
     "   3) -1 or 1 (i.e. the sign of the argument.)"},
    {"SCALE-FLOAT", lisp_scale_float, 2, 2, 0, NULL, "(float int)",
     "Return the value (* f (expt (float 2 f) ex)), but with no unnecessary loss\n"
     "of precision or overflow."},
    {"RATIONAL", lisp_rational, 1, 1, 0, NULL, "(number)",
     "RATIONAL produces a rational number for any real numeric argument. This is\n"
     "more efficient than RATIONALIZE, but it assumes that floating-point is\n"
     "completely accurate, giving a result that isn't as pretty."},
    {"RATIONALIZE", lisp_rationalize, 1, 1, 0, NULL, "(number)",
     "Converts any REAL to a RATIONAL.  Floats are converted to a simple rational\n"
     "representation exploiting the assumption that floats are only accurate to\n"
     "their precision.  RATIONALIZE (and also RATIONAL) preserve the invariant:\n"
     "      (= x (float (rationalize x) x))"},
    {0},
};
