/* numbers_trans.c — EXP EXPT LOG SQRT, trigonometric and hyperbolic functions with CCL's contagion
 * and FPU checks, and the complex-number entry points (which signal: Clove has no complex numbers). */
#include <float.h>
#include <stdlib.h>

#include "numbers.h"

#define SINGLE_PI 3.14159265358979323846f
#define SINGLE_HALF_PI 1.57079632679489661923f

typedef double (*DFn)(double);
typedef float (*SFn)(float);

/* A libm call checked as CCL's %df-check-exception-1 / %sf-check-exception-1 do. */
static Value call_double(Thread *th, const char *name, DFn f, double x) {
  fp_clear();
  double r = f(x);
  fp_check(th, name, NK_DOUBLE, 1, x, 0);
  return make_double(th, r);
}

static Value call_single(Thread *th, const char *name, SFn f, float x) {
  fp_clear();
  float r = f(x);
  fp_check(th, name, NK_SINGLE, 1, x, 0);
  return make_sfloat(r);
}

/* The result of a function computed in double precision for a rational argument,
 * returned as a single-float as CCL does for rationals. */
static Value double_to_single_result(Thread *th, const char *name, DFn f, double x) {
  Value d = call_double(th, name, f, x);
  return real_to_float(th, d, NK_SINGLE);
}

/* sin, cos, tan, sinh, ...: doubles stay double, everything else is single; ratios
 * and large integers go through double precision (CCL uses an extended reduction). */
static Value float_fn(Thread *th, Value x, const char *name, DFn fd, SFn fs) {
  check_number(th, x);
  if (is_double(x))
    return call_double(th, name, fd, double_of(x)->d);
  if (is_sfloat(x))
    return call_single(th, name, fs, sfloat_val(x));
  if (is_fixnum(x) && labs(fixnum_val(x)) <= (1L << 23))
    return call_single(th, name, fs, (float)fixnum_val(x));
  return double_to_single_result(th, name, fd, rational_to_double(th, x));
}

#define SIMPLE_FN(cname, lname, fd, fs)                                                                      \
  static Value cname(Thread *th, int nargs, Value *args) {                                                   \
    UNUSED(nargs);                                                                                           \
    return float_fn(th, args[0], lname, fd, fs);                                                             \
  }
SIMPLE_FN(lisp_sin, "SIN", sin, sinf)
SIMPLE_FN(lisp_cos, "COS", cos, cosf)
SIMPLE_FN(lisp_tan, "TAN", tan, tanf)
SIMPLE_FN(lisp_sinh, "SINH", sinh, sinhf)
SIMPLE_FN(lisp_cosh, "COSH", cosh, coshf)
#undef SIMPLE_FN

static Value lisp_tanh(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value x = args[0];
  if (is_rational(x) && real_cmp(th, number_abs(th, x), make_fixnum(12)) > 0)
    return make_sfloat(real_sign(th, x) > 0 ? 1.0f : -1.0f);
  return float_fn(th, x, "TANH", tanh, tanhf);
}

/* ---- EXP and LOG ---- */

static Value lisp_exp(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value x = check_number(th, args[0]);
  if (is_double(x))
    return call_double(th, "EXP", exp, double_of(x)->d);
  if (is_rational(x) && real_cmp(th, x, make_fixnum(-104)) < 0)
    return make_sfloat(0.0f);
  return call_single(th, "EXP", expf, real_to_single(th, x));
}

/* ln of a positive rational in double precision, without overflow for huge ones. */
static double rational_ln(Thread *th, Value x) {
  Value num = rat_num(x), den = rat_den(x);
  size_t ln = int_length(num), ld = int_length(den);
  if (ln < 1000 && ld < 1000) {
    double d = rational_to_double(th, x);
    if (d > 0 && isfinite(d) && d >= DBL_MIN)
      return log(d);
  }
  /* x = (n / 2^sn) / (d / 2^sd) * 2^(sn-sd), each quotient in [1, 2) */
  long sn = (long)ln - 1, sd = (long)ld - 1;
  double fn = rational_to_double(th, make_ratio(th, num, int_ash(th, make_fixnum(1), sn)));
  double fd = rational_to_double(th, make_ratio(th, den, int_ash(th, make_fixnum(1), sd)));
  return (double)(sn - sd) * M_LN2 + log(fn) - log(fd);
}

