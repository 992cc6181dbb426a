/* The time used to sign KMS requests, with an offset that tests set to produce expired
 * signatures (never set by the library itself). */
#ifndef ESDK_KMS_CLOCK_H
#define ESDK_KMS_CLOCK_H

#include <stdint.h>
#include <time.h>

time_t esdk_kms_now(void);
/* For tests: shift the signing clock by seconds (0 restores it). */
void esdk_kms_clock_set_offset(int64_t seconds);

#endif
