/* format_float.c — FORMAT's float directives ~F ~E ~G ~$, mirroring CCL's lib/format.lisp:
 * FLONUM-TO-STRING / FLOAT-STRING with width, digits and scale, ACCURATE-SCALE-EXPONENT,
 * FORMAT-FIXED-AUX, FORMAT-EXP-AUX, FORMAT-GENERAL-AUX and FORMAT-DOLLARS. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>

#include "format.h"
#include "numbers.h"

#define NONE FLOAT_NONE

/* What FLONUM-TO-STRING returns: the digits, and where the point goes. */
typedef struct FDigits {
  Value str; /* keeps c alive */
  const uint32_t *c;
  size_t len;
  long before, after; /* CCL's BEFORE-PT and AFTER-PT */
} FDigits;

/* FLONUM-TO-STRING of |x| */
static void flonum_to_string(Thread *th, double x, bool is_double, long width, long fdigits, long scale,
                             FDigits *o) {
  x = fabs(x);
  DigitBuf b = {0, 0, 0};
  if (x == 0.0) {
    o->before = o->after = 0;
  } else {
    float_string(x, is_double, width, fdigits, scale, &b, &o->before, &o->after);
  }
  o->str = make_string_n(th, b.len);
  uint32_t *d = string_of(o->str)->data;
  for (size_t i = 0; i < b.len; i++)
    d[i] = (unsigned char)b.p[i];
  free(b.p);
  o->c = d;
  o->len = b.len;
}

/* ACCURATE-SCALE-EXPONENT (Burger and Dybvig's estimate, fixed up) */
static long accurate_scale_exponent(double v, bool is_double) {
  if (v == 0.0)
    return 1;
  int float_digits = is_double ? 53 : 24;
  int min_e = is_double ? -1073 : -148;
  uint64_t f;
  int e, sign;
  float_integer_decode(v, is_double, &f, &e, &sign);
  bool high_ok = (f & 1) == 0;
  uint64_t hidden = UINT64_C(1) << (float_digits - 1);
  mpz_t r, s, mplus, scale;
  mpz_inits(r, s, mplus, scale, NULL);
  if (e >= 0) {
    if (f != hidden) {
      mpz_set_ui(r, f);
      mpz_mul_2exp(r, r, (mp_bitcnt_t)e + 1);
      mpz_set_ui(s, 2);
      mpz_set_ui(mplus, 1);
      mpz_mul_2exp(mplus, mplus, (mp_bitcnt_t)e);
    } else {
      mpz_set_ui(r, f);
      mpz_mul_2exp(r, r, (mp_bitcnt_t)e + 2);
      mpz_set_ui(s, 4);
      mpz_set_ui(mplus, 1);
      mpz_mul_2exp(mplus, mplus, (mp_bitcnt_t)e + 1);
    }
  } else if (e == min_e || f != hidden) {
    mpz_set_ui(r, f);
    mpz_mul_2exp(r, r, 1);
    mpz_set_ui(s, 1);
    mpz_mul_2exp(s, s, (mp_bitcnt_t)(-e) + 1);
    mpz_set_ui(mplus, 1);
  } else {
    mpz_set_ui(r, f);
    mpz_mul_2exp(r, r, 2);
    mpz_set_ui(s, 1);
    mpz_mul_2exp(s, s, (mp_bitcnt_t)(1 - e) + 1);
    mpz_set_ui(mplus, 2);
  }
  long est = (long)ceil(log(v) / log(10.0) - 1e-10);
  mpz_ui_pow_ui(scale, 10, (unsigned long)labs(est));
  if (est >= 0)
    mpz_mul(s, s, scale);
  else {
    mpz_mul(r, r, scale);
    mpz_mul(mplus, mplus, scale);
  }
  mpz_add(r, r, mplus);
  int c = mpz_cmp(r, s);
  long k = (high_ok ? c >= 0 : c > 0) ? est + 1 : est;
  mpz_clears(r, s, mplus, scale, NULL);
  return k;
}

/* ---- Output ---- */

static void put(Thread *th, Value stream, uint32_t c) { stream_write_char(th, stream, c); }
static void zeros(Thread *th, Value stream, long n) { write_repeat(th, stream, '0', n); }
static void digits(Thread *th, Value stream, const FDigits *o, size_t from, size_t to) {
  if (to > from)
    stream_write_chars(th, stream, o->c + from, to - from);
}

/* (dotimes (i w) (write-char ovf stream)): ovf must then be a character */
static void overflow_fill(Thread *th, Value stream, Value ovf, long w) {
  if (!is_char(ovf))
    type_error(th, ovf, SYM(character));
  write_repeat(th, stream, char_code(ovf), w);
}

static bool float_is_double(Value v) { return is_double(v); }

