/*
 * dict_union - unionmap:{type:name, type:name, ...}, all answers joined.
 *
 * Exports dict_union_open(). The key is looked up in every component; the
 * results that were found are joined with commas in component order. No
 * result at all is "not found"; an error in any component makes the whole
 * lookup fail with that error, so that a temporary failure is never
 * mistaken for a shorter answer.
 */

#include "dict.h"
#include "mymalloc.h"
#include "vstring.h"

typedef struct DICT_UNION {
    DICT dict;
    DICT **parts;
    int count;
    VSTRING *result;
} DICT_UNION;

/* dict_union_lookup - ask every component and join the answers */
static const char *dict_union_lookup(DICT *dict, const char *key)
{
    DICT_UNION *du = (DICT_UNION *)dict;
    const char *value;
    int found = 0;
    int i;

    VSTRING_RESET(du->result);
    for (i = 0; i < du->count; i++) {
        if ((value = dict_get(du->parts[i], key)) != 0) {
            if (found++)
                VSTRING_ADDCH(du->result, ',');
            vstring_strcat(du->result, value);
        } else if (du->parts[i]->error != DICT_ERR_NONE) {
            DICT_ERR_VAL_RETURN(dict, du->parts[i]->error, (const char *)0);
        }
    }
    DICT_ERR_VAL_RETURN(dict, DICT_ERR_NONE, found ? vstring_str(du->result) : (const char *)0);
}

/* dict_union_close - close the components and the union */
static void dict_union_close(DICT *dict)
{
    DICT_UNION *du = (DICT_UNION *)dict;
    int i;

    for (i = 0; i < du->count; i++)
        dict_close(du->parts[i]);
    myfree(du->parts);
    vstring_free(du->result);
    dict_free(dict);
}

/* dict_union_open - open the components */
DICT *dict_union_open(const char *name, int open_flags, int dict_flags)
{
    DICT **parts;
    int count;
    DICT *dict = dict_compose_open(DICT_TYPE_UNION, name, open_flags, dict_flags,
                                   sizeof(DICT_UNION), &parts, &count);
    DICT_UNION *du;

    if (dict_is_surrogate(dict))
        return (dict);
    du = (DICT_UNION *)dict;
    du->parts = parts;
    du->count = count;
    du->result = vstring_alloc(100);
    dict->lookup = dict_union_lookup;
    dict->close = dict_union_close;
    return (dict);
}
