/* Helpers for the test-vector runner (see util.h). */
#define _POSIX_C_SOURCE 200809L

#include "util.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

/* ---- memory ---- */

void *vu_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) {
        fprintf(stderr, "esdk-vectors: out of memory\n");
        exit(2);
    }
    return p;
}

void *vu_xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q) {
        fprintf(stderr, "esdk-vectors: out of memory\n");
        exit(2);
    }
    return q;
}

char *vu_xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = vu_xmalloc(n);
    memcpy(d, s, n);
    return d;
}

char *vu_xasprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) {
        return vu_xstrdup("");
    }
    char *s = vu_xmalloc((size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return s;
}

int vu_bytes_reserve(vu_bytes *b, size_t extra)
{
    if (b->cap - b->len >= extra) {
        return 0;
    }
    size_t want = b->cap ? b->cap : 256;
    while (want - b->len < extra) {
        if (want > SIZE_MAX / 2) {
            return -1;
        }
        want *= 2;
    }
    b->data = vu_xrealloc(b->data, want);
    b->cap = want;
    return 0;
}

int vu_bytes_append(vu_bytes *b, const uint8_t *data, size_t len)
{
    if (vu_bytes_reserve(b, len)) {
        return -1;
    }
    if (len) {
        memcpy(b->data + b->len, data, len);
    }
    b->len += len;
    return 0;
}

void vu_bytes_free(vu_bytes *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

/* ---- files ---- */

int vu_read_file(const char *path, uint8_t **data, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        return -1;
    }
    vu_bytes b = {0};
    for (;;) {
        vu_bytes_reserve(&b, 65536 + 1);
        size_t n = fread(b.data + b.len, 1, b.cap - b.len - 1, f);
        b.len += n;
        if (n == 0) {
            break;
        }
    }
    int err = ferror(f);
    fclose(f);
    if (err) {
        vu_bytes_free(&b);
        errno = EIO;
        return -1;
    }
    b.data[b.len] = 0;
    *data = b.data;
    *len = b.len;
    return 0;
}

int vu_write_file(const char *path, const uint8_t *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (!f) {
        return -1;
    }
    size_t n = len ? fwrite(data, 1, len, f) : 0;
    int bad = n != len || ferror(f);
    if (fclose(f) != 0) {
        bad = 1;
    }
    return bad ? -1 : 0;
}

bool vu_is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

bool vu_is_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

int vu_mkdir_p(const char *path)
{
    char *p = vu_xstrdup(path);
    int rc = 0;
    for (char *s = p + 1; *s && !rc; s++) {
        if (*s == '/') {
            *s = 0;
            if (mkdir(p, 0777) != 0 && errno != EEXIST) {
                rc = -1;
            }
            *s = '/';
        }
    }
    if (!rc && mkdir(p, 0777) != 0 && errno != EEXIST) {
        rc = -1;
    }
    if (!rc && !vu_is_dir(p)) {
        errno = ENOTDIR;
        rc = -1;
    }
    free(p);
    return rc;
}

char *vu_dirname(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash) {
        return vu_xstrdup(".");
    }
    if (slash == path) {
        return vu_xstrdup("/");
    }
    size_t n = (size_t)(slash - path);
    char *d = vu_xmalloc(n + 1);
    memcpy(d, path, n);
    d[n] = 0;
    return d;
}

char *vu_path_join(const char *dir, const char *rel)
{
    if (rel[0] == '/' || dir[0] == 0) {
        return vu_xstrdup(rel);
    }
    size_t dl = strlen(dir);
    return vu_xasprintf("%s%s%s", dir, dl && dir[dl - 1] == '/' ? "" : "/", rel);
}

char *vu_resolve_uri(const char *base_dir, const char *uri)
{
    static const char prefix[] = "file://";
    if (!uri || strncmp(uri, prefix, sizeof(prefix) - 1) != 0) {
        return NULL;
    }
    return vu_path_join(base_dir, uri + sizeof(prefix) - 1);
}

/* ---- encodings ---- */

static int b64_value(int c)
{
    if (c >= 'A' && c <= 'Z') {
        return c - 'A';
    }
    if (c >= 'a' && c <= 'z') {
        return c - 'a' + 26;
    }
    if (c >= '0' && c <= '9') {
        return c - '0' + 52;
    }
    if (c == '+') {
        return 62;
    }
    if (c == '/') {
        return 63;
    }
    return -1;
}

