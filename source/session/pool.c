/* The session's worker threads (see pool.h). */
#include "session/pool.h"

#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <time.h>

#include <aws-esdk-c/error.h>

#include "common/mem.h"
#include "common/status.h"

/* last: poisons calls this library must not make */
#include "banned.h"

#define NO_MORE 0xFFFFFFFFu /* ticket index that no claim accepts */
/* After a batch a worker watches for the next one this long before it sleeps: a streaming
 * caller comes back within microseconds, and waking a sleeping thread costs tens of them. */
#define SPIN_NS 100000

typedef struct worker {
    esdk_pool *pool;
    unsigned index; /* 1.. */
} pool_worker;

struct esdk_pool {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    /* the batch, under mu (the owner also reads them without it: only it writes them) */
    uint32_t gen;
    esdk_pool_fn fn;
    void *arg;
    size_t count;
    atomic_uchar *done;
    bool quit;
    bool failed; /* under mu, with err_rc and err_item */
    int err_rc;
    size_t err_item;

    _Atomic uint64_t ticket; /* gen << 32 | next unclaimed item */
    atomic_size_t finished;  /* items of this batch that ran */
    atomic_bool any_failed;  /* a cheap look at `failed` */
    size_t done_cap;         /* owner only */
    unsigned workers;
    unsigned started;
    pthread_t *threads;
    pool_worker *args;
};

/* Take the next item of batch gen, if there is one. */
static bool claim(esdk_pool *p, uint32_t gen, size_t count, size_t *item)
{
    uint64_t t = atomic_load_explicit(&p->ticket, memory_order_acquire);
    for (;;) {
        const uint64_t next = t & 0xFFFFFFFFu;
        if ((uint32_t)(t >> 32) != gen || next >= count ||
            atomic_load_explicit(&p->any_failed, memory_order_relaxed)) {
            return false;
        }
        if (atomic_compare_exchange_weak_explicit(
                &p->ticket, &t, t + 1, memory_order_acq_rel, memory_order_acquire)) {
            *item = (size_t)next;
            return true;
        }
    }
}

static void
run_item(esdk_pool *p, esdk_pool_fn fn, void *arg, atomic_uchar *done, unsigned worker, size_t item)
{
    const int rc = fn(arg, worker, item);
    if (rc) {
        pthread_mutex_lock(&p->mu);
        if (!p->failed || item < p->err_item) {
            p->failed = true;
            p->err_rc = rc;
            p->err_item = item;
        }
        pthread_mutex_unlock(&p->mu);
        atomic_store_explicit(&p->any_failed, true, memory_order_relaxed);
    }
    atomic_store_explicit(&done[item], 1, memory_order_release);
    atomic_fetch_add_explicit(&p->finished, 1, memory_order_acq_rel);
}

static void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
}

static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Watch the ticket for a batch newer than seen, for SPIN_NS at most. */
static void spin_for_next(const esdk_pool *p, uint32_t seen)
{
    const int64_t end = now_ns() + SPIN_NS;
    for (unsigned i = 1;; i++) {
        const uint64_t t = atomic_load_explicit(&p->ticket, memory_order_acquire);
        if ((uint32_t)(t >> 32) != seen || ((i & 63) == 0 && now_ns() > end)) {
            return;
        }
        cpu_relax();
    }
}

