/* esdk_kms_options: construction, setters, deep copy. */
#include "keyrings/kms/options.h"

#include <string.h>

#include <aws-esdk-c/error.h>

#include "common/mem.h"
#include "common/status.h"
#include "crypto/secure_mem.h"
#include "keyrings/kms/arn.h"
#include "keyrings/kms/endpoint.h"

/* last: poisons calls this library must not make */
#include "banned.h"

#define DEFAULT_CONNECT_MS 3000
#define DEFAULT_TOTAL_MS   20000
#define DEFAULT_ATTEMPTS   3
#define DEFAULT_BASE_MS    100
#define DEFAULT_CAP_MS     2000

static char *secure_copy(const char *s)
{
    const size_t n = strlen(s) + 1;
    char *p = esdk_secure_alloc(n);
    if (p) {
        memcpy(p, s, n);
    }
    return p;
}

/* Replace *slot with a copy of s (NULL clears). */
static int set_str(char **slot, const char *s)
{
    char *copy = NULL;
    if (s) {
        copy = esdk_str_copy(s);
        if (!copy) {
            return esdk_fail(ESDK_ERR_NO_MEMORY, "cannot copy a KMS option");
        }
    }
    esdk_str_release(*slot);
    *slot = copy;
    return 0;
}

static void clear_credentials(esdk_kms_options *o)
{
    esdk_str_release(o->access_key_id);
    esdk_secure_free(o->secret_access_key);
    esdk_secure_free(o->session_token);
    o->access_key_id = o->secret_access_key = o->session_token = NULL;
}

static void clear_filter(esdk_kms_options *o)
{
    for (size_t i = 0; i < o->filter_account_count; i++) {
        esdk_str_release(o->filter_accounts[i]);
    }
    esdk_mem_release(o->filter_accounts, o->filter_account_count * sizeof(char *));
    esdk_str_release(o->filter_partition);
    o->filter_accounts = NULL;
    o->filter_account_count = 0;
    o->filter_partition = NULL;
}

int esdk_kms_options_new(esdk_kms_options **out)
{
    ESDK_ENSURE(out != NULL, ESDK_ERR_BAD_ARGUMENT);
    esdk_kms_options *o = esdk_mem_acquire(sizeof *o);
    if (!o) {
        return esdk_fail(ESDK_ERR_NO_MEMORY, "cannot allocate KMS options");
    }
    o->connect_timeout_ms = DEFAULT_CONNECT_MS;
    o->total_timeout_ms = DEFAULT_TOTAL_MS;
    o->max_attempts = DEFAULT_ATTEMPTS;
    o->base_delay_ms = DEFAULT_BASE_MS;
    o->max_delay_ms = DEFAULT_CAP_MS;
    *out = o;
    return 0;
}

void esdk_kms_options_release(esdk_kms_options *o)
{
    if (!o) {
        return;
    }
    esdk_str_release(o->region);
    esdk_str_release(o->endpoint);
    esdk_str_release(o->profile);
    clear_credentials(o);
    for (size_t i = 0; i < o->grant_token_count; i++) {
        esdk_str_release(o->grant_tokens[i]);
    }
    clear_filter(o);
    esdk_mem_release(o, sizeof *o);
}

int esdk_kms_options_set_region(esdk_kms_options *o, const char *region)
{
    ESDK_ENSURE(o != NULL, ESDK_ERR_BAD_ARGUMENT);
    if (region && !esdk_kms_name_is_safe(region, strlen(region))) {
        return esdk_fail(ESDK_ERR_BAD_ARGUMENT, "'%s' is not a valid AWS region name", region);
    }
    return set_str(&o->region, region);
}

int esdk_kms_options_set_endpoint(esdk_kms_options *o, const char *url)
{
    ESDK_ENSURE(o != NULL, ESDK_ERR_BAD_ARGUMENT);
    if (url && strncmp(url, "http://", 7) != 0 && strncmp(url, "https://", 8) != 0) {
        return esdk_fail(ESDK_ERR_BAD_ARGUMENT, "a KMS endpoint is an http:// or https:// URL");
    }
    return set_str(&o->endpoint, url);
}

