/* Wire format: encryption-context serialization and parsing, header parsing limits and
 * refusals, frame headers and body AAD. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "common/buf.h"
#include "common/status.h"
#include "format/body.h"
#include "format/context.h"
#include "format/header.h"
#include "support/test_support.h"

/* spec: format-context-1 */
static void test_context_sorted_by_utf8_bytes(void **state)
{
    (void)state;
    esdk_enc_ctx *c;
    assert_int_equal(esdk_enc_ctx_new(&c), 0);
    assert_int_equal(esdk_enc_ctx_set_str(c, "b", "2"), 0);
    assert_int_equal(esdk_enc_ctx_set_str(c, "B", "1"), 0);
    assert_int_equal(esdk_enc_ctx_set_str(c, "ab", "3"), 0);
    assert_int_equal(esdk_enc_ctx_set_str(c, "a", "4"), 0);
    assert_int_equal(esdk_enc_ctx_set_str(c, "\xc3\xa9", "5"), 0);
    esdk_buf out = ESDK_BUF_INIT;
    assert_int_equal(esdk_enc_ctx_serialize(c, &out), 0);
    static const uint8_t expect[] = {0, 5,   0,   1, 'B', 0,    1,    '1', 0,   1,  'a', 0,
                                     1, '4', 0,   2, 'a', 'b',  0,    1,   '3', 0,  1,   'b',
                                     0, 1,   '2', 0, 2,   0xc3, 0xa9, 0,   1,   '5'};
    assert_int_equal(out.len, sizeof expect);
    assert_memory_equal(out.data, expect, sizeof expect);
    /* parse back */
    esdk_enc_ctx *back;
    assert_int_equal(esdk_enc_ctx_parse(esdk_cur_of(out.data, out.len), &back), 0);
    assert_int_equal(esdk_enc_ctx_count(back), 5);
    esdk_enc_ctx_release(back);
    /* the empty context serializes to nothing */
    esdk_enc_ctx *empty;
    assert_int_equal(esdk_enc_ctx_new(&empty), 0);
    esdk_buf none = ESDK_BUF_INIT;
    assert_int_equal(esdk_enc_ctx_serialize(empty, &none), 0);
    assert_int_equal(none.len, 0);
    esdk_enc_ctx_release(empty);
    esdk_buf_release(&out);
    esdk_enc_ctx_release(c);
}

/* spec: format-context-2, format-context-3 */
static void test_context_refusals(void **state)
{
    (void)state;
    esdk_enc_ctx *c;
    assert_int_equal(esdk_enc_ctx_new(&c), 0);
    /* invalid UTF-8: lone continuation, overlong, surrogate, truncated */
    assert_int_equal(esdk_enc_ctx_set_str(c, "\x80", "x"), ESDK_ERR_BAD_CONTEXT);
    assert_int_equal(esdk_enc_ctx_set_str(c, "\xc0\xaf", "x"), ESDK_ERR_BAD_CONTEXT);
    assert_int_equal(esdk_enc_ctx_set_str(c, "\xed\xa0\x80", "x"), ESDK_ERR_BAD_CONTEXT);
    assert_int_equal(esdk_enc_ctx_set_str(c, "k", "\xe6\x97"), ESDK_ERR_BAD_CONTEXT);
    assert_int_equal(esdk_enc_ctx_count(c), 0);
    esdk_enc_ctx_release(c);

    esdk_enc_ctx *out;
    static const uint8_t zero_count[] = {0, 0};
    assert_int_equal(esdk_enc_ctx_parse(esdk_cur_of(zero_count, 2), &out), ESDK_ERR_BAD_CIPHERTEXT);
    static const uint8_t dup[] = {0, 2, 0, 1, 'a', 0, 0, 0, 1, 'a', 0, 0};
    assert_int_equal(
        esdk_enc_ctx_parse(esdk_cur_of(dup, sizeof dup), &out), ESDK_ERR_BAD_CIPHERTEXT);
    static const uint8_t leftover[] = {0, 1, 0, 1, 'a', 0, 0, 7};
    assert_int_equal(
        esdk_enc_ctx_parse(esdk_cur_of(leftover, sizeof leftover), &out), ESDK_ERR_BAD_CIPHERTEXT);
    static const uint8_t overrun[] = {0, 1, 0, 9, 'a'};
    assert_int_equal(
        esdk_enc_ctx_parse(esdk_cur_of(overrun, sizeof overrun), &out), ESDK_ERR_BAD_CIPHERTEXT);
}

