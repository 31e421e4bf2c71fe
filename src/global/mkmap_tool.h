#ifndef MKMAP_TOOL_H
#define MKMAP_TOOL_H
/* mkmap_tool - start-up and settings shared by postmap(1) and postalias(1) */

#include "dict.h"
#include "vstream.h"
#include "vstring.h"

extern void mkmap_tool_init(int argc, char **argv, const char *name);
extern void mkmap_tool_config_dir(const char *dir);
extern void mkmap_tool_read_config(void);
extern void mkmap_tool_split_spec(const char *spec, char **type, char **name);

/*
 * Command-line options that both commands take: -N -n -f -r -w (lookup and
 * duplicate handling), -c, -d, -i, -o, -p, -q, -s, -u, -v. A program's own
 * flags start above MKMAP_TOOL_FLAG_LAST.
 */
#define MKMAP_TOOL_FLAG_INCR (1 << 0)       /* -i */
#define MKMAP_TOOL_FLAG_KEEP_OWNER (1 << 1) /* -o */
#define MKMAP_TOOL_FLAG_DEF_PERMS (1 << 2)  /* -p */
#define MKMAP_TOOL_FLAG_LAST MKMAP_TOOL_FLAG_DEF_PERMS

typedef struct MKMAP_TOOL_OPTS {
    int dict_flags;     /* DICT_FLAG_* for opening tables */
    int open_flags;     /* open() flags for building: no O_TRUNC with -i */
    int flags;          /* MKMAP_TOOL_FLAG_* and the program's own */
    int utf8_off;       /* -u */
    int sequence;       /* -s */
    const char *query;  /* -q key */
    const char *delkey; /* -d key */
} MKMAP_TOOL_OPTS;

extern void mkmap_tool_opts_init(MKMAP_TOOL_OPTS *opts);
extern int mkmap_tool_option(MKMAP_TOOL_OPTS *opts, int ch, const char *arg);

/* Build each "type:name" with the program's builder (and the create buffer size). */
typedef void (*MKMAP_TOOL_BUILD_FN)(const char *type, const char *path, int open_flags,
                                    int dict_flags, int flags);
extern void mkmap_tool_build_all(char **specs, int count, const MKMAP_TOOL_OPTS *opts,
                                 MKMAP_TOOL_BUILD_FN build);

/*
 * The source of a build: stdin with -i, else the file, opened as its owner
 * (unless -o) and with a umask that keeps a private source's table private
 * (unless -p). next_line() skips, with a warning, lines that start with
 * white space and non-UTF-8 lines when the table asks for UTF-8; it returns
 * 0 at the end. close_source() is fatal on a read error.
 */
typedef struct MKMAP_TOOL_SOURCE {
    VSTREAM *fp;
    const char *name; /* "stdin" or the path */
    int dict_flags;   /* for the UTF-8 check */
    int lineno;       /* last line read */
    int first;        /* first line of the logical line */
} MKMAP_TOOL_SOURCE;

extern void mkmap_tool_open_source(MKMAP_TOOL_SOURCE *src, const char *path, int dict_flags,
                                   int flags);
extern int mkmap_tool_next_line(MKMAP_TOOL_SOURCE *src, VSTRING *line);
extern void mkmap_tool_close_source(MKMAP_TOOL_SOURCE *src);

/* Open (and close) every "type:name" of a query, delete or list. */
extern DICT **mkmap_tool_open_all(char **specs, int count, int open_flags, int dict_flags);
extern void mkmap_tool_close_all(DICT **dicts, int count);

/* Run fn for key, or (with_key set) for each line of stdin when key is "-"; any found. */
typedef int (*MKMAP_TOOL_KEY_FN)(DICT **dicts, int count, const char *key, int with_key,
                                 void *context);
extern int mkmap_tool_keys(DICT **dicts, int count, const char *key, MKMAP_TOOL_KEY_FN fn,
                           void *context);

/* -d: delete key (or each key on stdin) from every table; whether any was found. */
extern int mkmap_tool_delete(char **specs, int count, const char *key, int dict_flags);

/* -s: every entry of every table, in table order; fatal on a sequence error. */
typedef void (*MKMAP_TOOL_SHOW_FN)(DICT *dict, const char *key, const char *value, void *context);
extern void mkmap_tool_sequence(DICT **dicts, char **specs, int count, MKMAP_TOOL_SHOW_FN show,
                                void *context);

/* Settings from main.cf, valid after mkmap_tool_read_config(). */
extern int mkmap_tool_smtputf8;      /* smtputf8_enable */
extern int mkmap_tool_db_read_buf;   /* berkeley_db_read_buffer_size */
extern int mkmap_tool_db_create_buf; /* berkeley_db_create_buffer_size */
extern char *mkmap_tool_db_type;     /* default_database_type */
extern char *mkmap_tool_alias_db;    /* alias_database */
extern char *mkmap_tool_myhostname;  /* myhostname */
#endif
