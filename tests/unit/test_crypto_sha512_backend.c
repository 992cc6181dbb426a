/* SHA-384 and SHA-512 in crypto/hash.c run on libsodium's SHA-512 (SHA-384 through its
 * initial values): they agree with mbedTLS's own SHA-384/512 on every length up to 1100
 * bytes, fed whole and in uneven pieces, and on a few long inputs; digest and clone too. The
 * FIPS 180 examples are in test_crypto_hash. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <mbedtls/sha512.h>

#include "crypto/hash.h"

static void fill(uint8_t *p, size_t n, uint32_t seed)
{
    uint32_t x = seed * 2654435761u + 3;
    for (size_t i = 0; i < n; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        p[i] = (uint8_t)x;
    }
}

static void reference(int is384, const uint8_t *p, size_t n, uint8_t out[64])
{
    assert_int_equal(mbedtls_sha512_ret(p, n, out, is384), 0);
}

static void check(esdk_hash_alg alg, const uint8_t *p, size_t n, uint32_t seed)
{
    const int is384 = alg == ESDK_HASH_SHA384;
    const size_t dl = is384 ? 48 : 64;
    uint8_t want[64], got[64], cloned[64];
    reference(is384, p, n, want);
    assert_int_equal(esdk_hash_digest(alg, p, n, got), 0);
    assert_memory_equal(got, want, dl);
    /* uneven pieces, and a clone taken halfway */
    esdk_hash *h = NULL, *c = NULL;
    assert_int_equal(esdk_hash_new(alg, &h), 0);
    size_t off = 0, step = 1 + seed % 7;
    while (off < n) {
        size_t take = n - off < step ? n - off : step;
        assert_int_equal(esdk_hash_update(h, p + off, take), 0);
        off += take;
        step = step * 3 % 251 + 1;
        if (!c && off >= n / 2) {
            assert_int_equal(esdk_hash_clone(h, &c), 0);
            assert_int_equal(esdk_hash_update(c, p + off, n - off), 0);
        }
    }
    assert_int_equal(esdk_hash_finish(h, got), 0);
    assert_memory_equal(got, want, dl);
    if (c) {
        assert_int_equal(esdk_hash_finish(c, cloned), 0);
        assert_memory_equal(cloned, want, dl);
    }
    esdk_hash_release(h);
    esdk_hash_release(c);
}

static void test_agree_with_mbedtls(void **state)
{
    (void)state;
    uint8_t *buf = malloc(3 * 1024 * 1024 + 5);
    assert_non_null(buf);
    fill(buf, 3 * 1024 * 1024 + 5, 1);
    for (size_t n = 0; n <= 1100; n++) {
        check(ESDK_HASH_SHA384, buf + n % 13, n, (uint32_t)n);
        check(ESDK_HASH_SHA512, buf + n % 11, n, (uint32_t)n + 1);
    }
    static const size_t big[] = {65536, 65536 + 111, 3 * 1024 * 1024 + 5};
    for (size_t i = 0; i < 3; i++) {
        check(ESDK_HASH_SHA384, buf, big[i], 5);
        check(ESDK_HASH_SHA512, buf, big[i], 6);
    }
    free(buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_agree_with_mbedtls),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
