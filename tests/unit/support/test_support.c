#include "test_support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <sodium.h>

static int fixed_on_encrypt(void *state, esdk_enc_materials *m)
{
    fixed_keyring_state *st = state;
    const uint8_t *k;
    size_t len;
    st->encrypt_calls++;
    if (!esdk_enc_materials_data_key(m, &k, &len)) {
        size_t n = esdk_suite_data_key_len(esdk_enc_materials_suite(m));
        int rc = esdk_enc_materials_set_data_key(m, st->key, n);
        if (rc) {
            return rc;
        }
    }
    static const uint8_t id[] = "test-fixed";
    esdk_edk edk = {id, sizeof id - 1, (const uint8_t *)"k", 1, (const uint8_t *)"ct", 2};
    return esdk_enc_materials_add_edk(m, &edk);
}

static int fixed_on_decrypt(void *state, esdk_dec_materials *m, const esdk_edk_list *edks)
{
    fixed_keyring_state *st = state;
    st->decrypt_calls++;
    (void)edks;
    return esdk_dec_materials_set_data_key(
        m, st->key, esdk_suite_data_key_len(esdk_dec_materials_suite(m)));
}

static void fixed_destroy(void *state)
{
    free(state);
}

static const esdk_keyring_vtable fixed_vt = {
    sizeof(esdk_keyring_vtable), "test-fixed", fixed_on_encrypt, fixed_on_decrypt, fixed_destroy};

esdk_keyring *test_fixed_keyring(const uint8_t *key, fixed_keyring_state **state)
{
    fixed_keyring_state *st = calloc(1, sizeof *st);
    if (key) {
        memcpy(st->key, key, 32);
    }
    esdk_keyring *k = NULL;
    if (esdk_keyring_new(&fixed_vt, st, &k) != 0) {
        return NULL;
    }
    if (state) {
        *state = st;
    }
    return k;
}

esdk_keyring *test_raw_aes_keyring(uint8_t seed)
{
    uint8_t key[32];
    for (int i = 0; i < 32; i++) {
        key[i] = (uint8_t)(i + seed);
    }
    esdk_keyring *k = NULL;
    if (esdk_keyring_raw_aes_new("test-ns", "test-key", key, sizeof key, &k) != 0) {
        return NULL;
    }
    return k;
}

uint8_t *test_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        return NULL;
    }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *p = malloc((size_t)n + 1);
    if (fread(p, 1, (size_t)n, f) != (size_t)n) {
        free(p);
        p = NULL;
    }
    fclose(f);
    *len = (size_t)n;
    return p;
}

uint8_t *test_base64(const char *text, size_t *len)
{
    size_t cap = strlen(text) + 1;
    uint8_t *p = malloc(cap);
    if (sodium_base642bin(
            p, cap, text, strlen(text), NULL, len, NULL, sodium_base64_VARIANT_ORIGINAL) != 0) {
        free(p);
        return NULL;
    }
    return p;
}

bool test_shared_dir_exists(void)
{
    struct stat st;
    return stat(ESDK_SHARED_DIR "/vectors", &st) == 0;
}

void test_fill(uint8_t *p, size_t n, uint32_t seed)
{
    uint32_t x = seed * 2654435761u + 1;
    for (size_t i = 0; i < n; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        p[i] = (uint8_t)x;
    }
}
