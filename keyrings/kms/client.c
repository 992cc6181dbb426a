/* The KMS client: endpoint, credentials, body, signed headers per attempt, HTTP with
 * retries, and the answer mapped to a result or an ESDK_ERR_* code with the KMS error name. */
#include "keyrings/kms/client.h"

#include <stdio.h>
#include <string.h>

#include <aws-esdk-c/error.h>

#include "common/buf.h"
#include "common/mem.h"
#include "common/status.h"
#include "keyrings/kms/clock.h"
#include "keyrings/kms/credentials.h"
#include "keyrings/kms/endpoint.h"
#include "keyrings/kms/errors.h"
#include "keyrings/kms/http.h"
#include "keyrings/kms/sigv4.h"

/* last: poisons calls this library must not make */
#include "banned.h"

#define CONTENT_TYPE "application/x-amz-json-1.1"
#define SERVICE      "kms"

static const char *const op_names[] = {"GenerateDataKey", "Encrypt", "Decrypt"};

const char *esdk_kms_op_name(esdk_kms_op op)
{
    return (unsigned)op < 3 ? op_names[op] : "?";
}

void esdk_kms_result_release(esdk_kms_result *r)
{
    if (r) {
        esdk_buf_release(&r->plaintext);
        esdk_buf_release(&r->ciphertext);
        esdk_str_release(r->key_id);
        r->key_id = NULL;
    }
}

struct signer {
    const esdk_kms_credentials *creds;
    const char *host;
    const char *region;
    const char *target;
    const esdk_buf *body;
};

/* "Name: value" appended to a curl header list. */
static int add_header(struct curl_slist **list, const char *name, const char *value)
{
    const size_t n = strlen(name) + 2 + strlen(value) + 1;
    char *line = esdk_mem_acquire(n);
    if (!line) {
        return esdk_fail(ESDK_ERR_NO_MEMORY, "cannot build a KMS request");
    }
    snprintf(line, n, "%s: %s", name, value);
    struct curl_slist *l = curl_slist_append(*list, line);
    esdk_mem_release_secret(line, n); /* curl copied it; it may be a session token */
    if (!l) {
        return esdk_fail(ESDK_ERR_NO_MEMORY, "cannot build a KMS request");
    }
    *list = l;
    return 0;
}

static int sign_headers(void *ctx, struct curl_slist **list)
{
    const struct signer *s = ctx;
    char date[ESDK_SIGV4_DATE_LEN];
    esdk_sigv4_format_date(esdk_kms_now(), date);
    esdk_sigv4_header signed_headers[5] = {
        {"Content-Type", CONTENT_TYPE},
        {"Host", s->host},
        {"X-Amz-Date", date},
        {"X-Amz-Target", s->target},
        {"X-Amz-Security-Token", s->creds->session_token},
    };
    const size_t count = s->creds->session_token ? 5 : 4;
    esdk_sigv4_request req = {
        .method = "POST",
        .path = "/",
        .query = "",
        .headers = signed_headers,
        .header_count = count,
        .body = s->body->data,
        .body_len = s->body->len,
        .amz_date = date,
        .region = s->region,
        .service = SERVICE,
    };
    esdk_buf auth = ESDK_BUF_INIT;
    int rc;
    ESDK_TRY_GOTO(
        rc,
        esdk_sigv4_authorization(
            &req, s->creds->access_key_id, s->creds->secret_access_key, &auth, NULL));
    for (size_t i = 0; i < count; i++) {
        ESDK_TRY_GOTO(rc, add_header(list, signed_headers[i].name, signed_headers[i].value));
    }
    ESDK_TRY_GOTO(rc, add_header(list, "Authorization", (const char *)auth.data));
    /* no "Expect: 100-continue" round trip for bodies over 1 KiB */
    struct curl_slist *l = curl_slist_append(*list, "Expect:");
    if (!l) {
        rc = esdk_fail(ESDK_ERR_NO_MEMORY, "cannot build a KMS request");
        goto cleanup;
    }
    *list = l;
cleanup:
    esdk_buf_release(&auth);
    return rc;
}

