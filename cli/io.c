/* Sinks (stdout, or a file through a temporary file and a rename), and their cleanup. */
#include "io.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <aws-esdk-c/error.h>

/* ---- signal cleanup: the one temporary file that may exist at a time ---- */

static char pending_tmp[PATH_MAX + 1];
static volatile sig_atomic_t pending_set;

static void on_signal(int sig)
{
    if (pending_set) {
        unlink(pending_tmp); /* async-signal-safe */
    }
    signal(sig, SIG_DFL);
    raise(sig);
}

void cli_io_install_signal_cleanup(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    signal(SIGPIPE, SIG_IGN); /* a closed pipe becomes EPIPE: reported, temp files removed */
}

static void track_tmp(const char *path)
{
    pending_set = 0;
    if (path && strlen(path) < sizeof pending_tmp) {
        memcpy(pending_tmp, path, strlen(path) + 1);
        pending_set = 1;
    }
}

mode_t cli_io_umask(void)
{
    static mode_t mask;
    static bool read_once;
    if (!read_once) {
        mask = umask(077);
        umask(mask);
        read_once = true;
    }
    return mask;
}

int cli_write_all(int fd, const void *buf, size_t len)
{
    const uint8_t *p = buf;
    while (len) {
        ssize_t n = write(fd, p, len);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return -1;
        }
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

/* ---- sinks ---- */

/* "<dir>/.<name>.aws-esdk-XXXXXX" beside path. */
static char *temp_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    size_t dir_len = slash ? (size_t)(slash - path) + 1 : 0;
    const char *base = slash ? slash + 1 : path;
    size_t base_len = strlen(base) > 200 ? 200 : strlen(base);
    size_t n = dir_len + 1 + base_len + sizeof ".aws-esdk-XXXXXX";
    char *tmp = malloc(n);
    if (tmp) {
        snprintf(tmp, n, "%.*s.%.*s.aws-esdk-XXXXXX", (int)dir_len, path, (int)base_len, base);
    }
    return tmp;
}

int cli_sink_open_file(
    cli_sink *sink, const char *path, bool replace, mode_t mode, bool encode, cli_err *err)
{
    memset(sink, 0, sizeof *sink);
    sink->fd = -1;
    sink->replace = replace;
    sink->mode = mode;
    sink->encode = encode;
    sink->path = strdup(path);
    sink->tmp_path = temp_name(path);
    if (!sink->path || !sink->tmp_path) {
        cli_sink_abort(sink);
        return cli_err_set(err, ESDK_ERR_NO_MEMORY, "out of memory");
    }
    sink->fd = mkostemp(sink->tmp_path, O_CLOEXEC); /* created 0600 */
    if (sink->fd < 0) {
        int e = errno;
        free(sink->tmp_path);
        sink->tmp_path = NULL;
        cli_sink_abort(sink);
        return cli_err_set(
            err, ESDK_ERR_IO, "cannot create a temporary file beside %s: %s", path, strerror(e));
    }
    track_tmp(sink->tmp_path);
    return 0;
}

int cli_sink_open_stdout(cli_sink *sink, bool buffer, bool encode, cli_err *err)
{
    (void)err;
    memset(sink, 0, sizeof *sink);
    sink->fd = STDOUT_FILENO;
    sink->is_stdout = true;
    sink->buffer = buffer;
    sink->encode = encode;
    return 0;
}

static int emit(cli_sink *sink, const void *data, size_t len, cli_err *err)
{
    if (!len) {
        return 0;
    }
    if (sink->buffer) {
        if (sink->mem_cap - sink->mem_len < len) {
            size_t cap = sink->mem_cap ? sink->mem_cap : CLI_IO_CHUNK;
            while (cap - sink->mem_len < len) {
                cap *= 2;
            }
            uint8_t *grown = malloc(cap);
            if (!grown) {
                return cli_err_set(
                    err, ESDK_ERR_NO_MEMORY, "--buffer: cannot hold the output in memory");
            }
            if (sink->mem) {
                memcpy(grown, sink->mem, sink->mem_len);
                explicit_bzero(sink->mem, sink->mem_len);
                free(sink->mem);
            }
            sink->mem = grown;
            sink->mem_cap = cap;
        }
        memcpy(sink->mem + sink->mem_len, data, len);
        sink->mem_len += len;
        return 0;
    }
    if (cli_write_all(sink->fd, data, len) != 0) {
        return cli_err_set(
            err,
            ESDK_ERR_IO,
            "write to %s failed: %s",
            sink->is_stdout ? "stdout" : sink->path,
            strerror(errno));
    }
    sink->emitted += len;
    return 0;
}

