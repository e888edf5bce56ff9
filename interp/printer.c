/* printer.c — the Lisp printer as CCL's level-1/l1-io.lisp does it: the *print-...* settings,
 * symbols, characters, strings, lists, *print-circle* labels, and the entry points. */
#include "printer_impl.h"

#include "control.h"

#include <stdio.h>
#include <stdlib.h>

/* Without a known stack limit, refuse car-nesting deeper than this rather than crash. */
#define DEPTH_LIMIT_UNCHECKED 10000

/* ---- Output ---- */

void pr_flush(Printer *p) {
  if (p->nbuf) {
    size_t n = p->nbuf;
    p->nbuf = 0;
    stream_write_chars(p->th, p->stream, p->buf, n);
  }
}

void pr_char(Printer *p, uint32_t c) {
  if (p->nbuf == sizeof p->buf / sizeof p->buf[0])
    pr_flush(p);
  p->buf[p->nbuf++] = c;
}

void pr_chars(Printer *p, const uint32_t *s, size_t n) {
  for (size_t i = 0; i < n; i++)
    pr_char(p, s[i]);
}

void pr_cstr(Printer *p, const char *ascii) {
  while (*ascii)
    pr_char(p, (unsigned char)*ascii++);
}

void pr_decimal(Printer *p, uintmax_t n) {
  char buf[32];
  snprintf(buf, sizeof buf, "%ju", n);
  pr_cstr(p, buf);
}

void pr_address(Printer *p, Value obj) {
  char buf[32];
  snprintf(buf, sizeof buf, " #x%jX", (uintmax_t)obj);
  pr_cstr(p, buf);
}

/* ---- Errors ---- */

/* CCL resets a bad *print-...* variable before complaining, so printing the complaint works. */
NORETURN static void illegal_value(Thread *th, Value sym, Value bad, Value reset, const char *fmt) {
  set_symbol_value(th, sym, reset);
  simple_error(th, fmt, sym, bad, reset);
}

void pr_unreadable_start(Printer *p, Value obj) {
  if (p->readably) {
    pr_flush(p);
    Value initargs[4] = {SYM_OF(p, k_object), obj, SYM_OF(p, k_stream), p->stream};
    error_condition(p->th, make_condition(p->th, SYM_OF(p, print_not_readable), 4, initargs));
  }
  pr_cstr(p, "#<");
}

/* ---- Settings ---- */

/* CCL's get-*print-frob*: NIL means no limit; an integer is the limit. */
static intptr_t print_frob(Thread *th, Value sym) {
  Value v = symbol_value(th, sym);
  if (v == NIL)
    return PR_NO_LIMIT;
  if (is_fixnum(v))
    return fixnum_val(v);
  if (is_bignum(v))
    return ((Bignum *)v)->size < 0 ? -1 : PR_NO_LIMIT;
  illegal_value(th, sym, v, NIL, "~S had illegal value ~S.  reset to ~S");
}

static void printer_init(Printer *p, Thread *th, Value stream) {
  p->th = th;
  p->stream = stream;
  p->nbuf = 0;
  p->depth = 0;
  p->pass = 0;
  p->ckeys = p->cvals = NIL;
  p->ccount = p->ccap = 0;
  p->next_label = 0;

  Value base = symbol_value(th, SYM(print_base));
  if (!is_fixnum(base) || fixnum_val(base) < 2 || fixnum_val(base) > 36)
    illegal_value(th, SYM(print_base), base, make_fixnum(10), "~S had illegal value ~S.  Reset to ~S");
  p->base = (unsigned)fixnum_val(base);

  Value pcase = symbol_value(th, SYM(print_case));
  if (pcase == SYM(k_upcase))
    p->pcase = PC_UPCASE;
  else if (pcase == SYM(k_downcase))
    p->pcase = PC_DOWNCASE;
  else if (pcase == SYM(k_capitalize))
    p->pcase = PC_CAPITALIZE;
  else
    illegal_value(th, SYM(print_case), pcase, SYM(k_upcase), "~S had illegal value ~S.  Reset to ~S");

  p->readably = symbol_value(th, SYM(print_readably)) != NIL;
  p->escape = symbol_value(th, SYM(print_escape)) != NIL;
  p->radix = symbol_value(th, SYM(print_radix)) != NIL;
  p->circle = symbol_value(th, SYM(print_circle)) != NIL;
  p->gensym = symbol_value(th, SYM(print_gensym)) != NIL;
  p->array = symbol_value(th, SYM(print_array)) != NIL;
  p->level = print_frob(th, SYM(print_level));
  p->length = print_frob(th, SYM(print_length));
  p->print_level = p->level == PR_NO_LIMIT ? -1 : p->level;
  if (p->readably) {
    p->level = p->length = PR_NO_LIMIT;
    p->print_level = -1;
    p->escape = p->gensym = p->array = true;
  }
}

