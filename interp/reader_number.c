/* reader_number.c — the reader's potential numbers: integers (in *read-base*, or
 * decimal with a trailing point), ratios and floats (e/s/f/d/l markers), converted exactly. */
#include <locale.h>
#include <math.h>
#include <stdlib.h>

#include "lisp.h"

enum NumKind { NK_NONE, NK_INTEGER, NK_DECIMAL_INTEGER, NK_RATIO, NK_FLOAT };

typedef struct NumSyntax {
  enum NumKind kind;
  bool negative;
  size_t digits;   /* index of the first digit (after the sign) */
  size_t slash;    /* NK_RATIO: index of the slash */
  uint32_t marker; /* NK_FLOAT: exponent marker in lower case, or 0 */
  size_t marker_pos;
} NumSyntax;

static int digit_in(uint32_t c, unsigned base) {
  int d;
  if (c >= '0' && c <= '9')
    d = (int)(c - '0');
  else if (c >= 'a' && c <= 'z')
    d = (int)(c - 'a' + 10);
  else if (c >= 'A' && c <= 'Z')
    d = (int)(c - 'A' + 10);
  else
    return -1;
  return d < (int)base ? d : -1;
}

static size_t span_digits(const uint32_t *s, size_t i, size_t n, unsigned base) {
  while (i < n && digit_in(s[i], base) >= 0)
    i++;
  return i;
}

/* CLHS 2.3.1: integers in the base win over floats, so "1e5" with *read-base* 16
 * is #x1E5, while "1.5" is always a decimal float. */
static enum NumKind classify(const uint32_t *s, size_t n, unsigned base, NumSyntax *ns) {
  memset(ns, 0, sizeof *ns);
  if (n == 0)
    return NK_NONE;
  size_t i = 0;
  if (s[0] == '+' || s[0] == '-') {
    ns->negative = s[0] == '-';
    i = 1;
  }
  if (i == n)
    return NK_NONE;
  ns->digits = i;

  size_t k = span_digits(s, i, n, base);
  if (k == n)
    return ns->kind = NK_INTEGER;

  if (s[n - 1] == '.' && n - 1 > i && span_digits(s, i, n - 1, 10) == n - 1)
    return ns->kind = NK_DECIMAL_INTEGER;

  if (k > i && s[k] == '/' && k + 1 < n && span_digits(s, k + 1, n, base) == n) {
    ns->slash = k;
    return ns->kind = NK_RATIO;
  }

  /* [sign] {digit}* . {digit}+ [exponent]  |  [sign] {digit}+ [. {digit}*] exponent */
  size_t j = span_digits(s, i, n, 10);
  size_t int_digits = j - i, frac_digits = 0;
  bool point = false;
  if (j < n && s[j] == '.') {
    point = true;
    size_t f = span_digits(s, j + 1, n, 10);
    frac_digits = f - (j + 1);
    j = f;
  }
  if (int_digits + frac_digits == 0)
    return NK_NONE;
  if (j == n) {
    if (!point || frac_digits == 0)
      return NK_NONE;
    return ns->kind = NK_FLOAT;
  }
  uint32_t m = s[j] >= 'A' && s[j] <= 'Z' ? s[j] + 32 : s[j];
  if (m != 'e' && m != 's' && m != 'f' && m != 'd' && m != 'l')
    return NK_NONE;
  ns->marker = m;
  ns->marker_pos = j++;
  if (j < n && (s[j] == '+' || s[j] == '-'))
    j++;
  size_t e = span_digits(s, j, n, 10);
  if (e == j || e != n)
    return NK_NONE;
  return ns->kind = NK_FLOAT;
}

bool number_token_p(const uint32_t *s, size_t n, unsigned base) {
  NumSyntax ns;
  return classify(s, n, base, &ns) != NK_NONE;
}

/* ASCII scratch space: on the stack when small, else in the heap (so that a
 * non-local exit cannot leak it). */
