/* stream.h — the one stream protocol (read/write byte and char, unread, line,
 * sequence, listen, flush, close) over fd, string and composite streams. */
#ifndef CLOVE_STREAM_H
#define CLOVE_STREAM_H

#include "lisp.h"

enum StreamKind {
  SK_FD, /* file, terminal, pipe; also the base of socket streams */
  SK_STRING_IN,
  SK_STRING_OUT,
  SK_BROADCAST,
  SK_TWO_WAY,
  SK_ECHO,
  SK_CONCATENATED,
  SK_SYNONYM,
};

/* Stream.flags */
#define STRM_INPUT 0x01
#define STRM_OUTPUT 0x02
#define STRM_OPEN 0x04
#define STRM_INTERACTIVE 0x08    /* a terminal */
#define STRM_BINARY 0x10         /* element type (unsigned-byte 8) */
#define STRM_BIVALENT 0x20       /* accepts characters and octets */
#define STRM_AUTO_CLOSE 0x40     /* finalizer closes the fd */
#define STRM_OWN_FD 0x80         /* closing the stream closes the fd */
#define STRM_LINE_BUFFERED 0x100 /* fd output flushed at each newline (stdout on a terminal) */
#define STRM_UNBUFFERED 0x200    /* fd output flushed after every write call (*error-output*) */
#define STRM_SEEKABLE 0x400      /* the fd is a regular file: lseek works, one shared position */
#define STRM_CREATED 0x800       /* OPEN created the file: CLOSE :ABORT T deletes it */
#define STRM_FILE 0x1000         /* made by OPEN: a FILE-STREAM (file-length, truename ...) */
#define STRM_FILL_POINTER 0x2000 /* string output into a caller's string with a fill pointer */

enum Encoding { ENC_UTF8, ENC_LATIN1, ENC_ASCII };
enum Eol { EOL_LF, EOL_CRLF, EOL_CR };

/* Socket streams (and any other owner of Stream.extra) customise errors, close and
 * finalization: when extra is not NULL it points to a struct whose FIRST member is
 * a `const StreamHooks *` (any member may be NULL). */
typedef struct StreamHooks {
  /* An I/O system call failed with errno err during situation ("read", "write").
   * Must not return (signal the owner's condition, e.g. SOCKET-ERROR). */
  NORETURN void (*io_error)(Thread *th, Value stream, int err, const char *situation);
  /* Called by stream_close after pending output is flushed and before the fd is closed. */
  void (*close)(Thread *th, Value stream, bool abort);
  /* Called by stream_finalize (no Thread: C only, must not signal); frees extra. */
  void (*finalize)(void *extra);
} StreamHooks;

typedef struct Stream {
  Obj h;
  uint8_t kind;
  uint8_t encoding; /* enum Encoding */
  uint8_t eol;      /* enum Eol */
  uint8_t pad;
  uint32_t flags;
  int fd; /* SK_FD; -1 once closed */
  /* The class this stream reports: the class object when the class tree defines it
   * (find_class), else its NAME symbol; readers accept both (stream_class_symbol).
   * CCL::BASIC-CHARACTER-OUTPUT-STREAM, CCL::BASIC-FILE-BINARY-INPUT-STREAM,
   * CCL::STRING-OUTPUT-STREAM, TWO-WAY-STREAM, CCL::TCP-STREAM ... class-of and type-of
   * answer from it, the printer prints #<NAME ... #x...>. */
  Value klass;
  Value name; /* file name (string) or NIL, for messages */
  Value slots; /* 0, or the CLOS slot vector of a socket stream CHANGE-CLASS gave a DEFCLASS subclass */
  Value element_type;

  /* Buffers of an fd stream: malloc'd, freed by the finalizer or close. */
  uint8_t *ibuf;
  size_t ipos, ilen, icap;
  uint8_t *obuf;
  size_t olen, ocap;

  /* One character of pushback (unread-char) for fd and echo streams; UNBOUND if none.
   * String input streams back up their index instead. */
  Value unread;

  /* String input: the simple string that holds the characters (the data of a
   * non-simple string), pos the next index into it, end the limit.
   * String output: a simple string used as a growing buffer, end the length so
   * far (pos unused); with STRM_FILL_POINTER, the caller's string itself. */
  Value string;
  size_t pos, end;

  /* Composite streams */
  Value streams; /* broadcast/concatenated: list; two-way/echo: (in . out) */
  Value symbol;  /* synonym */

  /* Position tracking for reader errors and fresh-line */
  long line;       /* 1-based line of the next character read */
  long column;     /* 0-based column of the next character read */
  long out_column; /* column of the output cursor, for fresh-line and ~& */
  long file_pos;   /* fd streams: bytes transferred through the stream (statistics) */
  long form_line;  /* line where the last object READ from this stream began (error locations) */

  double input_timeout, output_timeout; /* seconds; < 0 for none */
  double deadline;                      /* absolute, from CLOCK_MONOTONIC; 0 for none */

  void *extra; /* socket information for socket streams (sockets.c owns it); see StreamHooks */

  /* ---- stream.c's own bookkeeping (no Values below this line) ---- */
  long prev_column;  /* column before the last newline read, for unread-char */
  size_t start;      /* string input: first index (file-position 0), as an index into string */
  size_t offset;     /* string input: where the caller's string starts inside string */
  char *backup_path; /* OPEN :if-exists :supersede: the original, renamed aside until close */
  /* fd streams: the thread waiting in a read (in_owner) or write (out_owner) of this
   * stream with the interpreter lock released; other threads wait before touching
   * that buffer (stream_fd.c). */
  struct Thread *in_owner, *out_owner;
} Stream;

