/* Frames on worker threads (source/session/parallel.c, pool.c): the same bytes as one frame
 * at a time for every kind of suite, frame length, message length and buffer size; decrypt
 * of a tampered middle frame fails with nothing of that frame released; the final-frame
 * hold for signed suites; the threads option; every AES-GCM implementation (libsodium and
 * our AVX-512 code share one key between threads, mbedTLS gets a clone per thread).
 *
 * Byte identity: a fixed-key keyring behind a caching CMM gives both encryptions the same
 * data key, EDK and (signed suites) signing key, and a test hook fixes the message id; frame
 * IVs come from sequence numbers. Only the ECDSA signature (random k) differs, so for signed
 * suites the last 103 bytes are compared by verifying both instead. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <aws-esdk-c/allocator.h>

#include "crypto/aead.h"
#include "session/session.h"
#include "support/test_support.h"

#define SIG_LEN_P384 103

static const uint16_t suites[] = {0x0014, 0x0146, 0x0178, 0x0378, 0x0478, 0x0578};
#define N_SUITES (sizeof suites / sizeof suites[0])

static esdk_options *options_for(uint16_t suite, uint32_t frame, unsigned threads)
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
    assert_int_equal(esdk_options_set_threads(o, threads), 0);
    return o;
}

/* A growable output. */
typedef struct out_buf {
    uint8_t *data;
    size_t len, cap;
} out_buf;

static void out_room(out_buf *b, size_t n)
{
    if (b->cap - b->len < n) {
        b->cap = 2 * b->cap + n;
        b->data = realloc(b->data, b->cap);
        assert_non_null(b->data);
    }
}

/* Push in through s, in_chunk bytes in and out_chunk bytes of room per call. Returns the
 * first error (out then holds what was released before it). */
static int
run(esdk_session *s, const uint8_t *in, size_t n, size_t in_chunk, size_t out_chunk, out_buf *out)
{
    size_t off = 0;
    int idle = 0;
    bool ended = false;
    while (!esdk_session_is_done(s)) {
        const size_t give = n - off < in_chunk ? n - off : in_chunk;
        size_t produced = 0, used = 0;
        if (off == n && !ended) {
            assert_int_equal(esdk_session_end_input(s), 0);
            ended = true;
        }
        out_room(out, out_chunk);
        int rc = esdk_session_process(
            s, out->data + out->len, out_chunk, &produced, in + off, give, &used);
        if (rc) {
            return rc;
        }
        out->len += produced;
        off += used;
        idle = (produced == 0 && used == 0 && ended) ? idle + 1 : 0;
        if (idle > 3) {
            return ESDK_ERR_TRUNCATED;
        }
    }
    return off == n ? 0 : ESDK_ERR_TRAILING_DATA;
}

static size_t message_id_len(uint16_t suite)
{
    return esdk_suite_is_committing(suite) ? 32 : 16;
}

static void encrypt_with(
    esdk_cmm *cmm,
    uint16_t suite,
    uint32_t frame,
    unsigned threads,
    const uint8_t *pt,
    size_t n,
    size_t in_chunk,
    size_t out_chunk,
    out_buf *out)
{
    static const uint8_t id[32] = {0x11, 0x22, 0x33, 0x44, 5,  6,  7,  8,  9,  10, 11,
                                   12,   13,   14,   15,   16, 17, 18, 19, 20, 21, 22,
                                   23,   24,   25,   26,   27, 28, 29, 30, 31, 32};
    esdk_options *o = options_for(suite, frame, threads);
    esdk_session *s = NULL;
    assert_int_equal(esdk_session_new(ESDK_MODE_ENCRYPT, o, cmm, &s), 0);
    assert_int_equal(esdk_session_fix_message_id(s, id, message_id_len(suite)), 0);
    assert_int_equal(esdk_session_set_plaintext_length(s, n), 0);
    assert_int_equal(run(s, pt, n, in_chunk, out_chunk, out), 0);
    esdk_session_release(s);
    esdk_options_release(o);
}

static int decrypt_with(
    esdk_cmm *cmm,
    uint16_t suite,
    unsigned threads,
    const out_buf *msg,
    size_t in_chunk,
    size_t out_chunk,
    out_buf *out)
{
    esdk_options *o = options_for(suite, 4096, threads);
    esdk_session *s = NULL;
    assert_int_equal(esdk_session_new(ESDK_MODE_DECRYPT, o, cmm, &s), 0);
    int rc = run(s, msg->data, msg->len, in_chunk, out_chunk, out);
    esdk_session_release(s);
    esdk_options_release(o);
    return rc;
}

