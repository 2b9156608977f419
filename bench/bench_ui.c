/* bench_ui: the console's cost as a terminal sees it. Runs the real binary on a
 * 200x60 pseudo-terminal (forkpty) with the demo feed and measures
 *   - bytes written to the terminal per second, live (default replay speed, a
 *     candle update every ~33 ms) and at full speed (--speed 0), against what
 *     repainting the whole screen every frame would cost;
 *   - frame time p50/p99 (the UI logs them at exit; read from its log);
 *   - CPU when idle (after the replay ended: nothing changes on screen).
 * Usage: bench_ui [path/to/alphapulse]   (default: $BUILD/alphapulse, then build/)
 * Prints plain "name value unit" lines and ratios. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define COLS 200
#define ROWS 60

struct child {
    pid_t pid;
    int fd;
    char dir[64];
};

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int spawn(struct child *c, const char *bin, const char *speed)
{
    snprintf(c->dir, sizeof c->dir, "/tmp/bench-ui-XXXXXX");
    if (!mkdtemp(c->dir))
        return -1;
    struct winsize ws = { .ws_row = ROWS, .ws_col = COLS };
    c->pid = forkpty(&c->fd, NULL, NULL, &ws);
    if (c->pid < 0)
        return -1;
    if (c->pid == 0) {
        char db[128];
        snprintf(db, sizeof db, "%s/bench.db", c->dir);
        setenv("TERM", "xterm-256color", 1);
        setenv("LANG", "C.UTF-8", 1);
        setenv("LC_ALL", "C.UTF-8", 1);
        setenv("XDG_STATE_HOME", c->dir, 1);
        unsetenv("NO_COLOR");
        execl(bin, bin, "--demo", "--db", db, "--speed", speed, (char *)NULL);
        _exit(127);
    }
    return 0;
}

/* Reads what the program writes for `secs`; returns the byte count. */
static long drain(struct child *c, double secs)
{
    long n = 0;
    char buf[65536];
    double end = now_s() + secs;
    for (;;) {
        double left = end - now_s();
        if (left <= 0)
            break;
        struct pollfd p = { .fd = c->fd, .events = POLLIN };
        int r = poll(&p, 1, (int)(left * 1000) + 1);
        if (r > 0) {
            ssize_t k = read(c->fd, buf, sizeof buf);
            if (k <= 0)
                break;
            n += k;
        }
    }
    return n;
}

/* utime + stime of the process (or one thread) in seconds */
static double cpu_of(pid_t pid, pid_t tid)
{
    char path[96], buf[2048];
    if (tid)
        snprintf(path, sizeof path, "/proc/%d/task/%d/stat", (int)pid, (int)tid);
    else
        snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    size_t k = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[k] = 0;
    char *p = strrchr(buf, ')');
    if (!p)
        return -1;
    unsigned long ut = 0, st = 0;
    /* fields after ')': state(3) ... utime(14) stime(15) */
    sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ut, &st);
    return (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
}

struct stats { double p50, p99, cpu50, cpu99, comp50, comp99; unsigned long frames; };

static void stop(struct child *c, struct stats *st)
{
    if (write(c->fd, "q", 1) != 1)
        kill(c->pid, SIGTERM);
    double end = now_s() + 10;
    int status;
    while (waitpid(c->pid, &status, WNOHANG) == 0 && now_s() < end)
        drain(c, 0.05);
    close(c->fd);
    char path[128], line[512];
    snprintf(path, sizeof path, "%s/alphapulse/alphapulse.log", c->dir);
    FILE *f = fopen(path, "r");
    *st = (struct stats){ -1, -1, -1, -1, -1, -1, 0 };
    if (f) {
        while (fgets(line, sizeof line, f)) {
            char *s = strstr(line, "ui: ");
            if (s && strstr(s, "frame time"))
                sscanf(s, "ui: %lu frames, frame time p50 %lf ms p99 %lf ms", &st->frames, &st->p50, &st->p99);
            if (s && strstr(s, "frame cpu"))
                sscanf(s, "ui: frame cpu p50 %lf ms p99 %lf ms, compose cpu p50 %lf ms p99 %lf ms",
                       &st->cpu50, &st->cpu99, &st->comp50, &st->comp99);
        }
        fclose(f);
    }
    char cmd[160];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", c->dir);
    if (system(cmd) != 0)
        fprintf(stderr, "bench_ui: could not remove %s\n", c->dir);
}

