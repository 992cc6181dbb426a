/* The progress bar. */
#include "progress.h"

#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "log.h"

#define BAR_WIDTH 30

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void cli_progress_start(cli_progress *p, const char *name, bool size_known, uint64_t total)
{
    memset(p, 0, sizeof *p);
    p->active = size_known && total > CLI_PROGRESS_MIN_SIZE && cli_log_level() >= 0 &&
                isatty(STDERR_FILENO);
    p->name = name;
    p->total = total;
    p->started = now();
    p->last_draw = p->started; /* first draw after 100 ms, with a meaningful rate */
}

void cli_progress_update(cli_progress *p, uint64_t done)
{
    if (!p->active) {
        return;
    }
    double t = now();
    if (t - p->last_draw < 0.1 && done < p->total) {
        return;
    }
    p->last_draw = t;
    double frac = p->total ? (double)done / (double)p->total : 1.0;
    frac = frac > 1.0 ? 1.0 : frac;
    int fill = (int)(frac * BAR_WIDTH);
    char bar[BAR_WIDTH + 1];
    memset(bar, '#', (size_t)fill);
    memset(bar + fill, '.', (size_t)(BAR_WIDTH - fill));
    bar[BAR_WIDTH] = '\0';
    double elapsed = t - p->started;
    double rate = elapsed > 0 ? (double)done / elapsed / (1024.0 * 1024.0) : 0;
    const char *base = strrchr(p->name, '/');
    fprintf(
        stderr,
        "\r\033[K%.40s [%s] %3d%% %.0f MiB/s",
        base ? base + 1 : p->name,
        bar,
        (int)(frac * 100),
        rate);
    fflush(stderr);
    cli_log_set_line_dirty(true);
}

void cli_progress_finish(cli_progress *p)
{
    if (p->active) {
        fputs("\r\033[K", stderr);
        fflush(stderr);
        cli_log_set_line_dirty(false);
    }
    p->active = false;
}
