/*
 * postconf_master - master.cf for postconf: -M, -F, -P and their edits.
 *
 * pcf_read_master() parses master.cf with the shared master_cf module.
 * pcf_show_master() lists entries (-M, aligned columns, -f folds long lines
 * and puts each -o on a line of its own), fields (-F,
 * "service/type/field = value") or -o parameters (-P,
 * "service/type/name = value"), optionally only those that match
 * "service", "service/type" or "service/type/name" arguments.
 *
 * pcf_edit_master() changes the file: -Me replaces or adds a whole entry,
 * -MX removes entries, -M# comments them out, -Fe changes one field, -Pe sets
 * and -PX removes an -o parameter. Entries that are not changed keep their
 * text; changed ones are rewritten in the folded -Mf format. Comment lines
 * inside a changed entry stay in the file (before the new text for -Fe/-Pe,
 * after it for -Me), as Postfix leaves them.
 *
 * Failure: malformed master.cf entries and malformed arguments are fatal with
 * Postfix's messages; requests that match nothing are warnings.
 */

#include <errno.h>
#include <string.h>

#include "argv.h"
#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"
#include "vstream.h"
#include "vstring.h"

#include "master_cf.h"
#include "postconf.h"

MASTER_CF *pcf_master;

static const char *const pcf_field_names[] = {
    "service", "type", "private", "unprivileged", "chroot", "wakeup", "process_limit", "command",
};

#define PCF_NFIELDS 8

/* Column where each field starts in -M output. */
static const int pcf_columns[] = {0, 11, 17, 25, 33, 41, 49, 57};

#define PCF_LINE_LIMIT 79 /* longest line that folding leaves */

/* pcf_read_master - parse master.cf; a missing file is a warning unless asked */
void pcf_read_master(int fail_on_missing)
{
    VSTRING *why = vstring_alloc(100);

    if (pcf_master)
        master_cf_free(pcf_master);
    if ((pcf_master = master_cf_read(pcf_master_path, why)) == 0) {
        if (strncmp(vstring_str(why), "open ", 5) != 0 || fail_on_missing)
            msg_fatal("%s", vstring_str(why));
        msg_warn("%s", vstring_str(why));
    }
    vstring_free(why);
}

/* pcf_quote_arg - an argument as master.cf needs it written */
static char *pcf_quote_arg(const char *arg)
{
    if (*arg == 0 || arg[strcspn(arg, " \t\r\n")] != 0)
        return (concatenate("{", arg, "}", (char *)0));
    return (mystrdup(arg));
}

/* pcf_command_text - command and arguments on one line */
static char *pcf_command_text(const MASTER_CF_ENTRY *entry)
{
    VSTRING *buf = vstring_alloc(100);
    char *arg;
    int i;

    for (i = 0; i < entry->argv->argc; i++) {
        arg = pcf_quote_arg(entry->argv->argv[i]);
        if (i > 0)
            vstring_strcat(buf, " ");
        vstring_strcat(buf, arg);
        myfree(arg);
    }
    return (vstring_export(buf));
}

