/*
 * dict_pipe - pipemap:{type:name, type:name, ...}, a chain of tables.
 *
 * Exports dict_pipe_open(). The key goes to the first table, its result is
 * the key for the second, and so on; the last table's result is the answer.
 * "Not found" anywhere ends the chain with "not found"; an error anywhere
 * ends it with that error (a temporary error stays temporary). The
 * component tables are opened with the caller's flags and closed with the
 * chain. The chain is as trusted as its least trusted component.
 */

#include <string.h>

#include "dict.h"
#include "mymalloc.h"
#include "vstring.h"

typedef struct DICT_PIPE {
    DICT dict;
    DICT **parts; /* component tables, in order */
    int count;
    VSTRING *key; /* private copy: a result is only valid until the next call */
} DICT_PIPE;

/* dict_pipe_lookup - feed each result to the next table */
static const char *dict_pipe_lookup(DICT *dict, const char *key)
{
    DICT_PIPE *dp = (DICT_PIPE *)dict;
    const char *result = key;
    int i;

    for (i = 0; i < dp->count; i++) {
        vstring_strcpy(dp->key, result);
        if ((result = dict_get(dp->parts[i], vstring_str(dp->key))) == 0)
            DICT_ERR_VAL_RETURN(dict, dp->parts[i]->error, (const char *)0);
    }
    DICT_ERR_VAL_RETURN(dict, DICT_ERR_NONE, result);
}

/* dict_pipe_close - close the components and the chain */
static void dict_pipe_close(DICT *dict)
{
    DICT_PIPE *dp = (DICT_PIPE *)dict;
    int i;

    for (i = 0; i < dp->count; i++)
        dict_close(dp->parts[i]);
    myfree(dp->parts);
    vstring_free(dp->key);
    dict_free(dict);
}

/* dict_compose_open - shared by pipemap and unionmap: open the components */
DICT *dict_compose_open(const char *type, const char *name, int open_flags, int dict_flags,
                        size_t size, DICT ***parts, int *count)
{
    char *saved = mystrdup(name);
    char *text = saved;
    ARGV *items;
    DICT *dict;
    DICT_OWNER owner;
    int pattern = 0;
    int i;

    if (*name != '{' || dict_brace_strip(&text) != 0 || *text == 0) {
        myfree(saved);
        return (dict_surrogate(type, name, open_flags, dict_flags,
                               "bad syntax: \"%s:%s\"; need \"%s:{type:name...}\"", type, name,
                               type));
    }
    items = dict_brace_split(text);
    myfree(saved);
    *parts = (DICT **)mymalloc(sizeof(DICT *) * items->argc);
    *count = items->argc;
    DICT_OWNER_AGGREGATE_INIT(owner);
    for (i = 0; i < items->argc; i++) {
        (*parts)[i] = dict_open(items->argv[i], open_flags, dict_flags);
        DICT_OWNER_AGGREGATE_UPDATE(owner, (*parts)[i]->owner);
        if ((*parts)[i]->flags & DICT_FLAG_PATTERN)
            pattern = 1;
    }
    argv_free(items);
    dict = dict_alloc(type, name, size);
    dict->flags = dict_flags | (pattern ? DICT_FLAG_PATTERN : DICT_FLAG_FIXED);
    dict->owner = owner;
    return (dict);
}

/* dict_pipe_open - open a chain of tables */
DICT *dict_pipe_open(const char *name, int open_flags, int dict_flags)
{
    DICT **parts;
    int count;
    DICT *dict = dict_compose_open(DICT_TYPE_PIPE, name, open_flags, dict_flags, sizeof(DICT_PIPE),
                                   &parts, &count);
    DICT_PIPE *dp;

    if (dict_is_surrogate(dict))
        return (dict);
    dp = (DICT_PIPE *)dict;
    dp->parts = parts;
    dp->count = count;
    dp->key = vstring_alloc(100);
    dict->lookup = dict_pipe_lookup;
    dict->close = dict_pipe_close;
    return (dict);
}
