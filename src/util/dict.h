#ifndef DICT_H
#define DICT_H
/*
 * dict - the lookup-table interface shared by every table type.
 *
 * A table is a DICT: a small object with a type ("hash"), a name (the path or
 * the text after "type:"), flags, and function pointers for lookup, update,
 * delete, sequence, lock and close. A type's open function allocates one with
 * dict_alloc(), fills in the methods it supports and returns it; the methods
 * it leaves alone are fatal when used ("table type:name: lookup operation
 * is not supported"), as the configuration asks for the impossible.
 *
 * Result convention for every method: the method sets dict->error to one of
 * DICT_ERR_NONE, DICT_ERR_RETRY (temporary failure: the caller must defer, it
 * is NOT "not found") or DICT_ERR_CONFIG (the table is misconfigured). A
 * lookup returns the value, or null for "not found" AND for errors; callers
 * tell the two apart with dict->error. Update/delete/sequence return
 * DICT_STAT_SUCCESS, DICT_STAT_FAIL (duplicate not stored, key not found,
 * end of sequence) or DICT_STAT_ERROR (see dict->error).
 */

#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>

#include "argv.h"
#include "vstream.h"
#include "vstring.h"

/* Who owns the file behind a table: decides what its results may do. */
typedef struct DICT_OWNER {
    int status; /* DICT_OWNER_TRUSTED etc. */
    uid_t uid;  /* file owner, when status is not UNKNOWN */
} DICT_OWNER;

#define DICT_OWNER_UNKNOWN (-1) /* not file based, or not determined */
#define DICT_OWNER_TRUSTED 0    /* owned by root (or not file based and safe) */
#define DICT_OWNER_UNTRUSTED 1  /* owned by some other user */

/*
 * Combine the owner of a component table into an aggregate (pipemap,
 * unionmap): the aggregate is as trusted as its least trusted part.
 */
#define DICT_OWNER_AGGREGATE_INIT(agg)                                                             \
    do {                                                                                           \
        (agg).status = DICT_OWNER_TRUSTED;                                                         \
        (agg).uid = 0;                                                                             \
    } while (0)
#define DICT_OWNER_AGGREGATE_UPDATE(agg, part)                                                     \
    do {                                                                                           \
        if ((agg).status == DICT_OWNER_TRUSTED || (part).status == DICT_OWNER_UNKNOWN ||           \
            ((agg).status == DICT_OWNER_UNTRUSTED && (part).status == DICT_OWNER_UNTRUSTED &&      \
             (part).uid != (agg).uid))                                                             \
            (agg) = (part);                                                                        \
    } while (0)

typedef struct DICT {
    char *type; /* "hash", "regexp", ... */
    char *name; /* path or specification after "type:" */
    int flags;  /* DICT_FLAG_* */
    const char *(*lookup)(struct DICT *dict, const char *key);
    int (*update)(struct DICT *dict, const char *key, const char *value);
    int (*delete)(struct DICT *dict, const char *key);
    int (*sequence)(struct DICT *dict, int function, const char **key, const char **value);
    int (*lock)(struct DICT *dict, int operation); /* DICT_LOCK_*; 0 or -1 */
    void (*close)(struct DICT *dict);
    int lock_type;                        /* internal: locking style for lock_fd */
    int lock_fd;                          /* file to lock for updates, or -1 */
    int stat_fd;                          /* file to watch for changes, or -1 */
    time_t mtime;                         /* modification time of stat_fd at open */
    VSTRING *fold_buf;                    /* key folded to lower case (dict_fold_key) */
    DICT_OWNER owner;                     /* provenance of the data */
    int error;                            /* DICT_ERR_* of the last operation */
    char *reason;                         /* surrogate tables: why the open failed */
    int reason_logged;                    /* surrogate tables: warned once already */
    void *context;                        /* free for the type's use */
    struct DICT_UTF8_BACKUP *utf8_backup; /* dict_utf8_activate() state */
} DICT;

