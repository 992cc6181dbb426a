/* Batches of frames on the session's worker threads (see parallel.h). */
#include "session/parallel.h"

#include <sched.h>
#include <unistd.h>

#include <aws-esdk-c/error.h>

#include "common/buf.h"
#include "common/mem.h"
#include "common/status.h"
#include "session/frame.h"
#include "session/pool.h"

/* last: poisons calls this library must not make */
#include "banned.h"

/* One batch: frame i reads in + i * in_step and writes out + i * out_step. */
typedef struct batch {
    esdk_session *s;
    const uint8_t *in;
    uint8_t *out;
    size_t frame;
    size_t in_step;
    size_t out_step;
    uint32_t first_seq;
} batch;

static int seal_item(void *arg, unsigned worker, size_t i)
{
    const batch *b = arg;
    return esdk_frame_seal(
        b->s->keys[worker],
        &b->s->header,
        ESDK_BODY_FRAME,
        b->first_seq + (uint32_t)i,
        b->in + i * b->in_step,
        b->frame,
        b->out + i * b->out_step);
}

static int open_item(void *arg, unsigned worker, size_t i)
{
    const batch *b = arg;
    const uint8_t *src = b->in + i * b->in_step;
    esdk_frame_header fh;
    /* the calling thread checked the sequence number and the kind before the batch */
    int rc = esdk_frame_header_parse(esdk_cur_of(src, b->in_step), b->frame, &fh);
    if (rc == 0 && (fh.kind != ESDK_BODY_FRAME || fh.seq != b->first_seq + (uint32_t)i)) {
        rc = ESDK_ERR_BAD_CIPHERTEXT;
    }
    return rc ? rc
              : esdk_frame_open(b->s->keys[worker], &b->s->header, &fh, src, b->out + i * b->frame);
}

/* ---- threads and keys ---- */

static unsigned wanted_threads(esdk_session *s)
{
    if (s->opts.threads) {
        return s->opts.threads;
    }
    if (s->cores == 0) {
        const long n = sysconf(_SC_NPROCESSORS_ONLN);
        s->cores = n < 1 ? 1 : n > (long)ESDK_MAX_THREADS ? ESDK_MAX_THREADS : (unsigned)n;
    }
    return s->cores;
}

static bool worth_it(esdk_session *s, size_t frames, size_t bytes, unsigned *threads)
{
    if (frames < 2 || s->parallel_off) {
        return false;
    }
    *threads = wanted_threads(s);
    if (*threads < 2) {
        return false;
    }
    if (s->opts.threads != 0) {
        return true; /* asked for */
    }
    /* automatic: batches big enough to repay handing them out (about a microsecond while the
     * workers spin), and threads started (tens of microseconds) only for a large message:
     * one core does several GB/s, so a small one is done before they would be */
    if (bytes < ESDK_PARALLEL_MIN_BYTES) {
        return false;
    }
    const uint64_t declared =
        s->mode == ESDK_MODE_ENCRYPT && s->length_known ? s->plaintext_length : 0;
    return s->pool || declared >= ESDK_PARALLEL_MIN_MESSAGE ||
           s->processed + bytes >= ESDK_PARALLEL_MIN_MESSAGE;
}

void esdk_parallel_release(esdk_session *s)
{
    esdk_pool_release(s->pool);
    s->pool = NULL;
    for (unsigned i = 1; i < s->nkeys; i++) {
        if (s->keys[i] != s->key) {
            esdk_aead_key_release(s->keys[i]);
        }
    }
    esdk_mem_release(s->keys, s->nkeys * sizeof *s->keys);
    s->keys = NULL;
    s->nkeys = 0;
}

/* The pool and one key per thread: the session's own where the key may be shared, clones
 * (mbedTLS keeps per-call state in its context) where not. */
static int setup(esdk_session *s, unsigned threads)
{
    if (s->pool && esdk_pool_threads(s->pool) == threads) {
        return 0;
    }
    esdk_parallel_release(s);
    s->keys = esdk_mem_acquire(threads * sizeof *s->keys);
    if (!s->keys) {
        return esdk_fail(ESDK_ERR_NO_MEMORY, "cannot allocate per-thread keys");
    }
    s->nkeys = threads;
    s->keys[0] = s->key;
    const bool share = esdk_aead_key_shareable(s->key);
    for (unsigned i = 1; i < threads; i++) {
        if (share) {
            s->keys[i] = s->key;
        } else {
            int rc = esdk_aead_key_clone(s->key, &s->keys[i]);
            if (rc) {
                esdk_parallel_release(s);
                return rc;
            }
        }
    }
    int rc = esdk_pool_new(threads - 1, &s->pool);
    if (rc) {
        esdk_parallel_release(s);
    }
    return rc;
}

/* Start the batch, or say (0 frames) that this session stays on one thread. */
static bool start(esdk_session *s, unsigned threads, esdk_pool_fn fn, batch *b, size_t n)
{
    if (setup(s, threads) != 0 || esdk_pool_start(s->pool, fn, b, n) != 0) {
        /* no threads to be had (or no memory for them): carry on serially for good */
        esdk_parallel_release(s);
        s->parallel_off = true;
        return false;
    }
    return true;
}

