/* The provider registry. */
#include "providers.h"

#include <string.h>

#define MAX_REGISTERED 16

static const cli_provider *const builtins[] = {
    &cli_provider_aes,
    &cli_provider_rsa,
    &cli_provider_pkcs11,
    &cli_provider_aws_kms,
};

static const cli_provider *registered[MAX_REGISTERED];
static size_t registered_count;

int cli_provider_register(const cli_provider *provider)
{
    if (!provider || !provider->name || !provider->build || registered_count == MAX_REGISTERED) {
        return -1;
    }
    registered[registered_count++] = provider;
    return 0;
}

static int matches(const cli_provider *p, const char *name)
{
    if (strcmp(p->name, name) == 0) {
        return 1;
    }
    for (size_t i = 0; p->aliases && p->aliases[i]; i++) {
        if (strcmp(p->aliases[i], name) == 0) {
            return 1;
        }
    }
    return 0;
}

const cli_provider *cli_provider_find(const char *name)
{
    for (size_t i = registered_count; i > 0; i--) {
        if (matches(registered[i - 1], name)) {
            return registered[i - 1];
        }
    }
    for (size_t i = 0; i < sizeof builtins / sizeof builtins[0]; i++) {
        if (matches(builtins[i], name)) {
            return builtins[i];
        }
    }
    return NULL;
}

void cli_provider_each(void (*fn)(const cli_provider *p, void *arg), void *arg)
{
    for (size_t i = 0; i < sizeof builtins / sizeof builtins[0]; i++) {
        fn(builtins[i], arg);
    }
    for (size_t i = 0; i < registered_count; i++) {
        fn(registered[i], arg);
    }
}
