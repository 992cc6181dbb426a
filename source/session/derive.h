/* Message key derivation and key commitment (spec-facts 2.2). */
#ifndef ESDK_SESSION_DERIVE_H
#define ESDK_SESSION_DERIVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "format/suite_info.h"

/*
 * Derive the message's encryption key (suite key length) from the data key. For committing
 * suites also the commit key (32 bytes; commit may be NULL otherwise). legacy_info: the .NET
 * 4.0.0 bug (HKDF info = suite id only), for reading those messages on request.
 */
int esdk_derive_message_key(
    const esdk_suite_info *suite,
    const uint8_t *data_key,
    const uint8_t *message_id,
    size_t message_id_len,
    bool legacy_info,
    uint8_t *key,
    uint8_t *commit);

#endif
