/* provider=aes: a raw AES keyring.
 *   -w provider=aes key=file://PATH|base64:TEXT|hex:TEXT|env:VAR name=NAME namespace=NS */
#include <stdio.h>

#include "providers.h"
#include "secret.h"

static const char *const allowed[] = {"provider", "key", "name", "namespace", NULL};

static int
build(const cli_kv_list *params, esdk_mode mode, esdk_keyring **out, char *err, size_t errlen)
{
    (void)mode;
    if (cli_kv_check(params, allowed, allowed, "provider=aes", err, errlen) != 0) {
        return ESDK_ERR_BAD_ARGUMENT;
    }
    const char *key = cli_kv_get(params, "key");
    const char *name = cli_kv_get(params, "name");
    const char *ns = cli_kv_get(params, "namespace");
    if (!key || !name || !ns) {
        snprintf(err, errlen, "provider=aes needs key=, name= and namespace=");
        return ESDK_ERR_BAD_ARGUMENT;
    }
    cli_secret secret;
    if (cli_secret_load(key, CLI_SECRET_AES_KEY, &secret, err, errlen) != 0) {
        return ESDK_ERR_BAD_KEY;
    }
    int rc = esdk_keyring_raw_aes_new(ns, name, secret.data, secret.len, out);
    cli_secret_wipe(&secret); /* the keyring holds its own copy in guarded memory */
    if (rc) {
        snprintf(err, errlen, "%s", esdk_last_error_detail());
    }
    return rc;
}

static const char *const aliases[] = {"raw-aes", NULL};

const cli_provider cli_provider_aes = {
    .name = "aes",
    .aliases = aliases,
    .synopsis = "key=file://PATH|base64:B64|hex:HEX|env:VAR name=NAME namespace=NS",
    .build = build,
};
