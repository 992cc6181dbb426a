/* The raw ECDH keyring: round trips on P-256/P-384/P-521 in every schema (static both ways,
 * discovery, ephemeral sender), refusals (discovery encrypting, ephemeral decrypting, wrong
 * keys, wrong curves), the commitment check before any unwrap, the EDK layout byte for byte,
 * the encryption-context binding, and the key derivation against an official vector. */
#include <cjson/cJSON.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "crypto/ecdh.h"
#include "crypto/hash.h"
#include "crypto/kdf_ctr.h"
#include "keyrings/raw_ecdh_wire.h"
#include "support/ec_test_keys.h"
#include "support/test_support.h"

#define A 0
#define B 1
#define C 2

static const esdk_ecdh_curve curves[3] = {
    ESDK_ECDH_CURVE_P256, ESDK_ECDH_CURVE_P384, ESDK_ECDH_CURVE_P521};
static const size_t point_lens[3] = {33, 49, 67};
static const uint16_t suites[3] = {0x0478, 0x0578, 0x0014}; /* one per curve, varied */

static const uint8_t *text(const char *s)
{
    return (const uint8_t *)s;
}

static esdk_keyring *ecdh_static(int curve, int sender, int recipient)
{
    esdk_keyring *kr = NULL;
    const char *priv = ec_test_keys[curve][sender].private_pem;
    const char *pub = ec_test_keys[curve][recipient].public_pem;
    int rc = esdk_keyring_raw_ecdh_static_new(
        curves[curve], text(priv), strlen(priv), text(pub), strlen(pub), &kr);
    if (rc) {
        print_error("%s\n", esdk_last_error_detail());
    }
    assert_int_equal(rc, 0);
    return kr;
}

static esdk_keyring *ecdh_discovery(int curve, int recipient)
{
    esdk_keyring *kr = NULL;
    const char *priv = ec_test_keys[curve][recipient].private_pem;
    assert_int_equal(
        esdk_keyring_raw_ecdh_discovery_new(curves[curve], text(priv), strlen(priv), &kr), 0);
    return kr;
}

static esdk_keyring *ecdh_ephemeral(int curve, int recipient)
{
    esdk_keyring *kr = NULL;
    const char *pub = ec_test_keys[curve][recipient].public_pem;
    assert_int_equal(
        esdk_keyring_raw_ecdh_ephemeral_new(curves[curve], text(pub), strlen(pub), &kr), 0);
    return kr;
}

static esdk_enc_ctx *context(const char *key, const char *value)
{
    esdk_enc_ctx *ctx;
    assert_int_equal(esdk_enc_ctx_new(&ctx), 0);
    if (key) {
        assert_int_equal(esdk_enc_ctx_set_str(ctx, key, value), 0);
    }
    return ctx;
}

/* Encrypt materials for suite wrapped by kr under context (key, value). */
static esdk_enc_materials *wrap(esdk_keyring *kr, uint16_t suite, const char *k, const char *v)
{
    esdk_enc_ctx *ctx = context(k, v);
    esdk_enc_materials *m;
    assert_int_equal(esdk_enc_materials_new(suite, ctx, NULL, 0, &m), 0);
    int rc = esdk_keyring_on_encrypt(kr, m);
    if (rc) {
        print_error("%s\n", esdk_last_error_detail());
    }
    assert_int_equal(rc, 0);
    esdk_enc_ctx_release(ctx);
    return m;
}

/* Decrypt edks with kr under em's suite and context. Returns the code; on success the data
 * key must equal em's. */
static int unwrap_with(esdk_keyring *kr, const esdk_enc_materials *em, const esdk_edk_list *edks)
{
    esdk_dec_materials *dm;
    assert_int_equal(
        esdk_dec_materials_new(
            esdk_enc_materials_suite(em), esdk_enc_materials_context(em), NULL, 0, &dm),
        0);
    int rc = esdk_keyring_on_decrypt(kr, dm, edks);
    if (rc == 0) {
        const uint8_t *want, *got;
        size_t want_len, got_len;
        assert_true(esdk_enc_materials_data_key(em, &want, &want_len));
        assert_true(esdk_dec_materials_data_key(dm, &got, &got_len));
        assert_int_equal(got_len, want_len);
        assert_memory_equal(got, want, want_len);
    }
    esdk_dec_materials_release(dm);
    return rc;
}

static int unwrap(esdk_keyring *kr, const esdk_enc_materials *em)
{
    return unwrap_with(kr, em, esdk_enc_materials_edks(em));
}

