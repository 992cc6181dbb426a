/* --caching capacity=N max_age=S [max_messages_encrypted=N] [max_bytes_encrypted=N]: a
 * caching CMM over a local cache in front of the keyring, so that a directory or glob of
 * inputs shares data keys. */
#ifndef CLI_CACHING_H
#define CLI_CACHING_H

#include <stdint.h>

#include <aws-esdk-c/esdk.h>

#include "kv.h"

typedef struct cli_caching {
    uint64_t capacity;
    double max_age; /* seconds, > 0 */
    uint64_t max_messages;
    uint64_t max_bytes;
} cli_caching;

/* Parse and check the parameters; returns CLI_EXIT_OK or CLI_EXIT_USAGE after printing. */
int cli_caching_parse(const cli_kv_list *params, cli_caching *out);

/*
 * The CMM for the sessions: the default CMM over keyring, or a caching CMM over it when
 * caching is not NULL. Returns CLI_EXIT_OK or CLI_EXIT_FAILURE after printing.
 */
int cli_caching_cmm(const cli_caching *caching, esdk_keyring *keyring, esdk_cmm **out);

#endif
