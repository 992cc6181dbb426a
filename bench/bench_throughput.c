/* Encrypt and decrypt throughput (MB/s, MB = 10^6 bytes) for 1 MiB and 64 MiB messages at
 * frames 4096 and 65536, 1 KiB messages per second, and the peak memory of a 64 MiB stream,
 * each figure beside a baseline measured in the same run on the same bytes:
 *
 *   sodium  libsodium's AES-256-GCM over the message's plaintext, one call per frame (the
 *           primitive the design started from, and the reference for every suite);
 *   ceiling what the primitives this library uses allow for that suite: AES-GCM as our AEAD
 *           layer runs it for the suite's key size, plus SHA-384 over the whole message for
 *           signed suites (the hash runs in order on one thread, the GCM work spreads over the
 *           threads): min(sha, threads / (1/gcm + 1/sha)).
 *
 * The official AWS Encryption SDK for C's figures from issue 9 (OpenSSL 3, one thread, same
 * kind of machine) are printed where the issue has them. Each figure is the best of several
 * runs (the machine is shared; the best is the least disturbed).
 *
 * Streaming figures go through esdk_session with reused 1 MiB input and output buffers; the
 * one-shot rows call esdk_encrypt/esdk_decrypt into a fresh esdk_buf, as an application does.
 *
 * Usage: bench_throughput [--quick] [--reps N] [--seconds S] [--threads N] [--suite 0xNNNN]
 *   --quick      one run per figure, 0.2 s per message-rate figure (about 20 s in all)
 *   --reps N     runs per throughput figure (default 3; the best is kept)
 *   --seconds S  time per message-rate figure (default 1)
 *   --threads N  threads for the parallel rows (default 0 = automatic)
 *   --suite ID   only this suite (hex), e.g. --suite 0x0478
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include <aws-esdk-c/esdk.h>

#include "crypto/aead.h"
#include "crypto/ecdsa.h"
#include "crypto/hash.h"

#define KIB       1024u
#define MIB       (1024u * 1024u)
#define CHUNK     MIB /* streaming buffers */
#define SMALL_LEN KIB

/* ---- settings and small helpers ---- */

static struct {
    int reps;
    double seconds;
    unsigned threads;
    uint16_t only_suite;
    bool quick;
} cfg = {3, 1.0, 0, 0, false};

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *what, int rc)
{
    (void)fprintf(
        stderr,
        "bench_throughput: %s: %s (%s)\n",
        what,
        esdk_error_name(rc),
        esdk_last_error_detail());
    exit(1);
}

static void check(const char *what, int rc)
{
    if (rc) {
        die(what, rc);
    }
}

static uint8_t *alloc_bytes(size_t n)
{
    uint8_t *p = malloc(n ? n : 1);
    if (!p) {
        (void)fprintf(stderr, "bench_throughput: out of memory\n");
        exit(1);
    }
    return p;
}

/* Deterministic, incompressible-looking bytes (the cipher does not care, the reader might). */
static void fill(uint8_t *p, size_t n, uint64_t seed)
{
    uint64_t x = seed * 0x9E3779B97F4A7C15ull + 1;
    for (size_t i = 0; i < n; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        p[i] = (uint8_t)(x >> 32);
    }
}

static unsigned cores_online(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (unsigned)n : 1;
}

/* The threads a session will use for a given setting (0 = automatic: the cores online). */
static unsigned effective_threads(unsigned setting)
{
    unsigned cores = cores_online();
    if (setting == 0) {
        return cores;
    }
    return setting < cores ? setting : cores;
}

/* Best rate over runs: fn does one run and returns the bytes (or operations) it processed.
 * Time a run adds to `untimed` (clean-up after the work) is not counted. */
typedef size_t (*run_fn)(void *arg);
static double untimed;

static double best_rate(run_fn fn, void *arg, int min_runs, double min_time, double scale)
{
    double best = 0, total = 0;
    for (int i = 0; i < min_runs || total < min_time; i++) {
        untimed = 0;
        const double t0 = now_s();
        const size_t n = fn(arg);
        const double dt = now_s() - t0 - untimed;
        total += dt;
        const double r = (double)n / scale / dt;
        best = r > best ? r : best;
        if (i > 1000) {
            break;
        }
    }
    return best;
}

static double throughput(run_fn fn, void *arg, size_t bytes)
{
    /* 64 MiB runs take long enough alone; short ones repeat for at least 0.2 s */
    const double min_time = bytes >= 16 * MIB ? 0 : (cfg.quick ? 0.05 : 0.2);
    return best_rate(fn, arg, cfg.reps, min_time, 1e6);
}

/* ---- the suites ---- */

typedef struct suite_case {
    uint16_t id;
    size_t key_len;
    bool is_signed;
} suite_case;

