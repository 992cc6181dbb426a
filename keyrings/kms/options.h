/* The KMS keyrings' settings (the public esdk_kms_options), shared by every file here. A
 * keyring holds its own copy, made with esdk_kms_options_clone. */
#ifndef ESDK_KMS_OPTIONS_H
#define ESDK_KMS_OPTIONS_H

#include <stddef.h>
#include <stdint.h>

#include <aws-esdk-c/keyrings/kms.h>

#define ESDK_KMS_MAX_GRANT_TOKENS 10
#define ESDK_KMS_MAX_ATTEMPTS     10

struct esdk_kms_options {
    char *region;
    char *endpoint;
    char *profile;
    char *access_key_id;
    char *secret_access_key; /* guarded memory (esdk_secure_alloc) */
    char *session_token;     /* guarded memory */
    esdk_kms_credentials_fn credentials_fn;
    void *credentials_ctx;
    uint32_t connect_timeout_ms;
    uint32_t total_timeout_ms;
    uint32_t max_attempts;
    uint32_t base_delay_ms;
    uint32_t max_delay_ms;
    char *grant_tokens[ESDK_KMS_MAX_GRANT_TOKENS];
    size_t grant_token_count;
    char *filter_partition; /* NULL: no discovery filter */
    char **filter_accounts;
    size_t filter_account_count;
};

/* A deep copy of src (NULL: the defaults). */
int esdk_kms_options_clone(const esdk_kms_options *src, esdk_kms_options **out);
/* The region to call for key_id: its ARN's region, else the options' region; the
 * partition too ("aws" unless the ARN names another). Both are checked to be safe host-name
 * labels. region_out and partition_out receive new strings (esdk_str_release). */
int esdk_kms_options_region_for(
    const esdk_kms_options *opts, const char *key_id, char **region_out, char **partition_out);

#endif
