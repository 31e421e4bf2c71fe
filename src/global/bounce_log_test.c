/* bounce_log_test - per-message logs: exact format, append, read back */

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bounce_log.h"
#include "mail_params.h"
#include "msg.h"
#include "testing.h"

static char topdir[] = "/tmp/bounce_log_test.XXXXXX";

TEST(block_format_is_exact)
{
    VSTRING *buf = vstring_alloc(100);
    RECIPIENT rcpt;
    DSN dsn;

    var_backwards_bounce_logfile_compatibility = 1;
    RECIPIENT_ASSIGN(&rcpt, 243, "rfc822;Alias@example.com", 6, "alias@example.com",
                     "a b@example.com");
    DSN_ASSIGN(&dsn, "5.1.1", "failed", "host mx[1.2.3.4] said: 550 no\r\nsuch user", "smtp",
               "550 5.1.1 no such user", "dns", "mx.example.com");
    CHECK_STR(bounce_log_format(buf, &rcpt, &dsn),
              "<\"a b\"@example.com>: host mx[1.2.3.4] said: 550 no  such user\n"
              "recipient=\"a b\"@example.com\n"
              "original_recipient=alias@example.com\n"
              "offset=243\n"
              "dsn_orig_rcpt=rfc822;Alias@example.com\n"
              "notify_flags=6\n"
              "status=5.1.1\n"
              "action=failed\n"
              "reason=host mx[1.2.3.4] said: 550 no  such user\n"
              "diag_type=smtp\n"
              "diag_text=550 5.1.1 no such user\n"
              "mta_type=dns\n"
              "mta_mname=mx.example.com\n"
              "\n");
    var_backwards_bounce_logfile_compatibility = 0;
    RECIPIENT_ASSIGN(&rcpt, 0, "", 0, "", "x@y");
    DSN_SIMPLE(&dsn, "4.2.2", "mailbox full");
    CHECK_STR(bounce_log_format(buf, &rcpt, &dsn),
              "recipient=x@y\noffset=0\nnotify_flags=0\nstatus=4.2.2\nreason=mailbox full\n\n");
    vstring_free(buf);
}

TEST(append_creates_hashed_log_and_reads_back)
{
    RECIPIENT rcpt;
    DSN dsn;
    BOUNCE_LOG *bp;
    RCPT_BUF *rcpb = rcpb_create();
    DSN_BUF *dsb = dsb_create();
    struct stat st;
    int n = 0;

    var_backwards_bounce_logfile_compatibility = 1;
    mkdir("defer", 0700);
    RECIPIENT_ASSIGN(&rcpt, 100, "", 0, "", "one@example.com");
    DSN_SIMPLE(&dsn, "4.4.1", "connection refused");
    CHECK_INT(bounce_log_append("defer", "DE040290405", &rcpt, &dsn), 0);
    RECIPIENT_ASSIGN(&rcpt, 200, "rfc822;two@example.com", 14, "2@example.com", "two@example.com");
    DSN_ASSIGN(&dsn, "4.2.2", "delayed", "mailbox full", "x-unix", "EDQUOT", "", "");
    CHECK_INT(bounce_log_append("defer", "DE040290405", &rcpt, &dsn), 0);
    CHECK(stat("defer/D/DE040290405", &st) == 0);
    CHECK_INT(st.st_mode & 0777, 0600);

    bp = bounce_log_open("defer", "DE040290405", O_RDONLY, 0);
    CHECK(bp != 0);
    while (bp && bounce_log_read(bp, rcpb, dsb) != 0) {
        n++;
        if (n == 1) {
            CHECK_STR(rcpb->rcpt.address, "one@example.com");
            CHECK_INT(rcpb->rcpt.offset, 100);
            CHECK_STR(dsb->dsn.status, "4.4.1");
            CHECK_STR(dsb->dsn.reason, "connection refused");
            CHECK_STR(dsb->dsn.action, "");
        } else {
            CHECK_STR(rcpb->rcpt.orig_addr, "2@example.com");
            CHECK_STR(rcpb->rcpt.dsn_orcpt, "rfc822;two@example.com");
            CHECK_INT(rcpb->rcpt.dsn_notify, 14);
            CHECK_STR(dsb->dsn.action, "delayed");
            CHECK_STR(dsb->dsn.dtype, "x-unix");
            CHECK_STR(dsb->dsn.dtext, "EDQUOT");
        }
    }
    CHECK_INT(n, 2);
    CHECK_INT(bounce_log_rewind(bp), 0);
    CHECK(bounce_log_read(bp, rcpb, dsb) != 0);
    CHECK_STR(rcpb->rcpt.address, "one@example.com");
    CHECK_INT(bounce_log_close(bp), 0);
    CHECK(bounce_log_open("defer", "ABCDE12345", O_RDONLY, 0) == 0);
    rcpb_free(rcpb);
    dsb_free(dsb);
}

