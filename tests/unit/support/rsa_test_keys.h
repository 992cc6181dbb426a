/* Test-only RSA (and one EC) keys, generated once with OpenSSL 3.0 (`openssl genrsa`,
 * `openssl rsa -traditional / -pubout / -RSAPublicKey_out`, `openssl pkcs8`). Never use them
 * for anything but tests. DER forms are the base64 bodies of these PEM texts. */
#ifndef ESDK_TEST_RSA_TEST_KEYS_H
#define ESDK_TEST_RSA_TEST_KEYS_H

/* RSA-2048 key A, PKCS#8 private */
extern const char test_rsa_2048_a_pkcs8[];
/* key A, PKCS#1 private (RSA PRIVATE KEY) */
extern const char test_rsa_2048_a_pkcs1[];
/* key A, SubjectPublicKeyInfo public */
extern const char test_rsa_2048_a_spki[];
/* key A, PKCS#1 public (RSA PUBLIC KEY) */
extern const char test_rsa_2048_a_pkcs1_pub[];
/* key A, password-protected PKCS#8 (password 'secret') */
extern const char test_rsa_2048_a_pkcs8_encrypted[];
/* RSA-2048 key B (the 'wrong key'), PKCS#8 private */
extern const char test_rsa_2048_b_pkcs8[];
/* key B, SubjectPublicKeyInfo public */
extern const char test_rsa_2048_b_spki[];
/* RSA-3072, PKCS#8 private */
extern const char test_rsa_3072_pkcs8[];
/* RSA-3072, SubjectPublicKeyInfo public */
extern const char test_rsa_3072_spki[];
/* RSA-4096, PKCS#8 private */
extern const char test_rsa_4096_pkcs8[];
/* RSA-4096, SubjectPublicKeyInfo public */
extern const char test_rsa_4096_spki[];
/* RSA-1024 (too small: refused), PKCS#8 private */
extern const char test_rsa_1024_pkcs8[];
/* RSA-1024 (too small: refused), public */
extern const char test_rsa_1024_spki[];
/* RSA-8192 (the largest accepted), PKCS#8 private */
extern const char test_rsa_8192_pkcs8[];
/* RSA-8192, SubjectPublicKeyInfo public */
extern const char test_rsa_8192_spki[];
/* an EC P-256 key (not RSA: refused), PKCS#8 private */
extern const char test_ec_p256_pkcs8[];
/* the EC P-256 public key */
extern const char test_ec_p256_spki[];

#endif
