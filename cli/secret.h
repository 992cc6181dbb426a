/* Secret material named on the command line: key=file://PATH, base64:TEXT, hex:TEXT,
 * env:VAR; pin=env:VAR|file://PATH. Buffers are wiped when released. */
#ifndef CLI_SECRET_H
#define CLI_SECRET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum cli_secret_kind {
    /*
     * A symmetric key of 16, 24 or 32 bytes. file://: the file holds the raw bytes or their
     * base64 text (detected: text that decodes to 16/24/32 bytes is base64, else 16/24/32 raw
     * bytes); base64:/env:: base64 text; hex:: hexadecimal text.
     */
    CLI_SECRET_AES_KEY,
    /* Text such as a PEM key or a PIN: file:// contents or env: value, as is (a trailing
     * newline is dropped). */
    CLI_SECRET_TEXT,
} cli_secret_kind;

typedef struct cli_secret {
    uint8_t *data; /* NUL-terminated for CLI_SECRET_TEXT (len excludes the NUL) */
    size_t len;
    bool shared; /* read from a file that other users may access */
} cli_secret;

/* Load spec; on failure err says why (never the secret itself) and *out is empty. */
int cli_secret_load(
    const char *spec, cli_secret_kind kind, cli_secret *out, char *err, size_t errlen);
/* Wipe and free (safe on an empty secret). */
void cli_secret_wipe(cli_secret *s);

/* Read a whole regular file (at most max bytes) into a wiped-on-release buffer. */
int cli_read_small_file(const char *path, size_t max, cli_secret *out, char *err, size_t errlen);

#endif
