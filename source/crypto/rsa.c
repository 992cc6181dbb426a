/* RSA wrapping on mbedTLS 2.28: key parsing (PEM/DER, PKCS#1/PKCS#8/SPKI), OAEP and
 * PKCS#1 v1.5 with blinding, and implicit rejection for PKCS#1 v1.5 (see rsa.h). */
#include "crypto/rsa.h"

#include <string.h>

#include <mbedtls/md.h>
#include <mbedtls/pk.h>
#include <mbedtls/rsa.h>

#include <aws-esdk-c/error.h>

#include "common/mem.h"
#include "common/status.h"
#include "crypto/hash.h"
#include "crypto/hkdf.h"
#include "crypto/random.h"
#include "crypto/secure_mem.h"

/* last: poisons calls this library must not make */
#include "banned.h"

#define REJECTION_KEY_LEN 32
#define MAX_EXPECTED_LEN  64
#define MAX_MODULUS_BYTES 1024 /* 8192 bits, MBEDTLS_MPI_MAX_SIZE */

struct esdk_rsa_key {
    mbedtls_pk_context pk;
    esdk_rsa_pad pad;
    bool is_private;
    uint8_t *rejection_key; /* private keys only; guarded memory */
};

/* mbedTLS asks for randomness (OAEP/PKCS#1 padding, blinding) through this. */
static int rng(void *unused, unsigned char *out, size_t len)
{
    (void)unused;
    return esdk_random_bytes(out, len) == 0 ? 0 : MBEDTLS_ERR_RSA_RNG_FAILED;
}

static mbedtls_rsa_context *rsa_of(const esdk_rsa_key *key)
{
    /* mbedTLS updates the blinding values inside the context under its own mutex
     * (MBEDTLS_THREADING_C), so a logically const key is handed over as mutable. */
    return mbedtls_pk_rsa(*(mbedtls_pk_context *)&key->pk);
}

static bool looks_like_pem(const uint8_t *data, size_t len)
{
    static const char begin[] = "-----BEGIN";
    size_t i = 0;
    while (i < len && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' || data[i] == '\n')) {
        i++;
    }
    return len - i >= sizeof begin - 1 &&
           esdk_bytes_equal(data + i, sizeof begin - 1, begin, sizeof begin - 1);
}

/* mbedTLS reads PEM only from a NUL-terminated buffer whose length counts the NUL; DER is
 * passed as it is. *copy is set when a terminated copy was made (release it as a secret). */
static int pem_terminated(
    const uint8_t *data, size_t len, const uint8_t **buf, size_t *buf_len, uint8_t **copy)
{
    *copy = NULL;
    *buf = data;
    *buf_len = len;
    if (!looks_like_pem(data, len) || data[len - 1] == '\0') {
        return 0;
    }
    *copy = esdk_mem_acquire(len + 1);
    if (!*copy) {
        return esdk_fail(ESDK_ERR_NO_MEMORY, "cannot copy a PEM key");
    }
    memcpy(*copy, data, len);
    *buf = *copy;
    *buf_len = len + 1;
    return 0;
}

static int set_padding(esdk_rsa_key *key)
{
    static const mbedtls_md_type_t hashes[] = {
        MBEDTLS_MD_NONE, MBEDTLS_MD_SHA1, MBEDTLS_MD_SHA256, MBEDTLS_MD_SHA384, MBEDTLS_MD_SHA512};
    if ((unsigned)key->pad > ESDK_RSA_PAD_OAEP_SHA512) {
        return esdk_fail(ESDK_ERR_BAD_ARGUMENT, "unknown RSA padding %d", (int)key->pad);
    }
    /* For OAEP, mbedTLS uses this one hash for both the label hash and MGF1, which is the
     * convention of every official SDK (MGF1 hash = OAEP hash). */
    int padding = key->pad == ESDK_RSA_PAD_PKCS1_V15 ? MBEDTLS_RSA_PKCS_V15 : MBEDTLS_RSA_PKCS_V21;
    mbedtls_rsa_set_padding(mbedtls_pk_rsa(key->pk), padding, (int)hashes[key->pad]);
    return 0;
}

