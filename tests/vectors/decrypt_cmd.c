/* esdk-vectors decrypt: run every case of a decrypt manifest and compare with its expectation.
 *
 * A case lists one or more ways to decrypt (master keys, or the members of a keyring
 * description); any one may decrypt. A positive case passes when one of them gives the
 * expected plaintext; a negative case passes only when every one of them fails. A case with
 * nothing the library can build is skipped, never passed. */
#define _POSIX_C_SOURCE 200809L

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <aws-esdk-c/esdk.h>

#include "commands.h"
#include "header_peek.h"
#include "keyring_factory.h"
#include "manifest.h"
#include "util.h"

/* Bytes per esdk_session_process call in streaming mode: small and odd, to cross every boundary. */
#define STREAM_CHUNK 37

typedef struct tally {
    size_t passed;
    size_t failed;
    size_t skipped;
} tally;

/* The outcome of one decrypt attempt. */
typedef struct attempt {
    int rc;
    char detail[300];
    vu_bytes out;
    esdk_enc_ctx *header_ctx;
} attempt;

static void attempt_failed(attempt *a, int rc)
{
    a->rc = rc;
    snprintf(a->detail, sizeof(a->detail), "%s", esdk_last_error_detail());
}

static void attempt_clear(attempt *a)
{
    vu_bytes_free(&a->out);
    esdk_enc_ctx_release(a->header_ctx);
    memset(a, 0, sizeof(*a));
}

/* ---- the two ways to decrypt ---- */

static void decrypt_one_shot(
    const esdk_options *opts,
    const kf_candidate *cand,
    const esdk_enc_ctx *reproduced,
    const uint8_t *msg,
    size_t len,
    attempt *a)
{
    esdk_buf out = ESDK_BUF_INIT;
    int rc = esdk_decrypt(
        opts,
        cand->cmm,
        cand->cmm ? NULL : cand->keyring,
        reproduced,
        msg,
        len,
        &out,
        &a->header_ctx);
    if (rc) {
        attempt_failed(a, rc);
    } else {
        vu_bytes_append(&a->out, out.data, out.len);
    }
    esdk_buf_release(&out);
}

static void decrypt_streaming(
    const esdk_options *opts,
    const kf_candidate *cand,
    const esdk_enc_ctx *reproduced,
    const uint8_t *msg,
    size_t len,
    attempt *a)
{
    esdk_session *s = NULL;
    int rc =
        cand->cmm
            ? esdk_session_new(ESDK_MODE_DECRYPT_UNSIGNED, opts, cand->cmm, &s)
            : esdk_session_new_with_keyring(ESDK_MODE_DECRYPT_UNSIGNED, opts, cand->keyring, &s);
    if (!rc && reproduced) {
        rc = esdk_session_set_context(s, reproduced);
    }
    size_t pos = 0;
    bool ended = false;
    int idle = 0;
    while (!rc && !esdk_session_is_done(s)) {
        size_t chunk = len - pos < STREAM_CHUNK ? len - pos : STREAM_CHUNK;
        size_t out_needed = 0;
        esdk_session_estimate(s, &out_needed, NULL);
        vu_bytes_reserve(&a->out, out_needed < 4096 ? 4096 : out_needed);
        size_t produced = 0, used = 0;
        rc = esdk_session_process(
            s,
            a->out.data + a->out.len,
            a->out.cap - a->out.len,
            &produced,
            msg + pos,
            chunk,
            &used);
        if (rc) {
            break;
        }
        pos += used;
        a->out.len += produced;
        if (produced || used) {
            idle = 0;
        } else if (pos == len && !ended) {
            rc = esdk_session_end_input(s);
            ended = true;
        } else if (++idle > 3) {
            esdk_session_release(s);
            a->rc = ESDK_ERR_INTERNAL;
            snprintf(
                a->detail,
                sizeof(a->detail),
                "(runner) the session stopped making progress at byte %zu of %zu",
                pos,
                len);
            return;
        }
    }
    if (!rc && pos < len) {
        /* the message ended early in the input: the session must refuse what follows */
        size_t produced = 0, used = 0;
        uint8_t sink[16];
        rc = esdk_session_process(s, sink, sizeof(sink), &produced, msg + pos, len - pos, &used);
        if (!rc) {
            esdk_session_release(s);
            a->rc = ESDK_ERR_TRAILING_DATA;
            snprintf(
                a->detail,
                sizeof(a->detail),
                "(runner) the session finished at byte %zu of %zu without refusing the rest",
                pos,
                len);
            return;
        }
    }
    if (rc) {
        attempt_failed(a, rc);
    } else if (esdk_session_header_context(s)) {
        rc = esdk_enc_ctx_clone(esdk_session_header_context(s), &a->header_ctx);
        if (rc) {
            attempt_failed(a, rc);
        }
    }
    esdk_session_release(s);
}

/* ---- one case ---- */

