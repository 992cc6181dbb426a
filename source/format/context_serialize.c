/* Encryption context to and from its wire form (spec-facts 1.3). */
#include <string.h>

#include <aws-esdk-c/error.h>

#include "common/buf.h"
#include "common/mem.h"
#include "common/status.h"
#include "format/context.h"

/* last: poisons calls this library must not make */
#include "banned.h"

#define MAX_SERIALIZED 65535u

static bool key_listed(const uint8_t *key, size_t key_len, const char *const *keys, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (esdk_bytes_equal(key, key_len, keys[i], strlen(keys[i]))) {
            return true;
        }
    }
    return false;
}

int esdk_enc_ctx_serialize_subset(
    const esdk_enc_ctx *ctx, const char *const *keys, size_t key_count, bool include, esdk_buf *out)
{
    size_t count = 0;
    size_t size = 2;
    size_t n = esdk_enc_ctx_count(ctx);
    for (size_t i = 0; i < n; i++) {
        const uint8_t *k, *v;
        size_t kl, vl;
        ESDK_TRY(esdk_enc_ctx_entry(ctx, i, &k, &kl, &v, &vl));
        if (key_listed(k, kl, keys, key_count) == include) {
            count++;
            size += 4 + kl + vl;
        }
    }
    if (count == 0) {
        return 0;
    }
    if (size > MAX_SERIALIZED || count > 0xFFFF) {
        return esdk_fail(ESDK_ERR_BAD_CONTEXT, "serialized context exceeds 65535 bytes");
    }
    ESDK_TRY(esdk_buf_reserve(out, size));
    ESDK_TRY(esdk_buf_append_be16(out, (uint16_t)count));
    for (size_t i = 0; i < n; i++) {
        const uint8_t *k, *v;
        size_t kl, vl;
        ESDK_TRY(esdk_enc_ctx_entry(ctx, i, &k, &kl, &v, &vl));
        if (key_listed(k, kl, keys, key_count) == include) {
            ESDK_TRY(esdk_buf_append_be16(out, (uint16_t)kl));
            ESDK_TRY(esdk_buf_append(out, k, kl));
            ESDK_TRY(esdk_buf_append_be16(out, (uint16_t)vl));
            ESDK_TRY(esdk_buf_append(out, v, vl));
        }
    }
    return 0;
}

int esdk_enc_ctx_serialize(const esdk_enc_ctx *ctx, esdk_buf *out)
{
    return esdk_enc_ctx_serialize_subset(ctx, NULL, 0, false, out);
}

static int parse_pairs(esdk_cur *c, uint16_t count, esdk_enc_ctx *ctx)
{
    for (uint16_t i = 0; i < count; i++) {
        esdk_cur k, v;
        if (!esdk_cur_take_be16_prefixed(c, &k) || !esdk_cur_take_be16_prefixed(c, &v)) {
            return esdk_fail(
                ESDK_ERR_BAD_CIPHERTEXT, "encryption context field overruns its length");
        }
        if (esdk_enc_ctx_get(ctx, k.ptr, k.len, &(const uint8_t *){NULL}, &(size_t){0}) == 0) {
            return esdk_fail(ESDK_ERR_BAD_CIPHERTEXT, "duplicate key in the encryption context");
        }
        int rc = esdk_enc_ctx_set(ctx, k.ptr, k.len, v.ptr, v.len);
        if (rc == ESDK_ERR_BAD_CONTEXT) {
            return esdk_fail(ESDK_ERR_BAD_CIPHERTEXT, "encryption context is not valid UTF-8");
        }
        ESDK_TRY(rc);
    }
    return 0;
}

int esdk_enc_ctx_parse(esdk_cur aad, esdk_enc_ctx **out)
{
    esdk_enc_ctx *ctx = NULL;
    ESDK_TRY(esdk_enc_ctx_new(&ctx));
    int rc = 0;
    if (aad.len > 0) {
        uint16_t count;
        if (!esdk_cur_read_be16(&aad, &count) || count == 0) {
            rc = esdk_fail(ESDK_ERR_BAD_CIPHERTEXT, "encryption context has no pairs");
        } else {
            rc = parse_pairs(&aad, count, ctx);
        }
        if (!rc && aad.len != 0) {
            rc = esdk_fail(ESDK_ERR_BAD_CIPHERTEXT, "bytes left over in the encryption context");
        }
    }
    if (rc) {
        esdk_enc_ctx_release(ctx);
        return rc;
    }
    *out = ctx;
    return 0;
}
