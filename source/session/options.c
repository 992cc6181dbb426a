/* Client options: commitment policy, limits, suite and frame length. */
#include "session/options.h"

#include <aws-esdk-c/error.h>
#include <aws-esdk-c/options.h>

#include "common/mem.h"
#include "common/status.h"

/* last: poisons calls this library must not make */
#include "banned.h"

void esdk_options_defaults(struct esdk_options *o)
{
    o->policy = ESDK_COMMITMENT_REQUIRE_ENCRYPT_REQUIRE_DECRYPT;
    o->max_edks = 0;
    o->suite_id = 0;
    o->frame_length = ESDK_DEFAULT_FRAME_LENGTH;
    o->max_header_size = ESDK_DEFAULT_MAX_HEADER_SIZE;
    o->max_body_frame = 0;
    o->max_unframed_size = ESDK_DEFAULT_MAX_UNFRAMED_SIZE;
    o->accept_net_v4_0_0 = false;
    o->threads = 0;
}

int esdk_options_new(esdk_options **out)
{
    ESDK_ENSURE(out != NULL, ESDK_ERR_BAD_ARGUMENT);
    *out = esdk_mem_acquire(sizeof **out);
    if (!*out) {
        return esdk_fail(ESDK_ERR_NO_MEMORY, "cannot allocate options");
    }
    esdk_options_defaults(*out);
    return 0;
}

void esdk_options_release(esdk_options *o)
{
    esdk_mem_release(o, sizeof *o);
}

int esdk_options_set_commitment_policy(esdk_options *o, esdk_commitment_policy policy)
{
    ESDK_ENSURE(o != NULL, ESDK_ERR_BAD_ARGUMENT);
    ESDK_ENSURE(
        policy == ESDK_COMMITMENT_REQUIRE_ENCRYPT_REQUIRE_DECRYPT ||
            policy == ESDK_COMMITMENT_REQUIRE_ENCRYPT_ALLOW_DECRYPT ||
            policy == ESDK_COMMITMENT_FORBID_ENCRYPT_ALLOW_DECRYPT,
        ESDK_ERR_BAD_ARGUMENT);
    o->policy = policy;
    return 0;
}

esdk_commitment_policy esdk_options_commitment_policy(const esdk_options *o)
{
    return o ? o->policy : ESDK_COMMITMENT_REQUIRE_ENCRYPT_REQUIRE_DECRYPT;
}

int esdk_options_set_max_encrypted_data_keys(esdk_options *o, size_t max)
{
    ESDK_ENSURE(o != NULL, ESDK_ERR_BAD_ARGUMENT);
    o->max_edks = max;
    return 0;
}

int esdk_options_set_suite(esdk_options *o, uint16_t suite_id)
{
    ESDK_ENSURE(o != NULL, ESDK_ERR_BAD_ARGUMENT);
    if (suite_id && !esdk_suite_is_known(suite_id)) {
        return esdk_fail(ESDK_ERR_BAD_ARGUMENT, "unknown algorithm suite 0x%04x", suite_id);
    }
    o->suite_id = suite_id;
    return 0;
}

int esdk_options_set_frame_length(esdk_options *o, uint32_t frame_length)
{
    ESDK_ENSURE(o != NULL, ESDK_ERR_BAD_ARGUMENT);
    o->frame_length = frame_length;
    return 0;
}

int esdk_options_set_max_header_size(esdk_options *o, size_t max)
{
    ESDK_ENSURE(o != NULL && max > 0, ESDK_ERR_BAD_ARGUMENT);
    o->max_header_size = max;
    return 0;
}

int esdk_options_set_max_body_frame(esdk_options *o, uint64_t max)
{
    ESDK_ENSURE(o != NULL, ESDK_ERR_BAD_ARGUMENT);
    o->max_body_frame = max;
    return 0;
}

int esdk_options_set_max_unframed_size(esdk_options *o, uint64_t max)
{
    ESDK_ENSURE(o != NULL, ESDK_ERR_BAD_ARGUMENT);
    o->max_unframed_size = max;
    return 0;
}

int esdk_options_set_accept_net_v4_0_0(esdk_options *o, bool accept)
{
    ESDK_ENSURE(o != NULL, ESDK_ERR_BAD_ARGUMENT);
    o->accept_net_v4_0_0 = accept;
    return 0;
}

int esdk_options_set_threads(esdk_options *o, unsigned threads)
{
    ESDK_ENSURE(o != NULL && threads <= ESDK_MAX_THREADS, ESDK_ERR_BAD_ARGUMENT);
    o->threads = threads;
    return 0;
}

unsigned esdk_options_threads(const esdk_options *o)
{
    return o ? o->threads : 0;
}
