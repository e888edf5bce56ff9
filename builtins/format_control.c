/* format_control.c — FORMAT directives that steer rather than print an argument: ~% ~& ~| ~~
 * ~newline ~T ~* ~? ~( ~^ ~[ ~{ ~< (justification and logical blocks) ~/ ~I ~_, as CCL does. */
#include "../interp/control.h"
#include "format.h"

/* ---- Contexts ---- */

void format_indirect(Fmt *F, Fmt *child, Value control) {
  *child = *F;
  size_t len;
  child->control = control;
  child->s = string_chars(control, &len);
  child->len = child->end = len;
  child->index = 0;
  child->outer = F;
}

static Value capture_stream(Thread *th) { return make_string_output_stream(th); }

/* ---- ~% ~& ~~ ~| ---- */

static intptr_t repeat_count(Fmt *F, Directive *d) {
  Value v = param(d, 0);
  if (v == NIL)
    return 1;
  if (!is_fixnum(v) || fixnum_val(v) < 0)
    format_error(F, "Bad repeat-count.", 0);
  return fixnum_val(v);
}

static int format_repeat(Fmt *F, Value stream, Directive *d) {
  Thread *th = F->th;
  no_flags(F, d->colon, d->atsign);
  check_params(F, d, 1);
  if (d->ch == '|') {
    write_repeat(th, stream, '\f', param_int(F, d, 0, 1));
    return FMT_DONE;
  }
  intptr_t n = repeat_count(F, d);
  switch (d->ch) {
  case '%':
    write_repeat(th, stream, '\n', n);
    break;
  case '~':
    write_repeat(th, stream, '~', n);
    break;
  case '&':
    if (n != 0) {
      stream_fresh_line(th, stream);
      write_repeat(th, stream, '\n', n - 1);
    }
    break;
  }
  return FMT_DONE;
}

/* ---- ~newline ---- */

