/* The hierarchical keyring's branch-key cache: a fixed array of entries in one guarded block
 * (branch keys are long-lived secrets), one mutex, TTL from the put, least recently used
 * evicted first. Lookups scan the array: it holds at most a few thousand entries and is
 * consulted once per message. */
#include <pthread.h>
#include <string.h>
#include <time.h>

#include <aws-esdk-c/error.h>

#include "common/mem.h"
#include "common/status.h"
#include "crypto/secure_mem.h"
#include "keyrings/hierarchy/internal.h"

/* last: poisons calls this library must not make */
#include "banned.h"

struct entry {
    bool used;
    bool active;
    uint64_t stored;    /* clock at put */
    uint64_t last_used; /* recency tick */
    esdk_branch_key bk;
};

struct esdk_hk_cache {
    pthread_mutex_t lock;
    size_t capacity;
    uint64_t ttl_ms;
    esdk_clock_fn clock;
    void *clock_ctx;
    uint64_t tick;
    struct entry *entries; /* guarded memory */
};

static uint64_t monotonic_ms(void *unused)
{
    (void)unused;
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

int esdk_hk_cache_new(
    size_t capacity, uint64_t ttl_ms, esdk_clock_fn clock, void *ctx, esdk_hk_cache **out)
{
    ESDK_ENSURE(capacity >= 1 && ttl_ms >= 1 && out != NULL, ESDK_ERR_BAD_ARGUMENT);
    esdk_hk_cache *c = esdk_mem_acquire(sizeof *c);
    if (!c) {
        return esdk_fail(ESDK_ERR_NO_MEMORY, "cannot allocate a branch key cache");
    }
    c->entries = esdk_secure_alloc(capacity * sizeof *c->entries);
    if (!c->entries || pthread_mutex_init(&c->lock, NULL) != 0) {
        esdk_secure_free(c->entries);
        esdk_mem_release(c, sizeof *c);
        return esdk_fail(ESDK_ERR_NO_MEMORY, "cannot allocate a branch key cache");
    }
    memset(c->entries, 0, capacity * sizeof *c->entries);
    c->capacity = capacity;
    c->ttl_ms = ttl_ms;
    c->clock = clock ? clock : monotonic_ms;
    c->clock_ctx = clock ? ctx : NULL;
    *out = c;
    return 0;
}

void esdk_hk_cache_release(esdk_hk_cache *c)
{
    if (c) {
        pthread_mutex_destroy(&c->lock);
        esdk_secure_free(c->entries); /* wipes */
        esdk_mem_release(c, sizeof *c);
    }
}

static void drop(struct entry *e)
{
    esdk_wipe(e, sizeof *e);
}

bool esdk_hk_cache_get(esdk_hk_cache *c, const uint8_t *version, esdk_branch_key *out)
{
    bool found = false;
    pthread_mutex_lock(&c->lock);
    const uint64_t now = c->clock(c->clock_ctx);
    for (size_t i = 0; i < c->capacity; i++) {
        struct entry *e = &c->entries[i];
        if (!e->used) {
            continue;
        }
        /* a clock that went backwards counts as expired too */
        if (now < e->stored || now - e->stored >= c->ttl_ms) {
            drop(e);
            continue;
        }
        bool match = version ? esdk_bytes_equal(
                                   e->bk.version,
                                   ESDK_BRANCH_KEY_VERSION_LEN,
                                   version,
                                   ESDK_BRANCH_KEY_VERSION_LEN)
                             : e->active;
        if (match && !found) {
            *out = e->bk;
            e->last_used = ++c->tick;
            found = true;
        }
    }
    pthread_mutex_unlock(&c->lock);
    return found;
}

void esdk_hk_cache_put(esdk_hk_cache *c, const esdk_branch_key *bk, bool active)
{
    pthread_mutex_lock(&c->lock);
    struct entry *slot = NULL;
    for (size_t i = 0; i < c->capacity; i++) {
        struct entry *e = &c->entries[i];
        if (e->used && active) {
            e->active = false; /* one active key: the newest */
        }
        if (e->used && esdk_bytes_equal(
                           e->bk.version,
                           ESDK_BRANCH_KEY_VERSION_LEN,
                           bk->version,
                           ESDK_BRANCH_KEY_VERSION_LEN)) {
            slot = e;
        }
    }
    for (size_t i = 0; !slot && i < c->capacity; i++) {
        if (!c->entries[i].used) {
            slot = &c->entries[i];
        }
    }
    if (!slot) { /* full: evict the least recently used */
        slot = &c->entries[0];
        for (size_t i = 1; i < c->capacity; i++) {
            if (c->entries[i].last_used < slot->last_used) {
                slot = &c->entries[i];
            }
        }
    }
    drop(slot);
    slot->used = true;
    slot->active = active;
    slot->stored = c->clock(c->clock_ctx);
    slot->last_used = ++c->tick;
    slot->bk = *bk;
    pthread_mutex_unlock(&c->lock);
}

size_t esdk_hk_cache_count(esdk_hk_cache *c)
{
    size_t n = 0;
    pthread_mutex_lock(&c->lock);
    for (size_t i = 0; i < c->capacity; i++) {
        n += c->entries[i].used;
    }
    pthread_mutex_unlock(&c->lock);
    return n;
}
