/* The multi-keyring (spec-facts 3.4): a generator and children behind one keyring, each
 * called through the public keyring API so that its contract checks apply. */
#include <stdio.h>
#include <string.h>

#include <aws-esdk-c/error.h>
#include <aws-esdk-c/keyrings/multi.h>

#include "common/mem.h"
#include "common/status.h"
#include "materials/materials.h"

/* last: poisons calls this library must not make */
#include "banned.h"

/* The thread's detail text is at most this long; a report longer than it would be cut. */
#define REPORT_LEN 512

struct multi {
    esdk_keyring *generator; /* may be NULL */
    esdk_keyring **children;
    size_t child_count;
};

/* "generator raw-aes" or "child 2 raw-rsa" (children count from 1). */
static void describe(const struct multi *mk, size_t index, char *out, size_t out_len)
{
    if (mk->generator && index == 0) {
        snprintf(out, out_len, "generator %s", esdk_keyring_name(mk->generator));
    } else {
        size_t child = index - (mk->generator ? 1 : 0);
        snprintf(out, out_len, "child %zu %s", child + 1, esdk_keyring_name(mk->children[child]));
    }
}

/* The keyrings in call order: the generator first. */
static esdk_keyring *keyring_at(const struct multi *mk, size_t index)
{
    if (mk->generator) {
        return index == 0 ? mk->generator : mk->children[index - 1];
    }
    return mk->children[index];
}

static size_t keyring_count(const struct multi *mk)
{
    return mk->child_count + (mk->generator ? 1 : 0);
}

/* Re-raise a keyring's failure with its name in front; the keyring's own detail is copied
 * first because it lives in the buffer that esdk_fail rewrites. */
static int wrap_failure(const struct multi *mk, size_t index, int rc)
{
    char who[96];
    char detail[REPORT_LEN];
    const char *said = esdk_last_error_detail();
    snprintf(
        detail, sizeof detail, "%s: %s", esdk_error_name(rc), said[0] ? said : esdk_strerror(rc));
    describe(mk, index, who, sizeof who);
    return esdk_fail(rc, "multi-keyring: %s failed: %s", who, detail);
}

static int on_encrypt(void *state, esdk_enc_materials *m)
{
    struct multi *mk = state;
    const uint8_t *key;
    size_t key_len;
    const bool had_key = esdk_enc_materials_data_key(m, &key, &key_len);
    const size_t edks_before = esdk_edk_list_count(esdk_enc_materials_edks(m));
    if (mk->generator && had_key) {
        return esdk_fail(
            ESDK_ERR_BAD_STATE,
            "multi-keyring: the materials already hold a data key, but the generator "
            "must make it");
    }
    if (!mk->generator && !had_key) {
        return esdk_fail(
            ESDK_ERR_BAD_STATE,
            "multi-keyring without a generator: the materials hold no data key");
    }
    for (size_t i = 0; i < keyring_count(mk); i++) {
        esdk_clear_error(); /* a keyring that sets no detail must not inherit a stale one */
        int rc = esdk_keyring_on_encrypt(keyring_at(mk, i), m);
        if (rc) {
            /* All or nothing: no message may carry only some of the configured keys. */
            esdk_enc_materials_rollback(m, edks_before, had_key);
            return wrap_failure(mk, i, rc);
        }
    }
    return 0;
}

/* Append "[who] CODE: detail" to the report, keeping it NUL-terminated and cut to size. */
static void report_add(char *report, size_t *used, const char *who, int rc, const char *detail)
{
    if (*used >= REPORT_LEN - 1) {
        return;
    }
    int n = snprintf(
        report + *used,
        REPORT_LEN - *used,
        "%s[%s] %s: %s",
        *used ? "; " : "",
        who,
        esdk_error_name(rc),
        detail[0] ? detail : esdk_strerror(rc));
    if (n > 0) {
        *used += (size_t)n < REPORT_LEN - *used ? (size_t)n : REPORT_LEN - 1 - *used;
    }
}

/* CANNOT_DECRYPT when some keyring answered and had no key; otherwise the code they all
 * gave (UNAVAILABLE everywhere stays UNAVAILABLE, so a caller can retry); mixed: KEYRING. */
