/**
 * @file materials.h
 * Encrypted data keys, and the encryption/decryption materials that keyrings and CMMs pass
 * between them. Materials are opaque; keyrings change them only through the setters below,
 * which enforce the rules (a data key is set once, with the suite's length).
 *
 * Materials hold the plaintext data key: every release wipes it (and the signing key). A
 * materials object is not thread-safe; it belongs to the one encrypt or decrypt that asked for
 * it (a caching CMM hands each caller its own copy).
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

/**
 * A borrowed view of one encrypted data key (EDK): who wrapped it (provider id and info, in
 * the keyring's own layout) and the wrapped key. The pointers belong to whatever filled the
 * view; nothing here is secret.
 */
typedef struct esdk_edk {
    const uint8_t *provider_id;   /**< the key provider id, e.g. "aws-kms" or a raw key namespace */
    size_t provider_id_len;       /**< bytes in provider_id (at most 65535) */
    const uint8_t *provider_info; /**< the provider's key info, e.g. a key ARN or key name */
    size_t provider_info_len;     /**< bytes in provider_info (at most 65535) */
    const uint8_t *ciphertext;    /**< the wrapped data key */
    size_t ciphertext_len;        /**< bytes in ciphertext (at most 65535) */
} esdk_edk;

/** An ordered list of encrypted data keys (opaque; holds its own copies). */
typedef struct esdk_edk_list esdk_edk_list;

/**
 * A new, empty EDK list.
 * @param[out] out the list; caller releases with esdk_edk_list_release()
 * @retval 0 success
 * @retval ESDK_ERR_BAD_ARGUMENT out is NULL
 * @retval ESDK_ERR_NO_MEMORY allocation failed
 */
ESDK_API ESDK_MUST_USE int esdk_edk_list_new(esdk_edk_list **out);
/**
 * Release a list and its copies.
 * @param list the list (NULL is ignored)
 */
ESDK_API void esdk_edk_list_release(esdk_edk_list *list);
/**
 * The number of EDKs in a list.
 * @param list the list (borrowed; NULL counts as empty)
 * @return the count
 */
ESDK_API size_t esdk_edk_list_count(const esdk_edk_list *list);
/**
 * The EDK at index, as a view valid while the list lives and is not changed.
 * @param list the list (borrowed)
 * @param index 0 to esdk_edk_list_count() - 1
 * @param[out] out the view (its pointers are borrowed from list)
 * @retval 0 success
 * @retval ESDK_ERR_BAD_ARGUMENT NULL arguments or index out of range
 */
ESDK_API ESDK_MUST_USE int
esdk_edk_list_get(const esdk_edk_list *list, size_t index, esdk_edk *out);
/**
 * Append a copy of edk.
 * @param list the list (borrowed)
 * @param edk the EDK (its bytes are copied); each field must be at most 65535 bytes, and a
 *        pointer may be NULL only when its length is 0
 * @retval 0 success
 * @retval ESDK_ERR_BAD_ARGUMENT NULL arguments or a field longer than 65535 bytes
 * @retval ESDK_ERR_TOO_MANY_EDKS the list already holds 65535 EDKs (the format's limit)
 * @retval ESDK_ERR_NO_MEMORY allocation failed (the list is unchanged)
 */
ESDK_API ESDK_MUST_USE int esdk_edk_list_append(esdk_edk_list *list, const esdk_edk *edk);

/* ---- encryption materials ---- */

/**
 * Encryption materials (opaque): the suite, the encryption context, the required context keys,
 * the plaintext data key once set, the EDKs and, for signed suites, the signing key. Made by a
 * CMM, filled by keyrings, consumed by encrypt.
 */
typedef struct esdk_enc_materials esdk_enc_materials;

/**
 * New encryption materials for suite with a copy of context. For a signed suite a fresh
 * ECDSA key pair is generated and its public key is added to the materials' context under
 * "aws-crypto-public-key"; the call fails if context already has that key.
 * required_keys (may be NULL when count is 0) lists context keys that are authenticated but
 * not stored in the message; each must be in context.
 * @param suite_id a known suite id
 * @param context the encryption context (copied; NULL for an empty one)
 * @param required_keys NUL-terminated UTF-8 key names (copied)
 * @param required_keys_count number of entries in required_keys
 * @param[out] out the materials, with no data key and no EDK yet; caller releases with
 *        esdk_enc_materials_release()
 * @retval 0 success
 * @retval ESDK_ERR_BAD_ARGUMENT out is NULL or the suite is unknown
 * @retval ESDK_ERR_BAD_CONTEXT context already holds "aws-crypto-public-key"
 * @retval ESDK_ERR_CONTEXT_MISMATCH a required key is not in context
 * @retval ESDK_ERR_NO_MEMORY, ESDK_ERR_RANDOM, ESDK_ERR_CRYPTO allocation or key generation failed
 */
