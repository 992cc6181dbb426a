/* The default token layout (scripts/hsm-init.sh): a SoftHSM2 store under the user's data
 * directory, its own softhsm2.conf, a PIN file, token "aws-esdk-default" and AES key
 * "aws-esdk-default-key". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <aws-esdk-c/error.h>
#include <aws-esdk-c/keyrings/pkcs11.h>

#include "common/status.h"
#include "keyrings/pkcs11/config.h"

/* last: poisons calls this library must not make */
#include "banned.h"

/* Where distributions put the SoftHSM2 module; the first that exists wins. */
static const char *const softhsm_paths[] = {
    "/usr/lib/softhsm/libsofthsm2.so", /* Debian, Ubuntu (a link to the multiarch path) */
    "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
    "/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so",
    "/usr/lib64/pkcs11/libsofthsm2.so", /* Fedora, RHEL */
    "/usr/lib/pkcs11/libsofthsm2.so",   /* Arch */
    "/usr/local/lib/softhsm/libsofthsm2.so",
    "/opt/homebrew/lib/softhsm/libsofthsm2.so",
};

void esdk_p11_default_module(char *out, size_t cap)
{
    const char *env = getenv(ESDK_PKCS11_MODULE_ENV);
    if (env && *env) {
        snprintf(out, cap, "%s", env);
        return;
    }
    for (size_t i = 0; i < sizeof softhsm_paths / sizeof softhsm_paths[0]; i++) {
        if (access(softhsm_paths[i], R_OK) == 0) {
            snprintf(out, cap, "%s", softhsm_paths[i]);
            return;
        }
    }
    snprintf(out, cap, "%s", softhsm_paths[0]);
}

static int put(char *dst, const char *a, const char *b)
{
    int n = snprintf(dst, ESDK_PKCS11_PATH_MAX, "%s%s", a, b);
    if (n < 0 || n >= ESDK_PKCS11_PATH_MAX) {
        return esdk_fail(ESDK_ERR_BAD_STATE, "the default PKCS#11 store path is too long");
    }
    return 0;
}

int esdk_pkcs11_default_paths(esdk_pkcs11_defaults *out)
{
    ESDK_ENSURE(out, ESDK_ERR_BAD_ARGUMENT);
    memset(out, 0, sizeof *out);
    const char *xdg = getenv("XDG_DATA_HOME");
    const char *home = getenv("HOME");
    if (xdg && xdg[0] == '/') {
        ESDK_TRY(put(out->store_dir, xdg, "/aws-esdk/softhsm"));
    } else if (home && *home) {
        ESDK_TRY(put(out->store_dir, home, "/.local/share/aws-esdk/softhsm"));
    } else {
        return esdk_fail(
            ESDK_ERR_BAD_STATE, "neither XDG_DATA_HOME nor HOME is set: no default PKCS#11 store");
    }
    ESDK_TRY(put(out->softhsm_conf, out->store_dir, "/softhsm2.conf"));
    ESDK_TRY(put(out->pin_file, out->store_dir, "/pin.txt"));
    esdk_p11_default_module(out->module_path, sizeof out->module_path);
    snprintf(out->token_label, sizeof out->token_label, "%s", ESDK_PKCS11_DEFAULT_TOKEN_LABEL);
    snprintf(out->key_label, sizeof out->key_label, "%s", ESDK_PKCS11_DEFAULT_KEY_LABEL);
    return 0;
}

int esdk_pkcs11_config_new_default(esdk_pkcs11_config **out)
{
    ESDK_ENSURE(out, ESDK_ERR_BAD_ARGUMENT);
    *out = NULL;
    esdk_pkcs11_defaults d;
    esdk_pkcs11_config *cfg = NULL;
    int rc;
    ESDK_TRY(esdk_pkcs11_default_paths(&d));
    ESDK_TRY(esdk_pkcs11_config_new(&cfg));
    ESDK_TRY_GOTO(rc, esdk_pkcs11_config_set_module(cfg, d.module_path));
    ESDK_TRY_GOTO(rc, esdk_pkcs11_config_set_token_label(cfg, d.token_label));
    ESDK_TRY_GOTO(rc, esdk_pkcs11_config_set_key_label(cfg, d.key_label));
    ESDK_TRY_GOTO(rc, esdk_pkcs11_config_set_key_type(cfg, ESDK_PKCS11_KEY_AES));
    ESDK_TRY_GOTO(rc, esdk_pkcs11_config_set_pin_file(cfg, d.pin_file));
    const char *conf = getenv("SOFTHSM2_CONF");
    if (!conf || !*conf) {
        if (setenv("SOFTHSM2_CONF", d.softhsm_conf, 1) != 0) {
            rc = esdk_fail(ESDK_ERR_NO_MEMORY, "cannot set SOFTHSM2_CONF");
            goto cleanup;
        }
    }
    *out = cfg;
    return 0;
cleanup:
    esdk_pkcs11_config_release(cfg);
    return rc;
}
