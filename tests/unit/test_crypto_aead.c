/* AES-GCM (source/crypto/aead.c): the GCM specification's test vectors as published by NIST
 * (McGrew & Viega, "The Galois/Counter Mode of Operation", test cases 1, 4, 10, 13, 14, 16),
 * tag mismatches, in-place and overlapping buffers on both backends (libsodium AES-NI and
 * mbedTLS), and keys in memory from an allocator that aligns to 8 bytes only. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <aws-esdk-c/allocator.h>
#include <aws-esdk-c/error.h>

#include "crypto/aead.h"

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
    uint32_t x = seed * 2654435761u + 1;
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

/* Test cases 4 (AES-128), 10 (AES-192) and 16 (AES-256) share IV, plaintext and AAD; the keys
 * are prefixes of one 32-byte string. */
static const char *const gcm_key =
    "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308";
static const char *const gcm_iv = "cafebabefacedbaddecaf888";
static const char *const gcm_pt = "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
                                  "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39";
static const char *const gcm_aad = "feedfacedeadbeeffeedfacedeadbeefabaddad2";

static const struct {
    size_t key_len;
    const char *ct;
    const char *tag;
} gcm_cases[] = {
    {16,
     "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
     "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091",
     "5bc94fbc3221a5db94fae95ae7121a47"},
    {24,
     "3980ca0b3c00e841eb06fac4872a2757859e1ceaa6efd984628593b40ca1e19c"
     "7d773d00c144c525ac619d18c84a3f4718e2448b2fe324d9ccda2710",
     "2519498e80f1478f37ba55bd6d27618c"},
    {32,
     "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
     "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662",
     "76fc6ece0f4e1768cddf8853bb2d551b"},
};

typedef int (*key_ctor)(const uint8_t *, size_t, esdk_aead_key **);
static const key_ctor ctors[] = {esdk_aead_key_new, esdk_aead_key_new_portable};

struct vec {
    uint8_t key[32], iv[12], pt[64], aad[20], ct[64], tag[16];
    size_t pt_len, aad_len;
};

static void load(size_t i, struct vec *v)
{
    unhex(gcm_key, v->key, sizeof v->key);
    unhex(gcm_iv, v->iv, sizeof v->iv);
    v->pt_len = unhex(gcm_pt, v->pt, sizeof v->pt);
    v->aad_len = unhex(gcm_aad, v->aad, sizeof v->aad);
    assert_int_equal(unhex(gcm_cases[i].ct, v->ct, sizeof v->ct), v->pt_len);
    unhex(gcm_cases[i].tag, v->tag, sizeof v->tag);
}

static void test_nist_vectors(void **state)
{
    (void)state;
    for (size_t i = 0; i < 3; i++) {
        struct vec v;
        load(i, &v);
        const size_t kl = gcm_cases[i].key_len;
        for (size_t c = 0; c < 2; c++) {
            esdk_aead_key *k = NULL;
            assert_int_equal(ctors[c](v.key, kl, &k), 0);
            uint8_t out[64], tag[16];
            /* twice with the same key object: the schedule is reused */
            for (int rep = 0; rep < 2; rep++) {
                assert_int_equal(
                    esdk_aead_encrypt(k, v.iv, v.aad, v.aad_len, v.pt, v.pt_len, out, tag), 0);
                assert_memory_equal(out, v.ct, v.pt_len);
                assert_memory_equal(tag, v.tag, 16);
                assert_int_equal(
                    esdk_aead_decrypt(k, v.iv, v.aad, v.aad_len, v.ct, v.pt_len, v.tag, out), 0);
                assert_memory_equal(out, v.pt, v.pt_len);
            }
            esdk_aead_key_release(k);
        }
        uint8_t out[64], tag[16];
        assert_int_equal(
            esdk_aead_seal(v.key, kl, v.iv, v.aad, v.aad_len, v.pt, v.pt_len, out, tag), 0);
        assert_memory_equal(out, v.ct, v.pt_len);
        assert_memory_equal(tag, v.tag, 16);
        assert_int_equal(
            esdk_aead_open(v.key, kl, v.iv, v.aad, v.aad_len, v.ct, v.pt_len, v.tag, out), 0);
        assert_memory_equal(out, v.pt, v.pt_len);
    }
}

/* Test cases 1 (AES-128) and 13 (AES-256): zero key and IV, nothing to encrypt; 14: one zero
 * block under the zero AES-256 key. NULL in/out with length 0 is how the header tag is made. */
