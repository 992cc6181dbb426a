/* Inside the crypto layer only: the EC key struct and point helpers. */
#ifndef ESDK_CRYPTO_ECDSA_INTERNAL_H
#define ESDK_CRYPTO_ECDSA_INTERNAL_H

#include <stdbool.h>

#include <mbedtls/ecp.h>

#include "crypto/ecdsa.h"

struct esdk_sig_key {
    esdk_curve curve;
    mbedtls_ecp_keypair kp;
    bool has_private;
};

/* libsodium's CSPRNG in mbedTLS's f_rng shape. */
int esdk_ecp_rng(void *ctx, unsigned char *out, size_t len);
mbedtls_ecp_group_id esdk_curve_group(esdk_curve curve);
/* Read a SEC1 compressed point (02|03 || X) and check it is on the curve. */
int esdk_ecp_decompress(
    const mbedtls_ecp_group *grp, const uint8_t *in, size_t len, mbedtls_ecp_point *out);

#endif
