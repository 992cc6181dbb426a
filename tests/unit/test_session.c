/* Session and one-shot behaviour: round trips over every suite, streaming with tiny
 * buffers, and refusals (tampering, truncation, trailing bytes, keys, contexts, limits). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "support/test_support.h"

static const uint16_t all_suites[] = {
    0x0014, 0x0046, 0x0078, 0x0114, 0x0146, 0x0178, 0x0214, 0x0346, 0x0378, 0x0478, 0x0578};
#define N_SUITES (sizeof all_suites / sizeof all_suites[0])

static esdk_options *options_for(uint16_t suite, uint32_t frame)
{
    esdk_options *o;
    assert_int_equal(esdk_options_new(&o), 0);
    assert_int_equal(
        esdk_options_set_commitment_policy(
            o,
            esdk_suite_is_committing(suite) ? ESDK_COMMITMENT_REQUIRE_ENCRYPT_REQUIRE_DECRYPT
                                            : ESDK_COMMITMENT_FORBID_ENCRYPT_ALLOW_DECRYPT),
        0);
    assert_int_equal(esdk_options_set_suite(o, suite), 0);
    assert_int_equal(esdk_options_set_frame_length(o, frame), 0);
    return o;
}

static esdk_enc_ctx *sample_context(void)
{
    esdk_enc_ctx *c;
    assert_int_equal(esdk_enc_ctx_new(&c), 0);
    assert_int_equal(esdk_enc_ctx_set_str(c, "purpose", "unit test"), 0);
    assert_int_equal(
        esdk_enc_ctx_set_str(c, "B", "caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x94\x91"), 0);
    assert_int_equal(esdk_enc_ctx_set_str(c, "a", "lower"), 0);
    return c;
}

static void encrypt_sample(uint16_t suite, uint32_t frame, size_t n, esdk_keyring *kr, esdk_buf *ct)
{
    uint8_t *pt = malloc(n + 1);
    test_fill(pt, n, (uint32_t)n);
    esdk_options *o = options_for(suite, frame);
    esdk_enc_ctx *c = sample_context();
    int rc = esdk_encrypt(o, NULL, kr, c, pt, n, ct);
    assert_int_equal(rc, 0);
    esdk_enc_ctx_release(c);
    esdk_options_release(o);
    free(pt);
}

/* Stream a message through a session with tiny chunks on both sides. */
static int stream(
    esdk_mode mode,
    const esdk_options *o,
    esdk_keyring *kr,
    const esdk_enc_ctx *ctx,
    const uint8_t *in,
    size_t in_len,
    size_t in_chunk,
    size_t out_chunk,
    esdk_buf *out,
    uint64_t *unverified)
{
    esdk_session *s;
    int rc = esdk_session_new_with_keyring(mode, o, kr, &s);
    if (!rc && ctx) {
        rc = esdk_session_set_context(s, ctx);
    }
    size_t off = 0;
    uint8_t *tmp = malloc(out_chunk);
    int idle = 0;
    while (!rc && !esdk_session_is_done(s) && idle < 4) {
        size_t give = in_len - off < in_chunk ? in_len - off : in_chunk;
        size_t produced, used;
        if (off == in_len) {
            rc = esdk_session_end_input(s);
        }
        rc = rc ? rc : esdk_session_process(s, tmp, out_chunk, &produced, in + off, give, &used);
        if (!rc) {
            assert_true(out->len + produced <= out->capacity);
            memcpy(out->data + out->len, tmp, produced);
            out->len += produced;
            off += used;
            idle = (produced == 0 && used == 0) ? idle + 1 : 0;
        }
    }
    if (!rc && !esdk_session_is_done(s)) {
        rc = -1000;
    }
    if (unverified) {
        *unverified = esdk_session_unverified_bytes(s);
    }
    free(tmp);
    esdk_session_release(s);
    return rc;
}

