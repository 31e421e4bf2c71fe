/*
 * dict_db - hash: and btree: tables in Berkeley DB files (NAME.db).
 *
 * Exports dict_db_hash_open(), dict_db_btree_open() and the tunable
 * dict_db_cache_size (bytes of DB buffer per table; programs that build
 * tables raise it). The DICT name is the file name, NAME.db, so that
 * diagnostics name the file that was read.
 *
 * Keys and values are stored as written by the reference implementation:
 * with a trailing null byte unless the caller cleared DICT_FLAG_TRY1NULL.
 * Readers try both forms (TRY1NULL then TRY0NULL) and stop trying the form
 * that fails once the other one has been seen, so files built either way
 * work. Keys are folded to lower case with DICT_FLAG_FOLD_FIX.
 *
 * Writers: with DICT_FLAG_BULK_UPDATE and O_TRUNC the table is built in
 * NAME.db.tmp and renamed over NAME.db at close, so a reader never sees a
 * half-built table; the existing NAME.db (created empty if needed) carries
 * the exclusive lock (DICT_FLAG_OPEN_LOCK) that keeps builders apart.
 * Readers with DICT_FLAG_LOCK take a shared lock around each access.
 *
 * Berkeley DB reads a DB_CONFIG file from its environment's home directory;
 * we give it a private environment rooted at "/" (and absolute file names)
 * so that a DB_CONFIG in the current directory is never consulted.
 *
 * Failures: open errors return a surrogate ("open database NAME.db: ...");
 * read/write errors are fatal as they indicate a damaged file or disk.
 */

#include <db.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dict.h"
#include "msg.h"
#include "mymalloc.h"
#include "myflock.h"
#include "stringops.h"
#include "vstring.h"

int dict_db_cache_size = 128 * 1024;

#define DICT_DB_NELM 4096

typedef struct DICT_DB {
    DICT dict;
    DB_ENV *env;
    DB *db;
    DBC *cursor;      /* sequence() state */
    VSTRING *key_buf; /* key with or without null, for sequence() */
    VSTRING *val_buf; /* null-terminated copy of a value */
    char *db_path;    /* NAME.db */
    char *tmp_path;   /* NAME.db.tmp while bulk-building, else null */
} DICT_DB;

/* dict_db_flock - whole-file lock in the style the reference uses for tables */
static int dict_db_flock(int fd, int op)
{
    /* DICT_LOCK_* and MYFLOCK_OP_* share their values (none, shared, exclusive). */
    return (myflock(fd, MYFLOCK_STYLE_FCNTL, op));
}

/* dict_db_lock_op - take or release the per-access lock if asked to */
static void dict_db_lock_op(DICT_DB *dd, int op)
{
    if ((dd->dict.flags & DICT_FLAG_LOCK) && dd->dict.lock_fd >= 0 &&
        dict_db_flock(dd->dict.lock_fd, op) < 0)
        msg_fatal("%s: %s dictionary: %m", dd->db_path, op == DICT_LOCK_NONE ? "unlock" : "lock");
}

/* dict_db_get - one lookup attempt with a given key length */
static int dict_db_get(DICT_DB *dd, const char *key, size_t len, DBT *val)
{
    DBT k;
    int status;

    memset(&k, 0, sizeof(k));
    memset(val, 0, sizeof(*val));
    k.data = (void *)key;
    k.size = (u_int32_t)len;
    status = dd->db->get(dd->db, 0, &k, val, 0);
    if (status != 0 && status != DB_NOTFOUND)
        msg_fatal("error reading %s: %s", dd->db_path, db_strerror(status));
    return (status == 0);
}

/* dict_db_value - a null-terminated copy of a stored value */
static const char *dict_db_value(DICT_DB *dd, const DBT *val)
{
    size_t len = val->size;

    if (len > 0 && ((const char *)val->data)[len - 1] == 0)
        len--;
    vstring_memcpy(dd->val_buf, val->data, len);
    return (vstring_str(dd->val_buf));
}