/* A copy of the EDK list of em with byte `at` of the first EDK's ciphertext flipped (at < 0:
 * unchanged); tag_too also flips the last byte (the GCM tag). */
static esdk_edk_list *tampered(const esdk_enc_materials *em, long at, bool tag_too)
{
    esdk_edk edk;
    esdk_edk_list *out;
    assert_int_equal(esdk_edk_list_get(esdk_enc_materials_edks(em), 0, &edk), 0);
    uint8_t *ct = malloc(edk.ciphertext_len);
    memcpy(ct, edk.ciphertext, edk.ciphertext_len);
    if (at >= 0) {
        ct[at] ^= 0x01;
    }
    if (tag_too) {
        ct[edk.ciphertext_len - 1] ^= 0x80;
    }
    edk.ciphertext = ct;
    assert_int_equal(esdk_edk_list_new(&out), 0);
    assert_int_equal(esdk_edk_list_append(out, &edk), 0);
    free(ct);
    return out;
}

/* The DER bytes inside a PEM text. */
static uint8_t *der_of(const char *pem, size_t *len)
{
    char *body = calloc(1, strlen(pem) + 1);
    for (const char *p = pem; *p;) {
        const char *eol = strchr(p, '\n');
        size_t n = eol ? (size_t)(eol - p) : strlen(p);
        if (strncmp(p, "-----", 5) != 0) {
            strncat(body, p, n);
        }
        p += n + (eol ? 1 : 0);
    }
    uint8_t *der = test_base64(body, len);
    free(body);
    assert_non_null(der);
    return der;
}

/* The SEC1 compressed point of a public key, computed here from its SPKI's uncompressed point
 * (the last 2 * field + 1 bytes of the DER). */
static void compressed_of(int curve, int pair, uint8_t *out)
{
    size_t der_len, plen = point_lens[curve] - 1;
    uint8_t *der = der_of(ec_test_keys[curve][pair].public_pem, &der_len);
    const uint8_t *q = der + der_len - (2 * plen + 1);
    assert_int_equal(q[0], 0x04);
    out[0] = (uint8_t)(0x02 | (q[2 * plen] & 1));
    memcpy(out + 1, q + 1, plen);
    free(der);
}

/* ---- round trips ---- */

static void test_static_round_trip_both_directions(void **state)
{
    (void)state;
    for (int c = 0; c < 3; c++) {
        esdk_keyring *ab = ecdh_static(c, A, B);
        esdk_keyring *ba = ecdh_static(c, B, A);
        esdk_keyring *disc_b = ecdh_discovery(c, B);
        esdk_keyring *disc_a = ecdh_discovery(c, A);
        esdk_enc_materials *m = wrap(ab, suites[c], "purpose", "test");
        assert_int_equal(unwrap(ab, m), 0);     /* the sender reads its own message */
        assert_int_equal(unwrap(ba, m), 0);     /* the recipient with (B private, A public) */
        assert_int_equal(unwrap(disc_b, m), 0); /* the recipient's discovery keyring */
        assert_int_equal(unwrap(disc_a, m), ESDK_ERR_CANNOT_DECRYPT); /* A is the sender */
        esdk_enc_materials_release(m);
        m = wrap(ba, suites[c], NULL, NULL); /* and the other way round */
        assert_int_equal(unwrap(ab, m), 0);
        assert_int_equal(unwrap(disc_a, m), 0);
        esdk_enc_materials_release(m);
        esdk_keyring_release(ab);
        esdk_keyring_release(ba);
        esdk_keyring_release(disc_a);
        esdk_keyring_release(disc_b);
    }
}

static void test_ephemeral_round_trip(void **state)
{
    (void)state;
    for (int c = 0; c < 3; c++) {
        esdk_keyring *eph = ecdh_ephemeral(c, B);
        esdk_keyring *disc = ecdh_discovery(c, B);
        esdk_enc_materials *m1 = wrap(eph, suites[c], "k", "v");
        esdk_enc_materials *m2 = wrap(eph, suites[c], "k", "v");
        assert_int_equal(unwrap(disc, m1), 0);
        assert_int_equal(unwrap(disc, m2), 0);
        /* a fresh sender key pair per message */
        esdk_edk e1, e2;
        assert_int_equal(esdk_edk_list_get(esdk_enc_materials_edks(m1), 0, &e1), 0);
        assert_int_equal(esdk_edk_list_get(esdk_enc_materials_edks(m2), 0, &e2), 0);
        size_t plen = point_lens[c];
        assert_memory_not_equal(e1.provider_info + 9 + plen, e2.provider_info + 9 + plen, plen);
        /* an ephemeral keyring cannot decrypt */
        assert_int_equal(unwrap(eph, m1), ESDK_ERR_UNSUPPORTED);
        esdk_enc_materials_release(m1);
        esdk_enc_materials_release(m2);
        esdk_keyring_release(eph);
        esdk_keyring_release(disc);
    }
}

