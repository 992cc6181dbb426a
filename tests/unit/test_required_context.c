/* The required-encryption-context CMM: required pairs are authenticated but not stored;
 * decrypt needs them reproduced, with the right values; refusals on both sides, including
 * an underlying CMM that drops them. */
#include <cjson/cJSON.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "support/rsa_test_keys.h"
#include "support/test_support.h"

static const char *const required[] = {"tenant", "purpose"};
static const uint8_t plaintext[] = "required context plaintext";

static esdk_enc_ctx *ctx_of(const char *const *kv, size_t pairs)
{
    esdk_enc_ctx *c;
    assert_int_equal(esdk_enc_ctx_new(&c), 0);
    for (size_t i = 0; i < pairs; i++) {
        assert_int_equal(esdk_enc_ctx_set_str(c, kv[2 * i], kv[2 * i + 1]), 0);
    }
    return c;
}

static esdk_enc_ctx *full_context(void)
{
    static const char *const kv[] = {"tenant", "blue", "purpose", "tests", "stored", "yes"};
    return ctx_of(kv, 3);
}

static esdk_keyring *rsa_keyring(void)
{
    esdk_keyring *k = NULL;
    assert_int_equal(
        esdk_keyring_raw_rsa_new(
            "rc",
            "rsa",
            ESDK_RSA_OAEP_SHA256_MGF1,
            (const uint8_t *)test_rsa_2048_a_spki,
            strlen(test_rsa_2048_a_spki),
            (const uint8_t *)test_rsa_2048_a_pkcs8,
            strlen(test_rsa_2048_a_pkcs8),
            &k),
        0);
    return k;
}

static esdk_cmm *required_cmm(esdk_keyring *kr)
{
    esdk_cmm *cmm = NULL;
    assert_int_equal(esdk_cmm_required_context_new_with_keyring(kr, required, 2, &cmm), 0);
    return cmm;
}

static void encrypt_required(esdk_cmm *cmm, esdk_buf *ct)
{
    esdk_enc_ctx *c = full_context();
    int rc = esdk_encrypt(NULL, cmm, NULL, c, plaintext, sizeof plaintext, ct);
    if (rc) {
        print_error("%s\n", esdk_last_error_detail());
    }
    assert_int_equal(rc, 0);
    esdk_enc_ctx_release(c);
}

static int decrypt(
    esdk_cmm *cmm,
    esdk_keyring *kr,
    const esdk_enc_ctx *reproduced,
    const esdk_buf *ct,
    esdk_enc_ctx **header)
{
    esdk_buf out = ESDK_BUF_INIT;
    int rc = esdk_decrypt(NULL, cmm, kr, reproduced, ct->data, ct->len, &out, header);
    if (rc == 0) {
        assert_int_equal(out.len, sizeof plaintext);
        assert_memory_equal(out.data, plaintext, sizeof plaintext);
    } else {
        assert_int_equal(out.len, 0);
    }
    esdk_buf_release(&out);
    return rc;
}

static bool has(const esdk_enc_ctx *c, const char *key)
{
    const uint8_t *v;
    size_t n;
    return esdk_enc_ctx_get(c, (const uint8_t *)key, strlen(key), &v, &n) == 0;
}

/* Encrypt stores only the unrequired pair; decrypt with the reproduced pairs (through the
 * required-context CMM or a plain keyring) succeeds, and the header still lacks them. */
/* spec: cmm-required-1 */
static void test_required_pairs_not_stored(void **state)
{
    (void)state;
    esdk_keyring *kr = test_raw_aes_keyring(3);
    esdk_cmm *cmm = required_cmm(kr);
    esdk_buf ct = ESDK_BUF_INIT;
    encrypt_required(cmm, &ct);
    /* the values are nowhere in the message bytes */
    assert_null(memmem(ct.data, ct.len, "tenant", 6));
    assert_null(memmem(ct.data, ct.len, "purpose", 7));
    assert_non_null(memmem(ct.data, ct.len, "stored", 6));

    static const char *const kv[] = {"tenant", "blue", "purpose", "tests"};
    esdk_enc_ctx *reproduced = ctx_of(kv, 2);
    esdk_enc_ctx *header = NULL;
    assert_int_equal(decrypt(cmm, NULL, reproduced, &ct, &header), 0);
    assert_int_equal(esdk_enc_ctx_count(header), 2); /* and the signing suite's public key */
    assert_true(has(header, ESDK_PUBLIC_KEY_CONTEXT_KEY));
    assert_true(has(header, "stored"));
    assert_false(has(header, "tenant"));
    assert_false(has(header, "purpose"));
    esdk_enc_ctx_release(header);
    /* a plain keyring with the reproduced pairs opens it too */
    assert_int_equal(decrypt(NULL, kr, reproduced, &ct, NULL), 0);
    /* extra pairs in the reproduced context are fine if they match the header */
    assert_int_equal(esdk_enc_ctx_set_str(reproduced, "stored", "yes"), 0);
    assert_int_equal(decrypt(cmm, NULL, reproduced, &ct, NULL), 0);

    esdk_enc_ctx_release(reproduced);
    esdk_buf_release(&ct);
    esdk_cmm_release(cmm);
    esdk_keyring_release(kr);
}

