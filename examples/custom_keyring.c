/* An application keyring written through the public vtable: an audit keyring.
 *
 * It wraps another keyring (here a raw AES keyring; in production an HSM or KMS keyring),
 * hands every call on to it, and writes one audit record per call: when, what (wrap or
 * unwrap), which wrapping key, for which tenant, and the outcome. It also enforces one rule of
 * the application: nothing is encrypted without a "tenant" in the encryption context.
 *
 * It shows what an application keyring must do:
 *  - on_encrypt / on_decrypt follow the same contract as the built-in keyrings (here by
 *    calling the inner keyring through esdk_keyring_on_encrypt / esdk_keyring_on_decrypt,
 *    which check that contract);
 *  - failures are reported with esdk_set_error(), so they read like the library's own;
 *  - the state is shared by every thread that uses the keyring: the log is locked;
 *  - destroy releases what the state holds (the inner keyring's reference).
 * Audit records carry names and outcomes only: never key bytes or plaintext.
 *
 *   custom_keyring [AUDIT_LOG]     (default: the records go to standard output)
 *
 * Exits 0 when every step behaved as expected. */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <aws-esdk-c/esdk.h>

/* ---- the audit keyring ---- */

typedef struct audit_keyring {
    esdk_keyring *inner;  /* one reference, released in destroy */
    char key_label[128];  /* how the records name the wrapping key */
    FILE *log;            /* where the records go (not owned) */
    pthread_mutex_t lock; /* one record at a time, whichever thread writes it */
    unsigned long records;
} audit_keyring;

/* The value of "tenant" in a context, as a printable string ("-" when absent). */
static void tenant_of(const esdk_enc_ctx *ctx, char *out, size_t cap)
{
    const uint8_t *v;
    size_t len;
    if (esdk_enc_ctx_get(ctx, (const uint8_t *)"tenant", 6, &v, &len) != 0) {
        snprintf(out, cap, "-");
        return;
    }
    size_t n = len < cap - 1 ? len : cap - 1;
    for (size_t i = 0; i < n; i++) {
        out[i] = (v[i] >= 0x20 && v[i] < 0x7f) ? (char)v[i] : '?';
    }
    out[n] = '\0';
}

static void audit(audit_keyring *a, const char *op, const char *tenant, size_t edks, int rc)
{
    char when[32];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
    pthread_mutex_lock(&a->lock);
    a->records++;
    fprintf(
        a->log,
        "%s op=%s key=%s tenant=%s edks=%zu result=%s%s%s\n",
        when,
        op,
        a->key_label,
        tenant,
        edks,
        rc ? esdk_error_name(rc) : "ok",
        rc ? " detail=" : "",
        rc ? esdk_last_error_detail() : "");
    fflush(a->log);
    pthread_mutex_unlock(&a->lock);
}

static int audit_encrypt(void *state, esdk_enc_materials *m)
{
    audit_keyring *a = state;
    char tenant[64];
    tenant_of(esdk_enc_materials_context(m), tenant, sizeof tenant);
    int rc;
    if (strcmp(tenant, "-") == 0) {
        /* the application's rule, reported like any library failure */
        rc = esdk_set_error(
            ESDK_ERR_CONTEXT_MISMATCH, "audit keyring: no 'tenant' in the encryption context");
    } else {
        rc = esdk_keyring_on_encrypt(a->inner, m);
    }
    audit(a, "wrap", tenant, esdk_edk_list_count(esdk_enc_materials_edks(m)), rc);
    return rc;
}

static int audit_decrypt(void *state, esdk_dec_materials *m, const esdk_edk_list *edks)
{
    audit_keyring *a = state;
    char tenant[64];
    tenant_of(esdk_dec_materials_context(m), tenant, sizeof tenant);
    int rc = esdk_keyring_on_decrypt(a->inner, m, edks);
    audit(a, "unwrap", tenant, esdk_edk_list_count(edks), rc);
    return rc;
}

static void audit_destroy(void *state)
{
    audit_keyring *a = state;
    esdk_keyring_release(a->inner);
    pthread_mutex_destroy(&a->lock);
    free(a);
}

static const esdk_keyring_vtable audit_vtable = {
    .size = sizeof(esdk_keyring_vtable),
    .name = "audit",
    .on_encrypt = audit_encrypt,
    .on_decrypt = audit_decrypt,
    .destroy = audit_destroy,
};

/* An audit keyring around inner (retained: the caller keeps its own reference). */
static int audit_keyring_new(esdk_keyring *inner, const char *label, FILE *log, esdk_keyring **out)
{
    audit_keyring *a = calloc(1, sizeof *a);
    if (!a) {
        return esdk_set_error(ESDK_ERR_NO_MEMORY, "audit keyring: out of memory");
    }
    a->inner = esdk_keyring_retain(inner);
    snprintf(a->key_label, sizeof a->key_label, "%s", label);
    a->log = log;
    pthread_mutex_init(&a->lock, NULL);
    return esdk_keyring_new(&audit_vtable, a, out); /* on failure it calls audit_destroy */
}

