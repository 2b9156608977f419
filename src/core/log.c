/* Log file writer. Lines carry the wall-clock time: logs are for people, the
 * engine's own clock never comes from here. */
#include "alphapulse/log.h"

#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define LOG_SECRETS 16
#define LOG_LINE 2048

static FILE *log_file;
static int log_stderr;
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static char *log_secrets[LOG_SECRETS];
static int log_n_secrets;

void log_secret(const char *secret)
{
    if (!secret || strlen(secret) < 4)
        return;
    pthread_mutex_lock(&log_lock);
    bool known = false;
    for (int i = 0; i < log_n_secrets; i++)
        known |= strcmp(log_secrets[i], secret) == 0;
    if (!known && log_n_secrets < LOG_SECRETS)
        log_secrets[log_n_secrets++] = strdup(secret);
    pthread_mutex_unlock(&log_lock);
}

static int hex_value(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* Length of the text at t that spells secret, each character either as itself,
 * percent-encoded (%2F or %2f, '+' for a space) or JSON-escaped (\u002f, \/),
 * so a secret copied into a URL or a JSON string is still found; 0 if none. */
static size_t spelled_at(const char *t, const char *secret)
{
    const char *k = t;
    for (const char *c = secret; *c; c++) {
        unsigned char want = (unsigned char)*c;
        int h1, h2, h3, h4;
        if ((unsigned char)*k == want) {
            k++;
        } else if (*k == '%' && (h1 = hex_value(k[1])) >= 0 && (h2 = hex_value(k[2])) >= 0 && h1 * 16 + h2 == want) {
            k += 3;
        } else if (*k == '+' && want == ' ') {
            k++;
        } else if (*k == '\\' && k[1] == 'u' && (h1 = hex_value(k[2])) >= 0 && (h2 = hex_value(k[3])) >= 0 &&
                   (h3 = hex_value(k[4])) >= 0 && (h4 = hex_value(k[5])) >= 0 &&
                   ((h1 * 16 + h2) * 16 + h3) * 16 + h4 == want) {
            k += 6;
        } else if (*k == '\\' && k[1] == (char)want && strchr("\"\\/", want)) {
            k += 2;
        } else {
            return 0;
        }
    }
    return (size_t)(k - t);
}

static void redact_locked(char *text, size_t size)
{
    static const char mark[] = "[redacted]";
    const size_t ml = sizeof mark - 1;
    for (int i = 0; i < log_n_secrets; i++) {
        char *p = text;
        while (*p) {
            size_t sl = spelled_at(p, log_secrets[i]);
            if (!sl) {
                p++;
                continue;
            }
            size_t at = (size_t)(p - text), tail = strlen(p + sl) + 1;
            if (at + ml >= size) {          /* no room for the mark: cut the line */
                *p = 0;
                break;
            }
            if (at + ml + tail > size)
                tail = size - at - ml;
            memmove(p + ml, p + sl, tail);
            memcpy(p, mark, ml);
            text[size - 1] = 0;
            p += ml;                        /* never rescan the mark itself */
        }
    }
}

void log_redact(char *text, size_t size)
{
    if (!size)
        return;
    pthread_mutex_lock(&log_lock);
    redact_locked(text, size);
    pthread_mutex_unlock(&log_lock);
}

int log_open(const char *path)
{
    pthread_mutex_lock(&log_lock);
    if (log_file)
        fclose(log_file);
    log_file = NULL;
    if (path) {   /* owner-only whatever the umask: a log names the account's orders and fills */
        int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
        if (fd >= 0 && !(log_file = fdopen(fd, "a")))
            close(fd);
    }
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
    /* the line is formatted once, redacted, and only then cut to LOG_LINE: a
     * secret cut in two would no longer be recognised */
    char line[LOG_LINE * 4];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    pthread_mutex_lock(&log_lock);
    redact_locked(line, sizeof line);
    line[LOG_LINE - 1] = 0;
    FILE *outs[2] = { log_file, log_stderr ? stderr : NULL };
    for (int i = 0; i < 2; i++) {
        if (!outs[i])
            continue;
        fprintf(outs[i], "%s %s %s\n", ts, names[lv], line);
        fflush(outs[i]);
    }
    pthread_mutex_unlock(&log_lock);
}
