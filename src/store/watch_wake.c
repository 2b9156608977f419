/* Waking a console's SQLite watch when a collector commits (watch.c): inotify
 * on the database's directory, for writes to the database file and its -wal
 * file (a commit in WAL mode appends to the -wal; the directory, not the file,
 * because the -wal is removed and made again when the last connection closes).
 * A write is only a hint: PRAGMA data_version says whether another connection
 * committed. No inotify: the wait sleeps its whole timeout, as a plain poll. */
#include "store_internal.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/inotify.h>
#include <time.h>
#include <unistd.h>

#include "alphapulse/clock.h"

void store_watch_wake_open(struct store_watch *w)
{
    w->wake_fd = -1;
    char dir[sizeof w->db];
    snprintf(dir, sizeof dir, "%s", w->db);
    char *slash = strrchr(dir, '/');
    const char *base = slash ? slash + 1 : dir;
    size_t len = strlen(base);
    if (len + 5 > sizeof w->wake_name)       /* room for "-wal" after it */
        return;
    memcpy(w->wake_name, base, len + 1);
    if (slash == dir)
        dir[1] = 0;                   /* "/x.db": the root */
    else if (slash)
        *slash = 0;
    else
        snprintf(dir, sizeof dir, ".");
    int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (fd < 0)
        return;
    if (inotify_add_watch(fd, dir, IN_MODIFY | IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE) < 0) {
        log_warn("%s: cannot watch its directory for commits (%s); looking once a second", w->db, strerror(errno));
        close(fd);
        return;
    }
    w->wake_fd = fd;
}

void store_watch_wake_close(struct store_watch *w)
{
    if (w->wake_fd >= 0)
        close(w->wake_fd);
    w->wake_fd = -1;
}

/* Reads every queued event: was one about the database or its -wal? */
static bool drain(struct store_watch *w)
{
    char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
    size_t len = strlen(w->wake_name);
    bool ours = false;
    ssize_t n;
    while ((n = read(w->wake_fd, buf, sizeof buf)) > 0)
        for (char *p = buf; p < buf + n;) {
            const struct inotify_event *ev = (const struct inotify_event *)p;
            if (ev->len && strncmp(ev->name, w->wake_name, len) == 0 &&
                (ev->name[len] == 0 || strcmp(ev->name + len, "-wal") == 0))
                ours = true;
            p += sizeof *ev + ev->len;
        }
    return ours;
}

bool store_watch_wake_wait(struct store_watch *w, int timeout_ms)
{
    if (w->wake_fd < 0) {
        nanosleep(&(struct timespec){ timeout_ms / 1000, (long)(timeout_ms % 1000) * 1000000 }, NULL);
        return false;
    }
    int64_t end = clock_mono_ms() + timeout_ms;
    for (;;) {
        int64_t left = end - clock_mono_ms();
        if (left <= 0)
            return false;
        struct pollfd p = { .fd = w->wake_fd, .events = POLLIN };
        if (poll(&p, 1, (int)left) > 0 && drain(w))
            return true;
    }
}
