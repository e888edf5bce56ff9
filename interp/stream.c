/* stream.c — the stream protocol: dispatch over every kind of stream, the composite
 * streams (broadcast, two-way, echo, concatenated, synonym), errors, printing, standard streams. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "stream_impl.h"

Value stream_class_name(Thread *th, const char *name, bool in_cl) {
  Value sym = intern_c(th, name, in_cl ? th->vm->pkg_cl : th->vm->pkg_ccl);
  Value cls = find_class(th, sym, false);
  return cls != NIL ? cls : sym;
}

Value stream_class_symbol(Value klass) { return is_type(klass, T_CLASS) ? class_of_obj(klass)->name : klass; }

/* ---- errors ---- */

static Value list_of_args(Thread *th, int nargs, va_list ap) {
  Value items[8];
  int n = 0;
  for (int i = 0; i < nargs && i < 8; i++)
    items[n++] = va_arg(ap, Value);
  return list_from_array(th, n, items);
}

static NORETURN void signal_with(Thread *th, Value type, Value key, Value obj, const char *fmt, Value args) {
  Value initargs[6] = {key, obj, SYM(k_format_control), make_string_c(th, fmt), SYM(k_format_arguments),
                       args};
  error_condition(th, make_condition(th, type, 6, initargs));
}

/* A CCL condition class when the condition system defines it, else the standard parent. */
static Value ccl_type_or(Thread *th, const char *name, Value fallback) {
  Value sym = intern_c(th, name, th->vm->pkg_ccl);
  return find_class(th, sym, false) != NIL ? sym : fallback;
}

NORETURN void stream_error(Thread *th, Value type, Value stream, const char *fmt, int nargs, ...) {
  va_list ap;
  va_start(ap, nargs);
  Value args = list_of_args(th, nargs, ap);
  va_end(ap);
  signal_with(th, type, SYM(k_stream), stream, fmt, args);
}

NORETURN void stream_closed_error(Thread *th, Value stream) {
  Value type = ccl_type_or(th, "STREAM-IS-CLOSED-ERROR", SYM(stream_error));
  stream_error(th, type, stream, "~S is closed", 1, stream);
}

NORETURN void stream_eof_error(Thread *th, Value stream) {
  Value initargs[2] = {SYM(k_stream), stream};
  error_condition(th, make_condition(th, SYM(end_of_file), 2, initargs));
}

static const StreamHooks *hooks_of(Value sv) {
  Stream *s = stream_of(sv);
  return s->kind == SK_FD && s->extra ? *(const StreamHooks *const *)s->extra : NULL;
}

NORETURN void stream_io_error(Thread *th, Value stream, int err, const char *situation) {
  const StreamHooks *hooks = hooks_of(stream);
  if (hooks && hooks->io_error)
    hooks->io_error(th, stream, err, situation);
  Value type = ccl_type_or(th, "SIMPLE-STREAM-ERROR", SYM(stream_error));
  stream_error(th, type, stream, "~A during ~A", 2, make_string_c(th, strerror(err)),
               make_string_c(th, situation));
}

NORETURN void stream_timeout_error(Thread *th, Value s, int io_result, bool output) {
  if (io_result == IO_DEADLINE)
    stream_error(th, ccl_type_or(th, "COMMUNICATION-DEADLINE-EXPIRED", SYM(stream_error)), s,
                 "Communication deadline timeout on ~S", 1, s);
  if (output)
    stream_error(th, ccl_type_or(th, "OUTPUT-TIMEOUT", SYM(stream_error)), s, "Output timeout on ~S", 1, s);
  stream_error(th, ccl_type_or(th, "INPUT-TIMEOUT", SYM(stream_error)), s, "Input timeout on ~S", 1, s);
}

NORETURN void file_error(Thread *th, Value pathname, const char *fmt, int nargs, ...) {
  va_list ap;
  va_start(ap, nargs);
  Value args = list_of_args(th, nargs, ap);
  va_end(ap);
  signal_with(th, SYM(file_error), SYM(k_pathname), pathname, fmt, args);
}

NORETURN void file_errno_error(Thread *th, Value pathname, int err) {
  file_error(th, pathname, is_any_string(pathname) ? "~A : #P~S" : "~A : ~S", 2,
             make_string_c(th, strerror(err)), pathname);
}

/* CCL: basic streams lacking a direction or element type fail the type check of the
 * ioblock function; other streams say they are not capable of it. */
static NORETURN void not_capable(Thread *th, Value sv, bool input, bool chars) {
  Stream *s = stream_of(sv);
  if (s->kind == SK_FD || s->kind == SK_STRING_IN || s->kind == SK_STRING_OUT) {
    const char *t = input ? (chars ? "(AND CCL::CHARACTER-STREAM CCL::INPUT-STREAM)"
                                   : "(AND CCL::BINARY-STREAM CCL::INPUT-STREAM)")
                          : (chars ? "(AND CCL::CHARACTER-STREAM CCL::OUTPUT-STREAM)"
                                   : "(AND CCL::BINARY-STREAM CCL::OUTPUT-STREAM)");
    type_error_c(th, sv, t);
  }
  if (input)
    simple_error(th, "~S is not capable of input", sv);
  simple_error(th, "stream ~S is not capable of output", sv);
}

/* A closed string stream says it is closed before it says what it cannot do. */
static NORETURN void refuse(Thread *th, Value sv, bool input, bool chars) {
  Stream *s = stream_of(sv);
  if ((s->kind == SK_STRING_IN || s->kind == SK_STRING_OUT) && !(s->flags & STRM_OPEN))
    stream_closed_error(th, sv);
  not_capable(th, sv, input, chars);
}


/* ---- Gray streams ----
 * An instance of a subclass of CCL:FUNDAMENTAL-STREAM is a stream whose operations are
 * the generic functions of stdlib/gray.lisp. Every entry below tests for one only after
 * the T_STREAM fast path has failed, so ordinary streams pay nothing. */

