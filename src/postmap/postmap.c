/*
 * postmap - create, query, update and list lookup tables.
 *
 * Usage: postmap [-bfFhimnNoprsuUvw] [-c config_dir] [-d key] [-q key]
 *                [file_type:]file_name ...
 *
 * Without -q, -d or -s, each argument names a source file ("key whitespace
 * value" lines) from which file_type:file_name is (re)built with mkmap: a
 * new table is built aside and renamed into place, under an exclusive lock.
 * -i adds entries from standard input to an existing table instead. -q
 * looks keys up, -d deletes them, -s lists a table; "-" as key reads keys
 * from standard input; with -h and/or -b, "-q -" reads a message instead
 * and looks up its header and/or body lines, and -m adds MIME parsing
 * (the headers of every MIME part and attached message are header keys and
 * not body keys, as header_checks/body_checks see them). Exit status: 0
 * for success (for -q and -d: at least one key found), 1 for "not found"
 * and for fatal errors, as the reference.
 *
 * Trust: when run by root on a source file owned by another user, the
 * table is built with that user's privileges (unless -o), so that a user
 * cannot use postmap to write where they could not write themselves.
 * New tables get the group/other read bits of their source file (unless
 * -p). Every diagnostic goes to standard error.
 */

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base64_code.h"
#include "dict.h"
#include "mkmap.h"
#include "msg.h"
#include "mymalloc.h"
#include "mime_state.h"
#include "mkmap_tool.h"
#include "rec_type.h"
#include "stringops.h"
#include "vstream.h"
#include "vstring.h"

/* Program options beyond the table flags; -i -o -p are shared (mkmap_tool.h). */
#define PM_FLAG_B64 (1 << 3)        /* -F */
#define PM_FLAG_HEADER (1 << 4)     /* -h */
#define PM_FLAG_BODY (1 << 5)       /* -b */
#define PM_FLAG_MIME (1 << 6)       /* -m */
#define PM_FLAG_UTF8_FORCE (1 << 7) /* -U */

#define POSTMAP_HEADER_LIMIT 102400 /* bytes of one logical header */

static const char *postmap_usage =
    "usage: %s [-bfFhimnNoprsuUvw] [-c config_dir] [-d key] [-q key] [map_type:]file...";

/* postmap_files_b64 - -F: the base64 of the named files, or null with a reason */
static const char *postmap_files_b64(const char *names, VSTRING *result, VSTRING *why)
{
    VSTRING *content = vstring_alloc(1000);
    char *saved = mystrdup(names);
    char *bp = saved;
    char *name;
    VSTREAM *fp;
    int ch;
    int count = 0;

    while ((name = mystrtok(&bp, ", \t\r\n")) != 0) {
        if ((fp = vstream_fopen(name, O_RDONLY, 0)) == 0) {
            vstring_sprintf(why, "open %s: %m", name);
            break;
        }
        if (count++ > 0)
            VSTRING_ADDCH(content, '\n');
        while ((ch = vstream_getc(fp)) != VSTREAM_EOF)
            VSTRING_ADDCH(content, ch);
        if (vstream_ferror(fp))
            vstring_sprintf(why, "read %s: %m", name);
        (void)vstream_fclose(fp);
        if (VSTRING_LEN(why))
            break;
    }
    myfree(saved);
    if (VSTRING_LEN(why) == 0 && count == 0)
        vstring_sprintf(why, "empty pathname list: >>%s<<'", names);
    if (VSTRING_LEN(why) == 0)
        base64_encode(result, vstring_str(content), VSTRING_LEN(content));
    vstring_free(content);
    return (VSTRING_LEN(why) ? 0 : vstring_str(result));
}

