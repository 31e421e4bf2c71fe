/* bounce_notify_test - notice composition compared with expected text */

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bounce_log.h"
#include "bounce_service.h"
#include "dsn_mask.h"
#include "mail_date.h"
#include "mail_params.h"
#include "mail_queue.h"
#include "msg.h"
#include "mymalloc.h"
#include "post_mail.h"
#include "rec_type.h"
#include "record.h"
#include "testing.h"

static char topdir[] = "/tmp/bounce_notify_test.XXXXXX";
static long rcpt_offset;

/* make_message - active/ID: a small message from sender@example.org */
static void make_message(const char *id)
{
    VSTREAM *fp;

    mkdir("active", 0700);
    fp = mail_queue_open("active", id, O_CREAT | O_TRUNC | O_RDWR, 0600);
    rec_fprintf(fp, REC_TYPE_SIZE, REC_SIZE_FORMAT, 60L, 0L, 1L, 0L, 60L, 0L);
    rec_fprintf(fp, REC_TYPE_TIME, "%ld %ld", 1700000000L, 0L);
    rec_fputs(fp, REC_TYPE_FROM, "sender@example.org");
    rcpt_offset = (long)vstream_ftell(fp);
    rec_fputs(fp, REC_TYPE_RCPT, "nobody@example.com");
    rec_fputs(fp, REC_TYPE_MESG, "");
    rec_fputs(fp, REC_TYPE_NORM, "Subject: test");
    rec_fputs(fp, REC_TYPE_NORM, "Message-Id: <m1@example.org>");
    rec_fputs(fp, REC_TYPE_NORM, "");
    rec_fputs(fp, REC_TYPE_NORM, "body line");
    rec_fputs(fp, REC_TYPE_XTRA, "");
    rec_fputs(fp, REC_TYPE_END, "");
    vstream_fclose(fp);
}

/* compose - a notice into a record file, returned as text lines */
static char *compose(BOUNCE_INFO *info, const char *dest, int pm, int filter, int ret, int *count)
{
    VSTREAM *fp = vstream_fopen("notice", O_CREAT | O_TRUNC | O_RDWR, 0600);
    VSTRING *rec = vstring_alloc(100);
    VSTRING *text = vstring_alloc(1000);
    char *cp;

    *count = bounce_compose(fp, info, dest, pm, filter, ret);
    vstream_fseek(fp, 0, SEEK_SET);
    while (rec_get(fp, rec, 0) > 0) {
        vstring_strcat(text, vstring_str(rec));
        vstring_strcat(text, "\n");
    }
    vstream_fclose(fp);
    vstring_free(rec);
    /* Mask the time in the MIME boundary. */
    for (cp = vstring_str(text); (cp = strstr(cp, ".1")) != 0; cp++)
        if (strlen(cp) > 11 && cp[11] == '/')
            memcpy(cp + 1, "TTTTTTTTTT", 10);
    return (vstring_export(text));
}

