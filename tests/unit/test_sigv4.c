/* Our AWS Signature Version 4 signer (keyrings/kms/sigv4.c) against published values:
 *  - the signing-key example of the AWS General Reference page "Examples of how to derive a
 *    signing key for Signature Version 4"
 *    (https://docs.aws.amazon.com/general/latest/gr/signature-v4-examples.html): secret
 *    wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY, 20120215, us-east-1, iam;
 *  - cases of the AWS "Signature Version 4 Test Suite" (formerly
 *    https://docs.aws.amazon.com/general/latest/gr/signature-v4-test-suite.html; the same
 *    files are kept in awslabs/aws-c-auth tests/aws-signing-test-suite/v4/): credentials
 *    AKIDEXAMPLE / wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY, 20150830T123600Z, us-east-1,
 *    service "service". Expected canonical requests, strings to sign and Authorization
 *    headers are copied from the suite's .creq, .sts and .authz/.sreq files. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <aws-esdk-c/error.h>

#include "keyrings/kms/sigv4.h"

#define AKID   "AKIDEXAMPLE"
#define SECRET "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
#define DATE   "20150830T123600Z"
#define CRED   "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "

static void hex(const uint8_t *p, size_t n, char *out)
{
    static const char d[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = d[p[i] >> 4];
        out[2 * i + 1] = d[p[i] & 15];
    }
    out[2 * n] = '\0';
}

static esdk_sigv4_request
suite_request(const char *method, const esdk_sigv4_header *headers, size_t count, const char *body)
{
    esdk_sigv4_request r = {
        .method = method,
        .path = "/",
        .query = "",
        .headers = headers,
        .header_count = count,
        .body = (const uint8_t *)body,
        .body_len = strlen(body),
        .amz_date = DATE,
        .region = "us-east-1",
        .service = "service",
    };
    return r;
}

static void expect_authorization(const esdk_sigv4_request *req, const char *expected)
{
    esdk_buf auth = ESDK_BUF_INIT;
    char sig[65];
    assert_int_equal(esdk_sigv4_authorization(req, AKID, SECRET, &auth, sig), 0);
    assert_int_equal(auth.len, strlen(expected));
    assert_memory_equal(auth.data, expected, auth.len);
    assert_string_equal(sig, strrchr(expected, '=') + 1);
    esdk_buf_release(&auth);
}

/* The AWS documentation's worked signing-key example (intermediate keys included). */
static void test_signing_key_documented_example(void **state)
{
    (void)state;
    uint8_t key[ESDK_SIGV4_KEY_LEN];
    char text[2 * ESDK_SIGV4_KEY_LEN + 1];
    assert_int_equal(esdk_sigv4_signing_key(SECRET, "20120215", "us-east-1", "iam", key), 0);
    hex(key, sizeof key, text);
    assert_string_equal(text, "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d");
}

/* Suite case post-x-www-form-urlencoded: every step (.creq, .sts, .authz). */
static void test_post_x_www_form_urlencoded(void **state)
{
    (void)state;
    const esdk_sigv4_header h[] = {
        {"Content-Type", "application/x-www-form-urlencoded"},
        {"Host", "example.amazonaws.com"},
        {"X-Amz-Date", DATE},
    };
    esdk_sigv4_request req = suite_request("POST", h, 3, "Param1=value1");
    const char *creq = "POST\n/\n\n"
                       "content-type:application/x-www-form-urlencoded\n"
                       "host:example.amazonaws.com\n"
                       "x-amz-date:20150830T123600Z\n\n"
                       "content-type;host;x-amz-date\n"
                       "9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e";
    const char *sts =
        "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n"
        "42a5e5bb34198acb3e84da4f085bb7927f2bc277ca766e6d19c73c2154021281";
    esdk_buf c = ESDK_BUF_INIT, names = ESDK_BUF_INIT, s = ESDK_BUF_INIT;
    assert_int_equal(esdk_sigv4_canonical_request(&req, &c, &names), 0);
    assert_int_equal(c.len, strlen(creq));
    assert_memory_equal(c.data, creq, c.len);
    assert_int_equal(names.len, strlen("content-type;host;x-amz-date"));
    assert_memory_equal(names.data, "content-type;host;x-amz-date", names.len);
    assert_int_equal(esdk_sigv4_string_to_sign(&req, c.data, c.len, &s), 0);
    assert_int_equal(s.len, strlen(sts));
    assert_memory_equal(s.data, sts, s.len);
    expect_authorization(
        &req,
        CRED "SignedHeaders=content-type;host;x-amz-date, "
             "Signature=ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d"
             "196a0fe09473a");
    esdk_buf_release(&c);
    esdk_buf_release(&names);
    esdk_buf_release(&s);
}

