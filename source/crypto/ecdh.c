/* ECDH shared secrets and EC keys from PEM/DER (see ecdh.h). The key struct is ecdsa's. */
#include "crypto/ecdh.h"

#include <string.h>

#include <mbedtls/ecdh.h>
#include <mbedtls/pk.h>

#include <aws-esdk-c/error.h>

#include "common/mem.h"
#include "common/status.h"
#include "crypto/ecdsa_internal.h"
#include "crypto/random.h"

/* last: poisons calls this library must not make */
#include "banned.h"

static bool curve_of_group(mbedtls_ecp_group_id id, esdk_curve *curve)
{
    for (int c = ESDK_CURVE_P256; c <= ESDK_CURVE_P521; c++) {
        if (esdk_curve_group((esdk_curve)c) == id) {
            *curve = (esdk_curve)c;
            return true;
        }
    }
    return false;
}

static int key_new(esdk_curve curve, esdk_ec_key **out)
{
    ESDK_TRY(esdk_crypto_init());
    esdk_ec_key *k = esdk_mem_acquire(sizeof *k);
    if (!k) {
        return esdk_fail(ESDK_ERR_NO_MEMORY, "cannot allocate an EC key");
    }
    k->curve = curve;
    mbedtls_ecp_keypair_init(&k->kp);
    if (mbedtls_ecp_group_load(&k->kp.grp, esdk_curve_group(curve)) != 0) {
        esdk_sig_key_release(k);
        return esdk_fail(ESDK_ERR_CRYPTO, "cannot load the curve");
    }
    *out = k;
    return 0;
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

/* mbedTLS reads PEM only from a NUL-terminated buffer whose length counts the NUL. *copy is
 * set when a terminated copy was made (release it as a secret). */
static int
terminated(const uint8_t *data, size_t len, const uint8_t **buf, size_t *buf_len, uint8_t **copy)
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

/* The EC key inside a parsed pk context, with its curve; ESDK_ERR_BAD_KEY otherwise. */
static int ec_of(mbedtls_pk_context *pk, const char *what, mbedtls_ecp_keypair **ec, esdk_curve *c)
{
    mbedtls_pk_type_t type = mbedtls_pk_get_type(pk);
    if (type != MBEDTLS_PK_ECKEY && type != MBEDTLS_PK_ECKEY_DH) {
        return esdk_fail(ESDK_ERR_BAD_KEY, "the %s is not an EC key", what);
    }
    *ec = mbedtls_pk_ec(*pk);
    if (!curve_of_group((*ec)->grp.id, c)) {
        return esdk_fail(ESDK_ERR_BAD_KEY, "the %s is not on P-256, P-384 or P-521", what);
    }
    return 0;
}

/* Copy the scalar, compute d * G and check it against the point the key carried (if any). */
static int take_private(esdk_ec_key *k, const mbedtls_ecp_keypair *ec)
{
    mbedtls_ecp_point q;
    mbedtls_ecp_point_init(&q);
    int rc = 0;
    if (mbedtls_mpi_copy(&k->kp.d, &ec->d) != 0 ||
        mbedtls_ecp_check_privkey(&k->kp.grp, &k->kp.d) != 0 ||
        mbedtls_ecp_mul(&k->kp.grp, &q, &k->kp.d, &k->kp.grp.G, esdk_ecp_rng, NULL) != 0) {
        rc = esdk_fail(ESDK_ERR_BAD_KEY, "the EC private key is not valid");
    } else if (mbedtls_mpi_cmp_int(&ec->Q.Z, 0) != 0 && mbedtls_ecp_point_cmp(&q, &ec->Q) != 0) {
        rc = esdk_fail(ESDK_ERR_BAD_KEY, "the EC private key's public point does not match it");
    } else if (mbedtls_ecp_copy(&k->kp.Q, &q) != 0) {
        rc = esdk_fail(ESDK_ERR_NO_MEMORY, "cannot copy an EC key");
    }
    mbedtls_ecp_point_free(&q);
    k->has_private = rc == 0;
    return rc;
}

int esdk_ec_key_parse_private(const uint8_t *data, size_t len, esdk_ec_key **out)
{
    ESDK_ENSURE(data != NULL && len > 0 && out != NULL, ESDK_ERR_BAD_ARGUMENT);
    const uint8_t *buf;
    size_t buf_len;
    uint8_t *copy;
    mbedtls_pk_context pk;
    mbedtls_ecp_keypair *ec;
    esdk_curve curve;
    esdk_ec_key *k = NULL;
    int rc;
    ESDK_TRY(terminated(data, len, &buf, &buf_len, &copy));
    mbedtls_pk_init(&pk);
    int ret = mbedtls_pk_parse_key(&pk, buf, buf_len, NULL, 0);
    if (ret == MBEDTLS_ERR_PK_PASSWORD_REQUIRED || ret == MBEDTLS_ERR_PK_PASSWORD_MISMATCH) {
        rc = esdk_fail(
            ESDK_ERR_BAD_KEY, "the EC private key is password-protected; pass it unencrypted");
        goto cleanup;
    }
    if (ret != 0) {
        rc = esdk_fail(
            ESDK_ERR_BAD_KEY,
            "cannot parse the EC private key: expected PEM or DER, PKCS#8 or SEC1 "
            "(mbedTLS error -0x%04x)",
            (unsigned)-ret);
        goto cleanup;
    }
    ESDK_TRY_GOTO(rc, ec_of(&pk, "private key", &ec, &curve));
    ESDK_TRY_GOTO(rc, key_new(curve, &k));
    ESDK_TRY_GOTO(rc, take_private(k, ec));
    *out = k;
    k = NULL;
cleanup:
    esdk_sig_key_release(k);
    mbedtls_pk_free(&pk); /* zeroizes the scalar */
    esdk_mem_release_secret(copy, buf_len);
    return rc;
}

int esdk_ec_key_parse_public(const uint8_t *data, size_t len, esdk_ec_key **out)
{
    ESDK_ENSURE(data != NULL && len > 0 && out != NULL, ESDK_ERR_BAD_ARGUMENT);
    const uint8_t *buf;
    size_t buf_len;
    uint8_t *copy;
    mbedtls_pk_context pk;
    mbedtls_ecp_keypair *ec;
    esdk_curve curve;
    esdk_ec_key *k = NULL;
    int rc;
    ESDK_TRY(terminated(data, len, &buf, &buf_len, &copy));
    mbedtls_pk_init(&pk);
    int ret = mbedtls_pk_parse_public_key(&pk, buf, buf_len);
    if (ret != 0) {
        rc = esdk_fail(
            ESDK_ERR_BAD_KEY,
            "cannot parse the EC public key: expected PEM or DER SubjectPublicKeyInfo with an "
            "uncompressed point (mbedTLS error -0x%04x)",
            (unsigned)-ret);
        goto cleanup;
    }
    ESDK_TRY_GOTO(rc, ec_of(&pk, "public key", &ec, &curve));
    ESDK_TRY_GOTO(rc, key_new(curve, &k));
    if (mbedtls_ecp_copy(&k->kp.Q, &ec->Q) != 0 ||
        mbedtls_ecp_check_pubkey(&k->kp.grp, &k->kp.Q) != 0) {
        rc = esdk_fail(ESDK_ERR_BAD_KEY, "the EC public key is not a point of its curve");
        goto cleanup;
    }
    *out = k;
    k = NULL;
cleanup:
    esdk_sig_key_release(k);
    mbedtls_pk_free(&pk);
    esdk_mem_release(copy, buf_len);
    return rc;
}

int esdk_ec_key_from_point(esdk_curve curve, const uint8_t *point, size_t len, esdk_ec_key **out)
{
    ESDK_ENSURE(
        point != NULL && out != NULL && esdk_curve_group(curve) != MBEDTLS_ECP_DP_NONE,
        ESDK_ERR_BAD_ARGUMENT);
    if (len > 0 && (point[0] == 0x02 || point[0] == 0x03)) {
        return esdk_sig_key_from_compressed(curve, point, len, out);
    }
    esdk_ec_key *k = NULL;
    ESDK_TRY(key_new(curve, &k));
    const size_t plen = mbedtls_mpi_size(&k->kp.grp.P);
    if (len != 2 * plen + 1 || point[0] != 0x04 ||
        mbedtls_ecp_point_read_binary(&k->kp.grp, &k->kp.Q, point, len) != 0 ||
        mbedtls_ecp_check_pubkey(&k->kp.grp, &k->kp.Q) != 0) {
        esdk_sig_key_release(k);
        return esdk_fail(ESDK_ERR_BAD_KEY, "not a point of the curve");
    }
    *out = k;
    return 0;
}

bool esdk_ec_key_has_private(const esdk_ec_key *key)
{
    return key && key->has_private;
}

size_t esdk_ecdh_secret_len(esdk_curve curve)
{
    static const size_t lens[] = {32, 48, 66};
    return (unsigned)curve < 3 ? lens[curve] : 0;
}

int esdk_ecdh_shared_secret(
    const esdk_ec_key *priv, const esdk_ec_key *peer, uint8_t *z, size_t cap, size_t *z_len)
{
    ESDK_ENSURE(priv != NULL && peer != NULL && z != NULL && z_len != NULL, ESDK_ERR_BAD_ARGUMENT);
    const size_t len = esdk_ecdh_secret_len(priv->curve);
    if (!priv->has_private) {
        return esdk_fail(ESDK_ERR_BAD_KEY, "ECDH needs a private key");
    }
    if (peer->curve != priv->curve) {
        return esdk_fail(ESDK_ERR_BAD_KEY, "ECDH keys on different curves");
    }
    if (cap < len) {
        return esdk_fail(ESDK_ERR_BUFFER_TOO_SMALL, "%zu bytes for a %zu-byte secret", cap, len);
    }
    /* A group of our own: mbedTLS may store a precomputed table in the group it multiplies
     * on (when the peer point is the generator), and the keys are shared between threads. */
    mbedtls_ecp_group grp;
    mbedtls_mpi s;
    mbedtls_ecp_group_init(&grp);
    mbedtls_mpi_init(&s);
    int rc = 0;
    if (mbedtls_ecp_group_load(&grp, esdk_curve_group(priv->curve)) != 0) {
        rc = esdk_fail(ESDK_ERR_CRYPTO, "cannot load the curve");
    } else if (
        mbedtls_ecdh_compute_shared(&grp, &s, &peer->kp.Q, &priv->kp.d, esdk_ecp_rng, NULL) != 0) {
        /* an invalid peer point, or a result at infinity */
        rc = esdk_fail(ESDK_ERR_BAD_KEY, "ECDH failed: the peer public key is not usable");
    } else if (mbedtls_mpi_write_binary(&s, z, len) != 0) {
        rc = esdk_fail(ESDK_ERR_CRYPTO, "cannot encode the ECDH secret");
    } else {
        *z_len = len;
    }
    mbedtls_mpi_free(&s); /* zeroizes */
    mbedtls_ecp_group_free(&grp);
    if (rc) {
        esdk_wipe(z, len);
    }
    return rc;
}
