/* tok822_test - module tests for the RFC 5322 address tokenizer and parser */

#include <stdlib.h>
#include <string.h>

#include "mymalloc.h"
#include "testing.h"
#include "tok822.h"
#include "vstring.h"

/*
 * parse_summary - "external form|addr1 internal|addr2 internal..." of a
 * parsed header value, so that one string shows the whole result.
 */
static const char *parse_summary(VSTRING *out, const char *text, int limit)
{
    VSTRING *buf = vstring_alloc(100);
    TOK822 *tree = tok822_parse_limit(text, limit);
    TOK822 **addrs = tok822_grep(tree, TOK822_ADDR);
    TOK822 **tpp;

    tok822_externalize(out, tree, TOK822_STR_DEFL);
    for (tpp = addrs; *tpp; tpp++) {
        tok822_internalize(buf, (*tpp)->head, TOK822_STR_DEFL);
        vstring_sprintf_append(out, "|%s", vstring_str(buf));
    }
    myfree(addrs);
    tok822_free_tree(tree);
    vstring_free(buf);
    return (vstring_str(out));
}

static const struct {
    const char *in;
    const char *want;
} parse_cases[] = {
    {"user@example.com", "user@example.com|user@example.com"},
    {"\"a b\"@c", "\"a b\"@c|a b@c"},
    {"\"a\\\"b\\\\c\"@d", "\"a\\\"b\\\\c\"@d|a\"b\\c@d"},
    {"<@route,@r2:u@d>", "<@route,@r2:u@d>|@route,@r2:u@d"},
    {"Joe Q. Public <jqp@x.org> (home), \"Smith, J\" <j@y>",
     "Joe Q. Public <jqp@x.org> (home), \"Smith, J\" <j@y>|jqp@x.org|j@y"},
    {"group: a@b, c (x) @d; , e", "group: a@b, c@d (x);, e|a@b|c@d|e"},
    {"undisclosed-recipients:;", "undisclosed-recipients:;"},
    {"a (nested (comment) \\) here) @ b . c", "a@b.c (nested (comment) \\) here)|a@b.c"},
    {"x@[1.2.3.4]", "x@[1.2.3.4]|x@[1.2.3.4]"},
    {"a\\@b@c", "a\\@b@c|a@b@c"},
    {"<>", "<>|"},
    {"a <b> <c>", "a <b> <c>|c"},
    {"m\xc3\xbcller@b\xc3\xbc"
     "cher.de",
     "m\xc3\xbcller@b\xc3\xbc"
     "cher.de|m\xc3\xbcller@b\xc3\xbc"
     "cher.de"},
    {"\"J\xc3\xb6rg\" <j@x>", "\"J\xc3\xb6rg\" <j@x>|j@x"},
    {"a, , b", "a,, b|a|b"},
    {"", ""},
    {"  \t ", ""},
    {"To the: @a,@b:u@d", "To the: @a, @b:u@d|@a|@b:u@d"},
    {"<a@b>, \"x\" <c@d>", "<a@b>, \"x\" <c@d>|a@b|c@d"},
    {"a@b,\n\tc@d", "a@b, c@d|a@b|c@d"},
    {"\"folded\n string\"@x", "\"folded string\"@x|folded string@x"},
    {"user@host (Full Name)", "user@host (Full Name)|user@host"},
    {"list: a@b, \"c d\" <e@f>;, g@h", "list: a@b, \"c d\" <e@f>;, g@h|a@b|e@f|g@h"},
    {"Mary Smith <@machine.tld:mary@example.net>, , jdoe@test  . example",
     "Mary Smith <@machine.tld:mary@example.net>,, jdoe@test.example"
     "|@machine.tld:mary@example.net|jdoe@test.example"},
    /* Garbage: unbalanced delimiters are closed, nothing is lost or crashes. */
    {"\"unterminated@x", "\"unterminated@x\"|unterminated@x"},
    {"Joe <joe@x", "Joe <joe@x>|joe@x"},
    {"(unterminated (x", "(unterminated (x))"},
    {"[1.2.3", "[1.2.3]|[1.2.3]"},
    {"joe@x>", "joe@x>|joe@x"},
    {"a@b, <c@d, e@f", "a@b, <c@d>, e@f|a@b|c@d|e@f"},
    {">>><<<", ">>> <<<>|"},
    {"a\\", "a|a"},
    {"\\", ""},
    {"\"x\\", "\"x\"|x"},
    {"(x\\", "(x)"},
    {"))@((", "))@ (())|))@"},
    {"::;;,,", ": :;;,,"},
    {"]x[", "]x []|]x []"},
};

TEST(parse_table_of_addresses)
{
    VSTRING *out = vstring_alloc(100);
    size_t i;

    for (i = 0; i < sizeof(parse_cases) / sizeof(parse_cases[0]); i++) {
        parse_summary(out, parse_cases[i].in, 0);
        if (strcmp(vstring_str(out), parse_cases[i].want) != 0)
            printf("  case %zu: [%s]\n", i, parse_cases[i].in);
        CHECK_STR(vstring_str(out), parse_cases[i].want);
    }
    vstring_free(out);
}

