/* The wrapping-key provider registry: a table of name -> constructor. Each built-in
 * provider lives in its own provider_<name>.c; an application embedding the CLI (or a
 * later issue) adds one with cli_provider_register(). */
#ifndef CLI_PROVIDERS_H
#define CLI_PROVIDERS_H

#include <stdbool.h>
#include <stddef.h>

#include <aws-esdk-c/esdk.h>

#include "kv.h"

/*
 * Build a keyring from one -w group (params holds every key=value, provider= included).
 * Return 0, or an ESDK_ERR_* code with err set: ESDK_ERR_BAD_ARGUMENT for a configuration
 * mistake (reported as a usage error), ESDK_ERR_UNSUPPORTED when the provider is not in this
 * build, anything else for a failure to load keys or reach a backend. Secret material read
 * here must be wiped before returning.
 */
typedef int (*cli_provider_build_fn)(
    const cli_kv_list *params, esdk_mode mode, esdk_keyring **out, char *err, size_t errlen);

typedef struct cli_provider {
    const char *name;           /* as written after provider= */
    const char *const *aliases; /* other accepted names (NULL-terminated), or NULL */
    const char *synopsis;       /* parameters, for --help */
    cli_provider_build_fn build;
    bool stub; /* a placeholder until the keyring lands (its build says so) */
} cli_provider;

/* The built-in providers (one file each). */
extern const cli_provider cli_provider_aes;
extern const cli_provider cli_provider_rsa;
extern const cli_provider cli_provider_pkcs11;
extern const cli_provider cli_provider_aws_kms;

/* The provider used when a -w group has no provider= (the official CLI's default). */
#define CLI_DEFAULT_PROVIDER "aws-kms"

/* Add a provider (looked up before the built-ins, so it may replace one). 0 or -1 if full. */
int cli_provider_register(const cli_provider *provider);
/* Find a provider by name or alias; NULL if unknown. */
const cli_provider *cli_provider_find(const char *name);
/* Call fn for every provider (for --help). */
void cli_provider_each(void (*fn)(const cli_provider *p, void *arg), void *arg);

#endif
