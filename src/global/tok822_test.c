/*
 * tok822_test - module tests for the RFC 5322 address tokenizer and parser.
 *
 * The tables hold results of Postfix 3.7's tok822 functions for the same
 * input (tree shape, external, internal and header forms), obtained by
 * running both implementations side by side.
 */

#include <stdlib.h>
#include <string.h>

#include "mymalloc.h"
#include "testing.h"
#include "tok822.h"
#include "vstring.h"

/* dump_tree - tokens as "ATOM[text] @ ADDR{ ... }", owner links checked */
static void dump_tree(VSTRING *out, const TOK822 *list, const TOK822 *owner)
{
    const TOK822 *tp;

    for (tp = list; tp; tp = tp->next) {
        if (tp->owner != owner)
            vstring_strcat(out, "!OWN");
        switch (tp->type) {
        case TOK822_ATOM:
            vstring_sprintf_append(out, " ATOM[%s]", vstring_str(tp->vstr));
            break;
        case TOK822_QSTRING:
            vstring_sprintf_append(out, " QS[%s]", vstring_str(tp->vstr));
            break;
        case TOK822_COMMENT:
            vstring_sprintf_append(out, " CMT[%s]", vstring_str(tp->vstr));
            break;
        case TOK822_DOMLIT:
            vstring_sprintf_append(out, " DL[%s]", vstring_str(tp->vstr));
            break;
        case TOK822_STARTGRP:
            vstring_strcat(out, " GRP");
            break;
        case TOK822_ADDR:
            vstring_strcat(out, " ADDR");
            break;
        default:
            vstring_sprintf_append(out, " %c", tp->type);
            break;
        }
        if (tp->head) {
            vstring_strcat(out, "{");
            dump_tree(out, tp->head, tp);
            vstring_strcat(out, " }");
        }
    }
}

