/* Standard base64 through libsodium's constant-time codec. */
#include "crypto/base64.h"

#include <sodium.h>

#include <aws-esdk-c/error.h>

#include "banned.h"
#include "common/buf.h"
#include "common/status.h"
#include "crypto/random.h"

int esdk_base64_encode(const uint8_t *in, size_t len, esdk_buf *out)
{
    ESDK_TRY(esdk_crypto_init());
    const size_t n = sodium_base64_encoded_len(len, sodium_base64_VARIANT_ORIGINAL);
    ESDK_TRY(esdk_buf_reserve(out, n));
    sodium_bin2base64((char *)out->data + out->len, n, in, len, sodium_base64_VARIANT_ORIGINAL);
    out->len += n - 1; /* the terminating NUL stays after len */
    return 0;
}

int esdk_base64_decode(const char *text, size_t len, esdk_buf *out)
{
    ESDK_TRY(esdk_crypto_init());
    size_t bin_len = 0;
    const size_t cap = len / 4 * 3 + 3;
    ESDK_TRY(esdk_buf_reserve(out, cap));
    const char *end = NULL;
    if (sodium_base642bin(
            out->data + out->len,
            cap,
            text,
            len,
            " \t\r\n",
            &bin_len,
            &end,
            sodium_base64_VARIANT_ORIGINAL) != 0 ||
        end != text + len) {
        return esdk_fail(ESDK_ERR_BAD_ARGUMENT, "invalid base64 text");
    }
    out->len += bin_len;
    return 0;
}
