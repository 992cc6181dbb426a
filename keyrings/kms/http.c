/* One POST with retries. Each attempt is a fresh easy handle with its own freshly signed
 * headers; only throttling and 5xx answers are retried, after a full-jitter delay. */
#include "keyrings/kms/http.h"

#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <aws-esdk-c/error.h>

#include "common/buf.h"
#include "common/mem.h"
#include "common/status.h"
#include "crypto/random.h"
#include "keyrings/kms/errors.h"

/* last: poisons calls this library must not make */
#include "banned.h"

#define MAX_RESPONSE (1u << 20)
#ifndef ESDK_VERSION_STRING
#    define ESDK_VERSION_STRING "0"
#endif

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static CURLcode curl_init_rc = CURLE_FAILED_INIT;

static void curl_init(void)
{
    curl_init_rc = curl_global_init(CURL_GLOBAL_DEFAULT);
}

void esdk_kms_slist_free_wiped(struct curl_slist *list)
{
    for (struct curl_slist *l = list; l; l = l->next) {
        if (l->data) {
            esdk_wipe(l->data, strlen(l->data));
        }
    }
    curl_slist_free_all(list);
}

void esdk_kms_http_response_release(esdk_kms_http_response *r)
{
    if (r) {
        esdk_buf_release(&r->body);
        r->error_type[0] = '\0';
        r->status = 0;
    }
}

bool esdk_kms_http_retryable(long status, const char *name)
{
    static const char *const throttles[] = {
        "ThrottlingException", "TooManyRequestsException", "RequestLimitExceeded", "Throttling"};
    if (status == 429 || status >= 500) {
        return true;
    }
    for (size_t i = 0; name && i < sizeof throttles / sizeof throttles[0]; i++) {
        if (strcmp(name, throttles[i]) == 0) {
            return true;
        }
    }
    return false;
}

uint32_t esdk_kms_backoff_ms(uint32_t retry, uint32_t base_ms, uint32_t cap_ms, uint32_t random)
{
    uint64_t ceiling = base_ms;
    for (uint32_t i = 1; i < retry && ceiling < cap_ms; i++) {
        ceiling *= 2;
    }
    if (ceiling > cap_ms) {
        ceiling = cap_ms;
    }
    return (uint32_t)(random % (ceiling + 1));
}

static void sleep_ms(uint32_t ms)
{
    struct timespec ts = {(time_t)(ms / 1000), (long)(ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

struct sink {
    esdk_kms_http_response *resp;
    bool too_large;
    int alloc_rc;
};

static size_t on_body(char *data, size_t size, size_t nmemb, void *userdata)
{
    struct sink *s = userdata;
    const size_t n = size * nmemb;
    if (s->resp->body.len + n > MAX_RESPONSE) {
        s->too_large = true;
        return 0;
    }
    if ((s->alloc_rc = esdk_buf_append(&s->resp->body, data, n)) != 0) {
        return 0;
    }
    return n;
}

static size_t on_header(char *data, size_t size, size_t nmemb, void *userdata)
{
    struct sink *s = userdata;
    const size_t n = size * nmemb;
    static const char name[] = "x-amzn-errortype:";
    const size_t name_len = sizeof name - 1;
    if (n > name_len && strncasecmp(data, name, name_len) == 0) {
        size_t start = name_len, end = n;
        while (start < end && (data[start] == ' ' || data[start] == '\t')) {
            start++;
        }
        while (end > start &&
               (data[end - 1] == '\r' || data[end - 1] == '\n' || data[end - 1] == ' ')) {
            end--;
        }
        size_t len = end - start;
        if (len >= sizeof s->resp->error_type) {
            len = sizeof s->resp->error_type - 1;
        }
        memcpy(s->resp->error_type, data + start, len);
        s->resp->error_type[len] = '\0';
    }
    return n;
}

/* One request. 0 with resp filled, or ESDK_ERR_UNAVAILABLE / another code. */
static int attempt(
    const esdk_kms_http_cfg *cfg,
    const char *url,
    struct curl_slist *headers,
    const uint8_t *body,
    size_t body_len,
    esdk_kms_http_response *resp)
{
    CURL *h = curl_easy_init();
    if (!h) {
        return esdk_fail(ESDK_ERR_NO_MEMORY, "cannot create an HTTP handle");
    }
    char err[CURL_ERROR_SIZE] = "";
    struct sink sink = {resp, false, 0};
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
#if LIBCURL_VERSION_NUM >= 0x075500
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
#endif
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
    /* HTTP/1.1, as the AWS SDKs talk to KMS: the signed Host is then the Host header sent */
    curl_easy_setopt(h, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_1_1);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, (long)cfg->connect_timeout_ms);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, (long)cfg->total_timeout_ms);
    curl_easy_setopt(h, CURLOPT_POST, 1L);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, (const char *)body);
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)body_len);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(h, CURLOPT_USERAGENT, "aws-esdk-c/" ESDK_VERSION_STRING);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &sink);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, &sink);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, err);
    const CURLcode cc = curl_easy_perform(h);
    int rc = 0;
    if (cc == CURLE_OK) {
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &resp->status);
    } else if (sink.alloc_rc) {
        rc = sink.alloc_rc;
    } else if (sink.too_large) {
        rc = esdk_fail(ESDK_ERR_KEYRING, "the KMS answer from %s is larger than 1 MiB", url);
    } else {
        rc = esdk_fail(
            ESDK_ERR_UNAVAILABLE,
            "cannot reach AWS KMS at %s: %s",
            url,
            err[0] ? err : curl_easy_strerror(cc));
    }
    curl_easy_cleanup(h);
    return rc;
}

int esdk_kms_http_post(
    const esdk_kms_http_cfg *cfg,
    const char *url,
    esdk_kms_headers_fn headers_fn,
    void *headers_ctx,
    const uint8_t *body,
    size_t body_len,
    esdk_kms_http_response *resp)
{
    pthread_once(&curl_once, curl_init);
    if (curl_init_rc != CURLE_OK) {
        return esdk_fail(ESDK_ERR_UNAVAILABLE, "libcurl cannot be initialized");
    }
    const uint32_t attempts = cfg->max_attempts ? cfg->max_attempts : 1;
    int rc = 0;
    resp->attempts = 0;
    for (uint32_t i = 0; i < attempts; i++) {
        if (i > 0) {
            uint32_t random = 0;
            ESDK_TRY(esdk_random_bytes((uint8_t *)&random, sizeof random));
            sleep_ms(esdk_kms_backoff_ms(i, cfg->base_delay_ms, cfg->max_delay_ms, random));
        }
        esdk_kms_http_response_release(resp);
        struct curl_slist *headers = NULL;
        rc = headers_fn(headers_ctx, &headers);
        if (rc == 0) {
            resp->attempts++;
            rc = attempt(cfg, url, headers, body, body_len, resp);
        }
        esdk_kms_slist_free_wiped(headers);
        if (rc != 0) {
            return rc; /* transport failures are not retried: fail fast */
        }
        if (resp->status == 200) {
            break; /* never parse a success here: it may carry a data key */
        }
        char name[128], message[8];
        esdk_kms_error_parse(resp, name, sizeof name, message, sizeof message);
        if (!esdk_kms_http_retryable(resp->status, name)) {
            break;
        }
    }
    return 0;
}
