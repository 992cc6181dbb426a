/* AWS KMS identifiers: ARN parsing, multi-Region keys, MRK match and uniqueness. */
#include "keyrings/kms/arn.h"

#include <stdio.h>
#include <string.h>

#include <aws-esdk-c/error.h>
#include <aws-esdk-c/keyrings/kms.h>

#include "common/buf.h"
#include "common/mem.h"
#include "common/status.h"

/* last: poisons calls this library must not make */
#include "banned.h"

#define MRK_PREFIX     "mrk-"
#define MRK_PREFIX_LEN 4

static bool span_is(esdk_kms_span s, const char *lit)
{
    return esdk_bytes_equal(s.ptr, s.len, lit, strlen(lit));
}

static bool span_eq(esdk_kms_span a, esdk_kms_span b)
{
    return esdk_bytes_equal(a.ptr, a.len, b.ptr, b.len);
}

static bool starts_with(const char *s, size_t len, const char *prefix)
{
    const size_t n = strlen(prefix);
    return len >= n && esdk_bytes_equal(s, n, prefix, n);
}

bool esdk_kms_arn_parse(const char *s, size_t len, esdk_kms_arn *out)
{
    if (!s || !out) {
        return false;
    }
    esdk_kms_span parts[6];
    size_t count = 0;
    size_t start = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i == len || s[i] == ':') {
            if (count == 6) {
                return false; /* a seventh part */
            }
            parts[count].ptr = s + start;
            parts[count].len = i - start;
            count++;
            start = i + 1;
        } else if (s[i] == '\0') {
            return false;
        }
    }
    if (count != 6 || !span_is(parts[0], "arn") || parts[1].len == 0 || !span_is(parts[2], "kms") ||
        parts[3].len == 0 || parts[4].len == 0) {
        return false;
    }
    const char *slash = memchr(parts[5].ptr, '/', parts[5].len);
    if (!slash) {
        return false;
    }
    esdk_kms_arn arn = {
        .partition = parts[1],
        .service = parts[2],
        .region = parts[3],
        .account = parts[4],
        .resource_type = {parts[5].ptr, (size_t)(slash - parts[5].ptr)},
        .resource_id = {slash + 1, parts[5].len - (size_t)(slash - parts[5].ptr) - 1},
    };
    if ((!span_is(arn.resource_type, "key") && !span_is(arn.resource_type, "alias")) ||
        arn.resource_id.len == 0) {
        return false;
    }
    *out = arn;
    return true;
}

bool esdk_kms_arn_parse_key(const char *s, size_t len, esdk_kms_arn *out)
{
    esdk_kms_arn arn;
    if (!esdk_kms_arn_parse(s, len, &arn) || !span_is(arn.resource_type, "key")) {
        return false;
    }
    *out = arn;
    return true;
}

bool esdk_kms_arn_is_mrk(const esdk_kms_arn *arn)
{
    return span_is(arn->resource_type, "key") &&
           starts_with(arn->resource_id.ptr, arn->resource_id.len, MRK_PREFIX);
}

bool esdk_kms_id_is_mrk(const char *s, size_t len)
{
    if (starts_with(s, len, "arn:")) {
        esdk_kms_arn arn;
        return esdk_kms_arn_parse(s, len, &arn) && esdk_kms_arn_is_mrk(&arn);
    }
    if (starts_with(s, len, "alias/")) {
        return false;
    }
    return starts_with(s, len, MRK_PREFIX);
}

bool esdk_kms_mrk_match_n(const char *a, size_t a_len, const char *b, size_t b_len)
{
    if (esdk_bytes_equal(a, a_len, b, b_len)) {
        return true;
    }
    if (!esdk_kms_id_is_mrk(a, a_len) || !esdk_kms_id_is_mrk(b, b_len)) {
        return false;
    }
    esdk_kms_arn x, y;
    if (!esdk_kms_arn_parse(a, a_len, &x) || !esdk_kms_arn_parse(b, b_len, &y)) {
        return false; /* a bare mrk- id matches only itself */
    }
    return span_eq(x.partition, y.partition) && span_eq(x.service, y.service) &&
           span_eq(x.account, y.account) && span_eq(x.resource_type, y.resource_type) &&
           span_eq(x.resource_id, y.resource_id);
}

bool esdk_kms_mrk_resource_id(const char *s, esdk_kms_span *id)
{
    const size_t len = strlen(s);
    if (!esdk_kms_id_is_mrk(s, len)) {
        return false;
    }
    esdk_kms_arn arn;
    if (esdk_kms_arn_parse(s, len, &arn)) {
        *id = arn.resource_id;
    } else {
        id->ptr = s;
        id->len = len;
    }
    return true;
}

int esdk_kms_mrks_unique(const char *const *ids, size_t count)
{
    esdk_buf dups = ESDK_BUF_INIT;
    int rc = 0;
    for (size_t i = 0; i < count; i++) {
        esdk_kms_span mine, other;
        if (!ids[i] || !esdk_kms_mrk_resource_id(ids[i], &mine)) {
            continue;
        }
        bool dup = false;
        for (size_t j = 0; j < count && !dup; j++) {
            dup = j != i && ids[j] && esdk_kms_mrk_resource_id(ids[j], &other) &&
                  span_eq(mine, other);
        }
        if (dup) {
            ESDK_TRY_GOTO(rc, esdk_buf_append(&dups, dups.len ? ", " : "", dups.len ? 2 : 0));
            ESDK_TRY_GOTO(rc, esdk_buf_append(&dups, ids[i], strlen(ids[i])));
        }
    }
    if (dups.len) {
        rc = esdk_fail(
            ESDK_ERR_BAD_ARGUMENT,
            "multi-Region keys must be unique; these share a resource id: %.*s",
            (int)(dups.len > 400 ? 400 : dups.len),
            (const char *)dups.data);
    }
cleanup:
    esdk_buf_release(&dups);
    return rc;
}

char *esdk_kms_arn_with_region(const esdk_kms_arn *arn, const char *region)
{
    const size_t n = 4 + arn->partition.len + 5 + strlen(region) + 1 + arn->account.len + 1 +
                     arn->resource_type.len + 1 + arn->resource_id.len + 1;
    char *s = esdk_mem_acquire(n);
    if (!s) {
        return NULL;
    }
    snprintf(
        s,
        n,
        "arn:%.*s:kms:%s:%.*s:%.*s/%.*s",
        (int)arn->partition.len,
        arn->partition.ptr,
        region,
        (int)arn->account.len,
        arn->account.ptr,
        (int)arn->resource_type.len,
        arn->resource_type.ptr,
        (int)arn->resource_id.len,
        arn->resource_id.ptr);
    return s; /* n is exactly strlen + 1, as esdk_str_release expects */
}

bool esdk_kms_name_is_safe(const char *s, size_t len)
{
    if (len == 0 || len > 63 || s[0] < 'a' || s[0] > 'z' || s[len - 1] == '-') {
        return false;
    }
    for (size_t i = 0; i < len; i++) {
        const char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
            return false;
        }
    }
    return true;
}

/* ---- public wrappers ---- */

bool esdk_kms_arn_is_valid(const char *s)
{
    esdk_kms_arn arn;
    return s && esdk_kms_arn_parse(s, strlen(s), &arn);
}

bool esdk_kms_is_mrk(const char *id)
{
    return id && esdk_kms_id_is_mrk(id, strlen(id));
}

bool esdk_kms_mrk_match(const char *a, const char *b)
{
    return a && b && esdk_kms_mrk_match_n(a, strlen(a), b, strlen(b));
}
