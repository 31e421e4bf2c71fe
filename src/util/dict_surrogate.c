/*
 * dict_surrogate - a stand-in for a table that could not be opened.
 *
 * Exports dict_surrogate() and dict_is_surrogate(), and the switch
 * dict_allow_surrogate. Command-line tools (postmap, postalias) leave the
 * switch at zero: an open failure is then fatal with the reason as its text.
 * Daemons set it to one: they get a table that logs the reason once, as a
 * warning at open time, and then fails every lookup, update, delete and
 * sequence with DICT_ERR_CONFIG, so that mail waiting on the table is
 * deferred and the process keeps serving everything else.
 */

#include <errno.h>
#include <stdarg.h>

#include "dict.h"
#include "msg.h"
#include "mymalloc.h"
#include "vstring.h"

int dict_allow_surrogate = 0;

/* dict_surrogate_lookup - every lookup is a configuration error */
static const char *dict_surrogate_lookup(DICT *dict, const char *key)
{
    DICT_ERR_VAL_RETURN(dict, DICT_ERR_CONFIG, (const char *)0);
}

/* dict_surrogate_update - every update is a configuration error */
static int dict_surrogate_update(DICT *dict, const char *key, const char *value)
{
    DICT_ERR_VAL_RETURN(dict, DICT_ERR_CONFIG, DICT_STAT_ERROR);
}

/* dict_surrogate_delete - every delete is a configuration error */
static int dict_surrogate_delete(DICT *dict, const char *key)
{
    DICT_ERR_VAL_RETURN(dict, DICT_ERR_CONFIG, DICT_STAT_ERROR);
}

/* dict_surrogate_sequence - every walk is a configuration error */
static int dict_surrogate_sequence(DICT *dict, int func, const char **key, const char **value)
{
    DICT_ERR_VAL_RETURN(dict, DICT_ERR_CONFIG, DICT_STAT_ERROR);
}

/* dict_surrogate_close - free the stand-in */
static void dict_surrogate_close(DICT *dict)
{
    dict_free(dict);
}

/* dict_surrogate - report an open failure, fatally or with a stand-in table */
DICT *dict_surrogate(const char *type, const char *name, int open_flags, int dict_flags,
                     const char *fmt, ...)
{
    int saved_errno = errno;
    VSTRING *why = vstring_alloc(100);
    va_list ap;
    DICT *dict;

    /* The format may use %m; keep errno as the caller left it. */
    errno = saved_errno;
    va_start(ap, fmt);
    vstring_vsprintf(why, fmt, ap);
    va_end(ap);
    if (dict_allow_surrogate == 0)
        msg_fatal("%s", vstring_str(why));
    msg_warn("%s:%s is unavailable. %s", type, name, vstring_str(why));
    dict = dict_alloc(type, name, sizeof(*dict));
    dict->lookup = dict_surrogate_lookup;
    dict->update = dict_surrogate_update;
    dict->delete = dict_surrogate_delete;
    dict->sequence = dict_surrogate_sequence;
    dict->close = dict_surrogate_close;
    dict->flags = dict_flags & DICT_FLAG_INST_MASK;
    dict->owner.status = DICT_OWNER_TRUSTED;
    dict->error = DICT_ERR_CONFIG;
    dict->reason = vstring_export(why);
    dict->reason_logged = 1;
    return (dict);
}

/* dict_is_surrogate - is this a stand-in for a failed open? */
int dict_is_surrogate(DICT *dict)
{
    return (dict->lookup == dict_surrogate_lookup);
}
