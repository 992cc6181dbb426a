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

/** An allocator: acquire returns NULL on failure; release gets the size that was asked for. */
typedef struct esdk_allocator {
    void *(*acquire)(void *ctx, size_t size);
    void (*release)(void *ctx, void *ptr, size_t size);
    void *ctx;
} esdk_allocator;

/**
 * Replace the allocator (NULL restores the default, malloc/free). Must be called before any
 * object is created; objects created earlier would be released through the wrong function.
 */
ESDK_API void esdk_set_allocator(const esdk_allocator *allocator);

#ifdef __cplusplus
}
#endif
#endif
