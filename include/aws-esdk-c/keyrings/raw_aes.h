/**
 * @file keyrings/raw_aes.h
 * The raw AES keyring: wraps data keys with AES-GCM under a key the application holds, in
 * the official layout (provider id = namespace; provider info = name | tag bits | IV length
 * | IV; AAD = the serialized encryption context).
 *
 * The wrapping key lives in guarded memory (sodium_malloc) and is wiped when the keyring is
 * released. The keyring is immutable and may be used from several threads at once.
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
 *
 * On encrypt it generates the data key if the materials have none, then wraps it with a fresh
 * random 12-byte IV. On decrypt it tries, in order, every EDK whose provider id is the
 * namespace and whose provider info names this key; any that fails to unwrap (another key,
 * another context) is skipped, and ESDK_ERR_CANNOT_DECRYPT is returned when none unwraps.
 *
 * @param key_namespace the key namespace, written as the EDK provider id (copied)
 * @param key_name the key name, written in the EDK provider info (copied)
 * @param key the wrapping key (copied into guarded memory; the caller wipes its own copy)
 * @param key_len 16, 24 or 32
 * @param[out] out the keyring; caller releases with esdk_keyring_release()
 * @retval 0 success
 * @retval ESDK_ERR_BAD_ARGUMENT NULL arguments, invalid UTF-8, the reserved namespace
 * @retval ESDK_ERR_BAD_KEY a key that is not 16, 24 or 32 bytes
 * @retval ESDK_ERR_NO_MEMORY allocation failed
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