/* CCL's LOG-E for a real: complex results (negative arguments) are not supported. */
static Value log_e(Thread *th, Value x) {
  check_number(th, x);
  if (is_double(x)) {
    double d = double_of(x)->d;
    if (signbit(d) && d != 0.0)
      complex_unsupported(th, "LOG", x);
    return call_double(th, "LOG", log, fabs(d));
  }
  if (is_sfloat(x)) {
    float f = sfloat_val(x);
    if (signbit(f) && f != 0.0f)
      complex_unsupported(th, "LOG", x);
    return call_single(th, "LOG", logf, fabsf(f));
  }
  if (real_sign(th, x) < 0)
    complex_unsupported(th, "LOG", x);
  if (is_fixnum(x))
    return call_single(th, "LOG", logf, (float)fixnum_val(x));
  return real_to_float(th, make_double(th, rational_ln(th, x)), NK_SINGLE);
}

/* ln in double precision of a real (for LOG with a base and EXPT) */
static double ln_double(Thread *th, Value x, const char *who) {
  if (real_sign(th, x) < 0 || (is_float(x) && signbit(float_val(x)) && float_val(x) != 0.0))
    complex_unsupported(th, who, x);
  if (is_float(x)) {
    fp_clear();
    double r = log(fabs(float_val(x)));
    fp_check(th, "LOG", NK_DOUBLE, 1, fabs(float_val(x)), 0);
    return r;
  }
  if (number_zerop(x)) {
    fp_clear();
    double r = log(0.0);
    fp_check(th, "LOG", NK_DOUBLE, 1, 0.0, 0);
    return r;
  }
  return rational_ln(th, x);
}

static Value lisp_log(Thread *th, int nargs, Value *args) {
  Value x = args[0], b = opt_arg(nargs, args, 1);
  if (!supplied(b))
    return log_e(th, x);
  check_number(th, x);
  check_number(th, b);
  if (number_zerop(b)) {
    if (number_zerop(x))
      type_error_c(th, x, "(NOT (SATISFIES ZEROP))");
    return number_add(th, make_fixnum(0), number_mul(th, x, b));
  }
  if (is_float(x) && is_float(b)) {
    Value xs = number_mul(th, x, make_float_kind(th, 1.0, num_kind(b)));
    Value bs = number_mul(th, b, make_float_kind(th, 1.0, num_kind(x)));
    return number_div(th, log_e(th, xs), log_e(th, bs));
  }
  double lx = ln_double(th, x, "LOG"), lb = ln_double(th, b, "LOG");
  Value r = float_result2(th, lx / lb, NK_DOUBLE, "/", lx, lb);
  return (is_double(x) || is_double(b)) ? r : real_to_float(th, r, NK_SINGLE);
}

/* ---- SQRT ---- */

static Value exact_sqrt(Thread *th, Value n) {
  INT_VIEW(z, n);
  if (!mpz_perfect_square_p(z))
    return UNBOUND;
  mpz_t r;
  mpz_init(r);
  mpz_sqrt(r, z);
  return int_take(th, r);
}

