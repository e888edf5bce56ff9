/* format_parse.c — FORMAT's directive parser and interpreter loop: CCL's SUB-FORMAT,
 * PARSE-FORMAT-OPERATION and FORMAT-FIND-COMMAND, argument popping and parameter checks. */
#include "../interp/control.h"
#include "format.h"

static bool is_digit(uint32_t c) { return c >= '0' && c <= '9'; }
static uint32_t upcase_ascii(uint32_t c) { return c >= 'a' && c <= 'z' ? c - 32 : c; }

/* ---- Arguments ---- */

Value pop_arg(Fmt *F) {
  Thread *th = F->th;
  Value args = F->args;
  if (F->block_tag != NIL) {
    /* CCL's PPRINT-POP-CHECK+: a logical block ends at a dotted tail or *print-length*. */
    if (!is_list(args)) {
      stream_write_cstr(th, F->block_stream, ". ");
      write_object(th, args, F->block_stream);
      format_block_exit(F);
    }
    Value len = symbol_value(th, SYM(print_length));
    if (is_fixnum(len) && F->block_count >= fixnum_val(len)) {
      stream_write_cstr(th, F->block_stream, "...");
      format_block_exit(F);
    }
    F->block_count++;
    if (args == NIL)
      return NIL;
  } else if (args == NIL) {
    format_error(F, "Missing argument", 0);
  }
  if (!is_cons(args))
    type_error(th, args, SYM(list));
  F->args = CDR(args);
  return CAR(args);
}

/* ---- Parameter checks ---- */

void check_params(Fmt *F, const Directive *d, int max) {
  if (d->nparams > max)
    format_error(F, "Too many parameters", 0);
}

void no_flags(Fmt *F, bool colon, bool atsign) {
  if (colon && atsign)
    format_error(F, "Flags not allowed", 0);
  if (colon)
    format_error(F, ": flag not allowed", 0);
  if (atsign)
    format_error(F, "@ flag not allowed", 0);
}

void no_semi(Fmt *F, uint32_t ch, bool colon, bool atsign) {
  Thread *th = F->th;
  if (F->shared->justification_semi)
    format_error(F, "~~~:[~;:~]~:[~;@~]~c illegal in this context", 3, BOOL(th, colon), BOOL(th, atsign),
                 make_char(ch));
  F->shared->pprint = true;
}

intptr_t param_int(Fmt *F, const Directive *d, int i, intptr_t dflt) {
  Thread *th = F->th;
  Value v = param(d, i);
  if (v == NIL)
    return dflt;
  if (is_fixnum(v))
    return fixnum_val(v);
  if (is_integer(v)) /* too large to mean anything but a huge count: clamp like a fixnum would overflow */
    type_error(th, v, SYM(fixnum));
  type_error(th, v, SYM(integer));
}

uint32_t param_char(Fmt *F, const Directive *d, int i, uint32_t dflt) {
  Thread *th = F->th;
  Value v = param(d, i);
  if (v == NIL)
    return dflt;
  if (!is_char(v))
    type_error(th, v, SYM(character));
  return char_code(v);
}

/* ---- Parameters as SUB-FORMAT reads them ---- */

/* A signed decimal parameter s[start, end): a fixnum, or an integer built digit by digit. */
static Value parse_integer_param(Thread *th, const uint32_t *s, size_t start, size_t end, bool *ok) {
  bool neg = false;
  size_t i = start;
  if (s[i] == '+' || s[i] == '-')
    neg = s[i++] == '-';
  if (i == end) {
    *ok = false;
    return NIL;
  }
  *ok = true;
  intptr_t n = 0;
  for (; i < end; i++) {
    if (n > (FIXNUM_MAX - 9) / 10)
      break;
    n = n * 10 + (intptr_t)(s[i] - '0');
  }
  Value v = make_fixnum(neg ? -n : n);
  for (; i < end; i++) { /* beyond a fixnum: rare, so plain generic arithmetic */
    Value d = make_fixnum(neg ? -(intptr_t)(s[i] - '0') : (intptr_t)(s[i] - '0'));
    v = number_add(th, number_mul(th, v, make_fixnum(10)), d);
  }
  return v;
}

static Value args_length(Fmt *F) {
  Thread *th = F->th;
  intptr_t n = list_length(F->args);
  if (n < 0)
    type_error(th, F->args, SYM(list));
  return make_fixnum(n);
}

NORETURN static void premature_end(Fmt *F, size_t end) {
  F->index = end;
  format_error(F, "Premature end of control string", 0);
}

