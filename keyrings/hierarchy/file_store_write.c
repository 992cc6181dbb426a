/* The file-backed branch key store: creating and rotating branch keys. A file is replaced
 * whole (a new 0600 file, fsync, rename), under a lock file for writers in other processes
 * and a mutex for threads of this one. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <aws-esdk-c/error.h>

#include "common/buf.h"
#include "common/mem.h"
#include "common/status.h"
#include "crypto/base64.h"
#include "crypto/random.h"
#include "keyrings/hierarchy/file_store.h"

/* last: poisons calls this library must not make */
#include "banned.h"

/* Hold the store's lock file (flock) while writing. */
static int lock_store(const struct file_store *fs, int *fd)
{
    size_t len = strlen(fs->dir) + sizeof "/.lock";
    char *path = esdk_mem_acquire(len);
    if (!path) {
        return esdk_fail(ESDK_ERR_NO_MEMORY, "cannot allocate a path");
    }
    snprintf(path, len, "%s/.lock", fs->dir);
    *fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    int rc = *fd < 0 ? esdk_fail(ESDK_ERR_IO, "cannot open %s: %s", path, strerror(errno)) : 0;
    while (rc == 0 && flock(*fd, LOCK_EX) != 0) {
        if (errno != EINTR) {
            rc = esdk_fail(ESDK_ERR_IO, "cannot lock %s: %s", path, strerror(errno));
            close(*fd);
            *fd = -1;
        }
    }
    esdk_str_release(path);
    return rc;
}

/* Write text to path through a temporary 0600 file and a rename. */
static int replace_file(const char *path, const char *text)
{
    size_t len = strlen(path) + sizeof ".tmp";
    char *tmp = esdk_mem_acquire(len);
    if (!tmp) {
        return esdk_fail(ESDK_ERR_NO_MEMORY, "cannot allocate a path");
    }
    snprintf(tmp, len, "%s.tmp", path);
    (void)unlink(tmp); /* left over from a crash; we hold the lock */
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    int rc = fd < 0 ? esdk_fail(ESDK_ERR_IO, "cannot create %s: %s", tmp, strerror(errno)) : 0;
    size_t done = 0, total = strlen(text);
    while (rc == 0 && done < total) {
        ssize_t n = write(fd, text + done, total - done);
        if (n < 0 && errno != EINTR) {
            rc = esdk_fail(ESDK_ERR_IO, "cannot write %s: %s", tmp, strerror(errno));
        } else if (n > 0) {
            done += (size_t)n;
        }
    }
    if (rc == 0 && fsync(fd) != 0) {
        rc = esdk_fail(ESDK_ERR_IO, "cannot sync %s: %s", tmp, strerror(errno));
    }
    if (fd >= 0 && close(fd) != 0 && rc == 0) {
        rc = esdk_fail(ESDK_ERR_IO, "cannot close %s: %s", tmp, strerror(errno));
    }
    if (rc == 0 && rename(tmp, path) != 0) {
        rc = esdk_fail(ESDK_ERR_IO, "cannot rename %s to %s: %s", tmp, path, strerror(errno));
    }
    if (rc && fd >= 0) {
        (void)unlink(tmp);
    }
    esdk_str_release(tmp);
    return rc;
}