static const struct {
    const char *in;
    const char *tree;     /* parse tree, as dump_tree() shows it */
    const char *external; /* tok822_externalize(TOK822_STR_DEFL) */
    const char *internal; /* tok822_internalize(TOK822_STR_DEFL) */
    const char *header;   /* tok822_externalize(TOK822_STR_DEFL | TOK822_STR_HEAD) */
} parse_cases[] = {
    {"user@example.com",
     "ADDR{ ATOM[user] @ ATOM[example] . ATOM[com] }",
     "user@example.com",
     "user@example.com",
     "user@example.com"},
    {"a\"b\"c@x",
     "ADDR{ ATOM[a] } , ADDR{ QS[b] } , ADDR{ ATOM[c] @ ATOM[x] }",
     "a, b, c@x",
     "a, b, c@x",
     "a,\x0a""b,\x0a""c@x"},
    {"a(b)c@x",
     "ADDR{ ATOM[a] } , ADDR{ ATOM[c] @ ATOM[x] } CMT[(b)]",
     "a, c@x (b)",
     "a, c@x (b)",
     "a,\x0a""c@x (b)"},
    {"a\x5c""@b@c",
     "ADDR{ QS[a@b] @ ATOM[c] }",
     "\"a@b\"@c",
     "a@b@c",
     "\"a@b\"@c"},
    {"a!b@c",
     "ADDR{ ATOM[a] ! ATOM[b] @ ATOM[c] }",
     "a!b@c",
     "a!b@c",
     "a!b@c"},
    {"site!user",
     "ADDR{ ATOM[site] ! ATOM[user] }",
     "site!user",
     "site!user",
     "site!user"},
    {"user%domain",
     "ADDR{ ATOM[user] % ATOM[domain] }",
     "user%domain",
     "user%domain",
     "user%domain"},
    {"a|b@c",
     "ADDR{ ATOM[a] | ATOM[b] @ ATOM[c] }",
     "a|b@c",
     "a|b@c",
     "a|b@c"},
    {"@a,@b:u@d",
     "ADDR{ @ ATOM[a] } , ADDR{ @ ATOM[b] : ATOM[u] @ ATOM[d] }",
     "\"\"@a, @b:u@d",
     "@a, @b:u@d",
     "\"\"@a,\x0a""@b:u@d"},
    {"<@a,@b:u@d>",
     "< ADDR{ @ ATOM[a] , @ ATOM[b] : ATOM[u] @ ATOM[d] } >",
     "<@a,@b:u@d>",
     "<@a,@b:u@d>",
     "<@a,@b:u@d>"},
    {"\"\"",
     "ADDR{ QS[] }",
     "\"\"",
     "",
     "\"\""},
    {"<>",
     "< >",
     "<>",
     "<>",
     "<>"},
    {"Joe <a@b>",
     "ATOM[Joe] < ADDR{ ATOM[a] @ ATOM[b] } >",
     "Joe <a@b>",
     "Joe <a@b>",
     "Joe <a@b>"},
    {"Joe . Smith <a@b>",
     "ATOM[Joe] . ATOM[Smith] < ADDR{ ATOM[a] @ ATOM[b] } >",
     "Joe.Smith <a@b>",
     "Joe.Smith <a@b>",
     "Joe.Smith <a@b>"},
    {"<a@b>(c)",
     "< ADDR{ ATOM[a] @ ATOM[b] } > CMT[(c)]",
     "<a@b>(c)",
     "<a@b>(c)",
     "<a@b>(c)"},
    {"a@b , c@d",
     "ADDR{ ATOM[a] @ ATOM[b] } , ADDR{ ATOM[c] @ ATOM[d] }",
     "a@b, c@d",
     "a@b, c@d",
     "a@b,\x0a""c@d"},
    {"\"Joe\" <a@b>",
     "QS[Joe] < ADDR{ ATOM[a] @ ATOM[b] } >",
     "\"Joe\" <a@b>",
     "Joe <a@b>",
     "\"Joe\" <a@b>"},
    {"a b c@x",
     "ADDR{ ATOM[a] } , ADDR{ ATOM[b] } , ADDR{ ATOM[c] @ ATOM[x] }",
     "a, b, c@x",
     "a, b, c@x",
     "a,\x0a""b,\x0a""c@x"},
    {"group: a@b, c (x) @d; , e",
     "ATOM[group] GRP ADDR{ ATOM[a] @ ATOM[b] } , ADDR{ ATOM[c] @ ATOM[d] } CMT[(x)] ; , ADDR{ ATOM[e] }",
     "group: a@b, c@d (x);, e",
     "group: a@b, c@d (x);, e",
     "group: a@b,\x0a""c@d (x);,\x0a""e"},
    {"undisclosed-recipients:;",
     "ATOM[undisclosed-recipients] GRP ;",
     "undisclosed-recipients: ;",
     "undisclosed-recipients: ;",
     "undisclosed-recipients: ;"},
    {"a (nested (comment) \x5c"") here) @ b . c",
     "ADDR{ ATOM[a] @ ATOM[b] . ATOM[c] } CMT[(nested (comment) \x5c"") here)]",
     "a@b.c (nested (comment) \x5c"") here)",
     "a@b.c (nested (comment) \x5c"") here)",
     "a@b.c (nested (comment) \x5c"") here)"},
    {"x@[1.2.3.4]",
     "ADDR{ ATOM[x] @ DL[1.2.3.4] }",
     "x@[1.2.3.4]",
     "x@[1.2.3.4]",
     "x@[1.2.3.4]"},
    {"x@[1.2\x5c""]3]",
     "ADDR{ ATOM[x] @ DL[1.2]3] }",
     "x@[1.2]3]",
     "x@[1.2]3]",
     "x@[1.2]3]"},
    {"\"a\x5c""\"b\x5c""\x5c""c\"@d",
     "ADDR{ QS[a\"b\x5c""c] @ ATOM[d] }",
     "\"a\x5c""\"b\x5c""\x5c""c\"@d",
     "a\"b\x5c""c@d",
     "\"a\x5c""\"b\x5c""\x5c""c\"@d"},
    {"Joe Q. Public <jqp@x.org> (home), \"Smith, J\" <j@y>",
     "ATOM[Joe] ATOM[Q] . ATOM[Public] < ADDR{ ATOM[jqp] @ ATOM[x] . ATOM[org] } > CMT[(home)] , QS[Smith, J] < ADDR{ ATOM[j] @ ATOM[y] } >",
     "Joe Q.Public <jqp@x.org>(home), \"Smith, J\" <j@y>",
     "Joe Q.Public <jqp@x.org>(home), Smith, J <j@y>",
     "Joe Q.Public <jqp@x.org>(home),\x0a""\"Smith, J\" <j@y>"},
    {"\"unterminated@x",
     "ADDR{ QS[unterminated@x] }",
     "unterminated@x",
     "unterminated@x",
     "unterminated@x"},
    {"Joe <joe@x",
     "ADDR{ ATOM[Joe] < ATOM[joe] @ ATOM[x] }",
     "\"Joe<joe\"@x",
     "Joe<joe@x",
     "\"Joe<joe\"@x"},
    {"(unterminated (x",
     "CMT[(unterminated (x]",
     "(unterminated (x",
     "(unterminated (x",
     "(unterminated (x"},
    {"[1.2.3",
     "ADDR{ DL[1.2.3] }",
     "\"[1.2.3]\"",
     "[1.2.3]",
     "\"[1.2.3]\""},
    {"joe@x>",
     "ADDR{ ATOM[joe] @ ATOM[x] } >",
     "joe@x>",
     "joe@x>",
     "joe@x>"},
    {"a@b, <c@d, e@f",
     "ADDR{ ATOM[a] @ ATOM[b] } , ADDR{ < ATOM[c] @ ATOM[d] } , ADDR{ ATOM[e] @ ATOM[f] }",
     "a@b, \"<c\"@d, e@f",
     "a@b, <c@d, e@f",
     "a@b,\x0a""\"<c\"@d,\x0a""e@f"},
    {">>><<<",
     "ADDR{ > > } > , ADDR{ < < < }",
     "\">>\">, \"<<<\"",
     ">>>, <<<",
     "\">>\">,\x0a""\"<<<\""},
    {"a\x5c""",
     "ADDR{ ATOM[a] }",
     "a",
     "a",
     "a"},
    {"\x5c""",
     "ADDR{ ATOM[] }",
     "\"\"",
     "",
     "\"\""},
    {"\"x\x5c""",
     "ADDR{ QS[x] }",
     "x",
     "x",
     "x"},
    {"(x\x5c""",
     "CMT[(x\x5c""]",
     "(x\x5c""",
     "(x\x5c""",
     "(x\x5c"""},
    {"))@((",
     "ADDR{ ) ) @ } CMT[((]",
     "\"))\"@ ((",
     "))@ ((",
     "\"))\"@ (("},
    {"::;;,,",
     ": GRP ; ; , ,",
     ":: ;;, , ",
     ":: ;;, ,",
     ":: ;;,\x0a"",\x0a"""},
    {"]x[",
     "ADDR{ ] ATOM[x] } , ADDR{ DL[] }",
     "\"]x\", \"[]\"",
     "]x, []",
     "\"]x\",\x0a""\"[]\""},
    {"a b <c> d",
     "ATOM[a] ATOM[b] < ADDR{ ATOM[c] } > , ADDR{ ATOM[d] }",
     "a b <c>, d",
     "a b <c>, d",
     "a b <c>,\x0a""d"},
    {"a <b> <c>",
     "ATOM[a] < ADDR{ ATOM[b] } > < ADDR{ ATOM[c] } >",
     "a <b> <c>",
     "a <b> <c>",
     "a <b> <c>"},
    {"a <b <c> d> e",
     "ATOM[a] < ATOM[b] < ADDR{ ATOM[c] > ATOM[d] } > , ADDR{ ATOM[e] }",
     "a <b <\"c>d\">, e",
     "a <b <c>d>, e",
     "a <b <\"c>d\">,\x0a""e"},
    {"Mary Smith <@machine.tld:mary@example.net>, , jdoe@test  . example",
     "ATOM[Mary] ATOM[Smith] < ADDR{ @ ATOM[machine] . ATOM[tld] : ATOM[mary] @ ATOM[example] . ATOM[net] } > , , ADDR{ ATOM[jdoe] @ ATOM[test] . ATOM[example] }",
     "Mary Smith <@machine.tld:mary@example.net>, , jdoe@test.example",
     "Mary Smith <@machine.tld:mary@example.net>, , jdoe@test.example",
     "Mary Smith <@machine.tld:mary@example.net>,\x0a"",\x0a""jdoe@test.example"},
    {"a@b,\x0a""\x09""c@d",
     "ADDR{ ATOM[a] @ ATOM[b] } , ADDR{ ATOM[c] @ ATOM[d] }",
     "a@b, c@d",
     "a@b, c@d",
     "a@b,\x0a""c@d"},
    {"\"folded\x0a"" string\"@x",
     "ADDR{ QS[folded  string] @ ATOM[x] }",
     "\"folded  string\"@x",
     "folded  string@x",
     "\"folded  string\"@x"},
    {"m\xc3""\xbc""ller@b\xc3""\xbc""cher.de",
     "ADDR{ ATOM[m\xc3""\xbc""ller] @ ATOM[b\xc3""\xbc""cher] . ATOM[de] }",
     "m\xc3""\xbc""ller@b\xc3""\xbc""cher.de",
     "m\xc3""\xbc""ller@b\xc3""\xbc""cher.de",
     "m\xc3""\xbc""ller@b\xc3""\xbc""cher.de"},
    {"\"J\xc3""\xb6""rg\" <j@x>",
     "QS[J\xc3""\xb6""rg] < ADDR{ ATOM[j] @ ATOM[x] } >",
     "\"J\xc3""\xb6""rg\" <j@x>",
     "J\xc3""\xb6""rg <j@x>",
     "\"J\xc3""\xb6""rg\" <j@x>"},
    {"a;b",
     "ADDR{ ATOM[a] } ; , ADDR{ ATOM[b] }",
     "a;, b",
     "a;, b",
     "a;,\x0a""b"},
    {"a;b <c>",
     "ADDR{ ATOM[a] } ; ATOM[b] < ADDR{ ATOM[c] } >",
     "a;b <c>",
     "a;b <c>",
     "a;b <c>"},
    {"g: x <y>;",
     "ATOM[g] GRP ATOM[x] < ADDR{ ATOM[y] } > ;",
     "g: x <y>;",
     "g: x <y>;",
     "g: x <y>;"},
    {"g: a b;",
     "ATOM[g] GRP ADDR{ ATOM[a] } , ADDR{ ATOM[b] } ;",
     "g: a, b;",
     "g: a, b;",
     "g: a,\x0a""b;"},
    {"g: a b",
     "ADDR{ ATOM[g] : ATOM[a] } , ADDR{ ATOM[b] }",
     "\"g:a\", b",
     "g:a, b",
     "\"g:a\",\x0a""b"},
    {"a: <x> b:",
     "ADDR{ ATOM[a] } : < ADDR{ ATOM[x] } > , ADDR{ ATOM[b] : }",
     "a: <x>, \"b:\"",
     "a: <x>, b:",
     "a: <x>,\x0a""\"b:\""},
    {"a;b:c;",
     "ATOM[a] ; ATOM[b] GRP ADDR{ ATOM[c] } ;",
     "a;b: c;",
     "a;b: c;",
     "a;b: c;"},
    {"x <a:b> y:z;",
     "ATOM[x] < ATOM[a] : ATOM[b] > ATOM[y] GRP ADDR{ ATOM[z] } ;",
     "x <a:b>y: z;",
     "x <a:b>y: z;",
     "x <a:b>y: z;"},
    {":a, b:c;",
     "GRP ADDR{ ATOM[a] } , ATOM[b] GRP ADDR{ ATOM[c] } ;",
     ": a, b: c;",
     ": a, b: c;",
     ": a,\x0a""b: c;"},
    {"<a (c) @b> (d)",
     "< ADDR{ ATOM[a] @ ATOM[b] } CMT[(c)] > CMT[(d)]",
     "<a@b (c)>(d)",
     "<a@b (c)>(d)",
     "<a@b (c)>(d)"},
    {"a (c) b (d) @ e (f) . g (h) (i)",
     "ADDR{ ATOM[a] } , ADDR{ ATOM[b] @ ATOM[e] . ATOM[g] } CMT[(c)] CMT[(d)] CMT[(f)] CMT[(h)] CMT[(i)]",
     "a, b@e.g (c) (d) (f) (h) (i)",
     "a, b@e.g (c) (d) (f) (h) (i)",
     "a,\x0a""b@e.g (c) (d) (f) (h) (i)"},
    {"a <b> (c) d",
     "ATOM[a] < ADDR{ ATOM[b] } > , ADDR{ ATOM[d] } CMT[(c)]",
     "a <b>, d (c)",
     "a <b>, d (c)",
     "a <b>,\x0a""d (c)"},
    {"a,",
     "ADDR{ ATOM[a] } ,",
     "a, ",
     "a,",
     "a,\x0a"""},
    {"\x5c""(a)",
     "ADDR{ QS[(a] ) }",
     "\"(a)\"",
     "(a)",
     "\"(a)\""},
    {"a\x5c""\x0a""b",
     "ADDR{ QS[a b] }",
     "\"a b\"",
     "a b",
     "\"a b\""},
    {"a\x01""b@c",
     "ADDR{ QS[a\x01""b] @ ATOM[c] }",
     "\"a\x01""b\"@c",
     "a\x01""b@c",
     "\"a\x01""b\"@c"},
    {"a\x5c"".b@c",
     "ADDR{ QS[a.b] @ ATOM[c] }",
     "a.b@c",
     "a.b@c",
     "a.b@c"},
};

