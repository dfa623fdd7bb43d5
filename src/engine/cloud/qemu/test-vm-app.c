/* The test VM image's app: answers every path 200 with X-App-Version, /slow?ms=N after N ms; with
 * KILN_HEALTH_PATH set (the `ready-path` image) it 404s /health, as an app whose health is elsewhere. A static binary
 * that keeps connections open (the balancers reuse theirs) with one process per connection, not per request:
 * each fork, exec or TCP handshake costs milliseconds in a guest emulated by TCG. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

static const char *version = "unknown";
static int no_health = 0;
static char hello[160];

static int answer_status(int c, const char *status, const char *body, int keep) {
  char out[512];
  int n = snprintf(out, sizeof out, "HTTP/1.1 %s\r\nContent-Type: text/plain\r\nX-App-Version: %s\r\nContent-Length: %zu\r\nConnection: %s\r\n\r\n%s", status, version,
                   strlen(body), keep ? "keep-alive" : "close", body);
  return write(c, out, n) == n;
}

static int answer(int c, const char *body, int keep) { return answer_status(c, "200 OK", body, keep); }

/* One connection: request after request until the client closes, asks to close, or idles 30 s. */
static void serve(int c) {
  struct timeval idle = {.tv_sec = 30};
  setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &idle, sizeof idle);
  char buf[8192];
  int n = 0;
  buf[0] = 0;
  for (;;) {
    char *end;
    while (!(end = strstr(buf, "\r\n\r\n"))) {
      if (n >= (int)sizeof buf - 1) return;
      int r = read(c, buf + n, sizeof buf - 1 - n);
      if (r <= 0) return;
      n += r;
      buf[n] = 0;
    }
    *end = 0;
    int keep = strcasestr(buf, "connection: close") == NULL;
    char *path = strchr(buf, ' ');
    if (path && no_health && strncmp(path + 1, "/health", 7) == 0 && (path[8] == ' ' || path[8] == '?')) {
      if (!answer_status(c, "404 Not Found", "not found", keep)) return;
    } else if (path && strncmp(path + 1, "/slow", 5) == 0) {
      char *ms = strstr(path, "ms=");
      int wait = ms ? atoi(ms + 3) : 0;
      usleep(wait * 1000);
      char body[64];
      snprintf(body, sizeof body, "slow answer after %d ms", wait);
      if (!answer(c, body, keep)) return;
    } else if (!answer(c, hello, keep)) return;
    int used = (int)(end + 4 - buf);
    memmove(buf, buf + used, n - used + 1);
    n -= used;
    if (!keep) return;
  }
}

int main(int argc, char **argv) {
  int port = argc > 1 ? atoi(argv[1]) : 8080;
  const char *host = getenv("KILN_HOST") ? getenv("KILN_HOST") : "vm";
  if (getenv("KILN_VERSION")) version = getenv("KILN_VERSION");
  no_health = getenv("KILN_HEALTH_PATH") != NULL;
  snprintf(hello, sizeof hello, "hello from %s", host);
  signal(SIGCHLD, SIG_IGN);
  signal(SIGPIPE, SIG_IGN);
  int s = socket(AF_INET, SOCK_STREAM, 0), one = 1;
  setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port), .sin_addr.s_addr = htonl(INADDR_ANY)};
  if (bind(s, (struct sockaddr *)&a, sizeof a) < 0 || listen(s, 128) < 0) {
    perror("kiln-app");
    return 1;
  }
  printf("listening on %d as %s\n", port, host);
  fflush(stdout);
  for (;;) {
    int c = accept(s, 0, 0);
    if (c < 0) continue;
    if (fork() == 0) {
      close(s);
      serve(c);
      shutdown(c, SHUT_WR);
      close(c);
      _exit(0);
    }
    close(c);
  }
}
