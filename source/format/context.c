/* The encryption context object: pairs kept sorted by the UTF-8 bytes of their keys. */
#include "format/context.h"

#include <string.h>

#include <aws-esdk-c/context.h>
#include <aws-esdk-c/error.h>

#include "common/mem.h"
#include "common/status.h"

/* last: poisons calls this library must not make */
#include "banned.h"

#define MAX_FIELD 65535u

struct pair {
    uint8_t *key;
    size_t key_len;
    uint8_t *value;
    size_t value_len;
};

struct esdk_enc_ctx {
    struct pair *pairs;
    size_t count;
    size_t capacity;
};

int esdk_enc_ctx_new(esdk_enc_ctx **out)
{
    ESDK_ENSURE(out != NULL, ESDK_ERR_BAD_ARGUMENT);
    *out = esdk_mem_acquire(sizeof **out);
    return *out ? 0 : esdk_fail(ESDK_ERR_NO_MEMORY, "cannot allocate a context");
}

static void pair_release(struct pair *p)
{
    esdk_mem_release(p->key, p->key_len);
    esdk_mem_release(p->value, p->value_len);
}

void esdk_enc_ctx_release(esdk_enc_ctx *ctx)
{
    if (!ctx) {
        return;
    }
    for (size_t i = 0; i < ctx->count; i++) {
        pair_release(&ctx->pairs[i]);
    }
    esdk_mem_release(ctx->pairs, ctx->capacity * sizeof(struct pair));
    esdk_mem_release(ctx, sizeof *ctx);
}

int esdk_enc_ctx_clone(const esdk_enc_ctx *ctx, esdk_enc_ctx **out)
{
    ESDK_ENSURE(ctx != NULL && out != NULL, ESDK_ERR_BAD_ARGUMENT);
    esdk_enc_ctx *copy = NULL;
    ESDK_TRY(esdk_enc_ctx_new(&copy));
    for (size_t i = 0; i < ctx->count; i++) {
        const struct pair *p = &ctx->pairs[i];
        int rc = esdk_enc_ctx_set(copy, p->key, p->key_len, p->value, p->value_len);
        if (rc) {
            esdk_enc_ctx_release(copy);
            return rc;
        }
    }
    *out = copy;
    return 0;
}

