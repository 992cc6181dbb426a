/**
 * @file client.h
 * One-shot encrypt and decrypt of a whole buffer. Decrypt releases nothing unless the whole
 * message (signature included) verified: on failure the output is wiped and left empty.
 *
 * Both calls are thread-safe in the sense that any number of threads may call them at once
 * with shared options, CMMs and keyrings (each call makes its own session). Memory: the whole
 * input and output are in memory; for large data use a session (session.h).
 */
#ifndef ESDK_CLIENT_H
#define ESDK_CLIENT_H

#include <stddef.h>
#include <stdint.h>

#include <aws-esdk-c/buffer.h>
#include <aws-esdk-c/cmm.h>
#include <aws-esdk-c/context.h>
#include <aws-esdk-c/export.h>
#include <aws-esdk-c/keyring.h>
#include <aws-esdk-c/options.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Encrypt plaintext into out (appended to; grown by the library). opts and context may be
 * NULL. Exactly one of cmm and keyring must be non-NULL.
 * @param opts options (borrowed; read during the call), or NULL for the defaults
 * @param cmm the CMM to get materials from (borrowed), or NULL
 * @param keyring a keyring, used through a default CMM (borrowed), or NULL
 * @param context the encryption context (borrowed; stored in clear in the message), or NULL
 * @param plaintext the plaintext (borrowed; may be NULL when plaintext_len is 0)
 * @param plaintext_len its length
 * @param out the buffer the message is appended to (borrowed); caller releases it with
 *        esdk_buf_release(). On failure what was appended is wiped and out->len restored.
 * @retval 0 success
 * @retval ESDK_ERR_BAD_ARGUMENT NULL arguments, or both or neither of cmm and keyring
 * @retval ESDK_ERR_BAD_CONTEXT the context holds a reserved "aws-crypto-" key
 * @retval ESDK_ERR_POLICY_VIOLATION the options' suite is forbidden by the commitment policy
 * @retval ESDK_ERR_TOO_MANY_EDKS more EDKs than the options allow
 * @return otherwise the code of the CMM or keyring (e.g. ESDK_ERR_UNAVAILABLE), or of the
 *         environment (ESDK_ERR_NO_MEMORY, ...)
 */
ESDK_API ESDK_MUST_USE int esdk_encrypt(
    const esdk_options *opts,
    esdk_cmm *cmm,
    esdk_keyring *keyring,
    const esdk_enc_ctx *context,
    const uint8_t *plaintext,
    size_t plaintext_len,
    esdk_buf *out);

/**
 * Decrypt a whole message into out. reproduced_context may be NULL. If header_context is
 * not NULL it receives a copy of the message's context (release it) on success.
 *
 * Nothing is released unless the whole message verified: every frame's tag, the key
 * commitment and, for signed suites, the signature. Bytes after the end of the message are
 * an error.
 * @param opts options (borrowed), or NULL for the defaults
 * @param cmm the CMM (borrowed), or NULL
 * @param keyring a keyring, used through a default CMM (borrowed), or NULL
 * @param reproduced_context pairs the message must carry, or must have been authenticated
 *        with as required keys (borrowed), or NULL
 * @param message the message (borrowed)
 * @param message_len its length
 * @param out the buffer the plaintext is appended to (borrowed); caller releases it with
 *        esdk_buf_release(). On failure what was appended is wiped and out->len restored.
 * @param[out] header_context if not NULL, on success a copy of the message's stored context;
 *        caller releases with esdk_enc_ctx_release()
 * @retval 0 success
 * @retval ESDK_ERR_BAD_ARGUMENT NULL arguments, or both or neither of cmm and keyring
 * @retval ESDK_ERR_BAD_CIPHERTEXT, ESDK_ERR_TRUNCATED, ESDK_ERR_TRAILING_DATA a malformed,
 *         short or over-long message
 * @retval ESDK_ERR_BAD_TAG, ESDK_ERR_SIGNATURE_MISMATCH, ESDK_ERR_COMMITMENT_MISMATCH the
 *         message was altered, or the data key is not the one it was made with
 * @retval ESDK_ERR_POLICY_VIOLATION the commitment policy forbids the message's suite
 * @retval ESDK_ERR_CONTEXT_MISMATCH the reproduced context does not match
 * @retval ESDK_ERR_CANNOT_DECRYPT no keyring could unwrap any EDK
 * @retval ESDK_ERR_TOO_MANY_EDKS, ESDK_ERR_LIMIT_EXCEEDED a configured limit was exceeded
 * @return otherwise the code of the CMM, keyring or environment
 */
ESDK_API ESDK_MUST_USE int esdk_decrypt(
    const esdk_options *opts,
    esdk_cmm *cmm,
    esdk_keyring *keyring,
    const esdk_enc_ctx *reproduced_context,
    const uint8_t *message,
    size_t message_len,
    esdk_buf *out,
    esdk_enc_ctx **header_context);

#ifdef __cplusplus
}
#endif
#endif
