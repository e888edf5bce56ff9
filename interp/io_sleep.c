/* io_sleep.c — the blocking helper's sleep: waits a number of seconds in bounded
 * slices so that Ctrl-C (the thread's interrupt flag) ends it like any other wait. */
#include "io.h"

#include <time.h>

void io_sleep(Thread *th, double seconds) {
  if (th) check_interrupt(th);
  if (!(seconds > 0)) return;
  /* An absolute end, so that slices cut short by signals do not add up to more. */
  double end = io_now() + seconds;
  const char *saved = th ? th->whostate : NULL;
  for (;;) {
    double left = end - io_now();
    if (!(left > 0)) break;
    double slice = (double)IO_SLICE_MS / 1000.0;
    if (left < slice) slice = left;
    struct timespec ts;
    ts.tv_sec = (time_t)slice;
    ts.tv_nsec = (long)((slice - (double)ts.tv_sec) * 1e9);
    if (ts.tv_nsec > 999999999L) ts.tv_nsec = 999999999L;
    if (th) th->whostate = "Sleep";
    io_block_begin(th);
    int r = nanosleep(&ts, NULL);
    io_block_end(th);
    UNUSED(r); /* EINTR: the loop recomputes what is left */
    if (th) {
      th->whostate = saved;
      check_interrupt(th);
    }
  }
}
