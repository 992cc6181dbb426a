/* The local materials cache and the cache handle: copies in and out, usage counters,
 * least-recently-used eviction, time to live on an injected clock, and the contract checks
 * on an application's cache. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "support/test_support.h"

static uint64_t fake_now;

static uint64_t fake_clock(void *ctx)
{
    return *(uint64_t *)ctx;
}

static void id_of(uint8_t tag, uint8_t id[ESDK_CACHE_ID_LEN])
{
    memset(id, 0, ESDK_CACHE_ID_LEN);
    id[ESDK_CACHE_ID_LEN - 1] = tag; /* ids that differ in one byte only: the table folds all */
}

static esdk_enc_materials *enc_materials(void)
{
    esdk_enc_ctx *ctx;
    esdk_enc_materials *m;
    assert_int_equal(esdk_enc_ctx_new(&ctx), 0);
    assert_int_equal(esdk_enc_ctx_set_str(ctx, "k", "v"), 0);
    assert_int_equal(esdk_enc_materials_new(0x0478, ctx, NULL, 0, &m), 0);
    assert_int_equal(esdk_enc_materials_generate_data_key(m), 0);
    esdk_edk edk = {(const uint8_t *)"p", 1, (const uint8_t *)"i", 1, (const uint8_t *)"c", 1};
    assert_int_equal(esdk_enc_materials_add_edk(m, &edk), 0);
    esdk_enc_ctx_release(ctx);
    return m;
}

static esdk_dec_materials *dec_materials(void)
{
    esdk_enc_ctx *ctx;
    esdk_dec_materials *m;
    uint8_t key[32] = {1, 2, 3};
    assert_int_equal(esdk_enc_ctx_new(&ctx), 0);
    assert_int_equal(esdk_dec_materials_new(0x0478, ctx, NULL, 0, &m), 0);
    assert_int_equal(esdk_dec_materials_set_data_key(m, key, sizeof key), 0);
    esdk_enc_ctx_release(ctx);
    return m;
}

static esdk_cache *local_cache(size_t capacity)
{
    esdk_cache *c;
    assert_int_equal(esdk_cache_local_new(capacity, &c), 0);
    fake_now = 1000;
    assert_int_equal(esdk_cache_local_set_clock(c, fake_clock, &fake_now), 0);
    return c;
}

static void put_enc(esdk_cache *c, uint8_t tag, uint64_t ttl)
{
    uint8_t id[ESDK_CACHE_ID_LEN];
    id_of(tag, id);
    esdk_enc_materials *m = enc_materials();
    const esdk_cache_usage u = {1, 10};
    assert_int_equal(esdk_cache_put(c, id, m, NULL, &u, ttl), 0);
    esdk_enc_materials_release(m);
}

static bool present(esdk_cache *c, uint8_t tag)
{
    uint8_t id[ESDK_CACHE_ID_LEN];
    esdk_cache_hit hit;
    bool found;
    id_of(tag, id);
    assert_int_equal(esdk_cache_get(c, id, NULL, &hit, &found), 0);
    esdk_cache_hit_clear(&hit);
    return found;
}

