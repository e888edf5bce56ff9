/* format_print.c — FORMAT directives that print an argument: ~A ~S ~W ~C ~P, the integer
 * directives ~D ~B ~O ~X ~R (English and Roman numerals), and CCL's FORMAT-WRITE-FIELD. */
#include <stdio.h>

#include "format.h"

/* ---- Output helpers ---- */

void write_repeat(Thread *th, Value stream, uint32_t c, intptr_t n) {
  uint32_t buf[64];
  if (n <= 0)
    return;
  for (int i = 0; i < 64; i++)
    buf[i] = c;
  while (n > 0) {
    size_t k = n > 64 ? 64 : (size_t)n;
    check_interrupt(th);
    stream_write_chars(th, stream, buf, k);
    n -= (intptr_t)k;
  }
}

void write_ascii_n(Thread *th, Value stream, const char *s, size_t n) {
  uint32_t buf[128];
  while (n > 0) {
    size_t k = n > 128 ? 128 : n;
    for (size_t i = 0; i < k; i++)
      buf[i] = (unsigned char)s[i];
    stream_write_chars(th, stream, buf, k);
    s += k;
    n -= k;
  }
}

static void write_str(Thread *th, Value stream, const char *s) { write_ascii_n(th, stream, s, strlen(s)); }

/* Binds a special variable for the rest of the directive; the caller unwinds. */
static void bind(Thread *th, Value sym, Value v) { bind_special(th, sym, v); }

/* ---- FORMAT-WRITE-FIELD ---- */

static intptr_t field_int(Thread *th, Value v) {
  if (!is_fixnum(v))
    type_error(th, v, SYM(fixnum));
  return fixnum_val(v);
}

void write_field(Fmt *F, Value stream, Value text, Value mincol, Value colinc, Value minpad, Value padchar,
                 bool padleft) {
  Thread *th = F->th;
  if (mincol != NIL && !is_integer(mincol))
    format_error(F, "Mincol must be an integer - ~S", 1, mincol);
  if (!is_integer(colinc) || number_compare(th, colinc, make_fixnum(0)) <= 0)
    format_error(F, "Colinc must be a positive integer - ~S", 1, colinc);
  if (!is_integer(minpad))
    format_error(F, "Minpad must be an integer - ~S", 1, minpad);
  if (!is_char(padchar)) {
    if (is_fixnum(padchar) && fixnum_val(padchar) >= 0 && fixnum_val(padchar) < CHAR_CODE_LIMIT)
      padchar = make_char((uint32_t)fixnum_val(padchar));
    else
      format_error(F, "Padchar must be a character or integer from 0 to ~a - ~S", 2,
                   make_fixnum(CHAR_CODE_LIMIT), padchar);
  }
  size_t len;
  const uint32_t *chars = string_chars(text, &len);
  intptr_t strlen_ = (intptr_t)len;
  intptr_t strwid = strlen_ + field_int(th, minpad);
  intptr_t width = strwid;
  if (mincol != NIL) {
    intptr_t mc = field_int(th, mincol), ci = field_int(th, colinc);
    if (strwid < mc)
      width = strwid + ci * ((mc - strwid + ci - 1) / ci);
  }
  if (padleft)
    write_repeat(th, stream, char_code(padchar), width - strlen_);
  fmt_write_chars(th, stream, chars, len);
  if (!padleft)
    write_repeat(th, stream, char_code(padchar), width - strlen_);
}

/* ---- ~A ~S ~W ---- */

static int format_princ_prin1(Fmt *F, Value stream, Directive *d, bool escape) {
  Thread *th = F->th;
  Value arg = pop_arg(F);
  if (d->nparams == 0) {
    if (arg == NIL && d->colon)
      write_str(th, stream, "()");
    else if (!escape && is_string(arg))
      fmt_write_string(th, stream, arg);
    else
      print_object(th, arg, stream, escape);
    return FMT_DONE;
  }
  check_params(F, d, 4);
  Value text = arg != NIL || !d->colon ? (escape ? prin1_to_string(th, arg) : princ_to_string(th, arg))
                                       : make_string_c(th, "()");
  Value mincol = param(d, 0), colinc = param(d, 1), minpad = param(d, 2), padchar = param(d, 3);
  write_field(F, stream, text, mincol == NIL ? make_fixnum(0) : mincol,
              colinc == NIL ? make_fixnum(1) : colinc, minpad == NIL ? make_fixnum(0) : minpad,
              padchar == NIL ? make_char(' ') : padchar, d->atsign);
  return FMT_DONE;
}

