/* The PKCS#11 keyring's configuration (public handle esdk_pkcs11_config). */
#ifndef ESDK_KEYRINGS_PKCS11_CONFIG_H
#define ESDK_KEYRINGS_PKCS11_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <aws-esdk-c/keyrings/pkcs11.h>

#include "keyrings/pkcs11/pin.h"

struct esdk_pkcs11_config {
    char *module_path;
    esdk_pkcs11_get_function_list_fn module_entry; /* used instead of module_path if set */
    char *token_label;
    bool has_slot_id;
    unsigned long slot_id;
    char *key_label;
    uint8_t *key_id;
    size_t key_id_len;
    esdk_pkcs11_key_type key_type;
    esdk_p11_pin_source pin;
    char *key_namespace;
    char *key_name; /* NULL: the label, else the hex id */
    esdk_pkcs11_iv_mode iv_mode;
    esdk_pkcs11_oaep_hash oaep_hash;
    esdk_pkcs11_connect connect;
    size_t max_sessions;
};

/* A deep copy. */
int esdk_p11_config_copy(const esdk_pkcs11_config *src, esdk_pkcs11_config **out);
/* ESDK_ERR_BAD_ARGUMENT unless a token and a key are selected. */
int esdk_p11_config_check(const esdk_pkcs11_config *cfg);
/* The EDK key name: key_name, else the label, else the lowercase hex id (release it). */
char *esdk_p11_config_key_name(const esdk_pkcs11_config *cfg);
/* "label 'x'", "id 0a1b" or "label 'x' and id 0a1b", for error texts. */
void esdk_p11_config_describe_key(const esdk_pkcs11_config *cfg, char *out, size_t cap);
/* The default module: $ESDK_PKCS11_MODULE, else the first SoftHSM2 module found (defaults.c). */
void esdk_p11_default_module(char *out, size_t cap);
/* "token 'x'" or "slot 123". */
void esdk_p11_config_describe_token(const esdk_pkcs11_config *cfg, char *out, size_t cap);

#endif