static void test_discovery_refuses_to_encrypt(void **state)
{
    (void)state;
    esdk_keyring *disc = ecdh_discovery(0, B);
    esdk_enc_ctx *ctx = context(NULL, NULL);
    esdk_enc_materials *m;
    assert_int_equal(esdk_enc_materials_new(0x0478, ctx, NULL, 0, &m), 0);
    assert_int_equal(esdk_keyring_on_encrypt(disc, m), ESDK_ERR_UNSUPPORTED);
    assert_false(esdk_enc_materials_data_key(m, &(const uint8_t *){NULL}, &(size_t){0}));
    assert_int_equal(esdk_edk_list_count(esdk_enc_materials_edks(m)), 0);
    esdk_enc_materials_release(m);
    esdk_enc_ctx_release(ctx);
    esdk_keyring_release(disc);
}

/* ---- wrong keys, tampering, context binding ---- */

static void test_wrong_recipient_fails(void **state)
{
    (void)state;
    for (int c = 0; c < 3; c++) {
        esdk_keyring *ab = ecdh_static(c, A, B);
        esdk_keyring *disc_c = ecdh_discovery(c, C);
        esdk_keyring *cb = ecdh_static(c, C, B);
        esdk_keyring *ac = ecdh_static(c, A, C);
        esdk_enc_materials *m = wrap(ab, suites[c], NULL, NULL);
        assert_int_equal(unwrap(disc_c, m), ESDK_ERR_CANNOT_DECRYPT);
        assert_int_equal(unwrap(cb, m), ESDK_ERR_CANNOT_DECRYPT);
        assert_int_equal(unwrap(ac, m), ESDK_ERR_CANNOT_DECRYPT);
        esdk_enc_materials_release(m);
        esdk_keyring_release(ab);
        esdk_keyring_release(disc_c);
        esdk_keyring_release(cb);
        esdk_keyring_release(ac);
    }
}

/* The commitment key is checked before anything is decrypted: a flipped commitment byte fails
 * with ESDK_ERR_COMMITMENT_MISMATCH even when the tag is broken too (an unwrap would report a
 * tag failure), and would otherwise unwrap fine (the derivation does not read it). */
static void test_tampered_commitment_fails_first(void **state)
{
    (void)state;
    esdk_keyring *ab = ecdh_static(1, A, B);
    esdk_keyring *disc = ecdh_discovery(1, B);
    esdk_enc_materials *m = wrap(ab, 0x0578, "a", "b");
    for (long at = ESDK_ECDH_NONCE_LEN; at < ESDK_ECDH_NONCE_LEN + ESDK_ECDH_COMMIT_LEN; at += 7) {
        for (int tag_too = 0; tag_too < 2; tag_too++) {
            esdk_edk_list *bad = tampered(m, at, tag_too);
            assert_int_equal(unwrap_with(ab, m, bad), ESDK_ERR_COMMITMENT_MISMATCH);
            assert_non_null(strstr(esdk_last_error_detail(), "commitment"));
            assert_int_equal(unwrap_with(disc, m, bad), ESDK_ERR_COMMITMENT_MISMATCH);
            esdk_edk_list_release(bad);
        }
    }
    /* the tag alone, the nonce, the wrapped key: no commitment error, just no key */
    esdk_edk_list *bad = tampered(m, -1, true);
    assert_int_equal(unwrap_with(ab, m, bad), ESDK_ERR_CANNOT_DECRYPT);
    esdk_edk_list_release(bad);
    bad = tampered(m, 70, false);
    assert_int_equal(unwrap_with(ab, m, bad), ESDK_ERR_CANNOT_DECRYPT);
    esdk_edk_list_release(bad);
    bad = tampered(m, 3, false); /* nonce: another derivation, so another commitment key */
    assert_int_equal(unwrap_with(ab, m, bad), ESDK_ERR_COMMITMENT_MISMATCH);
    esdk_edk_list_release(bad);
    /* and unchanged it works */
    bad = tampered(m, -1, false);
    assert_int_equal(unwrap_with(ab, m, bad), 0);
    esdk_edk_list_release(bad);
    esdk_enc_materials_release(m);
    esdk_keyring_release(ab);
    esdk_keyring_release(disc);
}