/* spec: suite-1, keyring-raw-aes-1, oneshot-1, format-body-6 */
static void test_round_trip_all_suites(void **state)
{
    (void)state;
    static const size_t sizes[] = {0, 1, 4095, 4096, 4097, 20000};
    static const uint32_t frames[] = {4096, 1, 65536, 0};
    esdk_keyring *kr = test_raw_aes_keyring(1);
    for (size_t si = 0; si < N_SUITES; si++) {
        for (size_t fi = 0; fi < 4; fi++) {
            for (size_t zi = 0; zi < 6; zi++) {
                size_t n = sizes[zi];
                if (frames[fi] == 1 && n > 4097) {
                    continue;
                }
                esdk_buf ct = ESDK_BUF_INIT, pt = ESDK_BUF_INIT;
                encrypt_sample(all_suites[si], frames[fi], n, kr, &ct);
                esdk_options *o = options_for(all_suites[si], frames[fi]);
                esdk_enc_ctx *hc = NULL;
                int rc = esdk_decrypt(o, NULL, kr, NULL, ct.data, ct.len, &pt, &hc);
                if (rc) {
                    print_error(
                        "suite %04x frame %u size %zu: %s %s\n",
                        all_suites[si],
                        frames[fi],
                        n,
                        esdk_error_name(rc),
                        esdk_last_error_detail());
                }
                assert_int_equal(rc, 0);
                assert_int_equal(pt.len, n);
                uint8_t *expect = malloc(n + 1);
                test_fill(expect, n, (uint32_t)n);
                assert_memory_equal(pt.data ? pt.data : expect, expect, n);
                assert_int_equal(
                    esdk_enc_ctx_count(hc), 3 + (esdk_suite_is_signed(all_suites[si]) ? 1 : 0));
                free(expect);
                esdk_enc_ctx_release(hc);
                esdk_options_release(o);
                esdk_buf_release(&ct);
                esdk_buf_release(&pt);
            }
        }
    }
    esdk_keyring_release(kr);
}

/* spec: stream-1, stream-2 */
static void test_streaming_tiny_buffers(void **state)
{
    (void)state;
    esdk_keyring *kr = test_raw_aes_keyring(2);
    const size_t n = 10000;
    uint8_t *pt = malloc(n);
    test_fill(pt, n, 7);
    for (size_t si = 0; si < N_SUITES; si++) {
        esdk_options *o = options_for(all_suites[si], 1000);
        esdk_enc_ctx *c = sample_context();
        esdk_buf ct = ESDK_BUF_INIT, back = ESDK_BUF_INIT;
        ct.data = malloc(20000);
        ct.capacity = 20000;
        assert_int_equal(stream(ESDK_MODE_ENCRYPT, o, kr, c, pt, n, 7, 3, &ct, NULL), 0);
        back.data = malloc(n);
        back.capacity = n;
        uint64_t unverified = 0;
        assert_int_equal(
            stream(ESDK_MODE_DECRYPT, o, kr, NULL, ct.data, ct.len, 5, 1, &back, &unverified), 0);
        assert_int_equal(back.len, n);
        assert_memory_equal(back.data, pt, n);
        /* signed: the regular frames went out before the signature verified, the final not */
        assert_int_equal(unverified, esdk_suite_is_signed(all_suites[si]) ? n : 0);
        esdk_enc_ctx_release(c);
        esdk_options_release(o);
        free(ct.data);
        free(back.data);
    }
    free(pt);
    esdk_keyring_release(kr);
}

static void expect_decrypt_fails(uint16_t suite, const uint8_t *msg, size_t len, esdk_keyring *kr)
{
    esdk_options *o = options_for(suite, 4096);
    esdk_buf pt = ESDK_BUF_INIT;
    int rc = esdk_decrypt(o, NULL, kr, NULL, msg, len, &pt, NULL);
    assert_true(rc < 0);
    assert_int_equal(pt.len, 0);
    esdk_buf_release(&pt);
    esdk_options_release(o);
}

/* Every single-bit flip of a small message is refused and releases nothing. */
/* spec: format-header-8, format-body-3, format-footer-1, oneshot-1, secret-1 */
static void test_bit_flips(void **state)
{
    (void)state;
    esdk_keyring *kr = test_raw_aes_keyring(3);
    for (size_t si = 0; si < N_SUITES; si++) {
        esdk_buf ct = ESDK_BUF_INIT;
        encrypt_sample(all_suites[si], 16, 40, kr, &ct);
        for (size_t i = 0; i < ct.len; i++) {
            for (int b = 0; b < 8; b++) {
                ct.data[i] ^= (uint8_t)(1u << b);
                expect_decrypt_fails(all_suites[si], ct.data, ct.len, kr);
                ct.data[i] ^= (uint8_t)(1u << b);
            }
        }
        esdk_buf_release(&ct);
    }
    esdk_keyring_release(kr);
}

