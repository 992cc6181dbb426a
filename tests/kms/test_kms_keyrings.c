/* The AWS KMS keyrings against kms-local (run through run-with-server.sh): every keyring,
 * cross-region multi-Region keys, refusals without calls (counted on the server), credentials
 * sources, refused and expired signatures, throttling and 5xx retries, unreachable and slow
 * endpoints, KMS error mapping and the checks on KMS answers. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "keyrings/kms/clock.h"
#include "kms_test_support.h"

#define PLAINTEXT "attack at dawn, in every region"
#define UNSIGNED  ESDK_SUITE_AES_256_GCM_HKDF_SHA512_COMMIT_KEY

static char *srk_e1, *srk_eu, *mrk_e1, *mrk_w2, *disabled;

static int group_setup(void **state)
{
    (void)state;
    kms_endpoint(); /* exits 77 when not run through the driver */
    srk_e1 = kms_create_key("us-east-1", false);
    srk_eu = kms_create_key("eu-west-1", false);
    mrk_e1 = kms_create_key("us-east-1", true);
    mrk_w2 = mrk_e1 ? kms_replicate_key(mrk_e1, "us-west-2") : NULL;
    disabled = kms_create_key("us-east-1", false);
    if (disabled) {
        kms_disable_key(disabled);
    }
    return srk_e1 && srk_eu && mrk_e1 && mrk_w2 && disabled ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    free(srk_e1);
    free(srk_eu);
    free(mrk_e1);
    free(mrk_w2);
    free(disabled);
    return 0;
}

static int setup(void **state)
{
    (void)state;
    kms_reset();
    esdk_kms_clock_set_offset(0);
    return 0;
}

static esdk_enc_ctx *context(void)
{
    esdk_enc_ctx *c = NULL;
    assert_int_equal(esdk_enc_ctx_new(&c), 0);
    assert_int_equal(esdk_enc_ctx_set_str(c, "purpose", "kms keyring test"), 0);
    assert_int_equal(esdk_enc_ctx_set_str(c, "Zone", "\xc3\xa9t\xc3\xa9"), 0);
    return c;
}

static int encrypt_with(esdk_keyring *kr, esdk_buf *msg)
{
    esdk_enc_ctx *c = context();
    const int rc =
        esdk_encrypt(NULL, NULL, kr, c, (const uint8_t *)PLAINTEXT, strlen(PLAINTEXT), msg);
    esdk_enc_ctx_release(c);
    return rc;
}

static int decrypt_with(esdk_keyring *kr, const esdk_buf *msg)
{
    esdk_buf pt = ESDK_BUF_INIT;
    int rc = esdk_decrypt(NULL, NULL, kr, NULL, msg->data, msg->len, &pt, NULL);
    if (rc == 0 && (pt.len != strlen(PLAINTEXT) || memcmp(pt.data, PLAINTEXT, pt.len) != 0)) {
        rc = -1000;
    }
    esdk_buf_release(&pt);
    return rc;
}

static esdk_keyring *strict(const char *key_id)
{
    esdk_kms_options *o = kms_test_options();
    esdk_keyring *kr = NULL;
    assert_int_equal(esdk_kms_keyring_new(key_id, o, &kr), 0);
    esdk_kms_options_release(o);
    return kr;
}

static esdk_keyring *mrk(const char *key_id)
{
    esdk_kms_options *o = kms_test_options();
    esdk_keyring *kr = NULL;
    assert_int_equal(esdk_kms_mrk_keyring_new(key_id, o, &kr), 0);
    esdk_kms_options_release(o);
    return kr;
}

/* A message under key_id made by a strict keyring. */
static void message_for(const char *key_id, esdk_buf *msg)
{
    esdk_keyring *kr = strict(key_id);
    assert_int_equal(encrypt_with(kr, msg), 0);
    esdk_keyring_release(kr);
}

static void assert_detail_has(const char *text)
{
    const char *d = esdk_last_error_detail();
    if (!strstr(d, text)) {
        fail_msg("detail \"%s\" lacks \"%s\"", d, text);
    }
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- keyrings ---- */

static void test_strict_round_trip(void **state)
{
    (void)state;
    esdk_buf msg = ESDK_BUF_INIT;
    esdk_keyring *kr = strict(srk_e1);
    assert_string_equal(esdk_keyring_name(kr), "aws-kms");
    assert_int_equal(encrypt_with(kr, &msg), 0);
    assert_int_equal(kms_count("GenerateDataKey", "us-east-1"), 1);
    /* the materials' full context goes to KMS, the signing key included (default suite) */
    cJSON *r = kms_request(0);
    const cJSON *ec = cJSON_GetObjectItemCaseSensitive(r, "encryptionContext");
    assert_true(cJSON_IsString(cJSON_GetObjectItemCaseSensitive(ec, "purpose")));
    assert_true(cJSON_IsString(cJSON_GetObjectItemCaseSensitive(ec, "Zone")));
    assert_true(cJSON_IsString(cJSON_GetObjectItemCaseSensitive(ec, "aws-crypto-public-key")));
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(r, "keyId")->valuestring, srk_e1);
    cJSON_Delete(r);
    assert_int_equal(decrypt_with(kr, &msg), 0);
    assert_int_equal(kms_count("Decrypt", "us-east-1"), 1);
    esdk_keyring_release(kr);
    esdk_buf_release(&msg);
}

