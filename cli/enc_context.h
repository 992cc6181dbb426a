/* -c/--encryption-context: the context bound on encrypt, and the check on decrypt. */
#ifndef CLI_ENC_CONTEXT_H
#define CLI_ENC_CONTEXT_H

#include <stddef.h>

#include <aws-esdk-c/esdk.h>

#include "kv.h"
#include "log.h"

/* Encrypt: the pairs as a context (NULL-free even when there are none). */
int cli_context_build(const cli_kv_list *pairs, esdk_enc_ctx **out, cli_err *err);

/* What a decrypt check found missing (borrowed from the -c list). */
typedef struct cli_ctx_mismatch {
    const cli_kv **missing_keys; /* bare keys absent from the message */
    size_t missing_key_count;
    const cli_kv **missing_pairs; /* pairs absent or with another value */
    size_t missing_pair_count;
} cli_ctx_mismatch;

/*
 * Decrypt: every pair of want must be in have with the same value, every bare key present.
 * Returns 0, or ESDK_ERR_CONTEXT_MISMATCH with mm filled and err naming what differs.
 */
int cli_context_check(
    const cli_kv_list *want, const esdk_enc_ctx *have, cli_ctx_mismatch *mm, cli_err *err);
void cli_ctx_mismatch_free(cli_ctx_mismatch *mm);

#endif
