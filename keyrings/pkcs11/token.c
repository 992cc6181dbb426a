/* Token and key look-up. Token labels are 32 bytes padded with spaces (CK_TOKEN_INFO). */
#include "keyrings/pkcs11/token.h"

#include <stdio.h>
#include <string.h>

#include <aws-esdk-c/error.h>

#include "common/mem.h"
#include "common/status.h"
#include "keyrings/pkcs11/errors.h"

/* last: poisons calls this library must not make */
#include "banned.h"

#define LABEL_LEN 32
#define MAX_SLOTS 4096

/* The label without its padding, as a C string (out has LABEL_LEN + 1 bytes). */
static void unpad(const unsigned char label[LABEL_LEN], char *out)
{
    size_t n = LABEL_LEN;
    while (n > 0 && (label[n - 1] == ' ' || label[n - 1] == '\0')) {
        n--;
    }
    memcpy(out, label, n);
    out[n] = '\0';
}

static int slot_list(CK_FUNCTION_LIST_PTR fn, const char *mod, CK_SLOT_ID **slots, CK_ULONG *n)
{
    *slots = NULL;
    for (int attempt = 0; attempt < 4; attempt++) {
        CK_ULONG count = 0;
        CK_RV rv = fn->C_GetSlotList(CK_TRUE, NULL, &count);
        if (rv != CKR_OK) {
            return esdk_p11_fail(rv, "C_GetSlotList of PKCS#11 module %s failed", mod);
        }
        if (count > MAX_SLOTS) {
            count = MAX_SLOTS;
        }
        CK_SLOT_ID *list = esdk_mem_acquire((count ? count : 1) * sizeof *list);
        if (!list) {
            return esdk_fail(ESDK_ERR_NO_MEMORY, "cannot allocate a slot list");
        }
        CK_ULONG got = count;
        rv = fn->C_GetSlotList(CK_TRUE, list, &got);
        if (rv == CKR_BUFFER_TOO_SMALL) {
            esdk_mem_release(list, (count ? count : 1) * sizeof *list);
            continue; /* a token appeared in between */
        }
        if (rv != CKR_OK) {
            esdk_mem_release(list, (count ? count : 1) * sizeof *list);
            return esdk_p11_fail(rv, "C_GetSlotList of PKCS#11 module %s failed", mod);
        }
        *slots = list;
        *n = got;
        return 0;
    }
    return esdk_fail(
        ESDK_ERR_UNAVAILABLE, "the slot list of PKCS#11 module %s keeps changing", mod);
}

int esdk_p11_find_slot(const esdk_p11_module *m, const esdk_pkcs11_config *cfg, CK_SLOT_ID *slot)
{
    CK_FUNCTION_LIST_PTR fn = esdk_p11_module_functions(m);
    const char *mod = esdk_p11_module_name(m);
    CK_SLOT_ID *slots;
    CK_ULONG n = 0;
    char present[200] = "";
    size_t used = 0;
    int rc = ESDK_ERR_UNAVAILABLE;
    ESDK_TRY(slot_list(fn, mod, &slots, &n));
    for (CK_ULONG i = 0; i < n; i++) {
        CK_TOKEN_INFO info;
        char label[LABEL_LEN + 1];
        if (fn->C_GetTokenInfo(slots[i], &info) != CKR_OK ||
            !(info.flags & CKF_TOKEN_INITIALIZED)) {
            continue;
        }
        unpad(info.label, label);
        if (cfg->token_label ? strcmp(label, cfg->token_label) == 0 : slots[i] == cfg->slot_id) {
            *slot = slots[i];
            rc = 0;
            break;
        }
        if (used < sizeof present) {
            int w =
                snprintf(present + used, sizeof present - used, "%s'%s'", used ? ", " : "", label);
            used += w > 0 ? (size_t)w : 0;
        }
    }
    esdk_mem_release(slots, (n ? n : 1) * sizeof *slots);
    if (rc == 0) {
        return 0;
    }
    if (cfg->token_label) {
        return esdk_fail(
            ESDK_ERR_UNAVAILABLE,
            "no token labelled '%s' in PKCS#11 module %s (tokens present: %s)",
            cfg->token_label,
            mod,
            used ? present : "none");
    }
    return esdk_fail(
        ESDK_ERR_UNAVAILABLE,
        "no initialized token in slot %lu of PKCS#11 module %s (tokens present: %s)",
        cfg->slot_id,
        mod,
        used ? present : "none");
}

CK_RV esdk_p11_find_key(
    CK_FUNCTION_LIST_PTR fn,
    CK_SESSION_HANDLE s,
    const esdk_pkcs11_config *cfg,
    CK_OBJECT_CLASS cls,
    CK_KEY_TYPE kt,
    CK_OBJECT_HANDLE *handle,
    size_t *count)
{
    CK_ATTRIBUTE tmpl[4];
    CK_ULONG t = 0;
    tmpl[t++] = (CK_ATTRIBUTE){CKA_CLASS, &cls, sizeof cls};
    tmpl[t++] = (CK_ATTRIBUTE){CKA_KEY_TYPE, &kt, sizeof kt};
    if (cfg->key_label) {
        tmpl[t++] = (CK_ATTRIBUTE){CKA_LABEL, cfg->key_label, strlen(cfg->key_label)};
    }
    if (cfg->key_id) {
        tmpl[t++] = (CK_ATTRIBUTE){CKA_ID, cfg->key_id, cfg->key_id_len};
    }
    CK_OBJECT_HANDLE found[2];
    CK_ULONG n = 0;
    *count = 0;
    CK_RV rv = fn->C_FindObjectsInit(s, tmpl, t);
    if (rv != CKR_OK) {
        return rv;
    }
    rv = fn->C_FindObjects(s, found, 2, &n);
    CK_RV rv2 = fn->C_FindObjectsFinal(s);
    if (rv == CKR_OK) {
        rv = rv2;
    }
    if (rv == CKR_OK) {
        *count = n;
        if (n > 0) {
            *handle = found[0];
        }
    }
    return rv;
}
