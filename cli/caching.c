/* --caching: a local LRU cache of `capacity` entries under a caching CMM. */
#include "caching.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>

#include <aws-esdk-c/cache.h>

#include "args.h"
#include "log.h"

static const char *const allowed[] = {
    "capacity", "max_age", "max_messages_encrypted", "max_bytes_encrypted", NULL};

int cli_caching_parse(const cli_kv_list *params, cli_caching *out)
{
    char err[512];
    if (cli_kv_check(params, allowed, allowed, "--caching", err, sizeof err) != 0) {
        return cli_usage_error("%s", err);
    }
    const char *capacity = cli_kv_get(params, "capacity");
    const char *max_age = cli_kv_get(params, "max_age");
    if (!capacity || !max_age) {
        return cli_usage_error("--caching: both \"capacity\" and \"max_age\" are required");
    }
    if (cli_parse_u64(capacity, 1, UINT32_MAX, &out->capacity) != 0) {
        return cli_usage_error("--caching: capacity=%s is not a number of at least 1", capacity);
    }
    char *end = NULL;
    errno = 0;
    out->max_age = strtod(max_age, &end);
    if (errno || !end || *end || !isfinite(out->max_age) || out->max_age < 0.001 ||
        out->max_age > 1e12) {
        return cli_usage_error(
            "--caching: max_age=%s is not a positive number of seconds", max_age);
    }
    const char *msgs = cli_kv_get(params, "max_messages_encrypted");
    const char *bytes = cli_kv_get(params, "max_bytes_encrypted");
    out->max_messages = ESDK_CACHE_MAX_MESSAGES;
    out->max_bytes = ESDK_CACHE_MAX_BYTES;
    if (msgs && cli_parse_u64(msgs, 1, ESDK_CACHE_MAX_MESSAGES, &out->max_messages) != 0) {
        return cli_usage_error(
            "--caching: max_messages_encrypted=%s is not a number from 1 to 2^32", msgs);
    }
    if (bytes && cli_parse_u64(bytes, 1, ESDK_CACHE_MAX_BYTES, &out->max_bytes) != 0) {
        return cli_usage_error(
            "--caching: max_bytes_encrypted=%s is not a number from 1 to 2^63-1", bytes);
    }
    return CLI_EXIT_OK;
}

static int caching_cmm(const cli_caching *c, esdk_keyring *keyring, esdk_cmm **out)
{
    esdk_cache *cache = NULL;
    esdk_cmm *cmm = NULL;
    int rc = esdk_cache_local_new((size_t)c->capacity, &cache);
    rc =
        rc ? rc : esdk_cmm_caching_new(NULL, keyring, cache, (uint64_t)(c->max_age * 1000.0), &cmm);
    rc = rc ? rc : esdk_cmm_caching_set_limit_messages(cmm, c->max_messages);
    rc = rc ? rc : esdk_cmm_caching_set_limit_bytes(cmm, c->max_bytes);
    esdk_cache_release(cache); /* the CMM holds it */
    if (rc) {
        cli_error("--caching: %s: %s", esdk_strerror(rc), esdk_last_error_detail());
        esdk_cmm_release(cmm);
        return CLI_EXIT_FAILURE;
    }
    *out = cmm;
    return CLI_EXIT_OK;
}

int cli_caching_cmm(const cli_caching *caching, esdk_keyring *keyring, esdk_cmm **out)
{
    if (caching) {
        return caching_cmm(caching, keyring, out);
    }
    int rc = esdk_cmm_default_new(keyring, out);
    if (rc) {
        cli_error(
            "cannot create the materials manager: %s: %s",
            esdk_strerror(rc),
            esdk_last_error_detail());
        return CLI_EXIT_FAILURE;
    }
    return CLI_EXIT_OK;
}
