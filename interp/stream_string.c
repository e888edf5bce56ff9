/* stream_string.c — string input streams (over any string, between start and end),
 * string output streams (a growing buffer) and fill-pointer output streams. */
#include <string.h>

#include "stream_impl.h"

static Stream *new_stream(Thread *th, uint8_t kind, uint32_t flags, Value klass) {
  Stream *s = gc_alloc(th, T_STREAM, sizeof(Stream));
  s->kind = kind;
  s->flags = flags | STRM_OPEN;
  s->fd = -1;
  s->klass = klass;
  s->name = NIL;
  s->element_type = SYM(character);
  s->unread = UNBOUND;
  s->string = NIL;
  s->streams = NIL;
  s->symbol = NIL;
  s->line = 1;
  s->input_timeout = s->output_timeout = -1;
  return s;
}

/* ---- input ---- */

Value make_string_input_stream(Thread *th, Value string, size_t start, size_t end) {
  /* Read the characters where they live, as CCL does (array-data-and-offset). */
  Value data = string;
  size_t off = 0;
  while (is_type(data, T_ARRAY)) {
    off += array_of(data)->offset;
    data = array_of(data)->data;
  }
  if (!is_string(data))
    type_error(th, string, SYM(string));
  if (start > end || off + end > string_of(data)->len)
    simple_error(th, "Bad interval for sequence operation on ~S : start = ~S, end = ~S", string,
                 make_fixnum((intptr_t)start), make_fixnum((intptr_t)end));
  Stream *s = new_stream(th, SK_STRING_IN, STRM_INPUT, stream_class_name(th, "STRING-INPUT-STREAM", false));
  s->string = data;
  s->offset = off;
  s->start = s->pos = off + start;
  s->end = off + end;
  return obj_value(s);
}

Value sin_read_char(Thread *th, Value sv) {
  UNUSED(th);
  Stream *s = stream_of(sv);
  if (s->pos >= s->end)
    return EOF_MARK;
  uint32_t c = string_of(s->string)->data[s->pos++];
  track_read(s, c);
  return make_char(c);
}

Value sin_peek_char(Thread *th, Value sv) {
  UNUSED(th);
  Stream *s = stream_of(sv);
  return s->pos < s->end ? make_char(string_of(s->string)->data[s->pos]) : EOF_MARK;
}

void sin_unread_char(Thread *th, Value sv, Value ch) {
  Stream *s = stream_of(sv);
  if (s->pos <= s->start)
    simple_error(th, "Nothing has been read from ~S yet.", sv);
  if (!is_char(ch) || string_of(s->string)->data[s->pos - 1] != char_code(ch))
    simple_error(th, "~A was not the last character read from ~S", ch, sv);
  s->pos--;
  untrack_read(s, char_code(ch));
}

Value sin_read_line(Thread *th, Value sv, bool *missing_newline) {
  Stream *s = stream_of(sv);
  *missing_newline = false;
  if (s->pos >= s->end)
    return EOF_MARK;
  const uint32_t *d = string_of(s->string)->data;
  size_t i = s->pos;
  while (i < s->end && d[i] != '\n')
    i++;
  size_t n = i - s->pos;
  Value line = make_string_n(th, n);
  d = string_of(s->string)->data;
  memcpy(string_of(line)->data, d + s->pos, n * sizeof(uint32_t));
  s->column += (long)n;
  if (i < s->end) {
    track_read(s, '\n');
    s->pos = i + 1;
  } else {
    s->pos = i;
    *missing_newline = true;
  }
  return line;
}

Value sin_file_position(Thread *th, Value sv) {
  UNUSED(th);
  Stream *s = stream_of(sv);
  return make_fixnum((intptr_t)(s->pos - s->start));
}

Value sin_set_file_position(Thread *th, Value sv, Value pos) {
  Stream *s = stream_of(sv);
  intptr_t limit = (intptr_t)(s->end - s->start);
  intptr_t p;
  if (pos == keyword_c(th, "START"))
    p = 0;
  else if (pos == keyword_c(th, "END"))
    p = limit;
  else if (is_fixnum(pos) && fixnum_val(pos) >= 0 && fixnum_val(pos) <= limit)
    p = fixnum_val(pos);
  else {
    Value type = list3(th, SYM(integer), make_fixnum(0), make_fixnum(limit));
    type_error(th, pos, type);
  }
  s->pos = s->start + (size_t)p;
  return make_fixnum(p);
}

/* ---- output ---- */

