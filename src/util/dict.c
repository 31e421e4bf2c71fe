/*
 * dict - the table object and the named registry of open tables.
 *
 * Exports dict_alloc()/dict_free() for table implementations (using an
 * operation that a table type does not implement is fatal, as it means the
 * configuration asks for something impossible), key folding and owner helpers, and the registry by
 * name (dict_register, dict_handle, dict_unregister, dict_lookup, dict_update, dict_delete,
 * dict_sequence): the same table opened under the same name by several users is shared and closed
 * when the last one lets go. The registry also answers which file-based table changed on disk since
 * it was opened (dict_changed_name), so that long-running processes can exit and be restarted with
 * fresh data.
 *
 * Operations on a name that is not registered are a programming error
 * (msg_panic); everything else reports through dict->error.
 */

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dict.h"
#include "htable.h"
#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"
#include "vstring.h"

/* A registered table and its users. */
typedef struct DICT_NODE {
    DICT *dict;
    int refcount;
} DICT_NODE;

static HTABLE *dict_table;

/* dict_default_lookup - a table that cannot be queried */
static const char *dict_default_lookup(DICT *dict, const char *key)
{
    msg_fatal("table %s:%s: lookup operation is not supported", dict->type, dict->name);
}

/* dict_default_update - a table that cannot be written */
static int dict_default_update(DICT *dict, const char *key, const char *value)
{
    msg_fatal("table %s:%s: update operation is not supported", dict->type, dict->name);
}

/* dict_default_delete - a table whose entries cannot be removed */
static int dict_default_delete(DICT *dict, const char *key)
{
    msg_fatal("table %s:%s: delete operation is not supported", dict->type, dict->name);
}

/* dict_default_sequence - a table that cannot be listed */
static int dict_default_sequence(DICT *dict, int func, const char **key, const char **value)
{
    msg_fatal("table %s:%s: sequence operation is not supported", dict->type, dict->name);
}

/* dict_default_lock - tables without a file need no lock */
static int dict_default_lock(DICT *dict, int operation)
{
    return (0);
}

/* dict_default_close - a table that forgot to say how it closes */
static void dict_default_close(DICT *dict)
{
    msg_panic("table %s:%s: no close method", dict->type, dict->name);
}

/* dict_alloc - allocate a table object of at least size bytes */
DICT *dict_alloc(const char *type, const char *name, size_t size)
{
    DICT *dict;

    if (size < sizeof(DICT))
        msg_panic("dict_alloc: %s:%s: size %zu is smaller than a DICT", type, name, size);
    dict = (DICT *)mycalloc(1, size);
    dict->type = mystrdup(type);
    dict->name = mystrdup(name);
    dict->flags = DICT_FLAG_FIXED;
    dict->lookup = dict_default_lookup;
    dict->update = dict_default_update;
    dict->delete = dict_default_delete;
    dict->sequence = dict_default_sequence;
    dict->lock = dict_default_lock;
    dict->close = dict_default_close;
    dict->lock_type = 0;
    dict->lock_fd = -1;
    dict->stat_fd = -1;
    dict->mtime = 0;
    dict->fold_buf = 0;
    dict->owner.status = DICT_OWNER_TRUSTED;
    dict->owner.uid = 0;
    dict->error = DICT_ERR_NONE;
    dict->reason = 0;
    dict->reason_logged = 0;
    dict->context = 0;
    dict->utf8_backup = 0;
    return (dict);
}

/* dict_free - release what dict_alloc() made; the type frees its own parts */
void dict_free(DICT *dict)
{
    myfree(dict->type);
    myfree(dict->name);
    if (dict->fold_buf)
        vstring_free(dict->fold_buf);
    if (dict->reason)
        myfree(dict->reason);
    if (dict->utf8_backup)
        myfree(dict->utf8_backup);
    myfree(dict);
}

/* dict_fold_key - the key as the table should see it (lower case if FOLD_FIX) */
const char *dict_fold_key(DICT *dict, const char *key)
{
    if ((dict->flags & DICT_FLAG_FOLD_FIX) == 0)
        return (key);
    if (dict->fold_buf == 0)
        dict->fold_buf = vstring_alloc(64);
    /* Tables fill themselves at open, before activation: honor the request. */
    if (dict->flags & DICT_FLAG_UTF8_MASK)
        return (dict_utf8_fold(dict->fold_buf, key));
    vstring_strcpy(dict->fold_buf, key);
    return (lowercase(vstring_str(dict->fold_buf)));
}

/* dict_set_owner - record who owns the table's file */
void dict_set_owner(DICT *dict, const struct stat *st)
{
    dict->owner.uid = st->st_uid;
    dict->owner.status = (st->st_uid == 0 ? DICT_OWNER_TRUSTED : DICT_OWNER_UNTRUSTED);
}

