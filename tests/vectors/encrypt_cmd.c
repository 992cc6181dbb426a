/* esdk-vectors encrypt: read an awses-encrypt manifest (versions 1 to 3), encrypt each test
 * with the library and write an awses-decrypt manifest (version 2) for the results:
 *   OUTDIR/manifest.json, OUTDIR/keys.json, OUTDIR/plaintexts/<name>, OUTDIR/ciphertexts/<id>.
 * Plaintexts are generated deterministically from their names. */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <aws-esdk-c/esdk.h>

#include "commands.h"
#include "keyring_factory.h"
#include "manifest.h"
#include "util.h"

typedef struct plaintext {
    const char *name;
    uint8_t *data;
    size_t len;
} plaintext;

/* splitmix64 seeded by the name: the same name always gives the same bytes. */
static void generate(plaintext *p, size_t len)
{
    uint64_t state = vu_fnv1a(p->name);
    p->data = vu_xmalloc(len);
    p->len = len;
    for (size_t i = 0; i < len; i += 8) {
        uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        z ^= z >> 31;
        for (size_t j = 0; j < 8 && i + j < len; j++) {
            p->data[i + j] = (uint8_t)(z >> (8 * j));
        }
    }
}

/* A test id becomes a file name: refuse anything that could leave the folder. */
static bool safe_name(const char *s)
{
    return s && *s && strcmp(s, ".") != 0 && strcmp(s, "..") != 0 && !strchr(s, '/') &&
           !strchr(s, '\\');
}

static int write_or_complain(
    const char *dir, const char *sub, const char *name, const uint8_t *data, size_t len)
{
    char *path = vu_xasprintf("%s/%s/%s", dir, sub, name);
    int rc = vu_write_file(path, data, len);
    if (rc) {
        fprintf(stderr, "esdk-vectors: cannot write %s: %s\n", path, strerror(errno));
    }
    free(path);
    return rc;
}

typedef struct enc_run {
    const char *out_dir;
    const cJSON *keys;
    plaintext *plaintexts;
    size_t plaintext_count;
    cJSON *out_tests;
    size_t done, failed, skipped;
} enc_run;

static const plaintext *find_plaintext(const enc_run *r, const char *name)
{
    for (size_t i = 0; name && i < r->plaintext_count; i++) {
        if (strcmp(r->plaintexts[i].name, name) == 0) {
            return &r->plaintexts[i];
        }
    }
    return NULL;
}

static int encrypt_options(uint16_t suite, uint32_t frame, esdk_options **out)
{
    esdk_options *opts;
    int rc = esdk_options_new(&opts);
    if (rc) {
        return rc;
    }
    esdk_commitment_policy policy = esdk_suite_is_committing(suite)
                                        ? ESDK_COMMITMENT_REQUIRE_ENCRYPT_REQUIRE_DECRYPT
                                        : ESDK_COMMITMENT_FORBID_ENCRYPT_ALLOW_DECRYPT;
    rc = esdk_options_set_commitment_policy(opts, policy);
    if (!rc) {
        rc = esdk_options_set_suite(opts, suite);
    }
    if (!rc) {
        rc = esdk_options_set_frame_length(opts, frame);
    }
    if (rc) {
        esdk_options_release(opts);
        return rc;
    }
    *out = opts;
    return 0;
}

