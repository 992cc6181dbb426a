/* --metadata-output: one JSON object per line for every processed input, appended (the file
 * is truncated once per run with --overwrite-metadata). A line is written when an input
 * succeeded, or when a decrypt failed its -c check (with "skipped": true, as the official
 * CLI does); never for an input whose message did not authenticate. */
#ifndef CLI_METADATA_H
#define CLI_METADATA_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stdio.h>

#include <aws-esdk-c/esdk.h>

#include "enc_context.h"
#include "log.h"

typedef struct cli_metadata {
    FILE *f; /* NULL: no metadata */
    bool to_stdout;
    char *path; /* absolute path of the metadata file (NULL for stdout) */
} cli_metadata;

/* Open path ("-" = stdout); prints the reason and returns -1 on failure. */
int cli_metadata_open(cli_metadata *m, const char *path, bool truncate);
void cli_metadata_close(cli_metadata *m);

/* The "header" object of a session that has its header (NULL when out of memory). */
cJSON *cli_metadata_header(const esdk_session *s);

/*
 * Write one line. header is taken (freed); mm (may be NULL) adds the skip fields. input and
 * output are paths or "-".
 */
int cli_metadata_write(
    cli_metadata *m,
    esdk_mode mode,
    const char *input,
    const char *output,
    cJSON *header,
    const cli_ctx_mismatch *mm,
    cli_err *err);

#endif
