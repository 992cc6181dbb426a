/**
 * @file suite.h
 * The eleven algorithm suites of the AWS Encryption SDK message format, and commitment
 * policies.
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
    ESDK_SUITE_AES_128_GCM_IV12_TAG16_NO_KDF = 0x0014,
    ESDK_SUITE_AES_192_GCM_IV12_TAG16_NO_KDF = 0x0046,
    ESDK_SUITE_AES_256_GCM_IV12_TAG16_NO_KDF = 0x0078,
    ESDK_SUITE_AES_128_GCM_IV12_TAG16_HKDF_SHA256 = 0x0114,
    ESDK_SUITE_AES_192_GCM_IV12_TAG16_HKDF_SHA256 = 0x0146,
    ESDK_SUITE_AES_256_GCM_IV12_TAG16_HKDF_SHA256 = 0x0178,
    ESDK_SUITE_AES_128_GCM_IV12_TAG16_HKDF_SHA256_ECDSA_P256 = 0x0214,
    ESDK_SUITE_AES_192_GCM_IV12_TAG16_HKDF_SHA384_ECDSA_P384 = 0x0346,
    ESDK_SUITE_AES_256_GCM_IV12_TAG16_HKDF_SHA384_ECDSA_P384 = 0x0378,
    ESDK_SUITE_AES_256_GCM_HKDF_SHA512_COMMIT_KEY = 0x0478,
    ESDK_SUITE_AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384 = 0x0578,
};

/** Commitment policies; the default is ESDK_COMMITMENT_REQUIRE_ENCRYPT_REQUIRE_DECRYPT. */
typedef enum esdk_commitment_policy {
    ESDK_COMMITMENT_REQUIRE_ENCRYPT_REQUIRE_DECRYPT = 0,
    ESDK_COMMITMENT_REQUIRE_ENCRYPT_ALLOW_DECRYPT = 1,
    ESDK_COMMITMENT_FORBID_ENCRYPT_ALLOW_DECRYPT = 2,
} esdk_commitment_policy;

/** true for the eleven ids above. */
ESDK_API bool esdk_suite_is_known(uint16_t suite_id);
/** Data key (and encryption key) length in bytes, 0 for an unknown suite. */
ESDK_API size_t esdk_suite_data_key_len(uint16_t suite_id);
/** Message format version (1 or 2), 0 for an unknown suite. */
ESDK_API int esdk_suite_message_version(uint16_t suite_id);
/** true if the suite signs messages with ECDSA. */
ESDK_API bool esdk_suite_is_signed(uint16_t suite_id);
/** true if the suite commits to its key (0x0478, 0x0578). */
ESDK_API bool esdk_suite_is_committing(uint16_t suite_id);
/** true if the suite derives its key with HKDF (all but the three NO_KDF suites). */
ESDK_API bool esdk_suite_has_kdf(uint16_t suite_id);
/** The official name, e.g. "AES_256_GCM_HKDF_SHA512_COMMIT_KEY"; NULL for unknown ids. */
ESDK_API const char *esdk_suite_name(uint16_t suite_id);
/** Parse an official name or a hex id ("0x0478", "0478"); 0 on success. */
ESDK_API ESDK_MUST_USE int esdk_suite_from_name(const char *name, uint16_t *suite_id);
/** The suite encrypt uses when none is requested under a policy. */
ESDK_API uint16_t esdk_suite_default_for_policy(esdk_commitment_policy policy);
/** true if the policy lets encrypt use the suite. */
ESDK_API bool esdk_policy_allows_encrypt(esdk_commitment_policy policy, uint16_t suite_id);
/** true if the policy lets decrypt accept the suite. */
ESDK_API bool esdk_policy_allows_decrypt(esdk_commitment_policy policy, uint16_t suite_id);

#ifdef __cplusplus
}
#endif
#endif
