/* key=value parameters. */
#include "kv.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int cli_kv_add(cli_kv_list *list, const char *arg, bool allow_bare, char *err, size_t errlen)
{
    const char *eq = strchr(arg, '=');
    if (eq == arg || arg[0] == '\0') {
        snprintf(err, errlen, "'%s': parameters must follow the format \"key=value\"", arg);
        return -1;
    }
    if (!allow_bare && (eq == NULL || eq[1] == '\0')) {
        snprintf(err, errlen, "'%s': parameters must follow the format \"key=value\"", arg);
        return -1;
    }
    cli_kv *grown = realloc(list->items, (list->count + 1) * sizeof *grown);
    if (!grown) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    list->items = grown;
    cli_kv *kv = &list->items[list->count];
    kv->key = eq ? strndup(arg, (size_t)(eq - arg)) : strdup(arg);
    kv->value = eq ? strdup(eq + 1) : NULL;
    if (!kv->key || (eq && !kv->value)) {
        free(kv->key);
        free(kv->value);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    list->count++;
    return 0;
}

void cli_kv_free(cli_kv_list *list)
{
    for (size_t i = 0; i < list->count; i++) {
        free(list->items[i].key);
        if (list->items[i].value) {
            /* values may name secrets (base64:...): wipe before freeing */
            explicit_bzero(list->items[i].value, strlen(list->items[i].value));
        }
        free(list->items[i].value);
    }
    free(list->items);
    list->items = NULL;
    list->count = 0;
}

const char *cli_kv_get(const cli_kv_list *list, const char *key)
{
    for (size_t i = 0; i < list->count; i++) {
        if (strcmp(list->items[i].key, key) == 0) {
            return list->items[i].value;
        }
    }
    return NULL;
}

size_t cli_kv_count(const cli_kv_list *list, const char *key)
{
    size_t n = 0;
    for (size_t i = 0; i < list->count; i++) {
        n += strcmp(list->items[i].key, key) == 0;
    }
    return n;
}

static bool listed(const char *const *names, const char *key)
{
    for (size_t i = 0; names && names[i]; i++) {
        if (strcmp(names[i], key) == 0) {
            return true;
        }
    }
    return false;
}

int cli_kv_check(
    const cli_kv_list *list,
    const char *const *allowed,
    const char *const *once,
    const char *what,
    char *err,
    size_t errlen)
{
    for (size_t i = 0; i < list->count; i++) {
        const char *key = list->items[i].key;
        if (!listed(allowed, key)) {
            size_t used =
                (size_t)snprintf(err, errlen, "%s: unknown parameter \"%s\" (known:", what, key);
            for (size_t j = 0; allowed[j] && used < errlen; j++) {
                used += (size_t)snprintf(err + used, errlen - used, " %s", allowed[j]);
            }
            if (used < errlen) {
                snprintf(err + used, errlen - used, ")");
            }
            return -1;
        }
        if (listed(once, key) && cli_kv_count(list, key) > 1) {
            snprintf(err, errlen, "%s: \"%s\" may be given only once", what, key);
            return -1;
        }
    }
    return 0;
}

int cli_parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
    if (!s || !isdigit((unsigned char)s[0])) {
        return -1;
    }
    errno = 0;
    char *end = NULL;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || !end || *end != '\0' || v < min || v > max) {
        return -1;
    }
    *out = (uint64_t)v;
    return 0;
}

int cli_parse_bool(const char *s, bool *out)
{
    static const char *const yes[] = {"true", "t", "1", "yes", "y", NULL};
    static const char *const no[] = {"false", "f", "0", "no", "n", NULL};
    for (size_t i = 0; yes[i]; i++) {
        if (strcasecmp(s, yes[i]) == 0) {
            *out = true;
            return 0;
        }
        if (strcasecmp(s, no[i]) == 0) {
            *out = false;
            return 0;
        }
    }
    return -1;
}
