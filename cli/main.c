/* aws-esdk: encrypt and decrypt files in the AWS Encryption SDK message format.
 * main() wires the pieces: arguments, wrapping keys, options, metadata, the plan of
 * inputs, and one streaming session per input. */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <aws-esdk-c/esdk.h>

#include "args.h"
#include "caching.h"
#include "enc_context.h"
#include "io.h"
#include "log.h"
#include "metadata.h"
#include "plan.h"
#include "stream.h"
#include "wrapping_keys.h"

/* Session options from the command line; CLI_EXIT_OK or CLI_EXIT_FAILURE. */
static int make_options(const cli_config *cfg, esdk_options **out)
{
    esdk_options *o = NULL;
    int rc = esdk_options_new(&o);
    rc = rc ? rc : esdk_options_set_commitment_policy(o, cfg->policy);
    rc = rc ? rc : esdk_options_set_suite(o, cfg->suite);
    rc = rc || !cfg->frame_length_set ? rc : esdk_options_set_frame_length(o, cfg->frame_length);
    rc = rc ? rc : esdk_options_set_max_encrypted_data_keys(o, cfg->max_edks);
    rc = rc ? rc : esdk_options_set_max_body_frame(o, cfg->max_length);
    if (rc) {
        cli_error("options: %s: %s", esdk_strerror(rc), esdk_last_error_detail());
        esdk_options_release(o);
        return CLI_EXIT_FAILURE;
    }
    *out = o;
    return CLI_EXIT_OK;
}

static bool same_file(const char *path, const struct stat *other)
{
    struct stat st;
    return strcmp(path, "-") != 0 && stat(path, &st) == 0 && st.st_dev == other->st_dev &&
           st.st_ino == other->st_ino;
}

/* Run every job; the exit status: any failure 1, else a context mismatch 3, else 0. */
static int
run_jobs(const cli_config *cfg, cli_runner *runner, cli_plan *plan, const cli_metadata *meta)
{
    struct stat meta_st;
    bool have_meta = meta->path && stat(meta->path, &meta_st) == 0;
    size_t failed = plan->failures, mismatched = 0;
    for (size_t i = 0; i < plan->count; i++) {
        const cli_job *job = &plan->jobs[i];
        if (have_meta && (same_file(job->output, &meta_st) || same_file(job->input, &meta_st))) {
            cli_error("%s: the metadata output file cannot be the input or the output", job->input);
            failed++;
            continue;
        }
        cli_job_result res = cli_run_job(runner, job);
        failed += res == CLI_JOB_FAILED;
        mismatched += res == CLI_JOB_CONTEXT_MISMATCH;
    }
    if (failed + mismatched && plan->count + plan->failures > 1) {
        cli_error("%zu of %zu inputs failed", failed + mismatched, plan->count + plan->failures);
    }
    (void)cfg;
    return failed ? CLI_EXIT_FAILURE : mismatched ? CLI_EXIT_CONTEXT_MISMATCH : CLI_EXIT_OK;
}

/* Everything after argument parsing. */
static int run(const cli_config *cfg)
{
    cli_caching caching;
    esdk_keyring *keyring = NULL;
    esdk_cmm *cmm = NULL;
    esdk_options *opts = NULL;
    cli_metadata meta;
    cli_plan plan;
    cli_runner runner;
    cli_err err = {0, ""};
    memset(&meta, 0, sizeof meta);
    memset(&plan, 0, sizeof plan);
    memset(&runner, 0, sizeof runner);
    int rc = cfg->caching_set ? cli_caching_parse(&cfg->caching, &caching) : CLI_EXIT_OK;
    rc = rc ? rc : cli_wrapping_keys_build(cfg, &keyring);
    rc = rc ? rc : cli_caching_cmm(cfg->caching_set ? &caching : NULL, keyring, &cmm);
    rc = rc ? rc : make_options(cfg, &opts);
    if (!rc && cfg->metadata_output &&
        cli_metadata_open(&meta, cfg->metadata_output, cfg->overwrite_metadata)) {
        rc = CLI_EXIT_FAILURE;
    }
    if (!rc && cli_runner_init(&runner, cfg, opts, cmm, &meta) != 0) {
        cli_error("out of memory");
        rc = CLI_EXIT_FAILURE;
    }
    if (!rc && cfg->mode == ESDK_MODE_ENCRYPT && cfg->context.count &&
        cli_context_build(&cfg->context, &runner.context, &err) != 0) {
        cli_error("-c/--encryption-context: %s: %s", esdk_strerror(err.rc), err.detail);
        rc = CLI_EXIT_USAGE;
    }
    if (!rc) {
        struct stat st;
        bool skip = meta.path && stat(meta.path, &st) == 0;
        rc = cli_plan_build(cfg, skip ? st.st_dev : 0, skip ? st.st_ino : 0, &plan)
                 ? CLI_EXIT_FAILURE
                 : CLI_EXIT_OK;
    }
    if (!rc) {
        rc = run_jobs(cfg, &runner, &plan, &meta);
    }
    cli_plan_free(&plan);
    cli_runner_free(&runner);
    cli_metadata_close(&meta);
    esdk_options_release(opts);
    esdk_cmm_release(cmm);
    esdk_keyring_release(keyring);
    return rc;
}

int main(int argc, char **argv)
{
    cli_config cfg;
    bool done;
    (void)cli_io_umask();
    cli_io_install_signal_cleanup();
    int rc = cli_args_parse(argc, argv, &cfg, &done);
    cli_args_scrub(argc, argv);
    if (rc == CLI_EXIT_OK && !done) {
        rc = run(&cfg);
    }
    cli_config_free(&cfg);
    if (fflush(stdout) != 0 && rc == CLI_EXIT_OK) {
        cli_error("cannot write to stdout");
        rc = CLI_EXIT_FAILURE;
    }
    return rc;
}