ESDK_API ESDK_MUST_USE int esdk_enc_materials_new(
    uint16_t suite_id,
    const esdk_enc_ctx *context,
    const char *const *required_keys,
    size_t required_keys_count,
    esdk_enc_materials **out);
/**
 * A deep copy (data key, EDKs and signing key included).
 * @param m the materials (borrowed)
 * @param[out] out the copy; caller releases with esdk_enc_materials_release()
 * @retval 0 success
 * @retval ESDK_ERR_BAD_ARGUMENT NULL arguments
 * @retval ESDK_ERR_NO_MEMORY allocation failed
 */
ESDK_API ESDK_MUST_USE int
esdk_enc_materials_clone(const esdk_enc_materials *m, esdk_enc_materials **out);
/**
 * Release materials; the data key and the signing key are wiped.
 * @param m the materials (NULL is ignored)
 */
ESDK_API void esdk_enc_materials_release(esdk_enc_materials *m);

/**
 * The materials' suite.
 * @param m the materials (borrowed)
 * @return the suite id; 0 if m is NULL
 */
ESDK_API uint16_t esdk_enc_materials_suite(const esdk_enc_materials *m);
/**
 * The full context (including the public key and required pairs).
 * @param m the materials (borrowed)
 * @return the context, borrowed from m (valid while m lives); NULL if m is NULL
 */
ESDK_API const esdk_enc_ctx *esdk_enc_materials_context(const esdk_enc_materials *m);
/**
 * The number of required context keys (authenticated but not stored in the message).
 * @param m the materials (borrowed)
 * @return the count; 0 if m is NULL
 */
ESDK_API size_t esdk_enc_materials_required_key_count(const esdk_enc_materials *m);
/**
 * A required context key.
 * @param m the materials (borrowed)
 * @param index 0 to esdk_enc_materials_required_key_count() - 1
 * @return the key, a NUL-terminated string borrowed from m; NULL if index is out of range
 */
ESDK_API const char *esdk_enc_materials_required_key(const esdk_enc_materials *m, size_t index);
/**
 * The plaintext data key, if one is set.
 * @param m the materials (borrowed)
 * @param[out] key the data key, borrowed from m (wiped when m is released): do not keep it
 * @param[out] key_len its length (the suite's data key length)
 * @return true if a data key is set (key and key_len are then filled); false otherwise
 */
ESDK_API bool
esdk_enc_materials_data_key(const esdk_enc_materials *m, const uint8_t **key, size_t *key_len);
/**
 * Set the plaintext data key (once; length must be the suite's data key length).
 * @param m the materials (borrowed)
 * @param key the data key (copied; the caller wipes its own copy)
 * @param key_len esdk_suite_data_key_len() of the materials' suite
 * @retval 0 success
 * @retval ESDK_ERR_BAD_ARGUMENT NULL arguments or a wrong length
 * @retval ESDK_ERR_BAD_STATE a data key is already set
 */
ESDK_API ESDK_MUST_USE int
esdk_enc_materials_set_data_key(esdk_enc_materials *m, const uint8_t *key, size_t key_len);
/**
 * Generate a random data key of the suite's length (the generator keyring's job).
 * @param m the materials (borrowed)
 * @retval 0 success
 * @retval ESDK_ERR_BAD_ARGUMENT m is NULL
 * @retval ESDK_ERR_BAD_STATE a data key is already set
 * @retval ESDK_ERR_RANDOM the random generator failed
 */
ESDK_API ESDK_MUST_USE int esdk_enc_materials_generate_data_key(esdk_enc_materials *m);
/**
 * Append an encrypted data key.
 * @param m the materials (borrowed)
 * @param edk the EDK (copied)
 * @return as esdk_edk_list_append()
 */
ESDK_API ESDK_MUST_USE int esdk_enc_materials_add_edk(esdk_enc_materials *m, const esdk_edk *edk);
/**
 * The EDKs added so far.
 * @param m the materials (borrowed)
 * @return the list, borrowed from m (valid while m lives and no EDK is added); NULL if m is NULL
 */
