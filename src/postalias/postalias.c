/*
 * postalias - create, query, update and list alias databases.
 *
 * Usage: postalias [-Nfinoprsuvw] [-c config_dir] [-d key] [-q key]
 *                  [file_type:]file_name ...
 *
 * The source has the aliases(5) format: "name: value, value, ..." with
 * comments and continuation lines; names may be quoted. Each value list is
 * stored in the RFC 822 form that the reference stores (tokens re-joined,
 * one ", " between list elements; see alias_tok.c), the name in internal
 * (unquoted) form, folded to lower case. Like the reference, every build
 * ends with the sendmail "@:@" completion entry and the NIS entries
 * YP_LAST_MODIFIED and YP_MASTER_NAME (stored without trailing nulls).
 *
 * newaliases: "sendmail -bi" and "newaliases" run this program with the
 * entries of alias_database as arguments (see newaliases_argv() in
 * src/global/newaliases.c), which rebuilds every alias table.
 *
 * Exit status and options are those of postmap(1), with "key: value" as the
 * output format of -q - and -s.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "alias_tok.h"
#include "dict.h"
#include "mkmap.h"
#include "mkmap_tool.h"
#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"
#include "vstream.h"
#include "vstring.h"

static const char *postalias_usage =
    "usage: %s [-Nfinoprsuvw] [-c config_dir] [-d key] [-q key] [map_type:]file...";

/* postalias_entry - parse and store one logical line */
static void postalias_entry(MKMAP *mkmap, const char *src_name, int lineno, char *line,
                            VSTRING *key, VSTRING *value)
{
    switch (alias_tok_split(line, key, value)) {
    case ALIAS_TOK_OK:
        break;
    case ALIAS_TOK_NOT_LOCAL:
        msg_warn("%s, line %d: name must be local", src_name, lineno);
        return;
    default:
        msg_warn("%s, line %d: need name:value pair", src_name, lineno);
        return;
    }
    mkmap_append(mkmap, vstring_str(key), vstring_str(value));
}

/* postalias_trailer - the sendmail and NIS entries that end every build */
static void postalias_trailer(MKMAP *mkmap)
{
    DICT *dict = mkmap_dict(mkmap);
    char stamp[32];
    int saved = dict->flags;

    /* Sendmail waits for "@" to know that the table is complete. */
    dict->flags &= ~(DICT_FLAG_DUP_WARN | DICT_FLAG_DUP_IGNORE);
    dict->flags |= DICT_FLAG_DUP_REPLACE;
    mkmap_append(mkmap, "@", "@");
    /* NIS clients expect these two keys as is: no null, no folding. */
    dict->flags &= ~(DICT_FLAG_TRY1NULL | DICT_FLAG_FOLD_FIX);
    dict->flags |= DICT_FLAG_TRY0NULL;
    snprintf(stamp, sizeof(stamp), "%010ld", (long)time((time_t *)0));
    mkmap_append(mkmap, "YP_LAST_MODIFIED", stamp);
    mkmap_append(mkmap, "YP_MASTER_NAME", mkmap_tool_myhostname);
    dict->flags = saved;
}

/* postalias_build - build or update one alias table */
static void postalias_build(const char *type, const char *path, int open_flags, int dict_flags,
                            int pa_flags)
{
    MKMAP_TOOL_SOURCE src;
    MKMAP *mkmap;
    VSTRING *line = vstring_alloc(100);
    VSTRING *key = vstring_alloc(100);
    VSTRING *value = vstring_alloc(100);

    mkmap_tool_open_source(&src, path, dict_flags, pa_flags);
    mkmap = mkmap_open(type, path, open_flags, dict_flags);
    while (mkmap_tool_next_line(&src, line))
        postalias_entry(mkmap, src.name, src.first, vstring_str(line), key, value);
    mkmap_tool_close_source(&src);
    postalias_trailer(mkmap);
    mkmap_close(mkmap);
    vstring_free(line);
    vstring_free(key);
    vstring_free(value);
}

/* postalias_error_text - strerror for table errors without errno */
static const char *postalias_error_text(void)
{
    return (errno ? strerror(errno) : "Application error");
}