static void print_skip(const vec_case *c, const char *why, tally *t)
{
    printf("SKIP %s: %s\n", c->id, why);
    t->skipped++;
}

static char *expectation(const vec_case *c, bool positive, size_t plaintext_len)
{
    if (!positive && c->expect != VEC_EXPECT_ERROR) {
        return vu_xstrdup("expected failure (--expect-all-fail)");
    }
    switch (c->expect) {
        case VEC_EXPECT_PLAINTEXT:
            return vu_xasprintf("expected plaintext (%zu bytes)", plaintext_len);
        case VEC_EXPECT_SUCCESS:
            return vu_xstrdup("expected success");
        case VEC_EXPECT_ERROR:
        default:
            return vu_xasprintf("expected error (%s)", c->error_description);
    }
}

/* NULL if a successful attempt meets the expectation, else what was wrong. */
static char *check_output(const vec_case *c, const attempt *a, const uint8_t *pt, size_t pt_len)
{
    if (c->expect == VEC_EXPECT_PLAINTEXT &&
        (a->out.len != pt_len || (pt_len && memcmp(a->out.data, pt, pt_len) != 0))) {
        size_t i = 0;
        while (i < a->out.len && i < pt_len && a->out.data[i] == pt[i]) {
            i++;
        }
        return vu_xasprintf(
            "got a different plaintext (%zu bytes, first difference at byte %zu)", a->out.len, i);
    }
    if (c->expected_header_ec && !vu_ctx_equals_json(a->header_ctx, c->expected_header_ec)) {
        return vu_xstrdup("got a header encryption context unlike expected-encryption-context");
    }
    return NULL;
}

static int
make_options(const decrypt_flags *f, const vec_case *c, bool body_by_runner, esdk_options **out)
{
    esdk_options *opts;
    int rc = esdk_options_new(&opts);
    if (rc) {
        return rc;
    }
    rc = esdk_options_set_commitment_policy(opts, ESDK_COMMITMENT_REQUIRE_ENCRYPT_ALLOW_DECRYPT);
    if (!rc && c->max_edks) {
        rc = esdk_options_set_max_encrypted_data_keys(opts, c->max_edks);
    }
    if (!rc && c->has_max_body && !body_by_runner) {
        rc = esdk_options_set_max_body_frame(opts, c->max_body);
    }
    if (!rc && f->net_v4_0_0_retry) {
        rc = esdk_options_set_accept_net_v4_0_0(opts, true);
    }
    if (rc) {
        esdk_options_release(opts);
        return rc;
    }
    *out = opts;
    return 0;
}

/*
 * JS maxBodySize bounds each frame's content; esdk_options_set_max_body_frame bounds the
 * header's frame length. They agree except for a framed message whose frame length exceeds the
 * bound while every frame's content stays within it. For such a positive case the runner
 * applies the JS bound itself: it decrypts without the library's bound, then requires that no
 * frame held more than maxBodySize bytes (with frame length F > bound, that means the message
 * has only its final frame: fewer than F bytes of plaintext, and at most the bound).
 * Returns the frame length when that applies, else 0.
 */
static uint32_t
body_bound_by_runner(const vec_case *c, bool positive, const uint8_t *msg, size_t len)
{
    int type;
    uint32_t frame;
    if (!c->has_max_body || !positive || header_peek_framing(msg, len, &type, &frame) != 0) {
        return 0;
    }
    return type == 2 && frame > c->max_body ? frame : 0;
}

static char *check_body_bound(const vec_case *c, uint32_t frame, const attempt *a)
{
    if (frame && (a->out.len >= frame || a->out.len > c->max_body)) {
        return vu_xasprintf(
            "got %zu bytes of plaintext, so a frame held more than maxBodySize %" PRIu64
            " (runner-applied bound, frame length %" PRIu32 ")",
            a->out.len,
            c->max_body,
            frame);
    }
    return NULL;
}

