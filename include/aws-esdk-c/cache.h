/**
 * @file cache.h
 * Data-key caching: a materials cache (a vtable, so an application can plug its own), the
 * built-in local LRU cache, and the caching CMM that reuses a data key across messages.
 *
 * Caching trades security for speed: every message encrypted from a cache entry shares one
 * data key (each message still derives its own encryption key from its message id). Bound
 * the reuse with a short max age and the message and byte limits.
 *
 * A typical set-up:
 * @code
 * esdk_cache *cache;
 * esdk_cmm *cmm;
 * esdk_cache_local_new(100, &cache);
 * esdk_cmm_caching_new(NULL, keyring, cache, 60 * 1000, &cmm);   // max age 60 s
 * esdk_cmm_caching_set_limit_messages(cmm, 1000);
 * esdk_cache_release(cache);                                    // the CMM holds it
 * ... esdk_encrypt(opts, cmm, NULL, ctx, pt, pt_len, &out); ...
 * esdk_cmm_release(cmm);
 * @endcode
 */
#ifndef ESDK_CACHE_H
#define ESDK_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <aws-esdk-c/cmm.h>
#include <aws-esdk-c/export.h>
#include <aws-esdk-c/keyring.h>
#include <aws-esdk-c/materials.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Length of a cache entry id in bytes (a SHA-512 digest). */
#define ESDK_CACHE_ID_LEN 64

/** Default and largest message limit of a caching CMM (2^32). */
#define ESDK_CACHE_MAX_MESSAGES (UINT64_C(1) << 32)
/** Default and largest byte limit of a caching CMM (2^63 - 1). */
#define ESDK_CACHE_MAX_BYTES (UINT64_C(0x7fffffffffffffff))

/** How much an entry's materials have been used to encrypt. */
typedef struct esdk_cache_usage {
    uint64_t messages; /**< messages encrypted with the entry's materials */
    uint64_t bytes;    /**< plaintext bytes encrypted with them */
} esdk_cache_usage;

/**
 * What a successful get hands back. The materials are the caller's own copy (a clone, to
 * release), never the cache's: two sessions never share mutable materials.
 */
typedef struct esdk_cache_hit {
    esdk_enc_materials *enc; /**< a copy, for an entry that holds encryption materials */
    esdk_dec_materials *dec; /**< a copy, for an entry that holds decryption materials */
    esdk_cache_usage usage;  /**< the entry's usage, including this get's increment */
    uint64_t age_ms;         /**< milliseconds since the entry was stored (cache's clock) */
} esdk_cache_hit;

/** A materials cache handle (opaque, reference-counted). */
typedef struct esdk_cache esdk_cache;

/**
 * The functions of a materials cache. Set size to sizeof(esdk_cache_vtable). A cache that
 * is shared between threads must do its own locking; the library calls these functions from
 * any thread, and never while it holds a lock of its own.
 */
typedef struct esdk_cache_vtable {
    size_t size; /**< sizeof(esdk_cache_vtable), so that later versions can add functions */
    /** A short name for traces and error texts (e.g. "local"). */
    const char *name;
    /**
     * Look id (ESDK_CACHE_ID_LEN bytes) up. If an entry is present and not expired: add
     * *add to its usage (atomically with the lookup, so concurrent callers see distinct
     * totals; add may be NULL for no change), fill hit with a copy of its materials, its
     * usage after the increment and its age, and set *found. Otherwise set *found to false
     * and leave hit zeroed. Expired entries are never returned. Returns 0 or an error.
     */
    int (*get)(
        void *state,
        const uint8_t *id,
        const esdk_cache_usage *add,
        esdk_cache_hit *hit,
        bool *found);
    /**
     * Store a copy of exactly one of enc and dec (the other is NULL) under id, with the
     * initial usage and a time to live in milliseconds, replacing any entry with that id.
     */
    int (*put)(
        void *state,
        const uint8_t *id,
        const esdk_enc_materials *enc,
        const esdk_dec_materials *dec,
        const esdk_cache_usage *usage,
        uint64_t ttl_ms);
    /** Drop the entry with that id, if any (wiping its materials). */
    void (*remove)(void *state, const uint8_t *id);
    /** Free state (called once, when the last reference is released). May be NULL. */
    void (*destroy)(void *state);
} esdk_cache_vtable;

/**
 * Wrap vtable + state in a cache handle with one reference. The vtable must outlive the
 * cache; state is owned by the cache from now on (destroy is called on failure too).
 * @param vtable the functions (borrowed); get, put and remove must be set
 * @param state passed to every function (owned by the cache from now on; may be NULL)
 * @param[out] out the cache; caller releases with esdk_cache_release()
 * @retval 0 success
 * @retval ESDK_ERR_BAD_ARGUMENT an incomplete vtable or a NULL out
 * @retval ESDK_ERR_NO_MEMORY allocation failed
 */
ESDK_API ESDK_MUST_USE int
esdk_cache_new(const esdk_cache_vtable *vtable, void *state, esdk_cache **out);
/**
 * Add a reference. Thread-safe.
 * @param cache the cache (NULL is ignored)
 * @return cache; the caller releases the new reference with esdk_cache_release()
 */
