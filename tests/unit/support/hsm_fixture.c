#include "hsm_fixture.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SO_PIN "87654321"

static const char *const modules[] = {
    "/usr/lib/softhsm/libsofthsm2.so",
    "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
    "/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so",
    "/usr/lib64/pkcs11/libsofthsm2.so",
};

static const char *find_module(void)
{
    for (size_t i = 0; i < sizeof modules / sizeof modules[0]; i++) {
        if (access(modules[i], R_OK) == 0) {
            return modules[i];
        }
    }
    return NULL;
}

static bool on_path(const char *tool)
{
    char cmd[256];
    snprintf(cmd, sizeof cmd, "command -v %s >/dev/null 2>&1", tool);
    return system(cmd) == 0;
}

const char *hsm_missing(void)
{
    if (!find_module()) {
        return "the SoftHSM2 module (Debian package softhsm2)";
    }
    if (!on_path("softhsm2-util")) {
        return "softhsm2-util (Debian package softhsm2)";
    }
    if (!on_path("pkcs11-tool")) {
        return "pkcs11-tool (Debian package opensc)";
    }
    return NULL;
}

int hsm_skip_if_missing(const char *test_name)
{
    const char *missing = hsm_missing();
    if (missing) {
        printf(
            "skipped: %s needs %s; install softhsm2 and opensc (scripts/install-deps.sh)\n",
            test_name,
            missing);
        return HSM_SKIP;
    }
    return -1;
}

/* Run a shell command with its output in the fixture's log; print the log on failure. */
static int run(const hsm_fixture *f, const char *fmt, ...)
{
    char cmd[4096], full[4800];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    snprintf(full, sizeof full, "(%s) >'%s/log' 2>&1", cmd, f->dir);
    int rc = system(full);
    if (rc != 0) {
        char show[700];
        fprintf(stderr, "hsm fixture: command failed (%d): %s\n", rc, cmd);
        snprintf(show, sizeof show, "cat '%s/log' >&2", f->dir);
        (void)system(show);
    }
    return rc;
}

int hsm_fixture_init(hsm_fixture *f)
{
    memset(f, 0, sizeof *f);
    const char *tmp = getenv("TMPDIR");
    snprintf(f->dir, sizeof f->dir, "%s/esdk-hsm-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(f->dir)) {
        perror("mkdtemp");
        return -1;
    }
    snprintf(f->module, sizeof f->module, "%s", find_module());
    snprintf(f->conf, sizeof f->conf, "%s/softhsm2.conf", f->dir);
    char tokens[600];
    snprintf(tokens, sizeof tokens, "%s/tokens", f->dir);
    if (mkdir(tokens, 0700) != 0) {
        perror("mkdir");
        return -1;
    }
    FILE *c = fopen(f->conf, "w");
    if (!c) {
        perror("fopen");
        return -1;
    }
    fprintf(
        c,
        "directories.tokendir = %s\nobjectstore.backend = file\nlog.level = ERROR\n"
        "slots.removable = false\nslots.mechanisms = ALL\nlibrary.reset_on_fork = false\n",
        tokens);
    fclose(c);
    return setenv("SOFTHSM2_CONF", f->conf, 1);
}

void hsm_fixture_cleanup(hsm_fixture *f)
{
    if (f->dir[0] && strstr(f->dir, "/esdk-hsm-") != NULL) {
        char cmd[600];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
        (void)system(cmd);
    }
    f->dir[0] = '\0';
}

int hsm_token_init(const hsm_fixture *f, const char *label, const char *pin)
{
    return run(
        f,
        "softhsm2-util --init-token --free --label '%s' --so-pin %s --pin '%s'",
        label,
        SO_PIN,
        pin);
}

int hsm_aes_keygen(const hsm_fixture *f, const char *token, const char *label, const char *id_hex)
{
    return run(
        f,
        "pkcs11-tool --module '%s' --token-label '%s' --login --pin '%s' --keygen "
        "--key-type AES:32 --label '%s' --id %s --usage-wrap --usage-decrypt --sensitive --private",
        f->module,
        token,
        HSM_PIN,
        label,
        id_hex);
}

