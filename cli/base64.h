/* Base64 (RFC 4648, standard alphabet, padded): a streaming encoder and decoder for
 * --encode/--decode, and one-shot helpers for metadata and key material. */
#ifndef CLI_BASE64_H
#define CLI_BASE64_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Encoded length of n bytes (no line breaks, no NUL). */
#define CLI_B64_ENCODED_LEN(n) ((((n) + 2) / 3) * 4)

typedef struct cli_b64_enc {
    uint8_t pending[2];
    size_t pending_len;
} cli_b64_enc;

/*
 * Encode in into out (capacity at least CLI_B64_ENCODED_LEN(in_len + 2)); returns the
 * characters written. Up to two bytes stay pending for the next call or cli_b64_enc_final.
 */
size_t cli_b64_enc_update(cli_b64_enc *e, const uint8_t *in, size_t in_len, char *out);
/* The last characters (0 or 4, with padding) into out (capacity 4). */
size_t cli_b64_enc_final(cli_b64_enc *e, char *out);

typedef struct cli_b64_dec {
    uint8_t quad[4];
    size_t quad_len;
    bool ended; /* padding seen: only whitespace may follow */
} cli_b64_dec;

/*
 * Decode text (whitespace ignored) into out (capacity at least 3 * (in_len / 4 + 1));
 * *out_len bytes written. Returns 0, or -1 on a character outside the alphabet or data
 * after the padding.
 */
int cli_b64_dec_update(
    cli_b64_dec *d, const char *in, size_t in_len, uint8_t *out, size_t *out_len);
/* Finish: a missing padding is tolerated; a lone trailing character is an error. */
int cli_b64_dec_final(cli_b64_dec *d, uint8_t *out, size_t *out_len);

/* One shot: a NUL-terminated malloc'd string (NULL when out of memory). */
char *cli_b64_encode(const uint8_t *in, size_t len);
/* One shot into a malloc'd buffer (caller wipes and frees); -1 on bad input. */
int cli_b64_decode(const char *in, size_t in_len, uint8_t **out, size_t *out_len);

#endif
