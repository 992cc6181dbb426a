/* Writers over the public esdk_buf (buffer.h). Growth allocates new storage, copies, then
 * wipes and frees the old (never realloc: the old block may hold secrets). */
#ifndef ESDK_COMMON_BUF_H
#define ESDK_COMMON_BUF_H

#include <stddef.h>
#include <stdint.h>

#include <aws-esdk-c/buffer.h>

/* Make room for extra more bytes. */
int esdk_buf_reserve(esdk_buf *buf, size_t extra);
int esdk_buf_append(esdk_buf *buf, const void *data, size_t len);
int esdk_buf_append_u8(esdk_buf *buf, uint8_t v);
int esdk_buf_append_be16(esdk_buf *buf, uint16_t v);
int esdk_buf_append_be32(esdk_buf *buf, uint32_t v);
int esdk_buf_append_be64(esdk_buf *buf, uint64_t v);
/* Wipe the contents and set len to 0, keeping the storage. */
void esdk_buf_clear(esdk_buf *buf);

/* Big-endian stores into raw memory the caller sized. */
void esdk_store_be16(uint8_t *p, uint16_t v);
void esdk_store_be32(uint8_t *p, uint32_t v);
void esdk_store_be64(uint8_t *p, uint64_t v);
uint32_t esdk_load_be32(const uint8_t *p);

#endif
