/* quote_822_local_test - module tests for local-part quoting and quote flags */

#include <string.h>

#include "msg.h"
#include "quote_822_local.h"
#include "testing.h"
#include "tok822.h"
#include "vstring.h"

/*
 * Expected results are those of Postfix 3.7's quote_822_local_flags() and
 * unquote_822_local() for the same input, obtained by running both
 * implementations side by side.
 */
static const struct {
    const char *internal;
    int flags;
    const char *external;
} quote_cases[] = {
    {"user@example.com", QUOTE_FLAG_8BITCLEAN, "user@example.com"},
    {"user@example.com", QUOTE_FLAG_BARE_LOCALPART, "\"user@example.com\""},
    {"user@example.com", QUOTE_FLAG_8BITCLEAN | QUOTE_FLAG_BARE_LOCALPART, "\"user@example.com\""},
    {"first.last@example.com", QUOTE_FLAG_8BITCLEAN, "first.last@example.com"},
    {"first.last@example.com", QUOTE_FLAG_BARE_LOCALPART, "\"first.last@example.com\""},
    {"first.last@example.com", QUOTE_FLAG_8BITCLEAN | QUOTE_FLAG_BARE_LOCALPART, "\"first.last@example.com\""},
    {"a b@c", QUOTE_FLAG_8BITCLEAN, "\"a b\"@c"},
    {"a b@c", QUOTE_FLAG_BARE_LOCALPART, "\"a b@c\""},
    {"a b@c", QUOTE_FLAG_8BITCLEAN | QUOTE_FLAG_BARE_LOCALPART, "\"a b@c\""},
    {"a b@c", QUOTE_FLAG_EXPOSE_AT | QUOTE_FLAG_BARE_LOCALPART, "\"a b@c\""},
    {"a@b@c", QUOTE_FLAG_8BITCLEAN, "\"a@b\"@c"},
    {"a@b@c", QUOTE_FLAG_EXPOSE_AT, "a@b@c"},
    {"a@b@c", QUOTE_FLAG_BARE_LOCALPART, "\"a@b@c\""},
    {"a@b@c", QUOTE_FLAG_8BITCLEAN | QUOTE_FLAG_EXPOSE_AT, "a@b@c"},
    {"a@b@c", QUOTE_FLAG_8BITCLEAN | QUOTE_FLAG_BARE_LOCALPART, "\"a@b@c\""},
    {"a@b@c", QUOTE_FLAG_EXPOSE_AT | QUOTE_FLAG_BARE_LOCALPART, "a@b@c"},
    {".a@c", QUOTE_FLAG_8BITCLEAN, "\".a\"@c"},
    {".a@c", QUOTE_FLAG_BARE_LOCALPART, "\".a@c\""},
    {".a@c", QUOTE_FLAG_8BITCLEAN | QUOTE_FLAG_BARE_LOCALPART, "\".a@c\""},
    {".a@c", QUOTE_FLAG_EXPOSE_AT | QUOTE_FLAG_BARE_LOCALPART, "\".a@c\""},
    {"a.@c", QUOTE_FLAG_8BITCLEAN, "\"a.\"@c"},
    {"a.@c", QUOTE_FLAG_BARE_LOCALPART, "\"a.@c\""},
    {"a.@c", QUOTE_FLAG_8BITCLEAN | QUOTE_FLAG_BARE_LOCALPART, "\"a.@c\""},
    {"a.@c", QUOTE_FLAG_EXPOSE_AT | QUOTE_FLAG_BARE_LOCALPART, "a.@c"},
    {"a..b@c", QUOTE_FLAG_8BITCLEAN, "\"a..b\"@c"},
    {"a..b@c", QUOTE_FLAG_BARE_LOCALPART, "\"a..b@c\""},
    {"a..b@c", QUOTE_FLAG_8BITCLEAN | QUOTE_FLAG_BARE_LOCALPART, "\"a..b@c\""},
    {"a..b@c", QUOTE_FLAG_EXPOSE_AT | QUOTE_FLAG_BARE_LOCALPART, "\"a..b@c\""},
    {"a\"b\x5c""c@d", QUOTE_FLAG_8BITCLEAN, "\"a\x5c""\"b\x5c""\x5c""c\"@d"},
    {"a\"b\x5c""c@d", QUOTE_FLAG_BARE_LOCALPART, "\"a\x5c""\"b\x5c""\x5c""c@d\""},
    {"a\"b\x5c""c@d", QUOTE_FLAG_8BITCLEAN | QUOTE_FLAG_BARE_LOCALPART, "\"a\x5c""\"b\x5c""\x5c""c@d\""},
    {"a\"b\x5c""c@d", QUOTE_FLAG_EXPOSE_AT | QUOTE_FLAG_BARE_LOCALPART, "\"a\x5c""\"b\x5c""\x5c""c@d\""},
    {"a(b)@d", QUOTE_FLAG_8BITCLEAN, "\"a(b)\"@d"},
    {"a(b)@d", QUOTE_FLAG_BARE_LOCALPART, "\"a(b)@d\""},
    {"a(b)@d", QUOTE_FLAG_8BITCLEAN | QUOTE_FLAG_BARE_LOCALPART, "\"a(b)@d\""},
    {"a(b)@d", QUOTE_FLAG_EXPOSE_AT | QUOTE_FLAG_BARE_LOCALPART, "\"a(b)@d\""},
    {"a,b;c:d<e>[f]@x", QUOTE_FLAG_8BITCLEAN, "\"a,b;c:d<e>[f]\"@x"},
    {"a,b;c:d<e>[f]@x", QUOTE_FLAG_BARE_LOCALPART, "\"a,b;c:d<e>[f]@x\""},
    {"a,b;c:d<e>[f]@x", QUOTE_FLAG_8BITCLEAN | QUOTE_FLAG_BARE_LOCALPART, "\"a,b;c:d<e>[f]@x\""},
    {"a,b;c:d<e>[f]@x", QUOTE_FLAG_EXPOSE_AT | QUOTE_FLAG_BARE_LOCALPART, "\"a,b;c:d<e>[f]@x\""},
    {"tab\x09""here@x", QUOTE_FLAG_8BITCLEAN, "\"tab\x09""here\"@x"},
    {"tab\x09""here@x", QUOTE_FLAG_BARE_LOCALPART, "\"tab\x09""here@x\""},
    {"tab\x09""here@x", QUOTE_FLAG_8BITCLEAN | QUOTE_FLAG_BARE_LOCALPART, "\"tab\x09""here@x\""},
    {"tab\x09""here@x", QUOTE_FLAG_EXPOSE_AT | QUOTE_FLAG_BARE_LOCALPART, "\"tab\x09""here@x\""},
    {"!#$%&'*+-/=?^_`{|}~@x", QUOTE_FLAG_8BITCLEAN, "!#$%&'*+-/=?^_`{|}~@x"},
    {"!#$%&'*+-/=?^_`{|}~@x", QUOTE_FLAG_BARE_LOCALPART, "\"!#$%&'*+-/=?^_`{|}~@x\""},
    {"!#$%&'*+-/=?^_`{|}~@x", QUOTE_FLAG_8BITCLEAN | QUOTE_FLAG_BARE_LOCALPART, "\"!#$%&'*+-/=?^_`{|}~@x\""},
    {"j\xc3""\xb6""rg@x", QUOTE_FLAG_8BITCLEAN, "j\xc3""\xb6""rg@x"},
    {"j\xc3""\xb6""rg@x", QUOTE_FLAG_NONE, "\"j\x5c""\xc3""\x5c""\xb6""rg\"@x"},
    {"j\xc3""\xb6""rg@x", QUOTE_FLAG_EXPOSE_AT, "\"j\x5c""\xc3""\x5c""\xb6""rg\"@x"},
    {"j\xc3""\xb6""rg@x", QUOTE_FLAG_BARE_LOCALPART, "\"j\x5c""\xc3""\x5c""\xb6""rg@x\""},
    {"j\xc3""\xb6""rg@x", QUOTE_FLAG_8BITCLEAN | QUOTE_FLAG_BARE_LOCALPART, "\"j\xc3""\xb6""rg@x\""},
    {"j\xc3""\xb6""rg@x", QUOTE_FLAG_EXPOSE_AT | QUOTE_FLAG_BARE_LOCALPART, "\"j\x5c""\xc3""\x5c""\xb6""rg@x\""},
    {"", QUOTE_FLAG_8BITCLEAN, "\"\""},
    {"", QUOTE_FLAG_NONE, "\"\""},
    {"", QUOTE_FLAG_EXPOSE_AT, "\"\""},
    {"", QUOTE_FLAG_BARE_LOCALPART, "\"\""},
    {"", QUOTE_FLAG_EXPOSE_AT | QUOTE_FLAG_BARE_LOCALPART, "\"\""},
    {"@example.com", QUOTE_FLAG_8BITCLEAN, "\"\"@example.com"},
    {"@example.com", QUOTE_FLAG_NONE, "\"\"@example.com"},
    {"@example.com", QUOTE_FLAG_EXPOSE_AT, "\"\"@example.com"},
    {"@example.com", QUOTE_FLAG_BARE_LOCALPART, "\"@example.com\""},
    {"@example.com", QUOTE_FLAG_8BITCLEAN | QUOTE_FLAG_BARE_LOCALPART, "\"@example.com\""},
    {"@example.com", QUOTE_FLAG_EXPOSE_AT | QUOTE_FLAG_BARE_LOCALPART, "@example.com"},
    {"@", QUOTE_FLAG_8BITCLEAN, "\"\"@"},
    {"@", QUOTE_FLAG_BARE_LOCALPART, "\"@\""},
    {"@", QUOTE_FLAG_8BITCLEAN | QUOTE_FLAG_BARE_LOCALPART, "\"@\""},
    {"@", QUOTE_FLAG_EXPOSE_AT | QUOTE_FLAG_BARE_LOCALPART, "@"},
    {"a@", QUOTE_FLAG_8BITCLEAN, "a@"},
    {"a@", QUOTE_FLAG_BARE_LOCALPART, "\"a@\""},
    {"a@", QUOTE_FLAG_8BITCLEAN | QUOTE_FLAG_BARE_LOCALPART, "\"a@\""},
    {"no domain", QUOTE_FLAG_8BITCLEAN, "\"no domain\""},
    {"MAILER-DAEMON", QUOTE_FLAG_8BITCLEAN, "MAILER-DAEMON"},
    {"@a,@b:u@d", QUOTE_FLAG_8BITCLEAN, "@a,@b:u@d"},
    {"@a,@b:u@d", QUOTE_FLAG_BARE_LOCALPART, "@a,@b:\"u@d\""},
    {"@a,@b:u@d", QUOTE_FLAG_8BITCLEAN | QUOTE_FLAG_BARE_LOCALPART, "@a,@b:\"u@d\""},
    {"@a,@b:a b@d", QUOTE_FLAG_8BITCLEAN, "@a,@b:\"a b\"@d"},
    {"@a,@b:a b@d", QUOTE_FLAG_BARE_LOCALPART, "@a,@b:\"a b@d\""},
    {"@a,@b:a b@d", QUOTE_FLAG_8BITCLEAN | QUOTE_FLAG_BARE_LOCALPART, "@a,@b:\"a b@d\""},
    {"@a,@b:a b@d", QUOTE_FLAG_EXPOSE_AT | QUOTE_FLAG_BARE_LOCALPART, "@a,@b:\"a b@d\""},
    {"@a:", QUOTE_FLAG_8BITCLEAN, "@a:\"\""},
    {"@a:@b", QUOTE_FLAG_8BITCLEAN, "@a:\"\"@b"},
    {"@a:@b", QUOTE_FLAG_BARE_LOCALPART, "@a:\"@b\""},
    {"@a:@b", QUOTE_FLAG_8BITCLEAN | QUOTE_FLAG_BARE_LOCALPART, "@a:\"@b\""},
    {"@a:@b", QUOTE_FLAG_EXPOSE_AT | QUOTE_FLAG_BARE_LOCALPART, "@a:@b"},
    {"@a:b@c@d", QUOTE_FLAG_8BITCLEAN, "@a:\"b@c\"@d"},
    {"@a:b@c@d", QUOTE_FLAG_EXPOSE_AT, "@a:b@c@d"},
    {"@a:b@c@d", QUOTE_FLAG_BARE_LOCALPART, "@a:\"b@c@d\""},
    {"@a:b@c@d", QUOTE_FLAG_8BITCLEAN | QUOTE_FLAG_EXPOSE_AT, "@a:b@c@d"},
    {"@a:b@c@d", QUOTE_FLAG_8BITCLEAN | QUOTE_FLAG_BARE_LOCALPART, "@a:\"b@c@d\""},
    {"@a:b@c@d", QUOTE_FLAG_EXPOSE_AT | QUOTE_FLAG_BARE_LOCALPART, "@a:b@c@d"},
    {"a\x0d""b@c", QUOTE_FLAG_8BITCLEAN, "\"a\x5c""\x0d""b\"@c"},
    {"a\x0d""b@c", QUOTE_FLAG_BARE_LOCALPART, "\"a\x5c""\x0d""b@c\""},
    {"a\x0d""b@c", QUOTE_FLAG_8BITCLEAN | QUOTE_FLAG_BARE_LOCALPART, "\"a\x5c""\x0d""b@c\""},
    {"a\x0d""b@c", QUOTE_FLAG_EXPOSE_AT | QUOTE_FLAG_BARE_LOCALPART, "\"a\x5c""\x0d""b@c\""},
    {"a\x0a""b@c", QUOTE_FLAG_8BITCLEAN, "\"a\x0a""b\"@c"},
    {"a\x0a""b@c", QUOTE_FLAG_BARE_LOCALPART, "\"a\x0a""b@c\""},
    {"a\x0a""b@c", QUOTE_FLAG_8BITCLEAN | QUOTE_FLAG_BARE_LOCALPART, "\"a\x0a""b@c\""},
    {"a\x0a""b@c", QUOTE_FLAG_EXPOSE_AT | QUOTE_FLAG_BARE_LOCALPART, "\"a\x0a""b@c\""},
    {"a\x7f""b@c", QUOTE_FLAG_8BITCLEAN, "\"a\x7f""b\"@c"},
    {"a\x7f""b@c", QUOTE_FLAG_BARE_LOCALPART, "\"a\x7f""b@c\""},
    {"a\x7f""b@c", QUOTE_FLAG_8BITCLEAN | QUOTE_FLAG_BARE_LOCALPART, "\"a\x7f""b@c\""},
    {"a\x7f""b@c", QUOTE_FLAG_EXPOSE_AT | QUOTE_FLAG_BARE_LOCALPART, "\"a\x7f""b@c\""},
    {".", QUOTE_FLAG_8BITCLEAN, "\".\""},
    {"\"\"", QUOTE_FLAG_8BITCLEAN, "\"\x5c""\"\x5c""\"\""},
    {"a b:c@d", QUOTE_FLAG_8BITCLEAN, "\"a b:c\"@d"},
    {"a b:c@d", QUOTE_FLAG_BARE_LOCALPART, "\"a b:c@d\""},
    {"a b:c@d", QUOTE_FLAG_8BITCLEAN | QUOTE_FLAG_BARE_LOCALPART, "\"a b:c@d\""},
    {"a b:c@d", QUOTE_FLAG_EXPOSE_AT | QUOTE_FLAG_BARE_LOCALPART, "\"a b:c@d\""},
};

