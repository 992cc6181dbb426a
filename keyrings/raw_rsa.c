/* The raw RSA keyring (spec-facts 3.3): RSA wrapping of the data key under an application
 * key pair, provider info = key name. PKCS#1 v1.5 unwrapping uses implicit rejection
 * (crypto/rsa.h, keyrings/raw_rsa.h). */
#include <string.h>

#include <aws-esdk-c/error.h>
#include <aws-esdk-c/keyrings/raw_rsa.h>

#include "common/mem.h"
#include "common/status.h"
#include "crypto/rsa.h"
#include "format/context.h"

/* last: poisons calls this library must not make */
#include "banned.h"

#define MIN_BITS       2048u
#define MAX_BITS       8192u
#define MAX_CIPHERTEXT (MAX_BITS / 8u)
#define MAX_DATA_KEY   32

/* The public padding enum is passed to the crypto layer as it is. */
_Static_assert((int)ESDK_RSA_PKCS1 == (int)ESDK_RSA_PAD_PKCS1_V15, "padding values");
_Static_assert((int)ESDK_RSA_OAEP_SHA1_MGF1 == (int)ESDK_RSA_PAD_OAEP_SHA1, "padding values");
_Static_assert((int)ESDK_RSA_OAEP_SHA256_MGF1 == (int)ESDK_RSA_PAD_OAEP_SHA256, "padding values");
_Static_assert((int)ESDK_RSA_OAEP_SHA384_MGF1 == (int)ESDK_RSA_PAD_OAEP_SHA384, "padding values");
_Static_assert((int)ESDK_RSA_OAEP_SHA512_MGF1 == (int)ESDK_RSA_PAD_OAEP_SHA512, "padding values");

struct raw_rsa {
    char *key_namespace;
    char *key_name;
    esdk_rsa_pad pad;
    esdk_rsa_key *public_key;  /* NULL: cannot encrypt */
    esdk_rsa_key *private_key; /* NULL: cannot decrypt */
};

static int on_encrypt(void *state, esdk_enc_materials *m)
{
    struct raw_rsa *kr = state;
    const uint8_t *key;
    size_t key_len;
    uint8_t wrapped[MAX_CIPHERTEXT];
    if (!kr->public_key) {
        return esdk_fail(
            ESDK_ERR_BAD_STATE,
            "raw RSA keyring %s/%s has no public key: it cannot encrypt (a public "
            "key is never derived from the private key)",
            kr->key_namespace,
            kr->key_name);
    }
    if (!esdk_enc_materials_data_key(m, &key, &key_len)) {
        ESDK_TRY(esdk_enc_materials_generate_data_key(m));
        (void)esdk_enc_materials_data_key(m, &key, &key_len);
    }
    ESDK_TRY(esdk_rsa_encrypt(kr->public_key, key, key_len, wrapped));
    esdk_edk edk = {
        (const uint8_t *)kr->key_namespace,
        strlen(kr->key_namespace),
        (const uint8_t *)kr->key_name,
        strlen(kr->key_name),
        wrapped,
        esdk_rsa_key_len(kr->public_key)};
    return esdk_enc_materials_add_edk(m, &edk);
}

static bool edk_is_ours(const struct raw_rsa *kr, const esdk_edk *edk)
{
    return esdk_bytes_equal(
               edk->provider_id,
               edk->provider_id_len,
               kr->key_namespace,
               strlen(kr->key_namespace)) &&
           esdk_bytes_equal(
               edk->provider_info, edk->provider_info_len, kr->key_name, strlen(kr->key_name)) &&
           edk->ciphertext_len == esdk_rsa_key_len(kr->private_key);
}

static int on_decrypt(void *state, esdk_dec_materials *m, const esdk_edk_list *edks)
{
    struct raw_rsa *kr = state;
    const size_t key_len = esdk_suite_data_key_len(esdk_dec_materials_suite(m));
    uint8_t key[MAX_DATA_KEY];
    size_t tried = 0;
    int rc = ESDK_ERR_CANNOT_DECRYPT;
    if (!kr->private_key) {
        return esdk_fail(
            ESDK_ERR_BAD_STATE,
            "raw RSA keyring %s/%s has no private key: it cannot decrypt",
            kr->key_namespace,
            kr->key_name);
    }
    for (size_t i = 0; i < esdk_edk_list_count(edks) && rc == ESDK_ERR_CANNOT_DECRYPT; i++) {
        esdk_edk edk;
        ESDK_TRY_GOTO(rc, esdk_edk_list_get(edks, i, &edk));
        rc = ESDK_ERR_CANNOT_DECRYPT;
        if (!edk_is_ours(kr, &edk)) {
            continue;
        }
        tried++;
        /* OAEP: CANNOT_DECRYPT moves on to the next EDK. PKCS#1 v1.5 always returns a key
         * (the real one or its implicit-rejection substitute), so the first match decides. */
        rc = esdk_rsa_decrypt(kr->private_key, edk.ciphertext, edk.ciphertext_len, key, key_len);
        if (rc == 0) {
            rc = esdk_dec_materials_set_data_key(m, key, key_len);
        }
    }
    if (rc == ESDK_ERR_CANNOT_DECRYPT) {
        rc = esdk_fail(
            rc,
            "raw RSA keyring %s/%s: %zu matching EDK(s), none could be unwrapped",
            kr->key_namespace,
            kr->key_name,
            tried);
    }
cleanup:
    esdk_wipe(key, sizeof key);
    return rc;
}

