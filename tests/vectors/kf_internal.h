/* Inside keyring_factory: the builder context and helpers shared by the builders
 * (keyring_factory.c: lists, keys, dispatch, multi-keyring, CMMs; kf_raw.c: raw AES and RSA;
 * kf_ecdh.c: raw ECDH; kf_hierarchy.c: hierarchical keyring). */
#ifndef ESDK_VECTORS_KF_INTERNAL_H
#define ESDK_VECTORS_KF_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "keyring_factory.h"

typedef struct kf_ctx {
    const cJSON *keys;
    kf_purpose purpose;
    kf_list *list;
} kf_ctx;

/* Record why a description gives no candidate: the library or runner cannot use it here
 * (unusable), or the manifest is wrong (bad). fmt has one %s for arg. */
void kf_unusable(kf_ctx *ctx, const char *fmt, const char *arg);
void kf_bad(kf_ctx *ctx, const char *fmt, const char *arg);

/* The outcome of a library constructor as a candidate: its keyring, or the refusal. Takes
 * label. Returns true (a candidate was made either way). */
bool kf_made(kf_candidate *out, char *label, int rc, esdk_keyring *keyring);
bool kf_made_cmm(kf_candidate *out, char *label, int rc, esdk_cmm *cmm);
void kf_candidate_clear(kf_candidate *c);

/* Build exactly one candidate for desc; false (reason recorded) when there is none. */
bool kf_build(kf_ctx *ctx, const cJSON *desc, kf_candidate *out);

/* The keys-manifest entry named name / by desc's "key"; NULL (and a recorded error) if none. */
const cJSON *kf_key_named(kf_ctx *ctx, const char *name);
const cJSON *kf_lookup_key(kf_ctx *ctx, const cJSON *desc, const char **name_out);
/* false (and a recorded reason) if the keys manifest says the key is not for this purpose. */
bool kf_key_allows(kf_ctx *ctx, const cJSON *key, const char *name);
/* The name that goes into EDKs: the key's "key-id", else the description's, else its name. */
const char *kf_key_id(const cJSON *key, const cJSON *desc, const char *name);
/* Key bytes by the entry's encoding (base64 by default, hex, or pem as text). */
int kf_key_material(kf_ctx *ctx, const cJSON *key, const char *name, uint8_t **out, size_t *len);

bool kf_raw(kf_ctx *ctx, const cJSON *desc, kf_candidate *out);
bool kf_raw_ecdh(kf_ctx *ctx, const cJSON *desc, kf_candidate *out);
bool kf_hierarchy(kf_ctx *ctx, const cJSON *desc, kf_candidate *out);

#endif
