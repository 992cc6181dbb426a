/* The materials-cache handle: vtable + state + reference count, and the contract checks
 * around every call (a cache written by an application cannot hand out half a hit). */
#include <stdatomic.h>
#include <string.h>

#include <aws-esdk-c/cache.h>
#include <aws-esdk-c/error.h>

#include "cmm/cache_handle.h"
#include "common/mem.h"
#include "common/status.h"
/* last: it poisons the calls this library must not make */
#include "banned.h"

struct esdk_cache {
    const esdk_cache_vtable *vt;
    void *state;
    atomic_size_t refs;
};

int esdk_cache_new(const esdk_cache_vtable *vt, void *state, esdk_cache **out)
{
    if (!vt || !out || vt->size < sizeof(esdk_cache_vtable) || !vt->get || !vt->put ||
        !vt->remove) {
        if (vt && vt->destroy && state) {
            vt->destroy(state);
        }
        return esdk_fail(ESDK_ERR_BAD_ARGUMENT, "incomplete cache vtable");
    }
    esdk_cache *c = esdk_mem_acquire(sizeof *c);
    if (!c) {
        if (vt->destroy && state) {
            vt->destroy(state);
        }
        return esdk_fail(ESDK_ERR_NO_MEMORY, "cannot allocate a cache");
    }
    c->vt = vt;
    c->state = state;
    atomic_init(&c->refs, 1);
    *out = c;
    return 0;
}

esdk_cache *esdk_cache_retain(esdk_cache *c)
{
    if (c) {
        atomic_fetch_add(&c->refs, 1);
    }
    return c;
}

void esdk_cache_release(esdk_cache *c)
{
    if (c && atomic_fetch_sub(&c->refs, 1) == 1) {
        if (c->vt->destroy) {
            c->vt->destroy(c->state);
        }
        esdk_mem_release(c, sizeof *c);
    }
}

const char *esdk_cache_name(const esdk_cache *c)
{
    return (c && c->vt->name) ? c->vt->name : "cache";
}

void *esdk_cache_state(const esdk_cache *c)
{
    return c ? c->state : NULL;
}

const esdk_cache_vtable *esdk_cache_vtable_of(const esdk_cache *c)
{
    return c ? c->vt : NULL;
}

void esdk_cache_hit_clear(esdk_cache_hit *hit)
{
    if (hit) {
        esdk_enc_materials_release(hit->enc);
        esdk_dec_materials_release(hit->dec);
        memset(hit, 0, sizeof *hit);
    }
}

int esdk_cache_get(
    esdk_cache *c, const uint8_t *id, const esdk_cache_usage *add, esdk_cache_hit *hit, bool *found)
{
    ESDK_ENSURE(hit != NULL && found != NULL, ESDK_ERR_BAD_ARGUMENT);
    memset(hit, 0, sizeof *hit);
    *found = false;
    ESDK_ENSURE(c != NULL && id != NULL, ESDK_ERR_BAD_ARGUMENT);
    bool f = false;
    int rc = c->vt->get(c->state, id, add, hit, &f);
    if (rc == 0 && f && (hit->enc == NULL) == (hit->dec == NULL)) {
        rc = esdk_fail(
            ESDK_ERR_INTERNAL,
            "cache %s returned a hit without exactly one materials",
            esdk_cache_name(c));
    }
    if (rc == 0 && !f && (hit->enc || hit->dec)) {
        rc = esdk_fail(
            ESDK_ERR_INTERNAL, "cache %s returned materials on a miss", esdk_cache_name(c));
    }
    if (rc) {
        esdk_cache_hit_clear(hit);
        return rc < 0 ? rc : ESDK_ERR_INTERNAL;
    }
    *found = f;
    return 0;
}

int esdk_cache_put(
    esdk_cache *c,
    const uint8_t *id,
    const esdk_enc_materials *enc,
    const esdk_dec_materials *dec,
    const esdk_cache_usage *usage,
    uint64_t ttl_ms)
{
    ESDK_ENSURE(c != NULL && id != NULL && usage != NULL, ESDK_ERR_BAD_ARGUMENT);
    ESDK_ENSURE((enc == NULL) != (dec == NULL), ESDK_ERR_BAD_ARGUMENT);
    ESDK_ENSURE(ttl_ms > 0, ESDK_ERR_BAD_ARGUMENT);
    int rc = c->vt->put(c->state, id, enc, dec, usage, ttl_ms);
    return rc > 0 ? ESDK_ERR_INTERNAL : rc;
}

void esdk_cache_remove(esdk_cache *c, const uint8_t *id)
{
    if (c && id) {
        c->vt->remove(c->state, id);
    }
}
