/* peer.c — the plain C baseline of bench/sockets: the same three loopback measurements as
 * clove.lisp and sbcl.lisp, with blocking read/write on raw descriptors. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void die(const char *what) {
  perror(what);
  exit(1);
}

static int listener(int *port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  socklen_t len = sizeof a;
  if (bind(fd, (struct sockaddr *)&a, sizeof a) < 0 || listen(fd, 128) < 0) die("listen");
  getsockname(fd, (struct sockaddr *)&a, &len);
  *port = ntohs(a.sin_port);
  return fd;
}

static int connect_to(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port), .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  if (connect(fd, (struct sockaddr *)&a, sizeof a) < 0) die("connect");
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return fd;
}

static void full_write(int fd, const char *p, size_t n) {
  while (n) {
    ssize_t w = write(fd, p, n);
    if (w <= 0) die("write");
    p += w;
    n -= (size_t)w;
  }
}

/* Usage: peer server MODE PORTFILE | peer client MODE PORT N | peer conns N
 * MODE is pingpong or bulk; the client prints the elapsed seconds. */
int main(int argc, char **argv) {
  if (argc >= 3 && !strcmp(argv[1], "conns")) {
    int n = atoi(argv[2]), port;
    int l = listener(&port);
    double t0 = now();
    for (int i = 0; i < n; i++) {
      int c = connect_to(port), s = accept(l, NULL, NULL);
      if (s < 0) die("accept");
      close(c);
      close(s);
    }
    printf("%.6f\n", now() - t0);
    return 0;
  }
  if (argc >= 4 && !strcmp(argv[1], "server")) {
    int port, one = 1;
    int l = listener(&port);
    FILE *f = fopen(argv[3], "w");
    fprintf(f, "%d\n", port);
    fclose(f);
    int s = accept(l, NULL, NULL);
    setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    static char buf[65536];
    ssize_t r;
    if (!strcmp(argv[2], "pingpong")) {
      while ((r = read(s, buf, 1)) == 1) full_write(s, buf, 1);
    } else {
      while ((r = read(s, buf, sizeof buf)) > 0) {}
      full_write(s, "k", 1);
    }
    close(s);
    return 0;
  }
  if (argc >= 5 && !strcmp(argv[1], "client")) {
    int c = connect_to(atoi(argv[3]));
    long n = atol(argv[4]);
    static char buf[65536];
    double t0 = now();
    if (!strcmp(argv[2], "pingpong")) {
      for (long i = 0; i < n; i++) {
        full_write(c, "x", 1);
        if (read(c, buf, 1) != 1) die("read");
      }
    } else {
      memset(buf, 7, sizeof buf);
      for (long i = 0; i < n; i++) full_write(c, buf, sizeof buf);
      shutdown(c, SHUT_WR);
      if (read(c, buf, 1) != 1) die("read ack");
    }
    printf("%.6f\n", now() - t0);
    close(c);
    return 0;
  }
  fprintf(stderr, "usage: peer server MODE PORTFILE | peer client MODE PORT N | peer conns N\n");
  return 2;
}
