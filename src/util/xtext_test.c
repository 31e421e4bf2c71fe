/* xtext_test - module tests for RFC 3461 xtext */

#include "testing.h"
#include "xtext.h"

/* xq, xu - quote or unquote into a static buffer; "(null)" on error */
static VSTRING *buf;

static const char *xq(const char *in, const char *special)
{
    return (vstring_str(xtext_quote(buf, in, special)));
}

static const char *xu(const char *in)
{
    return (xtext_unquote(buf, in) ? vstring_str(buf) : "(null)");
}

TEST(xtext_quote_encodes_plus_equals_and_non_printables)
{
    CHECK_STR(xq("rfc822;user@example.com", ""), "rfc822;user@example.com");
    CHECK_STR(xq("a+b=c d", ""), "a+2Bb+3Dc+20d");
    CHECK_STR(xq("\xc3\xa9\t~", ""), "+C3+A9+09~");
    CHECK_STR(xq("a;b:c", ";:"), "a+3Bb+3Ac");
    vstring_strcpy(buf, "x=");
    CHECK_STR(vstring_str(xtext_quote_append(buf, "+", "")), "x=+2B");
}

TEST(xtext_unquote_decodes)
{
    CHECK_STR(xu("a+2Bb"), "a+b");
    CHECK_STR(xu("a+2bb"), "a+b");
    CHECK_STR(xu("+C3+A9"), "\xc3\xa9");
    CHECK_STR(xu("plain"), "plain");
    CHECK_STR(xu("a+2"), "(null)");
    CHECK_STR(xu("a+zz"), "(null)");
    CHECK_STR(xu("a+b=c"), "(null)");
    CHECK_STR(xu("trailing+"), "(null)");
    vstring_strcpy(buf, "<");
    CHECK_STR(vstring_str(xtext_unquote_append(buf, "+3E")), "<>");
}

TEST(xtext_round_trip)
{
    VSTRING *q = vstring_alloc(1);
    char data[255];
    int i;

    for (i = 1; i < 256; i++)
        data[i - 1] = (char)i;
    data[254] = 0;
    xtext_quote(q, data, "");
    CHECK(xtext_unquote(buf, vstring_str(q)) != 0);
    CHECK_STR(vstring_str(buf), data);
    vstring_free(q);
}

int main(void)
{
    buf = vstring_alloc(10);
    RUN(xtext_quote_encodes_plus_equals_and_non_printables);
    RUN(xtext_unquote_decodes);
    RUN(xtext_round_trip);
    return (TESTS_DONE());
}
