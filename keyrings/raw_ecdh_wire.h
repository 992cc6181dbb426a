/* The raw ECDH keyring's wire format and key derivation (see keyrings/raw_ecdh.h), apart
 * from key handling so that tests can check each piece against the official vectors. */
#ifndef ESDK_KEYRINGS_RAW_ECDH_WIRE_H
#define ESDK_KEYRINGS_RAW_ECDH_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <aws-esdk-c/buffer.h>

#include "common/cursor.h"
#include "crypto/ecdsa.h"

#define ESDK_ECDH_INFO_VERSION 0x01
#define ESDK_ECDH_NONCE_LEN    32
#define ESDK_ECDH_COMMIT_LEN   32
#define ESDK_ECDH_OKM_LEN      64
/* ciphertext = nonce || commitment key || wrapped key || tag */
#define ESDK_ECDH_CT_OVERHEAD (ESDK_ECDH_NONCE_LEN + ESDK_ECDH_COMMIT_LEN + 16)

/* "p256", "p384" or "p521" */
const char *esdk_ecdh_curve_label(esdk_curve curve);

/* Append 0x01 || u32 len || recipient || u32 len || sender. */
int esdk_ecdh_info_write(
    const uint8_t *recipient,
    size_t recipient_len,
    const uint8_t *sender,
    size_t sender_len,
    esdk_buf *out);
/* Parse provider info whose points must be point_len bytes each; false if it is not that. */
bool esdk_ecdh_info_parse(
    const uint8_t *info, size_t len, size_t point_len, esdk_cur *recipient, esdk_cur *sender);

/* Append fixedInfo: "ecdh-key-derivation" 00 curve 00 "HMAC_SHA384" 00 sender || recipient
 * 00 01 00 ec (ec: the serialized encryption context, may be empty). */
int esdk_ecdh_fixed_info(
    esdk_curve curve,
    const uint8_t *sender,
    size_t sender_len,
    const uint8_t *recipient,
    size_t recipient_len,
    const uint8_t *ec,
    size_t ec_len,
    esdk_buf *out);

/* okm = SP 800-108 counter-mode HMAC-SHA384(z; label fixed_info, context nonce), 64 bytes. */
int esdk_ecdh_derive(
    const uint8_t *z,
    size_t z_len,
    const uint8_t *fixed_info,
    size_t fixed_len,
    const uint8_t nonce[ESDK_ECDH_NONCE_LEN],
    uint8_t okm[ESDK_ECDH_OKM_LEN]);

/* Wrap key (key_len <= 32) under z: out receives ESDK_ECDH_CT_OVERHEAD + key_len bytes
 * (a fresh random nonce, the commitment key, the AES-256-GCM ciphertext and tag). */
int esdk_ecdh_wrap(
    const uint8_t *z,
    size_t z_len,
    const uint8_t *fixed_info,
    size_t fixed_len,
    const uint8_t *key,
    size_t key_len,
    uint8_t *out);

/* Unwrap a ciphertext of ESDK_ECDH_CT_OVERHEAD + key_len bytes into key. The commitment key
 * is compared (in constant time) before any decryption: ESDK_ERR_COMMITMENT_MISMATCH if it
 * differs, ESDK_ERR_BAD_TAG if the AES-GCM tag fails, ESDK_ERR_BAD_CIPHERTEXT for a wrong
 * length. key is wiped on failure. */
int esdk_ecdh_unwrap(
    const uint8_t *z,
    size_t z_len,
    const uint8_t *fixed_info,
    size_t fixed_len,
    const uint8_t *ciphertext,
    size_t ciphertext_len,
    size_t key_len,
    uint8_t *key);

#endif