/* FLOAT-EXPONENT-CHAR */
static uint32_t exponent_char(Thread *th, bool is_double) {
  Value fmt = symbol_value_or(th, SYM(read_default_float_format), SYM(single_float));
  bool dflt_double = fmt == SYM(double_float) || fmt == SYM(long_float);
  return is_double == dflt_double ? 'E' : is_double ? 'D' : 'S';
}

/* PRINT-FLOAT-FREE-FORM */
static void free_form(Thread *th, Value stream, Value num, double x, bool dbl) {
  if (!isfinite(x)) {
    print_object(th, num, stream, false);
    return;
  }
  FDigits o;
  flonum_to_string(th, x, dbl, NONE, NONE, NONE, &o);
  if (signbit(x))
    put(th, stream, '-');
  long bp = o.before, len = (long)o.len;
  if (len == 0)
    write_ascii_n(th, stream, "0.0", 3);
  else if (bp > 0) {
    if (len > bp) {
      digits(th, stream, &o, 0, (size_t)bp);
      put(th, stream, '.');
      digits(th, stream, &o, (size_t)bp, o.len);
    } else {
      digits(th, stream, &o, 0, o.len);
      zeros(th, stream, bp - len);
      write_ascii_n(th, stream, ".0", 2);
    }
  } else {
    write_ascii_n(th, stream, "0.", 2);
    zeros(th, stream, -bp);
    digits(th, stream, &o, 0, o.len);
  }
}

/* PRINT-A-FLOAT with exp-p: always with an exponent */
static void print_exp_form(Thread *th, Value stream, Value num, double x, bool dbl) {
  if (!isfinite(x)) {
    print_object(th, num, stream, false);
    return;
  }
  FDigits o;
  flonum_to_string(th, x, dbl, NONE, NONE, NONE, &o);
  if (signbit(x))
    put(th, stream, '-');
  put(th, stream, o.len > 0 ? o.c[0] : '0');
  put(th, stream, '.');
  if (o.len > 1)
    digits(th, stream, &o, 1, o.len);
  else
    put(th, stream, '0');
  put(th, stream, exponent_char(th, dbl));
  if (o.before - 1 >= 0)
    put(th, stream, '+');
  char buf[32];
  int n = snprintf(buf, sizeof buf, "%ld", o.before - 1);
  write_ascii_n(th, stream, buf, (size_t)n);
}

/* The digits of o with the point in place (zeros where the number has none) and frac
 * digits after it: how FORMAT-FIXED-AUX and FORMAT-DOLLARS both end. */
static void point_digits(Thread *th, Value stream, const FDigits *o, long frac) {
  long len = (long)o->len, before = o->before;
  if (before > 0) {
    if (len > before) {
      digits(th, stream, o, 0, (size_t)before);
      put(th, stream, '.');
      digits(th, stream, o, (size_t)before, o->len);
      zeros(th, stream, frac - (len - before));
    } else {
      digits(th, stream, o, 0, o->len);
      zeros(th, stream, before - len);
      put(th, stream, '.');
      zeros(th, stream, frac);
    }
  } else {
    put(th, stream, '.');
    zeros(th, stream, -before);
    digits(th, stream, o, 0, o->len);
    zeros(th, stream, frac + o->after);
  }
}

/* FORMAT-FIXED-AUX */
static void fixed_aux(Fmt *F, Value stream, Value num, double number, bool dbl, long w, long d, long k,
                      Value ovf, uint32_t pad, bool atsign) {
  Thread *th = F->th;
  if (w != NONE && w <= 0)
    w = NONE;
  if (k == NONE && w == NONE && d == NONE) {
    free_form(th, stream, num, number, dbl);
    return;
  }
  if (!isfinite(number)) {
    print_object(th, num, stream, false);
    return;
  }
  long spaceleft = w, ftsw = NONE;
  double absn = fabs(number);
  bool zsuppress = false;
  if (w != NONE && (atsign || number < 0))
    spaceleft--;
  if (d != NONE && w != NONE && w <= 1 + d + (atsign ? 1 : 0))
    zsuppress = true;
  if (d != NONE && d < 0)
    format_error(F, "Illegal value for d", 0);
  if (w != NONE)
    ftsw = absn < 1 && !zsuppress ? spaceleft - 1 : spaceleft;
  if (w != NONE && ftsw <= 0) {
    if (ovf != NIL) {
      overflow_fill(th, stream, ovf, w);
      return;
    }
    spaceleft = w = ftsw = NONE;
  }
  FDigits o;
  flonum_to_string(th, absn, dbl, ftsw, d, k, &o);
  long before = o.before, after = o.after;
  if (w != NONE) {
    spaceleft -= (before > 0 ? before : 0) + 1;
    if (before < 1 && !zsuppress)
      spaceleft--;
    if (d != NONE)
      spaceleft -= d;
    else {
      long a = spaceleft < -after ? spaceleft : -after, b = spaceleft > 0 ? 1 : 0;
      d = a > b ? a : b;
      spaceleft -= d;
    }
  } else if (d == NONE) {
    d = -after > 1 ? -after : 1;
  }
  if (w != NONE && spaceleft < 0 && ovf != NIL) {
    overflow_fill(th, stream, ovf, w);
    return;
  }
  if (w != NONE)
    write_repeat(th, stream, pad, spaceleft);
  if (signbit(number))
    put(th, stream, '-');
  else if (atsign)
    put(th, stream, '+');
  if (before <= 0 && !zsuppress)
    put(th, stream, '0');
  point_digits(th, stream, &o, d);
}

