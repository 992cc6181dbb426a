/* One-shot encrypt and decrypt over the session. Decrypt hands out nothing unless the
 * whole message verified. */
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

/* Feed all of in, growing out, until the session is done. */
static int drive(esdk_session *s, const uint8_t *in, size_t in_len, esdk_buf *out, size_t hint)
{
    size_t used_total = 0;
    ESDK_TRY(esdk_buf_reserve(out, hint));
    ESDK_TRY(esdk_session_end_input(s));
    for (int rounds = 0; !esdk_session_is_done(s); rounds++) {
        size_t produced, used;
        if (out->capacity - out->len < 4096) {
            ESDK_TRY(esdk_buf_reserve(out, out->capacity));
        }
        ESDK_TRY(esdk_session_process(
            s,
            out->data + out->len,
            out->capacity - out->len,
            &produced,
            in + used_total,
            in_len - used_total,
            &used));
        out->len += produced;
        used_total += used;
        if (produced == 0 && used == 0 && rounds > 2 && !esdk_session_is_done(s)) {
            /* no progress with room to spare: the session is waiting for bytes that never come */
            if (out->capacity - out->len >= 4096) {
                return esdk_fail(ESDK_ERR_TRUNCATED, "the message ends before it is complete");
            }
        }
    }
    if (used_total != in_len) {
        return esdk_fail(ESDK_ERR_TRAILING_DATA, "bytes follow the end of the message");
    }
    return 0;
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
    ESDK_TRY(open_session(ESDK_MODE_ENCRYPT, opts, cmm, keyring, &s));
    int rc = context ? esdk_session_set_context(s, context) : 0;
    if (!rc) {
        rc = esdk_session_set_plaintext_length(s, plaintext_len);
    }
    if (!rc) {
        rc = drive(s, plaintext, plaintext_len, out, plaintext_len + plaintext_len / 64 + 8192);
    }
    esdk_session_release(s);
    if (rc) {
        esdk_wipe(out->data + start, out->len - start);
        out->len = start;
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
    ESDK_TRY(open_session(ESDK_MODE_DECRYPT, opts, cmm, keyring, &s));
    int rc = reproduced_context ? esdk_session_set_context(s, reproduced_context) : 0;
    if (!rc) {
        rc = drive(s, message, message_len, out, message_len);
    }
    if (!rc && header_context) {
        rc = esdk_enc_ctx_clone(esdk_session_header_context(s), header_context);
    }
    esdk_session_release(s);
    if (rc) {
        esdk_wipe(out->data + start, out->len - start);
        out->len = start;
    }
    return rc;
}
