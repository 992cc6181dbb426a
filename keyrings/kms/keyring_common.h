/* What the KMS keyrings share: wrapping a data key with one KMS key, and trying the aws-kms
 * EDKs that a keyring-specific filter selects, one Decrypt call each. */
#ifndef ESDK_KMS_KEYRING_COMMON_H
#define ESDK_KMS_KEYRING_COMMON_H

#include <stdbool.h>

#include <aws-esdk-c/materials.h>

#include "keyrings/kms/arn.h"
#include "keyrings/kms/options.h"

/* OnEncrypt with key_id: GenerateDataKey (no data key yet) or Encrypt; the answer's KeyId
 * must be a key ARN and becomes the EDK's provider info. */
int esdk_kms_wrap(
    const esdk_kms_options *opts,
    const char *keyring_name,
    const char *key_id,
    esdk_enc_materials *m);

/* A keyring's decrypt filter, given an aws-kms EDK whose provider info is the key ARN arn
 * (text: info, info_len). Return 1 and a new string *request_key_id (the KeyId to send;
 * released by the caller) to try it, 0 to skip it, or a negative code to fail OnDecrypt. */
typedef int (*esdk_kms_filter_fn)(
    const void *keyring,
    const char *info,
    size_t info_len,
    const esdk_kms_arn *arn,
    char **request_key_id);

/* OnDecrypt: every aws-kms EDK must hold a key ARN (else fail); the filter picks the ones to
 * try, in order; the first that KMS decrypts (answer KeyId == the KeyId sent, plaintext of
 * the suite's length) sets the data key. Failures are collected into one error: the code
 * they all share, else ESDK_ERR_KEYRING; ESDK_ERR_CANNOT_DECRYPT when no EDK was selected. */
int esdk_kms_unwrap(
    const esdk_kms_options *opts,
    const char *keyring_name,
    esdk_dec_materials *m,
    const esdk_edk_list *edks,
    esdk_kms_filter_fn filter,
    const void *keyring);

/* The options' discovery filter passes arn (true when there is no filter). */
bool esdk_kms_discovery_filter_passes(const esdk_kms_options *opts, const esdk_kms_arn *arn);

/* A new string copy of len bytes, or ESDK_ERR_NO_MEMORY. */
int esdk_kms_copy(const char *s, size_t len, char **out);

/* Check a configured key identifier: non-empty, at most 2048 bytes, a valid ARN if it starts
 * with "arn:", and a region to call (its own or the options'). */
int esdk_kms_check_key_id(const esdk_kms_options *opts, const char *key_id);

#endif