static const suite_case suites[] = {
    {0x0478, 32, false},
    {0x0578, 32, true},
    {0x0178, 32, false},
    {0x0378, 32, true},
    {0x0146, 24, false},
};

static bool wanted(uint16_t id)
{
    return cfg.only_suite == 0 || cfg.only_suite == id;
}

static esdk_options *options_for(uint16_t suite, uint32_t frame, unsigned threads)
{
    esdk_options *o = NULL;
    const bool committing = suite == 0x0478 || suite == 0x0578;
    check("options", esdk_options_new(&o));
    check(
        "policy",
        esdk_options_set_commitment_policy(
            o,
            committing ? ESDK_COMMITMENT_REQUIRE_ENCRYPT_REQUIRE_DECRYPT
                       : ESDK_COMMITMENT_FORBID_ENCRYPT_ALLOW_DECRYPT));
    check("suite", esdk_options_set_suite(o, suite));
    check("frame", esdk_options_set_frame_length(o, frame));
    check("threads", esdk_options_set_threads(o, threads));
    return o;
}

static esdk_keyring *bench_keyring(void)
{
    uint8_t key[32];
    esdk_keyring *kr = NULL;
    for (int i = 0; i < 32; i++) {
        key[i] = (uint8_t)(0x40 + i);
    }
    check("keyring", esdk_keyring_raw_aes_new("bench", "wrapping-key", key, sizeof key, &kr));
    return kr;
}

static esdk_enc_ctx *bench_context(void)
{
    esdk_enc_ctx *ctx = NULL;
    check("context", esdk_enc_ctx_new(&ctx));
    check("context", esdk_enc_ctx_set_str(ctx, "purpose", "benchmark"));
    return ctx;
}

/* ---- streaming through a session ---- */

typedef struct stream_job {
    esdk_mode mode;
    const esdk_options *opts;
    esdk_keyring *keyring;
    const esdk_enc_ctx *ctx;
    const uint8_t *in;
    size_t in_len;
    uint8_t *out; /* CHUNK bytes, reused */
} stream_job;

/* One message through a session, CHUNK bytes of input per call into CHUNK bytes of output;
 * returns the plaintext bytes (what MB/s counts, both ways). */
static size_t stream_once(void *arg)
{
    const stream_job *j = arg;
    esdk_session *s = NULL;
    size_t off = 0, produced = 0;
    bool ended = false;
    check("session", esdk_session_new_with_keyring(j->mode, j->opts, j->keyring, &s));
    if (j->mode == ESDK_MODE_ENCRYPT) {
        check("context", esdk_session_set_context(s, j->ctx));
        check("length", esdk_session_set_plaintext_length(s, j->in_len));
    }
    while (!esdk_session_is_done(s)) {
        size_t give = j->in_len - off < CHUNK ? j->in_len - off : CHUNK;
        size_t out_len = 0, used = 0;
        if (off == j->in_len && !ended) {
            check("end", esdk_session_end_input(s));
            ended = true;
        }
        check(
            "process", esdk_session_process(s, j->out, CHUNK, &out_len, j->in + off, give, &used));
        off += used;
        produced += out_len;
        if (ended && used == 0 && out_len == 0 && !esdk_session_is_done(s)) {
            die("stream", ESDK_ERR_TRUNCATED);
        }
    }
    esdk_session_release(s);
    return j->mode == ESDK_MODE_ENCRYPT ? j->in_len : produced;
}

/* ---- one-shot calls into a fresh buffer ---- */

typedef struct oneshot_job {
    bool encrypt;
    const esdk_options *opts;
    esdk_keyring *keyring;
    const esdk_enc_ctx *ctx;
    const uint8_t *in;
    size_t in_len;
    size_t plain_len;
} oneshot_job;

static size_t oneshot_once(void *arg)
{
    const oneshot_job *j = arg;
    esdk_buf out = ESDK_BUF_INIT;
    int rc = j->encrypt
                 ? esdk_encrypt(j->opts, NULL, j->keyring, j->ctx, j->in, j->in_len, &out)
                 : esdk_decrypt(j->opts, NULL, j->keyring, NULL, j->in, j->in_len, &out, NULL);
    check(j->encrypt ? "encrypt" : "decrypt", rc);
    /* freeing (and wiping) the application's buffer is the application's business */
    const double t0 = now_s();
    esdk_buf_release(&out);
    untimed += now_s() - t0;
    return j->plain_len;
}

/* ---- baselines ---- */

typedef struct gcm_job {
    bool encrypt;
    bool sodium; /* libsodium directly; else our AEAD layer */
    size_t key_len;
    const uint8_t *in;
    size_t len;
    size_t frame;
    uint8_t *out;  /* len bytes, or CHUNK bytes when ring */
    bool ring;     /* reuse CHUNK bytes of output, as the streaming rows do */
    uint8_t *tags; /* 16 per frame (encrypt writes, decrypt reads) */
} gcm_job;