static int batch_failed(esdk_session *s, int rc, size_t item, const char *what)
{
    return esdk_fail(rc, "frame %u: %s (%s)", s->seq + (unsigned)item, what, esdk_strerror(rc));
}

/* ---- encrypt ---- */

/* Signed suites: hash the frames in order as they finish, working on frames meanwhile. */
static int hash_in_order(esdk_session *s, const batch *b, size_t n)
{
    size_t next = 0;
    while (next < n) {
        if (esdk_pool_item_done(s->pool, next)) {
            int rc = esdk_hash_update(s->sig_hash, b->out + next * b->out_step, b->out_step);
            if (rc) {
                return rc;
            }
            next++;
        } else if (!esdk_pool_run_one(s->pool)) {
            if (esdk_pool_failed(s->pool)) {
                return 0; /* esdk_pool_finish reports it */
            }
            sched_yield(); /* the next frame in order is on a worker */
        }
    }
    return 0;
}

int esdk_parallel_encrypt(esdk_session *s, session_io *io, size_t *frames)
{
    *frames = 0;
    const size_t frame = s->header.frame_length;
    if (frame == 0 || esdk_session_staged(s) || !esdk_session_output_idle(s)) {
        return 0;
    }
    const size_t step = frame + esdk_frame_overhead(ESDK_BODY_FRAME);
    size_t n = (io->in_len - io->in_used) / frame;
    const size_t room = (io->out_cap - io->out_len) / step;
    const size_t seqs = ESDK_FINAL_FRAME_MARKER - s->seq; /* regular frames left */
    n = n < room ? n : room;
    n = n < seqs ? n : seqs;
    unsigned threads;
    if (!worth_it(s, n, n * frame, &threads)) {
        return 0;
    }
    batch b = {s, io->in + io->in_used, io->out + io->out_len, frame, frame, step, s->seq};
    if (!start(s, threads, seal_item, &b, n)) {
        return 0;
    }
    int hrc = s->sig_hash ? hash_in_order(s, &b, n) : 0;
    size_t bad = 0;
    int rc = esdk_pool_finish(s->pool, &bad);
    if (rc || hrc) {
        esdk_wipe(b.out, n * step);
        return rc ? batch_failed(s, rc, bad, "encryption failed") : hrc;
    }
    io->in_used += n * frame;
    io->out_len += n * step;
    s->seq += (uint32_t)n;
    s->processed += n * frame;
    *frames = n;
    return 0;
}

/* ---- decrypt ---- */

int esdk_parallel_decrypt(esdk_session *s, session_io *io, size_t *frames)
{
    *frames = 0;
    const size_t frame = s->header.frame_length;
    if (frame == 0 || esdk_session_staged(s) || !esdk_session_output_idle(s)) {
        return 0;
    }
    const size_t step = frame + esdk_frame_overhead(ESDK_BODY_FRAME);
    const uint8_t *in = io->in + io->in_used;
    const size_t avail = io->in_len - io->in_used;
    const size_t room = (io->out_cap - io->out_len) / frame;
    const size_t seqs = ESDK_FINAL_FRAME_MARKER - s->seq; /* regular frames left */
    size_t n = avail / step;
    n = n < room ? n : room;
    n = n < seqs ? n : seqs;
    unsigned threads;
    /* first what the byte counts allow (free), then a look at the frames themselves */
    if (s->seq < s->no_batch_before || !worth_it(s, n, n * frame, &threads)) {
        return 0;
    }
    /* whole regular frames in sequence; anything else (the final frame, a gap) is left to
     * the one-frame path, which also reports what is wrong */
    size_t k = 0;
    while (k < n && esdk_load_be32(in + k * step) == s->seq + (uint32_t)k) {
        k++;
    }
    if (!worth_it(s, k, k * frame, &threads)) {
        /* not these k frames: they go one at a time without being looked at again */
        s->no_batch_before = s->seq + (uint32_t)k;
        return 0;
    }
    n = k;
    batch b = {s, in, io->out + io->out_len, frame, step, frame, s->seq};
    if (!start(s, threads, open_item, &b, n)) {
        return 0;
    }
    /* the signature covers the ciphertext: hash it while the workers decrypt */
    int hrc = s->sig_hash ? esdk_hash_update(s->sig_hash, in, n * step) : 0;
    size_t bad = 0;
    int rc = esdk_pool_finish(s->pool, &bad);
    if (rc || hrc) {
        /* nothing of a batch leaves unless all of it verified */
        esdk_wipe(b.out, n * frame);
        return rc ? batch_failed(s, rc, bad, "decryption failed") : hrc;
    }
    io->in_used += n * step;
    io->out_len += n * frame;
    s->seq += (uint32_t)n;
    s->processed += n * frame;
    if (!s->verified) {
        s->unverified += n * frame;
    }
    *frames = n;
    return 0;
}
