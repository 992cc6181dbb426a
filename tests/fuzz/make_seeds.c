/* Seed corpora for the fuzz harnesses, made with the library itself (tests/fuzz/run.sh builds
 * and runs this before the harnesses): `make_seeds OUT` writes OUT/seed-<harness>/ files.
 *  - fuzz_header, fuzz_decrypt: messages of every suite, framed (several frames) and
 *    unframed, under the harnesses' fixed fuzz key (raw AES, namespace "fuzz", name "key",
 *    key bytes 0..31); fuzz_decrypt's seeds carry its leading chunk-size byte;
 *  - fuzz_context: serialized encryption contexts;
 *  - fuzz_pem: the unit tests' RSA and EC keys as PEM and DER, and EC points;
 *  - fuzz_encrypt_roundtrip: parameter blocks (one per suite, framed and unframed);
 *  - fuzz_kms_json: KMS answers, error answers and ARNs (with the harness's selector byte);
 *  - fuzz_cli_args: command lines (NUL-separated, the first segment an @file's text).
 * Everything is deterministic except the messages (random data keys and message ids). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <aws-esdk-c/esdk.h>

#include "common/buf.h"
#include "crypto/base64.h"
#include "crypto/ecdsa.h"
#include "format/context.h"
#include "tests/unit/support/rsa_test_keys.h"

static const char *out_dir;
static int written;

static void put(const char *harness, const char *name, const uint8_t *data, size_t len)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/seed-%s", out_dir, harness);
    if (mkdir(path, 0755) != 0 && errno != EEXIST) {
        perror(path);
        exit(1);
    }
    snprintf(path, sizeof path, "%s/seed-%s/%s", out_dir, harness, name);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data, 1, len, f) != len || fclose(f) != 0) {
        perror(path);
        exit(1);
    }
    written++;
}

static void check(int rc, const char *what)
{
    if (rc != 0) {
        fprintf(
            stderr,
            "make_seeds: %s: %s (%s)\n",
            what,
            esdk_error_name(rc),
            esdk_last_error_detail());
        exit(1);
    }
}

static void messages(void)
{
    static const uint16_t suites[] = {
        0x0014, 0x0046, 0x0078, 0x0114, 0x0146, 0x0178, 0x0214, 0x0346, 0x0378, 0x0478, 0x0578};
    static const struct {
        uint32_t frame;
        size_t len;
    } shapes[] = {{16, 40}, {64, 64}, {4096, 10}, {0, 33}, {1, 3}};
    uint8_t key[32];
    for (int i = 0; i < 32; i++) {
        key[i] = (uint8_t)i;
    }
    esdk_keyring *kr;
    check(esdk_keyring_raw_aes_new("fuzz", "key", key, sizeof key, &kr), "keyring");
    esdk_enc_ctx *ctx;
    check(esdk_enc_ctx_new(&ctx), "context");
    check(esdk_enc_ctx_set_str(ctx, "purpose", "fuzz seed"), "context");
    check(esdk_enc_ctx_set_str(ctx, "caf\xc3\xa9", "\xe6\x97\xa5"), "context");
    uint8_t pt[64];
    for (size_t i = 0; i < sizeof pt; i++) {
        pt[i] = (uint8_t)(i * 7);
    }
    for (size_t s = 0; s < sizeof suites / sizeof suites[0]; s++) {
        for (size_t k = 0; k < sizeof shapes / sizeof shapes[0]; k++) {
            esdk_options *o;
            check(esdk_options_new(&o), "options");
            check(
                esdk_options_set_commitment_policy(
                    o,
                    esdk_suite_is_committing(suites[s])
                        ? ESDK_COMMITMENT_REQUIRE_ENCRYPT_REQUIRE_DECRYPT
                        : ESDK_COMMITMENT_FORBID_ENCRYPT_ALLOW_DECRYPT),
                "policy");
            check(esdk_options_set_suite(o, suites[s]), "suite");
            check(esdk_options_set_frame_length(o, shapes[k].frame), "frame");
            esdk_buf ct = ESDK_BUF_INIT;
            check(esdk_encrypt(o, NULL, kr, k % 2 ? ctx : NULL, pt, shapes[k].len, &ct), "encrypt");
            char name[64];
            snprintf(
                name, sizeof name, "msg-%04x-f%u-n%zu", suites[s], shapes[k].frame, shapes[k].len);
            put("fuzz_header", name, ct.data, ct.len);
            /* fuzz_decrypt: a chunk-size byte first (chunks of 1 + byte % 64) */
            uint8_t *framed = malloc(ct.len + 1);
            framed[0] = (uint8_t)(k * 13 + s);
            memcpy(framed + 1, ct.data, ct.len);
            put("fuzz_decrypt", name, framed, ct.len + 1);
            free(framed);
            esdk_buf_release(&ct);
            esdk_options_release(o);
        }
    }
    /* contexts, serialized */
    esdk_buf ser = ESDK_BUF_INIT;
    check(esdk_enc_ctx_serialize(ctx, &ser), "serialize");
    put("fuzz_context", "two-pairs", ser.data, ser.len);
    esdk_buf_release(&ser);
    check(
        esdk_enc_ctx_set_str(
            ctx, ESDK_PUBLIC_KEY_CONTEXT_KEY, "A+nJ9Jw1tVBwBTsX3DDSrcO0hI6nRaK9I4wRuZq8lLL/"),
        "context");
    check(esdk_enc_ctx_serialize(ctx, &ser), "serialize");
    put("fuzz_context", "three-pairs", ser.data, ser.len);
    esdk_buf_release(&ser);
    esdk_enc_ctx_release(ctx);
    esdk_keyring_release(kr);
}

