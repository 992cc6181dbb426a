/* Where a KMS call goes: https://kms.REGION.SUFFIX by partition, or an override (keyring
 * option, AWS_ENDPOINT_URL_KMS, AWS_ENDPOINT_URL); and the Host value to sign. */
#ifndef ESDK_KMS_ENDPOINT_H
#define ESDK_KMS_ENDPOINT_H

/* The partition of a region name by AWS's region patterns ("aws" when none matches). */
const char *esdk_kms_partition_of_region(const char *region);
/* The DNS suffix of a partition ("amazonaws.com", "amazonaws.com.cn", ...), NULL if unknown. */
const char *esdk_kms_dns_suffix(const char *partition);

/* The URL of the KMS endpoint for region/partition: option (may be NULL), else the
 * environment, else the regional endpoint. *url_out is a new string (esdk_str_release). */
int esdk_kms_endpoint_resolve(
    const char *option, const char *region, const char *partition, char **url_out);

/* Check url (scheme http or https, a host, an optional port, no user, path "/" or none, no
 * query or fragment) and give the Host header value: host, or host:port when the port is
 * not the scheme's default. *host_out is a new string (esdk_str_release). */
int esdk_kms_endpoint_host(const char *url, char **host_out);

#endif
