/* A small fork-join pool of worker threads owned by one session: the calling thread starts a
 * batch of numbered items, works on it too, and waits until every item ran. Items are
 * claimed one at a time (a compare-and-swap on a ticket carrying the batch number), so a
 * worker that wakes late never runs an item of a batch it did not see start. */
#ifndef ESDK_SESSION_POOL_H
#define ESDK_SESSION_POOL_H

#include <stdbool.h>
#include <stddef.h>

typedef struct esdk_pool esdk_pool;

/* Run item `item` of the current batch; worker 0 is the calling thread, 1..n the pool's. A
 * non-zero return is recorded (the lowest failing item wins) and stops further claims. */
typedef int (*esdk_pool_fn)(void *arg, unsigned worker, size_t item);

/* A pool with `workers` threads besides the caller's (at least 1). */
int esdk_pool_new(unsigned workers, esdk_pool **out);
/* Stop and join the threads (no batch may be running). NULL is ignored. */
void esdk_pool_release(esdk_pool *p);
/* Threads working on a batch: the pool's plus the caller's. */
unsigned esdk_pool_threads(const esdk_pool *p);

/* Start a batch of count items (count < 2^32). Only the thread that owns the pool calls
 * these four; the workers start at once. */
int esdk_pool_start(esdk_pool *p, esdk_pool_fn fn, void *arg, size_t count);
/* The caller runs one more unclaimed item; false when none is left (or an item failed). */
bool esdk_pool_run_one(esdk_pool *p);
/* An item of this batch failed (no more items are handed out). */
bool esdk_pool_failed(const esdk_pool *p);
/* Item `item` has finished (its writes are visible to the caller). */
bool esdk_pool_item_done(const esdk_pool *p, size_t item);
/* Run what is left, wait for the workers' items, end the batch. Returns the lowest failing
 * item's code (and *failed_item) or 0. */
int esdk_pool_finish(esdk_pool *p, size_t *failed_item);

#endif
