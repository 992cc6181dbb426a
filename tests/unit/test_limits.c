/* Resource limits: messages that claim huge lengths (EDK count, context length, frame length,
 * unframed content length) fail without the library allocating more than a small bound
 * (measured with a counting allocator installed through esdk_set_allocator); the EDK limit
 * stops a message before any keyring runs, multi-keyrings included; the header-size limit
 * holds when the header arrives one byte at a time. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <aws-esdk-c/allocator.h>

#include "support/counting_keyring.h"
#include "support/test_support.h"

#define MIB ((size_t)1 << 20)

/* ---- a counting allocator: bytes live now, and the peak since the last reset ---- */

static size_t live, peak;

static void *count_acquire(void *ctx, size_t size)
{
    (void)ctx;
    void *p = malloc(size);
    if (p) {
        live += size;
        peak = live > peak ? live : peak;
    }
    return p;
}

static void count_release(void *ctx, void *ptr, size_t size)
{
    (void)ctx;
    live -= size;
    free(ptr);
}

static const esdk_allocator counting = {count_acquire, count_release, NULL};

/* Start measuring: the peak from now on, over what is live now. */
static size_t measure_start(void)
{
    peak = live;
    return live;
}

/* ---- message construction ---- */

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

/* The length of a message's header (v2 only: no header IV), walked from its bytes. */
static size_t header_len_v2(const uint8_t *m)
{
    size_t off = 1 + 2 + 32;
    off += 2 + (size_t)((m[off] << 8) | m[off + 1]);
    const size_t edks = (size_t)((m[off] << 8) | m[off + 1]);
    off += 2;
    for (size_t i = 0; i < 3 * edks; i++) {
        off += 2 + (size_t)((m[off] << 8) | m[off + 1]);
    }
    return off + 1 + 4 + 32 + 16;
}

/* A streaming decrypt of all of in (offered whole, output into a small buffer), then
 * esdk_session_end_input. */
static int stream_all(esdk_keyring *kr, const esdk_options *o, const uint8_t *in, size_t len)
{
    esdk_session *s;
    uint8_t out[256];
    size_t off = 0;
    int rc = esdk_session_new_with_keyring(ESDK_MODE_DECRYPT, o, kr, &s);
    for (int idle = 0; rc == 0 && !esdk_session_is_done(s) && idle < 4;) {
        size_t produced, used;
        if (off == len) {
            rc = esdk_session_end_input(s);
        }
        rc = rc ? rc
                : esdk_session_process(s, out, sizeof out, &produced, in + off, len - off, &used);
        off += rc ? 0 : used;
        idle = (rc == 0 && (produced || used)) ? 0 : idle + 1;
    }
    esdk_session_release(s);
    return rc;
}

/* Decrypt msg both ways (one-shot, streaming): each must fail with want, and the library's
 * allocations must stay under bound bytes above what was live before. */
static void expect_bounded(
    esdk_keyring *kr, const esdk_options *o, const uint8_t *msg, size_t len, int want, size_t bound)
{
    esdk_buf pt = ESDK_BUF_INIT;
    size_t base = measure_start();
    int rc = esdk_decrypt(o, NULL, kr, NULL, msg, len, &pt, NULL);
    if (rc != want) {
        fail_msg(
            "one-shot: %s (%s), expected %s",
            esdk_error_name(rc),
            esdk_last_error_detail(),
            esdk_error_name(want));
    }
    assert_int_equal(pt.len, 0);
    esdk_buf_release(&pt);
    assert_true(peak - base < bound);
    base = measure_start();
    assert_int_equal(stream_all(kr, o, msg, len), want);
    assert_true(peak - base < bound);
    assert_int_equal(live, base); /* and everything was given back */
}

/* v2 header prefix: version, suite 0x0478, a message id. */
static size_t v2_prefix(uint8_t *h)
{
    h[0] = 2;
    h[1] = 0x04;
    h[2] = 0x78;
    memset(h + 3, 0x5A, 32);
    return 35;
}

