/* Key descriptions -> keyrings and CMMs (see keyring_factory.h). One builder per key type. */
#define _POSIX_C_SOURCE 200809L

#include "keyring_factory.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <aws-esdk-c/error.h>
#include <aws-esdk-c/keyrings/raw_aes.h>

#include "util.h"

typedef struct kf_ctx {
    const cJSON *keys;
    kf_purpose purpose;
    kf_list *list;
} kf_ctx;

/* ---- list bookkeeping ---- */

static void add_reason(char **field, const char *reason)
{
    if (*field && strstr(*field, reason)) {
        return; /* already said */
    }
    char *s = *field ? vu_xasprintf("%s; %s", *field, reason) : vu_xstrdup(reason);
    free(*field);
    *field = s;
}

static void unusable(kf_ctx *ctx, const char *fmt, const char *arg)
{
    char *s = vu_xasprintf(fmt, arg);
    add_reason(&ctx->list->unusable, s);
    free(s);
}

static void bad(kf_ctx *ctx, const char *fmt, const char *arg)
{
    char *s = vu_xasprintf(fmt, arg);
    add_reason(&ctx->list->error, s);
    free(s);
}

static kf_candidate *add_candidate(kf_list *list, char *label)
{
    if (list->count == list->cap) {
        list->cap = list->cap ? list->cap * 2 : 4;
        list->items = vu_xrealloc(list->items, list->cap * sizeof(*list->items));
    }
    kf_candidate *c = &list->items[list->count++];
    memset(c, 0, sizeof(*c));
    c->label = label;
    return c;
}

/* Record the result of a library constructor: a keyring, or a failed attempt. */
static void add_keyring(kf_list *list, char *label, int rc, esdk_keyring *keyring)
{
    kf_candidate *c = add_candidate(list, label);
    if (rc) {
        c->build_rc = rc;
        snprintf(c->build_detail, sizeof(c->build_detail), "%s", esdk_last_error_detail());
    } else {
        c->keyring = keyring;
    }
}

void kf_list_free(kf_list *list)
{
    for (size_t i = 0; i < list->count; i++) {
        esdk_keyring_release(list->items[i].keyring);
        esdk_cmm_release(list->items[i].cmm);
        free(list->items[i].label);
    }
    free(list->items);
    free(list->unusable);
    free(list->error);
    memset(list, 0, sizeof(*list));
}

/* ---- keys manifest access ---- */

/* The keys-manifest entry a description names with "key"; NULL (and a recorded error) if none. */
static const cJSON *lookup_key(kf_ctx *ctx, const cJSON *desc, const char **name_out)
{
    const char *name = vu_json_str(desc, "key");
    if (!name) {
        bad(ctx, "key description has no \"key\"%s", "");
        return NULL;
    }
    const cJSON *key = ctx->keys ? cJSON_GetObjectItemCaseSensitive(ctx->keys, name) : NULL;
    if (!cJSON_IsObject(key)) {
        bad(ctx, "key \"%s\" is not in the keys manifest", name);
        return NULL;
    }
    if (name_out) {
        *name_out = name;
    }
    return key;
}

/* false (and a recorded reason) if the keys manifest says the key is not for this purpose. */
static bool key_allows(kf_ctx *ctx, const cJSON *key, const char *name)
{
    const char *flag = ctx->purpose == KF_FOR_DECRYPT ? "decrypt" : "encrypt";
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(key, flag);
    if (cJSON_IsFalse(v)) {
        char *s = vu_xasprintf("key \"%s\" is marked %s: false", name, flag);
        add_reason(&ctx->list->unusable, s);
        free(s);
        return false;
    }
    return true;
}

/* The name that goes into EDKs: the key's "key-id", else the description's, else its name. */
static const char *key_id(const cJSON *key, const cJSON *desc, const char *name)
{
    const char *id = vu_json_str(key, "key-id");
    if (!id) {
        id = vu_json_str(desc, "key-id");
    }
    return id ? id : name;
}

