/* Metadata lines (JSON through cJSON). Keys are written in sorted order, like the official
 * CLI's json.dumps(sort_keys=True). */
#include "metadata.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "args.h"
#include "base64.h"

int cli_metadata_open(cli_metadata *m, const char *path, bool truncate)
{
    struct stat st;
    memset(m, 0, sizeof *m);
    if (strcmp(path, "-") == 0) {
        m->f = stdout;
        m->to_stdout = true;
        return 0;
    }
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        cli_error("--metadata-output %s: metadata output cannot be a directory", path);
        return -1;
    }
    int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | (truncate ? O_TRUNC : 0), 0666);
    if (fd < 0) {
        cli_error("--metadata-output %s: %s", path, strerror(errno));
        return -1;
    }
    m->f = fdopen(fd, "a");
    m->path = realpath(path, NULL);
    if (!m->f || !m->path) {
        cli_error("--metadata-output %s: %s", path, strerror(errno));
        if (m->f) {
            fclose(m->f);
        } else {
            close(fd);
        }
        free(m->path);
        memset(m, 0, sizeof *m);
        return -1;
    }
    return 0;
}

void cli_metadata_close(cli_metadata *m)
{
    if (m->f && !m->to_stdout) {
        fclose(m->f);
    }
    free(m->path);
    memset(m, 0, sizeof *m);
}

static cJSON *b64_string(const uint8_t *data, size_t len)
{
    char *text = cli_b64_encode(data, len);
    cJSON *s = text ? cJSON_CreateString(text) : NULL;
    free(text);
    return s;
}

static cJSON *text_string(const uint8_t *data, size_t len)
{
    char *text = strndup((const char *)data, len);
    cJSON *s = text ? cJSON_CreateString(text) : NULL;
    free(text);
    return s;
}

static cJSON *edk_json(const esdk_edk *edk)
{
    cJSON *o = cJSON_CreateObject();
    cJSON *provider = cJSON_CreateObject();
    if (!o || !provider) {
        cJSON_Delete(o);
        cJSON_Delete(provider);
        return NULL;
    }
    cJSON_AddItemToObject(
        o, "encrypted_data_key", b64_string(edk->ciphertext, edk->ciphertext_len));
    cJSON_AddItemToObject(
        provider, "key_info", b64_string(edk->provider_info, edk->provider_info_len));
    cJSON_AddItemToObject(
        provider, "provider_id", b64_string(edk->provider_id, edk->provider_id_len));
    cJSON_AddItemToObject(o, "key_provider", provider);
    cJSON_AddItemToObject(o, "provider_id", text_string(edk->provider_id, edk->provider_id_len));
    cJSON_AddItemToObject(
        o, "provider_info", b64_string(edk->provider_info, edk->provider_info_len));
    return o;
}

static cJSON *context_json(const esdk_enc_ctx *ctx)
{
    cJSON *o = cJSON_CreateObject();
    /* entries come sorted by key bytes */
    for (size_t i = 0; o && ctx && i < esdk_enc_ctx_count(ctx); i++) {
        const uint8_t *k, *v;
        size_t kl, vl;
        if (esdk_enc_ctx_entry(ctx, i, &k, &kl, &v, &vl) != 0) {
            break;
        }
        char *key = strndup((const char *)k, kl);
        if (key) {
            cJSON_AddItemToObject(o, key, text_string(v, vl));
        }
        free(key);
    }
    return o;
}

