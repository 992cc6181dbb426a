/* AES keys in the token: CKM_AES_GCM wrap and unwrap in the raw AES keyring's EDK layout
 * (spec-facts 3.2): provider id = namespace; provider info = key name | u32 128 | u32 12 | IV;
 * ciphertext = wrapped key | tag; AAD = the serialized encryption context. */
#include <string.h>

#include <aws-esdk-c/error.h>

#include "common/buf.h"
#include "common/cursor.h"
#include "common/mem.h"
#include "common/status.h"
#include "crypto/random.h"
#include "format/context.h"
#include "keyrings/pkcs11/errors.h"
#include "keyrings/pkcs11/keyring.h"

/* last: poisons calls this library must not make */
#include "banned.h"

#define IV_LEN       12u
#define TAG_LEN      16u
#define TAG_BITS     128u
#define MAX_KEY      32u
#define OUT_CAPACITY 64u

bool esdk_p11_aes_edk_matches(const esdk_p11_keyring *kr, const esdk_edk *edk, const uint8_t **iv)
{
    esdk_cur info = esdk_cur_of(edk->provider_info, edk->provider_info_len);
    esdk_cur name, ivc;
    uint32_t tag_bits, iv_len;
    if (!esdk_bytes_equal(
            edk->provider_id, edk->provider_id_len, kr->cfg->key_namespace, kr->namespace_len) ||
        !esdk_cur_take(&info, kr->key_name_len, &name) ||
        !esdk_bytes_equal(name.ptr, name.len, kr->key_name, kr->key_name_len) ||
        !esdk_cur_read_be32(&info, &tag_bits) || !esdk_cur_read_be32(&info, &iv_len) ||
        tag_bits != TAG_BITS || iv_len != IV_LEN || !esdk_cur_take(&info, iv_len, &ivc) ||
        info.len != 0) {
        return false;
    }
    *iv = ivc.ptr;
    return true;
}

struct gcm_op {
    esdk_p11_keyring *kr;
    bool encrypt;
    uint8_t iv[IV_LEN];
    uint8_t *aad;
    size_t aad_len;
    const uint8_t *in;
    size_t in_len;
    uint8_t out[OUT_CAPACITY];
    CK_ULONG out_len;
};

static CK_RV gcm_op(CK_FUNCTION_LIST_PTR fn, CK_SESSION_HANDLE s, unsigned generation, void *ctx)
{
    struct gcm_op *op = ctx;
    CK_OBJECT_HANDLE key;
    CK_RV rv = esdk_p11_keyring_key(op->kr, fn, s, generation, false, &key);
    if (rv != CKR_OK) {
        return rv;
    }
    CK_GCM_PARAMS gcm = {op->iv, IV_LEN, IV_LEN * 8, op->aad, op->aad_len, TAG_BITS};
    CK_MECHANISM mech = {CKM_AES_GCM, &gcm, sizeof gcm};
    op->out_len = sizeof op->out;
    /* The PKCS#11 prototypes take non-const input pointers; the module only reads them. */
    CK_BYTE_PTR in = (CK_BYTE_PTR)(uintptr_t)op->in;
    if (op->encrypt) {
        rv = fn->C_EncryptInit(s, &mech, key);
        if (rv == CKR_OK) {
            rv = fn->C_Encrypt(s, in, op->in_len, op->out, &op->out_len);
        }
    } else {
        rv = fn->C_DecryptInit(s, &mech, key);
        if (rv == CKR_OK) {
            rv = fn->C_Decrypt(s, in, op->in_len, op->out, &op->out_len);
        }
    }
    if (rv == CKR_KEY_HANDLE_INVALID || rv == CKR_OBJECT_HANDLE_INVALID) {
        esdk_p11_keyring_forget_handles(op->kr);
    }
    return rv;
}

static bool all_zero(const uint8_t *p, size_t n)
{
    uint8_t acc = 0;
    for (size_t i = 0; i < n; i++) {
        acc |= p[i];
    }
    return acc == 0;
}

static const char *wrap_hint(const esdk_p11_keyring *kr, CK_RV rv)
{
    if (rv == CKR_KEY_HANDLE_INVALID) {
        return " (the key is no longer in the token)";
    }
    if (rv == CKR_KEY_FUNCTION_NOT_PERMITTED) {
        return " (the key lacks CKA_ENCRYPT)";
    }
    if ((rv == CKR_MECHANISM_PARAM_INVALID || rv == CKR_ARGUMENTS_BAD) &&
        kr->cfg->iv_mode == ESDK_PKCS11_IV_CALLER) {
        return " (if the module makes its own GCM IVs, as AWS CloudHSM does, use iv=module)";
    }
    return NULL;
}

