/*
 * match_list - Postfix pattern lists (see match_list.h for the syntax).
 *
 * Exports match_list_init(), match_list_match(), match_list_free() and the
 * match functions match_list_hostname() (names, ".domain" patterns, parent
 * domains with MATCH_FLAG_PARENT), match_list_hostaddr() (addresses and
 * [net]/mask patterns) and match_list_string() (case-insensitive equality).
 * The host and address primitives are those of src/util/match_ops.c; this
 * module adds negation, /file expansion and table lookups.
 *
 * Failure: a table lookup failure makes the match return 0 with
 * list->error set, and is logged as "<title>: type:name: table lookup
 * problem"; a malformed address pattern is fatal unless MATCH_FLAG_RETURN
 * asks for the same error return. A /file that cannot be opened is fatal,
 * since the list would silently mean something else.
 */

#include <fcntl.h>
#include <stdarg.h>
#include <string.h>
#include <strings.h>

#include "argv.h"
#include "dict.h"
#include "match_list.h"
#include "match_ops.h"
#include "msg.h"
#include "mymalloc.h"
#include "readlline.h"
#include "stringops.h"
#include "vstream.h"
#include "vstring.h"

#define MATCH_SEPARATORS ", \t\r\n"

/* A table entry: "type:name", but not a bracketed IPv6 address. */
#define MATCH_IS_TABLE(p) ((p)[0] != '[' && strchr((p), ':') != 0)

/* Tables are opened like this, and registered under name plus flags. */
#define MATCH_DICT_FLAGS (DICT_FLAG_LOCK | DICT_FLAG_FOLD_FIX)

static void match_list_parse(MATCH_LIST *list, const char *text, int negate, int depth);

/* match_table_name - the registry name of a table entry */
static const char *match_table_name(VSTRING *buf, const char *pattern)
{
    vstring_sprintf(buf, "%s(0%o)", pattern, (unsigned) MATCH_DICT_FLAGS);
    return (vstring_str(buf));
}

/* match_list_add - one entry: open its table or read its file */
static void match_list_add(MATCH_LIST *list, const char *item, int negate, int depth)
{
    VSTRING *buf;
    VSTREAM *fp;
    const char *reg;
    char *entry;

    for (; *item == '!'; item++)
        negate = !negate;
    if (*item == 0)
        msg_fatal("%s: empty pattern after \"!\"", list->title);
    if (*item == '/') {
        /* A file of entries; nested files are allowed but not endless. */
        if (depth > 10)
            msg_fatal("%s: file %s: files nested too deeply", list->title, item);
        if ((fp = vstream_fopen(item, O_RDONLY, 0)) == 0)
            msg_fatal("%s: open file %s: %m", list->title, item);
        buf = vstring_alloc(100);
        while (readlline(buf, fp, (int *) 0) != 0)
            match_list_parse(list, vstring_str(buf), negate, depth + 1);
        vstring_free(buf);
        vstream_fclose(fp);
        return;
    }
    if (MATCH_IS_TABLE(item)) {
        buf = vstring_alloc(100);
        reg = match_table_name(buf, item);
        if (dict_handle(reg) == 0)
            dict_register(reg, dict_open(item, O_RDONLY, MATCH_DICT_FLAGS));
        else
            dict_register(reg, dict_handle(reg));
        vstring_free(buf);
    }
    /* Kept as "!pattern" or "pattern" in one string. */
    entry = concatenate(negate ? "!" : "", item, (char *) 0);
    argv_add(list->patterns, entry, (char *) 0);
    myfree(entry);
}

/* match_list_parse - split text into entries and add each */
static void match_list_parse(MATCH_LIST *list, const char *text, int negate, int depth)
{
    char *copy = mystrdup(text);
    char *bp = copy;
    char *item;

    while ((item = mystrtokq(&bp, MATCH_SEPARATORS, "{}")) != 0) {
        if (*item == '#')
            break;
        match_list_add(list, item, negate, depth);
    }
    myfree(copy);
}

/* match_list_init - parse a list */
MATCH_LIST *match_list_init(const char *title, int flags, const char *patterns,
                            int match_count, ...)
{
    MATCH_LIST *list = mymalloc(sizeof(*list));
    va_list ap;
    int i;

    if (match_count < 1)
        msg_panic("match_list_init: bad match_count %d", match_count);
    list->title = mystrdup(title);
    list->flags = flags;
    list->patterns = argv_alloc(4);
    list->match_count = match_count;
    list->match_func = mymalloc(match_count * sizeof(*list->match_func));
    list->error = DICT_ERR_NONE;
    va_start(ap, match_count);
    for (i = 0; i < match_count; i++)
        list->match_func[i] = va_arg(ap, MATCH_LIST_FN);
    va_end(ap);
    match_list_parse(list, patterns, 0, 0);
    return (list);
}

