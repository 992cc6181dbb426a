/* The session's internal state, shared by session.c (API, loop, I/O), encrypt.c and
 * decrypt.c. */
#ifndef ESDK_SESSION_SESSION_H
#define ESDK_SESSION_SESSION_H

#include <aws-esdk-c/session.h>

#include "common/cursor.h"
#include "crypto/aead.h"
#include "crypto/hash.h"
#include "format/header.h"
#include "session/options.h"

typedef enum session_state {
    ST_START = 0, /* encrypt: nothing written; decrypt: reading the header */
    ST_BODY,      /* frames */
    ST_FOOTER,    /* encrypt: write, decrypt: read and verify the signature */
    ST_DONE,
    ST_FAILED,
} session_state;

/* The caller's buffers for one process call. */
typedef struct session_io {
    uint8_t *out;
    size_t out_cap;
    size_t out_len;
    const uint8_t *in;
    size_t in_len;
    size_t in_used;
} session_io;

struct esdk_session {
    esdk_mode mode;
    struct esdk_options opts;
    esdk_cmm *cmm;
    esdk_enc_ctx *ctx; /* encrypt: the context; decrypt: the reproduced context */
    uint64_t plaintext_length;
    bool length_known;
    bool input_ended;
    session_state state;
    int error;

    esdk_header header;
    esdk_enc_materials *enc_materials;
    esdk_dec_materials *dec_materials;
    esdk_aead_key *key;
    esdk_hash *sig_hash; /* signed suites: running hash of header and body */
    uint32_t seq;        /* next frame sequence number */
    uint64_t processed;  /* plaintext bytes encrypted or released */

    esdk_buf in_buf;  /* staged input (a header, a partial frame, plaintext) */
    size_t in_off;    /* consumed prefix of in_buf */
    esdk_buf out_buf; /* produced output not yet handed to the caller */
    size_t out_off;
    bool hold_output;       /* signed decrypt: final plaintext waits for the signature */
    size_t header_retry_at; /* decrypt: staged header bytes before the next parse attempt */
    bool verified;          /* decrypt: signature verified (or unsigned) */
    uint64_t unverified;

    /* parallel frames (parallel.c), set up on the first batch worth it */
    struct esdk_pool *pool;
    esdk_aead_key **keys; /* one per thread; keys[0] is key */
    unsigned nkeys;
    unsigned cores;           /* online cores, asked once */
    uint32_t no_batch_before; /* decrypt: frames already found too few for a batch */
    bool parallel_off;        /* threads could not be had: stay serial */

    uint8_t fixed_message_id[ESDK_MESSAGE_ID_LEN_V2]; /* tests only, see below */
    size_t fixed_message_id_len;
};

/* Tests only: encrypt writes this message id (16 bytes for v1 suites, 32 for v2) instead of
 * a random one, so that two encryptions of the same input with the same materials give the
 * same bytes. Before the first process call. */
int esdk_session_fix_message_id(esdk_session *s, const uint8_t *id, size_t len);

/* Input: make n contiguous bytes available (staged bytes first, then the caller's). */
bool esdk_session_gather(esdk_session *s, session_io *io, size_t n, esdk_cur *view);
/* Drop n bytes from the front of what gather returned. */
void esdk_session_consume(esdk_session *s, session_io *io, size_t n);
/* Stage all of the caller's remaining input, up to a total of limit staged bytes. */
int esdk_session_stage_input(esdk_session *s, session_io *io, size_t limit);
size_t esdk_session_staged(const esdk_session *s);
/* Output: space for n bytes, in the caller's buffer when possible (or the pending buffer). */
int esdk_session_output(esdk_session *s, session_io *io, size_t n, uint8_t **where);
/* Encrypt: true when n bytes of output should wait for the next call: this call already
 * handed the caller output, and the rest of its buffer is too small. The caller comes back
 * with fresh room, and the frame goes straight there instead of through the pending buffer
 * and a copy. (A buffer smaller than n from the start still gets n bytes through the pending
 * buffer.) Decrypt does not wait: how much a failing call withdraws stays under one buffer. */
bool esdk_session_wait_for_room(const esdk_session *s, const session_io *io, size_t n);
/* Nothing waits in the pending output and nothing is held: output may go straight to the
 * caller's buffer. */
bool esdk_session_output_idle(const esdk_session *s);
/* Output a copy of data. */
int esdk_session_emit(esdk_session *s, session_io *io, const uint8_t *data, size_t n);

/* One step of each direction: 0 with progress or nothing to do (*progress says), or error. */
int esdk_encrypt_step(esdk_session *s, session_io *io, bool *progress);
int esdk_decrypt_step(esdk_session *s, session_io *io, bool *progress);

/* Header authentication tag (spec-facts 1.5); required pairs are the authenticate-only
 * context; legacy: the .NET 4.0.0 variant. */
int esdk_header_auth_tag(
    esdk_aead_key *key,
    const uint8_t iv[ESDK_HEADER_IV_LEN],
    const uint8_t *body,
    size_t body_len,
    const esdk_enc_ctx *ctx,
    const char *const *required_keys,
    size_t required_count,
    bool legacy,
    uint8_t tag[ESDK_HEADER_TAG_LEN]);

#endif