/* pcf_entry_lines - an entry formatted for -M (fold: as -Mf); adds to lines */
static void pcf_entry_lines(const MASTER_CF_ENTRY *entry, int fold, ARGV *lines)
{
    VSTRING *line = vstring_alloc(100);
    char *word;
    const char *next;
    int i, in_options = 1, force_break = 0;

    for (i = 0; i < MASTER_CF_NFIELDS; i++) {
        if (i > 0) {
            if ((int)VSTRING_LEN(line) < pcf_columns[i])
                while ((int)VSTRING_LEN(line) < pcf_columns[i])
                    VSTRING_ADDCH(line, ' ');
            else
                VSTRING_ADDCH(line, ' ');
        }
        vstring_strcat(line, entry->fields[i]);
    }
    while ((int)VSTRING_LEN(line) < pcf_columns[MASTER_CF_NFIELDS])
        VSTRING_ADDCH(line, ' ');
    for (i = 0; i < entry->argv->argc; i++) {
        const char *arg = entry->argv->argv[i];
        int pair;

        next = (i + 1 < entry->argv->argc) ? entry->argv->argv[i + 1] : 0;
        if (i > 0 && arg[0] != '-')
            in_options = 0;
        /* Among the leading options, "-o value" is one unit on a line of its own. */
        pair = (i > 0 && in_options && strcmp(arg, "-o") == 0 && next != 0);
        word = pcf_quote_arg(arg);
        if (pair) {
            char *value = pcf_quote_arg(next);
            char *joined = concatenate(word, " ", value, (char *)0);

            myfree(word);
            myfree(value);
            word = joined;
            i++;
        }
        if (i > 0 && fold &&
            (pair || force_break || VSTRING_LEN(line) + 1 + strlen(word) > PCF_LINE_LIMIT)) {
            argv_add(lines, vstring_str(line), (char *)0);
            vstring_sprintf(line, "    %s", word);
            force_break = pair;
        } else {
            if (i > 0)
                VSTRING_ADDCH(line, ' ');
            vstring_strcat(line, word);
        }
        myfree(word);
    }
    argv_add(lines, vstring_str(line), (char *)0);
    vstring_free(line);
}

/* pcf_split_request - "a/b/c" into at most three parts */
static ARGV *pcf_split_request(const char *request)
{
    ARGV *parts = argv_alloc(3);
    const char *cp = request, *slash;
    int n = 0;

    while (n < 2 && (slash = strchr(cp, '/')) != 0) {
        argv_addn(parts, cp, slash - cp);
        cp = slash + 1;
        n++;
    }
    argv_add(parts, cp, (char *)0);
    return (parts);
}

/* pcf_field_index - "chroot" -> 4, or -1 */
static int pcf_field_index(const char *name)
{
    int i;

    for (i = 0; i < PCF_NFIELDS; i++)
        if (strcmp(name, pcf_field_names[i]) == 0)
            return (i);
    return (-1);
}

/* pcf_entry_matches - does service[/type] select this entry */
static int pcf_entry_matches(const MASTER_CF_ENTRY *entry, ARGV *parts)
{
    if (strcmp(parts->argv[0], entry->name) != 0)
        return (0);
    return (parts->argc < 2 || strcmp(parts->argv[1], entry->type) == 0);
}

/* pcf_field_value - text of one field (command: with its arguments) */
static char *pcf_field_value(const MASTER_CF_ENTRY *entry, int field)
{
    if (field < MASTER_CF_NFIELDS)
        return (mystrdup(entry->fields[field]));
    return (pcf_command_text(entry));
}

/* pcf_show_fields - -F output for one entry */
static void pcf_show_fields(const MASTER_CF_ENTRY *entry, int only)
{
    char *name, *value;
    int i;

    for (i = 0; i < PCF_NFIELDS; i++) {
        if (only >= 0 && i != only)
            continue;
        name = concatenate(entry->name, "/", entry->type, "/", pcf_field_names[i], (char *)0);
        value = pcf_field_value(entry, i);
        pcf_print_line(VSTREAM_OUT, name, value, pcf_flags & ~PCF_FOLD_LINE);
        myfree(name);
        myfree(value);
    }
}

/* pcf_show_options - -P output for one entry; how many were shown */
static int pcf_show_options(const MASTER_CF_ENTRY *entry, const char *only)
{
    ARGV *names = argv_alloc(4), *values = argv_alloc(4);
    char *name;
    char *expanded;
    int i, shown = 0;

    master_cf_options(entry, names, values);
    for (i = 0; i < names->argc; i++) {
        if (only && strcmp(only, names->argv[i]) != 0)
            continue;
        shown++;
        name = concatenate(entry->name, "/", entry->type, "/", names->argv[i], (char *)0);
        if (pcf_flags & PCF_SHOW_EVAL) {
            expanded = pcf_expand(values->argv[i]);
            pcf_print_line(VSTREAM_OUT, name, expanded, pcf_flags);
            myfree(expanded);
        } else {
            pcf_print_line(VSTREAM_OUT, name, values->argv[i], pcf_flags);
        }
        myfree(name);
    }
    argv_free(names);
    argv_free(values);
    return (shown);
}

