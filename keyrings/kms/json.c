/* KMS request bodies and answers (JSON 1.1: blobs as padded standard base64 strings, maps as
 * objects). cJSON allocates with malloc and never wipes: every string that held key material
 * is wiped here before cJSON frees it. */
#include <cjson/cJSON.h>
#include <string.h>

#include <aws-esdk-c/error.h>

#include "common/buf.h"
#include "common/mem.h"
#include "common/status.h"
#include "crypto/base64.h"
#include "keyrings/kms/client.h"

/* last: poisons calls this library must not make */
#include "banned.h"

#define MAX_BODY ((size_t)1 << 20)

static void wipe_item(cJSON *item)
{
    if (item && item->valuestring) {
        esdk_wipe(item->valuestring, strlen(item->valuestring));
    }
}

static int add_context(cJSON *root, const esdk_enc_ctx *ctx)
{
    const size_t n = ctx ? esdk_enc_ctx_count(ctx) : 0;
    if (n == 0) {
        return 0;
    }
    cJSON *map = cJSON_AddObjectToObject(root, "EncryptionContext");
    if (!map) {
        return esdk_fail(ESDK_ERR_NO_MEMORY, "cannot build a KMS request");
    }
    for (size_t i = 0; i < n; i++) {
        const uint8_t *k, *v;
        size_t k_len, v_len;
        ESDK_TRY(esdk_enc_ctx_entry(ctx, i, &k, &k_len, &v, &v_len));
        if (memchr(k, 0, k_len) || memchr(v, 0, v_len)) {
            return esdk_fail(
                ESDK_ERR_BAD_CONTEXT,
                "an encryption context with a NUL character cannot go to AWS KMS");
        }
        char *key = esdk_str_copy_n(k, k_len);
        char *vs = esdk_str_copy_n(v, v_len);
        cJSON *value = (key && vs) ? cJSON_CreateString(vs) : NULL;
        const bool ok = value && cJSON_AddItemToObject(map, key, value);
        if (!ok) {
            cJSON_Delete(value);
        }
        esdk_str_release(key);
        esdk_str_release(vs);
        if (!ok) {
            return esdk_fail(ESDK_ERR_NO_MEMORY, "cannot build a KMS request");
        }
    }
    return 0;
}

static int add_base64(cJSON *root, const char *name, const uint8_t *data, size_t len, cJSON **item)
{
    esdk_buf text = ESDK_BUF_INIT;
    int rc;
    ESDK_TRY_GOTO(rc, esdk_base64_encode(data, len, &text));
    ESDK_TRY_GOTO(rc, esdk_buf_append_u8(&text, 0));
    *item = cJSON_AddStringToObject(root, name, (const char *)text.data);
    if (!*item) {
        rc = esdk_fail(ESDK_ERR_NO_MEMORY, "cannot build a KMS request");
    }
cleanup:
    esdk_buf_release(&text);
    return rc;
}

/* Print into our own (wiped) memory: cJSON's growing print buffer would free partial copies
 * of a data key without wiping them. */
static int print_into(const cJSON *root, esdk_buf *out)
{
    for (size_t cap = 4096; cap <= MAX_BODY; cap *= 2) {
        char *text = esdk_mem_acquire(cap);
        if (!text) {
            return esdk_fail(ESDK_ERR_NO_MEMORY, "cannot build a KMS request");
        }
        int rc = 1;
        if (cJSON_PrintPreallocated((cJSON *)root, text, (int)cap, false)) {
            rc = esdk_buf_append(out, text, strlen(text));
        }
        esdk_mem_release_secret(text, cap);
        if (rc <= 0) {
            return rc;
        }
    }
    return esdk_fail(ESDK_ERR_LIMIT_EXCEEDED, "a KMS request would exceed 1 MiB");
}

