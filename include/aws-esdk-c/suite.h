/**
 * @file suite.h
 * The eleven algorithm suites of the AWS Encryption SDK message format, and commitment
 * policies. Every function here is pure and thread-safe.
 *
 * Suites 0x0014..0x0178 write message format version 1; the committing suites 0x0478 and
 * 0x0578 write version 2. Suites with ECDSA sign the whole message with a per-message key
 * whose public half travels in the encryption context ("aws-crypto-public-key").
 */
#ifndef ESDK_SUITE_H
#define ESDK_SUITE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <aws-esdk-c/export.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Algorithm suite ids (the u16 written in the header). */
enum esdk_suite_id {
    /** AES-128-GCM, data key used directly (legacy: no key derivation, no commitment) */
    ESDK_SUITE_AES_128_GCM_IV12_TAG16_NO_KDF = 0x0014,
    /** AES-192-GCM, data key used directly (legacy) */
    ESDK_SUITE_AES_192_GCM_IV12_TAG16_NO_KDF = 0x0046,
    /** AES-256-GCM, data key used directly (legacy) */
    ESDK_SUITE_AES_256_GCM_IV12_TAG16_NO_KDF = 0x0078,
    /** AES-128-GCM, key derived with HKDF-SHA256 */
    ESDK_SUITE_AES_128_GCM_IV12_TAG16_HKDF_SHA256 = 0x0114,
    /** AES-192-GCM, key derived with HKDF-SHA256 */
    ESDK_SUITE_AES_192_GCM_IV12_TAG16_HKDF_SHA256 = 0x0146,
    /** AES-256-GCM, key derived with HKDF-SHA256 */
    ESDK_SUITE_AES_256_GCM_IV12_TAG16_HKDF_SHA256 = 0x0178,
    /** AES-128-GCM, HKDF-SHA256, signed with ECDSA P-256 */
    ESDK_SUITE_AES_128_GCM_IV12_TAG16_HKDF_SHA256_ECDSA_P256 = 0x0214,
    /** AES-192-GCM, HKDF-SHA384, signed with ECDSA P-384 */
    ESDK_SUITE_AES_192_GCM_IV12_TAG16_HKDF_SHA384_ECDSA_P384 = 0x0346,
    /** AES-256-GCM, HKDF-SHA384, signed with ECDSA P-384 (the default under
     *  ESDK_COMMITMENT_FORBID_ENCRYPT_ALLOW_DECRYPT) */
    ESDK_SUITE_AES_256_GCM_IV12_TAG16_HKDF_SHA384_ECDSA_P384 = 0x0378,
    /** AES-256-GCM, HKDF-SHA512 with key commitment (message format version 2) */
    ESDK_SUITE_AES_256_GCM_HKDF_SHA512_COMMIT_KEY = 0x0478,
    /** AES-256-GCM, HKDF-SHA512 with key commitment, signed with ECDSA P-384 (the default) */
    ESDK_SUITE_AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384 = 0x0578,
};

/**
 * Commitment policies: which suites encrypt may use and decrypt may accept. The default is
 * ESDK_COMMITMENT_REQUIRE_ENCRYPT_REQUIRE_DECRYPT. Values never change once released.
 */
typedef enum esdk_commitment_policy {
    /** Encrypt and decrypt only with committing suites (0x0478, 0x0578). The default. */
    ESDK_COMMITMENT_REQUIRE_ENCRYPT_REQUIRE_DECRYPT = 0,
    /** Encrypt with committing suites; decrypt any suite (for migrating readers). */
    ESDK_COMMITMENT_REQUIRE_ENCRYPT_ALLOW_DECRYPT = 1,
    /** Encrypt with non-committing suites only (for old readers); decrypt any suite. */
    ESDK_COMMITMENT_FORBID_ENCRYPT_ALLOW_DECRYPT = 2,
} esdk_commitment_policy;

/**
 * Whether an id is one of the eleven suites.
 * @param suite_id a suite id
 * @return true for the eleven ids of enum esdk_suite_id
 */
ESDK_API bool esdk_suite_is_known(uint16_t suite_id);
/**
 * The data key (and encryption key) length of a suite.
 * @param suite_id a suite id
 * @return 16, 24 or 32 bytes; 0 for an unknown suite
 */
ESDK_API size_t esdk_suite_data_key_len(uint16_t suite_id);
/**
 * The message format version a suite writes.
 * @param suite_id a suite id
 * @return 1 or 2; 0 for an unknown suite
 */
ESDK_API int esdk_suite_message_version(uint16_t suite_id);
/**
 * Whether a suite signs messages with ECDSA.
 * @param suite_id a suite id
 * @return true for 0x0214, 0x0346, 0x0378 and 0x0578; false otherwise (unknown ids included)
 */
ESDK_API bool esdk_suite_is_signed(uint16_t suite_id);
/**
 * Whether a suite commits to its key.
 * @param suite_id a suite id
 * @return true for 0x0478 and 0x0578; false otherwise
 */
ESDK_API bool esdk_suite_is_committing(uint16_t suite_id);
/**
 * Whether a suite derives its encryption key with HKDF.
 * @param suite_id a suite id
 * @return true for all known suites but the three NO_KDF ones; false for unknown ids
 */
ESDK_API bool esdk_suite_has_kdf(uint16_t suite_id);
/**
 * The official name of a suite.
 * @param suite_id a suite id
 * @return e.g. "AES_256_GCM_HKDF_SHA512_COMMIT_KEY" (static; do not free); NULL for unknown ids
 */
ESDK_API const char *esdk_suite_name(uint16_t suite_id);
/**
 * Parse a suite from its official name or its hex id.
 * @param name e.g. "AES_256_GCM_HKDF_SHA512_COMMIT_KEY", "0x0478" or "0478" (borrowed)
 * @param[out] suite_id the id
 * @retval 0 success
 * @retval ESDK_ERR_BAD_ARGUMENT NULL arguments, or not a known suite
 */
ESDK_API ESDK_MUST_USE int esdk_suite_from_name(const char *name, uint16_t *suite_id);
/**
 * The suite encrypt uses when none is requested.
 * @param policy a commitment policy
 * @return 0x0378 under ESDK_COMMITMENT_FORBID_ENCRYPT_ALLOW_DECRYPT (as every official SDK),
 *         else 0x0578
 */
ESDK_API uint16_t esdk_suite_default_for_policy(esdk_commitment_policy policy);
/**
 * Whether a policy lets encrypt use a suite.
 * @param policy a commitment policy
 * @param suite_id a suite id
 * @return true if allowed (committing suites under the REQUIRE_ENCRYPT policies,
 *         non-committing ones under FORBID_ENCRYPT); false for unknown ids
 */
ESDK_API bool esdk_policy_allows_encrypt(esdk_commitment_policy policy, uint16_t suite_id);
/**
 * Whether a policy lets decrypt accept a suite.
 * @param policy a commitment policy
 * @param suite_id a suite id
 * @return true if allowed (only committing suites under REQUIRE_ENCRYPT_REQUIRE_DECRYPT, any
 *         known suite otherwise); false for unknown ids
 */
ESDK_API bool esdk_policy_allows_decrypt(esdk_commitment_policy policy, uint16_t suite_id);

#ifdef __cplusplus
}
#endif
#endif