/* spec: format-body-4, format-body-5 */
static void test_truncation_and_trailing(void **state)
{
    (void)state;
    esdk_keyring *kr = test_raw_aes_keyring(4);
    for (size_t si = 0; si < N_SUITES; si++) {
        esdk_buf ct = ESDK_BUF_INIT;
        encrypt_sample(all_suites[si], 64, 200, kr, &ct);
        for (size_t cut = 0; cut < ct.len; cut++) {
            expect_decrypt_fails(all_suites[si], ct.data, cut, kr);
        }
        uint8_t *longer = malloc(ct.len + 1);
        memcpy(longer, ct.data, ct.len);
        longer[ct.len] = 0;
        esdk_options *o = options_for(all_suites[si], 64);
        esdk_buf pt = ESDK_BUF_INIT;
        assert_int_equal(
            esdk_decrypt(o, NULL, kr, NULL, longer, ct.len + 1, &pt, NULL), ESDK_ERR_TRAILING_DATA);
        assert_int_equal(pt.len, 0);
        assert_int_equal(esdk_decrypt(o, NULL, kr, NULL, longer, ct.len, &pt, NULL), 0);
        esdk_buf_release(&pt);
        esdk_options_release(o);
        free(longer);
        esdk_buf_release(&ct);
    }
    esdk_keyring_release(kr);
}

/* spec: keyring-raw-aes-2, cmm-default-1 */
static void test_wrong_key_and_context(void **state)
{
    (void)state;
    esdk_keyring *kr = test_raw_aes_keyring(5);
    esdk_keyring *other = test_raw_aes_keyring(6);
    esdk_buf ct = ESDK_BUF_INIT, pt = ESDK_BUF_INIT;
    encrypt_sample(0x0478, 4096, 100, kr, &ct);
    esdk_options *o = options_for(0x0478, 4096);
    assert_int_equal(
        esdk_decrypt(o, NULL, other, NULL, ct.data, ct.len, &pt, NULL), ESDK_ERR_CANNOT_DECRYPT);
    /* a reproduced context that disagrees with the stored one */
    esdk_enc_ctx *wrong;
    assert_int_equal(esdk_enc_ctx_new(&wrong), 0);
    assert_int_equal(esdk_enc_ctx_set_str(wrong, "purpose", "something else"), 0);
    assert_int_equal(
        esdk_decrypt(o, NULL, kr, wrong, ct.data, ct.len, &pt, NULL), ESDK_ERR_CONTEXT_MISMATCH);
    /* an extra reproduced pair that was never bound to the message */
    esdk_enc_ctx *extra;
    assert_int_equal(esdk_enc_ctx_new(&extra), 0);
    assert_int_equal(esdk_enc_ctx_set_str(extra, "not", "bound"), 0);
    assert_true(esdk_decrypt(o, NULL, kr, extra, ct.data, ct.len, &pt, NULL) < 0);
    assert_int_equal(pt.len, 0);
    esdk_enc_ctx_release(wrong);
    esdk_enc_ctx_release(extra);
    esdk_options_release(o);
    esdk_buf_release(&ct);
    esdk_keyring_release(kr);
    esdk_keyring_release(other);
}

