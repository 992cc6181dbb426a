/* SP 800-108 counter-mode KDF over mbedTLS's incremental HMAC (see kdf_ctr.h): the label
 * (which may hold a whole encryption context) is fed in place, never copied. */
#include "crypto/kdf_ctr.h"

#include <string.h>

#include <mbedtls/md.h>

#include <aws-esdk-c/error.h>

#include "common/buf.h"
#include "common/mem.h"
#include "common/status.h"

/* last: poisons calls this library must not make */
#include "banned.h"

static const mbedtls_md_info_t *md_of(esdk_hash_alg alg)
{
    switch (alg) {
        case ESDK_HASH_SHA256:
            return mbedtls_md_info_from_type(MBEDTLS_MD_SHA256);
        case ESDK_HASH_SHA384:
            return mbedtls_md_info_from_type(MBEDTLS_MD_SHA384);
        case ESDK_HASH_SHA512:
            return mbedtls_md_info_from_type(MBEDTLS_MD_SHA512);
        default:
            return NULL;
    }
}

static int block(
    mbedtls_md_context_t *md,
    uint32_t counter,
    const uint8_t *label,
    size_t label_len,
    const uint8_t *context,
    size_t context_len,
    const uint8_t length_bits[4],
    uint8_t *mac)
{
    static const uint8_t separator = 0x00;
    uint8_t ctr[4];
    esdk_store_be32(ctr, counter);
    int mrc = mbedtls_md_hmac_reset(md);
    mrc = mrc ? mrc : mbedtls_md_hmac_update(md, ctr, sizeof ctr);
    mrc = mrc || label_len == 0 ? mrc : mbedtls_md_hmac_update(md, label, label_len);
    mrc = mrc ? mrc : mbedtls_md_hmac_update(md, &separator, 1);
    mrc = mrc || context_len == 0 ? mrc : mbedtls_md_hmac_update(md, context, context_len);
    mrc = mrc ? mrc : mbedtls_md_hmac_update(md, length_bits, 4);
    mrc = mrc ? mrc : mbedtls_md_hmac_finish(md, mac);
    return mrc;
}

int esdk_kdf_ctr_hmac(
    esdk_hash_alg alg,
    const uint8_t *key,
    size_t key_len,
    const uint8_t *label,
    size_t label_len,
    const uint8_t *context,
    size_t context_len,
    uint8_t *out,
    size_t out_len)
{
    const mbedtls_md_info_t *info = md_of(alg);
    ESDK_ENSURE(
        info != NULL && key != NULL && key_len > 0 && (label != NULL || label_len == 0) &&
            (context != NULL || context_len == 0) && out != NULL && out_len > 0 &&
            out_len <= ESDK_KDF_CTR_MAX_OUT,
        ESDK_ERR_BAD_ARGUMENT);
    const size_t h_len = mbedtls_md_get_size(info);
    uint8_t length_bits[4];
    uint8_t mac[MBEDTLS_MD_MAX_SIZE];
    mbedtls_md_context_t md;
    esdk_store_be32(length_bits, (uint32_t)(out_len * 8));
    mbedtls_md_init(&md);
    int mrc = mbedtls_md_setup(&md, info, 1);
    mrc = mrc ? mrc : mbedtls_md_hmac_starts(&md, key, key_len);
    size_t done = 0;
    for (uint32_t i = 1; mrc == 0 && done < out_len; i++) {
        mrc = block(&md, i, label, label_len, context, context_len, length_bits, mac);
        if (mrc == 0) {
            size_t n = out_len - done < h_len ? out_len - done : h_len;
            memcpy(out + done, mac, n);
            done += n;
        }
    }
    mbedtls_md_free(&md); /* zeroizes the keyed HMAC state */
    esdk_wipe(mac, sizeof mac);
    if (mrc != 0) {
        esdk_wipe(out, out_len);
        return mrc == MBEDTLS_ERR_MD_ALLOC_FAILED
                   ? esdk_fail(ESDK_ERR_NO_MEMORY, "cannot allocate an HMAC")
                   : esdk_fail(ESDK_ERR_CRYPTO, "counter-mode KDF failed");
    }
    return 0;
}
