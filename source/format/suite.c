/* Algorithm suites and commitment policies (spec-facts 2.1, 2.4). */
#include <stdlib.h>
#include <string.h>

#include <aws-esdk-c/error.h>
#include <aws-esdk-c/suite.h>

#include "common/status.h"
#include "format/suite_info.h"

/* last: poisons calls this library must not make */
#include "banned.h"

#define S256 ESDK_HASH_SHA256
#define S384 ESDK_HASH_SHA384
#define S512 ESDK_HASH_SHA512

static const esdk_suite_info suites[] = {
    {0x0014, "AES_128_GCM_IV12_TAG16_NO_KDF", 1, 16, false, S256, false, false, 0, 0},
    {0x0046, "AES_192_GCM_IV12_TAG16_NO_KDF", 1, 24, false, S256, false, false, 0, 0},
    {0x0078, "AES_256_GCM_IV12_TAG16_NO_KDF", 1, 32, false, S256, false, false, 0, 0},
    {0x0114, "AES_128_GCM_IV12_TAG16_HKDF_SHA256", 1, 16, true, S256, false, false, 0, 0},
    {0x0146, "AES_192_GCM_IV12_TAG16_HKDF_SHA256", 1, 24, true, S256, false, false, 0, 0},
    {0x0178, "AES_256_GCM_IV12_TAG16_HKDF_SHA256", 1, 32, true, S256, false, false, 0, 0},
    {0x0214,
     "AES_128_GCM_IV12_TAG16_HKDF_SHA256_ECDSA_P256",
     1,
     16,
     true,
     S256,
     false,
     true,
     ESDK_CURVE_P256,
     S256},
    {0x0346,
     "AES_192_GCM_IV12_TAG16_HKDF_SHA384_ECDSA_P384",
     1,
     24,
     true,
     S384,
     false,
     true,
     ESDK_CURVE_P384,
     S384},
    {0x0378,
     "AES_256_GCM_IV12_TAG16_HKDF_SHA384_ECDSA_P384",
     1,
     32,
     true,
     S384,
     false,
     true,
     ESDK_CURVE_P384,
     S384},
    {0x0478, "AES_256_GCM_HKDF_SHA512_COMMIT_KEY", 2, 32, true, S512, true, false, 0, 0},
    {0x0578,
     "AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384",
     2,
     32,
     true,
     S512,
     true,
     true,
     ESDK_CURVE_P384,
     S384},
};

const esdk_suite_info *esdk_suite_info_get(uint16_t id)
{
    for (size_t i = 0; i < sizeof suites / sizeof suites[0]; i++) {
        if (suites[i].id == id) {
            return &suites[i];
        }
    }
    return NULL;
}

bool esdk_suite_is_known(uint16_t id)
{
    return esdk_suite_info_get(id) != NULL;
}

size_t esdk_suite_data_key_len(uint16_t id)
{
    const esdk_suite_info *s = esdk_suite_info_get(id);
    return s ? s->key_len : 0;
}

int esdk_suite_message_version(uint16_t id)
{
    const esdk_suite_info *s = esdk_suite_info_get(id);
    return s ? s->message_version : 0;
}

bool esdk_suite_is_signed(uint16_t id)
{
    const esdk_suite_info *s = esdk_suite_info_get(id);
    return s && s->is_signed;
}

bool esdk_suite_is_committing(uint16_t id)
{
    const esdk_suite_info *s = esdk_suite_info_get(id);
    return s && s->committing;
}

bool esdk_suite_has_kdf(uint16_t id)
{
    const esdk_suite_info *s = esdk_suite_info_get(id);
    return s && s->has_kdf;
}

const char *esdk_suite_name(uint16_t id)
{
    const esdk_suite_info *s = esdk_suite_info_get(id);
    return s ? s->name : NULL;
}

int esdk_suite_from_name(const char *name, uint16_t *suite_id)
{
    ESDK_ENSURE(name != NULL && suite_id != NULL, ESDK_ERR_BAD_ARGUMENT);
    for (size_t i = 0; i < sizeof suites / sizeof suites[0]; i++) {
        if (strcmp(name, suites[i].name) == 0) {
            *suite_id = suites[i].id;
            return 0;
        }
    }
    char *end = NULL;
    const char *hex = (name[0] == '0' && (name[1] == 'x' || name[1] == 'X')) ? name + 2 : name;
    unsigned long v = strtoul(hex, &end, 16);
    if (*hex && end && *end == '\0' && v <= 0xFFFF && esdk_suite_is_known((uint16_t)v)) {
        *suite_id = (uint16_t)v;
        return 0;
    }
    return esdk_fail(ESDK_ERR_BAD_ARGUMENT, "unknown algorithm suite '%s'", name);
}

uint16_t esdk_suite_default_for_policy(esdk_commitment_policy policy)
{
    /* Every SDK uses 0x0378 under FORBID (the specification's 0x0078 is an error). */
    return policy == ESDK_COMMITMENT_FORBID_ENCRYPT_ALLOW_DECRYPT
               ? ESDK_SUITE_AES_256_GCM_IV12_TAG16_HKDF_SHA384_ECDSA_P384
               : ESDK_SUITE_AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384;
}

bool esdk_policy_allows_encrypt(esdk_commitment_policy policy, uint16_t id)
{
    const esdk_suite_info *s = esdk_suite_info_get(id);
    if (!s) {
        return false;
    }
    return policy == ESDK_COMMITMENT_FORBID_ENCRYPT_ALLOW_DECRYPT ? !s->committing : s->committing;
}

bool esdk_policy_allows_decrypt(esdk_commitment_policy policy, uint16_t id)
{
    const esdk_suite_info *s = esdk_suite_info_get(id);
    if (!s) {
        return false;
    }
    return policy == ESDK_COMMITMENT_REQUIRE_ENCRYPT_REQUIRE_DECRYPT ? s->committing : true;
}
