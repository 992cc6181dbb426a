/* Reading decrypt manifests (see manifest.h). */
#define _POSIX_C_SOURCE 200809L

#include "manifest.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* ---- helpers ---- */

static vec_case *new_case(vec_manifest *m, size_t *cap, const char *id)
{
    if (m->count == *cap) {
        *cap = *cap ? *cap * 2 : 64;
        m->cases = vu_xrealloc(m->cases, *cap * sizeof(*m->cases));
    }
    vec_case *c = &m->cases[m->count++];
    memset(c, 0, sizeof(*c));
    c->id = vu_xstrdup(id ? id : "(no id)");
    return c;
}

static void set_skip(vec_case *c, char *reason)
{
    if (c->skip_reason) {
        free(reason); /* keep the first reason */
        return;
    }
    c->skip_reason = reason;
}

/* A file:// URI as a path; a case whose URI cannot be read is skipped with a reason. */
static void set_uri(vec_manifest *m, vec_case *c, vec_data *d, const char *uri, const char *what)
{
    if (!uri) {
        set_skip(c, vu_xasprintf("no %s given", what));
        return;
    }
    d->path = vu_resolve_uri(m->dir, uri);
    if (!d->path) {
        set_skip(c, vu_xasprintf("%s URI \"%s\" is not a file:// URI", what, uri));
    }
}

static void set_base64(vec_case *c, vec_data *d, const char *b64, const char *what)
{
    if (!b64) {
        set_skip(c, vu_xasprintf("no %s given", what));
        return;
    }
    if (vu_base64_decode(b64, &d->bytes, &d->len) != 0) {
        set_skip(c, vu_xasprintf("%s is not valid base64", what));
    }
}

/* A JSON array holding references to the given items (kept alive by m->owned). */
static const cJSON *ref_array(vec_manifest *m, cJSON *item)
{
    cJSON *arr = cJSON_CreateArray();
    if (!arr || !cJSON_AddItemReferenceToArray(arr, item)) {
        fprintf(stderr, "esdk-vectors: out of memory\n");
        exit(2);
    }
    cJSON_AddItemToArray(m->owned, arr);
    return arr;
}

/* Optional EDK limit under the names the official frameworks use. */
static void read_max_edks(vec_case *c, const cJSON *obj)
{
    static const char *const names[] = {
        "max-encrypted-data-keys", "maxEncryptedDataKeys", "max_encrypted_data_keys", "max_edks"};
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, names[i]);
        if (cJSON_IsNumber(v)) {
            if (v->valuedouble < 1) {
                set_skip(
                    c, vu_xasprintf("%s %g is not a positive limit", names[i], v->valuedouble));
            } else {
                c->max_edks = (size_t)v->valuedouble;
            }
        }
    }
}

static void read_method(vec_case *c, const cJSON *obj)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, "decryption-method");
    if (!v) {
        return;
    }
    const char *s = cJSON_IsString(v) ? v->valuestring : "";
    if (strcmp(s, "streaming-unsigned-only") == 0) {
        c->method = VEC_METHOD_STREAMING_UNSIGNED;
    } else if (strcmp(s, "one-shot") == 0 || strcmp(s, "oneshot") == 0) {
        c->method = VEC_METHOD_ONE_SHOT;
    } else {
        set_skip(c, vu_xasprintf("decryption-method \"%s\" is not supported by the runner", s));
    }
}

static void read_reproduced(vec_case *c, const cJSON *obj, const char *name)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);
    if (!v || cJSON_IsNull(v)) {
        return;
    }
    if (!cJSON_IsObject(v)) {
        set_skip(c, vu_xasprintf("%s is not an object", name));
        return;
    }
    c->reproduced_ec = v;
}

/* ---- keys manifest ---- */

