/* reader.c — READ: standard syntax (tokens, escapes, package markers), lists, strings,
 * quote, backquote and comma, the # dispatch macros, #n= labels, and positioned errors. */
#include <stdio.h>
#include <stdlib.h>

#include "control.h"
#include "lisp.h"
#include "stream.h"

/* Private markers that never leave the reader: a macro that read nothing (a
 * comment, a failed #+), and a lone dot where a list may be dotted. */
#define NO_OBJECT MAKE_IMM(IMM_SPECIAL, 0x5e0001)
#define DOT_OBJECT MAKE_IMM(IMM_SPECIAL, 0x5e0002)
/* Set on a token character that came from an escape: it keeps its case and
 * cannot be a package marker, a dot or part of a number. */
#define ESC_BIT 0x80000000u

typedef struct Reader {
  Thread *th;
  Value stream;
  Value labels;  /* #n= records (see read_label_def) */
  int bq_depth;  /* backquotes minus commas around the current position */
  bool suppress; /* *read-suppress*, or inside a failed #+ / #- */
  bool preserve_ws;
  long start_line, start_column; /* where the outermost object began (0: unknown) */
} Reader;

/* ---- Positioned conditions ---- */

/* The message: what, the stream (or its file) and position, then sep and body (a format
 * control for args) when there is a body. */
NORETURN static void signal_at(Thread *th, Value type, Value stream, const char *what, const char *sep,
                               const char *body, int nargs, const Value *args) {
  char ctl[512];
  Value pre[3];
  int npre = 0;
  Value ps = is_stream(stream) ? stream_input_source(th, stream) : NIL;
  if (is_stream(ps)) {
    Stream *st = stream_of(ps);
    bool named = st->name != NIL;
    snprintf(ctl, sizeof ctl, "%s %s ~S, line ~D, column ~D%s%s", what, named ? "in file" : "on",
             body ? sep : "", body ? body : "");
    pre[npre++] = named ? st->name : stream;
    pre[npre++] = make_fixnum(st->line);
    pre[npre++] = make_fixnum(st->column);
  } else {
    snprintf(ctl, sizeof ctl, "%s%s%s", what, body ? sep : "", body ? body : "");
  }
  Value fargs = list_from_array(th, nargs, args);
  while (npre > 0)
    fargs = cons(th, pre[--npre], fargs);
  Value init[6] = {SYM(k_stream),          is_stream(stream) ? stream : NIL, SYM(k_format_control),
                   make_string_c(th, ctl), SYM(k_format_arguments),          fargs};
  error_condition(th, make_condition(th, type, 6, init));
}

NORETURN void reader_error(Thread *th, Value stream, const char *fmt, int nargs, ...) {
  Value args[8];
  va_list ap;
  va_start(ap, nargs);
  for (int i = 0; i < nargs && i < 8; i++)
    args[i] = va_arg(ap, Value);
  va_end(ap);
  signal_at(th, SYM(reader_error), stream, "Reader error", ": ", fmt, nargs < 8 ? nargs : 8, args);
}

NORETURN void reader_eof(Thread *th, Value stream) {
  signal_at(th, SYM(end_of_file), stream, "Unexpected end of file", "", NULL, 0, NULL);
}

/* End of file inside an object: where that object began is what a person needs to find
 * the missing parenthesis or quote. */
NORETURN static void eof_inside(Reader *r) {
  Thread *th = r->th;
  if (r->start_line <= 0)
    reader_eof(r->th, r->stream);
  Value args[2] = {make_fixnum(r->start_line), make_fixnum(r->start_column)};
  signal_at(th, SYM(end_of_file), r->stream, "Unexpected end of file", " ",
            "(in the form that starts at line ~D, column ~D)", 2, args);
}

static void note_start(Reader *r) {
  Value ps = is_stream(r->stream) ? stream_input_source(r->th, r->stream) : NIL;
  if (!is_stream(ps))
    return;
  r->start_line = stream_of(ps)->line;
  r->start_column = stream_of(ps)->column;
}

/* ---- Characters ---- */

/* CCL folds unescaped token characters with CHAR-UPCASE (readtable-case :upcase), so the
 * reader uses exactly the case mapping of builtins/chars.c; the printer asks this same
 * function when it decides whether a symbol name needs escapes. */
uint32_t reader_upcase(uint32_t c) { return char_upcase_code(c); }

enum Syntax {
  SX_CONSTITUENT,
  SX_WHITESPACE,
  SX_TERMINATING,
  SX_NONTERMINATING,
  SX_SINGLE_ESCAPE,
  SX_MULTIPLE_ESCAPE,
  SX_INVALID
};

