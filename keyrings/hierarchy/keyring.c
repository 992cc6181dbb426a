/* The hierarchical keyring (keyrings/hierarchy.h): branch keys from a supplier, through a
 * TTL cache, wrap data keys locally (wrap.c). */
#include <stdio.h>
#include <string.h>

#include <aws-esdk-c/error.h>

#include "common/mem.h"
#include "common/status.h"
#include "format/context.h"
#include "keyrings/hierarchy/internal.h"

/* last: poisons calls this library must not make */
#include "banned.h"

#define MAX_DATA_KEY     32
#define DEFAULT_TTL_MS   (10u * 60u * 1000u)
#define DEFAULT_CAPACITY 1000u
#define MAX_CAPACITY     100000u

struct esdk_hierarchy_options {
    uint64_t ttl_ms;
    size_t capacity;
    esdk_clock_fn clock;
    void *clock_ctx;
};

struct hierarchy {
    char *id;
    size_t id_len;
    esdk_branch_key_supplier *supplier;
    esdk_hk_cache *cache; /* NULL: no caching */
};

/* ---- options ---- */

int esdk_hierarchy_options_new(esdk_hierarchy_options **out)
{
    ESDK_ENSURE(out != NULL, ESDK_ERR_BAD_ARGUMENT);
    esdk_hierarchy_options *o = esdk_mem_acquire(sizeof *o);
    if (!o) {
        return esdk_fail(ESDK_ERR_NO_MEMORY, "cannot allocate options");
    }
    o->ttl_ms = DEFAULT_TTL_MS;
    o->capacity = DEFAULT_CAPACITY;
    *out = o;
    return 0;
}

void esdk_hierarchy_options_release(esdk_hierarchy_options *o)
{
    esdk_mem_release(o, sizeof *o);
}

int esdk_hierarchy_options_set_cache_ttl(esdk_hierarchy_options *o, uint64_t ttl_ms)
{
    ESDK_ENSURE(o != NULL, ESDK_ERR_BAD_ARGUMENT);
    o->ttl_ms = ttl_ms;
    return 0;
}

int esdk_hierarchy_options_set_cache_capacity(esdk_hierarchy_options *o, size_t entries)
{
    ESDK_ENSURE(o != NULL, ESDK_ERR_BAD_ARGUMENT);
    if (entries < 1 || entries > MAX_CAPACITY) {
        return esdk_fail(
            ESDK_ERR_BAD_ARGUMENT, "cache capacity %zu is not in 1..%u", entries, MAX_CAPACITY);
    }
    o->capacity = entries;
    return 0;
}

int esdk_hierarchy_options_set_clock(esdk_hierarchy_options *o, esdk_clock_fn clock, void *ctx)
{
    ESDK_ENSURE(o != NULL, ESDK_ERR_BAD_ARGUMENT);
    o->clock = clock;
    o->clock_ctx = clock ? ctx : NULL;
    return 0;
}

/* ---- branch keys through the cache ---- */

static int active_key(struct hierarchy *kr, esdk_branch_key *bk)
{
    if (kr->cache && esdk_hk_cache_get(kr->cache, NULL, bk)) {
        return 0;
    }
    ESDK_TRY(esdk_hk_supplier_get_active(kr->supplier, kr->id, bk));
    if (kr->cache) {
        esdk_hk_cache_put(kr->cache, bk, true);
    }
    return 0;
}

static int version_key(struct hierarchy *kr, const uint8_t *version, esdk_branch_key *bk)
{
    if (kr->cache && esdk_hk_cache_get(kr->cache, version, bk)) {
        return 0;
    }
    ESDK_TRY(esdk_hk_supplier_get_version(kr->supplier, kr->id, version, bk));
    if (kr->cache) {
        esdk_hk_cache_put(kr->cache, bk, false);
    }
    return 0;
}

/* ---- the keyring ---- */

static int on_encrypt(void *state, esdk_enc_materials *m)
{
    struct hierarchy *kr = state;
    const uint8_t *key;
    size_t key_len;
    esdk_branch_key bk;
    esdk_buf ec = ESDK_BUF_INIT;
    uint8_t ct[HK_CT_OVERHEAD + MAX_DATA_KEY];
    int rc;
    ESDK_TRY_GOTO(rc, active_key(kr, &bk));
    if (!esdk_enc_materials_data_key(m, &key, &key_len)) {
        ESDK_TRY_GOTO(rc, esdk_enc_materials_generate_data_key(m));
        (void)esdk_enc_materials_data_key(m, &key, &key_len);
    }
    ESDK_TRY_GOTO(rc, esdk_enc_ctx_serialize(esdk_enc_materials_context(m), &ec));
    ESDK_TRY_GOTO(
        rc,
        esdk_hk_wrap(&bk, (const uint8_t *)kr->id, kr->id_len, ec.data, ec.len, key, key_len, ct));
    esdk_edk edk = {
        (const uint8_t *)ESDK_HIERARCHY_PROVIDER_ID,
        sizeof ESDK_HIERARCHY_PROVIDER_ID - 1,
        (const uint8_t *)kr->id,
        kr->id_len,
        ct,
        HK_CT_OVERHEAD + key_len};
    rc = esdk_enc_materials_add_edk(m, &edk);
cleanup:
    esdk_wipe(&bk, sizeof bk);
    esdk_wipe(ct, sizeof ct);
    esdk_buf_release(&ec);
    return rc;
}