static const uint8_t bench_key[32] = {1,  2,  3,  4,  5,  6,  7,  8,  9,  10, 11,
                                      12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22,
                                      23, 24, 25, 26, 27, 28, 29, 30, 31};

/* AES-GCM over len bytes in frame-sized calls (frame <= CHUNK), an IV and a 16-byte AAD per
 * frame. */
static size_t gcm_once(void *arg)
{
    const gcm_job *j = arg;
    crypto_aead_aes256gcm_state *st = NULL;
    esdk_aead_key *k = NULL;
    if (j->sodium) {
        st = sodium_malloc(sizeof *st);
        if (!st) {
            die("sodium_malloc", ESDK_ERR_NO_MEMORY);
        }
        crypto_aead_aes256gcm_beforenm(st, bench_key);
    } else {
        check("aead key", esdk_aead_key_new(bench_key, j->key_len, &k));
    }
    uint8_t iv[12] = {0}, aad[16] = {0};
    size_t i = 0;
    for (size_t off = 0; off < j->len; off += j->frame, i++) {
        const size_t n = j->len - off < j->frame ? j->len - off : j->frame;
        iv[11] = (uint8_t)i;
        iv[10] = (uint8_t)(i >> 8);
        aad[0] = (uint8_t)i;
        uint8_t *tag = j->tags + 16 * i;
        uint8_t *out =
            j->ring ? j->out + (off % CHUNK <= CHUNK - n ? off % CHUNK : 0) : j->out + off;
        int rc = 0;
        if (j->sodium && j->encrypt) {
            crypto_aead_aes256gcm_encrypt_detached_afternm(
                out, tag, NULL, j->in + off, n, aad, sizeof aad, NULL, iv, st);
        } else if (j->sodium) {
            rc = crypto_aead_aes256gcm_decrypt_detached_afternm(
                out, NULL, j->in + off, n, tag, aad, sizeof aad, iv, st);
        } else if (j->encrypt) {
            rc = esdk_aead_encrypt(k, iv, aad, sizeof aad, j->in + off, n, out, tag);
        } else {
            rc = esdk_aead_decrypt(k, iv, aad, sizeof aad, j->in + off, n, tag, out);
        }
        if (rc) {
            die("baseline GCM", ESDK_ERR_BAD_TAG);
        }
    }
    sodium_free(st);
    esdk_aead_key_release(k);
    return j->len;
}

typedef struct gcm_rates {
    double enc, dec;
} gcm_rates;

/* Encrypt then decrypt, both reading the whole message and writing round a CHUNK-byte
 * buffer like the streaming rows; the decrypt reads a ciphertext made in full beforehand. */
static gcm_rates
gcm_baseline(bool sodium, size_t key_len, const uint8_t *pt, size_t len, size_t frame)
{
    uint8_t *ct = alloc_bytes(len), *ring = alloc_bytes(CHUNK);
    uint8_t *tags = alloc_bytes(16 * (len / frame + 1));
    memset(ring, 0, CHUNK);
    gcm_job full = {true, sodium, key_len, pt, len, frame, ct, false, tags};
    gcm_job e = {true, sodium, key_len, pt, len, frame, ring, true, tags};
    gcm_job d = {false, sodium, key_len, ct, len, frame, ring, true, tags};
    gcm_rates r;
    r.enc = throughput(gcm_once, &e, len);
    gcm_once(&full); /* the ciphertext and tags the decrypt checks */
    r.dec = throughput(gcm_once, &d, len);
    free(ct);
    free(ring);
    free(tags);
    return r;
}

typedef struct hash_job {
    const uint8_t *in;
    size_t len;
} hash_job;

static size_t sha384_once(void *arg)
{
    const hash_job *j = arg;
    esdk_hash *h = NULL;
    uint8_t digest[ESDK_HASH_MAX_LEN];
    check("hash", esdk_hash_new(ESDK_HASH_SHA384, &h));
    for (size_t off = 0; off < j->len; off += 65536) {
        const size_t n = j->len - off < 65536 ? j->len - off : 65536;
        check("hash", esdk_hash_update(h, j->in + off, n));
    }
    check("hash", esdk_hash_finish(h, digest));
    esdk_hash_release(h);
    return j->len;
}

/* The suite's ceiling with `threads` threads (see the top of the file). */
static double ceiling(double gcm, double sha, bool is_signed, unsigned threads)
{
    if (!is_signed) {
        return gcm * threads;
    }
    const double all = threads / (1 / gcm + 1 / sha);
    return all < sha ? all : sha;
}

/* ---- the official C SDK's figures (issue 9), 0 where the issue has none ---- */

