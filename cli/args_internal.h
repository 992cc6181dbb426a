/* Shared by the parser (args.c) and the checks (args_check.c). */
#ifndef CLI_ARGS_INTERNAL_H
#define CLI_ARGS_INTERNAL_H

#include "args.h"

enum opt_id {
    OPT_ENCRYPT,
    OPT_DECRYPT,
    OPT_DECRYPT_UNSIGNED,
    OPT_INPUT,
    OPT_OUTPUT,
    OPT_RECURSIVE,
    OPT_SUFFIX,
    OPT_INTERACTIVE,
    OPT_NO_OVERWRITE,
    OPT_OVERWRITE,
    OPT_WRAPPING_KEYS,
    OPT_CONTEXT,
    OPT_ALGORITHM,
    OPT_FRAME_LENGTH,
    OPT_MAX_LENGTH,
    OPT_COMMITMENT_POLICY,
    OPT_MAX_EDKS,
    OPT_BUFFER,
    OPT_ENCODE,
    OPT_DECODE,
    OPT_CACHING,
    OPT_METADATA_OUTPUT,
    OPT_SUPPRESS_METADATA,
    OPT_OVERWRITE_METADATA,
    OPT_VERBOSE,
    OPT_QUIET,
    OPT_VERSION,
    OPT_HELP,
    OPT_COUNT
};

/* What the parser saw, before the checks between options. */
typedef struct seen {
    unsigned count[OPT_COUNT];
    const char *value[OPT_COUNT]; /* ONE / OPTIONAL values */
    int verbosity;
} seen;

/* Check what was seen and fill cfg; CLI_EXIT_OK or CLI_EXIT_USAGE after printing. */
int cli_args_check(cli_config *cfg, const seen *s);

#endif
