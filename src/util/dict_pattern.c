/*
 * dict_pattern - the rule engine shared by regexp: and pcre: tables.
 *
 * Both table types read the same language: "/pattern/flags result",
 * "!/pattern/flags result", "if /pattern/flags" ... "endif" (nested), with
 * $n, ${n} and $(n) in results standing for what capture group n matched
 * and $$ for a dollar. This module parses that language, keeps the if/endif
 * structure, validates and expands replacement text, and evaluates keys;
 * the regular expression library behind it is reached through the
 * DICT_PATTERN_CLASS that dict_regexp.c and dict_pcre.c supply.
 *
 * Exports: dict_pattern_create(), dict_pattern_add_line(),
 * dict_pattern_finish() (build a table line by line), dict_pattern_load()
 * (read a whole file), dict_pattern_search() (the first matching rule's
 * expanded result, or null), dict_pattern_free(), and dict_pattern_open(),
 * which wraps all that in a DICT for the table layer: "type:/path" reads a
 * file, "type:{ {rule}, {rule} }" takes the rules inline, one per line.
 * dict_pattern_split_inline() is the inline parser, also used by cidr:.
 *
 * Failure: a table that cannot be opened (missing file, bad inline
 * syntax) becomes a surrogate (fatal in postmap, DICT_ERR_CONFIG in
 * daemons). A bad rule is reported with msg_warn() naming the table and the
 * line, in the wording that Postfix uses, and is left out; the rest of the
 * table still works. A matching error in the library is warned about and
 * counts as "does not match", so the search goes on with the next rule.
 */

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "argv.h"
#include "dict.h"
#include "dict_pattern.h"
#include "msg.h"
#include "mymalloc.h"
#include "readlline.h"
#include "stringops.h"
#include "vstring.h"

#define ISALNUM(c) (isascii((unsigned char) (c)) && isalnum((unsigned char) (c)))

#define RULE_MATCH 1    /* /pattern/ result */
#define RULE_IF 2       /* if /pattern/ */
#define RULE_ENDIF 3    /* endif */

/* A piece of replacement text: literal text, or capture group number. */
typedef struct REPL_PART {
    size_t group;               /* 0 = literal text */
    char *text;
} REPL_PART;

typedef struct PATTERN_RULE {
    int op;                     /* RULE_MATCH, RULE_IF, RULE_ENDIF */
    int negate;                 /* act when the pattern does NOT match */
    int lineno;                 /* for diagnostics */
    void *re;                   /* compiled pattern (not for ENDIF) */
    REPL_PART *parts;           /* RULE_MATCH: the result, parsed */
    int nparts;
    size_t max_group;           /* highest $n in the result, 0 if none */
    struct PATTERN_RULE *next;
    struct PATTERN_RULE *endif; /* RULE_IF: its ENDIF, null when unclosed */
} PATTERN_RULE;

struct DICT_PATTERN {
    const DICT_PATTERN_CLASS *cls;
    char *map;                  /* table name, for diagnostics */
    PATTERN_RULE *head;
    PATTERN_RULE *tail;
    PATTERN_RULE **open_ifs;    /* IF rules still waiting for their ENDIF */
    int open_count;
    int open_size;
    int no_regsub;              /* $n is not allowed (DICT_FLAG_NO_REGSUB) */
    size_t max_group;           /* highest $n of any rule */
    DICT_PATTERN_SPAN *spans;   /* match offsets, max_group + 1 of them */
    VSTRING *result;            /* expanded result of the last search */
};

/* A parsed "[!]/pattern/flags" */
typedef struct PATTERN_SPEC {
    char *regexp;               /* points into the line buffer */
    int options;
    int negate;
} PATTERN_SPEC;

/* pattern_rule_append - link a rule at the end of the table */
static PATTERN_RULE *pattern_rule_append(DICT_PATTERN *table, int op, int lineno)
{
    PATTERN_RULE *rule = mycalloc(1, sizeof(*rule));

    rule->op = op;
    rule->lineno = lineno;
    if (table->tail)
        table->tail->next = rule;
    else
        table->head = rule;
    table->tail = rule;
    return (rule);
}

