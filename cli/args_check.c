/* The checks between options, once the command line is parsed: mode, input and output,
 * overwrite policy, context, suite and limits, metadata. */
#include <stdio.h>
#include <string.h>

#include "args_internal.h"
#include "log.h"

static int parse_policy(const char *v, esdk_commitment_policy *out)
{
    static const struct {
        const char *name;
        esdk_commitment_policy policy;
    } names[] = {
        {"forbid-encrypt-allow-decrypt", ESDK_COMMITMENT_FORBID_ENCRYPT_ALLOW_DECRYPT},
        {"require-encrypt-allow-decrypt", ESDK_COMMITMENT_REQUIRE_ENCRYPT_ALLOW_DECRYPT},
        {"require-encrypt-require-decrypt", ESDK_COMMITMENT_REQUIRE_ENCRYPT_REQUIRE_DECRYPT},
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (strcmp(v, names[i].name) == 0) {
            *out = names[i].policy;
            return 0;
        }
    }
    return -1;
}

/* Mode, input/output and overwrite flags. */
static int check_mode_io(cli_config *cfg, const seen *s)
{
    unsigned modes = s->count[OPT_ENCRYPT] + s->count[OPT_DECRYPT] + s->count[OPT_DECRYPT_UNSIGNED];
    if (modes != 1 || (s->count[OPT_ENCRYPT] > 1 || s->count[OPT_DECRYPT] > 1)) {
        return cli_usage_error(
            "give exactly one of -e/--encrypt, -d/--decrypt, --decrypt-unsigned");
    }
    cfg->mode = s->count[OPT_ENCRYPT]   ? ESDK_MODE_ENCRYPT
                : s->count[OPT_DECRYPT] ? ESDK_MODE_DECRYPT
                                        : ESDK_MODE_DECRYPT_UNSIGNED;
    if (!s->value[OPT_INPUT] || !s->value[OPT_OUTPUT]) {
        return cli_usage_error("-i/--input and -o/--output are required");
    }
    if (!s->value[OPT_INPUT][0] || !s->value[OPT_OUTPUT][0]) {
        return cli_usage_error("-i/--input and -o/--output may not be empty");
    }
    cfg->input = s->value[OPT_INPUT];
    cfg->output = s->value[OPT_OUTPUT];
    cfg->recursive = s->count[OPT_RECURSIVE] > 0;
    cfg->suffix = s->value[OPT_SUFFIX];
    if (cfg->suffix && strchr(cfg->suffix, '/')) {
        return cli_usage_error("--suffix may not contain '/'");
    }
    unsigned policies = (s->count[OPT_INTERACTIVE] > 0) + (s->count[OPT_NO_OVERWRITE] > 0) +
                        (s->count[OPT_OVERWRITE] > 0);
    if (policies > 1) {
        return cli_usage_error("--overwrite, --no-overwrite and --interactive exclude each other");
    }
    cfg->overwrite = s->count[OPT_OVERWRITE]      ? CLI_OVERWRITE_ALLOW
                     : s->count[OPT_NO_OVERWRITE] ? CLI_OVERWRITE_SKIP
                     : s->count[OPT_INTERACTIVE]  ? CLI_OVERWRITE_ASK
                                                  : CLI_OVERWRITE_REFUSE;
    return 0;
}

/* -c: pairs on encrypt (no reserved keys, no duplicates); pairs or bare keys on decrypt. */
static int check_context(const cli_config *cfg)
{
    for (size_t i = 0; i < cfg->context.count; i++) {
        const cli_kv *kv = &cfg->context.items[i];
        if (cfg->mode == ESDK_MODE_ENCRYPT && (!kv->value || !kv->value[0])) {
            return cli_usage_error(
                "-c/--encryption-context: '%s': on encrypt, parameters must follow the format "
                "\"key=value\"",
                kv->key);
        }
        if (cfg->mode == ESDK_MODE_ENCRYPT &&
            strncmp(kv->key, ESDK_RESERVED_CONTEXT_PREFIX, strlen(ESDK_RESERVED_CONTEXT_PREFIX)) ==
                0) {
            return cli_usage_error(
                "-c/--encryption-context: key '%s' uses the reserved prefix '%s'",
                kv->key,
                ESDK_RESERVED_CONTEXT_PREFIX);
        }
        for (size_t j = 0; j < i; j++) {
            const cli_kv *other = &cfg->context.items[j];
            if (strcmp(other->key, kv->key) != 0) {
                continue;
            }
            if (!other->value || !kv->value || strcmp(other->value, kv->value) != 0) {
                return cli_usage_error(
                    "-c/--encryption-context: key '%s' is given twice with different values",
                    kv->key);
            }
        }
    }
    return 0;
}

