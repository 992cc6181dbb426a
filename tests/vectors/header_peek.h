/* Reading a message header's framing fields without the library (to decide whether a JS
 * maxBodySize option maps onto esdk_options_set_max_body_frame). */
#ifndef ESDK_VECTORS_HEADER_PEEK_H
#define ESDK_VECTORS_HEADER_PEEK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/** 0 and the content type (1 unframed, 2 framed) and frame length, or -1 if unreadable. */
int header_peek_framing(const uint8_t *msg, size_t len, int *content_type, uint32_t *frame_length);

#endif