/* pcf_show_entry - one entry in the selected mode; 0 when nothing was shown */
static int pcf_show_entry(int mode, const MASTER_CF_ENTRY *entry, ARGV *parts)
{
    ARGV *lines;
    int i, field = -1;

    if (mode == PCF_MASTER_ENTRY) {
        lines = argv_alloc(4);
        pcf_entry_lines(entry, pcf_flags & PCF_FOLD_LINE, lines);
        for (i = 0; i < lines->argc; i++)
            vstream_fprintf(VSTREAM_OUT, "%s\n", lines->argv[i]);
        argv_free(lines);
    } else if (mode == PCF_MASTER_FIELD) {
        if (parts && parts->argc > 2)
            field = pcf_field_index(parts->argv[2]);
        pcf_show_fields(entry, field);
    } else {
        return (pcf_show_options(entry, parts && parts->argc > 2 ? parts->argv[2] : 0));
    }
    return (1);
}

/* pcf_show_master - -M, -F, -P listings */
void pcf_show_master(int mode, ARGV *filters)
{
    ARGV **parts;
    int i, j, matched;

    if (pcf_master == 0)
        return;
    parts = mycalloc(filters->argc + 1, sizeof(*parts));
    for (j = 0; j < filters->argc; j++) {
        parts[j] = pcf_split_request(filters->argv[j]);
        if (mode == PCF_MASTER_FIELD && parts[j]->argc > 2 &&
            pcf_field_index(parts[j]->argv[2]) < 0)
            msg_fatal("invalid service attribute name: \"%s\"", parts[j]->argv[2]);
    }
    if (filters->argc == 0) {
        for (i = 0; i < pcf_master->count; i++)
            pcf_show_entry(mode, pcf_master->entries[i], 0);
    }
    for (j = 0; j < filters->argc; j++) {
        for (matched = 0, i = 0; i < pcf_master->count; i++) {
            if (pcf_entry_matches(pcf_master->entries[i], parts[j]) &&
                pcf_show_entry(mode, pcf_master->entries[i], parts[j]))
                matched = 1;
        }
        if (!matched)
            msg_warn("unmatched request: \"%s\"", filters->argv[j]);
    }
    for (j = 0; j < filters->argc; j++)
        argv_free(parts[j]);
    myfree(parts);
}

/*
 * Editing works on the physical lines of the file. Each entry covers the
 * lines from its first line up to the next entry line (comments and blank
 * lines in between included), so that the reader and the editor agree on
 * what belongs to which entry.
 */
typedef struct PCF_SPAN {
    int first;              /* first physical line (0-based) */
    int last;               /* last line that belongs to it */
    MASTER_CF_ENTRY *entry; /* null for the text before the first entry */
    int action;             /* what to do with it */
    char *replacement;      /* -Me text */
} PCF_SPAN;

#define PCF_KEEP 0
#define PCF_REWRITE 1 /* -Fe, -Pe, -PX: new text after the comments */
#define PCF_REPLACE 2 /* -Me: new text before the comments */
#define PCF_DELETE 3
#define PCF_COMMENT 4

/* pcf_is_entry_start - a line that starts a master.cf entry */
static int pcf_is_entry_start(const char *line)
{
    return (*line != 0 && *line != '#' && !ISSPACE((unsigned char)*line));
}

/* pcf_is_comment_line - a comment or blank line */
static int pcf_is_comment_line(const char *line)
{
    const char *cp = skipblanks(line);

    return (*cp == 0 || *cp == '#');
}

