/* The session API: construction, settings, the process loop and the I/O staging shared
 * by both directions. */
#include "session/session.h"

#include <string.h>

#include <aws-esdk-c/error.h>
#include <aws-esdk-c/session.h>

#include "common/buf.h"
#include "common/mem.h"
#include "common/status.h"
#include "crypto/ecdsa.h"
#include "session/parallel.h"

/* last: poisons calls this library must not make */
#include "banned.h"

int esdk_session_new(esdk_mode mode, const esdk_options *opts, esdk_cmm *cmm, esdk_session **out)
{
    ESDK_ENSURE(cmm != NULL && out != NULL, ESDK_ERR_BAD_ARGUMENT);
    ESDK_ENSURE(
        mode == ESDK_MODE_ENCRYPT || mode == ESDK_MODE_DECRYPT ||
            mode == ESDK_MODE_DECRYPT_UNSIGNED,
        ESDK_ERR_BAD_ARGUMENT);
    esdk_session *s = esdk_mem_acquire(sizeof *s);
    if (!s) {
        return esdk_fail(ESDK_ERR_NO_MEMORY, "cannot allocate a session");
    }
    s->mode = mode;
    if (opts) {
        s->opts = *opts;
    } else {
        esdk_options_defaults(&s->opts);
    }
    s->cmm = esdk_cmm_retain(cmm);
    s->seq = 1;
    *out = s;
    return 0;
}

int esdk_session_new_with_keyring(
    esdk_mode mode, const esdk_options *opts, esdk_keyring *keyring, esdk_session **out)
{
    esdk_cmm *cmm = NULL;
    ESDK_TRY(esdk_cmm_default_new(keyring, &cmm));
    int rc = esdk_session_new(mode, opts, cmm, out);
    esdk_cmm_release(cmm);
    return rc;
}

void esdk_session_release(esdk_session *s)
{
    if (!s) {
        return;
    }
    esdk_cmm_release(s->cmm);
    esdk_enc_ctx_release(s->ctx);
    esdk_header_cleanup(&s->header);
    esdk_enc_materials_release(s->enc_materials);
    esdk_dec_materials_release(s->dec_materials);
    esdk_parallel_release(s); /* its threads use the key */
    esdk_aead_key_release(s->key);
    esdk_hash_release(s->sig_hash);
    esdk_buf_release(&s->in_buf);
    esdk_buf_release(&s->out_buf);
    esdk_mem_release(s, sizeof *s);
}

int esdk_session_set_context(esdk_session *s, const esdk_enc_ctx *ctx)
{
    ESDK_ENSURE(s != NULL && ctx != NULL, ESDK_ERR_BAD_ARGUMENT);
    if (s->state != ST_START || s->header.suite) {
        return esdk_fail(ESDK_ERR_BAD_STATE, "the context must be set before processing");
    }
    esdk_enc_ctx *copy = NULL;
    ESDK_TRY(esdk_enc_ctx_clone(ctx, &copy));
    esdk_enc_ctx_release(s->ctx);
    s->ctx = copy;
    return 0;
}

int esdk_session_set_plaintext_length(esdk_session *s, uint64_t length)
{
    ESDK_ENSURE(s != NULL && s->mode == ESDK_MODE_ENCRYPT, ESDK_ERR_BAD_ARGUMENT);
    if (s->state != ST_START || s->header.suite) {
        return esdk_fail(ESDK_ERR_BAD_STATE, "the length must be set before processing");
    }
    s->plaintext_length = length;
    s->length_known = true;
    return 0;
}

int esdk_session_set_threads(esdk_session *s, unsigned threads)
{
    ESDK_ENSURE(s != NULL && threads <= ESDK_MAX_THREADS, ESDK_ERR_BAD_ARGUMENT);
    s->opts.threads = threads;
    return 0;
}

int esdk_session_fix_message_id(esdk_session *s, const uint8_t *id, size_t len)
{
    ESDK_ENSURE(
        s != NULL && id != NULL && len <= sizeof s->fixed_message_id, ESDK_ERR_BAD_ARGUMENT);
    memcpy(s->fixed_message_id, id, len);
    s->fixed_message_id_len = len;
    return 0;
}

int esdk_session_end_input(esdk_session *s)
{
    ESDK_ENSURE(s != NULL, ESDK_ERR_BAD_ARGUMENT);
    s->input_ended = true;
    return 0;
}

/* ---- staging ---- */

size_t esdk_session_staged(const esdk_session *s)
{
    return s->in_buf.len - s->in_off;
}

