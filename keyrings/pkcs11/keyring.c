/* The PKCS#11 keyring: construction, (lazy) connection, key look-up and dispatch to the AES
 * or RSA half. */
#include "keyrings/pkcs11/keyring.h"

#include <stdio.h>
#include <string.h>

#include <aws-esdk-c/error.h>
#include <aws-esdk-c/keyrings/pkcs11.h>

#include "common/mem.h"
#include "common/status.h"
#include "keyrings/pkcs11/errors.h"
#include "keyrings/pkcs11/token.h"

/* last: poisons calls this library must not make */
#include "banned.h"

int esdk_p11_keyring_note_failure(esdk_p11_keyring *kr, int rc)
{
    char detail[ESDK_P11_DETAIL_MAX];
    snprintf(detail, sizeof detail, "%s", esdk_last_error_detail());
    rc = esdk_fail(rc, "PKCS#11 keyring for %s: %s", kr->token_text, detail);
    pthread_mutex_lock(&kr->lock);
    kr->last_code = rc;
    snprintf(kr->last_detail, sizeof kr->last_detail, "%s", esdk_last_error_detail());
    pthread_mutex_unlock(&kr->lock);
    return rc;
}

int esdk_p11_keyring_fail(esdk_p11_keyring *kr, CK_RV rv, const char *what, const char *hint)
{
    int rc = esdk_p11_fail(rv, "%s with the key %s failed", what, kr->key_text);
    if (hint) {
        char detail[ESDK_P11_DETAIL_MAX];
        snprintf(detail, sizeof detail, "%s", esdk_last_error_detail());
        rc = esdk_fail(rc, "%s%s", detail, hint);
    }
    return esdk_p11_keyring_note_failure(kr, rc);
}

static void clear_failure(esdk_p11_keyring *kr)
{
    pthread_mutex_lock(&kr->lock);
    kr->last_code = 0;
    kr->last_detail[0] = '\0';
    pthread_mutex_unlock(&kr->lock);
}

/* Find the key objects for kr->type (AUTO resolves to AES, else RSA). */
struct resolve {
    esdk_p11_keyring *kr;
    esdk_pkcs11_key_type type;
    size_t secret_count, public_count;
    CK_OBJECT_HANDLE secret, public_key;
};

static CK_RV find_for(struct resolve *r, CK_FUNCTION_LIST_PTR fn, CK_SESSION_HANDLE s)
{
    const esdk_pkcs11_config *cfg = r->kr->cfg;
    CK_RV rv;
    r->secret_count = r->public_count = 0;
    if (r->type == ESDK_PKCS11_KEY_AES || r->type == ESDK_PKCS11_KEY_AUTO) {
        rv = esdk_p11_find_key(fn, s, cfg, CKO_SECRET_KEY, CKK_AES, &r->secret, &r->secret_count);
        if (rv != CKR_OK || r->secret_count > 0 || r->type == ESDK_PKCS11_KEY_AES) {
            r->type = ESDK_PKCS11_KEY_AES;
            return rv;
        }
    }
    rv = esdk_p11_find_key(fn, s, cfg, CKO_PRIVATE_KEY, CKK_RSA, &r->secret, &r->secret_count);
    if (rv == CKR_OK) {
        rv = esdk_p11_find_key(
            fn, s, cfg, CKO_PUBLIC_KEY, CKK_RSA, &r->public_key, &r->public_count);
    }
    if (rv == CKR_OK && (r->secret_count > 0 || r->public_count > 0)) {
        r->type = ESDK_PKCS11_KEY_RSA;
    }
    return rv;
}

static CK_RV
resolve_op(CK_FUNCTION_LIST_PTR fn, CK_SESSION_HANDLE s, unsigned generation, void *ctx)
{
    struct resolve *r = ctx;
    CK_RV rv = find_for(r, fn, s);
    if (rv == CKR_OK) {
        esdk_p11_keyring *kr = r->kr;
        pthread_mutex_lock(&kr->lock);
        kr->has_secret = r->secret_count == 1;
        kr->has_public = r->public_count == 1;
        kr->secret = r->secret;
        kr->public_key = r->public_key;
        kr->handles_generation = generation;
        kr->handles_valid = true;
        pthread_mutex_unlock(&kr->lock);
    }
    return rv;
}

static const char *type_text(esdk_pkcs11_key_type t)
{
    return t == ESDK_PKCS11_KEY_AES ? "AES key" : t == ESDK_PKCS11_KEY_RSA ? "RSA key" : "key";
}

