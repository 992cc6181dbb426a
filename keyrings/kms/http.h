/* HTTP POST through libcurl for the KMS client: timeouts, a bounded number of attempts, and
 * retries with exponential backoff and full jitter for throttling and 5xx answers only. */
#ifndef ESDK_KMS_HTTP_H
#define ESDK_KMS_HTTP_H

#include <curl/curl.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <aws-esdk-c/buffer.h>

typedef struct esdk_kms_http_cfg {
    uint32_t connect_timeout_ms;
    uint32_t total_timeout_ms; /* per attempt */
    uint32_t max_attempts;
    uint32_t base_delay_ms;
    uint32_t max_delay_ms;
} esdk_kms_http_cfg;

typedef struct esdk_kms_http_response {
    long status;
    esdk_buf body;        /* may hold a data key: wiped on release */
    char error_type[128]; /* the x-amzn-ErrorType header, "" if none */
    uint32_t attempts;    /* how many requests were sent */
} esdk_kms_http_response;

/* Builds the request headers of one attempt (signed at that moment) into *headers. */
typedef int (*esdk_kms_headers_fn)(void *ctx, struct curl_slist **headers);

/* POST body to url. 0: an HTTP answer arrived (resp->status may be any code, also a
 * retryable one after the last attempt); ESDK_ERR_UNAVAILABLE: no answer (cannot connect or
 * resolve, timeout, TLS failure); other codes from headers_fn or allocation. */
int esdk_kms_http_post(
    const esdk_kms_http_cfg *cfg,
    const char *url,
    esdk_kms_headers_fn headers_fn,
    void *headers_ctx,
    const uint8_t *body,
    size_t body_len,
    esdk_kms_http_response *resp);
void esdk_kms_http_response_release(esdk_kms_http_response *resp);

/* Whether an answer is retried: HTTP 429, any 5xx, or a throttling error name. */
bool esdk_kms_http_retryable(long status, const char *error_name);
/* Full jitter: random mod (min(cap, base * 2^(retry-1)) + 1), for retry = 1, 2, ... */
uint32_t esdk_kms_backoff_ms(uint32_t retry, uint32_t base_ms, uint32_t cap_ms, uint32_t random);
/* Wipe every string of a header list (it may hold a session token), then free it. */
void esdk_kms_slist_free_wiped(struct curl_slist *list);

#endif