static void test_nist_zero_vectors(void **state)
{
    (void)state;
    const uint8_t zero[32] = {0};
    uint8_t tag[16], want[16], out[16], want_ct[16];
    for (size_t c = 0; c < 2; c++) {
        esdk_aead_key *k = NULL;
        assert_int_equal(ctors[c](zero, 16, &k), 0);
        assert_int_equal(esdk_aead_encrypt(k, zero, NULL, 0, NULL, 0, NULL, tag), 0);
        unhex("58e2fccefa7e3061367f1d57a4e7455a", want, sizeof want);
        assert_memory_equal(tag, want, 16);
        assert_int_equal(esdk_aead_decrypt(k, zero, NULL, 0, NULL, 0, want, NULL), 0);
        esdk_aead_key_release(k);

        assert_int_equal(ctors[c](zero, 32, &k), 0);
        assert_int_equal(esdk_aead_encrypt(k, zero, NULL, 0, NULL, 0, NULL, tag), 0);
        unhex("530f8afbc74536b9a963b4f1c4cb738b", want, sizeof want);
        assert_memory_equal(tag, want, 16);
        assert_int_equal(esdk_aead_decrypt(k, zero, NULL, 0, NULL, 0, want, NULL), 0);
        want[0] ^= 1;
        assert_int_equal(
            esdk_aead_decrypt(k, zero, NULL, 0, NULL, 0, want, NULL), ESDK_ERR_BAD_TAG);

        assert_int_equal(esdk_aead_encrypt(k, zero, NULL, 0, zero, 16, out, tag), 0);
        unhex("cea7403d4d606b6e074ec5d3baf39d18", want_ct, sizeof want_ct);
        unhex("d0d1c8a799996bf0265b98b5d48ab919", want, sizeof want);
        assert_memory_equal(out, want_ct, 16);
        assert_memory_equal(tag, want, 16);
        esdk_aead_key_release(k);
    }
}

/* Any change to tag, ciphertext, AAD or IV: ESDK_ERR_BAD_TAG and the output all zero. */
static void test_tag_mismatch(void **state)
{
    (void)state;
    for (size_t i = 0; i < 3; i++) {
        struct vec v;
        load(i, &v);
        for (size_t c = 0; c < 2; c++) {
            esdk_aead_key *k = NULL;
            assert_int_equal(ctors[c](v.key, gcm_cases[i].key_len, &k), 0);
            for (int what = 0; what < 5; what++) {
                struct vec w = v;
                switch (what) {
                    case 0:
                        w.tag[15] ^= 0x80;
                        break;
                    case 1:
                        w.ct[0] ^= 1;
                        break;
                    case 2:
                        w.ct[w.pt_len - 1] ^= 0x10;
                        break;
                    case 3:
                        w.aad[3] ^= 4;
                        break;
                    default:
                        w.iv[11] ^= 1;
                        break;
                }
                uint8_t out[64];
                memset(out, 0xA5, sizeof out);
                assert_int_equal(
                    esdk_aead_decrypt(k, w.iv, w.aad, w.aad_len, w.ct, w.pt_len, w.tag, out),
                    ESDK_ERR_BAD_TAG);
                assert_true(all_zero(out, w.pt_len));
                assert_int_equal(out[w.pt_len], 0xA5); /* nothing past len touched */
                /* in place: the buffer is wiped too */
                assert_int_equal(
                    esdk_aead_decrypt(k, w.iv, w.aad, w.aad_len, w.ct, w.pt_len, w.tag, w.ct),
                    ESDK_ERR_BAD_TAG);
                assert_true(all_zero(w.ct, w.pt_len));
            }
            /* a tag that is not there at all (AAD dropped) */
            uint8_t out[64];
            assert_int_equal(
                esdk_aead_decrypt(k, v.iv, NULL, 0, v.ct, v.pt_len, v.tag, out), ESDK_ERR_BAD_TAG);
            esdk_aead_key_release(k);
        }
        uint8_t out[64];
        v.tag[0] ^= 1;
        assert_int_equal(
            esdk_aead_open(
                v.key, gcm_cases[i].key_len, v.iv, v.aad, v.aad_len, v.ct, v.pt_len, v.tag, out),
            ESDK_ERR_BAD_TAG);
        assert_true(all_zero(out, v.pt_len));
    }
}

static const size_t sizes[] = {0,   1,   15,  16,  17,  31,  32,   33,   63,    64,     65,
                               127, 128, 129, 255, 256, 257, 1000, 4096, 65549, 1048581};

/* In place (in == out) gives the same bytes as separate buffers, both ways, on the libsodium
 * path and the mbedTLS path, for many lengths around block and 8-block boundaries. */
