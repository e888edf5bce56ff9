/* strings.c — CL's string functions: STRING, the twelve comparisons (CCL's bounds errors and
 * mismatch indices), case conversion, trimming. Octet conversions are in strings_octets.c. */
#include "strings.h"

/* ---- String designators ---- */

/* The characters a string designator stands for, read in place: nothing is allocated. A Chars
 * must not be copied (for a character, s points at its own `one`). */
typedef struct Chars {
  const uint32_t *s;
  size_t len;
  uint32_t one;
} Chars;

static bool designated(Thread *th, Value x, Chars *c) {
  if (is_char(x)) {
    c->one = char_code(x);
    c->s = &c->one;
    c->len = 1;
    return true;
  }
  if (is_symbol(x))
    x = symbol_name(th, x);
  c->s = string_chars(x, &c->len);
  return c->s != NULL;
}

NORETURN static void not_designator(Thread *th, Value x) {
  type_error_c(th, x, "(OR STRING SYMBOL CHARACTER)");
}

static Value string_from_chars(Thread *th, const uint32_t *s, size_t n) {
  Value r = make_string_n(th, n);
  if (n)
    memcpy(string_of(r)->data, s, n * sizeof(uint32_t));
  return r;
}

/* (STRING x): a string is itself, a symbol its name, a character a new string of one. */
static Value designator_string(Thread *th, Value x) {
  if (is_char(x)) {
    uint32_t c = char_code(x);
    return string_from_chars(th, &c, 1);
  }
  if (is_symbol(x))
    return symbol_name(th, x);
  if (!is_any_string(x))
    not_designator(th, x);
  return x;
}

/* The simple string behind a string (what CCL's ARRAY-DATA-AND-OFFSET returns), for messages. */
static Value data_vector(Value x) {
  for (int depth = 0; is_type(x, T_ARRAY) && depth < 64; depth++)
    x = array_of(x)->data;
  return x;
}

static bool given(Value v) { return v != UNSUPPLIED && v != NIL; }

/* ---- Bounds ---- */

/* A :start or :end that (< x 0) or (> x len) in CCL, with its type error for a non-real. */
static bool index_outside(Thread *th, Value x, size_t len, bool check_negative) {
  if (is_fixnum(x))
    return (check_negative && fixnum_val(x) < 0) || (fixnum_val(x) >= 0 && (size_t)fixnum_val(x) > len);
  if (!is_real(x))
    type_error(th, x, SYM(real));
  return (check_negative && number_compare(th, x, make_fixnum(0)) < 0) ||
         number_compare(th, x, make_fixnum((intptr_t)len)) > 0;
}

NORETURN static void array_index_error(Thread *th, Value index, Value string) {
  simple_error(th, "Array index ~S out of bounds for ~S.", index, string);
}

/* CCL's STRING-START-END: the characters of designator x and the bounds start..end within them
 * (NIL or unsupplied: 0 and the length). */
static void string_start_end(Thread *th, Value x, Value start, Value end, Chars *c, size_t *s, size_t *e) {
  if (!designated(th, x, c))
    not_designator(th, x);
  if (given(end) && index_outside(th, end, c->len, false))
    array_index_error(th, end, designator_string(th, x));
  if (given(start) && index_outside(th, start, c->len, true))
    array_index_error(th, start, designator_string(th, x));
  /* In range but not an integer (2.0): CCL goes on with garbage; say what was wanted instead. */
  if (given(end) && !is_fixnum(end))
    type_error(th, end, SYM(fixnum));
  if (given(start) && !is_fixnum(start))
    type_error(th, start, SYM(fixnum));
  *s = given(start) ? (size_t)fixnum_val(start) : 0;
  *e = given(end) ? (size_t)fixnum_val(end) : c->len;
  if (*s > *e)
    simple_error(th, "Start ~S exceeds end ~S.", make_fixnum((intptr_t)*s), make_fixnum((intptr_t)*e));
}

