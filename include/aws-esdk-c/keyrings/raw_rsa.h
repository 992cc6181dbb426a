/**
 * @file keyrings/raw_rsa.h
 * The raw RSA keyring: wraps data keys with an RSA key the application holds, in the
 * official layout (provider id = namespace; provider info = the key name bytes; ciphertext =
 * the RSA ciphertext of the data key, one modulus long). RSA wrapping is not bound to the
 * encryption context.
 *
 * Padding: use OAEP (ESDK_RSA_OAEP_SHA256_MGF1 or stronger) for anything new. PKCS#1 v1.5
 * exists to read and write messages for older systems; it is decrypted with implicit
 * rejection (below).
 *
 * PKCS#1 v1.5 decryption and the Bleichenbacher / Marvin attacks: the padding is checked in
 * constant time (mbedTLS), with RSA blinding, and the outcome is never branched on. When
 * the padding (or the data key length) is wrong, the keyring does not fail: it hands on a
 * pseudo-random data key derived from a secret of the private key and the ciphertext, so the
 * message then fails its key commitment or header authentication exactly as it would with a
 * well-formed but wrong data key. Consequences of this choice:
 *  - a PKCS#1 v1.5 keyring uses the first EDK whose provider id and info match it (and whose
 *    ciphertext is one modulus long); it does not try further matching EDKs, and inside a
 *    multi-keyring the later keyrings are not tried either;
 *  - a message whose matching EDK was wrapped under another key with the same namespace and
 *    name fails with ESDK_ERR_COMMITMENT_MISMATCH or ESDK_ERR_BAD_TAG, not
 *    ESDK_ERR_CANNOT_DECRYPT.
 * OAEP keyrings try every matching EDK in order and fail with one uniform
 * ESDK_ERR_CANNOT_DECRYPT when none can be unwrapped.
 */
#ifndef ESDK_KEYRINGS_RAW_RSA_H
#define ESDK_KEYRINGS_RAW_RSA_H

#include <stddef.h>
#include <stdint.h>

#include <aws-esdk-c/export.h>
#include <aws-esdk-c/keyring.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * RSA padding schemes of the official SDKs. OAEP uses MGF1 with the same hash and an empty
 * label. Values never change once released.
 */
typedef enum esdk_rsa_padding {
    ESDK_RSA_PKCS1 = 0,            /**< PKCS#1 v1.5 (legacy; see above) */
    ESDK_RSA_OAEP_SHA1_MGF1 = 1,   /**< OAEP, SHA-1 and MGF1-SHA-1 */
    ESDK_RSA_OAEP_SHA256_MGF1 = 2, /**< OAEP, SHA-256 and MGF1-SHA-256 (recommended) */
    ESDK_RSA_OAEP_SHA384_MGF1 = 3, /**< OAEP, SHA-384 and MGF1-SHA-384 */
    ESDK_RSA_OAEP_SHA512_MGF1 = 4, /**< OAEP, SHA-512 and MGF1-SHA-512 */
} esdk_rsa_padding;

/**
 * A raw RSA keyring.
 *
 * key_namespace and key_name are UTF-8 strings; the namespace "aws-kms" (and names starting
 * with it) is reserved. public_key and private_key are PEM or DER bytes; either may be NULL
 * (with length 0) but not both:
 *  - public key: SubjectPublicKeyInfo ("BEGIN PUBLIC KEY") or PKCS#1 ("BEGIN RSA PUBLIC KEY");
 *  - private key: PKCS#8 ("BEGIN PRIVATE KEY") or PKCS#1 ("BEGIN RSA PRIVATE KEY"),
 *    unencrypted. The keyring keeps its own copy; the caller may wipe its buffer.
 * The modulus must be 2048 to 8192 bits. When both keys are given they must form a pair.
 *
 * Without a public key the keyring cannot encrypt (the public key is never derived from the
 * private key): on_encrypt fails with ESDK_ERR_BAD_STATE. Without a private key it cannot
 * decrypt: on_decrypt fails with ESDK_ERR_BAD_STATE, detail "... has no private key".
 *
 * The private key is held by mbedTLS and wiped (mbedtls_pk_free) when the keyring is
 * released. The keyring is immutable and may be used from several threads at once.
 *
 * @param key_namespace the key namespace, written as the EDK provider id (copied)
 * @param key_name the key name, written as the EDK provider info (copied)
 * @param padding the padding scheme (ESDK_RSA_OAEP_SHA256_MGF1 recommended)
 * @param public_key PEM or DER public key (copied), or NULL
 * @param public_key_len its length (0 with NULL)
 * @param private_key PEM or DER private key (copied; the caller wipes its own copy), or NULL
 * @param private_key_len its length (0 with NULL)
 * @param[out] out the keyring; caller releases with esdk_keyring_release()
 * @retval 0 success
 * @retval ESDK_ERR_NO_MEMORY allocation failed
 *
 * @retval ESDK_ERR_BAD_KEY unparsable, password-protected, non-RSA, mismatched or
 *         wrongly sized keys (the detail says which)
 * @retval ESDK_ERR_BAD_ARGUMENT bad names, unknown padding, no key at all
 */
ESDK_API ESDK_MUST_USE int esdk_keyring_raw_rsa_new(
    const char *key_namespace,
    const char *key_name,
    esdk_rsa_padding padding,
    const uint8_t *public_key,
    size_t public_key_len,
    const uint8_t *private_key,
    size_t private_key_len,
    esdk_keyring **out);

#ifdef __cplusplus
}
#endif
#endif
