/**
 * @file keyring.h
 * Keyrings wrap and unwrap data keys. A keyring is a vtable plus a state pointer behind a
 * reference-counted handle; every built-in keyring is made with esdk_keyring_new too, so an
 * application's keyring is a first-class peer.
 */
#ifndef ESDK_KEYRING_H
#define ESDK_KEYRING_H

#include <aws-esdk-c/export.h>
#include <aws-esdk-c/materials.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct esdk_keyring esdk_keyring;

/** The functions of a keyring. Set size to sizeof(esdk_keyring_vtable). */
typedef struct esdk_keyring_vtable {
    size_t size;
    /** A short name for traces and error texts (e.g. "raw-aes"). */
    const char *name;
    /**
     * If the materials have no data key, generate (or obtain) one and set it; then wrap it
     * and add at least one EDK. Return 0 or a negative ESDK_ERR_* code.
     */
    int (*on_encrypt)(void *state, esdk_enc_materials *materials);
    /**
     * Try to unwrap one of edks; on success set the materials' data key and return 0. If
     * none can be unwrapped, return ESDK_ERR_CANNOT_DECRYPT (or a backend error).
     */
    int (*on_decrypt)(void *state, esdk_dec_materials *materials, const esdk_edk_list *edks);
    /** Free state (called once, when the last reference is released). May be NULL. */
    void (*destroy)(void *state);
} esdk_keyring_vtable;

/**
 * Wrap vtable + state in a keyring handle with one reference. The vtable must outlive the
 * keyring; state is owned by the keyring from now on (destroy is called on failure too).
 */
ESDK_API ESDK_MUST_USE int
esdk_keyring_new(const esdk_keyring_vtable *vtable, void *state, esdk_keyring **out);
/** Add a reference; returns keyring. Thread-safe. */
ESDK_API esdk_keyring *esdk_keyring_retain(esdk_keyring *keyring);
/** Drop a reference (NULL is ignored). Thread-safe. */
ESDK_API void esdk_keyring_release(esdk_keyring *keyring);
/** The vtable's name. */
ESDK_API const char *esdk_keyring_name(const esdk_keyring *keyring);
/** The state pointer given to esdk_keyring_new. */
ESDK_API void *esdk_keyring_state(const esdk_keyring *keyring);

/**
 * Call on_encrypt, checking its contract: on success a data key is set and at least one EDK
 * was added; on failure the materials are restored to what they were.
 */
ESDK_API ESDK_MUST_USE int
esdk_keyring_on_encrypt(esdk_keyring *keyring, esdk_enc_materials *materials);
/** Call on_decrypt; fails with ESDK_ERR_BAD_STATE if the materials already hold a data key. */
ESDK_API ESDK_MUST_USE int esdk_keyring_on_decrypt(
    esdk_keyring *keyring, esdk_dec_materials *materials, const esdk_edk_list *edks);

#ifdef __cplusplus
}
#endif
#endif
