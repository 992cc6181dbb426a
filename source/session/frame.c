/* Frame sealing and opening (spec-facts 1.6-1.8). */
#include "session/frame.h"

#include <aws-esdk-c/error.h>

#include "common/status.h"

/* last: poisons calls this library must not make */
#include "banned.h"

size_t esdk_frame_overhead(esdk_body_kind kind)
{
    uint8_t scratch[ESDK_FRAME_HEADER_MAX];
    esdk_frame_header fh = {.kind = kind};
    return esdk_frame_header_write(scratch, &fh) + ESDK_GCM_TAG_LEN;
}

int esdk_frame_seal(
    esdk_aead_key *key,
    const esdk_header *h,
    esdk_body_kind kind,
    uint32_t seq,
    const uint8_t *pt,
    size_t len,
    uint8_t *dst)
{
    esdk_frame_header fh = {.kind = kind, .seq = seq, .content_len = len};
    uint8_t aad[ESDK_BODY_AAD_MAX];
    esdk_frame_iv(fh.iv, seq);
    const size_t hl = esdk_frame_header_write(dst, &fh);
    const size_t aad_len = esdk_body_aad(aad, h->message_id, h->message_id_len, kind, seq, len);
    return esdk_aead_encrypt(key, fh.iv, aad, aad_len, pt, len, dst + hl, dst + hl + len);
}

int esdk_frame_open(
    esdk_aead_key *key,
    const esdk_header *h,
    const esdk_frame_header *fh,
    const uint8_t *frame,
    uint8_t *out)
{
    uint8_t aad[ESDK_BODY_AAD_MAX];
    const size_t len = (size_t)fh->content_len;
    const uint8_t *ct = frame + fh->header_len;
    const size_t aad_len =
        esdk_body_aad(aad, h->message_id, h->message_id_len, fh->kind, fh->seq, len);
    return esdk_aead_decrypt(key, fh->iv, aad, aad_len, ct, len, ct + len, out);
}
