/* valid_utf8_string_test - module tests for the strict UTF-8 check */

#include "testing.h"
#include "valid_utf8_string.h"

TEST(well_formed)
{
    CHECK_INT(valid_utf8_string("", -1), 1);
    CHECK_INT(valid_utf8_string("plain ascii", -1), 1);
    CHECK_INT(valid_utf8_string("caf\xc3\xa9", -1), 1);
    CHECK_INT(valid_utf8_string("\xe2\x82\xac", -1), 1);
    CHECK_INT(valid_utf8_string("\xf0\x9f\x98\x80", -1), 1);
    CHECK_INT(valid_utf8_string("\xed\x9f\xbf", -1), 1);     /* U+D7FF */
    CHECK_INT(valid_utf8_string("\xee\x80\x80", -1), 1);     /* U+E000 */
    CHECK_INT(valid_utf8_string("\xf4\x8f\xbf\xbf", -1), 1); /* U+10FFFF */
}

TEST(malformed)
{
    CHECK_INT(valid_utf8_string("\x80", -1), 0); /* lone continuation */
    CHECK_INT(valid_utf8_string("\xc3", -1), 0); /* truncated */
    CHECK_INT(valid_utf8_string("\xe2\x82", -1), 0);
    CHECK_INT(valid_utf8_string("\xc3\x28", -1), 0); /* bad continuation */
    CHECK_INT(valid_utf8_string("\xc0\xaf", -1), 0); /* overlong '/' */
    CHECK_INT(valid_utf8_string("\xc1\xbf", -1), 0);
    CHECK_INT(valid_utf8_string("\xe0\x80\xaf", -1), 0);     /* overlong */
    CHECK_INT(valid_utf8_string("\xf0\x80\x80\xaf", -1), 0); /* overlong */
    CHECK_INT(valid_utf8_string("\xed\xa0\x80", -1), 0);     /* surrogate U+D800 */
    CHECK_INT(valid_utf8_string("\xed\xbf\xbf", -1), 0);     /* surrogate U+DFFF */
    CHECK_INT(valid_utf8_string("\xf4\x90\x80\x80", -1), 0); /* U+110000 */
    CHECK_INT(valid_utf8_string("\xf5\x80\x80\x80", -1), 0);
    CHECK_INT(valid_utf8_string("\xff", -1), 0);
    CHECK_INT(valid_utf8_string("\xfe", -1), 0);
}

TEST(explicit_length)
{
    /* A sequence cut by the length is truncated; a null byte is refused. */
    CHECK_INT(valid_utf8_string("\xc3\xa9", 1), 0);
    CHECK_INT(valid_utf8_string("\xc3\xa9xyz", 2), 1);
    CHECK_INT(valid_utf8_string("a\0b", 3), 0);
}

TEST(decode_one)
{
    const unsigned char *text = (const unsigned char *)"A\xc3\xa9\xf0\x9f\x98\x80";
    const unsigned char *cp = text;
    const unsigned char *end = text + 7;

    CHECK_INT(utf8_decode_one(&cp, end), 'A');
    CHECK_INT(utf8_decode_one(&cp, end), 0xe9);
    CHECK_INT(utf8_decode_one(&cp, end), 0x1f600);
    CHECK(cp == end);
}

int main(void)
{
    RUN(well_formed);
    RUN(malformed);
    RUN(explicit_length);
    RUN(decode_one);
    return (TESTS_DONE());
}
