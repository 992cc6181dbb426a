/* The multi-keyring: EDK order, data-key rules, all-or-nothing encrypt, first-success decrypt,
 * the combined error and its detail, shared children, the EDK limit (checked before any
 * keyring runs), and cross-region wrapping with an unreachable region. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "support/counting_keyring.h"
#include "support/rsa_test_keys.h"
#include "support/test_support.h"

static esdk_keyring *aes(const char *name, uint8_t seed)
{
    uint8_t key[32];
    for (int i = 0; i < 32; i++) {
        key[i] = (uint8_t)(i * 7 + seed);
    }
    esdk_keyring *k = NULL;
    assert_int_equal(esdk_keyring_raw_aes_new("region", name, key, sizeof key, &k), 0);
    return k;
}

static esdk_keyring *rsa_pair(void)
{
    esdk_keyring *k = NULL;
    assert_int_equal(
        esdk_keyring_raw_rsa_new(
            "escrow",
            "rsa-a",
            ESDK_RSA_OAEP_SHA256_MGF1,
            (const uint8_t *)test_rsa_2048_a_spki,
            strlen(test_rsa_2048_a_spki),
            (const uint8_t *)test_rsa_2048_a_pkcs8,
            strlen(test_rsa_2048_a_pkcs8),
            &k),
        0);
    return k;
}

static esdk_keyring *multi(esdk_keyring *gen, esdk_keyring *const *children, size_t n)
{
    esdk_keyring *k = NULL;
    assert_int_equal(esdk_keyring_multi_new(gen, children, n, &k), 0);
    return k;
}

/* ---- a keyring that always fails, through the public vtable ---- */

typedef struct failing_state {
    int code;
    const char *detail; /* NULL: set no detail */
    int calls;
} failing_state;

static int fail_now(failing_state *st)
{
    st->calls++;
    return st->detail ? esdk_set_error(st->code, "%s", st->detail) : st->code;
}

static int failing_encrypt(void *state, esdk_enc_materials *m)
{
    (void)m;
    return fail_now(state);
}

static int failing_decrypt(void *state, esdk_dec_materials *m, const esdk_edk_list *edks)
{
    (void)m;
    (void)edks;
    return fail_now(state);
}

static const esdk_keyring_vtable failing_vt = {
    sizeof(esdk_keyring_vtable), "test-failing", failing_encrypt, failing_decrypt, free};

static esdk_keyring *failing(int code, const char *detail, failing_state **state)
{
    failing_state *st = calloc(1, sizeof *st);
    st->code = code;
    st->detail = detail;
    esdk_keyring *k = NULL;
    assert_int_equal(esdk_keyring_new(&failing_vt, st, &k), 0);
    if (state) {
        *state = st;
    }
    return k;
}

/* ---- helpers ---- */

static esdk_enc_materials *new_enc_materials(void)
{
    esdk_enc_ctx *ctx;
    esdk_enc_materials *m;
    assert_int_equal(esdk_enc_ctx_new(&ctx), 0);
    assert_int_equal(esdk_enc_ctx_set_str(ctx, "tenant", "blue"), 0);
    assert_int_equal(esdk_enc_materials_new(0x0478, ctx, NULL, 0, &m), 0);
    esdk_enc_ctx_release(ctx);
    return m;
}

static void encrypt_with(esdk_keyring *kr, const esdk_options *o, esdk_buf *ct)
{
    static const uint8_t pt[] = "multi-keyring plaintext";
    int rc = esdk_encrypt(o, NULL, kr, NULL, pt, sizeof pt, ct);
    if (rc) {
        print_error("%s\n", esdk_last_error_detail());
    }
    assert_int_equal(rc, 0);
}

static int decrypt_with(esdk_keyring *kr, const esdk_options *o, const esdk_buf *ct)
{
    static const uint8_t pt[] = "multi-keyring plaintext";
    esdk_buf out = ESDK_BUF_INIT;
    int rc = esdk_decrypt(o, NULL, kr, NULL, ct->data, ct->len, &out, NULL);
    if (rc == 0) {
        assert_int_equal(out.len, sizeof pt);
        assert_memory_equal(out.data, pt, sizeof pt);
    } else {
        assert_int_equal(out.len, 0);
    }
    esdk_buf_release(&out);
    return rc;
}