static double official_mbps(uint16_t suite, size_t size, uint32_t frame, bool encrypt)
{
    if (size != 64 * MIB) {
        return 0;
    }
    if (suite == 0x0478 && frame == 4096) {
        return encrypt ? 1890 : 1684;
    }
    if (suite == 0x0478 && frame == 65536) {
        return encrypt ? 3539 : 3306;
    }
    if (suite == 0x0578 && frame == 65536) {
        return 529;
    }
    return 0;
}

static double official_msgs(uint16_t suite, bool encrypt)
{
    switch (suite) {
        case 0x0478:
            return encrypt ? 37900 : 42000;
        case 0x0578:
            return encrypt ? 627 : 1234;
        case 0x0178:
            return encrypt ? 61500 : 77600;
        default:
            return 0;
    }
}

/* ---- reporting ---- */

static void print_header(void)
{
    printf(
        "\n%-7s %-6s %-6s %-6s %-3s %9s | %9s %6s | %9s %6s | %8s %6s\n",
        "op",
        "suite",
        "frame",
        "size",
        "thr",
        "MB/s",
        "sodium",
        "ratio",
        "ceiling",
        "ratio",
        "C SDK",
        "ratio");
}

static void report_mbps(
    const char *api,
    bool encrypt,
    uint16_t suite,
    uint32_t frame,
    size_t size,
    unsigned threads,
    double ours,
    double sodium,
    double ceil)
{
    const char *op = encrypt ? "encrypt" : "decrypt";
    const double official = official_mbps(suite, size, frame, encrypt);
    char name[96];
    (void)snprintf(
        name,
        sizeof name,
        "%s.%s.%04x.f%u.%zuMiB.t%u",
        api,
        op,
        suite,
        (unsigned)frame,
        size / MIB,
        threads);
    printf(
        "%-7s 0x%04x %6u %4zuMi %3u %9.0f | %9.0f %6.2f | %9.0f %6.2f | ",
        op,
        suite,
        (unsigned)frame,
        size / MIB,
        threads,
        ours,
        sodium,
        ours / sodium,
        ceil,
        ours / ceil);
    if (official > 0) {
        printf("%8.0f %6.2f\n", official, ours / official);
    } else {
        printf("%8s %6s\n", "-", "-");
    }
    printf("BENCH %s.MBps=%.1f\n", name, ours);
    printf("BENCH %s.sodium_MBps=%.1f\n", name, sodium);
    printf("BENCH %s.sodium_ratio=%.3f\n", name, ours / sodium);
    printf("BENCH %s.ceiling_MBps=%.1f\n", name, ceil);
    printf("BENCH %s.ceiling_ratio=%.3f\n", name, ours / ceil);
    if (official > 0) {
        printf("BENCH %s.c_sdk_MBps=%.0f\n", name, official);
        printf("BENCH %s.c_sdk_ratio=%.3f\n", name, ours / official);
    }
    (void)fflush(stdout);
}

/* ---- the throughput matrix ---- */

typedef struct baselines {
    gcm_rates sodium;  /* libsodium AES-256-GCM */
    gcm_rates path[3]; /* our AEAD layer for 16, 24, 32-byte keys (0 = not measured) */
    double sha;        /* SHA-384 */
} baselines;

static gcm_rates
path_rates(baselines *b, size_t key_len, const uint8_t *pt, size_t len, size_t frame)
{
    gcm_rates *r = &b->path[(key_len - 16) / 8];
    if (r->enc == 0) {
        *r = gcm_baseline(false, key_len, pt, len, frame);
    }
    return *r;
}

static void measure_suite(
    const suite_case *sc,
    esdk_keyring *kr,
    const esdk_enc_ctx *ctx,
    const uint8_t *pt,
    size_t size,
    uint32_t frame,
    baselines *b,
    uint8_t *chunk)
{
    const gcm_rates path = path_rates(b, sc->key_len, pt, size, frame);
    const unsigned parallel = effective_threads(cfg.threads);
    unsigned runs[2] = {1, cfg.threads};
    int nruns = size >= 16 * MIB && parallel > 1 ? 2 : 1;
    if (size < 16 * MIB) {
        runs[0] = cfg.threads; /* small messages: the default setting only */
    }

    /* the message to decrypt, made once */
    esdk_options *o1 = options_for(sc->id, frame, 0);
    esdk_buf msg = ESDK_BUF_INIT;
    check("encrypt", esdk_encrypt(o1, NULL, kr, ctx, pt, size, &msg));
    esdk_options_release(o1);

    for (int r = 0; r < nruns; r++) {
        const unsigned setting = runs[r];
        const unsigned thr = effective_threads(setting);
        esdk_options *o = options_for(sc->id, frame, setting);
        stream_job e = {ESDK_MODE_ENCRYPT, o, kr, ctx, pt, size, chunk};
        stream_job d = {ESDK_MODE_DECRYPT, o, kr, ctx, msg.data, msg.len, chunk};
        const double enc = throughput(stream_once, &e, size);
        const double dec = throughput(stream_once, &d, size);
        report_mbps(
            "stream",
            true,
            sc->id,
            frame,
            size,
            thr,
            enc,
            b->sodium.enc,
            ceiling(path.enc, b->sha, sc->is_signed, thr));
        report_mbps(
            "stream",
            false,
            sc->id,
            frame,
            size,
            thr,
            dec,
            b->sodium.dec,
            ceiling(path.dec, b->sha, sc->is_signed, thr));
        esdk_options_release(o);
    }
    esdk_buf_release(&msg);
}

