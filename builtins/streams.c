/* streams.c — the Lisp face of the stream protocol: READ-CHAR … WRITE-SEQUENCE, the
 * string and composite stream constructors and accessors, FILE-POSITION, FILE-LENGTH. */
#include <string.h>

#include "lisp.h"
#include "stream.h"

/* ---- argument helpers ---- */

static Value in_stream(Thread *th, Value designator) {
  return stream_designator_in(th, arg_or(designator, NIL));
}
static Value out_stream(Thread *th, Value designator) {
  return stream_designator_out(th, arg_or(designator, NIL));
}

/* eof-error-p defaults to true; returns eof-value or signals END-OF-FILE. */
static Value at_eof(Thread *th, Value stream, Value eof_error_p, Value eof_value) {
  if (arg_or(eof_error_p, SYM(t)) != NIL)
    stream_eof_error(th, stream);
  return arg_or(eof_value, NIL);
}

/* CCL's check-sequence-bounds: [start, end) within len; end NIL means len. */
static void bounds(Thread *th, Value seq, size_t len, Value start_v, Value end_v, size_t *start,
                   size_t *end) {
  Value s = arg_or(start_v, make_fixnum(0)), e = arg_or(end_v, NIL);
  if (!is_integer(s) || (is_fixnum(s) && fixnum_val(s) < 0))
    type_error(th, s, SYM(unsigned_byte));
  if (e != NIL && (!is_integer(e) || (is_fixnum(e) && fixnum_val(e) < 0)))
    type_error_c(th, e, "(OR NULL UNSIGNED-BYTE)");
  if (!is_fixnum(s) || (size_t)fixnum_val(s) > len ||
      (e != NIL && (!is_fixnum(e) || (size_t)fixnum_val(e) > len)) ||
      (e != NIL && fixnum_val(e) < fixnum_val(s)))
    simple_error(th, "Bad interval for sequence operation on ~S : start = ~S, end = ~S", seq, s, e);
  *start = (size_t)fixnum_val(s);
  *end = e == NIL ? len : (size_t)fixnum_val(e);
}

/* The simple vector holding a vector's elements, the index of the first, the active length. */
static bool vector_storage(Value v, Value *simple, size_t *offset, size_t *len) {
  if (!is_obj(v))
    return false;
  switch (obj_of(v)->type) {
  case T_STRING:
    *len = string_of(v)->len;
    break;
  case T_SVECTOR:
    *len = svec_of(v)->len;
    break;
  case T_OCTETS:
    *len = octets_of(v)->len;
    break;
  case T_ARRAY: {
    Array *a = array_of(v);
    if (a->rank != 1)
      return false;
    *len = a->fill;
    size_t off = a->offset;
    Value data = a->data;
    for (int depth = 0; is_type(data, T_ARRAY) && depth < 64; depth++) {
      off += array_of(data)->offset;
      data = array_of(data)->data;
    }
    if (!is_type(data, T_STRING) && !is_type(data, T_SVECTOR) && !is_type(data, T_OCTETS))
      return false;
    *simple = data;
    *offset = off;
    return true;
  }
  default:
    return false;
  }
  *simple = v;
  *offset = 0;
  return true;
}

/* Whether a stream delivers characters (else octets) to READ-SEQUENCE of a general vector. */
static bool reads_characters(Thread *th, Value stream) {
  Value src = stream_input_source(th, stream);
  return !is_stream(src) || !(stream_of(src)->flags & STRM_BINARY);
}

static bool writes_characters(Thread *th, Value stream) {
  Value et = stream_element_type(th, stream);
  return !(is_cons(et) && CAR(et) == SYM(unsigned_byte));
}

static uint8_t octet_arg(Thread *th, Value b) {
  if (!is_fixnum(b) || fixnum_val(b) < 0 || fixnum_val(b) > 255)
    type_error_c(th, b, "(UNSIGNED-BYTE 8)");
  return (uint8_t)fixnum_val(b);
}

static uint32_t char_arg(Thread *th, Value c) {
  if (!is_char(c))
    type_error(th, c, SYM(character));
  return char_code(c);
}

/* ---- reading characters ---- */

