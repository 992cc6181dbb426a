/* AES-GCM with 12-byte IVs and 16-byte tags, for 128/192/256-bit keys. Every key size runs
 * on our VAES/AVX-512 code when the CPU has it; otherwise AES-256 uses libsodium's AES-NI
 * code, and the rest mbedTLS. The key schedule is computed once in esdk_aead_key_new and
 * reused for every frame. */
#ifndef ESDK_CRYPTO_AEAD_H
#define ESDK_CRYPTO_AEAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ESDK_GCM_IV_LEN  12
#define ESDK_GCM_TAG_LEN 16

typedef struct esdk_aead_key esdk_aead_key;

/* A key for repeated use. key_len 16, 24 or 32. Threads share it only when
 * esdk_aead_key_shareable says so. */
int esdk_aead_key_new(const uint8_t *key, size_t key_len, esdk_aead_key **out);
/* Wipe and free (NULL ignored). */
void esdk_aead_key_release(esdk_aead_key *key);
/* Added for tests and benchmarks: like esdk_aead_key_new, but always the mbedTLS code, which
 * is what AES-256 runs on when the CPU lacks AES-NI/PCLMUL (libsodium 1.0.18 then has no
 * AES-GCM at all). Not for production paths. */
int esdk_aead_key_new_portable(const uint8_t *key, size_t key_len, esdk_aead_key **out);

/* The code behind a key. AUTO: the fastest this CPU has (what esdk_aead_key_new picks). */
typedef enum esdk_aead_impl {
    ESDK_AEAD_AUTO = 0,
    ESDK_AEAD_MBEDTLS = 1,
    ESDK_AEAD_SODIUM = 2, /* AES-256 on AES-NI CPUs only */
    ESDK_AEAD_AVX512 = 3, /* gcm_avx512.c: VAES + VPCLMULQDQ CPUs only */
} esdk_aead_impl;
/* For tests and benchmarks: a key on one given implementation; ESDK_ERR_UNSUPPORTED when it
 * cannot run here (CPU, or a key size libsodium lacks). */
int esdk_aead_key_new_impl(
    const uint8_t *key, size_t key_len, esdk_aead_impl impl, esdk_aead_key **out);
esdk_aead_impl esdk_aead_key_impl(const esdk_aead_key *key);
/* Tests only: make AUTO (esdk_aead_key_new) pick impl from now on, process-wide; AUTO
 * restores the normal choice. A forced SODIUM still gives other key sizes the normal choice,
 * and a forced implementation the CPU lacks makes key set-up fail. */
void esdk_aead_set_auto_impl(esdk_aead_impl impl);
/* Another key object for the same key and implementation (for another thread). */
int esdk_aead_key_clone(const esdk_aead_key *key, esdk_aead_key **out);
/* true when threads may use this one key object at the same time: its state is only read
 * (libsodium, AVX-512). mbedTLS keeps per-call state in it: clone one per thread. */
bool esdk_aead_key_shareable(const esdk_aead_key *key);

/* Encrypt len bytes of in into out (in == out allowed) and write the tag. in/out may be NULL
 * when len is 0; aad may be NULL when aad_len is 0. Added guarantees: a partial overlap of in
 * and out works too (the input is moved to out first), the tag may overlap in, aad must not
 * overlap out; more than 2^36 - 32 bytes gives ESDK_ERR_LIMIT_EXCEEDED. */
int esdk_aead_encrypt(
    esdk_aead_key *key,
    const uint8_t iv[ESDK_GCM_IV_LEN],
    const uint8_t *aad,
    size_t aad_len,
    const uint8_t *in,
    size_t len,
    uint8_t *out,
    uint8_t tag[ESDK_GCM_TAG_LEN]);

/* Decrypt and verify (tag compared in constant time). On ESDK_ERR_BAD_TAG out is wiped
 * (in == out allowed; same buffer rules as esdk_aead_encrypt, and the tag may overlap out). */
int esdk_aead_decrypt(
    esdk_aead_key *key,
    const uint8_t iv[ESDK_GCM_IV_LEN],
    const uint8_t *aad,
    size_t aad_len,
    const uint8_t *in,
    size_t len,
    const uint8_t tag[ESDK_GCM_TAG_LEN],
    uint8_t *out);

/* One-call forms for keyrings (key schedule made and wiped inside). */
int esdk_aead_seal(
    const uint8_t *key,
    size_t key_len,
    const uint8_t iv[ESDK_GCM_IV_LEN],
    const uint8_t *aad,
    size_t aad_len,
    const uint8_t *in,
    size_t len,
    uint8_t *out,
    uint8_t tag[ESDK_GCM_TAG_LEN]);
int esdk_aead_open(
    const uint8_t *key,
    size_t key_len,
    const uint8_t iv[ESDK_GCM_IV_LEN],
    const uint8_t *aad,
    size_t aad_len,
    const uint8_t *in,
    size_t len,
    const uint8_t tag[ESDK_GCM_TAG_LEN],
    uint8_t *out);

#endif
