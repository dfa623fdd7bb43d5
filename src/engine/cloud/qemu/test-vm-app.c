/* The test VM image's app: answers every path 200 with X-App-Version, /slow?ms=N after N ms. A static binary with
 * no fork per request, because each fork or exec costs tens of milliseconds in a guest emulated by TCG. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
static void answer(int c, const char *version, const char *body) {
  char out[512];
  int n = snprintf(out, sizeof out, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nX-App-Version: %s\r\nContent-Length: %zu\r\nConnection: close\r\n\r\n%s", version, strlen(body), body);
  if (write(c, out, n) < 0) return;
}
int main(int argc, char **argv) {
  int port = argc > 1 ? atoi(argv[1]) : 8080;
  const char *version = getenv("KILN_VERSION") ? getenv("KILN_VERSION") : "unknown";
  const char *host = getenv("KILN_HOST") ? getenv("KILN_HOST") : "vm";
  signal(SIGCHLD, SIG_IGN);
  signal(SIGPIPE, SIG_IGN);
  int s = socket(AF_INET, SOCK_STREAM, 0), one = 1;
  setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port), .sin_addr.s_addr = htonl(INADDR_ANY)};
  if (bind(s, (struct sockaddr *)&a, sizeof a) < 0 || listen(s, 128) < 0) { perror("kiln-app"); return 1; }
  printf("listening on %d as %s\n", port, host);
  fflush(stdout);
  char hello[160];
  snprintf(hello, sizeof hello, "hello from %s", host);
  for (;;) {
    int c = accept(s, 0, 0);
    if (c < 0) continue;
    char buf[4096];
    int n = 0, r;
    /* The whole head, so closing after the answer never resets a request still being sent. */
    while (n < (int)sizeof buf - 1 && (r = read(c, buf + n, sizeof buf - 1 - n)) > 0) {
      n += r;
      buf[n] = 0;
      if (strstr(buf, "\r\n\r\n")) break;
    }
    buf[n] = 0;
    char *path = strchr(buf, ' ');
    if (path && strncmp(path + 1, "/slow", 5) == 0) {
      /* Only slow answers get a process of their own: the rest are answered in line, with no fork. */
      if (fork() == 0) {
        close(s);
        char *ms = strstr(path, "ms=");
        int wait = ms ? atoi(ms + 3) : 0;
        usleep(wait * 1000);
        char body[64];
        snprintf(body, sizeof body, "slow answer after %d ms", wait);
        answer(c, version, body);
        _exit(0);
      }
      close(c);
      continue;
    }
    answer(c, version, hello);
    shutdown(c, SHUT_WR);
    close(c);
  }
}
