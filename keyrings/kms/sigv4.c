/* AWS Signature Version 4 (header form) with HMAC-SHA256 and SHA-256 from the crypto layer. */
#include "keyrings/kms/sigv4.h"

#include <stdbool.h>
#include <string.h>

#include <aws-esdk-c/error.h>

#include "common/buf.h"
#include "common/mem.h"
#include "common/status.h"
#include "crypto/hash.h"

/* last: poisons calls this library must not make */
#include "banned.h"

#define ALGORITHM   "AWS4-HMAC-SHA256"
#define TERMINATOR  "aws4_request"
#define MAX_HEADERS 32
#define SHA256_LEN  32

static char lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

/* Case-insensitive order of header names (lower-cased byte order). */
static int name_cmp(const char *a, const char *b)
{
    for (;; a++, b++) {
        const unsigned char x = (unsigned char)lower(*a), y = (unsigned char)lower(*b);
        if (x != y || x == 0) {
            return (int)x - (int)y;
        }
    }
}

static int append_str(esdk_buf *out, const char *s)
{
    return esdk_buf_append(out, s, strlen(s));
}

static int append_hex(esdk_buf *out, const uint8_t *p, size_t n)
{
    static const char digits[] = "0123456789abcdef";
    ESDK_TRY(esdk_buf_reserve(out, n * 2));
    for (size_t i = 0; i < n; i++) {
        out->data[out->len++] = (uint8_t)digits[p[i] >> 4];
        out->data[out->len++] = (uint8_t)digits[p[i] & 15];
    }
    return 0;
}

static int append_lower(esdk_buf *out, const char *s)
{
    for (; *s; s++) {
        ESDK_TRY(esdk_buf_append_u8(out, (uint8_t)lower(*s)));
    }
    return 0;
}

/* The value trimmed, with every run of spaces and tabs collapsed to one space. */
static int append_trimmed(esdk_buf *out, const char *v)
{
    bool pending_space = false, started = false;
    for (; *v; v++) {
        if (*v == ' ' || *v == '\t') {
            pending_space = started;
            continue;
        }
        if (pending_space) {
            ESDK_TRY(esdk_buf_append_u8(out, ' '));
            pending_space = false;
        }
        ESDK_TRY(esdk_buf_append_u8(out, (uint8_t)*v));
        started = true;
    }
    return 0;
}

static bool date_is_valid(const char *d)
{
    if (!d || strlen(d) != ESDK_SIGV4_DATE_LEN - 1 || d[8] != 'T' || d[15] != 'Z') {
        return false;
    }
    for (int i = 0; i < 15; i++) {
        if (i != 8 && (d[i] < '0' || d[i] > '9')) {
            return false;
        }
    }
    return true;
}

static int check_request(const esdk_sigv4_request *req)
{
    ESDK_ENSURE(
        req && req->method && req->path && req->query && req->region && req->service,
        ESDK_ERR_BAD_ARGUMENT);
    ESDK_ENSURE(
        req->headers && req->header_count > 0 && req->header_count <= MAX_HEADERS,
        ESDK_ERR_BAD_ARGUMENT);
    ESDK_ENSURE(req->body || req->body_len == 0, ESDK_ERR_BAD_ARGUMENT);
    if (!date_is_valid(req->amz_date)) {
        return esdk_fail(ESDK_ERR_BAD_ARGUMENT, "SigV4: the date must be YYYYMMDDTHHMMSSZ");
    }
    for (size_t i = 0; i < req->header_count; i++) {
        ESDK_ENSURE(
            req->headers[i].name && req->headers[i].name[0] && req->headers[i].value,
            ESDK_ERR_BAD_ARGUMENT);
    }
    return 0;
}

void esdk_sigv4_format_date(time_t t, char out[ESDK_SIGV4_DATE_LEN])
{
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, ESDK_SIGV4_DATE_LEN, "%Y%m%dT%H%M%SZ", &tm);
}