/* postalias_query_one - first value of a key; print it */
static int postalias_query_one(DICT **dicts, int count, const char *key, int with_key)
{
    const char *value;
    int i;

    if (*key == 0)
        return (0);
    for (i = 0; i < count; i++) {
        if ((value = dict_get(dicts[i], key)) != 0) {
            if (with_key)
                vstream_fprintf(VSTREAM_OUT, "%s:\t%s\n", key, value);
            else
                vstream_fprintf(VSTREAM_OUT, "%s\n", value);
            return (1);
        }
        if (dicts[i]->error == DICT_ERR_RETRY)
            msg_fatal("table %s:%s: query error: %s", dicts[i]->type, dicts[i]->name,
                      postalias_error_text());
        if (dicts[i]->error != DICT_ERR_NONE)
            msg_fatal("table %s:%s: query error", dicts[i]->type, dicts[i]->name);
    }
    return (0);
}

/* postalias_delete_one - remove one entry per table */
static int postalias_delete_one(DICT **dicts, int count, const char *key)
{
    int found = 0;
    int status;
    int i;

    if (*key == 0)
        return (0);
    for (i = 0; i < count; i++) {
        if ((status = dict_del(dicts[i], key)) == DICT_STAT_SUCCESS)
            found = 1;
        else if (status == DICT_STAT_ERROR)
            msg_fatal("table %s:%s: delete error: %s", dicts[i]->type, dicts[i]->name,
                      postalias_error_text());
    }
    return (found);
}

/* postalias_keys - run fn for one key, or for each line of stdin */
static int postalias_keys(DICT **dicts, int count, const char *key,
                          int (*fn)(DICT **, int, const char *, int))
{
    VSTRING *line;
    int found = 0;

    if (strcmp(key, "-") != 0)
        return (fn(dicts, count, key, 0));
    line = vstring_alloc(100);
    while (vstring_get_nonl(line, VSTREAM_IN) != VSTREAM_EOF)
        if (fn(dicts, count, vstring_str(line), 1))
            found = 1;
    vstring_free(line);
    return (found);
}

/* postalias_delete_key - adapter for postalias_keys */
static int postalias_delete_key(DICT **dicts, int count, const char *key, int unused)
{
    return (postalias_delete_one(dicts, count, key));
}

/* postalias_show - -s: one entry as "key:<TAB>value" */
static void postalias_show(DICT *dict, const char *key, const char *value, void *unused)
{
    vstream_fprintf(VSTREAM_OUT, "%s:\t%s\n", key, value);
}

/* postalias_check_writable - -d on a read-only type fails like the reference */
static void postalias_check_writable(char **specs, int count)
{
    char *type;
    char *name;
    int i;

    for (i = 0; i < count; i++) {
        mkmap_tool_split_spec(specs[i], &type, &name);
        if (!mkmap_supported(type) && dict_open_lookup(type) != 0)
            msg_fatal("%s:%s map requires O_RDONLY access mode", type, name);
        myfree(type);
        myfree(name);
    }
}

int main(int argc, char **argv)
{
    MKMAP_TOOL_OPTS opts;
    char **specs;
    int count;
    int found;
    DICT **dicts;
    int ch;

    mkmap_tool_init(argc, argv, "postalias");
    mkmap_tool_opts_init(&opts);
    while ((ch = getopt(argc, argv, "Nc:d:finopq:rsuvw")) > 0)
        if (!mkmap_tool_option(&opts, ch, optarg))
            msg_fatal(postalias_usage, "postalias");
    mkmap_tool_read_config();
    if (mkmap_tool_smtputf8 && !opts.utf8_off)
        opts.dict_flags |= DICT_FLAG_UTF8_REQUEST;
    if (optind >= argc)
        msg_fatal(postalias_usage, "postalias");
    specs = argv + optind;
    count = argc - optind;
    if (opts.query || opts.delkey || opts.sequence) {
        dict_db_cache_size = mkmap_tool_db_read_buf;
        if (opts.delkey)
            postalias_check_writable(specs, count);
        dicts = mkmap_tool_open_all(specs, count, opts.delkey ? O_RDWR : O_RDONLY,
                                    opts.dict_flags | (opts.delkey ? DICT_FLAG_LOCK : 0));
        if (opts.query)
            found = postalias_keys(dicts, count, opts.query, postalias_query_one);
        else if (opts.delkey)
            found = postalias_keys(dicts, count, opts.delkey, postalias_delete_key);
        else {
            mkmap_tool_sequence(dicts, specs, count, postalias_show, (void *)0);
            found = 1;
        }
        vstream_fflush(VSTREAM_OUT);
        mkmap_tool_close_all(dicts, count);
        exit(found ? 0 : 1);
    }
    mkmap_tool_build_all(specs, count, &opts, postalias_build);
    exit(0);
}
