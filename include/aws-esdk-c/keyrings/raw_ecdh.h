/**
 * @file keyrings/raw_ecdh.h
 * The raw ECDH keyring: data keys wrapped under a key agreed by elliptic-curve Diffie-Hellman
 * between a sender and a recipient key pair that the application holds (NIST P-256, P-384 or
 * P-521), in the layout of the official AWS Cryptographic Material Providers Library, so that
 * messages interoperate with the official AWS Encryption SDKs (4.x and later).
 *
 * Three key-agreement schemas:
 *  - static (esdk_keyring_raw_ecdh_static_new): the sender's private key and the recipient's
 *    public key. Encrypts, and decrypts what either side of the pair wrapped: a message from
 *    sender S to recipient R opens with the keyring (S private, R public) and with the
 *    keyring (R private, S public).
 *  - discovery (esdk_keyring_raw_ecdh_discovery_new): the recipient's private key only.
 *    Decrypts every EDK addressed to that recipient, whoever sent it (the sender's public key
 *    travels in the EDK); it cannot encrypt (ESDK_ERR_UNSUPPORTED). Discovery authenticates
 *    nothing about the sender.
 *  - ephemeral sender (esdk_keyring_raw_ecdh_ephemeral_new): the recipient's public key only.
 *    Every on_encrypt makes a fresh sender key pair, so the message is readable only by the
 *    recipient's private key; it cannot decrypt (ESDK_ERR_UNSUPPORTED).
 *
 * Wire layout of the EDK this keyring writes:
 *  - provider id "raw-ecdh" (on decrypt, "aws-kms-ecdh" EDKs are read too: same layout);
 *  - provider info = 0x01 || u32 len || recipient public point || u32 len || sender public
 *    point, points SEC1-compressed (33 / 49 / 67 bytes), u32 big-endian;
 *  - ciphertext = nonce (32) || commitment key (32) || AES-256-GCM(data key) || tag (16).
 * Key derivation: Z = x-coordinate of the ECDH product; fixedInfo = "ecdh-key-derivation" 00
 * "p256"|"p384"|"p521" 00 "HMAC_SHA384" 00 senderPoint || recipientPoint 00 01 00 serialized
 * encryption context; 64 bytes = NIST SP 800-108 counter mode, HMAC-SHA384, key Z, label
 * fixedInfo, context nonce. The first 32 are the commitment key, compared in constant time
 * before anything is unwrapped; the last 32 the AES-256-GCM key (IV: 12 zero bytes, AAD:
 * fixedInfo). The encryption context is thus bound to the wrapped key.
 *
 * Keys (PEM or DER; the keyring keeps its own copy, the caller may wipe its buffers):
 *  - private: PKCS#8 ("BEGIN PRIVATE KEY") or SEC1 ("BEGIN EC PRIVATE KEY"), unencrypted;
 *  - public: SubjectPublicKeyInfo ("BEGIN PUBLIC KEY", uncompressed point), or a raw SEC1
 *    point, compressed (02|03 || X) or uncompressed (04 || X || Y).
 * Every key must be on the curve given; points are checked to be on it.
 *
 * Decrypt errors: ESDK_ERR_CANNOT_DECRYPT when no EDK is addressed to this keyring or none
 * unwraps; ESDK_ERR_COMMITMENT_MISMATCH when an EDK addressed to it carries a commitment key
 * that does not match the derived one (a tampered EDK) and no other EDK unwrapped.
 *
 * Keyrings are immutable after construction and may be used from several threads. Private
 * keys are held by mbedTLS and freed (zeroized) with the keyring; the static schema's shared
 * secret, agreed once, lives in guarded memory; per-message secrets (Z, derived keys) are
 * wiped after each call.
 */
#ifndef ESDK_KEYRINGS_RAW_ECDH_H
#define ESDK_KEYRINGS_RAW_ECDH_H

#include <stddef.h>
#include <stdint.h>

#include <aws-esdk-c/export.h>
#include <aws-esdk-c/keyring.h>

#ifdef __cplusplus
extern "C" {
#endif

/** The provider id of the EDKs this keyring writes. */
#define ESDK_RAW_ECDH_PROVIDER_ID "raw-ecdh"

/** Curves of the raw ECDH keyring. Values never change once released. */
typedef enum esdk_ecdh_curve {
    ESDK_ECDH_CURVE_P256 = 0, /**< NIST P-256 (secp256r1) */
    ESDK_ECDH_CURVE_P384 = 1, /**< NIST P-384 (secp384r1) */
    ESDK_ECDH_CURVE_P521 = 2, /**< NIST P-521 (secp521r1) */
} esdk_ecdh_curve;

/**
 * A static-schema keyring: sender_private_key (PEM/DER private key) and recipient_public_key
 * (PEM/DER public key or SEC1 point), both on curve.
 * @param curve the curve of both keys
 * @param sender_private_key PEM or DER private key (copied; the caller wipes its own copy)
 * @param sender_private_key_len its length
 * @param recipient_public_key PEM or DER public key, or a SEC1 point (copied)
 * @param recipient_public_key_len its length
 * @param[out] out the keyring; caller releases with esdk_keyring_release()
 * @retval 0 success
 * @retval ESDK_ERR_BAD_KEY unparsable keys, keys on another curve, a public key as private
 * @retval ESDK_ERR_BAD_ARGUMENT NULL arguments or an unknown curve
 * @retval ESDK_ERR_NO_MEMORY allocation failed
 */
ESDK_API ESDK_MUST_USE int esdk_keyring_raw_ecdh_static_new(
    esdk_ecdh_curve curve,
    const uint8_t *sender_private_key,
    size_t sender_private_key_len,
    const uint8_t *recipient_public_key,
    size_t recipient_public_key_len,
    esdk_keyring **out);

/**
 * A discovery keyring (decrypt only) holding recipient_private_key (PEM/DER) on curve.
 * @param curve the curve of the key
 * @param recipient_private_key PEM or DER private key (copied; the caller wipes its own copy)
 * @param recipient_private_key_len its length
 * @param[out] out the keyring; caller releases with esdk_keyring_release()
 * @retval 0 success
 * @retval ESDK_ERR_BAD_KEY an unparsable key, or a key on another curve
 * @retval ESDK_ERR_BAD_ARGUMENT NULL arguments or an unknown curve
 * @retval ESDK_ERR_NO_MEMORY allocation failed
 */
ESDK_API ESDK_MUST_USE int esdk_keyring_raw_ecdh_discovery_new(
    esdk_ecdh_curve curve,
    const uint8_t *recipient_private_key,
    size_t recipient_private_key_len,
    esdk_keyring **out);

/**
 * An ephemeral-sender keyring (encrypt only) for recipient_public_key on curve.
 * @param curve the curve of the key
 * @param recipient_public_key PEM or DER public key, or a SEC1 point (copied)
 * @param recipient_public_key_len its length
 * @param[out] out the keyring; caller releases with esdk_keyring_release()
 * @retval 0 success
 * @retval ESDK_ERR_BAD_KEY an unparsable key, a point not on the curve
 * @retval ESDK_ERR_BAD_ARGUMENT NULL arguments or an unknown curve
 * @retval ESDK_ERR_NO_MEMORY allocation failed
 */
ESDK_API ESDK_MUST_USE int esdk_keyring_raw_ecdh_ephemeral_new(
    esdk_ecdh_curve curve,
    const uint8_t *recipient_public_key,
    size_t recipient_public_key_len,
    esdk_keyring **out);

#ifdef __cplusplus
}
#endif
#endif
