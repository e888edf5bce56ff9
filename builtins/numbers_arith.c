/* numbers_arith.c — arithmetic natives: + - * / and comparisons, predicates, MIN/MAX,
 * the FLOOR/CEILING/TRUNCATE/ROUND family with MOD and REM, GCD/LCM, NUMERATOR, SIGNUM. */
#include "numbers.h"

/* ---- + - * / ---- */

static Value lisp_plus(Thread *th, int nargs, Value *args) {
  if (nargs == 0)
    return make_fixnum(0);
  Value acc = check_number(th, args[0]);
  for (int i = 1; i < nargs; i++)
    acc = number_add(th, args[i], acc);
  return acc;
}

static Value lisp_times(Thread *th, int nargs, Value *args) {
  if (nargs == 0)
    return make_fixnum(1);
  Value acc = check_number(th, args[0]);
  for (int i = 1; i < nargs; i++)
    acc = number_mul(th, args[i], acc);
  return acc;
}

static Value lisp_minus(Thread *th, int nargs, Value *args) {
  if (nargs == 1)
    return number_negate(th, args[0]);
  Value acc = args[0];
  for (int i = 1; i < nargs; i++)
    acc = number_sub(th, acc, args[i]);
  return acc;
}

static Value lisp_divide(Thread *th, int nargs, Value *args) {
  if (nargs == 1)
    return number_div(th, make_fixnum(1), args[0]);
  Value acc = args[0];
  for (int i = 1; i < nargs; i++)
    acc = number_div(th, acc, args[i]);
  return acc;
}

static Value lisp_one_plus(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return number_add(th, args[0], make_fixnum(1));
}

static Value lisp_one_minus(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return number_sub(th, args[0], make_fixnum(1));
}

/* ---- Comparisons ---- */

static Value lisp_num_eq(Thread *th, int nargs, Value *args) {
  check_number(th, args[0]);
  for (int i = 1; i < nargs; i++)
    if (!number_equal(th, args[i], args[0]))
      return NIL;
  return SYM(t);
}

static Value lisp_num_ne(Thread *th, int nargs, Value *args) {
  check_number(th, args[0]);
  for (int i = 0; i < nargs; i++)
    for (int j = i + 1; j < nargs; j++)
      if (number_equal(th, args[i], args[j]))
        return NIL;
  return SYM(t);
}

/* want: the set of real_cmp results (as bits of c+1) that keep the chain going. */
static Value compare_chain(Thread *th, int nargs, Value *args, unsigned want) {
  check_real(th, args[0]);
  for (int i = 1; i < nargs; i++) {
    int c = real_cmp(th, args[i - 1], args[i]);
    if (c == 2 || !(want & (1u << (c + 1))))
      return NIL;
  }
  return SYM(t);
}

#define LT_BIT 1u
#define EQ_BIT 2u
#define GT_BIT 4u
static Value lisp_lt(Thread *th, int nargs, Value *args) { return compare_chain(th, nargs, args, LT_BIT); }
static Value lisp_gt(Thread *th, int nargs, Value *args) { return compare_chain(th, nargs, args, GT_BIT); }
static Value lisp_le(Thread *th, int nargs, Value *args) {
  return compare_chain(th, nargs, args, LT_BIT | EQ_BIT);
}
static Value lisp_ge(Thread *th, int nargs, Value *args) {
  return compare_chain(th, nargs, args, GT_BIT | EQ_BIT);
}

static Value lisp_max(Thread *th, int nargs, Value *args) {
  Value acc = check_real(th, args[0]);
  for (int i = 1; i < nargs; i++)
    if (real_cmp(th, args[i], acc) == 1)
      acc = args[i];
  return acc;
}

static Value lisp_min(Thread *th, int nargs, Value *args) {
  Value acc = check_real(th, args[0]);
  for (int i = 1; i < nargs; i++)
    if (real_cmp(th, args[i], acc) == -1)
      acc = args[i];
  return acc;
}

/* ---- Predicates ---- */

static Value lisp_zerop(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return BOOL(th, number_zerop(check_number(th, args[0])));
}

static Value lisp_plusp(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return BOOL(th, real_sign(th, args[0]) > 0);
}

static Value lisp_minusp(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return BOOL(th, real_sign(th, args[0]) < 0);
}

static bool int_oddp(Thread *th, Value v) {
  check_integer(th, v);
  if (is_fixnum(v))
    return fixnum_val(v) & 1;
  return num_bignum(v)->limbs[0] & 1;
}

static Value lisp_evenp(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return BOOL(th, !int_oddp(th, args[0]));
}

