/* The three AWS KMS operations a keyring needs (GenerateDataKey, Encrypt, Decrypt), as JSON
 * 1.1 over HTTP, signed with SigV4, with KMS errors mapped to ESDK_ERR_* codes. */
#ifndef ESDK_KMS_CLIENT_H
#define ESDK_KMS_CLIENT_H

#include <stddef.h>
#include <stdint.h>

#include <aws-esdk-c/buffer.h>
#include <aws-esdk-c/context.h>

#include "keyrings/kms/options.h"

typedef enum esdk_kms_op {
    ESDK_KMS_GENERATE_DATA_KEY = 0,
    ESDK_KMS_ENCRYPT = 1,
    ESDK_KMS_DECRYPT = 2,
} esdk_kms_op;

/* What every call needs. */
typedef struct esdk_kms_call {
    const esdk_kms_options *opts; /* endpoint, credentials, timeouts, retries, grant tokens */
    const char *key_id;           /* the KeyId sent */
    const char *region;           /* of the endpoint and the signature */
    const char *partition;        /* for the endpoint's DNS suffix */
    const esdk_enc_ctx *context;  /* sent as EncryptionContext (NULL: none) */
} esdk_kms_call;

typedef struct esdk_kms_result {
    esdk_buf plaintext;  /* GenerateDataKey, Decrypt; wiped on release */
    esdk_buf ciphertext; /* GenerateDataKey, Encrypt: the CiphertextBlob */
    char *key_id;        /* the KeyId of the answer */
} esdk_kms_result;

#define ESDK_KMS_RESULT_INIT                                                                       \
    {                                                                                              \
        ESDK_BUF_INIT, ESDK_BUF_INIT, NULL                                                         \
    }

const char *esdk_kms_op_name(esdk_kms_op op);

int esdk_kms_generate_data_key(
    const esdk_kms_call *call, size_t number_of_bytes, esdk_kms_result *out);
int esdk_kms_encrypt(
    const esdk_kms_call *call,
    const uint8_t *plaintext,
    size_t plaintext_len,
    esdk_kms_result *out);
int esdk_kms_decrypt(
    const esdk_kms_call *call,
    const uint8_t *ciphertext_blob,
    size_t blob_len,
    esdk_kms_result *out);
void esdk_kms_result_release(esdk_kms_result *r);

/* The request body of op (data = Plaintext for Encrypt, CiphertextBlob for Decrypt). The
 * body may hold a data key: release it with esdk_buf_release (which wipes). */
int esdk_kms_json_request(
    esdk_kms_op op,
    const esdk_kms_call *call,
    size_t number_of_bytes,
    const uint8_t *data,
    size_t data_len,
    esdk_buf *out);
/* Parse a 200 answer of op into out. ESDK_ERR_KEYRING if a member is missing or malformed. */
int esdk_kms_json_response(esdk_kms_op op, const uint8_t *body, size_t len, esdk_kms_result *out);

#endif