/* ---- Character classes ---- */

/* A character needs escaping in a symbol name exactly when the reader would fold it, so
 * upcasing mirrors reader.c's reader_upcase (keep the two in step); downcasing is its
 * inverse over the same case pairs. */
uint32_t pr_char_upcase(uint32_t c) {
  if (c < 0x80)
    return c >= 'a' && c <= 'z' ? c - 32 : c;
  if (c >= 0xe0 && c <= 0xfe && c != 0xf7)
    return c - 0x20;
  if (c == 0xff)
    return 0x178;
  if (c >= 0x100 && c <= 0x17f) {
    if ((c <= 0x137 || (c >= 0x14a && c <= 0x177)) && c != 0x131)
      return c & ~1u;
    if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17e))
      return (c & 1u) ? c : c - 1;
    return c;
  }
  if (c >= 0x3b1 && c <= 0x3cb && c != 0x3c2)
    return c - 0x20;
  if (c == 0x3ac)
    return 0x386;
  if (c >= 0x3ad && c <= 0x3af)
    return c - 0x25;
  if (c == 0x3cc)
    return 0x38c;
  if (c == 0x3cd || c == 0x3ce)
    return c - 0x3f;
  if (c >= 0x430 && c <= 0x44f)
    return c - 0x20;
  if (c >= 0x450 && c <= 0x45f)
    return c - 0x50;
  if ((c >= 0x460 && c <= 0x481) || (c >= 0x48a && c <= 0x4bf))
    return c & ~1u;
  return c;
}

uint32_t pr_char_downcase(uint32_t c) {
  if (c < 0x80)
    return c >= 'A' && c <= 'Z' ? c + 32 : c;
  if (c >= 0xc0 && c <= 0xde && c != 0xd7)
    return c + 0x20;
  if (c == 0x178)
    return 0xff;
  if (c >= 0x100 && c <= 0x17f) {
    if ((c <= 0x137 || (c >= 0x14a && c <= 0x177)) && c != 0x130)
      return c | 1u;
    if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17e))
      return (c & 1u) ? c + 1 : c;
    return c;
  }
  if (c >= 0x391 && c <= 0x3ab && c != 0x3a2)
    return c + 0x20;
  if (c == 0x386)
    return 0x3ac;
  if (c >= 0x388 && c <= 0x38a)
    return c + 0x25;
  if (c == 0x38c)
    return 0x3cc;
  if (c == 0x38e || c == 0x38f)
    return c + 0x3f;
  if (c >= 0x410 && c <= 0x42f)
    return c + 0x20;
  if (c >= 0x400 && c <= 0x40f)
    return c + 0x50;
  if ((c >= 0x460 && c <= 0x481) || (c >= 0x48a && c <= 0x4bf))
    return c | 1u;
  return c;
}

bool pr_lower_case_p(uint32_t c) { return pr_char_upcase(c) != c; }
bool pr_upper_case_p(uint32_t c) { return pr_char_downcase(c) != c; }
static bool alpha_p(uint32_t c) { return pr_lower_case_p(c) || pr_upper_case_p(c) || c == 0xdf; }

/* Characters that are not constituents in CCL's standard readtable: whitespace, the
 * escapes, the macro characters, and the illegal Backspace and Rubout. */
static bool constituent_p(uint32_t c) {
  if (c <= 0x20 || c == 0x7f || c == 0xa0)
    return false;
  switch (c) {
  case '\\':
  case '|':
  case '#':
  case '(':
  case ')':
  case '\'':
  case ';':
  case '"':
  case '`':
  case ',':
    return false;
  default:
    return true;
  }
}

