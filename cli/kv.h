/* key=value parameters, as given to -w, -c and --caching. */
#ifndef CLI_KV_H
#define CLI_KV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct cli_kv {
    char *key;
    char *value; /* NULL for a bare key (allowed only where the caller says so) */
} cli_kv;

typedef struct cli_kv_list {
    cli_kv *items;
    size_t count;
} cli_kv_list;

/*
 * Split arg on its first '=' and append the pair to list. An empty key is refused; so is a
 * bare key (no '=') or an empty value unless allow_bare. On failure err holds a sentence.
 */
int cli_kv_add(cli_kv_list *list, const char *arg, bool allow_bare, char *err, size_t errlen);
void cli_kv_free(cli_kv_list *list);

/* The value of the first pair with this key, or NULL. */
const char *cli_kv_get(const cli_kv_list *list, const char *key);
/* How many pairs have this key. */
size_t cli_kv_count(const cli_kv_list *list, const char *key);
/*
 * Check that every key is in allowed (NULL-terminated) and that keys listed in once appear
 * at most once; err names the first offender.
 */
int cli_kv_check(
    const cli_kv_list *list,
    const char *const *allowed,
    const char *const *once,
    const char *what,
    char *err,
    size_t errlen);

/* A decimal number in [min, max], nothing else (no sign, no spaces, no suffix). */
int cli_parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out);
/* true/false in the official CLI's spellings (true t 1 yes y / false f 0 no n). */
int cli_parse_bool(const char *s, bool *out);

#endif
