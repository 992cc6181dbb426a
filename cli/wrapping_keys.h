/* -w/--wrapping-keys: one keyring per group, through the provider registry; several groups
 * make a multi-keyring whose generator is the first. */
#ifndef CLI_WRAPPING_KEYS_H
#define CLI_WRAPPING_KEYS_H

#include <aws-esdk-c/esdk.h>

#include "args.h"

/* Build the keyring; returns CLI_EXIT_OK, or CLI_EXIT_USAGE / CLI_EXIT_FAILURE after
 * printing the reason. */
int cli_wrapping_keys_build(const cli_config *cfg, esdk_keyring **out);

#endif
