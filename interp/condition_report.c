/* condition_report.c — what conditions say: the report of each standard condition class
 * in CCL's words, user :REPORT functions, a small FORMAT for reports until the real one
 * is loaded, and CCL's "> Error: ..." / "; Warning: ..." messages. */
#include <stdio.h>

#include "stream.h"
#include "types_internal.h"

/* ---- A small FORMAT ---- */

typedef struct FmtArgs {
  Value rest; /* arguments not yet used */
  Value prev; /* the last one used, for ~:P */
} FmtArgs;

static Value next_arg(FmtArgs *a) {
  if (!is_cons(a->rest))
    return a->prev = NIL;
  a->prev = CAR(a->rest);
  a->rest = CDR(a->rest);
  return a->prev;
}

static uint32_t upcase(uint32_t c) { return c >= 'a' && c <= 'z' ? c - 32 : c; }
static bool digit(uint32_t c) { return c >= '0' && c <= '9'; }

/* Skips a directive's parameters and modifiers from i (just after '~'); returns the
 * index of the directive character (n if the string ends first). */
static size_t directive_at(const uint32_t *s, size_t n, size_t i) {
  while (i < n) {
    if (s[i] == '\'' && i + 1 < n)
      i += 2;
    else if (digit(s[i]) || s[i] == ',' || s[i] == 'v' || s[i] == 'V' || s[i] == '#' || s[i] == '+' ||
             s[i] == '-' || s[i] == ':' || s[i] == '@')
      i++;
    else
      break;
  }
  return i;
}

/* The index of the '~' of the directive that closes the one opened before start
 * (close: '}' or ']'); separators (~; at depth 0) are recorded in seps. */
static size_t find_close(const uint32_t *s, size_t n, size_t start, uint32_t close, size_t *seps, int *nseps,
                         int maxseps) {
  int depth = 0;
  for (size_t i = start; i < n; i++) {
    if (s[i] != '~')
      continue;
    size_t d = directive_at(s, n, i + 1);
    if (d >= n)
      return n;
    uint32_t c = s[d];
    if (c == '{' || c == '[' || c == '(' || c == '<')
      depth++;
    else if (c == '}' || c == ']' || c == ')' || c == '>') {
      if (depth == 0 && c == close)
        return i;
      depth--;
    } else if (c == ';' && depth == 0 && seps && *nseps < maxseps)
      seps[(*nseps)++] = i;
    i = d;
  }
  return n;
}

static void write_ascii(Thread *th, Value stream, const char *s) { stream_write_cstr(th, stream, s); }

static bool mini_format(Thread *th, Value stream, const uint32_t *s, size_t n, FmtArgs *a);

static void format_sub(Thread *th, Value stream, Value control, FmtArgs *a) {
  size_t len;
  const uint32_t *chars = string_chars(control, &len);
  if (chars)
    mini_format(th, stream, chars, len, a);
  else if (is_function(control) || (is_symbol(control) && control != NIL)) {
    a->rest = apply_list(th, control, cons(th, stream, a->rest));
  } else
    print_object(th, control, stream, false);
}

