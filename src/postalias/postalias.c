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
static int postalias_query_one(DICT **dicts, int count, const char *key, int with_key,
                               void *unused_context)
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

/* postalias_show - -s: one entry as "key:<TAB>value" */
static void postalias_show(DICT *dict, const char *key, const char *value, void *unused)
{
    vstream_fprintf(VSTREAM_OUT, "%s:\t%s\n", key, value);
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
    if (opts.delkey) {
        dict_db_cache_size = mkmap_tool_db_read_buf;
        exit(mkmap_tool_delete(specs, count, opts.delkey, opts.dict_flags) ? 0 : 1);
    }
    if (opts.query || opts.sequence) {
        dict_db_cache_size = mkmap_tool_db_read_buf;
        dicts = mkmap_tool_open_all(specs, count, O_RDONLY, opts.dict_flags);
        if (opts.query) {
            found = mkmap_tool_keys(dicts, count, opts.query, postalias_query_one, (void *)0);
        } else {
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
