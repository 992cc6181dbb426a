#include "counting_keyring.h"

#include <stdlib.h>

static int counting_on_encrypt(void *state, esdk_enc_materials *m)
{
    counting_state *st = state;
    atomic_fetch_add(&st->encrypt_calls, 1);
    return esdk_keyring_on_encrypt(st->inner, m);
}

static int counting_on_decrypt(void *state, esdk_dec_materials *m, const esdk_edk_list *edks)
{
    counting_state *st = state;
    atomic_fetch_add(&st->decrypt_calls, 1);
    return esdk_keyring_on_decrypt(st->inner, m, edks);
}

static void counting_destroy(void *state)
{
    counting_state *st = state;
    esdk_keyring_release(st->inner);
    free(st);
}

static const esdk_keyring_vtable counting_vt = {
    sizeof(esdk_keyring_vtable),
    "test-counting",
    counting_on_encrypt,
    counting_on_decrypt,
    counting_destroy,
};

esdk_keyring *test_counting_keyring(esdk_keyring *inner, counting_state **state)
{
    counting_state *st = calloc(1, sizeof *st);
    if (!st || !inner) {
        free(st);
        esdk_keyring_release(inner);
        return NULL;
    }
    st->inner = inner;
    atomic_init(&st->encrypt_calls, 0);
    atomic_init(&st->decrypt_calls, 0);
    esdk_keyring *k = NULL;
    if (esdk_keyring_new(&counting_vt, st, &k) != 0) {
        return NULL;
    }
    if (state) {
        *state = st;
    }
    return k;
}
