#include "materials/key_list.h"

#include <aws-esdk-c/error.h>

#include "common/mem.h"
#include "common/status.h"

/* last: poisons calls this library must not make */
#include "banned.h"

int esdk_key_list_init(esdk_key_list *l, const char *const *keys, size_t count)
{
    l->keys = NULL;
    l->count = 0;
    l->capacity = 0;
    if (count == 0) {
        return 0;
    }
    ESDK_ENSURE(keys != NULL, ESDK_ERR_BAD_ARGUMENT);
    l->keys = esdk_mem_acquire(count * sizeof(char *));
    if (!l->keys) {
        return esdk_fail(ESDK_ERR_NO_MEMORY, "cannot copy required keys");
    }
    l->capacity = count;
    for (size_t i = 0; i < count; i++) {
        l->keys[i] = esdk_str_copy(keys[i]);
        l->count = i + 1;
        if (!keys[i] || !l->keys[i]) {
            esdk_key_list_cleanup(l);
            return esdk_fail(
                keys[i] ? ESDK_ERR_NO_MEMORY : ESDK_ERR_BAD_ARGUMENT, "cannot copy required keys");
        }
    }
    return 0;
}

void esdk_key_list_cleanup(esdk_key_list *l)
{
    for (size_t i = 0; i < l->count; i++) {
        esdk_str_release(l->keys[i]);
    }
    esdk_mem_release(l->keys, l->capacity * sizeof(char *));
    l->keys = NULL;
    l->count = 0;
    l->capacity = 0;
}
