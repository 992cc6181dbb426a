/* Messages on stderr. */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>

#include <aws-esdk-c/error.h>

static int level;
static bool line_dirty;

void cli_log_set_level(int l)
{
    level = l;
}

int cli_log_level(void)
{
    return level;
}

void cli_log_set_line_dirty(bool dirty)
{
    line_dirty = dirty;
}

static void vprint(const char *tag, const char *fmt, va_list ap)
{
    if (line_dirty) {
        fputs("\r\033[K", stderr);
        line_dirty = false;
    }
    fputs("aws-esdk: ", stderr);
    if (tag) {
        fputs(tag, stderr);
    }
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    fflush(stderr);
}

void cli_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vprint(NULL, fmt, ap);
    va_end(ap);
}

void cli_warn(const char *fmt, ...)
{
    if (level < 0) {
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    vprint("warning: ", fmt, ap);
    va_end(ap);
}

void cli_info(const char *fmt, ...)
{
    if (level < 1) {
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    vprint(NULL, fmt, ap);
    va_end(ap);
}

void cli_debug(const char *fmt, ...)
{
    if (level < 2) {
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    vprint("debug: ", fmt, ap);
    va_end(ap);
}

void cli_fail_line(const char *input, int rc, const char *detail)
{
    if (detail && *detail) {
        cli_error("%s: %s: %s", input, esdk_strerror(rc), detail);
    } else {
        cli_error("%s: %s", input, esdk_strerror(rc));
    }
}

int cli_err_set(cli_err *err, int rc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->detail, sizeof err->detail, fmt, ap);
    va_end(ap);
    err->rc = rc;
    return rc;
}

int cli_err_lib(cli_err *err, int rc)
{
    return cli_err_set(err, rc, "%s", esdk_last_error_detail());
}