static void run_case(const decrypt_flags *f, const vec_manifest *m, const vec_case *c, tally *t)
{
    if (c->skip_reason) {
        print_skip(c, c->skip_reason, t);
        return;
    }
    bool positive = c->expect != VEC_EXPECT_ERROR && !f->expect_all_fail;
    kf_list list = {0};
    const uint8_t *msg = NULL, *pt = NULL;
    size_t msg_len = 0, pt_len = 0;
    uint8_t *msg_owned = NULL, *pt_owned = NULL;
    esdk_enc_ctx *reproduced = NULL;
    esdk_options *opts = NULL;
    char *expected = NULL, *problem = NULL;
    attempt a = {0};
    int rc;

    if (c->fixed_key) {
        kf_add_fixed(c->fixed_key, &list);
    } else {
        const cJSON *desc;
        cJSON_ArrayForEach(desc, c->key_descs)
        {
            kf_add(m->keys, desc, KF_FOR_DECRYPT, &list);
        }
    }
    if (c->cmm == VEC_CMM_REQUIRED_EC) {
        kf_wrap_required_ec(&list, c->reproduced_ec);
    }
    if (vec_data_get(&c->ciphertext, &msg, &msg_len, &msg_owned) != 0) {
        problem = vu_xasprintf("got no ciphertext: cannot read %s", c->ciphertext.path);
    } else if (
        c->expect == VEC_EXPECT_PLAINTEXT &&
        vec_data_get(&c->plaintext, &pt, &pt_len, &pt_owned) != 0) {
        problem = vu_xasprintf("got no plaintext: cannot read %s", c->plaintext.path);
    }
    expected = expectation(c, positive, pt_len);
    if (problem) {
        goto report;
    }
    if (list.count == 0) {
        if (list.error) {
            problem = vu_xasprintf("got a manifest the runner cannot use: %s", list.error);
        } else {
            print_skip(c, list.unusable ? list.unusable : "no usable key", t);
        }
        goto report;
    }
    if (c->reproduced_ec && (rc = vu_ctx_from_json(c->reproduced_ec, &reproduced)) != 0) {
        problem = rc > 0 ? vu_xstrdup("got a reproduced encryption context that is not strings")
                         : vu_xasprintf(
                               "got %s %s building the reproduced context",
                               esdk_error_name(rc),
                               esdk_last_error_detail());
        goto report;
    }
    const uint32_t runner_frame = body_bound_by_runner(c, positive, msg, msg_len);
    if ((rc = make_options(f, c, runner_frame != 0, &opts)) != 0) {
        problem = vu_xasprintf(
            "got %s %s setting options", esdk_error_name(rc), esdk_last_error_detail());
        goto report;
    }

    for (size_t i = 0; i < list.count; i++) {
        const kf_candidate *cand = &list.items[i];
        const char *with = list.count > 1 ? cand->label : NULL;
        attempt_clear(&a);
        if (cand->build_rc) {
            a.rc = cand->build_rc;
            snprintf(a.detail, sizeof(a.detail), "%s (building the keyring)", cand->build_detail);
        } else if (c->method == VEC_METHOD_STREAMING_UNSIGNED) {
            decrypt_streaming(opts, cand, reproduced, msg, msg_len, &a);
        } else {
            decrypt_one_shot(opts, cand, reproduced, msg, msg_len, &a);
        }
        char *wrong = NULL;
        if (a.rc) {
            wrong = positive ? vu_xasprintf("got %s %s", esdk_error_name(a.rc), a.detail) : NULL;
        } else if (!positive) {
            wrong = vu_xasprintf("got success (%zu bytes of plaintext)", a.out.len);
        } else if ((wrong = check_output(c, &a, pt, pt_len)) == NULL) {
            wrong = check_body_bound(c, runner_frame, &a);
        }
        if (wrong && with) {
            char *w = vu_xasprintf("%s [with %s]", wrong, with);
            free(wrong);
            wrong = w;
        }
        if (positive && !wrong) {
            free(problem);
            problem = NULL;
            break; /* one way to decrypt is enough */
        }
        if (positive) {
            if (!problem) {
                problem = wrong; /* keep the first failure */
            } else {
                free(wrong);
            }
            continue;
        }
        if (wrong) {
            problem = wrong; /* a must-fail message decrypted */
            break;
        }
        if (f->verbose && i + 1 == list.count) {
            printf("PASS %s (%s)\n", c->id, esdk_error_name(a.rc));
        }
    }
    if (!problem) {
        t->passed++;
        if (f->verbose && positive) {
            printf("PASS %s\n", c->id);
        }
    }

report:
    if (problem) {
        printf("FAIL %s: %s, %s\n", c->id, expected, problem);
        t->failed++;
    }
    attempt_clear(&a);
    esdk_options_release(opts);
    esdk_enc_ctx_release(reproduced);
    free(expected);
    free(problem);
    free(msg_owned);
    free(pt_owned);
    kf_list_free(&list);
}

int cmd_decrypt(const char *manifest_path, const decrypt_flags *flags)
{
    vec_manifest m;
    char err[1024] = "";
    if (vec_manifest_load(manifest_path, &m, err, sizeof(err)) != 0) {
        fprintf(stderr, "esdk-vectors: %s\n", err);
        vec_manifest_free(&m);
        return 2;
    }
    tally t = {0};
    for (size_t i = 0; i < m.count; i++) {
        if (flags->filter && !strstr(m.cases[i].id, flags->filter)) {
            continue;
        }
        run_case(flags, &m, &m.cases[i], &t);
        fflush(stdout);
    }
    printf("%zu passed, %zu failed", t.passed, t.failed);
    if (t.skipped) {
        printf(", %zu skipped", t.skipped);
    }
    printf("\n");
    vec_manifest_free(&m);
    return t.failed || (flags->strict && t.skipped) ? 1 : 0;
}