/* Suite case post-vanilla: empty body. */
static void test_post_vanilla(void **state)
{
    (void)state;
    const esdk_sigv4_header h[] = {{"Host", "example.amazonaws.com"}, {"X-Amz-Date", DATE}};
    esdk_sigv4_request req = suite_request("POST", h, 2, "");
    expect_authorization(
        &req,
        CRED "SignedHeaders=host;x-amz-date, Signature=5da7c1a2acd57cee7505fc"
             "6676e4e544621c30862966e37dddb68e92efbe5d6b");
}

/* Suite case post-sts-header-before: the session token is a signed header. */
static void test_post_sts_header_before(void **state)
{
    (void)state;
    const esdk_sigv4_header h[] = {
        {"Host", "example.amazonaws.com"},
        {"X-Amz-Date", DATE},
        {"X-Amz-Security-Token",
         "AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmx"
         "fpSPfIeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0K"
         "PkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZb"
         "qBAz+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA=="},
    };
    esdk_sigv4_request req = suite_request("POST", h, 3, "");
    expect_authorization(
        &req,
        CRED "SignedHeaders=host;x-amz-date;x-amz-security-token, "
             "Signature=85d96828115b5dc0cfc3bd16ad9e210dd772bbebba041836c645"
             "33a82be05ead");
}

/* Suite case post-header-key-sort: headers given out of order are signed sorted. */
static void test_post_header_key_sort(void **state)
{
    (void)state;
    const esdk_sigv4_header h[] = {
        {"X-Amz-Date", DATE},
        {"My-Header1", "value1"},
        {"Host", "example.amazonaws.com"},
    };
    esdk_sigv4_request req = suite_request("POST", h, 3, "");
    expect_authorization(
        &req,
        CRED "SignedHeaders=host;my-header1;x-amz-date, "
             "Signature=c5410059b04c1ee005303aed430f6e6645f61f4dc9e1461ec8f"
             "8916fdf18852c");
}

/* Suite case get-header-value-trim: values trimmed, inner runs of spaces collapsed. */
static void test_get_header_value_trim(void **state)
{
    (void)state;
    const esdk_sigv4_header h[] = {
        {"Host", "example.amazonaws.com"},
        {"My-Header1", " value1"},
        {"My-Header2", " \"a   b   c\""},
        {"X-Amz-Date", DATE},
    };
    esdk_sigv4_request req = suite_request("GET", h, 4, "");
    esdk_buf c = ESDK_BUF_INIT;
    assert_int_equal(esdk_sigv4_canonical_request(&req, &c, NULL), 0);
    assert_non_null(memmem(c.data, c.len, "my-header1:value1\nmy-header2:\"a b c\"\n", 37));
    esdk_buf_release(&c);
    expect_authorization(
        &req,
        CRED "SignedHeaders=host;my-header1;my-header2;x-amz-date, "
             "Signature=acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee"
             "359757a9c736");
}

static void test_date_format(void **state)
{
    (void)state;
    char d[ESDK_SIGV4_DATE_LEN];
    esdk_sigv4_format_date((time_t)1440938160, d);
    assert_string_equal(d, DATE);
    esdk_sigv4_format_date((time_t)1709251199, d);
    assert_string_equal(d, "20240229T235959Z");
}

static void test_refusals(void **state)
{
    (void)state;
    esdk_buf out = ESDK_BUF_INIT;
    const esdk_sigv4_header dup[] = {
        {"Host", "example.amazonaws.com"},
        {"host", "example.amazonaws.com"},
        {"X-Amz-Date", DATE},
    };
    esdk_sigv4_request req = suite_request("POST", dup, 3, "");
    assert_int_equal(esdk_sigv4_canonical_request(&req, &out, NULL), ESDK_ERR_BAD_ARGUMENT);
    const esdk_sigv4_header ok[] = {{"Host", "example.amazonaws.com"}, {"X-Amz-Date", DATE}};
    req = suite_request("POST", ok, 2, "");
    req.amz_date = "2015-08-30T12:36:00Z";
    assert_int_equal(esdk_sigv4_canonical_request(&req, &out, NULL), ESDK_ERR_BAD_ARGUMENT);
    req.amz_date = DATE;
    assert_int_equal(esdk_sigv4_authorization(&req, "", SECRET, &out, NULL), ESDK_ERR_BAD_ARGUMENT);
    esdk_buf_release(&out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_signing_key_documented_example),
        cmocka_unit_test(test_post_x_www_form_urlencoded),
        cmocka_unit_test(test_post_vanilla),
        cmocka_unit_test(test_post_sts_header_before),
        cmocka_unit_test(test_post_header_key_sort),
        cmocka_unit_test(test_get_header_value_trim),
        cmocka_unit_test(test_date_format),
        cmocka_unit_test(test_refusals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
