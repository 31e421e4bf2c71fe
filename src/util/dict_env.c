/*
 * dict_env - environ:name, the process environment as a table.
 *
 * Exports dict_environ_open(). Lookups return getenv() of the (possibly
 * folded) key; updates set a variable with setenv(). The name after
 * "environ:" is only a label. The environment is not trusted input for a
 * privileged process, but whoever controls it controls the process anyway,
 * so the table is marked trusted like the reference does.
 */

#include <stdlib.h>

#include "dict.h"
#include "msg.h"

/* dict_env_lookup - read a variable */
static const char *dict_env_lookup(DICT *dict, const char *key)
{
    key = dict_fold_key(dict, key);
    DICT_ERR_VAL_RETURN(dict, DICT_ERR_NONE, getenv(key));
}

/* dict_env_update - set a variable */
static int dict_env_update(DICT *dict, const char *key, const char *value)
{
    key = dict_fold_key(dict, key);
    if (setenv(key, value, 1) < 0)
        msg_fatal("setenv: %m");
    DICT_ERR_VAL_RETURN(dict, DICT_ERR_NONE, DICT_STAT_SUCCESS);
}

/* dict_env_close - release the table */
static void dict_env_close(DICT *dict)
{
    dict_free(dict);
}

/* dict_environ_open - make the environment table */
DICT *dict_environ_open(const char *name, int open_flags, int dict_flags)
{
    DICT *dict = dict_alloc(DICT_TYPE_ENVIRON, name, sizeof(*dict));

    dict->lookup = dict_env_lookup;
    dict->update = dict_env_update;
    dict->close = dict_env_close;
    dict->flags = dict_flags | DICT_FLAG_FIXED;
    dict->owner.status = DICT_OWNER_TRUSTED;
    return (dict);
}
