/* base64_code_test - module tests for base64 encoding and decoding */

#include "base64_code.h"
#include "testing.h"

/* enc - encode a string */
static const char *enc(VSTRING *buf, const char *in)
{
    return (vstring_str(base64_encode(buf, in, -1)));
}

/* dec - decode a string, or "(null)" */
static const char *dec(VSTRING *buf, const char *in)
{
    return (base64_decode(buf, in, -1) ? vstring_str(buf) : "(null)");
}

TEST(rfc4648_vectors)
{
    VSTRING *buf = vstring_alloc(1);
    static const char *vec[][2] = {
        {"", ""},
        {"f", "Zg=="},
        {"fo", "Zm8="},
        {"foo", "Zm9v"},
        {"foob", "Zm9vYg=="},
        {"fooba", "Zm9vYmE="},
        {"foobar", "Zm9vYmFy"},
    };
    size_t i;

    for (i = 0; i < sizeof(vec) / sizeof(vec[0]); i++) {
        CHECK_STR(enc(buf, vec[i][0]), vec[i][1]);
        CHECK_STR(dec(buf, vec[i][1]), vec[i][0]);
    }
    vstring_free(buf);
}

TEST(binary_round_trip)
{
    VSTRING *enc_buf = vstring_alloc(1);
    VSTRING *dec_buf = vstring_alloc(1);
    char data[256];
    int i;

    for (i = 0; i < 256; i++)
        data[i] = (char)(255 - i);
    base64_encode(enc_buf, data, sizeof(data));
    CHECK(base64_decode(dec_buf, vstring_str(enc_buf), VSTRING_LEN(enc_buf)) != 0);
    CHECK_INT(VSTRING_LEN(dec_buf), 256);
    CHECK(memcmp(vstring_str(dec_buf), data, 256) == 0);
    /* SASL PLAIN: "\0user\0pass". */
    CHECK_STR(vstring_str(base64_encode(enc_buf, "\0user\0pass", 10)), "AHVzZXIAcGFzcw==");
    vstring_free(enc_buf);
    vstring_free(dec_buf);
}

TEST(append_flag)
{
    VSTRING *buf = vstring_alloc(1);

    vstring_strcpy(buf, "AUTH PLAIN ");
    base64_encode_opt(buf, "ab", 2, BASE64_FLAG_APPEND);
    CHECK_STR(vstring_str(buf), "AUTH PLAIN YWI=");
    vstring_strcpy(buf, ">");
    base64_decode_opt(buf, "YWI=", 4, BASE64_FLAG_APPEND);
    CHECK_STR(vstring_str(buf), ">ab");
    vstring_free(buf);
}

TEST(malformed_input_is_refused)
{
    VSTRING *buf = vstring_alloc(1);

    CHECK_STR(dec(buf, "Zm9"), "(null)");
    CHECK_STR(dec(buf, "Zm9v!A=="), "(null)");
    CHECK_STR(dec(buf, "Z==="), "(null)");
    CHECK_STR(dec(buf, "Zg=a"), "(null)");
    CHECK_STR(dec(buf, "Zg==Zg=="), "(null)");
    CHECK_STR(dec(buf, "Zm 9v"), "(null)");
    CHECK_STR(dec(buf, "===="), "(null)");
    vstring_free(buf);
}

int main(void)
{
    RUN(rfc4648_vectors);
    RUN(binary_round_trip);
    RUN(append_flag);
    RUN(malformed_input_is_refused);
    return (TESTS_DONE());
}
