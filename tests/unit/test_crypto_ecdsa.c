/* ECDSA and compressed points (source/crypto/ecdsa.c, ecdsa_point.c): sign/verify round trips
 * on P-256 and P-384, the fixed 71/103-byte signature length over many signatures, tampered
 * signatures, compressed-point round trips, decompression of the published generators
 * (SEC 2 / FIPS 186-4 D.1.2), refusal of points off the curve and of bad prefixes, and
 * signatures made by another implementation (see KNOWN below). The decompressed Y is read
 * through the crypto layer's internal header. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <aws-esdk-c/error.h>

#include "crypto/ecdsa.h"
#include "crypto/ecdsa_internal.h"
#include "crypto/hash.h"

static size_t unhex(const char *hex, uint8_t *out, size_t cap)
{
    size_t n = strlen(hex) / 2;
    assert_true(n <= cap);
    for (size_t i = 0; i < n; i++) {
        unsigned v;
        assert_int_equal(sscanf(hex + 2 * i, "%2x", &v), 1);
        out[i] = (uint8_t)v;
    }
    return n;
}

static const esdk_curve curves[] = {ESDK_CURVE_P256, ESDK_CURVE_P384};

static esdk_hash_alg hash_of(esdk_curve c)
{
    return c == ESDK_CURVE_P256 ? ESDK_HASH_SHA256 : ESDK_HASH_SHA384;
}

static void digest_of(esdk_curve c, const char *msg, uint8_t *d, size_t *len)
{
    assert_int_equal(esdk_hash_digest(hash_of(c), (const uint8_t *)msg, strlen(msg), d), 0);
    *len = esdk_hash_len(hash_of(c));
}

/* A DER SEQUENCE of two INTEGERs, exactly len bytes. */
static void check_der(const uint8_t *sig, size_t len)
{
    assert_true(len >= 8 && len < 128);
    assert_int_equal(sig[0], 0x30);
    assert_int_equal(sig[1], len - 2);
    assert_int_equal(sig[2], 0x02);
    const size_t rl = sig[3];
    assert_true(4 + rl + 2 < len);
    assert_int_equal(sig[4 + rl], 0x02);
    assert_int_equal(4 + rl + 2 + sig[4 + rl + 1], len);
}

static void test_sizes(void **state)
{
    (void)state;
    assert_int_equal(esdk_curve_point_len(ESDK_CURVE_P256), 33);
    assert_int_equal(esdk_curve_point_len(ESDK_CURVE_P384), 49);
    assert_int_equal(esdk_curve_point_len(ESDK_CURVE_P521), 67);
    assert_int_equal(esdk_curve_fixed_sig_len(ESDK_CURVE_P256), 71);
    assert_int_equal(esdk_curve_fixed_sig_len(ESDK_CURVE_P384), 103);
}

static void test_round_trip(void **state)
{
    (void)state;
    for (size_t c = 0; c < 2; c++) {
        esdk_sig_key *k = NULL, *other = NULL;
        assert_int_equal(esdk_sig_key_generate(curves[c], &k), 0);
        assert_int_equal(esdk_sig_key_generate(curves[c], &other), 0);
        assert_int_equal(esdk_sig_key_curve(k), curves[c]);
        uint8_t d[48], d2[48], sig[ESDK_SIG_MAX_LEN];
        size_t dl, sl;
        digest_of(curves[c], "message one", d, &dl);
        digest_of(curves[c], "message two", d2, &dl);
        assert_int_equal(esdk_sig_sign(k, d, dl, sig, sizeof sig, &sl), 0);
        assert_int_equal(sl, esdk_curve_fixed_sig_len(curves[c]));
        check_der(sig, sl);
        assert_int_equal(esdk_sig_verify(k, d, dl, sig, sl), 0);
        /* another digest, another key */
        assert_int_equal(esdk_sig_verify(k, d2, dl, sig, sl), ESDK_ERR_SIGNATURE_MISMATCH);
        assert_int_equal(esdk_sig_verify(other, d, dl, sig, sl), ESDK_ERR_SIGNATURE_MISMATCH);
        /* every single-bit change of the signature is refused */
        for (size_t i = 0; i < sl; i++) {
            for (int bit = 0; bit < 8; bit += 3) {
                sig[i] ^= (uint8_t)(1u << bit);
                assert_int_equal(esdk_sig_verify(k, d, dl, sig, sl), ESDK_ERR_SIGNATURE_MISMATCH);
                sig[i] ^= (uint8_t)(1u << bit);
            }
        }
        /* truncated, extended, empty */
        assert_int_equal(esdk_sig_verify(k, d, dl, sig, sl - 1), ESDK_ERR_SIGNATURE_MISMATCH);
        sig[sl] = 0;
        assert_int_equal(esdk_sig_verify(k, d, dl, sig, sl + 1), ESDK_ERR_SIGNATURE_MISMATCH);
        assert_int_equal(esdk_sig_verify(k, d, dl, sig, 0), ESDK_ERR_SIGNATURE_MISMATCH);
        assert_int_equal(esdk_sig_verify(k, d, dl, sig, sl), 0);
        /* too small an output buffer */
        assert_int_equal(
            esdk_sig_sign(k, d, dl, sig, esdk_curve_fixed_sig_len(curves[c]) - 1, &sl),
            ESDK_ERR_BUFFER_TOO_SMALL);
        esdk_sig_key_release(k);
        esdk_sig_key_release(other);
    }
    esdk_sig_key_release(NULL);
}

