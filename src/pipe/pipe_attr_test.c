/*
 * pipe_attr_test - pipe(8) command attributes (flags, user=, eol=, size=,
 * errors), ${macro} expansion (per-recipient repetition, h/q/u folding and
 * quoting, null sender), the reasons that pipe_command_status() composes
 * for exit codes, and the message text that the flags make mail_copy()
 * produce.
 */

#include <fcntl.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "argv.h"
#include "deliver_request.h"
#include "dsn_buf.h"
#include "mail_copy.h"
#include "msg.h"
#include "mymalloc.h"
#include "pipe_attr.h"
#include "pipe_command.h"
#include "rec_type.h"
#include "record.h"
#include "testing.h"
#include "vstream.h"
#include "vstring.h"

/* parse - parse a space-separated attribute line; returns 0/-1 */
static int parse(PIPE_ATTR *attr, ARGV **args, const char *line, VSTRING *why)
{
    *args = argv_split(line, " ");
    memset(attr, 0, sizeof(*attr));
    return (pipe_attr_parse(attr, (*args)->argv, "postfix", why));
}

/* joined - an argument vector as "[a] [b] ..." */
static const char *joined(VSTRING *buf, ARGV *argv)
{
    int i;

    VSTRING_RESET(buf);
    VSTRING_TERMINATE(buf);
    for (i = 0; argv && i < argv->argc; i++)
        vstring_sprintf_append(buf, "%s[%s]", i ? " " : "", argv->argv[i]);
    return (vstring_str(buf));
}

TEST(attributes)
{
    VSTRING *why = vstring_alloc(100);
    PIPE_ATTR attr;
    ARGV *args;
    struct passwd *pw = getpwnam("nobody");

    CHECK(pw != 0);
    CHECK_INT(parse(&attr, &args,
                    "flags=DRXhu. user=nobody size=1000 eol=\\r\\n "
                    "directory=/tmp null_sender= argv=/bin/cat -x ${sender}",
                    why),
              0);
    CHECK_INT(attr.flags, MAIL_COPY_DELIVERED | MAIL_COPY_RETURN_PATH | PIPE_OPT_FINAL_DELIVERY |
                              PIPE_OPT_FOLD_HOST | PIPE_OPT_FOLD_USER | MAIL_COPY_DOT);
    CHECK_INT(attr.uid, pw->pw_uid);
    CHECK_INT(attr.gid, pw->pw_gid);
    CHECK_INT(attr.size_limit, 1000);
    CHECK_STR(vstring_str(attr.eol), "\r\n");
    CHECK_STR(attr.exec_dir, "/tmp");
    CHECK_STR(attr.null_sender, "");
    CHECK_STR(attr.command[0], "/bin/cat");
    CHECK_STR(attr.command[1], "-x");
    CHECK_STR(attr.command[2], "${sender}");
    CHECK(attr.command[3] == 0);
    pipe_attr_free(&attr);
    argv_free(args);

    /* Defaults: plain copy, "\n", MAILER-DAEMON; the rest of the words are the command. */
    CHECK_INT(parse(&attr, &args, "user=nobody argv=/bin/x flags=F", why), 0);
    CHECK_INT(attr.flags, 0);
    CHECK_STR(vstring_str(attr.eol), "\n");
    CHECK_STR(attr.null_sender, "MAILER-DAEMON");
    CHECK_STR(attr.command[1], "flags=F");
    pipe_attr_free(&attr);
    argv_free(args);

    CHECK_INT(parse(&attr, &args, "flags=BFOR>q user=nobody argv=/bin/x", why), 0);
    CHECK_INT(attr.flags, MAIL_COPY_BLANK | MAIL_COPY_FROM | MAIL_COPY_ORIG_RCPT |
                              MAIL_COPY_RETURN_PATH | MAIL_COPY_QUOTE | PIPE_OPT_QUOTE_LOCAL);
    pipe_attr_free(&attr);
    argv_free(args);
    vstring_free(why);
}

