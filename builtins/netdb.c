/* netdb.c — names and addresses for the socket API: getaddrinfo/getnameinfo, dotted
 * forms, ports, and CCL's socket conditions with their errno -> identifier table. */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sockets.h"

/* ---- CCL's identifier tables (library/sockets.lisp) ---- */

const char *socket_errno_identifier(int err) {
  switch (err) {
  case EADDRINUSE: return "ADDRESS-IN-USE";
  case ECONNABORTED: return "CONNECTION-ABORTED";
  case ENOBUFS:
  case ENOMEM:
  case ENFILE: return "NO-BUFFER-SPACE";
  case ETIMEDOUT: return "CONNECTION-TIMED-OUT";
  case ECONNREFUSED: return "CONNECTION-REFUSED";
  case ENETUNREACH:
  case EHOSTUNREACH: return "HOST-UNREACHABLE";
  case EHOSTDOWN: return "HOST-DOWN";
  case ENETDOWN: return "NETWORK-DOWN";
  case EADDRNOTAVAIL: return "ADDRESS-NOT-AVAILABLE";
  case ENETRESET: return "NETWORK-RESET";
  case ECONNRESET: return "CONNECTION-RESET";
  case ESHUTDOWN: return "SHUTDOWN";
  case EACCES:
  case EPERM: return "ACCESS-DENIED";
  default: return "UNKNOWN";
  }
}

const char *socket_gai_identifier(int gai_err) {
  switch (gai_err) {
  case EAI_AGAIN: return "TRY-AGAIN";
  case EAI_FAIL: return "NO-RECOVERY";
  case EAI_NONAME: return "HOST-NOT-FOUND";
  default: return "UNKNOWN";
  }
}

/* ---- conditions ---- */

static NORETURN void signal_socket_condition(Thread *th, const char *class_name, Value stream, int code,
                                             const char *identifier, const char *situation, const char *control,
                                             Value fmt_args, const char *remote) {
  Value initargs[14];
  int n = 0;
  if (stream != UNBOUND) {
    initargs[n++] = SYM(k_stream);
    initargs[n++] = stream;
  }
  initargs[n++] = keyword_c(th, "CODE");
  initargs[n++] = make_fixnum(code);
  initargs[n++] = keyword_c(th, "IDENTIFIER");
  initargs[n++] = keyword_c(th, identifier);
  initargs[n++] = keyword_c(th, "SITUATION");
  initargs[n++] = make_string_c(th, situation);
  initargs[n++] = SYM(k_format_control);
  initargs[n++] = make_string_c(th, control);
  initargs[n++] = SYM(k_format_arguments);
  initargs[n++] = fmt_args;
  if (remote) {
    initargs[n++] = keyword_c(th, "REMOTE-ADDRESS");
    initargs[n++] = make_string_c(th, remote);
  }
  error_condition(th, make_condition(th, ccl_sym(th, class_name), n, initargs));
}

NORETURN void socket_error(Thread *th, Value stream, int err, const char *situation) {
  Value args = list3(th, make_string_c(th, strerror(err)), make_fixnum(err), make_string_c(th, situation));
  signal_socket_condition(th, "SOCKET-ERROR", stream, err, socket_errno_identifier(err), situation,
                          "~a (error #~d) during ~a", args, NULL);
}

NORETURN void socket_creation_error(Thread *th, int err, const char *situation, const char *connect_to) {
  Value args = list3(th, make_string_c(th, strerror(err)), make_fixnum(err),
                     make_string_c(th, connect_to ? connect_to : situation));
  signal_socket_condition(th, "SOCKET-CREATION-ERROR", UNBOUND, err, socket_errno_identifier(err), situation,
                          connect_to ? "~A (error #~D) during attempt to connect to ~A"
                                     : "~A (error #~D) during socket creation operation in ~A",
                          args, connect_to);
}

NORETURN void socket_gai_error(Thread *th, int gai_err, const char *situation) {
  /* EAI_SYSTEM's real cause is in errno. */
  const char *text = gai_err == EAI_SYSTEM ? strerror(errno) : gai_strerror(gai_err);
  Value args = list3(th, make_string_c(th, text), make_fixnum(gai_err), make_string_c(th, situation));
  signal_socket_condition(th, "SOCKET-CREATION-ERROR", UNBOUND, gai_err, socket_gai_identifier(gai_err), situation,
                          "~A (error #~D) during nameserver operation in ~A", args, NULL);
}

/* ---- address forms ---- */

bool parse_dotted(const char *s, uint32_t *out) {
  struct in_addr a;
  if (!s || inet_aton(s, &a) == 0) return false;
  *out = ntohl(a.s_addr);
  return true;
}

