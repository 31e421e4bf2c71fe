/*
 * dict_inline - inline:{ key=value, { key = value with blanks }, ... }.
 *
 * Exports dict_inline_open(). The entries are loaded into an in-memory
 * table (dict_ht) that then serves lookups and sequence; a later entry with
 * the same (folded) key replaces an earlier one. Syntax errors are reported
 * through dict_surrogate() in the reference's words, for example
 * bad syntax: "inline:{a=b"; need "inline:{name=value...}".
 */

#include <string.h>

#include "dict.h"
#include "mymalloc.h"
#include "stringops.h"

/* dict_inline_error - describe a syntax error */
static DICT *dict_inline_error(const char *name, int open_flags, int dict_flags, const char *why)
{
    return (dict_surrogate(DICT_TYPE_INLINE, name, open_flags, dict_flags,
                           "%s: \"%s:%s\"; need \"%s:{name=value...}\"", why, DICT_TYPE_INLINE,
                           name, DICT_TYPE_INLINE));
}

/* dict_inline_open - parse the entries into an in-memory table */
DICT *dict_inline_open(const char *name, int open_flags, int dict_flags)
{
    char *saved = mystrdup(name);
    char *text = saved;
    const char *err = 0;
    ARGV *items = 0;
    DICT *dict = 0;
    char *item;
    char *key;
    char *value;
    int i;

    if (*name != '{' || dict_brace_strip(&text) != 0 || *text == 0) {
        dict = dict_inline_error(name, open_flags, dict_flags, "bad syntax");
        myfree(saved);
        return (dict);
    }
    items = dict_brace_split(text);
    dict = dict_ht_open(name, open_flags, (dict_flags & ~DICT_FLAG_DUP_MASK));
    for (i = 0; err == 0 && i < items->argc; i++) {
        item = items->argv[i];
        if (*item == '{' && (err = dict_brace_strip(&item)) != 0)
            break;
        if ((err = split_nameval(item, &key, &value)) == 0)
            (void)dict_put(dict, key, value);
    }
    argv_free(items);
    if (err != 0) {
        DICT *surrogate;

        dict_close(dict);
        surrogate = dict_inline_error(name, open_flags, dict_flags, err);
        myfree(saved);
        return (surrogate);
    }
    myfree(saved);
    myfree(dict->type);
    dict->type = mystrdup(DICT_TYPE_INLINE);
    dict->flags |= DICT_FLAG_FIXED;
    dict->owner.status = DICT_OWNER_TRUSTED;
    return (dict);
}