/* dict_set_stat_fd - watch this file for changes, and take its owner */
void dict_set_stat_fd(DICT *dict, int fd)
{
    struct stat st;

    if (fstat(fd, &st) < 0)
        msg_fatal("fstat %s:%s: %m", dict->type, dict->name);
    dict->stat_fd = fd;
    dict->mtime = st.st_mtime;
    dict_set_owner(dict, &st);
}

/* dict_dup_policy - what an update does with a key that already exists */
int dict_dup_policy(DICT *dict, const char *where, const char *key)
{
    if (dict->flags & DICT_FLAG_DUP_REPLACE)
        return (DICT_DUP_STORE);
    if (dict->flags & DICT_FLAG_DUP_IGNORE)
        return (DICT_DUP_KEEP);
    if (dict->flags & DICT_FLAG_DUP_WARN) {
        msg_warn("%s: duplicate entry: \"%s\"", where, key);
        return (DICT_DUP_KEEP);
    }
    msg_fatal("%s: duplicate entry: \"%s\"", where, key);
}

/* dict_node - find a registered table, or panic */
static DICT_NODE *dict_node(const char *dict_name, const char *caller)
{
    DICT_NODE *node;

    if (dict_table == 0 || (node = (DICT_NODE *)htable_find(dict_table, dict_name)) == 0)
        msg_panic("%s: unknown dictionary: %s", caller, dict_name);
    return (node);
}

/* dict_register - make a table known by name, or add a user */
void dict_register(const char *dict_name, DICT *dict)
{
    DICT_NODE *node;

    if (dict_table == 0)
        dict_table = htable_create(10);
    if ((node = (DICT_NODE *)htable_find(dict_table, dict_name)) == 0) {
        node = (DICT_NODE *)mymalloc(sizeof(*node));
        node->dict = dict;
        node->refcount = 0;
        htable_enter(dict_table, dict_name, (void *)node);
    } else if (dict != node->dict) {
        msg_fatal("dictionary %s: handle conflict", dict_name);
    }
    node->refcount++;
    if (msg_verbose > 1)
        msg_info("dict_register: %s %d", dict_name, node->refcount);
}

/* dict_handle - the table registered under a name, or null */
DICT *dict_handle(const char *dict_name)
{
    DICT_NODE *node;

    if (dict_table == 0 || (node = (DICT_NODE *)htable_find(dict_table, dict_name)) == 0)
        return (0);
    return (node->dict);
}

/* dict_node_free - close the table of a node that nobody uses any more */
static void dict_node_free(void *ptr)
{
    DICT_NODE *node = (DICT_NODE *)ptr;

    dict_close(node->dict);
    myfree(node);
}

/* dict_unregister - drop one user of a table; the last one closes it */
void dict_unregister(const char *dict_name)
{
    DICT_NODE *node = dict_node(dict_name, "dict_unregister");

    if (--node->refcount == 0)
        htable_delete(dict_table, dict_name, dict_node_free);
}

/* dict_update - store a value in a named table, creating an in-memory one */
int dict_update(const char *dict_name, const char *key, const char *value)
{
    DICT *dict;

    if ((dict = dict_handle(dict_name)) == 0) {
        dict = dict_ht_open(dict_name, 0, 0);
        dict_register(dict_name, dict);
    }
    if (msg_verbose > 1)
        msg_info("dict_update: %s = %s", key, value);
    return (dict_put(dict, key, value));
}

/* dict_lookup - look up a key in a named table; null when absent or on error */
const char *dict_lookup(const char *dict_name, const char *key)
{
    DICT *dict;
    const char *value;

    if ((dict = dict_handle(dict_name)) == 0)
        return (0);
    value = dict_get(dict, key);
    if (msg_verbose > 1)
        msg_info("dict_lookup: %s = %s", key, value ? value : "(notfound)");
    return (value);
}

/* dict_delete - remove a key from a named table */
int dict_delete(const char *dict_name, const char *key)
{
    DICT *dict = dict_node(dict_name, "dict_delete")->dict;

    return (dict_del(dict, key));
}

/* dict_sequence - walk a named table */
int dict_sequence(const char *dict_name, int func, const char **key, const char **value)
{
    DICT *dict = dict_node(dict_name, "dict_sequence")->dict;

    return (dict_seq(dict, func, key, value));
}

/* dict_errno_of - the error status of the last access to a named table */
int dict_errno_of(const char *dict_name)
{
    DICT *dict = dict_handle(dict_name);

    return (dict ? dict->error : DICT_ERR_NONE);
}

