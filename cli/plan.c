/* Planning: inputs to outputs. */
#include "plan.h"

#include <dirent.h>
#include <errno.h>
#include <glob.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "log.h"

typedef struct walk {
    const cli_config *cfg;
    cli_plan *plan;
    const char *suffix;
    dev_t skip_dev;
    ino_t skip_ino;
    dev_t out_dev; /* the output directory: never descended into */
    ino_t out_ino;
} walk;

const char *cli_plan_suffix(const cli_config *cfg)
{
    if (cfg->suffix) {
        return cfg->suffix;
    }
    return cfg->mode == ESDK_MODE_ENCRYPT ? ".encrypted" : ".decrypted";
}

static char *join(const char *a, const char *b, const char *c)
{
    size_t n = strlen(a) + 1 + strlen(b) + strlen(c) + 1;
    char *s = malloc(n);
    if (s) {
        bool slash = a[0] && a[strlen(a) - 1] != '/';
        snprintf(s, n, "%s%s%s%s", a, slash ? "/" : "", b, c);
    }
    return s;
}

static int add_job(cli_plan *plan, const char *input, char *output, const char *root)
{
    if (plan->count == plan->cap) {
        size_t cap = plan->cap ? plan->cap * 2 : 16;
        cli_job *grown = realloc(plan->jobs, cap * sizeof *grown);
        if (!grown) {
            free(output);
            return -1;
        }
        plan->jobs = grown;
        plan->cap = cap;
    }
    cli_job *j = &plan->jobs[plan->count];
    j->input = strdup(input);
    j->output = output;
    j->out_root = root ? strdup(root) : NULL;
    if (!j->input || !j->output || (root && !j->out_root)) {
        free(j->input);
        free(j->output);
        free(j->out_root);
        cli_error("out of memory");
        return -1;
    }
    plan->count++;
    return 0;
}

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

static int walk_dir(walk *w, const char *dir, const char *out_dir);

/* One entry of a directory being walked. */
static int walk_entry(walk *w, const char *path, const char *name, const char *out_dir)
{
    struct stat st, lst;
    if (lstat(path, &lst) != 0 || stat(path, &st) != 0) {
        cli_error("%s: %s", path, strerror(errno));
        w->plan->failures++;
        return 0;
    }
    if (st.st_dev == w->skip_dev && st.st_ino == w->skip_ino) {
        cli_info("%s: skipped (the metadata file)", path);
        return 0;
    }
    if (S_ISDIR(st.st_mode)) {
        if (S_ISLNK(lst.st_mode)) {
            cli_warn("%s: symbolic link to a directory, not followed", path);
            return 0;
        }
        if (st.st_dev == w->out_dev && st.st_ino == w->out_ino) {
            cli_info("%s: skipped (the output directory)", path);
            return 0;
        }
        char *sub_out = join(out_dir, name, "");
        int rc = sub_out ? walk_dir(w, path, sub_out) : -1;
        free(sub_out);
        return rc;
    }
    if (!S_ISREG(st.st_mode)) {
        cli_warn("%s: not a regular file, skipped", path);
        return 0;
    }
    return add_job(w->plan, path, join(out_dir, name, w->suffix), w->cfg->output);
}

static int walk_dir(walk *w, const char *dir, const char *out_dir)
{
    struct dirent **names;
    int n = scandir(dir, &names, NULL, alphasort);
    if (n < 0) {
        cli_error("%s: %s", dir, strerror(errno));
        w->plan->failures++;
        return 0;
    }
    int rc = 0;
    for (int i = 0; i < n; i++) {
        const char *name = names[i]->d_name;
        if (rc == 0 && strcmp(name, ".") != 0 && strcmp(name, "..") != 0) {
            char *path = join(dir, name, "");
            rc = path ? walk_entry(w, path, name, out_dir) : -1;
            free(path);
        }
        free(names[i]);
    }
    free(names);
    return rc;
}

static bool is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Output of a single source (not inside a directory walk). */
static int plan_one(walk *w, const char *input, bool several)
{
    const cli_config *cfg = w->cfg;
    if (is_dir(input)) {
        if (!cfg->recursive) {
            cli_error("%s: is a directory (use -r to process directories)", input);
            w->plan->failures++;
            return 0;
        }
        if (!is_dir(cfg->output)) {
            cli_error(
                "if operating on a source directory, destination must be an existing directory");
            return -1;
        }
        return walk_dir(w, input, cfg->output);
    }
    if (strcmp(cfg->output, "-") == 0) {
        if (several) {
            cli_error(
                "if operating on multiple sources, destination must be an existing directory");
            return -1;
        }
        return add_job(w->plan, input, strdup("-"), NULL);
    }
    if (is_dir(cfg->output)) {
        if (strcmp(input, "-") == 0) {
            cli_error("destination may not be a directory when source is stdin");
            return -1;
        }
        return add_job(w->plan, input, join(cfg->output, base_name(input), w->suffix), NULL);
    }
    if (several) {
        cli_error("if operating on multiple sources, destination must be an existing directory");
        return -1;
    }
    /* a file: its directory must exist */
    const char *slash = strrchr(cfg->output, '/');
    char *parent =
        slash ? strndup(cfg->output, slash == cfg->output ? 1 : (size_t)(slash - cfg->output))
              : strdup(".");
    bool ok = parent && is_dir(parent);
    free(parent);
    if (!ok) {
        cli_error("%s: the directory of the output file must already exist", cfg->output);
        return -1;
    }
    return add_job(w->plan, input, strdup(cfg->output), NULL);
}

static bool has_wildcard(const char *s)
{
    return strpbrk(s, "*?[") != NULL;
}

int cli_plan_build(const cli_config *cfg, dev_t skip_dev, ino_t skip_ino, cli_plan *plan)
{
    struct stat st;
    memset(plan, 0, sizeof *plan);
    walk w = {cfg, plan, cli_plan_suffix(cfg), skip_dev, skip_ino, 0, 0};
    if (stat(cfg->output, &st) == 0 && S_ISDIR(st.st_mode)) {
        w.out_dev = st.st_dev;
        w.out_ino = st.st_ino;
    }
    if (strcmp(cfg->input, "-") == 0 || stat(cfg->input, &st) == 0) {
        return plan_one(&w, cfg->input, false);
    }
    if (!has_wildcard(cfg->input)) {
        cli_error("%s: %s", cfg->input, strerror(errno));
        return -1;
    }
    glob_t g;
    int grc = glob(cfg->input, 0, NULL, &g);
    if (grc != 0) {
        cli_error(
            "%s: %s",
            cfg->input,
            grc == GLOB_NOMATCH ? "no file matches" : "cannot expand the pattern");
        if (grc != GLOB_NOMATCH) {
            globfree(&g);
        }
        return -1;
    }
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < g.gl_pathc; i++) {
        rc = plan_one(&w, g.gl_pathv[i], g.gl_pathc > 1);
    }
    globfree(&g);
    return rc;
}

void cli_plan_free(cli_plan *plan)
{
    for (size_t i = 0; i < plan->count; i++) {
        free(plan->jobs[i].input);
        free(plan->jobs[i].output);
        free(plan->jobs[i].out_root);
    }
    free(plan->jobs);
    memset(plan, 0, sizeof *plan);
}
