/*
 * verify_cache - periodic removal of expired address verification records.
 *
 * Exports verify_cache_cleanup_start(). Every cleanup interval the whole
 * table is walked; the entries that the caller's validator rejects are
 * deleted after the walk (deleting under a running sequence is not safe
 * for every table type), and a summary is logged:
 *
 *   cache btree:/var/lib/postfix/verify_cache full cleanup: retained=N dropped=M entries
 *
 * The time of the last completed run is kept in the table itself under a
 * reserved key, so that a restarted verify process does not clean again
 * right away; a table without that key is cleaned as soon as the event
 * loop runs.
 *
 * Failure: a table error during the walk ends that run early with a
 * warning; the next run is scheduled as usual.
 */

#include <stdlib.h>
#include <string.h>

#include "argv.h"
#include "events.h"
#include "msg.h"
#include "mymalloc.h"
#include "verify_cache.h"
#include "vstring.h"

#define VERIFY_CACHE_LAST_CLEANUP "_LAST_CACHE_CLEANUP_COMPLETED_"

typedef struct VERIFY_CACHE {
    DICT *dict;                  /* the cache table */
    char *name;                  /* type:name, for logging */
    int interval;                /* seconds between runs */
    VERIFY_CACHE_VALID_FN valid; /* keep this entry? */
} VERIFY_CACHE;

/* verify_cache_clean - one full walk over the table */
static void verify_cache_clean(int event, void *context)
{
    VERIFY_CACHE *vc = (VERIFY_CACHE *)context;
    ARGV *drop = argv_alloc(10);
    const char *key;
    const char *value;
    int retained = 0;
    int status;
    int func;
    int i;

    if (msg_verbose)
        msg_info("start %s cache cleanup", vc->name);
    for (func = DICT_SEQ_FUN_FIRST;
         (status = dict_seq(vc->dict, func, &key, &value)) == DICT_STAT_SUCCESS;
         func = DICT_SEQ_FUN_NEXT) {
        if (strcmp(key, VERIFY_CACHE_LAST_CLEANUP) == 0)
            continue;
        if (vc->valid(key, value)) {
            retained++;
        } else {
            if (msg_verbose)
                msg_info("drop %s cache entry for %s", vc->name, key);
            argv_add(drop, key, (char *)0);
        }
    }
    if (status == DICT_STAT_ERROR)
        msg_warn("%s: cache cleanup scan terminated due to error", vc->name);
    for (i = 0; i < drop->argc; i++)
        if (dict_del(vc->dict, drop->argv[i]) == DICT_STAT_ERROR)
            msg_warn("%s: cannot delete cache entry for %s", vc->name, drop->argv[i]);
    msg_info("cache %s full cleanup: retained=%d dropped=%d entries", vc->name, retained,
             drop->argc);
    if (status != DICT_STAT_ERROR) {
        VSTRING *stamp = vstring_alloc(20);

        vstring_sprintf(stamp, "%ld", (long)event_time());
        if (dict_put(vc->dict, VERIFY_CACHE_LAST_CLEANUP, vstring_str(stamp)) == DICT_STAT_ERROR)
            msg_warn("%s: cannot record the cache cleanup time", vc->name);
        vstring_free(stamp);
    }
    argv_free(drop);
    event_request_timer(verify_cache_clean, context, vc->interval);
}

/* verify_cache_cleanup_start - schedule the first run after the last completed one */
void verify_cache_cleanup_start(DICT *dict, const char *name, int interval,
                                VERIFY_CACHE_VALID_FN valid)
{
    VERIFY_CACHE *vc;
    const char *last;
    long next = 0;

    if (interval <= 0)
        return;
    vc = (VERIFY_CACHE *)mymalloc(sizeof(*vc));
    vc->dict = dict;
    vc->name = mystrdup(name);
    vc->interval = interval;
    vc->valid = valid;
    if ((last = dict_get(dict, VERIFY_CACHE_LAST_CLEANUP)) != 0) {
        next = interval - (event_time() - atol(last));
        if (next < 0)
            next = 0;
        if (next > interval)
            next = interval;
    }
    if (msg_verbose && next > 0)
        msg_info("%s cache cleanup will start after %lds", vc->name, next);
    event_request_timer(verify_cache_clean, (void *)vc, (int)next);
}
