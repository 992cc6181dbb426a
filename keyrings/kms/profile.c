/* A small reader for the AWS shared credentials and config files. The file's bytes may hold
 * secret keys: they are read into a buffer that is wiped when released. */
#include "keyrings/kms/profile.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <aws-esdk-c/error.h>

#include "common/buf.h"
#include "common/mem.h"
#include "common/status.h"

/* last: poisons calls this library must not make */
#include "banned.h"

#define MAX_FILE (1u << 20)

void esdk_kms_secret_str_release(char *s)
{
    if (s) {
        esdk_mem_release_secret(s, strlen(s) + 1);
    }
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r';
}

static void trim(const char **s, size_t *len)
{
    while (*len && is_space(**s)) {
        (*s)++;
        (*len)--;
    }
    while (*len && is_space((*s)[*len - 1])) {
        (*len)--;
    }
}

static char lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

static bool key_equal(const char *a, size_t a_len, const char *b)
{
    if (strlen(b) != a_len) {
        return false;
    }
    for (size_t i = 0; i < a_len; i++) {
        if (lower(a[i]) != lower(b[i])) {
            return false;
        }
    }
    return true;
}

/* Section names compare with runs of spaces collapsed ("profile   x" == "profile x"). */
static bool section_equal(const char *s, size_t len, const char *want)
{
    size_t i = 0;
    for (const char *w = want; *w; w++) {
        if (*w == ' ') {
            if (i == len || !is_space(s[i])) {
                return false;
            }
            while (i < len && is_space(s[i])) {
                i++;
            }
            continue;
        }
        if (i == len || s[i] != *w) {
            return false;
        }
        i++;
    }
    return i == len;
}

static int read_file(const char *path, esdk_buf *out)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        return errno == ENOENT || errno == ENOTDIR
                   ? 1
                   : esdk_fail(ESDK_ERR_IO, "cannot open the AWS file %s", path);
    }
    uint8_t chunk[4096];
    int rc = 0;
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (out->len + n > MAX_FILE) {
            rc = esdk_fail(ESDK_ERR_IO, "the AWS file %s is larger than 1 MiB", path);
            break;
        }
        if ((rc = esdk_buf_append(out, chunk, n)) != 0) {
            break;
        }
    }
    if (rc == 0 && ferror(f)) {
        rc = esdk_fail(ESDK_ERR_IO, "cannot read the AWS file %s", path);
    }
    esdk_wipe(chunk, sizeof chunk);
    fclose(f);
    return rc;
}

int esdk_kms_profile_read(
    const char *path, const char *section, const char *const *keys, size_t key_count, char **values)
{
    for (size_t i = 0; i < key_count; i++) {
        values[i] = NULL;
    }
    esdk_buf text = ESDK_BUF_INIT;
    int rc = read_file(path, &text);
    if (rc != 0) {
        esdk_buf_release(&text);
        return rc;
    }
    bool in_section = false, found = false;
    const char *p = (const char *)text.data, *end = p + text.len;
    while (p && p < end && rc == 0) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *line = p;
        size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
        p = nl ? nl + 1 : NULL;
        const bool indented = len > 0 && is_space(line[0]);
        trim(&line, &len);
        if (len == 0 || line[0] == '#' || line[0] == ';') {
            continue;
        }
        if (line[0] == '[') {
            const char *close = memchr(line, ']', len);
            if (!close) {
                in_section = false;
                continue;
            }
            const char *name = line + 1;
            size_t name_len = (size_t)(close - name);
            trim(&name, &name_len);
            in_section = section_equal(name, name_len, section);
            found = found || in_section;
            continue;
        }
        const char *eq = memchr(line, '=', len);
        if (!in_section || indented || !eq || memchr(line, '\0', len)) {
            continue;
        }
        const char *k = line, *v = eq + 1;
        size_t k_len = (size_t)(eq - line), v_len = len - k_len - 1;
        trim(&k, &k_len);
        trim(&v, &v_len);
        for (size_t i = 0; i < key_count; i++) {
            if (key_equal(k, k_len, keys[i])) {
                esdk_kms_secret_str_release(values[i]);
                values[i] = esdk_str_copy_n((const uint8_t *)v, v_len);
                if (!values[i]) {
                    rc = esdk_fail(ESDK_ERR_NO_MEMORY, "cannot copy a profile setting");
                }
            }
        }
    }
    esdk_buf_release(&text);
    if (rc != 0 || !found) {
        for (size_t i = 0; i < key_count; i++) {
            esdk_kms_secret_str_release(values[i]);
            values[i] = NULL;
        }
    }
    return rc != 0 ? rc : (found ? 0 : 1);
}
