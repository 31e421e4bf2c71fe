/* quote_822_local_test - module tests for local-part quoting and quote flags */

#include <string.h>

#include "msg.h"
#include "quote_822_local.h"
#include "testing.h"
#include "tok822.h"
#include "vstring.h"

static const struct {
    const char *internal;
    int flags;
    const char *external;
} quote_cases[] = {
    {"user@example.com", QUOTE_FLAG_DEFAULT, "user@example.com"},
    {"first.last@example.com", QUOTE_FLAG_DEFAULT, "first.last@example.com"},
    {"a b@c", QUOTE_FLAG_DEFAULT, "\"a b\"@c"},
    {"a@b@c", QUOTE_FLAG_DEFAULT, "\"a@b\"@c"},
    {"a@b@c", QUOTE_FLAG_EXPOSE_AT, "a@b@c"},
    {".a@c", QUOTE_FLAG_DEFAULT, "\".a\"@c"},
    {"a.@c", QUOTE_FLAG_DEFAULT, "\"a.\"@c"},
    {"a..b@c", QUOTE_FLAG_DEFAULT, "\"a..b\"@c"},
    {"a\"b\\c@d", QUOTE_FLAG_DEFAULT, "\"a\\\"b\\\\c\"@d"},
    {"a(b)@d", QUOTE_FLAG_DEFAULT, "\"a(b)\"@d"},
    {"a,b;c:d<e>[f]@x", QUOTE_FLAG_DEFAULT, "\"a,b;c:d<e>[f]\"@x"},
    {"tab\there@x", QUOTE_FLAG_DEFAULT, "\"tab\there\"@x"},
    {"!#$%&'*+-/=?^_`{|}~@x", QUOTE_FLAG_DEFAULT, "!#$%&'*+-/=?^_`{|}~@x"},
    {"j\xc3\xb6rg@x", QUOTE_FLAG_DEFAULT, "j\xc3\xb6rg@x"},
    {"j\xc3\xb6rg@x", QUOTE_FLAG_NONE, "\"j\xc3\xb6rg\"@x"},
    {"", QUOTE_FLAG_DEFAULT, ""},
    {"@example.com", QUOTE_FLAG_DEFAULT, "@example.com"},
    {"no domain", QUOTE_FLAG_DEFAULT, "\"no domain\""},
    {"MAILER-DAEMON", QUOTE_FLAG_DEFAULT, "MAILER-DAEMON"},
    {"a b@c", QUOTE_FLAG_BARE_LOCALPART, "\"a b@c\""},
    {"a@b", QUOTE_FLAG_BARE_LOCALPART, "\"a@b\""},
};

TEST(quote_table)
{
    VSTRING *out = vstring_alloc(10);
    size_t i;

    for (i = 0; i < sizeof(quote_cases) / sizeof(quote_cases[0]); i++) {
        quote_822_local_flags(out, quote_cases[i].internal, quote_cases[i].flags);
        CHECK_STR(vstring_str(out), quote_cases[i].external);
    }
    vstring_free(out);
}

TEST(unquote_reverses_quote)
{
    VSTRING *ext = vstring_alloc(10);
    VSTRING *back = vstring_alloc(10);
    size_t i;

    for (i = 0; i < sizeof(quote_cases) / sizeof(quote_cases[0]); i++) {
        if (quote_cases[i].flags & (QUOTE_FLAG_EXPOSE_AT | QUOTE_FLAG_BARE_LOCALPART))
            continue;
        quote_822_local_flags(ext, quote_cases[i].internal, quote_cases[i].flags);
        CHECK_STR(vstring_str(unquote_822_local(back, vstring_str(ext))), quote_cases[i].internal);
    }
    CHECK_STR(vstring_str(unquote_822_local(back, "\"a\"\"b\"@c")), "ab@c");
    CHECK_STR(vstring_str(unquote_822_local(back, "a\\@b@c")), "a@b@c");
    CHECK_STR(vstring_str(unquote_822_local(back, "\"x@y\"")), "x@y");
    CHECK_STR(vstring_str(unquote_822_local(back, "\"unterminated@x")), "unterminated@x");
    CHECK_STR(vstring_str(unquote_822_local(back, "trailing\\")), "trailing");
    CHECK_STR(vstring_str(unquote_822_local(back, "u@\"dom\"")), "u@\"dom\"");
    vstring_free(ext);
    vstring_free(back);
}

TEST(quote_agrees_with_tokenizer)
{
    /* Quoting the internal form and parsing it again gives the same address. */
    static const char *addrs[] = {"a b@c", "a@b@c", "a\"b\\c@d", ".x.@y", "a(b)c@d", 0};
    VSTRING *ext = vstring_alloc(10);
    VSTRING *in = vstring_alloc(10);
    const char **cpp;
    TOK822 *tree;

    for (cpp = addrs; *cpp; cpp++) {
        quote_822_local(ext, *cpp);
        tree = tok822_parse(vstring_str(ext));
        CHECK(tree && tree->type == TOK822_ADDR && tree->next == 0);
        if (tree)
            CHECK_STR(vstring_str(tok822_internalize(in, tree->head, TOK822_STR_DEFL)), *cpp);
        tok822_free_tree(tree);
    }
    vstring_free(ext);
    vstring_free(in);
}

TEST(append_flag_appends)
{
    VSTRING *out = vstring_alloc(10);

    vstring_strcpy(out, "<");
    quote_822_local_flags(out, "a b@c", QUOTE_FLAG_DEFAULT | QUOTE_FLAG_APPEND);
    CHECK_STR(vstring_str(out), "<\"a b\"@c");
    vstring_free(out);
}

TEST(quote_flag_names)
{
    VSTRING *buf = vstring_alloc(10);

    CHECK_INT(quote_flags_from_string("8bitclean, append"),
              QUOTE_FLAG_8BITCLEAN | QUOTE_FLAG_APPEND);
    CHECK_INT(quote_flags_from_string("EXPOSE_AT bare_localpart"),
              QUOTE_FLAG_EXPOSE_AT | QUOTE_FLAG_BARE_LOCALPART);
    CHECK_INT(quote_flags_from_string(""), 0);
    CHECK_STR(quote_flags_to_string(buf, QUOTE_FLAG_8BITCLEAN | QUOTE_FLAG_EXPOSE_AT),
              "8bitclean|expose_at");
    CHECK_STR(quote_flags_to_string(buf, 0), "");
    vstring_free(buf);
}

int main(void)
{
    msg_stderr_init("quote_822_local_test");
    RUN(quote_table);
    RUN(unquote_reverses_quote);
    RUN(quote_agrees_with_tokenizer);
    RUN(append_flag_appends);
    RUN(quote_flag_names);
    return (TESTS_DONE());
}
