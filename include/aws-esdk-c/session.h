/**
 * @file session.h
 * A streaming encrypt or decrypt: a push state machine. The caller hands it input bytes and
 * output space; it consumes and produces what it can, reports both, and says what it needs
 * next. Memory stays bounded by one frame plus the header.
 *
 * Decrypt releases a frame's plaintext only after the frame's tag verified. For signed
 * suites the final frame is held until the footer signature verified; earlier frames may be
 * released before (esdk_session_unverified_bytes() says how many): a caller that must not
 * act on unsigned data discards them if the session fails, or uses the one-shot API.
 */
#ifndef ESDK_SESSION_H
#define ESDK_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <aws-esdk-c/cmm.h>
#include <aws-esdk-c/context.h>
#include <aws-esdk-c/export.h>
#include <aws-esdk-c/keyring.h>
#include <aws-esdk-c/materials.h>
#include <aws-esdk-c/options.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum esdk_mode {
    ESDK_MODE_ENCRYPT = 0,
    ESDK_MODE_DECRYPT = 1,
    /** Decrypt, but fail right after the header if the suite signs (so output can stream). */
    ESDK_MODE_DECRYPT_UNSIGNED = 2,
} esdk_mode;

typedef struct esdk_session esdk_session;

/** A session over a CMM (retained). opts may be NULL for the defaults; it is copied. */
ESDK_API ESDK_MUST_USE int
esdk_session_new(esdk_mode mode, const esdk_options *opts, esdk_cmm *cmm, esdk_session **out);
/** A session over a keyring, through a default CMM. */
ESDK_API ESDK_MUST_USE int esdk_session_new_with_keyring(
    esdk_mode mode, const esdk_options *opts, esdk_keyring *keyring, esdk_session **out);
ESDK_API void esdk_session_release(esdk_session *s);

/**
 * Encrypt: the encryption context (copied). Decrypt: the reproduced context, whose pairs
 * must match the message's or are authenticated as required pairs. Before the first process.
 */
ESDK_API ESDK_MUST_USE int esdk_session_set_context(esdk_session *s, const esdk_enc_ctx *ctx);
/**
 * Encrypt: the exact plaintext length (optional for framed output, required for unframed).
 * Encrypt fails if the input turns out longer or shorter.
 */
ESDK_API ESDK_MUST_USE int esdk_session_set_plaintext_length(esdk_session *s, uint64_t length);
/**
 * Say that no more input follows. Encrypt then writes the final frame and footer; decrypt
 * fails with ESDK_ERR_TRUNCATED if the message is not complete.
 */
ESDK_API ESDK_MUST_USE int esdk_session_end_input(esdk_session *s);

/**
 * Threads for this session's frames, as esdk_options_set_threads (the options' value is the
 * default). May be called at any time; it applies from the next process call.
 */
ESDK_API ESDK_MUST_USE int esdk_session_set_threads(esdk_session *s, unsigned threads);

/**
 * Process: consume from in (*in_used bytes) and produce into out (*out_len bytes). Returns 0
 * while all is well (call again with more input or more output space), or an error, after
 * which the session stays failed. Never releases unauthenticated plaintext.
 */
ESDK_API ESDK_MUST_USE int esdk_session_process(
    esdk_session *s,
    uint8_t *out,
    size_t out_capacity,
    size_t *out_len,
    const uint8_t *in,
    size_t in_len,
    size_t *in_used);

/** true once the whole message was produced (encrypt) or verified and released (decrypt). */
ESDK_API bool esdk_session_is_done(const esdk_session *s);
/** Hints: output space and input bytes that let the next process call make progress. */
ESDK_API void esdk_session_estimate(const esdk_session *s, size_t *out_needed, size_t *in_needed);

/** true once the header was written (encrypt) or parsed and authenticated (decrypt). */
ESDK_API bool esdk_session_has_header(const esdk_session *s);
ESDK_API uint16_t esdk_session_suite(const esdk_session *s);
ESDK_API uint32_t esdk_session_frame_length(const esdk_session *s);
/** The message id (16 or 32 bytes), borrowed; ESDK_ERR_BAD_STATE before the header. */
ESDK_API ESDK_MUST_USE int
esdk_session_message_id(const esdk_session *s, const uint8_t **id, size_t *len);
/** The context stored in the header (the materials' context on encrypt); NULL before it. */
ESDK_API const esdk_enc_ctx *esdk_session_header_context(const esdk_session *s);
/** The message's EDKs; NULL before the header. */
ESDK_API const esdk_edk_list *esdk_session_edks(const esdk_session *s);
/** Plaintext bytes released before the signature verified (0 for unsigned suites). */
ESDK_API uint64_t esdk_session_unverified_bytes(const esdk_session *s);

#ifdef __cplusplus
}
#endif
#endif
