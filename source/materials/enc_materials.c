/* Encryption materials: suite, context, data key, EDKs, signing key. */
#include <string.h>

#include <aws-esdk-c/error.h>
#include <aws-esdk-c/materials.h>

#include "common/buf.h"
#include "common/mem.h"
#include "common/status.h"
#include "crypto/base64.h"
#include "crypto/random.h"
#include "format/context.h"
#include "format/edk_list.h"
#include "materials/key_list.h"
#include "materials/materials.h"

/* last: poisons calls this library must not make */
#include "banned.h"

struct esdk_enc_materials {
    const esdk_suite_info *suite;
    esdk_enc_ctx *context;
    esdk_key_list required;
    uint8_t data_key[32];
    bool has_data_key;
    esdk_edk_list *edks;
    esdk_sig_key *signing_key;
};

/* Generate the signing key pair and store its public key in the context (spec-facts 2.3). */
static int add_signing_key(esdk_enc_materials *m)
{
    uint8_t point[ESDK_POINT_MAX_LEN];
    size_t point_len;
    esdk_buf b64 = ESDK_BUF_INIT;
    ESDK_TRY(esdk_sig_key_generate(m->suite->curve, &m->signing_key));
    ESDK_TRY(esdk_sig_key_public_compressed(m->signing_key, point, sizeof point, &point_len));
    int rc = esdk_base64_encode(point, point_len, &b64);
    if (!rc) {
        static const char key[] = ESDK_PUBLIC_KEY_CONTEXT_KEY;
        rc = esdk_enc_ctx_set(m->context, (const uint8_t *)key, sizeof key - 1, b64.data, b64.len);
    }
    esdk_buf_release(&b64);
    return rc;
}

static int check_required(const esdk_enc_ctx *ctx, const char *const *keys, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (!esdk_enc_ctx_has(ctx, keys[i])) {
            return esdk_fail(
                ESDK_ERR_CONTEXT_MISMATCH,
                "required encryption context key '%s' is missing",
                keys[i]);
        }
    }
    return 0;
}

int esdk_enc_materials_new(
    uint16_t suite_id,
    const esdk_enc_ctx *context,
    const char *const *required_keys,
    size_t required_keys_count,
    esdk_enc_materials **out)
{
    ESDK_ENSURE(out != NULL, ESDK_ERR_BAD_ARGUMENT);
    const esdk_suite_info *suite = esdk_suite_info_get(suite_id);
    if (!suite) {
        return esdk_fail(ESDK_ERR_BAD_ARGUMENT, "unknown algorithm suite 0x%04x", suite_id);
    }
    if (context && esdk_enc_ctx_has(context, ESDK_PUBLIC_KEY_CONTEXT_KEY)) {
        return esdk_fail(
            ESDK_ERR_BAD_CONTEXT, "the context already has the reserved key aws-crypto-public-key");
    }
    if (context) {
        ESDK_TRY(check_required(context, required_keys, required_keys_count));
    } else if (required_keys_count) {
        return esdk_fail(ESDK_ERR_CONTEXT_MISMATCH, "required keys without a context");
    }
    esdk_enc_materials *m = esdk_mem_acquire(sizeof *m);
    if (!m) {
        return esdk_fail(ESDK_ERR_NO_MEMORY, "cannot allocate materials");
    }
    m->suite = suite;
    int rc = context ? esdk_enc_ctx_clone(context, &m->context) : esdk_enc_ctx_new(&m->context);
    if (!rc) {
        rc = esdk_key_list_init(&m->required, required_keys, required_keys_count);
    }
    if (!rc) {
        rc = esdk_edk_list_new(&m->edks);
    }
    if (!rc && suite->is_signed) {
        rc = add_signing_key(m);
    }
    if (rc) {
        esdk_enc_materials_release(m);
        return rc;
    }
    *out = m;
    return 0;
}