/* The EDK layout is the official one, and a present data key is wrapped with Encrypt. */
static void test_edk_layout_and_encrypt_call(void **state)
{
    (void)state;
    esdk_enc_ctx *c = context();
    esdk_enc_materials *m = NULL;
    esdk_dec_materials *dm = NULL;
    esdk_edk edk;
    const uint8_t *key, *key2;
    size_t key_len, key2_len;
    esdk_keyring *kr = strict(srk_eu);
    assert_int_equal(esdk_enc_materials_new(UNSIGNED, c, NULL, 0, &m), 0);
    assert_int_equal(esdk_enc_materials_generate_data_key(m), 0);
    assert_int_equal(esdk_keyring_on_encrypt(kr, m), 0);
    assert_int_equal(kms_count("Encrypt", "eu-west-1"), 1);
    assert_int_equal(kms_count("GenerateDataKey", NULL), 0);
    assert_int_equal(esdk_edk_list_count(esdk_enc_materials_edks(m)), 1);
    assert_int_equal(esdk_edk_list_get(esdk_enc_materials_edks(m), 0, &edk), 0);
    assert_int_equal(edk.provider_id_len, 7);
    assert_memory_equal(edk.provider_id, "aws-kms", 7);
    assert_int_equal(edk.provider_info_len, strlen(srk_eu));
    assert_memory_equal(edk.provider_info, srk_eu, edk.provider_info_len);
    assert_true(edk.ciphertext_len > 0);
    assert_true(esdk_enc_materials_data_key(m, &key, &key_len));

    assert_int_equal(esdk_dec_materials_new(UNSIGNED, c, NULL, 0, &dm), 0);
    assert_int_equal(esdk_keyring_on_decrypt(kr, dm, esdk_enc_materials_edks(m)), 0);
    assert_true(esdk_dec_materials_data_key(dm, &key2, &key2_len));
    assert_int_equal(key_len, key2_len);
    assert_memory_equal(key, key2, key_len);
    esdk_dec_materials_release(dm);

    /* another context: KMS refuses the blob (InvalidCiphertextException) */
    esdk_enc_ctx *other = NULL;
    assert_int_equal(esdk_enc_ctx_new(&other), 0);
    assert_int_equal(esdk_enc_ctx_set_str(other, "purpose", "something else"), 0);
    assert_int_equal(esdk_dec_materials_new(UNSIGNED, other, NULL, 0, &dm), 0);
    assert_int_equal(esdk_keyring_on_decrypt(kr, dm, esdk_enc_materials_edks(m)), ESDK_ERR_KEYRING);
    assert_detail_has("InvalidCiphertextException");
    esdk_dec_materials_release(dm);
    esdk_enc_ctx_release(other);

    esdk_enc_materials_release(m);
    esdk_enc_ctx_release(c);
    esdk_keyring_release(kr);
}

static void test_strict_matches_only_its_key(void **state)
{
    (void)state;
    esdk_buf msg = ESDK_BUF_INIT, mrk_msg = ESDK_BUF_INIT;
    message_for(srk_e1, &msg);
    esdk_keyring *other = strict(srk_eu);
    kms_reset();
    assert_int_equal(decrypt_with(other, &msg), ESDK_ERR_CANNOT_DECRYPT);
    esdk_keyring_release(other);
    /* the plain keyring does not follow multi-Region replicas */
    message_for(mrk_e1, &mrk_msg);
    other = strict(mrk_w2);
    kms_reset();
    assert_int_equal(decrypt_with(other, &mrk_msg), ESDK_ERR_CANNOT_DECRYPT);
    assert_int_equal(kms_count(NULL, NULL), 0);
    esdk_keyring_release(other);
    esdk_buf_release(&msg);
    esdk_buf_release(&mrk_msg);
}

static void test_grant_tokens(void **state)
{
    (void)state;
    esdk_kms_options *o = kms_test_options();
    esdk_keyring *kr = NULL;
    esdk_buf msg = ESDK_BUF_INIT;
    assert_int_equal(esdk_kms_options_add_grant_token(o, "grant-token-one"), 0);
    assert_int_equal(esdk_kms_options_add_grant_token(o, "grant-token-two"), 0);
    assert_int_equal(esdk_kms_keyring_new(srk_e1, o, &kr), 0);
    esdk_kms_options_release(o); /* the keyring holds its own copy */
    assert_int_equal(encrypt_with(kr, &msg), 0);
    assert_int_equal(decrypt_with(kr, &msg), 0);
    for (size_t i = 0; i < 2; i++) {
        cJSON *r = kms_request(i);
        const cJSON *g = cJSON_GetObjectItemCaseSensitive(r, "grantTokens");
        assert_int_equal(cJSON_GetArraySize(g), 2);
        assert_string_equal(cJSON_GetArrayItem(g, 1)->valuestring, "grant-token-two");
        cJSON_Delete(r);
    }
    esdk_keyring_release(kr);
    esdk_buf_release(&msg);
}

