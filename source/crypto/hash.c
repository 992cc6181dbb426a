/* SHA-1/SHA-2 and HMAC over mbedTLS's message-digest layer. */
#include "crypto/hash.h"

#include <mbedtls/md.h>

#include <aws-esdk-c/error.h>

#include "banned.h"
#include "common/mem.h"
#include "common/status.h"

struct esdk_hash {
    mbedtls_md_context_t md;
    esdk_hash_alg alg;
};

static const mbedtls_md_info_t *info_of(esdk_hash_alg alg)
{
    static const mbedtls_md_type_t types[] = {
        MBEDTLS_MD_SHA256, MBEDTLS_MD_SHA384, MBEDTLS_MD_SHA512, MBEDTLS_MD_SHA1};
    return (unsigned)alg < 4 ? mbedtls_md_info_from_type(types[alg]) : NULL;
}

size_t esdk_hash_len(esdk_hash_alg alg)
{
    const mbedtls_md_info_t *info = info_of(alg);
    return info ? mbedtls_md_get_size(info) : 0;
}

int esdk_hash_new(esdk_hash_alg alg, esdk_hash **out)
{
    const mbedtls_md_info_t *info = info_of(alg);
    ESDK_ENSURE(info != NULL && out != NULL, ESDK_ERR_BAD_ARGUMENT);
    esdk_hash *h = esdk_mem_acquire(sizeof *h);
    if (!h) {
        return esdk_fail(ESDK_ERR_NO_MEMORY, "cannot allocate a hash");
    }
    h->alg = alg;
    mbedtls_md_init(&h->md);
    if (mbedtls_md_setup(&h->md, info, 0) != 0 || mbedtls_md_starts(&h->md) != 0) {
        esdk_hash_release(h);
        return esdk_fail(ESDK_ERR_CRYPTO, "cannot start a hash");
    }
    *out = h;
    return 0;
}

int esdk_hash_update(esdk_hash *h, const uint8_t *data, size_t len)
{
    if (len && mbedtls_md_update(&h->md, data, len) != 0) {
        return esdk_fail(ESDK_ERR_CRYPTO, "hash update failed");
    }
    return 0;
}

int esdk_hash_finish(esdk_hash *h, uint8_t *digest)
{
    return mbedtls_md_finish(&h->md, digest) == 0
               ? 0
               : esdk_fail(ESDK_ERR_CRYPTO, "hash finish failed");
}

int esdk_hash_clone(const esdk_hash *h, esdk_hash **out)
{
    esdk_hash *copy = NULL;
    ESDK_TRY(esdk_hash_new(h->alg, &copy));
    if (mbedtls_md_clone(&copy->md, &h->md) != 0) {
        esdk_hash_release(copy);
        return esdk_fail(ESDK_ERR_CRYPTO, "hash clone failed");
    }
    *out = copy;
    return 0;
}

void esdk_hash_release(esdk_hash *h)
{
    if (h) {
        mbedtls_md_free(&h->md);
        esdk_mem_release(h, sizeof *h);
    }
}

int esdk_hash_digest(esdk_hash_alg alg, const uint8_t *data, size_t len, uint8_t *digest)
{
    const mbedtls_md_info_t *info = info_of(alg);
    ESDK_ENSURE(info != NULL, ESDK_ERR_BAD_ARGUMENT);
    return mbedtls_md(info, data, len, digest) == 0 ? 0 : esdk_fail(ESDK_ERR_CRYPTO, "hash failed");
}

int esdk_hmac(
    esdk_hash_alg alg,
    const uint8_t *key,
    size_t key_len,
    const uint8_t *data,
    size_t len,
    uint8_t *mac)
{
    const mbedtls_md_info_t *info = info_of(alg);
    ESDK_ENSURE(info != NULL, ESDK_ERR_BAD_ARGUMENT);
    return mbedtls_md_hmac(info, key, key_len, data, len, mac) == 0
               ? 0
               : esdk_fail(ESDK_ERR_CRYPTO, "HMAC failed");
}
