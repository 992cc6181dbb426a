/* One input through one session into one output: the streaming loop, the decrypt-side
 * encryption-context check, metadata and the failure line. */
#ifndef CLI_STREAM_H
#define CLI_STREAM_H

#include <sys/types.h>

#include <aws-esdk-c/esdk.h>

#include "args.h"
#include "metadata.h"
#include "plan.h"

typedef struct cli_runner {
    const cli_config *cfg;
    esdk_options *opts;
    esdk_cmm *cmm;
    esdk_enc_ctx *context; /* encrypt: the -c pairs (NULL when none) */
    cli_metadata *metadata;
    mode_t file_mode; /* mode of finished output files */
    uint8_t *in;
    uint8_t *out;
    size_t in_cap;
    size_t out_cap;
} cli_runner;

typedef enum cli_job_result {
    CLI_JOB_OK,
    CLI_JOB_SKIPPED,
    CLI_JOB_FAILED,
    CLI_JOB_CONTEXT_MISMATCH,
} cli_job_result;

int cli_runner_init(
    cli_runner *r, const cli_config *cfg, esdk_options *opts, esdk_cmm *cmm, cli_metadata *m);
void cli_runner_free(cli_runner *r);

/* Run one job; failures are reported on stderr (one line) before returning. */
cli_job_result cli_run_job(cli_runner *r, const cli_job *job);

#endif