static esdk_cmm *fixed_cmm(void)
{
    static const uint8_t key[32] = {9, 8, 7, 6, 5, 4, 3, 2, 1};
    esdk_keyring *kr = test_fixed_keyring(key, NULL);
    esdk_cache *cache = NULL;
    esdk_cmm *cmm = NULL;
    assert_non_null(kr);
    assert_int_equal(esdk_cache_local_new(16, &cache), 0);
    assert_int_equal(esdk_cmm_caching_new(NULL, kr, cache, 600000, &cmm), 0);
    esdk_cache_release(cache);
    esdk_keyring_release(kr);
    return cmm;
}

/* Serial and parallel encryptions are the same bytes, and each decrypts on either path. */
static void check_case(esdk_cmm *cmm, uint16_t suite, uint32_t frame, size_t n)
{
    uint8_t *pt = malloc(n + 1);
    assert_non_null(pt);
    test_fill(pt, n, (uint32_t)(n * 7 + frame));
    const size_t whole = n + (n / frame + 2) * 40 + 8192;
    /* one frame at a time, through small buffers (the staging paths) */
    out_buf serial = {0}, par = {0}, chunked = {0}, automatic = {0};
    encrypt_with(cmm, suite, frame, 1, pt, n, frame / 2 + 1, 100, &serial);
    /* everything at once: one batch of all whole frames */
    encrypt_with(cmm, suite, frame, 4, pt, n, n + 1, whole, &par);
    /* batches mixed with staged frames: odd buffer sizes on both sides */
    encrypt_with(cmm, suite, frame, 3, pt, n, 5 * frame + 3, 3 * (frame + 32) + 7, &chunked);
    /* the default setting (threads only past ESDK_PARALLEL_MIN_MESSAGE) */
    encrypt_with(cmm, suite, frame, 0, pt, n, n + 1, whole, &automatic);
    assert_int_equal(serial.len, par.len);
    assert_int_equal(serial.len, chunked.len);
    assert_int_equal(serial.len, automatic.len);
    const size_t same = esdk_suite_is_signed(suite) ? serial.len - SIG_LEN_P384 : serial.len;
    assert_memory_equal(serial.data, par.data, same);
    assert_memory_equal(serial.data, chunked.data, same);
    assert_memory_equal(serial.data, automatic.data, same);

    const out_buf *msgs[] = {&serial, &par};
    for (int m = 0; m < 2; m++) {
        out_buf a = {0}, b = {0};
        assert_int_equal(decrypt_with(cmm, suite, 1, msgs[m], 997, 1500, &a), 0);
        assert_int_equal(decrypt_with(cmm, suite, 4, msgs[m], msgs[m]->len, n + 64, &b), 0);
        assert_int_equal(a.len, n);
        assert_int_equal(b.len, n);
        if (n) {
            assert_memory_equal(a.data, pt, n);
            assert_memory_equal(b.data, pt, n);
        }
        out_buf c = {0}, d = {0};
        assert_int_equal(
            decrypt_with(cmm, suite, 2, msgs[m], 9 * (frame + 32) + 1, 4 * frame + 3, &c), 0);
        assert_int_equal(decrypt_with(cmm, suite, 0, msgs[m], msgs[m]->len, n + 64, &d), 0);
        assert_int_equal(c.len, n);
        assert_int_equal(d.len, n);
        if (n) {
            assert_memory_equal(c.data, pt, n);
            assert_memory_equal(d.data, pt, n);
        }
        free(a.data);
        free(b.data);
        free(c.data);
        free(d.data);
    }
    free(serial.data);
    free(par.data);
    free(chunked.data);
    free(automatic.data);
    free(pt);
}

static void test_same_bytes(void **state)
{
    (void)state;
    esdk_cmm *cmm = fixed_cmm();
    static const uint32_t frames[] = {1, 7, 4096};
    for (size_t si = 0; si < N_SUITES; si++) {
        for (size_t fi = 0; fi < 3; fi++) {
            const size_t f = frames[fi];
            const size_t sizes[] = {0, 1, f - 1, f, f + 1, 3 * f, 50 * f + 5};
            for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
                check_case(cmm, suites[si], frames[fi], sizes[k]);
            }
        }
    }
    /* large batches, and the automatic setting on a message past its threshold */
    check_case(cmm, 0x0478, 65536, ESDK_PARALLEL_MIN_MESSAGE + 3 * 65536 + 17);
    check_case(cmm, 0x0578, 4096, 1024 * 1024 + 5);
    esdk_cmm_release(cmm);
}