static int stage(esdk_session *s, session_io *io, size_t n)
{
    if (s->in_off && s->in_off == s->in_buf.len) {
        s->in_buf.len = 0;
        s->in_off = 0;
    } else if (s->in_off && s->in_buf.capacity - s->in_buf.len < n) {
        memmove(s->in_buf.data, s->in_buf.data + s->in_off, s->in_buf.len - s->in_off);
        s->in_buf.len -= s->in_off;
        s->in_off = 0;
    }
    ESDK_TRY(esdk_buf_append(&s->in_buf, io->in + io->in_used, n));
    io->in_used += n;
    return 0;
}

bool esdk_session_gather(esdk_session *s, session_io *io, size_t n, esdk_cur *view)
{
    size_t staged = esdk_session_staged(s);
    size_t avail = io->in_len - io->in_used;
    if (staged == 0 && avail >= n) {
        *view = esdk_cur_of(io->in + io->in_used, n);
        return true;
    }
    if (staged < n) {
        size_t take = n - staged < avail ? n - staged : avail;
        if (take && stage(s, io, take)) {
            return false;
        }
        staged += take;
    }
    if (staged < n) {
        return false;
    }
    *view = esdk_cur_of(s->in_buf.data + s->in_off, n);
    return true;
}

void esdk_session_consume(esdk_session *s, session_io *io, size_t n)
{
    size_t staged = esdk_session_staged(s);
    if (staged) {
        s->in_off += n; /* gather never mixes: staged bytes always cover the view */
        if (s->in_off == s->in_buf.len) {
            esdk_buf_clear(&s->in_buf);
            s->in_off = 0;
        }
    } else {
        io->in_used += n;
    }
}

int esdk_session_stage_input(esdk_session *s, session_io *io, size_t limit)
{
    size_t staged = esdk_session_staged(s);
    size_t avail = io->in_len - io->in_used;
    size_t room = limit > staged ? limit - staged : 0;
    size_t take = avail < room ? avail : room;
    return take ? stage(s, io, take) : 0;
}

/* ---- output ---- */

static size_t pending(const esdk_session *s)
{
    return s->out_buf.len - s->out_off;
}

int esdk_session_output(esdk_session *s, session_io *io, size_t n, uint8_t **where)
{
    if (pending(s) == 0 && !s->hold_output && io->out_cap - io->out_len >= n) {
        *where = io->out + io->out_len;
        io->out_len += n;
        if (s->mode != ESDK_MODE_ENCRYPT && !s->verified) {
            s->unverified += n;
        }
        return 0;
    }
    if (pending(s) == 0) {
        s->out_buf.len = 0;
        s->out_off = 0;
    }
    /* at least one byte, so that an empty frame still gets a non-NULL pointer */
    ESDK_TRY(esdk_buf_reserve(&s->out_buf, n ? n : 1));
    *where = s->out_buf.data + s->out_buf.len;
    s->out_buf.len += n;
    return 0;
}

bool esdk_session_wait_for_room(const esdk_session *s, const session_io *io, size_t n)
{
    return io->out_len > 0 && pending(s) == 0 && !s->hold_output && io->out_cap - io->out_len < n;
}

bool esdk_session_output_idle(const esdk_session *s)
{
    return pending(s) == 0 && !s->hold_output;
}

int esdk_session_emit(esdk_session *s, session_io *io, const uint8_t *data, size_t n)
{
    uint8_t *where;
    ESDK_TRY(esdk_session_output(s, io, n, &where));
    memcpy(where, data, n);
    return 0;
}

static void flush(esdk_session *s, session_io *io)
{
    size_t n = pending(s);
    size_t room = io->out_cap - io->out_len;
    if (s->hold_output || n == 0 || room == 0) {
        return; /* (out may be NULL when there is no room) */
    }
    n = n < room ? n : room;
    memcpy(io->out + io->out_len, s->out_buf.data + s->out_off, n);
    io->out_len += n;
    s->out_off += n;
    if (s->mode != ESDK_MODE_ENCRYPT && !s->verified) {
        s->unverified += n;
    }
    if (s->out_off == s->out_buf.len) {
        esdk_buf_clear(&s->out_buf);
        s->out_off = 0;
    }
}

/* ---- the loop ---- */

static int fail(esdk_session *s, int rc)
{
    s->state = ST_FAILED;
    s->error = rc;
    /* nothing unauthenticated or half-made may leave after a failure */
    esdk_buf_clear(&s->out_buf);
    s->out_off = 0;
    esdk_buf_clear(&s->in_buf);
    s->in_off = 0;
    return rc;
}

static int run(esdk_session *s, session_io *io)
{
    for (;;) {
        flush(s, io);
        if (pending(s) && !s->hold_output) {
            return 0; /* the caller must make room */
        }
        if (s->state == ST_DONE) {
            if (io->in_used < io->in_len || esdk_session_staged(s)) {
                return esdk_fail(ESDK_ERR_TRAILING_DATA, "bytes follow the end of the message");
            }
            return 0;
        }
        bool progress = false;
        int rc = s->mode == ESDK_MODE_ENCRYPT ? esdk_encrypt_step(s, io, &progress)
                                              : esdk_decrypt_step(s, io, &progress);
        if (rc) {
            return rc;
        }
        if (!progress) {
            break;
        }
    }
    if (s->mode != ESDK_MODE_ENCRYPT && s->input_ended && s->state != ST_DONE &&
        io->in_used == io->in_len) {
        return esdk_fail(ESDK_ERR_TRUNCATED, "the message ends before it is complete");
    }
    return 0;
}

