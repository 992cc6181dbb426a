/* ECDSA on P-256/P-384 (message signatures) and P-521 keys (key agreement), with SEC1
 * compressed public points. mbedTLS 2.28 writes compressed points but cannot read them, so
 * decompression is ours (ecdsa_point.c). */
#include "crypto/ecdsa.h"

#include <pthread.h>
#include <string.h>

#include <mbedtls/asn1.h>
#include <mbedtls/asn1write.h>
#include <mbedtls/ecdsa.h>
#include <sodium.h>

#include <aws-esdk-c/error.h>

#include "common/mem.h"
#include "common/status.h"
#include "crypto/ecdsa_internal.h"
#include "crypto/random.h"

/* last: poisons calls this library must not make */
#include "banned.h"

int esdk_ecp_rng(void *ctx, unsigned char *out, size_t len)
{
    (void)ctx;
    randombytes_buf(out, len);
    return 0;
}

mbedtls_ecp_group_id esdk_curve_group(esdk_curve curve)
{
    switch (curve) {
        case ESDK_CURVE_P256:
            return MBEDTLS_ECP_DP_SECP256R1;
        case ESDK_CURVE_P384:
            return MBEDTLS_ECP_DP_SECP384R1;
        case ESDK_CURVE_P521:
            return MBEDTLS_ECP_DP_SECP521R1;
        default:
            return MBEDTLS_ECP_DP_NONE;
    }
}

size_t esdk_curve_point_len(esdk_curve curve)
{
    static const size_t lens[] = {33, 49, 67};
    return (unsigned)curve < 3 ? lens[curve] : 0;
}

size_t esdk_curve_fixed_sig_len(esdk_curve curve)
{
    static const size_t lens[] = {71, 103, 0};
    return (unsigned)curve < 3 ? lens[curve] : 0;
}

/* One group per curve with its fixed-point table for G, built once. mbedTLS builds that
 * table on the first multiplication by G and keeps it in the group, which from then on only
 * reads it (ecp_mul_comb), so threads share these groups. Building the table costs about
 * as much as a key generation; a fresh group per key made every key generation and every
 * verification pay for it again. */
static mbedtls_ecp_group shared[3];
static bool shared_ok[3];
static pthread_once_t shared_once = PTHREAD_ONCE_INIT;

static void shared_init(void)
{
    for (int c = 0; c < 3; c++) {
        mbedtls_ecp_point q;
        mbedtls_mpi one;
        mbedtls_ecp_group_init(&shared[c]);
        mbedtls_ecp_point_init(&q);
        mbedtls_mpi_init(&one);
        shared_ok[c] =
            mbedtls_ecp_group_load(&shared[c], esdk_curve_group((esdk_curve)c)) == 0 &&
            mbedtls_mpi_lset(&one, 1) == 0 &&
            mbedtls_ecp_mul(&shared[c], &q, &one, &shared[c].G, esdk_ecp_rng, NULL) == 0 &&
            shared[c].T != NULL;
        mbedtls_ecp_point_free(&q);
        mbedtls_mpi_free(&one);
    }
}

/* The shared group of curve (never written after shared_init), or NULL. */
static mbedtls_ecp_group *shared_group(esdk_curve curve)
{
    pthread_once(&shared_once, shared_init);
    return (unsigned)curve < 3 && shared_ok[curve] ? &shared[curve] : NULL;
}