/* Returns false when ~^ ended the string early. */
static bool mini_format(Thread *th, Value stream, const uint32_t *s, size_t n, FmtArgs *a) {
  for (size_t i = 0; i < n; i++) {
    if (s[i] != '~') {
      stream_write_char(th, stream, s[i]);
      continue;
    }
    intptr_t param = -1;
    bool colon = false, at = false;
    size_t j = i + 1;
    while (j < n) {
      if (s[j] == '\'' && j + 1 < n) {
        param = (intptr_t)s[j + 1];
        j += 2;
      } else if (s[j] == 'v' || s[j] == 'V') {
        Value v = next_arg(a);
        param = is_fixnum(v) ? fixnum_val(v) : -1;
        j++;
      } else if (s[j] == '#') {
        param = list_length(a->rest);
        j++;
      } else if (digit(s[j])) {
        param = 0;
        while (j < n && digit(s[j]))
          param = param * 10 + (intptr_t)(s[j++] - '0');
      } else if (s[j] == ',') {
        j++;
      } else if (s[j] == ':') {
        colon = true;
        j++;
      } else if (s[j] == '@') {
        at = true;
        j++;
      } else
        break;
    }
    if (j >= n)
      break;
    i = j;
    uint32_t d = upcase(s[i]);
    switch (d) {
    case 'A':
    case 'S': {
      Value x = next_arg(a);
      if (colon && x == NIL)
        write_ascii(th, stream, "()");
      else
        print_object(th, x, stream, d == 'S');
      break;
    }
    case 'D':
    case 'B':
    case 'O':
    case 'X':
    case 'R': {
      Value x = next_arg(a);
      unsigned base = d == 'D' ? 10 : d == 'B' ? 2 : d == 'O' ? 8 : d == 'X' ? 16 : 10;
      if (d == 'R' && param >= 2 && param <= 36)
        base = (unsigned)param;
      if (is_integer(x)) {
        if (at && !(is_fixnum(x) ? fixnum_val(x) < 0 : ((Bignum *)x)->size < 0))
          stream_write_char(th, stream, '+');
        print_number(th, x, stream, base, false);
      } else
        print_object(th, x, stream, false);
      break;
    }
    case 'C': {
      Value x = next_arg(a);
      if (is_char(x) && !at)
        stream_write_char(th, stream, char_code(x));
      else
        print_object(th, x, stream, at);
      break;
    }
    case 'F':
    case 'E':
    case 'G':
    case '$':
    case 'W':
      print_object(th, next_arg(a), stream, d == 'W');
      break;
    case 'P': {
      Value x = colon ? a->prev : next_arg(a);
      bool one = x == make_fixnum(1);
      if (at)
        write_ascii(th, stream, one ? "y" : "ies");
      else if (!one)
        stream_write_char(th, stream, 's');
      break;
    }
    case '%':
      for (intptr_t k = param < 0 ? 1 : param; k > 0; k--)
        stream_write_char(th, stream, '\n');
      break;
    case '&':
      if (param != 0)
        stream_fresh_line(th, stream);
      for (intptr_t k = param < 0 ? 0 : param - 1; k > 0; k--)
        stream_write_char(th, stream, '\n');
      break;
    case '~':
      for (intptr_t k = param < 0 ? 1 : param; k > 0; k--)
        stream_write_char(th, stream, '~');
      break;
    case '|':
      stream_write_char(th, stream, '\f');
      break;
    case 'T':
      stream_write_char(th, stream, ' ');
      break;
    case '*':
      if (!colon)
        for (intptr_t k = param < 0 ? 1 : param; k > 0; k--)
          next_arg(a);
      break;
    case '?': {
      Value control = next_arg(a);
      if (at)
        format_sub(th, stream, control, a);
      else {
        FmtArgs sub = {next_arg(a), NIL};
        format_sub(th, stream, control, &sub);
      }
      break;
    }
    case '\n':
      if (at)
        stream_write_char(th, stream, '\n');
      if (!colon)
        while (i + 1 < n && (s[i + 1] == ' ' || s[i + 1] == '\t'))
          i++;
      break;
    case '^':
      if (!is_cons(a->rest))
        return false;
      break;
    case '{': {
      size_t close = find_close(s, n, i + 1, '}', NULL, NULL, 0);
      const uint32_t *body = s + i + 1;
      size_t blen = close - (i + 1);
      FmtArgs sub = {at ? a->rest : next_arg(a), NIL};
      for (int guard = 0; is_cons(sub.rest) && guard < 100000; guard++) {
        Value before = sub.rest;
        if (colon) {
          FmtArgs inner = {next_arg(&sub), NIL};
          mini_format(th, stream, body, blen, &inner);
        } else if (!mini_format(th, stream, body, blen, &sub))
          break;
        if (sub.rest == before)
          break;
      }
      if (at)
        a->rest = sub.rest;
      i = close < n ? directive_at(s, n, close + 1) : n;
      break;
    }
    case '[': {
      size_t seps[64];
      int nseps = 0;
      size_t close = find_close(s, n, i + 1, ']', seps, &nseps, 64);
      size_t starts[65], ends[65];
      starts[0] = i + 1;
      for (int k = 0; k < nseps; k++) {
        ends[k] = seps[k];
        starts[k + 1] = directive_at(s, n, seps[k] + 1) + 1;
      }
      ends[nseps] = close;
      int pick = -1;
      if (at) {
        if (is_cons(a->rest) && CAR(a->rest) != NIL)
          pick = 0;
        else
          next_arg(a);
      } else if (colon) {
        pick = next_arg(a) != NIL ? 1 : 0;
      } else {
        Value x = param >= 0 ? make_fixnum(param) : next_arg(a);
        pick = is_fixnum(x) && fixnum_val(x) >= 0 ? (int)fixnum_val(x) : -1;
        if (pick > nseps)
          pick = nseps; /* beyond the clauses: the last (a default) or none */
      }
      if (pick >= 0 && pick <= nseps && ends[pick] >= starts[pick])
        mini_format(th, stream, s + starts[pick], ends[pick] - starts[pick], a);
      i = close < n ? directive_at(s, n, close + 1) : n;
      break;
    }
    case '(':
    case ')':
    case ';':
    case ']':
    case '}':
      break; /* case conversion is not done; stray closers are ignored */
    default:
      stream_write_char(th, stream, '~');
      stream_write_char(th, stream, s[i]);
      break;
    }
  }
  return true;
}