static void test_context_is_bound(void **state)
{
    (void)state;
    esdk_keyring *ab = ecdh_static(0, A, B);
    esdk_enc_materials *m = wrap(ab, 0x0478, "tenant", "one");
    esdk_enc_ctx *other = context("tenant", "two");
    esdk_dec_materials *dm;
    assert_int_equal(esdk_dec_materials_new(0x0478, other, NULL, 0, &dm), 0);
    /* fixedInfo holds the context: another context derives another commitment key */
    assert_int_equal(
        esdk_keyring_on_decrypt(ab, dm, esdk_enc_materials_edks(m)), ESDK_ERR_COMMITMENT_MISMATCH);
    esdk_dec_materials_release(dm);
    esdk_enc_ctx_release(other);
    esdk_enc_materials_release(m);
    esdk_keyring_release(ab);
}

/* ---- layout ---- */

static void test_edk_layout(void **state)
{
    (void)state;
    for (int c = 0; c < 3; c++) {
        esdk_keyring *ab = ecdh_static(c, A, B);
        esdk_enc_materials *m = wrap(ab, suites[c], NULL, NULL);
        esdk_edk edk;
        assert_int_equal(esdk_edk_list_count(esdk_enc_materials_edks(m)), 1);
        assert_int_equal(esdk_edk_list_get(esdk_enc_materials_edks(m), 0, &edk), 0);
        assert_int_equal(edk.provider_id_len, 8);
        assert_memory_equal(edk.provider_id, "raw-ecdh", 8);
        /* 01 || u32 len || recipient (B) || u32 len || sender (A), compressed */
        size_t plen = point_lens[c];
        uint8_t want[1 + 4 + 67 + 4 + 67] = {0x01};
        want[4] = (uint8_t)plen;
        compressed_of(c, B, want + 5);
        want[5 + plen + 3] = (uint8_t)plen;
        compressed_of(c, A, want + 5 + plen + 4);
        assert_int_equal(edk.provider_info_len, 9 + 2 * plen);
        static const size_t info_lens[3] = {75, 107, 143};
        assert_int_equal(edk.provider_info_len, info_lens[c]);
        assert_memory_equal(edk.provider_info, want, edk.provider_info_len);
        /* nonce (32) || commitment key (32) || wrapped data key || tag (16) */
        assert_int_equal(edk.ciphertext_len, 32 + 32 + esdk_suite_data_key_len(suites[c]) + 16);
        esdk_enc_materials_release(m);
        esdk_keyring_release(ab);
    }
}

/* ---- key handling ---- */

static void test_key_formats_and_refusals(void **state)
{
    (void)state;
    esdk_keyring *kr = NULL;
    const char *b_pub = ec_test_keys[0][B].public_pem;
    size_t der_len;
    uint8_t *der = der_of(b_pub, &der_len);
    uint8_t point[67];
    /* SEC1 private key; DER public key; raw compressed and uncompressed points */
    assert_int_equal(
        esdk_keyring_raw_ecdh_static_new(
            ESDK_ECDH_CURVE_P256,
            text(ec_test_p256_a_sec1),
            strlen(ec_test_p256_a_sec1),
            der,
            der_len,
            &kr),
        0);
    esdk_enc_materials *m = wrap(kr, 0x0478, NULL, NULL);
    esdk_keyring_release(kr);
    compressed_of(0, B, point);
    assert_int_equal(esdk_keyring_raw_ecdh_ephemeral_new(ESDK_ECDH_CURVE_P256, point, 33, &kr), 0);
    esdk_keyring_release(kr);
    assert_int_equal(
        esdk_keyring_raw_ecdh_ephemeral_new(ESDK_ECDH_CURVE_P256, der + der_len - 65, 65, &kr), 0);
    esdk_keyring_release(kr);
    /* a DER private key (PKCS#8) decrypts what the SEC1 one wrapped... with the peer's key */
    size_t a_der_len;
    uint8_t *a_der = der_of(ec_test_keys[0][A].private_pem, &a_der_len);
    assert_int_equal(
        esdk_keyring_raw_ecdh_static_new(ESDK_ECDH_CURVE_P256, a_der, a_der_len, der, der_len, &kr),
        0);
    assert_int_equal(unwrap(kr, m), 0);
    esdk_keyring_release(kr);
    free(a_der);
    esdk_enc_materials_release(m);
    /* refusals: another curve, a point off the curve, garbage, a public key as private */
    const char *p384 = ec_test_keys[1][A].private_pem;
    assert_int_equal(
        esdk_keyring_raw_ecdh_discovery_new(ESDK_ECDH_CURVE_P256, text(p384), strlen(p384), &kr),
        ESDK_ERR_BAD_KEY);
    assert_int_equal(
        esdk_keyring_raw_ecdh_ephemeral_new(ESDK_ECDH_CURVE_P384, text(b_pub), strlen(b_pub), &kr),
        ESDK_ERR_BAD_KEY);
    memset(point + 1, 0xFF, 32); /* X >= p: no point of the curve */
    assert_int_equal(
        esdk_keyring_raw_ecdh_ephemeral_new(ESDK_ECDH_CURVE_P256, point, 33, &kr),
        ESDK_ERR_BAD_KEY);
    uint8_t garbage[40] = {0x30, 0x26};
    assert_int_equal(
        esdk_keyring_raw_ecdh_ephemeral_new(ESDK_ECDH_CURVE_P256, garbage, sizeof garbage, &kr),
        ESDK_ERR_BAD_KEY);
    assert_int_equal(
        esdk_keyring_raw_ecdh_discovery_new(ESDK_ECDH_CURVE_P256, text(b_pub), strlen(b_pub), &kr),
        ESDK_ERR_BAD_KEY);
    assert_int_equal(
        esdk_keyring_raw_ecdh_discovery_new((esdk_ecdh_curve)7, text(p384), strlen(p384), &kr),
        ESDK_ERR_BAD_ARGUMENT);
    free(der);
}

