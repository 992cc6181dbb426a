/* Included last in every library .c file (except common/allocator.c): calls that are wrong
 * in this library become compile errors. Secrets are compared with esdk_ct_equal, other
 * bytes with esdk_bytes_equal; memory comes from esdk_mem_acquire. */
#ifndef ESDK_BANNED_H
#define ESDK_BANNED_H
#pragma GCC poison memcmp malloc calloc realloc free strcpy strcat sprintf strdup
#endif
