/* Small helpers for the test-vector runner: files, paths, file:// URIs, base64/hex, growable
 * bytes, JSON loading and encryption contexts built from JSON objects. */
#ifndef ESDK_VECTORS_UTIL_H
#define ESDK_VECTORS_UTIL_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <aws-esdk-c/context.h>

/** Growable bytes owned by the runner. */
typedef struct vu_bytes {
    uint8_t *data;
    size_t len;
    size_t cap;
} vu_bytes;

/** Make room for extra more bytes; 0 or -1 (out of memory). */
int vu_bytes_reserve(vu_bytes *b, size_t extra);
int vu_bytes_append(vu_bytes *b, const uint8_t *data, size_t len);
void vu_bytes_free(vu_bytes *b);

/** malloc that exits the program on failure (the runner has no use for half-built state). */
void *vu_xmalloc(size_t n);
void *vu_xrealloc(void *p, size_t n);
char *vu_xstrdup(const char *s);
/** printf into a new string. */
char *vu_xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/** Read a whole file; 0 or -1 (errno set). *data is NUL-terminated (not counted in *len). */
int vu_read_file(const char *path, uint8_t **data, size_t *len);
/** Write a whole file (created or truncated); 0 or -1. */
int vu_write_file(const char *path, const uint8_t *data, size_t len);
/** mkdir -p; 0 or -1. */
int vu_mkdir_p(const char *path);
bool vu_is_dir(const char *path);
bool vu_is_file(const char *path);

/** The directory part of a path ("." when there is none). */
char *vu_dirname(const char *path);
/** dir/rel, or rel itself when it is absolute. */
char *vu_path_join(const char *dir, const char *rel);
/**
 * Resolve a manifest URI ("file://x/y", relative to base_dir unless absolute) to a path.
 * NULL when the URI is not a file:// URI.
 */
char *vu_resolve_uri(const char *base_dir, const char *uri);

/** Standard base64 (padding optional, whitespace ignored); 0 or -1 on bad input. */
int vu_base64_decode(const char *in, uint8_t **out, size_t *out_len);
/** Hex (upper or lower case, even length); 0 or -1 on bad input. */
int vu_hex_decode(const char *in, uint8_t **out, size_t *out_len);

/** Parse a JSON file; NULL with a message in err on failure. */
cJSON *vu_load_json(const char *path, char *err, size_t err_len);
/** A string member, or NULL when absent or not a string. */
const char *vu_json_str(const cJSON *obj, const char *name);
/** An object member, or NULL when absent or not an object. */
cJSON *vu_json_obj(const cJSON *obj, const char *name);

/**
 * Build an encryption context from a JSON object of string values. Returns 0, a negative
 * ESDK_ERR_* from the library, or 1 when the JSON is not an object of strings.
 */
int vu_ctx_from_json(const cJSON *obj, esdk_enc_ctx **out);
/** true if ctx holds exactly the pairs of the JSON object. */
bool vu_ctx_equals_json(const esdk_enc_ctx *ctx, const cJSON *obj);

/** FNV-1a 64 of a string (to seed generated plaintexts). */
uint64_t vu_fnv1a(const char *s);

#endif
