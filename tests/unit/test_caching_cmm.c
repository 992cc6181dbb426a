/* The caching CMM end to end (through esdk_encrypt/esdk_decrypt): the keyring is called
 * once per cache miss, each limit (age, messages, bytes) forces a new data key exactly at
 * its boundary, partitions, contexts and policies keep entries apart, and what must not be
 * cached (no-KDF suites, unknown lengths, oversized messages) is not. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "support/counting_keyring.h"
#include "support/test_support.h"

#define KEY_SEED 7

static uint64_t fake_now;

static uint64_t fake_clock(void *ctx)
{
    return *(uint64_t *)ctx;
}

typedef struct fixture {
    esdk_cache *cache;
    esdk_keyring *keyring; /* counting, over a raw AES keyring */
    counting_state *counts;
    esdk_keyring *plain; /* the same wrapping key, uncounted: decrypts what we encrypt */
} fixture;

static int setup(void **st)
{
    fixture *f = calloc(1, sizeof *f);
    assert_int_equal(esdk_cache_local_new(16, &f->cache), 0);
    fake_now = 5000;
    assert_int_equal(esdk_cache_local_set_clock(f->cache, fake_clock, &fake_now), 0);
    f->keyring = test_counting_keyring(test_raw_aes_keyring(KEY_SEED), &f->counts);
    f->plain = test_raw_aes_keyring(KEY_SEED);
    assert_non_null(f->keyring);
    assert_non_null(f->plain);
    *st = f;
    return 0;
}

static int teardown(void **st)
{
    fixture *f = *st;
    esdk_cache_release(f->cache);
    esdk_keyring_release(f->keyring);
    esdk_keyring_release(f->plain);
    free(f);
    return 0;
}

static int enc_calls(const fixture *f)
{
    return atomic_load(&f->counts->encrypt_calls);
}

static int dec_calls(const fixture *f)
{
    return atomic_load(&f->counts->decrypt_calls);
}

static esdk_cmm *caching(fixture *f, uint64_t max_age_ms, const char *partition)
{
    esdk_cmm *cmm;
    assert_int_equal(esdk_cmm_caching_new(NULL, f->keyring, f->cache, max_age_ms, &cmm), 0);
    if (partition) {
        assert_int_equal(
            esdk_cmm_caching_set_partition_id(cmm, (const uint8_t *)partition, strlen(partition)),
            0);
    }
    return cmm;
}

static esdk_options *options(esdk_commitment_policy policy, uint16_t suite)
{
    esdk_options *o;
    assert_int_equal(esdk_options_new(&o), 0);
    assert_int_equal(esdk_options_set_commitment_policy(o, policy), 0);
    assert_int_equal(esdk_options_set_suite(o, suite), 0);
    return o;
}

static esdk_enc_ctx *context(const char *value)
{
    esdk_enc_ctx *c;
    assert_int_equal(esdk_enc_ctx_new(&c), 0);
    assert_int_equal(esdk_enc_ctx_set_str(c, "tenant", value), 0);
    return c;
}

/* Encrypt n bytes through cmm, check that the plain keyring decrypts them back; returns the
 * message's suite (v1 headers: version, type, suite; v2: version, suite). */
static uint16_t
round_trip(fixture *f, esdk_cmm *cmm, const esdk_options *o, const char *ctx_value, size_t n)
{
    uint8_t *pt = malloc(n + 1);
    test_fill(pt, n, (uint32_t)n + 3);
    esdk_enc_ctx *ctx = context(ctx_value);
    esdk_buf ct = ESDK_BUF_INIT, back = ESDK_BUF_INIT;
    assert_int_equal(esdk_encrypt(o, cmm, NULL, ctx, pt, n, &ct), 0);
    assert_int_equal(esdk_decrypt(o, NULL, f->plain, NULL, ct.data, ct.len, &back, NULL), 0);
    assert_int_equal(back.len, n);
    assert_memory_equal(back.data, pt, n);
    const uint8_t *id = ct.data + (ct.data[0] == 1 ? 2 : 1);
    uint16_t suite = (uint16_t)(id[0] << 8 | id[1]);
    esdk_buf_release(&ct);
    esdk_buf_release(&back);
    esdk_enc_ctx_release(ctx);
    free(pt);
    return suite;
}

