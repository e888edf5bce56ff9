/* reader_natives.c — the Lisp face of the reader: READ, READ-PRESERVING-WHITESPACE,
 * READ-FROM-STRING, READ-DELIMITED-LIST and the *READ-...* variables. */
#include <stdio.h>

#include "lisp.h"
#include "stream.h"

void builtins_reader_init(Thread *th);

static Value read_common(Thread *th, Value *args, bool preserve_ws) {
  Value stream = stream_designator_in(th, arg_or(args[0], NIL));
  bool eof_error = arg_or(args[1], SYM(t)) != NIL;
  Value eof_value = arg_or(args[2], NIL);
  bool recursive = arg_or(args[3], NIL) != NIL;
  return values1(th, lisp_read(th, stream, eof_error, eof_value, recursive, preserve_ws));
}

static Value read_(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return read_common(th, args, false);
}

static Value read_preserving_whitespace(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return read_common(th, args, true);
}

static size_t bounding_index(Thread *th, Value v, size_t lo, size_t hi) {
  if (!is_fixnum(v) || fixnum_val(v) < (intptr_t)lo || fixnum_val(v) > (intptr_t)hi) {
    char type[64];
    snprintf(type, sizeof type, "(INTEGER %zu %zu)", lo, hi);
    type_error_c(th, v, type);
  }
  return (size_t)fixnum_val(v);
}

/* (read-from-string string &optional eof-error-p eof-value &key start end preserve-whitespace) */
static Value read_from_string(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value string = args[0];
  size_t len;
  if (!string_chars(string, &len))
    type_error(th, string, SYM(string));
  bool eof_error = arg_or(args[1], SYM(t)) != NIL;
  Value eof_value = arg_or(args[2], NIL);
  size_t end = arg_or(args[4], NIL) == NIL ? len : bounding_index(th, args[4], 0, len);
  size_t start = supplied(args[3]) ? bounding_index(th, args[3], 0, end) : 0;
  bool preserve = arg_or(args[5], NIL) != NIL;
  Value stream = make_string_input_stream(th, string, start, end);
  Value x = lisp_read(th, stream, eof_error, eof_value, false, preserve);
  /* pos indexes the underlying simple string; the caller counts from its own string. */
  Stream *s = stream_of(stream);
  size_t index = s->pos - s->offset;
  return values2(th, x, make_fixnum((intptr_t)index));
}

/* (read-delimited-list char &optional stream recursive-p) */
static Value read_delimited_list_(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  if (!is_char(args[0]))
    type_error(th, args[0], SYM(character));
  Value stream = stream_designator_in(th, arg_or(args[1], NIL));
  return values1(th, read_delimited_list(th, stream, char_code(args[0]), arg_or(args[2], NIL) != NIL));
}

static const NativeDesc reader_natives[] = {
    {"READ", read_, 0, 4, 0, NULL, "(&optional stream (eof-error-p t) eof-value recursive-p)",
     "Reads the printed representation of an object from STREAM and returns the object."},
    {"READ-PRESERVING-WHITESPACE", read_preserving_whitespace, 0, 4, 0, NULL,
     "(&optional stream (eof-error-p t) eof-value recursive-p)",
     "Like READ, but leaves the whitespace that ends a token in the stream."},
    {"READ-FROM-STRING", read_from_string, 1, 3, NAT_MV, "start end preserve-whitespace",
     "(string &optional (eof-error-p t) eof-value &key (start 0) end preserve-whitespace)",
     "Reads an object from STRING; returns it and the index of the first character not read."},
    {"READ-DELIMITED-LIST", read_delimited_list_, 1, 3, 0, NULL, "(char &optional stream recursive-p)",
     "Reads objects from STREAM up to the character CHAR and returns them as a list."},
    {0},
};

static void define_variable(Thread *th, Value sym, Value value) {
  Symbol *s = symbol_of(th, sym);
  s->h.flags |= SYM_SPECIAL;
  s->value = value;
}

void builtins_reader_init(Thread *th) {
  define_natives(th, reader_natives);
  define_variable(th, SYM(read_base), make_fixnum(10));
  define_variable(th, SYM(read_eval), SYM(t));
  define_variable(th, SYM(read_suppress), NIL);
  define_variable(th, SYM(read_default_float_format), SYM(single_float));
}
