/* The algorithm suite table (spec-facts 2.1). */
#ifndef ESDK_FORMAT_SUITE_INFO_H
#define ESDK_FORMAT_SUITE_INFO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "crypto/ecdsa.h"
#include "crypto/hash.h"

typedef struct esdk_suite_info {
    uint16_t id;
    const char *name;
    int message_version; /* 1 or 2 */
    size_t key_len;      /* data key = encryption key length */
    bool has_kdf;
    esdk_hash_alg kdf_hash;
    bool committing;
    bool is_signed;
    esdk_curve curve;       /* when signed */
    esdk_hash_alg sig_hash; /* when signed */
} esdk_suite_info;

/* NULL for ids that are not ESDK suites. */
const esdk_suite_info *esdk_suite_info_get(uint16_t id);

#define ESDK_MESSAGE_ID_LEN_V1 16
#define ESDK_MESSAGE_ID_LEN_V2 32
#define ESDK_COMMIT_KEY_LEN    32

static inline size_t esdk_suite_message_id_len(const esdk_suite_info *s)
{
    return s->message_version == 2 ? ESDK_MESSAGE_ID_LEN_V2 : ESDK_MESSAGE_ID_LEN_V1;
}

#endif
