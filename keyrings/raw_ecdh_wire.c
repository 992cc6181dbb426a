/* Raw ECDH keyring: provider info, fixedInfo, key derivation, wrap and unwrap
 * (see raw_ecdh_wire.h; byte layouts confirmed against the official vectors). */
#include "keyrings/raw_ecdh_wire.h"

#include <string.h>

#include <aws-esdk-c/error.h>

#include "common/buf.h"
#include "common/mem.h"
#include "common/status.h"
#include "crypto/aead.h"
#include "crypto/kdf_ctr.h"
#include "crypto/random.h"

/* last: poisons calls this library must not make */
#include "banned.h"

#define MAX_DATA_KEY 32

const char *esdk_ecdh_curve_label(esdk_curve curve)
{
    static const char *const labels[] = {"p256", "p384", "p521"};
    return (unsigned)curve < 3 ? labels[curve] : "";
}

int esdk_ecdh_info_write(
    const uint8_t *recipient,
    size_t recipient_len,
    const uint8_t *sender,
    size_t sender_len,
    esdk_buf *out)
{
    ESDK_TRY(esdk_buf_append_u8(out, ESDK_ECDH_INFO_VERSION));
    ESDK_TRY(esdk_buf_append_be32(out, (uint32_t)recipient_len));
    ESDK_TRY(esdk_buf_append(out, recipient, recipient_len));
    ESDK_TRY(esdk_buf_append_be32(out, (uint32_t)sender_len));
    return esdk_buf_append(out, sender, sender_len);
}

bool esdk_ecdh_info_parse(
    const uint8_t *info, size_t len, size_t point_len, esdk_cur *recipient, esdk_cur *sender)
{
    esdk_cur c = esdk_cur_of(info, len);
    uint8_t version;
    uint32_t r_len, s_len;
    return esdk_cur_read_u8(&c, &version) && version == ESDK_ECDH_INFO_VERSION &&
           esdk_cur_read_be32(&c, &r_len) && r_len == point_len &&
           esdk_cur_take(&c, r_len, recipient) && esdk_cur_read_be32(&c, &s_len) &&
           s_len == point_len && esdk_cur_take(&c, s_len, sender) && c.len == 0;
}

int esdk_ecdh_fixed_info(
    esdk_curve curve,
    const uint8_t *sender,
    size_t sender_len,
    const uint8_t *recipient,
    size_t recipient_len,
    const uint8_t *ec,
    size_t ec_len,
    esdk_buf *out)
{
    static const char kdf_label[] = "ecdh-key-derivation";
    static const char prf[] = "HMAC_SHA384";
    const char *name = esdk_ecdh_curve_label(curve);
    ESDK_ENSURE(*name != '\0', ESDK_ERR_BAD_ARGUMENT);
    ESDK_TRY(esdk_buf_append(out, kdf_label, sizeof kdf_label - 1));
    ESDK_TRY(esdk_buf_append_u8(out, 0x00));
    ESDK_TRY(esdk_buf_append(out, name, strlen(name)));
    ESDK_TRY(esdk_buf_append_u8(out, 0x00));
    ESDK_TRY(esdk_buf_append(out, prf, sizeof prf - 1));
    ESDK_TRY(esdk_buf_append_u8(out, 0x00));
    ESDK_TRY(esdk_buf_append(out, sender, sender_len));
    ESDK_TRY(esdk_buf_append(out, recipient, recipient_len));
    ESDK_TRY(esdk_buf_append_u8(out, 0x00));
    ESDK_TRY(esdk_buf_append_u8(out, ESDK_ECDH_INFO_VERSION));
    ESDK_TRY(esdk_buf_append_u8(out, 0x00));
    return ec_len ? esdk_buf_append(out, ec, ec_len) : 0;
}

int esdk_ecdh_derive(
    const uint8_t *z,
    size_t z_len,
    const uint8_t *fixed_info,
    size_t fixed_len,
    const uint8_t nonce[ESDK_ECDH_NONCE_LEN],
    uint8_t okm[ESDK_ECDH_OKM_LEN])
{
    return esdk_kdf_ctr_hmac(
        ESDK_HASH_SHA384,
        z,
        z_len,
        fixed_info,
        fixed_len,
        nonce,
        ESDK_ECDH_NONCE_LEN,
        okm,
        ESDK_ECDH_OKM_LEN);
}

