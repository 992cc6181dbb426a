/* esdk_pkcs11_config: creation, setters, copy and checks. */
#include "keyrings/pkcs11/config.h"

#include <stdio.h>
#include <string.h>

#include <aws-esdk-c/error.h>

#include "common/mem.h"
#include "common/status.h"
#include "format/context.h"

/* last: poisons calls this library must not make */
#include "banned.h"

#define DEFAULT_MAX_SESSIONS 8
#define MAX_SESSIONS_LIMIT   1024
#define TOKEN_LABEL_MAX      32
#define KEY_ID_MAX           255

/* Replace *slot with a copy of s (NULL clears). */
static int set_str(char **slot, const char *s)
{
    char *c = NULL;
    if (s && !(c = esdk_str_copy(s))) {
        return esdk_fail(ESDK_ERR_NO_MEMORY, "cannot copy a PKCS#11 setting");
    }
    esdk_str_release(*slot);
    *slot = c;
    return 0;
}

void esdk_pkcs11_config_release(esdk_pkcs11_config *cfg)
{
    if (!cfg) {
        return;
    }
    esdk_str_release(cfg->module_path);
    esdk_str_release(cfg->token_label);
    esdk_str_release(cfg->key_label);
    esdk_mem_release(cfg->key_id, cfg->key_id_len ? cfg->key_id_len : 1);
    esdk_p11_pin_clear(&cfg->pin);
    esdk_str_release(cfg->key_namespace);
    esdk_str_release(cfg->key_name);
    esdk_mem_release(cfg, sizeof *cfg);
}

int esdk_pkcs11_config_new(esdk_pkcs11_config **out)
{
    ESDK_ENSURE(out, ESDK_ERR_BAD_ARGUMENT);
    *out = NULL;
    esdk_pkcs11_config *cfg = esdk_mem_acquire(sizeof *cfg);
    if (!cfg) {
        return esdk_fail(ESDK_ERR_NO_MEMORY, "cannot allocate a PKCS#11 configuration");
    }
    char module[ESDK_PKCS11_PATH_MAX];
    esdk_p11_default_module(module, sizeof module);
    cfg->max_sessions = DEFAULT_MAX_SESSIONS;
    int rc;
    ESDK_TRY_GOTO(rc, set_str(&cfg->module_path, module));
    ESDK_TRY_GOTO(rc, set_str(&cfg->key_namespace, ESDK_PKCS11_NAMESPACE_DEFAULT));
    ESDK_TRY_GOTO(
        rc, esdk_p11_pin_set(&cfg->pin, ESDK_P11_PIN_ENV, ESDK_PKCS11_PIN_ENV_DEFAULT, NULL, 0));
    *out = cfg;
    return 0;
cleanup:
    esdk_pkcs11_config_release(cfg);
    return rc;
}

int esdk_pkcs11_config_set_module(esdk_pkcs11_config *cfg, const char *path)
{
    ESDK_ENSURE(cfg && path && *path, ESDK_ERR_BAD_ARGUMENT);
    ESDK_TRY(set_str(&cfg->module_path, path));
    cfg->module_entry = NULL;
    return 0;
}

int esdk_pkcs11_config_set_module_entry(
    esdk_pkcs11_config *cfg, esdk_pkcs11_get_function_list_fn fn)
{
    ESDK_ENSURE(cfg && fn, ESDK_ERR_BAD_ARGUMENT);
    cfg->module_entry = fn;
    return 0;
}

int esdk_pkcs11_config_set_token_label(esdk_pkcs11_config *cfg, const char *label)
{
    ESDK_ENSURE(cfg && label && *label, ESDK_ERR_BAD_ARGUMENT);
    if (strlen(label) > TOKEN_LABEL_MAX) {
        return esdk_fail(ESDK_ERR_BAD_ARGUMENT, "a PKCS#11 token label is at most 32 bytes");
    }
    ESDK_TRY(set_str(&cfg->token_label, label));
    cfg->has_slot_id = false;
    return 0;
}

int esdk_pkcs11_config_set_slot_id(esdk_pkcs11_config *cfg, unsigned long slot)
{
    ESDK_ENSURE(cfg, ESDK_ERR_BAD_ARGUMENT);
    ESDK_TRY(set_str(&cfg->token_label, NULL));
    cfg->has_slot_id = true;
    cfg->slot_id = slot;
    return 0;
}

int esdk_pkcs11_config_set_key_label(esdk_pkcs11_config *cfg, const char *label)
{
    ESDK_ENSURE(cfg && label && *label, ESDK_ERR_BAD_ARGUMENT);
    return set_str(&cfg->key_label, label);
}