/* Symmetric key bytes by the entry's encoding (base64 by default, or hex). */
static int key_material(kf_ctx *ctx, const cJSON *key, const char *name, uint8_t **out, size_t *len)
{
    const char *enc = vu_json_str(key, "encoding");
    const char *mat = vu_json_str(key, "material");
    int rc = -1;
    if (!mat) {
        bad(ctx, "key \"%s\" has no material", name);
        return -1;
    }
    if (!enc || strcmp(enc, "base64") == 0) {
        rc = vu_base64_decode(mat, out, len);
    } else if (strcmp(enc, "hex") == 0) {
        rc = vu_hex_decode(mat, out, len);
    } else {
        bad(ctx, "key \"%s\" has an encoding the runner cannot read", name);
        return -1;
    }
    if (rc) {
        bad(ctx, "key \"%s\" material does not decode", name);
        return -1;
    }
    const cJSON *bits = cJSON_GetObjectItemCaseSensitive(key, "bits");
    if (cJSON_IsNumber(bits) && (size_t)bits->valueint != *len * 8) {
        bad(ctx, "key \"%s\" material does not match its \"bits\"", name);
        free(*out);
        return -1;
    }
    return 0;
}

/* ---- one builder per key type ---- */

static void build(kf_ctx *ctx, const cJSON *desc);

/* type "raw", encryption-algorithm "aes": esdk_keyring_raw_aes_new. */
static void kf_raw_aes(kf_ctx *ctx, const cJSON *desc)
{
    const char *name;
    const cJSON *key = lookup_key(ctx, desc, &name);
    const char *provider = vu_json_str(desc, "provider-id");
    if (!key) {
        return;
    }
    if (!provider) {
        bad(ctx, "raw AES description for \"%s\" has no provider-id", name);
        return;
    }
    const char *type = vu_json_str(key, "type");
    if (type && strcmp(type, "symmetric") != 0) {
        bad(ctx, "key \"%s\" is not symmetric but used as raw AES", name);
        return;
    }
    if (!key_allows(ctx, key, name)) {
        return;
    }
    uint8_t *material;
    size_t len;
    if (key_material(ctx, key, name, &material, &len)) {
        return;
    }
    const char *id = key_id(key, desc, name);
    esdk_keyring *kr = NULL;
    int rc = esdk_keyring_raw_aes_new(provider, id, material, len, &kr);
    memset(material, 0, len);
    free(material);
    add_keyring(ctx->list, vu_xasprintf("raw-aes %s/%s", provider, id), rc, kr);
}

/* type "raw", encryption-algorithm "rsa": waits for esdk_keyring_raw_rsa_new. */
static void kf_raw_rsa(kf_ctx *ctx, const cJSON *desc)
{
    (void)desc;
    unusable(ctx, "raw RSA keyring not in the library yet%s", "");
}

static void kf_raw(kf_ctx *ctx, const cJSON *desc)
{
    const char *alg = vu_json_str(desc, "encryption-algorithm");
    if (alg && strcmp(alg, "aes") == 0) {
        kf_raw_aes(ctx, desc);
    } else if (alg && strcmp(alg, "rsa") == 0) {
        kf_raw_rsa(ctx, desc);
    } else {
        unusable(ctx, "raw key with encryption-algorithm \"%s\" not supported", alg ? alg : "?");
    }
}

/* "aws-kms", "aws-kms-mrk-aware", "aws-kms-mrk-aware-discovery", "aws-kms-rsa", ... */
static void kf_aws_kms(kf_ctx *ctx, const cJSON *desc)
{
    unusable(ctx, "%s needs AWS KMS", vu_json_str(desc, "type"));
}

/* "raw-ecdh" (static or discovery schema): waits for the raw ECDH keyring. */
static void kf_raw_ecdh(kf_ctx *ctx, const cJSON *desc)
{
    (void)desc;
    unusable(ctx, "raw ECDH keyring not in the library yet%s", "");
}

/* "aws-kms-hierarchy" with a static branch key: waits for the hierarchical keyring. */
static void kf_hierarchy(kf_ctx *ctx, const cJSON *desc)
{
    (void)desc;
    unusable(ctx, "hierarchical keyring not in the library yet%s", "");
}

/*
 * "multi-keyring": generator + childKeyrings. Until the library has a multi-keyring, decrypt
 * tries each member alone (any member of a multi-keyring can decrypt what it wrapped); encrypt
 * cannot reproduce it.
 */
