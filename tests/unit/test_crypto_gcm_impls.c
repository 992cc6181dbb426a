/* Each AES-GCM implementation behind crypto/aead.h on its own (mbedTLS, libsodium for
 * AES-256, our VAES/AVX-512 code in crypto/gcm_avx512.c): the GCM specification's test
 * vectors as published by NIST (McGrew & Viega, test cases 1-4, 7-10, 13-16: every one with
 * a 96-bit IV), agreement with mbedTLS on every length up to 1100 bytes and on long inputs
 * and long AAD (the 16-block paths), in place, tag mismatches, clones and sharing. An
 * implementation this CPU lacks is skipped (and said so). */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <aws-esdk-c/error.h>

#include "crypto/aead.h"

static const esdk_aead_impl impls[] = {ESDK_AEAD_MBEDTLS, ESDK_AEAD_SODIUM, ESDK_AEAD_AVX512};
static const char *const impl_names[] = {"mbedTLS", "libsodium", "AVX-512"};
#define N_IMPLS 3

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

static void fill(uint8_t *p, size_t n, uint32_t seed)
{
    uint32_t x = seed * 2654435761u + 7;
    for (size_t i = 0; i < n; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        p[i] = (uint8_t)x;
    }
}

static bool all_zero(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (p[i]) {
            return false;
        }
    }
    return true;
}

/* A key on implementation i, or NULL when this CPU (or libsodium, for this key size) has
 * no such code. */
static esdk_aead_key *key_on(size_t i, const uint8_t *key, size_t key_len)
{
    esdk_aead_key *k = NULL;
    int rc = esdk_aead_key_new_impl(key, key_len, impls[i], &k);
    if (rc == ESDK_ERR_UNSUPPORTED) {
        return NULL;
    }
    assert_int_equal(rc, 0);
    assert_int_equal(esdk_aead_key_impl(k), impls[i]);
    return k;
}

/* ---- the published vectors ---- */

static const char *const zero_key = "000000000000000000000000000000000000000000000000"
                                    "0000000000000000";
static const char *const k_feff = "feffe9928665731c6d6a8f9467308308feffe9928665731c"
                                  "6d6a8f9467308308";
static const char *const iv_zero = "000000000000000000000000";
static const char *const iv_cafe = "cafebabefacedbaddecaf888";
static const char *const pt_64 = "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
                                 "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255";
static const char *const aad_20 = "feedfacedeadbeeffeedfacedeadbeefabaddad2";

typedef struct kat {
    int number;
    size_t key_len;
    const char *key, *iv, *pt, *aad, *ct, *tag;
    size_t pt_len; /* 0 = all of pt */
} kat;

static const kat kats[] = {
    {1, 16, NULL, NULL, "", "", "", "58e2fccefa7e3061367f1d57a4e7455a", 0},
    {2,
     16,
     NULL,
     NULL,
     "00000000000000000000000000000000",
     "",
     "0388dace60b6a392f328c2b971b2fe78",
     "ab6e47d42cec13bdf53a67b21257bddf",
     0},
    {3,
     16,
     "k",
     "c",
     "p",
     "",
     "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
     "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091473f5985",
     "4d5c2af327cd64a62cf35abd2ba6fab4",
     0},
    {4,
     16,
     "k",
     "c",
     "p",
     "a",
     "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
     "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091",
     "5bc94fbc3221a5db94fae95ae7121a47",
     60},
    {7, 24, NULL, NULL, "", "", "", "cd33b28ac773f74ba00ed1f312572435", 0},
    {8,
     24,
     NULL,
     NULL,
     "00000000000000000000000000000000",
     "",
     "98e7247c07f0fe411c267e4384b0f600",
     "2ff58d80033927ab8ef4d4587514f0fb",
     0},
    {9,
     24,
     "k",
     "c",
     "p",
     "",
     "3980ca0b3c00e841eb06fac4872a2757859e1ceaa6efd984628593b40ca1e19c"
     "7d773d00c144c525ac619d18c84a3f4718e2448b2fe324d9ccda2710acade256",
     "9924a7c8587336bfb118024db8674a14",
     0},
    {10,
     24,
     "k",
     "c",
     "p",
     "a",
     "3980ca0b3c00e841eb06fac4872a2757859e1ceaa6efd984628593b40ca1e19c"
     "7d773d00c144c525ac619d18c84a3f4718e2448b2fe324d9ccda2710",
     "2519498e80f1478f37ba55bd6d27618c",
     60},
    {13, 32, NULL, NULL, "", "", "", "530f8afbc74536b9a963b4f1c4cb738b", 0},
    {14,
     32,
     NULL,
     NULL,
     "00000000000000000000000000000000",
     "",
     "cea7403d4d606b6e074ec5d3baf39d18",
     "d0d1c8a799996bf0265b98b5d48ab919",
     0},
    {15,
     32,
     "k",
     "c",
     "p",
     "",
     "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
     "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662898015ad",
     "b094dac5d93471bdec1a502270e3cc6c",
     0},
    {16,
     32,
     "k",
     "c",
     "p",
     "a",
     "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
     "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662",
     "76fc6ece0f4e1768cddf8853bb2d551b",
     60},
};

