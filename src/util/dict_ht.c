/*
 * dict_ht - an in-memory table ("internal:name").
 *
 * Exports dict_ht_open(). The table starts empty; updates add or replace
 * entries, so it is the store behind dict_update() on a name that was never
 * opened (main.cf parameters, for example). Lookups, deletes and sequence
 * work as on any other table; sequence walks a snapshot in key order, so
 * the caller must not delete entries in the middle of a walk. Nothing here fails except for lack of memory,
 * which is fatal in mymalloc.
 */

#include <string.h>

#include "dict.h"
#include "htable.h"
#include "mymalloc.h"

typedef struct DICT_HT {
    DICT dict;
    HTABLE *table;
    HTABLE_INFO **seq_list; /* snapshot for sequence() */
    HTABLE_INFO **seq_next;
} DICT_HT;

/* dict_ht_lookup - find a key */
static const char *dict_ht_lookup(DICT *dict, const char *key)
{
    DICT_HT *dh = (DICT_HT *)dict;

    key = dict_fold_key(dict, key);
    DICT_ERR_VAL_RETURN(dict, DICT_ERR_NONE, (const char *)htable_find(dh->table, key));
}

/* dict_ht_update - add or replace an entry */
static int dict_ht_update(DICT *dict, const char *key, const char *value)
{
    DICT_HT *dh = (DICT_HT *)dict;
    HTABLE_INFO *ht;

    key = dict_fold_key(dict, key);
    dict->error = DICT_ERR_NONE;
    if ((ht = htable_locate(dh->table, key)) != 0) {
        if (dict->flags & (DICT_FLAG_DUP_WARN | DICT_FLAG_DUP_IGNORE))
            if (dict_dup_policy(dict, dict->name, key) == DICT_DUP_KEEP)
                return (DICT_STAT_FAIL);
        myfree(ht->value);
        ht->value = mystrdup(value);
    } else {
        htable_enter(dh->table, key, mystrdup(value));
    }
    return (DICT_STAT_SUCCESS);
}

/* dict_ht_delete - remove an entry */
static int dict_ht_delete(DICT *dict, const char *key)
{
    DICT_HT *dh = (DICT_HT *)dict;

    key = dict_fold_key(dict, key);
    dict->error = DICT_ERR_NONE;
    if (htable_locate(dh->table, key) == 0)
        return (DICT_STAT_FAIL);
    htable_delete(dh->table, key, myfree);
    return (DICT_STAT_SUCCESS);
}

/* dict_ht_sequence - walk a snapshot of the entries in key order */
static int dict_ht_sequence(DICT *dict, int func, const char **key, const char **value)
{
    DICT_HT *dh = (DICT_HT *)dict;

    dict->error = DICT_ERR_NONE;
    if (func == DICT_SEQ_FUN_FIRST) {
        if (dh->seq_list)
            myfree(dh->seq_list);
        dh->seq_list = htable_list_sorted(dh->table);
        dh->seq_next = dh->seq_list;
    } else if (func != DICT_SEQ_FUN_NEXT || dh->seq_list == 0) {
        return (DICT_STAT_FAIL);
    }
    if (*dh->seq_next == 0) {
        myfree(dh->seq_list);
        dh->seq_list = dh->seq_next = 0;
        return (DICT_STAT_FAIL);
    }
    *key = (*dh->seq_next)->key;
    *value = (const char *)(*dh->seq_next)->value;
    dh->seq_next++;
    return (DICT_STAT_SUCCESS);
}

/* dict_ht_close - free the table */
static void dict_ht_close(DICT *dict)
{
    DICT_HT *dh = (DICT_HT *)dict;

    htable_free(dh->table, myfree);
    if (dh->seq_list)
        myfree(dh->seq_list);
    dict_free(dict);
}

/* dict_ht_open - create an empty in-memory table */
DICT *dict_ht_open(const char *name, int open_flags, int dict_flags)
{
    DICT_HT *dh = (DICT_HT *)dict_alloc(DICT_TYPE_HT, name, sizeof(*dh));

    dh->dict.lookup = dict_ht_lookup;
    dh->dict.update = dict_ht_update;
    dh->dict.delete = dict_ht_delete;
    dh->dict.sequence = dict_ht_sequence;
    dh->dict.close = dict_ht_close;
    dh->dict.flags = dict_flags | DICT_FLAG_FIXED;
    dh->dict.owner.status = DICT_OWNER_TRUSTED;
    dh->table = htable_create(13);
    dh->seq_list = dh->seq_next = 0;
    return (&dh->dict);
}
