/* One frame's AEAD, shared by the session's loop and its worker threads so that both write
 * (and read) exactly the same bytes. */
#ifndef ESDK_SESSION_FRAME_H
#define ESDK_SESSION_FRAME_H

#include <stddef.h>
#include <stdint.h>

#include "crypto/aead.h"
#include "format/body.h"
#include "format/header.h"

/* Bytes a frame of this kind adds to its content: its header and the tag. */
size_t esdk_frame_overhead(esdk_body_kind kind);

/* Write the frame (header, ciphertext, tag: esdk_frame_overhead(kind) + len bytes) of the
 * message h with sequence number seq for len bytes of pt into dst. */
int esdk_frame_seal(
    esdk_aead_key *key,
    const esdk_header *h,
    esdk_body_kind kind,
    uint32_t seq,
    const uint8_t *pt,
    size_t len,
    uint8_t *dst);

/* Decrypt the frame at frame (its header fh already parsed from there, then the content and
 * the tag) into out; on a bad tag out is wiped. */
int esdk_frame_open(
    esdk_aead_key *key,
    const esdk_header *h,
    const esdk_frame_header *fh,
    const uint8_t *frame,
    uint8_t *out);

#endif
