/* libFuzzer: key parsing (PEM and DER: PKCS#1, PKCS#8, SEC1, SubjectPublicKeyInfo; raw SEC1
 * points). The input goes to the raw RSA keyring as its public key, as its private key and as
 * both, and to the EC key readers of the raw ECDH keyring (crypto/ecdh.h) as a private key, a
 * public key and a point on each curve. Invariants: a key is accepted or refused with
 * ESDK_ERR_BAD_KEY (never another code, a crash or a leak); what is accepted is usable and
 * releases cleanly. The RSA padding comes from the input's length, so the seeds stay plain
 * key files (tests/fuzz/make_seeds.c writes them). */
#include <stdint.h>
#include <stdlib.h>

#include <aws-esdk-c/esdk.h>
#include <aws-esdk-c/keyrings/raw_rsa.h>

#include "crypto/ecdh.h"

static void check_rsa(int rc, esdk_keyring *kr)
{
    if (rc == 0) {
        if (!kr) {
            abort();
        }
        esdk_keyring_release(kr);
    } else if (rc != ESDK_ERR_BAD_KEY) {
        abort(); /* a key the parser cannot read is a bad key, whatever is wrong with it */
    }
}

static void check_ec(int rc, esdk_ec_key *key, bool want_private)
{
    if (rc == 0) {
        if (!key || esdk_ec_key_has_private(key) != want_private) {
            abort();
        }
        uint8_t point[ESDK_POINT_MAX_LEN];
        size_t len = 0;
        if (esdk_sig_key_public_compressed(key, point, sizeof point, &len) != 0 ||
            len != esdk_curve_point_len(esdk_sig_key_curve(key))) {
            abort();
        }
        esdk_sig_key_release(key);
    } else if (rc != ESDK_ERR_BAD_KEY) {
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0) {
        return 0; /* length 0 is refused before parsing (covered by the unit tests) */
    }
    const esdk_rsa_padding pad = (esdk_rsa_padding)(size % 5);
    esdk_keyring *kr = NULL;
    check_rsa(esdk_keyring_raw_rsa_new("fuzz", "key", pad, data, size, NULL, 0, &kr), kr);
    kr = NULL;
    check_rsa(esdk_keyring_raw_rsa_new("fuzz", "key", pad, NULL, 0, data, size, &kr), kr);
    kr = NULL;
    /* both at once: a pair check between two parses of the same bytes */
    check_rsa(esdk_keyring_raw_rsa_new("fuzz", "key", pad, data, size, data, size, &kr), kr);

    esdk_ec_key *key = NULL;
    check_ec(esdk_ec_key_parse_private(data, size, &key), key, true);
    key = NULL;
    check_ec(esdk_ec_key_parse_public(data, size, &key), key, false);
    for (int curve = ESDK_CURVE_P256; curve <= ESDK_CURVE_P521; curve++) {
        key = NULL;
        check_ec(esdk_ec_key_from_point((esdk_curve)curve, data, size, &key), key, false);
    }
    return 0;
}
