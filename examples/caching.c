/* Data-key caching: many messages, few keyring calls.
 *
 * Every encrypt asks a keyring for a data key. With a remote key service (AWS KMS, an HSM
 * across the network) that call dominates the cost of small messages. The caching CMM keeps
 * the materials of one call and reuses them for the next messages, within limits.
 *
 * To show what happens, the raw AES keyring is wrapped in a "counting" keyring written
 * through the public vtable: it counts the calls and hands each one on.
 *
 *   caching [MESSAGES]      (default 100)
 *
 * Prints the keyring calls for MESSAGES messages without a cache, with a cache, and with a
 * cache whose entries may serve at most 25 messages each; exits 1 if a count is not the
 * expected one. */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <aws-esdk-c/esdk.h>

/* ---- a keyring that counts calls and delegates to another keyring ---- */

typedef struct counting {
    esdk_keyring *inner; /* one reference, released in destroy */
    atomic_uint encrypts;
    atomic_uint decrypts;
} counting;

static int counting_encrypt(void *state, esdk_enc_materials *m)
{
    counting *c = state;
    atomic_fetch_add(&c->encrypts, 1);
    return esdk_keyring_on_encrypt(c->inner, m);
}

static int counting_decrypt(void *state, esdk_dec_materials *m, const esdk_edk_list *edks)
{
    counting *c = state;
    atomic_fetch_add(&c->decrypts, 1);
    return esdk_keyring_on_decrypt(c->inner, m, edks);
}

static void counting_destroy(void *state)
{
    counting *c = state;
    esdk_keyring_release(c->inner);
    free(c);
}

static const esdk_keyring_vtable counting_vtable = {
    .size = sizeof(esdk_keyring_vtable),
    .name = "counting",
    .on_encrypt = counting_encrypt,
    .on_decrypt = counting_decrypt,
    .destroy = counting_destroy,
};

/* ---- the demonstration ---- */

static int fail(const char *what, int rc)
{
    fprintf(stderr, "%s: %s: %s\n", what, esdk_error_name(rc), esdk_last_error_detail());
    exit(1);
}

/* Encrypt n messages with cmm, then decrypt each with dec_cmm; returns nothing, exits on
 * failure. */
static void run(esdk_cmm *cmm, esdk_cmm *dec_cmm, const esdk_enc_ctx *ctx, unsigned n)
{
    for (unsigned i = 0; i < n; i++) {
        char text[64];
        int len = snprintf(text, sizeof text, "order %u: 3 boxes of tea", i);
        esdk_buf message = ESDK_BUF_INIT, plain = ESDK_BUF_INIT;
        int rc = esdk_encrypt(NULL, cmm, NULL, ctx, (const uint8_t *)text, (size_t)len, &message);
        if (rc) {
            fail("encrypt", rc);
        }
        rc = esdk_decrypt(NULL, dec_cmm, NULL, NULL, message.data, message.len, &plain, NULL);
        if (rc) {
            fail("decrypt", rc);
        }
        if (plain.len != (size_t)len || memcmp(plain.data, text, plain.len) != 0) {
            fprintf(stderr, "message %u did not round-trip\n", i);
            exit(1);
        }
        esdk_buf_release(&message);
        esdk_buf_release(&plain);
    }
}

int main(int argc, char **argv)
{
    unsigned n = argc > 1 ? (unsigned)strtoul(argv[1], NULL, 10) : 100;
    if (n == 0) {
        fprintf(stderr, "usage: %s [MESSAGES]\n", argv[0]);
        return 2;
    }

    /* The wrapping key: a real application loads it from its key store. */
    uint8_t key[32];
    for (size_t i = 0; i < sizeof key; i++) {
        key[i] = (uint8_t)(7 * i + 3);
    }
    esdk_keyring *aes = NULL, *keyring = NULL;
    int rc = esdk_keyring_raw_aes_new("example", "orders-key", key, sizeof key, &aes);
    memset(key, 0, sizeof key);
    if (rc) {
        fail("raw AES keyring", rc);
    }
    counting *state = calloc(1, sizeof *state);
    if (!state) {
        return 1;
    }
    state->inner = aes; /* the counting keyring takes over this reference */
    atomic_init(&state->encrypts, 0);
    atomic_init(&state->decrypts, 0);
    if ((rc = esdk_keyring_new(&counting_vtable, state, &keyring)) != 0) {
        fail("counting keyring", rc); /* destroy was called: state is gone */
    }

    esdk_enc_ctx *ctx = NULL;
    if ((rc = esdk_enc_ctx_new(&ctx)) != 0 ||
        (rc = esdk_enc_ctx_set_str(ctx, "department", "shipping")) != 0) {
        fail("context", rc);
    }
    int bad = 0;

    /* 1. No cache: a default CMM asks the keyring for every message, both ways. */
    esdk_cmm *plain_cmm = NULL;
    if ((rc = esdk_cmm_default_new(keyring, &plain_cmm)) != 0) {
        fail("default CMM", rc);
    }
    run(plain_cmm, plain_cmm, ctx, n);
    unsigned e = atomic_exchange(&state->encrypts, 0), d = atomic_exchange(&state->decrypts, 0);
    printf(
        "no cache:                     %u messages, %u encrypt calls, %u decrypt calls\n", n, e, d);
    bad |= e != n || d != n;
    esdk_cmm_release(plain_cmm);

    /* 2. A local cache of up to 10 entries behind a caching CMM, entries used for at most
     * 5 minutes. Messages with the same context and suite share one data key; each message
     * still derives its own encryption key from its random message id. Decrypt reuses the
     * data key it unwrapped for the same encrypted data keys. */
    esdk_cache *cache = NULL;
    esdk_cmm *caching = NULL;
    if ((rc = esdk_cache_local_new(10, &cache)) != 0 ||
        (rc = esdk_cmm_caching_new(NULL, keyring, cache, 5 * 60 * 1000, &caching)) != 0) {
        fail("caching CMM", rc);
    }
    run(caching, caching, ctx, n);
    e = atomic_exchange(&state->encrypts, 0);
    d = atomic_exchange(&state->decrypts, 0);
    printf(
        "cache:                        %u messages, %u encrypt calls, %u decrypt calls\n", n, e, d);
    bad |= e != 1 || d != 1;
    esdk_cmm_release(caching);

    /* 3. The same cache with a bound on reuse: one data key encrypts at most 25 messages.
     * (Limits are set before the CMM is first used.) A new partition keeps these entries
     * apart from those of the CMM above, although they share the cache. */
    if ((rc = esdk_cmm_caching_new(NULL, keyring, cache, 5 * 60 * 1000, &caching)) != 0 ||
        (rc = esdk_cmm_caching_set_limit_messages(caching, 25)) != 0 ||
        (rc = esdk_cmm_caching_set_partition_id(caching, (const uint8_t *)"bounded", 7)) != 0) {
        fail("bounded caching CMM", rc);
    }
    run(caching, caching, ctx, n);
    e = atomic_exchange(&state->encrypts, 0);
    d = atomic_exchange(&state->decrypts, 0);
    unsigned expect = (n + 24) / 25;
    printf(
        "cache, 25 messages per key:   %u messages, %u encrypt calls, %u decrypt calls\n", n, e, d);
    bad |= e != expect || d != expect;
    printf("local cache entries now: %zu\n", esdk_cache_local_count(cache));

    esdk_cmm_release(caching);
    esdk_cache_release(cache);
    esdk_enc_ctx_release(ctx);
    esdk_keyring_release(keyring);
    if (bad) {
        fprintf(stderr, "unexpected number of keyring calls\n");
        return 1;
    }
    return 0;
}
