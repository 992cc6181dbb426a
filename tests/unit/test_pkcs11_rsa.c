/* PKCS#11 keyring with RSA keys in SoftHSM2: OAEP-SHA1 round trips, the raw RSA keyring's EDK
 * layout, interop with the raw RSA keyring both ways, OAEP-SHA256 refused with a clear text. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include <aws-esdk-c/esdk.h>
#include <aws-esdk-c/keyrings/pkcs11.h>
#include <aws-esdk-c/keyrings/raw_rsa.h>

#include "support/hsm_fixture.h"

/* A throwaway RSA-2048 key pair made for this test with openssl genpkey (test data only). */
static const char known_private_pem[] =
    "-----BEGIN PRIVATE KEY-----\n"
    "MIIEvgIBADANBgkqhkiG9w0BAQEFAASCBKgwggSkAgEAAoIBAQC4MMSK1fraAIc1\n"
    "VjKKVCSCQAYAsOUE/8aRMY3VFvdSrmaV4hq8bUD9tMMNLDfl0QZlfUf9oTjDSqYE\n"
    "Bf23bAqFMgweEiswjeNrOapFo36osHoAUtm34nvevGdZXl2xYDVUFs+j2Pbm64V9\n"
    "TYx6RHTcC7lzPa07KO4pHVdrVrnG/fkNQ/KlGqY1MS6izKksC+rithtCUJG06My1\n"
    "ySpRBri5k5Ufx+QWKnxgoTj4fNGFt9FPJBrVsHHSq2PWzTbqqbfkuq33i3FYNetg\n"
    "KaNPFfXC5nsEzcb9/oKPZFrp//4fTR0nX0d+yglQ2F/hdWmp61aIzfTCAplyqfZN\n"
    "bS5Z4UArAgMBAAECggEAPxUowzoNC4vhwuEuNxUhWeCujZ8IGOG28rRLlL8kXpNv\n"
    "fAbvzDgI6bt2kDTkQhgIPksdlF6ar7wJxtf8cM0Wf07IOqZTV3JJAMjDqc0YjJLA\n"
    "fgriGSn+7aaOKNv6b8z5Br83RzEAQs9ILUWZhqiac2Cql674fQoEI12yuob94oo1\n"
    "AxIY8AsRJlQp07i6FFvSFse7/3rMZdA5uC431Iot9SGGv4wkAtWovGrQIw+4qIsw\n"
    "c3N9uJUVySeHBGzmhNFrrvXf2qf2o79BiGQvV7qkI4+tPqVOCIFSG2jvs2lcP6CG\n"
    "/6CruzQLoE1dDN52xdCZ03O9RKk4+Mh2aMBgW0hYoQKBgQDrIgpy0Wy8liZTwuxU\n"
    "oGD7ELomKzlL4eAHPwFdtrJlPkTdouQLod+giscRSYuYnNX84VxiwWnz8Hh9VsAZ\n"
    "YVV+EJi7zUa3D349gC+6PoofuIZAMFB/DtoyjY69W87jTevybem7o13fcQD24ZTw\n"
    "6PO5/FlWDrGOulPKm0xvCXhiYQKBgQDIiV7lxcDX5gDVY8vZMfWr2rMwDzTWQtiC\n"
    "TejwAJWdykALigTXN5FvP9Sjz0/7SfpkMrNo5uyJ77Xt7m2PY232UNJPUYLGgKaa\n"
    "JFITxHd3sVYEuwPMzEEfDXNJx13M+1qf3KSVdMmvIwlYPglABpwtsXcgaNhXuT0G\n"
    "eMopdl7GCwKBgQC71rboILuwMHcv5QEtXe37w9Ih2dfs8eYpg8DQn7oGPWeAc7eg\n"
    "P1HKC/OZsNovMeOVIGfQkNjWwp1O6/WMkQBeNF3/ca7zYRIliXkXXQy06JF/R9mW\n"
    "l0PirMmCJoyxc7dxNTNK7eh5LuppT67Pghnq01h+8kAQWHPF4Kh/793XIQKBgQCW\n"
    "pqyGDWPsTbv+kzRG/MNE0c2foyzccedZLNJ7ytSbb59hi9RLIlG9s8Q5M7swWski\n"
    "kPw7KJA2p8CS+HWSLO4lB16Xe/K00V1Xm0WV2Biv8KdgcmZOanvZqi8cFAwhvAq+\n"
    "4fE63jvNuJKCmkg0s0KNCS8nR9yPOnff7sphD63vNQKBgAF3X0ei6TBncS9UElNC\n"
    "pHVWEvnRoOH++TPtgiKQW0ykt+9C3bQWSwYfeEfN693OkuLfxAruqu0TxSnua1FK\n"
    "ESEEM+HGI+lvTdwAwPtWdAfQGUz3w3HahK2oiWvTCYkFCl8KMW3z4pKsTeJ9JGhm\n"
    "aKReRXOCy7XpECh6kK/CFjfF\n"
    "-----END PRIVATE KEY-----\n";

