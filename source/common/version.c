/* The version, set in CMakeLists.txt only. */
#include <aws-esdk-c/esdk.h>

#include "banned.h"

const char *esdk_version(void)
{
    return ESDK_VERSION_STRING;
}
