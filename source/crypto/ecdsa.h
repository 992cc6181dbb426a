/* ECDSA on P-256 and P-384 for message signatures; compressed SEC1 public points. */
#ifndef ESDK_CRYPTO_ECDSA_H
#define ESDK_CRYPTO_ECDSA_H

#include <stddef.h>
#include <stdint.h>

typedef enum esdk_curve {
    ESDK_CURVE_P256 = 0,
    ESDK_CURVE_P384 = 1,
    ESDK_CURVE_P521 = 2, /* key agreement (raw ECDH keyring) only */
} esdk_curve;

/* Largest DER signature and compressed point we produce or accept. */
#define ESDK_SIG_MAX_LEN   139
#define ESDK_POINT_MAX_LEN 67

typedef struct esdk_sig_key esdk_sig_key;

/* A fresh key pair. */
int esdk_sig_key_generate(esdk_curve curve, esdk_sig_key **out);
/* A verification key from a compressed point (02|03 || X); the point must be on the curve,
 * else ESDK_ERR_BAD_KEY. */
int esdk_sig_key_from_compressed(
    esdk_curve curve, const uint8_t *point, size_t len, esdk_sig_key **out);
int esdk_sig_key_clone(const esdk_sig_key *key, esdk_sig_key **out);
/* Wipe and free (NULL ignored). */
void esdk_sig_key_release(esdk_sig_key *key);
esdk_curve esdk_sig_key_curve(const esdk_sig_key *key);
/* The compressed public point: 33 bytes (P-256), 49 (P-384), 67 (P-521). */
int esdk_sig_key_public_compressed(const esdk_sig_key *key, uint8_t *out, size_t cap, size_t *len);
size_t esdk_curve_point_len(esdk_curve curve);
/* The signature length the official SDKs always write: 71 (P-256), 103 (P-384). */
size_t esdk_curve_fixed_sig_len(esdk_curve curve);

/* Sign a digest; DER ECDSA-Sig-Value of exactly esdk_curve_fixed_sig_len bytes (re-signed
 * or s replaced by n - s until it has that length, as the official SDKs do). */
int esdk_sig_sign(
    const esdk_sig_key *key,
    const uint8_t *digest,
    size_t digest_len,
    uint8_t *sig,
    size_t cap,
    size_t *sig_len);
/* ESDK_ERR_SIGNATURE_MISMATCH when the DER signature (any valid length) does not verify. */
int esdk_sig_verify(
    const esdk_sig_key *key,
    const uint8_t *digest,
    size_t digest_len,
    const uint8_t *sig,
    size_t sig_len);

#endif