static const char known_public_pem[] =
    "-----BEGIN PUBLIC KEY-----\n"
    "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAuDDEitX62gCHNVYyilQk\n"
    "gkAGALDlBP/GkTGN1Rb3Uq5mleIavG1A/bTDDSw35dEGZX1H/aE4w0qmBAX9t2wK\n"
    "hTIMHhIrMI3jazmqRaN+qLB6AFLZt+J73rxnWV5dsWA1VBbPo9j25uuFfU2MekR0\n"
    "3Au5cz2tOyjuKR1Xa1a5xv35DUPypRqmNTEuosypLAvq4rYbQlCRtOjMtckqUQa4\n"
    "uZOVH8fkFip8YKE4+HzRhbfRTyQa1bBx0qtj1s026qm35Lqt94txWDXrYCmjTxX1\n"
    "wuZ7BM3G/f6Cj2Ra6f/+H00dJ19HfsoJUNhf4XVpqetWiM30wgKZcqn2TW0uWeFA\n"
    "KwIDAQAB\n"
    "-----END PUBLIC KEY-----\n";

static hsm_fixture fx;

static int setup(void **state)
{
    (void)state;
    if (hsm_fixture_init(&fx) != 0 || hsm_token_init(&fx, "esdk-rsa", HSM_PIN) != 0 ||
        hsm_rsa_keygen(&fx, "esdk-rsa", "rsa-gen", "b1", 2048) != 0 ||
        hsm_rsa_import(&fx, "esdk-rsa", "rsa-known", "b2", known_private_pem) != 0) {
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

static esdk_keyring *hsm_keyring(const char *key_label, const char *oaep)
{
    esdk_pkcs11_config *c = hsm_config(&fx, "esdk-rsa", key_label);
    assert_non_null(c);
    if (oaep) {
        assert_int_equal(esdk_pkcs11_config_set_option(c, "oaep", oaep), 0);
    }
    esdk_keyring *kr = NULL;
    int rc = esdk_keyring_pkcs11_new(c, &kr);
    if (rc != 0) {
        fail_msg("esdk_keyring_pkcs11_new: %s: %s", esdk_error_name(rc), esdk_last_error_detail());
    }
    esdk_pkcs11_config_release(c);
    return kr;
}

static void rsa_round_trip_oaep_sha1(void **state)
{
    (void)state;
    esdk_keyring *kr = hsm_keyring("rsa-gen", NULL); /* key type auto: finds the RSA pair */
    esdk_buf msg = ESDK_BUF_INIT;
    for (int i = 0; i < 3; i++) {
        assert_int_equal(hsm_encrypt(kr, &msg), 0);
        assert_int_equal(hsm_decrypt(kr, &msg), 0);
        esdk_buf_release(&msg);
    }
    esdk_keyring_release(kr);
}

/* spec: keyring-pkcs11-1 */
static void rsa_edk_layout(void **state)
{
    (void)state;
    esdk_keyring *kr = hsm_keyring("rsa-gen", "sha1");
    esdk_enc_materials *em;
    assert_int_equal(
        esdk_enc_materials_new(ESDK_SUITE_AES_256_GCM_HKDF_SHA512_COMMIT_KEY, NULL, NULL, 0, &em),
        0);
    assert_int_equal(esdk_keyring_on_encrypt(kr, em), 0);
    esdk_edk edk;
    assert_int_equal(esdk_edk_list_get(esdk_enc_materials_edks(em), 0, &edk), 0);
    assert_int_equal(edk.provider_id_len, strlen("hsm-test"));
    assert_memory_equal(edk.provider_id, "hsm-test", edk.provider_id_len);
    assert_int_equal(edk.provider_info_len, strlen("rsa-gen"));
    assert_memory_equal(edk.provider_info, "rsa-gen", edk.provider_info_len);
    assert_int_equal(edk.ciphertext_len, 256);
    esdk_enc_materials_release(em);
    esdk_keyring_release(kr);
}

/* spec: keyring-pkcs11-1 */
static void rsa_interop_with_raw_rsa(void **state)
{
    (void)state;
    esdk_keyring *hsm = hsm_keyring("rsa-known", "sha1");
    esdk_keyring *raw_priv = NULL, *raw_pub = NULL;
    assert_int_equal(
        esdk_keyring_raw_rsa_new(
            "hsm-test",
            "rsa-known",
            ESDK_RSA_OAEP_SHA1_MGF1,
            NULL,
            0,
            (const uint8_t *)known_private_pem,
            strlen(known_private_pem),
            &raw_priv),
        0);
    assert_int_equal(
        esdk_keyring_raw_rsa_new(
            "hsm-test",
            "rsa-known",
            ESDK_RSA_OAEP_SHA1_MGF1,
            (const uint8_t *)known_public_pem,
            strlen(known_public_pem),
            NULL,
            0,
            &raw_pub),
        0);
    esdk_buf msg = ESDK_BUF_INIT;
    /* the token encrypts (with its public key object), software decrypts */
    assert_int_equal(hsm_encrypt(hsm, &msg), 0);
    assert_int_equal(hsm_decrypt(raw_priv, &msg), 0);
    esdk_buf_release(&msg);
    /* software encrypts, the token decrypts */
    assert_int_equal(hsm_encrypt(raw_pub, &msg), 0);
    assert_int_equal(hsm_decrypt(hsm, &msg), 0);
    esdk_buf_release(&msg);
    /* another key pair under the same name cannot decrypt it */
    esdk_pkcs11_config *c = hsm_config(&fx, "esdk-rsa", "rsa-gen");
    assert_int_equal(esdk_pkcs11_config_set_key_name(c, "rsa-known"), 0);
    esdk_keyring *other = NULL;
    assert_int_equal(esdk_keyring_pkcs11_new(c, &other), 0);
    esdk_pkcs11_config_release(c);
    assert_int_equal(hsm_encrypt(raw_pub, &msg), 0);
    assert_int_equal(hsm_decrypt(other, &msg), ESDK_ERR_CANNOT_DECRYPT);
    esdk_buf_release(&msg);
    esdk_keyring_release(other);
    esdk_keyring_release(raw_pub);
    esdk_keyring_release(raw_priv);
    esdk_keyring_release(hsm);
}

/* SoftHSM2 2.6 accepts OAEP with SHA-1 only: SHA-256 fails with a text that says so. */
static void rsa_oaep_sha256_refused_by_softhsm(void **state)
{
    (void)state;
    esdk_keyring *kr = hsm_keyring("rsa-known", "sha256");
    esdk_buf msg = ESDK_BUF_INIT;
    int rc = hsm_encrypt(kr, &msg);
    assert_int_not_equal(rc, 0);
    assert_non_null(strstr(esdk_last_error_detail(), "oaep=sha1"));
    esdk_buf_release(&msg);

    /* a message made in software with OAEP-SHA256 cannot be decrypted by this token */
    esdk_keyring *raw_pub = NULL;
    assert_int_equal(
        esdk_keyring_raw_rsa_new(
            "hsm-test",
            "rsa-known",
            ESDK_RSA_OAEP_SHA256_MGF1,
            (const uint8_t *)known_public_pem,
            strlen(known_public_pem),
            NULL,
            0,
            &raw_pub),
        0);
    assert_int_equal(hsm_encrypt(raw_pub, &msg), 0);
    rc = hsm_decrypt(kr, &msg);
    assert_int_not_equal(rc, 0);
    assert_non_null(strstr(esdk_last_error_detail(), "oaep=sha1"));
    esdk_buf_release(&msg);
    esdk_keyring_release(raw_pub);
    esdk_keyring_release(kr);
}

/* key-type aes on an RSA label: no such AES key. */
static void rsa_label_is_not_aes(void **state)
{
    (void)state;
    esdk_pkcs11_config *c = hsm_config(&fx, "esdk-rsa", "rsa-gen");
    assert_int_equal(esdk_pkcs11_config_set_key_type(c, ESDK_PKCS11_KEY_AES), 0);
    esdk_keyring *kr = NULL;
    assert_int_equal(esdk_keyring_pkcs11_new(c, &kr), ESDK_ERR_BAD_KEY);
    assert_non_null(strstr(esdk_last_error_detail(), "no AES key labelled 'rsa-gen'"));
    esdk_pkcs11_config_release(c);
}

int main(void)
{
    int skip = hsm_skip_if_missing("test_pkcs11_rsa");
    if (skip >= 0) {
        return skip;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rsa_round_trip_oaep_sha1),
        cmocka_unit_test(rsa_edk_layout),
        cmocka_unit_test(rsa_interop_with_raw_rsa),
        cmocka_unit_test(rsa_oaep_sha256_refused_by_softhsm),
        cmocka_unit_test(rsa_label_is_not_aes),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