static Value sqrt_v(Thread *th, Value x) {
  check_number(th, x);
  if (number_zerop(x))
    return x;
  if (real_sign(th, x) < 0)
    complex_unsupported(th, "SQRT", x);
  if (is_double(x))
    return call_double(th, "SQRT", sqrt, double_of(x)->d);
  if (is_sfloat(x))
    return call_single(th, "SQRT", sqrtf, sfloat_val(x));
  if (is_integer(x)) {
    Value r = exact_sqrt(th, x);
    if (r != UNBOUND)
      return r;
  } else {
    Value a = exact_sqrt(th, num_ratio(x)->num);
    Value b = a == UNBOUND ? UNBOUND : exact_sqrt(th, num_ratio(x)->den);
    if (b != UNBOUND)
      return ratio_raw(th, a, b);
  }
  return double_to_single_result(th, "SQRT", sqrt, rational_to_double(th, x));
}

static Value lisp_sqrt(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return sqrt_v(th, args[0]);
}

/* ---- EXPT ---- */

/* CCL's %INTEGER-POWER: b to a non-negative integer power e. */
static Value integer_power(Thread *th, Value b, Value e) {
  if (e == make_fixnum(0))
    return number_add(th, make_fixnum(1), number_mul(th, b, make_fixnum(0)));
  if (b == make_fixnum(2)) {
    if (!is_fixnum(e))
      check_integer_bits(th, 1e30);
    return int_ash(th, make_fixnum(1), fixnum_val(e));
  }
  if (is_rational(b)) {
    if (b == make_fixnum(0) || b == make_fixnum(1))
      return b;
    if (b == make_fixnum(-1)) {
      bool odd = is_fixnum(e) ? (fixnum_val(e) & 1) : (num_bignum(e)->limbs[0] & 1);
      return make_fixnum(odd ? -1 : 1);
    }
    if (!is_fixnum(e))
      check_integer_bits(th, 1e30);
    unsigned long n = (unsigned long)fixnum_val(e);
    check_integer_bits(th, (double)n * (double)int_length(number_abs(th, rat_num(b))));
    check_integer_bits(th, (double)n * (double)int_length(rat_den(b)));
    INT_VIEW(num, rat_num(b));
    mpz_t r;
    mpz_init(r);
    mpz_pow_ui(r, num, n);
    Value rn = int_take(th, r);
    if (is_integer(b))
      return rn;
    INT_VIEW(den, rat_den(b));
    mpz_init(r);
    mpz_pow_ui(r, den, n);
    return ratio_raw(th, rn, int_take(th, r));
  }
  /* floats: square and multiply with generic arithmetic, as CCL */
  mpz_t ee;
  INT_VIEW(e0, e);
  mpz_init_set(ee, e0);
  bool odd = mpz_odd_p(ee);
  Value total = odd ? b : make_fixnum(1);
  for (;;) {
    mpz_fdiv_q_2exp(ee, ee, 1);
    if (mpz_sgn(ee) == 0)
      break;
    b = number_mul(th, b, b);
    if (mpz_odd_p(ee))
      total = number_mul(th, b, total);
  }
  mpz_clear(ee);
  return total;
}

static Value lisp_expt(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value b = check_number(th, args[0]), e = check_number(th, args[1]);
  if (number_zerop(e))
    return number_add(th, make_fixnum(1), number_mul(th, b, e));
  if (is_integer(e)) {
    if (int_sign(e) < 0)
      return number_div(th, make_fixnum(1), integer_power(th, b, int_neg(th, e)));
    return integer_power(th, b, e);
  }
  if (number_zerop(b)) {
    if (real_sign(th, e) > 0)
      return number_mul(th, b, e);
    type_error_c(th, e, "(SATISFIES PLUSP)");
  }
  if (real_sign(th, b) < 0)
    complex_unsupported(th, "EXPT", b);
  /* CCL escapes very small or very large rational bases (they would not float) */
  bool in_float_range = true;
  Value fmax = make_double(th, (double)FLT_MAX);
  if (is_bignum(b)) {
    in_float_range = real_cmp(th, b, fmax) <= 0;
  } else if (is_ratio(b)) {
    if (real_cmp(th, b, make_sfloat(0.5f)) < 0)
      in_float_range = real_cmp(th, b, make_double(th, (double)FLT_MIN)) >= 0;
    else if (real_cmp(th, b, make_fixnum(3)) > 0)
      in_float_range = real_cmp(th, b, fmax) <= 0;
  }
  if (in_float_range) {
    if (is_double(b) || is_double(e)) {
      double x = real_to_double(th, b), y = real_to_double(th, e);
      fp_clear();
      double r = pow(x, y);
      fp_check(th, "EXPT", NK_DOUBLE, 2, x, y);
      return make_double(th, r);
    }
    float x = real_to_single(th, b), y = real_to_single(th, e);
    fp_clear();
    float r = powf(x, y);
    fp_check(th, "EXPT", NK_SINGLE, 2, x, y);
    return make_sfloat(r);
  }
  /* very large or small rational bases: (exp (* e (log b))) in double precision */
  double y = real_to_double(th, e) * rational_ln(th, b);
  Value r = call_double(th, "EXP", exp, y);
  return is_double(e) ? r : real_to_float(th, r, NK_SINGLE);
}

