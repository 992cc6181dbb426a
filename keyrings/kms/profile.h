/* Reading the AWS shared credentials and config files (INI-like: [section], key = value,
 * '#' and ';' comments, indented lines belong to nested settings and are skipped). */
#ifndef ESDK_KMS_PROFILE_H
#define ESDK_KMS_PROFILE_H

#include <stddef.h>

/* Look up keys (case-insensitive) in section (compared after trimming and collapsing
 * spaces) of the file at path. 0: the section exists and values[i] is a copy of each
 * value found, or NULL (release with esdk_kms_secret_str_release); 1: no such file or
 * section (values all NULL); ESDK_ERR_IO: the file exists but cannot be read. */
int esdk_kms_profile_read(
    const char *path,
    const char *section,
    const char *const *keys,
    size_t key_count,
    char **values);

/* Wipe and release a string that may hold a secret (NULL ignored). */
void esdk_kms_secret_str_release(char *s);

#endif
