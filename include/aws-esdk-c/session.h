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
 *
 * A session belongs to one thread at a time (it may start worker threads of its own for the
 * frames of one process call: see esdk_options_set_threads()). It holds the message's keys,
 * which are wiped when it is released. examples/stream_file.c shows the process loop:
 * @code
 * while (!esdk_session_is_done(s)) {
 *     if (all input consumed && !ended) { read more; if none: esdk_session_end_input(s); }
 *     rc = esdk_session_process(s, out, out_cap, &produced, in, in_len, &used);
 *     if (rc) break;                  // the session is failed: discard unverified output
 *     write out[0..produced); advance in by used;
 * }
 * @endcode
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

/** What a session does. */
typedef enum esdk_mode {
    ESDK_MODE_ENCRYPT = 0, /**< plaintext in, message out */
    ESDK_MODE_DECRYPT = 1, /**< message in, plaintext out (any suite the policy allows) */
    /** Decrypt, but fail right after the header if the suite signs (so output can stream). */
    ESDK_MODE_DECRYPT_UNSIGNED = 2,
} esdk_mode;

/** A streaming encrypt or decrypt (opaque). */
typedef struct esdk_session esdk_session;

/**
 * A session over a CMM (retained). opts may be NULL for the defaults; it is copied.
 * @param mode encrypt, decrypt or decrypt-unsigned
 * @param opts the options (copied), or NULL
 * @param cmm the CMM (retained)
 * @param[out] out the session; caller releases with esdk_session_release()
 * @retval 0 success
 * @retval ESDK_ERR_BAD_ARGUMENT NULL arguments or an unknown mode
 * @retval ESDK_ERR_NO_MEMORY allocation failed
 */
ESDK_API ESDK_MUST_USE int
esdk_session_new(esdk_mode mode, const esdk_options *opts, esdk_cmm *cmm, esdk_session **out);
/**
 * A session over a keyring, through a default CMM.
 * @param mode encrypt, decrypt or decrypt-unsigned
 * @param opts the options (copied), or NULL
 * @param keyring the keyring (retained through the CMM)
 * @param[out] out the session; caller releases with esdk_session_release()
 * @return as esdk_session_new()
 */
ESDK_API ESDK_MUST_USE int esdk_session_new_with_keyring(
    esdk_mode mode, const esdk_options *opts, esdk_keyring *keyring, esdk_session **out);
/**
 * Release a session: stops its worker threads, wipes its keys and staged data, and drops its
 * CMM reference. A session may be released in any state.
 * @param s the session (NULL is ignored)
 */
ESDK_API void esdk_session_release(esdk_session *s);

/**
 * Encrypt: the encryption context (copied). Decrypt: the reproduced context, whose pairs
 * must match the message's or are authenticated as required pairs. Before the first process.
 * @param s the session (borrowed)
 * @param ctx the context (copied)
 * @retval 0 success
 * @retval ESDK_ERR_BAD_ARGUMENT NULL arguments
 * @retval ESDK_ERR_BAD_STATE processing has started
 * @retval ESDK_ERR_NO_MEMORY allocation failed
 */
ESDK_API ESDK_MUST_USE int esdk_session_set_context(esdk_session *s, const esdk_enc_ctx *ctx);
/**
 * Encrypt: the exact plaintext length (optional for framed output, required for unframed).
 * Encrypt fails if the input turns out longer or shorter.
 * @param s an encrypt session (borrowed)
 * @param length the plaintext length in bytes
 * @retval 0 success
 * @retval ESDK_ERR_BAD_ARGUMENT s is NULL or not an encrypt session
 * @retval ESDK_ERR_BAD_STATE processing has started
 */
ESDK_API ESDK_MUST_USE int esdk_session_set_plaintext_length(esdk_session *s, uint64_t length);
/**
 * Say that no more input follows. Encrypt then writes the final frame and footer; decrypt
 * fails with ESDK_ERR_TRUNCATED if the message is not complete. Keep calling
 * esdk_session_process() (with no more input) until esdk_session_is_done().
 * @param s the session (borrowed)
 * @retval 0 success
 * @retval ESDK_ERR_BAD_ARGUMENT s is NULL
 */
ESDK_API ESDK_MUST_USE int esdk_session_end_input(esdk_session *s);

/**
 * Threads for this session's frames, as esdk_options_set_threads (the options' value is the
 * default). May be called at any time; it applies from the next process call.
 * @param s the session (borrowed)
 * @param threads 0 (automatic) to ESDK_MAX_THREADS
 * @retval 0 success
 * @retval ESDK_ERR_BAD_ARGUMENT s is NULL or threads above ESDK_MAX_THREADS
 */
ESDK_API ESDK_MUST_USE int esdk_session_set_threads(esdk_session *s, unsigned threads);

