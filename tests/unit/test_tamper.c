/* Tamper corpus: for a message of every suite (framed, four frames) and unframed messages,
 * every single-bit flip in the header, the first frame, the last frame and the footer; every
 * truncation; trailing bytes. Each must fail with an error of the class the tampered field
 * belongs to, and the streaming API (small output chunks) must release exactly the plaintext
 * of the frames before the tampered one, never a frame that did not verify, and for signed
 * suites never the final frame. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "support/test_support.h"

static const uint16_t all_suites[] = {
    0x0014, 0x0046, 0x0078, 0x0114, 0x0146, 0x0178, 0x0214, 0x0346, 0x0378, 0x0478, 0x0578};
#define N_SUITES (sizeof all_suites / sizeof all_suites[0])

#define FRAME     64u                /* frame length of the framed messages */
#define PT_FRAMED (3u * FRAME + 20u) /* three regular frames and a final frame of 20 bytes */
#define PT_SINGLE 100u               /* plaintext of the unframed messages */
#define OUT_CHUNK 7u                 /* output space per process call: smaller than a frame */

/* ESDK_TEST_QUICK=1 (scripts/ci-hardening.sh sets it for the valgrind pass, where every
 * decrypt costs fifty times more): one bit per byte instead of eight, every fifth truncation,
 * and only the drain-first driver.
 * The full corpus runs everywhere else (ctest, the sanitizer build). */
static bool quick(void)
{
    const char *v = getenv("ESDK_TEST_QUICK");
    return v && v[0] && strcmp(v, "0") != 0;
}

/* Error classes as bit sets over the (negative) codes. */
#define C(code) (UINT64_C(1) << (unsigned)(-(code)))
#define BAD_CT  C(ESDK_ERR_BAD_CIPHERTEXT)
#define TAG     C(ESDK_ERR_BAD_TAG)
#define COMMIT  C(ESDK_ERR_COMMITMENT_MISMATCH)
#define NOKEY   C(ESDK_ERR_CANNOT_DECRYPT)
#define TRUNC   C(ESDK_ERR_TRUNCATED)
#define SIG     C(ESDK_ERR_SIGNATURE_MISMATCH)
#define LIMIT   C(ESDK_ERR_LIMIT_EXCEEDED)
/* A length or count field of the header: a changed length moves every later field, so the
 * header may then be malformed, end beyond the message, or parse into other field values. */
#define HDR_LENGTH (BAD_CT | TRUNC | TAG | COMMIT | NOKEY | LIMIT | C(ESDK_ERR_TOO_MANY_EDKS))

/* A run of bytes whose single-bit flips must fail with one of the allowed codes. */
typedef struct region {
    const char *name;
    size_t start;
    size_t len;
    uint64_t allowed;
    size_t released; /* plaintext the streaming API may release (exactly) */
    bool sample;     /* flip one bit per byte (rotating) instead of all eight */
} region;

#define MAX_REGIONS 64

typedef struct layout {
    region r[MAX_REGIONS];
    size_t n;
    size_t header_len;
} layout;

typedef struct message {
    uint16_t suite;
    uint32_t frame; /* 0: unframed */
    esdk_buf ct;
    uint8_t *pt;
    size_t pt_len;
} message;

static void add(layout *l, const char *name, size_t start, size_t len, uint64_t allowed)
{
    assert_true(l->n < MAX_REGIONS);
    l->r[l->n++] = (region){name, start, len, allowed, 0, false};
}

static uint16_t be16(const uint8_t *p)
{
    return (uint16_t)((p[0] << 8) | p[1]);
}

