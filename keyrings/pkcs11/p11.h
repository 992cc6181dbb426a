/* The one place that includes the PKCS#11 header (p11-kit's, OASIS names). */
#ifndef ESDK_KEYRINGS_PKCS11_P11_H
#define ESDK_KEYRINGS_PKCS11_P11_H

#include <p11-kit/pkcs11.h>

#endif