TEST(scan_keeps_token_types_and_internal_text)
{
    static const int types[] = {
        TOK822_QSTRING, '@', TOK822_ATOM, '.', TOK822_ATOM, TOK822_COMMENT, '<',
        TOK822_DOMLIT,  '>', ':',         ';', ','};
    static const char *texts[] = {"a \"b", 0, "c", 0, "d", "x (y) z", 0, "1.2", 0, 0, 0, 0};
    TOK822 *tail;
    TOK822 *list = tok822_scan("\"a \\\"b\"@c.d (x (y) z) <[1.2]> : ; ,", &tail);
    TOK822 *tp;
    size_t i;

    for (i = 0, tp = list; tp; tp = tp->next, i++) {
        if (i >= sizeof(types) / sizeof(types[0]))
            break;
        CHECK_INT(tp->type, types[i]);
        if (texts[i])
            CHECK_STR(vstring_str(tp->vstr), texts[i]);
        else
            CHECK(tp->vstr == 0);
    }
    CHECK_INT(i, sizeof(types) / sizeof(types[0]));
    CHECK(tail != 0 && tail->type == ',' && tail->next == 0);
    tok822_free_tree(list);
}

TEST(scan_records_source_spans)
{
    const char *text = "Joe <j@x> (c)";
    TOK822 *list = tok822_scan_addr(text);
    TOK822 *tp = tok822_find_type(list, TOK822_COMMENT);

    CHECK(tp != 0);
    if (tp) {
        CHECK_INT(tp->start, 10);
        CHECK_INT(tp->end, 13);
        CHECK(tp->flags & TOK822_FLAG_SPACE);
    }
    CHECK_INT(list->start, 0);
    CHECK(!(list->flags & TOK822_FLAG_SPACE));
    tok822_free_tree(list);
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

    /* Many unclosed angle brackets and comments stay cheap too. */
    VSTRING_RESET(big);
    for (n = 0; n < 100000; n++)
        vstring_strcat(big, "<a)");
    tree = tok822_parse_limit(vstring_str(big), TOK822_DEF_TOKEN_LIMIT);
    CHECK(tree != 0);
    tok822_free_tree(tree);
    tree = tok822_parse_limit(vstring_str(big), 0);
    addrs = tok822_grep(tree, TOK822_ADDR);
    CHECK(addrs[0] != 0 && addrs[1] == 0);
    myfree(addrs);
    tok822_free_tree(tree);
    vstring_free(big);
}

