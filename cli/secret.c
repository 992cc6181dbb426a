/* Secret material: key files, inline base64/hex, environment variables. */
#include "secret.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base64.h"
#include "log.h"

#define MAX_SECRET_FILE (1024 * 1024)

/* Secrets in files others can read deserve a word (public keys do not). */
static void warn_if_shared(const char *path, const cli_secret *s, bool is_public)
{
    if (s->shared && !is_public) {
        cli_warn("%s is accessible to other users (chmod 600 it)", path);
    }
}

void cli_secret_wipe(cli_secret *s)
{
    if (s->data) {
        explicit_bzero(s->data, s->len + 1);
        free(s->data);
    }
    s->data = NULL;
    s->len = 0;
    s->shared = false;
}

int cli_read_small_file(const char *path, size_t max, cli_secret *out, char *err, size_t errlen)
{
    struct stat st;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        snprintf(err, errlen, "cannot open %s: %s", path, strerror(errno));
        return -1;
    }
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || (size_t)st.st_size > max) {
        snprintf(err, errlen, "%s is not a regular file of at most %zu bytes", path, max);
        close(fd);
        return -1;
    }
    out->shared = (st.st_mode & (S_IRWXG | S_IRWXO)) != 0;
    size_t size = (size_t)st.st_size;
    out->data = malloc(size + 1);
    out->len = 0;
    if (!out->data) {
        snprintf(err, errlen, "out of memory");
        close(fd);
        return -1;
    }
    while (out->len < size) {
        ssize_t n = read(fd, out->data + out->len, size - out->len);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            snprintf(
                err, errlen, "cannot read %s: %s", path, n < 0 ? strerror(errno) : "file shrank");
            close(fd);
            cli_secret_wipe(out);
            return -1;
        }
        out->len += (size_t)n;
    }
    close(fd);
    out->data[out->len] = '\0';
    return 0;
}

static bool aes_len(size_t n)
{
    return n == 16 || n == 24 || n == 32;
}

static int from_base64(const char *text, size_t len, cli_secret *out)
{
    uint8_t *bytes;
    size_t n;
    if (cli_b64_decode(text, len, &bytes, &n) != 0) {
        return -1;
    }
    out->data = bytes;
    out->len = n;
    return 0;
}

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

static int from_hex(const char *text, cli_secret *out)
{
    size_t len = strlen(text);
    if (len % 2) {
        return -1;
    }
    out->data = malloc(len / 2 + 1);
    out->len = len / 2;
    if (!out->data) {
        return -1;
    }
    for (size_t i = 0; i < len / 2; i++) {
        int hi = hex_digit(text[2 * i]), lo = hex_digit(text[2 * i + 1]);
        if (hi < 0 || lo < 0) {
            cli_secret_wipe(out);
            return -1;
        }
        out->data[i] = (uint8_t)(hi << 4 | lo);
    }
    return 0;
}

/* A key file: base64 text that decodes to an AES key length wins, else raw bytes. */
static int aes_from_file(const char *path, cli_secret *out, char *err, size_t errlen)
{
    cli_secret raw = {NULL, 0, false};
    if (cli_read_small_file(path, 4096, &raw, err, errlen) != 0) {
        return -1;
    }
    warn_if_shared(path, &raw, false);
    cli_secret decoded = {NULL, 0, false};
    if (from_base64((const char *)raw.data, raw.len, &decoded) == 0 && aes_len(decoded.len)) {
        cli_debug("key file %s holds base64 text", path);
        cli_secret_wipe(&raw);
        *out = decoded;
        return 0;
    }
    cli_secret_wipe(&decoded);
    if (aes_len(raw.len)) {
        cli_debug("key file %s holds raw bytes", path);
        *out = raw;
        return 0;
    }
    cli_secret_wipe(&raw);
    snprintf(err, errlen, "%s must hold a 16, 24 or 32-byte key, raw or as base64 text", path);
    return -1;
}

static int load_aes(const char *spec, cli_secret *out, char *err, size_t errlen)
{
    if (strncmp(spec, "file://", 7) == 0) {
        return aes_from_file(spec + 7, out, err, errlen);
    }
    int rc = -1;
    const char *what = spec;
    if (strncmp(spec, "base64:", 7) == 0) {
        rc = from_base64(spec + 7, strlen(spec + 7), out);
        what = "base64:...";
    } else if (strncmp(spec, "hex:", 4) == 0) {
        rc = from_hex(spec + 4, out);
        what = "hex:...";
    } else if (strncmp(spec, "env:", 4) == 0) {
        const char *v = getenv(spec + 4);
        if (!v) {
            snprintf(err, errlen, "environment variable %s is not set", spec + 4);
            return -1;
        }
        rc = from_base64(v, strlen(v), out);
    } else {
        snprintf(err, errlen, "key must be file://PATH, base64:TEXT, hex:TEXT or env:VAR");
        return -1;
    }
    if (rc != 0 || !aes_len(out->len)) {
        cli_secret_wipe(out);
        snprintf(err, errlen, "%s does not hold a 16, 24 or 32-byte key", what);
        return -1;
    }
    return 0;
}

static int load_text(const char *spec, cli_secret *out, char *err, size_t errlen)
{
    if (strncmp(spec, "file://", 7) == 0) {
        if (cli_read_small_file(spec + 7, MAX_SECRET_FILE, out, err, errlen) != 0) {
            return -1;
        }
        warn_if_shared(spec + 7, out, strstr((const char *)out->data, "PUBLIC KEY-----") != NULL);
    } else if (strncmp(spec, "env:", 4) == 0) {
        const char *v = getenv(spec + 4);
        if (!v) {
            snprintf(err, errlen, "environment variable %s is not set", spec + 4);
            return -1;
        }
        out->len = strlen(v);
        out->data = malloc(out->len + 1);
        if (!out->data) {
            snprintf(err, errlen, "out of memory");
            return -1;
        }
        memcpy(out->data, v, out->len + 1);
    } else {
        snprintf(err, errlen, "must be file://PATH or env:VAR");
        return -1;
    }
    while (out->len && (out->data[out->len - 1] == '\n' || out->data[out->len - 1] == '\r')) {
        out->data[--out->len] = '\0';
    }
    return 0;
}

int cli_secret_load(
    const char *spec, cli_secret_kind kind, cli_secret *out, char *err, size_t errlen)
{
    out->data = NULL;
    out->len = 0;
    out->shared = false;
    return kind == CLI_SECRET_AES_KEY ? load_aes(spec, out, err, errlen)
                                      : load_text(spec, out, err, errlen);
}
