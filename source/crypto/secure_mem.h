/* Guarded, locked memory for long-lived secrets (a keyring's wrapping key). sodium_malloc
 * costs ~20 us and only ~16k blocks can be live: never use it per message. */
#ifndef ESDK_CRYPTO_SECURE_MEM_H
#define ESDK_CRYPTO_SECURE_MEM_H

#include <stddef.h>

/* NULL on failure. The block is read-write. */
void *esdk_secure_alloc(size_t size);
/* Wipe and free (NULL ignored). */
void esdk_secure_free(void *ptr);

#endif
