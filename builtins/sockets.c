/* sockets.c — CCL's socket API over socket(2): make-socket, accept-connection, the
 * socket class tree, close/shutdown and the questions a socket answers about itself. */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <limits.h>
#include <sys/un.h>
#include <unistd.h>

#include "sockets.h"

#define MAX_ADDRS 16

/* ---- socket objects ---- */

static NORETURN void tcp_io_error(Thread *th, Value stream, int err, const char *situation) {
  socket_error(th, stream, err, situation);
}

static void free_extra(void *extra) { free(extra); }

static const StreamHooks tcp_hooks = {tcp_io_error, NULL, free_extra};

/* A listener or UDP socket that becomes unreachable: its fd is closed unless close
 * already did it (fd is then -1) or :auto-close nil asked to keep it. */
static void foreign_finalize(void *payload) {
  SockInfo *si = payload;
  if (si->fd >= 0 && si->auto_close) {
    if (si->path) unlink(si->path);
    close(si->fd);
  }
  free(si->path);
  free(si);
}

typedef struct SockRef {
  SockInfo *si;
  int fd; /* -1 when closed */
  bool stream;
} SockRef;

static bool sock_ref(Value v, SockRef *r) {
  if (is_stream(v)) {
    Stream *s = stream_of(v);
    if (s->kind != SK_FD || !s->extra || *(const StreamHooks *const *)s->extra != &tcp_hooks) return false;
    r->si = s->extra;
    r->fd = (s->flags & STRM_OPEN) ? s->fd : -1;
    r->stream = true;
    return true;
  }
  if (is_type(v, T_FOREIGN) && ((Foreign *)v)->finalize == foreign_finalize) {
    r->si = ((Foreign *)v)->payload;
    r->fd = r->si->fd;
    r->stream = false;
    return true;
  }
  return false;
}

static SockRef check_socket(Thread *th, Value v) {
  SockRef r;
  if (!sock_ref(v, &r)) type_error(th, v, ccl_sym(th, "SOCKET"));
  return r;
}

/* ---- make-socket's options ---- */

enum {
  K_ADDRESS_FAMILY, K_TYPE, K_CONNECT, K_REMOTE_HOST, K_REMOTE_PORT, K_REMOTE_ADDRESS, K_EOL, K_FORMAT,
  K_KEEPALIVE, K_REUSE_ADDRESS, K_NODELAY, K_BROADCAST, K_LINGER, K_LOCAL_PORT, K_LOCAL_HOST, K_LOCAL_ADDRESS,
  K_BACKLOG, K_CLASS, K_OUT_OF_BAND_INLINE, K_LOCAL_FILENAME, K_REMOTE_FILENAME, K_SHARING, K_BASIC,
  K_EXTERNAL_FORMAT, K_AUTO_CLOSE, K_CONNECT_TIMEOUT, K_INPUT_TIMEOUT, K_OUTPUT_TIMEOUT, K_DEADLINE, K_FD,
  K_COUNT
};

#define MAKE_SOCKET_KEYS                                                                                      \
  "address-family type connect remote-host remote-port remote-address eol format keepalive reuse-address "   \
  "nodelay broadcast linger local-port local-host local-address backlog class out-of-band-inline "            \
  "local-filename remote-filename sharing basic external-format auto-close connect-timeout input-timeout "    \
  "output-timeout deadline fd"

typedef struct Opts {
  int family; /* AF_UNSPEC when not given: IPv4 first, IPv6 for an IPv6 literal or as a fallback */
  bool datagram, passive;
  int format;       /* enum SockFormat; -1 when not given */
  bool keepalive, reuse, nodelay, broadcast, oobinline, auto_close;
  int linger;       /* -1: not set */
  int backlog;
  bool has_ef;
  int encoding, eol;
  double connect_timeout, input_timeout, output_timeout, deadline;
  double deadline_units; /* :deadline as given, for stream-deadline */
} Opts;

static bool true_p(Value v) { return v != UNSUPPLIED && v != NIL; }

/* CCL's check-io-timeout: a real strictly between 0 and 1,000,000 seconds. */
static double timeout_arg(Thread *th, Value v) {
  if (v == UNSUPPLIED || v == NIL) return -1;
  if (!is_real(v) || number_compare(th, v, make_fixnum(0)) <= 0 || number_compare(th, v, make_fixnum(1000000)) >= 0)
    type_error_c(th, v, "(REAL (0) (1000000))");
  return number_to_double(th, v);
}

/* An absolute deadline in internal time units -> an io_now() time. */
static double deadline_arg(Thread *th, Value v) {
  if (v == UNSUPPLIED || v == NIL) return 0;
  if (!is_real(v)) type_error(th, v, SYM(real));
  Value now = funcall0(th, intern_c(th, "GET-INTERNAL-REAL-TIME", th->vm->pkg_cl));
  double left = (number_to_double(th, v) - number_to_double(th, now)) / 1e6;
  double d = io_now() + left;
  return d > 0 ? d : 1e-9;
}

static int format_arg(Thread *th, Value v) {
  if (v == UNSUPPLIED) return -1;
  if (v == NIL || v == keyword_c(th, "TEXT")) return SOCK_FMT_TEXT;
  if (v == keyword_c(th, "BINARY")) return SOCK_FMT_BINARY;
  if (v == keyword_c(th, "BIVALENT")) return SOCK_FMT_BIVALENT;
  type_error_c(th, v, "(MEMBER :TEXT :BINARY :BIVALENT)");
}

/* A socket-address (stdlib/sockets.lisp's structures) as (host port path). */
static void address_parts(Thread *th, Value addr, Value *host, Value *port, Value *path) {
  Value parts = funcall1(th, ccl_sym(th, "%SOCKET-ADDRESS-PARTS"), addr);
  *host = CAR(parts);
  *port = CAR(CDR(parts));
  *path = CAR(CDR(CDR(parts)));
}

/* :remote-address / :local-address stand for host + port (or the filename of a
 * Unix-domain address, which also implies :address-family :file). */
static void expand_address(Thread *th, Value *a, int addr_k, int host_k, int port_k, int file_k) {
  if (!true_p(a[addr_k])) return;
  Value host, port, path;
  address_parts(th, a[addr_k], &host, &port, &path);
  if (host == NIL) {
    a[file_k] = path;
    if (a[K_ADDRESS_FAMILY] == UNSUPPLIED) a[K_ADDRESS_FAMILY] = keyword_c(th, "FILE");
  } else {
    a[host_k] = host;
    a[port_k] = port;
  }
}