static int new_key(esdk_rsa_pad pad, bool is_private, esdk_rsa_key **out)
{
    esdk_rsa_key *key = esdk_mem_acquire(sizeof *key);
    if (!key) {
        return esdk_fail(ESDK_ERR_NO_MEMORY, "cannot allocate an RSA key");
    }
    mbedtls_pk_init(&key->pk);
    key->pad = pad;
    key->is_private = is_private;
    *out = key;
    return 0;
}

/* The secret behind implicit rejection: a PRF key derived from the private exponent, so
 * that the substitute plaintexts are unpredictable without the private key. */
static int derive_rejection_key(esdk_rsa_key *key)
{
    static const char label[] = "aws-esdk-c RSA PKCS#1 v1.5 implicit rejection key";
    mbedtls_rsa_context *rsa = mbedtls_pk_rsa(key->pk);
    size_t d_len = mbedtls_rsa_get_len(rsa);
    uint8_t d[MAX_MODULUS_BYTES];
    int rc = 0;
    key->rejection_key = esdk_secure_alloc(REJECTION_KEY_LEN);
    if (!key->rejection_key) {
        return esdk_fail(ESDK_ERR_NO_MEMORY, "cannot allocate an RSA key");
    }
    if (d_len > sizeof d ||
        mbedtls_rsa_export_raw(rsa, NULL, 0, NULL, 0, NULL, 0, d, d_len, NULL, 0) != 0) {
        rc = esdk_fail(ESDK_ERR_BAD_KEY, "cannot read the RSA private exponent");
    } else {
        rc = esdk_hmac(
            ESDK_HASH_SHA256,
            d,
            d_len,
            (const uint8_t *)label,
            sizeof label - 1,
            key->rejection_key);
    }
    esdk_wipe(d, sizeof d);
    return rc;
}

static int check_rsa(esdk_rsa_key *key, const char *what)
{
    if (mbedtls_pk_get_type(&key->pk) != MBEDTLS_PK_RSA) {
        return esdk_fail(ESDK_ERR_BAD_KEY, "the %s is not an RSA key", what);
    }
    return set_padding(key);
}

int esdk_rsa_public_key_parse(const uint8_t *data, size_t len, esdk_rsa_pad pad, esdk_rsa_key **out)
{
    ESDK_ENSURE(data != NULL && len > 0 && out != NULL, ESDK_ERR_BAD_ARGUMENT);
    const uint8_t *buf;
    size_t buf_len;
    uint8_t *copy;
    esdk_rsa_key *key = NULL;
    int rc;
    ESDK_TRY(pem_terminated(data, len, &buf, &buf_len, &copy));
    ESDK_TRY_GOTO(rc, new_key(pad, false, &key));
    int ret = mbedtls_pk_parse_public_key(&key->pk, buf, buf_len);
    if (ret != 0) {
        rc = esdk_fail(
            ESDK_ERR_BAD_KEY,
            "cannot parse the RSA public key: expected PEM or DER, SubjectPublicKeyInfo "
            "or PKCS#1 RSAPublicKey (mbedTLS error -0x%04x)",
            (unsigned)-ret);
        goto cleanup;
    }
    ESDK_TRY_GOTO(rc, check_rsa(key, "public key"));
    if (mbedtls_rsa_check_pubkey(mbedtls_pk_rsa(key->pk)) != 0) {
        rc = esdk_fail(ESDK_ERR_BAD_KEY, "the RSA public key is not valid");
        goto cleanup;
    }
    *out = key;
    key = NULL;
cleanup:
    esdk_rsa_key_release(key);
    esdk_mem_release(copy, buf_len);
    return rc;
}