/* Turn a non-200 answer into an error with the KMS error name in the detail. */
static int
fail_from_answer(esdk_kms_op op, const esdk_kms_call *call, const esdk_kms_http_response *resp)
{
    char name[128], message[200];
    esdk_kms_error_parse(resp, name, sizeof name, message, sizeof message);
    const int code = esdk_kms_error_code(resp->status, name);
    char retries[48] = "";
    if (resp->attempts > 1) {
        snprintf(retries, sizeof retries, " after %u attempts", (unsigned)resp->attempts);
    }
    return esdk_fail(
        code,
        "AWS KMS %s in %s for %.200s failed%s: HTTP %ld %s%s%s",
        esdk_kms_op_name(op),
        call->region,
        call->key_id,
        retries,
        resp->status,
        name[0] ? name : "(no error name)",
        message[0] ? ": " : "",
        message);
}

static int call_kms(
    esdk_kms_op op,
    const esdk_kms_call *call,
    size_t number_of_bytes,
    const uint8_t *data,
    size_t data_len,
    esdk_kms_result *out)
{
    ESDK_ENSURE(
        call && call->opts && call->key_id && call->region && call->partition && out,
        ESDK_ERR_BAD_ARGUMENT);
    esdk_kms_credentials creds = ESDK_KMS_CREDENTIALS_INIT;
    esdk_kms_http_response resp = {0};
    esdk_buf body = ESDK_BUF_INIT;
    char *url = NULL, *host = NULL;
    char target[64];
    int rc;
    snprintf(target, sizeof target, "TrentService.%s", esdk_kms_op_name(op));
    ESDK_TRY_GOTO(
        rc, esdk_kms_endpoint_resolve(call->opts->endpoint, call->region, call->partition, &url));
    ESDK_TRY_GOTO(rc, esdk_kms_endpoint_host(url, &host));
    ESDK_TRY_GOTO(rc, esdk_kms_json_request(op, call, number_of_bytes, data, data_len, &body));
    ESDK_TRY_GOTO(rc, esdk_kms_credentials_resolve(call->opts, &creds));
    const esdk_kms_http_cfg cfg = {
        .connect_timeout_ms = call->opts->connect_timeout_ms,
        .total_timeout_ms = call->opts->total_timeout_ms,
        .max_attempts = call->opts->max_attempts,
        .base_delay_ms = call->opts->base_delay_ms,
        .max_delay_ms = call->opts->max_delay_ms,
    };
    struct signer signer = {&creds, host, call->region, target, &body};
    rc = esdk_kms_http_post(&cfg, url, sign_headers, &signer, body.data, body.len, &resp);
    esdk_kms_credentials_clear(&creds);
    if (rc != 0) {
        goto cleanup;
    }
    if (resp.status != 200) {
        rc = fail_from_answer(op, call, &resp);
        goto cleanup;
    }
    rc = esdk_kms_json_response(op, resp.body.data, resp.body.len, out);
    if (rc != 0) {
        esdk_kms_result_release(out);
    }
cleanup:
    esdk_kms_credentials_clear(&creds);
    esdk_kms_http_response_release(&resp);
    esdk_buf_release(&body);
    esdk_str_release(url);
    esdk_str_release(host);
    return rc;
}

int esdk_kms_generate_data_key(
    const esdk_kms_call *call, size_t number_of_bytes, esdk_kms_result *out)
{
    ESDK_ENSURE(number_of_bytes >= 1 && number_of_bytes <= 1024, ESDK_ERR_BAD_ARGUMENT);
    return call_kms(ESDK_KMS_GENERATE_DATA_KEY, call, number_of_bytes, NULL, 0, out);
}

int esdk_kms_encrypt(
    const esdk_kms_call *call, const uint8_t *plaintext, size_t plaintext_len, esdk_kms_result *out)
{
    ESDK_ENSURE(plaintext && plaintext_len >= 1 && plaintext_len <= 4096, ESDK_ERR_BAD_ARGUMENT);
    return call_kms(ESDK_KMS_ENCRYPT, call, 0, plaintext, plaintext_len, out);
}

int esdk_kms_decrypt(
    const esdk_kms_call *call,
    const uint8_t *ciphertext_blob,
    size_t blob_len,
    esdk_kms_result *out)
{
    ESDK_ENSURE(ciphertext_blob && blob_len >= 1, ESDK_ERR_BAD_ARGUMENT);
    return call_kms(ESDK_KMS_DECRYPT, call, 0, ciphertext_blob, blob_len, out);
}
