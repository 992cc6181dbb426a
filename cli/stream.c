/* The streaming loop for one job. */
#include "stream.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "enc_context.h"
#include "io.h"
#include "log.h"
#include "overwrite.h"
#include "progress.h"

#define OUT_CAP (CLI_IO_CHUNK + 16 * 1024)

/* The state of one job. */
typedef struct job_state {
    const cli_job *job;
    esdk_session *s;
    cli_source src;
    bool src_open;
    cli_sink sink;
    bool sink_open;
    cli_progress progress;
    bool header_seen;
    cJSON *header;
    cli_ctx_mismatch mismatch;
} job_state;

int cli_runner_init(
    cli_runner *r, const cli_config *cfg, esdk_options *opts, esdk_cmm *cmm, cli_metadata *m)
{
    memset(r, 0, sizeof *r);
    r->cfg = cfg;
    r->opts = opts;
    r->cmm = cmm;
    r->metadata = m;
    /* ciphertext follows the umask; plaintext stays private to the user (0600) */
    r->file_mode = cfg->mode == ESDK_MODE_ENCRYPT ? (0666 & ~cli_io_umask()) : 0600;
    r->in_cap = CLI_IO_CHUNK;
    r->out_cap = OUT_CAP;
    r->in = malloc(r->in_cap);
    r->out = malloc(r->out_cap);
    if (!r->in || !r->out) {
        cli_runner_free(r);
        return -1;
    }
    return 0;
}

void cli_runner_free(cli_runner *r)
{
    if (r->in) {
        explicit_bzero(r->in, r->in_cap);
    }
    if (r->out) {
        explicit_bzero(r->out, r->out_cap);
    }
    free(r->in);
    free(r->out);
    esdk_enc_ctx_release(r->context);
    r->in = r->out = NULL;
    r->context = NULL;
}

static const char *shown(const char *path, const char *dash)
{
    return strcmp(path, "-") == 0 ? dash : path;
}

/* Once the header exists: metadata, and on decrypt the -c check before any plaintext. */
static int on_header(cli_runner *r, job_state *st, cli_err *err)
{
    st->header_seen = true;
    uint16_t suite = esdk_session_suite(st->s);
    cli_info(
        "%s: %s, frame length %u",
        shown(st->job->input, "<stdin>"),
        esdk_suite_name(suite),
        esdk_session_frame_length(st->s));
    if (r->metadata->f) {
        st->header = cli_metadata_header(st->s);
        if (!st->header) {
            return cli_err_set(err, ESDK_ERR_NO_MEMORY, "out of memory");
        }
    }
    if (r->cfg->mode != ESDK_MODE_ENCRYPT && r->cfg->context.count) {
        return cli_context_check(
            &r->cfg->context, esdk_session_header_context(st->s), &st->mismatch, err);
    }
    return 0;
}

/* One process call and the writing of its output. */
static int step(
    cli_runner *r,
    job_state *st,
    const uint8_t *in,
    size_t in_len,
    size_t *used,
    size_t *produced,
    cli_err *err)
{
    int rc = esdk_session_process(st->s, r->out, r->out_cap, produced, in, in_len, used);
    if (rc) {
        return cli_err_lib(err, rc);
    }
    if (!st->header_seen && esdk_session_has_header(st->s)) {
        rc = on_header(r, st, err);
        if (rc) {
            explicit_bzero(r->out, *produced); /* nothing of this message is released */
            return rc;
        }
    }
    return cli_sink_write(&st->sink, r->out, *produced, err);
}

static int read_more(cli_runner *r, job_state *st, size_t *got, bool *eof, cli_err *err)
{
    if (cli_source_read(&st->src, r->in, r->in_cap, got, err) != 0) {
        return err->rc;
    }
    cli_progress_update(&st->progress, st->src.consumed);
    if (*got == 0) {
        *eof = true;
        int rc = esdk_session_end_input(st->s);
        return rc ? cli_err_lib(err, rc) : 0;
    }
    return 0;
}

/* Decrypt: bytes after a complete message are an error (the session says so). */
static int
check_trailing(cli_runner *r, job_state *st, size_t off, size_t got, bool eof, cli_err *err)
{
    while (!(eof && off == got)) {
        size_t used, produced;
        if (off == got) {
            if (cli_source_read(&st->src, r->in, r->in_cap, &got, err) != 0) {
                return err->rc;
            }
            off = 0;
            eof = got == 0;
            continue;
        }
        int rc = esdk_session_process(
            st->s, r->out, r->out_cap, &produced, r->in + off, got - off, &used);
        return rc ? cli_err_lib(err, rc)
                  : cli_err_set(err, ESDK_ERR_TRAILING_DATA, "bytes follow the end of the message");
    }
    return 0;
}

