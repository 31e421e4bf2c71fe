/*
 * alias_tok - the RFC 822 token rules postalias applies to alias lines.
 *
 * Exports alias_tok_split(). The line is cut into RFC 822 tokens: atoms
 * (a backslash makes the next character part of the atom), quoted strings,
 * comments (kept with their parentheses), domain literals and the special
 * characters < > @ , ; : . ) ]. White space inside quoted strings, quoted
 * pairs and domain literals is stored as a blank; comments are kept
 * verbatim, even when unterminated. The name is the token list before the first
 * ':' in internal form (quoted strings unquoted); the value is the token
 * list after it, re-joined in external form: ", " after every comma, one
 * blank between adjacent words (atoms, quoted strings, comments, domain
 * literals) and before a '<' inside an address, nothing elsewhere. Atoms
 * that contain special characters or blanks are written as quoted strings.
 * The result is what the reference stores, so tables built from the same
 * source are interchangeable.
 *
 * Input is one logical line, already length-limited by the line reader.
 */

#include <string.h>

#include "alias_tok.h"
#include "mymalloc.h"
#include "stringops.h"
#include "vstring.h"

#define TOK_ATOM 256
#define TOK_QSTRING 257
#define TOK_COMMENT 258
#define TOK_DOMLIT 259

typedef struct TOK {
    int type;      /* TOK_* or the special character itself */
    VSTRING *text; /* internal text (atoms, strings) or raw text */
} TOK;

typedef struct TOK_LIST {
    TOK *toks;
    int count;
    int size;
} TOK_LIST;

#define TOK_SPECIALS "()<>@,;:\\\".[]"
#define TOK_IS_WORD(t) ((t) >= TOK_ATOM)

/* tok_add - append a token */
static TOK *tok_add(TOK_LIST *list, int type)
{
    TOK *tp;

    if (list->count == list->size) {
        list->size = list->size ? 2 * list->size : 16;
        list->toks = (TOK *)myrealloc(list->toks, list->size * sizeof(TOK));
    }
    tp = list->toks + list->count++;
    tp->type = type;
    tp->text = vstring_alloc(16);
    return (tp);
}

/* tok_free - release a token list */
static void tok_free(TOK_LIST *list)
{
    int i;

    for (i = 0; i < list->count; i++)
        vstring_free(list->toks[i].text);
    if (list->toks)
        myfree(list->toks);
}

/* tok_space - white space inside a word is stored as a plain blank */
static int tok_space(int ch)
{
    return (ISSPACE((unsigned char)ch) ? ' ' : ch);
}

/* tok_comment - scan a comment, kept verbatim (also when unterminated) */
static const char *tok_comment(TOK *tp, const char *cp)
{
    int level = 0;

    for (; *cp; cp++) {
        VSTRING_ADDCH(tp->text, *cp);
        if (*cp == '\\' && cp[1]) {
            VSTRING_ADDCH(tp->text, *++cp);
        } else if (*cp == '(') {
            level++;
        } else if (*cp == ')' && --level == 0) {
            return (cp + 1);
        }
    }
    return (cp);
}

/* tok_domlit - scan a domain literal into internal form, brackets kept */
static const char *tok_domlit(TOK *tp, const char *cp)
{
    VSTRING_ADDCH(tp->text, '[');
    for (cp++; *cp && *cp != ']'; cp++) {
        /* A backslash quotes the next character; a final one quotes nothing. */
        if (*cp == '\\' && *++cp == 0)
            break;
        VSTRING_ADDCH(tp->text, tok_space(*cp));
    }
    VSTRING_ADDCH(tp->text, ']');
    return (*cp ? cp + 1 : cp);
}

