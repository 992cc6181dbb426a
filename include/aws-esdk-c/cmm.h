/**
 * @file cmm.h
 * Cryptographic materials managers (CMMs) turn a request into materials, usually by asking
 * a keyring. Same vtable + state + reference count shape as keyrings.
 *
 * Thread safety: a CMM handle may be shared between threads; its functions may be called from
 * several threads at once (the built-in CMMs are safe so).
 */
#ifndef ESDK_CMM_H
#define ESDK_CMM_H

#include <stdint.h>

#include <aws-esdk-c/export.h>
#include <aws-esdk-c/keyring.h>
#include <aws-esdk-c/materials.h>

#ifdef __cplusplus
extern "C" {
#endif

/** esdk_enc_request::plaintext_length when the length is not known in advance. */
#define ESDK_LENGTH_UNKNOWN UINT64_MAX

/** What encrypt asks a CMM for. */
typedef struct esdk_enc_request {
    const esdk_enc_ctx *context;      /**< the caller's context (never NULL) */
    uint16_t suite_id;                /**< requested suite, 0 = the policy's default */
    esdk_commitment_policy policy;    /**< the client's commitment policy */
    uint64_t plaintext_length;        /**< exact length, or ESDK_LENGTH_UNKNOWN */
    const char *const *required_keys; /**< context keys to authenticate but not store */
    size_t required_keys_count;       /**< entries in required_keys (0: none) */
} esdk_enc_request;

/** What decrypt asks a CMM for. */
typedef struct esdk_dec_request {
    uint16_t suite_id;                      /**< the message's suite */
    esdk_commitment_policy policy;          /**< the client's commitment policy */
    const esdk_edk_list *edks;              /**< the message's EDKs */
    const esdk_enc_ctx *context;            /**< the context stored in the header */
    const esdk_enc_ctx *reproduced_context; /**< caller-supplied context, or NULL */
} esdk_dec_request;

/** A CMM handle (opaque, reference-counted). */
typedef struct esdk_cmm esdk_cmm;

/** The functions of a CMM. Set size to sizeof(esdk_cmm_vtable). */
typedef struct esdk_cmm_vtable {
    size_t size;      /**< sizeof(esdk_cmm_vtable) */
    const char *name; /**< a short name for traces and error texts (e.g. "default") */
    /**
     * Make encryption materials for request: a suite the request's policy allows (the
     * requested one if set), a data key, at least one EDK, and the request's required keys.
     * Store new materials in *out (the caller owns them) and return 0, or return a negative
     * ESDK_ERR_* code. Required.
     */
    int (*get_encryption_materials)(
        void *state, const esdk_enc_request *request, esdk_enc_materials **out);
    /**
     * Make decryption materials for request: the request's suite and an unwrapped data key.
     * Store new materials in *out (the caller owns them) and return 0, or return a negative
     * ESDK_ERR_* code. Required.
     */
    int (*decrypt_materials)(
        void *state, const esdk_dec_request *request, esdk_dec_materials **out);
    /** Free state (called once, when the last reference is released). May be NULL. */
    void (*destroy)(void *state);
} esdk_cmm_vtable;

/**
 * Wrap vtable + state in a CMM handle with one reference. The vtable must outlive the CMM;
 * state is owned by the CMM from now on (destroy is called on failure too).
 * @param vtable the functions (borrowed); both materials functions must be set
 * @param state passed to every function (owned by the CMM from now on; may be NULL)
 * @param[out] out the CMM; caller releases with esdk_cmm_release()
 * @retval 0 success
 * @retval ESDK_ERR_BAD_ARGUMENT an incomplete vtable or a NULL out
 * @retval ESDK_ERR_NO_MEMORY allocation failed
 */
ESDK_API ESDK_MUST_USE int esdk_cmm_new(const esdk_cmm_vtable *vtable, void *state, esdk_cmm **out);
/**
 * Add a reference. Thread-safe.
 * @param cmm the CMM (NULL is ignored)
 * @return cmm; the caller releases the new reference with esdk_cmm_release()
 */
ESDK_API esdk_cmm *esdk_cmm_retain(esdk_cmm *cmm);
/**
 * Drop a reference; the last one calls destroy. Thread-safe.
 * @param cmm the CMM (NULL is ignored)
 */
ESDK_API void esdk_cmm_release(esdk_cmm *cmm);
/**
 * The vtable's name.
 * @param cmm the CMM (borrowed)
 * @return the name, borrowed from the vtable; "cmm" when it has none or cmm is NULL
 */
ESDK_API const char *esdk_cmm_name(const esdk_cmm *cmm);
/**
 * The state pointer given to esdk_cmm_new.
 * @param cmm the CMM (borrowed)
 * @return the state, still owned by the CMM; NULL if cmm is NULL
 */
ESDK_API void *esdk_cmm_state(const esdk_cmm *cmm);

/**
 * Call get_encryption_materials and check the result against the request: the suite is the
 * requested one (if any) and allowed by the policy, there is a data key and an EDK, and every
 * required key is in the context. Materials that fail a check are released (and wiped).
 * @param cmm the CMM (borrowed)
 * @param request the request (borrowed; request->context must not be NULL)
 * @param[out] out the materials; caller releases with esdk_enc_materials_release()
 * @retval 0 success
 * @retval ESDK_ERR_BAD_ARGUMENT NULL arguments
 * @retval ESDK_ERR_POLICY_VIOLATION the requested or returned suite is forbidden by the policy
 * @retval ESDK_ERR_BAD_STATE the CMM returned another suite than the requested one
 * @retval ESDK_ERR_KEYRING the materials have no data key or no EDK
 * @retval ESDK_ERR_CONTEXT_MISMATCH a required key is missing from the materials' context
 * @return otherwise the CMM's own code
 */
ESDK_API ESDK_MUST_USE int esdk_cmm_get_encryption_materials(
    esdk_cmm *cmm, const esdk_enc_request *request, esdk_enc_materials **out);
/**
 * Call decrypt_materials and check the result against the request: the same suite, allowed
 * by the policy, and a data key.
 * @param cmm the CMM (borrowed)
 * @param request the request (borrowed; request->edks must not be NULL)
 * @param[out] out the materials; caller releases with esdk_dec_materials_release()
 * @retval 0 success
 * @retval ESDK_ERR_BAD_ARGUMENT NULL arguments
 * @retval ESDK_ERR_BAD_STATE materials for another suite
 * @retval ESDK_ERR_POLICY_VIOLATION the policy forbids the suite
 * @retval ESDK_ERR_CANNOT_DECRYPT no data key (typically: no keyring could unwrap an EDK)
 * @return otherwise the CMM's own code
 */
ESDK_API ESDK_MUST_USE int esdk_cmm_decrypt_materials(
    esdk_cmm *cmm, const esdk_dec_request *request, esdk_dec_materials **out);

/**
 * The default CMM over a keyring (retained): picks the suite, makes the signing key for
 * signed suites, asks the keyring to wrap or unwrap, and applies the reproduced context
 * (pairs also in the header must have the same value, ESDK_ERR_CONTEXT_MISMATCH otherwise;
 * the others become required keys, authenticated but not stored).
 * @param keyring the keyring (retained; the caller keeps its own reference)
 * @param[out] out the CMM; caller releases with esdk_cmm_release()
 * @retval 0 success
 * @retval ESDK_ERR_BAD_ARGUMENT NULL arguments
 * @retval ESDK_ERR_NO_MEMORY allocation failed
 */
ESDK_API ESDK_MUST_USE int esdk_cmm_default_new(esdk_keyring *keyring, esdk_cmm **out);

#ifdef __cplusplus
}
#endif
#endif