void format_dotted(uint32_t addr, char out[16]) {
  snprintf(out, 16, "%u.%u.%u.%u", (addr >> 24) & 255, (addr >> 16) & 255, (addr >> 8) & 255, addr & 255);
}

/* The low 32 bits of any integer, as LDB sees them (two's complement). */
static uint32_t low32(Thread *th, Value v) {
  if (is_fixnum(v)) return (uint32_t)(uintptr_t)fixnum_val(v);
  if (is_bignum(v)) {
    Bignum *b = (Bignum *)v;
    uint64_t limb = b->size ? b->limbs[0] : 0;
    return (uint32_t)(b->size < 0 ? ~limb + 1 : limb);
  }
  type_error(th, v, SYM(integer));
}

static bool is_octets16(Value v) { return is_type(v, T_OCTETS) && octets_of(v)->len == 16; }

char *host_to_cstr(Thread *th, Value host) {
  if (host == NIL || host == UNSUPPLIED) return NULL;
  char buf[INET6_ADDRSTRLEN];
  if (is_integer(host)) {
    if (is_fixnum(host) && fixnum_val(host) >= 0 && fixnum_val(host) <= 0xffffffffL) {
      format_dotted((uint32_t)fixnum_val(host), buf);
      return strdup(buf);
    }
    type_error_c(th, host, "(UNSIGNED-BYTE 32)");
  }
  if (is_octets16(host)) {
    inet_ntop(AF_INET6, octets_of(host)->data, buf, sizeof buf);
    return strdup(buf);
  }
  if (is_any_string(host)) return string_to_cstr(host);
  type_error_c(th, host, "(OR STRING (UNSIGNED-BYTE 32))");
}

bool port_to_cstr(Thread *th, Value port, char *buf, size_t cap) {
  if (port == NIL || port == UNSUPPLIED) return false;
  if (is_fixnum(port)) {
    if (fixnum_val(port) < 0 || fixnum_val(port) > 65535) type_error_c(th, port, "(UNSIGNED-BYTE 16)");
    snprintf(buf, cap, "%ld", (long)fixnum_val(port));
    return true;
  }
  Value name = is_symbol(port) ? symbol_name(th, port) : port;
  if (!is_any_string(name)) type_error_c(th, port, "(OR FIXNUM STRING SYMBOL)");
  char *s = string_to_cstr(name);
  size_t i = 0;
  for (; s[i] && i + 1 < cap; i++) buf[i] = (s[i] >= 'A' && s[i] <= 'Z') ? (char)(s[i] + 32) : s[i];
  buf[i] = 0;
  free(s);
  return true;
}

/* IPv4 results first, keeping getaddrinfo's order within each family. */
static struct addrinfo *ipv4_first(struct addrinfo *list) {
  struct addrinfo *v4 = NULL, **t4 = &v4, *other = NULL, **to = &other;
  for (struct addrinfo *a = list, *next; a; a = next) {
    next = a->ai_next;
    a->ai_next = NULL;
    if (a->ai_family == AF_INET) {
      *t4 = a;
      t4 = &a->ai_next;
    } else {
      *to = a;
      to = &a->ai_next;
    }
  }
  *t4 = other;
  return v4;
}

struct addrinfo *resolve(Thread *th, const char *host, const char *port, int family, int socktype,
                         bool passive, bool errorp) {
  struct addrinfo hints, *res = NULL;
  memset(&hints, 0, sizeof hints);
  hints.ai_family = family;
  hints.ai_socktype = socktype;
  hints.ai_flags = passive ? AI_PASSIVE : 0;
  io_block_begin(th);
  int r = getaddrinfo(host && *host ? host : NULL, port ? port : (host && *host ? NULL : "0"), &hints, &res);
  io_block_end(th);
  if (r != 0) {
    if (errorp) socket_gai_error(th, r, "getaddrinfo");
    return NULL;
  }
  return family == AF_UNSPEC ? ipv4_first(res) : res;
}

Value sockaddr_host(Thread *th, const struct sockaddr *sa) {
  if (sa->sa_family == AF_INET)
    return make_integer_u64(th, ntohl(((const struct sockaddr_in *)sa)->sin_addr.s_addr));
  if (sa->sa_family == AF_INET6) {
    Value v = make_octets(th, 16);
    memcpy(octets_of(v)->data, &((const struct sockaddr_in6 *)sa)->sin6_addr, 16);
    return v;
  }
  return NIL;
}

