/* The raw RSA keyring: every padding and key size, every key encoding, key refusals,
 * public-only and private-only keyrings, wrong keys, and tampered EDKs (one uniform outcome;
 * implicit rejection for PKCS#1 v1.5). */
#include <cjson/cJSON.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "support/rsa_test_keys.h"
#include "support/test_support.h"

#define NS   "rsa-test"
#define NAME "key-1"

static const esdk_rsa_padding all_paddings[] = {
    ESDK_RSA_PKCS1,
    ESDK_RSA_OAEP_SHA1_MGF1,
    ESDK_RSA_OAEP_SHA256_MGF1,
    ESDK_RSA_OAEP_SHA384_MGF1,
    ESDK_RSA_OAEP_SHA512_MGF1};
#define N_PADDINGS (sizeof all_paddings / sizeof all_paddings[0])

static int new_rsa(esdk_rsa_padding pad, const char *pub, const char *priv, esdk_keyring **out)
{
    return esdk_keyring_raw_rsa_new(
        NS,
        NAME,
        pad,
        (const uint8_t *)pub,
        pub ? strlen(pub) : 0,
        (const uint8_t *)priv,
        priv ? strlen(priv) : 0,
        out);
}

static esdk_keyring *rsa(esdk_rsa_padding pad, const char *pub, const char *priv)
{
    esdk_keyring *k = NULL;
    int rc = new_rsa(pad, pub, priv, &k);
    if (rc) {
        print_error("%s\n", esdk_last_error_detail());
    }
    assert_int_equal(rc, 0);
    return k;
}