static void assert_detail_has(const char *part)
{
    if (!strstr(esdk_last_error_detail(), part)) {
        print_error("detail \"%s\" lacks \"%s\"\n", esdk_last_error_detail(), part);
    }
    assert_non_null(strstr(esdk_last_error_detail(), part));
}

/* ---- tests ---- */

/* EDKs come out generator first, then children in order; each keyring alone opens the
 * message; a multi-keyring nests inside another. */
/* spec: keyring-multi-1 */
static void test_encrypt_order_and_each_opens(void **state)
{
    (void)state;
    esdk_keyring *gen = aes("gen", 1), *c1 = aes("c1", 2), *c2 = rsa_pair();
    esdk_keyring *children[] = {c1, c2};
    esdk_keyring *mk = multi(gen, children, 2);
    esdk_enc_materials *m = new_enc_materials();
    assert_int_equal(esdk_keyring_on_encrypt(mk, m), 0);
    const esdk_edk_list *edks = esdk_enc_materials_edks(m);
    assert_int_equal(esdk_edk_list_count(edks), 3);
    const char *ids[] = {"region", "region", "escrow"};
    for (size_t i = 0; i < 3; i++) {
        esdk_edk e;
        assert_int_equal(esdk_edk_list_get(edks, i, &e), 0);
        assert_int_equal(e.provider_id_len, strlen(ids[i]));
        assert_memory_equal(e.provider_id, ids[i], e.provider_id_len);
    }
    esdk_enc_materials_release(m);

    esdk_buf ct = ESDK_BUF_INIT;
    encrypt_with(mk, NULL, &ct);
    assert_int_equal(decrypt_with(gen, NULL, &ct), 0);
    assert_int_equal(decrypt_with(c1, NULL, &ct), 0);
    assert_int_equal(decrypt_with(c2, NULL, &ct), 0);
    assert_int_equal(decrypt_with(mk, NULL, &ct), 0);
    esdk_keyring *outer = multi(NULL, &mk, 1);
    assert_int_equal(decrypt_with(outer, NULL, &ct), 0);
    esdk_buf_release(&ct);
    esdk_keyring_release(outer);
    esdk_keyring_release(mk);
    esdk_keyring_release(gen);
    esdk_keyring_release(c1);
    esdk_keyring_release(c2);
}

/* With a generator the data key must not exist yet; without one it must. */
/* spec: keyring-multi-1 */
static void test_encrypt_data_key_rules(void **state)
{
    (void)state;
    esdk_keyring *gen = aes("gen", 1), *c1 = aes("c1", 2);
    esdk_keyring *with_gen = multi(gen, &c1, 1);
    esdk_keyring *children_only = multi(NULL, &c1, 1);

    esdk_enc_materials *m = new_enc_materials();
    assert_int_equal(esdk_enc_materials_generate_data_key(m), 0);
    assert_int_equal(esdk_keyring_on_encrypt(with_gen, m), ESDK_ERR_BAD_STATE);
    assert_detail_has("already hold a data key");
    assert_int_equal(esdk_edk_list_count(esdk_enc_materials_edks(m)), 0);
    assert_int_equal(esdk_keyring_on_encrypt(children_only, m), 0);
    assert_int_equal(esdk_edk_list_count(esdk_enc_materials_edks(m)), 1);
    esdk_enc_materials_release(m);

    m = new_enc_materials();
    assert_int_equal(esdk_keyring_on_encrypt(children_only, m), ESDK_ERR_BAD_STATE);
    assert_detail_has("no data key");
    esdk_enc_materials_release(m);
    /* through the whole stack: the default CMM hands over materials without a data key */
    esdk_buf ct = ESDK_BUF_INIT;
    assert_int_equal(
        esdk_encrypt(NULL, NULL, children_only, NULL, (const uint8_t *)"x", 1, &ct),
        ESDK_ERR_BAD_STATE);
    esdk_buf_release(&ct);

    esdk_keyring_release(with_gen);
    esdk_keyring_release(children_only);
    esdk_keyring_release(gen);
    esdk_keyring_release(c1);
}

