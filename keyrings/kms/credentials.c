/* The credentials chain: callback, static options, environment, shared credentials file,
 * shared config file. Secrets are copied once into the call's struct and wiped after it. */
#include "keyrings/kms/credentials.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <aws-esdk-c/error.h>

#include "common/mem.h"
#include "common/status.h"
#include "keyrings/kms/env.h"
#include "keyrings/kms/options.h"
#include "keyrings/kms/profile.h"

/* last: poisons calls this library must not make */
#include "banned.h"

#define PATH_MAX_LEN 4096

static char *copy_secret(const char *s)
{
    return s ? esdk_str_copy(s) : NULL;
}

void esdk_kms_credentials_clear(esdk_kms_credentials *c)
{
    if (!c) {
        return;
    }
    esdk_kms_secret_str_release(c->access_key_id);
    esdk_kms_secret_str_release(c->secret_access_key);
    esdk_kms_secret_str_release(c->session_token);
    c->access_key_id = c->secret_access_key = c->session_token = NULL;
    c->source = NULL;
}

int esdk_kms_credentials_set(
    esdk_kms_credentials *c,
    const char *access_key_id,
    const char *secret_access_key,
    const char *session_token)
{
    ESDK_ENSURE(
        c != NULL && access_key_id && access_key_id[0] && secret_access_key && secret_access_key[0],
        ESDK_ERR_BAD_ARGUMENT);
    const char *source = c->source;
    esdk_kms_credentials_clear(c);
    c->source = source;
    c->access_key_id = copy_secret(access_key_id);
    c->secret_access_key = copy_secret(secret_access_key);
    c->session_token = session_token && session_token[0] ? copy_secret(session_token) : NULL;
    if (!c->access_key_id || !c->secret_access_key ||
        (session_token && session_token[0] && !c->session_token)) {
        esdk_kms_credentials_clear(c);
        return esdk_fail(ESDK_ERR_NO_MEMORY, "cannot copy credentials");
    }
    return 0;
}

/* The path from an environment variable, else ~/.aws/NAME; false if neither exists. */
static bool file_path(const char *var, const char *name, char path[PATH_MAX_LEN])
{
    const char *p = esdk_kms_env(var);
    if (p) {
        return (size_t)snprintf(path, PATH_MAX_LEN, "%s", p) < PATH_MAX_LEN;
    }
    const char *home = esdk_kms_env("HOME");
    return home && (size_t)snprintf(path, PATH_MAX_LEN, "%s/.aws/%s", home, name) < PATH_MAX_LEN;
}

/* Credentials from one section of one file: 0 found, 1 not there, <0 error. */
static int
from_file(const char *path, const char *section, const char *profile, esdk_kms_credentials *out)
{
    static const char *const keys[] = {
        "aws_access_key_id", "aws_secret_access_key", "aws_session_token"};
    char *v[3];
    int rc = esdk_kms_profile_read(path, section, keys, 3, v);
    if (rc != 0) {
        return rc;
    }
    if (!v[0] && !v[1]) {
        rc = 1;
    } else if (!v[0] || !v[1] || !v[0][0] || !v[1][0]) {
        rc = esdk_fail(
            ESDK_ERR_ACCESS_DENIED,
            "profile '%s' in %s has only one of aws_access_key_id and "
            "aws_secret_access_key",
            profile,
            path);
    } else {
        rc = esdk_kms_credentials_set(out, v[0], v[1], v[2]);
    }
    for (int i = 0; i < 3; i++) {
        esdk_kms_secret_str_release(v[i]);
    }
    return rc;
}

static int from_files(const char *profile, esdk_kms_credentials *out)
{
    char path[PATH_MAX_LEN];
    char section[300];
    int rc = 1;
    if (snprintf(section, sizeof section, "profile %s", profile) >= (int)sizeof section) {
        return esdk_fail(ESDK_ERR_BAD_ARGUMENT, "the profile name is too long");
    }
    if (file_path("AWS_SHARED_CREDENTIALS_FILE", "credentials", path)) {
        out->source = "the shared credentials file";
        rc = from_file(path, profile, profile, out);
    }
    if (rc == 1 && file_path("AWS_CONFIG_FILE", "config", path)) {
        out->source = "the shared config file";
        rc = from_file(path, section, profile, out);
        if (rc == 1 && strcmp(profile, "default") == 0) {
            rc = from_file(path, "default", profile, out);
        }
    }
    return rc;
}

int esdk_kms_credentials_resolve(const esdk_kms_options *o, esdk_kms_credentials *out)
{
    esdk_kms_credentials_clear(out);
    if (o && o->credentials_fn) {
        out->source = "the credentials provider callback";
        int rc = o->credentials_fn(o->credentials_ctx, out);
        if (rc == 0 && (!out->access_key_id || !out->secret_access_key)) {
            rc = esdk_fail(
                ESDK_ERR_ACCESS_DENIED,
                "the credentials provider callback returned no credentials");
        } else if (rc > 0) {
            rc = esdk_fail(
                ESDK_ERR_ACCESS_DENIED, "the credentials provider callback failed (status %d)", rc);
        }
        if (rc != 0) {
            esdk_kms_credentials_clear(out);
        }
        return rc;
    }
    if (o && o->access_key_id) {
        out->source = "the keyring options";
        return esdk_kms_credentials_set(
            out, o->access_key_id, o->secret_access_key, o->session_token);
    }
    const bool profile_given = o && o->profile;
    if (!profile_given && esdk_kms_env("AWS_ACCESS_KEY_ID") &&
        esdk_kms_env("AWS_SECRET_ACCESS_KEY")) {
        out->source = "the environment";
        return esdk_kms_credentials_set(
            out,
            esdk_kms_env("AWS_ACCESS_KEY_ID"),
            esdk_kms_env("AWS_SECRET_ACCESS_KEY"),
            esdk_kms_env("AWS_SESSION_TOKEN"));
    }
    const char *profile = profile_given ? o->profile : esdk_kms_env("AWS_PROFILE");
    if (!profile) {
        profile = "default";
    }
    int rc = from_files(profile, out);
    if (rc == 1) {
        rc = esdk_fail(
            ESDK_ERR_ACCESS_DENIED,
            "no AWS credentials: none in the options, the environment "
            "(AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY) or profile '%.100s' of the "
            "shared credentials and config files",
            profile);
    }
    if (rc != 0) {
        esdk_kms_credentials_clear(out);
    }
    return rc;
}
