/* The allocator hook: the only file that calls malloc and free. */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include <aws-esdk-c/allocator.h>

#include "common/mem.h"

static void *default_acquire(void *ctx, size_t size)
{
    (void)ctx;
    return malloc(size);
}

static void default_release(void *ctx, void *ptr, size_t size)
{
    (void)ctx;
    (void)size;
    free(ptr);
}

static const esdk_allocator default_allocator = {default_acquire, default_release, NULL};
static esdk_allocator current = {default_acquire, default_release, NULL};

void esdk_set_allocator(const esdk_allocator *allocator)
{
    current =
        (allocator && allocator->acquire && allocator->release) ? *allocator : default_allocator;
}

void *esdk_mem_acquire(size_t size)
{
    void *p = current.acquire(current.ctx, size ? size : 1);
    if (p) {
        memset(p, 0, size ? size : 1);
    }
    return p;
}

void *esdk_mem_acquire_uninit(size_t size)
{
    return current.acquire(current.ctx, size ? size : 1);
}

void esdk_mem_release(void *ptr, size_t size)
{
    if (ptr) {
        current.release(current.ctx, ptr, size ? size : 1);
    }
}

void esdk_mem_release_secret(void *ptr, size_t size)
{
    if (ptr) {
        sodium_memzero(ptr, size);
        current.release(current.ctx, ptr, size ? size : 1);
    }
}
