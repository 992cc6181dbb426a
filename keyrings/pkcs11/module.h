/* PKCS#11 modules: dlopen + C_GetFunctionList + C_Initialize once per module per process,
 * shared and reference counted; C_Finalize when the last user releases it. */
#ifndef ESDK_KEYRINGS_PKCS11_MODULE_H
#define ESDK_KEYRINGS_PKCS11_MODULE_H

#include <aws-esdk-c/keyrings/pkcs11.h>

#include "keyrings/pkcs11/p11.h"

typedef struct esdk_p11_module esdk_p11_module;

/* Load (or share) the module at path. ESDK_ERR_UNAVAILABLE with dlerror or the CKR name. */
int esdk_p11_module_acquire(const char *path, esdk_p11_module **out);
/* Share a module given by its C_GetFunctionList (not loaded, never unloaded). */
int esdk_p11_module_acquire_entry(esdk_pkcs11_get_function_list_fn entry, esdk_p11_module **out);
/* Drop a reference; the last one finalizes and unloads. NULL is ignored. */
void esdk_p11_module_release(esdk_p11_module *m);
CK_FUNCTION_LIST_PTR esdk_p11_module_functions(const esdk_p11_module *m);
/* The path, or "<entry>" for an entry module; for error texts. */
const char *esdk_p11_module_name(const esdk_p11_module *m);

#endif
