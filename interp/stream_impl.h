/* stream_impl.h — what the stream_*.c files share among themselves: the fd and string
 * stream operations that stream.c dispatches to, and small helpers. Not for other files. */
#ifndef CLOVE_STREAM_IMPL_H
#define CLOVE_STREAM_IMPL_H

#include "io.h"
#include "stream.h"

#define FD_BUFSIZE (64 * 1024)

/* Line and column of the next character to read, after c was read. */
static inline void track_read(Stream *s, uint32_t c) {
  if (c == '\n') {
    s->line++;
    s->prev_column = s->column;
    s->column = 0;
  } else {
    s->column++;
  }
}

/* After c was pushed back. */
static inline void untrack_read(Stream *s, uint32_t c) {
  if (c == '\n') {
    if (s->line > 1)
      s->line--;
    s->column = s->prev_column;
  } else if (s->column > 0) {
    s->column--;
  }
}

/* out_column after writing cs[0..n). */
static inline void track_write(Stream *s, const uint32_t *cs, size_t n) {
  size_t i = n;
  while (i > 0 && cs[i - 1] != '\n')
    i--;
  if (i > 0)
    s->out_column = (long)(n - i);
  else
    s->out_column += (long)n;
}

/* What Stream.klass holds for a class named name (in CCL, or CL): the class object
 * once types.c defines it, else the name symbol. */
Value stream_class_name(Thread *th, const char *name, bool in_cl);

/* INPUT-TIMEOUT, OUTPUT-TIMEOUT or COMMUNICATION-DEADLINE-EXPIRED on s, for an
 * IO_TIMEOUT / IO_DEADLINE result of io.c; output says which timeout applied. */
NORETURN void stream_timeout_error(Thread *th, Value s, int io_result, bool output);

/* A growing buffer of code points: on the C stack while short, then in the heap
 * (a simple string the conservative stack scan keeps alive). */
typedef struct LineBuf {
  uint32_t *p;
  size_t n, cap;
  Value heap;
  uint32_t local[256];
} LineBuf;

static inline void lb_init(LineBuf *b) {
  b->p = b->local;
  b->n = 0;
  b->cap = sizeof b->local / sizeof b->local[0];
  b->heap = NIL;
}

static inline void lb_reserve(Thread *th, LineBuf *b, size_t extra) {
  if (b->n + extra <= b->cap)
    return;
  size_t cap = b->cap * 2;
  while (cap < b->n + extra)
    cap *= 2;
  Value g = make_string_n(th, cap);
  memcpy(string_of(g)->data, b->p, b->n * sizeof(uint32_t));
  b->heap = g;
  b->p = string_of(g)->data;
  b->cap = cap;
}

static inline void lb_push(Thread *th, LineBuf *b, uint32_t c) {
  if (b->n == b->cap)
    lb_reserve(th, b, 1);
  b->p[b->n++] = c;
}

static inline Value lb_string(Thread *th, LineBuf *b) {
  Value r = make_string_n(th, b->n);
  memcpy(string_of(r)->data, b->p, b->n * sizeof(uint32_t));
  return r;
}

/* ---- stream_fd.c ---- */
Value fd_read_char(Thread *th, Value s);
Value fd_peek_char(Thread *th, Value s);
Value fd_read_line(Thread *th, Value s, bool *missing_newline);
Value fd_read_byte(Thread *th, Value s);
size_t fd_read_octets(Thread *th, Value s, uint8_t *buf, size_t n);
void fd_write_chars(Thread *th, Value s, const uint32_t *cs, size_t n);
void fd_write_octets(Thread *th, Value s, const uint8_t *buf, size_t n);
void fd_flush(Thread *th, Value s);
bool fd_flush_quietly(Value s); /* no signals; false on error */
bool fd_listen(Thread *th, Value s);
bool fd_input_ready(Thread *th, Value s); /* buffered, or readable without blocking */
void fd_clear_input(Thread *th, Value s);
void fd_clear_output(Thread *th, Value s);
void fd_close(Thread *th, Value s, bool abort);
Value fd_file_position(Thread *th, Value s);
Value fd_set_file_position(Thread *th, Value s, intptr_t pos); /* pos -1: the end */
Value fd_file_length(Thread *th, Value s);
const char *fd_kind_name(int fd); /* CCL's %unix-fd-kind: TTY PIPE FILE SOCKET ... */
const char *encoding_name(int encoding);
/* Chooses klass from direction, element type and STRM_FILE. */
void fd_set_default_class(Thread *th, Value s);

/* ---- stream_string.c ---- */
Value sin_read_char(Thread *th, Value s);
Value sin_peek_char(Thread *th, Value s);
void sin_unread_char(Thread *th, Value s, Value ch);
Value sin_read_line(Thread *th, Value s, bool *missing_newline);
void sout_write_chars(Thread *th, Value s, const uint32_t *cs, size_t n);
Value sin_file_position(Thread *th, Value s);
Value sin_set_file_position(Thread *th, Value s, Value pos);
Value sout_file_position(Thread *th, Value s);
Value sout_set_file_position(Thread *th, Value s, Value pos);
size_t sout_length(Value s);

#endif