/* CCL's slashify? under readtable-case :upcase */
static bool slashify_p(uint32_t c) { return pr_lower_case_p(c) || c == ':' || !constituent_p(c); }

static bool decimal_p(uint32_t c) { return c >= '0' && c <= '9'; }

/* ---- Symbols (write-a-symbol, write-pname) ---- */

void pr_escaped_chars(Printer *p, const uint32_t *s, size_t n, uint32_t delim) {
  pr_char(p, delim);
  for (size_t i = 0; i < n; i++) {
    if (s[i] == '\\' || s[i] == delim)
      pr_char(p, '\\');
    pr_char(p, s[i]);
  }
  pr_char(p, delim);
}

/* CCL's write-perverted-string without an escape character. */
static void write_cased(Printer *p, const uint32_t *s, size_t n) {
  bool word_start = true;
  for (size_t i = 0; i < n; i++) {
    uint32_t c = s[i];
    if (alpha_p(c)) {
      if (p->pcase == PC_DOWNCASE)
        c = pr_char_downcase(c);
      else if (p->pcase == PC_UPCASE)
        c = pr_char_upcase(c);
      else if (word_start)
        word_start = false;
      else
        c = pr_char_downcase(c);
    } else if (c == '\\') {
      pr_char(p, '\\');
    } else if (decimal_p(c)) {
      word_start = false;
    } else {
      word_start = true;
    }
    pr_char(p, c);
  }
}

static void write_pname(Printer *p, const uint32_t *name, size_t len) {
  bool escape = p->escape || p->readably;
  size_t slash_count = 0, last_slash = 0;
  if (escape) {
    bool bars = len == 0;
    if (!bars) {
      /* more than a few backslashes, or two in a row: use |...| (CCL's exact rule) */
      size_t m = len / 4 > 2 ? len / 4 : 2;
      for (size_t i = 0; i < len; i++) {
        if (!slashify_p(name[i]))
          continue;
        slash_count++;
        if (slash_count == m || i == last_slash + 1) {
          bars = true;
          break;
        }
        last_slash = i;
      }
    }
    if (!bars)
      bars = number_token_p(name, len, p->base);
    if (!bars) {
      bars = true;
      for (size_t i = 0; i < len; i++)
        if (name[i] != '.')
          bars = false;
    }
    if (bars) {
      pr_escaped_chars(p, name, len, '|');
      return;
    }
  }
  if (slash_count == 0) {
    if (p->pcase == PC_UPCASE)
      pr_chars(p, name, len);
    else
      write_cased(p, name, len);
    return;
  }
  for (size_t pos = 0; pos < len; pos++) {
    bool slash = slash_count == 1 ? pos == last_slash : slashify_p(name[pos]);
    if (slash) {
      slash_count--;
      pr_char(p, '\\');
    }
    pr_char(p, name[pos]);
  }
}

void pr_pname(Printer *p, Value name) {
  static const uint32_t empty[1] = {0};
  size_t len = 0;
  const uint32_t *s = pr_string_chars(name, &len);
  write_pname(p, s ? s : empty, s ? len : 0);
}

void pr_symbol(Printer *p, Value sym) {
  Thread *th = p->th;
  Symbol *s = symbol_of(th, sym);
  Value pkg = s->package;
  if (p->escape || p->readably) {
    if (pkg == th->vm->pkg_keyword) {
      pr_char(p, ':');
    } else if (pkg == NIL) {
      if (p->readably || p->gensym)
        pr_cstr(p, "#:");
    } else {
      int status = 0;
      Value found = find_symbol(th, s->name, current_package(th), &status);
      if (!(status && found == sym)) {
        found = find_symbol(th, s->name, pkg, &status);
        if (!(status && found == sym))
          pr_cstr(p, "#|symbol not found in home package!!|#");
        pr_pname(p, package_of(pkg)->name);
        pr_char(p, ':');
        if (status != 2)
          pr_char(p, ':');
      }
    }
  }
  pr_pname(p, s->name);
}

void pr_symbol_princ(Printer *p, Value sym) {
  bool escape = p->escape, readably = p->readably;
  p->escape = p->readably = false;
  pr_symbol(p, sym);
  p->escape = escape;
  p->readably = readably;
}