/* Encrypt one test; on success add it to the output manifest. */
static void encrypt_test(enc_run *r, const cJSON *test)
{
    const char *id = test->string;
    const plaintext *pt = find_plaintext(r, vu_json_str(test, "plaintext"));
    const char *alg = vu_json_str(test, "algorithm");
    const cJSON *frame_item = cJSON_GetObjectItemCaseSensitive(test, "frame-size");
    const cJSON *ec_json = cJSON_GetObjectItemCaseSensitive(test, "encryption-context");
    const cJSON *mks = cJSON_GetObjectItemCaseSensitive(test, "master-keys");
    const char *cmm = vu_json_str(test, "cmm");
    uint16_t suite = 0;
    uint32_t frame = ESDK_DEFAULT_FRAME_LENGTH;
    esdk_keyring *keyring = NULL;
    esdk_options *opts = NULL;
    esdk_enc_ctx *ctx = NULL;
    esdk_buf ct = ESDK_BUF_INIT;
    char *why = NULL;
    int rc;

    if (!safe_name(id)) {
        why = vu_xstrdup("the test id cannot be a file name");
    } else if (!pt) {
        why = vu_xstrdup("its plaintext is not in \"plaintexts\"");
    } else if (!alg || esdk_suite_from_name(alg, &suite) != 0) {
        why = vu_xasprintf("algorithm \"%s\" is not a suite", alg ? alg : "(none)");
    } else if (
        frame_item && (!cJSON_IsNumber(frame_item) || frame_item->valuedouble < 0 ||
                       frame_item->valuedouble > 4294967295.0)) {
        why = vu_xstrdup("frame-size is not a 32-bit length");
    } else if (!cJSON_IsArray(mks) || cJSON_GetArraySize(mks) == 0) {
        why = vu_xstrdup("no master-keys");
    } else if (ec_json && vu_ctx_from_json(ec_json, &ctx) != 0) {
        why = vu_xstrdup("encryption-context is not an object of strings");
    }
    if (why) {
        printf("FAIL %s: %s\n", id ? id : "(no id)", why);
        r->failed++;
        goto done;
    }
    if (cmm && strcmp(cmm, "Default") != 0) {
        printf("SKIP %s: cmm \"%s\" is not supported by the runner\n", id, cmm);
        r->skipped++;
        goto done;
    }
    if (frame_item) {
        frame = (uint32_t)frame_item->valuedouble;
    }
    rc = kf_build_encrypt(r->keys, cJSON_GetArrayItem(mks, 0), &keyring, &why);
    if (rc) {
        printf("%s %s: %s\n", rc > 0 ? "SKIP" : "FAIL", id, why);
        if (rc > 0) {
            r->skipped++;
        } else {
            r->failed++;
        }
        goto done;
    }
    rc = encrypt_options(suite, frame, &opts);
    if (!rc) {
        rc = esdk_encrypt(opts, NULL, keyring, ctx, pt->data, pt->len, &ct);
    }
    if (rc) {
        printf(
            "FAIL %s: expected a ciphertext, got %s %s\n",
            id,
            esdk_error_name(rc),
            esdk_last_error_detail());
        r->failed++;
        goto done;
    }
    if (write_or_complain(r->out_dir, "ciphertexts", id, ct.data, ct.len)) {
        r->failed++;
        goto done;
    }
    cJSON *out = cJSON_CreateObject();
    const char *desc = vu_json_str(test, "description");
    char *gen = vu_xasprintf(
        "aws-esdk-c %s: suite %s, frame %u, plaintext %s (%zu bytes)",
        esdk_version(),
        alg,
        frame,
        pt->name,
        pt->len);
    cJSON_AddStringToObject(out, "description", desc ? desc : gen);
    free(gen);
    char *uri = vu_xasprintf("file://ciphertexts/%s", id);
    cJSON_AddStringToObject(out, "ciphertext", uri);
    free(uri);
    cJSON_AddItemToObject(out, "master-keys", cJSON_Duplicate(mks, true));
    cJSON *result = cJSON_AddObjectToObject(out, "result");
    cJSON *output = cJSON_AddObjectToObject(result, "output");
    uri = vu_xasprintf("file://plaintexts/%s", pt->name);
    cJSON_AddStringToObject(output, "plaintext", uri);
    free(uri);
    cJSON_AddItemToObject(r->out_tests, id, out);
    r->done++;

done:
    free(why);
    esdk_buf_release(&ct);
    esdk_enc_ctx_release(ctx);
    esdk_options_release(opts);
    esdk_keyring_release(keyring);
}

static int check_encrypt_manifest(const cJSON *root, const char *path)
{
    const cJSON *mf = vu_json_obj(root, "manifest");
    const char *type = vu_json_str(mf, "type");
    const cJSON *ver = cJSON_GetObjectItemCaseSensitive(mf, "version");
    int version = cJSON_IsNumber(ver) ? ver->valueint : -1;
    if (!type || strcmp(type, "awses-encrypt") != 0 || version < 1 || version > 3) {
        fprintf(
            stderr,
            "esdk-vectors: %s: manifest type %s version %d is not awses-encrypt 1 to 3\n",
            path,
            type ? type : "?",
            version);
        return -1;
    }
    if (!vu_json_obj(root, "plaintexts") || !vu_json_obj(root, "tests")) {
        fprintf(stderr, "esdk-vectors: %s: needs \"plaintexts\" and \"tests\" objects\n", path);
        return -1;
    }
    return 0;
}

