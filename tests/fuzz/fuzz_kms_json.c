/* libFuzzer: what the AWS KMS keyrings read from the network or from a message: the JSON
 * answers of GenerateDataKey, Encrypt and Decrypt (keyrings/kms/client.h), error answers
 * (keyrings/kms/errors.h), and key ARNs (keyrings/kms/arn.h; an EDK's provider info is one).
 * The first input byte picks the reader, the rest is its input. Invariants: an answer is
 * parsed or refused with ESDK_ERR_KEYRING; a parsed answer has a KeyId (a blob member that
 * decodes to no bytes, e.g. "  ", is accepted by the parser today: the keyrings check the
 * data key's length, and an empty CiphertextBlob is reported to the KMS keyring's owner);
 * error names and messages come back NUL-terminated, within their capacity and printable;
 * an ARN that parses has its six parts inside the input. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <aws-esdk-c/esdk.h>

#include "common/buf.h"
#include "keyrings/kms/arn.h"
#include "keyrings/kms/client.h"
#include "keyrings/kms/errors.h"

static void answer(esdk_kms_op op, const uint8_t *data, size_t size)
{
    esdk_kms_result r = ESDK_KMS_RESULT_INIT;
    int rc = esdk_kms_json_response(op, data, size, &r);
    if (rc == 0) {
        if (!r.key_id) {
            abort();
        }
    } else if (rc != ESDK_ERR_KEYRING && rc != ESDK_ERR_NO_MEMORY) {
        abort();
    }
    esdk_kms_result_release(&r);
}

static bool inside(esdk_kms_span s, const char *base, size_t len)
{
    return s.ptr >= base && s.ptr + s.len <= base + len;
}

static void error_answer(const uint8_t *data, size_t size)
{
    esdk_kms_http_response resp;
    memset(&resp, 0, sizeof resp);
    resp.status = 400;
    /* the x-amzn-ErrorType header from the first bytes (up to a NUL), the body after it */
    const uint8_t *nul =
        memchr(data, 0, size < sizeof resp.error_type ? size : sizeof resp.error_type);
    if (nul) {
        memcpy(resp.error_type, data, (size_t)(nul - data) + 1);
        size -= (size_t)(nul - data) + 1;
        data = nul + 1;
    }
    if (esdk_buf_append(&resp.body, data, size) != 0) {
        abort();
    }
    char name[64], message[128];
    memset(name, 'x', sizeof name);
    memset(message, 'x', sizeof message);
    esdk_kms_error_parse(&resp, name, sizeof name, message, sizeof message);
    if (!memchr(name, 0, sizeof name) || !memchr(message, 0, sizeof message)) {
        abort();
    }
    for (const char *p = name; *p; p++) {
        if (*p < 0x20 || *p > 0x7e) {
            abort(); /* reduced to printable ASCII */
        }
    }
    for (const char *p = message; *p; p++) {
        if (*p < 0x20 || *p > 0x7e) {
            abort();
        }
    }
    (void)esdk_kms_error_code(resp.status, name);
    esdk_buf_release(&resp.body);
}

static void arn(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    esdk_kms_arn a;
    if (esdk_kms_arn_parse(s, size, &a)) {
        if (!inside(a.partition, s, size) || !inside(a.service, s, size) ||
            !inside(a.region, s, size) || !inside(a.account, s, size) ||
            !inside(a.resource_type, s, size) || !inside(a.resource_id, s, size)) {
            abort();
        }
        (void)esdk_kms_arn_is_mrk(&a);
    }
    (void)esdk_kms_id_is_mrk(s, size);
    /* MRK match of the input's two halves, and of the input with itself */
    if (!esdk_kms_mrk_match_n(s, size, s, size)) {
        abort(); /* identical identifiers always match */
    }
    (void)esdk_kms_mrk_match_n(s, size / 2, s + size / 2, size - size / 2);
    (void)esdk_kms_name_is_safe(s, size);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) {
        return 0;
    }
    const unsigned which = data[0] % 5;
    data++;
    size--;
    switch (which) {
        case 0:
            answer(ESDK_KMS_GENERATE_DATA_KEY, data, size);
            break;
        case 1:
            answer(ESDK_KMS_ENCRYPT, data, size);
            break;
        case 2:
            answer(ESDK_KMS_DECRYPT, data, size);
            break;
        case 3:
            error_answer(data, size);
            break;
        default:
            arn(data, size);
            break;
    }
    return 0;
}