static void parse_opts(Thread *th, Value *a, Opts *o) {
  expand_address(th, a, K_REMOTE_ADDRESS, K_REMOTE_HOST, K_REMOTE_PORT, K_REMOTE_FILENAME);
  expand_address(th, a, K_LOCAL_ADDRESS, K_LOCAL_HOST, K_LOCAL_PORT, K_LOCAL_FILENAME);
  memset(o, 0, sizeof *o);
  Value fam = a[K_ADDRESS_FAMILY];
  if (fam == UNSUPPLIED) o->family = AF_UNSPEC;
  else if (fam == keyword_c(th, "INTERNET")) o->family = AF_INET;
  else if (fam == keyword_c(th, "INTERNET6")) o->family = AF_INET6;
  else if (fam == keyword_c(th, "FILE")) o->family = AF_UNIX;
  else type_error_c(th, fam, "(MEMBER :INTERNET :INTERNET6 :FILE)");
  Value type = arg_or(a[K_TYPE], NIL);
  if (type == keyword_c(th, "DATAGRAM")) o->datagram = true;
  else if (type != NIL && type != keyword_c(th, "STREAM")) type_error_c(th, type, "(MEMBER :STREAM :DATAGRAM)");
  if (o->datagram && o->family == AF_UNIX) simple_error(th, "Datagram file sockets aren't implemented.");
  Value connect = arg_or(a[K_CONNECT], keyword_c(th, "ACTIVE"));
  if (connect == keyword_c(th, "PASSIVE")) o->passive = true;
  else if (connect != keyword_c(th, "ACTIVE")) type_error_c(th, connect, "(MEMBER :ACTIVE :PASSIVE)");
  o->format = format_arg(th, a[K_FORMAT]);
  o->keepalive = true_p(a[K_KEEPALIVE]);
  o->reuse = true_p(a[K_REUSE_ADDRESS]);
  o->nodelay = true_p(a[K_NODELAY]);
  o->broadcast = true_p(a[K_BROADCAST]);
  o->oobinline = true_p(a[K_OUT_OF_BAND_INLINE]);
  o->auto_close = arg_or(a[K_AUTO_CLOSE], SYM(t)) != NIL;
  o->linger = true_p(a[K_LINGER]) ? (int)integer_to_intptr(th, a[K_LINGER], 0, 65535, "(INTEGER 0 65535)") : -1;
  o->backlog = true_p(a[K_BACKLOG]) ? (int)integer_to_intptr(th, a[K_BACKLOG], 0, 1 << 20, "(INTEGER 0 1048576)") : 5;
  o->encoding = ENC_UTF8;
  o->eol = EOL_LF;
  if (true_p(a[K_EXTERNAL_FORMAT])) {
    parse_external_format(th, a[K_EXTERNAL_FORMAT], &o->encoding, &o->eol);
    o->has_ef = true;
  }
  o->connect_timeout = timeout_arg(th, a[K_CONNECT_TIMEOUT]);
  o->input_timeout = timeout_arg(th, a[K_INPUT_TIMEOUT]);
  o->output_timeout = timeout_arg(th, a[K_OUTPUT_TIMEOUT]);
  o->deadline = deadline_arg(th, a[K_DEADLINE]);
  if (o->deadline) o->deadline_units = number_to_double(th, a[K_DEADLINE]);
}

/* ---- creation, with the fd owned by a context so no error path leaks it ---- */

typedef struct Creation {
  Opts o;
  Value *args;
  int fd;       /* owned until it is wrapped in a socket object; then -1 */
  int family;
  Value result;
} Creation;

static void creation_cleanup(Thread *th, void *data) {
  UNUSED(th);
  Creation *c = data;
  if (c->fd >= 0) close(c->fd);
  c->fd = -1;
}

/* Descriptors are released before the condition is signalled, so even a handler-bind
 * handler that never returns sees no leaked fd. */
static NORETURN void creation_fail(Thread *th, Creation *c, int err, const char *situation, const char *connect_to) {
  creation_cleanup(th, c);
  socket_creation_error(th, err, situation, connect_to);
}

static void open_fd(Thread *th, Creation *c, int family, int type) {
  for (int attempt = 0;; attempt++) {
    int fd = socket(family, type | SOCK_CLOEXEC, 0);
    if (fd >= 0) {
      c->fd = fd;
      c->family = family;
      return;
    }
    /* Unreachable sockets still hold descriptors until the collector finalizes them. */
    if ((errno == EMFILE || errno == ENFILE) && attempt == 0) {
      gc_collect(th);
      continue;
    }
    creation_fail(th, c, errno, "socket", NULL);
  }
}

static void int_option(Thread *th, Creation *c, int level, int name, int value, const char *situation) {
  if (setsockopt(c->fd, level, name, &value, sizeof value) < 0) creation_fail(th, c, errno, situation, NULL);
}

static void set_options(Thread *th, Creation *c) {
  const Opts *o = &c->o;
  if (o->keepalive) int_option(th, c, SOL_SOCKET, SO_KEEPALIVE, 1, "setsockopt");
  if (o->reuse) int_option(th, c, SOL_SOCKET, SO_REUSEADDR, 1, "setsockopt");
  if (o->broadcast) int_option(th, c, SOL_SOCKET, SO_BROADCAST, 1, "setsockopt");
  if (o->oobinline) int_option(th, c, SOL_SOCKET, SO_OOBINLINE, 1, "setsockopt");
  if (o->linger >= 0) {
    struct linger l = {1, o->linger};
    if (setsockopt(c->fd, SOL_SOCKET, SO_LINGER, &l, sizeof l) < 0) creation_fail(th, c, errno, "setsockopt/linger", NULL);
  }
  if (o->nodelay && !o->datagram && c->family != AF_UNIX) int_option(th, c, IPPROTO_TCP, TCP_NODELAY, 1, "setsockopt");
}

typedef struct Addrs {
  int n;
  struct sockaddr_storage a[MAX_ADDRS];
  socklen_t len[MAX_ADDRS];
} Addrs;

/* The addresses are copied out at once: nothing malloc'd survives a later signal. */
static void lookup(Thread *th, Value host, Value port, int family, bool datagram, bool passive, Addrs *out) {
  char hbuf[NI_MAXHOST], pbuf[256];
  char *h = host_to_cstr(th, host);
  bool have_host = h != NULL;
  if (h) {
    snprintf(hbuf, sizeof hbuf, "%s", h);
    free(h);
  }
  bool have_port = port_to_cstr(th, port, pbuf, sizeof pbuf);
  struct addrinfo *res = resolve(th, have_host ? hbuf : NULL, have_port ? pbuf : "0", family,
                                 datagram ? SOCK_DGRAM : SOCK_STREAM, passive, true);
  out->n = 0;
  for (struct addrinfo *a = res; a && out->n < MAX_ADDRS; a = a->ai_next) {
    if (a->ai_family != AF_INET && a->ai_family != AF_INET6) continue;
    memcpy(&out->a[out->n], a->ai_addr, a->ai_addrlen);
    out->len[out->n] = a->ai_addrlen;
    out->n++;
  }
  freeaddrinfo(res);
  if (out->n == 0) socket_gai_error(th, EAI_NONAME, "getaddrinfo");
}

static bool local_given(Value *a) { return true_p(a[K_LOCAL_HOST]) || true_p(a[K_LOCAL_PORT]); }

static void bind_local(Thread *th, Creation *c) {
  Addrs local;
  lookup(th, arg_or(c->args[K_LOCAL_HOST], NIL), arg_or(c->args[K_LOCAL_PORT], NIL), c->family, c->o.datagram, true,
         &local);
  if (bind(c->fd, (struct sockaddr *)&local.a[0], local.len[0]) < 0) creation_fail(th, c, errno, "bind", NULL);
}

/* The stream over a connected fd (from connect or accept): CCL's make-tcp-stream, or
 * make-file-socket-stream for a Unix-domain fd. */
static Value wrap_socket_stream(Thread *th, int fd, int family, int format, bool auto_close, int encoding, int eol,
                             double in_to, double out_to, double deadline) {
  SockInfo *si = calloc(1, sizeof *si);
  if (!si) lisp_error(th, SYM(storage_condition), "Can't allocate a socket record.");
  si->hooks = &tcp_hooks;
  si->fd = -1;
  si->kind = family == AF_UNIX ? SOCK_KIND_FILE_STREAM : SOCK_KIND_TCP_STREAM;
  si->family = family;
  si->format = format < 0 ? SOCK_FMT_BIVALENT : format;
  si->auto_close = auto_close;
  uint32_t flags = STRM_INPUT | STRM_OUTPUT | STRM_BIVALENT | STRM_OWN_FD | (auto_close ? STRM_AUTO_CLOSE : 0);
  if (si->format != SOCK_FMT_TEXT) flags |= STRM_BINARY;
  Value sv = make_fd_stream(th, fd, flags, NIL);
  Stream *s = stream_of(sv);
  s->extra = si;
  s->encoding = (uint8_t)encoding;
  s->eol = (uint8_t)eol;
  s->input_timeout = in_to;
  s->output_timeout = out_to;
  s->deadline = deadline;
  s->klass = find_class(th, ccl_sym(th, family == AF_UNIX ? "FILE-SOCKET-STREAM" : "TCP-STREAM"), true);
  return sv;
}

