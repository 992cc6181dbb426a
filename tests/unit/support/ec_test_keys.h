/* EC key pairs for the raw ECDH tests (made once with openssl; test keys, never used
 * elsewhere): per curve, three pairs A, B, C as PKCS#8 PEM private keys and
 * SubjectPublicKeyInfo PEM public keys; a SEC1 ("EC PRIVATE KEY") copy of P-256 A; and the
 * keys of one official vector (mpl-keyring ecc-256-private). */
#ifndef ESDK_TEST_EC_TEST_KEYS_H
#define ESDK_TEST_EC_TEST_KEYS_H

typedef struct ec_test_pair {
    const char *private_pem;
    const char *public_pem;
} ec_test_pair;

/* [curve 0..2 = P-256, P-384, P-521][pair 0..2 = A, B, C] */
extern const ec_test_pair ec_test_keys[3][3];
extern const char ec_test_p256_a_sec1[];
/* official vector keys: the sender private key (PEM), the recipient public key (base64 DER) */
extern const char ec_vector_sender_pem[];
extern const char ec_vector_recipient_der_b64[];

#endif
