#include "crypto/secure_mem.h"

#include <sodium.h>

#include "crypto/random.h"

/* last: poisons calls this library must not make */
#include "banned.h"

void *esdk_secure_alloc(size_t size)
{
    if (esdk_crypto_init() != 0) {
        return NULL;
    }
    return sodium_malloc(size);
}

void esdk_secure_free(void *ptr)
{
    if (ptr) {
        sodium_free(ptr); /* wipes before unmapping */
    }
}