TEST(parse_table_as_postfix)
{
    VSTRING *out = vstring_alloc(100);
    TOK822 *tree;
    size_t i;

    for (i = 0; i < sizeof(parse_cases) / sizeof(parse_cases[0]); i++) {
        tree = tok822_parse(parse_cases[i].in);
        VSTRING_RESET(out);
        dump_tree(out, tree, 0);
        VSTRING_TERMINATE(out);
        if (strcmp(vstring_str(out) + (VSTRING_LEN(out) > 0), parse_cases[i].tree) != 0)
            printf("  case %zu: [%s]\n", i, parse_cases[i].in);
        CHECK_STR(vstring_str(out) + (VSTRING_LEN(out) > 0), parse_cases[i].tree);
        CHECK_STR(vstring_str(tok822_externalize(out, tree, TOK822_STR_DEFL)),
                  parse_cases[i].external);
        CHECK_STR(vstring_str(tok822_internalize(out, tree, TOK822_STR_DEFL)),
                  parse_cases[i].internal);
        CHECK_STR(vstring_str(tok822_externalize(out, tree, TOK822_STR_DEFL | TOK822_STR_HEAD)),
                  parse_cases[i].header);
        tok822_free_tree(tree);
    }
    vstring_free(out);
}

/* addr_forms - "external|internal" of one address from tok822_scan_addr() */
static const char *addr_forms(VSTRING *out, const char *text)
{
    VSTRING *tmp = vstring_alloc(100);
    TOK822 *addr = tok822_scan_addr(text);

    tok822_externalize(out, addr, TOK822_STR_DEFL);
    tok822_internalize(tmp, addr, TOK822_STR_DEFL);
    vstring_sprintf_append(out, "|%s", vstring_str(tmp));
    tok822_free_tree(addr);
    vstring_free(tmp);
    return (vstring_str(out));
}