static Value lisp_oddp(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return BOOL(th, int_oddp(th, args[0]));
}

#define TYPE_PRED(cname, test)                                                                               \
  static Value cname(Thread *th, int nargs, Value *args) {                                                   \
    UNUSED(nargs);                                                                                           \
    return BOOL(th, test(args[0]));                                                                          \
  }
TYPE_PRED(lisp_numberp, is_number)
TYPE_PRED(lisp_realp, is_real)
TYPE_PRED(lisp_rationalp, is_rational)
TYPE_PRED(lisp_integerp, is_integer)
TYPE_PRED(lisp_floatp, is_float)
TYPE_PRED(lisp_fixnump, is_fixnum)
TYPE_PRED(lisp_bignump, is_bignum)
TYPE_PRED(lisp_ratiop, is_ratio)
TYPE_PRED(lisp_double_float_p, is_double)
TYPE_PRED(lisp_single_float_p, is_sfloat)
#undef TYPE_PRED

static Value lisp_complexp(Thread *th, int nargs, Value *args) {
  UNUSED(th);
  UNUSED(nargs);
  UNUSED(args);
  return NIL;
}

/* ---- ABS, SIGNUM, NUMERATOR, DENOMINATOR ---- */

static Value lisp_abs(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return number_abs(th, check_number(th, args[0]));
}

static Value lisp_signum(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value x = check_number(th, args[0]);
  if (is_rational(x))
    return make_fixnum(real_sign(th, x));
  double d = float_val(x);
  if (d == 0.0)
    return make_float_kind(th, 0.0, num_kind(x));
  if (isnan(d))
    return x;
  return make_float_kind(th, signbit(d) ? -1.0 : 1.0, num_kind(x));
}

static Value lisp_numerator(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return rat_num(check_rational(th, args[0]));
}

static Value lisp_denominator(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return rat_den(check_rational(th, args[0]));
}

/* ---- Division with rounding ---- */

static const char *int_div_op(Value a, Value b) { return is_bignum(a) || is_bignum(b) ? "TRUNCATE" : "/"; }

void real_truncate(Thread *th, Value a, Value b, Value *q, Value *r) {
  check_real(th, a);
  check_real(th, b);
  int ka = num_kind(a), kb = num_kind(b);
  int k = ka > kb ? ka : kb;
  if (k == NK_RATIONAL) {
    if (number_zerop(b))
      division_by_zero(th, int_div_op(a, b), a, b);
    if (is_integer(a) && is_integer(b)) {
      int_truncate(th, a, b, q, r);
      return;
    }
    Value qv;
    int_truncate(th, int_mul(th, rat_num(a), rat_den(b)), int_mul(th, rat_den(a), rat_num(b)), &qv, NULL);
    *q = qv;
    *r = number_sub(th, a, number_mul(th, qv, b));
    return;
  }
  if (k == NK_DOUBLE) {
    double x = real_to_double(th, a), y = real_to_double(th, b);
    double quot = y == 1.0 ? x : double_of(float_result2(th, x / y, k, "/", x, y))->d;
    Value qv = float_truncate_to_int(th, quot, a);
    *q = qv;
    *r = make_double(th, x - rational_to_double(th, qv) * y);
    return;
  }
  float x = real_to_single(th, a), y = real_to_single(th, b);
  float quot = y == 1.0f ? x : sfloat_val(float_result2(th, x / y, k, "/", x, y));
  Value qv = float_truncate_to_int(th, quot, a);
  *q = qv;
  *r = make_sfloat(x - rational_to_single(th, qv) * y);
}

enum Rounding { R_FLOOR, R_CEILING, R_TRUNCATE, R_ROUND };

/* CCL's %UNARY-ROUND of a float or ratio: to nearest, ties to even. */
static void unary_round(Thread *th, Value x, Value *q, Value *r) {
  if (is_integer(x)) {
    *q = x;
    *r = make_fixnum(0);
    return;
  }
  Value one = make_fixnum(1);
  Value tq, tr;
  real_truncate(th, x, one, &tq, &tr);
  Value half = is_ratio(x) ? ratio_raw(th, one, make_fixnum(2)) : make_float_kind(th, 0.5, num_kind(x));
  bool odd = is_fixnum(tq) ? (fixnum_val(tq) & 1) : (num_bignum(tq)->limbs[0] & 1);
  if (real_sign(th, x) >= 0) {
    int c = real_cmp(th, tr, half);
    if (c == 1 || (c == 0 && odd)) {
      *q = number_add(th, tq, one);
      *r = number_sub(th, tr, one);
      return;
    }
  } else {
    int c = real_cmp(th, tr, number_negate(th, half));
    if (!(c == 1 || (c == 0 && !odd))) {
      *q = number_sub(th, tq, one);
      *r = number_add(th, tr, one);
      return;
    }
  }
  *q = tq;
  *r = tr;
}