static Value gray_class(Thread *th, const char *name) {
  return find_class(th, intern_c(th, name, th->vm->pkg_ccl), false);
}

static bool gray_is_a(Thread *th, Value v, const char *class_name) {
  Value cls = gray_class(th, class_name);
  return cls != NIL && subclassp(instance_of(v)->klass, cls);
}

bool is_gray_stream(Thread *th, Value v) {
  return is_type(v, T_INSTANCE) && is_type(instance_of(v)->klass, T_CLASS) &&
         gray_is_a(th, v, "FUNDAMENTAL-STREAM");
}

#define GRAY(v) (!is_stream(v) && is_gray_stream(th, v))

Value gray_call(Thread *th, const char *name, int nargs, Value *args) {
  /* stdlib/gray.lisp is an autoload module whose generic functions have no stubs. */
  autoload_resolve(th, symbol_of(th, intern_c(th, "%GRAY-READ-LINE", th->vm->pkg_ccl))->function);
  return call_function(th, intern_c(th, name, th->vm->pkg_ccl), nargs, args);
}

static Value gray1(Thread *th, const char *name, Value s) { return gray_call(th, name, 1, &s); }
static Value gray2(Thread *th, const char *name, Value s, Value a) {
  Value args[2] = {s, a};
  return gray_call(th, name, 2, args);
}

/* A character, or EOF_MARK for :EOF; also NIL when nil_ok (READ-CHAR-NO-HANG). */
static Value gray_char_result(Thread *th, Value r, bool nil_ok) {
  if (r == keyword_c(th, "EOF"))
    return EOF_MARK;
  if (is_char(r) || (nil_ok && r == NIL))
    return r;
  type_error_c(th, r, nil_ok ? "(OR CHARACTER NULL (EQL :EOF))" : "(OR CHARACTER (EQL :EOF))");
}

static Value gray_read_char(Thread *th, Value s) {
  return gray_char_result(th, gray1(th, "STREAM-READ-CHAR", s), false);
}

static Value gray_read_line(Thread *th, Value s, bool *missing_newline) {
  Value r = gray1(th, "%GRAY-READ-LINE", s); /* (line . missing-newline-p) */
  Value line = CAR(r);
  *missing_newline = CDR(r) != NIL;
  size_t n;
  if (!string_chars(line, &n))
    type_error(th, line, SYM(string));
  return (*missing_newline && n == 0) ? EOF_MARK : line;
}

static void gray_write_chars(Thread *th, Value s, const uint32_t *cs, size_t n) {
  if (n == 1) {
    gray2(th, "STREAM-WRITE-CHAR", s, make_char(cs[0]));
    return;
  }
  Value str = make_string_n(th, n);
  memcpy(string_of(str)->data, cs, n * sizeof(uint32_t));
  Value args[4] = {s, str, make_fixnum(0), make_fixnum((intptr_t)n)};
  gray_call(th, "STREAM-WRITE-STRING", 4, args);
}

static Value gray_byte_result(Thread *th, Value r) {
  if (r == keyword_c(th, "EOF"))
    return EOF_MARK;
  if (!is_fixnum(r) || fixnum_val(r) < 0 || fixnum_val(r) > 255)
    type_error_c(th, r, "(OR (UNSIGNED-BYTE 8) (EQL :EOF))");
  return r;
}

/* ---- designators ---- */

Value check_stream(Thread *th, Value v) {
  if (!is_stream(v) && !is_gray_stream(th, v))
    type_error(th, v, SYM(stream));
  return v;
}

Value stream_designator_out(Thread *th, Value d) {
  if (d == NIL || d == UNSUPPLIED)
    d = symbol_value(th, SYM(standard_output));
  else if (d == SYM(t))
    d = symbol_value(th, SYM(terminal_io));
  return check_stream(th, d);
}

Value stream_designator_in(Thread *th, Value d) {
  if (d == NIL || d == UNSUPPLIED)
    d = symbol_value(th, SYM(standard_input));
  else if (d == SYM(t))
    d = symbol_value(th, SYM(terminal_io));
  return check_stream(th, d);
}

Value standard_output(Thread *th) { return symbol_value(th, SYM(standard_output)); }
Value standard_input(Thread *th) { return symbol_value(th, SYM(standard_input)); }
Value error_output(Thread *th) { return symbol_value(th, SYM(error_output)); }

/* The stream a synonym stream stands for now. */
static Value synonym_target(Thread *th, Value sv) {
  for (int depth = 0; depth < 64; depth++) {
    Value v = symbol_value(th, stream_of(sv)->symbol);
    if (!is_stream(v)) {
      if (is_gray_stream(th, v))
        return v;
      type_error(th, v, SYM(stream));
    }
    if (stream_of(v)->kind != SK_SYNONYM)
      return v;
    sv = v;
  }
  simple_error(th, "Synonym streams refer to each other in a circle: ~S", sv);
}

static Value in_of(Stream *s) { return CAR(s->streams); }
static Value out_of(Stream *s) { return CDR(s->streams); }

static inline void check_open(Thread *th, Value sv) {
  if (!(stream_of(sv)->flags & STRM_OPEN))
    stream_closed_error(th, sv);
}

static inline bool fd_chars_in(Stream *s) {
  return (s->flags & STRM_INPUT) && (!(s->flags & STRM_BINARY) || (s->flags & STRM_BIVALENT));
}
static inline bool fd_chars_out(Stream *s) {
  return (s->flags & STRM_OUTPUT) && (!(s->flags & STRM_BINARY) || (s->flags & STRM_BIVALENT));
}
static inline bool fd_bytes_in(Stream *s) {
  return (s->flags & STRM_INPUT) && (s->flags & (STRM_BINARY | STRM_BIVALENT));
}
static inline bool fd_bytes_out(Stream *s) {
  return (s->flags & STRM_OUTPUT) && (s->flags & (STRM_BINARY | STRM_BIVALENT));
}

/* ---- character input ---- */

