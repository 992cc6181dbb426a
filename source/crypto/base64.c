/* Standard base64 (with padding) through libsodium's constant-time codec. Decoding skips
 * " \t\r\n" and refuses anything else. */
#include "crypto/base64.h"

#include <stdint.h>
#include <string.h>

#include <sodium.h>

#include <aws-esdk-c/error.h>

#include "common/buf.h"
#include "common/mem.h"
#include "common/status.h"
#include "crypto/random.h"

/* last: poisons calls this library must not make */
#include "banned.h"

int esdk_base64_encode(const uint8_t *in, size_t len, esdk_buf *out)
{
    static const uint8_t none[1] = {0};
    ESDK_ENSURE(out != NULL && (in != NULL || len == 0), ESDK_ERR_BAD_ARGUMENT);
    if (len > (SIZE_MAX - 2) / 4 * 3 - 3) {
        return esdk_fail(ESDK_ERR_LIMIT_EXCEEDED, "base64 input too long");
    }
    ESDK_TRY(esdk_crypto_init());
    /* includes the terminating NUL */
    const size_t n = sodium_base64_encoded_len(len, sodium_base64_VARIANT_ORIGINAL);
    ESDK_TRY(esdk_buf_reserve(out, n));
    sodium_bin2base64(
        (char *)out->data + out->len, n, in ? in : none, len, sodium_base64_VARIANT_ORIGINAL);
    out->len += n - 1; /* the NUL stays after len */
    return 0;
}

int esdk_base64_decode(const char *text, size_t len, esdk_buf *out)
{
    ESDK_ENSURE(out != NULL && (text != NULL || len == 0), ESDK_ERR_BAD_ARGUMENT);
    /* libsodium looks ignore characters up with strchr, which also matches a NUL byte */
    if (len && memchr(text, '\0', len) != NULL) {
        return esdk_fail(ESDK_ERR_BAD_ARGUMENT, "invalid base64 text (NUL byte)");
    }
    ESDK_TRY(esdk_crypto_init());
    const size_t cap = len / 4 * 3 + 3;
    ESDK_TRY(esdk_buf_reserve(out, cap));
    uint8_t *dst = out->data + out->len;
    const char *src = text ? text : "";
    size_t bin_len = 0;
    const char *end = NULL;
    if (sodium_base642bin(
            dst, cap, src, len, " \t\r\n", &bin_len, &end, sodium_base64_VARIANT_ORIGINAL) != 0 ||
        end != src + len) {
        esdk_wipe(dst, cap); /* the decoded prefix may be a secret */
        return esdk_fail(ESDK_ERR_BAD_ARGUMENT, "invalid base64 text");
    }
    out->len += bin_len;
    return 0;
}
