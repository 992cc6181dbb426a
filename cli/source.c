/* Sources: a file or stdin, optionally base64-decoded, or the whole input held in memory. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <aws-esdk-c/error.h>

#include "io.h"

int cli_source_open(cli_source *src, const char *path, bool decode, cli_err *err)
{
    struct stat st;
    memset(src, 0, offsetof(cli_source, text));
    src->decode = decode;
    if (strcmp(path, "-") == 0) {
        src->fd = STDIN_FILENO;
        src->is_stdin = true;
    } else {
        src->fd = open(path, O_RDONLY | O_CLOEXEC);
        if (src->fd < 0) {
            return cli_err_set(err, ESDK_ERR_IO, "cannot open %s: %s", path, strerror(errno));
        }
    }
    if (fstat(src->fd, &st) != 0) {
        int e = errno;
        cli_source_close(src);
        return cli_err_set(err, ESDK_ERR_IO, "cannot stat %s: %s", path, strerror(e));
    }
    if (S_ISDIR(st.st_mode)) {
        cli_source_close(src);
        return cli_err_set(err, ESDK_ERR_IO, "%s is a directory", path);
    }
    if (S_ISREG(st.st_mode)) {
        src->size_known = true;
        src->size = (uint64_t)st.st_size;
    }
    return 0;
}

static int read_raw(cli_source *src, void *buf, size_t cap, size_t *got, cli_err *err)
{
    ssize_t n;
    do {
        n = read(src->fd, buf, cap);
    } while (n < 0 && errno == EINTR);
    if (n < 0) {
        return cli_err_set(err, ESDK_ERR_IO, "read failed: %s", strerror(errno));
    }
    *got = (size_t)n;
    src->consumed += (size_t)n;
    return 0;
}

int cli_source_read(cli_source *src, uint8_t *buf, size_t cap, size_t *got, cli_err *err)
{
    *got = 0;
    if (src->mem) {
        size_t n = src->mem_len - src->mem_off < cap ? src->mem_len - src->mem_off : cap;
        memcpy(buf, src->mem + src->mem_off, n);
        src->mem_off += n;
        *got = n;
        return 0;
    }
    if (!src->decode) {
        return src->eof ? 0 : read_raw(src, buf, cap, got, err);
    }
    /* base64: each 4 characters give at most 3 bytes (+3 for a pending partial quad) */
    size_t want = cap >= 8 ? (cap / 3 - 1) * 4 : 0;
    want = want < sizeof src->text ? want : sizeof src->text;
    while (*got == 0 && !src->eof) {
        size_t n = 0;
        if (want == 0 || read_raw(src, src->text, want, &n, err) != 0) {
            return want == 0 ? cli_err_set(err, ESDK_ERR_INTERNAL, "read buffer too small")
                             : err->rc;
        }
        if (n == 0) {
            src->eof = true;
            if (cli_b64_dec_final(&src->dec, buf, got) != 0) {
                return cli_err_set(
                    err, ESDK_ERR_BAD_CIPHERTEXT, "--decode: the input is not valid base64");
            }
        } else if (cli_b64_dec_update(&src->dec, src->text, n, buf, got) != 0) {
            return cli_err_set(
                err, ESDK_ERR_BAD_CIPHERTEXT, "--decode: the input is not valid base64");
        }
    }
    return 0;
}

int cli_source_slurp(cli_source *src, cli_err *err)
{
    size_t cap = CLI_IO_CHUNK, len = 0;
    uint8_t *mem = malloc(cap);
    for (;;) {
        size_t got;
        if (!mem) {
            return cli_err_set(err, ESDK_ERR_NO_MEMORY, "cannot hold the input in memory");
        }
        if (cap - len < CLI_IO_CHUNK) {
            uint8_t *grown = malloc(cap * 2);
            if (grown) {
                memcpy(grown, mem, len);
            }
            explicit_bzero(mem, len);
            free(mem);
            mem = grown;
            cap *= 2;
            continue;
        }
        if (cli_source_read(src, mem + len, CLI_IO_CHUNK, &got, err) != 0) {
            explicit_bzero(mem, len);
            free(mem);
            return err->rc;
        }
        if (got == 0) {
            break;
        }
        len += got;
    }
    src->mem = mem;
    src->mem_len = len;
    src->mem_off = 0;
    return 0;
}

void cli_source_close(cli_source *src)
{
    if (src->fd >= 0 && !src->is_stdin) {
        close(src->fd);
    }
    src->fd = -1;
    if (src->mem) {
        explicit_bzero(src->mem, src->mem_len);
        free(src->mem);
        src->mem = NULL;
    }
    explicit_bzero(src->text, sizeof src->text);
}
