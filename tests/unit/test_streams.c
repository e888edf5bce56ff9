/* test_streams.c — Check suite for the stream layer (stream*.c) and the blocking helper
 * (io.c): fd streams over pipes, socket pairs and temp files, string and composite streams. */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../../include/clove.h"
#include "../../interp/io.h"
#include "../../interp/stream.h"

/* Provided by api.c: the VM's main thread. */
extern Thread *clove_vm_thread(CloveVM *vm);

/* One VM, opened once in main: Check runs each test in a child process forked from it,
 * so tests cannot disturb each other, and start-up (slow under CLOVE_GC_STRESS) is paid once. */
static CloveVM *cvm;

static Thread *thread(void) { return clove_vm_thread(cvm); }

/* ---- helpers ---- */

/* A pipe whose write end already holds bytes[0..n) and is closed: reads end at EOF. */
static int pipe_with(const char *bytes, size_t n) {
  int p[2];
  ck_assert_int_eq(pipe(p), 0);
  ck_assert_int_eq(write(p[1], bytes, n), (ssize_t)n);
  close(p[1]);
  return p[0];
}

/* A temp file holding bytes[0..n), open for reading at its start. */
static int file_with(const char *bytes, size_t n) {
  char name[] = "/tmp/clove-test-streams-XXXXXX";
  int fd = mkstemp(name);
  ck_assert_int_ge(fd, 0);
  unlink(name);
  size_t done = 0;
  while (done < n) {
    ssize_t w = write(fd, bytes + done, n - done);
    ck_assert_int_gt(w, 0);
    done += (size_t)w;
  }
  lseek(fd, 0, SEEK_SET);
  return fd;
}

static Value in_stream(Thread *th, int fd) { return make_fd_stream(th, fd, STRM_INPUT | STRM_OWN_FD, NIL); }

static bool text_is(Value s, const char *utf8) {
  char *c = string_to_cstr(s);
  bool ok = c && strcmp(c, utf8) == 0;
  if (!ok)
    fprintf(stderr, "got \"%s\", expected \"%s\"\n", c ? c : "(null)", utf8);
  free(c);
  return ok;
}

static uint32_t next_code(Thread *th, Value s) {
  Value c = stream_read_char(th, s);
  ck_assert(is_char(c));
  return char_code(c);
}

/* Everything readable from fd now (the write end must be closed or drained). */
static size_t drain(int fd, char *buf, size_t cap) {
  size_t n = 0;
  ssize_t r;
  while (n < cap && (r = read(fd, buf + n, cap - n)) > 0)
    n += (size_t)r;
  return n;
}

static bool fd_is_open(int fd) { return fcntl(fd, F_GETFD) != -1 || errno != EBADF; }

/* Evaluates src and returns the status; *text receives the result or the error text. */
static CloveStatus eval(const char *src, char **text) {
  char *result = NULL;
  CloveStatus st = clove_eval_string(cvm, src, &result);
  if (st == CLOVE_OK) {
    *text = result;
  } else {
    free(result);
    *text = strdup(clove_error_text(cvm) ? clove_error_text(cvm) : "");
  }
  return st;
}

static void expect_value(const char *src, const char *expected) {
  char *text;
  CloveStatus st = eval(src, &text);
  if (st != CLOVE_OK || strcmp(text, expected) != 0)
    fprintf(stderr, "%s => [%d] %s, expected %s\n", src, (int)st, text, expected);
  ck_assert_int_eq(st, CLOVE_OK);
  ck_assert_str_eq(text, expected);
  free(text);
}

static void expect_error(const char *src, const char *fragment) {
  char *text;
  CloveStatus st = eval(src, &text);
  if (st != CLOVE_ERROR || !strstr(text, fragment))
    fprintf(stderr, "%s => [%d] %s, expected an error with \"%s\"\n", src, (int)st, text, fragment);
  ck_assert_int_eq(st, CLOVE_ERROR);
  ck_assert_ptr_nonnull(strstr(text, fragment));
  free(text);
}

/* ---- fd input ---- */