/* CCL's standard readtable: every control character and NBSP is whitespace,
 * except Backspace which, like Rubout, is an invalid constituent. */
static enum Syntax syntax_of(uint32_t c) {
  if (c <= 32)
    return c == 8 ? SX_INVALID : SX_WHITESPACE;
  switch (c) {
  case '"':
  case '\'':
  case '(':
  case ')':
  case ',':
  case ';':
  case '`':
    return SX_TERMINATING;
  case '#':
    return SX_NONTERMINATING;
  case '\\':
    return SX_SINGLE_ESCAPE;
  case '|':
    return SX_MULTIPLE_ESCAPE;
  case 127:
    return SX_INVALID;
  case 0xa0:
    return SX_WHITESPACE;
  default:
    return SX_CONSTITUENT;
  }
}

static int32_t rd(Reader *r) {
  Value c = stream_read_char(r->th, r->stream);
  return c == EOF_MARK ? -1 : (int32_t)char_code(c);
}

static uint32_t rd_no_eof(Reader *r) {
  int32_t c = rd(r);
  if (c < 0)
    eof_inside(r);
  return (uint32_t)c;
}

static void unrd(Reader *r, uint32_t c) { stream_unread_char(r->th, r->stream, make_char(c)); }

static int32_t skip_ws(Reader *r) {
  for (;;) {
    int32_t c = rd(r);
    if (c < 0 || syntax_of((uint32_t)c) != SX_WHITESPACE)
      return c;
  }
}

static uint32_t skip_ws_no_eof(Reader *r) {
  int32_t c = skip_ws(r);
  if (c < 0)
    eof_inside(r);
  return (uint32_t)c;
}

/* ---- Tokens ---- */

typedef struct Token {
  uint32_t *buf;
  size_t len, cap;
  Value heap;      /* the string holding buf once it outgrew small[] */
  long pkg_end;    /* length of the package prefix when a marker was seen, else -1 */
  bool internal;   /* the marker was "::" */
  bool esc_before; /* an escape before the package marker (or anywhere, without one) */
  bool esc_after;  /* an escape after the package marker */
  bool no_package; /* ':' is an ordinary constituent (#\ and #* tokens) */
  uint32_t small[64];
} Token;

static void tok_init(Token *t) {
  t->buf = t->small;
  t->len = 0;
  t->cap = sizeof t->small / sizeof t->small[0];
  t->heap = NIL;
  t->pkg_end = -1;
  t->internal = t->esc_before = t->esc_after = t->no_package = false;
}

static void tok_add(Thread *th, Token *t, uint32_t c) {
  if (t->len == t->cap) {
    size_t cap = t->cap * 2;
    Value s = make_string_n(th, cap);
    memcpy(string_of(s)->data, t->buf, t->len * sizeof(uint32_t));
    t->heap = s;
    t->buf = string_of(s)->data;
    t->cap = cap;
  }
  t->buf[t->len++] = c;
}

static void tok_note_escape(Token *t) {
  if (t->pkg_end < 0)
    t->esc_before = true;
  else
    t->esc_after = true;
}

static bool tok_escaped(const Token *t) { return t->esc_before || t->esc_after; }

/* Collects the rest of a token whose first character c has been read, up to a
 * terminating macro character (pushed back) or whitespace (consumed unless
 * preserving). Only the first package marker counts, as in CCL. */
static void read_token(Reader *r, Token *t, uint32_t c) {
  Thread *th = r->th;
  for (;;) {
    switch (syntax_of(c)) {
    case SX_WHITESPACE:
      if (r->preserve_ws)
        unrd(r, c);
      return;
    case SX_TERMINATING:
      unrd(r, c);
      return;
    case SX_INVALID:
      reader_error(th, r->stream, "Illegal character ~S.", 1, make_char(c));
    case SX_SINGLE_ESCAPE:
      tok_note_escape(t);
      tok_add(th, t, rd_no_eof(r) | ESC_BIT);
      break;
    case SX_MULTIPLE_ESCAPE:
      tok_note_escape(t);
      for (;;) {
        uint32_t e = rd_no_eof(r);
        if (e == '|')
          break;
        if (e == '\\')
          e = rd_no_eof(r);
        tok_add(th, t, e | ESC_BIT);
      }
      break;
    default:
      if (c == ':' && t->pkg_end < 0 && !t->no_package && !r->suppress) {
        t->pkg_end = (long)t->len;
        int32_t next = rd(r);
        if (next == ':')
          t->internal = true;
        else if (next >= 0)
          unrd(r, (uint32_t)next);
      } else {
        tok_add(th, t, c);
      }
    }
    int32_t next = rd(r);
    if (next < 0)
      return;
    c = (uint32_t)next;
  }
}