TEST(scan_addr_quotes_the_whole_local_part)
{
    static const struct {
        const char *in;
        const char *want;
    } cases[] = {
        {"a\"b\"c@x", "\"a b c\"@x|a b c@x"},
        {"a(b)c@x", "\"a (b) c\"@x|a (b) c@x"},
        {"a\\@b@c", "\"a@b\"@c|a@b@c"},
        {"a b c@x", "\"a b c\"@x|a b c@x"},
        {"\"\"", "\"\"|"},
        {"@a,@b:u@d", "@a, @b:u@d|@a, @b:u@d"},
        {"<@a,@b:u@d>", "\"<@a, @b:u\"@d>|<@a, @b:u@d>"},
        {"Joe <a@b>", "\"Joe <a\"@b>|Joe <a@b>"},
        {"site!user", "site!user|site!user"},
        {"user%domain@x", "user%domain@x|user%domain@x"},
        {"x@[1.2.3.4]", "x@[1.2.3.4]|x@[1.2.3.4]"},
        {"\\", "\"\"|"},
        {"::;;,,", "\"::;;, ,\"|::;;, ,"},
    };
    VSTRING *out = vstring_alloc(100);
    size_t i;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        CHECK_STR(addr_forms(out, cases[i].in), cases[i].want);
    vstring_free(out);
}