START_TEST(test_read_lines_utf8) {
  Thread *th = thread();
  const char data[] = "h\xc3\xa9llo\nworld";
  Value s = in_stream(th, pipe_with(data, sizeof data - 1));
  bool missing = true;
  Value line = stream_read_line(th, s, &missing);
  ck_assert(text_is(line, "h\xc3\xa9llo"));
  ck_assert(!missing);
  line = stream_read_line(th, s, &missing);
  ck_assert(text_is(line, "world"));
  ck_assert(missing);
  ck_assert(stream_read_line(th, s, &missing) == EOF_MARK);
  ck_assert(stream_close(th, s, false));
}
END_TEST

START_TEST(test_invalid_utf8_is_replaced) {
  Thread *th = thread();
  /* a stray continuation byte, a truncated 3-byte sequence, an overlong form, a surrogate */
  const char data[] = "\x80"
                      "a"
                      "\xe2\x82"
                      "b"
                      "\xc0\xaf"
                      "\xed\xa0\x80"
                      "\xf0\x9f\x98\x80";
  Value s = in_stream(th, pipe_with(data, sizeof data - 1));
  ck_assert_uint_eq(next_code(th, s), 0xFFFD);
  ck_assert_uint_eq(next_code(th, s), 'a');
  ck_assert_uint_eq(next_code(th, s), 0xFFFD);
  ck_assert_uint_eq(next_code(th, s), 'b');
  ck_assert_uint_eq(next_code(th, s), 0xFFFD); /* C0 */
  ck_assert_uint_eq(next_code(th, s), 0xFFFD); /* AF */
  ck_assert_uint_eq(next_code(th, s), 0xFFFD); /* ED */
  ck_assert_uint_eq(next_code(th, s), 0xFFFD); /* A0 */
  ck_assert_uint_eq(next_code(th, s), 0xFFFD); /* 80 */
  ck_assert_uint_eq(next_code(th, s), 0x1F600);
  ck_assert(stream_read_char(th, s) == EOF_MARK);
}
END_TEST

START_TEST(test_crlf_and_latin1_input) {
  Thread *th = thread();
  const char data[] = "a\r\nb\rc";
  Value s = in_stream(th, pipe_with(data, sizeof data - 1));
  stream_of(s)->eol = EOL_CRLF;
  ck_assert_uint_eq(next_code(th, s), 'a');
  ck_assert_uint_eq(next_code(th, s), '\n');
  ck_assert_uint_eq(next_code(th, s), 'b');
  ck_assert_uint_eq(next_code(th, s), '\r'); /* a lone CR stays a CR */
  ck_assert_uint_eq(next_code(th, s), 'c');

  Value l = in_stream(th, pipe_with("\xe9t\xe9", 3));
  stream_of(l)->encoding = ENC_LATIN1;
  ck_assert_uint_eq(next_code(th, l), 0xE9);
  ck_assert_uint_eq(next_code(th, l), 't');
  ck_assert_uint_eq(next_code(th, l), 0xE9);

  Value a = in_stream(th, pipe_with("\xe9z", 2));
  stream_of(a)->encoding = ENC_ASCII;
  ck_assert_uint_eq(next_code(th, a), 0xFFFD);
  ck_assert_uint_eq(next_code(th, a), 'z');
}
END_TEST

START_TEST(test_line_column_and_unread) {
  Thread *th = thread();
  Value s = in_stream(th, pipe_with("ab\ncd", 5));
  Stream *st = stream_of(s);
  ck_assert_int_eq(st->line, 1);
  ck_assert_int_eq(st->column, 0);
  next_code(th, s);
  next_code(th, s);
  ck_assert_int_eq(st->column, 2);
  Value nl = stream_read_char(th, s);
  ck_assert_int_eq(st->line, 2);
  ck_assert_int_eq(st->column, 0);
  stream_unread_char(th, s, nl);
  ck_assert_int_eq(st->line, 1);
  ck_assert_int_eq(st->column, 2);
  ck_assert(stream_peek_char(th, s) == make_char('\n'));
  ck_assert_uint_eq(next_code(th, s), '\n');
  /* peek does not consume and does not use the pushback slot */
  ck_assert(stream_peek_char(th, s) == make_char('c'));
  Value c = stream_read_char(th, s);
  stream_unread_char(th, s, c);
  ck_assert_uint_eq(next_code(th, s), 'c');
  ck_assert_int_eq(st->line, 2);
  ck_assert_int_eq(st->column, 1);
}
END_TEST