/* A child that cannot wrap fails the whole call and leaves the materials untouched. */
/* spec: keyring-multi-1 */
static void test_encrypt_child_failure_is_all_or_nothing(void **state)
{
    (void)state;
    esdk_keyring *gen = aes("gen", 1), *c1 = aes("c1", 2), *decrypt_only = NULL;
    assert_int_equal(
        esdk_keyring_raw_rsa_new(
            "escrow",
            "rsa-a",
            ESDK_RSA_OAEP_SHA256_MGF1,
            NULL,
            0,
            (const uint8_t *)test_rsa_2048_a_pkcs8,
            strlen(test_rsa_2048_a_pkcs8),
            &decrypt_only),
        0);
    esdk_keyring *children[] = {c1, decrypt_only};
    esdk_keyring *mk = multi(gen, children, 2);
    esdk_enc_materials *m = new_enc_materials();
    const uint8_t *k;
    size_t n;
    assert_int_equal(esdk_keyring_on_encrypt(mk, m), ESDK_ERR_BAD_STATE);
    assert_detail_has("child 2 raw-rsa");
    assert_detail_has("no public key");
    assert_false(esdk_enc_materials_data_key(m, &k, &n));
    assert_int_equal(esdk_edk_list_count(esdk_enc_materials_edks(m)), 0);
    esdk_enc_materials_release(m);

    failing_state *st;
    esdk_keyring *down = failing(ESDK_ERR_UNAVAILABLE, "region ap-south-1 unreachable", &st);
    esdk_keyring *mk2 = multi(gen, &down, 1);
    esdk_buf ct = ESDK_BUF_INIT;
    assert_int_equal(
        esdk_encrypt(NULL, NULL, mk2, NULL, (const uint8_t *)"x", 1, &ct), ESDK_ERR_UNAVAILABLE);
    assert_detail_has("child 1 test-failing");
    assert_detail_has("region ap-south-1 unreachable");
    assert_int_equal(ct.len, 0);
    assert_int_equal(st->calls, 1);
    esdk_buf_release(&ct);
    esdk_keyring_release(mk2);
    esdk_keyring_release(down);
    esdk_keyring_release(mk);
    esdk_keyring_release(gen);
    esdk_keyring_release(c1);
    esdk_keyring_release(decrypt_only);
}

/* Decrypt tries the generator, then the children, and stops at the first success. */
/* spec: keyring-multi-2 */
static void test_decrypt_first_success_wins(void **state)
{
    (void)state;
    esdk_keyring *c1_plain = aes("c1", 2);
    esdk_buf ct = ESDK_BUF_INIT;
    encrypt_with(c1_plain, NULL, &ct); /* only c1 can open it */
    counting_state *sg, *s1, *s2;
    esdk_keyring *gen = test_counting_keyring(aes("gen", 1), &sg);
    esdk_keyring *c1 = test_counting_keyring(esdk_keyring_retain(c1_plain), &s1);
    esdk_keyring *c2 = test_counting_keyring(aes("c2", 3), &s2);
    esdk_keyring *children[] = {c1, c2};
    esdk_keyring *mk = multi(gen, children, 2);
    assert_int_equal(decrypt_with(mk, NULL, &ct), 0);
    assert_int_equal(atomic_load(&sg->decrypt_calls), 1);
    assert_int_equal(atomic_load(&s1->decrypt_calls), 1);
    assert_int_equal(atomic_load(&s2->decrypt_calls), 0);
    esdk_buf_release(&ct);
    esdk_keyring_release(mk);
    esdk_keyring_release(gen);
    esdk_keyring_release(c1);
    esdk_keyring_release(c2);
    esdk_keyring_release(c1_plain);
}