static void test_discovery(void **state)
{
    (void)state;
    esdk_buf msg = ESDK_BUF_INIT, sink = ESDK_BUF_INIT;
    message_for(srk_eu, &msg);
    esdk_kms_options *o = kms_test_options();
    esdk_keyring *kr = NULL;
    assert_int_equal(esdk_kms_discovery_keyring_new(o, &kr), 0);
    assert_int_equal(encrypt_with(kr, &sink), ESDK_ERR_UNSUPPORTED);
    kms_reset();
    assert_int_equal(decrypt_with(kr, &msg), 0);
    assert_int_equal(kms_count("Decrypt", "eu-west-1"), 1);
    esdk_keyring_release(kr);

    const char *ours[] = {"444455556666", KMS_TEST_ACCOUNT};
    assert_int_equal(esdk_kms_options_set_discovery_filter(o, "aws", ours, 2), 0);
    assert_int_equal(esdk_kms_discovery_keyring_new(o, &kr), 0);
    assert_int_equal(decrypt_with(kr, &msg), 0);
    esdk_keyring_release(kr);

    const char *theirs[] = {"444455556666"};
    assert_int_equal(esdk_kms_options_set_discovery_filter(o, "aws", theirs, 1), 0);
    assert_int_equal(esdk_kms_discovery_keyring_new(o, &kr), 0);
    kms_reset();
    assert_int_equal(decrypt_with(kr, &msg), ESDK_ERR_CANNOT_DECRYPT);
    esdk_keyring_release(kr);
    assert_int_equal(esdk_kms_options_set_discovery_filter(o, "aws-cn", ours, 2), 0);
    assert_int_equal(esdk_kms_discovery_keyring_new(o, &kr), 0);
    assert_int_equal(decrypt_with(kr, &msg), ESDK_ERR_CANNOT_DECRYPT);
    assert_int_equal(kms_count(NULL, NULL), 0);
    esdk_keyring_release(kr);

    esdk_kms_options_release(o);
    esdk_buf_release(&msg);
    esdk_buf_release(&sink);
}

/* An MRK message from us-east-1 decrypts in us-west-2 with the replica. */
static void test_mrk_cross_region(void **state)
{
    (void)state;
    esdk_buf msg = ESDK_BUF_INIT;
    esdk_keyring *e1 = mrk(mrk_e1);
    assert_string_equal(esdk_keyring_name(e1), "aws-kms-mrk");
    assert_int_equal(encrypt_with(e1, &msg), 0);
    esdk_keyring_release(e1);

    esdk_keyring *w2 = mrk(mrk_w2);
    kms_reset();
    assert_int_equal(decrypt_with(w2, &msg), 0);
    assert_int_equal(kms_count("Decrypt", "us-west-2"), 1);
    assert_int_equal(kms_count(NULL, "us-east-1"), 0);
    cJSON *r = kms_request(0);
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(r, "keyId")->valuestring, mrk_w2);
    cJSON_Delete(r);
    esdk_keyring_release(w2);

    esdk_kms_options *o = kms_test_options();
    esdk_keyring *d = NULL;
    assert_int_equal(esdk_kms_mrk_discovery_keyring_new("us-west-2", o, &d), 0);
    kms_reset();
    assert_int_equal(decrypt_with(d, &msg), 0);
    r = kms_request(0);
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(r, "keyId")->valuestring, mrk_w2);
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(r, "region")->valuestring, "us-west-2");
    cJSON_Delete(r);
    esdk_keyring_release(d);

    const char *regions[] = {"eu-west-1", "us-west-2"};
    assert_int_equal(esdk_kms_mrk_discovery_multi_keyring_new(regions, 2, o, &d), 0);
    assert_int_equal(decrypt_with(d, &msg), 0);
    esdk_keyring_release(d);
    esdk_kms_options_release(o);
    esdk_buf_release(&msg);
}

/* A single-Region key's EDK is refused in another region, with no call. */
static void test_srk_refused_elsewhere_without_call(void **state)
{
    (void)state;
    esdk_buf msg = ESDK_BUF_INIT;
    message_for(srk_e1, &msg);
    esdk_kms_options *o = kms_test_options();
    esdk_keyring *d = NULL;
    assert_int_equal(esdk_kms_mrk_discovery_keyring_new("us-west-2", o, &d), 0);
    kms_reset();
    assert_int_equal(decrypt_with(d, &msg), ESDK_ERR_CANNOT_DECRYPT);
    assert_int_equal(kms_count(NULL, NULL), 0);
    esdk_keyring_release(d);
    /* in its own region the same keyring decrypts it */
    assert_int_equal(esdk_kms_mrk_discovery_keyring_new("us-east-1", o, &d), 0);
    assert_int_equal(decrypt_with(d, &msg), 0);
    assert_int_equal(kms_count("Decrypt", "us-east-1"), 1);
    esdk_keyring_release(d);
    esdk_kms_options_release(o);
    esdk_buf_release(&msg);
}