int esdk_ecdh_wrap(
    const uint8_t *z,
    size_t z_len,
    const uint8_t *fixed_info,
    size_t fixed_len,
    const uint8_t *key,
    size_t key_len,
    uint8_t *out)
{
    static const uint8_t zero_iv[ESDK_GCM_IV_LEN] = {0};
    ESDK_ENSURE(key != NULL && key_len > 0 && key_len <= MAX_DATA_KEY, ESDK_ERR_BAD_ARGUMENT);
    uint8_t okm[ESDK_ECDH_OKM_LEN];
    uint8_t *nonce = out;
    uint8_t *commit = out + ESDK_ECDH_NONCE_LEN;
    uint8_t *wrapped = commit + ESDK_ECDH_COMMIT_LEN;
    int rc;
    ESDK_TRY_GOTO(rc, esdk_random_bytes(nonce, ESDK_ECDH_NONCE_LEN));
    ESDK_TRY_GOTO(rc, esdk_ecdh_derive(z, z_len, fixed_info, fixed_len, nonce, okm));
    memcpy(commit, okm, ESDK_ECDH_COMMIT_LEN);
    /* a zero IV is safe: every wrapping key is fresh (random nonce in the derivation) */
    rc = esdk_aead_seal(
        okm + ESDK_ECDH_COMMIT_LEN,
        ESDK_ECDH_OKM_LEN - ESDK_ECDH_COMMIT_LEN,
        zero_iv,
        fixed_info,
        fixed_len,
        key,
        key_len,
        wrapped,
        wrapped + key_len);
cleanup:
    esdk_wipe(okm, sizeof okm);
    return rc;
}

int esdk_ecdh_unwrap(
    const uint8_t *z,
    size_t z_len,
    const uint8_t *fixed_info,
    size_t fixed_len,
    const uint8_t *ciphertext,
    size_t ciphertext_len,
    size_t key_len,
    uint8_t *key)
{
    static const uint8_t zero_iv[ESDK_GCM_IV_LEN] = {0};
    ESDK_ENSURE(key != NULL && key_len > 0 && key_len <= MAX_DATA_KEY, ESDK_ERR_BAD_ARGUMENT);
    if (ciphertext == NULL || ciphertext_len != ESDK_ECDH_CT_OVERHEAD + key_len) {
        return esdk_fail(
            ESDK_ERR_BAD_CIPHERTEXT,
            "raw ECDH EDK ciphertext is %zu bytes, not %zu",
            ciphertext_len,
            (size_t)ESDK_ECDH_CT_OVERHEAD + key_len);
    }
    const uint8_t *nonce = ciphertext;
    const uint8_t *commit = ciphertext + ESDK_ECDH_NONCE_LEN;
    const uint8_t *wrapped = commit + ESDK_ECDH_COMMIT_LEN;
    uint8_t okm[ESDK_ECDH_OKM_LEN];
    int rc;
    ESDK_TRY_GOTO(rc, esdk_ecdh_derive(z, z_len, fixed_info, fixed_len, nonce, okm));
    if (!esdk_ct_equal(okm, commit, ESDK_ECDH_COMMIT_LEN)) {
        rc = esdk_fail(
            ESDK_ERR_COMMITMENT_MISMATCH,
            "raw ECDH EDK: the commitment key does not match the derived one");
        goto cleanup;
    }
    rc = esdk_aead_open(
        okm + ESDK_ECDH_COMMIT_LEN,
        ESDK_ECDH_OKM_LEN - ESDK_ECDH_COMMIT_LEN,
        zero_iv,
        fixed_info,
        fixed_len,
        wrapped,
        key_len,
        wrapped + key_len,
        key);
    if (rc) {
        rc = esdk_fail(ESDK_ERR_BAD_TAG, "raw ECDH EDK: the wrapped data key does not verify");
    }
cleanup:
    esdk_wipe(okm, sizeof okm);
    if (rc) {
        esdk_wipe(key, key_len);
    }
    return rc;
}
