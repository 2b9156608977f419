/* One logging facility: lines to a file (never the curses screen), thread-safe. */
#ifndef ALPHAPULSE_LOG_H
#define ALPHAPULSE_LOG_H
#include <stdio.h>

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR };

int log_open(const char *path);       /* NULL or failure: logging goes nowhere */
void log_to_stderr(int on);           /* also copy lines to stderr (headless modes) */
void log_close(void);
/* Register a secret (token, webhook URL, HMAC key): every later log line has each
 * occurrence replaced by "[redacted]". Strings shorter than 4 are ignored. */
void log_secret(const char *secret);
/* The same redaction for text bound elsewhere (journal, screen, exports). */
void log_redact(char *text, size_t size);
void log_msg(enum log_level lv, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)
#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARN, __VA_ARGS__)
#define log_error(...) log_msg(LOG_ERROR, __VA_ARGS__)

#endif
