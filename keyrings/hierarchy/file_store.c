/* The file-backed branch key store: reading (see keyrings/hierarchy.h for the format and
 * the mode rules). Writing is in file_store_write.c. */
#include "keyrings/hierarchy/file_store.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <aws-esdk-c/error.h>

#include "common/buf.h"
#include "common/mem.h"
#include "common/status.h"
#include "crypto/base64.h"

/* last: poisons calls this library must not make */
#include "banned.h"

#define MAX_ID_LEN 200

static bool id_is_file_name(const char *id)
{
    size_t n = strlen(id);
    if (n == 0 || n > MAX_ID_LEN || id[0] == '.') {
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        char c = id[i];
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '-')) {
            return false;
        }
    }
    return true;
}

int esdk_hk_fs_path(const struct file_store *fs, const char *id, char **path)
{
    if (!id_is_file_name(id)) {
        return esdk_fail(
            ESDK_ERR_BAD_ARGUMENT,
            "a file store branch key id is 1 to %d characters of A-Z a-z 0-9 . _ - "
            "not starting with '.'",
            MAX_ID_LEN);
    }
    size_t len = strlen(fs->dir) + 1 + strlen(id) + sizeof ".json";
    char *p = esdk_mem_acquire(len);
    if (!p) {
        return esdk_fail(ESDK_ERR_NO_MEMORY, "cannot allocate a path");
    }
    snprintf(p, len, "%s/%s.json", fs->dir, id);
    *path = p;
    return 0;
}

static void wipe_strings(cJSON *item)
{
    for (; item; item = item->next) {
        if (item->valuestring) {
            esdk_wipe(item->valuestring, strlen(item->valuestring));
        }
        wipe_strings(item->child);
    }
}

void esdk_hk_fs_json_free(cJSON *root)
{
    if (root) {
        wipe_strings(root);
        cJSON_Delete(root);
    }
}

/* The whole file, after the checks on its kind, mode and size. */
static int read_all(const char *path, esdk_buf *out)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) {
        return errno == ENOENT
                   ? esdk_fail(ESDK_ERR_BAD_KEY, "no branch key file %s", path)
                   : esdk_fail(ESDK_ERR_IO, "cannot open %s: %s", path, strerror(errno));
    }
    struct stat st;
    int rc = 0;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        rc = esdk_fail(ESDK_ERR_IO, "%s is not a regular file", path);
    } else if (st.st_mode & (S_IRWXG | S_IRWXO)) {
        rc = esdk_fail(
            ESDK_ERR_ACCESS_DENIED,
            "branch key file %s is open to other users (mode %03o); it holds keys in the clear: "
            "chmod 600 it",
            path,
            (unsigned)(st.st_mode & 0777));
    } else if ((uint64_t)st.st_size > FS_MAX_FILE) {
        rc =
            esdk_fail(ESDK_ERR_IO, "branch key file %s is larger than %u bytes", path, FS_MAX_FILE);
    } else {
        rc = esdk_buf_reserve(out, (size_t)st.st_size + 1);
    }
    while (rc == 0) {
        ssize_t n = read(fd, out->data + out->len, out->capacity - out->len);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            rc = esdk_fail(ESDK_ERR_IO, "cannot read %s: %s", path, strerror(errno));
        } else if (n == 0) {
            break;
        } else if ((out->len += (size_t)n) == out->capacity) {
            rc = esdk_fail(ESDK_ERR_IO, "branch key file %s changed while being read", path);
        }
    }
    close(fd);
    return rc;
}

int esdk_hk_fs_load(const char *path, const char *id, cJSON **root)
{
    esdk_buf text = ESDK_BUF_INIT;
    int rc = read_all(path, &text);
    if (rc == 0) {
        cJSON *j = cJSON_ParseWithLength((const char *)text.data, text.len);
        const cJSON *fmt = cJSON_GetObjectItemCaseSensitive(j, "format");
        const cJSON *bid = cJSON_GetObjectItemCaseSensitive(j, "branch-key-id");
        if (!cJSON_IsObject(j) || !cJSON_IsString(fmt) ||
            strcmp(fmt->valuestring, FS_FORMAT) != 0 || !cJSON_IsString(bid) ||
            strcmp(bid->valuestring, id) != 0 || !esdk_hk_fs_versions(j)) {
            esdk_hk_fs_json_free(j);
            rc = esdk_fail(
                ESDK_ERR_BAD_ARGUMENT,
                "%s is not a branch key file (%s) of %s",
                path,
                FS_FORMAT,
                id);
        } else {
            *root = j;
        }
    }
    esdk_buf_release(&text); /* wipes */
    return rc;
}

cJSON *esdk_hk_fs_versions(const cJSON *root)
{
    cJSON *v = cJSON_GetObjectItemCaseSensitive(root, "versions");
    return cJSON_IsObject(v) ? v : NULL;
}

