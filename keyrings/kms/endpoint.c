/* KMS endpoints: regional by partition (botocore partitions.json), or overridden. */
#include "keyrings/kms/endpoint.h"

#include <curl/curl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <aws-esdk-c/error.h>

#include "common/mem.h"
#include "common/status.h"
#include "keyrings/kms/env.h"

/* last: poisons calls this library must not make */
#include "banned.h"

struct partition {
    const char *id;
    const char *region_prefix; /* regions of this partition start with it */
    const char *dns_suffix;
};

/* Most specific prefixes first: "us-iso-" and "us-gov-" before the catch-all "aws". */
static const struct partition partitions[] = {
    {"aws-cn", "cn-", "amazonaws.com.cn"},
    {"aws-us-gov", "us-gov-", "amazonaws.com"},
    {"aws-iso", "us-iso-", "c2s.ic.gov"},
    {"aws-iso-b", "us-isob-", "sc2s.sgov.gov"},
    {"aws-iso-e", "eu-isoe-", "cloud.adc-e.uk"},
    {"aws-iso-f", "us-isof-", "csp.hci.ic.gov"},
    {"aws-eusc", "eusc-", "amazonaws.eu"},
    {"aws", "", "amazonaws.com"},
};

#define PARTITION_COUNT (sizeof partitions / sizeof partitions[0])

const char *esdk_kms_partition_of_region(const char *region)
{
    for (size_t i = 0; i < PARTITION_COUNT; i++) {
        const size_t n = strlen(partitions[i].region_prefix);
        if (strncmp(region, partitions[i].region_prefix, n) == 0) {
            return partitions[i].id;
        }
    }
    return "aws";
}

const char *esdk_kms_dns_suffix(const char *partition)
{
    for (size_t i = 0; i < PARTITION_COUNT; i++) {
        if (strcmp(partition, partitions[i].id) == 0) {
            return partitions[i].dns_suffix;
        }
    }
    return NULL;
}

int esdk_kms_endpoint_resolve(
    const char *option, const char *region, const char *partition, char **url_out)
{
    const char *ignore = esdk_kms_env("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS");
    const char *url = option;
    if (!url && !(ignore && strcasecmp(ignore, "true") == 0)) {
        url = esdk_kms_env("AWS_ENDPOINT_URL_KMS");
        if (!url) {
            url = esdk_kms_env("AWS_ENDPOINT_URL");
        }
    }
    if (url) {
        *url_out = esdk_str_copy(url);
    } else {
        const char *suffix = esdk_kms_dns_suffix(partition);
        if (!suffix) {
            return esdk_fail(
                ESDK_ERR_UNSUPPORTED,
                "no KMS endpoint is known for partition '%s': set an endpoint",
                partition);
        }
        const size_t n = strlen("https://kms..") + strlen(region) + strlen(suffix) + 1;
        char *s = esdk_mem_acquire(n);
        if (s) {
            snprintf(s, n, "https://kms.%s.%s", region, suffix);
        }
        *url_out = s;
    }
    return *url_out ? 0 : esdk_fail(ESDK_ERR_NO_MEMORY, "cannot copy an endpoint URL");
}

static int url_part(CURLU *u, CURLUPart part, char **out)
{
    *out = NULL;
    return curl_url_get(u, part, out, 0) == CURLUE_OK ? 1 : 0;
}

int esdk_kms_endpoint_host(const char *url, char **host_out)
{
    CURLU *u = curl_url();
    char *scheme = NULL, *host = NULL, *port = NULL, *path = NULL, *extra = NULL;
    int rc = 0;
    if (!u) {
        return esdk_fail(ESDK_ERR_NO_MEMORY, "cannot parse a URL");
    }
    if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
        !url_part(u, CURLUPART_SCHEME, &scheme) || !url_part(u, CURLUPART_HOST, &host) ||
        !host[0]) {
        rc = esdk_fail(ESDK_ERR_BAD_ARGUMENT, "the KMS endpoint '%.200s' is not a URL", url);
        goto cleanup;
    }
    const bool https = strcmp(scheme, "https") == 0;
    if (!https && strcmp(scheme, "http") != 0) {
        rc = esdk_fail(ESDK_ERR_BAD_ARGUMENT, "the KMS endpoint '%.200s' is not http(s)", url);
        goto cleanup;
    }
    (void)url_part(u, CURLUPART_PORT, &port);
    (void)url_part(u, CURLUPART_PATH, &path);
    bool extras = path && strcmp(path, "/") != 0;
    const CURLUPart unwanted[] = {CURLUPART_QUERY, CURLUPART_FRAGMENT, CURLUPART_USER};
    for (size_t i = 0; i < sizeof unwanted / sizeof unwanted[0] && !extras; i++) {
        extras = url_part(u, unwanted[i], &extra);
        curl_free(extra);
        extra = NULL;
    }
    if (extras) {
        rc = esdk_fail(
            ESDK_ERR_BAD_ARGUMENT,
            "the KMS endpoint '%.200s' must have no path, query, fragment or user",
            url);
        goto cleanup;
    }
    const bool default_port = !port || strcmp(port, https ? "443" : "80") == 0;
    const size_t n = strlen(host) + (default_port ? 0 : 1 + strlen(port)) + 1;
    char *h = esdk_mem_acquire(n);
    if (!h) {
        rc = esdk_fail(ESDK_ERR_NO_MEMORY, "cannot copy a host name");
        goto cleanup;
    }
    if (default_port) {
        snprintf(h, n, "%s", host);
    } else {
        snprintf(h, n, "%s:%s", host, port);
    }
    *host_out = h;
cleanup:
    curl_free(scheme);
    curl_free(host);
    curl_free(port);
    curl_free(path);
    curl_free(extra);
    curl_url_cleanup(u);
    return rc;
}
