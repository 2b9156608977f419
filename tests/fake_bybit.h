/* The fake Bybit server (tests/fake_exchange/fake_bybit, in $BUILD) started for
 * a C test: fake_bybit_start runs it on data/binance_BTCUSDT_1m_2024.csv and a
 * port the system picks, with the further arguments given (NULL-ended), and
 * returns its pid with *port set to the port it printed, or -1;
 * fake_bybit_stop ends it. */
#ifndef TESTS_FAKE_BYBIT_H
#define TESTS_FAKE_BYBIT_H
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#define FAKE_BYBIT_ARGS_MAX 24

static pid_t fake_bybit_start(int *port, ...)
{
    const char *build = getenv("BUILD") ? getenv("BUILD") : "build";
    char bin[256];
    snprintf(bin, sizeof bin, "%s/tests/fake_exchange/fake_bybit", build);
    char *argv[FAKE_BYBIT_ARGS_MAX + 6] = { bin, "--csv", "data/binance_BTCUSDT_1m_2024.csv", "--port", "0" };
    int argc = 5;
    va_list ap;
    va_start(ap, port);
    for (char *a; argc < FAKE_BYBIT_ARGS_MAX + 5 && (a = va_arg(ap, char *));)
        argv[argc++] = a;
    va_end(ap);
    int fd[2];
    if (pipe(fd))
        return -1;
    pid_t pid = fork();
    if (pid == 0) {
        dup2(fd[1], 1);
        close(fd[0]);
        execv(bin, argv);
        _exit(127);
    }
    close(fd[1]);
    FILE *f = fdopen(fd[0], "r");
    char line[64];
    *port = 0;
    if (f && fgets(line, sizeof line, f))    /* it prints "port N" once listening */
        sscanf(line, "port %d", port);
    if (f)
        fclose(f);
    if (pid > 0 && *port <= 0) {
        kill(pid, SIGTERM);
        waitpid(pid, NULL, 0);
    }
    return pid > 0 && *port > 0 ? pid : -1;
}

static void fake_bybit_stop(pid_t pid)
{
    if (pid > 0) {
        kill(pid, SIGTERM);
        waitpid(pid, NULL, 0);
    }
}
#endif
