/* Encrypt and decrypt with a key that never leaves a hardware security module, through
 * PKCS#11. Here the HSM is SoftHSM2 with the default token of scripts/hsm-init.sh; any
 * PKCS#11 module (AWS CloudHSM, YubiHSM, Luna, ...) works the same way with another module
 * path, token and key (see keyrings/pkcs11.h).
 *
 *   scripts/hsm-init.sh        once: creates the token "aws-esdk-default" holding the AES-256
 *                              key "aws-esdk-default-key" (generated inside the token,
 *                              never extractable) and a random PIN in a 0600 file
 *   hsm_softhsm                then this
 *
 * The data key of each message is wrapped and unwrapped inside the token (CKM_AES_GCM); the
 * application never holds the wrapping key. The PIN is read from the PIN file when the
 * keyring logs in and wiped right after. */
#include <stdio.h>
#include <string.h>

#include <aws-esdk-c/esdk.h>

static int fail(const char *what, int rc)
{
    fprintf(stderr, "%s: %s: %s\n", what, esdk_error_name(rc), esdk_last_error_detail());
    if (rc == ESDK_ERR_UNAVAILABLE || rc == ESDK_ERR_ACCESS_DENIED || rc == ESDK_ERR_BAD_KEY) {
        fprintf(stderr, "hint: create the default token first with scripts/hsm-init.sh\n");
    }
    return 1;
}

/* Print an EDK field, which may be binary (the provider info holds an IV). */
static void print_field(const char *name, const uint8_t *p, size_t len)
{
    printf("    %s: ", name);
    for (size_t i = 0; i < len; i++) {
        if (p[i] >= 0x20 && p[i] < 0x7f) {
            putchar(p[i]);
        } else {
            printf("\\x%02x", p[i]);
        }
    }
    printf(" (%zu bytes)\n", len);
}

/* Decrypt through a session (rather than esdk_decrypt) to look at the header too. */
static int decrypt_and_show(
    esdk_keyring *keyring, const esdk_buf *message, uint8_t *plain, size_t cap, size_t *plain_len)
{
    esdk_session *s = NULL;
    int rc = esdk_session_new_with_keyring(ESDK_MODE_DECRYPT, NULL, keyring, &s);
    if (rc) {
        return rc;
    }
    size_t used = 0;
    rc = esdk_session_end_input(s); /* the whole message is in memory */
    if (!rc) {
        /* a short message: one call with room for all of it */
        rc = esdk_session_process(s, plain, cap, plain_len, message->data, message->len, &used);
    }
    if (!rc && (!esdk_session_is_done(s) || used != message->len)) {
        rc = esdk_set_error(ESDK_ERR_INTERNAL, "a short message did not decrypt in one call");
    }
    if (!rc) {
        const esdk_edk_list *edks = esdk_session_edks(s);
        printf("the message holds %zu encrypted data key(s):\n", esdk_edk_list_count(edks));
        for (size_t i = 0; i < esdk_edk_list_count(edks); i++) {
            esdk_edk e;
            if (esdk_edk_list_get(edks, i, &e) == 0) {
                print_field("provider id  ", e.provider_id, e.provider_id_len);
                print_field("provider info", e.provider_info, e.provider_info_len);
                printf(
                    "    ciphertext:    %zu bytes (wrapped data key + GCM tag)\n",
                    e.ciphertext_len);
            }
        }
    }
    esdk_session_release(s);
    return rc;
}

int main(void)
{
    static const char text[] = "payroll run 2026-11: approved";
    esdk_pkcs11_defaults where;
    esdk_pkcs11_config *cfg = NULL;
    esdk_keyring *hsm = NULL;
    esdk_enc_ctx *ctx = NULL;
    esdk_buf message = ESDK_BUF_INIT;
    uint8_t plain[256];
    size_t plain_len = 0;
    int rc, status = 1;

    if ((rc = esdk_pkcs11_default_paths(&where)) != 0) {
        return fail("default layout", rc);
    }
    printf("PKCS#11 module: %s\n", where.module_path);
    printf("token / key:    %s / %s\n", where.token_label, where.key_label);
    printf("PIN file:       %s\n", where.pin_file);

    /* The default configuration names all of the above (and sets SOFTHSM2_CONF to the
     * token store's configuration when it is not set). Setters could change any of it, e.g.
     * esdk_pkcs11_config_set_module(cfg, "/opt/cloudhsm/lib/libcloudhsm_pkcs11.so"). */
    if ((rc = esdk_pkcs11_config_new_default(&cfg)) != 0) {
        return fail("configuration", rc);
    }
    /* Eager connection (the default): loads the module, logs in and finds the key now, so a
     * wrong setting fails here with a precise error. */
    rc = esdk_keyring_pkcs11_new(cfg, &hsm);
    esdk_pkcs11_config_release(cfg); /* the keyring copied it */
    if (rc) {
        return fail("PKCS#11 keyring", rc);
    }

    if ((rc = esdk_enc_ctx_new(&ctx)) != 0 ||
        (rc = esdk_enc_ctx_set_str(ctx, "department", "finance")) != 0) {
        status = fail("context", rc);
        goto done;
    }
    if ((rc = esdk_encrypt(NULL, NULL, hsm, ctx, (const uint8_t *)text, strlen(text), &message)) !=
        0) {
        status = fail("encrypt", rc);
        goto done;
    }
    printf("encrypted %zu bytes into a %zu-byte message\n", strlen(text), message.len);

    if ((rc = decrypt_and_show(hsm, &message, plain, sizeof plain, &plain_len)) != 0) {
        status = fail("decrypt", rc);
        goto done;
    }
    if (plain_len != strlen(text) || memcmp(plain, text, plain_len) != 0) {
        fprintf(stderr, "the round trip changed the text\n");
        goto done;
    }
    printf("decrypted with the token: \"%.*s\"\n", (int)plain_len, (const char *)plain);
    status = 0;

done:
    memset(plain, 0, sizeof plain); /* plaintext, wiped like the library wipes its own */
    esdk_buf_release(&message);
    esdk_enc_ctx_release(ctx);
    esdk_keyring_release(hsm); /* the last keyring of the module finalizes it */
    return status;
}