/* FORMAT-EXP-AUX; exp is NONE unless ~G already knows it */
static void exp_aux(Fmt *F, Value stream, Value num, double number, bool dbl, long w, long d, long e, long k,
                    Value ovf, uint32_t pad, Value marker, bool atsign, long exp) {
  Thread *th = F->th;
  if (k == NONE)
    k = 1;
  if (w == NONE && d == NONE && e == NONE && marker == NIL && k == 1) {
    print_exp_form(th, stream, num, number, dbl);
    return;
  }
  if (!isfinite(number)) {
    print_object(th, num, stream, false);
    return;
  }
  if (d != NONE && (d < 0 || (k > 0 && k >= d + 2) || (k < 0 && k < -d)))
    format_error(F, "incompatible values for k and d", 0);
  if (exp == NONE)
    exp = accurate_scale_exponent(fabs(number), dbl);
  bool have_string = false;
  FDigits o = {0};
  long expt, elen, spaceleft, fwidth;
  char estr[32];
  size_t estr_len;
  for (;;) {
    expt = exp - k;
    estr_len = (size_t)snprintf(estr, sizeof estr, "%ld", labs(expt));
    elen = (long)estr_len > (e == NONE ? 0 : e) ? (long)estr_len : e;
    spaceleft = w != NONE ? w - 2 - elen : NONE;
    fwidth = NONE;
    if (w != NONE && (atsign || signbit(number)))
      spaceleft--;
    if (w != NONE || d != NONE) {
      fwidth = d != NONE ? (k > 0 ? d + 2 : d + k + 1) : (k > 0 ? spaceleft : spaceleft + k);
      if (exp < 0)
        fwidth -= exp;
    }
    if ((w != NONE && e != NONE && ovf != NIL && elen > e) || (w != NONE && fwidth != NONE && fwidth <= 0)) {
      overflow_fill(th, stream, ovf, w); /* exponent overflow */
      if (fwidth > 0)
        return;
      fwidth = NONE;
    }
    if (have_string)
      break;
    flonum_to_string(th, number, dbl, fwidth, fwidth == NONE ? d : NONE, NONE, &o);
    have_string = true;
    if (exp == o.before)
      break;
    exp = o.before;
  }
  long strlen_ = (long)o.len;
  if (w != NONE) {
    if (d != NONE)
      spaceleft -= d + 2;
    else if (k < 1)
      spaceleft -= 2 + (-k) + (strlen_ > 1 ? strlen_ : 1);
    else
      spaceleft -= 1 + k + (strlen_ - k > 1 ? strlen_ - k : 1);
  }
  if (w != NONE && spaceleft < 0 && ovf != NIL && (k > 0 || spaceleft < -1)) {
    overflow_fill(th, stream, ovf, w);
    return;
  }
  if (w != NONE)
    write_repeat(th, stream, pad, spaceleft);
  if (signbit(number))
    put(th, stream, '-');
  else if (atsign)
    put(th, stream, '+');
  if (k < 1) {
    if (spaceleft == NONE || spaceleft >= 0)
      put(th, stream, '0');
    put(th, stream, '.');
    zeros(th, stream, -k);
    if (strlen_ == 0 && d == NONE)
      put(th, stream, '0');
    else
      digits(th, stream, &o, 0, o.len);
    if (d != NONE)
      zeros(th, stream, d + k - strlen_);
  } else {
    digits(th, stream, &o, 0, (size_t)(k < strlen_ ? k : strlen_));
    zeros(th, stream, k - strlen_);
    put(th, stream, '.');
    if (strlen_ > k)
      digits(th, stream, &o, (size_t)k, o.len);
    if (d == NONE) {
      if (strlen_ <= k)
        put(th, stream, '0');
    } else {
      zeros(th, stream, 1 + d - k - (strlen_ - k > 0 ? strlen_ - k : 0));
    }
  }
  if (marker != NIL) {
    if (!is_char(marker))
      type_error(th, marker, SYM(character));
    put(th, stream, char_code(marker));
  } else {
    put(th, stream, exponent_char(th, dbl));
  }
  put(th, stream, expt < 0 ? '-' : '+');
  if (e != NONE)
    zeros(th, stream, e - (long)estr_len);
  write_ascii_n(th, stream, estr, estr_len);
}

