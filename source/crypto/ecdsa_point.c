/* Compressed point decoding for the NIST curves (mbedTLS 2.28 cannot). All three have
 * p = 3 mod 4, so a square root of a is a^((p+1)/4) mod p. */
#include <mbedtls/bignum.h>

#include <aws-esdk-c/error.h>

#include "common/status.h"
#include "crypto/ecdsa_internal.h"

/* last: poisons calls this library must not make */
#include "banned.h"

#define MPI(call)                                                                                  \
    do {                                                                                           \
        if ((call) != 0) {                                                                         \
            goto cleanup;                                                                          \
        }                                                                                          \
    } while (0)

int esdk_ecp_decompress(
    const mbedtls_ecp_group *grp, const uint8_t *in, size_t len, mbedtls_ecp_point *out)
{
    const size_t plen = mbedtls_mpi_size(&grp->P);
    /* the square root below needs p = 3 mod 4 (true of P-256, P-384 and P-521) */
    if (plen == 0 || mbedtls_mpi_get_bit(&grp->P, 0) != 1 || mbedtls_mpi_get_bit(&grp->P, 1) != 1) {
        return esdk_fail(ESDK_ERR_UNSUPPORTED, "compressed points need p = 3 mod 4");
    }
    if (in == NULL || len != plen + 1 || (in[0] != 0x02 && in[0] != 0x03)) {
        return esdk_fail(ESDK_ERR_BAD_KEY, "not a compressed point for this curve");
    }
    mbedtls_mpi x, rhs, y, e, t;
    mbedtls_mpi_init(&x);
    mbedtls_mpi_init(&rhs);
    mbedtls_mpi_init(&y);
    mbedtls_mpi_init(&e);
    mbedtls_mpi_init(&t);
    int rc = ESDK_ERR_BAD_KEY;
    MPI(mbedtls_mpi_read_binary(&x, in + 1, plen));
    if (mbedtls_mpi_cmp_mpi(&x, &grp->P) >= 0) {
        goto cleanup;
    }
    /* rhs = x^3 + ax + b = (x^2 + a)x + b mod p; mbedTLS leaves grp->A empty for a = -3 */
    MPI(mbedtls_mpi_mul_mpi(&rhs, &x, &x));
    MPI(mbedtls_mpi_mod_mpi(&rhs, &rhs, &grp->P));
    if (grp->A.p == NULL) {
        MPI(mbedtls_mpi_sub_int(&rhs, &rhs, 3));
    } else {
        MPI(mbedtls_mpi_add_mpi(&rhs, &rhs, &grp->A));
    }
    MPI(mbedtls_mpi_mul_mpi(&rhs, &rhs, &x));
    MPI(mbedtls_mpi_add_mpi(&rhs, &rhs, &grp->B));
    MPI(mbedtls_mpi_mod_mpi(&rhs, &rhs, &grp->P));
    /* y = rhs^((p+1)/4): a square root of rhs when one exists */
    MPI(mbedtls_mpi_add_int(&e, &grp->P, 1));
    MPI(mbedtls_mpi_shift_r(&e, 2));
    MPI(mbedtls_mpi_exp_mod(&y, &rhs, &e, &grp->P, NULL));
    /* a square root exists only if y^2 == rhs: otherwise x is not on the curve */
    MPI(mbedtls_mpi_mul_mpi(&t, &y, &y));
    MPI(mbedtls_mpi_mod_mpi(&t, &t, &grp->P));
    if (mbedtls_mpi_cmp_mpi(&t, &rhs) != 0) {
        goto cleanup;
    }
    if (mbedtls_mpi_get_bit(&y, 0) != (int)(in[0] & 1)) {
        MPI(mbedtls_mpi_sub_mpi(&y, &grp->P, &y));
    }
    MPI(mbedtls_mpi_copy(&out->X, &x));
    MPI(mbedtls_mpi_copy(&out->Y, &y));
    MPI(mbedtls_mpi_lset(&out->Z, 1));
    if (mbedtls_ecp_check_pubkey(grp, out) == 0) {
        rc = 0;
    }
cleanup:
    mbedtls_mpi_free(&x);
    mbedtls_mpi_free(&rhs);
    mbedtls_mpi_free(&y);
    mbedtls_mpi_free(&e);
    mbedtls_mpi_free(&t);
    return rc ? esdk_fail(ESDK_ERR_BAD_KEY, "compressed point is not on the curve") : 0;
}
