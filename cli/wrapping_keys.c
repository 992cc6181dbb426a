/* Wrapping keys: the registry lookup and the multi-keyring. */
#include "wrapping_keys.h"

#include <stdlib.h>
#include <string.h>

#include <aws-esdk-c/keyrings/multi.h>

#include "log.h"
#include "providers.h"

static int build_one(const cli_config *cfg, size_t index, esdk_keyring **out)
{
    const cli_kv_list *params = &cfg->wrapping_keys[index];
    char err[768] = "";
    size_t n = cli_kv_count(params, "provider");
    if (n > 1) {
        return cli_usage_error("-w: give exactly one \"provider\" per -w group (%zu given)", n);
    }
    const char *name = n ? cli_kv_get(params, "provider") : CLI_DEFAULT_PROVIDER;
    const cli_provider *p = cli_provider_find(name);
    if (!p) {
        return cli_usage_error(
            "-w provider=%s: no such provider (built in: aes, rsa, pkcs11, aws-kms)", name);
    }
    int rc = p->build(params, cfg->mode, out, err, sizeof err);
    if (rc == ESDK_ERR_BAD_ARGUMENT) {
        return cli_usage_error("-w provider=%s: %s", p->name, err);
    }
    if (rc) {
        cli_error("-w provider=%s: %s: %s", p->name, esdk_strerror(rc), err);
        return CLI_EXIT_FAILURE;
    }
    cli_info("wrapping key %zu: provider %s", index + 1, p->name);
    return CLI_EXIT_OK;
}

/* Several -w: a multi-keyring, the first group being the generator. */
static int combine(esdk_keyring **rings, size_t count, esdk_keyring **out)
{
    int rc = esdk_keyring_multi_new(rings[0], rings + 1, count - 1, out);
    if (rc) {
        cli_error(
            "-w: cannot combine the wrapping keys: %s: %s",
            esdk_strerror(rc),
            esdk_last_error_detail());
        return CLI_EXIT_FAILURE;
    }
    return CLI_EXIT_OK;
}

int cli_wrapping_keys_build(const cli_config *cfg, esdk_keyring **out)
{
    size_t n = cfg->wrapping_key_count;
    esdk_keyring **rings = calloc(n, sizeof *rings);
    if (!rings) {
        cli_error("out of memory");
        return CLI_EXIT_FAILURE;
    }
    int rc = CLI_EXIT_OK;
    for (size_t i = 0; i < n && rc == CLI_EXIT_OK; i++) {
        rc = build_one(cfg, i, &rings[i]);
    }
    if (rc == CLI_EXIT_OK && n == 1) {
        *out = rings[0];
        rings[0] = NULL;
    } else if (rc == CLI_EXIT_OK) {
        rc = combine(rings, n, out);
    }
    for (size_t i = 0; i < n; i++) {
        esdk_keyring_release(rings[i]);
    }
    free(rings);
    return rc;
}