/* spec: cache-4 */
static void test_put_get_copies(void **st)
{
    (void)st;
    esdk_cache *c = local_cache(4);
    uint8_t id[ESDK_CACHE_ID_LEN];
    id_of(1, id);
    esdk_enc_materials *m = enc_materials();
    const esdk_cache_usage u = {1, 100};
    assert_int_equal(esdk_cache_put(c, id, m, NULL, &u, 60000), 0);

    esdk_cache_hit a, b;
    bool found;
    const esdk_cache_usage add = {1, 50};
    fake_now += 7;
    assert_int_equal(esdk_cache_get(c, id, &add, &a, &found), 0);
    assert_true(found);
    assert_non_null(a.enc);
    assert_null(a.dec);
    assert_int_equal(a.usage.messages, 2);
    assert_int_equal(a.usage.bytes, 150);
    assert_int_equal(a.age_ms, 7);
    assert_int_equal(esdk_cache_get(c, id, &add, &b, &found), 0);
    assert_true(found);
    assert_int_equal(b.usage.messages, 3);
    assert_int_equal(b.usage.bytes, 200);
    /* each hit is its own copy: never the caller's object, never another hit's */
    assert_ptr_not_equal(a.enc, m);
    assert_ptr_not_equal(a.enc, b.enc);
    const uint8_t *k1, *k2, *k0;
    size_t l1, l2, l0;
    assert_true(esdk_enc_materials_data_key(m, &k0, &l0));
    assert_true(esdk_enc_materials_data_key(a.enc, &k1, &l1));
    assert_true(esdk_enc_materials_data_key(b.enc, &k2, &l2));
    assert_ptr_not_equal(k1, k2);
    assert_memory_equal(k0, k1, l0);
    assert_memory_equal(k1, k2, l1);
    assert_int_equal(esdk_edk_list_count(esdk_enc_materials_edks(a.enc)), 1);
    /* the cache kept its own copy: releasing the original and the hits changes nothing */
    esdk_enc_materials_release(m);
    esdk_cache_hit_clear(&a);
    esdk_cache_hit_clear(&b);
    assert_null(a.enc);
    assert_true(present(c, 1));

    /* decryption materials, and a miss */
    esdk_dec_materials *d = dec_materials();
    const esdk_cache_usage none = {0, 0};
    id_of(2, id);
    assert_int_equal(esdk_cache_put(c, id, NULL, d, &none, 60000), 0);
    esdk_dec_materials_release(d);
    assert_int_equal(esdk_cache_get(c, id, NULL, &a, &found), 0);
    assert_true(found);
    assert_null(a.enc);
    assert_non_null(a.dec);
    assert_int_equal(a.usage.messages, 0);
    esdk_cache_hit_clear(&a);
    assert_false(present(c, 3));
    assert_int_equal(esdk_cache_local_count(c), 2);
    esdk_cache_release(c);
}

static void test_replace_and_remove(void **st)
{
    (void)st;
    esdk_cache *c = local_cache(4);
    uint8_t id[ESDK_CACHE_ID_LEN];
    id_of(1, id);
    put_enc(c, 1, 60000);
    put_enc(c, 1, 60000); /* replaces: usage starts again */
    assert_int_equal(esdk_cache_local_count(c), 1);
    esdk_cache_hit hit;
    bool found;
    assert_int_equal(esdk_cache_get(c, id, NULL, &hit, &found), 0);
    assert_true(found);
    assert_int_equal(hit.usage.messages, 1);
    esdk_cache_hit_clear(&hit);
    esdk_cache_remove(c, id);
    esdk_cache_remove(c, id); /* absent: fine */
    assert_false(present(c, 1));
    assert_int_equal(esdk_cache_local_count(c), 0);
    esdk_cache_release(c);
}

/* spec: cache-4 */
static void test_lru_eviction(void **st)
{
    (void)st;
    esdk_cache *c = local_cache(2);
    put_enc(c, 1, 60000);
    put_enc(c, 2, 60000);
    assert_true(present(c, 1)); /* 1 is now the most recently used */
    put_enc(c, 3, 60000);       /* evicts 2 */
    assert_int_equal(esdk_cache_local_count(c), 2);
    assert_false(present(c, 2));
    assert_true(present(c, 3));
    assert_true(present(c, 1)); /* now 3 is the least recently used */
    put_enc(c, 4, 60000);
    assert_false(present(c, 3));
    assert_true(present(c, 1));
    assert_true(present(c, 4));
    esdk_cache_release(c);

    /* capacity 1 keeps only the last put */
    c = local_cache(1);
    put_enc(c, 1, 60000);
    put_enc(c, 2, 60000);
    assert_false(present(c, 1));
    assert_true(present(c, 2));
    esdk_cache_release(c);
}

/* spec: cache-4 */
static void test_time_to_live(void **st)
{
    (void)st;
    esdk_cache *c = local_cache(8);
    put_enc(c, 1, 100);
    put_enc(c, 2, 1000);
    fake_now += 99;
    assert_true(present(c, 1));
    fake_now += 1; /* exactly ttl: expired */
    assert_false(present(c, 1));
    assert_true(present(c, 2));
    assert_int_equal(esdk_cache_local_count(c), 1); /* the expired entry was pruned */

    /* expired entries are pruned by gets of other ids too */
    put_enc(c, 3, 10);
    put_enc(c, 4, 10);
    assert_int_equal(esdk_cache_local_count(c), 3);
    fake_now += 10;
    assert_true(present(c, 2));
    assert_int_equal(esdk_cache_local_count(c), 1);
    /* a clock that goes backwards gives age 0, not a huge age */
    fake_now -= 500;
    uint8_t id[ESDK_CACHE_ID_LEN];
    esdk_cache_hit hit;
    bool found;
    id_of(2, id);
    assert_int_equal(esdk_cache_get(c, id, NULL, &hit, &found), 0);
    assert_true(found);
    assert_int_equal(hit.age_ms, 0);
    esdk_cache_hit_clear(&hit);
    /* back to the default clock: the fake times are far in the past of no monotonic clock,
     * so just check it works */
    assert_int_equal(esdk_cache_local_set_clock(c, NULL, NULL), 0);
    put_enc(c, 5, 60000);
    assert_true(present(c, 5));
    esdk_cache_release(c);
}

