/* Paper accounts (store.h): names, and who holds an account's lock. */
#include "store_internal.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int store_account_check(const char *name, char *err, size_t err_len)
{
    size_t n = strlen(name);
    bool ok = n >= 1 && n <= STORE_ACCOUNT_MAX && isalnum((unsigned char)name[0]);
    for (size_t i = 0; ok && i < n; i++)
        ok = islower((unsigned char)name[i]) || isdigit((unsigned char)name[i]) || name[i] == '_' || name[i] == '-';
    if (!ok)
        snprintf(err, err_len, "--account '%s': expected 1 to %d of a-z, 0-9, '_' and '-', starting with a letter "
                 "or a digit, such as alice or desk-2", name, STORE_ACCOUNT_MAX);
    return ok ? 0 : -1;
}

void store_holder_text(char *out, size_t n)
{
    char host[256] = "?";
    gethostname(host, sizeof host - 1);
    host[sizeof host - 1] = 0;
    snprintf(out, n, "host %s, pid %ld", host, (long)getpid());
}
