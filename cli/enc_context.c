/* The encryption context given with -c. */
#include "enc_context.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cli_context_build(const cli_kv_list *pairs, esdk_enc_ctx **out, cli_err *err)
{
    esdk_enc_ctx *ctx;
    int rc = esdk_enc_ctx_new(&ctx);
    if (rc) {
        return cli_err_lib(err, rc);
    }
    for (size_t i = 0; i < pairs->count; i++) {
        rc = esdk_enc_ctx_set_str(ctx, pairs->items[i].key, pairs->items[i].value);
        if (rc) {
            cli_err_set(err, rc, "-c %s=...: %s", pairs->items[i].key, esdk_last_error_detail());
            esdk_enc_ctx_release(ctx);
            return rc;
        }
    }
    *out = ctx;
    return 0;
}

static int append(const cli_kv ***list, size_t *count, const cli_kv *kv)
{
    const cli_kv **grown = realloc(*list, (*count + 1) * sizeof *grown);
    if (!grown) {
        return -1;
    }
    grown[(*count)++] = kv;
    *list = grown;
    return 0;
}

/* "key 'a' is missing; 'b' is not 'x'" (values are stored in clear: not secret). */
static void describe(const cli_ctx_mismatch *mm, const esdk_enc_ctx *have, cli_err *err)
{
    size_t used = 0, cap = sizeof err->detail;
    err->detail[0] = '\0';
    for (size_t i = 0; i < mm->missing_key_count && used < cap; i++) {
        used += (size_t)snprintf(
            err->detail + used,
            cap - used,
            "%skey '%s' is missing",
            used ? "; " : "",
            mm->missing_keys[i]->key);
    }
    for (size_t i = 0; i < mm->missing_pair_count && used < cap; i++) {
        const cli_kv *kv = mm->missing_pairs[i];
        const uint8_t *v;
        size_t vl;
        if (esdk_enc_ctx_get(have, (const uint8_t *)kv->key, strlen(kv->key), &v, &vl) != 0) {
            used += (size_t)snprintf(
                err->detail + used, cap - used, "%skey '%s' is missing", used ? "; " : "", kv->key);
        } else {
            used += (size_t)snprintf(
                err->detail + used,
                cap - used,
                "%s'%s' is '%.*s', not '%s'",
                used ? "; " : "",
                kv->key,
                vl > 64 ? 64 : (int)vl,
                (const char *)v,
                kv->value);
        }
    }
    err->rc = ESDK_ERR_CONTEXT_MISMATCH;
}

int cli_context_check(
    const cli_kv_list *want, const esdk_enc_ctx *have, cli_ctx_mismatch *mm, cli_err *err)
{
    memset(mm, 0, sizeof *mm);
    for (size_t i = 0; i < want->count; i++) {
        const cli_kv *kv = &want->items[i];
        const uint8_t *v;
        size_t vl;
        int absent = !have || esdk_enc_ctx_get(
                                  have, (const uint8_t *)kv->key, strlen(kv->key), &v, &vl) != 0;
        int rc = 0;
        if (!kv->value && absent) {
            rc = append(&mm->missing_keys, &mm->missing_key_count, kv);
        } else if (
            kv->value && (absent || vl != strlen(kv->value) || memcmp(v, kv->value, vl) != 0)) {
            rc = append(&mm->missing_pairs, &mm->missing_pair_count, kv);
        }
        if (rc) {
            cli_ctx_mismatch_free(mm);
            return cli_err_set(err, ESDK_ERR_NO_MEMORY, "out of memory");
        }
    }
    if (mm->missing_key_count || mm->missing_pair_count) {
        describe(mm, have, err);
        return ESDK_ERR_CONTEXT_MISMATCH;
    }
    return 0;
}

void cli_ctx_mismatch_free(cli_ctx_mismatch *mm)
{
    free(mm->missing_keys);
    free(mm->missing_pairs);
    memset(mm, 0, sizeof *mm);
}
