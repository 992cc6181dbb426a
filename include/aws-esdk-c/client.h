/**
 * @file client.h
 * One-shot encrypt and decrypt of a whole buffer. Decrypt releases nothing unless the whole
 * message (signature included) verified: on failure the output is wiped and left empty.
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
