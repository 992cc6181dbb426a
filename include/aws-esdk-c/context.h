/**
 * @file context.h
 * Encryption context: a set of UTF-8 key/value pairs bound to a message (authenticated,
 * stored in clear in the header). Keys are unique; entries are kept sorted by the UTF-8 bytes
 * of the key, the order in which the message format serializes them.
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

typedef struct esdk_enc_ctx esdk_enc_ctx;

/** A new, empty context (release with esdk_enc_ctx_release). */
ESDK_API ESDK_MUST_USE int esdk_enc_ctx_new(esdk_enc_ctx **out);

/** A deep copy of a context. */
ESDK_API ESDK_MUST_USE int esdk_enc_ctx_clone(const esdk_enc_ctx *ctx, esdk_enc_ctx **out);

/** Release a context (NULL is ignored). */
ESDK_API void esdk_enc_ctx_release(esdk_enc_ctx *ctx);

/**
 * Set key to value (replacing any value the key had). Both must be valid UTF-8 and at most
 * 65535 bytes. Keys with the reserved prefix are accepted here (the library itself stores
 * one); encrypt refuses them from callers.
 * @retval ESDK_ERR_BAD_CONTEXT invalid UTF-8 or too long
 */
ESDK_API ESDK_MUST_USE int esdk_enc_ctx_set(
    esdk_enc_ctx *ctx, const uint8_t *key, size_t key_len, const uint8_t *value, size_t value_len);

/** esdk_enc_ctx_set for NUL-terminated strings. */
ESDK_API ESDK_MUST_USE int
esdk_enc_ctx_set_str(esdk_enc_ctx *ctx, const char *key, const char *value);

/** Remove a key (absent keys are not an error). */
ESDK_API void esdk_enc_ctx_remove(esdk_enc_ctx *ctx, const uint8_t *key, size_t key_len);

/** Number of pairs. */
ESDK_API size_t esdk_enc_ctx_count(const esdk_enc_ctx *ctx);

/**
 * The pair at index (0 <= index < count), in sorted order. Pointers are borrowed and stay
 * valid until the context changes. Keys and values are not NUL-terminated.
 */
ESDK_API ESDK_MUST_USE int esdk_enc_ctx_entry(
    const esdk_enc_ctx *ctx,
    size_t index,
    const uint8_t **key,
    size_t *key_len,
    const uint8_t **value,
    size_t *value_len);

/** Look a key up: 0 and the borrowed value if present, ESDK_ERR_BAD_ARGUMENT if absent. */
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