/* spec: policy-1, policy-2, format-context-4 */
static void test_policies(void **state)
{
    (void)state;
    esdk_keyring *kr = test_raw_aes_keyring(7);
    esdk_buf ct = ESDK_BUF_INIT, pt = ESDK_BUF_INIT;
    uint8_t data[10] = {0};
    esdk_options *o;
    assert_int_equal(esdk_options_new(&o), 0);
    /* default policy: a non-committing suite cannot be requested */
    assert_int_equal(esdk_options_set_suite(o, 0x0178), 0);
    assert_int_equal(
        esdk_encrypt(o, NULL, kr, NULL, data, sizeof data, &ct), ESDK_ERR_POLICY_VIOLATION);
    assert_int_equal(ct.len, 0);
    /* a legacy message is refused under REQUIRE_ENCRYPT_REQUIRE_DECRYPT */
    encrypt_sample(0x0178, 4096, 10, kr, &ct);
    assert_int_equal(esdk_options_set_suite(o, 0), 0);
    assert_int_equal(
        esdk_decrypt(o, NULL, kr, NULL, ct.data, ct.len, &pt, NULL), ESDK_ERR_POLICY_VIOLATION);
    assert_int_equal(
        esdk_options_set_commitment_policy(o, ESDK_COMMITMENT_REQUIRE_ENCRYPT_ALLOW_DECRYPT), 0);
    assert_int_equal(esdk_decrypt(o, NULL, kr, NULL, ct.data, ct.len, &pt, NULL), 0);
    esdk_buf_release(&pt);
    esdk_buf_release(&ct);
    /* the default suites */
    assert_int_equal(
        esdk_suite_default_for_policy(ESDK_COMMITMENT_FORBID_ENCRYPT_ALLOW_DECRYPT), 0x0378);
    assert_int_equal(
        esdk_suite_default_for_policy(ESDK_COMMITMENT_REQUIRE_ENCRYPT_REQUIRE_DECRYPT), 0x0578);
    /* reserved context keys are refused on encrypt */
    esdk_enc_ctx *c;
    assert_int_equal(esdk_enc_ctx_new(&c), 0);
    assert_int_equal(esdk_enc_ctx_set_str(c, "aws-crypto-anything", "x"), 0);
    assert_int_equal(esdk_encrypt(o, NULL, kr, c, data, sizeof data, &ct), ESDK_ERR_BAD_CONTEXT);
    esdk_enc_ctx_release(c);
    esdk_options_release(o);
    esdk_keyring_release(kr);
}

/* spec: policy-3 */
static void test_decrypt_unsigned_mode(void **state)
{
    (void)state;
    esdk_keyring *kr = test_raw_aes_keyring(8);
    esdk_buf ct = ESDK_BUF_INIT, out = ESDK_BUF_INIT;
    encrypt_sample(0x0578, 4096, 100, kr, &ct);
    esdk_options *o = options_for(0x0578, 4096);
    out.data = malloc(200);
    out.capacity = 200;
    assert_int_equal(
        stream(ESDK_MODE_DECRYPT_UNSIGNED, o, kr, NULL, ct.data, ct.len, 4096, 4096, &out, NULL),
        ESDK_ERR_SIGNED_NOT_ALLOWED);
    assert_int_equal(out.len, 0);
    esdk_buf_release(&ct);
    encrypt_sample(0x0478, 4096, 100, kr, &ct);
    assert_int_equal(
        stream(ESDK_MODE_DECRYPT_UNSIGNED, o, kr, NULL, ct.data, ct.len, 4096, 4096, &out, NULL),
        0);
    assert_int_equal(out.len, 100);
    free(out.data);
    esdk_buf_release(&ct);
    esdk_options_release(o);
    esdk_keyring_release(kr);
}

/* A multi-EDK message decrypted under a lower EDK limit fails before any keyring runs. */
static int two_edks_on_encrypt(void *state, esdk_enc_materials *m)
{
    (void)state;
    int rc = esdk_enc_materials_generate_data_key(m);
    static const uint8_t id[] = "x";
    esdk_edk edk = {id, 1, id, 1, id, 1};
    rc = rc ? rc : esdk_enc_materials_add_edk(m, &edk);
    return rc ? rc : esdk_enc_materials_add_edk(m, &edk);
}

static int counting_on_decrypt(void *state, esdk_dec_materials *m, const esdk_edk_list *edks)
{
    (void)m;
    (void)edks;
    (*(int *)state)++;
    return ESDK_ERR_CANNOT_DECRYPT;
}

