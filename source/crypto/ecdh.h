/* Elliptic-curve Diffie-Hellman on P-256, P-384 and P-521 (raw ECDH keyring), and EC keys
 * read from PEM or DER. The key object is the one of ecdsa.h (esdk_sig_key): one struct for
 * both uses, so generation, compressed points and release are shared. */
#ifndef ESDK_CRYPTO_ECDH_H
#define ESDK_CRYPTO_ECDH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "crypto/ecdsa.h"

typedef struct esdk_sig_key esdk_ec_key;

/* Largest shared secret (P-521: 66 bytes) and uncompressed point (1 + 2 * 66). */
#define ESDK_ECDH_SECRET_MAX_LEN 66
#define ESDK_EC_POINT_MAX_LEN    133

/* A private key from PEM or DER: PKCS#8 ("PRIVATE KEY") or SEC1 ("EC PRIVATE KEY"),
 * unencrypted, on P-256, P-384 or P-521. The public point is read from the key when present
 * (and checked against the scalar), else computed. ESDK_ERR_BAD_KEY for anything else. The
 * caller may wipe its buffer afterwards. */
int esdk_ec_key_parse_private(const uint8_t *data, size_t len, esdk_ec_key **out);
/* A public key from PEM or DER SubjectPublicKeyInfo ("PUBLIC KEY") with an uncompressed
 * point, on P-256, P-384 or P-521. */
int esdk_ec_key_parse_public(const uint8_t *data, size_t len, esdk_ec_key **out);
/* A public key from a SEC1 point of curve: compressed (02|03 || X) or uncompressed
 * (04 || X || Y); the point must be on the curve. */
int esdk_ec_key_from_point(esdk_curve curve, const uint8_t *point, size_t len, esdk_ec_key **out);
/* Whether the key holds a private scalar. */
bool esdk_ec_key_has_private(const esdk_ec_key *key);

/* The shared secret length of a curve: the field size, 32 / 48 / 66 bytes. */
size_t esdk_ecdh_secret_len(esdk_curve curve);
/* Z = the x-coordinate of d_priv * Q_peer, big-endian, padded to esdk_ecdh_secret_len.
 * priv must hold a private key; both keys must be on the same curve. Safe to call from
 * several threads on shared keys (the keys are only read). cap >= esdk_ecdh_secret_len. */
int esdk_ecdh_shared_secret(
    const esdk_ec_key *priv, const esdk_ec_key *peer, uint8_t *z, size_t cap, size_t *z_len);

#endif
