/* Builder for "aws-kms-hierarchy" key descriptions with a static branch key: a keys entry
 * {type: "static-branch-key", key-id, branchKeyVersion (UUID), branchKey (base64)}. */
#define _POSIX_C_SOURCE 200809L

#include <stdlib.h>
#include <string.h>

#include <aws-esdk-c/keyrings/hierarchy.h>

#include "kf_internal.h"
#include "util.h"

bool kf_hierarchy(kf_ctx *ctx, const cJSON *desc, kf_candidate *out)
{
    const char *name;
    const cJSON *key = kf_lookup_key(ctx, desc, &name);
    if (!key || !kf_key_allows(ctx, key, name)) {
        return false;
    }
    const char *type = vu_json_str(key, "type");
    const char *id = vu_json_str(key, "key-id");
    const char *version = vu_json_str(key, "branchKeyVersion");
    const char *b64 = vu_json_str(key, "branchKey");
    if (!type || strcmp(type, "static-branch-key") != 0) {
        kf_unusable(
            ctx, "hierarchy key \"%s\" is not a static branch key (needs a key store)", name);
        return false;
    }
    uint8_t *bk;
    size_t bk_len;
    if (!id || !version || !b64 || vu_base64_decode(b64, &bk, &bk_len) != 0) {
        kf_bad(
            ctx, "static branch key \"%s\" needs key-id, branchKeyVersion, base64 branchKey", name);
        return false;
    }
    esdk_branch_key_supplier *supplier = NULL;
    esdk_keyring *kr = NULL;
    int rc = esdk_branch_key_supplier_static_new(id, version, bk, bk_len, &supplier);
    if (!rc) {
        rc = esdk_keyring_hierarchy_new(id, supplier, NULL, &kr);
    }
    esdk_branch_key_supplier_release(supplier);
    memset(bk, 0, bk_len);
    free(bk);
    return kf_made(out, vu_xasprintf("aws-kms-hierarchy %s", id), rc, kr);
}