ESDK_API esdk_cache *esdk_cache_retain(esdk_cache *cache);
/**
 * Drop a reference; the last one calls destroy (the local cache wipes every entry).
 * Thread-safe.
 * @param cache the cache (NULL is ignored)
 */
ESDK_API void esdk_cache_release(esdk_cache *cache);
/**
 * The vtable's name.
 * @param cache the cache (borrowed)
 * @return the name, borrowed from the vtable
 */
ESDK_API const char *esdk_cache_name(const esdk_cache *cache);
/**
 * The state pointer given to esdk_cache_new.
 * @param cache the cache (borrowed)
 * @return the state, still owned by the cache; NULL if cache is NULL
 */
ESDK_API void *esdk_cache_state(const esdk_cache *cache);

/**
 * Call get and check its contract: on a hit exactly one of hit->enc and hit->dec is set.
 * hit is zeroed first; on a miss or an error it stays zeroed.
 * @param cache the cache (borrowed)
 * @param id the entry id, ESDK_CACHE_ID_LEN bytes (borrowed)
 * @param add usage to add to the entry on a hit (borrowed; NULL adds nothing)
 * @param[out] hit on a hit, copies of the materials: caller releases them with
 *        esdk_cache_hit_clear()
 * @param[out] found whether an unexpired entry was found
 * @retval 0 success (a hit or a miss)
 * @retval ESDK_ERR_BAD_ARGUMENT NULL arguments
 * @retval ESDK_ERR_INTERNAL the cache broke its contract
 * @return otherwise the cache's own code
 */
ESDK_API ESDK_MUST_USE int esdk_cache_get(
    esdk_cache *cache,
    const uint8_t *id,
    const esdk_cache_usage *add,
    esdk_cache_hit *hit,
    bool *found);
/**
 * Call put; exactly one of enc and dec must be non-NULL, and ttl_ms must not be 0.
 * @param cache the cache (borrowed)
 * @param id the entry id, ESDK_CACHE_ID_LEN bytes (borrowed)
 * @param enc encryption materials to store a copy of (borrowed), or NULL
 * @param dec decryption materials to store a copy of (borrowed), or NULL
 * @param usage the entry's initial usage (borrowed)
 * @param ttl_ms time to live in milliseconds (> 0)
 * @retval 0 success
 * @retval ESDK_ERR_BAD_ARGUMENT NULL arguments, both or neither of enc and dec, ttl_ms 0
 * @return otherwise the cache's own code (ESDK_ERR_NO_MEMORY for the local cache)
 */
ESDK_API ESDK_MUST_USE int esdk_cache_put(
    esdk_cache *cache,
    const uint8_t *id,
    const esdk_enc_materials *enc,
    const esdk_dec_materials *dec,
    const esdk_cache_usage *usage,
    uint64_t ttl_ms);
/**
 * Call remove: drop the entry with that id, if any.
 * @param cache the cache (borrowed)
 * @param id the entry id, ESDK_CACHE_ID_LEN bytes (borrowed)
 */
ESDK_API void esdk_cache_remove(esdk_cache *cache, const uint8_t *id);
/**
 * Release the materials a hit holds (wiping their data keys) and zero it.
 * @param hit the hit (NULL is ignored)
 */
ESDK_API void esdk_cache_hit_clear(esdk_cache_hit *hit);

/**
 * The built-in local cache: up to capacity entries (at least 1) in memory, least recently
 * used evicted first. An entry expires ttl_ms after its put (time from a monotonic clock);
 * get never returns an expired entry and prunes expired entries as it goes. Safe to share
 * between threads (one mutex, held only for bookkeeping: copies of materials are made
 * outside it). Materials are wiped when their entry is evicted, removed or released.
 * @param capacity the most entries held (>= 1)
 * @param[out] out the cache; caller releases with esdk_cache_release()
 * @retval 0 success
 * @retval ESDK_ERR_BAD_ARGUMENT capacity 0 or a NULL out
 * @retval ESDK_ERR_NO_MEMORY allocation failed
 */
ESDK_API ESDK_MUST_USE int esdk_cache_local_new(size_t capacity, esdk_cache **out);

/**
 * A clock: milliseconds from any fixed origin, never going backwards.
 * @param ctx the context given with the clock
 * @return the time in milliseconds
 */
typedef uint64_t (*esdk_clock_fn)(void *ctx);

/**
 * Replace a local cache's clock (NULL restores the default monotonic clock), e.g. so that
 * a test can move time forward. Call before the cache is shared between threads; the
 * clock itself must then be thread-safe. ESDK_ERR_BAD_ARGUMENT if cache is not local.
 * @param cache a cache made by esdk_cache_local_new() (borrowed)
 * @param clock the clock, or NULL for the default
 * @param ctx passed to clock (borrowed; must outlive the cache)
 * @retval 0 success
 * @retval ESDK_ERR_BAD_ARGUMENT cache is not a local cache
 */