static void test_nist_vectors(void **state)
{
    (void)state;
    for (size_t v = 0; v < sizeof kats / sizeof kats[0]; v++) {
        const kat *t = &kats[v];
        uint8_t key[32], iv[12], pt[64], aad[20], ct[64], tag[16], out[64], got[16];
        unhex(t->key ? k_feff : zero_key, key, sizeof key);
        unhex(t->iv ? iv_cafe : iv_zero, iv, sizeof iv);
        size_t n = unhex(t->pt[0] == 'p' ? pt_64 : t->pt, pt, sizeof pt);
        const size_t an = unhex(t->aad[0] == 'a' ? aad_20 : t->aad, aad, sizeof aad);
        n = t->pt_len ? t->pt_len : n;
        assert_int_equal(unhex(t->ct, ct, sizeof ct), n);
        unhex(t->tag, tag, sizeof tag);
        for (size_t i = 0; i < N_IMPLS; i++) {
            esdk_aead_key *k = key_on(i, key, t->key_len);
            if (!k) {
                continue;
            }
            for (int rep = 0; rep < 2; rep++) { /* the schedule is reused */
                assert_int_equal(esdk_aead_encrypt(k, iv, aad, an, pt, n, out, got), 0);
                assert_memory_equal(out, ct, n);
                if (memcmp(got, tag, 16) != 0) {
                    fail_msg("test case %d, %s: wrong tag", t->number, impl_names[i]);
                }
                assert_int_equal(esdk_aead_decrypt(k, iv, aad, an, ct, n, tag, out), 0);
                assert_memory_equal(out, pt, n);
            }
            esdk_aead_key_release(k);
        }
    }
}

/* ---- agreement with mbedTLS ---- */

/* enc/dec of n bytes with an AAD of an bytes on implementation i must match mbedTLS. */
static void agree(size_t i, size_t key_len, size_t n, size_t an, uint32_t seed)
{
    uint8_t key[32], iv[12], t_ref[16], t[16];
    fill(key, sizeof key, seed);
    fill(iv, sizeof iv, seed + 1);
    uint8_t *aad = malloc(an + 1), *pt = malloc(n + 1), *ref = malloc(n + 1), *ct = malloc(n + 1),
            *back = malloc(n + 1);
    fill(aad, an, seed + 2);
    fill(pt, n, seed + 3);
    esdk_aead_key *m = key_on(0, key, key_len);
    esdk_aead_key *k = key_on(i, key, key_len);
    if (k) {
        assert_int_equal(esdk_aead_encrypt(m, iv, aad, an, pt, n, ref, t_ref), 0);
        assert_int_equal(esdk_aead_encrypt(k, iv, aad, an, pt, n, ct, t), 0);
        if (memcmp(ct, ref, n) != 0 || memcmp(t, t_ref, 16) != 0) {
            fail_msg(
                "%s disagrees with mbedTLS: key %zu, %zu bytes, AAD %zu",
                impl_names[i],
                key_len,
                n,
                an);
        }
        assert_int_equal(esdk_aead_decrypt(k, iv, aad, an, ct, n, t, back), 0);
        assert_memory_equal(back, pt, n);
        /* in place, both ways */
        memcpy(back, pt, n);
        assert_int_equal(esdk_aead_encrypt(k, iv, aad, an, back, n, back, t), 0);
        assert_memory_equal(back, ref, n);
        assert_int_equal(esdk_aead_decrypt(k, iv, aad, an, back, n, t, back), 0);
        assert_memory_equal(back, pt, n);
        esdk_aead_key_release(k);
    }
    esdk_aead_key_release(m);
    free(aad);
    free(pt);
    free(ref);
    free(ct);
    free(back);
}

