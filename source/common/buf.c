/* esdk_buf growth and big-endian writers. */
#include "common/buf.h"

#include <string.h>

#include <aws-esdk-c/buffer.h>
#include <aws-esdk-c/error.h>

#include "common/mem.h"
#include "common/status.h"

/* last: poisons calls this library must not make */
#include "banned.h"

void esdk_buf_release(esdk_buf *buf)
{
    if (buf) {
        esdk_mem_release_secret(buf->data, buf->capacity);
        buf->data = NULL;
        buf->len = 0;
        buf->capacity = 0;
    }
}

void esdk_buf_clear(esdk_buf *buf)
{
    esdk_wipe(buf->data, buf->len);
    buf->len = 0;
}

int esdk_buf_reserve(esdk_buf *buf, size_t extra)
{
    if (!buf || buf->len > buf->capacity) {
        return esdk_fail(ESDK_ERR_BAD_ARGUMENT, "invalid buffer");
    }
    if (buf->capacity - buf->len >= extra) {
        return 0;
    }
    if (extra > SIZE_MAX / 2 - buf->len) {
        return esdk_fail(ESDK_ERR_NO_MEMORY, "buffer size overflow");
    }
    size_t want = buf->len + extra;
    size_t cap = buf->capacity ? buf->capacity : 64;
    while (cap < want) {
        cap *= 2;
    }
    uint8_t *p = esdk_mem_acquire_uninit(cap);
    if (!p) {
        return esdk_fail(ESDK_ERR_NO_MEMORY, "cannot allocate %zu bytes", cap);
    }
    if (buf->len) {
        memcpy(p, buf->data, buf->len);
    }
    esdk_mem_release_secret(buf->data, buf->capacity);
    buf->data = p;
    buf->capacity = cap;
    return 0;
}

int esdk_buf_append(esdk_buf *buf, const void *data, size_t len)
{
    ESDK_TRY(esdk_buf_reserve(buf, len));
    if (len) {
        memcpy(buf->data + buf->len, data, len);
    }
    buf->len += len;
    return 0;
}

int esdk_buf_append_u8(esdk_buf *buf, uint8_t v)
{
    return esdk_buf_append(buf, &v, 1);
}

int esdk_buf_append_be16(esdk_buf *buf, uint16_t v)
{
    uint8_t b[2];
    esdk_store_be16(b, v);
    return esdk_buf_append(buf, b, sizeof b);
}

int esdk_buf_append_be32(esdk_buf *buf, uint32_t v)
{
    uint8_t b[4];
    esdk_store_be32(b, v);
    return esdk_buf_append(buf, b, sizeof b);
}

int esdk_buf_append_be64(esdk_buf *buf, uint64_t v)
{
    uint8_t b[8];
    esdk_store_be64(b, v);
    return esdk_buf_append(buf, b, sizeof b);
}

void esdk_store_be16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

void esdk_store_be32(uint8_t *p, uint32_t v)
{
    for (int i = 3; i >= 0; i--) {
        p[i] = (uint8_t)v;
        v >>= 8;
    }
}

void esdk_store_be64(uint8_t *p, uint64_t v)
{
    for (int i = 7; i >= 0; i--) {
        p[i] = (uint8_t)v;
        v >>= 8;
    }
}

uint32_t esdk_load_be32(const uint8_t *p)
{
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}