/* The characters [from, to) as a string; upcase folds unescaped characters. */
static Value tok_string(Thread *th, const Token *t, size_t from, size_t to, bool upcase) {
  Value s = make_string_n(th, to - from);
  uint32_t *d = string_of(s)->data;
  for (size_t i = from; i < to; i++) {
    uint32_t c = t->buf[i];
    d[i - from] = (c & ESC_BIT) ? (c & ~ESC_BIT) : upcase ? reader_upcase(c) : c;
  }
  return s;
}

static unsigned read_base(Thread *th) {
  Value b = symbol_value_or(th, SYM(read_base), make_fixnum(10));
  /* Not type_error_c: it reads its type specifier, which would need *read-base* again. */
  if (!is_fixnum(b) || fixnum_val(b) < 2 || fixnum_val(b) > 36)
    type_error(th, b, list3(th, SYM(integer), make_fixnum(2), make_fixnum(36)));
  return (unsigned)fixnum_val(b);
}

static Value the_package(Thread *th) {
  Value p = current_package(th);
  if (!is_type(p, T_PACKAGE))
    type_error(th, p, SYM(package_));
  return p;
}

static Value token_value(Reader *r, Token *t, bool dot_ok) {
  Thread *th = r->th;
  if (r->suppress)
    return NIL;
  if (t->pkg_end < 0 && !tok_escaped(t)) {
    size_t dots = 0;
    while (dots < t->len && t->buf[dots] == '.')
      dots++;
    if (dots == t->len && t->len > 0) {
      if (t->len == 1 && dot_ok)
        return DOT_OBJECT;
      reader_error(th, r->stream, t->len == 1 ? "Dot context error in ~S." : "Illegal symbol syntax in ~S.",
                   1, tok_string(th, t, 0, t->len, false));
    }
    Value num = reader_parse_number(th, t->buf, t->len, read_base(th), r->stream);
    if (num != UNBOUND)
      return num;
  }
  size_t start = t->pkg_end < 0 ? 0 : (size_t)t->pkg_end;
  Value name = tok_string(th, t, start, t->len, true);
  if (t->pkg_end < 0)
    return intern(th, name, the_package(th), NULL);
  if (t->len == start && !t->esc_after)
    reader_error(th, r->stream, "Illegal symbol syntax.", 0);
  Value pkg;
  if (t->pkg_end == 0 && !t->esc_before) {
    pkg = th->vm->pkg_keyword;
  } else {
    Value pname = tok_string(th, t, 0, start, true);
    pkg = find_package(th, pname);
    if (pkg == NIL)
      reader_error(th, r->stream, "There is no package named ~S .", 1, pname);
  }
  if (t->internal || pkg == th->vm->pkg_keyword)
    return intern(th, name, pkg, NULL);
  int status;
  Value sym = find_symbol(th, name, pkg, &status);
  if (status == 2)
    return sym;
  reader_error(th, r->stream, "No external symbol named ~S in package ~S .", 2, name, pkg);
}

/* ---- Objects ---- */

static Value read_from_char(Reader *r, uint32_t c, bool dot_ok);

/* The next object, skipping comments and failed conditionals; end of file is an error. */
static Value read_next(Reader *r) {
  for (;;) {
    uint32_t c = skip_ws_no_eof(r);
    Value x = read_from_char(r, c, false);
    if (x != NO_OBJECT)
      return x;
  }
}

static Value read_list(Reader *r, uint32_t close, bool dots) {
  Thread *th = r->th;
  Value head = NIL, tail = NIL;
  for (;;) {
    uint32_t c = skip_ws_no_eof(r);
    if (c == close)
      return head;
    Value x = read_from_char(r, c, dots);
    if (x == NO_OBJECT)
      continue;
    if (x == DOT_OBJECT) {
      if (head == NIL)
        reader_error(th, r->stream, "Dot context error.", 0);
      Value last = NO_OBJECT;
      for (;;) {
        c = skip_ws_no_eof(r);
        if (c == close)
          break;
        x = read_from_char(r, c, false);
        if (x == NO_OBJECT)
          continue;
        if (last != NO_OBJECT)
          reader_error(th, r->stream, "Dot context error.", 0);
        last = x;
      }
      if (last == NO_OBJECT)
        reader_error(th, r->stream, "Dot context error.", 0);
      CDR(tail) = last;
      return head;
    }
    Value cell = cons(th, x, NIL);
    if (head == NIL)
      head = cell;
    else
      CDR(tail) = cell;
    tail = cell;
  }
}

