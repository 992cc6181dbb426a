/* The C side of the KMS interop test with the AWS Encryption SDK for JavaScript
 * (run-interop.sh), against kms-local:
 *   kms_interop decrypt WORK   decrypt every message of WORK/js/manifest.json (written by
 *                              js-kms-interop.js) with the keyring the manifest names
 *   kms_interop encrypt WORK   encrypt messages with our KMS keyrings under the keys of
 *                              WORK/keys.json into WORK/c/, with WORK/c/manifest.json saying
 *                              how the JavaScript SDK should decrypt each
 * Manifest entries: {"name", "message", "plaintext" (files in the same folder), "context"
 * (object), "keyring": {"type": "strict" | "mrk" | "discovery" | "mrk-discovery", "key",
 * "region"}}. Exit 0 when every case passed. */
#include <cjson/cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <aws-esdk-c/esdk.h>

#include "kms_test_support.h"

static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        return NULL;
    }
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap + 1);
    size_t got;
    while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            char *grown = realloc(buf, 2 * cap + 1);
            if (!grown) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = grown;
            cap *= 2;
        }
    }
    fclose(f);
    if (buf) {
        buf[n] = '\0';
        *len = n;
    }
    return buf;
}

static int write_all(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (!f) {
        return -1;
    }
    const int ok = fwrite(data, 1, len, f) == len;
    return fclose(f) == 0 && ok ? 0 : -1;
}

static cJSON *read_json(const char *path)
{
    size_t len;
    char *text = read_all(path, &len);
    cJSON *j = text ? cJSON_ParseWithLength(text, len) : NULL;
    free(text);
    if (!j) {
        fprintf(stderr, "cannot read JSON from %s\n", path);
    }
    return j;
}

static const char *str(const cJSON *obj, const char *name)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static esdk_kms_options *options(void)
{
    esdk_kms_options *o = kms_test_options();
    if (!o) {
        fprintf(stderr, "cannot make KMS options\n");
        exit(1);
    }
    return o;
}

/* The keyring a manifest entry names. */
static int make_keyring(const cJSON *spec, esdk_keyring **out)
{
    const char *type = str(spec, "type"), *key = str(spec, "key"), *region = str(spec, "region");
    esdk_kms_options *o = options();
    int rc = ESDK_ERR_BAD_ARGUMENT;
    if (type && strcmp(type, "strict") == 0 && key) {
        rc = esdk_kms_keyring_new(key, o, out);
    } else if (type && strcmp(type, "mrk") == 0 && key) {
        rc = esdk_kms_mrk_keyring_new(key, o, out);
    } else if (type && strcmp(type, "discovery") == 0) {
        rc = esdk_kms_discovery_keyring_new(o, out);
    } else if (type && strcmp(type, "mrk-discovery") == 0 && region) {
        rc = esdk_kms_mrk_discovery_keyring_new(region, o, out);
    }
    esdk_kms_options_release(o);
    return rc;
}

/* Every pair of expected is in the message's context. */
static int context_holds(const esdk_enc_ctx *got, const cJSON *expected)
{
    const cJSON *pair;
    cJSON_ArrayForEach(pair, expected)
    {
        const uint8_t *v;
        size_t v_len;
        if (esdk_enc_ctx_get(
                got, (const uint8_t *)pair->string, strlen(pair->string), &v, &v_len) != 0 ||
            v_len != strlen(pair->valuestring) || memcmp(v, pair->valuestring, v_len) != 0) {
            return 0;
        }
    }
    return 1;
}

