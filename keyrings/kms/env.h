/* Environment variables as the AWS SDKs read them: an empty value counts as unset. */
#ifndef ESDK_KMS_ENV_H
#define ESDK_KMS_ENV_H

#include <stdlib.h>

static inline const char *esdk_kms_env(const char *name)
{
    const char *v = getenv(name);
    return v && v[0] ? v : NULL;
}

#endif
