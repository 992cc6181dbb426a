/* Internal view of the cache handle: lets a built-in cache recognize its own handles. */
#ifndef ESDK_CMM_CACHE_HANDLE_H
#define ESDK_CMM_CACHE_HANDLE_H

#include <aws-esdk-c/cache.h>

/* The vtable a handle was made with (NULL for NULL). */
const esdk_cache_vtable *esdk_cache_vtable_of(const esdk_cache *cache);

#endif