/* The official SDKs always write 71 (P-256) / 103 (P-384) bytes; so must we, every time. */
static void test_fixed_length(void **state)
{
    (void)state;
    const int rounds[] = {400, 150};
    for (size_t c = 0; c < 2; c++) {
        esdk_sig_key *k = NULL;
        assert_int_equal(esdk_sig_key_generate(curves[c], &k), 0);
        const size_t want = esdk_curve_fixed_sig_len(curves[c]);
        for (int i = 0; i < rounds[c]; i++) {
            char msg[32];
            snprintf(msg, sizeof msg, "message %d", i);
            uint8_t d[48], sig[ESDK_SIG_MAX_LEN];
            size_t dl, sl = 0;
            digest_of(curves[c], msg, d, &dl);
            assert_int_equal(esdk_sig_sign(k, d, dl, sig, want, &sl), 0);
            assert_int_equal(sl, want);
            check_der(sig, sl);
            assert_int_equal(esdk_sig_verify(k, d, dl, sig, sl), 0);
        }
        esdk_sig_key_release(k);
    }
}

static void test_compressed_round_trip(void **state)
{
    (void)state;
    const esdk_curve all[] = {ESDK_CURVE_P256, ESDK_CURVE_P384, ESDK_CURVE_P521};
    for (size_t c = 0; c < 3; c++) {
        for (int i = 0; i < 10; i++) {
            esdk_sig_key *k = NULL, *pub = NULL;
            uint8_t p1[ESDK_POINT_MAX_LEN], p2[ESDK_POINT_MAX_LEN];
            size_t l1, l2;
            assert_int_equal(esdk_sig_key_generate(all[c], &k), 0);
            assert_int_equal(esdk_sig_key_public_compressed(k, p1, sizeof p1, &l1), 0);
            assert_int_equal(l1, esdk_curve_point_len(all[c]));
            assert_true(p1[0] == 0x02 || p1[0] == 0x03);
            assert_int_equal(esdk_sig_key_from_compressed(all[c], p1, l1, &pub), 0);
            assert_int_equal(esdk_sig_key_public_compressed(pub, p2, sizeof p2, &l2), 0);
            assert_int_equal(l2, l1);
            assert_memory_equal(p1, p2, l1);
            /* the decompressed Y is the key's Y */
            assert_int_equal(mbedtls_ecp_point_cmp(&k->kp.Q, &pub->kp.Q), 0);
            if (all[c] != ESDK_CURVE_P521) {
                uint8_t d[48], sig[ESDK_SIG_MAX_LEN];
                size_t dl, sl;
                digest_of(all[c], "signed by k", d, &dl);
                assert_int_equal(esdk_sig_sign(k, d, dl, sig, sizeof sig, &sl), 0);
                assert_int_equal(esdk_sig_verify(pub, d, dl, sig, sl), 0);
                /* a public-only key does not sign */
                assert_int_equal(esdk_sig_sign(pub, d, dl, sig, sizeof sig, &sl), ESDK_ERR_BAD_KEY);
            } else {
                uint8_t d[64] = {1}, sig[ESDK_SIG_MAX_LEN];
                size_t sl;
                assert_int_equal(
                    esdk_sig_sign(k, d, 64, sig, sizeof sig, &sl), ESDK_ERR_UNSUPPORTED);
            }
            assert_int_equal(
                esdk_sig_key_public_compressed(k, p2, l1 - 1, &l2), ESDK_ERR_BUFFER_TOO_SMALL);
            esdk_sig_key_release(k);
            esdk_sig_key_release(pub);
        }
    }
}

