/* The default CMM (spec-facts 4.2): suite choice, signing keys through the materials,
 * one keyring, and the reproduced encryption context on decrypt. */
#include <aws-esdk-c/cmm.h>
#include <aws-esdk-c/error.h>

#include "common/mem.h"
#include "common/status.h"
#include "format/context.h"

/* last: poisons calls this library must not make */
#include "banned.h"

static int
get_encryption_materials(void *state, const esdk_enc_request *req, esdk_enc_materials **out)
{
    esdk_keyring *keyring = state;
    uint16_t suite = req->suite_id ? req->suite_id : esdk_suite_default_for_policy(req->policy);
    esdk_enc_materials *m = NULL;
    ESDK_TRY(esdk_enc_materials_new(
        suite, req->context, req->required_keys, req->required_keys_count, &m));
    int rc = esdk_keyring_on_encrypt(keyring, m);
    if (rc) {
        esdk_enc_materials_release(m);
        return rc;
    }
    *out = m;
    return 0;
}

/* Merge the reproduced context into a copy of the header's: shared keys must agree; the
 * others become required (authenticated, not stored) keys. */
static int merge_reproduced(
    const esdk_dec_request *req,
    esdk_enc_ctx **merged,
    const char ***required,
    size_t *required_count)
{
    ESDK_TRY(esdk_enc_ctx_clone(req->context, merged));
    size_t n = esdk_enc_ctx_count(req->reproduced_context);
    *required = n ? esdk_mem_acquire(n * sizeof(char *)) : NULL;
    if (n && !*required) {
        return esdk_fail(ESDK_ERR_NO_MEMORY, "cannot merge the reproduced context");
    }
    for (size_t i = 0; i < n; i++) {
        const uint8_t *k, *v, *hv;
        size_t kl, vl, hvl;
        ESDK_TRY(esdk_enc_ctx_entry(req->reproduced_context, i, &k, &kl, &v, &vl));
        if (esdk_enc_ctx_get(req->context, k, kl, &hv, &hvl) == 0) {
            if (!esdk_bytes_equal(v, vl, hv, hvl)) {
                return esdk_fail(
                    ESDK_ERR_CONTEXT_MISMATCH,
                    "reproduced encryption context differs from the message's");
            }
            continue;
        }
        ESDK_TRY(esdk_enc_ctx_set(*merged, k, kl, v, vl));
        char *key = esdk_str_copy_n(k, kl);
        if (!key) {
            return esdk_fail(ESDK_ERR_NO_MEMORY, "cannot merge the reproduced context");
        }
        (*required)[(*required_count)++] = key;
    }
    return 0;
}

static int decrypt_materials(void *state, const esdk_dec_request *req, esdk_dec_materials **out)
{
    esdk_keyring *keyring = state;
    esdk_enc_ctx *merged = NULL;
    const char **required = NULL;
    size_t required_count = 0;
    esdk_dec_materials *m = NULL;
    int rc;
    ESDK_TRY_GOTO(rc, merge_reproduced(req, &merged, &required, &required_count));
    ESDK_TRY_GOTO(rc, esdk_dec_materials_new(req->suite_id, merged, required, required_count, &m));
    ESDK_TRY_GOTO(rc, esdk_keyring_on_decrypt(keyring, m, req->edks));
    *out = m;
    m = NULL;
cleanup:
    esdk_dec_materials_release(m);
    esdk_enc_ctx_release(merged);
    for (size_t i = 0; i < required_count; i++) {
        esdk_str_release((char *)required[i]);
    }
    esdk_mem_release(required, esdk_enc_ctx_count(req->reproduced_context) * sizeof(char *));
    return rc;
}

static void destroy(void *state)
{
    esdk_keyring_release(state);
}

static const esdk_cmm_vtable default_vt = {
    .size = sizeof(esdk_cmm_vtable),
    .name = "default",
    .get_encryption_materials = get_encryption_materials,
    .decrypt_materials = decrypt_materials,
    .destroy = destroy,
};

int esdk_cmm_default_new(esdk_keyring *keyring, esdk_cmm **out)
{
    ESDK_ENSURE(keyring != NULL && out != NULL, ESDK_ERR_BAD_ARGUMENT);
    return esdk_cmm_new(&default_vt, esdk_keyring_retain(keyring), out);
}