void pr_symbol_prin1(Printer *p, Value sym) {
  bool escape = p->escape;
  p->escape = true;
  pr_symbol(p, sym);
  p->escape = escape;
}

void pr_name_princ(Printer *p, const char *upper) {
  uint32_t buf[64];
  size_t n = 0;
  while (upper[n] && n < 64) {
    buf[n] = (unsigned char)upper[n];
    n++;
  }
  bool escape = p->escape, readably = p->readably;
  p->escape = p->readably = false;
  write_pname(p, buf, n);
  p->escape = escape;
  p->readably = readably;
}

/* ---- Characters and strings ---- */

static bool standard_char_p(uint32_t c) { return (c >= 0x20 && c < 0x7f) || c == '\n'; }

static void pr_character(Printer *p, uint32_t c) {
  if (p->escape || p->readably) {
    char name[CHAR_NAME_MAX];
    pr_cstr(p, "#\\");
    if ((c == '\n' || !standard_char_p(c)) && char_name_utf8(c, name, sizeof name)) {
      pr_cstr(p, name);
      return;
    }
  }
  pr_char(p, c);
}

const uint32_t *pr_string_chars(Value s, size_t *len) {
  if (is_type(s, T_STRING)) {
    *len = string_of(s)->len;
    return string_of(s)->data;
  }
  return string_chars(s, len);
}

static void pr_string(Printer *p, Value s) {
  size_t n = 0;
  const uint32_t *chars = pr_string_chars(s, &n);
  if (!chars)
    n = 0;
  if (p->escape || p->readably)
    pr_escaped_chars(p, chars, n, '"');
  else
    pr_chars(p, chars, n);
}

/* ---- *print-circle* ---- */

static bool circle_candidate(Value v) {
  if (is_cons(v))
    return true;
  if (!is_obj(v))
    return false; /* fixnums, characters, single-floats, NIL, markers */
  switch (obj_of(v)->type) {
  case T_BIGNUM:
  case T_RATIO:
  case T_DOUBLE:
    return false;
  case T_SYMBOL:
    return sym_raw(v)->package == NIL;
  default:
    return true;
  }
}

static size_t circle_hash(Value v, size_t cap) {
  return (size_t)(((uint64_t)v >> 4) * 0x9E3779B97F4A7C15ull >> 20) & (cap - 1);
}

/* The slot of v in the table: its index, with *found telling whether v is there. */
static size_t circle_find(Printer *p, Value v, bool *found) {
  Value *keys = svec_of(p->ckeys)->data;
  size_t i = circle_hash(v, p->ccap);
  while (keys[i] != UNBOUND && keys[i] != v)
    i = (i + 1) & (p->ccap - 1);
  *found = keys[i] == v;
  return i;
}

static void circle_grow(Printer *p) {
  Value old_keys = p->ckeys, old_vals = p->cvals;
  size_t old_cap = p->ccap;
  p->ccap = old_cap ? old_cap * 2 : 64;
  p->ckeys = make_svector(p->th, p->ccap, UNBOUND);
  p->cvals = make_svector(p->th, p->ccap, make_fixnum(0));
  for (size_t i = 0; i < old_cap; i++) {
    Value k = svec_of(old_keys)->data[i];
    if (k == UNBOUND)
      continue;
    bool found;
    size_t j = circle_find(p, k, &found);
    svec_of(p->ckeys)->data[j] = k;
    svec_of(p->cvals)->data[j] = svec_of(old_vals)->data[i];
  }
}

enum { CIRC_GO_ON, CIRC_FIRST, CIRC_DONE };

/* CCL's circularity-process. Pass 1 numbers an object when it is met a second time;
 * pass 2 writes #n= at its first occurrence and #n# at the others (" . #n=" / " . #n#"
 * for a shared tail of a list). */