cJSON *vec_keys_manifest_load(
    const char *manifest_dir,
    const char *uri,
    const cJSON **keys,
    uint8_t **raw,
    size_t *raw_len,
    char *err,
    size_t err_len)
{
    char *path = vu_resolve_uri(manifest_dir, uri);
    if (!path) {
        snprintf(err, err_len, "keys URI \"%s\" is not a file:// URI", uri ? uri : "(none)");
        return NULL;
    }
    uint8_t *data;
    size_t len;
    if (vu_read_file(path, &data, &len) != 0) {
        snprintf(err, err_len, "cannot read keys manifest %s: %s", path, strerror(errno));
        free(path);
        return NULL;
    }
    cJSON *root = cJSON_ParseWithLength((const char *)data, len);
    if (!root) {
        snprintf(err, err_len, "keys manifest %s is not valid JSON", path);
    } else {
        const cJSON *mf = vu_json_obj(root, "manifest");
        const char *type = vu_json_str(mf, "type");
        const cJSON *ver = cJSON_GetObjectItemCaseSensitive(mf, "version");
        const cJSON *k = vu_json_obj(root, "keys");
        if (!type || strcmp(type, "keys") != 0 || !cJSON_IsNumber(ver) || ver->valueint < 1 ||
            ver->valueint > 3 || !k) {
            snprintf(
                err,
                err_len,
                "%s is not a keys manifest of version 1 to 3 (type %s, version %d)",
                path,
                type ? type : "?",
                cJSON_IsNumber(ver) ? ver->valueint : -1);
            cJSON_Delete(root);
            root = NULL;
        } else {
            *keys = k;
        }
    }
    if (root && raw) {
        *raw = data;
        *raw_len = len;
    } else {
        free(data);
    }
    free(path);
    return root;
}

/* ---- awses-decrypt ---- */

static void read_result_v2(vec_manifest *m, vec_case *c, const cJSON *test)
{
    const cJSON *result = vu_json_obj(test, "result");
    if (!result) {
        /* tolerate a v1-style plaintext in a later version */
        if (vu_json_str(test, "plaintext")) {
            c->expect = VEC_EXPECT_PLAINTEXT;
            set_uri(m, c, &c->plaintext, vu_json_str(test, "plaintext"), "plaintext");
        } else {
            set_skip(c, vu_xstrdup("no result given"));
        }
        return;
    }
    const cJSON *output = vu_json_obj(result, "output");
    const cJSON *error = cJSON_GetObjectItemCaseSensitive(result, "error");
    if (output) {
        c->expect = VEC_EXPECT_PLAINTEXT;
        set_uri(m, c, &c->plaintext, vu_json_str(output, "plaintext"), "plaintext");
    } else if (error) {
        c->expect = VEC_EXPECT_ERROR;
        const char *desc = vu_json_str(error, "error-description");
        c->error_description = vu_xstrdup(desc ? desc : "an error");
    } else {
        set_skip(c, vu_xstrdup("result has neither output nor error"));
    }
}

static void read_test_v1_to_v4(vec_manifest *m, vec_case *c, const cJSON *test, int version)
{
    set_uri(m, c, &c->ciphertext, vu_json_str(test, "ciphertext"), "ciphertext");
    if (version == 1) {
        c->expect = VEC_EXPECT_PLAINTEXT;
        set_uri(m, c, &c->plaintext, vu_json_str(test, "plaintext"), "plaintext");
    } else {
        read_result_v2(m, c, test);
    }
    const cJSON *mks = cJSON_GetObjectItemCaseSensitive(test, "master-keys");
    if (cJSON_IsArray(mks) && cJSON_GetArraySize(mks) > 0) {
        c->key_descs = mks;
    } else {
        set_skip(c, vu_xstrdup("no master-keys given"));
    }
    read_max_edks(c, test);
    if (version >= 3) {
        read_method(c, test);
    }
    if (version >= 4) {
        read_reproduced(c, test, "encryption-context");
        const char *cmm = vu_json_str(test, "cmm");
        if (!cmm || strcmp(cmm, "Default") == 0) {
            c->cmm = VEC_CMM_DEFAULT;
        } else if (strcmp(cmm, "RequiredEncryptionContext") == 0) {
            c->cmm = VEC_CMM_REQUIRED_EC;
        } else {
            set_skip(c, vu_xasprintf("cmm \"%s\" is not known to the runner", cmm));
        }
    }
}

