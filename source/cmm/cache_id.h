/* Cache entry ids of the caching CMM: scheme A of spec-facts 4.3, the SHA-512 ids every
 * shipping caching CMM (C, Java, Python, JavaScript) computes. */
#ifndef ESDK_CMM_CACHE_ID_H
#define ESDK_CMM_CACHE_ID_H

#include <stddef.h>
#include <stdint.h>

#include <aws-esdk-c/cache.h>
#include <aws-esdk-c/cmm.h>

/* The partition's part of every id: SHA-512 of its bytes. */
int esdk_cache_id_partition(const uint8_t *partition, size_t len, uint8_t out[ESDK_CACHE_ID_LEN]);

/* SHA512(P || 0x00 || ECH) with no suite requested (suite_id 0), else
 * SHA512(P || 0x01 || u16 suite || ECH); ECH = SHA512(serialized context). When
 * required_count > 0, SHA512(serialized required pairs) follows ECH. */
int esdk_cache_id_encrypt(
    const uint8_t partition[ESDK_CACHE_ID_LEN],
    uint16_t suite_id,
    const esdk_enc_ctx *context,
    const char *const *required_keys,
    size_t required_count,
    uint8_t id[ESDK_CACHE_ID_LEN]);

/* SHA512(P || u16 suite || sorted SHA512(edk_i) || 64 zero bytes || ECH); a non-empty
 * reproduced context appends SHA512(its serialization). */
int esdk_cache_id_decrypt(
    const uint8_t partition[ESDK_CACHE_ID_LEN],
    uint16_t suite_id,
    const esdk_edk_list *edks,
    const esdk_enc_ctx *context,
    const esdk_enc_ctx *reproduced,
    uint8_t id[ESDK_CACHE_ID_LEN]);

#endif
