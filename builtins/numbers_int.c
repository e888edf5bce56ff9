/* numbers_int.c — integer natives: logical operations, ASH, byte specifiers (CCL's
 * integer masks), ISQRT, PARSE-INTEGER, and RANDOM with CCL's MRG31k3p random states. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "numbers.h"
#include "stream.h"

/* ---- Logical operations ---- */

enum LogOp { L_AND, L_IOR, L_XOR };

static Value logop(Thread *th, Value a, Value b, enum LogOp op) {
  check_integer(th, a);
  check_integer(th, b);
  if (is_fixnum(a) && is_fixnum(b)) {
    intptr_t x = fixnum_val(a), y = fixnum_val(b);
    return make_fixnum(op == L_AND ? (x & y) : op == L_IOR ? (x | y) : (x ^ y));
  }
  INT_VIEW(x, a);
  INT_VIEW(y, b);
  mpz_t r;
  mpz_init(r);
  if (op == L_AND)
    mpz_and(r, x, y);
  else if (op == L_IOR)
    mpz_ior(r, x, y);
  else
    mpz_xor(r, x, y);
  return int_take(th, r);
}

static Value lognot_v(Thread *th, Value a) {
  check_integer(th, a);
  if (is_fixnum(a))
    return make_fixnum(~fixnum_val(a));
  return int_sub(th, int_neg(th, a), make_fixnum(1));
}

static Value fold_logop(Thread *th, int nargs, Value *args, enum LogOp op, intptr_t identity) {
  if (nargs == 0)
    return make_fixnum(identity);
  Value acc = check_integer(th, args[0]);
  for (int i = 1; i < nargs; i++)
    acc = logop(th, args[i], acc, op);
  return acc;
}

static Value lisp_logand(Thread *th, int nargs, Value *args) {
  return fold_logop(th, nargs, args, L_AND, -1);
}
static Value lisp_logior(Thread *th, int nargs, Value *args) { return fold_logop(th, nargs, args, L_IOR, 0); }
static Value lisp_logxor(Thread *th, int nargs, Value *args) { return fold_logop(th, nargs, args, L_XOR, 0); }

static Value lisp_logeqv(Thread *th, int nargs, Value *args) {
  Value r = fold_logop(th, nargs, args, L_XOR, 0);
  return nargs % 2 == 0 ? lognot_v(th, r) : r;
}

static Value lisp_lognot(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return lognot_v(th, args[0]);
}

static Value lisp_lognand(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return lognot_v(th, logop(th, args[0], args[1], L_AND));
}
static Value lisp_lognor(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return lognot_v(th, logop(th, args[0], args[1], L_IOR));
}
static Value lisp_logandc1(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return logop(th, lognot_v(th, args[0]), args[1], L_AND);
}
static Value lisp_logandc2(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return logop(th, args[0], lognot_v(th, args[1]), L_AND);
}
static Value lisp_logorc1(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return logop(th, lognot_v(th, args[0]), args[1], L_IOR);
}
static Value lisp_logorc2(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return logop(th, args[0], lognot_v(th, args[1]), L_IOR);
}

static bool logtest_v(Thread *th, Value a, Value b) { return logop(th, a, b, L_AND) != make_fixnum(0); }

static Value lisp_logtest(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return BOOL(th, logtest_v(th, args[0], args[1]));
}

static Value lisp_logbitp(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value index = args[0], n = args[1];
  if (!is_integer(index) || int_sign(index) < 0)
    type_error_c(th, index, "(INTEGER 0)");
  check_integer(th, n);
  if (is_bignum(index))
    return BOOL(th, int_sign(n) < 0);
  intptr_t i = fixnum_val(index);
  if (is_fixnum(n))
    return BOOL(th, i >= 63 ? fixnum_val(n) < 0 : (fixnum_val(n) >> i) & 1);
  INT_VIEW(z, n);
  return BOOL(th, mpz_tstbit(z, (mp_bitcnt_t)i));
}

