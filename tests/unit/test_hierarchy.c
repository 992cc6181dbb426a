/* The hierarchical keyring: the static supplier round trip and EDK layout, an official vector
 * step by step (KDF, AAD, unwrap), refusals (other branch key id, unknown version, tampering,
 * another context, a supplier returning another version), the file-backed store (create,
 * rotate, modes, refusals) in a temporary directory, and the branch-key cache's TTL, capacity
 * and rotation behaviour under an injected clock. */
#include <cjson/cJSON.h>
#include <dirent.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "format/context.h"
#include "keyrings/hierarchy/internal.h"
#include "support/test_support.h"

#define BRANCH_ID "test-branch-key"
#define VERSION_1 "e9ce18a3-edb5-4272-9f86-1cacb7997ff6"
#define VERSION_2 "0c6d3cf4-5a8e-4f67-9a51-0c2d1b8e7f10"

static uint8_t branch_key[32];

static esdk_branch_key_supplier *static_supplier(const char *id, const char *version)
{
    esdk_branch_key_supplier *s = NULL;
    test_fill(branch_key, sizeof branch_key, 42);
    assert_int_equal(
        esdk_branch_key_supplier_static_new(id, version, branch_key, sizeof branch_key, &s), 0);
    return s;
}

static esdk_keyring *
hierarchy(const char *id, esdk_branch_key_supplier *s, const esdk_hierarchy_options *opts)
{
    esdk_keyring *kr = NULL;
    int rc = esdk_keyring_hierarchy_new(id, s, opts, &kr);
    if (rc) {
        print_error("%s\n", esdk_last_error_detail());
    }
    assert_int_equal(rc, 0);
    return kr;
}

static esdk_enc_ctx *context(const char *key, const char *value)
{
    esdk_enc_ctx *ctx;
    assert_int_equal(esdk_enc_ctx_new(&ctx), 0);
    if (key) {
        assert_int_equal(esdk_enc_ctx_set_str(ctx, key, value), 0);
    }
    return ctx;
}

static esdk_enc_materials *wrap(esdk_keyring *kr, uint16_t suite, const char *k, const char *v)
{
    esdk_enc_ctx *ctx = context(k, v);
    esdk_enc_materials *m;
    assert_int_equal(esdk_enc_materials_new(suite, ctx, NULL, 0, &m), 0);
    int rc = esdk_keyring_on_encrypt(kr, m);
    if (rc) {
        print_error("%s\n", esdk_last_error_detail());
    }
    assert_int_equal(rc, 0);
    esdk_enc_ctx_release(ctx);
    return m;
}

/* Unwrap em's EDKs (or edks when not NULL) with kr under ctx (em's context when NULL). */
static int unwrap_ctx(
    esdk_keyring *kr, const esdk_enc_materials *em, const esdk_edk_list *edks, esdk_enc_ctx *ctx)
{
    esdk_dec_materials *dm;
    assert_int_equal(
        esdk_dec_materials_new(
            esdk_enc_materials_suite(em), ctx ? ctx : esdk_enc_materials_context(em), NULL, 0, &dm),
        0);
    int rc = esdk_keyring_on_decrypt(kr, dm, edks ? edks : esdk_enc_materials_edks(em));
    if (rc == 0) {
        const uint8_t *want, *got;
        size_t want_len, got_len;
        assert_true(esdk_enc_materials_data_key(em, &want, &want_len));
        assert_true(esdk_dec_materials_data_key(dm, &got, &got_len));
        assert_int_equal(got_len, want_len);
        assert_memory_equal(got, want, want_len);
    }
    esdk_dec_materials_release(dm);
    return rc;
}

static int unwrap(esdk_keyring *kr, const esdk_enc_materials *em)
{
    return unwrap_ctx(kr, em, NULL, NULL);
}

static const uint8_t *version_of(const esdk_enc_materials *m, size_t i)
{
    esdk_edk edk;
    assert_int_equal(esdk_edk_list_get(esdk_enc_materials_edks(m), i, &edk), 0);
    return edk.ciphertext + HK_SALT_LEN + HK_IV_LEN;
}

/* ---- static supplier ---- */

