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

/** Growable bytes. Initialize with ESDK_BUF_INIT (or zero it). */
typedef struct esdk_buf {
    uint8_t *data;   /**< the bytes (NULL while empty) */
    size_t len;      /**< bytes in use */
    size_t capacity; /**< bytes allocated */
} esdk_buf;

#define ESDK_BUF_INIT                                                                              \
    {                                                                                              \
        NULL, 0, 0                                                                                 \
    }

/** Wipe and free the storage; the struct is left empty and may be reused. */
ESDK_API void esdk_buf_release(esdk_buf *buf);

#ifdef __cplusplus
}
#endif
#endif