/* A PEM text and its DER body. */
static void pem_and_der(const char *name, const char *pem)
{
    char file[128];
    snprintf(file, sizeof file, "%s.pem", name);
    put("fuzz_pem", file, (const uint8_t *)pem, strlen(pem));
    const char *body = strchr(pem, '\n');
    const char *end = strstr(pem, "-----END");
    if (!body || !end) {
        return;
    }
    esdk_buf der = ESDK_BUF_INIT;
    check(esdk_base64_decode(body + 1, (size_t)(end - body - 1), &der), "PEM body");
    snprintf(file, sizeof file, "%s.der", name);
    put("fuzz_pem", file, der.data, der.len);
    esdk_buf_release(&der);
}

static void keys(void)
{
    static const struct {
        const char *name;
        const char *pem;
    } k[] = {
        {"rsa2048-pkcs8", test_rsa_2048_a_pkcs8},
        {"rsa2048-pkcs1", test_rsa_2048_a_pkcs1},
        {"rsa2048-spki", test_rsa_2048_a_spki},
        {"rsa2048-pkcs1-pub", test_rsa_2048_a_pkcs1_pub},
        {"rsa2048-pkcs8-encrypted", test_rsa_2048_a_pkcs8_encrypted},
        {"rsa1024-pkcs8", test_rsa_1024_pkcs8},
        {"ec256-pkcs8", test_ec_p256_pkcs8},
        {"ec256-spki", test_ec_p256_spki},
    };
    for (size_t i = 0; i < sizeof k / sizeof k[0]; i++) {
        pem_and_der(k[i].name, k[i].pem);
    }
    /* compressed points of each curve */
    for (int c = ESDK_CURVE_P256; c <= ESDK_CURVE_P521; c++) {
        esdk_sig_key *key;
        uint8_t point[ESDK_POINT_MAX_LEN];
        size_t len;
        check(esdk_sig_key_generate((esdk_curve)c, &key), "EC key");
        check(esdk_sig_key_public_compressed(key, point, sizeof point, &len), "EC point");
        char name[32];
        snprintf(name, sizeof name, "point-%d", c);
        put("fuzz_pem", name, point, len);
        esdk_sig_key_release(key);
    }
}

static void roundtrip_params(void)
{
    for (uint8_t s = 0; s < 11; s++) {
        /* suite, frame (u16: 0 mod 8 = unframed, else 1 + f % 300), length (u16), flags,
         * four chunk schedules, one context pair, plaintext bytes */
        const uint8_t p[] = {s,   0,   (uint8_t)(s % 2 ? 16 : 17),
                             1,   0,   1,
                             2,   5,   100,
                             1,   7,   2,
                             3,   250, 1,
                             16,  1,   2,
                             'k', '1', 3,
                             'v', 'a', 'l',
                             'x', 'y', 'z'};
        char name[32];
        snprintf(name, sizeof name, "suite-%u", s);
        put("fuzz_encrypt_roundtrip", name, p, sizeof p);
    }
}