/* ---- the official vector, step by step ---- */

/* mpl-keyring case 44c4d251-3f6c-4058-8a5f-e3a8652535f0: static P-256, suite 0x0046, empty
 * context. Z and the okm were computed independently (Python cryptography + hand-written
 * SP 800-108), and okm[0:32] equals the commitment key inside the vector's ciphertext. */
static const char vec_info_hex[] =
    "01000000210258c5ffc078446ed99dd5b43a24a650ecfdab6e1886d6ec81a19276cad8c3fe35000000210"
    "2a7520c7b4ab94784f227dcc7197dcddc108b3cf9715fec9be172e575c1610b19";
static const char vec_ct_b64[] =
    "wOskTCHxPab93+XBF5y/v/bO1XTrgJjLwj8VlXrIQIYs8Sz/BNxumCdSwDPCq1Uvvmjh5khV5uEZROM4BOdNT729"
    "XEfuzrKtlxB0y7OEljv9unoa/RFvQtnwDcB3OhInv8QvtwMbRQo=";
static const char vec_key_b64[] = "bHyvIziXnNkUD2LVyomU5KqTFiQKOJ+Y";
static const char vec_z_hex[] = "96c10772505c8cc60f842c6610a8486615cbe1e0f1def98e4b082cddf2713d1f";
static const char vec_okm_hex[] =
    "2cf12cff04dc6e982752c033c2ab552fbe68e1e64855e6e11944e33804e74d4fa59845142ef0ece155e80d7a"
    "624aeefc19c06914a119d617bc564ae8df7decac";

static size_t unhex(const char *hex, uint8_t *out)
{
    size_t n = strlen(hex) / 2;
    for (size_t i = 0; i < n; i++) {
        unsigned v;
        assert_int_equal(sscanf(hex + 2 * i, "%2x", &v), 1);
        out[i] = (uint8_t)v;
    }
    return n;
}

