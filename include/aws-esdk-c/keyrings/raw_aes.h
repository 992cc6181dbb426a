/**
 * @file keyrings/raw_aes.h
 * The raw AES keyring: wraps data keys with AES-GCM under a key the application holds, in
 * the official layout (provider id = namespace; provider info = name | tag bits | IV length
 * | IV; AAD = the serialized encryption context).
 */
#ifndef ESDK_KEYRINGS_RAW_AES_H
#define ESDK_KEYRINGS_RAW_AES_H

#include <stddef.h>
#include <stdint.h>

#include <aws-esdk-c/export.h>
#include <aws-esdk-c/keyring.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * A raw AES keyring. key_namespace and key_name are UTF-8 strings; key is 16, 24 or 32 bytes
 * (copied into guarded memory; the caller may wipe its copy). The namespace "aws-kms" and
 * names starting with it are refused.
 */
ESDK_API ESDK_MUST_USE int esdk_keyring_raw_aes_new(
    const char *key_namespace,
    const char *key_name,
    const uint8_t *key,
    size_t key_len,
    esdk_keyring **out);

#ifdef __cplusplus
}
#endif
#endif
