/* esdk_pkcs11_config_set_option: "name=value" settings for command lines. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <aws-esdk-c/error.h>

#include "common/status.h"
#include "keyrings/pkcs11/config.h"

/* last: poisons calls this library must not make */
#include "banned.h"

static int bad_value(const char *name, const char *value, const char *expected)
{
    return esdk_fail(
        ESDK_ERR_BAD_ARGUMENT, "PKCS#11 option %s: '%s' is not %s", name, value, expected);
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

static int set_key_id_hex(esdk_pkcs11_config *cfg, const char *value)
{
    uint8_t id[255];
    size_t n = strlen(value);
    if (n == 0 || n % 2 != 0 || n / 2 > sizeof id) {
        return bad_value("key-id", value, "1 to 255 bytes in hex");
    }
    for (size_t i = 0; i < n / 2; i++) {
        int hi = hexval(value[2 * i]), lo = hexval(value[2 * i + 1]);
        if (hi < 0 || lo < 0) {
            return bad_value("key-id", value, "hex");
        }
        id[i] = (uint8_t)(hi << 4 | lo);
    }
    return esdk_pkcs11_config_set_key_id(cfg, id, n / 2);
}

static int parse_ulong(const char *name, const char *value, unsigned long *out)
{
    char *end;
    errno = 0;
    unsigned long v = strtoul(value, &end, 0);
    if (errno || end == value || *end || value[0] == '-') {
        return bad_value(name, value, "a number");
    }
    *out = v;
    return 0;
}

int esdk_pkcs11_config_set_option(esdk_pkcs11_config *cfg, const char *name, const char *value)
{
    ESDK_ENSURE(cfg && name && value, ESDK_ERR_BAD_ARGUMENT);
    unsigned long n;
    if (strcmp(name, "module") == 0) {
        return esdk_pkcs11_config_set_module(cfg, value);
    } else if (strcmp(name, "token") == 0) {
        return esdk_pkcs11_config_set_token_label(cfg, value);
    } else if (strcmp(name, "slot") == 0) {
        ESDK_TRY(parse_ulong(name, value, &n));
        return esdk_pkcs11_config_set_slot_id(cfg, n);
    } else if (strcmp(name, "key") == 0) {
        return esdk_pkcs11_config_set_key_label(cfg, value);
    } else if (strcmp(name, "key-id") == 0) {
        return set_key_id_hex(cfg, value);
    } else if (strcmp(name, "key-type") == 0) {
        if (strcmp(value, "auto") == 0) {
            return esdk_pkcs11_config_set_key_type(cfg, ESDK_PKCS11_KEY_AUTO);
        } else if (strcmp(value, "aes") == 0) {
            return esdk_pkcs11_config_set_key_type(cfg, ESDK_PKCS11_KEY_AES);
        } else if (strcmp(value, "rsa") == 0) {
            return esdk_pkcs11_config_set_key_type(cfg, ESDK_PKCS11_KEY_RSA);
        }
        return bad_value(name, value, "auto, aes or rsa");
    } else if (strcmp(name, "pin-env") == 0) {
        return esdk_pkcs11_config_set_pin_env(cfg, value);
    } else if (strcmp(name, "pin-file") == 0) {
        return esdk_pkcs11_config_set_pin_file(cfg, value);
    } else if (strcmp(name, "no-pin") == 0) {
        return esdk_pkcs11_config_set_no_pin(cfg);
    } else if (strcmp(name, "namespace") == 0) {
        return esdk_pkcs11_config_set_key_namespace(cfg, value);
    } else if (strcmp(name, "name") == 0) {
        return esdk_pkcs11_config_set_key_name(cfg, value);
    } else if (strcmp(name, "iv") == 0) {
        if (strcmp(value, "caller") == 0) {
            return esdk_pkcs11_config_set_iv_mode(cfg, ESDK_PKCS11_IV_CALLER);
        } else if (strcmp(value, "module") == 0) {
            return esdk_pkcs11_config_set_iv_mode(cfg, ESDK_PKCS11_IV_MODULE);
        }
        return bad_value(name, value, "caller or module");
    } else if (strcmp(name, "oaep") == 0) {
        if (strcmp(value, "sha1") == 0) {
            return esdk_pkcs11_config_set_oaep_hash(cfg, ESDK_PKCS11_OAEP_SHA1);
        } else if (strcmp(value, "sha256") == 0) {
            return esdk_pkcs11_config_set_oaep_hash(cfg, ESDK_PKCS11_OAEP_SHA256);
        }
        return bad_value(name, value, "sha1 or sha256");
    } else if (strcmp(name, "connect") == 0) {
        if (strcmp(value, "eager") == 0) {
            return esdk_pkcs11_config_set_connect(cfg, ESDK_PKCS11_CONNECT_EAGER);
        } else if (strcmp(value, "lazy") == 0) {
            return esdk_pkcs11_config_set_connect(cfg, ESDK_PKCS11_CONNECT_LAZY);
        }
        return bad_value(name, value, "eager or lazy");
    } else if (strcmp(name, "sessions") == 0) {
        ESDK_TRY(parse_ulong(name, value, &n));
        return esdk_pkcs11_config_set_max_sessions(cfg, n);
    } else if (strcmp(name, "pin") == 0) {
        return esdk_fail(
            ESDK_ERR_BAD_ARGUMENT,
            "PKCS#11 option pin: a PIN is not taken as an option (it would show in "
            "the process list); use pin-env or pin-file");
    }
    return esdk_fail(
        ESDK_ERR_BAD_ARGUMENT,
        "unknown PKCS#11 option '%s' (module, token, slot, key, key-id, key-type, "
        "pin-env, pin-file, no-pin, namespace, name, iv, oaep, connect, sessions)",
        name);
}
