/**
 * @file keyrings/hierarchy.h
 * The hierarchical keyring: data keys wrapped locally under keys derived from a *branch key*,
 * so that one fetch of a branch key serves many messages. The EDKs are those of the official
 * AWS KMS Hierarchical Keyring (AWS Cryptographic Material Providers Library), so messages
 * interoperate with the official AWS Encryption SDKs when both sides hold the same branch key.
 *
 * Wire layout (per EDK):
 *  - provider id "aws-kms-hierarchy"; provider info = the branch key id (UTF-8);
 *  - ciphertext = salt (16) || IV (12) || branch key version (16: the version UUID's bytes)
 *    || AES-256-GCM(data key) || tag (16);
 *  - wrapping key = NIST SP 800-108 counter mode, HMAC-SHA256, key = branch key (32 bytes),
 *    label "aws-kms-hierarchy", context = salt, 256 bits; fresh random salt and IV per EDK;
 *  - AAD = "aws-kms-hierarchy" || branch key id || version (16) || serialized encryption
 *    context, so the context is bound to the wrapped key.
 *
 * How this maps to the official design. There, branch keys are 32-byte keys made by AWS KMS
 * (GenerateDataKeyWithoutPlaintext) and stored, wrapped by a KMS key, in a DynamoDB table (the
 * "key store"): one item per version plus an "ACTIVE" item naming the version encrypt uses.
 * The keyring calls the key store, which reads the item and asks KMS to decrypt it, and caches
 * the plaintext branch key for a TTL. Here the key store is a *branch key supplier*: a vtable
 * with two calls, "the active version of branch key ID" (encrypt) and "version V of branch key
 * ID" (decrypt). Two suppliers are built in: a static one (one version held in memory; what
 * the official test vectors use) and a local file-backed store for users without a key
 * service. A KMS + DynamoDB store is a third supplier that the application (or a later
 * release) can write against the same vtable: it would add a DynamoDB GetItem per cache miss,
 * a KMS Decrypt of the wrapped branch key (with the key store's encryption context:
 * branch-key-id, type, create-time, tablename, kms-arn, hierarchy-version), and key creation
 * and rotation through KMS. The keyring, the wire format and the cache stay as they are.
 * See docs/hierarchical-keyring.md.
 *
 * Cache: every keyring keeps the branch keys it fetched (the active one, and each version it
 * decrypted with) in guarded memory for a TTL (default 10 minutes), up to a capacity (default
 * 1000 entries, least recently used evicted first). Within the TTL, a rotated branch key is
 * not seen by encrypt: pick the TTL as the longest time an old version may still be used.
 * A TTL of 0 turns the cache off (every call asks the supplier).
 *
 * Keyrings and the built-in suppliers are safe to use from several threads. Branch keys held
 * by a keyring's cache or a supplier live in guarded memory and are wiped when evicted or
 * released; those a supplier hands over (esdk_branch_key) are wiped by the keyring after use.
 */
#ifndef ESDK_KEYRINGS_HIERARCHY_H
#define ESDK_KEYRINGS_HIERARCHY_H

#include <stddef.h>
#include <stdint.h>

#include <aws-esdk-c/cache.h>
#include <aws-esdk-c/export.h>
#include <aws-esdk-c/keyring.h>

