/* The AWS KMS discovery keyring: decrypt only; any aws-kms EDK that passes the discovery
 * filter, called in the region of its own key ARN. */
#include <aws-esdk-c/error.h>
#include <aws-esdk-c/keyrings/kms.h>

#include "common/mem.h"
#include "common/status.h"
#include "keyrings/kms/keyring_common.h"
#include "keyrings/kms/options.h"

/* last: poisons calls this library must not make */
#include "banned.h"

#define NAME "aws-kms-discovery"

struct discovery {
    esdk_kms_options *opts;
};

static int on_encrypt(void *state, esdk_enc_materials *m)
{
    (void)state;
    (void)m;
    return esdk_fail(ESDK_ERR_UNSUPPORTED, "an AWS KMS discovery keyring cannot encrypt");
}

static int filter(
    const void *keyring,
    const char *info,
    size_t info_len,
    const esdk_kms_arn *arn,
    char **request_key_id)
{
    const struct discovery *kr = keyring;
    if (!esdk_kms_discovery_filter_passes(kr->opts, arn)) {
        return 0;
    }
    ESDK_TRY(esdk_kms_copy(info, info_len, request_key_id));
    return 1;
}

static int on_decrypt(void *state, esdk_dec_materials *m, const esdk_edk_list *edks)
{
    const struct discovery *kr = state;
    return esdk_kms_unwrap(kr->opts, NAME, m, edks, filter, kr);
}

static void destroy(void *state)
{
    struct discovery *kr = state;
    esdk_kms_options_release(kr->opts);
    esdk_mem_release(kr, sizeof *kr);
}

static const esdk_keyring_vtable discovery_vt = {
    .size = sizeof(esdk_keyring_vtable),
    .name = NAME,
    .on_encrypt = on_encrypt,
    .on_decrypt = on_decrypt,
    .destroy = destroy,
};

int esdk_kms_discovery_keyring_new(const esdk_kms_options *opts, esdk_keyring **out)
{
    ESDK_ENSURE(out != NULL, ESDK_ERR_BAD_ARGUMENT);
    struct discovery *kr = esdk_mem_acquire(sizeof *kr);
    if (!kr) {
        return esdk_fail(ESDK_ERR_NO_MEMORY, "cannot allocate a keyring");
    }
    int rc = esdk_kms_options_clone(opts, &kr->opts);
    if (rc != 0) {
        destroy(kr);
        return rc;
    }
    return esdk_keyring_new(&discovery_vt, kr, out);
}
