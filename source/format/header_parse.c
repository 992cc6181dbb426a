/* Header parsing over untrusted bytes. Every count and length is checked against what
 * remains and against the configured limits before anything is allocated. */
#include <string.h>

#include <aws-esdk-c/error.h>

#include "common/mem.h"
#include "common/status.h"
#include "format/context.h"
#include "format/header.h"

/* last: poisons calls this library must not make */
#include "banned.h"

#define V1_TYPE_CUSTOMER_AED 0x80

/* Shorthands: a short read means "need more", never "malformed". */
#define NEED(cond)                                                                                 \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            return ESDK_NEED_MORE;                                                                 \
        }                                                                                          \
    } while (0)
#define BAD(cond, msg)                                                                             \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            return esdk_fail(ESDK_ERR_BAD_CIPHERTEXT, "%s", msg);                                  \
        }                                                                                          \
    } while (0)

static int parse_prefix(esdk_cur *c, esdk_header *h)
{
    uint8_t version, type;
    uint16_t suite_id;
    NEED(esdk_cur_read_u8(c, &version));
    if (version == 0x41 || version == 0x59) {
        /* 'A'... : a base64 text of a message (v1 starts "AY", v2 "AgV4"/"AgR4") */
        return esdk_fail(ESDK_ERR_BAD_CIPHERTEXT, "message looks base64-encoded; decode it first");
    }
    BAD(version == 1 || version == 2, "unknown message format version");
    if (version == 1) {
        NEED(esdk_cur_read_u8(c, &type));
        BAD(type == V1_TYPE_CUSTOMER_AED, "unknown message type");
    }
    NEED(esdk_cur_read_be16(c, &suite_id));
    h->suite = esdk_suite_info_get(suite_id);
    BAD(h->suite != NULL, "unknown algorithm suite");
    BAD(h->suite->message_version == version, "message version does not match the suite");
    h->version = version;
    h->message_id_len = esdk_suite_message_id_len(h->suite);
    NEED(esdk_cur_copy(c, h->message_id, h->message_id_len));
    return 0;
}

static int parse_edks(esdk_cur *c, const esdk_header_limits *limits, esdk_header *h)
{
    uint16_t count;
    NEED(esdk_cur_read_be16(c, &count));
    BAD(count > 0, "header has no encrypted data keys");
    if (limits->max_edks && count > limits->max_edks) {
        return esdk_fail(
            ESDK_ERR_TOO_MANY_EDKS,
            "message has %u encrypted data keys, the limit is %zu",
            (unsigned)count,
            limits->max_edks);
    }
    /* First walk the entries without copying (so a short input costs nothing), then copy. */
    esdk_cur walk = *c;
    for (uint16_t i = 0; i < count; i++) {
        esdk_cur f;
        for (int k = 0; k < 3; k++) {
            NEED(esdk_cur_take_be16_prefixed(&walk, &f));
        }
    }
    ESDK_TRY(esdk_edk_list_new(&h->edks));
    for (uint16_t i = 0; i < count; i++) {
        esdk_cur f[3];
        for (int k = 0; k < 3; k++) {
            (void)esdk_cur_take_be16_prefixed(c, &f[k]);
        }
        esdk_edk e = {f[0].ptr, f[0].len, f[1].ptr, f[1].len, f[2].ptr, f[2].len};
        ESDK_TRY(esdk_edk_list_append(h->edks, &e));
    }
    return 0;
}

static int parse_tail(esdk_cur *c, esdk_header *h)
{
    uint8_t iv_len = ESDK_HEADER_IV_LEN;
    NEED(esdk_cur_read_u8(c, &h->content_type));
    BAD(h->content_type == ESDK_CONTENT_FRAMED || h->content_type == ESDK_CONTENT_UNFRAMED,
        "unknown content type");
    if (h->version == 1) {
        uint32_t reserved;
        NEED(esdk_cur_read_be32(c, &reserved));
        BAD(reserved == 0, "reserved header field is not zero");
        NEED(esdk_cur_read_u8(c, &iv_len));
        BAD(iv_len == ESDK_HEADER_IV_LEN, "IV length does not match the suite");
    }
    NEED(esdk_cur_read_be32(c, &h->frame_length));
    BAD((h->content_type == ESDK_CONTENT_FRAMED) == (h->frame_length != 0),
        "frame length does not match the content type");
    if (h->version == 2) {
        NEED(esdk_cur_copy(c, h->suite_data, ESDK_COMMIT_KEY_LEN));
    }
    return 0;
}

static int parse_auth(esdk_cur *c, esdk_header *h)
{
    if (h->version == 1) {
        NEED(esdk_cur_copy(c, h->auth_iv, ESDK_HEADER_IV_LEN));
    }
    NEED(esdk_cur_copy(c, h->auth_tag, ESDK_HEADER_TAG_LEN));
    return 0;
}

static int parse_all(esdk_cur *c, const esdk_header_limits *limits, esdk_header *h)
{
    const size_t start = c->len;
    esdk_cur aad;
    ESDK_TRY(parse_prefix(c, h));
    NEED(esdk_cur_take_be16_prefixed(c, &aad));
    ESDK_TRY(parse_edks(c, limits, h));
    ESDK_TRY(parse_tail(c, h));
    h->body_len = start - c->len;
    ESDK_TRY(parse_auth(c, h));
    h->total_len = start - c->len;
    /* The context is parsed last: its bytes stay in the input, the tag covers them raw. */
    return esdk_enc_ctx_parse(aad, &h->context);
}

int esdk_header_parse(esdk_cur *in, const esdk_header_limits *limits, esdk_header *h, size_t *need)
{
    static const esdk_header_limits none = {0, 0};
    esdk_cur c = *in;
    limits = limits ? limits : &none;
    memset(h, 0, sizeof *h);
    int rc = parse_all(&c, limits, h);
    if (rc == ESDK_NEED_MORE) {
        /* At least one more byte than we have; a caller may read more at once. */
        *need = in->len + 1;
        if (limits->max_header_size && in->len >= limits->max_header_size) {
            rc = esdk_fail(
                ESDK_ERR_LIMIT_EXCEEDED,
                "header exceeds the configured %zu bytes",
                limits->max_header_size);
        }
    } else if (rc == 0 && limits->max_header_size && h->total_len > limits->max_header_size) {
        rc = esdk_fail(
            ESDK_ERR_LIMIT_EXCEEDED,
            "header exceeds the configured %zu bytes",
            limits->max_header_size);
    }
    if (rc != 0) {
        esdk_header_cleanup(h);
        return rc;
    }
    *in = c;
    return 0;
}

void esdk_header_cleanup(esdk_header *h)
{
    if (h) {
        esdk_enc_ctx_release(h->context);
        esdk_edk_list_release(h->edks);
        memset(h, 0, sizeof *h);
    }
}