int cli_sink_write(cli_sink *sink, const uint8_t *data, size_t len, cli_err *err)
{
    if (!sink->encode) {
        return emit(sink, data, len, err);
    }
    char text[CLI_B64_ENCODED_LEN(4096 + 2)];
    while (len) {
        size_t n = len < 4096 ? len : 4096;
        size_t w = cli_b64_enc_update(&sink->enc, data, n, text);
        if (emit(sink, text, w, err) != 0) {
            return err->rc;
        }
        data += n;
        len -= n;
    }
    return 0;
}

/* Move tmp to path; without replace, never over an existing file (even one that appeared
 * while we worked): renameat2(RENAME_NOREPLACE), else link + unlink. */
static int place(cli_sink *sink, cli_err *err)
{
    if (sink->replace) {
        if (rename(sink->tmp_path, sink->path) == 0) {
            return 0;
        }
    } else {
        if (renameat2(AT_FDCWD, sink->tmp_path, AT_FDCWD, sink->path, RENAME_NOREPLACE) == 0) {
            return 0;
        }
        if (errno == EINVAL || errno == ENOSYS) {
            if (link(sink->tmp_path, sink->path) == 0) {
                unlink(sink->tmp_path);
                return 0;
            }
        }
        if (errno == EEXIST) {
            return cli_err_set(
                err,
                ESDK_ERR_IO,
                "%s appeared meanwhile; not replaced (use --overwrite)",
                sink->path);
        }
    }
    return cli_err_set(
        err,
        ESDK_ERR_IO,
        "cannot rename the temporary file to %s: %s",
        sink->path,
        strerror(errno));
}

static void sync_dir(const char *path)
{
    const char *slash = strrchr(path, '/');
    char *dir = slash ? strndup(path, slash == path ? 1 : (size_t)(slash - path)) : strdup(".");
    int fd = dir ? open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;
    if (fd >= 0) {
        (void)fsync(fd); /* best effort: the data itself was synced */
        close(fd);
    }
    free(dir);
}

int cli_sink_commit(cli_sink *sink, cli_err *err)
{
    char tail[4];
    size_t n = sink->encode ? cli_b64_enc_final(&sink->enc, tail) : 0;
    int rc = emit(sink, tail, n, err);
    if (!rc && sink->buffer) {
        sink->buffer = false;
        rc = emit(sink, sink->mem, sink->mem_len, err);
    }
    if (sink->is_stdout) {
        if (rc) {
            cli_sink_abort(sink);
        } else if (sink->mem) {
            explicit_bzero(sink->mem, sink->mem_len);
            free(sink->mem);
            sink->mem = NULL;
        }
        return rc;
    }
    if (!rc && fsync(sink->fd) != 0) {
        rc = cli_err_set(err, ESDK_ERR_IO, "fsync %s failed: %s", sink->path, strerror(errno));
    }
    if (!rc && fchmod(sink->fd, sink->mode) != 0) {
        rc = cli_err_set(err, ESDK_ERR_IO, "chmod %s failed: %s", sink->path, strerror(errno));
    }
    if (!rc && close(sink->fd) != 0) {
        rc = cli_err_set(err, ESDK_ERR_IO, "close %s failed: %s", sink->path, strerror(errno));
    }
    if (!rc) {
        sink->fd = -1;
        rc = place(sink, err);
    }
    if (rc) {
        cli_sink_abort(sink);
        return rc;
    }
    sync_dir(sink->path);
    track_tmp(NULL);
    free(sink->tmp_path);
    free(sink->path);
    sink->tmp_path = sink->path = NULL;
    return 0;
}

void cli_sink_abort(cli_sink *sink)
{
    if (!sink->is_stdout && sink->fd >= 0) {
        close(sink->fd);
    }
    sink->fd = -1;
    if (sink->tmp_path) {
        unlink(sink->tmp_path);
        track_tmp(NULL);
    }
    if (sink->mem) {
        explicit_bzero(sink->mem, sink->mem_len);
        free(sink->mem);
    }
    free(sink->tmp_path);
    free(sink->path);
    sink->mem = NULL;
    sink->tmp_path = sink->path = NULL;
}
