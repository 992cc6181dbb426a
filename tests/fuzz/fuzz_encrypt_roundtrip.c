/* libFuzzer: encrypt then decrypt, with every parameter drawn from the input: suite, frame
 * length (small, so that messages have many frames; sometimes unframed), plaintext length
 * and bytes, encryption context, whether the length is declared, and the sizes of every
 * input and output chunk on both sides. Invariants: encrypt succeeds (or refuses an invalid
 * context with ESDK_ERR_BAD_CONTEXT); the streaming decrypt in random chunks and the one-shot
 * decrypt both return exactly the plaintext and the context; a signed message is refused in
 * decrypt-unsigned mode. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <aws-esdk-c/esdk.h>

#define MAX_PT 4096

static const uint16_t suites[] = {
    0x0014, 0x0046, 0x0078, 0x0114, 0x0146, 0x0178, 0x0214, 0x0346, 0x0378, 0x0478, 0x0578};

/* The input, read from the front; past its end, zeros. */
typedef struct reader {
    const uint8_t *p;
    size_t n;
} reader;

static uint32_t take(reader *r, int bytes)
{
    uint32_t v = 0;
    for (int i = 0; i < bytes; i++) {
        v = (v << 8) | (r->n ? (r->n--, *r->p++) : 0u);
    }
    return v;
}

/* Chunk sizes: a cycle of up to 8 sizes from the input, each 1..max. */
typedef struct chunks {
    size_t size[8];
    size_t count;
    size_t next;
} chunks;

static void chunks_init(chunks *c, reader *r, size_t max)
{
    c->count = take(r, 1) % 8 + 1;
    c->next = 0;
    for (size_t i = 0; i < c->count; i++) {
        c->size[i] = take(r, 1) % max + 1;
    }
}

static size_t chunk(chunks *c)
{
    return c->size[c->next++ % c->count];
}

static esdk_keyring *keyring(void)
{
    static esdk_keyring *kr;
    if (!kr) {
        uint8_t key[32];
        for (int i = 0; i < 32; i++) {
            key[i] = (uint8_t)i;
        }
        if (esdk_keyring_raw_aes_new("fuzz", "key", key, sizeof key, &kr) != 0) {
            abort();
        }
    }
    return kr;
}

/* Push in through a session in chunks (input and output sizes from the schedules) into out
 * (capacity cap); returns the session's status, *out_len the bytes produced. */
static int run_session(
    esdk_session *s,
    const uint8_t *in,
    size_t in_len,
    chunks *in_chunks,
    chunks *out_chunks,
    uint8_t *out,
    size_t cap,
    size_t *out_len)
{
    size_t off = 0;
    int rc = 0, idle = 0;
    *out_len = 0;
    while (rc == 0 && !esdk_session_is_done(s)) {
        size_t give = chunk(in_chunks);
        size_t room = chunk(out_chunks);
        give = give < in_len - off ? give : in_len - off;
        room = room < cap - *out_len ? room : cap - *out_len;
        if (off == in_len) {
            rc = esdk_session_end_input(s);
        }
        size_t produced = 0, used = 0;
        rc = rc ? rc
                : esdk_session_process(s, out + *out_len, room, &produced, in + off, give, &used);
        if (rc && produced) {
            abort(); /* a failing call reports no output */
        }
        off += used;
        *out_len += produced;
        idle = (produced || used) ? 0 : idle + 1;
        if (idle > 3 && room > 0) {
            abort(); /* stuck: neither progress nor a failure with output room and input */
        }
        if (idle > 64) {
            abort();
        }
    }
    if (rc == 0 && off != in_len) {
        abort(); /* done but input left over: the session must have refused it */
    }
    return rc;
}

