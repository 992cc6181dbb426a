/* Cache ids (source/cmm/cache_id.c) against known answers, and the properties the caching
 * CMM relies on: ids differ across partitions, suites, contexts, required keys and
 * reproduced contexts, and ignore the order of EDKs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "cmm/cache_id.h"
#include "support/test_support.h"

/* The known answers below come from the AWS Encryption SDK for Python,
 * test/unit/test_caches.py (VALUES['cache_ids'], aws/aws-encryption-sdk-python), where they
 * are base64; here they are the same 64 bytes in hex. Inputs, as there: partition name
 * "c15b9079-6d0e-42b6-8784-5e804b025692"; the "full" context {this: is, a: non-empty,
 * encryption: context}; two EDKs (provider id, key info, ciphertext) as in edk0/edk1. */
static const char partition_name[] = "c15b9079-6d0e-42b6-8784-5e804b025692";

static const char *const enc_empty_no_suite =
    "ae4ac502ca356323db3896e6c15323acfc3ec302c94fbc6eb27f2d03cccc7bd7"
    "b7f8ea9bb5f0ee781edbbe828b5377ec99d52f67a78cb7b981a754e130c076e5";
static const char *const enc_empty_0378 =
    "de27012242cae15ddf5706e6df34b151d51057a66f65850e2e5f1bb8ddfa83a8"
    "0332a024821706af2c57ed0895001916d49841e86469e73f9bcdb8ae72205c29";
static const char *const enc_full_no_suite =
    "2078941d83945541054dcdc17193c90e5b1672dd90cb503b25d7d097db10a15f"
    "c82c86d1a68cfdabb46d19dfcc9626da1a5e62844eba70df3280cf00e6bb586e";
static const char *const enc_full_0378 =
    "99134aeea8536ff9098a2c863e001ebe9d20c0545c113e0a79e358c191e1a040"
    "ef494cd0883825f0e7fe6110da5732b102aa4d060700b855dd7bd26569146c9b";
static const char *const dec_0114_edk0_empty =
    "9f4cd5ce4f50215c61cfa113f9a24828a389371b691ad49ed7201bbbb594e65d"
    "bbd88c3f8e6865111e29b031c9b3d32bf0a62222f2c6497ce080d0c2736dfef7";
static const char *const dec_0378_both_full =
    "fabb7051edfc0869dccc6998bb5da2a865872320f2678e04bd84384ba0029ac8"
    "12f15684a62c344531a90e4e99ffb61837f8d51ce01c34a0f208d3fc126b2d16";

static void to_hex(const uint8_t *p, size_t n, char *out)
{
    for (size_t i = 0; i < n; i++) {
        snprintf(out + 2 * i, 3, "%02x", p[i]);
    }
}

static void assert_id(const uint8_t id[ESDK_CACHE_ID_LEN], const char *expected)
{
    char hex[2 * ESDK_CACHE_ID_LEN + 1];
    to_hex(id, ESDK_CACHE_ID_LEN, hex);
    assert_string_equal(hex, expected);
}

static void partition(const char *name, uint8_t p[ESDK_CACHE_ID_LEN])
{
    assert_int_equal(esdk_cache_id_partition((const uint8_t *)name, strlen(name), p), 0);
}

static esdk_enc_ctx *full_context(void)
{
    esdk_enc_ctx *c;
    assert_int_equal(esdk_enc_ctx_new(&c), 0);
    assert_int_equal(esdk_enc_ctx_set_str(c, "this", "is"), 0);
    assert_int_equal(esdk_enc_ctx_set_str(c, "a", "non-empty"), 0);
    assert_int_equal(esdk_enc_ctx_set_str(c, "encryption", "context"), 0);
    return c;
}

static esdk_enc_ctx *empty_context(void)
{
    esdk_enc_ctx *c;
    assert_int_equal(esdk_enc_ctx_new(&c), 0);
    return c;
}

static esdk_edk make_edk(const char *provider, const char *info, const char *ct)
{
    esdk_edk e = {
        (const uint8_t *)provider,
        strlen(provider),
        (const uint8_t *)info,
        strlen(info),
        (const uint8_t *)ct,
        strlen(ct)};
    return e;
}

static esdk_edk edk0(void)
{
    return make_edk(
        "this is a provider ID", "this is some key info", "super secret key, now with encryption!");
}

static esdk_edk edk1(void)
{
    return make_edk(
        "another provider ID!",
        "this is some different key info",
        "better super secret key, now with encryption!");
}

static esdk_edk_list *edk_list(const esdk_edk *edks, size_t n)
{
    esdk_edk_list *l;
    assert_int_equal(esdk_edk_list_new(&l), 0);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(esdk_edk_list_append(l, &edks[i]), 0);
    }
    return l;
}

