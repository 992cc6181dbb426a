/* AES-GCM. Which code runs a key is chosen once, when the key object is made:
 *   - VAES/VPCLMULQDQ on AVX-512 (gcm_avx512.c) for every key size when the CPU has it:
 *     about 9-10 GB/s here, 5x libsodium and 40x mbedTLS;
 *   - else libsodium's AES-NI code for AES-256 (about 1.9 GB/s);
 *   - else mbedTLS (about 217 MB/s: 2.28's GCM is not accelerated).
 * The key schedule (and GHASH's powers of H) are computed once per key object and reused for
 * every frame.
 *
 * Buffers: in == out (in place) and disjoint buffers are the fast paths. libsodium 1.0.18
 * (aead_aes256gcm_aesni.c) reads each input block before it writes the same output block
 * and verifies the tag in a first pass before it decrypts; gcm_avx512.c reads each group of
 * blocks before it writes it; mbedTLS's gcm_update allows output == input; so all work in
 * place. A partial overlap (out inside in, or the other way round) is made in place by
 * moving the input to out first (memmove, no scratch buffer). The tag is copied through 16
 * local bytes, so it may sit anywhere (e.g. right after in). aad must not overlap out. */
#include "crypto/aead.h"

#include <stdalign.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <mbedtls/gcm.h>
#include <sodium.h>

#include <aws-esdk-c/error.h>

#include "common/mem.h"
#include "common/status.h"
#include "crypto/gcm_avx512.h"
#include "crypto/random.h"

/* last: poisons calls this library must not make */
#include "banned.h"

/* NIST SP 800-38D: at most 2^39 - 256 bits of plaintext per IV. libsodium aborts (sodium_misuse)
 * above its crypto_aead_aes256gcm_MESSAGEBYTES_MAX, which is the same number; mbedTLS refuses
 * it. Checked before either is called. */
#define GCM_MAX_LEN 0xFFFFFFFE0ull
_Static_assert(
    GCM_MAX_LEN <= crypto_aead_aes256gcm_MESSAGEBYTES_MAX, "libsodium would abort below our limit");

struct esdk_aead_key {
    /* crypto_aead_aes256gcm_state is declared CRYPTO_ALIGN(16): libsodium's SSE loads from it
     * fault otherwise (SIGSEGV with an 8-aligned block, see test_crypto_aead). The block is
     * over-allocated and aligned by hand below, since an application's allocator
     * (esdk_set_allocator) may return less aligned memory. */
    crypto_aead_aes256gcm_state sodium;
    esdk_gcm512 fast; /* 64-byte aligned, the same way */
    mbedtls_gcm_context gcm;
    esdk_aead_impl impl;
    bool has_gcm;
    uint8_t raw[32]; /* the key itself, for esdk_aead_key_clone */
    size_t key_len;
    void *block; /* what esdk_mem_acquire returned (NULL for a key on the stack) */
    size_t block_size;
};

#define KEY_ALIGN (alignof(esdk_aead_key) > 16 ? alignof(esdk_aead_key) : 16)

/* What AUTO means; tests set it to run whole sessions on each implementation. */
static atomic_int auto_impl = ESDK_AEAD_AUTO;

void esdk_aead_set_auto_impl(esdk_aead_impl impl)
{
    atomic_store_explicit(&auto_impl, (int)impl, memory_order_relaxed);
}

static esdk_aead_impl pick(size_t key_len)
{
    const esdk_aead_impl forced =
        (esdk_aead_impl)atomic_load_explicit(&auto_impl, memory_order_relaxed);
    if (forced != ESDK_AEAD_AUTO && (forced != ESDK_AEAD_SODIUM || key_len == 32)) {
        return forced;
    }
    if (esdk_gcm512_available()) {
        return ESDK_AEAD_AVX512;
    }
    if (key_len == 32 && crypto_aead_aes256gcm_is_available()) {
        return ESDK_AEAD_SODIUM;
    }
    return ESDK_AEAD_MBEDTLS;
}

