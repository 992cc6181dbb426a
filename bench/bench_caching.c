/* Data-key caching: 1 KiB messages per second through a keyring that costs about 1 ms per
 * call (a stand-in for an HSM or a key service), without and with the caching CMM, in the
 * same run. Prints a table and one "BENCH name=value" line per figure.
 *
 * Usage: bench_caching [seconds per figure, default 1] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <aws-esdk-c/esdk.h>

#define MESSAGE_LEN 1024
#define KEY_COST_NS 1000000L /* what one remote wrap or unwrap costs, roughly */

/* ---- a slow keyring: sleep, then let a raw AES keyring do the work ---- */

static void key_service_delay(void)
{
    struct timespec d = {0, KEY_COST_NS};
    while (nanosleep(&d, &d) != 0) {
    }
}

static int slow_on_encrypt(void *state, esdk_enc_materials *m)
{
    key_service_delay();
    return esdk_keyring_on_encrypt(state, m);
}

static int slow_on_decrypt(void *state, esdk_dec_materials *m, const esdk_edk_list *edks)
{
    key_service_delay();
    return esdk_keyring_on_decrypt(state, m, edks);
}

static void slow_destroy(void *state)
{
    esdk_keyring_release(state);
}

static const esdk_keyring_vtable slow_vt = {
    sizeof(esdk_keyring_vtable), "slow-1ms", slow_on_encrypt, slow_on_decrypt, slow_destroy};

static esdk_keyring *slow_keyring(void)
{
    uint8_t key[32];
    for (int i = 0; i < 32; i++) {
        key[i] = (uint8_t)(0xa0 + i);
    }
    esdk_keyring *aes = NULL, *slow = NULL;
    if (esdk_keyring_raw_aes_new("bench", "wrapping-key", key, sizeof key, &aes) != 0 ||
        esdk_keyring_new(&slow_vt, aes, &slow) != 0) {
        return NULL;
    }
    return slow;
}

/* ---- timing ---- */

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
        "bench_caching: %s: %s (%s)\n",
        what,
        esdk_error_name(rc),
        esdk_last_error_detail());
    exit(1);
}

typedef struct job {
    const esdk_options *opts;
    esdk_cmm *cmm;
    const esdk_enc_ctx *ctx;
    const uint8_t *plaintext;
    const esdk_buf *message; /* decrypt: the message to read again and again */
} job;

/* Messages per second encrypting (message == NULL) or decrypting for about `seconds`. */
static double rate(const job *j, double seconds)
{
    esdk_buf out = ESDK_BUF_INIT;
    long n = 0;
    const double start = now_s();
    double elapsed = 0;
    while (elapsed < seconds) {
        int rc =
            j->message
                ? esdk_decrypt(
                      j->opts, j->cmm, NULL, NULL, j->message->data, j->message->len, &out, NULL)
                : esdk_encrypt(j->opts, j->cmm, NULL, j->ctx, j->plaintext, MESSAGE_LEN, &out);
        if (rc) {
            die(j->message ? "decrypt" : "encrypt", rc);
        }
        out.len = 0; /* keep the storage; one-shot calls append */
        n++;
        elapsed = now_s() - start;
    }
    esdk_buf_release(&out);
    return (double)n / elapsed;
}

static void report(const char *suite, const char *op, double plain, double cached)
{
    printf("  %-6s %-8s %12.0f %12.0f %9.1fx\n", suite, op, plain, cached, cached / plain);
    printf("BENCH caching.%s.%s_per_s.uncached=%.0f\n", suite, op, plain);
    printf("BENCH caching.%s.%s_per_s.cached=%.0f\n", suite, op, cached);
    printf("BENCH caching.%s.%s.speedup=%.2f\n", suite, op, cached / plain);
}

static void
run_suite(uint16_t suite, const char *label, esdk_cmm *plain, esdk_cmm *caching, double seconds)
{
    static uint8_t plaintext[MESSAGE_LEN];
    esdk_options *opts;
    esdk_enc_ctx *ctx;
    int rc = esdk_options_new(&opts);
    rc = rc ? rc : esdk_options_set_suite(opts, suite);
    rc = rc ? rc : esdk_enc_ctx_new(&ctx);
    rc = rc ? rc : esdk_enc_ctx_set_str(ctx, "purpose", "benchmark");
    if (rc) {
        die("set-up", rc);
    }
    memset(plaintext, 0x5a, sizeof plaintext);

    job enc_plain = {opts, plain, ctx, plaintext, NULL};
    job enc_cached = {opts, caching, ctx, plaintext, NULL};
    const double e0 = rate(&enc_plain, seconds);
    const double e1 = rate(&enc_cached, seconds);
    report(label, "encrypt", e0, e1);

    esdk_buf message = ESDK_BUF_INIT;
    rc = esdk_encrypt(opts, plain, NULL, ctx, plaintext, MESSAGE_LEN, &message);
    if (rc) {
        die("encrypt", rc);
    }
    job dec_plain = {opts, plain, NULL, NULL, &message};
    job dec_cached = {opts, caching, NULL, NULL, &message};
    const double d0 = rate(&dec_plain, seconds);
    const double d1 = rate(&dec_cached, seconds);
    report(label, "decrypt", d0, d1);

    esdk_buf_release(&message);
    esdk_enc_ctx_release(ctx);
    esdk_options_release(opts);
}

int main(int argc, char **argv)
{
    char *end = NULL;
    const double seconds = argc > 1 ? strtod(argv[1], &end) : 1.0;
    if (!(seconds > 0) || (end && *end != '\0')) {
        (void)fprintf(stderr, "usage: %s [seconds per figure]\n", argv[0]);
        return 2;
    }
    esdk_keyring *slow = slow_keyring();
    esdk_cache *cache = NULL;
    esdk_cmm *plain = NULL, *caching = NULL;
    if (!slow) {
        die("keyring", -1);
    }
    int rc = esdk_cmm_default_new(slow, &plain);
    rc = rc ? rc : esdk_cache_local_new(100, &cache);
    /* defaults otherwise: 2^32 messages, 2^63 - 1 bytes; a 60 s max age */
    rc = rc ? rc : esdk_cmm_caching_new(plain, NULL, cache, UINT64_C(60000), &caching);
    if (rc) {
        die("set-up", rc);
    }

    printf(
        "aws-esdk-c %s: %d-byte messages, keyring cost %.1f ms per call, %.1f s per figure\n",
        esdk_version(),
        MESSAGE_LEN,
        KEY_COST_NS / 1e6,
        seconds);
    printf("  %-6s %-8s %12s %12s %10s\n", "suite", "op", "uncached/s", "cached/s", "speedup");
    run_suite(ESDK_SUITE_AES_256_GCM_HKDF_SHA512_COMMIT_KEY, "0x0478", plain, caching, seconds);
    run_suite(
        ESDK_SUITE_AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384,
        "0x0578",
        plain,
        caching,
        seconds);

    esdk_cmm_release(caching);
    esdk_cmm_release(plain);
    esdk_cache_release(cache);
    esdk_keyring_release(slow);
    return 0;
}
