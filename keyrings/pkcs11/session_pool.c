/* Session pool: idle sessions are reused; at most max are open, further threads wait. */
#include "keyrings/pkcs11/session_pool.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include <aws-esdk-c/error.h>

#include "common/mem.h"
#include "common/status.h"
#include "keyrings/pkcs11/errors.h"
#include "keyrings/pkcs11/token.h"

/* last: poisons calls this library must not make */
#include "banned.h"

struct esdk_p11_pool {
    esdk_p11_module *module;
    CK_FUNCTION_LIST_PTR fn;
    const esdk_pkcs11_config *cfg;
    esdk_p11_pin_guard *guard;
    pthread_mutex_t lock; /* everything below */
    pthread_cond_t freed;
    pthread_mutex_t login_lock; /* one login at a time */
    CK_SLOT_ID slot;
    CK_SESSION_HANDLE *idle;
    size_t idle_count;
    size_t open_count; /* idle + in use */
    size_t max;
    unsigned generation;
};

bool esdk_p11_rv_session_lost(CK_RV rv)
{
    return rv == CKR_SESSION_HANDLE_INVALID || rv == CKR_SESSION_CLOSED ||
           rv == CKR_DEVICE_REMOVED || rv == CKR_TOKEN_NOT_PRESENT;
}

static bool logged_in(CK_FUNCTION_LIST_PTR fn, CK_SESSION_HANDLE s)
{
    CK_SESSION_INFO info;
    return fn->C_GetSessionInfo(s, &info) == CKR_OK &&
           (info.state == CKS_RO_USER_FUNCTIONS || info.state == CKS_RW_USER_FUNCTIONS);
}

static int login_locked(esdk_p11_pool *p, CK_SESSION_HANDLE s)
{
    uint8_t pin[ESDK_PKCS11_PIN_MAX];
    size_t len = 0;
    char token[80], source[300];
    unsigned long old_rv;
    esdk_p11_config_describe_token(p->cfg, token, sizeof token);
    esdk_p11_pin_describe(&p->cfg->pin, source, sizeof source);
    int rc = esdk_p11_pin_read(&p->cfg->pin, pin, &len);
    if (rc != 0) {
        esdk_wipe(pin, sizeof pin);
        return rc;
    }
    if (esdk_p11_pin_guard_refused(p->guard, pin, len, &old_rv)) {
        esdk_wipe(pin, sizeof pin);
        const char *name = esdk_p11_rv_name(old_rv);
        return esdk_fail(
            ESDK_ERR_ACCESS_DENIED,
            "login to %s failed: %s earlier with %s; not tried again with the same "
            "PIN (a token locks its PIN after a few wrong tries)",
            token,
            name ? name : "refused",
            source);
    }
    CK_RV rv = p->fn->C_Login(s, CKU_USER, pin, (CK_ULONG)len);
    if (rv == CKR_OK || rv == CKR_USER_ALREADY_LOGGED_IN) {
        esdk_p11_pin_guard_note(p->guard, pin, len, 0);
        rc = 0;
    } else {
        if (rv == CKR_PIN_INCORRECT || rv == CKR_PIN_INVALID || rv == CKR_PIN_LEN_RANGE ||
            rv == CKR_PIN_LOCKED || rv == CKR_PIN_EXPIRED) {
            esdk_p11_pin_guard_note(p->guard, pin, len, rv);
        }
        rc = esdk_p11_fail(rv, "login to %s with %s failed", token, source);
    }
    esdk_wipe(pin, sizeof pin);
    return rc;
}

/* Log in unless no PIN is configured or the token already has a user logged in. */
static int ensure_login(esdk_p11_pool *p, CK_SESSION_HANDLE s, bool force)
{
    if (p->cfg->pin.kind == ESDK_P11_PIN_NONE) {
        return 0;
    }
    pthread_mutex_lock(&p->login_lock);
    int rc = (!force && logged_in(p->fn, s)) ? 0 : login_locked(p, s);
    pthread_mutex_unlock(&p->login_lock);
    return rc;
}

static int open_session(esdk_p11_pool *p, CK_SESSION_HANDLE *out)
{
    char token[80];
    CK_SLOT_ID slot;
    pthread_mutex_lock(&p->lock);
    slot = p->slot;
    pthread_mutex_unlock(&p->lock);
    CK_RV rv = p->fn->C_OpenSession(slot, CKF_SERIAL_SESSION, NULL, NULL, out);
    if (rv == CKR_SLOT_ID_INVALID || rv == CKR_TOKEN_NOT_PRESENT || rv == CKR_DEVICE_REMOVED) {
        /* The token moved (slot ids change when tokens come and go): find it again. */
        ESDK_TRY(esdk_p11_find_slot(p->module, p->cfg, &slot));
        pthread_mutex_lock(&p->lock);
        p->slot = slot;
        p->generation++;
        pthread_mutex_unlock(&p->lock);
        rv = p->fn->C_OpenSession(slot, CKF_SERIAL_SESSION, NULL, NULL, out);
    }
    if (rv != CKR_OK) {
        esdk_p11_config_describe_token(p->cfg, token, sizeof token);
        return esdk_p11_fail(rv, "cannot open a session on %s", token);
    }
    int rc = ensure_login(p, *out, false);
    if (rc != 0) {
        (void)p->fn->C_CloseSession(*out);
    }
    return rc;
}

