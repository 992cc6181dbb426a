/**
 * @file buffer.h
 * esdk_buf: bytes that the library grows for the caller (one-shot outputs, serialized
 * headers). The caller owns the struct and releases its storage with esdk_buf_release(),
 * which wipes it first: a buffer may hold plaintext.
 */
#ifndef ESDK_BUFFER_H
#define ESDK_BUFFER_H

#include <stddef.h>
#include <stdint.h>

#include <aws-esdk-c/export.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Growable bytes. Initialize with ESDK_BUF_INIT (or zero it). The caller owns the struct;
 * the library owns the storage it points to, which the caller releases with
 * esdk_buf_release(). Calls that write into a buffer append to it and grow it as needed; on
 * failure they wipe what they appended and restore len. Not thread-safe: one buffer belongs
 * to one thread at a time.
 */
typedef struct esdk_buf {
    uint8_t *data;   /**< the bytes (NULL while empty) */
    size_t len;      /**< bytes in use */
    size_t capacity; /**< bytes allocated */
} esdk_buf;

/** An initializer for an empty esdk_buf: `esdk_buf out = ESDK_BUF_INIT;` */
#define ESDK_BUF_INIT                                                                              \
    {                                                                                              \
        NULL, 0, 0                                                                                 \
    }

/**
 * Wipe and free a buffer's storage; the struct is left empty (as ESDK_BUF_INIT) and may be
 * reused. The whole capacity is wiped, since a buffer may hold plaintext.
 * @param buf the buffer (borrowed; NULL is ignored)
 */
ESDK_API void esdk_buf_release(esdk_buf *buf);

#ifdef __cplusplus
}
#endif
#endif