/* dict_db_lookup - find a key, stored with or without a trailing null */
static const char *dict_db_lookup(DICT *dict, const char *name)
{
    DICT_DB *dd = (DICT_DB *)dict;
    const char *result = 0;
    size_t len;
    DBT val;

    dict->error = DICT_ERR_NONE;
    if ((dict->flags & (DICT_FLAG_TRY1NULL | DICT_FLAG_TRY0NULL)) == 0)
        msg_panic("dict_db_lookup: no DICT_FLAG_TRY1NULL | DICT_FLAG_TRY0NULL flag");
    name = dict_fold_key(dict, name);
    len = strlen(name);
    dict_db_lock_op(dd, DICT_LOCK_SHARED);
    if ((dict->flags & DICT_FLAG_TRY1NULL) && dict_db_get(dd, name, len + 1, &val)) {
        dict->flags &= ~DICT_FLAG_TRY0NULL;
        result = dict_db_value(dd, &val);
    } else if ((dict->flags & DICT_FLAG_TRY0NULL) && dict_db_get(dd, name, len, &val)) {
        dict->flags &= ~DICT_FLAG_TRY1NULL;
        result = dict_db_value(dd, &val);
    }
    dict_db_lock_op(dd, DICT_LOCK_NONE);
    return (result);
}

/* dict_db_update - store a key, honoring the duplicate policy */
static int dict_db_update(DICT *dict, const char *name, const char *value)
{
    DICT_DB *dd = (DICT_DB *)dict;
    DBT k, v;
    int status;
    int result = DICT_STAT_SUCCESS;

    dict->error = DICT_ERR_NONE;
    name = dict_fold_key(dict, name);
    /* A new or unknown table gets keys with nulls, as the reference writes. */
    if ((dict->flags & DICT_FLAG_TRY1NULL) && (dict->flags & DICT_FLAG_TRY0NULL))
        dict->flags &= ~DICT_FLAG_TRY0NULL;
    if ((dict->flags & (DICT_FLAG_TRY1NULL | DICT_FLAG_TRY0NULL)) == 0)
        msg_panic("dict_db_update: no DICT_FLAG_TRY1NULL | DICT_FLAG_TRY0NULL flag");
    memset(&k, 0, sizeof(k));
    memset(&v, 0, sizeof(v));
    k.data = (void *)name;
    k.size = (u_int32_t)strlen(name);
    v.data = (void *)value;
    v.size = (u_int32_t)strlen(value);
    if (dict->flags & DICT_FLAG_TRY1NULL) {
        k.size++;
        v.size++;
    }
    dict_db_lock_op(dd, DICT_LOCK_EXCLUSIVE);
    status =
        dd->db->put(dd->db, 0, &k, &v, (dict->flags & DICT_FLAG_DUP_REPLACE) ? 0 : DB_NOOVERWRITE);
    if (status == DB_KEYEXIST) {
        if (dict_dup_policy(dict, dd->db_path, name) == DICT_DUP_STORE)
            status = dd->db->put(dd->db, 0, &k, &v, 0);
        else
            result = DICT_STAT_FAIL;
    }
    if (status != 0 && status != DB_KEYEXIST)
        msg_fatal("error writing %s: %s", dd->db_path, db_strerror(status));
    if ((dict->flags & DICT_FLAG_SYNC_UPDATE) && (status = dd->db->sync(dd->db, 0)) != 0)
        msg_fatal("%s: flush dictionary: %s", dd->db_path, db_strerror(status));
    dict_db_lock_op(dd, DICT_LOCK_NONE);
    return (result);
}

/* dict_db_del_one - delete one form of a key; 1 if it existed */
static int dict_db_del_one(DICT_DB *dd, const char *name, size_t len)
{
    DBT k;
    int status;

    memset(&k, 0, sizeof(k));
    k.data = (void *)name;
    k.size = (u_int32_t)len;
    status = dd->db->del(dd->db, 0, &k, 0);
    if (status != 0 && status != DB_NOTFOUND)
        msg_fatal("error deleting from %s: %s", dd->db_path, db_strerror(status));
    return (status == 0);
}