START_TEST(test_long_line_across_buffers) {
  Thread *th = thread();
  /* 65535 ASCII bytes, then a 2-byte character straddling the 64 KiB buffer end. */
  size_t n = 65535;
  char *data = malloc(n + 4);
  memset(data, 'x', n);
  memcpy(data + n, "\xc3\xa9\ny", 4);
  Value s = in_stream(th, file_with(data, n + 4));
  free(data);
  bool missing;
  Value line = stream_read_line(th, s, &missing);
  size_t len;
  const uint32_t *cs = string_chars(line, &len);
  ck_assert_uint_eq(len, n + 1);
  ck_assert_uint_eq(cs[0], 'x');
  ck_assert_uint_eq(cs[n], 0xE9);
  ck_assert(!missing);
  ck_assert_uint_eq(next_code(th, s), 'y');

  /* 200000 characters on one line */
  n = 200000;
  data = malloc(n);
  memset(data, 'q', n);
  s = in_stream(th, file_with(data, n));
  free(data);
  line = stream_read_line(th, s, &missing);
  string_chars(line, &len);
  ck_assert_uint_eq(len, n);
  ck_assert(missing);
}
END_TEST

START_TEST(test_bivalent_and_binary) {
  Thread *th = thread();
  Value s = make_fd_stream(th, pipe_with("abcd", 4), STRM_INPUT | STRM_BIVALENT | STRM_OWN_FD, NIL);
  ck_assert_uint_eq(next_code(th, s), 'a');
  ck_assert(stream_read_byte(th, s) == make_fixnum('b'));
  ck_assert_uint_eq(next_code(th, s), 'c');
  uint8_t buf[4];
  ck_assert_uint_eq(stream_read_octets(th, s, buf, 4), 1);
  ck_assert_uint_eq(buf[0], 'd');
  ck_assert(stream_read_byte(th, s) == EOF_MARK);

  Value b = make_fd_stream(th, pipe_with("\x01\xff", 2), STRM_INPUT | STRM_BINARY | STRM_OWN_FD, NIL);
  ck_assert(stream_read_byte(th, b) == make_fixnum(1));
  ck_assert(stream_read_byte(th, b) == make_fixnum(255));
  ck_assert(stream_read_byte(th, b) == EOF_MARK);
}
END_TEST

/* ---- fd output ---- */

START_TEST(test_output_buffering_and_encoding) {
  Thread *th = thread();
  int p[2];
  ck_assert_int_eq(pipe(p), 0);
  fcntl(p[0], F_SETFL, O_NONBLOCK);
  Value s = make_fd_stream(th, p[1], STRM_OUTPUT | STRM_OWN_FD, NIL);
  uint32_t text[] = {'a', '\n', 0x20AC, 'b'};
  stream_write_chars(th, s, text, 4);
  char buf[64];
  /* nothing reaches the fd before a flush */
  ck_assert_int_eq(read(p[0], buf, sizeof buf), -1);
  ck_assert_int_eq(errno, EAGAIN);
  ck_assert_int_eq(stream_line_column(th, s), 2);
  stream_finish_output(th, s);
  ssize_t n = read(p[0], buf, sizeof buf);
  ck_assert_int_eq(n, 6);
  ck_assert(memcmp(buf,
                   "a\n\xe2\x82\xac"
                   "b",
                   6) == 0);
  ck_assert(stream_fresh_line(th, s));
  ck_assert(!stream_fresh_line(th, s));
  stream_close(th, s, false); /* close flushes */
  ck_assert_int_eq(read(p[0], buf, sizeof buf), 1);
  ck_assert_int_eq(buf[0], '\n');
  close(p[0]);
}
END_TEST

