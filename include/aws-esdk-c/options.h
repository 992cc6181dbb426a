/**
 * @file options.h
 * Client settings shared by sessions and the one-shot calls: commitment policy, EDK limit,
 * suite, frame length and decrypt-side limits. An options object is read when a session
 * starts; changing it later does not affect running sessions.
 *
 * An options object is a plain settings struct: not thread-safe while it changes; once
 * configured, any number of threads may start sessions (or one-shot calls) with it.
 */
#ifndef ESDK_OPTIONS_H
#define ESDK_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <aws-esdk-c/export.h>
#include <aws-esdk-c/suite.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Default frame length in bytes (as in the specification and the official SDKs). */
#define ESDK_DEFAULT_FRAME_LENGTH 4096u
/** Default bound on the bytes of a header read by decrypt. */
#define ESDK_DEFAULT_MAX_HEADER_SIZE (4u * 1024u * 1024u)
/** Default bound on an unframed body read by decrypt (it must be held whole). */
#define ESDK_DEFAULT_MAX_UNFRAMED_SIZE (64u * 1024u * 1024u)
/** Most threads a session uses (more are refused). */
#define ESDK_MAX_THREADS 64u
/** Automatic threading: a message this large (declared length, or bytes seen) starts them. */
#define ESDK_PARALLEL_MIN_MESSAGE (4u * 1024u * 1024u)
/** Automatic threading: a process call that carries this many bytes of whole frames uses them. */
#define ESDK_PARALLEL_MIN_BYTES (256u * 1024u)

/** Client settings (opaque). NULL options anywhere mean all defaults. */
typedef struct esdk_options esdk_options;

/**
 * New options with the defaults: REQUIRE_ENCRYPT_REQUIRE_DECRYPT, no EDK limit, the policy's
 * suite, frame 4096, the default decrypt limits, automatic threads.
 * @param[out] out the options; caller releases with esdk_options_release()
 * @retval 0 success
 * @retval ESDK_ERR_BAD_ARGUMENT out is NULL
 * @retval ESDK_ERR_NO_MEMORY allocation failed
 */
ESDK_API ESDK_MUST_USE int esdk_options_new(esdk_options **out);
/**
 * Release options (sessions made with them keep their own copy).
 * @param opts the options (NULL is ignored)
 */
ESDK_API void esdk_options_release(esdk_options *opts);
/**
 * The commitment policy (default ESDK_COMMITMENT_REQUIRE_ENCRYPT_REQUIRE_DECRYPT).
 * @param opts the options (borrowed)
 * @param policy the policy
 * @retval 0 success
 * @retval ESDK_ERR_BAD_ARGUMENT opts is NULL or an unknown policy
 */
ESDK_API ESDK_MUST_USE int
esdk_options_set_commitment_policy(esdk_options *opts, esdk_commitment_policy policy);
/**
 * The commitment policy.
 * @param opts the options (borrowed)
 * @return the policy; the default for NULL
 */
ESDK_API esdk_commitment_policy esdk_options_commitment_policy(const esdk_options *opts);
/**
 * Maximum EDKs per message on encrypt and decrypt; 0 = no limit (the default). Decrypt
 * fails with ESDK_ERR_TOO_MANY_EDKS before reading any EDK of a message over the limit.
 * @param opts the options (borrowed)
 * @param max the limit, or 0
 * @retval 0 success
 * @retval ESDK_ERR_BAD_ARGUMENT opts is NULL
 */
ESDK_API ESDK_MUST_USE int esdk_options_set_max_encrypted_data_keys(esdk_options *opts, size_t max);
/**
 * Suite for encrypt; 0 = the policy's default. Checked against the policy at encrypt
 * (ESDK_ERR_POLICY_VIOLATION then).
 * @param opts the options (borrowed)
 * @param suite_id a suite id of enum esdk_suite_id, or 0
 * @retval 0 success
 * @retval ESDK_ERR_BAD_ARGUMENT opts is NULL or an unknown suite
 */
