/* Encrypt: materials, header, frames, footer (spec-facts 5.2). */
#include <string.h>

#include <aws-esdk-c/error.h>

#include "common/buf.h"
#include "common/mem.h"
#include "common/status.h"
#include "crypto/ecdsa.h"
#include "crypto/random.h"
#include "format/body.h"
#include "format/context.h"
#include "format/edk_list.h"
#include "materials/materials.h"
#include "session/derive.h"
#include "session/frame.h"
#include "session/parallel.h"
#include "session/session.h"

/* last: poisons calls this library must not make */
#include "banned.h"

static int get_materials(esdk_session *s)
{
    esdk_enc_ctx *empty = NULL;
    if (!s->ctx) {
        ESDK_TRY(esdk_enc_ctx_new(&empty));
        s->ctx = empty;
    }
    if (esdk_enc_ctx_has_reserved_key(s->ctx)) {
        return esdk_fail(
            ESDK_ERR_BAD_CONTEXT,
            "encryption context keys starting with 'aws-crypto-' are reserved");
    }
    if (s->opts.frame_length == 0 && !s->length_known) {
        return esdk_fail(ESDK_ERR_BAD_STATE, "unframed encryption needs the plaintext length");
    }
    esdk_enc_request req = {
        .context = s->ctx,
        .suite_id = s->opts.suite_id,
        .policy = s->opts.policy,
        .plaintext_length = s->length_known ? s->plaintext_length : ESDK_LENGTH_UNKNOWN,
    };
    ESDK_TRY(esdk_cmm_get_encryption_materials(s->cmm, &req, &s->enc_materials));
    size_t n = esdk_edk_list_count(esdk_enc_materials_edks(s->enc_materials));
    if (s->opts.max_edks && n > s->opts.max_edks) {
        return esdk_fail(
            ESDK_ERR_TOO_MANY_EDKS,
            "materials have %zu EDKs, the limit is %zu",
            n,
            s->opts.max_edks);
    }
    return 0;
}

/* The stored context is the materials' context minus the authenticate-only keys. */
static int build_header(esdk_session *s, esdk_buf *aad)
{
    esdk_header *h = &s->header;
    const esdk_enc_materials *m = s->enc_materials;
    size_t req_n;
    const char *const *req = esdk_enc_materials_required_keys(m, &req_n);
    h->suite = esdk_enc_materials_suite_info(m);
    h->version = (uint8_t)h->suite->message_version;
    h->message_id_len = esdk_suite_message_id_len(h->suite);
    h->content_type = s->opts.frame_length ? ESDK_CONTENT_FRAMED : ESDK_CONTENT_UNFRAMED;
    h->frame_length = s->opts.frame_length;
    if (s->fixed_message_id_len == h->message_id_len) {
        memcpy(h->message_id, s->fixed_message_id, h->message_id_len); /* tests only */
    } else {
        ESDK_TRY(esdk_random_bytes(h->message_id, h->message_id_len));
    }
    ESDK_TRY(esdk_edk_list_new(&h->edks));
    ESDK_TRY(esdk_edk_list_append_all(h->edks, esdk_enc_materials_edks(m)));
    ESDK_TRY(esdk_enc_ctx_clone(esdk_enc_materials_context(m), &h->context));
    for (size_t i = 0; i < req_n; i++) {
        esdk_enc_ctx_remove(h->context, (const uint8_t *)req[i], strlen(req[i]));
    }
    return esdk_enc_ctx_serialize(h->context, aad);
}

static int derive_key(esdk_session *s)
{
    esdk_header *h = &s->header;
    const uint8_t *data_key;
    size_t data_key_len;
    uint8_t key[32];
    (void)esdk_enc_materials_data_key(s->enc_materials, &data_key, &data_key_len);
    int rc = esdk_derive_message_key(
        h->suite, data_key, h->message_id, h->message_id_len, false, key, h->suite_data);
    if (!rc) {
        rc = esdk_aead_key_new(key, h->suite->key_len, &s->key);
    }
    esdk_wipe(key, sizeof key);
    return rc;
}

static int write_header(esdk_session *s, session_io *io)
{
    esdk_buf aad = ESDK_BUF_INIT;
    esdk_buf bytes = ESDK_BUF_INIT;
    esdk_header *h = &s->header;
    size_t req_n;
    int rc;
    ESDK_TRY_GOTO(rc, get_materials(s));
    const char *const *req = esdk_enc_materials_required_keys(s->enc_materials, &req_n);
    ESDK_TRY_GOTO(rc, build_header(s, &aad));
    ESDK_TRY_GOTO(rc, derive_key(s)); /* v2 writes the commit key into the header body */
    ESDK_TRY_GOTO(rc, esdk_header_write_body(h, aad.data, aad.len, &bytes));
    ESDK_TRY_GOTO(
        rc,
        esdk_header_auth_tag(
            s->key,
            h->auth_iv,
            bytes.data,
            bytes.len,
            esdk_enc_materials_context(s->enc_materials),
            req,
            req_n,
            false,
            h->auth_tag));
    ESDK_TRY_GOTO(rc, esdk_header_write_auth(h, &bytes));
    h->total_len = bytes.len; /* for esdk_session_message_length */
    if (h->suite->is_signed) {
        ESDK_TRY_GOTO(rc, esdk_hash_new(h->suite->sig_hash, &s->sig_hash));
        ESDK_TRY_GOTO(rc, esdk_hash_update(s->sig_hash, bytes.data, bytes.len));
    }
    ESDK_TRY_GOTO(rc, esdk_session_emit(s, io, bytes.data, bytes.len));
    s->state = ST_BODY;
cleanup:
    esdk_buf_release(&aad);
    esdk_buf_release(&bytes);
    return rc;
}

