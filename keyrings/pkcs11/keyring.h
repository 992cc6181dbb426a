/* The PKCS#11 keyring's state, shared by keyring.c (construction, connection, dispatch),
 * keyring_aes.c and keyring_rsa.c. */
#ifndef ESDK_KEYRINGS_PKCS11_KEYRING_H
#define ESDK_KEYRINGS_PKCS11_KEYRING_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

#include <aws-esdk-c/keyring.h>
#include <aws-esdk-c/materials.h>

#include "keyrings/pkcs11/config.h"
#include "keyrings/pkcs11/module.h"
#include "keyrings/pkcs11/p11.h"
#include "keyrings/pkcs11/pin.h"
#include "keyrings/pkcs11/session_pool.h"

#define ESDK_P11_DETAIL_MAX 512

typedef struct esdk_p11_keyring {
    esdk_pkcs11_config *cfg; /* own copy */
    char *key_name;          /* the EDK key name */
    size_t key_name_len;
    size_t namespace_len;
    char token_text[80]; /* "token 'x'" */
    char key_text[120];  /* "labelled 'k'" */
    esdk_p11_pin_guard guard;
    pthread_mutex_t connect_lock; /* one connection attempt at a time */
    pthread_mutex_t lock;         /* everything below */
    esdk_p11_module *module;      /* set with pool */
    esdk_p11_pool *pool;          /* NULL until connected */
    esdk_pkcs11_key_type type;    /* AES or RSA once connected */
    bool handles_valid;
    unsigned handles_generation;
    CK_OBJECT_HANDLE secret; /* AES key, or RSA private key */
    CK_OBJECT_HANDLE public_key;
    bool has_secret;
    bool has_public;
    int last_code;
    char last_detail[ESDK_P11_DETAIL_MAX];
} esdk_p11_keyring;

/* Connect if not yet connected; the pool and the resolved key type. Failures are noted. */
int esdk_p11_keyring_connect(
    esdk_p11_keyring *kr, esdk_p11_pool **pool, esdk_pkcs11_key_type *type);

/* The AES key or RSA private key (public_key false) or RSA public key (true), found again if
 * the pool reconnected since it was cached. CKR_KEY_HANDLE_INVALID if it is not in the token. */
CK_RV esdk_p11_keyring_key(
    esdk_p11_keyring *kr,
    CK_FUNCTION_LIST_PTR fn,
    CK_SESSION_HANDLE s,
    unsigned generation,
    bool public_key,
    CK_OBJECT_HANDLE *out);
/* Forget cached handles (after CKR_KEY_HANDLE_INVALID / CKR_OBJECT_HANDLE_INVALID). */
void esdk_p11_keyring_forget_handles(esdk_p11_keyring *kr);

/* Record rc (with the thread's detail, prefixed with the keyring's token) as the last
 * failure, set that as the detail, and return rc. */
int esdk_p11_keyring_note_failure(esdk_p11_keyring *kr, int rc);
/* esdk_p11_fail with "<what> with key <key> in <token>", noted as the last failure. */
int esdk_p11_keyring_fail(esdk_p11_keyring *kr, CK_RV rv, const char *what, const char *hint);

/* EDK filters (no token needed). iv points into the EDK's provider info. */
bool esdk_p11_aes_edk_matches(const esdk_p11_keyring *kr, const esdk_edk *edk, const uint8_t **iv);
bool esdk_p11_rsa_edk_matches(const esdk_p11_keyring *kr, const esdk_edk *edk);

int esdk_p11_aes_wrap(esdk_p11_keyring *kr, esdk_p11_pool *pool, esdk_enc_materials *m);
int esdk_p11_aes_unwrap(
    esdk_p11_keyring *kr, esdk_p11_pool *pool, esdk_dec_materials *m, const esdk_edk_list *edks);
int esdk_p11_rsa_wrap(esdk_p11_keyring *kr, esdk_p11_pool *pool, esdk_enc_materials *m);
int esdk_p11_rsa_unwrap(
    esdk_p11_keyring *kr, esdk_p11_pool *pool, esdk_dec_materials *m, const esdk_edk_list *edks);

#endif