static inline Stream *stream_of(Value v) { return (Stream *)v; }
static inline bool is_stream(Value v) { return is_type(v, T_STREAM); }
/* The class name a stream's klass stands for (klass is a class or a symbol). */
Value stream_class_symbol(Value klass);

/* Designators: T means *terminal-io* for input/output functions, NIL means
 * *standard-output* / *standard-input*. Signals type-error if not a stream. */
Value stream_designator_out(Thread *th, Value designator);
Value stream_designator_in(Thread *th, Value designator);
Value check_stream(Thread *th, Value v);

/* Gray streams: an instance of a subclass of CCL:FUNDAMENTAL-STREAM. check_stream and the
 * designators accept one, and every stream_* function above and below routes it to the
 * generic functions of stdlib/gray.lisp (STREAM-READ-CHAR ...), so stream_of must only be
 * applied after is_stream. gray_call calls the function named CCL::<name>. */
bool is_gray_stream(Thread *th, Value v);
Value gray_call(Thread *th, const char *name, int nargs, Value *args);

/* Construction. make_fd_stream: flags among STRM_INPUT/OUTPUT/BINARY/BIVALENT/
 * AUTO_CLOSE/OWN_FD/INTERACTIVE/FILE/LINE_BUFFERED/UNBUFFERED; STRM_OPEN and
 * STRM_SEEKABLE are added here. UTF-8, LF, no timeouts; klass is the CCL basic
 * stream class for the direction and element type (callers may replace it). */
Value make_fd_stream(Thread *th, int fd, uint32_t flags, Value name);
Value make_string_input_stream(Thread *th, Value string, size_t start, size_t end);
Value make_string_output_stream(Thread *th);
/* An output stream that appends to a string with a fill pointer (WITH-OUTPUT-TO-STRING
 * with a string argument); signals unless string is a string with a fill pointer. */
Value make_fill_pointer_output_stream(Thread *th, Value string);
Value get_output_stream_string(Thread *th, Value stream);  /* and resets it */
Value make_broadcast_stream(Thread *th, Value streams);    /* list of output streams */
Value make_concatenated_stream(Thread *th, Value streams); /* list of input streams */
Value make_two_way_stream(Thread *th, Value in, Value out);
Value make_echo_stream(Thread *th, Value in, Value out);
Value make_synonym_stream(Thread *th, Value symbol);

/* Characters. read returns a character or EOF_MARK. */
Value stream_read_char(Thread *th, Value stream);
void stream_unread_char(Thread *th, Value stream, Value ch);
Value stream_peek_char(Thread *th, Value stream);
Value stream_read_char_no_hang(Thread *th, Value stream); /* NIL when nothing available */
void stream_write_char(Thread *th, Value stream, uint32_t c);
void stream_write_chars(Thread *th, Value stream, const uint32_t *s, size_t n);
void stream_write_cstr(Thread *th, Value stream, const char *utf8);
void stream_write_string(Thread *th, Value stream, Value string); /* any string */
/* Reads a line; *missing_newline set when it ended at EOF. EOF_MARK at EOF before any char. */
Value stream_read_line(Thread *th, Value stream, bool *missing_newline);