/* The header's fields, walked from the bytes (spec-facts 1.1-1.5). */
static void map_header(const uint8_t *m, size_t len, layout *l)
{
    size_t off = 0;
    const int version = m[0];
    add(l, "version", off++, 1, BAD_CT);
    if (version == 1) {
        add(l, "type", off++, 1, BAD_CT);
    }
    /* another suite: a different key length (no EDK matches), derivation (tag, commitment)
     * or signing rule (the public-key pair in the context) */
    add(l, "suite id", off, 2, BAD_CT | NOKEY | TAG | COMMIT);
    off += 2;
    const size_t id_len = version == 1 ? 16 : 32;
    add(l, "message id", off, id_len, version == 1 ? TAG : COMMIT);
    off += id_len;
    const size_t aad_len = be16(m + off);
    add(l, "context length", off, 2, HDR_LENGTH);
    off += 2;
    if (aad_len) {
        const size_t pairs = be16(m + off);
        add(l, "context count", off, 2, HDR_LENGTH);
        off += 2;
        for (size_t i = 0; i < pairs; i++) {
            for (int kv = 0; kv < 2; kv++) {
                const size_t n = be16(m + off);
                add(l, kv ? "context value length" : "context key length", off, 2, HDR_LENGTH);
                /* bad UTF-8, duplicate, or a context that no longer opens the EDK (it is the
                 * raw AES keyring's AAD), or a public key that is no point */
                add(l, kv ? "context value" : "context key", off + 2, n, BAD_CT | NOKEY);
                off += 2 + n;
            }
        }
    }
    const size_t edks = be16(m + off);
    add(l, "EDK count", off, 2, HDR_LENGTH);
    off += 2;
    for (size_t i = 0; i < edks; i++) {
        static const char *const names[3] = {
            "EDK provider id", "EDK provider info", "EDK ciphertext"};
        for (int f = 0; f < 3; f++) {
            const size_t n = be16(m + off);
            add(l, "EDK field length", off, 2, HDR_LENGTH);
            add(l, names[f], off + 2, n, NOKEY);
            off += 2 + n;
        }
    }
    add(l, "content type", off++, 1, BAD_CT);
    if (version == 1) {
        add(l, "reserved", off, 4, BAD_CT);
        off += 4;
        add(l, "IV length", off++, 1, BAD_CT);
    }
    add(l, "frame length", off, 4, BAD_CT | TAG);
    off += 4;
    if (version == 2) {
        add(l, "commit key", off, 32, COMMIT);
        off += 32;
    } else {
        add(l, "header IV", off, 12, TAG);
        off += 12;
    }
    add(l, "header tag", off, 16, TAG);
    off += 16;
    assert_true(off < len);
    l->header_len = off;
}

/* The body and footer regions to tamper with: the first and the last frame, and the footer. */
static void map_body(const message *msg, layout *l)
{
    const uint8_t *m = msg->ct.data;
    const bool signed_suite = esdk_suite_is_signed(msg->suite);
    size_t off = l->header_len;
    size_t before_last = 0; /* plaintext of the frames before the last one */
    if (msg->frame) {
        const size_t regular = 4 + 12 + msg->frame + 16;
        const size_t n_regular = msg->pt_len / msg->frame;
        /* frame 1 */
        add(l, "frame 1 sequence number", off, 4, BAD_CT);
        add(l, "frame 1 IV", off + 4, 12, TAG);
        add(l, "frame 1 content and tag", off + 16, msg->frame + 16, TAG);
        off += n_regular * regular;
        before_last = n_regular * msg->frame;
        /* the final frame */
        const size_t first = l->n;
        add(l, "final frame marker", off, 4, BAD_CT);
        add(l, "final frame sequence number", off + 4, 4, BAD_CT);
        add(l, "final frame IV", off + 8, 12, TAG);
        /* shorter: the tag fails; longer than the frame length: malformed; longer but within
         * it: the frame runs into the footer (tag) or past the end (truncated) */
        add(l, "final frame content length", off + 20, 4, TAG | BAD_CT | TRUNC);
        const size_t final_len = (size_t)be16(m + off + 22);
        add(l, "final frame content and tag", off + 24, final_len + 16, TAG);
        for (size_t i = first; i < l->n; i++) {
            l->r[i].released = before_last;
        }
        off += 24 + final_len + 16;
    } else {
        add(l, "single block IV", off, 12, TAG);
        add(l, "single block content length", off + 12, 8, TAG | BAD_CT | TRUNC | LIMIT);
        add(l, "single block content", off + 20, msg->pt_len, TAG);
        l->r[l->n - 1].sample = true;
        add(l, "single block tag", off + 20 + msg->pt_len, 16, TAG);
        off += 20 + msg->pt_len + 16;
    }
    if (signed_suite) {
        const size_t sig_len = be16(m + off);
        const size_t first = l->n;
        add(l, "footer signature length", off, 2, SIG | TRUNC);
        add(l, "footer signature (DER header)", off + 2, 8, SIG);
        add(l, "footer signature (r, s)", off + 10, sig_len - 8, SIG);
        l->r[l->n - 1].sample = true;
        /* every frame verified; the final frame waits for the signature and never leaves */
        for (size_t i = first; i < l->n; i++) {
            l->r[i].released = before_last;
        }
        off += 2 + sig_len;
    }
    assert_int_equal(off, msg->ct.len);
}