static void test_static_round_trip_and_layout(void **state)
{
    (void)state;
    static const uint16_t suites[] = {0x0014, 0x0078, 0x0178, 0x0378, 0x0478, 0x0578};
    esdk_branch_key_supplier *s = static_supplier(BRANCH_ID, VERSION_1);
    esdk_keyring *kr = hierarchy(BRANCH_ID, s, NULL);
    uint8_t v1[16];
    assert_true(esdk_hk_uuid_parse(VERSION_1, v1));
    for (size_t i = 0; i < sizeof suites / sizeof suites[0]; i++) {
        esdk_enc_materials *m = wrap(kr, suites[i], "purpose", "test");
        esdk_edk edk;
        assert_int_equal(esdk_edk_list_get(esdk_enc_materials_edks(m), 0, &edk), 0);
        assert_int_equal(edk.provider_id_len, strlen("aws-kms-hierarchy"));
        assert_memory_equal(edk.provider_id, "aws-kms-hierarchy", edk.provider_id_len);
        assert_int_equal(edk.provider_info_len, strlen(BRANCH_ID));
        assert_memory_equal(edk.provider_info, BRANCH_ID, edk.provider_info_len);
        /* salt (16) || IV (12) || version (16) || wrapped key || tag (16) */
        assert_int_equal(edk.ciphertext_len, 60 + esdk_suite_data_key_len(suites[i]));
        assert_memory_equal(version_of(m, 0), v1, 16);
        assert_int_equal(unwrap(kr, m), 0);
        esdk_enc_materials_release(m);
    }
    /* fresh salt and IV per EDK */
    esdk_enc_materials *m1 = wrap(kr, 0x0478, NULL, NULL), *m2 = wrap(kr, 0x0478, NULL, NULL);
    esdk_edk e1, e2;
    assert_int_equal(esdk_edk_list_get(esdk_enc_materials_edks(m1), 0, &e1), 0);
    assert_int_equal(esdk_edk_list_get(esdk_enc_materials_edks(m2), 0, &e2), 0);
    assert_memory_not_equal(e1.ciphertext, e2.ciphertext, 28);
    esdk_enc_materials_release(m1);
    esdk_enc_materials_release(m2);
    esdk_keyring_release(kr);
    esdk_branch_key_supplier_release(s);
}

