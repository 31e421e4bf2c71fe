/*
 * dict_fail - fail:name, a table whose every operation fails temporarily.
 *
 * Exports dict_fail_open(). Lookups, updates, deletes and sequence all
 * report DICT_ERR_RETRY; the name only labels the table in logging. It lets
 * tests and administrators force the "try again later" path.
 */

#include <errno.h>

#include "dict.h"

/* dict_fail_lookup - always a temporary error */
static const char *dict_fail_lookup(DICT *dict, const char *key)
{
    errno = 0;
    DICT_ERR_VAL_RETURN(dict, DICT_ERR_RETRY, (const char *)0);
}

/* dict_fail_update - always a temporary error */
static int dict_fail_update(DICT *dict, const char *key, const char *value)
{
    errno = 0;
    DICT_ERR_VAL_RETURN(dict, DICT_ERR_RETRY, DICT_STAT_ERROR);
}

/* dict_fail_delete - always a temporary error */
static int dict_fail_delete(DICT *dict, const char *key)
{
    errno = 0;
    DICT_ERR_VAL_RETURN(dict, DICT_ERR_RETRY, DICT_STAT_ERROR);
}

/* dict_fail_sequence - always a temporary error */
static int dict_fail_sequence(DICT *dict, int func, const char **key, const char **value)
{
    errno = 0;
    DICT_ERR_VAL_RETURN(dict, DICT_ERR_RETRY, DICT_STAT_ERROR);
}

/* dict_fail_close - release the table */
static void dict_fail_close(DICT *dict)
{
    dict_free(dict);
}

/* dict_fail_open - make a table that always fails */
DICT *dict_fail_open(const char *name, int open_flags, int dict_flags)
{
    DICT *dict = dict_alloc(DICT_TYPE_FAIL, name, sizeof(*dict));

    dict->lookup = dict_fail_lookup;
    dict->update = dict_fail_update;
    dict->delete = dict_fail_delete;
    dict->sequence = dict_fail_sequence;
    dict->close = dict_fail_close;
    dict->flags = dict_flags | DICT_FLAG_PATTERN;
    dict->owner.status = DICT_OWNER_TRUSTED;
    dict->error = DICT_ERR_RETRY;
    return (dict);
}
