/*
 * htable - hash tables with string keys.
 *
 * Keys are copied; values belong to the caller, who passes a free function
 * when deleting or destroying. Entering a key that exists is a bug (panic):
 * callers that mean "replace" use htable_locate() and assign the value.
 * The table doubles its bucket count when it holds as many entries as
 * buckets, so lookups stay short on average.
 */

#include <stdlib.h>
#include <string.h>

#include "htable.h"
#include "msg.h"
#include "mymalloc.h"

/* htable_hash - FNV-1a over the key bytes */
size_t htable_hash(const char *key, size_t size)
{
    unsigned long h = 2166136261UL;

    while (*key)
        h = (h ^ (unsigned char) *key++) * 16777619UL;
    return (h % size);
}

/* htable_create - create an empty table */
HTABLE *htable_create(size_t size)
{
    HTABLE *table = mymalloc(sizeof(*table));

    table->size = size < 13 ? 13 : size | 1;
    table->used = 0;
    table->data = mycalloc(table->size, sizeof(HTABLE_INFO *));
    return (table);
}

/* grow - double the number of buckets and rehash */
static void grow(HTABLE *table)
{
    size_t old_size = table->size;
    HTABLE_INFO **old = table->data;
    HTABLE_INFO *ht, *next;
    size_t i, h;

    table->size = 2 * old_size + 1;
    table->data = mycalloc(table->size, sizeof(HTABLE_INFO *));
    for (i = 0; i < old_size; i++) {
        for (ht = old[i]; ht; ht = next) {
            next = ht->next;
            h = htable_hash(ht->key, table->size);
            ht->next = table->data[h];
            table->data[h] = ht;
        }
    }
    myfree(old);
}

/* htable_enter - add a new key */
HTABLE_INFO *htable_enter(HTABLE *table, const char *key, void *value)
{
    HTABLE_INFO *ht;
    size_t h;

    if (htable_locate(table, key))
        msg_panic("htable_enter: duplicate key \"%s\"", key);
    if (table->used >= table->size)
        grow(table);
    ht = mymalloc(sizeof(*ht));
    ht->key = mystrdup(key);
    ht->value = value;
    h = htable_hash(key, table->size);
    ht->next = table->data[h];
    table->data[h] = ht;
    table->used++;
    return (ht);
}

/* htable_locate - find the entry for a key */
HTABLE_INFO *htable_locate(HTABLE *table, const char *key)
{
    HTABLE_INFO *ht;

    for (ht = table->data[htable_hash(key, table->size)]; ht; ht = ht->next)
        if (strcmp(ht->key, key) == 0)
            return (ht);
    return (0);
}

/* htable_find - the value for a key, or null */
void *htable_find(HTABLE *table, const char *key)
{
    HTABLE_INFO *ht = htable_locate(table, key);

    return (ht ? ht->value : 0);
}

/* htable_delete - remove a key, freeing its value with free_fn if given */
void htable_delete(HTABLE *table, const char *key, void (*free_fn)(void *))
{
    HTABLE_INFO **pp, *ht;

    for (pp = &table->data[htable_hash(key, table->size)]; (ht = *pp) != 0; pp = &ht->next) {
        if (strcmp(ht->key, key) == 0) {
            *pp = ht->next;
            if (free_fn)
                free_fn(ht->value);
            myfree(ht->key);
            myfree(ht);
            table->used--;
            return;
        }
    }
}

/* htable_free - destroy the table */
void htable_free(HTABLE *table, void (*free_fn)(void *))
{
    HTABLE_INFO *ht, *next;
    size_t i;

    if (table == 0)
        return;
    for (i = 0; i < table->size; i++) {
        for (ht = table->data[i]; ht; ht = next) {
            next = ht->next;
            if (free_fn)
                free_fn(ht->value);
            myfree(ht->key);
            myfree(ht);
        }
    }
    myfree(table->data);
    myfree(table);
}

/* htable_list - all entries, null-terminated; the caller frees the array */
HTABLE_INFO **htable_list(HTABLE *table)
{
    HTABLE_INFO **list = mymalloc((table->used + 1) * sizeof(*list));
    HTABLE_INFO *ht;
    size_t i, n = 0;

    for (i = 0; i < table->size; i++)
        for (ht = table->data[i]; ht; ht = ht->next)
            list[n++] = ht;
    list[n] = 0;
    return (list);
}

/* compare - qsort callback by key */
static int compare(const void *a, const void *b)
{
    return (strcmp((*(HTABLE_INFO *const *) a)->key, (*(HTABLE_INFO *const *) b)->key));
}

/* htable_list_sorted - all entries in key order */
HTABLE_INFO **htable_list_sorted(HTABLE *table)
{
    HTABLE_INFO **list = htable_list(table);

    qsort(list, table->used, sizeof(*list), compare);
    return (list);
}