/* The generators G of P-256 and P-384: X, Y published in SEC 2 and FIPS 186-4 D.1.2. Both Y
 * are odd, so the compressed form starts with 03; with 02 the other root, p - Y, comes out. */
static const struct {
    esdk_curve curve;
    const char *x, *y;
} generators[] = {
    {ESDK_CURVE_P256,
     "6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296",
     "4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5"},
    {ESDK_CURVE_P384,
     "aa87ca22be8b05378eb1c71ef320ad746e1d3b628ba79b9859f741e082542a385502f25dbf55296c3a545e38727"
     "60ab7",
     "3617de4a96262c6f5d9e98bf9292dc29f8f41dbd289a147ce9da3113b5f0b8c00a60b1ce1d7e819d7a431d7c90e"
     "a0e5f"},
};

static void test_decompress_generator(void **state)
{
    (void)state;
    for (size_t g = 0; g < 2; g++) {
        uint8_t point[ESDK_POINT_MAX_LEN], y[48], got[48], out[ESDK_POINT_MAX_LEN];
        point[0] = 0x03;
        const size_t plen = unhex(generators[g].x, point + 1, sizeof point - 1);
        assert_int_equal(unhex(generators[g].y, y, sizeof y), plen);
        esdk_sig_key *k = NULL;
        assert_int_equal(esdk_sig_key_from_compressed(generators[g].curve, point, plen + 1, &k), 0);
        assert_int_equal(mbedtls_mpi_write_binary(&k->kp.Q.Y, got, plen), 0);
        assert_memory_equal(got, y, plen);
        assert_int_equal(mbedtls_ecp_point_cmp(&k->kp.Q, &k->kp.grp.G), 0);
        size_t ol;
        assert_int_equal(esdk_sig_key_public_compressed(k, out, sizeof out, &ol), 0);
        assert_int_equal(ol, plen + 1);
        assert_memory_equal(out, point, ol);
        esdk_sig_key_release(k);

        /* even prefix: Y' = p - Y, i.e. Y + Y' = p */
        point[0] = 0x02;
        assert_int_equal(esdk_sig_key_from_compressed(generators[g].curve, point, plen + 1, &k), 0);
        mbedtls_mpi sum;
        mbedtls_mpi_init(&sum);
        assert_int_equal(mbedtls_mpi_add_mpi(&sum, &k->kp.Q.Y, &k->kp.grp.G.Y), 0);
        assert_int_equal(mbedtls_mpi_cmp_mpi(&sum, &k->kp.grp.P), 0);
        assert_int_equal(mbedtls_mpi_get_bit(&k->kp.Q.Y, 0), 0);
        mbedtls_mpi_free(&sum);
        esdk_sig_key_release(k);
    }
}

