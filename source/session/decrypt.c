/* Decrypt: header, materials, commitment, header tag, frames, footer (spec-facts 5.3).
 * Plaintext leaves only after its tag verified; for signed suites the final frame waits
 * for the signature. */
#include <string.h>

#include <aws-esdk-c/error.h>

#include "common/buf.h"
#include "common/mem.h"
#include "common/status.h"
#include "crypto/ecdsa.h"
#include "format/body.h"
#include "materials/materials.h"
#include "session/derive.h"
#include "session/frame.h"
#include "session/parallel.h"
#include "session/session.h"

/* last: poisons calls this library must not make */
#include "banned.h"

static int check_header_policy(esdk_session *s)
{
    const esdk_header *h = &s->header;
    if (!esdk_policy_allows_decrypt(s->opts.policy, h->suite->id)) {
        return esdk_fail(
            ESDK_ERR_POLICY_VIOLATION,
            "suite 0x%04x is not committing; the commitment policy requires it",
            h->suite->id);
    }
    if (s->mode == ESDK_MODE_DECRYPT_UNSIGNED && h->suite->is_signed) {
        return esdk_fail(
            ESDK_ERR_SIGNED_NOT_ALLOWED,
            "suite 0x%04x signs; decrypt-unsigned mode refuses it",
            h->suite->id);
    }
    uint64_t max = s->opts.max_body_frame;
    if (max && h->content_type == ESDK_CONTENT_FRAMED && h->frame_length > max) {
        return esdk_fail(
            ESDK_ERR_LIMIT_EXCEEDED,
            "frame length %u exceeds the limit %llu",
            h->frame_length,
            (unsigned long long)max);
    }
    return 0;
}

static int get_materials(esdk_session *s)
{
    esdk_dec_request req = {
        .suite_id = s->header.suite->id,
        .policy = s->opts.policy,
        .edks = s->header.edks,
        .context = s->header.context,
        .reproduced_context = s->ctx,
    };
    return esdk_cmm_decrypt_materials(s->cmm, &req, &s->dec_materials);
}

/* Derive the key, check the commitment, and verify the header tag. legacy: the .NET 4.0.0
 * variant of both. */
static int authenticate(esdk_session *s, const uint8_t *body, bool legacy)
{
    esdk_header *h = &s->header;
    const uint8_t *data_key;
    size_t data_key_len, req_n;
    uint8_t key[32], commit[ESDK_COMMIT_KEY_LEN], tag[ESDK_HEADER_TAG_LEN];
    const char *const *req = esdk_dec_materials_required_keys(s->dec_materials, &req_n);
    int rc;
    (void)esdk_dec_materials_data_key(s->dec_materials, &data_key, &data_key_len);
    esdk_aead_key_release(s->key);
    s->key = NULL;
    ESDK_TRY_GOTO(
        rc,
        esdk_derive_message_key(
            h->suite,
            data_key,
            h->message_id,
            h->message_id_len,
            legacy && !h->suite->committing,
            key,
            commit));
    if (h->suite->committing && !esdk_ct_equal(commit, h->suite_data, ESDK_COMMIT_KEY_LEN)) {
        rc = esdk_fail(ESDK_ERR_COMMITMENT_MISMATCH, "the message's key commitment does not match");
        goto cleanup;
    }
    ESDK_TRY_GOTO(rc, esdk_aead_key_new(key, h->suite->key_len, &s->key));
    ESDK_TRY_GOTO(
        rc,
        esdk_header_auth_tag(
            s->key,
            h->auth_iv,
            body,
            h->body_len,
            esdk_dec_materials_context(s->dec_materials),
            req,
            req_n,
            legacy,
            tag));
    if (!esdk_ct_equal(tag, h->auth_tag, sizeof tag)) {
        rc = esdk_fail(ESDK_ERR_BAD_TAG, "header authentication failed");
    }
cleanup:
    esdk_wipe(key, sizeof key);
    esdk_wipe(commit, sizeof commit);
    return rc;
}

static int read_header(esdk_session *s, session_io *io, bool *progress)
{
    esdk_header_limits limits = {s->opts.max_edks, s->opts.max_header_size};
    esdk_cur view;
    size_t need = 0;
    int rc;
    /* A partial header is parsed again only once the staged bytes grew by half (or the input
     * ended): re-parsing on every byte would make a trickled header cost O(n^2). */
    if (esdk_session_staged(s) && !s->input_ended) {
        ESDK_TRY(esdk_session_stage_input(s, io, s->opts.max_header_size + 1));
        if (esdk_session_staged(s) < s->header_retry_at &&
            esdk_session_staged(s) <= s->opts.max_header_size) {
            return 0;
        }
    }
    /* Parse straight from the caller's bytes when nothing is staged, else from the stage. */
    if (esdk_session_staged(s) == 0) {
        view = esdk_cur_of(io->in + io->in_used, io->in_len - io->in_used);
    } else {
        view = esdk_cur_of(s->in_buf.data + s->in_off, esdk_session_staged(s));
    }
    esdk_cur rest = view;
    rc = esdk_header_parse(&rest, &limits, &s->header, &need);
    if (rc == ESDK_NEED_MORE) {
        /* stage everything we have (bounded by the header limit) and wait */
        const size_t staged_before = esdk_session_staged(s);
        const size_t used_before = io->in_used;
        ESDK_TRY(esdk_session_stage_input(s, io, s->opts.max_header_size + 1));
        s->header_retry_at = esdk_session_staged(s) + esdk_session_staged(s) / 2 + 1;
        /* retry only if the parse did not see these bytes yet */
        *progress = staged_before > 0 && io->in_used > used_before;
        return 0;
    }
    ESDK_TRY(rc);
    const uint8_t *body = view.ptr;
    ESDK_TRY(check_header_policy(s));
    ESDK_TRY(get_materials(s));
    rc = authenticate(s, body, false);
    if (rc == ESDK_ERR_BAD_TAG && s->opts.accept_net_v4_0_0) {
        rc = authenticate(s, body, true);
    }
    ESDK_TRY(rc);
    if (s->header.suite->is_signed) {
        ESDK_TRY(esdk_hash_new(s->header.suite->sig_hash, &s->sig_hash));
        ESDK_TRY(esdk_hash_update(s->sig_hash, body, s->header.total_len));
    } else {
        s->verified = true;
    }
    esdk_session_consume(s, io, s->header.total_len);
    s->state = ST_BODY;
    *progress = true;
    return 0;
}