Value stream_read_char(Thread *th, Value sv) {
  for (;;) {
    if (GRAY(sv))
      return gray_read_char(th, sv);
    Stream *s = stream_of(check_stream(th, sv));
    switch (s->kind) {
    case SK_STRING_IN:
      check_open(th, sv);
      return sin_read_char(th, sv);
    case SK_FD: {
      check_open(th, sv);
      if (!fd_chars_in(s))
        not_capable(th, sv, true, true);
      return fd_read_char(th, sv);
    }
    case SK_SYNONYM:
      sv = synonym_target(th, sv);
      continue;
    case SK_TWO_WAY:
      sv = in_of(s);
      continue;
    case SK_ECHO: {
      Value c = stream_read_char(th, in_of(s));
      if (c != EOF_MARK) {
        if (s->unread != UNBOUND)
          s->unread = UNBOUND; /* was echoed when first read */
        else
          stream_write_char(th, out_of(s), char_code(c));
      }
      return c;
    }
    case SK_CONCATENATED:
      while (is_cons(s->streams)) {
        Value c = stream_read_char(th, CAR(s->streams));
        if (c != EOF_MARK)
          return c;
        s->streams = CDR(s->streams);
      }
      return EOF_MARK;
    default:
      refuse(th, sv, true, true);
    }
  }
}

Value stream_peek_char(Thread *th, Value sv) {
  for (;;) {
    if (GRAY(sv))
      return gray_char_result(th, gray1(th, "STREAM-PEEK-CHAR", sv), false);
    Stream *s = stream_of(check_stream(th, sv));
    switch (s->kind) {
    case SK_STRING_IN:
      check_open(th, sv);
      return sin_peek_char(th, sv);
    case SK_FD:
      check_open(th, sv);
      if (!fd_chars_in(s))
        not_capable(th, sv, true, true);
      return fd_peek_char(th, sv);
    case SK_SYNONYM:
      sv = synonym_target(th, sv);
      continue;
    case SK_TWO_WAY:
    case SK_ECHO:
      sv = in_of(s);
      continue;
    case SK_CONCATENATED:
      while (is_cons(s->streams)) {
        Value c = stream_peek_char(th, CAR(s->streams));
        if (c != EOF_MARK)
          return c;
        s->streams = CDR(s->streams);
      }
      return EOF_MARK;
    default:
      refuse(th, sv, true, true);
    }
  }
}

void stream_unread_char(Thread *th, Value sv, Value ch) {
  if (!is_char(ch))
    type_error(th, ch, SYM(character));
  for (;;) {
    if (GRAY(sv))
      {
        gray2(th, "STREAM-UNREAD-CHAR", sv, ch);
        return;
      }
    Stream *s = stream_of(check_stream(th, sv));
    switch (s->kind) {
    case SK_STRING_IN:
      check_open(th, sv);
      sin_unread_char(th, sv, ch);
      return;
    case SK_FD:
      check_open(th, sv);
      if (!fd_chars_in(s))
        not_capable(th, sv, true, true);
      if (s->unread != UNBOUND)
        simple_error(th, "Two UNREAD-CHARs without intervening READ-CHAR on ~S", sv);
      s->unread = ch;
      untrack_read(s, char_code(ch));
      return;
    case SK_SYNONYM:
      sv = synonym_target(th, sv);
      continue;
    case SK_TWO_WAY:
      sv = in_of(s);
      continue;
    case SK_ECHO:
      stream_unread_char(th, in_of(s), ch);
      s->unread = ch;
      return;
    case SK_CONCATENATED:
      if (!is_cons(s->streams))
        return;
      sv = CAR(s->streams);
      continue;
    default:
      refuse(th, sv, true, true);
    }
  }
}

Value stream_read_char_no_hang(Thread *th, Value sv) {
  for (;;) {
    if (GRAY(sv))
      return gray_char_result(th, gray1(th, "STREAM-READ-CHAR-NO-HANG", sv), true);
    Stream *s = stream_of(check_stream(th, sv));
    switch (s->kind) {
    case SK_STRING_IN:
      check_open(th, sv);
      return sin_read_char(th, sv);
    case SK_FD:
      check_open(th, sv);
      if (!fd_chars_in(s))
        not_capable(th, sv, true, true);
      return fd_input_ready(th, sv) ? stream_read_char(th, sv) : NIL;
    case SK_SYNONYM:
      sv = synonym_target(th, sv);
      continue;
    case SK_TWO_WAY:
      sv = in_of(s);
      continue;
    case SK_ECHO: {
      Value c = stream_read_char_no_hang(th, in_of(s));
      if (is_char(c)) {
        if (s->unread != UNBOUND)
          s->unread = UNBOUND;
        else
          stream_write_char(th, out_of(s), char_code(c));
      }
      return c;
    }
    case SK_CONCATENATED:
      while (is_cons(s->streams)) {
        Value c = stream_read_char_no_hang(th, CAR(s->streams));
        if (c != EOF_MARK)
          return c;
        s->streams = CDR(s->streams);
      }
      return EOF_MARK;
    default:
      refuse(th, sv, true, true);
    }
  }
}

static Value generic_read_line(Thread *th, Value sv, bool *missing_newline) {
  LineBuf b;
  lb_init(&b);
  *missing_newline = false;
  for (;;) {
    Value c = stream_read_char(th, sv);
    if (c == EOF_MARK) {
      if (b.n == 0)
        return EOF_MARK;
      *missing_newline = true;
      break;
    }
    if (char_code(c) == '\n')
      break;
    lb_push(th, &b, char_code(c));
  }
  return lb_string(th, &b);
}

Value stream_read_line(Thread *th, Value sv, bool *missing_newline) {
  for (;;) {
    if (GRAY(sv))
      return gray_read_line(th, sv, missing_newline);
    Stream *s = stream_of(check_stream(th, sv));
    switch (s->kind) {
    case SK_STRING_IN:
      check_open(th, sv);
      return sin_read_line(th, sv, missing_newline);
    case SK_FD: {
      check_open(th, sv);
      if (!fd_chars_in(s))
        not_capable(th, sv, true, true);
      return fd_read_line(th, sv, missing_newline);
    }
    case SK_SYNONYM:
      sv = synonym_target(th, sv);
      continue;
    case SK_TWO_WAY:
      sv = in_of(s);
      continue;
    case SK_ECHO:
    case SK_CONCATENATED:
      return generic_read_line(th, sv, missing_newline);
    default:
      refuse(th, sv, true, true);
    }
  }
}