static Value n_read_char(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value s = in_stream(th, args[0]);
  Value c = stream_read_char(th, s);
  return c == EOF_MARK ? at_eof(th, s, args[1], args[2]) : c;
}

static Value n_read_char_no_hang(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value s = in_stream(th, args[0]);
  Value c = stream_read_char_no_hang(th, s);
  return c == EOF_MARK ? at_eof(th, s, args[1], args[2]) : c;
}

static Value n_unread_char(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  stream_unread_char(th, in_stream(th, args[1]), args[0]);
  return NIL;
}

static bool whitespace_char(uint32_t c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

static Value n_peek_char(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value type = arg_or(args[0], NIL);
  if (!(type == NIL || type == SYM(t) || is_char(type)))
    type_error_c(th, type, "(OR CHARACTER (MEMBER NIL T))");
  Value s = in_stream(th, args[1]);
  for (;;) {
    Value c = stream_peek_char(th, s);
    if (c == EOF_MARK)
      return at_eof(th, s, args[2], args[3]);
    if (type == NIL || (type == SYM(t) && !whitespace_char(char_code(c))) || c == type)
      return c;
    stream_read_char(th, s);
  }
}

static Value n_read_line(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value s = in_stream(th, args[0]);
  bool missing;
  Value line = stream_read_line(th, s, &missing);
  if (line == EOF_MARK)
    return values2(th, at_eof(th, s, args[1], args[2]), SYM(t));
  return values2(th, line, BOOL(th, missing));
}

static Value n_listen(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return BOOL(th, stream_listen(th, in_stream(th, args[0])));
}

static Value n_clear_input(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  stream_clear_input(th, in_stream(th, args[0]));
  return NIL;
}

/* ---- bytes ---- */

static Value n_read_byte(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value s = check_stream(th, args[0]);
  Value b = stream_read_byte(th, s);
  return b == EOF_MARK ? at_eof(th, s, args[1], args[2]) : b;
}

static Value n_write_byte(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value s = check_stream(th, args[1]);
  stream_write_byte(th, s, octet_arg(th, args[0]));
  return args[0];
}

/* ---- writing characters ---- */

static Value n_write_char(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  uint32_t c = char_arg(th, args[0]);
  stream_write_char(th, out_stream(th, args[1]), c);
  return args[0];
}

static void write_string_range(Thread *th, Value string, Value stream, Value start, Value end) {
  size_t len;
  if (!string_chars(string, &len))
    type_error(th, string, SYM(string));
  size_t s, e;
  bounds(th, string, len, start, end, &s, &e);
  Value out = out_stream(th, stream);
  const uint32_t *cs = string_chars(string, &len);
  stream_write_chars(th, out, cs + s, e - s);
}

static Value n_write_string(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  write_string_range(th, args[0], args[1], args[2], args[3]);
  return args[0];
}

static Value n_write_line(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  write_string_range(th, args[0], args[1], args[2], args[3]);
  stream_write_char(th, out_stream(th, args[1]), '\n');
  return args[0];
}

static Value n_terpri(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  stream_write_char(th, out_stream(th, args[0]), '\n');
  return NIL;
}

static Value n_fresh_line(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return BOOL(th, stream_fresh_line(th, out_stream(th, args[0])));
}

static Value n_finish_output(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  stream_finish_output(th, out_stream(th, args[0]));
  return NIL;
}

static Value n_force_output(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  stream_force_output(th, out_stream(th, args[0]));
  return NIL;
}

static Value n_clear_output(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  stream_clear_output(th, out_stream(th, args[0]));
  return NIL;
}

static Value n_stream_line_column(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  long col = stream_line_column(th, check_stream(th, args[0]));
  return col < 0 ? NIL : make_fixnum(col);
}

/* ---- sequences ---- */

/* Gray streams get the whole sequence operation: (stream-xxx-sequence stream seq start end). */
static Value gray_sequence(Thread *th, const char *op, Value seq, Value s, Value start, Value end) {
  Value a[4] = {s, seq, arg_or(start, make_fixnum(0)), arg_or(end, NIL)};
  return gray_call(th, op, 4, a);
}

static Value n_read_sequence(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value seq = args[0], s = check_stream(th, args[1]);
  if (!is_stream(s))
    return gray_sequence(th, "STREAM-READ-SEQUENCE", seq, s, args[2], args[3]);
  size_t start, end, len;
  if (is_list(seq)) {
    intptr_t n = list_length(seq);
    if (n < 0)
      type_error(th, seq, SYM(sequence));
    bounds(th, seq, (size_t)n, args[2], args[3], &start, &end);
    bool chars = reads_characters(th, s);
    Value l = seq;
    for (size_t i = 0; i < start; i++)
      l = CDR(l);
    for (size_t i = start; i < end; i++, l = CDR(l)) {
      Value x = chars ? stream_read_char(th, s) : stream_read_byte(th, s);
      if (x == EOF_MARK)
        return make_fixnum((intptr_t)i);
      CAR(l) = x;
    }
    return make_fixnum((intptr_t)end);
  }
  Value data;
  size_t off;
  if (!vector_storage(seq, &data, &off, &len))
    type_error(th, seq, SYM(sequence));
  bounds(th, seq, len, args[2], args[3], &start, &end);
  switch (obj_of(data)->type) {
  case T_STRING:
    for (size_t i = start; i < end; i++) {
      Value c = stream_read_char(th, s);
      if (c == EOF_MARK)
        return make_fixnum((intptr_t)i);
      string_of(data)->data[off + i] = char_code(c);
    }
    return make_fixnum((intptr_t)end);
  case T_OCTETS:
    return make_fixnum(
        (intptr_t)(start + stream_read_octets(th, s, octets_of(data)->data + off + start, end - start)));
  default: {
    bool chars = reads_characters(th, s);
    for (size_t i = start; i < end; i++) {
      Value x = chars ? stream_read_char(th, s) : stream_read_byte(th, s);
      if (x == EOF_MARK)
        return make_fixnum((intptr_t)i);
      svec_of(data)->data[off + i] = x;
    }
    return make_fixnum((intptr_t)end);
  }
  }
}

static void write_element(Thread *th, Value s, Value x, bool chars) {
  if (is_char(x) || (chars && !is_fixnum(x)))
    stream_write_char(th, s, char_arg(th, x));
  else
    stream_write_byte(th, s, octet_arg(th, x));
}

static Value n_write_sequence(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value seq = args[0], s = check_stream(th, args[1]);
  if (!is_stream(s)) {
    gray_sequence(th, "STREAM-WRITE-SEQUENCE", seq, s, args[2], args[3]);
    return seq;
  }
  size_t start, end, len;
  if (is_list(seq)) {
    intptr_t n = list_length(seq);
    if (n < 0)
      type_error(th, seq, SYM(sequence));
    bounds(th, seq, (size_t)n, args[2], args[3], &start, &end);
    bool chars = writes_characters(th, s);
    Value l = seq;
    for (size_t i = 0; i < start; i++)
      l = CDR(l);
    for (size_t i = start; i < end; i++, l = CDR(l))
      write_element(th, s, CAR(l), chars);
    return seq;
  }
  Value data;
  size_t off;
  if (!vector_storage(seq, &data, &off, &len))
    type_error(th, seq, SYM(sequence));
  bounds(th, seq, len, args[2], args[3], &start, &end);
  switch (obj_of(data)->type) {
  case T_STRING:
    stream_write_chars(th, s, string_of(data)->data + off + start, end - start);
    break;
  case T_OCTETS:
    stream_write_octets(th, s, octets_of(data)->data + off + start, end - start);
    break;
  default: {
    bool chars = writes_characters(th, s);
    for (size_t i = start; i < end; i++)
      write_element(th, s, svec_of(data)->data[off + i], chars);
  }
  }
  return seq;
}

/* ---- state and questions ---- */

static Value n_close(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return BOOL(th, stream_close(th, check_stream(th, args[0]), arg_or(args[1], NIL) != NIL));
}

static Value n_open_stream_p(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return BOOL(th, stream_open_p(th, args[0]));
}

static Value n_input_stream_p(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return BOOL(th, stream_input_p(th, args[0]));
}

static Value n_output_stream_p(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return BOOL(th, stream_output_p(th, args[0]));
}

static Value n_interactive_stream_p(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return BOOL(th, stream_interactive_p(th, args[0]));
}

static Value n_stream_element_type(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return stream_element_type(th, args[0]);
}

static Value n_streamp(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return BOOL(th, is_stream(args[0]) || is_gray_stream(th, args[0]));
}

static Value n_file_position(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value s = check_stream(th, args[0]);
  Value pos = arg_or(args[1], NIL);
  return pos == NIL ? stream_file_position(th, s) : stream_set_file_position(th, s, pos);
}

static Value n_file_length(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return stream_file_length(th, check_stream(th, args[0]));
}

/* Octets the object would take in the stream's encoding (characters for string streams). */
static Value n_file_string_length(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value s = check_stream(th, args[0]);
  uint32_t one;
  const uint32_t *cs;
  size_t n;
  if (is_char(args[1])) {
    one = char_code(args[1]);
    cs = &one;
    n = 1;
  } else if (!(cs = string_chars(args[1], &n))) {
    type_error_c(th, args[1], "(OR STRING CHARACTER)");
  }
  Value src = s;
  while (is_stream(src) && stream_of(src)->kind == SK_SYNONYM)
    src = symbol_value(th, stream_of(src)->symbol);
  if (!is_stream(src) || stream_of(src)->kind != SK_FD)
    return make_fixnum((intptr_t)n);
  Stream *st = stream_of(src);
  size_t bytes = 0;
  for (size_t i = 0; i < n; i++) {
    uint32_t c = cs[i];
    if (c == '\n' && st->eol == EOL_CRLF)
      bytes += 2;
    else if (st->encoding != ENC_UTF8 || c < 0x80)
      bytes += 1;
    else
      bytes += c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
  }
  return make_fixnum((intptr_t)bytes);
}

/* ---- string streams ---- */

static Value n_make_string_input_stream(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  size_t len, start, end;
  if (!string_chars(args[0], &len))
    type_error(th, args[0], SYM(string));
  bounds(th, args[0], len, args[1], args[2], &start, &end);
  return make_string_input_stream(th, args[0], start, end);
}

static Value n_make_string_output_stream(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value et = arg_or(args[0], SYM(character));
  if (!(et == SYM(character) || et == SYM(base_char) || et == SYM(standard_char) ||
        et == intern_c(th, "EXTENDED-CHAR", th->vm->pkg_cl) ||
        et == intern_c(th, "BASE-CHARACTER", th->vm->pkg_ccl)))
    simple_error(th, "~S argument ~S is not a subtype of ~S.", keyword_c(th, "ELEMENT-TYPE"), et,
                 SYM(character));
  return make_string_output_stream(th);
}

static Value n_get_output_stream_string(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return get_output_stream_string(th, args[0]);
}

static Value n_make_fill_pointer_output_stream(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return make_fill_pointer_output_stream(th, args[0]);
}

static Value n_string_input_stream_index(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value s = args[0];
  if (!is_stream(s) || stream_of(s)->kind != SK_STRING_IN)
    type_error(th, s, intern_c(th, "STRING-INPUT-STREAM", th->vm->pkg_ccl));
  return make_fixnum((intptr_t)(stream_of(s)->pos - stream_of(s)->offset));
}

/* ---- composite streams ---- */

static Value n_make_broadcast_stream(Thread *th, int nargs, Value *args) {
  return make_broadcast_stream(th, list_from_array(th, nargs, args));
}

static Value n_make_concatenated_stream(Thread *th, int nargs, Value *args) {
  return make_concatenated_stream(th, list_from_array(th, nargs, args));
}

static Value n_make_two_way_stream(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return make_two_way_stream(th, args[0], args[1]);
}

static Value n_make_echo_stream(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return make_echo_stream(th, args[0], args[1]);
}

static Value n_make_synonym_stream(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return make_synonym_stream(th, args[0]);
}

static Stream *of_kind(Thread *th, Value s, int kind, int kind2, const char *type) {
  if (!is_stream(s) || (stream_of(s)->kind != kind && stream_of(s)->kind != kind2))
    type_error(th, s, intern_c(th, type, th->vm->pkg_cl));
  return stream_of(s);
}

static Value n_broadcast_stream_streams(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return of_kind(th, args[0], SK_BROADCAST, SK_BROADCAST, "BROADCAST-STREAM")->streams;
}

static Value n_concatenated_stream_streams(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return of_kind(th, args[0], SK_CONCATENATED, SK_CONCATENATED, "CONCATENATED-STREAM")->streams;
}

/* CCL's echo-stream is a subclass of two-way-stream: both accessors work on it. */
static Value n_two_way_stream_input_stream(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return CAR(of_kind(th, args[0], SK_TWO_WAY, SK_ECHO, "TWO-WAY-STREAM")->streams);
}

static Value n_two_way_stream_output_stream(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return CDR(of_kind(th, args[0], SK_TWO_WAY, SK_ECHO, "TWO-WAY-STREAM")->streams);
}

static Value n_echo_stream_input_stream(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return CAR(of_kind(th, args[0], SK_ECHO, SK_ECHO, "ECHO-STREAM")->streams);
}

static Value n_echo_stream_output_stream(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return CDR(of_kind(th, args[0], SK_ECHO, SK_ECHO, "ECHO-STREAM")->streams);
}

static Value n_synonym_stream_symbol(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return of_kind(th, args[0], SK_SYNONYM, SK_SYNONYM, "SYNONYM-STREAM")->symbol;
}

static const NativeDesc stream_natives[] = {
    {"READ-CHAR", n_read_char, 0, 4, 0, NULL,
     "(&optional input-stream (eof-error-p t) eof-value recursive-p)",
     "Read the next character from INPUT-STREAM. At end of file, signal END-OF-FILE if\n"
     "EOF-ERROR-P is true, else return EOF-VALUE."},
    {"READ-CHAR-NO-HANG", n_read_char_no_hang, 0, 4, 0, NULL,
     "(&optional input-stream (eof-error-p t) eof-value recursive-p)",
     "Like READ-CHAR, but return NIL at once when no character is available yet."},
    {"UNREAD-CHAR", n_unread_char, 1, 2, 0, NULL, "(character &optional input-stream)",
     "Put CHARACTER, the last character read from INPUT-STREAM, back onto it."},
    {"PEEK-CHAR", n_peek_char, 0, 5, 0, NULL,
     "(&optional peek-type input-stream (eof-error-p t) eof-value recursive-p)",
     "Return the next character of INPUT-STREAM without consuming it. PEEK-TYPE T skips\n"
     "whitespace first; a character skips up to that character."},
    {"READ-LINE", n_read_line, 0, 4, NAT_MV, NULL,
     "(&optional input-stream (eof-error-p t) eof-value recursive-p)",
     "Read a line of text from INPUT-STREAM and return it without the newline. The second\n"
     "value is true when the line ended at end of file instead of with a newline."},
    {"LISTEN", n_listen, 0, 1, 0, NULL, "(&optional input-stream)",
     "True when a character is available on INPUT-STREAM without waiting."},
    {"CLEAR-INPUT", n_clear_input, 0, 1, 0, NULL, "(&optional input-stream)",
     "Discard the input buffered on INPUT-STREAM (a terminal's typed-ahead line, a socket's\n"
     "pending data)."},
    {"READ-BYTE", n_read_byte, 1, 3, 0, NULL, "(stream &optional (eof-error-p t) eof-value)",
     "Read the next octet from a binary (or bivalent) STREAM."},
    {"WRITE-BYTE", n_write_byte, 2, 2, 0, NULL, "(byte stream)", "Write one octet, BYTE, to STREAM."},
    {"WRITE-CHAR", n_write_char, 1, 2, 0, NULL, "(character &optional output-stream)",
     "Output CHARACTER to OUTPUT-STREAM."},
    {"WRITE-STRING", n_write_string, 1, 2, 0, "start end",
     "(string &optional output-stream &key (start 0) end)",
     "Write the characters of the subsequence of STRING bounded by START and END to\n"
     "OUTPUT-STREAM."},
    {"WRITE-LINE", n_write_line, 1, 2, 0, "start end", "(string &optional output-stream &key (start 0) end)",
     "Write the characters of the subsequence of STRING bounded by START and END to\n"
     "OUTPUT-STREAM, then a newline."},
    {"TERPRI", n_terpri, 0, 1, 0, NULL, "(&optional output-stream)", "Output a newline to OUTPUT-STREAM."},
    {"FRESH-LINE", n_fresh_line, 0, 1, 0, NULL, "(&optional output-stream)",
     "Output a newline only if OUTPUT-STREAM is not already at the start of a line.\n"
     "Return T if a newline was written."},
    {"FINISH-OUTPUT", n_finish_output, 0, 1, 0, NULL, "(&optional output-stream)",
     "Send the output buffered on OUTPUT-STREAM to its destination and wait until it is written."},
    {"FORCE-OUTPUT", n_force_output, 0, 1, 0, NULL, "(&optional output-stream)",
     "Send the output buffered on OUTPUT-STREAM to its destination."},
    {"CLEAR-OUTPUT", n_clear_output, 0, 1, 0, NULL, "(&optional output-stream)",
     "Discard the output buffered on OUTPUT-STREAM."},
    {"CCL:STREAM-LINE-COLUMN", n_stream_line_column, 1, 1, 0, NULL, "(stream)",
     "The column of STREAM's output cursor, or NIL when unknown."},
    {"CCL::%STREAM-LINE-COLUMN", n_stream_line_column, 1, 1, 0, NULL, "(stream)",
     "The column of STREAM's output cursor, or NIL when unknown (STREAM-LINE-COLUMN's method on STREAM)."},
    {"READ-SEQUENCE", n_read_sequence, 2, 2, 0, "start end", "(sequence stream &key (start 0) end)",
     "Fill SEQUENCE from START to END with elements read from STREAM. Return the index of\n"
     "the first element not updated (less than END at end of file)."},
    {"WRITE-SEQUENCE", n_write_sequence, 2, 2, 0, "start end", "(sequence stream &key (start 0) end)",
     "Write the elements of SEQUENCE from START to END to STREAM; return SEQUENCE."},
    {"CLOSE", n_close, 1, 1, 0, "abort", "(stream &key abort)",
     "Close STREAM: flush its output (discard it with :ABORT T) and release its file\n"
     "descriptor. Return T if the stream was open."},
    {"OPEN-STREAM-P", n_open_stream_p, 1, 1, 0, NULL, "(stream)", "True if STREAM is open."},
    {"INPUT-STREAM-P", n_input_stream_p, 1, 1, 0, NULL, "(stream)", "True if STREAM can perform input."},
    {"OUTPUT-STREAM-P", n_output_stream_p, 1, 1, 0, NULL, "(stream)", "True if STREAM can perform output."},
    {"INTERACTIVE-STREAM-P", n_interactive_stream_p, 1, 1, 0, NULL, "(stream)",
     "True if STREAM reads from a terminal."},
    {"STREAM-ELEMENT-TYPE", n_stream_element_type, 1, 1, 0, NULL, "(stream)",
     "The type of the elements STREAM reads or writes: CHARACTER, (UNSIGNED-BYTE 8), ..."},
    {"STREAMP", n_streamp, 1, 1, 0, NULL, "(object)", "True if OBJECT is a stream."},
    {"FILE-POSITION", n_file_position, 1, 2, 0, NULL, "(stream &optional position)",
     "Return the current position in STREAM, or set it to POSITION (an index, :START or\n"
     ":END) and return the new position."},
    {"FILE-LENGTH", n_file_length, 1, 1, 0, NULL, "(stream)", "The length of the file STREAM is open to."},
    {"FILE-STRING-LENGTH", n_file_string_length, 2, 2, 0, NULL, "(stream object)",
     "How many file positions writing OBJECT (a string or character) to STREAM would take."},
    {"MAKE-STRING-INPUT-STREAM", n_make_string_input_stream, 1, 3, 0, NULL,
     "(string &optional (start 0) end)",
     "Return an input stream which will supply the characters of STRING between START and\n"
     "END in order."},
    {"MAKE-STRING-OUTPUT-STREAM", n_make_string_output_stream, 0, 0, 0, "element-type",
     "(&key (element-type 'character))",
     "Return an output stream which will accumulate all output given it for the benefit of\n"
     "the function GET-OUTPUT-STREAM-STRING."},
    {"GET-OUTPUT-STREAM-STRING", n_get_output_stream_string, 1, 1, 0, NULL, "(string-output-stream)",
     "Return the characters written to STRING-OUTPUT-STREAM so far, and clear it."},
    {"CCL::%MAKE-STRING-OUTPUT-STREAM", n_make_fill_pointer_output_stream, 1, 1, 0, NULL, "(string)",
     "An output stream that appends to STRING, which must have a fill pointer\n"
     "(WITH-OUTPUT-TO-STRING with a string argument)."},
    {"CCL::%MAKE-FILL-POINTER-OUTPUT-STREAM", n_make_fill_pointer_output_stream, 1, 1, 0, NULL, "(string)",
     "The same as CCL::%MAKE-STRING-OUTPUT-STREAM."},
    {"CCL::%STRING-INPUT-STREAM-INDEX", n_string_input_stream_index, 1, 1, 0, NULL, "(stream)",
     "The same as CCL::STRING-INPUT-STREAM-INDEX."},
    {"CCL::STRING-INPUT-STREAM-INDEX", n_string_input_stream_index, 1, 1, 0, NULL, "(stream)",
     "The index into its string of the next character STREAM will read (for\n"
     "WITH-INPUT-FROM-STRING's :INDEX)."},
    {"MAKE-BROADCAST-STREAM", n_make_broadcast_stream, 0, 0, NAT_REST, NULL, "(&rest streams)",
     "Return an output stream which sends its output to all of STREAMS."},
    {"MAKE-CONCATENATED-STREAM", n_make_concatenated_stream, 0, 0, NAT_REST, NULL, "(&rest streams)",
     "Return an input stream which takes its input from each of STREAMS in turn, going on\n"
     "to the next at end of file."},
    {"MAKE-TWO-WAY-STREAM", n_make_two_way_stream, 2, 2, 0, NULL, "(input-stream output-stream)",
     "Return a bidirectional stream which gets its input from INPUT-STREAM and sends its\n"
     "output to OUTPUT-STREAM."},
    {"MAKE-ECHO-STREAM", n_make_echo_stream, 2, 2, 0, NULL, "(input-stream output-stream)",
     "Like MAKE-TWO-WAY-STREAM, and all input is echoed to OUTPUT-STREAM."},
    {"MAKE-SYNONYM-STREAM", n_make_synonym_stream, 1, 1, 0, NULL, "(symbol)",
     "Return a stream that does all its operations on the current value of the special\n"
     "variable SYMBOL."},
    {"BROADCAST-STREAM-STREAMS", n_broadcast_stream_streams, 1, 1, 0, NULL, "(broadcast-stream)",
     "The streams a broadcast stream writes to."},
    {"CONCATENATED-STREAM-STREAMS", n_concatenated_stream_streams, 1, 1, 0, NULL, "(concatenated-stream)",
     "The streams a concatenated stream has yet to read from."},
    {"TWO-WAY-STREAM-INPUT-STREAM", n_two_way_stream_input_stream, 1, 1, 0, NULL, "(two-way-stream)",
     "The stream a two-way stream reads from."},
    {"TWO-WAY-STREAM-OUTPUT-STREAM", n_two_way_stream_output_stream, 1, 1, 0, NULL, "(two-way-stream)",
     "The stream a two-way stream writes to."},
    {"ECHO-STREAM-INPUT-STREAM", n_echo_stream_input_stream, 1, 1, 0, NULL, "(echo-stream)",
     "The stream an echo stream reads from."},
    {"ECHO-STREAM-OUTPUT-STREAM", n_echo_stream_output_stream, 1, 1, 0, NULL, "(echo-stream)",
     "The stream an echo stream writes (and echoes) to."},
    {"SYNONYM-STREAM-SYMBOL", n_synonym_stream_symbol, 1, 1, 0, NULL, "(synonym-stream)",
     "The special variable a synonym stream stands for."},
    {0},
};

void builtins_streams_init(Thread *th) { define_natives(th, stream_natives); }