int esdk_pkcs11_config_set_key_id(esdk_pkcs11_config *cfg, const uint8_t *id, size_t id_len)
{
    ESDK_ENSURE(cfg && id && id_len > 0 && id_len <= KEY_ID_MAX, ESDK_ERR_BAD_ARGUMENT);
    uint8_t *c = esdk_bytes_copy(id, id_len);
    if (!c) {
        return esdk_fail(ESDK_ERR_NO_MEMORY, "cannot copy a key id");
    }
    esdk_mem_release(cfg->key_id, cfg->key_id_len ? cfg->key_id_len : 1);
    cfg->key_id = c;
    cfg->key_id_len = id_len;
    return 0;
}

int esdk_pkcs11_config_set_key_type(esdk_pkcs11_config *cfg, esdk_pkcs11_key_type type)
{
    ESDK_ENSURE(
        cfg && (type == ESDK_PKCS11_KEY_AUTO || type == ESDK_PKCS11_KEY_AES ||
                type == ESDK_PKCS11_KEY_RSA),
        ESDK_ERR_BAD_ARGUMENT);
    cfg->key_type = type;
    return 0;
}

int esdk_pkcs11_config_set_pin_env(esdk_pkcs11_config *cfg, const char *var)
{
    ESDK_ENSURE(cfg && var && *var, ESDK_ERR_BAD_ARGUMENT);
    return esdk_p11_pin_set(&cfg->pin, ESDK_P11_PIN_ENV, var, NULL, 0);
}

int esdk_pkcs11_config_set_pin_file(esdk_pkcs11_config *cfg, const char *path)
{
    ESDK_ENSURE(cfg && path && *path, ESDK_ERR_BAD_ARGUMENT);
    return esdk_p11_pin_set(&cfg->pin, ESDK_P11_PIN_FILE, path, NULL, 0);
}

int esdk_pkcs11_config_set_pin(esdk_pkcs11_config *cfg, const uint8_t *pin, size_t pin_len)
{
    ESDK_ENSURE(cfg && (pin || pin_len == 0), ESDK_ERR_BAD_ARGUMENT);
    return esdk_p11_pin_set(&cfg->pin, ESDK_P11_PIN_VALUE, NULL, pin, pin_len);
}

int esdk_pkcs11_config_set_no_pin(esdk_pkcs11_config *cfg)
{
    ESDK_ENSURE(cfg, ESDK_ERR_BAD_ARGUMENT);
    return esdk_p11_pin_set(&cfg->pin, ESDK_P11_PIN_NONE, NULL, NULL, 0);
}

static int check_utf8(const char *s, size_t max, const char *what)
{
    size_t n = strlen(s);
    if (n == 0 || n > max || !esdk_utf8_is_valid((const uint8_t *)s, n)) {
        return esdk_fail(
            ESDK_ERR_BAD_ARGUMENT, "the %s must be 1 to %zu bytes of UTF-8", what, max);
    }
    return 0;
}

int esdk_pkcs11_config_set_key_namespace(esdk_pkcs11_config *cfg, const char *key_namespace)
{
    ESDK_ENSURE(cfg && key_namespace, ESDK_ERR_BAD_ARGUMENT);
    ESDK_TRY(check_utf8(key_namespace, 0xFFFF, "key namespace"));
    if (strncmp(key_namespace, "aws-kms", 7) == 0) {
        return esdk_fail(ESDK_ERR_BAD_ARGUMENT, "the key namespace 'aws-kms' is reserved");
    }
    return set_str(&cfg->key_namespace, key_namespace);
}

int esdk_pkcs11_config_set_key_name(esdk_pkcs11_config *cfg, const char *name)
{
    ESDK_ENSURE(cfg && name, ESDK_ERR_BAD_ARGUMENT);
    ESDK_TRY(check_utf8(name, 0xFFFF - 20, "key name"));
    return set_str(&cfg->key_name, name);
}

int esdk_pkcs11_config_set_iv_mode(esdk_pkcs11_config *cfg, esdk_pkcs11_iv_mode mode)
{
    ESDK_ENSURE(
        cfg && (mode == ESDK_PKCS11_IV_CALLER || mode == ESDK_PKCS11_IV_MODULE),
        ESDK_ERR_BAD_ARGUMENT);
    cfg->iv_mode = mode;
    return 0;
}

int esdk_pkcs11_config_set_oaep_hash(esdk_pkcs11_config *cfg, esdk_pkcs11_oaep_hash hash)
{
    ESDK_ENSURE(
        cfg && (hash == ESDK_PKCS11_OAEP_SHA1 || hash == ESDK_PKCS11_OAEP_SHA256),
        ESDK_ERR_BAD_ARGUMENT);
    cfg->oaep_hash = hash;
    return 0;
}

int esdk_pkcs11_config_set_connect(esdk_pkcs11_config *cfg, esdk_pkcs11_connect mode)
{
    ESDK_ENSURE(
        cfg && (mode == ESDK_PKCS11_CONNECT_EAGER || mode == ESDK_PKCS11_CONNECT_LAZY),
        ESDK_ERR_BAD_ARGUMENT);
    cfg->connect = mode;
    return 0;
}

