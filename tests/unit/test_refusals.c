/* Specific refusals: crafted headers, reordered frames, signature length, the keyring
 * contract, the public-key context rules, and secrets kept out of error texts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "common/status.h"
#include "format/header.h"
#include "support/test_support.h"

/* v1 header body up to the EDK count, suite 0x0014, empty context. */
static size_t v1_prefix(uint8_t *h, uint16_t edk_count)
{
    size_t n = 0;
    h[n++] = 1;
    h[n++] = 0x80;
    h[n++] = 0x00;
    h[n++] = 0x14;
    memset(h + n, 0xAB, 16);
    n += 16;
    h[n++] = 0;
    h[n++] = 0; /* AAD length 0 */
    h[n++] = (uint8_t)(edk_count >> 8);
    h[n++] = (uint8_t)edk_count;
    return n;
}

static size_t one_edk(uint8_t *h, size_t n)
{
    static const uint8_t edk[] = {0, 1, 'p', 0, 1, 'i', 0, 1, 'c'};
    memcpy(h + n, edk, sizeof edk);
    return n + sizeof edk;
}

/* content type, reserved, IV length, frame length, then IV + tag */
static size_t
v1_tail(uint8_t *h, size_t n, uint8_t type, uint32_t reserved, uint8_t iv_len, uint32_t frame)
{
    h[n++] = type;
    for (int i = 3; i >= 0; i--) {
        h[n++] = (uint8_t)(reserved >> (8 * i));
    }
    h[n++] = iv_len;
    for (int i = 3; i >= 0; i--) {
        h[n++] = (uint8_t)(frame >> (8 * i));
    }
    memset(h + n, 0, 28);
    return n + 28;
}

static int parse(const uint8_t *h, size_t n)
{
    esdk_header hdr;
    size_t need;
    esdk_cur c = esdk_cur_of(h, n);
    int rc = esdk_header_parse(&c, NULL, &hdr, &need);
    if (rc == 0) {
        esdk_header_cleanup(&hdr);
    }
    return rc;
}

/* spec: format-header-3, format-header-5, format-header-6 */
static void test_crafted_headers(void **state)
{
    (void)state;
    uint8_t h[256];
    size_t n = v1_prefix(h, 0);
    n = v1_tail(h, n, 2, 0, 12, 4096);
    assert_int_equal(parse(h, n), ESDK_ERR_BAD_CIPHERTEXT); /* zero EDKs */

    n = one_edk(h, v1_prefix(h, 1));
    assert_int_equal(parse(h, v1_tail(h, n, 2, 0, 12, 4096)), 0); /* the well-formed base */
    assert_int_equal(parse(h, v1_tail(h, n, 2, 1, 12, 4096)), ESDK_ERR_BAD_CIPHERTEXT);
    assert_int_equal(parse(h, v1_tail(h, n, 2, 0, 16, 4096)), ESDK_ERR_BAD_CIPHERTEXT);
    assert_int_equal(parse(h, v1_tail(h, n, 2, 0, 12, 0)), ESDK_ERR_BAD_CIPHERTEXT);
    assert_int_equal(parse(h, v1_tail(h, n, 1, 0, 12, 4096)), ESDK_ERR_BAD_CIPHERTEXT);
    assert_int_equal(parse(h, v1_tail(h, n, 1, 0, 12, 0)), 0);
    assert_int_equal(parse(h, v1_tail(h, n, 3, 0, 12, 4096)), ESDK_ERR_BAD_CIPHERTEXT);
}

static esdk_options *committing_options(uint32_t frame)
{
    esdk_options *o;
    assert_int_equal(esdk_options_new(&o), 0);
    assert_int_equal(esdk_options_set_suite(o, 0x0478), 0);
    assert_int_equal(esdk_options_set_frame_length(o, frame), 0);
    return o;
}

