/* Cross-region wrapping with a multi-keyring, using only the public API.
 *
 * One message is wrapped under two "regions" (here two independent raw AES keys named
 * us-east-1 and eu-west-1; with AWS KMS they would be keys in two regions). Each region
 * can open it alone. When us-east-1 cannot be reached, a multi-keyring that tries
 * us-east-1 first falls over to eu-west-1. When no region can open it, the error detail
 * says what each region answered.
 *
 * Exits 0 when everything behaved as described, 1 otherwise. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <aws-esdk-c/esdk.h>

static int failures;

static void check(int ok, const char *what)
{
    printf("%-60s %s\n", what, ok ? "ok" : "UNEXPECTED");
    if (!ok) {
        printf("    last error: %s\n", esdk_last_error_detail());
        failures++;
    }
}

/* A region keyring that cannot reach its backend: a keyring of our own, written against the
 * same public vtable as the built-in ones. */
static int unreachable_encrypt(void *state, esdk_enc_materials *m)
{
    (void)m;
    return esdk_set_error(ESDK_ERR_UNAVAILABLE, "region %s unreachable", (const char *)state);
}

static int unreachable_decrypt(void *state, esdk_dec_materials *m, const esdk_edk_list *edks)
{
    (void)m;
    (void)edks;
    return esdk_set_error(ESDK_ERR_UNAVAILABLE, "region %s unreachable", (const char *)state);
}

static const esdk_keyring_vtable unreachable_vtable = {
    .size = sizeof(esdk_keyring_vtable),
    .name = "unreachable-region",
    .on_encrypt = unreachable_encrypt,
    .on_decrypt = unreachable_decrypt,
    .destroy = NULL, /* the state is a string literal */
};

/* A region's wrapping key. A real application loads it from its key store; the fixed bytes
 * keep this example self-contained. */
static esdk_keyring *region_keyring(const char *region, unsigned char seed)
{
    uint8_t key[32];
    for (size_t i = 0; i < sizeof key; i++) {
        key[i] = (uint8_t)(seed + 13 * i);
    }
    esdk_keyring *k = NULL;
    if (esdk_keyring_raw_aes_new("example-regions", region, key, sizeof key, &k) != 0) {
        fprintf(stderr, "cannot make the %s keyring: %s\n", region, esdk_last_error_detail());
        exit(1);
    }
    return k;
}

static esdk_keyring *multi(esdk_keyring *generator, esdk_keyring *child)
{
    esdk_keyring *k = NULL;
    if (esdk_keyring_multi_new(generator, &child, 1, &k) != 0) {
        fprintf(stderr, "cannot make a multi-keyring: %s\n", esdk_last_error_detail());
        exit(1);
    }
    return k;
}

/* Decrypt and compare; returns the status. */
static int open_with(esdk_keyring *kr, const esdk_buf *message, const char *expected)
{
    esdk_buf out = ESDK_BUF_INIT;
    int rc = esdk_decrypt(NULL, NULL, kr, NULL, message->data, message->len, &out, NULL);
    if (rc == 0 && (out.len != strlen(expected) || memcmp(out.data, expected, out.len) != 0)) {
        rc = ESDK_ERR_INTERNAL; /* decrypted to something else: never expected */
    }
    esdk_buf_release(&out);
    return rc;
}

int main(void)
{
    static const char secret[] = "quarterly numbers, replicated to two regions";
    esdk_keyring *us = region_keyring("us-east-1", 1);
    esdk_keyring *eu = region_keyring("eu-west-1", 2);

    /* Encrypt once, wrapped under both regions: us-east-1 makes the data key, eu-west-1
     * wraps it too. */
    esdk_keyring *both = multi(us, eu);
    esdk_enc_ctx *ctx = NULL;
    esdk_buf message = ESDK_BUF_INIT;
    if (esdk_enc_ctx_new(&ctx) != 0 || esdk_enc_ctx_set_str(ctx, "dataset", "finance") != 0 ||
        esdk_encrypt(NULL, NULL, both, ctx, (const uint8_t *)secret, strlen(secret), &message) !=
            0) {
        fprintf(stderr, "encrypt failed: %s\n", esdk_last_error_detail());
        return 1;
    }
    printf(
        "encrypted %zu bytes into a %zu-byte message wrapped for two regions\n",
        strlen(secret),
        message.len);

    check(open_with(us, &message, secret) == 0, "us-east-1 alone opens it");
    check(open_with(eu, &message, secret) == 0, "eu-west-1 alone opens it");

    /* us-east-1 is down: the multi-keyring tries it first, then eu-west-1. */
    esdk_keyring *us_down = NULL;
    if (esdk_keyring_new(&unreachable_vtable, (void *)"us-east-1", &us_down) != 0) {
        return 1;
    }
    esdk_keyring *failover = multi(us_down, eu);
    check(
        open_with(failover, &message, secret) == 0,
        "us-east-1 unreachable: eu-west-1 opens it instead");

    /* No region can open it: us-east-1 is down and this eu-west-1 key is not the one used. */
    esdk_keyring *eu_wrong = region_keyring("eu-west-1", 99);
    esdk_keyring *hopeless = multi(us_down, eu_wrong);
    int rc = open_with(hopeless, &message, secret);
    const char *detail = esdk_last_error_detail();
    printf("no region can open it: %s\n    %s\n", esdk_error_name(rc), detail);
    check(
        rc == ESDK_ERR_CANNOT_DECRYPT && strstr(detail, "region us-east-1 unreachable") &&
            strstr(detail, "eu-west-1"),
        "no region: one error naming each region's failure");

    esdk_keyring_release(hopeless);
    esdk_keyring_release(eu_wrong);
    esdk_keyring_release(failover);
    esdk_keyring_release(us_down);
    esdk_keyring_release(both);
    esdk_keyring_release(eu);
    esdk_keyring_release(us);
    esdk_enc_ctx_release(ctx);
    esdk_buf_release(&message);
    return failures ? 1 : 0;
}