/* ---- the demonstration ---- */

static int failures;

static void check(int ok, const char *what)
{
    printf("%-64s %s\n", what, ok ? "ok" : "UNEXPECTED");
    if (!ok) {
        printf("    last error: %s\n", esdk_last_error_detail());
        failures++;
    }
}

static esdk_enc_ctx *context(const char *tenant)
{
    esdk_enc_ctx *ctx = NULL;
    if (esdk_enc_ctx_new(&ctx) != 0 || esdk_enc_ctx_set_str(ctx, "purpose", "invoice") != 0 ||
        (tenant && esdk_enc_ctx_set_str(ctx, "tenant", tenant) != 0)) {
        fprintf(stderr, "cannot build a context\n");
        exit(1);
    }
    return ctx;
}

int main(int argc, char **argv)
{
    FILE *log = stdout;
    if (argc > 2) {
        fprintf(stderr, "usage: %s [AUDIT_LOG]\n", argv[0]);
        return 2;
    }
    if (argc == 2 && !(log = fopen(argv[1], "a"))) {
        perror(argv[1]);
        return 1;
    }

    /* The wrapping key: a real application loads it from its key store, or uses an HSM or
     * KMS keyring as the inner keyring instead. */
    uint8_t key[32];
    for (size_t i = 0; i < sizeof key; i++) {
        key[i] = (uint8_t)(0xA5 ^ (i * 29));
    }
    esdk_keyring *aes = NULL, *audited = NULL;
    int rc = esdk_keyring_raw_aes_new("billing", "invoice-key-2026", key, sizeof key, &aes);
    memset(key, 0, sizeof key);
    if (rc || (rc = audit_keyring_new(aes, "billing/invoice-key-2026", log, &audited)) != 0) {
        fprintf(stderr, "keyring: %s: %s\n", esdk_error_name(rc), esdk_last_error_detail());
        return 1;
    }
    esdk_keyring_release(aes); /* the audit keyring holds its own reference */

    static const char invoice[] = "invoice 2026-0042: 12 hours of consulting";
    esdk_enc_ctx *acme = context("acme"), *none = context(NULL);
    esdk_buf message = ESDK_BUF_INIT, plain = ESDK_BUF_INIT, refused = ESDK_BUF_INIT;

    rc = esdk_encrypt(
        NULL, NULL, audited, acme, (const uint8_t *)invoice, strlen(invoice), &message);
    check(rc == 0, "encrypt for tenant acme (audited)");

    rc = esdk_encrypt(
        NULL, NULL, audited, none, (const uint8_t *)invoice, strlen(invoice), &refused);
    check(
        rc == ESDK_ERR_CONTEXT_MISMATCH && refused.len == 0, "encrypt without a tenant is refused");

    rc = esdk_decrypt(NULL, NULL, audited, NULL, message.data, message.len, &plain, NULL);
    check(
        rc == 0 && plain.len == strlen(invoice) && memcmp(plain.data, invoice, plain.len) == 0,
        "decrypt (audited)");

    /* A keyring holding another key: the inner keyring cannot unwrap, and the audit record
     * says so. */
    uint8_t other[32] = {1};
    esdk_keyring *wrong = NULL, *wrong_audited = NULL;
    if (esdk_keyring_raw_aes_new("billing", "invoice-key-2026", other, sizeof other, &wrong) != 0 ||
        audit_keyring_new(wrong, "billing/invoice-key-2026 (stale copy)", log, &wrong_audited) !=
            0) {
        return 1;
    }
    esdk_buf_release(&plain);
    rc = esdk_decrypt(NULL, NULL, wrong_audited, NULL, message.data, message.len, &plain, NULL);
    check(rc == ESDK_ERR_CANNOT_DECRYPT && plain.len == 0, "decrypt with the wrong key fails");

    audit_keyring *state = esdk_keyring_state(audited);
    audit_keyring *wrong_state = esdk_keyring_state(wrong_audited);
    check(state->records + wrong_state->records == 4, "four audit records written");

    esdk_keyring_release(wrong_audited);
    esdk_keyring_release(wrong);
    esdk_keyring_release(audited);
    esdk_enc_ctx_release(acme);
    esdk_enc_ctx_release(none);
    esdk_buf_release(&message);
    esdk_buf_release(&plain);
    esdk_buf_release(&refused);
    if (log != stdout) {
        fclose(log);
    }
    return failures ? 1 : 0;
}
