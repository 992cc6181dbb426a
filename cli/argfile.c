/* @file arguments. */
#include "argfile.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

#define MAX_DEPTH 8

typedef struct vec {
    char **items;
    int count;
    int cap;
} vec;

static int push(vec *v, char *s)
{
    if (!s) {
        return -1;
    }
    if (v->count + 2 > v->cap) {
        int cap = v->cap ? v->cap * 2 : 16;
        char **grown = realloc(v->items, (size_t)cap * sizeof *grown);
        if (!grown) {
            free(s);
            return -1;
        }
        v->items = grown;
        v->cap = cap;
    }
    v->items[v->count++] = s;
    v->items[v->count] = NULL;
    return 0;
}

static int expand_one(const char *arg, vec *v, int depth);

/* Split text into words (quotes, backslashes, # comments at line starts). */
static int split_words(const char *path, const char *text, vec *v, int depth)
{
    size_t n = strlen(text);
    char *word = malloc(n + 1);
    if (!word) {
        return -1;
    }
    size_t i = 0;
    int rc = 0;
    bool line_start = true;
    while (i < n && rc == 0) {
        while (i < n && (text[i] == ' ' || text[i] == '\t' || text[i] == '\r' || text[i] == '\n')) {
            line_start = line_start || text[i] == '\n';
            i++;
        }
        if (i >= n) {
            break;
        }
        if (line_start && text[i] == '#') {
            while (i < n && text[i] != '\n') {
                i++;
            }
            continue;
        }
        line_start = false;
        size_t w = 0;
        char quote = 0;
        while (i < n) {
            char c = text[i];
            if (quote == '\'' && c == '\'') {
                quote = 0;
            } else if (quote == '"' && c == '"') {
                quote = 0;
            } else if (!quote && (c == '\'' || c == '"')) {
                quote = c;
            } else if (quote != '\'' && c == '\\' && i + 1 < n) {
                word[w++] = text[++i];
            } else if (!quote && (c == ' ' || c == '\t' || c == '\r' || c == '\n')) {
                break;
            } else {
                word[w++] = c;
            }
            i++;
        }
        if (quote) {
            cli_error("%s: unterminated quote", path);
            rc = -1;
            break;
        }
        word[w] = '\0';
        rc = expand_one(word, v, depth);
    }
    free(word);
    return rc;
}

static int read_all(const char *path, char **out)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        cli_error("@%s: cannot open: %s", path, strerror(errno));
        return -1;
    }
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap);
    while (buf) {
        size_t got = fread(buf + len, 1, cap - len - 1, f);
        len += got;
        if (len + 1 < cap) {
            break;
        }
        char *grown = realloc(buf, cap * 2);
        if (!grown) {
            free(buf);
            buf = NULL;
            break;
        }
        buf = grown;
        cap *= 2;
    }
    int bad = ferror(f);
    fclose(f);
    if (!buf || bad) {
        free(buf);
        cli_error("@%s: cannot read", path);
        return -1;
    }
    buf[len] = '\0';
    *out = buf;
    return 0;
}

static int expand_one(const char *arg, vec *v, int depth)
{
    if (arg[0] != '@' || arg[1] == '\0') {
        return push(v, strdup(arg));
    }
    if (depth >= MAX_DEPTH) {
        cli_error("%s: @files nested too deeply", arg);
        return -1;
    }
    char *text;
    if (read_all(arg + 1, &text) != 0) {
        return -1;
    }
    int rc = split_words(arg + 1, text, v, depth + 1);
    explicit_bzero(text, strlen(text));
    free(text);
    return rc;
}

int cli_argfile_expand(int argc, char **argv, char ***out_argv, int *out_argc)
{
    vec v = {NULL, 0, 0};
    for (int i = 0; i < argc; i++) {
        int rc = i == 0 ? push(&v, strdup(argv[i])) : expand_one(argv[i], &v, 0);
        if (rc != 0) {
            cli_argfile_free(v.items, v.count);
            return -1;
        }
    }
    *out_argv = v.items;
    *out_argc = v.count;
    return 0;
}

void cli_argfile_free(char **argv, int argc)
{
    for (int i = 0; argv && i < argc; i++) {
        explicit_bzero(argv[i], strlen(argv[i]));
        free(argv[i]);
    }
    free(argv);
}