static void divide_round(Thread *th, Value n, Value d, enum Rounding mode, Value *q, Value *r) {
  if (mode == R_ROUND && d == make_fixnum(1)) {
    unary_round(th, check_real(th, n), q, r);
    return;
  }
  Value tq, tr;
  real_truncate(th, n, d, &tq, &tr);
  *q = tq;
  *r = tr;
  if (mode == R_TRUNCATE || number_zerop(tr))
    return;
  int ds = real_sign(th, d), ns = real_sign(th, n);
  Value one = make_fixnum(1);
  if (mode == R_FLOOR) {
    if (ds < 0 ? ns > 0 : ns < 0) {
      *q = number_sub(th, tq, one);
      *r = number_add(th, tr, d);
    }
  } else if (mode == R_CEILING) {
    if (ds < 0 ? ns < 0 : ns > 0) {
      *q = number_add(th, tq, one);
      *r = number_sub(th, tr, d);
    }
  } else {
    /* CCL's ROUND: 2rem has the sign of the divisor */
    bool num_neg = ns < 0, div_neg = ds < 0;
    Value two_rem = number_mul(th, tr, make_fixnum(num_neg != div_neg ? -2 : 2));
    int c = real_cmp(th, two_rem, d);
    bool odd = is_fixnum(tq) ? (fixnum_val(tq) & 1) : (num_bignum(tq)->limbs[0] & 1);
    bool away = div_neg ? (c == -1 || (c == 0 && odd)) : (c == 1 || (c == 0 && odd));
    if (away) {
      if (num_neg == div_neg) {
        *q = number_add(th, tq, one);
        *r = number_sub(th, tr, d);
      } else {
        *q = number_sub(th, tq, one);
        *r = number_add(th, tr, d);
      }
    }
  }
}

static Value round_native(Thread *th, int nargs, Value *args, enum Rounding mode, bool float_quotient) {
  Value d = opt_arg(nargs, args, 1);
  if (!supplied(d))
    d = make_fixnum(1);
  Value q, r;
  divide_round(th, args[0], d, mode, &q, &r);
  if (float_quotient)
    q = real_to_float(th, q, is_float(r) ? num_kind(r) : NK_SINGLE);
  return values2(th, q, r);
}

#define ROUND_NATIVE(cname, mode, fl)                                                                        \
  static Value cname(Thread *th, int nargs, Value *args) { return round_native(th, nargs, args, mode, fl); }
ROUND_NATIVE(lisp_floor, R_FLOOR, false)
ROUND_NATIVE(lisp_ceiling, R_CEILING, false)
ROUND_NATIVE(lisp_truncate, R_TRUNCATE, false)
ROUND_NATIVE(lisp_round, R_ROUND, false)
ROUND_NATIVE(lisp_ffloor, R_FLOOR, true)
ROUND_NATIVE(lisp_fceiling, R_CEILING, true)
ROUND_NATIVE(lisp_ftruncate, R_TRUNCATE, true)
ROUND_NATIVE(lisp_fround, R_ROUND, true)
#undef ROUND_NATIVE

static Value lisp_rem(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value q, r;
  if (is_fixnum(args[0]) && is_fixnum(args[1]) && args[1] != make_fixnum(0))
    return make_fixnum(fixnum_val(args[0]) % fixnum_val(args[1]));
  real_truncate(th, args[0], args[1], &q, &r);
  return r;
}

static Value lisp_mod(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value n = args[0], d = args[1];
  if (is_fixnum(n) && is_fixnum(d) && d != make_fixnum(0)) {
    intptr_t x = fixnum_val(n), y = fixnum_val(d), m = x % y;
    if (m != 0 && ((m < 0) != (y < 0)))
      m += y;
    return make_fixnum(m);
  }
  Value q, r;
  real_truncate(th, n, d, &q, &r);
  if (!number_zerop(r) && (real_sign(th, d) < 0 ? real_sign(th, n) > 0 : real_sign(th, n) < 0))
    r = number_add(th, r, d);
  return r;
}

/* ---- GCD, LCM ---- */