static int combined_code(const int *codes, size_t n)
{
    bool all_same = true;
    for (size_t i = 0; i < n; i++) {
        if (codes[i] == ESDK_ERR_CANNOT_DECRYPT) {
            return ESDK_ERR_CANNOT_DECRYPT;
        }
        all_same = all_same && codes[i] == codes[0];
    }
    return all_same ? codes[0] : ESDK_ERR_KEYRING;
}

static int on_decrypt(void *state, esdk_dec_materials *m, const esdk_edk_list *edks)
{
    struct multi *mk = state;
    const size_t n = keyring_count(mk);
    const uint8_t *key;
    size_t key_len;
    if (esdk_dec_materials_data_key(m, &key, &key_len)) {
        return esdk_fail(
            ESDK_ERR_BAD_STATE, "multi-keyring: the materials already hold a data key");
    }
    int *codes = esdk_mem_acquire(n * sizeof *codes);
    char *report = esdk_mem_acquire(REPORT_LEN);
    size_t used = 0;
    int rc = 0;
    if (!codes || !report) {
        rc = esdk_fail(ESDK_ERR_NO_MEMORY, "multi-keyring: cannot allocate the error report");
        goto cleanup;
    }
    for (size_t i = 0; i < n; i++) {
        char who[96];
        esdk_clear_error();
        rc = esdk_keyring_on_decrypt(keyring_at(mk, i), m, edks);
        if (rc == 0) {
            goto cleanup;
        }
        codes[i] = rc;
        describe(mk, i, who, sizeof who);
        report_add(report, &used, who, rc, esdk_last_error_detail());
    }
    rc = esdk_fail(combined_code(codes, n), "multi-keyring: no keyring could decrypt: %s", report);
cleanup:
    esdk_mem_release(codes, n * sizeof *codes);
    esdk_mem_release(report, REPORT_LEN);
    return rc;
}

static void destroy(void *state)
{
    struct multi *mk = state;
    esdk_keyring_release(mk->generator);
    for (size_t i = 0; i < mk->child_count; i++) {
        esdk_keyring_release(mk->children[i]);
    }
    esdk_mem_release(mk->children, mk->child_count * sizeof *mk->children);
    esdk_mem_release(mk, sizeof *mk);
}

static const esdk_keyring_vtable multi_vt = {
    .size = sizeof(esdk_keyring_vtable),
    .name = "multi",
    .on_encrypt = on_encrypt,
    .on_decrypt = on_decrypt,
    .destroy = destroy,
};

int esdk_keyring_multi_new(
    esdk_keyring *generator, esdk_keyring *const *children, size_t child_count, esdk_keyring **out)
{
    ESDK_ENSURE(out != NULL && (children != NULL || child_count == 0), ESDK_ERR_BAD_ARGUMENT);
    if (!generator && child_count == 0) {
        return esdk_fail(
            ESDK_ERR_BAD_ARGUMENT,
            "a multi-keyring needs a generator or at least one child keyring");
    }
    for (size_t i = 0; i < child_count; i++) {
        if (!children[i]) {
            return esdk_fail(ESDK_ERR_BAD_ARGUMENT, "multi-keyring: child %zu is NULL", i + 1);
        }
    }
    struct multi *mk = esdk_mem_acquire(sizeof *mk);
    esdk_keyring **copy = child_count ? esdk_mem_acquire(child_count * sizeof *copy) : NULL;
    if (!mk || (child_count && !copy)) {
        esdk_mem_release(mk, sizeof *mk);
        esdk_mem_release(copy, child_count * sizeof *copy);
        return esdk_fail(ESDK_ERR_NO_MEMORY, "cannot allocate a multi-keyring");
    }
    mk->generator = esdk_keyring_retain(generator);
    for (size_t i = 0; i < child_count; i++) {
        copy[i] = esdk_keyring_retain(children[i]);
    }
    mk->children = copy;
    mk->child_count = child_count;
    return esdk_keyring_new(&multi_vt, mk, out);
}