static void throughput_matrix(esdk_keyring *kr, const esdk_enc_ctx *ctx, uint8_t *chunk)
{
    static const size_t sizes[] = {MIB, 64 * MIB};
    static const uint32_t frames[] = {4096, 65536};
    uint8_t *pt = alloc_bytes(64 * MIB);
    fill(pt, 64 * MIB, 1);
    printf("\n== throughput, streaming (1 MiB buffers), best of %d ==", cfg.reps);
    print_header();
    for (size_t si = 0; si < sizeof sizes / sizeof sizes[0]; si++) {
        hash_job hj = {pt, sizes[si]};
        double sha = 0;
        for (size_t fi = 0; fi < sizeof frames / sizeof frames[0]; fi++) {
            baselines b;
            memset(&b, 0, sizeof b);
            b.sodium = gcm_baseline(true, 32, pt, sizes[si], frames[fi]);
            if (sha == 0) {
                sha = throughput(sha384_once, &hj, sizes[si]);
            }
            b.sha = sha;
            for (size_t k = 0; k < sizeof suites / sizeof suites[0]; k++) {
                if (wanted(suites[k].id)) {
                    measure_suite(&suites[k], kr, ctx, pt, sizes[si], frames[fi], &b, chunk);
                }
            }
        }
        printf("BENCH baseline.sha384.%zuMiB.MBps=%.1f\n", sizes[si] / MIB, sha);
    }
    free(pt);
}

/* One-shot calls for the headline suites: what an application calling esdk_encrypt gets,
 * page faults of the fresh output buffer included. */
static void oneshot_rows(esdk_keyring *kr, const esdk_enc_ctx *ctx)
{
    static const uint16_t ids[] = {0x0478, 0x0578};
    static const uint32_t frames[] = {4096, 65536};
    const size_t size = 64 * MIB;
    uint8_t *pt = alloc_bytes(size);
    fill(pt, size, 2);
    const unsigned thr = effective_threads(cfg.threads);
    printf("\n== throughput, one-shot esdk_encrypt/esdk_decrypt (fresh output buffer) ==");
    print_header();
    hash_job hj = {pt, size};
    const double sha = throughput(sha384_once, &hj, size);
    for (size_t fi = 0; fi < 2; fi++) {
        const gcm_rates sodium = gcm_baseline(true, 32, pt, size, frames[fi]);
        const gcm_rates path = gcm_baseline(false, 32, pt, size, frames[fi]);
        for (size_t k = 0; k < 2; k++) {
            const bool is_signed = ids[k] == 0x0578;
            if (!wanted(ids[k]) || (is_signed && frames[fi] == 4096)) {
                continue;
            }
            esdk_options *o = options_for(ids[k], frames[fi], cfg.threads);
            esdk_buf msg = ESDK_BUF_INIT;
            check("encrypt", esdk_encrypt(o, NULL, kr, ctx, pt, size, &msg));
            oneshot_job e = {true, o, kr, ctx, pt, size, size};
            oneshot_job d = {false, o, kr, ctx, msg.data, msg.len, size};
            const double enc = throughput(oneshot_once, &e, size);
            const double dec = throughput(oneshot_once, &d, size);
            report_mbps(
                "oneshot",
                true,
                ids[k],
                frames[fi],
                size,
                thr,
                enc,
                sodium.enc,
                ceiling(path.enc, sha, is_signed, thr));
            report_mbps(
                "oneshot",
                false,
                ids[k],
                frames[fi],
                size,
                thr,
                dec,
                sodium.dec,
                ceiling(path.dec, sha, is_signed, thr));
            esdk_buf_release(&msg);
            esdk_options_release(o);
        }
    }
    free(pt);
}

/* ---- 1 KiB messages per second ---- */

typedef struct small_job {
    bool encrypt;
    const esdk_options *opts;
    esdk_keyring *keyring;
    const esdk_enc_ctx *ctx;
    const uint8_t *in;
    size_t in_len;
    esdk_buf *out;
} small_job;

