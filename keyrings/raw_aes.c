/* The raw AES keyring (spec-facts 3.2): AES-GCM wrapping under an application key, the
 * encryption context as AAD, the official provider-info layout. */
#include <string.h>

#include <aws-esdk-c/error.h>
#include <aws-esdk-c/keyrings/raw_aes.h>

#include "common/buf.h"
#include "common/cursor.h"
#include "common/mem.h"
#include "common/status.h"
#include "crypto/aead.h"
#include "crypto/random.h"
#include "crypto/secure_mem.h"
#include "format/context.h"

/* last: poisons calls this library must not make */
#include "banned.h"

#define TAG_BITS     128u
#define MAX_DATA_KEY 32

struct raw_aes {
    char *key_namespace;
    char *key_name;
    size_t name_len;
    uint8_t *wrapping_key; /* guarded memory */
    size_t wrapping_key_len;
};

static int on_encrypt(void *state, esdk_enc_materials *m)
{
    struct raw_aes *kr = state;
    const uint8_t *key;
    size_t key_len;
    esdk_buf aad = ESDK_BUF_INIT;
    esdk_buf info = ESDK_BUF_INIT;
    uint8_t iv[ESDK_GCM_IV_LEN];
    uint8_t wrapped[MAX_DATA_KEY + ESDK_GCM_TAG_LEN];
    int rc;
    if (!esdk_enc_materials_data_key(m, &key, &key_len)) {
        ESDK_TRY(esdk_enc_materials_generate_data_key(m));
        (void)esdk_enc_materials_data_key(m, &key, &key_len);
    }
    ESDK_TRY_GOTO(rc, esdk_enc_ctx_serialize(esdk_enc_materials_context(m), &aad));
    ESDK_TRY_GOTO(rc, esdk_random_bytes(iv, sizeof iv));
    ESDK_TRY_GOTO(
        rc,
        esdk_aead_seal(
            kr->wrapping_key,
            kr->wrapping_key_len,
            iv,
            aad.data,
            aad.len,
            key,
            key_len,
            wrapped,
            wrapped + key_len));
    ESDK_TRY_GOTO(rc, esdk_buf_append(&info, kr->key_name, kr->name_len));
    ESDK_TRY_GOTO(rc, esdk_buf_append_be32(&info, TAG_BITS));
    ESDK_TRY_GOTO(rc, esdk_buf_append_be32(&info, ESDK_GCM_IV_LEN));
    ESDK_TRY_GOTO(rc, esdk_buf_append(&info, iv, sizeof iv));
    esdk_edk edk = {
        (const uint8_t *)kr->key_namespace,
        strlen(kr->key_namespace),
        info.data,
        info.len,
        wrapped,
        key_len + ESDK_GCM_TAG_LEN};
    rc = esdk_enc_materials_add_edk(m, &edk);
cleanup:
    esdk_buf_release(&aad);
    esdk_buf_release(&info);
    esdk_wipe(wrapped, sizeof wrapped);
    return rc;
}

/* true if edk was written by this keyring; *iv points into its provider info. */
static bool edk_is_ours(const struct raw_aes *kr, const esdk_edk *edk, const uint8_t **iv)
{
    esdk_cur info = esdk_cur_of(edk->provider_info, edk->provider_info_len);
    esdk_cur name;
    uint32_t tag_bits, iv_len;
    esdk_cur ivc;
    if (!esdk_bytes_equal(
            edk->provider_id, edk->provider_id_len, kr->key_namespace, strlen(kr->key_namespace)) ||
        !esdk_cur_take(&info, kr->name_len, &name) ||
        !esdk_bytes_equal(name.ptr, name.len, kr->key_name, kr->name_len) ||
        !esdk_cur_read_be32(&info, &tag_bits) || !esdk_cur_read_be32(&info, &iv_len) ||
        tag_bits != TAG_BITS || iv_len != ESDK_GCM_IV_LEN || !esdk_cur_take(&info, iv_len, &ivc) ||
        info.len != 0) {
        return false;
    }
    *iv = ivc.ptr;
    return true;
}

