/* Byte helpers: copies, wiping, constant-time and ordinary comparison. */
#include <string.h>

#include <sodium.h>

#include "common/mem.h"

/* last: poisons calls this library must not make */
#include "banned.h"

char *esdk_str_copy(const char *s)
{
    return s ? esdk_str_copy_n((const uint8_t *)s, strlen(s)) : NULL;
}

char *esdk_str_copy_n(const uint8_t *s, size_t len)
{
    char *out = esdk_mem_acquire(len + 1);
    if (out && len) {
        memcpy(out, s, len);
    }
    return out;
}

void esdk_str_release(char *s)
{
    if (s) {
        esdk_mem_release(s, strlen(s) + 1);
    }
}

uint8_t *esdk_bytes_copy(const uint8_t *p, size_t len)
{
    uint8_t *out = esdk_mem_acquire(len);
    if (out && len) {
        memcpy(out, p, len);
    }
    return out;
}

void esdk_wipe(void *ptr, size_t len)
{
    if (ptr && len) {
        sodium_memzero(ptr, len);
    }
}

bool esdk_ct_equal(const void *a, const void *b, size_t len)
{
    return len == 0 || sodium_memcmp(a, b, len) == 0;
}

int esdk_bytes_compare(const void *a, size_t a_len, const void *b, size_t b_len)
{
    const uint8_t *x = a;
    const uint8_t *y = b;
    size_t n = a_len < b_len ? a_len : b_len;
    for (size_t i = 0; i < n; i++) {
        if (x[i] != y[i]) {
            return x[i] < y[i] ? -1 : 1;
        }
    }
    return (a_len > b_len) - (a_len < b_len);
}

bool esdk_bytes_equal(const void *a, size_t a_len, const void *b, size_t b_len)
{
    return a_len == b_len && esdk_bytes_compare(a, a_len, b, b_len) == 0;
}