/* Missing or wrong reproduced values fail, whichever way the message is decrypted; with RSA
 * (no context binding in the keyring) only the header tag can catch a wrong value.
 * spec: cmm-default-1 */
/* spec: cmm-required-2 */
static void test_decrypt_needs_the_right_values(void **state)
{
    (void)state;
    esdk_keyring *aes = test_raw_aes_keyring(3), *rsa = rsa_keyring();
    esdk_keyring *krs[] = {aes, rsa};
    for (size_t k = 0; k < 2; k++) {
        esdk_cmm *cmm = required_cmm(krs[k]);
        esdk_buf ct = ESDK_BUF_INIT;
        encrypt_required(cmm, &ct);

        /* nothing reproduced */
        assert_int_equal(decrypt(cmm, NULL, NULL, &ct, NULL), ESDK_ERR_CONTEXT_MISMATCH);
        assert_non_null(strstr(esdk_last_error_detail(), "reproduced encryption context"));
        /* one of the two missing */
        static const char *const only_tenant[] = {"tenant", "blue"};
        esdk_enc_ctx *partial = ctx_of(only_tenant, 1);
        assert_int_equal(decrypt(cmm, NULL, partial, &ct, NULL), ESDK_ERR_CONTEXT_MISMATCH);
        assert_non_null(strstr(esdk_last_error_detail(), "'purpose'"));
        /* a wrong value: the keyring (raw AES binds the context) or the header tag refuses */
        static const char *const wrong[] = {"tenant", "red", "purpose", "tests"};
        esdk_enc_ctx *bad = ctx_of(wrong, 2);
        const int expect = k == 0 ? ESDK_ERR_CANNOT_DECRYPT : ESDK_ERR_BAD_TAG;
        assert_int_equal(decrypt(cmm, NULL, bad, &ct, NULL), expect);
        /* without the CMM, a plain keyring: missing pairs and wrong pairs both fail */
        assert_int_equal(decrypt(NULL, krs[k], NULL, &ct, NULL), expect);
        assert_int_equal(decrypt(NULL, krs[k], partial, &ct, NULL), expect);
        assert_int_equal(decrypt(NULL, krs[k], bad, &ct, NULL), expect);
        /* a reproduced value that contradicts a stored one */
        static const char *const clash[] = {"tenant", "blue", "purpose", "tests", "stored", "no"};
        esdk_enc_ctx *contradicting = ctx_of(clash, 3);
        assert_int_equal(decrypt(cmm, NULL, contradicting, &ct, NULL), ESDK_ERR_CONTEXT_MISMATCH);

        esdk_enc_ctx_release(contradicting);
        esdk_enc_ctx_release(partial);
        esdk_enc_ctx_release(bad);
        esdk_buf_release(&ct);
        esdk_cmm_release(cmm);
    }
    esdk_keyring_release(aes);
    esdk_keyring_release(rsa);
}

/* Encrypt refuses a context that lacks a required key. */
/* spec: cmm-required-1 */
static void test_encrypt_needs_every_key(void **state)
{
    (void)state;
    esdk_keyring *kr = test_raw_aes_keyring(3);
    esdk_cmm *cmm = required_cmm(kr);
    static const char *const kv[] = {"tenant", "blue"};
    esdk_enc_ctx *c = ctx_of(kv, 1);
    esdk_buf ct = ESDK_BUF_INIT;
    assert_int_equal(
        esdk_encrypt(NULL, cmm, NULL, c, plaintext, sizeof plaintext, &ct),
        ESDK_ERR_CONTEXT_MISMATCH);
    assert_non_null(strstr(esdk_last_error_detail(), "'purpose'"));
    assert_int_equal(
        esdk_encrypt(NULL, cmm, NULL, NULL, plaintext, sizeof plaintext, &ct),
        ESDK_ERR_CONTEXT_MISMATCH);
    assert_int_equal(ct.len, 0);
    esdk_buf_release(&ct);
    esdk_enc_ctx_release(c);
    esdk_cmm_release(cmm);
    esdk_keyring_release(kr);
}