/* When every keyring fails: the combined code, and a detail naming each failure in order. */
/* spec: keyring-multi-2 */
static void test_decrypt_combined_error(void **state)
{
    (void)state;
    esdk_keyring *owner = aes("owner", 9);
    esdk_buf ct = ESDK_BUF_INIT;
    encrypt_with(owner, NULL, &ct);
    esdk_keyring *down1 = failing(ESDK_ERR_UNAVAILABLE, "region us-east-1 unreachable", NULL);
    esdk_keyring *down2 = failing(ESDK_ERR_UNAVAILABLE, "region eu-west-1 unreachable", NULL);
    esdk_keyring *denied = failing(ESDK_ERR_ACCESS_DENIED, "PIN refused", NULL);
    esdk_keyring *silent = failing(ESDK_ERR_UNAVAILABLE, NULL, NULL);
    esdk_keyring *stranger = aes("stranger", 4);

    /* all unavailable: stays UNAVAILABLE (worth a retry) */
    esdk_keyring *mk = multi(down1, &down2, 1);
    assert_int_equal(decrypt_with(mk, NULL, &ct), ESDK_ERR_UNAVAILABLE);
    assert_detail_has("[generator test-failing] ESDK_ERR_UNAVAILABLE: region us-east-1 "
                      "unreachable; [child 1 test-failing] ESDK_ERR_UNAVAILABLE: region "
                      "eu-west-1 unreachable");
    esdk_keyring_release(mk);

    /* mixed backend failures: KEYRING */
    esdk_keyring *two[] = {down1, denied};
    mk = multi(NULL, two, 2);
    assert_int_equal(decrypt_with(mk, NULL, &ct), ESDK_ERR_KEYRING);
    assert_detail_has("[child 2 test-failing] ESDK_ERR_ACCESS_DENIED: PIN refused");
    esdk_keyring_release(mk);

    /* one keyring answered and had no key: CANNOT_DECRYPT; a keyring that left no detail
     * shows its code's text, not a stale detail */
    esdk_keyring *three[] = {silent, stranger, down1};
    mk = multi(NULL, three, 3);
    assert_int_equal(decrypt_with(mk, NULL, &ct), ESDK_ERR_CANNOT_DECRYPT);
    assert_detail_has("[child 1 test-failing] ESDK_ERR_UNAVAILABLE: key backend unavailable; "
                      "[child 2 raw-aes] ESDK_ERR_CANNOT_DECRYPT: raw AES keyring region/stranger");
    assert_detail_has("[child 3 test-failing] ESDK_ERR_UNAVAILABLE: region us-east-1 unreachable");
    esdk_keyring_release(mk);

    esdk_buf_release(&ct);
    esdk_keyring_release(owner);
    esdk_keyring_release(down1);
    esdk_keyring_release(down2);
    esdk_keyring_release(denied);
    esdk_keyring_release(silent);
    esdk_keyring_release(stranger);
}

/* One keyring in two multi-keyrings: each holds its own reference. */
static void test_shared_children(void **state)
{
    (void)state;
    esdk_keyring *shared = aes("shared", 5), *a = aes("a", 6), *b = aes("b", 7);
    esdk_keyring *m1 = multi(a, &shared, 1);
    esdk_keyring *m2 = multi(b, &shared, 1);
    esdk_keyring_release(shared); /* now only the multi-keyrings hold it */
    esdk_buf ct = ESDK_BUF_INIT;
    encrypt_with(m1, NULL, &ct);
    esdk_keyring_release(m1);
    esdk_keyring_release(a);
    assert_int_equal(decrypt_with(m2, NULL, &ct), 0); /* through the shared child */
    esdk_buf_release(&ct);
    esdk_keyring_release(m2);
    esdk_keyring_release(b);
}

static void test_constructor_refusals(void **state)
{
    (void)state;
    esdk_keyring *k = NULL, *a = aes("a", 1);
    esdk_keyring *with_null[] = {a, NULL};
    assert_int_equal(esdk_keyring_multi_new(NULL, NULL, 0, &k), ESDK_ERR_BAD_ARGUMENT);
    assert_int_equal(esdk_keyring_multi_new(a, with_null, 2, &k), ESDK_ERR_BAD_ARGUMENT);
    assert_int_equal(esdk_keyring_multi_new(a, NULL, 1, &k), ESDK_ERR_BAD_ARGUMENT);
    assert_int_equal(esdk_keyring_multi_new(a, NULL, 0, NULL), ESDK_ERR_BAD_ARGUMENT);
    assert_null(k);
    assert_int_equal(esdk_keyring_multi_new(a, NULL, 0, &k), 0); /* a generator alone */
    esdk_keyring_release(k);
    esdk_keyring_release(a);
}

/* The EDK limit: a message with 3 EDKs is refused under a limit of 2 before any keyring is
 * called; encrypting with 3 wrapping keys under a limit of 2 fails.
 * spec: format-header-4, limits-edk-1 */
