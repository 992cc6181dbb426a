/* Wrap and unwrap for every KMS keyring (spec-facts 3.5). */
#include "keyrings/kms/keyring_common.h"

#include <stdio.h>
#include <string.h>

#include <aws-esdk-c/error.h>
#include <aws-esdk-c/keyrings/kms.h>

#include "common/buf.h"
#include "common/mem.h"
#include "common/status.h"
#include "keyrings/kms/client.h"

/* last: poisons calls this library must not make */
#include "banned.h"

#define PROVIDER_ID_LEN   (sizeof ESDK_KMS_PROVIDER_ID - 1)
#define MAX_KEY_ID        2048
#define MAX_DETAIL_LENGTH 440

int esdk_kms_copy(const char *s, size_t len, char **out)
{
    *out = esdk_str_copy_n((const uint8_t *)s, len);
    return *out ? 0 : esdk_fail(ESDK_ERR_NO_MEMORY, "cannot copy a key id");
}

int esdk_kms_check_key_id(const esdk_kms_options *opts, const char *key_id)
{
    if (!key_id || !key_id[0] || strlen(key_id) > MAX_KEY_ID) {
        return esdk_fail(
            ESDK_ERR_BAD_ARGUMENT, "an AWS KMS key id has 1 to %d characters", MAX_KEY_ID);
    }
    char *region = NULL, *partition = NULL;
    ESDK_TRY(esdk_kms_options_region_for(opts, key_id, &region, &partition));
    esdk_str_release(region);
    esdk_str_release(partition);
    return 0;
}

/* A call for key_id in its region. */
static int prepare_call(
    const esdk_kms_options *opts,
    const char *key_id,
    const esdk_enc_ctx *context,
    esdk_kms_call *call)
{
    char *region = NULL, *partition = NULL;
    ESDK_TRY(esdk_kms_options_region_for(opts, key_id, &region, &partition));
    call->opts = opts;
    call->key_id = key_id;
    call->region = region;
    call->partition = partition;
    call->context = context;
    return 0;
}

static void release_call(esdk_kms_call *call)
{
    esdk_str_release((char *)call->region);
    esdk_str_release((char *)call->partition);
    call->region = call->partition = NULL;
}

int esdk_kms_wrap(
    const esdk_kms_options *opts,
    const char *keyring_name,
    const char *key_id,
    esdk_enc_materials *m)
{
    const size_t key_len = esdk_suite_data_key_len(esdk_enc_materials_suite(m));
    const uint8_t *key;
    size_t have_len;
    const bool have_key = esdk_enc_materials_data_key(m, &key, &have_len);
    esdk_kms_call call = {0};
    esdk_kms_result res = ESDK_KMS_RESULT_INIT;
    esdk_kms_arn arn;
    int rc;
    ESDK_TRY(prepare_call(opts, key_id, esdk_enc_materials_context(m), &call));
    if (have_key) {
        ESDK_TRY_GOTO(rc, esdk_kms_encrypt(&call, key, have_len, &res));
    } else {
        ESDK_TRY_GOTO(rc, esdk_kms_generate_data_key(&call, key_len, &res));
    }
    if (!esdk_kms_arn_parse_key(res.key_id, strlen(res.key_id), &arn)) {
        rc = esdk_fail(
            ESDK_ERR_KEYRING,
            "%s: AWS KMS answered with KeyId '%.200s', not a key ARN",
            keyring_name,
            res.key_id);
        goto cleanup;
    }
    if (!have_key) {
        if (res.plaintext.len != key_len) {
            rc = esdk_fail(
                ESDK_ERR_KEYRING,
                "%s: AWS KMS GenerateDataKey returned %zu bytes, not %zu",
                keyring_name,
                res.plaintext.len,
                key_len);
            goto cleanup;
        }
        ESDK_TRY_GOTO(rc, esdk_enc_materials_set_data_key(m, res.plaintext.data, key_len));
    }
    const esdk_edk edk = {
        (const uint8_t *)ESDK_KMS_PROVIDER_ID,
        PROVIDER_ID_LEN,
        (const uint8_t *)res.key_id,
        strlen(res.key_id),
        res.ciphertext.data,
        res.ciphertext.len,
    };
    rc = esdk_enc_materials_add_edk(m, &edk);
cleanup:
    release_call(&call);
    esdk_kms_result_release(&res);
    return rc;
}

bool esdk_kms_discovery_filter_passes(const esdk_kms_options *opts, const esdk_kms_arn *arn)
{
    if (!opts->filter_partition) {
        return true;
    }
    if (!esdk_bytes_equal(
            arn->partition.ptr,
            arn->partition.len,
            opts->filter_partition,
            strlen(opts->filter_partition))) {
        return false;
    }
    for (size_t i = 0; i < opts->filter_account_count; i++) {
        const char *a = opts->filter_accounts[i];
        if (esdk_bytes_equal(arn->account.ptr, arn->account.len, a, strlen(a))) {
            return true;
        }
    }
    return false;
}

