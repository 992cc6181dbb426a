/* One PKCS#11 keyring used by several threads at once (its session pool), and recovery when
 * the sessions or the login disappear behind the keyring's back. */
#include <dlfcn.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>
#include <p11-kit/pkcs11.h>

#include <aws-esdk-c/esdk.h>
#include <aws-esdk-c/keyrings/pkcs11.h>

#include "support/hsm_fixture.h"

#define THREADS 4
#define ROUNDS  50

static hsm_fixture fx;

static int setup(void **state)
{
    (void)state;
    if (hsm_fixture_init(&fx) != 0 || hsm_token_init(&fx, "esdk-mt", HSM_PIN) != 0 ||
        hsm_aes_keygen(&fx, "esdk-mt", "aes-gen", "a1") != 0 ||
        hsm_rsa_keygen(&fx, "esdk-mt", "rsa-gen", "b1", 2048) != 0) {
        return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    hsm_fixture_cleanup(&fx);
    return 0;
}

struct worker {
    esdk_keyring *kr;
    int rounds;
    int failures;
    int first_rc;
};

static void *work(void *arg)
{
    struct worker *w = arg;
    for (int i = 0; i < w->rounds; i++) {
        esdk_buf msg = ESDK_BUF_INIT;
        int rc = hsm_encrypt(w->kr, &msg);
        if (rc == 0) {
            rc = hsm_decrypt(w->kr, &msg);
        }
        if (rc != 0) {
            w->failures++;
            if (!w->first_rc) {
                w->first_rc = rc;
            }
        }
        esdk_buf_release(&msg);
    }
    return NULL;
}

static void run_threads(esdk_keyring *kr, int rounds)
{
    pthread_t t[THREADS];
    struct worker w[THREADS];
    for (int i = 0; i < THREADS; i++) {
        w[i] = (struct worker){kr, rounds, 0, 0};
        assert_int_equal(pthread_create(&t[i], NULL, work, &w[i]), 0);
    }
    for (int i = 0; i < THREADS; i++) {
        assert_int_equal(pthread_join(t[i], NULL), 0);
    }
    for (int i = 0; i < THREADS; i++) {
        if (w[i].failures) {
            fail_msg(
                "thread %d: %d of %d round trips failed (first: %s)",
                i,
                w[i].failures,
                rounds,
                esdk_error_name(w[i].first_rc));
        }
    }
}

static esdk_keyring *keyring(const char *key, size_t sessions, const char *connect)
{
    esdk_pkcs11_config *c = hsm_config(&fx, "esdk-mt", key);
    assert_int_equal(esdk_pkcs11_config_set_max_sessions(c, sessions), 0);
    assert_int_equal(esdk_pkcs11_config_set_option(c, "connect", connect), 0);
    esdk_keyring *kr = NULL;
    assert_int_equal(esdk_keyring_pkcs11_new(c, &kr), 0);
    esdk_pkcs11_config_release(c);
    return kr;
}

/* spec: keyring-pkcs11-4 */
static void aes_four_threads(void **state)
{
    (void)state;
    esdk_keyring *kr = keyring("aes-gen", 8, "eager");
    run_threads(kr, ROUNDS);
    esdk_keyring_release(kr);
}

/* Fewer sessions than threads: threads wait for a free session. Lazy: they race to connect. */
/* spec: keyring-pkcs11-4 */
static void aes_four_threads_two_sessions_lazy(void **state)
{
    (void)state;
    esdk_keyring *kr = keyring("aes-gen", 2, "lazy");
    run_threads(kr, ROUNDS);
    esdk_keyring_release(kr);
}

static void rsa_four_threads(void **state)
{
    (void)state;
    esdk_keyring *kr = keyring("rsa-gen", 4, "eager");
    run_threads(kr, 10);
    esdk_keyring_release(kr);
}

/* The module behind an entry point that counts logins and opened sessions, so that the test
 * can act on the same module instance and see the keyring recover. */
static CK_FUNCTION_LIST_PTR real;
static CK_FUNCTION_LIST watched;
static atomic_int logins, opens;

static CK_RV watched_login(CK_SESSION_HANDLE s, CK_USER_TYPE u, CK_UTF8CHAR_PTR pin, CK_ULONG len)
{
    logins++;
    return real->C_Login(s, u, pin, len);
}

static CK_RV
watched_open(CK_SLOT_ID slot, CK_FLAGS f, void *app, CK_NOTIFY n, CK_SESSION_HANDLE_PTR s)
{
    opens++;
    return real->C_OpenSession(slot, f, app, n, s);
}

static unsigned long real_get_function_list(void **out)
{
    if (!real) {
        void *dl = dlopen(fx.module, RTLD_NOW | RTLD_LOCAL);
        CK_C_GetFunctionList get;
        void *sym = dl ? dlsym(dl, "C_GetFunctionList") : NULL;
        if (!sym) {
            return CKR_GENERAL_ERROR;
        }
        memcpy(&get, &sym, sizeof get);
        CK_RV rv = get(&real);
        if (rv != CKR_OK) {
            return rv;
        }
        watched = *real;
        watched.C_Login = watched_login;
        watched.C_OpenSession = watched_open;
    }
    *out = &watched;
    return CKR_OK;
}

static CK_SLOT_ID token_slot(void)
{
    CK_SLOT_ID slots[16];
    CK_ULONG n = 16;
    assert_int_equal(real->C_GetSlotList(CK_TRUE, slots, &n), CKR_OK);
    for (CK_ULONG i = 0; i < n; i++) {
        CK_TOKEN_INFO info;
        if (real->C_GetTokenInfo(slots[i], &info) == CKR_OK &&
            memcmp(info.label, "esdk-mt ", 8) == 0) {
            return slots[i];
        }
    }
    fail_msg("token esdk-mt not found");
    return 0;
}

/* spec: keyring-pkcs11-4 */
static void recovers_lost_sessions_and_login(void **state)
{
    (void)state;
    esdk_pkcs11_config *c = hsm_config(&fx, "esdk-mt", "aes-gen");
    assert_int_equal(esdk_pkcs11_config_set_module_entry(c, real_get_function_list), 0);
    esdk_keyring *kr = NULL;
    assert_int_equal(esdk_keyring_pkcs11_new(c, &kr), 0);
    esdk_pkcs11_config_release(c);
    esdk_buf msg = ESDK_BUF_INIT;
    assert_int_equal(hsm_encrypt(kr, &msg), 0);
    assert_int_equal(logins, 1);
    assert_int_equal(opens, 1);

    /* every session of the process closed (this also logs the user out): a new session and
     * a new login */
    assert_int_equal(real->C_CloseAllSessions(token_slot()), CKR_OK);
    assert_int_equal(hsm_decrypt(kr, &msg), 0);
    assert_int_equal(opens, 2);
    assert_int_equal(logins, 2);

    /* logged out while the keyring's session stays open: a new login on that session */
    CK_SESSION_HANDLE s;
    assert_int_equal(real->C_OpenSession(token_slot(), CKF_SERIAL_SESSION, NULL, NULL, &s), CKR_OK);
    assert_int_equal(real->C_Logout(s), CKR_OK);
    assert_int_equal(hsm_decrypt(kr, &msg), 0);
    assert_int_equal(opens, 2);
    assert_int_equal(logins, 3);
    assert_int_equal(real->C_CloseSession(s), CKR_OK);
    assert_int_equal(esdk_keyring_pkcs11_last_failure(kr, NULL, 0), 0);

    /* threads through the same recovery */
    assert_int_equal(real->C_CloseAllSessions(token_slot()), CKR_OK);
    run_threads(kr, 5);
    esdk_buf_release(&msg);
    esdk_keyring_release(kr);
}

int main(void)
{
    int skip = hsm_skip_if_missing("test_pkcs11_threads");
    if (skip >= 0) {
        return skip;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(aes_four_threads),
        cmocka_unit_test(aes_four_threads_two_sessions_lazy),
        cmocka_unit_test(rsa_four_threads),
        cmocka_unit_test(recovers_lost_sessions_and_login),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
