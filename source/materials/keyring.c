/* The keyring handle: vtable + state + reference count, and the contract checks around
 * every call (a keyring written by an application cannot corrupt the materials). */
#include <stdatomic.h>

#include <aws-esdk-c/error.h>
#include <aws-esdk-c/keyring.h>

#include "common/mem.h"
#include "common/status.h"
#include "materials/materials.h"

/* last: poisons calls this library must not make */
#include "banned.h"

struct esdk_keyring {
    const esdk_keyring_vtable *vt;
    void *state;
    atomic_size_t refs;
};

int esdk_keyring_new(const esdk_keyring_vtable *vt, void *state, esdk_keyring **out)
{
    if (!vt || !out || vt->size < sizeof(esdk_keyring_vtable) || !vt->on_encrypt ||
        !vt->on_decrypt) {
        if (vt && vt->destroy && state) {
            vt->destroy(state);
        }
        return esdk_fail(ESDK_ERR_BAD_ARGUMENT, "incomplete keyring vtable");
    }
    esdk_keyring *k = esdk_mem_acquire(sizeof *k);
    if (!k) {
        if (vt->destroy && state) {
            vt->destroy(state);
        }
        return esdk_fail(ESDK_ERR_NO_MEMORY, "cannot allocate a keyring");
    }
    k->vt = vt;
    k->state = state;
    atomic_init(&k->refs, 1);
    *out = k;
    return 0;
}

esdk_keyring *esdk_keyring_retain(esdk_keyring *k)
{
    if (k) {
        atomic_fetch_add(&k->refs, 1);
    }
    return k;
}

void esdk_keyring_release(esdk_keyring *k)
{
    if (k && atomic_fetch_sub(&k->refs, 1) == 1) {
        if (k->vt->destroy) {
            k->vt->destroy(k->state);
        }
        esdk_mem_release(k, sizeof *k);
    }
}

const char *esdk_keyring_name(const esdk_keyring *k)
{
    return (k && k->vt->name) ? k->vt->name : "keyring";
}

void *esdk_keyring_state(const esdk_keyring *k)
{
    return k ? k->state : NULL;
}

int esdk_keyring_on_encrypt(esdk_keyring *k, esdk_enc_materials *m)
{
    ESDK_ENSURE(k != NULL && m != NULL, ESDK_ERR_BAD_ARGUMENT);
    const uint8_t *key;
    size_t key_len;
    const size_t edks_before = esdk_edk_list_count(esdk_enc_materials_edks(m));
    const bool had_key = esdk_enc_materials_data_key(m, &key, &key_len);
    int rc = k->vt->on_encrypt(k->state, m);
    if (rc == 0 && !esdk_enc_materials_data_key(m, &key, &key_len)) {
        rc = esdk_fail(ESDK_ERR_KEYRING, "keyring %s returned no data key", esdk_keyring_name(k));
    } else if (rc == 0 && esdk_edk_list_count(esdk_enc_materials_edks(m)) == edks_before) {
        rc = esdk_fail(
            ESDK_ERR_KEYRING, "keyring %s added no encrypted data key", esdk_keyring_name(k));
    } else if (rc > 0) {
        rc = esdk_fail(
            ESDK_ERR_KEYRING, "keyring %s returned a positive status", esdk_keyring_name(k));
    }
    if (rc) {
        esdk_enc_materials_rollback(m, edks_before, had_key);
    }
    return rc;
}

int esdk_keyring_on_decrypt(esdk_keyring *k, esdk_dec_materials *m, const esdk_edk_list *edks)
{
    ESDK_ENSURE(k != NULL && m != NULL && edks != NULL, ESDK_ERR_BAD_ARGUMENT);
    const uint8_t *key;
    size_t key_len;
    if (esdk_dec_materials_data_key(m, &key, &key_len)) {
        return esdk_fail(ESDK_ERR_BAD_STATE, "the materials already hold a data key");
    }
    int rc = k->vt->on_decrypt(k->state, m, edks);
    if (rc == 0 && !esdk_dec_materials_data_key(m, &key, &key_len)) {
        rc = esdk_fail(
            ESDK_ERR_CANNOT_DECRYPT,
            "keyring %s could not decrypt any data key",
            esdk_keyring_name(k));
    } else if (rc > 0) {
        rc = esdk_fail(
            ESDK_ERR_KEYRING, "keyring %s returned a positive status", esdk_keyring_name(k));
    }
    if (rc) {
        esdk_dec_materials_clear_data_key(m);
    }
    return rc;
}
