/*
 * master_cf - parse master.cf service entries.
 *
 * A master.cf entry is one logical line (comments and blank lines skipped,
 * indented lines continue the entry before) with eight or more fields:
 *
 *      service type private unpriv chroot wakeup maxproc command [args...]
 *
 * "-" in a fixed field asks for the default. An argument may be written as
 * "{ text with spaces }", and "-o { name = value }" is the way to pass a
 * parameter value that contains spaces; such groups are stored without the
 * braces and, after -o, as "name=value".
 *
 * master_cf_parse() turns one logical line into a MASTER_CF_ENTRY and
 * master_cf_read() reads a whole file; both are shared by master(8) and
 * postconf(1). master_cf_options() lists the -o name=value pairs of an entry
 * and master_cf_command() names the program (the command field).
 *
 * Failure: a malformed entry makes master_cf_parse() and master_cf_read()
 * return null with the reason, in Postfix's words, in "why"; the caller decides
 * whether that is fatal (it is, for every Postfix program). Harmless problems
 * (an unclosed "{", "-o {x}" without "=", an indented first line) are logged
 * as warnings and the entry is used as far as it makes sense.
 */

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>

#include "argv.h"
#include "msg.h"
#include "mymalloc.h"
#include "readlline.h"
#include "stringops.h"
#include "vstream.h"
#include "vstring.h"

#include "master_cf.h"

static const char *const field_names[] = {
    "service", "type", "private", "unprivileged", "chroot", "wakeup", "process_limit",
};

/* master_cf_valid_type - is this a service type */
int master_cf_valid_type(const char *type)
{
    static const char *const types[] = {"inet", "unix", "unix-dgram", "fifo", "pass", 0};
    const char *const *tp;

    for (tp = types; *tp; tp++)
        if (strcmp(type, *tp) == 0)
            return (1);
    return (0);
}

/* parse_flag - y, n, or - */
static int parse_flag(const char *text, int *flag)
{
    if (strcmp(text, "y") == 0)
        *flag = 1;
    else if (strcmp(text, "n") == 0)
        *flag = 0;
    else if (strcmp(text, "-") == 0)
        *flag = MASTER_CF_DEFAULT;
    else
        return (0);
    return (1);
}

/* parse_number - digits, with an optional trailing '?' when allowed */
static int parse_number(const char *text, int *value, int *query, int allow_query)
{
    size_t len = strlen(text);

    *query = 0;
    if (allow_query && len > 1 && text[len - 1] == '?') {
        *query = 1;
        len--;
    }
    if (len == 0 || len > 9 || strspn(text, "0123456789") != len)
        return (0);
    *value = atoi(text);
    return (1);
}

/* next_token - the next word or {group}; null at the end */
static char *next_token(char **bufp, const char *path)
{
    char *cp = *bufp + strspn(*bufp, " \t\r\n");
    char *start = cp;
    int level = 0;

    if (*cp == 0) {
        *bufp = cp;
        return (0);
    }
    if (*cp != '{') {
        cp += strcspn(cp, " \t\r\n");
    } else {
        for (; *cp; cp++) {
            if (*cp == '{')
                level++;
            else if (*cp == '}' && --level == 0) {
                cp++;
                break;
            }
        }
        if (level > 0) {
            /* Drop the brace and read what follows as ordinary words. */
            msg_warn("%s: missing '}' in \"%s\"", basename_of(path), start);
            *start = ' ';
            return (next_token(bufp, path));
        }
    }
    if (*cp)
        *cp++ = 0;
    *bufp = cp;
    if (*start == '{') {
        char *inner = start;

        if (extpar(&inner, "{}", EXTPAR_FLAG_STRIP) != 0)
            return (mystrdup(start));
        return (mystrdup(inner));
    }
    return (mystrdup(start));
}

/* normalize_option - "-o { name = value }" becomes "name=value" */
static char *normalize_option(char *text, const char *path)
{
    char *copy = mystrdup(text);
    char *name, *value;
    const char *err;
    char *result;

    if ((err = split_nameval(copy, &name, &value)) != 0 || *name == 0) {
        msg_warn("%s: %s: \"%s\"", basename_of(path), err ? err : "missing attribute name", text);
        myfree(copy);
        return (text);
    }
    result = concatenate(name, "=", value, (char *)0);
    myfree(copy);
    myfree(text);
    return (result);
}

/* master_cf_entry_free - release one entry */
void master_cf_entry_free(MASTER_CF_ENTRY *entry)
{
    int i;

    for (i = 0; i < MASTER_CF_NFIELDS; i++)
        if (entry->fields[i])
            myfree(entry->fields[i]);
    if (entry->argv)
        argv_free(entry->argv);
    myfree(entry);
}

