/* bench_hsm: data-key wraps and unwraps per second through a PKCS#11 token (SoftHSM2, a
 * throwaway token in a temp dir), next to the raw AES keyring on the same machine, and 1 KiB
 * messages per second through the HSM keyring with and without the caching CMM.
 *
 *   bench_hsm [seconds per figure, default 1]
 *
 * Prints a table and one machine-readable line per figure: "BENCH hsm.<name>=<value>". */
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <aws-esdk-c/esdk.h>
#include <aws-esdk-c/keyrings/pkcs11.h>
#include <aws-esdk-c/keyrings/raw_aes.h>

#define PIN     "bench-1234"
#define SUITE   ESDK_SUITE_AES_256_GCM_HKDF_SHA512_COMMIT_KEY /* unsigned: HSM cost shows */
#define MSG_LEN 1024
#define THREADS 4

static double seconds = 1.0;
static char dir[512], module[512];

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void die(const char *what, int rc)
{
    fprintf(stderr, "bench_hsm: %s: %s: %s\n", what, esdk_error_name(rc), esdk_last_error_detail());
    exit(1);
}

static int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int sh(const char *fmt, ...)
{
    char cmd[2048], full[2400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    snprintf(full, sizeof full, "(%s) >/dev/null 2>&1", cmd);
    return system(full);
}

/* A throwaway SoftHSM2 token "bench" with a generated AES-256 key "bench-aes" and an imported
 * one "bench-known" (for the raw AES baseline with the same material). */
static int make_token(const uint8_t known[32])
{
    static const char *const mods[] = {
        "/usr/lib/softhsm/libsofthsm2.so",
        "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
        "/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so",
        "/usr/lib64/pkcs11/libsofthsm2.so"};
    for (size_t i = 0; i < sizeof mods / sizeof mods[0] && !module[0]; i++) {
        if (access(mods[i], R_OK) == 0) {
            snprintf(module, sizeof module, "%s", mods[i]);
        }
    }
    if (!module[0] || sh("command -v softhsm2-util && command -v pkcs11-tool") != 0) {
        return -1;
    }
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/esdk-bench-hsm-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir)) {
        return -1;
    }
    char conf[600], key[600];
    snprintf(conf, sizeof conf, "%s/softhsm2.conf", dir);
    snprintf(key, sizeof key, "%s/known.bin", dir);
    FILE *f = fopen(conf, "w");
    if (!f) {
        return -1;
    }
    fprintf(f, "directories.tokendir = %s\nobjectstore.backend = file\nlog.level = ERROR\n", dir);
    fclose(f);
    f = fopen(key, "wb");
    if (!f || fwrite(known, 1, 32, f) != 32) {
        return -1;
    }
    fclose(f);
    setenv("SOFTHSM2_CONF", conf, 1);
    if (sh("softhsm2-util --init-token --free --label bench --so-pin 87654321 --pin %s", PIN) ||
        sh("pkcs11-tool --module %s --token-label bench --login --pin %s --keygen --key-type "
           "AES:32 --label bench-aes --usage-wrap --usage-decrypt --sensitive --private",
           module,
           PIN) ||
        sh("pkcs11-tool --module %s --token-label bench --login --pin %s --write-object %s "
           "--type secrkey --key-type AES:32 --label bench-known --usage-wrap --usage-decrypt "
           "--sensitive --private",
           module,
           PIN,
           key)) {
        return -1;
    }
    unlink(key);
    return 0;
}

static esdk_keyring *hsm_keyring(const char *label)
{
    esdk_pkcs11_config *c = NULL;
    esdk_keyring *kr = NULL;
    int rc = esdk_pkcs11_config_new(&c);
    if (!rc) {
        rc = esdk_pkcs11_config_set_module(c, module);
    }
    if (!rc) {
        rc = esdk_pkcs11_config_set_token_label(c, "bench");
    }
    if (!rc) {
        rc = esdk_pkcs11_config_set_key_label(c, label);
    }
    if (!rc) {
        rc = esdk_pkcs11_config_set_pin(c, (const uint8_t *)PIN, strlen(PIN));
    }
    if (!rc) {
        rc = esdk_pkcs11_config_set_key_namespace(c, "bench");
    }
    if (!rc) {
        rc = esdk_keyring_pkcs11_new(c, &kr);
    }
    esdk_pkcs11_config_release(c);
    if (rc) {
        die("PKCS#11 keyring", rc);
    }
    return kr;
}