TEST(externalize_flags_fold_and_truncate)
{
    VSTRING *out = vstring_alloc(100);
    VSTRING *big = vstring_alloc(400);
    TOK822 *tree = tok822_parse("a@b, \"C\" <c@d>, e@f");
    int n;

    tok822_externalize(out, tree, TOK822_STR_DEFL | TOK822_STR_LINE);
    CHECK_STR(vstring_str(out), "a@b,\n\t\"C\" <c@d>,\n\te@f");
    vstring_strcpy(out, "To: ");
    tok822_externalize(out, tree, TOK822_STR_TERM);
    CHECK_STR(vstring_str(out), "To: a@b, \"C\" <c@d>, e@f");
    tok822_free_tree(tree);

    for (n = 0; n < 300; n++)
        VSTRING_ADDCH(big, 'x');
    VSTRING_TERMINATE(big);
    vstring_sprintf(out, "\"%s\" <%s@d> (%s)", vstring_str(big), vstring_str(big),
                    vstring_str(big));
    tree = tok822_parse(vstring_str(out));
    tok822_externalize(out, tree, TOK822_STR_DEFL | TOK822_STR_TRNC);
    /* Phrase and comment are cut, the address is not. */
    CHECK_INT(VSTRING_LEN(out), 2 + 250 + 1 + 1 + 300 + 3 + 1 + 1 + 250 + 1);
    tok822_free_tree(tree);
    vstring_free(big);
    vstring_free(out);
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
    tok822_internalize(out, addr->head, TOK822_STR_DEFL);
    CHECK_STR(vstring_str(out), "x\"y@d");
    tok822_free_tree(addr);

    addr = tok822_alloc(TOK822_ATOM, "a b(c)");
    tok822_externalize(out, addr, TOK822_STR_DEFL);
    CHECK_STR(vstring_str(out), "a\\ b\\(c\\)");
    tok822_free_tree(addr);
    addr = tok822_alloc(TOK822_COMMENT, "unbalanced ) (");
    tok822_externalize(out, addr, TOK822_STR_DEFL);
    CHECK_STR(vstring_str(out), "(unbalanced \\) ())");
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

TEST(tree_surgery_keeps_links_consistent)
{
    VSTRING *out = vstring_alloc(100);
    TOK822 *addr = tok822_alloc(TOK822_ADDR, (char *)0);
    TOK822 *list = tok822_scan_addr("b@c");
    TOK822 *at = tok822_find_type(list, '@');
    TOK822 *rest;

    tok822_sub_append(addr, list);
    CHECK(addr->head == list && addr->tail->type == TOK822_ATOM && at->owner == addr);
    tok822_sub_prepend(addr, tok822_scan_addr("a."));
    tok822_externalize(out, addr->head, TOK822_STR_DEFL);
    CHECK_STR(vstring_str(out), "a.b@c");

    /* Replace the domain. */
    rest = tok822_sub_keep_before(addr, at->next);
    CHECK(addr->tail == at && rest->owner == 0);
    tok822_free_tree(rest);
    tok822_sub_append(addr, tok822_scan_addr("example.org"));
    tok822_externalize(out, addr->head, TOK822_STR_DEFL);
    CHECK_STR(vstring_str(out), "a.b@example.org");

    /* Drop the local part. */
    rest = tok822_sub_keep_after(addr, at);
    tok822_free_tree(rest);
    tok822_externalize(out, addr->head, TOK822_STR_DEFL);
    CHECK_STR(vstring_str(out), "example.org");
    CHECK(addr->head->prev == 0);

    /* Unlink the head and the tail, append and prepend at the top level. */
    tok822_free(tok822_unlink(addr->head));
    tok822_free(tok822_unlink(addr->tail));
    tok822_externalize(out, addr->head, TOK822_STR_DEFL);
    CHECK_STR(vstring_str(out), ".");
    list = tok822_scan_addr("x y stop z");
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
    tok822_free_tree(at);
    tok822_free_tree(rest);
    tok822_free_tree(list);
    tok822_free_tree(addr);
    vstring_free(out);
}

/* replace_addr - give an address new contents, as canonical mapping would */
static void replace_addr(TOK822 *addr, const char *external)
{
    if (addr->head)
        tok822_free_tree(tok822_sub_keep_after(addr, addr->tail));
    tok822_sub_append(addr, tok822_scan_addr(external));
}

TEST(rewrite_changes_only_the_changed_address)
{
    const char *src = "\"Joe\"   <joe@x> (work),\n\t  group: a (A) @ b, c@d;,\n mary@y";
    VSTRING *out = vstring_alloc(100);
    TOK822 *tree = tok822_parse(src);
    TOK822 **addrs = tok822_grep(tree, TOK822_ADDR);

    /* Nothing changed: the text comes back byte for byte. */
    CHECK_STR(vstring_str(tok822_rewrite(out, src, tree)), src);

    replace_addr(addrs[1], "\"a b\"@b.example");
    replace_addr(addrs[3], "mary@y");
    CHECK_STR(vstring_str(tok822_rewrite(out, src, tree)),
              "\"Joe\"   <joe@x> (work),\n\t  group: \"a b\"@b.example (A), c@d;,\n mary@y");
    replace_addr(addrs[0], "joe@x.example");
    replace_addr(addrs[3], "m@z");
    CHECK_STR(vstring_str(tok822_rewrite(out, src, tree)),
              "\"Joe\"   <joe@x.example> (work),\n\t  group: \"a b\"@b.example (A), c@d;,\n m@z");
    myfree(addrs);
    tok822_free_tree(tree);

    /* The empty address in "<>" gets its new text between the brackets. */
    tree = tok822_parse("Nobody <>");
    addrs = tok822_grep(tree, TOK822_ADDR);
    replace_addr(addrs[0], "MAILER-DAEMON@x");
    CHECK_STR(vstring_str(tok822_rewrite(out, "Nobody <>", tree)), "Nobody <MAILER-DAEMON@x>");
    myfree(addrs);
    tok822_free_tree(tree);
    vstring_free(out);
}

TEST(random_garbage_parses_and_round_trips)
{
    static const char alphabet[] = "ab@.,;:<>()[]\"\\ \t\n\xc3\xa9";
    VSTRING *text = vstring_alloc(100);
    VSTRING *out = vstring_alloc(100);
    VSTRING *again = vstring_alloc(100);
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
        tok822_externalize(out, tree, TOK822_STR_DEFL);
        CHECK_STR(vstring_str(tok822_rewrite(again, vstring_str(text), tree)), vstring_str(text));
        tok822_free_tree(tree);

        /* External output is stable: parsing it again gives the same text. */
        tree = tok822_parse(vstring_str(out));
        tok822_externalize(again, tree, TOK822_STR_DEFL);
        if (strcmp(vstring_str(again), vstring_str(out)) != 0)
            printf("  unstable: [%s] -> [%s] -> [%s]\n", vstring_str(text), vstring_str(out),
                   vstring_str(again));
        CHECK_STR(vstring_str(again), vstring_str(out));
        tok822_free_tree(tree);
    }
    vstring_free(text);
    vstring_free(out);
    vstring_free(again);
}

int main(void)
{
    RUN(parse_table_of_addresses);
    RUN(scan_keeps_token_types_and_internal_text);
    RUN(scan_records_source_spans);
    RUN(token_limit_discards_the_excess);
    RUN(externalize_flags_fold_and_truncate);
    RUN(hand_made_tokens_are_quoted_on_output);
    RUN(find_local_part_and_domain);
    RUN(tree_surgery_keeps_links_consistent);
    RUN(rewrite_changes_only_the_changed_address);
    RUN(random_garbage_parses_and_round_trips);
    return (TESTS_DONE());
}