/* scan_summary - "TYPE[text] ..." of a flat token list */
static const char *scan_summary(VSTRING *out, const char *text, int limit)
{
    TOK822 *tail;
    TOK822 *list = tok822_scan_limit(text, &tail, limit);

    VSTRING_RESET(out);
    dump_tree(out, list, 0);
    VSTRING_TERMINATE(out);
    CHECK(list == 0 || (tail != 0 && tail->next == 0));
    tok822_free_tree(list);
    return (vstring_str(out) + (VSTRING_LEN(out) > 0));
}

TEST(scan_token_types_and_text)
{
    static const struct {
        const char *in;
        const char *want;
    } cases[] = {
        {"a!b%c|d=e", "ATOM[a] ! ATOM[b] % ATOM[c] | ATOM[d=e]"},
        {"a\\@b a\\.b a\\ b a\\\\b a\\xb", "QS[a@b] QS[a.b] QS[a b] QS[a\\b] ATOM[axb]"},
        {"a\001b a\177b a\xc3\xa9", "QS[a\001b] QS[a\177b] ATOM[a\xc3\xa9]"},
        {"a\vb a\fb", "QS[a\vb] QS[a\fb]"},
        {"a\\\nb", "QS[a b]"},
        {"\"a\r\nb\tc\\\"d\\\\e\"", "QS[a  b c\"d\\e]"},
        {"[a\\]b\rc] [d", "DL[a]b c] DL[d]"},
        {"(a (b) \\) \r\n c) (d", "CMT[(a (b) \\) \r\n c)] CMT[(d]"},
        {"(x\\", "CMT[(x\\]"},
        {"\\", "ATOM[]"},
        {"\"x\\", "QS[x]"},
        {"\\(a)", "QS[(a] )"},
    };
    VSTRING *out = vstring_alloc(100);
    size_t i;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        CHECK_STR(scan_summary(out, cases[i].in, 0), cases[i].want);
    CHECK_STR(scan_summary(out, "a b c d", 3), "ATOM[a] ATOM[b] ATOM[c]");
    CHECK_STR(scan_summary(out, "", 0), "");
    vstring_free(out);
}

