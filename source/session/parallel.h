/* Frames on several threads: when the caller's buffers hold several whole frames at once,
 * the session encrypts or decrypts them as one batch on its worker threads, straight from
 * the caller's input into the caller's output. Bytes are the same as one frame at a time
 * (IVs come from sequence numbers); signed suites hash in order on the calling thread while
 * the workers run AES-GCM; decrypt hands out a batch only after every tag in it verified. */
#ifndef ESDK_SESSION_PARALLEL_H
#define ESDK_SESSION_PARALLEL_H

#include <stddef.h>

#include "session/session.h"

/* Encrypt (decrypt) a batch if that is possible and worth it; *frames says how many frames
 * were done (0: go on one frame at a time). */
int esdk_parallel_encrypt(esdk_session *s, session_io *io, size_t *frames);
int esdk_parallel_decrypt(esdk_session *s, session_io *io, size_t *frames);
/* Stop the threads and free the per-thread keys (before the session's key goes). */
void esdk_parallel_release(esdk_session *s);

#endif
