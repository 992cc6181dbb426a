/* The required-encryption-context CMM (spec-facts 4.4, framework/required-encryption-context-
 * cmm.md): configured context keys must be present on encrypt (and become authenticate-only
 * keys) and must be reproduced by the caller on decrypt. */
#include <string.h>

#include <aws-esdk-c/cmm_required_context.h>
#include <aws-esdk-c/error.h>

#include "common/mem.h"
#include "common/status.h"
#include "format/context.h"
#include "materials/key_list.h"

/* last: poisons calls this library must not make */
#include "banned.h"

struct required_context {
    esdk_cmm *underlying;
    esdk_key_list keys;
};

static bool listed(const char *const *keys, size_t n, const char *key)
{
    for (size_t i = 0; i < n; i++) {
        if (strcmp(keys[i], key) == 0) {
            return true;
        }
    }
    return false;
}

static int require_all(const struct required_context *rc, const esdk_enc_ctx *ctx, const char *what)
{
    for (size_t i = 0; i < rc->keys.count; i++) {
        if (!esdk_enc_ctx_has(ctx, rc->keys.keys[i])) {
            return esdk_fail(
                ESDK_ERR_CONTEXT_MISMATCH,
                "required encryption context key '%s' is "
                "missing from the %s",
                rc->keys.keys[i],
                what);
        }
    }
    return 0;
}

/* The request's required keys followed by the configured ones it lacks (borrowed strings). */
static int merged_keys(
    const struct required_context *rc,
    const esdk_enc_request *req,
    const char ***out,
    size_t *count)
{
    const size_t cap = req->required_keys_count + rc->keys.count;
    const char **keys = esdk_mem_acquire(cap * sizeof *keys);
    size_t n = 0;
    if (!keys) {
        return esdk_fail(ESDK_ERR_NO_MEMORY, "cannot build the required key list");
    }
    for (size_t i = 0; i < req->required_keys_count; i++) {
        keys[n++] = req->required_keys[i];
    }
    for (size_t i = 0; i < rc->keys.count; i++) {
        if (!listed(keys, n, rc->keys.keys[i])) {
            keys[n++] = rc->keys.keys[i];
        }
    }
    *out = keys;
    *count = n;
    return 0;
}

static int
get_encryption_materials(void *state, const esdk_enc_request *req, esdk_enc_materials **out)
{
    struct required_context *rc = state;
    const char **keys = NULL;
    size_t n = 0;
    esdk_enc_materials *m = NULL;
    int status;
    ESDK_TRY(require_all(rc, req->context, "encryption context"));
    ESDK_TRY(merged_keys(rc, req, &keys, &n));
    esdk_enc_request forward = *req;
    forward.required_keys = keys;
    forward.required_keys_count = n;
    ESDK_TRY_GOTO(status, esdk_cmm_get_encryption_materials(rc->underlying, &forward, &m));
    for (size_t i = 0; i < rc->keys.count; i++) {
        bool found = false;
        for (size_t j = 0; j < esdk_enc_materials_required_key_count(m) && !found; j++) {
            found = strcmp(esdk_enc_materials_required_key(m, j), rc->keys.keys[i]) == 0;
        }
        if (!found) {
            status = esdk_fail(
                ESDK_ERR_CONTEXT_MISMATCH,
                "the underlying CMM did not keep '%s' as a required key",
                rc->keys.keys[i]);
            goto cleanup;
        }
    }
    *out = m;
    m = NULL;
cleanup:
    esdk_enc_materials_release(m);
    esdk_mem_release(keys, (req->required_keys_count + rc->keys.count) * sizeof *keys);
    return status;
}

static int decrypt_materials(void *state, const esdk_dec_request *req, esdk_dec_materials **out)
{
    struct required_context *rc = state;
    esdk_dec_materials *m = NULL;
    ESDK_TRY(require_all(rc, req->reproduced_context, "reproduced encryption context"));
    ESDK_TRY(esdk_cmm_decrypt_materials(rc->underlying, req, &m));
    /* An underlying CMM other than the default one might have dropped the pairs, which would
     * leave them unauthenticated. */
    int status = require_all(rc, esdk_dec_materials_context(m), "decryption materials' context");
    if (status) {
        esdk_dec_materials_release(m);
        return status;
    }
    *out = m;
    return 0;
}

static void destroy(void *state)
{
    struct required_context *rc = state;
    esdk_cmm_release(rc->underlying);
    esdk_key_list_cleanup(&rc->keys);
    esdk_mem_release(rc, sizeof *rc);
}

static const esdk_cmm_vtable required_context_vt = {
    .size = sizeof(esdk_cmm_vtable),
    .name = "required-context",
    .get_encryption_materials = get_encryption_materials,
    .decrypt_materials = decrypt_materials,
    .destroy = destroy,
};

static int check_keys(const char *const *keys, size_t n)
{
    static const char prefix[] = ESDK_RESERVED_CONTEXT_PREFIX;
    if (n == 0) {
        return esdk_fail(ESDK_ERR_BAD_ARGUMENT, "a required-context CMM needs at least one key");
    }
    for (size_t i = 0; i < n; i++) {
        if (!keys[i] || !esdk_utf8_is_valid((const uint8_t *)keys[i], strlen(keys[i])) ||
            strlen(keys[i]) > 0xFFFF) {
            return esdk_fail(
                ESDK_ERR_BAD_ARGUMENT,
                "required key %zu is NULL or not UTF-8 of at most 65535 bytes",
                i);
        }
        if (strncmp(keys[i], prefix, sizeof prefix - 1) == 0) {
            return esdk_fail(
                ESDK_ERR_BAD_ARGUMENT,
                "required key '%s' has the reserved prefix '%s'",
                keys[i],
                prefix);
        }
        if (listed(keys, i, keys[i])) {
            return esdk_fail(ESDK_ERR_BAD_ARGUMENT, "required key '%s' is listed twice", keys[i]);
        }
    }
    return 0;
}

int esdk_cmm_required_context_new(
    esdk_cmm *underlying, const char *const *keys, size_t key_count, esdk_cmm **out)
{
    ESDK_ENSURE(
        underlying != NULL && out != NULL && (keys != NULL || key_count == 0),
        ESDK_ERR_BAD_ARGUMENT);
    ESDK_TRY(check_keys(keys, key_count));
    struct required_context *rc = esdk_mem_acquire(sizeof *rc);
    if (!rc) {
        return esdk_fail(ESDK_ERR_NO_MEMORY, "cannot allocate a CMM");
    }
    int status = esdk_key_list_init(&rc->keys, keys, key_count);
    if (status) {
        esdk_mem_release(rc, sizeof *rc);
        return status;
    }
    rc->underlying = esdk_cmm_retain(underlying);
    return esdk_cmm_new(&required_context_vt, rc, out);
}

int esdk_cmm_required_context_new_with_keyring(
    esdk_keyring *keyring, const char *const *keys, size_t key_count, esdk_cmm **out)
{
    ESDK_ENSURE(keyring != NULL && out != NULL, ESDK_ERR_BAD_ARGUMENT);
    esdk_cmm *inner = NULL;
    ESDK_TRY(esdk_cmm_default_new(keyring, &inner));
    int status = esdk_cmm_required_context_new(inner, keys, key_count, out);
    esdk_cmm_release(inner); /* the new CMM holds its own reference */
    return status;
}
