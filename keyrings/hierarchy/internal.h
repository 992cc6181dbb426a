/* Inside the hierarchical keyring (keyrings/hierarchy.h): UUIDs, the wrap format, the
 * branch-key cache and the supplier handle. */
#ifndef ESDK_KEYRINGS_HIERARCHY_INTERNAL_H
#define ESDK_KEYRINGS_HIERARCHY_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <aws-esdk-c/buffer.h>
#include <aws-esdk-c/keyrings/hierarchy.h>

#define HK_SALT_LEN 16
#define HK_IV_LEN   12
#define HK_TAG_LEN  16
/* ciphertext = salt || IV || version || wrapped key || tag */
#define HK_CT_OVERHEAD (HK_SALT_LEN + HK_IV_LEN + ESDK_BRANCH_KEY_VERSION_LEN + HK_TAG_LEN)

/* ---- UUIDs (uuid.c) ---- */

/* "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" (hex, either case) -> 16 bytes; false otherwise. */
bool esdk_hk_uuid_parse(const char *text, uint8_t out[ESDK_BRANCH_KEY_VERSION_LEN]);
/* 16 bytes -> lower-case text with a NUL. */
void esdk_hk_uuid_format(
    const uint8_t in[ESDK_BRANCH_KEY_VERSION_LEN], char out[ESDK_UUID_STRING_SIZE]);
/* A random (version 4) UUID. */
int esdk_hk_uuid_random(uint8_t out[ESDK_BRANCH_KEY_VERSION_LEN]);

/* ---- wrapping (wrap.c) ---- */

/* The wrapping key: SP 800-108 counter mode, HMAC-SHA256(branch key; "aws-kms-hierarchy",
 * salt), 32 bytes. */
int esdk_hk_derive(
    const uint8_t branch_key[ESDK_BRANCH_KEY_LEN],
    const uint8_t salt[HK_SALT_LEN],
    uint8_t out[32]);
/* Append "aws-kms-hierarchy" || id || version || ec. */
int esdk_hk_aad(
    const uint8_t *id,
    size_t id_len,
    const uint8_t version[ESDK_BRANCH_KEY_VERSION_LEN],
    const uint8_t *ec,
    size_t ec_len,
    esdk_buf *out);
/* Wrap key (1..32 bytes) under bk: out receives HK_CT_OVERHEAD + key_len bytes. */
int esdk_hk_wrap(
    const esdk_branch_key *bk,
    const uint8_t *id,
    size_t id_len,
    const uint8_t *ec,
    size_t ec_len,
    const uint8_t *key,
    size_t key_len,
    uint8_t *out);
/* The version inside a ciphertext of HK_CT_OVERHEAD + key_len bytes; false if not that long. */
bool esdk_hk_ciphertext_version(
    const uint8_t *ct, size_t ct_len, size_t key_len, const uint8_t **version);
/* Unwrap with branch key bk (its version must be the ciphertext's); key wiped on failure. */
int esdk_hk_unwrap(
    const esdk_branch_key *bk,
    const uint8_t *id,
    size_t id_len,
    const uint8_t *ec,
    size_t ec_len,
    const uint8_t *ct,
    size_t ct_len,
    size_t key_len,
    uint8_t *key);

/* ---- the cache (cache.c) ---- */

typedef struct esdk_hk_cache esdk_hk_cache;

/* capacity >= 1, ttl_ms >= 1; clock NULL = monotonic. */
int esdk_hk_cache_new(
    size_t capacity, uint64_t ttl_ms, esdk_clock_fn clock, void *ctx, esdk_hk_cache **out);
void esdk_hk_cache_release(esdk_hk_cache *cache);
/* true and a copy in *out if an unexpired entry holds the active key (version NULL) or that
 * version (active or not). */
bool esdk_hk_cache_get(esdk_hk_cache *cache, const uint8_t *version, esdk_branch_key *out);
/* Store bk (as the active key when active is true), replacing an entry of the same version;
 * the least recently used entry makes room. */
void esdk_hk_cache_put(esdk_hk_cache *cache, const esdk_branch_key *bk, bool active);
/* Entries held (expired ones included until they are pruned). */
size_t esdk_hk_cache_count(esdk_hk_cache *cache);

/* ---- supplier handles (supplier.c) ---- */

int esdk_hk_supplier_get_active(esdk_branch_key_supplier *s, const char *id, esdk_branch_key *out);
int esdk_hk_supplier_get_version(
    esdk_branch_key_supplier *s,
    const char *id,
    const uint8_t version[ESDK_BRANCH_KEY_VERSION_LEN],
    esdk_branch_key *out);
const char *esdk_hk_supplier_name(const esdk_branch_key_supplier *s);
/* The supplier's state if its vtable is vt, else NULL. */
void *esdk_hk_supplier_state_if(
    const esdk_branch_key_supplier *s, const esdk_branch_key_supplier_vtable *vt);

#endif
