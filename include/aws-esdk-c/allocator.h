/**
 * @file allocator.h
 * The one allocation function pair the library uses for its own objects. An application may
 * replace it once, before creating any object. (mbedTLS allocates its own state with the C
 * library: Debian builds it without an allocation hook.)
 */
#ifndef ESDK_ALLOCATOR_H
#define ESDK_ALLOCATOR_H

#include <stddef.h>

#include <aws-esdk-c/export.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * An allocator: a pair of functions and the context pointer passed to both.
 *
 * The library zeroes what it acquires, and wipes memory that held secrets before it releases
 * it, so an allocator needs to do neither. Long-lived key material (keyrings' wrapping keys,
 * PINs, credentials) does not go through this allocator: it lives in libsodium's guarded
 * memory (sodium_malloc).
 */
typedef struct esdk_allocator {
    /** Return size bytes (size > 0) aligned for any type, or NULL on failure. Thread-safe. */
    void *(*acquire)(void *ctx, size_t size);
    /** Free ptr (never NULL); size is the size that was asked for. Thread-safe. */
    void (*release)(void *ctx, void *ptr, size_t size);
    void *ctx; /**< passed as the first argument of acquire and release (borrowed) */
} esdk_allocator;

/**
 * Replace the allocator for the library's own objects.
 *
 * Must be called before any object is created, and before other threads use the library (the
 * call itself is not thread-safe); objects created earlier would be released through the wrong
 * function.
 *
 * @param allocator copied (the struct need not outlive the call; its ctx must outlive every
 *        object). NULL, or an allocator with a NULL function, restores the default
 *        (malloc/free).
 */
ESDK_API void esdk_set_allocator(const esdk_allocator *allocator);

#ifdef __cplusplus
}
#endif
#endif