/* ---- character output ---- */

void stream_write_chars(Thread *th, Value sv, const uint32_t *cs, size_t n) {
  for (;;) {
    if (GRAY(sv))
      {
        gray_write_chars(th, sv, cs, n);
        return;
      }
    Stream *s = stream_of(check_stream(th, sv));
    switch (s->kind) {
    case SK_STRING_OUT:
      check_open(th, sv);
      sout_write_chars(th, sv, cs, n);
      return;
    case SK_FD:
      check_open(th, sv);
      if (!fd_chars_out(s))
        not_capable(th, sv, false, true);
      fd_write_chars(th, sv, cs, n);
      return;
    case SK_SYNONYM:
      sv = synonym_target(th, sv);
      continue;
    case SK_TWO_WAY:
    case SK_ECHO:
      sv = out_of(s);
      continue;
    case SK_BROADCAST:
      for (Value l = s->streams; is_cons(l); l = CDR(l))
        stream_write_chars(th, CAR(l), cs, n);
      return;
    default:
      refuse(th, sv, false, true);
    }
  }
}

void stream_write_char(Thread *th, Value sv, uint32_t c) { stream_write_chars(th, sv, &c, 1); }

void stream_write_string(Thread *th, Value sv, Value string) {
  size_t n;
  const uint32_t *cs = string_chars(string, &n);
  if (!cs)
    type_error(th, string, SYM(string));
  stream_write_chars(th, sv, cs, n);
}

void stream_write_cstr(Thread *th, Value sv, const char *utf8) {
  uint32_t buf[256];
  size_t n = 0;
  const unsigned char *p = (const unsigned char *)utf8;
  while (*p) {
    uint32_t c = *p++;
    if (c >= 0xC0) {
      int more = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : 1;
      c &= (uint32_t)(0x3F >> more);
      while (more-- && (*p & 0xC0) == 0x80)
        c = (c << 6) | (*p++ & 0x3F);
    } else if (c >= 0x80) {
      c = 0xFFFD;
    }
    buf[n++] = c;
    if (n == 256) {
      stream_write_chars(th, sv, buf, n);
      n = 0;
    }
  }
  if (n)
    stream_write_chars(th, sv, buf, n);
}

bool stream_fresh_line(Thread *th, Value sv) {
  if (GRAY(sv))
    return gray1(th, "STREAM-FRESH-LINE", sv) != NIL;
  Stream *s = stream_of(check_stream(th, sv));
  if (s->kind == SK_BROADCAST) {
    bool wrote = false;
    for (Value l = s->streams; is_cons(l); l = CDR(l))
      wrote = stream_fresh_line(th, CAR(l));
    return wrote;
  }
  if (stream_line_column(th, sv) == 0)
    return false;
  stream_write_char(th, sv, '\n');
  return true;
}

long stream_line_column(Thread *th, Value sv) {
  for (;;) {
    if (GRAY(sv))
      {
        Value col = gray1(th, "STREAM-LINE-COLUMN", sv);
        return is_fixnum(col) ? (long)fixnum_val(col) : -1;
      }
    Stream *s = stream_of(check_stream(th, sv));
    switch (s->kind) {
    case SK_FD:
    case SK_STRING_OUT:
      return (s->flags & STRM_OUTPUT) ? s->out_column : -1;
    case SK_SYNONYM:
      sv = synonym_target(th, sv);
      continue;
    case SK_TWO_WAY:
    case SK_ECHO:
      sv = out_of(s);
      continue;
    case SK_BROADCAST: {
      long col = -1;
      for (Value l = s->streams; is_cons(l); l = CDR(l))
        col = stream_line_column(th, CAR(l));
      return col;
    }
    default:
      return -1;
    }
  }
}

/* ---- bytes ---- */

Value stream_read_byte(Thread *th, Value sv) {
  for (;;) {
    if (GRAY(sv))
      return gray_byte_result(th, gray1(th, "STREAM-READ-BYTE", sv));
    Stream *s = stream_of(check_stream(th, sv));
    switch (s->kind) {
    case SK_FD:
      check_open(th, sv);
      if (!fd_bytes_in(s))
        not_capable(th, sv, true, false);
      return fd_read_byte(th, sv);
    case SK_SYNONYM:
      sv = synonym_target(th, sv);
      continue;
    case SK_TWO_WAY:
      sv = in_of(s);
      continue;
    case SK_ECHO: {
      Value b = stream_read_byte(th, in_of(s));
      if (b != EOF_MARK)
        stream_write_byte(th, out_of(s), (uint8_t)fixnum_val(b));
      return b;
    }
    case SK_CONCATENATED:
      while (is_cons(s->streams)) {
        Value b = stream_read_byte(th, CAR(s->streams));
        if (b != EOF_MARK)
          return b;
        s->streams = CDR(s->streams);
      }
      return EOF_MARK;
    default:
      refuse(th, sv, true, false);
    }
  }
}

void stream_write_octets(Thread *th, Value sv, const uint8_t *buf, size_t n) {
  for (;;) {
    if (GRAY(sv))
      {
        for (size_t i = 0; i < n; i++)
          gray2(th, "STREAM-WRITE-BYTE", sv, make_fixnum(buf[i]));
        return;
      }
    Stream *s = stream_of(check_stream(th, sv));
    switch (s->kind) {
    case SK_FD:
      check_open(th, sv);
      if (!fd_bytes_out(s))
        not_capable(th, sv, false, false);
      fd_write_octets(th, sv, buf, n);
      return;
    case SK_SYNONYM:
      sv = synonym_target(th, sv);
      continue;
    case SK_TWO_WAY:
    case SK_ECHO:
      sv = out_of(s);
      continue;
    case SK_BROADCAST:
      for (Value l = s->streams; is_cons(l); l = CDR(l))
        stream_write_octets(th, CAR(l), buf, n);
      return;
    default:
      refuse(th, sv, false, false);
    }
  }
}