static int format_write(Fmt *F, Value stream, Directive *d) {
  Thread *th = F->th;
  check_params(F, d, 0);
  no_semi(F, 'W', false, false);
  Value arg = pop_arg(F);
  size_t top = th->dyn_top;
  if (d->atsign) {
    bind(th, SYM(print_level), NIL);
    bind(th, SYM(print_length), NIL);
  }
  if (d->colon)
    bind(th, SYM(print_pretty), SYM(t));
  write_object(th, arg, stream);
  unwind_to(th, top);
  return FMT_DONE;
}

/* ---- ~C ---- */

static bool control_char(uint32_t c) {
  /* CCL's %control-char-p, as GRAPHIC-CHAR-P uses it */
  static const uint32_t ranges[][2] = {
      {0x0, 0x1F},      {0x7F, 0x9F},     {0x34F, 0x34F},     {0x200C, 0x200F},
      {0x202A, 0x202E}, {0x2060, 0x2063}, {0x206A, 0x206F},   {0xFE00, 0xFE0F},
      {0xFEFF, 0xFEFF}, {0xFFF0, 0xFFFD}, {0xE0000, 0xEFFFD},
  };
  for (size_t i = 0; i < sizeof ranges / sizeof ranges[0]; i++)
    if (c >= ranges[i][0] && c <= ranges[i][1])
      return true;
  return false;
}

/* CHARACTER of a character designator */
static uint32_t designated_char(Thread *th, Value v) {
  if (is_char(v))
    return char_code(v);
  Value s = v;
  if (is_symbol(v))
    s = symbol_name(th, v);
  size_t len;
  const uint32_t *chars = string_chars(s, &len);
  if (chars && len == 1)
    return chars[0];
  type_error(th, v, SYM(character));
}

static int format_character(Fmt *F, Value stream, Directive *d) {
  Thread *th = F->th;
  check_params(F, d, 0);
  Value arg = pop_arg(F);
  uint32_t c = designated_char(th, arg);
  if (d->atsign && !d->colon) {
    print_object(th, make_char(c), stream, true);
  } else if (d->colon) {
    if (c == ' ' || control_char(c))
      print_object(th, char_name(th, c), stream, false);
    else
      stream_write_char(th, stream, c);
  } else {
    stream_write_char(th, stream, c);
  }
  return FMT_DONE;
}

/* ---- ~P ---- */

static int format_plural(Fmt *F, Value stream, Directive *d) {
  Thread *th = F->th;
  check_params(F, d, 0);
  if (d->colon) {
    Value end = F->args, list = F->orig;
    for (;;) {
      if (!is_cons(list))
        format_error(F, "No previous argument", 0);
      if (CDR(list) == end)
        break;
      list = CDR(list);
    }
    F->args = list;
  }
  bool one = pop_arg(F) == make_fixnum(1);
  write_str(th, stream, one ? (d->atsign ? "y" : "") : (d->atsign ? "ies" : "s"));
  return FMT_DONE;
}

/* ---- Integers: ~D ~B ~O ~X ~nR ---- */

/* The digits of |n| in radix, upper case, as a Lisp string (no sign). */
static Value integer_digits(Thread *th, Value n, unsigned radix, size_t *ndigits, const uint32_t **chars) {
  Value s = number_to_string(th, n, radix, false);
  size_t len;
  const uint32_t *c = string_chars(s, &len);
  if (len && c[0] == '-')
    c++, len--;
  *ndigits = len;
  *chars = c;
  return s;
}

static intptr_t floor_div(intptr_t a, intptr_t b) {
  intptr_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0)))
    q--;
  return q;
}