static int decrypt_all(const char *work)
{
    char dir[1024], path[1200];
    snprintf(dir, sizeof dir, "%s/js", work);
    snprintf(path, sizeof path, "%s/manifest.json", dir);
    cJSON *manifest = read_json(path);
    if (!manifest) {
        return 1;
    }
    int failures = 0, cases = 0;
    const cJSON *c;
    cJSON_ArrayForEach(c, manifest)
    {
        const char *name = str(c, "name");
        size_t msg_len = 0, pt_len = 0;
        snprintf(path, sizeof path, "%s/%s", dir, str(c, "message"));
        char *msg = read_all(path, &msg_len);
        snprintf(path, sizeof path, "%s/%s", dir, str(c, "plaintext"));
        char *pt = read_all(path, &pt_len);
        esdk_keyring *kr = NULL;
        esdk_buf out = ESDK_BUF_INIT;
        esdk_enc_ctx *header_ctx = NULL;
        int rc = !msg || !pt ? ESDK_ERR_IO
                             : make_keyring(cJSON_GetObjectItemCaseSensitive(c, "keyring"), &kr);
        if (rc == 0) {
            rc = esdk_decrypt(
                NULL, NULL, kr, NULL, (const uint8_t *)msg, msg_len, &out, &header_ctx);
        }
        const int same = rc == 0 && out.len == pt_len && memcmp(out.data, pt, pt_len) == 0 &&
                         context_holds(header_ctx, cJSON_GetObjectItemCaseSensitive(c, "context"));
        cases++;
        if (!same) {
            failures++;
            printf(
                "FAIL js-to-c %s: %s %s\n",
                name,
                esdk_error_name(rc),
                rc ? esdk_last_error_detail() : "(plaintext or context differ)");
        } else {
            printf(
                "ok   js-to-c %s (%zu bytes, keyring %s)\n", name, pt_len, esdk_keyring_name(kr));
        }
        esdk_enc_ctx_release(header_ctx);
        esdk_buf_release(&out);
        esdk_keyring_release(kr);
        free(msg);
        free(pt);
    }
    cJSON_Delete(manifest);
    printf("js-to-c: %d of %d messages decrypted\n", cases - failures, cases);
    return failures || cases == 0 ? 1 : 0;
}

struct encrypt_case {
    const char *name;
    const char *encrypt_type; /* "strict", "mrk", "multi" */
    const char *encrypt_key;  /* keys.json member */
    const char *child_key;    /* for "multi" */
    uint16_t suite;
    size_t size;
    const char *decrypt_type; /* what the JavaScript SDK uses */
    const char *decrypt_key;  /* keys.json member, or NULL */
    const char *decrypt_region;
};

static const struct encrypt_case cases[] = {
    {"c-strict-default-suite", "strict", "srk", NULL, 0, 1000, "strict", "srk", NULL},
    {"c-strict-0478-discovery",
     "strict",
     "srk",
     NULL,
     ESDK_SUITE_AES_256_GCM_HKDF_SHA512_COMMIT_KEY,
     10000,
     "discovery",
     NULL,
     NULL},
    {"c-mrk-cross-region", "mrk", "mrk_e1", NULL, 0, 0, "mrk", "mrk_w2", NULL},
    {"c-multi-srk-mrk",
     "multi",
     "srk",
     "mrk_e1",
     ESDK_SUITE_AES_256_GCM_HKDF_SHA512_COMMIT_KEY,
     5000,
     "mrk-discovery",
     NULL,
     "us-west-2"},
};

