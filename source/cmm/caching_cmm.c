/* The caching CMM (spec-facts 4.3): reuse materials from a cache, within a max age and
 * message/byte limits, and fall back on the underlying CMM on a miss. */
#include <stdatomic.h>

#include <aws-esdk-c/cache.h>
#include <aws-esdk-c/cmm.h>
#include <aws-esdk-c/error.h>

#include "cmm/cache_id.h"
#include "common/mem.h"
#include "common/status.h"
#include "crypto/random.h"
/* last: it poisons the calls this library must not make */
#include "banned.h"

/* Random bytes of the default partition id: enough that two CMMs never meet by chance. */
#define DEFAULT_PARTITION_LEN 32

typedef struct caching_cmm {
    esdk_cmm *underlying;
    esdk_cache *cache;
    uint64_t max_age_ms;
    uint64_t limit_messages;
    uint64_t limit_bytes;
    uint8_t partition[ESDK_CACHE_ID_LEN]; /* SHA-512 of the partition id */
    atomic_bool used;                     /* the setters refuse once the CMM served a request */
} caching_cmm;

static void mark_used(caching_cmm *c)
{
    if (!atomic_load_explicit(&c->used, memory_order_relaxed)) {
        atomic_store(&c->used, true);
    }
}

/* A store that fails costs only the next hit: the request itself has its materials. */
static void store(
    caching_cmm *c,
    const uint8_t *id,
    const esdk_enc_materials *enc,
    const esdk_dec_materials *dec,
    const esdk_cache_usage *usage)
{
    if (esdk_cache_put(c->cache, id, enc, dec, usage, c->max_age_ms) != 0) {
        esdk_clear_error();
    }
}

static bool
enc_hit_usable(const caching_cmm *c, const esdk_enc_request *req, const esdk_cache_hit *hit)
{
    return hit->enc && hit->age_ms < c->max_age_ms && hit->usage.messages <= c->limit_messages &&
           hit->usage.bytes <= c->limit_bytes &&
           esdk_policy_allows_encrypt(req->policy, esdk_enc_materials_suite(hit->enc));
}

static int encrypt_on_miss(
    caching_cmm *c,
    const esdk_enc_request *req,
    const uint8_t *id,
    const esdk_cache_usage *usage,
    esdk_enc_materials **out)
{
    /* The materials will serve other messages too: this one's length must not shape them. */
    esdk_enc_request upstream = *req;
    upstream.plaintext_length = ESDK_LENGTH_UNKNOWN;
    esdk_enc_materials *m;
    ESDK_TRY(esdk_cmm_get_encryption_materials(c->underlying, &upstream, &m));
    if (esdk_suite_has_kdf(esdk_enc_materials_suite(m))) {
        store(c, id, m, NULL, usage);
    }
    *out = m;
    return 0;
}

static int
get_encryption_materials(void *state, const esdk_enc_request *req, esdk_enc_materials **out)
{
    caching_cmm *c = state;
    mark_used(c);
    const uint64_t len = req->plaintext_length;
    if (len == ESDK_LENGTH_UNKNOWN || len >= c->limit_bytes ||
        (req->suite_id && !esdk_suite_has_kdf(req->suite_id))) {
        return esdk_cmm_get_encryption_materials(c->underlying, req, out);
    }
    uint8_t id[ESDK_CACHE_ID_LEN];
    int rc = esdk_cache_id_encrypt(
        c->partition,
        req->suite_id,
        req->context,
        req->required_keys,
        req->required_keys_count,
        id);
    if (rc == ESDK_ERR_BAD_CONTEXT) {
        /* too large to serialize: not cacheable; the underlying CMM decides what to do */
        esdk_clear_error();
        return esdk_cmm_get_encryption_materials(c->underlying, req, out);
    }
    ESDK_TRY(rc);

    const esdk_cache_usage usage = {1, len};
    esdk_cache_hit hit;
    bool found;
    ESDK_TRY(esdk_cache_get(c->cache, id, &usage, &hit, &found));
    if (found && enc_hit_usable(c, req, &hit)) {
        *out = hit.enc;
        return 0;
    }
    if (found) {
        /* too old, used up, or of a suite this request may not use: a fresh key replaces it */
        esdk_cache_remove(c->cache, id);
        esdk_cache_hit_clear(&hit);
    }
    return encrypt_on_miss(c, req, id, &usage, out);
}

