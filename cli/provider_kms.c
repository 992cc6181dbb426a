/* provider=aws-kms (the default when a -w group has no provider=, as in the official CLI).
 *   -w key=ARN [key=ARN...] [region=R] [profile=P] [endpoint=URL]
 *   -w discovery=true [region=R] [discovery-partition=P discovery-account=ID...]  (decrypt)
 * Keys are multi-Region-key aware, as in the official CLI: the first key generates the data
 * key, every key wraps it; on decrypt the keys must be key ARNs (an alias never matches an
 * EDK). Discovery decrypts with whatever key an EDK names (filtered by partition and
 * accounts); with a region (region=, else AWS_REGION or AWS_DEFAULT_REGION) it is bound to
 * that region and uses its replica of a multi-Region key. Credentials come from the
 * environment, the shared files or profile=, as for the AWS CLI. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <aws-esdk-c/keyrings/kms.h>

#include "providers.h"

static const char *const allowed[] = {
    "provider",
    "key",
    "region",
    "profile",
    "endpoint",
    "discovery",
    "discovery-partition",
    "discovery-account",
    NULL};
static const char *const once[] = {
    "provider", "region", "profile", "endpoint", "discovery", "discovery-partition", NULL};

static int check_discovery(
    const cli_kv_list *params, esdk_mode mode, bool *discovery, char *err, size_t errlen)
{
    const char *d = cli_kv_get(params, "discovery");
    *discovery = false;
    if (d && cli_parse_bool(d, discovery) != 0) {
        snprintf(err, errlen, "discovery=%s: give true or false", d);
        return -1;
    }
    bool has_filter =
        cli_kv_get(params, "discovery-partition") || cli_kv_get(params, "discovery-account");
    if ((d || has_filter) && mode == ESDK_MODE_ENCRYPT) {
        snprintf(
            err, errlen, "discovery attributes are supported only on decryption for AWS KMS keys");
        return -1;
    }
    if (*discovery && cli_kv_get(params, "key")) {
        snprintf(err, errlen, "if discovery is true (enabled), you cannot specify wrapping keys");
        return -1;
    }
    if (!*discovery && !cli_kv_get(params, "key")) {
        snprintf(err, errlen, "when discovery is false (disabled), give at least one key=");
        return -1;
    }
    if (has_filter && !*discovery) {
        snprintf(err, errlen, "discovery-partition/discovery-account need discovery=true");
        return -1;
    }
    if (!cli_kv_get(params, "discovery-partition") != !cli_kv_get(params, "discovery-account")) {
        snprintf(err, errlen, "give discovery-partition= and discovery-account= together");
        return -1;
    }
    return 0;
}

/* The values of every pair with this key, in order (a malloc'd array of borrowed strings). */
static const char **values_of(const cli_kv_list *params, const char *key, size_t *count)
{
    const char **list = calloc(params->count + 1, sizeof *list);
    *count = 0;
    for (size_t i = 0; list && i < params->count; i++) {
        if (strcmp(params->items[i].key, key) == 0) {
            list[(*count)++] = params->items[i].value;
        }
    }
    return list;
}

static int make_options(const cli_kv_list *params, esdk_kms_options **out)
{
    const char *region = cli_kv_get(params, "region");
    const char *profile = cli_kv_get(params, "profile");
    const char *endpoint = cli_kv_get(params, "endpoint");
    const char *partition = cli_kv_get(params, "discovery-partition");
    esdk_kms_options *o = NULL;
    int rc = esdk_kms_options_new(&o);
    rc = rc || !region ? rc : esdk_kms_options_set_region(o, region);
    rc = rc || !profile ? rc : esdk_kms_options_set_profile(o, profile);
    rc = rc || !endpoint ? rc : esdk_kms_options_set_endpoint(o, endpoint);
    if (!rc && partition) {
        size_t n;
        const char **accounts = values_of(params, "discovery-account", &n);
        rc = accounts ? esdk_kms_options_set_discovery_filter(o, partition, accounts, n)
                      : ESDK_ERR_NO_MEMORY;
        free(accounts);
    }
    if (rc) {
        esdk_kms_options_release(o);
        return rc;
    }
    *out = o;
    return 0;
}

static int make_keyring(
    const cli_kv_list *params, bool discovery, const esdk_kms_options *o, esdk_keyring **out)
{
    if (discovery) {
        const char *region = cli_kv_get(params, "region");
        region = region ? region : getenv("AWS_REGION");
        region = region ? region : getenv("AWS_DEFAULT_REGION");
        return region ? esdk_kms_mrk_discovery_keyring_new(region, o, out)
                      : esdk_kms_discovery_keyring_new(o, out);
    }
    size_t n;
    const char **keys = values_of(params, "key", &n);
    if (!keys) {
        return ESDK_ERR_NO_MEMORY;
    }
    int rc = esdk_kms_mrk_multi_keyring_new(keys[0], keys + 1, n - 1, o, out);
    free(keys);
    return rc;
}

static int
build(const cli_kv_list *params, esdk_mode mode, esdk_keyring **out, char *err, size_t errlen)
{
    bool discovery;
    if (cli_kv_check(params, allowed, once, "provider=aws-kms", err, errlen) != 0 ||
        check_discovery(params, mode, &discovery, err, errlen) != 0) {
        return ESDK_ERR_BAD_ARGUMENT;
    }
    esdk_kms_options *o = NULL;
    int rc = make_options(params, &o);
    rc = rc ? rc : make_keyring(params, discovery, o, out);
    if (rc) {
        snprintf(err, errlen, "%s", esdk_last_error_detail());
    }
    esdk_kms_options_release(o);
    return rc;
}

static const char *const aliases[] = {"kms", "aws-encryption-sdk-cli::aws-kms", NULL};

const cli_provider cli_provider_aws_kms = {
    .name = "aws-kms",
    .aliases = aliases,
    .synopsis = "key=ARN... [region=R] [profile=P] [endpoint=URL] | discovery=true [region=R] "
                "[discovery-partition=P discovery-account=ID...]",
    .build = build,
};
