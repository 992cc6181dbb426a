/**
 * @file keyrings/kms.h
 * AWS KMS keyrings: data keys generated, wrapped and unwrapped by AWS Key Management Service
 * (or by any server that speaks its JSON 1.1 protocol, such as a local test server).
 *
 * The encrypted data keys are written in the official layout (provider id "aws-kms", provider
 * info = the key ARN in UTF-8, ciphertext = the KMS CiphertextBlob), so messages interoperate
 * with the official AWS Encryption SDKs. The materials' whole encryption context is sent to
 * KMS as its EncryptionContext.
 *
 * Requests are signed with AWS Signature Version 4. Credentials come, in this order, from a
 * provider callback, from static credentials in the options, from the environment
 * (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN; skipped when a profile is set
 * in the options), from the shared credentials file (AWS_SHARED_CREDENTIALS_FILE, default
 * ~/.aws/credentials) and from the shared config file (AWS_CONFIG_FILE, default
 * ~/.aws/config), for the profile in the options, else AWS_PROFILE, else "default".
 * They are read again for every KMS call and wiped after it.
 *
 * The endpoint of a call is, in this order: the options' endpoint, AWS_ENDPOINT_URL_KMS,
 * AWS_ENDPOINT_URL (both ignored when AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true), else
 * https://kms.REGION.SUFFIX where REGION comes from the key ARN and SUFFIX from its partition
 * (amazonaws.com, amazonaws.com.cn for aws-cn, ...). The signature's region is always the
 * key's region.
 *
 * Errors: ESDK_ERR_ACCESS_DENIED (no credentials, or KMS refused them: AccessDenied,
 * UnrecognizedClient, InvalidSignature, ExpiredToken), ESDK_ERR_UNAVAILABLE (endpoint
 * unreachable, timeout, throttling or 5xx after the last retry), ESDK_ERR_KEYRING (KMS refused
 * the key or the ciphertext: the KMS error name is in esdk_last_error_detail()),
 * ESDK_ERR_CANNOT_DECRYPT (no encrypted data key was for this keyring).
 *
 * Keyrings are immutable after construction and may be used from several threads.
 */
#ifndef ESDK_KEYRINGS_KMS_H
#define ESDK_KEYRINGS_KMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <aws-esdk-c/export.h>
#include <aws-esdk-c/keyring.h>

