/* Shutdown whatever the outside world does: the real binary (demo, headless,
 * trading from a script) with the webhook endpoint on, a client holding a
 * connection to it open, and alerts going to a receiver that accepts the
 * connection but never answers. SIGTERM must end it (status 0), and every fill
 * it acknowledged as durable must be in the database. How long the stop took is
 * printed for information; the pass condition is that it ends at all. */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>

#include "harness.h"

#define TOKEN "tok-5d1e8a40c2b97f36"
#define GUARD_S 20.0               /* a stuck process, not a slow one */
#define START_S 120.0              /* a loaded machine under a sanitizer starts slowly */

struct ack_fill { uint64_t id, order; char sym[16]; int side; double qty, price, fee, realized, balance; };
static struct ack_fill fills[4096];
static int n_fills;
static char out_buf[65536];
static size_t out_len;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void nap_ms(long ms) { nanosleep(&(struct timespec){ ms / 1000, (ms % 1000) * 1000000L }, NULL); }

/* Reads what the child printed so far and keeps its "durable fill" lines. */
static void read_acks(int fd)
{
    ssize_t r;
    while ((r = read(fd, out_buf + out_len, sizeof out_buf - 1 - out_len)) > 0) {
        out_len += (size_t)r;
        char *nl;
        while ((nl = memchr(out_buf, '\n', out_len))) {
            *nl = 0;
            struct ack_fill f;
            if (n_fills < 4096 && sscanf(out_buf, "durable fill %lu %lu %15s %d %lf %lf %lf %lf %lf", &f.id, &f.order,
                                         f.sym, &f.side, &f.qty, &f.price, &f.fee, &f.realized, &f.balance) == 9)
                fills[n_fills++] = f;
            size_t used = (size_t)(nl - out_buf) + 1;
            memmove(out_buf, nl + 1, out_len - used);
            out_len -= used;
        }
    }
}

/* A receiver that takes connections and never says a word. */
static int black_hole(int *port)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    struct sockaddr_in a = { .sin_family = AF_INET };
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t sl = sizeof a;
    if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof a) || listen(fd, 64) ||
        getsockname(fd, (struct sockaddr *)&a, &sl))
        return -1;
    *port = ntohs(a.sin_port);
    return fd;
}

/* The port the child reports in its log ("listening on http://127.0.0.1:N/webhook"). */
static int logged_port(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    char line[1024];
    int port = 0;
    while (!port && fgets(line, sizeof line, f)) {
        char *p = strstr(line, "listening on http://127.0.0.1:");
        if (p)
            port = atoi(p + strlen("listening on http://127.0.0.1:"));
    }
    fclose(f);
    return port;
}

static int dial(int port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *)&a, sizeof a)) {
        close(fd);
        return -1;
    }
    return fd;
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
    chmod(path, 0600);
}

static void verify_fills(const char *path)
{
    sqlite3 *db;
    CHECK(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK);
    sqlite3_stmt *s;
    CHECK(sqlite3_prepare_v2(db, "SELECT order_id,symbol,side,qty,price,fee,realized,balance_after FROM fills "
                                 "WHERE id=?", -1, &s, NULL) == SQLITE_OK);
    int missing = 0, differ = 0;
    for (int i = 0; i < n_fills; i++) {
        const struct ack_fill *f = &fills[i];
        sqlite3_bind_int64(s, 1, (sqlite3_int64)f->id);
        if (sqlite3_step(s) != SQLITE_ROW)
            missing++;
        else if ((uint64_t)sqlite3_column_int64(s, 0) != f->order ||
                 strcmp((const char *)sqlite3_column_text(s, 1), f->sym) != 0 || sqlite3_column_int(s, 2) != f->side ||
                 sqlite3_column_double(s, 3) != f->qty || sqlite3_column_double(s, 4) != f->price ||
                 sqlite3_column_double(s, 5) != f->fee || sqlite3_column_double(s, 6) != f->realized ||
                 sqlite3_column_double(s, 7) != f->balance)
            differ++;
        sqlite3_reset(s);
    }
    sqlite3_finalize(s);
    sqlite3_close(db);
    CHECK_MSG(missing == 0 && differ == 0, "%d acknowledged fills missing, %d differ (of %d)", missing, differ,
              n_fills);
}

