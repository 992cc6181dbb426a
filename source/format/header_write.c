/* Header serialization. */
#include <aws-esdk-c/error.h>

#include "common/buf.h"
#include "common/status.h"
#include "format/header.h"

/* last: poisons calls this library must not make */
#include "banned.h"

static int write_edks(const esdk_edk_list *edks, esdk_buf *out)
{
    size_t n = esdk_edk_list_count(edks);
    ESDK_ENSURE(n > 0 && n <= 0xFFFF, ESDK_ERR_BAD_ARGUMENT);
    ESDK_TRY(esdk_buf_append_be16(out, (uint16_t)n));
    for (size_t i = 0; i < n; i++) {
        esdk_edk e;
        ESDK_TRY(esdk_edk_list_get(edks, i, &e));
        ESDK_TRY(esdk_buf_append_be16(out, (uint16_t)e.provider_id_len));
        ESDK_TRY(esdk_buf_append(out, e.provider_id, e.provider_id_len));
        ESDK_TRY(esdk_buf_append_be16(out, (uint16_t)e.provider_info_len));
        ESDK_TRY(esdk_buf_append(out, e.provider_info, e.provider_info_len));
        ESDK_TRY(esdk_buf_append_be16(out, (uint16_t)e.ciphertext_len));
        ESDK_TRY(esdk_buf_append(out, e.ciphertext, e.ciphertext_len));
    }
    return 0;
}

int esdk_header_write_body(const esdk_header *h, const uint8_t *aad, size_t aad_len, esdk_buf *out)
{
    ESDK_ENSURE(h->suite != NULL && aad_len <= 0xFFFF, ESDK_ERR_BAD_ARGUMENT);
    ESDK_TRY(esdk_buf_append_u8(out, h->version));
    if (h->version == 1) {
        ESDK_TRY(esdk_buf_append_u8(out, 0x80));
    }
    ESDK_TRY(esdk_buf_append_be16(out, h->suite->id));
    ESDK_TRY(esdk_buf_append(out, h->message_id, h->message_id_len));
    ESDK_TRY(esdk_buf_append_be16(out, (uint16_t)aad_len));
    ESDK_TRY(esdk_buf_append(out, aad, aad_len));
    ESDK_TRY(write_edks(h->edks, out));
    ESDK_TRY(esdk_buf_append_u8(out, h->content_type));
    if (h->version == 1) {
        ESDK_TRY(esdk_buf_append_be32(out, 0));
        ESDK_TRY(esdk_buf_append_u8(out, ESDK_HEADER_IV_LEN));
    }
    ESDK_TRY(esdk_buf_append_be32(out, h->frame_length));
    if (h->version == 2) {
        ESDK_TRY(esdk_buf_append(out, h->suite_data, ESDK_COMMIT_KEY_LEN));
    }
    return 0;
}

int esdk_header_write_auth(const esdk_header *h, esdk_buf *out)
{
    if (h->version == 1) {
        ESDK_TRY(esdk_buf_append(out, h->auth_iv, ESDK_HEADER_IV_LEN));
    }
    return esdk_buf_append(out, h->auth_tag, ESDK_HEADER_TAG_LEN);
}