static esdk_options *options_for(uint16_t suite)
{
    esdk_options *o;
    assert_int_equal(esdk_options_new(&o), 0);
    assert_int_equal(
        esdk_options_set_commitment_policy(
            o,
            esdk_suite_is_committing(suite) ? ESDK_COMMITMENT_REQUIRE_ENCRYPT_REQUIRE_DECRYPT
                                            : ESDK_COMMITMENT_FORBID_ENCRYPT_ALLOW_DECRYPT),
        0);
    return o;
}

static void make_message(esdk_keyring *kr, uint16_t suite, uint32_t frame, size_t n, message *msg)
{
    memset(msg, 0, sizeof *msg);
    msg->suite = suite;
    msg->frame = frame;
    msg->pt = malloc(n);
    msg->pt_len = n;
    test_fill(msg->pt, n, suite);
    esdk_options *o = options_for(suite);
    assert_int_equal(esdk_options_set_suite(o, suite), 0);
    assert_int_equal(esdk_options_set_frame_length(o, frame), 0);
    esdk_enc_ctx *c;
    assert_int_equal(esdk_enc_ctx_new(&c), 0);
    assert_int_equal(esdk_enc_ctx_set_str(c, "purpose", "tamper test"), 0);
    assert_int_equal(esdk_enc_ctx_set_str(c, "caf\xc3\xa9", "\xe6\x97\xa5\xe6\x9c\xac"), 0);
    assert_int_equal(esdk_encrypt(o, NULL, kr, c, msg->pt, n, &msg->ct), 0);
    esdk_enc_ctx_release(c);
    esdk_options_release(o);
}

static void free_message(message *msg)
{
    esdk_buf_release(&msg->ct);
    free(msg->pt);
}

typedef struct outcome {
    int rc;
    size_t released;
} outcome;

/* How the input is offered to the session. */
typedef enum drive {
    /* all remaining input on every call (the session takes what it can) */
    EAGER,
    /* no new input while output is pending: a call that hands out the last bytes of one
     * frame never goes on to read the next, so a failure there cannot withdraw them */
    DRAIN_FIRST,
} drive;

/*
 * Decrypt through a session with OUT_CHUNK bytes of output space per call: the input in two
 * pieces (split bytes, then the rest), esdk_session_end_input once all input was taken. Every
 * released byte must be the plaintext's next byte; a failing call reports no output, and the
 * session stays failed.
 */
static outcome stream_decrypt(
    esdk_keyring *kr,
    const esdk_options *o,
    drive mode,
    const uint8_t *in,
    size_t len,
    size_t split,
    const message *msg)
{
    esdk_session *s;
    outcome r = {0, 0};
    uint8_t out[OUT_CHUNK];
    size_t off = 0;
    bool ended = false, draining = false;
    int idle = 0;
    assert_int_equal(esdk_session_new_with_keyring(ESDK_MODE_DECRYPT, o, kr, &s), 0);
    while (r.rc == 0 && (!esdk_session_is_done(s) || off < len)) {
        size_t avail = (off < split ? split : len) - off;
        if (draining) {
            avail = 0;
        } else if (off == len && !ended) {
            assert_int_equal(esdk_session_end_input(s), 0);
            ended = true;
        }
        size_t produced = 99, used = 99;
        r.rc = esdk_session_process(s, out, sizeof out, &produced, in + off, avail, &used);
        if (r.rc) {
            assert_int_equal(produced, 0);
            assert_int_equal(used, 0);
            break;
        }
        assert_true(r.released + produced <= msg->pt_len);
        assert_memory_equal(out, msg->pt + r.released, produced);
        r.released += produced;
        off += used;
        draining = mode == DRAIN_FIRST && produced > 0;
        idle = (produced || used) ? 0 : idle + 1;
        assert_true(idle < 4); /* with the input ended, the session must finish or fail */
    }
    if (r.rc) {
        /* spec: stream-3 */
        size_t produced = 99, used = 99;
        assert_int_equal(esdk_session_process(s, out, sizeof out, &produced, in, len, &used), r.rc);
        assert_int_equal(produced, 0);
    }
    esdk_session_release(s);
    return r;
}

