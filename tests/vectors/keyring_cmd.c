/* esdk-vectors keyring: keyring-level vectors (awses-mpl-decrypt, the MPL's own test format).
 *
 * A case gives a suite, a list of EDKs, the stored encryption context, optionally a reproduced
 * context, and a key description; a positive case expects one plaintext data key (and the
 * materials' required context keys), a negative one a failure. No message is involved.
 *
 * A keyring is checked two ways, and both must meet the expectation:
 *  - "keyring": esdk_dec_materials_new(suite, context, required keys) then
 *    esdk_keyring_on_decrypt directly. The reproduced context is merged the way a default
 *    CMM does it: a pair whose key is stored must agree with it (else the case fails here),
 *    the others are added to the context and become required keys;
 *  - "default CMM": esdk_cmm_decrypt_materials on esdk_cmm_default_new(keyring), which applies
 *    the reproduced context itself.
 * A CMM description (required-encryption-context-cmm) is checked through
 * esdk_cmm_decrypt_materials. */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <aws-esdk-c/esdk.h>

#include "commands.h"
#include "keyring_factory.h"
#include "manifest.h"
#include "util.h"

typedef struct ktally {
    size_t passed, failed, skipped;
} ktally;

/* What one path produced. */
typedef struct outcome {
    int rc;
    char detail[300];
    vu_bytes key;
    char **required; /* the materials' required keys */
    size_t required_count;
} outcome;

static void outcome_clear(outcome *o)
{
    vu_bytes_free(&o->key);
    for (size_t i = 0; i < o->required_count; i++) {
        free(o->required[i]);
    }
    free(o->required);
    memset(o, 0, sizeof(*o));
}

static void outcome_fail(outcome *o, int rc, const char *detail)
{
    o->rc = rc;
    snprintf(o->detail, sizeof(o->detail), "%s", detail ? detail : esdk_last_error_detail());
}

/* Take the data key and required keys out of decryption materials. */
static void outcome_take(outcome *o, const esdk_dec_materials *m)
{
    const uint8_t *key;
    size_t len;
    if (!esdk_dec_materials_data_key(m, &key, &len)) {
        outcome_fail(o, ESDK_ERR_INTERNAL, "(runner) success without a data key");
        return;
    }
    vu_bytes_append(&o->key, key, len);
    o->required_count = esdk_dec_materials_required_key_count(m);
    o->required = vu_xmalloc((o->required_count + 1) * sizeof(*o->required));
    for (size_t i = 0; i < o->required_count; i++) {
        o->required[i] = vu_xstrdup(esdk_dec_materials_required_key(m, i));
    }
}

/* ---- one case's inputs ---- */

typedef struct kcase {
    const char *id;
    bool positive;
    uint16_t suite;
    esdk_edk_list *edks;
    esdk_enc_ctx *ctx;
    const cJSON *reproduced; /* object or NULL */
    esdk_enc_ctx *reproduced_ctx;
    uint8_t *want_key;
    size_t want_key_len;
    const cJSON *want_required; /* array or NULL */
} kcase;

static void kcase_free(kcase *k)
{
    esdk_edk_list_release(k->edks);
    esdk_enc_ctx_release(k->ctx);
    esdk_enc_ctx_release(k->reproduced_ctx);
    free(k->want_key);
}

/* NULL, or why the EDK list cannot be read. */
static char *read_edks(const cJSON *arr, esdk_edk_list **out)
{
    if (!cJSON_IsArray(arr)) {
        return vu_xstrdup("encryptedDataKeys is not an array");
    }
    if (esdk_edk_list_new(out) != 0) {
        return vu_xstrdup("esdk_edk_list_new failed");
    }
    const cJSON *e;
    cJSON_ArrayForEach(e, arr)
    {
        const char *pid = vu_json_str(e, "keyProviderId");
        const char *info_b64 = vu_json_str(e, "keyProviderInfo");
        const char *ct_b64 = vu_json_str(e, "ciphertext");
        uint8_t *info = NULL, *ct = NULL;
        size_t info_len = 0, ct_len = 0;
        char *why = NULL;
        if (!pid || !info_b64 || !ct_b64 || vu_base64_decode(info_b64, &info, &info_len) ||
            vu_base64_decode(ct_b64, &ct, &ct_len)) {
            why = vu_xstrdup("an EDK lacks keyProviderId, keyProviderInfo or ciphertext (base64)");
        } else {
            esdk_edk edk = {(const uint8_t *)pid, strlen(pid), info, info_len, ct, ct_len};
            if (esdk_edk_list_append(*out, &edk) != 0) {
                why = vu_xasprintf("the library refused an EDK: %s", esdk_last_error_detail());
            }
        }
        free(info);
        free(ct);
        if (why) {
            return why;
        }
    }
    return NULL;
}

