/* Internal view of materials: the signing and verification keys, which only the session
 * and CMMs touch. */
#ifndef ESDK_MATERIALS_MATERIALS_H
#define ESDK_MATERIALS_MATERIALS_H

#include <aws-esdk-c/materials.h>

#include "crypto/ecdsa.h"
#include "format/suite_info.h"

const esdk_sig_key *esdk_enc_materials_signing_key(const esdk_enc_materials *m);
const esdk_sig_key *esdk_dec_materials_verification_key(const esdk_dec_materials *m);
const esdk_suite_info *esdk_enc_materials_suite_info(const esdk_enc_materials *m);
/* Undo support for the keyring contract checks. */
void esdk_enc_materials_rollback(esdk_enc_materials *m, size_t edk_count, bool had_data_key);
void esdk_dec_materials_clear_data_key(esdk_dec_materials *m);
/* Required keys as an array (borrowed). */
const char *const *esdk_enc_materials_required_keys(const esdk_enc_materials *m, size_t *count);
const char *const *esdk_dec_materials_required_keys(const esdk_dec_materials *m, size_t *count);

#endif
