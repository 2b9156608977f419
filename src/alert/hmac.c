/* Signing outbound webhooks: HMAC-SHA256 of the body, hex, from OpenSSL's
 * libcrypto (already linked for TLS), so no hash code of our own to get wrong. */
#include "alphapulse/alert.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>
#include <string.h>

void alert_sha256(const void *msg, size_t len, uint8_t out[32])
{
    SHA256(msg, len, out);
}

void alert_hmac_sha256_hex(const void *key, size_t key_len, const void *msg, size_t msg_len, char out[65])
{
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    static const char hex[] = "0123456789abcdef";
    /* an empty key is legal for HMAC; OpenSSL wants a non-NULL pointer for it */
    if (!HMAC(EVP_sha256(), key_len ? key : "", (int)key_len, msg, msg_len, mac, &n) || n != 32) {
        memset(out, '0', 64);          /* never reached with SHA-256; a wrong signature fails closed */
        out[64] = 0;
        return;
    }
    for (int i = 0; i < 32; i++) {
        out[2 * i] = hex[mac[i] >> 4];
        out[2 * i + 1] = hex[mac[i] & 15];
    }
    out[64] = 0;
}