/* A batch of messages (so the clock is read rarely); returns how many. */
static size_t small_batch(void *arg)
{
    const small_job *j = arg;
    for (int i = 0; i < 16; i++) {
        j->out->len = 0; /* keep the storage: the one-shot calls append */
        int rc =
            j->encrypt
                ? esdk_encrypt(j->opts, NULL, j->keyring, j->ctx, j->in, j->in_len, j->out)
                : esdk_decrypt(j->opts, NULL, j->keyring, NULL, j->in, j->in_len, j->out, NULL);
        check(j->encrypt ? "encrypt" : "decrypt", rc);
    }
    return 16;
}

typedef struct sig_job {
    bool sign;
    esdk_sig_key *key; /* verify: the verification key's source */
    uint8_t point[ESDK_POINT_MAX_LEN];
    size_t point_len;
    uint8_t sig[ESDK_SIG_MAX_LEN];
    size_t sig_len;
} sig_job;

static const uint8_t sig_digest[48] = {7};

/* What a signed message costs in ECDSA alone: a fresh key and a signature (encrypt), or a
 * point decompression and a verification (decrypt). */
static size_t sig_once(void *arg)
{
    sig_job *j = arg;
    esdk_sig_key *k = NULL;
    if (j->sign) {
        check("keygen", esdk_sig_key_generate(ESDK_CURVE_P384, &k));
        check("sign", esdk_sig_sign(k, sig_digest, 48, j->sig, sizeof j->sig, &j->sig_len));
    } else {
        check("point", esdk_sig_key_from_compressed(ESDK_CURVE_P384, j->point, j->point_len, &k));
        check("verify", esdk_sig_verify(k, sig_digest, 48, j->sig, j->sig_len));
    }
    esdk_sig_key_release(k);
    return 1;
}

typedef struct aead_small_job {
    uint8_t in[SMALL_LEN], out[SMALL_LEN], tag[16];
} aead_small_job;

static size_t sodium_small(void *arg)
{
    aead_small_job *j = arg;
    uint8_t iv[12] = {0};
    for (int i = 0; i < 64; i++) {
        iv[0] = (uint8_t)i;
        crypto_aead_aes256gcm_encrypt_detached(
            j->out, j->tag, NULL, j->in, SMALL_LEN, NULL, 0, NULL, iv, bench_key);
    }
    return 64;
}

static void report_msgs(uint16_t suite, bool encrypt, double ours, const char *bname, double base)
{
    const char *op = encrypt ? "encrypt" : "decrypt";
    const double official = official_msgs(suite, encrypt);
    printf(
        "%-7s 0x%04x %10.0f | %-22s %10.0f %7.3f | %8.0f %6.2f\n",
        op,
        suite,
        ours,
        bname,
        base,
        ours / base,
        official,
        ours / official);
    printf("BENCH small.%s.%04x.msgs_per_s=%.0f\n", op, suite, ours);
    printf("BENCH small.%s.%04x.baseline_per_s=%.0f\n", op, suite, base);
    printf("BENCH small.%s.%04x.baseline_ratio=%.4f\n", op, suite, ours / base);
    printf("BENCH small.%s.%04x.c_sdk_per_s=%.0f\n", op, suite, official);
    printf("BENCH small.%s.%04x.c_sdk_ratio=%.3f\n", op, suite, ours / official);
    (void)fflush(stdout);
}

static void small_messages(esdk_keyring *kr, const esdk_enc_ctx *ctx)
{
    static const uint16_t ids[] = {0x0478, 0x0578, 0x0178};
    uint8_t pt[SMALL_LEN];
    fill(pt, sizeof pt, 3);
    const double secs = cfg.quick ? 0.2 : cfg.seconds;
    static aead_small_job aj;
    const double sodium = best_rate(sodium_small, &aj, 1, secs / 2, 1);

    sig_job sign = {.sign = true};
    const double sign_rate = best_rate(sig_once, &sign, 3, secs / 2, 1);
    sig_job verify = {.sign = false};
    check("keygen", esdk_sig_key_generate(ESDK_CURVE_P384, &verify.key));
    check(
        "point",
        esdk_sig_key_public_compressed(
            verify.key, verify.point, sizeof verify.point, &verify.point_len));
    check(
        "sign",
        esdk_sig_sign(verify.key, sig_digest, 48, verify.sig, sizeof verify.sig, &verify.sig_len));
    const double verify_rate = best_rate(sig_once, &verify, 3, secs / 2, 1);
    esdk_sig_key_release(verify.key);

    printf("\n== %u-byte messages per second, one-shot API, frame 4096 ==\n", SMALL_LEN);
    printf(
        "%-7s %-6s %10s | %-22s %10s %7s | %8s %6s\n",
        "op",
        "suite",
        "msgs/s",
        "baseline",
        "per s",
        "ratio",
        "C SDK",
        "ratio");
    for (size_t k = 0; k < sizeof ids / sizeof ids[0]; k++) {
        if (!wanted(ids[k])) {
            continue;
        }
        const bool is_signed = ids[k] == 0x0578;
        esdk_options *o = options_for(ids[k], 4096, cfg.threads);
        esdk_buf out = ESDK_BUF_INIT, msg = ESDK_BUF_INIT;
        check("encrypt", esdk_encrypt(o, NULL, kr, ctx, pt, sizeof pt, &msg));
        small_job e = {true, o, kr, ctx, pt, sizeof pt, &out};
        small_job d = {false, o, kr, ctx, msg.data, msg.len, &out};
        const double enc = best_rate(small_batch, &e, 1, secs, 1);
        const double dec = best_rate(small_batch, &d, 1, secs, 1);
        report_msgs(
            ids[k],
            true,
            enc,
            is_signed ? "P-384 keygen+sign" : "sodium GCM 1 KiB",
            is_signed ? sign_rate : sodium);
        report_msgs(
            ids[k],
            false,
            dec,
            is_signed ? "P-384 point+verify" : "sodium GCM 1 KiB",
            is_signed ? verify_rate : sodium);
        esdk_buf_release(&out);
        esdk_buf_release(&msg);
        esdk_options_release(o);
    }
}

