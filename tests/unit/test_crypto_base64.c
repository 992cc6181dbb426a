/* Base64 (source/crypto/base64.c): RFC 4648 section 10 vectors, whitespace, appending to a
 * buffer that holds data, round trips, and invalid text. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <aws-esdk-c/buffer.h>
#include <aws-esdk-c/error.h>

#include "crypto/base64.h"

static const struct {
    const char *bin, *text;
} rfc4648[] = {
    {"", ""},
    {"f", "Zg=="},
    {"fo", "Zm8="},
    {"foo", "Zm9v"},
    {"foob", "Zm9vYg=="},
    {"fooba", "Zm9vYmE="},
    {"foobar", "Zm9vYmFy"},
};

static void test_rfc4648(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof rfc4648 / sizeof rfc4648[0]; i++) {
        const char *bin = rfc4648[i].bin, *text = rfc4648[i].text;
        esdk_buf b = ESDK_BUF_INIT;
        assert_int_equal(esdk_base64_encode((const uint8_t *)bin, strlen(bin), &b), 0);
        assert_int_equal(b.len, strlen(text));
        assert_memory_equal(b.data, text, b.len);
        assert_int_equal(b.data[b.len], '\0'); /* NUL written, not counted */
        esdk_buf_release(&b);
        assert_int_equal(esdk_base64_decode(text, strlen(text), &b), 0);
        assert_int_equal(b.len, strlen(bin));
        if (b.len) {
            assert_memory_equal(b.data, bin, b.len);
        }
        esdk_buf_release(&b);
    }
}

/* Both directions append after what the buffer already holds. */
static void test_append(void **state)
{
    (void)state;
    esdk_buf b = ESDK_BUF_INIT;
    assert_int_equal(esdk_base64_encode((const uint8_t *)"f", 1, &b), 0);
    assert_int_equal(esdk_base64_encode((const uint8_t *)"foo", 3, &b), 0);
    assert_int_equal(b.len, 8);
    assert_memory_equal(b.data, "Zg==Zm9v", 8);
    assert_int_equal(esdk_base64_decode("YmFy", 4, &b), 0);
    assert_int_equal(b.len, 11);
    assert_memory_equal(b.data, "Zg==Zm9vbar", 11);
    esdk_buf_release(&b);
}

static void test_whitespace(void **state)
{
    (void)state;
    static const char *const ok[] = {
        "Zm9v\r\nYmFy\n", " Zm9vYmFy", "Zm9v YmFy", "\tZm9v\tYmFy\t", "Zm 9v Ym Fy", "\n"};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        esdk_buf b = ESDK_BUF_INIT;
        assert_int_equal(esdk_base64_decode(ok[i], strlen(ok[i]), &b), 0);
        if (i + 1 < sizeof ok / sizeof ok[0]) {
            assert_int_equal(b.len, 6);
            assert_memory_equal(b.data, "foobar", 6);
        } else {
            assert_int_equal(b.len, 0);
        }
        esdk_buf_release(&b);
    }
    /* padding with whitespace around it */
    esdk_buf b = ESDK_BUF_INIT;
    assert_int_equal(esdk_base64_decode("Zm9vYg= =\n", 10, &b), 0);
    assert_int_equal(b.len, 4);
    esdk_buf_release(&b);
}

static void test_invalid(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        size_t len;
    } bad[] = {
        {"Zm9v!", 5},      /* not in the alphabet */
        {"Zm9vY", 5},      /* a lone sextet */
        {"Zm9vYg", 6},     /* missing padding */
        {"Zm9vYg=", 7},    /* half the padding */
        {"Zm9vYmE==", 9},  /* too much padding */
        {"Zm9v=", 5},      /* padding after a full group */
        {"Zg==Zg==", 8},   /* data after the padding */
        {"Zm9v-_Fy", 8},   /* URL-safe alphabet */
        {"Zm9v\0YmFy", 9}, /* NUL inside (libsodium alone would skip it) */
        {"Zm9v\vYmFy", 9}, /* whitespace other than space, tab, CR, LF */
        {"Zh==", 4},       /* non-zero bits in the padding */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        esdk_buf b = ESDK_BUF_INIT;
        assert_int_equal(esdk_base64_decode(bad[i].text, bad[i].len, &b), ESDK_ERR_BAD_ARGUMENT);
        assert_int_equal(b.len, 0);
        esdk_buf_release(&b);
    }
    esdk_buf b = ESDK_BUF_INIT;
    assert_int_equal(esdk_base64_decode(NULL, 3, &b), ESDK_ERR_BAD_ARGUMENT);
    assert_int_equal(esdk_base64_decode(NULL, 0, &b), 0);
    assert_int_equal(esdk_base64_decode("Zg==", 4, NULL), ESDK_ERR_BAD_ARGUMENT);
    esdk_buf_release(&b);
}

static void test_round_trip(void **state)
{
    (void)state;
    uint8_t bin[300];
    for (size_t i = 0; i < sizeof bin; i++) {
        bin[i] = (uint8_t)(i * 151 + 7);
    }
    for (size_t n = 0; n <= sizeof bin; n += (n < 70 ? 1 : 23)) {
        esdk_buf text = ESDK_BUF_INIT, back = ESDK_BUF_INIT;
        assert_int_equal(esdk_base64_encode(bin, n, &text), 0);
        assert_int_equal(text.len, (n + 2) / 3 * 4);
        assert_int_equal(esdk_base64_decode((const char *)text.data, text.len, &back), 0);
        assert_int_equal(back.len, n);
        if (n) {
            assert_memory_equal(back.data, bin, n);
        }
        esdk_buf_release(&text);
        esdk_buf_release(&back);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rfc4648),
        cmocka_unit_test(test_append),
        cmocka_unit_test(test_whitespace),
        cmocka_unit_test(test_invalid),
        cmocka_unit_test(test_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
