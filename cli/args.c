/* The command line: an option table and a small parser (argparse-like: long options may be
 * abbreviated, -w/-c/--caching take one or more words). The checks between options are in
 * args_check.c. */
#include "args.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "argfile.h"
#include "args_internal.h"
#include "log.h"

enum opt_kind {
    FLAG,     /* no value */
    ONE,      /* exactly one value */
    OPTIONAL, /* one value, or "" when the next word is an option or absent */
    MANY,     /* one or more words up to the next option */
};

struct opt {
    const char *name; /* long name without "--" */
    char letter;      /* short option, or 0 */
    char letter2;     /* a second short spelling (-R), or 0 */
    enum opt_kind kind;
    bool once; /* may be given only once */
};

static const struct opt opts[OPT_COUNT] = {
    [OPT_ENCRYPT] = {"encrypt", 'e', 0, FLAG, false},
    [OPT_DECRYPT] = {"decrypt", 'd', 0, FLAG, false},
    [OPT_DECRYPT_UNSIGNED] = {"decrypt-unsigned", 0, 0, FLAG, false},
    [OPT_INPUT] = {"input", 'i', 0, ONE, true},
    [OPT_OUTPUT] = {"output", 'o', 0, ONE, true},
    [OPT_RECURSIVE] = {"recursive", 'r', 'R', FLAG, false},
    [OPT_SUFFIX] = {"suffix", 0, 0, OPTIONAL, true},
    [OPT_INTERACTIVE] = {"interactive", 0, 0, FLAG, false},
    [OPT_NO_OVERWRITE] = {"no-overwrite", 0, 0, FLAG, false},
    [OPT_OVERWRITE] = {"overwrite", 0, 0, FLAG, false},
    [OPT_WRAPPING_KEYS] = {"wrapping-keys", 'w', 0, MANY, false},
    [OPT_CONTEXT] = {"encryption-context", 'c', 0, MANY, true},
    [OPT_ALGORITHM] = {"algorithm", 0, 0, ONE, true},
    [OPT_FRAME_LENGTH] = {"frame-length", 0, 0, ONE, true},
    [OPT_MAX_LENGTH] = {"max-length", 0, 0, ONE, true},
    [OPT_COMMITMENT_POLICY] = {"commitment-policy", 0, 0, ONE, true},
    [OPT_MAX_EDKS] = {"max-encrypted-data-keys", 0, 0, ONE, true},
    [OPT_BUFFER] = {"buffer", 'b', 0, FLAG, false},
    [OPT_ENCODE] = {"encode", 0, 0, FLAG, false},
    [OPT_DECODE] = {"decode", 0, 0, FLAG, false},
    [OPT_CACHING] = {"caching", 0, 0, MANY, true},
    [OPT_METADATA_OUTPUT] = {"metadata-output", 0, 0, ONE, true},
    [OPT_SUPPRESS_METADATA] = {"suppress-metadata", 'S', 0, FLAG, false},
    [OPT_OVERWRITE_METADATA] = {"overwrite-metadata", 0, 0, FLAG, false},
    [OPT_VERBOSE] = {"verbose", 'v', 0, FLAG, false},
    [OPT_QUIET] = {"quiet", 'q', 0, FLAG, false},
    [OPT_VERSION] = {"version", 0, 0, FLAG, false},
    [OPT_HELP] = {"help", 'h', 0, FLAG, false},
};

int cli_usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("aws-esdk: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputs("\nTry 'aws-esdk --help' for more information.\n", stderr);
    va_end(ap);
    return CLI_EXIT_USAGE;
}

const char *cli_mode_name(esdk_mode mode)
{
    switch (mode) {
        case ESDK_MODE_ENCRYPT:
            return "encrypt";
        case ESDK_MODE_DECRYPT:
            return "decrypt";
        default:
            return "decrypt-unsigned";
    }
}

/* Find a long option: exact name, else a unique prefix (as argparse allows). */
static int find_long(const char *name, size_t len)
{
    int found = -1;
    for (int i = 0; i < OPT_COUNT; i++) {
        if (strlen(opts[i].name) == len && strncmp(opts[i].name, name, len) == 0) {
            return i;
        }
    }
    for (int i = 0; i < OPT_COUNT; i++) {
        if (strncmp(opts[i].name, name, len) == 0) {
            if (found >= 0) {
                return -2; /* ambiguous */
            }
            found = i;
        }
    }
    return found;
}

static int find_short(char c)
{
    for (int i = 0; i < OPT_COUNT; i++) {
        if (c && (opts[i].letter == c || opts[i].letter2 == c)) {
            return i;
        }
    }
    return -1;
}

static bool looks_like_option(const char *arg)
{
    return arg[0] == '-' && arg[1] != '\0';
}

/* Take the words of a MANY option: first (attached or NULL), then argv[*i+1...]. */
static int take_many(int id, const char *first, int argc, char **argv, int *i, cli_config *cfg)
{
    cli_kv_list *list;
    char err[512];
    if (id == OPT_WRAPPING_KEYS) {
        cli_kv_list *grown =
            realloc(cfg->wrapping_keys, (cfg->wrapping_key_count + 1) * sizeof *grown);
        if (!grown) {
            return cli_usage_error("out of memory");
        }
        cfg->wrapping_keys = grown;
        list = &grown[cfg->wrapping_key_count++];
        memset(list, 0, sizeof *list);
    } else {
        list = id == OPT_CONTEXT ? &cfg->context : &cfg->caching;
    }
    /* bare keys in -c are checked against the mode later */
    const bool bare = id == OPT_CONTEXT;
    size_t before = list->count;
    if (first && cli_kv_add(list, first, bare, err, sizeof err) != 0) {
        return cli_usage_error("--%s: %s", opts[id].name, err);
    }
    while (*i + 1 < argc && !looks_like_option(argv[*i + 1])) {
        if (cli_kv_add(list, argv[++*i], bare, err, sizeof err) != 0) {
            return cli_usage_error("--%s: %s", opts[id].name, err);
        }
    }
    if (list->count == before) {
        return cli_usage_error("--%s needs at least one key=value parameter", opts[id].name);
    }
    return 0;
}