static void set_deadline_units(Value stream, double units) {
  ((SockInfo *)stream_of(stream)->extra)->deadline_units = units;
}

static void connect_body(Thread *th, void *data) {
  Creation *c = data;
  Value *a = c->args;
  if (!true_p(a[K_REMOTE_HOST]) || !true_p(a[K_REMOTE_PORT]))
    simple_error(th, "need :remote-host and :remote-port arguments to create client stream socket");
  Addrs remote;
  lookup(th, a[K_REMOTE_HOST], a[K_REMOTE_PORT], c->o.family, false, false, &remote);
  int err = 0;
  char where[80] = "";
  for (int i = 0; i < remote.n; i++) {
    open_fd(th, c, remote.a[i].ss_family, SOCK_STREAM);
    set_options(th, c);
    if (local_given(a)) bind_local(th, c);
    int r = io_connect(th, c->fd, (struct sockaddr *)&remote.a[i], remote.len[i], c->o.connect_timeout, c->o.deadline);
    if (r == 0) {
      c->result = wrap_socket_stream(th, c->fd, c->family, c->o.format, c->o.auto_close, c->o.encoding, c->o.eol,
                                  c->o.input_timeout, c->o.output_timeout, c->o.deadline);
      set_deadline_units(c->result, c->o.deadline_units);
      c->fd = -1;
      return;
    }
    err = r == IO_ERROR ? errno : ETIMEDOUT;
    sockaddr_text((struct sockaddr *)&remote.a[i], where, sizeof where);
    creation_cleanup(th, c);
  }
  creation_fail(th, c, err, "connect", where);
}

static void print_socket(Thread *th, Value obj, Value stream);

static Value make_listener(Thread *th, Creation *c, int fd, int family) {
  SockInfo *si = calloc(1, sizeof *si);
  if (!si) creation_fail(th, c, ENOMEM, "socket", NULL);
  si->fd = fd;
  si->kind = c->o.datagram ? SOCK_KIND_UDP : family == AF_UNIX ? SOCK_KIND_FILE_LISTENER : SOCK_KIND_LISTENER;
  si->family = family;
  si->format = c->o.format;
  si->auto_close = c->o.auto_close;
  si->has_external_format = c->o.has_ef;
  si->encoding = c->o.encoding;
  si->eol = c->o.eol;
  si->input_timeout = c->o.input_timeout;
  si->output_timeout = c->o.output_timeout;
  si->deadline = c->o.deadline;
  si->deadline_units = c->o.deadline_units;
  Value tag = ccl_sym(th, si->kind == SOCK_KIND_UDP          ? "UDP-SOCKET"
                         : si->kind == SOCK_KIND_LISTENER   ? "LISTENER-SOCKET"
                                                            : "FILE-LISTENER-SOCKET");
  /* The finalizer is given even with :auto-close nil: it frees the record. */
  Value v = make_foreign(th, tag, si, foreign_finalize);
  ((Foreign *)v)->print = print_socket;
  c->fd = -1;
  return v;
}

static void listen_body(Thread *th, void *data) {
  Creation *c = data;
  Value *a = c->args;
  if (!local_given(a))
    simple_error(th, "need :local-port or :local-host argument to create server stream socket");
  Addrs local;
  lookup(th, arg_or(a[K_LOCAL_HOST], NIL), arg_or(a[K_LOCAL_PORT], NIL), c->o.family, false, true, &local);
  open_fd(th, c, local.a[0].ss_family, SOCK_STREAM);
  set_options(th, c);
  if (bind(c->fd, (struct sockaddr *)&local.a[0], local.len[0]) < 0) creation_fail(th, c, errno, "bind", NULL);
  if (listen(c->fd, c->o.backlog) < 0) creation_fail(th, c, errno, "listen", NULL);
  c->result = make_listener(th, c, c->fd, c->family);
}

/* CCL's make-udp-socket: bound when a local host or port is given, connected (a default
 * peer) when both :remote-host and :remote-port are. Without :address-family the family
 * is the one of the first local (else remote) address found, IPv4 when neither is given. */
static void udp_body(Thread *th, void *data) {
  Creation *c = data;
  Value *a = c->args;
  bool has_remote = true_p(a[K_REMOTE_HOST]) && true_p(a[K_REMOTE_PORT]);
  Addrs local, remote;
  int family = c->o.family;
  if (local_given(a)) {
    lookup(th, arg_or(a[K_LOCAL_HOST], NIL), arg_or(a[K_LOCAL_PORT], NIL), family, true, true, &local);
    family = local.a[0].ss_family;
  }
  if (has_remote) {
    lookup(th, a[K_REMOTE_HOST], a[K_REMOTE_PORT], family, true, false, &remote);
    if (family == AF_UNSPEC) family = remote.a[0].ss_family;
  }
  if (family == AF_UNSPEC) family = AF_INET;
  open_fd(th, c, family, SOCK_DGRAM);
  set_options(th, c);
  if (local_given(a) && bind(c->fd, (struct sockaddr *)&local.a[0], local.len[0]) < 0)
    creation_fail(th, c, errno, "bind", NULL);
  if (has_remote) {
    int r = io_connect(th, c->fd, (struct sockaddr *)&remote.a[0], remote.len[0], c->o.connect_timeout, c->o.deadline);
    if (r != 0) {
      char where[80];
      sockaddr_text((struct sockaddr *)&remote.a[0], where, sizeof where);
      creation_fail(th, c, r == IO_ERROR ? errno : ETIMEDOUT, "connect", where);
    }
  }
  c->result = make_listener(th, c, c->fd, c->family);
  ((SockInfo *)((Foreign *)c->result)->payload)->connected = has_remote;
}

/* A Lisp path designator (string or pathname) as a sockaddr_un. */
static socklen_t unix_address(Thread *th, Creation *c, Value path, struct sockaddr_un *sun, const char *situation) {
  if (!is_any_string(path)) path = funcall1(th, intern_c(th, "NAMESTRING", th->vm->pkg_cl), path);
  char *p = string_to_cstr(path);
  size_t n = strlen(p);
  memset(sun, 0, sizeof *sun);
  sun->sun_family = AF_UNIX;
  if (n == 0 || n >= sizeof sun->sun_path) {
    free(p);
    creation_fail(th, c, n ? ENAMETOOLONG : ENOENT, situation, NULL);
  }
  memcpy(sun->sun_path, p, n + 1);
  free(p);
  return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n + 1);
}

/* CCL's make-stream-file-socket: a FILE-LISTENER-SOCKET bound to :local-filename (which
 * must not exist), or a FILE-SOCKET-STREAM connected to :remote-filename. */
