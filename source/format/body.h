/* Body framing (spec-facts 1.6-1.8): frame headers, IVs and the body AAD. */
#ifndef ESDK_FORMAT_BODY_H
#define ESDK_FORMAT_BODY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/cursor.h"

#define ESDK_FINAL_FRAME_MARKER 0xFFFFFFFFu
#define ESDK_BODY_AAD_MAX       (32 + 35 + 4 + 8)
/* Largest frame/body header: final frame (marker, seq, IV, length). */
#define ESDK_FRAME_HEADER_MAX 24
/* An unframed body may hold at most 2^36 - 32 bytes (the GCM limit). */
#define ESDK_UNFRAMED_MAX ((UINT64_C(1) << 36) - 32)

typedef enum esdk_body_kind {
    ESDK_BODY_FRAME = 0,
    ESDK_BODY_FINAL_FRAME = 1,
    ESDK_BODY_SINGLE_BLOCK = 2,
} esdk_body_kind;

typedef struct esdk_frame_header {
    esdk_body_kind kind;
    uint32_t seq;
    uint8_t iv[12];
    uint64_t content_len;
    size_t header_len; /* bytes before the content */
} esdk_frame_header;

/*
 * Parse the header of the next frame (framed: frame_length > 0) or of the single block
 * (frame_length == 0). ESDK_NEED_MORE if in is too short; ESDK_ERR_BAD_CIPHERTEXT for a final
 * frame longer than the frame length. Does not move in.
 */
int esdk_frame_header_parse(esdk_cur in, uint32_t frame_length, esdk_frame_header *out);

/* Write a frame header; returns its length. */
size_t esdk_frame_header_write(uint8_t *out, const esdk_frame_header *fh);

/* The IV the official SDKs write: 8 zero bytes || u32 seq (big-endian). */
void esdk_frame_iv(uint8_t iv[12], uint32_t seq);

/* message id || content string || u32 seq || u64 length; returns the AAD length. */
size_t esdk_body_aad(
    uint8_t out[ESDK_BODY_AAD_MAX],
    const uint8_t *message_id,
    size_t message_id_len,
    esdk_body_kind kind,
    uint32_t seq,
    uint64_t len);

#endif
