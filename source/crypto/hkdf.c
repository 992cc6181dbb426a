/* HKDF (RFC 5869) over mbedTLS. */
#include "crypto/hkdf.h"

#include <mbedtls/hkdf.h>
#include <mbedtls/md.h>

#include <aws-esdk-c/error.h>

#include "banned.h"
#include "common/status.h"

static const mbedtls_md_info_t *info_of(esdk_hash_alg alg)
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

int esdk_hkdf(
    esdk_hash_alg alg,
    const uint8_t *salt,
    size_t salt_len,
    const uint8_t *ikm,
    size_t ikm_len,
    const uint8_t *info,
    size_t info_len,
    uint8_t *out,
    size_t out_len)
{
    const mbedtls_md_info_t *md = info_of(alg);
    ESDK_ENSURE(md != NULL, ESDK_ERR_BAD_ARGUMENT);
    return mbedtls_hkdf(md, salt, salt_len, ikm, ikm_len, info, info_len, out, out_len) == 0
               ? 0
               : esdk_fail(ESDK_ERR_CRYPTO, "HKDF failed");
}

int esdk_hkdf_extract(
    esdk_hash_alg alg,
    const uint8_t *salt,
    size_t salt_len,
    const uint8_t *ikm,
    size_t ikm_len,
    uint8_t *prk)
{
    const mbedtls_md_info_t *md = info_of(alg);
    ESDK_ENSURE(md != NULL, ESDK_ERR_BAD_ARGUMENT);
    return mbedtls_hkdf_extract(md, salt, salt_len, ikm, ikm_len, prk) == 0
               ? 0
               : esdk_fail(ESDK_ERR_CRYPTO, "HKDF extract failed");
}

int esdk_hkdf_expand(
    esdk_hash_alg alg,
    const uint8_t *prk,
    size_t prk_len,
    const uint8_t *info,
    size_t info_len,
    uint8_t *out,
    size_t out_len)
{
    const mbedtls_md_info_t *md = info_of(alg);
    ESDK_ENSURE(md != NULL, ESDK_ERR_BAD_ARGUMENT);
    return mbedtls_hkdf_expand(md, prk, prk_len, info, info_len, out, out_len) == 0
               ? 0
               : esdk_fail(ESDK_ERR_CRYPTO, "HKDF expand failed");
}
