/* SHA-1/SHA-2 and HMAC (source/crypto/hash.c): FIPS 180 example messages ("abc", the
 * two-block messages, the empty string), RFC 4231 HMAC test cases 1, 2 and 6, incremental
 * hashing, cloning a running hash, and misuse after finish. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <aws-esdk-c/error.h>

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

static void check_digest(esdk_hash_alg alg, const char *msg, const char *hex)
{
    uint8_t want[ESDK_HASH_MAX_LEN], got[ESDK_HASH_MAX_LEN];
    const size_t n = unhex(hex, want, sizeof want);
    assert_int_equal(esdk_hash_len(alg), n);
    assert_int_equal(esdk_hash_digest(alg, (const uint8_t *)msg, strlen(msg), got), 0);
    assert_memory_equal(got, want, n);
    /* the same, one byte at a time */
    esdk_hash *h = NULL;
    assert_int_equal(esdk_hash_new(alg, &h), 0);
    for (size_t i = 0; msg[i]; i++) {
        assert_int_equal(esdk_hash_update(h, (const uint8_t *)msg + i, 1), 0);
    }
    memset(got, 0, sizeof got);
    assert_int_equal(esdk_hash_finish(h, got), 0);
    assert_memory_equal(got, want, n);
    esdk_hash_release(h);
}

static const char *const two_block_256 = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
static const char *const two_block_512 = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnh"
                                         "ijklmnoijklmnopjklmnopqklmnopqrlmnopqrs"
                                         "mnopqrstnopqrstu";