static void encrypt_n(fixture *f, esdk_cmm *cmm, const esdk_options *o, size_t len, int times)
{
    for (int i = 0; i < times; i++) {
        round_trip(f, cmm, o, "blue", len);
    }
}

/* spec: cache-1 */
static void test_one_keyring_call_per_miss(void **st)
{
    fixture *f = *st;
    esdk_cmm *cmm = caching(f, 60000, NULL);
    esdk_options *o = options(ESDK_COMMITMENT_REQUIRE_ENCRYPT_REQUIRE_DECRYPT, 0x0478);
    encrypt_n(f, cmm, o, 1024, 100);
    assert_int_equal(enc_calls(f), 1);
    assert_int_equal(esdk_cache_local_count(f->cache), 1);
    /* the policy's default suite (no suite requested) is cached under its own id */
    encrypt_n(f, cmm, NULL, 1024, 5);
    assert_int_equal(enc_calls(f), 2);
    esdk_options_release(o);
    esdk_cmm_release(cmm);
}

/* spec: cache-1 */
static void test_message_limit(void **st)
{
    fixture *f = *st;
    esdk_cmm *cmm = caching(f, 60000, NULL);
    assert_int_equal(esdk_cmm_caching_set_limit_messages(cmm, 3), 0);
    esdk_options *o = options(ESDK_COMMITMENT_REQUIRE_ENCRYPT_REQUIRE_DECRYPT, 0x0478);
    encrypt_n(f, cmm, o, 10, 3); /* messages 1-3 share a key */
    assert_int_equal(enc_calls(f), 1);
    encrypt_n(f, cmm, o, 10, 1); /* the 4th gets a new one */
    assert_int_equal(enc_calls(f), 2);
    encrypt_n(f, cmm, o, 10, 2); /* which serves 3 messages too */
    assert_int_equal(enc_calls(f), 2);
    encrypt_n(f, cmm, o, 10, 1);
    assert_int_equal(enc_calls(f), 3);
    esdk_options_release(o);
    esdk_cmm_release(cmm);
}

/* spec: cache-1 */
static void test_byte_limit(void **st)
{
    fixture *f = *st;
    esdk_cmm *cmm = caching(f, 60000, NULL);
    assert_int_equal(esdk_cmm_caching_set_limit_bytes(cmm, 1000), 0);
    esdk_options *o = options(ESDK_COMMITMENT_REQUIRE_ENCRYPT_REQUIRE_DECRYPT, 0x0478);
    encrypt_n(f, cmm, o, 500, 2); /* 500 + 500 = 1000: exactly the limit, one key */
    assert_int_equal(enc_calls(f), 1);
    encrypt_n(f, cmm, o, 1, 1); /* 1001 > 1000: new key */
    assert_int_equal(enc_calls(f), 2);
    encrypt_n(f, cmm, o, 999, 1); /* 1 + 999 = 1000: still that key */
    assert_int_equal(enc_calls(f), 2);
    encrypt_n(f, cmm, o, 400, 1);
    assert_int_equal(enc_calls(f), 3);

    /* a message that alone reaches the limit bypasses the cache: no lookup, no store */
    size_t before = esdk_cache_local_count(f->cache);
    encrypt_n(f, cmm, o, 1000, 2);
    assert_int_equal(enc_calls(f), 5);
    assert_int_equal(esdk_cache_local_count(f->cache), before);
    /* and leaves the cached entry alone: 400 + 600 = 1000 */
    encrypt_n(f, cmm, o, 600, 1);
    assert_int_equal(enc_calls(f), 5);
    esdk_options_release(o);
    esdk_cmm_release(cmm);
}