/* pattern_parts_free - release parsed replacement text */
static void pattern_parts_free(REPL_PART *parts, int nparts)
{
    int i;

    for (i = 0; i < nparts; i++)
        if (parts[i].text)
            myfree(parts[i].text);
    if (parts)
        myfree(parts);
}

/* pattern_part_add - append one piece of replacement text */
static void pattern_part_add(REPL_PART **parts, int *nparts, size_t group, const char *text)
{
    *parts = myrealloc(*parts, (*nparts + 1) * sizeof(**parts));
    (*parts)[*nparts].group = group;
    (*parts)[*nparts].text = text ? mystrdup(text) : 0;
    *nparts += 1;
}

/* pattern_repl_index - check one $name: 1 when it is a usable group number */
static int pattern_repl_index(DICT_PATTERN *table, int lineno, const char *name, size_t *group)
{
    const char *type = table->cls->type;

    if (!alldig(name)) {
        msg_warn("%s map %s, line %d: non-numeric replacement index \"%s\"", type, table->map,
                 lineno, name);
        return (0);
    }

    /*
     * The number goes through int like a C atoi() would, so huge numbers
     * fail the later range check the way they do in Postfix.
     */
    *group = (size_t) (int) strtol(name, (char **) 0, 10);
    if (*group < 1) {
        msg_warn("%s map %s, line %d: %s replacement index \"%s\"", type, table->map, lineno,
                 table->cls->zero_index_text, name);
        return (0);
    }
    return (1);
}

/*
 * pattern_repl_parse - split result text into literals and $n references.
 * Returns 0 after warnings when the text is unusable.
 */
static int pattern_repl_parse(DICT_PATTERN *table, int lineno, const char *text, PATTERN_RULE *rule)
{
    VSTRING *literal = vstring_alloc(100);
    VSTRING *name = vstring_alloc(10);
    const char *cp = text;
    const char *start;
    int ok = 1;
    int open, close, level;
    size_t group;

    while (*cp) {
        if (*cp != '$' || cp[1] == '$') {
            VSTRING_ADDCH(literal, *cp);
            cp += (*cp == '$') ? 2 : 1;
            continue;
        }
        cp++;
        if (*cp == '{' || *cp == '(') {
            open = *cp;
            close = (open == '{') ? '}' : ')';
            start = ++cp;
            for (level = 1; level > 0; cp++) {
                if (*cp == 0) {
                    msg_warn("truncated macro reference: \"%s\"", text);
                    ok = 0;
                    goto done;
                }
                if (*cp == open)
                    level++;
                else if (*cp == close)
                    level--;
            }
            vstring_strncpy(name, start, cp - 1 - start);
            /* Postfix stops at a braced reference once an error was seen. */
            if (!ok)
                break;
        } else {
            for (start = cp; ISALNUM(*cp) || *cp == '_'; cp++)
                 /* void */ ;
            vstring_strncpy(name, start, cp - start);
        }
        if (VSTRING_LEN(name) == 0) {
            msg_warn("empty macro name: \"%s\"", text);
            ok = 0;
            goto done;
        }
        if (!pattern_repl_index(table, lineno, vstring_str(name), &group)) {
            ok = 0;
            continue;
        }
        if (VSTRING_LEN(literal)) {
            pattern_part_add(&rule->parts, &rule->nparts, 0, vstring_str(literal));
            VSTRING_RESET(literal);
        }
        pattern_part_add(&rule->parts, &rule->nparts, group, (char *) 0);
        if (group > rule->max_group)
            rule->max_group = group;
    }
    if (VSTRING_LEN(literal))
        pattern_part_add(&rule->parts, &rule->nparts, 0, vstring_str(literal));
done:
    vstring_free(literal);
    vstring_free(name);
    return (ok);
}