static void test_refusals(void **state)
{
    (void)state;
    esdk_branch_key_supplier *s = static_supplier(BRANCH_ID, VERSION_1);
    esdk_keyring *kr = hierarchy(BRANCH_ID, s, NULL);
    esdk_enc_materials *m = wrap(kr, 0x0478, "tenant", "one");

    /* another branch key id: not our EDK */
    esdk_branch_key_supplier *s_other = static_supplier("other-branch", VERSION_1);
    esdk_keyring *other = hierarchy("other-branch", s_other, NULL);
    assert_int_equal(unwrap(other, m), ESDK_ERR_CANNOT_DECRYPT);
    /* the same id, but the supplier has another version */
    esdk_branch_key_supplier *s_v2 = static_supplier(BRANCH_ID, VERSION_2);
    esdk_keyring *v2 = hierarchy(BRANCH_ID, s_v2, NULL);
    assert_int_equal(unwrap(v2, m), ESDK_ERR_CANNOT_DECRYPT);
    /* another context */
    esdk_enc_ctx *ctx = context("tenant", "two");
    assert_int_equal(unwrap_ctx(kr, m, NULL, ctx), ESDK_ERR_CANNOT_DECRYPT);
    esdk_enc_ctx_release(ctx);
    /* every byte of the ciphertext matters (salt, IV, version, wrapped key, tag) */
    esdk_edk edk;
    assert_int_equal(esdk_edk_list_get(esdk_enc_materials_edks(m), 0, &edk), 0);
    for (size_t at = 0; at < edk.ciphertext_len; at += 5) {
        uint8_t ct[128];
        memcpy(ct, edk.ciphertext, edk.ciphertext_len);
        ct[at] ^= 0x04;
        esdk_edk bad = edk;
        bad.ciphertext = ct;
        esdk_edk_list *edks;
        assert_int_equal(esdk_edk_list_new(&edks), 0);
        assert_int_equal(esdk_edk_list_append(edks, &bad), 0);
        assert_int_equal(unwrap_ctx(kr, m, edks, NULL), ESDK_ERR_CANNOT_DECRYPT);
        esdk_edk_list_release(edks);
    }
    /* constructor refusals */
    esdk_branch_key_supplier *x = NULL;
    esdk_keyring *y = NULL;
    assert_int_equal(
        esdk_branch_key_supplier_static_new(BRANCH_ID, "not-a-uuid", branch_key, 32, &x),
        ESDK_ERR_BAD_ARGUMENT);
    assert_int_equal(
        esdk_branch_key_supplier_static_new(BRANCH_ID, VERSION_1, branch_key, 16, &x),
        ESDK_ERR_BAD_KEY);
    assert_int_equal(esdk_keyring_hierarchy_new("", s, NULL, &y), ESDK_ERR_BAD_ARGUMENT);
    assert_int_equal(esdk_keyring_hierarchy_new(BRANCH_ID, NULL, NULL, &y), ESDK_ERR_BAD_ARGUMENT);
    /* encrypt with a branch key id the supplier does not hold */
    esdk_keyring *wrong = hierarchy("not-held", s, NULL);
    esdk_enc_ctx *empty = context(NULL, NULL);
    esdk_enc_materials *em;
    assert_int_equal(esdk_enc_materials_new(0x0478, empty, NULL, 0, &em), 0);
    assert_int_equal(esdk_keyring_on_encrypt(wrong, em), ESDK_ERR_BAD_KEY);
    esdk_enc_materials_release(em);
    esdk_enc_ctx_release(empty);

    esdk_keyring_release(wrong);
    esdk_enc_materials_release(m);
    esdk_keyring_release(kr);
    esdk_keyring_release(other);
    esdk_keyring_release(v2);
    esdk_branch_key_supplier_release(s);
    esdk_branch_key_supplier_release(s_other);
    esdk_branch_key_supplier_release(s_v2);
}

static void test_uuid(void **state)
{
    (void)state;
    uint8_t b[16];
    char t[ESDK_UUID_STRING_SIZE];
    assert_true(esdk_hk_uuid_parse("E9CE18A3-EDB5-4272-9F86-1CACB7997FF6", b));
    esdk_hk_uuid_format(b, t);
    assert_string_equal(t, VERSION_1);
    assert_int_equal(b[0], 0xe9);
    assert_int_equal(b[15], 0xf6);
    assert_false(esdk_hk_uuid_parse("e9ce18a3edb5-4272-9f86-1cacb7997ff6-", b));
    assert_false(esdk_hk_uuid_parse("e9ce18a3-edb5-4272-9f86-1cacb7997ff", b));
    assert_false(esdk_hk_uuid_parse("e9ce18a3-edb5-4272-9f86-1cacb7997ff6a", b));
    assert_false(esdk_hk_uuid_parse("g9ce18a3-edb5-4272-9f86-1cacb7997ff6", b));
    assert_int_equal(esdk_hk_uuid_random(b), 0);
    assert_int_equal(b[6] >> 4, 4);
    assert_int_equal(b[8] >> 6, 2);
}

/* ---- an official vector (mpl-keyring 2e134685-..., suite 0x0214, static-branch-key-1) ---- */

#define VEC_ID      "bd3842ff-3076-4092-9918-4395730050b8"
#define VEC_VERSION "e9ce18a3-edb5-4272-9f86-1cacb7997ff6"
#define VEC_BK      "tJwf65epYvUt5HMiQsl/6jlvLxS0tgdjIuvFy2BLIwg="
#define VEC_PK      "AwXFzULp7Aa+wTh2FNHyLdQBaUaqCORJp1kipqTOTjPo"
#define VEC_CT                                                                                     \
    "5kO+R0S6qiH38F1k/LEZGFnXm7FUNo5OBwDL1unOGKPttUJyn4YcrLeZf/YrAac5tXdWwssPGTlL/y568TAASqNjgh+"  \
    "DsQhVBJMtyA=="