#ifdef __cplusplus
extern "C" {
#endif

/** The provider id of the EDKs this keyring writes and reads. */
#define ESDK_HIERARCHY_PROVIDER_ID "aws-kms-hierarchy"
/** Branch keys are 32 bytes. */
#define ESDK_BRANCH_KEY_LEN 32
/** A branch key version is a UUID: 16 bytes... */
#define ESDK_BRANCH_KEY_VERSION_LEN 16
/** ...or 36 characters as text, plus a NUL. */
#define ESDK_UUID_STRING_SIZE 37

/** One version of a branch key, as a supplier hands it to the keyring. */
typedef struct esdk_branch_key {
    uint8_t key[ESDK_BRANCH_KEY_LEN];             /**< the plaintext branch key */
    uint8_t version[ESDK_BRANCH_KEY_VERSION_LEN]; /**< the version UUID's 16 bytes */
} esdk_branch_key;

/* ---- branch key suppliers ---- */

/**
 * The functions of a branch key supplier (a key store). Set size to
 * sizeof(esdk_branch_key_supplier_vtable). Both calls may come from several threads at once.
 */
typedef struct esdk_branch_key_supplier_vtable {
    /** sizeof(esdk_branch_key_supplier_vtable) */
    size_t size;
    /** A short name for error texts, e.g. "file-store". */
    const char *name;
    /**
     * Fill out with the active version of branch_key_id (for encrypt). Return 0, or a
     * negative ESDK_ERR_* (ESDK_ERR_BAD_KEY: no such branch key; ESDK_ERR_UNAVAILABLE: the
     * store cannot be reached).
     */
    int (*get_active)(void *state, const char *branch_key_id, esdk_branch_key *out);
    /**
     * Fill out with version `version` of branch_key_id (for decrypt); out->version must equal
     * version. ESDK_ERR_CANNOT_DECRYPT if the store has no such version.
     */
    int (*get_version)(
        void *state,
        const char *branch_key_id,
        const uint8_t version[ESDK_BRANCH_KEY_VERSION_LEN],
        esdk_branch_key *out);
    /** Free state (once, when the last reference goes). May be NULL. */
    void (*destroy)(void *state);
} esdk_branch_key_supplier_vtable;

/** A reference-counted branch key supplier. */
typedef struct esdk_branch_key_supplier esdk_branch_key_supplier;

/**
 * Wrap vtable + state in a supplier handle with one reference. The vtable must outlive the
 * supplier; state is owned from now on (destroy is called on failure too).
 * @param vtable the functions (borrowed); get_active and get_version must be set
 * @param state passed to every function (owned by the supplier from now on; may be NULL)
 * @param[out] out the supplier; caller releases with esdk_branch_key_supplier_release()
 * @retval 0 success
 * @retval ESDK_ERR_BAD_ARGUMENT an incomplete vtable or a NULL out
 * @retval ESDK_ERR_NO_MEMORY allocation failed
 */
ESDK_API ESDK_MUST_USE int esdk_branch_key_supplier_new(
    const esdk_branch_key_supplier_vtable *vtable, void *state, esdk_branch_key_supplier **out);
/**
 * Add a reference. Thread-safe.
 * @param s the supplier (NULL is ignored)
 * @return s; the caller releases the new reference with esdk_branch_key_supplier_release()
 */
ESDK_API esdk_branch_key_supplier *esdk_branch_key_supplier_retain(esdk_branch_key_supplier *s);
/**
 * Drop a reference; the last one calls destroy (the built-in suppliers wipe their keys).
 * Thread-safe.
 * @param s the supplier (NULL is ignored)
 */
ESDK_API void esdk_branch_key_supplier_release(esdk_branch_key_supplier *s);

/**
 * A static supplier: one branch key id with one version, held in guarded memory. version is
 * the UUID text ("e9ce18a3-edb5-4272-9f86-1cacb7997ff6", either case); key is 32 bytes
 * (copied; the caller may wipe it). get_active returns it for branch_key_id; get_version
 * returns it for that id and version, and ESDK_ERR_CANNOT_DECRYPT for anything else.
 * @param branch_key_id the branch key id (copied)
 * @param version the version's UUID text (borrowed)
 * @param key the branch key (copied into guarded memory; the caller wipes its own copy)
 * @param key_len ESDK_BRANCH_KEY_LEN
 * @param[out] out the supplier; caller releases with esdk_branch_key_supplier_release()
 * @retval 0 success
 * @retval ESDK_ERR_BAD_ARGUMENT NULL arguments, or a version that is not a UUID
 * @retval ESDK_ERR_BAD_KEY a key that is not 32 bytes
 * @retval ESDK_ERR_NO_MEMORY allocation failed
 */
ESDK_API ESDK_MUST_USE int esdk_branch_key_supplier_static_new(
    const char *branch_key_id,
    const char *version,
    const uint8_t *key,
    size_t key_len,
    esdk_branch_key_supplier **out);

/**
 * A local, file-backed branch key store: for applications without a key service.
 *
 * dir must exist. It holds one file per branch key id, named "<branch key id>.json" (so an id
 * is 1 to 200 characters of A-Z a-z 0-9 . _ - and does not start with '.'), with every
 * version of that branch key:
 *
 *     {
 *       "format": "aws-esdk-c branch keys v1",
 *       "branch-key-id": "orders",
 *       "active": "2c6f...-...",
 *       "versions": {
 *         "2c6f...-...": { "key": "<base64 of 32 bytes>", "created": "2026-11-02T10:00:00Z" },
 *         ...
 *       }
 *     }
 *
 * THE FILES HOLD BRANCH KEYS IN THE CLEAR: anyone who can read them can decrypt every message
 * wrapped under them. They are written with mode 0600 (new file, then rename, so a reader
 * never sees half a file; a lock file "<dir>/.lock" serializes writers across processes), and
 * a file that group or others may read or write is refused (ESDK_ERR_ACCESS_DENIED). Keep dir
 * on an encrypted disk, readable only by the service's own user, and back it up: a lost
 * version cannot be recovered, nor can the messages under it. Versions are never deleted by
 * the library.
 *
 * get_active reads the "active" version; get_version any version. Both read the file on each
 * call (the keyring's cache keeps that rare).
 * @param dir the store's directory (copied)
 * @param[out] out the store; caller releases with esdk_branch_key_supplier_release()
 * @retval 0 success
 * @retval ESDK_ERR_BAD_ARGUMENT NULL or empty arguments, or dir is not a directory
 * @retval ESDK_ERR_NO_MEMORY allocation failed
 */
ESDK_API ESDK_MUST_USE int
esdk_branch_key_store_file_new(const char *dir, esdk_branch_key_supplier **out);

/**
 * Create branch key branch_key_id in a file store with one fresh random version, which is
 * active; its UUID text is written to version (may be NULL).
 * @param store a store made by esdk_branch_key_store_file_new() (borrowed)
 * @param branch_key_id the new branch key's id (borrowed)
 * @param[out] version receives the version's UUID text (NUL-terminated), or NULL
 * @retval 0 success
 * @retval ESDK_ERR_BAD_STATE the branch key exists already
 * @retval ESDK_ERR_BAD_ARGUMENT not a file store, or an id that cannot be a file name
 * @retval ESDK_ERR_IO, ESDK_ERR_RANDOM the file cannot be written, or no random bytes
 */
ESDK_API ESDK_MUST_USE int esdk_branch_key_store_file_create(
    esdk_branch_key_supplier *store,
    const char *branch_key_id,
    char version[ESDK_UUID_STRING_SIZE]);

/**
 * Rotate: add a fresh random version to branch_key_id and make it active (earlier versions
 * stay for decrypt). Its UUID text is written to version (may be NULL).
 * @param store a store made by esdk_branch_key_store_file_new() (borrowed)
 * @param branch_key_id the branch key's id (borrowed)
 * @param[out] version receives the new version's UUID text (NUL-terminated), or NULL
 * @retval 0 success
 * @retval ESDK_ERR_BAD_KEY no such branch key
 * @retval ESDK_ERR_BAD_ARGUMENT not a file store, or an id that cannot be a file name
 * @retval ESDK_ERR_IO, ESDK_ERR_RANDOM the file cannot be written, or no random bytes
 */
ESDK_API ESDK_MUST_USE int esdk_branch_key_store_file_rotate(
    esdk_branch_key_supplier *store,
    const char *branch_key_id,
    char version[ESDK_UUID_STRING_SIZE]);

/* ---- the keyring ---- */

/** Settings of a hierarchical keyring (copied by the keyring; NULL means defaults). */
typedef struct esdk_hierarchy_options esdk_hierarchy_options;

/**
 * New options with the defaults (cache TTL 10 minutes, 1000 entries, monotonic clock).
 * @param[out] out the options; caller releases with esdk_hierarchy_options_release()
 * @retval 0 success
 * @retval ESDK_ERR_BAD_ARGUMENT out is NULL
 * @retval ESDK_ERR_NO_MEMORY allocation failed
 */
ESDK_API ESDK_MUST_USE int esdk_hierarchy_options_new(esdk_hierarchy_options **out);
/**
 * Release options; keyrings made with them keep their own copy.
 * @param opts the options (NULL is ignored)
 */
ESDK_API void esdk_hierarchy_options_release(esdk_hierarchy_options *opts);
/**
 * How long a fetched branch key is used before the supplier is asked again (0: no cache).
 * @param opts the options (borrowed)
 * @param ttl_ms the time to live in milliseconds (default 600000)
 * @retval 0 success
 * @retval ESDK_ERR_BAD_ARGUMENT opts is NULL
 */
ESDK_API ESDK_MUST_USE int
esdk_hierarchy_options_set_cache_ttl(esdk_hierarchy_options *opts, uint64_t ttl_ms);
/**
 * The most branch key versions the cache holds (1 to 100000; default 1000).
 * @param opts the options (borrowed)
 * @param entries 1 to 100000
 * @retval 0 success
 * @retval ESDK_ERR_BAD_ARGUMENT opts is NULL or entries out of range
 */
ESDK_API ESDK_MUST_USE int
esdk_hierarchy_options_set_cache_capacity(esdk_hierarchy_options *opts, size_t entries);
/**
 * The clock of the cache (NULL: CLOCK_MONOTONIC), e.g. so that a test can move time forward.
 * ctx must outlive the keyring; the clock must be thread-safe if the keyring is shared.
 * @param opts the options (borrowed)
 * @param clock the clock, or NULL for the default
 * @param ctx passed to clock (borrowed)
 * @retval 0 success
 * @retval ESDK_ERR_BAD_ARGUMENT opts is NULL
 */
ESDK_API ESDK_MUST_USE int
esdk_hierarchy_options_set_clock(esdk_hierarchy_options *opts, esdk_clock_fn clock, void *ctx);

/**
 * A hierarchical keyring for branch_key_id (UTF-8, 1 to 65535 bytes), fetching branch keys
 * from supplier (retained).
 *
 * Encrypt: the active branch key wraps the data key (generated first if the materials have
 * none). Decrypt: EDKs with provider id "aws-kms-hierarchy" and provider info equal to
 * branch_key_id are tried in order; the version in each names the branch key to fetch.
 * Errors: ESDK_ERR_CANNOT_DECRYPT when no EDK is for this branch key id or none unwraps;
 * the supplier's code when it fails (e.g. ESDK_ERR_UNAVAILABLE) and no EDK unwrapped.
 * @param branch_key_id the branch key id (copied)
 * @param supplier where branch keys come from (retained)
 * @param opts cache settings (copied), or NULL for the defaults
 * @param[out] out the keyring; caller releases with esdk_keyring_release()
 * @retval 0 success
 * @retval ESDK_ERR_BAD_ARGUMENT NULL arguments, or an empty, too long or invalid id
 * @retval ESDK_ERR_NO_MEMORY allocation failed
 */
ESDK_API ESDK_MUST_USE int esdk_keyring_hierarchy_new(
    const char *branch_key_id,
    esdk_branch_key_supplier *supplier,
    const esdk_hierarchy_options *opts,
    esdk_keyring **out);

#ifdef __cplusplus
}
#endif
#endif