static void test_multi_region_multi_keyring(void **state)
{
    (void)state;
    esdk_kms_options *o = kms_test_options();
    esdk_keyring *multi = NULL;
    esdk_buf msg = ESDK_BUF_INIT;
    const char *children[] = {srk_eu, mrk_e1};
    assert_int_equal(esdk_kms_multi_keyring_new(srk_e1, children, 2, o, &multi), 0);
    assert_int_equal(encrypt_with(multi, &msg), 0);
    assert_int_equal(kms_count("GenerateDataKey", "us-east-1"), 1);
    assert_int_equal(kms_count("Encrypt", "eu-west-1"), 1);
    assert_int_equal(kms_count("Encrypt", "us-east-1"), 1);
    esdk_keyring *eu = strict(srk_eu);
    kms_reset();
    assert_int_equal(decrypt_with(eu, &msg), 0);
    assert_int_equal(kms_count("Decrypt", "eu-west-1"), 1);
    assert_int_equal(kms_count(NULL, NULL), 1);
    assert_int_equal(decrypt_with(multi, &msg), 0);
    esdk_keyring_release(eu);
    esdk_keyring_release(multi);

    /* the MRK variant: cross-region replica decrypts; duplicate MRKs are refused */
    const char *mrk_children[] = {srk_eu};
    assert_int_equal(esdk_kms_mrk_multi_keyring_new(mrk_e1, mrk_children, 1, o, &multi), 0);
    esdk_buf_release(&msg);
    assert_int_equal(encrypt_with(multi, &msg), 0);
    esdk_keyring_release(multi);
    const char *w2[] = {mrk_w2};
    assert_int_equal(esdk_kms_mrk_multi_keyring_new(NULL, w2, 1, o, &multi), 0);
    assert_int_equal(decrypt_with(multi, &msg), 0);
    esdk_keyring_release(multi);
    multi = NULL;
    assert_int_equal(
        esdk_kms_mrk_multi_keyring_new(mrk_e1, w2, 1, o, &multi), ESDK_ERR_BAD_ARGUMENT);
    assert_null(multi);
    assert_detail_has(mrk_e1);
    assert_detail_has(mrk_w2);
    assert_int_equal(esdk_kms_multi_keyring_new(NULL, NULL, 0, o, &multi), ESDK_ERR_BAD_ARGUMENT);
    esdk_kms_options_release(o);
    esdk_buf_release(&msg);
}

static void test_alias_and_region(void **state)
{
    (void)state;
    char body[256];
    snprintf(
        body,
        sizeof body,
        "{\"AliasName\":\"alias/kms-test\",\"TargetKeyId\":\"%s\"}",
        strrchr(srk_e1, '/') + 1);
    cJSON_Delete(kms_control("op/CreateAlias", "us-east-1", body));
    esdk_kms_options *o = kms_test_options();
    esdk_keyring *kr = NULL;
    esdk_buf msg = ESDK_BUF_INIT;
    assert_int_equal(esdk_kms_keyring_new("alias/kms-test", o, &kr), ESDK_ERR_BAD_ARGUMENT);
    assert_detail_has("region");
    assert_int_equal(esdk_kms_options_set_region(o, "us-east-1"), 0);
    assert_int_equal(esdk_kms_keyring_new("alias/kms-test", o, &kr), 0);
    assert_int_equal(encrypt_with(kr, &msg), 0);
    kms_reset();
    /* the EDK names the key ARN, not the alias: the alias keyring cannot decrypt */
    assert_int_equal(decrypt_with(kr, &msg), ESDK_ERR_CANNOT_DECRYPT);
    assert_int_equal(kms_count(NULL, NULL), 0);
    esdk_keyring *by_arn = strict(srk_e1);
    assert_int_equal(decrypt_with(by_arn, &msg), 0);
    esdk_keyring_release(by_arn);
    esdk_keyring_release(kr);
    assert_int_equal(
        esdk_kms_keyring_new("arn:aws:kms:us-east-1:1:nokey", o, &kr), ESDK_ERR_BAD_ARGUMENT);
    assert_int_equal(
        esdk_kms_options_set_region(o, "us-east-1.evil.example/"), ESDK_ERR_BAD_ARGUMENT);
    esdk_kms_options_release(o);
    esdk_buf_release(&msg);
}

/* An aws-kms EDK whose provider info is not a key ARN fails OnDecrypt before any call. */
static void test_bad_provider_info(void **state)
{
    (void)state;
    esdk_edk_list *edks = NULL;
    esdk_dec_materials *dm = NULL;
    esdk_keyring *kr = strict(srk_e1);
    const esdk_edk bad = {
        (const uint8_t *)"aws-kms", 7, (const uint8_t *)"alias/x", 7, (const uint8_t *)"blob", 4};
    assert_int_equal(esdk_edk_list_new(&edks), 0);
    assert_int_equal(esdk_edk_list_append(edks, &bad), 0);
    assert_int_equal(esdk_dec_materials_new(UNSIGNED, NULL, NULL, 0, &dm), 0);
    assert_int_equal(esdk_keyring_on_decrypt(kr, dm, edks), ESDK_ERR_KEYRING);
    assert_detail_has("not an AWS KMS key ARN");
    assert_int_equal(kms_count(NULL, NULL), 0);
    esdk_dec_materials_release(dm);
    esdk_edk_list_release(edks);
    esdk_keyring_release(kr);
}