void report_format(Thread *th, Value stream, Value control, Value args) {
  Value format = symbol_of(th, ts_ref(th, TS_S_FORMAT))->function;
  if (is_function(format)) {
    apply_list(th, format, cons(th, stream, cons(th, control, args)));
    return;
  }
  FmtArgs a = {args, NIL};
  format_sub(th, stream, control, &a);
}

/* ---- Reports ---- */

static void say(Thread *th, Value stream, const char *control, Value args) {
  report_format(th, stream, make_string_c(th, control), args);
}

static Value slot(Thread *th, Value c, int which) { return condition_slot(th, c, ts_ref(th, which), NIL); }

/* CCL's stream-error-context: "on #<STREAM ...>, near position N" */
static void stream_context(Thread *th, Value c, Value stream) {
  Value s = condition_slot(th, c, ts_ref(th, TS_S_STREAM), UNBOUND);
  if (s == UNBOUND)
    return;
  write_ascii(th, stream, "on ");
  print_object(th, s, stream, true);
  if (is_stream(s) && stream_of(s)->kind == SK_STRING_IN) {
    char buf[64];
    snprintf(buf, sizeof buf, ", near position %zu", stream_of(s)->pos);
    write_ascii(th, stream, buf);
  }
}

static void write_simple_text(Thread *th, Value c, Value stream) {
  Value control = condition_slot(th, c, ts_ref(th, TS_S_FORMAT_CONTROL), UNBOUND);
  if (control == UNBOUND)
    return;
  report_format(th, stream, control, slot(th, c, TS_S_FORMAT_ARGUMENTS));
}

static void c_report(Thread *th, int code, Value c, Value stream) {
  switch (code) {
  case R_SIMPLE:
    write_simple_text(th, c, stream);
    break;
  case R_TYPE_ERROR: {
    Value control = slot(th, c, TS_S_FORMAT_CONTROL);
    Value args = condition_slot(th, c, ts_ref(th, TS_S_FORMAT_ARGUMENTS), UNBOUND);
    if (args == UNBOUND)
      args = list2(th, slot(th, c, TS_S_DATUM), slot(th, c, TS_S_EXPECTED_TYPE));
    report_format(th, stream, control, args);
    break;
  }
  case R_CELL:
    say(th, stream, "Cell error: ~S", list1(th, slot(th, c, TS_S_NAME)));
    break;
  case R_UNBOUND_VARIABLE:
    say(th, stream, "Unbound variable: ~S", list1(th, slot(th, c, TS_S_NAME)));
    break;
  case R_UNDEFINED_FUNCTION:
    say(th, stream, "Undefined function: ~S", list1(th, slot(th, c, TS_S_NAME)));
    break;
  case R_UNDEFINED_FUNCTION_CALL:
    say(th, stream, "Undefined function ~S called with arguments ~:S .",
        list2(th, slot(th, c, TS_S_NAME), slot(th, c, TS_S_FUNCTION_ARGUMENTS)));
    break;
  case R_UNBOUND_SLOT:
    say(th, stream, "Slot ~S is unbound in ~S",
        list2(th, slot(th, c, TS_S_NAME), slot(th, c, TS_S_INSTANCE)));
    break;
  case R_ARITH: {
    say(th, stream, "~S detected", list1(th, type_of(th, c)));
    Value operands = slot(th, c, TS_S_OPERANDS);
    if (operands != NIL)
      say(th, stream, "~&performing ~A on ~:S", list2(th, slot(th, c, TS_S_OPERATION), operands));
    break;
  }
  case R_EOF:
    write_ascii(th, stream, "Unexpected end of file ");
    stream_context(th, c, stream);
    break;
  case R_READER:
    write_ascii(th, stream, "Reader error ");
    stream_context(th, c, stream);
    write_ascii(th, stream, ":\n");
    write_simple_text(th, c, stream);
    break;
  case R_STREAM_SIMPLE:
    stream_context(th, c, stream);
    write_ascii(th, stream, " : ");
    stream_fresh_line(th, stream);
    write_simple_text(th, c, stream);
    break;
  case R_FILE:
    say(th, stream, "File error on file ~S", list1(th, slot(th, c, TS_S_PATHNAME)));
    break;
  case R_NO_SUCH_PACKAGE:
    say(th, stream, "There is no package named ~S .", list1(th, slot(th, c, TS_S_PACKAGE)));
    break;
  case R_PRINT_NOT_READABLE: {
    size_t top = th->dyn_top;
    bind_special(th, SYM(print_readably), NIL);
    say(th, stream, "~S cannot be printed readably.", list1(th, slot(th, c, TS_S_OBJECT)));
    unwind_to(th, top);
    break;
  }
  case R_INACTIVE_RESTART:
    say(th, stream, "Restart ~S is not active",
        list1(th, condition_slot(th, c, type_symbol(th, "RESTART-NAME"), NIL)));
    break;
  default:
    break;
  }
}

