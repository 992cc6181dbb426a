/* NIST SP 800-108 key derivation in counter mode with an HMAC PRF, as the AWS Cryptographic
 * Material Providers Library's KdfCtr computes it (raw ECDH and hierarchical keyrings):
 *
 *   block i (i = 1, 2, ...) = HMAC(key, u32 i || label || 0x00 || context || u32 L)
 *
 * with u32 big-endian and L = out_len * 8 (bits); the output is the first out_len bytes of
 * block 1 || block 2 || ... */
#ifndef ESDK_CRYPTO_KDF_CTR_H
#define ESDK_CRYPTO_KDF_CTR_H

#include <stddef.h>
#include <stdint.h>

#include "crypto/hash.h"

/* The most output one call derives (far beyond what any keyring needs). */
#define ESDK_KDF_CTR_MAX_OUT 1024

/* label and context may be NULL when their length is 0. out_len is 1..ESDK_KDF_CTR_MAX_OUT.
 * alg is SHA-256, SHA-384 or SHA-512. */
int esdk_kdf_ctr_hmac(
    esdk_hash_alg alg,
    const uint8_t *key,
    size_t key_len,
    const uint8_t *label,
    size_t label_len,
    const uint8_t *context,
    size_t context_len,
    uint8_t *out,
    size_t out_len);

#endif
