/* SHA-2 (incremental and one-shot) and HMAC. */
#ifndef ESDK_CRYPTO_HASH_H
#define ESDK_CRYPTO_HASH_H

#include <stddef.h>
#include <stdint.h>

typedef enum esdk_hash_alg {
    ESDK_HASH_SHA256 = 0,
    ESDK_HASH_SHA384 = 1,
    ESDK_HASH_SHA512 = 2,
    ESDK_HASH_SHA1 = 3, /* RSA-OAEP-SHA1 and PKCS#11 only; never for new designs */
} esdk_hash_alg;

#define ESDK_HASH_MAX_LEN 64

size_t esdk_hash_len(esdk_hash_alg alg);

typedef struct esdk_hash esdk_hash;

int esdk_hash_new(esdk_hash_alg alg, esdk_hash **out);
int esdk_hash_update(esdk_hash *h, const uint8_t *data, size_t len);
/* Write esdk_hash_len(alg) bytes; the object may not be updated afterwards. */
int esdk_hash_finish(esdk_hash *h, uint8_t *digest);
/* A copy of the running state. */
int esdk_hash_clone(const esdk_hash *h, esdk_hash **out);
void esdk_hash_release(esdk_hash *h);

int esdk_hash_digest(esdk_hash_alg alg, const uint8_t *data, size_t len, uint8_t *digest);
int esdk_hmac(
    esdk_hash_alg alg,
    const uint8_t *key,
    size_t key_len,
    const uint8_t *data,
    size_t len,
    uint8_t *mac);

#endif
