#ifndef TOK822_H
#define TOK822_H

/*
 * tok822 - RFC 5322 address lists as token trees, as Postfix builds them.
 *
 * tok822_scan*() turn text into a flat list of tokens: atoms, quoted
 * strings, comments, domain literals and operators (whose type is the
 * character itself: the RFC 5322 specials and '!', '%', '|').
 * tok822_parse*() then group the tokens of each address into a
 * TOK822_ADDR node (comments found inside an address move after it),
 * insert a ',' between addresses that lack one, and turn the ':' that
 * starts a group ("name: a, b;") into TOK822_STARTGRP. Display names,
 * angle brackets and separators stay at the top level.
 *
 * Text of ATOM, QSTRING and DOMLIT tokens is kept in internal (unquoted)
 * form: no surrounding quotes or brackets, no backslashes, white space as
 * single spaces. A COMMENT keeps its text exactly as written, parentheses
 * and backslashes included. tok822_externalize() produces RFC 5322 text
 * (a TOK822_ADDR node as one address whose whole local part is quoted
 * when needed); tok822_internalize() produces the unquoted form.
 *
 * Spacing in both: tokens that are owned by a TOK822_ADDR node (made by
 * the parser or by tok822_sub_append()) are written without spaces;
 * tokens that are not (top-level lists, and the children of a node from
 * tok822_scan_addr()) get a space between two words (atom, quoted string,
 * comment, domain literal, address), before '<', and after ',' and a
 * group colon.
 *
 * Nothing here fails: malformed text (unbalanced quotes, parentheses,
 * brackets, angle brackets) parses into the nearest sensible tree.
 */

#include <sys/types.h>

#include "vstring.h"

typedef struct TOK822 {
    int type;            /* a special character or TOK822_* */
    VSTRING *vstr;       /* text, for ATOM QSTRING COMMENT DOMLIT ADDR */
    struct TOK822 *prev; /* siblings */
    struct TOK822 *next;
    struct TOK822 *head; /* children */
    struct TOK822 *tail;
    struct TOK822 *owner; /* parent, if any */
} TOK822;

#define TOK822_ATOM 256
#define TOK822_QSTRING 257
#define TOK822_ADDR 258
#define TOK822_COMMENT 259
#define TOK822_DOMLIT 260
#define TOK822_STARTGRP 261
#define TOK822_MAXTYPE 261

/* The default of header_address_token_limit. */
#define TOK822_DEF_TOKEN_LIMIT 10240

/* tok822_scan.c: tokens, no structure */
extern TOK822 *tok822_alloc(int type, const char *text);
extern TOK822 *tok822_free(TOK822 *tp);
extern TOK822 *tok822_scan_limit(const char *str, TOK822 **tailp, int limit);
extern TOK822 *tok822_scan_addr(const char *str);

#define tok822_scan(str, tailp) tok822_scan_limit((str), (tailp), 0)

/* tok822_parse.c: address lists */
extern TOK822 *tok822_parse_limit(const char *str, int limit);

#define tok822_parse(str) tok822_parse_limit((str), 0)

/* tok822_string.c: back to text */
extern VSTRING *tok822_externalize(VSTRING *vp, TOK822 *list, int flags);
extern VSTRING *tok822_internalize(VSTRING *vp, TOK822 *list, int flags);

#define TOK822_STR_NONE 0
#define TOK822_STR_WIPE (1 << 0) /* reset the result first */
#define TOK822_STR_TERM (1 << 1) /* null-terminate the result */
#define TOK822_STR_LINE (1 << 2) /* fold the line after each comma */
#define TOK822_STR_TRNC (1 << 3) /* strip overlong phrases and comments */
#define TOK822_STR_DEFL (TOK822_STR_WIPE | TOK822_STR_TERM)
#define TOK822_STR_HEAD (TOK822_STR_TERM | TOK822_STR_LINE | TOK822_STR_TRNC)

/*
 * Under TOK822_STR_TRNC, a list element (text between commas) whose text
 * besides its address is longer than this is cut down to "<address>", with
 * a warning: long display names and comments have been used to attack
 * other mailers.
 */
#define TOK822_TRNC_LEN 250

/* tok822_tree.c: list and tree surgery */
extern TOK822 *tok822_append(TOK822 *t1, TOK822 *t2);
extern TOK822 *tok822_prepend(TOK822 *t1, TOK822 *t2);
extern TOK822 *tok822_cut_before(TOK822 *tp);
extern TOK822 *tok822_cut_after(TOK822 *tp);
extern TOK822 *tok822_unlink(TOK822 *tp);
extern TOK822 *tok822_sub_append(TOK822 *t1, TOK822 *t2);
extern TOK822 *tok822_sub_prepend(TOK822 *t1, TOK822 *t2);
extern TOK822 *tok822_sub_keep_before(TOK822 *t1, TOK822 *t2);
extern TOK822 *tok822_sub_keep_after(TOK822 *t1, TOK822 *t2);
extern TOK822 *tok822_free_tree(TOK822 *tp);
extern int tok822_apply(TOK822 *list, int type, int (*action)(TOK822 *));
extern TOK822 **tok822_grep(TOK822 *list, int type);

/* tok822_find.c: searching a list */
extern TOK822 *tok822_find_type(TOK822 *head, int type);
extern TOK822 *tok822_rfind_type(TOK822 *tail, int type);

#endif