static void destroy(void *state)
{
    struct raw_rsa *kr = state;
    esdk_str_release(kr->key_namespace);
    esdk_str_release(kr->key_name);
    esdk_rsa_key_release(kr->public_key);
    esdk_rsa_key_release(kr->private_key);
    esdk_mem_release(kr, sizeof *kr);
}

static const esdk_keyring_vtable raw_rsa_vt = {
    .size = sizeof(esdk_keyring_vtable),
    .name = "raw-rsa",
    .on_encrypt = on_encrypt,
    .on_decrypt = on_decrypt,
    .destroy = destroy,
};

static int check_size(const esdk_rsa_key *key, const char *which)
{
    size_t bits = esdk_rsa_key_bits(key);
    if (bits < MIN_BITS || bits > MAX_BITS) {
        return esdk_fail(
            ESDK_ERR_BAD_KEY,
            "the RSA %s key has %zu bits; raw RSA keyrings accept %u to %u",
            which,
            bits,
            MIN_BITS,
            MAX_BITS);
    }
    return 0;
}

static int check_names(const char *key_namespace, const char *key_name)
{
    if (strncmp(key_namespace, "aws-kms", 7) == 0) {
        return esdk_fail(ESDK_ERR_BAD_ARGUMENT, "the key namespace 'aws-kms' is reserved");
    }
    if (!esdk_utf8_is_valid((const uint8_t *)key_namespace, strlen(key_namespace)) ||
        !esdk_utf8_is_valid((const uint8_t *)key_name, strlen(key_name)) ||
        strlen(key_namespace) > 0xFFFF || strlen(key_name) > 0xFFFF) {
        return esdk_fail(
            ESDK_ERR_BAD_ARGUMENT,
            "key namespace or name is not valid UTF-8 of at most 65535 bytes");
    }
    return 0;
}

static int load_keys(
    struct raw_rsa *kr,
    const uint8_t *public_key,
    size_t public_key_len,
    const uint8_t *private_key,
    size_t private_key_len)
{
    if (public_key) {
        ESDK_TRY(esdk_rsa_public_key_parse(public_key, public_key_len, kr->pad, &kr->public_key));
        ESDK_TRY(check_size(kr->public_key, "public"));
    }
    if (private_key) {
        ESDK_TRY(
            esdk_rsa_private_key_parse(private_key, private_key_len, kr->pad, &kr->private_key));
        ESDK_TRY(check_size(kr->private_key, "private"));
    }
    if (kr->public_key && kr->private_key &&
        !esdk_rsa_keys_match(kr->public_key, kr->private_key)) {
        return esdk_fail(ESDK_ERR_BAD_KEY, "the RSA public and private keys are not a pair");
    }
    return 0;
}

int esdk_keyring_raw_rsa_new(
    const char *key_namespace,
    const char *key_name,
    esdk_rsa_padding padding,
    const uint8_t *public_key,
    size_t public_key_len,
    const uint8_t *private_key,
    size_t private_key_len,
    esdk_keyring **out)
{
    ESDK_ENSURE(key_namespace && key_name && out, ESDK_ERR_BAD_ARGUMENT);
    if ((public_key && public_key_len == 0) || (private_key && private_key_len == 0)) {
        return esdk_fail(ESDK_ERR_BAD_KEY, "an RSA key was given with length 0");
    }
    if (!public_key && !private_key) {
        return esdk_fail(ESDK_ERR_BAD_ARGUMENT, "a raw RSA keyring needs a public or private key");
    }
    if ((unsigned)padding > ESDK_RSA_OAEP_SHA512_MGF1) {
        return esdk_fail(ESDK_ERR_BAD_ARGUMENT, "unknown RSA padding %d", (int)padding);
    }
    ESDK_TRY(check_names(key_namespace, key_name));
    struct raw_rsa *kr = esdk_mem_acquire(sizeof *kr);
    if (!kr) {
        return esdk_fail(ESDK_ERR_NO_MEMORY, "cannot allocate a keyring");
    }
    kr->pad = (esdk_rsa_pad)padding;
    kr->key_namespace = esdk_str_copy(key_namespace);
    kr->key_name = esdk_str_copy(key_name);
    if (!kr->key_namespace || !kr->key_name) {
        destroy(kr);
        return esdk_fail(ESDK_ERR_NO_MEMORY, "cannot allocate a keyring");
    }
    int rc = load_keys(kr, public_key, public_key_len, private_key, private_key_len);
    if (rc) {
        destroy(kr);
        return rc;
    }
    return esdk_keyring_new(&raw_rsa_vt, kr, out);
}
