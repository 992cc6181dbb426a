/* RSA keys in the token: CKM_RSA_PKCS_OAEP (MGF1 with the same hash, empty label) in the raw
 * RSA keyring's EDK layout (spec-facts 3.3): provider id = namespace, provider info = key
 * name, ciphertext = RSA ciphertext. Encrypt uses the token's public key object (C_Encrypt),
 * decrypt the private key. */
#include <string.h>

#include <aws-esdk-c/error.h>

#include "common/mem.h"
#include "common/status.h"
#include "keyrings/pkcs11/errors.h"
#include "keyrings/pkcs11/keyring.h"

/* last: poisons calls this library must not make */
#include "banned.h"

#define MAX_MODULUS 1024u /* 8192-bit keys */

bool esdk_p11_rsa_edk_matches(const esdk_p11_keyring *kr, const esdk_edk *edk)
{
    return esdk_bytes_equal(
               edk->provider_id, edk->provider_id_len, kr->cfg->key_namespace, kr->namespace_len) &&
           esdk_bytes_equal(
               edk->provider_info, edk->provider_info_len, kr->key_name, kr->key_name_len);
}

struct rsa_op {
    esdk_p11_keyring *kr;
    bool encrypt;
    const uint8_t *in;
    size_t in_len;
    uint8_t out[MAX_MODULUS];
    CK_ULONG out_len;
};

