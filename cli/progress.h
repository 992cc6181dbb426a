/* A progress bar on stderr for inputs over 8 MiB, only when stderr is a terminal (and not
 * with -q). */
#ifndef CLI_PROGRESS_H
#define CLI_PROGRESS_H

#include <stdbool.h>
#include <stdint.h>

#define CLI_PROGRESS_MIN_SIZE (8u * 1024u * 1024u)

typedef struct cli_progress {
    bool active;
    const char *name;
    uint64_t total;
    double started;
    double last_draw;
} cli_progress;

/* Start (becomes a no-op unless size is known and large enough and stderr is a tty). */
void cli_progress_start(cli_progress *p, const char *name, bool size_known, uint64_t total);
void cli_progress_update(cli_progress *p, uint64_t done);
/* Clear the line. */
void cli_progress_finish(cli_progress *p);

#endif