/* Every AES-GCM implementation this CPU has, as the session's key (libsodium only for
 * AES-256; mbedTLS keys are cloned per thread). */
static void test_each_implementation(void **state)
{
    (void)state;
    static const esdk_aead_impl impls[] = {ESDK_AEAD_MBEDTLS, ESDK_AEAD_SODIUM, ESDK_AEAD_AVX512};
    const uint8_t key[32] = {1};
    esdk_cmm *cmm = fixed_cmm();
    for (size_t i = 0; i < 3; i++) {
        esdk_aead_key *k = NULL;
        if (esdk_aead_key_new_impl(key, 32, impls[i], &k) != 0) {
            continue; /* not on this CPU */
        }
        esdk_aead_key_release(k);
        esdk_aead_set_auto_impl(impls[i]);
        check_case(cmm, 0x0478, 4096, 40 * 4096 + 3);
        check_case(cmm, 0x0146, 512, 64 * 512);
        check_case(cmm, 0x0578, 1000, 30 * 1000 + 999);
        esdk_aead_set_auto_impl(ESDK_AEAD_AUTO);
    }
    esdk_cmm_release(cmm);
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

/* A flipped bit in frame 10 of 40: the batch fails, and none of frame 10's plaintext (nor,
 * in one call, anything of the batch) is handed out; in a stream, only frames before it. */
static void test_tampered_middle_frame(void **state)
{
    (void)state;
    esdk_cmm *cmm = fixed_cmm();
    const uint32_t frame = 4096;
    const size_t n = 40 * frame;
    uint8_t *pt = malloc(n);
    test_fill(pt, n, 77);
    for (size_t si = 0; si < N_SUITES; si++) {
        const uint16_t suite = suites[si];
        out_buf msg = {0};
        encrypt_with(cmm, suite, frame, 4, pt, n, n, 2 * n, &msg);
        /* the body starts after the header; frames are frame + 32 bytes apart from the end */
        const size_t footer = esdk_suite_is_signed(suite) ? 2 + SIG_LEN_P384 : 0;
        const size_t final = 4 + 4 + 12 + 4 + 0 + 16; /* empty final frame */
        const size_t body_end = msg.len - footer - final;
        const size_t frame10 = body_end - (40 - 10) * (frame + 32);
        const size_t spots[] = {frame10 + 16 + 100, frame10 + 16 + frame + 3, frame10 + 2};
        for (size_t t = 0; t < 3; t++) {
            msg.data[spots[t]] ^= 0x20;
            /* all at once: one batch, nothing released */
            esdk_options *o = options_for(suite, frame, 4);
            esdk_session *s = NULL;
            assert_int_equal(esdk_session_new(ESDK_MODE_DECRYPT, o, cmm, &s), 0);
            uint8_t *out = malloc(n + 64);
            memset(out, 0xEE, n + 64);
            size_t produced = 99, used = 99;
            int rc = esdk_session_process(s, out, n + 64, &produced, msg.data, msg.len, &used);
            assert_true(rc == ESDK_ERR_BAD_TAG || rc == ESDK_ERR_BAD_CIPHERTEXT);
            assert_int_equal(produced, 0);
            /* every byte the batch wrote is wiped; nothing past it was touched */
            for (size_t i = 0; i < n; i += frame) {
                assert_true(all_zero(out + i, frame) || out[i] == 0xEE);
            }
            assert_false(memcmp(out + 10 * frame, pt + 10 * frame, 64) == 0);
            esdk_session_release(s);
            free(out);

            /* streamed: frames before 10 may come out (they verified), frame 10 never */
            assert_int_equal(esdk_session_new(ESDK_MODE_DECRYPT, o, cmm, &s), 0);
            out_buf got = {0};
            rc = run(s, msg.data, msg.len, 3 * (frame + 32) + 5, 8 * frame, &got);
            assert_true(rc == ESDK_ERR_BAD_TAG || rc == ESDK_ERR_BAD_CIPHERTEXT);
            assert_true(got.len <= 10 * frame);
            if (got.len) {
                assert_memory_equal(got.data, pt, got.len);
            }
            free(got.data);
            esdk_session_release(s);
            esdk_options_release(o);
            msg.data[spots[t]] ^= 0x20;
        }
        free(msg.data);
    }
    free(pt);
    esdk_cmm_release(cmm);
}

/* Signed suites: the final frame waits for the signature even when the frames before it
 * went through a batch; a bad signature releases nothing of it. */
static void test_signed_hold(void **state)
{
    (void)state;
    esdk_cmm *cmm = fixed_cmm();
    const uint32_t frame = 1024;
    const size_t n = 30 * frame + 500;
    uint8_t *pt = malloc(n);
    test_fill(pt, n, 5);
    out_buf msg = {0};
    encrypt_with(cmm, 0x0578, frame, 4, pt, n, n, 2 * n, &msg);
    msg.data[msg.len - 1] ^= 1; /* the signature */
    esdk_options *o = options_for(0x0578, frame, 4);
    esdk_session *s = NULL;
    assert_int_equal(esdk_session_new(ESDK_MODE_DECRYPT, o, cmm, &s), 0);
    uint8_t *out = malloc(n);
    size_t produced = 0, used = 0;
    /* everything but the footer: the 30 whole frames come out (unverified), the last not */
    assert_int_equal(
        esdk_session_process(s, out, n, &produced, msg.data, msg.len - 2 - SIG_LEN_P384, &used), 0);
    assert_int_equal(produced, 30 * frame);
    assert_int_equal(esdk_session_unverified_bytes(s), 30 * frame);
    assert_memory_equal(out, pt, produced);
    size_t more = 0;
    assert_int_equal(
        esdk_session_process(s, out, n, &more, msg.data + used, msg.len - used, &used),
        ESDK_ERR_SIGNATURE_MISMATCH);
    assert_int_equal(more, 0);
    esdk_session_release(s);
    esdk_options_release(o);
    free(out);
    free(msg.data);
    free(pt);
    esdk_cmm_release(cmm);
}

static void test_threads_option(void **state)
{
    (void)state;
    esdk_options *o = NULL;
    assert_int_equal(esdk_options_new(&o), 0);
    assert_int_equal(esdk_options_threads(o), 0);
    assert_int_equal(esdk_options_set_threads(o, 3), 0);
    assert_int_equal(esdk_options_threads(o), 3);
    assert_int_equal(esdk_options_set_threads(o, ESDK_MAX_THREADS + 1), ESDK_ERR_BAD_ARGUMENT);
    assert_int_equal(esdk_options_threads(o), 3);
    assert_int_equal(esdk_options_set_threads(NULL, 1), ESDK_ERR_BAD_ARGUMENT);
    esdk_keyring *kr = test_raw_aes_keyring(1);
    esdk_session *s = NULL;
    assert_int_equal(esdk_session_new_with_keyring(ESDK_MODE_ENCRYPT, o, kr, &s), 0);
    assert_int_equal(esdk_session_set_threads(s, 1), 0);
    assert_int_equal(esdk_session_set_threads(s, 65), ESDK_ERR_BAD_ARGUMENT);
    assert_int_equal(esdk_session_set_threads(NULL, 1), ESDK_ERR_BAD_ARGUMENT);
    esdk_session_release(s);
    esdk_keyring_release(kr);
    esdk_options_release(o);
}

/* Threads set after some frames went through, and changed again: still the same bytes. */
static void test_threads_change_midway(void **state)
{
    (void)state;
    esdk_cmm *cmm = fixed_cmm();
    const uint32_t frame = 256;
    const size_t n = 200 * frame + 9;
    uint8_t *pt = malloc(n);
    test_fill(pt, n, 3);
    out_buf ref = {0}, got = {0};
    encrypt_with(cmm, 0x0478, frame, 1, pt, n, n, 2 * n, &ref);
    esdk_options *o = options_for(0x0478, frame, 2);
    esdk_session *s = NULL;
    assert_int_equal(esdk_session_new(ESDK_MODE_ENCRYPT, o, cmm, &s), 0);
    static const uint8_t id[32] = {0x11, 0x22, 0x33, 0x44, 5,  6,  7,  8,  9,  10, 11,
                                   12,   13,   14,   15,   16, 17, 18, 19, 20, 21, 22,
                                   23,   24,   25,   26,   27, 28, 29, 30, 31, 32};
    assert_int_equal(esdk_session_fix_message_id(s, id, 32), 0);
    assert_int_equal(esdk_session_set_plaintext_length(s, n), 0);
    const unsigned settings[] = {2, 4, 1, 3, 0};
    size_t off = 0;
    for (int i = 0; i < 5; i++) {
        assert_int_equal(esdk_session_set_threads(s, settings[i]), 0);
        const size_t give = i == 4 ? n - off : 37 * frame;
        size_t produced = 0, used = 0;
        out_room(&got, 2 * give + 4096);
        assert_int_equal(
            esdk_session_process(
                s, got.data + got.len, 2 * give + 4096, &produced, pt + off, give, &used),
            0);
        got.len += produced;
        off += used;
    }
    assert_true(esdk_session_is_done(s));
    assert_int_equal(got.len, ref.len);
    assert_memory_equal(got.data, ref.data, ref.len);
    esdk_session_release(s);
    esdk_options_release(o);
    free(ref.data);
    free(got.data);
    free(pt);
    esdk_cmm_release(cmm);
}

/* ---- no allocation per frame ---- */

static _Atomic long allocations;

static void *counting_acquire(void *ctx, size_t size)
{
    (void)ctx;
    allocations++;
    return malloc(size);
}

static void counting_release(void *ctx, void *ptr, size_t size)
{
    (void)ctx;
    (void)size;
    free(ptr);
}

/* Allocations for one encryption and one decryption of n bytes streamed through 64 KiB
 * buffers on both sides (frames staged across calls, output through the pending buffer). */
static long allocations_for(esdk_cmm *cmm, uint16_t suite, unsigned threads, size_t n)
{
    uint8_t *pt = malloc(n);
    test_fill(pt, n, 9);
    out_buf msg = {0}, back = {0};
    /* the buffers exist before counting starts */
    out_room(&msg, 2 * n + 65536);
    out_room(&back, 2 * n + 65536);
    const esdk_allocator counting = {counting_acquire, counting_release, NULL};
    esdk_set_allocator(&counting);
    allocations = 0;
    encrypt_with(cmm, suite, 1000, threads, pt, n, 65536, 65536, &msg);
    assert_int_equal(decrypt_with(cmm, suite, threads, &msg, 65536, 65536, &back), 0);
    const long count = allocations;
    esdk_set_allocator(NULL);
    assert_int_equal(back.len, n);
    assert_memory_equal(back.data, pt, n);
    free(msg.data);
    free(back.data);
    free(pt);
    return count;
}

/* A message of 3000 frames costs the allocations of a message of 300: none per frame (the
 * staging buffers reach their size, at most a frame, early on). */
static void test_no_allocation_per_frame(void **state)
{
    (void)state;
    esdk_cmm *cmm = fixed_cmm();
    static const uint16_t ids[] = {0x0478, 0x0578, 0x0146};
    for (size_t i = 0; i < 3; i++) {
        for (unsigned threads = 1; threads <= 3; threads += 2) {
            (void)allocations_for(cmm, ids[i], threads, 20 * 1000); /* the cache fills */
            const long few = allocations_for(cmm, ids[i], threads, 300 * 1000 + 7);
            const long many = allocations_for(cmm, ids[i], threads, 3000 * 1000 + 7);
            if (few != many) {
                fail_msg(
                    "suite 0x%04x, %u threads: %ld allocations for 300 frames, %ld for 3000",
                    ids[i],
                    threads,
                    few,
                    many);
            }
        }
    }
    esdk_cmm_release(cmm);
}

/* 200000 one-byte frames in one call, every thread setting: deciding whether to batch looks
 * at each frame a bounded number of times (this once took quadratic time). */
static void test_many_tiny_frames(void **state)
{
    (void)state;
    esdk_cmm *cmm = fixed_cmm();
    const size_t n = 200000;
    uint8_t *pt = malloc(n);
    test_fill(pt, n, 4);
    static const unsigned settings[] = {0, 1, 2};
    for (size_t i = 0; i < 3; i++) {
        out_buf msg = {0}, back = {0};
        encrypt_with(cmm, 0x0478, 1, settings[i], pt, n, n, 40 * n, &msg);
        assert_int_equal(decrypt_with(cmm, 0x0478, settings[i], &msg, msg.len, n, &back), 0);
        assert_int_equal(back.len, n);
        assert_memory_equal(back.data, pt, n);
        free(msg.data);
        free(back.data);
    }
    free(pt);
    esdk_cmm_release(cmm);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_bytes),
        cmocka_unit_test(test_each_implementation),
        cmocka_unit_test(test_tampered_middle_frame),
        cmocka_unit_test(test_signed_hold),
        cmocka_unit_test(test_threads_option),
        cmocka_unit_test(test_threads_change_midway),
        cmocka_unit_test(test_no_allocation_per_frame),
        cmocka_unit_test(test_many_tiny_frames),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
