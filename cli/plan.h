/* From -i/-o to a list of (input, output) jobs: a file or stdin to a file, a directory or
 * stdout; a glob pattern or (with -r) a directory tree to an existing directory, whose
 * subdirectories are replicated. The whole list is made before anything is written, so
 * outputs never become inputs. */
#ifndef CLI_PLAN_H
#define CLI_PLAN_H

#include <stddef.h>
#include <sys/types.h>

#include "args.h"

typedef struct cli_job {
    char *input;    /* path or "-" */
    char *output;   /* path or "-" */
    char *out_root; /* directory mode: the -o directory (subdirectories below it are created) */
} cli_job;

typedef struct cli_plan {
    cli_job *jobs;
    size_t count;
    size_t cap;
    size_t failures; /* inputs refused while planning (already reported) */
} cli_plan;

/*
 * Plan the jobs. skip_dev/skip_ino name a file never to take as an input (the metadata file;
 * 0/0 for none). Returns 0, or -1 after printing why nothing can be done.
 */
int cli_plan_build(const cli_config *cfg, dev_t skip_dev, ino_t skip_ino, cli_plan *plan);
void cli_plan_free(cli_plan *plan);

/* The suffix in use (--suffix, else ".encrypted" / ".decrypted"). */
const char *cli_plan_suffix(const cli_config *cfg);

#endif