/* The DER bytes inside a PEM text (its base64 body). */
static uint8_t *der_of(const char *pem, size_t *len)
{
    char *body = calloc(1, strlen(pem) + 1);
    const char *p = pem;
    while (*p) {
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

/* Wrap a fresh data key; returns materials holding it and the EDK. */
static esdk_enc_materials *wrap(esdk_keyring *kr, uint16_t suite)
{
    esdk_enc_ctx *ctx;
    esdk_enc_materials *m;
    assert_int_equal(esdk_enc_ctx_new(&ctx), 0);
    assert_int_equal(esdk_enc_materials_new(suite, ctx, NULL, 0, &m), 0);
    assert_int_equal(esdk_keyring_on_encrypt(kr, m), 0);
    esdk_enc_ctx_release(ctx);
    return m;
}

/* Unwrap edks into key (32 bytes); returns the keyring's status. */
static int unwrap(esdk_keyring *kr, uint16_t suite, const esdk_edk_list *edks, uint8_t *key)
{
    esdk_enc_ctx *ctx;
    esdk_dec_materials *m;
    assert_int_equal(esdk_enc_ctx_new(&ctx), 0);
    assert_int_equal(esdk_dec_materials_new(suite, ctx, NULL, 0, &m), 0);
    int rc = esdk_keyring_on_decrypt(kr, m, edks);
    if (rc == 0) {
        const uint8_t *k;
        size_t n;
        assert_true(esdk_dec_materials_data_key(m, &k, &n));
        assert_int_equal(n, esdk_suite_data_key_len(suite));
        memcpy(key, k, n);
    }
    esdk_dec_materials_release(m);
    esdk_enc_ctx_release(ctx);
    return rc;
}

static void assert_same_key(const esdk_enc_materials *m, const uint8_t *key)
{
    const uint8_t *k;
    size_t n;
    assert_true(esdk_enc_materials_data_key(m, &k, &n));
    assert_memory_equal(k, key, n);
}

/* Every padding with 2048-, 3072- and 4096-bit keys: the EDK layout and the unwrapped key. */
/* spec: keyring-raw-rsa-1 */
static void test_round_trip_every_padding_and_size(void **state)
{
    (void)state;
    const char *keys[][2] = {
        {test_rsa_2048_a_spki, test_rsa_2048_a_pkcs8},
        {test_rsa_3072_spki, test_rsa_3072_pkcs8},
        {test_rsa_4096_spki, test_rsa_4096_pkcs8}};
    const size_t modulus[] = {256, 384, 512};
    for (size_t s = 0; s < 3; s++) {
        for (size_t p = 0; p < N_PADDINGS; p++) {
            esdk_keyring *kr = rsa(all_paddings[p], keys[s][0], keys[s][1]);
            esdk_enc_materials *m = wrap(kr, 0x0478);
            esdk_edk edk;
            assert_int_equal(esdk_edk_list_count(esdk_enc_materials_edks(m)), 1);
            assert_int_equal(esdk_edk_list_get(esdk_enc_materials_edks(m), 0, &edk), 0);
            assert_int_equal(edk.provider_id_len, strlen(NS));
            assert_memory_equal(edk.provider_id, NS, strlen(NS));
            assert_int_equal(edk.provider_info_len, strlen(NAME));
            assert_memory_equal(edk.provider_info, NAME, strlen(NAME));
            assert_int_equal(edk.ciphertext_len, modulus[s]);
            uint8_t key[32];
            assert_int_equal(unwrap(kr, 0x0478, esdk_enc_materials_edks(m), key), 0);
            assert_same_key(m, key);
            esdk_enc_materials_release(m);
            esdk_keyring_release(kr);
        }
    }
}

/* Whole messages through the one-shot API, for every padding and a 16-, 24- and 32-byte
 * data key. */
/* spec: keyring-raw-rsa-1 */
static void test_message_round_trip(void **state)
{
    (void)state;
    const uint16_t suites[] = {0x0478, 0x0578, 0x0114, 0x0346};
    for (size_t p = 0; p < N_PADDINGS; p++) {
        for (size_t s = 0; s < sizeof suites / sizeof suites[0]; s++) {
            esdk_keyring *kr = rsa(all_paddings[p], test_rsa_2048_a_spki, test_rsa_2048_a_pkcs8);
            esdk_options *o;
            assert_int_equal(esdk_options_new(&o), 0);
            assert_int_equal(
                esdk_options_set_commitment_policy(
                    o,
                    esdk_suite_is_committing(suites[s])
                        ? ESDK_COMMITMENT_REQUIRE_ENCRYPT_REQUIRE_DECRYPT
                        : ESDK_COMMITMENT_FORBID_ENCRYPT_ALLOW_DECRYPT),
                0);
            assert_int_equal(esdk_options_set_suite(o, suites[s]), 0);
            uint8_t pt[1000];
            test_fill(pt, sizeof pt, (uint32_t)(p * 10 + s));
            esdk_buf ct = ESDK_BUF_INIT, back = ESDK_BUF_INIT;
            assert_int_equal(esdk_encrypt(o, NULL, kr, NULL, pt, sizeof pt, &ct), 0);
            assert_int_equal(esdk_decrypt(o, NULL, kr, NULL, ct.data, ct.len, &back, NULL), 0);
            assert_int_equal(back.len, sizeof pt);
            assert_memory_equal(back.data, pt, sizeof pt);
            esdk_buf_release(&ct);
            esdk_buf_release(&back);
            esdk_options_release(o);
            esdk_keyring_release(kr);
        }
    }
}

/* The largest accepted key size. */
/* spec: keyring-raw-rsa-1 */
static void test_8192_bits(void **state)
{
    (void)state;
    esdk_keyring *kr = rsa(ESDK_RSA_OAEP_SHA512_MGF1, test_rsa_8192_spki, test_rsa_8192_pkcs8);
    esdk_enc_materials *m = wrap(kr, 0x0478);
    uint8_t key[32];
    assert_int_equal(unwrap(kr, 0x0478, esdk_enc_materials_edks(m), key), 0);
    assert_same_key(m, key);
    esdk_enc_materials_release(m);
    esdk_keyring_release(kr);
}

/* PKCS#8 and PKCS#1 private keys, SPKI and PKCS#1 public keys, each as PEM and as DER: every
 * public form wraps what every private form unwraps. */
/* spec: keyring-raw-rsa-2 */
static void test_key_encodings(void **state)
{
    (void)state;
    size_t lens[8];
    const uint8_t *forms[8];
    uint8_t *ders[4];
    const char *pems[4] = {
        test_rsa_2048_a_spki,
        test_rsa_2048_a_pkcs1_pub,
        test_rsa_2048_a_pkcs8,
        test_rsa_2048_a_pkcs1};
    for (size_t i = 0; i < 4; i++) {
        forms[2 * i] = (const uint8_t *)pems[i];
        lens[2 * i] = strlen(pems[i]);
        ders[i] = der_of(pems[i], &lens[2 * i + 1]);
        forms[2 * i + 1] = ders[i];
    }
    /* forms 0-3 are public (SPKI PEM/DER, PKCS#1 PEM/DER), 4-7 private (PKCS#8, PKCS#1). */
    for (size_t pub = 0; pub < 4; pub++) {
        for (size_t priv = 4; priv < 8; priv++) {
            esdk_keyring *enc = NULL, *dec = NULL;
            assert_int_equal(
                esdk_keyring_raw_rsa_new(
                    NS, NAME, ESDK_RSA_OAEP_SHA256_MGF1, forms[pub], lens[pub], NULL, 0, &enc),
                0);
            assert_int_equal(
                esdk_keyring_raw_rsa_new(
                    NS, NAME, ESDK_RSA_OAEP_SHA256_MGF1, NULL, 0, forms[priv], lens[priv], &dec),
                0);
            esdk_enc_materials *m = wrap(enc, 0x0478);
            uint8_t key[32];
            assert_int_equal(unwrap(dec, 0x0478, esdk_enc_materials_edks(m), key), 0);
            assert_same_key(m, key);
            esdk_enc_materials_release(m);
            esdk_keyring_release(enc);
            esdk_keyring_release(dec);
        }
    }
    /* A PEM text that already ends with its NUL is accepted too. */
    esdk_keyring *k = NULL;
    assert_int_equal(
        esdk_keyring_raw_rsa_new(
            NS,
            NAME,
            ESDK_RSA_PKCS1,
            (const uint8_t *)test_rsa_2048_a_spki,
            strlen(test_rsa_2048_a_spki) + 1,
            NULL,
            0,
            &k),
        0);
    esdk_keyring_release(k);
    for (size_t i = 0; i < 4; i++) {
        free(ders[i]);
    }
}

static void expect_refusal(
    const char *pub,
    size_t pub_len,
    const char *priv,
    size_t priv_len,
    int code,
    const char *detail_part)
{
    esdk_keyring *k = NULL;
    int rc = esdk_keyring_raw_rsa_new(
        NS,
        NAME,
        ESDK_RSA_OAEP_SHA256_MGF1,
        (const uint8_t *)pub,
        pub_len,
        (const uint8_t *)priv,
        priv_len,
        &k);
    if (rc != code || !strstr(esdk_last_error_detail(), detail_part)) {
        print_error("got %s: %s\n", esdk_error_name(rc), esdk_last_error_detail());
    }
    assert_int_equal(rc, code);
    assert_null(k);
    assert_non_null(strstr(esdk_last_error_detail(), detail_part));
}

/* spec: keyring-raw-rsa-2 */
static void test_bad_keys(void **state)
{
    (void)state;
    static const char garbage[] = "this is not a key";
    static const char bad_pem[] =
        "-----BEGIN PUBLIC KEY-----\nAAAA!!!!\n-----END PUBLIC KEY-----\n";
    const size_t a_spki = strlen(test_rsa_2048_a_spki), a_p8 = strlen(test_rsa_2048_a_pkcs8);
    char *truncated = strdup(test_rsa_2048_a_pkcs8);
    truncated[a_p8 / 2] = '\0';
    expect_refusal(garbage, strlen(garbage), NULL, 0, ESDK_ERR_BAD_KEY, "public key");
    expect_refusal(bad_pem, strlen(bad_pem), NULL, 0, ESDK_ERR_BAD_KEY, "SubjectPublicKeyInfo");
    expect_refusal(NULL, 0, garbage, strlen(garbage), ESDK_ERR_BAD_KEY, "PKCS#8");
    expect_refusal(NULL, 0, truncated, strlen(truncated), ESDK_ERR_BAD_KEY, "private key");
    /* a private key where the public one belongs, and the other way round */
    expect_refusal(test_rsa_2048_a_pkcs8, a_p8, NULL, 0, ESDK_ERR_BAD_KEY, "public key");
    expect_refusal(NULL, 0, test_rsa_2048_a_spki, a_spki, ESDK_ERR_BAD_KEY, "private key");
    expect_refusal(
        NULL,
        0,
        test_rsa_2048_a_pkcs8_encrypted,
        strlen(test_rsa_2048_a_pkcs8_encrypted),
        ESDK_ERR_BAD_KEY,
        "password");
    expect_refusal(
        test_ec_p256_spki, strlen(test_ec_p256_spki), NULL, 0, ESDK_ERR_BAD_KEY, "not an RSA key");
    expect_refusal(
        NULL,
        0,
        test_ec_p256_pkcs8,
        strlen(test_ec_p256_pkcs8),
        ESDK_ERR_BAD_KEY,
        "not an RSA key");
    expect_refusal(
        test_rsa_1024_spki, strlen(test_rsa_1024_spki), NULL, 0, ESDK_ERR_BAD_KEY, "1024 bits");
    expect_refusal(
        NULL, 0, test_rsa_1024_pkcs8, strlen(test_rsa_1024_pkcs8), ESDK_ERR_BAD_KEY, "1024 bits");
    expect_refusal(
        test_rsa_2048_a_spki,
        a_spki,
        test_rsa_2048_b_pkcs8,
        strlen(test_rsa_2048_b_pkcs8),
        ESDK_ERR_BAD_KEY,
        "not a pair");
    expect_refusal(test_rsa_2048_a_spki, 0, NULL, 0, ESDK_ERR_BAD_KEY, "length 0");
    expect_refusal(NULL, 0, NULL, 0, ESDK_ERR_BAD_ARGUMENT, "public or private key");
    free(truncated);

    esdk_keyring *k = NULL;
    assert_int_equal(
        esdk_keyring_raw_rsa_new(
            "aws-kms",
            NAME,
            ESDK_RSA_PKCS1,
            (const uint8_t *)test_rsa_2048_a_spki,
            a_spki,
            NULL,
            0,
            &k),
        ESDK_ERR_BAD_ARGUMENT);
    assert_int_equal(
        esdk_keyring_raw_rsa_new(
            NS,
            NAME,
            (esdk_rsa_padding)9,
            (const uint8_t *)test_rsa_2048_a_spki,
            a_spki,
            NULL,
            0,
            &k),
        ESDK_ERR_BAD_ARGUMENT);
    assert_int_equal(
        esdk_keyring_raw_rsa_new(
            NULL, NAME, ESDK_RSA_PKCS1, (const uint8_t *)test_rsa_2048_a_spki, a_spki, NULL, 0, &k),
        ESDK_ERR_BAD_ARGUMENT);
    assert_null(k);
}

/* A public-only keyring encrypts and refuses to decrypt; a private-only keyring decrypts what
 * it wrapped and refuses to encrypt (no public key is derived from the private key). */
/* spec: keyring-raw-rsa-4 */
static void test_public_only_and_private_only(void **state)
{
    (void)state;
    for (size_t p = 0; p < N_PADDINGS; p++) {
        esdk_keyring *pub = rsa(all_paddings[p], test_rsa_2048_a_pkcs1_pub, NULL);
        esdk_keyring *priv = rsa(all_paddings[p], NULL, test_rsa_2048_a_pkcs1);
        esdk_buf ct = ESDK_BUF_INIT, back = ESDK_BUF_INIT;
        static const uint8_t pt[] = "hello, private key";
        assert_int_equal(esdk_encrypt(NULL, NULL, pub, NULL, pt, sizeof pt, &ct), 0);
        assert_int_equal(
            esdk_decrypt(NULL, NULL, pub, NULL, ct.data, ct.len, &back, NULL), ESDK_ERR_BAD_STATE);
        assert_non_null(strstr(esdk_last_error_detail(), "no private key"));
        assert_int_equal(back.len, 0);
        assert_int_equal(esdk_decrypt(NULL, NULL, priv, NULL, ct.data, ct.len, &back, NULL), 0);
        assert_memory_equal(back.data, pt, sizeof pt);
        esdk_buf_release(&ct);
        assert_int_equal(
            esdk_encrypt(NULL, NULL, priv, NULL, pt, sizeof pt, &ct), ESDK_ERR_BAD_STATE);
        assert_non_null(strstr(esdk_last_error_detail(), "no public key"));
        esdk_buf_release(&ct);
        esdk_buf_release(&back);
        esdk_keyring_release(pub);
        esdk_keyring_release(priv);
    }
}

/* Encrypt under key A and decrypt with key B: OAEP says CANNOT_DECRYPT; PKCS#1 v1.5
 * (implicit rejection) hands on a substitute key, so the message fails its commitment
 * (committing suite) or its header tag (older suite). A keyring with another name never
 * matches. */
/* spec: keyring-raw-rsa-3 */
static void test_wrong_key(void **state)
{
    (void)state;
    static const uint8_t pt[] = "for key A only";
    const uint16_t suites[] = {0x0478, 0x0178};
    const int pkcs1_codes[] = {ESDK_ERR_COMMITMENT_MISMATCH, ESDK_ERR_BAD_TAG};
    for (size_t s = 0; s < 2; s++) {
        for (size_t p = 0; p < N_PADDINGS; p++) {
            esdk_keyring *a = rsa(all_paddings[p], test_rsa_2048_a_spki, NULL);
            esdk_keyring *b = rsa(all_paddings[p], NULL, test_rsa_2048_b_pkcs8);
            esdk_options *o;
            assert_int_equal(esdk_options_new(&o), 0);
            assert_int_equal(
                esdk_options_set_commitment_policy(
                    o, ESDK_COMMITMENT_REQUIRE_ENCRYPT_ALLOW_DECRYPT),
                0);
            esdk_buf ct = ESDK_BUF_INIT, back = ESDK_BUF_INIT;
            if (s == 1) {
                esdk_options *f;
                assert_int_equal(esdk_options_new(&f), 0);
                assert_int_equal(
                    esdk_options_set_commitment_policy(
                        f, ESDK_COMMITMENT_FORBID_ENCRYPT_ALLOW_DECRYPT),
                    0);
                assert_int_equal(esdk_options_set_suite(f, suites[s]), 0);
                assert_int_equal(esdk_encrypt(f, NULL, a, NULL, pt, sizeof pt, &ct), 0);
                esdk_options_release(f);
            } else {
                assert_int_equal(esdk_encrypt(o, NULL, a, NULL, pt, sizeof pt, &ct), 0);
            }
            int rc = esdk_decrypt(o, NULL, b, NULL, ct.data, ct.len, &back, NULL);
            assert_int_equal(
                rc, all_paddings[p] == ESDK_RSA_PKCS1 ? pkcs1_codes[s] : ESDK_ERR_CANNOT_DECRYPT);
            assert_int_equal(back.len, 0);
            esdk_buf_release(&back);
            esdk_buf_release(&ct);
            esdk_options_release(o);
            esdk_keyring_release(a);
            esdk_keyring_release(b);
        }
    }
    /* same key, other name */
    esdk_keyring *a = rsa(ESDK_RSA_PKCS1, test_rsa_2048_a_spki, test_rsa_2048_a_pkcs8);
    esdk_keyring *other = NULL;
    assert_int_equal(
        esdk_keyring_raw_rsa_new(
            NS,
            "key-2",
            ESDK_RSA_PKCS1,
            NULL,
            0,
            (const uint8_t *)test_rsa_2048_a_pkcs8,
            strlen(test_rsa_2048_a_pkcs8),
            &other),
        0);
    esdk_enc_materials *m = wrap(a, 0x0478);
    uint8_t key[32];
    assert_int_equal(
        unwrap(other, 0x0478, esdk_enc_materials_edks(m), key), ESDK_ERR_CANNOT_DECRYPT);
    assert_non_null(strstr(esdk_last_error_detail(), "0 matching EDK(s)"));
    esdk_enc_materials_release(m);
    esdk_keyring_release(a);
    esdk_keyring_release(other);
}

enum { FLIP_FIRST, FLIP_LAST, ALL_ONES, ALL_ZERO, N_TAMPER };

static void tamper(uint8_t *ct, size_t len, int how)
{
    switch (how) {
        case FLIP_FIRST:
            ct[0] ^= 0x01;
            break;
        case FLIP_LAST:
            ct[len - 1] ^= 0x80;
            break;
        case ALL_ONES: /* not below the modulus */
            memset(ct, 0xFF, len);
            break;
        default:
            memset(ct, 0, len);
            break;
    }
}

/* One EDK list holding a tampered copy of m's EDK (and the original after it if both). */
static esdk_edk_list *tampered_list(const esdk_enc_materials *m, int how, bool append_original)
{
    esdk_edk edk;
    esdk_edk_list *list;
    uint8_t buf[1024];
    assert_int_equal(esdk_edk_list_get(esdk_enc_materials_edks(m), 0, &edk), 0);
    memcpy(buf, edk.ciphertext, edk.ciphertext_len);
    tamper(buf, edk.ciphertext_len, how);
    esdk_edk bad = edk;
    bad.ciphertext = buf;
    assert_int_equal(esdk_edk_list_new(&list), 0);
    assert_int_equal(esdk_edk_list_append(list, &bad), 0);
    if (append_original) {
        assert_int_equal(esdk_edk_list_append(list, &edk), 0);
    }
    return list;
}

/* OAEP: every kind of tampering gives the same code and the same text. */
/* spec: keyring-raw-rsa-3 */
static void test_tampered_edk_oaep_uniform(void **state)
{
    (void)state;
    for (size_t p = 1; p < N_PADDINGS; p++) {
        esdk_keyring *kr = rsa(all_paddings[p], test_rsa_2048_a_spki, test_rsa_2048_a_pkcs8);
        esdk_enc_materials *m = wrap(kr, 0x0478);
        char first[512] = "";
        for (int how = 0; how < N_TAMPER; how++) {
            esdk_edk_list *list = tampered_list(m, how, false);
            uint8_t key[32];
            assert_int_equal(unwrap(kr, 0x0478, list, key), ESDK_ERR_CANNOT_DECRYPT);
            if (how == 0) {
                snprintf(first, sizeof first, "%s", esdk_last_error_detail());
            }
            assert_string_equal(esdk_last_error_detail(), first);
            esdk_edk_list_release(list);
            /* a good EDK after the tampered one still opens it (first success wins) */
            list = tampered_list(m, how, true);
            assert_int_equal(unwrap(kr, 0x0478, list, key), 0);
            assert_same_key(m, key);
            esdk_edk_list_release(list);
        }
        esdk_enc_materials_release(m);
        esdk_keyring_release(kr);
    }
}

/* PKCS#1 v1.5: a tampered EDK yields a substitute key (implicit rejection): never the real
 * one, always the same one for the same ciphertext, another one for another ciphertext; and
 * the first matching EDK decides. */
/* spec: keyring-raw-rsa-3 */
static void test_tampered_edk_pkcs1_implicit_rejection(void **state)
{
    (void)state;
    esdk_keyring *kr = rsa(ESDK_RSA_PKCS1, test_rsa_2048_a_spki, test_rsa_2048_a_pkcs8);
    esdk_enc_materials *m = wrap(kr, 0x0478);
    const uint8_t *real;
    size_t real_len;
    assert_true(esdk_enc_materials_data_key(m, &real, &real_len));
    uint8_t seen[N_TAMPER][32];
    for (int how = 0; how < N_TAMPER; how++) {
        esdk_edk_list *list = tampered_list(m, how, true);
        uint8_t again[32];
        assert_int_equal(unwrap(kr, 0x0478, list, seen[how]), 0);
        assert_memory_not_equal(seen[how], real, real_len);
        assert_int_equal(unwrap(kr, 0x0478, list, again), 0);
        assert_memory_equal(again, seen[how], sizeof again);
        for (int other = 0; other < how; other++) {
            assert_memory_not_equal(seen[other], seen[how], sizeof again);
        }
        esdk_edk_list_release(list);
    }
    /* a 24-byte data key: the substitute has the suite's length */
    esdk_enc_materials *m24 = wrap(kr, 0x0146);
    esdk_edk_list *list = tampered_list(m24, FLIP_LAST, false);
    uint8_t key[32];
    assert_int_equal(unwrap(kr, 0x0146, list, key), 0);
    esdk_edk_list_release(list);
    esdk_enc_materials_release(m24);
    /* a ciphertext of the wrong length is not for this key: skipped, publicly */
    esdk_edk edk;
    assert_int_equal(esdk_edk_list_get(esdk_enc_materials_edks(m), 0, &edk), 0);
    edk.ciphertext_len--;
    assert_int_equal(esdk_edk_list_new(&list), 0);
    assert_int_equal(esdk_edk_list_append(list, &edk), 0);
    assert_int_equal(unwrap(kr, 0x0478, list, key), ESDK_ERR_CANNOT_DECRYPT);
    esdk_edk_list_release(list);
    esdk_enc_materials_release(m);
    esdk_keyring_release(kr);
}

/* Offset of the first EDK's ciphertext in a v2 message with an empty context. */
static size_t first_edk_ciphertext(const esdk_buf *msg, size_t *len)
{
    size_t off = 1 + 2 + 32 + 2 + 2; /* version, suite, message id, AAD length 0, EDK count */
    assert_int_equal(msg->data[0], 0x02);
    assert_int_equal(msg->data[35], 0);
    assert_int_equal(msg->data[36], 0);
    for (int field = 0; field < 2; field++) {
        off += 2 + (((size_t)msg->data[off] << 8) | msg->data[off + 1]);
    }
    *len = ((size_t)msg->data[off] << 8) | msg->data[off + 1];
    return off + 2;
}

/* Through the whole decrypt path, every tampering of the EDK in a message ends in one code
 * and one text for PKCS#1 v1.5 (the commitment check) and one for OAEP (CANNOT_DECRYPT). */
/* spec: keyring-raw-rsa-3 */
static void test_tampered_message_uniform_error(void **state)
{
    (void)state;
    for (size_t p = 0; p < N_PADDINGS; p++) {
        esdk_keyring *kr = rsa(all_paddings[p], test_rsa_2048_a_spki, test_rsa_2048_a_pkcs8);
        esdk_buf ct = ESDK_BUF_INIT;
        static const uint8_t pt[] = "tamper with me";
        esdk_options *o;
        assert_int_equal(esdk_options_new(&o), 0);
        assert_int_equal(esdk_options_set_suite(o, 0x0478), 0); /* unsigned: empty context */
        assert_int_equal(esdk_encrypt(o, NULL, kr, NULL, pt, sizeof pt, &ct), 0);
        size_t len;
        const size_t at = first_edk_ciphertext(&ct, &len);
        assert_int_equal(len, 256);
        char first[512] = "";
        int first_rc = 0;
        for (int how = 0; how < N_TAMPER; how++) {
            esdk_buf back = ESDK_BUF_INIT;
            uint8_t *bytes = malloc(ct.len);
            memcpy(bytes, ct.data, ct.len);
            tamper(bytes + at, len, how);
            int rc = esdk_decrypt(o, NULL, kr, NULL, bytes, ct.len, &back, NULL);
            if (how == 0) {
                first_rc = rc;
                snprintf(first, sizeof first, "%s", esdk_last_error_detail());
            }
            assert_int_equal(
                rc,
                all_paddings[p] == ESDK_RSA_PKCS1 ? ESDK_ERR_COMMITMENT_MISMATCH
                                                  : ESDK_ERR_CANNOT_DECRYPT);
            assert_int_equal(rc, first_rc);
            assert_string_equal(esdk_last_error_detail(), first);
            assert_int_equal(back.len, 0);
            esdk_buf_release(&back);
            free(bytes);
        }
        esdk_options_release(o);
        esdk_buf_release(&ct);
        esdk_keyring_release(kr);
    }
}

static cJSON *load_json(const char *path)
{
    size_t len;
    uint8_t *text = test_read_file(path, &len);
    assert_non_null(text);
    cJSON *j = cJSON_ParseWithLength((const char *)text, len);
    free(text);
    assert_non_null(j);
    return j;
}

/* ("pkcs1" | "oaep-mgf1", hash) as in the official manifests; PKCS#1 ignores the hash. */
static esdk_rsa_padding padding_of(const cJSON *desc)
{
    const char *alg = cJSON_GetObjectItem(desc, "padding-algorithm")->valuestring;
    const cJSON *h = cJSON_GetObjectItem(desc, "padding-hash");
    if (strcmp(alg, "pkcs1") == 0) {
        return ESDK_RSA_PKCS1;
    }
    const char *hash = h ? h->valuestring : "sha1";
    return strcmp(hash, "sha1") == 0     ? ESDK_RSA_OAEP_SHA1_MGF1
           : strcmp(hash, "sha256") == 0 ? ESDK_RSA_OAEP_SHA256_MGF1
           : strcmp(hash, "sha384") == 0 ? ESDK_RSA_OAEP_SHA384_MGF1
                                         : ESDK_RSA_OAEP_SHA512_MGF1;
}

static esdk_enc_ctx *context_of(const cJSON *obj)
{
    esdk_enc_ctx *ctx;
    assert_int_equal(esdk_enc_ctx_new(&ctx), 0);
    for (const cJSON *e = obj ? obj->child : NULL; e; e = e->next) {
        assert_int_equal(esdk_enc_ctx_set_str(ctx, e->string, e->valuestring), 0);
    }
    return ctx;
}

/* The official keyring vectors (MPL, every padding): the keyring unwraps each EDK into the
 * expected data key. Proves the OAEP hash conventions (MGF1 = OAEP hash, empty label). */
/* spec: keyring-raw-rsa-1 */
static void test_official_keyring_vectors(void **state)
{
    (void)state;
    if (!test_shared_dir_exists()) {
        skip();
    }
    cJSON *keys = load_json(ESDK_SHARED_DIR "/vectors/official/mpl-keyring/keys.json");
    cJSON *manifest = load_json(ESDK_SHARED_DIR "/vectors/official/mpl-keyring/manifest.json");
    int per_padding[N_PADDINGS] = {0};
    for (const cJSON *t = cJSON_GetObjectItem(manifest, "tests")->child; t; t = t->next) {
        const cJSON *desc = cJSON_GetObjectItem(t, "keyDescription");
        const cJSON *alg = desc ? cJSON_GetObjectItem(desc, "encryption-algorithm") : NULL;
        if (!alg || strcmp(alg->valuestring, "rsa") != 0) {
            continue;
        }
        const cJSON *key = cJSON_GetObjectItem(
            cJSON_GetObjectItem(keys, "keys"), cJSON_GetObjectItem(desc, "key")->valuestring);
        const char *pem = cJSON_GetObjectItem(key, "material")->valuestring;
        esdk_rsa_padding pad = padding_of(desc);
        esdk_keyring *kr = NULL;
        assert_int_equal(
            esdk_keyring_raw_rsa_new(
                cJSON_GetObjectItem(desc, "provider-id")->valuestring,
                cJSON_GetObjectItem(key, "key-id")->valuestring,
                pad,
                NULL,
                0,
                (const uint8_t *)pem,
                strlen(pem),
                &kr),
            0);
        esdk_edk_list *edks;
        assert_int_equal(esdk_edk_list_new(&edks), 0);
        const cJSON *e = cJSON_GetObjectItem(t, "encryptedDataKeys")->child;
        for (; e; e = e->next) {
            size_t info_len, ct_len;
            const char *id = cJSON_GetObjectItem(e, "keyProviderId")->valuestring;
            uint8_t *info =
                test_base64(cJSON_GetObjectItem(e, "keyProviderInfo")->valuestring, &info_len);
            uint8_t *ct = test_base64(cJSON_GetObjectItem(e, "ciphertext")->valuestring, &ct_len);
            esdk_edk edk = {(const uint8_t *)id, strlen(id), info, info_len, ct, ct_len};
            assert_int_equal(esdk_edk_list_append(edks, &edk), 0);
            free(info);
            free(ct);
        }
        uint16_t suite =
            (uint16_t)strtoul(cJSON_GetObjectItem(t, "algorithmSuiteId")->valuestring, NULL, 16);
        esdk_enc_ctx *ctx = context_of(cJSON_GetObjectItem(t, "encryptionContext"));
        esdk_dec_materials *m;
        assert_int_equal(esdk_dec_materials_new(suite, ctx, NULL, 0, &m), 0);
        assert_int_equal(esdk_keyring_on_decrypt(kr, m, edks), 0);
        const uint8_t *got;
        size_t got_len, want_len;
        assert_true(esdk_dec_materials_data_key(m, &got, &got_len));
        const cJSON *result = cJSON_GetObjectItem(t, "result");
        uint8_t *want =
            test_base64(cJSON_GetObjectItem(result, "plaintextDataKey")->valuestring, &want_len);
        assert_int_equal(got_len, want_len);
        assert_memory_equal(got, want, want_len);
        per_padding[pad]++;
        free(want);
        esdk_dec_materials_release(m);
        esdk_enc_ctx_release(ctx);
        esdk_edk_list_release(edks);
        esdk_keyring_release(kr);
    }
    for (size_t p = 0; p < N_PADDINGS; p++) {
        assert_true(per_padding[p] > 0);
    }
    cJSON_Delete(manifest);
    cJSON_Delete(keys);
}

/* Whole messages written by the official C SDK 2.4.1 (PKCS#1, OAEP-SHA1, OAEP-SHA256): two
 * of each decrypt to the expected plaintext. */
/* spec: keyring-raw-rsa-1 */
static void test_official_c_messages(void **state)
{
    (void)state;
    if (!test_shared_dir_exists()) {
        skip();
    }
#define C_DIR ESDK_SHARED_DIR "/vectors/aws-encryption-sdk-c-2.4.1/"
    cJSON *keys = load_json(C_DIR "keys.json");
    cJSON *manifest = load_json(C_DIR "manifest.json");
    int per_padding[N_PADDINGS] = {0};
    esdk_options *o;
    assert_int_equal(esdk_options_new(&o), 0);
    assert_int_equal(
        esdk_options_set_commitment_policy(o, ESDK_COMMITMENT_REQUIRE_ENCRYPT_ALLOW_DECRYPT), 0);
    for (const cJSON *t = cJSON_GetObjectItem(manifest, "tests")->child; t; t = t->next) {
        const cJSON *mks = cJSON_GetObjectItem(t, "master-keys");
        const cJSON *desc = mks->child;
        const cJSON *alg = cJSON_GetObjectItem(desc, "encryption-algorithm");
        if (cJSON_GetArraySize(mks) != 1 || !alg || strcmp(alg->valuestring, "rsa") != 0) {
            continue;
        }
        esdk_rsa_padding pad = padding_of(desc);
        if (per_padding[pad] == 2) {
            continue;
        }
        const cJSON *key = cJSON_GetObjectItem(
            cJSON_GetObjectItem(keys, "keys"), cJSON_GetObjectItem(desc, "key")->valuestring);
        const char *pem = cJSON_GetObjectItem(key, "material")->valuestring;
        esdk_keyring *kr = NULL;
        assert_int_equal(
            esdk_keyring_raw_rsa_new(
                cJSON_GetObjectItem(desc, "provider-id")->valuestring,
                cJSON_GetObjectItem(desc, "key-id")->valuestring,
                pad,
                NULL,
                0,
                (const uint8_t *)pem,
                strlen(pem),
                &kr),
            0);
        char path[1024];
        size_t ct_len, pt_len;
        snprintf(
            path,
            sizeof path,
            C_DIR "%s",
            cJSON_GetObjectItem(t, "ciphertext")->valuestring + strlen("file://"));
        uint8_t *ct = test_read_file(path, &ct_len);
        snprintf(
            path,
            sizeof path,
            C_DIR "%s",
            cJSON_GetObjectItem(t, "plaintext")->valuestring + strlen("file://"));
        uint8_t *pt = test_read_file(path, &pt_len);
        assert_non_null(ct);
        assert_non_null(pt);
        esdk_buf out = ESDK_BUF_INIT;
        int rc = esdk_decrypt(o, NULL, kr, NULL, ct, ct_len, &out, NULL);
        if (rc) {
            print_error("%s: %s\n", t->string, esdk_last_error_detail());
        }
        assert_int_equal(rc, 0);
        assert_int_equal(out.len, pt_len);
        assert_memory_equal(out.data, pt, pt_len);
        per_padding[pad]++;
        esdk_buf_release(&out);
        free(ct);
        free(pt);
        esdk_keyring_release(kr);
    }
    assert_int_equal(per_padding[ESDK_RSA_PKCS1], 2);
    assert_int_equal(per_padding[ESDK_RSA_OAEP_SHA1_MGF1], 2);
    assert_int_equal(per_padding[ESDK_RSA_OAEP_SHA256_MGF1], 2);
    esdk_options_release(o);
    cJSON_Delete(manifest);
    cJSON_Delete(keys);
#undef C_DIR
}

/* ---- one keyring shared by several threads (mbedTLS locks the blinding values) ---- */

typedef struct thread_job {
    esdk_keyring *kr;
    esdk_enc_materials *m;
    int failures;
} thread_job;

static void *unwrap_many(void *arg)
{
    thread_job *job = arg;
    const uint8_t *want;
    size_t want_len;
    (void)esdk_enc_materials_data_key(job->m, &want, &want_len);
    for (int i = 0; i < 20; i++) {
        esdk_enc_ctx *ctx;
        esdk_dec_materials *dm;
        const uint8_t *got;
        size_t got_len;
        if (esdk_enc_ctx_new(&ctx) || esdk_dec_materials_new(0x0478, ctx, NULL, 0, &dm)) {
            job->failures++;
            continue;
        }
        if (esdk_keyring_on_decrypt(job->kr, dm, esdk_enc_materials_edks(job->m)) != 0 ||
            !esdk_dec_materials_data_key(dm, &got, &got_len) || got_len != want_len ||
            memcmp(got, want, want_len) != 0) {
            job->failures++;
        }
        esdk_dec_materials_release(dm);
        esdk_enc_ctx_release(ctx);
    }
    return NULL;
}

static void test_shared_between_threads(void **state)
{
    (void)state;
    for (size_t p = 0; p < 2; p++) {
        esdk_rsa_padding pad = p == 0 ? ESDK_RSA_PKCS1 : ESDK_RSA_OAEP_SHA256_MGF1;
        esdk_keyring *kr = rsa(pad, test_rsa_2048_a_spki, test_rsa_2048_a_pkcs8);
        pthread_t threads[4];
        thread_job jobs[4];
        for (int t = 0; t < 4; t++) {
            jobs[t].kr = kr;
            jobs[t].m = wrap(kr, 0x0478);
            jobs[t].failures = 0;
            assert_int_equal(pthread_create(&threads[t], NULL, unwrap_many, &jobs[t]), 0);
        }
        for (int t = 0; t < 4; t++) {
            assert_int_equal(pthread_join(threads[t], NULL), 0);
            assert_int_equal(jobs[t].failures, 0);
            esdk_enc_materials_release(jobs[t].m);
        }
        esdk_keyring_release(kr);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip_every_padding_and_size),
        cmocka_unit_test(test_message_round_trip),
        cmocka_unit_test(test_8192_bits),
        cmocka_unit_test(test_key_encodings),
        cmocka_unit_test(test_bad_keys),
        cmocka_unit_test(test_public_only_and_private_only),
        cmocka_unit_test(test_wrong_key),
        cmocka_unit_test(test_tampered_edk_oaep_uniform),
        cmocka_unit_test(test_tampered_edk_pkcs1_implicit_rejection),
        cmocka_unit_test(test_tampered_message_uniform_error),
        cmocka_unit_test(test_shared_between_threads),
        cmocka_unit_test(test_official_keyring_vectors),
        cmocka_unit_test(test_official_c_messages),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
