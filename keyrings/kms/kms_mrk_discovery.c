/* The multi-Region-key-aware discovery keyring, bound to one region: an MRK EDK is decrypted
 * with the replica in that region (its ARN's region rewritten); a single-Region key of another
 * region is skipped without a call. Decrypt only. */
#include <string.h>

#include <aws-esdk-c/error.h>
#include <aws-esdk-c/keyrings/kms.h>

#include "common/mem.h"
#include "common/status.h"
#include "keyrings/kms/arn.h"
#include "keyrings/kms/keyring_common.h"
#include "keyrings/kms/options.h"

/* last: poisons calls this library must not make */
#include "banned.h"

#define NAME "aws-kms-mrk-discovery"

struct mrk_discovery {
    esdk_kms_options *opts;
    char *region;
};

static int on_encrypt(void *state, esdk_enc_materials *m)
{
    (void)state;
    (void)m;
    return esdk_fail(
        ESDK_ERR_UNSUPPORTED, "an AWS KMS multi-Region discovery keyring cannot encrypt");
}

static int filter(
    const void *keyring,
    const char *info,
    size_t info_len,
    const esdk_kms_arn *arn,
    char **request_key_id)
{
    const struct mrk_discovery *kr = keyring;
    if (!esdk_kms_discovery_filter_passes(kr->opts, arn)) {
        return 0;
    }
    if (!esdk_kms_arn_is_mrk(arn)) {
        if (!esdk_bytes_equal(arn->region.ptr, arn->region.len, kr->region, strlen(kr->region))) {
            return 0; /* a single-Region key elsewhere: no call */
        }
        ESDK_TRY(esdk_kms_copy(info, info_len, request_key_id));
        return 1;
    }
    *request_key_id = esdk_kms_arn_with_region(arn, kr->region);
    return *request_key_id ? 1 : esdk_fail(ESDK_ERR_NO_MEMORY, "cannot copy a key id");
}

static int on_decrypt(void *state, esdk_dec_materials *m, const esdk_edk_list *edks)
{
    const struct mrk_discovery *kr = state;
    return esdk_kms_unwrap(kr->opts, NAME, m, edks, filter, kr);
}

static void destroy(void *state)
{
    struct mrk_discovery *kr = state;
    esdk_kms_options_release(kr->opts);
    esdk_str_release(kr->region);
    esdk_mem_release(kr, sizeof *kr);
}

static const esdk_keyring_vtable mrk_discovery_vt = {
    .size = sizeof(esdk_keyring_vtable),
    .name = NAME,
    .on_encrypt = on_encrypt,
    .on_decrypt = on_decrypt,
    .destroy = destroy,
};

int esdk_kms_mrk_discovery_keyring_new(
    const char *region, const esdk_kms_options *opts, esdk_keyring **out)
{
    ESDK_ENSURE(out != NULL && region != NULL, ESDK_ERR_BAD_ARGUMENT);
    if (!esdk_kms_name_is_safe(region, strlen(region))) {
        return esdk_fail(ESDK_ERR_BAD_ARGUMENT, "'%.100s' is not a valid AWS region name", region);
    }
    struct mrk_discovery *kr = esdk_mem_acquire(sizeof *kr);
    if (!kr) {
        return esdk_fail(ESDK_ERR_NO_MEMORY, "cannot allocate a keyring");
    }
    int rc = esdk_kms_options_clone(opts, &kr->opts);
    if (rc == 0 && !(kr->region = esdk_str_copy(region))) {
        rc = esdk_fail(ESDK_ERR_NO_MEMORY, "cannot allocate a keyring");
    }
    if (rc != 0) {
        destroy(kr);
        return rc;
    }
    return esdk_keyring_new(&mrk_discovery_vt, kr, out);
}
