/* io.h — the one blocking helper: every system call that may wait (read, write,
 * accept, connect, recvfrom, sendto, poll) goes through these functions. */
#ifndef CLOVE_IO_H
#define CLOVE_IO_H

#include <poll.h>
#include <sys/socket.h>
#include <sys/types.h>

#include "lisp.h"

/* Results: IO_READY from io_wait; the others are the negative results of every
 * function below (IO_ERROR leaves errno set). */
#define IO_READY 1
#define IO_ERROR (-1)
#define IO_TIMEOUT (-2)  /* the operation's timeout expired */
#define IO_DEADLINE (-3) /* the absolute deadline passed */

/* Timeouts are seconds (< 0: none), measured from the start of the call; deadline is
 * an absolute io_now() time (0: none) and wins when it comes first. EINTR is retried,
 * the thread's interrupt flag is checked at least every IO_SLICE_MS (check_interrupt
 * may unwind), and io_block_begin/end bracket every wait. th may be NULL (no interrupt
 * checks: finalizers, exit paths). */
#define IO_SLICE_MS 100

double io_now(void); /* CLOCK_MONOTONIC, in seconds */

/* The hooks around every wait: a global interpreter lock is released in begin and
 * re-acquired in end. No-ops while Clove runs one thread. */
void io_block_begin(Thread *th);
void io_block_end(Thread *th);

/* Waits until fd is ready for events (POLLIN, POLLOUT); POLLERR/POLLHUP count as
 * ready (the next system call reports them). */
int io_wait(Thread *th, int fd, short events, double timeout, double deadline);

/* One read(2) of at most n bytes once fd is readable: the count (0 at end of file)
 * or a negative result. */
ssize_t io_read(Thread *th, int fd, void *buf, size_t n, double timeout, double deadline);
/* Writes all n bytes (send with MSG_NOSIGNAL on sockets, write otherwise): returns n
 * or a negative result; *written (may be NULL) counts the bytes written before it. */
ssize_t io_write_partial(Thread *th, int fd, const void *buf, size_t n, double timeout, double deadline,
                         size_t *written);
ssize_t io_write(Thread *th, int fd, const void *buf, size_t n, double timeout, double deadline);

/* accept4(2) once the listener is readable: the new fd or a negative result. */
int io_accept(Thread *th, int fd, struct sockaddr *addr, socklen_t *len, int flags, double timeout,
              double deadline);
/* connect(2) that can be interrupted and timed out: the socket is made non-blocking
 * for the duration, then restored. 0 or a negative result (errno: the connect error). */
int io_connect(Thread *th, int fd, const struct sockaddr *addr, socklen_t len, double timeout,
               double deadline);
ssize_t io_recvfrom(Thread *th, int fd, void *buf, size_t n, int flags, struct sockaddr *addr, socklen_t *len,
                    double timeout, double deadline);
ssize_t io_sendto(Thread *th, int fd, const void *buf, size_t n, int flags, const struct sockaddr *addr,
                  socklen_t len, double timeout, double deadline);

/* ---- io_sleep.c (the System area's): SLEEP and every other timed pause ----
 * Sleeps for seconds (<= 0: no wait) in IO_SLICE_MS slices, checking the thread's
 * interrupt flag between them (check_interrupt may unwind); th may be NULL. */
void io_sleep(Thread *th, double seconds);

#endif
