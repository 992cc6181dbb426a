/**
 * @file keyrings/multi.h
 * The multi-keyring: one generator keyring and any number of child keyrings behind one
 * keyring handle. It is how a message is wrapped under several keys at once (several
 * regions, an escrow key, an HSM and a software key) and opened by whichever is at hand.
 */
#ifndef ESDK_KEYRINGS_MULTI_H
#define ESDK_KEYRINGS_MULTI_H

#include <stddef.h>

#include <aws-esdk-c/export.h>
#include <aws-esdk-c/keyring.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * A multi-keyring over generator (may be NULL) and children[0..child_count) (children may be
 * NULL when child_count is 0); at least one keyring must be given, none may be NULL. Every
 * keyring is retained (the caller keeps its own references; a keyring may sit in several
 * multi-keyrings).
 *
 * Encrypt: with a generator, the materials must not hold a data key yet; the generator makes
 * it and wraps it. Without one, the materials must already hold a data key (ESDK_ERR_BAD_STATE
 * otherwise). Then every child wraps the same data key, in order. Any failure fails the whole
 * call with that keyring's code (detail "multi-keyring: child 2 raw-aes failed: CODE: ..."), and
 * the materials are left as they were: a message is never written that some of the
 * configured keys could not open.
 *
 * Decrypt: the generator, then each child, is given the full EDK list; the first that
 * produces a data key wins and the rest are not called. When all fail, the code is
 *  - ESDK_ERR_CANNOT_DECRYPT if at least one keyring reported ESDK_ERR_CANNOT_DECRYPT (it was
 *    reachable and held no key for this message);
 *  - otherwise the code every keyring reported, if they all reported the same one (e.g.
 *    ESDK_ERR_UNAVAILABLE when no backend could be reached: retrying may help);
 *  - otherwise ESDK_ERR_KEYRING.
 * The detail lists each keyring's failure in call order:
 * "multi-keyring: no keyring could decrypt: [generator raw-aes] ESDK_ERR_CANNOT_DECRYPT: ...;
 * [child 1 my-kms] ESDK_ERR_UNAVAILABLE: ..." (cut at the detail length limit).
 *
 * The multi-keyring holds no secret of its own; it is immutable and may be used from several
 * threads when its keyrings may.
 *
 * @param generator the keyring that generates the data key (retained), or NULL
 * @param children the other keyrings (each retained; the array is copied)
 * @param child_count number of children
 * @param[out] out the multi-keyring; caller releases with esdk_keyring_release()
 * @retval 0 success
 * @retval ESDK_ERR_BAD_ARGUMENT no keyring at all, a NULL child, or a NULL out
 * @retval ESDK_ERR_NO_MEMORY allocation failed
 */
ESDK_API ESDK_MUST_USE int esdk_keyring_multi_new(
    esdk_keyring *generator, esdk_keyring *const *children, size_t child_count, esdk_keyring **out);

#ifdef __cplusplus
}
#endif
#endif
