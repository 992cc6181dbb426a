/* Key derivation of v1 messages, checked from outside the library: messages written with a
 * known data key are opened with mbedTLS directly (HKDF over the suite's hash with info =
 * suite id || message id, no salt; AES-GCM for the header tag and the frame), so a wrong
 * derivation cannot hide behind a decrypt that shares the same mistake. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <mbedtls/gcm.h>
#include <mbedtls/hkdf.h>
#include <mbedtls/md.h>

#include "support/test_support.h"

static size_t be16(const uint8_t *p)
{
    return (size_t)((p[0] << 8) | p[1]);
}

/* The length of a v1 header body (up to the header IV), walked from its bytes. */
static size_t v1_body_len(const uint8_t *m)
{
    size_t off = 1 + 1 + 2 + 16;
    off += 2 + be16(m + off);
    const size_t edks = be16(m + off);
    off += 2;
    for (size_t i = 0; i < 3 * edks; i++) {
        off += 2 + be16(m + off);
    }
    return off + 1 + 4 + 1 + 4;
}

/* The key a v1 suite uses: the data key itself, or HKDF(hash, no salt, data key,
 * info = suite id || message id). */
static void expected_key(uint16_t suite, const uint8_t *data_key, const uint8_t *id, uint8_t *key)
{
    const size_t len = esdk_suite_data_key_len(suite);
    if (!esdk_suite_has_kdf(suite)) {
        memcpy(key, data_key, len);
        return;
    }
    uint8_t info[2 + 16];
    info[0] = (uint8_t)(suite >> 8);
    info[1] = (uint8_t)suite;
    memcpy(info + 2, id, 16);
    /* 0x01xx: HKDF-SHA256; signed suites: SHA-256 for P-256, SHA-384 for P-384 */
    const mbedtls_md_type_t md =
        suite == 0x0346 || suite == 0x0378 ? MBEDTLS_MD_SHA384 : MBEDTLS_MD_SHA256;
    assert_int_equal(
        mbedtls_hkdf(
            mbedtls_md_info_from_type(md), NULL, 0, data_key, len, info, sizeof info, key, len),
        0);
}

/* spec: suite-3 */
static void test_v1_key_derivation_from_outside(void **state)
{
    (void)state;
    static const uint16_t suites[] = {
        0x0014, 0x0046, 0x0078, 0x0114, 0x0146, 0x0178, 0x0214, 0x0346, 0x0378};
    uint8_t data_key[32];
    for (int i = 0; i < 32; i++) {
        data_key[i] = (uint8_t)(0xA0 + i);
    }
    esdk_keyring *kr = test_fixed_keyring(data_key, NULL);
    static const uint8_t pt[] = "derived from outside";
    for (size_t s = 0; s < sizeof suites / sizeof suites[0]; s++) {
        const uint16_t suite = suites[s];
        esdk_options *o;
        assert_int_equal(esdk_options_new(&o), 0);
        assert_int_equal(
            esdk_options_set_commitment_policy(o, ESDK_COMMITMENT_FORBID_ENCRYPT_ALLOW_DECRYPT), 0);
        assert_int_equal(esdk_options_set_suite(o, suite), 0);
        esdk_buf ct = ESDK_BUF_INIT;
        assert_int_equal(esdk_encrypt(o, NULL, kr, NULL, pt, sizeof pt, &ct), 0);
        const uint8_t *m = ct.data;
        assert_int_equal(m[0], 1);
        assert_int_equal(be16(m + 2), suite);
        const uint8_t *id = m + 4;
        uint8_t key[32];
        expected_key(suite, data_key, id, key);
        const size_t key_bits = esdk_suite_data_key_len(suite) * 8;
        mbedtls_gcm_context gcm;
        mbedtls_gcm_init(&gcm);
        assert_int_equal(
            mbedtls_gcm_setkey(&gcm, MBEDTLS_CIPHER_ID_AES, key, (unsigned)key_bits), 0);
        /* the header tag: GCM over nothing, AAD = the header body, under the header IV */
        const size_t body = v1_body_len(m);
        uint8_t out[sizeof pt];
        assert_int_equal(
            mbedtls_gcm_auth_decrypt(&gcm, 0, m + body, 12, m, body, m + body + 12, 16, NULL, out),
            0);
        /* the only frame (a final frame): marker, seq 1, IV, length, content, tag; AAD = message
         * id || "AWSKMSEncryptionClient Final Frame" || seq || u64 length */
        const uint8_t *f = m + body + 12 + 16;
        assert_int_equal(f[0] & f[1] & f[2] & f[3], 0xFF);
        assert_int_equal(be16(f + 22), sizeof pt);
        static const char label[] = "AWSKMSEncryptionClient Final Frame";
        uint8_t aad[16 + sizeof label - 1 + 12];
        memcpy(aad, id, 16);
        memcpy(aad + 16, label, sizeof label - 1);
        static const uint8_t seq_len[12] = {0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, sizeof pt};
        memcpy(aad + 16 + sizeof label - 1, seq_len, sizeof seq_len);
        assert_int_equal(
            mbedtls_gcm_auth_decrypt(
                &gcm, sizeof pt, f + 8, 12, aad, sizeof aad, f + 24 + sizeof pt, 16, f + 24, out),
            0);
        assert_memory_equal(out, pt, sizeof pt);
        mbedtls_gcm_free(&gcm);
        esdk_buf_release(&ct);
        esdk_options_release(o);
    }
    esdk_keyring_release(kr);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_v1_key_derivation_from_outside),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
