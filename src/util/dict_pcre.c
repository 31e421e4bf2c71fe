/*
 * dict_pcre - pcre: tables, Perl-compatible regular expressions (PCRE2).
 *
 * The rule language is dict_pattern.c's; this module supplies the PCRE2
 * side: flag letters i (caseless, default on), m (multiline), s (dotall,
 * default on), x (extended), A (anchored), E (dollar matches only at the
 * end), U (ungreedy), and X, which PCRE2 no longer has and which is warned
 * about and ignored. Compile errors read "error in regex at offset N: text"
 * with PCRE2's own text.
 *
 * Exports: dict_pcre_class (the DICT_PATTERN_CLASS) and, through the table
 * layer, dict_pcre_open(). The whole module is empty unless makedefs found
 * PCRE2 and defined HAS_PCRE; without it the pcre: type does not exist.
 *
 * Failure: a rule that does not compile is warned about and skipped; a
 * matching error (a match limit, say) is warned about with PCRE2's text and
 * counts as no match.
 */

#ifdef HAS_PCRE

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <string.h>

#include "dict_pattern.h"
#include "dict_pcre.h"
#include "msg.h"
#include "mymalloc.h"

/* A compiled rule with its own match data. */
typedef struct PCRE_RULE {
    pcre2_code *code;
    pcre2_match_data *match;
} PCRE_RULE;

/* pcre_flag - toggle the option that a flag letter names */
static int pcre_flag(const char *map, int lineno, int ch, int *options)
{
    switch (ch) {
    case 'i':
        *options ^= PCRE2_CASELESS;
        return (1);
    case 'm':
        *options ^= PCRE2_MULTILINE;
        return (1);
    case 's':
        *options ^= PCRE2_DOTALL;
        return (1);
    case 'x':
        *options ^= PCRE2_EXTENDED;
        return (1);
    case 'A':
        *options ^= PCRE2_ANCHORED;
        return (1);
    case 'E':
        *options ^= PCRE2_DOLLAR_ENDONLY;
        return (1);
    case 'U':
        *options ^= PCRE2_UNGREEDY;
        return (1);
    case 'X':
        msg_warn("pcre map %s, line %d: ignoring obsolete regexp option \"%c\"", map, lineno, ch);
        return (1);
    default:
        return (0);
    }
}

/* pcre_compile_rule - pcre2_compile() with Postfix-style diagnostics */
static void *pcre_compile_rule(const char *map, int lineno, const char *pattern, int options,
                               int want_groups, int *groups)
{
    PCRE_RULE *rule;
    pcre2_code *code;
    PCRE2_UCHAR errbuf[256];
    PCRE2_SIZE erroffset;
    uint32_t count;
    int errcode;

    code = pcre2_compile((PCRE2_SPTR) pattern, PCRE2_ZERO_TERMINATED, (uint32_t) options, &errcode,
                         &erroffset, (pcre2_compile_context *) 0);
    if (code == 0) {
        pcre2_get_error_message(errcode, errbuf, sizeof(errbuf));
        msg_warn("pcre map %s, line %d: error in regex at offset %d: %s", map, lineno,
                 (int) erroffset, (char *) errbuf);
        return (0);
    }
    if (pcre2_pattern_info(code, PCRE2_INFO_CAPTURECOUNT, &count) != 0)
        count = 0;
    *groups = (int) count;
    rule = mymalloc(sizeof(*rule));
    rule->code = code;
    rule->match = pcre2_match_data_create_from_pattern(code, (pcre2_general_context *) 0);
    if (rule->match == 0)
        msg_fatal("pcre map %s, line %d: out of memory", map, lineno);
    return (rule);
}

/* pcre_exec_rule - match key, filling up to nspans group offsets */
static int pcre_exec_rule(const char *map, int lineno, void *ptr, const char *key,
                          DICT_PATTERN_SPAN *spans, int nspans)
{
    PCRE_RULE *rule = ptr;
    PCRE2_UCHAR errbuf[256];
    PCRE2_SIZE *ovector;
    uint32_t pairs;
    int rc;
    int i;

    rc = pcre2_match(rule->code, (PCRE2_SPTR) key, strlen(key), 0, 0, rule->match,
                     (pcre2_match_context *) 0);
    if (rc == PCRE2_ERROR_NOMATCH)
        return (0);
    if (rc < 0) {
        pcre2_get_error_message(rc, errbuf, sizeof(errbuf));
        msg_warn("pcre map %s, line %d: %s", map, lineno, (char *) errbuf);
        return (0);
    }
    ovector = pcre2_get_ovector_pointer(rule->match);
    pairs = pcre2_get_ovector_count(rule->match);
    for (i = 0; i < nspans; i++) {
        if ((uint32_t) i < pairs && (uint32_t) i < (uint32_t) rc
            && ovector[2 * i] != PCRE2_UNSET) {
            spans[i].start = (long) ovector[2 * i];
            spans[i].end = (long) ovector[2 * i + 1];
        } else {
            spans[i].start = spans[i].end = -1;
        }
    }
    return (1);
}

/* pcre_free_rule - release a compiled pattern */
static void pcre_free_rule(void *ptr)
{
    PCRE_RULE *rule = ptr;

    pcre2_match_data_free(rule->match);
    pcre2_code_free(rule->code);
    myfree(rule);
}

const DICT_PATTERN_CLASS dict_pcre_class = {
    .type = "pcre",
    .default_options = PCRE2_CASELESS | PCRE2_DOTALL,
    .flag = pcre_flag,
    .lax_final_backslash = 0,
    .no_close_action = "ignoring",
    .zero_index_text = "out of range",
    .compile = pcre_compile_rule,
    .exec = pcre_exec_rule,
    .free = pcre_free_rule,
};

/* dict_pcre_open - open a pcre: table */
DICT *dict_pcre_open(const char *name, int open_flags, int dict_flags)
{
    return (dict_pattern_open(&dict_pcre_class, name, open_flags, dict_flags));
}

#endif
