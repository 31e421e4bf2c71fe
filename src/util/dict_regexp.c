/*
 * dict_regexp - regexp: tables, POSIX regular expressions.
 *
 * A regexp: table is a file (or inline text) of rules in the language that
 * dict_pattern.c implements; this module supplies the POSIX regcomp() and
 * regexec() side: flag letters i (case, default insensitive), x (extended
 * syntax, default on) and m (newline sensitive, default off), and the
 * compile error texts that regerror() gives.
 *
 * Exports: dict_regexp_class (the DICT_PATTERN_CLASS) and, through the
 * table layer, dict_regexp_open().
 *
 * Failure: a rule that does not compile is warned about and skipped; a
 * regexec() failure other than "no match" is warned about and counts as no
 * match.
 */

#include <regex.h>

#include "dict_pattern.h"
#include "dict_regexp.h"
#include "msg.h"
#include "mymalloc.h"

/* regexp_flag - toggle the option that a flag letter names */
static int regexp_flag(const char *map, int lineno, int ch, int *options)
{
    switch (ch) {
    case 'i':
        *options ^= REG_ICASE;
        return (1);
    case 'x':
        *options ^= REG_EXTENDED;
        return (1);
    case 'm':
        *options ^= REG_NEWLINE;
        return (1);
    default:
        return (0);
    }
}

/* regexp_compile - regcomp() with Postfix-style diagnostics */
static void *regexp_compile(const char *map, int lineno, const char *pattern, int options,
                            int want_groups, int *groups)
{
    regex_t *re = mymalloc(sizeof(*re));
    char errbuf[256];
    int err;

    if (!want_groups)
        options |= REG_NOSUB;
    if ((err = regcomp(re, pattern, options)) != 0) {
        regerror(err, re, errbuf, sizeof(errbuf));
        msg_warn("regexp map %s, line %d: %s", map, lineno, errbuf);
        regfree(re);
        myfree(re);
        return (0);
    }
    *groups = (int) re->re_nsub;
    return (re);
}

/* regexp_exec - match key, filling up to nspans group offsets */
static int regexp_exec(const char *map, int lineno, void *ptr, const char *key,
                       DICT_PATTERN_SPAN *spans, int nspans)
{
    static regmatch_t *pmatch;
    static int pmatch_size;
    regex_t *re = ptr;
    char errbuf[256];
    int err;
    int i;

    if (nspans > pmatch_size) {
        pmatch_size = nspans;
        pmatch = myrealloc(pmatch, pmatch_size * sizeof(*pmatch));
    }
    err = regexec(re, key, (size_t) nspans, nspans ? pmatch : (regmatch_t *) 0, 0);
    if (err == REG_NOMATCH)
        return (0);
    if (err != 0) {
        regerror(err, re, errbuf, sizeof(errbuf));
        msg_warn("regexp map %s, line %d: %s", map, lineno, errbuf);
        return (0);
    }
    for (i = 0; i < nspans; i++) {
        spans[i].start = pmatch[i].rm_so;
        spans[i].end = pmatch[i].rm_eo;
    }
    return (1);
}

/* regexp_free - release a compiled pattern */
static void regexp_free(void *ptr)
{
    regfree((regex_t *) ptr);
    myfree(ptr);
}

const DICT_PATTERN_CLASS dict_regexp_class = {
    .type = "regexp",
    .default_options = REG_EXTENDED | REG_ICASE,
    .flag = regexp_flag,
    .lax_final_backslash = 1,
    .no_close_action = "skipping",
    .zero_index_text = "out-of-range",
    .compile = regexp_compile,
    .exec = regexp_exec,
    .free = regexp_free,
};

/* dict_regexp_open - open a regexp: table */
DICT *dict_regexp_open(const char *name, int open_flags, int dict_flags)
{
    return (dict_pattern_open(&dict_regexp_class, name, open_flags, dict_flags));
}
