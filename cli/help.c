/* --help. */
#include <stdio.h>

#include "args.h"
#include "providers.h"

static const char usage[] =
    "Usage: aws-esdk (-e | -d | --decrypt-unsigned) -i INPUT -o OUTPUT -w PROVIDER-SPEC... "
    "[options]\n"
    "\n"
    "Encrypt and decrypt files in the AWS Encryption SDK message format (compatible with the\n"
    "official SDKs and aws-encryption-cli).\n"
    "\n"
    "Mode:\n"
    "  -e, --encrypt                encrypt\n"
    "  -d, --decrypt                decrypt (signed and unsigned messages)\n"
    "      --decrypt-unsigned       decrypt, refusing signed messages (output always streams)\n"
    "\n"
    "Input and output:\n"
    "  -i, --input PATH             file, directory, glob pattern, or - for stdin\n"
    "  -o, --output PATH            file, existing directory, or - for stdout\n"
    "  -r, -R, --recursive          process directories, replicating the tree under OUTPUT\n"
    "      --suffix [SUFFIX]        suffix of files written into a directory (default .encrypted\n"
    "                               or .decrypted; --suffix alone keeps the name)\n"
    "      --overwrite              replace existing output files\n"
    "      --no-overwrite           skip inputs whose output exists (with a warning)\n"
    "      --interactive            ask before replacing (no terminal: do not replace)\n"
    "                               (default: an existing output is an error)\n"
    "  -b, --buffer                 stdout: write nothing until the whole message is done and\n"
    "                               verified (files are always written this way)\n"
    "      --encode                 base64-encode the output\n"
    "      --decode                 base64-decode the input (whitespace ignored)\n"
    "\n"
    "Keys and message:\n"
    "  -w, --wrapping-keys K=V...   a wrapping key (repeatable; the first generates the data key)\n"
    "  -c, --encryption-context K=V...\n"
    "                               encrypt: the context; decrypt: pairs that must match and bare\n"
    "                               keys that must be present (exit 3 if not)\n"
    "      --algorithm SUITE        e.g. AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384 or 0x0578\n"
    "      --frame-length N         frame length in bytes (default 4096; 0 = unframed)\n"
    "      --max-length N           decrypt: refuse frames or unframed bodies larger than N\n"
    "      --commitment-policy P    forbid-encrypt-allow-decrypt | require-encrypt-allow-decrypt "
    "|\n"
    "                               require-encrypt-require-decrypt (default)\n"
    "      --max-encrypted-data-keys N\n"
    "                               refuse to write or read more than N encrypted data keys\n"
    "      --caching capacity=N max_age=S [max_messages_encrypted=N] [max_bytes_encrypted=N]\n"
    "                               share data keys between inputs through a cache\n"
    "\n"
    "Metadata and messages:\n"
    "      --metadata-output FILE   append one JSON line per input (- = stdout)\n"
    "      --overwrite-metadata     truncate the metadata file first\n"
    "  -S, --suppress-metadata      no metadata (the default)\n"
    "  -v, --verbose                more detail (-vv: debug)\n"
    "  -q, --quiet                  errors only\n"
    "      --version                print the version\n"
    "  -h, --help                   print this help\n"
    "\n"
    "  @FILE                        read more arguments from FILE\n"
    "\n"
    "Key material: file://PATH (raw bytes or base64 text), base64:TEXT, hex:TEXT, env:VAR\n"
    "(base64 text in the variable). Prefer file:// or env: (the command line is visible to\n"
    "other users).\n"
    "\n"
    "Exit status: 0 success, 1 failure, 2 usage error, 3 decrypt encryption-context mismatch.\n"
    "\n"
    "Wrapping-key providers (-w provider=NAME ...; without provider=, aws-kms):\n";

static void print_provider(const cli_provider *p, void *arg)
{
    (void)arg;
    printf(
        "  %-8s %s%s\n", p->name, p->stub ? "(not available in this build yet) " : "", p->synopsis);
}

void cli_print_help(void)
{
    fputs(usage, stdout);
    cli_provider_each(print_provider, NULL);
    puts("\nSee aws-esdk(1) for details and examples.");
}