int esdk_sigv4_canonical_request(
    const esdk_sigv4_request *req, esdk_buf *out, esdk_buf *signed_headers)
{
    ESDK_TRY(check_request(req));
    size_t order[MAX_HEADERS];
    for (size_t i = 0; i < req->header_count; i++) {
        size_t j = i;
        for (; j > 0 && name_cmp(req->headers[order[j - 1]].name, req->headers[i].name) > 0; j--) {
            order[j] = order[j - 1];
        }
        order[j] = i;
    }
    for (size_t i = 1; i < req->header_count; i++) {
        if (name_cmp(req->headers[order[i - 1]].name, req->headers[order[i]].name) == 0) {
            return esdk_fail(
                ESDK_ERR_BAD_ARGUMENT,
                "SigV4: header %s is given twice",
                req->headers[order[i]].name);
        }
    }
    uint8_t body_hash[SHA256_LEN];
    ESDK_TRY(esdk_hash_digest(ESDK_HASH_SHA256, req->body, req->body_len, body_hash));
    esdk_buf names = ESDK_BUF_INIT;
    int rc;
    ESDK_TRY_GOTO(rc, append_str(out, req->method));
    ESDK_TRY_GOTO(rc, esdk_buf_append_u8(out, '\n'));
    ESDK_TRY_GOTO(rc, append_str(out, req->path));
    ESDK_TRY_GOTO(rc, esdk_buf_append_u8(out, '\n'));
    ESDK_TRY_GOTO(rc, append_str(out, req->query));
    ESDK_TRY_GOTO(rc, esdk_buf_append_u8(out, '\n'));
    for (size_t i = 0; i < req->header_count; i++) {
        const esdk_sigv4_header *h = &req->headers[order[i]];
        ESDK_TRY_GOTO(rc, append_lower(out, h->name));
        ESDK_TRY_GOTO(rc, esdk_buf_append_u8(out, ':'));
        ESDK_TRY_GOTO(rc, append_trimmed(out, h->value));
        ESDK_TRY_GOTO(rc, esdk_buf_append_u8(out, '\n'));
        if (i) {
            ESDK_TRY_GOTO(rc, esdk_buf_append_u8(&names, ';'));
        }
        ESDK_TRY_GOTO(rc, append_lower(&names, h->name));
    }
    ESDK_TRY_GOTO(rc, esdk_buf_append_u8(out, '\n'));
    ESDK_TRY_GOTO(rc, esdk_buf_append(out, names.data, names.len));
    ESDK_TRY_GOTO(rc, esdk_buf_append_u8(out, '\n'));
    ESDK_TRY_GOTO(rc, append_hex(out, body_hash, sizeof body_hash));
    if (signed_headers) {
        ESDK_TRY_GOTO(rc, esdk_buf_append(signed_headers, names.data, names.len));
    }
cleanup:
    esdk_buf_release(&names);
    return rc;
}

static int append_scope(esdk_buf *out, const esdk_sigv4_request *req)
{
    ESDK_TRY(esdk_buf_append(out, req->amz_date, 8));
    ESDK_TRY(esdk_buf_append_u8(out, '/'));
    ESDK_TRY(append_str(out, req->region));
    ESDK_TRY(esdk_buf_append_u8(out, '/'));
    ESDK_TRY(append_str(out, req->service));
    ESDK_TRY(esdk_buf_append_u8(out, '/'));
    return append_str(out, TERMINATOR);
}

int esdk_sigv4_string_to_sign(
    const esdk_sigv4_request *req, const uint8_t *canonical, size_t canonical_len, esdk_buf *out)
{
    ESDK_TRY(check_request(req));
    uint8_t hash[SHA256_LEN];
    ESDK_TRY(esdk_hash_digest(ESDK_HASH_SHA256, canonical, canonical_len, hash));
    ESDK_TRY(append_str(out, ALGORITHM "\n"));
    ESDK_TRY(append_str(out, req->amz_date));
    ESDK_TRY(esdk_buf_append_u8(out, '\n'));
    ESDK_TRY(append_scope(out, req));
    ESDK_TRY(esdk_buf_append_u8(out, '\n'));
    return append_hex(out, hash, sizeof hash);
}