/* The failures of one OnDecrypt, summarized into one error. */
struct failures {
    size_t count;
    int code;
    bool mixed;
    esdk_buf text;
};

static void record(struct failures *f, int code)
{
    const char *detail = esdk_last_error_detail();
    f->mixed = f->mixed || (f->count > 0 && code != f->code);
    f->code = code;
    f->count++;
    if (f->text.len < MAX_DETAIL_LENGTH) {
        (void)esdk_buf_append(&f->text, f->text.len ? "; " : "", f->text.len ? 2 : 0);
        (void)esdk_buf_append(&f->text, detail, strlen(detail));
    }
}

/* Decrypt one EDK with request_key_id. */
static int try_one(
    const esdk_kms_options *opts,
    const char *keyring_name,
    esdk_dec_materials *m,
    const esdk_edk *edk,
    const char *request_key_id)
{
    const size_t key_len = esdk_suite_data_key_len(esdk_dec_materials_suite(m));
    esdk_kms_call call = {0};
    esdk_kms_result res = ESDK_KMS_RESULT_INIT;
    int rc;
    ESDK_TRY(prepare_call(opts, request_key_id, esdk_dec_materials_context(m), &call));
    ESDK_TRY_GOTO(rc, esdk_kms_decrypt(&call, edk->ciphertext, edk->ciphertext_len, &res));
    if (strcmp(res.key_id, request_key_id) != 0) {
        rc = esdk_fail(
            ESDK_ERR_KEYRING,
            "%s: AWS KMS Decrypt answered for key '%.200s', not the requested %.200s",
            keyring_name,
            res.key_id,
            request_key_id);
    } else if (res.plaintext.len != key_len) {
        rc = esdk_fail(
            ESDK_ERR_KEYRING,
            "%s: AWS KMS Decrypt returned %zu bytes, not %zu",
            keyring_name,
            res.plaintext.len,
            key_len);
    } else {
        rc = esdk_dec_materials_set_data_key(m, res.plaintext.data, key_len);
    }
cleanup:
    release_call(&call);
    esdk_kms_result_release(&res);
    return rc;
}

static bool is_kms_edk(const esdk_edk *edk)
{
    return esdk_bytes_equal(
        edk->provider_id, edk->provider_id_len, ESDK_KMS_PROVIDER_ID, PROVIDER_ID_LEN);
}

int esdk_kms_unwrap(
    const esdk_kms_options *opts,
    const char *keyring_name,
    esdk_dec_materials *m,
    const esdk_edk_list *edks,
    esdk_kms_filter_fn filter,
    const void *keyring)
{
    const size_t n = esdk_edk_list_count(edks);
    size_t kms_edks = 0;
    esdk_edk edk;
    esdk_kms_arn arn;
    /* Every aws-kms EDK must name a key ARN, before any call is made. */
    for (size_t i = 0; i < n; i++) {
        ESDK_TRY(esdk_edk_list_get(edks, i, &edk));
        if (!is_kms_edk(&edk)) {
            continue;
        }
        kms_edks++;
        if (!esdk_kms_arn_parse_key((const char *)edk.provider_info, edk.provider_info_len, &arn)) {
            return esdk_fail(
                ESDK_ERR_KEYRING,
                "%s: an aws-kms encrypted data key's provider info is not an AWS "
                "KMS key ARN",
                keyring_name);
        }
    }
    struct failures f = {0, 0, false, ESDK_BUF_INIT};
    int rc = 1;
    for (size_t i = 0; i < n && rc != 0; i++) {
        char *request = NULL;
        ESDK_TRY_GOTO(rc, esdk_edk_list_get(edks, i, &edk));
        rc = 1;
        if (!is_kms_edk(&edk)) {
            continue;
        }
        (void)esdk_kms_arn_parse_key((const char *)edk.provider_info, edk.provider_info_len, &arn);
        const int selected =
            filter(keyring, (const char *)edk.provider_info, edk.provider_info_len, &arn, &request);
        if (selected < 0) {
            rc = selected;
            goto cleanup;
        }
        if (selected == 0) {
            continue;
        }
        rc = try_one(opts, keyring_name, m, &edk, request);
        esdk_str_release(request);
        if (rc != 0) {
            record(&f, rc);
            rc = 1;
        }
    }
    if (rc == 0) {
        goto cleanup;
    }
    if (f.count == 0) {
        rc = esdk_fail(
            ESDK_ERR_CANNOT_DECRYPT,
            "%s: none of the %zu aws-kms encrypted data key(s) is for this keyring",
            keyring_name,
            kms_edks);
    } else {
        rc = esdk_fail(
            f.mixed ? ESDK_ERR_KEYRING : f.code,
            "%s: %zu encrypted data key(s) tried, none decrypted: %.*s",
            keyring_name,
            f.count,
            (int)f.text.len,
            f.text.data ? (const char *)f.text.data : "");
    }
cleanup:
    esdk_buf_release(&f.text);
    return rc;
}