static char *scratch(Thread *th, char *small, size_t cap, size_t need) {
  if (need <= cap)
    return small;
  return (char *)octets_of(make_octets(th, need))->data;
}

static Value integer_of(Thread *th, const uint32_t *s, size_t n, unsigned base, bool negative) {
  uint64_t v = 0;
  size_t i = 0;
  for (; i < n; i++) {
    uint64_t d = (uint64_t)digit_in(s[i], base);
    if (v > (UINT64_MAX - d) / base)
      break;
    v = v * base + d;
  }
  if (i == n) {
    if (!negative && v <= (uint64_t)FIXNUM_MAX)
      return make_fixnum((intptr_t)v);
    if (negative && v <= (uint64_t)FIXNUM_MAX + 1)
      return make_fixnum(-(intptr_t)(v - 1) - 1);
  }
  char small[80];
  char *digits = scratch(th, small, sizeof small, n + 1);
  for (i = 0; i < n; i++)
    digits[i] = (char)s[i];
  digits[n] = 0;
  return integer_from_digits(th, digits, base, negative);
}

static Value token_text(Thread *th, const uint32_t *s, size_t n) {
  Value str = make_string_n(th, n);
  memcpy(string_of(str)->data, s, n * sizeof(uint32_t));
  return str;
}

static bool default_is_double(Thread *th) {
  Value f = symbol_value_or(th, SYM(read_default_float_format), SYM(single_float));
  return f == SYM(double_float) || f == SYM(long_float);
}

static Value float_of(Thread *th, const uint32_t *s, size_t n, const NumSyntax *ns, Value stream) {
  bool dbl = ns->marker == 'd' || ns->marker == 'l' ||
             ((ns->marker == 0 || ns->marker == 'e') && default_is_double(th));
  char small[96];
  char *text = scratch(th, small, sizeof small, n + 1);
  for (size_t i = 0; i < n; i++)
    text[i] = (char)s[i];
  if (ns->marker)
    text[ns->marker_pos] = 'e';
  text[n] = 0;
  /* The host may have set LC_NUMERIC (readline hosts call setlocale): Lisp
   * syntax always uses '.', so convert in the C locale. */
  locale_t c_locale = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
  double d = 0;
  float f = 0;
  if (c_locale) {
    if (dbl)
      d = strtod_l(text, NULL, c_locale);
    else
      f = strtof_l(text, NULL, c_locale);
    freelocale(c_locale);
  } else {
    if (dbl)
      d = strtod(text, NULL);
    else
      f = strtof(text, NULL);
  }
  if (dbl ? isinf(d) : isinf(f))
    reader_error(th, stream, "Condition of type ~S raised while trying to parse numeric token ~S", 2,
                 SYM(floating_point_overflow), token_text(th, s, n));
  return dbl ? make_double(th, d) : make_sfloat(f);
}

Value reader_parse_number(Thread *th, const uint32_t *s, size_t n, unsigned base, Value stream) {
  NumSyntax ns;
  switch (classify(s, n, base, &ns)) {
  case NK_NONE:
    return UNBOUND;
  case NK_INTEGER:
    return integer_of(th, s + ns.digits, n - ns.digits, base, ns.negative);
  case NK_DECIMAL_INTEGER:
    return integer_of(th, s + ns.digits, n - ns.digits - 1, 10, ns.negative);
  case NK_RATIO: {
    Value num = integer_of(th, s + ns.digits, ns.slash - ns.digits, base, ns.negative);
    Value den = integer_of(th, s + ns.slash + 1, n - ns.slash - 1, base, false);
    if (den == make_fixnum(0))
      reader_error(th, stream, "Condition of type ~S raised while trying to parse numeric token ~S", 2,
                   SYM(division_by_zero), token_text(th, s, n));
    return make_ratio(th, num, den);
  }
  case NK_FLOAT:
    return float_of(th, s, n, &ns, stream);
  }
  return UNBOUND;
}

Value parse_number_token(Thread *th, const uint32_t *s, size_t n, unsigned base) {
  return reader_parse_number(th, s, n, base, NIL);
}
