/* Bounds-checked reads over untrusted bytes. */
#include "common/cursor.h"

#include <string.h>

/* last: poisons calls this library must not make */
#include "banned.h"

bool esdk_cur_take(esdk_cur *c, size_t n, esdk_cur *sub)
{
    if (n > c->len) {
        return false;
    }
    sub->ptr = c->ptr;
    sub->len = n;
    c->ptr += n;
    c->len -= n;
    return true;
}

bool esdk_cur_skip(esdk_cur *c, size_t n)
{
    esdk_cur ignored;
    return esdk_cur_take(c, n, &ignored);
}

bool esdk_cur_copy(esdk_cur *c, void *dst, size_t n)
{
    esdk_cur sub;
    if (!esdk_cur_take(c, n, &sub)) {
        return false;
    }
    if (n) {
        memcpy(dst, sub.ptr, n);
    }
    return true;
}

static bool read_be(esdk_cur *c, size_t n, uint64_t *v)
{
    esdk_cur sub;
    if (!esdk_cur_take(c, n, &sub)) {
        return false;
    }
    uint64_t x = 0;
    for (size_t i = 0; i < n; i++) {
        x = (x << 8) | sub.ptr[i];
    }
    *v = x;
    return true;
}

bool esdk_cur_read_u8(esdk_cur *c, uint8_t *v)
{
    uint64_t x;
    if (!read_be(c, 1, &x)) {
        return false;
    }
    *v = (uint8_t)x;
    return true;
}

bool esdk_cur_read_be16(esdk_cur *c, uint16_t *v)
{
    uint64_t x;
    if (!read_be(c, 2, &x)) {
        return false;
    }
    *v = (uint16_t)x;
    return true;
}

bool esdk_cur_read_be32(esdk_cur *c, uint32_t *v)
{
    uint64_t x;
    if (!read_be(c, 4, &x)) {
        return false;
    }
    *v = (uint32_t)x;
    return true;
}

bool esdk_cur_read_be64(esdk_cur *c, uint64_t *v)
{
    return read_be(c, 8, v);
}

bool esdk_cur_take_be16_prefixed(esdk_cur *c, esdk_cur *sub)
{
    esdk_cur copy = *c;
    uint16_t n;
    if (!esdk_cur_read_be16(&copy, &n) || !esdk_cur_take(&copy, n, sub)) {
        return false;
    }
    *c = copy;
    return true;
}