void stream_write_byte(Thread *th, Value sv, uint8_t b) { stream_write_octets(th, sv, &b, 1); }

size_t stream_read_octets(Thread *th, Value sv, uint8_t *buf, size_t n) {
  Value target = sv;
  while (is_stream(target)) {
    Stream *s = stream_of(target);
    if (s->kind == SK_SYNONYM)
      target = synonym_target(th, target);
    else if (s->kind == SK_TWO_WAY)
      target = in_of(s);
    else
      break;
  }
  check_stream(th, target);
  Stream *s = is_stream(target) ? stream_of(target) : NULL;
  if (s && s->kind == SK_FD) {
    check_open(th, target);
    if (!fd_bytes_in(s))
      not_capable(th, target, true, false);
    return fd_read_octets(th, target, buf, n);
  }
  size_t i = 0;
  for (; i < n; i++) {
    Value b = stream_read_byte(th, target);
    if (b == EOF_MARK)
      break;
    buf[i] = (uint8_t)fixnum_val(b);
  }
  return i;
}

/* ---- buffers and state ---- */

bool stream_listen(Thread *th, Value sv) {
  for (;;) {
    if (GRAY(sv))
      return gray1(th, "STREAM-LISTEN", sv) != NIL;
    Stream *s = stream_of(check_stream(th, sv));
    switch (s->kind) {
    case SK_STRING_IN:
      check_open(th, sv);
      return s->pos < s->end;
    case SK_FD:
      check_open(th, sv);
      if (!(s->flags & STRM_INPUT))
        not_capable(th, sv, true, true);
      return fd_listen(th, sv);
    case SK_SYNONYM:
      sv = synonym_target(th, sv);
      continue;
    case SK_TWO_WAY:
    case SK_ECHO:
      sv = in_of(s);
      continue;
    case SK_CONCATENATED:
      while (is_cons(s->streams)) {
        Value c = CAR(s->streams);
        if (stream_listen(th, c))
          return true;
        /* Only a string stream can tell its end without waiting. */
        if (!(stream_of(c)->kind == SK_STRING_IN && stream_of(c)->pos >= stream_of(c)->end))
          return false;
        s->streams = CDR(s->streams);
      }
      return false;
    default:
      refuse(th, sv, true, true);
    }
  }
}

void stream_clear_input(Thread *th, Value sv) {
  for (;;) {
    if (GRAY(sv))
      {
        gray1(th, "STREAM-CLEAR-INPUT", sv);
        return;
      }
    Stream *s = stream_of(check_stream(th, sv));
    switch (s->kind) {
    case SK_FD:
      if ((s->flags & STRM_OPEN) && (s->flags & STRM_INPUT))
        fd_clear_input(th, sv);
      return;
    case SK_SYNONYM:
      sv = synonym_target(th, sv);
      continue;
    case SK_TWO_WAY:
      sv = in_of(s);
      continue;
    case SK_ECHO:
      s->unread = UNBOUND;
      sv = in_of(s);
      continue;
    case SK_CONCATENATED:
      if (!is_cons(s->streams))
        return;
      sv = CAR(s->streams);
      continue;
    default:
      return;
    }
  }
}

static void gray_for_output(Thread *th, Value sv, void (*op)(Thread *, Value));

/* Applies op to the output side: fd streams directly, composites to their parts. */
static void for_output(Thread *th, Value sv, void (*op)(Thread *, Value)) {
  for (;;) {
    if (GRAY(sv))
      {
        gray_for_output(th, sv, op);
        return;
      }
    Stream *s = stream_of(check_stream(th, sv));
    switch (s->kind) {
    case SK_FD:
      if ((s->flags & STRM_OPEN) && (s->flags & STRM_OUTPUT))
        op(th, sv);
      return;
    case SK_SYNONYM:
      sv = synonym_target(th, sv);
      continue;
    case SK_TWO_WAY:
    case SK_ECHO:
      sv = out_of(s);
      continue;
    case SK_BROADCAST:
      for (Value l = s->streams; is_cons(l); l = CDR(l))
        for_output(th, CAR(l), op);
      return;
    default:
      return;
    }
  }
}

static void gray_for_output(Thread *th, Value sv, void (*op)(Thread *, Value)) {
  gray1(th, op == fd_clear_output ? "STREAM-CLEAR-OUTPUT" : "STREAM-FORCE-OUTPUT", sv);
}

void stream_clear_output(Thread *th, Value sv) { for_output(th, sv, fd_clear_output); }
void stream_force_output(Thread *th, Value sv) { for_output(th, sv, fd_flush); }
/* write(2) has returned for every byte; CCL's fsync of files is not done. */
void stream_finish_output(Thread *th, Value sv) {
  if (GRAY(sv))
    gray1(th, "STREAM-FINISH-OUTPUT", sv);
  else
    for_output(th, sv, fd_flush);
}

bool stream_close(Thread *th, Value sv, bool abort) {
  if (GRAY(sv))
    return gray2(th, "%GRAY-CLOSE", sv, BOOL(th, abort)) != NIL;
  Stream *s = stream_of(check_stream(th, sv));
  /* CCL: closing a synonym stream leaves it (and its target) as they were. */
  if (s->kind == SK_SYNONYM)
    return true;
  if (!(s->flags & STRM_OPEN))
    return false;
  if (s->kind == SK_FD)
    fd_close(th, sv, abort);
  else
    s->flags &= ~(uint32_t)STRM_OPEN;
  return true;
}

/* ---- questions ---- */