void string_sequence_bounds(Thread *th, Value seq, Value start, Value end, size_t len, size_t *s, size_t *e) {
  if (start == UNSUPPLIED)
    start = make_fixnum(0);
  if (end == UNSUPPLIED)
    end = NIL;
  bool ok =
      is_fixnum(start) && fixnum_val(start) >= 0 &&
      (end == NIL ? (size_t)fixnum_val(start) <= len
                  : is_fixnum(end) && fixnum_val(start) <= fixnum_val(end) && (size_t)fixnum_val(end) <= len);
  if (!ok) {
    if (!is_integer(start) || number_compare(th, start, make_fixnum(0)) < 0)
      type_error(th, start, SYM(unsigned_byte));
    if (end != NIL && (!is_integer(end) || number_compare(th, end, make_fixnum(0)) < 0))
      type_error_c(th, end, "(OR NULL UNSIGNED-BYTE)");
    /* CCL's test has already set a missing end to the length when start was a good fixnum. */
    if (end == NIL && is_fixnum(start))
      end = make_fixnum((intptr_t)len);
    simple_error(th, "Bad interval for sequence operation on ~S : start = ~S, end = ~S", seq, start, end);
  }
  *s = (size_t)fixnum_val(start);
  *e = end == NIL ? len : (size_t)fixnum_val(end);
}

/* ---- STRING ---- */

static Value lisp_string(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return designator_string(th, args[0]);
}

/* ---- Comparisons ----
 * args: string1 string2 start1 end1 start2 end2. Code points are compared in place: no
 * comparison allocates unless it signals. */

static inline uint32_t fold_code(uint32_t c) {
  if (c < 0x80)
    return c >= 'a' && c <= 'z' ? c - 32 : c;
  return char_upcase_code(c);
}

/* CCL's STRING-CMP / STRING-COMPARE: -1, 0 or 1, and in *index the mismatch index in string1
 * (its end when one string is a prefix of the other or they are equal). */
static int compare_strings(Thread *th, Value *args, bool fold, size_t *index) {
  Chars a, b;
  size_t i, e1, j, e2;
  string_start_end(th, args[0], args[2], args[3], &a, &i, &e1);
  string_start_end(th, args[1], args[4], args[5], &b, &j, &e2);
  for (;; i++, j++) {
    if (i == e1) {
      *index = i;
      return j == e2 ? 0 : -1;
    }
    if (j == e2) {
      *index = i;
      return 1;
    }
    uint32_t x = a.s[i], y = b.s[j];
    if (x != y && fold) {
      x = fold_code(x);
      y = fold_code(y);
    }
    if (x != y) {
      *index = i;
      return x < y ? -1 : 1;
    }
  }
}

static Value lisp_string_eq(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Chars a, b;
  size_t s1, e1, s2, e2;
  string_start_end(th, args[0], args[2], args[3], &a, &s1, &e1);
  string_start_end(th, args[1], args[4], args[5], &b, &s2, &e2);
  if (e1 - s1 != e2 - s2)
    return NIL;
  for (size_t k = 0; k < e1 - s1; k++)
    if (a.s[s1 + k] != b.s[s2 + k])
      return NIL;
  return SYM(t);
}

/* Which outcomes of compare_strings make the predicate true (bit 0: less, 1: equal, 2: greater). */
#define WHEN_LT 1
#define WHEN_EQ 2
#define WHEN_GT 4

static Value compare_result(Thread *th, Value *args, bool fold, int when) {
  size_t index;
  int r = compare_strings(th, args, fold, &index);
  return (when & (r < 0 ? WHEN_LT : r == 0 ? WHEN_EQ : WHEN_GT)) ? make_fixnum((intptr_t)index) : NIL;
}

#define STRING_COMPARE(cname, fold, when)                                                                    \
  static Value cname(Thread *th, int nargs, Value *args) {                                                   \
    UNUSED(nargs);                                                                                           \
    return compare_result(th, args, fold, when);                                                             \
  }
