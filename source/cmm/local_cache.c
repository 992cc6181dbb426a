/* The local materials cache (spec-facts 4.5): a fixed number of entries in a hash table,
 * threaded on a least-recently-used list, behind one mutex.
 *
 * The mutex covers only bookkeeping. Copies of materials are made outside it (an entry's
 * materials never change after its put, and a reference count keeps the entry alive while
 * a get copies from it), and dropped entries are wiped outside it too, so that one slow
 * copy (a signing key) does not stall every other thread. */
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>
#include <time.h>

#include <aws-esdk-c/cache.h>
#include <aws-esdk-c/error.h>

#include "cmm/cache_handle.h"
#include "common/mem.h"
#include "common/status.h"
/* last: it poisons the calls this library must not make */
#include "banned.h"

/* Expired entries looked at among the least recently used per operation: enough to keep
 * expired keys from lingering, small enough to bound the time under the lock. */
#define PRUNE_BATCH 8
/* Bucket arrays stop growing here; beyond, chains get longer instead. */
#define MAX_BUCKETS ((size_t)1 << 20)

typedef struct entry {
    uint8_t id[ESDK_CACHE_ID_LEN];
    esdk_enc_materials *enc; /* exactly one of enc and dec; never changed after the put */
    esdk_dec_materials *dec;
    uint64_t created_ms;
    uint64_t expires_ms;
    esdk_cache_usage usage;      /* under the lock */
    struct entry *newer, *older; /* LRU list, under the lock */
    struct entry *chain;         /* bucket chain; once detached, the list to drop */
    atomic_size_t refs;          /* 1 while in the table + 1 per get copying from it */
} entry;

typedef struct local_cache {
    pthread_mutex_t lock;
    size_t capacity;
    size_t count;
    entry **buckets;
    size_t bucket_mask;
    entry *newest, *oldest;
    esdk_clock_fn clock;
    void *clock_ctx;
} local_cache;