bool esdk_utf8_is_valid(const uint8_t *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        uint8_t c = s[i];
        size_t n;
        uint32_t cp;
        if (c < 0x80) {
            i++;
            continue;
        } else if ((c & 0xE0) == 0xC0) {
            n = 1;
            cp = c & 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            n = 2;
            cp = c & 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            n = 3;
            cp = c & 0x07;
        } else {
            return false;
        }
        if (len - i <= n) {
            return false;
        }
        for (size_t k = 1; k <= n; k++) {
            if ((s[i + k] & 0xC0) != 0x80) {
                return false;
            }
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        /* no overlong forms, no surrogates, nothing past U+10FFFF */
        static const uint32_t min_cp[4] = {0, 0x80, 0x800, 0x10000};
        if (cp < min_cp[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
            return false;
        }
        i += n + 1;
    }
    return true;
}

/* Index of key, or where it would go (*found false). */
static size_t find(const esdk_enc_ctx *ctx, const uint8_t *key, size_t key_len, bool *found)
{
    size_t lo = 0;
    size_t hi = ctx->count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = esdk_bytes_compare(ctx->pairs[mid].key, ctx->pairs[mid].key_len, key, key_len);
        if (c == 0) {
            *found = true;
            return mid;
        }
        if (c < 0) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    *found = false;
    return lo;
}

static int grow(esdk_enc_ctx *ctx)
{
    size_t cap = ctx->capacity ? ctx->capacity * 2 : 8;
    struct pair *p = esdk_mem_acquire(cap * sizeof *p);
    if (!p) {
        return esdk_fail(ESDK_ERR_NO_MEMORY, "cannot grow a context");
    }
    if (ctx->count) {
        memcpy(p, ctx->pairs, ctx->count * sizeof *p);
    }
    esdk_mem_release(ctx->pairs, ctx->capacity * sizeof *p);
    ctx->pairs = p;
    ctx->capacity = cap;
    return 0;
}

int esdk_enc_ctx_set(
    esdk_enc_ctx *ctx, const uint8_t *key, size_t key_len, const uint8_t *value, size_t value_len)
{
    ESDK_ENSURE(ctx != NULL && (key || !key_len) && (value || !value_len), ESDK_ERR_BAD_ARGUMENT);
    if (key_len > MAX_FIELD || value_len > MAX_FIELD) {
        return esdk_fail(ESDK_ERR_BAD_CONTEXT, "context key or value longer than 65535 bytes");
    }
    if (!esdk_utf8_is_valid(key, key_len) || !esdk_utf8_is_valid(value, value_len)) {
        return esdk_fail(ESDK_ERR_BAD_CONTEXT, "context key or value is not valid UTF-8");
    }
    uint8_t *v = esdk_bytes_copy(value, value_len);
    if (!v) {
        return esdk_fail(ESDK_ERR_NO_MEMORY, "cannot copy a context value");
    }
    bool found;
    size_t at = find(ctx, key, key_len, &found);
    if (found) {
        struct pair *p = &ctx->pairs[at];
        esdk_mem_release(p->value, p->value_len);
        p->value = v;
        p->value_len = value_len;
        return 0;
    }
    uint8_t *k = esdk_bytes_copy(key, key_len);
    if (!k || (ctx->count == ctx->capacity && grow(ctx))) {
        esdk_mem_release(k, key_len);
        esdk_mem_release(v, value_len);
        return esdk_fail(ESDK_ERR_NO_MEMORY, "cannot add a context pair");
    }
    memmove(&ctx->pairs[at + 1], &ctx->pairs[at], (ctx->count - at) * sizeof(struct pair));
    ctx->pairs[at] = (struct pair){k, key_len, v, value_len};
    ctx->count++;
    return 0;
}

int esdk_enc_ctx_set_str(esdk_enc_ctx *ctx, const char *key, const char *value)
{
    ESDK_ENSURE(key != NULL && value != NULL, ESDK_ERR_BAD_ARGUMENT);
    return esdk_enc_ctx_set(
        ctx, (const uint8_t *)key, strlen(key), (const uint8_t *)value, strlen(value));
}

void esdk_enc_ctx_remove(esdk_enc_ctx *ctx, const uint8_t *key, size_t key_len)
{
    bool found;
    if (!ctx) {
        return;
    }
    size_t at = find(ctx, key, key_len, &found);
    if (found) {
        pair_release(&ctx->pairs[at]);
        memmove(&ctx->pairs[at], &ctx->pairs[at + 1], (ctx->count - at - 1) * sizeof(struct pair));
        ctx->count--;
    }
}

size_t esdk_enc_ctx_count(const esdk_enc_ctx *ctx)
{
    return ctx ? ctx->count : 0;
}

int esdk_enc_ctx_entry(
    const esdk_enc_ctx *ctx,
    size_t index,
    const uint8_t **key,
    size_t *key_len,
    const uint8_t **value,
    size_t *value_len)
{
    ESDK_ENSURE(ctx != NULL && index < ctx->count, ESDK_ERR_BAD_ARGUMENT);
    const struct pair *p = &ctx->pairs[index];
    *key = p->key;
    *key_len = p->key_len;
    *value = p->value;
    *value_len = p->value_len;
    return 0;
}

int esdk_enc_ctx_get(
    const esdk_enc_ctx *ctx,
    const uint8_t *key,
    size_t key_len,
    const uint8_t **value,
    size_t *value_len)
{
    bool found = false;
    if (!ctx || !value || !value_len) {
        return ESDK_ERR_BAD_ARGUMENT;
    }
    size_t at = find(ctx, key, key_len, &found);
    if (!found) {
        return ESDK_ERR_BAD_ARGUMENT;
    }
    *value = ctx->pairs[at].value;
    *value_len = ctx->pairs[at].value_len;
    return 0;
}

bool esdk_enc_ctx_has(const esdk_enc_ctx *ctx, const char *key)
{
    bool found = false;
    if (ctx && key) {
        (void)find(ctx, (const uint8_t *)key, strlen(key), &found);
    }
    return found;
}

bool esdk_enc_ctx_has_reserved_key(const esdk_enc_ctx *ctx)
{
    static const char prefix[] = ESDK_RESERVED_CONTEXT_PREFIX;
    const size_t n = sizeof prefix - 1;
    for (size_t i = 0; ctx && i < ctx->count; i++) {
        const struct pair *p = &ctx->pairs[i];
        if (p->key_len >= n && esdk_bytes_equal(p->key, n, prefix, n)) {
            return true;
        }
    }
    return false;
}
