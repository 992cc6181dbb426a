/* Where a PIN comes from: an environment variable, a file or the caller (guarded memory).
 * The PIN is read only to log in, into a buffer the caller wipes. */
#ifndef ESDK_KEYRINGS_PKCS11_PIN_H
#define ESDK_KEYRINGS_PKCS11_PIN_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <aws-esdk-c/keyrings/pkcs11.h>

typedef enum esdk_p11_pin_kind {
    ESDK_P11_PIN_NONE = 0,
    ESDK_P11_PIN_ENV,
    ESDK_P11_PIN_FILE,
    ESDK_P11_PIN_VALUE,
} esdk_p11_pin_kind;

typedef struct esdk_p11_pin_source {
    esdk_p11_pin_kind kind;
    char *where;    /* the variable name or file path (ENV, FILE) */
    uint8_t *value; /* guarded memory (VALUE) */
    size_t value_len;
} esdk_p11_pin_source;

/* Replace dst with a copy of kind/where/value. */
int esdk_p11_pin_set(
    esdk_p11_pin_source *dst,
    esdk_p11_pin_kind kind,
    const char *where,
    const uint8_t *value,
    size_t value_len);
int esdk_p11_pin_copy(esdk_p11_pin_source *dst, const esdk_p11_pin_source *src);
void esdk_p11_pin_clear(esdk_p11_pin_source *src);
/* Read the PIN into buf (ESDK_PKCS11_PIN_MAX bytes); ESDK_ERR_ACCESS_DENIED if it cannot be
 * had (unset variable, unreadable or empty file). The caller wipes buf. */
int esdk_p11_pin_read(const esdk_p11_pin_source *src, uint8_t *buf, size_t *len);
/* "environment variable X", "file Y", "the caller" or "no PIN": for error texts. */
int esdk_p11_pin_describe(const esdk_p11_pin_source *src, char *out, size_t cap);

/* Remembers (as a keyed hash) a PIN the token refused, so that the keyring does not try it
 * again: a token locks its PIN after a few wrong tries. Lives as long as the keyring. */
typedef struct esdk_p11_pin_guard {
    pthread_mutex_t lock;
    uint8_t key[32];
    uint8_t refused[32];
    bool has_refused;
    unsigned long refused_rv;
} esdk_p11_pin_guard;

int esdk_p11_pin_guard_init(esdk_p11_pin_guard *g);
void esdk_p11_pin_guard_destroy(esdk_p11_pin_guard *g);
/* If pin is the one refused before: true and *rv the CKR the token gave then. */
bool esdk_p11_pin_guard_refused(
    esdk_p11_pin_guard *g, const uint8_t *pin, size_t len, unsigned long *rv);
/* Remember pin as refused with rv (rv == 0: forget any refused PIN). */
void esdk_p11_pin_guard_note(
    esdk_p11_pin_guard *g, const uint8_t *pin, size_t len, unsigned long rv);

#endif
