/* io.c — the one blocking helper: waits with poll(2) in bounded slices so Ctrl-C is
 * noticed, retries EINTR, honours timeouts and deadlines, never raises SIGPIPE on sockets. */
#include "io.h"

#include <errno.h>
#include <fcntl.h>
#include <time.h>
#include <unistd.h>

double io_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* When an operation must end and why: computed once per call so that a timeout
 * counts from the start of the operation, not from each system call. */
typedef struct Limit {
  double end;
  int kind; /* 0: none, IO_TIMEOUT or IO_DEADLINE */
} Limit;

static Limit limit_of(double timeout, double deadline) {
  Limit l = {0, 0};
  if (timeout >= 0) {
    l.end = io_now() + timeout;
    l.kind = IO_TIMEOUT;
  }
  if (deadline > 0 && (l.kind == 0 || deadline <= l.end)) {
    l.end = deadline;
    l.kind = IO_DEADLINE;
  }
  return l;
}

static int wait_limit(Thread *th, int fd, short events, const Limit *l) {
  /* Ready already (the common case on a busy connection): no need to let the interpreter
   * lock go, which would hand it to another process and wait to get it back. */
  if (th)
    check_interrupt(th);
  struct pollfd now = {.fd = fd, .events = events, .revents = 0};
  if (poll(&now, 1, 0) > 0)
    return IO_READY;
  for (;;) {
    if (th)
      check_interrupt(th);
    int ms = IO_SLICE_MS;
    bool last = false;
    if (l->kind) {
      double left = l->end - io_now();
      if (left <= 0) {
        ms = 0;
        last = true;
      } else if (left * 1000.0 < (double)ms) {
        ms = (int)(left * 1000.0) + 1;
      }
    }
    struct pollfd p = {.fd = fd, .events = events, .revents = 0};
    const char *saved = NULL;
    if (th) {
      saved = th->whostate;
      th->whostate = (events & POLLIN) ? "Input" : "Output";
    }
    io_block_begin(th);
    int r = poll(&p, 1, ms);
    int e = errno;
    io_block_end(th);
    if (th)
      th->whostate = saved;
    if (r > 0)
      return IO_READY;
    if (r < 0 && e != EINTR && e != EAGAIN) {
      errno = e;
      return IO_ERROR;
    }
    if (last && r == 0)
      return l->kind;
  }
}

int io_wait(Thread *th, int fd, short events, double timeout, double deadline) {
  Limit l = limit_of(timeout, deadline);
  return wait_limit(th, fd, events, &l);
}

static bool retry_errno(int e) { return e == EINTR || e == EAGAIN || e == EWOULDBLOCK; }

/* Once poll says a socket is ready, MSG_DONTWAIT makes the transfer itself return at once
 * (EAGAIN if another process got there first: then wait again), so it runs with the lock
 * held; other descriptors (pipes, terminals, files) read and write with it released. */
ssize_t io_read(Thread *th, int fd, void *buf, size_t n, double timeout, double deadline) {
  Limit l = limit_of(timeout, deadline);
  bool socket_like = true; /* until recv(2) says ENOTSOCK */
  for (;;) {
    int w = wait_limit(th, fd, POLLIN, &l);
    if (w != IO_READY)
      return w;
    ssize_t r = -1;
    int e = ENOTSOCK;
    if (socket_like) {
      r = recv(fd, buf, n, MSG_DONTWAIT);
      e = errno;
      if (r < 0 && e == ENOTSOCK)
        socket_like = false;
    }
    if (!socket_like) {
      io_block_begin(th);
      r = read(fd, buf, n);
      e = errno;
      io_block_end(th);
    }
    if (r >= 0)
      return r;
    if (!retry_errno(e)) {
      errno = e;
      return IO_ERROR;
    }
  }
}