ESDK_API ESDK_MUST_USE int
esdk_cache_local_set_clock(esdk_cache *cache, esdk_clock_fn clock, void *ctx);

/**
 * The number of entries a local cache holds now (expired ones included until pruned).
 * Thread-safe.
 * @param cache a cache made by esdk_cache_local_new() (borrowed)
 * @return the count; 0 for NULL or for a cache that is not local
 */
ESDK_API size_t esdk_cache_local_count(esdk_cache *cache);

/**
 * A caching CMM: looks materials up in cache before it asks the underlying CMM (or a
 * default CMM over keyring: pass exactly one of cmm and keyring; both are retained, as is
 * cache), and stores what the underlying CMM returns.
 *
 * - Entries are used for at most max_age_ms milliseconds (> 0), and for encryption at most
 *   the message and byte limits (see the setters); then a fresh data key is obtained.
 * - Encrypt goes straight to the underlying CMM (and stores nothing) when the plaintext
 *   length is not known, when the message alone reaches the byte limit, or when the
 *   requested suite has no key derivation (0x0014, 0x0046, 0x0078); materials of such a
 *   suite are never stored, and decrypt of such a suite never uses the cache either.
 * - On a miss the underlying CMM is asked without the plaintext length (the materials will
 *   serve other messages too), and the result is stored with this message as its usage.
 * - Cache ids are the SHA-512 ids of the official SDKs, over the partition id, the
 *   requested suite and the encryption context (encrypt), or the suite, the encrypted data
 *   keys and the context (decrypt); entries are never shared across partitions, suites or
 *   contexts (required context keys on encrypt and a reproduced context on decrypt are
 *   part of the id too). A cached entry whose suite the request's commitment policy forbids
 *   is not used. A hit hands out a copy of the cached materials.
 * - A cache that fails to store an entry does not fail the request; a failing get does.
 *
 * Thread-safe once configured: the setters below must be called before first use.
 *
 * @param cmm the underlying CMM (retained), or NULL
 * @param keyring a keyring for a default underlying CMM (retained), or NULL
 * @param cache the cache (retained; may be shared with other caching CMMs)
 * @param max_age_ms the longest an entry is used, in milliseconds (> 0)
 * @param[out] out the caching CMM; caller releases with esdk_cmm_release()
 * @retval 0 success
 * @retval ESDK_ERR_BAD_ARGUMENT both or neither of cmm and keyring, no cache, max_age_ms 0
 * @retval ESDK_ERR_NO_MEMORY, ESDK_ERR_RANDOM allocation or the random partition id failed
 */
ESDK_API ESDK_MUST_USE int esdk_cmm_caching_new(
    esdk_cmm *cmm, esdk_keyring *keyring, esdk_cache *cache, uint64_t max_age_ms, esdk_cmm **out);

/**
 * Messages that may be encrypted with one cached data key: 1 to ESDK_CACHE_MAX_MESSAGES
 * (the default). ESDK_ERR_BAD_STATE once the CMM was used.
 * @param cmm a caching CMM (borrowed)
 * @param messages the limit
 * @retval 0 success
 * @retval ESDK_ERR_BAD_ARGUMENT not a caching CMM, or messages out of range
 * @retval ESDK_ERR_BAD_STATE the CMM was already used
 */
ESDK_API ESDK_MUST_USE int esdk_cmm_caching_set_limit_messages(esdk_cmm *cmm, uint64_t messages);

/**
 * Plaintext bytes that may be encrypted with one cached data key: 1 to
 * ESDK_CACHE_MAX_BYTES (the default). ESDK_ERR_BAD_STATE once the CMM was used.
 * @param cmm a caching CMM (borrowed)
 * @param bytes the limit
 * @retval 0 success
 * @retval ESDK_ERR_BAD_ARGUMENT not a caching CMM, or bytes out of range
 * @retval ESDK_ERR_BAD_STATE the CMM was already used
 */
ESDK_API ESDK_MUST_USE int esdk_cmm_caching_set_limit_bytes(esdk_cmm *cmm, uint64_t bytes);

/**
 * The partition id (any bytes, usually a UTF-8 name). Caching CMMs with the same partition
 * over one cache share entries; with different ones they never do. Default: 32 random
 * bytes, so that an unconfigured CMM shares with nobody. ESDK_ERR_BAD_STATE once used.
 * @param cmm a caching CMM (borrowed)
 * @param partition_id the id bytes (copied; may be NULL when partition_id_len is 0)
 * @param partition_id_len length of partition_id
 * @retval 0 success
 * @retval ESDK_ERR_BAD_ARGUMENT not a caching CMM, or NULL with a non-zero length
 * @retval ESDK_ERR_BAD_STATE the CMM was already used
 * @retval ESDK_ERR_NO_MEMORY allocation failed
 */
ESDK_API ESDK_MUST_USE int esdk_cmm_caching_set_partition_id(
    esdk_cmm *cmm, const uint8_t *partition_id, size_t partition_id_len);

#ifdef __cplusplus
}
#endif
#endif
