/* The runner's commands. Each returns the process exit code: 0 all passed (skips allowed),
 * 1 some case failed, 2 usage or manifest error. */
#ifndef ESDK_VECTORS_COMMANDS_H
#define ESDK_VECTORS_COMMANDS_H

#include <stdbool.h>

typedef struct decrypt_flags {
    bool net_v4_0_0_retry; /**< esdk_options_set_accept_net_v4_0_0(opts, true) */
    bool expect_all_fail;  /**< every positive case must fail instead */
    bool verbose;          /**< a PASS line per passing case */
    const char *filter;    /**< run only ids containing this, or NULL */
    bool strict;           /**< a skipped case fails the run (exit 1) */
} decrypt_flags;

int cmd_decrypt(const char *manifest_path, const decrypt_flags *flags);
int cmd_encrypt(const char *manifest_path, const char *out_dir);
/* Keyring-level vectors (awses-mpl-decrypt); uses flags->verbose and flags->filter. */
int cmd_keyring(const char *manifest_path, const decrypt_flags *flags);

#endif