/* ---- Inverse trigonometric ---- */

static Value float_sign_of(Thread *th, Value y, Value magnitude) {
  bool neg = signbit(float_val(y));
  return neg ? number_negate(th, number_abs(th, magnitude)) : number_abs(th, magnitude);
}

/* CCL's %DF-ATAN2 / %SF-ATAN2: zeros handled before calling the library. */
static Value atan2_kind(Thread *th, Value y, Value x, int kind) {
  double yd = float_val(y), xd = float_val(x);
  if (xd == 0.0) {
    Value pi_v = make_float_kind(th, kind == NK_DOUBLE ? M_PI : (double)SINGLE_PI, kind);
    Value half = make_float_kind(th, kind == NK_DOUBLE ? M_PI_2 : (double)SINGLE_HALF_PI, kind);
    if (yd == 0.0)
      return signbit(xd) ? float_sign_of(th, y, pi_v) : y;
    return float_sign_of(th, y, half);
  }
  fp_clear();
  double r = kind == NK_DOUBLE ? atan2(yd, xd) : (double)atan2f((float)yd, (float)xd);
  fp_check(th, "ATAN", kind, 2, yd, xd);
  return make_float_kind(th, r, kind);
}

static Value atan_v(Thread *th, Value y, Value x) {
  check_real(th, y);
  if (!supplied(x)) {
    if (is_double(y))
      return call_double(th, "ATAN", atan, double_of(y)->d);
    if (is_sfloat(y))
      return call_single(th, "ATAN", atanf, sfloat_val(y));
    if (real_cmp(th, number_abs(th, y), make_double(th, (double)FLT_MAX)) <= 0)
      return call_single(th, "ATAN", atanf, real_to_single(th, y));
    return make_sfloat(real_sign(th, y) < 0 ? -SINGLE_HALF_PI : SINGLE_HALF_PI);
  }
  check_real(th, x);
  if (is_double(x) || is_double(y))
    return atan2_kind(th, real_to_float(th, y, NK_DOUBLE), real_to_float(th, x, NK_DOUBLE), NK_DOUBLE);
  if (is_rational(x) && is_rational(y)) {
    /* rescale so that the larger magnitude is 1 */
    Value x1 = number_abs(th, x), y1 = number_abs(th, y);
    if (real_cmp(th, y1, x1) > 0) {
      x = number_div(th, x, y1);
      y = make_fixnum(real_sign(th, y));
    } else if (!number_zerop(x)) {
      y = number_div(th, y, x1);
      x = make_fixnum(real_sign(th, x));
    }
  }
  return atan2_kind(th, real_to_float(th, y, NK_SINGLE), real_to_float(th, x, NK_SINGLE), NK_SINGLE);
}

static Value lisp_atan(Thread *th, int nargs, Value *args) {
  return atan_v(th, args[0], opt_arg(nargs, args, 1));
}