static int circle_check(Printer *p, Value obj, bool interior) {
  if (!p->pass || !circle_candidate(obj) || (is_type(obj, T_SYMBOL) && !p->gensym))
    return CIRC_GO_ON;
  bool found;
  size_t i = circle_find(p, obj, &found);
  if (p->pass == 1) {
    if (!found) {
      if (2 * (p->ccount + 1) > p->ccap) {
        circle_grow(p);
        i = circle_find(p, obj, &found);
      }
      svec_of(p->ckeys)->data[i] = obj;
      svec_of(p->cvals)->data[i] = make_fixnum(0);
      p->ccount++;
      return CIRC_GO_ON;
    }
    if (fixnum_val(svec_of(p->cvals)->data[i]) == 0)
      svec_of(p->cvals)->data[i] = make_fixnum(++p->next_label);
    return CIRC_DONE;
  }
  intptr_t id = found ? fixnum_val(svec_of(p->cvals)->data[i]) : 0;
  if (id == 0)
    return CIRC_GO_ON;
  if (interior)
    pr_cstr(p, " . #");
  else
    pr_char(p, '#');
  if (id > 0) {
    pr_decimal(p, (uintmax_t)id);
    pr_char(p, '=');
    svec_of(p->cvals)->data[i] = make_fixnum(-id);
    return CIRC_FIRST;
  }
  pr_decimal(p, (uintmax_t)-id);
  pr_char(p, '#');
  return CIRC_DONE;
}

/* ---- Lists ---- */

static void pr_object_body(Printer *p, Value obj, intptr_t level);

/* 'x #'x `x ,x ,@x ,.x for two-element lists headed by those operators. */
static bool pr_abbreviation(Printer *p, Value x, intptr_t level) {
  Thread *th = p->th;
  Value head = CAR(x), tail = CDR(x);
  if (head == NIL || !is_type(head, T_SYMBOL) || !is_cons(tail) || CDR(tail) != NIL)
    return false;
  const char *prefix;
  if (head == SYM(quote))
    prefix = "'";
  else if (head == SYM(function))
    prefix = "#'";
  else if (head == SYM(backquote))
    prefix = "`";
  else if (head == SYM(comma))
    prefix = ",";
  else if (head == SYM(comma_at))
    prefix = ",@";
  else if (head == SYM(comma_dot))
    prefix = ",.";
  else
    return false;
  pr_cstr(p, prefix);
  pr_object(p, CAR(tail), level - 1);
  return true;
}

static void pr_list_tail(Printer *p, Value tail, intptr_t level, intptr_t remaining);

/* The rest of a list from the cons `tail` on, its first element included (write-a-frob
 * with a list-kludge). */
static void pr_list_from(Printer *p, Value tail, intptr_t level, intptr_t remaining) {
  if (remaining < 1) {
    pr_cstr(p, "...");
    return;
  }
  pr_object(p, CAR(tail), level);
  Value next = CDR(tail);
  pr_list_tail(p, next, level, is_cons(next) ? remaining - 1 : remaining);
}

/* Elements after the first: iterative along the cdrs, so a long list costs no C stack. */
static void pr_list_tail(Printer *p, Value tail, intptr_t level, intptr_t remaining) {
  for (;;) {
    if (tail == NIL)
      return;
    if (p->pass) {
      int circ = circle_check(p, tail, true);
      if (circ == CIRC_DONE)
        return;
      if (circ == CIRC_FIRST) {
        if (is_cons(tail)) {
          pr_char(p, '(');
          pr_list_from(p, tail, level, remaining);
          pr_char(p, ')');
        } else if (remaining < 1) {
          pr_cstr(p, "...");
        } else {
          pr_object_body(p, tail, level);
        }
        return;
      }
    }
    if (!is_cons(tail)) {
      pr_cstr(p, " . ");
      if (remaining < 1)
        pr_cstr(p, "...");
      else
        pr_object_body(p, tail, level);
      return;
    }
    pr_char(p, ' ');
    if (remaining < 1) {
      pr_cstr(p, "...");
      return;
    }
    pr_object(p, CAR(tail), level);
    Value next = CDR(tail);
    if (is_cons(next))
      remaining--;
    tail = next;
    check_interrupt(p->th);
  }
}

static void pr_list(Printer *p, Value x, intptr_t level) {
  if (pr_abbreviation(p, x, level))
    return;
  pr_char(p, '(');
  if (p->length == 0) {
    pr_cstr(p, "...");
  } else {
    pr_object(p, CAR(x), level - 1);
    Value tail = CDR(x);
    pr_list_tail(p, tail, level - 1, is_cons(tail) ? p->length - 1 : p->length);
  }
  pr_char(p, ')');
}

/* ---- Dispatch ---- */