/* spec: cache-1 */
static void test_max_age(void **st)
{
    fixture *f = *st;
    esdk_cmm *cmm = caching(f, 1000, NULL);
    esdk_options *o = options(ESDK_COMMITMENT_REQUIRE_ENCRYPT_REQUIRE_DECRYPT, 0x0478);
    encrypt_n(f, cmm, o, 10, 1);
    assert_int_equal(enc_calls(f), 1);
    fake_now += 999;
    encrypt_n(f, cmm, o, 10, 1);
    assert_int_equal(enc_calls(f), 1);
    fake_now += 1; /* age 1000 = max age: expired */
    encrypt_n(f, cmm, o, 10, 1);
    assert_int_equal(enc_calls(f), 2);
    encrypt_n(f, cmm, o, 10, 1);
    assert_int_equal(enc_calls(f), 2);
    esdk_cmm_release(cmm);

    /* the CMM applies its own max age even to an entry stored with a longer one */
    esdk_cmm *patient = caching(f, 100000, "shared");
    esdk_cmm *strict = caching(f, 100, "shared");
    encrypt_n(f, patient, o, 10, 1);
    assert_int_equal(enc_calls(f), 3);
    fake_now += 50;
    encrypt_n(f, strict, o, 10, 1); /* age 50: shared */
    assert_int_equal(enc_calls(f), 3);
    fake_now += 450;
    encrypt_n(f, strict, o, 10, 1); /* age 500 > 100: a new key */
    assert_int_equal(enc_calls(f), 4);
    fake_now += 50;
    encrypt_n(f, patient, o, 10, 1); /* the new entry, age 50 */
    assert_int_equal(enc_calls(f), 4);
    esdk_cmm_release(patient);
    esdk_cmm_release(strict);
    esdk_options_release(o);
}

/* spec: cache-2 */
static void test_partitions(void **st)
{
    fixture *f = *st;
    esdk_options *o = options(ESDK_COMMITMENT_REQUIRE_ENCRYPT_REQUIRE_DECRYPT, 0x0478);
    esdk_cmm *a = caching(f, 60000, "alpha");
    esdk_cmm *b = caching(f, 60000, "beta");
    esdk_cmm *a2 = caching(f, 60000, "alpha");
    encrypt_n(f, a, o, 10, 2);
    encrypt_n(f, b, o, 10, 2);
    assert_int_equal(enc_calls(f), 2); /* different partitions: one miss each */
    encrypt_n(f, a2, o, 10, 3);
    assert_int_equal(enc_calls(f), 2); /* same partition: shares "alpha"'s entry */
    assert_int_equal(esdk_cache_local_count(f->cache), 2);

    /* default partitions are random: two unconfigured CMMs share nothing */
    esdk_cmm *r1 = caching(f, 60000, NULL);
    esdk_cmm *r2 = caching(f, 60000, NULL);
    encrypt_n(f, r1, o, 10, 2);
    encrypt_n(f, r2, o, 10, 2);
    assert_int_equal(enc_calls(f), 4);
    esdk_cmm_release(a);
    esdk_cmm_release(b);
    esdk_cmm_release(a2);
    esdk_cmm_release(r1);
    esdk_cmm_release(r2);
    esdk_options_release(o);
}

/* spec: cache-2 */
static void test_contexts_and_suites_apart(void **st)
{
    fixture *f = *st;
    esdk_cmm *cmm = caching(f, 60000, NULL);
    esdk_options *o = options(ESDK_COMMITMENT_REQUIRE_ENCRYPT_REQUIRE_DECRYPT, 0x0478);
    esdk_options *o2 = options(ESDK_COMMITMENT_REQUIRE_ENCRYPT_REQUIRE_DECRYPT, 0x0578);
    round_trip(f, cmm, o, "blue", 10);
    round_trip(f, cmm, o, "green", 10);
    assert_int_equal(enc_calls(f), 2);
    assert_int_equal(round_trip(f, cmm, o2, "blue", 10), 0x0578);
    assert_int_equal(enc_calls(f), 3);
    assert_int_equal(round_trip(f, cmm, o, "blue", 10), 0x0478);
    round_trip(f, cmm, o, "green", 10);
    assert_int_equal(round_trip(f, cmm, o2, "blue", 10), 0x0578);
    assert_int_equal(enc_calls(f), 3);
    esdk_options_release(o);
    esdk_options_release(o2);
    esdk_cmm_release(cmm);
}

/* Commitment policy is not part of the id: a cached suite that the request's policy forbids
 * must not be used. */
/* spec: cache-3 */
static void test_policy_checked_on_hit(void **st)
{
    fixture *f = *st;
    esdk_cmm *cmm = caching(f, 60000, NULL);
    esdk_options *forbid = options(ESDK_COMMITMENT_FORBID_ENCRYPT_ALLOW_DECRYPT, 0);
    esdk_options *require = options(ESDK_COMMITMENT_REQUIRE_ENCRYPT_ALLOW_DECRYPT, 0);
    assert_int_equal(round_trip(f, cmm, forbid, "blue", 10), 0x0378);
    assert_int_equal(round_trip(f, cmm, forbid, "blue", 10), 0x0378);
    assert_int_equal(enc_calls(f), 1);
    assert_int_equal(round_trip(f, cmm, require, "blue", 10), 0x0578);
    assert_int_equal(enc_calls(f), 2);
    assert_int_equal(round_trip(f, cmm, require, "blue", 10), 0x0578);
    assert_int_equal(enc_calls(f), 2);
    assert_int_equal(round_trip(f, cmm, forbid, "blue", 10), 0x0378);
    assert_int_equal(enc_calls(f), 3);
    esdk_options_release(forbid);
    esdk_options_release(require);
    esdk_cmm_release(cmm);
}