static void push_param(Directive *d, Value v) {
  if (d->nparams < FMT_MAX_PARAMS)
    d->params[d->nparams] = v;
  d->nparams++;
}

/* SUB-FORMAT's own parse of the directive after the ~ at tilde, within s[.., end). */
static void read_directive(Fmt *F, size_t tilde, size_t end, Directive *d) {
  const uint32_t *s = F->s;
  size_t i = tilde + 1;
  uint32_t c;
  d->tilde = tilde;
  d->nparams = 0;
  d->colon = d->atsign = false;
  for (;;) {
    if (i == end)
      premature_end(F, end);
    c = s[i++];
    if (c == '#') {
      push_param(d, args_length(F));
    } else if (c == '\'') {
      if (i == end)
        premature_end(F, end);
      push_param(d, make_char(s[i++]));
    } else if (c == ',') {
      push_param(d, NIL);
      continue;
    } else if (c == 'V' || c == 'v') {
      push_param(d, pop_arg(F));
    } else if (c == '+' || c == '-' || is_digit(c)) {
      size_t start = i - 1;
      for (;;) {
        if (i == end)
          premature_end(F, end);
        if (!is_digit(s[i]))
          break;
        i++;
      }
      bool ok;
      Value n = parse_integer_param(F->th, s, start, i, &ok);
      if (!ok) {
        F->index = i;
        format_error(F, "Illegal parameter", 0);
      }
      push_param(d, n);
    } else {
      break;
    }
    if (i == end)
      premature_end(F, end);
    c = s[i++];
    if (c != ',')
      break;
  }
  if (c == ':') {
    if (i == end)
      premature_end(F, end);
    d->colon = true;
    c = s[i++];
    if (c == '@') {
      if (i == end)
        premature_end(F, end);
      d->atsign = true;
      c = s[i++];
    }
  } else if (c == '@') {
    if (i == end)
      premature_end(F, end);
    d->atsign = true;
    c = s[i++];
    if (c == ':') {
      if (i == end)
        premature_end(F, end);
      d->colon = true;
      c = s[i++];
    }
  }
  d->pos = i - 1;
  d->ch = upcase_ascii(c);
}

/* ---- SUB-FORMAT ---- */

static int dispatch(Fmt *F, Value stream, Directive *d) {
  switch (d->ch) {
  case 'A':
  case 'S':
  case 'W':
  case 'D':
  case 'B':
  case 'O':
  case 'X':
  case 'R':
  case 'P':
  case 'C':
    return format_print_directive(F, stream, d);
  case 'F':
  case 'E':
  case 'G':
  case '$':
    return format_float_directive(F, stream, d);
  case '%':
  case '&':
  case '~':
  case '|':
  case '\n':
  case '\r':
  case 'T':
  case '*':
  case '?':
  case '(':
  case '^':
  case '[':
  case '{':
  case '<':
  case '/':
  case 'I':
  case '_':
    return format_control_directive(F, stream, d);
  default:
    format_error(F, "Unknown directive", 0);
  }
}

int sub_format(Fmt *F, Value stream, size_t start, size_t end) {
  Thread *th = F->th;
  check_stack(th); /* ~@? can nest as deep as there are arguments */
  size_t saved_index = F->index, saved_end = F->end;
  F->index = start;
  F->end = end;
  size_t i = start, last = start;
  int r = FMT_DONE;
  while (i < end) {
    const uint32_t *s = F->s;
    size_t t = i;
    while (t < end && s[t] != '~')
      t++;
    if (t > last)
      stream_write_chars(th, stream, s + last, t - last);
    if (t >= end)
      break;
    Directive d;
    read_directive(F, t, end, &d);
    F->index = d.pos;
    r = dispatch(F, stream, &d);
    if (r != FMT_DONE)
      break;
    i = last = F->index + 1;
  }
  F->index = saved_index;
  F->end = saved_end;
  return r;
}

/* ---- PARSE-FORMAT-OPERATION and FORMAT-FIND-COMMAND ---- */

static uint32_t next_char(Fmt *F) {
  size_t i = F->index + 1;
  F->index = i;
  if (i >= F->end)
    format_error(F, "Syntax error", 0);
  return F->s[i];
}