static int acquire(esdk_p11_pool *p, CK_SESSION_HANDLE *s, unsigned *generation)
{
    pthread_mutex_lock(&p->lock);
    while (p->idle_count == 0 && p->open_count >= p->max) {
        pthread_cond_wait(&p->freed, &p->lock);
    }
    *generation = p->generation;
    if (p->idle_count > 0) {
        *s = p->idle[--p->idle_count];
        pthread_mutex_unlock(&p->lock);
        return 0;
    }
    p->open_count++;
    pthread_mutex_unlock(&p->lock);
    int rc = open_session(p, s);
    pthread_mutex_lock(&p->lock);
    if (rc != 0) {
        p->open_count--;
        pthread_cond_signal(&p->freed);
    }
    *generation = p->generation;
    pthread_mutex_unlock(&p->lock);
    return rc;
}

static void give_back(esdk_p11_pool *p, CK_SESSION_HANDLE s, bool broken)
{
    pthread_mutex_lock(&p->lock);
    if (broken) {
        p->open_count--;
    } else {
        p->idle[p->idle_count++] = s;
    }
    pthread_cond_signal(&p->freed);
    pthread_mutex_unlock(&p->lock);
    if (broken) {
        (void)p->fn->C_CloseSession(s);
    }
}

/* After a lost session or device: close the idle sessions (probably lost too) and, if the
 * device went away, find the token again. */
static int reset(esdk_p11_pool *p, CK_RV why)
{
    CK_SESSION_HANDLE closing[64];
    size_t n;
    do {
        pthread_mutex_lock(&p->lock);
        n = p->idle_count < 64 ? p->idle_count : 64;
        p->idle_count -= n;
        p->open_count -= n;
        memcpy(closing, p->idle + p->idle_count, n * sizeof *closing);
        pthread_cond_broadcast(&p->freed);
        pthread_mutex_unlock(&p->lock);
        for (size_t i = 0; i < n; i++) {
            (void)p->fn->C_CloseSession(closing[i]);
        }
    } while (n == 64);
    CK_SLOT_ID slot = 0;
    if (why == CKR_DEVICE_REMOVED || why == CKR_TOKEN_NOT_PRESENT) {
        ESDK_TRY(esdk_p11_find_slot(p->module, p->cfg, &slot));
    }
    pthread_mutex_lock(&p->lock);
    if (why == CKR_DEVICE_REMOVED || why == CKR_TOKEN_NOT_PRESENT) {
        p->slot = slot;
    }
    p->generation++;
    pthread_mutex_unlock(&p->lock);
    return 0;
}

int esdk_p11_pool_run(esdk_p11_pool *p, esdk_p11_op op, void *ctx, CK_RV *rv)
{
    bool relogged = false, reopened = false;
    for (;;) {
        CK_SESSION_HANDLE s;
        unsigned generation;
        ESDK_TRY(acquire(p, &s, &generation));
        CK_RV r = op(p->fn, s, generation, ctx);
        /* Logged out behind our back (C_Logout, or every session closed): some modules say
         * CKR_USER_NOT_LOGGED_IN, others hide private keys (CKR_KEY_HANDLE_INVALID). */
        if (!relogged && (r == CKR_USER_NOT_LOGGED_IN ||
                          ((r == CKR_KEY_HANDLE_INVALID || r == CKR_OBJECT_HANDLE_INVALID) &&
                           p->cfg->pin.kind != ESDK_P11_PIN_NONE && !logged_in(p->fn, s)))) {
            relogged = true;
            int rc = ensure_login(p, s, true);
            give_back(p, s, false);
            ESDK_TRY(rc);
            continue;
        }
        if (esdk_p11_rv_session_lost(r) && !reopened) {
            reopened = true;
            give_back(p, s, true);
            ESDK_TRY(reset(p, r));
            continue;
        }
        /* A session with an operation left active is closed rather than reused. */
        give_back(
            p,
            s,
            esdk_p11_rv_session_lost(r) || r == CKR_BUFFER_TOO_SMALL || r == CKR_OPERATION_ACTIVE);
        *rv = r;
        return 0;
    }
}

void esdk_p11_pool_free(esdk_p11_pool *p)
{
    if (!p) {
        return;
    }
    for (size_t i = 0; i < p->idle_count; i++) {
        (void)p->fn->C_CloseSession(p->idle[i]);
    }
    esdk_mem_release(p->idle, p->max * sizeof *p->idle);
    pthread_cond_destroy(&p->freed);
    pthread_mutex_destroy(&p->login_lock);
    pthread_mutex_destroy(&p->lock);
    esdk_mem_release(p, sizeof *p);
}

int esdk_p11_pool_new(
    esdk_p11_module *m,
    const esdk_pkcs11_config *cfg,
    esdk_p11_pin_guard *guard,
    esdk_p11_pool **out)
{
    *out = NULL;
    esdk_p11_pool *p = esdk_mem_acquire(sizeof *p);
    if (!p) {
        return esdk_fail(ESDK_ERR_NO_MEMORY, "cannot allocate a session pool");
    }
    p->module = m;
    p->fn = esdk_p11_module_functions(m);
    p->cfg = cfg;
    p->guard = guard;
    p->max = cfg->max_sessions;
    p->idle = esdk_mem_acquire(p->max * sizeof *p->idle);
    if (!p->idle) {
        esdk_mem_release(p, sizeof *p);
        return esdk_fail(ESDK_ERR_NO_MEMORY, "cannot allocate a session pool");
    }
    pthread_mutex_init(&p->lock, NULL);
    pthread_mutex_init(&p->login_lock, NULL);
    pthread_cond_init(&p->freed, NULL);
    CK_SESSION_HANDLE s;
    int rc = esdk_p11_find_slot(m, cfg, &p->slot);
    if (rc == 0) {
        p->open_count = 1;
        rc = open_session(p, &s);
    }
    if (rc != 0) {
        p->open_count = 0;
        esdk_p11_pool_free(p);
        return rc;
    }
    p->idle[p->idle_count++] = s;
    *out = p;
    return 0;
}
