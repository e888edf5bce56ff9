/* stream_fd.c — fd streams (files, terminals, pipes; the base of socket streams):
 * 64 KiB buffers both ways, UTF-8/Latin-1/ASCII, line endings, bivalent use, close and finalization. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "stream_impl.h"

/* ---- construction ---- */

const char *encoding_name(int encoding) {
  switch (encoding) {
  case ENC_LATIN1:
    return "ISO-8859-1";
  case ENC_ASCII:
    return "US-ASCII";
  default:
    return "UTF-8";
  }
}

const char *fd_kind_name(int fd) {
  if (fd < 0)
    return "CLOSED";
  if (isatty(fd))
    return "TTY";
  struct stat st;
  if (fstat(fd, &st) < 0)
    return "SPECIAL";
  if (S_ISREG(st.st_mode))
    return "FILE";
  if (S_ISDIR(st.st_mode))
    return "DIRECTORY";
  if (S_ISLNK(st.st_mode))
    return "LINK";
  if (S_ISFIFO(st.st_mode))
    return "PIPE";
  if (S_ISSOCK(st.st_mode))
    return "SOCKET";
  if (S_ISCHR(st.st_mode))
    return "CHARACTER-SPECIAL";
  return "SPECIAL";
}

void fd_set_default_class(Thread *th, Value sv) {
  Stream *s = stream_of(sv);
  bool in = s->flags & STRM_INPUT, out = s->flags & STRM_OUTPUT;
  char name[64];
  snprintf(name, sizeof name, "BASIC-%s%s-%s-STREAM", (s->flags & STRM_FILE) ? "FILE-" : "",
           (s->flags & STRM_BINARY) ? "BINARY" : "CHARACTER",
           in && out ? "IO"
           : in      ? "INPUT"
                     : "OUTPUT");
  s->klass = stream_class_name(th, name, false);
}

static uint8_t *alloc_buffer(Thread *th, size_t n) {
  uint8_t *b = malloc(n);
  if (!b)
    lisp_error(th, SYM(storage_condition), "Can't allocate a stream buffer of ~D bytes.",
               make_fixnum((intptr_t)n));
  return b;
}

/* ---- sharing a stream between processes ----
 * A thread waiting in read(2) or write(2) has let the interpreter lock go but is still
 * using the stream's buffer: it owns that direction until the call returns, and every
 * operation of another thread on that direction waits first. Only waits are claimed,
 * so the common path costs one comparison. */

static void wait_unowned(Thread *th, Stream *s, bool out) {
  for (;;) {
    Thread *o = out ? s->out_owner : s->in_owner;
    if (!o || o == th)
      return;
    thread_wait_released(th, out ? "Output" : "Input");
  }
}

static void unclaim(Thread *th, void *data) {
  uintptr_t d = (uintptr_t)data;
  Stream *s = (Stream *)(d & ~(uintptr_t)1);
  if (d & 1)
    s->out_owner = NULL;
  else
    s->in_owner = NULL;
  if (th->vm->nthreads > 0)
    thread_notify_released(th);
}

/* Returns what release() needs; an interrupt that unwinds the wait unclaims too. */
static size_t claim(Thread *th, Stream *s, bool out) {
  wait_unowned(th, s, out);
  Thread **owner = out ? &s->out_owner : &s->in_owner;
  if (*owner == th)
    return (size_t)-1;
  size_t top = th->dyn_top;
  *owner = th;
  DynEntry e = {.kind = DYN_UNWIND, .ccleanup = unclaim, .cdata = (void *)((uintptr_t)s | (out ? 1 : 0))};
  dyn_push(th, e);
  return top;
}

static void release(Thread *th, size_t top) {
  if (top != (size_t)-1)
    unwind_to(th, top);
}

Value make_fd_stream(Thread *th, int fd, uint32_t flags, Value name) {
  Stream *s = gc_alloc(th, T_STREAM, sizeof(Stream));
  Value sv = obj_value(s);
  struct stat st;
  if (fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode))
    flags |= STRM_SEEKABLE;
  s->kind = SK_FD;
  s->encoding = ENC_UTF8;
  s->eol = EOL_LF;
  s->flags = flags | STRM_OPEN;
  s->fd = fd;
  s->klass = NIL;
  s->name = name;
  s->element_type = (flags & STRM_BINARY) ? list2(th, SYM(unsigned_byte), make_fixnum(8)) : SYM(character);
  s->unread = UNBOUND;
  s->string = NIL;
  s->streams = NIL;
  s->symbol = NIL;
  s->line = 1;
  s->input_timeout = s->output_timeout = -1;
  s->deadline = 0;
  fd_set_default_class(th, sv);
  /* The buffers are made on first use: the collector does not see malloc'd bytes, so
   * streams that are never read (or written) should not hold 64 KiB for nothing. */
  gc_set_finalizer(th, sv);
  return sv;
}