int esdk_pkcs11_config_set_max_sessions(esdk_pkcs11_config *cfg, size_t n)
{
    ESDK_ENSURE(cfg, ESDK_ERR_BAD_ARGUMENT);
    if (n < 1 || n > MAX_SESSIONS_LIMIT) {
        return esdk_fail(
            ESDK_ERR_BAD_ARGUMENT, "max sessions must be 1 to %d, not %zu", MAX_SESSIONS_LIMIT, n);
    }
    cfg->max_sessions = n;
    return 0;
}

int esdk_p11_config_copy(const esdk_pkcs11_config *src, esdk_pkcs11_config **out)
{
    esdk_pkcs11_config *c = esdk_mem_acquire(sizeof *c);
    int rc;
    if (!c) {
        return esdk_fail(ESDK_ERR_NO_MEMORY, "cannot allocate a PKCS#11 configuration");
    }
    c->module_entry = src->module_entry;
    c->has_slot_id = src->has_slot_id;
    c->slot_id = src->slot_id;
    c->key_type = src->key_type;
    c->iv_mode = src->iv_mode;
    c->oaep_hash = src->oaep_hash;
    c->connect = src->connect;
    c->max_sessions = src->max_sessions;
    ESDK_TRY_GOTO(rc, set_str(&c->module_path, src->module_path));
    ESDK_TRY_GOTO(rc, set_str(&c->token_label, src->token_label));
    ESDK_TRY_GOTO(rc, set_str(&c->key_label, src->key_label));
    ESDK_TRY_GOTO(rc, set_str(&c->key_namespace, src->key_namespace));
    ESDK_TRY_GOTO(rc, set_str(&c->key_name, src->key_name));
    if (src->key_id) {
        ESDK_TRY_GOTO(rc, esdk_pkcs11_config_set_key_id(c, src->key_id, src->key_id_len));
    }
    ESDK_TRY_GOTO(rc, esdk_p11_pin_copy(&c->pin, &src->pin));
    *out = c;
    return 0;
cleanup:
    esdk_pkcs11_config_release(c);
    return rc;
}

int esdk_p11_config_check(const esdk_pkcs11_config *cfg)
{
    if (!cfg->module_entry && !cfg->module_path) {
        return esdk_fail(ESDK_ERR_BAD_ARGUMENT, "PKCS#11 keyring: no module configured");
    }
    if (!cfg->token_label && !cfg->has_slot_id) {
        return esdk_fail(
            ESDK_ERR_BAD_ARGUMENT,
            "PKCS#11 keyring: no token configured (set a token label or slot id)");
    }
    if (!cfg->key_label && !cfg->key_id) {
        return esdk_fail(
            ESDK_ERR_BAD_ARGUMENT, "PKCS#11 keyring: no key configured (set a key label or id)");
    }
    return 0;
}

static void hex(const uint8_t *p, size_t n, char *out, size_t cap)
{
    static const char digits[] = "0123456789abcdef";
    size_t o = 0;
    for (size_t i = 0; i < n && o + 2 < cap; i++) {
        out[o++] = digits[p[i] >> 4];
        out[o++] = digits[p[i] & 15];
    }
    if (cap) {
        out[o] = '\0';
    }
}

char *esdk_p11_config_key_name(const esdk_pkcs11_config *cfg)
{
    if (cfg->key_name) {
        return esdk_str_copy(cfg->key_name);
    }
    if (cfg->key_label) {
        return esdk_str_copy(cfg->key_label);
    }
    char h[2 * KEY_ID_MAX + 1];
    hex(cfg->key_id, cfg->key_id_len, h, sizeof h);
    return esdk_str_copy(h);
}

void esdk_p11_config_describe_key(const esdk_pkcs11_config *cfg, char *out, size_t cap)
{
    char h[2 * 32 + 1];
    if (cfg->key_id) {
        hex(cfg->key_id, cfg->key_id_len < 32 ? cfg->key_id_len : 32, h, sizeof h);
    }
    if (cfg->key_label && cfg->key_id) {
        snprintf(out, cap, "labelled '%s' with id %s", cfg->key_label, h);
    } else if (cfg->key_label) {
        snprintf(out, cap, "labelled '%s'", cfg->key_label);
    } else {
        snprintf(out, cap, "with id %s", h);
    }
}

void esdk_p11_config_describe_token(const esdk_pkcs11_config *cfg, char *out, size_t cap)
{
    if (cfg->token_label) {
        snprintf(out, cap, "token '%s'", cfg->token_label);
    } else {
        snprintf(out, cap, "token in slot %lu", cfg->slot_id);
    }
}