/* pcf_spans - split the file into entries */
static PCF_SPAN *pcf_spans(ARGV *lines, int *count)
{
    PCF_SPAN *spans = mycalloc(lines->argc + 2, sizeof(*spans));
    VSTRING *text = vstring_alloc(100);
    VSTRING *why = vstring_alloc(100);
    int n = 0, i, j;

    spans[0].first = 0;
    spans[0].last = -1;
    for (i = 0; i < lines->argc; i++) {
        if (!pcf_is_entry_start(lines->argv[i])) {
            spans[n].last = i;
            continue;
        }
        n++;
        spans[n].first = spans[n].last = i;
        vstring_strcpy(text, lines->argv[i]);
        for (j = i + 1; j < lines->argc && !pcf_is_entry_start(lines->argv[j]); j++) {
            if (!pcf_is_comment_line(lines->argv[j])) {
                vstring_strcat(text, lines->argv[j]);
            }
        }
        if ((spans[n].entry = master_cf_parse(vstring_str(text), pcf_master_path, i + 1, why)) == 0)
            msg_fatal("%s", vstring_str(why));
    }
    vstring_free(text);
    vstring_free(why);
    *count = n + 1;
    return (spans);
}

/* pcf_set_option - -Pe: replace or add -o name=value */
static void pcf_set_option(MASTER_CF_ENTRY *entry, const char *name, const char *value)
{
    char *assignment = concatenate(name, "=", value, (char *)0);
    size_t len = strlen(name);
    ARGV *argv = entry->argv;
    int i;

    for (i = 1; i + 1 < argv->argc; i++) {
        if (argv->argv[i][0] != '-')
            break;
        if (strcmp(argv->argv[i], "-o") == 0 && strncmp(argv->argv[i + 1], name, len) == 0 &&
            argv->argv[i + 1][len] == '=') {
            myfree(argv->argv[i + 1]);
            argv->argv[i + 1] = assignment;
            return;
        }
        if (strcmp(argv->argv[i], "-o") == 0)
            i++;
    }
    argv_insert_one(argv, i, assignment);
    argv_insert_one(argv, i, "-o");
    myfree(assignment);
}

/* pcf_del_option - -PX: remove -o name=... */
static void pcf_del_option(MASTER_CF_ENTRY *entry, const char *name)
{
    size_t len = strlen(name);
    ARGV *argv = entry->argv;
    int i;

    for (i = 1; i + 1 < argv->argc; i++) {
        if (argv->argv[i][0] != '-')
            break;
        if (strcmp(argv->argv[i], "-o") == 0 && strncmp(argv->argv[i + 1], name, len) == 0 &&
            argv->argv[i + 1][len] == '=') {
            argv_delete(argv, i, 2);
            i--;
            continue;
        }
        if (strcmp(argv->argv[i], "-o") == 0)
            i++;
    }
}

/* pcf_valid_field - a fixed field value that master.cf accepts */
static int pcf_valid_field(int field, const char *value)
{
    size_t len = strlen(value);

    switch (field) {
    case MASTER_CF_SERVICE:
        return (len > 0 && value[strcspn(value, " \t\r\n")] == 0);
    case MASTER_CF_TYPE:
        return (master_cf_valid_type(value));
    case MASTER_CF_PRIVATE:
    case MASTER_CF_UNPRIV:
    case MASTER_CF_CHROOT:
        return (strcmp(value, "y") == 0 || strcmp(value, "n") == 0 || strcmp(value, "-") == 0);
    case MASTER_CF_WAKEUP:
        if (len > 1 && value[len - 1] == '?')
            len--;
        /* FALLTHROUGH */
    default:
        return (strcmp(value, "-") == 0 ||
                (len > 0 && len < 10 && strspn(value, "0123456789") == len));
    }
}

