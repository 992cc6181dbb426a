/* Test helpers around kms-local's control endpoint. */
#include "kms_test_support.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

struct text {
    char *data;
    size_t len;
};

static size_t collect(char *p, size_t size, size_t n, void *ud)
{
    struct text *t = ud;
    char *grown = realloc(t->data, t->len + size * n + 1);
    if (!grown) {
        return 0;
    }
    memcpy(grown + t->len, p, size * n);
    t->len += size * n;
    grown[t->len] = '\0';
    t->data = grown;
    return size * n;
}

const char *kms_endpoint(void)
{
    const char *e = getenv("KMS_LOCAL_ENDPOINT");
    if (!e || !e[0]) {
        printf("skipped: KMS_LOCAL_ENDPOINT is not set; run this test through "
               "tests/kms/run-with-server.sh (ctest -R kms)\n");
        exit(77);
    }
    return e;
}

cJSON *kms_control(const char *path, const char *region, const char *json)
{
    char url[512], region_header[128];
    snprintf(url, sizeof url, "%s/__control/%s", kms_endpoint(), path);
    snprintf(
        region_header,
        sizeof region_header,
        "x-kms-local-region: %s",
        region ? region : "us-east-1");
    CURL *h = curl_easy_init();
    struct curl_slist *headers = curl_slist_append(NULL, region_header);
    struct text t = {NULL, 0};
    long status = 0;
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, json ? json : "{}");
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &t);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, 10000L);
    const CURLcode cc = curl_easy_perform(h);
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    curl_slist_free_all(headers);
    curl_easy_cleanup(h);
    cJSON *out = NULL;
    if (cc != CURLE_OK || status != 200 || !(out = cJSON_Parse(t.data ? t.data : ""))) {
        fprintf(
            stderr,
            "kms-local control %s failed: curl %d, HTTP %ld, %s\n",
            path,
            (int)cc,
            status,
            t.data ? t.data : "");
    }
    free(t.data);
    return out;
}

static char *strdup_item(const cJSON *obj, const char *a, const char *b)
{
    const cJSON *x = cJSON_GetObjectItemCaseSensitive(obj, a);
    const cJSON *y = cJSON_GetObjectItemCaseSensitive(x, b);
    return cJSON_IsString(y) ? strdup(y->valuestring) : NULL;
}

char *kms_create_key(const char *region, bool multi_region)
{
    cJSON *r = kms_control("op/CreateKey", region, multi_region ? "{\"MultiRegion\":true}" : "{}");
    char *arn = strdup_item(r, "KeyMetadata", "Arn");
    cJSON_Delete(r);
    return arn;
}

/* arn:aws:kms:REGION:ACCOUNT:key/ID -> REGION and ID (static buffers). */
static void split_arn(const char *arn, char *region, size_t rcap, char *id, size_t icap)
{
    const char *p = arn;
    for (int i = 0; i < 3 && p; i++) {
        p = strchr(p, ':');
        p = p ? p + 1 : NULL;
    }
    const char *end = p ? strchr(p, ':') : NULL;
    snprintf(region, rcap, "%.*s", end ? (int)(end - p) : 0, p ? p : "");
    const char *slash = strchr(arn, '/');
    snprintf(id, icap, "%s", slash ? slash + 1 : "");
}

char *kms_replicate_key(const char *primary_arn, const char *region)
{
    char primary_region[64], id[128], body[512];
    split_arn(primary_arn, primary_region, sizeof primary_region, id, sizeof id);
    snprintf(body, sizeof body, "{\"KeyId\":\"%s\",\"ReplicaRegion\":\"%s\"}", id, region);
    cJSON *r = kms_control("op/ReplicateKey", primary_region, body);
    char *arn = strdup_item(r, "ReplicaKeyMetadata", "Arn");
    cJSON_Delete(r);
    return arn;
}

void kms_disable_key(const char *arn)
{
    char region[64], id[128], body[512];
    split_arn(arn, region, sizeof region, id, sizeof id);
    snprintf(body, sizeof body, "{\"KeyId\":\"%s\"}", id);
    cJSON_Delete(kms_control("op/DisableKey", region, body));
}

void kms_add_fault(const char *json)
{
    cJSON_Delete(kms_control("faults", NULL, json));
}

void kms_reset(void)
{
    cJSON_Delete(kms_control("reset", NULL, NULL));
}

static cJSON *stats(void)
{
    return kms_control("stats", NULL, NULL);
}

size_t kms_count(const char *op, const char *region)
{
    cJSON *s = stats();
    size_t n = 0;
    const cJSON *r;
    cJSON_ArrayForEach(r, cJSON_GetObjectItemCaseSensitive(s, "requests"))
    {
        const cJSON *o = cJSON_GetObjectItemCaseSensitive(r, "op");
        const cJSON *g = cJSON_GetObjectItemCaseSensitive(r, "region");
        if ((!op || (cJSON_IsString(o) && strcmp(o->valuestring, op) == 0)) &&
            (!region || (cJSON_IsString(g) && strcmp(g->valuestring, region) == 0))) {
            n++;
        }
    }
    cJSON_Delete(s);
    return n;
}

cJSON *kms_request(size_t n)
{
    cJSON *s = stats();
    cJSON *r = cJSON_DetachItemFromArray(cJSON_GetObjectItemCaseSensitive(s, "requests"), (int)n);
    cJSON_Delete(s);
    return r;
}

esdk_kms_options *kms_test_options(void)
{
    esdk_kms_options *o = NULL;
    if (esdk_kms_options_new(&o) != 0 || esdk_kms_options_set_endpoint(o, kms_endpoint()) != 0 ||
        esdk_kms_options_set_credentials(o, KMS_TEST_AKID, KMS_TEST_SECRET, NULL) != 0 ||
        esdk_kms_options_set_retries(o, 3, 5, 40) != 0 ||
        esdk_kms_options_set_timeouts(o, 2000, 5000) != 0) {
        esdk_kms_options_release(o);
        return NULL;
    }
    return o;
}

int kms_closed_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a;
    socklen_t len = sizeof a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof a) != 0 ||
        getsockname(fd, (struct sockaddr *)&a, &len) != 0) {
        if (fd >= 0) {
            close(fd);
        }
        return 1; /* port 1: nothing listens there as a rule */
    }
    close(fd); /* bound, never listened: connections are refused */
    return ntohs(a.sin_port);
}