static void test_reject_bad_points(void **state)
{
    (void)state;
    for (size_t g = 0; g < 2; g++) {
        const esdk_curve curve = generators[g].curve;
        uint8_t point[ESDK_POINT_MAX_LEN + 1];
        const size_t plen = esdk_curve_point_len(curve) - 1;
        esdk_sig_key *k = NULL;
        /* x = 1: 1 - 3 + b is not a square mod p on either curve (checked with Python's
         * pow(rhs, (p - 1) // 2, p) != 1) */
        memset(point, 0, sizeof point);
        point[0] = 0x02;
        point[plen] = 1;
        assert_int_equal(
            esdk_sig_key_from_compressed(curve, point, plen + 1, &k), ESDK_ERR_BAD_KEY);
        point[0] = 0x03;
        assert_int_equal(
            esdk_sig_key_from_compressed(curve, point, plen + 1, &k), ESDK_ERR_BAD_KEY);
        /* G's X with bad prefixes: uncompressed marker, zero, 05 */
        unhex(generators[g].x, point + 1, sizeof point - 1);
        const uint8_t prefixes[] = {0x00, 0x01, 0x04, 0x05, 0x06, 0x07, 0x12, 0xff};
        for (size_t i = 0; i < sizeof prefixes; i++) {
            point[0] = prefixes[i];
            assert_int_equal(
                esdk_sig_key_from_compressed(curve, point, plen + 1, &k), ESDK_ERR_BAD_KEY);
        }
        /* wrong lengths */
        point[0] = 0x03;
        assert_int_equal(esdk_sig_key_from_compressed(curve, point, plen, &k), ESDK_ERR_BAD_KEY);
        assert_int_equal(
            esdk_sig_key_from_compressed(curve, point, plen + 2, &k), ESDK_ERR_BAD_KEY);
        assert_int_equal(esdk_sig_key_from_compressed(curve, point, 0, &k), ESDK_ERR_BAD_KEY);
        assert_int_equal(esdk_sig_key_from_compressed(curve, point, 1, &k), ESDK_ERR_BAD_KEY);
        /* the other curve's point length */
        const esdk_curve other = curve == ESDK_CURVE_P256 ? ESDK_CURVE_P384 : ESDK_CURVE_P256;
        assert_int_equal(
            esdk_sig_key_from_compressed(other, point, plen + 1, &k), ESDK_ERR_BAD_KEY);
        /* x >= p: all ones */
        memset(point + 1, 0xff, plen);
        assert_int_equal(
            esdk_sig_key_from_compressed(curve, point, plen + 1, &k), ESDK_ERR_BAD_KEY);
        assert_null(k);
        assert_int_equal(esdk_sig_key_from_compressed(curve, NULL, 0, &k), ESDK_ERR_BAD_KEY);
    }
}

/* KNOWN: a key, digest and DER signature made with Python's cryptography package (OpenSSL):
 *   d = int.from_bytes(sha512(b"esdk-c test key P256").digest()[:32]) % 2**255 (P384: [:48],
 *   2**383), message b"aws-esdk-c ECDSA known-answer message", SHA-256/SHA-384, signatures
 *   drawn until one had a length other than 71/103, to show verification takes any length. */
static const struct {
    esdk_curve curve;
    const char *pub, *digest, *sig;
} known[] = {
    {ESDK_CURVE_P256,
     "02adcbaa71ddcf45b77367692acb1c4175ee0082aa00ce19c35b615608b3d0b81b",
     "bb2551f0727434244dae6453e5df52e8b31e330796c29dd6fe92b75390555819",
     "304402205fe9d946d283ba861ef831690d208e2455aa016a4f4654955bd056745212efb202200740bce57ae99941"
     "6d34e10ace28877aae080a0189b289114a17f6a87ee5f9f9"},
    {ESDK_CURVE_P384,
     "0241ff9e57310f26047673afcea0cd83fe0c69d31094e9f61d3dd6a7d54857945b89b8d3313cf7dabb5374d677"
     "0434e711",
     "ef5c276b45d2402215bc9461c2152be0d7b2bd36b88f11d9024834a82e8b2c1ea760c2f6e84448f4de65f2638c"
     "e3b783",
     "30640230763fac3b3a0155cd2ec8ae93863f807be437b1e5b6b6f0899d367cddbb3bd1af12b610412dce003a37"
     "00c9e92e02be5a02307b5b924f2b87a36164cf5d290b0294a5103d3f01da4d7c3e9f96aec6754408d575449885"
     "b0916c36668ea4e3d8d55c05"},
};

static void test_known_signatures(void **state)
{
    (void)state;
    for (size_t i = 0; i < 2; i++) {
        uint8_t pub[ESDK_POINT_MAX_LEN], d[48], sig[ESDK_SIG_MAX_LEN];
        const size_t pl = unhex(known[i].pub, pub, sizeof pub);
        const size_t dl = unhex(known[i].digest, d, sizeof d);
        const size_t sl = unhex(known[i].sig, sig, sizeof sig);
        assert_int_not_equal(sl, esdk_curve_fixed_sig_len(known[i].curve));
        esdk_sig_key *k = NULL;
        assert_int_equal(esdk_sig_key_from_compressed(known[i].curve, pub, pl, &k), 0);
        assert_int_equal(esdk_sig_verify(k, d, dl, sig, sl), 0);
        d[0] ^= 1;
        assert_int_equal(esdk_sig_verify(k, d, dl, sig, sl), ESDK_ERR_SIGNATURE_MISMATCH);
        d[0] ^= 1;
        esdk_sig_key_release(k);
        /* the same X with the other parity is another key */
        pub[0] ^= 1;
        assert_int_equal(esdk_sig_key_from_compressed(known[i].curve, pub, pl, &k), 0);
        assert_int_equal(esdk_sig_verify(k, d, dl, sig, sl), ESDK_ERR_SIGNATURE_MISMATCH);
        esdk_sig_key_release(k);
    }
}