static void read_test_v5(vec_manifest *m, vec_case *c, const cJSON *test)
{
    cJSON *sc = vu_json_obj(test, "decryption-scenario");
    if (!sc) {
        set_skip(c, vu_xstrdup("no decryption-scenario"));
        return;
    }
    const char *type = vu_json_str(sc, "type");
    set_uri(m, c, &c->ciphertext, vu_json_str(sc, "ciphertext"), "ciphertext");
    if (type && strcmp(type, "positive-esdk") == 0) {
        const char *result = vu_json_str(sc, "result");
        if (!result) {
            result = vu_json_str(sc, "plaintext"); /* older writers */
        }
        c->expect = VEC_EXPECT_PLAINTEXT;
        set_uri(m, c, &c->plaintext, result, "result plaintext");
    } else if (type && strstr(type, "negative") && strstr(type, "esdk")) {
        c->expect = VEC_EXPECT_ERROR;
        const char *desc = vu_json_str(sc, "decryptErrorDescription");
        if (!desc) {
            desc = vu_json_str(sc, "errorDescription");
        }
        c->error_description = vu_xstrdup(desc ? desc : "an error");
    } else {
        set_skip(c, vu_xasprintf("scenario type \"%s\" is not an ESDK decrypt", type ? type : "?"));
    }
    cJSON *desc = vu_json_obj(sc, "decryptKeyDescription");
    if (desc) {
        c->key_descs = ref_array(m, desc);
    } else {
        set_skip(c, vu_xstrdup("no decryptKeyDescription"));
    }
    read_reproduced(c, sc, "reproduced-encryption-context");
    read_method(c, sc);
    read_max_edks(c, sc);
}

static int read_awses_decrypt(vec_manifest *m, int version, char *err, size_t err_len)
{
    const char *keys_uri = vu_json_str(m->root, "keys");
    m->keys_root = vec_keys_manifest_load(m->dir, keys_uri, &m->keys, NULL, NULL, err, err_len);
    if (!m->keys_root) {
        return -1;
    }
    const cJSON *tests = vu_json_obj(m->root, "tests");
    if (!tests) {
        snprintf(err, err_len, "%s has no \"tests\" object", m->path);
        return -1;
    }
    size_t cap = 0;
    const cJSON *test;
    cJSON_ArrayForEach(test, tests)
    {
        vec_case *c = new_case(m, &cap, test->string);
        if (!cJSON_IsObject(test)) {
            set_skip(c, vu_xstrdup("test is not an object"));
        } else if (version == 5) {
            read_test_v5(m, c, test);
        } else {
            read_test_v1_to_v4(m, c, test, version);
        }
    }
    return 0;
}

/* ---- kat-decrypt-oracle ---- */

static int read_oracle(vec_manifest *m, const cJSON *tests)
{
    size_t cap = 0;
    const cJSON *t;
    cJSON_ArrayForEach(t, tests)
    {
        vec_case *c = new_case(m, &cap, vu_json_str(t, "id"));
        const char *kt = vu_json_str(t, "key-type");
        if (kt && (strcmp(kt, "null") == 0 || strcmp(kt, "zero") == 0)) {
            c->fixed_key = VEC_FIXED_ZERO;
        } else if (kt && strcmp(kt, "test_counting") == 0) {
            c->fixed_key = VEC_FIXED_COUNTING;
        } else {
            set_skip(c, vu_xasprintf("key-type \"%s\" is not a local test key", kt ? kt : "?"));
        }
        set_base64(c, &c->ciphertext, vu_json_str(t, "ciphertext"), "ciphertext");
        c->expect = VEC_EXPECT_PLAINTEXT;
        set_base64(c, &c->plaintext, vu_json_str(t, "plaintext"), "plaintext");
    }
    return 0;
}