/* postmap_build - build or update one table from its source */
static void postmap_build(const char *type, const char *path, int open_flags, int dict_flags,
                          int pm_flags)
{
    MKMAP_TOOL_SOURCE src;
    MKMAP *mkmap;
    VSTRING *line = vstring_alloc(100);
    VSTRING *b64 = vstring_alloc(100);
    VSTRING *why = vstring_alloc(100);
    char *key;
    char *value;
    int status;

    mkmap_tool_open_source(&src, path, dict_flags, pm_flags);
    mkmap = mkmap_open(type, path, open_flags, dict_flags);
    while (mkmap_tool_next_line(&src, line)) {
        status = dict_split_entry(vstring_str(line), &key, &value);
        if (status == DICT_SPLIT_QUOTE) {
            msg_warn("%s, line %d: unbalanced '\"' in '%s' -- ignoring this line", src.name,
                     src.first, vstring_str(line));
            continue;
        }
        if (status != DICT_SPLIT_OK) {
            msg_warn("%s, line %d: expected format: key whitespace value", src.name, src.first);
            continue;
        }
        if (key[strlen(key) - 1] == ':')
            msg_warn("%s, line %d: record is in \"key: value\" format; is this an alias file?",
                     src.name, src.first);
        if (pm_flags & PM_FLAG_B64) {
            VSTRING_RESET(why);
            if ((value = (char *)postmap_files_b64(value, b64, why)) == 0) {
                msg_warn("%s, line %d: %s: skipping this entry", src.name, src.first,
                         vstring_str(why));
                continue;
            }
        }
        mkmap_append(mkmap, key, value);
    }
    mkmap_tool_close_source(&src);
    mkmap_close(mkmap);
    vstring_free(line);
    vstring_free(b64);
    vstring_free(why);
}

/* postmap_check_result - the per-lookup error and empty-value checks */
static void postmap_check_result(DICT *dict, const char *key, const char *value)
{
    if (value == 0 && dict->error != DICT_ERR_NONE) {
        if (dict->error == DICT_ERR_RETRY)
            msg_fatal("table %s:%s: query error: %s", dict->type, dict->name,
                      errno ? strerror(errno) : "Application error");
        msg_fatal("table %s:%s: query error", dict->type, dict->name);
    }
    if (value != 0 && *value == 0) {
        msg_warn("table %s:%s: key %s: empty string result is not allowed", dict->type, dict->name,
                 key);
        msg_warn("table %s:%s should return NO RESULT in case of NOT FOUND", dict->type,
                 dict->name);
    }
}

/* postmap_decode - -F: the base64-decoded value, or null with a warning */
static const char *postmap_decode(DICT *dict, const char *key, const char *value, VSTRING *buf)
{
    if (base64_decode(buf, value, -1) != 0)
        return (vstring_str(buf));
    msg_warn("table %s:%s: key %s: malformed BASE64 value: %s", dict->type, dict->name, key, value);
    return (0);
}

/* postmap_print - write "key<TAB>value" or just the value */
static void postmap_print(const char *key, const char *value, size_t len)
{
    if (key)
        vstream_fprintf(VSTREAM_OUT, "%s\t", key);
    vstream_fwrite(VSTREAM_OUT, value, len);
    vstream_putc('\n', VSTREAM_OUT);
}

/* postmap_query_one - look a key up in each table; print the first hit */
static int postmap_query_one(DICT **dicts, int count, const char *key, int with_key, int pm_flags,
                             VSTRING *buf)
{
    const char *value;
    int i;

    /* Message mode looks up empty body lines; plain key lists skip them. */
    if (*key == 0 && (pm_flags & (PM_FLAG_HEADER | PM_FLAG_BODY)) == 0)
        return (0);
    for (i = 0; i < count; i++) {
        value = dict_get(dicts[i], key);
        postmap_check_result(dicts[i], key, value);
        if (value == 0)
            continue;
        if (pm_flags & PM_FLAG_B64) {
            if (postmap_decode(dicts[i], key, value, buf) == 0)
                msg_fatal("table %s:%s: query error", dicts[i]->type, dicts[i]->name);
            postmap_print(with_key ? key : 0, vstring_str(buf), VSTRING_LEN(buf));
        } else {
            postmap_print(with_key ? key : 0, value, strlen(value));
        }
        return (1);
    }
    return (0);
}