/* Signing suites: the cached materials carry the signing key, so messages from one entry
 * share the public key in their context, and every signature verifies. */
static void test_signing_key_cached(void **st)
{
    fixture *f = *st;
    esdk_cmm *cmm = caching(f, 60000, NULL);
    esdk_options *o = options(ESDK_COMMITMENT_FORBID_ENCRYPT_ALLOW_DECRYPT, 0x0378);
    const uint8_t pt[] = "signed and cached";
    const uint8_t *keys[2];
    size_t key_lens[2];
    esdk_enc_ctx *hdr[2];
    for (int i = 0; i < 2; i++) {
        esdk_buf ct = ESDK_BUF_INIT, back = ESDK_BUF_INIT;
        assert_int_equal(esdk_encrypt(o, cmm, NULL, NULL, pt, sizeof pt, &ct), 0);
        assert_int_equal(esdk_decrypt(o, NULL, f->plain, NULL, ct.data, ct.len, &back, &hdr[i]), 0);
        assert_memory_equal(back.data, pt, sizeof pt);
        static const char k[] = ESDK_PUBLIC_KEY_CONTEXT_KEY;
        assert_int_equal(
            esdk_enc_ctx_get(hdr[i], (const uint8_t *)k, sizeof k - 1, &keys[i], &key_lens[i]), 0);
        esdk_buf_release(&ct);
        esdk_buf_release(&back);
    }
    assert_int_equal(enc_calls(f), 1);
    assert_int_equal(key_lens[0], 68);
    assert_int_equal(key_lens[1], 68);
    assert_memory_equal(keys[0], keys[1], 68);
    esdk_enc_ctx_release(hdr[0]);
    esdk_enc_ctx_release(hdr[1]);
    esdk_options_release(o);
    esdk_cmm_release(cmm);
}

/* spec: cache-3 */
static void test_non_kdf_suites_never_cached(void **st)
{
    fixture *f = *st;
    esdk_cmm *cmm = caching(f, 60000, NULL);
    const uint16_t suites[] = {0x0014, 0x0046, 0x0078};
    int calls = 0;
    for (size_t s = 0; s < 3; s++) {
        esdk_options *o = options(ESDK_COMMITMENT_FORBID_ENCRYPT_ALLOW_DECRYPT, suites[s]);
        for (int i = 0; i < 3; i++) {
            esdk_buf ct = ESDK_BUF_INIT, back = ESDK_BUF_INIT;
            const uint8_t pt[] = "no kdf";
            assert_int_equal(esdk_encrypt(o, cmm, NULL, NULL, pt, sizeof pt, &ct), 0);
            assert_int_equal(enc_calls(f), ++calls);
            for (int d = 0; d < 2; d++) {
                assert_int_equal(esdk_decrypt(o, cmm, NULL, NULL, ct.data, ct.len, &back, NULL), 0);
                esdk_buf_release(&back);
            }
            esdk_buf_release(&ct);
        }
        esdk_options_release(o);
    }
    assert_int_equal(dec_calls(f), 2 * 9);
    assert_int_equal(esdk_cache_local_count(f->cache), 0);
    esdk_cmm_release(cmm);
}

/* Streaming encrypt without a plaintext length: the cache cannot count bytes, so it is
 * bypassed. */