static Value read_string(Reader *r, uint32_t close) {
  Thread *th = r->th;
  Token t;
  tok_init(&t);
  for (;;) {
    uint32_t c = rd_no_eof(r);
    if (c == close)
      break;
    if (syntax_of(c) == SX_SINGLE_ESCAPE)
      c = rd_no_eof(r);
    tok_add(th, &t, c);
  }
  if (r->suppress)
    return NIL;
  Value s = make_string_n(th, t.len);
  memcpy(string_of(s)->data, t.buf, t.len * sizeof(uint32_t));
  return s;
}

static Value read_comma(Reader *r) {
  Thread *th = r->th;
  if (r->bq_depth <= 0)
    reader_error(th, r->stream, "Comma not inside backquote", 0);
  uint32_t c = rd_no_eof(r);
  Value op = SYM(comma);
  if (c == '@')
    op = SYM(comma_at);
  else if (c == '.')
    op = SYM(comma_dot);
  else
    unrd(r, c);
  r->bq_depth--;
  Value x = read_next(r);
  r->bq_depth++;
  return list2(th, op, x);
}

static Value read_dispatch(Reader *r);

static Value read_from_char(Reader *r, uint32_t c, bool dot_ok) {
  Thread *th = r->th;
  check_stack(th); /* deeply nested input: a Lisp error, not a crash */
  switch (c) {
  case '(':
    return read_list(r, ')', true);
  case ')':
    reader_error(th, r->stream, "Unmatched ')'.", 0);
  case '\'':
    return list2(th, SYM(quote), read_next(r));
  case ';':
    for (;;) {
      int32_t ch = rd(r);
      if (ch < 0 || ch == '\n')
        return NO_OBJECT;
    }
  case '"':
    return read_string(r, '"');
  case '`': {
    r->bq_depth++;
    Value x = read_next(r);
    r->bq_depth--;
    return list2(th, SYM(backquote), x);
  }
  case ',':
    return read_comma(r);
  case '#':
    return read_dispatch(r);
  default:
    break;
  }
  if (syntax_of(c) == SX_INVALID)
    reader_error(th, r->stream, "Illegal character ~S.", 1, make_char(c));
  Token t;
  tok_init(&t);
  read_token(r, &t, c);
  return token_value(r, &t, dot_ok);
}

/* ---- # dispatch ---- */

typedef struct Dispatch {
  uint32_t sub; /* sub-character, upcased */
  bool has_arg;
  intptr_t arg; /* saturates at FIXNUM_MAX */
} Dispatch;

static void no_arg(Reader *r, const Dispatch *d) {
  if (d->has_arg && !r->suppress)
    reader_error(r->th, r->stream, "Spurious numeric argument in #~D~A reader macro .", 2,
                 make_fixnum(d->arg), make_char(d->sub));
}

static void need_arg(Reader *r, const Dispatch *d) {
  if (!d->has_arg && !r->suppress)
    reader_error(r->th, r->stream, "Reader dispatch macro character ~S requires an argument.", 1,
                 make_char(d->sub));
}

static Value read_char_literal(Reader *r) {
  Thread *th = r->th;
  Token t;
  tok_init(&t);
  t.no_package = true;
  read_token(r, &t, '\\');
  if (r->suppress)
    return NIL;
  if (t.len == 1)
    return make_char(t.buf[0] & ~ESC_BIT);
  Value name = tok_string(th, &t, 0, t.len, false);
  Value ch = name_char(th, name);
  if (ch == NIL)
    reader_error(th, r->stream, "Unknown character name - \"~A\" .", 1, name);
  return ch;
}

/* CCL's #$NAME: the value of the C constant NAME (case kept), e.g. #$SOL_SOCKET. CCL
 * reads it from its interface database; Clove knows the ones builtins/os_constants.c lists. */
static Value read_os_constant(Reader *r) {
  Thread *th = r->th;
  Token t;
  tok_init(&t);
  t.no_package = true;
  read_token(r, &t, rd_no_eof(r));
  if (r->suppress)
    return NIL;
  Value name = tok_string(th, &t, 0, t.len, false);
  char *cname = string_to_cstr(name);
  intptr_t v = 0;
  bool found = cname && os_constant(cname, &v);
  free(cname);
  if (!found)
    simple_error(th, "Constant not found: ~A", name);
  return make_integer(th, v);
}