/* FORMAT-GET-PARAMETER: leaves F->index on the first character after the parameter. */
static Value get_parameter(Fmt *F, uint32_t ch) {
  switch (ch) {
  case '#':
    next_char(F);
    return args_length(F);
  case 'V':
  case 'v': {
    Value v = pop_arg(F);
    next_char(F);
    return v;
  }
  case '\'': {
    uint32_t c = next_char(F);
    next_char(F);
    return make_char(c);
  }
  default:
    if (ch == '-' || ch == '+' || is_digit(ch)) {
      bool neg = ch == '-';
      size_t start = F->index;
      if (!is_digit(ch) && !is_digit(next_char(F)))
        format_error(F, "Illegal parameter", 0);
      while (is_digit(next_char(F))) {
      }
      bool ok;
      Value n = parse_integer_param(F->th, F->s, start + (is_digit(F->s[start]) ? 0 : 1), F->index, &ok);
      return neg ? number_sub(F->th, make_fixnum(0), n) : n;
    }
    return NIL;
  }
}

/* FORMAT-SKIP-PARAMETER */
static void skip_parameter(Fmt *F, uint32_t ch) {
  switch (ch) {
  case 'V':
  case 'v':
  case '#':
    next_char(F);
    break;
  case '\'':
    next_char(F);
    next_char(F);
    break;
  case ',':
    break;
  default:
    if (ch == '-' || ch == '+')
      next_char(F);
    while (is_digit(next_char(F))) {
    }
  }
}

static bool starts_param(uint32_t ch) {
  return is_digit(ch) || ch == '-' || ch == ',' || ch == '#' || ch == 'V' || ch == 'v' || ch == '\'';
}

void parse_directive(Fmt *F, size_t tilde, bool get_params, Directive *d) {
  F->index = tilde;
  d->tilde = tilde;
  d->nparams = 0;
  d->colon = d->atsign = false;
  uint32_t ch = next_char(F);
  if (starts_param(ch)) {
    if (get_params) {
      push_param(d, get_parameter(F, ch));
      while ((ch = F->s[F->index]) == ',') {
        ch = next_char(F);
        push_param(d, get_parameter(F, ch));
      }
    } else {
      d->nparams = 1; /* only "there were some", for the error messages */
      skip_parameter(F, ch);
      while ((ch = F->s[F->index]) == ',') {
        ch = next_char(F);
        skip_parameter(F, ch);
      }
    }
  }
  if (ch == ':') {
    d->colon = true;
    ch = next_char(F);
    if (ch == '@') {
      d->atsign = true;
      ch = next_char(F);
    }
  } else if (ch == '@') {
    d->atsign = true;
    ch = next_char(F);
    if (ch == ':') {
      d->colon = true;
      ch = next_char(F);
    }
  }
  d->pos = F->index;
  d->ch = ch; /* as written: FORMAT-FIND-COMMAND compares characters exactly */
}

static Value char_list(Thread *th, const char *chars) {
  Value l = NIL;
  for (size_t i = strlen(chars); i-- > 0;)
    l = cons(th, make_char((unsigned char)chars[i]), l);
  return l;
}

static size_t find_tilde(Fmt *F, size_t from) {
  for (size_t i = from; i < F->end; i++)
    if (F->s[i] == '~')
      return i;
  return (size_t)-1;
}

void find_command(Fmt *F, const char *chars, bool get_params, bool evil, Directive *d) {
  for (;;) {
    size_t tilde = find_tilde(F, F->index);
    if (tilde == (size_t)-1)
      format_error(F, "Expecting one of ~S", 1, char_list(F->th, chars));
    parse_directive(F, tilde, get_params, d);
    uint32_t c = d->ch;
    if (c < 128 && c && strchr(chars, (int)c))
      return;
    if (evil &&
        (c == 'w' || c == 'W' || c == '_' || c == 'i' || c == 'I' || (d->colon && (c == 't' || c == 'T'))))
      format_error(F, "Illegal in this context", 0);
    Directive inner;
    switch (c) {
    case '{':
      next_char(F);
      find_command(F, "}", false, false, &inner);
      break;
    case '(':
      next_char(F);
      find_command(F, ")", false, false, &inner);
      break;
    case '[':
      next_char(F);
      find_command(F, "]", false, false, &inner);
      break;
    case '<':
      next_char(F);
      find_command(F, ">", false, false, &inner);
      if (evil && inner.colon)
        format_error(F, "Logical-block directive not allowed inside justification directive", 0);
      break;
    case '~':
      next_char(F);
      break;
    case '}':
    case '>':
    case ')':
    case ']':
      format_error(F, "No matching bracket", 0);
    default:
      break;
    }
  }
}

void find_command_no_params(Fmt *F, const char *chars, bool colon_ok, bool atsign_ok, Directive *d) {
  find_command(F, chars, false, false, d);
  if (d->nparams)
    format_error(F, "Too many parameters", 0);
  no_flags(F, !colon_ok && d->colon, !atsign_ok && d->atsign);
}