static void run_in_place(key_ctor ctor, size_t key_len)
{
    uint8_t key[32], iv[12], aad[45], tag1[16], tag2[16];
    fill(key, sizeof key, 1);
    fill(iv, sizeof iv, 2);
    fill(aad, sizeof aad, 3);
    esdk_aead_key *k = NULL;
    assert_int_equal(ctor(key, key_len, &k), 0);
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
        const size_t n = sizes[s];
        uint8_t *pt = malloc(n + 1), *ct = malloc(n + 1), *buf = malloc(n + 1);
        assert_non_null(pt);
        assert_non_null(ct);
        assert_non_null(buf);
        fill(pt, n, (uint32_t)n);
        assert_int_equal(esdk_aead_encrypt(k, iv, aad, sizeof aad, pt, n, ct, tag1), 0);
        memcpy(buf, pt, n);
        assert_int_equal(esdk_aead_encrypt(k, iv, aad, sizeof aad, buf, n, buf, tag2), 0);
        assert_memory_equal(buf, ct, n);
        assert_memory_equal(tag1, tag2, 16);
        assert_int_equal(esdk_aead_decrypt(k, iv, aad, sizeof aad, buf, n, tag2, buf), 0);
        assert_memory_equal(buf, pt, n);
        /* a bad tag in place wipes the buffer */
        memcpy(buf, ct, n);
        tag2[5] ^= 2;
        assert_int_equal(
            esdk_aead_decrypt(k, iv, aad, sizeof aad, buf, n, tag2, buf), ESDK_ERR_BAD_TAG);
        assert_true(all_zero(buf, n));
        free(pt);
        free(ct);
        free(buf);
    }
    esdk_aead_key_release(k);
}

static void test_in_place(void **state)
{
    (void)state;
    run_in_place(esdk_aead_key_new, 32);
    run_in_place(esdk_aead_key_new_portable, 32);
    run_in_place(esdk_aead_key_new, 16);
    run_in_place(esdk_aead_key_new, 24);
}

/* out starting shortly before or after in (partial overlap), tag right behind the data. */
static void test_partial_overlap(void **state)
{
    (void)state;
    static const int shifts[] = {-129, -17, -16, -1, 1, 15, 16, 17, 128, 200};
    uint8_t key[32], iv[12], pt[300], ct[300], tag[16];
    fill(key, sizeof key, 4);
    fill(iv, sizeof iv, 5);
    fill(pt, sizeof pt, 6);
    for (size_t c = 0; c < 2; c++) {
        for (size_t kl = 16; kl <= 32; kl += 16) {
            esdk_aead_key *k = NULL;
            assert_int_equal(ctors[c](key, kl, &k), 0);
            assert_int_equal(esdk_aead_encrypt(k, iv, NULL, 0, pt, sizeof pt, ct, tag), 0);
            for (size_t s = 0; s < sizeof shifts / sizeof shifts[0]; s++) {
                uint8_t buf[1024];
                uint8_t *in = buf + 300;
                uint8_t *out = in + shifts[s];
                uint8_t t[16];
                memcpy(in, pt, sizeof pt);
                assert_int_equal(esdk_aead_encrypt(k, iv, NULL, 0, in, sizeof pt, out, t), 0);
                assert_memory_equal(out, ct, sizeof ct);
                assert_memory_equal(t, tag, 16);
                /* decrypt with the tag stored right after the ciphertext, inside out's range */
                memcpy(in, ct, sizeof ct);
                memcpy(in + sizeof ct, tag, 16);
                assert_int_equal(
                    esdk_aead_decrypt(k, iv, NULL, 0, in, sizeof ct, in + sizeof ct, out), 0);
                assert_memory_equal(out, pt, sizeof pt);
            }
            esdk_aead_key_release(k);
        }
    }
}

/* The libsodium and mbedTLS AES-256 paths agree on random inputs. */
static void test_backends_agree(void **state)
{
    (void)state;
    uint8_t key[32], iv[12], aad[70], pt[600], c1[600], c2[600], t1[16], t2[16];
    for (uint32_t seed = 0; seed < 40; seed++) {
        fill(key, sizeof key, seed);
        fill(iv, sizeof iv, seed + 100);
        fill(aad, sizeof aad, seed + 200);
        fill(pt, sizeof pt, seed + 300);
        const size_t n = (seed * 37) % sizeof pt;
        const size_t an = (seed * 11) % sizeof aad;
        esdk_aead_key *a = NULL, *b = NULL;
        assert_int_equal(esdk_aead_key_new(key, 32, &a), 0);
        assert_int_equal(esdk_aead_key_new_portable(key, 32, &b), 0);
        assert_int_equal(esdk_aead_encrypt(a, iv, aad, an, pt, n, c1, t1), 0);
        assert_int_equal(esdk_aead_encrypt(b, iv, aad, an, pt, n, c2, t2), 0);
        assert_memory_equal(c1, c2, n);
        assert_memory_equal(t1, t2, 16);
        assert_int_equal(esdk_aead_decrypt(b, iv, aad, an, c1, n, t1, c2), 0);
        assert_memory_equal(c2, pt, n);
        esdk_aead_key_release(a);
        esdk_aead_key_release(b);
    }
}