/* spec: limits-alloc-1 */
static void test_huge_counts_in_the_header(void **state)
{
    (void)state;
    esdk_keyring *kr = test_raw_aes_keyring(50);
    esdk_options *o = options_for(0x0478, 4096);
    uint8_t h[64];
    /* an EDK count of 65535 followed by a few bytes */
    size_t n = v2_prefix(h);
    h[n++] = 0;
    h[n++] = 0; /* empty context */
    h[n++] = 0xFF;
    h[n++] = 0xFF;
    memset(h + n, 0, 6); /* one empty EDK's worth of bytes */
    n += 6;
    expect_bounded(kr, o, h, n, ESDK_ERR_TRUNCATED, MIB);
    /* a context length of 65535 with nothing after it */
    n = v2_prefix(h);
    h[n++] = 0xFF;
    h[n++] = 0xFF;
    expect_bounded(kr, o, h, n, ESDK_ERR_TRUNCATED, MIB);
    /* a whole header whose 2-byte context claims 65535 pairs */
    uint8_t whole[128];
    n = v2_prefix(whole);
    static const uint8_t rest[] = {0, 2,   0xFF, 0xFF, 0,   1, 0, 1, 'p',  0,
                                   1, 'i', 0,    1,    'c', 2, 0, 0, 0x10, 0};
    memcpy(whole + n, rest, sizeof rest);
    n += sizeof rest;
    memset(whole + n, 0, 48); /* commit key and tag */
    n += 48;
    expect_bounded(kr, o, whole, n, ESDK_ERR_BAD_CIPHERTEXT, MIB);
    /* the largest EDK list a header can hold: 65535 empty EDKs (393 KB). It is parsed and
     * copied whole (one keyring call sees all of it); the library's peak stays a small
     * multiple of the input (about 5.3 MB measured, 2026-11) */
    const size_t big_len = 35 + 2 + 2 + 65535 * 6 + 1 + 4 + 32 + 16;
    uint8_t *big = calloc(1, big_len);
    n = v2_prefix(big) + 2;
    big[n++] = 0xFF;
    big[n++] = 0xFF;
    n += 65535 * 6;
    big[n++] = 2;
    big[n + 2] = 0x10;
    expect_bounded(kr, o, big, big_len, ESDK_ERR_CANNOT_DECRYPT, 16 * MIB);
    free(big);
    esdk_options_release(o);
    esdk_keyring_release(kr);
}

/* A real message whose body is replaced by a frame claiming a huge length. */
/* spec: limits-alloc-1, format-body-5 */
static void test_huge_frame_lengths(void **state)
{
    (void)state;
    esdk_keyring *kr = test_raw_aes_keyring(51);
    esdk_buf ct = ESDK_BUF_INIT;
    /* frame length 2^32 - 1: the header (authenticated) says so; a regular frame follows */
    esdk_options *o = options_for(0x0478, UINT32_MAX);
    assert_int_equal(esdk_encrypt(o, NULL, kr, NULL, (const uint8_t *)"tiny", 4, &ct), 0);
    size_t hl = header_len_v2(ct.data);
    assert_int_equal(ct.data[hl - 1 - 16 - 32 - 4], 2); /* framed */
    uint8_t *m = malloc(hl + 64);
    memcpy(m, ct.data, hl);
    memset(m + hl, 0, 64);
    m[hl + 3] = 1; /* sequence number 1, then an IV and 44 bytes of a 4 GiB frame */
    expect_bounded(kr, o, m, hl + 64, ESDK_ERR_TRUNCATED, MIB);
    /* the same with a body-frame limit: refused right after the header */
    assert_int_equal(esdk_options_set_max_body_frame(o, MIB), 0);
    expect_bounded(kr, o, m, hl + 64, ESDK_ERR_LIMIT_EXCEEDED, MIB);
    esdk_options_release(o);
    esdk_buf_release(&ct);
    free(m);

    /* unframed: content lengths of 2^36 (above the format's 2^36 - 32), 2^36 - 32 (above the
     * default unframed limit), and 2^36 - 32 again with that limit lifted (truncated) */
    o = options_for(0x0478, 0);
    assert_int_equal(esdk_encrypt(o, NULL, kr, NULL, (const uint8_t *)"tiny", 4, &ct), 0);
    hl = header_len_v2(ct.data);
    assert_int_equal(ct.data[hl - 1 - 16 - 32 - 4], 1); /* unframed */
    m = malloc(hl + 64);
    memcpy(m, ct.data, hl + 12); /* header and the body IV */
    memset(m + hl + 12, 0, 52);
    static const struct {
        uint64_t len;
        int want;
    } cases[] = {
        {UINT64_C(1) << 36, ESDK_ERR_BAD_CIPHERTEXT},
        {(UINT64_C(1) << 36) - 32, ESDK_ERR_LIMIT_EXCEEDED},
        {UINT64_MAX, ESDK_ERR_BAD_CIPHERTEXT},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        for (int i = 0; i < 8; i++) {
            m[hl + 12 + i] = (uint8_t)(cases[c].len >> (56 - 8 * i));
        }
        expect_bounded(kr, o, m, hl + 64, cases[c].want, MIB);
    }
    assert_int_equal(esdk_options_set_max_unframed_size(o, (UINT64_C(1) << 36) - 32), 0);
    for (int i = 0; i < 8; i++) {
        m[hl + 12 + i] = (uint8_t)(((UINT64_C(1) << 36) - 32) >> (56 - 8 * i));
    }
    expect_bounded(kr, o, m, hl + 64, ESDK_ERR_TRUNCATED, MIB);
    esdk_options_release(o);
    esdk_buf_release(&ct);
    free(m);
    esdk_keyring_release(kr);
}