bool stream_open_p(Thread *th, Value sv) {
  if (GRAY(sv))
    return gray1(th, "%GRAY-OPEN-P", sv) != NIL;
  Stream *s = stream_of(check_stream(th, sv));
  return s->kind == SK_SYNONYM || (s->flags & STRM_OPEN);
}

bool stream_input_p(Thread *th, Value sv) {
  if (GRAY(sv))
    return gray_is_a(th, sv, "FUNDAMENTAL-INPUT-STREAM");
  Stream *s = stream_of(check_stream(th, sv));
  switch (s->kind) {
  case SK_SYNONYM:
    return stream_input_p(th, synonym_target(th, sv));
  case SK_TWO_WAY:
  case SK_ECHO:
  case SK_CONCATENATED:
    return true;
  case SK_BROADCAST:
    return false;
  default:
    return s->flags & STRM_INPUT;
  }
}

bool stream_output_p(Thread *th, Value sv) {
  if (GRAY(sv))
    return gray_is_a(th, sv, "FUNDAMENTAL-OUTPUT-STREAM");
  Stream *s = stream_of(check_stream(th, sv));
  switch (s->kind) {
  case SK_SYNONYM:
    return stream_output_p(th, synonym_target(th, sv));
  case SK_TWO_WAY:
  case SK_ECHO:
  case SK_BROADCAST:
    return true;
  case SK_CONCATENATED:
    return false;
  default:
    return s->flags & STRM_OUTPUT;
  }
}

bool stream_interactive_p(Thread *th, Value sv) {
  if (GRAY(sv))
    return false;
  Stream *s = stream_of(check_stream(th, sv));
  switch (s->kind) {
  case SK_SYNONYM:
    return stream_interactive_p(th, synonym_target(th, sv));
  case SK_TWO_WAY:
  case SK_ECHO:
    return stream_interactive_p(th, in_of(s));
  case SK_FD:
    return (s->flags & STRM_OPEN) && (s->flags & STRM_INTERACTIVE);
  default:
    return false;
  }
}

Value stream_element_type(Thread *th, Value sv) {
  if (GRAY(sv))
    return gray1(th, "%GRAY-ELEMENT-TYPE", sv);
  Stream *s = stream_of(check_stream(th, sv));
  switch (s->kind) {
  case SK_SYNONYM:
    return stream_element_type(th, synonym_target(th, sv));
  case SK_TWO_WAY:
  case SK_ECHO: {
    Value in = stream_element_type(th, in_of(s)), out = stream_element_type(th, out_of(s));
    return equal(in, out) ? in : list3(th, SYM(and_), in, out);
  }
  case SK_CONCATENATED:
    return is_cons(s->streams) ? stream_element_type(th, CAR(s->streams)) : NIL;
  case SK_BROADCAST: {
    Value last = NIL;
    for (Value l = s->streams; is_cons(l); l = CDR(l))
      last = CAR(l);
    return last == NIL ? SYM(t) : stream_element_type(th, last);
  }
  default:
    return s->element_type;
  }
}

static Value last_broadcast(Stream *s) {
  Value last = NIL;
  for (Value l = s->streams; is_cons(l); l = CDR(l))
    last = CAR(l);
  return last;
}

Value stream_file_position(Thread *th, Value sv) {
  for (;;) {
    if (GRAY(sv))
      return NIL;
    Stream *s = stream_of(check_stream(th, sv));
    switch (s->kind) {
    case SK_FD:
      return fd_file_position(th, sv);
    case SK_STRING_IN:
      return sin_file_position(th, sv);
    case SK_STRING_OUT:
      return sout_file_position(th, sv);
    case SK_SYNONYM:
      sv = synonym_target(th, sv);
      continue;
    case SK_BROADCAST:
      if (last_broadcast(s) == NIL)
        return make_fixnum(0);
      sv = last_broadcast(s);
      continue;
    default:
      return NIL;
    }
  }
}

Value stream_set_file_position(Thread *th, Value sv, Value pos) {
  Value k_start = keyword_c(th, "START"), k_end = keyword_c(th, "END");
  if (!(pos == k_start || pos == k_end || (is_integer(pos) && !(is_fixnum(pos) && fixnum_val(pos) < 0))))
    type_error_c(th, pos, "(OR NULL (EQL :START) (EQL :END) UNSIGNED-BYTE)");
  for (;;) {
    if (GRAY(sv))
      return NIL;
    Stream *s = stream_of(check_stream(th, sv));
    switch (s->kind) {
    case SK_FD:
      check_open(th, sv);
      if (!is_fixnum(pos) && pos != k_start && pos != k_end)
        return NIL;
      return fd_set_file_position(th, sv, pos == k_start ? 0 : pos == k_end ? -1 : fixnum_val(pos));
    case SK_STRING_IN:
      return sin_set_file_position(th, sv, pos);
    case SK_STRING_OUT:
      return sout_set_file_position(th, sv, pos);
    case SK_SYNONYM:
      sv = synonym_target(th, sv);
      continue;
    default:
      return NIL;
    }
  }
}

Value stream_file_length(Thread *th, Value sv) {
  for (;;) {
    if (GRAY(sv))
      type_error(th, sv, intern_c(th, "FILE-STREAM", th->vm->pkg_cl));
    Stream *s = stream_of(check_stream(th, sv));
    switch (s->kind) {
    case SK_FD:
      if (!(s->flags & STRM_FILE))
        break;
      return fd_file_length(th, sv);
    case SK_SYNONYM:
      sv = synonym_target(th, sv);
      continue;
    case SK_BROADCAST:
      if (last_broadcast(s) == NIL)
        return make_fixnum(0);
      sv = last_broadcast(s);
      continue;
    default:
      break;
    }
    type_error(th, sv, intern_c(th, "FILE-STREAM", th->vm->pkg_cl));
  }
}