int hsm_aes_import(
    const hsm_fixture *f,
    const char *token,
    const char *label,
    const char *id_hex,
    const uint8_t key[32])
{
    char path[600];
    snprintf(path, sizeof path, "%s/import-%s.bin", f->dir, id_hex);
    FILE *k = fopen(path, "wb");
    if (!k || fwrite(key, 1, 32, k) != 32) {
        return -1;
    }
    fclose(k);
    int rc =
        run(f,
            "pkcs11-tool --module '%s' --token-label '%s' --login --pin '%s' --write-object "
            "'%s' --type secrkey --key-type AES:32 --label '%s' --id %s --usage-wrap "
            "--usage-decrypt --sensitive --private",
            f->module,
            token,
            HSM_PIN,
            path,
            label,
            id_hex);
    unlink(path);
    return rc;
}

int hsm_rsa_keygen(
    const hsm_fixture *f, const char *token, const char *label, const char *id_hex, unsigned bits)
{
    return run(
        f,
        "pkcs11-tool --module '%s' --token-label '%s' --login --pin '%s' --keypairgen "
        "--key-type rsa:%u --label '%s' --id %s --usage-wrap --usage-decrypt",
        f->module,
        token,
        HSM_PIN,
        bits,
        label,
        id_hex);
}

int hsm_rsa_import(
    const hsm_fixture *f, const char *token, const char *label, const char *id_hex, const char *pem)
{
    char path[600];
    snprintf(path, sizeof path, "%s/import-%s.pem", f->dir, id_hex);
    FILE *k = fopen(path, "w");
    if (!k || fputs(pem, k) < 0) {
        return -1;
    }
    fclose(k);
    int rc =
        run(f,
            "softhsm2-util --import '%s' --token '%s' --label '%s' --id %s --pin '%s'",
            path,
            token,
            label,
            id_hex,
            HSM_PIN);
    unlink(path);
    return rc;
}

esdk_pkcs11_config *hsm_config(const hsm_fixture *f, const char *token, const char *key_label)
{
    esdk_pkcs11_config *c = NULL;
    if (esdk_pkcs11_config_new(&c) != 0 || esdk_pkcs11_config_set_module(c, f->module) != 0 ||
        esdk_pkcs11_config_set_token_label(c, token) != 0 ||
        esdk_pkcs11_config_set_key_label(c, key_label) != 0 ||
        esdk_pkcs11_config_set_pin(c, (const uint8_t *)HSM_PIN, strlen(HSM_PIN)) != 0 ||
        esdk_pkcs11_config_set_key_namespace(c, "hsm-test") != 0) {
        esdk_pkcs11_config_release(c);
        return NULL;
    }
    return c;
}

static void test_message(uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        p[i] = (uint8_t)(i * 31 + 7);
    }
}

int hsm_encrypt(esdk_keyring *enc, esdk_buf *msg)
{
    uint8_t pt[1000];
    esdk_enc_ctx *ctx = NULL;
    test_message(pt, sizeof pt);
    int rc = esdk_enc_ctx_new(&ctx);
    if (rc == 0) {
        rc = esdk_enc_ctx_set_str(ctx, "purpose", "hsm-test");
    }
    if (rc == 0) {
        rc = esdk_encrypt(NULL, NULL, enc, ctx, pt, sizeof pt, msg);
    }
    esdk_enc_ctx_release(ctx);
    return rc;
}

int hsm_decrypt(esdk_keyring *dec, const esdk_buf *msg)
{
    uint8_t pt[1000];
    esdk_buf out = ESDK_BUF_INIT;
    test_message(pt, sizeof pt);
    int rc = esdk_decrypt(NULL, NULL, dec, NULL, msg->data, msg->len, &out, NULL);
    if (rc == 0 && (out.len != sizeof pt || memcmp(out.data, pt, sizeof pt) != 0)) {
        rc = ESDK_ERR_INTERNAL;
    }
    esdk_buf_release(&out);
    return rc;
}
