/* PKCS#11 keyring failures: each wrong or missing setting gives its own code and a sentence
 * that names what is wrong, and never the PIN. */
#include <dlfcn.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <p11-kit/pkcs11.h>

#include <aws-esdk-c/esdk.h>
#include <aws-esdk-c/keyrings/pkcs11.h>

#include "support/hsm_fixture.h"

#define WRONG_PIN "9955-wrong-7711"

static hsm_fixture fx;

static int setup(void **state)
{
    (void)state;
    if (hsm_fixture_init(&fx) != 0 || hsm_token_init(&fx, "esdk-err", HSM_PIN) != 0 ||
        hsm_aes_keygen(&fx, "esdk-err", "aes-gen", "a1") != 0 ||
        hsm_aes_keygen(&fx, "esdk-err", "aes-dup", "d1") != 0 ||
        hsm_aes_keygen(&fx, "esdk-err", "aes-dup", "d2") != 0) {
        return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    hsm_fixture_cleanup(&fx);
    return 0;
}

/* Neither PIN may appear in a detail text. spec: secret-2 */
static void assert_no_pin(const char *text)
{
    assert_null(strstr(text, HSM_PIN));
    assert_null(strstr(text, WRONG_PIN));
}

/* Construct a keyring expected to fail with code and a detail holding want. */
static void expect_failure(esdk_pkcs11_config *c, int code, const char *want)
{
    esdk_keyring *kr = NULL;
    int rc = esdk_keyring_pkcs11_new(c, &kr);
    const char *detail = esdk_last_error_detail();
    if (rc != code || !strstr(detail, want)) {
        fail_msg(
            "expected %s with \"%s\", got %s: %s",
            esdk_error_name(code),
            want,
            esdk_error_name(rc),
            detail);
    }
    assert_null(kr);
    assert_no_pin(detail);
    esdk_pkcs11_config_release(c);
}

/* spec: keyring-pkcs11-2 */
static void missing_module(void **state)
{
    (void)state;
    esdk_pkcs11_config *c = hsm_config(&fx, "esdk-err", "aes-gen");
    assert_int_equal(esdk_pkcs11_config_set_module(c, "/nonexistent/libnope-pkcs11.so"), 0);
    expect_failure(
        c, ESDK_ERR_UNAVAILABLE, "cannot load PKCS#11 module /nonexistent/libnope-pkcs11.so: ");
}

static void not_a_module(void **state)
{
    (void)state;
    esdk_pkcs11_config *c = hsm_config(&fx, "esdk-err", "aes-gen");
    assert_int_equal(esdk_pkcs11_config_set_module(c, "libc.so.6"), 0);
    expect_failure(c, ESDK_ERR_UNAVAILABLE, "has no C_GetFunctionList");
}

/* spec: keyring-pkcs11-2 */
static void missing_token(void **state)
{
    (void)state;
    esdk_pkcs11_config *c = hsm_config(&fx, "no-such-token", "aes-gen");
    expect_failure(c, ESDK_ERR_UNAVAILABLE, "no token labelled 'no-such-token'");
    assert_non_null(strstr(esdk_last_error_detail(), "'esdk-err'")); /* lists what is there */

    c = hsm_config(&fx, "esdk-err", "aes-gen");
    assert_int_equal(esdk_pkcs11_config_set_slot_id(c, 4242), 0);
    expect_failure(c, ESDK_ERR_UNAVAILABLE, "no initialized token in slot 4242");
}

/* The token's slot id, read through the module directly (then finalized again). */
static unsigned long slot_of(const char *label)
{
    void *dl = dlopen(fx.module, RTLD_NOW | RTLD_LOCAL);
    assert_non_null(dl);
    CK_C_GetFunctionList get;
    void *sym = dlsym(dl, "C_GetFunctionList");
    assert_non_null(sym);
    memcpy(&get, &sym, sizeof get);
    CK_FUNCTION_LIST_PTR fn;
    assert_int_equal(get(&fn), CKR_OK);
    assert_int_equal(fn->C_Initialize(NULL), CKR_OK);
    CK_SLOT_ID slots[16];
    CK_ULONG n = 16;
    unsigned long found = 0;
    assert_int_equal(fn->C_GetSlotList(CK_TRUE, slots, &n), CKR_OK);
    for (CK_ULONG i = 0; i < n; i++) {
        CK_TOKEN_INFO info;
        if (fn->C_GetTokenInfo(slots[i], &info) == CKR_OK &&
            strncmp((const char *)info.label, label, strlen(label)) == 0 &&
            info.label[strlen(label)] == ' ') {
            found = slots[i];
        }
    }
    assert_int_equal(fn->C_Finalize(NULL), CKR_OK);
    dlclose(dl);
    assert_int_not_equal(found, 0);
    return found;
}

static void token_by_slot_id(void **state)
{
    (void)state;
    esdk_pkcs11_config *c = hsm_config(&fx, "esdk-err", "aes-gen");
    assert_int_equal(esdk_pkcs11_config_set_slot_id(c, slot_of("esdk-err")), 0);
    esdk_keyring *kr = NULL;
    assert_int_equal(esdk_keyring_pkcs11_new(c, &kr), 0);
    esdk_pkcs11_config_release(c);
    esdk_buf msg = ESDK_BUF_INIT;
    assert_int_equal(hsm_encrypt(kr, &msg), 0);
    assert_int_equal(hsm_decrypt(kr, &msg), 0);
    esdk_buf_release(&msg);
    esdk_keyring_release(kr);
}

/* spec: keyring-pkcs11-2 */
static void missing_key(void **state)
{
    (void)state;
    esdk_pkcs11_config *c = hsm_config(&fx, "esdk-err", "no-such-key");
    expect_failure(c, ESDK_ERR_BAD_KEY, "no AES or RSA key labelled 'no-such-key' in token");

    c = hsm_config(&fx, "esdk-err", "no-such-key");
    assert_int_equal(esdk_pkcs11_config_set_key_type(c, ESDK_PKCS11_KEY_AES), 0);
    expect_failure(c, ESDK_ERR_BAD_KEY, "no AES key labelled 'no-such-key' in token 'esdk-err'");

    c = hsm_config(&fx, "esdk-err", "aes-gen");
    assert_int_equal(esdk_pkcs11_config_set_option(c, "key-id", "ff"), 0);
    expect_failure(c, ESDK_ERR_BAD_KEY, "labelled 'aes-gen' with id ff");

    /* two keys with one label: refused until the id says which */
    c = hsm_config(&fx, "esdk-err", "aes-dup");
    expect_failure(c, ESDK_ERR_BAD_KEY, "several AES keys labelled 'aes-dup'");
    c = hsm_config(&fx, "esdk-err", "aes-dup");
    assert_int_equal(esdk_pkcs11_config_set_option(c, "key-id", "d2"), 0);
    esdk_keyring *kr = NULL;
    assert_int_equal(esdk_keyring_pkcs11_new(c, &kr), 0);
    esdk_pkcs11_config_release(c);
    esdk_keyring_release(kr);
}

/* spec: keyring-pkcs11-2 */
static void wrong_pin(void **state)
{
    (void)state;
    esdk_pkcs11_config *c = hsm_config(&fx, "esdk-err", "aes-gen");
    assert_int_equal(
        esdk_pkcs11_config_set_pin(c, (const uint8_t *)WRONG_PIN, strlen(WRONG_PIN)), 0);
    expect_failure(c, ESDK_ERR_ACCESS_DENIED, "login to token 'esdk-err'");
    assert_non_null(strstr(esdk_last_error_detail(), "failed: CKR_PIN_INCORRECT"));
}

static void pin_from_env(void **state)
{
    (void)state;
    esdk_pkcs11_config *c = hsm_config(&fx, "esdk-err", "aes-gen");
    assert_int_equal(esdk_pkcs11_config_set_pin_env(c, "ESDK_TEST_PIN_UNSET_VAR"), 0);
    unsetenv("ESDK_TEST_PIN_UNSET_VAR");
    expect_failure(
        c,
        ESDK_ERR_ACCESS_DENIED,
        "no PIN: the environment variable ESDK_TEST_PIN_UNSET_VAR is not set");

    setenv("ESDK_TEST_PIN_VAR", WRONG_PIN, 1);
    c = hsm_config(&fx, "esdk-err", "aes-gen");
    assert_int_equal(esdk_pkcs11_config_set_pin_env(c, "ESDK_TEST_PIN_VAR"), 0);
    expect_failure(
        c,
        ESDK_ERR_ACCESS_DENIED,
        "with the PIN from environment variable ESDK_TEST_PIN_VAR failed: "
        "CKR_PIN_INCORRECT");

    /* the default source is $ESDK_PKCS11_PIN */
    setenv(ESDK_PKCS11_PIN_ENV_DEFAULT, HSM_PIN, 1);
    c = hsm_config(&fx, "esdk-err", "aes-gen");
    assert_int_equal(esdk_pkcs11_config_set_pin_env(c, ESDK_PKCS11_PIN_ENV_DEFAULT), 0);
    esdk_keyring *kr = NULL;
    assert_int_equal(esdk_keyring_pkcs11_new(c, &kr), 0);
    esdk_pkcs11_config_release(c);
    esdk_keyring_release(kr);
    unsetenv(ESDK_PKCS11_PIN_ENV_DEFAULT);
    unsetenv("ESDK_TEST_PIN_VAR");
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void pin_from_file(void **state)
{
    (void)state;
    char good[700], bad[700], missing[700];
    snprintf(good, sizeof good, "%s/pin-good.txt", fx.dir);
    snprintf(bad, sizeof bad, "%s/pin-bad.txt", fx.dir);
    snprintf(missing, sizeof missing, "%s/pin-missing.txt", fx.dir);
    write_file(good, HSM_PIN "\n");
    write_file(bad, WRONG_PIN "\r\n");

    esdk_pkcs11_config *c = hsm_config(&fx, "esdk-err", "aes-gen");
    assert_int_equal(esdk_pkcs11_config_set_option(c, "pin-file", good), 0);
    esdk_keyring *kr = NULL;
    assert_int_equal(esdk_keyring_pkcs11_new(c, &kr), 0);
    esdk_pkcs11_config_release(c);
    esdk_keyring_release(kr);

    c = hsm_config(&fx, "esdk-err", "aes-gen");
    assert_int_equal(esdk_pkcs11_config_set_pin_file(c, bad), 0);
    expect_failure(c, ESDK_ERR_ACCESS_DENIED, "CKR_PIN_INCORRECT");
    assert_non_null(strstr(esdk_last_error_detail(), "pin-bad.txt"));

    c = hsm_config(&fx, "esdk-err", "aes-gen");
    assert_int_equal(esdk_pkcs11_config_set_pin_file(c, missing), 0);
    expect_failure(c, ESDK_ERR_ACCESS_DENIED, "cannot read the PIN file");
}

/* A lazy keyring with a wrong PIN tries C_Login once, not on every use (a token locks its PIN
 * after a few wrong tries), and tries again once the PIN source holds another PIN. */
static CK_FUNCTION_LIST counting;
static CK_FUNCTION_LIST_PTR real;
static int logins;

static CK_RV
counting_login(CK_SESSION_HANDLE s, CK_USER_TYPE user, CK_UTF8CHAR_PTR pin, CK_ULONG len)
{
    logins++;
    return real->C_Login(s, user, pin, len);
}

static unsigned long counting_get_function_list(void **out)
{
    if (!real) {
        void *dl = dlopen(fx.module, RTLD_NOW | RTLD_LOCAL);
        CK_C_GetFunctionList get;
        void *sym = dl ? dlsym(dl, "C_GetFunctionList") : NULL;
        if (!sym) {
            return CKR_GENERAL_ERROR;
        }
        memcpy(&get, &sym, sizeof get);
        CK_RV rv = get(&real);
        if (rv != CKR_OK) {
            return rv;
        }
        counting = *real;
        counting.C_Login = counting_login;
    }
    *out = &counting;
    return CKR_OK;
}

/* spec: keyring-pkcs11-3 */
static void refused_pin_not_retried(void **state)
{
    (void)state;
    esdk_pkcs11_config *c = hsm_config(&fx, "esdk-err", "aes-gen");
    assert_int_equal(esdk_pkcs11_config_set_module_entry(c, counting_get_function_list), 0);
    assert_int_equal(esdk_pkcs11_config_set_pin_env(c, "ESDK_TEST_LAZY_PIN"), 0);
    assert_int_equal(esdk_pkcs11_config_set_connect(c, ESDK_PKCS11_CONNECT_LAZY), 0);
    setenv("ESDK_TEST_LAZY_PIN", WRONG_PIN, 1);
    esdk_keyring *kr = NULL;
    assert_int_equal(esdk_keyring_pkcs11_new(c, &kr), 0);
    esdk_pkcs11_config_release(c);
    logins = 0;
    esdk_buf msg = ESDK_BUF_INIT;
    assert_int_equal(hsm_encrypt(kr, &msg), ESDK_ERR_ACCESS_DENIED);
    assert_non_null(strstr(esdk_last_error_detail(), "CKR_PIN_INCORRECT"));
    assert_no_pin(esdk_last_error_detail());
    assert_int_equal(hsm_encrypt(kr, &msg), ESDK_ERR_ACCESS_DENIED);
    assert_non_null(strstr(esdk_last_error_detail(), "not tried again"));
    assert_no_pin(esdk_last_error_detail());
    assert_int_equal(logins, 1);
    char detail[512];
    assert_int_equal(
        esdk_keyring_pkcs11_last_failure(kr, detail, sizeof detail), ESDK_ERR_ACCESS_DENIED);
    assert_no_pin(detail);

    setenv("ESDK_TEST_LAZY_PIN", HSM_PIN, 1);
    assert_int_equal(hsm_encrypt(kr, &msg), 0);
    assert_int_equal(logins, 2);
    assert_int_equal(esdk_keyring_pkcs11_last_failure(kr, NULL, 0), 0);
    assert_int_equal(hsm_decrypt(kr, &msg), 0);
    esdk_buf_release(&msg);
    esdk_keyring_release(kr);
    unsetenv("ESDK_TEST_LAZY_PIN");
}

int main(void)
{
    int skip = hsm_skip_if_missing("test_pkcs11_errors");
    if (skip >= 0) {
        return skip;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(missing_module),
        cmocka_unit_test(not_a_module),
        cmocka_unit_test(missing_token),
        cmocka_unit_test(token_by_slot_id),
        cmocka_unit_test(missing_key),
        cmocka_unit_test(wrong_pin),
        cmocka_unit_test(pin_from_env),
        cmocka_unit_test(pin_from_file),
        cmocka_unit_test(refused_pin_not_retried),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