/* postmap_is_header - does a line start a message header ("Name:")? */
static int postmap_is_header(const char *line)
{
    const char *cp;

    for (cp = line; *cp > ' ' && *cp < 0x7f && *cp != ':'; cp++)
        /* void */;
    if (cp == line)
        return (0);
    while (*cp == ' ' || *cp == '\t')
        cp++;
    return (*cp == ':');
}

/*
 * postmap_query_message - -h/-b with -q -: keys are the logical header lines
 * and/or the body lines of a message on stdin. The line that ends the
 * headers counts as the first body line; when the headers end without an
 * empty line, an empty body line is supplied, so that body lookups see the
 * same lines whether or not the sender put the separator in.
 */
static int postmap_query_message(DICT **dicts, int count, int pm_flags, VSTRING *buf)
{
    VSTRING *line = vstring_alloc(100);
    VSTRING *header = vstring_alloc(100);
    int in_body = 0;
    int found = 0;
    int more;

    for (;;) {
        more = (vstring_get_nonl(line, VSTREAM_IN) != VSTREAM_EOF);
        if (!in_body) {
            if (more && VSTRING_LEN(header) &&
                (*vstring_str(line) == ' ' || *vstring_str(line) == '\t')) {
                if (VSTRING_LEN(header) < POSTMAP_HEADER_LIMIT) {
                    VSTRING_ADDCH(header, '\n');
                    vstring_strcat(header, vstring_str(line));
                }
                continue;
            }
            if (VSTRING_LEN(header) && (pm_flags & PM_FLAG_HEADER) &&
                postmap_query_one(dicts, count, vstring_str(header), 1, pm_flags, buf))
                found = 1;
            VSTRING_RESET(header);
            if (!more)
                break;
            if (postmap_is_header(vstring_str(line))) {
                vstring_strcpy(header, vstring_str(line));
                continue;
            }
            in_body = 1;
            if ((pm_flags & PM_FLAG_BODY) == 0)
                break;
            if (VSTRING_LEN(line) != 0 && postmap_query_one(dicts, count, "", 1, pm_flags, buf))
                found = 1;
        }
        if (!more)
            break;
        if (postmap_query_one(dicts, count, vstring_str(line), 1, pm_flags, buf))
            found = 1;
    }
    vstring_free(line);
    vstring_free(header);
    return (found);
}

/* What the MIME parser's callbacks need for their lookups. */
typedef struct POSTMAP_MIME_CTX {
    DICT **dicts;
    int count;
    int pm_flags;
    VSTRING *buf;  /* -F decoding */
    VSTRING *text; /* null-terminated copy of a body record */
    int found;
    int body_seen; /* a body record was looked up */
} POSTMAP_MIME_CTX;

/* postmap_mime_head - -m -h: look up one header of any MIME part */
static void postmap_mime_head(void *context, int header_class, const HEADER_OPTS *info,
                              VSTRING *header, off_t offset)
{
    POSTMAP_MIME_CTX *ctx = (POSTMAP_MIME_CTX *)context;

    (void)header_class;
    (void)info;
    (void)offset;
    if (postmap_query_one(ctx->dicts, ctx->count, vstring_str(header), 1, ctx->pm_flags, ctx->buf))
        ctx->found = 1;
}

