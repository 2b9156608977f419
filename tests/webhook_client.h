/* Raw-socket client for the webhook tests: starts the real binary (headless demo
 * with the endpoint on), sends bytes in chosen writes, reads every answer until
 * the server closes, and stops the program with SIGTERM. */
#ifndef WEBHOOK_CLIENT_H
#define WEBHOOK_CLIENT_H
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define WH_TOKEN "tok-9f2c61d0b7e34a58"

struct wh_demo {
    pid_t pid;
    int port;
    char dir[256];
    char log[512];            /* the program's log file */
};

static double wh_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void wh_nap_ms(int ms) { nanosleep(&(struct timespec){ ms / 1000, (long)(ms % 1000) * 1000000L }, NULL); }

static int wh_dial(int family, int port)
{
    int fd = socket(family, SOCK_STREAM, 0);
    struct timeval tv = { 5, 0 };
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    int rc;
    if (family == AF_INET6) {
        struct sockaddr_in6 a = { .sin6_family = AF_INET6, .sin6_port = htons((uint16_t)port) };
        a.sin6_addr = in6addr_loopback;
        rc = connect(fd, (struct sockaddr *)&a, sizeof a);
    } else {
        struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        rc = connect(fd, (struct sockaddr *)&a, sizeof a);
    }
    if (rc) {
        close(fd);
        return -1;
    }
    return fd;
}

static bool wh_send_all(int fd, const char *p, size_t len)
{
    while (len) {
        ssize_t n = send(fd, p, len, MSG_NOSIGNAL);
        if (n <= 0)
            return false;
        p += n;
        len -= (size_t)n;
    }
    return true;
}

/* Everything the server sends until it closes (or 5 s of silence: closed is
 * then false). Returns the bytes read. */
static size_t wh_read_to_close(int fd, char *buf, size_t size, bool *closed)
{
    size_t got = 0;
    *closed = false;
    for (;;) {
        ssize_t n = recv(fd, buf + got, size - 1 - got, 0);
        if (n == 0 || (n < 0 && errno == ECONNRESET)) {
            *closed = true;
            break;
        }
        if (n < 0)
            break;                      /* timeout: the connection was left open */
        got += (size_t)n;
        if (got == size - 1)
            break;
    }
    buf[got] = 0;
    return got;
}

/* How many status lines ("HTTP/1.1 NNN") the server sent, and the first status. */
static int wh_answers(const char *buf, int *first)
{
    int n = 0;
    *first = -1;
    for (const char *p = buf; (p = strstr(p, "HTTP/1.")); p += 8) {
        int st;
        if (sscanf(p, "HTTP/1.%*d %d", &st) == 1) {
            if (n == 0)
                *first = st;
            n++;
        }
    }
    return n;
}

/* One request on a fresh connection; the status of the answer or -1. */
static int wh_exchange(int family, int port, const char *raw, char *body, size_t blen)
{
    int fd = wh_dial(family, port);
    if (fd < 0)
        return -1;
    char buf[8192];
    bool closed;
    if (!wh_send_all(fd, raw, strlen(raw)))
        shutdown(fd, SHUT_WR);
    wh_read_to_close(fd, buf, sizeof buf, &closed);
    close(fd);
    int st;
    wh_answers(buf, &st);
    if (body) {
        char *b = strstr(buf, "\r\n\r\n");
        snprintf(body, blen, "%s", b ? b + 4 : "");
    }
    return st;
}

static int wh_post(int port, const char *headers, const char *body, char *resp, size_t rlen)
{
    char req[16384];
    snprintf(req, sizeof req, "POST /webhook HTTP/1.1\r\nHost: x\r\n%sContent-Length: %zu\r\n\r\n%s", headers,
             strlen(body), body);
    return wh_exchange(AF_INET, port, req, resp, rlen);
}

static void wh_write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
    chmod(path, 0600);
}

/* Starts `alphapulse --demo --headless` with the endpoint on 127.0.0.1 (a port
 * picked at random), config_json as --config and, with token_file, WH_TOKEN in
 * --webhook-token-file (else the config gives the token). Returns once the
 * endpoint answers (true) or the program has exited (false). */
/* The port of "webhook: listening on http://HOST:PORT/webhook" in the demo's
 * stderr (the address read back from the socket), or 0 before that line. */
