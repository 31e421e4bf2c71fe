#ifndef MATCH_LIST_H
#define MATCH_LIST_H

/*
 * match_list - Postfix pattern lists (mynetworks, relay_domains,
 * debug_peer_list, *_list parameters ...).
 *
 * A list is written as entries separated by commas and/or white space
 * ("{...}" stays one entry). Each entry is one of
 *
 *   pattern        matched by the list's match functions (host name,
 *                  address, or plain string; see below)
 *   !pattern       a match of pattern makes the whole list NOT match
 *   /file/name     the entries in that file (white-space separated words,
 *                  '#' comments); "!/file/name" negates each of them
 *   type:table     a lookup of the string (host names: also of the parent
 *                  domains, for fixed-string tables); any value is a match
 *
 * Entries are tried in order and the first that matches decides. A list is
 * created with match_count match functions and matched with as many
 * strings: for each entry, function i is applied to string i.
 *
 * Errors: when a table lookup fails, or an address pattern is malformed
 * and MATCH_FLAG_RETURN is set, match_list_match() returns 0 with
 * list->error set (DICT_ERR_RETRY or DICT_ERR_CONFIG): the caller must
 * defer, not treat it as "no match". Without MATCH_FLAG_RETURN a malformed
 * pattern is fatal, as in Postfix. A /file that cannot be read is fatal.
 */

#include "argv.h"
#include "vstring.h"

typedef struct MATCH_LIST MATCH_LIST;

/* A match function: 1 = match, 0 = no match (list->error tells failures). */
typedef int (*MATCH_LIST_FN)(MATCH_LIST *list, const char *string, const char *pattern);

struct MATCH_LIST {
    char *title;                /* parameter name, for messages */
    int flags;                  /* MATCH_FLAG_* */
    ARGV *patterns;             /* expanded entries, "!" kept in front */
    int match_count;
    MATCH_LIST_FN *match_func;
    int error;                  /* DICT_ERR_* of the last match */
};

#define MATCH_FLAG_NONE 0
#define MATCH_FLAG_PARENT (1 << 0)      /* "domain" also matches subdomains */
#define MATCH_FLAG_RETURN (1 << 1)      /* bad patterns: error, not fatal */

extern MATCH_LIST *match_list_init(const char *title, int flags, const char *patterns,
                                   int match_count, ...);  /* MATCH_LIST_FN each */
extern int match_list_match(MATCH_LIST *list, ...);     /* match_count strings */
extern void match_list_free(MATCH_LIST *list);

/* Match functions. */
extern int match_list_hostname(MATCH_LIST *list, const char *name, const char *pattern);
extern int match_list_hostaddr(MATCH_LIST *list, const char *addr, const char *pattern);
extern int match_list_string(MATCH_LIST *list, const char *string, const char *pattern);

/* The usual kinds of list. */
#define domain_list_init(title, flags, pats) \
    match_list_init((title), (flags), (pats), 1, match_list_hostname)
#define domain_list_match(list, name) match_list_match((list), (name))
#define namadr_list_init(title, flags, pats) \
    match_list_init((title), (flags), (pats), 2, match_list_hostname, match_list_hostaddr)
#define namadr_list_match(list, name, addr) match_list_match((list), (name), (addr))
#define addr_match_list_init(title, flags, pats) \
    match_list_init((title), (flags), (pats), 1, match_list_hostaddr)
#define addr_match_list_match(list, addr) match_list_match((list), (addr))
#define string_list_init(title, flags, pats) \
    match_list_init((title), (flags), (pats), 1, match_list_string)
#define string_list_match(list, string) match_list_match((list), (string))

#endif