/* Two EDKs on encrypt, counting decrypt calls. */
static int two_edks_on_encrypt(void *st, esdk_enc_materials *m)
{
    (void)st;
    int rc = esdk_enc_materials_generate_data_key(m);
    static const uint8_t id[] = "x";
    esdk_edk edk = {id, 1, id, 1, id, 1};
    rc = rc ? rc : esdk_enc_materials_add_edk(m, &edk);
    return rc ? rc : esdk_enc_materials_add_edk(m, &edk);
}

static int counting_on_decrypt(void *st, esdk_dec_materials *m, const esdk_edk_list *edks)
{
    (void)m;
    (void)edks;
    (*(int *)st)++;
    return ESDK_ERR_CANNOT_DECRYPT;
}

/* spec: format-header-4, limits-edk-1, keyring-multi-3 */
static void test_edk_limit_before_any_keyring(void **state)
{
    (void)state;
    static int calls;
    static const esdk_keyring_vtable vt = {
        sizeof vt, "two", two_edks_on_encrypt, counting_on_decrypt, NULL};
    esdk_keyring *two, *aes = test_raw_aes_keyring(52);
    assert_int_equal(esdk_keyring_new(&vt, &calls, &two), 0);
    counting_state *cs;
    esdk_keyring *counted = test_counting_keyring(esdk_keyring_retain(aes), &cs);
    assert_non_null(counted);
    /* a multi-keyring whose generator writes two EDKs and whose child writes a third */
    esdk_keyring *multi;
    assert_int_equal(esdk_keyring_multi_new(two, &counted, 1, &multi), 0);
    esdk_options *o = options_for(0x0478, 4096);
    esdk_buf ct = ESDK_BUF_INIT, pt = ESDK_BUF_INIT;
    assert_int_equal(esdk_options_set_max_encrypted_data_keys(o, 2), 0);
    assert_int_equal(
        esdk_encrypt(o, NULL, multi, NULL, (const uint8_t *)"hi", 2, &ct), ESDK_ERR_TOO_MANY_EDKS);
    assert_int_equal(ct.len, 0);
    assert_int_equal(esdk_options_set_max_encrypted_data_keys(o, 3), 0);
    assert_int_equal(esdk_encrypt(o, NULL, multi, NULL, (const uint8_t *)"hi", 2, &ct), 0);
    /* decrypt under a limit of 2: refused before the generator or the child is called */
    calls = 0;
    atomic_store(&cs->decrypt_calls, 0);
    assert_int_equal(esdk_options_set_max_encrypted_data_keys(o, 2), 0);
    size_t base = measure_start();
    assert_int_equal(
        esdk_decrypt(o, NULL, multi, NULL, ct.data, ct.len, &pt, NULL), ESDK_ERR_TOO_MANY_EDKS);
    assert_true(peak - base < 64 * 1024);
    assert_int_equal(calls, 0);
    assert_int_equal(atomic_load(&cs->decrypt_calls), 0);
    /* at the limit, the generator fails and the child opens its EDK */
    assert_int_equal(esdk_options_set_max_encrypted_data_keys(o, 3), 0);
    assert_int_equal(esdk_decrypt(o, NULL, multi, NULL, ct.data, ct.len, &pt, NULL), 0);
    assert_int_equal(calls, 1);
    assert_int_equal(atomic_load(&cs->decrypt_calls), 1);
    assert_memory_equal(pt.data, "hi", 2);
    esdk_buf_release(&pt);
    /* an EDK count of 65535 under a limit: refused before any EDK is read or allocated */
    uint8_t h[64];
    size_t n = v2_prefix(h);
    h[n++] = 0;
    h[n++] = 0;
    h[n++] = 0xFF;
    h[n++] = 0xFF;
    expect_bounded(multi, o, h, n, ESDK_ERR_TOO_MANY_EDKS, 64 * 1024);
    assert_int_equal(calls, 1);
    esdk_options_release(o);
    esdk_buf_release(&ct);
    esdk_keyring_release(multi);
    esdk_keyring_release(counted);
    esdk_keyring_release(two);
    esdk_keyring_release(aes);
}