static const char *expected_failure =
    "From: Mail Delivery System <MAILER-DAEMON>\n"
    "Subject: Undelivered Mail Returned to Sender\n"
    "To: sender@example.org\n"
    "References: <m1@example.org>\n"
    "In-Reply-To: <m1@example.org>\n"
    "Auto-Submitted: auto-replied\n"
    "MIME-Version: 1.0\n"
    "Content-Type: multipart/report; report-type=delivery-status;\n"
    "\tboundary=\"4F2A81C0D2.TTTTTTTTTT/mail.example.com\"\n"
    "Content-Transfer-Encoding: 7bit\n"
    "\n"
    "This is a MIME-encapsulated message.\n"
    "\n"
    "--4F2A81C0D2.TTTTTTTTTT/mail.example.com\n"
    "Content-Description: Notification\n"
    "Content-Type: text/plain; charset=us-ascii\n"
    "\n"
    "This is the mail system at host mail.example.com.\n"
    "\n"
    "I'm sorry to have to inform you that your message could not\n"
    "be delivered to one or more recipients. It's attached below.\n"
    "\n"
    "For further assistance, please send mail to postmaster.\n"
    "\n"
    "If you do so, please include this problem report. You can\n"
    "delete your own text from the attached returned message.\n"
    "\n"
    "                   The mail system\n"
    "\n"
    "<nobody@example.com> (expanded from <alias@example.com>): host\n"
    "    mx.example.com[192.0.2.25] said: 550 5.1.1 <nobody@example.com>: Recipient\n"
    "    address rejected: User unknown (in reply to RCPT TO command)\n"
    "\n"
    "--4F2A81C0D2.TTTTTTTTTT/mail.example.com\n"
    "Content-Description: Delivery report\n"
    "Content-Type: message/delivery-status\n"
    "\n"
    "Reporting-MTA: dns; mail.example.com\n"
    "Original-Envelope-Id: env-1\n"
    "X-Postfix-Queue-ID: 4F2A81C0D2\n"
    "X-Postfix-Sender: rfc822; sender@example.org\n"
    "Arrival-Date: %s\n"
    "\n"
    "Final-Recipient: rfc822; nobody@example.com\n"
    "Original-Recipient: rfc822;alias@example.com\n"
    "Action: failed\n"
    "Status: 5.1.1\n"
    "Remote-MTA: dns; mx.example.com\n"
    "Diagnostic-Code: smtp; 550 5.1.1 <nobody@example.com>: Recipient address\n"
    "    rejected: User unknown\n"
    "\n"
    "--4F2A81C0D2.TTTTTTTTTT/mail.example.com\n"
    "Content-Description: Undelivered Message\n"
    "Content-Type: message/rfc822\n"
    "\n"
    "Return-Path: <sender@example.org>\n"
    "Subject: test\n"
    "Message-Id: <m1@example.org>\n"
    "\n"
    "body line\n"
    "\n"
    "--4F2A81C0D2.TTTTTTTTTT/mail.example.com--\n";

/* append_failure - the bounce log entry the test notices report */
static void append_failure(void)
{
    RECIPIENT rcpt;
    DSN dsn;

    mkdir("bounce", 0700);
    RECIPIENT_ASSIGN(&rcpt, rcpt_offset, "rfc822;alias@example.com", 0, "alias@example.com",
                     "nobody@example.com");
    DSN_ASSIGN(&dsn, "5.1.1", "failed",
               "host mx.example.com[192.0.2.25] said: 550 5.1.1 <nobody@example.com>: Recipient "
               "address rejected: User unknown (in reply to RCPT TO command)",
               "smtp", "550 5.1.1 <nobody@example.com>: Recipient address rejected: User unknown",
               "dns", "mx.example.com");
    unlink("bounce/4F2A81C0D2");
    bounce_log_append("bounce", "4F2A81C0D2", &rcpt, &dsn);
}

TEST(failure_notice_matches_postfix_layout)
{
    BOUNCE_TEMPLATES *ts = bounce_templates_create();
    BOUNCE_INFO *info;
    char *got;
    char want[8192];
    int count;

    make_message("4F2A81C0D2");
    append_failure();
    info = bounce_info_create("bounce", (BOUNCE_LOG *)0, "active", "4F2A81C0D2", "7bit", 0,
                              "sender@example.org", "env-1", ts->failure);
    got = compose(info, "sender@example.org", 0, DSN_NOTIFY_FAILURE, DSN_RET_FULL, &count);
    CHECK_INT(count, 1);
    snprintf(want, sizeof(want), expected_failure, mail_date(1700000000));
    CHECK_STR(got, want);
    myfree(got);
    bounce_info_free(info);
    bounce_templates_free(ts);
}

/* record_type_at - the type byte of the record at an offset of active/ID */
static int record_type_at(const char *id, long offset)
{
    VSTREAM *fp = mail_queue_open("active", id, O_RDONLY, 0);
    int type;

    vstream_fseek(fp, offset, SEEK_SET);
    type = vstream_getc(fp);
    vstream_fclose(fp);
    return (type);
}

TEST(delrcpt_marks_the_logged_recipients_done)
{
    BOUNCE_TEMPLATES *ts = bounce_templates_create();
    BOUNCE_INFO *info;

    make_message("4F2A81C0D2");
    append_failure();
    info = bounce_info_create("bounce", (BOUNCE_LOG *)0, "active", "4F2A81C0D2", "7bit", 0,
                              "sender@example.org", "env-1", ts->failure);
    CHECK_INT(record_type_at("4F2A81C0D2", rcpt_offset), REC_TYPE_RCPT);
    bounce_delrcpt(info);
    CHECK_INT(record_type_at("4F2A81C0D2", rcpt_offset), REC_TYPE_DONE);
    bounce_info_free(info);
    bounce_templates_free(ts);
}