/* match_table_lookup - look a key up in a table entry; -1 on failure */
static int match_table_lookup(MATCH_LIST *list, const char *pattern, const char *key,
                              DICT **dictp)
{
    VSTRING *buf = vstring_alloc(100);
    DICT *dict = dict_handle(match_table_name(buf, pattern));

    vstring_free(buf);
    if (dict == 0)
        msg_panic("%s: table %s is not open", list->title, pattern);
    *dictp = dict;
    if (dict_get(dict, key) != 0)
        return (1);
    if (dict->error != DICT_ERR_NONE) {
        list->error = dict->error;
        msg_warn("%s: %s:%s: table lookup problem", list->title, dict->type, dict->name);
        return (-1);
    }
    return (0);
}

/* match_list_hostname - host name against a name, domain or table */
int match_list_hostname(MATCH_LIST *list, const char *name, const char *pattern)
{
    DICT *dict = 0;
    const char *entry;
    const char *next;
    int status;

    if (!MATCH_IS_TABLE(pattern))
        return (match_hostname(pattern, name,
                               (list->flags & MATCH_FLAG_PARENT) ? MATCH_OPS_PARENT : 0));

    /* The name itself, then (fixed-string tables) its parent domains. */
    for (entry = name; *entry != 0; entry = next) {
        if (entry == name || (dict->flags & DICT_FLAG_FIXED)) {
            if ((status = match_table_lookup(list, pattern, entry, &dict)) != 0)
                return (status > 0);
        }
        if ((next = strchr(entry + 1, '.')) == 0)
            break;
        if (list->flags & MATCH_FLAG_PARENT)
            next += 1;
    }
    return (0);
}

/* match_list_hostaddr - address against an address, net/mask or table */
int match_list_hostaddr(MATCH_LIST *list, const char *addr, const char *pattern)
{
    DICT *dict;
    VSTRING *why;
    int status;

    if (MATCH_IS_TABLE(pattern))
        return (match_table_lookup(list, pattern, addr, &dict) > 0);
    if ((status = match_hostaddr(pattern, addr)) != MATCH_OPS_ERROR)
        return (status);
    why = vstring_alloc(100);
    match_hostaddr_check(pattern, why);
    if ((list->flags & MATCH_FLAG_RETURN) == 0)
        msg_fatal("%s: %s", list->title, vstring_str(why));
    msg_warn("%s: %s", list->title, vstring_str(why));
    vstring_free(why);
    list->error = DICT_ERR_CONFIG;
    return (0);
}

/* match_list_string - plain string against a string or table */
int match_list_string(MATCH_LIST *list, const char *string, const char *pattern)
{
    DICT *dict;

    if (MATCH_IS_TABLE(pattern))
        return (match_table_lookup(list, pattern, string, &dict) > 0);
    return (strcasecmp(string, pattern) == 0);
}

/* match_list_match - the verdict of the first entry that matches */
int match_list_match(MATCH_LIST *list, ...)
{
    const char *strings[8];
    const char *pattern;
    va_list ap;
    int negate;
    int i;
    int j;

    if (list->match_count > (int) (sizeof(strings) / sizeof(strings[0])))
        msg_panic("match_list_match: too many match functions");
    va_start(ap, list);
    for (i = 0; i < list->match_count; i++)
        strings[i] = va_arg(ap, const char *);
    va_end(ap);
    list->error = DICT_ERR_NONE;

    for (j = 0; j < list->patterns->argc; j++) {
        pattern = list->patterns->argv[j];
        for (negate = 0; *pattern == '!'; pattern++)
            negate = !negate;
        for (i = 0; i < list->match_count; i++) {
            if (strings[i] == 0)
                continue;
            if (list->match_func[i](list, strings[i], pattern))
                return (!negate);
            if (list->error != DICT_ERR_NONE)
                return (0);
        }
    }
    return (0);
}

/* match_list_free - release a list and its tables */
void match_list_free(MATCH_LIST *list)
{
    VSTRING *buf = vstring_alloc(100);
    const char *pattern;
    int j;

    for (j = 0; j < list->patterns->argc; j++) {
        for (pattern = list->patterns->argv[j]; *pattern == '!'; pattern++)
             /* void */ ;
        if (MATCH_IS_TABLE(pattern))
            dict_unregister(match_table_name(buf, pattern));
    }
    vstring_free(buf);
    argv_free(list->patterns);
    myfree(list->match_func);
    myfree(list->title);
    myfree(list);
}