static int on_decrypt(void *state, esdk_dec_materials *m, const esdk_edk_list *edks)
{
    struct raw_aes *kr = state;
    const size_t key_len = esdk_suite_data_key_len(esdk_dec_materials_suite(m));
    esdk_buf aad = ESDK_BUF_INIT;
    uint8_t key[MAX_DATA_KEY];
    size_t tried = 0;
    int rc;
    ESDK_TRY_GOTO(rc, esdk_enc_ctx_serialize(esdk_dec_materials_context(m), &aad));
    rc = ESDK_ERR_CANNOT_DECRYPT;
    for (size_t i = 0; i < esdk_edk_list_count(edks) && rc != 0; i++) {
        esdk_edk edk;
        const uint8_t *iv;
        ESDK_TRY_GOTO(rc, esdk_edk_list_get(edks, i, &edk));
        rc = ESDK_ERR_CANNOT_DECRYPT;
        if (!edk_is_ours(kr, &edk, &iv) || edk.ciphertext_len != key_len + ESDK_GCM_TAG_LEN) {
            continue;
        }
        tried++;
        if (esdk_aead_open(
                kr->wrapping_key,
                kr->wrapping_key_len,
                iv,
                aad.data,
                aad.len,
                edk.ciphertext,
                key_len,
                edk.ciphertext + key_len,
                key) == 0) {
            rc = esdk_dec_materials_set_data_key(m, key, key_len);
        }
    }
    if (rc == ESDK_ERR_CANNOT_DECRYPT) {
        rc = esdk_fail(
            rc,
            "raw AES keyring %s/%s: %zu matching EDK(s), none could be unwrapped",
            kr->key_namespace,
            kr->key_name,
            tried);
    }
cleanup:
    esdk_buf_release(&aad);
    esdk_wipe(key, sizeof key);
    return rc;
}

static void destroy(void *state)
{
    struct raw_aes *kr = state;
    esdk_str_release(kr->key_namespace);
    esdk_str_release(kr->key_name);
    esdk_secure_free(kr->wrapping_key);
    esdk_mem_release(kr, sizeof *kr);
}

static const esdk_keyring_vtable raw_aes_vt = {
    .size = sizeof(esdk_keyring_vtable),
    .name = "raw-aes",
    .on_encrypt = on_encrypt,
    .on_decrypt = on_decrypt,
    .destroy = destroy,
};

int esdk_keyring_raw_aes_new(
    const char *key_namespace,
    const char *key_name,
    const uint8_t *key,
    size_t key_len,
    esdk_keyring **out)
{
    ESDK_ENSURE(key_namespace && key_name && key && out, ESDK_ERR_BAD_ARGUMENT);
    if (key_len != 16 && key_len != 24 && key_len != 32) {
        return esdk_fail(
            ESDK_ERR_BAD_KEY, "a raw AES wrapping key is 16, 24 or 32 bytes, not %zu", key_len);
    }
    if (strncmp(key_namespace, "aws-kms", 7) == 0) {
        return esdk_fail(ESDK_ERR_BAD_ARGUMENT, "the key namespace 'aws-kms' is reserved");
    }
    if (!esdk_utf8_is_valid((const uint8_t *)key_namespace, strlen(key_namespace)) ||
        !esdk_utf8_is_valid((const uint8_t *)key_name, strlen(key_name)) ||
        strlen(key_namespace) > 0xFFFF || strlen(key_name) > 0xFFFF - 20) {
        return esdk_fail(ESDK_ERR_BAD_ARGUMENT, "key namespace or name is not valid UTF-8");
    }
    struct raw_aes *kr = esdk_mem_acquire(sizeof *kr);
    if (!kr) {
        return esdk_fail(ESDK_ERR_NO_MEMORY, "cannot allocate a keyring");
    }
    kr->key_namespace = esdk_str_copy(key_namespace);
    kr->key_name = esdk_str_copy(key_name);
    kr->name_len = strlen(key_name);
    kr->wrapping_key = esdk_secure_alloc(key_len);
    kr->wrapping_key_len = key_len;
    if (!kr->key_namespace || !kr->key_name || !kr->wrapping_key) {
        destroy(kr);
        return esdk_fail(ESDK_ERR_NO_MEMORY, "cannot allocate a keyring");
    }
    memcpy(kr->wrapping_key, key, key_len);
    return esdk_keyring_new(&raw_aes_vt, kr, out);
}
