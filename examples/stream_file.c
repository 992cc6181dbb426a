/* Stream a file of any size through an esdk_session with two fixed 16 KiB buffers.
 *
 *   stream_file encrypt|encrypt-unsigned|decrypt|decrypt-unsigned KEY_FILE INPUT OUTPUT
 *
 * KEY_FILE holds a raw AES-256 wrapping key (32 bytes). Memory stays the same whatever the
 * size of INPUT: the session holds at most one frame plus the header, and this program two
 * buffers of CHUNK bytes.
 *
 *   encrypt            the default suite (0x0578: key commitment, ECDSA P-384 signature)
 *   encrypt-unsigned   suite 0x0478 (key commitment, no signature)
 *   decrypt            any message; for a signed one, plaintext is released frame by frame
 *                      before the signature at the end is checked ("unverified bytes")
 *   decrypt-unsigned   refuses signed messages right after the header, so every byte
 *                      released is final as soon as it is released
 *
 * OUTPUT is written to OUTPUT.partial and renamed into place only when the whole message
 * was processed (and, on decrypt, authenticated); on any failure the partial file is removed,
 * so no unverified plaintext survives a failed decrypt. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <aws-esdk-c/esdk.h>

#define CHUNK (16 * 1024)

static int load_key(const char *path, uint8_t key[32])
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        return -1;
    }
    size_t n = fread(key, 1, 32, f);
    int extra = fgetc(f);
    fclose(f);
    return (n == 32 && extra == EOF) ? 0 : -1;
}

/* The process loop: feed input as it comes, drain output as it is produced, and say when the
 * input has ended. The session never needs more than what it reports through
 * esdk_session_estimate(), and never releases plaintext whose frame did not authenticate. */