/* dict_db_delete - remove a key */
static int dict_db_delete(DICT *dict, const char *name)
{
    DICT_DB *dd = (DICT_DB *)dict;
    int found = 0;
    size_t len;
    int status;

    dict->error = DICT_ERR_NONE;
    if ((dict->flags & (DICT_FLAG_TRY1NULL | DICT_FLAG_TRY0NULL)) == 0)
        msg_panic("dict_db_delete: no DICT_FLAG_TRY1NULL | DICT_FLAG_TRY0NULL flag");
    name = dict_fold_key(dict, name);
    len = strlen(name);
    dict_db_lock_op(dd, DICT_LOCK_EXCLUSIVE);
    if ((dict->flags & DICT_FLAG_TRY1NULL) && dict_db_del_one(dd, name, len + 1)) {
        dict->flags &= ~DICT_FLAG_TRY0NULL;
        found = 1;
    } else if ((dict->flags & DICT_FLAG_TRY0NULL) && dict_db_del_one(dd, name, len)) {
        dict->flags &= ~DICT_FLAG_TRY1NULL;
        found = 1;
    }
    if (found && (dict->flags & DICT_FLAG_SYNC_UPDATE) && (status = dd->db->sync(dd->db, 0)) != 0)
        msg_fatal("%s: flush dictionary: %s", dd->db_path, db_strerror(status));
    dict_db_lock_op(dd, DICT_LOCK_NONE);
    return (found ? DICT_STAT_SUCCESS : DICT_STAT_FAIL);
}

/* dict_db_sequence - walk the table in database order */
static int dict_db_sequence(DICT *dict, int func, const char **key, const char **value)
{
    DICT_DB *dd = (DICT_DB *)dict;
    DBT k, v;
    int status;

    dict->error = DICT_ERR_NONE;
    if (func != DICT_SEQ_FUN_FIRST && func != DICT_SEQ_FUN_NEXT)
        msg_panic("dict_db_sequence: invalid function %d", func);
    if (func == DICT_SEQ_FUN_FIRST || dd->cursor == 0) {
        if (dd->cursor) {
            dd->cursor->close(dd->cursor);
            dd->cursor = 0;
        }
        if ((status = dd->db->cursor(dd->db, 0, &dd->cursor, 0)) != 0)
            msg_fatal("%s: no cursor: %s", dd->db_path, db_strerror(status));
    }
    memset(&k, 0, sizeof(k));
    memset(&v, 0, sizeof(v));
    dict_db_lock_op(dd, DICT_LOCK_SHARED);
    status = dd->cursor->get(dd->cursor, &k, &v, func == DICT_SEQ_FUN_FIRST ? DB_FIRST : DB_NEXT);
    if (status != 0 && status != DB_NOTFOUND)
        msg_fatal("error [%d] seeking %s: %s", status, dd->db_path, db_strerror(status));
    dict_db_lock_op(dd, DICT_LOCK_NONE);
    if (status == DB_NOTFOUND) {
        dd->cursor->close(dd->cursor);
        dd->cursor = 0;
        return (DICT_STAT_FAIL);
    }
    vstring_memcpy(dd->key_buf, k.data, k.size);
    if (k.size > 0 && vstring_str(dd->key_buf)[k.size - 1] == 0)
        vstring_truncate(dd->key_buf, k.size - 1);
    *key = vstring_str(dd->key_buf);
    *value = dict_db_value(dd, &v);
    return (DICT_STAT_SUCCESS);
}

/* dict_db_lock - the lock method: lock the whole file */
static int dict_db_lock(DICT *dict, int op)
{
    if (dict->lock_fd < 0)
        return (0);
    return (dict_db_flock(dict->lock_fd, op));
}

/* dict_db_close - flush, move a bulk-built table into place, release */
static void dict_db_close(DICT *dict)
{
    DICT_DB *dd = (DICT_DB *)dict;
    int status;

    if (dd->cursor)
        dd->cursor->close(dd->cursor);
    if ((status = dd->db->sync(dd->db, 0)) != 0)
        msg_fatal("flush database %s: %s", dd->db_path, db_strerror(status));
    if ((status = dd->db->close(dd->db, 0)) != 0)
        msg_fatal("close database %s: %s", dd->db_path, db_strerror(status));
    if (dd->env)
        dd->env->close(dd->env, 0);
    /* The rename happens while the builder's lock on the old file is held. */
    if (dd->tmp_path && rename(dd->tmp_path, dd->db_path) < 0)
        msg_fatal("rename %s to %s: %m", dd->tmp_path, dd->db_path);
    if (dict->lock_fd >= 0)
        (void)close(dict->lock_fd);
    vstring_free(dd->key_buf);
    vstring_free(dd->val_buf);
    myfree(dd->db_path);
    if (dd->tmp_path)
        myfree(dd->tmp_path);
    dict_free(dict);
}

