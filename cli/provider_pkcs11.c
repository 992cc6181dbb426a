/* provider=pkcs11: a key held in an HSM reached through a PKCS#11 module.
 *   -w provider=pkcs11 [module=PATH] [token=LABEL|slot=ID] [key=LABEL] [key-id=HEX]
 *      [pin=env:VAR|file://PATH|none] [key-type=auto|aes|rsa] [namespace=NS] [name=NAME]
 *      [iv=caller|module] [oaep=sha1|sha256] [connect=eager|lazy] [sessions=N]
 * With none of module, token, slot, key, key-id or pin, the default SoftHSM2 token made by
 * scripts/hsm-init.sh is used. The PIN itself never appears on the command line: it is read
 * from the variable or file at login, by the keyring, and wiped there. */
#include <stdio.h>
#include <string.h>

#include <aws-esdk-c/keyrings/pkcs11.h>

#include "providers.h"

/* Parameters that select a token or key: given any, the defaults of hsm-init.sh are off. */
static const char *const selecting[] = {"module", "token", "slot", "key", "key-id", "pin", NULL};

static int set_pin(esdk_pkcs11_config *c, const char *pin, char *err, size_t errlen)
{
    int rc;
    if (strncmp(pin, "env:", 4) == 0) {
        rc = esdk_pkcs11_config_set_pin_env(c, pin + 4);
    } else if (strncmp(pin, "file://", 7) == 0) {
        rc = esdk_pkcs11_config_set_pin_file(c, pin + 7);
    } else if (strcmp(pin, "none") == 0) {
        rc = esdk_pkcs11_config_set_no_pin(c);
    } else {
        snprintf(err, errlen, "pin= must be env:VAR, file://PATH or none (never the PIN itself)");
        return ESDK_ERR_BAD_ARGUMENT;
    }
    if (rc) {
        snprintf(err, errlen, "pin=: %s", esdk_last_error_detail());
    }
    return rc;
}

static int configure(const cli_kv_list *params, esdk_pkcs11_config *c, char *err, size_t errlen)
{
    for (size_t i = 0; i < params->count; i++) {
        const cli_kv *kv = &params->items[i];
        int rc = 0;
        if (strcmp(kv->key, "provider") == 0) {
            continue;
        }
        if (strcmp(kv->key, "pin") == 0) {
            rc = set_pin(c, kv->value, err, errlen);
        } else {
            /* token, key and the rest: the keyring's own option names */
            rc = esdk_pkcs11_config_set_option(c, kv->key, kv->value);
            if (rc) {
                snprintf(err, errlen, "%s=%s: %s", kv->key, kv->value, esdk_last_error_detail());
            }
        }
        if (rc) {
            return rc;
        }
    }
    return 0;
}

static int
build(const cli_kv_list *params, esdk_mode mode, esdk_keyring **out, char *err, size_t errlen)
{
    (void)mode;
    esdk_pkcs11_config *c = NULL;
    bool defaults = true;
    for (size_t i = 0; selecting[i]; i++) {
        defaults = defaults && !cli_kv_get(params, selecting[i]);
    }
    int rc = defaults ? esdk_pkcs11_config_new_default(&c) : esdk_pkcs11_config_new(&c);
    if (rc) {
        snprintf(err, errlen, "%s", esdk_last_error_detail());
        return rc;
    }
    rc = configure(params, c, err, errlen);
    if (!rc) {
        rc = esdk_keyring_pkcs11_new(c, out);
        if (rc) {
            snprintf(err, errlen, "%s", esdk_last_error_detail());
        }
    }
    esdk_pkcs11_config_release(c);
    /* a bad option is a usage error; a module, token or PIN problem is not */
    return rc;
}

static const char *const aliases[] = {"hsm", NULL};

const cli_provider cli_provider_pkcs11 = {
    .name = "pkcs11",
    .aliases = aliases,
    .synopsis = "[module=PATH] [token=LABEL] [key=LABEL] [pin=env:VAR|file://PATH] "
                "[key-type=aes|rsa] [namespace=NS] [name=NAME] ...",
    .build = build,
};