static int encrypt_one(const struct encrypt_case *k, const cJSON *keys, const char *dir, cJSON *out)
{
    esdk_kms_options *o = options();
    esdk_keyring *kr = NULL;
    esdk_options *opts = NULL;
    esdk_enc_ctx *ctx = NULL;
    esdk_buf msg = ESDK_BUF_INIT;
    uint8_t *pt = malloc(k->size + 1);
    char path[1200];
    const char *key = str(keys, k->encrypt_key);
    int rc = pt && key ? 0 : ESDK_ERR_BAD_ARGUMENT;
    for (size_t i = 0; pt && i < k->size; i++) {
        pt[i] = (uint8_t)(i * 31 + 7);
    }
    if (rc == 0 && strcmp(k->encrypt_type, "strict") == 0) {
        rc = esdk_kms_keyring_new(key, o, &kr);
    } else if (rc == 0 && strcmp(k->encrypt_type, "mrk") == 0) {
        rc = esdk_kms_mrk_keyring_new(key, o, &kr);
    } else if (rc == 0) {
        const char *child = str(keys, k->child_key);
        rc = esdk_kms_multi_keyring_new(key, &child, 1, o, &kr);
    }
    if (rc == 0) {
        rc = esdk_options_new(&opts);
    }
    if (rc == 0 && k->suite) {
        rc = esdk_options_set_suite(opts, k->suite);
    }
    if (rc == 0) {
        rc = esdk_enc_ctx_new(&ctx);
    }
    if (rc == 0) {
        rc = esdk_enc_ctx_set_str(ctx, "case", k->name);
    }
    if (rc == 0) {
        rc = esdk_enc_ctx_set_str(ctx, "origin", "aws-esdk-c");
    }
    if (rc == 0) {
        rc = esdk_encrypt(opts, NULL, kr, ctx, pt, k->size, &msg);
    }
    if (rc == 0) {
        snprintf(path, sizeof path, "%s/%s.msg", dir, k->name);
        rc = write_all(path, msg.data, msg.len) ? ESDK_ERR_IO : 0;
    }
    if (rc == 0) {
        snprintf(path, sizeof path, "%s/%s.pt", dir, k->name);
        rc = write_all(path, pt, k->size) ? ESDK_ERR_IO : 0;
    }
    if (rc == 0) {
        char file[300];
        cJSON *e = cJSON_CreateObject();
        cJSON_AddStringToObject(e, "name", k->name);
        snprintf(file, sizeof file, "%s.msg", k->name);
        cJSON_AddStringToObject(e, "message", file);
        snprintf(file, sizeof file, "%s.pt", k->name);
        cJSON_AddStringToObject(e, "plaintext", file);
        cJSON *c = cJSON_AddObjectToObject(e, "context");
        cJSON_AddStringToObject(c, "case", k->name);
        cJSON_AddStringToObject(c, "origin", "aws-esdk-c");
        cJSON *spec = cJSON_AddObjectToObject(e, "keyring");
        cJSON_AddStringToObject(spec, "type", k->decrypt_type);
        if (k->decrypt_key) {
            cJSON_AddStringToObject(spec, "key", str(keys, k->decrypt_key));
        }
        if (k->decrypt_region) {
            cJSON_AddStringToObject(spec, "region", k->decrypt_region);
        }
        cJSON_AddItemToArray(out, e);
        printf(
            "ok   c encrypts %s (%zu bytes, keyring %s)\n",
            k->name,
            k->size,
            esdk_keyring_name(kr));
    } else {
        printf(
            "FAIL c encrypts %s: %s %s\n", k->name, esdk_error_name(rc), esdk_last_error_detail());
    }
    esdk_buf_release(&msg);
    esdk_enc_ctx_release(ctx);
    esdk_options_release(opts);
    esdk_keyring_release(kr);
    esdk_kms_options_release(o);
    free(pt);
    return rc;
}

static int encrypt_all(const char *work)
{
    char dir[1024], path[1200];
    snprintf(path, sizeof path, "%s/keys.json", work);
    cJSON *keys = read_json(path);
    snprintf(dir, sizeof dir, "%s/c", work);
    if (!keys || (mkdir(dir, 0700) != 0 && errno != EEXIST)) {
        cJSON_Delete(keys);
        return 1;
    }
    cJSON *manifest = cJSON_CreateArray();
    int failures = 0;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        failures += encrypt_one(&cases[i], keys, dir, manifest) != 0;
    }
    char *text = cJSON_Print(manifest);
    snprintf(path, sizeof path, "%s/manifest.json", dir);
    if (!text || write_all(path, text, strlen(text)) != 0) {
        failures++;
    }
    free(text);
    cJSON_Delete(manifest);
    cJSON_Delete(keys);
    return failures ? 1 : 0;
}

int main(int argc, char **argv)
{
    if (argc != 3 || (strcmp(argv[1], "decrypt") != 0 && strcmp(argv[1], "encrypt") != 0)) {
        fprintf(stderr, "usage: %s decrypt|encrypt WORK\n", argv[0]);
        return 2;
    }
    kms_endpoint(); /* exit 77 outside the driver */
    return strcmp(argv[1], "decrypt") == 0 ? decrypt_all(argv[2]) : encrypt_all(argv[2]);
}
