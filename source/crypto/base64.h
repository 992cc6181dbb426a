/* Standard base64 with padding (libsodium's constant-time codec). */
#ifndef ESDK_CRYPTO_BASE64_H
#define ESDK_CRYPTO_BASE64_H

#include <stddef.h>
#include <stdint.h>

#include <aws-esdk-c/buffer.h>

/* Append the encoding of in to out (no NUL counted in len, but one is written after it). */
int esdk_base64_encode(const uint8_t *in, size_t len, esdk_buf *out);
/* Append the decoding of text to out; ESDK_ERR_BAD_ARGUMENT for invalid base64. Whitespace
 * is ignored. */
int esdk_base64_decode(const char *text, size_t len, esdk_buf *out);

#endif