/* ---- peak memory of a 64 MiB stream, in a child process of its own ---- */

static long status_kib(const char *field)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long v = -1;
    const size_t n = strlen(field);
    if (!f) {
        return -1;
    }
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, field, n) == 0 && line[n] == ':') {
            v = strtol(line + n + 1, NULL, 10);
            break;
        }
    }
    (void)fclose(f);
    return v;
}

/* The child: encrypt 64 MiB of generated plaintext through a session and feed each chunk of
 * ciphertext straight into a decrypt session, all with 1 MiB buffers; print the resident
 * set before and the high-water mark after. */
static int rss_child(uint16_t suite, uint32_t frame, unsigned threads)
{
    esdk_keyring *kr = bench_keyring();
    esdk_enc_ctx *ctx = bench_context();
    esdk_options *o = options_for(suite, frame, threads);
    uint8_t *pt = alloc_bytes(CHUNK), *ct = alloc_bytes(CHUNK), *back = alloc_bytes(CHUNK);
    esdk_session *enc = NULL, *dec = NULL;
    const size_t total = 64 * MIB;
    memset(ct, 0, CHUNK);
    memset(back, 0, CHUNK);
    fill(pt, CHUNK, 4);
    check("session", esdk_session_new_with_keyring(ESDK_MODE_ENCRYPT, o, kr, &enc));
    check("session", esdk_session_new_with_keyring(ESDK_MODE_DECRYPT, o, kr, &dec));
    check("context", esdk_session_set_context(enc, ctx));
    check("length", esdk_session_set_plaintext_length(enc, total));
    const long before = status_kib("VmRSS");
    size_t fed = 0, decrypted = 0;
    while (!esdk_session_is_done(dec)) {
        size_t give = total - fed < CHUNK ? total - fed : CHUNK;
        size_t ct_len = 0, used = 0;
        if (give == 0 && !esdk_session_is_done(enc)) {
            check("end", esdk_session_end_input(enc));
        }
        check("encrypt", esdk_session_process(enc, ct, CHUNK, &ct_len, pt, give, &used));
        fed += used;
        if (esdk_session_is_done(enc)) {
            check("end", esdk_session_end_input(dec));
        }
        for (size_t off = 0; off < ct_len || (ct_len == 0 && off == 0);) {
            size_t out_len = 0, u = 0;
            check(
                "decrypt",
                esdk_session_process(dec, back, CHUNK, &out_len, ct + off, ct_len - off, &u));
            off += u;
            decrypted += out_len;
            if (u == 0 && out_len == 0) {
                break;
            }
        }
        if (esdk_session_is_done(enc) && ct_len == 0 && !esdk_session_is_done(dec)) {
            size_t out_len = 0, u = 0;
            check("decrypt", esdk_session_process(dec, back, CHUNK, &out_len, NULL, 0, &u));
            decrypted += out_len;
            if (out_len == 0 && !esdk_session_is_done(dec)) {
                die("rss stream", ESDK_ERR_TRUNCATED);
            }
        }
    }
    const long hwm = status_kib("VmHWM");
    printf("%ld %ld %zu\n", before, hwm, decrypted);
    esdk_session_release(enc);
    esdk_session_release(dec);
    esdk_options_release(o);
    esdk_enc_ctx_release(ctx);
    esdk_keyring_release(kr);
    free(pt);
    free(ct);
    free(back);
    return decrypted == total ? 0 : 1;
}