/* ---- credentials and signatures ---- */

static esdk_keyring *with_credentials(const char *akid, const char *secret, const char *token)
{
    esdk_kms_options *o = kms_test_options();
    esdk_keyring *kr = NULL;
    assert_int_equal(esdk_kms_options_set_credentials(o, akid, secret, token), 0);
    assert_int_equal(esdk_kms_keyring_new(srk_e1, o, &kr), 0);
    esdk_kms_options_release(o);
    return kr;
}

static void test_wrong_credentials(void **state)
{
    (void)state;
    esdk_buf msg = ESDK_BUF_INIT;
    esdk_keyring *kr = with_credentials("AKIDUNKNOWN", "whatever", NULL);
    assert_int_equal(encrypt_with(kr, &msg), ESDK_ERR_ACCESS_DENIED);
    assert_detail_has("UnrecognizedClientException");
    assert_null(strstr(esdk_last_error_detail(), "whatever"));
    esdk_keyring_release(kr);
    kr = with_credentials(KMS_TEST_AKID, "not/the/secret", NULL);
    assert_int_equal(encrypt_with(kr, &msg), ESDK_ERR_ACCESS_DENIED);
    assert_detail_has("InvalidSignatureException");
    assert_null(strstr(esdk_last_error_detail(), "not/the/secret"));
    assert_int_equal(kms_count(NULL, NULL), 2); /* refused credentials are not retried */
    esdk_keyring_release(kr);
    esdk_buf_release(&msg);
}

static void test_expired_signature(void **state)
{
    (void)state;
    esdk_buf msg = ESDK_BUF_INIT;
    esdk_keyring *kr = strict(srk_e1);
    esdk_kms_clock_set_offset(-3600);
    assert_int_equal(encrypt_with(kr, &msg), ESDK_ERR_ACCESS_DENIED);
    assert_detail_has("InvalidSignatureException");
    assert_detail_has("Signature expired");
    esdk_kms_clock_set_offset(0);
    assert_int_equal(encrypt_with(kr, &msg), 0);
    esdk_keyring_release(kr);
    esdk_buf_release(&msg);
}

static void test_session_token(void **state)
{
    (void)state;
    esdk_buf msg = ESDK_BUF_INIT;
    esdk_keyring *kr =
        with_credentials(KMS_TEST_TEMP_AKID, KMS_TEST_TEMP_SECRET, KMS_TEST_TEMP_TOKEN);
    assert_int_equal(encrypt_with(kr, &msg), 0);
    assert_int_equal(decrypt_with(kr, &msg), 0);
    esdk_keyring_release(kr);
    kr = with_credentials(KMS_TEST_TEMP_AKID, KMS_TEST_TEMP_SECRET, NULL);
    assert_int_equal(decrypt_with(kr, &msg), ESDK_ERR_ACCESS_DENIED);
    esdk_keyring_release(kr);
    kr = with_credentials(KMS_TEST_TEMP_AKID, KMS_TEST_TEMP_SECRET, "forged-token");
    assert_int_equal(decrypt_with(kr, &msg), ESDK_ERR_ACCESS_DENIED);
    assert_null(strstr(esdk_last_error_detail(), "forged-token"));
    esdk_keyring_release(kr);
    esdk_buf_release(&msg);
}

struct provider_ctx {
    int calls;
    int fail;
};