/* spec: cache-2 */
static void test_encrypt_known_answers(void **st)
{
    (void)st;
    uint8_t p[ESDK_CACHE_ID_LEN], id[ESDK_CACHE_ID_LEN];
    partition(partition_name, p);
    esdk_enc_ctx *empty = empty_context(), *full = full_context();
    assert_int_equal(esdk_cache_id_encrypt(p, 0, empty, NULL, 0, id), 0);
    assert_id(id, enc_empty_no_suite);
    assert_int_equal(esdk_cache_id_encrypt(p, 0x0378, empty, NULL, 0, id), 0);
    assert_id(id, enc_empty_0378);
    assert_int_equal(esdk_cache_id_encrypt(p, 0, full, NULL, 0, id), 0);
    assert_id(id, enc_full_no_suite);
    assert_int_equal(esdk_cache_id_encrypt(p, 0x0378, full, NULL, 0, id), 0);
    assert_id(id, enc_full_0378);
    esdk_enc_ctx_release(empty);
    esdk_enc_ctx_release(full);
}

/* spec: cache-2 */
static void test_decrypt_known_answers(void **st)
{
    (void)st;
    uint8_t p[ESDK_CACHE_ID_LEN], id[ESDK_CACHE_ID_LEN];
    partition(partition_name, p);
    esdk_enc_ctx *empty = empty_context(), *full = full_context();
    esdk_edk one[] = {edk0()};
    esdk_edk both[] = {edk0(), edk1()};
    esdk_edk both_reversed[] = {edk1(), edk0()};
    esdk_edk_list *l1 = edk_list(one, 1), *l2 = edk_list(both, 2),
                  *l2r = edk_list(both_reversed, 2);

    assert_int_equal(esdk_cache_id_decrypt(p, 0x0114, l1, empty, NULL, id), 0);
    assert_id(id, dec_0114_edk0_empty);
    assert_int_equal(esdk_cache_id_decrypt(p, 0x0378, l2, full, NULL, id), 0);
    assert_id(id, dec_0378_both_full);
    /* the EDK hashes are sorted: list order does not matter */
    assert_int_equal(esdk_cache_id_decrypt(p, 0x0378, l2r, full, NULL, id), 0);
    assert_id(id, dec_0378_both_full);
    /* an empty reproduced context is the same request as none */
    assert_int_equal(esdk_cache_id_decrypt(p, 0x0378, l2, full, empty, id), 0);
    assert_id(id, dec_0378_both_full);

    esdk_edk_list_release(l1);
    esdk_edk_list_release(l2);
    esdk_edk_list_release(l2r);
    esdk_enc_ctx_release(empty);
    esdk_enc_ctx_release(full);
}

static bool same(const uint8_t *a, const uint8_t *b)
{
    return memcmp(a, b, ESDK_CACHE_ID_LEN) == 0;
}

/* spec: cache-2 */
static void test_ids_separate_requests(void **st)
{
    (void)st;
    uint8_t p1[ESDK_CACHE_ID_LEN], p2[ESDK_CACHE_ID_LEN];
    uint8_t a[ESDK_CACHE_ID_LEN], b[ESDK_CACHE_ID_LEN];
    partition("one", p1);
    partition("two", p2);
    esdk_enc_ctx *full = full_context(), *empty = empty_context(), *other = full_context();
    assert_int_equal(esdk_enc_ctx_set_str(other, "this", "was"), 0);

    assert_int_equal(esdk_cache_id_encrypt(p1, 0, full, NULL, 0, a), 0);
    assert_int_equal(esdk_cache_id_encrypt(p2, 0, full, NULL, 0, b), 0);
    assert_false(same(a, b)); /* partitions */
    assert_int_equal(esdk_cache_id_encrypt(p1, 0, other, NULL, 0, b), 0);
    assert_false(same(a, b)); /* contexts */
    assert_int_equal(esdk_cache_id_encrypt(p1, 0x0478, full, NULL, 0, b), 0);
    assert_false(same(a, b)); /* requested suite */
    const char *req[] = {"this"};
    assert_int_equal(esdk_cache_id_encrypt(p1, 0, full, req, 1, b), 0);
    assert_false(same(a, b)); /* required keys change the materials */
    assert_int_equal(esdk_cache_id_encrypt(p1, 0, full, NULL, 0, b), 0);
    assert_true(same(a, b)); /* and the same request gives the same id */

    esdk_edk one[] = {edk0()};
    esdk_edk_list *l = edk_list(one, 1);
    assert_int_equal(esdk_cache_id_decrypt(p1, 0x0478, l, full, NULL, a), 0);
    assert_int_equal(esdk_cache_id_decrypt(p1, 0x0578, l, full, NULL, b), 0);
    assert_false(same(a, b)); /* suites */
    assert_int_equal(esdk_cache_id_decrypt(p2, 0x0478, l, full, NULL, b), 0);
    assert_false(same(a, b)); /* partitions */
    assert_int_equal(esdk_cache_id_decrypt(p1, 0x0478, l, full, other, b), 0);
    assert_false(same(a, b)); /* a reproduced context changes the materials */
    assert_int_equal(esdk_cache_id_decrypt(p1, 0x0478, l, empty, NULL, b), 0);
    assert_false(same(a, b)); /* contexts */

    esdk_edk_list_release(l);
    esdk_enc_ctx_release(full);
    esdk_enc_ctx_release(empty);
    esdk_enc_ctx_release(other);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_encrypt_known_answers),
        cmocka_unit_test(test_decrypt_known_answers),
        cmocka_unit_test(test_ids_separate_requests),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