ssize_t io_write_partial(Thread *th, int fd, const void *buf, size_t n, double timeout, double deadline,
                         size_t *written) {
  const char *p = buf;
  size_t done = 0;
  bool socket_like = true; /* until send(2) says ENOTSOCK */
  Limit l = limit_of(timeout, deadline);
  ssize_t result = (ssize_t)n;
  while (done < n) {
    int w = wait_limit(th, fd, POLLOUT, &l);
    if (w != IO_READY) {
      result = w;
      break;
    }
    ssize_t r = -1;
    int e = ENOTSOCK;
    if (socket_like) {
      r = send(fd, p + done, n - done, MSG_NOSIGNAL | MSG_DONTWAIT);
      e = errno;
      if (r < 0 && e == ENOTSOCK)
        socket_like = false;
    }
    if (!socket_like) {
      io_block_begin(th);
      r = write(fd, p + done, n - done);
      e = errno;
      io_block_end(th);
    }
    if (r > 0) {
      done += (size_t)r;
    } else if (r < 0 && retry_errno(e)) {
      continue;
    } else {
      errno = r == 0 ? EIO : e;
      result = IO_ERROR;
      break;
    }
  }
  if (written)
    *written = done;
  return result;
}

ssize_t io_write(Thread *th, int fd, const void *buf, size_t n, double timeout, double deadline) {
  return io_write_partial(th, fd, buf, n, timeout, deadline, NULL);
}

int io_accept(Thread *th, int fd, struct sockaddr *addr, socklen_t *len, int flags, double timeout,
              double deadline) {
  Limit l = limit_of(timeout, deadline);
  socklen_t len0 = len ? *len : 0;
  for (;;) {
    int w = wait_limit(th, fd, POLLIN, &l);
    if (w != IO_READY)
      return w;
    if (len)
      *len = len0;
    io_block_begin(th);
    int r = accept4(fd, addr, len, flags);
    int e = errno;
    io_block_end(th);
    if (r >= 0)
      return r;
    /* The peer may reset a queued connection between poll and accept. */
    if (!retry_errno(e) && e != ECONNABORTED) {
      errno = e;
      return IO_ERROR;
    }
  }
}

int io_connect(Thread *th, int fd, const struct sockaddr *addr, socklen_t len, double timeout,
               double deadline) {
  Limit l = limit_of(timeout, deadline);
  int fl = fcntl(fd, F_GETFL);
  bool made_nonblocking = fl >= 0 && !(fl & O_NONBLOCK);
  if (made_nonblocking)
    fcntl(fd, F_SETFL, fl | O_NONBLOCK);
  int r = connect(fd, addr, len); /* non-blocking: the wait is wait_limit's */
  int e = errno;
  int result = 0;
  if (r < 0) {
    if (e != EINPROGRESS && e != EINTR && e != EAGAIN) {
      result = IO_ERROR;
    } else {
      /* An interrupt that unwinds from here leaves the socket non-blocking; it is
       * being abandoned half-connected anyway. */
      int w = wait_limit(th, fd, POLLOUT, &l);
      if (w != IO_READY) {
        result = w;
        e = errno;
      } else {
        int err = 0;
        socklen_t sl = sizeof err;
        if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &sl) < 0)
          err = errno;
        if (err) {
          result = IO_ERROR;
          e = err;
        }
      }
    }
  }
  if (made_nonblocking)
    fcntl(fd, F_SETFL, fl);
  errno = e;
  return result;
}

ssize_t io_recvfrom(Thread *th, int fd, void *buf, size_t n, int flags, struct sockaddr *addr, socklen_t *len,
                    double timeout, double deadline) {
  Limit l = limit_of(timeout, deadline);
  socklen_t len0 = len ? *len : 0;
  for (;;) {
    int w = wait_limit(th, fd, POLLIN, &l);
    if (w != IO_READY)
      return w;
    if (len)
      *len = len0;
    ssize_t r = recvfrom(fd, buf, n, flags | MSG_DONTWAIT, addr, len);
    int e = errno;
    if (r >= 0)
      return r;
    if (!retry_errno(e)) {
      errno = e;
      return IO_ERROR;
    }
  }
}

ssize_t io_sendto(Thread *th, int fd, const void *buf, size_t n, int flags, const struct sockaddr *addr,
                  socklen_t len, double timeout, double deadline) {
  Limit l = limit_of(timeout, deadline);
  for (;;) {
    int w = wait_limit(th, fd, POLLOUT, &l);
    if (w != IO_READY)
      return w;
    ssize_t r = sendto(fd, buf, n, flags | MSG_NOSIGNAL | MSG_DONTWAIT, addr, len);
    int e = errno;
    if (r >= 0)
      return r;
    if (!retry_errno(e)) {
      errno = e;
      return IO_ERROR;
    }
  }
}
