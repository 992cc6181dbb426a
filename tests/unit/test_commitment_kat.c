/* The official "Message Format V2 Test Vectors" (kat-commitment-v2): key derivation, the
 * commit key, and whole-message decrypt with the given data key. Positive cases must give
 * the plaintext; status:false cases must be refused. Reads ../shared; skips without it. */
#include <cjson/cJSON.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "format/suite_info.h"
#include "session/derive.h"
#include "support/test_support.h"

static void run_file(const char *path, int *checked)
{
    size_t len;
    char *text = (char *)test_read_file(path, &len);
    assert_non_null(text);
    text[len] = '\0';
    cJSON *root = cJSON_Parse(text);
    assert_non_null(root);
    cJSON *t;
    cJSON_ArrayForEach(t, cJSON_GetObjectItem(root, "tests"))
    {
        size_t ct_len, dek_len, mid_len, cek_len, commit_len;
        uint8_t *ct = test_base64(cJSON_GetObjectItem(t, "ciphertext")->valuestring, &ct_len);
        uint8_t *dek = test_base64(cJSON_GetObjectItem(t, "decrypted-dek")->valuestring, &dek_len);
        uint8_t *mid = test_base64(cJSON_GetObjectItem(t, "message-id")->valuestring, &mid_len);
        cJSON *cek_item = cJSON_GetObjectItem(t, "content-encryption-key");
        cJSON *commit_item = cJSON_GetObjectItem(t, "commitment");
        uint8_t *cek = cek_item ? test_base64(cek_item->valuestring, &cek_len) : NULL;
        uint8_t *commit = commit_item ? test_base64(commit_item->valuestring, &commit_len) : NULL;
        bool positive = cJSON_IsTrue(cJSON_GetObjectItem(t, "status"));
        uint16_t suite_id = (uint16_t)((ct[1] << 8) | ct[2]);
        const esdk_suite_info *suite = esdk_suite_info_get(suite_id);
        assert_non_null(suite);
        /* key derivation: the content key and the commit key match the vector's */
        uint8_t key[32], ck[32];
        assert_int_equal(esdk_derive_message_key(suite, dek, mid, mid_len, false, key, ck), 0);
        /* the negative vectors pair a data key with another message's keys: check positives */
        if (positive && cek) {
            assert_memory_equal(key, cek, 32);
        }
        if (positive && commit) {
            assert_memory_equal(ck, commit, 32);
        }
        /* whole message with a keyring that returns this data key */
        uint8_t dk[32] = {0};
        memcpy(dk, dek, dek_len);
        esdk_keyring *kr = test_fixed_keyring(dk, NULL);
        esdk_options *o;
        assert_int_equal(esdk_options_new(&o), 0);
        esdk_buf pt = ESDK_BUF_INIT;
        int rc = esdk_decrypt(o, NULL, kr, NULL, ct, ct_len, &pt, NULL);
        const char *id = cJSON_GetObjectItem(t, "id")->valuestring;
        if (positive) {
            if (rc) {
                print_error("%s: %s %s\n", id, esdk_error_name(rc), esdk_last_error_detail());
            }
            assert_int_equal(rc, 0);
            size_t off = 0;
            cJSON *f;
            cJSON_ArrayForEach(f, cJSON_GetObjectItem(t, "plaintext-frames"))
            {
                size_t fl = strlen(f->valuestring);
                assert_true(off + fl <= pt.len);
                assert_memory_equal(pt.data + off, f->valuestring, fl);
                off += fl;
            }
            assert_int_equal(off, pt.len);
        } else {
            assert_int_equal(rc, ESDK_ERR_COMMITMENT_MISMATCH);
            assert_int_equal(pt.len, 0);
        }
        (*checked)++;
        esdk_buf_release(&pt);
        esdk_options_release(o);
        esdk_keyring_release(kr);
        free(ct);
        free(dek);
        free(mid);
        free(cek);
        free(commit);
    }
    cJSON_Delete(root);
    free(text);
}

/* spec: suite-2 */
static void test_commitment_vectors(void **state)
{
    (void)state;
    if (!test_shared_dir_exists()) {
        skip();
    }
    int checked = 0;
    run_file(
        ESDK_SHARED_DIR "/vectors/official/kat-commitment-v2/commitment-test-vectors.json",
        &checked);
    run_file(
        ESDK_SHARED_DIR "/vectors/official-extra/kat-commitment-v2/commitment-test-vectors.json",
        &checked);
    assert_int_equal(checked, 46);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_commitment_vectors)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
