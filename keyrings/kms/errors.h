/* KMS error answers: the error name (as AWS's own parsers read it) and its ESDK_ERR_* code. */
#ifndef ESDK_KMS_ERRORS_H
#define ESDK_KMS_ERRORS_H

#include <stddef.h>

#include "keyrings/kms/http.h"

/* The error name of an answer: x-amzn-ErrorType, else "__type" or "code" in the JSON body,
 * without anything before '#' or after ':'; and its message ("message" or "Message"),
 * reduced to printable ASCII. Empty strings when absent. */
void esdk_kms_error_parse(
    const esdk_kms_http_response *resp,
    char *name,
    size_t name_cap,
    char *message,
    size_t message_cap);

/* The ESDK_ERR_* code for a failed KMS call. */
int esdk_kms_error_code(long status, const char *name);

#endif
