/* Header authentication: AES-GCM over nothing, with AAD = header body || the serialized
 * authenticate-only (required) context pairs. */
#include <string.h>

#include <aws-esdk-c/error.h>

#include "common/buf.h"
#include "common/status.h"
#include "format/context.h"
#include "session/session.h"

/* last: poisons calls this library must not make */
#include "banned.h"

int esdk_header_auth_tag(
    esdk_aead_key *key,
    const uint8_t iv[ESDK_HEADER_IV_LEN],
    const uint8_t *body,
    size_t body_len,
    const esdk_enc_ctx *ctx,
    const char *const *required_keys,
    size_t required_count,
    bool legacy,
    uint8_t tag[ESDK_HEADER_TAG_LEN])
{
    esdk_buf aad = ESDK_BUF_INIT;
    int rc;
    ESDK_TRY_GOTO(rc, esdk_buf_append(&aad, body, body_len));
    if (required_count) {
        ESDK_TRY_GOTO(
            rc, esdk_enc_ctx_serialize_subset(ctx, required_keys, required_count, true, &aad));
    } else if (legacy) {
        /* .NET 4.0.0 wrote an empty pair count instead of nothing */
        ESDK_TRY_GOTO(rc, esdk_buf_append_be16(&aad, 0));
    }
    rc = esdk_aead_encrypt(key, iv, aad.data, aad.len, NULL, 0, NULL, tag);
cleanup:
    esdk_buf_release(&aad);
    return rc;
}