TEST(token_limit_discards_the_excess)
{
    VSTRING *big = vstring_alloc(300000);
    TOK822 *tree;
    TOK822 **addrs;
    TOK822 *tp;
    int count;
    int n;

    /* 50,000 addresses of 1 token, with commas: 100,000 tokens. */
    for (n = 0; n < 50000; n++)
        vstring_strcat(big, n ? ",a" : "a");
    tree = tok822_parse_limit(vstring_str(big), TOK822_DEF_TOKEN_LIMIT);
    for (count = 0, tp = tree; tp; tp = tp->next)
        count++;
    CHECK_INT(count, TOK822_DEF_TOKEN_LIMIT);
    addrs = tok822_grep(tree, TOK822_ADDR);
    for (n = 0; addrs[n]; n++)
        /* void */;
    CHECK_INT(n, TOK822_DEF_TOKEN_LIMIT / 2);
    myfree(addrs);
    tok822_free_tree(tree);

    /* Without a limit, everything is parsed, in linear time. */
    tree = tok822_parse_limit(vstring_str(big), 0);
    addrs = tok822_grep(tree, TOK822_ADDR);
    for (n = 0; addrs[n]; n++)
        /* void */;
    CHECK_INT(n, 50000);
    myfree(addrs);
    tok822_free_tree(tree);

    /* Many unclosed angle brackets and comments: one long address. */
    VSTRING_RESET(big);
    for (n = 0; n < 100000; n++)
        vstring_strcat(big, "<a)");
    tree = tok822_parse_limit(vstring_str(big), 0);
    addrs = tok822_grep(tree, TOK822_ADDR);
    CHECK(addrs[0] != 0 && addrs[1] == 0);
    myfree(addrs);
    tok822_free_tree(tree);
    vstring_free(big);
}

/* header_form - a parsed list written as a header value (TOK822_STR_HEAD) */
static const char *header_form(VSTRING *out, const char *text)
{
    TOK822 *tree = tok822_parse(text);

    vstring_strcpy(out, "To: ");
    tok822_externalize(out, tree, TOK822_STR_HEAD);
    tok822_free_tree(tree);
    return (vstring_str(out));
}

TEST(header_form_strips_overlong_phrases_and_comments)
{
    VSTRING *out = vstring_alloc(100);
    VSTRING *in = vstring_alloc(400);
    VSTRING *y = vstring_alloc(300);
    VSTRING *want = vstring_alloc(400);

    CHECK_STR(header_form(out, "a@b, \"C\" <c@d>, e@f"), "To: a@b,\n\"C\" <c@d>,\ne@f");
    CHECK_STR(header_form(out, "a,"), "To: a,\n");

    /*
     * The limit is on an element's text besides its last address: a phrase
     * of 247 bytes plus " <" and ">" is 250 and stays, 248 is cut.
     */
    vstring_sprintf(y, "%0247d", 0);
    vstring_sprintf(in, "%s <a@b>, x", vstring_str(y));
    vstring_sprintf(want, "To: %s <a@b>,\nx", vstring_str(y));
    CHECK_STR(header_form(out, vstring_str(in)), vstring_str(want));
    vstring_sprintf(y, "%0248d", 0);
    vstring_sprintf(in, "x, %s <a@b>, y", vstring_str(y));
    CHECK_STR(header_form(out, vstring_str(in)), "To: x,\n<a@b>,\ny");

    /* Comments count; the last address of the element, or "<>", is kept. */
    vstring_sprintf(in, "g: (%s) <a@b> <c@d>;", vstring_str(y));
    CHECK_STR(header_form(out, vstring_str(in)), "To: <c@d>");
    vstring_sprintf(in, "<x> (%s) <>", vstring_str(y));
    CHECK_STR(header_form(out, vstring_str(in)), "To: <>");
    vstring_sprintf(in, "\"a b\"@c (%s)", vstring_str(y));
    CHECK_STR(header_form(out, vstring_str(in)), "To: <\"a b\"@c>");

    /* Without an address or "<>" nothing is cut. */
    vstring_sprintf(in, "(%s) >", vstring_str(y));
    vstring_sprintf(want, "To: (%s)>", vstring_str(y));
    CHECK_STR(header_form(out, vstring_str(in)), vstring_str(want));

    vstring_free(out);
    vstring_free(in);
    vstring_free(y);
    vstring_free(want);
}

