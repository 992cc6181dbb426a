/* Encrypt a file and decrypt it again with a raw AES-256 key, streaming through a session.
 *
 *   encrypt_file KEY_FILE INPUT
 *
 * KEY_FILE holds 32 raw bytes; it is created (mode 0600, random) if it does not exist.
 * Writes INPUT.encrypted and INPUT.decrypted. Each output goes to a temporary file that is
 * renamed into place only when the whole message was processed, so a failure leaves no
 * partial file behind. */
#define _POSIX_C_SOURCE 200809L
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <aws-esdk-c/esdk.h>

#define CHUNK (64 * 1024)

static int load_or_create_key(const char *path, uint8_t key[32])
{
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        int rnd = open("/dev/urandom", O_RDONLY);
        if (rnd < 0 || read(rnd, key, 32) != 32) {
            return -1;
        }
        close(rnd);
        fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
        if (fd < 0 || write(fd, key, 32) != 32) {
            return -1;
        }
        close(fd);
        return 0;
    }
    ssize_t n = read(fd, key, 32);
    close(fd);
    return n == 32 ? 0 : -1;
}

/* Stream in_path through a session into out_path (via a temporary file). */
static int
run_session(esdk_mode mode, esdk_keyring *keyring, const char *in_path, const char *out_path)
{
    static uint8_t in[CHUNK], out[CHUNK + 8192];
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp-XXXXXX", out_path);
    FILE *fin = fopen(in_path, "rb");
    int fd = mkstemp(tmp);
    FILE *fout = fd >= 0 ? fdopen(fd, "wb") : NULL;
    esdk_session *s = NULL;
    esdk_enc_ctx *ctx = NULL;
    int rc = (fin && fout) ? 0 : ESDK_ERR_IO;
    if (!rc) {
        rc = esdk_session_new_with_keyring(mode, NULL, keyring, &s);
    }
    if (!rc && mode == ESDK_MODE_ENCRYPT) {
        /* the context is authenticated, stored in clear, and checked on decrypt */
        rc = esdk_enc_ctx_new(&ctx);
        rc = rc ? rc : esdk_enc_ctx_set_str(ctx, "purpose", "example");
        rc = rc ? rc : esdk_session_set_context(s, ctx);
    }
    size_t got = 0, off = 0;
    int eof = 0;
    while (!rc && !esdk_session_is_done(s)) {
        size_t produced, used;
        if (off == got && !eof) {
            got = fread(in, 1, sizeof in, fin);
            off = 0;
            if (got == 0) {
                eof = 1;
                rc = ferror(fin) ? ESDK_ERR_IO : esdk_session_end_input(s);
            }
        }
        rc = rc ? rc
                : esdk_session_process(s, out, sizeof out, &produced, in + off, got - off, &used);
        if (!rc && fwrite(out, 1, produced, fout) != produced) {
            rc = ESDK_ERR_IO;
        }
        off += rc ? 0 : used;
        if (!rc && eof && produced == 0 && used == 0 && !esdk_session_is_done(s)) {
            rc = ESDK_ERR_TRUNCATED; /* the session reports this itself; never spin */
        }
    }
    if (fout && fclose(fout) != 0 && !rc) {
        rc = ESDK_ERR_IO;
    }
    if (fin) {
        fclose(fin);
    }
    if (!rc && rename(tmp, out_path) != 0) {
        rc = ESDK_ERR_IO;
    }
    if (rc) {
        unlink(tmp);
        fprintf(stderr, "%s: %s (%s)\n", out_path, esdk_strerror(rc), esdk_last_error_detail());
    }
    esdk_enc_ctx_release(ctx);
    esdk_session_release(s);
    return rc;
}

int main(int argc, char **argv)
{
    uint8_t key[32];
    char enc[4096], dec[4096];
    if (argc != 3) {
        fprintf(stderr, "usage: %s KEY_FILE INPUT\n", argv[0]);
        return 2;
    }
    if (load_or_create_key(argv[1], key) != 0) {
        fprintf(stderr, "cannot read or create the key file %s\n", argv[1]);
        return 1;
    }
    esdk_keyring *keyring;
    int rc = esdk_keyring_raw_aes_new("example", "file-key", key, sizeof key, &keyring);
    memset(key, 0, sizeof key); /* the keyring holds its own copy in guarded memory */
    if (rc) {
        fprintf(stderr, "keyring: %s\n", esdk_strerror(rc));
        return 1;
    }
    snprintf(enc, sizeof enc, "%s.encrypted", argv[2]);
    snprintf(dec, sizeof dec, "%s.decrypted", argv[2]);
    rc = run_session(ESDK_MODE_ENCRYPT, keyring, argv[2], enc);
    if (!rc) {
        rc = run_session(ESDK_MODE_DECRYPT, keyring, enc, dec);
    }
    esdk_keyring_release(keyring);
    if (!rc) {
        printf("encrypted %s -> %s, decrypted -> %s\n", argv[2], enc, dec);
    }
    return rc ? 1 : 0;
}