/* ---- input ---- */

static NORETURN void read_failed(Thread *th, Value sv, ssize_t r) {
  if (r == IO_TIMEOUT || r == IO_DEADLINE)
    stream_timeout_error(th, sv, (int)r, false);
  stream_io_error(th, sv, errno, "read");
}

/* Flushing stdout before waiting on the terminal (or fd 0) makes prompts appear. */
static void flush_stdout_before_wait(Thread *th, Value sv) {
  Value out = th->vm->stdout_stream;
  if (out != sv && is_stream(out) && stream_of(out)->olen && stream_of(out)->fd >= 0)
    fd_flush(th, out);
}

/* A terminal on fd 0 with a host line editor (clove_set_line_reader): the editor shows
 * the prompt itself, so the text after stdout's last newline that is still buffered
 * becomes its prompt instead of being written; the line comes back with its newline. */
static void fill_from_line_reader(Thread *th, Value sv) {
  Stream *s = stream_of(sv);
  Value out = th->vm->stdout_stream;
  char *prompt = NULL;
  if (is_stream(out) && stream_of(out)->fd >= 0 && stream_of(out)->olen) {
    Stream *o = stream_of(out);
    size_t start = o->olen;
    while (start > 0 && o->obuf[start - 1] != '\n')
      start--;
    prompt = strndup((const char *)o->obuf + start, o->olen - start);
    if (!prompt)
      lisp_error(th, SYM(storage_condition), "Can't allocate the prompt.");
    o->olen = start;
    fd_flush(th, out);
  }
  const char *saved = th->whostate;
  th->whostate = "Input";
  io_block_begin(th);
  char *line = th->vm->line_reader(prompt ? prompt : "", th->vm->line_reader_data);
  io_block_end(th);
  th->whostate = saved;
  free(prompt);
  if (th->vm->abandon_form) {
    /* The listener reads through %READ-COMMAND-OR-FORM, which catches this: the lines of
     * the form read so far go, and it prompts again. */
    th->vm->abandon_form = false;
    free(line);
    s->ipos = s->ilen = 0;
    s->unread = UNBOUND;
    size_t idx = find_catch(th, intern_c(th, "%ABANDON-FORM", th->vm->pkg_ccl));
    if (idx != (size_t)-1) {
      th->throw_value = NIL;
      th->nvals = 1;
      th->vals[0] = NIL;
      throw_to(th, idx);
    }
    return;
  }
  if (!line)
    return; /* the cursor stays after the prompt, as out_column says */
  if (is_stream(out))
    stream_of(out)->out_column = 0; /* the editor ended the line it showed */
  size_t n = strlen(line);
  if (s->icap - s->ilen < n + 1) {
    uint8_t *b = realloc(s->ibuf, s->ilen + n + 1);
    if (!b) {
      free(line);
      lisp_error(th, SYM(storage_condition), "Can't allocate a stream buffer of ~D bytes.",
                 make_fixnum((intptr_t)(s->ilen + n + 1)));
    }
    s->ibuf = b;
    s->icap = s->ilen + n + 1;
  }
  memcpy(s->ibuf + s->ilen, line, n);
  s->ibuf[s->ilen + n] = '\n';
  s->ilen += n + 1;
  s->file_pos += (long)n + 1;
  free(line);
}