int esdk_kms_json_request(
    esdk_kms_op op,
    const esdk_kms_call *call,
    size_t number_of_bytes,
    const uint8_t *data,
    size_t data_len,
    esdk_buf *out)
{
    cJSON *root = cJSON_CreateObject();
    cJSON *secret = NULL;
    int rc = 0;
    if (!root || !cJSON_AddStringToObject(root, "KeyId", call->key_id)) {
        rc = esdk_fail(ESDK_ERR_NO_MEMORY, "cannot build a KMS request");
        goto cleanup;
    }
    ESDK_TRY_GOTO(rc, add_context(root, call->context));
    if (call->opts->grant_token_count) {
        cJSON *tokens = cJSON_AddArrayToObject(root, "GrantTokens");
        for (size_t i = 0; tokens && i < call->opts->grant_token_count; i++) {
            cJSON *t = cJSON_CreateString(call->opts->grant_tokens[i]);
            if (!t || !cJSON_AddItemToArray(tokens, t)) {
                cJSON_Delete(t);
                tokens = NULL;
            }
        }
        if (!tokens) {
            rc = esdk_fail(ESDK_ERR_NO_MEMORY, "cannot build a KMS request");
            goto cleanup;
        }
    }
    switch (op) {
        case ESDK_KMS_GENERATE_DATA_KEY:
            if (!cJSON_AddNumberToObject(root, "NumberOfBytes", (double)number_of_bytes)) {
                rc = esdk_fail(ESDK_ERR_NO_MEMORY, "cannot build a KMS request");
            }
            break;
        case ESDK_KMS_ENCRYPT:
            rc = add_base64(root, "Plaintext", data, data_len, &secret);
            break;
        case ESDK_KMS_DECRYPT:
            rc = add_base64(root, "CiphertextBlob", data, data_len, &secret);
            secret = NULL; /* not a secret */
            break;
    }
    if (rc != 0) {
        goto cleanup;
    }
    rc = print_into(root, out);
cleanup:
    wipe_item(secret);
    cJSON_Delete(root);
    return rc;
}

static int decode_member(cJSON *root, const char *name, esdk_buf *out, bool secret)
{
    cJSON *item = cJSON_GetObjectItemCaseSensitive(root, name);
    if (!cJSON_IsString(item) || !item->valuestring[0]) {
        return esdk_fail(ESDK_ERR_KEYRING, "the AWS KMS answer has no %s", name);
    }
    int rc = esdk_base64_decode(item->valuestring, strlen(item->valuestring), out);
    if (secret) {
        wipe_item(item);
    }
    return rc == 0 ? 0 : esdk_fail(ESDK_ERR_KEYRING, "the AWS KMS answer's %s is not base64", name);
}

int esdk_kms_json_response(esdk_kms_op op, const uint8_t *body, size_t len, esdk_kms_result *out)
{
    cJSON *root = cJSON_ParseWithLength((const char *)body, len);
    int rc = 0;
    if (!cJSON_IsObject(root)) {
        rc = esdk_fail(
            ESDK_ERR_KEYRING, "the AWS KMS %s answer is not a JSON object", esdk_kms_op_name(op));
        goto cleanup;
    }
    if (op != ESDK_KMS_ENCRYPT) {
        ESDK_TRY_GOTO(rc, decode_member(root, "Plaintext", &out->plaintext, true));
    }
    if (op != ESDK_KMS_DECRYPT) {
        ESDK_TRY_GOTO(rc, decode_member(root, "CiphertextBlob", &out->ciphertext, false));
    }
    const cJSON *key_id = cJSON_GetObjectItemCaseSensitive(root, "KeyId");
    if (!cJSON_IsString(key_id)) {
        rc =
            esdk_fail(ESDK_ERR_KEYRING, "the AWS KMS %s answer has no KeyId", esdk_kms_op_name(op));
        goto cleanup;
    }
    out->key_id = esdk_str_copy(key_id->valuestring);
    if (!out->key_id) {
        rc = esdk_fail(ESDK_ERR_NO_MEMORY, "cannot copy a key id");
    }
cleanup:
    if (root) {
        wipe_item(cJSON_GetObjectItemCaseSensitive(root, "Plaintext"));
    }
    cJSON_Delete(root);
    return rc;
}