/* NULL, or why the case cannot be read. */
static char *read_case(const cJSON *t, kcase *k)
{
    const char *type = vu_json_str(t, "type");
    const char *suite = vu_json_str(t, "algorithmSuiteId");
    const cJSON *ec = cJSON_GetObjectItemCaseSensitive(t, "encryptionContext");
    char *end = NULL;
    if (!type || (strcmp(type, "positive-keyring") != 0 && strcmp(type, "negative-keyring") != 0)) {
        return vu_xasprintf("case type \"%s\" is not a keyring decrypt", type ? type : "?");
    }
    k->positive = strcmp(type, "positive-keyring") == 0;
    unsigned long s = suite ? strtoul(suite, &end, 16) : 0;
    if (!suite || *end || s > 0xFFFF || !esdk_suite_is_known((uint16_t)s)) {
        return vu_xasprintf("algorithmSuiteId \"%s\" is not a known suite", suite ? suite : "?");
    }
    k->suite = (uint16_t)s;
    char *why = read_edks(cJSON_GetObjectItemCaseSensitive(t, "encryptedDataKeys"), &k->edks);
    if (why) {
        return why;
    }
    if (ec ? vu_ctx_from_json(ec, &k->ctx) != 0 : esdk_enc_ctx_new(&k->ctx) != 0) {
        return vu_xstrdup("encryptionContext is not an object of strings");
    }
    k->reproduced = vu_json_obj(t, "reproducedEncryptionContext");
    if (k->reproduced && vu_ctx_from_json(k->reproduced, &k->reproduced_ctx) != 0) {
        return vu_xstrdup("reproducedEncryptionContext is not an object of strings");
    }
    if (strcmp(type, "positive-keyring") == 0) {
        const cJSON *result = vu_json_obj(t, "result");
        const char *b64 = vu_json_str(result, "plaintextDataKey");
        if (!b64 || vu_base64_decode(b64, &k->want_key, &k->want_key_len) != 0) {
            return vu_xstrdup("result.plaintextDataKey is missing or not base64");
        }
        const cJSON *req =
            cJSON_GetObjectItemCaseSensitive(result, "requiredEncryptionContextKeys");
        k->want_required = cJSON_IsArray(req) ? req : NULL;
    }
    return NULL;
}

/* ---- the three paths ---- */

/* The default CMM's reproduced-context rule, done by the runner for a direct keyring call. */
static void run_keyring(esdk_keyring *kr, const kcase *k, outcome *o)
{
    esdk_enc_ctx *merged = NULL;
    esdk_dec_materials *m = NULL;
    size_t n = 0, cap = (size_t)cJSON_GetArraySize(k->reproduced) + 1;
    const char **required = vu_xmalloc(cap * sizeof(*required));
    int rc = esdk_enc_ctx_clone(k->ctx, &merged);
    const cJSON *pair;
    cJSON_ArrayForEach(pair, k->reproduced)
    {
        const uint8_t *v;
        size_t v_len;
        if (rc) {
            break;
        }
        const char *key = pair->string, *val = pair->valuestring;
        if (esdk_enc_ctx_get(k->ctx, (const uint8_t *)key, strlen(key), &v, &v_len) == 0) {
            if (v_len != strlen(val) || memcmp(v, val, v_len) != 0) {
                esdk_enc_ctx_release(merged);
                free(required);
                outcome_fail(
                    o,
                    ESDK_ERR_CONTEXT_MISMATCH,
                    "(runner) the reproduced context disagrees with the stored one");
                return;
            }
        } else {
            rc = esdk_enc_ctx_set_str(merged, key, val);
            required[n++] = key;
        }
    }
    if (!rc) {
        rc = esdk_dec_materials_new(k->suite, merged, required, n, &m);
    }
    if (!rc) {
        rc = esdk_keyring_on_decrypt(kr, m, k->edks);
    }
    if (rc) {
        outcome_fail(o, rc, NULL);
    } else {
        outcome_take(o, m);
    }
    esdk_dec_materials_release(m);
    esdk_enc_ctx_release(merged);
    free(required);
}

static void run_cmm(esdk_cmm *cmm, const kcase *k, outcome *o)
{
    esdk_dec_request req = {
        .suite_id = k->suite,
        .policy = ESDK_COMMITMENT_REQUIRE_ENCRYPT_ALLOW_DECRYPT,
        .edks = k->edks,
        .context = k->ctx,
        .reproduced_context = k->reproduced_ctx,
    };
    esdk_dec_materials *m = NULL;
    int rc = esdk_cmm_decrypt_materials(cmm, &req, &m);
    if (rc) {
        outcome_fail(o, rc, NULL);
    } else {
        outcome_take(o, m);
    }
    esdk_dec_materials_release(m);
}