static void test_official_vector_derivation(void **state)
{
    (void)state;
    uint8_t info[75], z_want[32], okm_want[64], z[66], okm[64], key[32];
    size_t ct_len, dk_len, der_len, z_len;
    assert_int_equal(unhex(vec_info_hex, info), sizeof info);
    unhex(vec_z_hex, z_want);
    unhex(vec_okm_hex, okm_want);
    uint8_t *ct = test_base64(vec_ct_b64, &ct_len);
    uint8_t *dk = test_base64(vec_key_b64, &dk_len);
    uint8_t *der = test_base64(ec_vector_recipient_der_b64, &der_len);
    assert_int_equal(dk_len, 24);
    assert_int_equal(ct_len, 80 + 24);

    /* the provider info parses into the points, recipient first */
    esdk_cur rec, snd;
    assert_true(esdk_ecdh_info_parse(info, sizeof info, 33, &rec, &snd));
    assert_ptr_equal(rec.ptr, info + 5);
    assert_ptr_equal(snd.ptr, info + 42);

    /* Z from the vector's keys */
    esdk_ec_key *priv = NULL, *pub = NULL;
    assert_int_equal(
        esdk_ec_key_parse_private(text(ec_vector_sender_pem), strlen(ec_vector_sender_pem), &priv),
        0);
    assert_int_equal(esdk_ec_key_parse_public(der, der_len, &pub), 0);
    assert_int_equal(esdk_ecdh_shared_secret(priv, pub, z, sizeof z, &z_len), 0);
    assert_int_equal(z_len, 32);
    assert_memory_equal(z, z_want, 32);
    /* the sender's compressed point is the one in the provider info */
    uint8_t point[33];
    size_t plen;
    assert_int_equal(esdk_sig_key_public_compressed(priv, point, sizeof point, &plen), 0);
    assert_memory_equal(point, snd.ptr, 33);

    /* fixedInfo byte for byte */
    esdk_buf fixed = ESDK_BUF_INIT;
    assert_int_equal(
        esdk_ecdh_fixed_info(ESDK_CURVE_P256, snd.ptr, 33, rec.ptr, 33, NULL, 0, &fixed), 0);
    static const char head[] = "ecdh-key-derivation\0p256\0HMAC_SHA384\0";
    assert_int_equal(fixed.len, sizeof head - 1 + 66 + 3);
    assert_memory_equal(fixed.data, head, sizeof head - 1);
    assert_memory_equal(fixed.data + sizeof head - 1, snd.ptr, 33);
    assert_memory_equal(fixed.data + sizeof head - 1 + 33, rec.ptr, 33);
    assert_memory_equal(fixed.data + fixed.len - 3, "\0\1\0", 3);

    /* okm = KDF(Z; fixedInfo, nonce): equal to the independent value, and its first half is
     * the commitment key the vector carries */
    assert_int_equal(esdk_ecdh_derive(z, 32, fixed.data, fixed.len, ct, okm), 0);
    assert_memory_equal(okm, okm_want, 64);
    assert_memory_equal(okm, ct + 32, 32);

    /* the same by hand: block i = HMAC-SHA384(Z, u32 i || fixedInfo || 00 || nonce || u32 512) */
    uint8_t input[4 + 200 + 1 + 32 + 4], mac[48];
    size_t in_len = 0;
    input[in_len++] = 0, input[in_len++] = 0, input[in_len++] = 0, input[in_len++] = 1;
    memcpy(input + in_len, fixed.data, fixed.len);
    in_len += fixed.len;
    input[in_len++] = 0;
    memcpy(input + in_len, ct, 32);
    in_len += 32;
    memcpy(input + in_len, "\0\0\2\0", 4);
    in_len += 4;
    assert_int_equal(esdk_hmac(ESDK_HASH_SHA384, z, 32, input, in_len, mac), 0);
    assert_memory_equal(okm, mac, 48);
    input[3] = 2;
    assert_int_equal(esdk_hmac(ESDK_HASH_SHA384, z, 32, input, in_len, mac), 0);
    assert_memory_equal(okm + 48, mac, 16);

    /* unwrap gives the vector's data key */
    assert_int_equal(esdk_ecdh_unwrap(z, 32, fixed.data, fixed.len, ct, ct_len, 24, key), 0);
    assert_memory_equal(key, dk, 24);

    /* and so does the keyring, through the public API */
    esdk_keyring *kr = NULL;
    assert_int_equal(
        esdk_keyring_raw_ecdh_static_new(
            ESDK_ECDH_CURVE_P256,
            text(ec_vector_sender_pem),
            strlen(ec_vector_sender_pem),
            der,
            der_len,
            &kr),
        0);
    esdk_enc_ctx *ctx = context(NULL, NULL);
    esdk_dec_materials *dm;
    esdk_edk_list *edks;
    esdk_edk edk = {text("raw-ecdh"), 8, info, sizeof info, ct, ct_len};
    assert_int_equal(esdk_edk_list_new(&edks), 0);
    assert_int_equal(esdk_edk_list_append(edks, &edk), 0);
    assert_int_equal(esdk_dec_materials_new(0x0046, ctx, NULL, 0, &dm), 0);
    assert_int_equal(esdk_keyring_on_decrypt(kr, dm, edks), 0);
    const uint8_t *got;
    size_t got_len;
    assert_true(esdk_dec_materials_data_key(dm, &got, &got_len));
    assert_memory_equal(got, dk, 24);

    esdk_dec_materials_release(dm);
    esdk_edk_list_release(edks);
    esdk_enc_ctx_release(ctx);
    esdk_keyring_release(kr);
    esdk_buf_release(&fixed);
    esdk_sig_key_release(priv);
    esdk_sig_key_release(pub);
    free(ct);
    free(dk);
    free(der);
}

