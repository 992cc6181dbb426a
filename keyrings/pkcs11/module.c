/* PKCS#11 modules, shared per process: one dlopen and one C_Initialize per module, reference
 * counted; the last release calls C_Finalize. A module that someone else in the process had
 * already initialized (CKR_CRYPTOKI_ALREADY_INITIALIZED) is used but never finalized here. */
#include "keyrings/pkcs11/module.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <aws-esdk-c/error.h>

#include "common/mem.h"
#include "common/status.h"
#include "keyrings/pkcs11/errors.h"

/* last: poisons calls this library must not make */
#include "banned.h"

struct esdk_p11_module {
    struct esdk_p11_module *next;
    char *path;                             /* NULL for an entry module */
    esdk_pkcs11_get_function_list_fn entry; /* the key for an entry module */
    void *dl;
    CK_FUNCTION_LIST_PTR fn;
    size_t refs;
    bool we_initialized;
};

static pthread_mutex_t registry_lock = PTHREAD_MUTEX_INITIALIZER;
static struct esdk_p11_module *registry;

static struct esdk_p11_module *find_locked(const char *path, esdk_pkcs11_get_function_list_fn entry)
{
    for (struct esdk_p11_module *m = registry; m; m = m->next) {
        if (path ? (m->path && strcmp(m->path, path) == 0) : (!m->path && m->entry == entry)) {
            return m;
        }
    }
    return NULL;
}

/* SoftHSM2 fails C_Initialize with a bare CKR_GENERAL_ERROR when its configuration file is
 * missing: say so. */
static const char *init_hint(void)
{
    const char *conf = getenv("SOFTHSM2_CONF");
    struct stat st;
    if (conf && stat(conf, &st) != 0) {
        return " (SOFTHSM2_CONF names a missing file: run scripts/hsm-init.sh or aws-esdk hsm "
               "init)";
    }
    return "";
}

static void unload(struct esdk_p11_module *m)
{
    if (m->dl) {
        dlclose(m->dl);
    }
    esdk_str_release(m->path);
    esdk_mem_release(m, sizeof *m);
}

/* Get the function list and initialize; m->dl or m->entry is set. */
static int start(struct esdk_p11_module *m, const char *name)
{
    CK_RV rv;
    if (m->dl) {
        /* POSIX allows the object-to-function pointer conversion dlsym needs. */
        CK_C_GetFunctionList get;
        void *sym = dlsym(m->dl, "C_GetFunctionList");
        if (!sym) {
            return esdk_fail(
                ESDK_ERR_UNAVAILABLE,
                "PKCS#11 module %s has no C_GetFunctionList: not a PKCS#11 module",
                name);
        }
        memcpy(&get, &sym, sizeof get);
        rv = get(&m->fn);
    } else {
        void *list = NULL;
        rv = m->entry(&list);
        m->fn = list;
    }
    if (rv != CKR_OK || !m->fn || !m->fn->C_Initialize) {
        return esdk_p11_fail(
            rv != CKR_OK ? rv : CKR_GENERAL_ERROR,
            "C_GetFunctionList of PKCS#11 module %s failed",
            name);
    }
    CK_C_INITIALIZE_ARGS args = {NULL, NULL, NULL, NULL, CKF_OS_LOCKING_OK, NULL};
    rv = m->fn->C_Initialize(&args);
    if (rv == CKR_CRYPTOKI_ALREADY_INITIALIZED) {
        m->we_initialized = false;
        return 0;
    }
    if (rv != CKR_OK) {
        /* Whatever the CKR, a module that will not start is an unavailable backend. */
        const char *rv_name = esdk_p11_rv_name(rv);
        return esdk_fail(
            rv == CKR_HOST_MEMORY ? ESDK_ERR_NO_MEMORY : ESDK_ERR_UNAVAILABLE,
            "C_Initialize of PKCS#11 module %s failed: %s%s",
            name,
            rv_name ? rv_name : "unknown CKR",
            init_hint());
    }
    m->we_initialized = true;
    return 0;
}

static int acquire(const char *path, esdk_pkcs11_get_function_list_fn entry, esdk_p11_module **out)
{
    int rc = 0;
    *out = NULL;
    pthread_mutex_lock(&registry_lock);
    struct esdk_p11_module *m = find_locked(path, entry);
    if (m) {
        m->refs++;
        *out = m;
        goto cleanup;
    }
    m = esdk_mem_acquire(sizeof *m);
    if (!m || (path && !(m->path = esdk_str_copy(path)))) {
        esdk_mem_release(m, sizeof *m);
        rc = esdk_fail(ESDK_ERR_NO_MEMORY, "cannot allocate a PKCS#11 module");
        goto cleanup;
    }
    m->entry = entry;
    if (path) {
        /* RTLD_NODELETE: some modules do not survive being unmapped and mapped again. */
        m->dl = dlopen(path, RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE);
        if (!m->dl) {
            const char *why = dlerror();
            rc = esdk_fail(
                ESDK_ERR_UNAVAILABLE,
                "cannot load PKCS#11 module %s: %s",
                path,
                why ? why : "unknown dlopen error");
            unload(m);
            goto cleanup;
        }
    }
    rc = start(m, path ? path : "<entry>");
    if (rc != 0) {
        unload(m);
        goto cleanup;
    }
    m->refs = 1;
    m->next = registry;
    registry = m;
    *out = m;
cleanup:
    pthread_mutex_unlock(&registry_lock);
    return rc;
}

int esdk_p11_module_acquire(const char *path, esdk_p11_module **out)
{
    ESDK_ENSURE(path && out, ESDK_ERR_BAD_ARGUMENT);
    return acquire(path, NULL, out);
}

int esdk_p11_module_acquire_entry(esdk_pkcs11_get_function_list_fn entry, esdk_p11_module **out)
{
    ESDK_ENSURE(entry && out, ESDK_ERR_BAD_ARGUMENT);
    return acquire(NULL, entry, out);
}

void esdk_p11_module_release(esdk_p11_module *m)
{
    if (!m) {
        return;
    }
    pthread_mutex_lock(&registry_lock);
    if (--m->refs > 0) {
        pthread_mutex_unlock(&registry_lock);
        return;
    }
    for (struct esdk_p11_module **p = &registry; *p; p = &(*p)->next) {
        if (*p == m) {
            *p = m->next;
            break;
        }
    }
    /* Finalize under the lock, so that a concurrent acquire of the same module initializes
     * it again only after this finalize. */
    if (m->we_initialized) {
        (void)m->fn->C_Finalize(NULL);
    }
    unload(m);
    pthread_mutex_unlock(&registry_lock);
}

CK_FUNCTION_LIST_PTR esdk_p11_module_functions(const esdk_p11_module *m)
{
    return m->fn;
}

const char *esdk_p11_module_name(const esdk_p11_module *m)
{
    return m->path ? m->path : "<entry>";
}