static void file_body(Thread *th, void *data) {
  Creation *c = data;
  Value *a = c->args;
  struct sockaddr_un sun;
  if (c->o.passive) {
    if (!true_p(a[K_LOCAL_FILENAME]))
      simple_error(th, "need :local-filename argument to create server file stream socket");
    socklen_t len = unix_address(th, c, a[K_LOCAL_FILENAME], &sun, "bind");
    open_fd(th, c, AF_UNIX, SOCK_STREAM);
    set_options(th, c);
    if (bind(c->fd, (struct sockaddr *)&sun, len) < 0) creation_fail(th, c, errno, "bind", NULL);
    if (listen(c->fd, c->o.backlog) < 0) {
      int e = errno;
      unlink(sun.sun_path);
      creation_fail(th, c, e, "listen", NULL);
    }
    char *path = strdup(sun.sun_path);
    if (!path) {
      unlink(sun.sun_path);
      creation_fail(th, c, ENOMEM, "socket", NULL);
    }
    int fd = c->fd;
    c->result = make_listener(th, c, fd, AF_UNIX);
    ((SockInfo *)((Foreign *)c->result)->payload)->path = path;
    return;
  }
  if (!true_p(a[K_REMOTE_FILENAME]))
    simple_error(th, "need :remote-filename argument to create client file stream socket");
  socklen_t len = unix_address(th, c, a[K_REMOTE_FILENAME], &sun, "connect");
  open_fd(th, c, AF_UNIX, SOCK_STREAM);
  set_options(th, c);
  int r = io_connect(th, c->fd, (struct sockaddr *)&sun, len, c->o.connect_timeout, c->o.deadline);
  if (r != 0) creation_fail(th, c, r == IO_ERROR ? errno : ETIMEDOUT, "connect", sun.sun_path);
  c->result = wrap_socket_stream(th, c->fd, AF_UNIX, c->o.format, c->o.auto_close, c->o.encoding, c->o.eol,
                                 c->o.input_timeout, c->o.output_timeout, c->o.deadline);
  set_deadline_units(c->result, c->o.deadline_units);
  c->fd = -1;
}

static Value fn_make_socket(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Creation c;
  Value a[K_COUNT]; /* a copy: the address keys are expanded into it */
  memcpy(a, args, sizeof a);
  memset(&c, 0, sizeof c);
  c.fd = -1;
  c.args = a;
  c.result = NIL;
  parse_opts(th, a, &c.o);
  void (*body)(Thread *, void *) = c.o.family == AF_UNIX ? file_body
                                   : c.o.datagram        ? udp_body
                                   : c.o.passive         ? listen_body
                                                         : connect_body;
  with_cleanup(th, body, &c, creation_cleanup, &c);
  return c.result;
}

/* ---- accept-connection ---- */

static SockInfo *check_listener(Thread *th, Value v) {
  SockRef r;
  if (!sock_ref(v, &r) || (r.si->kind != SOCK_KIND_LISTENER && r.si->kind != SOCK_KIND_FILE_LISTENER))
    type_error(th, v, ccl_sym(th, "LISTENER-SOCKET"));
  return r.si;
}

typedef struct AcceptCtx {
  int fd;
} AcceptCtx;

static void accept_cleanup(Thread *th, void *data) {
  UNUSED(th);
  AcceptCtx *a = data;
  if (a->fd >= 0) close(a->fd);
  a->fd = -1;
}

static Value plist_value(Thread *th, Value plist, const char *key, Value dflt) {
  Value k = keyword_c(th, key);
  for (Value l = plist; is_cons(l) && is_cons(CDR(l)); l = CDR(CDR(l)))
    if (CAR(l) == k) return CAR(CDR(l));
  return dflt;
}

typedef struct AcceptJob {
  Value listener;
  SockInfo *li;
  int format, encoding, eol;
  bool auto_close;
  double in_to, out_to, deadline, deadline_units;
  AcceptCtx ctx;
  Value result;
} AcceptJob;

static void accept_wrap_body(Thread *th, void *data) {
  AcceptJob *j = data;
  j->result = wrap_socket_stream(th, j->ctx.fd, j->li->family, j->format, j->auto_close, j->encoding, j->eol, j->in_to,
                              j->out_to, j->deadline);
  set_deadline_units(j->result, j->deadline_units);
  j->ctx.fd = -1;
}

static Value fn_accept_connection(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  AcceptJob j;
  memset(&j, 0, sizeof j);
  j.listener = args[0];
  j.li = check_listener(th, args[0]);
  bool wait = arg_or(args[1], SYM(t)) != NIL;
  Value sa = arg_or(args[2], NIL);
  if (!is_list(sa) || list_length(sa) < 0 || (list_length(sa) & 1)) type_error(th, sa, SYM(list));
  /* The listener's keys, then :stream-args over them, as CCL's (append stream-args keys). */
  j.format = j.li->format;
  j.encoding = j.li->encoding;
  j.eol = j.li->eol;
  j.auto_close = j.li->auto_close;
  j.in_to = j.li->input_timeout;
  j.out_to = j.li->output_timeout;
  j.deadline = j.li->deadline;
  j.deadline_units = j.li->deadline_units;
  Value v;
  if ((v = plist_value(th, sa, "FORMAT", UNSUPPLIED)) != UNSUPPLIED) j.format = format_arg(th, v);
  if ((v = plist_value(th, sa, "EXTERNAL-FORMAT", UNSUPPLIED)) != UNSUPPLIED && v != NIL)
    parse_external_format(th, v, &j.encoding, &j.eol);
  if ((v = plist_value(th, sa, "AUTO-CLOSE", UNSUPPLIED)) != UNSUPPLIED) j.auto_close = v != NIL;
  if ((v = plist_value(th, sa, "INPUT-TIMEOUT", UNSUPPLIED)) != UNSUPPLIED) j.in_to = timeout_arg(th, v);
  if ((v = plist_value(th, sa, "OUTPUT-TIMEOUT", UNSUPPLIED)) != UNSUPPLIED) j.out_to = timeout_arg(th, v);
  if ((v = plist_value(th, sa, "DEADLINE", UNSUPPLIED)) != UNSUPPLIED) {
    j.deadline = deadline_arg(th, v);
    j.deadline_units = j.deadline ? number_to_double(th, v) : 0;
  }
  if (j.li->fd < 0) socket_error(th, args[0], EBADF, "accept");
  for (int attempt = 0;; attempt++) {
    struct sockaddr_storage peer;
    socklen_t len = sizeof peer;
    int fd = io_accept(th, j.li->fd, (struct sockaddr *)&peer, &len, SOCK_CLOEXEC, wait ? -1 : 0, 0);
    if (fd >= 0) {
      j.ctx.fd = fd;
      break;
    }
    if (fd == IO_TIMEOUT || fd == IO_DEADLINE) return NIL;
    int e = errno;
    if ((e == EMFILE || e == ENFILE) && attempt == 0) {
      gc_collect(th);
      continue;
    }
    /* A client that gave up before we took it: nothing to accept. */
    if (!wait && (e == EAGAIN || e == EWOULDBLOCK || e == ECONNABORTED)) return NIL;
    socket_error(th, args[0], e, "accept");
  }
  with_cleanup(th, accept_wrap_body, &j, accept_cleanup, &j.ctx);
  return j.result;
}

/* ---- send-to, receive-from ---- */

static SockInfo *check_udp(Thread *th, Value v) {
  SockRef r;
  if (!sock_ref(v, &r) || r.si->kind != SOCK_KIND_UDP) type_error(th, v, ccl_sym(th, "UDP-SOCKET"));
  return r.si;
}

/* The timeouts of a UDP socket signal the conditions a stream's do, naming the socket. */
static NORETURN void udp_timeout(Thread *th, Value sock, int io_result, bool output) {
  if (io_result == IO_DEADLINE)
    stream_error(th, ccl_sym(th, "COMMUNICATION-DEADLINE-EXPIRED"), sock, "Communication deadline timeout on ~S", 1,
                 sock);
  stream_error(th, ccl_sym(th, output ? "OUTPUT-TIMEOUT" : "INPUT-TIMEOUT"), sock,
               output ? "Output timeout on ~S" : "Input timeout on ~S", 1, sock);
}

