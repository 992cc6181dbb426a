/* Internal status helpers: every fallible function returns int (0 ok, <0 ESDK_ERR_*);
 * parsers of streamed input may also return ESDK_NEED_MORE (positive, never public). */
#ifndef ESDK_COMMON_STATUS_H
#define ESDK_COMMON_STATUS_H

#include <aws-esdk-c/error.h>

/* Parsers: the input ends before the structure does; nothing was consumed. */
#define ESDK_NEED_MORE 1

/* Record a detail sentence (printf-style, never with secrets) and return code. */
int esdk_fail(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Propagate a failure (anything non-zero, so ESDK_NEED_MORE passes up too). */
#define ESDK_TRY(expr)                                                                             \
    do {                                                                                           \
        int esdk_try_rc_ = (expr);                                                                 \
        if (esdk_try_rc_ != 0) {                                                                   \
            return esdk_try_rc_;                                                                   \
        }                                                                                          \
    } while (0)

/* Assign to rc and jump to the function's single `cleanup:` label on failure. */
#define ESDK_TRY_GOTO(rc, expr)                                                                    \
    do {                                                                                           \
        (rc) = (expr);                                                                             \
        if ((rc) != 0) {                                                                           \
            goto cleanup;                                                                          \
        }                                                                                          \
    } while (0)

/* Fail with code and a detail naming the broken condition. */
#define ESDK_ENSURE(cond, code)                                                                    \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            return esdk_fail((code), "%s: check failed: %s", __func__, #cond);                     \
        }                                                                                          \
    } while (0)

#endif
