/* The KMS keyrings' configuration and plumbing, without a server: endpoints by partition and
 * their overrides, Host values, the shared credentials/config file reader, the credentials
 * chain, options, KMS error parsing and mapping, retry decisions and backoff, and the JSON
 * request and answer bodies. */
#include <cjson/cJSON.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <aws-esdk-c/esdk.h>

#include "common/buf.h"
#include "common/mem.h"
#include "keyrings/kms/client.h"
#include "keyrings/kms/credentials.h"
#include "keyrings/kms/endpoint.h"
#include "keyrings/kms/errors.h"
#include "keyrings/kms/http.h"
#include "keyrings/kms/options.h"
#include "keyrings/kms/profile.h"

static const char *const aws_env[] = {
    "AWS_ENDPOINT_URL_KMS",
    "AWS_ENDPOINT_URL",
    "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_PROFILE",
    "AWS_SHARED_CREDENTIALS_FILE",
    "AWS_CONFIG_FILE",
};

static char dir[] = "/tmp/esdk-kms-config-XXXXXX";

static int group_setup(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof aws_env / sizeof aws_env[0]; i++) {
        unsetenv(aws_env[i]);
    }
    return mkdtemp(dir) ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static char *path_in_dir(const char *name)
{
    static char p[256];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    return p;
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* ---- endpoints ---- */

static void
expect_endpoint(const char *option, const char *region, const char *partition, const char *want)
{
    char *url = NULL;
    assert_int_equal(esdk_kms_endpoint_resolve(option, region, partition, &url), 0);
    assert_string_equal(url, want);
    esdk_str_release(url);
}

static void test_endpoints(void **state)
{
    (void)state;
    assert_string_equal(esdk_kms_partition_of_region("eu-west-1"), "aws");
    assert_string_equal(esdk_kms_partition_of_region("cn-north-1"), "aws-cn");
    assert_string_equal(esdk_kms_partition_of_region("us-gov-west-1"), "aws-us-gov");
    assert_string_equal(esdk_kms_partition_of_region("us-isob-east-1"), "aws-iso-b");
    assert_string_equal(esdk_kms_partition_of_region("us-iso-east-1"), "aws-iso");
    assert_string_equal(esdk_kms_partition_of_region("eusc-de-east-1"), "aws-eusc");
    assert_null(esdk_kms_dns_suffix("aws-mars"));

    expect_endpoint(NULL, "us-east-1", "aws", "https://kms.us-east-1.amazonaws.com");
    expect_endpoint(NULL, "cn-north-1", "aws-cn", "https://kms.cn-north-1.amazonaws.com.cn");
    expect_endpoint(NULL, "us-gov-west-1", "aws-us-gov", "https://kms.us-gov-west-1.amazonaws.com");
    char *url = NULL;
    assert_int_equal(
        esdk_kms_endpoint_resolve(NULL, "x-1", "aws-mars", &url), ESDK_ERR_UNSUPPORTED);

    setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:2", 1);
    expect_endpoint(NULL, "us-east-1", "aws", "http://127.0.0.1:2");
    setenv("AWS_ENDPOINT_URL_KMS", "http://127.0.0.1:3", 1);
    expect_endpoint(NULL, "us-east-1", "aws", "http://127.0.0.1:3");
    expect_endpoint("http://127.0.0.1:4", "us-east-1", "aws", "http://127.0.0.1:4");
    setenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "TRUE", 1);
    expect_endpoint(NULL, "us-east-1", "aws", "https://kms.us-east-1.amazonaws.com");
    expect_endpoint("http://127.0.0.1:4", "us-east-1", "aws", "http://127.0.0.1:4");
    unsetenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS");
    unsetenv("AWS_ENDPOINT_URL_KMS");
    unsetenv("AWS_ENDPOINT_URL");
}