#ifdef __cplusplus
extern "C" {
#endif

/** The provider id of the EDKs the KMS keyrings write and read. */
#define ESDK_KMS_PROVIDER_ID "aws-kms"

/* ---- credentials ---- */

/** Credentials handed to a provider callback to fill (opaque). */
typedef struct esdk_kms_credentials esdk_kms_credentials;

/**
 * Store credentials (copies; the caller may wipe its strings afterwards). session_token may
 * be NULL (long-term credentials). Called from a credentials provider callback.
 * @param creds the credentials handed to the callback (borrowed)
 * @param access_key_id the access key id (copied)
 * @param secret_access_key the secret access key (copied; wiped after the KMS call)
 * @param session_token the session token (copied), or NULL
 * @retval 0 success
 * @retval ESDK_ERR_BAD_ARGUMENT NULL or empty arguments
 * @retval ESDK_ERR_NO_MEMORY allocation failed
 */
ESDK_API ESDK_MUST_USE int esdk_kms_credentials_set(
    esdk_kms_credentials *creds,
    const char *access_key_id,
    const char *secret_access_key,
    const char *session_token);

/**
 * A credentials provider: called before every KMS call (possibly from several threads at
 * once); fills creds with esdk_kms_credentials_set and returns 0, or returns a negative
 * ESDK_ERR_* code (ESDK_ERR_ACCESS_DENIED if no credentials are available).
 * @param ctx the context given with the callback
 * @param creds where to store the credentials (borrowed for the call)
 * @return 0 or a negative ESDK_ERR_* code
 */
typedef int (*esdk_kms_credentials_fn)(void *ctx, esdk_kms_credentials *creds);

/* ---- options ---- */

/**
 * Settings shared by the KMS keyrings. A keyring copies the options when it is made, so the
 * options may be changed or released afterwards. NULL options mean all defaults.
 */
typedef struct esdk_kms_options esdk_kms_options;

/**
 * New options with the defaults (connect timeout 3 s, total 20 s, 3 attempts).
 * @param[out] out the options; caller releases with esdk_kms_options_release()
 * @retval 0 success
 * @retval ESDK_ERR_BAD_ARGUMENT out is NULL
 * @retval ESDK_ERR_NO_MEMORY allocation failed
 */
ESDK_API ESDK_MUST_USE int esdk_kms_options_new(esdk_kms_options **out);
/**
 * Release options (wipes stored credentials).
 * @param opts the options (NULL is ignored)
 */
ESDK_API void esdk_kms_options_release(esdk_kms_options *opts);

/**
 * The region for key identifiers that are not ARNs (alias/NAME or a bare key id). ARNs always
 * use their own region. NULL clears it. The library never guesses a region.
 * @param opts the options (borrowed)
 * @param region e.g. "us-west-2" (copied), or NULL
 * @retval 0 success
 * @retval ESDK_ERR_BAD_ARGUMENT opts is NULL or a bad value (the detail says which)
 * @retval ESDK_ERR_NO_MEMORY allocation failed
 */
ESDK_API ESDK_MUST_USE int esdk_kms_options_set_region(esdk_kms_options *opts, const char *region);

/**
 * A custom endpoint URL, "http://HOST:PORT" or "https://HOST[:PORT]" (no path), used for every
 * region: for a local test server or a VPC endpoint. Takes precedence over
 * AWS_ENDPOINT_URL_KMS and AWS_ENDPOINT_URL. NULL clears it.
 * @param opts the options (borrowed)
 * @param url the endpoint URL (copied), or NULL
 * @retval 0 success
 * @retval ESDK_ERR_BAD_ARGUMENT opts is NULL or a bad value (the detail says which)
 * @retval ESDK_ERR_NO_MEMORY allocation failed
 */
ESDK_API ESDK_MUST_USE int esdk_kms_options_set_endpoint(esdk_kms_options *opts, const char *url);

/**
 * The profile of the shared credentials and config files (instead of AWS_PROFILE). Setting
 * one also skips the AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY environment variables.
 * @param opts the options (borrowed)
 * @param profile the profile name (copied), or NULL to clear it
 * @retval 0 success
 * @retval ESDK_ERR_BAD_ARGUMENT opts is NULL or a bad value (the detail says which)
 * @retval ESDK_ERR_NO_MEMORY allocation failed
 */
ESDK_API ESDK_MUST_USE int
esdk_kms_options_set_profile(esdk_kms_options *opts, const char *profile);

/**
 * Static credentials (copied into guarded memory). session_token may be NULL. Passing NULL
 * for access_key_id clears them.
 * @param opts the options (borrowed)
 * @param access_key_id the access key id (copied), or NULL to clear
 * @param secret_access_key the secret access key (copied into guarded memory; the caller
 *        wipes its own copy)
 * @param session_token the session token (copied), or NULL
 * @retval 0 success
 * @retval ESDK_ERR_BAD_ARGUMENT opts is NULL or a bad value (the detail says which)
 * @retval ESDK_ERR_NO_MEMORY allocation failed
 */
ESDK_API ESDK_MUST_USE int esdk_kms_options_set_credentials(
    esdk_kms_options *opts,
    const char *access_key_id,
    const char *secret_access_key,
    const char *session_token);

/**
 * A credentials provider callback, used instead of every other source. ctx is passed to it and
 * must outlive every keyring made with these options. NULL fn clears it.
 * @param opts the options (borrowed)
 * @param fn the callback, or NULL
 * @param ctx passed to fn (borrowed)
 * @retval 0 success
 * @retval ESDK_ERR_BAD_ARGUMENT opts is NULL
 */
ESDK_API ESDK_MUST_USE int esdk_kms_options_set_credentials_provider(
    esdk_kms_options *opts, esdk_kms_credentials_fn fn, void *ctx);

/**
 * Timeouts of one HTTP attempt in milliseconds: to connect, and for the whole exchange
 * (0 keeps the current value).
 * @param opts the options (borrowed)
 * @param connect_timeout_ms time to connect (default 3000), or 0
 * @param total_timeout_ms time for one whole attempt (default 20000), or 0
 * @retval 0 success
 * @retval ESDK_ERR_BAD_ARGUMENT opts is NULL
 */
ESDK_API ESDK_MUST_USE int esdk_kms_options_set_timeouts(
    esdk_kms_options *opts, uint32_t connect_timeout_ms, uint32_t total_timeout_ms);

/**
 * Retries of throttled (ThrottlingException, HTTP 429) and failed (HTTP 5xx) calls:
 * max_attempts in all (1..10; 1 = no retry), with exponential backoff and full jitter: before
 * retry n (n = 1, 2, ...) a random delay in [0, min(max_delay_ms, base_delay_ms * 2^(n-1))].
 * Other failures (refused credentials, unknown keys, unreachable endpoints) are not retried.
 * @param opts the options (borrowed)
 * @param max_attempts 1 to 10 (default 3)
 * @param base_delay_ms the first backoff bound in milliseconds
 * @param max_delay_ms the largest backoff bound (at least base_delay_ms)
 * @retval 0 success
 * @retval ESDK_ERR_BAD_ARGUMENT opts is NULL or a value out of range
 */
ESDK_API ESDK_MUST_USE int esdk_kms_options_set_retries(
    esdk_kms_options *opts, uint32_t max_attempts, uint32_t base_delay_ms, uint32_t max_delay_ms);

/**
 * Add a grant token sent with every call (at most 10).
 * @param opts the options (borrowed)
 * @param token the grant token (copied)
 * @retval 0 success
 * @retval ESDK_ERR_BAD_ARGUMENT NULL or empty arguments
 * @retval ESDK_ERR_LIMIT_EXCEEDED already 10 grant tokens
 * @retval ESDK_ERR_NO_MEMORY allocation failed
 */
ESDK_API ESDK_MUST_USE int
esdk_kms_options_add_grant_token(esdk_kms_options *opts, const char *token);

/**
 * A discovery filter for the discovery keyrings: only keys of this partition (e.g. "aws")
 * owned by one of these accounts are used. partition NULL clears the filter; otherwise
 * account_count must be at least 1.
 * @param opts the options (borrowed)
 * @param partition e.g. "aws" (copied), or NULL to clear the filter
 * @param accounts AWS account ids (copied)
 * @param account_count number of accounts
 * @retval 0 success
 * @retval ESDK_ERR_BAD_ARGUMENT opts is NULL or a bad value (the detail says which)
 * @retval ESDK_ERR_NO_MEMORY allocation failed
 */
ESDK_API ESDK_MUST_USE int esdk_kms_options_set_discovery_filter(
    esdk_kms_options *opts,
    const char *partition,
    const char *const *accounts,
    size_t account_count);

/* ---- keyrings ---- */

/**
 * The AWS KMS keyring for one key. key_id is a key ARN, an alias ARN, alias/NAME or a key id
 * (the last two need a region in the options). Encrypt: GenerateDataKey, or Encrypt when the
 * materials already hold a data key. Decrypt: only EDKs whose provider info equals key_id
 * exactly, so a keyring made with an alias or a bare key id encrypts but never decrypts.
 * @param key_id the key identifier (copied)
 * @param opts the options (copied), or NULL for the defaults
 * @param[out] out the keyring; caller releases with esdk_keyring_release()
 * @retval 0 success
 * @retval ESDK_ERR_BAD_ARGUMENT NULL arguments, an invalid identifier or region, or a key id
 *         that is not an ARN without a region in the options
 * @retval ESDK_ERR_NO_MEMORY allocation failed
 */
ESDK_API ESDK_MUST_USE int
esdk_kms_keyring_new(const char *key_id, const esdk_kms_options *opts, esdk_keyring **out);

/**
 * The AWS KMS discovery keyring: decrypts any aws-kms EDK (in the region of its key ARN) that
 * passes the options' discovery filter, if any. It cannot encrypt (ESDK_ERR_UNSUPPORTED).
 * @param opts the options (copied), or NULL for the defaults
 * @param[out] out the keyring; caller releases with esdk_keyring_release()
 * @retval 0 success
 * @retval ESDK_ERR_BAD_ARGUMENT out is NULL
 * @retval ESDK_ERR_NO_MEMORY allocation failed
 */
ESDK_API ESDK_MUST_USE int
esdk_kms_discovery_keyring_new(const esdk_kms_options *opts, esdk_keyring **out);

/**
 * The multi-Region-key-aware keyring: like esdk_kms_keyring_new, but on decrypt an EDK of a
 * replica of the same multi-Region key (mrk-...) in another region matches too; KMS is then
 * called in key_id's own region.
 * @param key_id the key identifier (copied)
 * @param opts the options (copied), or NULL for the defaults
 * @param[out] out the keyring; caller releases with esdk_keyring_release()
 * @retval 0 success
 * @retval ESDK_ERR_BAD_ARGUMENT NULL arguments, an invalid identifier or region, or a key id
 *         that is not an ARN without a region in the options
 * @retval ESDK_ERR_NO_MEMORY allocation failed
 */
ESDK_API ESDK_MUST_USE int
esdk_kms_mrk_keyring_new(const char *key_id, const esdk_kms_options *opts, esdk_keyring **out);

/**
 * The multi-Region-key-aware discovery keyring, bound to region: an EDK of a multi-Region key
 * is decrypted with the replica in region; an EDK of a single-Region key in another region is
 * skipped without a call. The discovery filter of the options applies. Cannot encrypt.
 * @param region the region whose replicas decrypt (copied)
 * @param opts the options (copied), or NULL for the defaults
 * @param[out] out the keyring; caller releases with esdk_keyring_release()
 * @retval 0 success
 * @retval ESDK_ERR_BAD_ARGUMENT NULL arguments, an invalid identifier or region, or a key id
 *         that is not an ARN without a region in the options
 * @retval ESDK_ERR_NO_MEMORY allocation failed
 */
ESDK_API ESDK_MUST_USE int esdk_kms_mrk_discovery_keyring_new(
    const char *region, const esdk_kms_options *opts, esdk_keyring **out);

/**
 * A multi-keyring of AWS KMS keyrings: generator (may be NULL) generates the data key, and
 * every key in key_ids (may be NULL when count is 0) wraps it too, each in its own region.
 * On decrypt, each is tried in turn.
 * @param generator the generator's key identifier (copied), or NULL
 * @param key_ids further key identifiers (copied)
 * @param count number of key_ids
 * @param opts the options (copied), or NULL for the defaults
 * @param[out] out the keyring; caller releases with esdk_keyring_release()
 * @retval 0 success
 * @retval ESDK_ERR_BAD_ARGUMENT NULL arguments, an invalid identifier or region, or a key id
 *         that is not an ARN without a region in the options
 * @retval ESDK_ERR_NO_MEMORY allocation failed
 */
ESDK_API ESDK_MUST_USE int esdk_kms_multi_keyring_new(
    const char *generator,
    const char *const *key_ids,
    size_t count,
    const esdk_kms_options *opts,
    esdk_keyring **out);

/**
 * A multi-keyring of multi-Region-key-aware keyrings (esdk_kms_mrk_keyring_new). Refused with
 * ESDK_ERR_BAD_ARGUMENT, naming them, when two identifiers are the same multi-Region key
 * (the same mrk- resource id, in any region).
 * @param generator the generator's key identifier (copied), or NULL
 * @param key_ids further key identifiers (copied)
 * @param count number of key_ids
 * @param opts the options (copied), or NULL for the defaults
 * @param[out] out the keyring; caller releases with esdk_keyring_release()
 * @retval 0 success
 * @retval ESDK_ERR_BAD_ARGUMENT NULL arguments, an invalid identifier or region, or a key id
 *         that is not an ARN without a region in the options
 * @retval ESDK_ERR_NO_MEMORY allocation failed
 */
ESDK_API ESDK_MUST_USE int esdk_kms_mrk_multi_keyring_new(
    const char *generator,
    const char *const *key_ids,
    size_t count,
    const esdk_kms_options *opts,
    esdk_keyring **out);

/**
 * A multi-keyring of one multi-Region-key-aware discovery keyring per region (count >= 1),
 * sharing the options' discovery filter.
 * @param regions the regions (copied)
 * @param count number of regions (>= 1)
 * @param opts the options (copied), or NULL for the defaults
 * @param[out] out the keyring; caller releases with esdk_keyring_release()
 * @retval 0 success
 * @retval ESDK_ERR_BAD_ARGUMENT NULL arguments, an invalid identifier or region, or a key id
 *         that is not an ARN without a region in the options
 * @retval ESDK_ERR_NO_MEMORY allocation failed
 */
ESDK_API ESDK_MUST_USE int esdk_kms_mrk_discovery_multi_keyring_new(
    const char *const *regions, size_t count, const esdk_kms_options *opts, esdk_keyring **out);

/* ---- identifiers ---- */

/**
 * Whether s is a valid AWS KMS ARN (arn:PARTITION:kms:REGION:ACCOUNT:key/ID or alias/NAME).
 * @param s a NUL-terminated string (borrowed; NULL gives false)
 * @return true if valid
 */
ESDK_API bool esdk_kms_arn_is_valid(const char *s);

/**
 * Whether id names a multi-Region key (a key ARN or a key id whose id starts with "mrk-").
 * @param id a key identifier (borrowed; NULL gives false)
 * @return true for a multi-Region key
 */
ESDK_API bool esdk_kms_is_mrk(const char *id);

/**
 * "MRK match for decrypt": true if a and b are the same string, or are both multi-Region key
 * ARNs that differ only in their region.
 * @param a a key identifier (borrowed)
 * @param b another key identifier (borrowed)
 * @return true if they match
 */
ESDK_API bool esdk_kms_mrk_match(const char *a, const char *b);

#ifdef __cplusplus
}
#endif
#endif
