/* Error texts and the thread-local detail sentence. */
#include <stdarg.h>
#include <stdio.h>

#include <aws-esdk-c/error.h>

#include "common/status.h"

/* last: poisons calls this library must not make */
#include "banned.h"

static _Thread_local char detail[512];

struct error_text {
    int code;
    const char *name;
    const char *text;
};

static const struct error_text texts[] = {
    {ESDK_OK, "ESDK_OK", "success"},
    {ESDK_ERR_BAD_ARGUMENT, "ESDK_ERR_BAD_ARGUMENT", "bad argument"},
    {ESDK_ERR_BAD_STATE, "ESDK_ERR_BAD_STATE", "call not allowed in this state"},
    {ESDK_ERR_UNSUPPORTED, "ESDK_ERR_UNSUPPORTED", "unsupported feature or parameter"},
    {ESDK_ERR_BUFFER_TOO_SMALL, "ESDK_ERR_BUFFER_TOO_SMALL", "output buffer too small"},
    {ESDK_ERR_BAD_CIPHERTEXT, "ESDK_ERR_BAD_CIPHERTEXT", "malformed message"},
    {ESDK_ERR_TRUNCATED, "ESDK_ERR_TRUNCATED", "message truncated"},
    {ESDK_ERR_TRAILING_DATA, "ESDK_ERR_TRAILING_DATA", "bytes after the end of the message"},
    {ESDK_ERR_BAD_TAG, "ESDK_ERR_BAD_TAG", "authentication tag mismatch"},
    {ESDK_ERR_SIGNATURE_MISMATCH, "ESDK_ERR_SIGNATURE_MISMATCH", "signature verification failed"},
    {ESDK_ERR_COMMITMENT_MISMATCH, "ESDK_ERR_COMMITMENT_MISMATCH", "key commitment mismatch"},
    {ESDK_ERR_POLICY_VIOLATION,
     "ESDK_ERR_POLICY_VIOLATION",
     "algorithm suite not allowed by the commitment policy"},
    {ESDK_ERR_SIGNED_NOT_ALLOWED,
     "ESDK_ERR_SIGNED_NOT_ALLOWED",
     "signed message refused in decrypt-unsigned mode"},
    {ESDK_ERR_TOO_MANY_EDKS, "ESDK_ERR_TOO_MANY_EDKS", "too many encrypted data keys"},
    {ESDK_ERR_LIMIT_EXCEEDED, "ESDK_ERR_LIMIT_EXCEEDED", "configured limit exceeded"},
    {ESDK_ERR_CONTEXT_MISMATCH, "ESDK_ERR_CONTEXT_MISMATCH", "encryption context mismatch"},
    {ESDK_ERR_BAD_CONTEXT, "ESDK_ERR_BAD_CONTEXT", "invalid encryption context"},
    {ESDK_ERR_CANNOT_DECRYPT, "ESDK_ERR_CANNOT_DECRYPT", "no keyring could decrypt a data key"},
    {ESDK_ERR_KEYRING, "ESDK_ERR_KEYRING", "keyring failure"},
    {ESDK_ERR_BAD_KEY, "ESDK_ERR_BAD_KEY", "unusable key material"},
    {ESDK_ERR_UNAVAILABLE, "ESDK_ERR_UNAVAILABLE", "key backend unavailable"},
    {ESDK_ERR_ACCESS_DENIED, "ESDK_ERR_ACCESS_DENIED", "key backend denied access"},
    {ESDK_ERR_NO_MEMORY, "ESDK_ERR_NO_MEMORY", "out of memory"},
    {ESDK_ERR_CRYPTO, "ESDK_ERR_CRYPTO", "crypto backend failure"},
    {ESDK_ERR_RANDOM, "ESDK_ERR_RANDOM", "random generator failure"},
    {ESDK_ERR_IO, "ESDK_ERR_IO", "I/O error"},
    {ESDK_ERR_INTERNAL, "ESDK_ERR_INTERNAL", "internal error"},
};

static const struct error_text *find(int code)
{
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        if (texts[i].code == code) {
            return &texts[i];
        }
    }
    return NULL;
}

const char *esdk_strerror(int code)
{
    const struct error_text *t = find(code);
    return t ? t->text : "unknown error";
}

const char *esdk_error_name(int code)
{
    const struct error_text *t = find(code);
    return t ? t->name : "ESDK_ERR_UNKNOWN";
}

const char *esdk_last_error_detail(void)
{
    return detail;
}

void esdk_clear_error(void)
{
    detail[0] = '\0';
}

int esdk_fail(int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(detail, sizeof detail, fmt, ap);
    va_end(ap);
    return code;
}
