/**
 * @file error.h
 * Error codes. Every fallible call returns 0 on success or a negative ESDK_ERR_* code.
 * esdk_strerror() gives a stable text for a code; esdk_last_error_detail() a sentence
 * about the last failure on this thread. Neither ever contains key material.
 */
#ifndef ESDK_ERROR_H
#define ESDK_ERROR_H

#include <aws-esdk-c/export.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Error codes. Every fallible call returns ESDK_OK (0) or one of the negative codes below;
 * values never change once released. Codes are grouped: -1..-9 the caller broke a contract,
 * -10..-29 the message was refused, -30..-39 keys and key providers, -40..-99 the environment.
 */
enum esdk_error {
    ESDK_OK = 0, /**< success */
    /* the caller broke a contract */
    ESDK_ERR_BAD_ARGUMENT = -1,     /**< an argument is NULL, out of range or malformed */
    ESDK_ERR_BAD_STATE = -2,        /**< the call is not allowed in the object's state */
    ESDK_ERR_UNSUPPORTED = -3,      /**< a feature or parameter this build does not support */
    ESDK_ERR_BUFFER_TOO_SMALL = -4, /**< an output buffer is too small */
    /* the message was refused */
    ESDK_ERR_BAD_CIPHERTEXT = -10,      /**< malformed message (bad field, version, suite...) */
    ESDK_ERR_TRUNCATED = -11,           /**< the message ended early */
    ESDK_ERR_TRAILING_DATA = -12,       /**< bytes after the end of a complete message */
    ESDK_ERR_BAD_TAG = -13,             /**< header or frame authentication failed */
    ESDK_ERR_SIGNATURE_MISMATCH = -14,  /**< the footer signature did not verify */
    ESDK_ERR_COMMITMENT_MISMATCH = -15, /**< the key commitment did not match */
    ESDK_ERR_POLICY_VIOLATION = -16,    /**< the commitment policy forbids this suite */
    ESDK_ERR_SIGNED_NOT_ALLOWED = -17,  /**< a signed message in decrypt-unsigned mode */
    ESDK_ERR_TOO_MANY_EDKS = -18,       /**< more encrypted data keys than allowed */
    ESDK_ERR_LIMIT_EXCEEDED = -19,      /**< a configured size limit was exceeded */
    ESDK_ERR_CONTEXT_MISMATCH = -20,    /**< the encryption context does not match */
    ESDK_ERR_BAD_CONTEXT = -21,         /**< invalid context (reserved key, bad UTF-8, ...) */
    /* keys and key providers */
    ESDK_ERR_CANNOT_DECRYPT = -30, /**< no keyring could decrypt any data key */
    ESDK_ERR_KEYRING = -31,        /**< a keyring or its backend failed (HSM, KMS, ...) */
    ESDK_ERR_BAD_KEY = -32,        /**< unusable key material (size, PEM, DER, curve) */
    ESDK_ERR_UNAVAILABLE = -33,    /**< a backend cannot be reached (module, token, endpoint) */
    ESDK_ERR_ACCESS_DENIED = -34,  /**< a backend refused the credentials or PIN */
    /* environment */
    ESDK_ERR_NO_MEMORY = -40, /**< an allocation failed */
    ESDK_ERR_CRYPTO = -41,    /**< the crypto backend failed unexpectedly */
    ESDK_ERR_RANDOM = -42,    /**< the random generator failed */
    ESDK_ERR_IO = -43,        /**< reading or writing a file failed */
    ESDK_ERR_INTERNAL = -99,  /**< an internal invariant was violated (a bug) */
};

/**
 * A stable, short English text for an error code, e.g. "header or frame authentication
 * failed". Thread-safe.
 * @param code an ESDK_ERR_* code (or 0); unknown codes give "unknown error"
 * @return a static string (never NULL; do not free)
 */
ESDK_API const char *esdk_strerror(int code);

/**
 * The stable symbolic name of a code, e.g. "ESDK_ERR_BAD_TAG". Thread-safe.
 * @param code an ESDK_ERR_* code (or 0)
 * @return a static string (never NULL; do not free)
 */
ESDK_API const char *esdk_error_name(int code);

/**
 * A sentence about the most recent failure on the calling thread, e.g. "keyring raw-aes could
 * not decrypt any data key", or "" when none was recorded. The text never contains key
 * material, plaintext, PINs or credentials; it may name keys, files, tokens and endpoints.
 * Successful calls do not clear it: read it right after the call that failed.
 * @return a thread-local string (never NULL; do not free), valid until the next library call
 *         on this thread
 */
ESDK_API const char *esdk_last_error_detail(void);

/** Forget the calling thread's detail text (esdk_last_error_detail() then returns ""). */
ESDK_API void esdk_clear_error(void);

/**
 * Record a detail sentence for the calling thread and return code: for application keyrings,
 * CMMs and caches, so that their failures read like the built-in ones, e.g.
 * `return esdk_set_error(ESDK_ERR_UNAVAILABLE, "region %s unreachable", r);`
 * @param code the code to return (a negative ESDK_ERR_* code)
 * @param fmt printf-style format (borrowed); never put secrets in it. The text is cut at 511
 *        bytes.
 * @return code
 */
ESDK_API int esdk_set_error(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#ifdef __cplusplus
}
#endif
#endif