int esdk_p11_aes_wrap(esdk_p11_keyring *kr, esdk_p11_pool *pool, esdk_enc_materials *m)
{
    const uint8_t *key;
    size_t key_len;
    esdk_buf aad = ESDK_BUF_INIT;
    esdk_buf info = ESDK_BUF_INIT;
    struct gcm_op op;
    CK_RV rv;
    int rc;
    memset(&op, 0, sizeof op);
    if (!esdk_enc_materials_data_key(m, &key, &key_len)) {
        ESDK_TRY(esdk_enc_materials_generate_data_key(m));
        (void)esdk_enc_materials_data_key(m, &key, &key_len);
    }
    ESDK_TRY_GOTO(rc, esdk_enc_ctx_serialize(esdk_enc_materials_context(m), &aad));
    if (kr->cfg->iv_mode == ESDK_PKCS11_IV_CALLER) {
        ESDK_TRY_GOTO(rc, esdk_random_bytes(op.iv, IV_LEN));
    }
    op.kr = kr;
    op.encrypt = true;
    op.aad = aad.data;
    op.aad_len = aad.len;
    op.in = key;
    op.in_len = key_len;
    rc = esdk_p11_pool_run(pool, gcm_op, &op, &rv);
    if (rc != 0) {
        rc = esdk_p11_keyring_note_failure(kr, rc);
        goto cleanup;
    }
    if (rv != CKR_OK) {
        rc = esdk_p11_keyring_fail(kr, rv, "AES-GCM wrap", wrap_hint(kr, rv));
        goto cleanup;
    }
    if (op.out_len != key_len + TAG_LEN) {
        rc = esdk_fail(
            ESDK_ERR_KEYRING,
            "AES-GCM wrap returned %lu bytes, not the %zu of ciphertext and tag",
            (unsigned long)op.out_len,
            key_len + TAG_LEN);
        rc = esdk_p11_keyring_note_failure(kr, rc);
        goto cleanup;
    }
    if (kr->cfg->iv_mode == ESDK_PKCS11_IV_MODULE && all_zero(op.iv, IV_LEN)) {
        rc = esdk_fail(
            ESDK_ERR_KEYRING,
            "iv=module, but the module did not write a GCM IV back (it expects the "
            "caller's IV, as SoftHSM2 does: use iv=caller)");
        rc = esdk_p11_keyring_note_failure(kr, rc);
        goto cleanup;
    }
    ESDK_TRY_GOTO(rc, esdk_buf_append(&info, kr->key_name, kr->key_name_len));
    ESDK_TRY_GOTO(rc, esdk_buf_append_be32(&info, TAG_BITS));
    ESDK_TRY_GOTO(rc, esdk_buf_append_be32(&info, IV_LEN));
    ESDK_TRY_GOTO(rc, esdk_buf_append(&info, op.iv, IV_LEN));
    esdk_edk edk = {
        (const uint8_t *)kr->cfg->key_namespace,
        kr->namespace_len,
        info.data,
        info.len,
        op.out,
        op.out_len};
    rc = esdk_enc_materials_add_edk(m, &edk);
cleanup:
    esdk_buf_release(&aad);
    esdk_buf_release(&info);
    esdk_wipe(&op, sizeof op);
    return rc;
}

int esdk_p11_aes_unwrap(
    esdk_p11_keyring *kr, esdk_p11_pool *pool, esdk_dec_materials *m, const esdk_edk_list *edks)
{
    const size_t key_len = esdk_suite_data_key_len(esdk_dec_materials_suite(m));
    esdk_buf aad = ESDK_BUF_INIT;
    struct gcm_op op;
    size_t tried = 0;
    CK_RV last = CKR_OK;
    int rc;
    memset(&op, 0, sizeof op);
    ESDK_TRY_GOTO(rc, esdk_enc_ctx_serialize(esdk_dec_materials_context(m), &aad));
    rc = ESDK_ERR_CANNOT_DECRYPT;
    for (size_t i = 0; i < esdk_edk_list_count(edks) && rc == ESDK_ERR_CANNOT_DECRYPT; i++) {
        esdk_edk edk;
        const uint8_t *iv;
        CK_RV rv;
        ESDK_TRY_GOTO(rc, esdk_edk_list_get(edks, i, &edk));
        rc = ESDK_ERR_CANNOT_DECRYPT;
        if (!esdk_p11_aes_edk_matches(kr, &edk, &iv) || key_len > MAX_KEY ||
            edk.ciphertext_len != key_len + TAG_LEN) {
            continue;
        }
        tried++;
        op.kr = kr;
        op.encrypt = false;
        memcpy(op.iv, iv, IV_LEN);
        op.aad = aad.data;
        op.aad_len = aad.len;
        op.in = edk.ciphertext;
        op.in_len = edk.ciphertext_len;
        rc = esdk_p11_pool_run(pool, gcm_op, &op, &rv);
        if (rc != 0) {
            rc = esdk_p11_keyring_note_failure(kr, rc);
            goto cleanup;
        }
        if (rv == CKR_OK && op.out_len == key_len) {
            rc = esdk_dec_materials_set_data_key(m, op.out, key_len);
        } else if (
            rv != CKR_OK && (esdk_p11_rv_is_backend(rv) || rv == CKR_KEY_HANDLE_INVALID ||
                             rv == CKR_KEY_FUNCTION_NOT_PERMITTED)) {
            /* The token, not this EDK, is the problem: the other EDKs would fail alike. */
            rc = esdk_p11_keyring_fail(kr, rv, "AES-GCM unwrap", NULL);
            goto cleanup;
        } else {
            last = rv; /* a tag mismatch: SoftHSM2 says CKR_GENERAL_ERROR */
            rc = ESDK_ERR_CANNOT_DECRYPT;
        }
        esdk_wipe(op.out, sizeof op.out);
    }
    if (rc == ESDK_ERR_CANNOT_DECRYPT) {
        const char *name = esdk_p11_rv_name(last);
        rc = esdk_fail(
            rc,
            "PKCS#11 keyring for %s, AES key %s: %zu matching EDK(s), none could be "
            "unwrapped%s%s",
            kr->token_text,
            kr->key_text,
            tried,
            tried ? ", last: " : "",
            tried ? (name ? name : "CKR error") : "");
    }
cleanup:
    esdk_buf_release(&aad);
    esdk_wipe(&op, sizeof op);
    return rc;
}