static Value read_vector(Reader *r, const Dispatch *d) {
  Thread *th = r->th;
  Value items = read_list(r, ')', false);
  if (r->suppress)
    return NIL;
  intptr_t n = list_length(items);
  intptr_t size = d->has_arg ? d->arg : n;
  if (n > size)
    reader_error(th, r->stream, "Vector longer than specified length: #~D(...) has ~D elements.", 2,
                 make_fixnum(size), make_fixnum(n));
  if (n == 0 && size > 0)
    reader_error(th, r->stream, "#~D( needs at least one element to fill the vector with.", 1,
                 make_fixnum(size));
  Value v = make_svector(th, (size_t)size, NIL);
  Value last = NIL;
  for (intptr_t i = 0; i < size; i++) {
    if (is_cons(items)) {
      last = CAR(items);
      items = CDR(items);
    }
    svec_of(v)->data[i] = last;
  }
  return v;
}

static Value read_uninterned(Reader *r) {
  Thread *th = r->th;
  uint32_t c = skip_ws_no_eof(r);
  enum Syntax sx = syntax_of(c);
  if (r->suppress) {
    read_from_char(r, c, false);
    return NIL;
  }
  if (sx == SX_TERMINATING || sx == SX_INVALID)
    reader_error(th, r->stream, "Illegal symbol syntax.", 0);
  Token t;
  tok_init(&t);
  read_token(r, &t, c);
  if (r->suppress)
    return NIL;
  if (t.pkg_end >= 0 || (!tok_escaped(&t) && number_token_p(t.buf, t.len, read_base(th))))
    reader_error(th, r->stream, "Illegal symbol syntax.", 0);
  return make_symbol(th, tok_string(th, &t, 0, t.len, true));
}

static Value read_rational(Reader *r, unsigned base) {
  Thread *th = r->th;
  uint32_t c = skip_ws_no_eof(r);
  Token t;
  tok_init(&t);
  read_token(r, &t, c);
  if (r->suppress)
    return NIL;
  Value x = UNBOUND;
  if (!tok_escaped(&t) && t.pkg_end < 0)
    x = reader_parse_number(th, t.buf, t.len, base, r->stream);
  if (!is_rational(x))
    reader_error(th, r->stream, "Malformed number in a #b/#o/#x/#r macro.", 0);
  return x;
}

static bool feature_true(Reader *r, Value f) {
  Thread *th = r->th;
  if (!is_cons(f))
    return memq_list(f, symbol_value_or(th, SYM(features), NIL));
  Value op = CAR(f), args = CDR(f);
  if (list_length(args) < 0)
    reader_error(th, r->stream, "Illegal #+/- expression ~S.", 1, f);
  if (op == keyword_c(th, "NOT"))
    return !feature_true(r, is_cons(args) ? CAR(args) : NIL);
  if (op == keyword_c(th, "AND")) {
    for (; is_cons(args); args = CDR(args))
      if (!feature_true(r, CAR(args)))
        return false;
    return true;
  }
  if (op == keyword_c(th, "OR")) {
    for (; is_cons(args); args = CDR(args))
      if (feature_true(r, CAR(args)))
        return true;
    return false;
  }
  reader_error(th, r->stream, "Illegal #+/- expression ~S.", 1, f);
}

static Value read_conditional(Reader *r, bool plus) {
  Thread *th = r->th;
  size_t top = th->dyn_top;
  bind_special(th, SYM(package), th->vm->pkg_keyword);
  Value f = read_next(r);
  unwind_to(th, top);
  bool ok = !r->suppress && feature_true(r, f);
  if (ok == plus)
    return read_next(r);
  bool saved = r->suppress;
  r->suppress = true;
  read_next(r);
  r->suppress = saved;
  return NO_OBJECT;
}

static Value skip_block_comment(Reader *r) {
  int depth = 1;
  uint32_t prev = 0;
  while (depth > 0) {
    uint32_t c = rd_no_eof(r);
    if (prev == '|' && c == '#') {
      depth--;
      c = 0;
    } else if (prev == '#' && c == '|') {
      depth++;
      c = 0;
    }
    prev = c;
  }
  return NO_OBJECT;
}

static Value make_bit_vector(Thread *th, size_t n) {
  NumVec *v = gc_alloc(th, T_NUMVEC, sizeof(NumVec) + (n + 63) / 64 * sizeof(uint64_t));
  v->h.flags = NV_BIT;
  v->len = n;
  return obj_value(v);
}