TEST(garbage_blocks_are_skipped)
{
    VSTREAM *fp;
    BOUNCE_LOG *bp;
    RCPT_BUF *rcpb = rcpb_create();
    DSN_BUF *dsb = dsb_create();

    mkdir("bounce", 0700);
    fp = vstream_fopen("bounce/ABCDE12345", O_CREAT | O_WRONLY | O_TRUNC, 0600);
    vstream_fputs("recipient=bad@x\nstatus=9.9\nreason=x\n\n"
                  "junk line without equals\nrecipient=good@x\nstatus=5.0.0\nreason=ok\n\n\n"
                  "recipient=last@x\nstatus=5.1.1\nreason=no newline at end",
                  fp);
    vstream_fclose(fp);
    bp = bounce_log_open("bounce", "ABCDE12345", O_RDONLY, 0);
    CHECK(bounce_log_read(bp, rcpb, dsb) != 0);
    CHECK_STR(rcpb->rcpt.address, "good@x");
    CHECK(bounce_log_read(bp, rcpb, dsb) != 0);
    CHECK_STR(rcpb->rcpt.address, "last@x");
    CHECK_STR(dsb->dsn.reason, "no newline at end");
    CHECK(bounce_log_read(bp, rcpb, dsb) == 0);
    CHECK_INT(bounce_log_close(bp), 0);
    rcpb_free(rcpb);
    dsb_free(dsb);
}

TEST(forged_log_returns_one_record)
{
    RECIPIENT rcpt;
    DSN dsn;
    BOUNCE_LOG *bp;
    RCPT_BUF *rcpb = rcpb_create();
    DSN_BUF *dsb = dsb_create();

    RECIPIENT_ASSIGN(&rcpt, 5, "", 0, "", "one@x");
    DSN_SIMPLE(&dsn, "5.1.1", "unknown user");
    bp = bounce_log_forge(&rcpt, &dsn);
    CHECK(bounce_log_read(bp, rcpb, dsb) != 0);
    CHECK_STR(rcpb->rcpt.address, "one@x");
    CHECK_STR(dsb->dsn.reason, "unknown user");
    CHECK(bounce_log_read(bp, rcpb, dsb) == 0);
    bounce_log_close(bp);
    rcpb_free(rcpb);
    dsb_free(dsb);
}

int main(void)
{
    static char names[] = "deferred, defer";

    msg_stderr_init("bounce_log_test");
    var_hash_queue_names = names;
    var_hash_queue_depth = 1;
    var_line_length_limit = 2048;
    if (mkdtemp(topdir) == 0 || chdir(topdir) < 0)
        return (1);
    RUN(block_format_is_exact);
    RUN(append_creates_hashed_log_and_reads_back);
    RUN(garbage_blocks_are_skipped);
    RUN(forged_log_returns_one_record);
    {
        char cmd[100];

        snprintf(cmd, sizeof(cmd), "rm -rf %s", topdir);
        if (chdir("/") < 0 || system(cmd) != 0)
            return (1);
    }
    return (TESTS_DONE());
}