/* NULL if the outcome meets the expectation, else what was wrong. */
static char *judge(const kcase *k, const outcome *o)
{
    if (!k->positive) {
        return o->rc ? NULL : vu_xasprintf("got a data key (%zu bytes)", o->key.len);
    }
    if (o->rc) {
        return vu_xasprintf("got %s %s", esdk_error_name(o->rc), o->detail);
    }
    if (o->key.len != k->want_key_len || memcmp(o->key.data, k->want_key, k->want_key_len) != 0) {
        return vu_xasprintf("got a different data key (%zu bytes)", o->key.len);
    }
    if (k->want_required) {
        bool same = (size_t)cJSON_GetArraySize(k->want_required) == o->required_count;
        for (size_t i = 0; same && i < o->required_count; i++) {
            bool found = false;
            const cJSON *w;
            cJSON_ArrayForEach(w, k->want_required)
            {
                found = found || (cJSON_IsString(w) && strcmp(w->valuestring, o->required[i]) == 0);
            }
            same = found;
        }
        if (!same) {
            return vu_xasprintf(
                "got %zu required context keys, not those of requiredEncryptionContextKeys",
                o->required_count);
        }
    }
    return NULL;
}

/* ---- one case ---- */

static void
run_case(const decrypt_flags *f, const cJSON *keys, const char *id, const cJSON *t, ktally *tally)
{
    kcase k = {.id = id};
    kf_list list = {0};
    outcome o = {0};
    char *problem = read_case(t, &k);
    if (problem) {
        printf("SKIP %s: %s\n", id, problem);
        tally->skipped++;
        free(problem);
        problem = NULL;
        goto done;
    }
    kf_add(keys, vu_json_obj(t, "keyDescription"), KF_FOR_DECRYPT, &list);
    if (list.count == 0) {
        if (list.error) {
            problem = vu_xasprintf("got a manifest the runner cannot use: %s", list.error);
        } else {
            printf("SKIP %s: %s\n", id, list.unusable ? list.unusable : "no usable key");
            tally->skipped++;
        }
        goto done;
    }
    const kf_candidate *c = &list.items[0];
    esdk_cmm *default_cmm = NULL;
    int paths = c->build_rc ? 1 : c->keyring ? 2 : 1;
    for (int p = 0; p < paths && !problem; p++) {
        const char *path = c->keyring ? (p == 0 ? "keyring" : "default CMM") : "CMM";
        outcome_clear(&o);
        if (c->build_rc) {
            outcome_fail(&o, c->build_rc, c->build_detail);
        } else if (!c->keyring) {
            run_cmm(c->cmm, &k, &o);
        } else if (p == 0) {
            run_keyring(c->keyring, &k, &o);
        } else {
            int rc = esdk_cmm_default_new(c->keyring, &default_cmm);
            if (rc) {
                outcome_fail(&o, rc, NULL);
            } else {
                run_cmm(default_cmm, &k, &o);
            }
        }
        char *wrong = judge(&k, &o);
        if (wrong) {
            problem = vu_xasprintf("%s [%s, %s]", wrong, path, c->label);
            free(wrong);
        }
    }
    esdk_cmm_release(default_cmm);
    if (!problem) {
        tally->passed++;
        if (f->verbose && k.positive) {
            printf("PASS %s\n", id);
        } else if (f->verbose) {
            printf("PASS %s (%s)\n", id, esdk_error_name(o.rc));
        }
    }
done:
    if (problem) {
        printf("FAIL %s: expected %s, %s\n", id, k.positive ? "a data key" : "a failure", problem);
        tally->failed++;
    }
    free(problem);
    outcome_clear(&o);
    kf_list_free(&list);
    kcase_free(&k);
}

int cmd_keyring(const char *manifest_path, const decrypt_flags *flags)
{
    char err[1024] = "";
    cJSON *root = vu_load_json(manifest_path, err, sizeof(err));
    if (!root) {
        fprintf(stderr, "esdk-vectors: %s\n", err);
        return 2;
    }
    const cJSON *mf = vu_json_obj(root, "manifest");
    const char *type = vu_json_str(mf, "type");
    const cJSON *ver = cJSON_GetObjectItemCaseSensitive(mf, "version");
    const cJSON *tests = vu_json_obj(root, "tests");
    char *dir = vu_dirname(manifest_path);
    const cJSON *keys = NULL;
    cJSON *keys_root = NULL;
    int status = 2;
    if (!type || strcmp(type, "awses-mpl-decrypt") != 0 || !cJSON_IsNumber(ver) ||
        ver->valueint < 1 || ver->valueint > 4 || !tests) {
        fprintf(
            stderr,
            "esdk-vectors: %s is not an awses-mpl-decrypt manifest (1 to 4)\n",
            manifest_path);
    } else if (!(keys_root = vec_keys_manifest_load(
                     dir, vu_json_str(root, "keys"), &keys, NULL, NULL, err, sizeof(err)))) {
        fprintf(stderr, "esdk-vectors: %s\n", err);
    } else {
        ktally t = {0};
        const cJSON *test;
        cJSON_ArrayForEach(test, tests)
        {
            if (flags->filter && !strstr(test->string, flags->filter)) {
                continue;
            }
            run_case(flags, keys, test->string, test, &t);
            fflush(stdout);
        }
        printf("%zu passed, %zu failed", t.passed, t.failed);
        if (t.skipped) {
            printf(", %zu skipped", t.skipped);
        }
        printf("\n");
        status = t.failed || (flags->strict && t.skipped) ? 1 : 0;
    }
    cJSON_Delete(keys_root);
    cJSON_Delete(root);
    free(dir);
    return status;
}