/* Resolve the key type and handles on a new pool; errors name what is missing. */
static int resolve_keys(esdk_p11_keyring *kr, esdk_p11_pool *pool, esdk_pkcs11_key_type *type)
{
    struct resolve r = {kr, kr->cfg->key_type, 0, 0, 0, 0};
    CK_RV rv;
    ESDK_TRY(esdk_p11_pool_run(pool, resolve_op, &r, &rv));
    if (rv != CKR_OK) {
        return esdk_p11_fail(rv, "cannot search %s for the key %s", kr->token_text, kr->key_text);
    }
    if (r.secret_count > 1 || r.public_count > 1) {
        return esdk_fail(
            ESDK_ERR_BAD_KEY,
            "several %ss %s in %s: select one by label and id together",
            type_text(r.type),
            kr->key_text,
            kr->token_text);
    }
    if (r.secret_count == 0 && r.public_count == 0) {
        return esdk_fail(
            ESDK_ERR_BAD_KEY,
            "no %s %s in %s",
            kr->cfg->key_type == ESDK_PKCS11_KEY_AUTO ? "AES or RSA key" : type_text(r.type),
            kr->key_text,
            kr->token_text);
    }
    *type = r.type;
    return 0;
}

int esdk_p11_keyring_connect(esdk_p11_keyring *kr, esdk_p11_pool **pool, esdk_pkcs11_key_type *type)
{
    pthread_mutex_lock(&kr->lock);
    *pool = kr->pool;
    *type = kr->type;
    pthread_mutex_unlock(&kr->lock);
    if (*pool) {
        return 0;
    }
    pthread_mutex_lock(&kr->connect_lock);
    esdk_p11_module *m = NULL;
    esdk_p11_pool *p = NULL;
    esdk_pkcs11_key_type t = ESDK_PKCS11_KEY_AUTO;
    int rc = 0;
    pthread_mutex_lock(&kr->lock);
    *pool = kr->pool;
    *type = kr->type;
    pthread_mutex_unlock(&kr->lock);
    if (*pool) {
        goto cleanup; /* another thread connected meanwhile */
    }
    rc = kr->cfg->module_entry ? esdk_p11_module_acquire_entry(kr->cfg->module_entry, &m)
                               : esdk_p11_module_acquire(kr->cfg->module_path, &m);
    if (rc == 0) {
        rc = esdk_p11_pool_new(m, kr->cfg, &kr->guard, &p);
    }
    if (rc == 0) {
        rc = resolve_keys(kr, p, &t);
    }
    if (rc != 0) {
        esdk_p11_pool_free(p);
        esdk_p11_module_release(m);
        rc = esdk_p11_keyring_note_failure(kr, rc);
        goto cleanup;
    }
    pthread_mutex_lock(&kr->lock);
    kr->module = m;
    kr->pool = p;
    kr->type = t;
    kr->last_code = 0;
    kr->last_detail[0] = '\0';
    pthread_mutex_unlock(&kr->lock);
    *pool = p;
    *type = t;
cleanup:
    pthread_mutex_unlock(&kr->connect_lock);
    return rc;
}

void esdk_p11_keyring_forget_handles(esdk_p11_keyring *kr)
{
    pthread_mutex_lock(&kr->lock);
    kr->handles_valid = false;
    pthread_mutex_unlock(&kr->lock);
}

CK_RV esdk_p11_keyring_key(
    esdk_p11_keyring *kr,
    CK_FUNCTION_LIST_PTR fn,
    CK_SESSION_HANDLE s,
    unsigned generation,
    bool public_key,
    CK_OBJECT_HANDLE *out)
{
    bool cached, has;
    pthread_mutex_lock(&kr->lock);
    cached = kr->handles_valid && kr->handles_generation == generation;
    has = public_key ? kr->has_public : kr->has_secret;
    *out = public_key ? kr->public_key : kr->secret;
    pthread_mutex_unlock(&kr->lock);
    if (!cached) {
        struct resolve r = {kr, kr->type, 0, 0, 0, 0};
        CK_RV rv = resolve_op(fn, s, generation, &r);
        if (rv != CKR_OK) {
            return rv;
        }
        has = public_key ? r.public_count == 1 : r.secret_count == 1;
        *out = public_key ? r.public_key : r.secret;
    }
    return has ? CKR_OK : CKR_KEY_HANDLE_INVALID;
}

static int on_encrypt(void *state, esdk_enc_materials *m)
{
    esdk_p11_keyring *kr = state;
    esdk_p11_pool *pool;
    esdk_pkcs11_key_type type;
    ESDK_TRY(esdk_p11_keyring_connect(kr, &pool, &type));
    int rc = type == ESDK_PKCS11_KEY_AES ? esdk_p11_aes_wrap(kr, pool, m)
                                         : esdk_p11_rsa_wrap(kr, pool, m);
    if (rc == 0) {
        clear_failure(kr);
    }
    return rc;
}

/* Whether any EDK could be ours, before connecting: a keyring with no EDK to try never
 * touches its token (so an unreachable region costs nothing then). */
static bool
any_edk_ours(const esdk_p11_keyring *kr, esdk_pkcs11_key_type type, const esdk_edk_list *edks)
{
    for (size_t i = 0; i < esdk_edk_list_count(edks); i++) {
        esdk_edk edk;
        const uint8_t *iv;
        if (esdk_edk_list_get(edks, i, &edk) != 0) {
            continue;
        }
        if ((type != ESDK_PKCS11_KEY_RSA && esdk_p11_aes_edk_matches(kr, &edk, &iv)) ||
            (type != ESDK_PKCS11_KEY_AES && esdk_p11_rsa_edk_matches(kr, &edk))) {
            return true;
        }
    }
    return false;
}

