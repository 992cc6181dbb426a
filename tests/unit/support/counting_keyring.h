/* A keyring that forwards to another and counts the calls (atomically: the thread tests
 * call it from several threads). Used by the caching tests to count cache misses. */
#ifndef ESDK_TEST_COUNTING_KEYRING_H
#define ESDK_TEST_COUNTING_KEYRING_H

#include <stdatomic.h>

#include <aws-esdk-c/esdk.h>

typedef struct counting_state {
    esdk_keyring *inner;
    atomic_int encrypt_calls;
    atomic_int decrypt_calls;
} counting_state;

/* Wraps inner (the new keyring takes over the caller's reference). NULL on failure. */
esdk_keyring *test_counting_keyring(esdk_keyring *inner, counting_state **state);

#endif
