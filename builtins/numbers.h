/* numbers.h — what the builtins/numbers*.c files share: GMP views of integers and
 * ratios, normalisation, float conversion and contagion, and arithmetic-error helpers. */
#ifndef CLOVE_BUILTINS_NUMBERS_H
#define CLOVE_BUILTINS_NUMBERS_H

#include <gmp.h>
#include <limits.h>
#include <math.h>

#include "lisp.h"

/* Integers never exceed this many bits: GMP aborts the process when it cannot
 * allocate, so a computation that would need more signals a Lisp error first. */
#define MAX_INTEGER_BITS ((size_t)1 << 32)

static inline Bignum *num_bignum(Value v) { return (Bignum *)v; }
static inline Ratio *num_ratio(Value v) { return (Ratio *)v; }

/* ---- Integers through GMP ---- */

/* Points z (read-only: never pass it as a destination) at the integer's magnitude;
 * a fixnum uses *limb as its one-limb store. */
void int_view(Value v, mpz_ptr z, mp_limb_t *limb);
#define INT_VIEW(name, v)                                                                                    \
  mpz_t name;                                                                                                \
  mp_limb_t name##_limb_;                                                                                    \
  int_view((v), name, &name##_limb_)

/* A canonical integer (fixnum when it fits) with z's value; z is left alone. */
Value int_from_mpz(Thread *th, mpz_srcptr z);
/* The same, then mpz_clear(z). */
Value int_take(Thread *th, mpz_ptr z);

/* Signals an error before a result of `bits` bits would be computed. */
void check_integer_bits(Thread *th, double bits);

int int_sign(Value v);      /* integers only */
size_t int_length(Value v); /* INTEGER-LENGTH */
Value int_add(Thread *th, Value a, Value b);
Value int_sub(Thread *th, Value a, Value b);
Value int_mul(Thread *th, Value a, Value b);
Value int_neg(Thread *th, Value a);
/* Truncating division of integers, b != 0. q or r may be NULL. */
void int_truncate(Thread *th, Value a, Value b, Value *q, Value *r);
Value int_gcd(Thread *th, Value a, Value b);
Value int_ash(Thread *th, Value a, intptr_t count);

/* ---- Ratios ---- */

/* A read-only mpq over a rational (an integer gets denominator 1). */
void rat_view(Value v, mpq_ptr q, mp_limb_t limbs[2]);
#define RAT_VIEW(name, v)                                                                                    \
  mpq_t name;                                                                                                \
  mp_limb_t name##_limbs_[2];                                                                                \
  rat_view((v), name, name##_limbs_)
/* A canonical rational from a canonical mpq (integer when the denominator is 1). */
Value rat_from_mpq(Thread *th, mpq_srcptr q);
/* Builds a ratio from integers already in lowest terms, den > 1. */
Value ratio_raw(Thread *th, Value num, Value den);
static inline Value rat_num(Value v) { return is_ratio(v) ? num_ratio(v)->num : v; }
static inline Value rat_den(Value v) { return is_ratio(v) ? num_ratio(v)->den : make_fixnum(1); }

/* ---- Floats ---- */

enum NumKind { NK_RATIONAL, NK_SINGLE, NK_DOUBLE };
static inline int num_kind(Value v) {
  return is_double(v) ? NK_DOUBLE : is_sfloat(v) ? NK_SINGLE : NK_RATIONAL;
}
static inline double float_val(Value v) { return is_double(v) ? double_of(v)->d : (double)sfloat_val(v); }

/* Correctly rounded conversions of a rational; FLOATING-POINT-OVERFLOW when out of range. */
double rational_to_double(Thread *th, Value r);
float rational_to_single(Thread *th, Value r);
/* Any real to a float of the given kind (NK_SINGLE or NK_DOUBLE). */
double real_to_double(Thread *th, Value x);
float real_to_single(Thread *th, Value x);
Value real_to_float(Thread *th, Value x, int kind);
Value make_float_kind(Thread *th, double d, int kind);
/* The exact rational value of a finite float. */
Value float_to_rational(Thread *th, double d);
/* The integer part of a finite float, truncated toward zero. */
Value float_truncate_to_int(Thread *th, double d, Value original);
/* Significand, exponent and sign as INTEGER-DECODE-FLOAT (CCL's conventions). */
void float_integer_decode(double d, bool is_double, uint64_t *sig, int *exp, int *sign);
/* CCL's FLOAT-STRING of a positive finite float: its shortest digits (free format, all
 * three FLOAT_NONE) or those FORMAT's width / fdigits / scale call for, into out (the
 * caller frees out->p); *h is where the point goes (digits before it), *k the exponent
 * after the last digit. */
#define FLOAT_NONE LONG_MIN /* an omitted parameter (Lisp NIL; 0 is a value) */
typedef struct DigitBuf {
  char *p;
  size_t len, cap;
} DigitBuf;
void float_string(double x, bool is_double, long width, long fdigits, long scale, DigitBuf *out, long *h, long *k);

/* ---- Generic helpers ---- */

bool number_zerop(Value v);
int real_sign(Thread *th, Value v); /* -1, 0, 1 (-0.0 is 0); type-error REAL */
Value number_negate(Thread *th, Value v);
Value number_abs(Thread *th, Value v);
/* -1, 0, 1, or 2 when unordered (a NaN is involved). */
int real_cmp(Thread *th, Value a, Value b);
/* TRUNCATE of two reals, divisor non-zero or float. */
void real_truncate(Thread *th, Value a, Value b, Value *q, Value *r);

/* ---- Checks and errors ---- */

static inline Value check_number(Thread *th, Value v) {
  if (!is_number(v))
    type_error(th, v, SYM(number));
  return v;
}
static inline Value check_real(Thread *th, Value v) {
  if (!is_real(v))
    type_error(th, v, SYM(real));
  return v;
}
static inline Value check_integer(Thread *th, Value v) {
  if (!is_integer(v))
    type_error(th, v, SYM(integer));
  return v;
}
static inline Value check_rational(Thread *th, Value v) {
  if (!is_rational(v))
    type_error(th, v, SYM(rational));
  return v;
}
static inline Value check_float(Thread *th, Value v) {
  if (!is_float(v))
    type_error(th, v, SYM(float_));
  return v;
}
static inline Value opt_arg(int nargs, Value *args, int i) { return i < nargs ? args[i] : UNSUPPLIED; }

/* Signals an arithmetic error of class type (a symbol) as CCL does:
 * "DIVISION-BY-ZERO detected\nperforming / on (1 0)". operation names a CL symbol. */
NORETURN void arith_error(Thread *th, Value type, const char *operation, Value operands);
NORETURN void division_by_zero(Thread *th, const char *operation, Value a, Value b);
NORETURN void complex_unsupported(Thread *th, const char *fn, Value x);
/* Checks a float result of a binary operation on finite operands as CCL's enabled
 * traps do (overflow, division by zero, invalid); returns the result as a Value. */
Value float_result2(Thread *th, double r, int kind, const char *op, double a, double b);
/* Clears the FPU flags, then after a libm call checks them (operation names the
 * CL function, x and y its float operands, y unused when nargs 1). */
void fp_clear(void);
void fp_check(Thread *th, const char *operation, int kind, int nargs, double x, double y);

/* ---- Tables ---- */
extern const NativeDesc numbers_arith_natives[];
extern const NativeDesc numbers_int_natives[];
extern const NativeDesc numbers_float_natives[];
extern const NativeDesc numbers_trans_natives[];
void numbers_int_init(Thread *th);   /* *random-state*, boole constants */
void numbers_float_init(Thread *th); /* float constants */

/* Interns NAME ("CCL:NAME", "CCL::NAME" or a CL name) and makes it a constant. */
Value define_number_constant(Thread *th, const char *name, Value value);

#endif