/* tok_scan - cut a string into tokens */
static void tok_scan(const char *cp, TOK_LIST *list)
{
    TOK *tp;

    while (*cp) {
        if (ISSPACE((unsigned char)*cp)) {
            cp++;
        } else if (*cp == '(') {
            cp = tok_comment(tok_add(list, TOK_COMMENT), cp);
        } else if (*cp == '[') {
            cp = tok_domlit(tok_add(list, TOK_DOMLIT), cp);
        } else if (*cp == '"') {
            tp = tok_add(list, TOK_QSTRING);
            for (cp++; *cp && *cp != '"'; cp++) {
                if (*cp == '\\' && *++cp == 0)
                    break;
                VSTRING_ADDCH(tp->text, tok_space(*cp));
            }
            if (*cp == '"')
                cp++;

        } else if (*cp != '\\' && strchr(TOK_SPECIALS, *cp)) {
            tp = tok_add(list, *cp);
            VSTRING_ADDCH(tp->text, *cp);
            cp++;
        } else {
            tp = tok_add(list, TOK_ATOM);
            for (; *cp && !ISSPACE((unsigned char)*cp); cp++) {
                if (*cp == '\\') {
                    if (cp[1] == 0)
                        break;
                    cp++;
                } else if (strchr(TOK_SPECIALS, *cp)) {
                    break;
                }
                VSTRING_ADDCH(tp->text, tok_space(*cp));
            }
            if (*cp == '\\' && cp[1] == 0)
                cp++;
        }
    }
}

/* tok_needs_quotes - must an atom's text be written as a quoted string? */
static int tok_needs_quotes(const char *text)
{
    const unsigned char *cp;

    /* An empty atom (a final backslash) is written as nothing at all. */
    for (cp = (const unsigned char *)text; *cp; cp++)
        if (*cp <= ' ' || *cp == 0x7f || strchr(TOK_SPECIALS, *cp))
            return (1);
    return (0);
}

/* tok_quote - append text as a quoted string */
static void tok_quote(VSTRING *out, const char *text)
{
    VSTRING_ADDCH(out, '"');
    for (; *text; text++) {
        if (*text == '"' || *text == '\\')
            VSTRING_ADDCH(out, '\\');
        VSTRING_ADDCH(out, *text);
    }
    VSTRING_ADDCH(out, '"');
}

/* tok_escape_backslash - append text with each backslash doubled */
static void tok_escape_backslash(VSTRING *out, const char *text)
{
    for (; *text; text++) {
        if (*text == '\\')
            VSTRING_ADDCH(out, '\\');
        VSTRING_ADDCH(out, *text);
    }
}

/* tok_join - write tokens [first, last) in external or internal form */
static void tok_join(VSTRING *out, const TOK *first, const TOK *last, int external)
{
    const TOK *tp;
    const TOK *prev = 0;

    VSTRING_RESET(out);
    for (tp = first; tp < last; prev = tp, tp++) {
        if (tp->type == ',') {
            vstring_strcat(out, ", ");
            continue;
        }
        if (prev && prev->type != ',' &&
            ((TOK_IS_WORD(prev->type) && TOK_IS_WORD(tp->type)) || tp->type == '<'))
            VSTRING_ADDCH(out, ' ');
        if (external && tp->type == TOK_QSTRING)
            tok_quote(out, vstring_str(tp->text));
        else if (external && tp->type == TOK_ATOM && tok_needs_quotes(vstring_str(tp->text)))
            tok_quote(out, vstring_str(tp->text));
        else if (external && tp->type == TOK_DOMLIT)
            tok_escape_backslash(out, vstring_str(tp->text));
        else
            vstring_strcat(out, vstring_str(tp->text));
    }
}

/* alias_tok_split - name and normalized value of an alias line */
int alias_tok_split(const char *line, VSTRING *name, VSTRING *value)
{
    TOK_LIST list = {0, 0, 0};
    int colon;
    int i;
    int status = ALIAS_TOK_OK;

    tok_scan(line, &list);
    for (colon = 0; colon < list.count && list.toks[colon].type != ':'; colon++)
        /* void */;
    if (colon == 0 || colon >= list.count - 1) {
        status = ALIAS_TOK_FORMAT;
    } else {
        for (i = 0; i < colon; i++) {
            if (list.toks[i].type == ',')
                status = ALIAS_TOK_FORMAT;
            else if (list.toks[i].type == '@' && status == ALIAS_TOK_OK)
                status = ALIAS_TOK_NOT_LOCAL;
        }
    }
    if (status == ALIAS_TOK_OK) {
        tok_join(name, list.toks, list.toks + colon, 0);
        tok_join(value, list.toks + colon + 1, list.toks + list.count, 1);
    }
    tok_free(&list);
    return (status);
}