static bool edk_is_ours(const struct hierarchy *kr, const esdk_edk *edk)
{
    static const char id[] = ESDK_HIERARCHY_PROVIDER_ID;
    return esdk_bytes_equal(edk->provider_id, edk->provider_id_len, id, sizeof id - 1) &&
           esdk_bytes_equal(edk->provider_info, edk->provider_info_len, kr->id, kr->id_len);
}

static int on_decrypt(void *state, esdk_dec_materials *m, const esdk_edk_list *edks)
{
    struct hierarchy *kr = state;
    const size_t key_len = esdk_suite_data_key_len(esdk_dec_materials_suite(m));
    esdk_buf ec = ESDK_BUF_INIT;
    esdk_branch_key bk;
    uint8_t key[MAX_DATA_KEY];
    size_t matched = 0;
    int rc, supplier_rc = 0;
    char why[256] = "";
    ESDK_TRY_GOTO(rc, esdk_enc_ctx_serialize(esdk_dec_materials_context(m), &ec));
    rc = ESDK_ERR_CANNOT_DECRYPT;
    for (size_t i = 0; i < esdk_edk_list_count(edks) && rc != 0; i++) {
        esdk_edk edk;
        const uint8_t *version;
        ESDK_TRY_GOTO(rc, esdk_edk_list_get(edks, i, &edk));
        rc = ESDK_ERR_CANNOT_DECRYPT;
        if (!edk_is_ours(kr, &edk) ||
            !esdk_hk_ciphertext_version(edk.ciphertext, edk.ciphertext_len, key_len, &version)) {
            continue;
        }
        matched++;
        int got = version_key(kr, version, &bk);
        if (got) {
            if (got != ESDK_ERR_CANNOT_DECRYPT) {
                supplier_rc = got; /* remembered: say why if nothing else works */
                snprintf(why, sizeof why, "%s", esdk_last_error_detail());
            }
            continue;
        }
        if (esdk_hk_unwrap(
                &bk,
                (const uint8_t *)kr->id,
                kr->id_len,
                ec.data,
                ec.len,
                edk.ciphertext,
                edk.ciphertext_len,
                key_len,
                key) == 0) {
            rc = esdk_dec_materials_set_data_key(m, key, key_len);
        }
    }
    if (rc == ESDK_ERR_CANNOT_DECRYPT && supplier_rc) {
        rc = esdk_fail(
            supplier_rc,
            "hierarchical keyring %s: %s failed for %zu matching EDK(s): %s",
            kr->id,
            esdk_hk_supplier_name(kr->supplier),
            matched,
            why);
    } else if (rc == ESDK_ERR_CANNOT_DECRYPT) {
        rc = esdk_fail(
            rc,
            "hierarchical keyring %s: %zu matching EDK(s), none could be unwrapped",
            kr->id,
            matched);
    }
cleanup:
    esdk_wipe(&bk, sizeof bk);
    esdk_wipe(key, sizeof key);
    esdk_buf_release(&ec);
    return rc;
}

static void destroy(void *state)
{
    struct hierarchy *kr = state;
    esdk_str_release(kr->id);
    esdk_branch_key_supplier_release(kr->supplier);
    esdk_hk_cache_release(kr->cache);
    esdk_mem_release(kr, sizeof *kr);
}

static const esdk_keyring_vtable hierarchy_vt = {
    .size = sizeof(esdk_keyring_vtable),
    .name = "aws-kms-hierarchy",
    .on_encrypt = on_encrypt,
    .on_decrypt = on_decrypt,
    .destroy = destroy,
};

int esdk_keyring_hierarchy_new(
    const char *branch_key_id,
    esdk_branch_key_supplier *supplier,
    const esdk_hierarchy_options *opts,
    esdk_keyring **out)
{
    ESDK_ENSURE(branch_key_id != NULL && supplier != NULL && out != NULL, ESDK_ERR_BAD_ARGUMENT);
    const size_t id_len = strlen(branch_key_id);
    if (id_len == 0 || id_len > 0xFFFF ||
        !esdk_utf8_is_valid((const uint8_t *)branch_key_id, id_len)) {
        return esdk_fail(
            ESDK_ERR_BAD_ARGUMENT, "a branch key id is 1 to 65535 bytes of valid UTF-8");
    }
    esdk_hierarchy_options defaults = {DEFAULT_TTL_MS, DEFAULT_CAPACITY, NULL, NULL};
    if (!opts) {
        opts = &defaults;
    }
    struct hierarchy *kr = esdk_mem_acquire(sizeof *kr);
    if (!kr) {
        return esdk_fail(ESDK_ERR_NO_MEMORY, "cannot allocate a keyring");
    }
    kr->id = esdk_str_copy(branch_key_id);
    kr->id_len = id_len;
    kr->supplier = esdk_branch_key_supplier_retain(supplier);
    int rc = kr->id ? 0 : esdk_fail(ESDK_ERR_NO_MEMORY, "cannot allocate a keyring");
    if (!rc && opts->ttl_ms > 0) {
        rc = esdk_hk_cache_new(
            opts->capacity, opts->ttl_ms, opts->clock, opts->clock_ctx, &kr->cache);
    }
    if (rc) {
        destroy(kr);
        return rc;
    }
    return esdk_keyring_new(&hierarchy_vt, kr, out);
}