/* postmap_mime_body - -m -b: look up one body record, as body_checks would */
static void postmap_mime_body(void *context, int rec_type, const char *text, ssize_t len,
                              off_t offset)
{
    POSTMAP_MIME_CTX *ctx = (POSTMAP_MIME_CTX *)context;

    (void)offset;

    /*
     * The primary header may end with a non-header line instead of an empty
     * one; body lookups then see the missing separator first, so that the
     * same keys result either way.
     */
    if (!ctx->body_seen && (len > 0 || rec_type == REC_TYPE_CONT) &&
        postmap_query_one(ctx->dicts, ctx->count, "", 1, ctx->pm_flags, ctx->buf))
        ctx->found = 1;
    ctx->body_seen = 1;
    vstring_strncpy(ctx->text, text, len);
    if (postmap_query_one(ctx->dicts, ctx->count, vstring_str(ctx->text), 1, ctx->pm_flags,
                          ctx->buf))
        ctx->found = 1;
}

/*
 * postmap_query_mime - -m with -h/-b and -q -: run the message on stdin
 * through the MIME parser, so that headers of every MIME part and of
 * attached messages are header keys (-h), and only non-header lines are
 * body keys (-b), in message order. Lines longer than the header limit
 * are passed on in pieces, as REC_TYPE_CONT records.
 */
static int postmap_query_mime(DICT **dicts, int count, int pm_flags, VSTRING *buf)
{
    POSTMAP_MIME_CTX ctx;
    MIME_STATE *mime;
    VSTRING *line = vstring_alloc(100);
    int last;
    int rec_type;

    ctx.dicts = dicts;
    ctx.count = count;
    ctx.pm_flags = pm_flags;
    ctx.buf = buf;
    ctx.text = vstring_alloc(100);
    ctx.found = 0;
    ctx.body_seen = 0;
    mime = mime_state_alloc(MIME_OPT_NONE, (pm_flags & PM_FLAG_HEADER) ? postmap_mime_head : 0, 0,
                            (pm_flags & PM_FLAG_BODY) ? postmap_mime_body : 0, 0, 0, &ctx);
    while ((last = vstring_get_bound(line, VSTREAM_IN, POSTMAP_HEADER_LIMIT)) != VSTREAM_EOF) {
        if (last == '\n') {
            vstring_truncate(line, VSTRING_LEN(line) - 1);
            rec_type = REC_TYPE_NORM;
        } else {
            /* A piece of a long line, or an unterminated last line. */
            rec_type = vstream_feof(VSTREAM_IN) ? REC_TYPE_NORM : REC_TYPE_CONT;
        }
        mime_state_update(mime, rec_type, vstring_str(line), VSTRING_LEN(line));
    }
    if (vstream_ferror(VSTREAM_IN))
        msg_fatal("read standard input: %m");
    mime_state_update(mime, REC_TYPE_END, "", 0);
    mime_state_free(mime);
    vstring_free(ctx.text);
    vstring_free(line);
    return (ctx.found);
}

/* postmap_query - -q: one key, or keys from stdin */
static int postmap_query(char **specs, int count, const char *key, int dict_flags, int pm_flags)
{
    DICT **dicts = mkmap_tool_open_all(specs, count, O_RDONLY, dict_flags);
    VSTRING *buf = vstring_alloc(100);
    int found = 0;

    if (strcmp(key, "-") != 0) {
        found = postmap_query_one(dicts, count, key, 0, pm_flags, buf);
    } else if ((pm_flags & (PM_FLAG_HEADER | PM_FLAG_BODY)) && (pm_flags & PM_FLAG_MIME)) {
        found = postmap_query_mime(dicts, count, pm_flags, buf);
    } else if (pm_flags & (PM_FLAG_HEADER | PM_FLAG_BODY)) {
        found = postmap_query_message(dicts, count, pm_flags, buf);
    } else {
        VSTRING *line = vstring_alloc(100);

        while (vstring_get_nonl(line, VSTREAM_IN) != VSTREAM_EOF) {
            if (postmap_query_one(dicts, count, vstring_str(line), 1, pm_flags, buf))
                found = 1;
        }
        vstring_free(line);
    }
    vstream_fflush(VSTREAM_OUT);
    vstring_free(buf);
    mkmap_tool_close_all(dicts, count);
    return (found);
}