static int decrypt_materials(void *state, const esdk_dec_request *req, esdk_dec_materials **out)
{
    caching_cmm *c = state;
    mark_used(c);
    /* The policy check stays with the underlying CMM and the CMM wrapper: a forbidden suite
     * is never looked up, so never served from the cache. */
    if (!esdk_suite_has_kdf(req->suite_id) ||
        !esdk_policy_allows_decrypt(req->policy, req->suite_id)) {
        return esdk_cmm_decrypt_materials(c->underlying, req, out);
    }
    uint8_t id[ESDK_CACHE_ID_LEN];
    ESDK_TRY(esdk_cache_id_decrypt(
        c->partition, req->suite_id, req->edks, req->context, req->reproduced_context, id));
    esdk_cache_hit hit;
    bool found;
    ESDK_TRY(esdk_cache_get(c->cache, id, NULL, &hit, &found));
    if (found && hit.dec && hit.age_ms < c->max_age_ms) {
        *out = hit.dec;
        return 0;
    }
    if (found) {
        esdk_cache_remove(c->cache, id);
        esdk_cache_hit_clear(&hit);
    }
    esdk_dec_materials *m;
    ESDK_TRY(esdk_cmm_decrypt_materials(c->underlying, req, &m));
    const esdk_cache_usage none = {0, 0};
    store(c, id, NULL, m, &none);
    *out = m;
    return 0;
}

static void destroy(void *state)
{
    caching_cmm *c = state;
    esdk_cmm_release(c->underlying);
    esdk_cache_release(c->cache);
    esdk_mem_release(c, sizeof *c);
}

/* An array, not a literal, so that its address is unique: the setters recognize a caching
 * CMM by this exact name pointer (the CMM handle does not expose its vtable). */
static const char caching_name[] = "caching";

static const esdk_cmm_vtable caching_vt = {
    .size = sizeof(esdk_cmm_vtable),
    .name = caching_name,
    .get_encryption_materials = get_encryption_materials,
    .decrypt_materials = decrypt_materials,
    .destroy = destroy,
};

int esdk_cmm_caching_new(
    esdk_cmm *cmm, esdk_keyring *keyring, esdk_cache *cache, uint64_t max_age_ms, esdk_cmm **out)
{
    ESDK_ENSURE(out != NULL && cache != NULL && max_age_ms > 0, ESDK_ERR_BAD_ARGUMENT);
    ESDK_ENSURE((cmm == NULL) != (keyring == NULL), ESDK_ERR_BAD_ARGUMENT);
    uint8_t partition[DEFAULT_PARTITION_LEN];
    ESDK_TRY(esdk_random_bytes(partition, sizeof partition));
    caching_cmm *c = esdk_mem_acquire(sizeof *c);
    if (!c) {
        return esdk_fail(ESDK_ERR_NO_MEMORY, "cannot allocate a caching CMM");
    }
    c->max_age_ms = max_age_ms;
    c->limit_messages = ESDK_CACHE_MAX_MESSAGES;
    c->limit_bytes = ESDK_CACHE_MAX_BYTES;
    atomic_init(&c->used, false);
    int rc = esdk_cache_id_partition(partition, sizeof partition, c->partition);
    if (!rc) {
        c->cache = esdk_cache_retain(cache);
        if (cmm) {
            c->underlying = esdk_cmm_retain(cmm);
        } else {
            rc = esdk_cmm_default_new(keyring, &c->underlying);
        }
    }
    if (rc) {
        destroy(c);
        return rc;
    }
    return esdk_cmm_new(&caching_vt, c, out);
}

/* The state of a caching CMM that has not served a request yet; NULL (and why) otherwise. */
static int configurable(esdk_cmm *cmm, caching_cmm **out)
{
    *out = NULL;
    if (!cmm || esdk_cmm_name(cmm) != caching_name) {
        return esdk_fail(ESDK_ERR_BAD_ARGUMENT, "not a caching CMM");
    }
    caching_cmm *c = esdk_cmm_state(cmm);
    if (atomic_load(&c->used)) {
        return esdk_fail(ESDK_ERR_BAD_STATE, "a caching CMM is configured before its first use");
    }
    *out = c;
    return 0;
}

int esdk_cmm_caching_set_limit_messages(esdk_cmm *cmm, uint64_t messages)
{
    caching_cmm *c;
    int rc = configurable(cmm, &c);
    if (!c) {
        return rc;
    }
    ESDK_ENSURE(messages >= 1 && messages <= ESDK_CACHE_MAX_MESSAGES, ESDK_ERR_BAD_ARGUMENT);
    c->limit_messages = messages;
    return 0;
}

int esdk_cmm_caching_set_limit_bytes(esdk_cmm *cmm, uint64_t bytes)
{
    caching_cmm *c;
    int rc = configurable(cmm, &c);
    if (!c) {
        return rc;
    }
    ESDK_ENSURE(bytes >= 1 && bytes <= ESDK_CACHE_MAX_BYTES, ESDK_ERR_BAD_ARGUMENT);
    c->limit_bytes = bytes;
    return 0;
}

int esdk_cmm_caching_set_partition_id(esdk_cmm *cmm, const uint8_t *partition_id, size_t len)
{
    caching_cmm *c;
    int rc = configurable(cmm, &c);
    if (!c) {
        return rc;
    }
    ESDK_ENSURE(partition_id != NULL || len == 0, ESDK_ERR_BAD_ARGUMENT);
    static const uint8_t empty[1];
    return esdk_cache_id_partition(partition_id ? partition_id : empty, len, c->partition);
}
