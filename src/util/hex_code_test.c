/* hex_code_test - module tests for hex encoding and decoding */

#include "hex_code.h"
#include "testing.h"

/* dec - decode with flags, or "(null)" */
static const char *dec(VSTRING *buf, const char *in, int flags)
{
    return (hex_decode_opt(buf, in, -1, flags) ? vstring_str(buf) : "(null)");
}

TEST(encode)
{
    VSTRING *buf = vstring_alloc(1);

    CHECK_STR(vstring_str(hex_encode(buf, "ABC", 3)), "414243");
    CHECK_STR(vstring_str(hex_encode(buf, "\xff\x00\x1f", 3)), "FF001F");
    CHECK_STR(vstring_str(hex_encode_opt(buf, "ABC", -1, HEX_ENCODE_FLAG_USE_COLON)), "41:42:43");
    CHECK_STR(vstring_str(hex_encode_opt(buf, "\xab", 1, HEX_ENCODE_FLAG_LOWERCASE)), "ab");
    CHECK_STR(vstring_str(hex_encode_opt(buf, "Z", 1, HEX_ENCODE_FLAG_APPEND)), "ab5A");
    CHECK_STR(vstring_str(hex_encode(buf, "", 0)), "");
    vstring_free(buf);
}

TEST(decode)
{
    VSTRING *buf = vstring_alloc(1);

    CHECK_STR(dec(buf, "4142", 0), "AB");
    CHECK_STR(dec(buf, "4a6B", 0), "Jk");
    CHECK_STR(dec(buf, "", 0), "");
    CHECK_STR(dec(buf, "41:42", HEX_DECODE_FLAG_ALLOW_COLON), "AB");
    CHECK_STR(dec(buf, "4142", HEX_DECODE_FLAG_ALLOW_COLON), "AB");
    CHECK(hex_decode(buf, "00ff", 4) != 0);
    CHECK_INT(VSTRING_LEN(buf), 2);
    CHECK_INT((unsigned char)vstring_str(buf)[1], 255);
}

TEST(decode_refuses_malformed_input)
{
    VSTRING *buf = vstring_alloc(1);

    CHECK_STR(dec(buf, "414", 0), "(null)");
    CHECK_STR(dec(buf, "zz", 0), "(null)");
    CHECK_STR(dec(buf, "41:42", 0), "(null)");
    CHECK_STR(dec(buf, "41:", HEX_DECODE_FLAG_ALLOW_COLON), "(null)");
    CHECK_STR(dec(buf, ":41", HEX_DECODE_FLAG_ALLOW_COLON), "(null)");
    CHECK_STR(dec(buf, "41::42", HEX_DECODE_FLAG_ALLOW_COLON), "(null)");
    CHECK_STR(dec(buf, "4:142", HEX_DECODE_FLAG_ALLOW_COLON), "(null)");
    vstring_free(buf);
}

int main(void)
{
    RUN(encode);
    RUN(decode);
    RUN(decode_refuses_malformed_input);
    return (TESTS_DONE());
}