static void pr_object_body(Printer *p, Value obj, intptr_t level) {
  Thread *th = p->th;
  if (is_fixnum(obj) || is_sfloat(obj) || is_bignum(obj) || is_ratio(obj) || is_double(obj)) {
    pr_flush(p);
    print_number(th, obj, p->stream, p->base, p->radix);
  } else if (is_char(obj)) {
    pr_character(p, char_code(obj));
  } else if (is_cons(obj)) {
    if (level <= 0)
      pr_char(p, '#');
    else
      pr_list(p, obj, level);
  } else if (is_symbol(obj)) {
    pr_symbol(p, obj);
  } else if (pr_is_string(obj)) {
    pr_string(p, obj);
  } else if (level <= 0 && pr_level_checked(p, obj)) {
    pr_char(p, '#');
  } else {
    pr_other(p, obj, level);
  }
}

void pr_object(Printer *p, Value obj, intptr_t level) {
  Thread *th = p->th;
  if (th->stack_limit ? (char *)__builtin_frame_address(0) < th->stack_limit
                      : p->depth >= DEPTH_LIMIT_UNCHECKED) {
    pr_flush(p);
    stack_overflow(th);
  }
  if (p->pass && circle_check(p, obj, false) == CIRC_DONE)
    return;
  p->depth++;
  pr_object_body(p, obj, level);
  p->depth--;
}

/* ---- Entry points ---- */

static Value output_stream(Thread *th, Value stream) {
  return is_stream(stream) ? stream : stream_designator_out(th, stream);
}

void write_object(Thread *th, Value obj, Value stream) {
  Printer p;
  stream = output_stream(th, stream);
  printer_init(&p, th, stream);
  if (!p.circle) {
    pr_object(&p, obj, p.level);
    pr_flush(&p);
    return;
  }
  /* Pass 1 prints to a scratch stream to find what is shared; when nothing is, its text
   * is the answer (as CCL's xp printing does). */
  p.pass = 1;
  circle_grow(&p);
  Value scratch = make_string_output_stream(th);
  p.stream = scratch;
  pr_object(&p, obj, p.level);
  pr_flush(&p);
  Value text = get_output_stream_string(th, scratch);
  if (p.next_label == 0) {
    stream_write_string(th, stream, text);
    return;
  }
  p.pass = 2;
  p.stream = stream;
  p.depth = 0;
  pr_object(&p, obj, p.level);
  pr_flush(&p);
}

void print_object(Thread *th, Value obj, Value stream, bool escape) {
  size_t saved = th->dyn_top;
  stream = output_stream(th, stream);
  if ((symbol_value(th, SYM(print_escape)) != NIL) != escape)
    bind_special(th, SYM(print_escape), escape ? SYM(t) : NIL);
  if (!escape && symbol_value(th, SYM(print_readably)) != NIL)
    bind_special(th, SYM(print_readably), NIL);
  write_object(th, obj, stream);
  if (th->dyn_top != saved)
    unwind_to(th, saved);
}

Value prin1_to_string(Thread *th, Value obj) {
  Value s = make_string_output_stream(th);
  print_object(th, obj, s, true);
  return get_output_stream_string(th, s);
}

Value princ_to_string(Thread *th, Value obj) {
  Value s = make_string_output_stream(th);
  print_object(th, obj, s, false);
  return get_output_stream_string(th, s);
}

char *prin1_cstr(Thread *th, Value obj) { return string_to_cstr(prin1_to_string(th, obj)); }

/* CCL's %print-unreadable-object, behind PRINT-UNREADABLE-OBJECT: "#<", the type, what the
 * thunk writes, the address, ">". */
void print_unreadable_object(Thread *th, Value obj, Value stream, bool type, bool identity, Value thunk) {
  Printer p;
  stream = output_stream(th, stream);
  printer_init(&p, th, stream);
  pr_unreadable_start(&p, obj);
  if (type) {
    bool escape = p.escape;
    p.escape = p.readably = false;
    pr_object(&p, type_of(th, obj), p.level);
    p.escape = escape;
  }
  if (thunk != NIL) {
    if (type)
      pr_char(&p, ' ');
    pr_flush(&p);
    funcall0(th, thunk);
  }
  if (identity)
    pr_address(&p, obj);
  pr_char(&p, '>');
  pr_flush(&p);
}