int esdk_kms_options_set_profile(esdk_kms_options *o, const char *profile)
{
    ESDK_ENSURE(o != NULL && (!profile || profile[0]), ESDK_ERR_BAD_ARGUMENT);
    return set_str(&o->profile, profile);
}

int esdk_kms_options_set_credentials(
    esdk_kms_options *o,
    const char *access_key_id,
    const char *secret_access_key,
    const char *session_token)
{
    ESDK_ENSURE(o != NULL, ESDK_ERR_BAD_ARGUMENT);
    clear_credentials(o);
    if (!access_key_id) {
        return 0;
    }
    ESDK_ENSURE(
        access_key_id[0] && secret_access_key && secret_access_key[0], ESDK_ERR_BAD_ARGUMENT);
    o->access_key_id = esdk_str_copy(access_key_id);
    o->secret_access_key = secure_copy(secret_access_key);
    o->session_token = session_token && session_token[0] ? secure_copy(session_token) : NULL;
    if (!o->access_key_id || !o->secret_access_key ||
        (session_token && session_token[0] && !o->session_token)) {
        clear_credentials(o);
        return esdk_fail(ESDK_ERR_NO_MEMORY, "cannot store the KMS credentials");
    }
    return 0;
}

int esdk_kms_options_set_credentials_provider(
    esdk_kms_options *o, esdk_kms_credentials_fn fn, void *ctx)
{
    ESDK_ENSURE(o != NULL, ESDK_ERR_BAD_ARGUMENT);
    o->credentials_fn = fn;
    o->credentials_ctx = fn ? ctx : NULL;
    return 0;
}

int esdk_kms_options_set_timeouts(esdk_kms_options *o, uint32_t connect_ms, uint32_t total_ms)
{
    ESDK_ENSURE(o != NULL, ESDK_ERR_BAD_ARGUMENT);
    if (connect_ms) {
        o->connect_timeout_ms = connect_ms;
    }
    if (total_ms) {
        o->total_timeout_ms = total_ms;
    }
    return 0;
}

int esdk_kms_options_set_retries(
    esdk_kms_options *o, uint32_t max_attempts, uint32_t base_delay_ms, uint32_t max_delay_ms)
{
    ESDK_ENSURE(o != NULL, ESDK_ERR_BAD_ARGUMENT);
    if (max_attempts < 1 || max_attempts > ESDK_KMS_MAX_ATTEMPTS || base_delay_ms > max_delay_ms) {
        return esdk_fail(
            ESDK_ERR_BAD_ARGUMENT,
            "KMS retries: 1..%d attempts and base delay <= max delay",
            ESDK_KMS_MAX_ATTEMPTS);
    }
    o->max_attempts = max_attempts;
    o->base_delay_ms = base_delay_ms;
    o->max_delay_ms = max_delay_ms;
    return 0;
}

int esdk_kms_options_add_grant_token(esdk_kms_options *o, const char *token)
{
    ESDK_ENSURE(o != NULL && token != NULL && token[0], ESDK_ERR_BAD_ARGUMENT);
    if (o->grant_token_count == ESDK_KMS_MAX_GRANT_TOKENS) {
        return esdk_fail(
            ESDK_ERR_LIMIT_EXCEEDED,
            "AWS KMS accepts at most %d grant tokens",
            ESDK_KMS_MAX_GRANT_TOKENS);
    }
    char *copy = esdk_str_copy(token);
    if (!copy) {
        return esdk_fail(ESDK_ERR_NO_MEMORY, "cannot copy a grant token");
    }
    o->grant_tokens[o->grant_token_count++] = copy;
    return 0;
}