/* Two required-context CMMs stacked: both sets of keys end up authenticate-only. */
/* spec: cmm-required-1, cmm-required-2 */
static void test_stacked(void **state)
{
    (void)state;
    esdk_keyring *kr = test_raw_aes_keyring(3);
    static const char *const inner_keys[] = {"purpose"};
    static const char *const outer_keys[] = {"tenant", "purpose"};
    esdk_cmm *inner = NULL, *outer = NULL;
    assert_int_equal(esdk_cmm_required_context_new_with_keyring(kr, inner_keys, 1, &inner), 0);
    assert_int_equal(esdk_cmm_required_context_new(inner, outer_keys, 2, &outer), 0);
    esdk_cmm_release(inner); /* outer holds it */
    esdk_keyring_release(kr);
    esdk_buf ct = ESDK_BUF_INIT;
    encrypt_required(outer, &ct);
    assert_null(memmem(ct.data, ct.len, "tenant", 6));
    assert_null(memmem(ct.data, ct.len, "purpose", 7));
    static const char *const kv[] = {"tenant", "blue", "purpose", "tests"};
    esdk_enc_ctx *reproduced = ctx_of(kv, 2);
    assert_int_equal(decrypt(outer, NULL, reproduced, &ct, NULL), 0);
    esdk_enc_ctx_release(reproduced);
    esdk_buf_release(&ct);
    esdk_cmm_release(outer);
}

/* ---- an underlying CMM that loses the required keys ---- */

typedef struct dropping {
    esdk_cmm *inner;
} dropping;

static int drop_get(void *state, const esdk_enc_request *req, esdk_enc_materials **out)
{
    dropping *d = state;
    esdk_enc_request forward = *req;
    forward.required_keys = NULL; /* forgets to keep them authenticate-only */
    forward.required_keys_count = 0;
    return esdk_cmm_get_encryption_materials(d->inner, &forward, out);
}

static int drop_decrypt(void *state, const esdk_dec_request *req, esdk_dec_materials **out)
{
    dropping *d = state;
    esdk_dec_request forward = *req;
    forward.reproduced_context = NULL; /* loses the reproduced pairs */
    return esdk_cmm_decrypt_materials(d->inner, &forward, out);
}

static void drop_destroy(void *state)
{
    dropping *d = state;
    esdk_cmm_release(d->inner);
    free(d);
}

static const esdk_cmm_vtable dropping_vt = {
    sizeof(esdk_cmm_vtable), "test-dropping", drop_get, drop_decrypt, drop_destroy};

/* spec: cmm-required-2 */
static void test_underlying_cmm_that_drops_keys(void **state)
{
    (void)state;
    /* a keyring that opens anything, so that only the CMM checks can refuse */
    esdk_keyring *kr = test_fixed_keyring(NULL, NULL);
    dropping *d = calloc(1, sizeof *d);
    assert_int_equal(esdk_cmm_default_new(kr, &d->inner), 0);
    esdk_cmm *drop = NULL, *cmm = NULL;
    assert_int_equal(esdk_cmm_new(&dropping_vt, d, &drop), 0);
    assert_int_equal(esdk_cmm_required_context_new(drop, required, 2, &cmm), 0);

    esdk_enc_ctx *c = full_context();
    esdk_buf ct = ESDK_BUF_INIT;
    assert_int_equal(
        esdk_encrypt(NULL, cmm, NULL, c, plaintext, sizeof plaintext, &ct),
        ESDK_ERR_CONTEXT_MISMATCH);
    assert_non_null(strstr(esdk_last_error_detail(), "required key"));
    assert_int_equal(ct.len, 0);

    /* a message made properly, read back through the dropping CMM */
    esdk_cmm *good = required_cmm(kr);
    encrypt_required(good, &ct);
    static const char *const kv[] = {"tenant", "blue", "purpose", "tests"};
    esdk_enc_ctx *reproduced = ctx_of(kv, 2);
    assert_int_equal(decrypt(cmm, NULL, reproduced, &ct, NULL), ESDK_ERR_CONTEXT_MISMATCH);
    assert_non_null(strstr(esdk_last_error_detail(), "decryption materials"));
    assert_int_equal(decrypt(good, NULL, reproduced, &ct, NULL), 0);

    esdk_enc_ctx_release(reproduced);
    esdk_enc_ctx_release(c);
    esdk_buf_release(&ct);
    esdk_cmm_release(good);
    esdk_cmm_release(cmm);
    esdk_cmm_release(drop);
    esdk_keyring_release(kr);
}

