/* The runner's own keyring for the KAT sets: any EDK "decrypts" to a fixed data key of the
 * suite's length (all zero, or 01 02 03 ...). Built through the public vtable, as an
 * application would. */
#include <stdlib.h>
#include <string.h>

#include <aws-esdk-c/error.h>
#include <aws-esdk-c/suite.h>

#include "keyring_factory.h"

typedef struct fixed_state {
    vec_fixed_key kind;
} fixed_state;

static int fixed_on_encrypt(void *state, esdk_enc_materials *materials)
{
    (void)state;
    (void)materials;
    return ESDK_ERR_UNSUPPORTED; /* decrypt-only test keyring */
}

static int fixed_on_decrypt(void *state, esdk_dec_materials *materials, const esdk_edk_list *edks)
{
    const fixed_state *st = state;
    if (esdk_edk_list_count(edks) == 0) {
        return ESDK_ERR_CANNOT_DECRYPT;
    }
    size_t len = esdk_suite_data_key_len(esdk_dec_materials_suite(materials));
    uint8_t key[64];
    if (len == 0 || len > sizeof(key)) {
        return ESDK_ERR_CANNOT_DECRYPT;
    }
    for (size_t i = 0; i < len; i++) {
        key[i] = st->kind == VEC_FIXED_COUNTING ? (uint8_t)(i + 1) : 0;
    }
    return esdk_dec_materials_set_data_key(materials, key, len);
}

static void fixed_destroy(void *state)
{
    free(state);
}

static const esdk_keyring_vtable fixed_vtable = {
    .size = sizeof(esdk_keyring_vtable),
    .name = "vectors-fixed-data-key",
    .on_encrypt = fixed_on_encrypt,
    .on_decrypt = fixed_on_decrypt,
    .destroy = fixed_destroy,
};

int fixed_keyring_new(vec_fixed_key kind, esdk_keyring **out)
{
    fixed_state *st = malloc(sizeof(*st));
    if (!st) {
        return ESDK_ERR_NO_MEMORY;
    }
    st->kind = kind;
    return esdk_keyring_new(&fixed_vtable, st, out);
}