/* Record option id with its value (attached, or taken from the next words). */
static int
take(int id, const char *attached, int argc, char **argv, int *i, cli_config *cfg, seen *s)
{
    const struct opt *o = &opts[id];
    if (o->once && s->count[id] > 0) {
        return cli_usage_error("--%s may not be specified more than once", o->name);
    }
    s->count[id]++;
    switch (o->kind) {
        case FLAG:
            if (attached) {
                return cli_usage_error("--%s takes no value", o->name);
            }
            s->verbosity += id == OPT_VERBOSE;
            return 0;
        case ONE:
            if (!attached) {
                if (*i + 1 >= argc) {
                    return cli_usage_error("--%s needs a value", o->name);
                }
                attached = argv[++*i];
            }
            s->value[id] = attached;
            return 0;
        case OPTIONAL:
            if (!attached) {
                attached = (*i + 1 < argc && !looks_like_option(argv[*i + 1])) ? argv[++*i] : "";
            }
            s->value[id] = attached;
            return 0;
        default:
            return take_many(id, attached, argc, argv, i, cfg);
    }
}

static int parse_long(const char *arg, int argc, char **argv, int *i, cli_config *cfg, seen *s)
{
    const char *name = arg + 2;
    const char *eq = strchr(name, '=');
    size_t len = eq ? (size_t)(eq - name) : strlen(name);
    int id = find_long(name, len);
    if (id == -2) {
        return cli_usage_error("ambiguous option '--%.*s'", (int)len, name);
    }
    if (id < 0) {
        return cli_usage_error("unknown option '--%.*s'", (int)len, name);
    }
    return take(id, eq ? eq + 1 : NULL, argc, argv, i, cfg, s);
}

static int parse_short(const char *arg, int argc, char **argv, int *i, cli_config *cfg, seen *s)
{
    /* the official CLI's typo trap: -interactive is not -i nteractive */
    int full = find_long(arg + 1, strlen(arg + 1));
    if (strlen(arg) > 2 && full >= 0 && strcmp(opts[full].name, arg + 1) == 0) {
        return cli_usage_error("unknown option '%s'; did you mean '-%s'?", arg, arg);
    }
    for (const char *p = arg + 1; *p; p++) {
        int id = find_short(*p);
        if (id < 0) {
            return cli_usage_error("unknown option '-%c'", *p);
        }
        if (opts[id].kind != FLAG) {
            return take(id, p[1] ? p + 1 : NULL, argc, argv, i, cfg, s);
        }
        int rc = take(id, NULL, argc, argv, i, cfg, s);
        if (rc) {
            return rc;
        }
    }
    return 0;
}

static int parse_words(int argc, char **argv, cli_config *cfg, seen *s)
{
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        int rc;
        if (strncmp(arg, "--", 2) == 0 && arg[2]) {
            rc = parse_long(arg, argc, argv, &i, cfg, s);
        } else if (looks_like_option(arg) && arg[1] != '-') {
            rc = parse_short(arg, argc, argv, &i, cfg, s);
        } else {
            rc = cli_usage_error("unexpected argument '%s'", arg);
        }
        if (rc) {
            return rc;
        }
    }
    return 0;
}

int cli_args_parse(int argc, char **argv, cli_config *cfg, bool *done)
{
    seen s;
    memset(&s, 0, sizeof s);
    memset(cfg, 0, sizeof *cfg);
    *done = false;
    if (cli_argfile_expand(argc, argv, &cfg->expanded, &cfg->expanded_count) != 0) {
        return CLI_EXIT_USAGE;
    }
    int rc = parse_words(cfg->expanded_count, cfg->expanded, cfg, &s);
    if (rc) {
        return rc;
    }
    if (s.count[OPT_QUIET] && s.verbosity) {
        return cli_usage_error("-q/--quiet and -v/--verbose exclude each other");
    }
    cli_log_set_level(s.count[OPT_QUIET] ? -1 : s.verbosity);
    if (s.count[OPT_HELP]) {
        cli_print_help();
        *done = true;
        return CLI_EXIT_OK;
    }
    if (s.count[OPT_VERSION]) {
        printf("aws-esdk %s\n", esdk_version());
        *done = true;
        return CLI_EXIT_OK;
    }
    return cli_args_check(cfg, &s);
}

void cli_config_free(cli_config *cfg)
{
    for (size_t i = 0; i < cfg->wrapping_key_count; i++) {
        cli_kv_free(&cfg->wrapping_keys[i]);
    }
    free(cfg->wrapping_keys);
    cli_kv_free(&cfg->context);
    cli_kv_free(&cfg->caching);
    cli_argfile_free(cfg->expanded, cfg->expanded_count);
    memset(cfg, 0, sizeof *cfg);
}

void cli_args_scrub(int argc, char **argv)
{
    static const char *const prefixes[] = {"key=base64:", "key=hex:"};
    for (int i = 1; i < argc; i++) {
        for (size_t j = 0; j < sizeof prefixes / sizeof prefixes[0]; j++) {
            size_t n = strlen(prefixes[j]);
            if (strncmp(argv[i], prefixes[j], n) == 0) {
                memset(argv[i] + n, '*', strlen(argv[i] + n));
            }
        }
    }
}
