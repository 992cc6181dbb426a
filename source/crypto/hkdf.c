/* HKDF (RFC 5869) over mbedTLS. A NULL/empty salt means HashLen zero bytes (mbedTLS does
 * that; an empty HMAC key is the same key anyway). mbedTLS wipes its intermediate PRK and
 * T blocks. */
#include "crypto/hkdf.h"

#include <mbedtls/hkdf.h>
#include <mbedtls/md.h>

#include <aws-esdk-c/error.h>

#include "common/status.h"

/* last: poisons calls this library must not make */
#include "banned.h"

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
            return NULL; /* SHA-1 is not offered for key derivation */
    }
}

static int result(int mrc, const char *what)
{
    if (mrc == 0) {
        return 0;
    }
    if (mrc == MBEDTLS_ERR_HKDF_BAD_INPUT_DATA) {
        return esdk_fail(ESDK_ERR_BAD_ARGUMENT, "%s: bad input (length out of range)", what);
    }
    return esdk_fail(ESDK_ERR_CRYPTO, "%s failed", what);
}

/* Pointers mbedTLS accepts for empty inputs. */
static const uint8_t *nz(const uint8_t *p)
{
    static const uint8_t none[1] = {0};
    return p ? p : none;
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
    ESDK_ENSURE(md != NULL && out != NULL, ESDK_ERR_BAD_ARGUMENT);
    ESDK_ENSURE(
        (salt != NULL || salt_len == 0) && (ikm != NULL || ikm_len == 0) &&
            (info != NULL || info_len == 0),
        ESDK_ERR_BAD_ARGUMENT);
    return result(
        mbedtls_hkdf(
            md,
            salt_len ? salt : NULL,
            salt_len,
            nz(ikm),
            ikm_len,
            nz(info),
            info_len,
            out,
            out_len),
        "HKDF");
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
    ESDK_ENSURE(md != NULL && prk != NULL, ESDK_ERR_BAD_ARGUMENT);
    ESDK_ENSURE(
        (salt != NULL || salt_len == 0) && (ikm != NULL || ikm_len == 0), ESDK_ERR_BAD_ARGUMENT);
    return result(
        mbedtls_hkdf_extract(md, salt_len ? salt : NULL, salt_len, nz(ikm), ikm_len, prk),
        "HKDF extract");
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
    ESDK_ENSURE(md != NULL && prk != NULL && out != NULL, ESDK_ERR_BAD_ARGUMENT);
    ESDK_ENSURE(info != NULL || info_len == 0, ESDK_ERR_BAD_ARGUMENT);
    return result(
        mbedtls_hkdf_expand(md, prk, prk_len, nz(info), info_len, out, out_len), "HKDF expand");
}
