/* Internal EDK list helpers beyond the public API. */
#ifndef ESDK_FORMAT_EDK_LIST_H
#define ESDK_FORMAT_EDK_LIST_H

#include <aws-esdk-c/materials.h>

/* Drop entries from index count on (used to undo a failed keyring call). */
void esdk_edk_list_truncate(esdk_edk_list *list, size_t count);
/* Append copies of every entry of src. */
int esdk_edk_list_append_all(esdk_edk_list *dst, const esdk_edk_list *src);

#endif