static int stream(esdk_session *s, FILE *in, FILE *out, uint64_t *bytes_in, uint64_t *bytes_out)
{
    static uint8_t inbuf[CHUNK], outbuf[CHUNK];
    size_t have = 0, off = 0;
    int ended = 0;
    while (!esdk_session_is_done(s)) {
        if (off == have && !ended) {
            have = fread(inbuf, 1, sizeof inbuf, in);
            off = 0;
            if (have == 0) {
                if (ferror(in)) {
                    return esdk_set_error(ESDK_ERR_IO, "cannot read the input");
                }
                ended = 1;
                int rc = esdk_session_end_input(s); /* encrypt: write the last frame, footer */
                if (rc) {
                    return rc;
                }
            }
        }
        size_t produced = 0, used = 0;
        int rc = esdk_session_process(
            s, outbuf, sizeof outbuf, &produced, inbuf + off, have - off, &used);
        if (rc) {
            return rc; /* the session is failed from now on */
        }
        if (produced && fwrite(outbuf, 1, produced, out) != produced) {
            return esdk_set_error(ESDK_ERR_IO, "cannot write the output");
        }
        off += used;
        *bytes_in += used;
        *bytes_out += produced;
        if (ended && produced == 0 && used == 0 && !esdk_session_is_done(s)) {
            /* cannot happen with a well-behaved session (it reports ESDK_ERR_TRUNCATED
             * itself), but a loop like this one should never spin */
            return esdk_set_error(ESDK_ERR_TRUNCATED, "no progress after the end of the input");
        }
    }
    if (off != have || (!ended && fgetc(in) != EOF)) {
        return esdk_set_error(ESDK_ERR_TRAILING_DATA, "bytes follow the end of the message");
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 5) {
        fprintf(
            stderr,
            "usage: %s encrypt|encrypt-unsigned|decrypt|decrypt-unsigned KEY_FILE INPUT OUTPUT\n",
            argv[0]);
        return 2;
    }
    const char *op = argv[1];
    esdk_mode mode;
    uint16_t suite = 0; /* 0: the commitment policy's default */
    if (strcmp(op, "encrypt") == 0) {
        mode = ESDK_MODE_ENCRYPT;
    } else if (strcmp(op, "encrypt-unsigned") == 0) {
        mode = ESDK_MODE_ENCRYPT;
        suite = ESDK_SUITE_AES_256_GCM_HKDF_SHA512_COMMIT_KEY;
    } else if (strcmp(op, "decrypt") == 0) {
        mode = ESDK_MODE_DECRYPT;
    } else if (strcmp(op, "decrypt-unsigned") == 0) {
        mode = ESDK_MODE_DECRYPT_UNSIGNED;
    } else {
        fprintf(stderr, "unknown operation '%s'\n", op);
        return 2;
    }

    uint8_t key[32];
    if (load_key(argv[2], key) != 0) {
        fprintf(stderr, "%s: expected a file of exactly 32 bytes\n", argv[2]);
        return 1;
    }
    esdk_keyring *keyring = NULL;
    esdk_options *opts = NULL;
    esdk_session *s = NULL;
    esdk_enc_ctx *ctx = NULL;
    FILE *in = NULL, *out = NULL;
    char partial[4096];
    uint64_t bytes_in = 0, bytes_out = 0;
    snprintf(partial, sizeof partial, "%s.partial", argv[4]);

    int rc = esdk_keyring_raw_aes_new("example", "stream-key", key, sizeof key, &keyring);
    memset(key, 0, sizeof key); /* the keyring keeps its own copy, in guarded memory */
    rc = rc ? rc : esdk_options_new(&opts);
    rc = rc ? rc : esdk_options_set_frame_length(opts, 64 * 1024);
    if (!rc && suite) {
        rc = esdk_options_set_suite(opts, suite);
    }
    rc = rc ? rc : esdk_session_new_with_keyring(mode, opts, keyring, &s);
    if (!rc && mode == ESDK_MODE_ENCRYPT) {
        /* authenticated and stored in clear in the header: no secrets here */
        rc = esdk_enc_ctx_new(&ctx);
        rc = rc ? rc : esdk_enc_ctx_set_str(ctx, "file", argv[3]);
        rc = rc ? rc : esdk_session_set_context(s, ctx);
    }
    if (!rc) {
        in = fopen(argv[3], "rb");
        out = fopen(partial, "wb");
        if (!in || !out) {
            rc = esdk_set_error(ESDK_ERR_IO, "cannot open %s or %s", argv[3], partial);
        }
    }
    if (!rc) {
        rc = stream(s, in, out, &bytes_in, &bytes_out);
    }
    if (out && fclose(out) != 0 && !rc) {
        rc = esdk_set_error(ESDK_ERR_IO, "cannot write %s", partial);
    }
    if (in) {
        fclose(in);
    }
    if (!rc && rename(partial, argv[4]) != 0) {
        rc = esdk_set_error(ESDK_ERR_IO, "cannot rename %s", partial);
    }

    if (rc) {
        unlink(partial);
        fprintf(stderr, "%s failed: %s: %s\n", op, esdk_error_name(rc), esdk_last_error_detail());
    } else {
        printf(
            "%s: %llu bytes in, %llu bytes out, suite 0x%04x (%s), frame length %u\n",
            op,
            (unsigned long long)bytes_in,
            (unsigned long long)bytes_out,
            esdk_session_suite(s),
            esdk_suite_name(esdk_session_suite(s)),
            (unsigned)esdk_session_frame_length(s));
        if (mode != ESDK_MODE_ENCRYPT) {
            /* Bytes of a signed message released before the signature was checked. They
             * were written to the partial file only, which would have been removed had the
             * signature failed. */
            printf(
                "released before the signature was verified: %llu bytes\n",
                (unsigned long long)esdk_session_unverified_bytes(s));
        }
    }
    esdk_session_release(s);
    esdk_enc_ctx_release(ctx);
    esdk_options_release(opts);
    esdk_keyring_release(keyring);
    return rc ? 1 : 0;
}