/* Bytes: read returns a fixnum or EOF_MARK. */
Value stream_read_byte(Thread *th, Value stream);
void stream_write_byte(Thread *th, Value stream, uint8_t b);
/* Bulk octets: read up to n bytes, blocking until n or EOF; returns count. */
size_t stream_read_octets(Thread *th, Value stream, uint8_t *buf, size_t n);
void stream_write_octets(Thread *th, Value stream, const uint8_t *buf, size_t n);

bool stream_listen(Thread *th, Value stream);
void stream_clear_input(Thread *th, Value stream);
void stream_clear_output(Thread *th, Value stream);
void stream_force_output(Thread *th, Value stream);  /* flushes, does not wait */
void stream_finish_output(Thread *th, Value stream); /* flushes and waits */
/* Returns true if the stream was open (CLOSE's value). */
bool stream_close(Thread *th, Value stream, bool abort);
bool stream_fresh_line(Thread *th, Value stream);  /* true if it wrote a newline */
long stream_line_column(Thread *th, Value stream); /* -1 if unknown */

/* Questions (T_STREAM only; synonym streams answer for their target). */
bool stream_open_p(Thread *th, Value stream);
bool stream_input_p(Thread *th, Value stream);
bool stream_output_p(Thread *th, Value stream);
bool stream_interactive_p(Thread *th, Value stream);
Value stream_element_type(Thread *th, Value stream);
/* FILE-POSITION: the position (an integer) or NIL when unknown; set: pos is an
 * integer, :START or :END, returns the new position or NIL if it cannot seek. */
Value stream_file_position(Thread *th, Value stream);
Value stream_set_file_position(Thread *th, Value stream, Value pos);
Value stream_file_length(Thread *th, Value stream); /* type-error FILE-STREAM for others */
/* The fd or string stream that characters are actually read from (following synonym,
 * two-way and echo streams), for the reader's file:line:column in errors. */
Value stream_input_source(Thread *th, Value stream);

/* External formats: :utf-8 :latin-1 :iso-8859-1 :us-ascii :ascii :default, line
 * terminations :unix :lf :crlf :dos :windows :cr :macos, or a list
 * (:character-encoding e :line-termination l). Signals on anything else. */
void parse_external_format(Thread *th, Value ef, int *encoding, int *eol);

/* Errors signalled by the stream layer, all with :stream (so STREAM-ERROR-STREAM works).
 * fmt is a Lisp format control, the varargs nargs Values. */
NORETURN void stream_error(Thread *th, Value type, Value stream, const char *fmt, int nargs, ...);
NORETURN void stream_closed_error(Thread *th, Value stream); /* "#<...> is closed" */
NORETURN void stream_eof_error(Thread *th, Value stream);    /* END-OF-FILE */
/* errno err during situation ("read", "write", "close"): the stream's hooks decide, else
 * STREAM-ERROR "<strerror> during <situation>". */
NORETURN void stream_io_error(Thread *th, Value stream, int err, const char *situation);
/* FILE-ERROR with :pathname; CCL's "<strerror> : #P\"<path>\"" for errno values. */
NORETURN void file_error(Thread *th, Value pathname, const char *fmt, int nargs, ...);
NORETURN void file_errno_error(Thread *th, Value pathname, int err);

/* The printed representation #<CLASS ... #x...>; the printer calls this for T_STREAM. */
void stream_print(Thread *th, Value stream, Value out);

/* The standard streams of the current dynamic environment */
Value standard_output(Thread *th);
Value standard_input(Thread *th);
Value error_output(Thread *th);

/* Creates *standard-input* etc. at VM start-up. */
void streams_init(Thread *th);
/* Flushes the standard output streams (the quit path and clove_close call it);
 * never signals: errors at exit (a closed pipe) are ignored. */
void streams_flush_all(Thread *th);
/* Called by the collector for an unreachable T_STREAM registered with gc_set_finalizer:
 * frees the buffers and, if the stream still owns an open fd and has STRM_AUTO_CLOSE,
 * closes it. No Thread: never signals, never allocates in the heap. */
void stream_finalize(Value stream);

#endif