Value stream_input_source(Thread *th, Value sv) {
  for (int depth = 0; depth < 64 && is_stream(sv); depth++) {
    Stream *s = stream_of(sv);
    switch (s->kind) {
    case SK_SYNONYM:
      sv = synonym_target(th, sv);
      break;
    case SK_TWO_WAY:
    case SK_ECHO:
      sv = in_of(s);
      break;
    case SK_CONCATENATED:
      if (!is_cons(s->streams))
        return sv;
      sv = CAR(s->streams);
      break;
    default:
      return sv;
    }
  }
  return sv;
}

/* ---- composite streams ---- */

static Stream *new_composite(Thread *th, uint8_t kind, uint32_t flags, const char *klass) {
  Stream *s = gc_alloc(th, T_STREAM, sizeof(Stream));
  s->kind = kind;
  s->flags = flags | STRM_OPEN;
  s->fd = -1;
  s->klass = stream_class_name(th, klass, true);
  s->name = NIL;
  s->element_type = NIL;
  s->unread = UNBOUND;
  s->string = NIL;
  s->streams = NIL;
  s->symbol = NIL;
  s->line = 1;
  s->input_timeout = s->output_timeout = -1;
  return s;
}

Value make_broadcast_stream(Thread *th, Value streams) {
  for (Value l = streams; is_cons(l); l = CDR(l))
    if (!is_stream(CAR(l)) || !stream_output_p(th, CAR(l)))
      type_error_c(th, CAR(l), "(SATISFIES OUTPUT-STREAM-P)");
  Stream *s = new_composite(th, SK_BROADCAST, STRM_OUTPUT, "BROADCAST-STREAM");
  s->streams = streams;
  return obj_value(s);
}

Value make_concatenated_stream(Thread *th, Value streams) {
  for (Value l = streams; is_cons(l); l = CDR(l))
    if (!is_stream(CAR(l)) || !stream_input_p(th, CAR(l)))
      simple_error(th, "~S is not an input stream", CAR(l));
  Stream *s = new_composite(th, SK_CONCATENATED, STRM_INPUT, "CONCATENATED-STREAM");
  s->streams = streams;
  return obj_value(s);
}

static void check_in_out(Thread *th, Value in, Value out) {
  if (!is_stream(in) || !stream_input_p(th, in))
    type_error_c(th, in, "CCL::INPUT-STREAM");
  if (!is_stream(out) || !stream_output_p(th, out))
    type_error_c(th, out, "CCL::OUTPUT-STREAM");
}

Value make_two_way_stream(Thread *th, Value in, Value out) {
  check_in_out(th, in, out);
  Value pair = cons(th, in, out);
  Stream *s = new_composite(th, SK_TWO_WAY, STRM_INPUT | STRM_OUTPUT, "TWO-WAY-STREAM");
  s->streams = pair;
  return obj_value(s);
}

Value make_echo_stream(Thread *th, Value in, Value out) {
  check_in_out(th, in, out);
  Value pair = cons(th, in, out);
  Stream *s = new_composite(th, SK_ECHO, STRM_INPUT | STRM_OUTPUT, "ECHO-STREAM");
  s->streams = pair;
  return obj_value(s);
}

Value make_synonym_stream(Thread *th, Value symbol) {
  check_symbol(th, symbol);
  Stream *s = new_composite(th, SK_SYNONYM, STRM_INPUT | STRM_OUTPUT, "SYNONYM-STREAM");
  s->symbol = symbol;
  return obj_value(s);
}

/* ---- external formats ---- */

static bool name_is(Thread *th, Value sym, const char *a, const char *b, const char *c) {
  Value n = symbol_name(th, sym);
  return string_eq_c(n, a) || (b && string_eq_c(n, b)) || (c && string_eq_c(n, c));
}

static bool encoding_of(Thread *th, Value k, int *encoding) {
  if (name_is(th, k, "UTF-8", "UTF8", NULL))
    *encoding = ENC_UTF8;
  else if (name_is(th, k, "LATIN-1", "LATIN1", "ISO-8859-1"))
    *encoding = ENC_LATIN1;
  else if (name_is(th, k, "US-ASCII", "ASCII", NULL))
    *encoding = ENC_ASCII;
  else
    return false;
  return true;
}

static bool eol_of(Thread *th, Value k, int *eol) {
  if (name_is(th, k, "UNIX", "LF", "INFERRED"))
    *eol = EOL_LF;
  else if (name_is(th, k, "CRLF", "DOS", "WINDOWS") || name_is(th, k, "MSDOS", "CP/M", NULL))
    *eol = EOL_CRLF;
  else if (name_is(th, k, "CR", "MACOS", NULL))
    *eol = EOL_CR;
  else
    return false;
  return true;
}

void parse_external_format(Thread *th, Value ef, int *encoding, int *eol) {
  *encoding = ENC_UTF8;
  *eol = EOL_LF;
  if (ef == UNSUPPLIED || ef == keyword_c(th, "DEFAULT"))
    return;
  if (is_keyword(th, ef)) {
    if (encoding_of(th, ef, encoding) || eol_of(th, ef, eol))
      return;
  } else if (is_cons(ef)) {
    if (list_length(ef) < 0 || (list_length(ef) & 1))
      simple_error(th, "External-format ~S is not a property list.", ef);
    for (Value l = ef; is_cons(l); l = CDR(CDR(l))) {
      Value k = CAR(l), v = CAR(CDR(l));
      if (k == keyword_c(th, "CHARACTER-ENCODING")) {
        if (v != keyword_c(th, "DEFAULT") && !(is_keyword(th, v) && encoding_of(th, v, encoding)))
          simple_error(th, "Invalid external-format: ~S", ef);
      } else if (k == keyword_c(th, "LINE-TERMINATION")) {
        if (!(is_keyword(th, v) && eol_of(th, v, eol)))
          simple_error(th, "Invalid external-format: ~S", ef);
      } else if (k != keyword_c(th, "DOMAIN")) {
        simple_error(th, "Invalid external-format: ~S", ef);
      }
    }
    return;
  }
  simple_error(th, "Invalid external-format: ~S", ef);
}

/* ---- printing ---- */