/* The counter-mode KDF over more than one block and odd lengths, against HMAC by hand. */
static void test_kdf_ctr_blocks(void **state)
{
    (void)state;
    uint8_t key[20], label[5] = "label", ctx[3] = {1, 2, 3}, out[100], mac[32];
    test_fill(key, sizeof key, 7);
    assert_int_equal(
        esdk_kdf_ctr_hmac(ESDK_HASH_SHA256, key, sizeof key, label, 5, ctx, 3, out, 70), 0);
    for (uint8_t i = 1; i <= 3; i++) {
        uint8_t in[4 + 5 + 1 + 3 + 4] = {
            0, 0, 0, i, 'l', 'a', 'b', 'e', 'l', 0, 1, 2, 3, 0, 0, 2, 0x30};
        assert_int_equal(esdk_hmac(ESDK_HASH_SHA256, key, sizeof key, in, sizeof in, mac), 0);
        size_t n = i < 3 ? 32 : 6;
        assert_memory_equal(out + 32 * (i - 1), mac, n);
    }
    assert_int_equal(
        esdk_kdf_ctr_hmac(ESDK_HASH_SHA1, key, sizeof key, NULL, 0, NULL, 0, out, 32),
        ESDK_ERR_BAD_ARGUMENT);
    assert_int_equal(
        esdk_kdf_ctr_hmac(ESDK_HASH_SHA256, key, sizeof key, NULL, 0, NULL, 0, out, 0),
        ESDK_ERR_BAD_ARGUMENT);
}

/* Every raw ECDH case of the official keyring vectors, when the shared folder is present. */
static void test_official_keyring_vectors(void **state)
{
    (void)state;
    if (!test_shared_dir_exists()) {
        skip();
    }
    size_t klen, mlen;
    uint8_t *ktext =
        test_read_file(ESDK_SHARED_DIR "/vectors/official/mpl-keyring/keys.json", &klen);
    uint8_t *mtext =
        test_read_file(ESDK_SHARED_DIR "/vectors/official/mpl-keyring/manifest.json", &mlen);
    assert_non_null(ktext);
    assert_non_null(mtext);
    cJSON *kroot = cJSON_ParseWithLength((char *)ktext, klen);
    cJSON *keys = cJSON_GetObjectItem(kroot, "keys");
    cJSON *mroot = cJSON_ParseWithLength((char *)mtext, mlen);
    int checked = 0;
    for (const cJSON *t = cJSON_GetObjectItem(mroot, "tests")->child; t; t = t->next) {
        const cJSON *d = cJSON_GetObjectItem(t, "keyDescription");
        if (strcmp(cJSON_GetObjectItem(d, "type")->valuestring, "raw-ecdh") != 0) {
            continue;
        }
        const char *curve_name = cJSON_GetObjectItem(d, "ecc-curve")->valuestring;
        esdk_ecdh_curve curve = strcmp(curve_name, "ecc-256") == 0   ? ESDK_ECDH_CURVE_P256
                                : strcmp(curve_name, "ecc-384") == 0 ? ESDK_ECDH_CURVE_P384
                                                                     : ESDK_ECDH_CURVE_P521;
        const cJSON *rk =
            cJSON_GetObjectItem(keys, cJSON_GetObjectItem(d, "recipient")->valuestring);
        esdk_keyring *kr = NULL;
        if (strcmp(cJSON_GetObjectItem(d, "schema")->valuestring, "discovery") == 0) {
            const char *pem = cJSON_GetObjectItem(rk, "recipient-material")->valuestring;
            assert_int_equal(
                esdk_keyring_raw_ecdh_discovery_new(curve, text(pem), strlen(pem), &kr), 0);
        } else {
            const cJSON *sk =
                cJSON_GetObjectItem(keys, cJSON_GetObjectItem(d, "sender")->valuestring);
            const char *pem = cJSON_GetObjectItem(sk, "sender-material")->valuestring;
            size_t der_len;
            uint8_t *der = test_base64(
                cJSON_GetObjectItem(rk, "recipient-material-public-key")->valuestring, &der_len);
            assert_int_equal(
                esdk_keyring_raw_ecdh_static_new(curve, text(pem), strlen(pem), der, der_len, &kr),
                0);
            free(der);
        }
        esdk_edk_list *edks;
        assert_int_equal(esdk_edk_list_new(&edks), 0);
        for (const cJSON *e = cJSON_GetObjectItem(t, "encryptedDataKeys")->child; e; e = e->next) {
            size_t il, cl;
            const char *pid = cJSON_GetObjectItem(e, "keyProviderId")->valuestring;
            uint8_t *info =
                test_base64(cJSON_GetObjectItem(e, "keyProviderInfo")->valuestring, &il);
            uint8_t *ct = test_base64(cJSON_GetObjectItem(e, "ciphertext")->valuestring, &cl);
            esdk_edk edk = {text(pid), strlen(pid), info, il, ct, cl};
            assert_int_equal(esdk_edk_list_append(edks, &edk), 0);
            free(info);
            free(ct);
        }
        esdk_enc_ctx *ctx;
        assert_int_equal(esdk_enc_ctx_new(&ctx), 0);
        for (const cJSON *p = cJSON_GetObjectItem(t, "encryptionContext")->child; p; p = p->next) {
            assert_int_equal(esdk_enc_ctx_set_str(ctx, p->string, p->valuestring), 0);
        }
        uint16_t suite =
            (uint16_t)strtoul(cJSON_GetObjectItem(t, "algorithmSuiteId")->valuestring, NULL, 16);
        esdk_dec_materials *dm;
        assert_int_equal(esdk_dec_materials_new(suite, ctx, NULL, 0, &dm), 0);
        int rc = esdk_keyring_on_decrypt(kr, dm, edks);
        if (rc) {
            print_error("%s: %s\n", t->string, esdk_last_error_detail());
        }
        assert_int_equal(rc, 0);
        size_t want_len;
        uint8_t *want = test_base64(
            cJSON_GetObjectItem(cJSON_GetObjectItem(t, "result"), "plaintextDataKey")->valuestring,
            &want_len);
        const uint8_t *got;
        size_t got_len;
        assert_true(esdk_dec_materials_data_key(dm, &got, &got_len));
        assert_int_equal(got_len, want_len);
        assert_memory_equal(got, want, want_len);
        free(want);
        esdk_dec_materials_release(dm);
        esdk_enc_ctx_release(ctx);
        esdk_edk_list_release(edks);
        esdk_keyring_release(kr);
        checked++;
    }
    assert_true(checked >= 70);
    cJSON_Delete(kroot);
    cJSON_Delete(mroot);
    free(ktext);
    free(mtext);
}