int esdk_rsa_private_key_parse(
    const uint8_t *data, size_t len, esdk_rsa_pad pad, esdk_rsa_key **out)
{
    ESDK_ENSURE(data != NULL && len > 0 && out != NULL, ESDK_ERR_BAD_ARGUMENT);
    const uint8_t *buf;
    size_t buf_len;
    uint8_t *copy;
    esdk_rsa_key *key = NULL;
    int rc;
    ESDK_TRY(pem_terminated(data, len, &buf, &buf_len, &copy));
    ESDK_TRY_GOTO(rc, new_key(pad, true, &key));
    int ret = mbedtls_pk_parse_key(&key->pk, buf, buf_len, NULL, 0);
    if (ret == MBEDTLS_ERR_PK_PASSWORD_REQUIRED || ret == MBEDTLS_ERR_PK_PASSWORD_MISMATCH) {
        rc = esdk_fail(
            ESDK_ERR_BAD_KEY, "the RSA private key is password-protected; pass it unencrypted");
        goto cleanup;
    }
    if (ret != 0) {
        rc = esdk_fail(
            ESDK_ERR_BAD_KEY,
            "cannot parse the RSA private key: expected PEM or DER, PKCS#8 or PKCS#1 "
            "RSAPrivateKey (mbedTLS error -0x%04x)",
            (unsigned)-ret);
        goto cleanup;
    }
    ESDK_TRY_GOTO(rc, check_rsa(key, "private key"));
    if (mbedtls_rsa_check_privkey(mbedtls_pk_rsa(key->pk)) != 0) {
        rc = esdk_fail(ESDK_ERR_BAD_KEY, "the RSA private key is not consistent");
        goto cleanup;
    }
    ESDK_TRY_GOTO(rc, derive_rejection_key(key));
    *out = key;
    key = NULL;
cleanup:
    esdk_rsa_key_release(key);
    esdk_mem_release_secret(copy, buf_len);
    return rc;
}

void esdk_rsa_key_release(esdk_rsa_key *key)
{
    if (!key) {
        return;
    }
    mbedtls_pk_free(&key->pk); /* zeroizes the key's numbers */
    esdk_secure_free(key->rejection_key);
    esdk_mem_release(key, sizeof *key);
}

size_t esdk_rsa_key_bits(const esdk_rsa_key *key)
{
    return mbedtls_pk_get_bitlen(&key->pk);
}

size_t esdk_rsa_key_len(const esdk_rsa_key *key)
{
    return mbedtls_rsa_get_len(rsa_of(key));
}

bool esdk_rsa_keys_match(const esdk_rsa_key *pub, const esdk_rsa_key *priv)
{
    return mbedtls_pk_check_pair(&pub->pk, &priv->pk) == 0;
}

int esdk_rsa_encrypt(const esdk_rsa_key *key, const uint8_t *in, size_t in_len, uint8_t *out)
{
    ESDK_ENSURE(key != NULL && in != NULL && out != NULL, ESDK_ERR_BAD_ARGUMENT);
    mbedtls_rsa_context *rsa = rsa_of(key);
    int ret;
    if (key->pad == ESDK_RSA_PAD_PKCS1_V15) {
        ret = mbedtls_rsa_rsaes_pkcs1_v15_encrypt(
            rsa, rng, NULL, MBEDTLS_RSA_PUBLIC, in_len, in, out);
    } else {
        ret = mbedtls_rsa_rsaes_oaep_encrypt(
            rsa, rng, NULL, MBEDTLS_RSA_PUBLIC, NULL, 0, in_len, in, out);
    }
    if (ret == MBEDTLS_ERR_RSA_BAD_INPUT_DATA) {
        return esdk_fail(
            ESDK_ERR_BAD_ARGUMENT,
            "%zu bytes do not fit in one RSA block of a %zu-bit key with this padding",
            in_len,
            esdk_rsa_key_bits(key));
    }
    if (ret != 0) {
        return esdk_fail(
            ESDK_ERR_CRYPTO, "RSA encryption failed (mbedTLS error -0x%04x)", (unsigned)-ret);
    }
    return 0;
}