void stream_print(Thread *th, Value sv, Value out) {
  Stream *s = stream_of(sv);
  char buf[160];
  stream_write_cstr(th, out, "#<");
  print_object(th, stream_class_symbol(s->klass), out, false);
  bool open = s->flags & STRM_OPEN;
  switch (s->kind) {
  case SK_FD: {
    const char *enc =
        (!(s->flags & STRM_BINARY) || (s->flags & STRM_BIVALENT)) ? encoding_name(s->encoding) : "NIL";
    if (s->flags & STRM_FILE) {
      stream_write_cstr(th, out, is_any_string(s->name) ? " (#P" : " (");
      print_object(th, s->name, out, true);
      if (open)
        snprintf(buf, sizeof buf, "/%d %s)", s->fd, enc);
      else
        snprintf(buf, sizeof buf, "/:closed)");
    } else if (open) {
      snprintf(buf, sizeof buf, " %s (%s/%d)", enc, fd_kind_name(s->fd), s->fd);
    } else {
      snprintf(buf, sizeof buf, " :CLOSED");
    }
    stream_write_cstr(th, out, buf);
    break;
  }
  case SK_STRING_IN:
  case SK_STRING_OUT:
    stream_write_cstr(th, out, open ? " " : "  :CLOSED");
    break;
  case SK_SYNONYM:
    stream_write_cstr(th, out, " to ");
    print_object(th, s->symbol, out, true);
    break;
  case SK_TWO_WAY:
  case SK_ECHO:
    stream_write_cstr(th, out, " input ");
    print_object(th, in_of(s), out, true);
    stream_write_cstr(th, out, ", output ");
    print_object(th, out_of(s), out, true);
    break;
  default:
    break;
  }
  snprintf(buf, sizeof buf, " #x%llX>", (unsigned long long)sv);
  stream_write_cstr(th, out, buf);
}

/* ---- the standard streams ---- */

static void define_stream_variable(Thread *th, Value sym, Value stream) {
  Symbol *s = symbol_of(th, sym);
  s->h.flags |= SYM_SPECIAL;
  s->value = stream;
}

void streams_init(Thread *th) {
  VM *vm = th->vm;
  bool tty_in = isatty(0), tty_out = isatty(1), tty_err = isatty(2);
  Value in = make_fd_stream(th, 0, STRM_INPUT | (tty_in ? STRM_INTERACTIVE : 0), NIL);
  Value out = make_fd_stream(th, 1, STRM_OUTPUT | (tty_out ? STRM_INTERACTIVE | STRM_LINE_BUFFERED : 0), NIL);
  Value err = make_fd_stream(th, 2, STRM_OUTPUT | STRM_UNBUFFERED | (tty_err ? STRM_INTERACTIVE : 0), NIL);
  vm->stdin_stream = in;
  vm->stdout_stream = out;
  vm->stderr_stream = err;
  Value terminal = make_two_way_stream(th, in, out);
  stream_of(terminal)->klass = stream_class_name(th, "ECHOING-TWO-WAY-STREAM", false);
  define_stream_variable(th, SYM(terminal_io), terminal);
  define_stream_variable(th, SYM(standard_input), in);
  define_stream_variable(th, SYM(standard_output), out);
  define_stream_variable(th, SYM(error_output), err);
  define_stream_variable(th, SYM(trace_output), make_synonym_stream(th, SYM(terminal_io)));
  define_stream_variable(th, SYM(debug_io), make_synonym_stream(th, SYM(terminal_io)));
  define_stream_variable(th, SYM(query_io), make_synonym_stream(th, SYM(terminal_io)));
  /* Class names that are types a program may name. */
  static const char *const cl_types[] = {"BROADCAST-STREAM", "CONCATENATED-STREAM", "ECHO-STREAM",
                                         "FILE-STREAM",      "STRING-STREAM",       "SYNONYM-STREAM",
                                         "TWO-WAY-STREAM"};
  for (size_t i = 0; i < sizeof cl_types / sizeof cl_types[0]; i++)
    export_symbol(th, intern_c(th, cl_types[i], vm->pkg_cl), vm->pkg_cl);
  static const char *const ccl_types[] = {"STRING-OUTPUT-STREAM", "INPUT-STREAM", "OUTPUT-STREAM"};
  for (size_t i = 0; i < sizeof ccl_types / sizeof ccl_types[0]; i++)
    export_symbol(th, intern_c(th, ccl_types[i], vm->pkg_ccl), vm->pkg_ccl);
  /* The Gray stream generic functions (stdlib/gray.lisp defines them). */
  static const char *const gray_names[] = {
      "STREAM-READ-CHAR",    "STREAM-UNREAD-CHAR",     "STREAM-PEEK-CHAR",     "STREAM-READ-CHAR-NO-HANG",
      "STREAM-READ-LINE",    "STREAM-CLEAR-INPUT",     "STREAM-LISTEN",        "STREAM-WRITE-CHAR",
      "STREAM-WRITE-STRING", "STREAM-LINE-COLUMN",     "STREAM-START-LINE-P",  "STREAM-TERPRI",
      "STREAM-FRESH-LINE",   "STREAM-ADVANCE-TO-COLUMN", "STREAM-FORCE-OUTPUT", "STREAM-FINISH-OUTPUT",
      "STREAM-CLEAR-OUTPUT", "STREAM-READ-BYTE",       "STREAM-WRITE-BYTE",    "STREAM-READ-SEQUENCE",
      "STREAM-WRITE-SEQUENCE", "STREAM-LINE-LENGTH"};
  for (size_t i = 0; i < sizeof gray_names / sizeof gray_names[0]; i++)
    export_symbol(th, intern_c(th, gray_names[i], vm->pkg_ccl), vm->pkg_ccl);
}

void streams_flush_all(Thread *th) {
  VM *vm = th->vm;
  Value outs[2] = {vm->stdout_stream, vm->stderr_stream};
  for (int i = 0; i < 2; i++)
    if (is_stream(outs[i]) && stream_of(outs[i])->kind == SK_FD)
      fd_flush_quietly(outs[i]);
}