TEST(attribute_errors)
{
    VSTRING *why = vstring_alloc(100);
    PIPE_ATTR attr;
    ARGV *args;

    CHECK_INT(parse(&attr, &args, "argv=/bin/x", why), -1);
    CHECK_STR(vstring_str(why), "missing user= command-line attribute");
    pipe_attr_free(&attr), argv_free(args);
    CHECK_INT(parse(&attr, &args, "user=nobody", why), -1);
    CHECK_STR(vstring_str(why), "missing argv= command-line attribute");
    pipe_attr_free(&attr), argv_free(args);
    CHECK_INT(parse(&attr, &args, "user=root argv=/bin/x", why), -1);
    CHECK_STR(vstring_str(why), "user= command-line attribute specifies root privileges: root");
    pipe_attr_free(&attr), argv_free(args);
    CHECK_INT(parse(&attr, &args, "flags=Z user=nobody argv=/bin/x", why), -1);
    CHECK_STR(vstring_str(why), "unknown flag: Z (ignored)");
    pipe_attr_free(&attr), argv_free(args);
    CHECK_INT(parse(&attr, &args, "colour=red user=nobody argv=/bin/x", why), -1);
    CHECK_STR(vstring_str(why), "unknown attribute name: colour=red");
    pipe_attr_free(&attr), argv_free(args);
    CHECK_INT(parse(&attr, &args, "size=10k user=nobody argv=/bin/x", why), -1);
    CHECK_STR(vstring_str(why), "size= command-line attribute has bad value: 10k");
    pipe_attr_free(&attr), argv_free(args);
    CHECK_INT(parse(&attr, &args, "user=no-such-user-here argv=/bin/x", why), -1);
    CHECK_STR(vstring_str(why),
              "user= command-line attribute specifies unknown user: no-such-user-here");
    pipe_attr_free(&attr), argv_free(args);
    memset(&attr, 0, sizeof(attr));
    args = argv_split("user=nobody argv=/bin/x", " ");
    CHECK_INT(pipe_attr_parse(&attr, args->argv, "nobody", why), -1);
    CHECK_STR(vstring_str(why), "user= command-line attribute specifies mail system owner nobody");
    pipe_attr_free(&attr), argv_free(args);
    vstring_free(why);
}

TEST(unescape)
{
    VSTRING *buf = vstring_alloc(10);

    CHECK_STR(vstring_str(pipe_attr_unescape(buf, "a\\tb\\\\c\\101\\n")), "a\tb\\cA\n");
    CHECK_STR(vstring_str(pipe_attr_unescape(buf, "\\r\\n")), "\r\n");
    CHECK_STR(vstring_str(pipe_attr_unescape(buf, "plain")), "plain");
    vstring_free(buf);
}

/* request - a delivery request with two recipients */
static DELIVER_REQUEST *request(void)
{
    DELIVER_REQUEST *rq = mycalloc(1, sizeof(*rq));

    rq->queue_name = mystrdup("active");
    rq->queue_id = mystrdup("3F1A2B4C5D");
    rq->nexthop = mystrdup("Gateway.Example");
    rq->encoding = mystrdup("");
    rq->sender = mystrdup("Sender Name@Example.COM");
    rq->dsn_envid = mystrdup("");
    rq->data_size = 1234;
    rq->client_name = mystrdup("client.example");
    rq->client_addr = mystrdup("192.0.2.7");
    rq->client_port = mystrdup("4321");
    rq->client_origin = mystrdup("");
    rq->client_helo = mystrdup("helo.example");
    rq->client_proto = mystrdup("ESMTP");
    rq->rewrite_context = mystrdup("remote");
    rq->sasl_method = mystrdup("PLAIN");
    rq->sasl_username = mystrdup("sasluser");
    rq->sasl_sender = mystrdup("");
    rq->log_ident = mystrdup("3F1A2B4C5D");
    recipient_list_init(&rq->rcpt_list, RCPT_LIST_INIT_STATUS);
    recipient_list_add(&rq->rcpt_list, 100, "", 0, "Orig@Example.COM", "Joe+Ext@Example.COM");
    recipient_list_add(&rq->rcpt_list, 200, "", 0, "b@x.example", "Bob@X.Example");
    return (rq);
}