/* Makes at least need bytes available if the file has them; returns how many are. */
static size_t fill(Thread *th, Value sv, size_t need) {
  Stream *s = stream_of(sv);
  size_t avail = s->ilen - s->ipos;
  if (avail >= need)
    return avail;
  if (s->fd < 0)
    stream_closed_error(th, sv);
  if (!s->ibuf) {
    s->ibuf = alloc_buffer(th, FD_BUFSIZE);
    s->icap = FD_BUFSIZE;
  }
  /* One file position is shared by both directions of a file: write first. */
  if (s->olen && (s->flags & STRM_SEEKABLE))
    fd_flush(th, sv);
  if (s->ipos) {
    memmove(s->ibuf, s->ibuf + s->ipos, avail);
    s->ipos = 0;
    s->ilen = avail;
  }
  if (s->fd == 0 && (s->flags & STRM_INTERACTIVE) && th->vm->line_reader) {
    if (avail == 0) {
      size_t c = claim(th, s, false);
      fill_from_line_reader(th, sv);
      release(th, c);
    }
    return s->ilen - s->ipos;
  }
  if (s->fd == 0 || (s->flags & STRM_INTERACTIVE))
    flush_stdout_before_wait(th, sv);
  size_t c = claim(th, s, false);
  while (s->ilen < need) {
    ssize_t r = io_read(th, s->fd, s->ibuf + s->ilen, s->icap - s->ilen, s->input_timeout, s->deadline);
    if (r < 0)
      read_failed(th, sv, r);
    if (r == 0)
      break;
    s->ilen += (size_t)r;
    s->file_pos += r;
    /* The terminal echoed the Enter that ended this line: its cursor is now at column 0
     * (what CCL's echoing-two-way-stream keeps track of), so FRESH-LINE must not add one. */
    if ((s->flags & STRM_INTERACTIVE) && s->ibuf[s->ilen - 1] == '\n') {
      Value out = th->vm->stdout_stream;
      if (is_stream(out))
        stream_of(out)->out_column = 0;
    }
  }
  release(th, c);
  return s->ilen - s->ipos;
}

/* The character at ipos and its size in bytes, without consuming it; -1 at end of
 * file. Malformed input decodes as U+FFFD, consuming the maximal invalid prefix. */
static int32_t decode(Thread *th, Value sv, size_t *nb) {
  Stream *s = stream_of(sv);
  if (s->ipos >= s->ilen && fill(th, sv, 1) == 0)
    return -1;
  uint8_t b = s->ibuf[s->ipos];
  *nb = 1;
  if (b < 0x80) {
    if (b == '\r' && s->eol != EOL_LF) {
      if (s->eol == EOL_CR)
        return '\n';
      if (fill(th, sv, 2) >= 2 && s->ibuf[s->ipos + 1] == '\n') {
        *nb = 2;
        return '\n';
      }
    }
    return b;
  }
  if (s->encoding == ENC_LATIN1)
    return b;
  if (s->encoding == ENC_ASCII)
    return 0xFFFD;
  size_t n;
  uint32_t cp;
  uint8_t lo = 0x80, hi = 0xBF;
  if (b >= 0xC2 && b <= 0xDF) {
    n = 2;
    cp = b & 0x1F;
  } else if (b >= 0xE0 && b <= 0xEF) {
    n = 3;
    cp = b & 0x0F;
    if (b == 0xE0)
      lo = 0xA0;
    if (b == 0xED)
      hi = 0x9F;
  } else if (b >= 0xF0 && b <= 0xF4) {
    n = 4;
    cp = b & 0x07;
    if (b == 0xF0)
      lo = 0x90;
    if (b == 0xF4)
      hi = 0x8F;
  } else {
    return 0xFFFD;
  }
  size_t avail = fill(th, sv, n);
  const uint8_t *p = s->ibuf + s->ipos;
  for (size_t i = 1; i < n; i++) {
    if (i >= avail || p[i] < lo || p[i] > hi) {
      *nb = i;
      return 0xFFFD;
    }
    cp = (cp << 6) | (p[i] & 0x3F);
    lo = 0x80;
    hi = 0xBF;
  }
  *nb = n;
  return (int32_t)cp;
}

Value fd_read_char(Thread *th, Value sv) {
  Stream *s = stream_of(sv);
  wait_unowned(th, s, false);
  if (s->unread != UNBOUND) {
    Value c = s->unread;
    s->unread = UNBOUND;
    track_read(s, char_code(c));
    return c;
  }
  if (s->ipos < s->ilen) {
    uint8_t b = s->ibuf[s->ipos];
    if (b < 0x80 && b != '\r') {
      s->ipos++;
      track_read(s, b);
      return make_char(b);
    }
  }
  size_t nb;
  int32_t c = decode(th, sv, &nb);
  if (c < 0)
    return EOF_MARK;
  s->ipos += nb;
  track_read(s, (uint32_t)c);
  return make_char((uint32_t)c);
}