static size_t logcount_v(Thread *th, Value a) {
  check_integer(th, a);
  if (is_fixnum(a)) {
    intptr_t n = fixnum_val(a);
    return (size_t)__builtin_popcountll((unsigned long long)(n < 0 ? ~n : n));
  }
  if (int_sign(a) > 0) {
    INT_VIEW(z, a);
    return mpz_popcount(z);
  }
  Value c = lognot_v(th, a);
  INT_VIEW(z, c);
  return mpz_popcount(z);
}

static Value lisp_logcount(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return make_fixnum((intptr_t)logcount_v(th, args[0]));
}

static Value lisp_integer_length(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return make_fixnum((intptr_t)int_length(check_integer(th, args[0])));
}

static Value lisp_ash(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value n = check_integer(th, args[0]), count = check_integer(th, args[1]);
  if (is_bignum(count)) {
    if (n == make_fixnum(0))
      return n;
    if (int_sign(count) > 0)
      simple_error(th, "Count ~S too large for ASH", count);
    return make_fixnum(int_sign(n) < 0 ? -1 : 0);
  }
  return int_ash(th, n, fixnum_val(count));
}

static Value lisp_boole(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value op = args[0], a = args[1], b = args[2];
  if (!is_fixnum(op) || fixnum_val(op) < 0 || fixnum_val(op) > 15)
    type_error_c(th, op, "(INTEGER 0 15)");
  check_integer(th, a);
  check_integer(th, b);
  switch (fixnum_val(op)) {
  case 0:
    return make_fixnum(0);
  case 1:
    return make_fixnum(-1);
  case 2:
    return a;
  case 3:
    return b;
  case 4:
    return lognot_v(th, a);
  case 5:
    return lognot_v(th, b);
  case 6:
    return logop(th, a, b, L_AND);
  case 7:
    return logop(th, a, b, L_IOR);
  case 8:
    return logop(th, a, b, L_XOR);
  case 9:
    return lognot_v(th, logop(th, a, b, L_XOR));
  case 10:
    return lognot_v(th, logop(th, a, b, L_AND));
  case 11:
    return lognot_v(th, logop(th, a, b, L_IOR));
  case 12:
    return logop(th, lognot_v(th, a), b, L_AND);
  case 13:
    return logop(th, a, lognot_v(th, b), L_AND);
  case 14:
    return logop(th, lognot_v(th, a), b, L_IOR);
  default:
    return logop(th, a, lognot_v(th, b), L_IOR);
  }
}

/* ---- Byte specifiers: as in CCL, (byte size position) is the integer mask
 * (ash (1- (ash 1 size)) position), or -position when size is 0. ---- */

static Value lisp_byte(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value size = args[0], pos = args[1];
  if (!is_integer(size) || int_sign(size) < 0)
    type_error(th, size, SYM(unsigned_byte));
  if (!is_integer(pos) || int_sign(pos) < 0)
    type_error(th, pos, SYM(unsigned_byte));
  if (size == make_fixnum(0))
    return pos == make_fixnum(0) ? pos : int_neg(th, pos);
  if (!is_fixnum(size) || !is_fixnum(pos))
    check_integer_bits(th, 1e30);
  Value mask = int_sub(th, int_ash(th, make_fixnum(1), fixnum_val(size)), make_fixnum(1));
  return int_ash(th, mask, fixnum_val(pos));
}

static Value byte_size_v(Thread *th, Value bs) {
  check_integer(th, bs);
  return int_sign(bs) > 0 ? make_fixnum((intptr_t)logcount_v(th, bs)) : make_fixnum(0);
}

static Value byte_position_v(Thread *th, Value bs) {
  check_integer(th, bs);
  if (int_sign(bs) > 0)
    return make_fixnum((intptr_t)(int_length(bs) - logcount_v(th, bs)));
  return int_neg(th, bs);
}

static Value lisp_byte_size(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return byte_size_v(th, args[0]);
}