TEST(expansion)
{
    DELIVER_REQUEST *rq = request();
    VSTRING *buf = vstring_alloc(100);
    char *cmd1[] = {"/bin/deliver", "-f", "${sender}", "--", "${recipient}", 0};
    char *cmd2[] = {"x",
                    "$user/${extension}/$(mailbox)@${domain}",
                    "${nexthop}",
                    "$size",
                    "${queue_id}",
                    "${client_address}:${client_port}",
                    "${client_hostname}",
                    "${client_helo}",
                    "${client_protocol}",
                    "${sasl_method}",
                    "${sasl_username}",
                    "[${sasl_sender}]",
                    "${original_recipient}",
                    "$$5",
                    "${unknown}",
                    0};
    char *bad[] = {"x", "${recipient", 0};
    ARGV *out;

    out = pipe_expand_argv(cmd1, rq, rq->sender, 0, "+", "double-bounce");
    CHECK_STR(joined(buf, out), "[/bin/deliver] [-f] [Sender Name@Example.COM] [--] "
                                "[Joe+Ext@Example.COM] [Bob@X.Example]");
    argv_free(out);
    out = pipe_expand_argv(cmd1, rq, rq->sender, PIPE_OPT_QUOTE_LOCAL | PIPE_OPT_FOLD_HOST, "+",
                           "double-bounce");
    CHECK_STR(joined(buf, out), "[/bin/deliver] [-f] [\"Sender Name\"@Example.COM] [--] "
                                "[Joe+Ext@example.com] [Bob@x.example]");
    argv_free(out);
    out = pipe_expand_argv(cmd1, rq, rq->sender, PIPE_OPT_FOLD_USER, "+", "double-bounce");
    CHECK_STR(joined(buf, out), "[/bin/deliver] [-f] [Sender Name@Example.COM] [--] "
                                "[joe+ext@Example.COM] [bob@X.Example]");
    argv_free(out);
    out = pipe_expand_argv(cmd2, rq, rq->sender, PIPE_OPT_FOLD_ALL, "+", "double-bounce");
    CHECK_STR(joined(buf, out),
              "[x] [joe/ext/joe+ext@example.com] [bob//bob@x.example] [gateway.example] [1234] "
              "[3F1A2B4C5D] [192.0.2.7:4321] [client.example] [helo.example] [ESMTP] [PLAIN] "
              "[sasluser] [[]] [orig@example.com] [b@x.example] [$5] []");
    argv_free(out);
    /* Without recipient_delimiter there is no extension. */
    out = pipe_expand_argv(cmd2, rq, rq->sender, 0, "", "double-bounce");
    CHECK_STR(out->argv[1], "Joe+Ext//Joe+Ext@Example.COM");
    argv_free(out);
    /* The null sender: replaced, and the replacement is quoted by q; "" is left alone. */
    out = pipe_expand_argv(cmd1, rq, "MAILER-DAEMON", PIPE_OPT_QUOTE_LOCAL, "+", "double-bounce");
    CHECK_STR(out->argv[2], "MAILER-DAEMON");
    argv_free(out);
    out = pipe_expand_argv(cmd1, rq, "", PIPE_OPT_QUOTE_LOCAL, "+", "double-bounce");
    CHECK_STR(out->argv[2], "");
    argv_free(out);
    CHECK(pipe_expand_argv(bad, rq, "", 0, "+", "double-bounce") == 0);
    deliver_request_free(rq);
    vstring_free(buf);
}

/* exited - a wait() status for an exit code */
static int exited(int code)
{
    return (code << 8);
}

TEST(command_status)
{
    DSN_BUF *why = dsb_create();

    CHECK_INT(pipe_command_status(exited(0), 0, "/bin/x", "hello ", why), PIPE_STAT_OK);
    CHECK_STR(vstring_str(why->reason), "hello ");
    CHECK_INT(pipe_command_status(exited(75), 0, "/bin/x", "try later ", why), PIPE_STAT_DEFER);
    CHECK_STR(vstring_str(why->status), "4.3.0");
    CHECK_STR(vstring_str(why->reason), "temporary failure. Command output: try later ");
    CHECK_INT(pipe_command_status(exited(67), 0, "/bin/x", "", why), PIPE_STAT_BOUNCE);
    CHECK_STR(vstring_str(why->status), "5.1.1");
    CHECK_STR(vstring_str(why->reason), "user unknown");
    CHECK_INT(pipe_command_status(exited(1), 0, "/bin/x", "oops ", why), PIPE_STAT_BOUNCE);
    CHECK_STR(vstring_str(why->status), "5.3.0");
    CHECK_STR(vstring_str(why->reason),
              "Command died with status 1: \"/bin/x\". Command output: oops ");
    CHECK_INT(pipe_command_status(exited(1), 0, "/bin/x", "", why), PIPE_STAT_BOUNCE);
    CHECK_STR(vstring_str(why->reason), "Command died with status 1: \"/bin/x\"");
    /* An enhanced status code in the output wins, with the text after it. */
    CHECK_INT(pipe_command_status(exited(1), 0, "/bin/x", "4.2.2 mailbox full ", why),
              PIPE_STAT_DEFER);
    CHECK_STR(vstring_str(why->status), "4.2.2");
    CHECK_STR(vstring_str(why->reason), "mailbox full ");
    CHECK_INT(pipe_command_status(exited(75), 0, "/bin/x", "5.1.1 no such user ", why),
              PIPE_STAT_BOUNCE);
    CHECK_STR(vstring_str(why->status), "5.1.1");
    CHECK_INT(pipe_command_status(SIGKILL, 0, "/bin/x", "", why), PIPE_STAT_DEFER);
    CHECK_STR(vstring_str(why->reason), "Command died with signal 9: \"/bin/x\"");
    CHECK_INT(pipe_command_status(SIGKILL, 1, "/bin/x", "", why), PIPE_STAT_BOUNCE);
    CHECK_STR(vstring_str(why->status), "5.3.0");
    CHECK_STR(vstring_str(why->reason), "Command time limit exceeded: \"/bin/x\"");
    dsb_free(why);
}

