/* SHA-1/SHA-2 and HMAC over mbedTLS's message-digest layer. */
#include "crypto/hash.h"

#include <stdbool.h>

#include <mbedtls/md.h>

#include <aws-esdk-c/error.h>

#include "common/mem.h"
#include "common/status.h"

/* last: poisons calls this library must not make */
#include "banned.h"

struct esdk_hash {
    mbedtls_md_context_t md;
    esdk_hash_alg alg;
    bool finished;
};

static const mbedtls_md_info_t *info_of(esdk_hash_alg alg)
{
    static const mbedtls_md_type_t types[] = {
        MBEDTLS_MD_SHA256, MBEDTLS_MD_SHA384, MBEDTLS_MD_SHA512, MBEDTLS_MD_SHA1};
    return (unsigned)alg < sizeof types / sizeof types[0] ? mbedtls_md_info_from_type(types[alg])
                                                          : NULL;
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
    *out = NULL;
    esdk_hash *h = esdk_mem_acquire(sizeof *h);
    if (!h) {
        return esdk_fail(ESDK_ERR_NO_MEMORY, "cannot allocate a hash");
    }
    h->alg = alg;
    mbedtls_md_init(&h->md);
    int mrc = mbedtls_md_setup(&h->md, info, 0);
    if (mrc == 0) {
        mrc = mbedtls_md_starts(&h->md);
    }
    if (mrc != 0) {
        esdk_hash_release(h);
        return mrc == MBEDTLS_ERR_MD_ALLOC_FAILED
                   ? esdk_fail(ESDK_ERR_NO_MEMORY, "cannot allocate a hash")
                   : esdk_fail(ESDK_ERR_CRYPTO, "cannot start a hash");
    }
    *out = h;
    return 0;
}

int esdk_hash_update(esdk_hash *h, const uint8_t *data, size_t len)
{
    ESDK_ENSURE(h != NULL && (data != NULL || len == 0), ESDK_ERR_BAD_ARGUMENT);
    if (h->finished) {
        return esdk_fail(ESDK_ERR_BAD_STATE, "hash updated after finish");
    }
    if (len && mbedtls_md_update(&h->md, data, len) != 0) {
        return esdk_fail(ESDK_ERR_CRYPTO, "hash update failed");
    }
    return 0;
}

int esdk_hash_finish(esdk_hash *h, uint8_t *digest)
{
    ESDK_ENSURE(h != NULL && digest != NULL, ESDK_ERR_BAD_ARGUMENT);
    if (h->finished) {
        return esdk_fail(ESDK_ERR_BAD_STATE, "hash finished twice");
    }
    h->finished = true;
    return mbedtls_md_finish(&h->md, digest) == 0
               ? 0
               : esdk_fail(ESDK_ERR_CRYPTO, "hash finish failed");
}

int esdk_hash_clone(const esdk_hash *h, esdk_hash **out)
{
    ESDK_ENSURE(h != NULL && out != NULL, ESDK_ERR_BAD_ARGUMENT);
    esdk_hash *copy = NULL;
    ESDK_TRY(esdk_hash_new(h->alg, &copy));
    if (mbedtls_md_clone(&copy->md, &h->md) != 0) {
        esdk_hash_release(copy);
        return esdk_fail(ESDK_ERR_CRYPTO, "hash clone failed");
    }
    copy->finished = h->finished;
    *out = copy;
    return 0;
}

void esdk_hash_release(esdk_hash *h)
{
    if (h) {
        mbedtls_md_free(&h->md); /* zeroizes the running state */
        esdk_mem_release_secret(h, sizeof *h);
    }
}

int esdk_hash_digest(esdk_hash_alg alg, const uint8_t *data, size_t len, uint8_t *digest)
{
    static const uint8_t none[1] = {0};
    const mbedtls_md_info_t *info = info_of(alg);
    ESDK_ENSURE(
        info != NULL && digest != NULL && (data != NULL || len == 0), ESDK_ERR_BAD_ARGUMENT);
    return mbedtls_md(info, data ? data : none, len, digest) == 0
               ? 0
               : esdk_fail(ESDK_ERR_CRYPTO, "hash failed");
}

int esdk_hmac(
    esdk_hash_alg alg,
    const uint8_t *key,
    size_t key_len,
    const uint8_t *data,
    size_t len,
    uint8_t *mac)
{
    static const uint8_t none[1] = {0};
    const mbedtls_md_info_t *info = info_of(alg);
    ESDK_ENSURE(
        info != NULL && mac != NULL && (key != NULL || key_len == 0) && (data != NULL || len == 0),
        ESDK_ERR_BAD_ARGUMENT);
    /* mbedtls_md_hmac zeroizes its padded-key state before it returns */
    return mbedtls_md_hmac(info, key ? key : none, key_len, data ? data : none, len, mac) == 0
               ? 0
               : esdk_fail(ESDK_ERR_CRYPTO, "HMAC failed");
}
