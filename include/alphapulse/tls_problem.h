/* What a refused TLS connection means for the user: libcurl, OpenSSL and
 * libwebsockets each describe the same failure in their own words; this names
 * it once ("certificate not trusted") and says what to check, for the header
 * line, the health screen and the log. */
#ifndef ALPHAPULSE_TLS_PROBLEM_H
#define ALPHAPULSE_TLS_PROBLEM_H

enum tls_problem {
    TLS_NONE,            /* the text is not about TLS */
    TLS_UNTRUSTED,       /* the chain does not end at a trusted CA (self-signed, proxy, private CA) */
    TLS_WRONG_HOST,      /* a valid certificate, issued for another name */
    TLS_EXPIRED,
    TLS_NOT_YET_VALID,
    TLS_REVOKED,
    TLS_CA_FILE,         /* our own CA file could not be used */
    TLS_HANDSHAKE,       /* anything else in the handshake (not TLS at all, protocol, cipher) */
};

/* Classifies an error text from libcurl (its error buffer), OpenSSL
 * (X509_verify_cert_error_string) or libwebsockets. */
enum tls_problem tls_problem_of(const char *detail);
/* A few words for a status line: "certificate not trusted". */
const char *tls_problem_name(enum tls_problem p);
/* One sentence on what to check. */
const char *tls_problem_hint(enum tls_problem p);

#endif