/* pcf_set_field - -Fe: replace one field (command: with its arguments) */
static void pcf_set_field(MASTER_CF_ENTRY *entry, int field, const char *value)
{
    MASTER_CF_ENTRY *parsed;
    VSTRING *why = vstring_alloc(100);
    char *text;
    ARGV *words;
    int i;

    if (field < MASTER_CF_NFIELDS && !pcf_valid_field(field, value))
        msg_fatal("invalid %s field \"%s\" in \"%s\"", pcf_field_names[field], value, value);
    if (field < MASTER_CF_NFIELDS) {
        myfree(entry->fields[field]);
        entry->fields[field] = mystrdup(value);
        entry->name = entry->fields[MASTER_CF_SERVICE];
        entry->type = entry->fields[MASTER_CF_TYPE];
    } else {
        argv_truncate(entry->argv, 0);
        words = argv_split(value, " \t\r\n");
        for (i = 0; i < words->argc; i++)
            argv_add(entry->argv, words->argv[i], (char *)0);
        argv_free(words);
    }
    /* Check the result with the parser so that -Fe cannot break the file. */
    text = pcf_command_text(entry);
    {
        VSTRING *line = vstring_alloc(100);

        for (i = 0; i < MASTER_CF_NFIELDS; i++)
            vstring_sprintf_append(line, "%s ", entry->fields[i]);
        vstring_strcat(line, text);
        if ((parsed = master_cf_parse(vstring_str(line), pcf_master_path, entry->lineno, why)) == 0)
            msg_fatal("%s", vstring_str(why));
        master_cf_entry_free(parsed);
        vstring_free(line);
    }
    myfree(text);
    vstring_free(why);
}

/* pcf_edit_request - apply one -Me/-MX/-M#/-Fe/-Pe/-PX argument */
static void pcf_edit_request(int mode, int edit, const char *arg, PCF_SPAN *spans, int count,
                             ARGV *appends)
{
    char *copy = mystrdup(arg);
    char *value = 0;
    char *eq;
    ARGV *parts;
    int i, matched = 0, field = -1;

    if (edit == PCF_EDIT_CONF) {
        if ((eq = strchr(copy, '=')) == 0)
            msg_fatal("missing '=' after attribute name: \"%s\"", arg);
        *eq = 0;
        value = eq + 1;
        if (mode == PCF_MASTER_PARAM && value[strcspn(value, " \t\r\n")] != 0)
            msg_fatal("-Pe does not accept whitespace in parameter value");
    }
    parts = pcf_split_request(copy);
    if (mode == PCF_MASTER_ENTRY && (parts->argc != 2 || *parts->argv[1] == 0))
        msg_fatal("-Me, -MX or -M# requires service_name/type");
    if (mode == PCF_MASTER_FIELD) {
        if (parts->argc != 3)
            msg_fatal("-Fe or -FX requires service_name/type/field_name");
        if ((field = pcf_field_index(parts->argv[2])) < 0)
            msg_fatal("invalid service attribute name: \"%s\"", parts->argv[2]);
    }
    if (mode == PCF_MASTER_PARAM && parts->argc != 3)
        msg_fatal("-Pe or -PX requires service_name/type/parameter");
    for (i = 1; i < count; i++) {
        if (spans[i].action == PCF_DELETE || !pcf_entry_matches(spans[i].entry, parts))
            continue;
        matched = 1;
        if (mode == PCF_MASTER_ENTRY) {
            if (edit == PCF_EDIT_CONF) {
                spans[i].action = PCF_REPLACE;
                if (spans[i].replacement)
                    myfree(spans[i].replacement);
                spans[i].replacement = mystrdup(value);
            } else {
                spans[i].action = (edit == PCF_EDIT_EXCL) ? PCF_DELETE : PCF_COMMENT;
            }
        } else if (mode == PCF_MASTER_FIELD) {
            pcf_set_field(spans[i].entry, field, value);
            spans[i].action = PCF_REWRITE;
        } else if (edit == PCF_EDIT_CONF) {
            pcf_set_option(spans[i].entry, parts->argv[2], value);
            spans[i].action = PCF_REWRITE;
        } else {
            pcf_del_option(spans[i].entry, parts->argv[2]);
            spans[i].action = PCF_REWRITE;
        }
    }
    if (!matched && mode == PCF_MASTER_ENTRY && edit == PCF_EDIT_CONF)
        argv_add(appends, value, (char *)0);
    else if (!matched && mode != PCF_MASTER_ENTRY)
        msg_warn("unmatched service_name/type: \"%s\"", arg);
    argv_free(parts);
    myfree(copy);
}

