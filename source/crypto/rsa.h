/* RSA key wrapping (PKCS#1 v1.5 and OAEP with MGF1 over the same hash, empty label) on
 * mbedTLS. A key is parsed once, bound to one padding, and is then immutable and safe to
 * share between threads (mbedTLS locks the blinding values itself). */
#ifndef ESDK_CRYPTO_RSA_H
#define ESDK_CRYPTO_RSA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum esdk_rsa_pad {
    ESDK_RSA_PAD_PKCS1_V15 = 0,
    ESDK_RSA_PAD_OAEP_SHA1 = 1,
    ESDK_RSA_PAD_OAEP_SHA256 = 2,
    ESDK_RSA_PAD_OAEP_SHA384 = 3,
    ESDK_RSA_PAD_OAEP_SHA512 = 4,
} esdk_rsa_pad;

typedef struct esdk_rsa_key esdk_rsa_key;

/* A public key from PEM or DER: SubjectPublicKeyInfo ("PUBLIC KEY") or PKCS#1
 * ("RSA PUBLIC KEY"). ESDK_ERR_BAD_KEY for anything else (including non-RSA keys). */
int esdk_rsa_public_key_parse(
    const uint8_t *data, size_t len, esdk_rsa_pad pad, esdk_rsa_key **out);
/* A private key from PEM or DER: PKCS#8 ("PRIVATE KEY") or PKCS#1 ("RSA PRIVATE KEY").
 * Password-protected keys are refused. The input may be wiped by the caller afterwards. */
int esdk_rsa_private_key_parse(
    const uint8_t *data, size_t len, esdk_rsa_pad pad, esdk_rsa_key **out);
void esdk_rsa_key_release(esdk_rsa_key *key);

/* Modulus size in bits, and in bytes (the length of every ciphertext). */
size_t esdk_rsa_key_bits(const esdk_rsa_key *key);
size_t esdk_rsa_key_len(const esdk_rsa_key *key);
/* Whether a public key and a private key form a pair. */
bool esdk_rsa_keys_match(const esdk_rsa_key *pub, const esdk_rsa_key *priv);

/* Encrypt in_len bytes with a public key; out receives esdk_rsa_key_len(key) bytes. */
int esdk_rsa_encrypt(const esdk_rsa_key *key, const uint8_t *in, size_t in_len, uint8_t *out);

/*
 * Decrypt a ciphertext of exactly esdk_rsa_key_len(key) bytes that must hold exactly
 * expected_len (1..64) bytes.
 *
 * OAEP: 0 and the plaintext in out, or ESDK_ERR_CANNOT_DECRYPT for every kind of failure
 * (one code, one text).
 *
 * PKCS#1 v1.5 uses implicit rejection (the Marvin / Bleichenbacher defence): the padding
 * check runs in constant time inside mbedTLS, and whenever it fails -- or the plaintext has
 * another length -- out receives a pseudo-random value derived from a secret of the private
 * key and the ciphertext, chosen without a branch. The call then returns 0 either way, so
 * nothing the caller does next depends on the padding. Only public conditions (a ciphertext
 * of the wrong length, a failing RNG) return an error.
 */
int esdk_rsa_decrypt(
    const esdk_rsa_key *key, const uint8_t *in, size_t in_len, uint8_t *out, size_t expected_len);

#endif
