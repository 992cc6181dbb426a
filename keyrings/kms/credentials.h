/* AWS credentials for one KMS call: provider callback, static, environment, shared files.
 * The strings live in ordinary memory and are wiped by esdk_kms_credentials_clear. */
#ifndef ESDK_KMS_CREDENTIALS_H
#define ESDK_KMS_CREDENTIALS_H

#include <aws-esdk-c/keyrings/kms.h>

struct esdk_kms_credentials {
    char *access_key_id;
    char *secret_access_key;
    char *session_token; /* NULL for long-term credentials */
    const char *source;  /* where they came from, for error texts ("environment", ...) */
};

#define ESDK_KMS_CREDENTIALS_INIT                                                                  \
    {                                                                                              \
        NULL, NULL, NULL, NULL                                                                     \
    }

/* Find credentials (order in keyrings/kms.h); ESDK_ERR_ACCESS_DENIED when there are none. */
int esdk_kms_credentials_resolve(const esdk_kms_options *opts, esdk_kms_credentials *out);
/* Wipe and release; the struct may be reused. */
void esdk_kms_credentials_clear(esdk_kms_credentials *creds);

#endif
