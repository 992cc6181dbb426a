/* Key descriptions -> keyrings and CMMs (see keyring_factory.h): candidate lists, the keys
 * manifest, dispatch by type, the multi-keyring and the required-encryption-context CMM. The
 * builders of single keyrings are in kf_raw.c, kf_ecdh.c and kf_hierarchy.c. */
#define _POSIX_C_SOURCE 200809L

#include "keyring_factory.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <aws-esdk-c/cmm_required_context.h>
#include <aws-esdk-c/error.h>
#include <aws-esdk-c/keyrings/multi.h>

#include "kf_internal.h"
#include "util.h"

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

void kf_unusable(kf_ctx *ctx, const char *fmt, const char *arg)
{
    char *s = vu_xasprintf(fmt, arg);
    add_reason(&ctx->list->unusable, s);
    free(s);
}

void kf_bad(kf_ctx *ctx, const char *fmt, const char *arg)
{
    char *s = vu_xasprintf(fmt, arg);
    add_reason(&ctx->list->error, s);
    free(s);
}

static void append(kf_list *list, const kf_candidate *c)
{
    if (list->count == list->cap) {
        list->cap = list->cap ? list->cap * 2 : 4;
        list->items = vu_xrealloc(list->items, list->cap * sizeof(*list->items));
    }
    list->items[list->count++] = *c;
}

bool kf_made(kf_candidate *out, char *label, int rc, esdk_keyring *keyring)
{
    memset(out, 0, sizeof(*out));
    out->label = label;
    if (rc) {
        out->build_rc = rc;
        snprintf(out->build_detail, sizeof(out->build_detail), "%s", esdk_last_error_detail());
    } else {
        out->keyring = keyring;
    }
    return true;
}

bool kf_made_cmm(kf_candidate *out, char *label, int rc, esdk_cmm *cmm)
{
    kf_made(out, label, rc, NULL);
    out->cmm = rc ? NULL : cmm;
    return true;
}

void kf_candidate_clear(kf_candidate *c)
{
    esdk_keyring_release(c->keyring);
    esdk_cmm_release(c->cmm);
    free(c->label);
    memset(c, 0, sizeof(*c));
}

void kf_list_free(kf_list *list)
{
    for (size_t i = 0; i < list->count; i++) {
        kf_candidate_clear(&list->items[i]);
    }
    free(list->items);
    free(list->unusable);
    free(list->error);
    memset(list, 0, sizeof(*list));
}

/* ---- keys manifest access ---- */

const cJSON *kf_key_named(kf_ctx *ctx, const char *name)
{
    const cJSON *key = ctx->keys && name ? cJSON_GetObjectItemCaseSensitive(ctx->keys, name) : NULL;
    if (!cJSON_IsObject(key)) {
        kf_bad(ctx, "key \"%s\" is not in the keys manifest", name ? name : "(none)");
        return NULL;
    }
    return key;
}

const cJSON *kf_lookup_key(kf_ctx *ctx, const cJSON *desc, const char **name_out)
{
    const char *name = vu_json_str(desc, "key");
    if (!name) {
        kf_bad(ctx, "key description has no \"key\"%s", "");
        return NULL;
    }
    const cJSON *key = kf_key_named(ctx, name);
    if (key && name_out) {
        *name_out = name;
    }
    return key;
}

/* A keys-manifest flag: JSON false, or the strings "false"/"False" (C SDK manifests). */
static bool flag_is_false(const cJSON *v)
{
    return cJSON_IsFalse(v) || (cJSON_IsString(v) && strcasecmp(v->valuestring, "false") == 0);
}

bool kf_key_allows(kf_ctx *ctx, const cJSON *key, const char *name)
{
    const char *flag = ctx->purpose == KF_FOR_DECRYPT ? "decrypt" : "encrypt";
    if (flag_is_false(cJSON_GetObjectItemCaseSensitive(key, flag))) {
        char *s = vu_xasprintf("key \"%s\" is marked %s: false", name, flag);
        add_reason(&ctx->list->unusable, s);
        free(s);
        return false;
    }
    return true;
}

const char *kf_key_id(const cJSON *key, const cJSON *desc, const char *name)
{
    const char *id = vu_json_str(key, "key-id");
    if (!id) {
        id = vu_json_str(desc, "key-id");
    }
    return id ? id : name;
}