/* dict_changed_name - name of a registered table whose file changed */
const char *dict_changed_name(void)
{
    HTABLE_INFO **list;
    HTABLE_INFO **ht;
    const char *changed = 0;
    struct stat st;

    if (dict_table == 0)
        return (0);
    list = htable_list(dict_table);
    for (ht = list; changed == 0 && *ht; ht++) {
        DICT *dict = ((DICT_NODE *)(*ht)->value)->dict;

        if (dict->stat_fd < 0)
            continue;
        if (dict->mtime == 0)
            msg_warn("%s:%s: no modification time recorded", dict->type, dict->name);
        if (fstat(dict->stat_fd, &st) < 0)
            msg_fatal("fstat %s:%s: %m", dict->type, dict->name);
        /* A replaced file (postmap renames a new one into place) has no links. */
        if (st.st_mtime != dict->mtime || st.st_nlink == 0)
            changed = (*ht)->key;
    }
    myfree(list);
    return (changed);
}

/* dict_changed - did any registered table change on disk? */
int dict_changed(void)
{
    return (dict_changed_name() != 0);
}

/* dict_walk - call action for every registered table */
void dict_walk(void (*action)(const char *name, DICT *dict, void *ctx), void *ctx)
{
    HTABLE_INFO **list;
    HTABLE_INFO **ht;

    if (dict_table == 0)
        return;
    list = htable_list(dict_table);
    for (ht = list; *ht; ht++)
        action((*ht)->key, ((DICT_NODE *)(*ht)->value)->dict, ctx);
    myfree(list);
}

/* The flag names, for logging and for dict_flags_mask(). */
static const struct {
    int mask;
    const char *name;
} dict_flag_names[] = {
    {DICT_FLAG_DUP_WARN, "warn_dup"},
    {DICT_FLAG_DUP_IGNORE, "ignore_dup"},
    {DICT_FLAG_TRY0NULL, "try0null"},
    {DICT_FLAG_TRY1NULL, "try1null"},
    {DICT_FLAG_FIXED, "fixed"},
    {DICT_FLAG_PATTERN, "pattern"},
    {DICT_FLAG_LOCK, "lock"},
    {DICT_FLAG_DUP_REPLACE, "replace"},
    {DICT_FLAG_SYNC_UPDATE, "sync_update"},
    {DICT_FLAG_DEBUG, "debug"},
    {DICT_FLAG_NO_REGSUB, "no_regsub"},
    {DICT_FLAG_NO_PROXY, "no_proxy"},
    {DICT_FLAG_NO_UNAUTH, "no_unauth"},
    {DICT_FLAG_FOLD_FIX, "fold_fix"},
    {DICT_FLAG_FOLD_MUL, "fold_mul"},
    {DICT_FLAG_OPEN_LOCK, "open_lock"},
    {DICT_FLAG_BULK_UPDATE, "bulk_update"},
    {DICT_FLAG_MULTI_WRITER, "multi_writer"},
    {DICT_FLAG_UTF8_REQUEST, "utf8_request"},
    {DICT_FLAG_UTF8_ACTIVE, "utf8_active"},
    {DICT_FLAG_SRC_RHS_IS_FILE, "src_rhs_is_file"},
};

#define DICT_FLAG_NAME_COUNT (sizeof(dict_flag_names) / sizeof(dict_flag_names[0]))

/* dict_flags_str - flag bits as "name|name" (static buffer) */
const char *dict_flags_str(int flags)
{
    static VSTRING *buf;
    size_t i;

    if (buf == 0)
        buf = vstring_alloc(100);
    VSTRING_RESET(buf);
    for (i = 0; i < DICT_FLAG_NAME_COUNT; i++) {
        if (flags & dict_flag_names[i].mask) {
            if (VSTRING_LEN(buf))
                vstring_strcat(buf, "|");
            vstring_strcat(buf, dict_flag_names[i].name);
            flags &= ~dict_flag_names[i].mask;
        }
    }
    if (flags)
        vstring_sprintf_append(buf, "%s0x%x", VSTRING_LEN(buf) ? "|" : "", (unsigned)flags);
    return (vstring_str(buf));
}

/* dict_flags_mask - "name|name" or "name, name" back to flag bits; -1 if unknown */
int dict_flags_mask(const char *names)
{
    char *saved = mystrdup(names);
    char *bp = saved;
    char *word;
    int mask = 0;
    size_t i;

    while ((word = mystrtok(&bp, "|, \t")) != 0) {
        for (i = 0; i < DICT_FLAG_NAME_COUNT; i++)
            if (strcasecmp(word, dict_flag_names[i].name) == 0)
                break;
        if (i == DICT_FLAG_NAME_COUNT) {
            mask = -1;
            break;
        }
        mask |= dict_flag_names[i].mask;
    }
    myfree(saved);
    return (mask);
}