static int hmac_str(const uint8_t *key, size_t key_len, const char *data, uint8_t *mac)
{
    return esdk_hmac(ESDK_HASH_SHA256, key, key_len, (const uint8_t *)data, strlen(data), mac);
}

int esdk_sigv4_signing_key(
    const char *secret_access_key,
    const char *date8,
    const char *region,
    const char *service,
    uint8_t key[ESDK_SIGV4_KEY_LEN])
{
    ESDK_ENSURE(secret_access_key && date8 && region && service && key, ESDK_ERR_BAD_ARGUMENT);
    esdk_buf secret = ESDK_BUF_INIT;
    uint8_t k[SHA256_LEN];
    int rc;
    ESDK_TRY_GOTO(rc, append_str(&secret, "AWS4"));
    ESDK_TRY_GOTO(rc, append_str(&secret, secret_access_key));
    ESDK_TRY_GOTO(rc, hmac_str(secret.data, secret.len, date8, k));
    ESDK_TRY_GOTO(rc, hmac_str(k, sizeof k, region, k));
    ESDK_TRY_GOTO(rc, hmac_str(k, sizeof k, service, k));
    ESDK_TRY_GOTO(rc, hmac_str(k, sizeof k, TERMINATOR, key));
cleanup:
    esdk_buf_release(&secret); /* wipes */
    esdk_wipe(k, sizeof k);
    return rc;
}

int esdk_sigv4_authorization(
    const esdk_sigv4_request *req,
    const char *access_key_id,
    const char *secret_access_key,
    esdk_buf *out,
    char signature[65])
{
    ESDK_ENSURE(
        access_key_id && access_key_id[0] && secret_access_key && out, ESDK_ERR_BAD_ARGUMENT);
    esdk_buf canonical = ESDK_BUF_INIT, names = ESDK_BUF_INIT, sts = ESDK_BUF_INIT;
    esdk_buf hex = ESDK_BUF_INIT;
    char date8[9];
    uint8_t key[ESDK_SIGV4_KEY_LEN], sig[SHA256_LEN];
    int rc;
    ESDK_TRY_GOTO(rc, esdk_sigv4_canonical_request(req, &canonical, &names));
    ESDK_TRY_GOTO(rc, esdk_sigv4_string_to_sign(req, canonical.data, canonical.len, &sts));
    memcpy(date8, req->amz_date, 8);
    date8[8] = '\0';
    ESDK_TRY_GOTO(
        rc, esdk_sigv4_signing_key(secret_access_key, date8, req->region, req->service, key));
    ESDK_TRY_GOTO(rc, esdk_hmac(ESDK_HASH_SHA256, key, sizeof key, sts.data, sts.len, sig));
    ESDK_TRY_GOTO(rc, append_hex(&hex, sig, sizeof sig));
    ESDK_TRY_GOTO(rc, append_str(out, ALGORITHM " Credential="));
    ESDK_TRY_GOTO(rc, append_str(out, access_key_id));
    ESDK_TRY_GOTO(rc, esdk_buf_append_u8(out, '/'));
    ESDK_TRY_GOTO(rc, append_scope(out, req));
    ESDK_TRY_GOTO(rc, append_str(out, ", SignedHeaders="));
    ESDK_TRY_GOTO(rc, esdk_buf_append(out, names.data, names.len));
    ESDK_TRY_GOTO(rc, append_str(out, ", Signature="));
    ESDK_TRY_GOTO(rc, esdk_buf_append(out, hex.data, hex.len));
    ESDK_TRY_GOTO(rc, esdk_buf_append_u8(out, '\0'));
    out->len--; /* NUL-terminated for callers that want a C string */
    if (signature) {
        memcpy(signature, hex.data, 64);
        signature[64] = '\0';
    }
cleanup:
    esdk_buf_release(&canonical);
    esdk_buf_release(&names);
    esdk_buf_release(&sts);
    esdk_buf_release(&hex);
    esdk_wipe(key, sizeof key);
    return rc;
}
