/* AWS Signature Version 4, header form (kms-facts 5): canonical request, string to sign,
 * signing key, Authorization header. Pure functions of their inputs (the caller supplies the
 * date), so that they can be tested against the published examples. */
#ifndef ESDK_KMS_SIGV4_H
#define ESDK_KMS_SIGV4_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <aws-esdk-c/buffer.h>

#define ESDK_SIGV4_KEY_LEN 32
/* "YYYYMMDDTHHMMSSZ" and its NUL. */
#define ESDK_SIGV4_DATE_LEN 17

typedef struct esdk_sigv4_header {
    const char *name; /* any case: signed lower-cased */
    const char *value;
} esdk_sigv4_header;

typedef struct esdk_sigv4_request {
    const char *method; /* "POST" */
    const char *path;   /* "/" (already URI-encoded) */
    const char *query;  /* "" (already canonical) */
    /* Every header to sign; must include host and x-amz-date (and x-amz-security-token when
     * temporary credentials are used). Names must be unique (case-insensitively). */
    const esdk_sigv4_header *headers;
    size_t header_count;
    const uint8_t *body;
    size_t body_len;
    const char *amz_date; /* YYYYMMDDTHHMMSSZ, the X-Amz-Date value */
    const char *region;
    const char *service; /* "kms" */
} esdk_sigv4_request;

/* UTC time t as YYYYMMDDTHHMMSSZ. */
void esdk_sigv4_format_date(time_t t, char out[ESDK_SIGV4_DATE_LEN]);

/* The canonical request; signed_headers (may be NULL) gets the "a;b;c" list. */
int esdk_sigv4_canonical_request(
    const esdk_sigv4_request *req, esdk_buf *out, esdk_buf *signed_headers);
/* The string to sign for a canonical request. */
int esdk_sigv4_string_to_sign(
    const esdk_sigv4_request *req, const uint8_t *canonical, size_t canonical_len, esdk_buf *out);
/* kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date8), region), service), "aws4_request"). */
int esdk_sigv4_signing_key(
    const char *secret_access_key,
    const char *date8,
    const char *region,
    const char *service,
    uint8_t key[ESDK_SIGV4_KEY_LEN]);
/* The Authorization header value ("AWS4-HMAC-SHA256 Credential=..., SignedHeaders=...,
 * Signature=..."); signature (may be NULL) gets the 64 hex digits and a NUL. */
int esdk_sigv4_authorization(
    const esdk_sigv4_request *req,
    const char *access_key_id,
    const char *secret_access_key,
    esdk_buf *out,
    char signature[65]);

#endif
