/* Regions: one SoftHSM2 token per region ("us-east-1", "eu-west-1"), each with its own AES key
 * generated inside it. A multi-keyring wraps every data key under each region's key; either
 * region alone decrypts; an unavailable region (module, token or PIN) is skipped on decrypt
 * and its failure can be read back; when every region fails, the error names each. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <aws-esdk-c/esdk.h>
#include <aws-esdk-c/keyrings/multi.h>
#include <aws-esdk-c/keyrings/pkcs11.h>

#include "support/hsm_fixture.h"

#define KEY_LABEL "esdk-region-key"

static hsm_fixture fx;
static esdk_buf message = ESDK_BUF_INIT; /* wrapped in both regions */

static int setup(void **state)
{
    (void)state;
    if (hsm_fixture_init(&fx) != 0) {
        return -1;
    }
    const char *regions[] = {"us-east-1", "eu-west-1"};
    for (int i = 0; i < 2; i++) {
        if (hsm_token_init(&fx, regions[i], HSM_PIN) != 0 ||
            hsm_aes_keygen(&fx, regions[i], KEY_LABEL, "a1") != 0) {
            return -1;
        }
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    esdk_buf_release(&message);
    hsm_fixture_cleanup(&fx);
    return 0;
}

/* A region's keyring; the EDK key name says which region. Lazy, so that a broken region can
 * be constructed and fail only when used. */
static esdk_pkcs11_config *region_config(const char *region)
{
    char name[64];
    esdk_pkcs11_config *c = hsm_config(&fx, region, KEY_LABEL);
    assert_non_null(c);
    snprintf(name, sizeof name, "%s/" KEY_LABEL, region);
    assert_int_equal(esdk_pkcs11_config_set_key_name(c, name), 0);
    assert_int_equal(esdk_pkcs11_config_set_connect(c, ESDK_PKCS11_CONNECT_LAZY), 0);
    return c;
}

static esdk_keyring *region(esdk_pkcs11_config *c)
{
    esdk_keyring *kr = NULL;
    assert_int_equal(esdk_keyring_pkcs11_new(c, &kr), 0);
    esdk_pkcs11_config_release(c);
    return kr;
}

static esdk_keyring *good_region(const char *name)
{
    return region(region_config(name));
}

enum breakage { MODULE_MISSING, TOKEN_MISSING, WRONG_PIN };

static esdk_keyring *broken_region(const char *name, enum breakage how)
{
    esdk_pkcs11_config *c = region_config(name);
    switch (how) {
        case MODULE_MISSING:
            assert_int_equal(esdk_pkcs11_config_set_module(c, "/nonexistent/libregion-hsm.so"), 0);
            break;
        case TOKEN_MISSING:
            /* the region's key name stays; only its token cannot be found */
            assert_int_equal(esdk_pkcs11_config_set_token_label(c, "gone-region"), 0);
            break;
        case WRONG_PIN:
            assert_int_equal(esdk_pkcs11_config_set_pin(c, (const uint8_t *)"0000-bad", 8), 0);
            break;
    }
    return region(c);
}

static esdk_keyring *multi(esdk_keyring *generator, esdk_keyring *a, esdk_keyring *b)
{
    esdk_keyring *children[2] = {a, b};
    esdk_keyring *m = NULL;
    assert_int_equal(esdk_keyring_multi_new(generator, children, b ? 2 : 1, &m), 0);
    return m;
}

static void wrap_in_both_regions(void **state)
{
    (void)state;
    esdk_keyring *us = good_region("us-east-1");
    esdk_keyring *eu = good_region("eu-west-1");
    esdk_keyring *both = multi(us, eu, NULL);
    assert_int_equal(hsm_encrypt(both, &message), 0);

    /* two EDKs, one per region, in order */
    esdk_enc_materials *em;
    assert_int_equal(
        esdk_enc_materials_new(ESDK_SUITE_AES_256_GCM_HKDF_SHA512_COMMIT_KEY, NULL, NULL, 0, &em),
        0);
    assert_int_equal(esdk_keyring_on_encrypt(both, em), 0);
    const esdk_edk_list *edks = esdk_enc_materials_edks(em);
    assert_int_equal(esdk_edk_list_count(edks), 2);
    esdk_edk edk;
    assert_int_equal(esdk_edk_list_get(edks, 0, &edk), 0);
    assert_memory_equal(edk.provider_info, "us-east-1/", 10);
    assert_int_equal(esdk_edk_list_get(edks, 1, &edk), 0);
    assert_memory_equal(edk.provider_info, "eu-west-1/", 10);
    esdk_enc_materials_release(em);

    esdk_keyring_release(both);
    esdk_keyring_release(eu);
    esdk_keyring_release(us);
}

/* spec: keyring-pkcs11-5 */
static void either_region_alone_decrypts(void **state)
{
    (void)state;
    assert_non_null(message.data);
    esdk_keyring *us = good_region("us-east-1");
    assert_int_equal(hsm_decrypt(us, &message), 0);
    esdk_keyring_release(us);
    esdk_keyring *eu = good_region("eu-west-1");
    assert_int_equal(hsm_decrypt(eu, &message), 0);
    esdk_keyring_release(eu);
}

/* The region keys differ: with the same EDK name everywhere, each keyring tries every EDK
 * with its name, and the wrong region's EDK fails its tag rather than the message. */
static void same_key_name_in_both_regions(void **state)
{
    (void)state;
    esdk_pkcs11_config *cu = hsm_config(&fx, "us-east-1", KEY_LABEL);
    esdk_pkcs11_config *ce = hsm_config(&fx, "eu-west-1", KEY_LABEL);
    esdk_keyring *us = region(cu), *eu = region(ce);
    esdk_keyring *both = multi(us, eu, NULL);
    esdk_buf msg = ESDK_BUF_INIT;
    assert_int_equal(hsm_encrypt(both, &msg), 0);
    assert_int_equal(hsm_decrypt(eu, &msg), 0); /* first EDK is us-east-1's: tag fails, next */
    assert_int_equal(hsm_decrypt(us, &msg), 0);
    esdk_buf_release(&msg);
    esdk_keyring_release(both);
    esdk_keyring_release(eu);
    esdk_keyring_release(us);
}

static void failover(enum breakage how, int code, const char *why)
{
    assert_non_null(message.data);
    esdk_keyring *us = broken_region("us-east-1", how);
    esdk_keyring *eu = good_region("eu-west-1");
    esdk_keyring *m = multi(NULL, us, eu);
    int rc = hsm_decrypt(m, &message);
    if (rc != 0) {
        fail_msg("failover: %s: %s", esdk_error_name(rc), esdk_last_error_detail());
    }
    char detail[512];
    assert_int_equal(esdk_keyring_pkcs11_last_failure(us, detail, sizeof detail), code);
    if (!strstr(detail, why) || !strstr(detail, "us-east-1")) {
        fail_msg("us-east-1 failure: \"%s\" does not say \"%s\"", detail, why);
    }
    assert_null(strstr(detail, HSM_PIN));
    assert_null(strstr(detail, "0000-bad"));
    assert_int_equal(esdk_keyring_pkcs11_last_failure(eu, NULL, 0), 0);
    esdk_keyring_release(m);
    esdk_keyring_release(eu);
    esdk_keyring_release(us);
}

static void failover_module_missing(void **state)
{
    (void)state;
    failover(
        MODULE_MISSING,
        ESDK_ERR_UNAVAILABLE,
        "cannot load PKCS#11 module /nonexistent/libregion-hsm.so");
}

static void failover_token_missing(void **state)
{
    (void)state;
    failover(TOKEN_MISSING, ESDK_ERR_UNAVAILABLE, "no token labelled 'gone-region'");
}

static void failover_wrong_pin(void **state)
{
    (void)state;
    failover(WRONG_PIN, ESDK_ERR_ACCESS_DENIED, "CKR_PIN_INCORRECT");
}

/* spec: keyring-pkcs11-5 */
static void all_regions_unavailable(void **state)
{
    (void)state;
    assert_non_null(message.data);
    esdk_keyring *us = broken_region("us-east-1", MODULE_MISSING);
    esdk_keyring *eu = broken_region("eu-west-1", WRONG_PIN);
    esdk_keyring *m = multi(NULL, us, eu);
    int rc = hsm_decrypt(m, &message);
    assert_int_equal(rc, ESDK_ERR_KEYRING); /* mixed causes */
    const char *detail = esdk_last_error_detail();
    if (!strstr(detail, "us-east-1") || !strstr(detail, "eu-west-1") ||
        !strstr(detail, "cannot load PKCS#11 module") || !strstr(detail, "CKR_PIN_INCORRECT")) {
        fail_msg("the error does not name each region: %s", detail);
    }
    assert_null(strstr(detail, "0000-bad"));
    esdk_keyring_release(m);
    esdk_keyring_release(eu);
    esdk_keyring_release(us);

    /* both unreachable: ESDK_ERR_UNAVAILABLE (worth retrying later) */
    us = broken_region("us-east-1", TOKEN_MISSING);
    eu = broken_region("eu-west-1", MODULE_MISSING);
    m = multi(NULL, us, eu);
    assert_int_equal(hsm_decrypt(m, &message), ESDK_ERR_UNAVAILABLE);
    detail = esdk_last_error_detail();
    if (!strstr(detail, "us-east-1") || !strstr(detail, "eu-west-1")) {
        fail_msg("the error does not name each region: %s", detail);
    }
    esdk_keyring_release(m);
    esdk_keyring_release(eu);
    esdk_keyring_release(us);
}

/* Encrypting needs every region: an unavailable one fails the message, by name. */
/* spec: keyring-pkcs11-5 */
static void encrypt_needs_every_region(void **state)
{
    (void)state;
    esdk_keyring *us = good_region("us-east-1");
    esdk_keyring *eu = broken_region("eu-west-1", TOKEN_MISSING);
    esdk_keyring *both = multi(us, eu, NULL);
    esdk_buf msg = ESDK_BUF_INIT;
    assert_int_equal(hsm_encrypt(both, &msg), ESDK_ERR_UNAVAILABLE);
    assert_non_null(strstr(esdk_last_error_detail(), "eu-west-1"));
    assert_int_equal(msg.len, 0);
    esdk_buf_release(&msg);
    esdk_keyring_release(both);
    esdk_keyring_release(eu);
    esdk_keyring_release(us);
}

int main(void)
{
    int skip = hsm_skip_if_missing("test_pkcs11_regions");
    if (skip >= 0) {
        return skip;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(wrap_in_both_regions),
        cmocka_unit_test(either_region_alone_decrypts),
        cmocka_unit_test(same_key_name_in_both_regions),
        cmocka_unit_test(failover_module_missing),
        cmocka_unit_test(failover_token_missing),
        cmocka_unit_test(failover_wrong_pin),
        cmocka_unit_test(all_regions_unavailable),
        cmocka_unit_test(encrypt_needs_every_region),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