/* spec: cache-3 */
static void test_unknown_length_bypasses(void **st)
{
    fixture *f = *st;
    esdk_cmm *cmm = caching(f, 60000, NULL);
    static uint8_t out[1 << 16];
    const uint8_t pt[100] = {1};
    for (int i = 0; i < 3; i++) {
        esdk_session *s;
        size_t produced, used, total = 0, off = 0;
        assert_int_equal(esdk_session_new(ESDK_MODE_ENCRYPT, NULL, cmm, &s), 0);
        for (int guard = 0; off < sizeof pt && guard < 8; guard++) {
            assert_int_equal(
                esdk_session_process(
                    s,
                    out + total,
                    sizeof out - total,
                    &produced,
                    pt + off,
                    sizeof pt - off,
                    &used),
                0);
            off += used;
            total += produced;
        }
        assert_int_equal(off, sizeof pt);
        assert_int_equal(esdk_session_end_input(s), 0);
        for (int guard = 0; !esdk_session_is_done(s) && guard < 8; guard++) {
            assert_int_equal(
                esdk_session_process(s, out + total, sizeof out - total, &produced, NULL, 0, &used),
                0);
            total += produced;
        }
        assert_true(esdk_session_is_done(s));
        esdk_session_release(s);
        esdk_buf back = ESDK_BUF_INIT;
        assert_int_equal(esdk_decrypt(NULL, NULL, f->plain, NULL, out, total, &back, NULL), 0);
        assert_int_equal(back.len, sizeof pt);
        esdk_buf_release(&back);
    }
    assert_int_equal(enc_calls(f), 3);
    assert_int_equal(esdk_cache_local_count(f->cache), 0);
    esdk_cmm_release(cmm);
}

static void encrypt_plain(fixture *f, const char *ctx_value, esdk_buf *ct)
{
    esdk_enc_ctx *ctx = context(ctx_value);
    const uint8_t pt[] = "decrypt me twice";
    assert_int_equal(esdk_encrypt(NULL, NULL, f->plain, ctx, pt, sizeof pt, ct), 0);
    esdk_enc_ctx_release(ctx);
}

static int decrypt_with(esdk_cmm *cmm, const esdk_buf *ct, const esdk_enc_ctx *reproduced)
{
    esdk_buf back = ESDK_BUF_INIT;
    int rc = esdk_decrypt(NULL, cmm, NULL, reproduced, ct->data, ct->len, &back, NULL);
    esdk_buf_release(&back);
    return rc;
}

static void test_decrypt_cached(void **st)
{
    fixture *f = *st;
    esdk_cmm *cmm = caching(f, 1000, NULL);
    esdk_buf m1 = ESDK_BUF_INIT, m2 = ESDK_BUF_INIT;
    encrypt_plain(f, "blue", &m1);
    encrypt_plain(f, "blue", &m2); /* another data key, so other EDKs */
    assert_int_equal(decrypt_with(cmm, &m1, NULL), 0);
    assert_int_equal(decrypt_with(cmm, &m1, NULL), 0);
    assert_int_equal(dec_calls(f), 1);
    assert_int_equal(decrypt_with(cmm, &m2, NULL), 0);
    assert_int_equal(decrypt_with(cmm, &m2, NULL), 0);
    assert_int_equal(dec_calls(f), 2);
    fake_now += 1000; /* max age */
    assert_int_equal(decrypt_with(cmm, &m1, NULL), 0);
    assert_int_equal(dec_calls(f), 3);

    /* a reproduced context is checked on every decrypt, cached or not */
    esdk_enc_ctx *right = context("blue"), *wrong = context("red");
    assert_int_equal(decrypt_with(cmm, &m1, wrong), ESDK_ERR_CONTEXT_MISMATCH);
    assert_int_equal(decrypt_with(cmm, &m1, right), 0);
    assert_int_equal(decrypt_with(cmm, &m1, right), 0);
    assert_int_equal(decrypt_with(cmm, &m1, wrong), ESDK_ERR_CONTEXT_MISMATCH);
    /* the mismatch fails before any keyring call; the right context is cached */
    assert_int_equal(dec_calls(f), 4);
    esdk_enc_ctx_release(right);
    esdk_enc_ctx_release(wrong);

    /* what the caching CMM encrypts, it decrypts from its cache too */
    esdk_options *o = options(ESDK_COMMITMENT_REQUIRE_ENCRYPT_REQUIRE_DECRYPT, 0x0478);
    esdk_buf m3 = ESDK_BUF_INIT;
    const uint8_t pt[] = "x";
    assert_int_equal(esdk_encrypt(o, cmm, NULL, NULL, pt, sizeof pt, &m3), 0);
    assert_int_equal(decrypt_with(cmm, &m3, NULL), 0);
    assert_int_equal(decrypt_with(cmm, &m3, NULL), 0);
    assert_int_equal(dec_calls(f), 5);
    esdk_options_release(o);
    esdk_buf_release(&m1);
    esdk_buf_release(&m2);
    esdk_buf_release(&m3);
    esdk_cmm_release(cmm);
}