STRING_COMPARE(lisp_string_ne, false, WHEN_LT | WHEN_GT)
STRING_COMPARE(lisp_string_lt, false, WHEN_LT)
STRING_COMPARE(lisp_string_gt, false, WHEN_GT)
STRING_COMPARE(lisp_string_le, false, WHEN_LT | WHEN_EQ)
STRING_COMPARE(lisp_string_ge, false, WHEN_GT | WHEN_EQ)
STRING_COMPARE(lisp_string_not_equal, true, WHEN_LT | WHEN_GT)
STRING_COMPARE(lisp_string_lessp, true, WHEN_LT)
STRING_COMPARE(lisp_string_greaterp, true, WHEN_GT)
STRING_COMPARE(lisp_string_not_greaterp, true, WHEN_LT | WHEN_EQ)
STRING_COMPARE(lisp_string_not_lessp, true, WHEN_GT | WHEN_EQ)
#undef STRING_COMPARE

/* STRING-EQUAL with bounds checks them its own way in CCL (%BOUNDED-STRING-EQUAL): other
 * messages, and the string shown is the data vector behind a non-simple string. */
static void equal_bounds(Thread *th, Value x, const Chars *c, Value start, Value end, const char *which,
                         size_t *s, size_t *e) {
  Value shown = is_char(x) ? designator_string(th, x) : is_symbol(x) ? symbol_name(th, x) : data_vector(x);
  if (given(start) && (!is_fixnum(start) || fixnum_val(start) < 0))
    simple_error(th, "Index ~S is invalid for ~S", start, shown);
  if (given(end) && (!is_fixnum(end) || fixnum_val(end) < 0 || (size_t)fixnum_val(end) > c->len))
    simple_error(th, "Index ~S is invalid for ~S", end, shown);
  *s = given(start) ? (size_t)fixnum_val(start) : 0;
  *e = given(end) ? (size_t)fixnum_val(end) : c->len;
  if (*s > *e) {
    if (which[0] == '1')
      simple_error(th, ":start1 argument ~S exceeds :end1 argument ~S", make_fixnum((intptr_t)*s),
                   make_fixnum((intptr_t)*e));
    simple_error(th, ":start2 argument ~S exceeds :end2 argument ~S", make_fixnum((intptr_t)*s),
                 make_fixnum((intptr_t)*e));
  }
}

static Value lisp_string_equal(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Chars a, b;
  if (!designated(th, args[0], &a))
    not_designator(th, args[0]);
  if (!designated(th, args[1], &b))
    not_designator(th, args[1]);
  size_t s1 = 0, e1 = a.len, s2 = 0, e2 = b.len;
  if (given(args[2]) || given(args[3]) || given(args[4]) || given(args[5])) {
    equal_bounds(th, args[0], &a, args[2], args[3], "1", &s1, &e1);
    equal_bounds(th, args[1], &b, args[4], args[5], "2", &s2, &e2);
  }
  if (e1 - s1 != e2 - s2)
    return NIL;
  for (size_t k = 0; k < e1 - s1; k++) {
    uint32_t x = a.s[s1 + k], y = b.s[s2 + k];
    if (x != y && fold_code(x) != fold_code(y))
      return NIL;
  }
  return SYM(t);
}

/* ---- Case conversion ---- */

enum CaseOp { CASE_UP, CASE_DOWN, CASE_CAP };

/* CCL's %STRCAP: a word starts at an alphanumeric character after a non-alphanumeric one (digits
 * count, so "3rd" stays "3rd"). */
static void convert_case(uint32_t *s, size_t start, size_t end, enum CaseOp op) {
  bool word_start = true;
  for (size_t i = start; i < end; i++) {
    uint32_t c = s[i];
    switch (op) {
    case CASE_UP:
      s[i] = char_upcase_code(c);
      break;
    case CASE_DOWN:
      s[i] = char_downcase_code(c);
      break;
    case CASE_CAP:
      if (char_alphanumeric_code_p(c)) {
        s[i] = word_start ? char_upcase_code(c) : char_downcase_code(c);
        word_start = false;
      } else {
        word_start = true;
      }
      break;
    }
  }
}

/* STRING-UPCASE and friends: a fresh simple string, converted between start and end. */
static Value case_copy(Thread *th, Value *args, enum CaseOp op) {
  Chars c;
  if (!designated(th, args[0], &c))
    not_designator(th, args[0]);
  Value copy = string_from_chars(th, c.s, c.len);
  size_t s, e;
  string_sequence_bounds(th, copy, args[1], args[2], c.len, &s, &e);
  convert_case(string_of(copy)->data, s, e, op);
  return copy;
}