#define VEC_KEY "nDnIaPgiL0Eft0PhEDjZ4Q=="
/* HMAC-SHA256(branch key, 00000001 || "aws-kms-hierarchy" || 00 || salt || 00000100), computed
 * independently (Python) */
static const uint8_t vec_wrap_key[32] = {
    0x90, 0x1c, 0x46, 0xf6, 0x54, 0x85, 0xd7, 0x0b, 0xa2, 0x79, 0xd2, 0x0e, 0xd9, 0xdb, 0x62, 0xc3,
    0x20, 0x5e, 0x76, 0xe4, 0xd6, 0xc6, 0xaf, 0x3e, 0x22, 0xf7, 0x55, 0x87, 0xde, 0x38, 0x5b, 0x1a};

static void test_official_vector(void **state)
{
    (void)state;
    size_t bk_len, ct_len, key_len;
    uint8_t *bk = test_base64(VEC_BK, &bk_len);
    uint8_t *ct = test_base64(VEC_CT, &ct_len);
    uint8_t *want = test_base64(VEC_KEY, &key_len);
    esdk_branch_key b;
    assert_int_equal(bk_len, 32);
    assert_int_equal(ct_len, 60 + 16);
    memcpy(b.key, bk, 32);
    assert_true(esdk_hk_uuid_parse(VEC_VERSION, b.version));
    assert_memory_equal(ct + 28, b.version, 16); /* the version's bytes in the ciphertext */

    uint8_t wk[32], key[16];
    assert_int_equal(esdk_hk_derive(b.key, ct, wk), 0);
    assert_memory_equal(wk, vec_wrap_key, 32);

    esdk_enc_ctx *ctx = context("aws-crypto-public-key", VEC_PK);
    esdk_buf ec = ESDK_BUF_INIT, aad = ESDK_BUF_INIT;
    static const uint8_t ec_want[] = {0,   1,   0,   21,  'a', 'w', 's', '-', 'c',
                                      'r', 'y', 'p', 't', 'o', '-', 'p', 'u', 'b',
                                      'l', 'i', 'c', '-', 'k', 'e', 'y', 0,   44};
    assert_int_equal(esdk_enc_ctx_serialize(ctx, &ec), 0);
    assert_memory_equal(ec.data, ec_want, sizeof ec_want);
    assert_int_equal(
        esdk_hk_aad((const uint8_t *)VEC_ID, strlen(VEC_ID), b.version, ec.data, ec.len, &aad), 0);
    assert_int_equal(aad.len, 17 + 36 + 16 + ec.len);
    assert_memory_equal(aad.data, "aws-kms-hierarchy" VEC_ID, 17 + 36);
    assert_memory_equal(aad.data + 53, b.version, 16);
    assert_memory_equal(aad.data + 69, ec.data, ec.len);

    assert_int_equal(
        esdk_hk_unwrap(
            &b, (const uint8_t *)VEC_ID, strlen(VEC_ID), ec.data, ec.len, ct, ct_len, 16, key),
        0);
    assert_memory_equal(key, want, 16);

    /* through the public API */
    esdk_branch_key_supplier *s = NULL;
    assert_int_equal(esdk_branch_key_supplier_static_new(VEC_ID, VEC_VERSION, bk, 32, &s), 0);
    esdk_keyring *kr = hierarchy(VEC_ID, s, NULL);
    esdk_edk edk = {
        (const uint8_t *)"aws-kms-hierarchy", 17, (const uint8_t *)VEC_ID, 36, ct, ct_len};
    esdk_edk_list *edks;
    esdk_dec_materials *dm;
    assert_int_equal(esdk_edk_list_new(&edks), 0);
    assert_int_equal(esdk_edk_list_append(edks, &edk), 0);
    assert_int_equal(esdk_dec_materials_new(0x0214, ctx, NULL, 0, &dm), 0);
    assert_int_equal(esdk_keyring_on_decrypt(kr, dm, edks), 0);
    const uint8_t *got;
    size_t got_len;
    assert_true(esdk_dec_materials_data_key(dm, &got, &got_len));
    assert_int_equal(got_len, 16);
    assert_memory_equal(got, want, 16);

    esdk_dec_materials_release(dm);
    esdk_edk_list_release(edks);
    esdk_keyring_release(kr);
    esdk_branch_key_supplier_release(s);
    esdk_buf_release(&ec);
    esdk_buf_release(&aad);
    esdk_enc_ctx_release(ctx);
    free(bk);
    free(ct);
    free(want);
}

