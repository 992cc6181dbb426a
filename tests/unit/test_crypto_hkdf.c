/* HKDF (source/crypto/hkdf.c): RFC 5869 test cases 1-3 (SHA-256), and the same inputs with
 * SHA-384 and SHA-512, whose expected values (RFC 5869 has none) were computed once with an
 * independent implementation, Python 3's hmac/hashlib:
 *   prk = hmac.new(salt or bytes(HashLen), ikm, alg).digest()
 *   T(i) = hmac.new(prk, T(i-1) + info + bytes([i]), alg).digest(); okm = (T(1)|T(2)...)[:L]
 * and pasted here. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <aws-esdk-c/error.h>

#include "crypto/hkdf.h"

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

/* The three RFC 5869 input sets: 1 (short), 2 (80-byte inputs), 3 (no salt, no info). */
struct inputs {
    uint8_t ikm[80], salt[80], info[80];
    size_t ikm_len, salt_len, info_len, okm_len;
};

static void inputs_of(int tc, struct inputs *in)
{
    memset(in, 0, sizeof *in);
    if (tc == 2) {
        for (int i = 0; i < 80; i++) {
            in->ikm[i] = (uint8_t)i;
            in->salt[i] = (uint8_t)(0x60 + i);
            in->info[i] = (uint8_t)(0xb0 + i);
        }
        in->ikm_len = in->salt_len = in->info_len = 80;
        in->okm_len = 82;
        return;
    }
    memset(in->ikm, 0x0b, 22);
    in->ikm_len = 22;
    in->okm_len = 42;
    if (tc == 1) {
        for (int i = 0; i < 13; i++) {
            in->salt[i] = (uint8_t)i;
        }
        for (int i = 0; i < 10; i++) {
            in->info[i] = (uint8_t)(0xf0 + i);
        }
        in->salt_len = 13;
        in->info_len = 10;
    }
}

static const struct {
    esdk_hash_alg alg;
    int tc;
    const char *prk;
    const char *okm;
} cases[] = {
    /* RFC 5869 A.1-A.3 */
    {ESDK_HASH_SHA256,
     1,
     "077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5",
     "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865"},
    {ESDK_HASH_SHA256,
     2,
     "06a6b88c5853361a06104c9ceb35b45cef760014904671014a193f40c15fc244",
     "b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c59045a99cac7827271cb41c6"
     "5e590e09da3275600c2f09b8367793a9aca3db71cc30c58179ec3e87c14c01d5c1f3434f1d87"},
    {ESDK_HASH_SHA256,
     3,
     "19ef24a32c717b167f33a91d6f648bdf96596776afdb6377ac434c1c293ccb04",
     "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8"},
    /* Python hmac/hashlib (see the top of the file) */
    {ESDK_HASH_SHA384,
     1,
     "704b39990779ce1dc548052c7dc39f303570dd13fb39f7acc564680bef80e8dec70ee9a7e1f3e293ef68eceb07"
     "2a5ade",
     "9b5097a86038b805309076a44b3a9f38063e25b516dcbf369f394cfab43685f748b6457763e4f0204fc5"},
    {ESDK_HASH_SHA384,
     2,
     "b319f6831dff9314efb643baa29263b30e4a8d779fe31e9c901efd7de737c85b62e676d4dc87b0895c6a7dc97b"
     "52cebb",
     "484ca052b8cc724fd1c4ec64d57b4e818c7e25a8e0f4569ed72a6a05fe0649eebf69f8d5c832856bf4e4fbc1"
     "7967d54975324a94987f7f41835817d8994fdbd6f4c09c5500dca24a56222fea53d8967a8b2e"},
    {ESDK_HASH_SHA384,
     3,
     "10e40cf072a4c5626e43dd22c1cf727d4bb140975c9ad0cbc8e45b40068f8f0ba57cdb598af9dfa6963a9689"
     "9af047e5",
     "c8c96e710f89b0d7990bca68bcdec8cf854062e54c73a7abc743fade9b242daacc1cea5670415b52849c"},
    {ESDK_HASH_SHA512,
     1,
     "665799823737ded04a88e47e54a5890bb2c3d247c7a4254a8e61350723590a26c36238127d8661b88cf80ef8"
     "02d57e2f7cebcf1e00e083848be19929c61b4237",
     "832390086cda71fb47625bb5ceb168e4c8e26a1a16ed34d9fc7fe92c1481579338da362cb8d9f925d7cb"},
    {ESDK_HASH_SHA512,
     2,
     "35672542907d4e142c00e84499e74e1de08be86535f924e022804ad775dde27ec86cd1e5b7d178c74489bdbe"
     "b30712beb82d4f97416c5a94ea81ebdf3e629e4a",
     "ce6c97192805b346e6161e821ed165673b84f400a2b514b2fe23d84cd189ddf1b695b48cbd1c8388441137b3"
     "ce28f16aa64ba33ba466b24df6cfcb021ecff235f6a2056ce3af1de44d572097a8505d9e7a93"},
    {ESDK_HASH_SHA512,
     3,
     "fd200c4987ac491313bd4a2a13287121247239e11c9ef82802044b66ef357e5b194498d0682611382348572a"
     "7b1611de54764094286320578a863f36562b0df6",
     "f5fa02b18298a72a8c23898a8703472c6eb179dc204c03425c970e3b164bf90fff22d04836d0e2343bac"},
};

