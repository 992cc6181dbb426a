/* Branch key versions are UUIDs: 16 bytes on the wire, 36 characters in stores. */
#include <aws-esdk-c/error.h>

#include "common/status.h"
#include "crypto/random.h"
#include "keyrings/hierarchy/internal.h"

/* last: poisons calls this library must not make */
#include "banned.h"

static int hex_value(char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

static bool is_dash_position(size_t i)
{
    return i == 8 || i == 13 || i == 18 || i == 23;
}

bool esdk_hk_uuid_parse(const char *text, uint8_t out[ESDK_BRANCH_KEY_VERSION_LEN])
{
    if (!text) {
        return false;
    }
    uint8_t bytes[ESDK_BRANCH_KEY_VERSION_LEN];
    size_t n = 0;
    for (size_t i = 0; i < 36; i++) {
        if (text[i] == '\0') {
            return false;
        }
        if (is_dash_position(i)) {
            if (text[i] != '-') {
                return false;
            }
            continue;
        }
        int hi = hex_value(text[i]);
        int lo = text[i + 1] ? hex_value(text[i + 1]) : -1;
        if (hi < 0 || lo < 0 || is_dash_position(i + 1)) {
            return false;
        }
        bytes[n++] = (uint8_t)(hi << 4 | lo);
        i++;
    }
    if (text[36] != '\0' || n != sizeof bytes) {
        return false;
    }
    for (size_t i = 0; i < sizeof bytes; i++) {
        out[i] = bytes[i];
    }
    return true;
}

void esdk_hk_uuid_format(
    const uint8_t in[ESDK_BRANCH_KEY_VERSION_LEN], char out[ESDK_UUID_STRING_SIZE])
{
    static const char digits[] = "0123456789abcdef";
    size_t o = 0;
    for (size_t i = 0; i < ESDK_BRANCH_KEY_VERSION_LEN; i++) {
        if (is_dash_position(o)) {
            out[o++] = '-';
        }
        out[o++] = digits[in[i] >> 4];
        out[o++] = digits[in[i] & 0x0f];
    }
    out[o] = '\0';
}

int esdk_hk_uuid_random(uint8_t out[ESDK_BRANCH_KEY_VERSION_LEN])
{
    ESDK_TRY(esdk_random_bytes(out, ESDK_BRANCH_KEY_VERSION_LEN));
    out[6] = (uint8_t)((out[6] & 0x0f) | 0x40); /* version 4 */
    out[8] = (uint8_t)((out[8] & 0x3f) | 0x80); /* RFC 4122 variant */
    return 0;
}
