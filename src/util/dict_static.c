/*
 * dict_static - static:value, a table that returns the same value for any key.
 *
 * Exports dict_static_open(). The value is the text after "static:", or the
 * text inside "static:{ text }" (which may contain blanks, and may be
 * empty). A brace syntax error is reported through dict_surrogate() as
 * "bad static:name syntax: ...". Only lookup is supported.
 */

#include "dict.h"
#include "mymalloc.h"

/* dict_static_lookup - every key has the one value */
static const char *dict_static_lookup(DICT *dict, const char *key)
{
    DICT_ERR_VAL_RETURN(dict, DICT_ERR_NONE, (const char *)dict->context);
}

/* dict_static_close - release the value */
static void dict_static_close(DICT *dict)
{
    myfree(dict->context);
    dict_free(dict);
}

/* dict_static_open - parse the value and build the table */
DICT *dict_static_open(const char *name, int open_flags, int dict_flags)
{
    char *saved = mystrdup(name);
    char *value = saved;
    const char *err;
    DICT *dict;

    if (*name == '{' && (err = dict_brace_strip(&value)) != 0) {
        dict = dict_surrogate(DICT_TYPE_STATIC, name, open_flags, dict_flags,
                              "bad %s:name syntax: %s", DICT_TYPE_STATIC, err);
        myfree(saved);
        return (dict);
    }
    dict = dict_alloc(DICT_TYPE_STATIC, name, sizeof(*dict));
    dict->lookup = dict_static_lookup;
    dict->close = dict_static_close;
    dict->flags = dict_flags | DICT_FLAG_FIXED;
    dict->owner.status = DICT_OWNER_TRUSTED;
    dict->context = mystrdup(value);
    myfree(saved);
    return (dict);
}
