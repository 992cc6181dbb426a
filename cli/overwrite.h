/* Before an output file is written: the project's rule is that nothing is overwritten
 * unless asked. An existing output is an error by default; --overwrite replaces it;
 * --no-overwrite skips the input with a warning; --interactive asks on the terminal (no
 * terminal counts as no). An output that is the input itself is always an error. */
#ifndef CLI_OVERWRITE_H
#define CLI_OVERWRITE_H

#include <stdbool.h>

#include "args.h"
#include "log.h"
#include "plan.h"

#define CLI_OUTPUT_SKIP 1

/*
 * Decide for job (file outputs; stdout always proceeds) and create the output's missing
 * subdirectories in directory mode. Returns 0 to proceed (*replace: the rename may replace
 * an existing file), CLI_OUTPUT_SKIP (already reported), or an ESDK_ERR_* with err set.
 */
int cli_prepare_output(const cli_config *cfg, const cli_job *job, bool *replace, cli_err *err);

#endif