Value fd_peek_char(Thread *th, Value sv) {
  Stream *s = stream_of(sv);
  wait_unowned(th, s, false);
  if (s->unread != UNBOUND)
    return s->unread;
  size_t nb;
  int32_t c = decode(th, sv, &nb);
  return c < 0 ? EOF_MARK : make_char((uint32_t)c);
}

Value fd_read_line(Thread *th, Value sv, bool *missing_newline) {
  Stream *s = stream_of(sv);
  wait_unowned(th, s, false);
  LineBuf b;
  lb_init(&b);
  bool any = false;
  *missing_newline = false;
  if (s->unread != UNBOUND) {
    uint32_t c = char_code(s->unread);
    s->unread = UNBOUND;
    track_read(s, c);
    if (c == '\n')
      return lb_string(th, &b);
    lb_push(th, &b, c);
    any = true;
  }
  for (;;) {
    if (s->ipos >= s->ilen && fill(th, sv, 1) == 0)
      break;
    /* Runs of plain ASCII are copied straight from the buffer. */
    const uint8_t *p = s->ibuf + s->ipos, *e = s->ibuf + s->ilen, *q = p;
    while (q < e && *q < 0x80 && *q != '\n' && *q != '\r')
      q++;
    size_t k = (size_t)(q - p);
    if (k) {
      lb_reserve(th, &b, k);
      for (size_t i = 0; i < k; i++)
        b.p[b.n + i] = p[i];
      b.n += k;
      s->ipos += k;
      s->column += (long)k;
      any = true;
    }
    if (q < e) {
      size_t nb = 1;
      int32_t c = *q == '\n' ? '\n' : decode(th, sv, &nb);
      if (c < 0)
        break;
      s->ipos += nb;
      track_read(s, (uint32_t)c);
      any = true;
      if (c == '\n')
        return lb_string(th, &b);
      lb_push(th, &b, (uint32_t)c);
    }
  }
  if (!any)
    return EOF_MARK;
  *missing_newline = true;
  return lb_string(th, &b);
}

Value fd_read_byte(Thread *th, Value sv) {
  Stream *s = stream_of(sv);
  wait_unowned(th, s, false);
  if (s->unread != UNBOUND) {
    uint32_t c = char_code(s->unread);
    s->unread = UNBOUND;
    if (c < 0x80)
      return make_fixnum(c);
  }
  if (s->ipos >= s->ilen && fill(th, sv, 1) == 0)
    return EOF_MARK;
  return make_fixnum(s->ibuf[s->ipos++]);
}

size_t fd_read_octets(Thread *th, Value sv, uint8_t *buf, size_t n) {
  Stream *s = stream_of(sv);
  wait_unowned(th, s, false);
  size_t got = 0;
  if (s->unread != UNBOUND && n > 0) {
    uint32_t c = char_code(s->unread);
    s->unread = UNBOUND;
    if (c < 0x80)
      buf[got++] = (uint8_t)c;
  }
  while (got < n) {
    size_t avail = s->ilen - s->ipos;
    if (avail) {
      size_t k = avail < n - got ? avail : n - got;
      memcpy(buf + got, s->ibuf + s->ipos, k);
      s->ipos += k;
      got += k;
      continue;
    }
    if (n - got >= FD_BUFSIZE) {
      /* Big reads go straight into the caller's vector. */
      if (s->fd < 0)
        stream_closed_error(th, sv);
      if (s->olen && (s->flags & STRM_SEEKABLE))
        fd_flush(th, sv);
      if (s->fd == 0 || (s->flags & STRM_INTERACTIVE))
        flush_stdout_before_wait(th, sv);
      size_t c = claim(th, s, false);
      ssize_t r = io_read(th, s->fd, buf + got, n - got, s->input_timeout, s->deadline);
      release(th, c);
      if (r < 0)
        read_failed(th, sv, r);
      if (r == 0)
        break;
      got += (size_t)r;
      s->file_pos += r;
      continue;
    }
    if (fill(th, sv, 1) == 0)
      break;
  }
  return got;
}