static void test_configuration(void **st)
{
    fixture *f = *st;
    esdk_cmm *cmm, *def;
    assert_int_equal(esdk_cmm_caching_new(NULL, NULL, f->cache, 10, &cmm), ESDK_ERR_BAD_ARGUMENT);
    assert_int_equal(esdk_cmm_default_new(f->keyring, &def), 0);
    assert_int_equal(
        esdk_cmm_caching_new(def, f->keyring, f->cache, 10, &cmm), ESDK_ERR_BAD_ARGUMENT);
    assert_int_equal(esdk_cmm_caching_new(def, NULL, f->cache, 0, &cmm), ESDK_ERR_BAD_ARGUMENT);
    assert_int_equal(esdk_cmm_caching_new(def, NULL, NULL, 10, &cmm), ESDK_ERR_BAD_ARGUMENT);
    /* the setters refuse CMMs that are not caching CMMs */
    assert_int_equal(esdk_cmm_caching_set_limit_messages(def, 3), ESDK_ERR_BAD_ARGUMENT);
    assert_int_equal(esdk_cmm_caching_set_limit_bytes(NULL, 3), ESDK_ERR_BAD_ARGUMENT);

    /* over an underlying CMM rather than a keyring */
    assert_int_equal(esdk_cmm_caching_new(def, NULL, f->cache, 60000, &cmm), 0);
    esdk_cmm_release(def);
    assert_string_equal(esdk_cmm_name(cmm), "caching");
    assert_int_equal(esdk_cmm_caching_set_limit_messages(cmm, 0), ESDK_ERR_BAD_ARGUMENT);
    assert_int_equal(
        esdk_cmm_caching_set_limit_messages(cmm, ESDK_CACHE_MAX_MESSAGES + 1),
        ESDK_ERR_BAD_ARGUMENT);
    assert_int_equal(esdk_cmm_caching_set_limit_messages(cmm, ESDK_CACHE_MAX_MESSAGES), 0);
    assert_int_equal(esdk_cmm_caching_set_limit_bytes(cmm, 0), ESDK_ERR_BAD_ARGUMENT);
    assert_int_equal(
        esdk_cmm_caching_set_limit_bytes(cmm, ESDK_CACHE_MAX_BYTES + 1), ESDK_ERR_BAD_ARGUMENT);
    assert_int_equal(esdk_cmm_caching_set_limit_bytes(cmm, ESDK_CACHE_MAX_BYTES), 0);
    assert_int_equal(esdk_cmm_caching_set_partition_id(cmm, NULL, 0), 0);
    assert_int_equal(esdk_cmm_caching_set_partition_id(cmm, NULL, 1), ESDK_ERR_BAD_ARGUMENT);
    esdk_options *o = options(ESDK_COMMITMENT_REQUIRE_ENCRYPT_REQUIRE_DECRYPT, 0x0478);
    encrypt_n(f, cmm, o, 10, 2);
    assert_int_equal(enc_calls(f), 1);
    /* once used, the configuration is fixed: other threads may be using it */
    assert_int_equal(esdk_cmm_caching_set_limit_messages(cmm, 5), ESDK_ERR_BAD_STATE);
    assert_int_equal(esdk_cmm_caching_set_limit_bytes(cmm, 5), ESDK_ERR_BAD_STATE);
    assert_int_equal(
        esdk_cmm_caching_set_partition_id(cmm, (const uint8_t *)"p", 1), ESDK_ERR_BAD_STATE);
    esdk_options_release(o);
    esdk_cmm_release(cmm);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_one_keyring_call_per_miss, setup, teardown),
        cmocka_unit_test_setup_teardown(test_message_limit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_byte_limit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_max_age, setup, teardown),
        cmocka_unit_test_setup_teardown(test_partitions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_contexts_and_suites_apart, setup, teardown),
        cmocka_unit_test_setup_teardown(test_policy_checked_on_hit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_signing_key_cached, setup, teardown),
        cmocka_unit_test_setup_teardown(test_non_kdf_suites_never_cached, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unknown_length_bypasses, setup, teardown),
        cmocka_unit_test_setup_teardown(test_decrypt_cached, setup, teardown),
        cmocka_unit_test_setup_teardown(test_configuration, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