static int wh_logged_port(const char *errp)
{
    FILE *f = fopen(errp, "r");
    char line[512];
    int port = 0;
    while (f && !port && fgets(line, sizeof line, f)) {
        const char *p = strstr(line, "webhook: listening on http://");
        const char *end = p ? strstr(p, "/webhook") : NULL;
        const char *colon = end ? end : NULL;
        while (colon && colon > p && *colon != ':')
            colon--;
        if (colon && colon > p)
            port = atoi(colon + 1);
    }
    if (f)
        fclose(f);
    return port;
}

static bool wh_start(struct wh_demo *d, const char *config_json, bool token_file, const char *speed)
{
    snprintf(d->dir, sizeof d->dir, "/tmp/ap-wh-XXXXXX");
    if (!mkdtemp(d->dir))
        return false;
    char tok[320], cfg[320], db[320], state[320], errp[320], lis[96];
    const char *tok_opt = token_file ? "--webhook-token-file" : "--speed";
    snprintf(tok, sizeof tok, "%s/token", d->dir);
    wh_write_file(tok, WH_TOKEN "\n");
    snprintf(cfg, sizeof cfg, "%s/cfg.json", d->dir);
    wh_write_file(cfg, config_json);
    snprintf(db, sizeof db, "%s/demo.db", d->dir);
    snprintf(state, sizeof state, "%s/state", d->dir);
    snprintf(errp, sizeof errp, "%s/stderr.txt", d->dir);
    snprintf(d->log, sizeof d->log, "%s/state/alphapulse/alphapulse.log", d->dir);
    d->port = 0;                               /* the kernel picks a free one; the log says which */
    snprintf(lis, sizeof lis, "127.0.0.1:0");
    if (!token_file)
        snprintf(tok, sizeof tok, "%s", speed);   /* a harmless repeat of --speed */
    const char *build = getenv("BUILD") ? getenv("BUILD") : "build";
    d->pid = fork();
    if (d->pid == 0) {
        char bin[512];
        snprintf(bin, sizeof bin, "%s/alphapulse", build);
        setenv("XDG_STATE_HOME", state, 1);
        if (!freopen("/dev/null", "w", stdout) || !freopen(errp, "w", stderr))
            _exit(126);
        execl(bin, bin, "--demo", "--headless", "--speed", speed, "--db", db, "--config", cfg, "--webhook-listen",
              lis, tok_opt, tok, (char *)NULL);
        _exit(127);
    }
    for (int i = 0; i < 1200; i++) {           /* up to 60 s for the listener on a loaded machine */
        if (waitpid(d->pid, NULL, WNOHANG) != 0) {
            d->pid = -1;
            FILE *f = fopen(errp, "r");        /* why it ended, for the test's output */
            char line[256];
            while (f && fgets(line, sizeof line, f))
                printf("# demo stderr: %s", line);
            if (f)
                fclose(f);
            return false;
        }
        if (d->port == 0)
            d->port = wh_logged_port(errp);
        int fd = d->port ? wh_dial(AF_INET, d->port) : -1;
        if (fd >= 0) {
            close(fd);
            return true;
        }
        wh_nap_ms(50);
    }
    printf("# no listener after 60 s (port %d)\n", d->port);
    return false;
}

/* SIGTERM, then waits up to limit_s for the exit; a program still there is
 * killed. Returns the exit status (-1: it did not stop), the time taken out. */
static int wh_stop(struct wh_demo *d, double limit_s, double *took)
{
    if (d->pid <= 0)
        return -1;
    double t0 = wh_now();
    kill(d->pid, SIGTERM);
    int status = 0;
    pid_t r = 0;
    while ((r = waitpid(d->pid, &status, WNOHANG)) == 0 && wh_now() - t0 < limit_s)
        wh_nap_ms(10);
    *took = wh_now() - t0;
    if (r == 0) {
        kill(d->pid, SIGKILL);
        waitpid(d->pid, NULL, 0);
        d->pid = -1;
        return -1;
    }
    d->pid = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static void wh_cleanup(struct wh_demo *d)
{
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", d->dir);
    if (system(cmd) != 0)
        printf("# could not remove %s\n", d->dir);
}

static bool wh_file_has(const char *path, const char *needle)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return false;
    static char buf[1 << 22];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    for (size_t i = 0; i < n; i += strlen(buf + i) + 1)   /* SQLite pages hold NULs */
        if (strstr(buf + i, needle))
            return true;
    return false;
}

#endif