/* master_cf_parse - one logical line; null with the reason in why */
MASTER_CF_ENTRY *master_cf_parse(const char *line, const char *path, int lineno, VSTRING *why)
{
    MASTER_CF_ENTRY *entry = mycalloc(1, sizeof(*entry));
    char *copy = mystrdup(line);
    char *bp = copy;
    char *tok;
    int n = 0, dummy, ok = 1;
    int braced;

    entry->lineno = lineno;
    entry->argv = argv_alloc(10);
    while ((braced = (*skipblanks(bp) == '{')), (tok = next_token(&bp, path)) != 0) {
        if (n < MASTER_CF_NFIELDS) {
            entry->fields[n++] = tok;
            continue;
        }
        n++;
        if (braced && entry->argv->argc > 1 &&
            strcmp(entry->argv->argv[entry->argv->argc - 1], "-o") == 0)
            tok = normalize_option(tok, path);
        argv_add(entry->argv, tok, (char *)0);
        myfree(tok);
    }
    myfree(copy);
    if (n <= MASTER_CF_NFIELDS) {
        vstring_sprintf(why, "file %s: line %d: bad field count", path, lineno);
        master_cf_entry_free(entry);
        return (0);
    }
    entry->name = entry->fields[MASTER_CF_SERVICE];
    entry->type = entry->fields[MASTER_CF_TYPE];
    if (!master_cf_valid_type(entry->type))
        n = MASTER_CF_TYPE, ok = 0;
    else if (!parse_flag(entry->fields[MASTER_CF_PRIVATE], &entry->private_flag))
        n = MASTER_CF_PRIVATE, ok = 0;
    else if (!parse_flag(entry->fields[MASTER_CF_UNPRIV], &entry->unpriv_flag))
        n = MASTER_CF_UNPRIV, ok = 0;
    else if (!parse_flag(entry->fields[MASTER_CF_CHROOT], &entry->chroot_flag))
        n = MASTER_CF_CHROOT, ok = 0;
    else if (strcmp(entry->fields[MASTER_CF_WAKEUP], "-") != 0 &&
             !parse_number(entry->fields[MASTER_CF_WAKEUP], &entry->wakeup, &entry->wakeup_if_used,
                           1))
        n = MASTER_CF_WAKEUP, ok = 0;
    else if (strcmp(entry->fields[MASTER_CF_MAXPROC], "-") == 0)
        entry->maxproc = MASTER_CF_DEFAULT;
    else if (!parse_number(entry->fields[MASTER_CF_MAXPROC], &entry->maxproc, &dummy, 0))
        n = MASTER_CF_MAXPROC, ok = 0;
    if (!ok) {
        vstring_sprintf(why, "invalid %s field \"%s\" in \"%s\"", field_names[n], entry->fields[n],
                        line);
        master_cf_entry_free(entry);
        return (0);
    }
    return (entry);
}

/* master_cf_read - every entry of a file; null with the reason in why */
MASTER_CF *master_cf_read(const char *path, VSTRING *why)
{
    VSTREAM *fp;
    VSTRING *buf;
    MASTER_CF *mcf;
    MASTER_CF_ENTRY *entry;
    int lineno = 0, first = 0;

    if ((fp = vstream_fopen(path, O_RDONLY, 0)) == 0) {
        vstring_sprintf(why, "open %s: %s", path, strerror(errno));
        return (0);
    }
    buf = vstring_alloc(100);
    mcf = mycalloc(1, sizeof(*mcf));
    mcf->path = mystrdup(path);
    while (readllines(buf, fp, &lineno, &first) != 0) {
        if (ISSPACE((unsigned char)vstring_str(buf)[0])) {
            msg_warn("%s: logical line must not start with whitespace: \"%s\"", path,
                     vstring_str(buf));
            continue;
        }
        if ((entry = master_cf_parse(vstring_str(buf), path, first, why)) == 0) {
            master_cf_free(mcf);
            mcf = 0;
            break;
        }
        if (mcf->count >= mcf->size) {
            mcf->size = mcf->size ? 2 * mcf->size : 32;
            mcf->entries = myrealloc(mcf->entries, mcf->size * sizeof(*mcf->entries));
        }
        mcf->entries[mcf->count++] = entry;
    }
    vstream_fclose(fp);
    vstring_free(buf);
    return (mcf);
}

/* master_cf_free - release a parsed file */
void master_cf_free(MASTER_CF *mcf)
{
    int i;

    for (i = 0; i < mcf->count; i++)
        master_cf_entry_free(mcf->entries[i]);
    if (mcf->entries)
        myfree(mcf->entries);
    myfree(mcf->path);
    myfree(mcf);
}

/* master_cf_command - the program that runs the service */
const char *master_cf_command(const MASTER_CF_ENTRY *entry)
{
    return (entry->argv->argc > 0 ? entry->argv->argv[0] : "");
}

/* master_cf_options - the -o name=value pairs (names/values may be null); count */
int master_cf_options(const MASTER_CF_ENTRY *entry, ARGV *names, ARGV *values)
{
    int i, count = 0;
    const char *arg, *eq;

    /* Options come first, as for getopt(); pipe(8) arguments after them are not ours. */
    for (i = 1; i + 1 < entry->argv->argc; i++) {
        if (entry->argv->argv[i][0] != '-' || strcmp(entry->argv->argv[i], "--") == 0)
            break;
        if (strcmp(entry->argv->argv[i], "-o") != 0)
            continue;
        arg = entry->argv->argv[++i];
        if ((eq = strchr(arg, '=')) == 0 || eq == arg)
            continue;
        if (names)
            argv_addn(names, arg, eq - arg);
        if (values)
            argv_add(values, eq + 1, (char *)0);
        count++;
    }
    return (count);
}