static int on_decrypt(void *state, esdk_dec_materials *m, const esdk_edk_list *edks)
{
    esdk_p11_keyring *kr = state;
    esdk_p11_pool *pool;
    esdk_pkcs11_key_type type;
    pthread_mutex_lock(&kr->lock);
    type = kr->pool ? kr->type : kr->cfg->key_type;
    pthread_mutex_unlock(&kr->lock);
    if (!any_edk_ours(kr, type, edks)) {
        return esdk_fail(
            ESDK_ERR_CANNOT_DECRYPT,
            "PKCS#11 keyring for %s: no encrypted data key has provider id '%s' and "
            "key name '%s'",
            kr->token_text,
            kr->cfg->key_namespace,
            kr->key_name);
    }
    ESDK_TRY(esdk_p11_keyring_connect(kr, &pool, &type));
    int rc = type == ESDK_PKCS11_KEY_AES ? esdk_p11_aes_unwrap(kr, pool, m, edks)
                                         : esdk_p11_rsa_unwrap(kr, pool, m, edks);
    if (rc == 0) {
        clear_failure(kr);
    }
    return rc;
}

static void destroy(void *state)
{
    esdk_p11_keyring *kr = state;
    esdk_p11_pool_free(kr->pool);
    esdk_p11_module_release(kr->module);
    esdk_p11_pin_guard_destroy(&kr->guard);
    pthread_mutex_destroy(&kr->lock);
    pthread_mutex_destroy(&kr->connect_lock);
    esdk_str_release(kr->key_name);
    esdk_pkcs11_config_release(kr->cfg);
    esdk_mem_release(kr, sizeof *kr);
}

static const esdk_keyring_vtable pkcs11_vt = {
    .size = sizeof(esdk_keyring_vtable),
    .name = "pkcs11",
    .on_encrypt = on_encrypt,
    .on_decrypt = on_decrypt,
    .destroy = destroy,
};

int esdk_keyring_pkcs11_new(const esdk_pkcs11_config *cfg, esdk_keyring **out)
{
    ESDK_ENSURE(cfg && out, ESDK_ERR_BAD_ARGUMENT);
    *out = NULL;
    ESDK_TRY(esdk_p11_config_check(cfg));
    esdk_p11_keyring *kr = esdk_mem_acquire(sizeof *kr);
    if (!kr) {
        return esdk_fail(ESDK_ERR_NO_MEMORY, "cannot allocate a PKCS#11 keyring");
    }
    int rc = esdk_p11_config_copy(cfg, &kr->cfg);
    if (rc != 0) {
        esdk_mem_release(kr, sizeof *kr);
        return rc;
    }
    if (esdk_p11_pin_guard_init(&kr->guard) != 0) {
        esdk_pkcs11_config_release(kr->cfg);
        esdk_mem_release(kr, sizeof *kr);
        return esdk_fail(ESDK_ERR_RANDOM, "cannot initialize a PKCS#11 keyring");
    }
    pthread_mutex_init(&kr->lock, NULL);
    pthread_mutex_init(&kr->connect_lock, NULL);
    kr->key_name = esdk_p11_config_key_name(kr->cfg);
    if (!kr->key_name) {
        destroy(kr);
        return esdk_fail(ESDK_ERR_NO_MEMORY, "cannot allocate a PKCS#11 keyring");
    }
    kr->key_name_len = strlen(kr->key_name);
    kr->namespace_len = strlen(kr->cfg->key_namespace);
    kr->type = kr->cfg->key_type;
    esdk_p11_config_describe_token(kr->cfg, kr->token_text, sizeof kr->token_text);
    esdk_p11_config_describe_key(kr->cfg, kr->key_text, sizeof kr->key_text);
    if (kr->cfg->connect == ESDK_PKCS11_CONNECT_EAGER) {
        esdk_p11_pool *pool;
        esdk_pkcs11_key_type type;
        rc = esdk_p11_keyring_connect(kr, &pool, &type);
        if (rc != 0) {
            destroy(kr);
            return rc;
        }
    }
    return esdk_keyring_new(&pkcs11_vt, kr, out);
}

int esdk_keyring_pkcs11_last_failure(const esdk_keyring *keyring, char *detail, size_t detail_cap)
{
    if (!keyring || esdk_keyring_name(keyring) != pkcs11_vt.name) {
        return esdk_fail(ESDK_ERR_BAD_ARGUMENT, "not a PKCS#11 keyring");
    }
    esdk_p11_keyring *kr = esdk_keyring_state(keyring);
    pthread_mutex_lock(&kr->lock);
    int code = kr->last_code;
    if (detail && detail_cap) {
        snprintf(detail, detail_cap, "%s", kr->last_detail);
    }
    pthread_mutex_unlock(&kr->lock);
    return code;
}
