/* esdk-vectors: runs AWS Encryption SDK test-vector manifests against aws-esdk-c.
 *
 *   esdk-vectors decrypt MANIFEST [--net-v4-0-0-retry] [--expect-all-fail] [-v] [--filter S]
 *                                 [--strict]
 *   esdk-vectors encrypt ENCRYPT_MANIFEST OUTDIR
 *   esdk-vectors keyring MPL_MANIFEST [-v] [--filter S] [--strict]   (keyring-level vectors)
 *
 * Exit status: 0 all passed (skips allowed unless --strict), 1 a case failed (or, with
 * --strict, was skipped), 2 usage or manifest error. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"

static int usage(void)
{
    fprintf(
        stderr,
        "usage: esdk-vectors decrypt MANIFEST [--net-v4-0-0-retry] [--expect-all-fail]\n"
        "                                     [--verbose|-v] [--filter SUBSTRING] [--strict]\n"
        "       esdk-vectors encrypt ENCRYPT_MANIFEST OUTDIR\n"
        "       esdk-vectors keyring MPL_MANIFEST [--verbose|-v] [--filter SUBSTRING] "
        "[--strict]\n");
    return 2;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        return usage();
    }
    if (strcmp(argv[1], "encrypt") == 0) {
        return argc == 4 ? cmd_encrypt(argv[2], argv[3]) : usage();
    }
    const bool keyring = strcmp(argv[1], "keyring") == 0;
    if (strcmp(argv[1], "decrypt") != 0 && !keyring) {
        return usage();
    }
    decrypt_flags flags = {0};
    const char *manifest = NULL;
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--net-v4-0-0-retry") == 0) {
            flags.net_v4_0_0_retry = true;
        } else if (strcmp(argv[i], "--expect-all-fail") == 0) {
            flags.expect_all_fail = true;
        } else if (strcmp(argv[i], "--verbose") == 0 || strcmp(argv[i], "-v") == 0) {
            flags.verbose = true;
        } else if (strcmp(argv[i], "--strict") == 0) {
            flags.strict = true;
        } else if (strcmp(argv[i], "--filter") == 0 && i + 1 < argc) {
            flags.filter = argv[++i];
        } else if (argv[i][0] == '-' || manifest) {
            return usage();
        } else {
            manifest = argv[i];
        }
    }
    if (!manifest || (keyring && (flags.net_v4_0_0_retry || flags.expect_all_fail))) {
        return usage();
    }
    return keyring ? cmd_keyring(manifest, &flags) : cmd_decrypt(manifest, &flags);
}