static void *worker_main(void *v)
{
    const pool_worker *w = v;
    esdk_pool *p = w->pool;
    uint32_t seen = 0;
    pthread_mutex_lock(&p->mu);
    for (;;) {
        if (p->gen == seen && !p->quit) {
            pthread_mutex_unlock(&p->mu);
            spin_for_next(p, seen);
            pthread_mutex_lock(&p->mu);
        }
        while (p->gen == seen && !p->quit) {
            pthread_cond_wait(&p->cv, &p->mu);
        }
        if (p->quit) {
            break;
        }
        seen = p->gen;
        const esdk_pool_fn fn = p->fn;
        void *const arg = p->arg;
        const size_t count = p->count;
        atomic_uchar *const done = p->done;
        pthread_mutex_unlock(&p->mu);
        size_t item;
        while (claim(p, seen, count, &item)) {
            run_item(p, fn, arg, done, w->index, item);
        }
        pthread_mutex_lock(&p->mu);
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

int esdk_pool_new(unsigned workers, esdk_pool **out)
{
    ESDK_ENSURE(out != NULL && workers > 0, ESDK_ERR_BAD_ARGUMENT);
    *out = NULL;
    esdk_pool *p = esdk_mem_acquire(sizeof *p);
    if (!p) {
        return esdk_fail(ESDK_ERR_NO_MEMORY, "cannot allocate a thread pool");
    }
    p->threads = esdk_mem_acquire(workers * sizeof *p->threads);
    p->args = esdk_mem_acquire(workers * sizeof *p->args);
    if (!p->threads || !p->args || pthread_mutex_init(&p->mu, NULL) != 0) {
        esdk_mem_release(p->threads, workers * sizeof *p->threads);
        esdk_mem_release(p->args, workers * sizeof *p->args);
        esdk_mem_release(p, sizeof *p);
        return esdk_fail(ESDK_ERR_NO_MEMORY, "cannot set up a thread pool");
    }
    if (pthread_cond_init(&p->cv, NULL) != 0) {
        pthread_mutex_destroy(&p->mu);
        esdk_mem_release(p->threads, workers * sizeof *p->threads);
        esdk_mem_release(p->args, workers * sizeof *p->args);
        esdk_mem_release(p, sizeof *p);
        return esdk_fail(ESDK_ERR_NO_MEMORY, "cannot set up a thread pool");
    }
    p->workers = workers;
    atomic_init(&p->ticket, (uint64_t)NO_MORE);
    atomic_init(&p->finished, 0);
    atomic_init(&p->any_failed, false);
    /* workers take no signals: those belong to the application's threads */
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    for (unsigned i = 0; i < workers; i++) {
        p->args[i].pool = p;
        p->args[i].index = i + 1;
        if (pthread_create(&p->threads[i], NULL, worker_main, &p->args[i]) != 0) {
            break;
        }
        p->started++;
    }
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (p->started < workers) {
        esdk_pool_release(p);
        return esdk_fail(ESDK_ERR_NO_MEMORY, "cannot start worker threads");
    }
    *out = p;
    return 0;
}

void esdk_pool_release(esdk_pool *p)
{
    if (!p) {
        return;
    }
    pthread_mutex_lock(&p->mu);
    p->quit = true;
    p->gen++; /* wakes spinning workers too */
    atomic_store_explicit(&p->ticket, ((uint64_t)p->gen << 32) | NO_MORE, memory_order_release);
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
    for (unsigned i = 0; i < p->started; i++) {
        pthread_join(p->threads[i], NULL);
    }
    pthread_cond_destroy(&p->cv);
    pthread_mutex_destroy(&p->mu);
    esdk_mem_release(p->done, p->done_cap * sizeof *p->done);
    esdk_mem_release(p->threads, p->workers * sizeof *p->threads);
    esdk_mem_release(p->args, p->workers * sizeof *p->args);
    esdk_mem_release(p, sizeof *p);
}

unsigned esdk_pool_threads(const esdk_pool *p)
{
    return p ? p->workers + 1 : 1;
}

int esdk_pool_start(esdk_pool *p, esdk_pool_fn fn, void *arg, size_t count)
{
    ESDK_ENSURE(p != NULL && fn != NULL && count < NO_MORE, ESDK_ERR_BAD_ARGUMENT);
    atomic_uchar *done = p->done;
    if (count > p->done_cap) {
        /* grows with the largest batch seen, not per batch; no worker holds the old array
         * (every item claimed so far has finished, and no claim of an old batch succeeds) */
        size_t cap = count < 64 ? 64 : count;
        done = esdk_mem_acquire(cap * sizeof *done);
        if (!done) {
            return esdk_fail(ESDK_ERR_NO_MEMORY, "cannot allocate %zu batch flags", cap);
        }
        esdk_mem_release(p->done, p->done_cap * sizeof *p->done);
        p->done_cap = cap;
    }
    for (size_t i = 0; i < count; i++) {
        atomic_store_explicit(&done[i], 0, memory_order_relaxed);
    }
    atomic_store_explicit(&p->finished, 0, memory_order_relaxed);
    atomic_store_explicit(&p->any_failed, false, memory_order_relaxed);
    pthread_mutex_lock(&p->mu);
    p->done = done;
    p->gen++;
    p->fn = fn;
    p->arg = arg;
    p->count = count;
    p->failed = false;
    atomic_store_explicit(&p->ticket, (uint64_t)p->gen << 32, memory_order_release);
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
    return 0;
}

bool esdk_pool_run_one(esdk_pool *p)
{
    size_t item;
    if (!claim(p, p->gen, p->count, &item)) {
        return false;
    }
    run_item(p, p->fn, p->arg, p->done, 0, item);
    return true;
}

bool esdk_pool_failed(const esdk_pool *p)
{
    return atomic_load_explicit(&p->any_failed, memory_order_relaxed);
}

bool esdk_pool_item_done(const esdk_pool *p, size_t item)
{
    return atomic_load_explicit(&p->done[item], memory_order_acquire) != 0;
}

int esdk_pool_finish(esdk_pool *p, size_t *failed_item)
{
    while (esdk_pool_run_one(p)) {
    }
    /* no claim succeeds after this; what was claimed runs to the end */
    const uint64_t closed = atomic_exchange_explicit(
        &p->ticket, ((uint64_t)p->gen << 32) | NO_MORE, memory_order_acq_rel);
    const size_t claimed = (size_t)(closed & 0xFFFFFFFFu);
    for (unsigned spins = 0; atomic_load_explicit(&p->finished, memory_order_acquire) < claimed;
         spins++) {
        if (spins > 64) {
            sched_yield(); /* a worker is mid-item (or was preempted) */
        }
    }
    pthread_mutex_lock(&p->mu);
    const int rc = p->failed ? p->err_rc : 0;
    if (failed_item) {
        *failed_item = p->failed ? p->err_item : 0;
    }
    pthread_mutex_unlock(&p->mu);
    return rc;
}