/* ---- kat-js-fixtures ---- */

/* "aws-kms-hierarchy with static branch key 'NAME' ..." -> {"type":"aws-kms-hierarchy","key":NAME}
 */
static const cJSON *js_hierarchy_desc(vec_manifest *m, const char *keyring)
{
    const char *q1 = strchr(keyring, '\'');
    const char *q2 = q1 ? strchr(q1 + 1, '\'') : NULL;
    if (!q2) {
        return NULL;
    }
    char *name = vu_xmalloc((size_t)(q2 - q1));
    memcpy(name, q1 + 1, (size_t)(q2 - q1 - 1));
    name[q2 - q1 - 1] = 0;
    cJSON *desc = cJSON_CreateObject();
    cJSON_AddStringToObject(desc, "type", "aws-kms-hierarchy");
    cJSON_AddStringToObject(desc, "key", name);
    free(name);
    cJSON *arr = cJSON_CreateArray();
    cJSON_AddItemToArray(arr, desc);
    cJSON_AddItemToArray(m->owned, arr);
    return arr;
}

/* "N bytes, byte i = i & 0xff" -> the plaintext; anything else -> not comparable. */
static bool js_described_plaintext(const char *text, vec_data *d)
{
    unsigned long n;
    int used = 0;
    if (sscanf(text, "%lu bytes, byte i = i & 0xff%n", &n, &used) != 1 || used == 0 ||
        n > (1ul << 30)) {
        return false;
    }
    d->bytes = vu_xmalloc(n);
    d->len = n;
    for (unsigned long i = 0; i < n; i++) {
        d->bytes[i] = (uint8_t)(i & 0xff);
    }
    return true;
}

static void read_js_options(vec_case *c, const cJSON *opts)
{
    const cJSON *o;
    cJSON_ArrayForEach(o, opts)
    {
        if (strcmp(o->string, "max_edks") == 0 && cJSON_IsNumber(o) && o->valuedouble >= 1) {
            c->max_edks = (size_t)o->valuedouble;
        } else if (
            strcmp(o->string, "max_body_size") == 0 && cJSON_IsNumber(o) && o->valuedouble >= 0) {
            c->has_max_body = true;
            c->max_body = (uint64_t)o->valuedouble;
        } else {
            set_skip(c, vu_xasprintf("option \"%s\" has no equivalent in esdk_options", o->string));
        }
    }
}

static int read_js(vec_manifest *m, const cJSON *tests, char *err, size_t err_len)
{
    /* the folder may hold a keys manifest for the hierarchy cases */
    char *keys_path = vu_path_join(m->dir, "keys.json");
    if (vu_is_file(keys_path)) {
        m->keys_root =
            vec_keys_manifest_load(m->dir, "file://keys.json", &m->keys, NULL, NULL, err, err_len);
        if (!m->keys_root) {
            free(keys_path);
            return -1;
        }
    }
    free(keys_path);
    size_t cap = 0;
    const cJSON *t;
    cJSON_ArrayForEach(t, tests)
    {
        vec_case *c = new_case(m, &cap, vu_json_str(t, "id"));
        set_base64(c, &c->ciphertext, vu_json_str(t, "ciphertext"), "ciphertext");
        const char *kr = vu_json_str(t, "keyring");
        const cJSON *hierarchy = NULL;
        if (kr && strcmp(kr, "zero-data-key") == 0) {
            c->fixed_key = VEC_FIXED_ZERO;
        } else if (
            kr && strncmp(kr, "aws-kms-hierarchy", 17) == 0 &&
            (hierarchy = js_hierarchy_desc(m, kr)) != NULL) {
            c->key_descs = hierarchy;
        } else {
            set_skip(c, vu_xasprintf("keyring \"%s\" is not known to the runner", kr ? kr : "?"));
        }
        read_js_options(c, vu_json_obj(t, "options"));
        const cJSON *result = vu_json_obj(t, "result");
        const cJSON *output = vu_json_obj(result, "output");
        const cJSON *error = vu_json_obj(result, "error");
        if (output) {
            const char *b64 = vu_json_str(output, "plaintext-base64");
            const char *text = vu_json_str(output, "plaintext");
            if (b64) {
                c->expect = VEC_EXPECT_PLAINTEXT;
                set_base64(c, &c->plaintext, b64, "plaintext");
            } else if (text && js_described_plaintext(text, &c->plaintext)) {
                c->expect = VEC_EXPECT_PLAINTEXT;
            } else {
                c->expect = VEC_EXPECT_SUCCESS;
            }
        } else if (error) {
            c->expect = VEC_EXPECT_ERROR;
            const char *desc = vu_json_str(error, "error-description");
            c->error_description = vu_xstrdup(desc ? desc : "an error");
        } else {
            set_skip(c, vu_xstrdup("result has neither output nor error"));
        }
        c->expected_header_ec = vu_json_obj(t, "expected-encryption-context");
    }
    return 0;
}

