/* A small pool of sessions on one token, so that several threads can use one keyring. The
 * pool logs in (once per token and process), logs in again after CKR_USER_NOT_LOGGED_IN, and
 * opens fresh sessions (finding the token again) after a lost session or device. */
#ifndef ESDK_KEYRINGS_PKCS11_SESSION_POOL_H
#define ESDK_KEYRINGS_PKCS11_SESSION_POOL_H

#include "keyrings/pkcs11/config.h"
#include "keyrings/pkcs11/module.h"
#include "keyrings/pkcs11/p11.h"
#include "keyrings/pkcs11/pin.h"

typedef struct esdk_p11_pool esdk_p11_pool;

/* One operation on a session. generation changes whenever the pool had to reconnect, so that
 * object handles cached under an older generation are looked up again. */
typedef CK_RV (*esdk_p11_op)(
    CK_FUNCTION_LIST_PTR fn, CK_SESSION_HANDLE s, unsigned generation, void *ctx);

/* Find the token, open a first session and log in. m, cfg and guard are borrowed and must
 * outlive the pool. */
int esdk_p11_pool_new(
    esdk_p11_module *m,
    const esdk_pkcs11_config *cfg,
    esdk_p11_pin_guard *guard,
    esdk_p11_pool **out);
/* Close every session. NULL is ignored. */
void esdk_p11_pool_free(esdk_p11_pool *p);

/* Run op on a session of the pool, recovering once from a lost login and once from a lost
 * session or device. 0 and op's last CK_RV in *rv; or an ESDK error (detail set) when no
 * session or login could be had. */
int esdk_p11_pool_run(esdk_p11_pool *p, esdk_p11_op op, void *ctx, CK_RV *rv);

/* true for the CKRs after which a session is gone: SESSION_HANDLE_INVALID, SESSION_CLOSED,
 * DEVICE_REMOVED, TOKEN_NOT_PRESENT. */
bool esdk_p11_rv_session_lost(CK_RV rv);

#endif