int kf_key_material(kf_ctx *ctx, const cJSON *key, const char *name, uint8_t **out, size_t *len)
{
    const char *enc = vu_json_str(key, "encoding");
    const char *mat = vu_json_str(key, "material");
    int rc = -1;
    if (!mat) {
        kf_bad(ctx, "key \"%s\" has no material", name);
        return -1;
    }
    if (enc && strcmp(enc, "pem") == 0) {
        *len = strlen(mat);
        *out = vu_xmalloc(*len + 1);
        memcpy(*out, mat, *len + 1);
        return 0; /* "bits" is the key size, not the text's */
    }
    if (!enc || strcmp(enc, "base64") == 0) {
        rc = vu_base64_decode(mat, out, len);
    } else if (strcmp(enc, "hex") == 0) {
        rc = vu_hex_decode(mat, out, len);
    } else {
        kf_bad(ctx, "key \"%s\" has an encoding the runner cannot read", name);
        return -1;
    }
    if (rc) {
        kf_bad(ctx, "key \"%s\" material does not decode", name);
        return -1;
    }
    const cJSON *bits = cJSON_GetObjectItemCaseSensitive(key, "bits");
    if (cJSON_IsNumber(bits) && (size_t)bits->valueint != *len * 8) {
        kf_bad(ctx, "key \"%s\" material does not match its \"bits\"", name);
        free(*out);
        return -1;
    }
    return 0;
}

/* ---- composite descriptions ---- */

/* "aws-kms", "aws-kms-mrk-aware", "aws-kms-mrk-aware-discovery", "aws-kms-rsa", ... */
static bool kf_aws_kms(kf_ctx *ctx, const cJSON *desc)
{
    kf_unusable(ctx, "%s needs AWS KMS", vu_json_str(desc, "type"));
    return false;
}

/* "multi-keyring": generator (optional) + childKeyrings, as one esdk_keyring_multi_new. */
static bool kf_multi(kf_ctx *ctx, const cJSON *desc, kf_candidate *out)
{
    const cJSON *gen = vu_json_obj(desc, "generator");
    const cJSON *children = cJSON_GetObjectItemCaseSensitive(desc, "childKeyrings");
    size_t n = cJSON_IsArray(children) ? (size_t)cJSON_GetArraySize(children) : 0;
    if (!gen && n == 0) {
        kf_bad(ctx, "multi-keyring with no members%s", "");
        return false;
    }
    kf_candidate g = {0};
    kf_candidate *kids = vu_xmalloc((n ? n : 1) * sizeof(*kids));
    esdk_keyring **kid_keyrings = vu_xmalloc((n ? n : 1) * sizeof(*kid_keyrings));
    memset(kids, 0, (n ? n : 1) * sizeof(*kids));
    bool ok = !gen || kf_build(ctx, gen, &g);
    for (size_t i = 0; ok && i < n; i++) {
        ok = kf_build(ctx, cJSON_GetArrayItem(children, (int)i), &kids[i]);
    }
    const kf_candidate *refused = NULL;
    for (size_t i = 0; ok && i <= n; i++) {
        const kf_candidate *c = i == 0 ? &g : &kids[i - 1];
        if ((i > 0 || gen) && (c->build_rc || c->cmm) && !refused) {
            refused = c;
        }
        if (i > 0) {
            kid_keyrings[i - 1] = c->keyring;
        }
    }
    if (ok && refused && refused->cmm) {
        kf_bad(ctx, "a multi-keyring member is a CMM (%s)", refused->label);
        ok = false;
    } else if (ok && refused) {
        memset(out, 0, sizeof(*out));
        out->label = vu_xstrdup("multi-keyring");
        out->build_rc = refused->build_rc;
        char *said = vu_xasprintf("member %s: %s", refused->label, refused->build_detail);
        snprintf(out->build_detail, sizeof(out->build_detail), "%s", said); /* may be cut */
        free(said);
    } else if (ok) {
        esdk_keyring *kr = NULL;
        int rc = esdk_keyring_multi_new(gen ? g.keyring : NULL, kid_keyrings, n, &kr);
        kf_made(out, vu_xasprintf("multi-keyring of %zu", n + (gen != NULL)), rc, kr);
    }
    kf_candidate_clear(&g);
    for (size_t i = 0; i < n; i++) {
        kf_candidate_clear(&kids[i]);
    }
    free(kids);
    free(kid_keyrings);
    return ok;
}