/* pattern_get - parse "[!]/pattern/flags", advance *bufp past it */
static int pattern_get(DICT_PATTERN *table, int lineno, char **bufp, PATTERN_SPEC *spec)
{
    const DICT_PATTERN_CLASS *cls = table->cls;
    char *p = *bufp;
    int delim;

    spec->negate = 0;
    spec->options = cls->default_options;
    for (; *p == '!' || ISSPACE(*p); p++)
        if (*p == '!')
            spec->negate = !spec->negate;
    if (*p == 0) {
        msg_warn("%s map %s, line %d: no regexp: skipping this rule", cls->type, table->map,
                 lineno);
        return (0);
    }
    delim = *p++;
    spec->regexp = p;

    /*
     * A backslash protects the next byte. The two table types differ in what
     * a backslash at the very end of the line does; both are kept.
     */
    if (cls->lax_final_backslash) {
        for (; *p; p++) {
            if (*p == '\\') {
                if (p[1])
                    p++;
                else
                    break;
            } else if (*p == delim) {
                break;
            }
        }
    } else {
        for (; *p; p++) {
            if (*p == '\\') {
                if (p[1] == 0) {
                    p++;
                    break;
                }
                p++;
            } else if (*p == delim) {
                break;
            }
        }
    }
    if (*p == 0) {
        msg_warn("%s map %s, line %d: no closing regexp delimiter \"%c\": %s this rule", cls->type,
                 table->map, lineno, delim, cls->no_close_action);
        return (0);
    }
    *p++ = 0;
    for (; *p && !ISSPACE(*p); p++) {
        if (!cls->flag(table->map, lineno, *p, &spec->options)) {
            msg_warn("%s map %s, line %d: unknown regexp option \"%c\": skipping this rule",
                     cls->type, table->map, lineno, *p);
            return (0);
        }
    }
    while (ISSPACE(*p))
        p++;
    *bufp = p;
    return (1);
}

/* pattern_parse_match - "[!]/pattern/flags result" */
static void pattern_parse_match(DICT_PATTERN *table, int lineno, char *p)
{
    const DICT_PATTERN_CLASS *cls = table->cls;
    PATTERN_SPEC spec;
    PATTERN_RULE probe;
    void *re;
    int groups = 0;

    if (!pattern_get(table, lineno, &p, &spec))
        return;
    if (*p == 0)
        msg_warn("%s map %s, line %d: no replacement text: using empty string", cls->type,
                 table->map, lineno);
    memset(&probe, 0, sizeof(probe));
    if (!pattern_repl_parse(table, lineno, p, &probe)) {
        msg_warn("%s map %s, line %d: bad replacement syntax: skipping this rule", cls->type,
                 table->map, lineno);
        pattern_parts_free(probe.parts, probe.nparts);
        return;
    }
    if (probe.max_group > 0 && table->no_regsub) {
        msg_warn("%s map %s, line %d: regular expression substitution is not allowed: "
                 "skipping this rule", cls->type, table->map, lineno);
        pattern_parts_free(probe.parts, probe.nparts);
        return;
    }
    if (probe.max_group > 0 && spec.negate) {
        msg_warn("%s map %s, line %d: $number found in negative match replacement text: "
                 "skipping this rule", cls->type, table->map, lineno);
        pattern_parts_free(probe.parts, probe.nparts);
        return;
    }
    re = cls->compile(table->map, lineno, spec.regexp, spec.options, probe.max_group > 0, &groups);
    if (re == 0) {
        pattern_parts_free(probe.parts, probe.nparts);
        return;
    }
    if (probe.max_group > (size_t) groups) {
        msg_warn("%s map %s, line %d: out of range replacement index \"%d\": skipping this rule",
                 cls->type, table->map, lineno, (int) probe.max_group);
        cls->free(re);
        pattern_parts_free(probe.parts, probe.nparts);
        return;
    }
    probe.op = RULE_MATCH;
    probe.negate = spec.negate;
    probe.lineno = lineno;
    probe.re = re;
    *pattern_rule_append(table, RULE_MATCH, lineno) = probe;
    if (probe.max_group > table->max_group)
        table->max_group = probe.max_group;
}