/* Feed msg one byte per call; the number of bytes the session took before it failed. */
static int one_byte_at_a_time(
    esdk_keyring *kr, const esdk_options *o, const uint8_t *msg, size_t len, size_t *taken)
{
    esdk_session *s;
    uint8_t out[64];
    int rc = esdk_session_new_with_keyring(ESDK_MODE_DECRYPT, o, kr, &s);
    *taken = 0;
    while (rc == 0 && *taken < len && !esdk_session_is_done(s)) {
        size_t produced, used;
        rc = esdk_session_process(s, out, sizeof out, &produced, msg + *taken, 1, &used);
        *taken += rc ? 0 : used;
        if (rc == 0 && used == 0 && produced == 0) {
            rc = -1000; /* stalled with a byte on offer */
        }
    }
    esdk_session_release(s);
    return rc;
}

/* spec: format-header-7, limits-alloc-1 */
static void test_header_limit_byte_by_byte(void **state)
{
    (void)state;
    esdk_keyring *kr = test_raw_aes_keyring(53);
    esdk_options *o = options_for(0x0478, 4096);
    esdk_enc_ctx *c;
    assert_int_equal(esdk_enc_ctx_new(&c), 0);
    static char big[5000];
    memset(big, 'v', sizeof big - 1);
    assert_int_equal(esdk_enc_ctx_set_str(c, "k", big), 0);
    esdk_buf ct = ESDK_BUF_INIT;
    assert_int_equal(esdk_encrypt(o, NULL, kr, c, (const uint8_t *)"pt", 2, &ct), 0);
    const size_t hl = header_len_v2(ct.data);
    assert_true(hl > 5000);
    /* whole: accepted under a limit of exactly its header size, byte by byte too */
    size_t taken;
    assert_int_equal(esdk_options_set_max_header_size(o, hl), 0);
    assert_int_equal(one_byte_at_a_time(kr, o, ct.data, ct.len, &taken), 0);
    assert_int_equal(taken, ct.len);
    /* one byte less: refused, having taken no more than the limit (plus the byte that showed
     * it was exceeded), and having buffered no more than about that */
    static const size_t limits[] = {100, 1000, 4096};
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(esdk_options_set_max_header_size(o, limits[i]), 0);
        size_t base = measure_start();
        assert_int_equal(
            one_byte_at_a_time(kr, o, ct.data, ct.len, &taken), ESDK_ERR_LIMIT_EXCEEDED);
        assert_true(taken <= limits[i] + 1);
        assert_true(peak - base < 4 * limits[i] + 8192);
        esdk_buf pt = ESDK_BUF_INIT;
        assert_int_equal(
            esdk_decrypt(o, NULL, kr, NULL, ct.data, ct.len, &pt, NULL), ESDK_ERR_LIMIT_EXCEEDED);
    }
    assert_int_equal(esdk_options_set_max_header_size(o, hl - 1), 0);
    assert_int_equal(one_byte_at_a_time(kr, o, ct.data, ct.len, &taken), ESDK_ERR_LIMIT_EXCEEDED);
    assert_true(taken <= hl);
    esdk_buf_release(&ct);
    esdk_enc_ctx_release(c);
    esdk_options_release(o);
    esdk_keyring_release(kr);
}

int main(void)
{
    /* before any object exists: every allocation of the library is counted */
    esdk_set_allocator(&counting);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_huge_counts_in_the_header),
        cmocka_unit_test(test_huge_frame_lengths),
        cmocka_unit_test(test_edk_limit_before_any_keyring),
        cmocka_unit_test(test_header_limit_byte_by_byte),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    esdk_set_allocator(NULL);
    return failed;
}