/* ---- wraps and unwraps ---- */

struct wrap_job {
    esdk_keyring *kr;
    double until;
    long count;
    int rc;
};

static void *wrap_loop(void *arg)
{
    struct wrap_job *j = arg;
    while (now() < j->until) {
        for (int i = 0; i < 16; i++) {
            esdk_enc_materials *m;
            j->rc = esdk_enc_materials_new(SUITE, NULL, NULL, 0, &m);
            if (!j->rc) {
                j->rc = esdk_keyring_on_encrypt(j->kr, m);
            }
            esdk_enc_materials_release(m);
            if (j->rc) {
                return NULL;
            }
            j->count++;
        }
    }
    return NULL;
}

static double wraps_per_s(esdk_keyring *kr, int threads)
{
    pthread_t t[THREADS];
    struct wrap_job j[THREADS];
    double start = now();
    for (int i = 0; i < threads; i++) {
        j[i] = (struct wrap_job){kr, start + seconds, 0, 0};
        if (pthread_create(&t[i], NULL, wrap_loop, &j[i]) != 0) {
            exit(1);
        }
    }
    long total = 0;
    for (int i = 0; i < threads; i++) {
        pthread_join(t[i], NULL);
        if (j[i].rc) {
            die("wrap", j[i].rc);
        }
        total += j[i].count;
    }
    return (double)total / (now() - start);
}

static double unwraps_per_s(esdk_keyring *kr)
{
    esdk_enc_materials *em;
    int rc = esdk_enc_materials_new(SUITE, NULL, NULL, 0, &em);
    if (rc || (rc = esdk_keyring_on_encrypt(kr, em))) {
        die("wrap", rc);
    }
    const esdk_edk_list *edks = esdk_enc_materials_edks(em);
    long count = 0;
    double start = now(), t;
    do {
        for (int i = 0; i < 16; i++) {
            esdk_dec_materials *dm;
            rc = esdk_dec_materials_new(SUITE, NULL, NULL, 0, &dm);
            if (!rc) {
                rc = esdk_keyring_on_decrypt(kr, dm, edks);
            }
            esdk_dec_materials_release(dm);
            if (rc) {
                die("unwrap", rc);
            }
            count++;
        }
    } while ((t = now()) < start + seconds);
    esdk_enc_materials_release(em);
    return (double)count / (t - start);
}

/* ---- 1 KiB messages ---- */

static double messages_per_s(esdk_options *opts, esdk_cmm *cmm, esdk_keyring *kr, bool decrypt)
{
    uint8_t pt[MSG_LEN];
    memset(pt, 0x5a, sizeof pt);
    esdk_buf msg = ESDK_BUF_INIT;
    int rc = esdk_encrypt(opts, cmm, cmm ? NULL : kr, NULL, pt, sizeof pt, &msg);
    if (rc) {
        die("encrypt", rc);
    }
    long count = 0;
    double start = now(), t;
    do {
        for (int i = 0; i < 8; i++) {
            esdk_buf out = ESDK_BUF_INIT;
            rc = decrypt
                     ? esdk_decrypt(opts, cmm, cmm ? NULL : kr, NULL, msg.data, msg.len, &out, NULL)
                     : esdk_encrypt(opts, cmm, cmm ? NULL : kr, NULL, pt, sizeof pt, &out);
            esdk_buf_release(&out);
            if (rc) {
                die(decrypt ? "decrypt" : "encrypt", rc);
            }
            count++;
        }
    } while ((t = now()) < start + seconds);
    esdk_buf_release(&msg);
    return (double)count / (t - start);
}

static void line(const char *what, double v, const char *unit)
{
    printf("  %-52s %12.0f %s\n", what, v, unit);
}