/* NSTRING-UPCASE and friends: the string itself, converted in place. */
static Value case_in_place(Thread *th, Value *args, enum CaseOp op) {
  Value x = args[0];
  size_t len;
  /* string_chars points into the string's own storage, which we are allowed to change. */
  uint32_t *d = (uint32_t *)string_chars(x, &len);
  if (!d)
    type_error_c(th, x, "(OR STRING)");
  size_t s, e;
  string_sequence_bounds(th, x, args[1], args[2], len, &s, &e);
  convert_case(d, s, e, op);
  return x;
}

#define CASE_FN(cname, impl, op)                                                                             \
  static Value cname(Thread *th, int nargs, Value *args) {                                                   \
    UNUSED(nargs);                                                                                           \
    return impl(th, args, op);                                                                               \
  }
CASE_FN(lisp_string_upcase, case_copy, CASE_UP)
CASE_FN(lisp_string_downcase, case_copy, CASE_DOWN)
CASE_FN(lisp_string_capitalize, case_copy, CASE_CAP)
CASE_FN(lisp_nstring_upcase, case_in_place, CASE_UP)
CASE_FN(lisp_nstring_downcase, case_in_place, CASE_DOWN)
CASE_FN(lisp_nstring_capitalize, case_in_place, CASE_CAP)
#undef CASE_FN

/* ---- Trimming ---- */

/* (FIND c bag) for a character c: elements are compared with EQL, which for characters is ==. */
static bool bag_has(Thread *th, Value bag, uint32_t c) {
  Value ch = make_char(c);
  if (is_list(bag)) {
    Value l = bag;
    for (; is_cons(l); l = CDR(l))
      if (CAR(l) == ch)
        return true;
    if (l != NIL)
      type_error(th, bag, SYM(list));
    return false;
  }
  size_t n;
  const uint32_t *s = string_chars(bag, &n);
  if (s) {
    for (size_t i = 0; i < n; i++)
      if (s[i] == c)
        return true;
    return false;
  }
  Value data = bag;
  size_t start = 0;
  if (is_type(bag, T_ARRAY)) {
    Array *a = array_of(bag);
    if (a->rank != 1)
      type_error(th, bag, SYM(sequence));
    data = data_vector(bag);
    for (Value v = bag; is_type(v, T_ARRAY); v = array_of(v)->data)
      start += array_of(v)->offset;
    n = a->fill;
  } else if (is_type(bag, T_SVECTOR)) {
    n = svec_of(bag)->len;
  } else if (is_type(bag, T_OCTETS) || is_type(bag, T_NUMVEC)) {
    return false; /* numbers only: never EQL to a character */
  } else {
    type_error(th, bag, SYM(sequence));
  }
  if (!is_type(data, T_SVECTOR))
    return false;
  for (size_t i = 0; i < n; i++)
    if (svec_of(data)->data[start + i] == ch)
      return true;
  return false;
}

static Value trim(Thread *th, Value *args, bool left, bool right) {
  Value bag = args[0];
  Chars c;
  if (!designated(th, args[1], &c))
    not_designator(th, args[1]);
  size_t s = 0, e = c.len;
  if (left)
    while (s < e && bag_has(th, bag, c.s[s]))
      s++;
  if (right)
    while (e > s && bag_has(th, bag, c.s[e - 1]))
      e--;
  return string_from_chars(th, c.s + s, e - s);
}

static Value lisp_string_trim(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return trim(th, args, true, true);
}

static Value lisp_string_left_trim(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return trim(th, args, true, false);
}

static Value lisp_string_right_trim(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return trim(th, args, false, true);
}

/* ---- Registration ---- */

#define CMP_LL "(string1 string2 &key start1 end1 start2 end2)"
#define CMP(name, fn, doc)                                                                                   \
  { name, fn, 2, 2, 0, "start1 end1 start2 end2", CMP_LL, doc }
