#ifndef HTABLE_H
#define HTABLE_H

/* htable - hash tables with string keys */

#include <stddef.h>

typedef struct HTABLE_INFO {
    char *key;                  /* owned copy */
    void *value;                /* owned by the caller */
    struct HTABLE_INFO *next;   /* hash chain */
} HTABLE_INFO;

typedef struct HTABLE {
    size_t size;                /* buckets */
    size_t used;                /* entries */
    HTABLE_INFO **data;
} HTABLE;

extern HTABLE *htable_create(size_t size);
extern HTABLE_INFO *htable_enter(HTABLE *table, const char *key, void *value);
extern HTABLE_INFO *htable_locate(HTABLE *table, const char *key);
extern void *htable_find(HTABLE *table, const char *key);
extern void htable_delete(HTABLE *table, const char *key, void (*free_fn)(void *));
extern void htable_free(HTABLE *table, void (*free_fn)(void *));
extern HTABLE_INFO **htable_list(HTABLE *table);   /* null-terminated, caller frees */
extern HTABLE_INFO **htable_list_sorted(HTABLE *table);
extern size_t htable_hash(const char *key, size_t size);

#endif