cJSON *cli_metadata_header(const esdk_session *s)
{
    const uint16_t suite = esdk_session_suite(s);
    const esdk_edk_list *edks = esdk_session_edks(s);
    const uint8_t *id;
    size_t id_len;
    char suite_hex[8];
    cJSON *h = cJSON_CreateObject();
    cJSON *list = cJSON_CreateArray();
    if (!h || !list || esdk_session_message_id(s, &id, &id_len) != 0) {
        cJSON_Delete(h);
        cJSON_Delete(list);
        return NULL;
    }
    snprintf(suite_hex, sizeof suite_hex, "0x%04x", suite);
    cJSON_AddStringToObject(h, "algorithm", esdk_suite_name(suite));
    cJSON_AddStringToObject(h, "algorithm_id", suite_hex);
    cJSON_AddNumberToObject(h, "content_type", esdk_session_frame_length(s) ? 2 : 1);
    for (size_t i = 0; edks && i < esdk_edk_list_count(edks); i++) {
        esdk_edk edk;
        if (esdk_edk_list_get(edks, i, &edk) == 0) {
            cJSON_AddItemToArray(list, edk_json(&edk));
        }
    }
    cJSON_AddItemToObject(h, "encrypted_data_keys", list);
    cJSON_AddItemToObject(h, "encryption_context", context_json(esdk_session_header_context(s)));
    cJSON_AddNumberToObject(h, "frame_length", esdk_session_frame_length(s));
    cJSON_AddItemToObject(h, "message_id", b64_string(id, id_len));
    cJSON_AddStringToObject(h, "version", esdk_suite_message_version(suite) == 2 ? "2.0" : "1.0");
    return h;
}

static cJSON *path_json(const char *path, const char *dash)
{
    if (strcmp(path, "-") == 0) {
        return cJSON_CreateString(dash);
    }
    char *abs = realpath(path, NULL);
    char cwd[PATH_MAX];
    cJSON *s;
    if (!abs && path[0] != '/' && getcwd(cwd, sizeof cwd)) {
        /* a path that does not exist (an output refused by the -c check) */
        size_t n = strlen(cwd) + 1 + strlen(path) + 1;
        abs = malloc(n);
        if (abs) {
            snprintf(abs, n, "%s/%s", cwd, path);
        }
    }
    s = cJSON_CreateString(abs ? abs : path);
    free(abs);
    return s;
}

static void add_mismatch(cJSON *o, const cli_ctx_mismatch *mm)
{
    cJSON *keys = cJSON_CreateArray();
    cJSON *pairs = cJSON_CreateArray();
    for (size_t i = 0; i < mm->missing_key_count; i++) {
        cJSON_AddItemToArray(keys, cJSON_CreateString(mm->missing_keys[i]->key));
    }
    for (size_t i = 0; i < mm->missing_pair_count; i++) {
        cJSON *pair = cJSON_CreateArray();
        cJSON_AddItemToArray(pair, cJSON_CreateString(mm->missing_pairs[i]->key));
        cJSON_AddItemToArray(pair, cJSON_CreateString(mm->missing_pairs[i]->value));
        cJSON_AddItemToArray(pairs, pair);
    }
    cJSON_AddItemToObject(o, "missing_encryption_context_keys", keys);
    cJSON_AddItemToObject(o, "missing_encryption_context_pairs", pairs);
}

int cli_metadata_write(
    cli_metadata *m,
    esdk_mode mode,
    const char *input,
    const char *output,
    cJSON *header,
    const cli_ctx_mismatch *mm,
    cli_err *err)
{
    if (!m->f) {
        cJSON_Delete(header);
        return 0;
    }
    cJSON *o = cJSON_CreateObject();
    if (!o) {
        cJSON_Delete(header);
        return cli_err_set(err, ESDK_ERR_NO_MEMORY, "out of memory");
    }
    if (header) {
        cJSON_AddItemToObject(o, "header", header);
    }
    cJSON_AddItemToObject(o, "input", path_json(input, "<stdin>"));
    if (mm) {
        add_mismatch(o, mm);
    }
    cJSON_AddStringToObject(o, "mode", cli_mode_name(mode));
    cJSON_AddItemToObject(o, "output", path_json(output, "<stdout>"));
    if (mm) {
        cJSON_AddStringToObject(o, "reason", "Missing encryption context key or value");
        cJSON_AddTrueToObject(o, "skipped");
    }
    char *line = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    if (!line) {
        return cli_err_set(err, ESDK_ERR_NO_MEMORY, "out of memory");
    }
    int bad = fputs(line, m->f) < 0 || fputc('\n', m->f) == EOF || fflush(m->f) != 0;
    free(line);
    if (bad) {
        return cli_err_set(err, ESDK_ERR_IO, "cannot write the metadata: %s", strerror(errno));
    }
    return 0;
}