/* The octets of an (unsigned-byte 8) or (signed-byte 8) vector, as CCL's
 * verify-socket-buffer accepts them, following displacement; *len is its length. */
static uint8_t *octet_buffer(Thread *th, Value buf, size_t *len) {
  Value v = buf;
  size_t offset = 0, n = 0;
  bool top = true;
  while (is_type(v, T_ARRAY)) {
    Array *a = (Array *)v;
    if (a->rank != 1) break;
    if (top) n = a->fill;
    top = false;
    offset += a->offset;
    v = a->data;
  }
  if (is_type(v, T_OCTETS)) {
    if (top) n = octets_of(v)->len;
    *len = n;
    return octets_of(v)->data + offset;
  }
  if (is_type(v, T_NUMVEC) && obj_of(v)->flags == NV_SB8) {
    if (top) n = ((NumVec *)v)->len;
    *len = n;
    return (uint8_t *)((NumVec *)v)->data + offset;
  }
  type_error_c(th, buf, "(OR (ARRAY (UNSIGNED-BYTE 8)) (ARRAY (SIGNED-BYTE 8)))");
}

/* CCL's verify-socket-buffer: offset + size must fit in the buffer. */
static uint8_t *checked_buffer(Thread *th, Value buf, Value offset_arg, size_t size, size_t *offset) {
  size_t len;
  uint8_t *p = octet_buffer(th, buf, &len);
  *offset = (size_t)integer_to_intptr(th, arg_or(offset_arg, make_fixnum(0)), 0, INTPTR_MAX, "UNSIGNED-BYTE");
  if (*offset > len || size > len - *offset) {
    char type[64];
    snprintf(type, sizeof type, "(INTEGER 0 %ld)", *offset > len ? 0L : (long)(len - *offset));
    type_error_c(th, make_fixnum((intptr_t)size), type);
  }
  return p + *offset;
}

static Value fn_send_to(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value sock = args[0];
  SockInfo *si = check_udp(th, sock);
  size_t size = (size_t)integer_to_intptr(th, args[2], 0, INTPTR_MAX, "UNSIGNED-BYTE");
  size_t offset;
  uint8_t *data = checked_buffer(th, args[1], args[6], size, &offset);
  Value to_host = arg_or(args[3], NIL), to_port = arg_or(args[4], NIL);
  /* :remote is the name CCL's manual gives :remote-address here. */
  Value to_address = true_p(args[5]) ? args[5] : arg_or(args[7], NIL);
  if (true_p(to_address)) {
    Value path;
    address_parts(th, to_address, &to_host, &to_port, &path);
    if (to_host == NIL) type_error(th, to_address, ccl_sym(th, "IP-SOCKET-ADDRESS"));
  }
  if (si->fd < 0) socket_error(th, sock, EBADF, "sendto");
  /* As CCL: a connected socket always sends to its peer; otherwise :remote-host and
   * :remote-port name the destination. With neither, sendto reports EDESTADDRREQ. */
  Addrs to;
  to.n = 0;
  if (!si->connected && (to_host != NIL || to_port != NIL))
    lookup(th, to_host, to_port, si->family, true, false, &to);
  /* The lookup may have run the collector: the buffer does not move, but refetch anyway. */
  data = checked_buffer(th, args[1], args[6], size, &offset);
  ssize_t r = io_sendto(th, si->fd, data, size, 0, to.n ? (struct sockaddr *)&to.a[0] : NULL, to.n ? to.len[0] : 0,
                        si->output_timeout, si->deadline);
  if (r == IO_TIMEOUT || r == IO_DEADLINE) udp_timeout(th, sock, (int)r, true);
  if (r < 0) socket_error(th, sock, errno, "sendto");
  return make_fixnum(r);
}

static Value fn_receive_from(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value sock = args[0], buffer = arg_or(args[2], NIL);
  SockInfo *si = check_udp(th, sock);
  size_t size = (size_t)integer_to_intptr(th, args[1], 0, 1 << 30, "(INTEGER 0 1073741824)");
  size_t offset = 0;
  Value vec = buffer;
  uint8_t *data;
  if (buffer != NIL) {
    data = checked_buffer(th, buffer, args[4], size, &offset);
  } else {
    vec = make_octets(th, size);
    data = octets_of(vec)->data;
  }
  if (si->fd < 0) socket_error(th, sock, EBADF, "recvfrom");
  struct sockaddr_storage from;
  socklen_t fromlen = sizeof from;
  memset(&from, 0, sizeof from);
  /* The vector is the receive buffer (the heap does not move). Without MSG_TRUNC, as
   * CCL: the count is what fits, the rest of a longer datagram is discarded. */
  ssize_t r = io_recvfrom(th, si->fd, data, size, 0, (struct sockaddr *)&from, &fromlen, si->input_timeout,
                          si->deadline);
  if (r == IO_TIMEOUT || r == IO_DEADLINE) udp_timeout(th, sock, (int)r, false);
  if (r < 0) socket_error(th, sock, errno, "recvfrom");
  Value result;
  size_t buflen = 0;
  if (buffer != NIL) octet_buffer(th, buffer, &buflen);
  if (buffer == NIL) {
    result = vec;
    if ((size_t)r < size) {
      result = make_octets(th, (size_t)r);
      memcpy(octets_of(result)->data, octets_of(vec)->data, (size_t)r);
    }
  } else if (!true_p(args[3]) || (offset == 0 && (size_t)r == buflen)) {
    result = buffer;
  } else {
    result = funcall3(th, intern_c(th, "SUBSEQ", th->vm->pkg_cl), buffer, make_fixnum((intptr_t)offset),
                      make_fixnum((intptr_t)(offset + (size_t)r)));
  }
  Value v[4] = {result, make_fixnum(r), sockaddr_host(th, (struct sockaddr *)&from),
                make_fixnum(sockaddr_port((struct sockaddr *)&from))};
  if (true_p(args[5])) { /* as CCL: the sender as a socket-address, three values */
    v[2] = funcall2(th, ccl_sym(th, "%IP-SOCKET-ADDRESS"), v[2], v[3]);
    return values_n(th, 3, v);
  }
  return values_n(th, 4, v);
}

/* ---- close, shutdown ---- */

static Value fn_close(Thread *th, int nargs, Value *args) {
  SockRef r;
  if (is_type(args[0], T_FOREIGN) && sock_ref(args[0], &r)) {
    int fd = r.si->fd;
    /* -1 first: a finalizer that runs later must never close a reused number. */
    r.si->fd = -1;
    /* As CCL's close :before on a file-listener-socket: the socket file goes too. */
    if (fd >= 0 && r.si->path) unlink(r.si->path);
    if (fd >= 0) close(fd);
    return SYM(t);
  }
  UNUSED(nargs);
  Value stream_close_fn = symbol_of(th, ccl_sym(th, "%CLOSE-STREAM"))->function;
  /* args are already parsed: pass the keyword on as a keyword argument again. */
  Value call[3] = {args[0], keyword_c(th, "ABORT"), args[1]};
  return call_function(th, stream_close_fn, supplied(args[1]) ? 3 : 1, call);
}

