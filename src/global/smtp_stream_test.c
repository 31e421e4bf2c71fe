/* smtp_stream_test - module tests for SMTP line I/O */

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "smtp_stream.h"
#include "testing.h"

/* pair - a connected stream pair; *peer is the raw descriptor of the other end */
static VSTREAM *pair(int *peer)
{
    int sv[2];

    if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
        return (0);
    *peer = sv[1];
    return (vstream_fdopen(sv[0], O_RDWR));
}

TEST(lines_lose_their_endings_and_bare_lf_is_noticed)
{
    int peer;
    VSTREAM *fp = pair(&peer);
    VSTRING *buf = vstring_alloc(10);
    const char *input = "EHLO x\r\nMAIL FROM:<a>\nlast";

    CHECK(write(peer, input, strlen(input)) == (ssize_t) strlen(input));
    close(peer);
    CHECK_INT(smtp_get(buf, fp, 1000, 0), '\n');
    CHECK_STR(vstring_str(buf), "EHLO x");
    CHECK_INT(smtp_line_end, SMTP_LINE_CRLF);
    CHECK_INT(smtp_get(buf, fp, 1000, 0), '\n');
    CHECK_STR(vstring_str(buf), "MAIL FROM:<a>");
    CHECK_INT(smtp_line_end, SMTP_LINE_BARE_LF);
    CHECK_INT(smtp_get(buf, fp, 1000, 0), 't');
    CHECK_STR(vstring_str(buf), "last");
    CHECK_INT(smtp_line_end, SMTP_LINE_PARTIAL);
    CHECK_INT(smtp_get(buf, fp, 1000, 0), VSTREAM_EOF);
    vstream_fclose(fp);
    vstring_free(buf);
}

TEST(overlong_lines_are_split_or_skipped)
{
    int peer;
    VSTREAM *fp = pair(&peer);
    VSTRING *buf = vstring_alloc(10);
    const char *input = "0123456789\r\nabcdefghij\r\nnext\r\n";

    CHECK(write(peer, input, strlen(input)) == (ssize_t) strlen(input));
    close(peer);
    CHECK_INT(smtp_get(buf, fp, 4, 0), '3');
    CHECK_STR(vstring_str(buf), "0123");
    CHECK_INT(smtp_get(buf, fp, 100, 0), '\n');
    CHECK_STR(vstring_str(buf), "456789");
    smtp_get(buf, fp, 4, SMTP_GET_FLAG_SKIP);
    CHECK_STR(vstring_str(buf), "abcd");
    CHECK_INT(smtp_get(buf, fp, 100, 0), '\n');
    CHECK_STR(vstring_str(buf), "next");
    vstream_fclose(fp);
    vstring_free(buf);
}

TEST(eof_and_timeout_raise_exceptions_when_armed)
{
    int peer;
    VSTREAM *fp = pair(&peer);
    VSTRING *buf = vstring_alloc(10);
    jmp_buf jb;
    volatile int stage = 0;
    int err;

    smtp_stream_setup(fp, 1, 0);
    if ((err = smtp_stream_setjmp(fp, &jb)) != 0) {
        CHECK_INT(stage, 1);
        CHECK_INT(err, SMTP_ERR_TIME);
        stage = 2;
    } else {
        stage = 1;
        smtp_get(buf, fp, 100, 0);      /* nothing comes: times out */
        stage = 99;
    }
    CHECK_INT(stage, 2);
    close(peer);
    smtp_stream_setup(fp, 5, 0);
    if ((err = smtp_stream_setjmp(fp, &jb)) != 0) {
        CHECK_INT(err, SMTP_ERR_EOF);
        stage = 3;
    } else {
        smtp_get(buf, fp, 100, 0);
        stage = 99;
    }
    CHECK_INT(stage, 3);
    smtp_stream_disarm(fp);
    CHECK_INT(smtp_get(buf, fp, 100, 0), VSTREAM_EOF);
    vstream_fclose(fp);
    vstring_free(buf);
}

TEST(output_gets_crlf)
{
    int peer;
    VSTREAM *fp = pair(&peer);
    char got[100];
    ssize_t n;

    smtp_printf(fp, "250 %s", "2.0.0 Ok");
    smtp_fputs("221 Bye", -1, fp);
    smtp_fwrite("raw", 3, fp);
    smtp_flush(fp);
    n = read(peer, got, sizeof(got) - 1);
    CHECK(n > 0);
    got[n > 0 ? n : 0] = 0;
    CHECK_STR(got, "250 2.0.0 Ok\r\n221 Bye\r\nraw");
    close(peer);
    vstream_fclose(fp);
}

TEST(fread_buf_reads_exactly_or_raises)
{
    int peer;
    VSTREAM *fp = pair(&peer);
    char buf[10];
    jmp_buf jb;
    volatile int stage = 0;
    int err;

    CHECK_INT(write(peer, "abcdef", 6), 6);
    smtp_stream_setup(fp, 5, 0);
    CHECK_INT(smtp_fread_buf(buf, 4, fp), 4);
    CHECK(memcmp(buf, "abcd", 4) == 0);
    close(peer);
    if ((err = smtp_stream_setjmp(fp, &jb)) != 0) {
        CHECK_INT(err, SMTP_ERR_EOF);
        stage = 2;
    } else {
        stage = 1;
        smtp_fread_buf(buf, 4, fp); /* only two bytes left */
        stage = 99;
    }
    CHECK_INT(stage, 2);
    smtp_stream_disarm(fp);
    vstream_fclose(fp);
}

int main(void)
{
    RUN(lines_lose_their_endings_and_bare_lf_is_noticed);
    RUN(overlong_lines_are_split_or_skipped);
    RUN(eof_and_timeout_raise_exceptions_when_armed);
    RUN(output_gets_crlf);
    RUN(fread_buf_reads_exactly_or_raises);
    return (TESTS_DONE());
}
