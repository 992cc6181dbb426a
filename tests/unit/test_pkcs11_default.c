/* scripts/hsm-init.sh and the library's default configuration: the script makes the default
 * token under a temporary XDG_DATA_HOME (never the user's), the default configuration finds
 * it with no other setting, and a second run keeps the token and its key. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include <aws-esdk-c/esdk.h>
#include <aws-esdk-c/keyrings/pkcs11.h>

#include "support/hsm_fixture.h"
#include "support/test_support.h"

static hsm_fixture fx;
static char script[1024];
static char xdg[700];

static int setup(void **state)
{
    (void)state;
    /* this file is tests/unit/test_pkcs11_default.c; the script is scripts/hsm-init.sh */
    snprintf(script, sizeof script, "%s", __FILE__);
    char *cut = strstr(script, "tests/unit/test_pkcs11_default.c");
    if (!cut) {
        return -1;
    }
    snprintf(cut, sizeof script - (size_t)(cut - script), "scripts/hsm-init.sh");
    if (hsm_fixture_init(&fx) != 0) {
        return -1;
    }
    snprintf(xdg, sizeof xdg, "%s/xdg-data", fx.dir);
    /* the default configuration must find its own conf: no SOFTHSM2_CONF from the fixture */
    unsetenv("SOFTHSM2_CONF");
    setenv("XDG_DATA_HOME", xdg, 1);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    hsm_fixture_cleanup(&fx);
    return 0;
}

/* Run the script; its output goes to out (a file in the fixture dir). */
static int run_script(const char *out)
{
    char cmd[3000];
    snprintf(
        cmd,
        sizeof cmd,
        "env -u SOFTHSM2_CONF XDG_DATA_HOME='%s' sh '%s' >'%s' 2>&1",
        xdg,
        script,
        out);
    return system(cmd);
}

static void assert_mode(const char *path, unsigned mode)
{
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    if ((st.st_mode & 0777) != mode) {
        fail_msg("%s has mode %o, not %o", path, st.st_mode & 0777, mode);
    }
}

static esdk_keyring *default_keyring(void)
{
    esdk_pkcs11_config *c = NULL;
    assert_int_equal(esdk_pkcs11_config_new_default(&c), 0);
    esdk_keyring *kr = NULL;
    int rc = esdk_keyring_pkcs11_new(c, &kr);
    if (rc != 0) {
        fail_msg("default keyring: %s: %s", esdk_error_name(rc), esdk_last_error_detail());
    }
    esdk_pkcs11_config_release(c);
    return kr;
}

/* spec: keyring-pkcs11-6 */
static void init_then_use_with_defaults(void **state)
{
    (void)state;
    char out1[800], out2[800];
    snprintf(out1, sizeof out1, "%s/init1.txt", fx.dir);
    snprintf(out2, sizeof out2, "%s/init2.txt", fx.dir);
    assert_int_equal(run_script(out1), 0);

    esdk_pkcs11_defaults d;
    assert_int_equal(esdk_pkcs11_default_paths(&d), 0);
    assert_mode(d.store_dir, 0700);
    assert_mode(d.softhsm_conf, 0600);
    assert_mode(d.pin_file, 0600);
    char tokens[ESDK_PKCS11_PATH_MAX + 16];
    snprintf(tokens, sizeof tokens, "%s/tokens", d.store_dir);
    assert_mode(tokens, 0700);

    /* the script never prints the PIN */
    size_t pin_len = 0, out_len = 0;
    uint8_t *pin = test_read_file(d.pin_file, &pin_len);
    uint8_t *text = test_read_file(out1, &out_len);
    assert_non_null(pin);
    assert_non_null(text);
    assert_true(pin_len >= 16);
    char pin_str[300] = {0}, text_str[4096] = {0};
    memcpy(pin_str, pin, pin_len - 1); /* without the newline */
    memcpy(text_str, text, out_len < sizeof text_str - 1 ? out_len : sizeof text_str - 1);
    assert_non_null(strstr(text_str, "created"));
    assert_null(strstr(text_str, pin_str));
    free(pin);
    free(text);

    /* no setting at all: the library finds module, conf, token, key and PIN */
    assert_null(getenv("SOFTHSM2_CONF"));
    esdk_keyring *kr = default_keyring();
    assert_string_equal(getenv("SOFTHSM2_CONF"), d.softhsm_conf);
    esdk_buf msg = ESDK_BUF_INIT;
    assert_int_equal(hsm_encrypt(kr, &msg), 0);
    assert_int_equal(hsm_decrypt(kr, &msg), 0);
    esdk_keyring_release(kr);

    /* a second run keeps the token and its key: the message still decrypts */
    assert_int_equal(run_script(out2), 0);
    text = test_read_file(out2, &out_len);
    assert_non_null(text);
    memset(text_str, 0, sizeof text_str);
    memcpy(text_str, text, out_len < sizeof text_str - 1 ? out_len : sizeof text_str - 1);
    assert_non_null(strstr(text_str, "already exists"));
    assert_non_null(strstr(text_str, d.store_dir));
    free(text);
    kr = default_keyring();
    assert_int_equal(hsm_decrypt(kr, &msg), 0);
    esdk_keyring_release(kr);
    esdk_buf_release(&msg);
}

int main(void)
{
    int skip = hsm_skip_if_missing("test_pkcs11_default");
    if (skip >= 0) {
        return skip;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(init_then_use_with_defaults),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
