/* Decryption materials: suite, context, data key, verification key. */
#include <string.h>

#include <aws-esdk-c/error.h>
#include <aws-esdk-c/materials.h>

#include "common/buf.h"
#include "common/mem.h"
#include "common/status.h"
#include "crypto/base64.h"
#include "materials/key_list.h"
#include "materials/materials.h"

/* last: poisons calls this library must not make */
#include "banned.h"

struct esdk_dec_materials {
    const esdk_suite_info *suite;
    esdk_enc_ctx *context;
    esdk_key_list required;
    uint8_t data_key[32];
    bool has_data_key;
    esdk_sig_key *verification_key;
};

/* Signed suites carry their verification key in the context; unsigned ones must not. */
static int load_verification_key(esdk_dec_materials *m)
{
    static const char key[] = ESDK_PUBLIC_KEY_CONTEXT_KEY;
    const uint8_t *value;
    size_t value_len;
    bool present =
        esdk_enc_ctx_get(m->context, (const uint8_t *)key, sizeof key - 1, &value, &value_len) == 0;
    if (!m->suite->is_signed) {
        return present ? esdk_fail(
                             ESDK_ERR_BAD_CIPHERTEXT,
                             "unsigned suite with aws-crypto-public-key in the context")
                       : 0;
    }
    if (!present) {
        return esdk_fail(ESDK_ERR_BAD_CIPHERTEXT, "signed suite without aws-crypto-public-key");
    }
    esdk_buf point = ESDK_BUF_INIT;
    int rc = esdk_base64_decode((const char *)value, value_len, &point);
    if (!rc) {
        rc = esdk_sig_key_from_compressed(
            m->suite->curve, point.data, point.len, &m->verification_key);
    }
    esdk_buf_release(&point);
    if (rc) {
        return esdk_fail(
            ESDK_ERR_BAD_CIPHERTEXT, "aws-crypto-public-key is not a valid public key");
    }
    return 0;
}

int esdk_dec_materials_new(
    uint16_t suite_id,
    const esdk_enc_ctx *context,
    const char *const *required_keys,
    size_t required_keys_count,
    esdk_dec_materials **out)
{
    ESDK_ENSURE(out != NULL, ESDK_ERR_BAD_ARGUMENT);
    const esdk_suite_info *suite = esdk_suite_info_get(suite_id);
    if (!suite) {
        return esdk_fail(ESDK_ERR_BAD_ARGUMENT, "unknown algorithm suite 0x%04x", suite_id);
    }
    esdk_dec_materials *m = esdk_mem_acquire(sizeof *m);
    if (!m) {
        return esdk_fail(ESDK_ERR_NO_MEMORY, "cannot allocate materials");
    }
    m->suite = suite;
    int rc = context ? esdk_enc_ctx_clone(context, &m->context) : esdk_enc_ctx_new(&m->context);
    if (!rc) {
        rc = esdk_key_list_init(&m->required, required_keys, required_keys_count);
    }
    if (!rc) {
        rc = load_verification_key(m);
    }
    if (rc) {
        esdk_dec_materials_release(m);
        return rc;
    }
    *out = m;
    return 0;
}

int esdk_dec_materials_clone(const esdk_dec_materials *src, esdk_dec_materials **out)
{
    ESDK_ENSURE(src != NULL && out != NULL, ESDK_ERR_BAD_ARGUMENT);
    esdk_dec_materials *m = NULL;
    ESDK_TRY(esdk_dec_materials_new(
        src->suite->id,
        src->context,
        (const char *const *)src->required.keys,
        src->required.count,
        &m));
    if (src->has_data_key) {
        memcpy(m->data_key, src->data_key, src->suite->key_len);
        m->has_data_key = true;
    }
    *out = m;
    return 0;
}

void esdk_dec_materials_release(esdk_dec_materials *m)
{
    if (!m) {
        return;
    }
    esdk_enc_ctx_release(m->context);
    esdk_key_list_cleanup(&m->required);
    esdk_sig_key_release(m->verification_key);
    esdk_mem_release_secret(m, sizeof *m);
}

uint16_t esdk_dec_materials_suite(const esdk_dec_materials *m)
{
    return m ? m->suite->id : 0;
}

const esdk_enc_ctx *esdk_dec_materials_context(const esdk_dec_materials *m)
{
    return m ? m->context : NULL;
}

size_t esdk_dec_materials_required_key_count(const esdk_dec_materials *m)
{
    return m ? m->required.count : 0;
}

const char *esdk_dec_materials_required_key(const esdk_dec_materials *m, size_t index)
{
    return (m && index < m->required.count) ? m->required.keys[index] : NULL;
}

const char *const *esdk_dec_materials_required_keys(const esdk_dec_materials *m, size_t *count)
{
    *count = m->required.count;
    return (const char *const *)m->required.keys;
}

bool esdk_dec_materials_data_key(const esdk_dec_materials *m, const uint8_t **key, size_t *key_len)
{
    if (!m || !m->has_data_key) {
        return false;
    }
    *key = m->data_key;
    *key_len = m->suite->key_len;
    return true;
}

int esdk_dec_materials_set_data_key(esdk_dec_materials *m, const uint8_t *key, size_t key_len)
{
    ESDK_ENSURE(m != NULL && key != NULL, ESDK_ERR_BAD_ARGUMENT);
    if (m->has_data_key) {
        return esdk_fail(ESDK_ERR_BAD_STATE, "the materials already hold a data key");
    }
    if (key_len != m->suite->key_len) {
        return esdk_fail(
            ESDK_ERR_BAD_ARGUMENT,
            "data key is %zu bytes, the suite needs %zu",
            key_len,
            m->suite->key_len);
    }
    memcpy(m->data_key, key, key_len);
    m->has_data_key = true;
    return 0;
}

void esdk_dec_materials_clear_data_key(esdk_dec_materials *m)
{
    esdk_wipe(m->data_key, sizeof m->data_key);
    m->has_data_key = false;
}

const esdk_sig_key *esdk_dec_materials_verification_key(const esdk_dec_materials *m)
{
    return m->verification_key;
}