struct sign_job {
    const esdk_sig_key *key;
    int failures;
};

static void *sign_many(void *arg)
{
    struct sign_job *job = arg;
    for (int i = 0; i < 20; i++) {
        uint8_t d[32] = {(uint8_t)i}, sig[ESDK_SIG_MAX_LEN];
        size_t sl;
        if (esdk_sig_sign(job->key, d, 32, sig, sizeof sig, &sl) != 0 || sl != 71 ||
            esdk_sig_verify(job->key, d, 32, sig, sl) != 0) {
            job->failures++;
        }
    }
    return NULL;
}

/* A clone keeps the private key; it is independent of the original, and can sign from several
 * threads at once (the key is const while signing). */
static void test_clone(void **state)
{
    (void)state;
    for (size_t c = 0; c < 2; c++) {
        esdk_sig_key *k = NULL, *copy = NULL, *pub = NULL, *pub_copy = NULL;
        assert_int_equal(esdk_sig_key_generate(curves[c], &k), 0);
        assert_int_equal(esdk_sig_key_clone(k, &copy), 0);
        uint8_t d[48], sig[ESDK_SIG_MAX_LEN], p1[ESDK_POINT_MAX_LEN], p2[ESDK_POINT_MAX_LEN];
        size_t dl, sl, l1, l2;
        digest_of(curves[c], "cloned", d, &dl);
        esdk_sig_key_release(k); /* the clone must not depend on it */
        k = NULL;
        assert_int_equal(esdk_sig_sign(copy, d, dl, sig, sizeof sig, &sl), 0);
        assert_int_equal(esdk_sig_key_public_compressed(copy, p1, sizeof p1, &l1), 0);
        assert_int_equal(esdk_sig_key_from_compressed(curves[c], p1, l1, &pub), 0);
        assert_int_equal(esdk_sig_verify(pub, d, dl, sig, sl), 0);
        /* a public-only clone verifies, and cannot sign */
        assert_int_equal(esdk_sig_key_clone(pub, &pub_copy), 0);
        assert_int_equal(esdk_sig_key_public_compressed(pub_copy, p2, sizeof p2, &l2), 0);
        assert_memory_equal(p1, p2, l1);
        assert_int_equal(esdk_sig_verify(pub_copy, d, dl, sig, sl), 0);
        assert_int_equal(esdk_sig_sign(pub_copy, d, dl, sig, sizeof sig, &sl), ESDK_ERR_BAD_KEY);
        esdk_sig_key_release(copy);
        esdk_sig_key_release(pub);
        esdk_sig_key_release(pub_copy);
    }
    /* four threads signing with one (fresh) clone */
    esdk_sig_key *k = NULL, *copy = NULL;
    assert_int_equal(esdk_sig_key_generate(ESDK_CURVE_P256, &k), 0);
    assert_int_equal(esdk_sig_key_clone(k, &copy), 0);
    /* mbedTLS 2.28 caches its table for G in the group on first use: signing uses the shared
     * group (built once, then only read), never the key's own, so the threads below write
     * nothing shared */
    assert_null(copy->kp.grp.T);
    pthread_t t[4];
    struct sign_job jobs[4];
    for (int i = 0; i < 4; i++) {
        jobs[i].key = copy;
        jobs[i].failures = 0;
        assert_int_equal(pthread_create(&t[i], NULL, sign_many, &jobs[i]), 0);
    }
    for (int i = 0; i < 4; i++) {
        assert_int_equal(pthread_join(t[i], NULL), 0);
        assert_int_equal(jobs[i].failures, 0);
    }
    esdk_sig_key_release(k);
    esdk_sig_key_release(copy);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sizes),
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_fixed_length),
        cmocka_unit_test(test_compressed_round_trip),
        cmocka_unit_test(test_decompress_generator),
        cmocka_unit_test(test_reject_bad_points),
        cmocka_unit_test(test_known_signatures),
        cmocka_unit_test(test_clone),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