int sockaddr_port(const struct sockaddr *sa) {
  if (sa->sa_family == AF_INET) return ntohs(((const struct sockaddr_in *)sa)->sin_port);
  if (sa->sa_family == AF_INET6) return ntohs(((const struct sockaddr_in6 *)sa)->sin6_port);
  return 0;
}

void sockaddr_text(const struct sockaddr *sa, char *out, size_t cap) {
  char buf[INET6_ADDRSTRLEN] = "?";
  if (sa->sa_family == AF_INET) {
    inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, buf, sizeof buf);
    snprintf(out, cap, "%s:%d", buf, sockaddr_port(sa));
  } else if (sa->sa_family == AF_INET6) {
    inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, buf, sizeof buf);
    snprintf(out, cap, "[%s]:%d", buf, sockaddr_port(sa));
  } else {
    snprintf(out, cap, "?");
  }
}

/* ---- natives ---- */

static Value fn_dotted_to_ipaddr(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value name = args[0];
  if (!is_any_string(name)) type_error(th, name, SYM(string));
  char *s = string_to_cstr(name);
  uint32_t a;
  bool ok = parse_dotted(s, &a);
  free(s);
  if (ok) return make_integer_u64(th, a);
  if (arg_or(args[1], SYM(t)) == NIL) return NIL;
  simple_error(th, "Invalid dotted address ~s", name);
}

static Value fn_ipaddr_to_dotted(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  uint32_t a = low32(th, args[0]);
  if (arg_or(args[1], NIL) != NIL) {
    Value v[4] = {make_fixnum(a >> 24), make_fixnum((a >> 16) & 255), make_fixnum((a >> 8) & 255),
                  make_fixnum(a & 255)};
    return values_n(th, 4, v);
  }
  char buf[16];
  format_dotted(a, buf);
  return values1(th, make_string_c(th, buf));
}

static Value fn_ipaddr_to_hostname(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  struct sockaddr_in sin;
  memset(&sin, 0, sizeof sin);
  sin.sin_family = AF_INET;
  sin.sin_addr.s_addr = htonl(low32(th, args[0]));
  char host[NI_MAXHOST];
  io_block_begin(th);
  int r = getnameinfo((struct sockaddr *)&sin, sizeof sin, host, sizeof host, NULL, 0, NI_NAMEREQD);
  io_block_end(th);
  if (r != 0) socket_gai_error(th, r, "getnameinfo");
  return make_string_c(th, host);
}

static Value fn_lookup_hostname(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value host = args[0];
  if (is_integer(host)) return host;
  char *h = host_to_cstr(th, host);
  if (!h) return NIL;
  uint32_t a;
  if (parse_dotted(h, &a)) {
    free(h);
    return make_integer_u64(th, a);
  }
  struct addrinfo *res = resolve(th, h, NULL, AF_INET, SOCK_STREAM, false, false);
  free(h);
  if (!res) return NIL;
  Value v = sockaddr_host(th, res->ai_addr);
  freeaddrinfo(res);
  return v;
}

static Value fn_lookup_port(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  Value port = args[0], proto = args[1];
  if (is_fixnum(port)) return port;
  int socktype = 0;
  if (is_any_string(proto)) {
    char *p = string_to_cstr(proto);
    if (strcasecmp(p, "udp") == 0) socktype = SOCK_DGRAM;
    else if (strcasecmp(p, "tcp") == 0) socktype = SOCK_STREAM;
    free(p);
  } else if (proto == keyword_c(th, "DATAGRAM") || proto == keyword_c(th, "UDP")) {
    socktype = SOCK_DGRAM;
  } else if (proto == NIL || proto == keyword_c(th, "STREAM") || proto == keyword_c(th, "TCP")) {
    socktype = SOCK_STREAM;
  } else {
    type_error_c(th, proto, "(MEMBER :STREAM :DATAGRAM)");
  }
  char buf[256];
  if (!port_to_cstr(th, port, buf, sizeof buf)) return NIL;
  struct addrinfo *res = resolve(th, NULL, buf, AF_INET, socktype, false, false);
  if (!res) return NIL;
  int p = sockaddr_port(res->ai_addr);
  freeaddrinfo(res);
  return make_fixnum(p);
}

/* CCL's resolve-address minus the objects (stdlib/sockets.lisp makes those): every
 * getaddrinfo result in its order as (host . port), or the error code when errorp is nil.
 * Args: host port socket-type connect address-family numeric-host-p numeric-service-p errorp. */