/* ---- a counting supplier and a clock, for the cache ---- */

typedef struct counting {
    esdk_branch_key_supplier *inner;
    int active_calls, version_calls;
    bool lie; /* return another version than asked */
} counting;

static int count_active(void *st, const char *id, esdk_branch_key *out)
{
    counting *c = st;
    c->active_calls++;
    return esdk_hk_supplier_get_active(c->inner, id, out);
}

static int count_version(void *st, const char *id, const uint8_t *version, esdk_branch_key *out)
{
    counting *c = st;
    c->version_calls++;
    if (c->lie) {
        int rc = esdk_hk_supplier_get_active(c->inner, id, out);
        out->version[0] ^= 1;
        return rc;
    }
    return esdk_hk_supplier_get_version(c->inner, id, version, out);
}

static const esdk_branch_key_supplier_vtable counting_vt = {
    .size = sizeof(esdk_branch_key_supplier_vtable),
    .name = "counting",
    .get_active = count_active,
    .get_version = count_version,
    .destroy = NULL,
};

static uint64_t test_clock(void *ctx)
{
    return *(uint64_t *)ctx;
}

static esdk_hierarchy_options *options(uint64_t ttl, size_t capacity, uint64_t *now)
{
    esdk_hierarchy_options *o;
    assert_int_equal(esdk_hierarchy_options_new(&o), 0);
    assert_int_equal(esdk_hierarchy_options_set_cache_ttl(o, ttl), 0);
    if (capacity) {
        assert_int_equal(esdk_hierarchy_options_set_cache_capacity(o, capacity), 0);
    }
    assert_int_equal(esdk_hierarchy_options_set_clock(o, test_clock, now), 0);
    return o;
}

static void test_cache_ttl_with_clock(void **state)
{
    (void)state;
    counting c = {.inner = static_supplier(BRANCH_ID, VERSION_1)};
    esdk_branch_key_supplier *s = NULL;
    assert_int_equal(esdk_branch_key_supplier_new(&counting_vt, &c, &s), 0);
    uint64_t now = 5000;
    esdk_hierarchy_options *o = options(1000, 0, &now);
    esdk_keyring *kr = hierarchy(BRANCH_ID, s, o);
    esdk_hierarchy_options_release(o); /* the keyring copied it */

    esdk_enc_materials *m = wrap(kr, 0x0478, NULL, NULL);
    esdk_enc_materials_release(wrap(kr, 0x0478, NULL, NULL));
    assert_int_equal(c.active_calls, 1); /* the second encrypt hit the cache */
    assert_int_equal(unwrap(kr, m), 0);
    assert_int_equal(c.version_calls, 0); /* the active entry serves its own version */
    now += 999;
    esdk_enc_materials_release(wrap(kr, 0x0478, NULL, NULL));
    assert_int_equal(unwrap(kr, m), 0);
    assert_int_equal(c.active_calls, 1);
    assert_int_equal(c.version_calls, 0);
    now += 1; /* TTL reached: expired */
    assert_int_equal(unwrap(kr, m), 0);
    assert_int_equal(c.version_calls, 1);
    assert_int_equal(unwrap(kr, m), 0);
    assert_int_equal(c.version_calls, 1); /* cached again, as a version */
    esdk_enc_materials_release(wrap(kr, 0x0478, NULL, NULL));
    assert_int_equal(c.active_calls, 2); /* a version entry is not the active key */
    now -= 10;                           /* a clock going backwards expires entries too */
    esdk_enc_materials_release(wrap(kr, 0x0478, NULL, NULL));
    assert_int_equal(c.active_calls, 3);
    esdk_keyring_release(kr);

    /* TTL 0: no cache at all */
    o = options(0, 0, &now);
    kr = hierarchy(BRANCH_ID, s, o);
    esdk_hierarchy_options_release(o);
    c.active_calls = c.version_calls = 0;
    for (int i = 0; i < 3; i++) {
        esdk_enc_materials_release(wrap(kr, 0x0478, NULL, NULL));
        assert_int_equal(unwrap(kr, m), 0);
    }
    assert_int_equal(c.active_calls, 3);
    assert_int_equal(c.version_calls, 3);
    esdk_keyring_release(kr);

    /* a supplier that answers with another version is caught */
    o = options(0, 0, &now);
    kr = hierarchy(BRANCH_ID, s, o);
    esdk_hierarchy_options_release(o);
    c.lie = true;
    assert_int_equal(unwrap(kr, m), ESDK_ERR_KEYRING);
    c.lie = false;
    esdk_keyring_release(kr);

    esdk_enc_materials_release(m);
    esdk_branch_key_supplier_release(s);
    esdk_branch_key_supplier_release(c.inner);
    /* option refusals */
    assert_int_equal(esdk_hierarchy_options_new(&o), 0);
    assert_int_equal(esdk_hierarchy_options_set_cache_capacity(o, 0), ESDK_ERR_BAD_ARGUMENT);
    esdk_hierarchy_options_release(o);
}