/* pattern_parse_if - "if [!]/pattern/flags" */
static void pattern_parse_if(DICT_PATTERN *table, int lineno, char *p)
{
    const DICT_PATTERN_CLASS *cls = table->cls;
    PATTERN_SPEC spec;
    PATTERN_RULE *rule;
    void *re;
    int groups;

    while (ISSPACE(*p))
        p++;
    if (!pattern_get(table, lineno, &p, &spec))
        return;
    if (*p) {
        /* Text after the pattern usually is an indented rule joined to it. */
        msg_warn("%s map %s, line %d: ignoring extra text after IF statement: \"%s\"", cls->type,
                 table->map, lineno, p);
        msg_warn("%s map %s, line %d: do not prepend whitespace to statements between IF and ENDIF",
                 cls->type, table->map, lineno);
    }
    if ((re = cls->compile(table->map, lineno, spec.regexp, spec.options, 0, &groups)) == 0)
        return;
    rule = pattern_rule_append(table, RULE_IF, lineno);
    rule->negate = spec.negate;
    rule->re = re;
    if (table->open_count >= table->open_size) {
        table->open_size = table->open_size * 2 + 4;
        table->open_ifs = myrealloc(table->open_ifs, table->open_size * sizeof(*table->open_ifs));
    }
    table->open_ifs[table->open_count++] = rule;
}

/* pattern_parse_endif - "endif" */
static void pattern_parse_endif(DICT_PATTERN *table, int lineno, char *p)
{
    const DICT_PATTERN_CLASS *cls = table->cls;
    PATTERN_RULE *rule;

    if (table->open_count == 0) {
        msg_warn("%s map %s, line %d: ignoring ENDIF without matching IF", cls->type, table->map,
                 lineno);
        return;
    }
    while (ISSPACE(*p))
        p++;
    if (*p)
        msg_warn("%s map %s, line %d: ignoring extra text after ENDIF", cls->type, table->map,
                 lineno);
    rule = pattern_rule_append(table, RULE_ENDIF, lineno);
    table->open_ifs[--table->open_count]->endif = rule;
}

/* dict_pattern_create - an empty table */
DICT_PATTERN *dict_pattern_create(const DICT_PATTERN_CLASS *cls, const char *map)
{
    DICT_PATTERN *table = mycalloc(1, sizeof(*table));

    table->cls = cls;
    table->map = mystrdup(map);
    table->result = vstring_alloc(100);
    return (table);
}

/* dict_pattern_add_line - parse one logical line of table text */
void dict_pattern_add_line(DICT_PATTERN *table, int lineno, const char *line)
{
    char *copy = mystrdup(line);
    char *p = copy;

    if (!ISALNUM(*p))
        pattern_parse_match(table, lineno, p);
    else if (strncasecmp(p, "if", 2) == 0 && !ISALNUM(p[2]))
        pattern_parse_if(table, lineno, p + 2);
    else if (strncasecmp(p, "endif", 5) == 0 && !ISALNUM(p[5]))
        pattern_parse_endif(table, lineno, p + 5);
    else
        msg_warn("%s map %s, line %d: ignoring unrecognized request", table->cls->type,
                 table->map, lineno);
    myfree(copy);
}

/* dict_pattern_finish - report unclosed IFs, size the match buffer */
void dict_pattern_finish(DICT_PATTERN *table)
{
    while (table->open_count > 0) {
        msg_warn("%s map %s, line %d: IF has no matching ENDIF", table->cls->type, table->map,
                 table->open_ifs[--table->open_count]->lineno);
    }
    if (table->spans)
        myfree(table->spans);
    table->spans = mycalloc(table->max_group + 1, sizeof(*table->spans));
}

/* dict_pattern_read - add every logical line of a file, then finish */
static void dict_pattern_read(DICT_PATTERN *table, VSTREAM *fp)
{
    VSTRING *line = vstring_alloc(100);
    int last_line = 0;
    int lineno = 0;

    while (readllines(line, fp, &last_line, &lineno) != 0) {
        if (ISSPACE(*vstring_str(line))) {
            msg_warn("%s: logical line must not start with whitespace: \"%s\"", table->map,
                     vstring_str(line));
            continue;
        }
        dict_pattern_add_line(table, lineno, vstring_str(line));
    }
    vstring_free(line);
    dict_pattern_finish(table);
}

/* dict_pattern_load - read a table file */
DICT_PATTERN *dict_pattern_load(const DICT_PATTERN_CLASS *cls, const char *map, VSTREAM *fp)
{
    DICT_PATTERN *table = dict_pattern_create(cls, map);

    dict_pattern_read(table, fp);
    return (table);
}

