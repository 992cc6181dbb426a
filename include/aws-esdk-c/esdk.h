/**
 * @file esdk.h
 * aws-esdk-c: client-side envelope encryption in the AWS Encryption SDK message format.
 * This umbrella header includes every public header.
 */
#ifndef ESDK_ESDK_H
#define ESDK_ESDK_H

#include <aws-esdk-c/allocator.h>
#include <aws-esdk-c/buffer.h>
#include <aws-esdk-c/cache.h>
#include <aws-esdk-c/client.h>
#include <aws-esdk-c/cmm.h>
#include <aws-esdk-c/cmm_required_context.h>
#include <aws-esdk-c/context.h>
#include <aws-esdk-c/error.h>
#include <aws-esdk-c/export.h>
#include <aws-esdk-c/keyring.h>
#include <aws-esdk-c/keyrings/hierarchy.h>
#include <aws-esdk-c/keyrings/kms.h>
#include <aws-esdk-c/keyrings/multi.h>
#include <aws-esdk-c/keyrings/pkcs11.h>
#include <aws-esdk-c/keyrings/raw_aes.h>
#include <aws-esdk-c/keyrings/raw_ecdh.h>
#include <aws-esdk-c/keyrings/raw_rsa.h>
#include <aws-esdk-c/materials.h>
#include <aws-esdk-c/options.h>
#include <aws-esdk-c/session.h>
#include <aws-esdk-c/suite.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * The library's version, e.g. "0.1.0" (the project version in CMakeLists.txt).
 * @return a static string (never NULL; do not free)
 */
ESDK_API const char *esdk_version(void);

#ifdef __cplusplus
}
#endif
#endif
