/* Multi-keyrings of KMS keyrings across regions (spec-facts 3.5, "multi-keyring helpers"):
 * a generator plus children, each keyring calling KMS in its own key's region, and the
 * multi-Region discovery variant with one keyring per region. */
#include <string.h>

#include <aws-esdk-c/error.h>
#include <aws-esdk-c/keyrings/kms.h>
#include <aws-esdk-c/keyrings/multi.h>

#include "common/mem.h"
#include "common/status.h"
#include "keyrings/kms/arn.h"

/* last: poisons calls this library must not make */
#include "banned.h"

typedef int (*make_fn)(const char *id, const esdk_kms_options *opts, esdk_keyring **out);

static void release_all(esdk_keyring **keyrings, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        esdk_keyring_release(keyrings[i]);
    }
}

/* A multi-keyring of make(generator) and make(ids[i]). */
static int build(
    make_fn make,
    const char *generator,
    const char *const *ids,
    size_t count,
    const esdk_kms_options *opts,
    esdk_keyring **out)
{
    ESDK_ENSURE(out != NULL && (ids != NULL || count == 0), ESDK_ERR_BAD_ARGUMENT);
    if (!generator && count == 0) {
        return esdk_fail(
            ESDK_ERR_BAD_ARGUMENT, "a KMS multi-keyring needs a generator or at least one key");
    }
    esdk_keyring *gen = NULL;
    esdk_keyring **children = count ? esdk_mem_acquire(count * sizeof *children) : NULL;
    size_t made = 0;
    int rc = 0;
    if (count && !children) {
        return esdk_fail(ESDK_ERR_NO_MEMORY, "cannot allocate a multi-keyring");
    }
    if (generator) {
        ESDK_TRY_GOTO(rc, make(generator, opts, &gen));
    }
    for (; made < count; made++) {
        ESDK_TRY_GOTO(rc, make(ids[made], opts, &children[made]));
    }
    rc = esdk_keyring_multi_new(gen, children, count, out);
cleanup:
    esdk_keyring_release(gen);
    if (children) {
        release_all(children, made);
        esdk_mem_release(children, count * sizeof *children);
    }
    return rc;
}

/* generator and ids in one list, for "MRKs are unique". */
static int check_unique(const char *generator, const char *const *ids, size_t count)
{
    const size_t n = count + (generator ? 1 : 0);
    const char **all = esdk_mem_acquire((n ? n : 1) * sizeof *all);
    if (!all) {
        return esdk_fail(ESDK_ERR_NO_MEMORY, "cannot allocate a list");
    }
    size_t k = 0;
    if (generator) {
        all[k++] = generator;
    }
    for (size_t i = 0; i < count; i++) {
        all[k++] = ids[i];
    }
    const int rc = esdk_kms_mrks_unique(all, n);
    esdk_mem_release(all, (n ? n : 1) * sizeof *all);
    return rc;
}

int esdk_kms_multi_keyring_new(
    const char *generator,
    const char *const *key_ids,
    size_t count,
    const esdk_kms_options *opts,
    esdk_keyring **out)
{
    return build(esdk_kms_keyring_new, generator, key_ids, count, opts, out);
}

int esdk_kms_mrk_multi_keyring_new(
    const char *generator,
    const char *const *key_ids,
    size_t count,
    const esdk_kms_options *opts,
    esdk_keyring **out)
{
    ESDK_ENSURE(key_ids != NULL || count == 0, ESDK_ERR_BAD_ARGUMENT);
    ESDK_TRY(check_unique(generator, key_ids, count));
    return build(esdk_kms_mrk_keyring_new, generator, key_ids, count, opts, out);
}

int esdk_kms_mrk_discovery_multi_keyring_new(
    const char *const *regions, size_t count, const esdk_kms_options *opts, esdk_keyring **out)
{
    ESDK_ENSURE(regions != NULL || count == 0, ESDK_ERR_BAD_ARGUMENT);
    if (count == 0) {
        return esdk_fail(
            ESDK_ERR_BAD_ARGUMENT,
            "a multi-Region discovery multi-keyring needs at least one region");
    }
    return build(esdk_kms_mrk_discovery_keyring_new, NULL, regions, count, opts, out);
}