static Value lisp_gcd(Thread *th, int nargs, Value *args) {
  if (nargs == 0)
    return make_fixnum(0);
  Value acc = check_integer(th, args[0]);
  if (nargs == 1)
    return number_abs(th, acc);
  for (int i = 1; i < nargs; i++)
    acc = int_gcd(th, acc, check_integer(th, args[i]));
  return acc;
}

static Value lcm2(Thread *th, Value a, Value b) {
  check_integer(th, a);
  check_integer(th, b);
  if (a == make_fixnum(0) || b == make_fixnum(0))
    return make_fixnum(0);
  Value q;
  int_truncate(th, number_abs(th, int_mul(th, a, b)), int_gcd(th, a, b), &q, NULL);
  return q;
}

static Value lisp_lcm(Thread *th, int nargs, Value *args) {
  if (nargs == 0)
    return make_fixnum(1);
  Value acc = check_integer(th, args[0]);
  if (nargs == 1)
    return number_abs(th, acc);
  for (int i = 1; i < nargs; i++)
    acc = lcm2(th, acc, args[i]);
  return acc;
}

/* ---- Table ---- */

const NativeDesc numbers_arith_natives[] = {
    {"+", lisp_plus, 0, 0, NAT_REST, NULL, "(&rest numbers)",
     "Return the sum of its arguments. With no args, returns 0."},
    {"-", lisp_minus, 1, 1, NAT_REST, NULL, "(number &rest more-numbers)",
     "Subtract the second and all subsequent arguments from the first;\n"
     "or with one argument, negate the first argument."},
    {"*", lisp_times, 0, 0, NAT_REST, NULL, "(&rest numbers)",
     "Return the product of its arguments. With no args, returns 1."},
    {"/", lisp_divide, 1, 1, NAT_REST, NULL, "(number &rest more-numbers)",
     "Divide the first argument by each of the following arguments, in turn.\n"
     "With one argument, return reciprocal."},
    {"1+", lisp_one_plus, 1, 1, 0, NULL, "(number)", "Returns NUMBER + 1."},
    {"1-", lisp_one_minus, 1, 1, 0, NULL, "(number)", "Returns NUMBER - 1."},
    {"=", lisp_num_eq, 1, 1, NAT_REST, NULL, "(number &rest more-numbers)",
     "Return T if all of its arguments are numerically equal, NIL otherwise."},
    {"/=", lisp_num_ne, 1, 1, NAT_REST, NULL, "(number &rest more-numbers)",
     "Return T if no two of its arguments are numerically equal, NIL otherwise."},
    {"<", lisp_lt, 1, 1, NAT_REST, NULL, "(number &rest more-numbers)",
     "Return T if its arguments are in strictly increasing order, NIL otherwise."},
    {">", lisp_gt, 1, 1, NAT_REST, NULL, "(number &rest more-numbers)",
     "Return T if its arguments are in strictly decreasing order, NIL otherwise."},
    {"<=", lisp_le, 1, 1, NAT_REST, NULL, "(number &rest more-numbers)",
     "Return T if arguments are in strictly non-decreasing order, NIL otherwise."},
    {">=", lisp_ge, 1, 1, NAT_REST, NULL, "(number &rest more-numbers)",
     "Return T if arguments are in strictly non-increasing order, NIL otherwise."},
    {"MAX", lisp_max, 1, 1, NAT_REST, NULL, "(number &rest more-numbers)",
     "Return the greatest of its arguments; among EQUALP greatest, return\n"
     "the first."},
    {"MIN", lisp_min, 1, 1, NAT_REST, NULL, "(number &rest more-numbers)",
     "Return the least of its arguments; among EQUALP least, return\n"
     "the first."},
    {"ZEROP", lisp_zerop, 1, 1, 0, NULL, "(number)", "Is this number zero?"},
    {"PLUSP", lisp_plusp, 1, 1, 0, NULL, "(number)", "Is this real number strictly positive?"},
    {"MINUSP", lisp_minusp, 1, 1, 0, NULL, "(number)", "Is this real number strictly negative?"},
    {"EVENP", lisp_evenp, 1, 1, 0, NULL, "(n)", "Is this integer even?"},
    {"ODDP", lisp_oddp, 1, 1, 0, NULL, "(n)", "Is this integer odd?"},
    {"NUMBERP", lisp_numberp, 1, 1, 0, NULL, "(object)",
     "Return true if OBJECT is a NUMBER, and NIL otherwise."},
    {"REALP", lisp_realp, 1, 1, 0, NULL, "(object)", "Return true if OBJECT is a REAL, and NIL otherwise."},
    {"RATIONALP", lisp_rationalp, 1, 1, 0, NULL, "(object)",
     "Return true if OBJECT is a RATIONAL, and NIL otherwise."},
    {"INTEGERP", lisp_integerp, 1, 1, 0, NULL, "(object)",
     "Return true if OBJECT is an INTEGER, and NIL otherwise."},
    {"FLOATP", lisp_floatp, 1, 1, 0, NULL, "(object)",
     "Return true if OBJECT is a FLOAT, and NIL otherwise."},
    {"COMPLEXP", lisp_complexp, 1, 1, 0, NULL, "(object)",
     "Return true if OBJECT is a COMPLEX, and NIL otherwise (Clove has no complex numbers)."},
    {"CCL:FIXNUMP", lisp_fixnump, 1, 1, 0, NULL, "(x)", "Return true if X is a FIXNUM, and NIL otherwise."},
    {"CCL::BIGNUMP", lisp_bignump, 1, 1, 0, NULL, "(x)", "Return true if X is a BIGNUM, and NIL otherwise."},
    {"CCL::RATIOP", lisp_ratiop, 1, 1, 0, NULL, "(x)", "Return true if X is a RATIO, and NIL otherwise."},
    {"CCL::DOUBLE-FLOAT-P", lisp_double_float_p, 1, 1, 0, NULL, "(x)",
     "Return true if X is a DOUBLE-FLOAT, and NIL otherwise."},
    {"CCL::SHORT-FLOAT-P", lisp_single_float_p, 1, 1, 0, NULL, "(x)",
     "Return true if X is a SINGLE-FLOAT (SHORT-FLOAT), and NIL otherwise."},
    {"ABS", lisp_abs, 1, 1, 0, NULL, "(number)", "Return the absolute value of the number."},
    {"SIGNUM", lisp_signum, 1, 1, 0, NULL, "(x)",
     "If NUMBER is zero, return NUMBER, else return (/ NUMBER (ABS NUMBER))."},
    {"NUMERATOR", lisp_numerator, 1, 1, 0, NULL, "(rational)",
     "Return the numerator of NUMBER, which must be rational."},
    {"DENOMINATOR", lisp_denominator, 1, 1, 0, NULL, "(rational)",
     "Return the denominator of NUMBER, which must be rational."},
    {"FLOOR", lisp_floor, 1, 2, NAT_MV, NULL, "(number &optional divisor)",
     "Return the greatest integer not greater than number, or number/divisor.\n"
     "The second returned value is (mod number divisor)."},
    {"CEILING", lisp_ceiling, 1, 2, NAT_MV, NULL, "(number &optional divisor)",
     "Return the smallest integer not less than number, or number/divisor.\n"
     "The second returned value is the remainder."},
    {"TRUNCATE", lisp_truncate, 1, 2, NAT_MV, NULL, "(number &optional divisor)",
     "Returns number (or number/divisor) as an integer, rounded toward 0.\n"
     "The second returned value is the remainder."},
    {"ROUND", lisp_round, 1, 2, NAT_MV, NULL, "(number &optional divisor)",
     "Rounds number (or number/divisor) to nearest integer.\n"
     "The second returned value is the remainder."},
    {"FFLOOR", lisp_ffloor, 1, 2, NAT_MV, NULL, "(number &optional divisor)",
     "Same as FLOOR, but returns first value as a float."},
    {"FCEILING", lisp_fceiling, 1, 2, NAT_MV, NULL, "(number &optional divisor)",
     "Same as CEILING, but returns first value as a float."},
    {"FTRUNCATE", lisp_ftruncate, 1, 2, NAT_MV, NULL, "(number &optional divisor)",
     "Same as TRUNCATE, but returns first value as a float."},
    {"FROUND", lisp_fround, 1, 2, NAT_MV, NULL, "(number &optional divisor)",
     "Same as ROUND, but returns first value as a float."},
    {"MOD", lisp_mod, 2, 2, 0, NULL, "(number divisor)", "Returns second result of FLOOR."},
    {"REM", lisp_rem, 2, 2, 0, NULL, "(number divisor)", "Returns second result of TRUNCATE."},
    {"GCD", lisp_gcd, 0, 0, NAT_REST, NULL, "(&rest integers)",
     "Return the greatest common divisor of the arguments, which must be\n"
     "integers. Gcd with no arguments is defined to be 0."},
    {"LCM", lisp_lcm, 0, 0, NAT_REST, NULL, "(&rest integers)",
     "Return the least common multiple of one or more integers. LCM of no\n"
     "arguments is defined to be 1."},
    {0},
};
