/* Turning manifest key descriptions into keyrings (and CMMs).
 *
 * Every key type has one builder (keyring_factory.c: multi-keyring and required-encryption-
 * context CMM; kf_raw.c: raw AES and RSA; kf_ecdh.c: raw ECDH; kf_hierarchy.c: hierarchical
 * keyring with a static branch key). A description the library or the runner cannot use
 * (AWS KMS, a discovery keyring asked to encrypt, ...) is "unusable": it adds no candidate and
 * records why, so the runner can report the case as skipped.
 */
#ifndef ESDK_VECTORS_KEYRING_FACTORY_H
#define ESDK_VECTORS_KEYRING_FACTORY_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include <aws-esdk-c/cmm.h>
#include <aws-esdk-c/keyring.h>

#include "manifest.h"

typedef enum kf_purpose { KF_FOR_DECRYPT, KF_FOR_ENCRYPT } kf_purpose;

/** One way to try a message: a keyring or a CMM (exactly one), or a failed build. */
typedef struct kf_candidate {
    esdk_keyring *keyring;
    esdk_cmm *cmm;
    int build_rc; /**< nonzero: the library refused to build it (a failed attempt) */
    char build_detail[200];
    char *label; /**< e.g. "raw-aes peer-c-raw/aes-128" */
} kf_candidate;

typedef struct kf_list {
    kf_candidate *items;
    size_t count;
    size_t cap;
    char *unusable; /**< why some descriptions gave no candidate ("; "-joined), or NULL */
    char *error;    /**< a description or key the runner could not read (a manifest bug), or NULL */
} kf_list;

/**
 * Add the candidates for one key description: an awses-decrypt master key ({type:"raw",
 * key, provider-id, encryption-algorithm, ...}, "aws-kms", ...) or a v5 keyring description
 * (raw, raw-ecdh, multi-keyring, aws-kms-hierarchy, required-encryption-context-cmm, ...).
 * keys is the keys manifest's "keys" object (may be NULL).
 */
void kf_add(const cJSON *keys, const cJSON *desc, kf_purpose purpose, kf_list *list);

/** Add the runner's own keyring that returns a fixed data key for any EDK. */
void kf_add_fixed(vec_fixed_key kind, kf_list *list);

/**
 * Put every candidate behind a required-encryption-context CMM whose required keys are the
 * keys of reproduced_ec (awses-decrypt v4 "cmm": "RequiredEncryptionContext").
 */
void kf_wrap_required_ec(kf_list *list, const cJSON *reproduced_ec);

/**
 * The keyring encrypt uses for one master key description: 0 and *out, or nonzero with a
 * reason in *why (free it): 1 = unusable here, -1 = bad description or key.
 */
int kf_build_encrypt(const cJSON *keys, const cJSON *desc, esdk_keyring **out, char **why);

void kf_list_free(kf_list *list);

/** A keyring that hands out a fixed data key of the suite's length for any EDK (decrypt only). */
int fixed_keyring_new(vec_fixed_key kind, esdk_keyring **out);

#endif