static int provider(void *ctx, esdk_kms_credentials *creds)
{
    struct provider_ctx *p = ctx;
    p->calls++;
    if (p->fail) {
        return ESDK_ERR_ACCESS_DENIED;
    }
    return esdk_kms_credentials_set(
        creds, KMS_TEST_TEMP_AKID, KMS_TEST_TEMP_SECRET, KMS_TEST_TEMP_TOKEN);
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void test_credential_sources(void **state)
{
    (void)state;
    const char *work = getenv("KMS_LOCAL_WORK");
    char creds_path[1024], config_path[1024];
    snprintf(creds_path, sizeof creds_path, "%s/credentials", work ? work : "/tmp");
    snprintf(config_path, sizeof config_path, "%s/config", work ? work : "/tmp");
    write_file(
        creds_path,
        "# test\n[default]\naws_access_key_id = AKIDUNKNOWN\n"
        "aws_secret_access_key = nope\n\n[kmslocal]\n"
        "aws_access_key_id = " KMS_TEST_AKID "\n"
        "aws_secret_access_key=" KMS_TEST_SECRET "  \n");
    write_file(
        config_path,
        "[default]\nregion = us-east-1\n[profile kmstemp]\n"
        "aws_access_key_id = " KMS_TEST_TEMP_AKID "\n"
        "aws_secret_access_key = " KMS_TEST_TEMP_SECRET "\n"
        "aws_session_token = " KMS_TEST_TEMP_TOKEN "\n"
        "s3 =\n  max_concurrent_requests = 2\n");
    setenv("AWS_SHARED_CREDENTIALS_FILE", creds_path, 1);
    setenv("AWS_CONFIG_FILE", config_path, 1);
    unsetenv("AWS_PROFILE");
    unsetenv("AWS_ACCESS_KEY_ID");
    unsetenv("AWS_SECRET_ACCESS_KEY");
    unsetenv("AWS_SESSION_TOKEN");

    esdk_kms_options *o = NULL;
    esdk_keyring *kr = NULL;
    esdk_buf msg = ESDK_BUF_INIT;
    assert_int_equal(esdk_kms_options_new(&o), 0);
    assert_int_equal(esdk_kms_options_set_endpoint(o, kms_endpoint()), 0);
    /* [default] in the credentials file holds unknown keys */
    assert_int_equal(esdk_kms_keyring_new(srk_e1, o, &kr), 0);
    assert_int_equal(encrypt_with(kr, &msg), ESDK_ERR_ACCESS_DENIED);
    esdk_keyring_release(kr);
    /* AWS_PROFILE selects [kmslocal] */
    setenv("AWS_PROFILE", "kmslocal", 1);
    assert_int_equal(esdk_kms_keyring_new(srk_e1, o, &kr), 0);
    assert_int_equal(encrypt_with(kr, &msg), 0);
    esdk_keyring_release(kr);
    /* the environment comes before the files */
    setenv("AWS_ACCESS_KEY_ID", KMS_TEST_AKID, 1);
    setenv("AWS_SECRET_ACCESS_KEY", KMS_TEST_SECRET, 1);
    setenv("AWS_PROFILE", "default", 1);
    assert_int_equal(esdk_kms_keyring_new(srk_e1, o, &kr), 0);
    assert_int_equal(decrypt_with(kr, &msg), 0);
    esdk_keyring_release(kr);
    /* a profile in the options skips the environment; [profile kmstemp] of the config file */
    assert_int_equal(esdk_kms_options_set_profile(o, "kmstemp"), 0);
    assert_int_equal(esdk_kms_keyring_new(srk_e1, o, &kr), 0);
    assert_int_equal(decrypt_with(kr, &msg), 0);
    esdk_keyring_release(kr);
    /* a profile that exists nowhere */
    assert_int_equal(esdk_kms_options_set_profile(o, "absent"), 0);
    assert_int_equal(esdk_kms_keyring_new(srk_e1, o, &kr), 0);
    assert_int_equal(decrypt_with(kr, &msg), ESDK_ERR_ACCESS_DENIED);
    assert_detail_has("no AWS credentials");
    esdk_keyring_release(kr);
    /* a provider callback comes first, and is called for every KMS call */
    struct provider_ctx p = {0, 0};
    assert_int_equal(esdk_kms_options_set_credentials_provider(o, provider, &p), 0);
    assert_int_equal(esdk_kms_keyring_new(srk_e1, o, &kr), 0);
    assert_int_equal(decrypt_with(kr, &msg), 0);
    assert_int_equal(decrypt_with(kr, &msg), 0);
    assert_int_equal(p.calls, 2);
    p.fail = 1;
    assert_int_equal(decrypt_with(kr, &msg), ESDK_ERR_ACCESS_DENIED);
    esdk_keyring_release(kr);

    unsetenv("AWS_SHARED_CREDENTIALS_FILE");
    unsetenv("AWS_CONFIG_FILE");
    unsetenv("AWS_PROFILE");
    unsetenv("AWS_ACCESS_KEY_ID");
    unsetenv("AWS_SECRET_ACCESS_KEY");
    esdk_kms_options_release(o);
    esdk_buf_release(&msg);
}

static void test_endpoint_from_environment(void **state)
{
    (void)state;
    esdk_kms_options *o = NULL;
    esdk_keyring *kr = NULL;
    esdk_buf msg = ESDK_BUF_INIT;
    assert_int_equal(esdk_kms_options_new(&o), 0);
    assert_int_equal(esdk_kms_options_set_credentials(o, KMS_TEST_AKID, KMS_TEST_SECRET, NULL), 0);
    assert_int_equal(esdk_kms_keyring_new(srk_e1, o, &kr), 0);
    setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:1", 1); /* less specific: not used */
    setenv("AWS_ENDPOINT_URL_KMS", kms_endpoint(), 1);
    assert_int_equal(encrypt_with(kr, &msg), 0);
    unsetenv("AWS_ENDPOINT_URL_KMS");
    setenv("AWS_ENDPOINT_URL", kms_endpoint(), 1);
    assert_int_equal(decrypt_with(kr, &msg), 0);
    unsetenv("AWS_ENDPOINT_URL");
    esdk_keyring_release(kr);
    esdk_kms_options_release(o);
    esdk_buf_release(&msg);
}

/* ---- retries, faults, unreachable endpoints ---- */

static void test_throttling_then_success(void **state)
{
    (void)state;
    esdk_buf msg = ESDK_BUF_INIT;
    esdk_keyring *kr = strict(srk_e1);
    kms_add_fault("{\"op\":\"GenerateDataKey\",\"kind\":\"throttle\",\"count\":2}");
    assert_int_equal(encrypt_with(kr, &msg), 0);
    assert_int_equal(kms_count("GenerateDataKey", NULL), 3);
    kms_add_fault("{\"op\":\"Decrypt\",\"kind\":\"throttle429\",\"count\":1}");
    assert_int_equal(decrypt_with(kr, &msg), 0);
    assert_int_equal(kms_count("Decrypt", NULL), 2);
    /* throttled on every attempt: unavailable, after exactly max_attempts calls */
    kms_reset();
    kms_add_fault("{\"op\":\"Decrypt\",\"kind\":\"throttle\",\"count\":10}");
    assert_int_equal(decrypt_with(kr, &msg), ESDK_ERR_UNAVAILABLE);
    assert_detail_has("ThrottlingException");
    assert_int_equal(kms_count("Decrypt", NULL), 3);
    esdk_keyring_release(kr);
    esdk_buf_release(&msg);
}

static void test_5xx_retries(void **state)
{
    (void)state;
    esdk_buf msg = ESDK_BUF_INIT;
    esdk_keyring *kr = strict(srk_e1);
    kms_add_fault("{\"op\":\"GenerateDataKey\",\"kind\":\"error503\",\"count\":1}");
    assert_int_equal(encrypt_with(kr, &msg), 0);
    assert_int_equal(kms_count("GenerateDataKey", NULL), 2);
    kms_reset();
    kms_add_fault("{\"kind\":\"error500\",\"count\":10}");
    assert_int_equal(decrypt_with(kr, &msg), ESDK_ERR_UNAVAILABLE);
    assert_detail_has("KMSInternalException");
    assert_detail_has("after 3 attempts");
    assert_int_equal(kms_count(NULL, NULL), 3);
    esdk_keyring_release(kr);

    /* one attempt only: no retry at all */
    esdk_kms_options *o = kms_test_options();
    assert_int_equal(esdk_kms_options_set_retries(o, 1, 0, 0), 0);
    assert_int_equal(esdk_kms_options_set_retries(o, 0, 0, 0), ESDK_ERR_BAD_ARGUMENT);
    assert_int_equal(esdk_kms_keyring_new(srk_e1, o, &kr), 0);
    kms_reset();
    kms_add_fault("{\"kind\":\"error500\",\"count\":10}");
    assert_int_equal(decrypt_with(kr, &msg), ESDK_ERR_UNAVAILABLE);
    assert_int_equal(kms_count(NULL, NULL), 1);
    esdk_keyring_release(kr);
    esdk_kms_options_release(o);
    esdk_buf_release(&msg);
}

static void test_unreachable_endpoint(void **state)
{
    (void)state;
    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%d", kms_closed_port());
    esdk_kms_options *o = kms_test_options();
    esdk_keyring *kr = NULL;
    esdk_buf msg = ESDK_BUF_INIT;
    assert_int_equal(esdk_kms_options_set_endpoint(o, url), 0);
    assert_int_equal(esdk_kms_keyring_new(srk_e1, o, &kr), 0);
    const double start = now_seconds();
    assert_int_equal(encrypt_with(kr, &msg), ESDK_ERR_UNAVAILABLE);
    const double took = now_seconds() - start;
    assert_detail_has("cannot reach AWS KMS");
    assert_detail_has(url);
    assert_true(took < 3.0);
    esdk_keyring_release(kr);
    esdk_kms_options_release(o);
    esdk_buf_release(&msg);
}

static void test_slow_answer_times_out(void **state)
{
    (void)state;
    esdk_kms_options *o = kms_test_options();
    esdk_keyring *kr = NULL;
    esdk_buf msg = ESDK_BUF_INIT;
    assert_int_equal(esdk_kms_options_set_timeouts(o, 1000, 300), 0);
    assert_int_equal(esdk_kms_keyring_new(srk_e1, o, &kr), 0);
    kms_add_fault("{\"kind\":\"slow\",\"delayMs\":3000,\"count\":1}");
    const double start = now_seconds();
    assert_int_equal(encrypt_with(kr, &msg), ESDK_ERR_UNAVAILABLE);
    assert_true(now_seconds() - start < 2.0);
    assert_detail_has("cannot reach AWS KMS");
    /* a slow answer within the timeout is fine */
    kms_add_fault("{\"kind\":\"slow\",\"delayMs\":100,\"count\":1}");
    assert_int_equal(encrypt_with(kr, &msg), 0);
    esdk_keyring_release(kr);
    esdk_kms_options_release(o);
    esdk_buf_release(&msg);
}

/* ---- KMS errors and answers ---- */

static void test_kms_errors(void **state)
{
    (void)state;
    esdk_buf msg = ESDK_BUF_INIT;
    esdk_keyring *kr = strict(disabled);
    assert_int_equal(encrypt_with(kr, &msg), ESDK_ERR_KEYRING);
    assert_detail_has("DisabledException");
    assert_int_equal(kms_count(NULL, NULL), 1);
    esdk_keyring_release(kr);
    kr = strict("arn:aws:kms:us-east-1:111122223333:key/00000000-0000-0000-0000-000000000000");
    assert_int_equal(encrypt_with(kr, &msg), ESDK_ERR_KEYRING);
    assert_detail_has("NotFoundException");
    esdk_keyring_release(kr);
    esdk_buf_release(&msg);
}

static void test_answer_checks(void **state)
{
    (void)state;
    esdk_buf msg = ESDK_BUF_INIT;
    esdk_keyring *kr = strict(srk_e1);
    kms_add_fault("{\"op\":\"GenerateDataKey\",\"kind\":\"keyid\","
                  "\"value\":\"arn:aws:kms:us-east-1:111122223333:alias/other\"}");
    assert_int_equal(encrypt_with(kr, &msg), ESDK_ERR_KEYRING);
    assert_detail_has("not a key ARN");
    kms_add_fault("{\"op\":\"GenerateDataKey\",\"kind\":\"shortPlaintext\"}");
    assert_int_equal(encrypt_with(kr, &msg), ESDK_ERR_KEYRING);
    assert_detail_has("returned 31 bytes");
    assert_int_equal(encrypt_with(kr, &msg), 0);
    char body[256];
    snprintf(body, sizeof body, "{\"op\":\"Decrypt\",\"kind\":\"keyid\",\"value\":\"%s\"}", srk_eu);
    kms_add_fault(body);
    assert_int_equal(decrypt_with(kr, &msg), ESDK_ERR_KEYRING);
    assert_detail_has("not the requested");
    kms_add_fault("{\"op\":\"Decrypt\",\"kind\":\"shortPlaintext\"}");
    assert_int_equal(decrypt_with(kr, &msg), ESDK_ERR_KEYRING);
    assert_int_equal(decrypt_with(kr, &msg), 0);
    esdk_keyring_release(kr);
    esdk_buf_release(&msg);
}

/* ---- threads ---- */

static void *worker(void *arg)
{
    esdk_keyring *kr = arg;
    for (int i = 0; i < 5; i++) {
        esdk_buf msg = ESDK_BUF_INIT;
        if (encrypt_with(kr, &msg) != 0 || decrypt_with(kr, &msg) != 0) {
            esdk_buf_release(&msg);
            return (void *)1;
        }
        esdk_buf_release(&msg);
    }
    return NULL;
}

static void test_threads_share_a_keyring(void **state)
{
    (void)state;
    esdk_kms_options *o = kms_test_options();
    esdk_keyring *kr = NULL;
    const char *children[] = {srk_eu};
    assert_int_equal(esdk_kms_multi_keyring_new(srk_e1, children, 1, o, &kr), 0);
    pthread_t t[4];
    for (int i = 0; i < 4; i++) {
        assert_int_equal(pthread_create(&t[i], NULL, worker, kr), 0);
    }
    for (int i = 0; i < 4; i++) {
        void *res = (void *)1;
        assert_int_equal(pthread_join(t[i], &res), 0);
        assert_null(res);
    }
    assert_int_equal(kms_count("GenerateDataKey", NULL), 20);
    esdk_keyring_release(kr);
    esdk_kms_options_release(o);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_strict_round_trip, setup),
        cmocka_unit_test_setup(test_edk_layout_and_encrypt_call, setup),
        cmocka_unit_test_setup(test_strict_matches_only_its_key, setup),
        cmocka_unit_test_setup(test_grant_tokens, setup),
        cmocka_unit_test_setup(test_discovery, setup),
        cmocka_unit_test_setup(test_mrk_cross_region, setup),
        cmocka_unit_test_setup(test_srk_refused_elsewhere_without_call, setup),
        cmocka_unit_test_setup(test_multi_region_multi_keyring, setup),
        cmocka_unit_test_setup(test_alias_and_region, setup),
        cmocka_unit_test_setup(test_bad_provider_info, setup),
        cmocka_unit_test_setup(test_wrong_credentials, setup),
        cmocka_unit_test_setup(test_expired_signature, setup),
        cmocka_unit_test_setup(test_session_token, setup),
        cmocka_unit_test_setup(test_credential_sources, setup),
        cmocka_unit_test_setup(test_endpoint_from_environment, setup),
        cmocka_unit_test_setup(test_throttling_then_success, setup),
        cmocka_unit_test_setup(test_5xx_retries, setup),
        cmocka_unit_test_setup(test_unreachable_endpoint, setup),
        cmocka_unit_test_setup(test_slow_answer_times_out, setup),
        cmocka_unit_test_setup(test_kms_errors, setup),
        cmocka_unit_test_setup(test_answer_checks, setup),
        cmocka_unit_test_setup(test_threads_share_a_keyring, setup),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