/* pattern_expand - build a rule's result from the matched key */
static const char *pattern_expand(DICT_PATTERN *table, PATTERN_RULE *rule, const char *key)
{
    const DICT_PATTERN_SPAN *span;
    int i;

    VSTRING_RESET(table->result);
    for (i = 0; i < rule->nparts; i++) {
        if (rule->parts[i].group == 0) {
            vstring_strcat(table->result, rule->parts[i].text);
            continue;
        }
        span = table->spans + rule->parts[i].group;
        if (span->start >= 0 && span->end > span->start)
            vstring_strncat(table->result, key + span->start, span->end - span->start);
    }
    return (vstring_str(table->result));
}

/* dict_pattern_search - the result of the first rule that applies to key */
const char *dict_pattern_search(DICT_PATTERN *table, const char *key)
{
    const DICT_PATTERN_CLASS *cls = table->cls;
    PATTERN_RULE *rule = table->head;
    int nspans;
    int matched;
    size_t i;

    while (rule != 0) {
        if (rule->op == RULE_ENDIF) {
            rule = rule->next;
            continue;
        }
        nspans = (rule->op == RULE_MATCH && rule->max_group > 0) ? (int) rule->max_group + 1 : 0;
        for (i = 0; i < (size_t) nspans; i++)
            table->spans[i].start = table->spans[i].end = -1;
        matched = cls->exec(table->map, rule->lineno, rule->re, key, table->spans, nspans);
        if (rule->op == RULE_IF) {
            if (matched != rule->negate)
                rule = rule->next;
            else
                rule = rule->endif ? rule->endif->next : 0;
            continue;
        }
        if (matched != rule->negate)
            return (pattern_expand(table, rule, key));
        rule = rule->next;
    }
    return (0);
}

/* dict_pattern_free - release a table */
void dict_pattern_free(DICT_PATTERN *table)
{
    PATTERN_RULE *rule;
    PATTERN_RULE *next;

    for (rule = table->head; rule; rule = next) {
        next = rule->next;
        if (rule->re)
            table->cls->free(rule->re);
        pattern_parts_free(rule->parts, rule->nparts);
        myfree(rule);
    }
    if (table->open_ifs)
        myfree(table->open_ifs);
    if (table->spans)
        myfree(table->spans);
    vstring_free(table->result);
    myfree(table->map);
    myfree(table);
}

/* The DICT face of a pattern table. */
typedef struct DICT_PATTERN_DICT {
    DICT dict;
    DICT_PATTERN *table;
} DICT_PATTERN_DICT;

/* pattern_dict_lookup - DICT lookup method */
static const char *pattern_dict_lookup(DICT *dict, const char *key)
{
    DICT_PATTERN_DICT *dp = (DICT_PATTERN_DICT *) dict;

    dict->error = DICT_ERR_NONE;
    if (dict->flags & DICT_FLAG_FOLD_MUL) {
        if (dict->fold_buf == 0)
            dict->fold_buf = vstring_alloc(100);
        vstring_strcpy(dict->fold_buf, key);
        key = lowercase(vstring_str(dict->fold_buf));
    }
    return (dict_pattern_search(dp->table, key));
}

/* pattern_dict_close - DICT close method */
static void pattern_dict_close(DICT *dict)
{
    dict_pattern_free(((DICT_PATTERN_DICT *) dict)->table);
    dict_free(dict);
}

/* pattern_strip_braces - "{ text }" to "text", in place; null or error text */
static const char *pattern_strip_braces(char *item, char **inner, VSTRING *why)
{
    char *cp;
    int level = 0;

    if (*item != '{') {
        vstring_sprintf(why, "no '{' at start of text in \"%s\"", item);
        return (vstring_str(why));
    }
    for (cp = item; *cp; cp++) {
        if (*cp == '{')
            level++;
        else if (*cp == '}' && --level == 0)
            break;
    }
    if (*cp == 0) {
        vstring_sprintf(why, "missing '}' in \"%s\"", item);
        return (vstring_str(why));
    }
    if (*skipblanks(cp + 1) != 0) {
        vstring_sprintf(why, "syntax error after '}' in \"%s\"", item);
        return (vstring_str(why));
    }
    *cp = 0;
    *inner = skipblanks(item + 1);
    *trimblanks(*inner, 0) = 0;
    return (0);
}

