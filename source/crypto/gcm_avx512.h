/* AES-GCM (12-byte IV, 16-byte tag; 128/192/256-bit keys) on x86-64 CPUs with VAES,
 * VPCLMULQDQ and AVX-512 (Ice Lake and later Xeons, Zen 4): four blocks per instruction.
 * Used by aead.c when esdk_gcm512_available(); the tests hold it to the NIST vectors and to
 * mbedTLS on every length. The state is read-only after init, so threads may share it. */
#ifndef ESDK_CRYPTO_GCM_AVX512_H
#define ESDK_CRYPTO_GCM_AVX512_H

#include <stdalign.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct esdk_gcm512 {
    /* round keys, each repeated in the four 128-bit lanes of a 512-bit register */
    alignas(64) uint8_t rk[15][64];
    /* H^16 .. H^1 (in the bit order of RFC 8452's POLYVAL, see gcm_avx512.c), then four
     * zero blocks so that a load of four powers for a short tail stays inside the array */
    alignas(64) uint8_t hpow[20][16];
    unsigned rounds; /* 10, 12 or 14 */
} esdk_gcm512;

/* The CPU and the OS (AVX-512 state saved on context switches) support this code. */
bool esdk_gcm512_available(void);

/* Expand key (16, 24 or 32 bytes) into g. Call only when esdk_gcm512_available(). */
int esdk_gcm512_init(esdk_gcm512 *g, const uint8_t *key, size_t key_len);

/* Encrypt len bytes (in == out allowed; no partial overlap) and write the tag. */
void esdk_gcm512_encrypt(
    const esdk_gcm512 *g,
    const uint8_t iv[12],
    const uint8_t *aad,
    size_t aad_len,
    const uint8_t *in,
    size_t len,
    uint8_t *out,
    uint8_t tag[16]);

/* Decrypt len bytes (in == out allowed) and write the tag the ciphertext should carry: the
 * caller compares it (in constant time) and wipes out on a mismatch. */
void esdk_gcm512_decrypt(
    const esdk_gcm512 *g,
    const uint8_t iv[12],
    const uint8_t *aad,
    size_t aad_len,
    const uint8_t *in,
    size_t len,
    uint8_t *out,
    uint8_t tag[16]);

#endif