TEST(quote_table_as_postfix)
{
    VSTRING *out = vstring_alloc(10);
    size_t i;

    for (i = 0; i < sizeof(quote_cases) / sizeof(quote_cases[0]); i++) {
        quote_822_local_flags(out, quote_cases[i].internal, quote_cases[i].flags);
        if (strcmp(vstring_str(out), quote_cases[i].external) != 0)
            printf("  case %zu: [%s] flags %d\n", i, quote_cases[i].internal,
                   quote_cases[i].flags);
        CHECK_STR(vstring_str(out), quote_cases[i].external);
    }
    vstring_free(out);
}

static const struct {
    const char *external;
    const char *internal;
} unquote_cases[] = {
    {"user@example.com", "user@example.com"},
    {"first.last@example.com", "first.last@example.com"},
    {"a b@c", "a b@c"},
    {"a@b@c", "a@b@c"},
    {".a@c", ".a@c"},
    {"a.@c", "a.@c"},
    {"a..b@c", "a..b@c"},
    {"a\"b\x5c""c@d", "abc@d"},
    {"a(b)@d", "a(b)@d"},
    {"a,b;c:d<e>[f]@x", "a,b;c:d<e>[f]@x"},
    {"tab\x09""here@x", "tab\x09""here@x"},
    {"!#$%&'*+-/=?^_`{|}~@x", "!#$%&'*+-/=?^_`{|}~@x"},
    {"j\xc3""\xb6""rg@x", "j\xc3""\xb6""rg@x"},
    {"", ""},
    {"@example.com", "@example.com"},
    {"@", "@"},
    {"a@", "a@"},
    {"no domain", "no domain"},
    {"MAILER-DAEMON", "MAILER-DAEMON"},
    {"@a,@b:u@d", "@a,@b:u@d"},
    {"@a,@b:a b@d", "@a,@b:a b@d"},
    {"@a:", "@a:"},
    {"@a:@b", "@a:@b"},
    {"@a:b@c@d", "@a:b@c@d"},
    {"a\x0d""b@c", "a\x0d""b@c"},
    {"a\x0a""b@c", "a\x0a""b@c"},
    {"a\x7f""b@c", "a\x7f""b@c"},
    {".", "."},
    {"\"\"", ""},
    {"a b:c@d", "a b:c@d"},
    {"\"a\"\"b\"@c", "ab@c"},
    {"a\\@b@c", "a@b@c"},
    {"\"x@y\"", "x@y"},
    {"\"unterminated@x", "unterminated@x"},
    {"trailing\\", "trailing"},
    {"u@\"dom\"", "u@\"dom\""},
    {"@a,@b:\"x y\"@d", "@a,@b:x y@d"},
    {"@\"r\":\"x\"", "@\"r\":x"},
};

TEST(unquote_table_as_postfix)
{
    VSTRING *out = vstring_alloc(10);
    size_t i;

    for (i = 0; i < sizeof(unquote_cases) / sizeof(unquote_cases[0]); i++) {
        unquote_822_local(out, unquote_cases[i].external);
        CHECK_STR(vstring_str(out), unquote_cases[i].internal);
    }
    vstring_free(out);
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
    RUN(quote_table_as_postfix);
    RUN(unquote_table_as_postfix);
    RUN(quote_agrees_with_tokenizer);
    RUN(append_flag_appends);
    RUN(quote_flag_names);
    return (TESTS_DONE());
}