/* Suite, frame length, limits and the commitment policy. */
static int check_message_options(cli_config *cfg, const seen *s)
{
    uint64_t n;
    cfg->policy = ESDK_COMMITMENT_REQUIRE_ENCRYPT_REQUIRE_DECRYPT;
    if (s->value[OPT_COMMITMENT_POLICY] &&
        parse_policy(s->value[OPT_COMMITMENT_POLICY], &cfg->policy)) {
        return cli_usage_error(
            "--commitment-policy: '%s' is not one of forbid-encrypt-allow-decrypt, "
            "require-encrypt-allow-decrypt, require-encrypt-require-decrypt",
            s->value[OPT_COMMITMENT_POLICY]);
    }
    if (s->value[OPT_ALGORITHM]) {
        if (esdk_suite_from_name(s->value[OPT_ALGORITHM], &cfg->suite) != 0) {
            return cli_usage_error(
                "--algorithm: unknown algorithm suite '%s' (give an official name such as "
                "AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384, or a hex id such as 0x0578)",
                s->value[OPT_ALGORITHM]);
        }
        if (cfg->mode == ESDK_MODE_ENCRYPT &&
            !esdk_policy_allows_encrypt(cfg->policy, cfg->suite)) {
            return cli_usage_error(
                "--algorithm %s is not allowed by the commitment policy %s",
                esdk_suite_name(cfg->suite),
                s->value[OPT_COMMITMENT_POLICY] ? s->value[OPT_COMMITMENT_POLICY]
                                                : "require-encrypt-require-decrypt (the default)");
        }
    }
    if (s->value[OPT_FRAME_LENGTH]) {
        if (cli_parse_u64(s->value[OPT_FRAME_LENGTH], 0, UINT32_MAX, &n)) {
            return cli_usage_error(
                "--frame-length: '%s' is not a number from 0 to %u",
                s->value[OPT_FRAME_LENGTH],
                UINT32_MAX);
        }
        cfg->frame_length_set = true;
        cfg->frame_length = (uint32_t)n;
    }
    if (s->value[OPT_MAX_LENGTH]) {
        if (cli_parse_u64(s->value[OPT_MAX_LENGTH], 1, UINT64_MAX, &n)) {
            return cli_usage_error(
                "--max-length: '%s' is not a positive number", s->value[OPT_MAX_LENGTH]);
        }
        cfg->max_length = n;
    }
    if (s->value[OPT_MAX_EDKS]) {
        if (cli_parse_u64(s->value[OPT_MAX_EDKS], 1, SIZE_MAX, &n)) {
            return cli_usage_error(
                "--max-encrypted-data-keys: '%s' is not a number of at least 1",
                s->value[OPT_MAX_EDKS]);
        }
        cfg->max_edks = (size_t)n;
    }
    if (cfg->mode != ESDK_MODE_ENCRYPT && (s->value[OPT_ALGORITHM] || s->value[OPT_FRAME_LENGTH])) {
        cli_warn("--algorithm and --frame-length apply to encrypt only; ignored on decrypt");
    }
    if (cfg->mode == ESDK_MODE_ENCRYPT && s->value[OPT_MAX_LENGTH]) {
        cli_warn("--max-length applies to decrypt only; ignored on encrypt");
    }
    return 0;
}

static int check_metadata(cli_config *cfg, const seen *s)
{
    if (s->count[OPT_SUPPRESS_METADATA] && s->value[OPT_METADATA_OUTPUT]) {
        return cli_usage_error("-S/--suppress-metadata and --metadata-output exclude each other");
    }
    if (s->count[OPT_OVERWRITE_METADATA] && !s->value[OPT_METADATA_OUTPUT]) {
        return cli_usage_error("--overwrite-metadata needs --metadata-output");
    }
    if (s->value[OPT_METADATA_OUTPUT] && !s->value[OPT_METADATA_OUTPUT][0]) {
        return cli_usage_error("--metadata-output may not be empty");
    }
    cfg->metadata_output = s->value[OPT_METADATA_OUTPUT];
    cfg->overwrite_metadata = s->count[OPT_OVERWRITE_METADATA] > 0;
    if (cfg->metadata_output && strcmp(cfg->metadata_output, "-") == 0 &&
        strcmp(cfg->output, "-") == 0) {
        return cli_usage_error("metadata output cannot be stdout when output is stdout");
    }
    return 0;
}

int cli_args_check(cli_config *cfg, const seen *s)
{
    int rc = check_mode_io(cfg, s);
    rc = rc ? rc : check_context(cfg);
    rc = rc ? rc : check_message_options(cfg, s);
    rc = rc ? rc : check_metadata(cfg, s);
    if (rc) {
        return rc;
    }
    if (cfg->wrapping_key_count == 0) {
        return cli_usage_error("at least one -w/--wrapping-keys is required");
    }
    cfg->buffer = s->count[OPT_BUFFER] > 0;
    cfg->encode = s->count[OPT_ENCODE] > 0;
    cfg->decode = s->count[OPT_DECODE] > 0;
    cfg->caching_set = s->count[OPT_CACHING] > 0;
    return 0;
}