static Value read_bit_vector(Reader *r, const Dispatch *d) {
  Thread *th = r->th;
  Token t;
  tok_init(&t);
  t.no_package = true;
  int32_t c = rd(r);
  if (c >= 0) {
    if (syntax_of((uint32_t)c) == SX_TERMINATING || syntax_of((uint32_t)c) == SX_WHITESPACE)
      unrd(r, (uint32_t)c);
    else
      read_token(r, &t, (uint32_t)c);
  }
  if (r->suppress)
    return NIL;
  if (tok_escaped(&t))
    reader_error(th, r->stream, "reader macro #* got escaped characters", 0);
  size_t n = t.len;
  size_t size = d->has_arg ? (size_t)d->arg : n;
  if (d->has_arg && n > size)
    reader_error(th, r->stream, "reader macro #~D* got too many bits", 1, make_fixnum(d->arg));
  if (d->has_arg && size > 0 && n == 0)
    reader_error(th, r->stream, "reader macro #~D* needs at least one bit", 1, make_fixnum(d->arg));
  for (size_t i = 0; i < n; i++)
    if (t.buf[i] != '0' && t.buf[i] != '1')
      reader_error(th, r->stream, "reader macro #* got ~S which is not a binary digit", 1,
                   make_char(t.buf[i]));
  Value v = make_bit_vector(th, size);
  uint64_t *words = ((NumVec *)v)->data;
  uint32_t bit = 0;
  for (size_t i = 0; i < size; i++) {
    if (i < n)
      bit = t.buf[i] - '0';
    if (bit)
      words[i / 64] |= (uint64_t)1 << (i % 64);
  }
  return v;
}

/* #nA: the dimensions come from the first element at each level. */
static bool seq_length(Value x, size_t *len) {
  if (x == NIL || is_cons(x)) {
    intptr_t n = list_length(x);
    if (n < 0)
      return false;
    *len = (size_t)n;
    return true;
  }
  if (is_type(x, T_SVECTOR))
    return *len = svec_of(x)->len, true;
  if (is_string(x))
    return *len = string_of(x)->len, true;
  return false;
}

static Value seq_elt(Value x, size_t i) {
  if (is_type(x, T_SVECTOR))
    return svec_of(x)->data[i];
  if (is_string(x))
    return make_char(string_of(x)->data[i]);
  while (i-- > 0)
    x = CDR(x);
  return CAR(x);
}

static void fill_array(Reader *r, Value contents, const size_t *dims, size_t rank, size_t level, Value *out,
                       size_t *pos, intptr_t arg) {
  size_t len;
  if (!seq_length(contents, &len) || len != dims[level])
    reader_error(r->th, r->stream, "Initial contents ~S of a #~DA array do not match its dimensions.", 2,
                 contents, make_fixnum(arg));
  for (size_t i = 0; i < len; i++) {
    Value e = seq_elt(contents, i);
    if (level + 1 == rank)
      out[(*pos)++] = e;
    else
      fill_array(r, e, dims, rank, level + 1, out, pos, arg);
  }
}

static Value read_array(Reader *r, const Dispatch *d) {
  Thread *th = r->th;
  if (r->suppress) {
    read_next(r);
    return NIL;
  }
  if (!d->has_arg)
    reader_error(th, r->stream, "reader macro #A used without a rank integer", 0);
  Value contents = read_next(r);
  size_t rank = (size_t)d->arg;
  if (rank > 64)
    reader_error(th, r->stream, "Rank ~D of #A is too large.", 1, make_fixnum(d->arg));
  size_t dims[64];
  size_t total = 1;
  Value x = contents;
  for (size_t i = 0; i < rank; i++) {
    if (!seq_length(x, &dims[i]))
      reader_error(th, r->stream,
                   "The form following a #~SA reader macro should have been a sequence, but it was: ~S", 2,
                   make_fixnum(d->arg), contents);
    total *= dims[i];
    x = dims[i] > 0 ? seq_elt(x, 0) : NIL;
    if (dims[i] == 0)
      for (size_t j = i + 1; j < rank; j++)
        dims[j] = 0;
    if (dims[i] == 0)
      break;
  }
  Value data = make_svector(th, rank == 0 ? 1 : total, NIL);
  if (rank == 0) {
    svec_of(data)->data[0] = contents;
    total = 1;
  } else if (total > 0) {
    size_t pos = 0;
    fill_array(r, contents, dims, rank, 0, svec_of(data)->data, &pos, d->arg);
  }
  if (rank == 1)
    return data;
  Array *a = gc_alloc(th, T_ARRAY, sizeof(Array) + rank * sizeof(size_t));
  a->data = data;
  a->offset = 0;
  a->fill = total;
  a->total = total;
  a->rank = (uint32_t)rank;
  for (size_t i = 0; i < rank; i++)
    a->dims[i] = dims[i];
  return obj_value(a);
}