/* spec: format-body-1 */
static void test_frames_out_of_order(void **state)
{
    (void)state;
    esdk_keyring *kr = test_raw_aes_keyring(20);
    esdk_options *o = committing_options(16);
    esdk_buf ct = ESDK_BUF_INIT, pt = ESDK_BUF_INIT;
    uint8_t data[40];
    test_fill(data, sizeof data, 1);
    assert_int_equal(esdk_encrypt(o, NULL, kr, NULL, data, sizeof data, &ct), 0);
    /* body = frame 1 (4 + 12 + 16 + 16 = 48 bytes), frame 2 (48), final frame; swap 1 and 2 */
    size_t final_len = 4 + 4 + 12 + 4 + 8 + 16;
    size_t body = ct.len - final_len - 2 * 48;
    uint8_t tmp[48];
    memcpy(tmp, ct.data + body, 48);
    memmove(ct.data + body, ct.data + body + 48, 48);
    memcpy(ct.data + body + 48, tmp, 48);
    assert_int_equal(
        esdk_decrypt(o, NULL, kr, NULL, ct.data, ct.len, &pt, NULL), ESDK_ERR_BAD_CIPHERTEXT);
    assert_int_equal(pt.len, 0);
    /* drop frame 1 */
    memmove(ct.data + body, ct.data + body + 48, ct.len - body - 48);
    assert_int_equal(
        esdk_decrypt(o, NULL, kr, NULL, ct.data, ct.len - 48, &pt, NULL), ESDK_ERR_BAD_CIPHERTEXT);
    esdk_buf_release(&ct);
    esdk_options_release(o);
    esdk_keyring_release(kr);
}

/* spec: format-footer-2 */
static void test_fixed_signature_length(void **state)
{
    (void)state;
    esdk_keyring *kr = test_raw_aes_keyring(21);
    static const struct {
        uint16_t suite;
        size_t len;
    } cases[] = {{0x0214, 71}, {0x0346, 103}, {0x0578, 103}};
    for (size_t c = 0; c < 3; c++) {
        esdk_options *o;
        assert_int_equal(esdk_options_new(&o), 0);
        if (!esdk_suite_is_committing(cases[c].suite)) {
            assert_int_equal(
                esdk_options_set_commitment_policy(o, ESDK_COMMITMENT_FORBID_ENCRYPT_ALLOW_DECRYPT),
                0);
        }
        assert_int_equal(esdk_options_set_suite(o, cases[c].suite), 0);
        for (int i = 0; i < 40; i++) {
            esdk_buf ct = ESDK_BUF_INIT;
            assert_int_equal(esdk_encrypt(o, NULL, kr, NULL, (const uint8_t *)"x", 1, &ct), 0);
            size_t sig_len = ((size_t)ct.data[ct.len - cases[c].len - 2] << 8) |
                             ct.data[ct.len - cases[c].len - 1];
            assert_int_equal(sig_len, cases[c].len);
            esdk_buf_release(&ct);
        }
        esdk_options_release(o);
    }
    esdk_keyring_release(kr);
}

static int lazy_on_encrypt(void *state, esdk_enc_materials *m)
{
    (void)state;
    return esdk_enc_materials_generate_data_key(m); /* but adds no EDK */
}

static int never_on_decrypt(void *state, esdk_dec_materials *m, const esdk_edk_list *e)
{
    (void)state;
    (void)m;
    (void)e;
    return ESDK_ERR_CANNOT_DECRYPT;
}

/* spec: keyring-1 */
static void test_keyring_contract(void **state)
{
    (void)state;
    static const esdk_keyring_vtable vt = {
        sizeof vt, "lazy", lazy_on_encrypt, never_on_decrypt, NULL};
    esdk_keyring *kr;
    assert_int_equal(esdk_keyring_new(&vt, NULL, &kr), 0);
    esdk_enc_materials *m;
    assert_int_equal(esdk_enc_materials_new(0x0478, NULL, NULL, 0, &m), 0);
    assert_int_equal(esdk_keyring_on_encrypt(kr, m), ESDK_ERR_KEYRING);
    const uint8_t *k;
    size_t kl;
    assert_false(esdk_enc_materials_data_key(m, &k, &kl)); /* restored */
    esdk_enc_materials_release(m);
    esdk_keyring_release(kr);
    /* an incomplete vtable is refused */
    static const esdk_keyring_vtable bad = {sizeof bad, "bad", NULL, never_on_decrypt, NULL};
    assert_int_equal(esdk_keyring_new(&bad, NULL, &kr), ESDK_ERR_BAD_ARGUMENT);
}