START_TEST(test_crlf_and_latin1_output) {
  Thread *th = thread();
  int p[2];
  ck_assert_int_eq(pipe(p), 0);
  Value s = make_fd_stream(th, p[1], STRM_OUTPUT | STRM_OWN_FD, NIL);
  stream_of(s)->eol = EOL_CRLF;
  stream_of(s)->encoding = ENC_LATIN1;
  uint32_t text[] = {'a', '\n', 0xE9, 0x20AC};
  stream_write_chars(th, s, text, 4);
  stream_close(th, s, false);
  char buf[16];
  size_t n = drain(p[0], buf, sizeof buf);
  ck_assert_uint_eq(n, 5);
  ck_assert(memcmp(buf, "a\r\n\xe9?", 5) == 0);
  close(p[0]);
}
END_TEST

START_TEST(test_close_abort_discards) {
  Thread *th = thread();
  int p[2];
  ck_assert_int_eq(pipe(p), 0);
  Value s = make_fd_stream(th, p[1], STRM_OUTPUT | STRM_OWN_FD, NIL);
  stream_write_cstr(th, s, "lost");
  ck_assert(stream_close(th, s, true));
  ck_assert(!stream_close(th, s, false));
  char buf[8];
  ck_assert_uint_eq(drain(p[0], buf, sizeof buf), 0);
  ck_assert(!fd_is_open(p[1]));
  close(p[0]);
}
END_TEST

START_TEST(test_file_position) {
  Thread *th = thread();
  Value s = make_fd_stream(th, file_with("hello\nworld\n", 12),
                           STRM_INPUT | STRM_OUTPUT | STRM_OWN_FD | STRM_FILE, NIL);
  ck_assert(stream_file_position(th, s) == make_fixnum(0));
  next_code(th, s);
  next_code(th, s);
  ck_assert(stream_file_position(th, s) == make_fixnum(2));
  /* writing after reading continues at the read position, not after the read-ahead */
  stream_write_cstr(th, s, "LL");
  ck_assert(stream_file_position(th, s) == make_fixnum(4));
  ck_assert(stream_set_file_position(th, s, make_fixnum(0)) == make_fixnum(0));
  bool missing;
  ck_assert(text_is(stream_read_line(th, s, &missing), "heLLo"));
  ck_assert(stream_file_length(th, s) == make_fixnum(12));
}
END_TEST

/* ---- finalization never closes a reused descriptor ---- */

START_TEST(test_finalizer_closes_only_owned_fd) {
  Thread *th = thread();
  int fd = open("/dev/null", O_RDONLY);
  ck_assert_int_ge(fd, 0);
  Value s = make_fd_stream(th, fd, STRM_INPUT | STRM_OWN_FD | STRM_AUTO_CLOSE, NIL);
  stream_finalize(s);
  ck_assert(!fd_is_open(fd));

  /* closed explicitly first: the number is reused by the next open, which the finalizer must not touch */
  fd = open("/dev/null", O_RDONLY);
  s = make_fd_stream(th, fd, STRM_INPUT | STRM_OWN_FD | STRM_AUTO_CLOSE, NIL);
  stream_close(th, s, false);
  int again = open("/dev/null", O_RDONLY);
  ck_assert_int_eq(again, fd);
  stream_finalize(s);
  ck_assert(fd_is_open(again));
  close(again);

  /* not owned: left open */
  fd = open("/dev/null", O_RDONLY);
  s = make_fd_stream(th, fd, STRM_INPUT | STRM_AUTO_CLOSE, NIL);
  stream_finalize(s);
  ck_assert(fd_is_open(fd));
  close(fd);
}
END_TEST

/* ---- io.c ---- */

START_TEST(test_io_timeouts) {
  Thread *th = thread();
  int p[2];
  ck_assert_int_eq(pipe(p), 0);
  double t0 = io_now();
  ck_assert_int_eq(io_wait(th, p[0], POLLIN, 0.05, 0), IO_TIMEOUT);
  ck_assert(io_now() - t0 >= 0.049);
  char buf[4];
  t0 = io_now();
  ck_assert_int_eq(io_read(th, p[0], buf, sizeof buf, -1, io_now() + 0.05), IO_DEADLINE);
  ck_assert(io_now() - t0 >= 0.049);
  /* the earlier of timeout and deadline wins */
  ck_assert_int_eq(io_read(th, p[0], buf, sizeof buf, 0.02, io_now() + 10), IO_TIMEOUT);
  ck_assert_int_eq(write(p[1], "x", 1), 1);
  ck_assert_int_eq(io_wait(th, p[0], POLLIN, 0, 0), IO_READY);
  ck_assert_int_eq(io_read(th, p[0], buf, sizeof buf, 1, 0), 1);
  close(p[0]);
  close(p[1]);
}
END_TEST

