/* AWS KMS identifiers (keyrings/kms/arn.c) against spec-facts 3.5 / kms-facts 7: ARN
 * validation, multi-Region key detection, "MRK match for decrypt", "MRKs are unique", the
 * region rewrite of the MRK discovery keyring, and host-name-safe region names. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <aws-esdk-c/error.h>
#include <aws-esdk-c/keyrings/kms.h>

#include "common/mem.h"
#include "keyrings/kms/arn.h"

#define KEY_E1 "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
#define MRK_E1 "arn:aws:kms:us-east-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab"
#define MRK_W2 "arn:aws:kms:us-west-2:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab"

static bool valid(const char *s)
{
    esdk_kms_arn arn;
    return esdk_kms_arn_parse(s, strlen(s), &arn);
}

static bool span_is(esdk_kms_span s, const char *text)
{
    return s.len == strlen(text) && memcmp(s.ptr, text, s.len) == 0;
}

static void test_valid_arns(void **state)
{
    (void)state;
    esdk_kms_arn arn;
    assert_true(esdk_kms_arn_parse(KEY_E1, strlen(KEY_E1), &arn));
    assert_true(span_is(arn.partition, "aws"));
    assert_true(span_is(arn.service, "kms"));
    assert_true(span_is(arn.region, "us-east-1"));
    assert_true(span_is(arn.account, "111122223333"));
    assert_true(span_is(arn.resource_type, "key"));
    assert_true(span_is(arn.resource_id, "1234abcd-12ab-34cd-56ef-1234567890ab"));
    /* split at the first '/': later ones belong to the id */
    const char *slashes = "arn:aws-cn:kms:cn-north-1:1:alias/team/app";
    assert_true(esdk_kms_arn_parse(slashes, strlen(slashes), &arn));
    assert_true(span_is(arn.resource_type, "alias"));
    assert_true(span_is(arn.resource_id, "team/app"));
    assert_false(esdk_kms_arn_parse_key(slashes, strlen(slashes), &arn));
    assert_true(esdk_kms_arn_parse_key(MRK_W2, strlen(MRK_W2), &arn));
    assert_true(esdk_kms_arn_is_valid(KEY_E1));
}

static void test_invalid_arns(void **state)
{
    (void)state;
    const char *bad[] = {
        "",
        "arn:aws:kms:us-east-1:111122223333",         /* five parts */
        "arn:aws:kms:us-east-1:111122223333:key/a:b", /* seven parts */
        "aws:aws:kms:us-east-1:111122223333:key/a",   /* not "arn" */
        "arn::kms:us-east-1:111122223333:key/a",      /* empty partition */
        "arn:aws:s3:us-east-1:111122223333:key/a",    /* not kms */
        "arn:aws:kms::111122223333:key/a",            /* empty region */
        "arn:aws:kms:us-east-1::key/a",               /* empty account */
        "arn:aws:kms:us-east-1:111122223333:key",     /* no '/' */
        "arn:aws:kms:us-east-1:111122223333:key/",    /* empty id */
        "arn:aws:kms:us-east-1:111122223333:grant/a", /* unknown type */
        "arn:aws:kms:us-east-1:111122223333:/a",      /* empty type */
        "1234abcd-12ab-34cd-56ef-1234567890ab",       /* a bare key id */
        "alias/my-key",                               /* an alias name */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (valid(bad[i])) {
            fail_msg("accepted as an ARN: \"%s\"", bad[i]);
        }
    }
    const char with_nul[] = "arn:aws:kms:us-east-1:1:key/a\0b";
    esdk_kms_arn arn;
    assert_false(esdk_kms_arn_parse(with_nul, sizeof with_nul - 1, &arn));
    assert_false(esdk_kms_arn_is_valid(NULL));
}

static void test_is_mrk(void **state)
{
    (void)state;
    assert_true(esdk_kms_is_mrk(MRK_E1));
    assert_true(esdk_kms_is_mrk("mrk-1234abcd12ab34cd56ef1234567890ab"));
    assert_false(esdk_kms_is_mrk(KEY_E1));
    assert_false(esdk_kms_is_mrk("arn:aws:kms:us-east-1:111122223333:alias/mrk-looks-like-one"));
    assert_false(esdk_kms_is_mrk("alias/mrk-looks-like-one"));
    assert_false(esdk_kms_is_mrk("1234abcd-12ab-34cd-56ef-1234567890ab"));
    assert_false(esdk_kms_is_mrk("arn:aws:kms:us-east-1:key/mrk-1")); /* not a valid ARN */
    assert_false(esdk_kms_is_mrk(NULL));
}