static void test_cache_capacity_evicts_lru(void **state)
{
    (void)state;
    uint64_t now = 0;
    esdk_hk_cache *cache;
    assert_int_equal(esdk_hk_cache_new(2, 100, test_clock, &now, &cache), 0);
    esdk_branch_key k[3], out;
    for (int i = 0; i < 3; i++) {
        test_fill(k[i].key, 32, (uint32_t)i);
        memset(k[i].version, i + 1, 16);
    }
    esdk_hk_cache_put(cache, &k[0], true);
    esdk_hk_cache_put(cache, &k[1], false);
    assert_true(esdk_hk_cache_get(cache, k[0].version, &out)); /* k[0] now most recent */
    esdk_hk_cache_put(cache, &k[2], false);                    /* evicts k[1] */
    assert_int_equal(esdk_hk_cache_count(cache), 2);
    assert_false(esdk_hk_cache_get(cache, k[1].version, &out));
    assert_true(esdk_hk_cache_get(cache, k[2].version, &out));
    assert_memory_equal(out.key, k[2].key, 32);
    assert_true(esdk_hk_cache_get(cache, NULL, &out)); /* still the active one */
    assert_memory_equal(out.version, k[0].version, 16);
    esdk_hk_cache_put(cache, &k[2], true); /* a new active key replaces the old designation */
    assert_true(esdk_hk_cache_get(cache, NULL, &out));
    assert_memory_equal(out.version, k[2].version, 16);
    assert_int_equal(esdk_hk_cache_count(cache), 2);
    now = 100;
    assert_false(esdk_hk_cache_get(cache, NULL, &out));
    assert_int_equal(esdk_hk_cache_count(cache), 0); /* pruned */
    esdk_hk_cache_release(cache);
}

/* ---- the file store ---- */

static char *temp_dir(void)
{
    char *dir = strdup("/tmp/esdk-branch-keys-XXXXXX");
    assert_non_null(mkdtemp(dir));
    return dir;
}

static void remove_dir(char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) {
            char path[512];
            snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
            unlink(path);
        }
    }
    if (d) {
        closedir(d);
    }
    rmdir(dir);
    free(dir);
}