/* Bytes the pushed-back character took in the file (for file-position). */
static size_t unread_size(Stream *s) {
  if (s->unread == UNBOUND)
    return 0;
  uint32_t c = char_code(s->unread);
  if (c == '\n' && s->eol == EOL_CRLF)
    return 2;
  if (s->encoding != ENC_UTF8 || c < 0x80)
    return 1;
  return c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
}

bool fd_input_ready(Thread *th, Value sv) {
  Stream *s = stream_of(sv);
  wait_unowned(th, s, false);
  if (s->unread != UNBOUND || s->ipos < s->ilen)
    return true;
  if (s->fd < 0)
    return false;
  return io_wait(th, s->fd, POLLIN, 0, 0) == IO_READY;
}

bool fd_listen(Thread *th, Value sv) {
  Stream *s = stream_of(sv);
  wait_unowned(th, s, false);
  if (s->unread != UNBOUND || s->ipos < s->ilen)
    return true;
  if (s->fd < 0 || io_wait(th, s->fd, POLLIN, 0, 0) != IO_READY)
    return false;
  /* A socket that polls readable counts even at end of file (CCL-SOCKETS.md);
   * elsewhere LISTEN is false at end of file, which only a read can tell. */
  if (s->extra)
    return true;
  return fill(th, sv, 1) > 0;
}

void fd_clear_input(Thread *th, Value sv) {
  Stream *s = stream_of(sv);
  wait_unowned(th, s, false);
  /* A file's buffer is data still to come, and a pipe on stdin usually carries the
   * rest of a script or its answers: only terminals and sockets are drained. */
  if (s->flags & STRM_SEEKABLE)
    return;
  if (!(s->flags & STRM_INTERACTIVE) && !s->extra)
    return;
  s->unread = UNBOUND;
  s->ipos = s->ilen = 0;
  char scratch[4096];
  while (s->fd >= 0 && io_wait(th, s->fd, POLLIN, 0, 0) == IO_READY) {
    ssize_t r = read(s->fd, scratch, sizeof scratch);
    if (r <= 0)
      break;
  }
  s->ipos = s->ilen = 0;
}

/* ---- output ---- */

/* Writing to a file after reading from it continues where reading stopped, not at
 * the end of the read-ahead. */
static void prepare_output(Stream *s) {
  if ((s->flags & STRM_SEEKABLE) && s->ibuf && (s->ilen || s->unread != UNBOUND)) {
    off_t back = (off_t)(s->ilen - s->ipos + unread_size(s));
    if (back)
      lseek(s->fd, -back, SEEK_CUR);
    s->ipos = s->ilen = 0;
    s->unread = UNBOUND;
  }
}

static size_t utf8_put(uint32_t c, uint8_t *o) {
  if (c < 0x80) {
    o[0] = (uint8_t)c;
    return 1;
  }
  if (c < 0x800) {
    o[0] = (uint8_t)(0xC0 | (c >> 6));
    o[1] = (uint8_t)(0x80 | (c & 0x3F));
    return 2;
  }
  if ((c >= 0xD800 && c <= 0xDFFF) || c >= 0x110000)
    c = 0xFFFD;
  if (c < 0x10000) {
    o[0] = (uint8_t)(0xE0 | (c >> 12));
    o[1] = (uint8_t)(0x80 | ((c >> 6) & 0x3F));
    o[2] = (uint8_t)(0x80 | (c & 0x3F));
    return 3;
  }
  o[0] = (uint8_t)(0xF0 | (c >> 18));
  o[1] = (uint8_t)(0x80 | ((c >> 12) & 0x3F));
  o[2] = (uint8_t)(0x80 | ((c >> 6) & 0x3F));
  o[3] = (uint8_t)(0x80 | (c & 0x3F));
  return 4;
}

/* *error-output* text should not overtake what was written to *standard-output*
 * before it when both go to one terminal or file. */
static void flush_stdout_first(Thread *th, Value sv) {
  Value out = th->vm->stdout_stream;
  if (out != sv && is_stream(out) && stream_of(out)->olen && stream_of(out)->fd >= 0)
    fd_flush(th, out);
}

static void ensure_output_buffer(Thread *th, Value sv) {
  Stream *s = stream_of(sv);
  if (s->fd < 0)
    stream_closed_error(th, sv);
  if (!s->obuf) {
    s->obuf = alloc_buffer(th, FD_BUFSIZE);
    s->ocap = FD_BUFSIZE;
  }
}

