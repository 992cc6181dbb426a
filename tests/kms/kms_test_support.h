/* Helpers for the tests that run against kms-local (started by run-with-server.sh, which
 * exports KMS_LOCAL_ENDPOINT): its unsigned control endpoint (keys, faults, statistics), and
 * keyring options pointing at it with the server's built-in test credentials. */
#ifndef ESDK_KMS_TEST_SUPPORT_H
#define ESDK_KMS_TEST_SUPPORT_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>

#include <aws-esdk-c/esdk.h>

#define KMS_TEST_AKID        "AKIDLOCALTEST"
#define KMS_TEST_SECRET      "local/secret/key/for/tests"
#define KMS_TEST_TEMP_AKID   "ASIALOCALTEMP"
#define KMS_TEST_TEMP_SECRET "temp/secret"
#define KMS_TEST_TEMP_TOKEN  "local-session-token"
#define KMS_TEST_ACCOUNT     "111122223333"

/* The endpoint, or exit 77 with a message when not run through run-with-server.sh. */
const char *kms_endpoint(void);
/* POST json (NULL: "{}") to /__control/PATH with the region header; the parsed answer
 * (cJSON_Delete it), or NULL on any failure (printed). */
cJSON *kms_control(const char *path, const char *region, const char *json);
/* A new key; returns its ARN (free()). */
char *kms_create_key(const char *region, bool multi_region);
/* Replicate an MRK (ARN in its primary region) to region; returns the replica ARN (free()). */
char *kms_replicate_key(const char *primary_arn, const char *region);
/* Disable a key by ARN. */
void kms_disable_key(const char *arn);
/* Add a fault (JSON object, see kms-local.js) / forget faults and statistics. */
void kms_add_fault(const char *json);
void kms_reset(void);
/* How many signed requests reached the server (op and region may be NULL = any). */
size_t kms_count(const char *op, const char *region);
/* The n-th recorded request (cJSON_Delete the result). */
cJSON *kms_request(size_t n);
/* Options: endpoint, test credentials, quick retries (3 attempts, 5..40 ms). */
esdk_kms_options *kms_test_options(void);
/* A port on 127.0.0.1 with nothing listening. */
int kms_closed_port(void);

#endif
