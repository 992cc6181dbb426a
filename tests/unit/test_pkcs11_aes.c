/* PKCS#11 keyring with AES keys in SoftHSM2: round trips, the raw AES keyring's EDK layout,
 * interop with the raw AES keyring both ways, key by id, module-generated IVs, options. */
#include <dlfcn.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <p11-kit/pkcs11.h>

#include <aws-esdk-c/esdk.h>
#include <aws-esdk-c/keyrings/pkcs11.h>
#include <aws-esdk-c/keyrings/raw_aes.h>

#include "support/hsm_fixture.h"
#include "support/test_support.h"

static hsm_fixture fx;
static uint8_t known_key[32];

static int setup(void **state)
{
    (void)state;
    for (int i = 0; i < 32; i++) {
        known_key[i] = (uint8_t)(0xA0 ^ (i * 13));
    }
    if (hsm_fixture_init(&fx) != 0 || hsm_token_init(&fx, "esdk-aes", HSM_PIN) != 0 ||
        hsm_aes_keygen(&fx, "esdk-aes", "aes-gen", "a1") != 0 ||
        hsm_aes_import(&fx, "esdk-aes", "aes-known", "a2", known_key) != 0) {
        return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    hsm_fixture_cleanup(&fx);
    return 0;
}

static esdk_keyring *hsm_keyring(const char *key_label, esdk_pkcs11_config **keep)
{
    esdk_pkcs11_config *c = hsm_config(&fx, "esdk-aes", key_label);
    assert_non_null(c);
    esdk_keyring *kr = NULL;
    int rc = esdk_keyring_pkcs11_new(c, &kr);
    if (rc != 0) {
        fail_msg("esdk_keyring_pkcs11_new: %s: %s", esdk_error_name(rc), esdk_last_error_detail());
    }
    if (keep) {
        *keep = c;
    } else {
        esdk_pkcs11_config_release(c);
    }
    return kr;
}

static void aes_round_trip(void **state)
{
    (void)state;
    esdk_keyring *kr = hsm_keyring("aes-gen", NULL);
    assert_string_equal(esdk_keyring_name(kr), "pkcs11");
    esdk_buf msg = ESDK_BUF_INIT;
    assert_int_equal(hsm_encrypt(kr, &msg), 0);
    assert_int_equal(hsm_decrypt(kr, &msg), 0);
    /* a flipped bit in the message body is refused */
    msg.data[msg.len - 40] ^= 1;
    assert_int_not_equal(hsm_decrypt(kr, &msg), 0);
    esdk_buf_release(&msg);
    esdk_keyring_release(kr);
}

/* The EDK is byte for byte the raw AES keyring's: provider id = namespace, provider info =
 * name | 00000080 | 0000000C | IV(12), ciphertext = 32 + 16 bytes; unwrap gives the key.
 * spec: keyring-raw-aes-1, keyring-raw-aes-2 (the same layout and AAD, made in a token) */
/* spec: keyring-pkcs11-1 */
static void aes_edk_layout(void **state)
{
    (void)state;
    esdk_keyring *kr = hsm_keyring("aes-gen", NULL);
    esdk_enc_ctx *ctx;
    esdk_enc_materials *em;
    esdk_dec_materials *dm;
    assert_int_equal(esdk_enc_ctx_new(&ctx), 0);
    assert_int_equal(esdk_enc_ctx_set_str(ctx, "tenant", "42"), 0);
    assert_int_equal(
        esdk_enc_materials_new(ESDK_SUITE_AES_256_GCM_HKDF_SHA512_COMMIT_KEY, ctx, NULL, 0, &em),
        0);
    assert_int_equal(esdk_keyring_on_encrypt(kr, em), 0);
    const esdk_edk_list *edks = esdk_enc_materials_edks(em);
    assert_int_equal(esdk_edk_list_count(edks), 1);
    esdk_edk edk;
    assert_int_equal(esdk_edk_list_get(edks, 0, &edk), 0);
    assert_int_equal(edk.provider_id_len, strlen("hsm-test"));
    assert_memory_equal(edk.provider_id, "hsm-test", edk.provider_id_len);
    assert_int_equal(edk.provider_info_len, strlen("aes-gen") + 20);
    assert_memory_equal(edk.provider_info, "aes-gen", 7);
    static const uint8_t lens[8] = {0, 0, 0, 0x80, 0, 0, 0, 0x0C};
    assert_memory_equal(edk.provider_info + 7, lens, 8);
    assert_int_equal(edk.ciphertext_len, 32 + 16);
    const uint8_t *key;
    size_t key_len;
    assert_true(esdk_enc_materials_data_key(em, &key, &key_len));

    assert_int_equal(
        esdk_dec_materials_new(ESDK_SUITE_AES_256_GCM_HKDF_SHA512_COMMIT_KEY, ctx, NULL, 0, &dm),
        0);
    assert_int_equal(esdk_keyring_on_decrypt(kr, dm, edks), 0);
    const uint8_t *key2;
    size_t key2_len;
    assert_true(esdk_dec_materials_data_key(dm, &key2, &key2_len));
    assert_int_equal(key2_len, key_len);
    assert_memory_equal(key2, key, key_len);
    esdk_dec_materials_release(dm);

    /* another context: the AAD differs, the tag fails, the keyring cannot decrypt */
    esdk_enc_ctx *other;
    assert_int_equal(esdk_enc_ctx_new(&other), 0);
    assert_int_equal(esdk_enc_ctx_set_str(other, "tenant", "43"), 0);
    assert_int_equal(
        esdk_dec_materials_new(ESDK_SUITE_AES_256_GCM_HKDF_SHA512_COMMIT_KEY, other, NULL, 0, &dm),
        0);
    assert_int_equal(esdk_keyring_on_decrypt(kr, dm, edks), ESDK_ERR_CANNOT_DECRYPT);
    assert_non_null(strstr(esdk_last_error_detail(), "none could be unwrapped"));
    esdk_dec_materials_release(dm);
    esdk_enc_ctx_release(other);
    esdk_enc_materials_release(em);
    esdk_enc_ctx_release(ctx);
    esdk_keyring_release(kr);
}

/* spec: keyring-raw-aes-1 (an HSM-wrapped EDK opens with the raw AES keyring and back) */
/* spec: keyring-pkcs11-1 */
static void aes_interop_with_raw_aes(void **state)
{
    (void)state;
    esdk_keyring *hsm = hsm_keyring("aes-known", NULL);
    esdk_keyring *raw = NULL;
    assert_int_equal(esdk_keyring_raw_aes_new("hsm-test", "aes-known", known_key, 32, &raw), 0);
    esdk_buf msg = ESDK_BUF_INIT;
    /* HSM wraps, software unwraps */
    assert_int_equal(hsm_encrypt(hsm, &msg), 0);
    assert_int_equal(hsm_decrypt(raw, &msg), 0);
    esdk_buf_release(&msg);
    /* software wraps, HSM unwraps */
    assert_int_equal(hsm_encrypt(raw, &msg), 0);
    assert_int_equal(hsm_decrypt(hsm, &msg), 0);
    esdk_buf_release(&msg);
    /* the generated key (other material, other name) cannot open it */
    esdk_keyring *gen = hsm_keyring("aes-gen", NULL);
    assert_int_equal(hsm_encrypt(raw, &msg), 0);
    assert_int_equal(hsm_decrypt(gen, &msg), ESDK_ERR_CANNOT_DECRYPT);
    esdk_buf_release(&msg);
    esdk_keyring_release(gen);
    esdk_keyring_release(raw);
    esdk_keyring_release(hsm);
}

/* Key selected by CKA_ID only, with an explicit EDK key name and type. */
static void aes_key_by_id(void **state)
{
    (void)state;
    esdk_pkcs11_config *c;
    assert_int_equal(esdk_pkcs11_config_new(&c), 0);
    assert_int_equal(esdk_pkcs11_config_set_option(c, "module", fx.module), 0);
    assert_int_equal(esdk_pkcs11_config_set_option(c, "token", "esdk-aes"), 0);
    assert_int_equal(esdk_pkcs11_config_set_option(c, "key-id", "a2"), 0);
    assert_int_equal(esdk_pkcs11_config_set_option(c, "key-type", "aes"), 0);
    assert_int_equal(esdk_pkcs11_config_set_option(c, "namespace", "ns-by-id"), 0);
    assert_int_equal(esdk_pkcs11_config_set_option(c, "name", "known by id"), 0);
    assert_int_equal(esdk_pkcs11_config_set_pin(c, (const uint8_t *)HSM_PIN, strlen(HSM_PIN)), 0);
    esdk_keyring *hsm = NULL;
    assert_int_equal(esdk_keyring_pkcs11_new(c, &hsm), 0);
    esdk_pkcs11_config_release(c);
    esdk_keyring *raw = NULL;
    assert_int_equal(esdk_keyring_raw_aes_new("ns-by-id", "known by id", known_key, 32, &raw), 0);
    esdk_buf msg = ESDK_BUF_INIT;
    assert_int_equal(hsm_encrypt(hsm, &msg), 0);
    assert_int_equal(hsm_decrypt(raw, &msg), 0);
    esdk_buf_release(&msg);
    esdk_keyring_release(raw);
    esdk_keyring_release(hsm);
}

/* Lazy connection: construction touches nothing; the first use connects. */
static void aes_lazy(void **state)
{
    (void)state;
    esdk_pkcs11_config *c = hsm_config(&fx, "esdk-aes", "aes-gen");
    assert_int_equal(esdk_pkcs11_config_set_connect(c, ESDK_PKCS11_CONNECT_LAZY), 0);
    esdk_keyring *kr = NULL;
    assert_int_equal(esdk_keyring_pkcs11_new(c, &kr), 0);
    esdk_pkcs11_config_release(c);
    assert_int_equal(esdk_keyring_pkcs11_last_failure(kr, NULL, 0), 0);
    esdk_buf msg = ESDK_BUF_INIT;
    assert_int_equal(hsm_encrypt(kr, &msg), 0);
    assert_int_equal(hsm_decrypt(kr, &msg), 0);
    esdk_buf_release(&msg);
    esdk_keyring_release(kr);
}

/* iv=module against SoftHSM2 (which leaves the IV to the caller) fails clearly. */
static void aes_module_iv_refused_by_softhsm(void **state)
{
    (void)state;
    esdk_pkcs11_config *c = hsm_config(&fx, "esdk-aes", "aes-gen");
    assert_int_equal(esdk_pkcs11_config_set_option(c, "iv", "module"), 0);
    esdk_keyring *kr = NULL;
    assert_int_equal(esdk_keyring_pkcs11_new(c, &kr), 0);
    esdk_pkcs11_config_release(c);
    esdk_buf msg = ESDK_BUF_INIT;
    assert_int_equal(hsm_encrypt(kr, &msg), ESDK_ERR_KEYRING);
    assert_non_null(strstr(esdk_last_error_detail(), "did not write a GCM IV back"));
    char detail[512];
    assert_int_equal(esdk_keyring_pkcs11_last_failure(kr, detail, sizeof detail), ESDK_ERR_KEYRING);
    assert_non_null(strstr(detail, "esdk-aes"));
    esdk_buf_release(&msg);
    esdk_keyring_release(kr);
}

/* A module that generates the GCM IV and writes it back into CK_GCM_PARAMS (as AWS CloudHSM
 * does): SoftHSM2 behind a shim whose C_EncryptInit fills a zeroed IV buffer. */
static CK_FUNCTION_LIST shim;
static CK_FUNCTION_LIST_PTR real;
static int shim_ivs_made;

static CK_RV shim_encrypt_init(CK_SESSION_HANDLE s, CK_MECHANISM_PTR mech, CK_OBJECT_HANDLE key)
{
    if (mech && mech->mechanism == CKM_AES_GCM && mech->pParameter) {
        CK_GCM_PARAMS *gcm = mech->pParameter;
        uint8_t acc = 0;
        for (CK_ULONG i = 0; gcm->pIv && i < gcm->ulIvLen; i++) {
            acc |= gcm->pIv[i];
        }
        if (gcm->pIv && gcm->ulIvLen == 12 && acc == 0) {
            CK_RV rv = real->C_GenerateRandom(s, gcm->pIv, 12);
            if (rv != CKR_OK) {
                return rv;
            }
            shim_ivs_made++;
        }
    }
    return real->C_EncryptInit(s, mech, key);
}

static unsigned long shim_get_function_list(void **out)
{
    if (!real) {
        void *dl = dlopen(fx.module, RTLD_NOW | RTLD_LOCAL);
        CK_C_GetFunctionList get;
        void *sym = dl ? dlsym(dl, "C_GetFunctionList") : NULL;
        if (!sym) {
            return CKR_GENERAL_ERROR;
        }
        memcpy(&get, &sym, sizeof get);
        CK_RV rv = get(&real);
        if (rv != CKR_OK) {
            return rv;
        }
        shim = *real;
        shim.C_EncryptInit = shim_encrypt_init;
    }
    *out = &shim;
    return CKR_OK;
}

static void aes_module_iv_written_back(void **state)
{
    (void)state;
    esdk_pkcs11_config *c = hsm_config(&fx, "esdk-aes", "aes-known");
    assert_int_equal(esdk_pkcs11_config_set_module_entry(c, shim_get_function_list), 0);
    assert_int_equal(esdk_pkcs11_config_set_iv_mode(c, ESDK_PKCS11_IV_MODULE), 0);
    esdk_keyring *hsm = NULL;
    int rc = esdk_keyring_pkcs11_new(c, &hsm);
    if (rc != 0) {
        fail_msg("%s: %s", esdk_error_name(rc), esdk_last_error_detail());
    }
    esdk_pkcs11_config_release(c);
    esdk_keyring *raw = NULL;
    assert_int_equal(esdk_keyring_raw_aes_new("hsm-test", "aes-known", known_key, 32, &raw), 0);
    esdk_buf msg = ESDK_BUF_INIT;
    shim_ivs_made = 0;
    assert_int_equal(hsm_encrypt(hsm, &msg), 0);
    assert_int_equal(shim_ivs_made, 1);
    /* the module's IV went into the EDK: the raw keyring unwraps with it */
    assert_int_equal(hsm_decrypt(raw, &msg), 0);
    assert_int_equal(hsm_decrypt(hsm, &msg), 0);
    esdk_buf_release(&msg);
    esdk_keyring_release(raw);
    esdk_keyring_release(hsm);
}

static void options_parse(void **state)
{
    (void)state;
    esdk_pkcs11_config *c;
    assert_int_equal(esdk_pkcs11_config_new(&c), 0);
    assert_int_equal(esdk_pkcs11_config_set_option(c, "slot", "12"), 0);
    assert_int_equal(esdk_pkcs11_config_set_option(c, "sessions", "4"), 0);
    assert_int_equal(esdk_pkcs11_config_set_option(c, "oaep", "sha256"), 0);
    assert_int_equal(esdk_pkcs11_config_set_option(c, "connect", "lazy"), 0);
    assert_int_equal(esdk_pkcs11_config_set_option(c, "pin-env", "MY_PIN"), 0);
    assert_int_equal(esdk_pkcs11_config_set_option(c, "pin-file", "/tmp/p"), 0);
    assert_int_equal(esdk_pkcs11_config_set_option(c, "no-pin", ""), 0);
    assert_int_equal(esdk_pkcs11_config_set_option(c, "key-id", "0a1B"), 0);
    assert_int_equal(esdk_pkcs11_config_set_option(c, "bogus", "1"), ESDK_ERR_BAD_ARGUMENT);
    assert_non_null(strstr(esdk_last_error_detail(), "bogus"));
    assert_int_equal(esdk_pkcs11_config_set_option(c, "iv", "maybe"), ESDK_ERR_BAD_ARGUMENT);
    assert_int_equal(esdk_pkcs11_config_set_option(c, "key-id", "abc"), ESDK_ERR_BAD_ARGUMENT);
    assert_int_equal(esdk_pkcs11_config_set_option(c, "slot", "x1"), ESDK_ERR_BAD_ARGUMENT);
    assert_int_equal(esdk_pkcs11_config_set_option(c, "sessions", "0"), ESDK_ERR_BAD_ARGUMENT);
    assert_int_equal(
        esdk_pkcs11_config_set_option(c, "namespace", "aws-kms"), ESDK_ERR_BAD_ARGUMENT);
    assert_int_equal(esdk_pkcs11_config_set_option(c, "pin", "123456"), ESDK_ERR_BAD_ARGUMENT);
    assert_null(strstr(esdk_last_error_detail(), "123456"));
    assert_int_equal(
        esdk_pkcs11_config_set_token_label(c, "a label that is far longer than 32 bytes"),
        ESDK_ERR_BAD_ARGUMENT);
    esdk_pkcs11_config_release(c);

    /* no token or key: refused at construction, before anything is loaded */
    assert_int_equal(esdk_pkcs11_config_new(&c), 0);
    esdk_keyring *kr = NULL;
    assert_int_equal(esdk_keyring_pkcs11_new(c, &kr), ESDK_ERR_BAD_ARGUMENT);
    assert_non_null(strstr(esdk_last_error_detail(), "no token"));
    assert_int_equal(esdk_pkcs11_config_set_token_label(c, "t"), 0);
    assert_int_equal(esdk_keyring_pkcs11_new(c, &kr), ESDK_ERR_BAD_ARGUMENT);
    assert_non_null(strstr(esdk_last_error_detail(), "no key"));
    esdk_pkcs11_config_release(c);

    /* last_failure refuses other keyrings */
    esdk_keyring *raw = test_raw_aes_keyring(1);
    assert_int_equal(esdk_keyring_pkcs11_last_failure(raw, NULL, 0), ESDK_ERR_BAD_ARGUMENT);
    esdk_keyring_release(raw);
}

static void default_layout(void **state)
{
    (void)state;
    char *saved_conf = getenv("SOFTHSM2_CONF") ? strdup(getenv("SOFTHSM2_CONF")) : NULL;
    char *saved_xdg = getenv("XDG_DATA_HOME") ? strdup(getenv("XDG_DATA_HOME")) : NULL;
    char xdg[600];
    snprintf(xdg, sizeof xdg, "%s/xdg", fx.dir);
    setenv("XDG_DATA_HOME", xdg, 1);
    esdk_pkcs11_defaults d;
    assert_int_equal(esdk_pkcs11_default_paths(&d), 0);
    char want[800];
    snprintf(want, sizeof want, "%s/aws-esdk/softhsm", xdg);
    assert_string_equal(d.store_dir, want);
    snprintf(want, sizeof want, "%s/aws-esdk/softhsm/softhsm2.conf", xdg);
    assert_string_equal(d.softhsm_conf, want);
    snprintf(want, sizeof want, "%s/aws-esdk/softhsm/pin.txt", xdg);
    assert_string_equal(d.pin_file, want);
    assert_string_equal(d.token_label, "aws-esdk-default");
    assert_string_equal(d.key_label, "aws-esdk-default-key");
    assert_non_null(strstr(d.module_path, "libsofthsm2.so"));

    /* SOFTHSM2_CONF is set only when unset */
    esdk_pkcs11_config *c;
    assert_int_equal(esdk_pkcs11_config_new_default(&c), 0);
    assert_string_equal(getenv("SOFTHSM2_CONF"), saved_conf);
    esdk_pkcs11_config_release(c);
    unsetenv("SOFTHSM2_CONF");
    assert_int_equal(esdk_pkcs11_config_new_default(&c), 0);
    assert_string_equal(getenv("SOFTHSM2_CONF"), d.softhsm_conf);
    /* no store there yet: an eager keyring says what to run */
    esdk_keyring *kr = NULL;
    int rc = esdk_keyring_pkcs11_new(c, &kr);
    assert_int_equal(rc, ESDK_ERR_UNAVAILABLE);
    assert_non_null(strstr(esdk_last_error_detail(), "hsm-init"));
    esdk_pkcs11_config_release(c);

    setenv("SOFTHSM2_CONF", saved_conf, 1);
    if (saved_xdg) {
        setenv("XDG_DATA_HOME", saved_xdg, 1);
    } else {
        unsetenv("XDG_DATA_HOME");
    }
    free(saved_conf);
    free(saved_xdg);
}

int main(void)
{
    int skip = hsm_skip_if_missing("test_pkcs11_aes");
    if (skip >= 0) {
        return skip;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(aes_round_trip),
        cmocka_unit_test(aes_edk_layout),
        cmocka_unit_test(aes_interop_with_raw_aes),
        cmocka_unit_test(aes_key_by_id),
        cmocka_unit_test(aes_lazy),
        cmocka_unit_test(aes_module_iv_refused_by_softhsm),
        cmocka_unit_test(aes_module_iv_written_back),
        cmocka_unit_test(options_parse),
        cmocka_unit_test(default_layout),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