static CK_RV rsa_op(CK_FUNCTION_LIST_PTR fn, CK_SESSION_HANDLE s, unsigned generation, void *ctx)
{
    struct rsa_op *op = ctx;
    CK_OBJECT_HANDLE key;
    CK_RV rv = esdk_p11_keyring_key(op->kr, fn, s, generation, op->encrypt, &key);
    if (rv != CKR_OK) {
        return rv;
    }
    bool sha256 = op->kr->cfg->oaep_hash == ESDK_PKCS11_OAEP_SHA256;
    CK_RSA_PKCS_OAEP_PARAMS oaep = {
        sha256 ? CKM_SHA256 : CKM_SHA_1,
        sha256 ? CKG_MGF1_SHA256 : CKG_MGF1_SHA1,
        CKZ_DATA_SPECIFIED,
        NULL,
        0};
    CK_MECHANISM mech = {CKM_RSA_PKCS_OAEP, &oaep, sizeof oaep};
    CK_BYTE_PTR in = (CK_BYTE_PTR)(uintptr_t)op->in;
    op->out_len = sizeof op->out;
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

static const char *hint(const esdk_p11_keyring *kr, CK_RV rv, bool encrypt)
{
    if (rv == CKR_KEY_HANDLE_INVALID) {
        return encrypt ? " (no RSA public key object with that label/id in the token: this "
                         "keyring can only decrypt)"
                       : " (no RSA private key object with that label/id in the token: this "
                         "keyring can only encrypt)";
    }
    if ((rv == CKR_ARGUMENTS_BAD || rv == CKR_MECHANISM_PARAM_INVALID) &&
        kr->cfg->oaep_hash == ESDK_PKCS11_OAEP_SHA256) {
        return " (the module refuses OAEP-SHA256; SoftHSM2 2.6 accepts only oaep=sha1)";
    }
    if (rv == CKR_KEY_FUNCTION_NOT_PERMITTED) {
        return encrypt ? " (the public key lacks CKA_ENCRYPT)" : " (the key lacks CKA_DECRYPT)";
    }
    return NULL;
}

int esdk_p11_rsa_wrap(esdk_p11_keyring *kr, esdk_p11_pool *pool, esdk_enc_materials *m)
{
    const uint8_t *key;
    size_t key_len;
    struct rsa_op *op = esdk_mem_acquire(sizeof *op);
    CK_RV rv;
    int rc;
    if (!op) {
        return esdk_fail(ESDK_ERR_NO_MEMORY, "cannot allocate an RSA operation");
    }
    if (!esdk_enc_materials_data_key(m, &key, &key_len)) {
        ESDK_TRY_GOTO(rc, esdk_enc_materials_generate_data_key(m));
        (void)esdk_enc_materials_data_key(m, &key, &key_len);
    }
    op->kr = kr;
    op->encrypt = true;
    op->in = key;
    op->in_len = key_len;
    rc = esdk_p11_pool_run(pool, rsa_op, op, &rv);
    if (rc != 0) {
        rc = esdk_p11_keyring_note_failure(kr, rc);
        goto cleanup;
    }
    if (rv != CKR_OK) {
        rc = esdk_p11_keyring_fail(kr, rv, "RSA-OAEP encrypt", hint(kr, rv, true));
        goto cleanup;
    }
    esdk_edk edk = {
        (const uint8_t *)kr->cfg->key_namespace,
        kr->namespace_len,
        (const uint8_t *)kr->key_name,
        kr->key_name_len,
        op->out,
        op->out_len};
    rc = esdk_enc_materials_add_edk(m, &edk);
cleanup:
    esdk_mem_release_secret(op, sizeof *op);
    return rc;
}

int esdk_p11_rsa_unwrap(
    esdk_p11_keyring *kr, esdk_p11_pool *pool, esdk_dec_materials *m, const esdk_edk_list *edks)
{
    const size_t key_len = esdk_suite_data_key_len(esdk_dec_materials_suite(m));
    struct rsa_op *op = esdk_mem_acquire(sizeof *op);
    size_t tried = 0;
    CK_RV last = CKR_OK;
    int rc = ESDK_ERR_CANNOT_DECRYPT;
    if (!op) {
        return esdk_fail(ESDK_ERR_NO_MEMORY, "cannot allocate an RSA operation");
    }
    for (size_t i = 0; i < esdk_edk_list_count(edks) && rc == ESDK_ERR_CANNOT_DECRYPT; i++) {
        esdk_edk edk;
        CK_RV rv;
        ESDK_TRY_GOTO(rc, esdk_edk_list_get(edks, i, &edk));
        rc = ESDK_ERR_CANNOT_DECRYPT;
        if (!esdk_p11_rsa_edk_matches(kr, &edk) || edk.ciphertext_len == 0 ||
            edk.ciphertext_len > MAX_MODULUS) {
            continue;
        }
        tried++;
        op->kr = kr;
        op->encrypt = false;
        op->in = edk.ciphertext;
        op->in_len = edk.ciphertext_len;
        rc = esdk_p11_pool_run(pool, rsa_op, op, &rv);
        if (rc != 0) {
            rc = esdk_p11_keyring_note_failure(kr, rc);
            goto cleanup;
        }
        if (rv == CKR_OK && op->out_len == key_len) {
            rc = esdk_dec_materials_set_data_key(m, op->out, key_len);
        } else if (
            rv != CKR_OK &&
            (esdk_p11_rv_is_backend(rv) || rv == CKR_KEY_HANDLE_INVALID ||
             rv == CKR_KEY_FUNCTION_NOT_PERMITTED || rv == CKR_MECHANISM_INVALID ||
             rv == CKR_MECHANISM_PARAM_INVALID ||
             (rv == CKR_ARGUMENTS_BAD && kr->cfg->oaep_hash != ESDK_PKCS11_OAEP_SHA1))) {
            rc = esdk_p11_keyring_fail(kr, rv, "RSA-OAEP decrypt", hint(kr, rv, false));
            goto cleanup;
        } else {
            last = rv; /* not this key's ciphertext */
            rc = ESDK_ERR_CANNOT_DECRYPT;
        }
        esdk_wipe(op->out, sizeof op->out);
    }
    if (rc == ESDK_ERR_CANNOT_DECRYPT) {
        const char *name = esdk_p11_rv_name(last);
        rc = esdk_fail(
            rc,
            "PKCS#11 keyring for %s, RSA key %s: %zu matching EDK(s), none could be "
            "decrypted%s%s",
            kr->token_text,
            kr->key_text,
            tried,
            tried ? ", last: " : "",
            tried ? (name ? name : "CKR error") : "");
    }
cleanup:
    esdk_mem_release_secret(op, sizeof *op);
    return rc;
}