/* An allocator whose blocks are 8 mod 16: the libsodium state must still end up aligned. */
static void *odd_acquire(void *ctx, size_t size)
{
    (void)ctx;
    uint8_t *p = malloc(size + 24);
    if (!p) {
        return NULL;
    }
    uint8_t *q = p + 8 + (16 - (uintptr_t)(p + 8) % 16) % 16 + 8; /* q % 16 == 8 */
    q[-1] = (uint8_t)(q - p);
    return q;
}

static void odd_release(void *ctx, void *ptr, size_t size)
{
    (void)ctx;
    (void)size;
    uint8_t *q = ptr;
    free(q - q[-1]);
}

static void test_misaligned_allocator(void **state)
{
    (void)state;
    const esdk_allocator odd = {odd_acquire, odd_release, NULL};
    esdk_set_allocator(&odd);
    struct vec v;
    load(2, &v);
    for (int i = 0; i < 4; i++) {
        esdk_aead_key *k = NULL;
        assert_int_equal(esdk_aead_key_new(v.key, 32, &k), 0);
        uint8_t out[64], tag[16];
        assert_int_equal(esdk_aead_encrypt(k, v.iv, v.aad, v.aad_len, v.pt, v.pt_len, out, tag), 0);
        assert_memory_equal(out, v.ct, v.pt_len);
        assert_memory_equal(tag, v.tag, 16);
        esdk_aead_key_release(k);
    }
    esdk_set_allocator(NULL);
}

static void test_bad_arguments(void **state)
{
    (void)state;
    uint8_t key[32] = {0}, iv[12] = {0}, buf[32] = {0}, tag[16] = {0};
    esdk_aead_key *k = NULL;
    assert_int_equal(esdk_aead_key_new(key, 0, &k), ESDK_ERR_BAD_KEY);
    assert_int_equal(esdk_aead_key_new(key, 15, &k), ESDK_ERR_BAD_KEY);
    assert_int_equal(esdk_aead_key_new(key, 64, &k), ESDK_ERR_BAD_KEY);
    assert_null(k);
    assert_int_equal(esdk_aead_key_new(NULL, 32, &k), ESDK_ERR_BAD_ARGUMENT);
    assert_int_equal(esdk_aead_seal(key, 20, iv, NULL, 0, buf, 1, buf, tag), ESDK_ERR_BAD_KEY);
    assert_int_equal(esdk_aead_key_new(key, 32, &k), 0);
    assert_int_equal(esdk_aead_encrypt(k, iv, NULL, 0, NULL, 5, buf, tag), ESDK_ERR_BAD_ARGUMENT);
    assert_int_equal(esdk_aead_encrypt(k, iv, NULL, 3, buf, 5, buf, tag), ESDK_ERR_BAD_ARGUMENT);
    assert_int_equal(esdk_aead_encrypt(k, NULL, NULL, 0, buf, 5, buf, tag), ESDK_ERR_BAD_ARGUMENT);
    assert_int_equal(esdk_aead_decrypt(k, iv, NULL, 0, buf, 5, NULL, buf), ESDK_ERR_BAD_ARGUMENT);
    /* longer than GCM allows (2^36 - 32 bytes): refused before anything is read */
    assert_int_equal(
        esdk_aead_encrypt(k, iv, NULL, 0, buf, (size_t)0xFFFFFFFE1ull, buf, tag),
        ESDK_ERR_LIMIT_EXCEEDED);
    esdk_aead_key_release(k);
    esdk_aead_key_release(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nist_vectors),
        cmocka_unit_test(test_nist_zero_vectors),
        cmocka_unit_test(test_tag_mismatch),
        cmocka_unit_test(test_in_place),
        cmocka_unit_test(test_partial_overlap),
        cmocka_unit_test(test_backends_agree),
        cmocka_unit_test(test_misaligned_allocator),
        cmocka_unit_test(test_bad_arguments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
