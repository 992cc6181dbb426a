/* AWS KMS identifiers (spec-facts 3.5, kms-facts 7): ARN parsing and validation,
 * multi-Region key detection, "MRK match for decrypt", "MRKs are unique", region swap. */
#ifndef ESDK_KMS_ARN_H
#define ESDK_KMS_ARN_H

#include <stdbool.h>
#include <stddef.h>

/* A view into a string (not NUL-terminated). */
typedef struct esdk_kms_span {
    const char *ptr;
    size_t len;
} esdk_kms_span;

/* The parts of a valid KMS ARN, as views into the parsed text. */
typedef struct esdk_kms_arn {
    esdk_kms_span partition;
    esdk_kms_span service;
    esdk_kms_span region;
    esdk_kms_span account;
    esdk_kms_span resource_type; /* "key" or "alias" */
    esdk_kms_span resource_id;   /* everything after the first '/' */
} esdk_kms_arn;

/* Parse s[0..len) as a KMS ARN: exactly six ':'-separated parts, "arn", a non-empty
 * partition, "kms", a non-empty region and account, and a resource "key/ID" or "alias/NAME"
 * split at the first '/' with a non-empty id. false if invalid (out untouched). */
bool esdk_kms_arn_parse(const char *s, size_t len, esdk_kms_arn *out);
/* A valid ARN whose resource type is "key". */
bool esdk_kms_arn_parse_key(const char *s, size_t len, esdk_kms_arn *out);
/* A parsed ARN names a multi-Region key: type "key" and id starting with "mrk-". */
bool esdk_kms_arn_is_mrk(const esdk_kms_arn *arn);
/* Any identifier: an ARN (see above), "alias/..." (never), else starts with "mrk-". */
bool esdk_kms_id_is_mrk(const char *s, size_t len);
/* MRK match for decrypt: identical, or both MRK ARNs equal in all but the region. */
bool esdk_kms_mrk_match_n(const char *a, size_t a_len, const char *b, size_t b_len);
/* The resource id of an MRK identifier (ARN or bare "mrk-..."): false if not an MRK. */
bool esdk_kms_mrk_resource_id(const char *s, esdk_kms_span *id);
/* "MRKs are unique": 0, or ESDK_ERR_BAD_ARGUMENT naming every identifier that shares a
 * multi-Region resource id with another one. */
int esdk_kms_mrks_unique(const char *const *ids, size_t count);
/* A new string: arn with its region replaced by region (release with esdk_str_release). */
char *esdk_kms_arn_with_region(const esdk_kms_arn *arn, const char *region);
/* A region or partition name safe to put in a host name: 1..63 characters of [a-z0-9-],
 * starting with a letter, not ending with '-'. */
bool esdk_kms_name_is_safe(const char *s, size_t len);

#endif