TEST(hand_made_tokens_are_quoted_on_output)
{
    VSTRING *out = vstring_alloc(100);
    TOK822 *addr = tok822_alloc(TOK822_ADDR, (char *)0);

    tok822_sub_append(addr, tok822_alloc(TOK822_QSTRING, "x\"y"));
    tok822_sub_append(addr, tok822_alloc('@', (char *)0));
    tok822_sub_append(addr, tok822_alloc(TOK822_ATOM, "d"));
    tok822_externalize(out, addr->head, TOK822_STR_DEFL);
    CHECK_STR(vstring_str(out), "\"x\\\"y\"@d");
    tok822_externalize(out, addr, TOK822_STR_DEFL);
    CHECK_STR(vstring_str(out), "\"x\\\"y\"@d");
    tok822_internalize(out, addr->head, TOK822_STR_DEFL);
    CHECK_STR(vstring_str(out), "x\"y@d");
    tok822_free_tree(addr);

    addr = tok822_alloc(TOK822_DOMLIT, "a\\b\r");
    tok822_externalize(out, addr, TOK822_STR_DEFL);
    CHECK_STR(vstring_str(out), "[a\\\\b\\\r]");
    tok822_internalize(out, addr, TOK822_STR_DEFL);
    CHECK_STR(vstring_str(out), "[a\\b\r]");
    tok822_free_tree(addr);
    vstring_free(out);
}

TEST(find_local_part_and_domain)
{
    VSTRING *out = vstring_alloc(100);
    TOK822 *tree = tok822_parse("Joe <\"a@b\"@example.com>");
    TOK822 **addrs = tok822_grep(tree, TOK822_ADDR);
    TOK822 *at;

    CHECK(addrs[0] != 0 && addrs[1] == 0);
    at = tok822_rfind_type(addrs[0]->tail, '@');
    CHECK(at != 0 && at->prev != 0 && at->prev->type == TOK822_QSTRING);
    tok822_internalize(out, at->next, TOK822_STR_DEFL);
    CHECK_STR(vstring_str(out), "example.com");
    CHECK(tok822_find_type(addrs[0]->head, '@') == at);
    CHECK(tok822_find_type(tree, TOK822_COMMENT) == 0);
    CHECK(tok822_rfind_type(at->prev, '@') == 0);
    myfree(addrs);
    tok822_free_tree(tree);
    vstring_free(out);
}

/* count_atom - tok822_apply() action */
static int atom_count;

static int count_atom(TOK822 *tp)
{
    atom_count++;
    return (strcmp(vstring_str(tp->vstr), "stop") == 0);
}

/* tree_summary - dump and internal form of a node */
static const char *tree_summary(VSTRING *out, TOK822 *addr)
{
    VSTRING *tmp = vstring_alloc(100);

    VSTRING_RESET(out);
    dump_tree(out, addr, 0);
    tok822_internalize(tmp, addr, TOK822_STR_DEFL);
    vstring_sprintf_append(out, "|%s", vstring_str(tmp));
    vstring_free(tmp);
    return (vstring_str(out));
}