/* dict->error values. */
#define DICT_ERR_NONE 0      /* no error (found, or not found) */
#define DICT_ERR_RETRY (-1)  /* temporary failure: try again later */
#define DICT_ERR_CONFIG (-2) /* configuration error */

/* Result of update, delete and sequence. */
#define DICT_STAT_FAIL 1 /* key exists / key not found / end of data */
#define DICT_STAT_SUCCESS 0
#define DICT_STAT_ERROR (-1) /* see dict->error */

/* Lock operations (dict->lock), the myflock() operations; NONE releases the lock. */
#define DICT_LOCK_NONE 0      /* MYFLOCK_OP_NONE */
#define DICT_LOCK_SHARED 1    /* MYFLOCK_OP_SHARED */
#define DICT_LOCK_EXCLUSIVE 2 /* MYFLOCK_OP_EXCLUSIVE */

/* Sequence functions. */
#define DICT_SEQ_FUN_FIRST 0
#define DICT_SEQ_FUN_NEXT 1

/* Flags, per table. */
#define DICT_FLAG_NONE 0
#define DICT_FLAG_DUP_WARN (1 << 0)         /* warn about duplicate keys */
#define DICT_FLAG_DUP_IGNORE (1 << 1)       /* silently keep the first of duplicates */
#define DICT_FLAG_TRY0NULL (1 << 2)         /* keys may be stored without trailing null */
#define DICT_FLAG_TRY1NULL (1 << 3)         /* keys may be stored with trailing null */
#define DICT_FLAG_FIXED (1 << 4)            /* type does fixed-string lookups */
#define DICT_FLAG_PATTERN (1 << 5)          /* type does pattern matching */
#define DICT_FLAG_LOCK (1 << 6)             /* lock the file around each access */
#define DICT_FLAG_DUP_REPLACE (1 << 7)      /* a duplicate replaces the old value */
#define DICT_FLAG_SYNC_UPDATE (1 << 8)      /* flush each update to disk */
#define DICT_FLAG_DEBUG (1 << 9)            /* log every access */
#define DICT_FLAG_NO_REGSUB (1 << 11)       /* $number substitution not allowed */
#define DICT_FLAG_NO_PROXY (1 << 12)        /* proxy: not allowed */
#define DICT_FLAG_NO_UNAUTH (1 << 13)       /* unauthenticated (e.g. tcp:) types not allowed */
#define DICT_FLAG_FOLD_FIX (1 << 14)        /* fold fixed-string keys to lower case */
#define DICT_FLAG_FOLD_MUL (1 << 15)        /* fold keys of pattern/multi-key types */
#define DICT_FLAG_OPEN_LOCK (1 << 16)       /* lock at open, unlock at close (writers) */
#define DICT_FLAG_BULK_UPDATE (1 << 17)     /* build into a new file, rename at close */
#define DICT_FLAG_MULTI_WRITER (1 << 18)    /* several writers may update concurrently */
#define DICT_FLAG_UTF8_REQUEST (1 << 19)    /* caller wants UTF-8 key checks */
#define DICT_FLAG_UTF8_ACTIVE (1 << 20)     /* UTF-8 key checks are in effect */
#define DICT_FLAG_SRC_RHS_IS_FILE (1 << 21) /* postmap -F: values name files */

