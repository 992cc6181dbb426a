/* Encrypt and decrypt a short text with an AWS KMS keyring.
 *
 *   kms_local ENDPOINT KEY_ARN
 *
 * ENDPOINT is a KMS-compatible endpoint such as http://127.0.0.1:PORT (the test server
 * tests/kms/kms-local), or "-" for the real AWS KMS endpoint of the key's region. Credentials
 * come from the usual places: AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (/ AWS_SESSION_TOKEN),
 * or the profile (AWS_PROFILE) of ~/.aws/credentials and ~/.aws/config.
 * Run against the local server by tests/kms (ctest -R kms.example). */
#include <stdio.h>
#include <string.h>

#include <aws-esdk-c/esdk.h>

static int fail(const char *what, int rc)
{
    fprintf(
        stderr,
        "%s: %s (%s): %s\n",
        what,
        esdk_error_name(rc),
        esdk_strerror(rc),
        esdk_last_error_detail());
    return 1;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s ENDPOINT|- KEY_ARN\n", argv[0]);
        return 2;
    }
    const char *text = "Hello from aws-esdk-c through AWS KMS";
    esdk_kms_options *opts = NULL;
    esdk_keyring *keyring = NULL;
    esdk_enc_ctx *context = NULL;
    esdk_buf message = ESDK_BUF_INIT, plaintext = ESDK_BUF_INIT;
    int rc, status = 1;

    /* Options are copied into the keyring: release them whenever convenient. */
    if ((rc = esdk_kms_options_new(&opts)) != 0 ||
        (strcmp(argv[1], "-") != 0 && (rc = esdk_kms_options_set_endpoint(opts, argv[1])) != 0) ||
        (rc = esdk_kms_keyring_new(argv[2], opts, &keyring)) != 0) {
        status = fail("keyring", rc);
        goto done;
    }
    /* The encryption context is sent to KMS too (it is logged there: no secrets in it). */
    if ((rc = esdk_enc_ctx_new(&context)) != 0 ||
        (rc = esdk_enc_ctx_set_str(context, "purpose", "example")) != 0) {
        status = fail("context", rc);
        goto done;
    }
    if ((rc = esdk_encrypt(
             NULL, NULL, keyring, context, (const uint8_t *)text, strlen(text), &message)) != 0) {
        status = fail("encrypt", rc);
        goto done;
    }
    printf(
        "encrypted %zu bytes into a %zu-byte message under %s\n",
        strlen(text),
        message.len,
        argv[2]);
    if ((rc = esdk_decrypt(
             NULL, NULL, keyring, context, message.data, message.len, &plaintext, NULL)) != 0) {
        status = fail("decrypt", rc);
        goto done;
    }
    if (plaintext.len != strlen(text) || memcmp(plaintext.data, text, plaintext.len) != 0) {
        fprintf(stderr, "the decrypted text differs\n");
        goto done;
    }
    printf("decrypted: %.*s\n", (int)plaintext.len, (const char *)plaintext.data);
    status = 0;
done:
    esdk_buf_release(&plaintext);
    esdk_buf_release(&message);
    esdk_enc_ctx_release(context);
    esdk_keyring_release(keyring);
    esdk_kms_options_release(opts);
    return status;
}