/* Add a fresh version to root's versions, make it active, and return its text. */
static int add_version(cJSON *root, char text[ESDK_UUID_STRING_SIZE])
{
    esdk_branch_key bk;
    esdk_buf b64 = ESDK_BUF_INIT;
    char created[32];
    time_t now = time(NULL);
    struct tm tm;
    int rc;
    ESDK_TRY_GOTO(rc, esdk_random_bytes(bk.key, sizeof bk.key));
    ESDK_TRY_GOTO(rc, esdk_hk_uuid_random(bk.version));
    esdk_hk_uuid_format(bk.version, text);
    ESDK_TRY_GOTO(rc, esdk_base64_encode(bk.key, sizeof bk.key, &b64));
    ESDK_TRY_GOTO(rc, esdk_buf_append_u8(&b64, 0));
    if (!gmtime_r(&now, &tm) || !strftime(created, sizeof created, "%Y-%m-%dT%H:%M:%SZ", &tm)) {
        created[0] = '\0';
    }
    cJSON *entry = cJSON_CreateObject();
    if (!entry || !cJSON_AddStringToObject(entry, "key", (const char *)b64.data) ||
        !cJSON_AddStringToObject(entry, "created", created) ||
        !cJSON_AddItemToObject(esdk_hk_fs_versions(root), text, entry)) {
        esdk_hk_fs_json_free(entry);
        rc = esdk_fail(ESDK_ERR_NO_MEMORY, "cannot build a branch key file");
        goto cleanup;
    }
    cJSON_DeleteItemFromObjectCaseSensitive(root, "active");
    if (!cJSON_AddStringToObject(root, "active", text)) {
        rc = esdk_fail(ESDK_ERR_NO_MEMORY, "cannot build a branch key file");
    }
cleanup:
    esdk_wipe(&bk, sizeof bk);
    esdk_buf_release(&b64);
    return rc;
}

/* Write root to path (the printed JSON holds keys: wiped before it is freed). */
static int save(const char *path, const cJSON *root)
{
    char *text = cJSON_Print(root);
    if (!text) {
        return esdk_fail(ESDK_ERR_NO_MEMORY, "cannot print a branch key file");
    }
    int rc = replace_file(path, text);
    esdk_wipe(text, strlen(text));
    cJSON_free(text);
    return rc;
}

static int new_root(const char *id, cJSON **out)
{
    cJSON *root = cJSON_CreateObject();
    if (!root || !cJSON_AddStringToObject(root, "format", FS_FORMAT) ||
        !cJSON_AddStringToObject(root, "branch-key-id", id) ||
        !cJSON_AddObjectToObject(root, "versions")) {
        cJSON_Delete(root);
        return esdk_fail(ESDK_ERR_NO_MEMORY, "cannot build a branch key file");
    }
    *out = root;
    return 0;
}

static int write_version(
    esdk_branch_key_supplier *store,
    const char *id,
    bool create,
    char version[ESDK_UUID_STRING_SIZE])
{
    struct file_store *fs = esdk_hk_supplier_state_if(store, &esdk_hk_fs_vtable);
    if (!fs || !id) {
        return esdk_fail(ESDK_ERR_BAD_ARGUMENT, "not a file branch key store, or no id");
    }
    char *path = NULL;
    cJSON *root = NULL;
    char text[ESDK_UUID_STRING_SIZE];
    int lock_fd = -1, rc;
    ESDK_TRY(esdk_hk_fs_path(fs, id, &path));
    pthread_mutex_lock(&fs->write_lock);
    ESDK_TRY_GOTO(rc, lock_store(fs, &lock_fd));
    if (create) {
        struct stat st;
        if (lstat(path, &st) == 0) {
            rc = esdk_fail(ESDK_ERR_BAD_STATE, "branch key %s exists already", id);
            goto cleanup;
        }
        ESDK_TRY_GOTO(rc, new_root(id, &root));
    } else {
        ESDK_TRY_GOTO(rc, esdk_hk_fs_load(path, id, &root));
    }
    ESDK_TRY_GOTO(rc, add_version(root, text));
    ESDK_TRY_GOTO(rc, save(path, root));
    if (version) {
        memcpy(version, text, sizeof text);
    }
cleanup:
    if (lock_fd >= 0) {
        close(lock_fd); /* releases the flock */
    }
    pthread_mutex_unlock(&fs->write_lock);
    esdk_hk_fs_json_free(root);
    esdk_str_release(path);
    return rc;
}

int esdk_branch_key_store_file_create(
    esdk_branch_key_supplier *store, const char *branch_key_id, char version[ESDK_UUID_STRING_SIZE])
{
    return write_version(store, branch_key_id, true, version);
}

int esdk_branch_key_store_file_rotate(
    esdk_branch_key_supplier *store, const char *branch_key_id, char version[ESDK_UUID_STRING_SIZE])
{
    return write_version(store, branch_key_id, false, version);
}
