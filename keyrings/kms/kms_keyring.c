/* The strict AWS KMS keyrings: one key each. The plain keyring decrypts only EDKs whose
 * provider info is exactly its identifier; the multi-Region-key-aware one also takes an EDK
 * of any replica of its multi-Region key ("MRK match for decrypt") and then calls Decrypt
 * with its own identifier, in its own region. They differ only in that rule and their name. */
#include <stdbool.h>
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

struct kms_keyring {
    esdk_kms_options *opts;
    char *key_id;
    bool mrk_aware;
};

static const char *name_of(const struct kms_keyring *kr)
{
    return kr->mrk_aware ? "aws-kms-mrk" : "aws-kms";
}

static int on_encrypt(void *state, esdk_enc_materials *m)
{
    const struct kms_keyring *kr = state;
    return esdk_kms_wrap(kr->opts, name_of(kr), kr->key_id, m);
}

static int filter(
    const void *keyring,
    const char *info,
    size_t info_len,
    const esdk_kms_arn *arn,
    char **request_key_id)
{
    const struct kms_keyring *kr = keyring;
    const size_t id_len = strlen(kr->key_id);
    (void)arn;
    bool match = kr->mrk_aware ? esdk_kms_mrk_match_n(kr->key_id, id_len, info, info_len)
                               : esdk_bytes_equal(info, info_len, kr->key_id, id_len);
    if (!match) {
        return 0;
    }
    ESDK_TRY(esdk_kms_copy(kr->key_id, id_len, request_key_id));
    return 1;
}

static int on_decrypt(void *state, esdk_dec_materials *m, const esdk_edk_list *edks)
{
    const struct kms_keyring *kr = state;
    return esdk_kms_unwrap(kr->opts, name_of(kr), m, edks, filter, kr);
}

static void destroy(void *state)
{
    struct kms_keyring *kr = state;
    esdk_kms_options_release(kr->opts);
    esdk_str_release(kr->key_id);
    esdk_mem_release(kr, sizeof *kr);
}

static const esdk_keyring_vtable kms_vt = {
    .size = sizeof(esdk_keyring_vtable),
    .name = "aws-kms",
    .on_encrypt = on_encrypt,
    .on_decrypt = on_decrypt,
    .destroy = destroy,
};

static const esdk_keyring_vtable mrk_vt = {
    .size = sizeof(esdk_keyring_vtable),
    .name = "aws-kms-mrk",
    .on_encrypt = on_encrypt,
    .on_decrypt = on_decrypt,
    .destroy = destroy,
};

static int
strict_new(const char *key_id, const esdk_kms_options *opts, bool mrk_aware, esdk_keyring **out)
{
    ESDK_ENSURE(out != NULL, ESDK_ERR_BAD_ARGUMENT);
    ESDK_TRY(esdk_kms_check_key_id(opts, key_id));
    struct kms_keyring *kr = esdk_mem_acquire(sizeof *kr);
    if (!kr) {
        return esdk_fail(ESDK_ERR_NO_MEMORY, "cannot allocate a keyring");
    }
    kr->mrk_aware = mrk_aware;
    int rc = esdk_kms_options_clone(opts, &kr->opts);
    if (rc == 0 && !(kr->key_id = esdk_str_copy(key_id))) {
        rc = esdk_fail(ESDK_ERR_NO_MEMORY, "cannot allocate a keyring");
    }
    if (rc != 0) {
        destroy(kr);
        return rc;
    }
    return esdk_keyring_new(mrk_aware ? &mrk_vt : &kms_vt, kr, out);
}

int esdk_kms_keyring_new(const char *key_id, const esdk_kms_options *opts, esdk_keyring **out)
{
    return strict_new(key_id, opts, false, out);
}

int esdk_kms_mrk_keyring_new(const char *key_id, const esdk_kms_options *opts, esdk_keyring **out)
{
    return strict_new(key_id, opts, true, out);
}