/* Set up k (already zeroed, correctly aligned) for key. Call key_clear afterwards, on failure
 * too. */
static int key_setup(esdk_aead_key *k, const uint8_t *key, size_t key_len, esdk_aead_impl impl)
{
    mbedtls_gcm_init(&k->gcm);
    k->has_gcm = true;
    memcpy(k->raw, key, key_len);
    k->key_len = key_len;
    k->impl = impl == ESDK_AEAD_AUTO ? pick(key_len) : impl;
    switch (k->impl) {
        case ESDK_AEAD_AVX512:
            if (!esdk_gcm512_available()) {
                return esdk_fail(ESDK_ERR_UNSUPPORTED, "this CPU has no VAES/AVX-512");
            }
            return esdk_gcm512_init(&k->fast, key, key_len);
        case ESDK_AEAD_SODIUM:
            if (key_len != 32 || !crypto_aead_aes256gcm_is_available()) {
                return esdk_fail(ESDK_ERR_UNSUPPORTED, "libsodium has AES-256-GCM on AES-NI only");
            }
            crypto_aead_aes256gcm_beforenm(&k->sodium, key);
            return 0;
        case ESDK_AEAD_MBEDTLS:
            if (mbedtls_gcm_setkey(&k->gcm, MBEDTLS_CIPHER_ID_AES, key, (unsigned)key_len * 8) !=
                0) {
                return esdk_fail(ESDK_ERR_CRYPTO, "AES-GCM key setup failed");
            }
            return 0;
        default:
            return esdk_fail(ESDK_ERR_BAD_ARGUMENT, "unknown AES-GCM implementation");
    }
}

/* Wipe the key schedules (mbedtls_gcm_free zeroizes its context and frees the AES one). */
static void key_clear(esdk_aead_key *k)
{
    if (k->has_gcm) {
        mbedtls_gcm_free(&k->gcm);
    }
    esdk_wipe(&k->sodium, sizeof k->sodium);
    esdk_wipe(&k->fast, sizeof k->fast);
    esdk_wipe(k->raw, sizeof k->raw);
    k->has_gcm = false;
}

static int check_key_args(const uint8_t *key, size_t key_len)
{
    ESDK_ENSURE(key != NULL, ESDK_ERR_BAD_ARGUMENT);
    if (key_len != 16 && key_len != 24 && key_len != 32) {
        return esdk_fail(ESDK_ERR_BAD_KEY, "AES key of %zu bytes (16, 24 or 32 expected)", key_len);
    }
    return esdk_crypto_init();
}

static int key_new(const uint8_t *key, size_t key_len, esdk_aead_impl impl, esdk_aead_key **out)
{
    ESDK_ENSURE(out != NULL, ESDK_ERR_BAD_ARGUMENT);
    *out = NULL;
    ESDK_TRY(check_key_args(key, key_len));
    const size_t block_size = sizeof(esdk_aead_key) + KEY_ALIGN - 1;
    uint8_t *block = esdk_mem_acquire(block_size);
    if (!block) {
        return esdk_fail(ESDK_ERR_NO_MEMORY, "cannot allocate an AES key");
    }
    const uintptr_t mis = (uintptr_t)block % KEY_ALIGN;
    esdk_aead_key *k = (esdk_aead_key *)(void *)(block + (mis ? KEY_ALIGN - mis : 0));
    k->block = block;
    k->block_size = block_size;
    int rc = key_setup(k, key, key_len, impl);
    if (rc) {
        esdk_aead_key_release(k);
        return rc;
    }
    *out = k;
    return 0;
}

int esdk_aead_key_new(const uint8_t *key, size_t key_len, esdk_aead_key **out)
{
    return key_new(key, key_len, ESDK_AEAD_AUTO, out);
}

int esdk_aead_key_new_portable(const uint8_t *key, size_t key_len, esdk_aead_key **out)
{
    return key_new(key, key_len, ESDK_AEAD_MBEDTLS, out);
}