static void test_arguments(void **st)
{
    (void)st;
    esdk_cache *c;
    assert_int_equal(esdk_cache_local_new(0, &c), ESDK_ERR_BAD_ARGUMENT);
    c = local_cache(2);
    uint8_t id[ESDK_CACHE_ID_LEN];
    id_of(1, id);
    esdk_enc_materials *m = enc_materials();
    esdk_dec_materials *d = dec_materials();
    const esdk_cache_usage u = {0, 0};
    assert_int_equal(esdk_cache_put(c, id, m, d, &u, 10), ESDK_ERR_BAD_ARGUMENT);
    assert_int_equal(esdk_cache_put(c, id, NULL, NULL, &u, 10), ESDK_ERR_BAD_ARGUMENT);
    assert_int_equal(esdk_cache_put(c, id, m, NULL, &u, 0), ESDK_ERR_BAD_ARGUMENT);
    assert_int_equal(esdk_cache_local_count(c), 0);
    assert_string_equal(esdk_cache_name(c), "local");
    assert_ptr_equal(esdk_cache_retain(c), c);
    esdk_cache_release(c);
    esdk_cache_release(c);
    esdk_cache_release(NULL);
    esdk_enc_materials_release(m);
    esdk_dec_materials_release(d);
}

/* An application's cache that breaks the contract: the handle must catch it. */
static int bad_get(
    void *state, const uint8_t *id, const esdk_cache_usage *add, esdk_cache_hit *hit, bool *found)
{
    (void)state;
    (void)id;
    (void)add;
    *found = true; /* a hit without materials */
    (void)hit;
    return 0;
}

static int null_put(
    void *state,
    const uint8_t *id,
    const esdk_enc_materials *enc,
    const esdk_dec_materials *dec,
    const esdk_cache_usage *usage,
    uint64_t ttl)
{
    (void)state;
    (void)id;
    (void)enc;
    (void)dec;
    (void)usage;
    (void)ttl;
    return 0;
}

static void null_remove(void *state, const uint8_t *id)
{
    (void)state;
    (void)id;
}

static int destroyed;

static void count_destroy(void *state)
{
    (void)state;
    destroyed++;
}

static const esdk_cache_vtable bad_vt = {
    sizeof(esdk_cache_vtable), "bad", bad_get, null_put, null_remove, count_destroy};

/* spec: cache-5 */
static void test_custom_cache_contract(void **st)
{
    (void)st;
    esdk_cache *c;
    static int state;
    destroyed = 0;
    assert_int_equal(esdk_cache_new(&bad_vt, &state, &c), 0);
    assert_string_equal(esdk_cache_name(c), "bad");
    assert_ptr_equal(esdk_cache_state(c), &state);
    uint8_t id[ESDK_CACHE_ID_LEN] = {0};
    esdk_cache_hit hit;
    bool found = true;
    assert_int_equal(esdk_cache_get(c, id, NULL, &hit, &found), ESDK_ERR_INTERNAL);
    assert_false(found);
    /* the local-cache functions refuse another kind of cache */
    assert_int_equal(esdk_cache_local_set_clock(c, fake_clock, &fake_now), ESDK_ERR_BAD_ARGUMENT);
    assert_int_equal(esdk_cache_local_count(c), 0);
    esdk_cache_release(c);
    assert_int_equal(destroyed, 1);

    /* an incomplete vtable is refused, and the state is destroyed all the same */
    esdk_cache_vtable incomplete = bad_vt;
    incomplete.put = NULL;
    assert_int_equal(esdk_cache_new(&incomplete, &state, &c), ESDK_ERR_BAD_ARGUMENT);
    assert_int_equal(destroyed, 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_put_get_copies),
        cmocka_unit_test(test_replace_and_remove),
        cmocka_unit_test(test_lru_eviction),
        cmocka_unit_test(test_time_to_live),
        cmocka_unit_test(test_arguments),
        cmocka_unit_test(test_custom_cache_contract),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
