#ifndef DICT_PATTERN_H
#define DICT_PATTERN_H

/*
 * dict_pattern - the rule engine shared by regexp: and pcre: tables.
 *
 * A table is an ordered list of rules, each "/pattern/flags result",
 * "!/pattern/flags result", "if /pattern/flags" or "endif". The engine
 * parses rules, keeps if/endif nesting, checks and expands $n references,
 * and evaluates a key against the list. What it needs from a regular
 * expression library comes through a DICT_PATTERN_CLASS.
 */

#include "argv.h"
#include "dict.h"
#include "vstream.h"
#include "vstring.h"

/* One capture group of a match: byte offsets, or -1 when the group is unset. */
typedef struct DICT_PATTERN_SPAN {
    long start;
    long end;
} DICT_PATTERN_SPAN;

/* What one regular expression library contributes. */
typedef struct DICT_PATTERN_CLASS {
    const char *type;           /* "regexp", "pcre": the table type, names messages */
    int default_options;        /* compile options before flag letters toggle them */
    /* Toggle the option named by flag letter ch: 1 when known, 0 when not. */
    int (*flag)(const char *map, int lineno, int ch, int *options);
    int lax_final_backslash;    /* a lone final backslash closes the pattern */
    const char *no_close_action;        /* ends "no closing regexp delimiter" */
    const char *zero_index_text;        /* how "$0" is called out of range */
    /* Compile; on error warn and return null. *groups: capture groups. */
    void *(*compile)(const char *map, int lineno, const char *pattern, int options,
                     int want_groups, int *groups);
    /*
     * Match key: 1 when it matches (spans[0..nspans-1] filled), 0 when it
     * does not. A library error is warned about and counts as no match.
     */
    int (*exec)(const char *map, int lineno, void *re, const char *key, DICT_PATTERN_SPAN *spans,
                int nspans);
    void (*free)(void *re);
} DICT_PATTERN_CLASS;

typedef struct DICT_PATTERN DICT_PATTERN;

extern DICT_PATTERN *dict_pattern_create(const DICT_PATTERN_CLASS *cls, const char *map);
extern void dict_pattern_add_line(DICT_PATTERN *table, int lineno, const char *line);
extern void dict_pattern_finish(DICT_PATTERN *table);
extern DICT_PATTERN *dict_pattern_load(const DICT_PATTERN_CLASS *cls, const char *map, VSTREAM *fp);
extern const char *dict_pattern_search(DICT_PATTERN *table, const char *key);
extern void dict_pattern_free(DICT_PATTERN *table);

/* The table layer's view: "type:/file" or "type:{ {rule}, {rule} }". */
extern DICT *dict_pattern_open(const DICT_PATTERN_CLASS *cls, const char *name, int open_flags,
                               int dict_flags);
extern ARGV *dict_pattern_split_inline(const char *spec, VSTRING *why);

#endif