/* A v2 header prefix claiming 65535 EDKs: refused by the limit before any entry is read. */
/* spec: format-header-4, format-header-7 */
static void test_header_edk_limit_before_entries(void **state)
{
    (void)state;
    uint8_t h[2 + 1 + 32 + 2 + 2];
    memset(h, 0, sizeof h);
    h[0] = 2;
    h[1] = 0x04;
    h[2] = 0x78;
    /* message id zeros, AAD length 0, EDK count 0xFFFF */
    h[37] = 0xFF;
    h[38] = 0xFF;
    esdk_header hdr;
    esdk_header_limits lim = {3, 0};
    size_t need = 0;
    esdk_cur c = esdk_cur_of(h, sizeof h);
    assert_int_equal(esdk_header_parse(&c, &lim, &hdr, &need), ESDK_ERR_TOO_MANY_EDKS);
    /* without a limit the same bytes are merely incomplete */
    lim.max_edks = 0;
    assert_int_equal(esdk_header_parse(&c, &lim, &hdr, &need), ESDK_NEED_MORE);
    assert_int_equal(c.len, sizeof h);
    /* and a header limit turns "incomplete" into a refusal */
    lim.max_header_size = 20;
    assert_int_equal(esdk_header_parse(&c, &lim, &hdr, &need), ESDK_ERR_LIMIT_EXCEEDED);
}

/* spec: format-header-1, format-header-2, format-header-9 */
static void test_header_refusals(void **state)
{
    (void)state;
    esdk_header hdr;
    size_t need;
    static const uint8_t bad_version[] = {3, 0x80, 0x00, 0x14};
    esdk_cur c = esdk_cur_of(bad_version, sizeof bad_version);
    assert_int_equal(esdk_header_parse(&c, NULL, &hdr, &need), ESDK_ERR_BAD_CIPHERTEXT);
    static const uint8_t mismatch[] = {1, 0x80, 0x04, 0x78};
    c = esdk_cur_of(mismatch, sizeof mismatch);
    assert_int_equal(esdk_header_parse(&c, NULL, &hdr, &need), ESDK_ERR_BAD_CIPHERTEXT);
    static const uint8_t not_esdk[] = {1, 0x80, 0x67, 0x00};
    c = esdk_cur_of(not_esdk, sizeof not_esdk);
    assert_int_equal(esdk_header_parse(&c, NULL, &hdr, &need), ESDK_ERR_BAD_CIPHERTEXT);
    static const uint8_t base64_text[] = "AYAAF";
    c = esdk_cur_of(base64_text, 5);
    assert_int_equal(esdk_header_parse(&c, NULL, &hdr, &need), ESDK_ERR_BAD_CIPHERTEXT);
}

/* spec: format-body-2 */
static void test_frame_headers(void **state)
{
    (void)state;
    esdk_frame_header fh = {ESDK_BODY_FINAL_FRAME, 7, {0}, 5, 0}, back;
    uint8_t bytes[ESDK_FRAME_HEADER_MAX];
    esdk_frame_iv(fh.iv, 7);
    size_t n = esdk_frame_header_write(bytes, &fh);
    assert_int_equal(n, 24);
    assert_int_equal(esdk_frame_header_parse(esdk_cur_of(bytes, n), 4096, &back), 0);
    assert_int_equal(back.kind, ESDK_BODY_FINAL_FRAME);
    assert_int_equal(back.seq, 7);
    assert_int_equal(back.content_len, 5);
    assert_int_equal(back.iv[11], 7);
    /* a final frame longer than the frame length is malformed */
    assert_int_equal(
        esdk_frame_header_parse(esdk_cur_of(bytes, n), 4, &back), ESDK_ERR_BAD_CIPHERTEXT);
    assert_int_equal(
        esdk_frame_header_parse(esdk_cur_of(bytes, n - 1), 4096, &back), ESDK_NEED_MORE);
    uint8_t aad[ESDK_BODY_AAD_MAX];
    uint8_t mid[16] = {0};
    size_t al = esdk_body_aad(aad, mid, 16, ESDK_BODY_FRAME, 1, 4096);
    assert_int_equal(al, 16 + strlen("AWSKMSEncryptionClient Frame") + 12);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_context_sorted_by_utf8_bytes),
        cmocka_unit_test(test_context_refusals),
        cmocka_unit_test(test_header_edk_limit_before_entries),
        cmocka_unit_test(test_header_refusals),
        cmocka_unit_test(test_frame_headers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
