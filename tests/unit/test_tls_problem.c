/* Naming TLS failures: the texts below are what libcurl 7.88, OpenSSL 3.0 and
 * libwebsockets 4.1 (through binance_ws.c) actually said against the fake
 * exchange in test_live_tls.sh, plus OpenSSL 1.1's spelling of self-signed.
 * Plain network failures must not be called TLS problems. */
#include "harness.h"
#include "alphapulse/tls_problem.h"

static const struct { const char *text; enum tls_problem want; } CASES[] = {
    /* libcurl (error buffer) */
    { "https://localhost:1/api/v3/ping: SSL certificate problem: unable to get local issuer certificate", TLS_UNTRUSTED },
    { "SSL certificate problem: self-signed certificate", TLS_UNTRUSTED },
    { "SSL certificate problem: self signed certificate in certificate chain", TLS_UNTRUSTED },
    { "SSL certificate problem: certificate has expired", TLS_EXPIRED },
    { "SSL certificate problem: certificate is not yet valid", TLS_NOT_YET_VALID },
    { "SSL: no alternative certificate subject name matches target host name 'localhost'", TLS_WRONG_HOST },
    { "SSL: certificate subject name 'otherhost' does not match target host name 'localhost'", TLS_WRONG_HOST },
    { "error setting certificate file: /tmp/bad.pem", TLS_CA_FILE },
    { "error setting certificate verify locations:  CAfile: /x.pem CApath: none", TLS_CA_FILE },
    { "OpenSSL/3.0.19: error:0A00010B:SSL routines::wrong version number", TLS_HANDSHAKE },
    /* the WebSocket (binance_ws.c's words around OpenSSL's and libwebsockets') */
    { "TLS certificate verify failed: hostname mismatch", TLS_WRONG_HOST },
    { "TLS certificate verify failed: IP address mismatch", TLS_WRONG_HOST },
    { "TLS certificate verify failed: unable to get local issuer certificate", TLS_UNTRUSTED },
    { "TLS certificate verify failed: certificate has expired", TLS_EXPIRED },
    { "TLS certificate verify failed: certificate revoked", TLS_REVOKED },
    { "TLS handshake failed: connect SSL err 1: error:00000001:lib(0)::reason(1)", TLS_HANDSHAKE },
    /* not TLS */
    { "Failed to connect to localhost port 1 after 0 ms: Couldn't connect to server", TLS_NONE },
    { "Unable to connect", TLS_NONE },
    { "closed by the server", TLS_NONE },
    { "silent for 10 s", TLS_NONE },
    { "Operation timed out after 20000 milliseconds with 0 bytes received", TLS_NONE },
    { "", TLS_NONE },
};

static void names_the_libraries_texts(void)
{
    int n = (int)(sizeof CASES / sizeof CASES[0]);
    for (int i = 0; i < n; i++) {
        enum tls_problem got = tls_problem_of(CASES[i].text);
        CHECK_MSG(got == CASES[i].want, "'%s': got %s, want %s", CASES[i].text, tls_problem_name(got),
                  tls_problem_name(CASES[i].want));
    }
    CHECK(tls_problem_of(NULL) == TLS_NONE);
    printf("# %d texts\n", n);
}

static void every_problem_has_a_short_name_and_a_hint(void)
{
    for (int p = TLS_UNTRUSTED; p <= TLS_HANDSHAKE; p++) {
        const char *name = tls_problem_name((enum tls_problem)p), *hint = tls_problem_hint((enum tls_problem)p);
        /* the name goes into the 64-byte feed state after "backoff in 60 s: TLS: " and " (WS)" */
        CHECK_MSG(name && *name && strlen(name) <= 36, "problem %d: name '%s'", p, name ? name : "(null)");
        CHECK_MSG(hint && strlen(hint) > 20, "problem %d: hint '%s'", p, hint ? hint : "(null)");
        for (int q = TLS_UNTRUSTED; q < p; q++)
            CHECK_MSG(strcmp(name, tls_problem_name((enum tls_problem)q)) != 0, "problems %d and %d share a name", p, q);
    }
    CHECK(strstr(tls_problem_hint(TLS_UNTRUSTED), "feed.ca_file") != NULL);
    CHECK(strstr(tls_problem_hint(TLS_EXPIRED), "clock") != NULL);
}

int main(void)
{
    RUN(names_the_libraries_texts);
    RUN(every_problem_has_a_short_name_and_a_hint);
    HARNESS_EXIT();
}