static bool whitespace(uint32_t c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

static int format_newline(Fmt *F, Value stream, Directive *d) {
  check_params(F, d, 0);
  if (d->colon) { /* ~:newline: the newline goes, the whitespace after it stays */
    if (d->atsign)
      format_error(F, "~~:@<newline> is undefined", 0);
    return FMT_DONE;
  }
  if (d->atsign)
    stream_write_char(F->th, stream, '\n');
  /* FORMAT-EAT-WHITESPACE: the newline and all whitespace after it, newlines included */
  size_t i = F->index;
  while (i < F->end && whitespace(F->s[i]))
    i++;
  F->index = i - 1;
  return FMT_DONE;
}

/* ---- ~T ---- */

static intptr_t lisp_mod(intptr_t a, intptr_t b) {
  intptr_t m = a % b;
  if (m != 0 && ((m < 0) != (b < 0)))
    m += b;
  return m;
}

static int format_tab(Fmt *F, Value stream, Directive *d) {
  Thread *th = F->th;
  if (d->colon)
    no_semi(F, 'T', true, false);
  check_params(F, d, 2);
  intptr_t colnum = param_int(F, d, 0, 1), colinc = param_int(F, d, 1, 1);
  if (d->colon)
    return FMT_DONE; /* section-relative tabs only mean something when pretty printing */
  long pos = stream_line_column(th, stream);
  intptr_t count;
  if (d->atsign) {
    count = pos < 0 || colinc == 0 ? colnum : colnum + lisp_mod(-(pos + colnum), colinc);
  } else if (pos < 0) {
    count = 2;
  } else if (colnum <= pos) {
    count = colinc == 0 ? 0 : colinc - lisp_mod(pos - colnum, colinc);
  } else {
    count = colnum - pos;
  }
  write_repeat(th, stream, ' ', count);
  return FMT_DONE;
}

/* ---- ~* ---- */

static int format_goto(Fmt *F, Directive *d) {
  Thread *th = F->th;
  check_params(F, d, 1);
  intptr_t len_orig = list_length(F->orig), len_args = list_length(F->args);
  if (len_orig < 0)
    type_error(th, F->orig, SYM(list));
  if (len_args < 0)
    type_error(th, F->args, SYM(list));
  intptr_t where = len_orig - len_args, to;
  if (d->atsign) {
    no_flags(F, d->colon, false);
    to = param_int(F, d, 0, 0);
  } else {
    intptr_t count = param_int(F, d, 0, 1);
    if (d->colon)
      count = -count;
    to = where + count;
  }
  if (to > len_orig || to < 0)
    format_error(F, "non-existent target for ~~*", 0);
  Value l = F->orig;
  for (intptr_t i = 0; i < to; i++)
    l = CDR(l);
  F->args = l;
  return FMT_DONE;
}

/* ---- ~? ---- */

static int format_indirection(Fmt *F, Value stream, Directive *d) {
  Thread *th = F->th;
  check_params(F, d, 0);
  no_flags(F, d->colon, false);
  Value control = pop_arg(F);
  if (is_function(control)) {
    if (d->atsign)
      F->args = apply_list(th, control, cons(th, stream, F->args));
    else
      apply_list(th, control, cons(th, stream, pop_arg(F)));
    return FMT_DONE;
  }
  if (!is_any_string(control))
    format_error(F, "Indirected control string is not a string or function", 0);
  Fmt C;
  format_indirect(F, &C, control);
  if (!d->atsign) {
    Value args = pop_arg(&C); /* in CCL this pop already sees the indirect string */
    F->args = C.args;
    check_list(th, args);
    C.args = C.orig = args;
  }
  sub_format(&C, stream, 0, C.len); /* ~^ ends the indirect string only */
  if (d->atsign)
    F->args = C.args;
  return FMT_DONE;
}

/* ---- ~( ---- */

static int format_case(Fmt *F, Value stream, Directive *d) {
  Thread *th = F->th;
  check_params(F, d, 0);
  size_t prev = F->index + 1;
  F->index = prev;
  if (prev >= F->end)
    format_error(F, "Syntax error", 0);
  Directive close;
  find_command_no_params(F, ")", true, true, &close);
  Value out = capture_stream(th);
  int r = sub_format(F, out, prev, close.tilde);
  Value text = get_output_stream_string(th, out);
  String *s = string_of(text);
  if (d->colon && d->atsign) {
    for (size_t i = 0; i < s->len; i++)
      s->data[i] = char_upcase_code(s->data[i]);
  } else if (d->colon) {
    bool up = true;
    for (size_t i = 0; i < s->len; i++) {
      uint32_t c = s->data[i];
      if (char_alphanumeric_code_p(c)) {
        s->data[i] = up ? char_upcase_code(c) : char_downcase_code(c);
        up = false;
      } else {
        up = true;
      }
    }
  } else {
    for (size_t i = 0; i < s->len; i++)
      s->data[i] = char_downcase_code(s->data[i]);
    if (d->atsign) /* the first letter up (CCL: the first ALPHA-CHAR-P, even after digits) */
      for (size_t i = 0; i < s->len; i++)
        if (char_alpha_code_p(s->data[i])) {
          s->data[i] = char_upcase_code(s->data[i]);
          break;
        }
  }
  fmt_write_string(th, stream, text);
  return r;
}

/* ---- ~^ ---- */

static bool char_or_real_le(Thread *th, Value a, Value b) {
  if (is_char(a) && is_char(b))
    return char_code(a) <= char_code(b);
  if (!is_real(a))
    type_error(th, a, SYM(real));
  if (!is_real(b))
    type_error(th, b, SYM(real));
  return number_compare(th, a, b) <= 0;
}

static int format_escape(Fmt *F, Directive *d) {
  Thread *th = F->th;
  check_params(F, d, 3);
  if (d->atsign)
    format_error(F, "FORMAT command ~~~:[~;:~]@^ is undefined", 1, BOOL(th, d->colon));
  Value p1 = param(d, 0), p2 = param(d, 1), p3 = param(d, 2);
  bool exit;
  if (p3 != NIL) {
    if (!is_real(p2) && !is_char(p2))
      type_error_c(th, p2, "(OR REAL CHARACTER)");
    exit = char_or_real_le(th, p1, p2) && char_or_real_le(th, p2, p3);
  } else if (p2 != NIL) {
    exit = equal(p1, p2);
  } else if (p1 != NIL) {
    exit = eql(p1, make_fixnum(0));
  } else {
    exit = (d->colon ? F->colon_rest : F->args) == NIL;
  }
  if (!exit)
    return FMT_DONE;
  return d->colon ? FMT_COLON_ESCAPE : FMT_ESCAPE;
}

/* ---- ~[ ---- */

static int untagged_condition(Fmt *F, Value stream) {
  Value test = pop_arg(F);
  if (!is_integer(test))
    format_error(F, "Argument to ~~[ must be integer - ~S", 1, test);
  Directive d;
  for (Value count = make_fixnum(0);; count = number_add(F->th, count, make_fixnum(1))) {
    size_t prev = F->index;
    if (number_equal(F->th, count, test)) {
      find_command_no_params(F, ";]", true, false, &d);
      int r = sub_format(F, stream, prev, d.tilde);
      if (r != FMT_DONE)
        return r;
      if (d.ch != ']')
        find_command(F, "]", false, false, &d);
      return FMT_DONE;
    }
    find_command_no_params(F, ";]", true, false, &d);
    if (d.ch == ']')
      return FMT_DONE;
    F->index++;
    if (F->index >= F->end)
      format_error(F, "Syntax error", 0);
    if (d.colon) {
      prev = F->index;
      find_command_no_params(F, ";]", true, true, &d);
      int r = sub_format(F, stream, prev, d.tilde);
      if (r != FMT_DONE)
        return r;
      if (d.ch != ']')
        find_command_no_params(F, "]", true, true, &d);
      return FMT_DONE;
    }
  }
}

static int format_condition(Fmt *F, Value stream, Directive *dir) {
  Thread *th = F->th;
  check_params(F, dir, 1);
  Value p = param(dir, 0);
  if (p != NIL)
    F->args = cons(th, p, F->args);
  F->index++;
  if (F->index >= F->end)
    format_error(F, "Syntax error", 0);
  Directive d;
  size_t prev = F->index;
  if (dir->colon) {
    if (dir->atsign)
      format_error(F, "~~:@[ undefined", 0);
    find_command_no_params(F, ";]", true, true, &d);
    if (d.ch == ']')
      format_error(F, "Two clauses separated by ~~; are required for ~~:[", 0);
    size_t first_end = d.tilde;
    F->index++;
    if (F->index >= F->end)
      format_error(F, "Syntax error", 0);
    if (pop_arg(F) != NIL) {
      size_t prev2 = F->index;
      find_command_no_params(F, "]", false, false, &d);
      return sub_format(F, stream, prev2, d.tilde);
    }
    int r = sub_format(F, stream, prev, first_end);
    if (r != FMT_DONE)
      return r;
    find_command_no_params(F, "]", true, true, &d);
    return FMT_DONE;
  }
  if (dir->atsign) {
    find_command_no_params(F, "]", true, true, &d);
    if (F->args == NIL)
      format_error(F, "Missing argument", 0);
    if (car(th, F->args) != NIL)
      return sub_format(F, stream, prev, d.tilde);
    pop_arg(F);
    return FMT_DONE;
  }
  return untagged_condition(F, stream);
}

/* ---- ~{ ---- */

typedef struct Iteration {
  size_t start, end; /* the body, or */
  Value fn;          /* a function as the body (NIL if none) */
  intptr_t max_iter; /* -1: no limit */
  bool colon, at_least_once;
} Iteration;

/* DO-ITERATION-1 */
static void iterate(Fmt *C, Value stream, const Iteration *it) {
  Thread *th = C->th;
  for (intptr_t count = 0;; count++) {
    if (count == it->max_iter)
      return;
    if (C->args == NIL && (count != 0 || !it->at_least_once))
      return;
    check_interrupt(th); /* a body that takes no argument loops forever, as in CCL */
    int r;
    if (it->colon) {
      Value sub = it->at_least_once && C->args == NIL ? NIL : pop_arg(C);
      Value args = C->args, orig = C->orig, colon_rest = C->colon_rest;
      C->colon_rest = C->args;
      C->args = C->orig = sub;
      if (!is_list(sub))
        type_error(th, sub, SYM(list));
      if (it->fn != NIL) {
        apply_list(th, it->fn, cons(th, stream, sub));
        r = FMT_DONE;
      } else {
        r = sub_format(C, stream, it->start, it->end);
      }
      C->args = args;
      C->orig = orig;
      C->colon_rest = colon_rest;
    } else {
      Value orig = C->orig;
      C->orig = C->args;
      if (it->fn != NIL) {
        C->args = apply_list(th, it->fn, cons(th, stream, C->args));
        r = FMT_DONE;
      } else {
        r = sub_format(C, stream, it->start, it->end);
      }
      C->orig = orig;
    }
    if (r == FMT_COLON_ESCAPE || (r != FMT_DONE && !it->colon))
      return;
  }
}

/* FORMAT-DO-ITERATION */
static void do_iteration(Fmt *C, Value stream, const Iteration *it, bool atsign) {
  if (atsign) {
    iterate(C, stream, it);
    return;
  }
  Value list = pop_arg(C);
  Value args = C->args, orig = C->orig;
  C->args = C->orig = list;
  Thread *th = C->th;
  if (!is_list(list))
    type_error(th, list, SYM(list));
  iterate(C, stream, it);
  C->args = args;
  C->orig = orig;
}

static int format_iteration(Fmt *F, Value stream, Directive *d) {
  check_params(F, d, 1);
  Iteration it = {0, 0, NIL, param_int(F, d, 0, -1), d->colon, false};
  F->index++;
  if (F->index >= F->end)
    format_error(F, "Syntax error", 0);
  size_t prev = F->index;
  Directive close;
  find_command_no_params(F, "}", true, false, &close);
  it.at_least_once = close.colon;
  if (prev != close.tilde) {
    it.start = prev;
    it.end = close.tilde;
    do_iteration(F, stream, &it, d->atsign);
    return FMT_DONE;
  }
  /* ~{~}: the control string is an argument */
  Value control = pop_arg(F);
  if (is_function(control)) {
    it.fn = control;
    do_iteration(F, stream, &it, d->atsign);
    return FMT_DONE;
  }
  if (!is_any_string(control))
    format_error(F, "Control string is not a string or function", 0);
  Fmt C;
  format_indirect(F, &C, control);
  it.start = 0;
  it.end = C.len;
  do_iteration(&C, stream, &it, d->atsign);
  F->args = C.args;
  return FMT_DONE;
}

/* ---- ~< ... ~> justification ---- */

/* One segment of a justification, output captured; false when ~^ ended it. */
static bool segment_text(Fmt *F, size_t start, size_t end, Value *text) {
  Thread *th = F->th;
  Value out = capture_stream(th);
  int r = sub_format(F, out, start, end);
  if (r != FMT_DONE)
    return false;
  *text = get_output_stream_string(th, out);
  return true;
}

static size_t text_len(Value s) {
  size_t n;
  string_chars(s, &n);
  return n;
}

/* FORMAT-GET-SEGMENTS and FORMAT-GET-TRAILING-SEGMENTS: segments in order (a list),
 * the ~:; text and its directive when the first separator is ~:; . */
static Value get_segments(Fmt *F, Value *special, Directive *special_dir) {
  Thread *th = F->th;
  Directive d;
  size_t prev = F->index;
  find_command(F, ";>", false, true, &d);
  if (d.atsign)
    format_error(F, "Atsign flag not allowed", 0);
  Value first;
  *special = NIL;
  if (!segment_text(F, prev, d.tilde, &first)) {
    if (d.ch != '>')
      find_command(F, ">", false, true, &d);
    return NIL;
  }
  if (d.ch != ';')
    return list1(th, first);
  if (d.nparams) { /* now take the parameters, V ones included */
    F->index = d.tilde;
    find_command(F, ";>", true, true, &d);
  }
  bool first_special = d.colon;
  if (first_special)
    *special_dir = d;
  Value segs = NIL;
  for (;;) {
    F->index++;
    if (F->index >= F->end)
      format_error(F, "Syntax error", 0);
    prev = F->index;
    find_command(F, ";>", false, true, &d);
    if (d.nparams)
      format_error(F, "Too many parameters", 0);
    if (d.colon)
      format_error(F, "~~:; allowed only after first segment in ~~<", 0);
    no_flags(F, false, d.atsign);
    Value text;
    if (!segment_text(F, prev, d.tilde, &text)) {
      if (d.ch != '>')
        find_command(F, ">", false, true, &d);
      break;
    }
    segs = cons(th, text, segs);
    if (d.ch != ';')
      break;
  }
  segs = nreverse_list(segs);
  if (first_special) {
    *special = first;
    return segs;
  }
  return cons(th, first, segs);
}

static Value check_padchar(Fmt *F, Value padchar) {
  if (is_char(padchar))
    return padchar;
  if (is_fixnum(padchar) && fixnum_val(padchar) >= 0 && fixnum_val(padchar) < CHAR_CODE_LIMIT)
    return make_char((uint32_t)fixnum_val(padchar));
  format_error(F, "Padchar must be a character or integer from 0 to ~a - ~S", 2, make_fixnum(CHAR_CODE_LIMIT),
               padchar);
}

static int justification(Fmt *F, Value stream, Directive *d) {
  Thread *th = F->th;
  check_params(F, d, 4);
  Value mincolv = param(d, 0), colincv = param(d, 1), minpadv = param(d, 2), padv = param(d, 3);
  if (mincolv == NIL)
    mincolv = make_fixnum(0);
  if (colincv == NIL)
    colincv = make_fixnum(1);
  if (minpadv == NIL)
    minpadv = make_fixnum(0);
  if (padv == NIL)
    padv = make_char(' ');
  if (!is_integer(mincolv))
    format_error(F, "Mincol must be an integer - ~S", 1, mincolv);
  if (!is_integer(colincv) || number_compare(th, colincv, make_fixnum(0)) <= 0)
    format_error(F, "Colinc must be a positive integer - ~S", 1, colincv);
  if (!is_integer(minpadv))
    format_error(F, "Minpad must be an integer - ~S", 1, minpadv);
  uint32_t padchar = char_code(check_padchar(F, padv));
  intptr_t mincol = param_int(F, d, 0, 0), colinc = param_int(F, d, 1, 1), minpad = param_int(F, d, 2, 0);
  F->index++;
  if (F->index >= F->end)
    format_error(F, "Syntax error", 0);
  Value special;
  Directive special_dir;
  Value segs = get_segments(F, &special, &special_dir);
  intptr_t numsegs = list_length(segs), numchars = 0;
  for (Value l = segs; is_cons(l); l = CDR(l))
    numchars += (intptr_t)text_len(CAR(l));
  if (numsegs == 1)
    minpad = 0;
  if (segs == NIL)
    return FMT_DONE;
  intptr_t padsegs = (d->colon || numsegs == 1 ? 1 : 0) + (numsegs - 1) + (d->atsign ? 1 : 0);
  intptr_t width = numchars + minpad * padsegs;
  width = width < mincol ? mincol : mincol + colinc * ((width - mincol + colinc - 1) / colinc);
  /* the padding before each segment and after the last */
  Value spaces = make_svector(th, (size_t)numsegs + 1, make_fixnum(0));
  Value *sp = svec_of(spaces)->data;
  if (d->atsign && !d->colon && numsegs == 1) {
    sp[1] = make_fixnum(width - numchars);
  } else {
    intptr_t total = width - numchars, first = d->colon || numsegs == 1 ? 0 : 1;
    intptr_t each = padsegs ? total / padsegs : 0, extra = padsegs ? total % padsegs : 0;
    for (intptr_t i = 0; i < padsegs; i++)
      sp[first + i] = make_fixnum(each + (i < extra ? 1 : 0));
  }
  if (special != NIL) {
    if (F->shared->pprint)
      format_error(F, "Justification illegal in this context", 0);
    F->shared->justification_semi = true;
    check_params(F, &special_dir, 2);
    intptr_t spare = param_int(F, &special_dir, 0, 0), linel = param_int(F, &special_dir, 1, 80);
    long pos = stream_line_column(th, stream);
    if ((pos < 0 ? 0 : pos) + width + spare > linel)
      fmt_write_string(th, stream, special);
  }
  size_t i = 0;
  for (Value l = segs; is_cons(l); l = CDR(l), i++) {
    write_repeat(th, stream, padchar, fixnum_val(sp[i]));
    fmt_write_string(th, stream, CAR(l));
  }
  write_repeat(th, stream, padchar, fixnum_val(sp[i]));
  return FMT_DONE;
}

/* ---- ~< ... ~:> logical blocks (without a pretty printer: prefix, body, suffix) ---- */

NORETURN void format_block_exit(Fmt *F) {
  Thread *th = F->th;
  size_t idx = find_catch(th, F->block_tag);
  th->throw_value = NIL;
  th->nvals = 1;
  throw_to(th, idx);
}

static Value substring(Thread *th, Fmt *F, size_t start, size_t end) {
  Value s = make_string_n(th, end - start);
  memcpy(string_of(s)->data, F->s + start, (end - start) * sizeof(uint32_t));
  return s;
}

static void check_simple(Fmt *F, Value s) {
  size_t n;
  const uint32_t *c = string_chars(s, &n);
  for (size_t i = 0; i < n; i++)
    if (c[i] == '~' || c[i] == '\n')
      format_error(F, "Suffix and prefix must be simple", 0);
}

static int logical_block(Fmt *F, Value stream, Directive *d, size_t start, size_t end) {
  Thread *th = F->th;
  no_semi(F, '<', false, false);
  Value prefix = make_string_c(th, d->colon ? "(" : ""), suffix = make_string_c(th, d->colon ? ")" : "");
  Directive seg;
  F->index = start;
  find_command(F, ";>", false, false, &seg);
  Value body = substring(th, F, start + 1, seg.tilde);
  if (F->index != end) {
    prefix = body;
    size_t s1 = F->index;
    find_command(F, ";>", false, false, &seg);
    body = substring(th, F, s1 + 1, seg.tilde);
    if (F->index != end) {
      s1 = F->index;
      find_command(F, ";>", false, false, &seg);
      suffix = substring(th, F, s1 + 1, seg.tilde);
      if (F->index != end)
        format_error(F, "Too many chunks", 0);
    }
  }
  check_simple(F, prefix);
  check_simple(F, suffix);
  Value args;
  if (!d->atsign) {
    if (F->args == NIL) {
      F->index = start;
      format_error(F, "Missing argument", 0);
    }
    args = pop_arg(F);
  } else {
    args = F->args;
    F->args = NIL;
  }
  F->index = end;
  if (!is_list(args)) { /* what PPRINT-LOGICAL-BLOCK does with a non-list */
    write_object(th, args, stream);
    return FMT_DONE;
  }
  fmt_write_string(th, stream, prefix);
  Fmt B = *F;
  size_t len;
  B.control = body;
  B.s = string_chars(body, &len);
  B.len = B.end = len;
  B.index = 0;
  B.outer = NULL; /* CCL's DO-SUB-FORMAT reports errors in the body on their own */
  B.args = B.orig = args;
  B.colon_rest = SYM(t);
  B.block_tag = cons(th, NIL, NIL);
  B.block_stream = stream;
  B.block_count = 0;
  CatchFrame cf;
  catch_push(th, &cf, B.block_tag);
  if (setjmp(cf.jb) == 0) {
    sub_format(&B, stream, 0, B.len);
    th->dyn_top = cf.dyn_index;
  } else {
    catch_restore(th, &cf);
  }
  fmt_write_string(th, stream, suffix);
  return FMT_DONE;
}

static int format_angle(Fmt *F, Value stream, Directive *d) {
  size_t start = F->index;
  Directive close;
  find_command_no_params(F, ">", true, true, &close);
  if (close.colon)
    return logical_block(F, stream, d, start, F->index);
  F->index = start;
  return justification(F, stream, d);
}

/* ---- ~/name/ ---- */

static Value upcased(Thread *th, const uint32_t *s, size_t n) {
  Value r = make_string_n(th, n);
  for (size_t i = 0; i < n; i++)
    string_of(r)->data[i] = char_upcase_code(s[i]);
  return r;
}

static int format_call(Fmt *F, Value stream, Directive *d) {
  Thread *th = F->th;
  const uint32_t *s = F->s;
  size_t ipos = F->index + 1, epos = ipos;
  while (epos < F->end && s[epos] != '/')
    epos++;
  if (epos >= F->end)
    format_error(F, "Unmatched ~~/", 0);
  size_t cpos = ipos;
  while (cpos < epos && s[cpos] != ':')
    cpos++;
  Value package;
  if (cpos < epos) {
    package = find_package(th, upcased(th, s + ipos, cpos - ipos));
    if (package == NIL)
      format_error(F, "Unknown package", 0);
    if (s[cpos + 1] == ':')
      cpos++;
    ipos = cpos + 1;
  } else {
    package = find_package(th, make_string_c(th, "CL-USER"));
  }
  int status;
  Value fn = intern(th, upcased(th, s + ipos, epos > ipos ? epos - ipos : 0), package, &status);
  F->index = epos;
  Value arg = pop_arg(F);
  Value params = NIL;
  for (int i = d->nparams < FMT_MAX_PARAMS ? d->nparams : FMT_MAX_PARAMS; i-- > 0;)
    params = cons(th, d->params[i], params);
  apply_list(
      th, fn,
      cons(th, stream, cons(th, arg, cons(th, BOOL(th, d->colon), cons(th, BOOL(th, d->atsign), params)))));
  return FMT_DONE;
}

int format_control_directive(Fmt *F, Value stream, Directive *d) {
  switch (d->ch) {
  case '%':
  case '&':
  case '~':
  case '|':
    return format_repeat(F, stream, d);
  case '\n':
  case '\r':
    return format_newline(F, stream, d);
  case 'T':
    return format_tab(F, stream, d);
  case '*':
    return format_goto(F, d);
  case '?':
    return format_indirection(F, stream, d);
  case '(':
    return format_case(F, stream, d);
  case '^':
    return format_escape(F, d);
  case '[':
    return format_condition(F, stream, d);
  case '{':
    return format_iteration(F, stream, d);
  case '<':
    return format_angle(F, stream, d);
  case '/':
    return format_call(F, stream, d);
  case 'I':
    no_semi(F, 'I', false, false);
    check_params(F, d, 1);
    param_int(F, d, 0, 0); /* PPRINT-INDENT outside the pretty printer does nothing */
    return FMT_DONE;
  case '_':
    no_semi(F, '_', false, false);
    check_params(F, d, 0);
    return FMT_DONE;
  default:
    format_error(F, "Unknown directive", 0);
  }
}
