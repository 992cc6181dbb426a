/* Allocation through the application's allocator (allocator.h), and byte helpers. */
#ifndef ESDK_COMMON_MEM_H
#define ESDK_COMMON_MEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Zeroed memory, or NULL. */
void *esdk_mem_acquire(size_t size);
/* Memory with unspecified contents (large buffers that are written before read). */
void *esdk_mem_acquire_uninit(size_t size);
/* Release memory from esdk_mem_acquire (NULL is ignored). */
void esdk_mem_release(void *ptr, size_t size);
/* Wipe, then release: for anything that held a secret or plaintext. */
void esdk_mem_release_secret(void *ptr, size_t size);
/* A copy of a NUL-terminated string (release with esdk_str_release). */
char *esdk_str_copy(const char *s);
/* A NUL-terminated copy of len bytes. */
char *esdk_str_copy_n(const uint8_t *s, size_t len);
void esdk_str_release(char *s);
/* A copy of len bytes (len may be 0: returns a valid 1-byte block). */
uint8_t *esdk_bytes_copy(const uint8_t *p, size_t len);

/* Wipe memory so that the compiler cannot drop it (sodium_memzero). */
void esdk_wipe(void *ptr, size_t len);
/* Constant-time equality of two secret byte strings of the same length. */
bool esdk_ct_equal(const void *a, const void *b, size_t len);
/* Equality of public byte strings (lengths compared first). */
bool esdk_bytes_equal(const void *a, size_t a_len, const void *b, size_t b_len);
/* Unsigned lexicographic order, a proper prefix first: <0, 0, >0. */
int esdk_bytes_compare(const void *a, size_t a_len, const void *b, size_t b_len);

#endif
