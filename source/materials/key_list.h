/* An owned list of strings (required encryption-context keys). */
#ifndef ESDK_MATERIALS_KEY_LIST_H
#define ESDK_MATERIALS_KEY_LIST_H

#include <stddef.h>

typedef struct esdk_key_list {
    char **keys;
    size_t count;
    size_t capacity;
} esdk_key_list;

int esdk_key_list_init(esdk_key_list *l, const char *const *keys, size_t count);
void esdk_key_list_cleanup(esdk_key_list *l);

#endif