/* dict_db_abspath - a file name that does not depend on the DB home */
static char *dict_db_abspath(const char *path)
{
    char cwd[PATH_MAX];

    if (*path == '/')
        return (mystrdup(path));
    if (getcwd(cwd, sizeof(cwd)) == 0)
        msg_fatal("getcwd: %m");
    return (concatenate(cwd, "/", path, (char *)0));
}

/* dict_db_discard_errors - keep Berkeley DB's own chatter off stderr */
static void dict_db_discard_errors(const DB_ENV *env, const char *prefix, const char *text)
{
    if (msg_verbose)
        msg_info("Berkeley DB: %s", text);
}

/* dict_db_open_file - open the DB handle itself; 0 or a DB error code */
static int dict_db_open_file(DICT_DB *dd, const char *path, DBTYPE type, int open_flags)
{
    u_int32_t db_flags = 0;
    char *abs = dict_db_abspath(path);
    int status;

    if ((status = db_env_create(&dd->env, 0)) != 0)
        msg_fatal("create DB environment: %s", db_strerror(status));
    if ((status = dd->env->set_cachesize(dd->env, 0, dict_db_cache_size, 0)) != 0)
        msg_fatal("set DB cache size %d: %s", dict_db_cache_size, db_strerror(status));
    if ((status = dd->env->open(dd->env, "/", DB_CREATE | DB_INIT_MPOOL | DB_PRIVATE, 0)) != 0)
        msg_fatal("open DB environment: %s", db_strerror(status));
    dd->env->set_errcall(dd->env, dict_db_discard_errors);
    if ((status = db_create(&dd->db, dd->env, 0)) != 0)
        msg_fatal("create DB database: %s", db_strerror(status));
    /* The reference sizes new hash tables for 4096 keys; so do we. */
    if (type == DB_HASH && (open_flags & O_CREAT) &&
        (status = dd->db->set_h_nelem(dd->db, DICT_DB_NELM)) != 0)
        msg_fatal("set DB hash element count %d: %s", DICT_DB_NELM, db_strerror(status));
    if ((open_flags & O_ACCMODE) == O_RDONLY)
        db_flags |= DB_RDONLY;
    if (open_flags & O_CREAT)
        db_flags |= DB_CREATE;
    if (open_flags & O_TRUNC)
        db_flags |= DB_TRUNCATE;
    status = dd->db->open(dd->db, 0, abs, 0, type, db_flags, 0644);
    myfree(abs);
    return (status);
}

/* dict_db_fail - undo a partial open and return a surrogate */
static DICT *dict_db_fail(DICT_DB *dd, const char *class, const char *path, int open_flags,
                          int dict_flags, int status)
{
    /* Positive values are errno values; DB's own codes mean a bad file. */
    int err = status > 0 ? status : EINVAL;
    DICT *dict;

    if (dd->db)
        dd->db->close(dd->db, 0);
    if (dd->env)
        dd->env->close(dd->env, 0);
    if (dd->dict.lock_fd >= 0)
        (void)close(dd->dict.lock_fd);
    if (dd->tmp_path) {
        (void)unlink(dd->tmp_path);
        myfree(dd->tmp_path);
    }
    vstring_free(dd->key_buf);
    vstring_free(dd->val_buf);
    errno = err;
    dict = dict_surrogate(class, path, open_flags, dict_flags, "open database %s: %m", dd->db_path);
    myfree(dd->db_path);
    dict_free(&dd->dict);
    return (dict);
}

/* dict_db_copy_mode - a rebuilt table keeps the mode and owner of the old one */
static void dict_db_copy_mode(DICT_DB *dd, const struct stat *st)
{
    int fd;

    if ((fd = open(dd->tmp_path, O_RDONLY | O_CLOEXEC)) < 0)
        msg_fatal("open %s: %m", dd->tmp_path);
    if (fchmod(fd, st->st_mode & 07777) < 0)
        msg_warn("fchmod %s: %m", dd->tmp_path);
    /* Only root can give a file away; anyone else builds their own table. */
    if (geteuid() == 0 && fchown(fd, st->st_uid, st->st_gid) < 0)
        msg_warn("fchown %s: %m", dd->tmp_path);
    (void)close(fd);
}

