/* libFuzzer: the CLI's command-line parser (cli/args.c, args_check.c, argfile.c, kv.c): option
 * spellings, key=value lists (-w, -c, --caching), numbers, policies, suites, and @file
 * expansion with its quoting. The input is NUL-separated: the first segment is the text of an
 * @file, the others are argv[1..]; an argument starting with '@' is pointed at that file
 * (never at another path, so the parser reads nothing else). Invariants: the parser returns 0
 * or the usage status, never crashes or leaks; a successful parse has a mode, an input and an
 * output; cli_args_scrub stars out key=base64:/key=hex: arguments.
 *
 * fuzz-extra-sources: cli/args.c cli/args_check.c cli/argfile.c cli/kv.c cli/log.c
 * (tests/fuzz/run.sh compiles the files listed on that line into this harness.) */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/args.h"

#define MAX_ARGS 64

static char argfile[64];

/* --help: the real text lists the wrapping-key providers, which would pull in every provider
 * (PKCS#11, KMS); the parser only needs to call something. */
void cli_print_help(void)
{
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    snprintf(argfile, sizeof argfile, "/tmp/fuzz_cli_args.%ld", (long)getpid());
    /* The parser prints usage errors on stderr and --version on stdout: send the FILE
     * streams to /dev/null. Sanitizer reports and libFuzzer's own output do not go through
     * these FILE pointers (they write to file descriptor 2 and to a copy libFuzzer took at
     * start-up), so findings still show. */
    FILE *null = fopen("/dev/null", "w");
    if (null) {
        stdout = null;
        stderr = null;
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* split into NUL-terminated segments */
    char *text = malloc(size + 1);
    memcpy(text, data, size);
    text[size] = '\0';
    char *seg[MAX_ARGS + 1];
    size_t nseg = 0;
    for (size_t start = 0; start <= size && nseg < MAX_ARGS + 1;) {
        seg[nseg++] = text + start;
        start += strlen(text + start) + 1;
    }
    /* the @file: its text without '@' (no nested @path to anywhere else) */
    FILE *f = fopen(argfile, "w");
    if (!f) {
        abort();
    }
    for (const char *p = seg[0]; *p; p++) {
        fputc(*p == '@' ? '_' : *p, f);
    }
    fclose(f);
    /* argv: copies (the parser keeps pointers, scrub writes into them) */
    int argc = 1;
    char *argv[MAX_ARGS + 2];
    argv[0] = strdup("aws-esdk");
    for (size_t i = 1; i < nseg; i++) {
        if (seg[i][0] == '@') {
            char *a = malloc(strlen(argfile) + 2);
            a[0] = '@';
            strcpy(a + 1, argfile);
            argv[argc++] = a;
        } else {
            argv[argc++] = strdup(seg[i]);
        }
    }
    argv[argc] = NULL;

    cli_config cfg;
    bool done = false;
    int rc = cli_args_parse(argc, argv, &cfg, &done);
    if (rc != CLI_EXIT_OK && rc != CLI_EXIT_USAGE) {
        abort();
    }
    if (rc == CLI_EXIT_OK && !done) {
        if (!cfg.input || !cfg.output || !cfg.input[0] || !cfg.output[0] ||
            (cfg.mode != ESDK_MODE_ENCRYPT && cfg.mode != ESDK_MODE_DECRYPT &&
             cfg.mode != ESDK_MODE_DECRYPT_UNSIGNED)) {
            abort();
        }
    }
    cli_args_scrub(argc, argv);
    for (int i = 1; i < argc; i++) {
        static const char *const prefixes[] = {"key=base64:", "key=hex:"};
        for (size_t j = 0; j < 2; j++) {
            const size_t n = strlen(prefixes[j]);
            if (strncmp(argv[i], prefixes[j], n) == 0 &&
                strspn(argv[i] + n, "*") != strlen(argv[i] + n)) {
                abort(); /* inline key material left in argv */
            }
        }
    }
    cli_config_free(&cfg);
    for (int i = 0; i < argc; i++) {
        free(argv[i]);
    }
    free(text);
    return 0;
}