static void test_vectors(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct inputs in;
        inputs_of(cases[i].tc, &in);
        uint8_t prk[64], want_prk[64], okm[100], want_okm[100];
        const size_t prk_len = unhex(cases[i].prk, want_prk, sizeof want_prk);
        assert_int_equal(unhex(cases[i].okm, want_okm, sizeof want_okm), in.okm_len);
        assert_int_equal(prk_len, esdk_hash_len(cases[i].alg));
        /* test case 3 has no salt and no info: pass NULL as callers do */
        const uint8_t *salt = in.salt_len ? in.salt : NULL;
        const uint8_t *info = in.info_len ? in.info : NULL;
        assert_int_equal(
            esdk_hkdf_extract(cases[i].alg, salt, in.salt_len, in.ikm, in.ikm_len, prk), 0);
        assert_memory_equal(prk, want_prk, prk_len);
        assert_int_equal(
            esdk_hkdf_expand(cases[i].alg, prk, prk_len, info, in.info_len, okm, in.okm_len), 0);
        assert_memory_equal(okm, want_okm, in.okm_len);
        memset(okm, 0, sizeof okm);
        assert_int_equal(
            esdk_hkdf(
                cases[i].alg,
                salt,
                in.salt_len,
                in.ikm,
                in.ikm_len,
                info,
                in.info_len,
                okm,
                in.okm_len),
            0);
        assert_memory_equal(okm, want_okm, in.okm_len);
        /* a shorter output is a prefix */
        assert_int_equal(
            esdk_hkdf(
                cases[i].alg, salt, in.salt_len, in.ikm, in.ikm_len, info, in.info_len, okm, 5),
            0);
        assert_memory_equal(okm, want_okm, 5);
    }
}

/* No salt equals HashLen zero bytes of salt (RFC 5869 section 2.2). */
static void test_missing_salt(void **state)
{
    (void)state;
    const esdk_hash_alg algs[] = {ESDK_HASH_SHA256, ESDK_HASH_SHA384, ESDK_HASH_SHA512};
    const uint8_t ikm[32] = {1, 2, 3};
    const uint8_t zeros[64] = {0};
    for (size_t a = 0; a < 3; a++) {
        uint8_t x[48], y[48], z[48];
        assert_int_equal(esdk_hkdf(algs[a], NULL, 0, ikm, sizeof ikm, NULL, 0, x, sizeof x), 0);
        assert_int_equal(
            esdk_hkdf(
                algs[a], zeros, esdk_hash_len(algs[a]), ikm, sizeof ikm, NULL, 0, y, sizeof y),
            0);
        assert_int_equal(esdk_hkdf(algs[a], ikm, 0, ikm, sizeof ikm, NULL, 0, z, sizeof z), 0);
        assert_memory_equal(x, y, sizeof x);
        assert_memory_equal(x, z, sizeof x);
    }
}

static void test_limits(void **state)
{
    (void)state;
    const uint8_t ikm[32] = {0};
    static uint8_t out[255 * 32 + 1];
    /* at most 255 blocks of output */
    assert_int_equal(esdk_hkdf(ESDK_HASH_SHA256, NULL, 0, ikm, 32, NULL, 0, out, 255 * 32), 0);
    assert_int_equal(
        esdk_hkdf(ESDK_HASH_SHA256, NULL, 0, ikm, 32, NULL, 0, out, 255 * 32 + 1),
        ESDK_ERR_BAD_ARGUMENT);
    /* a PRK shorter than HashLen */
    assert_int_equal(
        esdk_hkdf_expand(ESDK_HASH_SHA256, ikm, 16, NULL, 0, out, 32), ESDK_ERR_BAD_ARGUMENT);
    /* SHA-1 is not offered for key derivation */
    assert_int_equal(
        esdk_hkdf(ESDK_HASH_SHA1, NULL, 0, ikm, 32, NULL, 0, out, 32), ESDK_ERR_BAD_ARGUMENT);
    assert_int_equal(
        esdk_hkdf(ESDK_HASH_SHA256, NULL, 0, NULL, 5, NULL, 0, out, 32), ESDK_ERR_BAD_ARGUMENT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vectors),
        cmocka_unit_test(test_missing_salt),
        cmocka_unit_test(test_limits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