static void test_every_length(void **state)
{
    (void)state;
    static const size_t key_lens[] = {16, 24, 32};
    for (size_t i = 1; i < N_IMPLS; i++) {
        for (size_t kl = 0; kl < 3; kl++) {
            for (size_t n = 0; n <= 1100; n++) {
                agree(i, key_lens[kl], n, (n * 7) % 97, (uint32_t)(n + 1000 * kl));
            }
        }
    }
}

static void test_long_inputs_and_aad(void **state)
{
    (void)state;
    static const size_t lens[] = {4096, 4097, 65536, 65536 + 255, 1048576 + 3};
    static const size_t aads[] = {0, 15, 16, 17, 63, 64, 65, 255, 256, 257, 511, 512, 700, 4099};
    static const size_t key_lens[] = {16, 24, 32};
    for (size_t i = 1; i < N_IMPLS; i++) {
        for (size_t kl = 0; kl < 3; kl++) {
            for (size_t a = 0; a < sizeof aads / sizeof aads[0]; a++) {
                agree(i, key_lens[kl], 300, aads[a], (uint32_t)(a + 50));
            }
            for (size_t l = 0; l < sizeof lens / sizeof lens[0]; l++) {
                agree(i, key_lens[kl], lens[l], 77, (uint32_t)(l + 90));
            }
        }
    }
}

/* ---- failures, clones, sharing ---- */

static void test_tag_mismatch_wipes(void **state)
{
    (void)state;
    uint8_t key[32], iv[12], aad[40], pt[777], ct[777], out[777], tag[16];
    fill(key, sizeof key, 1);
    fill(iv, sizeof iv, 2);
    fill(aad, sizeof aad, 3);
    fill(pt, sizeof pt, 4);
    for (size_t i = 0; i < N_IMPLS; i++) {
        for (size_t kl = 16; kl <= 32; kl += 8) {
            esdk_aead_key *k = key_on(i, key, kl);
            if (!k) {
                continue;
            }
            assert_int_equal(esdk_aead_encrypt(k, iv, aad, sizeof aad, pt, sizeof pt, ct, tag), 0);
            for (int what = 0; what < 4; what++) {
                uint8_t *p = what == 0   ? tag
                             : what == 1 ? ct + 500
                             : what == 2 ? aad + 39
                                         : iv + 11;
                *p ^= 0x80;
                memset(out, 0xAA, sizeof out);
                assert_int_equal(
                    esdk_aead_decrypt(k, iv, aad, sizeof aad, ct, sizeof ct, tag, out),
                    ESDK_ERR_BAD_TAG);
                assert_true(all_zero(out, sizeof out));
                *p ^= 0x80;
            }
            esdk_aead_key_release(k);
        }
    }
}

static void test_clone_and_share(void **state)
{
    (void)state;
    uint8_t key[32], iv[12], pt[100], c1[100], c2[100], t1[16], t2[16];
    fill(key, sizeof key, 9);
    fill(iv, sizeof iv, 10);
    fill(pt, sizeof pt, 11);
    for (size_t i = 0; i < N_IMPLS; i++) {
        esdk_aead_key *k = key_on(i, key, 32), *c = NULL;
        if (!k) {
            (void)printf("  (no %s AES-GCM on this CPU: skipped)\n", impl_names[i]);
            continue;
        }
        /* mbedTLS keeps per-call state in its context; the others only read theirs */
        assert_int_equal(esdk_aead_key_shareable(k), impls[i] != ESDK_AEAD_MBEDTLS);
        assert_int_equal(esdk_aead_key_clone(k, &c), 0);
        assert_int_equal(esdk_aead_key_impl(c), impls[i]);
        assert_int_equal(esdk_aead_encrypt(k, iv, NULL, 0, pt, sizeof pt, c1, t1), 0);
        assert_int_equal(esdk_aead_encrypt(c, iv, NULL, 0, pt, sizeof pt, c2, t2), 0);
        assert_memory_equal(c1, c2, sizeof c1);
        assert_memory_equal(t1, t2, 16);
        esdk_aead_key_release(c);
        esdk_aead_key_release(k);
    }
    assert_false(esdk_aead_key_shareable(NULL));
    /* libsodium has no AES-128/192 */
    esdk_aead_key *k = NULL;
    assert_int_equal(esdk_aead_key_new_impl(key, 16, ESDK_AEAD_SODIUM, &k), ESDK_ERR_UNSUPPORTED);
    assert_null(k);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nist_vectors),
        cmocka_unit_test(test_every_length),
        cmocka_unit_test(test_long_inputs_and_aad),
        cmocka_unit_test(test_tag_mismatch_wipes),
        cmocka_unit_test(test_clone_and_share),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