/* #n= records are simple vectors [label, value or UNBOUND, referenced-p]; until its
 * object is complete, a record stands for itself in what #n# returns. */
enum { LBL_N, LBL_VALUE, LBL_USED, LBL_SIZE };

static Value find_label(Reader *r, intptr_t n) {
  for (Value l = r->labels; is_cons(l); l = CDR(l))
    if (svec_of(CAR(l))->data[LBL_N] == make_fixnum(n))
      return CAR(l);
  return NIL;
}

/* Replaces the placeholder by the finished object everywhere in it (circularly
 * shared structure included), with an explicit work list rather than recursion. */
static void label_subst(Thread *th, Value root, Value placeholder, Value value) {
  Value seen = make_hash_table(th, HT_EQ, 64);
  Value work = list1(th, root);
  while (work != NIL) {
    Value o = CAR(work);
    work = CDR(work);
    if (!is_cons(o) && !is_type(o, T_SVECTOR) && !is_type(o, T_ARRAY))
      continue;
    if (hash_get(th, seen, o, NIL) != NIL)
      continue;
    hash_put(th, seen, o, SYM(t));
    if (is_cons(o)) {
      if (CAR(o) == placeholder)
        CAR(o) = value;
      else
        work = cons(th, CAR(o), work);
      if (CDR(o) == placeholder)
        CDR(o) = value;
      else
        work = cons(th, CDR(o), work);
    } else if (is_type(o, T_SVECTOR)) {
      SVector *v = svec_of(o);
      for (size_t i = 0; i < v->len; i++) {
        if (v->data[i] == placeholder)
          v->data[i] = value;
        else
          work = cons(th, v->data[i], work);
      }
    } else {
      work = cons(th, array_of(o)->data, work);
    }
  }
}

static Value read_label_def(Reader *r, const Dispatch *d) {
  Thread *th = r->th;
  if (r->suppress)
    return NO_OBJECT;
  need_arg(r, d);
  if (find_label(r, d->arg) != NIL)
    reader_error(th, r->stream, "Duplicate #~S= label.", 1, make_fixnum(d->arg));
  Value rec = make_svector(th, LBL_SIZE, NIL);
  svec_of(rec)->data[LBL_N] = make_fixnum(d->arg);
  svec_of(rec)->data[LBL_VALUE] = UNBOUND;
  r->labels = cons(th, rec, r->labels);
  Value x = read_next(r);
  if (x == rec)
    reader_error(th, r->stream, "Missing #~S# label.", 1, make_fixnum(d->arg));
  svec_of(rec)->data[LBL_VALUE] = x;
  if (svec_of(rec)->data[LBL_USED] != NIL)
    label_subst(th, x, rec, x);
  return x;
}

static Value read_label_ref(Reader *r, const Dispatch *d) {
  Thread *th = r->th;
  if (r->suppress)
    return NIL;
  need_arg(r, d);
  Value rec = find_label(r, d->arg);
  if (rec == NIL)
    reader_error(th, r->stream, "Missing #~S# label.", 1, make_fixnum(d->arg));
  if (svec_of(rec)->data[LBL_VALUE] != UNBOUND)
    return svec_of(rec)->data[LBL_VALUE];
  svec_of(rec)->data[LBL_USED] = SYM(t);
  return rec;
}