/* queue_file - a temporary file holding content records and an X record */
static VSTREAM *queue_file(char *path)
{
    int fd = mkstemp(path);
    VSTREAM *fp = vstream_fdopen(fd, O_RDWR);

    rec_fputs(fp, REC_TYPE_NORM, "Subject: test");
    rec_fputs(fp, REC_TYPE_NORM, "");
    rec_fputs(fp, REC_TYPE_NORM, "From the start");
    rec_fputs(fp, REC_TYPE_NORM, ".dot line");
    rec_put(fp, REC_TYPE_CONT, "long ", 5);
    rec_fputs(fp, REC_TYPE_NORM, "line");
    rec_fputs(fp, REC_TYPE_XTRA, "");
    vstream_fflush(fp);
    return (fp);
}

/* copy - mail_copy() into a memory-backed file, returned as text */
static const char *copy(VSTRING *out, VSTREAM *src, int flags, const char *eol)
{
    char path[] = "/tmp/pipe_attr_test_outXXXXXX";
    int fd = mkstemp(path);
    VSTREAM *dst = vstream_fdopen(fd, O_RDWR);
    DSN_BUF *why = dsb_create();
    char buf[4096];
    ssize_t n;

    CHECK_INT(mail_copy("Sender@Example.COM", "Orig@Example.COM", "Joe@Example.COM", src, 0, dst,
                        flags, eol, why),
              0);
    vstream_fclose(dst);
    fd = open(path, O_RDONLY);
    n = read(fd, buf, sizeof(buf));
    close(fd);
    unlink(path);
    vstring_memcpy(out, buf, n > 0 ? (size_t)n : 0);
    VSTRING_TERMINATE(out);
    dsb_free(why);
    return (vstring_str(out));
}

TEST(copy_flags)
{
    char path[] = "/tmp/pipe_attr_test_qXXXXXX";
    VSTREAM *src = queue_file(path);
    VSTRING *out = vstring_alloc(100);
    const char *text;

    /* No flags: the message unchanged. */
    CHECK_STR(copy(out, src, 0, "\n"), "Subject: test\n\nFrom the start\n.dot line\nlong line\n");
    /* D O R . > B with CRLF. */
    CHECK_STR(copy(out, src,
                   MAIL_COPY_DELIVERED | MAIL_COPY_ORIG_RCPT | MAIL_COPY_RETURN_PATH |
                       MAIL_COPY_DOT | MAIL_COPY_QUOTE | MAIL_COPY_BLANK,
                   "\r\n"),
              "Return-Path: <Sender@Example.COM>\r\nX-Original-To: Orig@Example.COM\r\n"
              "Delivered-To: joe@example.com\r\nSubject: test\r\n\r\n>From the start\r\n"
              "..dot line\r\nlong line\r\n\r\n");
    /* F: the From_ line first. */
    text = copy(out, src, MAIL_COPY_FROM, "\n");
    CHECK(strncmp(text, "From Sender@Example.COM  ", 25) == 0);
    CHECK(strlen(text) > 25 + 24 && strcmp(text + 25 + 24, "\nSubject: test\n\nFrom the start\n"
                                                           ".dot line\nlong line\n") == 0);
    vstream_fclose(src);
    unlink(path);
    vstring_free(out);
}

int main(void)
{
    RUN(attributes);
    RUN(attribute_errors);
    RUN(unescape);
    RUN(expansion);
    RUN(command_status);
    RUN(copy_flags);
    return (TESTS_DONE());
}