#define DICT_FLAG_PARANOID (DICT_FLAG_NO_REGSUB | DICT_FLAG_NO_PROXY | DICT_FLAG_NO_UNAUTH)
#define DICT_FLAG_FOLD_ANY (DICT_FLAG_FOLD_FIX | DICT_FLAG_FOLD_MUL)
#define DICT_FLAG_UTF8_MASK (DICT_FLAG_UTF8_REQUEST | DICT_FLAG_UTF8_ACTIVE)
#define DICT_FLAG_DUP_MASK (DICT_FLAG_DUP_WARN | DICT_FLAG_DUP_IGNORE | DICT_FLAG_DUP_REPLACE)
/* Flags a table inherits from the caller, not decided by its type. */
#define DICT_FLAG_INST_MASK                                                                        \
    (DICT_FLAG_DUP_MASK | DICT_FLAG_LOCK | DICT_FLAG_SYNC_UPDATE | DICT_FLAG_DEBUG |               \
     DICT_FLAG_PARANOID | DICT_FLAG_FOLD_ANY | DICT_FLAG_OPEN_LOCK | DICT_FLAG_BULK_UPDATE |       \
     DICT_FLAG_MULTI_WRITER | DICT_FLAG_UTF8_MASK)

/* Default flags of lookup clients (daemons). */
#define DICT_FLAG_DEFAULT (DICT_FLAG_LOCK | DICT_FLAG_DUP_REPLACE)

/* Method wrappers. The dict->error of the call tells "not found" from errors. */
#define dict_get(dp, key) ((const char *)(dp)->lookup((dp), (key)))
#define dict_put(dp, key, val) (dp)->update((dp), (key), (val))
#define dict_del(dp, key) (dp)->delete ((dp), (key))
#define dict_seq(dp, f, key, val) (dp)->sequence((dp), (f), (key), (val))
#define dict_close(dp) (dp)->close(dp)
#define dict_error(dp) ((dp)->error)

/* Set dict->error and return a value, in one statement. */
#define DICT_ERR_VAL_RETURN(dict, err, val)                                                        \
    do {                                                                                           \
        (dict)->error = (err);                                                                     \
        return (val);                                                                              \
    } while (0)

/*
 * Opening tables. dict_open() takes "type:name" (a spec without ':' is
 * fatal). A type's open function reports a failure it can describe by
 * returning dict_surrogate(...) and one it cannot with a null pointer (errno
 * set). When dict_allow_surrogate is zero (the default: postmap, postalias)
 * dict_surrogate() is fatal with the reason, e.g. "unsupported dictionary
 * type: foo"; daemons set it to 1 and get a table that logs the reason once
 * at open and fails every operation with DICT_ERR_CONFIG, so that they defer
 * mail instead of dying.
 */
typedef DICT *(*DICT_OPEN_FN)(const char *name, int open_flags, int dict_flags);

extern DICT *dict_open(const char *dict_spec, int open_flags, int dict_flags);
extern DICT *dict_open3(const char *type, const char *name, int open_flags, int dict_flags);
extern void dict_open_register(const char *type, DICT_OPEN_FN open_fn);
extern DICT_OPEN_FN dict_open_lookup(const char *type);
extern ARGV *dict_mapnames(void); /* sorted; caller frees with argv_free */

/* For table implementations. */
extern DICT *dict_alloc(const char *type, const char *name, size_t size);
extern void dict_free(DICT *dict);
extern DICT *dict_surrogate(const char *type, const char *name, int open_flags, int dict_flags,
                            const char *fmt, ...) __attribute__((format(printf, 5, 6)));
extern const char *dict_fold_key(DICT *dict, const char *key);
extern void dict_set_owner(DICT *dict, const struct stat *st);
extern void dict_set_stat_fd(DICT *dict, int fd);
extern int dict_is_surrogate(DICT *dict);
/* pipemap/unionmap: parse "{type:name, ...}", open the parts, allocate size bytes. */
extern DICT *dict_compose_open(const char *type, const char *name, int open_flags, int dict_flags,
                               size_t size, DICT ***parts, int *count);
extern int dict_allow_surrogate; /* 0: open failures are fatal */
extern int dict_db_cache_size;   /* Berkeley DB buffer bytes per table */

/* Duplicate-key policy for writers: decide whether to store and what to say. */
#define DICT_DUP_STORE 1 /* store (replace) the new value */
#define DICT_DUP_KEEP 0  /* keep the old value */
extern int dict_dup_policy(DICT *dict, const char *where, const char *key);