/* pcf_replacement_lines - -Me text, checked and formatted */
static void pcf_replacement_lines(const char *text, ARGV *out)
{
    VSTRING *why = vstring_alloc(100);
    MASTER_CF_ENTRY *entry;

    if ((entry = master_cf_parse(text, pcf_master_path, 0, why)) == 0)
        msg_fatal("%s", vstring_str(why));
    pcf_entry_lines(entry, 1, out);
    master_cf_entry_free(entry);
    vstring_free(why);
}

/* pcf_edit_master - -Me, -MX, -M#, -Fe, -Pe, -PX */
void pcf_edit_master(int mode, ARGV *args)
{
    int edit = pcf_flags & (PCF_EDIT_CONF | PCF_EDIT_EXCL | PCF_COMMENT_OUT);
    ARGV *lines = pcf_read_lines(pcf_master_path, 0);
    ARGV *out = argv_alloc(lines->argc + 10);
    ARGV *appends = argv_alloc(4);
    PCF_SPAN *spans;
    char *text;
    int count, i, j;

    if (args->argc == 0) {
        if (edit == PCF_EDIT_CONF)
            msg_fatal("-e requires name=value argument");
        msg_fatal("missing service argument");
    }
    spans = pcf_spans(lines, &count);
    for (i = 0; i < args->argc; i++)
        pcf_edit_request(mode, edit, args->argv[i], spans, count, appends);
    for (i = 0; i < count; i++) {
        PCF_SPAN *sp = spans + i;

        switch (sp->action) {
        case PCF_KEEP:
            for (j = sp->first; j <= sp->last; j++)
                argv_add(out, lines->argv[j], (char *)0);
            break;
        case PCF_DELETE:
            for (j = sp->first + 1; j <= sp->last; j++)
                if (pcf_is_comment_line(lines->argv[j]))
                    argv_add(out, lines->argv[j], (char *)0);
            break;
        case PCF_COMMENT:
            for (j = sp->first; j <= sp->last; j++) {
                if (pcf_is_comment_line(lines->argv[j])) {
                    argv_add(out, lines->argv[j], (char *)0);
                } else {
                    text = concatenate("#", lines->argv[j], (char *)0);
                    argv_add(out, text, (char *)0);
                    myfree(text);
                }
            }
            break;
        case PCF_REPLACE:
            pcf_replacement_lines(sp->replacement, out);
            for (j = sp->first + 1; j <= sp->last; j++)
                if (pcf_is_comment_line(lines->argv[j]))
                    argv_add(out, lines->argv[j], (char *)0);
            break;
        case PCF_REWRITE:
            for (j = sp->first + 1; j <= sp->last; j++)
                if (pcf_is_comment_line(lines->argv[j]))
                    argv_add(out, lines->argv[j], (char *)0);
            pcf_entry_lines(sp->entry, 1, out);
            break;
        }
    }
    for (i = 0; i < appends->argc; i++)
        pcf_replacement_lines(appends->argv[i], out);
    pcf_rewrite_file(pcf_master_path, out);
    for (i = 0; i < count; i++) {
        if (spans[i].entry)
            master_cf_entry_free(spans[i].entry);
        if (spans[i].replacement)
            myfree(spans[i].replacement);
    }
    myfree(spans);
    argv_free(appends);
    argv_free(out);
    argv_free(lines);
}