static void test_max_encrypted_data_keys(void **state)
{
    (void)state;
    esdk_keyring *gen = aes("gen", 1), *c1 = aes("c1", 2), *c2 = aes("c2", 3);
    esdk_keyring *children[] = {c1, c2};
    esdk_keyring *three = multi(gen, children, 2);
    esdk_options *o;
    assert_int_equal(esdk_options_new(&o), 0);

    esdk_buf ct = ESDK_BUF_INIT;
    assert_int_equal(esdk_options_set_max_encrypted_data_keys(o, 2), 0);
    assert_int_equal(
        esdk_encrypt(o, NULL, three, NULL, (const uint8_t *)"x", 1, &ct), ESDK_ERR_TOO_MANY_EDKS);
    assert_int_equal(ct.len, 0);
    assert_int_equal(esdk_options_set_max_encrypted_data_keys(o, 3), 0);
    encrypt_with(three, o, &ct);

    counting_state *counts;
    esdk_keyring *counted = test_counting_keyring(esdk_keyring_retain(gen), &counts);
    assert_int_equal(esdk_options_set_max_encrypted_data_keys(o, 2), 0);
    assert_int_equal(decrypt_with(counted, o, &ct), ESDK_ERR_TOO_MANY_EDKS);
    assert_int_equal(atomic_load(&counts->decrypt_calls), 0);
    assert_int_equal(esdk_options_set_max_encrypted_data_keys(o, 3), 0);
    assert_int_equal(decrypt_with(counted, o, &ct), 0);
    assert_int_equal(atomic_load(&counts->decrypt_calls), 1);

    esdk_buf_release(&ct);
    esdk_options_release(o);
    esdk_keyring_release(counted);
    esdk_keyring_release(three);
    esdk_keyring_release(gen);
    esdk_keyring_release(c1);
    esdk_keyring_release(c2);
}

/* Cross-region wrapping: one message under us-east-1 and eu-west-1 (and an RSA escrow key);
 * each region opens it alone; with us-east-1 unreachable, eu-west-1 opens it; when no region
 * can, the detail names each region's failure. */
static void test_cross_region(void **state)
{
    (void)state;
    esdk_keyring *us = aes("us-east-1", 11), *eu = aes("eu-west-1", 12), *escrow = rsa_pair();
    esdk_keyring *children[] = {eu, escrow};
    esdk_keyring *both = multi(us, children, 2);
    esdk_buf ct = ESDK_BUF_INIT;
    encrypt_with(both, NULL, &ct);
    assert_int_equal(decrypt_with(us, NULL, &ct), 0);
    assert_int_equal(decrypt_with(eu, NULL, &ct), 0);
    assert_int_equal(decrypt_with(escrow, NULL, &ct), 0);

    failing_state *st;
    esdk_keyring *us_down = failing(ESDK_ERR_UNAVAILABLE, "region us-east-1 unreachable", &st);
    esdk_keyring *failover = multi(us_down, &eu, 1);
    assert_int_equal(decrypt_with(failover, NULL, &ct), 0);
    assert_int_equal(st->calls, 1);

    esdk_keyring *eu_other_key = aes("eu-west-1", 99); /* same name, another key */
    esdk_keyring *none = multi(us_down, &eu_other_key, 1);
    assert_int_equal(decrypt_with(none, NULL, &ct), ESDK_ERR_CANNOT_DECRYPT);
    assert_detail_has("region us-east-1 unreachable");
    assert_detail_has("raw AES keyring region/eu-west-1: 1 matching EDK(s), none could be "
                      "unwrapped");

    esdk_buf_release(&ct);
    esdk_keyring_release(none);
    esdk_keyring_release(eu_other_key);
    esdk_keyring_release(failover);
    esdk_keyring_release(us_down);
    esdk_keyring_release(both);
    esdk_keyring_release(us);
    esdk_keyring_release(eu);
    esdk_keyring_release(escrow);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_encrypt_order_and_each_opens),
        cmocka_unit_test(test_encrypt_data_key_rules),
        cmocka_unit_test(test_encrypt_child_failure_is_all_or_nothing),
        cmocka_unit_test(test_decrypt_first_success_wins),
        cmocka_unit_test(test_decrypt_combined_error),
        cmocka_unit_test(test_shared_children),
        cmocka_unit_test(test_constructor_refusals),
        cmocka_unit_test(test_max_encrypted_data_keys),
        cmocka_unit_test(test_cross_region),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