static uint64_t monotonic_ms(void *ctx)
{
    (void)ctx;
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static uint64_t sat_add(uint64_t a, uint64_t b)
{
    return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

static void entry_unref(entry *e)
{
    if (atomic_fetch_sub(&e->refs, 1) == 1) {
        /* the materials' release wipes their keys */
        esdk_enc_materials_release(e->enc);
        esdk_dec_materials_release(e->dec);
        esdk_mem_release(e, sizeof *e);
    }
}

/* Ids are SHA-512 digests, but the vtable is public: fold all of it, not one word. */
static entry **bucket_of(local_cache *lc, const uint8_t *id)
{
    uint64_t h = 0;
    for (size_t i = 0; i < ESDK_CACHE_ID_LEN; i++) {
        h = (h ^ id[i]) * UINT64_C(0x100000001b3);
    }
    return &lc->buckets[h & lc->bucket_mask];
}

static entry *find(local_cache *lc, const uint8_t *id)
{
    for (entry *e = *bucket_of(lc, id); e; e = e->chain) {
        if (esdk_bytes_equal(e->id, ESDK_CACHE_ID_LEN, id, ESDK_CACHE_ID_LEN)) {
            return e;
        }
    }
    return NULL;
}

static void lru_unlink(local_cache *lc, entry *e)
{
    *(e->newer ? &e->newer->older : &lc->newest) = e->older;
    *(e->older ? &e->older->newer : &lc->oldest) = e->newer;
    e->newer = e->older = NULL;
}

static void lru_push_newest(local_cache *lc, entry *e)
{
    e->older = lc->newest;
    e->newer = NULL;
    *(lc->newest ? &lc->newest->newer : &lc->oldest) = e;
    lc->newest = e;
}

/* Take e out of the table and onto *dropped; the caller unrefs it after unlocking. */
static void detach(local_cache *lc, entry *e, entry **dropped)
{
    entry **p = bucket_of(lc, e->id);
    while (*p != e) {
        p = &(*p)->chain;
    }
    *p = e->chain;
    lru_unlink(lc, e);
    lc->count--;
    e->chain = *dropped;
    *dropped = e;
}

static void drop_all(entry *dropped)
{
    while (dropped) {
        entry *next = dropped->chain;
        entry_unref(dropped);
        dropped = next;
    }
}

static void prune_expired(local_cache *lc, uint64_t now, entry **dropped)
{
    entry *e = lc->oldest;
    for (int i = 0; e && i < PRUNE_BATCH; i++) {
        entry *newer = e->newer;
        if (now >= e->expires_ms) {
            detach(lc, e, dropped);
        }
        e = newer;
    }
}

static int copy_materials(const entry *e, esdk_cache_hit *hit)
{
    return e->enc ? esdk_enc_materials_clone(e->enc, &hit->enc)
                  : esdk_dec_materials_clone(e->dec, &hit->dec);
}

static int local_get(
    void *state, const uint8_t *id, const esdk_cache_usage *add, esdk_cache_hit *hit, bool *found)
{
    local_cache *lc = state;
    entry *dropped = NULL;
    pthread_mutex_lock(&lc->lock);
    const uint64_t now = lc->clock(lc->clock_ctx);
    prune_expired(lc, now, &dropped);
    entry *e = find(lc, id);
    if (e && now >= e->expires_ms) {
        detach(lc, e, &dropped);
        e = NULL;
    }
    if (e) {
        if (add) {
            e->usage.messages = sat_add(e->usage.messages, add->messages);
            e->usage.bytes = sat_add(e->usage.bytes, add->bytes);
        }
        hit->usage = e->usage;
        hit->age_ms = now > e->created_ms ? now - e->created_ms : 0;
        lru_unlink(lc, e);
        lru_push_newest(lc, e);
        atomic_fetch_add(&e->refs, 1);
    }
    pthread_mutex_unlock(&lc->lock);
    drop_all(dropped);

    *found = false;
    if (!e) {
        return 0;
    }
    int rc = copy_materials(e, hit);
    entry_unref(e);
    if (rc) {
        return rc;
    }
    *found = true;
    return 0;
}

static int local_put(
    void *state,
    const uint8_t *id,
    const esdk_enc_materials *enc,
    const esdk_dec_materials *dec,
    const esdk_cache_usage *usage,
    uint64_t ttl_ms)
{
    local_cache *lc = state;
    entry *e = esdk_mem_acquire(sizeof *e);
    if (!e) {
        return esdk_fail(ESDK_ERR_NO_MEMORY, "cannot allocate a cache entry");
    }
    memcpy(e->id, id, ESDK_CACHE_ID_LEN);
    e->usage = *usage;
    atomic_init(&e->refs, 1);
    int rc = enc ? esdk_enc_materials_clone(enc, &e->enc) : esdk_dec_materials_clone(dec, &e->dec);
    if (rc) {
        entry_unref(e);
        return rc;
    }

    entry *dropped = NULL;
    pthread_mutex_lock(&lc->lock);
    const uint64_t now = lc->clock(lc->clock_ctx);
    e->created_ms = now;
    e->expires_ms = sat_add(now, ttl_ms);
    entry *old = find(lc, id);
    if (old) {
        detach(lc, old, &dropped);
    }
    entry **bucket = bucket_of(lc, id);
    e->chain = *bucket;
    *bucket = e;
    lru_push_newest(lc, e);
    lc->count++;
    while (lc->count > lc->capacity) {
        detach(lc, lc->oldest, &dropped);
    }
    prune_expired(lc, now, &dropped);
    pthread_mutex_unlock(&lc->lock);
    drop_all(dropped);
    return 0;
}

static void local_remove(void *state, const uint8_t *id)
{
    local_cache *lc = state;
    entry *dropped = NULL;
    pthread_mutex_lock(&lc->lock);
    entry *e = find(lc, id);
    if (e) {
        detach(lc, e, &dropped);
    }
    pthread_mutex_unlock(&lc->lock);
    drop_all(dropped);
}

static void local_destroy(void *state)
{
    local_cache *lc = state;
    entry *dropped = NULL;
    while (lc->oldest) {
        detach(lc, lc->oldest, &dropped);
    }
    drop_all(dropped);
    esdk_mem_release(lc->buckets, (lc->bucket_mask + 1) * sizeof(entry *));
    pthread_mutex_destroy(&lc->lock);
    esdk_mem_release(lc, sizeof *lc);
}

static const esdk_cache_vtable local_vt = {
    .size = sizeof(esdk_cache_vtable),
    .name = "local",
    .get = local_get,
    .put = local_put,
    .remove = local_remove,
    .destroy = local_destroy,
};

int esdk_cache_local_new(size_t capacity, esdk_cache **out)
{
    ESDK_ENSURE(capacity >= 1 && out != NULL, ESDK_ERR_BAD_ARGUMENT);
    size_t buckets = 16;
    while (buckets < capacity && buckets < MAX_BUCKETS) {
        buckets *= 2;
    }
    local_cache *lc = esdk_mem_acquire(sizeof *lc);
    entry **table = esdk_mem_acquire(buckets * sizeof(entry *));
    if (!lc || !table || pthread_mutex_init(&lc->lock, NULL) != 0) {
        esdk_mem_release(table, buckets * sizeof(entry *));
        esdk_mem_release(lc, sizeof *lc);
        return esdk_fail(ESDK_ERR_NO_MEMORY, "cannot allocate a local cache");
    }
    lc->capacity = capacity;
    lc->buckets = table;
    lc->bucket_mask = buckets - 1;
    lc->clock = monotonic_ms;
    return esdk_cache_new(&local_vt, lc, out);
}

/* The local cache's state, or NULL if cache is another kind of cache. */
static local_cache *local_of(esdk_cache *cache)
{
    return esdk_cache_vtable_of(cache) == &local_vt ? esdk_cache_state(cache) : NULL;
}

int esdk_cache_local_set_clock(esdk_cache *cache, esdk_clock_fn clock, void *ctx)
{
    local_cache *lc = local_of(cache);
    if (!lc) {
        return esdk_fail(ESDK_ERR_BAD_ARGUMENT, "not a local cache");
    }
    pthread_mutex_lock(&lc->lock);
    lc->clock = clock ? clock : monotonic_ms;
    lc->clock_ctx = clock ? ctx : NULL;
    pthread_mutex_unlock(&lc->lock);
    return 0;
}

size_t esdk_cache_local_count(esdk_cache *cache)
{
    local_cache *lc = local_of(cache);
    if (!lc) {
        return 0;
    }
    pthread_mutex_lock(&lc->lock);
    size_t n = lc->count;
    pthread_mutex_unlock(&lc->lock);
    return n;
}
