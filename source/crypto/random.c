/* libsodium initialization and its CSPRNG. */
#include "crypto/random.h"

#include <pthread.h>

#include <sodium.h>

#include <aws-esdk-c/error.h>

#include "common/status.h"

/* last: poisons calls this library must not make */
#include "banned.h"

static pthread_once_t once = PTHREAD_ONCE_INIT;
static int init_result = -1;

static void init_once(void)
{
    /* 0: initialized now, 1: already initialized (by the application), -1: failure */
    init_result = sodium_init() < 0 ? -1 : 0;
}

int esdk_crypto_init(void)
{
    pthread_once(&once, init_once);
    return init_result == 0 ? 0 : esdk_fail(ESDK_ERR_CRYPTO, "libsodium failed to initialize");
}

int esdk_random_bytes(uint8_t *out, size_t len)
{
    ESDK_ENSURE(out != NULL || len == 0, ESDK_ERR_BAD_ARGUMENT);
    ESDK_TRY(esdk_crypto_init());
    if (len) {
        randombytes_buf(out, len);
    }
    return 0;
}