/* Static, discovery and ephemeral keyrings shared by several threads. */
typedef struct shared_keyrings {
    esdk_keyring *ab, *disc_b, *eph_b;
} shared_keyrings;

static void *ecdh_round_trips(void *arg)
{
    shared_keyrings *k = arg;
    for (int i = 0; i < 20; i++) {
        esdk_enc_materials *m1 = wrap(k->ab, 0x0478, "i", "x");
        esdk_enc_materials *m2 = wrap(k->eph_b, 0x0578, NULL, NULL);
        int rc = unwrap(k->ab, m1) | unwrap(k->disc_b, m1) | unwrap(k->disc_b, m2);
        esdk_enc_materials_release(m1);
        esdk_enc_materials_release(m2);
        if (rc) {
            return (void *)1;
        }
    }
    return NULL;
}

static void test_threads(void **state)
{
    (void)state;
    shared_keyrings k = {ecdh_static(2, A, B), ecdh_discovery(2, B), ecdh_ephemeral(2, B)};
    pthread_t t[4];
    for (int i = 0; i < 4; i++) {
        assert_int_equal(pthread_create(&t[i], NULL, ecdh_round_trips, &k), 0);
    }
    for (int i = 0; i < 4; i++) {
        void *r;
        assert_int_equal(pthread_join(t[i], &r), 0);
        assert_null(r);
    }
    esdk_keyring_release(k.ab);
    esdk_keyring_release(k.disc_b);
    esdk_keyring_release(k.eph_b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_static_round_trip_both_directions),
        cmocka_unit_test(test_ephemeral_round_trip),
        cmocka_unit_test(test_discovery_refuses_to_encrypt),
        cmocka_unit_test(test_wrong_recipient_fails),
        cmocka_unit_test(test_tampered_commitment_fails_first),
        cmocka_unit_test(test_context_is_bound),
        cmocka_unit_test(test_edk_layout),
        cmocka_unit_test(test_key_formats_and_refusals),
        cmocka_unit_test(test_official_vector_derivation),
        cmocka_unit_test(test_kdf_ctr_blocks),
        cmocka_unit_test(test_official_keyring_vectors),
        cmocka_unit_test(test_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