static int make_out_dirs(const char *out_dir)
{
    const char *subs[] = {"", "/plaintexts", "/ciphertexts"};
    for (size_t i = 0; i < 3; i++) {
        char *p = vu_xasprintf("%s%s", out_dir, subs[i]);
        int rc = vu_mkdir_p(p);
        if (rc) {
            fprintf(stderr, "esdk-vectors: cannot create %s: %s\n", p, strerror(errno));
        }
        free(p);
        if (rc) {
            return -1;
        }
    }
    return 0;
}

static cJSON *new_decrypt_manifest(cJSON **tests)
{
    cJSON *root = cJSON_CreateObject();
    cJSON *mf = cJSON_AddObjectToObject(root, "manifest");
    cJSON_AddStringToObject(mf, "type", "awses-decrypt");
    cJSON_AddNumberToObject(mf, "version", 2);
    cJSON *client = cJSON_AddObjectToObject(root, "client");
    cJSON_AddStringToObject(client, "name", "aws-esdk-c");
    cJSON_AddStringToObject(client, "version", esdk_version());
    cJSON_AddStringToObject(root, "keys", "file://keys.json");
    *tests = cJSON_AddObjectToObject(root, "tests");
    return root;
}

int cmd_encrypt(const char *manifest_path, const char *out_dir)
{
    char err[1024] = "";
    int status = 2;
    uint8_t *keys_raw = NULL;
    size_t keys_len = 0;
    cJSON *keys_root = NULL, *out_root = NULL;
    char *dir = vu_dirname(manifest_path);
    enc_run r = {.out_dir = out_dir};

    cJSON *root = vu_load_json(manifest_path, err, sizeof(err));
    if (!root) {
        fprintf(stderr, "esdk-vectors: %s\n", err);
        goto out;
    }
    if (check_encrypt_manifest(root, manifest_path)) {
        goto out;
    }
    keys_root = vec_keys_manifest_load(
        dir, vu_json_str(root, "keys"), &r.keys, &keys_raw, &keys_len, err, sizeof(err));
    if (!keys_root) {
        fprintf(stderr, "esdk-vectors: %s\n", err);
        goto out;
    }
    if (make_out_dirs(out_dir) ||
        write_or_complain(out_dir, ".", "keys.json", keys_raw, keys_len)) {
        goto out;
    }

    const cJSON *pts = vu_json_obj(root, "plaintexts");
    r.plaintexts = vu_xmalloc(sizeof(plaintext) * (size_t)(cJSON_GetArraySize(pts) + 1));
    const cJSON *p;
    cJSON_ArrayForEach(p, pts)
    {
        if (!safe_name(p->string) || !cJSON_IsNumber(p) || p->valuedouble < 0 ||
            p->valuedouble > (double)(1u << 30)) {
            fprintf(
                stderr, "esdk-vectors: plaintext \"%s\" needs a file name and a size\n", p->string);
            goto out;
        }
        plaintext *pt = &r.plaintexts[r.plaintext_count++];
        pt->name = p->string;
        generate(pt, (size_t)p->valuedouble);
        if (write_or_complain(out_dir, "plaintexts", pt->name, pt->data, pt->len)) {
            goto out;
        }
    }

    out_root = new_decrypt_manifest(&r.out_tests);
    const cJSON *test;
    cJSON_ArrayForEach(test, vu_json_obj(root, "tests"))
    {
        encrypt_test(&r, test);
        fflush(stdout);
    }
    char *text = cJSON_Print(out_root);
    if (!text ||
        write_or_complain(out_dir, ".", "manifest.json", (const uint8_t *)text, strlen(text))) {
        free(text);
        goto out;
    }
    free(text);
    printf("%zu encrypted, %zu failed", r.done, r.failed);
    if (r.skipped) {
        printf(", %zu skipped", r.skipped);
    }
    printf("\n");
    status = r.failed ? 1 : 0;

out:
    for (size_t i = 0; i < r.plaintext_count; i++) {
        free(r.plaintexts[i].data);
    }
    free(r.plaintexts);
    cJSON_Delete(out_root);
    cJSON_Delete(keys_root);
    cJSON_Delete(root);
    free(keys_raw);
    free(dir);
    return status;
}