int esdk_aead_key_new_impl(
    const uint8_t *key, size_t key_len, esdk_aead_impl impl, esdk_aead_key **out)
{
    return key_new(key, key_len, impl, out);
}

int esdk_aead_key_clone(const esdk_aead_key *k, esdk_aead_key **out)
{
    ESDK_ENSURE(k != NULL && k->has_gcm, ESDK_ERR_BAD_ARGUMENT);
    return key_new(k->raw, k->key_len, k->impl, out);
}

esdk_aead_impl esdk_aead_key_impl(const esdk_aead_key *k)
{
    return k ? k->impl : ESDK_AEAD_AUTO;
}

bool esdk_aead_key_shareable(const esdk_aead_key *k)
{
    /* mbedTLS keeps the running GCM state in its context; the others only read theirs */
    return k && k->impl != ESDK_AEAD_MBEDTLS;
}

void esdk_aead_key_release(esdk_aead_key *k)
{
    if (k) {
        void *block = k->block;
        size_t block_size = k->block_size;
        key_clear(k);
        esdk_mem_release_secret(block, block_size); /* wipes the rest of the struct too */
    }
}

/* Common checks; makes NULL (len 0) pointers usable and a partial overlap in place. */
static int prepare(
    const esdk_aead_key *k,
    const uint8_t *iv,
    const uint8_t **aad,
    size_t aad_len,
    const uint8_t **in,
    size_t len,
    uint8_t **out,
    uint8_t *scratch,
    const void *tag)
{
    static const uint8_t none[1] = {0};
    ESDK_ENSURE(k != NULL && k->has_gcm && iv != NULL && tag != NULL, ESDK_ERR_BAD_ARGUMENT);
    ESDK_ENSURE((*aad != NULL || aad_len == 0), ESDK_ERR_BAD_ARGUMENT);
    ESDK_ENSURE((*in != NULL && *out != NULL) || len == 0, ESDK_ERR_BAD_ARGUMENT);
    if ((uint64_t)len > GCM_MAX_LEN) {
        return esdk_fail(ESDK_ERR_LIMIT_EXCEEDED, "AES-GCM input of %zu bytes is too long", len);
    }
    if (len == 0) {
        *in = none;
        *out = scratch;
    }
    if (*aad == NULL) {
        *aad = none;
    }
    const uintptr_t a = (uintptr_t)*in;
    const uintptr_t b = (uintptr_t)*out;
    if (a != b && a < b + len && b < a + len) {
        memmove(*out, *in, len);
        *in = *out;
    }
    return 0;
}

int esdk_aead_encrypt(
    esdk_aead_key *k,
    const uint8_t iv[ESDK_GCM_IV_LEN],
    const uint8_t *aad,
    size_t aad_len,
    const uint8_t *in,
    size_t len,
    uint8_t *out,
    uint8_t tag[ESDK_GCM_TAG_LEN])
{
    uint8_t scratch[1];
    uint8_t t[ESDK_GCM_TAG_LEN];
    ESDK_TRY(prepare(k, iv, &aad, aad_len, &in, len, &out, scratch, tag));
    if (k->impl == ESDK_AEAD_AVX512) {
        esdk_gcm512_encrypt(&k->fast, iv, aad, aad_len, in, len, out, t);
    } else if (k->impl == ESDK_AEAD_SODIUM) {
        crypto_aead_aes256gcm_encrypt_detached_afternm(
            out, t, NULL, in, len, aad, aad_len, NULL, iv, &k->sodium);
    } else if (
        mbedtls_gcm_crypt_and_tag(
            &k->gcm,
            MBEDTLS_GCM_ENCRYPT,
            len,
            iv,
            ESDK_GCM_IV_LEN,
            aad,
            aad_len,
            in,
            out,
            ESDK_GCM_TAG_LEN,
            t) != 0) {
        esdk_wipe(out, len);
        return esdk_fail(ESDK_ERR_CRYPTO, "AES-GCM encryption failed");
    }
    memcpy(tag, t, sizeof t);
    return 0;
}

