/* Random bytes and one-time initialization (source/crypto/random.c). */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <aws-esdk-c/error.h>

#include "crypto/random.h"

static void *init_from_thread(void *arg)
{
    (void)arg;
    return (void *)(intptr_t)esdk_crypto_init();
}

/* Initialization is safe to race and idempotent. */
static void test_init(void **state)
{
    (void)state;
    pthread_t t[8];
    for (int i = 0; i < 8; i++) {
        assert_int_equal(pthread_create(&t[i], NULL, init_from_thread, NULL), 0);
    }
    for (int i = 0; i < 8; i++) {
        void *rc;
        assert_int_equal(pthread_join(t[i], &rc), 0);
        assert_int_equal((int)(intptr_t)rc, 0);
    }
    assert_int_equal(esdk_crypto_init(), 0);
}

static void test_random_bytes(void **state)
{
    (void)state;
    uint8_t a[64], b[64];
    memset(a, 0, sizeof a);
    memset(b, 0, sizeof b);
    assert_int_equal(esdk_random_bytes(a, sizeof a), 0);
    assert_int_equal(esdk_random_bytes(b, sizeof b), 0);
    assert_memory_not_equal(a, b, sizeof a);
    /* 64 zero bytes from a working generator: probability 2^-512 */
    static const uint8_t zero[64];
    assert_memory_not_equal(a, zero, sizeof a);
    /* every byte value turns up in 64 KiB */
    static uint8_t big[65536];
    int seen[256] = {0};
    assert_int_equal(esdk_random_bytes(big, sizeof big), 0);
    for (size_t i = 0; i < sizeof big; i++) {
        seen[big[i]] = 1;
    }
    for (int v = 0; v < 256; v++) {
        assert_true(seen[v]);
    }
    assert_int_equal(esdk_random_bytes(NULL, 0), 0);
    assert_int_equal(esdk_random_bytes(NULL, 1), ESDK_ERR_BAD_ARGUMENT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_init),
        cmocka_unit_test(test_random_bytes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
