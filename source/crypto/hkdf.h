/* HKDF (RFC 5869) with SHA-256/384/512. */
#ifndef ESDK_CRYPTO_HKDF_H
#define ESDK_CRYPTO_HKDF_H

#include <stddef.h>
#include <stdint.h>

#include "crypto/hash.h"

/* salt may be NULL/0: RFC 5869 then uses HashLen zero bytes. */
int esdk_hkdf(
    esdk_hash_alg alg,
    const uint8_t *salt,
    size_t salt_len,
    const uint8_t *ikm,
    size_t ikm_len,
    const uint8_t *info,
    size_t info_len,
    uint8_t *out,
    size_t out_len);
/* prk receives esdk_hash_len(alg) bytes. */
int esdk_hkdf_extract(
    esdk_hash_alg alg,
    const uint8_t *salt,
    size_t salt_len,
    const uint8_t *ikm,
    size_t ikm_len,
    uint8_t *prk);
int esdk_hkdf_expand(
    esdk_hash_alg alg,
    const uint8_t *prk,
    size_t prk_len,
    const uint8_t *info,
    size_t info_len,
    uint8_t *out,
    size_t out_len);

#endif
