/* SoftHSM2 throwaway tokens for the PKCS#11 tests: a private temp dir with its own
 * softhsm2.conf (SOFTHSM2_CONF is set to it; the user's token store is never touched),
 * tokens and keys made with softhsm2-util and pkcs11-tool. Make every token and key before the
 * first keyring loads the module: a process that has initialized SoftHSM2 does not see tokens
 * that other processes add later. */
#ifndef ESDK_TEST_HSM_FIXTURE_H
#define ESDK_TEST_HSM_FIXTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <aws-esdk-c/esdk.h>
#include <aws-esdk-c/keyrings/pkcs11.h>

#define HSM_SKIP 77
#define HSM_PIN  "4213-5987"

typedef struct hsm_fixture {
    char dir[512];
    char conf[600];
    char module[512];
} hsm_fixture;

/* NULL if SoftHSM2 and pkcs11-tool are installed, else what is missing. */
const char *hsm_missing(void);
/* Make the temp dir and conf and point SOFTHSM2_CONF at it. 0 on success. */
int hsm_fixture_init(hsm_fixture *f);
/* Remove the temp dir. */
void hsm_fixture_cleanup(hsm_fixture *f);

/* Each returns 0 on success (and prints the command's output on failure). */
int hsm_token_init(const hsm_fixture *f, const char *label, const char *pin);
int hsm_aes_keygen(const hsm_fixture *f, const char *token, const char *label, const char *id_hex);
int hsm_aes_import(
    const hsm_fixture *f,
    const char *token,
    const char *label,
    const char *id_hex,
    const uint8_t key[32]);
int hsm_rsa_keygen(
    const hsm_fixture *f, const char *token, const char *label, const char *id_hex, unsigned bits);
/* Import a PKCS#8 PEM private key (softhsm2-util --import). */
int hsm_rsa_import(
    const hsm_fixture *f,
    const char *token,
    const char *label,
    const char *id_hex,
    const char *pem);

/* A configuration for token/key in the fixture's SoftHSM2, PIN HSM_PIN given by the caller,
 * namespace "hsm-test", key type AUTO, eager. NULL on failure. */
struct esdk_pkcs11_config *
hsm_config(const hsm_fixture *f, const char *token, const char *key_label);

/* Encrypt the test message (1000 bytes, context {"purpose": "hsm-test"}) into *msg. */
int hsm_encrypt(struct esdk_keyring *enc, esdk_buf *msg);
/* Decrypt msg and check it is the test message (ESDK_ERR_INTERNAL if it differs). */
int hsm_decrypt(struct esdk_keyring *dec, const esdk_buf *msg);

/* For main(): if SoftHSM2 is missing print why and return HSM_SKIP, else -1. */
int hsm_skip_if_missing(const char *test_name);

#endif
