/* Cache entry ids (spec-facts 4.3, scheme A). The ids never leave the process; using the
 * official SDKs' formula lets their known-answer tests check ours.
 *
 * Two extensions for request fields the official 2.x SDKs do not have (required context
 * keys on encrypt, a reproduced context on decrypt): they change the materials, so they must
 * change the id. When present they append one more SHA-512 digest; absent, the ids are
 * exactly the official ones. Encrypt ids hash 129, 131, 193 or 195 bytes, decrypt ids
 * 194 + 64 n or more, so no two forms hash the same input layout (the decrypt forms with n
 * and n + 1 EDKs differ in where the 64 zero bytes sit, which a SHA-512 output cannot
 * imitate). */
#include "cmm/cache_id.h"

#include <stdlib.h>

#include <aws-esdk-c/error.h>

#include "common/buf.h"
#include "common/mem.h"
#include "common/status.h"
#include "crypto/hash.h"
#include "format/context.h"
/* last: it poisons the calls this library must not make */
#include "banned.h"

#define H ESDK_CACHE_ID_LEN

int esdk_cache_id_partition(const uint8_t *partition, size_t len, uint8_t out[H])
{
    return esdk_hash_digest(ESDK_HASH_SHA512, partition, len, out);
}

/* Append SHA512(serialization of the context, or of its pairs named in keys). */
static int append_context_hash(
    esdk_buf *in, const esdk_enc_ctx *ctx, const char *const *keys, size_t key_count)
{
    esdk_buf ser = ESDK_BUF_INIT;
    uint8_t digest[H];
    int rc = keys ? esdk_enc_ctx_serialize_subset(ctx, keys, key_count, true, &ser)
                  : esdk_enc_ctx_serialize(ctx, &ser);
    if (!rc) {
        /* an empty context serializes to no bytes (and no storage) */
        static const uint8_t none[1];
        rc = esdk_hash_digest(ESDK_HASH_SHA512, ser.data ? ser.data : none, ser.len, digest);
    }
    if (!rc) {
        rc = esdk_buf_append(in, digest, H);
    }
    esdk_buf_release(&ser);
    return rc;
}

static int finish(esdk_buf *in, int rc, uint8_t id[H])
{
    if (!rc) {
        rc = esdk_hash_digest(ESDK_HASH_SHA512, in->data, in->len, id);
    }
    esdk_buf_release(in);
    return rc;
}

int esdk_cache_id_encrypt(
    const uint8_t partition[H],
    uint16_t suite_id,
    const esdk_enc_ctx *context,
    const char *const *required_keys,
    size_t required_count,
    uint8_t id[H])
{
    esdk_buf in = ESDK_BUF_INIT;
    int rc = esdk_buf_append(&in, partition, H);
    if (!rc) {
        rc = esdk_buf_append_u8(&in, suite_id ? 1 : 0);
    }
    if (!rc && suite_id) {
        rc = esdk_buf_append_be16(&in, suite_id);
    }
    if (!rc) {
        rc = append_context_hash(&in, context, NULL, 0);
    }
    if (!rc && required_count > 0) {
        rc = append_context_hash(&in, context, required_keys, required_count);
    }
    return finish(&in, rc, id);
}

static int hash_edk(const esdk_edk *e, esdk_buf *scratch, uint8_t digest[H])
{
    esdk_buf_clear(scratch);
    ESDK_TRY(esdk_buf_append_be16(scratch, (uint16_t)e->provider_id_len));
    ESDK_TRY(esdk_buf_append(scratch, e->provider_id, e->provider_id_len));
    ESDK_TRY(esdk_buf_append_be16(scratch, (uint16_t)e->provider_info_len));
    ESDK_TRY(esdk_buf_append(scratch, e->provider_info, e->provider_info_len));
    ESDK_TRY(esdk_buf_append_be16(scratch, (uint16_t)e->ciphertext_len));
    ESDK_TRY(esdk_buf_append(scratch, e->ciphertext, e->ciphertext_len));
    return esdk_hash_digest(ESDK_HASH_SHA512, scratch->data, scratch->len, digest);
}

static int compare_digests(const void *a, const void *b)
{
    return esdk_bytes_compare(a, H, b, H);
}

/* Append the EDKs' digests in unsigned byte order, so that the id ignores EDK order. */
static int append_sorted_edk_hashes(esdk_buf *in, const esdk_edk_list *edks)
{
    const size_t n = esdk_edk_list_count(edks);
    ESDK_TRY(esdk_buf_reserve(in, n * H));
    uint8_t *start = in->data + in->len;
    esdk_buf scratch = ESDK_BUF_INIT;
    int rc = 0;
    for (size_t i = 0; i < n && !rc; i++) {
        esdk_edk e;
        rc = esdk_edk_list_get(edks, i, &e);
        if (!rc) {
            rc = hash_edk(&e, &scratch, start + i * H);
        }
    }
    esdk_buf_release(&scratch);
    if (!rc) {
        qsort(start, n, H, compare_digests);
        in->len += n * H;
    }
    return rc;
}

int esdk_cache_id_decrypt(
    const uint8_t partition[H],
    uint16_t suite_id,
    const esdk_edk_list *edks,
    const esdk_enc_ctx *context,
    const esdk_enc_ctx *reproduced,
    uint8_t id[H])
{
    static const uint8_t zeros[H];
    esdk_buf in = ESDK_BUF_INIT;
    int rc = esdk_buf_append(&in, partition, H);
    if (!rc) {
        rc = esdk_buf_append_be16(&in, suite_id);
    }
    if (!rc) {
        rc = append_sorted_edk_hashes(&in, edks);
    }
    if (!rc) {
        rc = esdk_buf_append(&in, zeros, H);
    }
    if (!rc) {
        rc = append_context_hash(&in, context, NULL, 0);
    }
    if (!rc && reproduced && esdk_enc_ctx_count(reproduced) > 0) {
        rc = append_context_hash(&in, reproduced, NULL, 0);
    }
    return finish(&in, rc, id);
}
