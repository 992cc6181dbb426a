/* AES-GCM. AES-256 runs on libsodium's AES-NI code when the CPU has it (about 9x mbedTLS
 * 2.28, whose GCM is not accelerated); other key sizes use mbedTLS. The key schedule is
 * expanded once per key object and reused for every frame. */
#include "crypto/aead.h"

#include <stdbool.h>
#include <string.h>

#include <mbedtls/gcm.h>
#include <sodium.h>

#include <aws-esdk-c/error.h>

#include "banned.h"
#include "common/mem.h"
#include "common/status.h"
#include "crypto/random.h"

struct esdk_aead_key {
    /* first, so that the 16-byte alignment libsodium wants holds for malloc'd blocks */
    crypto_aead_aes256gcm_state sodium;
    mbedtls_gcm_context gcm;
    bool use_sodium;
};

int esdk_aead_key_new(const uint8_t *key, size_t key_len, esdk_aead_key **out)
{
    ESDK_ENSURE(key != NULL && out != NULL, ESDK_ERR_BAD_ARGUMENT);
    if (key_len != 16 && key_len != 24 && key_len != 32) {
        return esdk_fail(ESDK_ERR_BAD_KEY, "AES key of %zu bytes", key_len);
    }
    ESDK_TRY(esdk_crypto_init());
    esdk_aead_key *k = esdk_mem_acquire(sizeof *k);
    if (!k) {
        return esdk_fail(ESDK_ERR_NO_MEMORY, "cannot allocate an AES key");
    }
    mbedtls_gcm_init(&k->gcm);
    k->use_sodium = key_len == 32 && crypto_aead_aes256gcm_is_available();
    int rc = 0;
    if (k->use_sodium) {
        crypto_aead_aes256gcm_beforenm(&k->sodium, key);
    } else if (
        mbedtls_gcm_setkey(&k->gcm, MBEDTLS_CIPHER_ID_AES, key, (unsigned)key_len * 8) != 0) {
        rc = esdk_fail(ESDK_ERR_CRYPTO, "AES-GCM key setup failed");
    }
    if (rc) {
        esdk_aead_key_release(k);
        return rc;
    }
    *out = k;
    return 0;
}

void esdk_aead_key_release(esdk_aead_key *k)
{
    if (k) {
        mbedtls_gcm_free(&k->gcm); /* zeroizes the context */
        esdk_mem_release_secret(k, sizeof *k);
    }
}

int esdk_aead_encrypt(
    esdk_aead_key *k,
    const uint8_t iv[ESDK_GCM_IV_LEN],
    const uint8_t *aad,
    size_t aad_len,
    const uint8_t *in,
    size_t len,
    uint8_t *out,
    uint8_t tag[ESDK_GCM_TAG_LEN])
{
    static const uint8_t none[1] = {0};
    uint8_t scratch[1];
    in = in ? in : none;
    out = out ? out : scratch;
    aad = aad ? aad : none;
    if (k->use_sodium) {
        unsigned long long tag_len;
        crypto_aead_aes256gcm_encrypt_detached_afternm(
            out, tag, &tag_len, in, len, aad, aad_len, NULL, iv, &k->sodium);
        return 0;
    }
    if (mbedtls_gcm_crypt_and_tag(
            &k->gcm,
            MBEDTLS_GCM_ENCRYPT,
            len,
            iv,
            ESDK_GCM_IV_LEN,
            aad,
            aad_len,
            in,
            out,
            ESDK_GCM_TAG_LEN,
            tag) != 0) {
        return esdk_fail(ESDK_ERR_CRYPTO, "AES-GCM encryption failed");
    }
    return 0;
}

int esdk_aead_decrypt(
    esdk_aead_key *k,
    const uint8_t iv[ESDK_GCM_IV_LEN],
    const uint8_t *aad,
    size_t aad_len,
    const uint8_t *in,
    size_t len,
    const uint8_t tag[ESDK_GCM_TAG_LEN],
    uint8_t *out)
{
    static const uint8_t none[1] = {0};
    uint8_t scratch[1];
    in = in ? in : none;
    out = out ? out : scratch;
    aad = aad ? aad : none;
    int ok;
    if (k->use_sodium) {
        ok = crypto_aead_aes256gcm_decrypt_detached_afternm(
                 out, NULL, in, len, tag, aad, aad_len, iv, &k->sodium) == 0;
    } else {
        ok = mbedtls_gcm_auth_decrypt(
                 &k->gcm, len, iv, ESDK_GCM_IV_LEN, aad, aad_len, tag, ESDK_GCM_TAG_LEN, in, out) ==
             0;
    }
    if (!ok) {
        esdk_wipe(out, len);
        return esdk_fail(ESDK_ERR_BAD_TAG, "AES-GCM tag mismatch");
    }
    return 0;
}

int esdk_aead_seal(
    const uint8_t *key,
    size_t key_len,
    const uint8_t iv[ESDK_GCM_IV_LEN],
    const uint8_t *aad,
    size_t aad_len,
    const uint8_t *in,
    size_t len,
    uint8_t *out,
    uint8_t tag[ESDK_GCM_TAG_LEN])
{
    esdk_aead_key *k = NULL;
    ESDK_TRY(esdk_aead_key_new(key, key_len, &k));
    int rc = esdk_aead_encrypt(k, iv, aad, aad_len, in, len, out, tag);
    esdk_aead_key_release(k);
    return rc;
}

int esdk_aead_open(
    const uint8_t *key,
    size_t key_len,
    const uint8_t iv[ESDK_GCM_IV_LEN],
    const uint8_t *aad,
    size_t aad_len,
    const uint8_t *in,
    size_t len,
    const uint8_t tag[ESDK_GCM_TAG_LEN],
    uint8_t *out)
{
    esdk_aead_key *k = NULL;
    ESDK_TRY(esdk_aead_key_new(key, key_len, &k));
    int rc = esdk_aead_decrypt(k, iv, aad, aad_len, in, len, tag, out);
    esdk_aead_key_release(k);
    return rc;
}
