/*
 * postconf_edit - change main.cf in place: -e (set), -X (remove), -# (comment out).
 *
 * The file is handled as physical lines so that comments, blank lines and
 * the order of entries survive. An entry is a line that starts with a name,
 * plus the indented lines that continue it. -e replaces the first entry of
 * each name with one "name = value" line and appends names that were not
 * there; -X drops entries; -# puts '#' in front of each of their lines.
 *
 * pcf_rewrite_file() replaces a file atomically (temporary file in the same
 * directory, fsync, rename), which master.cf editing uses too.
 *
 * Failure: a malformed name=value argument and I/O errors are fatal.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "argv.h"
#include "htable.h"
#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"
#include "vstream.h"
#include "vstring.h"

#include "postconf.h"

/* pcf_read_lines - physical lines without newlines; null when missing and allowed */
ARGV *pcf_read_lines(const char *path, int missing_ok)
{
    VSTREAM *fp;
    VSTRING *buf;
    ARGV *lines;

    if ((fp = vstream_fopen(path, O_RDONLY, 0)) == 0) {
        if (missing_ok && errno == ENOENT)
            return (argv_alloc(10));
        msg_fatal("open %s: %m", path);
    }
    buf = vstring_alloc(100);
    lines = argv_alloc(100);
    while (vstring_get_nonl(buf, fp) != VSTREAM_EOF)
        argv_add(lines, vstring_str(buf), (char *)0);
    if (vstream_ferror(fp))
        msg_fatal("read %s: %m", path);
    vstream_fclose(fp);
    vstring_free(buf);
    return (lines);
}

/* pcf_rewrite_file - replace a file atomically with these lines */
void pcf_rewrite_file(const char *path, ARGV *lines)
{
    char *temp = concatenate(path, ".tmp", (char *)0);
    struct stat st;
    VSTREAM *fp;
    mode_t mode = 0644;
    int i;

    if (stat(path, &st) == 0)
        mode = st.st_mode & 07777;
    (void)unlink(temp);
    if ((fp = vstream_fopen(temp, O_WRONLY | O_CREAT | O_EXCL, mode)) == 0)
        msg_fatal("open %s: %m", temp);
    for (i = 0; i < lines->argc; i++)
        vstream_fprintf(fp, "%s\n", lines->argv[i]);
    if (vstream_fflush(fp) != 0 || fsync(vstream_fileno(fp)) < 0)
        msg_fatal("write %s: %m", temp);
    if (vstream_fclose(fp) != 0)
        msg_fatal("close %s: %m", temp);
    if (rename(temp, path) < 0)
        msg_fatal("rename %s to %s: %m", temp, path);
    myfree(temp);
}

/* pcf_entry_name - the name an entry line starts with, or null */
static char *pcf_entry_name(const char *line)
{
    size_t len;

    if (*line == 0 || ISSPACE((unsigned char)*line) || *line == '#')
        return (0);
    len = strcspn(line, " \t=");
    return (mystrndup(line, len));
}

/* pcf_is_continuation - an indented line with text continues the entry */
static int pcf_is_continuation(const char *line)
{
    const char *cp = skipblanks(line);

    return (ISSPACE((unsigned char)*line) && *cp != 0 && *cp != '#');
}

typedef struct PCF_EDIT {
    char *name;
    char *value; /* -e only */
    int seen;    /* entries of this name found so far */
} PCF_EDIT;

/* pcf_parse_edits - the command-line arguments of -e, -X, -# */
static HTABLE *pcf_parse_edits(int mode, ARGV *args, ARGV *order)
{
    HTABLE *table = htable_create(10);
    PCF_EDIT *edit;
    char *copy, *name, *value;
    const char *err;
    int i;

    for (i = 0; i < args->argc; i++) {
        copy = mystrdup(args->argv[i]);
        if (mode == PCF_EDIT_CONF) {
            if ((err = split_nameval(copy, &name, &value)) == 0 && *name == 0)
                err = "missing attribute name";
            if (err)
                msg_fatal("%s: \"%s\"", err, args->argv[i]);
        } else {
            if (strchr(copy, '=') != 0)
                msg_fatal("-X or -# requires parameter names without value");
            name = skipblanks(copy);
            *trimblanks(name, 0) = 0;
            value = 0;
        }
        if ((edit = htable_find(table, name)) == 0) {
            edit = mycalloc(1, sizeof(*edit));
            edit->name = mystrdup(name);
            htable_enter(table, name, edit);
            argv_add(order, name, (char *)0);
        } else if (mode == PCF_EDIT_CONF) {
            msg_warn("ignoring earlier request: '%s = %s'", edit->name, edit->value);
        }
        if (edit->value)
            myfree(edit->value);
        edit->value = value ? mystrdup(value) : 0;
        myfree(copy);
    }
    return (table);
}

/* pcf_free_edit - htable_free() helper */
static void pcf_free_edit(void *ptr)
{
    PCF_EDIT *edit = ptr;

    myfree(edit->name);
    if (edit->value)
        myfree(edit->value);
    myfree(edit);
}

/* pcf_add_line - append a copy, optionally with a prefix */
static void pcf_add_line(ARGV *out, const char *prefix, const char *line)
{
    char *text = concatenate(prefix, line, (char *)0);

    argv_add(out, text, (char *)0);
    myfree(text);
}

/* pcf_edit_main - apply -e, -X or -# to main.cf */
void pcf_edit_main(int mode, ARGV *args)
{
    ARGV *order = argv_alloc(10);
    HTABLE *edits = pcf_parse_edits(mode, args, order);
    ARGV *lines = pcf_read_lines(pcf_main_path, mode == PCF_EDIT_CONF);
    ARGV *out = argv_alloc(lines->argc + 10);
    PCF_EDIT *edit = 0;
    char *name;
    char *text;
    int i;

    for (i = 0; i < lines->argc; i++) {
        const char *line = lines->argv[i];

        /* Continuation lines share the fate of the entry they belong to. */
        if (pcf_is_continuation(line)) {
            if (edit == 0)
                argv_add(out, line, (char *)0);
            else if (mode == PCF_COMMENT_OUT)
                pcf_add_line(out, "#", line);
            continue;
        }
        edit = 0;
        if ((name = pcf_entry_name(line)) != 0) {
            if ((edit = htable_find(edits, name)) != 0 && edit->seen++ == 1)
                msg_warn("%s: multiple entries for \"%s\"", pcf_main_path, name);
            myfree(name);
        }
        if (edit == 0) {
            argv_add(out, line, (char *)0);
        } else if (mode == PCF_EDIT_CONF) {
            text = concatenate(edit->name, " = ", edit->value, (char *)0);
            argv_add(out, text, (char *)0);
            myfree(text);
        } else if (mode == PCF_COMMENT_OUT) {
            pcf_add_line(out, "#", line);
        }
    }
    if (mode == PCF_EDIT_CONF) {
        for (i = 0; i < order->argc; i++) {
            edit = htable_find(edits, order->argv[i]);
            if (edit->seen == 0) {
                text = concatenate(edit->name, " = ", edit->value, (char *)0);
                argv_add(out, text, (char *)0);
                myfree(text);
            }
        }
    }
    pcf_rewrite_file(pcf_main_path, out);
    argv_free(out);
    argv_free(lines);
    argv_free(order);
    htable_free(edits, pcf_free_edit);
}