/*
 * dict_pattern_split_inline - "{ {rule}, {rule} }" to one rule per element.
 * Returns null and an error text in why when the syntax is wrong.
 */
ARGV *dict_pattern_split_inline(const char *spec, VSTRING *why)
{
    char *copy = mystrdup(spec);
    char *inner;
    char *bp;
    char *item;
    char *rule;
    ARGV *rules = 0;

    if (pattern_strip_braces(copy, &inner, why) == 0) {
        rules = argv_alloc(4);
        for (bp = inner; (item = mystrtokq(&bp, ", \t\r\n", "{}")) != 0; /* void */ ) {
            if (pattern_strip_braces(item, &rule, why) != 0) {
                argv_free(rules);
                rules = 0;
                break;
            }
            if (*rule)
                argv_add(rules, rule, (char *) 0);
        }
    }
    myfree(copy);
    return (rules);
}

/* pattern_open_inline - build a table from "{ {rule}, ... }" */
static DICT_PATTERN *pattern_open_inline(const DICT_PATTERN_CLASS *cls, const char *name,
                                         int no_regsub, VSTRING *why)
{
    DICT_PATTERN *table;
    ARGV *rules;
    int i;

    if ((rules = dict_pattern_split_inline(name, why)) == 0)
        return (0);
    table = dict_pattern_create(cls, name);
    table->no_regsub = no_regsub;
    for (i = 0; i < rules->argc; i++)
        dict_pattern_add_line(table, i + 1, rules->argv[i]);
    dict_pattern_finish(table);
    argv_free(rules);
    return (table);
}

/* dict_pattern_open - open a regexp-style table for the table layer */
DICT *dict_pattern_open(const DICT_PATTERN_CLASS *cls, const char *name, int open_flags,
                        int dict_flags)
{
    DICT_PATTERN_DICT *dp;
    DICT_PATTERN *table;
    VSTRING *why;
    VSTREAM *fp;
    struct stat st;
    int no_regsub = (dict_flags & DICT_FLAG_NO_REGSUB) != 0;

    if ((open_flags & O_ACCMODE) != O_RDONLY)
        return (dict_surrogate(cls->type, name, open_flags, dict_flags,
                               "%s:%s map requires O_RDONLY access mode", cls->type, name));
    if (*name == '{') {
        why = vstring_alloc(100);
        table = pattern_open_inline(cls, name, no_regsub, why);
        if (table == 0) {
            DICT *surrogate = dict_surrogate(cls->type, name, open_flags, dict_flags,
                                             "%s map: %s", cls->type, vstring_str(why));

            vstring_free(why);
            return (surrogate);
        }
        vstring_free(why);
        memset(&st, 0, sizeof(st));
    } else {
        if ((fp = vstream_fopen(name, O_RDONLY, 0)) == 0)
            return (dict_surrogate(cls->type, name, open_flags, dict_flags, "open %s: %m", name));
        if (fstat(vstream_fileno(fp), &st) < 0)
            msg_fatal("fstat %s: %m", name);
        table = dict_pattern_create(cls, name);
        table->no_regsub = no_regsub;
        dict_pattern_read(table, fp);
        vstream_fclose(fp);
    }
    dp = (DICT_PATTERN_DICT *) dict_alloc(cls->type, name, sizeof(*dp));
    dp->table = table;
    dp->dict.lookup = pattern_dict_lookup;
    dp->dict.close = pattern_dict_close;
    dp->dict.flags = dict_flags | DICT_FLAG_PATTERN;
    dp->dict.flags &= ~DICT_FLAG_FIXED;
    if (*name == '{') {
        dp->dict.owner.status = DICT_OWNER_TRUSTED;
        dp->dict.owner.uid = 0;
    } else {
        dict_set_owner(&dp->dict, &st);
    }
    return (&dp->dict);
}