/* Encrypt one frame (or the single block) from pt into the output. */
static int
encrypt_frame(esdk_session *s, session_io *io, esdk_body_kind kind, const uint8_t *pt, size_t len)
{
    uint8_t *where;
    if (s->seq == ESDK_FINAL_FRAME_MARKER) {
        return esdk_fail(ESDK_ERR_LIMIT_EXCEEDED, "a message holds at most 2^32 - 2 frames");
    }
    const size_t total = esdk_frame_overhead(kind) + len;
    ESDK_TRY(esdk_session_output(s, io, total, &where));
    ESDK_TRY(esdk_frame_seal(s->key, &s->header, kind, s->seq, pt, len, where));
    if (s->sig_hash) {
        /* while the frame is still in cache */
        ESDK_TRY(esdk_hash_update(s->sig_hash, where, total));
    }
    s->seq++;
    s->processed += len;
    return 0;
}

static int finish_body(esdk_session *s)
{
    if (s->length_known && s->processed != s->plaintext_length) {
        return esdk_fail(
            ESDK_ERR_BAD_STATE,
            "plaintext is %llu bytes, %llu were declared",
            (unsigned long long)s->processed,
            (unsigned long long)s->plaintext_length);
    }
    s->state = s->sig_hash ? ST_FOOTER : ST_DONE;
    return 0;
}

static int framed_step(esdk_session *s, session_io *io, bool *progress)
{
    const size_t frame = s->header.frame_length;
    const size_t have = esdk_session_staged(s) + (io->in_len - io->in_used);
    const bool at_end =
        s->input_ended || (s->length_known && s->processed + have == s->plaintext_length);
    esdk_cur view;
    size_t batch = 0;
    ESDK_TRY(esdk_parallel_encrypt(s, io, &batch));
    if (batch) {
        *progress = true;
        return 0;
    }
    if (have >= frame && !(at_end && have == 0)) {
        if (esdk_session_wait_for_room(s, io, esdk_frame_overhead(ESDK_BODY_FRAME) + frame)) {
            return 0;
        }
        (void)esdk_session_gather(s, io, frame, &view);
        ESDK_TRY(encrypt_frame(s, io, ESDK_BODY_FRAME, view.ptr, frame));
        esdk_session_consume(s, io, frame);
        *progress = true;
    } else if (at_end) {
        if (esdk_session_wait_for_room(s, io, esdk_frame_overhead(ESDK_BODY_FINAL_FRAME) + have)) {
            return 0;
        }
        if (have && !esdk_session_gather(s, io, have, &view)) {
            return esdk_fail(ESDK_ERR_NO_MEMORY, "cannot stage the final frame");
        }
        ESDK_TRY(encrypt_frame(s, io, ESDK_BODY_FINAL_FRAME, have ? view.ptr : NULL, have));
        esdk_session_consume(s, io, have);
        ESDK_TRY(finish_body(s));
        *progress = true;
    } else {
        ESDK_TRY(esdk_session_stage_input(s, io, frame));
    }
    return 0;
}

static int unframed_step(esdk_session *s, session_io *io, bool *progress)
{
    const size_t want = (size_t)s->plaintext_length;
    esdk_cur view;
    if (!esdk_session_gather(s, io, want, &view)) {
        if (s->input_ended) {
            return esdk_fail(ESDK_ERR_BAD_STATE, "plaintext is shorter than declared");
        }
        return 0;
    }
    ESDK_TRY(encrypt_frame(s, io, ESDK_BODY_SINGLE_BLOCK, view.ptr, want));
    esdk_session_consume(s, io, want);
    ESDK_TRY(finish_body(s));
    *progress = true;
    return 0;
}

static int write_footer(esdk_session *s, session_io *io)
{
    uint8_t digest[ESDK_HASH_MAX_LEN];
    uint8_t footer[2 + ESDK_SIG_MAX_LEN];
    size_t sig_len;
    const esdk_sig_key *key = esdk_enc_materials_signing_key(s->enc_materials);
    ESDK_TRY(esdk_hash_finish(s->sig_hash, digest));
    ESDK_TRY(esdk_sig_sign(
        key,
        digest,
        esdk_hash_len(s->header.suite->sig_hash),
        footer + 2,
        ESDK_SIG_MAX_LEN,
        &sig_len));
    esdk_store_be16(footer, (uint16_t)sig_len);
    ESDK_TRY(esdk_session_emit(s, io, footer, 2 + sig_len));
    s->state = ST_DONE;
    return 0;
}

int esdk_encrypt_step(esdk_session *s, session_io *io, bool *progress)
{
    switch (s->state) {
        case ST_START:
            if (s->length_known && s->opts.frame_length == 0 &&
                s->plaintext_length > ESDK_UNFRAMED_MAX) {
                return esdk_fail(
                    ESDK_ERR_LIMIT_EXCEEDED, "unframed plaintext above 2^36 - 32 bytes");
            }
            ESDK_TRY(write_header(s, io));
            *progress = true;
            return 0;
        case ST_BODY:
            if (s->length_known && esdk_session_staged(s) + (io->in_len - io->in_used) >
                                       s->plaintext_length - s->processed) {
                return esdk_fail(ESDK_ERR_BAD_STATE, "more plaintext than the declared length");
            }
            return s->header.frame_length ? framed_step(s, io, progress)
                                          : unframed_step(s, io, progress);
        case ST_FOOTER:
            ESDK_TRY(write_footer(s, io));
            *progress = true;
            return 0;
        default:
            return 0;
    }
}