/* Read the next frame's header; 0 with *fh set, ESDK_NEED_MORE to wait, or an error. */
static int read_frame_header(esdk_session *s, session_io *io, esdk_frame_header *fh)
{
    const uint32_t frame = s->header.frame_length;
    esdk_cur view;
    size_t need = frame ? 4 : 20;
    if (!esdk_session_gather(s, io, need, &view)) {
        return ESDK_NEED_MORE;
    }
    if (frame) {
        need = esdk_load_be32(view.ptr) == ESDK_FINAL_FRAME_MARKER ? 24 : 16;
        if (!esdk_session_gather(s, io, need, &view)) {
            return ESDK_NEED_MORE;
        }
    }
    ESDK_TRY(esdk_frame_header_parse(view, frame, fh));
    if (fh->seq != s->seq) {
        return esdk_fail(
            ESDK_ERR_BAD_CIPHERTEXT,
            "frame %u arrived where frame %u was expected",
            fh->seq,
            s->seq);
    }
    if (!frame) {
        uint64_t max = s->opts.max_body_frame;
        if (fh->content_len > s->opts.max_unframed_size || (max && fh->content_len > max)) {
            return esdk_fail(
                ESDK_ERR_LIMIT_EXCEEDED,
                "unframed body of %llu bytes exceeds the limit",
                (unsigned long long)fh->content_len);
        }
    }
    return 0;
}

static int read_frame(esdk_session *s, session_io *io, bool *progress)
{
    esdk_frame_header fh;
    esdk_cur view;
    uint8_t *where;
    size_t batch = 0;
    ESDK_TRY(esdk_parallel_decrypt(s, io, &batch));
    if (batch) {
        *progress = true;
        return 0;
    }
    int rc = read_frame_header(s, io, &fh);
    if (rc == ESDK_NEED_MORE) {
        return 0;
    }
    ESDK_TRY(rc);
    const size_t len = (size_t)fh.content_len;
    const size_t total = fh.header_len + len + ESDK_GCM_TAG_LEN;
    if (!esdk_session_gather(s, io, total, &view)) {
        return 0;
    }
    const bool last = fh.kind != ESDK_BODY_FRAME;
    if (last && s->sig_hash) {
        s->hold_output = true; /* released when the signature verifies */
    }
    ESDK_TRY(esdk_session_output(s, io, len, &where));
    ESDK_TRY(esdk_frame_open(s->key, &s->header, &fh, view.ptr, where));
    if (s->sig_hash) {
        ESDK_TRY(esdk_hash_update(s->sig_hash, view.ptr, total));
    }
    esdk_session_consume(s, io, total);
    s->seq++;
    s->processed += len;
    if (last) {
        s->state = s->sig_hash ? ST_FOOTER : ST_DONE;
    }
    *progress = true;
    return 0;
}

static int read_footer(esdk_session *s, session_io *io, bool *progress)
{
    esdk_cur view;
    uint8_t digest[ESDK_HASH_MAX_LEN];
    if (!esdk_session_gather(s, io, 2, &view)) {
        return 0;
    }
    size_t sig_len = ((size_t)view.ptr[0] << 8) | view.ptr[1];
    if (!esdk_session_gather(s, io, 2 + sig_len, &view)) {
        return 0;
    }
    ESDK_TRY(esdk_hash_finish(s->sig_hash, digest));
    int rc = esdk_sig_verify(
        esdk_dec_materials_verification_key(s->dec_materials),
        digest,
        esdk_hash_len(s->header.suite->sig_hash),
        view.ptr + 2,
        sig_len);
    if (rc) {
        return esdk_fail(ESDK_ERR_SIGNATURE_MISMATCH, "the message signature does not verify");
    }
    esdk_session_consume(s, io, 2 + sig_len);
    s->verified = true;
    s->hold_output = false;
    s->state = ST_DONE;
    *progress = true;
    return 0;
}

int esdk_decrypt_step(esdk_session *s, session_io *io, bool *progress)
{
    switch (s->state) {
        case ST_START:
            return read_header(s, io, progress);
        case ST_BODY:
            return read_frame(s, io, progress);
        case ST_FOOTER:
            return read_footer(s, io, progress);
        default:
            return 0;
    }
}