void fd_write_chars(Thread *th, Value sv, const uint32_t *cs, size_t n) {
  Stream *s = stream_of(sv);
  wait_unowned(th, s, true);
  ensure_output_buffer(th, sv);
  prepare_output(s);
  if (s->flags & STRM_UNBUFFERED)
    flush_stdout_first(th, sv);
  bool newline = false;
  for (size_t i = 0; i < n; i++) {
    uint32_t c = cs[i];
    if (c < 0x80 && c != '\n') {
      if (s->olen == s->ocap)
        fd_flush(th, sv);
      s->obuf[s->olen++] = (uint8_t)c;
      continue;
    }
    if (s->ocap - s->olen < 4)
      fd_flush(th, sv);
    uint8_t *o = s->obuf + s->olen;
    if (c == '\n') {
      newline = true;
      if (s->eol == EOL_CRLF) {
        o[0] = '\r';
        o[1] = '\n';
        s->olen += 2;
      } else {
        o[0] = s->eol == EOL_CR ? '\r' : '\n';
        s->olen++;
      }
    } else if (s->encoding == ENC_UTF8) {
      s->olen += utf8_put(c, o);
    } else {
      o[0] = (s->encoding == ENC_LATIN1 && c < 0x100) ? (uint8_t)c : '?';
      s->olen++;
    }
  }
  track_write(s, cs, n);
  if ((s->flags & STRM_UNBUFFERED) || (newline && (s->flags & STRM_LINE_BUFFERED)))
    fd_flush(th, sv);
}

void fd_write_octets(Thread *th, Value sv, const uint8_t *buf, size_t n) {
  Stream *s = stream_of(sv);
  wait_unowned(th, s, true);
  ensure_output_buffer(th, sv);
  prepare_output(s);
  if (n >= s->ocap) {
    fd_flush(th, sv);
    size_t done = 0;
    size_t c = claim(th, s, true);
    ssize_t r = io_write_partial(th, s->fd, buf, n, s->output_timeout, s->deadline, &done);
    release(th, c);
    s->file_pos += (long)done;
    if (r == IO_TIMEOUT || r == IO_DEADLINE)
      stream_timeout_error(th, sv, (int)r, true);
    if (r < 0)
      stream_io_error(th, sv, errno, "write");
  } else {
    while (n > 0) {
      if (s->olen == s->ocap)
        fd_flush(th, sv);
      size_t k = s->ocap - s->olen < n ? s->ocap - s->olen : n;
      memcpy(s->obuf + s->olen, buf, k);
      s->olen += k;
      buf += k;
      n -= k;
    }
  }
  if (s->flags & STRM_UNBUFFERED)
    fd_flush(th, sv);
}

void fd_flush(Thread *th, Value sv) {
  Stream *s = stream_of(sv);
  wait_unowned(th, s, true);
  if (s->olen == 0 || s->fd < 0)
    return;
  size_t n = s->olen, done = 0;
  /* Emptied first, as CCL does: an error must not make every later write (and the
   * close) fail again on the same bytes. */
  s->olen = 0;
  size_t c = claim(th, s, true);
  ssize_t r = io_write_partial(th, s->fd, s->obuf, n, s->output_timeout, s->deadline, &done);
  int e = errno;
  release(th, c);
  s->file_pos += (long)done;
  if (r >= 0)
    return;
  if (r == IO_TIMEOUT || r == IO_DEADLINE) {
    /* A timeout loses nothing: the rest is still buffered. */
    memmove(s->obuf, s->obuf + done, n - done);
    s->olen = n - done;
    stream_timeout_error(th, sv, (int)r, true);
  }
  stream_io_error(th, sv, e, "write");
}

bool fd_flush_quietly(Value sv) {
  Stream *s = stream_of(sv);
  if (s->olen == 0 || s->fd < 0)
    return true;
  size_t n = s->olen;
  s->olen = 0;
  return io_write_partial(NULL, s->fd, s->obuf, n, s->output_timeout, s->deadline, NULL) >= 0;
}

void fd_clear_output(Thread *th, Value sv) {
  wait_unowned(th, stream_of(sv), true);
  stream_of(sv)->olen = 0;
}

/* ---- close and finalization ---- */

static const StreamHooks *hooks_of(Stream *s) {
  return s->extra ? *(const StreamHooks *const *)s->extra : NULL;
}

