/* The multi-Region-key-aware AWS KMS keyring (strict): like the plain keyring, but an EDK of
 * any replica of its multi-Region key matches ("MRK match for decrypt"); Decrypt is then
 * called with the keyring's own identifier, in its own region. */
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

#define NAME "aws-kms-mrk"

struct mrk_keyring {
    esdk_kms_options *opts;
    char *key_id;
};

static int on_encrypt(void *state, esdk_enc_materials *m)
{
    const struct mrk_keyring *kr = state;
    return esdk_kms_wrap(kr->opts, NAME, kr->key_id, m);
}

static int filter(
    const void *keyring,
    const char *info,
    size_t info_len,
    const esdk_kms_arn *arn,
    char **request_key_id)
{
    const struct mrk_keyring *kr = keyring;
    (void)arn;
    if (!esdk_kms_mrk_match_n(kr->key_id, strlen(kr->key_id), info, info_len)) {
        return 0;
    }
    ESDK_TRY(esdk_kms_copy(kr->key_id, strlen(kr->key_id), request_key_id));
    return 1;
}

static int on_decrypt(void *state, esdk_dec_materials *m, const esdk_edk_list *edks)
{
    const struct mrk_keyring *kr = state;
    return esdk_kms_unwrap(kr->opts, NAME, m, edks, filter, kr);
}

static void destroy(void *state)
{
    struct mrk_keyring *kr = state;
    esdk_kms_options_release(kr->opts);
    esdk_str_release(kr->key_id);
    esdk_mem_release(kr, sizeof *kr);
}

static const esdk_keyring_vtable mrk_vt = {
    .size = sizeof(esdk_keyring_vtable),
    .name = NAME,
    .on_encrypt = on_encrypt,
    .on_decrypt = on_decrypt,
    .destroy = destroy,
};

int esdk_kms_mrk_keyring_new(const char *key_id, const esdk_kms_options *opts, esdk_keyring **out)
{
    ESDK_ENSURE(out != NULL, ESDK_ERR_BAD_ARGUMENT);
    ESDK_TRY(esdk_kms_check_key_id(opts, key_id));
    struct mrk_keyring *kr = esdk_mem_acquire(sizeof *kr);
    if (!kr) {
        return esdk_fail(ESDK_ERR_NO_MEMORY, "cannot allocate a keyring");
    }
    int rc = esdk_kms_options_clone(opts, &kr->opts);
    if (rc == 0 && !(kr->key_id = esdk_str_copy(key_id))) {
        rc = esdk_fail(ESDK_ERR_NO_MEMORY, "cannot allocate a keyring");
    }
    if (rc != 0) {
        destroy(kr);
        return rc;
    }
    return esdk_keyring_new(&mrk_vt, kr, out);
}
