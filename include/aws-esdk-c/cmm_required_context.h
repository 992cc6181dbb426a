/**
 * @file cmm_required_context.h
 * The required-encryption-context CMM: names context keys that every message must carry,
 * authenticated but not stored in the message. Encrypt refuses a context that lacks one of
 * them, and a message made this way decrypts only when the caller supplies those pairs again
 * as the reproduced context (esdk_decrypt's reproduced_context, esdk_session_set_context).
 */
#ifndef ESDK_CMM_REQUIRED_CONTEXT_H
#define ESDK_CMM_REQUIRED_CONTEXT_H

#include <stddef.h>

#include <aws-esdk-c/cmm.h>
#include <aws-esdk-c/export.h>
#include <aws-esdk-c/keyring.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * A required-context CMM over underlying (retained) requiring keys[0..key_count) (copied;
 * at least one; valid UTF-8; no duplicates; none with the reserved "aws-crypto-" prefix).
 *
 * Encrypt: the caller's context must hold every key (ESDK_ERR_CONTEXT_MISMATCH otherwise);
 * the request goes on with the keys added to its required keys; the returned materials must
 * list them (ESDK_ERR_CONTEXT_MISMATCH otherwise). Those pairs are authenticated by the header
 * tag (and by keyrings that bind the context) but left out of the stored header context.
 *
 * Decrypt: the caller's reproduced context must hold every key (ESDK_ERR_CONTEXT_MISMATCH
 * otherwise); the request goes on unchanged; the returned materials' context must hold every
 * key (ESDK_ERR_CONTEXT_MISMATCH otherwise). A wrong reproduced value fails further on: in
 * a keyring that binds the context (raw AES: ESDK_ERR_CANNOT_DECRYPT), else in the header
 * authentication (ESDK_ERR_BAD_TAG).
 *
 * @param underlying the CMM that makes the materials (retained)
 * @param keys the required keys, NUL-terminated UTF-8 strings (copied)
 * @param key_count number of keys (>= 1)
 * @param[out] out the CMM; caller releases with esdk_cmm_release()
 * @retval 0 success
 * @retval ESDK_ERR_BAD_ARGUMENT NULL arguments, no key, a duplicate, a reserved or invalid key
 * @retval ESDK_ERR_NO_MEMORY allocation failed
 */
ESDK_API ESDK_MUST_USE int esdk_cmm_required_context_new(
    esdk_cmm *underlying, const char *const *keys, size_t key_count, esdk_cmm **out);

/**
 * esdk_cmm_required_context_new() over a default CMM made from keyring.
 * @param keyring the keyring (retained)
 * @param keys the required keys (copied)
 * @param key_count number of keys (>= 1)
 * @param[out] out the CMM; caller releases with esdk_cmm_release()
 * @return as esdk_cmm_required_context_new()
 */
ESDK_API ESDK_MUST_USE int esdk_cmm_required_context_new_with_keyring(
    esdk_keyring *keyring, const char *const *keys, size_t key_count, esdk_cmm **out);

#ifdef __cplusplus
}
#endif
#endif
