/* Random bytes (libsodium's CSPRNG) and one-time library initialization. */
#ifndef ESDK_CRYPTO_RANDOM_H
#define ESDK_CRYPTO_RANDOM_H

#include <stddef.h>
#include <stdint.h>

/* Initialize libsodium once per process (thread-safe); 0 or ESDK_ERR_CRYPTO. */
int esdk_crypto_init(void);
int esdk_random_bytes(uint8_t *out, size_t len);

#endif
