/* Helpers shared by the unit tests: keyrings for tests, file reading, base64. */
#ifndef ESDK_TEST_SUPPORT_H
#define ESDK_TEST_SUPPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <aws-esdk-c/esdk.h>

/* A keyring that hands out one fixed data key (all zero when key is NULL) for any EDK, and
 * on encrypt adds one EDK ("test-fixed"). Counts its calls. */
typedef struct fixed_keyring_state {
    uint8_t key[32];
    bool zero;
    int encrypt_calls;
    int decrypt_calls;
} fixed_keyring_state;

esdk_keyring *test_fixed_keyring(const uint8_t *key, fixed_keyring_state **state);
/* A raw AES-256 keyring with a fixed test key (byte i = i + seed). */
esdk_keyring *test_raw_aes_keyring(uint8_t seed);
/* Read a whole file; NULL if it cannot be read. Free with free(). */
uint8_t *test_read_file(const char *path, size_t *len);
/* Decode base64 into a new malloc'd buffer. */
uint8_t *test_base64(const char *text, size_t *len);
/* Whether the shared test data folder exists. */
bool test_shared_dir_exists(void);
/* Deterministic bytes. */
void test_fill(uint8_t *p, size_t n, uint32_t seed);

#endif
