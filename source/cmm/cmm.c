/* The CMM handle: vtable + state + reference count, and checks on what a CMM returns. */
#include <stdatomic.h>

#include <aws-esdk-c/cmm.h>
#include <aws-esdk-c/error.h>

#include "common/mem.h"
#include "common/status.h"
#include "format/context.h"

/* last: poisons calls this library must not make */
#include "banned.h"

struct esdk_cmm {
    const esdk_cmm_vtable *vt;
    void *state;
    atomic_size_t refs;
};

int esdk_cmm_new(const esdk_cmm_vtable *vt, void *state, esdk_cmm **out)
{
    if (!vt || !out || vt->size < sizeof(esdk_cmm_vtable) || !vt->get_encryption_materials ||
        !vt->decrypt_materials) {
        if (vt && vt->destroy && state) {
            vt->destroy(state);
        }
        return esdk_fail(ESDK_ERR_BAD_ARGUMENT, "incomplete CMM vtable");
    }
    esdk_cmm *c = esdk_mem_acquire(sizeof *c);
    if (!c) {
        if (vt->destroy && state) {
            vt->destroy(state);
        }
        return esdk_fail(ESDK_ERR_NO_MEMORY, "cannot allocate a CMM");
    }
    c->vt = vt;
    c->state = state;
    atomic_init(&c->refs, 1);
    *out = c;
    return 0;
}

esdk_cmm *esdk_cmm_retain(esdk_cmm *c)
{
    if (c) {
        atomic_fetch_add(&c->refs, 1);
    }
    return c;
}

void esdk_cmm_release(esdk_cmm *c)
{
    if (c && atomic_fetch_sub(&c->refs, 1) == 1) {
        if (c->vt->destroy) {
            c->vt->destroy(c->state);
        }
        esdk_mem_release(c, sizeof *c);
    }
}

const char *esdk_cmm_name(const esdk_cmm *c)
{
    return (c && c->vt->name) ? c->vt->name : "cmm";
}

void *esdk_cmm_state(const esdk_cmm *c)
{
    return c ? c->state : NULL;
}

static int check_enc(const esdk_enc_request *req, const esdk_enc_materials *m)
{
    const uint8_t *key;
    size_t len;
    uint16_t suite = esdk_enc_materials_suite(m);
    if (!esdk_policy_allows_encrypt(req->policy, suite)) {
        return esdk_fail(
            ESDK_ERR_POLICY_VIOLATION,
            "CMM chose suite 0x%04x, which the commitment policy forbids",
            suite);
    }
    if (req->suite_id && req->suite_id != suite) {
        return esdk_fail(
            ESDK_ERR_BAD_STATE,
            "CMM returned suite 0x%04x, 0x%04x was requested",
            suite,
            req->suite_id);
    }
    if (!esdk_enc_materials_data_key(m, &key, &len) ||
        esdk_edk_list_count(esdk_enc_materials_edks(m)) == 0) {
        return esdk_fail(ESDK_ERR_KEYRING, "CMM returned materials without a data key or EDK");
    }
    for (size_t i = 0; i < req->required_keys_count; i++) {
        if (!esdk_enc_ctx_has(esdk_enc_materials_context(m), req->required_keys[i])) {
            return esdk_fail(
                ESDK_ERR_CONTEXT_MISMATCH, "CMM dropped required key '%s'", req->required_keys[i]);
        }
    }
    return 0;
}

int esdk_cmm_get_encryption_materials(
    esdk_cmm *c, const esdk_enc_request *req, esdk_enc_materials **out)
{
    ESDK_ENSURE(
        c != NULL && req != NULL && req->context != NULL && out != NULL, ESDK_ERR_BAD_ARGUMENT);
    if (req->suite_id && !esdk_policy_allows_encrypt(req->policy, req->suite_id)) {
        return esdk_fail(
            ESDK_ERR_POLICY_VIOLATION,
            "suite 0x%04x is not allowed for encrypt by the commitment policy",
            req->suite_id);
    }
    esdk_enc_materials *m = NULL;
    int rc = c->vt->get_encryption_materials(c->state, req, &m);
    if (rc == 0 && !m) {
        rc = esdk_fail(ESDK_ERR_INTERNAL, "CMM %s returned no materials", esdk_cmm_name(c));
    }
    if (rc == 0) {
        rc = check_enc(req, m);
    }
    if (rc) {
        esdk_enc_materials_release(m);
        return rc < 0 ? rc : ESDK_ERR_INTERNAL;
    }
    *out = m;
    return 0;
}

int esdk_cmm_decrypt_materials(esdk_cmm *c, const esdk_dec_request *req, esdk_dec_materials **out)
{
    ESDK_ENSURE(
        c != NULL && req != NULL && req->edks != NULL && out != NULL, ESDK_ERR_BAD_ARGUMENT);
    const uint8_t *key;
    size_t len;
    esdk_dec_materials *m = NULL;
    int rc = c->vt->decrypt_materials(c->state, req, &m);
    if (rc == 0 && !m) {
        rc = esdk_fail(ESDK_ERR_INTERNAL, "CMM %s returned no materials", esdk_cmm_name(c));
    }
    if (rc == 0 && esdk_dec_materials_suite(m) != req->suite_id) {
        rc = esdk_fail(ESDK_ERR_BAD_STATE, "CMM returned materials for another suite");
    }
    if (rc == 0 && !esdk_policy_allows_decrypt(req->policy, esdk_dec_materials_suite(m))) {
        rc = esdk_fail(ESDK_ERR_POLICY_VIOLATION, "the commitment policy forbids this suite");
    }
    if (rc == 0 && !esdk_dec_materials_data_key(m, &key, &len)) {
        rc = esdk_fail(ESDK_ERR_CANNOT_DECRYPT, "CMM returned materials without a data key");
    }
    if (rc) {
        esdk_dec_materials_release(m);
        return rc < 0 ? rc : ESDK_ERR_INTERNAL;
    }
    *out = m;
    return 0;
}
