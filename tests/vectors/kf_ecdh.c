/* Builder for "raw-ecdh" key descriptions (static, discovery or ephemeral schema). Keys come
 * from "ecc-private" entries: PEM "sender-material" / "recipient-material" private keys and
 * base64 DER public keys under the names the description gives ("sender-public-key",
 * "recipient-public-key", e.g. "recipient-material-public-key"). */
#define _POSIX_C_SOURCE 200809L

#include <stdlib.h>
#include <string.h>

#include <aws-esdk-c/keyrings/raw_ecdh.h>

#include "kf_internal.h"
#include "util.h"

static bool curve_of(kf_ctx *ctx, const cJSON *desc, esdk_ecdh_curve *curve)
{
    static const struct {
        const char *name;
        esdk_ecdh_curve curve;
    } names[] = {
        {"ecc-256", ESDK_ECDH_CURVE_P256},
        {"ecc-384", ESDK_ECDH_CURVE_P384},
        {"ecc-521", ESDK_ECDH_CURVE_P521},
        {"ECC_NIST_P256", ESDK_ECDH_CURVE_P256},
        {"ECC_NIST_P384", ESDK_ECDH_CURVE_P384},
        {"ECC_NIST_P521", ESDK_ECDH_CURVE_P521},
    };
    const char *c = vu_json_str(desc, "ecc-curve");
    for (size_t i = 0; c && i < sizeof(names) / sizeof(names[0]); i++) {
        if (strcmp(c, names[i].name) == 0) {
            *curve = names[i].curve;
            return true;
        }
    }
    kf_unusable(ctx, "raw ECDH curve \"%s\" not supported", c ? c : "(none)");
    return false;
}

/* The PEM private key in field of the entry named name (text, NUL-terminated copy). */
static bool private_pem(kf_ctx *ctx, const char *name, const char *field, char **pem)
{
    const cJSON *key = kf_key_named(ctx, name);
    if (!key || !kf_key_allows(ctx, key, name)) {
        return false;
    }
    const char *text = vu_json_str(key, field);
    if (!text) {
        char *what = vu_xasprintf("%s has no %s", name, field);
        kf_bad(ctx, "raw ECDH key %s", what);
        free(what);
        return false;
    }
    *pem = vu_xstrdup(text);
    return true;
}

/* The DER public key (base64) in field of the entry named name. */
static bool public_der(kf_ctx *ctx, const char *name, const char *field, uint8_t **der, size_t *len)
{
    const cJSON *key = kf_key_named(ctx, name);
    if (!key) {
        return false;
    }
    const char *b64 = field ? vu_json_str(key, field) : NULL;
    if (!b64 || vu_base64_decode(b64, der, len) != 0) {
        char *what = vu_xasprintf("%s has no base64 %s", name, field ? field : "public key");
        kf_bad(ctx, "raw ECDH key %s", what);
        free(what);
        return false;
    }
    return true;
}

static void free_pem(char *pem)
{
    if (pem) {
        memset(pem, 0, strlen(pem));
        free(pem);
    }
}

bool kf_raw_ecdh(kf_ctx *ctx, const cJSON *desc, kf_candidate *out)
{
    const char *schema = vu_json_str(desc, "schema");
    const char *sender = vu_json_str(desc, "sender");
    const char *recipient = vu_json_str(desc, "recipient");
    const char *recipient_pub_field = vu_json_str(desc, "recipient-public-key");
    esdk_ecdh_curve curve;
    if (!schema || !recipient) {
        kf_bad(ctx, "raw-ecdh description needs schema and recipient%s", "");
        return false;
    }
    if (!curve_of(ctx, desc, &curve)) {
        return false;
    }
    esdk_keyring *kr = NULL;
    char *pem = NULL;
    uint8_t *der = NULL;
    size_t der_len = 0;
    int rc;
    if (strcmp(schema, "discovery") == 0) {
        if (ctx->purpose == KF_FOR_ENCRYPT) {
            kf_unusable(ctx, "a raw ECDH discovery keyring cannot encrypt%s", "");
            return false;
        }
        if (!private_pem(ctx, recipient, "recipient-material", &pem)) {
            return false;
        }
        rc = esdk_keyring_raw_ecdh_discovery_new(curve, (const uint8_t *)pem, strlen(pem), &kr);
    } else if (strcmp(schema, "static") == 0) {
        if (!sender || !private_pem(ctx, sender, "sender-material", &pem)) {
            if (!sender) {
                kf_bad(ctx, "static raw-ecdh description has no sender%s", "");
            }
            return false;
        }
        if (!public_der(ctx, recipient, recipient_pub_field, &der, &der_len)) {
            free_pem(pem);
            return false;
        }
        rc = esdk_keyring_raw_ecdh_static_new(
            curve, (const uint8_t *)pem, strlen(pem), der, der_len, &kr);
    } else if (strcmp(schema, "ephemeral") == 0) {
        if (ctx->purpose == KF_FOR_DECRYPT) {
            kf_unusable(ctx, "a raw ECDH ephemeral-sender keyring cannot decrypt%s", "");
            return false;
        }
        if (!public_der(ctx, recipient, recipient_pub_field, &der, &der_len)) {
            return false;
        }
        rc = esdk_keyring_raw_ecdh_ephemeral_new(curve, der, der_len, &kr);
    } else {
        kf_unusable(ctx, "raw ECDH schema \"%s\" not supported", schema);
        return false;
    }
    free_pem(pem);
    free(der);
    return kf_made(
        out, vu_xasprintf("raw-ecdh %s %s", schema, vu_json_str(desc, "ecc-curve")), rc, kr);
}
