/* The command line, parsed and checked into a cli_config. */
#ifndef CLI_ARGS_H
#define CLI_ARGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <aws-esdk-c/esdk.h>

#include "kv.h"

/* Exit statuses. */
#define CLI_EXIT_OK               0
#define CLI_EXIT_FAILURE          1
#define CLI_EXIT_USAGE            2
#define CLI_EXIT_CONTEXT_MISMATCH 3

/* What to do when an output file exists. */
typedef enum cli_overwrite {
    CLI_OVERWRITE_REFUSE = 0, /* default: an error for that input */
    CLI_OVERWRITE_ALLOW,      /* --overwrite */
    CLI_OVERWRITE_SKIP,       /* --no-overwrite: skip the input with a warning */
    CLI_OVERWRITE_ASK,        /* --interactive: ask on the terminal; no terminal = no */
} cli_overwrite;

typedef struct cli_config {
    esdk_mode mode;
    const char *input;  /* path, glob pattern or "-" */
    const char *output; /* path, directory or "-" */
    bool recursive;
    const char *suffix; /* NULL: ".encrypted" / ".decrypted" */
    cli_overwrite overwrite;

    cli_kv_list *wrapping_keys; /* one list per -w */
    size_t wrapping_key_count;
    cli_kv_list context; /* -c: pairs (and, on decrypt, bare keys) */

    uint16_t suite; /* 0 = the policy's default */
    bool frame_length_set;
    uint32_t frame_length;
    uint64_t max_length; /* 0 = no limit */
    esdk_commitment_policy policy;
    size_t max_edks; /* 0 = no limit */

    bool buffer;
    bool encode;
    bool decode;
    bool caching_set;
    cli_kv_list caching;

    const char *metadata_output; /* NULL = none */
    bool overwrite_metadata;

    char **expanded; /* the argument vector after @file expansion (owned) */
    int expanded_count;
} cli_config;

/*
 * Parse argv. Returns CLI_EXIT_OK with *done false when cfg is ready to run; CLI_EXIT_OK with
 * *done true after --help or --version; CLI_EXIT_USAGE after printing a usage error.
 */
int cli_args_parse(int argc, char **argv, cli_config *cfg, bool *done);
void cli_config_free(cli_config *cfg);

/*
 * Overwrite inline key material (key=base64:..., key=hex:...) in the original argv once it
 * was parsed (the config holds copies), so that it no longer shows in /proc/PID/cmdline.
 */
void cli_args_scrub(int argc, char **argv);

/* The mode's name as the official CLI spells it in metadata ("encrypt", ...). */
const char *cli_mode_name(esdk_mode mode);

/* Print a usage error ("aws-esdk: <message>" and a hint to --help); returns CLI_EXIT_USAGE. */
int cli_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The --help text. */
void cli_print_help(void);

#endif
