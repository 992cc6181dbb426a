/* See header_peek.h. Layouts: spec-facts §1.1 (v1) and §1.2 (v2). */
#include "header_peek.h"

typedef struct peek {
    const uint8_t *p;
    size_t left;
} peek;

static bool skip(peek *k, size_t n)
{
    if (k->left < n) {
        return false;
    }
    k->p += n;
    k->left -= n;
    return true;
}

static bool u16(peek *k, uint32_t *v)
{
    if (k->left < 2) {
        return false;
    }
    *v = (uint32_t)k->p[0] << 8 | k->p[1];
    return skip(k, 2);
}

static bool u32(peek *k, uint32_t *v)
{
    if (k->left < 4) {
        return false;
    }
    *v = (uint32_t)k->p[0] << 24 | (uint32_t)k->p[1] << 16 | (uint32_t)k->p[2] << 8 | k->p[3];
    return skip(k, 4);
}

static bool u8(peek *k, uint32_t *v)
{
    if (k->left < 1) {
        return false;
    }
    *v = k->p[0];
    return skip(k, 1);
}

int header_peek_framing(const uint8_t *msg, size_t len, int *content_type, uint32_t *frame_length)
{
    peek k = {msg, len};
    uint32_t version, v, count;
    if (!u8(&k, &version) || (version != 1 && version != 2)) {
        return -1;
    }
    /* v1: type, suite, 16-byte id; v2: suite, 32-byte id */
    if (!skip(&k, version == 1 ? 1 + 2 + 16 : 2 + 32)) {
        return -1;
    }
    if (!u16(&k, &v) || !skip(&k, v) || !u16(&k, &count)) {
        return -1;
    }
    for (uint32_t i = 0; i < count; i++) {
        for (int field = 0; field < 3; field++) {
            if (!u16(&k, &v) || !skip(&k, v)) {
                return -1;
            }
        }
    }
    uint32_t type;
    if (!u8(&k, &type) || (version == 1 && !skip(&k, 4 + 1)) || !u32(&k, frame_length)) {
        return -1;
    }
    *content_type = (int)type;
    return 0;
}