int esdk_session_process(
    esdk_session *s,
    uint8_t *out,
    size_t out_capacity,
    size_t *out_len,
    const uint8_t *in,
    size_t in_len,
    size_t *in_used)
{
    if (out_len) {
        *out_len = 0;
    }
    if (in_used) {
        *in_used = 0;
    }
    ESDK_ENSURE(s != NULL && out_len != NULL && in_used != NULL, ESDK_ERR_BAD_ARGUMENT);
    ESDK_ENSURE(
        (out != NULL || out_capacity == 0) && (in != NULL || in_len == 0), ESDK_ERR_BAD_ARGUMENT);
    if (s->state == ST_FAILED) {
        return s->error;
    }
    /* never offset a NULL pointer, even by zero (undefined behaviour) */
    static const uint8_t no_bytes[1];
    static uint8_t no_room[1];
    session_io io = {out ? out : no_room, out_capacity, 0, in ? in : no_bytes, in_len, 0};
    int rc = run(s, &io);
    if (rc) {
        /* wipe what this call wrote: it may be unauthenticated */
        esdk_wipe(out, io.out_len);
        return fail(s, rc);
    }
    *out_len = io.out_len;
    *in_used = io.in_used;
    return 0;
}

/* ---- queries ---- */

bool esdk_session_is_done(const esdk_session *s)
{
    return s && s->state == ST_DONE && pending(s) == 0;
}

void esdk_session_estimate(const esdk_session *s, size_t *out_needed, size_t *in_needed)
{
    size_t frame = s && s->header.suite ? s->header.frame_length : s ? s->opts.frame_length : 0;
    size_t o = (s ? pending(s) : 0) + frame + 64;
    size_t i = frame + 64;
    if (s && s->state == ST_START) {
        o += 1024;
        i = s->mode == ESDK_MODE_ENCRYPT ? frame : 1024;
    }
    if (out_needed) {
        *out_needed = o;
    }
    if (in_needed) {
        *in_needed = (s && s->state == ST_DONE) ? 0 : i;
    }
}

bool esdk_session_has_header(const esdk_session *s)
{
    return s && s->header.suite && s->state != ST_START;
}

uint16_t esdk_session_suite(const esdk_session *s)
{
    return esdk_session_has_header(s) ? s->header.suite->id : 0;
}

uint32_t esdk_session_frame_length(const esdk_session *s)
{
    return esdk_session_has_header(s) ? s->header.frame_length : 0;
}

int esdk_session_message_id(const esdk_session *s, const uint8_t **id, size_t *len)
{
    ESDK_ENSURE(id != NULL && len != NULL, ESDK_ERR_BAD_ARGUMENT);
    if (!esdk_session_has_header(s)) {
        return esdk_fail(ESDK_ERR_BAD_STATE, "no header yet");
    }
    *id = s->header.message_id;
    *len = s->header.message_id_len;
    return 0;
}

const esdk_enc_ctx *esdk_session_header_context(const esdk_session *s)
{
    return esdk_session_has_header(s) ? s->header.context : NULL;
}

const esdk_edk_list *esdk_session_edks(const esdk_session *s)
{
    return esdk_session_has_header(s) ? s->header.edks : NULL;
}

int esdk_session_message_length(const esdk_session *s, uint64_t *length)
{
    ESDK_ENSURE(s != NULL && length != NULL, ESDK_ERR_BAD_ARGUMENT);
    if (s->mode != ESDK_MODE_ENCRYPT || !s->length_known || !esdk_session_has_header(s)) {
        return esdk_fail(ESDK_ERR_BAD_STATE, "the length is known once an encrypt header is");
    }
    /* spec-facts 1.11: k whole frames of F + 32 bytes, then a final frame of the rest + 40;
     * unframed: IV, length, content, tag */
    const esdk_header *h = &s->header;
    const uint64_t n = s->plaintext_length, f = h->frame_length;
    uint64_t body = n + 36;
    if (f) {
        const uint64_t k = n / f;
        body = k * (f + 32) + (n - k * f) + 40;
    }
    const uint64_t footer = h->suite->is_signed ? 2 + esdk_curve_fixed_sig_len(h->suite->curve) : 0;
    *length = h->total_len + body + footer;
    return 0;
}

uint64_t esdk_session_unverified_bytes(const esdk_session *s)
{
    return s ? s->unverified : 0;
}