/* FORMAT-GENERAL-AUX */
static void general_aux(Fmt *F, Value stream, Value num, double number, bool dbl, long w, long d, long e,
                        long k, Value ovf, uint32_t pad, Value marker, bool atsign) {
  Thread *th = F->th;
  if (!isfinite(number)) {
    print_object(th, num, stream, false);
    return;
  }
  FDigits o;
  flonum_to_string(th, number, dbl, NONE, NONE, NONE, &o);
  long n = o.before;
  long d2 = d != NONE ? d : ((long)o.len > (n < 7 ? n : 7) ? (long)o.len : (n < 7 ? n : 7));
  long ee = e != NONE ? e + 2 : 4;
  long ww = w != NONE ? w - ee : NONE;
  long dd = d2 - n;
  if (0 <= dd && dd <= d2) {
    fixed_aux(F, stream, num, number, dbl, ww, dd, NONE, ovf, pad, atsign);
    write_repeat(th, stream, ' ', ee);
  } else {
    exp_aux(F, stream, num, number, dbl, w, d, e, k != NONE ? k : 1, ovf, pad, marker, atsign, n);
  }
}

/* ~$ */
static void dollars(Fmt *F, Value stream, Directive *d) {
  Thread *th = F->th;
  check_params(F, d, 4);
  long dd = param_int(F, d, 0, 2), n = param_int(F, d, 1, 1), w = param_int(F, d, 2, 0);
  uint32_t pad = param_char(F, d, 3, ' ');
  Value arg = pop_arg(F);
  if (!is_real(arg))
    type_error(th, arg, SYM(real));
  Value num = is_float(arg) ? arg : real_to_float(th, arg, NK_SINGLE);
  double number = float_val(num);
  bool dbl = float_is_double(num);
  if (!isfinite(number)) {
    print_object(th, num, stream, false);
    return;
  }
  const char *signstr = signbit(number) ? "-" : d->atsign ? "+" : "";
  FDigits o;
  flonum_to_string(th, number, dbl, NONE, dd, NONE, &o);
  long before = o.before;
  long spaceleft = w - ((long)strlen(signstr) + (before > n ? before : n) + 1 + dd);
  if (d->colon)
    write_ascii_n(th, stream, signstr, strlen(signstr));
  write_repeat(th, stream, pad, spaceleft);
  if (!d->colon)
    write_ascii_n(th, stream, signstr, strlen(signstr));
  zeros(th, stream, before > 0 ? n - before : n);
  point_digits(th, stream, &o, dd);
}

static long opt_long(Fmt *F, Directive *d, int i) {
  Value v = param(d, i);
  return v == NIL ? NONE : (long)param_int(F, d, i, 0);
}

int format_float_directive(Fmt *F, Value stream, Directive *d) {
  Thread *th = F->th;
  if (d->ch == '$') {
    dollars(F, stream, d);
    return FMT_DONE;
  }
  if (d->colon)
    format_error(F, "Colon flag not allowed", 0);
  bool fixed = d->ch == 'F';
  check_params(F, d, fixed ? 5 : 7);
  long w = opt_long(F, d, 0), dd = opt_long(F, d, 1);
  long e = fixed ? NONE : opt_long(F, d, 2);
  long k = opt_long(F, d, fixed ? 2 : 3);
  Value ovf = param(d, fixed ? 3 : 4);
  uint32_t pad = param_char(F, d, fixed ? 4 : 5, ' ');
  Value marker = fixed ? NIL : param(d, 6);
  Value arg = pop_arg(F);
  size_t top = th->dyn_top;
  if (fixed)
    bind_special(th, SYM(print_escape), NIL);
  if (!is_real(arg)) {
    bind_special(th, SYM(print_base), make_fixnum(10));
    write_field(F, stream, princ_to_string(th, arg), w == NONE ? NIL : make_fixnum(w), make_fixnum(1),
                make_fixnum(0), make_char(' '), true);
    unwind_to(th, top);
    return FMT_DONE;
  }
  Value num = is_float(arg) ? arg : real_to_float(th, arg, NK_SINGLE);
  double x = float_val(num);
  bool dbl = float_is_double(num);
  if (d->ch == 'F')
    fixed_aux(F, stream, num, x, dbl, w, dd, k, ovf, pad, d->atsign);
  else if (d->ch == 'E')
    exp_aux(F, stream, num, x, dbl, w, dd, e, k == NONE ? 1 : k, ovf, pad, marker, d->atsign, NONE);
  else
    general_aux(F, stream, num, x, dbl, w, dd, e, k, ovf, pad, marker, d->atsign);
  unwind_to(th, top);
  return FMT_DONE;
}