int esdk_aead_decrypt(
    esdk_aead_key *k,
    const uint8_t iv[ESDK_GCM_IV_LEN],
    const uint8_t *aad,
    size_t aad_len,
    const uint8_t *in,
    size_t len,
    const uint8_t tag[ESDK_GCM_TAG_LEN],
    uint8_t *out)
{
    uint8_t scratch[1];
    uint8_t t[ESDK_GCM_TAG_LEN];
    uint8_t *const dst = out;
    ESDK_ENSURE(tag != NULL, ESDK_ERR_BAD_ARGUMENT);
    memcpy(t, tag, sizeof t); /* before a memmove in prepare could overwrite it */
    ESDK_TRY(prepare(k, iv, &aad, aad_len, &in, len, &out, scratch, tag));
    int rc = 0;
    if (k->impl == ESDK_AEAD_AVX512) {
        uint8_t want[ESDK_GCM_TAG_LEN];
        esdk_gcm512_decrypt(&k->fast, iv, aad, aad_len, in, len, out, want);
        if (!esdk_ct_equal(want, t, sizeof t)) {
            rc = esdk_fail(ESDK_ERR_BAD_TAG, "AES-GCM tag mismatch");
        }
    } else if (k->impl == ESDK_AEAD_SODIUM) {
        if (crypto_aead_aes256gcm_decrypt_detached_afternm(
                out, NULL, in, len, t, aad, aad_len, iv, &k->sodium) != 0) {
            rc = esdk_fail(ESDK_ERR_BAD_TAG, "AES-GCM tag mismatch");
        }
    } else {
        /* mbedTLS compares the tag in constant time and zeroes out on a mismatch */
        int mrc = mbedtls_gcm_auth_decrypt(
            &k->gcm, len, iv, ESDK_GCM_IV_LEN, aad, aad_len, t, ESDK_GCM_TAG_LEN, in, out);
        if (mrc == MBEDTLS_ERR_GCM_AUTH_FAILED) {
            rc = esdk_fail(ESDK_ERR_BAD_TAG, "AES-GCM tag mismatch");
        } else if (mrc != 0) {
            rc = esdk_fail(ESDK_ERR_CRYPTO, "AES-GCM decryption failed");
        }
    }
    if (rc && dst) {
        esdk_wipe(dst, len);
    }
    return rc;
}

int esdk_aead_seal(
    const uint8_t *key,
    size_t key_len,
    const uint8_t iv[ESDK_GCM_IV_LEN],
    const uint8_t *aad,
    size_t aad_len,
    const uint8_t *in,
    size_t len,
    uint8_t *out,
    uint8_t tag[ESDK_GCM_TAG_LEN])
{
    ESDK_TRY(check_key_args(key, key_len));
    esdk_aead_key k; /* on the stack: alignof(esdk_aead_key) >= 16, no allocation */
    esdk_wipe(&k, sizeof k);
    int rc = key_setup(&k, key, key_len, ESDK_AEAD_AUTO);
    if (rc == 0) {
        rc = esdk_aead_encrypt(&k, iv, aad, aad_len, in, len, out, tag);
    }
    key_clear(&k);
    esdk_wipe(&k, sizeof k);
    return rc;
}

int esdk_aead_open(
    const uint8_t *key,
    size_t key_len,
    const uint8_t iv[ESDK_GCM_IV_LEN],
    const uint8_t *aad,
    size_t aad_len,
    const uint8_t *in,
    size_t len,
    const uint8_t tag[ESDK_GCM_TAG_LEN],
    uint8_t *out)
{
    ESDK_TRY(check_key_args(key, key_len));
    esdk_aead_key k;
    esdk_wipe(&k, sizeof k);
    int rc = key_setup(&k, key, key_len, ESDK_AEAD_AUTO);
    if (rc == 0) {
        rc = esdk_aead_decrypt(&k, iv, aad, aad_len, in, len, tag, out);
    }
    key_clear(&k);
    esdk_wipe(&k, sizeof k);
    return rc;
}
