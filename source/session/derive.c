/* HKDF key derivation for v1 and v2 suites, and the v2 commit key. */
#include "session/derive.h"

#include <string.h>

#include <aws-esdk-c/error.h>

#include "common/buf.h"
#include "common/mem.h"
#include "common/status.h"
#include "crypto/hkdf.h"

/* last: poisons calls this library must not make */
#include "banned.h"

static const char derive_label[] = "DERIVEKEY";
static const char commit_label[] = "COMMITKEY";

static int derive_v2(
    const esdk_suite_info *suite,
    const uint8_t *data_key,
    const uint8_t *message_id,
    size_t message_id_len,
    uint8_t *key,
    uint8_t *commit)
{
    uint8_t prk[ESDK_HASH_MAX_LEN];
    uint8_t info[2 + sizeof derive_label - 1];
    const size_t prk_len = esdk_hash_len(suite->kdf_hash);
    esdk_store_be16(info, suite->id);
    memcpy(info + 2, derive_label, sizeof derive_label - 1);
    int rc = esdk_hkdf_extract(
        suite->kdf_hash, message_id, message_id_len, data_key, suite->key_len, prk);
    if (!rc) {
        rc =
            esdk_hkdf_expand(suite->kdf_hash, prk, prk_len, info, sizeof info, key, suite->key_len);
    }
    if (!rc && commit) {
        rc = esdk_hkdf_expand(
            suite->kdf_hash,
            prk,
            prk_len,
            (const uint8_t *)commit_label,
            sizeof commit_label - 1,
            commit,
            ESDK_COMMIT_KEY_LEN);
    }
    esdk_wipe(prk, sizeof prk);
    return rc;
}

int esdk_derive_message_key(
    const esdk_suite_info *suite,
    const uint8_t *data_key,
    const uint8_t *message_id,
    size_t message_id_len,
    bool legacy_info,
    uint8_t *key,
    uint8_t *commit)
{
    if (!suite->has_kdf) {
        memcpy(key, data_key, suite->key_len);
        return 0;
    }
    if (suite->committing) {
        return derive_v2(suite, data_key, message_id, message_id_len, key, commit);
    }
    uint8_t info[2 + ESDK_MESSAGE_ID_LEN_V2];
    esdk_store_be16(info, suite->id);
    memcpy(info + 2, message_id, message_id_len);
    size_t info_len = legacy_info ? 2 : 2 + message_id_len;
    return esdk_hkdf(
        suite->kdf_hash, NULL, 0, data_key, suite->key_len, info, info_len, key, suite->key_len);
}
