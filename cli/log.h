/* Messages on stderr: one line each, prefixed "aws-esdk: ". Errors always show; warnings
 * unless -q; info with -v, debug with -vv. Nothing here ever prints key material. */
#ifndef CLI_LOG_H
#define CLI_LOG_H

#include <stdbool.h>

/* Verbosity: -1 quiet, 0 default, 1 -v, 2 -vv. */
void cli_log_set_level(int level);
int cli_log_level(void);

void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void cli_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void cli_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void cli_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * The failure line for one input: "aws-esdk: <input>: <esdk_strerror(rc)>: <detail>" (the
 * detail is left out when empty).
 */
void cli_fail_line(const char *input, int rc, const char *detail);

/* Clear a progress line before printing, if one is showing (set by progress.c). */
void cli_log_set_line_dirty(bool dirty);

/* An error for one input: a library code and a sentence (never secret). */
typedef struct cli_err {
    int rc;
    char detail[768];
} cli_err;

/* Set err to rc and a formatted sentence; returns rc. */
int cli_err_set(cli_err *err, int rc, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Set err to rc and the library's esdk_last_error_detail(); returns rc. */
int cli_err_lib(cli_err *err, int rc);

#endif