/* CCL's FORMAT-PRINT-NUMBER; params are the directive's from index first. */
static void print_number_directive(Fmt *F, Value stream, Value number, unsigned radix, bool commas_p,
                                   bool sign_p, Directive *d, int first) {
  Thread *th = F->th;
  if (!is_integer(number)) {
    size_t top = th->dyn_top;
    bind(th, SYM(print_base), make_fixnum(radix));
    bind(th, SYM(print_radix), NIL);
    print_object(th, number, stream, false);
    unwind_to(th, top);
    return;
  }
  if (d->nparams - first > 4)
    format_error(F, "Too many parameters", 0);
  Value padv = param(d, first + 1);
  intptr_t mincol = param_int(F, d, first, 0);
  if (padv != NIL && !is_char(padv))
    simple_error(th, "Use '~A instead of ~A for padchar in format directive", padv, padv);
  uint32_t padchar = padv == NIL ? ' ' : char_code(padv);
  uint32_t commachar = param_char(F, d, first + 2, ',');
  intptr_t interval = param_int(F, d, first + 3, 3);
  int sign = number_compare(th, number, make_fixnum(0));
  uint32_t signch = sign_p && sign >= 0 ? '+' : sign < 0 ? '-' : 0;
  size_t ndigits;
  const uint32_t *digits;
  Value keep = integer_digits(th, number, radix, &ndigits, &digits);
  if (commas_p || mincol != 0) {
    intptr_t lg = (intptr_t)ndigits - 1, commas = 0;
    if (commas_p) {
      if (interval == 0)
        number_div(th, make_fixnum(lg), make_fixnum(0)); /* CCL's FLOOR signals */
      commas = floor_div(lg, interval);
    }
    if (signch)
      lg++;
    if (!(commas == 0 && mincol <= lg)) {
      intptr_t lead = padchar != ' ' ? mincol - (lg + commas) - 1 : 0;
      if (lead < 0)
        lead = 0;
      size_t n = (size_t)lead + (signch ? 1 : 0) + ndigits + (size_t)(commas > 0 ? commas : 0);
      Value text = make_string_n(th, n);
      uint32_t *t = string_of(text)->data;
      size_t k = 0;
      for (intptr_t i = 0; i < lead; i++)
        t[k++] = padchar;
      if (signch)
        t[k++] = signch;
      for (size_t i = 0; i < ndigits; i++)
        t[k++] = digits[i];
      for (intptr_t i = 0; i < commas; i++)
        t[k++] = commachar;
      if (commas > 0) { /* -1234567,, => -1,234,567 */
        intptr_t dest = (intptr_t)n - 1, source = dest - commas;
        while (source != dest) {
          for (intptr_t i = 0; i < interval; i++)
            t[dest--] = t[source--];
          t[dest--] = commachar;
        }
      }
      write_field(F, stream, text, make_fixnum(mincol), make_fixnum(1), make_fixnum(0), make_char(padchar),
                  true);
      return;
    }
  }
  if (signch)
    stream_write_char(th, stream, signch);
  fmt_write_chars(th, stream, digits, ndigits);
  UNUSED(keep);
}

/* ---- ~R in English and Roman ---- */

static const char *const ones[] = {0, "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"};
static const char *const tens_words[] = {0,       0,       "twenty",  "thirty", "forty",
                                         "fifty", "sixty", "seventy", "eighty", "ninety"};
static const char *const teens[] = {"ten",     "eleven",  "twelve",    "thirteen", "fourteen",
                                    "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"};
static const char *const periods[] = {"",
                                      " thousand",
                                      " million",
                                      " billion",
                                      " trillion",
                                      " quadrillion",
                                      " quintillion",
                                      " sextillion",
                                      " septillion",
                                      " octillion",
                                      " nonillion",
                                      " decillion"};
static const char *const ordinal_ones[] = {0,       "first", "second",  "third",  "fourth",
                                           "fifth", "sixth", "seventh", "eighth", "ninth"};