int esdk_enc_materials_clone(const esdk_enc_materials *src, esdk_enc_materials **out)
{
    ESDK_ENSURE(src != NULL && out != NULL, ESDK_ERR_BAD_ARGUMENT);
    esdk_enc_materials *m = esdk_mem_acquire(sizeof *m);
    if (!m) {
        return esdk_fail(ESDK_ERR_NO_MEMORY, "cannot allocate materials");
    }
    m->suite = src->suite;
    int rc = esdk_enc_ctx_clone(src->context, &m->context);
    if (!rc) {
        rc = esdk_key_list_init(
            &m->required, (const char *const *)src->required.keys, src->required.count);
    }
    if (!rc) {
        rc = esdk_edk_list_new(&m->edks);
    }
    if (!rc) {
        rc = esdk_edk_list_append_all(m->edks, src->edks);
    }
    if (!rc && src->signing_key) {
        rc = esdk_sig_key_clone(src->signing_key, &m->signing_key);
    }
    if (!rc && src->has_data_key) {
        memcpy(m->data_key, src->data_key, src->suite->key_len);
        m->has_data_key = true;
    }
    if (rc) {
        esdk_enc_materials_release(m);
        return rc;
    }
    *out = m;
    return 0;
}

void esdk_enc_materials_release(esdk_enc_materials *m)
{
    if (!m) {
        return;
    }
    esdk_enc_ctx_release(m->context);
    esdk_key_list_cleanup(&m->required);
    esdk_edk_list_release(m->edks);
    esdk_sig_key_release(m->signing_key);
    esdk_mem_release_secret(m, sizeof *m);
}

uint16_t esdk_enc_materials_suite(const esdk_enc_materials *m)
{
    return m ? m->suite->id : 0;
}

const esdk_suite_info *esdk_enc_materials_suite_info(const esdk_enc_materials *m)
{
    return m->suite;
}

const esdk_enc_ctx *esdk_enc_materials_context(const esdk_enc_materials *m)
{
    return m ? m->context : NULL;
}

size_t esdk_enc_materials_required_key_count(const esdk_enc_materials *m)
{
    return m ? m->required.count : 0;
}

const char *esdk_enc_materials_required_key(const esdk_enc_materials *m, size_t index)
{
    return (m && index < m->required.count) ? m->required.keys[index] : NULL;
}

const char *const *esdk_enc_materials_required_keys(const esdk_enc_materials *m, size_t *count)
{
    *count = m->required.count;
    return (const char *const *)m->required.keys;
}

bool esdk_enc_materials_data_key(const esdk_enc_materials *m, const uint8_t **key, size_t *key_len)
{
    if (!m || !m->has_data_key) {
        return false;
    }
    *key = m->data_key;
    *key_len = m->suite->key_len;
    return true;
}

int esdk_enc_materials_set_data_key(esdk_enc_materials *m, const uint8_t *key, size_t key_len)
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

int esdk_enc_materials_generate_data_key(esdk_enc_materials *m)
{
    ESDK_ENSURE(m != NULL, ESDK_ERR_BAD_ARGUMENT);
    if (m->has_data_key) {
        return esdk_fail(ESDK_ERR_BAD_STATE, "the materials already hold a data key");
    }
    ESDK_TRY(esdk_random_bytes(m->data_key, m->suite->key_len));
    m->has_data_key = true;
    return 0;
}

int esdk_enc_materials_add_edk(esdk_enc_materials *m, const esdk_edk *edk)
{
    ESDK_ENSURE(m != NULL, ESDK_ERR_BAD_ARGUMENT);
    return esdk_edk_list_append(m->edks, edk);
}

const esdk_edk_list *esdk_enc_materials_edks(const esdk_enc_materials *m)
{
    return m ? m->edks : NULL;
}

const esdk_sig_key *esdk_enc_materials_signing_key(const esdk_enc_materials *m)
{
    return m->signing_key;
}

void esdk_enc_materials_rollback(esdk_enc_materials *m, size_t edk_count, bool had_data_key)
{
    esdk_edk_list_truncate(m->edks, edk_count);
    if (!had_data_key && m->has_data_key) {
        esdk_wipe(m->data_key, sizeof m->data_key);
        m->has_data_key = false;
    }
}