static void
put_text(const char *harness, const char *name, uint8_t selector, const char *text, size_t len)
{
    uint8_t *b = malloc(len + 1);
    b[0] = selector;
    memcpy(b + 1, text, len);
    put(harness, name, b, len + 1);
    free(b);
}

#define TEXT(s) (s), sizeof(s) - 1

static void kms(void)
{
    put_text(
        "fuzz_kms_json",
        "generate",
        0,
        TEXT("{\"CiphertextBlob\":\"AQIDBAUGBwg=\",\"KeyId\":\"arn:aws:kms:us-west-2:111122223333:"
             "key/"
             "1234abcd-12ab-34cd-56ef-1234567890ab\",\"Plaintext\":"
             "\"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\"}"));
    put_text(
        "fuzz_kms_json",
        "encrypt",
        1,
        TEXT("{\"CiphertextBlob\":\"AQIDBAUGBwg=\",\"EncryptionAlgorithm\":\"SYMMETRIC_DEFAULT\","
             "\"KeyId\":\"arn:aws:kms:eu-west-1:111122223333:key/mrk-1234\"}"));
    put_text(
        "fuzz_kms_json",
        "decrypt",
        2,
        TEXT("{\"KeyId\":\"arn:aws:kms:us-east-1:111122223333:key/"
             "mrk-1234\",\"Plaintext\":\"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\","
             "\"EncryptionAlgorithm\":\"SYMMETRIC_DEFAULT\"}"));
    put_text(
        "fuzz_kms_json",
        "error-body",
        3,
        TEXT("\0{\"__type\":\"com.amazonaws.kms#NotFoundException\",\"message\":\"Key 'x' does not "
             "exist\"}"));
    put_text(
        "fuzz_kms_json",
        "error-header",
        3,
        TEXT("ThrottlingException:http://internal.amazon.com/\0{\"Message\":\"Rate exceeded\"}"));
    put_text(
        "fuzz_kms_json",
        "arn-key",
        4,
        TEXT("arn:aws:kms:us-west-2:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab"));
    put_text(
        "fuzz_kms_json",
        "arn-alias",
        4,
        TEXT("arn:aws-cn:kms:cn-north-1:111122223333:alias/my-key"));
}

#define LINE(s)                                                                                    \
    {                                                                                              \
        (s), sizeof(s) - 1                                                                         \
    }

static void cli(void)
{
    static const struct {
        const char *text;
        size_t len;
    } lines[] = {
        LINE("\0-e\0-i\0in.txt\0-o\0out.bin\0-w\0provider=aes\0key=base64:"
             "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\0-c\0purpose=test\0--frame-length\000"
             "1024\0-S"),
        LINE("\0--decrypt\0--input\0-\0--output\0-\0--wrapping-keys\0key=arn:aws:kms:us-west-2:"
             "111122223333:key/mrk-1\0discovery=true\0--max-encrypted-data-keys\0003\0--buffer\0"
             "--suppress-metadata"),
        LINE("-w provider=rsa key=pub.pem\n# comment\n-c \"a b=c d\" 'x=y'\n\0-e\0@\0-o\0dir\0-r\0"
             "--suffix\0.enc\0--metadata-output\0meta.json"),
        LINE("\0-d\0-i\0*.enc\0-o\0out\0--commitment-policy\0forbid-encrypt-allow-decrypt\0"
             "--caching\0capacity=10\0max_age=60\0-w\0provider=pkcs11\0key=label:k\0--encode\0-vv"),
        LINE("\0--decrypt-unsigned\0-i\0x\0-o\0y\0-w\0provider=aes\0key=hex:"
             "000102030405060708090a0b0c0d0e0f\0--algorithm\0AES_256_GCM_HKDF_SHA512_COMMIT_KEY\0"
             "--max-length\0001000\0--decode\0--interactive"),
    };
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
        char name[32];
        snprintf(name, sizeof name, "args-%zu", i);
        put("fuzz_cli_args", name, (const uint8_t *)lines[i].text, lines[i].len);
    }
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: make_seeds OUT_DIR\n");
        return 2;
    }
    out_dir = argv[1];
    messages();
    keys();
    roundtrip_params();
    kms();
    cli();
    printf("make_seeds: %d seed files in %s/seed-*\n", written, out_dir);
    return 0;
}
