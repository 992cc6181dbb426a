/**
 * @file materials.h
 * Encrypted data keys, and the encryption/decryption materials that keyrings and CMMs pass
 * between them. Materials are opaque; keyrings change them only through the setters below,
 * which enforce the rules (a data key is set once, with the suite's length).
 */
#ifndef ESDK_MATERIALS_H
#define ESDK_MATERIALS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <aws-esdk-c/context.h>
#include <aws-esdk-c/export.h>
#include <aws-esdk-c/suite.h>

#ifdef __cplusplus
extern "C" {
#endif

/** A borrowed view of one encrypted data key. */
typedef struct esdk_edk {
    const uint8_t *provider_id;
    size_t provider_id_len;
    const uint8_t *provider_info;
    size_t provider_info_len;
    const uint8_t *ciphertext;
    size_t ciphertext_len;
} esdk_edk;

/** An ordered list of encrypted data keys (owned copies). */
typedef struct esdk_edk_list esdk_edk_list;

ESDK_API ESDK_MUST_USE int esdk_edk_list_new(esdk_edk_list **out);
ESDK_API void esdk_edk_list_release(esdk_edk_list *list);
ESDK_API size_t esdk_edk_list_count(const esdk_edk_list *list);
/** The EDK at index, as a view valid while the list lives and is not changed. */
ESDK_API ESDK_MUST_USE int
esdk_edk_list_get(const esdk_edk_list *list, size_t index, esdk_edk *out);
/** Append a copy of edk; each field must be at most 65535 bytes. */
ESDK_API ESDK_MUST_USE int esdk_edk_list_append(esdk_edk_list *list, const esdk_edk *edk);

/* ---- encryption materials ---- */

typedef struct esdk_enc_materials esdk_enc_materials;

/**
 * New encryption materials for suite with a copy of context. For a signed suite a fresh
 * ECDSA key pair is generated and its public key is added to the materials' context under
 * "aws-crypto-public-key"; the call fails if context already has that key.
 * required_keys (may be NULL when count is 0) lists context keys that are authenticated but
 * not stored in the message; each must be in context.
 */
ESDK_API ESDK_MUST_USE int esdk_enc_materials_new(
    uint16_t suite_id,
    const esdk_enc_ctx *context,
    const char *const *required_keys,
    size_t required_keys_count,
    esdk_enc_materials **out);
/** A deep copy (data key, EDKs and signing key included). */
ESDK_API ESDK_MUST_USE int
esdk_enc_materials_clone(const esdk_enc_materials *m, esdk_enc_materials **out);
/** Release (wipes the data key and signing key). NULL is ignored. */
ESDK_API void esdk_enc_materials_release(esdk_enc_materials *m);

ESDK_API uint16_t esdk_enc_materials_suite(const esdk_enc_materials *m);
/** The full context (including the public key and required pairs); borrowed. */
ESDK_API const esdk_enc_ctx *esdk_enc_materials_context(const esdk_enc_materials *m);
ESDK_API size_t esdk_enc_materials_required_key_count(const esdk_enc_materials *m);
ESDK_API const char *esdk_enc_materials_required_key(const esdk_enc_materials *m, size_t index);
/** true and a borrowed pointer if a data key is set. */
ESDK_API bool
esdk_enc_materials_data_key(const esdk_enc_materials *m, const uint8_t **key, size_t *key_len);
/** Set the plaintext data key (once; length must be the suite's data key length). */
ESDK_API ESDK_MUST_USE int
esdk_enc_materials_set_data_key(esdk_enc_materials *m, const uint8_t *key, size_t key_len);
/** Generate a random data key of the suite's length (fails if one is set). */
ESDK_API ESDK_MUST_USE int esdk_enc_materials_generate_data_key(esdk_enc_materials *m);
/** Append an encrypted data key (a copy). */
ESDK_API ESDK_MUST_USE int esdk_enc_materials_add_edk(esdk_enc_materials *m, const esdk_edk *edk);
ESDK_API const esdk_edk_list *esdk_enc_materials_edks(const esdk_enc_materials *m);

/* ---- decryption materials ---- */

typedef struct esdk_dec_materials esdk_dec_materials;

/**
 * New decryption materials for suite with a copy of context. For a signed suite, context
 * must hold a valid "aws-crypto-public-key" (it becomes the verification key); for an
 * unsigned suite it must not hold it (ESDK_ERR_BAD_CIPHERTEXT otherwise).
 */
ESDK_API ESDK_MUST_USE int esdk_dec_materials_new(
    uint16_t suite_id,
    const esdk_enc_ctx *context,
    const char *const *required_keys,
    size_t required_keys_count,
    esdk_dec_materials **out);
ESDK_API ESDK_MUST_USE int
esdk_dec_materials_clone(const esdk_dec_materials *m, esdk_dec_materials **out);
ESDK_API void esdk_dec_materials_release(esdk_dec_materials *m);

ESDK_API uint16_t esdk_dec_materials_suite(const esdk_dec_materials *m);
ESDK_API const esdk_enc_ctx *esdk_dec_materials_context(const esdk_dec_materials *m);
ESDK_API size_t esdk_dec_materials_required_key_count(const esdk_dec_materials *m);
ESDK_API const char *esdk_dec_materials_required_key(const esdk_dec_materials *m, size_t index);
ESDK_API bool
esdk_dec_materials_data_key(const esdk_dec_materials *m, const uint8_t **key, size_t *key_len);
/** Set the unwrapped data key (once; suite length). */
ESDK_API ESDK_MUST_USE int
esdk_dec_materials_set_data_key(esdk_dec_materials *m, const uint8_t *key, size_t key_len);

#ifdef __cplusplus
}
#endif
#endif