static const char *const ordinal_tens[] = {0,          "tenth",    "twentieth",  "thirtieth", "fortieth",
                                           "fiftieth", "sixtieth", "seventieth", "eightieth", "ninetieth"};

static void small_cardinal(Thread *th, Value stream, int n) {
  int hundreds = n / 100, rem = n % 100;
  if (hundreds > 0) {
    write_str(th, stream, ones[hundreds]);
    write_str(th, stream, " hundred");
    if (rem > 0)
      write_str(th, stream, " ");
  }
  if (rem > 0) {
    int tens = rem / 10, one = rem % 10;
    if (tens > 1) {
      write_str(th, stream, tens_words[tens]);
      if (one > 0) {
        write_str(th, stream, "-");
        write_str(th, stream, ones[one]);
      }
    } else if (tens == 1) {
      write_str(th, stream, teens[one]);
    } else if (one > 0) {
      write_str(th, stream, ones[one]);
    }
  }
}

/* The value of the three-digit group g (0 = lowest) of the decimal digits d[0, n). */
static int digit_group(const uint32_t *d, size_t n, size_t g) {
  int v = 0;
  for (size_t k = 3; k-- > 0;) {
    size_t pos = g * 3 + k; /* from the right */
    v = v * 10 + (pos < n ? (int)(d[n - 1 - pos] - '0') : 0);
  }
  return v;
}

/* FORMAT-PRINT-CARDINAL-AUX over decimal digits; err is what the error message shows. */
static void cardinal_aux(Fmt *F, Value stream, const uint32_t *d, size_t n, Value err) {
  size_t groups = (n + 2) / 3;
  if (groups > 11)
    format_error(F, "Number too large to print in English: ~:D", 1, err);
  bool beyond = false;
  for (size_t g = groups; g-- > 0;) {
    int here = digit_group(d, n, g);
    if (here != 0) {
      if (beyond)
        write_str(F->th, stream, " ");
      small_cardinal(F->th, stream, here);
      write_str(F->th, stream, periods[g]);
    }
    if (here != 0)
      beyond = true;
  }
}

static void print_cardinal(Fmt *F, Value stream, Value n) {
  Thread *th = F->th;
  int sign = number_compare(th, n, make_fixnum(0));
  size_t len;
  const uint32_t *d;
  Value keep = integer_digits(th, n, 10, &len, &d);
  if (sign < 0)
    write_str(th, stream, "negative ");
  if (sign == 0)
    write_str(th, stream, "zero");
  else
    cardinal_aux(F, stream, d, len, n);
  UNUSED(keep);
}

static void print_ordinal(Fmt *F, Value stream, Value n) {
  Thread *th = F->th;
  int sign = number_compare(th, n, make_fixnum(0));
  if (sign < 0)
    write_str(th, stream, "negative ");
  size_t len;
  const uint32_t *d;
  Value keep = integer_digits(th, n, 10, &len, &d);
  int bot = (len >= 1 ? (int)(d[len - 1] - '0') : 0) + (len >= 2 ? 10 * (int)(d[len - 2] - '0') : 0);
  bool top = len > 2;
  if (top) { /* the cardinal of number - bot: the same digits with the last two zero */
    Value s = make_string_n(th, len);
    uint32_t *t = string_of(s)->data;
    memcpy(t, d, len * sizeof *t);
    t[len - 1] = t[len - 2] = '0';
    bool nonzero = false;
    for (size_t i = 0; i < len; i++)
      nonzero |= t[i] != '0';
    if (nonzero) { /* a number too large names number - bot, as CCL's error does */
      Value absn = sign < 0 ? number_sub(th, make_fixnum(0), n) : n;
      cardinal_aux(F, stream, t, len, number_sub(th, absn, make_fixnum(bot)));
    } else {
      top = false;
    }
  }
  if (top && bot > 0)
    write_str(th, stream, " ");
  int tens = bot / 10, one = bot % 10;
  if (bot == 12)
    write_str(th, stream, "twelfth");
  else if (tens == 1) {
    write_str(th, stream, teens[one]);
    write_str(th, stream, "th");
  } else if (tens == 0 && one > 0)
    write_str(th, stream, ordinal_ones[one]);
  else if (one == 0 && tens > 0)
    write_str(th, stream, ordinal_tens[tens]);
  else if (bot > 0) {
    write_str(th, stream, tens_words[tens]);
    write_str(th, stream, "-");
    write_str(th, stream, ordinal_ones[one]);
  } else if (sign != 0)
    write_str(th, stream, "th");
  else
    write_str(th, stream, "zeroth");
  UNUSED(keep);
}