static Value fn_shutdown(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  SockRef r = check_socket(th, args[0]);
  Value dir = arg_or(args[1], NIL);
  int how;
  if (dir == keyword_c(th, "INPUT")) how = SHUT_RD;
  else if (dir == keyword_c(th, "OUTPUT")) how = SHUT_WR;
  else if (dir == keyword_c(th, "BOTH")) how = SHUT_RDWR;
  else type_error_c(th, dir, "(MEMBER :INPUT :OUTPUT :BOTH)");
  if (r.fd < 0) socket_error(th, args[0], EBADF, "shutdown");
  if (shutdown(r.fd, how) < 0) socket_error(th, args[0], errno, "shutdown");
  return NIL;
}

/* ---- questions ---- */

static bool endpoint(Thread *th, Value v, bool remote, struct sockaddr_storage *ss) {
  SockRef r = check_socket(th, v);
  if (r.fd < 0) return false;
  socklen_t len = sizeof *ss;
  int res = remote ? getpeername(r.fd, (struct sockaddr *)ss, &len) : getsockname(r.fd, (struct sockaddr *)ss, &len);
  if (res == 0) return true;
  if (errno == ENOTCONN) return false;
  socket_error(th, v, errno, remote ? "getpeername" : "getsockname");
}

static Value fn_local_port(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  struct sockaddr_storage ss;
  if (!endpoint(th, args[0], false, &ss) || ss.ss_family == AF_UNIX) return NIL;
  return make_fixnum(sockaddr_port((struct sockaddr *)&ss));
}

static Value fn_local_host(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  struct sockaddr_storage ss;
  return endpoint(th, args[0], false, &ss) ? sockaddr_host(th, (struct sockaddr *)&ss) : NIL;
}

static Value fn_remote_port(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  struct sockaddr_storage ss;
  if (!endpoint(th, args[0], true, &ss) || ss.ss_family == AF_UNIX) return NIL;
  return make_fixnum(sockaddr_port((struct sockaddr *)&ss));
}

static Value fn_remote_host(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  struct sockaddr_storage ss;
  return endpoint(th, args[0], true, &ss) ? sockaddr_host(th, (struct sockaddr *)&ss) : NIL;
}

/* The path of a Unix-domain endpoint; NIL for an unnamed one (a client's own end). */
static Value socket_filename(Thread *th, Value v, bool remote) {
  SockRef r;
  if (!sock_ref(v, &r) || r.si->family != AF_UNIX) type_error(th, v, ccl_sym(th, "FILE-SOCKET"));
  if (r.fd < 0) return NIL;
  if (!remote && r.si->path) return make_string_c(th, r.si->path);
  struct sockaddr_storage ss;
  memset(&ss, 0, sizeof ss); /* an unnamed end fills in only the family */
  if (!endpoint(th, v, remote, &ss)) return NIL;
  const struct sockaddr_un *sun = (const struct sockaddr_un *)&ss;
  return sun->sun_path[0] ? make_string_c(th, sun->sun_path) : NIL;
}

static Value fn_local_filename(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return socket_filename(th, args[0], false);
}

static Value fn_remote_filename(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return socket_filename(th, args[0], true);
}

static Value fn_socket_os_fd(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  SockRef r = check_socket(th, args[0]);
  return r.fd >= 0 ? make_fixnum(r.fd) : NIL;
}

/* CCL's SOCKET-DEVICE: the descriptor the socket's I/O goes through (for setsockopt). */
static Value fn_socket_device(Thread *th, int nargs, Value *args) { return fn_socket_os_fd(th, nargs, args); }

static int check_fd(Thread *th, Value fd) {
  if (!is_fixnum(fd) || fixnum_val(fd) < 0 || fixnum_val(fd) > INT_MAX) type_error_c(th, fd, "(UNSIGNED-BYTE 31)");
  return (int)fixnum_val(fd);
}

static int check_int(Thread *th, Value v) {
  if (!is_fixnum(v) || fixnum_val(v) < INT_MIN || fixnum_val(v) > INT_MAX) type_error_c(th, v, "(SIGNED-BYTE 32)");
  return (int)fixnum_val(v);
}

static Value setsockopt_done(Thread *th, int r, const char *situation) {
  if (r < 0) socket_error(th, NIL, errno, situation);
  return make_fixnum(0);
}

/* (ccl::timeval-setsockopt fd level optname seconds): SO_RCVTIMEO and SO_SNDTIMEO as CCL
 * sets them. Clove's reads and writes wait in poll(2) first, as CCL's do, so the stream
 * timeouts (STREAM-INPUT-TIMEOUT ...) are what bounds a wait. */
static Value fn_timeval_setsockopt(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  int fd = check_fd(th, args[0]);
  int level = check_int(th, args[1]), name = check_int(th, args[2]);
  if (!is_real(args[3]) || number_to_double(th, args[3]) < 0) type_error_c(th, args[3], "(REAL 0)");
  double secs = number_to_double(th, args[3]);
  struct timeval tv = {(time_t)secs, (suseconds_t)((secs - (double)(time_t)secs) * 1e6)};
  return setsockopt_done(th, setsockopt(fd, level, name, &tv, sizeof tv), "setsockopt");
}

static Value fn_int_setsockopt(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  int fd = check_fd(th, args[0]);
  int level = check_int(th, args[1]), name = check_int(th, args[2]), value = check_int(th, args[3]);
  return setsockopt_done(th, setsockopt(fd, level, name, &value, sizeof value), "setsockopt");
}

static Value fn_socket_address_family(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  SockRef r;
  if (!sock_ref(args[0], &r)) return funcall1(th, ccl_sym(th, "%ADDRESS-FAMILY"), args[0]);
  return keyword_c(th, r.si->family == AF_INET6 ? "INTERNET6" : r.si->family == AF_UNIX ? "FILE" : "INTERNET");
}

static Value fn_socket_connect(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  SockRef r = check_socket(th, args[0]);
  switch (r.si->kind) {
  case SOCK_KIND_TCP_STREAM:
  case SOCK_KIND_FILE_STREAM: return keyword_c(th, "ACTIVE");
  case SOCK_KIND_LISTENER:
  case SOCK_KIND_FILE_LISTENER: return keyword_c(th, "PASSIVE");
  default: return BOOL(th, r.si->connected);
  }
}

static Value fn_socket_type(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  SockRef r = check_socket(th, args[0]);
  return keyword_c(th, r.si->kind == SOCK_KIND_UDP ? "DATAGRAM" : "STREAM");
}

static Value fn_socket_format(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  SockRef r = check_socket(th, args[0]);
  if (r.si->kind == SOCK_KIND_UDP) return keyword_c(th, "BINARY");
  if (r.stream) /* CCL answers from the element type: :text or :bivalent, never :binary */
    return keyword_c(th, stream_of(args[0])->flags & STRM_BINARY ? "BIVALENT" : "TEXT");
  static const char *const names[] = {"TEXT", "BINARY", "BIVALENT"};
  return keyword_c(th, r.si->format < 0 ? "TEXT" : names[r.si->format]);
}

/* ---- printing and describe ---- */

static Value fn_stream_input_timeout(Thread *th, int nargs, Value *args);
static Value fn_stream_output_timeout(Thread *th, int nargs, Value *args);

/* One endpoint as text: "127.0.0.1:80", "[::1]:80", "\"/tmp/s\"" (a Unix-domain path,
 * quoted as CCL's unix-socket-address prints it); false when there is none. */