static void test_constructor_refusals(void **state)
{
    (void)state;
    esdk_keyring *kr = test_raw_aes_keyring(3);
    esdk_cmm *under = NULL, *out = NULL;
    assert_int_equal(esdk_cmm_default_new(kr, &under), 0);
    static const char *const dup[] = {"a", "a"};
    static const char *const reserved[] = {"aws-crypto-public-key"};
    static const char *const with_null[] = {"a", NULL};
    static const char *const bad_utf8[] = {"\xff"};
    assert_int_equal(
        esdk_cmm_required_context_new(under, required, 0, &out), ESDK_ERR_BAD_ARGUMENT);
    assert_int_equal(esdk_cmm_required_context_new(under, dup, 2, &out), ESDK_ERR_BAD_ARGUMENT);
    assert_int_equal(
        esdk_cmm_required_context_new(under, reserved, 1, &out), ESDK_ERR_BAD_ARGUMENT);
    assert_int_equal(
        esdk_cmm_required_context_new(under, with_null, 2, &out), ESDK_ERR_BAD_ARGUMENT);
    assert_int_equal(
        esdk_cmm_required_context_new(under, bad_utf8, 1, &out), ESDK_ERR_BAD_ARGUMENT);
    assert_int_equal(esdk_cmm_required_context_new(NULL, required, 2, &out), ESDK_ERR_BAD_ARGUMENT);
    assert_int_equal(
        esdk_cmm_required_context_new_with_keyring(NULL, required, 2, &out), ESDK_ERR_BAD_ARGUMENT);
    assert_null(out);
    esdk_cmm_release(under);
    esdk_keyring_release(kr);
}

static esdk_enc_ctx *json_context(const cJSON *obj)
{
    esdk_enc_ctx *c;
    assert_int_equal(esdk_enc_ctx_new(&c), 0);
    for (const cJSON *e = obj ? obj->child : NULL; e; e = e->next) {
        assert_int_equal(esdk_enc_ctx_set_str(c, e->string, e->valuestring), 0);
    }
    return c;
}

