/* The file-backed branch key store (keyrings/hierarchy.h), shared between its read side
 * (file_store.c) and its write side (file_store_write.c). */
#ifndef ESDK_KEYRINGS_HIERARCHY_FILE_STORE_H
#define ESDK_KEYRINGS_HIERARCHY_FILE_STORE_H

#include <cjson/cJSON.h>
#include <pthread.h>

#include "keyrings/hierarchy/internal.h"

#define FS_FORMAT   "aws-esdk-c branch keys v1"
#define FS_MAX_FILE (4u << 20) /* 4 MiB: tens of thousands of versions */

struct file_store {
    char *dir;
    pthread_mutex_t write_lock; /* writers in this process; a lock file for other processes */
};

extern const esdk_branch_key_supplier_vtable esdk_hk_fs_vtable;

/* "<dir>/<id>.json" (release with esdk_str_release), after checking id can be a file name. */
int esdk_hk_fs_path(const struct file_store *fs, const char *id, char **path);
/* Read and parse a branch key file. ESDK_ERR_BAD_KEY (missing), ESDK_ERR_ACCESS_DENIED (mode
 * too open), ESDK_ERR_IO, ESDK_ERR_BAD_ARGUMENT (not a branch key file of id). */
int esdk_hk_fs_load(const char *path, const char *id, cJSON **root);
/* Wipe every string in the tree, then free it (cJSON does not wipe). */
void esdk_hk_fs_json_free(cJSON *root);
/* The versions object; the version entry whose UUID is version (NULL if none). */
cJSON *esdk_hk_fs_versions(const cJSON *root);
cJSON *
esdk_hk_fs_find_version(const cJSON *root, const uint8_t version[ESDK_BRANCH_KEY_VERSION_LEN]);

#endif
