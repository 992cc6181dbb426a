/**
 * @file options.h
 * Client settings shared by sessions and the one-shot calls: commitment policy, EDK limit,
 * suite, frame length and decrypt-side limits. An options object is read when a session
 * starts; changing it later does not affect running sessions.
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
/** Automatic threading starts once one process call carries this many bytes of whole frames. */
#define ESDK_PARALLEL_MIN_BYTES (1024u * 1024u)

typedef struct esdk_options esdk_options;

/** Defaults: REQUIRE_ENCRYPT_REQUIRE_DECRYPT, no EDK limit, the policy's suite, frame 4096. */
ESDK_API ESDK_MUST_USE int esdk_options_new(esdk_options **out);
ESDK_API void esdk_options_release(esdk_options *opts);
ESDK_API ESDK_MUST_USE int
esdk_options_set_commitment_policy(esdk_options *opts, esdk_commitment_policy policy);
ESDK_API esdk_commitment_policy esdk_options_commitment_policy(const esdk_options *opts);
/** Maximum EDKs per message on encrypt and decrypt; 0 = no limit (the default). */
ESDK_API ESDK_MUST_USE int esdk_options_set_max_encrypted_data_keys(esdk_options *opts, size_t max);
/** Suite for encrypt; 0 = the policy's default. Checked against the policy at encrypt. */
ESDK_API ESDK_MUST_USE int esdk_options_set_suite(esdk_options *opts, uint16_t suite_id);
/** Frame length for encrypt; 0 writes an unframed body (legacy; the length must be known). */
ESDK_API ESDK_MUST_USE int esdk_options_set_frame_length(esdk_options *opts, uint32_t frame_length);
/** Decrypt refuses a header larger than this (default ESDK_DEFAULT_MAX_HEADER_SIZE). */
ESDK_API ESDK_MUST_USE int esdk_options_set_max_header_size(esdk_options *opts, size_t max);
/**
 * Decrypt refuses a message whose frame length (or unframed content length) exceeds this;
 * 0 = no limit other than the unframed bound (the default).
 */
ESDK_API ESDK_MUST_USE int esdk_options_set_max_body_frame(esdk_options *opts, uint64_t max);
/** Decrypt refuses an unframed body larger than this (default ESDK_DEFAULT_MAX_UNFRAMED_SIZE). */
ESDK_API ESDK_MUST_USE int esdk_options_set_max_unframed_size(esdk_options *opts, uint64_t max);
/**
 * Accept messages written by the .NET ESDK 4.0.0 with its header-authentication bug (off by
 * default; the official SDKs read them only through an opt-in retry).
 */
ESDK_API ESDK_MUST_USE int esdk_options_set_accept_net_v4_0_0(esdk_options *opts, bool accept);
/**
 * Threads that encrypt or decrypt the frames of one message: 0 = automatic (the default:
 * the cores online, up to ESDK_MAX_THREADS, once a session sees ESDK_PARALLEL_MIN_BYTES of
 * whole frames at once; small messages never start a thread), 1 = the calling thread only,
 * n = at most n, the calling thread included. The output is byte for byte the same whatever
 * the setting, and decrypt still releases a frame only after its tag verified.
 */
ESDK_API ESDK_MUST_USE int esdk_options_set_threads(esdk_options *opts, unsigned threads);
ESDK_API unsigned esdk_options_threads(const esdk_options *opts);

#ifdef __cplusplus
}
#endif
#endif