ESDK_API ESDK_MUST_USE int esdk_options_set_suite(esdk_options *opts, uint16_t suite_id);
/**
 * Frame length for encrypt; 0 writes an unframed body (legacy; the length must be known).
 * @param opts the options (borrowed)
 * @param frame_length bytes of plaintext per frame (default ESDK_DEFAULT_FRAME_LENGTH), or 0
 * @retval 0 success
 * @retval ESDK_ERR_BAD_ARGUMENT opts is NULL
 */
ESDK_API ESDK_MUST_USE int esdk_options_set_frame_length(esdk_options *opts, uint32_t frame_length);
/**
 * Decrypt refuses a header larger than this (default ESDK_DEFAULT_MAX_HEADER_SIZE) with
 * ESDK_ERR_LIMIT_EXCEEDED, without buffering more than the limit.
 * @param opts the options (borrowed)
 * @param max the limit in bytes (> 0)
 * @retval 0 success
 * @retval ESDK_ERR_BAD_ARGUMENT opts is NULL or max is 0
 */
ESDK_API ESDK_MUST_USE int esdk_options_set_max_header_size(esdk_options *opts, size_t max);
/**
 * Decrypt refuses a message whose frame length (or unframed content length) exceeds this;
 * 0 = no limit other than the unframed bound (the default). ESDK_ERR_LIMIT_EXCEEDED then.
 * @param opts the options (borrowed)
 * @param max the limit in bytes, or 0
 * @retval 0 success
 * @retval ESDK_ERR_BAD_ARGUMENT opts is NULL
 */
ESDK_API ESDK_MUST_USE int esdk_options_set_max_body_frame(esdk_options *opts, uint64_t max);
/**
 * Decrypt refuses an unframed body larger than this (default ESDK_DEFAULT_MAX_UNFRAMED_SIZE)
 * with ESDK_ERR_LIMIT_EXCEEDED. An unframed body is held whole until its tag verified.
 * @param opts the options (borrowed)
 * @param max the limit in bytes
 * @retval 0 success
 * @retval ESDK_ERR_BAD_ARGUMENT opts is NULL
 */
ESDK_API ESDK_MUST_USE int esdk_options_set_max_unframed_size(esdk_options *opts, uint64_t max);
/**
 * Accept messages written by the .NET ESDK 4.0.0 with its header-authentication bug (off by
 * default; the official SDKs read them only through an opt-in retry).
 * @param opts the options (borrowed)
 * @param accept true to accept them
 * @retval 0 success
 * @retval ESDK_ERR_BAD_ARGUMENT opts is NULL
 */
ESDK_API ESDK_MUST_USE int esdk_options_set_accept_net_v4_0_0(esdk_options *opts, bool accept);
/**
 * Threads that encrypt or decrypt the frames of one message: 0 = automatic (the default:
 * as many as cores are online, up to ESDK_MAX_THREADS, for a message of at least
 * ESDK_PARALLEL_MIN_MESSAGE bytes, on each process call that carries at least
 * ESDK_PARALLEL_MIN_BYTES of whole frames; smaller messages never start a thread), 1 = the
 * calling thread only, n = up to n threads, the calling thread included, on each call that
 * carries two whole frames or more. The threads belong to the session (started on first use,
 * stopped by esdk_session_release()). The output is byte for byte the same whatever the
 * setting, and decrypt still releases a frame only after its tag verified.
 * @param opts the options (borrowed)
 * @param threads 0 to ESDK_MAX_THREADS
 * @retval 0 success
 * @retval ESDK_ERR_BAD_ARGUMENT opts is NULL or threads above ESDK_MAX_THREADS
 */
ESDK_API ESDK_MUST_USE int esdk_options_set_threads(esdk_options *opts, unsigned threads);
/**
 * The thread setting (see esdk_options_set_threads()).
 * @param opts the options (borrowed)
 * @return the setting; 0 (automatic) for NULL
 */
ESDK_API unsigned esdk_options_threads(const esdk_options *opts);

#ifdef __cplusplus
}
#endif
#endif