static void print_stats(const char *name, const struct stats *st)
{
    printf("%s_frames %lu\n", name, st->frames);
    printf("%s_frame_wall_p50 %.2f ms\n%s_frame_wall_p99 %.2f ms (includes blocking on the terminal and "
           "the machine being busy)\n", name, st->p50, name, st->p99);
    printf("%s_frame_cpu_p50 %.2f ms\n%s_frame_cpu_p99 %.2f ms (target < 2)\n", name, st->cpu50, name, st->cpu99);
    printf("%s_compose_cpu_p50 %.2f ms\n%s_compose_cpu_p99 %.2f ms\n", name, st->comp50, name, st->comp99);
}

int main(int argc, char **argv)
{
    char bin[512];
    const char *b = getenv("BUILD");
    if (argc > 1)
        snprintf(bin, sizeof bin, "%s", argv[1]);
    else
        snprintf(bin, sizeof bin, "%s/alphapulse", b ? b : "build");
    if (access(bin, X_OK) != 0) {
        snprintf(bin, sizeof bin, "build/alphapulse");
        if (access(bin, X_OK) != 0) {
            fprintf(stderr, "bench_ui: no alphapulse binary (give its path)\n");
            return 1;
        }
    }
    signal(SIGPIPE, SIG_IGN);
    printf("bench_ui: %s on a %dx%d pty, TERM=xterm-256color, UTF-8\n", bin, COLS, ROWS);

    /* 1. live: the default replay speed */
    struct child c;
    if (spawn(&c, bin, "600"))
        return 1;
    /* the first frame paints the whole screen: what every frame would cost
     * without curses' differential update; it ends at the first pause */
    long first = drain(&c, 0.3), more;
    while ((more = drain(&c, 0.02)) > 0 && first < 1000000)
        first += more;
    drain(&c, 0.7);
    double t0 = now_s();
    long live = drain(&c, 5.0);
    double live_s = now_s() - t0;
    /* a whole-screen repaint with a full chart: a resize forces curses to
     * repaint everything (once for 199 columns, once for 200) */
    struct winsize ws = { .ws_row = ROWS, .ws_col = COLS - 1 };
    ioctl(c.fd, TIOCSWINSZ, &ws);
    drain(&c, 0.3);
    ws.ws_col = COLS;
    ioctl(c.fd, TIOCSWINSZ, &ws);
    long repaint = drain(&c, 0.3);
    if (repaint > first)
        first = repaint;
    struct stats st;
    stop(&c, &st);
    printf("full_frame_bytes %ld B (a whole-screen repaint after a resize, chart full)\n", first);
    printf("live_bytes_per_s %.0f B/s (speed 600: ten 1m candles and twenty updates a second; target < 20480)\n", live / live_s);
    print_stats("live", &st);

    /* 1b. slower replays: one candle a second, and real time */
    static const char *const slow[] = { "60", "1" };
    for (int i = 0; i < 2; i++) {
        if (spawn(&c, bin, slow[i]))
            return 1;
        drain(&c, 1.5);
        t0 = now_s();
        long n = drain(&c, 5.0);
        double s = now_s() - t0;
        stop(&c, &st);
        printf("speed%s_bytes_per_s %.0f B/s (target < 20480)\n", slow[i], n / s);
    }

    /* 2. full speed: --speed 0, the screen changes every frame */
    if (spawn(&c, bin, "0"))
        return 1;
    drain(&c, 1.0);
    t0 = now_s();
    long fast = drain(&c, 4.0);
    double fast_s = now_s() - t0;
    /* 3. idle: wait until the replay is over and the screen is quiet */
    double quiet_deadline = now_s() + 120;
    while (now_s() < quiet_deadline && drain(&c, 1.0) > 0) {
    }
    double cpu0 = cpu_of(c.pid, 0), ui0 = cpu_of(c.pid, c.pid);
    t0 = now_s();
    long idle_bytes = drain(&c, 5.0);
    double idle_s = now_s() - t0;
    double cpu1 = cpu_of(c.pid, 0), ui1 = cpu_of(c.pid, c.pid);
    stop(&c, &st);
    double fps = 30.0;                          /* the renderer's cap */
    printf("fullspeed_bytes_per_s %.0f B/s (--speed 0, every frame changes)\n", fast / fast_s);
    printf("full_redraw_bytes_per_s %.0f B/s (a whole-screen repaint at %.0f frames/s, for comparison)\n",
           first * fps, fps);
    print_stats("fullspeed", &st);
    printf("idle_bytes_per_s %.1f B/s\n", idle_bytes / idle_s);
    printf("idle_cpu_process %.2f %% (all threads; target < 1)\n", (cpu1 - cpu0) / idle_s * 100);
    printf("idle_cpu_ui_thread %.2f %%\n", (ui1 - ui0) / idle_s * 100);
    printf("ratio_live_vs_full_redraw %.3f\n", first > 0 ? (live / live_s) / (first * fps) : 0);
    return 0;
}