static bool same_context(const esdk_enc_ctx *want, const esdk_enc_ctx *got, bool is_signed)
{
    if (esdk_enc_ctx_count(got) != esdk_enc_ctx_count(want) + (is_signed ? 1 : 0)) {
        return false;
    }
    for (size_t i = 0; i < esdk_enc_ctx_count(want); i++) {
        const uint8_t *k, *v, *gv;
        size_t kl, vl, gvl;
        if (esdk_enc_ctx_entry(want, i, &k, &kl, &v, &vl) != 0 ||
            esdk_enc_ctx_get(got, k, kl, &gv, &gvl) != 0 || gvl != vl ||
            (vl && memcmp(v, gv, vl) != 0)) {
            return false;
        }
    }
    return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    reader r = {data, size};
    const uint16_t suite = suites[take(&r, 1) % 11];
    const uint32_t f = take(&r, 2);
    const uint32_t frame = f % 8 == 0 ? 0 : f % 300 + 1;
    const size_t pt_len = take(&r, 2) % (MAX_PT + 1);
    const uint32_t flags = take(&r, 1);
    const bool declare_length = frame == 0 || (flags & 1);
    chunks enc_in, enc_out, dec_in, dec_out;
    chunks_init(&enc_in, &r, 256);
    chunks_init(&enc_out, &r, 256);
    chunks_init(&dec_in, &r, 256);
    chunks_init(&dec_out, &r, 64);

    /* the context: up to 3 pairs of raw input bytes (which may be invalid: then encrypt must
     * refuse it) */
    esdk_enc_ctx *ctx = NULL;
    if (esdk_enc_ctx_new(&ctx) != 0) {
        abort();
    }
    bool ctx_ok = true;
    const size_t pairs = take(&r, 1) % 4;
    for (size_t i = 0; i < pairs; i++) {
        uint8_t kv[2][16];
        size_t len[2];
        for (int j = 0; j < 2; j++) {
            len[j] = take(&r, 1) % 16;
            for (size_t b = 0; b < len[j]; b++) {
                kv[j][b] = (uint8_t)take(&r, 1);
            }
        }
        if (esdk_enc_ctx_set(ctx, kv[0], len[0], kv[1], len[1]) != 0) {
            ctx_ok = false;
        }
    }
    /* the plaintext: the rest of the input, repeated */
    uint8_t *pt = malloc(pt_len + 1);
    for (size_t i = 0; i < pt_len; i++) {
        pt[i] = r.n ? r.p[i % r.n] : (uint8_t)i;
    }

    esdk_options *o = NULL;
    esdk_session *s = NULL;
    if (esdk_options_new(&o) ||
        esdk_options_set_commitment_policy(
            o,
            esdk_suite_is_committing(suite) ? ESDK_COMMITMENT_REQUIRE_ENCRYPT_REQUIRE_DECRYPT
                                            : ESDK_COMMITMENT_FORBID_ENCRYPT_ALLOW_DECRYPT) ||
        esdk_options_set_suite(o, suite) || esdk_options_set_frame_length(o, frame) ||
        esdk_session_new_with_keyring(ESDK_MODE_ENCRYPT, o, keyring(), &s) ||
        esdk_session_set_context(s, ctx) ||
        (declare_length && esdk_session_set_plaintext_length(s, pt_len))) {
        abort();
    }
    /* header (under 2 KB here), at most 40 bytes of framing per frame, footer */
    const size_t ct_cap = pt_len + (pt_len / (frame ? frame : pt_len + 1) + 2) * 40 + 4096;
    uint8_t *ct = malloc(ct_cap);
    size_t ct_len = 0;
    int rc = run_session(s, pt, pt_len, &enc_in, &enc_out, ct, ct_cap, &ct_len);
    esdk_session_release(s);
    s = NULL;
    if (!ctx_ok) {
        /* a context with an invalid pair was refused when set (bad UTF-8 or too long), or a
         * reserved key reached encrypt */
        if (rc != 0 && rc != ESDK_ERR_BAD_CONTEXT) {
            abort();
        }
    } else if (rc != 0) {
        /* reserved keys (aws-crypto-...) are the only valid pairs encrypt refuses */
        if (rc != ESDK_ERR_BAD_CONTEXT) {
            abort();
        }
    } else {
        /* streaming decrypt in random chunks */
        uint8_t *back = malloc(pt_len + 1);
        size_t back_len = 0;
        if (esdk_session_new_with_keyring(ESDK_MODE_DECRYPT, o, keyring(), &s) ||
            run_session(s, ct, ct_len, &dec_in, &dec_out, back, pt_len + 1, &back_len) != 0 ||
            back_len != pt_len || (pt_len && memcmp(back, pt, pt_len) != 0) ||
            esdk_session_suite(s) != suite || esdk_session_frame_length(s) != frame ||
            !same_context(ctx, esdk_session_header_context(s), esdk_suite_is_signed(suite))) {
            abort();
        }
        esdk_session_release(s);
        s = NULL;
        /* one-shot decrypt */
        esdk_buf out = ESDK_BUF_INIT;
        esdk_enc_ctx *got = NULL;
        if (esdk_decrypt(o, NULL, keyring(), ctx, ct, ct_len, &out, &got) != 0 ||
            out.len != pt_len || (pt_len && memcmp(out.data, pt, pt_len) != 0) ||
            !same_context(ctx, got, esdk_suite_is_signed(suite))) {
            abort();
        }
        esdk_buf_release(&out);
        esdk_enc_ctx_release(got);
        /* decrypt-unsigned refuses a signed message, and takes an unsigned one */
        if (esdk_session_new_with_keyring(ESDK_MODE_DECRYPT_UNSIGNED, o, keyring(), &s) != 0) {
            abort();
        }
        rc = run_session(s, ct, ct_len, &dec_in, &dec_out, back, pt_len + 1, &back_len);
        if (esdk_suite_is_signed(suite) ? rc != ESDK_ERR_SIGNED_NOT_ALLOWED
                                        : rc != 0 || back_len != pt_len) {
            abort();
        }
        esdk_session_release(s);
        free(back);
    }
    free(ct);
    free(pt);
    esdk_options_release(o);
    esdk_enc_ctx_release(ctx);
    return 0;
}