static void rss_rows(void)
{
    static const uint16_t ids[] = {0x0478, 0x0578};
    static const uint32_t frames[] = {4096, 65536};
    char self[4096];
    const ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n <= 0) {
        return;
    }
    self[n] = '\0';
    printf(
        "\n== peak memory, 64 MiB encrypted and decrypted through sessions (1 MiB buffers) ==\n");
    printf(
        "%-6s %6s %3s %12s %12s %12s\n", "suite", "frame", "thr", "RSS before", "VmHWM", "growth");
    for (size_t k = 0; k < 2; k++) {
        for (size_t fi = 0; fi < 2; fi++) {
            if (!wanted(ids[k])) {
                continue;
            }
            char cmd[4300];
            (void)snprintf(
                cmd,
                sizeof cmd,
                "'%s' --rss-child %u %u %u",
                self,
                ids[k],
                (unsigned)frames[fi],
                cfg.threads);
            FILE *p = popen(cmd, "r");
            long before = -1, hwm = -1;
            size_t bytes = 0;
            if (!p || fscanf(p, "%ld %ld %zu", &before, &hwm, &bytes) != 3 || pclose(p) != 0) {
                (void)fprintf(stderr, "bench_throughput: the memory child failed\n");
                continue;
            }
            const unsigned thr = effective_threads(cfg.threads);
            printf(
                "0x%04x %6u %3u %9ld KiB %9ld KiB %9ld KiB\n",
                ids[k],
                (unsigned)frames[fi],
                thr,
                before,
                hwm,
                hwm - before);
            printf(
                "BENCH rss.%04x.f%u.t%u.vmhwm_kib=%ld\n", ids[k], (unsigned)frames[fi], thr, hwm);
            printf(
                "BENCH rss.%04x.f%u.t%u.growth_kib=%ld\n",
                ids[k],
                (unsigned)frames[fi],
                thr,
                hwm - before);
        }
    }
}

/* ---- main ---- */

static void usage(const char *argv0)
{
    (void)fprintf(
        stderr,
        "usage: %s [--quick] [--reps N] [--seconds S] [--threads N] [--suite 0xNNNN]\n",
        argv0);
    exit(2);
}

int main(int argc, char **argv)
{
    if (argc == 5 && strcmp(argv[1], "--rss-child") == 0) {
        return rss_child(
            (uint16_t)strtoul(argv[2], NULL, 0),
            (uint32_t)strtoul(argv[3], NULL, 0),
            (unsigned)strtoul(argv[4], NULL, 0));
    }
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--quick") == 0) {
            cfg.quick = true;
            cfg.reps = 1;
        } else if (strcmp(a, "--reps") == 0 && v) {
            cfg.reps = atoi(v);
            i++;
        } else if (strcmp(a, "--seconds") == 0 && v) {
            cfg.seconds = atof(v);
            i++;
        } else if (strcmp(a, "--threads") == 0 && v) {
            cfg.threads = (unsigned)strtoul(v, NULL, 0);
            i++;
        } else if (strcmp(a, "--suite") == 0 && v) {
            cfg.only_suite = (uint16_t)strtoul(v, NULL, 16);
            i++;
        } else {
            usage(argv[0]);
        }
    }
    if (cfg.reps < 1 || !(cfg.seconds > 0) || cfg.threads > ESDK_MAX_THREADS) {
        usage(argv[0]);
    }
    if (sodium_init() < 0 || !crypto_aead_aes256gcm_is_available()) {
        (void)fprintf(stderr, "bench_throughput: libsodium's AES-256-GCM is not available here\n");
        return 1;
    }
    esdk_keyring *kr = bench_keyring();
    esdk_enc_ctx *ctx = bench_context();
    uint8_t *chunk = alloc_bytes(CHUNK);
    memset(chunk, 0, CHUNK);

    const double t0 = now_s();
    printf(
        "aws-esdk-c %s: %u cores online, parallel rows use %u threads (--threads %u)\n",
        esdk_version(),
        cores_online(),
        effective_threads(cfg.threads),
        cfg.threads);
    static const char *const impl_names[] = {"auto", "mbedTLS", "libsodium", "VAES/AVX-512"};
    for (size_t kl = 16; kl <= 32; kl += 8) {
        esdk_aead_key *k = NULL;
        check("aead key", esdk_aead_key_new(bench_key, kl, &k));
        printf(
            "%sAES-%zu-GCM on %s",
            kl == 16 ? "" : ", ",
            kl * 8,
            impl_names[esdk_aead_key_impl(k) & 3]);
        esdk_aead_key_release(k);
    }
    printf("\nMB = 10^6 bytes; ratio = ours / that column; C SDK = issue 9's OpenSSL figures\n");
    throughput_matrix(kr, ctx, chunk);
    oneshot_rows(kr, ctx);
    small_messages(kr, ctx);
    rss_rows();
    printf("\ntotal %.1f s\n", now_s() - t0);

    free(chunk);
    esdk_enc_ctx_release(ctx);
    esdk_keyring_release(kr);
    return 0;
}