/* DRAIN_FIRST: exactly the plaintext of the frames before the tampered one. EAGER: the call
 * that fails withdraws what it wrote, which may include the last verified bytes it flushed
 * (less than one output chunk); never more than the frames before. */
static bool released_ok(drive mode, size_t got, size_t want)
{
    return mode == DRAIN_FIRST ? got == want : got <= want && got + OUT_CHUNK > want;
}

static void
expect(const message *msg, const region *reg, size_t byte, int bit, drive mode, outcome got)
{
    if (got.rc < 0 && got.rc > -64 && (reg->allowed & C(got.rc)) &&
        released_ok(mode, got.released, reg->released)) {
        return;
    }
    fail_msg(
        "suite 0x%04x %s: flip of bit %d of byte %zu (%s, +%zu) gave %s and released %zu bytes "
        "(expected %zu, %s)",
        msg->suite,
        msg->frame ? "framed" : "unframed",
        bit,
        byte,
        reg->name,
        byte - reg->start,
        esdk_error_name(got.rc),
        got.released,
        reg->released,
        mode == EAGER ? "eager" : "drain first");
}

/* spec: stream-4, stream-2, format-header-8, format-body-1, format-body-2, format-body-3 */
/* spec: format-footer-1, suite-2, keyring-raw-aes-2 */
static void flip_all(esdk_keyring *kr, message *msg)
{
    layout l;
    memset(&l, 0, sizeof l);
    map_header(msg->ct.data, msg->ct.len, &l);
    map_body(msg, &l);
    /* the header map covers every header byte exactly once */
    size_t covered = 0;
    for (size_t i = 0; i < l.n && l.r[i].start < l.header_len; i++) {
        assert_int_equal(l.r[i].start, covered);
        covered += l.r[i].len;
    }
    assert_int_equal(covered, l.header_len);
    esdk_options *o = options_for(msg->suite);
    uint8_t *m = msg->ct.data;
    for (size_t ri = 0; ri < l.n; ri++) {
        const region *reg = &l.r[ri];
        for (size_t i = reg->start; i < reg->start + reg->len; i++) {
            for (int b = 0; b < 8; b++) {
                if ((reg->sample || quick()) && b != (int)(i % 8)) {
                    continue;
                }
                m[i] ^= (uint8_t)(1u << b);
                for (int mode = quick() ? DRAIN_FIRST : EAGER; mode <= DRAIN_FIRST; mode++) {
                    outcome got = stream_decrypt(kr, o, mode, m, msg->ct.len, msg->ct.len, msg);
                    expect(msg, reg, i, b, mode, got);
                }
                m[i] ^= (uint8_t)(1u << b);
            }
        }
    }
    /* untouched, it decrypts whole */
    outcome ok = stream_decrypt(kr, o, EAGER, m, msg->ct.len, msg->ct.len, msg);
    assert_int_equal(ok.rc, 0);
    assert_int_equal(ok.released, msg->pt_len);
    esdk_options_release(o);
}

/* Plaintext a truncated message may release: whole regular frames (never the final frame or
 * a single block, which end the message or wait for the signature). */
static size_t releasable(const message *msg, size_t header_len, size_t cut)
{
    if (!msg->frame || cut < header_len) {
        return 0;
    }
    const size_t regular = 4 + 12 + msg->frame + 16;
    size_t frames = (cut - header_len) / regular;
    const size_t n_regular = msg->pt_len / msg->frame;
    frames = frames < n_regular ? frames : n_regular;
    return frames * msg->frame;
}