static void test_mrk_match(void **state)
{
    (void)state;
    assert_true(esdk_kms_mrk_match(MRK_E1, MRK_W2));
    assert_true(esdk_kms_mrk_match(KEY_E1, KEY_E1));
    assert_true(esdk_kms_mrk_match("alias/x", "alias/x")); /* identical strings */
    /* single-Region keys never match across regions */
    assert_false(esdk_kms_mrk_match(
        KEY_E1, "arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"));
    assert_false(esdk_kms_mrk_match(MRK_E1, KEY_E1));
    /* everything but the region must agree */
    assert_false(esdk_kms_mrk_match(
        MRK_E1, "arn:aws:kms:us-west-2:444455556666:key/mrk-1234abcd12ab34cd56ef1234567890ab"));
    assert_false(esdk_kms_mrk_match(
        MRK_E1, "arn:aws-cn:kms:cn-north-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab"));
    assert_false(esdk_kms_mrk_match(
        MRK_E1, "arn:aws:kms:us-west-2:111122223333:key/mrk-ffffabcd12ab34cd56ef1234567890ab"));
    /* a bare MRK id matches only itself */
    assert_false(esdk_kms_mrk_match(MRK_E1, "mrk-1234abcd12ab34cd56ef1234567890ab"));
    assert_false(esdk_kms_mrk_match(NULL, MRK_E1));
}

static void test_mrks_unique(void **state)
{
    (void)state;
    const char *none[] = {KEY_E1, "alias/x", "arn:aws:kms:us-east-1:1:alias/mrk-x"};
    assert_int_equal(esdk_kms_mrks_unique(none, 3), 0);
    const char *distinct[] = {
        MRK_E1,
        "arn:aws:kms:us-west-2:111122223333:key/mrk-ffffabcd12ab34cd56ef1234567890ab",
        KEY_E1};
    assert_int_equal(esdk_kms_mrks_unique(distinct, 3), 0);
    const char *dup[] = {KEY_E1, MRK_E1, "alias/x", MRK_W2};
    assert_int_equal(esdk_kms_mrks_unique(dup, 4), ESDK_ERR_BAD_ARGUMENT);
    const char *detail = esdk_last_error_detail();
    assert_non_null(strstr(detail, MRK_E1));
    assert_non_null(strstr(detail, MRK_W2));
    assert_null(strstr(detail, KEY_E1));
    const char *bare[] = {"mrk-1234abcd12ab34cd56ef1234567890ab", MRK_W2};
    assert_int_equal(esdk_kms_mrks_unique(bare, 2), ESDK_ERR_BAD_ARGUMENT);
    const char *same_twice[] = {MRK_E1, MRK_E1};
    assert_int_equal(esdk_kms_mrks_unique(same_twice, 2), ESDK_ERR_BAD_ARGUMENT);
    assert_int_equal(esdk_kms_mrks_unique(NULL, 0), 0);
}

static void test_region_rewrite(void **state)
{
    (void)state;
    esdk_kms_arn arn;
    assert_true(esdk_kms_arn_parse(MRK_E1, strlen(MRK_E1), &arn));
    char *s = esdk_kms_arn_with_region(&arn, "us-west-2");
    assert_string_equal(s, MRK_W2);
    esdk_str_release(s);
}

static void test_safe_names(void **state)
{
    (void)state;
    const char *good[] = {"us-east-1", "cn-north-1", "us-gov-west-1", "aws", "aws-iso-b", "a"};
    const char *bad[] = {
        "",
        "US-east-1",
        "us-east-1.",
        "us-east-1/x",
        "us east",
        "-east",
        "us-east-",
        "1us",
        "us-east-1:80",
        "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijkl"};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        assert_true(esdk_kms_name_is_safe(good[i], strlen(good[i])));
    }
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (esdk_kms_name_is_safe(bad[i], strlen(bad[i]))) {
            fail_msg("accepted as a region: \"%s\"", bad[i]);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_arns),
        cmocka_unit_test(test_invalid_arns),
        cmocka_unit_test(test_is_mrk),
        cmocka_unit_test(test_mrk_match),
        cmocka_unit_test(test_mrks_unique),
        cmocka_unit_test(test_region_rewrite),
        cmocka_unit_test(test_safe_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