int main(int argc, char **argv)
{
    if (argc > 1) {
        seconds = atof(argv[1]);
        if (seconds <= 0) {
            seconds = 1.0;
        }
    }
    uint8_t known[32];
    for (int i = 0; i < 32; i++) {
        known[i] = (uint8_t)(i * 7 + 1);
    }
    if (make_token(known) != 0) {
        printf("bench_hsm: skipped: SoftHSM2 (softhsm2) and pkcs11-tool (opensc) are needed\n");
        return 0;
    }
    esdk_keyring *hsm = hsm_keyring("bench-aes");
    esdk_keyring *raw = NULL;
    int rc = esdk_keyring_raw_aes_new("bench", "bench-known", known, sizeof known, &raw);
    if (rc) {
        die("raw AES keyring", rc);
    }
    esdk_options *opts = NULL;
    if ((rc = esdk_options_new(&opts)) || (rc = esdk_options_set_suite(opts, SUITE))) {
        die("options", rc);
    }

    printf(
        "bench_hsm: SoftHSM2 via PKCS#11 (%s), %.1f s per figure, suite 0x%04x, %ld cores\n",
        module,
        seconds,
        SUITE,
        sysconf(_SC_NPROCESSORS_ONLN));

    double raw_wrap = wraps_per_s(raw, 1);
    double hsm_wrap = wraps_per_s(hsm, 1);
    double hsm_wrap_mt = wraps_per_s(hsm, THREADS);
    double raw_unwrap = unwraps_per_s(raw);
    double hsm_unwrap = unwraps_per_s(hsm);
    printf("data keys (AES-256-GCM wrap of a 32-byte key, EC = {}):\n");
    line("raw AES keyring wraps/s (baseline, software)", raw_wrap, "/s");
    line("HSM wraps/s (1 thread)", hsm_wrap, "/s");
    line("HSM wraps/s (4 threads, one keyring)", hsm_wrap_mt, "/s");
    line("raw AES keyring unwraps/s (baseline)", raw_unwrap, "/s");
    line("HSM unwraps/s (1 thread)", hsm_unwrap, "/s");
    printf(
        "  HSM wrap costs %.1f us; %.1fx the software wrap time\n",
        1e6 / hsm_wrap,
        raw_wrap / hsm_wrap);

    double enc = messages_per_s(opts, NULL, hsm, false);
    double dec = messages_per_s(opts, NULL, hsm, true);
    double enc_cached = 0, dec_cached = 0;
    esdk_cache *cache = NULL;
    esdk_cmm *cmm = NULL;
    if ((rc = esdk_cache_local_new(100, &cache)) ||
        (rc = esdk_cmm_caching_new(NULL, hsm, cache, 60 * 1000, &cmm))) {
        die("caching CMM", rc);
    }
    enc_cached = messages_per_s(opts, cmm, NULL, false);
    dec_cached = messages_per_s(opts, cmm, NULL, true);
    printf("1 KiB messages through the HSM keyring:\n");
    line("encrypt msgs/s, no cache (one HSM wrap each)", enc, "/s");
    line("encrypt msgs/s, caching CMM", enc_cached, "/s");
    line("decrypt msgs/s, no cache (one HSM unwrap each)", dec, "/s");
    line("decrypt msgs/s, caching CMM", dec_cached, "/s");
    printf(
        "  caching CMM speed-up: encrypt %.1fx, decrypt %.1fx\n",
        enc_cached / enc,
        dec_cached / dec);

    printf("BENCH hsm.raw_wrap_per_s=%.0f\n", raw_wrap);
    printf("BENCH hsm.wrap_per_s=%.0f\n", hsm_wrap);
    printf("BENCH hsm.wrap_per_s_4threads=%.0f\n", hsm_wrap_mt);
    printf("BENCH hsm.raw_unwrap_per_s=%.0f\n", raw_unwrap);
    printf("BENCH hsm.unwrap_per_s=%.0f\n", hsm_unwrap);
    printf("BENCH hsm.wrap_vs_raw_ratio=%.2f\n", hsm_wrap / raw_wrap);
    printf("BENCH hsm.msg1k_encrypt_per_s=%.0f\n", enc);
    printf("BENCH hsm.msg1k_encrypt_cached_per_s=%.0f\n", enc_cached);
    printf("BENCH hsm.msg1k_decrypt_per_s=%.0f\n", dec);
    printf("BENCH hsm.msg1k_decrypt_cached_per_s=%.0f\n", dec_cached);
    printf("BENCH hsm.cache_speedup_encrypt=%.2f\n", enc_cached / enc);
    printf("BENCH hsm.cache_speedup_decrypt=%.2f\n", dec_cached / dec);

    esdk_cmm_release(cmm);
    esdk_cache_release(cache);
    esdk_options_release(opts);
    esdk_keyring_release(raw);
    esdk_keyring_release(hsm);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : 1;
}
