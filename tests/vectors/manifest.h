/* Reading decrypt manifests into a list of normalized cases.
 *
 * Formats read:
 *  - awses-decrypt versions 1 to 5 (keys manifest versions 1 to 3 by the "keys" URI);
 *  - kat-decrypt-oracle/decrypt_vectors.json (inline base64; "null" / "test_counting" keys);
 *  - kat-js-fixtures/js-fixtures.json (inline base64; "zero-data-key" keyring; options).
 */
#ifndef ESDK_VECTORS_MANIFEST_H
#define ESDK_VECTORS_MANIFEST_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/** What a case expects. */
typedef enum vec_expect {
    VEC_EXPECT_PLAINTEXT, /**< success with exactly this plaintext */
    VEC_EXPECT_SUCCESS,   /**< success; the source gives no plaintext to compare */
    VEC_EXPECT_ERROR,     /**< decrypt must fail */
} vec_expect;

/** How to decrypt. */
typedef enum vec_method {
    VEC_METHOD_ONE_SHOT,           /**< esdk_decrypt */
    VEC_METHOD_STREAMING_UNSIGNED, /**< a session in ESDK_MODE_DECRYPT_UNSIGNED, small chunks */
} vec_method;

/** A data key handed out for any EDK by the runner's own keyring (KAT sets). */
typedef enum vec_fixed_key {
    VEC_FIXED_NONE = 0,
    VEC_FIXED_ZERO,     /**< all-zero data key of the suite's length */
    VEC_FIXED_COUNTING, /**< 01 02 03 ... of the suite's length */
} vec_fixed_key;

/** The CMM a case asks for (awses-decrypt v4 "cmm"). */
typedef enum vec_cmm {
    VEC_CMM_DEFAULT = 0,
    VEC_CMM_REQUIRED_EC, /**< "RequiredEncryptionContext": required keys = reproduced EC keys */
} vec_cmm;

/** Bytes given by a file path or inline. */
typedef struct vec_data {
    char *path;     /**< load from this file, or NULL */
    uint8_t *bytes; /**< inline bytes when path is NULL (owned) */
    size_t len;
} vec_data;

/** One decrypt case, whatever manifest it came from. */
typedef struct vec_case {
    char *id;
    vec_data ciphertext;
    vec_expect expect;
    vec_data plaintext;      /**< for VEC_EXPECT_PLAINTEXT */
    char *error_description; /**< for VEC_EXPECT_ERROR (may be NULL) */
    /** JSON array of key descriptions (master keys or a v5 decryptKeyDescription); any one may
     * decrypt. Borrowed from the manifest. NULL when fixed_key is set. */
    const cJSON *key_descs;
    vec_fixed_key fixed_key;
    vec_cmm cmm;
    const cJSON *reproduced_ec;      /**< object passed to decrypt, or NULL */
    const cJSON *expected_header_ec; /**< object the header's context must equal, or NULL */
    vec_method method;
    size_t max_edks; /**< 0 = no limit */
    bool has_max_body;
    uint64_t max_body; /**< JS maxBodySize */
    char *skip_reason; /**< set when the runner cannot run this case as described */
} vec_case;

typedef struct vec_manifest {
    char *path;
    char *dir;
    char *format;      /**< e.g. "awses-decrypt v4", for messages */
    cJSON *root;       /**< the manifest */
    cJSON *keys_root;  /**< the keys manifest, or NULL */
    const cJSON *keys; /**< its "keys" object, or NULL */
    cJSON *owned;      /**< JSON the reader made up (arrays of references, ...) */
    vec_case *cases;
    size_t count;
} vec_manifest;

/** Load a decrypt manifest of any supported format; 0, or -1 with a message in err. */
int vec_manifest_load(const char *path, vec_manifest *m, char *err, size_t err_len);
void vec_manifest_free(vec_manifest *m);

/**
 * Load a keys manifest (versions 1 to 3) named by a "keys" URI relative to manifest_dir.
 * Returns its root (and the "keys" object in *keys), or NULL with a message in err. If raw is
 * not NULL it receives the file's bytes (free them).
 */
cJSON *vec_keys_manifest_load(
    const char *manifest_dir,
    const char *uri,
    const cJSON **keys,
    uint8_t **raw,
    size_t *raw_len,
    char *err,
    size_t err_len);

/** The bytes of d: borrowed for inline data, read for a path (*owned set). 0 or -1. */
int vec_data_get(const vec_data *d, const uint8_t **bytes, size_t *len, uint8_t **owned);

#endif
