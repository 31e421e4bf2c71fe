/*
 * mkmap - build or update a table file for postmap(1) and postalias(1).
 *
 * Exports mkmap_open(), mkmap_append(), mkmap_close(), mkmap_dict(),
 * mkmap_supported() and mkmap_open_register(). Only types listed here (or
 * registered) can be written: hash, btree (Berkeley DB) and fail (every
 * write fails, for testing); anything else is fatal with "unsupported map
 * type for this operation: TYPE", the reference's words.
 *
 * A full rebuild (O_TRUNC) asks the table for DICT_FLAG_BULK_UPDATE: it is
 * written to a temporary file next to the final one and renamed into place
 * at mkmap_close(), so readers see either the old or the complete new
 * table. Every writer holds an exclusive lock on the table file from open
 * to close (DICT_FLAG_OPEN_LOCK), which keeps two builders apart, and keeps
 * termination signals blocked meanwhile so that an interrupted build does
 * not leave a half-written file behind.
 */

#include <fcntl.h>
#include <signal.h>
#include <string.h>

#include "dict.h"
#include "htable.h"
#include "mkmap.h"
#include "msg.h"
#include "mymalloc.h"

struct MKMAP {
    DICT *dict;
    sigset_t saved_mask; /* signal mask before the build */
};

static HTABLE *mkmap_types;

/* mkmap_init - the writable built-in types */
static void mkmap_init(void)
{
    if (mkmap_types)
        return;
    mkmap_types = htable_create(7);
    htable_enter(mkmap_types, DICT_TYPE_HASH, (void *)dict_db_hash_open);
    htable_enter(mkmap_types, DICT_TYPE_BTREE, (void *)dict_db_btree_open);
    htable_enter(mkmap_types, DICT_TYPE_FAIL, (void *)dict_fail_open);
}

/* mkmap_open_register - make another type writable */
void mkmap_open_register(const char *type, DICT_OPEN_FN open_fn)
{
    mkmap_init();
    if (htable_find(mkmap_types, type))
        msg_panic("mkmap_open_register: type %s is already registered", type);
    htable_enter(mkmap_types, type, (void *)open_fn);
}

/* mkmap_supported - can this type be written? */
int mkmap_supported(const char *type)
{
    mkmap_init();
    return (htable_find(mkmap_types, type) != 0);
}

/* mkmap_open - open a table for writing, locked, with signals held off */
MKMAP *mkmap_open(const char *type, const char *path, int open_flags, int dict_flags)
{
    DICT_OPEN_FN open_fn;
    MKMAP *mkmap;
    sigset_t block;

    mkmap_init();
    if ((open_fn = (DICT_OPEN_FN)htable_find(mkmap_types, type)) == 0)
        msg_fatal("unsupported map type for this operation: %s", type);
    if (msg_verbose)
        msg_info("open %s %s", type, path);
    mkmap = (MKMAP *)mymalloc(sizeof(*mkmap));
    sigemptyset(&block);
    sigaddset(&block, SIGHUP);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGQUIT);
    sigaddset(&block, SIGTERM);
    sigaddset(&block, SIGPIPE);
    if (sigprocmask(SIG_BLOCK, &block, &mkmap->saved_mask) < 0)
        msg_fatal("mkmap_open: sigprocmask: %m");
    dict_flags |= DICT_FLAG_OPEN_LOCK;
    if (open_flags & O_TRUNC)
        dict_flags |= DICT_FLAG_BULK_UPDATE;
    mkmap->dict = open_fn(path, open_flags, dict_flags);
    if (mkmap->dict == 0)
        msg_fatal("open %s:%s: %m", type, path);
    if (dict_is_surrogate(mkmap->dict))
        msg_fatal("%s", mkmap->dict->reason);
    if (dict_flags & DICT_FLAG_UTF8_REQUEST)
        mkmap->dict = dict_utf8_activate(mkmap->dict);
    return (mkmap);
}

/* mkmap_dict - the table being written */
DICT *mkmap_dict(MKMAP *mkmap)
{
    return (mkmap->dict);
}

/* mkmap_append - add one entry; DICT_STAT_* */
int mkmap_append(MKMAP *mkmap, const char *key, const char *value)
{
    DICT *dict = mkmap->dict;
    int status = dict_put(dict, key, value);

    if (status == DICT_STAT_ERROR)
        msg_fatal("table %s:%s: write error: %m", dict->type, dict->name);
    return (status);
}

/* mkmap_close - finish the table (rename into place), unlock, allow signals */
void mkmap_close(MKMAP *mkmap)
{
    dict_close(mkmap->dict);
    if (sigprocmask(SIG_SETMASK, &mkmap->saved_mask, (sigset_t *)0) < 0)
        msg_fatal("mkmap_close: sigprocmask: %m");
    myfree(mkmap);
}
