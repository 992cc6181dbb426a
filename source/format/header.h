/* The message header, v1 and v2 (spec-facts 1.1-1.5): parse from untrusted bytes, write. */
#ifndef ESDK_FORMAT_HEADER_H
#define ESDK_FORMAT_HEADER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <aws-esdk-c/buffer.h>
#include <aws-esdk-c/context.h>
#include <aws-esdk-c/materials.h>

#include "common/cursor.h"
#include "format/suite_info.h"

#define ESDK_CONTENT_UNFRAMED 0x01
#define ESDK_CONTENT_FRAMED   0x02
#define ESDK_HEADER_TAG_LEN   16
#define ESDK_HEADER_IV_LEN    12

typedef struct esdk_header {
    uint8_t version; /* 1 or 2 */
    const esdk_suite_info *suite;
    uint8_t message_id[ESDK_MESSAGE_ID_LEN_V2];
    size_t message_id_len;
    esdk_enc_ctx *context; /* owned */
    esdk_edk_list *edks;   /* owned */
    uint8_t content_type;
    uint32_t frame_length;
    uint8_t suite_data[ESDK_COMMIT_KEY_LEN]; /* v2: the commit key */
    uint8_t auth_iv[ESDK_HEADER_IV_LEN];     /* v1 only */
    uint8_t auth_tag[ESDK_HEADER_TAG_LEN];
    size_t body_len;  /* bytes of the header body (what the tag authenticates) */
    size_t total_len; /* body + authentication */
} esdk_header;

typedef struct esdk_header_limits {
    size_t max_edks;        /* 0 = no limit */
    size_t max_header_size; /* 0 = no limit */
} esdk_header_limits;

/*
 * Parse a whole header (body and authentication) at the start of in. On success fills h and
 * advances in by h->total_len. ESDK_NEED_MORE: in is incomplete; *need is a lower bound on
 * the bytes required (in is not moved, h stays empty). Errors: ESDK_ERR_BAD_CIPHERTEXT,
 * ESDK_ERR_TOO_MANY_EDKS (before any EDK is read), ESDK_ERR_LIMIT_EXCEEDED.
 */
int esdk_header_parse(esdk_cur *in, const esdk_header_limits *limits, esdk_header *h, size_t *need);

/* Append the header body for h (fields from h; aad = the serialized stored context). */
int esdk_header_write_body(const esdk_header *h, const uint8_t *aad, size_t aad_len, esdk_buf *out);

/* Append the header authentication (v1: IV and tag; v2: tag). */
int esdk_header_write_auth(const esdk_header *h, esdk_buf *out);

/* Free what h owns and zero it. */
void esdk_header_cleanup(esdk_header *h);

#endif
