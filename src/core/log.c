/* Log file writer. Lines carry the wall-clock time: logs are for people, the
 * engine's own clock never comes from here. */
#include "alphapulse/log.h"

#include <pthread.h>
#include <stdarg.h>
#include <time.h>

static FILE *log_file;
static int log_stderr;
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;

int log_open(const char *path)
{
    pthread_mutex_lock(&log_lock);
    if (log_file)
        fclose(log_file);
    log_file = path ? fopen(path, "a") : NULL;
    pthread_mutex_unlock(&log_lock);
    return log_file ? 0 : -1;
}

void log_to_stderr(int on) { log_stderr = on; }

void log_close(void)
{
    pthread_mutex_lock(&log_lock);
    if (log_file)
        fclose(log_file);
    log_file = NULL;
    pthread_mutex_unlock(&log_lock);
}

void log_msg(enum log_level lv, const char *fmt, ...)
{
    static const char *const names[] = { "debug", "info", "warn", "error" };
    if (!log_file && !log_stderr)
        return;
    char ts[32];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", &tm);
    pthread_mutex_lock(&log_lock);
    FILE *outs[2] = { log_file, log_stderr ? stderr : NULL };
    for (int i = 0; i < 2; i++) {
        if (!outs[i])
            continue;
        va_list ap;
        va_start(ap, fmt);
        fprintf(outs[i], "%s %s ", ts, names[lv]);
        vfprintf(outs[i], fmt, ap);
        fputc('\n', outs[i]);
        fflush(outs[i]);
        va_end(ap);
    }
    pthread_mutex_unlock(&log_lock);
}