static Value read_dispatch(Reader *r) {
  Thread *th = r->th;
  Dispatch d = {0, false, 0};
  uint32_t c = rd_no_eof(r);
  while (c >= '0' && c <= '9') {
    d.has_arg = true;
    if (d.arg <= (FIXNUM_MAX - 9) / 10)
      d.arg = d.arg * 10 + (intptr_t)(c - '0');
    else
      d.arg = FIXNUM_MAX;
    c = rd_no_eof(r);
  }
  d.sub = reader_upcase(c);
  switch (d.sub) {
  case '\\':
    no_arg(r, &d);
    return read_char_literal(r);
  case '\'':
    no_arg(r, &d);
    return list2(th, SYM(function), read_next(r));
  case '(':
    return read_vector(r, &d);
  case ':':
    no_arg(r, &d);
    return read_uninterned(r);
  case '$':
    no_arg(r, &d);
    return read_os_constant(r);
  case '.': {
    no_arg(r, &d);
    if (symbol_value_or(th, SYM(read_eval), SYM(t)) == NIL)
      reader_error(th, r->stream, "#. reader macro invoked when ~S is false .", 1, SYM(read_eval));
    Value form = read_next(r);
    return r->suppress ? NIL : eval_form(th, form);
  }
  case 'B':
    no_arg(r, &d);
    return read_rational(r, 2);
  case 'O':
    no_arg(r, &d);
    return read_rational(r, 8);
  case 'X':
    no_arg(r, &d);
    return read_rational(r, 16);
  case 'R':
    if (!r->suppress) {
      if (!d.has_arg)
        reader_error(th, r->stream, "Numeric argument required for #~A reader macro .", 1, make_char('R'));
      if (d.arg < 2 || d.arg > 36)
        reader_error(th, r->stream, "Bad radix ~D in #R macro.", 1, make_fixnum(d.arg));
    }
    return read_rational(r, r->suppress ? 10 : (unsigned)d.arg);
  case '+':
  case '-':
    return read_conditional(r, d.sub == '+');
  case '|':
    no_arg(r, &d);
    return skip_block_comment(r);
  case '*':
    return read_bit_vector(r, &d);
  case 'A':
    return read_array(r, &d);
  case '=':
    return read_label_def(r, &d);
  case '#':
    return read_label_ref(r, &d);
  case 'P': {
    Value x = read_next(r);
    if (r->suppress)
      return NIL;
    if (!is_any_string(x))
      reader_error(th, r->stream, "#P requires a namestring, not ~S.", 1, x);
    return x;
  }
  case 'C': {
    no_arg(r, &d);
    Value x = read_next(r);
    if (r->suppress)
      return NIL;
    reader_error(th, r->stream, "Complex numbers are not supported: #C~S.", 1, x);
  }
  case 'S': {
    Value x = read_next(r);
    if (r->suppress)
      return NIL;
    Value s = structure_from_sharp_s(th, x);
    if (s == UNBOUND)
      reader_error(th, r->stream, "Can't initialize structure from ~S.", 1, x);
    return s;
  }
  case '<':
    reader_error(th, r->stream, "~S encountered.", 1, make_string_c(th, "#<"));
  case ')':
    reader_error(th, r->stream, "~S encountered.", 1, make_string_c(th, "#)"));
  default:
    if (syntax_of(c) == SX_WHITESPACE)
      reader_error(th, r->stream, "~S encountered.", 1, make_string_c(th, "#<whitespace>"));
    reader_error(th, r->stream, "Undefined character ~S in a ~S dispatch macro.", 2, make_char(d.sub),
                 make_char('#'));
  }
}

/* ---- Entry points ---- */

static void reader_init(Reader *r, Thread *th, Value stream, bool preserve_ws) {
  r->th = th;
  r->stream = stream;
  r->labels = NIL;
  r->bq_depth = 0;
  r->suppress = symbol_value_or(th, SYM(read_suppress), NIL) != NIL;
  r->preserve_ws = preserve_ws;
  r->start_line = r->start_column = 0;
}

Value lisp_read(Thread *th, Value stream, bool eof_error, Value eof_value, bool recursive, bool preserve_ws) {
  UNUSED(recursive);
  Reader r;
  reader_init(&r, th, stream, preserve_ws);
  for (;;) {
    int32_t c = skip_ws(&r);
    if (c < 0) {
      if (eof_error)
        reader_eof(th, stream);
      return eof_value;
    }
    note_start(&r);
    Value x = read_from_char(&r, (uint32_t)c, false);
    if (x != NO_OBJECT) {
      if (is_stream(stream)) stream_of(stream)->form_line = r.start_line;
      return r.suppress ? NIL : x;
    }
  }
}

Value read_delimited_list(Thread *th, Value stream, uint32_t close, bool recursive) {
  UNUSED(recursive);
  Reader r;
  reader_init(&r, th, stream, false);
  note_start(&r);
  Value l = read_list(&r, close, true);
  return r.suppress ? NIL : l;
}

Value read_from_cstring(Thread *th, const char *s) {
  Value str = make_string_utf8(th, s, strlen(s));
  Value stream = make_string_input_stream(th, str, 0, string_of(str)->len);
  return lisp_read(th, stream, true, NIL, false, false);
}