static Value lisp_byte_position(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return byte_position_v(th, args[0]);
}

static intptr_t position_count(Thread *th, Value bs) {
  Value p = byte_position_v(th, bs);
  if (!is_fixnum(p))
    check_integer_bits(th, 1e30);
  return fixnum_val(p);
}

static Value lisp_ldb(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value bs = args[0], n = args[1];
  if (byte_size_v(th, bs) == make_fixnum(0)) {
    check_integer(th, n);
    return make_fixnum(0);
  }
  return int_ash(th, logop(th, bs, n, L_AND), -position_count(th, bs));
}

static Value lisp_mask_field(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value bs = check_integer(th, args[0]), n = args[1];
  return int_sign(bs) >= 0 ? logop(th, bs, n, L_AND) : logop(th, n, make_fixnum(0), L_AND);
}

static Value deposit_field_v(Thread *th, Value value, Value bs, Value n) {
  check_integer(th, bs);
  if (int_sign(bs) > 0)
    return logop(th, logop(th, lognot_v(th, bs), n, L_AND), logop(th, bs, value, L_AND), L_IOR);
  check_integer(th, value);
  return check_integer(th, n);
}

static Value lisp_deposit_field(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return deposit_field_v(th, args[0], args[1], args[2]);
}

static Value lisp_dpb(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value value = check_integer(th, args[0]), bs = args[1];
  return deposit_field_v(th, int_ash(th, value, position_count(th, bs)), bs, args[2]);
}

static Value lisp_ldb_test(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value bs = check_integer(th, args[0]), n = args[1];
  if (int_sign(bs) > 0)
    return BOOL(th, logtest_v(th, bs, n));
  check_integer(th, n);
  return NIL;
}

/* ---- ISQRT ---- */

static Value lisp_isqrt(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value n = args[0];
  if (!is_integer(n) || int_sign(n) < 0)
    type_error_c(th, n, "(INTEGER 0)");
  if (is_fixnum(n)) {
    uint64_t v = (uint64_t)fixnum_val(n), r = (uint64_t)sqrt((double)v);
    while (r * r > v)
      r--;
    while ((r + 1) * (r + 1) <= v)
      r++;
    return make_fixnum((intptr_t)r);
  }
  INT_VIEW(z, n);
  mpz_t r;
  mpz_init(r);
  mpz_sqrt(r, z);
  return int_take(th, r);
}

/* ---- PARSE-INTEGER ---- */