static int pump(cli_runner *r, job_state *st, cli_err *err)
{
    size_t got = 0, off = 0;
    bool eof = false;
    int idle = 0;
    while (!esdk_session_is_done(st->s)) {
        size_t used, produced;
        if (off == got && !eof) {
            off = 0;
            if (read_more(r, st, &got, &eof, err) != 0) {
                return err->rc;
            }
        }
        if (step(r, st, r->in + off, got - off, &used, &produced, err) != 0) {
            return err->rc;
        }
        off += used;
        idle = (used == 0 && produced == 0 && (eof || off < got)) ? idle + 1 : 0;
        if (idle > 2 && !esdk_session_is_done(st->s)) {
            return cli_err_set(
                err,
                eof ? ESDK_ERR_TRUNCATED : ESDK_ERR_INTERNAL,
                eof ? "the message ends before it is complete" : "the session made no progress");
        }
    }
    return r->cfg->mode == ESDK_MODE_ENCRYPT ? 0 : check_trailing(r, st, off, got, eof, err);
}

/* Session with the options, the context and (encrypt) the plaintext length. */
static int start_session(cli_runner *r, job_state *st, cli_err *err)
{
    const cli_config *cfg = r->cfg;
    int rc = esdk_session_new(cfg->mode, r->opts, r->cmm, &st->s);
    if (!rc && cfg->mode == ESDK_MODE_ENCRYPT && r->context) {
        rc = esdk_session_set_context(st->s, r->context);
    }
    if (rc) {
        return cli_err_lib(err, rc);
    }
    if (cfg->mode != ESDK_MODE_ENCRYPT) {
        return 0;
    }
    if (st->src.size_known && !st->src.decode) {
        rc = esdk_session_set_plaintext_length(st->s, st->src.size);
    } else if (cfg->frame_length_set && cfg->frame_length == 0) {
        /* an unframed body needs its length first: read the input into memory */
        if (cli_source_slurp(&st->src, err) != 0) {
            return err->rc;
        }
        rc = esdk_session_set_plaintext_length(st->s, st->src.mem_len);
    }
    return rc ? cli_err_lib(err, rc) : 0;
}

static int run(cli_runner *r, job_state *st, cli_err *err)
{
    const cli_config *cfg = r->cfg;
    const cli_job *job = st->job;
    bool replace;
    int rc = cli_prepare_output(cfg, job, &replace, err);
    if (rc) {
        return rc;
    }
    if (cli_source_open(&st->src, job->input, cfg->decode, err) != 0) {
        return err->rc;
    }
    st->src_open = true;
    if (start_session(r, st, err) != 0) {
        return err->rc;
    }
    rc = strcmp(job->output, "-") == 0
             ? cli_sink_open_stdout(&st->sink, cfg->buffer, cfg->encode, err)
             : cli_sink_open_file(&st->sink, job->output, replace, r->file_mode, cfg->encode, err);
    if (rc) {
        return rc;
    }
    st->sink_open = true;
    cli_info(
        "%s %s -> %s",
        cli_mode_name(cfg->mode),
        shown(job->input, "<stdin>"),
        shown(job->output, "<stdout>"));
    cli_progress_start(&st->progress, job->input, st->src.size_known, st->src.size);
    rc = pump(r, st, err);
    cli_progress_finish(&st->progress);
    if (rc) {
        return rc;
    }
    st->sink_open = false;
    return cli_sink_commit(&st->sink, err);
}

/* Report a failure: one line, plus a warning if plaintext already reached stdout. */
static void report(const job_state *st, const cli_err *err)
{
    cli_fail_line(shown(st->job->input, "<stdin>"), err->rc, err->detail);
    if (st->sink.is_stdout && st->sink.emitted && st->s && esdk_session_unverified_bytes(st->s)) {
        cli_warn(
            "%llu bytes of plaintext were written to stdout before the message failed to verify; "
            "discard them (--buffer writes nothing unless the whole message verifies)",
            (unsigned long long)st->sink.emitted);
    } else if (st->sink.is_stdout && st->sink.emitted) {
        cli_warn(
            "%llu bytes were written to stdout before the failure",
            (unsigned long long)st->sink.emitted);
    }
}

cli_job_result cli_run_job(cli_runner *r, const cli_job *job)
{
    job_state st;
    cli_err err = {0, ""};
    memset(&st, 0, sizeof st);
    st.job = job;
    st.src.fd = -1;
    int rc = run(r, &st, &err);
    cli_job_result result = CLI_JOB_OK;
    if (rc == CLI_OUTPUT_SKIP) {
        result = CLI_JOB_SKIPPED;
    } else if (rc) {
        if (st.sink_open) {
            cli_sink_abort(&st.sink);
        }
        report(&st, &err);
        result = rc == ESDK_ERR_CONTEXT_MISMATCH ? CLI_JOB_CONTEXT_MISMATCH : CLI_JOB_FAILED;
    }
    if (result == CLI_JOB_OK || result == CLI_JOB_CONTEXT_MISMATCH) {
        const cli_ctx_mismatch *mm = result == CLI_JOB_OK ? NULL : &st.mismatch;
        if (cli_metadata_write(
                r->metadata, r->cfg->mode, job->input, job->output, st.header, mm, &err) != 0) {
            cli_fail_line(shown(job->input, "<stdin>"), err.rc, err.detail);
            result = result == CLI_JOB_OK ? CLI_JOB_FAILED : result;
        }
        st.header = NULL;
    }
    cJSON_Delete(st.header);
    cli_ctx_mismatch_free(&st.mismatch);
    if (st.src_open) {
        cli_source_close(&st.src);
    }
    esdk_session_release(st.s);
    explicit_bzero(r->out, r->out_cap);
    return result;
}
