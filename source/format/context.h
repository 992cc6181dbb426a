/* Encryption-context serialization (u16 count || sorted (u16 len || key, u16 len || value)),
 * empty context -> zero bytes. Used for the header AAD field, keyring AADs and cache ids. */
#ifndef ESDK_FORMAT_CONTEXT_H
#define ESDK_FORMAT_CONTEXT_H

#include <stdbool.h>

#include <aws-esdk-c/buffer.h>
#include <aws-esdk-c/context.h>

#include "common/cursor.h"

/* Append the serialization; ESDK_ERR_BAD_CONTEXT if it would exceed 65535 bytes. */
int esdk_enc_ctx_serialize(const esdk_enc_ctx *ctx, esdk_buf *out);
/* Serialize only the pairs whose keys are (include = true) or are not (false) in keys. */
int esdk_enc_ctx_serialize_subset(
    const esdk_enc_ctx *ctx,
    const char *const *keys,
    size_t key_count,
    bool include,
    esdk_buf *out);
/* Parse a whole AAD field (an empty cursor is the empty context). Refuses a zero count,
 * duplicate keys, invalid UTF-8 and leftover bytes with ESDK_ERR_BAD_CIPHERTEXT. */
int esdk_enc_ctx_parse(esdk_cur aad, esdk_enc_ctx **out);
/* true if any key starts with "aws-crypto-". */
bool esdk_enc_ctx_has_reserved_key(const esdk_enc_ctx *ctx);
/* true if a key is present. */
bool esdk_enc_ctx_has(const esdk_enc_ctx *ctx, const char *key);
bool esdk_utf8_is_valid(const uint8_t *s, size_t len);

#endif