static void test_host_values(void **state)
{
    (void)state;
    const char *cases[][2] = {
        {"http://127.0.0.1:8080", "127.0.0.1:8080"},
        {"http://127.0.0.1:8080/", "127.0.0.1:8080"},
        {"https://kms.us-east-1.amazonaws.com", "kms.us-east-1.amazonaws.com"},
        {"https://kms.us-east-1.amazonaws.com:443", "kms.us-east-1.amazonaws.com"},
        {"http://localhost:80", "localhost"},
        {"http://localhost:443", "localhost:443"},
        {"http://[::1]:9000", "[::1]:9000"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *host = NULL;
        assert_int_equal(esdk_kms_endpoint_host(cases[i][0], &host), 0);
        assert_string_equal(host, cases[i][1]);
        esdk_str_release(host);
    }
    const char *bad[] = {
        "ftp://h",
        "http://h/path",
        "http://h/?q=1",
        "http://u:p@h",
        "http://h/#f",
        "not a url",
        "http://"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char *host = NULL;
        if (esdk_kms_endpoint_host(bad[i], &host) != ESDK_ERR_BAD_ARGUMENT) {
            fail_msg("accepted endpoint \"%s\"", bad[i]);
        }
    }
}

/* ---- shared files and credentials ---- */

static void test_profile_reader(void **state)
{
    (void)state;
    char *p = path_in_dir("config-reader");
    write_file(
        p,
        "; comment\n# comment\n[default]\nregion=us-east-1\n\n"
        "[profile  team ]\n  ignored = yes\nAWS_Access_Key_Id =  AKID  \n"
        "aws_secret_access_key=a=b\ns3 =\n  aws_session_token = nested\n"
        "[other]\naws_session_token = not this one\n");
    const char *keys[] = {"aws_access_key_id", "aws_secret_access_key", "aws_session_token"};
    char *v[3];
    assert_int_equal(esdk_kms_profile_read(p, "profile team", keys, 3, v), 0);
    assert_string_equal(v[0], "AKID");
    assert_string_equal(v[1], "a=b");
    assert_null(v[2]); /* indented lines belong to the nested s3 setting */
    for (int i = 0; i < 3; i++) {
        esdk_kms_secret_str_release(v[i]);
    }
    assert_int_equal(esdk_kms_profile_read(p, "profile absent", keys, 3, v), 1);
    assert_null(v[0]);
    assert_int_equal(esdk_kms_profile_read(path_in_dir("no-such-file"), "default", keys, 3, v), 1);
}

static int cb_calls;

static int callback(void *ctx, esdk_kms_credentials *creds)
{
    cb_calls++;
    return esdk_kms_credentials_set(creds, "AKIDCB", ctx, NULL);
}

static void expect_creds(const esdk_kms_options *o, const char *akid, const char *token)
{
    esdk_kms_credentials c = ESDK_KMS_CREDENTIALS_INIT;
    assert_int_equal(esdk_kms_credentials_resolve(o, &c), 0);
    assert_string_equal(c.access_key_id, akid);
    assert_non_null(c.secret_access_key);
    if (token) {
        assert_string_equal(c.session_token, token);
    } else {
        assert_null(c.session_token);
    }
    esdk_kms_credentials_clear(&c);
    assert_null(c.secret_access_key);
}

static void test_credentials_chain(void **state)
{
    (void)state;
    char creds_file[256], config_file[256];
    snprintf(creds_file, sizeof creds_file, "%s", path_in_dir("credentials"));
    snprintf(config_file, sizeof config_file, "%s", path_in_dir("config"));
    write_file(
        creds_file,
        "[default]\naws_access_key_id=AKIDFILE\naws_secret_access_key=s\n"
        "[half]\naws_access_key_id=AKIDHALF\n");
    write_file(
        config_file,
        "[default]\naws_access_key_id=AKIDCONFIGDEFAULT\n"
        "aws_secret_access_key=s\n[profile temp]\naws_access_key_id=ASIA\n"
        "aws_secret_access_key=s\naws_session_token=tok\n");
    setenv("AWS_SHARED_CREDENTIALS_FILE", creds_file, 1);
    setenv("AWS_CONFIG_FILE", config_file, 1);
    esdk_kms_options *o = NULL;
    esdk_kms_credentials c = ESDK_KMS_CREDENTIALS_INIT;
    assert_int_equal(esdk_kms_options_new(&o), 0);

    expect_creds(o, "AKIDFILE", NULL); /* [default] of the credentials file */
    setenv("AWS_PROFILE", "temp", 1);
    expect_creds(o, "ASIA", "tok"); /* [profile temp] of the config file */
    setenv("AWS_ACCESS_KEY_ID", "AKIDENV", 1);
    expect_creds(o, "ASIA", "tok"); /* half an environment pair is not used */
    setenv("AWS_SECRET_ACCESS_KEY", "s", 1);
    setenv("AWS_SESSION_TOKEN", "envtok", 1);
    expect_creds(o, "AKIDENV", "envtok");
    assert_int_equal(esdk_kms_options_set_profile(o, "half"), 0);
    assert_int_equal(esdk_kms_credentials_resolve(o, &c), ESDK_ERR_ACCESS_DENIED);
    assert_non_null(strstr(esdk_last_error_detail(), "half"));
    assert_int_equal(esdk_kms_options_set_profile(o, "nowhere"), 0);
    assert_int_equal(esdk_kms_credentials_resolve(o, &c), ESDK_ERR_ACCESS_DENIED);
    assert_non_null(strstr(esdk_last_error_detail(), "no AWS credentials"));
    assert_int_equal(esdk_kms_options_set_credentials(o, "AKIDSTATIC", "s", NULL), 0);
    expect_creds(o, "AKIDSTATIC", NULL);
    assert_int_equal(esdk_kms_options_set_credentials_provider(o, callback, "cb-secret"), 0);
    cb_calls = 0;
    expect_creds(o, "AKIDCB", NULL);
    assert_int_equal(cb_calls, 1);
    assert_int_equal(esdk_kms_options_set_credentials_provider(o, NULL, NULL), 0);
    assert_int_equal(esdk_kms_options_set_credentials(o, NULL, NULL, NULL), 0);
    assert_int_equal(esdk_kms_options_set_credentials(o, "AKID", "", NULL), ESDK_ERR_BAD_ARGUMENT);

    for (size_t i = 0; i < sizeof aws_env / sizeof aws_env[0]; i++) {
        unsetenv(aws_env[i]);
    }
    esdk_kms_options_release(o);
}

/* ---- options ---- */

static void test_options(void **state)
{
    (void)state;
    esdk_kms_options *o = NULL, *copy = NULL;
    char *region = NULL, *partition = NULL;
    assert_int_equal(esdk_kms_options_new(&o), 0);
    assert_int_equal(
        esdk_kms_options_region_for(o, "alias/x", &region, &partition), ESDK_ERR_BAD_ARGUMENT);
    assert_int_equal(esdk_kms_options_set_region(o, "cn-north-1"), 0);
    assert_int_equal(esdk_kms_options_region_for(o, "alias/x", &region, &partition), 0);
    assert_string_equal(region, "cn-north-1");
    assert_string_equal(partition, "aws-cn");
    esdk_str_release(region);
    esdk_str_release(partition);
    assert_int_equal(
        esdk_kms_options_region_for(o, "arn:aws:kms:eu-west-1:1:key/k", &region, &partition), 0);
    assert_string_equal(region, "eu-west-1");
    assert_string_equal(partition, "aws");
    esdk_str_release(region);
    esdk_str_release(partition);
    /* a region from an ARN must be a plain name: it becomes part of a host name */
    assert_int_equal(
        esdk_kms_options_region_for(o, "arn:aws:kms:evil.example/x?:1:key/k", &region, &partition),
        ESDK_ERR_BAD_ARGUMENT);

    assert_int_equal(esdk_kms_options_set_endpoint(o, "ftp://x"), ESDK_ERR_BAD_ARGUMENT);
    assert_int_equal(esdk_kms_options_set_retries(o, 11, 1, 2), ESDK_ERR_BAD_ARGUMENT);
    assert_int_equal(esdk_kms_options_set_retries(o, 2, 10, 5), ESDK_ERR_BAD_ARGUMENT);
    const char *accounts[] = {"111122223333"};
    assert_int_equal(
        esdk_kms_options_set_discovery_filter(o, "aws", accounts, 0), ESDK_ERR_BAD_ARGUMENT);
    assert_int_equal(esdk_kms_options_set_discovery_filter(o, "aws", accounts, 1), 0);
    for (int i = 0; i < 10; i++) {
        assert_int_equal(esdk_kms_options_add_grant_token(o, "token"), 0);
    }
    assert_int_equal(esdk_kms_options_add_grant_token(o, "token"), ESDK_ERR_LIMIT_EXCEEDED);
    assert_int_equal(esdk_kms_options_set_credentials(o, "AKID", "secret", "session"), 0);
    assert_int_equal(esdk_kms_options_clone(o, &copy), 0);
    esdk_kms_options_release(o);
    assert_int_equal(copy->grant_token_count, 10);
    assert_string_equal(copy->filter_partition, "aws");
    assert_string_equal(copy->filter_accounts[0], "111122223333");
    assert_string_equal(copy->secret_access_key, "secret");
    assert_string_equal(copy->session_token, "session");
    assert_string_equal(copy->region, "cn-north-1");
    esdk_kms_options_release(copy);
    assert_int_equal(esdk_kms_options_clone(NULL, &copy), 0);
    assert_int_equal(copy->max_attempts, 3);
    esdk_kms_options_release(copy);
    esdk_kms_options_release(NULL);
}

/* ---- KMS errors, retries ---- */

static void parse_error(const char *header, const char *body, char *name, char *message)
{
    esdk_kms_http_response r = {0};
    snprintf(r.error_type, sizeof r.error_type, "%s", header);
    r.status = 400;
    if (body) {
        assert_int_equal(esdk_buf_append(&r.body, body, strlen(body)), 0);
    }
    esdk_kms_error_parse(&r, name, 64, message, 64);
    esdk_kms_http_response_release(&r);
}

static void test_error_parsing(void **state)
{
    (void)state;
    char name[64], message[64];
    parse_error(
        "",
        "{\"__type\":\"NotFoundException\",\"message\":\"Key 'x' does not exist\"}",
        name,
        message);
    assert_string_equal(name, "NotFoundException");
    assert_string_equal(message, "Key 'x' does not exist");
    parse_error(
        "",
        "{\"__type\":\"com.amazonaws.kms#DisabledException\",\"Message\":\"off\"}",
        name,
        message);
    assert_string_equal(name, "DisabledException");
    assert_string_equal(message, "off");
    parse_error(
        "ThrottlingException:http://internal.amazon.com/", "{\"__type\":\"Other\"}", name, message);
    assert_string_equal(name, "ThrottlingException");
    parse_error("", "{\"code\":\"AccessDeniedException\"}", name, message);
    assert_string_equal(name, "AccessDeniedException");
    parse_error("", "<html>bad gateway</html>", name, message);
    assert_string_equal(name, "");
    assert_string_equal(message, "");
    parse_error("", "{\"__type\":\"X\",\"message\":\"line\\nbreak\\u0001\"}", name, message);
    assert_string_equal(message, "line?break?");
}

static void test_error_codes(void **state)
{
    (void)state;
    const char *denied[] = {
        "AccessDeniedException",
        "UnrecognizedClientException",
        "InvalidSignatureException",
        "ExpiredTokenException"};
    const char *keyring[] = {
        "NotFoundException",
        "DisabledException",
        "KMSInvalidStateException",
        "IncorrectKeyException",
        "InvalidCiphertextException",
        "ValidationException"};
    for (size_t i = 0; i < sizeof denied / sizeof denied[0]; i++) {
        assert_int_equal(esdk_kms_error_code(400, denied[i]), ESDK_ERR_ACCESS_DENIED);
    }
    for (size_t i = 0; i < sizeof keyring / sizeof keyring[0]; i++) {
        assert_int_equal(esdk_kms_error_code(400, keyring[i]), ESDK_ERR_KEYRING);
    }
    assert_int_equal(esdk_kms_error_code(400, "ThrottlingException"), ESDK_ERR_UNAVAILABLE);
    assert_int_equal(esdk_kms_error_code(500, "KMSInternalException"), ESDK_ERR_UNAVAILABLE);
    assert_int_equal(esdk_kms_error_code(502, ""), ESDK_ERR_UNAVAILABLE);
    assert_int_equal(esdk_kms_error_code(403, ""), ESDK_ERR_ACCESS_DENIED);
    assert_int_equal(esdk_kms_error_code(404, ""), ESDK_ERR_KEYRING);
}

static void test_retry_policy(void **state)
{
    (void)state;
    assert_true(esdk_kms_http_retryable(429, ""));
    assert_true(esdk_kms_http_retryable(500, "KMSInternalException"));
    assert_true(esdk_kms_http_retryable(503, ""));
    assert_true(esdk_kms_http_retryable(400, "ThrottlingException"));
    assert_false(esdk_kms_http_retryable(400, "AccessDeniedException"));
    assert_false(esdk_kms_http_retryable(400, "InvalidSignatureException"));
    assert_false(esdk_kms_http_retryable(404, ""));
    /* full jitter: uniform in [0, min(cap, base * 2^(retry-1))] */
    assert_int_equal(esdk_kms_backoff_ms(1, 100, 2000, 0), 0);
    assert_int_equal(esdk_kms_backoff_ms(1, 100, 2000, 100), 100);
    assert_int_equal(esdk_kms_backoff_ms(1, 100, 2000, 101), 0);
    assert_int_equal(esdk_kms_backoff_ms(3, 100, 2000, 400), 400);
    assert_int_equal(esdk_kms_backoff_ms(3, 100, 2000, 401), 0);
    assert_int_equal(esdk_kms_backoff_ms(9, 100, 2000, 2000), 2000);
    assert_int_equal(esdk_kms_backoff_ms(30, 100, 2000, 4000), 4000 % 2001);
    for (uint32_t r = 0; r < 100000; r += 997) {
        assert_true(esdk_kms_backoff_ms(2, 100, 2000, r) <= 200);
        assert_true(esdk_kms_backoff_ms(32, 100, 2000, r * 40503u) <= 2000);
    }
    assert_int_equal(esdk_kms_backoff_ms(5, 0, 0, 12345), 0);
}

/* ---- JSON bodies ---- */

static void test_request_bodies(void **state)
{
    (void)state;
    esdk_kms_options *o = NULL;
    esdk_enc_ctx *ctx = NULL;
    esdk_buf body = ESDK_BUF_INIT;
    assert_int_equal(esdk_kms_options_new(&o), 0);
    assert_int_equal(esdk_kms_options_add_grant_token(o, "g1"), 0);
    assert_int_equal(esdk_enc_ctx_new(&ctx), 0);
    assert_int_equal(esdk_enc_ctx_set_str(ctx, "a\"b", "v\\1"), 0);
    assert_int_equal(esdk_enc_ctx_set_str(ctx, "\xc3\xa9", "x"), 0);
    esdk_kms_call call = {o, "arn:aws:kms:us-east-1:1:key/k", "us-east-1", "aws", ctx};

    assert_int_equal(
        esdk_kms_json_request(ESDK_KMS_GENERATE_DATA_KEY, &call, 32, NULL, 0, &body), 0);
    cJSON *j = cJSON_ParseWithLength((const char *)body.data, body.len);
    assert_non_null(j);
    assert_string_equal(cJSON_GetObjectItem(j, "KeyId")->valuestring, call.key_id);
    assert_int_equal(cJSON_GetObjectItem(j, "NumberOfBytes")->valueint, 32);
    const cJSON *ec = cJSON_GetObjectItem(j, "EncryptionContext");
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(ec, "a\"b")->valuestring, "v\\1");
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(ec, "\xc3\xa9")->valuestring, "x");
    assert_string_equal(
        cJSON_GetArrayItem(cJSON_GetObjectItem(j, "GrantTokens"), 0)->valuestring, "g1");
    assert_null(cJSON_GetObjectItem(j, "Plaintext"));
    cJSON_Delete(j);
    esdk_buf_release(&body);

    const uint8_t key[4] = {0xde, 0xad, 0xbe, 0xef};
    assert_int_equal(esdk_kms_json_request(ESDK_KMS_ENCRYPT, &call, 0, key, 4, &body), 0);
    j = cJSON_ParseWithLength((const char *)body.data, body.len);
    assert_string_equal(cJSON_GetObjectItem(j, "Plaintext")->valuestring, "3q2+7w==");
    assert_null(cJSON_GetObjectItem(j, "NumberOfBytes"));
    cJSON_Delete(j);
    esdk_buf_release(&body);

    call.context = NULL;
    assert_int_equal(esdk_kms_json_request(ESDK_KMS_DECRYPT, &call, 0, key, 4, &body), 0);
    j = cJSON_ParseWithLength((const char *)body.data, body.len);
    assert_string_equal(cJSON_GetObjectItem(j, "CiphertextBlob")->valuestring, "3q2+7w==");
    assert_null(cJSON_GetObjectItem(j, "EncryptionContext"));
    cJSON_Delete(j);
    esdk_buf_release(&body);

    /* a context with a NUL cannot be sent (JSON strings here are C strings) */
    assert_int_equal(esdk_enc_ctx_set(ctx, (const uint8_t *)"k", 1, (const uint8_t *)"a\0b", 3), 0);
    call.context = ctx;
    assert_int_equal(
        esdk_kms_json_request(ESDK_KMS_DECRYPT, &call, 0, key, 4, &body), ESDK_ERR_BAD_CONTEXT);
    esdk_buf_release(&body);
    esdk_enc_ctx_release(ctx);
    esdk_kms_options_release(o);
}