START_TEST(test_io_write_no_sigpipe) {
  Thread *th = thread();
  int sv[2];
  ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
  close(sv[1]);
  /* SIGPIPE would kill this process (default disposition): MSG_NOSIGNAL makes it EPIPE. */
  signal(SIGPIPE, SIG_DFL);
  size_t written = 99;
  ck_assert_int_eq(io_write_partial(th, sv[0], "abc", 3, -1, 0, &written), IO_ERROR);
  ck_assert_int_eq(errno, EPIPE);
  ck_assert_uint_eq(written, 0);
  close(sv[0]);
}
END_TEST

START_TEST(test_socket_stream_listen) {
  Thread *th = thread();
  int sv[2];
  ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
  Value a = make_fd_stream(th, sv[0], STRM_INPUT | STRM_OUTPUT | STRM_OWN_FD, NIL);
  Value b = make_fd_stream(th, sv[1], STRM_INPUT | STRM_OUTPUT | STRM_OWN_FD, NIL);
  ck_assert(!stream_listen(th, b));
  ck_assert(stream_read_char_no_hang(th, b) == NIL);
  stream_write_cstr(th, a, "ping\n");
  ck_assert(!stream_listen(th, b)); /* still buffered in a */
  stream_force_output(th, a);
  ck_assert(stream_listen(th, b));
  bool missing;
  ck_assert(text_is(stream_read_line(th, b, &missing), "ping"));
  stream_close(th, a, false);
  ck_assert(stream_read_char(th, b) == EOF_MARK);
  stream_close(th, b, false);
}
END_TEST

/* ---- string and composite streams ---- */

START_TEST(test_string_streams) {
  Thread *th = thread();
  Value in = make_string_input_stream(th, make_string_c(th, "xhello worldx"), 1, 12);
  ck_assert_uint_eq(next_code(th, in), 'h');
  Value e = stream_read_char(th, in);
  stream_unread_char(th, in, e);
  ck_assert(stream_peek_char(th, in) == make_char('e'));
  ck_assert(stream_file_position(th, in) == make_fixnum(1));
  bool missing;
  ck_assert(text_is(stream_read_line(th, in, &missing), "ello world"));
  ck_assert(missing);
  ck_assert(stream_read_char(th, in) == EOF_MARK);

  Value out = make_string_output_stream(th);
  for (int i = 0; i < 1000; i++)
    stream_write_cstr(th, out, "ab");
  stream_write_cstr(th, out, "\xc3\xa9");
  Value r = get_output_stream_string(th, out);
  size_t len;
  const uint32_t *cs = string_chars(r, &len);
  ck_assert_uint_eq(len, 2001);
  ck_assert_uint_eq(cs[2000], 0xE9);
  ck_assert(text_is(get_output_stream_string(th, out), ""));
  stream_write_cstr(th, out, "x");
  ck_assert(text_is(get_output_stream_string(th, out), "x"));
}
END_TEST

START_TEST(test_composite_streams) {
  Thread *th = thread();
  Value o1 = make_string_output_stream(th), o2 = make_string_output_stream(th);
  Value b = make_broadcast_stream(th, list2(th, o1, o2));
  stream_write_cstr(th, b, "both");
  ck_assert(text_is(get_output_stream_string(th, o1), "both"));
  ck_assert(text_is(get_output_stream_string(th, o2), "both"));

  Value echo_out = make_string_output_stream(th);
  Value echo = make_echo_stream(th, make_string_input_stream(th, make_string_c(th, "abc"), 0, 3), echo_out);
  Value a = stream_read_char(th, echo);
  stream_unread_char(th, echo, a);
  next_code(th, echo);
  next_code(th, echo);
  ck_assert(text_is(get_output_stream_string(th, echo_out), "ab"));

  Value cat =
      make_concatenated_stream(th, list2(th, make_string_input_stream(th, make_string_c(th, "ab"), 0, 2),
                                         make_string_input_stream(th, make_string_c(th, "c\nd"), 0, 3)));
  bool missing;
  ck_assert(text_is(stream_read_line(th, cat, &missing), "abc"));
  ck_assert(text_is(stream_read_line(th, cat, &missing), "d"));
  ck_assert(missing);

  Value out = make_string_output_stream(th);
  Value two = make_two_way_stream(th, make_string_input_stream(th, make_string_c(th, "in"), 0, 2), out);
  ck_assert_uint_eq(next_code(th, two), 'i');
  stream_write_cstr(th, two, "out");
  ck_assert(text_is(get_output_stream_string(th, out), "out"));
}
END_TEST

