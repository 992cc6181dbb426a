/**
 * @file context.h
 * Encryption context: a set of UTF-8 key/value pairs bound to a message (authenticated,
 * stored in clear in the header). Keys are unique; entries are kept sorted by the UTF-8 bytes
 * of the key, the order in which the message format serializes them.
 *
 * The context is not secret: it is stored in clear in every message (and sent to AWS KMS by
 * the KMS keyrings). Keep secrets out of it. A context is not thread-safe while it changes;
 * once no thread changes it, any number of threads may read it.
 */
#ifndef ESDK_CONTEXT_H
#define ESDK_CONTEXT_H

#include <stddef.h>
#include <stdint.h>

#include <aws-esdk-c/export.h>

#ifdef __cplusplus
extern "C" {
#endif

/** The reserved prefix: keys starting with it belong to the library. */
#define ESDK_RESERVED_CONTEXT_PREFIX "aws-crypto-"
/** The key under which signed suites store the verification key. */
#define ESDK_PUBLIC_KEY_CONTEXT_KEY "aws-crypto-public-key"

/** An encryption context (opaque): sorted, unique UTF-8 key/value pairs. */
typedef struct esdk_enc_ctx esdk_enc_ctx;

/**
 * A new, empty context.
 * @param[out] out the context; caller releases with esdk_enc_ctx_release()
 * @retval 0 success
 * @retval ESDK_ERR_BAD_ARGUMENT out is NULL
 * @retval ESDK_ERR_NO_MEMORY allocation failed
 */
ESDK_API ESDK_MUST_USE int esdk_enc_ctx_new(esdk_enc_ctx **out);

/**
 * A deep copy of a context.
 * @param ctx the context to copy (borrowed)
 * @param[out] out the copy; caller releases with esdk_enc_ctx_release()
 * @retval 0 success
 * @retval ESDK_ERR_BAD_ARGUMENT ctx or out is NULL
 * @retval ESDK_ERR_NO_MEMORY allocation failed
 */
ESDK_API ESDK_MUST_USE int esdk_enc_ctx_clone(const esdk_enc_ctx *ctx, esdk_enc_ctx **out);

/**
 * Release a context and every pair it holds.
 * @param ctx the context (NULL is ignored)
 */
ESDK_API void esdk_enc_ctx_release(esdk_enc_ctx *ctx);

/**
 * Set key to value (replacing any value the key had). Both must be valid UTF-8 and at most
 * 65535 bytes. Keys with the reserved prefix are accepted here (the library itself stores
 * one); encrypt refuses them from callers.
 * @param ctx the context (borrowed)
 * @param key the key bytes (copied; not NUL-terminated; may be NULL when key_len is 0)
 * @param key_len length of key in bytes
 * @param value the value bytes (copied; may be NULL when value_len is 0)
 * @param value_len length of value in bytes
 * @retval 0 success
 * @retval ESDK_ERR_BAD_ARGUMENT ctx is NULL, or a NULL pointer with a non-zero length
 * @retval ESDK_ERR_BAD_CONTEXT invalid UTF-8 or too long
 * @retval ESDK_ERR_NO_MEMORY allocation failed (the context is unchanged)
 */
ESDK_API ESDK_MUST_USE int esdk_enc_ctx_set(
    esdk_enc_ctx *ctx, const uint8_t *key, size_t key_len, const uint8_t *value, size_t value_len);

/**
 * esdk_enc_ctx_set() for NUL-terminated strings.
 * @param ctx the context (borrowed)
 * @param key the key, a NUL-terminated UTF-8 string (copied)
 * @param value the value, a NUL-terminated UTF-8 string (copied)
 * @return as esdk_enc_ctx_set(); ESDK_ERR_BAD_ARGUMENT if key or value is NULL
 */
ESDK_API ESDK_MUST_USE int
esdk_enc_ctx_set_str(esdk_enc_ctx *ctx, const char *key, const char *value);

/**
 * Remove a key and its value (absent keys are not an error).
 * @param ctx the context (borrowed; NULL is ignored)
 * @param key the key bytes (borrowed)
 * @param key_len length of key in bytes
 */
ESDK_API void esdk_enc_ctx_remove(esdk_enc_ctx *ctx, const uint8_t *key, size_t key_len);

/**
 * The number of pairs.
 * @param ctx the context (borrowed; NULL counts as empty)
 * @return the number of pairs
 */
ESDK_API size_t esdk_enc_ctx_count(const esdk_enc_ctx *ctx);

/**
 * The pair at index (0 <= index < count), in sorted order. Pointers are borrowed and stay
 * valid until the context changes. Keys and values are not NUL-terminated.
 * @param ctx the context (borrowed)
 * @param index 0 to esdk_enc_ctx_count() - 1
 * @param[out] key the key bytes (borrowed from ctx)
 * @param[out] key_len length of the key
 * @param[out] value the value bytes (borrowed from ctx)
 * @param[out] value_len length of the value
 * @retval 0 success
 * @retval ESDK_ERR_BAD_ARGUMENT ctx is NULL or index is out of range
 */
ESDK_API ESDK_MUST_USE int esdk_enc_ctx_entry(
    const esdk_enc_ctx *ctx,
    size_t index,
    const uint8_t **key,
    size_t *key_len,
    const uint8_t **value,
    size_t *value_len);

/**
 * Look a key up.
 * @param ctx the context (borrowed)
 * @param key the key bytes (borrowed)
 * @param key_len length of key in bytes
 * @param[out] value the value (borrowed from ctx; valid until the context changes)
 * @param[out] value_len length of the value
 * @retval 0 the key is present
 * @retval ESDK_ERR_BAD_ARGUMENT the key is absent (no detail text is recorded), or a NULL
 *         argument
 */
ESDK_API ESDK_MUST_USE int esdk_enc_ctx_get(
    const esdk_enc_ctx *ctx,
    const uint8_t *key,
    size_t key_len,
    const uint8_t **value,
    size_t *value_len);

#ifdef __cplusplus
}
#endif
#endif