int vu_base64_decode(const char *in, uint8_t **out, size_t *out_len)
{
    size_t n = strlen(in);
    uint8_t *o = vu_xmalloc(n / 4 * 3 + 3);
    size_t len = 0;
    uint32_t acc = 0;
    int bits = 0;
    bool padding = false;
    for (size_t i = 0; i < n; i++) {
        int c = (unsigned char)in[i];
        if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
            continue;
        }
        if (c == '=') {
            padding = true;
            continue;
        }
        int v = b64_value(c);
        if (v < 0 || padding) {
            free(o);
            return -1;
        }
        acc = (acc << 6) | (uint32_t)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            o[len++] = (uint8_t)(acc >> bits);
        }
    }
    if (bits >= 6) { /* a lone trailing character cannot encode a byte */
        free(o);
        return -1;
    }
    *out = o;
    *out_len = len;
    return 0;
}

static int hex_value(int c)
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

int vu_hex_decode(const char *in, uint8_t **out, size_t *out_len)
{
    size_t n = strlen(in);
    if (n % 2) {
        return -1;
    }
    uint8_t *o = vu_xmalloc(n / 2);
    for (size_t i = 0; i < n / 2; i++) {
        int hi = hex_value((unsigned char)in[2 * i]);
        int lo = hex_value((unsigned char)in[2 * i + 1]);
        if (hi < 0 || lo < 0) {
            free(o);
            return -1;
        }
        o[i] = (uint8_t)(hi << 4 | lo);
    }
    *out = o;
    *out_len = n / 2;
    return 0;
}

/* ---- JSON ---- */

cJSON *vu_load_json(const char *path, char *err, size_t err_len)
{
    uint8_t *data;
    size_t len;
    if (vu_read_file(path, &data, &len) != 0) {
        snprintf(err, err_len, "cannot read %s: %s", path, strerror(errno));
        return NULL;
    }
    cJSON *root = cJSON_ParseWithLength((const char *)data, len);
    if (!root) {
        const char *where = cJSON_GetErrorPtr();
        snprintf(
            err,
            err_len,
            "%s is not valid JSON (near byte %ld)",
            path,
            where ? (long)(where - (const char *)data) : -1L);
    }
    free(data);
    return root;
}

const char *vu_json_str(const cJSON *obj, const char *name)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, name);
    return cJSON_IsString(item) ? item->valuestring : NULL;
}

cJSON *vu_json_obj(const cJSON *obj, const char *name)
{
    cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, name);
    return cJSON_IsObject(item) ? item : NULL;
}

int vu_ctx_from_json(const cJSON *obj, esdk_enc_ctx **out)
{
    if (!cJSON_IsObject(obj)) {
        return 1;
    }
    esdk_enc_ctx *ctx;
    int rc = esdk_enc_ctx_new(&ctx);
    if (rc) {
        return rc;
    }
    const cJSON *pair;
    cJSON_ArrayForEach(pair, obj)
    {
        if (!cJSON_IsString(pair) || !pair->string) {
            esdk_enc_ctx_release(ctx);
            return 1;
        }
        rc = esdk_enc_ctx_set(
            ctx,
            (const uint8_t *)pair->string,
            strlen(pair->string),
            (const uint8_t *)pair->valuestring,
            strlen(pair->valuestring));
        if (rc) {
            esdk_enc_ctx_release(ctx);
            return rc;
        }
    }
    *out = ctx;
    return 0;
}

bool vu_ctx_equals_json(const esdk_enc_ctx *ctx, const cJSON *obj)
{
    if (!ctx || !cJSON_IsObject(obj)) {
        return false;
    }
    if (esdk_enc_ctx_count(ctx) != (size_t)cJSON_GetArraySize(obj)) {
        return false;
    }
    const cJSON *pair;
    cJSON_ArrayForEach(pair, obj)
    {
        const uint8_t *v;
        size_t vlen;
        if (!cJSON_IsString(pair) ||
            esdk_enc_ctx_get(ctx, (const uint8_t *)pair->string, strlen(pair->string), &v, &vlen)) {
            return false;
        }
        if (vlen != strlen(pair->valuestring) || (vlen && memcmp(v, pair->valuestring, vlen))) {
            return false;
        }
    }
    return true;
}

uint64_t vu_fnv1a(const char *s)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 0x100000001b3ULL;
    }
    return h;
}