static int key_alloc(esdk_curve curve, esdk_sig_key **out)
{
    ESDK_ENSURE(
        out != NULL && esdk_curve_group(curve) != MBEDTLS_ECP_DP_NONE, ESDK_ERR_BAD_ARGUMENT);
    ESDK_TRY(esdk_crypto_init());
    esdk_sig_key *k = esdk_mem_acquire(sizeof *k);
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

int esdk_sig_key_generate(esdk_curve curve, esdk_sig_key **out)
{
    esdk_sig_key *k = NULL;
    ESDK_TRY(key_alloc(curve, &k));
    mbedtls_ecp_group *g = shared_group(curve);
    if (!g || mbedtls_ecp_gen_keypair(g, &k->kp.d, &k->kp.Q, esdk_ecp_rng, NULL) != 0) {
        esdk_sig_key_release(k);
        return esdk_fail(ESDK_ERR_CRYPTO, "EC key generation failed");
    }
    k->has_private = true;
    *out = k;
    return 0;
}

int esdk_sig_key_from_compressed(
    esdk_curve curve, const uint8_t *point, size_t len, esdk_sig_key **out)
{
    esdk_sig_key *k = NULL;
    ESDK_ENSURE(point != NULL || len == 0, ESDK_ERR_BAD_ARGUMENT);
    ESDK_TRY(key_alloc(curve, &k));
    int rc = esdk_ecp_decompress(&k->kp.grp, point, len, &k->kp.Q);
    if (rc) {
        esdk_sig_key_release(k);
        return rc;
    }
    *out = k;
    return 0;
}

int esdk_sig_key_clone(const esdk_sig_key *src, esdk_sig_key **out)
{
    esdk_sig_key *k = NULL;
    ESDK_ENSURE(src != NULL && out != NULL, ESDK_ERR_BAD_ARGUMENT);
    ESDK_TRY(key_alloc(src->curve, &k));
    if (mbedtls_ecp_copy(&k->kp.Q, &src->kp.Q) != 0 ||
        mbedtls_mpi_copy(&k->kp.d, &src->kp.d) != 0) {
        esdk_sig_key_release(k);
        return esdk_fail(ESDK_ERR_NO_MEMORY, "cannot copy an EC key");
    }
    k->has_private = src->has_private;
    *out = k;
    return 0;
}

void esdk_sig_key_release(esdk_sig_key *k)
{
    if (k) {
        mbedtls_ecp_keypair_free(&k->kp); /* zeroizes the private scalar */
        esdk_mem_release_secret(k, sizeof *k);
    }
}

esdk_curve esdk_sig_key_curve(const esdk_sig_key *k)
{
    return k->curve;
}

int esdk_sig_key_public_compressed(const esdk_sig_key *k, uint8_t *out, size_t cap, size_t *len)
{
    ESDK_ENSURE(k != NULL && out != NULL && len != NULL, ESDK_ERR_BAD_ARGUMENT);
    /* SEC1: 0x02 | (y & 1), then X big-endian, padded to the field size */
    int mrc = mbedtls_ecp_point_write_binary(
        &k->kp.grp, &k->kp.Q, MBEDTLS_ECP_PF_COMPRESSED, len, out, cap);
    if (mrc == MBEDTLS_ERR_ECP_BUFFER_TOO_SMALL) {
        return esdk_fail(
            ESDK_ERR_BUFFER_TOO_SMALL,
            "%zu bytes for a %zu-byte point",
            cap,
            esdk_curve_point_len(k->curve));
    }
    if (mrc != 0) {
        return esdk_fail(ESDK_ERR_CRYPTO, "cannot encode the public point");
    }
    return 0;
}

/* DER SEQUENCE { INTEGER r, INTEGER s }, written backwards as mbedTLS's writer does. */
static int
der_signature(const mbedtls_mpi *r, const mbedtls_mpi *s, uint8_t *out, size_t cap, size_t *len)
{
    uint8_t buf[ESDK_SIG_MAX_LEN + 16];
    unsigned char *p = buf + sizeof buf;
    int n1 = mbedtls_asn1_write_mpi(&p, buf, s);
    int n2 = n1 < 0 ? n1 : mbedtls_asn1_write_mpi(&p, buf, r);
    if (n1 < 0 || n2 < 0) {
        return esdk_fail(ESDK_ERR_CRYPTO, "cannot encode a signature");
    }
    size_t body = (size_t)n1 + (size_t)n2;
    int n3 = mbedtls_asn1_write_len(&p, buf, body);
    int n4 =
        n3 < 0 ? n3
               : mbedtls_asn1_write_tag(&p, buf, MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE);
    if (n3 < 0 || n4 < 0 || body + (size_t)n3 + (size_t)n4 > cap) {
        return esdk_fail(ESDK_ERR_CRYPTO, "cannot encode a signature");
    }
    *len = body + (size_t)n3 + (size_t)n4;
    memcpy(out, p, *len);
    return 0;
}

int esdk_sig_sign(
    const esdk_sig_key *k,
    const uint8_t *digest,
    size_t digest_len,
    uint8_t *sig,
    size_t cap,
    size_t *sig_len)
{
    ESDK_ENSURE(
        k != NULL && digest != NULL && digest_len > 0 && sig != NULL && sig_len != NULL,
        ESDK_ERR_BAD_ARGUMENT);
    const size_t want = esdk_curve_fixed_sig_len(k->curve);
    if (!want) {
        return esdk_fail(ESDK_ERR_UNSUPPORTED, "signing on this curve is not supported");
    }
    if (!k->has_private) {
        return esdk_fail(ESDK_ERR_BAD_KEY, "a verification key cannot sign");
    }
    if (cap < want) {
        return esdk_fail(
            ESDK_ERR_BUFFER_TOO_SMALL, "%zu bytes for a %zu-byte signature", cap, want);
    }
    mbedtls_ecp_group *g = shared_group(k->curve);
    mbedtls_mpi r, s, ns;
    mbedtls_mpi_init(&r);
    mbedtls_mpi_init(&s);
    mbedtls_mpi_init(&ns);
    int rc = ESDK_ERR_CRYPTO;
    /* The official SDKs always write 71/103 bytes: use s or n - s, else sign again. */
    for (int attempt = 0; attempt < 64 && rc != 0; attempt++) {
        /* the shared group: only read (see shared_init) */
        if (!g ||
            mbedtls_ecdsa_sign(g, &r, &s, &k->kp.d, digest, digest_len, esdk_ecp_rng, NULL) != 0) {
            break;
        }
        size_t len;
        if (der_signature(&r, &s, sig, cap, &len) == 0 && len == want) {
            *sig_len = len;
            rc = 0;
        } else if (
            mbedtls_mpi_sub_mpi(&ns, &k->kp.grp.N, &s) == 0 &&
            der_signature(&r, &ns, sig, cap, &len) == 0 && len == want) {
            *sig_len = len;
            rc = 0;
        }
    }
    mbedtls_mpi_free(&r);
    mbedtls_mpi_free(&s);
    mbedtls_mpi_free(&ns);
    return rc ? esdk_fail(ESDK_ERR_CRYPTO, "ECDSA signing failed") : 0;
}

int esdk_sig_verify(
    const esdk_sig_key *k,
    const uint8_t *digest,
    size_t digest_len,
    const uint8_t *sig,
    size_t sig_len)
{
    ESDK_ENSURE(
        k != NULL && digest != NULL && (sig != NULL || sig_len == 0), ESDK_ERR_BAD_ARGUMENT);
    /* DER ECDSA-Sig-Value, nothing after it (as mbedtls_ecdsa_read_signature reads it), then
     * a verification on the shared group */
    mbedtls_ecp_group *g = shared_group(k->curve);
    unsigned char *p = (unsigned char *)(uintptr_t)sig;
    const unsigned char *end = sig ? sig + sig_len : NULL;
    size_t n = 0;
    mbedtls_mpi r, s;
    mbedtls_mpi_init(&r);
    mbedtls_mpi_init(&s);
    int rc =
        !g || sig_len == 0 ||
        mbedtls_asn1_get_tag(&p, end, &n, MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE) != 0 ||
        p + n != end || mbedtls_asn1_get_mpi(&p, end, &r) != 0 ||
        mbedtls_asn1_get_mpi(&p, end, &s) != 0 || p != end ||
        mbedtls_ecdsa_verify(g, digest, digest_len, &k->kp.Q, &r, &s) != 0;
    mbedtls_mpi_free(&r);
    mbedtls_mpi_free(&s);
    return rc ? esdk_fail(ESDK_ERR_SIGNATURE_MISMATCH, "ECDSA signature does not verify") : 0;
}