/* One official required-encryption-context-cmm vector: decrypt materials through our CMM. */
static void run_mpl_vector(const cJSON *keys, const cJSON *t)
{
    const cJSON *desc = cJSON_GetObjectItem(t, "keyDescription");
    const cJSON *under = cJSON_GetObjectItem(desc, "underlying");
    const cJSON *key = cJSON_GetObjectItem(keys, cJSON_GetObjectItem(under, "key")->valuestring);
    size_t key_len;
    uint8_t *material = test_base64(cJSON_GetObjectItem(key, "material")->valuestring, &key_len);
    esdk_keyring *kr = NULL;
    assert_int_equal(
        esdk_keyring_raw_aes_new(
            cJSON_GetObjectItem(under, "provider-id")->valuestring,
            cJSON_GetObjectItem(key, "key-id")->valuestring,
            material,
            key_len,
            &kr),
        0);
    free(material);
    const cJSON *req_keys = cJSON_GetObjectItem(desc, "requiredEncryptionContextKeys");
    const char *names[8];
    size_t n = 0;
    for (const cJSON *k = req_keys->child; k && n < 8; k = k->next) {
        names[n++] = k->valuestring;
    }
    esdk_cmm *cmm = NULL;
    assert_int_equal(esdk_cmm_required_context_new_with_keyring(kr, names, n, &cmm), 0);

    esdk_edk_list *edks;
    assert_int_equal(esdk_edk_list_new(&edks), 0);
    for (const cJSON *e = cJSON_GetObjectItem(t, "encryptedDataKeys")->child; e; e = e->next) {
        size_t info_len, ct_len;
        const char *id = cJSON_GetObjectItem(e, "keyProviderId")->valuestring;
        uint8_t *info =
            test_base64(cJSON_GetObjectItem(e, "keyProviderInfo")->valuestring, &info_len);
        uint8_t *ct = test_base64(cJSON_GetObjectItem(e, "ciphertext")->valuestring, &ct_len);
        esdk_edk edk = {(const uint8_t *)id, strlen(id), info, info_len, ct, ct_len};
        assert_int_equal(esdk_edk_list_append(edks, &edk), 0);
        free(info);
        free(ct);
    }
    esdk_enc_ctx *stored = json_context(cJSON_GetObjectItem(t, "encryptionContext"));
    const cJSON *rep = cJSON_GetObjectItem(t, "reproducedEncryptionContext");
    esdk_enc_ctx *reproduced = rep ? json_context(rep) : NULL;
    esdk_dec_request req = {
        .suite_id =
            (uint16_t)strtoul(cJSON_GetObjectItem(t, "algorithmSuiteId")->valuestring, NULL, 16),
        .policy = ESDK_COMMITMENT_REQUIRE_ENCRYPT_ALLOW_DECRYPT,
        .edks = edks,
        .context = stored,
        .reproduced_context = reproduced,
    };
    esdk_dec_materials *m = NULL;
    int rc = esdk_cmm_decrypt_materials(cmm, &req, &m);
    const cJSON *result = cJSON_GetObjectItem(t, "result");
    if (strcmp(cJSON_GetObjectItem(t, "type")->valuestring, "positive-keyring") == 0) {
        assert_int_equal(rc, 0);
        size_t want_len;
        uint8_t *want =
            test_base64(cJSON_GetObjectItem(result, "plaintextDataKey")->valuestring, &want_len);
        const uint8_t *got;
        size_t got_len;
        assert_true(esdk_dec_materials_data_key(m, &got, &got_len));
        assert_int_equal(got_len, want_len);
        assert_memory_equal(got, want, want_len);
        free(want);
        const cJSON *want_req = cJSON_GetObjectItem(result, "requiredEncryptionContextKeys");
        assert_int_equal(
            esdk_dec_materials_required_key_count(m), (size_t)cJSON_GetArraySize(want_req));
        for (const cJSON *k = want_req->child; k; k = k->next) {
            bool found = false;
            for (size_t i = 0; i < esdk_dec_materials_required_key_count(m); i++) {
                found = found || strcmp(esdk_dec_materials_required_key(m, i), k->valuestring) == 0;
            }
            assert_true(found);
        }
    } else {
        assert_int_not_equal(rc, 0);
        assert_null(m);
    }
    esdk_dec_materials_release(m);
    esdk_enc_ctx_release(stored);
    esdk_enc_ctx_release(reproduced);
    esdk_edk_list_release(edks);
    esdk_cmm_release(cmm);
    esdk_keyring_release(kr);
}

/* The official MPL vectors for this CMM (4 positive, 33 negative). */
/* spec: cmm-required-1, cmm-required-2 */
static void test_official_vectors(void **state)
{
    (void)state;
    if (!test_shared_dir_exists()) {
        skip();
    }
    size_t len;
    uint8_t *text = test_read_file(ESDK_SHARED_DIR "/vectors/official/mpl-keyring/keys.json", &len);
    assert_non_null(text);
    cJSON *keys = cJSON_ParseWithLength((const char *)text, len);
    free(text);
    text = test_read_file(ESDK_SHARED_DIR "/vectors/official/mpl-keyring/manifest.json", &len);
    assert_non_null(text);
    cJSON *manifest = cJSON_ParseWithLength((const char *)text, len);
    free(text);
    assert_non_null(keys);
    assert_non_null(manifest);
    int ran = 0;
    for (const cJSON *t = cJSON_GetObjectItem(manifest, "tests")->child; t; t = t->next) {
        const cJSON *desc = cJSON_GetObjectItem(t, "keyDescription");
        const cJSON *type = desc ? cJSON_GetObjectItem(desc, "type") : NULL;
        if (type && strcmp(type->valuestring, "required-encryption-context-cmm") == 0) {
            run_mpl_vector(cJSON_GetObjectItem(keys, "keys"), t);
            ran++;
        }
    }
    assert_true(ran >= 37);
    cJSON_Delete(manifest);
    cJSON_Delete(keys);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_required_pairs_not_stored),
        cmocka_unit_test(test_decrypt_needs_the_right_values),
        cmocka_unit_test(test_encrypt_needs_every_key),
        cmocka_unit_test(test_stacked),
        cmocka_unit_test(test_underlying_cmm_that_drops_keys),
        cmocka_unit_test(test_constructor_refusals),
        cmocka_unit_test(test_official_vectors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