/* dict_db_open - open or create a Berkeley DB table */
static DICT *dict_db_open(const char *class, const char *path, int open_flags, DBTYPE type,
                          int dict_flags)
{
    char *db_path = concatenate(path, ".db", (char *)0);
    DICT_DB *dd = (DICT_DB *)dict_alloc(class, db_path, sizeof(*dd));
    int bulk = (dict_flags & DICT_FLAG_BULK_UPDATE) && (open_flags & O_TRUNC);
    int lock_open = (open_flags & O_CREAT) ? (open_flags & ~O_TRUNC) : open_flags;
    struct stat st;
    int status;

    dd->db_path = db_path;
    dd->tmp_path = 0;
    dd->env = 0;
    dd->db = 0;
    dd->cursor = 0;
    dd->key_buf = vstring_alloc(100);
    dd->val_buf = vstring_alloc(100);

    /*
     * The descriptor for locking and change detection is the real NAME.db,
     * opened without truncation: truncating is DB's job, or a bulk build
     * replaces the file by rename.
     */
    if ((dd->dict.lock_fd = open(db_path, lock_open | O_CLOEXEC, 0644)) < 0)
        return (dict_db_fail(dd, class, path, open_flags, dict_flags, errno));
    if ((dict_flags & DICT_FLAG_OPEN_LOCK) &&
        dict_db_flock(dd->dict.lock_fd, DICT_LOCK_EXCLUSIVE) < 0)
        msg_fatal("%s:%s: unable to get exclusive lock: %m", class, path);
    if ((dict_flags & DICT_FLAG_LOCK) && !(dict_flags & DICT_FLAG_OPEN_LOCK) &&
        dict_db_flock(dd->dict.lock_fd, DICT_LOCK_SHARED) < 0)
        msg_fatal("%s: lock dictionary: %m", db_path);
    if (bulk) {
        dd->tmp_path = concatenate(db_path, ".tmp", (char *)0);
        if (unlink(dd->tmp_path) < 0 && errno != ENOENT)
            msg_fatal("remove %s: %m", dd->tmp_path);
        status = dict_db_open_file(dd, dd->tmp_path, type, open_flags | O_CREAT);
    } else {
        status = dict_db_open_file(dd, db_path, type, open_flags);
    }
    if ((dict_flags & DICT_FLAG_LOCK) && !(dict_flags & DICT_FLAG_OPEN_LOCK))
        (void)dict_db_flock(dd->dict.lock_fd, DICT_LOCK_NONE);
    if (status != 0)
        return (dict_db_fail(dd, class, path, open_flags, dict_flags, status));
    if (fstat(dd->dict.lock_fd, &st) < 0)
        msg_fatal("dict_db_open: fstat: %m");
    if (bulk)
        dict_db_copy_mode(dd, &st);
    dd->dict.stat_fd = dd->dict.lock_fd;
    dd->dict.mtime = st.st_mtime;
    dict_set_owner(&dd->dict, &st);

    /* A user of a table that is older than its source file gets a hint. */
    if ((open_flags & O_TRUNC) == 0 && (dict_flags & DICT_FLAG_LOCK)) {
        struct stat src;

        if (stat(path, &src) == 0 && src.st_mtime > st.st_mtime)
            msg_warn("database %s is older than source file %s", db_path, path);
    }
    dd->dict.lookup = dict_db_lookup;
    dd->dict.update = dict_db_update;
    dd->dict.delete = dict_db_delete;
    dd->dict.sequence = dict_db_sequence;
    dd->dict.lock = dict_db_lock;
    dd->dict.close = dict_db_close;
    dd->dict.flags = dict_flags | DICT_FLAG_FIXED;
    if ((dict_flags & (DICT_FLAG_TRY1NULL | DICT_FLAG_TRY0NULL)) == 0)
        dd->dict.flags |= (DICT_FLAG_TRY1NULL | DICT_FLAG_TRY0NULL);
    return (&dd->dict);
}

/* dict_db_hash_open - open a hash: table */
DICT *dict_db_hash_open(const char *path, int open_flags, int dict_flags)
{
    return (dict_db_open(DICT_TYPE_HASH, path, open_flags, DB_HASH, dict_flags));
}

/* dict_db_btree_open - open a btree: table */
DICT *dict_db_btree_open(const char *path, int open_flags, int dict_flags)
{
    return (dict_db_open(DICT_TYPE_BTREE, path, open_flags, DB_BTREE, dict_flags));
}