/* What postmap_show() needs: the -F flag and a decoding buffer. */
typedef struct POSTMAP_SHOW {
    int pm_flags;
    VSTRING *buf;
} POSTMAP_SHOW;

/* postmap_show - -s: one entry, base64-decoded with -F */
static void postmap_show(DICT *dict, const char *key, const char *value, void *context)
{
    POSTMAP_SHOW *ctx = (POSTMAP_SHOW *)context;

    if ((ctx->pm_flags & PM_FLAG_B64) == 0)
        postmap_print(key, value, strlen(value));
    else if (postmap_decode(dict, key, value, ctx->buf) != 0)
        postmap_print(key, vstring_str(ctx->buf), VSTRING_LEN(ctx->buf));
}

/* postmap_sequence - -s: list every table */
static void postmap_sequence(char **specs, int count, int dict_flags, int pm_flags)
{
    DICT **dicts = mkmap_tool_open_all(specs, count, O_RDONLY, dict_flags);
    POSTMAP_SHOW ctx = {pm_flags, vstring_alloc(100)};

    mkmap_tool_sequence(dicts, specs, count, postmap_show, &ctx);
    vstream_fflush(VSTREAM_OUT);
    vstring_free(ctx.buf);
    mkmap_tool_close_all(dicts, count);
}

int main(int argc, char **argv)
{
    MKMAP_TOOL_OPTS opts;
    char **specs;
    int count;
    int ch;

    mkmap_tool_init(argc, argv, "postmap");
    mkmap_tool_opts_init(&opts);
    while ((ch = getopt(argc, argv, "Nbc:d:fFhimnopq:rsuUvw")) > 0) {
        if (mkmap_tool_option(&opts, ch, optarg))
            continue;
        switch (ch) {
        case 'b':
            opts.flags |= PM_FLAG_BODY;
            break;
        case 'F':
            opts.flags |= PM_FLAG_B64;
            break;
        case 'h':
            opts.flags |= PM_FLAG_HEADER;
            break;
        case 'm':
            opts.flags |= PM_FLAG_MIME;
            break;
        case 'U':
            opts.flags |= PM_FLAG_UTF8_FORCE;
            break;
        default:
            msg_fatal(postmap_usage, "postmap");
        }
    }
    mkmap_tool_read_config();
    if (mkmap_tool_smtputf8 && !opts.utf8_off &&
        (!(opts.flags & (PM_FLAG_HEADER | PM_FLAG_BODY)) || (opts.flags & PM_FLAG_UTF8_FORCE)))
        opts.dict_flags |= DICT_FLAG_UTF8_REQUEST;
    if ((opts.flags & (PM_FLAG_HEADER | PM_FLAG_BODY | PM_FLAG_MIME)) &&
        (opts.query == 0 || strcmp(opts.query, "-") != 0))
        msg_fatal("specify -b -h or -m only with \"-q -\"");
    if ((opts.flags & PM_FLAG_MIME) && !(opts.flags & (PM_FLAG_HEADER | PM_FLAG_BODY))) {
        msg_warn("ignoring -m option without -b or -h");
        opts.flags &= ~PM_FLAG_MIME;
    }
    if (optind >= argc)
        msg_fatal(postmap_usage, "postmap");
    specs = argv + optind;
    count = argc - optind;
    if (opts.query || opts.delkey || opts.sequence)
        dict_db_cache_size = mkmap_tool_db_read_buf;
    if (opts.query)
        exit(postmap_query(specs, count, opts.query, opts.dict_flags, opts.flags) ? 0 : 1);
    if (opts.delkey)
        exit(mkmap_tool_delete(specs, count, opts.delkey, opts.dict_flags) ? 0 : 1);
    if (opts.sequence) {
        postmap_sequence(specs, count, opts.dict_flags, opts.flags);
        exit(0);
    }
    mkmap_tool_build_all(specs, count, &opts, postmap_build);
    exit(0);
}