static Value one_minus_square_root(Thread *th, Value x) {
  return sqrt_v(th, number_sub(th, make_fixnum(1), number_mul(th, x, x)));
}

static Value lisp_asin(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value x = check_number(th, args[0]);
  if (real_cmp(th, number_abs(th, x), make_fixnum(1)) > 0)
    complex_unsupported(th, "ASIN", x);
  if (is_double(x))
    return call_double(th, "ASIN", asin, double_of(x)->d);
  if (is_sfloat(x))
    return call_single(th, "ASIN", asinf, sfloat_val(x));
  if (x == make_fixnum(0))
    return make_sfloat(0.0f);
  if (is_integer(x))
    return make_sfloat(int_sign(x) > 0 ? SINGLE_HALF_PI : -SINGLE_HALF_PI);
  return atan_v(th, x, one_minus_square_root(th, x));
}

static Value lisp_acos(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value x = check_number(th, args[0]);
  if (real_cmp(th, number_abs(th, x), make_fixnum(1)) > 0)
    complex_unsupported(th, "ACOS", x);
  if (is_double(x))
    return call_double(th, "ACOS", acos, double_of(x)->d);
  if (is_sfloat(x))
    return call_single(th, "ACOS", acosf, sfloat_val(x));
  if (x == make_fixnum(0))
    return make_sfloat(SINGLE_HALF_PI);
  if (is_integer(x))
    return make_sfloat(int_sign(x) > 0 ? 0.0f : SINGLE_PI);
  return atan_v(th, one_minus_square_root(th, x), x);
}

/* ---- Inverse hyperbolic ---- */

static Value lisp_asinh(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value x = check_number(th, args[0]);
  if (is_rational(x) && real_cmp(th, number_abs(th, x), make_double(th, (double)FLT_MAX)) >= 0) {
    double l = rational_ln(th, int_mul(th, make_fixnum(2), number_abs(th, x)));
    return make_sfloat((float)(real_sign(th, x) * l));
  }
  return float_fn(th, x, "ASINH", asinh, asinhf);
}

static Value lisp_acosh(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value x = check_number(th, args[0]);
  if (real_cmp(th, x, make_fixnum(1)) < 0)
    complex_unsupported(th, "ACOSH", x);
  if (is_rational(x) && real_cmp(th, x, make_double(th, (double)FLT_MAX)) > 0)
    return make_sfloat((float)rational_ln(th, int_mul(th, make_fixnum(2), x)));
  return float_fn(th, x, "ACOSH", acosh, acoshf);
}

static Value lisp_atanh(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value x = check_number(th, args[0]);
  if (real_cmp(th, number_abs(th, x), make_fixnum(1)) > 0)
    complex_unsupported(th, "ATANH", x);
  if (is_float(x))
    return float_fn(th, x, "ATANH", atanh, atanhf);
  /* CCL: (/ (log-e (/ (+ d n) (- d n))) 2) */
  Value n = rat_num(x), d = rat_den(x);
  Value q = number_div(th, number_add(th, d, n), number_sub(th, d, n));
  return number_div(th, log_e(th, q), make_fixnum(2));
}

/* ---- Complex-number entry points ---- */

static Value lisp_phase(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value x = check_number(th, args[0]);
  if (is_rational(x))
    return make_sfloat(real_sign(th, x) < 0 ? SINGLE_PI : 0.0f);
  bool neg = signbit(float_val(x));
  if (is_double(x))
    return make_double(th, neg ? M_PI : 0.0);
  return make_sfloat(neg ? SINGLE_PI : 0.0f);
}

static Value lisp_cis(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  complex_unsupported(th, "CIS", check_real(th, args[0]));
}

static Value lisp_complex(Thread *th, int nargs, Value *args) {
  Value r = check_real(th, args[0]), i = opt_arg(nargs, args, 1);
  if (supplied(i))
    check_real(th, i);
  if (is_rational(r) && (!supplied(i) || i == make_fixnum(0)))
    return r;
  simple_error(th, "Can't make a complex number with parts ~S and ~S: complex numbers are not supported.", r,
               supplied(i) ? i : make_fixnum(0));
}