/*
 * Named registry: a table opened under the same name twice is shared; the
 * last dict_unregister() closes it.
 */
extern void dict_register(const char *dict_name, DICT *dict);
extern DICT *dict_handle(const char *dict_name);
extern void dict_unregister(const char *dict_name);
extern int dict_update(const char *dict_name, const char *key, const char *value);
extern const char *dict_lookup(const char *dict_name, const char *key);
extern int dict_delete(const char *dict_name, const char *key);
extern int dict_sequence(const char *dict_name, int func, const char **key, const char **value);
extern int dict_errno_of(const char *dict_name); /* error of last access */
extern const char *dict_changed_name(void);      /* a changed table's name, or null */
extern int dict_changed(void);
extern void dict_walk(void (*action)(const char *name, DICT *dict, void *ctx), void *ctx);

/* "name = value" files (main.cf style) loaded into a named in-memory table. */
extern int dict_load_file_xt(const char *dict_name, const char *path);
extern void dict_load_fp(const char *dict_name, VSTREAM *fp);

/*
 * Helpers for "{ text }" and "{a, {b c}, d}" specifications, and for the
 * "key whitespace value" lines of table source files (postmap, texthash).
 */
extern const char *dict_brace_strip(char **bp);  /* null, or an error text */
extern ARGV *dict_brace_split(const char *text); /* split at commas/blanks outside {} */
extern int dict_split_entry(char *line, char **key, char **value);
#define DICT_SPLIT_OK 0
#define DICT_SPLIT_FORMAT 1 /* no whitespace-separated value */
#define DICT_SPLIT_QUOTE 2  /* unbalanced '"' in the key */

/*
 * UTF-8 policy (smtputf8_enable): dict_open3() calls dict_utf8_activate()
 * for tables opened with DICT_FLAG_UTF8_REQUEST. Keys that are not valid
 * UTF-8 are "not found" (with a warning); a value that is not valid UTF-8 is
 * a configuration error; DICT_FLAG_FOLD_FIX then folds non-ASCII letters too.
 */
extern DICT *dict_utf8_activate(DICT *dict);
extern const char *dict_utf8_fold(VSTRING *buf, const char *str);

/* Debugging. */
extern const char *dict_flags_str(int flags);
extern int dict_flags_mask(const char *names);

/* Built-in types implemented in src/util (registered by dict_open). */
#define DICT_TYPE_HASH "hash"
#define DICT_TYPE_BTREE "btree"
#define DICT_TYPE_TEXTHASH "texthash"
#define DICT_TYPE_INLINE "inline"
#define DICT_TYPE_STATIC "static"
#define DICT_TYPE_FAIL "fail"
#define DICT_TYPE_ENVIRON "environ"
#define DICT_TYPE_UNIX "unix"
#define DICT_TYPE_PIPE "pipemap"
#define DICT_TYPE_UNION "unionmap"
#define DICT_TYPE_HT "internal"
#define DICT_TYPE_SURROGATE "surrogate"

extern DICT *dict_db_hash_open(const char *path, int open_flags, int dict_flags);
extern DICT *dict_db_btree_open(const char *path, int open_flags, int dict_flags);
extern DICT *dict_texthash_open(const char *path, int open_flags, int dict_flags);
extern DICT *dict_inline_open(const char *spec, int open_flags, int dict_flags);
extern DICT *dict_static_open(const char *value, int open_flags, int dict_flags);
extern DICT *dict_fail_open(const char *name, int open_flags, int dict_flags);
extern DICT *dict_environ_open(const char *name, int open_flags, int dict_flags);
extern DICT *dict_unix_open(const char *map, int open_flags, int dict_flags);
extern DICT *dict_pipe_open(const char *spec, int open_flags, int dict_flags);
extern DICT *dict_union_open(const char *spec, int open_flags, int dict_flags);
extern DICT *dict_ht_open(const char *name, int open_flags, int dict_flags);

#endif
