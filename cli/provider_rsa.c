/* provider=rsa: a raw RSA keyring.
 *   -w provider=rsa key=file://KEY.pem [public-key=file://PUBLIC.pem]
 *      padding=pkcs1|oaep-sha1|oaep-sha256|oaep-sha384|oaep-sha512 name=NAME namespace=NS
 * key= names a public or a private key (PEM or DER; env:VAR works too); public-key= adds
 * the public key beside a private one. Encrypt needs the public key, decrypt the private
 * key. The key text is wiped once the keyring holds its own copy. */
#include <stdio.h>
#include <string.h>

#include <aws-esdk-c/keyrings/raw_rsa.h>

#include "providers.h"
#include "secret.h"

static const char *const allowed[] = {
    "provider", "key", "public-key", "padding", "name", "namespace", NULL};

static const struct {
    const char *name;
    esdk_rsa_padding padding;
} paddings[] = {
    {"pkcs1", ESDK_RSA_PKCS1},
    {"oaep-sha1", ESDK_RSA_OAEP_SHA1_MGF1},
    {"oaep-sha256", ESDK_RSA_OAEP_SHA256_MGF1},
    {"oaep-sha384", ESDK_RSA_OAEP_SHA384_MGF1},
    {"oaep-sha512", ESDK_RSA_OAEP_SHA512_MGF1},
};

static int check(const cli_kv_list *params, esdk_rsa_padding *padding, char *err, size_t errlen)
{
    if (cli_kv_check(params, allowed, allowed, "provider=rsa", err, errlen) != 0) {
        return ESDK_ERR_BAD_ARGUMENT;
    }
    const char *name = cli_kv_get(params, "padding");
    if (!cli_kv_get(params, "key") || !name || !cli_kv_get(params, "name") ||
        !cli_kv_get(params, "namespace")) {
        snprintf(err, errlen, "provider=rsa needs key=, padding=, name= and namespace=");
        return ESDK_ERR_BAD_ARGUMENT;
    }
    for (size_t i = 0; i < sizeof paddings / sizeof paddings[0]; i++) {
        if (strcmp(name, paddings[i].name) == 0) {
            *padding = paddings[i].padding;
            return 0;
        }
    }
    snprintf(
        err,
        errlen,
        "padding=%s: give pkcs1, oaep-sha1, oaep-sha256, oaep-sha384 or oaep-sha512",
        name);
    return ESDK_ERR_BAD_ARGUMENT;
}

/* PEM says what it holds; DER does not (NULL: unknown). */
static const char *kind_of(const cli_secret *s)
{
    const char *text = (const char *)s->data;
    if (strstr(text, "PUBLIC KEY-----")) {
        return "public";
    }
    if (strstr(text, "PRIVATE KEY-----")) {
        return "private";
    }
    return NULL;
}

static int make(
    const cli_kv_list *params,
    esdk_rsa_padding padding,
    const cli_secret *pub,
    const cli_secret *priv,
    esdk_keyring **out)
{
    return esdk_keyring_raw_rsa_new(
        cli_kv_get(params, "namespace"),
        cli_kv_get(params, "name"),
        padding,
        pub ? pub->data : NULL,
        pub ? pub->len : 0,
        priv ? priv->data : NULL,
        priv ? priv->len : 0,
        out);
}

/* Build from the loaded key (and optional public key), trying DER both ways. */
static int build_with(
    const cli_kv_list *params,
    esdk_mode mode,
    esdk_rsa_padding padding,
    const cli_secret *key,
    const cli_secret *extra_pub,
    esdk_keyring **out,
    char *err,
    size_t errlen)
{
    const char *kind = kind_of(key);
    bool has_pub = extra_pub->data || (kind && strcmp(kind, "public") == 0);
    bool has_priv = kind == NULL || strcmp(kind, "private") == 0;
    if (mode == ESDK_MODE_ENCRYPT && !has_pub && kind) {
        snprintf(
            err,
            errlen,
            "encrypt needs the public key: key=file://PUBLIC.pem, or public-key=file://PUBLIC.pem "
            "beside the private key");
        return ESDK_ERR_BAD_ARGUMENT;
    }
    if (mode != ESDK_MODE_ENCRYPT && !has_priv) {
        snprintf(err, errlen, "decrypt needs the private key: key=file://PRIVATE.pem");
        return ESDK_ERR_BAD_ARGUMENT;
    }
    const cli_secret *pub = extra_pub->data ? extra_pub : NULL;
    int rc;
    if (kind && strcmp(kind, "public") == 0) {
        rc = make(params, padding, key, NULL, out);
    } else if (kind || pub) {
        rc = make(params, padding, pub, key, out);
    } else if (mode == ESDK_MODE_ENCRYPT) {
        /* DER says nothing: the public key is what encrypt needs */
        rc = make(params, padding, key, NULL, out);
        rc = rc == ESDK_ERR_BAD_KEY ? make(params, padding, NULL, key, out) : rc;
    } else {
        rc = make(params, padding, NULL, key, out);
        rc = rc == ESDK_ERR_BAD_KEY ? make(params, padding, key, NULL, out) : rc;
    }
    if (rc) {
        snprintf(err, errlen, "%s", esdk_last_error_detail());
    }
    return rc;
}

static int
build(const cli_kv_list *params, esdk_mode mode, esdk_keyring **out, char *err, size_t errlen)
{
    esdk_rsa_padding padding = ESDK_RSA_OAEP_SHA256_MGF1;
    int rc = check(params, &padding, err, errlen);
    if (rc) {
        return rc;
    }
    cli_secret key = {NULL, 0, false}, pub = {NULL, 0, false};
    const char *pub_spec = cli_kv_get(params, "public-key");
    if (cli_secret_load(cli_kv_get(params, "key"), CLI_SECRET_TEXT, &key, err, errlen) != 0) {
        return ESDK_ERR_BAD_KEY;
    }
    if (pub_spec && cli_secret_load(pub_spec, CLI_SECRET_TEXT, &pub, err, errlen) != 0) {
        cli_secret_wipe(&key);
        return ESDK_ERR_BAD_KEY;
    }
    rc = build_with(params, mode, padding, &key, &pub, out, err, errlen);
    cli_secret_wipe(&key);
    cli_secret_wipe(&pub);
    return rc;
}

static const char *const aliases[] = {"raw-rsa", NULL};

const cli_provider cli_provider_rsa = {
    .name = "rsa",
    .aliases = aliases,
    .synopsis =
        "key=file://PEM [public-key=file://PEM] "
        "padding=pkcs1|oaep-sha1|oaep-sha256|oaep-sha384|oaep-sha512 name=NAME namespace=NS",
    .build = build,
};
