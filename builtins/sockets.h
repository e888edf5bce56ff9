/* sockets.h — internal interface between the socket natives (sockets*.c) and the
 * name/address layer (netdb.c): socket records, CCL's error conditions, address forms. */
#ifndef CLOVE_SOCKETS_H
#define CLOVE_SOCKETS_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

#include "../interp/io.h"
#include "../interp/stream.h"

/* What a socket object is; the CCL class it reports. */
enum SockKind { SOCK_KIND_TCP_STREAM, SOCK_KIND_LISTENER, SOCK_KIND_UDP, SOCK_KIND_FILE_STREAM, SOCK_KIND_FILE_LISTENER };
enum SockFormat { SOCK_FMT_TEXT, SOCK_FMT_BINARY, SOCK_FMT_BIVALENT };

/* The C side of every socket: Stream.extra of a TCP-STREAM (hooks first, as stream.h
 * asks), the payload of a LISTENER-SOCKET / UDP-SOCKET foreign object. No Values. */
typedef struct SockInfo {
  const StreamHooks *hooks;
  int fd;          /* foreign sockets only (a stream's fd is Stream.fd); -1 once closed */
  int kind;        /* enum SockKind */
  int family;      /* AF_INET, AF_INET6, AF_UNIX */
  int format;      /* enum SockFormat, as given to make-socket */
  bool connected;  /* UDP: made with a default peer */
  bool auto_close;
  bool has_external_format;
  int encoding, eol;                      /* external format, inherited by accepted streams */
  double input_timeout, output_timeout;   /* < 0: none */
  double deadline;                        /* io_now() time, 0: none */
  double deadline_units;                  /* the deadline as given (internal time units) */
  char *path;      /* FILE-LISTENER-SOCKET: the socket file (malloc'd), deleted by close */
} SockInfo;

/* ---- netdb.c ---- */
/* CCL's errno -> identifier keyword name ("ADDRESS-IN-USE", ... "UNKNOWN"). */
const char *socket_errno_identifier(int err);
/* getaddrinfo error code -> identifier ("TRY-AGAIN", "NO-RECOVERY", "HOST-NOT-FOUND", "UNKNOWN"). */
const char *socket_gai_identifier(int gai_err);
/* inet_aton's dotted forms ("127.0.0.1", "127.1", "0x7f.1"): host-order address. */
bool parse_dotted(const char *s, uint32_t *out);
void format_dotted(uint32_t addr, char out[16]);

/* SOCKET-ERROR on stream (an existing socket): "<strerror> (error #N) during <situation>". */
NORETURN void socket_error(Thread *th, Value stream, int err, const char *situation);
/* SOCKET-CREATION-ERROR: "... during socket creation operation in <situation>", or with
 * connect_to (e.g. "127.0.0.1:4242") "... during attempt to connect to <connect_to>". */
NORETURN void socket_creation_error(Thread *th, int err, const char *situation, const char *connect_to);
/* SOCKET-CREATION-ERROR for a getaddrinfo/getnameinfo failure ("during nameserver operation in"). */
NORETURN void socket_gai_error(Thread *th, int gai_err, const char *situation);

/* A Lisp host designator (name or dotted string, 32-bit integer, 16-octet vector) as a
 * malloc'd C string for getaddrinfo; NULL for NIL/unsupplied. Signals type-error otherwise. */
char *host_to_cstr(Thread *th, Value host);
/* A Lisp port designator (integer, string, symbol: down-cased) into buf; false for NIL. */
bool port_to_cstr(Thread *th, Value port, char *buf, size_t cap);
/* getaddrinfo with CCL's conventions; signals socket-creation-error when errorp, else
 * returns NULL. family AF_UNSPEC sorts IPv4 results first. Free with freeaddrinfo. */
struct addrinfo *resolve(Thread *th, const char *host, const char *port, int family, int socktype,
                         bool passive, bool errorp);
/* A sockaddr's host as Lisp sees it: an integer (IPv4) or a 16-octet vector (IPv6). */
Value sockaddr_host(Thread *th, const struct sockaddr *sa);
int sockaddr_port(const struct sockaddr *sa);
/* "127.0.0.1:80" or "[::1]:80", for messages. */
void sockaddr_text(const struct sockaddr *sa, char *out, size_t cap);

void builtins_netdb_init(Thread *th);

/* ---- sockets.c ---- */
/* DESCRIBE's socket lines (family, endpoints, format, fd ...) for any socket, after the
 * object's basic lines; false, writing nothing, when obj is no socket. */
bool socket_describe(Thread *th, Value obj, Value out);

#endif