static Value fn_resolve_address(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  struct addrinfo hints, *res = NULL;
  memset(&hints, 0, sizeof hints);
  Value type = args[2], fam = args[4];
  if (type == NIL || type == keyword_c(th, "STREAM")) hints.ai_socktype = SOCK_STREAM;
  else if (type == keyword_c(th, "DATAGRAM")) hints.ai_socktype = SOCK_DGRAM;
  else type_error_c(th, type, "(MEMBER NIL :STREAM :DATAGRAM)");
  if (fam == NIL) hints.ai_family = AF_UNSPEC;
  else if (fam == keyword_c(th, "INTERNET")) hints.ai_family = AF_INET;
  else if (fam == keyword_c(th, "INTERNET6")) hints.ai_family = AF_INET6;
  else type_error_c(th, fam, "(MEMBER NIL :INTERNET :INTERNET6)");
  if (args[3] == keyword_c(th, "PASSIVE")) hints.ai_flags |= AI_PASSIVE;
  if (args[5] != NIL) hints.ai_flags |= AI_NUMERICHOST;
  if (args[6] != NIL) hints.ai_flags |= AI_NUMERICSERV;
  char pbuf[256], hbuf[NI_MAXHOST];
  char *h = host_to_cstr(th, args[0]);
  if (h) {
    snprintf(hbuf, sizeof hbuf, "%s", h);
    free(h);
  }
  bool have_port = port_to_cstr(th, args[1], pbuf, sizeof pbuf);
  io_block_begin(th);
  int r = getaddrinfo(h ? hbuf : NULL, have_port ? pbuf : NULL, &hints, &res);
  io_block_end(th);
  if (r != 0) {
    if (args[7] != NIL) socket_gai_error(th, r, "getaddrinfo");
    return make_fixnum(r);
  }
  /* Copied out first: nothing malloc'd may be held while the heap allocates. */
  struct sockaddr_storage found[32];
  int n = 0;
  for (struct addrinfo *a = res; a && n < 32; a = a->ai_next)
    if (a->ai_family == AF_INET || a->ai_family == AF_INET6) memcpy(&found[n++], a->ai_addr, a->ai_addrlen);
  freeaddrinfo(res);
  Value list = NIL;
  for (int i = n - 1; i >= 0; i--) {
    const struct sockaddr *sa = (const struct sockaddr *)&found[i];
    list = cons(th, cons(th, sockaddr_host(th, sa), make_fixnum(sockaddr_port(sa))), list);
  }
  return list;
}

/* An address as CCL's host-address-as-string writes it: dotted IPv4, inet_ntop IPv6. */
static Value fn_host_text(Thread *th, int nargs, Value *args) {
  UNUSED(nargs);
  char *h = host_to_cstr(th, args[0]);
  if (!h) type_error_c(th, args[0], "(OR (UNSIGNED-BYTE 32) (VECTOR (UNSIGNED-BYTE 8) 16))");
  Value v = make_string_c(th, h);
  free(h);
  return v;
}

static const NativeDesc netdb_natives[] = {
    {"CCL::%RESOLVE-ADDRESS", fn_resolve_address, 8, 8, 0, NULL,
     "(host port socket-type connect address-family numeric-host-p numeric-service-p errorp)",
     "getaddrinfo for RESOLVE-ADDRESS: a list of (host . port), or the error code."},
    {"CCL::%HOST-TEXT", fn_host_text, 1, 1, 0, NULL, "(host)",
     "The text of an IPv4 (integer) or IPv6 (16 octets) address."},
    {"CCL:DOTTED-TO-IPADDR", fn_dotted_to_ipaddr, 1, 1, 0, "errorp", "(name &key (errorp t))",
     "Convert a dotted-string representation of a host address to a 32-bit unsigned IP address."},
    {"CCL:IPADDR-TO-DOTTED", fn_ipaddr_to_dotted, 1, 1, NAT_MV, "values", "(addr &key values)",
     "Convert a 32-bit unsigned IP address into octets."},
    {"CCL:IPADDR-TO-HOSTNAME", fn_ipaddr_to_hostname, 1, 1, 0, "ignore-cache", "(ipaddr &key ignore-cache)",
     "Convert a 32-bit unsigned IP address into a host name string."},
    {"CCL:LOOKUP-HOSTNAME", fn_lookup_hostname, 1, 1, 0, NULL, "(host)",
     "Convert a host spec in any of the acceptable formats into a 32-bit unsigned IP address."},
    {"CCL:LOOKUP-PORT", fn_lookup_port, 2, 2, 0, NULL, "(port proto)",
     "Find the port number for the specified port and protocol."},
    {0},
};

void builtins_netdb_init(Thread *th) { define_natives(th, netdb_natives); }