/**
 * Process: consume from in (*in_used bytes) and produce into out (*out_len bytes). Returns 0
 * while all is well (call again with more input or more output space), or an error, after
 * which the session stays failed. Never releases unauthenticated plaintext.
 *
 * Any buffer sizes work: the session stages what it cannot consume or deliver yet (at most a
 * frame plus the header). On an error, what this call wrote to out is wiped, and every later
 * call returns the same code.
 * @param s the session (borrowed)
 * @param out where output goes (caller's buffer; may be NULL when out_capacity is 0)
 * @param out_capacity bytes available at out
 * @param[out] out_len bytes written to out
 * @param in input bytes (borrowed for the call; may be NULL when in_len is 0)
 * @param in_len bytes available at in
 * @param[out] in_used bytes consumed from in (the caller passes the rest again)
 * @retval 0 progress (possibly none: call again with more input, more room, or after
 *         esdk_session_end_input())
 * @retval ESDK_ERR_BAD_ARGUMENT NULL arguments
 * @return otherwise the session's failure: message errors (ESDK_ERR_BAD_TAG,
 *         ESDK_ERR_BAD_CIPHERTEXT, ESDK_ERR_TRUNCATED, ESDK_ERR_TRAILING_DATA,
 *         ESDK_ERR_SIGNATURE_MISMATCH, ESDK_ERR_COMMITMENT_MISMATCH, ...), limits, or the
 *         CMM's and keyring's codes
 */
ESDK_API ESDK_MUST_USE int esdk_session_process(
    esdk_session *s,
    uint8_t *out,
    size_t out_capacity,
    size_t *out_len,
    const uint8_t *in,
    size_t in_len,
    size_t *in_used);

/**
 * Whether the session finished.
 * @param s the session (borrowed)
 * @return true once the whole message was produced (encrypt) or verified and released
 *         (decrypt), and nothing staged remains; false otherwise (and for NULL)
 */
ESDK_API bool esdk_session_is_done(const esdk_session *s);
/**
 * Hints: output space and input bytes that let the next process call make progress (about
 * one frame plus overhead; smaller buffers work too, over more calls).
 * @param s the session (borrowed)
 * @param[out] out_needed suggested output space (may be NULL)
 * @param[out] in_needed suggested input bytes; 0 once done (may be NULL)
 */
ESDK_API void esdk_session_estimate(const esdk_session *s, size_t *out_needed, size_t *in_needed);

/**
 * Whether the header exists.
 * @param s the session (borrowed)
 * @return true once the header was written (encrypt) or parsed and authenticated (decrypt)
 */
ESDK_API bool esdk_session_has_header(const esdk_session *s);
/**
 * The message's suite.
 * @param s the session (borrowed)
 * @return the suite id once the header exists, else 0
 */
ESDK_API uint16_t esdk_session_suite(const esdk_session *s);
/**
 * The message's frame length.
 * @param s the session (borrowed)
 * @return the frame length once the header exists (0 for an unframed message), else 0
 */
ESDK_API uint32_t esdk_session_frame_length(const esdk_session *s);
/**
 * The message id (16 or 32 bytes), borrowed; ESDK_ERR_BAD_STATE before the header.
 * @param s the session (borrowed)
 * @param[out] id the id, borrowed from s (valid while s lives)
 * @param[out] len its length
 * @retval 0 success
 * @retval ESDK_ERR_BAD_ARGUMENT NULL arguments
 * @retval ESDK_ERR_BAD_STATE no header yet
 */
ESDK_API ESDK_MUST_USE int
esdk_session_message_id(const esdk_session *s, const uint8_t **id, size_t *len);
/**
 * The context stored in the header (the materials' context on encrypt); NULL before it.
 * @param s the session (borrowed)
 * @return the context, borrowed from s (valid while s lives), or NULL
 */
ESDK_API const esdk_enc_ctx *esdk_session_header_context(const esdk_session *s);
/**
 * The message's EDKs; NULL before the header.
 * @param s the session (borrowed)
 * @return the list, borrowed from s (valid while s lives), or NULL
 */
ESDK_API const esdk_edk_list *esdk_session_edks(const esdk_session *s);
/**
 * Encrypt: the exact length in bytes of the whole message (header, body, footer), once the
 * header exists (after the first process call) if the plaintext length was set; for sizing
 * the output once. ESDK_ERR_BAD_STATE before that, or on a decrypt session.
 * @param s an encrypt session (borrowed)
 * @param[out] length the message length in bytes
 * @retval 0 success
 * @retval ESDK_ERR_BAD_ARGUMENT NULL arguments
 * @retval ESDK_ERR_BAD_STATE no header yet, no plaintext length set, or a decrypt session
 */
ESDK_API ESDK_MUST_USE int esdk_session_message_length(const esdk_session *s, uint64_t *length);
/**
 * Plaintext bytes released before the signature verified (0 for unsigned suites). Discard
 * them if the session then fails.
 * @param s the session (borrowed)
 * @return the count (it stays as it was once the signature verified); 0 for NULL
 */
ESDK_API uint64_t esdk_session_unverified_bytes(const esdk_session *s);

#ifdef __cplusplus
}
#endif
#endif