/* spec: limits-edk-1, format-header-4, keyring-2 */
static void test_max_edks(void **state)
{
    (void)state;
    static int calls;
    static const esdk_keyring_vtable vt = {
        sizeof vt, "two", two_edks_on_encrypt, counting_on_decrypt, NULL};
    esdk_keyring *kr;
    assert_int_equal(esdk_keyring_new(&vt, &calls, &kr), 0);
    esdk_options *o = options_for(0x0478, 4096);
    esdk_buf ct = ESDK_BUF_INIT, pt = ESDK_BUF_INIT;
    assert_int_equal(esdk_options_set_max_encrypted_data_keys(o, 1), 0);
    assert_int_equal(
        esdk_encrypt(o, NULL, kr, NULL, (const uint8_t *)"hi", 2, &ct), ESDK_ERR_TOO_MANY_EDKS);
    assert_int_equal(esdk_options_set_max_encrypted_data_keys(o, 0), 0);
    assert_int_equal(esdk_encrypt(o, NULL, kr, NULL, (const uint8_t *)"hi", 2, &ct), 0);
    assert_int_equal(esdk_options_set_max_encrypted_data_keys(o, 1), 0);
    calls = 0;
    assert_int_equal(
        esdk_decrypt(o, NULL, kr, NULL, ct.data, ct.len, &pt, NULL), ESDK_ERR_TOO_MANY_EDKS);
    assert_int_equal(calls, 0);
    assert_int_equal(esdk_options_set_max_encrypted_data_keys(o, 2), 0);
    assert_int_equal(
        esdk_decrypt(o, NULL, kr, NULL, ct.data, ct.len, &pt, NULL), ESDK_ERR_CANNOT_DECRYPT);
    assert_int_equal(calls, 1);
    esdk_buf_release(&ct);
    esdk_options_release(o);
    esdk_keyring_release(kr);
}

/* A tampered final frame of a signed message: the streaming API releases the verified
 * regular frames only, never the final frame. */
/* spec: stream-2, stream-3, format-footer-1 */
static void test_signed_final_frame_held(void **state)
{
    (void)state;
    esdk_keyring *kr = test_raw_aes_keyring(9);
    esdk_buf ct = ESDK_BUF_INIT, out = ESDK_BUF_INIT;
    encrypt_sample(0x0578, 100, 250, kr, &ct); /* frames of 100, 100, final 50 */
    esdk_options *o = options_for(0x0578, 100);
    /* flip a bit in the signature: every frame verifies, the signature does not */
    ct.data[ct.len - 5] ^= 1;
    out.data = malloc(300);
    out.capacity = 300;
    uint64_t unverified = 0;
    assert_int_equal(
        stream(ESDK_MODE_DECRYPT, o, kr, NULL, ct.data, ct.len, 64, 64, &out, &unverified),
        ESDK_ERR_SIGNATURE_MISMATCH);
    assert_int_equal(out.len, 200);
    assert_int_equal(unverified, 200);
    free(out.data);
    esdk_buf_release(&ct);
    esdk_options_release(o);
    esdk_keyring_release(kr);
}

/* spec: format-header-7 */
static void test_header_limit(void **state)
{
    (void)state;
    esdk_keyring *kr = test_raw_aes_keyring(10);
    esdk_buf ct = ESDK_BUF_INIT, pt = ESDK_BUF_INIT;
    encrypt_sample(0x0478, 4096, 10, kr, &ct);
    esdk_options *o = options_for(0x0478, 4096);
    assert_int_equal(esdk_options_set_max_header_size(o, 50), 0);
    assert_int_equal(
        esdk_decrypt(o, NULL, kr, NULL, ct.data, ct.len, &pt, NULL), ESDK_ERR_LIMIT_EXCEEDED);
    assert_int_equal(esdk_options_set_max_header_size(o, 4096), 0);
    assert_int_equal(esdk_options_set_max_body_frame(o, 1000), 0);
    assert_int_equal(
        esdk_decrypt(o, NULL, kr, NULL, ct.data, ct.len, &pt, NULL), ESDK_ERR_LIMIT_EXCEEDED);
    esdk_buf_release(&ct);
    esdk_options_release(o);
    esdk_keyring_release(kr);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip_all_suites),
        cmocka_unit_test(test_streaming_tiny_buffers),
        cmocka_unit_test(test_bit_flips),
        cmocka_unit_test(test_truncation_and_trailing),
        cmocka_unit_test(test_wrong_key_and_context),
        cmocka_unit_test(test_policies),
        cmocka_unit_test(test_decrypt_unsigned_mode),
        cmocka_unit_test(test_max_edks),
        cmocka_unit_test(test_signed_final_frame_held),
        cmocka_unit_test(test_header_limit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