int esdk_kms_options_set_discovery_filter(
    esdk_kms_options *o, const char *partition, const char *const *accounts, size_t count)
{
    ESDK_ENSURE(o != NULL, ESDK_ERR_BAD_ARGUMENT);
    clear_filter(o);
    if (!partition) {
        return 0;
    }
    if (!partition[0] || !accounts || count == 0) {
        return esdk_fail(
            ESDK_ERR_BAD_ARGUMENT, "a discovery filter needs a partition and at least one account");
    }
    for (size_t i = 0; i < count; i++) {
        ESDK_ENSURE(accounts[i] != NULL && accounts[i][0], ESDK_ERR_BAD_ARGUMENT);
    }
    o->filter_partition = esdk_str_copy(partition);
    o->filter_accounts = esdk_mem_acquire(count * sizeof(char *));
    if (!o->filter_partition || !o->filter_accounts) {
        esdk_mem_release(o->filter_accounts, count * sizeof(char *));
        o->filter_accounts = NULL;
        clear_filter(o);
        return esdk_fail(ESDK_ERR_NO_MEMORY, "cannot copy a discovery filter");
    }
    o->filter_account_count = count;
    for (size_t i = 0; i < count; i++) {
        o->filter_accounts[i] = esdk_str_copy(accounts[i]);
        if (!o->filter_accounts[i]) {
            clear_filter(o);
            return esdk_fail(ESDK_ERR_NO_MEMORY, "cannot copy a discovery filter");
        }
    }
    return 0;
}

int esdk_kms_options_clone(const esdk_kms_options *src, esdk_kms_options **out)
{
    esdk_kms_options *o = NULL;
    int rc;
    ESDK_TRY(esdk_kms_options_new(&o));
    if (src) {
        ESDK_TRY_GOTO(rc, set_str(&o->region, src->region));
        ESDK_TRY_GOTO(rc, set_str(&o->endpoint, src->endpoint));
        ESDK_TRY_GOTO(rc, set_str(&o->profile, src->profile));
        ESDK_TRY_GOTO(
            rc,
            esdk_kms_options_set_credentials(
                o, src->access_key_id, src->secret_access_key, src->session_token));
        o->credentials_fn = src->credentials_fn;
        o->credentials_ctx = src->credentials_ctx;
        o->connect_timeout_ms = src->connect_timeout_ms;
        o->total_timeout_ms = src->total_timeout_ms;
        o->max_attempts = src->max_attempts;
        o->base_delay_ms = src->base_delay_ms;
        o->max_delay_ms = src->max_delay_ms;
        for (size_t i = 0; i < src->grant_token_count; i++) {
            ESDK_TRY_GOTO(rc, esdk_kms_options_add_grant_token(o, src->grant_tokens[i]));
        }
        ESDK_TRY_GOTO(
            rc,
            esdk_kms_options_set_discovery_filter(
                o,
                src->filter_partition,
                (const char *const *)src->filter_accounts,
                src->filter_account_count));
    }
    *out = o;
    return 0;
cleanup:
    esdk_kms_options_release(o);
    return rc;
}

int esdk_kms_options_region_for(
    const esdk_kms_options *o, const char *key_id, char **region_out, char **partition_out)
{
    esdk_kms_arn arn;
    const size_t len = strlen(key_id);
    char *region = NULL, *partition = NULL;
    if (strncmp(key_id, "arn:", 4) == 0) {
        if (!esdk_kms_arn_parse(key_id, len, &arn)) {
            return esdk_fail(ESDK_ERR_BAD_ARGUMENT, "'%.200s' is not a valid AWS KMS ARN", key_id);
        }
        region = esdk_str_copy_n((const uint8_t *)arn.region.ptr, arn.region.len);
        partition = esdk_str_copy_n((const uint8_t *)arn.partition.ptr, arn.partition.len);
    } else if (o && o->region) {
        region = esdk_str_copy(o->region);
        partition = esdk_str_copy(esdk_kms_partition_of_region(o->region));
    } else {
        return esdk_fail(
            ESDK_ERR_BAD_ARGUMENT,
            "AWS KMS key '%.200s' is not an ARN: set a region in the options",
            key_id);
    }
    if (!region || !partition) {
        esdk_str_release(region);
        esdk_str_release(partition);
        return esdk_fail(ESDK_ERR_NO_MEMORY, "cannot copy a region");
    }
    if (!esdk_kms_name_is_safe(region, strlen(region)) ||
        !esdk_kms_name_is_safe(partition, strlen(partition))) {
        esdk_str_release(region);
        esdk_str_release(partition);
        return esdk_fail(
            ESDK_ERR_BAD_ARGUMENT,
            "AWS KMS key '%.200s': its region or partition is not a valid name",
            key_id);
    }
    *region_out = region;
    *partition_out = partition;
    return 0;
}
