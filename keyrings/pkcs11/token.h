/* Finding a token (by label or slot id) and the key objects in it. */
#ifndef ESDK_KEYRINGS_PKCS11_TOKEN_H
#define ESDK_KEYRINGS_PKCS11_TOKEN_H

#include <stddef.h>

#include "keyrings/pkcs11/config.h"
#include "keyrings/pkcs11/module.h"
#include "keyrings/pkcs11/p11.h"

/* The slot of the configured token. ESDK_ERR_UNAVAILABLE "no token labelled ..." (with the
 * labels that are present) if there is none. */
int esdk_p11_find_slot(const esdk_p11_module *m, const esdk_pkcs11_config *cfg, CK_SLOT_ID *slot);

/* Objects of class cls and key type kt matching cfg's key label and/or id: *count gets 0, 1
 * or 2 (2 = several), *handle the first. Returns the CK_RV of the search. */
CK_RV esdk_p11_find_key(
    CK_FUNCTION_LIST_PTR fn,
    CK_SESSION_HANDLE s,
    const esdk_pkcs11_config *cfg,
    CK_OBJECT_CLASS cls,
    CK_KEY_TYPE kt,
    CK_OBJECT_HANDLE *handle,
    size_t *count);

#endif
