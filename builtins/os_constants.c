/* os_constants.c — the C constants CCL's #$ reader macro reads from its interface
 * database (#$SOL_SOCKET, #$EINTR ...): the ones socket and system programs use. */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../interp/lisp.h"

#define C(name) {#name, name}

static const struct {
  const char *name;
  long value;
} os_constants[] = {
    /* sockets */
    C(AF_INET), C(AF_INET6), C(AF_UNIX), C(AF_LOCAL), C(AF_UNSPEC), C(PF_INET), C(PF_INET6), C(PF_UNIX),
    C(SOCK_STREAM), C(SOCK_DGRAM), C(SOCK_RAW), C(SOCK_SEQPACKET), C(SOCK_NONBLOCK), C(SOCK_CLOEXEC),
    C(SOL_SOCKET), C(SO_REUSEADDR), C(SO_REUSEPORT), C(SO_KEEPALIVE), C(SO_BROADCAST), C(SO_LINGER),
    C(SO_RCVBUF), C(SO_SNDBUF), C(SO_RCVTIMEO), C(SO_SNDTIMEO), C(SO_RCVLOWAT), C(SO_SNDLOWAT), C(SO_ERROR),
    C(SO_TYPE), C(SO_OOBINLINE), C(SO_DEBUG), C(SO_DONTROUTE), C(SO_ACCEPTCONN),
    C(IPPROTO_IP), C(IPPROTO_IPV6), C(IPPROTO_TCP), C(IPPROTO_UDP), C(IPPROTO_ICMP),
    C(TCP_NODELAY), C(TCP_MAXSEG), C(TCP_KEEPIDLE), C(TCP_KEEPINTVL), C(TCP_KEEPCNT),
    C(IP_TTL), C(IP_MULTICAST_TTL), C(IP_MULTICAST_LOOP), C(IP_ADD_MEMBERSHIP), C(IP_DROP_MEMBERSHIP),
    C(IPV6_V6ONLY), C(IPV6_UNICAST_HOPS), C(IPV6_MULTICAST_HOPS), C(IPV6_MULTICAST_LOOP),
    C(INADDR_ANY), C(INADDR_LOOPBACK), C(INADDR_BROADCAST), C(INADDR_NONE),
    C(MSG_OOB), C(MSG_PEEK), C(MSG_DONTROUTE), C(MSG_WAITALL), C(MSG_DONTWAIT), C(MSG_NOSIGNAL),
    C(SHUT_RD), C(SHUT_WR), C(SHUT_RDWR), C(SOMAXCONN),
    C(AI_PASSIVE), C(AI_CANONNAME), C(AI_NUMERICHOST), C(AI_NUMERICSERV), C(NI_NUMERICHOST),
    C(NI_NUMERICSERV), C(NI_NAMEREQD), C(EAI_AGAIN), C(EAI_FAIL), C(EAI_NONAME), C(EAI_SERVICE),
    /* errno */
    C(EPERM), C(ENOENT), C(EINTR), C(EIO), C(EBADF), C(EAGAIN), C(EWOULDBLOCK), C(ENOMEM), C(EACCES),
    C(EFAULT), C(EBUSY), C(EEXIST), C(EINVAL), C(EMFILE), C(ENFILE), C(ENOSPC), C(EPIPE), C(ERANGE),
    C(ENOTSOCK), C(EDESTADDRREQ), C(EMSGSIZE), C(EPROTOTYPE), C(ENOPROTOOPT), C(EPROTONOSUPPORT),
    C(EOPNOTSUPP), C(EAFNOSUPPORT), C(EADDRINUSE), C(EADDRNOTAVAIL), C(ENETDOWN), C(ENETUNREACH),
    C(ECONNABORTED), C(ECONNRESET), C(ENOBUFS), C(EISCONN), C(ENOTCONN), C(ETIMEDOUT), C(ECONNREFUSED),
    C(EHOSTDOWN), C(EHOSTUNREACH), C(EALREADY), C(EINPROGRESS), C(ENETRESET), C(ESHUTDOWN),
    /* files, polling, signals, processes */
    C(O_RDONLY), C(O_WRONLY), C(O_RDWR), C(O_CREAT), C(O_EXCL), C(O_TRUNC), C(O_APPEND), C(O_NONBLOCK),
    C(O_CLOEXEC), C(F_GETFL), C(F_SETFL), C(F_GETFD), C(F_SETFD), C(FD_CLOEXEC),
    C(POLLIN), C(POLLOUT), C(POLLPRI), C(POLLERR), C(POLLHUP), C(POLLNVAL),
    C(SIGHUP), C(SIGINT), C(SIGQUIT), C(SIGKILL), C(SIGPIPE), C(SIGALRM), C(SIGTERM), C(SIGCHLD),
    C(SIGUSR1), C(SIGUSR2), C(WNOHANG), C(STDIN_FILENO), C(STDOUT_FILENO), C(STDERR_FILENO),
};

bool os_constant(const char *name, intptr_t *value) {
  for (size_t i = 0; i < sizeof os_constants / sizeof os_constants[0]; i++)
    if (strcmp(os_constants[i].name, name) == 0) {
      *value = (intptr_t)os_constants[i].value;
      return true;
    }
  return false;
}
