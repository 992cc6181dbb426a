/* Branch key supplier handles (vtable + state + reference count, like keyrings) and the
 * static supplier (one version in guarded memory: what the official test vectors use). */
#include <stdatomic.h>
#include <string.h>

#include <aws-esdk-c/error.h>

#include "common/mem.h"
#include "common/status.h"
#include "crypto/secure_mem.h"
#include "keyrings/hierarchy/internal.h"

/* last: poisons calls this library must not make */
#include "banned.h"

struct esdk_branch_key_supplier {
    const esdk_branch_key_supplier_vtable *vt;
    void *state;
    atomic_size_t refs;
};

int esdk_branch_key_supplier_new(
    const esdk_branch_key_supplier_vtable *vt, void *state, esdk_branch_key_supplier **out)
{
    if (!vt || !out || vt->size < sizeof(esdk_branch_key_supplier_vtable) || !vt->get_active ||
        !vt->get_version) {
        if (vt && vt->destroy && state) {
            vt->destroy(state);
        }
        return esdk_fail(ESDK_ERR_BAD_ARGUMENT, "incomplete branch key supplier vtable");
    }
    esdk_branch_key_supplier *s = esdk_mem_acquire(sizeof *s);
    if (!s) {
        if (vt->destroy && state) {
            vt->destroy(state);
        }
        return esdk_fail(ESDK_ERR_NO_MEMORY, "cannot allocate a branch key supplier");
    }
    s->vt = vt;
    s->state = state;
    atomic_init(&s->refs, 1);
    *out = s;
    return 0;
}

esdk_branch_key_supplier *esdk_branch_key_supplier_retain(esdk_branch_key_supplier *s)
{
    if (s) {
        atomic_fetch_add(&s->refs, 1);
    }
    return s;
}

void esdk_branch_key_supplier_release(esdk_branch_key_supplier *s)
{
    if (s && atomic_fetch_sub(&s->refs, 1) == 1) {
        if (s->vt->destroy) {
            s->vt->destroy(s->state);
        }
        esdk_mem_release(s, sizeof *s);
    }
}

const char *esdk_hk_supplier_name(const esdk_branch_key_supplier *s)
{
    return s->vt->name ? s->vt->name : "branch key supplier";
}

void *esdk_hk_supplier_state_if(
    const esdk_branch_key_supplier *s, const esdk_branch_key_supplier_vtable *vt)
{
    return s && s->vt == vt ? s->state : NULL;
}

/* A failing supplier must say why; one that returns a positive or unknown code is a bug. */
static int checked(const esdk_branch_key_supplier *s, int rc, esdk_branch_key *out)
{
    if (rc > 0) {
        rc = esdk_fail(ESDK_ERR_INTERNAL, "%s returned %d", esdk_hk_supplier_name(s), rc);
    }
    if (rc) {
        esdk_wipe(out, sizeof *out);
    }
    return rc;
}

int esdk_hk_supplier_get_active(esdk_branch_key_supplier *s, const char *id, esdk_branch_key *out)
{
    return checked(s, s->vt->get_active(s->state, id, out), out);
}

int esdk_hk_supplier_get_version(
    esdk_branch_key_supplier *s,
    const char *id,
    const uint8_t version[ESDK_BRANCH_KEY_VERSION_LEN],
    esdk_branch_key *out)
{
    int rc = checked(s, s->vt->get_version(s->state, id, version, out), out);
    if (rc == 0 &&
        !esdk_bytes_equal(
            out->version, ESDK_BRANCH_KEY_VERSION_LEN, version, ESDK_BRANCH_KEY_VERSION_LEN)) {
        esdk_wipe(out, sizeof *out);
        rc = esdk_fail(
            ESDK_ERR_KEYRING,
            "%s returned another version than asked for",
            esdk_hk_supplier_name(s));
    }
    return rc;
}

/* ---- the static supplier ---- */

struct static_supplier {
    char *id;
    esdk_branch_key *bk; /* guarded memory */
};

static int static_active(void *state, const char *id, esdk_branch_key *out)
{
    struct static_supplier *st = state;
    if (strcmp(id, st->id) != 0) {
        return esdk_fail(
            ESDK_ERR_BAD_KEY, "the static branch key supplier holds another branch key id");
    }
    *out = *st->bk;
    return 0;
}

static int static_version(
    void *state,
    const char *id,
    const uint8_t version[ESDK_BRANCH_KEY_VERSION_LEN],
    esdk_branch_key *out)
{
    struct static_supplier *st = state;
    char text[ESDK_UUID_STRING_SIZE];
    if (strcmp(id, st->id) != 0 ||
        !esdk_bytes_equal(
            version, ESDK_BRANCH_KEY_VERSION_LEN, st->bk->version, ESDK_BRANCH_KEY_VERSION_LEN)) {
        esdk_hk_uuid_format(version, text);
        return esdk_fail(
            ESDK_ERR_CANNOT_DECRYPT,
            "the static branch key supplier does not hold version %s of that branch key",
            text);
    }
    *out = *st->bk;
    return 0;
}

static void static_destroy(void *state)
{
    struct static_supplier *st = state;
    esdk_str_release(st->id);
    esdk_secure_free(st->bk);
    esdk_mem_release(st, sizeof *st);
}

static const esdk_branch_key_supplier_vtable static_vt = {
    .size = sizeof(esdk_branch_key_supplier_vtable),
    .name = "static branch key supplier",
    .get_active = static_active,
    .get_version = static_version,
    .destroy = static_destroy,
};

int esdk_branch_key_supplier_static_new(
    const char *branch_key_id,
    const char *version,
    const uint8_t *key,
    size_t key_len,
    esdk_branch_key_supplier **out)
{
    ESDK_ENSURE(
        branch_key_id != NULL && *branch_key_id != '\0' && version != NULL && key != NULL &&
            out != NULL,
        ESDK_ERR_BAD_ARGUMENT);
    uint8_t v[ESDK_BRANCH_KEY_VERSION_LEN];
    if (key_len != ESDK_BRANCH_KEY_LEN) {
        return esdk_fail(ESDK_ERR_BAD_KEY, "a branch key is 32 bytes, not %zu", key_len);
    }
    if (!esdk_hk_uuid_parse(version, v)) {
        return esdk_fail(ESDK_ERR_BAD_ARGUMENT, "the branch key version is not a UUID");
    }
    struct static_supplier *st = esdk_mem_acquire(sizeof *st);
    if (st) {
        st->id = esdk_str_copy(branch_key_id);
        st->bk = esdk_secure_alloc(sizeof *st->bk);
    }
    if (!st || !st->id || !st->bk) {
        if (st) {
            static_destroy(st);
        }
        return esdk_fail(ESDK_ERR_NO_MEMORY, "cannot allocate a branch key supplier");
    }
    memcpy(st->bk->key, key, ESDK_BRANCH_KEY_LEN);
    memcpy(st->bk->version, v, sizeof v);
    return esdk_branch_key_supplier_new(&static_vt, st, out);
}