TEST(tree_surgery_as_postfix)
{
    VSTRING *out = vstring_alloc(100);
    TOK822 *addr = tok822_alloc(TOK822_ADDR, (char *)0);

    /* Children added to a node are owned: no spaces between them. */
    tok822_sub_append(addr, tok822_scan("x y", (TOK822 **)0));
    tok822_sub_append(addr, tok822_scan("z w", (TOK822 **)0));
    tok822_sub_prepend(addr, tok822_scan("m n", (TOK822 **)0));
    CHECK_STR(tree_summary(out, addr),
              " ADDR{ ATOM[m] ATOM[n] ATOM[x] ATOM[y] ATOM[z] ATOM[w] }|mnxyzw");
    tok822_free_tree(tok822_sub_keep_before(addr, addr->head->next->next));
    CHECK_STR(tree_summary(out, addr), " ADDR{ ATOM[m] ATOM[n] }|mn");
    tok822_free_tree(addr);

    /* Those of tok822_scan_addr() are not, nor what is added next to them. */
    addr = tok822_scan_addr("p q");
    tok822_sub_append(addr, tok822_scan("r t", (TOK822 **)0));
    tok822_sub_prepend(addr, tok822_scan("m n", (TOK822 **)0));
    CHECK_STR(tree_summary(out, addr), " ADDR{!OWN ATOM[m]!OWN ATOM[n]!OWN ATOM[p]!OWN ATOM[q]"
                                       "!OWN ATOM[r]!OWN ATOM[t] }|m n p q r t");
    tok822_free_tree(tok822_sub_keep_after(addr, addr->head->next));
    CHECK_STR(tree_summary(out, addr), " ADDR{!OWN ATOM[p]!OWN ATOM[q]!OWN ATOM[r]!OWN ATOM[t] }"
                                       "|p q r t");
    tok822_free_tree(addr);
    vstring_free(out);
}

TEST(list_surgery_keeps_links_consistent)
{
    VSTRING *out = vstring_alloc(100);
    TOK822 *list = tok822_scan("x y stop z", (TOK822 **)0);
    TOK822 *rest;
    TOK822 *at;

    tok822_append(list, tok822_alloc(',', (char *)0));
    tok822_prepend(list, tok822_alloc(TOK822_ATOM, "w"));
    while (list->prev)
        list = list->prev;
    tok822_externalize(out, list, TOK822_STR_DEFL);
    CHECK_STR(vstring_str(out), "w x, y stop z");
    atom_count = 0;
    CHECK_INT(tok822_apply(list, TOK822_ATOM, count_atom), 1);
    CHECK_INT(atom_count, 4);
    rest = tok822_cut_after(list->next);
    CHECK(rest != 0 && rest->prev == 0 && rest->type == ',');
    at = rest->next;
    CHECK(tok822_cut_before(at) == rest && rest->next == 0 && at->prev == 0);
    tok822_free(tok822_unlink(at));
    tok822_free_tree(rest);
    tok822_free_tree(list);
    vstring_free(out);
}

TEST(random_garbage_parses)
{
    static const char alphabet[] = "ab@.,;:<>()[]\"\\ \t\n!%\xc3\xa9";
    VSTRING *text = vstring_alloc(100);
    VSTRING *out = vstring_alloc(100);
    unsigned long seed = 1;
    TOK822 *tree;
    int round;
    int n;

    for (round = 0; round < 3000; round++) {
        VSTRING_RESET(text);
        for (n = 0; n < 1 + round % 40; n++) {
            seed = seed * 1103515245 + 12345;
            VSTRING_ADDCH(text, alphabet[(seed >> 16) % (sizeof(alphabet) - 1)]);
        }
        VSTRING_TERMINATE(text);
        tree = tok822_parse_limit(vstring_str(text), 1 + round % 50);
        tok822_externalize(out, tree, TOK822_STR_DEFL | TOK822_STR_HEAD);
        tok822_internalize(out, tree, TOK822_STR_DEFL);
        VSTRING_RESET(out);
        dump_tree(out, tree, 0);
        tok822_free_tree(tree);
    }
    vstring_free(text);
    vstring_free(out);
}

int main(void)
{
    RUN(parse_table_as_postfix);
    RUN(scan_addr_quotes_the_whole_local_part);
    RUN(scan_token_types_and_text);
    RUN(token_limit_discards_the_excess);
    RUN(header_form_strips_overlong_phrases_and_comments);
    RUN(hand_made_tokens_are_quoted_on_output);
    RUN(find_local_part_and_domain);
    RUN(tree_surgery_as_postfix);
    RUN(list_surgery_keeps_links_consistent);
    RUN(random_garbage_parses);
    return (TESTS_DONE());
}
