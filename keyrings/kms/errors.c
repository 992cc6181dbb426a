/* KMS error answers: names and their mapping (kms-facts 4). */
#include "keyrings/kms/errors.h"

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <string.h>

#include <aws-esdk-c/error.h>

/* last: poisons calls this library must not make */
#include "banned.h"

/* Copy src[0..len) as printable ASCII (others become '?'), truncated to cap - 1. */
static void copy_clean(char *dst, size_t cap, const char *src, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len && n + 1 < cap; i++) {
        const unsigned char c = (unsigned char)src[i];
        dst[n++] = (c >= 0x20 && c < 0x7f) ? (char)c : '?';
    }
    if (cap) {
        dst[n] = '\0';
    }
}

/* "aws.protocoltests#FooError:http://..." -> "FooError". */
static void sanitize_name(char *dst, size_t cap, const char *raw)
{
    const char *hash = strchr(raw, '#');
    const char *start = hash ? hash + 1 : raw;
    const char *colon = strchr(start, ':');
    size_t len = colon ? (size_t)(colon - start) : strlen(start);
    while (len && (start[0] == ' ' || start[0] == '\t')) {
        start++;
        len--;
    }
    while (len && (start[len - 1] == ' ' || start[len - 1] == '\t' || start[len - 1] == '\r')) {
        len--;
    }
    copy_clean(dst, cap, start, len);
}

static const char *json_str(const cJSON *obj, const char *a, const char *b)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, a);
    if (!cJSON_IsString(v) && b) {
        v = cJSON_GetObjectItemCaseSensitive(obj, b);
    }
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

void esdk_kms_error_parse(
    const esdk_kms_http_response *r, char *name, size_t name_cap, char *message, size_t message_cap)
{
    name[0] = '\0';
    message[0] = '\0';
    cJSON *json = NULL;
    if (r->body.len) {
        json = cJSON_ParseWithLength((const char *)r->body.data, r->body.len);
    }
    const char *raw = r->error_type[0] ? r->error_type : NULL;
    if (!raw && json) {
        raw = json_str(json, "__type", "code");
    }
    if (raw) {
        sanitize_name(name, name_cap, raw);
    }
    const char *msg = json ? json_str(json, "message", "Message") : NULL;
    if (msg) {
        copy_clean(message, message_cap, msg, strlen(msg));
    }
    cJSON_Delete(json);
}

static bool in(const char *name, const char *const *list)
{
    for (; *list; list++) {
        if (strcmp(name, *list) == 0) {
            return true;
        }
    }
    return false;
}

int esdk_kms_error_code(long status, const char *name)
{
    static const char *const denied[] = {
        "AccessDeniedException",
        "UnrecognizedClientException",
        "InvalidSignatureException",
        "ExpiredTokenException",
        "IncompleteSignatureException",
        "MissingAuthenticationTokenException",
        "InvalidClientTokenId",
        "SignatureDoesNotMatch",
        NULL,
    };
    static const char *const unavailable[] = {
        "ThrottlingException",
        "TooManyRequestsException",
        "RequestLimitExceeded",
        "Throttling",
        "KMSInternalException",
        "DependencyTimeoutException",
        "KeyUnavailableException",
        "ServiceUnavailableException",
        NULL,
    };
    if (in(name, denied) || status == 401 || status == 403) {
        return ESDK_ERR_ACCESS_DENIED;
    }
    if (in(name, unavailable) || status == 429 || status >= 500) {
        return ESDK_ERR_UNAVAILABLE;
    }
    /* NotFound, Disabled, KMSInvalidState, IncorrectKey, InvalidCiphertext, InvalidKeyUsage,
     * InvalidGrantToken, Validation, and anything else KMS says about the key or the request */
    return ESDK_ERR_KEYRING;
}