/* ---- entry points ---- */

int vec_manifest_load(const char *path, vec_manifest *m, char *err, size_t err_len)
{
    memset(m, 0, sizeof(*m));
    m->path = vu_xstrdup(path);
    m->dir = vu_dirname(path);
    m->owned = cJSON_CreateArray();
    m->root = vu_load_json(path, err, err_len);
    if (!m->root || !m->owned) {
        return -1;
    }
    const cJSON *mf = vu_json_obj(m->root, "manifest");
    const cJSON *tests = cJSON_GetObjectItemCaseSensitive(m->root, "tests");
    if (mf) {
        const char *type = vu_json_str(mf, "type");
        const cJSON *ver = cJSON_GetObjectItemCaseSensitive(mf, "version");
        int version = cJSON_IsNumber(ver) ? ver->valueint : -1;
        if (!type || strcmp(type, "awses-decrypt") != 0 || version < 1 || version > 5) {
            snprintf(
                err,
                err_len,
                "%s: manifest type %s version %d is not awses-decrypt 1 to 5",
                path,
                type ? type : "?",
                version);
            return -1;
        }
        m->format = vu_xasprintf("awses-decrypt v%d", version);
        return read_awses_decrypt(m, version, err, err_len);
    }
    if (cJSON_IsArray(tests)) {
        const cJSON *first = cJSON_GetArrayItem(tests, 0);
        if (first && cJSON_GetObjectItemCaseSensitive(first, "key-type")) {
            m->format = vu_xstrdup("kat-decrypt-oracle");
            return read_oracle(m, tests);
        }
        if (first && cJSON_GetObjectItemCaseSensitive(first, "keyring")) {
            m->format = vu_xstrdup("kat-js-fixtures");
            return read_js(m, tests, err, err_len);
        }
    }
    snprintf(err, err_len, "%s: not a manifest format the runner knows", path);
    return -1;
}

static void data_free(vec_data *d)
{
    free(d->path);
    free(d->bytes);
}

void vec_manifest_free(vec_manifest *m)
{
    for (size_t i = 0; i < m->count; i++) {
        vec_case *c = &m->cases[i];
        free(c->id);
        data_free(&c->ciphertext);
        data_free(&c->plaintext);
        free(c->error_description);
        free(c->skip_reason);
    }
    free(m->cases);
    cJSON_Delete(m->owned);
    cJSON_Delete(m->keys_root);
    cJSON_Delete(m->root);
    free(m->format);
    free(m->dir);
    free(m->path);
    memset(m, 0, sizeof(*m));
}

int vec_data_get(const vec_data *d, const uint8_t **bytes, size_t *len, uint8_t **owned)
{
    *owned = NULL;
    if (!d->path) {
        *bytes = d->bytes ? d->bytes : (const uint8_t *)"";
        *len = d->len;
        return 0;
    }
    if (vu_read_file(d->path, owned, len) != 0) {
        return -1;
    }
    *bytes = *owned;
    return 0;
}