START_TEST(test_printing) {
  Thread *th = thread();
  Value out = make_string_output_stream(th);
  stream_print(th, make_string_output_stream(th), out);
  char *text = string_to_cstr(get_output_stream_string(th, out));
  ck_assert_msg(strncmp(text, "#<STRING-OUTPUT-STREAM  #x", 26) == 0, "printed %s", text);
  free(text);
  int p[2];
  ck_assert_int_eq(pipe(p), 0);
  Value s = make_fd_stream(th, p[1], STRM_OUTPUT | STRM_OWN_FD, NIL);
  stream_print(th, s, out);
  text = string_to_cstr(get_output_stream_string(th, out));
  char expected[64];
  snprintf(expected, sizeof expected, "#<BASIC-CHARACTER-OUTPUT-STREAM UTF-8 (PIPE/%d) #x", p[1]);
  ck_assert_msg(strncmp(text, expected, strlen(expected)) == 0, "printed %s", text);
  free(text);
  stream_close(th, s, false);
  stream_print(th, s, out);
  text = string_to_cstr(get_output_stream_string(th, out));
  ck_assert_msg(strncmp(text, "#<BASIC-CHARACTER-OUTPUT-STREAM :CLOSED #x", 41) == 0, "printed %s", text);
  free(text);
  close(p[0]);
}
END_TEST

/* ---- through the evaluator: the natives and their errors ---- */

START_TEST(test_natives_and_errors) {
  expect_value("(with-output-to-string (s) (write-string \"abcdef\" s :start 1 :end 3) (terpri s))",
               "\"bc\n\"");
  expect_value("(values (read-line (make-string-input-stream \"one\ntwo\")))", "\"one\"");
  expect_value("(read-char (make-string-input-stream \"\") nil :done)", ":DONE");
  expect_error("(read-char (make-string-input-stream \"\"))", "end of file");
  expect_error("(let ((s (make-string-input-stream \"a\"))) (close s) (read-char s))", "is closed");
  expect_error("(read-byte (make-string-input-stream \"a\"))", "(AND CCL::BINARY-STREAM INPUT-STREAM)");
  expect_error("(write-char #\\a (make-string-input-stream \"a\"))",
               "(AND CCL::CHARACTER-STREAM OUTPUT-STREAM)");
  expect_error("(open \"/nonexistent-dir-clove/x.txt\")",
               "No such file or directory : #P\"/nonexistent-dir-clove/x.txt\"");
  expect_error("(read-char 42)", "is not of the expected type STREAM");
}
END_TEST

START_TEST(test_open_write_read_file) {
  char name[] = "/tmp/clove-test-open-XXXXXX";
  int fd = mkstemp(name);
  ck_assert_int_ge(fd, 0);
  close(fd);
  char src[512];
  snprintf(src, sizeof src,
           "(progn (with-open-file (s \"%s\" :direction :output :if-exists :supersede)"
           " (write-line \"caf\xc3\xa9\" s) (write-string \"end\" s))"
           " (with-open-file (s \"%s\") (list (read-line s) (read-line s nil) (read-line s nil :eof))))",
           name, name);
  expect_value(src, "(\"caf\xc3\xa9\" \"end\" :EOF)");
  snprintf(src, sizeof src, "(with-open-file (s \"%s\" :element-type '(unsigned-byte 8)) (file-length s))",
           name);
  expect_value(src, "9");
  snprintf(src, sizeof src, "(open \"%s\" :direction :output :if-exists :error)", name);
  expect_error(src, "File exists");
  unlink(name);
}
END_TEST