static void test_file_store_round_trip(void **state)
{
    (void)state;
    char *dir = temp_dir();
    char path[512], v1[ESDK_UUID_STRING_SIZE], v2[ESDK_UUID_STRING_SIZE];
    esdk_branch_key_supplier *store = NULL;
    assert_int_equal(esdk_branch_key_store_file_new(dir, &store), 0);
    assert_int_equal(esdk_branch_key_store_file_create(store, "orders", v1), 0);
    snprintf(path, sizeof path, "%s/orders.json", dir);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);

    /* the file is the documented JSON */
    size_t len;
    char *text = (char *)test_read_file(path, &len);
    cJSON *root = cJSON_ParseWithLength(text, len);
    assert_string_equal(
        cJSON_GetObjectItem(root, "format")->valuestring, "aws-esdk-c branch keys v1");
    assert_string_equal(cJSON_GetObjectItem(root, "branch-key-id")->valuestring, "orders");
    assert_string_equal(cJSON_GetObjectItem(root, "active")->valuestring, v1);
    const cJSON *ver = cJSON_GetObjectItem(cJSON_GetObjectItem(root, "versions"), v1);
    size_t key_len;
    uint8_t *key = test_base64(cJSON_GetObjectItem(ver, "key")->valuestring, &key_len);
    assert_int_equal(key_len, 32);
    free(key);
    cJSON_Delete(root);
    free(text);

    /* encrypt under v1, rotate, encrypt under v2 (no cache: the rotation is seen at once) */
    uint64_t now = 0;
    esdk_hierarchy_options *o = options(0, 0, &now);
    esdk_keyring *kr = hierarchy("orders", store, o);
    esdk_enc_materials *m1 = wrap(kr, 0x0478, "order", "17");
    assert_int_equal(esdk_branch_key_store_file_rotate(store, "orders", v2), 0);
    assert_string_not_equal(v1, v2);
    esdk_enc_materials *m2 = wrap(kr, 0x0578, "order", "18");
    uint8_t b1[16], b2[16];
    assert_true(esdk_hk_uuid_parse(v1, b1));
    assert_true(esdk_hk_uuid_parse(v2, b2));
    assert_memory_equal(version_of(m1, 0), b1, 16);
    assert_memory_equal(version_of(m2, 0), b2, 16);

    /* another store object over the same directory reads both versions */
    esdk_branch_key_supplier *store2 = NULL;
    assert_int_equal(esdk_branch_key_store_file_new(dir, &store2), 0);
    esdk_keyring *reader = hierarchy("orders", store2, NULL);
    assert_int_equal(unwrap(reader, m1), 0);
    assert_int_equal(unwrap(reader, m2), 0);

    /* refusals */
    assert_int_equal(esdk_branch_key_store_file_create(store, "orders", NULL), ESDK_ERR_BAD_STATE);
    assert_int_equal(esdk_branch_key_store_file_rotate(store, "missing", NULL), ESDK_ERR_BAD_KEY);
    assert_int_equal(
        esdk_branch_key_store_file_create(store, "../escape", NULL), ESDK_ERR_BAD_ARGUMENT);
    assert_int_equal(
        esdk_branch_key_store_file_create(store, ".hidden", NULL), ESDK_ERR_BAD_ARGUMENT);
    esdk_branch_key_supplier *not_store = static_supplier(BRANCH_ID, VERSION_1);
    assert_int_equal(
        esdk_branch_key_store_file_create(not_store, "x", NULL), ESDK_ERR_BAD_ARGUMENT);
    esdk_branch_key_supplier_release(not_store);
    esdk_keyring *missing = hierarchy("missing", store, o);
    esdk_enc_ctx *ctx = context(NULL, NULL);
    esdk_enc_materials *em;
    assert_int_equal(esdk_enc_materials_new(0x0478, ctx, NULL, 0, &em), 0);
    assert_int_equal(esdk_keyring_on_encrypt(missing, em), ESDK_ERR_BAD_KEY);
    esdk_enc_materials_release(em);
    esdk_enc_ctx_release(ctx);
    esdk_keyring_release(missing);
    esdk_branch_key_supplier *bad = NULL;
    assert_int_equal(
        esdk_branch_key_store_file_new("/nonexistent/dir", &bad), ESDK_ERR_BAD_ARGUMENT);

    /* a file others may read is refused */
    assert_int_equal(chmod(path, 0644), 0);
    esdk_keyring_release(reader);
    reader = hierarchy("orders", store2, o);
    assert_int_equal(unwrap(reader, m1), ESDK_ERR_ACCESS_DENIED);
    assert_non_null(strstr(esdk_last_error_detail(), "chmod 600"));
    assert_int_equal(chmod(path, 0600), 0);
    assert_int_equal(unwrap(reader, m1), 0);

    esdk_hierarchy_options_release(o);
    esdk_enc_materials_release(m1);
    esdk_enc_materials_release(m2);
    esdk_keyring_release(kr);
    esdk_keyring_release(reader);
    esdk_branch_key_supplier_release(store);
    esdk_branch_key_supplier_release(store2);
    remove_dir(dir);
}