static void kf_multi(kf_ctx *ctx, const cJSON *desc)
{
    if (ctx->purpose == KF_FOR_ENCRYPT) {
        unusable(ctx, "multi-keyring not in the library yet%s", "");
        return;
    }
    const cJSON *gen = vu_json_obj(desc, "generator");
    const cJSON *children = cJSON_GetObjectItemCaseSensitive(desc, "childKeyrings");
    if (gen) {
        build(ctx, gen);
    }
    const cJSON *child;
    cJSON_ArrayForEach(child, children)
    {
        build(ctx, child);
    }
    if (!gen && cJSON_GetArraySize(children) == 0) {
        bad(ctx, "multi-keyring with no members%s", "");
    }
}

/* "required-encryption-context-cmm" (v5): waits for a required-EC CMM in the library. */
static void kf_required_ec_cmm(kf_ctx *ctx, const cJSON *desc)
{
    (void)desc;
    unusable(ctx, "required-encryption-context CMM not in the library yet%s", "");
}

static void build(kf_ctx *ctx, const cJSON *desc)
{
    const char *type = vu_json_str(desc, "type");
    if (!type) {
        bad(ctx, "key description has no type%s", "");
    } else if (strcmp(type, "raw") == 0) {
        kf_raw(ctx, desc);
    } else if (strncmp(type, "aws-kms-hierarchy", 17) == 0) {
        kf_hierarchy(ctx, desc);
    } else if (strncmp(type, "aws-kms", 7) == 0) {
        kf_aws_kms(ctx, desc);
    } else if (strcmp(type, "raw-ecdh") == 0) {
        kf_raw_ecdh(ctx, desc);
    } else if (strcmp(type, "multi-keyring") == 0) {
        kf_multi(ctx, desc);
    } else if (strcmp(type, "required-encryption-context-cmm") == 0) {
        kf_required_ec_cmm(ctx, desc);
    } else {
        unusable(ctx, "key type \"%s\" not supported by the runner", type);
    }
}

/* ---- entry points ---- */

void kf_add(const cJSON *keys, const cJSON *desc, kf_purpose purpose, kf_list *list)
{
    kf_ctx ctx = {keys, purpose, list};
    if (!cJSON_IsObject(desc)) {
        bad(&ctx, "key description is not an object%s", "");
        return;
    }
    build(&ctx, desc);
}

void kf_add_fixed(vec_fixed_key kind, kf_list *list)
{
    esdk_keyring *kr = NULL;
    int rc = fixed_keyring_new(kind, &kr);
    add_keyring(
        list,
        vu_xstrdup(kind == VEC_FIXED_COUNTING ? "fixed counting data key" : "fixed zero data key"),
        rc,
        kr);
}

void kf_wrap_required_ec(kf_list *list, const cJSON *reproduced_ec)
{
    (void)reproduced_ec; /* the required keys, once the library has the CMM */
    if (list->count == 0) {
        add_reason(&list->unusable, "required-encryption-context CMM not in the library yet");
        return;
    }
    for (size_t i = 0; i < list->count; i++) {
        esdk_keyring_release(list->items[i].keyring);
        esdk_cmm_release(list->items[i].cmm);
        free(list->items[i].label);
    }
    list->count = 0;
    add_reason(&list->unusable, "required-encryption-context CMM not in the library yet");
}

int kf_build_encrypt(const cJSON *keys, const cJSON *desc, esdk_keyring **out, char **why)
{
    kf_list list = {0};
    kf_add(keys, desc, KF_FOR_ENCRYPT, &list);
    int rc = 0;
    if (list.error) {
        *why = vu_xstrdup(list.error);
        rc = -1;
    } else if (list.count == 0) {
        *why = vu_xstrdup(list.unusable ? list.unusable : "no keyring");
        rc = 1;
    } else if (list.items[0].build_rc) {
        *why = vu_xasprintf(
            "the library refused the keyring: %s %s",
            esdk_error_name(list.items[0].build_rc),
            list.items[0].build_detail);
        rc = -1;
    } else if (!list.items[0].keyring) {
        *why = vu_xstrdup("encrypt needs a keyring, not a CMM");
        rc = 1;
    } else {
        *out = esdk_keyring_retain(list.items[0].keyring);
    }
    kf_list_free(&list);
    return rc;
}
