/* esdk_cur: the one way to read untrusted bytes. Every read checks the remaining length
 * first and leaves the cursor unmoved on failure. Parsers work on a copy and commit it only
 * when a whole structure parsed. */
#ifndef ESDK_COMMON_CURSOR_H
#define ESDK_COMMON_CURSOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct esdk_cur {
    const uint8_t *ptr;
    size_t len;
} esdk_cur;

static inline esdk_cur esdk_cur_of(const uint8_t *ptr, size_t len)
{
    esdk_cur c = {ptr, len};
    return c;
}

bool esdk_cur_read_u8(esdk_cur *c, uint8_t *v);
bool esdk_cur_read_be16(esdk_cur *c, uint16_t *v);
bool esdk_cur_read_be32(esdk_cur *c, uint32_t *v);
bool esdk_cur_read_be64(esdk_cur *c, uint64_t *v);
/* Split off the next n bytes as a sub-cursor (a view, no copy). */
bool esdk_cur_take(esdk_cur *c, size_t n, esdk_cur *sub);
/* A u16 length followed by that many bytes, as a view. */
bool esdk_cur_take_be16_prefixed(esdk_cur *c, esdk_cur *sub);
/* Copy the next n bytes into dst. */
bool esdk_cur_copy(esdk_cur *c, void *dst, size_t n);
bool esdk_cur_skip(esdk_cur *c, size_t n);

#endif
