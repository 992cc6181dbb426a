/* Builders for "raw" key descriptions: raw AES (esdk_keyring_raw_aes_new) and raw RSA
 * (esdk_keyring_raw_rsa_new). */
#define _POSIX_C_SOURCE 200809L

#include <stdlib.h>
#include <string.h>

#include <aws-esdk-c/keyrings/raw_aes.h>
#include <aws-esdk-c/keyrings/raw_rsa.h>

#include "kf_internal.h"
#include "util.h"

static void free_secret(uint8_t *p, size_t len)
{
    if (p) {
        memset(p, 0, len);
        free(p);
    }
}

/* encryption-algorithm "aes". */
static bool kf_raw_aes(kf_ctx *ctx, const cJSON *desc, kf_candidate *out)
{
    const char *name;
    const cJSON *key = kf_lookup_key(ctx, desc, &name);
    const char *provider = vu_json_str(desc, "provider-id");
    if (!key) {
        return false;
    }
    if (!provider) {
        kf_bad(ctx, "raw AES description for \"%s\" has no provider-id", name);
        return false;
    }
    const char *type = vu_json_str(key, "type");
    if (type && strcmp(type, "symmetric") != 0) {
        kf_bad(ctx, "key \"%s\" is not symmetric but used as raw AES", name);
        return false;
    }
    uint8_t *material;
    size_t len;
    if (!kf_key_allows(ctx, key, name) || kf_key_material(ctx, key, name, &material, &len)) {
        return false;
    }
    const char *id = kf_key_id(key, desc, name);
    esdk_keyring *kr = NULL;
    int rc = esdk_keyring_raw_aes_new(provider, id, material, len, &kr);
    free_secret(material, len);
    return kf_made(out, vu_xasprintf("raw-aes %s/%s", provider, id), rc, kr);
}

/* padding-algorithm pkcs1 | oaep-mgf1 with padding-hash sha1 | sha256 | sha384 | sha512. */
static bool rsa_padding(kf_ctx *ctx, const cJSON *desc, esdk_rsa_padding *pad)
{
    static const struct {
        const char *hash;
        esdk_rsa_padding pad;
    } oaep[] = {
        {"sha1", ESDK_RSA_OAEP_SHA1_MGF1},
        {"sha256", ESDK_RSA_OAEP_SHA256_MGF1},
        {"sha384", ESDK_RSA_OAEP_SHA384_MGF1},
        {"sha512", ESDK_RSA_OAEP_SHA512_MGF1},
    };
    const char *alg = vu_json_str(desc, "padding-algorithm");
    const char *hash = vu_json_str(desc, "padding-hash");
    if (alg && strcmp(alg, "pkcs1") == 0) {
        *pad = ESDK_RSA_PKCS1;
        return true;
    }
    if (alg && strcmp(alg, "oaep-mgf1") == 0) {
        for (size_t i = 0; hash && i < sizeof(oaep) / sizeof(oaep[0]); i++) {
            if (strcmp(hash, oaep[i].hash) == 0) {
                *pad = oaep[i].pad;
                return true;
            }
        }
        kf_bad(ctx, "RSA OAEP description has padding-hash \"%s\"", hash ? hash : "(none)");
        return false;
    }
    kf_bad(ctx, "RSA description has padding-algorithm \"%s\"", alg ? alg : "(none)");
    return false;
}

/* For encrypt with a private key entry: the public key entry with the same key-id. */
static const cJSON *public_partner(kf_ctx *ctx, const cJSON *key)
{
    const char *id = vu_json_str(key, "key-id");
    const cJSON *k;
    cJSON_ArrayForEach(k, ctx->keys)
    {
        const char *type = vu_json_str(k, "type");
        const char *kid = vu_json_str(k, "key-id");
        if (id && kid && type && strcmp(type, "public") == 0 && strcmp(kid, id) == 0) {
            return k;
        }
    }
    return NULL;
}

/* encryption-algorithm "rsa": "private" (PKCS#8 PEM) or "public" (SPKI PEM) keys. */
static bool kf_raw_rsa(kf_ctx *ctx, const cJSON *desc, kf_candidate *out)
{
    const char *name;
    const cJSON *key = kf_lookup_key(ctx, desc, &name);
    const char *provider = vu_json_str(desc, "provider-id");
    esdk_rsa_padding pad;
    if (!key || !kf_key_allows(ctx, key, name)) {
        return false;
    }
    if (!provider) {
        kf_bad(ctx, "raw RSA description for \"%s\" has no provider-id", name);
        return false;
    }
    if (!rsa_padding(ctx, desc, &pad)) {
        return false;
    }
    const char *type = vu_json_str(key, "type");
    bool is_private = type && strcmp(type, "private") == 0;
    if (!is_private && !(type && strcmp(type, "public") == 0)) {
        kf_bad(ctx, "key \"%s\" is neither a private nor a public RSA key", name);
        return false;
    }
    const cJSON *pub_key = is_private ? NULL : key;
    if (ctx->purpose == KF_FOR_DECRYPT && !is_private) {
        kf_unusable(ctx, "RSA key \"%s\" is public: it cannot decrypt", name);
        return false;
    }
    if (ctx->purpose == KF_FOR_ENCRYPT && is_private && !(pub_key = public_partner(ctx, key))) {
        kf_unusable(ctx, "RSA key \"%s\" has no public key entry to encrypt with", name);
        return false;
    }
    uint8_t *priv = NULL, *pub = NULL;
    size_t priv_len = 0, pub_len = 0;
    if ((ctx->purpose == KF_FOR_DECRYPT && kf_key_material(ctx, key, name, &priv, &priv_len)) ||
        (ctx->purpose == KF_FOR_ENCRYPT && kf_key_material(ctx, pub_key, name, &pub, &pub_len))) {
        return false;
    }
    const char *id = kf_key_id(key, desc, name);
    esdk_keyring *kr = NULL;
    int rc = esdk_keyring_raw_rsa_new(provider, id, pad, pub, pub_len, priv, priv_len, &kr);
    free_secret(priv, priv_len);
    free(pub);
    return kf_made(out, vu_xasprintf("raw-rsa %s/%s", provider, id), rc, kr);
}

bool kf_raw(kf_ctx *ctx, const cJSON *desc, kf_candidate *out)
{
    const char *alg = vu_json_str(desc, "encryption-algorithm");
    if (alg && strcmp(alg, "aes") == 0) {
        return kf_raw_aes(ctx, desc, out);
    }
    if (alg && strcmp(alg, "rsa") == 0) {
        return kf_raw_rsa(ctx, desc, out);
    }
    kf_unusable(ctx, "raw key with encryption-algorithm \"%s\" not supported", alg ? alg : "?");
    return false;
}
