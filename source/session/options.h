/* The options struct, shared by the session and the one-shot calls. */
#ifndef ESDK_SESSION_OPTIONS_H
#define ESDK_SESSION_OPTIONS_H

#include <aws-esdk-c/options.h>

struct esdk_options {
    esdk_commitment_policy policy;
    size_t max_edks;
    uint16_t suite_id;
    uint32_t frame_length;
    size_t max_header_size;
    uint64_t max_body_frame;
    uint64_t max_unframed_size;
    bool accept_net_v4_0_0;
    unsigned threads; /* 0 = automatic */
};

void esdk_options_defaults(struct esdk_options *o);

#endif