void write_condition_report(Thread *th, Value c, Value stream) {
  if (!is_condition(c)) {
    print_object(th, c, stream, false);
    return;
  }
  Value report = UNBOUND;
  for (Value l = class_of_obj(instance_of(c)->klass)->cpl; is_cons(l) && report == UNBOUND; l = CDR(l))
    report = plist_get(class_of_obj(CAR(l))->plist, SYM(k_report), UNBOUND);
  /* A condition made with a message by lisp_error and friends says that message,
   * unless its class has a report of its own in Lisp or reports its message itself. */
  bool has_text = condition_slot(th, c, ts_ref(th, TS_S_FORMAT_CONTROL), UNBOUND) != UNBOUND;
  if (is_fixnum(report)) {
    int code = (int)fixnum_val(report);
    if (has_text && code != R_SIMPLE && code != R_TYPE_ERROR)
      write_simple_text(th, c, stream);
    else
      c_report(th, code, c, stream);
    return;
  }
  if (is_any_string(report)) {
    stream_write_string(th, stream, report);
    return;
  }
  if (report != UNBOUND && report != NIL) {
    funcall2(th, report, c, stream);
    return;
  }
  if (has_text) {
    write_simple_text(th, c, stream);
    return;
  }
  write_ascii(th, stream,
              typep(th, c, SYM(error))     ? "Error "
              : typep(th, c, SYM(warning)) ? "Warning "
                                           : "Condition ");
  print_object(th, c, stream, true);
}

Value condition_report_string(Thread *th, Value condition) {
  Value s = make_string_output_stream(th);
  write_condition_report(th, condition, s);
  return get_output_stream_string(th, s);
}

/* ---- "> Error: ..." ---- */

void print_break_message(Thread *th, Value stream, char prefix, const char *label, Value condition,
                         Value fn_name) {
  Value text = condition_report_string(th, condition);
  size_t len;
  const uint32_t *chars = string_chars(text, &len);
  char head[64];
  snprintf(head, sizeof head, "%c %s: ", prefix, label);
  size_t indent = strlen(head);
  stream_fresh_line(th, stream);
  write_ascii(th, stream, head);
  for (size_t i = 0; i < len; i++) {
    stream_write_char(th, stream, chars[i]);
    if (chars[i] == '\n') {
      stream_write_char(th, stream, (uint32_t)prefix);
      for (size_t k = 1; k < indent; k++)
        stream_write_char(th, stream, ' ');
    }
  }
  stream_write_char(th, stream, '\n');
  if (fn_name != NIL) {
    char pre[4] = {prefix, 0};
    write_ascii(th, stream, pre);
    write_ascii(th, stream, " While executing: ");
    print_object(th, fn_name, stream, true);
    write_ascii(th, stream, ", in process listener(1).\n");
  }
  stream_force_output(th, stream);
}
