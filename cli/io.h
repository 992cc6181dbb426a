/* Inputs and outputs of one operation. A source is a file or stdin, optionally base64
 * decoded (--decode). A sink is stdout or a file written through a temporary file in the
 * target directory (mkstemp, 0600) that is fsync'd, given its final mode and renamed into
 * place only by cli_sink_commit: until then nothing exists under the output's name, and
 * cli_sink_abort (or a fatal signal) removes the temporary file. */
#ifndef CLI_IO_H
#define CLI_IO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "base64.h"
#include "log.h"

#define CLI_IO_CHUNK (64 * 1024)

typedef struct cli_source {
    int fd;
    bool is_stdin;
    bool decode;
    bool eof;
    cli_b64_dec dec;
    bool size_known; /* a regular file: size is its length in bytes (before decoding) */
    uint64_t size;
    uint64_t consumed; /* bytes read from the file or stdin (for progress) */
    uint8_t *mem;      /* after cli_source_slurp: the whole (decoded) input */
    size_t mem_len;
    size_t mem_off;
    char text[CLI_IO_CHUNK];
} cli_source;

/* Open path ("-" = stdin). */
int cli_source_open(cli_source *src, const char *path, bool decode, cli_err *err);
/* Read up to cap bytes (decoded); *got == 0 means the end of the input. */
int cli_source_read(cli_source *src, uint8_t *buf, size_t cap, size_t *got, cli_err *err);
/* Read the rest of the input into memory (for unframed encrypt of an unknown length). */
int cli_source_slurp(cli_source *src, cli_err *err);
void cli_source_close(cli_source *src);

typedef struct cli_sink {
    int fd;
    bool is_stdout;
    bool replace; /* the rename may replace an existing file (--overwrite or a yes) */
    mode_t mode;  /* final mode of the file */
    bool buffer;  /* stdout only: hold everything until commit (--buffer) */
    bool encode;  /* base64 the output (--encode) */
    cli_b64_enc enc;
    uint8_t *mem; /* --buffer storage (wiped) */
    size_t mem_len;
    size_t mem_cap;
    uint64_t emitted; /* bytes already written to stdout */
    char *path;       /* final path (files) */
    char *tmp_path;   /* temporary file (files) */
} cli_sink;

/* A file sink: a temporary file beside path. */
int cli_sink_open_file(
    cli_sink *sink, const char *path, bool replace, mode_t mode, bool encode, cli_err *err);
/* stdout; with buffer nothing is written before commit. */
int cli_sink_open_stdout(cli_sink *sink, bool buffer, bool encode, cli_err *err);
int cli_sink_write(cli_sink *sink, const uint8_t *data, size_t len, cli_err *err);
/* Finish: flush, fsync, chmod and rename (files); the sink is closed either way. */
int cli_sink_commit(cli_sink *sink, cli_err *err);
/* Drop everything: remove the temporary file, wipe buffered bytes. */
void cli_sink_abort(cli_sink *sink);

/* Remove the current temporary file on SIGINT/SIGTERM/SIGHUP, then die by the signal. */
void cli_io_install_signal_cleanup(void);

/* The process umask (read once at start-up). */
mode_t cli_io_umask(void);

/* Write all of buf to fd (retrying on EINTR and short writes); 0 or -1 with errno. */
int cli_write_all(int fd, const void *buf, size_t len);

#endif