static int parse_answer(esdk_kms_op op, const char *text, esdk_kms_result *r)
{
    return esdk_kms_json_response(op, (const uint8_t *)text, strlen(text), r);
}

static void test_answers(void **state)
{
    (void)state;
    esdk_kms_result r = ESDK_KMS_RESULT_INIT;
    assert_int_equal(
        parse_answer(
            ESDK_KMS_GENERATE_DATA_KEY,
            "{\"CiphertextBlob\":\"AQID\",\"Plaintext\":\"3q2+7w==\","
            "\"KeyId\":\"arn:k\",\"KeyMaterialId\":\"new-member\"}",
            &r),
        0);
    assert_int_equal(r.ciphertext.len, 3);
    assert_int_equal(r.plaintext.len, 4);
    assert_int_equal(r.plaintext.data[0], 0xde);
    assert_string_equal(r.key_id, "arn:k");
    esdk_kms_result_release(&r);
    assert_int_equal(
        parse_answer(ESDK_KMS_ENCRYPT, "{\"CiphertextBlob\":\"AQID\",\"KeyId\":\"k\"}", &r), 0);
    assert_int_equal(r.plaintext.len, 0);
    esdk_kms_result_release(&r);
    const char *bad[] = {
        "{\"Plaintext\":\"3q2+7w==\"}",             /* no KeyId */
        "{\"Plaintext\":\"%%%%\",\"KeyId\":\"k\"}", /* not base64 */
        "{\"Plaintext\":\"\",\"KeyId\":\"k\"}",     /* empty */
        "{\"Plaintext\":7,\"KeyId\":\"k\"}",        /* not a string */
        "[]",
        "not json",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(parse_answer(ESDK_KMS_DECRYPT, bad[i], &r), ESDK_ERR_KEYRING);
        esdk_kms_result_release(&r);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_endpoints),
        cmocka_unit_test(test_host_values),
        cmocka_unit_test(test_profile_reader),
        cmocka_unit_test(test_credentials_chain),
        cmocka_unit_test(test_options),
        cmocka_unit_test(test_error_parsing),
        cmocka_unit_test(test_error_codes),
        cmocka_unit_test(test_retry_policy),
        cmocka_unit_test(test_request_bodies),
        cmocka_unit_test(test_answers),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