Value make_string_output_stream(Thread *th) {
  Stream *s =
      new_stream(th, SK_STRING_OUT, STRM_OUTPUT, stream_class_name(th, "STRING-OUTPUT-STREAM", false));
  return obj_value(s);
}

Value make_fill_pointer_output_stream(Thread *th, Value string) {
  if (!is_type(string, T_ARRAY) || !(array_of(string)->h.flags & ARR_FILL_POINTER) ||
      array_of(string)->rank != 1 || !is_string(array_of(string)->data))
    simple_error(th, "~S must be a string with a fill pointer.", string);
  Stream *s = new_stream(th, SK_STRING_OUT, STRM_OUTPUT | STRM_FILL_POINTER,
                         stream_class_name(th, "FILL-POINTER-STRING-OUTPUT-STREAM", false));
  s->string = string;
  return obj_value(s);
}

/* vector-push-extend for each character; the string grows (CCL extends a
 * non-adjustable string with a fill pointer too). */
static void fill_pointer_write(Thread *th, Stream *s, const uint32_t *cs, size_t n) {
  Array *a = array_of(s->string);
  if (!is_string(a->data))
    simple_error(th, "~S must be a string with a fill pointer.", s->string);
  size_t need = a->fill + n;
  if (need > a->total) {
    size_t cap = a->total * 2 + 16;
    if (cap < need)
      cap = need;
    Value ns = make_string_n(th, cap);
    memcpy(string_of(ns)->data, string_of(a->data)->data + a->offset, a->fill * sizeof(uint32_t));
    a->data = ns;
    a->offset = 0;
    a->total = cap;
    a->dims[0] = cap;
    a->h.flags &= (uint8_t)~ARR_DISPLACED;
  }
  memmove(string_of(a->data)->data + a->offset + a->fill, cs, n * sizeof(uint32_t));
  a->fill = need;
}

void sout_write_chars(Thread *th, Value sv, const uint32_t *cs, size_t n) {
  Stream *s = stream_of(sv);
  if (n == 0)
    return;
  if (s->flags & STRM_FILL_POINTER) {
    fill_pointer_write(th, s, cs, n);
  } else {
    size_t cap = s->string == NIL ? 0 : string_of(s->string)->len;
    if (s->end + n > cap) {
      size_t ncap = cap ? cap * 2 : 64;
      while (ncap < s->end + n)
        ncap *= 2;
      Value ns = make_string_n(th, ncap);
      if (s->end)
        memcpy(string_of(ns)->data, string_of(s->string)->data, s->end * sizeof(uint32_t));
      s->string = ns;
    }
    memcpy(string_of(s->string)->data + s->end, cs, n * sizeof(uint32_t));
    s->end += n;
  }
  track_write(s, cs, n);
}

size_t sout_length(Value sv) {
  Stream *s = stream_of(sv);
  return (s->flags & STRM_FILL_POINTER) ? array_of(s->string)->fill : s->end;
}

Value get_output_stream_string(Thread *th, Value sv) {
  if (!is_stream(sv) || stream_of(sv)->kind != SK_STRING_OUT)
    type_error(th, sv, intern_c(th, "STRING-OUTPUT-STREAM", th->vm->pkg_ccl));
  Stream *s = stream_of(sv);
  if (!(s->flags & STRM_OPEN))
    stream_closed_error(th, sv);
  size_t n = sout_length(sv);
  Value r = make_string_n(th, n);
  if (s->flags & STRM_FILL_POINTER) {
    Array *a = array_of(s->string);
    memcpy(string_of(r)->data, string_of(a->data)->data + a->offset, n * sizeof(uint32_t));
  } else {
    if (n)
      memcpy(string_of(r)->data, string_of(s->string)->data, n * sizeof(uint32_t));
    s->end = 0;
  }
  s->out_column = 0;
  return r;
}

Value sout_file_position(Thread *th, Value sv) {
  UNUSED(th);
  return make_fixnum((intptr_t)sout_length(sv));
}

Value sout_set_file_position(Thread *th, Value sv, Value pos) {
  Stream *s = stream_of(sv);
  intptr_t limit = (intptr_t)sout_length(sv);
  intptr_t p;
  if (pos == keyword_c(th, "START"))
    p = 0;
  else if (pos == keyword_c(th, "END"))
    p = limit;
  else if (is_fixnum(pos) && fixnum_val(pos) >= 0 && fixnum_val(pos) <= limit)
    p = fixnum_val(pos);
  else
    return NIL;
  if (s->flags & STRM_FILL_POINTER)
    array_of(s->string)->fill = (size_t)p;
  else
    s->end = (size_t)p;
  return make_fixnum(p);
}
