/*
 * token - split the right-hand side of an alias, a .forward line or an
 * :include: line into destinations, and deliver to each.
 *
 * Exports local_token_split(), deliver_token_string() and
 * deliver_token_stream(). Destinations are separated by commas outside
 * double quotes, angle brackets and comments. A destination is one of
 *
 *   |command          (quote it when it contains commas: "|cmd a,b")
 *   /file/name        (a name ending in / is a maildir)
 *   :include:/file    (more destinations, read from the file)
 *   \user             (the user's mailbox, no aliases, no .forward)
 *   an address        (RFC 5322: "Name <addr>", comments, quoting)
 *
 * A destination in double quotes as a whole ("|cmd arg", "/a file") loses
 * the quotes. Addresses come out in internal (unquoted) form. Lines read
 * from files are limited to line_length_limit bytes (longer lines are
 * taken in pieces, as Postfix does); lines starting with # are comments.
 */

#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "local.h"
#include "mail_params.h"
#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"
#include "tok822.h"
#include "vstream.h"

/* local_token_unquote - "text" as a whole loses its quotes and backslashes */
static int local_token_unquote(const char *item, VSTRING *out)
{
    const char *cp;

    if (*item != '"')
        return (0);
    VSTRING_RESET(out);
    for (cp = item + 1; *cp && *cp != '"'; cp++) {
        if (*cp == '\\' && cp[1])
            cp++;
        VSTRING_ADDCH(out, *cp);
    }
    VSTRING_TERMINATE(out);
    /* "a b"@example is an address with a quoted local part, not a whole. */
    return (*cp == '"' && cp[1] == 0);
}

/* local_token_add - classify one comma-separated item */
static void local_token_add(ARGV *result, char *item)
{
    VSTRING *buf = vstring_alloc(100);
    TOK822 *tree;
    TOK822 **addrs;
    TOK822 **tpp;

    trimblanks(item, 0)[0] = 0;
    item = skipblanks(item);
    if (*item == 0) {
        vstring_free(buf);
        return;
    }
    if (local_token_unquote(item, buf)) {
        argv_add(result, vstring_str(buf), (char *)0);
    } else if (*item == '|' || *item == '/' || *item == '\\' ||
               strncasecmp(item, ":include:", 9) == 0) {
        argv_add(result, item, (char *)0);
    } else {
        tree = tok822_parse(item);
        addrs = tok822_grep(tree, TOK822_ADDR);
        for (tpp = addrs; *tpp; tpp++) {
            tok822_internalize(buf, (*tpp)->head, TOK822_STR_DEFL);
            if (VSTRING_LEN(buf) > 0)
                argv_add(result, vstring_str(buf), (char *)0);
        }
        myfree(addrs);
        tok822_free_tree(tree);
    }
    vstring_free(buf);
}

/* local_token_split - the destinations in string */
ARGV *local_token_split(const char *string)
{
    ARGV *result = argv_alloc(4);
    char *copy = mystrdup(string);
    char *start = copy;
    char *cp;
    int quoted = 0;
    int angle = 0;
    int paren = 0;

    for (cp = copy; *cp; cp++) {
        if (*cp == '\\' && cp[1]) {
            cp++;
        } else if (*cp == '"' && paren == 0) {
            quoted = !quoted;
        } else if (quoted) {
            continue;
        } else if (*cp == '(') {
            paren++;
        } else if (*cp == ')' && paren > 0) {
            paren--;
        } else if (*cp == '<' && paren == 0) {
            angle++;
        } else if (*cp == '>' && angle > 0 && paren == 0) {
            angle--;
        } else if (*cp == ',' && angle == 0 && paren == 0) {
            *cp = 0;
            local_token_add(result, start);
            start = cp + 1;
        }
    }
    local_token_add(result, start);
    myfree(copy);
    return (result);
}

/* deliver_token - deliver to one destination */
static int deliver_token(LOCAL_STATE state, USER_ATTR usr_attr, const char *dest)
{
    if (*dest == '/')
        return (deliver_file(state, usr_attr, dest));
    if (*dest == '|')
        return (deliver_command(state, usr_attr, dest + 1));
    if (strncasecmp(dest, ":include:", 9) == 0)
        return (deliver_include(state, usr_attr, dest + 9));
    return (deliver_resolve_addr(state, usr_attr, dest));
}

/* deliver_token_string - deliver to every destination in string */
int deliver_token_string(LOCAL_STATE state, USER_ATTR usr_attr, const char *string, int *addr_count)
{
    ARGV *dests = local_token_split(string);
    int status = 0;
    int i;

    if (msg_verbose)
        msg_info("deliver_token_string[%d]: %s", state.level, string);
    /* After a deferral the whole recipient is tried again: stop early. */
    for (i = 0; i < dests->argc && status == 0; i++) {
        if (addr_count)
            (*addr_count)++;
        status = deliver_token(state, usr_attr, dests->argv[i]);
    }
    argv_free(dests);
    return (status);
}

/* deliver_token_stream - deliver to every destination in a file */
int deliver_token_stream(LOCAL_STATE state, USER_ATTR usr_attr, VSTREAM *fp, int *addr_count)
{
    VSTRING *line = vstring_alloc(100);
    size_t limit = var_line_length_limit > 0 ? var_line_length_limit : 2048;
    int status = 0;
    const char *cp;

    while (status == 0 && vstring_get_nonl_bound(line, fp, limit) != VSTREAM_EOF) {
        cp = skipblanks(vstring_str(line));
        if (*cp == 0 || *cp == '#')
            continue;
        status = deliver_token_string(state, usr_attr, cp, addr_count);
    }
    vstring_free(line);
    return (status);
}