/* 1 if x == 0, else 0, computed without a branch. */
static uint32_t ct_is_zero(uint32_t x)
{
    return 1u & ((~x & (x - 1u)) >> 31);
}

static int
decrypt_oaep(const esdk_rsa_key *key, const uint8_t *in, uint8_t *out, size_t expected_len)
{
    uint8_t plain[MAX_MODULUS_BYTES];
    size_t olen = 0;
    int ret = mbedtls_rsa_rsaes_oaep_decrypt(
        rsa_of(key), rng, NULL, MBEDTLS_RSA_PRIVATE, NULL, 0, &olen, in, plain, sizeof plain);
    int rc = 0;
    if (ret != 0 || olen != expected_len) {
        /* One code and one text for every failure: no padding oracle through errors. */
        rc = esdk_fail(ESDK_ERR_CANNOT_DECRYPT, "RSA unwrapping failed");
    } else {
        memcpy(out, plain, expected_len);
    }
    esdk_wipe(plain, sizeof plain);
    return rc;
}

static int decrypt_pkcs1_implicit(
    const esdk_rsa_key *key, const uint8_t *in, size_t in_len, uint8_t *out, size_t expected_len)
{
    static const char info[] = "aws-esdk-c RSA PKCS#1 v1.5 implicit rejection";
    uint8_t real[MAX_EXPECTED_LEN];
    uint8_t synthetic[MAX_EXPECTED_LEN];
    size_t olen = 0;
    /* The substitute is computed on every call, before the padding is known. */
    int rc = esdk_hkdf(
        ESDK_HASH_SHA256,
        key->rejection_key,
        REJECTION_KEY_LEN,
        in,
        in_len,
        (const uint8_t *)info,
        sizeof info - 1,
        synthetic,
        expected_len);
    if (rc == 0) {
        /* Constant-time padding check inside mbedTLS; its status is only folded into a mask,
         * never branched on, and neither is the plaintext length. */
        int ret = mbedtls_rsa_rsaes_pkcs1_v15_decrypt(
            rsa_of(key), rng, NULL, MBEDTLS_RSA_PRIVATE, &olen, in, real, expected_len);
        uint32_t ok = ct_is_zero((uint32_t)ret | (uint32_t)(olen ^ expected_len));
        volatile uint8_t mask = (uint8_t)(0u - ok);
        for (size_t i = 0; i < expected_len; i++) {
            out[i] = (uint8_t)((real[i] & mask) | (synthetic[i] & (uint8_t)~mask));
        }
    }
    esdk_wipe(real, sizeof real);
    esdk_wipe(synthetic, sizeof synthetic);
    return rc;
}

int esdk_rsa_decrypt(
    const esdk_rsa_key *key, const uint8_t *in, size_t in_len, uint8_t *out, size_t expected_len)
{
    ESDK_ENSURE(key != NULL && in != NULL && out != NULL, ESDK_ERR_BAD_ARGUMENT);
    ESDK_ENSURE(expected_len > 0 && expected_len <= MAX_EXPECTED_LEN, ESDK_ERR_BAD_ARGUMENT);
    if (!key->is_private) {
        return esdk_fail(ESDK_ERR_BAD_STATE, "RSA decryption needs a private key");
    }
    if (in_len != esdk_rsa_key_len(key)) {
        /* Public: the length says nothing about the plaintext. */
        return esdk_fail(
            ESDK_ERR_CANNOT_DECRYPT,
            "an RSA ciphertext for this key is %zu bytes, not %zu",
            esdk_rsa_key_len(key),
            in_len);
    }
    ESDK_TRY(esdk_crypto_init());
    if (key->pad == ESDK_RSA_PAD_PKCS1_V15) {
        return decrypt_pkcs1_implicit(key, in, in_len, out, expected_len);
    }
    return decrypt_oaep(key, in, out, expected_len);
}
