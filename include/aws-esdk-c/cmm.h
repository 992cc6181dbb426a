/**
 * @file cmm.h
 * Cryptographic materials managers (CMMs) turn a request into materials, usually by asking
 * a keyring. Same vtable + state + reference count shape as keyrings.
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

/** Plaintext length when it is not known in advance. */
#define ESDK_LENGTH_UNKNOWN UINT64_MAX

/** What encrypt asks a CMM for. */
typedef struct esdk_enc_request {
    const esdk_enc_ctx *context;      /**< the caller's context (never NULL) */
    uint16_t suite_id;                /**< requested suite, 0 = the policy's default */
    esdk_commitment_policy policy;    /**< the client's commitment policy */
    uint64_t plaintext_length;        /**< exact length, or ESDK_LENGTH_UNKNOWN */
    const char *const *required_keys; /**< context keys to authenticate but not store */
    size_t required_keys_count;
} esdk_enc_request;

/** What decrypt asks a CMM for. */
typedef struct esdk_dec_request {
    uint16_t suite_id;                      /**< the message's suite */
    esdk_commitment_policy policy;          /**< the client's commitment policy */
    const esdk_edk_list *edks;              /**< the message's EDKs */
    const esdk_enc_ctx *context;            /**< the context stored in the header */
    const esdk_enc_ctx *reproduced_context; /**< caller-supplied context, or NULL */
} esdk_dec_request;

typedef struct esdk_cmm esdk_cmm;

typedef struct esdk_cmm_vtable {
    size_t size; /**< sizeof(esdk_cmm_vtable) */
    const char *name;
    int (*get_encryption_materials)(
        void *state, const esdk_enc_request *request, esdk_enc_materials **out);
    int (*decrypt_materials)(
        void *state, const esdk_dec_request *request, esdk_dec_materials **out);
    void (*destroy)(void *state);
} esdk_cmm_vtable;

/** Wrap vtable + state in a CMM handle with one reference (state owned from now on). */
ESDK_API ESDK_MUST_USE int esdk_cmm_new(const esdk_cmm_vtable *vtable, void *state, esdk_cmm **out);
ESDK_API esdk_cmm *esdk_cmm_retain(esdk_cmm *cmm);
ESDK_API void esdk_cmm_release(esdk_cmm *cmm);
ESDK_API const char *esdk_cmm_name(const esdk_cmm *cmm);
ESDK_API void *esdk_cmm_state(const esdk_cmm *cmm);

/** Call get_encryption_materials and check the result against the request. */
ESDK_API ESDK_MUST_USE int esdk_cmm_get_encryption_materials(
    esdk_cmm *cmm, const esdk_enc_request *request, esdk_enc_materials **out);
/** Call decrypt_materials and check the result against the request. */
ESDK_API ESDK_MUST_USE int esdk_cmm_decrypt_materials(
    esdk_cmm *cmm, const esdk_dec_request *request, esdk_dec_materials **out);

/**
 * The default CMM over a keyring (retained): picks the suite, makes the signing key for
 * signed suites, asks the keyring to wrap or unwrap, and applies the reproduced context.
 */
ESDK_API ESDK_MUST_USE int esdk_cmm_default_new(esdk_keyring *keyring, esdk_cmm **out);

#ifdef __cplusplus
}
#endif
#endif
