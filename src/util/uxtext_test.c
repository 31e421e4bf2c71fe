/* uxtext_test - module tests for RFC 6533 unitext */

#include "testing.h"
#include "uxtext.h"

/* uq, uu - quote or unquote into a static buffer; "(null)" on error */
static VSTRING *buf;

static const char *uq(const char *in)
{
    return (uxtext_quote(buf, in, "") ? vstring_str(buf) : "(null)");
}

static const char *uu(const char *in)
{
    return (uxtext_unquote(buf, in) ? vstring_str(buf) : "(null)");
}

TEST(uxtext_quote_encodes)
{
    CHECK_STR(uq("user@example.com"), "user@example.com");
    CHECK_STR(uq("a+b=c\\d e"), "a\\x{2B}b\\x{3D}c\\x{5C}d\\x{20}e");
    CHECK_STR(uq("\xc3\xa9"), "\\x{E9}");
    CHECK_STR(uq("\xe2\x82\xac\xf0\x9f\x98\x80"), "\\x{20AC}\\x{1F600}");
    CHECK_STR(uq("bad\xff"), "(null)");
    CHECK_STR(uq("\xc0\xaf"), "(null)");
}

TEST(uxtext_unquote_decodes)
{
    CHECK_STR(uu("a\\x{2B}b"), "a+b");
    CHECK_STR(uu("a\\x{e9}"), "a\xc3\xa9");
    CHECK_STR(uu("\\x{0041}\\x{20AC}\\x{1F600}"), "A\xe2\x82\xac\xf0\x9f\x98\x80");
    CHECK_STR(uu("caf\xc3\xa9"), "caf\xc3\xa9");
    /* Only "\x{" starts an escape; other text is copied. */
    CHECK_STR(uu("a\\y+2B"), "a\\y+2B");
    CHECK_STR(uu("a\\x{110000}"), "(null)");
    CHECK_STR(uu("a\\x{1234567}"), "(null)");
    CHECK_STR(uu("a\\x{D800}"), "(null)");
    CHECK_STR(uu("a\\x{}"), "(null)");
    CHECK_STR(uu("a\\x{0}"), "(null)");
    CHECK_STR(uu("a\\x{41"), "(null)");
    CHECK_STR(uu("a\\x{4G}"), "(null)");
}

TEST(uxtext_round_trip)
{
    VSTRING *q = vstring_alloc(1);
    const char *text = "J\xc3\xb6rg+test=1@b\xc3\xbc\x63her.example \\ \xe4\xb8\xad";

    CHECK(uxtext_quote(q, text, "") != 0);
    CHECK_STR(uu(vstring_str(q)), text);
    vstring_free(q);
}

int main(void)
{
    buf = vstring_alloc(10);
    RUN(uxtext_quote_encodes);
    RUN(uxtext_unquote_decodes);
    RUN(uxtext_round_trip);
    return (TESTS_DONE());
}