cJSON *
esdk_hk_fs_find_version(const cJSON *root, const uint8_t version[ESDK_BRANCH_KEY_VERSION_LEN])
{
    cJSON *v;
    cJSON_ArrayForEach(v, esdk_hk_fs_versions(root))
    {
        uint8_t bytes[ESDK_BRANCH_KEY_VERSION_LEN];
        if (v->string && esdk_hk_uuid_parse(v->string, bytes) &&
            esdk_bytes_equal(bytes, sizeof bytes, version, ESDK_BRANCH_KEY_VERSION_LEN)) {
            return v;
        }
    }
    return NULL;
}

/* Fill out from a version entry {"key": base64 of 32 bytes}. */
static int
take_key(const char *path, const cJSON *entry, const uint8_t *version, esdk_branch_key *out)
{
    const cJSON *key = cJSON_GetObjectItemCaseSensitive(entry, "key");
    esdk_buf raw = ESDK_BUF_INIT;
    int rc = cJSON_IsString(key)
                 ? esdk_base64_decode(key->valuestring, strlen(key->valuestring), &raw)
                 : ESDK_ERR_BAD_ARGUMENT;
    if (rc == 0 && raw.len == ESDK_BRANCH_KEY_LEN) {
        memcpy(out->key, raw.data, ESDK_BRANCH_KEY_LEN);
        memcpy(out->version, version, ESDK_BRANCH_KEY_VERSION_LEN);
    } else {
        rc = esdk_fail(ESDK_ERR_BAD_KEY, "%s: a version's key is not 32 bytes of base64", path);
    }
    esdk_buf_release(&raw);
    return rc;
}

static int fs_get_active(void *state, const char *id, esdk_branch_key *out)
{
    const struct file_store *fs = state;
    char *path = NULL;
    cJSON *root = NULL;
    uint8_t version[ESDK_BRANCH_KEY_VERSION_LEN];
    int rc;
    ESDK_TRY_GOTO(rc, esdk_hk_fs_path(fs, id, &path));
    ESDK_TRY_GOTO(rc, esdk_hk_fs_load(path, id, &root));
    const cJSON *active = cJSON_GetObjectItemCaseSensitive(root, "active");
    const cJSON *entry = NULL;
    if (!cJSON_IsString(active) || !esdk_hk_uuid_parse(active->valuestring, version) ||
        !(entry = esdk_hk_fs_find_version(root, version))) {
        rc = esdk_fail(ESDK_ERR_BAD_KEY, "%s names no active version it holds", path);
        goto cleanup;
    }
    rc = take_key(path, entry, version, out);
cleanup:
    esdk_hk_fs_json_free(root);
    esdk_str_release(path);
    return rc;
}

static int fs_get_version(
    void *state,
    const char *id,
    const uint8_t version[ESDK_BRANCH_KEY_VERSION_LEN],
    esdk_branch_key *out)
{
    const struct file_store *fs = state;
    char *path = NULL;
    cJSON *root = NULL;
    int rc;
    ESDK_TRY_GOTO(rc, esdk_hk_fs_path(fs, id, &path));
    rc = esdk_hk_fs_load(path, id, &root);
    if (rc == ESDK_ERR_BAD_KEY) {
        rc = esdk_fail(ESDK_ERR_CANNOT_DECRYPT, "the file store has no branch key %s", id);
    }
    if (rc) {
        goto cleanup;
    }
    const cJSON *entry = esdk_hk_fs_find_version(root, version);
    if (!entry) {
        char text[ESDK_UUID_STRING_SIZE];
        esdk_hk_uuid_format(version, text);
        rc = esdk_fail(ESDK_ERR_CANNOT_DECRYPT, "%s has no version %s", path, text);
        goto cleanup;
    }
    rc = take_key(path, entry, version, out);
cleanup:
    esdk_hk_fs_json_free(root);
    esdk_str_release(path);
    return rc;
}

static void fs_destroy(void *state)
{
    struct file_store *fs = state;
    pthread_mutex_destroy(&fs->write_lock);
    esdk_str_release(fs->dir);
    esdk_mem_release(fs, sizeof *fs);
}

const esdk_branch_key_supplier_vtable esdk_hk_fs_vtable = {
    .size = sizeof(esdk_branch_key_supplier_vtable),
    .name = "file branch key store",
    .get_active = fs_get_active,
    .get_version = fs_get_version,
    .destroy = fs_destroy,
};

int esdk_branch_key_store_file_new(const char *dir, esdk_branch_key_supplier **out)
{
    ESDK_ENSURE(dir != NULL && *dir != '\0' && out != NULL, ESDK_ERR_BAD_ARGUMENT);
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        return esdk_fail(ESDK_ERR_BAD_ARGUMENT, "branch key store %s is not a directory", dir);
    }
    struct file_store *fs = esdk_mem_acquire(sizeof *fs);
    if (!fs) {
        return esdk_fail(ESDK_ERR_NO_MEMORY, "cannot allocate a branch key store");
    }
    fs->dir = esdk_str_copy(dir);
    if (!fs->dir || pthread_mutex_init(&fs->write_lock, NULL) != 0) {
        esdk_str_release(fs->dir);
        esdk_mem_release(fs, sizeof *fs);
        return esdk_fail(ESDK_ERR_NO_MEMORY, "cannot allocate a branch key store");
    }
    return esdk_branch_key_supplier_new(&esdk_hk_fs_vtable, fs, out);
}