static void test_sigterm_with_stuck_receiver_and_held_webhook(void)
{
    char dir[] = "/tmp/ap-stop-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    int hole_port = 0, hole = black_hole(&hole_port);
    CHECK(hole >= 0);
    char token[600], cfg[600], script[600], db[600], errp[600], state[600], text[1024];
    snprintf(token, sizeof token, "%s/token", dir);
    write_file(token, TOKEN "\n");
    snprintf(cfg, sizeof cfg, "%s/cfg.json", dir);
    /* long timeouts and retries: only the shutdown deadline can end a delivery */
    snprintf(text, sizeof text,
             "{\"alerts\": {\"timeout_ms\": 60000, \"retries\": 5, \"backoff_ms\": 10000,\n"
             "  \"webhook\": {\"url\": \"http://127.0.0.1:%d/hook\"}}}\n", hole_port);
    write_file(cfg, text);
    snprintf(script, sizeof script, "%s/script", dir);
    FILE *f = fopen(script, "w");
    for (int i = 1; i < 600; i++)     /* trading goes on while it is told to stop */
        fprintf(f, "%d %s BTCUSDT\n", i * 100, i % 2 ? "buy" : "close");
    fclose(f);
    snprintf(db, sizeof db, "%s/stop.db", dir);
    snprintf(errp, sizeof errp, "%s/stderr.txt", dir);
    snprintf(state, sizeof state, "%s/state", dir);
    const char *build = getenv("BUILD") && *getenv("BUILD") ? getenv("BUILD") : "build";
    char bin[600];
    snprintf(bin, sizeof bin, "%s/alphapulse", build);

    int p[2];
    CHECK(pipe(p) == 0);
    pid_t pid = fork();
    if (pid == 0) {
        dup2(p[1], 1);
        close(p[0]);
        close(p[1]);
        freopen(errp, "w", stderr);
        setenv("XDG_STATE_HOME", state, 1);
        execl(bin, bin, "--demo", "--headless", "--speed", "2000", "--db", db, "--config", cfg, "--script", script,
              "--webhook-listen", "127.0.0.1:0", "--webhook-token-file", token, (char *)NULL);
        _exit(127);
    }
    close(p[1]);
    fcntl(p[0], F_SETFL, O_NONBLOCK);

    /* the state the stop must cope with: a fill acknowledged, an alert delivery
     * stuck at the receiver, a client holding the webhook connection */
    int hook_port = 0, held = -1, stuck = -1;
    bool exited = false;
    int status = 0;
    for (double t0 = now_s(); now_s() - t0 < START_S && (n_fills < 3 || held < 0 || stuck < 0);) {
        read_acks(p[0]);
        if (waitpid(pid, &status, WNOHANG) == pid) {
            exited = true;
            break;
        }
        if (!hook_port)
            hook_port = logged_port(errp);
        if (hook_port && held < 0 && (held = dial(hook_port)) >= 0) {
            static const char part[] = "POST /webhook HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\n{";
            CHECK(send(held, part, sizeof part - 1, MSG_NOSIGNAL) == (ssize_t)(sizeof part - 1));
        }
        if (stuck < 0)
            stuck = accept(hole, NULL, NULL);
        nap_ms(10);
    }
    CHECK_MSG(!exited, "the demo ended before SIGTERM (status %d)", status);
    CHECK_MSG(hook_port > 0 && held >= 0, "no connection to the webhook endpoint (port %d)", hook_port);
    CHECK_MSG(stuck >= 0, "no alert reached the receiver");
    CHECK_MSG(n_fills >= 3, "%d fills acknowledged before SIGTERM, expected 3", n_fills);

    double t_term = now_s(), took = -1;
    if (!exited) {
        kill(pid, SIGTERM);
        while (now_s() - t_term < GUARD_S) {
            read_acks(p[0]);
            if (waitpid(pid, &status, WNOHANG) == pid) {
                exited = true;
                took = now_s() - t_term;
                break;
            }
            nap_ms(5);
        }
        if (!exited) {
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
        }
        CHECK_MSG(exited, "still running %.0f s after SIGTERM (killed)", GUARD_S);
    }
    fcntl(p[0], F_SETFL, 0);
    read_acks(p[0]);
    close(p[0]);
    if (took >= 0)
        printf("# exited %.2f s after SIGTERM (information, not a threshold); %d fills acknowledged\n", took, n_fills);
    CHECK_MSG(WIFEXITED(status) && WEXITSTATUS(status) == 0, "exit status %d", status);
    verify_fills(db);
    char cmd[700];
    snprintf(cmd, sizeof cmd, "grep -q 'alert webhook failed: webhook: abandoned at shutdown' %s", errp);
    CHECK_MSG(system(cmd) == 0, "the stuck delivery was not cut off at shutdown (see %s)", errp);
    if (held >= 0)
        close(held);
    if (stuck >= 0)
        close(stuck);
    close(hole);
    if (!harness_cur_failed) {
        snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
        if (system(cmd) != 0)
            printf("# could not remove %s\n", dir);
    } else {
        printf("# kept %s (see stderr.txt)\n", dir);
    }
}

int main(void)
{
    signal(SIGPIPE, SIG_IGN);
    RUN(test_sigterm_with_stuck_receiver_and_held_webhook);
    HARNESS_EXIT();
}