/* spec: cmm-default-2 */
static void test_public_key_context_rules(void **state)
{
    (void)state;
    esdk_enc_ctx *c;
    esdk_dec_materials *d = NULL;
    esdk_enc_materials *e = NULL;
    assert_int_equal(esdk_enc_ctx_new(&c), 0);
    assert_int_equal(esdk_dec_materials_new(0x0578, c, NULL, 0, &d), ESDK_ERR_BAD_CIPHERTEXT);
    assert_int_equal(esdk_enc_ctx_set_str(c, ESDK_PUBLIC_KEY_CONTEXT_KEY, "AhTN"), 0);
    assert_int_equal(esdk_dec_materials_new(0x0478, c, NULL, 0, &d), ESDK_ERR_BAD_CIPHERTEXT);
    assert_int_equal(esdk_dec_materials_new(0x0578, c, NULL, 0, &d), ESDK_ERR_BAD_CIPHERTEXT);
    assert_int_equal(esdk_enc_materials_new(0x0578, c, NULL, 0, &e), ESDK_ERR_BAD_CONTEXT);
    /* a real key pair: encrypt materials publish it, decrypt materials accept it */
    esdk_enc_ctx *empty;
    assert_int_equal(esdk_enc_ctx_new(&empty), 0);
    assert_int_equal(esdk_enc_materials_new(0x0578, empty, NULL, 0, &e), 0);
    const uint8_t *v;
    size_t vl;
    static const char key[] = ESDK_PUBLIC_KEY_CONTEXT_KEY;
    assert_int_equal(
        esdk_enc_ctx_get(
            esdk_enc_materials_context(e), (const uint8_t *)key, sizeof key - 1, &v, &vl),
        0);
    assert_int_equal(vl, 68);
    assert_int_equal(esdk_dec_materials_new(0x0578, esdk_enc_materials_context(e), NULL, 0, &d), 0);
    esdk_dec_materials_release(d);
    esdk_enc_materials_release(e);
    esdk_enc_ctx_release(empty);
    esdk_enc_ctx_release(c);
}

/* spec: secret-2 */
static void test_no_key_bytes_in_error_texts(void **state)
{
    (void)state;
    uint8_t key[32];
    for (int i = 0; i < 32; i++) {
        key[i] = (uint8_t)(0x41 + i % 26); /* printable, so a leak would show as text */
    }
    esdk_keyring *kr, *wrong = test_raw_aes_keyring(22);
    assert_int_equal(esdk_keyring_raw_aes_new("ns", "name", key, sizeof key, &kr), 0);
    esdk_options *o = committing_options(4096);
    esdk_buf ct = ESDK_BUF_INIT, pt = ESDK_BUF_INIT;
    assert_int_equal(esdk_encrypt(o, NULL, kr, NULL, (const uint8_t *)"secret", 6, &ct), 0);
    assert_int_equal(
        esdk_decrypt(o, NULL, wrong, NULL, ct.data, ct.len, &pt, NULL), ESDK_ERR_CANNOT_DECRYPT);
    const char *detail = esdk_last_error_detail();
    assert_true(strlen(detail) > 0);
    assert_null(memmem(detail, strlen(detail), key, 8));
    char hex[17];
    for (int i = 0; i < 8; i++) {
        snprintf(hex + 2 * i, 3, "%02x", key[i]);
    }
    assert_null(strstr(detail, hex));
    ct.data[ct.len - 1] ^= 1;
    assert_int_equal(esdk_decrypt(o, NULL, kr, NULL, ct.data, ct.len, &pt, NULL), ESDK_ERR_BAD_TAG);
    detail = esdk_last_error_detail();
    assert_null(memmem(detail, strlen(detail), key, 8));
    assert_null(strstr(detail, "secret"));
    esdk_buf_release(&ct);
    esdk_options_release(o);
    esdk_keyring_release(kr);
    esdk_keyring_release(wrong);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_crafted_headers),
        cmocka_unit_test(test_frames_out_of_order),
        cmocka_unit_test(test_fixed_signature_length),
        cmocka_unit_test(test_keyring_contract),
        cmocka_unit_test(test_public_key_context_rules),
        cmocka_unit_test(test_no_key_bytes_in_error_texts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