static bool endpoint_text(SockInfo *si, int fd, bool remote, char *out, size_t cap) {
  if (fd < 0) return false;
  if (!remote && si->path) {
    snprintf(out, cap, "\"%s\"", si->path);
    return true;
  }
  struct sockaddr_storage ss;
  memset(&ss, 0, sizeof ss);
  socklen_t len = sizeof ss;
  if ((remote ? getpeername(fd, (struct sockaddr *)&ss, &len) : getsockname(fd, (struct sockaddr *)&ss, &len)) < 0)
    return false;
  if (ss.ss_family == AF_UNIX) {
    const char *p = ((struct sockaddr_un *)&ss)->sun_path;
    if (!p[0]) return false;
    snprintf(out, cap, "\"%s\"", p);
    return true;
  }
  sockaddr_text((struct sockaddr *)&ss, out, cap);
  return true;
}

static const char *kind_name(int kind) {
  switch (kind) {
  case SOCK_KIND_LISTENER: return "LISTENER-SOCKET";
  case SOCK_KIND_UDP: return "UDP-SOCKET";
  case SOCK_KIND_FILE_LISTENER: return "FILE-LISTENER-SOCKET";
  case SOCK_KIND_FILE_STREAM: return "FILE-SOCKET-STREAM";
  default: return "TCP-STREAM";
  }
}

/* #<LISTENER-SOCKET 127.0.0.1:5000 #x...>, #<UDP-SOCKET 127.0.0.1:5001 -> 127.0.0.1:9 #x...>
 * (a UDP socket with a default peer), #<... :CLOSED #x...>. */
static void print_socket(Thread *th, Value obj, Value stream) {
  SockInfo *si = ((Foreign *)obj)->payload;
  char local[PATH_MAX + 8], remote[PATH_MAX + 8], text[sizeof local + sizeof remote + 256];
  /* CHANGE-CLASS may have made it an instance of a subclass: print that class's name. */
  char *cname = string_to_cstr(symbol_name(th, ((Foreign *)obj)->tag));
  char name[128];
  snprintf(name, sizeof name, "%s", cname ? cname : kind_name(si->kind));
  free(cname);
  if (si->fd < 0) {
    snprintf(text, sizeof text, "#<%s :CLOSED #x%jX>", name, (uintmax_t)obj);
  } else {
    if (!endpoint_text(si, si->fd, false, local, sizeof local)) snprintf(local, sizeof local, "(SOCKET/%d)", si->fd);
    bool peer = si->kind == SOCK_KIND_UDP && si->connected && endpoint_text(si, si->fd, true, remote, sizeof remote);
    snprintf(text, sizeof text, "#<%s %s%s%s #x%jX>", name, local, peer ? " -> " : "",
             peer ? remote : "", (uintmax_t)obj);
  }
  stream_write_cstr(th, stream, text);
}

static void describe_text(Thread *th, Value out, const char *label, const char *text) {
  stream_write_cstr(th, out, label);
  stream_write_cstr(th, out, ": ");
  stream_write_cstr(th, out, text);
  stream_write_cstr(th, out, "\n");
}

static void describe_value(Thread *th, Value out, const char *label, Value v) {
  stream_write_cstr(th, out, label);
  stream_write_cstr(th, out, ": ");
  print_object(th, v, out, true);
  stream_write_cstr(th, out, "\n");
}

bool socket_describe(Thread *th, Value obj, Value out) {
  SockRef r;
  if (!sock_ref(obj, &r)) return false;
  char buf[PATH_MAX + 8];
  describe_value(th, out, "Address family",
                 keyword_c(th, r.si->family == AF_INET6 ? "INTERNET6" : r.si->family == AF_UNIX ? "FILE" : "INTERNET"));
  describe_value(th, out, "Socket type", keyword_c(th, r.si->kind == SOCK_KIND_UDP ? "DATAGRAM" : "STREAM"));
  Value args[1] = {obj};
  describe_value(th, out, "Connect", fn_socket_connect(th, 1, args));
  describe_value(th, out, "Format", fn_socket_format(th, 1, args));
  describe_text(th, out, "Local endpoint", endpoint_text(r.si, r.fd, false, buf, sizeof buf) ? buf : "none");
  describe_text(th, out, "Remote endpoint", endpoint_text(r.si, r.fd, true, buf, sizeof buf) ? buf : "none");
  if (!r.stream) { /* describe_stream shows these for a stream */
    describe_value(th, out, "File descriptor", r.fd >= 0 ? make_fixnum(r.fd) : NIL);
    describe_value(th, out, "Open", BOOL(th, r.fd >= 0));
  }
  Value timeouts[1] = {obj};
  Value in = fn_stream_input_timeout(th, 1, timeouts), outt = fn_stream_output_timeout(th, 1, timeouts);
  if (in != NIL) describe_value(th, out, "Input timeout", in);
  if (outt != NIL) describe_value(th, out, "Output timeout", outt);
  return true;
}

/* ---- stream-input-timeout, stream-output-timeout, stream-deadline ---- */

/* The timeout and deadline slots of any stream, or of a listener / UDP socket. */
typedef struct Limits {
  double *in, *out, *deadline;
  double *units; /* sockets only: the deadline as given; else NULL */
} Limits;

static Limits limits_of(Thread *th, Value v) {
  SockRef r;
  bool sock = sock_ref(v, &r);
  if (is_stream(v)) {
    Stream *s = stream_of(v);
    return (Limits){&s->input_timeout, &s->output_timeout, &s->deadline, sock ? &r.si->deadline_units : NULL};
  }
  if (sock) return (Limits){&r.si->input_timeout, &r.si->output_timeout, &r.si->deadline, &r.si->deadline_units};
  type_error(th, v, SYM(stream));
}

/* As CCL, which keeps milliseconds and answers (values (floor ms 1000.0)): whole seconds. */
static Value timeout_value(double t) {
  if (t < 0) return NIL;
  double ms = (double)(long long)(t * 1000 + 0.5);
  return make_fixnum((intptr_t)(ms / 1000.0));
}

static Value fn_stream_input_timeout(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return timeout_value(*limits_of(th, args[0]).in);
}

static Value fn_stream_output_timeout(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  return timeout_value(*limits_of(th, args[0]).out);
}

static Value fn_set_stream_input_timeout(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Limits l = limits_of(th, args[0]);
  *l.in = timeout_arg(th, args[1]);
  return args[1];
}

static Value fn_set_stream_output_timeout(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Limits l = limits_of(th, args[0]);
  *l.out = timeout_arg(th, args[1]);
  return args[1];
}

/* The deadline works as an io_now() time; a socket also keeps it as given, other
 * streams convert it back to internal time units. */
static Value fn_stream_deadline(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Limits l = limits_of(th, args[0]);
  double d = *l.deadline;
  if (d == 0) return NIL;
  if (l.units && *l.units) return make_fixnum((intptr_t)*l.units);
  Value now = funcall0(th, intern_c(th, "GET-INTERNAL-REAL-TIME", th->vm->pkg_cl));
  double units = number_to_double(th, now) + (d - io_now()) * 1e6;
  return make_fixnum((intptr_t)(units + 0.5));
}

static Value fn_set_stream_deadline(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Limits l = limits_of(th, args[0]);
  *l.deadline = deadline_arg(th, args[1]);
  if (l.units) *l.units = *l.deadline ? number_to_double(th, args[1]) : 0;
  return args[1];
}

/* ---- the class tree ---- */