/* spec: format-body-5, format-body-4, oneshot-1, stream-2 */
static void truncate_and_extend(esdk_keyring *kr, message *msg)
{
    layout l;
    memset(&l, 0, sizeof l);
    map_header(msg->ct.data, msg->ct.len, &l);
    esdk_options *o = options_for(msg->suite);
    for (size_t cut = 0; cut < msg->ct.len; cut += quick() ? 5 : 1) {
        const size_t want = releasable(msg, l.header_len, cut);
        for (int mode = quick() ? DRAIN_FIRST : EAGER; mode <= DRAIN_FIRST; mode++) {
            outcome got = stream_decrypt(kr, o, mode, msg->ct.data, cut, cut, msg);
            if (got.rc != ESDK_ERR_TRUNCATED || !released_ok(mode, got.released, want)) {
                fail_msg(
                    "suite 0x%04x %s cut at %zu of %zu: %s, released %zu (expected %zu, %s)",
                    msg->suite,
                    msg->frame ? "framed" : "unframed",
                    cut,
                    msg->ct.len,
                    esdk_error_name(got.rc),
                    got.released,
                    want,
                    mode == EAGER ? "eager" : "drain first");
            }
        }
        esdk_buf pt = ESDK_BUF_INIT;
        assert_true(esdk_decrypt(o, NULL, kr, NULL, msg->ct.data, cut, &pt, NULL) < 0);
        assert_int_equal(pt.len, 0);
        esdk_buf_release(&pt);
    }
    /* trailing bytes: one zero byte, one 0xFF, a second copy of the message */
    const size_t extra_lens[] = {1, 1, msg->ct.len};
    for (size_t k = 0; k < 3; k++) {
        const size_t n = msg->ct.len + extra_lens[k];
        uint8_t *longer = malloc(n);
        memcpy(longer, msg->ct.data, msg->ct.len);
        if (k < 2) {
            longer[msg->ct.len] = k ? 0xFF : 0x00;
        } else {
            memcpy(longer + msg->ct.len, msg->ct.data, msg->ct.len);
        }
        /* the extra bytes in the same piece as the end of the message, then in a piece of
         * their own (the message verified and was released; the extra bytes still fail) */
        for (int mode = quick() ? DRAIN_FIRST : EAGER; mode <= DRAIN_FIRST; mode++) {
            outcome together = stream_decrypt(kr, o, mode, longer, n, n, msg);
            assert_int_equal(together.rc, ESDK_ERR_TRAILING_DATA);
            outcome apart = stream_decrypt(kr, o, mode, longer, n, msg->ct.len, msg);
            assert_int_equal(apart.rc, ESDK_ERR_TRAILING_DATA);
            assert_true(released_ok(mode, apart.released, msg->pt_len));
        }
        esdk_buf pt = ESDK_BUF_INIT;
        assert_int_equal(
            esdk_decrypt(o, NULL, kr, NULL, longer, n, &pt, NULL), ESDK_ERR_TRAILING_DATA);
        assert_int_equal(pt.len, 0);
        esdk_buf_release(&pt);
        free(longer);
    }
    esdk_options_release(o);
}

static void test_bit_flips_framed(void **state)
{
    (void)state;
    esdk_keyring *kr = test_raw_aes_keyring(40);
    for (size_t si = 0; si < N_SUITES; si++) {
        message msg;
        make_message(kr, all_suites[si], FRAME, PT_FRAMED, &msg);
        flip_all(kr, &msg);
        free_message(&msg);
    }
    esdk_keyring_release(kr);
}

static void test_bit_flips_unframed(void **state)
{
    (void)state;
    static const uint16_t suites[] = {0x0578, 0x0178, 0x0014};
    esdk_keyring *kr = test_raw_aes_keyring(41);
    for (size_t si = 0; si < sizeof suites / sizeof suites[0]; si++) {
        message msg;
        make_message(kr, suites[si], 0, PT_SINGLE, &msg);
        flip_all(kr, &msg);
        free_message(&msg);
    }
    esdk_keyring_release(kr);
}

static void test_truncation_and_trailing(void **state)
{
    (void)state;
    esdk_keyring *kr = test_raw_aes_keyring(42);
    for (size_t si = 0; si < N_SUITES; si++) {
        message msg;
        make_message(kr, all_suites[si], FRAME, PT_FRAMED, &msg);
        truncate_and_extend(kr, &msg);
        free_message(&msg);
    }
    message single;
    make_message(kr, 0x0578, 0, PT_SINGLE, &single);
    truncate_and_extend(kr, &single);
    free_message(&single);
    esdk_keyring_release(kr);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bit_flips_framed),
        cmocka_unit_test(test_bit_flips_unframed),
        cmocka_unit_test(test_truncation_and_trailing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