TEST(headers_only_and_postmaster_copy)
{
    BOUNCE_TEMPLATES *ts = bounce_templates_create();
    BOUNCE_INFO *info;
    char *got;
    int count;

    make_message("4F2A81C0D2");
    append_failure();
    info = bounce_info_create("bounce", (BOUNCE_LOG *)0, "active", "4F2A81C0D2", "7bit", 0,
                              "sender@example.org", "", ts->failure);
    got = compose(info, "postmaster", 1, BOUNCE_NOTIFY_ALL, DSN_RET_HDRS, &count);
    CHECK_INT(count, 1);
    CHECK(strstr(got, "Subject: Postmaster Copy: Undelivered Mail\n") != 0);
    CHECK(strstr(got, "Auto-Submitted: auto-generated\n") != 0);
    CHECK(strstr(got, "I'm sorry") == 0); /* no template text */
    CHECK(strstr(got, "Content-Description: Undelivered Message Headers\n"
                      "Content-Type: text/rfc822-headers\n") != 0);
    CHECK(strstr(got, "body line") == 0);
    CHECK(strstr(got, "Message-Id: <m1@example.org>\n\n--") != 0);
    myfree(got);
    bounce_info_free(info);
    bounce_templates_free(ts);
}

TEST(notify_never_means_no_notice)
{
    BOUNCE_TEMPLATES *ts = bounce_templates_create();
    BOUNCE_INFO *info;
    RECIPIENT rcpt;
    DSN dsn;
    char *got;
    int count;

    make_message("4F2A81C0D2");
    RECIPIENT_ASSIGN(&rcpt, rcpt_offset, "", DSN_NOTIFY_NEVER, "", "nobody@example.com");
    DSN_SIMPLE(&dsn, "5.1.1", "unknown user");
    info = bounce_info_create((char *)0, bounce_log_forge(&rcpt, &dsn), "active", "4F2A81C0D2",
                              "7bit", 0, "sender@example.org", "", ts->failure);
    got = compose(info, "sender@example.org", 0, DSN_NOTIFY_FAILURE, 0, &count);
    CHECK_INT(count, 0);
    myfree(got);
    bounce_delrcpt(info); /* the forged record's recipient becomes done */
    bounce_info_free(info);
    bounce_templates_free(ts);
}

TEST(delay_notice_uses_delay_template)
{
    char want[1000];
    BOUNCE_TEMPLATES *ts = bounce_templates_create();
    BOUNCE_INFO *info;
    RECIPIENT rcpt;
    DSN dsn;
    char *got;
    int count;

    var_delay_warning_time = 4 * 3600;
    var_maximal_queue_lifetime = 5 * 86400;
    make_message("4F2A81C0D2");
    RECIPIENT_ASSIGN(&rcpt, rcpt_offset, "", 0, "", "nobody@example.com");
    DSN_ASSIGN(&dsn, "4.4.1", "delayed",
               "connect to mx.example.com[192.0.2.25]:25: Connection refused", "", "", "", "");
    info = bounce_info_create((char *)0, bounce_log_forge(&rcpt, &dsn), "active", "4F2A81C0D2",
                              "7bit", 0, "sender@example.org", "", ts->delay);
    got = compose(info, "sender@example.org", 0, DSN_NOTIFY_DELAY, DSN_RET_HDRS, &count);
    CHECK_INT(count, 1);
    CHECK(strstr(got, "Subject: Delayed Mail (still being retried)\n") != 0);
    CHECK(strstr(got, "# THIS IS A WARNING ONLY.  YOU DO NOT NEED TO RESEND YOUR MESSAGE. #\n") !=
          0);
    CHECK(strstr(got, "Your message could not be delivered for more than 4 hour(s).\n"
                      "It will be retried until it is 5 day(s) old.\n") != 0);
    snprintf(want, sizeof(want),
             "Action: delayed\nStatus: 4.4.1\nDiagnostic-Code: X-Postfix; connect to "
             "mx.example.com[192.0.2.25]:25:\n    Connection refused\nWill-Retry-Until: %s\n",
             mail_date(1700000000 + 5 * 86400));
    CHECK(strstr(got, want) != 0);
    CHECK(strstr(got, "Content-Description: Undelivered Message Headers\n") != 0);
    myfree(got);
    bounce_info_free(info);
    bounce_templates_free(ts);
}

