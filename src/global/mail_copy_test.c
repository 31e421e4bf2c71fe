/* mail_copy_test - mailbox format, quoting, long lines, truncation after a damaged file */

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "dsn_buf.h"
#include "mail_copy.h"
#include "msg.h"
#include "rec_type.h"
#include "record.h"
#include "testing.h"

static char dir[] = "/tmp/mail_copy_test.XXXXXX";

/* make_src - content records; returns the data offset */
static VSTREAM *make_src(const char *name, int with_xtra, off_t *offset)
{
    char path[256];
    VSTREAM *fp;

    snprintf(path, sizeof(path), "%s/%s", dir, name);
    fp = vstream_fopen(path, O_CREAT | O_TRUNC | O_RDWR, 0600);
    rec_fputs(fp, REC_TYPE_FROM, "ignored");
    rec_fputs(fp, REC_TYPE_MESG, "");
    *offset = vstream_ftell(fp);
    rec_fputs(fp, REC_TYPE_NORM, "Subject: hi");
    rec_fputs(fp, REC_TYPE_NORM, "");
    rec_fputs(fp, REC_TYPE_NORM, "From the start");
    rec_fputs(fp, REC_TYPE_CONT, "long ");
    rec_fputs(fp, REC_TYPE_NORM, "From not at line start");
    rec_fputs(fp, REC_TYPE_NORM, ".dot");
    rec_fputs(fp, REC_TYPE_CONT, "unterminated");
    rec_fputs(fp, with_xtra ? REC_TYPE_XTRA : REC_TYPE_END, "");
    vstream_fflush(fp);
    return (fp);
}

/* slurp - the whole file */
static char *slurp(const char *name)
{
    static char buf[4096];
    char path[256];
    ssize_t n;
    int fd;

    snprintf(path, sizeof(path), "%s/%s", dir, name);
    fd = open(path, O_RDONLY);
    n = read(fd, buf, sizeof(buf) - 1);
    close(fd);
    buf[n < 0 ? 0 : n] = 0;
    return (buf);
}

TEST(from_line_format)
{
    VSTRING *buf = vstring_alloc(10);
    time_t when = 1704067200; /* 2024-01-01 00:00:00 UTC */

    setenv("TZ", "UTC", 1);
    tzset();
    CHECK_STR(mail_copy_from_line(buf, "joe@example.com", when),
              "From joe@example.com  Mon Jan  1 00:00:00 2024");
    CHECK_STR(mail_copy_from_line(buf, "", when), "From MAILER-DAEMON  Mon Jan  1 00:00:00 2024");
    CHECK_STR(mail_copy_from_line(buf, "a b@example.com", when),
              "From \"a b\"@example.com  Mon Jan  1 00:00:00 2024");
    vstring_free(buf);
}

TEST(mbox_copy)
{
    DSN_BUF *why = dsb_create();
    off_t offset;
    VSTREAM *src = make_src("src1", 1, &offset);
    char path[256];
    VSTREAM *dst;
    char *text;

    snprintf(path, sizeof(path), "%s/mbox1", dir);
    dst = vstream_fopen(path, O_CREAT | O_WRONLY | O_APPEND, 0600);
    CHECK_INT(mail_copy("s@example.com", "Orig@example.com", "Joe@Example.com", src, offset, dst,
                        MAIL_COPY_MBOX, "\n", why),
              MAIL_COPY_STAT_OK);
    vstream_fclose(dst);
    text = strchr(slurp("mbox1"), '\n') + 1;
    CHECK(strncmp(slurp("mbox1"), "From s@example.com  ", 20) == 0);
    CHECK_STR(text, "Return-Path: <s@example.com>\nX-Original-To: Orig@example.com\n"
                    "Delivered-To: joe@example.com\nSubject: hi\n\n>From the start\n"
                    "long From not at line start\n.dot\nunterminated\n\n");
    vstream_fclose(src);
    dsb_free(why);
}

TEST(command_copy_with_dots_and_crlf)
{
    DSN_BUF *why = dsb_create();
    off_t offset;
    VSTREAM *src = make_src("src2", 1, &offset);
    char path[256];
    VSTREAM *dst;

    snprintf(path, sizeof(path), "%s/out2", dir);
    dst = vstream_fopen(path, O_CREAT | O_WRONLY | O_TRUNC, 0600);
    CHECK_INT(mail_copy("", "", "x@y", src, offset, dst, MAIL_COPY_DOT | MAIL_COPY_RETURN_PATH,
                        "\r\n", why),
              MAIL_COPY_STAT_OK);
    vstream_fclose(dst);
    CHECK_STR(slurp("out2"), "Return-Path: <>\r\nSubject: hi\r\n\r\nFrom the start\r\n"
                             "long From not at line start\r\n..dot\r\nunterminated");
    vstream_fclose(src);
    dsb_free(why);
}

TEST(damaged_file_truncates_back)
{
    DSN_BUF *why = dsb_create();
    off_t offset;
    VSTREAM *src = make_src("src3", 0, &offset);
    char path[256];
    VSTREAM *dst;
    struct stat st;

    msg_verbose = 0;
    snprintf(path, sizeof(path), "%s/mbox3", dir);
    dst = vstream_fopen(path, O_CREAT | O_WRONLY | O_APPEND, 0600);
    vstream_fputs("old message\n", dst);
    vstream_fflush(dst);
    vstream_fseek(dst, 0, SEEK_END);
    CHECK_INT(mail_copy("s@x", "", "d@x", src, offset, dst, MAIL_COPY_MBOX, "\n", why),
              MAIL_COPY_STAT_CORRUPT);
    CHECK_STR(vstring_str(why->status), "4.3.0");
    vstream_fclose(dst);
    CHECK(stat(path, &st) == 0 && st.st_size == 12);
    CHECK_STR(slurp("mbox3"), "old message\n");
    vstream_fclose(src);
    dsb_free(why);
}

int main(void)
{
    char cmd[300];
    int ret;

    msg_stderr_init("mail_copy_test");
    if (mkdtemp(dir) == 0)
        msg_fatal("mkdtemp: %m");
    RUN(from_line_format);
    RUN(mbox_copy);
    RUN(command_copy_with_dots_and_crlf);
    RUN(damaged_file_truncates_back);
    snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
    ret = system(cmd);
    (void)ret;
    return (TESTS_DONE());
}
