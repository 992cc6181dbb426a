/* The signing clock. */
#include "keyrings/kms/clock.h"

#include <stdatomic.h>

/* last: poisons calls this library must not make */
#include "banned.h"

static _Atomic int64_t offset_seconds;

time_t esdk_kms_now(void)
{
    return time(NULL) + (time_t)atomic_load(&offset_seconds);
}

void esdk_kms_clock_set_offset(int64_t seconds)
{
    atomic_store(&offset_seconds, seconds);
}