static void release_buffers(Stream *s) {
  free(s->ibuf);
  free(s->obuf);
  s->ibuf = s->obuf = NULL;
  s->ipos = s->ilen = s->icap = s->olen = s->ocap = 0;
}

void fd_close(Thread *th, Value sv, bool abort) {
  Stream *s = stream_of(sv);
  /* A socket another process waits on is shut down so that its wait ends (at end of
   * file); its buffers go only once it is out. */
  if (((s->in_owner && s->in_owner != th) || (s->out_owner && s->out_owner != th)) && s->extra && s->fd >= 0)
    shutdown(s->fd, SHUT_RDWR);
  wait_unowned(th, s, false);
  wait_unowned(th, s, true);
  if (!abort)
    fd_flush(th, sv);
  const StreamHooks *hooks = hooks_of(s);
  if (hooks && hooks->close)
    hooks->close(th, sv, abort);
  s->flags &= ~(uint32_t)STRM_OPEN;
  /* fd is -1 before close(2): a finalizer that runs later must never close a number
   * the system has handed out again. */
  int fd = s->fd;
  s->fd = -1;
  s->unread = UNBOUND;
  release_buffers(s);
  int err = 0;
  if (fd >= 0 && (s->flags & STRM_OWN_FD) && close(fd) < 0 && errno != EINTR)
    err = errno;
  char *path = is_any_string(s->name) ? string_to_cstr(s->name) : NULL;
  if (s->backup_path) {
    if (abort && path)
      rename(s->backup_path, path);
    else
      unlink(s->backup_path);
    free(s->backup_path);
    s->backup_path = NULL;
  } else if (abort && path && (s->flags & STRM_CREATED)) {
    unlink(path);
  }
  free(path);
  if (err && !abort)
    stream_io_error(th, sv, err, "close");
}

void stream_finalize(Value sv) {
  Stream *s = stream_of(sv);
  if (s->kind != SK_FD)
    return;
  if (s->fd >= 0 && (s->flags & STRM_OPEN) && (s->flags & STRM_OWN_FD) && (s->flags & STRM_AUTO_CLOSE)) {
    /* Writing the rest to a regular file cannot block; anything else is dropped, as
     * CCL's termination closes with :abort t. */
    if (s->olen && (s->flags & STRM_SEEKABLE))
      fd_flush_quietly(sv);
    close(s->fd);
    if (s->backup_path)
      unlink(s->backup_path);
  }
  s->fd = -1;
  s->flags &= ~(uint32_t)STRM_OPEN;
  release_buffers(s);
  free(s->backup_path);
  s->backup_path = NULL;
  const StreamHooks *hooks = hooks_of(s);
  if (hooks && hooks->finalize)
    hooks->finalize(s->extra);
  s->extra = NULL;
}

/* ---- positions ---- */

Value fd_file_position(Thread *th, Value sv) {
  Stream *s = stream_of(sv);
  if (!(s->flags & STRM_SEEKABLE) || s->fd < 0)
    return NIL;
  off_t cur = lseek(s->fd, 0, SEEK_CUR);
  if (cur < 0)
    return NIL;
  cur = cur - (off_t)(s->ilen - s->ipos) - (off_t)unread_size(s) + (off_t)s->olen;
  return make_integer(th, (intptr_t)cur);
}

Value fd_set_file_position(Thread *th, Value sv, intptr_t pos) {
  Stream *s = stream_of(sv);
  if (!(s->flags & STRM_SEEKABLE) || s->fd < 0)
    return NIL;
  fd_flush(th, sv);
  off_t r = pos < 0 ? lseek(s->fd, 0, SEEK_END) : lseek(s->fd, (off_t)pos, SEEK_SET);
  if (r < 0)
    stream_io_error(th, sv, errno, "lseek");
  s->ipos = s->ilen = 0;
  s->unread = UNBOUND;
  return make_integer(th, (intptr_t)r);
}

Value fd_file_length(Thread *th, Value sv) {
  Stream *s = stream_of(sv);
  if (s->fd < 0)
    stream_closed_error(th, sv);
  fd_flush(th, sv);
  struct stat st;
  if (fstat(s->fd, &st) < 0)
    stream_io_error(th, sv, errno, "fstat");
  if (!S_ISREG(st.st_mode))
    return NIL;
  return make_integer(th, (intptr_t)st.st_size);
}
