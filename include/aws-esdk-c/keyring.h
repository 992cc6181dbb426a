/**
 * @file keyring.h
 * Keyrings wrap and unwrap data keys. A keyring is a vtable plus a state pointer behind a
 * reference-counted handle; every built-in keyring is made with esdk_keyring_new too, so an
 * application's keyring is a first-class peer.
 *
 * Thread safety: a keyring handle may be shared between threads (retain and release are
 * atomic); encrypt and decrypt may call on_encrypt and on_decrypt from several threads at once,
 * so an application keyring must make its own state thread-safe (or immutable).
 *
 * examples/custom_keyring.c writes a keyring through this vtable.
 */
#ifndef ESDK_KEYRING_H
#define ESDK_KEYRING_H

#include <aws-esdk-c/export.h>
#include <aws-esdk-c/materials.h>

#ifdef __cplusplus
extern "C" {
#endif

/** A keyring handle (opaque, reference-counted). */
typedef struct esdk_keyring esdk_keyring;

/** The functions of a keyring. Set size to sizeof(esdk_keyring_vtable). */
typedef struct esdk_keyring_vtable {
    size_t size; /**< sizeof(esdk_keyring_vtable), so that later versions can add functions */
    /** A short name for traces and error texts (e.g. "raw-aes"). */
    const char *name;
    /**
     * If the materials have no data key, generate (or obtain) one and set it; then wrap it
     * and add at least one EDK. Return 0 or a negative ESDK_ERR_* code (the library restores
     * the materials on failure). Required. state and materials are borrowed.
     */
    int (*on_encrypt)(void *state, esdk_enc_materials *materials);
    /**
     * Try to unwrap one of edks; on success set the materials' data key and return 0. If
     * none can be unwrapped, return ESDK_ERR_CANNOT_DECRYPT (or a backend error). Required.
     * Skip EDKs of other providers without error. state, materials and edks are borrowed.
     */
    int (*on_decrypt)(void *state, esdk_dec_materials *materials, const esdk_edk_list *edks);
    /** Free state (called once, when the last reference is released). May be NULL. */
    void (*destroy)(void *state);
} esdk_keyring_vtable;

/**
 * Wrap vtable + state in a keyring handle with one reference. The vtable must outlive the
 * keyring; state is owned by the keyring from now on (destroy is called on failure too).
 * @param vtable the functions (borrowed; usually a static const struct); size must be at
 *        least sizeof(esdk_keyring_vtable) and on_encrypt and on_decrypt must be set
 * @param state passed to every function (owned by the keyring from now on; may be NULL)
 * @param[out] out the keyring; caller releases with esdk_keyring_release()
 * @retval 0 success
 * @retval ESDK_ERR_BAD_ARGUMENT an incomplete vtable or a NULL out
 * @retval ESDK_ERR_NO_MEMORY allocation failed
 */
ESDK_API ESDK_MUST_USE int
esdk_keyring_new(const esdk_keyring_vtable *vtable, void *state, esdk_keyring **out);
/**
 * Add a reference. Thread-safe.
 * @param keyring the keyring (NULL is ignored)
 * @return keyring; the caller releases the new reference with esdk_keyring_release()
 */
ESDK_API esdk_keyring *esdk_keyring_retain(esdk_keyring *keyring);
/**
 * Drop a reference; the last one calls destroy (which wipes a built-in keyring's key
 * material). Thread-safe.
 * @param keyring the keyring (NULL is ignored)
 */
ESDK_API void esdk_keyring_release(esdk_keyring *keyring);
/**
 * The vtable's name.
 * @param keyring the keyring (borrowed)
 * @return the name, borrowed from the vtable; "keyring" when it has none or keyring is NULL
 */
ESDK_API const char *esdk_keyring_name(const esdk_keyring *keyring);
/**
 * The state pointer given to esdk_keyring_new.
 * @param keyring the keyring (borrowed)
 * @return the state, still owned by the keyring; NULL if keyring is NULL
 */
ESDK_API void *esdk_keyring_state(const esdk_keyring *keyring);

/**
 * Call on_encrypt, checking its contract: on success a data key is set and at least one EDK
 * was added; on failure the materials are restored to what they were (a data key the call
 * set is wiped). Use it to call a keyring from another keyring or a CMM.
 * @param keyring the keyring (borrowed)
 * @param materials the materials to fill (borrowed)
 * @retval 0 success
 * @retval ESDK_ERR_BAD_ARGUMENT NULL arguments
 * @retval ESDK_ERR_KEYRING the keyring returned 0 without a data key or a new EDK
 * @return otherwise the keyring's own code
 */
ESDK_API ESDK_MUST_USE int
esdk_keyring_on_encrypt(esdk_keyring *keyring, esdk_enc_materials *materials);
/**
 * Call on_decrypt, checking its contract; on failure any data key it set is wiped.
 * @param keyring the keyring (borrowed)
 * @param materials the materials, without a data key yet (borrowed)
 * @param edks the message's EDKs (borrowed)
 * @retval 0 success: the materials hold the data key
 * @retval ESDK_ERR_BAD_ARGUMENT NULL arguments
 * @retval ESDK_ERR_BAD_STATE the materials already hold a data key
 * @retval ESDK_ERR_CANNOT_DECRYPT the keyring returned 0 without setting a data key
 * @return otherwise the keyring's own code
 */
ESDK_API ESDK_MUST_USE int esdk_keyring_on_decrypt(
    esdk_keyring *keyring, esdk_dec_materials *materials, const esdk_edk_list *edks);

#ifdef __cplusplus
}
#endif
#endif
