/* Two threads encrypt and decrypt at the same time through one caching CMM over one small
 * local cache, so that hits, misses, limit evictions, LRU evictions and expiries race with
 * each other; every round trip must come back intact. A file of its own so that the
 * ThreadSanitizer build (.ci/run, tests/tsan/run.sh) can build just this target. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "support/counting_keyring.h"
#include "support/test_support.h"

#define THREADS    2
#define ITERATIONS 2000
#define CONTEXTS   3
#define CAPACITY   4 /* less than the 6 encrypt ids plus the decrypt ids: LRU evictions */
#define MAX_LEN    3000

typedef struct worker {
    pthread_t thread;
    unsigned seed;
    esdk_cmm *cmm;
    int failures;
    char first_failure[200];
} worker;

static void fail_once(worker *w, int i, const char *what, int rc)
{
    if (w->failures++ == 0) {
        (void)snprintf(
            w->first_failure,
            sizeof w->first_failure,
            "iteration %d: %s: %s (%s)",
            i,
            what,
            esdk_error_name(rc),
            esdk_last_error_detail());
    }
}

static int round_trip(worker *w, int i, uint8_t *pt, esdk_options *const opts[2])
{
    /* runs of 8 messages with one context and suite, so that entries get reused */
    const unsigned pick = (w->seed + (unsigned)i / 8u) % (2u * CONTEXTS);
    const size_t len = (size_t)((w->seed * 31u + (unsigned)i * 97u) % MAX_LEN);
    const esdk_options *o = opts[pick == 2u * CONTEXTS - 1]; /* a signed suite now and then */
    char value[16];
    (void)snprintf(value, sizeof value, "tenant-%u", pick % CONTEXTS);
    test_fill(pt, len, w->seed ^ (uint32_t)i);

    esdk_enc_ctx *ctx = NULL;
    esdk_buf ct = ESDK_BUF_INIT, back = ESDK_BUF_INIT;
    int rc = esdk_enc_ctx_new(&ctx);
    rc = rc ? rc : esdk_enc_ctx_set_str(ctx, "tenant", value);
    if (rc == 0 && (rc = esdk_encrypt(o, w->cmm, NULL, ctx, pt, len, &ct)) != 0) {
        fail_once(w, i, "encrypt", rc);
    }
    if (rc == 0 && (rc = esdk_decrypt(o, w->cmm, NULL, ctx, ct.data, ct.len, &back, NULL)) != 0) {
        fail_once(w, i, "decrypt", rc);
    }
    if (rc == 0 && (back.len != len || (len && memcmp(back.data, pt, len) != 0))) {
        fail_once(w, i, "plaintext differs", ESDK_ERR_INTERNAL);
    }
    esdk_buf_release(&ct);
    esdk_buf_release(&back);
    esdk_enc_ctx_release(ctx);
    return rc;
}

static void *work(void *arg)
{
    worker *w = arg;
    uint8_t *pt = malloc(MAX_LEN);
    esdk_options *opts[2] = {NULL, NULL};
    if (esdk_options_new(&opts[0]) || esdk_options_set_suite(opts[0], 0x0478) ||
        esdk_options_new(&opts[1]) || esdk_options_set_suite(opts[1], 0x0578)) {
        w->failures++;
    }
    for (int i = 0; i < ITERATIONS && w->failures == 0; i++) {
        (void)round_trip(w, i, pt, opts);
    }
    esdk_options_release(opts[0]);
    esdk_options_release(opts[1]);
    free(pt);
    return NULL;
}

/* spec: cache-4 */
static void test_concurrent_round_trips(void **st)
{
    (void)st;
    counting_state *counts;
    esdk_keyring *kr = test_counting_keyring(test_raw_aes_keyring(3), &counts);
    esdk_cache *cache;
    esdk_cmm *cmm;
    assert_non_null(kr);
    assert_int_equal(esdk_cache_local_new(CAPACITY, &cache), 0);
    /* a short max age on the real clock adds expiries to the mix */
    assert_int_equal(esdk_cmm_caching_new(NULL, kr, cache, 20, &cmm), 0);
    assert_int_equal(esdk_cmm_caching_set_limit_messages(cmm, 5), 0);
    assert_int_equal(esdk_cmm_caching_set_limit_bytes(cmm, 20000), 0);
    esdk_cache_release(cache);
    esdk_keyring_release(kr);

    worker w[THREADS];
    memset(w, 0, sizeof w);
    for (int t = 0; t < THREADS; t++) {
        w[t].seed = 1001u * (unsigned)(t + 1);
        w[t].cmm = cmm;
        assert_int_equal(pthread_create(&w[t].thread, NULL, work, &w[t]), 0);
    }
    for (int t = 0; t < THREADS; t++) {
        assert_int_equal(pthread_join(w[t].thread, NULL), 0);
    }
    for (int t = 0; t < THREADS; t++) {
        if (w[t].failures) {
            fail_msg("thread %d: %d failures, first: %s", t, w[t].failures, w[t].first_failure);
        }
    }
    /* the cache did its job: far fewer keyring calls than messages */
    const int enc = atomic_load(&counts->encrypt_calls);
    const int dec = atomic_load(&counts->decrypt_calls);
    print_message(
        "%d round trips: %d keyring encrypt calls, %d decrypt calls\n",
        THREADS * ITERATIONS,
        enc,
        dec);
    assert_true(enc > 0 && enc < THREADS * ITERATIONS);
    assert_true(dec > 0 && dec < THREADS * ITERATIONS);
    esdk_cmm_release(cmm);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_concurrent_round_trips),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
