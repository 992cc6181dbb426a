/* libFuzzer: encryption-context parsing. A parsed context re-serializes to a valid
 * context that parses to the same number of pairs. */
#include <stdint.h>
#include <stdlib.h>

#include "common/buf.h"
#include "format/context.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    esdk_enc_ctx *ctx = NULL, *again = NULL;
    if (esdk_enc_ctx_parse(esdk_cur_of(data, size), &ctx) != 0) {
        return 0;
    }
    esdk_buf out = ESDK_BUF_INIT;
    if (esdk_enc_ctx_serialize(ctx, &out) != 0 ||
        esdk_enc_ctx_parse(esdk_cur_of(out.data, out.len), &again) != 0 ||
        esdk_enc_ctx_count(again) != esdk_enc_ctx_count(ctx) || out.len != size) {
        abort();
    }
    esdk_buf_release(&out);
    esdk_enc_ctx_release(ctx);
    esdk_enc_ctx_release(again);
    return 0;
}
