/* PIN sources. A PIN is read only to log in, into the caller's buffer, and its bytes never
 * reach an error text. */
#include "keyrings/pkcs11/pin.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <aws-esdk-c/error.h>

#include "common/mem.h"
#include "common/status.h"
#include "crypto/hash.h"
#include "crypto/random.h"
#include "crypto/secure_mem.h"

/* last: poisons calls this library must not make */
#include "banned.h"

void esdk_p11_pin_clear(esdk_p11_pin_source *src)
{
    esdk_str_release(src->where);
    esdk_secure_free(src->value);
    src->kind = ESDK_P11_PIN_NONE;
    src->where = NULL;
    src->value = NULL;
    src->value_len = 0;
}

int esdk_p11_pin_set(
    esdk_p11_pin_source *dst,
    esdk_p11_pin_kind kind,
    const char *where,
    const uint8_t *value,
    size_t value_len)
{
    esdk_p11_pin_source n = {kind, NULL, NULL, 0};
    if (value_len > ESDK_PKCS11_PIN_MAX) {
        return esdk_fail(
            ESDK_ERR_BAD_ARGUMENT, "a PKCS#11 PIN is at most %d bytes", ESDK_PKCS11_PIN_MAX);
    }
    if (where && !(n.where = esdk_str_copy(where))) {
        return esdk_fail(ESDK_ERR_NO_MEMORY, "cannot copy a PIN source");
    }
    if (kind == ESDK_P11_PIN_VALUE) {
        n.value = esdk_secure_alloc(value_len ? value_len : 1);
        if (!n.value) {
            esdk_str_release(n.where);
            return esdk_fail(ESDK_ERR_NO_MEMORY, "cannot allocate guarded memory for a PIN");
        }
        if (value_len) {
            memcpy(n.value, value, value_len);
        }
        n.value_len = value_len;
    }
    esdk_p11_pin_clear(dst);
    *dst = n;
    return 0;
}

int esdk_p11_pin_copy(esdk_p11_pin_source *dst, const esdk_p11_pin_source *src)
{
    return esdk_p11_pin_set(dst, src->kind, src->where, src->value, src->value_len);
}

/* Drop trailing CR, LF, spaces and tabs. */
static size_t trim(const uint8_t *buf, size_t len)
{
    while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r' || buf[len - 1] == ' ' ||
                       buf[len - 1] == '\t')) {
        len--;
    }
    return len;
}

static int read_file(const char *path, uint8_t *buf, size_t *len)
{
    uint8_t tmp[ESDK_PKCS11_PIN_MAX + 2];
    size_t n = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return esdk_fail(
            ESDK_ERR_ACCESS_DENIED, "cannot read the PIN file %s: %s", path, strerror(errno));
    }
    for (;;) {
        ssize_t r = read(fd, tmp + n, sizeof tmp - n);
        if (r < 0 && errno == EINTR) {
            continue;
        }
        if (r < 0) {
            int e = errno;
            close(fd);
            esdk_wipe(tmp, sizeof tmp);
            return esdk_fail(
                ESDK_ERR_ACCESS_DENIED, "cannot read the PIN file %s: %s", path, strerror(e));
        }
        if (r == 0 || (n += (size_t)r) == sizeof tmp) {
            break;
        }
    }
    close(fd);
    n = trim(tmp, n);
    if (n == 0 || n > ESDK_PKCS11_PIN_MAX) {
        esdk_wipe(tmp, sizeof tmp);
        return esdk_fail(
            ESDK_ERR_ACCESS_DENIED,
            "the PIN file %s is %s",
            path,
            n == 0 ? "empty" : "longer than 256 bytes");
    }
    memcpy(buf, tmp, n);
    *len = n;
    esdk_wipe(tmp, sizeof tmp);
    return 0;
}

int esdk_p11_pin_read(const esdk_p11_pin_source *src, uint8_t *buf, size_t *len)
{
    switch (src->kind) {
        case ESDK_P11_PIN_ENV: {
            const char *v = getenv(src->where);
            if (!v || !*v) {
                return esdk_fail(
                    ESDK_ERR_ACCESS_DENIED,
                    "no PIN: the environment variable %s is not set",
                    src->where);
            }
            size_t n = strlen(v);
            if (n > ESDK_PKCS11_PIN_MAX) {
                return esdk_fail(
                    ESDK_ERR_ACCESS_DENIED,
                    "the PIN in the environment variable %s is longer than 256 bytes",
                    src->where);
            }
            memcpy(buf, v, n);
            *len = n;
            return 0;
        }
        case ESDK_P11_PIN_FILE:
            return read_file(src->where, buf, len);
        case ESDK_P11_PIN_VALUE:
            memcpy(buf, src->value, src->value_len);
            *len = src->value_len;
            return 0;
        case ESDK_P11_PIN_NONE:
        default:
            return esdk_fail(ESDK_ERR_ACCESS_DENIED, "no PIN configured");
    }
}

int esdk_p11_pin_describe(const esdk_p11_pin_source *src, char *out, size_t cap)
{
    switch (src->kind) {
        case ESDK_P11_PIN_ENV:
            return snprintf(out, cap, "the PIN from environment variable %s", src->where);
        case ESDK_P11_PIN_FILE:
            return snprintf(out, cap, "the PIN from file %s", src->where);
        case ESDK_P11_PIN_VALUE:
            return snprintf(out, cap, "the PIN given by the application");
        case ESDK_P11_PIN_NONE:
        default:
            return snprintf(out, cap, "no PIN");
    }
}

int esdk_p11_pin_guard_init(esdk_p11_pin_guard *g)
{
    memset(g, 0, sizeof *g);
    if (pthread_mutex_init(&g->lock, NULL) != 0) {
        return esdk_fail(ESDK_ERR_NO_MEMORY, "cannot create a mutex");
    }
    int rc = esdk_random_bytes(g->key, sizeof g->key);
    if (rc != 0) {
        pthread_mutex_destroy(&g->lock);
    }
    return rc;
}

void esdk_p11_pin_guard_destroy(esdk_p11_pin_guard *g)
{
    pthread_mutex_destroy(&g->lock);
    esdk_wipe(g, sizeof *g);
}

static bool digest(const esdk_p11_pin_guard *g, const uint8_t *pin, size_t len, uint8_t out[32])
{
    return esdk_hmac(ESDK_HASH_SHA256, g->key, sizeof g->key, pin, len, out) == 0;
}

bool esdk_p11_pin_guard_refused(
    esdk_p11_pin_guard *g, const uint8_t *pin, size_t len, unsigned long *rv)
{
    uint8_t d[32];
    bool refused = false;
    pthread_mutex_lock(&g->lock);
    if (g->has_refused && digest(g, pin, len, d) && esdk_ct_equal(d, g->refused, sizeof d)) {
        refused = true;
        *rv = g->refused_rv;
    }
    pthread_mutex_unlock(&g->lock);
    esdk_wipe(d, sizeof d);
    return refused;
}

void esdk_p11_pin_guard_note(
    esdk_p11_pin_guard *g, const uint8_t *pin, size_t len, unsigned long rv)
{
    pthread_mutex_lock(&g->lock);
    g->has_refused = rv != 0 && digest(g, pin, len, g->refused);
    g->refused_rv = rv;
    pthread_mutex_unlock(&g->lock);
}