static bool whitespacep(uint32_t c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

static int digit_weight(uint32_t c, unsigned radix) {
  int d = c >= '0' && c <= '9'   ? (int)(c - '0')
          : c >= 'a' && c <= 'z' ? (int)(c - 'a' + 10)
          : c >= 'A' && c <= 'Z' ? (int)(c - 'A' + 10)
                                 : 99;
  return d < (int)radix ? d : -1;
}

NORETURN static void not_integer_string(Thread *th, Value string) {
  Value cls = intern_c(th, "PARSE-INTEGER-NOT-INTEGER-STRING", th->vm->pkg_ccl);
  if (find_class(th, cls, false) != NIL) {
    Value initargs[2] = {keyword_c(th, "STRING"), string};
    error_condition(th, make_condition(th, cls, 2, initargs));
  }
  lisp_error(th, intern_c(th, "PARSE-ERROR", th->vm->pkg_cl), "Not an integer string: ~S", string);
}

/* CCL's CHECK-SEQUENCE-BOUNDS: the end index, or an error. */
static size_t sequence_bounds(Thread *th, Value seq, Value start, Value end, size_t len, size_t *start_out) {
  bool ok =
      is_fixnum(start) && fixnum_val(start) >= 0 &&
      (end == NIL ? (size_t)fixnum_val(start) <= len
                  : is_fixnum(end) && fixnum_val(start) <= fixnum_val(end) && (size_t)fixnum_val(end) <= len);
  if (!ok) {
    if (!is_integer(start) || int_sign(start) < 0)
      type_error(th, start, SYM(unsigned_byte));
    if (end != NIL && (!is_integer(end) || int_sign(end) < 0))
      type_error_c(th, end, "(OR NULL UNSIGNED-BYTE)");
    simple_error(th, "Bad interval for sequence operation on ~S : start = ~S, end = ~S", seq, start, end);
  }
  *start_out = (size_t)fixnum_val(start);
  return end == NIL ? len : (size_t)fixnum_val(end);
}

static Value lisp_parse_integer(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value string = args[0];
  Value start_v = arg_or(args[1], make_fixnum(0)), end_v = arg_or(args[2], NIL);
  Value radix_v = arg_or(args[3], make_fixnum(10));
  bool junk_allowed = arg_or(args[4], NIL) != NIL;
  size_t len;
  if (!is_any_string(string))
    type_error(th, string, SYM(string));
  string_chars(string, &len);
  size_t start, end = sequence_bounds(th, string, start_v, end_v, len, &start);
  if (!is_fixnum(radix_v) || fixnum_val(radix_v) < 2 || fixnum_val(radix_v) > 36)
    type_error_c(th, radix_v, "(INTEGER 2 36)");
  unsigned radix = (unsigned)fixnum_val(radix_v);
  const uint32_t *s = string_chars(string, &len);
  size_t i = start;
  while (i < end && whitespacep(s[i]))
    i++;
  if (i == end) {
    if (junk_allowed)
      return values2(th, NIL, make_fixnum((intptr_t)end));
    not_integer_string(th, string);
  }
  bool negative = false;
  if (s[i] == '-' || s[i] == '+')
    negative = s[i++] == '-';
  size_t first = i;
  while (i < end) {
    if (digit_weight(s[i], radix) >= 0) {
      i++;
      continue;
    }
    if (junk_allowed)
      break;
    if (whitespacep(s[i])) {
      while (++i < end)
        if (!whitespacep(s[i]))
          not_integer_string(th, string);
      break;
    }
    not_integer_string(th, string);
  }
  size_t ndigits = 0;
  while (first + ndigits < end && digit_weight(s[first + ndigits], radix) >= 0)
    ndigits++;
  if (ndigits == 0) {
    if (junk_allowed)
      return values2(th, NIL, make_fixnum((intptr_t)i));
    not_integer_string(th, string);
  }
  /* Digits as ASCII, in a GC buffer: integer_from_digits may allocate. */
  Value buf = make_octets(th, ndigits + 1);
  s = string_chars(string, &len);
  char *d = (char *)octets_of(buf)->data;
  for (size_t k = 0; k < ndigits; k++)
    d[k] = (char)s[first + k];
  d[ndigits] = 0;
  Value n = integer_from_digits(th, d, radix, negative);
  return values2(th, n, make_fixnum((intptr_t)i));
}

/* ---- Random states: CCL's MRG31k3p (L'Ecuyer and Touzin), same seeds and same
 * use of the generator, so a fresh image gives CCL's sequence. ---- */

#define MRG_M1 UINT64_C(2147483647)
#define MRG_M2 UINT64_C(2147462579)
#define MRG_LIMIT 2147483647 /* exclusive bound of one draw */

typedef struct RandomState {
  uint32_t v[6];
} RandomState;

static uint32_t mrg31k3p(RandomState *rs) {
  uint32_t *v = rs->v;
  uint64_t y1 =
      (((uint64_t)(v[1] & 0x1ff) << 22) + (v[1] >> 9)) + (((uint64_t)(v[2] & 0xffffff) << 7) + (v[2] >> 24));
  if (y1 >= MRG_M1)
    y1 -= MRG_M1;
  y1 += v[2];
  if (y1 >= MRG_M1)
    y1 -= MRG_M1;
  v[2] = v[1];
  v[1] = v[0];
  v[0] = (uint32_t)y1;
  y1 = ((uint64_t)(v[3] & 0xffff) << 15) + 21069 * (uint64_t)(v[3] >> 16);
  uint64_t y2 = ((uint64_t)(v[5] & 0xffff) << 15) + 21069 * (uint64_t)(v[5] >> 16);
  if (y1 >= MRG_M2)
    y1 -= MRG_M2;
  if (y2 >= MRG_M2)
    y2 -= MRG_M2;
  y2 += v[5];
  if (y2 >= MRG_M2)
    y2 -= MRG_M2;
  y2 += y1;
  if (y2 >= MRG_M2)
    y2 -= MRG_M2;
  v[5] = v[4];
  v[4] = v[3];
  v[3] = (uint32_t)y2;
  int64_t x10 = v[0], x20 = v[3];
  return (uint32_t)(x10 <= x20 ? x10 - x20 + (int64_t)MRG_M1 : x10 - x20);
}

static Value random_state_tag(Thread *th) { return intern_c(th, "RANDOM-STATE", th->vm->pkg_cl); }

/* By the tag's name, so that the test allocates nothing (the printer asks it of every foreign object). */
bool random_state_p(Thread *th, Value v) {
  if (!is_type(v, T_FOREIGN) || !((Foreign *)v)->payload)
    return false;
  Value tag = ((Foreign *)v)->tag;
  return is_type(tag, T_SYMBOL) && sym_raw(tag)->package == th->vm->pkg_cl &&
         string_eq_c(sym_raw(tag)->name, "RANDOM-STATE");
}

static RandomState *state_of(Value v) { return (RandomState *)((Foreign *)v)->payload; }

static Value make_random_state_from(Thread *th, const uint32_t seeds[6]) {
  RandomState *rs = malloc(sizeof *rs);
  if (!rs)
    simple_error(th, "Out of memory making a random state");
  memcpy(rs->v, seeds, sizeof rs->v);
  return make_foreign(th, random_state_tag(th), rs, free);
}

static Value check_random_state(Thread *th, Value v) {
  if (!random_state_p(th, v))
    type_error(th, v, random_state_tag(th));
  return v;
}

void print_random_state(Thread *th, Value rs, Value stream) {
  const uint32_t *v = state_of(rs)->v;
  char buf[160];
  snprintf(buf, sizeof buf, "#.(CCL::INITIALIZE-MRG31K3P-STATE %u %u %u %u %u %u)", v[0], v[1], v[2], v[3],
           v[4], v[5]);
  stream_write_cstr(th, stream, buf);
}

static Value lisp_initialize_mrg31k3p_state(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  uint32_t seeds[6];
  for (int i = 0; i < 6; i++) {
    if (!is_fixnum(args[i]) || fixnum_val(args[i]) < 0 || fixnum_val(args[i]) >= MRG_LIMIT)
      type_error_c(th, args[i], "(INTEGER 0 (2147483647))");
    seeds[i] = (uint32_t)fixnum_val(args[i]);
  }
  if (!seeds[0] && !seeds[1] && !seeds[2])
    simple_error(th, "The first three arguments must not all be zero.");
  if (!seeds[3] && !seeds[4] && !seeds[5])
    simple_error(th, "The second three arguments must not all be zero.");
  return make_random_state_from(th, seeds);
}

static Value lisp_make_random_state(Thread *th, int nargs, Value *args) {
  Value state = opt_arg(nargs, args, 0);
  uint32_t seeds[6];
  if (state == SYM(t)) {
    FILE *f = fopen("/dev/urandom", "rb");
    size_t got = f ? fread(seeds, sizeof seeds[0], 6, f) : 0;
    if (f)
      fclose(f);
    for (size_t i = got; i < 6; i++) {
      /* no /dev/urandom: mix the clock and the VM's counter (never all zero below) */
      struct timespec ts;
      clock_gettime(CLOCK_REALTIME, &ts);
      seeds[i] = (uint32_t)(ts.tv_nsec ^ (ts.tv_sec << 7) ^ (th->vm->random_seed++ * 2654435761u));
    }
    for (int i = 0; i < 6; i++)
      seeds[i] = 1 + seeds[i] % (MRG_LIMIT - 1);
    return make_random_state_from(th, seeds);
  }
  if (!supplied(state) || state == NIL)
    state = symbol_value(th, intern_c(th, "*RANDOM-STATE*", th->vm->pkg_cl));
  check_random_state(th, state);
  return make_random_state_from(th, state_of(state)->v);
}

static Value lisp_random_state_p(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return BOOL(th, random_state_p(th, args[0]));
}

/* CCL's %BIG-FIXNUM-RANDOM: 60 random bits reduced modulo n. */
static uint64_t big_fixnum_random(RandomState *rs, uint64_t n) {
  uint64_t low = mrg31k3p(rs) & ((1u << 30) - 1);
  uint64_t high = mrg31k3p(rs) & ((1u << 30) - 1);
  return (low | (high << 30)) % n;
}

static uint64_t fixnum_random(RandomState *rs, uint64_t n) {
  return n < MRG_LIMIT ? mrg31k3p(rs) % n : big_fixnum_random(rs, n);
}

/* CCL's 64-bit %BIGNUM-RANDOM: as many 32-bit digits as the bignum has, the top
 * one 31 bits, then MOD. */
static Value bignum_random(Thread *th, RandomState *rs, Value n) {
  size_t ndigits = int_length(n) / 32 + 1;
  check_integer_bits(th, (double)ndigits * 32);
  Value buf = make_octets(th, ndigits * sizeof(uint32_t));
  uint32_t *digits = (uint32_t *)octets_of(buf)->data;
  for (size_t i = 0; i + 1 < ndigits; i++)
    digits[i] = (uint32_t)fixnum_random(rs, UINT64_C(1) << 32);
  digits[ndigits - 1] = (uint32_t)(fixnum_random(rs, UINT64_C(1) << 31) & 0x7fffffff);
  mpz_t r;
  mpz_init(r);
  mpz_import(r, ndigits, -1, sizeof(uint32_t), 0, 0, digits);
  INT_VIEW(m, n);
  mpz_mod(r, r, m);
  return int_take(th, r);
}

static Value lisp_random(Thread *th, int nargs, Value *args) {
  Value n = args[0], state = opt_arg(nargs, args, 1);
  if (!supplied(state))
    state = symbol_value(th, intern_c(th, "*RANDOM-STATE*", th->vm->pkg_cl));
  check_random_state(th, state);
  RandomState *rs = state_of(state);
  if (is_fixnum(n) && fixnum_val(n) > 0)
    return make_fixnum((intptr_t)fixnum_random(rs, (uint64_t)fixnum_val(n)));
  if (is_double(n) && double_of(n)->d > 0) {
    uint64_t hi = mrg31k3p(rs), lo = mrg31k3p(rs);
    uint64_t bits = ((hi & 0xffffff) << 28) | (lo & 0xfffffff) | (UINT64_C(1023) << 52);
    double one_two;
    memcpy(&one_two, &bits, sizeof one_two);
    return make_double(th, double_of(n)->d * (one_two - 1.0));
  }
  if (is_sfloat(n) && sfloat_val(n) > 0) {
    uint32_t bits = (127u << 23) | (mrg31k3p(rs) & 0x7fffff);
    float one_two;
    memcpy(&one_two, &bits, sizeof one_two);
    return make_sfloat(sfloat_val(n) * (one_two - 1.0f));
  }
  if (is_bignum(n) && int_sign(n) > 0)
    return bignum_random(th, rs, n);
  type_error_c(th, n, "(OR (INTEGER (0)) (FLOAT (0.0)))");
}

/* ---- Init ---- */

void numbers_int_init(Thread *th) {
  static const char *const boole_names[] = {"BOOLE-CLR",   "BOOLE-SET",   "BOOLE-1",    "BOOLE-2",
                                            "BOOLE-C1",    "BOOLE-C2",    "BOOLE-AND",  "BOOLE-IOR",
                                            "BOOLE-XOR",   "BOOLE-EQV",   "BOOLE-NAND", "BOOLE-NOR",
                                            "BOOLE-ANDC1", "BOOLE-ANDC2", "BOOLE-ORC1", "BOOLE-ORC2"};
  for (int i = 0; i < 16; i++)
    define_number_constant(th, boole_names[i], make_fixnum(i));
  static const uint32_t initial[6] = {314159, 42, 1776, 271828, 6021023, 1066};
  Value sym = intern_c(th, "*RANDOM-STATE*", th->vm->pkg_cl);
  export_symbol(th, sym, th->vm->pkg_cl);
  Symbol *s = symbol_of(th, sym);
  s->h.flags |= SYM_SPECIAL;
  s->value = make_random_state_from(th, initial);
}

const NativeDesc numbers_int_natives[] = {
    {"LOGAND", lisp_logand, 0, 0, NAT_REST, NULL, "(&rest integers)",
     "Return the bit-wise and of its arguments. Args must be integers."},
    {"LOGIOR", lisp_logior, 0, 0, NAT_REST, NULL, "(&rest integers)",
     "Return the bit-wise or of its arguments. Args must be integers."},
    {"LOGXOR", lisp_logxor, 0, 0, NAT_REST, NULL, "(&rest integers)",
     "Return the bit-wise exclusive or of its arguments. Args must be integers."},
    {"LOGEQV", lisp_logeqv, 0, 0, NAT_REST, NULL, "(&rest integers)",
     "Return the bit-wise equivalence of its arguments. Args must be integers."},
    {"LOGNOT", lisp_lognot, 1, 1, 0, NULL, "(number)", "Return the bit-wise logical not of integer."},
    {"LOGNAND", lisp_lognand, 2, 2, 0, NULL, "(integer1 integer2)",
     "Complement the logical AND of INTEGER1 and INTEGER2."},
    {"LOGNOR", lisp_lognor, 2, 2, 0, NULL, "(integer1 integer2)",
     "Complement the logical OR of INTEGER1 and INTEGER2."},
    {"LOGANDC1", lisp_logandc1, 2, 2, 0, NULL, "(integer1 integer2)",
     "Bitwise AND (LOGNOT INTEGER1) with INTEGER2."},
    {"LOGANDC2", lisp_logandc2, 2, 2, 0, NULL, "(integer1 integer2)",
     "Bitwise AND INTEGER1 with (LOGNOT INTEGER2)."},
    {"LOGORC1", lisp_logorc1, 2, 2, 0, NULL, "(integer1 integer2)",
     "Bitwise OR (LOGNOT INTEGER1) with INTEGER2."},
    {"LOGORC2", lisp_logorc2, 2, 2, 0, NULL, "(integer1 integer2)",
     "Bitwise OR INTEGER1 with (LOGNOT INTEGER2)."},
    {"LOGTEST", lisp_logtest, 2, 2, 0, NULL, "(integer1 integer2)",
     "Predicate which returns T if logand of integer1 and integer2 is not zero."},
    {"LOGBITP", lisp_logbitp, 2, 2, 0, NULL, "(index integer)",
     "Predicate returns T if bit index of integer is a 1."},
    {"LOGCOUNT", lisp_logcount, 1, 1, 0, NULL, "(integer)",
     "Count the number of 1 bits if INTEGER is non-negative,\n"
     "and the number of 0 bits if INTEGER is negative."},
    {"INTEGER-LENGTH", lisp_integer_length, 1, 1, 0, NULL, "(integer)",
     "Return the number of significant bits in the absolute value of integer."},
    {"ASH", lisp_ash, 2, 2, 0, NULL, "(integer count)",
     "Shifts integer left by count places preserving sign. - count shifts right."},
    {"BOOLE", lisp_boole, 3, 3, 0, NULL, "(op integer1 integer2)",
     "Bit-wise boolean function on two integers. Function chosen by OP:\n"
     "        0       BOOLE-CLR\n        1       BOOLE-SET\n        2       BOOLE-1\n"
     "        3       BOOLE-2\n        4       BOOLE-C1\n        5       BOOLE-C2\n"
     "        6       BOOLE-AND\n        7       BOOLE-IOR\n        8       BOOLE-XOR\n"
     "        9       BOOLE-EQV\n        10      BOOLE-NAND\n        11      BOOLE-NOR\n"
     "        12      BOOLE-ANDC1\n        13      BOOLE-ANDC2\n        14      BOOLE-ORC1\n"
     "        15      BOOLE-ORC2"},
    {"BYTE", lisp_byte, 2, 2, 0, NULL, "(size position)",
     "Return a byte specifier which may be used by other byte functions\n  (e.g. LDB)."},
    {"BYTE-SIZE", lisp_byte_size, 1, 1, 0, NULL, "(bytespec)",
     "Return the size part of the byte specifier bytespec."},
    {"BYTE-POSITION", lisp_byte_position, 1, 1, 0, NULL, "(bytespec)",
     "Return the position part of the byte specifier bytespec."},
    {"LDB", lisp_ldb, 2, 2, 0, NULL, "(bytespec integer)",
     "Extract the specified byte from integer, and right justify result."},
    {"DPB", lisp_dpb, 3, 3, 0, NULL, "(value bytespec integer)",
     "Return new integer with newbyte in specified position, newbyte is right justified."},
    {"LDB-TEST", lisp_ldb_test, 2, 2, 0, NULL, "(bytespec integer)",
     "Return T if any of the specified bits in integer are 1's."},
    {"MASK-FIELD", lisp_mask_field, 2, 2, 0, NULL, "(bytespec integer)",
     "Extract the specified byte from integer, but do not right justify result."},
    {"DEPOSIT-FIELD", lisp_deposit_field, 3, 3, 0, NULL, "(value bytespec integer)",
     "Return new integer with newbyte in specified position, newbyte is not right justified."},
    {"ISQRT", lisp_isqrt, 1, 1, 0, NULL, "(n)",
     "Return the root of the nearest integer less than n which is a perfect\n"
     "   square.  Argument n must be a non-negative integer"},
    {"PARSE-INTEGER", lisp_parse_integer, 1, 1, NAT_MV, "start end radix junk-allowed",
     "(string &key (start 0) end (radix 10) junk-allowed)",
     "Examine the substring of string delimited by start and end\n"
     "  (default to the beginning and end of the string)  It skips over\n"
     "  whitespace characters and then tries to parse an integer. The\n"
     "  radix parameter must be between 2 and 36."},
    {"RANDOM", lisp_random, 1, 2, 0, NULL, "(number &optional (state *random-state*))",
     "Generate a uniformly distributed pseudo-random number between zero\n"
     "and NUMBER (exclusive), of the same type as NUMBER, using STATE."},
    {"MAKE-RANDOM-STATE", lisp_make_random_state, 0, 1, 0, NULL, "(&optional state)",
     "Make a new random state object. If STATE is not supplied, return a\n"
     "  copy of the current random state. If STATE is a random state, then\n"
     "  return a copy of it. If STATE is T then return a randomly\n"
     "  initialized random state."},
    {"RANDOM-STATE-P", lisp_random_state_p, 1, 1, 0, NULL, "(thing)",
     "Return true if THING is a RANDOM-STATE, and NIL otherwise."},
    {"CCL::INITIALIZE-MRG31K3P-STATE", lisp_initialize_mrg31k3p_state, 6, 6, 0, NULL, "(x0 x1 x2 x3 x4 x5)",
     "Make a random state whose MRG31k3p generator has the six given seeds\n"
     "(what a printed random state reads back as)."},
    {0},
};