TEST(wrapping_rule)
{
    VSTREAM *fp = vstream_fopen("wrap", O_CREAT | O_TRUNC | O_RDWR, 0600);
    VSTRING *rec = vstring_alloc(100);
    VSTRING *text = vstring_alloc(100);

    bounce_wrap(fp, "short line", post_mail_fputs);
    bounce_wrap(fp,
                "<averyveryveryveryveryveryveryveryveryveryveryveryveryveryveryverylongaddress@x>: "
                "then some words",
                post_mail_fputs);
    vstream_fseek(fp, 0, SEEK_SET);
    while (rec_get(fp, rec, 0) > 0) {
        vstring_strcat(text, vstring_str(rec));
        vstring_strcat(text, "|");
    }
    CHECK_STR(vstring_str(text),
              "short line|<averyveryveryveryveryveryveryveryveryveryveryveryveryveryveryverylong"
              "address@x>:|    then some words|");
    vstream_fclose(fp);
    vstring_free(rec);
    vstring_free(text);
}

TEST(template_file_overrides_and_errors)
{
    BOUNCE_TEMPLATES *ts = bounce_templates_create();
    VSTRING *why = vstring_alloc(100);
    VSTREAM *fp;

    fp = vstream_fopen("tmpl.cf", O_CREAT | O_TRUNC | O_WRONLY, 0600);
    vstream_fputs("# comment\n\nfailure_template = <<END\nSubject: Nope\nCharset: utf-8\n\n"
                  "Host $myhostname costs $$5.\nEND\n",
                  fp);
    vstream_fclose(fp);
    CHECK_INT(bounce_templates_load(ts, "tmpl.cf", why), 0);
    CHECK_STR(ts->failure->subject, "Nope");
    CHECK_STR(bounce_template_encoding(ts->failure), "8bit");
    CHECK_STR(ts->failure->text->argv[0], "Host $myhostname costs $$5.");
    CHECK_STR(ts->delay->subject, "Delayed Mail (still being retried)");
    fp = vstream_fopen("bad.cf", O_CREAT | O_TRUNC | O_WRONLY, 0600);
    vstream_fputs("delay_template = <<EOF\nX-Bad: header\n\ntext\nEOF\n", fp);
    vstream_fclose(fp);
    CHECK_INT(bounce_templates_load(ts, "bad.cf", why), -1);
    CHECK(strstr(vstring_str(why), "unknown or malformed template header") != 0);
    CHECK_STR(ts->delay->subject, "Delayed Mail (still being retried)");
    vstring_free(why);
    bounce_templates_free(ts);
}

int main(void)
{
    static char names[] = "deferred, defer";
    static char host[] = "mail.example.com";
    static char mname[] = "Postfix";
    char cmd[100];

    msg_stderr_init("bounce_notify_test");
    var_hash_queue_names = names;
    var_hash_queue_depth = 1;
    var_myhostname = host;
    var_mail_name = mname;
    var_line_length_limit = 2048;
    var_bounce_size_limit = 50000;
    var_backwards_bounce_logfile_compatibility = 1;
    if (mkdtemp(topdir) == 0 || chdir(topdir) < 0)
        return (1);
    RUN(failure_notice_matches_postfix_layout);
    RUN(delrcpt_marks_the_logged_recipients_done);
    RUN(headers_only_and_postmaster_copy);
    RUN(notify_never_means_no_notice);
    RUN(delay_notice_uses_delay_template);
    RUN(wrapping_rule);
    RUN(template_file_overrides_and_errors);
    snprintf(cmd, sizeof(cmd), "rm -rf %s", topdir);
    if (chdir("/") < 0 || system(cmd) != 0)
        return (1);
    return (TESTS_DONE());
}