#define CASE_LL "(string &key (start 0) end)"
#define TRIM_LL "(char-bag string)"

static const NativeDesc strings_natives[] = {
    {"STRING", lisp_string, 1, 1, 0, NULL, "(x)",
     "Return the string X designates: a string itself, a symbol's name, or a new string of one character."},
    CMP("STRING=", lisp_string_eq,
        "Return T if the substrings of STRING1 and STRING2 between the bounds have the same characters."),
    CMP("STRING/=", lisp_string_ne,
        "If the substrings differ, return the index in STRING1 where they first differ, else NIL."),
    CMP("STRING<", lisp_string_lt,
        "If STRING1 is lexicographically less than STRING2 (by CHAR<), return the mismatch index, else NIL."),
    CMP("STRING>", lisp_string_gt,
        "If STRING1 is lexicographically greater than STRING2 (by CHAR>), return the mismatch index, else "
        "NIL."),
    CMP("STRING<=", lisp_string_le,
        "If STRING1 is lexicographically less than or equal to STRING2, return the mismatch index, else "
        "NIL."),
    CMP("STRING>=", lisp_string_ge,
        "If STRING1 is lexicographically greater than or equal to STRING2, return the mismatch index, else "
        "NIL."),
    CMP("STRING-EQUAL", lisp_string_equal,
        "Return T if the substrings of STRING1 and STRING2 are the same, ignoring case (as CHAR-EQUAL)."),
    CMP("STRING-NOT-EQUAL", lisp_string_not_equal,
        "Like STRING/=, ignoring case: the mismatch index, or NIL if the substrings are equal."),
    CMP("STRING-LESSP", lisp_string_lessp, "Like STRING<, ignoring case."),
    CMP("STRING-GREATERP", lisp_string_greaterp, "Like STRING>, ignoring case."),
    CMP("STRING-NOT-GREATERP", lisp_string_not_greaterp, "Like STRING<=, ignoring case."),
    CMP("STRING-NOT-LESSP", lisp_string_not_lessp, "Like STRING>=, ignoring case."),
    {"STRING-UPCASE", lisp_string_upcase, 1, 1, 0, "start end", CASE_LL,
     "Return a new string: the string designated by STRING with the characters from START to END in upper "
     "case."},
    {"STRING-DOWNCASE", lisp_string_downcase, 1, 1, 0, "start end", CASE_LL,
     "Return a new string: the string designated by STRING with the characters from START to END in lower "
     "case."},
    {"STRING-CAPITALIZE", lisp_string_capitalize, 1, 1, 0, "start end", CASE_LL,
     "Return a new string in which each word (a run of alphanumeric characters) between START and END "
     "starts in upper case and goes on in lower case."},
    {"NSTRING-UPCASE", lisp_nstring_upcase, 1, 1, 0, "start end", CASE_LL,
     "Turn the characters of STRING from START to END to upper case, in place; return STRING."},
    {"NSTRING-DOWNCASE", lisp_nstring_downcase, 1, 1, 0, "start end", CASE_LL,
     "Turn the characters of STRING from START to END to lower case, in place; return STRING."},
    {"NSTRING-CAPITALIZE", lisp_nstring_capitalize, 1, 1, 0, "start end", CASE_LL,
     "Capitalize the words of STRING from START to END in place, as STRING-CAPITALIZE; return STRING."},
    {"STRING-TRIM", lisp_string_trim, 2, 2, 0, NULL, TRIM_LL,
     "Return a new string: STRING without the characters in the sequence CHAR-BAG at either end."},
    {"STRING-LEFT-TRIM", lisp_string_left_trim, 2, 2, 0, NULL, TRIM_LL,
     "Return a new string: STRING without the characters in the sequence CHAR-BAG at its start."},
    {"STRING-RIGHT-TRIM", lisp_string_right_trim, 2, 2, 0, NULL, TRIM_LL,
     "Return a new string: STRING without the characters in the sequence CHAR-BAG at its end."},
    {0},
};

void builtins_strings_init(Thread *th) {
  define_natives(th, strings_natives);
  builtins_strings_octets_init(th);
}