static void define_socket_classes(Thread *th) {
  static const char *const tree[][2] = {
      {"CCL::SOCKET", ""},
      {"CCL::IP-SOCKET", "CCL::SOCKET"},
      {"CCL::TCP-SOCKET", "CCL::IP-SOCKET"},
      {"CCL::TCP-STREAM", "CCL::TCP-SOCKET CCL::BASIC-IO-STREAM"},
      {"CCL::LISTENER-SOCKET", "CCL::TCP-SOCKET"},
      {"CCL::UDP-SOCKET", "CCL::IP-SOCKET"},
      {"CCL::FILE-SOCKET", "CCL::SOCKET"},
      {"CCL::STREAM-FILE-SOCKET", "CCL::FILE-SOCKET"},
      {"CCL::FILE-SOCKET-STREAM", "CCL::STREAM-FILE-SOCKET CCL::BASIC-IO-STREAM"},
      {"CCL::FILE-LISTENER-SOCKET", "CCL::STREAM-FILE-SOCKET"},
  };
  for (size_t i = 0; i < sizeof tree / sizeof tree[0]; i++) {
    Value supers = NIL;
    char buf[128];
    snprintf(buf, sizeof buf, "%s", tree[i][1]);
    char *save = NULL;
    for (char *tok = strtok_r(buf, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) supers = cons(th, type_symbol(th, tok), supers);
    define_class(th, CK_STANDARD, type_symbol(th, tree[i][0]), nreverse_list(supers), NIL);
  }
}

static const NativeDesc socket_natives[] = {
    {"CCL:MAKE-SOCKET", fn_make_socket, 0, 0, 0, MAKE_SOCKET_KEYS,
     "(&key (address-family :internet) (type :stream) (connect :active) remote-host remote-port remote-address "
     "eol format keepalive reuse-address nodelay broadcast linger local-port local-host local-address backlog "
     "class out-of-band-inline local-filename remote-filename sharing basic external-format (auto-close t) "
     "connect-timeout input-timeout output-timeout deadline fd)",
     "Create and return a new socket."},
    {"CCL:ACCEPT-CONNECTION", fn_accept_connection, 1, 1, 0, "wait stream-args",
     "(socket &key (wait t) stream-args)",
     "Extract the first connection on the queue of pending connections, accept it and return a new tcp-stream. "
     "With :wait nil, return NIL at once when no connection is pending."},
    {"CCL:SEND-TO", fn_send_to, 3, 3, 0, "remote-host remote-port remote-address offset remote",
     "(socket buffer size &key remote-host remote-port remote-address offset remote)",
     "Send SIZE octets of BUFFER (from OFFSET) as one UDP datagram, to the given peer or the socket's default "
     "peer (REMOTE, as CCL's manual calls it, is REMOTE-ADDRESS). Return the number of octets sent."},
    {"CCL:RECEIVE-FROM", fn_receive_from, 2, 2, NAT_MV, "buffer extract offset want-socket-address-p",
     "(socket size &key buffer extract offset want-socket-address-p)",
     "Wait for one UDP datagram and read at most SIZE octets of it (the rest is discarded). Return the buffer, "
     "the number of octets read, the sender's host and port."},
    {"CLOSE", fn_close, 1, 1, 0, "abort", "(stream &key abort)",
     "Close the stream or socket, releasing its descriptor; with :abort t pending output is discarded."},
    {"CCL:SHUTDOWN", fn_shutdown, 1, 1, 0, "direction", "(socket &key direction)",
     "Shut down part of a bidirectional connection (:input, :output or :both)."},
    {"CCL:LOCAL-PORT", fn_local_port, 1, 1, 0, NULL, "(socket)", "Return the local port number."},
    {"CCL:LOCAL-HOST", fn_local_host, 1, 1, 0, NULL, "(socket)",
     "Return the local IP address of the socket: a 32-bit integer (IPv4) or a vector of 16 bytes (IPv6)."},
    {"CCL:REMOTE-PORT", fn_remote_port, 1, 1, 0, NULL, "(socket)",
     "Return the remote port number, or NIL if not connected."},
    {"CCL:REMOTE-HOST", fn_remote_host, 1, 1, 0, NULL, "(socket)",
     "Return the remote IP address of the socket, or NIL if not connected."},
    {"CCL:LOCAL-FILENAME", fn_local_filename, 1, 1, 0, NULL, "(socket)",
     "Return the path of the Unix-domain socket's own end, or NIL if it has none."},
    {"CCL:REMOTE-FILENAME", fn_remote_filename, 1, 1, 0, NULL, "(socket)",
     "Return the path of the Unix-domain socket's peer, or NIL if it has none."},
    {"CCL:STREAM-INPUT-TIMEOUT", fn_stream_input_timeout, 1, 1, 0, NULL, "(stream)",
     "Return the stream's input timeout in whole seconds (as CCL), or NIL."},
    {"CCL:STREAM-OUTPUT-TIMEOUT", fn_stream_output_timeout, 1, 1, 0, NULL, "(stream)",
     "Return the stream's output timeout in whole seconds (as CCL), or NIL."},
    {"CCL:STREAM-DEADLINE", fn_stream_deadline, 1, 1, 0, NULL, "(stream)",
     "Return the stream's deadline in internal time units, or NIL."},
    {"CCL::%SET-STREAM-INPUT-TIMEOUT", fn_set_stream_input_timeout, 2, 2, 0, NULL, "(stream new)",
     "Implements (setf stream-input-timeout)."},
    {"CCL::%SET-STREAM-OUTPUT-TIMEOUT", fn_set_stream_output_timeout, 2, 2, 0, NULL, "(stream new)",
     "Implements (setf stream-output-timeout)."},
    {"CCL::%SET-STREAM-DEADLINE", fn_set_stream_deadline, 2, 2, 0, NULL, "(stream new)",
     "Implements (setf stream-deadline)."},
    {"CCL::SOCKET-DEVICE", fn_socket_device, 1, 1, 0, NULL, "(socket)",
     "The file descriptor the socket's I/O goes through, or NIL once closed (CCL's internal name)."},
    {"CCL::TIMEVAL-SETSOCKOPT", fn_timeval_setsockopt, 4, 4, 0, NULL, "(fd level optname seconds)",
     "setsockopt(2) of a struct timeval option such as #$SO_RCVTIMEO, SECONDS a non-negative real."},
    {"CCL::INT-SETSOCKOPT", fn_int_setsockopt, 4, 4, 0, NULL, "(fd level optname value)",
     "setsockopt(2) of an int option, such as #$SO_KEEPALIVE."},
    {"CCL:SOCKET-OS-FD", fn_socket_os_fd, 1, 1, 0, NULL, "(socket)",
     "Return the socket's file descriptor, or NIL if the socket is closed."},
    {"CCL:SOCKET-ADDRESS-FAMILY", fn_socket_address_family, 1, 1, 0, NULL, "(socket)",
     "Return :internet, :internet6 or :file, as appropriate (of a socket or a socket-address)."},
    {"CCL:SOCKET-CONNECT", fn_socket_connect, 1, 1, 0, NULL, "(socket)",
     "Return :active for tcp-stream, :passive for listener-socket, and whether a udp-socket has a default peer."},
    {"CCL:SOCKET-TYPE", fn_socket_type, 1, 1, 0, NULL, "(socket)",
     "Return :stream for tcp-stream and listener-socket, and :datagram for udp-socket."},
    {"CCL:SOCKET-FORMAT", fn_socket_format, 1, 1, 0, NULL, "(socket)",
     "Return the socket format as specified by the :format argument to make-socket."},
    {0},
};

void builtins_sockets_init(Thread *th) {
  define_socket_classes(th);
  /* CLOSE also closes listeners and UDP sockets: the streams area's CLOSE is kept
   * under CCL::%CLOSE-STREAM and called for everything else. */
  Value close_sym = intern_c(th, "CLOSE", th->vm->pkg_cl);
  Value prev = symbol_of(th, close_sym)->function;
  Symbol *keep = symbol_of(th, ccl_sym(th, "%CLOSE-STREAM"));
  if (keep->function == UNBOUND && is_function(prev)) keep->function = prev;
  define_natives(th, socket_natives);
}
