/* The hierarchical keyring's EDK ciphertext: salt || IV || version || AES-256-GCM(data key)
 * || tag, under a key derived from the branch key (see keyrings/hierarchy.h). */
#include <string.h>

#include <aws-esdk-c/error.h>

#include "common/buf.h"
#include "common/mem.h"
#include "common/status.h"
#include "crypto/aead.h"
#include "crypto/kdf_ctr.h"
#include "crypto/random.h"
#include "keyrings/hierarchy/internal.h"

/* last: poisons calls this library must not make */
#include "banned.h"

#define LABEL        "aws-kms-hierarchy"
#define WRAP_KEY_LEN 32
#define MAX_DATA_KEY 32

int esdk_hk_derive(
    const uint8_t branch_key[ESDK_BRANCH_KEY_LEN], const uint8_t salt[HK_SALT_LEN], uint8_t out[32])
{
    return esdk_kdf_ctr_hmac(
        ESDK_HASH_SHA256,
        branch_key,
        ESDK_BRANCH_KEY_LEN,
        (const uint8_t *)LABEL,
        sizeof LABEL - 1,
        salt,
        HK_SALT_LEN,
        out,
        WRAP_KEY_LEN);
}

int esdk_hk_aad(
    const uint8_t *id,
    size_t id_len,
    const uint8_t version[ESDK_BRANCH_KEY_VERSION_LEN],
    const uint8_t *ec,
    size_t ec_len,
    esdk_buf *out)
{
    ESDK_TRY(esdk_buf_append(out, LABEL, sizeof LABEL - 1));
    ESDK_TRY(esdk_buf_append(out, id, id_len));
    ESDK_TRY(esdk_buf_append(out, version, ESDK_BRANCH_KEY_VERSION_LEN));
    return ec_len ? esdk_buf_append(out, ec, ec_len) : 0;
}

int esdk_hk_wrap(
    const esdk_branch_key *bk,
    const uint8_t *id,
    size_t id_len,
    const uint8_t *ec,
    size_t ec_len,
    const uint8_t *key,
    size_t key_len,
    uint8_t *out)
{
    ESDK_ENSURE(key != NULL && key_len > 0 && key_len <= MAX_DATA_KEY, ESDK_ERR_BAD_ARGUMENT);
    uint8_t *salt = out, *iv = out + HK_SALT_LEN, *version = iv + HK_IV_LEN;
    uint8_t *wrapped = version + ESDK_BRANCH_KEY_VERSION_LEN;
    uint8_t wrap_key[WRAP_KEY_LEN];
    esdk_buf aad = ESDK_BUF_INIT;
    int rc;
    ESDK_TRY_GOTO(rc, esdk_random_bytes(salt, HK_SALT_LEN + HK_IV_LEN));
    memcpy(version, bk->version, ESDK_BRANCH_KEY_VERSION_LEN);
    ESDK_TRY_GOTO(rc, esdk_hk_derive(bk->key, salt, wrap_key));
    ESDK_TRY_GOTO(rc, esdk_hk_aad(id, id_len, bk->version, ec, ec_len, &aad));
    rc = esdk_aead_seal(
        wrap_key, sizeof wrap_key, iv, aad.data, aad.len, key, key_len, wrapped, wrapped + key_len);
cleanup:
    esdk_wipe(wrap_key, sizeof wrap_key);
    esdk_buf_release(&aad);
    return rc;
}

bool esdk_hk_ciphertext_version(
    const uint8_t *ct, size_t ct_len, size_t key_len, const uint8_t **version)
{
    if (ct == NULL || ct_len != HK_CT_OVERHEAD + key_len) {
        return false;
    }
    *version = ct + HK_SALT_LEN + HK_IV_LEN;
    return true;
}

int esdk_hk_unwrap(
    const esdk_branch_key *bk,
    const uint8_t *id,
    size_t id_len,
    const uint8_t *ec,
    size_t ec_len,
    const uint8_t *ct,
    size_t ct_len,
    size_t key_len,
    uint8_t *key)
{
    const uint8_t *version;
    ESDK_ENSURE(key != NULL && key_len > 0 && key_len <= MAX_DATA_KEY, ESDK_ERR_BAD_ARGUMENT);
    if (!esdk_hk_ciphertext_version(ct, ct_len, key_len, &version)) {
        return esdk_fail(
            ESDK_ERR_BAD_CIPHERTEXT, "hierarchical EDK ciphertext is %zu bytes", ct_len);
    }
    const uint8_t *salt = ct, *iv = ct + HK_SALT_LEN;
    const uint8_t *wrapped = version + ESDK_BRANCH_KEY_VERSION_LEN;
    uint8_t wrap_key[WRAP_KEY_LEN];
    esdk_buf aad = ESDK_BUF_INIT;
    int rc;
    ESDK_TRY_GOTO(rc, esdk_hk_derive(bk->key, salt, wrap_key));
    ESDK_TRY_GOTO(rc, esdk_hk_aad(id, id_len, version, ec, ec_len, &aad));
    rc = esdk_aead_open(
        wrap_key, sizeof wrap_key, iv, aad.data, aad.len, wrapped, key_len, wrapped + key_len, key);
    if (rc) {
        rc = esdk_fail(ESDK_ERR_BAD_TAG, "hierarchical EDK: the wrapped data key does not verify");
    }
cleanup:
    esdk_wipe(wrap_key, sizeof wrap_key);
    esdk_buf_release(&aad);
    if (rc) {
        esdk_wipe(key, key_len);
    }
    return rc;
}