static void print_roman(Fmt *F, Value stream, Value n, bool old) {
  Thread *th = F->th;
  intptr_t limit = old ? 5000 : 4000;
  if (!is_fixnum(n) || fixnum_val(n) <= 0 || fixnum_val(n) >= limit)
    format_error(F,
                 old ? "Number out of range for old Roman numerals: ~:D"
                     : "Number out of range for Roman numerals: ~:D",
                 1, n);
  static const char chars[] = "MDCLXVI";
  static const int vals[] = {1000, 500, 100, 50, 10, 5, 1};
  static const char sub_chars[] = "CCXXII";
  static const int sub_vals[] = {100, 100, 10, 10, 1, 1, 0};
  char buf[64];
  size_t k = 0;
  intptr_t i = fixnum_val(n);
  for (int j = 0; j < 7; j++) {
    while (i >= vals[j]) {
      buf[k++] = chars[j];
      i -= vals[j];
    }
    if (!old && j < 6 && vals[j] - sub_vals[j] <= i) {
      buf[k++] = sub_chars[j];
      buf[k++] = chars[j];
      i -= vals[j] - sub_vals[j];
    }
  }
  write_ascii_n(th, stream, buf, k);
}

static int format_radix(Fmt *F, Value stream, Directive *d) {
  Thread *th = F->th;
  Value number = pop_arg(F);
  Value radix = param(d, 0);
  if (radix != NIL) {
    if (!is_fixnum(radix) || fixnum_val(radix) < 2 || fixnum_val(radix) > 36)
      type_error_c(th, radix, "(INTEGER 2 36)");
    print_number_directive(F, stream, number, (unsigned)fixnum_val(radix), d->colon, d->atsign, d, 1);
    return FMT_DONE;
  }
  if (!is_integer(number))
    type_error(th, number, SYM(integer));
  if (d->atsign)
    print_roman(F, stream, number, d->colon);
  else if (d->colon)
    print_ordinal(F, stream, number);
  else
    print_cardinal(F, stream, number);
  return FMT_DONE;
}

int format_print_directive(Fmt *F, Value stream, Directive *d) {
  switch (d->ch) {
  case 'A':
    return format_princ_prin1(F, stream, d, false);
  case 'S':
    return format_princ_prin1(F, stream, d, true);
  case 'W':
    return format_write(F, stream, d);
  case 'C':
    return format_character(F, stream, d);
  case 'P':
    return format_plural(F, stream, d);
  case 'R':
    return format_radix(F, stream, d);
  default: {
    unsigned radix = d->ch == 'D' ? 10 : d->ch == 'B' ? 2 : d->ch == 'O' ? 8 : 16;
    Value arg = pop_arg(F);
    if (is_fixnum(arg) && d->nparams == 0 && !d->colon && !(d->atsign && fixnum_val(arg) >= 0)) {
      char buf[80]; /* the common case, without consing */
      intptr_t v = fixnum_val(arg);
      uintptr_t u = v < 0 ? (uintptr_t)0 - (uintptr_t)v : (uintptr_t)v;
      size_t k = sizeof buf;
      do {
        unsigned dg = (unsigned)(u % radix);
        buf[--k] = (char)(dg < 10 ? '0' + dg : 'A' + dg - 10);
        u /= radix;
      } while (u);
      if (v < 0)
        buf[--k] = '-';
      write_ascii_n(F->th, stream, buf + k, sizeof buf - k);
      return FMT_DONE;
    }
    print_number_directive(F, stream, arg, radix, d->colon, d->atsign, d, 0);
    return FMT_DONE;
  }
  }
}
