/* One-shot encrypt and decrypt over the session. Decrypt hands out nothing unless the
 * whole message verified. */
#include <stdbool.h>
#include <stdint.h>

#include <aws-esdk-c/client.h>
#include <aws-esdk-c/error.h>
#include <aws-esdk-c/session.h>

#include "common/buf.h"
#include "common/mem.h"
#include "common/status.h"

/* last: poisons calls this library must not make */
#include "banned.h"

static int open_session(
    esdk_mode mode,
    const esdk_options *opts,
    esdk_cmm *cmm,
    esdk_keyring *keyring,
    esdk_session **s)
{
    if ((cmm == NULL) == (keyring == NULL)) {
        return esdk_fail(ESDK_ERR_BAD_ARGUMENT, "give exactly one of a CMM and a keyring");
    }
    return cmm ? esdk_session_new(mode, opts, cmm, s)
               : esdk_session_new_with_keyring(mode, opts, keyring, s);
}

/* Room for at least extra more bytes; capacity at least doubles when it has to grow. */
static int grow(esdk_buf *out, size_t extra)
{
    return esdk_buf_reserve(out, extra > out->capacity ? extra : out->capacity);
}

/* Feed all of in until the session is done. out was sized by the caller to what the
 * message needs (so this is one process call and no copy); it grows only if a session
 * stops for lack of room. */
static int drive(esdk_session *s, const uint8_t *in, size_t in_len, esdk_buf *out)
{
    size_t used_total = 0;
    ESDK_TRY(esdk_session_end_input(s));
    while (!esdk_session_is_done(s)) {
        size_t produced = 0, used = 0;
        ESDK_TRY(esdk_session_process(
            s,
            out->data ? out->data + out->len : NULL,
            out->capacity - out->len,
            &produced,
            in ? in + used_total : NULL,
            in_len - used_total,
            &used));
        out->len += produced;
        used_total += used;
        if (!esdk_session_is_done(s) && produced == 0 && used == 0) {
            size_t out_needed = 0;
            esdk_session_estimate(s, &out_needed, NULL);
            if (out->capacity - out->len >= out_needed) {
                /* room to spare and no progress: waiting for bytes that never come */
                return esdk_fail(ESDK_ERR_TRUNCATED, "the message ends before it is complete");
            }
            ESDK_TRY(grow(out, out_needed));
        }
    }
    if (used_total != in_len) {
        return esdk_fail(ESDK_ERR_TRAILING_DATA, "bytes follow the end of the message");
    }
    return 0;
}

/* On failure: wipe what was written; if out had no storage before, free what we took. */
static void undo(esdk_buf *out, size_t start, bool had_storage)
{
    if (out->data) {
        esdk_wipe(out->data + start, out->len - start);
    }
    out->len = start;
    if (!had_storage) {
        esdk_buf_release(out);
    }
}

/* The header first (it holds the EDKs, so its size is known only now), then the output
 * sized exactly once: the fresh pages of a large buffer are the costly part. */
static int encrypt_all(esdk_session *s, const uint8_t *in, size_t in_len, esdk_buf *out)
{
    size_t produced = 0, used = 0;
    uint64_t total = 0;
    ESDK_TRY(esdk_session_process(s, NULL, 0, &produced, NULL, 0, &used));
    ESDK_TRY(esdk_session_message_length(s, &total));
    if (total > SIZE_MAX - out->len) {
        return esdk_fail(ESDK_ERR_NO_MEMORY, "a %llu-byte message", (unsigned long long)total);
    }
    ESDK_TRY(esdk_buf_reserve(out, (size_t)total));
    return drive(s, in, in_len, out);
}

int esdk_encrypt(
    const esdk_options *opts,
    esdk_cmm *cmm,
    esdk_keyring *keyring,
    const esdk_enc_ctx *context,
    const uint8_t *plaintext,
    size_t plaintext_len,
    esdk_buf *out)
{
    ESDK_ENSURE(out != NULL && (plaintext != NULL || plaintext_len == 0), ESDK_ERR_BAD_ARGUMENT);
    esdk_session *s = NULL;
    const size_t start = out->len;
    const bool had_storage = out->data != NULL;
    ESDK_TRY(open_session(ESDK_MODE_ENCRYPT, opts, cmm, keyring, &s));
    int rc = context ? esdk_session_set_context(s, context) : 0;
    if (!rc) {
        rc = esdk_session_set_plaintext_length(s, plaintext_len);
    }
    if (!rc) {
        rc = encrypt_all(s, plaintext, plaintext_len, out);
    }
    esdk_session_release(s);
    if (rc) {
        undo(out, start, had_storage);
    }
    return rc;
}

int esdk_decrypt(
    const esdk_options *opts,
    esdk_cmm *cmm,
    esdk_keyring *keyring,
    const esdk_enc_ctx *reproduced_context,
    const uint8_t *message,
    size_t message_len,
    esdk_buf *out,
    esdk_enc_ctx **header_context)
{
    ESDK_ENSURE(out != NULL && (message != NULL || message_len == 0), ESDK_ERR_BAD_ARGUMENT);
    esdk_session *s = NULL;
    const size_t start = out->len;
    const bool had_storage = out->data != NULL;
    ESDK_TRY(open_session(ESDK_MODE_DECRYPT, opts, cmm, keyring, &s));
    int rc = reproduced_context ? esdk_session_set_context(s, reproduced_context) : 0;
    if (!rc) {
        /* the plaintext is shorter than the message: one allocation, no growth */
        rc = esdk_buf_reserve(out, message_len);
    }
    if (!rc) {
        rc = drive(s, message, message_len, out);
    }
    if (!rc && header_context) {
        rc = esdk_enc_ctx_clone(esdk_session_header_context(s), header_context);
    }
    esdk_session_release(s);
    if (rc) {
        undo(out, start, had_storage);
    }
    return rc;
}
