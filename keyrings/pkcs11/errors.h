/* CKR_* return values: names for error texts, and their ESDK_ERR_* code. */
#ifndef ESDK_KEYRINGS_PKCS11_ERRORS_H
#define ESDK_KEYRINGS_PKCS11_ERRORS_H

#include <stdbool.h>

#include "keyrings/pkcs11/p11.h"

/* "CKR_PIN_INCORRECT"; NULL for a value not in the table. */
const char *esdk_p11_rv_name(CK_RV rv);
/* The ESDK_ERR_* code for a failure (never 0; CKR_OK maps to ESDK_ERR_INTERNAL). */
int esdk_p11_code(CK_RV rv);
/* true when rv says the token, its session or its login is gone or refused (as opposed to a
 * failure of this one operation, such as a tag mismatch). */
bool esdk_p11_rv_is_backend(CK_RV rv);
/* esdk_fail(esdk_p11_code(rv), "<fmt>: CKR_NAME") and return that code. */
int esdk_p11_fail(CK_RV rv, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