/* A native for the tests below: a stream on one end of a socket pair nobody writes to or
 * reads from, with a 50 ms timeout (kind 0: input, 1: output) or deadline (kind 2). */
static int peer_fd = -1;

static CloveValue test_idle_socket_stream(CloveVM *vm, int nargs, const CloveValue *args) {
  (void)nargs;
  Thread *th = clove_vm_thread(vm);
  int sv[2];
  if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
    clove_error(vm, "socketpair failed");
  peer_fd = sv[1];
  Value s = make_fd_stream(th, sv[0], STRM_INPUT | STRM_OUTPUT | STRM_OWN_FD | STRM_AUTO_CLOSE, NIL);
  intptr_t kind = clove_to_int(vm, args[0]);
  if (kind == 0)
    stream_of(s)->input_timeout = 0.05;
  else if (kind == 1)
    stream_of(s)->output_timeout = 0.05;
  else
    stream_of(s)->deadline = io_now() + 0.05;
  return (CloveValue)s;
}

START_TEST(test_timeouts_signal) {
  ck_assert_int_eq(clove_define(cvm, "IDLE-SOCKET-STREAM", 1, 1, test_idle_socket_stream, NULL), 0);
  expect_value("(handler-case (read-char (idle-socket-stream 0)) (stream-error (c) (subseq (princ-to-string "
               "c) 0 19)))",
               "\"Input timeout on #<\"");
  /* the stream survives a timeout */
  expect_value("(let ((s (idle-socket-stream 0))) (handler-case (read-char s) (stream-error () nil)) "
               "(open-stream-p s))",
               "T");
  expect_value(
      "(let ((s (idle-socket-stream 1)))"
      " (handler-case (dotimes (i 100000) (write-string \"0123456789012345678901234567890123456789\" s))"
      "  (stream-error (c) (subseq (princ-to-string c) 0 20))))",
      "\"Output timeout on #<\"");
  expect_value("(handler-case (read-line (idle-socket-stream 2)) (stream-error (c) (subseq (princ-to-string "
               "c) 0 35)))",
               "\"Communication deadline timeout on #\"");
}
END_TEST

static Suite *streams_suite(void) {
  Suite *s = suite_create("streams");
  TCase *fd = tcase_create("fd");
  tcase_add_test(fd, test_read_lines_utf8);
  tcase_add_test(fd, test_invalid_utf8_is_replaced);
  tcase_add_test(fd, test_crlf_and_latin1_input);
  tcase_add_test(fd, test_line_column_and_unread);
  tcase_add_test(fd, test_long_line_across_buffers);
  tcase_add_test(fd, test_bivalent_and_binary);
  tcase_add_test(fd, test_output_buffering_and_encoding);
  tcase_add_test(fd, test_crlf_and_latin1_output);
  tcase_add_test(fd, test_close_abort_discards);
  tcase_add_test(fd, test_file_position);
  tcase_add_test(fd, test_finalizer_closes_only_owned_fd);
  suite_add_tcase(s, fd);
  TCase *io = tcase_create("io");
  tcase_add_test(io, test_io_timeouts);
  tcase_add_test(io, test_io_write_no_sigpipe);
  tcase_add_test(io, test_socket_stream_listen);
  suite_add_tcase(s, io);
  TCase *other = tcase_create("string-and-composite");
  tcase_add_test(other, test_string_streams);
  tcase_add_test(other, test_composite_streams);
  tcase_add_test(other, test_printing);
  suite_add_tcase(s, other);
  TCase *lisp = tcase_create("natives");
  tcase_add_test(lisp, test_natives_and_errors);
  tcase_add_test(lisp, test_open_write_read_file);
  tcase_add_test(lisp, test_timeouts_signal);
  suite_add_tcase(s, lisp);
  return s;
}

int main(void) {
  cvm = clove_open(NULL);
  if (!cvm) {
    fprintf(stderr, "clove_open failed\n");
    return EXIT_FAILURE;
  }
  SRunner *sr = srunner_create(streams_suite());
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  clove_close(cvm);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
