/* header_token_test - module tests for structured header value tokens */

#include "header_token.h"
#include "testing.h"
#include "vstring.h"

/* summary - "T:text Q:text c" for each token, then the rest of the text */
static const char *summary(VSTRING *out, HEADER_TOKEN *tok, ssize_t count, const char *rest)
{
    ssize_t n;

    VSTRING_RESET(out);
    vstring_sprintf(out, "%ld", (long)count);
    for (n = 0; n < count; n++) {
        if (tok[n].type == HEADER_TOK_TOKEN)
            vstring_sprintf_append(out, " T:%s", tok[n].u.value);
        else if (tok[n].type == HEADER_TOK_QSTRING)
            vstring_sprintf_append(out, " Q:%s", tok[n].u.value);
        else
            vstring_sprintf_append(out, " %c", tok[n].type);
    }
    vstring_sprintf_append(out, " |%s", rest);
    return (vstring_str(out));
}

TEST(content_type_with_parameters)
{
    const char *value =
        "text/plain ; (comment (nested)) charset=\"utf-8\";\n\tboundary=\"=_a\\\"b\"";
    const char *cp = value;
    HEADER_TOKEN tok[10];
    VSTRING *buf = vstring_alloc(10);
    VSTRING *out = vstring_alloc(10);
    ssize_t n;

    n = header_token(tok, 10, buf, &cp, HEADER_TOK_MIME_SPECIALS, ';');
    CHECK_STR(
        summary(out, tok, n, cp),
        "3 T:text / T:plain | (comment (nested)) charset=\"utf-8\";\n\tboundary=\"=_a\\\"b\"");
    n = header_token(tok, 10, buf, &cp, HEADER_TOK_MIME_SPECIALS, ';');
    CHECK_STR(summary(out, tok, n, cp), "3 T:charset = Q:utf-8 |\n\tboundary=\"=_a\\\"b\"");
    n = header_token(tok, 10, buf, &cp, HEADER_TOK_MIME_SPECIALS, ';');
    CHECK_STR(summary(out, tok, n, cp), "3 T:boundary = Q:=_a\"b |");
    CHECK_INT(header_token(tok, 10, buf, &cp, HEADER_TOK_MIME_SPECIALS, ';'), -1);
    vstring_free(buf);
    vstring_free(out);
}

TEST(limits_and_garbage)
{
    HEADER_TOKEN tok[2];
    VSTRING *buf = vstring_alloc(10);
    VSTRING *out = vstring_alloc(10);
    const char *cp;
    ssize_t n;

    cp = "a b \"c d\" e; f";
    n = header_token(tok, 2, buf, &cp, HEADER_TOK_MIME_SPECIALS, ';');
    CHECK_STR(summary(out, tok, n, cp), "2 T:a T:b | f");
    cp = "\"unterminated";
    n = header_token(tok, 2, buf, &cp, HEADER_TOK_MIME_SPECIALS, ';');
    CHECK_STR(summary(out, tok, n, cp), "1 Q:unterminated |");
    cp = "(unterminated comment";
    CHECK_INT(header_token(tok, 2, buf, &cp, HEADER_TOK_MIME_SPECIALS, ';'), -1);
    cp = ";;x";
    n = header_token(tok, 2, buf, &cp, HEADER_TOK_MIME_SPECIALS, ';');
    CHECK_STR(summary(out, tok, n, cp), "0 |;x");
    cp = "   ";
    CHECK_INT(header_token(tok, 2, buf, &cp, HEADER_TOK_MIME_SPECIALS, ';'), -1);
    cp = "7bit\\";
    n = header_token(tok, 2, buf, &cp, HEADER_TOK_MIME_SPECIALS, ';');
    CHECK_STR(summary(out, tok, n, cp), "2 T:7bit \\ |");
    cp = "x\xc3\xa9y=1";
    n = header_token(tok, 2, buf, &cp, HEADER_TOK_MIME_SPECIALS, -1);
    CHECK_STR(summary(out, tok, n, cp), "2 T:x\xc3\xa9y = |");
    vstring_free(buf);
    vstring_free(out);
}

int main(void)
{
    RUN(content_type_with_parameters);
    RUN(limits_and_garbage);
    return (TESTS_DONE());
}