static void test_fips180_vectors(void **state)
{
    (void)state;
    check_digest(ESDK_HASH_SHA1, "abc", "a9993e364706816aba3e25717850c26c9cd0d89d");
    check_digest(
        ESDK_HASH_SHA256,
        "abc",
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    check_digest(
        ESDK_HASH_SHA384,
        "abc",
        "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed"
        "8086072ba1e7cc2358baeca134c825a7");
    check_digest(
        ESDK_HASH_SHA512,
        "abc",
        "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
        "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f");
    check_digest(
        ESDK_HASH_SHA256,
        two_block_256,
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    check_digest(
        ESDK_HASH_SHA384,
        two_block_512,
        "09330c33f71147e83d192fc782cd1b4753111b173b3b05d22fa08086e3b0f712"
        "fcc7c71a557e2db966c3e9fa91746039");
    check_digest(
        ESDK_HASH_SHA512,
        two_block_512,
        "8e959b75dae313da8cf4f72814fc143f8f7779c6eb9f7fa17299aeadb6889018"
        "501d289e4900f7e4331b99dec4b5433ac7d329eeb6dd26545e96e55b874be909");
    check_digest(
        ESDK_HASH_SHA256, "", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    uint8_t d[64];
    assert_int_equal(esdk_hash_digest(ESDK_HASH_SHA256, NULL, 0, d), 0);
    assert_int_equal(d[0], 0xe3);
    assert_int_equal(esdk_hash_len(ESDK_HASH_SHA1), 20);
    assert_int_equal(esdk_hash_len((esdk_hash_alg)9), 0);
}

/* A clone continues independently from the state it copied. */
static void test_clone(void **state)
{
    (void)state;
    const esdk_hash_alg algs[] = {
        ESDK_HASH_SHA256, ESDK_HASH_SHA384, ESDK_HASH_SHA512, ESDK_HASH_SHA1};
    for (size_t a = 0; a < 4; a++) {
        const size_t n = esdk_hash_len(algs[a]);
        uint8_t whole[64], d1[64], d2[64], d3[64];
        const size_t split = 30;
        const char *msg = two_block_512;
        assert_int_equal(esdk_hash_digest(algs[a], (const uint8_t *)msg, strlen(msg), whole), 0);
        esdk_hash *h = NULL, *c = NULL;
        assert_int_equal(esdk_hash_new(algs[a], &h), 0);
        assert_int_equal(esdk_hash_update(h, (const uint8_t *)msg, split), 0);
        assert_int_equal(esdk_hash_clone(h, &c), 0);
        /* the original gets other bytes: the clone must not see them */
        assert_int_equal(esdk_hash_update(h, (const uint8_t *)"xyz", 3), 0);
        assert_int_equal(esdk_hash_update(c, (const uint8_t *)msg + split, strlen(msg) - split), 0);
        assert_int_equal(esdk_hash_finish(c, d1), 0);
        assert_memory_equal(d1, whole, n);
        assert_int_equal(esdk_hash_finish(h, d2), 0);
        assert_memory_not_equal(d2, whole, n);
        /* a finished hash refuses more input */
        assert_int_equal(esdk_hash_update(h, (const uint8_t *)"a", 1), ESDK_ERR_BAD_STATE);
        assert_int_equal(esdk_hash_finish(h, d3), ESDK_ERR_BAD_STATE);
        esdk_hash_release(h);
        esdk_hash_release(c);
    }
    esdk_hash_release(NULL);
    esdk_hash *h = NULL;
    assert_int_equal(esdk_hash_new((esdk_hash_alg)7, &h), ESDK_ERR_BAD_ARGUMENT);
}

static void
check_hmac(esdk_hash_alg alg, const uint8_t *key, size_t key_len, const char *msg, const char *hex)
{
    uint8_t want[64], got[64];
    const size_t n = unhex(hex, want, sizeof want);
    assert_int_equal(esdk_hmac(alg, key, key_len, (const uint8_t *)msg, strlen(msg), got), 0);
    assert_memory_equal(got, want, n);
}

static void test_rfc4231_hmac(void **state)
{
    (void)state;
    uint8_t k1[20], k6[131];
    memset(k1, 0x0b, sizeof k1);
    memset(k6, 0xaa, sizeof k6);
    const uint8_t *jefe = (const uint8_t *)"Jefe";
    const char *m2 = "what do ya want for nothing?";
    const char *m6 = "Test Using Larger Than Block-Size Key - Hash Key First";
    /* test case 1 */
    check_hmac(
        ESDK_HASH_SHA256,
        k1,
        sizeof k1,
        "Hi There",
        "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
    check_hmac(
        ESDK_HASH_SHA384,
        k1,
        sizeof k1,
        "Hi There",
        "afd03944d84895626b0825f4ab46907f15f9dadbe4101ec682aa034c7cebc59c"
        "faea9ea9076ede7f4af152e8b2fa9cb6");
    check_hmac(
        ESDK_HASH_SHA512,
        k1,
        sizeof k1,
        "Hi There",
        "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cde"
        "daa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854");
    /* test case 2 */
    check_hmac(
        ESDK_HASH_SHA256,
        jefe,
        4,
        m2,
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    check_hmac(
        ESDK_HASH_SHA384,
        jefe,
        4,
        m2,
        "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e"
        "8e2240ca5e69e2c78b3239ecfab21649");
    check_hmac(
        ESDK_HASH_SHA512,
        jefe,
        4,
        m2,
        "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea250554"
        "9758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737");
    /* test case 6: a key longer than the block is hashed first */
    check_hmac(
        ESDK_HASH_SHA256,
        k6,
        sizeof k6,
        m6,
        "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
    check_hmac(
        ESDK_HASH_SHA512,
        k6,
        sizeof k6,
        m6,
        "80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f352"
        "6b56d037e05f2598bd0fd2215d6a1e5295e64f73f63f0aec8b915a985d786598");
    uint8_t mac[64];
    assert_int_equal(esdk_hmac((esdk_hash_alg)5, k1, 20, k1, 20, mac), ESDK_ERR_BAD_ARGUMENT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fips180_vectors),
        cmocka_unit_test(test_clone),
        cmocka_unit_test(test_rfc4231_hmac),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
