/* Naming TLS failures. The texts matched are the libraries' own (OpenSSL's
 * verify strings, which libcurl quotes after "SSL certificate problem:", and
 * libcurl's and libwebsockets' handshake messages); the order matters, since a
 * generic "certificate verify failed" also accompanies the specific reasons. */
#include "alphapulse/tls_problem.h"

#include <stddef.h>
#include <string.h>

static const struct { const char *text; enum tls_problem p; } RULES[] = {
    { "certificate has expired", TLS_EXPIRED },
    { "not yet valid", TLS_NOT_YET_VALID },
    { "certificate revoked", TLS_REVOKED },
    { "hostname mismatch", TLS_WRONG_HOST },
    { "ip address mismatch", TLS_WRONG_HOST },
    { "no alternative certificate subject name", TLS_WRONG_HOST },
    { "does not match target host", TLS_WRONG_HOST },
    { "certificate subject name", TLS_WRONG_HOST },
    { "setting certificate file", TLS_CA_FILE },
    { "certificate verify locations", TLS_CA_FILE },
    { "unable to load ssl client certs", TLS_CA_FILE },
    { "unable to get local issuer", TLS_UNTRUSTED },
    { "unable to get issuer", TLS_UNTRUSTED },
    { "self-signed", TLS_UNTRUSTED },
    { "self signed", TLS_UNTRUSTED },
    { "unable to verify the first certificate", TLS_UNTRUSTED },
    { "invalid ca certificate", TLS_UNTRUSTED },
    { "certificate signature failure", TLS_UNTRUSTED },
    { "certificate chain too long", TLS_UNTRUSTED },
    { "certificate verify failed", TLS_UNTRUSTED },
    { "ssl certificate problem", TLS_UNTRUSTED },
    { "ssl peer certificate", TLS_UNTRUSTED },
    { "cert didn't look good", TLS_UNTRUSTED },
    { "wrong version number", TLS_HANDSHAKE },
    { "ssl", TLS_HANDSHAKE },
    { "tls", TLS_HANDSHAKE },
};

enum tls_problem tls_problem_of(const char *detail)
{
    if (!detail)
        return TLS_NONE;
    for (size_t i = 0; i < sizeof RULES / sizeof RULES[0]; i++)
        if (strcasestr(detail, RULES[i].text))
            return RULES[i].p;
    return TLS_NONE;
}

const char *tls_problem_name(enum tls_problem p)
{
    switch (p) {
    case TLS_UNTRUSTED: return "certificate not trusted";
    case TLS_WRONG_HOST: return "certificate for another host";
    case TLS_EXPIRED: return "certificate expired";
    case TLS_NOT_YET_VALID: return "certificate not yet valid";
    case TLS_REVOKED: return "certificate revoked";
    case TLS_CA_FILE: return "feed.ca_file unusable";
    case TLS_HANDSHAKE: return "handshake failed";
    default: return "no TLS problem";
    }
}

const char *tls_problem_hint(enum tls_problem p)
{
    switch (p) {
    case TLS_UNTRUSTED:
        return "the server's certificate does not lead to a CA we trust; behind a proxy or firewall that "
               "inspects TLS, set feed.ca_file to a PEM file of its CA certificate";
    case TLS_WRONG_HOST:
        return "the certificate was issued for another name than the one in the URL; check the venue's "
               "rest_url and ws_url (venues.NAME.*), or something else (a proxy, a captive portal) is answering";
    case TLS_EXPIRED: case TLS_NOT_YET_VALID:
        return "check this machine's clock; if it is right, the server (or a proxy) shows an outdated certificate";
    case TLS_REVOKED:
        return "the certificate was revoked by its issuer; do not trust this server";
    case TLS_CA_FILE:
        return "feed.ca_file could not be loaded as PEM CA certificates";
    case TLS_HANDSHAKE:
        return "no TLS session could be set up; check that the URL is https:// or wss:// on a TLS port, "
               "and any proxy in between";
    default:
        return "";
    }
}