/* A required-context CMM over a built candidate (consumed): keyring or CMM underneath. */
static bool required_over(kf_candidate *under, const char *const *keys, size_t n, kf_candidate *out)
{
    if (under->build_rc) {
        *out = *under; /* the refusal stands for the whole */
        memset(under, 0, sizeof(*under));
        return true;
    }
    esdk_cmm *cmm = NULL;
    int rc = under->keyring
                 ? esdk_cmm_required_context_new_with_keyring(under->keyring, keys, n, &cmm)
                 : esdk_cmm_required_context_new(under->cmm, keys, n, &cmm);
    kf_made_cmm(out, vu_xasprintf("required-context CMM over %s", under->label), rc, cmm);
    kf_candidate_clear(under);
    return true;
}

/* "required-encryption-context-cmm" (v5): underlying + requiredEncryptionContextKeys. */
static bool kf_required_ec_cmm(kf_ctx *ctx, const cJSON *desc, kf_candidate *out)
{
    const cJSON *under_desc = vu_json_obj(desc, "underlying");
    const cJSON *req = cJSON_GetObjectItemCaseSensitive(desc, "requiredEncryptionContextKeys");
    if (!under_desc || !cJSON_IsArray(req)) {
        kf_bad(
            ctx,
            "required-encryption-context-cmm needs underlying and %s",
            "requiredEncryptionContextKeys");
        return false;
    }
    size_t n = (size_t)cJSON_GetArraySize(req);
    const char **keys = vu_xmalloc((n ? n : 1) * sizeof(*keys));
    for (size_t i = 0; i < n; i++) {
        const cJSON *k = cJSON_GetArrayItem(req, (int)i);
        keys[i] = cJSON_IsString(k) ? k->valuestring : NULL;
        if (!keys[i]) {
            kf_bad(ctx, "requiredEncryptionContextKeys holds a non-string%s", "");
            free(keys);
            return false;
        }
    }
    kf_candidate under;
    bool ok = kf_build(ctx, under_desc, &under) && required_over(&under, keys, n, out);
    free(keys);
    return ok;
}

bool kf_build(kf_ctx *ctx, const cJSON *desc, kf_candidate *out)
{
    const char *type = vu_json_str(desc, "type");
    memset(out, 0, sizeof(*out));
    if (!cJSON_IsObject(desc) || !type) {
        kf_bad(ctx, "key description has no type%s", "");
        return false;
    }
    if (strcmp(type, "raw") == 0) {
        return kf_raw(ctx, desc, out);
    }
    if (strncmp(type, "aws-kms-hierarchy", 17) == 0) {
        return kf_hierarchy(ctx, desc, out);
    }
    if (strncmp(type, "aws-kms", 7) == 0) {
        return kf_aws_kms(ctx, desc);
    }
    if (strcmp(type, "raw-ecdh") == 0) {
        return kf_raw_ecdh(ctx, desc, out);
    }
    if (strcmp(type, "multi-keyring") == 0) {
        return kf_multi(ctx, desc, out);
    }
    if (strcmp(type, "required-encryption-context-cmm") == 0) {
        return kf_required_ec_cmm(ctx, desc, out);
    }
    kf_unusable(ctx, "key type \"%s\" not supported by the runner", type);
    return false;
}

/* ---- entry points ---- */

void kf_add(const cJSON *keys, const cJSON *desc, kf_purpose purpose, kf_list *list)
{
    kf_ctx ctx = {keys, purpose, list};
    kf_candidate c;
    if (kf_build(&ctx, desc, &c)) {
        append(list, &c);
    }
}

void kf_add_fixed(vec_fixed_key kind, kf_list *list)
{
    esdk_keyring *kr = NULL;
    int rc = fixed_keyring_new(kind, &kr);
    kf_candidate c;
    kf_made(
        &c,
        vu_xstrdup(kind == VEC_FIXED_COUNTING ? "fixed counting data key" : "fixed zero data key"),
        rc,
        kr);
    append(list, &c);
}

void kf_wrap_required_ec(kf_list *list, const cJSON *reproduced_ec)
{
    size_t n = (size_t)cJSON_GetArraySize(reproduced_ec);
    const char **keys = vu_xmalloc((n ? n : 1) * sizeof(*keys));
    const cJSON *item;
    size_t i = 0;
    cJSON_ArrayForEach(item, reproduced_ec)
    {
        keys[i++] = item->string;
    }
    for (size_t j = 0; j < list->count; j++) {
        kf_candidate under = list->items[j];
        required_over(&under, keys, n, &list->items[j]);
    }
    free(keys);
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
