/* The encrypted data key list: owned copies in message order. */
#include "format/edk_list.h"

#include <string.h>

#include <aws-esdk-c/error.h>
#include <aws-esdk-c/materials.h>

#include "common/mem.h"
#include "common/status.h"

/* last: poisons calls this library must not make */
#include "banned.h"

struct owned_edk {
    uint8_t *fields[3];
    size_t lens[3];
};

struct esdk_edk_list {
    struct owned_edk *items;
    size_t count;
    size_t capacity;
};

int esdk_edk_list_new(esdk_edk_list **out)
{
    ESDK_ENSURE(out != NULL, ESDK_ERR_BAD_ARGUMENT);
    *out = esdk_mem_acquire(sizeof **out);
    return *out ? 0 : esdk_fail(ESDK_ERR_NO_MEMORY, "cannot allocate an EDK list");
}

void esdk_edk_list_release(esdk_edk_list *list)
{
    if (!list) {
        return;
    }
    for (size_t i = 0; i < list->count; i++) {
        for (int f = 0; f < 3; f++) {
            esdk_mem_release(list->items[i].fields[f], list->items[i].lens[f]);
        }
    }
    esdk_mem_release(list->items, list->capacity * sizeof(struct owned_edk));
    esdk_mem_release(list, sizeof *list);
}

size_t esdk_edk_list_count(const esdk_edk_list *list)
{
    return list ? list->count : 0;
}

int esdk_edk_list_get(const esdk_edk_list *list, size_t index, esdk_edk *out)
{
    ESDK_ENSURE(list != NULL && out != NULL && index < list->count, ESDK_ERR_BAD_ARGUMENT);
    const struct owned_edk *e = &list->items[index];
    *out = (esdk_edk){e->fields[0], e->lens[0], e->fields[1], e->lens[1], e->fields[2], e->lens[2]};
    return 0;
}

int esdk_edk_list_append(esdk_edk_list *list, const esdk_edk *edk)
{
    ESDK_ENSURE(list != NULL && edk != NULL, ESDK_ERR_BAD_ARGUMENT);
    const uint8_t *src[3] = {edk->provider_id, edk->provider_info, edk->ciphertext};
    size_t lens[3] = {edk->provider_id_len, edk->provider_info_len, edk->ciphertext_len};
    for (int f = 0; f < 3; f++) {
        ESDK_ENSURE(lens[f] <= 0xFFFF && (src[f] || !lens[f]), ESDK_ERR_BAD_ARGUMENT);
    }
    if (list->count == 0xFFFF) {
        return esdk_fail(ESDK_ERR_TOO_MANY_EDKS, "a message holds at most 65535 EDKs");
    }
    if (list->count == list->capacity) {
        size_t cap = list->capacity ? list->capacity * 2 : 4;
        struct owned_edk *items = esdk_mem_acquire(cap * sizeof *items);
        if (!items) {
            return esdk_fail(ESDK_ERR_NO_MEMORY, "cannot grow an EDK list");
        }
        if (list->count) {
            memcpy(items, list->items, list->count * sizeof *items);
        }
        esdk_mem_release(list->items, list->capacity * sizeof *items);
        list->items = items;
        list->capacity = cap;
    }
    struct owned_edk e = {{NULL, NULL, NULL}, {0, 0, 0}};
    for (int f = 0; f < 3; f++) {
        e.fields[f] = esdk_bytes_copy(src[f], lens[f]);
        e.lens[f] = lens[f];
        if (!e.fields[f]) {
            for (int g = 0; g < f; g++) {
                esdk_mem_release(e.fields[g], e.lens[g]);
            }
            return esdk_fail(ESDK_ERR_NO_MEMORY, "cannot copy an EDK");
        }
    }
    list->items[list->count++] = e;
    return 0;
}

void esdk_edk_list_truncate(esdk_edk_list *list, size_t count)
{
    while (list && list->count > count) {
        struct owned_edk *e = &list->items[--list->count];
        for (int f = 0; f < 3; f++) {
            esdk_mem_release(e->fields[f], e->lens[f]);
        }
    }
}

int esdk_edk_list_append_all(esdk_edk_list *dst, const esdk_edk_list *src)
{
    for (size_t i = 0; i < esdk_edk_list_count(src); i++) {
        esdk_edk e;
        ESDK_TRY(esdk_edk_list_get(src, i, &e));
        ESDK_TRY(esdk_edk_list_append(dst, &e));
    }
    return 0;
}