/* With a cache, a rotation reaches encrypt only when the cached active key expires. */
static void test_file_store_rotation_with_cache(void **state)
{
    (void)state;
    char *dir = temp_dir();
    char v1[ESDK_UUID_STRING_SIZE], v2[ESDK_UUID_STRING_SIZE];
    uint8_t b1[16], b2[16];
    esdk_branch_key_supplier *store = NULL;
    assert_int_equal(esdk_branch_key_store_file_new(dir, &store), 0);
    assert_int_equal(esdk_branch_key_store_file_create(store, "k", v1), 0);
    uint64_t now = 1;
    esdk_hierarchy_options *o = options(60000, 0, &now);
    esdk_keyring *kr = hierarchy("k", store, o);
    esdk_hierarchy_options_release(o);
    esdk_enc_materials *m = wrap(kr, 0x0478, NULL, NULL);
    assert_int_equal(esdk_branch_key_store_file_rotate(store, "k", v2), 0);
    assert_true(esdk_hk_uuid_parse(v1, b1));
    assert_true(esdk_hk_uuid_parse(v2, b2));
    esdk_enc_materials_release(m);
    m = wrap(kr, 0x0478, NULL, NULL);
    assert_memory_equal(version_of(m, 0), b1, 16); /* still cached */
    esdk_enc_materials_release(m);
    now += 60000;
    m = wrap(kr, 0x0478, NULL, NULL);
    assert_memory_equal(version_of(m, 0), b2, 16);
    esdk_enc_materials_release(m);
    esdk_keyring_release(kr);
    esdk_branch_key_supplier_release(store);
    remove_dir(dir);
}

/* One keyring (and its cache, with a TTL short enough to expire under load) from several
 * threads at once. */
static void *round_trips(void *arg)
{
    esdk_keyring *kr = arg;
    for (int i = 0; i < 200; i++) {
        esdk_enc_materials *m = wrap(kr, i % 2 ? 0x0478 : 0x0578, NULL, NULL);
        if (unwrap(kr, m) != 0) {
            esdk_enc_materials_release(m);
            return (void *)1;
        }
        esdk_enc_materials_release(m);
    }
    return NULL;
}

static void test_threads(void **state)
{
    (void)state;
    char *dir = temp_dir();
    esdk_branch_key_supplier *store = NULL;
    assert_int_equal(esdk_branch_key_store_file_new(dir, &store), 0);
    assert_int_equal(esdk_branch_key_store_file_create(store, "shared", NULL), 0);
    esdk_hierarchy_options *o;
    assert_int_equal(esdk_hierarchy_options_new(&o), 0);
    assert_int_equal(esdk_hierarchy_options_set_cache_ttl(o, 2), 0);
    assert_int_equal(esdk_hierarchy_options_set_cache_capacity(o, 2), 0);
    esdk_keyring *kr = hierarchy("shared", store, o);
    esdk_hierarchy_options_release(o);
    pthread_t t[4];
    for (int i = 0; i < 4; i++) {
        assert_int_equal(pthread_create(&t[i], NULL, round_trips, kr), 0);
    }
    assert_int_equal(esdk_branch_key_store_file_rotate(store, "shared", NULL), 0);
    for (int i = 0; i < 4; i++) {
        void *r;
        assert_int_equal(pthread_join(t[i], &r), 0);
        assert_null(r);
    }
    esdk_keyring_release(kr);
    esdk_branch_key_supplier_release(store);
    remove_dir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_static_round_trip_and_layout),
        cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_uuid),
        cmocka_unit_test(test_official_vector),
        cmocka_unit_test(test_cache_ttl_with_clock),
        cmocka_unit_test(test_cache_capacity_evicts_lru),
        cmocka_unit_test(test_file_store_round_trip),
        cmocka_unit_test(test_file_store_rotation_with_cache),
        cmocka_unit_test(test_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