static Value lisp_realpart(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return check_number(th, args[0]);
}

static Value lisp_imagpart(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value x = check_number(th, args[0]);
  return is_float(x) ? number_mul(th, make_fixnum(0), x) : make_fixnum(0);
}

static Value lisp_conjugate(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return check_number(th, args[0]);
}

const NativeDesc numbers_trans_natives[] = {
    {"EXP", lisp_exp, 1, 1, 0, NULL, "(x)", "Return e raised to the power NUMBER."},
    {"EXPT", lisp_expt, 2, 2, 0, NULL, "(b e)", "Return BASE raised to the POWER."},
    {"LOG", lisp_log, 1, 2, 0, NULL, "(x &optional b)",
     "Return the logarithm of NUMBER in the base BASE, which defaults to e."},
    {"SQRT", lisp_sqrt, 1, 1, 0, NULL, "(x)", "Return the square root of NUMBER."},
    {"SIN", lisp_sin, 1, 1, 0, NULL, "(x)", "Return the sine of NUMBER."},
    {"COS", lisp_cos, 1, 1, 0, NULL, "(x)", "Return the cosine of NUMBER."},
    {"TAN", lisp_tan, 1, 1, 0, NULL, "(x)", "Return the tangent of NUMBER."},
    {"ASIN", lisp_asin, 1, 1, 0, NULL, "(x)", "Return the arc sine of NUMBER."},
    {"ACOS", lisp_acos, 1, 1, 0, NULL, "(x)", "Return the arc cosine of NUMBER."},
    {"ATAN", lisp_atan, 1, 2, 0, NULL, "(y &optional x)",
     "Return the arc tangent of Y if X is omitted or Y/X if X is supplied."},
    {"SINH", lisp_sinh, 1, 1, 0, NULL, "(x)", "Return the hyperbolic sine of NUMBER."},
    {"COSH", lisp_cosh, 1, 1, 0, NULL, "(x)", "Return the hyperbolic cosine of NUMBER."},
    {"TANH", lisp_tanh, 1, 1, 0, NULL, "(x)", "Return the hyperbolic tangent of NUMBER."},
    {"ASINH", lisp_asinh, 1, 1, 0, NULL, "(x)", "Return the hyperbolic arc sine of NUMBER."},
    {"ACOSH", lisp_acosh, 1, 1, 0, NULL, "(x)", "Return the hyperbolic arc cosine of NUMBER."},
    {"ATANH", lisp_atanh, 1, 1, 0, NULL, "(x)", "Return the hyperbolic arc tangent of NUMBER."},
    {"PHASE", lisp_phase, 1, 1, 0, NULL, "(number)",
     "Return the angle part of the polar representation of a complex number.\n"
     "  For non-complex positive numbers, this is 0. For non-complex negative\n"
     "  numbers this is PI."},
    {"CIS", lisp_cis, 1, 1, 0, NULL, "(theta)",
     "Return cos(Theta) + i sin(Theta), i.e. exp(i Theta) (signals: no complex numbers in Clove)."},
    {"COMPLEX", lisp_complex, 1, 2, 0, NULL, "(realpart &optional (imagpart 0))",
     "Return a complex number with the specified real and imaginary components\n"
     "(in Clove only a rational with imaginary part 0, which is the rational itself)."},
    {"REALPART", lisp_realpart, 1, 1, 0, NULL, "(number)", "Extract the real part of a number."},
    {"IMAGPART", lisp_imagpart, 1, 1, 0, NULL, "(number)", "Extract the imaginary part of a number."},
    {"CONJUGATE", lisp_conjugate, 1, 1, 0, NULL, "(number)",
     "Return the complex conjugate of NUMBER. For non-complex numbers, this is\n  an identity."},
    {0},
};