ESDK_API const esdk_edk_list *esdk_enc_materials_edks(const esdk_enc_materials *m);

/* ---- decryption materials ---- */

/**
 * Decryption materials (opaque): the message's suite and encryption context, the required
 * context keys, the verification key of a signed suite, and the unwrapped data key once a
 * keyring set it.
 */
typedef struct esdk_dec_materials esdk_dec_materials;

/**
 * New decryption materials for suite with a copy of context. For a signed suite, context
 * must hold a valid "aws-crypto-public-key" (it becomes the verification key); for an
 * unsigned suite it must not hold it (ESDK_ERR_BAD_CIPHERTEXT otherwise).
 * @param suite_id a known suite id
 * @param context the message's encryption context (copied; NULL for an empty one)
 * @param required_keys NUL-terminated UTF-8 key names (copied; may be NULL when the count is 0)
 * @param required_keys_count number of entries in required_keys
 * @param[out] out the materials, without a data key; caller releases with
 *        esdk_dec_materials_release()
 * @retval 0 success
 * @retval ESDK_ERR_BAD_ARGUMENT out is NULL or the suite is unknown
 * @retval ESDK_ERR_BAD_CIPHERTEXT a missing, invalid or unexpected "aws-crypto-public-key"
 * @retval ESDK_ERR_NO_MEMORY allocation failed
 */
ESDK_API ESDK_MUST_USE int esdk_dec_materials_new(
    uint16_t suite_id,
    const esdk_enc_ctx *context,
    const char *const *required_keys,
    size_t required_keys_count,
    esdk_dec_materials **out);
/**
 * A deep copy (data key included).
 * @param m the materials (borrowed)
 * @param[out] out the copy; caller releases with esdk_dec_materials_release()
 * @retval 0 success
 * @retval ESDK_ERR_BAD_ARGUMENT NULL arguments
 * @retval ESDK_ERR_NO_MEMORY allocation failed
 */
ESDK_API ESDK_MUST_USE int
esdk_dec_materials_clone(const esdk_dec_materials *m, esdk_dec_materials **out);
/**
 * Release materials; the data key is wiped.
 * @param m the materials (NULL is ignored)
 */
ESDK_API void esdk_dec_materials_release(esdk_dec_materials *m);

/**
 * The materials' suite.
 * @param m the materials (borrowed)
 * @return the suite id; 0 if m is NULL
 */
ESDK_API uint16_t esdk_dec_materials_suite(const esdk_dec_materials *m);
/**
 * The context of the message (with the reproduced context merged in by the default CMM).
 * @param m the materials (borrowed)
 * @return the context, borrowed from m; NULL if m is NULL
 */
ESDK_API const esdk_enc_ctx *esdk_dec_materials_context(const esdk_dec_materials *m);
/**
 * The number of required context keys.
 * @param m the materials (borrowed)
 * @return the count; 0 if m is NULL
 */
ESDK_API size_t esdk_dec_materials_required_key_count(const esdk_dec_materials *m);
/**
 * A required context key.
 * @param m the materials (borrowed)
 * @param index 0 to esdk_dec_materials_required_key_count() - 1
 * @return the key, a NUL-terminated string borrowed from m; NULL if index is out of range
 */
ESDK_API const char *esdk_dec_materials_required_key(const esdk_dec_materials *m, size_t index);
/**
 * The unwrapped data key, if one is set.
 * @param m the materials (borrowed)
 * @param[out] key the data key, borrowed from m (wiped when m is released): do not keep it
 * @param[out] key_len its length (the suite's data key length)
 * @return true if a data key is set; false otherwise
 */
ESDK_API bool
esdk_dec_materials_data_key(const esdk_dec_materials *m, const uint8_t **key, size_t *key_len);
/**
 * Set the unwrapped data key (once; suite length). A keyring's on_decrypt calls this when it
 * unwrapped an EDK.
 * @param m the materials (borrowed)
 * @param key the data key (copied; the caller wipes its own copy)
 * @param key_len esdk_suite_data_key_len() of the materials' suite
 * @retval 0 success
 * @retval ESDK_ERR_BAD_ARGUMENT NULL arguments or a wrong length
 * @retval ESDK_ERR_BAD_STATE a data key is already set
 */
ESDK_API ESDK_MUST_USE int
esdk_dec_materials_set_data_key(esdk_dec_materials *m, const uint8_t *key, size_t key_len);

#ifdef __cplusplus
}
#endif
#endif
