/* Frame headers and body AAD. */
#include "format/body.h"

#include <string.h>

#include <aws-esdk-c/error.h>

#include "common/buf.h"
#include "common/status.h"

/* last: poisons calls this library must not make */
#include "banned.h"

int esdk_frame_header_parse(esdk_cur in, uint32_t frame_length, esdk_frame_header *out)
{
    esdk_frame_header fh;
    memset(&fh, 0, sizeof fh);
    const size_t start = in.len;
    if (frame_length == 0) {
        fh.kind = ESDK_BODY_SINGLE_BLOCK;
        fh.seq = 1;
        if (!esdk_cur_copy(&in, fh.iv, 12) || !esdk_cur_read_be64(&in, &fh.content_len)) {
            return ESDK_NEED_MORE;
        }
        if (fh.content_len > ESDK_UNFRAMED_MAX) {
            return esdk_fail(ESDK_ERR_BAD_CIPHERTEXT, "unframed content longer than 2^36 - 32");
        }
    } else {
        uint32_t first;
        if (!esdk_cur_read_be32(&in, &first)) {
            return ESDK_NEED_MORE;
        }
        if (first == ESDK_FINAL_FRAME_MARKER) {
            uint32_t len;
            fh.kind = ESDK_BODY_FINAL_FRAME;
            if (!esdk_cur_read_be32(&in, &fh.seq) || !esdk_cur_copy(&in, fh.iv, 12) ||
                !esdk_cur_read_be32(&in, &len)) {
                return ESDK_NEED_MORE;
            }
            if (len > frame_length) {
                return esdk_fail(
                    ESDK_ERR_BAD_CIPHERTEXT, "final frame longer than the frame length");
            }
            fh.content_len = len;
        } else {
            fh.kind = ESDK_BODY_FRAME;
            fh.seq = first;
            if (!esdk_cur_copy(&in, fh.iv, 12)) {
                return ESDK_NEED_MORE;
            }
            fh.content_len = frame_length;
        }
    }
    fh.header_len = start - in.len;
    *out = fh;
    return 0;
}

size_t esdk_frame_header_write(uint8_t *out, const esdk_frame_header *fh)
{
    size_t n = 0;
    if (fh->kind == ESDK_BODY_SINGLE_BLOCK) {
        memcpy(out, fh->iv, 12);
        esdk_store_be64(out + 12, fh->content_len);
        return 20;
    }
    if (fh->kind == ESDK_BODY_FINAL_FRAME) {
        esdk_store_be32(out, ESDK_FINAL_FRAME_MARKER);
        n = 4;
    }
    esdk_store_be32(out + n, fh->seq);
    memcpy(out + n + 4, fh->iv, 12);
    n += 16;
    if (fh->kind == ESDK_BODY_FINAL_FRAME) {
        esdk_store_be32(out + n, (uint32_t)fh->content_len);
        n += 4;
    }
    return n;
}

void esdk_frame_iv(uint8_t iv[12], uint32_t seq)
{
    memset(iv, 0, 8);
    esdk_store_be32(iv + 8, seq);
}

size_t esdk_body_aad(
    uint8_t out[ESDK_BODY_AAD_MAX],
    const uint8_t *message_id,
    size_t message_id_len,
    esdk_body_kind kind,
    uint32_t seq,
    uint64_t len)
{
    static const char *const strings[] = {
        "AWSKMSEncryptionClient Frame",
        "AWSKMSEncryptionClient Final Frame",
        "AWSKMSEncryptionClient Single Block",
    };
    const char *s = strings[kind];
    size_t sl = strlen(s);
    memcpy(out, message_id, message_id_len);
    memcpy(out + message_id_len, s, sl);
    esdk_store_be32(out + message_id_len + sl, seq);
    esdk_store_be64(out + message_id_len + sl + 4, len);
    return message_id_len + sl + 12;
}
